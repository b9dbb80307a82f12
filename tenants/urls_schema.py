"""The URL set the control-plane OpenAPI schema is generated from."""
from django.urls import include, path

urlpatterns = [path("api/tenants", include("tenants.urls"))]
