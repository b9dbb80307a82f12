"""Transactions on the current tenant's database (plain `transaction.atomic()` would use the control DB)."""
from django.db import transaction

from tenants.connections import ensure_alias
from tenants.context import require_tenant


def tenant_alias():
    """The database alias of the tenant in context; raises TenantNotSet outside one."""
    return ensure_alias(require_tenant())


def tenant_atomic(**kwargs):
    return transaction.atomic(using=tenant_alias(), **kwargs)


def tenant_on_commit(func, robust=False):
    transaction.on_commit(func, using=tenant_alias(), robust=robust)
