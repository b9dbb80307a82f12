"""Drop a purged tenant's media (tenants.signals.tenant_purged)."""
import logging

from django.dispatch import receiver

from media.services import media_purge_tenant
from tenants.models import Tenant
from tenants.signals import tenant_purged

logger = logging.getLogger(__name__)


@receiver(tenant_purged, sender=Tenant)
def _purge_media(*, tenant, **kwargs):
    try:
        media_purge_tenant(tenant_slug=tenant.slug)
    except Exception:  # other receivers (search index, ...) must still run; the error is logged for the operator
        logger.exception("media: purge of tenant %s failed; objects remain under %s/", tenant.slug, tenant.slug)
