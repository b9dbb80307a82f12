"""End to end through the shipped nginx config: the feeds, sitemaps and robots.txt reach Django (the frontend's
index.html is never served for them), with https URLs of the public host, and 304s pass through."""
import feedparser
import pytest

from tests.deploy.test_nginx_proxy import curl, proxied  # noqa: F401  (the module-scoped nginx + gunicorn fixture)
from tests.deploy.test_nginx_proxy import pytestmark as needs_nginx

pytestmark = needs_nginx


@pytest.mark.slow
def test_feeds_sitemaps_and_robots_go_to_django(proxied):  # noqa: F811
    app = proxied["app"]
    slug = app.create_tenant()
    host = f"{slug}.localhost"
    user = {"user": {"username": "feeder", "email": "feeder@example.com", "password": "a-long-password"}}
    token = app.tenant(slug, "POST", "/api/users", json=user).json()["user"]["token"]
    article = {"article": {"title": "Through the proxy", "description": "d", "body": "*hi*", "tagList": ["edge"]}}
    made = app.tenant(slug, "POST", "/api/articles", json=article, headers={"Authorization": f"Token {token}"})
    url = f"https://{host}/article/{made.json()['article']['slug']}"

    status, headers, body = curl(proxied, host, "/feed.xml")
    assert status == 200 and headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert "x-request-id" in headers and headers["cache-control"] == "public, max-age=300"
    feed = feedparser.parse(body)
    assert not feed.bozo and [e.link for e in feed.entries] == [url]  # https: the public scheme behind the proxy
    status, _, body = curl(proxied, host, "/feed.xml", "-H", f"If-None-Match: {headers['etag']}")
    assert status == 304 and body == b""
    for path, content_type in (("/feed.json", "application/feed+json"), ("/tag/edge/feed.xml", "application/atom+xml"),
                               ("/profile/feeder/feed.json", "application/feed+json"),
                               ("/sitemap.xml", "application/xml"), ("/robots.txt", "text/plain")):
        status, headers, body = curl(proxied, host, path)
        assert status == 200 and headers["content-type"] == f"{content_type}; charset=utf-8", path
    assert f"Sitemap: https://{host}/sitemap.xml" in body.decode()
    status, headers, _ = curl(proxied, host, "/sitemap-9.xml")
    assert status == 404 and "x-request-id" in headers  # Django's 404, not the app's page
