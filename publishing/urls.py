from django.urls import path

from publishing import apis

urlpatterns = [
    path("site", apis.SiteApi.as_view(), name="site"),
    path("site/owners", apis.SiteOwnerListApi.as_view(), name="site-owners"),
    path("site/owners/<str:username>", apis.SiteOwnerApi.as_view(), name="site-owner"),
    path("site/audit", apis.SiteAuditApi.as_view(), name="site-audit"),
]
