"""A purged tenant leaves nothing behind in the pipeline's control-DB state."""
from django.dispatch import receiver

from events.models import DirtyTenant, FailedEvent
from tenants.signals import tenant_purged


@receiver(tenant_purged, dispatch_uid="events.tenant_purged")
def _forget_tenant(sender, tenant, **kwargs):
    FailedEvent.objects.filter(tenant=tenant.slug).delete()
    DirtyTenant.objects.filter(slug=tenant.slug).delete()
