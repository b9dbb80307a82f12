"""Transactions on the current tenant's database (plain `transaction.atomic()` would use the control DB)."""
from django.db import connections, transaction

from tenants.connections import ensure_alias
from tenants.context import require_tenant


def tenant_alias():
    """The database alias of the tenant in context; raises TenantNotSet outside one."""
    return ensure_alias(require_tenant())


def tenant_atomic(**kwargs):
    alias = tenant_alias()
    if connections[alias].vendor == "mongodb":  # spike 14: Django's atomic() is a no-op on django-mongodb-backend
        from django_mongodb_backend import transaction as mongo_transaction

        return mongo_transaction.atomic(using=alias)
    return transaction.atomic(using=alias, **kwargs)


def tenant_on_commit(func, robust=False):
    transaction.on_commit(func, using=tenant_alias(), robust=robust)
