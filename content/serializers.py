"""Output shapes of the RealWorld API as plain dicts (cheap to build), and the shared input fields."""
from datetime import timezone

from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from conduit.messages import FIELD_ERRORS, MESSAGES

HTTP_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$"


def iso(dt) -> str:
    """ISO-8601 in UTC with milliseconds and a `Z`, e.g. 2026-11-26T04:40:00.123Z."""
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_out(user, token: str) -> dict:
    """`bio` and `image` are null when unset (RealWorld), never ""."""
    return {"email": user.email, "token": token, "username": user.username, "bio": user.bio or None,
            "image": user.image or None}


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


class Input(serializers.Serializer):
    """A request body, or an object wrapped in one (`{"user": {...}}`), answering in the table's words."""

    default_error_messages = {**FIELD_ERRORS, "invalid": MESSAGES["not_an_object"]}


class Text(serializers.CharField):
    """A string field: NUL and lone surrogates are rejected; whitespace is trimmed; "" is "can't be blank"."""

    default_error_messages = FIELD_ERRORS

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100_000)
        super().__init__(**kwargs)
        for validator in self.validators:  # DRF's own texts for these two, in the table's words
            if isinstance(validator, (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator)):
                validator.message = MESSAGES["invalid"]


class Email(serializers.EmailField):
    default_error_messages = FIELD_ERRORS


@extend_schema_field({"type": "string", "format": "uri", "pattern": HTTP_URL_PATTERN, "maxLength": 1000})
class HttpUrl(Text):
    """An absolute http(s) URL: `javascript:`, `data:`, `ftp:` … are refused (defence in depth for frontends)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)
        self.validators.append(URLValidator(schemes=["http", "https"], message=MESSAGES["http_url"]))


class Integer(serializers.IntegerField):
    default_error_messages = {**FIELD_ERRORS, "invalid": MESSAGES["not_an_integer"]}


class Choice(serializers.ChoiceField):
    default_error_messages = FIELD_ERRORS


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
