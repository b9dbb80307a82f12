"""Media on S3: a gunicorn stack whose storage is a real S3-compatible HTTP server (moto server mode)."""
import pytest
import requests

from tests.media import samples
from tests.support.client import Site
from tests.support.fixtures import BUCKET, S3_ENV, s3_client


@pytest.fixture(scope="module")
def s3(moto_endpoint):
    return s3_client(moto_endpoint)


def keys(s3, prefix):
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def test_upload_stores_a_private_object_under_the_tenant_prefix(s3_stack, s3):
    slug = s3_stack.create_tenant()
    ann = Site(s3_stack, slug).user("ann")
    data = samples.mp4()
    r = ann.upload(data, name="clip.png", content_type="image/png")
    assert r.status_code == 201, r.text
    media = r.json()["media"]
    (key,) = keys(s3, f"{slug}/")
    assert key.startswith(f"{slug}/") and key.endswith(".mp4") and len(key.split("/")) == 3
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentType"] == "video/mp4" and head["ContentLength"] == len(data)  # detected, not declared
    assert "X-Amz-Signature=" in media["url"] and key in media["url"]
    assert requests.get(media["url"], timeout=10).content == data
    assert requests.get(media["url"].split("?")[0], timeout=10).status_code == 403  # the bucket is private


def test_file_route_redirects_to_a_fresh_presigned_url(s3_stack):
    slug = s3_stack.create_tenant()
    ann = Site(s3_stack, slug).user("ann")
    media = ann.upload(samples.ogg()).json()["media"]
    r = ann.call("GET", f"/api/media/{media['id']}/file", token=False, allow_redirects=False)
    assert r.status_code == 302 and "X-Amz-Signature=" in r.headers["Location"]
    assert requests.get(r.headers["Location"], timeout=10).content == samples.ogg()


def test_delete_removes_the_object(s3_stack, s3):
    slug = s3_stack.create_tenant()
    ann, bob = Site(s3_stack, slug).user("ann"), Site(s3_stack, slug).user("bob")
    media = ann.upload(samples.png()).json()["media"]
    assert len(keys(s3, f"{slug}/")) == 1
    assert bob.call("DELETE", f"/api/media/{media['id']}").status_code == 403
    assert len(keys(s3, f"{slug}/")) == 1
    assert ann.call("DELETE", f"/api/media/{media['id']}").status_code == 204
    assert keys(s3, f"{slug}/") == []
    assert requests.get(media["url"], timeout=10).status_code == 404


def test_purge_deletes_every_key_of_the_tenant_only(s3_stack, s3):
    doomed, kept = s3_stack.create_tenant(), s3_stack.create_tenant()
    for slug in (doomed, kept):
        ann, bob = Site(s3_stack, slug).user("ann"), Site(s3_stack, slug).user("bob")
        for client in (ann, bob):
            assert client.upload(samples.gif()).status_code == 201
            assert client.upload(samples.wav()).status_code == 201
    assert len(keys(s3, f"{doomed}/")) == 4
    s3_stack.manage("delete_tenant", doomed, "--purge", "--yes")
    assert keys(s3, f"{doomed}/") == []
    assert len(keys(s3, f"{kept}/")) == 4


def test_size_limits_per_kind_and_before_reading_the_body(s3_stack, s3):
    slug = s3_stack.create_tenant()
    ann = Site(s3_stack, slug).user("ann")
    r = ann.upload(samples.png(pad=80 * 1024))  # image limit 64 KB, video limit 256 KB
    assert r.status_code == 413 and "image files may be at most 64 KB" in r.json()["errors"]["file"][0]
    assert ann.upload(samples.wav(samples=50 * 1024)).status_code == 201  # 100 KB of audio is within 128 KB
    r = ann.upload(samples.png(pad=400 * 1024))  # over every limit: refused from Content-Length alone
    assert r.status_code == 413 and "larger than the 256 KB limit" in r.json()["errors"]["file"][0]
    assert len(keys(s3, f"{slug}/")) == 1


def test_spoofed_file_is_415_and_stores_nothing(s3_stack, s3):
    slug = s3_stack.create_tenant()
    r = Site(s3_stack, slug).user("ann").upload(b"#!/bin/sh\nrm -rf /\n" * 20, name="cat.png", content_type="image/png")
    assert r.status_code == 415
    assert keys(s3, f"{slug}/") == []


def test_health_checks_the_bucket(s3_stack):
    check = s3_stack.request("GET", "/api/health").json()["checks"]["media_storage"]
    assert check == {"ok": True, "ms": check["ms"], "backend": "s3", "bucket": BUCKET}


def test_purge_pages_through_more_than_a_thousand_keys_and_respects_the_prefix(moto_endpoint, s3, settings, monkeypatch):
    from media.services import media_purge_tenant
    from conduit.storage_url import storage_settings

    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "media": storage_settings(
        f"s3://{BUCKET}?endpoint_url={moto_endpoint}&region=us-east-1", local_root=None)}
    for i in range(1005):
        s3.put_object(Bucket=BUCKET, Key=f"bulk/{i % 3}/{i}.png", Body=b"x")
    for neighbour in ("bulky/1/a.png", "bulk-2/1/a.png"):
        s3.put_object(Bucket=BUCKET, Key=neighbour, Body=b"x")
    assert media_purge_tenant(tenant_slug="bulk") == 1005
    assert keys(s3, "bulk/") == []
    assert len(keys(s3, "bulk")) == 2
