"""Which GETs are public and cacheable (endpoint families), their Cache-Control, and their surrogate keys.

Keys are namespaced by tenant (tenancy rule 5): `tenant:<t>` on every answer, `articles:<t>` on everything that lists
articles (lists, tags), `article:<t>/<slug>`, `tag:<t>/<tag>`, `profile:<t>/<username>`. Names are
percent-encoded, so a key never holds a space or a comma (the separators of Surrogate-Key and Cache-Tag).
"""
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from conduit.conf import conduit_settings


@dataclass(frozen=True)
class Rule:
    family: str
    pattern: re.Pattern
    lists_articles: bool = False


RULES = [
    Rule("articles", re.compile(r"^/api/articles$"), lists_articles=True),
    Rule("comments", re.compile(r"^/api/articles/(?P<slug>[^/]+)/comments$")),
    Rule("article", re.compile(r"^/api/articles/(?!feed$)(?P<slug>[^/]+)$")),
    Rule("tags", re.compile(r"^/api/tags$"), lists_articles=True),
    Rule("profiles", re.compile(r"^/api/profiles/(?P<username>[^/]+)$")),
]
# Not here: /api/search and /api/articles/<slug>/related change as the background embedder adds vectors, which bumps
# no content version, so neither shared entries nor version validators would be right for them. Feeds and sitemaps
# (feeds/) carry their own ETag, Last-Modified and Cache-Control.


def classify(path: str):
    """(rule, match) for a cacheable public path, else (None, None)."""
    for rule in RULES:
        match = rule.pattern.match(path)
        if match:
            return rule, match
    return None, None


def cache_control(family: str) -> str:
    max_age, stale = conduit_settings.HTTP_CACHE["FAMILIES"].get(family, (0, 0))
    return f"public, max-age={max_age}, stale-while-revalidate={stale}"


def _name(value: str) -> str:
    return quote(str(value), safe="-._~@")


def tenant_key(tenant: str) -> str:
    return f"tenant:{_name(tenant)}"


def articles_key(tenant: str) -> str:
    return f"articles:{_name(tenant)}"


def article_key(tenant: str, slug: str) -> str:
    return f"article:{_name(tenant)}/{_name(slug)}"


def tag_key(tenant: str, tag: str) -> str:
    return f"tag:{_name(tenant)}/{_name(tag)}"


def profile_key(tenant: str, username: str) -> str:
    return f"profile:{_name(tenant)}/{_name(username)}"


def _article_keys(tenant, article, keys):
    if not isinstance(article, dict):
        return
    if article.get("slug"):
        keys.append(article_key(tenant, article["slug"]))
    author = article.get("author")
    if isinstance(author, dict) and author.get("username"):
        keys.append(profile_key(tenant, author["username"]))
    for tag in article.get("tagList") or ():
        keys.append(tag_key(tenant, tag))


def surrogate_keys(tenant: str, rule: Rule, match, query, body: bytes, content_type: str) -> list[str]:
    """The keys of one answer: from its path and query, and (JSON answers) the articles and authors it shows."""
    keys = [tenant_key(tenant)]
    if rule.lists_articles:
        keys.append(articles_key(tenant))
    groups = match.groupdict()
    if groups.get("slug"):
        keys.append(article_key(tenant, groups["slug"]))
    if groups.get("username"):
        keys.append(profile_key(tenant, groups["username"]))
    if query.get("tag"):
        keys.append(tag_key(tenant, query["tag"]))
    for name in ("author", "favorited"):
        if query.get(name):
            keys.append(profile_key(tenant, query[name]))
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            _article_keys(tenant, data.get("article"), keys)
            for article in data.get("articles") or ():
                _article_keys(tenant, article, keys)
            for comment in data.get("comments") or ():
                if isinstance(comment, dict) and isinstance(comment.get("author"), dict):
                    keys.append(profile_key(tenant, comment["author"].get("username", "")))
    return list(dict.fromkeys(k for k in keys if not k.endswith("/")))
