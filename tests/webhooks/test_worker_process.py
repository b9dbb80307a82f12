"""The one end-to-end test: gunicorn + a real `manage.py run_worker` (WebhooksConfig.ready registered the
subscriber and the sender task), a real receiver; a retry goes out from the worker's task thread."""
import time

import pytest

from tests.webhooks.receiver import Behaviour, Receiver

try:
    from tests.support.stack import Stack
except ImportError:  # before the move of tests/stack.py
    from tests.stack import Stack

pytestmark = pytest.mark.slow


def test_worker_delivers_signed_and_retries(tmp_path):
    receiver = Receiver().start()
    stack = Stack(tmp_path, CONDUIT_WEBHOOK_ALLOWED_HOSTS="127.0.0.1", CONDUIT_WEBHOOK_RETRY_BASE_SECONDS="0.05",
                  CONDUIT_WEBHOOK_RETRY_MAX_SECONDS="0.2", CONDUIT_EVENT_HANDLER="tests.events.handlers.record",
                  CONDUIT_TEST_EVENT_LOG=str(tmp_path / "events.jsonl"))
    try:
        stack.start(workers=1)
        stack.start_worker()
        slug = stack.create_tenant(None, "--owner-email", "boss@example.com")
        user = {"user": {"username": "boss", "email": "boss@example.com", "password": "correct-horse-9"}}
        token = stack.tenant(slug, "POST", "/api/users", json=user).json()["user"]["token"]
        auth = {"Authorization": f"Token {token}"}
        hooks = {}
        for path in ("/ok", "/flaky"):
            response = stack.tenant(slug, "POST", "/api/site/webhooks", headers=auth, json={
                "webhook": {"url": receiver.url(path), "events": ["article.published"]}})
            assert response.status_code == 201, response.text
            hooks[path] = response.json()["webhook"]
            receiver.secrets[path] = hooks[path]["secret"]
        receiver.behaviour["/flaky"] = Behaviour(fail=2, status=500)

        response = stack.tenant(slug, "POST", "/api/articles", headers=auth, json={
            "article": {"title": "Over the wire", "description": "d", "body": "b"}})
        assert response.status_code == 201, response.text
        committed = time.time()
        [ok] = receiver.wait_for("/ok", timeout=20)
        print(f"\ncommit -> delivered through run_worker: {(ok.at - committed) * 1000:.0f} ms")
        assert ok.signature_ok and ok.json["type"] == "article.published"
        assert ok.json["data"]["title"] == "Over the wire" and ok.json["site"]["slug"] == slug
        flaky = receiver.wait_for("/flaky", count=3, timeout=20)
        assert [r.signature_ok for r in flaky] == [True] * 3
        assert len({r.headers["Conduit-Event-Id"] for r in flaky}) == 1

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the task records the outcome on its next tick
            log = stack.tenant(slug, "GET", f"/api/site/webhooks/{hooks['/flaky']['id']}/deliveries",
                               headers=auth).json()["deliveries"]
            if log and log[0]["status"] == "succeeded":
                break
            time.sleep(0.1)
        assert (log[0]["status"], log[0]["attempts"], log[0]["responseCode"]) == ("succeeded", 3, 200)
    finally:
        stack.stop()
        receiver.stop()
