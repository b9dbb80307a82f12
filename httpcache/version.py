"""The per-tenant content version: one key per tenant in the shared `http` cache, replaced on every content change.

A version is a never-reused token "<unix time>:<random>" (not a counter): bumping is a plain `set`, atomic in Redis
and in the file cache (write then rename), so concurrent writers in several processes can never lose a bump the way
a read-increment-write counter can. An answer is stored under the version read *before* it was computed, and every
bump happens after its write committed, so an answer stored under the current version saw every committed write
whose bump landed earlier. A version key that is missing (never bumped, or evicted) is replaced by a fresh token:
that only makes older answers unreachable. Why the cache and not a database row: the check runs on every cached
read, and the point of the cache is that a hot read touches no database at all.
"""
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

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


def _directory():
    """With the file cache, versions are plain files in its `versions/` subdirectory: one open and read per check
    (the cache's own get hashes the key, unpickles and decompresses: several times slower on the hot path). The
    cache never culls or clears a subdirectory."""
    cache = caches[ALIAS]
    if not isinstance(cache, FileBasedCache):
        return None
    directory = Path(cache._dir) / "versions"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


_NO_DIRECTORY = object()
_directory_memo = {"alias": _NO_DIRECTORY}


def _versions_dir():
    cache = caches[ALIAS]
    if _directory_memo["alias"] is not cache:  # caches[] gives one object per thread; settings may change in tests
        _directory_memo["alias"], _directory_memo["dir"] = cache, _directory()
    return _directory_memo["dir"]


def _read_file(directory, slug):
    try:
        fd = os.open(f"{directory}/{quote(slug, safe='')}", os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        return os.read(fd, 256).decode() or None
    finally:
        os.close(fd)


def _write_file(directory, slug, token, *, replace=True):
    """Write then rename: a reader sees the old token or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".v")
    with os.fdopen(fd, "wb") as f:
        f.write(token.encode())
    target = directory / quote(slug, safe="")
    if replace:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # only if absent (atomic): the first writer's token wins
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def current(slug: str) -> Version:
    """The tenant's content version (a fresh one when none is stored)."""
    directory = _versions_dir()
    if directory is not None:
        token = _read_file(directory, slug)
        if token is None:
            _write_file(directory, slug, _token(), replace=False)
            token = _read_file(directory, slug)
        return _parse(token)
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
    directory = _versions_dir()
    if directory is not None:
        _write_file(directory, slug, token)
    else:
        caches[ALIAS].set(_key(slug), token, None)
    return _parse(token)
