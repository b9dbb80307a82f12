"""The whole path over real HTTP: POST /api/articles (gunicorn) → outbox → bus → run_worker → GET /api/search."""
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.events.nafka import Nafka
from tests.support.stack import ROOT, Stack

pytestmark = pytest.mark.slow


@pytest.fixture(params=["db", "kafka", pytest.param("db-mongodb", marks=pytest.mark.mongodb)])
def pipeline(request, tmp_path):
    """The stack and a run_worker: the embedded bus, Kafka (nafka), or the embedded bus with MongoDB tenants."""
    env = {"CONDUIT_REGISTRY_REFRESH_SECONDS": "0.2"}
    broker = None
    if request.param == "db-mongodb":
        secantus = request.getfixturevalue("secantus")
        env["CONDUIT_TENANT_DATABASE_URL"] = f"{secantus}/pipeline_{uuid.uuid4().hex[:6]}_{{slug}}?directConnection=true"
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


def _index(stack, slug, word):
    """What the tenant's index itself holds, not what the API shows: the API hydrates hits from the tenant database,
    which already hides unpublished and deleted articles, so only the index's own numbers prove the worker acted.
    Returns (documents in the index per /api/health, text matches of `word` counted by the index, slugs shown)."""
    health = stack.tenant(slug, "GET", "/api/health")
    assert health.status_code == 200, health.text
    r = stack.tenant(slug, "GET", "/api/search", params={"q": word, "mode": "text"})
    assert r.status_code == 200, r.text
    documents, found = health.json()["checks"]["search"]["documents"], r.json()
    return documents, found["articlesCount"], [a["slug"] for a in found["articles"]]


def _until(stack, slug, word, want, timeout=60):
    deadline = time.monotonic() + timeout
    while (seen := _index(stack, slug, word)) != want:
        assert time.monotonic() < deadline, f"index holds {seen}, wanted {want}"
        time.sleep(0.1)


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
    _until(pipeline, slug, word, (1, 1, [article]))

    draft = pipeline.tenant(slug, "PUT", f"/api/articles/{article}", headers=auth,
                            json={"article": {"status": "draft"}})
    assert draft.status_code == 200, draft.text
    _until(pipeline, slug, word, (0, 0, []))  # unpublished: out of the index, not only hidden by the API
    republished = pipeline.tenant(slug, "PUT", f"/api/articles/{article}", headers=auth,
                                  json={"article": {"status": "published"}})
    assert republished.status_code == 200
    _until(pipeline, slug, word, (1, 1, [article]))
    assert pipeline.tenant(slug, "DELETE", f"/api/articles/{article}", headers=auth).status_code in (200, 204)
    _until(pipeline, slug, word, (0, 0, []))  # deleted: out of the index

    deadline = time.monotonic() + 10
    while "conduit_consumer_lag 0.0" not in (metrics := pipeline.request("GET", "/metrics").text):
        assert time.monotonic() < deadline, metrics  # the offset is committed right after indexing
        time.sleep(0.1)
    assert 'conduit_events_published_total{type="article.deleted"}' in metrics
    assert 'conduit_save_to_searchable_seconds_count{stage="text"}' in metrics
    health = pipeline.request("GET", "/api/health").json()
    assert health["checks"]["event_bus"]["ok"], health
