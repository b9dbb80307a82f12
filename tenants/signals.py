"""Registry change notification, and the hook other apps use to drop tenant-owned data on purge."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from tenants.models import Domain, Tenant

# Sent with `tenant` (a TenantInfo) after a purge removed the tenant's database. Receivers drop the
# tenant's media, search index, etc.; they must not raise for data that is already gone.
tenant_purged = Signal()


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def _registry_changed(**kwargs):
    from tenants.registry import registry_changed

    registry_changed()
