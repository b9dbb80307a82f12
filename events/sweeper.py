"""Re-publish outbox rows left unpublished: dirty tenants within a second, every tenant on a slow cycle."""
import logging

from events.models import DirtyTenant
from events.outbox import outbox_prune, outbox_publish
from tenants.models import Tenant

log = logging.getLogger(__name__)
LIVE = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


def sweep_dirty(*, limit: int = 200) -> int:
    """Publish the outboxes of tenants flagged by a failed publish; a flag is cleared only once it is drained."""
    published = 0
    for marker in DirtyTenant.objects.order_by("marked_at")[:limit]:
        tenant = Tenant.objects.filter(slug=marker.slug, status__in=LIVE).first()
        try:
            if tenant is not None:
                published += outbox_publish(tenant=tenant.info())
        except Exception as exc:  # the bus is still down: keep the flag, try again next round
            log.warning("outbox sweep failed", extra={"tenant": marker.slug, "error": str(exc)})
            continue
        DirtyTenant.objects.filter(pk=marker.pk, marked_at__lte=marker.marked_at).delete()
    return published


def sweep_all(*, min_age: float = 5.0, prune: bool = True) -> int:
    """Publish every live tenant's leftover outbox rows (e.g. a process killed between commit and publish).

    Rows younger than `min_age` seconds are left to the request that wrote them, which publishes them itself.
    """
    published = 0
    for tenant in Tenant.objects.filter(status__in=LIVE).iterator():
        info = tenant.info()
        try:
            published += outbox_publish(tenant=info, min_age=min_age)
            if prune:
                outbox_prune(tenant=info)
        except Exception as exc:
            log.warning("outbox sweep failed", extra={"tenant": info.slug, "error": str(exc)})
    return published
