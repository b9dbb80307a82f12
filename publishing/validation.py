"""The values a site's settings accept: colour, language tag, time zone, logo (each answering a messages.py text)."""
import re
import uuid
import zoneinfo
from functools import lru_cache

from rest_framework import serializers

from conduit.fields import Text
from conduit.messages import MESSAGES
from media.models import Media

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# BCP 47 in practice: language (2-3 letters, or 5-8 registered), optional script, region, variants; no extensions
# or private use. Enough for <html lang>, feeds' <language> and Intl; case is normalised (pt-br → pt-BR).
LANGUAGE_TAG = re.compile(
    r"^(?P<language>[a-zA-Z]{2,3}|[a-zA-Z]{5,8})"
    r"(?:-(?P<script>[a-zA-Z]{4}))?"
    r"(?:-(?P<region>[a-zA-Z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*)$"
)


@lru_cache(maxsize=1)
def time_zones() -> frozenset:
    return frozenset(zoneinfo.available_timezones())


def clean_accent_color(value: str) -> str:
    if not HEX_COLOR.match(value):
        raise serializers.ValidationError(MESSAGES["hex_color"])
    return value.lower()


def clean_language(value: str) -> str:
    match = LANGUAGE_TAG.match(value)
    if not match:
        raise serializers.ValidationError(MESSAGES["language_tag"])
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts) + match["variants"].lower()


def clean_timezone(value: str) -> str:
    if value not in time_zones():
        raise serializers.ValidationError(MESSAGES["time_zone"])
    return value


def clean_logo(value: str | None) -> uuid.UUID | None:
    """None clears the logo; otherwise the id of an image in this site's media."""
    if value is None:
        return None
    try:
        media_id = uuid.UUID(value)
    except ValueError:
        raise serializers.ValidationError(MESSAGES["image_media"]) from None
    if not Media.objects.filter(pk=media_id, kind=Media.Kind.IMAGE).exists():
        raise serializers.ValidationError(MESSAGES["image_media"])
    return media_id


class AccentColor(Text):
    def __init__(self, **kwargs):
        super().__init__(max_length=7, **kwargs)

    def to_internal_value(self, data):
        return clean_accent_color(super().to_internal_value(data))


class Language(Text):
    def __init__(self, **kwargs):
        super().__init__(max_length=35, **kwargs)

    def to_internal_value(self, data):
        return clean_language(super().to_internal_value(data))


class TimeZone(Text):
    def __init__(self, **kwargs):
        super().__init__(max_length=64, **kwargs)

    def to_internal_value(self, data):
        return clean_timezone(super().to_internal_value(data))


class Logo(Text):
    """A media id, or null to remove the logo."""

    def __init__(self, **kwargs):
        super().__init__(max_length=None, allow_null=True, **kwargs)  # uuid.UUID refuses any longer string

    def to_internal_value(self, data):
        return clean_logo(super().to_internal_value(data))
