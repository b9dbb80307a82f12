"""GET /api/health reports whether the media storage is reachable and writable."""
import os

from conduit.health import register
from media.storage import is_local, media_storage


@register("media_storage")
def media_storage_check():
    storage = media_storage()
    if is_local(storage):
        os.makedirs(storage.location, exist_ok=True)
        return {"backend": "local"} if os.access(storage.location, os.W_OK) else False
    storage.bucket.meta.client.head_bucket(Bucket=storage.bucket_name)
    return {"backend": "s3", "bucket": storage.bucket_name}
