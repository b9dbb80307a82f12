"""Spike 14: the hot article/tag reads through the ORM (for MongoDB tenants, where there is no SQL cursor).

Same results as content.selectors' SQL: rows in the SQL path's tuple shape, then its `_items`. Avoids values()
across a relation (SecantusDB's $project bug) and M2M prefetch_related (not supported by the backend)."""
from django.db.models import Q

from django.contrib.auth import get_user_model

from accounts.roles import is_owner
from content.models import Article, Tag
from content import selectors as sql

PUBLISHED = Article.Status.PUBLISHED
User = get_user_model()


def _rows(qs, *, limit, offset, body=False, order=("-created_at", "-id")):
    # No select_related: a $lookup per page costs ~180 ms on SecantusDB (500 articles); authors by id is one indexed
    # find. (Application-side join: also what real MongoDB does best without a $lookup.)
    page = list(qs.order_by(*order)[offset:offset + limit])
    authors = {u.pk: u for u in User.objects.filter(pk__in={a.author_id for a in page})} if page else {}
    for a in page:
        a.author = authors[a.author_id]
    count = qs.count() if len(page) == limit or offset else len(page)  # a short first page is the whole count
    rows = [(a.pk, a.slug, a.title, a.description, a.created_at, a.updated_at, a.favorites_count, a.status,
             a.published_at, a.author_id, a.author.username, a.author.bio, a.author.image, a.publish_at,
             a.body if body else None, count) for a in page]
    return [int(a.pk) for a in page], rows, count


def _page_tags(ids):
    tags = {i: [] for i in ids}
    if ids:
        links = list(Article.tags.through.objects.filter(article_id__in=ids).values_list("article_id", "tag_id"))
        names = dict(Tag.objects.filter(pk__in={t for _, t in links}).values_list("pk", "name"))
        for article_id, tag_id in links:
            tags[int(article_id)].append(names[tag_id])
    return tags


def _page(qs, *, user, limit, offset, body=False, order=("-created_at", "-id")):
    ids, rows, count = _rows(qs, limit=limit, offset=offset, body=body, order=order)
    return ids, sql._items(rows, _page_tags(ids), user=user, body=body), count


def article_list(*, user, tag=None, author=None, favorited=None, feed=False, limit=20, offset=0):
    qs = Article.objects.filter(status=PUBLISHED)
    if tag:
        qs = qs.filter(pk__in=list(Article.tags.through.objects.filter(tag__name=tag).values_list("article_id", flat=True)))
    if author:
        qs = qs.filter(author__username=author)
    if favorited:
        qs = qs.filter(favorites__user__username=favorited)
    if feed:
        qs = qs.filter(author__follower_set__follower=user.pk)
    _ids, items, count = _page(qs, user=user, limit=limit, offset=offset)
    return items, count


def article_list_items(*, ids, user):
    found, items, _count = _page(Article.objects.filter(status=PUBLISHED, pk__in=ids), user=user, limit=len(ids),
                                 offset=0)
    return dict(zip(found, items))


def article_detail(*, slug, user):
    qs = Article.objects.filter(slug=slug)
    if not (user.is_authenticated and is_owner(user)):
        qs = qs.filter(Q(status=PUBLISHED) | Q(author=user.pk)) if user.is_authenticated else qs.filter(status=PUBLISHED)
    _ids, items, _count = _page(qs, user=user, limit=1, offset=0, body=True)
    if not items:
        raise sql.NotFound("article")
    return items[0]


def tag_list():
    article_ids = Article.objects.filter(status=PUBLISHED).values_list("pk", flat=True)
    tag_ids = set(Article.tags.through.objects.filter(article_id__in=list(article_ids)).values_list("tag_id", flat=True))
    return sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))


def draft_list(*, user, limit=20, offset=0):
    _ids, items, count = _page(Article.objects.filter(status=Article.Status.DRAFT, author=user.pk), user=user,
                               limit=limit, offset=offset)
    return items, count


def scheduled_list(*, user, everyone=False, limit=20, offset=0):
    qs = Article.objects.filter(status=Article.Status.SCHEDULED)
    if not everyone:
        qs = qs.filter(author=user.pk)
    _ids, items, count = _page(qs, user=user, limit=limit, offset=offset, order=("publish_at", "id"))
    return items, count
