"""Reading an untrusted tenant archive within limits: every malformed input is one ArchiveError naming the member."""
import json
import re
import tarfile
import zlib

from conduit.conf import conduit_settings
from tenants.services import TenantError

FORMAT = "conduit-tenant-archive"
VERSION = 2  # 2: each table also has "checksum", its rows' digest in format tables.CHECKSUM_MS (datetimes at ms)
MANIFEST = "manifest.json"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError)


class ArchiveError(TenantError):
    def __init__(self, message):
        super().__init__(message, field="archive")


def plain_key(key) -> bool:
    """A relative path of plain segments (no leading '/', no '.', '..' or empty segment, no backslash or NUL)."""
    return (isinstance(key, str) and bool(key) and not any(c in key for c in "\\\x00")
            and not any(p in ("", ".", "..") for p in key.split("/")))


def _expect(ok, where, what):
    if not ok:
        raise ArchiveError(f"archive member {MANIFEST}: {where} must be {what}")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def validate_manifest(manifest) -> dict:
    """Check the manifest's shape and types, so nothing later meets a KeyError or a TypeError."""
    _expect(isinstance(manifest, dict), "the manifest", "a JSON object")
    if manifest.get("format") != FORMAT:
        raise ArchiveError("not a Conduit tenant archive: unknown format")
    version = manifest.get("version")
    _expect(_is_int(version), "version", "a whole number")
    if version > VERSION:
        raise ArchiveError(f"archive format version {version} is newer than this Conduit ({VERSION})")
    _expect(isinstance(manifest.get("created_at"), str), "created_at", "a string")
    tenant = manifest.get("tenant")
    _expect(isinstance(tenant, dict) and isinstance(tenant.get("slug"), str) and isinstance(tenant.get("name"), str),
            "tenant", 'an object with string "slug" and "name"')
    migrations = manifest.get("migrations")
    _expect(isinstance(migrations, dict) and all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()),
        "migrations", "an object of lists of migration names")
    tables = manifest.get("tables")
    _expect(isinstance(tables, dict), "tables", "an object")
    for name, entry in tables.items():
        where = f"tables.{name}"
        _expect(isinstance(entry, dict), where, "an object")
        _expect(isinstance(entry.get("columns"), list) and all(isinstance(c, str) for c in entry["columns"]),
                f"{where}.columns", "a list of column names")
        _expect(_is_int(entry.get("rows")), f"{where}.rows", "a whole number")
        _expect(isinstance(entry.get("sha256"), str) and SHA256_RE.match(entry["sha256"]), f"{where}.sha256",
                "64 lowercase hex digits")
        if version >= 2:
            _expect(isinstance(entry.get("checksum"), str) and SHA256_RE.match(entry["checksum"]),
                    f"{where}.checksum", "64 lowercase hex digits")
    media = manifest.get("media")
    _expect(isinstance(media, list), "media", "a list")
    seen = set()
    for index, entry in enumerate(media):
        where = f"media[{index}]"
        _expect(isinstance(entry, dict), where, "an object")
        if not plain_key(entry.get("key")):  # never outside the tenant prefix
            raise ArchiveError(f"archive media key {entry.get('key')!r} is not a plain relative path")
        _expect(entry["key"] not in seen, f"{where}.key", "unique")
        seen.add(entry["key"])
        _expect(_is_int(entry.get("size")), f"{where}.size", "a whole number")
        _expect(isinstance(entry.get("sha256"), str) and SHA256_RE.match(entry["sha256"]), f"{where}.sha256",
                "64 lowercase hex digits")
    return manifest


class ArchiveReader:
    """One pass over the member headers (bounded in number and size), then members read on demand."""

    def __init__(self, path):
        self.path = path
        limits = conduit_settings.ARCHIVE_LIMITS
        self.max_member, self.max_row = limits["member_bytes"], limits["row_bytes"]
        try:
            self.tar = tarfile.open(path, "r:gz")
        except READ_ERRORS as exc:
            raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
        self.members, count = {}, 0
        try:
            while (member := self.tar.next()) is not None:  # tarfile keeps every header it reads: count them all
                count += 1
                if count > limits["members"]:
                    raise ArchiveError(f"archive has more than {limits['members']} members (CONDUIT_ARCHIVE_MAX_MEMBERS)")
                if member.isdir():
                    continue
                if member.name in self.members:
                    raise ArchiveError(f"archive member {member.name} appears twice")
                if not member.isfile():
                    raise ArchiveError(f"archive member {member.name} is not a regular file")
                limit = limits["manifest_bytes"] if member.name == MANIFEST else self.max_member
                if member.size > limit:
                    setting = "MANIFEST" if member.name == MANIFEST else "MEMBER"
                    raise ArchiveError(f"archive member {member.name} is {member.size} bytes, over the {limit}-byte "
                                       f"limit (CONDUIT_ARCHIVE_MAX_{setting}_BYTES)")
                self.members[member.name] = member
        except READ_ERRORS as exc:
            self.tar.close()
            raise ArchiveError(f"cannot read archive {path}: {exc}") from exc
        except BaseException:
            self.tar.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.tar.close()

    def open(self, name):
        if name not in self.members:
            raise ArchiveError(f"archive member {name} is missing")
        try:
            return self.tar.extractfile(self.members[name])
        except READ_ERRORS as exc:
            raise ArchiveError(f"archive member {name} cannot be read: {exc}") from exc

    def read(self, name):
        try:
            return self.open(name).read()
        except READ_ERRORS as exc:
            raise ArchiveError(f"archive member {name} cannot be read: {exc}") from exc

    def manifest(self) -> dict:
        if MANIFEST not in self.members:
            raise ArchiveError("not a Conduit tenant archive: manifest.json is missing or unreadable")
        try:
            manifest = json.loads(self.read(MANIFEST))
        except (ValueError, RecursionError) as exc:
            raise ArchiveError("not a Conduit tenant archive: manifest.json is missing or unreadable") from exc
        manifest = validate_manifest(manifest)
        expected = {MANIFEST, *(f"data/{t}.jsonl" for t in manifest["tables"]),
                    *(f"media/{m['key']}" for m in manifest["media"])}
        for name in sorted(self.members):
            if name not in expected:
                raise ArchiveError(f"archive member {name} is not listed in the manifest")
        for name in sorted(expected):
            if name not in self.members:
                raise ArchiveError(f"archive member {name} is missing")
        for entry in manifest["media"]:
            if self.members[f"media/{entry['key']}"].size != entry["size"]:
                raise ArchiveError(f"archive media {entry['key']} is corrupt (size differs)")
        return manifest

    def lines(self, name, digest):
        """(line number, raw line) of a JSON-lines member, one bounded line at a time, fed to `digest`."""
        handle = self.open(name)
        number = 0
        try:
            while line := handle.readline(self.max_row + 1):
                number += 1
                if len(line) > self.max_row:
                    raise ArchiveError(f"archive member {name}: line {number} is longer than {self.max_row} bytes "
                                       "(CONDUIT_ARCHIVE_MAX_ROW_BYTES)")
                digest.update(line)
                yield number, line
        except READ_ERRORS as exc:
            raise ArchiveError(f"archive member {name} cannot be read: {exc}") from exc
