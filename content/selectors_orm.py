"""The hot article and tag reads through the ORM: the path of tenant databases with no SQL cursor (MongoDB).

content.selectors dispatches here, so callers see one interface. Same results as its SQL path: rows in that path's
tuple shape, handed to its `_items`; tests/api/test_selector_parity.py runs both paths on one database and compares.
Every query touches one collection: related rows are fetched by id, never joined. On MongoDB a join is a `$lookup`,
which cost 3-9x the by-id queries in the measurements of docs/mongodb.md. No values() across a relation either
(SecantusDB's $project bug) and no M2M prefetch_related (the backend does not support it)."""
from django.db.models import Q

from django.contrib.auth import get_user_model

from accounts.roles import is_owner
from content.models import Article, Favorite, Follow, Tag, tag_names
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


def _page(qs, *, user, limit, offset, body=False, order=("-created_at", "-id")):
    ids, rows, count = _rows(qs, limit=limit, offset=offset, body=body, order=order)
    return ids, sql._items(rows, tag_names(ids), user=user, body=body), count


def article_list(*, user, tag=None, author=None, favorited=None, feed=False, limit=20, offset=0):
    qs = Article.objects.filter(status=PUBLISHED)
    if tag:
        tag_ids = list(Tag.objects.filter(name=tag).values_list("pk", flat=True))
        qs = qs.filter(pk__in=list(Article.tags.through.objects.filter(tag_id__in=tag_ids)
                                   .values_list("article_id", flat=True)))
    if author:
        qs = qs.filter(author_id__in=list(User.objects.filter(username=author).values_list("pk", flat=True)))
    if favorited:
        fans = list(User.objects.filter(username=favorited).values_list("pk", flat=True))
        qs = qs.filter(pk__in=list(Favorite.objects.filter(user_id__in=fans).values_list("article_id", flat=True)))
    if feed:
        qs = qs.filter(author_id__in=list(Follow.objects.filter(follower=user.pk).values_list("followee_id", flat=True)))
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
    # Tags in use, less those used only by unpublished articles: the $nin holds the few drafts and scheduled ones,
    # not every published id.
    unpublished = list(Article.objects.exclude(status=PUBLISHED).values_list("pk", flat=True))
    tag_ids = set(Article.tags.through.objects.exclude(article_id__in=unpublished)
                  .values_list("tag_id", flat=True).distinct())
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
