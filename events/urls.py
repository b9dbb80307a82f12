"""Control-host URLs of the event pipeline: the operators' ingestion dashboard and Prometheus /metrics."""
from django.contrib import admin
from django.urls import path

from events.admin import ingestion_dashboard
from events.apis import metrics

urlpatterns = [
    path("admin/ingestion/", admin.site.admin_view(ingestion_dashboard), name="ingestion-dashboard"),
    path("metrics", metrics, name="metrics"),
]
