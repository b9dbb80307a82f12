"""Media reads, always in the current tenant's database."""
import uuid

from media.models import Media
from media.storage import is_local, media_storage


def media_list(*, owner, limit: int = 20, offset: int = 0) -> tuple[list[Media], int]:
    """The owner's media, newest first, one page of it, and the total count."""
    queryset = Media.objects.filter(owner=owner).order_by("-created_at", "-id")
    return list(queryset[offset : offset + limit]), queryset.count()


def media_get(*, media_id) -> Media | None:
    """The media item with this id in the current tenant, or None (also for ids that are not UUIDs)."""
    try:
        media_id = uuid.UUID(str(media_id))
    except ValueError:
        return None
    return Media.objects.filter(pk=media_id).first()


def media_file_url(*, media: Media, base_url: str) -> str:
    """Where a client fetches the bytes: a presigned URL (S3), or the tenant-scoped file route (local)."""
    storage = media_storage()
    if is_local(storage):
        return f"{base_url.rstrip('/')}/api/media/{media.id}/file"
    return storage.url(media.key)
