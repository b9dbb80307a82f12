"""The first owner is named on the control side — create_tenant --owner-email, the admin's Add tenant form, the
control API — and becomes an owner in the tenant's database when they register (issue 13)."""
import json

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tenants.models import AuditLog, Tenant
from tests.publishing.conftest import SiteClient
from tests.support.stack import unique

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator():
    User.objects.create_superuser(username="op-ada", email="ada@ops.example", password="pw-123456789")
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.1.2.3")
    assert client.login(username="op-ada", password="pw-123456789")
    return client


def assert_owner_on_registration(tenant, email):
    site = SiteClient(Client(), tenant)
    reader = site.user()
    assert reader.put("/api/site", {"site": {"title": "x"}}).status_code == 403
    owner = site.user("first", email)
    response = owner.put("/api/site", {"site": {"title": "Mine"}})
    assert response.status_code == 200, response.content
    assert [o["username"] for o in owner.get("/api/site/owners").json()["owners"]] == ["first"]


def test_the_admin_add_form_names_the_first_owner(operator):
    page = operator.get("/admin/tenants/tenant/add/").content.decode()
    assert 'name="owner_email"' in page
    slug = unique()
    response = operator.post("/admin/tenants/tenant/add/", {"slug": slug, "name": "", "domains": "",
                                                            "database_url": "", "owner_email": "Owner@Example.com"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    tenant = Tenant.objects.get(slug=slug)
    assert tenant.owner_email == "owner@example.com"
    assert AuditLog.objects.get(action="tenant.create", target=slug).detail["owner_email"] == "owner@example.com"
    change = operator.get(f"/admin/tenants/tenant/{tenant.pk}/change/").content.decode()
    assert "owner@example.com" in change and 'name="owner_email"' not in change  # shown, not edited here
    bad = operator.post("/admin/tenants/tenant/add/", {"slug": unique(), "owner_email": "not-an-email"})
    assert bad.status_code == 200 and not Tenant.objects.filter(owner_email="not-an-email").exists()
    assert_owner_on_registration(tenant, "owner@example.com")


def test_the_control_api_names_the_first_owner(operator):
    slug = unique()
    response = operator.post("/api/tenants", json.dumps({"slug": slug, "owner_email": "chief@example.com"}),
                             content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["owner_email"] == "chief@example.com"
    bad = operator.post("/api/tenants", json.dumps({"slug": unique(), "owner_email": "nope"}),
                        content_type="application/json")
    assert bad.status_code in (400, 422) and "owner_email" in bad.json()["errors"], bad.content
    assert_owner_on_registration(Tenant.objects.get(slug=slug), "chief@example.com")


def test_create_tenant_names_the_first_owner():
    slug = unique()
    call_command("create_tenant", slug, "--owner-email", "cli-owner@example.com", stdout=open("/dev/null", "w"))
    tenant = Tenant.objects.get(slug=slug)
    assert tenant.owner_email == "cli-owner@example.com"
    assert_owner_on_registration(tenant, "cli-owner@example.com")


def test_operators_grant_and_revoke_from_the_command_line(make_tenant):
    from io import StringIO

    from django.core.management.base import CommandError

    from accounts.models import SiteAuditEntry
    from tenants.context import tenant_context

    tenant = make_tenant()
    site = SiteClient(Client(), tenant)
    site.user("ann")
    site.user("bob")
    out = StringIO()
    call_command("site_owners", tenant.slug, "--grant", "ann", stdout=out)
    assert out.getvalue().splitlines() == ["ann: granted", "owners: ann"]
    with pytest.raises(CommandError, match="last owner"):
        call_command("site_owners", tenant.slug, "--revoke", "ann", stdout=StringIO())
    call_command("site_owners", tenant.slug, "--grant", "bob", "--revoke", "ann", stdout=(out := StringIO()))
    assert out.getvalue().splitlines()[-1] == "owners: bob"
    with tenant_context(tenant):
        assert [(r.action, r.target) for r in SiteAuditEntry.objects.all()] == [
            ("owner.revoke", "user:ann"), ("owner.grant", "user:bob"), ("owner.grant", "user:ann")]
        assert SiteAuditEntry.objects.first().actor.startswith("cli")
