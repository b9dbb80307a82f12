"""The worker in-process: batches reach the handler, failures retry with backoff, then become dead letters."""
import pytest

from accounts.models import User
from content.models import Article
from events.failures import failures_requeue
from events.handler import EventHandler
from events.models import FailedEvent, IngestSample
from events.worker import Handler, Worker
from tenants.context import tenant_context
from tests.events.handlers import read_log


def _articles(tenant, n):
    with tenant_context(tenant):
        author = User.objects.create_user(username="w", email="w@x.io", password="pw-123456")
        return [Article.objects.create(slug=f"a{i}", title="T", body="B", author=author).pk for i in range(n)]


def test_once_drains_and_records_latency(make_tenant, event_log):
    a, b = make_tenant(), make_tenant()
    ids = _articles(a, 3) + _articles(b, 2)
    assert Worker(once=True, handler=Handler("tests.events.handlers.record")).run() == 5
    seen = read_log(event_log)
    assert sorted((e["tenant"], int(e["entity_id"])) for e in seen) == sorted(
        [(a.slug, i) for i in ids[:3]] + [(b.slug, i) for i in ids[3:]]
    )
    assert IngestSample.objects.filter(stage="text").count() == 5
    assert Worker(once=True, handler=Handler("tests.events.handlers.record")).run() == 0  # committed


def test_failing_event_retries_then_dead_letters_without_blocking_others(
    make_tenant, event_log, monkeypatch, conduit_settings_override
):
    conduit_settings_override(WORKER_RETRY_BASE_SECONDS=0.01, WORKER_MAX_ATTEMPTS=3)
    tenant = make_tenant()
    ids = _articles(tenant, 4)
    monkeypatch.setenv("CONDUIT_TEST_FAIL_IDS", str(ids[1]))
    assert Worker(once=True, handler=Handler("tests.events.handlers.record")).run() == 3
    assert sorted(int(e["entity_id"]) for e in read_log(event_log)) == sorted(ids[:1] + ids[2:])
    dead = FailedEvent.objects.get()
    assert (dead.status, dead.attempts, dead.payload["entity_id"]) == ("dead", 3, str(ids[1]))
    assert "cannot index" in dead.last_error

    monkeypatch.delenv("CONDUIT_TEST_FAIL_IDS")  # fixed: the operator requeues it
    assert failures_requeue(ids=[dead.pk]) == 1
    assert Worker(once=True, handler=Handler("tests.events.handlers.record")).run() == 1
    assert not FailedEvent.objects.exists()
    assert str(ids[1]) in {e["entity_id"] for e in read_log(event_log)}


def test_handler_that_raises_fails_each_event_separately(make_tenant, event_log, conduit_settings_override):
    conduit_settings_override(WORKER_RETRY_BASE_SECONDS=0.01, WORKER_MAX_ATTEMPTS=2)
    tenant = make_tenant()
    _articles(tenant, 2)
    class Raising(EventHandler):
        def index(self, events):
            return 1 / 0

    assert Worker(once=True, handler=Handler(Raising())).run() == 0
    assert list(FailedEvent.objects.values_list("status", flat=True)) == ["dead", "dead"]


def test_the_handler_setting_must_name_an_event_handler():
    with pytest.raises(TypeError, match="CONDUIT_EVENT_HANDLER='tests.events.handlers.record_events' names a function"):
        Handler("tests.events.handlers.record_events")  # a bare function: its hooks could only be guessed
    assert Handler("tests.events.handlers.record").target.backlog() is None  # a hook it does not override
