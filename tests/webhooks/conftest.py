"""In-process webhook tests: a tenant's API through Django's test client, a real HTTP receiver, the worker's
subscriber and task functions called directly."""

import pytest
from django.conf import settings
from django.test import override_settings

from events.event import Event
from events.models import OutboxEvent
from tenants.context import tenant_context
from tests.support.inprocess import Api as InProcessApi
from tests.webhooks.receiver import Receiver
from webhooks import worker


class Api(InProcessApi):
    """The in-process API plus what webhook tests do: register endpoints, hand events to the subscriber."""

    def webhook(self, token, url, events=("article.published",), status=201):
        response = self.call("POST", "/api/site/webhooks", {"webhook": {"url": url, "events": list(events)}}, token)
        assert response.status_code == status, response.content
        return response.json()

    def consume(self):
        """What the worker does after indexing: hand the tenant's unconsumed outbox events to the subscriber."""
        events = self.outbox_events()
        worker.on_events(events)
        return events

    def outbox_events(self, seen=set()):  # noqa: B006  (events handed over once per test process)
        with tenant_context(self.info):
            rows = list(OutboxEvent.objects.order_by("id"))
        events = [Event(id=str(r.event_id), type=r.type, tenant=self.info.slug, entity=r.entity,
                        entity_id=r.entity_id, occurred_at=r.occurred_at.isoformat()) for r in rows
                  if str(r.event_id) not in seen]
        seen.update(e.id for e in events)
        return events


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def webhook_settings(receiver):
    """The receiver allow-listed (127.0.0.1:<port>), fast back-off, small limits; returns a function to change more."""
    overrides = []

    def apply(**values):
        o = override_settings(CONDUIT={**settings.CONDUIT, **values})
        o.enable()
        overrides.append(o)

    apply(WEBHOOK_ALLOWED_HOSTS=[f"127.0.0.1:{receiver.port}"], WEBHOOK_RETRY_BASE_SECONDS=0.02,
          WEBHOOK_RETRY_MAX_SECONDS=0.1, WEBHOOK_TIMEOUT=2.0, WEBHOOK_DISABLE_AFTER=50)
    yield apply
    worker.sender.wait_idle(10)
    worker.sender._due.clear()  # this test's tenants are gone with it
    for o in reversed(overrides):
        o.disable()


@pytest.fixture
def site(client, make_tenant, webhook_settings):
    api = Api(client, make_tenant())
    api.owner = api.user("owner", owner=True)
    api.reader = api.user("reader")
    return api


def run_sender(until, timeout=10.0):
    """Call the task (as the worker's thread does) until `until()` is true."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker.tick()
        worker.sender.wait_idle(5)
        if until():
            return
        time.sleep(0.01)
    raise AssertionError("the sender did not get there in time")
