"""Who the current tenant is, for the kernel (auth, logging, health): the ContextVar tenancy sets (tenancy rule 2).

The kernel only reads it; tenants.context sets it (middleware, tenant_context) and owns the TenantInfo it holds.
"""
from contextvars import ContextVar

CURRENT_TENANT = ContextVar("conduit_tenant", default=None)  # a tenants.context.TenantInfo, or None


def current_tenant():
    return CURRENT_TENANT.get()


def current_tenant_slug():
    tenant = CURRENT_TENANT.get()
    return tenant.slug if tenant else None
