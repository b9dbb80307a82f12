"""CONDUIT_STORAGE_URL → a STORAGES entry."""
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from conduit.storage_url import storage_settings
from media.storage import prefix_delete

ROOT = Path("/srv/conduit/media")


@pytest.mark.parametrize("url", ["", None])
def test_default_is_the_local_media_directory(url):
    assert storage_settings(url, local_root=ROOT) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(ROOT)}}


def test_file_url_picks_the_directory():
    assert storage_settings("file:///data/media", local_root=ROOT)["OPTIONS"] == {"location": "/data/media"}


def test_s3_url_gives_a_private_presigning_s3_storage():
    config = storage_settings(
        "s3://bucket-1?endpoint_url=http://minio:9000&region=eu-west-1&addressing_style=path", local_root=ROOT,
        url_expires=600,
    )
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"] == {
        "bucket_name": "bucket-1", "endpoint_url": "http://minio:9000", "region_name": "eu-west-1",
        "addressing_style": "path", "querystring_auth": True, "querystring_expire": 600, "default_acl": None,
        "file_overwrite": False, "signature_version": "s3v4",
    }


@pytest.mark.parametrize("url, message", [
    ("s3://bucket?acl=public-read", "unknown S3 option 'acl'"),
    ("s3://?region=x", "must be file:///path or s3://bucket"),
    ("ftp://host/media", "must be file:///path or s3://bucket"),
])
def test_bad_urls_fail_loudly(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storage_settings(url, local_root=ROOT)


@pytest.mark.parametrize("prefix", ["", "/", "slug", "../slug/", "/etc/"])
def test_prefix_delete_refuses_unsafe_prefixes(prefix):
    with pytest.raises(ValueError):
        prefix_delete(object(), prefix)
