"""export_tenant / import_tenant: a tenant restored under a new slug, on another engine, serves the same content."""
import hashlib
import io
import json
import tarfile
import time

import pytest

from tests.media import samples
from tests.support.populated import PopulatedSite
from tests.support.stack import pg_database_exists


def relabel(shot, old, new):
    """Media URLs name the host; everything else must be byte-for-byte the same."""
    return json.loads(json.dumps(shot).replace(f"{old}.localhost", f"{new}.localhost"))


@pytest.fixture(scope="module")
def exported(stack, tmp_path_factory):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=4)
    path = tmp_path_factory.mktemp("archive") / f"{site.slug}.tar.gz"
    result = stack.manage("export_tenant", site.slug, path, "--media")
    assert "1 media files" in result.stdout
    return site, path, site.snapshot()


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_import_under_new_slug_serves_the_same_content(stack, exported, pg_target, engine):
    site, path, before = exported
    new = f"{site.slug}-{engine[:2]}"
    args = ["--database-url", pg_target()] if engine == "postgres" else []
    result = stack.manage("import_tenant", path, "--slug", new, *args)
    assert f"imported tenant '{new}'" in result.stdout
    copy = PopulatedSite(stack, new)
    copy.tokens, copy.articles, copy.media = dict(site.tokens), site.articles, site.media
    for name in site.tokens:  # tokens are bound to their tenant: sign in again on the copy
        response = copy.login(name)
        assert response.status_code == 200, response.text
        copy.tokens[name] = response.json()["user"]["token"]
    assert relabel(copy.snapshot(), new, site.slug) == relabel(before, site.slug, site.slug)
    token = next(iter(copy.tokens.values()))
    assert copy.post_article(token, "new on the copy").status_code == 201  # sequences continue past copied ids
    assert site.snapshot() == before  # the original is untouched


def test_archive_layout_and_manifest(exported):
    site, path, _ = exported
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == "conduit-tenant-archive" and manifest["version"] == 2 and manifest["checksum"] == 2
    assert manifest["tenant"]["slug"] == site.slug and len(manifest["schema_fingerprint"]) == 16
    assert "0001_initial" in manifest["migrations"]["content"]
    assert manifest["tables"]["content_article"]["rows"] == 4
    assert manifest["tables"]["content_comment"]["rows"] == 8
    assert all(len(t["sha256"]) == 64 and len(t["checksum"]) == 64 for t in manifest["tables"].values())
    assert {f"data/{t}.jsonl" for t in manifest["tables"]} <= set(names)
    assert [f"media/{m['key']}" for m in manifest["media"]] == [n for n in names if n.startswith("media/")]


def rewrite(path, out, change):
    """Copy an archive, letting `change(name, bytes)` alter members (None leaves the member out)."""
    with tarfile.open(path) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def before_media(path, out, edit_manifest=lambda manifest: manifest):
    """A copy of an archive as it was before the media app existed: its table, files and migrations left out."""
    def change(name, data):
        if name == "data/media_media.jsonl" or name.startswith("media/"):
            return None
        if name == "manifest.json":
            manifest = edit_manifest(json.loads(data))
            del manifest["migrations"]["media"]
            del manifest["tables"]["media_media"]
            manifest["media"] = []
            return json.dumps(manifest).encode()
        return data

    return rewrite(path, out, change)


def assert_imported_alike(stack, site, new, before):
    """Tenant `new`, imported from `site`'s archive, answers as `site` did (media aside) to the same users signed in
    again; returns its client."""
    copy = PopulatedSite(stack, new)
    copy.articles = site.articles
    for name in site.tokens:
        copy.tokens[name] = copy.login(name).json()["user"]["token"]
    shot = copy.snapshot()
    assert {k: v for k, v in shot.items() if not k.startswith("media/")} == \
        {k: v for k, v in before.items() if not k.startswith("media/")}
    return copy


def assert_refused(stack, archive, slug, message):
    result = stack.manage("import_tenant", archive, "--slug", slug, check=False)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert stack.tenant(slug, "GET", "/api/tags").status_code == 404  # no tenant registered
    assert not (stack.data_dir / "tenants" / f"{slug}.sqlite3").exists()  # and no database left behind
    assert not (stack.data_dir / "media" / slug).exists()


def test_archive_from_a_newer_schema_is_refused(stack, exported, tmp_path):
    site, path, _ = exported

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["content"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    archive = rewrite(path, tmp_path / "future.tar.gz", future)
    assert_refused(stack, archive, f"{site.slug}-fut", "newer schema: migration content.9999_from_the_future")


def test_corrupt_archive_is_refused_all_or_nothing(stack, exported, tmp_path):
    site, path, _ = exported

    def tamper(name, data):
        return data.replace(b"comment on 3", b"comment on 9") if name == "data/content_comment.jsonl" else data

    archive = rewrite(path, tmp_path / "tampered.tar.gz", tamper)
    assert_refused(stack, archive, f"{site.slug}-bad", "content_comment is corrupt")

    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    assert_refused(stack, tmp_path / "junk.tar.gz", f"{site.slug}-junk", "cannot read archive")


def test_import_refuses_an_existing_slug(stack, exported):
    site, path, before = exported
    result = stack.manage("import_tenant", path, check=False)
    assert result.returncode == 1 and f"a tenant with slug '{site.slug}' already exists" in result.stderr
    assert site.snapshot() == before


@pytest.mark.postgres
def test_imported_tenant_moves_with_its_media(stack, exported, pg_target):
    """Media keys depend on the slug only (rewritten on import), so they survive a later move untouched."""
    site, path, _ = exported
    new = f"{site.slug}-mv"
    stack.manage("import_tenant", path, "--slug", new)
    copy = PopulatedSite(stack, new)
    copy.articles, copy.media = site.articles, site.media
    for name in site.tokens:
        copy.tokens[name] = copy.login(name).json()["user"]["token"]
    before = copy.snapshot()
    target = pg_target()
    stack.manage("move_tenant", new, "--to", target, "--yes", "--drop-source")
    assert stack.tenant_row(new)["database"] == target and pg_database_exists(target)
    time.sleep(1.0)
    assert copy.snapshot() == before


def test_media_keys_cannot_escape_the_tenant_prefix(stack, exported, tmp_path):
    site, path, _ = exported
    victim = stack.create_tenant()

    def escape(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["media"][0]["key"] = f"../{victim}/planted.png"
        return json.dumps(manifest).encode()

    archive = rewrite(path, tmp_path / "escape.tar.gz", escape)
    assert_refused(stack, archive, f"{site.slug}-esc", "is not a plain relative path")
    assert not (stack.data_dir / "media" / victim).exists()


def test_archive_from_an_older_schema_is_loaded_then_migrated_forward(stack, exported, tmp_path):
    """An archive made before the media app existed: loaded at its own schema, then migrated to the current one."""
    site, path, before = exported
    new = f"{site.slug}-old"
    stack.manage("import_tenant", before_media(path, tmp_path / "old.tar.gz"), "--slug", new)
    copy = assert_imported_alike(stack, site, new, before)
    token = next(iter(copy.tokens.values()))
    assert copy.call("GET", "/api/media", token).json()["mediaCount"] == 0  # the new app's table exists, empty
    upload = copy.upload(samples.png(), "p.png", "image/png", token=token)
    assert upload.status_code == 201, upload.text
    listed = stack.manage("list_tenants", "--format", "json").stdout
    assert next(t for t in json.loads(listed) if t["slug"] == new)["migrations"] == "current"


def _outbox_rows(stack, slug):
    code = "from events.models import OutboxEvent; print(OutboxEvent.objects.count())"
    return int(stack.manage("tenant_command", slug, "shell", "-v", "0", "-c", code).stdout.split()[-1])


def test_archive_from_before_the_events_app_keeps_its_outbox(stack, exported, tmp_path):
    """Made when OutboxEvent was content's (no events migrations, content at 0001): its content_outboxevent rows load
    into the same table, now events', and the tenant is migrated to the current schema."""
    site, path, _ = exported

    with tarfile.open(path) as src:
        manifest = json.load(src.extractfile("manifest.json"))
    article = manifest["tables"]["content_article"]
    later = [i for i, column in enumerate(article["columns"]) if column == "publish_at"]  # content 0003 added it
    assert later

    def at_0001(data):  # the article rows as content 0001 had them: without the later columns
        rows = [json.loads(line) for line in data.splitlines()]
        return b"".join(json.dumps([v for i, v in enumerate(row) if i not in later], separators=(",", ":"),
                                   ensure_ascii=False).encode() + b"\n" for row in rows)

    def before_events(name, data):
        if name == "data/content_article.jsonl":
            return at_0001(data)
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["version"] = 1  # as archives were then: sha256 of the data lines (µs) only, no "checksum"
            for entry in manifest["tables"].values():
                del entry["checksum"]
            del manifest["migrations"]["events"]
            manifest["migrations"]["content"] = ["0001_initial"]  # none of content's later migrations either
            manifest["tables"]["content_outboxevent"]["model"] = "content.outboxevent"
            entry = manifest["tables"]["content_article"]
            entry["columns"] = [c for i, c in enumerate(entry["columns"]) if i not in later]
            with tarfile.open(path) as src:
                entry["sha256"] = hashlib.sha256(at_0001(src.extractfile("data/content_article.jsonl").read())).hexdigest()
            return json.dumps(manifest).encode()
        return data

    with tarfile.open(path) as src:
        with tarfile.open(tmp_path / "pre-events.tar.gz", "w:gz") as dst:
            for member in src.getmembers():
                data = before_events(member.name, src.extractfile(member).read())
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
    new = f"{site.slug}-pre"
    stack.manage("import_tenant", tmp_path / "pre-events.tar.gz", "--slug", new)
    assert _outbox_rows(stack, new) == _outbox_rows(stack, site.slug) > 0
    listed = stack.manage("list_tenants", "--format", "json").stdout
    assert next(t for t in json.loads(listed) if t["slug"] == new)["migrations"] == "current"
