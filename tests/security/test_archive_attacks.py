"""Attacks on import_tenant with hostile archives (issue 10, item 9): bounded reads, and every malformed input is
one ArchiveError line naming the member, with nothing left behind (no tenant, no database, no media)."""
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid

import pytest

from tests.support.populated import PopulatedSite
from tests.support.stack import PG_SERVER, ROOT, pg_database_exists

ENGINES = ["sqlite", "postgres"]
TAGS = "data/content_tag.jsonl"


@pytest.fixture(scope="module")
def exported(stack, tmp_path_factory):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    path = tmp_path_factory.mktemp("attacks") / f"{site.slug}.tar.gz"
    stack.manage("export_tenant", site.slug, path, "--media")
    return site, path


class Padded:
    """`head`, then `count` spaces, then `tail`, produced as they are read: the test never holds a bomb in memory."""

    def __init__(self, head, count, tail):
        self.parts = [(head, 1), (b" " * (1 << 20), count >> 20), (b" " * (count % (1 << 20)), 1), (tail, 1)]
        self.size = len(head) + count + len(tail)
        self.pending = (part for chunk, times in self.parts for part in [chunk] * times)
        self.buffer, self.at = b"", 0

    def read(self, size):
        while len(self.buffer) - self.at < size:
            chunk = next(self.pending, None)
            if chunk is None:
                break
            self.buffer, self.at = self.buffer[self.at:] + chunk, 0
        out = self.buffer[self.at:self.at + size]
        self.at += len(out)
        return out

    def sha256(self):
        digest = hashlib.sha256()
        for chunk, times in self.parts:
            for _ in range(times):
                digest.update(chunk)
        return digest.hexdigest()


def members(path):
    with tarfile.open(path) as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()]


def write(out, entries):
    with tarfile.open(out, "w:gz", compresslevel=1) as tar:
        for member, data in entries:
            member.size = (data.size if isinstance(data, Padded) else len(data)) if member.isfile() else 0
            stream = data if isinstance(data, Padded) else io.BytesIO(data)
            tar.addfile(member, stream if member.isfile() else None)
    return out


def with_member(path, out, name, data):
    """The archive with one table member replaced and the manifest's row count and checksum made to match it."""
    entries = []
    for member, old in members(path):
        if member.name == name:
            old = data
        elif member.name == "manifest.json":
            manifest = json.loads(old)
            table = manifest["tables"][name[len("data/"):-len(".jsonl")]]
            if isinstance(data, Padded):
                table["rows"], table["sha256"] = 1, data.sha256()
            else:
                table["rows"], table["sha256"] = data.count(b"\n"), hashlib.sha256(data).hexdigest()
            old = json.dumps(manifest).encode()
        entries.append((member, old))
    return write(out, entries)


def with_manifest(path, out, change):
    entries = [(m, change(d) if m.name == "manifest.json" else d) for m, d in members(path)]
    return write(out, entries)


def run_import(stack, archive, slug, engine="sqlite", **env):
    """import_tenant in its own process; returns (exit code, stderr, peak RSS in MiB, database url)."""
    url = f"{PG_SERVER}/{stack.data_dir.name}_{slug.replace('-', '_')}"[:120] if engine == "postgres" else None
    args = [sys.executable, str(ROOT / "manage.py"), "import_tenant", str(archive), "--slug", slug,
            *(["--database-url", url] if url else [])]
    # Peak RSS from the importer's own VmHWM, sampled until it exits: wait4's ru_maxrss would carry the high-water
    # mark of this (forking) pytest process, which may hold the embedding model from earlier tests.
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, env={**stack.env, **{k: str(v) for k, v in env.items()}}, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=err)
        peak_kib = 0
        while process.poll() is None:
            peak_kib = max(peak_kib, _vm_hwm_kib(process.pid))
            time.sleep(0.005)
        err.seek(0)
        stderr = err.read().decode()
    return process.returncode, stderr, peak_kib / 1024, url


def _vm_hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return 0


def assert_refused(stack, archive, names, engine="sqlite", **env):
    """Refused with one line naming `names`; no tenant registered, no database, no media left behind."""
    slug = f"atk{uuid.uuid4().hex[:8]}"
    code, stderr, rss, url = run_import(stack, archive, slug, engine, **env)
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1, stderr
    for name in [names] if isinstance(names, str) else names:
        assert name in lines[0], lines[0]
    assert stack.tenant(slug, "GET", "/api/tags").status_code == 404
    assert not (stack.data_dir / "tenants" / f"{slug}.sqlite3").exists()
    assert url is None or not pg_database_exists(url)
    assert not (stack.data_dir / "media" / slug).exists()
    return lines[0], rss


@pytest.mark.parametrize("engine", ENGINES)
def test_gzip_bomb_row_is_refused_within_bounded_memory(stack, exported, tmp_path, engine):
    """A 300 MB line compresses to ~300 KB; read whole, it took the importer past 500 MB."""
    _, path = exported
    archive = with_member(path, tmp_path / "bomb.tar.gz", TAGS, Padded(b'[1, "', 300 * 1024**2, b'"]\n'))
    assert archive.stat().st_size < 3 * 1024**2
    line, rss = assert_refused(stack, archive, [TAGS, "CONDUIT_ARCHIVE_MAX_ROW_BYTES"], engine)
    assert rss < 250, f"importer peaked at {rss:.0f} MiB"


def test_oversized_manifest_is_refused_before_it_is_read(stack, exported, tmp_path):
    _, path = exported
    archive = with_manifest(path, tmp_path / "fat.tar.gz", lambda d: Padded(d, 65 * 1024**2, b""))
    line, rss = assert_refused(stack, archive, ["manifest.json", "CONDUIT_ARCHIVE_MAX_MANIFEST_BYTES"])
    assert rss < 250, f"importer peaked at {rss:.0f} MiB"


def test_deeply_nested_manifest_is_an_archive_error(stack, exported, tmp_path):
    _, path = exported
    archive = with_manifest(path, tmp_path / "deep.tar.gz", lambda d: d[:-1] + b', "x": ' + b"[" * 100_000
                            + b"]" * 100_000 + b"}")
    assert_refused(stack, archive, "manifest.json")


MANIFEST_MUTATIONS = {
    "table-entry-not-an-object": lambda m: m["tables"].update(content_tag="x"),
    "row-count-a-string": lambda m: m["tables"]["content_tag"].update(rows="3"),
    "columns-not-a-list": lambda m: m["tables"]["content_tag"].update(columns="id"),
    "tenant-missing": lambda m: m.pop("tenant"),
    "migrations-a-list": lambda m: m.update(migrations=[]),
    "media-an-object": lambda m: m.update(media={}),
    "media-size-negative": lambda m: m["media"][0].update(size=-1),
    "version-a-string": lambda m: m.update(version="1"),
}


@pytest.mark.parametrize("mutation", MANIFEST_MUTATIONS)
def test_manifest_of_the_wrong_shape_is_an_archive_error(stack, exported, tmp_path, mutation):
    _, path = exported

    def change(data):
        manifest = json.loads(data)
        MANIFEST_MUTATIONS[mutation](manifest)
        return json.dumps(manifest).encode()

    assert_refused(stack, with_manifest(path, tmp_path / "shape.tar.gz", change), "manifest.json")


MALFORMED_ROWS = {
    "not-json": b'[1, "x"\n',
    "not-a-list": b'{"id": 1}\n',
    "too-few-values": b"[1]\n",
    "unknown-tag": b'[{"zz": 1}, "x"]\n',
    "two-keys-in-a-tag": b'[{"b": true, "d": 1}, "x"]\n',
    "bad-date": b'[1, {"dt": "yesterday"}]\n',
    "text-for-an-integer": b'["abc", "x"]\n',
    "duplicate-primary-key": b'[1, "x"]\n[1, "y"]\n',
}


@pytest.mark.parametrize("kind", MALFORMED_ROWS)
@pytest.mark.parametrize("engine", ENGINES)
def test_malformed_row_is_an_archive_error_naming_the_member(stack, exported, tmp_path, engine, kind):
    _, path = exported
    archive = with_member(path, tmp_path / "row.tar.gz", TAGS, MALFORMED_ROWS[kind])
    assert_refused(stack, archive, TAGS, engine)


def test_member_missing_from_the_archive_is_named(stack, exported, tmp_path):
    _, path = exported
    archive = write(tmp_path / "missing.tar.gz", [(m, d) for m, d in members(path) if m.name != TAGS])
    assert_refused(stack, archive, [TAGS, "missing"])


def test_member_not_listed_in_the_manifest_is_refused(stack, exported, tmp_path):
    _, path = exported
    extra = tarfile.TarInfo("media/../../planted.sh")
    archive = write(tmp_path / "extra.tar.gz", [*members(path), (extra, b"#!/bin/sh\n")])
    assert_refused(stack, archive, ["media/../../planted.sh", "not listed"])


def test_member_that_is_a_link_is_refused(stack, exported, tmp_path):
    _, path = exported
    link = tarfile.TarInfo(TAGS)
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = write(tmp_path / "link.tar.gz", [*((m, d) for m, d in members(path) if m.name != TAGS), (link, b"")])
    assert_refused(stack, archive, [TAGS, "not a regular file"])


def test_archive_with_too_many_members_is_refused(stack, exported, tmp_path):
    _, path = exported
    assert_refused(stack, path, "CONDUIT_ARCHIVE_MAX_MEMBERS", CONDUIT_ARCHIVE_MAX_MEMBERS=3)


def test_member_over_the_size_limit_is_refused_before_it_is_read(stack, exported, tmp_path):
    _, path = exported
    assert_refused(stack, path, ["CONDUIT_ARCHIVE_MAX_MEMBER_BYTES", "data/"], CONDUIT_ARCHIVE_MAX_MEMBER_BYTES=64)
