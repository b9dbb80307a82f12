"""Reads for feeds and sitemaps in the current tenant's database: published articles only, newest first.

Drafts, scheduled articles (until the worker publishes them) and anything else not `published` never appear. The
newest-first order is by publication time (a draft written long ago and published today leads the feed), read from
the end of the index (status, -published_at): every published article has that time (content.services and the
scheduler set it; content migration 0004 gave older rows their creation time).
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Sum

from content import selectors as content
from content.models import Article

NotFound = content.NotFound


@dataclass(frozen=True)
class Entry:
    """One feed entry without its body (the head: what the ETag is computed from)."""

    id: int
    slug: str
    title: str
    description: str
    created: datetime
    updated: datetime
    published: datetime
    author: str
    author_image: str | None


def published():
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def author_get(*, username: str):
    """The user behind /profile/<username>, or NotFound("profile")."""
    return content.user_get(username=username)


def feed_entries(*, limit: int, tag: str | None = None, author=None) -> list[Entry]:
    """The newest `limit` published articles of the site, of a tag or of an author (one query)."""
    articles = published()
    if tag is not None:
        articles = articles.filter(tags__name=tag)
    if author is not None:
        articles = articles.filter(author=author)
    rows = (articles.filter(published_at__isnull=False).order_by("-published_at", "-id")  # index article_status_published
            .values_list("id", "slug", "title", "description", "created_at", "updated_at", "published_at",
                         "author__username", "author__image")[:limit])
    return [Entry(*row) for row in rows]


def entry_bodies(ids) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Bodies and sorted tag names of the articles `ids` (two queries)."""
    bodies = dict(Article.objects.filter(pk__in=ids).values_list("id", "body"))
    tags = {i: [] for i in ids}
    for article_id, name in Article.tags.through.objects.filter(article_id__in=ids).values_list("article_id",
                                                                                                 "tag__name"):
        tags[article_id].append(name)
    return bodies, {i: sorted(names) for i, names in tags.items()}


def sitemap_stats() -> tuple[int, datetime | None, int]:
    """Count, newest update and id sum of the published articles: changes whenever the sitemap's content does."""
    found = published().aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"))
    return found["n"], found["last"], found["ids"] or 0


def sitemap_urls(*, offset: int, limit: int) -> list[tuple[str, datetime]]:
    """(slug, updated_at) of one sitemap page of published articles, in id order (new ones go to the last page)."""
    return list(published().order_by("id").values_list("slug", "updated_at")[offset:offset + limit])


def sitemap_page_lastmod(offset: int, limit: int) -> datetime | None:
    return (published().order_by("id")[offset:offset + limit]).aggregate(last=Max("updated_at"))["last"]
