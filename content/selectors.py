"""Reads of the RealWorld domain in the current tenant's database (a constant number of queries per call)."""
from datetime import datetime, timezone
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Q

from accounts.roles import is_owner
from conduit import exceptions
from content.models import Article, Comment, Favorite, Follow, Tag
from content import serializers

User = get_user_model()
MAX_ID = 2**63 - 1
PUBLISHED = Article.Status.PUBLISHED
ArticleListItemOut = serializers.ArticleListItemOut  # the list item's schema, for search (its allowed edge)


class NotFound(exceptions.NotFound):
    """A looked-up object does not exist (or is not visible); `resource` (the field) names it for the error body."""


def _clean(value: str, resource: str) -> str:
    if "\x00" in value:  # PostgreSQL cannot even compare a string holding NUL
        raise NotFound(resource)
    return value


def user_get(*, username: str) -> User:
    user = User.objects.filter(username=_clean(username, "profile")).first()
    if user is None:
        raise NotFound("profile")
    return user


def is_following(*, follower, followee) -> bool:
    if not follower.is_authenticated or follower.pk == followee.pk:
        return False
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def followed_ids(*, user, author_ids) -> set[int]:
    if not user.is_authenticated or not author_ids:
        return set()
    return set(Follow.objects.filter(follower=user, followee_id__in=author_ids).values_list("followee_id", flat=True))


def visible_articles(*, user):
    """Published articles, plus the user's own drafts and scheduled ones; a site owner sees every article."""
    if user.is_authenticated:
        if is_owner(user):
            return Article.objects.all()
        return Article.objects.filter(Q(status=PUBLISHED) | Q(author=user))
    return Article.objects.filter(status=PUBLISHED)


def article_get(*, slug: str, user) -> Article:
    try:
        return visible_articles(user=user).select_related("author").get(slug=_clean(slug, "article"))
    except Article.DoesNotExist:
        raise NotFound("article") from None


def article_is_favorited(*, article, user) -> bool:
    return user.is_authenticated and Favorite.objects.filter(article=article, user=user).exists()


def article_list(
    *, user, tag: str | None = None, author: str | None = None, favorited: str | None = None,
    feed: bool = False, limit: int = 20, offset: int = 0,
) -> tuple[list[dict], int]:
    """A page of published articles, newest first, as list items (no body), and the total count.

    The hottest read of the API, so it is two plain SQL statements (page + window count, then the page's tags)
    rather than ORM querysets, whose construction costs more than the queries themselves.
    """
    if _orm_path():
        return _orm().article_list(user=user, tag=tag, author=author, favorited=favorited, feed=feed,
                                   limit=limit, offset=offset)
    t = _tables()
    where, params = ["a.status = %s"], [PUBLISHED]
    if tag:
        where.append(f"EXISTS (SELECT 1 FROM {t['through']} x JOIN {t['tag']} g ON g.id = x.tag_id "
                     "WHERE x.article_id = a.id AND g.name = %s)")
        params.append(tag)
    if author:
        where.append("u.username = %s")
        params.append(author)
    if favorited:
        where.append(f"EXISTS (SELECT 1 FROM {t['favorite']} f JOIN {t['user']} fu ON fu.id = f.user_id "
                     "WHERE f.article_id = a.id AND fu.username = %s)")
        params.append(favorited)
    if feed:
        where.append(f"EXISTS (SELECT 1 FROM {t['follow']} w WHERE w.followee_id = a.author_id AND w.follower_id = %s)")
        params.append(user.pk)
    _ids, items, count = _page(where, params, user=user, limit=limit, offset=offset)
    return items, count


def article_list_items(*, ids, user) -> dict[int, dict]:
    """RealWorld list items of the published articles among `ids` (for search results), by id."""
    ids = [int(i) for i in ids][:1000]
    if not ids:
        return {}
    if _orm_path():
        return _orm().article_list_items(ids=ids, user=user)
    where = ["a.status = %s", f"a.id IN ({', '.join(['%s'] * len(ids))})"]
    found, items, _count = _page(where, [PUBLISHED, *ids], user=user, limit=len(ids), offset=0)
    return dict(zip(found, items))


def article_detail(*, slug: str, user) -> dict:
    """One article as the API shows it (with body): published, or a draft/scheduled one of `user` (any, for a site
    owner); one query plus its tags."""
    if _orm_path():
        return _orm().article_detail(slug=_clean(slug, "article"), user=user)
    where, params = ["a.slug = %s", "a.status = %s"], [_clean(slug, "article"), PUBLISHED]
    if user.is_authenticated:
        if is_owner(user):
            where, params = where[:1], params[:1]
        else:
            where[1] = "(a.status = %s OR a.author_id = %s)"
            params.append(user.pk)
    _ids, items, _count = _page(where, params, user=user, limit=1, offset=0, body=True)
    if not items:
        raise NotFound("article")
    return items[0]


def _page(where, params, *, user, limit, offset, body=False,
          order="a.created_at DESC, a.id DESC") -> tuple[list[int], list[dict], int]:
    """Ids, list items and total count of one page of articles matching the SQL conditions (newest first)."""
    t = _tables()
    source = f"FROM {t['article']} a JOIN {t['user']} u ON u.id = a.author_id WHERE {' AND '.join(where)}"
    connection = connections[router.db_for_read(Article)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(LIST_COLUMNS)}, {'a.body' if body else 'NULL'}, COUNT(*) OVER () {source} "
            f"ORDER BY {order} LIMIT %s OFFSET %s", [*params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            count = rows[0][-1]
        elif offset:
            cursor.execute(f"SELECT COUNT(*) {source}", params)
            count = cursor.fetchone()[0]
        else:
            count = 0
        ids = [r[0] for r in rows]
        tags = _page_tags(cursor, t, ids)
    return ids, _items(rows, tags, user=user, body=body), count


LIST_COLUMNS = ("a.id", "a.slug", "a.title", "a.description", "a.created_at", "a.updated_at", "a.favorites_count",
                "a.status", "a.published_at", "a.author_id", "u.username", "u.bio", "u.image", "a.publish_at")


def _orm_path() -> bool:
    """The current tenant's database has no SQL cursor (MongoDB): its reads go through content.selectors_orm."""
    return connections[router.db_for_read(Article)].vendor == "mongodb"


def _orm():
    from content import selectors_orm  # imports this module (its `_items`): imported at first use

    return selectors_orm


SCHEDULED_ORDER = "a.publish_at ASC, a.id ASC"  # next to go out first


def draft_list(*, user, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """A page of `user`'s drafts, newest first, as list items (no body), and the total count."""
    if _orm_path():
        return _orm().draft_list(user=user, limit=limit, offset=offset)
    _ids, items, count = _page(["a.status = %s", "a.author_id = %s"], [Article.Status.DRAFT, user.pk],
                               user=user, limit=limit, offset=offset)
    return items, count


def scheduled_list(*, user, everyone: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """A page of scheduled articles, the next due first: `user`'s own, or every author's (`everyone`)."""
    if _orm_path():
        return _orm().scheduled_list(user=user, everyone=everyone, limit=limit, offset=offset)
    where, params = ["a.status = %s"], [Article.Status.SCHEDULED]
    if not everyone:
        where.append("a.author_id = %s")
        params.append(user.pk)
    _ids, items, count = _page(where, params, user=user, limit=limit, offset=offset, order=SCHEDULED_ORDER)
    return items, count


@lru_cache(maxsize=None)
def _tables() -> dict[str, str]:
    from django.db import connection

    models = {"article": Article, "user": User, "tag": Tag, "through": Article.tags.through, "favorite": Favorite,
              "follow": Follow}
    return {key: connection.ops.quote_name(model._meta.db_table) for key, model in models.items()}


def _page_tags(cursor, t, ids) -> dict[int, list[str]]:
    tags = {i: [] for i in ids}
    if ids:
        cursor.execute(f"SELECT x.article_id, g.name FROM {t['through']} x JOIN {t['tag']} g ON g.id = x.tag_id "
                       f"WHERE x.article_id IN ({', '.join(['%s'] * len(ids))})", ids)
        for article_id, name in cursor.fetchall():
            tags[article_id].append(name)
    return tags


def _when(value):
    """A timestamp column as an aware datetime (SQLite hands raw SQL text back, stored in UTC)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
    return value


def _items(rows, tags, *, user, body=False) -> list[dict]:
    ids = [r[0] for r in rows]
    favorited = set()
    if ids and user.is_authenticated:
        favorited = set(Favorite.objects.filter(user=user, article_id__in=ids).values_list("article_id", flat=True))
    following = followed_ids(user=user, author_ids={r[9] for r in rows})
    return [
        serializers.article_dict(
            slug=slug, title=title, description=description, body=text if body else serializers.NO_BODY,
            tags=sorted(tags[pk]), created_at=_when(created), updated_at=_when(updated), favorited=pk in favorited,
            favorites_count=favorites_count, status=status,
            author=serializers.profile_dict(username, bio, image, author_id in following), published_at=_when(published) if published else None,
            publish_at=_when(publish_at) if publish_at else None,
        )
        for (pk, slug, title, description, created, updated, favorites_count, status, published, author_id,
             username, bio, image, publish_at, text, _total) in rows
    ]


def comment_list(*, article, user) -> tuple[list[Comment], set[int]]:
    comments = list(Comment.objects.filter(article=article).select_related("author"))
    return comments, followed_ids(user=user, author_ids={c.author_id for c in comments})


def comment_get(*, article, comment_id: int) -> Comment:
    comment = None
    if 0 < comment_id <= MAX_ID:
        comment = Comment.objects.filter(article=article, pk=comment_id).select_related("author").first()
    if comment is None:
        raise NotFound("comment")
    return comment


def tag_list() -> list[str]:
    """Names of the tags of published articles, sorted (plain SQL: served as often as the article list)."""
    if _orm_path():
        return _orm().tag_list()
    t = _tables()
    with connections[router.db_for_read(Tag)].cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {t['tag']} g WHERE EXISTS (SELECT 1 FROM {t['through']} x JOIN {t['article']} a "
            "ON a.id = x.article_id WHERE x.tag_id = g.id AND a.status = %s) ORDER BY g.name", [PUBLISHED],
        )
        return [name for (name,) in cursor.fetchall()]
