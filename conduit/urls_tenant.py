"""URLs of a tenant host: the RealWorld API and the platform extras, all under /api."""
from django.urls import path

from conduit.health import health

urlpatterns = [
    path("api/health", health, name="tenant-health"),
]

handler404 = "conduit.errors.json_404"
handler500 = "conduit.errors.json_500"
handler400 = "conduit.errors.json_400"
handler403 = "conduit.errors.json_403"
