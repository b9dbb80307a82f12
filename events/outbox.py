"""Transactional outbox: the event is written with the change, published after commit, re-published if left."""
import logging
import time
import uuid
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from conduit.metrics import EVENTS_PUBLISHED, PUBLISH_FAILURES
from events.bus import get_bus
from events.event import TYPES, Event
from events.models import DirtyTenant, OutboxEvent
from tenants.connections import ensure_alias
from tenants.context import TenantInfo, require_tenant

log = logging.getLogger(__name__)
PUBLISH_LIMIT = 500
BREAKER_SECONDS = 5.0  # after a failed publish, requests skip the bus this long (the worker sweeps instead)
_breaker_open_until = 0.0


def outbox_record(*, event_type: str, entity: str, entity_id: str, using: str) -> None:
    """Write the event into the tenant's outbox on `using` (same transaction) and publish after commit."""
    if event_type not in TYPES:
        raise ValueError(f"unknown content event type {event_type!r}")
    tenant = require_tenant()
    OutboxEvent.objects.using(using).create(
        event_id=uuid.uuid4(), type=event_type, entity=entity, entity_id=entity_id, occurred_at=timezone.now()
    )
    transaction.on_commit(partial(_publish_after_commit, tenant), using=using)


def _publish_after_commit(tenant: TenantInfo) -> None:
    global _breaker_open_until
    if time.monotonic() < _breaker_open_until:
        outbox_mark_dirty(slug=tenant.slug)
        return
    try:
        outbox_publish(tenant=tenant)
    except Exception as exc:  # the commit stands; the event waits in the outbox for the worker's sweep
        _breaker_open_until = time.monotonic() + BREAKER_SECONDS
        PUBLISH_FAILURES.inc()
        log.warning("event publish failed; kept in the outbox", extra={"tenant": tenant.slug, "error": str(exc)})
        outbox_mark_dirty(slug=tenant.slug)


def outbox_publish(*, tenant: TenantInfo, min_age: float = 0.0) -> int:
    """Publish the unpublished outbox rows of `tenant` (older than `min_age` s) in id order; raises if refused."""
    alias = ensure_alias(tenant)
    published = 0
    while True:
        pending = OutboxEvent.objects.using(alias).filter(published_at__isnull=True)
        if min_age:
            pending = pending.filter(occurred_at__lt=timezone.now() - timedelta(seconds=min_age))
        rows = list(pending.order_by("id")[:PUBLISH_LIMIT])
        if not rows:
            return published
        events = [
            Event(id=str(r.event_id), type=r.type, tenant=tenant.slug, entity=r.entity, entity_id=r.entity_id,
                  occurred_at=r.occurred_at.isoformat(timespec="microseconds"))
            for r in rows
        ]
        get_bus().publish(events)
        OutboxEvent.objects.using(alias).filter(id__in=[r.id for r in rows]).update(published_at=timezone.now())
        for event in events:
            EVENTS_PUBLISHED.labels(type=event.type).inc()
        published += len(rows)
        if len(rows) < PUBLISH_LIMIT:
            return published


def outbox_mark_dirty(*, slug: str) -> None:
    """Flag a tenant whose outbox holds unpublished events, so the worker sweeps it within a second."""
    try:
        DirtyTenant.objects.update_or_create(slug=slug, defaults={"marked_at": timezone.now()})
    except Exception:  # the control DB is down too: the full sweep will still find the rows
        log.exception("could not mark the tenant's outbox dirty", extra={"tenant": slug})


def outbox_prune(*, tenant: TenantInfo, older_than_seconds: float = 86400) -> int:
    """Drop outbox rows published more than a day ago."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    deleted, _ = OutboxEvent.objects.using(ensure_alias(tenant)).filter(published_at__lt=cutoff).delete()
    return deleted
