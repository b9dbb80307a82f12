"""Reads of the tenant registry."""
from conduit.exceptions import NotFound
from tenants.models import AuditLog, Tenant


class TenantNotFound(NotFound):
    def __init__(self, message: str):
        super().__init__("slug", message)


def tenant_get(*, slug):
    try:
        return Tenant.objects.prefetch_related("domains").get(slug=slug)
    except Tenant.DoesNotExist:
        raise TenantNotFound(f"unknown tenant '{slug}'") from None


def tenant_list(*, status=None, include_deleted=True):
    qs = Tenant.objects.prefetch_related("domains").order_by("slug")
    if status:
        qs = qs.filter(status=status)
    elif not include_deleted:
        qs = qs.exclude(status=Tenant.Status.DELETED)
    return qs


def audit_list(*, target=None):
    qs = AuditLog.objects.all()
    return qs.filter(target=target) if target else qs
