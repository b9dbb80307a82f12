"""Anonymous answers: an in-process LRU in front of the shared `http` cache (files under the data dir, or Redis).

An entry is immutable once stored (its key holds the tenant's content version), so a process may keep it in memory
as long as it likes: freshness is decided by the version check alone, never by this store.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import caches

from conduit.conf import conduit_settings
from httpcache.version import ALIAS


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: dict  # every header of the answer but its validators (middleware.NOT_STORED)


class LocalEntries:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = OrderedDict()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = conduit_settings.HTTP_CACHE["LOCAL_ENTRIES"]
        if limit <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


local = LocalEntries()


def get(key: str):
    entry = local.get(key)
    if entry is None:
        raw = caches[ALIAS].get(f"httpcache:e:{key}")
        if isinstance(raw, tuple) and len(raw) == 2:  # anything else (another release's format) is a miss
            entry = Entry(*raw)
            local.put(key, entry)
    return entry


def put(key: str, entry: Entry) -> None:
    local.put(key, entry)
    caches[ALIAS].set(f"httpcache:e:{key}", (entry.body, entry.headers),
                      conduit_settings.HTTP_CACHE["ENTRY_SECONDS"])
