"""The webhooks' part of the worker (registered in WebhooksConfig.ready through events.subscribers):

- `on_events` (subscriber): queue a Delivery per subscribed active endpoint for each consumed event, then send what
  is due for those tenants at once.
- `tick` (task, every WEBHOOK_TICK_SECONDS): record finished attempts, then claim and send the deliveries that are
  due (retries, redeliveries, anything another worker left), tenant by tenant, for tenants marked in WebhookDue.

Sending happens on a thread pool: the task and the subscriber only claim rows and submit them, never wait for an
answer, so a slow or failing endpoint holds one of its own slots (at most WEBHOOK_ENDPOINT_CONCURRENCY per endpoint)
and nothing else. Only this module's calling threads touch the databases; pool threads do DNS, HTTP and signing and
hand the outcome back through a queue. A worker killed mid-send leaves its claims leased: they come due again when
the lease expires (at-least-once delivery; receivers de-duplicate by `Conduit-Event-Id`).
"""
import json
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.utils import timezone

from conduit.conf import conduit_settings
from events.event import Event
from tenants.context import TenantInfo, tenant_context
from tenants.models import Tenant
from tenants.selectors import TenantNotFound
from webhooks import safety, services, transport
from webhooks.models import Delivery, WebhookDue
from webhooks.payloads import CONSUMED
from webhooks.signing import signature

log = logging.getLogger(__name__)
USER_AGENT = "Conduit-Webhooks/1.0"
LIVE = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


class Sender:
    """Claims, submits and records; one per process (`sender`), shared by the subscriber and the task."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = None
        self._inflight = Counter()  # (tenant slug, endpoint id) -> attempts in flight in this process
        self._done = queue.Queue()  # (TenantInfo, Delivery, transport.Answer)
        self._due = {}  # tenant slug -> [TenantInfo, due datetime, version]: this process' retries, no DB writes
        self._swept_at = None  # monotonic time of the last repair sweep of every tenant (None: at the first tick)

    def note_due(self, tenant: TenantInfo, at=None) -> None:
        at = at or timezone.now()
        with self._lock:
            entry = self._due.get(tenant.slug)
            if entry is None:
                self._due[tenant.slug] = [tenant, at, 1]
            else:
                entry[1], entry[2] = min(entry[1], at), entry[2] + 1

    def due_now(self) -> list:
        now = timezone.now()
        with self._lock:
            return [(info, version) for info, at, version in self._due.values() if at <= now]

    def settle(self, tenant: TenantInfo, version: int, next_at) -> None:
        """Move (or drop) this process' due time for `tenant`, unless it was noted again meanwhile."""
        with self._lock:
            entry = self._due.get(tenant.slug)
            if entry is None or entry[2] != version:
                return
            if next_at is None:
                del self._due[tenant.slug]
            else:
                entry[1] = next_at

    @property
    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=conduit_settings.WEBHOOK_THREADS,
                                                thread_name_prefix="webhook")
            return self._pool

    def inflight(self) -> int:
        with self._lock:
            return sum(self._inflight.values())

    # --- in the calling thread (DB) ---

    def dispatch(self, tenant: TenantInfo) -> int:
        """Claim and submit the due deliveries of `tenant` (in its context), within this process' free slots;
        returns how many went to the pool."""
        threads, per_endpoint = conduit_settings.WEBHOOK_THREADS, conduit_settings.WEBHOOK_ENDPOINT_CONCURRENCY
        with self._lock:
            free = threads * 2 - sum(self._inflight.values())
            busy = [endpoint for (slug, endpoint), n in self._inflight.items() if slug == tenant.slug
                    and n >= per_endpoint]
        if free <= 0:
            return 0
        lease = conduit_settings.WEBHOOK_TIMEOUT * 2 + 30
        claimed = services.claim_due(limit=min(free, 100), skip_endpoints=busy, lease_seconds=lease)
        submitted = 0
        for delivery in claimed:
            key = (tenant.slug, delivery.endpoint_id)
            with self._lock:
                over = self._inflight[key] >= per_endpoint
                if not over:
                    self._inflight[key] += 1
            if over:  # claimed beyond the endpoint's slots in this batch: hand it back, due now
                Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(leased_until=None, claim="")
                self.note_due(tenant)
                continue
            self.pool.submit(self._send, tenant, delivery)
            submitted += 1
        return submitted

    def record(self) -> int:
        """Write the outcomes the pool finished (grouped by tenant); returns how many."""
        finished = []
        while True:
            try:
                finished.append(self._done.get_nowait())
            except queue.Empty:
                break
        by_tenant = {}
        for tenant, delivery, answer in finished:
            by_tenant.setdefault(tenant.slug, (tenant, []))[1].append((delivery, answer))
        for tenant, items in by_tenant.values():
            try:
                with tenant_context(tenant):
                    failed = False
                    for delivery, answer in items:
                        ok = answer.status is not None and 200 <= answer.status < 300
                        error = answer.error or ("" if ok else f"HTTP {answer.status}")
                        services.attempt_record(delivery=delivery, ok=ok, status_code=answer.status,
                                                latency_ms=answer.latency_ms, error=error)
                        failed = failed or not ok
                    if failed:
                        self.note_due(tenant)  # a retry is scheduled: the next tick settles on its time
            except Exception:
                log.exception("webhook attempts not recorded (the lease expires and they are sent again)",
                              extra={"tenant": tenant.slug, "deliveries": len(items)})
        return len(finished)

    # --- in a pool thread (no DB) ---

    def _send(self, tenant: TenantInfo, delivery: Delivery) -> None:
        try:
            answer = deliver(delivery.endpoint.url, delivery.endpoint.secret, delivery.payload, delivery.event_id)
        except Exception as exc:  # never lose the slot
            answer = transport.Answer(None, f"{type(exc).__name__}: {exc}"[:1000], 0.0)
        finally:
            with self._lock:
                key = (tenant.slug, delivery.endpoint_id)
                self._inflight[key] -= 1
                if self._inflight[key] <= 0:
                    del self._inflight[key]
        self._done.put((tenant, delivery, answer))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until nothing is in flight (tests, shutdown); then record. True if idle in time."""
        deadline = time.monotonic() + timeout
        while self.inflight() and time.monotonic() < deadline:
            time.sleep(0.01)
        self.record()
        return not self.inflight()


def deliver(url: str, secret: str, payload: dict, event_id: str) -> transport.Answer:
    """One attempt: check the URL again (after DNS resolution), sign the exact body, POST to the checked address."""
    started = time.perf_counter()
    try:
        target = safety.check(url)
    except safety.UnsafeUrl as exc:
        return transport.Answer(None, f"refused: {exc}", (time.perf_counter() - started) * 1000)
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Conduit-Event-Id": event_id,
               "Conduit-Signature": signature(secret, body)}
    return transport.post(target, body, headers, timeout=conduit_settings.WEBHOOK_TIMEOUT,
                          max_bytes=conduit_settings.WEBHOOK_MAX_RESPONSE_BYTES)


sender = Sender()


def site_of(tenant: TenantInfo) -> dict:
    return {"slug": tenant.slug, "name": tenant.name or tenant.slug}


def on_events(events: Sequence[Event]) -> None:
    """Subscriber: queue deliveries for the subscribable events, tenant by tenant, and send at once."""
    by_tenant = {}
    for event in events:
        if event.type in CONSUMED:
            by_tenant.setdefault(event.tenant, []).append(event)
    for slug, tenant_events in by_tenant.items():
        try:
            with tenant_context(slug) as tenant:
                queued = services.deliveries_queue(tenant_events, site_of(tenant))
                if queued and sender.dispatch(tenant) < queued:
                    sender.note_due(tenant)  # no free slot for some (or a duplicate): the task picks them up
        except TenantNotFound:
            continue  # purged meanwhile: nothing to tell anyone
        except Exception:
            log.exception("webhook deliveries not queued", extra={"tenant": slug, "events": len(tenant_events)})


def tick() -> None:
    """Task: record finished attempts, then claim and submit what is due: this process' retries (in memory), the
    tenants a web process marked in the control DB (redeliver, re-enable), and, every WEBHOOK_SWEEP_SECONDS and at
    start, every live tenant (what a worker that died left behind, once its leases expire)."""
    sender.record()
    now = timezone.now()
    if sender._swept_at is None or time.monotonic() - sender._swept_at >= conduit_settings.WEBHOOK_SWEEP_SECONDS:
        sender._swept_at = time.monotonic()
        for tenant in Tenant.objects.filter(status__in=LIVE).iterator():
            sender.note_due(tenant.info(), now)
    for info, version in sender.due_now():
        try:
            with tenant_context(info):
                sender.dispatch(info)
                sender.settle(info, version, services.next_due())
        except Exception:
            log.exception("webhook dispatch failed", extra={"tenant": info.slug})
            sender.settle(info, version, timezone.now() + timedelta(seconds=5))
    for marker in WebhookDue.objects.filter(due_at__lte=now).order_by("due_at")[:500]:
        tenant = Tenant.objects.filter(slug=marker.slug, status__in=LIVE).first()
        if tenant is None:
            WebhookDue.objects.filter(pk=marker.pk, version=marker.version).delete()
            continue
        try:
            with tenant_context(tenant.info()) as info:
                sender.dispatch(info)
                services.due_settle(slug=info.slug, seen_version=marker.version)
        except Exception:
            log.exception("webhook dispatch failed", extra={"tenant": marker.slug})
