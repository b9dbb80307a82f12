"""URLs of a tenant host: the RealWorld API and the platform extras under /api, then the Conduit Frontend."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from conduit.health import health

TENANT_SCHEMA = {
    "TITLE": "RealWorld Conduit API",
    "DESCRIPTION": "The RealWorld \"Conduit\" API of this site (RealWorld API 2.0.0), plus drafts and platform extras.",
    "VERSION": "2.0.0",
    "SERVERS": [{"url": "/"}],
    "TAGS": [{"name": n} for n in ("Articles", "Comments", "Favorites", "Profile", "Tags", "User and Authentication")],
}

urlpatterns = [
    path("api/health", health, name="tenant-health"),
    path("api/", include("accounts.urls")),
    path("api/", include("content.urls")),
    path("api/", include("search.urls")),
    path("api/", include("media.urls")),
    path("api/", include("publishing.urls")),
    path("api/", include("webhooks.urls")),
    path("api/schema", SpectacularAPIView.as_view(urlconf="conduit.urls_tenant", custom_settings=TENANT_SCHEMA),
         name="tenant-schema"),
    # Swagger UI loads its assets from our static files (drf-spectacular-sidecar, settings.py): it works offline.
    path("api/docs", SpectacularSwaggerView.as_view(url_name="tenant-schema", title=TENANT_SCHEMA["TITLE"]),
         name="tenant-docs"),
    # Feeds, sitemaps and robots.txt (root paths the app's catch-all below would otherwise take).
    path("", include("feeds.urls")),
    # Last: the Conduit Frontend (assets, index.html for every client route); never shadows /api.
    path("", include("spa.urls")),
]

handler404 = "conduit.errors.json_404"
handler500 = "conduit.errors.json_500"
handler400 = "conduit.errors.json_400"
handler403 = "conduit.errors.json_403"
