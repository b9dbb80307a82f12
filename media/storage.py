"""The media storage: local filesystem or S3/MinIO (django-storages), chosen by CONDUIT_STORAGE_URL."""
import posixpath
import shutil
from pathlib import Path

ALIAS = "media"


def media_storage():
    from django.core.files.storage import storages

    return storages[ALIAS]


def is_local(storage) -> bool:
    from django.core.files.storage import FileSystemStorage

    return isinstance(storage, FileSystemStorage)


def prefix_delete(storage, prefix: str) -> int:
    """Delete every object whose key starts with `prefix` (a directory-like `<slug>/`); returns how many."""
    if not prefix.endswith("/") or prefix.startswith("/") or ".." in prefix:
        raise ValueError(f"refusing to delete unsafe prefix {prefix!r}")
    if is_local(storage):
        root = Path(storage.path(prefix))
        if not root.is_dir():
            return 0
        count = sum(1 for p in root.rglob("*") if p.is_file())
        shutil.rmtree(root, ignore_errors=True)
        return count
    count = 0
    for batch in storage.bucket.objects.filter(Prefix=posixpath.join(storage.location, prefix)).page_size(1000).pages():
        keys = [{"Key": obj.key} for obj in batch]
        if keys:
            storage.bucket.delete_objects(Delete={"Objects": keys, "Quiet": True})
            count += len(keys)
    return count
