"""Feeds, sitemaps and robots.txt of a tenant host (conduit/urls_tenant.py includes these before the app's routes)."""
from django.urls import path, re_path

from feeds import views

urlpatterns = [
    path("feed.xml", views.site_feed, {"fmt": "atom"}, name="feed-atom"),
    path("feed.json", views.site_feed, {"fmt": "json"}, name="feed-json"),
    # A tag name may hold any character but NUL, "/" included: everything up to the last /feed.<ext>.
    re_path(r"^tag/(?P<tag>.+)/feed\.xml$", views.tag_feed, {"fmt": "atom"}, name="tag-feed-atom"),
    re_path(r"^tag/(?P<tag>.+)/feed\.json$", views.tag_feed, {"fmt": "json"}, name="tag-feed-json"),
    path("profile/<str:username>/feed.xml", views.profile_feed, {"fmt": "atom"}, name="profile-feed-atom"),
    path("profile/<str:username>/feed.json", views.profile_feed, {"fmt": "json"}, name="profile-feed-json"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<int:page>.xml", views.sitemap_page, name="sitemap-page"),
    path("robots.txt", views.robots, name="robots"),
]
