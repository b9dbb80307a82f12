"""Operators add tenants and domains in the admin, through the same service and validator as create_tenant."""
import html
import re
from pathlib import Path

import pytest

from accounts.models import User
from tests.support.stack import unique
from tenants.models import AuditLog, Domain, Tenant

HOST = {"HTTP_HOST": "localhost:8000"}
ADD = "/admin/tenants/tenant/add/"


@pytest.fixture
def operator(db, client):
    user = User.objects.create_superuser(username="op-ada", email="ada@ops.example", password="pw-123456789")
    assert client.login(username="op-ada", password="pw-123456789")
    return client


def add_tenant(client, slug, name="", domains="", database_url=""):
    return client.post(ADD, {"slug": slug, "name": name, "domains": domains, "database_url": database_url}, **HOST)


def form_errors(response):
    """The error texts the admin form shows (field errors and the form's own), unescaped."""
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in lists]


def test_add_page_needs_an_operator(db, client):
    response = client.get(ADD, **HOST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_operator_creates_a_tenant_with_custom_domains(operator, client):
    page = operator.get(ADD, **HOST)
    assert page.status_code == 200
    assert all(f'name="{f}"' in page.content.decode() for f in ("slug", "name", "domains", "database_url"))
    slug = unique()
    response = add_tenant(operator, slug, name="Ada's notes", domains="Blog.Ada.example, www.ada.example\n")
    assert response.status_code == 302, form_errors(response)
    tenant = Tenant.objects.get(slug=slug)
    assert tenant.name == "Ada's notes" and tenant.status == "active"
    assert [(d.domain, d.is_primary) for d in tenant.domains.order_by("-is_primary")] == [
        ("blog.ada.example", True), ("www.ada.example", False)]
    assert Path(tenant.database_url.removeprefix("sqlite:///")).is_file()  # cloned from the template
    record = AuditLog.objects.get(action="tenant.create", target=slug)
    assert (record.actor, record.source_ip) == ("op-ada", "127.0.0.1")  # the operator, not "cli" or "admin"
    assert record.detail["domains"] == ["blog.ada.example", "www.ada.example"]
    # the new site answers on its subdomain and its custom domain
    assert client.get("/api/articles", HTTP_HOST=f"{slug}.localhost").json() == {"articles": [], "articlesCount": 0}
    assert client.get("/api/tags", HTTP_HOST="blog.ada.example").status_code == 200


@pytest.mark.parametrize("slug, message", [
    ("admin", "slug 'admin' is reserved; choose another"),
    ("www", "slug 'www' is reserved; choose another"),
    ("Bad_Slug", "invalid slug 'Bad_Slug'"),
    ("-edge", "invalid slug '-edge'"),
    ("a" * 64, "invalid slug 'aaaa"),
])
def test_invalid_or_reserved_slug_is_refused_on_the_form(operator, slug, message):
    before = AuditLog.objects.count()
    errors = form_errors(add_tenant(operator, slug))
    assert any(e.startswith(message) for e in errors), errors
    assert not Tenant.objects.filter(slug=slug).exists() and AuditLog.objects.count() == before


def test_duplicate_slug_is_refused_on_the_form(operator):
    slug = unique()
    assert add_tenant(operator, slug).status_code == 302
    errors = form_errors(add_tenant(operator, slug, name="again"))
    assert errors == [f"a tenant with slug '{slug}' already exists"]
    assert Tenant.objects.get(slug=slug).name == slug and AuditLog.objects.filter(target=slug).count() == 1


@pytest.mark.parametrize("domains, message", [
    ("shop.localhost", "domain 'shop.localhost' belongs to the platform"),
    ("not a host!", "invalid domain 'not'"),
    ("same.example, same.example", "the same domain is given twice"),
])
def test_bad_custom_domains_are_refused_on_the_form(operator, domains, message):
    slug = unique()
    errors = form_errors(add_tenant(operator, slug, domains=domains))
    assert any(e.startswith(message) for e in errors), errors
    assert not Tenant.objects.filter(slug=slug).exists()


def test_a_domain_registered_to_another_tenant_is_refused(operator, make_tenant):
    make_tenant(domains=["taken.example"])
    slug = unique()
    errors = form_errors(add_tenant(operator, slug, domains="taken.example"))
    assert errors == ["domain 'taken.example' is already registered to a tenant"]
    assert not Tenant.objects.filter(slug=slug).exists()


def test_unreachable_database_is_an_error_on_the_form_not_a_500(operator):
    slug = unique()
    errors = form_errors(add_tenant(operator, slug, database_url="postgres://postgres@127.0.0.1:1/nowhere"))
    assert len(errors) == 1, errors
    assert not Tenant.objects.filter(slug=slug).exists()


@pytest.mark.postgres
def test_operator_creates_a_postgres_tenant_and_its_page_redacts_the_password(operator, client, pg_tenant_url):
    slug = unique()
    # trust auth on the test server: the password is accepted and ignored, so it can be checked for leaks
    url = pg_tenant_url.replace("postgres@", "postgres:s3cr3t-Pa55@").format(slug=slug)
    response = add_tenant(operator, slug, domains="pg.ada.example", database_url=url)
    assert response.status_code == 302, form_errors(response)
    tenant = Tenant.objects.get(slug=slug)
    assert tenant.database_url == url
    assert client.get("/api/articles", HTTP_HOST=f"{slug}.localhost").status_code == 200
    assert "s3cr3t-Pa55" not in str(AuditLog.objects.get(action="tenant.create", target=slug).detail)

    page = operator.get(f"/admin/tenants/tenant/{tenant.pk}/change/", **HOST).content.decode()
    assert "s3cr3t-Pa55" not in page
    assert html.escape(url.replace(":s3cr3t-Pa55@", ":***@")) in page
    assert "pg.ada.example" in page and ">Active<" in page
    assert f'href="http://{slug}.localhost:8000/"' in page and 'href="http://pg.ada.example:8000/"' in page
    assert "Move to another database" in page  # the last move (none yet) and the way to start one


def test_tenant_page_shows_its_last_move(operator, make_tenant):
    from tenants.models import TenantMove

    tenant = make_tenant()
    move = TenantMove.objects.create(tenant=tenant, source_url=tenant.database_url, target_url="sqlite:////tmp/x.db",
                                     status="failed", step="copy", error="disk full", actor="op-ada")
    page = operator.get(f"/admin/tenants/tenant/{tenant.pk}/change/", **HOST).content.decode()
    assert f"#{move.pk} failed</a>" in page and "disk full" in page


def test_tenant_page_is_read_only_except_name_and_domains(operator, make_tenant):
    tenant = make_tenant()
    page = operator.get(f"/admin/tenants/tenant/{tenant.pk}/change/", **HOST).content.decode()
    assert 'name="name"' in page and 'name="domains-TOTAL_FORMS"' in page
    assert 'name="slug"' not in page and 'name="database_url"' not in page and 'name="status"' not in page


def domain_post(client, url, **data):
    return client.post(url, {"is_primary": "", **data}, **HOST)


def test_domain_admin_uses_the_service_validator(operator, make_tenant):
    tenant, other = make_tenant(), make_tenant(domains=["owned.example"])
    add = "/admin/tenants/domain/add/"
    for bad, message in [("api.localhost", "belongs to the platform"), ("no_underscores.example", "invalid domain"),
                         ("ada.localhost.", "belongs to the platform"), ("owned.example", "already registered")]:
        errors = form_errors(domain_post(operator, add, tenant=tenant.pk, domain=bad))
        assert any(message in e for e in errors), (bad, errors)
    assert not tenant.domains.exists()
    response = domain_post(operator, add, tenant=tenant.pk, domain="  News.Example.ORG. ")
    assert response.status_code == 302
    domain = Domain.objects.get(tenant=tenant)
    assert domain.domain == "news.example.org"  # normalised as the service stores it
    # editing a domain without renaming it is not "already registered" (to itself)
    response = domain_post(operator, f"/admin/tenants/domain/{domain.pk}/change/", tenant=tenant.pk,
                           domain="news.example.org", is_primary="on")
    assert response.status_code == 302, form_errors(response)
    domain.refresh_from_db()
    assert domain.is_primary
    errors = form_errors(domain_post(operator, f"/admin/tenants/domain/{domain.pk}/change/", tenant=tenant.pk,
                                     domain="owned.example"))
    assert any("already registered" in e for e in errors)
    assert other.domains.get().domain == "owned.example"
    # a second primary domain for one tenant is refused on the form (the model's constraint), not a 500
    errors = form_errors(domain_post(operator, add, tenant=tenant.pk, domain="second.example", is_primary="on"))
    assert errors and not tenant.domains.filter(domain="second.example").exists(), errors


def test_domain_inline_on_the_tenant_page_is_validated_too(operator, make_tenant):
    tenant = make_tenant()
    url = f"/admin/tenants/tenant/{tenant.pk}/change/"
    inline = {"name": tenant.name, "domains-TOTAL_FORMS": "1", "domains-INITIAL_FORMS": "0",
              "domains-MIN_NUM_FORMS": "0", "domains-MAX_NUM_FORMS": "1000", "domains-0-id": "",
              "domains-0-tenant": str(tenant.pk)}
    errors = form_errors(operator.post(url, {**inline, "domains-0-domain": "x.localhost"}, **HOST))
    assert any("belongs to the platform" in e for e in errors), errors
    response = operator.post(url, {**inline, "domains-0-domain": "Inline.Example"}, **HOST)
    assert response.status_code == 302
    assert list(tenant.domains.values_list("domain", flat=True)) == ["inline.example"]
