"""The media API through a real gunicorn server, with media on the local filesystem (the embedded profile)."""
import uuid
from urllib.parse import urlsplit

import pytest

from tests.media import samples
from tests.support.client import Site


@pytest.fixture(scope="module")
def site(media_stack):
    slug = media_stack.create_tenant()
    return slug, Site(media_stack, slug).user("ann"), Site(media_stack, slug).user("bob")


def file_path(url):
    return urlsplit(url).path


def test_upload_returns_media_and_serves_the_bytes_by_content_type(site):
    slug, ann, _ = site
    data = samples.png(4, 4)
    r = ann.upload(data, name="photo.jpg", content_type="image/jpeg")  # name and declared type are ignored
    assert r.status_code == 201, r.text
    media = r.json()["media"]
    assert set(media) == {"id", "url", "kind", "contentType", "size", "createdAt"}
    assert (media["kind"], media["contentType"], media["size"]) == ("image", "image/png", len(data))
    assert urlsplit(media["url"]).netloc == f"{slug}.localhost"
    got = ann.call("GET", file_path(media["url"]), token=False)
    assert got.status_code == 200 and got.content == data
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("ext", ["jpg", "webp", "mp3", "ogg", "m4a", "mp4", "webm", "mov"])
def test_each_kind_is_accepted(site, ext):
    build, kind, mime = samples.ALL[ext]
    r = site[1].upload(build())
    assert r.status_code == 201, r.text
    assert (r.json()["media"]["kind"], r.json()["media"]["contentType"]) == (kind, mime)


def test_list_is_the_users_own_media_newest_first_with_paging(media_stack):
    slug = media_stack.create_tenant()
    ann, bob = Site(media_stack, slug).user("ann"), Site(media_stack, slug).user("bob")
    ids = [ann.upload(build()).json()["media"]["id"] for build in (samples.png, samples.gif, samples.wav)]
    bob.upload(samples.mp3())
    r = ann.call("GET", "/api/media")
    assert r.status_code == 200
    assert r.json()["mediaCount"] == 3
    assert [m["id"] for m in r.json()["media"]] == ids[::-1]
    page = ann.call("GET", "/api/media?limit=1&offset=1").json()
    assert [m["id"] for m in page["media"]] == [ids[1]] and page["mediaCount"] == 3
    assert bob.call("GET", "/api/media").json()["mediaCount"] == 1


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "offset=-1", "offset=99999999999999999999"])
def test_bad_paging_is_422(site, query):
    r = site[1].call("GET", f"/api/media?{query}")
    assert r.status_code == 422
    assert set(r.json()["errors"]) <= {"limit", "offset"}


def test_get_and_delete_owner_only_and_the_file_goes(media_stack, site):
    slug, ann, bob = site
    before = set((media_stack.data_dir / "media" / slug).rglob("*"))
    media = ann.upload(samples.gif()).json()["media"]
    path = f"/api/media/{media['id']}"
    assert bob.call("GET", path).json()["media"]["id"] == media["id"]
    r = bob.call("DELETE", path)
    assert r.status_code == 403 and r.json()["errors"]["media"]
    stored = [p for p in set((media_stack.data_dir / "media" / slug).rglob("*")) - before if p.is_file()]
    assert len(stored) == 1 and stored[0].read_bytes() == samples.gif()
    assert ann.call("DELETE", path).status_code == 204
    assert ann.call("GET", path).status_code == 404
    assert ann.call("DELETE", path).status_code == 404
    assert ann.call("GET", file_path(media["url"])).status_code == 404
    assert not stored[0].exists()


def test_media_of_tenant_a_is_404_on_tenant_b(media_stack, site):
    _, ann, _ = site
    media = ann.upload(samples.png()).json()["media"]
    other = Site(media_stack, media_stack.create_tenant()).user("ann")  # same username, another site
    for path in (f"/api/media/{media['id']}", file_path(media["url"])):
        r = other.call("GET", path)
        assert r.status_code == 404 and r.json() == {"errors": {"media": ["not found"]}}
    assert other.call("DELETE", f"/api/media/{media['id']}").status_code == 404
    assert ann.call("GET", file_path(media["url"])).status_code == 200


@pytest.mark.parametrize("path", ["/api/media/not-a-uuid", f"/api/media/{uuid.uuid4()}"])
def test_unknown_id_is_404(site, path):
    assert site[1].call("GET", path).status_code == 404


@pytest.mark.parametrize(
    "data, name, content_type, status, message",
    [
        (b"<html><script>alert(1)</script></html>\n" * 8, "cat.png", "image/png", 415, "not a recognised"),
        (samples.pdf(), "cat.png", "image/png", 415, "application/pdf files are not accepted"),
        (b"", "empty.png", "image/png", 422, "empty"),
    ],
)
def test_bad_files_are_rejected_with_the_reason(site, data, name, content_type, status, message):
    r = site[1].upload(data, name=name, content_type=content_type)
    assert r.status_code == status, r.text
    assert list(r.json()["errors"]) == ["file"] and message in r.json()["errors"]["file"][0]


def test_image_over_its_limit_is_413(site):
    r = site[1].upload(samples.png(pad=10 * 1024 * 1024))
    assert r.status_code == 413, r.text
    assert "image files may be at most 10 MB" in r.json()["errors"]["file"][0]


def test_missing_file_field_is_422(site):
    r = site[1].upload(samples.png(), field="picture")
    assert r.status_code == 422 and "is required" in r.json()["errors"]["file"][0]


def test_json_body_is_415(site):
    r = site[1].call("POST", "/api/media", json={"file": "aGVsbG8="})
    assert r.status_code == 415 and r.json()["errors"]


def test_unauthenticated_is_401(site):
    _, ann, _ = site
    media_id = ann.upload(samples.png()).json()["media"]["id"]
    for method, path in [("GET", "/api/media"), ("POST", "/api/media"), ("GET", f"/api/media/{media_id}"),
                         ("DELETE", f"/api/media/{media_id}")]:
        kwargs = {"files": {"file": ("a.png", samples.png(), "image/png")}} if method == "POST" else {}
        r = ann.call(method, path, token=False, **kwargs)
        assert r.status_code == 401, (method, path, r.text)
        assert "errors" in r.json()
    assert ann.call("GET", "/api/media", headers={"Authorization": "Token nonsense"}, token=False).status_code == 401


def test_purge_removes_the_tenants_media_directory(media_stack):
    slug = media_stack.create_tenant()
    Site(media_stack, slug).user("ann").upload(samples.png())
    assert (media_stack.data_dir / "media" / slug).is_dir()
    media_stack.manage("delete_tenant", slug, "--purge", "--yes")
    assert not (media_stack.data_dir / "media" / slug).exists()


def test_health_reports_the_local_media_storage(media_stack):
    check = media_stack.request("GET", "/api/health").json()["checks"]["media_storage"]
    assert check["ok"] is True and check["backend"] == "local"


def test_schema_documents_the_media_operations(media_stack, site):
    paths = media_stack.tenant(site[0], "GET", "/api/schema", headers={"Accept": "application/json"}).json()["paths"]
    assert {"/api/media", "/api/media/{media_id}", "/api/media/{media_id}/file"} <= set(paths)
    assert "multipart/form-data" in paths["/api/media"]["post"]["requestBody"]["content"]


def test_file_missing_from_storage_is_404_not_500(media_stack, site):
    slug, ann, _ = site
    before = set((media_stack.data_dir / "media" / slug).rglob("*"))
    media = ann.upload(samples.jpeg()).json()["media"]
    (stored,) = [p for p in set((media_stack.data_dir / "media" / slug).rglob("*")) - before if p.is_file()]
    stored.unlink()
    r = ann.call("GET", file_path(media["url"]))
    assert r.status_code == 404 and r.json() == {"errors": {"media": ["not found"]}}
