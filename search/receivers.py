"""Hooks into the platform: drop a purged tenant's index, report the search backend in /api/health."""
from django.dispatch import receiver

from conduit.health import register
from search.backends import get_backend
from search.enrichment import embedder
from tenants.context import current_tenant
from tenants.models import Tenant
from tenants.signals import tenant_purged


@receiver(tenant_purged, sender=Tenant, dispatch_uid="search-drop-index")
def _drop_index(*, tenant, **kwargs):
    from search.services import search_index_drop

    search_index_drop(tenant=tenant.slug)


@register("search")
def _search_health():
    backend = get_backend()
    detail = {**backend.health(), "embedding_model_loaded": embedder.ready()}
    tenant = current_tenant()
    if tenant is not None:
        detail.update(backend.stats(tenant.slug))
    return detail
