"""Events whose indexing failed: retried with exponential backoff, then kept as dead letters for operators."""
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conduit.conf import conduit_settings
from conduit.metrics import EVENTS_FAILED
from events.event import Event
from events.models import FailedEvent

LEASE = timedelta(seconds=60)
MAX_DELAY = 3600.0


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2x base, 4x base, ... capped at an hour."""
    exponent = min(max(0, attempts - 1), 20)
    return timedelta(seconds=min(MAX_DELAY, conduit_settings.WORKER_RETRY_BASE_SECONDS * 2**exponent))


def failure_record(*, event: Event, error: BaseException, attempts: int = 1) -> FailedEvent:
    """Schedule a retry after `attempts` failures, or dead-letter the event after the last allowed attempt."""
    dead = attempts >= conduit_settings.WORKER_MAX_ATTEMPTS
    EVENTS_FAILED.labels(outcome="dead" if dead else "retry").inc()
    failure, _ = FailedEvent.objects.update_or_create(
        event_id=event.id,
        defaults={
            "payload": event.to_dict(), "tenant": event.tenant, "type": event.type, "attempts": attempts,
            "status": FailedEvent.Status.DEAD if dead else FailedEvent.Status.RETRYING,
            "last_error": f"{type(error).__name__}: {error}"[:2000],
            "next_attempt_at": timezone.now() + retry_delay(attempts), "leased_until": None,
        },
    )
    return failure


def failures_claim_due(*, limit: int) -> list[FailedEvent]:
    """Lease retries that are due, so that concurrent workers never run the same one twice at once."""
    now = timezone.now()
    due = (
        FailedEvent.objects.filter(status=FailedEvent.Status.RETRYING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at")
    )
    if not due.exists():  # the common case: no write transaction (SQLite: no write lock) at all
        return []
    with transaction.atomic(using="default"):
        ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
        FailedEvent.objects.filter(id__in=ids).update(leased_until=now + LEASE)
    return list(FailedEvent.objects.filter(id__in=ids))


def failures_resolved(*, event_ids: Iterable[str]) -> None:
    FailedEvent.objects.filter(event_id__in=list(event_ids)).delete()


def failures_requeue(*, ids: Iterable[int]) -> int:
    """Operators' action: give dead letters a fresh round of attempts, starting now."""
    return FailedEvent.objects.filter(id__in=list(ids)).update(
        status=FailedEvent.Status.RETRYING, attempts=0, next_attempt_at=timezone.now(), leased_until=None
    )


def failures_pending() -> int:
    return FailedEvent.objects.filter(status=FailedEvent.Status.RETRYING).count()
