"""How an app joins tenant export/import with files kept outside the tenant database (media is the one such app).

The app registers a TenantFiles in its AppConfig.ready(), as it connects to tenants.signals.tenant_purged for purge:
the transfer code never imports the app. Keys are `<slug>/<relative>`, tenancy rule 5.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import Storage


@dataclass(frozen=True)
class TenantFiles:
    """`storage()` holds the files; `confine(alias, old_slug, slug)` checks that every row of the imported database
    naming a key is under `old_slug/` (ValueError naming the key otherwise) and re-keys those rows to `slug/`."""

    storage: Callable[[], Storage]
    confine: Callable[[str, str, str], None]


_registered: list[TenantFiles] = []


def register_tenant_files(files: TenantFiles) -> None:
    """One app may own the archive's `media/` section; a second registration is a configuration error."""
    if _registered and _registered[0] != files:
        raise RuntimeError("tenant files are already registered (the archive has a single media/ section)")
    _registered[:] = [files]


def tenant_files() -> TenantFiles | None:
    return _registered[0] if _registered else None
