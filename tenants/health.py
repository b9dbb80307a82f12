"""The tenant database's health check (registered with the kernel's /api/health registry)."""
from django.db import connections

from conduit.health import register
from tenants.connections import ensure_alias
from tenants.context import current_tenant


@register("tenant_db")
def _tenant_db():
    tenant = current_tenant()
    if tenant is None:
        return {"skipped": "not a tenant host"}
    connection = connections[ensure_alias(tenant)]
    if connection.vendor == "mongodb":  # no SQL there: the server's own ping, on the tenant's database
        connection.database.command("ping")
        return {"tenant": tenant.slug}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"tenant": tenant.slug}
