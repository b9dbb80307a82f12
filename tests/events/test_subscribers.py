"""The worker's plug-in points for features (events.subscribers): subscribers see indexed events, tasks run periodically."""
import threading
import time

import pytest

from accounts.models import User
from content.models import Article
from events import subscribers
from events.worker import Handler, Worker
from tenants.context import tenant_context


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (apps' own subscribers and tasks stay out of it)."""
    monkeypatch.setattr(subscribers, "_subscribers", {})
    monkeypatch.setattr(subscribers, "_tasks", {})
    return subscribers


def _articles(tenant, n):
    with tenant_context(tenant):
        author = User.objects.create_user(username="s", email="s@x.io", password="pw-123456")
        return [Article.objects.create(slug=f"s{i}", title="T", body="B", author=author).pk for i in range(n)]


def test_subscribers_see_indexed_events_only_and_one_failing_never_stops_the_rest(
    registry, make_tenant, event_log, monkeypatch, conduit_settings_override
):
    conduit_settings_override(WORKER_RETRY_BASE_SECONDS=60, WORKER_MAX_ATTEMPTS=3)
    seen = []
    registry.register_subscriber("broken", lambda events: 1 / 0)
    registry.register_subscriber("recorder", lambda events: seen.extend(events))
    tenant = make_tenant()
    ids = _articles(tenant, 3)
    monkeypatch.setenv("CONDUIT_TEST_FAIL_IDS", str(ids[1]))  # the index fails this one: not "finished"
    assert Worker(once=True, handler=Handler("tests.events.handlers.record")).run() == 2
    assert sorted(int(e.entity_id) for e in seen) == sorted([ids[0], ids[2]])
    assert {e.tenant for e in seen} == {tenant.slug}


def test_tasks_run_once_in_once_mode(registry, make_tenant):
    calls = []
    registry.register_task("tick", lambda: calls.append(1), every=60)
    Worker(once=True, handler=Handler("tests.events.handlers.record")).run()
    assert calls == [1]


def test_a_task_loops_in_its_own_thread_survives_errors_and_stops(registry):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("one bad round")

    registry.register_task("flaky", flaky, every=0.01)
    stopping = threading.Event()
    threads = registry.start_tasks(stopping)
    deadline = time.monotonic() + 10
    while len(calls) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    stopping.set()
    for thread in threads:
        thread.join(timeout=5)
    assert len(calls) >= 5 and not any(t.is_alive() for t in threads)


def test_a_task_needs_a_positive_period(registry):
    with pytest.raises(ValueError, match="every must be > 0"):
        registry.register_task("bad", lambda: None, every=0)
