"""GET /feed.xml, /feed.json, /tag/<tag>/feed.{xml,json}, /profile/<username>/feed.{xml,json}, /sitemap.xml,
/sitemap-<n>.xml and /robots.txt on a tenant host: public, cached (Cache-Control), conditional (ETag +
Last-Modified → 304 through django.views.decorators.http.condition).

The strong ETag is a hash of what the document is made of: for a feed its entries' heads (id, slug, title, updated,
author; one query, no bodies), for a sitemap the count, newest update and id sum of the published articles, plus
the site's settings and base URL either way. A changed body or tag list bumps `updated_at`, so equal hashes mean
equal documents. The rendered document is kept in the cache under that ETag (tenancy rule 5: keys carry the
tenant), so a client without a validator costs the same query and a cache read.

Last-Modified must only move forward: a deleted article lowers nothing a client can compare with If-Modified-Since.
So it is the time this deployment first saw the current ETag (shared through the cache; never earlier than the
newest update it covers; a change within the second of the previous one is dated a second later). A process with
no record of the ETag starts from now: a client then gets the full document once more. The one gap: with a
per-process cache (no REDIS_URL), a process that never saw the previous version can date a change made within the
same second as that version's date, and a client that sends only If-Modified-Since gets 304s until the next change;
If-None-Match (which feed readers send, and which wins over If-Modified-Since) is exact.
"""
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.http import http_date
from django.views.decorators.http import condition

from conduit.conf import conduit_settings
from conduit.errors import error_json
from conduit.exceptions import ApplicationError, NotFound
from feeds import formats, markup, selectors
from feeds.formats import path_part, stable_id
from feeds.site import base_url, site_meta

SAFE = ("GET", "HEAD")
FORMAT_VERSION = 1  # bump when the rendered documents change shape: every ETag changes with it
STATE_SECONDS = 7 * 24 * 3600  # how long an ETag's first-seen time is remembered


@dataclass
class Document:
    """What one request serves: its validators, and how to make the body when it has to be sent."""

    key: str  # the cache key prefix of this document (tenant + what)
    etag: str
    newest: datetime | None
    content_type: str
    render: callable
    last_modified: datetime | None = None


def _method_not_allowed():
    response = JsonResponse({"errors": {"body": ["Method not allowed: this address serves a document (GET)."]}},
                            status=405)
    response["Allow"] = ", ".join(SAFE)
    return response


def _hash(*parts) -> str:
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:40] + '"'


def _first_seen(document: Document) -> datetime:
    """Last-Modified of the document: when its ETag was first seen here (monotonic, see the module docstring)."""
    key = f"{document.key}:seen"
    state = cache.get(key)
    if state and state[0] == document.etag:
        return state[1]
    seen = datetime.now(timezone.utc).replace(microsecond=0)
    if document.newest:
        seen = max(seen, document.newest.replace(microsecond=0))
    if state:  # HTTP dates have whole seconds: a change within the second of the last one still moves forward
        seen = max(seen, state[1] + timedelta(seconds=1))
    cache.set(key, (document.etag, seen), STATE_SECONDS)
    return seen


def _serve(request, build):
    """Method check, the document's validators, then Django's conditional GET around the (cached) body."""
    if request.method not in SAFE:
        return _method_not_allowed()
    try:
        document = build(request)
    except ApplicationError as error:
        return error_json(error)
    document.last_modified = _first_seen(document)

    @condition(etag_func=lambda r: document.etag, last_modified_func=lambda r: document.last_modified)
    def respond(r):
        body_key = f"{document.key}:body:{document.etag}"
        body = cache.get(body_key)
        if body is None:
            body = document.render()
            cache.set(body_key, body, conduit_settings.FEED_MAX_AGE)
        return HttpResponse(body, content_type=document.content_type)

    response = respond(request)
    response["Cache-Control"] = f"public, max-age={conduit_settings.FEED_MAX_AGE}"
    return response


def _key(request, *parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"feeds:{request.tenant.slug}:{digest}"


# Feeds


def _feed(request, fmt: str, *, tag: str | None = None, username: str | None = None) -> Document:
    base = base_url(request)
    meta = site_meta(request, base)
    author = None
    if username is not None:
        author = selectors.author_get(username=username)
        home, title = f"{base}/profile/{path_part(author.username)}", f"{author.username} — {meta.title}"
        scope = ("profile", author.pk)
    elif tag is not None:
        if "\x00" in tag:
            raise NotFound("tag")
        home, title = f"{base}/tag/{path_part(tag)}", f"#{tag} — {meta.title}"
        scope = ("tag", tag)
    else:
        home, title, scope = f"{base}/", meta.title, ("site",)
    entries = selectors.feed_entries(limit=conduit_settings.FEED_ITEMS, tag=tag, author=author)
    if tag is not None and not entries:
        raise NotFound("tag")  # a tag with no published article is no tag of this site
    etag = _hash(FORMAT_VERSION, fmt, scope, base, meta.fingerprint(),
                 None if author is None else (author.username, author.bio, author.image),
                 [(e.id, e.slug, e.title, e.description, e.updated, e.published, e.author, e.author_image)
                  for e in entries])
    tenant = request.tenant.slug
    feed_path = home.removeprefix(base).rstrip("/")

    def render() -> bytes:
        bodies, tags = selectors.entry_bodies([e.id for e in entries])
        items = []
        for e in entries:
            url = f"{base}/article/{path_part(e.slug)}"
            items.append(formats.Item(
                id=stable_id(tenant, "article", e.id), url=url, title=e.title, summary=e.description,
                html=markup.render_cached((tenant, e.id, e.updated), bodies.get(e.id, ""), base_url=url),
                published=e.published, updated=e.updated, author=e.author,
                author_url=f"{base}/profile/{path_part(e.author)}", author_image=e.author_image or "",
                tags=tags.get(e.id, []),
            ))
        feed = formats.Feed(
            id=stable_id(tenant, "feed", *scope), title=title, description=meta.description if not author else
            (author.bio or ""), language=meta.language, home_url=home, atom_url=f"{base}{feed_path}/feed.xml",
            json_url=f"{base}{feed_path}/feed.json", author=author.username if author else meta.title,
            author_url=home, logo=meta.logo, tag_url=f"{base}/tag/", items=items,
        )
        return formats.atom(feed) if fmt == "atom" else formats.json_feed(feed)

    return Document(key=_key(request, "feed", fmt, scope), etag=etag,
                    newest=max((e.updated for e in entries), default=None),
                    content_type=formats.ATOM_TYPE if fmt == "atom" else formats.JSON_FEED_TYPE, render=render)


def site_feed(request, fmt):
    return _serve(request, lambda r: _feed(r, fmt))


def tag_feed(request, tag, fmt):
    return _serve(request, lambda r: _feed(r, fmt, tag=tag))


def profile_feed(request, username, fmt):
    return _serve(request, lambda r: _feed(r, fmt, username=username))


# Sitemaps


def _sitemap(request, page: int | None) -> Document:
    """page None: /sitemap.xml (the urlset, or the index once there is more than one page); n: /sitemap-<n>.xml.

    The URLs are the home page, then every published article in id order (new articles go to the last page)."""
    base, size = base_url(request), conduit_settings.SITEMAP_PAGE_SIZE
    count, newest, id_sum = selectors.sitemap_stats()
    pages = max(1, math.ceil((count + 1) / size))
    if page is not None and not 1 <= page <= pages:
        raise NotFound("sitemap")
    index = page is None and pages > 1
    etag = _hash(FORMAT_VERSION, "sitemap", page, size, base, count, newest, id_sum)

    def articles(n):  # (offset, limit) of page n's articles: the home page takes the first place of page 1
        start, stop = (n - 1) * size, n * size
        return max(0, start - 1), stop - 1 - max(0, start - 1)

    def render() -> bytes:
        if index:
            return formats.sitemapindex(
                (f"{base}/sitemap-{n}.xml", selectors.sitemap_page_lastmod(*articles(n))) for n in range(1, pages + 1))
        n = page or 1
        urls = [(f"{base}/", newest)] if n == 1 else []
        offset, limit = articles(n)
        urls += [(f"{base}/article/{path_part(slug)}", updated)
                 for slug, updated in selectors.sitemap_urls(offset=offset, limit=limit)]
        return formats.urlset(urls)

    return Document(key=_key(request, "sitemap", page), etag=etag, newest=newest, content_type=formats.XML_TYPE,
                    render=render)


def sitemap(request):
    return _serve(request, lambda r: _sitemap(r, None))


def sitemap_page(request, page):
    return _serve(request, lambda r: _sitemap(r, page))


def robots(request):
    def build(r):
        base = base_url(r)
        return Document(key=_key(r, "robots"), etag=_hash(FORMAT_VERSION, "robots", base), newest=None,
                        content_type=formats.TEXT_TYPE, render=lambda: formats.robots(f"{base}/sitemap.xml"))

    return _serve(request, build)
