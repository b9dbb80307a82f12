"""Attacks on media isolation between tenants (issue 10, item 1), on local and S3 (moto) storage.

A media row whose key names another tenant's object (left by an import, crafted into an archive, or written into a
tenant database by any other means) must never reach those bytes: import re-keys or refuses such rows, and the
media API refuses any key outside `<current-tenant-slug>/` at read and delete time.
"""
import io
import json
import hashlib
import sqlite3
import tarfile
import uuid

import psycopg
import pytest
import requests

from tests.media import samples
from tests.support.client import Site
from tests.support.stack import PG_SERVER

ENGINES = ["sqlite", "postgres"]
STORAGES = ["local", "s3"]


@pytest.fixture(params=STORAGES)
def stack(request):
    return request.getfixturevalue("media_stack" if request.param == "local" else "s3_stack")


def tenant(stack, engine, pg_prefix, slug=None):
    """A tenant of `engine` on the stack; returns (slug, database url)."""
    slug = slug or f"s{uuid.uuid4().hex[:10]}"
    if engine == "sqlite":
        stack.create_tenant(slug)
        return slug, f"sqlite:///{stack.data_dir / 'tenants' / f'{slug}.sqlite3'}"
    url = f"{PG_SERVER}/{pg_prefix}_sec_{slug.replace('-', '_')}"
    stack.create_tenant(slug, "--database-url", url)
    return slug, url


def target_args(engine, pg_prefix, slug):
    """import_tenant arguments that put the imported tenant on `engine`; returns (args, database url)."""
    if engine == "sqlite":
        return [], None
    url = f"{PG_SERVER}/{pg_prefix}_sec_{slug.replace('-', '_')}"
    return ["--database-url", url], url


def db_execute(url, sql, params=()):
    """Run one statement on a tenant database behind the application's back (as an attacker with a bad row would)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url[len("sqlite:///"):]) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def media_keys(url):
    return sorted(r[0] for r in db_execute(url, "SELECT key FROM media_media"))


def point_row_at(url, media_id, key):
    """Rewrite one media row's key (SQLite keeps UUIDs as 32 hex characters, PostgreSQL as uuid)."""
    ident = uuid.UUID(media_id).hex if url.startswith("sqlite") else media_id
    db_execute(url, "UPDATE media_media SET key = %s WHERE id = %s", (key, ident))


def fetch(stack, slug, media_id):
    """(status, bytes) of a media file as any browser would get it (following the S3 redirect itself)."""
    r = stack.tenant(slug, "GET", f"/api/media/{media_id}/file", allow_redirects=False)
    if r.status_code == 302:
        r = requests.get(r.headers["Location"], timeout=10)
    return r.status_code, r.content


def login(stack, slug, username):
    r = Site(stack, slug).login(username)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Token {r.json()['user']['token']}"}


def upload(stack, slug, username):
    """A registered user's upload of a file unique to this test; returns (media id, bytes)."""
    data = samples.png(pad=64 + uuid.uuid4().int % 512)
    r = Site(stack, slug).user(username).upload(data, name="p.png", content_type="image/png")
    assert r.status_code == 201, r.text
    return r.json()["media"]["id"], data


def import_without_media(stack, source, tmp_path, engine, pg_prefix):
    archive = tmp_path / f"{source}.tar.gz"
    stack.manage("export_tenant", source, archive)  # no --media: rows only
    new = f"{source}-r"
    args, url = target_args(engine, pg_prefix, new)
    stack.manage("import_tenant", archive, "--slug", new, *args)
    return new, url or f"sqlite:///{stack.data_dir / 'tenants' / f'{new}.sqlite3'}"


@pytest.mark.parametrize("engine", ENGINES)
def test_import_without_media_cannot_read_other_tenants_file(stack, engine, pg_prefix, tmp_path):
    alpha, _ = tenant(stack, "sqlite", pg_prefix)
    media_id, data = upload(stack, alpha, "ann")
    new, _ = import_without_media(stack, alpha, tmp_path, engine, pg_prefix)
    status, body = fetch(stack, new, media_id)
    assert body != data and status == 404
    assert fetch(stack, alpha, media_id) == (200, data)


@pytest.mark.parametrize("engine", ENGINES)
def test_import_without_media_cannot_delete_other_tenants_file(stack, engine, pg_prefix, tmp_path):
    alpha, _ = tenant(stack, "sqlite", pg_prefix)
    media_id, data = upload(stack, alpha, "ann")
    new, _ = import_without_media(stack, alpha, tmp_path, engine, pg_prefix)
    stack.tenant(new, "DELETE", f"/api/media/{media_id}", headers=login(stack, new, "ann"))  # the copied owner
    assert fetch(stack, alpha, media_id) == (200, data)


@pytest.mark.parametrize("engine", ENGINES)
def test_import_without_media_rekeys_every_media_row_under_the_new_prefix(stack, engine, pg_prefix, tmp_path):
    alpha, alpha_url = tenant(stack, "sqlite", pg_prefix)
    upload(stack, alpha, "ann")
    upload(stack, alpha, "bob")
    new, new_url = import_without_media(stack, alpha, tmp_path, engine, pg_prefix)
    keys = media_keys(new_url)
    assert len(keys) == 2 and all(k.startswith(f"{new}/") for k in keys), keys
    assert [k.split("/", 1)[1] for k in keys] == [k.split("/", 1)[1] for k in media_keys(alpha_url)]


def _checksum(lines):
    """The digest a version 2 archive records for a table (datetimes at ms), of its data lines."""
    from tenants.transfer.archive import _tagged
    from tenants.transfer.tables import CHECKSUM_MS, Digest

    digest = Digest(CHECKSUM_MS)
    for line in lines.splitlines():
        digest.add([_tagged(v) for v in json.loads(line)])
    return digest.value[1]


def rewrite_media_rows(archive, out, old_key, new_key):
    """Copy an archive with one media row's key replaced, and the manifest's checksums recomputed to match."""
    with tarfile.open(archive) as src:
        members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
    rows = dict(members)[next(m for m, _ in members if m.name == "data/media_media.jsonl")]
    rows = rows.replace(json.dumps(old_key).encode(), json.dumps(new_key).encode())
    with tarfile.open(out, "w:gz") as dst:
        for member, data in members:
            if member.name == "data/media_media.jsonl":
                data = rows
            elif member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["media_media"]["sha256"] = hashlib.sha256(rows).hexdigest()
                manifest["tables"]["media_media"]["checksum"] = _checksum(rows)  # archive version 2's digest too
                data = json.dumps(manifest).encode()
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


@pytest.mark.parametrize("with_media", [False, True], ids=["rows-only", "with-media"])
@pytest.mark.parametrize("engine", ENGINES)
def test_crafted_archive_cannot_point_a_media_row_at_another_tenants_file(
        stack, engine, with_media, pg_prefix, tmp_path):
    beta, beta_url = tenant(stack, "sqlite", pg_prefix)
    beta_id, beta_data = upload(stack, beta, "bea")
    (beta_key,) = media_keys(beta_url)
    alpha, alpha_url = tenant(stack, "sqlite", pg_prefix)
    media_id, _ = upload(stack, alpha, "ann")
    (alpha_key,) = media_keys(alpha_url)
    archive = tmp_path / "alpha.tar.gz"
    stack.manage("export_tenant", alpha, archive, *(["--media"] if with_media else []))
    crafted = rewrite_media_rows(archive, tmp_path / "crafted.tar.gz", alpha_key, beta_key)
    new = f"{alpha}-x"
    args, _ = target_args(engine, pg_prefix, new)
    result = stack.manage("import_tenant", crafted, "--slug", new, *args, check=False)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.stdout + result.stderr
    assert "data/media_media.jsonl" in lines[0] and beta_key.split("/", 1)[0] in lines[0], lines
    assert stack.tenant(new, "GET", "/api/tags").status_code == 404  # nothing registered
    assert fetch(stack, new, media_id)[0] == 404
    assert fetch(stack, beta, beta_id) == (200, beta_data)


def planted(stack, engine, pg_prefix, traversal):
    """A victim's file, and another tenant (of `engine`) whose media row names the victim's key."""
    victim, victim_url = tenant(stack, "sqlite", pg_prefix)
    victim_id, victim_data = upload(stack, victim, "vic")
    (victim_key,) = media_keys(victim_url)
    site, site_url = tenant(stack, engine, pg_prefix)
    media_id, _ = upload(stack, site, "ann")
    point_row_at(site_url, media_id, f"{site}/../{victim_key}" if traversal else victim_key)
    return site, media_id, victim, victim_id, victim_data


@pytest.mark.parametrize("traversal", [False, True], ids=["other-prefix", "dot-dot"])
@pytest.mark.parametrize("engine", ENGINES)
def test_media_row_naming_another_tenants_key_is_not_served(stack, engine, traversal, pg_prefix):
    site, media_id, victim, victim_id, victim_data = planted(stack, engine, pg_prefix, traversal)
    headers = login(stack, site, "ann")
    status, body = fetch(stack, site, media_id)
    assert status == 404 and body != victim_data
    assert stack.tenant(site, "GET", f"/api/media/{media_id}", headers=headers).status_code == 404
    listed = stack.tenant(site, "GET", "/api/media", headers=headers).json()
    assert media_id not in [m["id"] for m in listed["media"]]
    assert victim not in json.dumps(listed)
    assert fetch(stack, victim, victim_id) == (200, victim_data)


@pytest.mark.parametrize("traversal", [False, True], ids=["other-prefix", "dot-dot"])
@pytest.mark.parametrize("engine", ENGINES)
def test_media_row_naming_another_tenants_key_cannot_delete_its_file(stack, engine, traversal, pg_prefix):
    site, media_id, victim, victim_id, victim_data = planted(stack, engine, pg_prefix, traversal)
    r = stack.tenant(site, "DELETE", f"/api/media/{media_id}", headers=login(stack, site, "ann"))
    assert r.status_code == 404, r.text
    assert fetch(stack, victim, victim_id) == (200, victim_data)
