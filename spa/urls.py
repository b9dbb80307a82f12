"""Tenant-host routes of the Conduit Frontend, appended after every /api route (which they never shadow)."""
from django.urls import re_path

from spa import views

urlpatterns = [
    re_path(r"^assets/(?P<path>.+)$", views.asset, name="spa-asset"),
    # Everything else but the API and collected static files: a client route of the app (history-API routing).
    re_path(r"^(?!api(?:/|$)|static/|assets/)(?P<path>.*)$", views.shell, name="spa-shell"),
]
