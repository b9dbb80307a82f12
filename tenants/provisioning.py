"""Create, clone and drop tenant databases (tenancy rule 7: provisioning is a clone of a migrated template)."""
import fcntl
import hashlib
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import dj_database_url
import psycopg
from psycopg import sql
from django.conf import settings
from django.core.management import call_command

from conduit.conf import conduit_settings
from tenants.connections import ensure_alias, release_tenant
from tenants.context import TenantInfo, tenant_context
from tenants.router import CONTROL_APPS

TEMPLATE_SLUG = "template"
SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql", "mongodb", "mongodb+srv")
PG_OPTIONS = {"sslmode", "connect_timeout", "application_name", "target_session_attrs"}  # never host, passfile, ...
SECRET_WORDS = ("pass", "secret", "token", "key")
logger = logging.getLogger(__name__)


class ProvisioningError(Exception):
    """A tenant database could not be created, reached or dropped; the message says why."""


class ProvisioningConflict(ProvisioningError):
    """The database (file) to create exists already."""


@lru_cache(maxsize=1)
def schema_fingerprint():
    """A short hash of every migration a tenant database receives: equal fingerprints mean nothing pending."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = sorted(f"{app}.{name}" for app, name in loader.graph.nodes if app not in CONTROL_APPS)
    return hashlib.sha256("\n".join(nodes).encode()).hexdigest()[:16]


def tenant_database_url(slug, override=None):
    return (override or conduit_settings.TENANT_DATABASE_URL).replace("{slug}", slug)


def _scheme(url):
    try:
        return urlsplit(str(url)).scheme
    except ValueError:
        return ""


def is_sqlite(url):
    return _scheme(url) == "sqlite"


def is_mongodb(url):
    return _scheme(url) in ("mongodb", "mongodb+srv")


def sqlite_path(url):
    return Path(dj_database_url.parse(url)["NAME"])


def _pg_parts(url):
    cfg = dj_database_url.parse(url)
    return cfg["NAME"], dict(
        host=cfg.get("HOST") or None, port=cfg.get("PORT") or None, user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
    )


@contextmanager
def _pg_admin(url):
    """An autocommit connection to the server's `postgres` database, for CREATE/DROP DATABASE."""
    _, params = _pg_parts(url)
    try:
        conn = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params)
    except psycopg.Error as exc:  # refused, timed out, not PostgreSQL, auth: one answer, the detail in the log only
        logger.warning("cannot reach database server for %s: %s", redact(url), str(exc).strip())
        raise ProvisioningError(f"cannot reach database server for {redact(url)}") from None
    try:
        yield conn
    finally:
        conn.close()


def redact(url):
    """The URL with its password (and any secret-looking query value) hidden; for every scheme, never raising."""
    url = str(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if "@" in parts.netloc:
        userinfo, host = parts.netloc.rsplit("@", 1)
        if ":" in userinfo:
            url = url.replace(f"//{parts.netloc}", f"//{userinfo.split(':', 1)[0]}:***@{host}", 1)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(w in k.lower() for k, _ in pairs for w in SECRET_WORDS):
        query = urlencode([(k, "***" if any(w in k.lower() for w in SECRET_WORDS) else v) for k, v in pairs],
                          safe="*")
        url = url.replace(f"?{parts.query}", f"?{query}", 1)
    return url


def _migrate(info):
    with tenant_context(info):
        alias = ensure_alias(info)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    release_tenant(info)


def _template_info(url):
    return TenantInfo(id=0, slug=TEMPLATE_SLUG, name="template", status="active", database_url=url)


# --- SQLite -------------------------------------------------------------------------------------------

def _sqlite_template(directory):
    path = directory / ".templates" / f"template-{schema_fingerprint()}.sqlite3"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            tmp = path.with_name(f".{uuid.uuid4().hex}.sqlite3")
            try:
                _migrate(_template_info(f"sqlite:///{tmp}"))
                import sqlite3

                with sqlite3.connect(tmp) as db:  # fold the WAL into the main file so one file copy is complete
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                os.replace(tmp, path)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return path


def _sqlite_create(url):
    target = sqlite_path(url)
    if target.exists():
        raise ProvisioningConflict(f"database file {target} already exists")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProvisioningError(f"cannot create directory for {target}: {exc.strerror}") from exc
    template = _sqlite_template(target.parent)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    shutil.copyfile(template, tmp)
    try:
        os.link(tmp, target)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError as exc:
        raise ProvisioningConflict(f"database file {target} already exists") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _sqlite_drop(url):
    path = sqlite_path(url)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL ---------------------------------------------------------------------------------------

def _pg_url_for(url, dbname):
    cfg = dj_database_url.parse(url)
    auth = cfg.get("USER") or ""
    if cfg.get("PASSWORD"):
        auth += f":{cfg['PASSWORD']}"
    host = cfg.get("HOST") or "localhost"
    port = f":{cfg['PORT']}" if cfg.get("PORT") else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{dbname}"


def _pg_exists(conn, name):
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _pg_template(url, conn):
    name = f"conduit_template_{schema_fingerprint()}"
    if _pg_exists(conn, name):
        return name
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [name])
    try:
        if not _pg_exists(conn, name):
            building = f"{name}_building_{uuid.uuid4().hex[:8]}"
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
            try:
                _migrate(_template_info(_pg_url_for(url, building)))
                conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)))
            except BaseException:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building)))
                raise
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])
    return name


def _pg_create(url):
    dbname, _ = _pg_parts(url)
    with _pg_admin(url) as conn:
        if _pg_exists(conn, dbname):
            raise ProvisioningConflict(f"database {dbname} already exists on that server")
        template = _pg_template(url, conn)
        try:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(dbname), sql.Identifier(template)))
        except psycopg.Error as exc:
            raise ProvisioningError(f"cannot create database {dbname}: {str(exc).strip()}") from exc


def _pg_drop(url):
    dbname, _ = _pg_parts(url)
    with _pg_admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


# --- MongoDB (no server-side clone: the template's collections and indexes are recreated, its few rows copied) ----

@contextmanager
def _mongo_server(url):
    """The shared client of the URL's server and the database it names. An unreachable server is one answer,
    whatever the reason, the detail in the log only (as for PostgreSQL); a command the server refused says so."""
    from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

    from tenants.engines.mongodb import urls
    from tenants.engines.mongodb.base import held_client

    name = urls.database_name(url)
    try:
        with held_client(url) as client:
            yield client, name
    except OperationFailure as exc:  # reached, and refused: authentication, authorisation, a name it will not take
        logger.warning("database server refused an operation on %s: %s", redact(url), exc)
        raise ProvisioningError(f"the database server of {redact(url)} refused to provision {name} "
                                f"(code {exc.code}: authentication, permissions or the database name)") from None
    except (ConnectionFailure, PyMongoError) as exc:
        logger.warning("cannot reach database server for %s: %s", redact(url), exc)
        raise ProvisioningError(f"cannot reach database server for {redact(url)}") from None


def _mongo_exists(client, name):
    return name in client.list_database_names()


# The server's `conduit_templates` database: `templates` maps a schema fingerprint to its migrated template database;
# `claims` holds one document per tenant database name being or having been created, so creation is atomic.
MONGO_META = "conduit_templates"
MONGO_CLAIM_STALE_SECONDS = 600


def _mongo_template(url, client):
    """The name of a migrated template database for the current schema on this server, building one if needed.

    Lock-free: each builder migrates a database of its own, then registers it under the schema fingerprint (a unique
    _id); a builder that loses the race drops its copy. A registered template that is gone or incomplete (dropped by
    hand) is unregistered and rebuilt."""
    from pymongo.errors import DuplicateKeyError

    registry = client[MONGO_META]["templates"]
    fingerprint = schema_fingerprint()
    found = registry.find_one({"_id": fingerprint})
    if found and client[found["database"]]["django_migrations"].estimated_document_count():
        return found["database"]
    if found:
        registry.delete_one({"_id": fingerprint, "database": found["database"]})
    from tenants.engines.mongodb import urls

    building = f"conduit_template_{fingerprint}_{uuid.uuid4().hex[:8]}"
    try:
        _migrate(_template_info(urls.with_database(url, building)))
        registry.insert_one({"_id": fingerprint, "database": building})
        return building
    except DuplicateKeyError:
        client.drop_database(building)
        return registry.find_one({"_id": fingerprint})["database"]
    except BaseException:
        client.drop_database(building)
        raise


def _mongo_create(url):
    """Claim the name (a unique insert: of two concurrent creators exactly one wins, the other is a conflict), then
    recreate the template's collections and indexes and copy its rows. Only the claimant drops on failure."""
    from pymongo.errors import DuplicateKeyError

    with _mongo_server(url) as (client, name):
        claims = client[MONGO_META]["claims"]
        if _mongo_exists(client, name):
            raise ProvisioningConflict(f"database {name} already exists on that server")
        try:
            claims.insert_one({"_id": name, "at": time.time()})
        except DuplicateKeyError:
            # A claim whose creator died before making anything (no database) is taken over once it is stale.
            stale = claims.find_one_and_update({"_id": name, "at": {"$lt": time.time() - MONGO_CLAIM_STALE_SECONDS}},
                                               {"$set": {"at": time.time()}})
            if stale is None or _mongo_exists(client, name):
                raise ProvisioningConflict(f"database {name} already exists on that server") from None
        try:
            template, target = client[_mongo_template(url, client)], client[name]
            for collection in template.list_collection_names():
                target.create_collection(collection)
                indexes = [_index_model(spec) for spec in template[collection].list_indexes() if spec["name"] != "_id_"]
                if indexes:
                    target[collection].create_indexes(indexes)
                documents = list(template[collection].find())
                if documents:
                    target[collection].insert_many(documents)
        except BaseException:
            client.drop_database(name)
            claims.delete_one({"_id": name})
            raise


def _index_model(spec):
    from pymongo import IndexModel

    options = {k: v for k, v in spec.items() if k not in ("key", "v", "ns")}
    return IndexModel(list(spec["key"].items()), **options)


def _mongo_drop(url):
    with _mongo_server(url) as (client, name):
        client.drop_database(name)
        client[MONGO_META]["claims"].delete_one({"_id": name})  # the name may be created again


# --- Public interface ---------------------------------------------------------------------------------

def check_url(url):
    """Refuse URLs of engines tenants cannot use, with a clear message."""
    if _scheme(url) not in SCHEMES or not str(url).startswith(tuple(f"{s}:" for s in SCHEMES)):
        raise ProvisioningError(f"unsupported tenant database URL {redact(url)!r}: use sqlite:///, postgres:// or mongodb:// "
                                f"(supported schemes: {', '.join(SCHEMES)})")
    if is_mongodb(url):
        from tenants.engines.mongodb.urls import MongoURLError, parse

        try:
            parse(url)
        except MongoURLError as exc:
            raise ProvisioningError(str(exc)) from None
        return
    try:
        dj_database_url.parse(url)
    except Exception as exc:  # dj_database_url raises plain ValueError/KeyError on garbage
        raise ProvisioningError(f"invalid database URL {redact(url)!r}: {exc}") from exc


def _allowed_dirs():
    return [Path(d).resolve() for d in conduit_settings.DATABASE_DIRS]


def check_target(url):
    """A new tenant database goes only where the operator allows: SQLite files under CONDUIT_DATABASE_DIRS, servers
    in CONDUIT_DATABASE_HOSTS. Checked before anything touches the target, so no answer says what exists there."""
    check_url(url)
    if is_mongodb(url):
        from tenants.engines.mongodb.urls import hosts

        allowed = {h.strip().lower() for h in conduit_settings.DATABASE_HOSTS}
        for host, host_port in hosts(url):
            if host not in allowed and host_port not in allowed:
                raise ProvisioningError(f"database host {host!r} is not allowed for tenant databases: an operator can "
                                        "add it to CONDUIT_DATABASE_HOSTS")
        return
    if is_sqlite(url):
        path = Path(os.path.abspath(sqlite_path(url))).resolve()
        if not any(path != d and path.is_relative_to(d) for d in _allowed_dirs()):
            raise ProvisioningError(
                f"SQLite tenant databases must lie under {', '.join(map(str, _allowed_dirs()))} "
                f"(CONDUIT_DATABASE_DIRS); {redact(url)!r} does not")
        return
    cfg = dj_database_url.parse(url)
    options = sorted(set(cfg.get("OPTIONS") or {}) - PG_OPTIONS)
    if options:
        raise ProvisioningError(f"database URL option {options[0]!r} is not allowed for tenant databases "
                                f"(allowed: {', '.join(sorted(PG_OPTIONS))})")
    allowed = {h.strip().lower() for h in conduit_settings.DATABASE_HOSTS}
    for host in str(cfg.get("HOST") or "localhost").split(","):
        host = host.strip().lower() or "localhost"
        if host not in allowed and f"{host}:{cfg.get('PORT') or 5432}" not in allowed:
            raise ProvisioningError(f"database host {host!r} is not allowed for tenant databases: an operator can "
                                    "add it to CONDUIT_DATABASE_HOSTS")


def database_create(url):
    """Create a tenant database by cloning the migrated template for the current schema."""
    check_target(url)
    (_sqlite_create if is_sqlite(url) else _mongo_create if is_mongodb(url) else _pg_create)(url)


def database_drop(url):
    check_url(url)
    (_sqlite_drop if is_sqlite(url) else _mongo_drop if is_mongodb(url) else _pg_drop)(url)


def database_exists(url):
    if is_sqlite(url):
        return sqlite_path(url).exists()
    if is_mongodb(url):
        with _mongo_server(url) as (client, name):
            return _mongo_exists(client, name)
    dbname, _ = _pg_parts(url)
    with _pg_admin(url) as conn:
        return _pg_exists(conn, dbname)


def database_migrate(info):
    """Apply pending migrations to one tenant database."""
    _migrate(info)


def data_dir():
    return Path(settings.DATA_DIR)
