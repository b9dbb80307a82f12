"""The owners' webhook API: permissions, shapes (the secret once), validation, hostile URLs refused, audit."""
import pytest

from accounts.audit import audit_list
from tenants.context import tenant_context

HOSTILE = [
    "http://127.0.0.1/hook",  # loopback, and http without an allow-list entry
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "https://2130706433/hook",  # decimal 127.0.0.1
    "https://0177.0.0.1/hook",  # octal
    "https://0x7f.0.0.1/hook",  # hex
    "https://localhost/hook",  # a name resolving to 127.0.0.1
    "https://10.0.0.8/hook",
    "https://192.168.1.1/hook",
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://user:pw@example.com/hook",
    "ftp://example.com/hook",
    "javascript:alert(1)",
    "https:///nohost",
]


def test_permissions(site, receiver):
    body = {"webhook": {"url": receiver.url(), "events": ["article.published"]}}
    assert site.call("GET", "/api/site/webhooks").status_code == 401
    assert site.call("POST", "/api/site/webhooks", body).status_code == 401
    response = site.call("POST", "/api/site/webhooks", body, site.reader.token)
    assert response.status_code == 403 and response.json() == {"errors": {"site": ["forbidden"]}}
    assert site.call("GET", "/api/site/webhooks", token=site.reader.token).status_code == 403
    created = site.webhook(site.owner.token, receiver.url())["webhook"]
    for method, path in [("GET", f"/api/site/webhooks/{created['id']}"), ("DELETE", f"/api/site/webhooks/{created['id']}"),
                         ("GET", f"/api/site/webhooks/{created['id']}/deliveries"),
                         ("POST", f"/api/site/webhooks/{created['id']}/deliveries/1/redeliver")]:
        assert site.call(method, path).status_code == 401
        assert site.call(method, path, token=site.reader.token).status_code == 403


def test_crud_secret_once_and_audit(site, receiver):
    token = site.owner.token
    created = site.webhook(token, receiver.url(), ["article.published", "comment.created"])["webhook"]
    assert set(created) >= {"id", "url", "events", "active", "secret"}
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert (created["url"], created["events"], created["active"]) == (
        receiver.url(), ["article.published", "comment.created"], True)

    listed = site.call("GET", "/api/site/webhooks", token=token).json()["webhooks"]
    assert [w["id"] for w in listed] == [created["id"]] and "secret" not in listed[0]
    one = site.call("GET", f"/api/site/webhooks/{created['id']}", token=token).json()["webhook"]
    assert "secret" not in one and one["disabledReason"] is None

    response = site.call("PUT", f"/api/site/webhooks/{created['id']}",
                         {"webhook": {"events": ["site.updated"], "active": False}}, token)
    assert response.status_code == 200, response.content
    assert (response.json()["webhook"]["events"], response.json()["webhook"]["active"]) == (["site.updated"], False)
    assert "secret" not in response.json()["webhook"]

    assert site.call("DELETE", f"/api/site/webhooks/{created['id']}", token=token).status_code == 204
    assert site.call("GET", f"/api/site/webhooks/{created['id']}", token=token).status_code == 404
    with tenant_context(site.info):
        actions = [(e.action, e.actor) for e in audit_list()]
    assert [a for a in actions if a[0].startswith("webhook.")] == [
        ("webhook.delete", "owner"), ("webhook.update", "owner"), ("webhook.create", "owner")]


@pytest.mark.parametrize("events", [["article.created"], ["nope"], [], "article.published", [1], None])
def test_unknown_or_malformed_events_are_422(site, receiver, events):
    response = site.call("POST", "/api/site/webhooks", {"webhook": {"url": receiver.url(), "events": events}},
                         site.owner.token)
    assert response.status_code == 422, response.content
    assert "events" in response.json()["errors"]


def test_bad_bodies_are_4xx(site, receiver):
    token = site.owner.token
    for body in [{}, {"webhook": "x"}, {"webhook": {"events": ["article.published"]}},
                 {"webhook": {"url": receiver.url(), "events": ["article.published"], "active": "maybe"}}]:
        assert site.call("POST", "/api/site/webhooks", body, token).status_code == 422, body
    assert site.call("GET", "/api/site/webhooks/999", token=token).status_code == 404
    assert site.call("GET", "/api/site/webhooks/999/deliveries", token=token).status_code == 404


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused_at_registration(site, url):
    response = site.call("POST", "/api/site/webhooks", {"webhook": {"url": url, "events": ["article.published"]}},
                         site.owner.token)
    assert response.status_code == 422, (url, response.content)
    assert "url" in response.json()["errors"]


def test_update_to_a_hostile_url_is_refused(site, receiver):
    created = site.webhook(site.owner.token, receiver.url())["webhook"]
    response = site.call("PUT", f"/api/site/webhooks/{created['id']}",
                         {"webhook": {"url": "https://169.254.169.254/"}}, site.owner.token)
    assert response.status_code == 422 and "url" in response.json()["errors"]
