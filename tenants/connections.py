"""Lazy, complete, bounded tenant database aliases (tenancy rule 3)."""
import hashlib
import threading
from collections import OrderedDict

import dj_database_url
from django.conf import settings
from django.db import connections

from conduit.conf import conduit_settings

ALIAS_PREFIX = "tenant_"
_lock = threading.RLock()
_lru = OrderedDict()  # alias -> None, most recently used last (per process)


def alias_for(tenant):
    """Alias names carry a hash of the URL, so a moved tenant gets a fresh alias and never a stale config."""
    digest = hashlib.blake2s(tenant.database_url.encode(), digest_size=4).hexdigest()
    return f"{ALIAS_PREFIX}{tenant.slug}_{digest}"


def database_settings(url):
    """A complete Django DATABASES entry for a tenant database URL (SQLite: WAL, busy timeout, IMMEDIATE)."""
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


def ensure_alias(tenant):
    """Register the tenant's alias if needed, mark it used and evict the least recently used beyond the cap."""
    if not conduit_settings.ROUTING_ENABLED:  # single-database mode: the one site lives in the control DB
        return "default"
    alias = alias_for(tenant)
    with _lock:
        if alias in _lru:
            _lru.move_to_end(alias)
            return alias
        config = database_settings(tenant.database_url)
        settings.DATABASES[alias] = config
        connections.settings[alias] = config
        _lru[alias] = None
        while len(_lru) > max(1, conduit_settings.MAX_TENANT_CONNECTIONS):
            victim, _ = _lru.popitem(last=False)
            release_alias(victim)
    return alias


def release_alias(alias):
    """Close this thread's connection for an alias and forget the alias."""
    with _lock:
        _lru.pop(alias, None)
        try:
            connections[alias].close()
        except Exception:  # already closed or never opened
            pass
        try:
            del connections[alias]
        except AttributeError:
            pass
        connections.settings.pop(alias, None)
        settings.DATABASES.pop(alias, None)


def release_tenant(tenant):
    """Forget every alias of a tenant in this process (before a purge, move or file replacement)."""
    prefix = f"{ALIAS_PREFIX}{tenant.slug}_"
    for alias in [a for a in list(_lru) if a.startswith(prefix)]:
        release_alias(alias)


def open_aliases():
    return list(_lru)
