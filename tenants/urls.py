"""Control API routes, mounted at /api/tenants on the control host."""
from django.urls import path

from tenants import apis

urlpatterns = [
    path("", apis.TenantListCreateApi.as_view(), name="tenant-list"),
    path("/audit", apis.AuditListApi.as_view(), name="tenant-audit"),
    path("/<slug:slug>", apis.TenantDetailApi.as_view(), name="tenant-detail"),
    path("/<slug:slug>/suspend", apis.TenantSuspendApi.as_view(), name="tenant-suspend"),
    path("/<slug:slug>/resume", apis.TenantResumeApi.as_view(), name="tenant-resume"),
    path("/<slug:slug>/move", apis.TenantMoveApi.as_view(), name="tenant-move"),
    path("/<slug:slug>/export", apis.TenantExportApi.as_view(), name="tenant-export"),
]
