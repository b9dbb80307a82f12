"""The media storage: local filesystem or S3/MinIO (django-storages), chosen by CONDUIT_STORAGE_URL."""
import posixpath
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

ALIAS = "media"
S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version", "use_ssl", "verify"}
S3_OPTION_ALIASES = {"region": "region_name"}


def storage_settings(url: str, *, local_root: Path, url_expires: int = 3600) -> dict:
    """A STORAGES entry for `url`: empty or file:///path → FileSystemStorage; s3://bucket?endpoint_url=… → S3Storage."""
    parts = urlsplit(url or "")
    if parts.scheme in ("", "file"):
        location = Path(parts.path) if parts.path else local_root
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(f"CONDUIT_STORAGE_URL must be file:///path or s3://bucket?…, not {url!r}")
    options = {}
    for name, value in parse_qsl(parts.query):
        name = S3_OPTION_ALIASES.get(name, name)
        if name not in S3_OPTIONS:
            raise ImproperlyConfigured(f"CONDUIT_STORAGE_URL: unknown S3 option {name!r}; use {sorted(S3_OPTIONS)}")
        options[name] = value.lower() in ("1", "true", "yes") if name in ("use_ssl", "verify") else value
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "querystring_auth": True,  # private bucket: every URL handed out is presigned
            "querystring_expire": url_expires,
            "default_acl": None,
            "file_overwrite": False,
            "signature_version": "s3v4",  # SigV4 presigned URLs: required by newer AWS regions and MinIO
            **options,
        },
    }


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
