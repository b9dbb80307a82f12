"""Who a feed or sitemap speaks for: the site's absolute base URL (its primary domain) and its settings."""
import time
from dataclasses import dataclass

from django.conf import settings

from conduit.conf import conduit_settings
from media.models import Media
from publishing.models import SiteSettings
from tenants.middleware import request_host
from tenants.models import Domain

DOMAIN_TTL_SECONDS = 5.0  # a primary-domain change shows in feeds within this (the control DB is asked once per TTL)
_domains: dict[tuple[int, str], tuple[float, str | None]] = {}


@dataclass(frozen=True)
class SiteMeta:
    """What feeds say about their site: its settings (publishing.models.SiteSettings)."""

    title: str
    description: str = ""
    language: str = ""
    logo: str = ""  # an absolute URL, or ""

    def fingerprint(self) -> tuple:
        return (self.title, self.description, self.language, self.logo)


def primary_domain(tenant) -> str | None:
    """The tenant's primary custom domain (control DB), remembered for DOMAIN_TTL_SECONDS per process."""
    key, now = (tenant.id, tenant.slug), time.monotonic()
    hit = _domains.get(key)
    if hit and hit[0] > now:
        return hit[1]
    domain = Domain.objects.filter(tenant_id=tenant.id, is_primary=True).values_list("domain", flat=True).first()
    if len(_domains) > 10_000:
        _domains.clear()
    _domains[key] = (now + DOMAIN_TTL_SECONDS, domain)
    return domain


def base_url(request) -> str:
    """scheme://host of the site's public pages: its primary domain, else <slug>.<BASE_DOMAIN>; the scheme is
    CONDUIT_SITE_URL_SCHEME, else the request's (behind the TLS proxy, X-Forwarded-Proto makes it https).

    The request's port is kept when the request came to that same host (a development server on :8000)."""
    tenant = request.tenant
    scheme = conduit_settings.SITE_URL_SCHEME or request.scheme
    host = request_host(request)
    if tenant is None or not tenant.id:  # single-site mode: the host it is served on
        domain = host
    else:
        domain = primary_domain(tenant) or f"{tenant.slug}.{settings.BASE_DOMAIN}"
    return f"{scheme}://{request.get_host() if domain == host else domain}"


def site_meta(request, base: str) -> SiteMeta:
    """The site's title, description, language and logo (publishing's SiteSettings; their defaults when unset)."""
    site = SiteSettings.load()
    logo = ""
    if site.logo and Media.objects.filter(pk=site.logo).exists():  # the image may have been deleted since
        logo = f"{base}/api/media/{site.logo}/file"  # where media serves it (publishing's logoUrl)
    return SiteMeta(title=site.site_title, description=site.description, language=site.language, logo=logo)
