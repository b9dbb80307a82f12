"""Output shapes of content (profiles, articles, comments) as plain dicts (cheap to build), and the tag list and
publishAt input fields."""
from datetime import datetime, timezone

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conduit.fields import Text, iso
from conduit.messages import FIELD_ERRORS, MESSAGES


NO_BODY = object()  # list items carry no body


def profile_dict(username, bio, image, following: bool) -> dict:
    """The one profile mapping (an author, a followed user): `bio` and `image` null when unset, never ""."""
    return {"username": username, "bio": bio or None, "image": image or None, "following": following}


def article_dict(*, slug, title, description, body=NO_BODY, tags, created_at, updated_at, favorited, favorites_count,
                 author: dict, status, published_at, publish_at=None) -> dict:
    """The one article mapping, from a model (`article_out`) or a raw SQL row (the fast path, content.selectors)."""
    return {
        "slug": slug,
        "title": title,
        "description": description,
        **({} if body is NO_BODY else {"body": body}),
        "tagList": tags,
        "createdAt": iso(created_at),
        "updatedAt": iso(updated_at),
        "favorited": favorited,
        "favoritesCount": favorites_count,
        "author": author,
        "status": status,
        "publishedAt": iso(published_at) if published_at else None,
        "publishAt": iso(publish_at) if publish_at else None,  # scheduled (or published by the scheduler) for
    }


def profile_out(user, following: bool) -> dict:
    return profile_dict(user.username, user.bio, user.image, following)


def article_out(article, *, favorited: bool, following: bool, tags: list[str] | None = None) -> dict:
    return article_dict(
        slug=article.slug, title=article.title, description=article.description, body=article.body,
        tags=tags if tags is not None else sorted(t.name for t in article.tags.all()),
        created_at=article.created_at, updated_at=article.updated_at, favorited=favorited,
        favorites_count=article.favorites_count, author=profile_out(article.author, following),
        status=article.status, published_at=article.published_at, publish_at=article.publish_at,
    )


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


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-12-24T09:00:00+01:00"})
class PublishAt(serializers.Field):
    """An ISO 8601 date-time WITH a UTC offset (or Z), as an aware UTC datetime; a naive time is ambiguous: refused."""

    default_error_messages = {**FIELD_ERRORS, "invalid": MESSAGES["publish_at_format"]}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 64:
            self.fail("invalid")
        try:
            value = datetime.fromisoformat(data.strip())
            if value.tzinfo is None or value.utcoffset() is None:
                self.fail("invalid")
            return value.astimezone(timezone.utc)
        except (ValueError, OverflowError):
            self.fail("invalid")

    def to_representation(self, value):
        return iso(value)


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
    status = serializers.ChoiceField(choices=["draft", "published", "scheduled"])
    publishedAt = serializers.DateTimeField(allow_null=True)  # noqa: N815
    publishAt = serializers.DateTimeField(allow_null=True)  # noqa: N815


class ArticleOut(ArticleListItemOut):
    body = serializers.CharField()


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    createdAt = serializers.DateTimeField()  # noqa: N815
    updatedAt = serializers.DateTimeField()  # noqa: N815
    body = serializers.CharField()
    author = ProfileOut()
