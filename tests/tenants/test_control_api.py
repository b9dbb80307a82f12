"""The staff-only control API on the control host, and the operators' admin."""
import pytest
from django.test import Client

from accounts.models import User
from tenants.models import AuditLog, Tenant
from tests.support.stack import unique


@pytest.fixture
def staff(db):
    return User.objects.create_user(username="op", email="op@conduit.io", password="s3cret-pass", is_staff=True,
                                    is_superuser=True)


@pytest.fixture
def api(staff):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.1.2.3")
    client.force_login(staff)
    return client


def test_requires_staff(db):
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.get("/api/tenants").status_code in (401, 403)
    User.objects.create_user(username="joe", email="joe@x.io", password="pw-pw-pw-pw")
    client = Client(HTTP_HOST="localhost")
    client.login(username="joe", password="pw-pw-pw-pw")
    assert client.get("/api/tenants").status_code == 403


def test_not_served_on_tenant_hosts(api, make_tenant):
    tenant = make_tenant()
    assert Client(HTTP_HOST=f"{tenant.slug}.localhost").get("/api/tenants").status_code == 404


def test_lifecycle_over_the_api(api):
    slug = unique()
    r = api.post("/api/tenants", {"slug": slug, "name": "Via API", "domains": ["via-api.example.net"]},
                 content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["slug"] == slug and r.json()["domains"] == ["via-api.example.net"]
    assert any(t["slug"] == slug for t in api.get("/api/tenants").json())
    assert api.post(f"/api/tenants/{slug}/suspend").json()["status"] == "suspended"
    assert api.post(f"/api/tenants/{slug}/resume").json()["status"] == "active"
    assert api.delete(f"/api/tenants/{slug}").status_code == 204
    assert api.get(f"/api/tenants/{slug}").json()["status"] == "deleted"
    entries = AuditLog.objects.filter(target=slug)
    assert {e.action for e in entries} == {"tenant.create", "tenant.suspend", "tenant.resume", "tenant.delete"}
    assert {(e.actor, e.source_ip) for e in entries} == {("op", "10.1.2.3")}
    audit = api.get(f"/api/tenants/audit?target={slug}").json()
    assert len(audit) == 4 and audit[0]["privilege"] == "MASTER"


@pytest.mark.parametrize("body,status,field", [
    ({"slug": "www"}, 422, "slug"),
    ({"slug": "Bad Slug"}, 422, "slug"),
    ({}, 422, "slug"),
    ({"slug": "x" * 100}, 422, "slug"),
    ({"slug": "okslug", "domains": "notalist"}, 422, "domains"),
    ({"slug": "okslug2", "domains": ["not a domain"]}, 422, "domains"),
    ({"slug": "okslug3", "database_url": "mysql://x/y"}, 422, "database_url"),
])
def test_bad_input_is_a_clear_4xx(api, body, status, field):
    r = api.post("/api/tenants", body, content_type="application/json")
    assert r.status_code == status, r.content
    assert field in r.json()["errors"]
    assert not Tenant.objects.exists()


def test_conflicts_and_unknown(api, make_tenant):
    tenant = make_tenant()
    r = api.post("/api/tenants", {"slug": tenant.slug}, content_type="application/json")
    assert r.status_code == 409 and "already exists" in r.json()["errors"]["slug"][0]
    assert api.get("/api/tenants/ghost").status_code == 404
    assert api.post("/api/tenants/ghost/suspend").status_code == 404
    r = api.post("/api/tenants", "{not json", content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]


def test_openapi_schema_and_docs(api):
    schema = api.get("/api/schema", HTTP_ACCEPT="application/json").json()
    assert "/api/tenants" in schema["paths"] and "/api/tenants/{slug}/suspend" in schema["paths"]
    assert api.get("/api/docs").status_code == 200


def test_admin_pages_and_audited_actions(api, make_tenant):
    tenant = make_tenant()
    for url in ("/admin/", "/admin/tenants/tenant/", f"/admin/tenants/tenant/{tenant.pk}/change/",
                "/admin/tenants/domain/", "/admin/tenants/auditlog/"):
        assert api.get(url).status_code == 200, url
    r = api.post("/admin/tenants/tenant/", {"action": "suspend_tenants", "_selected_action": [tenant.pk]})
    assert r.status_code == 302
    tenant.refresh_from_db()
    assert tenant.status == "suspended"
    assert AuditLog.objects.filter(action="tenant.suspend", actor="op", source_ip="10.1.2.3").exists()
    entry = AuditLog.objects.first()
    assert api.post(f"/admin/tenants/auditlog/{entry.pk}/delete/").status_code == 403


def test_audit_records_the_client_behind_the_proxy_not_the_proxy(staff, settings):
    settings.USE_X_FORWARDED_HOST = True  # CONDUIT_BEHIND_PROXY: nginx sends the client address only
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="172.20.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.force_login(staff)
    slug = unique()
    assert client.post("/api/tenants", {"slug": slug}, content_type="application/json").status_code == 201
    assert AuditLog.objects.get(target=slug).source_ip == "198.51.100.7"


def test_forwarded_for_is_ignored_without_the_proxy(staff):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.force_login(staff)
    slug = unique()
    client.post("/api/tenants", {"slug": slug}, content_type="application/json")
    assert AuditLog.objects.get(target=slug).source_ip == "10.9.9.9"
