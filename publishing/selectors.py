"""Reads of publishing: the site's settings and owners (the current tenant's)."""
from django.contrib.auth import get_user_model

from media.models import Media
from publishing.models import SiteSettings


def site_get() -> SiteSettings:
    return SiteSettings.load()


def site_logo_exists(site: SiteSettings) -> bool:
    """The logo still names an image of the site (media can be deleted after it was chosen)."""
    return bool(site.logo) and Media.objects.filter(pk=site.logo).exists()


def owner_list():
    return get_user_model().objects.filter(is_owner=True).order_by("username")


def user_by_username(username: str):
    User = get_user_model()
    return User.objects.filter(username_key=User.identity_key(username)).first()
