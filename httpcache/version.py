"""The per-tenant content version: one key per tenant in the shared `http` cache, replaced on every content change.

A version is a never-reused token "<unix time>:<random>" (not a counter): bumping is a plain `set`, atomic in Redis
and in the file cache (write then rename), so concurrent writers in several processes can never lose a bump the way
a read-increment-write counter can. An answer is stored under the version read *before* it was computed, and every
bump happens after its write committed, so an answer stored under the current version saw every committed write
whose bump landed earlier. A version key that is missing (never bumped, or evicted) is replaced by a fresh token:
that only makes older answers unreachable. Why the cache and not a database row: the check runs on every cached
read, and the point of the cache is that a hot read touches no database at all.
"""
import secrets
import time
from dataclasses import dataclass

from django.core.cache import caches

ALIAS = "http"


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: float  # unix time of the bump (Last-Modified)


def _key(slug: str) -> str:
    return f"httpcache:v:{slug}"


def _token(at: float | None = None) -> str:
    return f"{time.time() if at is None else at:.6f}:{secrets.token_hex(6)}"


def _parse(token: str) -> Version:
    return Version(token, float(token.split(":", 1)[0]))


def current(slug: str) -> Version:
    """The tenant's content version (a fresh one when none is stored)."""
    cache = caches[ALIAS]
    token = cache.get(_key(slug))
    if token is None:
        cache.add(_key(slug), _token(), None)
        token = cache.get(_key(slug)) or _token()
    return _parse(token)


def bump(slug: str, *, at: float | None = None) -> Version:
    """A new version for the tenant: every answer cached under an older one is unreachable from now on.

    `at` backdates the version's time (tests of If-Modified-Since); it is still a new, never-reused token.
    """
    token = _token(at)
    caches[ALIAS].set(_key(slug), token, None)
    return _parse(token)
