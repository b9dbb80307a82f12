"""Engine-neutral table data of a tenant database: models in dependency order, row copy, checksums, sequences."""
import base64
import datetime
import decimal
import hashlib
import itertools
import json
import uuid

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tenants.router import CONTROL_APPS, is_control_model

BATCH = 2000

# Checksum formats. A digest hashes rows encoded by `encode_row(row, checksum)`:
# - CHECKSUM_US (1): datetimes at microseconds. Archives of format version 1 (no "checksum" in the manifest) carry
#   only this kind: the sha256 of their data lines, which are the rows encoded this way.
# - CHECKSUM_MS (2, current): datetimes truncated to milliseconds on every engine, because MongoDB stores
#   milliseconds (a µs digest of a SQLite row never equals the one read back from MongoDB). Moves verify with it,
#   and archives from version 2 record it per table beside the sha256 of their (still µs, lossless) data lines.
CHECKSUM_US, CHECKSUM_MS = 1, 2
CHECKSUM = CHECKSUM_MS


def tenant_models(app_registry=apps):
    """Every concrete table a tenant database holds (M2M tables included), parents before children."""
    models = [
        m for m in app_registry.get_models(include_auto_created=True)
        if not is_control_model(m._meta.app_label, m._meta.model_name) and m._meta.managed and not m._meta.proxy
    ]
    by_label = {m._meta.label_lower: m for m in models}
    ordered, seen = [], set()

    def visit(model):
        if model._meta.label_lower in seen:
            return
        seen.add(model._meta.label_lower)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target._meta.label_lower in by_label and target is not model:
                visit(by_label[target._meta.label_lower])
        ordered.append(model)

    for model in sorted(models, key=lambda m: m._meta.db_table):
        visit(model)
    return ordered


def fields(model):
    """Concrete fields in a canonical order (pk, then by name): the same for current and historical models."""
    return sorted(model._meta.concrete_fields, key=lambda f: (not f.primary_key, f.attname))


def columns(model):
    return [f.attname for f in fields(model)]


def read_rows(alias, model):
    """All rows as tuples of Python values (the engine's converters applied), in primary-key order."""
    return model._base_manager.using(alias).order_by("pk").values_list(*columns(model)).iterator(chunk_size=BATCH)


def normalise(value, checksum=CHECKSUM_US):
    """One value in a form that is the same whichever engine it was read from (JSON-safe); datetimes at µs, or at
    ms for `checksum=CHECKSUM_MS` (truncated, as pymongo stores them)."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        if checksum == CHECKSUM_MS:
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return {"dt": value.isoformat(timespec="microseconds")}
    if isinstance(value, (datetime.date, datetime.time)):
        return {"d": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"td": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"dec": format(value.normalize(), "f")}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, (bytes, memoryview, bytearray)):
        return {"bin": base64.b64encode(bytes(value)).decode()}
    return {"json": json.dumps(value, sort_keys=True, separators=(",", ":"))}


def encode_row(row, checksum=CHECKSUM_US):
    """A row as one JSON line: at µs (the default) it is an archive's data line, lossless."""
    return json.dumps([normalise(v, checksum) for v in row], separators=(",", ":"), ensure_ascii=False)


def table_digest(alias, model, checksum=CHECKSUM):
    """(row count, sha256 of the normalised rows in primary-key order)."""
    digest = Digest(checksum)
    for _ in digest.feed(read_rows(alias, model)):
        pass
    return digest.value


def database_digest(alias, models=None, checksum=CHECKSUM):
    return {m._meta.db_table: table_digest(alias, m, checksum) for m in models or tenant_models()}


def clear_tables(alias, models):
    """Empty every table (children first), e.g. the content types the template was cloned with."""
    connection = connections[alias]
    if connection.vendor == "mongodb":
        for model in reversed(models):
            connection.get_collection(model._meta.db_table).delete_many({}, session=connection.session)
        return
    with connection.cursor() as cursor:
        for model in reversed(models):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def insert_rows(alias, model, rows):
    """Insert rows with their primary keys as they are (bulk_create would re-stamp auto_now fields).

    PostgreSQL gets COPY FROM STDIN, SQLite batched executemany; values pass through each field's
    get_db_prep_save, so the engine stores exactly what the ORM would.
    """
    connection = connections[alias]
    ordered = fields(model)
    quote = connection.ops.quote_name
    table, cols = quote(model._meta.db_table), ", ".join(quote(f.column) for f in ordered)
    prepared = ([f.get_db_prep_save(v, connection=connection) for f, v in zip(ordered, row)] for row in rows)
    total = 0
    if connection.vendor == "mongodb":  # documents keyed by column, the ObjectId _id left to the driver
        collection = connection.get_collection(model._meta.db_table)
        columns = [f.column for f in ordered]
        while batch := list(itertools.islice(prepared, BATCH)):
            collection.insert_many([dict(zip(columns, values)) for values in batch], session=connection.session)
            total += len(batch)
        return total
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
                    total += 1
            return total
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(ordered))})"
        while batch := list(itertools.islice(prepared, BATCH)):
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


class Digest:
    """Row count and sha256 of normalised rows, fed while the rows stream past (one read for copy and checksum)."""

    def __init__(self, checksum=CHECKSUM):
        self.count, self.hash, self.checksum = 0, hashlib.sha256(), checksum

    def add(self, row):
        self.hash.update(encode_row(row, self.checksum).encode())
        self.hash.update(b"\n")
        self.count += 1

    def feed(self, rows):
        for row in rows:
            self.add(row)
            yield row

    @property
    def value(self):
        return self.count, self.hash.hexdigest()


def reset_sequences(alias, models):
    """Make the next generated id follow the highest copied one (PostgreSQL sequences / sqlite_sequence)."""
    connection = connections[alias]
    if connection.vendor == "mongodb":  # the counters collection (tenants/engines/mongodb/compiler.py)
        from django.db.models import Max

        from tenants.engines.mongodb.compiler import COUNTERS, integer_auto_pk

        for model in models:
            if integer_auto_pk(model._meta) is None:
                continue
            top = model._base_manager.using(alias).aggregate(top=Max("pk"))["top"] or 0
            connection.get_collection(COUNTERS).update_one(
                {"_id": model._meta.db_table}, {"$max": {"seq": int(top)}}, upsert=True)
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for model in models:
                pk = model._meta.pk
                if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                    continue
                table = model._meta.db_table
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, MAX({connection.ops.quote_name(pk.column)})"
                    f" FROM {connection.ops.quote_name(table)} HAVING COUNT(*) > 0", [table],
                )
        else:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def pending_migrations(alias):
    """Migrations not yet applied to a database (names), as `migrate` would see them."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan if m.app_label not in CONTROL_APPS]


def applied_migrations(alias):
    """{app: [migration names]} recorded in a tenant database (control apps left out)."""
    applied = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        if app in CONTROL_APPS:
            continue
        applied.setdefault(app, []).append(name)
    return applied


def schema_at(alias, applied):
    """Migrate a freshly cloned tenant database back to the state where exactly `applied` had run.

    Returns the models registry of that state (historical models), to load data of an older archive.
    """
    executor = MigrationExecutor(connections[alias])
    graph = executor.loader.graph
    targets = []
    for app in sorted({a for a, _ in graph.nodes if a not in CONTROL_APPS}):
        mine = {n for n in graph.nodes if n[0] == app and n in applied}
        leaves = [n for n in mine if not any(c in mine for c in graph.node_map[n].children)]
        targets += leaves or [(app, None)]
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None], at_end=True).apps


def migrate_forward(alias):
    executor = MigrationExecutor(connections[alias])
    executor.migrate(executor.loader.graph.leaf_nodes())
