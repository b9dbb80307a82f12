"""A portable, versioned archive of one tenant (tar.gz: manifest.json, a JSON-lines file per table, media)."""
import base64
import contextlib
import datetime
import decimal
import hashlib
import io
import json
import tarfile
import tempfile
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from conduit.conf import conduit_settings
from tenants import provisioning
from tenants.connections import ensure_alias, release_tenant
from tenants.context import TenantInfo
from tenants.models import Tenant, TenantMove
from tenants.router import CONTROL_APPS
from tenants.selectors import tenant_get
from tenants.services import Actor, TenantError, audit_record, validate_slug
from tenants.transfer import tables
from tenants.transfer.files import tenant_files
from tenants.transfer.reader import FORMAT, READ_ERRORS, VERSION, ArchiveError, ArchiveReader
from tenants.transfer.recovery import set_read_only

__all__ = ["ArchiveError", "FORMAT", "VERSION", "tenant_export", "tenant_import"]

CHUNK_BYTES = 16 * 1024 * 1024  # rows are inserted in chunks of at most this many archived bytes (bounded memory)

def _tagged(value):
    """The inverse of tables.normalise."""
    if not isinstance(value, dict):
        return value
    (tag, raw), = value.items()
    if tag == "dt":
        return datetime.datetime.fromisoformat(raw)
    if tag == "d":
        return datetime.time.fromisoformat(raw) if ":" in raw else datetime.date.fromisoformat(raw)
    decoders = {"b": bool, "td": lambda s: datetime.timedelta(seconds=s), "dec": decimal.Decimal, "uuid": uuid.UUID,
                "bin": base64.b64decode, "json": json.loads}
    return decoders[tag](raw)


def _media_storage():
    files = tenant_files()
    if files is None:
        raise ArchiveError("archive holds media but no installed app stores tenant files")
    return files.storage()


def _media_keys(storage, prefix):
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}{name}"
    for name in directories:
        yield from _media_keys(storage, f"{prefix}{name}/")


def _add_bytes(tar, name, data):
    member = tarfile.TarInfo(name)
    member.size, member.mtime = len(data), int(timezone.now().timestamp())
    tar.addfile(member, io.BytesIO(data))


@contextlib.contextmanager
def _snapshot(tenant, alias):
    """Every table read inside this sees one state of the tenant.

    SQLite and PostgreSQL: one (repeatable-read, read-only) transaction. MongoDB: Django's atomic() is a no-op there,
    and a snapshot session (start_session(snapshot=True)) is not used because SecantusDB, the server the tests run,
    accepts snapshot=True but reads later writes (probed), so nothing could test it; and on a real mongod a snapshot
    older than minSnapshotHistoryWindowInSeconds (300 s) fails a long export with SnapshotTooOld. Instead the tenant
    is made read-only for the export, the switch a move uses (writes are refused with a 503 and Retry-After), and the
    export fails if anything changed the tenant's row meanwhile (e.g. a move's recovery made it writable)."""
    if connections[alias].vendor != "mongodb":
        with transaction.atomic(using=alias):
            if connections[alias].vendor == "postgresql":
                connections[alias].cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    if tenant.read_only:  # a move (or an operator) holds it read-only already: leave the switch to them
        yield
        return
    set_read_only(tenant.pk, True)
    marked = Tenant.objects.get(pk=tenant.pk).updated_at
    try:
        time.sleep(conduit_settings.REGISTRY_REFRESH_SECONDS + conduit_settings.MOVE_GRACE_SECONDS)
        yield
        if Tenant.objects.get(pk=tenant.pk).updated_at != marked:
            raise TenantError(f"tenant '{tenant.slug}' changed during the export (it was made writable or moved); "
                              "retry the export")
    finally:
        # Writable again only if the row is still as this export left it: an operator's or a move's switch made
        # meanwhile stands. An export whose process died leaves the tenant read-only until `move_tenant --recover`.
        still_ours = Tenant.objects.filter(pk=tenant.pk, updated_at=marked, read_only=True).exists()
        if still_ours and not TenantMove.objects.filter(tenant_id=tenant.pk, status__in=TenantMove.ACTIVE).exists():
            set_read_only(tenant.pk, False)


def tenant_export(*, slug: str, path: str | Path, actor: Actor, media: bool = False) -> dict:
    """Write the tenant's tables (a consistent snapshot) and optionally its media to `path`; returns the manifest."""
    tenant = tenant_get(slug=slug)
    alias = ensure_alias(tenant.info())
    models = tables.tenant_models()
    manifest = {
        "format": FORMAT, "version": VERSION, "checksum": tables.CHECKSUM_MS, "created_at": timezone.now().isoformat(),
        "tenant": {"slug": tenant.slug, "name": tenant.name}, "schema_fingerprint": provisioning.schema_fingerprint(),
        "migrations": tables.applied_migrations(alias), "tables": {}, "media": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        with _snapshot(tenant, alias):  # one snapshot of every table
            for model in models:
                digest, checksum, count = hashlib.sha256(), tables.Digest(tables.CHECKSUM_MS), 0
                with open(Path(tmp) / f"{model._meta.db_table}.jsonl", "wb") as out:
                    for row in checksum.feed(tables.read_rows(alias, model)):
                        line = tables.encode_row(row).encode() + b"\n"  # the data stays lossless (µs)
                        out.write(line)
                        digest.update(line)
                        count += 1
                manifest["tables"][model._meta.db_table] = {
                    "model": model._meta.label_lower, "columns": tables.columns(model), "rows": count,
                    "sha256": digest.hexdigest(), "checksum": checksum.value[1],
                }
        media = media and tenant_files() is not None
        storage = _media_storage() if media else None
        for key in sorted(_media_keys(storage, f"{slug}/")) if media else []:
            relative = key[len(slug) + 1:]
            local, digest, size = Path(tmp) / "media" / relative, hashlib.sha256(), 0
            local.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(key, "rb") as handle, open(local, "wb") as out:
                for chunk in iter(lambda: handle.read(1 << 20), b""):  # streamed: media files can be large
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            manifest["media"].append({"key": relative, "size": size, "sha256": digest.hexdigest()})
        with tarfile.open(path, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            for model in models:
                tar.add(Path(tmp) / f"{model._meta.db_table}.jsonl", arcname=f"data/{model._meta.db_table}.jsonl")
            for entry in manifest["media"]:
                tar.add(Path(tmp) / "media" / entry["key"], arcname=f"media/{entry['key']}")
    audit_record(actor=actor, action="tenant.export", target=slug, detail={
        "rows": sum(t["rows"] for t in manifest["tables"].values()), "media": len(manifest["media"]),
        "schema": manifest["schema_fingerprint"]})
    return manifest


def check_schema(manifest, known_migrations) -> set | None:
    """Refuse an archive with a migration this code does not know; return its migrations if it is older."""
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names
                if app not in CONTROL_APPS}
    known = {(app, name) for app, name in known_migrations if app not in CONTROL_APPS}
    unknown = sorted(archived - known)
    if unknown:
        raise ArchiveError(f"archive is from a newer schema: migration {unknown[0][0]}.{unknown[0][1]} is unknown "
                           "here; upgrade Conduit before importing it")
    return archived if known - archived else None


def _rows(reader, name, width, digest):
    """(decoded row, archived bytes) of a table member; any malformed line is an ArchiveError naming it."""
    for number, line in reader.lines(name, digest):
        try:
            values = json.loads(line)
        except (ValueError, RecursionError):
            raise ArchiveError(f"archive member {name}: line {number} is not valid JSON") from None
        if not isinstance(values, list) or len(values) != width:
            raise ArchiveError(f"archive member {name}: line {number} is not a list of {width} values")
        try:
            row = [_tagged(v) for v in values]
        except (KeyError, ValueError, TypeError, ArithmeticError, RecursionError) as exc:
            raise ArchiveError(f"archive member {name}: line {number} holds an unreadable value "
                               f"({type(exc).__name__})") from None
        yield row, len(line)


def _insert(alias, model, name, rows):
    driver_error = connections[alias].Database.Error  # PostgreSQL's COPY raises psycopg's own errors
    try:
        return tables.insert_rows(alias, model, rows)
    except (DatabaseError, driver_error, ValidationError, ValueError, TypeError, OverflowError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ArchiveError(f"archive member {name} does not fit table {model._meta.db_table}: {reason}") from None


def _load(reader, manifest, alias, models, recomputed=None):
    """Load every table, checking each member against the archive's sha256; with `recomputed` (a dict), also put
    there each table's (rows, digest in tables.CHECKSUM_MS) of the archived rows."""
    by_table = {m._meta.db_table: m for m in models}
    if set(by_table) != set(manifest["tables"]):
        raise ArchiveError("archive tables do not match this schema")
    tables.clear_tables(alias, models)
    for model in models:
        table = model._meta.db_table
        entry, name = manifest["tables"][table], f"data/{table}.jsonl"
        if entry["columns"] != tables.columns(model):
            raise ArchiveError(f"archive columns of {table} do not match this schema")
        digest, count, chunk, size = hashlib.sha256(), 0, [], 0
        checksum = tables.Digest(tables.CHECKSUM_MS)
        for row, length in _rows(reader, name, len(entry["columns"]), digest):
            if recomputed is not None:
                checksum.add(row)
            chunk.append(row)
            size += length
            if len(chunk) >= tables.BATCH or size >= CHUNK_BYTES:
                count += _insert(alias, model, name, chunk)
                chunk, size = [], 0
        count += _insert(alias, model, name, chunk) if chunk else 0
        if count != entry["rows"] or digest.hexdigest() != entry["sha256"]:
            raise ArchiveError(f"archive data of {table} is corrupt (row count or checksum differs)")
        if recomputed is not None:
            recomputed[table] = checksum.value
    tables.reset_sequences(alias, models)


def _confine_media_keys(alias, old_slug, slug):
    """Every row naming a media key ends under the new tenant's prefix: the archived tenant's keys are re-keyed, any
    other key (another tenant's, a traversal) refuses the archive. With or without media files in it."""
    files = tenant_files()
    if files is None:
        return
    try:
        files.confine(alias, old_slug, slug)
    except ValueError as exc:
        raise ArchiveError(str(exc)) from exc


def _expected_digests(manifest, vendor):
    """({table: (rows, digest)} the loaded database must match, or None and a dict `_load` fills).

    Version 2 archives record each table's digest at milliseconds (tables.CHECKSUM_MS), which every engine
    reproduces. Older archives have only the sha256 of their data lines, i.e. the µs digest: a SQLite or PostgreSQL
    database is verified against it exactly as before. MongoDB cannot hold microseconds, so there the data lines
    are still checked against that sha256 as they load, and the database against the ms digest of those rows."""
    if manifest["version"] >= 2:
        return {t: (e["rows"], e["checksum"]) for t, e in manifest["tables"].items()}, None
    if vendor == "mongodb":
        return None, {}
    return {t: (e["rows"], e["sha256"]) for t, e in manifest["tables"].items()}, None


def tenant_import(*, path: str | Path, actor: Actor, slug: str | None = None,
                  database_url: str | None = None) -> Tenant:
    """Restore an archive into a new tenant on any engine; all-or-nothing, verified against its checksums."""
    from django.db.migrations.loader import MigrationLoader

    with ArchiveReader(path) as reader:
        manifest = reader.manifest()
        older = check_schema(manifest, set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes))
        old_slug = manifest["tenant"]["slug"]
        slug = validate_slug((slug or old_slug).strip())
        url = provisioning.tenant_database_url(slug, database_url)
        try:
            provisioning.database_create(url)
        except provisioning.ProvisioningError as exc:
            raise TenantError(str(exc), field="database_url") from exc
        info = TenantInfo(id=0, slug=slug, name=slug, status="active", database_url=url)
        written = []
        try:
            alias = ensure_alias(info)
            # An older archive loads into the schema it was made with (historical models), then migrates forward.
            models = tables.tenant_models(tables.schema_at(alias, older) if older else apps)
            expected, recomputed = _expected_digests(manifest, connections[alias].vendor)
            # Not a transaction on MongoDB (Django's atomic() is a no-op there), and none is needed: on any failure
            # the new database is dropped below.
            with transaction.atomic(using=alias):
                _load(reader, manifest, alias, models, recomputed)
            checksum = tables.CHECKSUM_US if manifest["version"] < 2 and recomputed is None else tables.CHECKSUM_MS
            actual = tables.database_digest(alias, models, checksum)
            for table, entry in (expected or recomputed).items():
                if actual[table] != entry:
                    raise ArchiveError(f"imported {table} does not match the archive checksum")
            if older:
                tables.migrate_forward(alias)
            with transaction.atomic(using=alias):
                _confine_media_keys(alias, old_slug, slug)
            _restore_media(reader, manifest, old_slug, slug, alias, tables.tenant_models(), written)
            release_tenant(info)
            with transaction.atomic():
                tenant = Tenant.objects.create(slug=slug, name=manifest["tenant"]["name"] or slug, database_url=url,
                                               schema_version=provisioning.schema_fingerprint(),
                                               migrated_at=timezone.now())
                audit_record(actor=actor, action="tenant.import", target=slug, detail={
                    "from_slug": old_slug, "archive_created_at": manifest["created_at"],
                    "rows": sum(t["rows"] for t in manifest["tables"].values()), "media": len(written),
                    "database": provisioning.redact(url)})
        except BaseException:
            release_tenant(info)
            provisioning.database_drop(url)
            for key in written:
                _media_storage().delete(key)
            raise
    return tenant


def _restore_media(reader, manifest, old_slug, slug, alias, models, written):
    """Write archived media under the new tenant prefix (each key appended to `written` as soon as it is stored);
    other text columns naming an old key are pointed at the new one."""
    if not manifest["media"]:
        return
    storage = _media_storage()
    for entry in manifest["media"]:
        name, digest = f"media/{entry['key']}", hashlib.sha256()
        handle = reader.open(name)
        with tempfile.TemporaryFile() as spool:  # checked before anything reaches the storage
            try:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    spool.write(chunk)
                    digest.update(chunk)
            except READ_ERRORS as exc:
                raise ArchiveError(f"archive member {name} cannot be read: {exc}") from exc
            if digest.hexdigest() != entry["sha256"]:
                raise ArchiveError(f"archive media {entry['key']} is corrupt (checksum differs)")
            key = f"{slug}/{entry['key']}"
            if storage.exists(key):
                raise ArchiveError(f"media key {key} already exists in storage")
            spool.seek(0)
            written.append(storage.save(key, File(spool)))
    if slug != old_slug:
        _rekey(alias, models, {f"{old_slug}/{e['key']}": f"{slug}/{e['key']}" for e in manifest["media"]})


def _rekey(alias, models, renames):
    """Rewrite text columns whose whole value is an archived media key (e.g. Media.key) to the new tenant prefix."""
    prefix = next(iter(renames)).split("/", 1)[0] + "/"
    with transaction.atomic(using=alias):
        for model in models:
            manager = model._base_manager.using(alias)
            for field in model._meta.concrete_fields:
                if field.get_internal_type() not in ("CharField", "TextField", "FileField", "ImageField"):
                    continue
                hits = manager.filter(**{f"{field.attname}__startswith": prefix}).values_list("pk", field.attname)
                for pk, value in list(hits):
                    if value in renames:
                        manager.filter(pk=pk).update(**{field.attname: renames[value]})
