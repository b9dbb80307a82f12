"""Lazy, complete, bounded tenant database aliases (tenancy rule 3)."""
import hashlib
import threading
from collections import OrderedDict

import dj_database_url
from django.conf import settings
from django.db import connections

from conduit.conf import conduit_settings

ALIAS_PREFIX = "tenant_"
_lock = threading.Lock()
_local = threading.local()


def alias_for(tenant):
    """Alias names carry a hash of the URL, so a moved tenant gets a fresh alias and never a stale config."""
    digest = hashlib.blake2s(tenant.database_url.encode(), digest_size=4).hexdigest()
    return f"{ALIAS_PREFIX}{tenant.slug}_{digest}"


def database_settings(url):
    """A complete Django DATABASES entry for a tenant database URL (SQLite: WAL, busy timeout, IMMEDIATE)."""
    if url.startswith(("mongodb://", "mongodb+srv://")):  # no dj_database_url scheme: its own settings
        return connections.configure_settings({"default": mongodb_settings(url)})["default"]
    config = dj_database_url.parse(url, conn_max_age=None)
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    # Fill every key Django would (ATOMIC_REQUESTS, TIME_ZONE, TEST, ...): a complete dict, never a partial one.
    return connections.configure_settings({"default": config})["default"]


def mongodb_settings(url):
    """A MongoDB tenant: the URL (credentials, options) goes to the server's shared client; its path names the
    database. Engine: the backend plus integer ids and one client per server (tenants/engines/mongodb)."""
    from tenants.engines.mongodb.urls import database_name, redacted

    # URL_SECRET: Django's debug pages and settings dumps hide keys naming a secret; HOST would show the password.
    return {"ENGINE": "tenants.engines.mongodb", "NAME": database_name(url), "HOST": redacted(url), "URL_SECRET": url,
            "CONN_MAX_AGE": None}


def ensure_alias(tenant):
    """Register the tenant's alias if needed, mark it used, and close this thread's least recently used
    connections beyond the cap. Connections are per thread (Django), so the LRU is too; alias settings are
    shared by the process and stay registered, so another thread holding the alias never finds it gone."""
    if not conduit_settings.ROUTING_ENABLED:  # single-database mode: the one site lives in the control DB
        return "default"
    alias = alias_for(tenant)
    lru = _thread_lru()
    if alias in lru:
        lru.move_to_end(alias)
        return alias
    if alias not in connections.settings:
        with _lock:
            if alias not in connections.settings:
                config = database_settings(tenant.database_url)
                settings.DATABASES[alias] = config
                connections.settings[alias] = config
    lru[alias] = None
    while len(lru) > max(1, conduit_settings.MAX_TENANT_CONNECTIONS):
        victim, _ = lru.popitem(last=False)
        _close_own(victim)
    return alias


def _thread_lru():
    lru = getattr(_local, "lru", None)
    if lru is None:
        lru = _local.lru = OrderedDict()  # alias -> None, most recently used last
    return lru


def _close_own(alias):
    """Close and drop this thread's connection for an alias (other threads keep theirs)."""
    try:
        connections[alias].close()
    except Exception:  # already closed, never opened, or the alias was released
        pass
    try:
        del connections[alias]
    except AttributeError:
        pass


def release_alias(alias):
    """Forget an alias in the whole process (after a purge or a move); closes this thread's connection."""
    _thread_lru().pop(alias, None)
    _close_own(alias)
    with _lock:
        config = connections.settings.pop(alias, None)
        settings.DATABASES.pop(alias, None)
    if config and "URL_SECRET" in config:  # MongoDB: close the server's shared client if no other alias uses it
        from tenants.engines.mongodb.base import release

        release(config["URL_SECRET"],
                [c["URL_SECRET"] for c in list(connections.settings.values()) if "URL_SECRET" in c])


def release_tenant(tenant):
    """Forget every alias of a tenant in this process (before a purge, move or file replacement)."""
    prefix = f"{ALIAS_PREFIX}{tenant.slug}_"
    for alias in [a for a in list(connections.settings) if a.startswith(prefix)]:
        release_alias(alias)


def open_aliases():
    """This thread's tenant aliases with a connection kept for reuse, least recently used first."""
    return list(_thread_lru())
