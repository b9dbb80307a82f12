"""The current tenant lives in a ContextVar: set by the middleware or `tenant_context`, always reset."""
from contextlib import contextmanager

from conduit.context import CURRENT_TENANT as _current
from conduit.context import current_tenant, current_tenant_slug  # noqa: F401  (the kernel reads them; so do apps)
from tenants.info import TenantInfo  # noqa: F401  (the snapshot the context holds)


class TenantNotSet(RuntimeError):
    """A tenant-scoped model was used with no tenant in context (fail closed)."""


def require_tenant():
    tenant = _current.get()
    if tenant is None:
        raise TenantNotSet("No tenant in context: tenant-scoped data cannot be used here.")
    return tenant


def as_info(tenant):
    """Accept a Tenant model instance, a TenantInfo or a slug."""
    if isinstance(tenant, TenantInfo):
        return tenant
    if isinstance(tenant, str):
        from tenants.selectors import tenant_get  # the registry is read only for a slug

        return tenant_get(slug=tenant).info()
    return tenant.info()


@contextmanager
def tenant_context(tenant):
    """Run a block as `tenant` (a Tenant, TenantInfo or slug); the previous context is restored after."""
    token = _current.set(as_info(tenant))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextmanager
def no_tenant():
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)
