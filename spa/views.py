"""Tenant-host views of the Conduit Frontend: hashed assets, dist-root files, and index.html for client routes."""
import gzip
import logging
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from spa import previews
from spa.shell import NotBuilt, dist_dir, find_file, index_html, with_preview

log = logging.getLogger(__name__)
IMMUTABLE = "public, max-age=31536000, immutable"  # file names carry a content hash
REVALIDATE = "no-cache"  # index.html and un-hashed root files: always asked again (cheap 304s)
SAFE = ("GET", "HEAD")
ARTICLE = re.compile(r"article/([^/]+)/?")
PROFILE = re.compile(r"profile/([^/]+)/?")
# The app's own routes (frontend/src/router.ts parseRoute): anything else gets the same page with status 404, so the
# app still renders its "not found" view while crawlers, probes (/admin/, /wp-login.php) and tests see a 404.
CLIENT_ROUTE = re.compile(r"(?:|index\.html|login|register|settings|search|editor(?:/[^/]+)?|article/[^/]+|tag/[^/]+"
                          r"|profile/[^/]+(?:/favorites|/drafts)?)/?")
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
         ".json": "application/json", ".webmanifest": "application/manifest+json", ".woff2": "font/woff2",
         ".map": "application/json", ".txt": "text/plain", ".html": "text/html", ".ico": "image/x-icon"}
COMPRESSIBLE = {"text/javascript", "text/css", "image/svg+xml", "application/json", "application/manifest+json",
                "text/plain", "text/html"}
GZIP_MIN_BYTES = 1024
# The app's page may run its own scripts only: an injected <script> or on*= attribute cannot run even if a rendering
# bug let one through. Images and media come from anywhere (avatars are URLs; media may be presigned S3 URLs).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src * data: blob:; media-src * blob:; connect-src 'self'; font-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conduit: the app is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>The Conduit app is not built</h1>
<p>This server has no built Conduit Frontend to show. Build it with <code>make run</code>
(or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload this page.</p>
<p>The site's API is unaffected: <a href="/api/articles">/api/articles</a>.</p>
</body></html>
"""


def _method_not_allowed():
    response = JsonResponse({"errors": {"body": ["Method not allowed: this address serves pages (GET)."]}},
                            status=405)
    response["Allow"] = ", ".join(SAFE)
    return response


def _not_built(error):
    log.warning("Conduit Frontend not built: no %s (CONDUIT_FRONTEND_DIR)", error)
    response = HttpResponse(NOT_BUILT, status=503, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Retry-After"] = "30"
    return response


def _not_found():
    return JsonResponse({"errors": {"body": ["Not found."]}}, status=404)


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """A file's gzip body, computed once per file version (assets are immutable; root files rarely change)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def _file_response(request, path: Path, cache_control: str):
    stat = path.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    content_type = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compressible = content_type in COMPRESSIBLE and stat.st_size >= GZIP_MIN_BYTES
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    elif compressible and "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(_gzipped(str(path), stat.st_mtime_ns, stat.st_size), content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(path.read_bytes(), content_type=content_type)
    if content_type.startswith("text/") or content_type.endswith(("json", "+xml")):
        response["Content-Type"] = f"{content_type}; charset=utf-8"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = cache_control
    if compressible:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


@csrf_exempt
def asset(request, path):
    """/assets/<path>: a hashed build output, cached for a year; a missing one is a 404, never index.html."""
    if request.method not in SAFE:
        return _method_not_allowed()
    base = dist_dir()
    if not (base / "index.html").is_file():
        return _not_built(base / "index.html")
    found = find_file(base / "assets", path)
    return _file_response(request, found, IMMUTABLE) if found else _not_found()


@csrf_exempt
def shell(request, path=""):
    """A dist-root file (/default-avatar.svg) or the app's index.html, with link-preview tags where they apply."""
    if request.method not in SAFE:
        return _method_not_allowed()
    try:
        html = index_html()
    except NotBuilt as error:
        return _not_built(error)
    if path and "/" not in path and path != "index.html":
        found = find_file(dist_dir(), path)
        if found:
            return _file_response(request, found, REVALIDATE)
    preview = None
    if match := ARTICLE.fullmatch(path):
        preview = previews.article_preview(request, match[1])
    elif match := PROFILE.fullmatch(path):
        preview = previews.profile_preview(request, match[1])
    status = 200 if CLIENT_ROUTE.fullmatch(path) else 404
    response = HttpResponse(with_preview(html, preview) if preview else html, status=status,
                            content_type="text/html; charset=utf-8")
    response["Cache-Control"] = REVALIDATE
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
