"""HTTP caching of the public tenant API, right after TenantMiddleware: unknown, suspended and read-only tenants are
answered before any cached answer could be (503 even when cached), and a hit skips every other middleware.

- GET/HEAD of a public family (httpcache.policy): a strong ETag from tenant, content version, host, path and query,
  Accept and Origin (and the Authorization header, when one is sent), and Last-Modified from the version's time.
  Anonymous: If-None-Match / If-Modified-Since answered 304 after the version check alone; otherwise the shared
  cache (httpcache.store) is asked before the view runs. A stored entry keeps every header the inner middlewares
  gave the answer (security headers, CORS for that Origin, Vary), so a hit is the same answer, replayed.
  `Cache-Control: public, max-age, stale-while-revalidate` per family, surrogate keys.
  With Authorization: never stored, `Cache-Control: private, no-cache`, 304 only after the view ran.
- Unsafe methods answered 2xx bump the tenant's content version before the answer leaves (read-your-writes).
"""
import hashlib
import time

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, parse_etags

from conduit.conf import conduit_settings
from httpcache import policy, store, version

SAFE = frozenset({"GET", "HEAD"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
VARY = ("Accept", "Accept-Encoding", "Authorization", "Host")
CACHEABLE_TYPES = ("application/json", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
HEADER = "X-Conduit-Cache"  # hit | miss | bypass (authenticated) | revalidated (304)
NOT_STORED = frozenset({"content-length", "etag", "last-modified", HEADER.lower(), "set-cookie", "date"})
BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "content-language"})


class HttpCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is None or not conduit_settings.HTTP_CACHE["ENABLED"]:
            return self.get_response(request)
        if request.method in SAFE:
            rule, match = policy.classify(request.path_info)
            if rule is not None:
                return self._read(request, tenant, rule, match)
            return self.get_response(request)
        response = self.get_response(request)
        if (request.method in UNSAFE and 200 <= response.status_code < 300
                and request.path_info not in conduit_settings.HTTP_CACHE["NO_BUMP_PATHS"]):
            version.bump(tenant.slug)  # after the view's commit, before the writer gets its 2xx
        return response

    def _read(self, request, tenant, rule, match):
        seen_at = time.time()
        current = version.current(tenant.slug)
        meta = request.META
        authorization = meta.get("HTTP_AUTHORIZATION")
        variant = "\n".join((str(tenant.id), tenant.slug, current.token, meta.get("HTTP_HOST", ""),
                             request.get_full_path(), meta.get("HTTP_ACCEPT", ""), meta.get("HTTP_ORIGIN", ""),
                             authorization or ""))
        key = hashlib.blake2b(variant.encode(), digest_size=16).hexdigest()
        etag = f'"{key}"'
        # Last-Modified only once the version's second is over: a later write then always has a later second, so an
        # If-Modified-Since copied from this answer can never match a newer version.
        last_modified = int(current.changed_at) if int(seen_at) > int(current.changed_at) else None
        if authorization is not None:
            return self._private(request, etag, last_modified)
        cache_control = policy.cache_control(rule.family)
        entry = None
        if _not_modified(request, etag, None):  # a matching ETag was only ever given to a 200 of this version
            if "HTTP_ORIGIN" not in meta:  # no lookup at all: the version check is the only work
                return _not_modified_response(None, etag, last_modified, cache_control)
            entry = store.get(key)
            if entry is not None:  # a cross-origin 304 carries the stored CORS headers
                return _not_modified_response(entry, etag, last_modified, cache_control)
        entry = entry or store.get(key)
        if entry is not None:
            if _not_modified(request, etag, last_modified):  # If-Modified-Since: the entry proves a 200, not a 404
                return _not_modified_response(entry, etag, last_modified, cache_control)
            response = HttpResponse(entry.body, headers=entry.headers)
            return _validators(response, etag, last_modified, "hit")
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        content_type = response.get("Content-Type", "")
        keys = policy.surrogate_keys(tenant.slug, rule, match, request.GET, response.content, content_type)
        _headers(response, cache_control, keys)
        headers = {k: v for k, v in response.items() if k.lower() not in NOT_STORED}
        store.put(key, store.Entry(response.content, headers))
        if _not_modified(request, etag, last_modified):  # a cross-origin conditional request that found no entry
            return _not_modified_response(store.Entry(b"", headers), etag, last_modified, cache_control)
        return _validators(response, etag, last_modified, "miss")

    def _private(self, request, etag, last_modified):
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        if _not_modified(request, etag, last_modified):
            response = _not_modified_response(store.Entry(b"", dict(response.items())), etag, last_modified, None)
        _headers(response, "private, no-cache", ())
        return _validators(response, etag, last_modified, "bypass")


def _storable(request, response):
    return (request.method == "GET" and response.status_code == 200 and not response.streaming
            and not response.has_header("Set-Cookie") and not response.has_header("Cache-Control")
            and not response.has_header("WWW-Authenticate")
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES))


def _not_modified(request, etag, last_modified):
    """RFC 9110 13.2.2: If-None-Match (weak comparison) decides when present; else If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        return any(t.removeprefix("W/") == etag for t in tags)  # never "*": it would answer 304 for a 404
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since and last_modified is not None:
        since = parse_http_date_safe(since)
        return since is not None and last_modified <= since
    return False


def _not_modified_response(entry, etag, last_modified, cache_control):
    """304: no body; the answer's headers but those describing a body (RFC 9110 15.4.5)."""
    response = HttpResponseNotModified()
    if entry is not None:
        for name, value in entry.headers.items():
            if name.lower() not in BODY_HEADERS:
                response[name] = value
    if cache_control:
        _headers(response, cache_control, ())
    return _validators(response, etag, last_modified, "revalidated")


def _headers(response, cache_control, keys):
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, VARY)
    if keys:
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
    return response


def _validators(response, etag, last_modified, outcome):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response[HEADER] = outcome
    return response
