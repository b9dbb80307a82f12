"""Webhook writes: endpoints (owners, audited), deliveries queued from consumed events, attempts recorded."""
import random
import secrets
import uuid
from datetime import timedelta

from django.db import IntegrityError
from django.db.models import F, Min, Value
from django.db.models.functions import Least
from django.utils import timezone

from accounts.audit import audit_record
from conduit.conf import conduit_settings
from conduit.exceptions import Invalid
from conduit.messages import MESSAGES
from tenants.context import require_tenant
from tenants.db import tenant_alias, tenant_atomic
from webhooks import safety
from webhooks.models import Delivery, DisabledEndpoint, Endpoint, WebhookDue
from webhooks.payloads import SUBSCRIBABLE, body, published_on_create


def clean_url(url: str) -> str:
    """The URL as stored, if it is one the platform would call now (checked after DNS resolution); else 422."""
    try:
        safety.check(url)
    except safety.UnsafeUrl as exc:
        raise Invalid("url", str(exc)) from None
    return url.strip()


def clean_events(events) -> list[str]:
    if not isinstance(events, list) or not events:
        raise Invalid("events", MESSAGES["blank"])
    unknown = [e for e in events if e not in SUBSCRIBABLE]
    if unknown:
        raise Invalid("events", f"{MESSAGES['not_included']}: {', '.join(map(str, unknown))[:200]} "
                                f"(subscribable: {', '.join(SUBSCRIBABLE)})")
    return list(dict.fromkeys(events))


def endpoint_create(*, actor, url: str, events: list, active: bool = True) -> Endpoint:
    url, events = clean_url(url), clean_events(events)
    with tenant_atomic():
        endpoint = Endpoint.objects.using(tenant_alias()).create(
            url=url, events=events, active=active, secret="whsec_" + secrets.token_urlsafe(32))
        audit_record(actor=actor, action="webhook.create", target=f"webhook:{endpoint.pk}",
                     detail={"url": url, "events": events, "active": active})
    return endpoint


def endpoint_update(*, actor, endpoint: Endpoint, data: dict) -> Endpoint:
    changes = {}
    if "url" in data and data["url"] != endpoint.url:
        changes["url"] = clean_url(data["url"])
    if "events" in data:
        events = clean_events(data["events"])
        if events != endpoint.events:
            changes["events"] = events
    if "active" in data and data["active"] != endpoint.active:
        changes["active"] = data["active"]
    if not changes:
        return endpoint
    before = {name: getattr(endpoint, name) for name in changes}
    for name, value in changes.items():
        setattr(endpoint, name, value)
    reenabled = changes.get("active") is True
    if reenabled:  # an owner turns it back on: a fresh count, pending deliveries resume now
        endpoint.consecutive_failures, endpoint.disabled_reason, endpoint.disabled_at = 0, "", None
    with tenant_atomic():
        endpoint.save()
        if reenabled:
            Delivery.objects.using(tenant_alias()).filter(
                endpoint=endpoint, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
            ).update(next_attempt_at=timezone.now())
        audit_record(actor=actor, action="webhook.update", target=f"webhook:{endpoint.pk}",
                     detail={"before": before, "after": changes})
    if reenabled:
        DisabledEndpoint.objects.filter(tenant=require_tenant().slug, endpoint_id=endpoint.pk).delete()
        mark_due()
    return endpoint


def endpoint_delete(*, actor, endpoint: Endpoint) -> None:
    with tenant_atomic():
        audit_record(actor=actor, action="webhook.delete", target=f"webhook:{endpoint.pk}",
                     detail={"url": endpoint.url, "events": endpoint.events})
        endpoint.delete()
    DisabledEndpoint.objects.filter(tenant=require_tenant().slug, endpoint_id=endpoint.pk).delete()


def delivery_redeliver(*, actor, delivery: Delivery) -> Delivery:
    """Send a past delivery again (same event id and body): a fresh round of attempts, starting now."""
    now = timezone.now()
    with tenant_atomic():
        Delivery.objects.using(tenant_alias()).filter(pk=delivery.pk).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now, leased_until=None, claim="",
            created_at=now, updated_at=now)  # the 24-hour retry window starts again too
        audit_record(actor=actor, action="webhook.redeliver", target=f"webhook:{delivery.endpoint_id}",
                     detail={"delivery": delivery.pk, "event": delivery.event_id, "type": delivery.type})
    mark_due()
    delivery.refresh_from_db(using=tenant_alias())
    return delivery


# --- the sender's side -------------------------------------------------------------------------------------------

def deliveries_queue(events, site: dict) -> int:
    """Delivery rows for the active endpoints of the tenant in context subscribed to each event (its type), once per
    (endpoint, event id): an event the worker hands over twice (after a restart) is queued once. Returns the rows
    offered (a duplicate is dropped by the unique constraint). The caller sends them or marks the tenant due."""
    endpoints = list(Endpoint.objects.using(tenant_alias()).filter(active=True).only("id", "events"))
    rows, now = [], timezone.now()
    for event in events:
        event_type, state = event.type, None
        if event_type == "article.created":  # created published: its article.published (webhooks.payloads)
            event_type = "article.published"
            if not any(event_type in e.events for e in endpoints):
                continue
            state = published_on_create(event)
            if state is None:
                continue
        wanted = [e for e in endpoints if event_type in e.events]
        if not wanted:
            continue
        payload = body(event, site, event_type=event_type, state=state)
        rows += [Delivery(endpoint_id=e.pk, event_id=event.id, type=event_type, payload=payload,
                          next_attempt_at=now) for e in wanted]
    if not rows:
        return 0
    Delivery.objects.using(tenant_alias()).bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_due(at=None) -> None:
    """Tell the senders (the workers) this tenant has deliveries due at `at` (default now), through the control DB:
    what a web process does (redeliver, re-enable). The marker only ever moves earlier here, and its version grows,
    so a sender settling it concurrently leaves it alone. (Workers keep their own due list in memory.)"""
    slug, at = require_tenant().slug, at or timezone.now()
    updated = WebhookDue.objects.filter(slug=slug).update(due_at=Least(F("due_at"), Value(at)),
                                                          version=F("version") + 1)
    if not updated:
        try:
            WebhookDue.objects.create(slug=slug, due_at=at, version=1)
        except IntegrityError:  # marked concurrently
            mark_due(at)


def next_due():
    """When the tenant in context next has something to send: its earliest retry, or the lease expiry of a delivery
    in flight (a sender that died mid-send); None when nothing is left."""
    open_rows = Delivery.objects.using(tenant_alias()).filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], endpoint__active=True)
    now = timezone.now()
    times = [open_rows.exclude(leased_until__gt=now).aggregate(at=Min("next_attempt_at"))["at"],
             open_rows.filter(leased_until__gt=now).aggregate(at=Min("leased_until"))["at"]]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def due_settle(*, slug: str, seen_version: int) -> None:
    """After a pass: move the tenant's control-DB marker to its next due time, or drop it when nothing is left; only
    if nobody marked it since the pass read it."""
    next_at = next_due()
    marker = WebhookDue.objects.filter(slug=slug, version=seen_version)
    if next_at is None:
        marker.delete()
    else:
        marker.update(due_at=next_at)


def claim_due(*, limit: int, skip_endpoints=(), lease_seconds: float) -> list[Delivery]:
    """Lease up to `limit` due deliveries of the tenant in context: one conditional UPDATE stamps a claim token on
    rows still due and unleased, so of concurrent senders exactly one gets each row."""
    alias, now = tenant_alias(), timezone.now()
    due = (Delivery.objects.using(alias)
           .filter(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], next_attempt_at__lte=now,
                   endpoint__active=True)
           .exclude(leased_until__gt=now))
    if skip_endpoints:
        due = due.exclude(endpoint_id__in=list(skip_endpoints))
    ids = list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    token = uuid.uuid4().hex
    Delivery.objects.using(alias).filter(id__in=ids, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
                                         next_attempt_at__lte=now).exclude(leased_until__gt=now).update(
        claim=token, leased_until=now + timedelta(seconds=lease_seconds))
    return list(Delivery.objects.using(alias).select_related("endpoint").filter(claim=token))


def retry_delay(attempts: int) -> float:
    """Exponential back-off with full jitter: uniform in [0, min(cap, base * 2^(attempts-1))] seconds."""
    ceiling = min(conduit_settings.WEBHOOK_RETRY_MAX_SECONDS,
                  conduit_settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(max(0, attempts - 1), 30))
    return random.uniform(0, ceiling)


def attempt_record(*, delivery: Delivery, ok: bool, status_code, latency_ms: float, error: str) -> None:
    """Write one attempt's outcome; schedule the retry or dead-letter it; count the endpoint's consecutive failures
    and disable it at WEBHOOK_DISABLE_AFTER (telling operators through DisabledEndpoint)."""
    alias, now = tenant_alias(), timezone.now()
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "response_code": status_code, "latency_ms": round(latency_ms, 1),
              "last_error": error[:1000], "leased_until": None, "claim": "", "updated_at": now}
    if ok:
        fields.update(status=Delivery.Status.SUCCEEDED, delivered_at=now, next_attempt_at=None)
    else:
        next_at = now + timedelta(seconds=retry_delay(attempts))
        window_end = delivery.created_at + timedelta(seconds=conduit_settings.WEBHOOK_RETRY_WINDOW_SECONDS)
        if next_at > window_end:
            fields.update(status=Delivery.Status.DEAD, next_attempt_at=None)
        else:
            fields.update(status=Delivery.Status.FAILED, next_attempt_at=next_at)
    Delivery.objects.using(alias).filter(pk=delivery.pk, claim=delivery.claim).update(**fields)
    endpoints = Endpoint.objects.using(alias).filter(pk=delivery.endpoint_id)
    if ok:
        endpoints.exclude(consecutive_failures=0).update(consecutive_failures=0)
        return
    endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
    limit = conduit_settings.WEBHOOK_DISABLE_AFTER
    reason = (f"disabled after {limit} consecutive failed deliveries (last: "
              f"{('HTTP ' + str(status_code)) if status_code else error[:200]})")
    disabled = endpoints.filter(active=True, consecutive_failures__gte=limit).update(
        active=False, disabled_reason=reason[:500], disabled_at=now)
    if disabled:
        endpoint = endpoints.first()
        DisabledEndpoint.objects.update_or_create(
            tenant=require_tenant().slug, endpoint_id=delivery.endpoint_id,
            defaults={"url": endpoint.url if endpoint else "", "reason": reason[:500], "disabled_at": now})
