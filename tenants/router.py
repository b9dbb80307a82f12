"""Route each model to the control database or the current tenant's database; fail closed."""
from conduit.conf import conduit_settings
from tenants.connections import ALIAS_PREFIX, ensure_alias
from tenants.context import current_tenant, require_tenant

CONTROL_APPS = {"tenants", "admin", "sessions", "conduit"}
SHARED_APPS = {"auth", "contenttypes", "accounts"}  # users: per tenant, operators in the control DB


def _tenant_alias(required):
    tenant = require_tenant() if required else current_tenant()
    return ensure_alias(tenant) if tenant else None


class TenantRouter:
    """Control apps → default; shared apps → tenant if any, else default; all others → tenant, or raise."""

    def db_for_read(self, model, **hints):
        if not conduit_settings.ROUTING_ENABLED:  # single-database mode: everything lives in the control DB
            return "default"
        app = model._meta.app_label
        if app in CONTROL_APPS:
            return "default"
        if app in SHARED_APPS:
            return _tenant_alias(required=False) or "default"
        return _tenant_alias(required=True)

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return obj1._state.db == obj2._state.db

    def allow_migrate(self, db, app_label, **hints):
        if not conduit_settings.ROUTING_ENABLED:
            return db == "default"
        is_tenant_db = db.startswith(ALIAS_PREFIX)
        if app_label in CONTROL_APPS:
            return not is_tenant_db
        if app_label in SHARED_APPS:
            return True
        return is_tenant_db
