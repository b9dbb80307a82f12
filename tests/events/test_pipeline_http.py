"""The whole path over real HTTP: POST /api/articles (gunicorn) → outbox → bus → run_worker → GET /api/search."""
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.events.nafka import Nafka
from tests.stack import ROOT, Stack

pytestmark = pytest.mark.slow


@pytest.fixture(params=["db", "kafka"])
def pipeline(request, tmp_path):
    env = {"CONDUIT_REGISTRY_REFRESH_SECONDS": "0.2"}
    broker = None
    if request.param == "kafka":
        broker = Nafka(tmp_path).start()
        env["CONDUIT_EVENT_BUS"] = broker.url
    stack = Stack(tmp_path, **env).start(workers=2)
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=stack.env, cwd=ROOT,
                              stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    yield stack
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(60) == 0, (tmp_path / "worker.log").read_text()[-3000:]
    stack.stop()
    if broker:
        broker.stop()


def _found(stack, slug, word, article_slug, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = stack.tenant(slug, "GET", "/api/search", params={"q": word, "mode": "text"})
        assert r.status_code == 200, r.text
        if any(a["slug"] == article_slug for a in r.json()["articles"]):
            return True
        time.sleep(0.1)
    return False


def _gone(stack, slug, word, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not stack.tenant(slug, "GET", "/api/search", params={"q": word, "mode": "text"}).json()["articles"]:
            return True
        time.sleep(0.1)
    return False


def test_write_publish_unpublish_delete_reach_search(pipeline):
    slug = pipeline.create_tenant()
    time.sleep(0.5)
    user = pipeline.tenant(slug, "POST", "/api/users", json={"user": {
        "username": "ada", "email": "ada@example.com", "password": "lovelace-1815"}})
    assert user.status_code == 201, user.text
    auth = {"Authorization": f"Token {user.json()['user']['token']}"}
    word = f"zq{uuid.uuid4().hex[:10]}"
    created = pipeline.tenant(slug, "POST", "/api/articles", headers=auth, json={"article": {
        "title": "Analytical engines", "description": "notes", "body": f"On {word} and Bernoulli numbers."}})
    assert created.status_code == 201, created.text
    article = created.json()["article"]["slug"]
    assert _found(pipeline, slug, word, article)

    draft = pipeline.tenant(slug, "PUT", f"/api/articles/{article}", headers=auth,
                            json={"article": {"status": "draft"}})
    assert draft.status_code == 200, draft.text
    assert _gone(pipeline, slug, word)  # unpublished: out of search
    republished = pipeline.tenant(slug, "PUT", f"/api/articles/{article}", headers=auth,
                                  json={"article": {"status": "published"}})
    assert republished.status_code == 200
    assert _found(pipeline, slug, word, article)
    assert pipeline.tenant(slug, "DELETE", f"/api/articles/{article}", headers=auth).status_code in (200, 204)
    assert _gone(pipeline, slug, word)

    deadline = time.monotonic() + 10
    while "conduit_consumer_lag 0.0" not in (metrics := pipeline.request("GET", "/metrics").text):
        assert time.monotonic() < deadline, metrics  # the offset is committed right after indexing
        time.sleep(0.1)
    assert 'conduit_events_published_total{type="article.deleted"}' in metrics
    assert 'conduit_save_to_searchable_seconds_count{stage="text"}' in metrics
    health = pipeline.request("GET", "/api/health").json()
    assert health["checks"]["event_bus"]["ok"], health
