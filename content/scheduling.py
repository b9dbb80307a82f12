"""Scheduled publishing (issue 13): the worker publishes due scheduled articles, exactly once, within a tick.

Which tenants to look at. Querying every tenant's database each tick would cost one query (and, past the connection
cap, one connection) per tenant per tick: 2,000 tenants at 4 ticks/s is 8,000 queries/s to find nothing. Instead
each tenant with scheduled articles has a `ScheduleMarker` row in the control database holding a lower bound of its
next due time, so a tick is ONE indexed query over all tenants (`next_due <= now`, joined with the active, writable
tenants), and only tenants with something due are opened.

- Scheduling (or rescheduling) lowers the marker (never raises it) and bumps its version, once before the tenant
  commit and once after it (`note_schedule`): a crash between commit and marker write is covered by the first.
- After a tenant's due articles are published the worker recomputes its next due time (`MIN(publish_at)` on the
  (status, publish_at) index) and stores it only if the marker's version is unchanged (compare-and-set): a schedule
  that committed meanwhile bumped the version, so its lower value is never overwritten.
- A slow repair sweep (`CONDUIT_SCHEDULE_SWEEP_SECONDS`, spread over the ticks a few tenants at a time; the first
  call of a worker sweeps all) re-derives markers from the tenants' own data, for what the marker missed: an
  imported or restored tenant, a control-DB outage at schedule time.

Exactly once: a tenant's due rows are taken with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (a second worker
skips them, and after the commit they are no longer 'scheduled'); on MongoDB each due row is claimed in its own
transaction (re-read as still scheduled, then written; a concurrent claimer write-conflicts and skips it: see
tenants.db.take_each); SQLite tenant transactions are `BEGIN IMMEDIATE`
(tenants/connections.py), so two workers' read-then-write transactions on one tenant are serialised and the second
finds nothing due. Each article is saved through the ORM, so content/signals.py sees scheduled → published and writes
the same `article.published` outbox event as a manual publish, in the same transaction.

Markers live in the control DB, so a worker that was down finds the overdue tenants on its first tick; read-only
(moving) and suspended tenants are skipped and published once they are writable again.
"""
import logging
import math
import time

from django.db import IntegrityError, router, transaction
from django.db.models import F, Min, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from conduit.conf import conduit_settings
from content.models import Article, ScheduleMarker
from tenants.context import tenant_context
from tenants.db import take_each, tenant_on_commit
from tenants.models import Tenant

log = logging.getLogger(__name__)
SCHEDULED, PUBLISHED = Article.Status.SCHEDULED, Article.Status.PUBLISHED
BATCH = 200  # articles published per tenant transaction
TENANTS_PER_TICK = 500  # tenants with something due handled per tick (the rest on the next one, oldest first)


def _writable_tenants():
    return Tenant.objects.filter(status=Tenant.Status.ACTIVE, read_only=False)


# --- markers (control DB) ---------------------------------------------------------------------------------------

def note_schedule(*, slug: str, publish_at) -> None:
    """Lower `slug`'s marker to `publish_at` if that is earlier, and bump its version. Never raises: the repair
    sweep finds what a failed write missed."""
    try:
        lowered = Least(Coalesce(F("next_due"), Value(publish_at)), Value(publish_at))
        if ScheduleMarker.objects.filter(slug=slug).update(next_due=lowered, version=F("version") + 1):
            return
        try:
            with transaction.atomic(using=router.db_for_write(ScheduleMarker)):
                ScheduleMarker.objects.create(slug=slug, next_due=publish_at)
        except IntegrityError:  # created concurrently: lower that one
            ScheduleMarker.objects.filter(slug=slug).update(next_due=lowered, version=F("version") + 1)
    except Exception:
        log.exception("could not note a scheduled article; the repair sweep will", extra={"tenant": slug})


def schedule_noted(*, slug: str, publish_at) -> None:
    """Called by the service that schedules inside its tenant transaction: note now and again after commit."""
    note_schedule(slug=slug, publish_at=publish_at)
    tenant_on_commit(lambda: note_schedule(slug=slug, publish_at=publish_at))


# --- one tenant (in its context) --------------------------------------------------------------------------------

def publish_due(*, now=None) -> int:
    """Publish the current tenant's scheduled articles due at `now` (default: now); returns how many."""
    now = now or timezone.now()
    published = 0
    while True:
        taken = take_each(Article.objects.filter(status=SCHEDULED, publish_at__lte=now).order_by("publish_at", "id"),
                          BATCH, _publish)
        published += taken
        if taken < BATCH:
            return published


def _publish(article) -> None:
    article.status = PUBLISHED
    article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])  # → article.published


def next_due():
    """The earliest publish_at of the current tenant's scheduled articles (an index seek), or None."""
    return Article.objects.filter(status=SCHEDULED).aggregate(first=Min("publish_at"))["first"]


# --- the worker task ----------------------------------------------------------------------------------------------

def publish_due_all(*, now=None) -> int:
    """One tick: every active, writable tenant whose marker is due publishes its due articles; returns how many."""
    now = now or timezone.now()
    markers = list(ScheduleMarker.objects.filter(next_due__lte=now, slug__in=_writable_tenants().values("slug"))
                   .order_by("next_due")[:TENANTS_PER_TICK])
    if not markers:
        return 0
    tenants = {t.slug: t for t in _writable_tenants().filter(slug__in=[m.slug for m in markers])}
    published = 0
    for marker in markers:
        tenant = tenants.get(marker.slug)
        if tenant is None:
            continue
        try:
            with tenant_context(tenant.info()):
                published += publish_due(now=now)
                following = next_due()
            ScheduleMarker.objects.filter(pk=marker.pk, version=marker.version).update(next_due=following)
        except Exception:
            log.exception("scheduled publishing failed for a tenant; retried next tick", extra={"tenant": marker.slug})
    return published


def next_due_any():
    """The earliest marker of an active, writable tenant (walks the next_due index, stops at the first), or None."""
    return (ScheduleMarker.objects.filter(next_due__isnull=False, slug__in=_writable_tenants().values("slug"))
            .order_by("next_due").values_list("next_due", flat=True).first())


def sweep(tenants) -> int:
    """Re-derive the markers of `tenants` (Tenant rows) from their own data; returns how many have scheduled ones."""
    found = 0
    for tenant in tenants:
        try:
            with tenant_context(tenant.info()):
                first = next_due()
        except Exception:
            log.exception("scheduled-publishing sweep failed for a tenant", extra={"tenant": tenant.slug})
            continue
        if first is not None:
            found += 1
            note_schedule(slug=tenant.slug, publish_at=first)
    return found


class ScheduledPublisher:
    """The registered task (one instance per worker process, called from one thread).

    Each call publishes what is due, sweeps a slice of the tenants (the whole set every `sweep_seconds`), and waits
    for what falls due before the next call, so lateness is the work itself, not up to a tick. The first call sweeps
    every tenant (a worker that was down, an imported tenant), publishing what is due between small batches of it,
    so a long start-up sweep over thousands of tenants never holds back what comes due meanwhile.
    """

    SWEEP_BATCH = 10  # tenants between two checks of what is due, in the first call's full sweep

    def __init__(self, *, every: float, sweep_seconds: float):
        self.every, self.sweep_seconds = every, sweep_seconds
        self.cursor, self.slice, self.started = 0, 1, False

    def __call__(self) -> int:
        published = publish_due_all()
        if not self.started:
            self.started = True
            published += self._sweep_everything()
        else:
            self._sweep_slice()
        upcoming = next_due_any()
        if upcoming is not None:
            wait = (upcoming - timezone.now()).total_seconds()
            if wait < self.every:
                time.sleep(max(0.0, wait) + 0.001)
                published += publish_due_all()
        return published

    def _sweep_everything(self) -> int:
        published, cursor, checked = 0, 0, time.monotonic()
        check_every = min(0.05, self.every)
        while True:
            batch = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE, id__gt=cursor)
                         .order_by("id")[:self.SWEEP_BATCH])
            sweep(batch)
            if len(batch) < self.SWEEP_BATCH or time.monotonic() - checked >= check_every:
                published += publish_due_all()  # overdue ones the sweep found, and what came due meanwhile
                checked = time.monotonic()
            if len(batch) < self.SWEEP_BATCH:
                self._size_slice()
                return published
            cursor = batch[-1].id

    def _size_slice(self) -> None:
        ticks = max(1.0, self.sweep_seconds / self.every)
        self.slice = max(1, math.ceil(Tenant.objects.filter(status=Tenant.Status.ACTIVE).count() / ticks))

    def _sweep_slice(self) -> None:
        batch = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE, id__gt=self.cursor).order_by("id")[:self.slice])
        sweep(batch)
        if len(batch) < self.slice:  # a full cycle done: start over, sized for today's tenant count
            self.cursor = 0
            self._size_slice()
        else:
            self.cursor = batch[-1].id


def _forget_tenant(sender, tenant, **kwargs):
    ScheduleMarker.objects.filter(slug=tenant.slug).delete()


def register() -> None:
    """Register the task with the worker, and drop a purged tenant's marker (content's AppConfig.ready())."""
    from events.subscribers import register_task
    from tenants.signals import tenant_purged

    tenant_purged.connect(_forget_tenant, dispatch_uid="content.scheduling.tenant_purged")

    every = conduit_settings.SCHEDULE_TICK_SECONDS
    register_task("scheduled-publishing",
                  ScheduledPublisher(every=every, sweep_seconds=conduit_settings.SCHEDULE_SWEEP_SECONDS), every=every)

