"""Media's part of tenant export/import (tenants.transfer.files): the storage, and the Media rows' keys confined."""
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from media.models import Media
from media.storage import media_storage
from tenants.transfer.files import TenantFiles
from tenants.transfer.reader import plain_key

BATCH = 2000


def media_confine_keys(alias: str, old_slug: str, slug: str) -> None:
    """Refuse (ValueError) a Media row whose key is not under `old_slug/`; re-key the rest to `slug/`."""
    manager = Media._base_manager.using(alias)
    for key in manager.values_list("key", flat=True).iterator(chunk_size=BATCH):
        if not plain_key(key) or key.split("/", 1)[0] != old_slug or "/" not in key:
            raise ValueError(f"archive member data/media_media.jsonl: media key {key!r} is not under the archived "
                             f"tenant's prefix '{old_slug}/'")
    if old_slug != slug:
        manager.filter(key__startswith=f"{old_slug}/").update(
            key=Concat(Value(f"{slug}/"), Substr("key", len(old_slug) + 2), output_field=CharField()))


MEDIA_FILES = TenantFiles(storage=media_storage, confine=media_confine_keys)
