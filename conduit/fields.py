"""Request fields shared by every tenant API: errors in the message table's words; `iso` for timestamps out."""
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
