"""Deliveries end to end in-process: a real receiver, the subscriber and the sender task called directly."""
import time

import pytest

from tenants.context import tenant_context
from tests.webhooks.conftest import run_sender
from tests.webhooks.receiver import Behaviour
from webhooks import worker
from webhooks.models import Delivery, DisabledEndpoint, Endpoint


def _deliveries(site):
    with tenant_context(site.info):
        return list(Delivery.objects.order_by("id"))


def test_published_article_is_delivered_signed(site, receiver):
    hook = site.webhook(site.owner.token, receiver.url("/a"), ["article.published", "comment.created"])["webhook"]
    receiver.secrets["/a"] = hook["secret"]
    article = site.article(site.owner.token, title="Hello hooks", tagList=["x"])
    committed = time.time()
    site.consume()
    got = receiver.wait_for("/a")[0]
    worker.sender.wait_idle()
    print(f"\ncommit -> delivered: {(got.at - committed) * 1000:.1f} ms (in-process subscriber, no worker poll)")

    assert got.signature_ok is True
    body = got.json
    assert set(body) == {"id", "type", "occurred_at", "site", "data"}
    assert body["type"] == "article.published" and body["site"]["slug"] == site.info.slug
    assert (body["data"]["slug"], body["data"]["title"], body["data"]["tagList"]) == (
        article["slug"], "Hello hooks", ["x"])
    assert body["data"]["author"] == {"username": "owner"}
    assert got.headers["Conduit-Event-Id"] == body["id"]
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"].startswith("Conduit-Webhooks/")
    assert got.headers["Conduit-Signature"].startswith("t=")

    [delivery] = _deliveries(site)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)
    log = site.call("GET", f"/api/site/webhooks/{hook['id']}/deliveries", token=site.owner.token).json()
    assert log["deliveriesCount"] == 1
    entry = log["deliveries"][0]
    assert (entry["status"], entry["attempts"], entry["responseCode"], entry["eventId"]) == (
        "succeeded", 1, 200, body["id"])
    assert entry["latencyMs"] > 0


def test_only_subscribed_types_and_active_endpoints(site, receiver):
    site.webhook(site.owner.token, receiver.url("/comments"), ["comment.created"])
    off = site.webhook(site.owner.token, receiver.url("/off"), ["article.published"])["webhook"]
    site.call("PUT", f"/api/site/webhooks/{off['id']}", {"webhook": {"active": False}}, site.owner.token)
    article = site.article(site.owner.token)
    response = site.call("POST", f"/api/articles/{article['slug']}/comments", {"comment": {"body": "hi"}},
                         site.reader.token)
    assert response.status_code == 201
    site.consume()
    [got] = receiver.wait_for("/comments")
    worker.sender.wait_idle()
    assert got.json["type"] == "comment.created"
    assert got.json["data"]["body"] == "hi" and got.json["data"]["article"]["slug"] == article["slug"]
    assert receiver.on("/off") == []
    assert [d.type for d in _deliveries(site)] == ["comment.created"]


def test_an_event_handed_over_twice_is_delivered_once(site, receiver):
    site.webhook(site.owner.token, receiver.url("/dedupe"))
    site.article(site.owner.token)
    events = site.consume()
    worker.on_events(events)  # the worker restarted and handed the batch over again
    worker.on_events(events)
    run_sender(lambda: len(receiver.on("/dedupe")) >= 1)
    time.sleep(0.2)
    worker.tick()
    worker.sender.wait_idle()
    assert len(receiver.on("/dedupe")) == 1
    assert len(_deliveries(site)) == 1


def test_failures_retry_with_backoff_then_succeed(site, receiver, webhook_settings):
    receiver.behaviour["/flaky"] = Behaviour(fail=2, status=503)
    site.webhook(site.owner.token, receiver.url("/flaky"))
    site.article(site.owner.token)
    site.consume()
    run_sender(lambda: _deliveries(site)[0].status == "succeeded")
    got = receiver.on("/flaky")
    assert len(got) == 3 and len({r.headers["Conduit-Event-Id"] for r in got}) == 1
    [delivery] = _deliveries(site)
    assert (delivery.attempts, delivery.response_code) == (3, 200)
    with tenant_context(site.info):
        assert Endpoint.objects.get().consecutive_failures == 0  # reset by the success


def test_backoff_is_exponential_with_full_jitter(webhook_settings):
    from webhooks.services import retry_delay

    webhook_settings(WEBHOOK_RETRY_BASE_SECONDS=1.0, WEBHOOK_RETRY_MAX_SECONDS=3600.0)
    for attempts, ceiling in [(1, 1), (2, 2), (5, 16), (13, 3600), (40, 3600)]:
        delays = [retry_delay(attempts) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.5 and min(delays) < ceiling * 0.5  # spread over [0, ceiling]


def test_dead_letter_and_auto_disable_then_reenable_and_redeliver(site, receiver, webhook_settings):
    # Dead-lettering first, with auto-disable out of reach: with both at once, whether the 0.15 s window closes
    # before the 4th failure disables the endpoint was up to the jittered back-off (red once in a full run: four
    # attempts inside 0.14 s, endpoint disabled, the delivery never dead).
    webhook_settings(WEBHOOK_RETRY_WINDOW_SECONDS=0.15)
    receiver.behaviour["/down"] = Behaviour(always=500)
    hook = site.webhook(site.owner.token, receiver.url("/down"))["webhook"]
    site.article(site.owner.token, title="one")
    site.consume()
    run_sender(lambda: _deliveries(site)[0].status == "dead")
    first = _deliveries(site)[0]
    assert first.attempts >= 1 and first.response_code == 500 and first.next_attempt_at is None

    webhook_settings(WEBHOOK_DISABLE_AFTER=4)  # then auto-disable: four more failing deliveries
    for title in ("two", "three", "four", "five"):
        site.article(site.owner.token, title=title)
    site.consume()
    run_sender(lambda: not site.call("GET", f"/api/site/webhooks/{hook['id']}",
                                     token=site.owner.token).json()["webhook"]["active"])
    shown = site.call("GET", f"/api/site/webhooks/{hook['id']}", token=site.owner.token).json()["webhook"]
    assert shown["active"] is False and "consecutive failed deliveries" in shown["disabledReason"]
    assert shown["disabledAt"] and shown["consecutiveFailures"] >= 4
    alert = DisabledEndpoint.objects.get(tenant=site.info.slug)  # what operators see in the admin
    assert alert.endpoint_id == hook["id"] and "HTTP 500" in alert.reason

    sent = len(receiver.on("/down"))  # disabled: nothing more is sent
    worker.tick()
    worker.sender.wait_idle()
    assert len(receiver.on("/down")) == sent

    receiver.behaviour["/down"] = Behaviour()  # fixed; the owner turns it back on and redelivers the dead one
    response = site.call("PUT", f"/api/site/webhooks/{hook['id']}", {"webhook": {"active": True}}, site.owner.token)
    assert response.json()["webhook"]["active"] is True and response.json()["webhook"]["disabledReason"] is None
    assert not DisabledEndpoint.objects.filter(tenant=site.info.slug).exists()
    webhook_settings(WEBHOOK_RETRY_WINDOW_SECONDS=3600)
    response = site.call("POST", f"/api/site/webhooks/{hook['id']}/deliveries/{first.pk}/redeliver",
                         token=site.owner.token)
    assert response.status_code == 202 and response.json()["delivery"]["status"] == "pending"
    run_sender(lambda: _deliveries(site)[0].status == "succeeded")
    redelivered = [r for r in receiver.on("/down") if r.headers["Conduit-Event-Id"] == first.event_id]
    assert redelivered[-1].json["data"]["title"] == "one"


def test_redeliver_a_succeeded_delivery(site, receiver):
    hook = site.webhook(site.owner.token, receiver.url("/again"))["webhook"]
    site.article(site.owner.token)
    site.consume()
    run_sender(lambda: _deliveries(site)[0].status == "succeeded")
    delivery = _deliveries(site)[0]
    response = site.call("POST", f"/api/site/webhooks/{hook['id']}/deliveries/{delivery.pk}/redeliver",
                         token=site.owner.token)
    assert response.status_code == 202
    run_sender(lambda: len(receiver.on("/again")) == 2)
    first, second = receiver.on("/again")
    assert first.headers["Conduit-Event-Id"] == second.headers["Conduit-Event-Id"] and first.body == second.body
    assert site.call("POST", f"/api/site/webhooks/{hook['id']}/deliveries/999999/redeliver",
                     token=site.owner.token).status_code == 404


def test_a_slow_endpoint_does_not_hold_up_a_healthy_one(site, receiver, webhook_settings):
    webhook_settings(WEBHOOK_TIMEOUT=5.0)
    receiver.behaviour["/slow"] = Behaviour(delay=1.5)
    site.webhook(site.owner.token, receiver.url("/slow"))
    site.webhook(site.owner.token, receiver.url("/fast"))
    site.article(site.owner.token)
    site.consume()
    receiver.wait_for("/slow")  # the slow one has the request and is sitting on it
    receiver.wait_for("/fast")
    assert worker.sender.inflight() == 1  # the healthy one is done while the slow one is still in flight
    worker.sender.wait_idle()


def test_redirects_are_not_followed(site, receiver):
    receiver.behaviour["/moved"] = Behaviour(always=302)
    site.webhook(site.owner.token, receiver.url("/moved"))
    site.article(site.owner.token)
    site.consume()
    run_sender(lambda: _deliveries(site)[0].attempts >= 1)
    delivery = _deliveries(site)[0]
    assert delivery.status in ("failed", "dead") and delivery.response_code == 302
    assert {r.path for r in receiver.received} == {"/moved"}  # the Location was not requested


def test_checked_again_at_delivery(site, receiver, webhook_settings):
    """Registered while allow-listed; the operator removes the entry: the next delivery is refused, unsent."""
    site.webhook(site.owner.token, receiver.url("/later"))
    webhook_settings(WEBHOOK_ALLOWED_HOSTS=[])
    site.article(site.owner.token)
    site.consume()
    run_sender(lambda: _deliveries(site)[0].attempts >= 1)
    delivery = _deliveries(site)[0]
    assert delivery.response_code is None and delivery.last_error.startswith("refused:")
    assert receiver.on("/later") == []


def test_site_updated_carries_the_settings(site, receiver):
    from django.apps import apps

    if not any(m._meta.model_name == "sitesettings" for m in apps.get_models()):
        pytest.skip("no site settings app installed")
    site.webhook(site.owner.token, receiver.url("/site"), ["site.updated"])
    response = site.call("PUT", "/api/site", {"site": {"title": "Hooked", "accentColor": "#112233"}},
                         site.owner.token)
    assert response.status_code == 200, response.content
    site.consume()
    [got] = receiver.wait_for("/site")
    worker.sender.wait_idle()
    assert got.json["type"] == "site.updated"
    assert (got.json["data"]["title"], got.json["data"]["accentColor"]) == ("Hooked", "#112233")


def test_a_claim_left_by_a_dead_worker_goes_out_after_its_lease(site, receiver):
    from webhooks import services

    site.webhook(site.owner.token, receiver.url("/orphan"))
    site.article(site.owner.token)
    events = site.outbox_events()
    with tenant_context(site.info):  # a worker queued and claimed it, then died before sending
        services.deliveries_queue(events, {"slug": site.info.slug})
        assert len(services.claim_due(limit=10, lease_seconds=0.3)) == 1
    worker.sender._due.clear()
    worker.sender._swept_at = None  # a worker (re)starting sweeps every tenant
    run_sender(lambda: len(receiver.on("/orphan")) == 1)
    assert _deliveries(site)[0].status == "succeeded"
