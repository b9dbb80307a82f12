"""The API shapes of publishing: the site, an owner, an audit entry."""
from rest_framework import serializers

from conduit.fields import iso
from publishing.models import SiteSettings


class SiteOut(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    logo = serializers.UUIDField(allow_null=True, help_text="id of an image in the site's media")
    logoUrl = serializers.CharField(allow_null=True, help_text="where the logo's bytes are served")
    accentColor = serializers.CharField()
    language = serializers.CharField()
    timezone = serializers.CharField()
    updatedAt = serializers.CharField(allow_null=True)


class OwnerOut(serializers.Serializer):
    username = serializers.CharField()
    bio = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)


class AuditEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.CharField()
    actor = serializers.CharField()
    action = serializers.CharField()
    target = serializers.CharField()
    detail = serializers.DictField()


def site_out(site: SiteSettings, *, logo_exists: bool, base_url: str = "") -> dict:
    logo = str(site.logo) if site.logo and logo_exists else None
    return {
        "title": site.site_title,
        "description": site.description,
        "logo": logo,
        "logoUrl": f"{base_url.rstrip('/')}/api/media/{logo}/file" if logo else None,
        "accentColor": site.accent_color,
        "language": site.language,
        "timezone": site.timezone,
        "updatedAt": iso(site.updated_at) if site.updated_at else None,
    }


def owner_out(user) -> dict:
    return {"username": user.username, "bio": user.bio, "image": user.image}
