"""Output shapes of content (profiles, articles, comments) as plain dicts (cheap to build), and the tag list field."""
from rest_framework import serializers

from conduit.fields import Text, iso
from conduit.messages import FIELD_ERRORS, MESSAGES


def profile_out(user, following: bool) -> dict:
    return {"username": user.username, "bio": user.bio or None, "image": user.image or None, "following": following}


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


class TagList(serializers.ListField):
    default_error_messages = {**FIELD_ERRORS, "max_length": MESSAGES["too_many"]}

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
