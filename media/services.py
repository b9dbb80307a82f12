"""Media writes: store a validated upload under the tenant's prefix, delete it, purge a tenant's media."""
import logging
import secrets

from botocore.exceptions import BotoCoreError, ClientError

from conduit.exceptions import Forbidden, NotFound, Unavailable
from media.models import Media
from media.storage import media_storage, prefix_delete
from media.validation import validate_upload
from tenants.context import require_tenant
from tenants.db import tenant_atomic, tenant_on_commit

logger = logging.getLogger(__name__)


class MediaNotFound(NotFound):
    """No media item with this id on this tenant."""

    def __init__(self, detail: str | None = None):
        super().__init__("media", detail=detail)


class MediaForbidden(Forbidden):
    """The user may not change this media item (not its owner)."""

    def __init__(self, detail: str):
        super().__init__("media", detail=detail)


class MediaStorageUnavailable(Unavailable):
    """The storage refused or could not be reached; the upload was not kept (the message is the client's)."""

    def __init__(self, message: str):
        super().__init__("file", message)


class MediaOutsideTenant(MediaNotFound):
    """The row names a key outside `<current-tenant-slug>/`: never read, never deleted (answered as not found)."""


def media_tenant_key(media: Media) -> str:
    """The row's key, if it is a plain path under the current tenant's prefix (tenancy rule 5); else refuse.

    Defence in depth: however a bad row got here (an import, a hand edit), it never reaches another tenant's bytes.
    """
    tenant, key = require_tenant(), media.key or ""
    parts = key.split("/")
    if (parts[0] != tenant.slug or len(parts) < 2 or any(p in ("", ".", "..") for p in parts[1:])
            or any(c in key for c in "\\\x00")):
        logger.warning("media: row %s of tenant %s names key %r outside the tenant's prefix; refused",
                       media.pk, tenant.slug, key)
        raise MediaOutsideTenant(f"media {media.pk} is not stored under this tenant")
    return key


def media_key(*, tenant_slug: str, user_id: int, extension: str) -> str:
    """`<tenant-slug>/<user-id>/<random>.<ext>`: namespaced by tenant (tenancy rule 5) and unguessable."""
    return f"{tenant_slug}/{user_id}/{secrets.token_urlsafe(24)}.{extension}"


def media_create(*, owner, upload) -> Media:
    """Validate `upload` by content, store it, record it; a failed insert removes the stored file."""
    detected = validate_upload(upload)
    tenant = require_tenant()
    upload.content_type = detected.content_type  # S3 stores this; never the client's declared type
    storage = media_storage()
    try:
        key = storage.save(media_key(tenant_slug=tenant.slug, user_id=owner.pk, extension=detected.extension), upload)
    except (OSError, BotoCoreError, ClientError) as exc:
        logger.exception("media: storing an upload of tenant %s failed", tenant.slug)
        raise MediaStorageUnavailable("the media storage is unavailable; retry later.") from exc
    try:
        with tenant_atomic():
            return Media.objects.create(
                owner=owner, key=key, kind=detected.kind, content_type=detected.content_type, size=upload.size
            )
    except BaseException:
        storage.delete(key)
        raise


def media_delete(*, media: Media, user) -> None:
    """Owner only; the stored file is removed once the row's deletion has committed."""
    key = media_tenant_key(media)
    if media.owner_id != user.pk:
        raise MediaForbidden("only the owner can delete this media.")
    with tenant_atomic():
        media.delete()
        tenant_on_commit(lambda: _storage_delete(key))


def _storage_delete(key: str) -> None:
    try:
        media_storage().delete(key)
    except Exception:  # the row is gone; an orphaned object must not fail the request
        logger.exception("media: could not delete %s from storage", key)


def media_purge_tenant(*, tenant_slug: str) -> int:
    """Delete every stored object under `<tenant-slug>/`; returns how many were removed."""
    count = prefix_delete(media_storage(), f"{tenant_slug}/")
    logger.info("media: purged %d objects of tenant %s", count, tenant_slug)
    return count
