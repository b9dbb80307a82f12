"""Content events reach the caches: the worker's subscriber bumps the tenant's version and POSTs the events'
surrogate keys to CONDUIT_CDN_PURGE_URL (here a real HTTP server on loopback, in a thread)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.models import User
from content import services
from events.event import Event
from events.subscribers import notify, subscribers
from httpcache import version
from tenants.context import tenant_context


class Receiver(BaseHTTPRequestHandler):
    calls = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.calls.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    Receiver.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/zones/z1/purge_cache", Receiver.calls
    server.shutdown()
    server.server_close()


@pytest.fixture
def article(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant) as info:
        author = User.objects.create(username="jake", email="jake@x.io")
        article = services.article_create(author=author, title="Purge me", description="d", body="b",
                                          tags=["dragons", "two words"])
        comment = services.comment_create(article=article, author=author, body="first")
    return info, article, comment


def event(info, type_, entity, entity_id):
    return Event(type=type_, tenant=info.slug, entity=entity, entity_id=str(entity_id))


@pytest.mark.django_db(transaction=True)
def test_events_bump_the_version_and_purge_the_right_keys(settings, cdn, article):
    url, calls = cdn
    info, article, comment = article
    settings.CONDUIT = {**settings.CONDUIT, "CDN_PURGE_URL": url, "CDN_PURGE_TOKEN": "secret-token"}
    assert "httpcache" in subscribers()
    before = version.current(info.slug)

    notify([event(info, "article.updated", "article", article.pk)])
    assert version.current(info.slug).token != before.token
    assert len(calls) == 1 and calls[0]["path"] == "/zones/z1/purge_cache"
    assert calls[0]["headers"]["Authorization"] == "Bearer secret-token"
    t = info.slug
    assert set(calls[0]["body"]["tags"]) == {f"article:{t}/{article.slug}", f"profile:{t}/jake", f"articles:{t}",
                                             f"tag:{t}/dragons", f"tag:{t}/two%20words"}

    notify([event(info, "comment.created", "comment", comment.pk)])
    assert set(calls[1]["body"]["tags"]) == {f"article:{t}/{article.slug}", f"profile:{t}/jake"}

    # what is gone cannot be named: the whole tenant is purged
    notify([event(info, "article.deleted", "article", article.pk), event(info, "site.updated", "site", info.id)])
    assert calls[2]["body"] == {"tags": [f"tenant:{t}"]}


@pytest.mark.django_db(transaction=True)
def test_fastly_shape_and_no_purge_without_a_url(settings, cdn, article):
    url, calls = cdn
    info, article, _ = article
    before = version.current(info.slug)
    notify([event(info, "article.published", "article", article.pk)])  # no URL: the version moves, nothing is sent
    assert version.current(info.slug).token != before.token and calls == []

    settings.CONDUIT = {**settings.CONDUIT, "CDN_PURGE_URL": url, "CDN_PURGE_STYLE": "fastly",
                        "CDN_PURGE_TOKEN": "fastly-key"}
    notify([event(info, "article.published", "article", article.pk)])
    assert calls[0]["headers"]["Fastly-Key"] == "fastly-key" and "Authorization" not in calls[0]["headers"]
    assert f"article:{info.slug}/{article.slug}" in calls[0]["body"]["surrogate_keys"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_cdn_never_stops_the_worker(settings, article):
    info, article, _ = article
    settings.CONDUIT = {**settings.CONDUIT, "CDN_PURGE_URL": "http://127.0.0.1:9/purge", "CDN_PURGE_TIMEOUT": 0.5}
    before = version.current(info.slug)
    notify([event(info, "article.updated", "article", article.pk)])  # logged, not raised
    assert version.current(info.slug).token != before.token
