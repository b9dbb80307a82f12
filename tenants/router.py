"""Route each model to the control database or the current tenant's database; fail closed."""
from django.apps import apps

from conduit.conf import conduit_settings
from tenants.connections import ALIAS_PREFIX, ensure_alias
from tenants.context import current_tenant, require_tenant

CONTROL_APPS = {"tenants", "admin", "sessions", "conduit"}
SHARED_APPS = {"auth", "contenttypes", "accounts"}  # users: per tenant, operators in the control DB


def is_control_model(app_label: str, model_name: str | None) -> bool:
    """A model of a control app, or one its app lists in `AppConfig.control_models` (an app such as `events` that
    keeps its own state in the control DB and one model, the outbox, in each tenant's)."""
    if app_label in CONTROL_APPS:
        return True
    if model_name is None:
        return False
    return model_name.lower() in getattr(apps.app_configs.get(app_label), "control_models", ())


def _tenant_alias(required):
    tenant = require_tenant() if required else current_tenant()
    return ensure_alias(tenant) if tenant else None


class TenantRouter:
    """Control apps → default; shared apps → tenant if any, else default; all others → tenant, or raise."""

    def db_for_read(self, model, **hints):
        if not conduit_settings.ROUTING_ENABLED:  # single-database mode: everything lives in the control DB
            return "default"
        app = model._meta.app_label
        if is_control_model(app, model._meta.model_name):
            return "default"
        if app in SHARED_APPS:
            return _tenant_alias(required=False) or "default"
        return _tenant_alias(required=True)

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return obj1._state.db == obj2._state.db

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if not conduit_settings.ROUTING_ENABLED:
            return db == "default"
        is_tenant_db = db.startswith(ALIAS_PREFIX)
        if is_control_model(app_label, model_name):
            return not is_tenant_db
        if app_label in SHARED_APPS:
            return True
        return is_tenant_db
