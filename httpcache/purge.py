"""The events subscriber: each finished content event bumps its tenant's content version (writes made outside
requests reach the caches too) and, when CONDUIT_CDN_PURGE_URL is set, purges the edge by surrogate key.

Purge request shapes (CONDUIT_CDN_PURGE_STYLE, docs/caching.md):
- `tags` (default; Cloudflare's purge_cache API takes exactly this): POST {"tags": [...]} with
  `Authorization: Bearer <CONDUIT_CDN_PURGE_TOKEN>` when a token is set;
- `fastly`: POST {"surrogate_keys": [...]} with `Fastly-Key: <token>` (Fastly's batch purge by surrogate key).
At most PURGE_BATCH keys per call. A failed purge is logged, never raised (the worker goes on; the edge then holds
an answer for at most its max-age).
"""
import json
import logging
import urllib.request
from collections import defaultdict

from conduit.conf import conduit_settings
from httpcache import policy, version

log = logging.getLogger(__name__)
PURGE_BATCH = 30  # Cloudflare's limit of tags per purge call


def on_events(events):
    by_tenant = defaultdict(list)
    for event in events:
        by_tenant[event.tenant].append(event)
    for slug in by_tenant:
        version.bump(slug)
    if not conduit_settings.CDN_PURGE_URL:
        return
    for slug, tenant_events in by_tenant.items():
        try:
            keys = event_keys(slug, tenant_events)
        except Exception:  # the tenant is gone or its database unreachable: purge all of it
            log.warning("cdn purge: keys not resolved; purging the tenant", extra={"tenant": slug}, exc_info=True)
            keys = [policy.tenant_key(slug)]
        purge(keys)


def event_keys(slug, events):
    """The surrogate keys the events touch; a change whose entity is gone (deleted) purges the whole tenant."""
    from content.models import Article, Comment
    from tenants.context import tenant_context

    keys = []
    with tenant_context(slug):
        for event in events:
            found = None
            if event.entity == "article" and event.type != "article.deleted":
                found = Article.objects.filter(pk=event.entity_id).select_related("author").first()
            elif event.entity == "comment" and event.type != "comment.deleted":
                comment = Comment.objects.filter(pk=event.entity_id).select_related("article__author").first()
                found = comment.article if comment else None
            if found is None:
                return [policy.tenant_key(slug)]
            keys += [policy.article_key(slug, found.slug), policy.profile_key(slug, found.author.username)]
            if event.entity == "article":
                keys.append(policy.articles_key(slug))
                keys += [policy.tag_key(slug, name) for name in found.tags.values_list("name", flat=True)]
    return list(dict.fromkeys(keys))


def purge(keys):
    """POST the keys to CONDUIT_CDN_PURGE_URL (no-op when unset); True when every call answered 2xx."""
    url = conduit_settings.CDN_PURGE_URL
    if not url or not keys:
        return True
    fastly = conduit_settings.CDN_PURGE_STYLE == "fastly"
    token = conduit_settings.CDN_PURGE_TOKEN
    ok = True
    for start in range(0, len(keys), PURGE_BATCH):
        batch = keys[start:start + PURGE_BATCH]
        body = {"surrogate_keys": batch} if fastly else {"tags": batch}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers.update({"Fastly-Key": token} if fastly else {"Authorization": f"Bearer {token}"})
        request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=conduit_settings.CDN_PURGE_TIMEOUT) as response:
                response.read()
        except Exception as exc:  # HTTPError (non-2xx) included
            ok = False
            log.warning("cdn purge failed", extra={"keys": len(batch), "error": str(exc)})
    return ok
