"""Output shapes of the RealWorld API as plain dicts (cheap to build), and the shared input fields."""
from datetime import timezone

from rest_framework import serializers


def iso(dt) -> str:
    """ISO-8601 in UTC with milliseconds and a `Z`, e.g. 2026-11-26T04:40:00.123Z."""
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_out(user, token: str) -> dict:
    return {"email": user.email, "token": token, "username": user.username, "bio": user.bio, "image": user.image}


def profile_out(user, following: bool) -> dict:
    return {"username": user.username, "bio": user.bio, "image": user.image, "following": following}


def article_out(article, *, favorited: bool, following: bool, tags: list[str] | None = None) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "description": article.description,
        "body": article.body,
        "tagList": tags if tags is not None else sorted(t.name for t in article.tags.all()),
        "createdAt": iso(article.created_at),
        "updatedAt": iso(article.updated_at),
        "favorited": favorited,
        "favoritesCount": article.favorites_count,
        "author": profile_out(article.author, following),
        "status": article.status,
        "publishedAt": iso(article.published_at) if article.published_at else None,
    }


def comment_out(comment, *, following: bool) -> dict:
    return {
        "id": comment.id,
        "createdAt": iso(comment.created_at),
        "updatedAt": iso(comment.updated_at),
        "body": comment.body,
        "author": profile_out(comment.author, following),
    }


class Text(serializers.CharField):
    """A string field: NUL and lone surrogates are rejected by DRF's CharField; whitespace is trimmed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100_000)
        super().__init__(**kwargs)


class TagList(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=Text(max_length=100), max_length=50, **kwargs)

    def to_internal_value(self, data):
        try:
            return list(dict.fromkeys(super().to_internal_value(data)))  # de-duplicated, order kept
        except serializers.ValidationError as exc:  # per-item errors come keyed by index: report them as one list
            detail = exc.detail.values() if isinstance(exc.detail, dict) else [exc.detail]
            raise serializers.ValidationError([str(m) for messages in detail for m in messages]) from exc


class ProfileOut(serializers.Serializer):
    """Schema only (responses are built as dicts above)."""

    username = serializers.CharField()
    bio = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)
    following = serializers.BooleanField()


class ArticleListItemOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    tagList = serializers.ListField(child=serializers.CharField())  # noqa: N815
    createdAt = serializers.DateTimeField()  # noqa: N815
    updatedAt = serializers.DateTimeField()  # noqa: N815
    favorited = serializers.BooleanField()
    favoritesCount = serializers.IntegerField()  # noqa: N815
    author = ProfileOut()
    status = serializers.ChoiceField(choices=["draft", "published"])
    publishedAt = serializers.DateTimeField(allow_null=True)  # noqa: N815


class ArticleOut(ArticleListItemOut):
    body = serializers.CharField()


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    createdAt = serializers.DateTimeField()  # noqa: N815
    updatedAt = serializers.DateTimeField()  # noqa: N815
    body = serializers.CharField()
    author = ProfileOut()
