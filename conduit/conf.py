"""One namespaced settings object for Conduit (`settings.CONDUIT`), read in one place."""
from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS = {
    "TENANT_DATABASE_URL": "sqlite:///var/tenants/{slug}.sqlite3",
    "MAX_TENANT_CONNECTIONS": 64,
    "TENANT_HEADER_ENABLED": False,
    "REGISTRY_REFRESH_SECONDS": 0.5,
    "RESERVED_SLUGS": ["www", "admin", "api"],
    "DEMO_TENANT": "demo",
    "ROUTING_ENABLED": True,
}


class ConduitSettings:
    """Attribute access to settings.CONDUIT with defaults; reloaded when tests override settings."""

    def __init__(self):
        self._cache = {}

    def __getattr__(self, name):
        if name not in DEFAULTS and name not in getattr(settings, "CONDUIT", {}):
            raise AttributeError(f"Unknown Conduit setting: {name}")
        if name not in self._cache:
            self._cache[name] = getattr(settings, "CONDUIT", {}).get(name, DEFAULTS.get(name))
        return self._cache[name]

    def reload(self):
        self._cache.clear()


conduit_settings = ConduitSettings()


def _reload(*, setting, **kwargs):
    if setting == "CONDUIT":
        conduit_settings.reload()


setting_changed.connect(_reload)
