"""One namespaced settings object for Conduit: `conduit_settings.X` reads `settings.CONDUIT["X"]`.

Every key and its default is declared once, in conduit/settings.py (from the environment); this module only gives
attribute access, fails loudly on a misspelt key, and follows `override_settings` in tests.
"""
from django.conf import settings
from django.core.signals import setting_changed


class ConduitSettings:
    def __init__(self):
        self._cache = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            try:
                self._cache[name] = settings.CONDUIT[name]
            except KeyError:
                raise AttributeError(f"Unknown Conduit setting: {name}") from None
        return self._cache[name]

    def reload(self):
        self._cache.clear()


conduit_settings = ConduitSettings()


def _reload(*, setting, **kwargs):
    if setting == "CONDUIT":
        conduit_settings.reload()


setting_changed.connect(_reload)
