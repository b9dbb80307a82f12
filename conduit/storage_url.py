"""CONDUIT_STORAGE_URL → a Django STORAGES entry (settings.py builds the "media" storage with it; no app code)."""
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

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
