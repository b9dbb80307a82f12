"""What operators see: /metrics, the bus health check, the ingestion dashboard and the dead-letter requeue."""
import re

import pytest

from accounts.models import User
from content.models import Article
from events.event import Event
from events.failures import failure_record
from events.ingest import IngestRecorder
from events.models import FailedEvent
from events.worker import Handler, Worker
from tenants.context import tenant_context

HOST = {"HTTP_HOST": "localhost"}


def _metric(text, name):
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else None


@pytest.fixture
def staff(db, client):
    user = User.objects.create_superuser(username="op", email="op@x.io", password="pw-123456")
    client.force_login(user)
    return client


def test_metrics_count_the_pipeline(make_tenant, event_log, client):
    tenant = make_tenant()
    with tenant_context(tenant):
        author = User.objects.create_user(username="w", email="w@x.io", password="pw-123456")
        Article.objects.create(slug="a", title="T", body="B", author=author)
    before = client.get("/metrics", **HOST).content.decode()
    assert _metric(before, "conduit_consumer_lag") == 1
    Worker(once=True, handler=Handler("tests.events.handlers.record")).run()
    response = client.get("/metrics", **HOST)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _metric(text, "conduit_consumer_lag") == 0
    assert _metric(text, "conduit_bus_up") == 1
    assert _metric(text, 'conduit_events_published_total{type="article.created"}') >= 1
    assert _metric(text, "conduit_events_consumed_total") >= 1
    assert _metric(text, 'conduit_save_to_searchable_seconds_count{stage="text"}') >= 1
    assert "tenant=" not in text  # no per-tenant labels


def test_health_reports_the_bus(db, client):
    body = client.get("/api/health", **HOST).json()
    assert body["checks"]["event_bus"]["ok"] is True and body["checks"]["event_bus"]["bus"] == "db"


def test_health_fails_when_kafka_is_unreachable(db, client, settings):
    from events import bus
    from tests.support.stack import free_port

    url = f"kafka://127.0.0.1:{free_port()}"
    settings.CONDUIT = {**settings.CONDUIT, "EVENT_BUS": url}
    try:
        response = client.get("/api/health", **HOST)
    finally:
        bus._buses.pop(url, None)
    assert response.status_code == 503 and "event_bus" in response.json()["failed"]


def test_purge_forgets_the_tenants_failures_and_dirty_flag(make_tenant, actor, django_capture_on_commit_callbacks):
    from events.outbox import outbox_mark_dirty
    from events.models import DirtyTenant
    from tenants.services import tenant_delete

    tenant = make_tenant()
    failure_record(event=Event(type="article.created", tenant=tenant.slug, entity="article", entity_id="1"),
                   error=RuntimeError("boom"))
    outbox_mark_dirty(slug=tenant.slug)
    with django_capture_on_commit_callbacks(execute=True):
        tenant_delete(slug=tenant.slug, actor=actor, purge=True)
    assert not FailedEvent.objects.filter(tenant=tenant.slug).exists()
    assert not DirtyTenant.objects.filter(slug=tenant.slug).exists()


def test_dashboard_is_staff_only(db, client):
    response = client.get("/admin/ingestion/", **HOST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_dashboard_shows_latency_failures_and_backlog(staff):
    recorder = IngestRecorder()

    for i in range(100):
        event = Event(type="article.updated", tenant="acme", entity="article", entity_id=str(i))
        recorder.searchable(event, "text", event.occurred_epoch + (i + 1) / 1000)  # 1..100 ms
    recorder.flush()
    bad = Event(type="article.created", tenant="broken", entity="article", entity_id="9")
    failure_record(event=bad, error=RuntimeError("boom"), attempts=99)
    page = staff.get("/admin/ingestion/", **HOST)
    assert page.status_code == 200
    html = re.sub(r">\s+<", "><", page.content.decode())
    assert "<svg" in html and "<polyline" in html
    assert "<circle" in html  # one busy minute is still visible as a point
    bars = re.findall(r"<title>(\d+) events, (\d+) min ago</title>", html)  # the throughput strip
    assert sum(int(n) for n, _ in bars) == 100 and all(int(ago) <= 1 for _, ago in bars), bars
    assert re.search(r"<td>text</td><td>100</td><td>50\.\d</td><td>95\.\d</td><td>99\.\d</td>", html), html
    assert "broken" in html and "boom" in html


def test_requeue_action_revives_dead_letters(staff):
    event = Event(type="article.created", tenant="acme", entity="article", entity_id="1")
    failure = failure_record(event=event, error=RuntimeError("boom"), attempts=99)
    assert failure.status == "dead"
    response = staff.post("/admin/events/failedevent/", {"action": "requeue", "_selected_action": [failure.pk]},
                          **HOST)
    assert response.status_code == 302
    failure.refresh_from_db()
    assert (failure.status, failure.attempts) == (FailedEvent.Status.RETRYING, 0)
