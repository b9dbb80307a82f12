"""URLs of the control host (the bare base domain): admin, control API, health, docs."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from conduit.health import health
from conduit.throttling import throttled_login

urlpatterns = [
    path("", include("events.urls")),  # the ingestion dashboard (before the admin's own routes) and /metrics
    path("admin/login/", throttled_login(admin.site.login), name="admin-login"),  # before the admin's own route
    path("admin/", admin.site.urls),
    path("api/health", health, name="health"),
    path("api/tenants", include("tenants.urls")),
    path("api/schema", SpectacularAPIView.as_view(urlconf="tenants.urls_schema"), name="control-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="control-schema"), name="control-docs"),
]

handler404 = "conduit.errors.json_404"
handler500 = "conduit.errors.json_500"
handler400 = "conduit.errors.json_400"
handler403 = "conduit.errors.json_403"
