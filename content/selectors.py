"""Reads of the RealWorld domain in the current tenant's database (a constant number of queries per call)."""
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Window

from content.models import Article, Comment, Favorite, Follow, Tag
from content.serializers import iso

User = get_user_model()
MAX_ID = 2**63 - 1
PUBLISHED = Article.Status.PUBLISHED
LIST_FIELDS = (
    "id", "slug", "title", "description", "created_at", "updated_at", "favorites_count", "status", "published_at",
    "author_id", "author__username", "author__bio", "author__image",
)


class NotFound(Exception):
    """A looked-up object does not exist (or is not visible); `resource` names it for the error body."""

    def __init__(self, resource: str):
        super().__init__(f"{resource} not found")
        self.resource = resource


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
    """Published articles, plus the user's own drafts."""
    if user.is_authenticated:
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
    """A page of published articles, newest first, as list items (no body), and the total count."""
    qs = Article.objects.filter(status=PUBLISHED)
    if tag:
        qs = qs.filter(tags__name=tag)
    if author:
        qs = qs.filter(author__username=author)
    if favorited:
        qs = qs.filter(favorites__user__username=favorited)
    if feed:
        qs = qs.filter(author__follower_set__follower=user)
    # One query for the page and the total (a window count); a separate count only past the last page.
    rows = list(
        qs.annotate(total=Window(Count("id"))).order_by("-created_at", "-id").values(*LIST_FIELDS, "total")
        [offset:offset + limit]
    )
    count = rows[0]["total"] if rows else (qs.count() if offset else 0)
    return _list_items(rows, user=user), count


def _list_items(rows: list[dict], *, user) -> list[dict]:
    ids = [r["id"] for r in rows]
    tags = {i: [] for i in ids}
    if ids:
        for article_id, name in Article.tags.through.objects.filter(article_id__in=ids).values_list(
            "article_id", "tag__name"
        ):
            tags[article_id].append(name)
    favorited = set()
    if ids and user.is_authenticated:
        favorited = set(Favorite.objects.filter(user=user, article_id__in=ids).values_list("article_id", flat=True))
    following = followed_ids(user=user, author_ids={r["author_id"] for r in rows})
    return [
        {
            "slug": r["slug"],
            "title": r["title"],
            "description": r["description"],
            "tagList": sorted(tags[r["id"]]),
            "createdAt": iso(r["created_at"]),
            "updatedAt": iso(r["updated_at"]),
            "favorited": r["id"] in favorited,
            "favoritesCount": r["favorites_count"],
            "author": {
                "username": r["author__username"], "bio": r["author__bio"], "image": r["author__image"],
                "following": r["author_id"] in following,
            },
            "status": r["status"],
            "publishedAt": iso(r["published_at"]) if r["published_at"] else None,
        }
        for r in rows
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
    return list(Tag.objects.filter(articles__status=PUBLISHED).distinct().order_by("name").values_list("name", flat=True))
