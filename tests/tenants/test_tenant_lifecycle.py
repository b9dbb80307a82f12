"""tenant_create / suspend / resume / delete / purge: validation, all-or-nothing, audit."""
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from content.models import Tag
from tenants import provisioning
from tenants.models import AuditLog, Domain, Tenant
from tenants.services import TenantError, tenant_delete, tenant_resume, tenant_suspend
from tenants.context import tenant_context
from tests.support.stack import unique


def db_path(tenant):
    return provisioning.sqlite_path(tenant.database_url)


@pytest.mark.parametrize("slug,message", [
    ("Bad_Slug", "invalid slug"), ("-lead", "invalid slug"), ("trail-", "invalid slug"), ("", "invalid slug"),
    ("a" * 64, "invalid slug"), ("www", "reserved"), ("admin", "reserved"), ("api", "reserved"),
    ("émoji", "invalid slug"), ("a.b", "invalid slug"),
])
def test_invalid_or_reserved_slugs_are_refused(make_tenant, slug, message):
    with pytest.raises(TenantError, match=message):
        make_tenant(slug=slug)
    assert not Tenant.objects.exists()


def test_create_clones_the_migrated_template(make_tenant):
    tenant = make_tenant(name="Acme", domains=["blog.acme.example"])
    assert db_path(tenant).exists()
    assert tenant.schema_version == provisioning.schema_fingerprint()
    assert Domain.objects.get(tenant=tenant).is_primary
    with tenant_context(tenant):
        assert Tag.objects.count() == 0  # tables exist: cloned from the migrated template
    entry = AuditLog.objects.get(action="tenant.create")
    assert (entry.actor, entry.target, entry.source_ip, entry.privilege) == ("tester", tenant.slug, "127.0.0.9", "MASTER")


def test_duplicate_slug_and_domain_are_refused_without_side_effects(make_tenant):
    first = make_tenant(domains=["dup.example.com"])
    with pytest.raises(TenantError, match="already exists"):
        make_tenant(slug=first.slug)
    slug = unique()
    with pytest.raises(TenantError, match="already registered"):
        make_tenant(slug=slug, domains=["dup.example.com"])
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Path(provisioning.tenant_database_url(slug).replace("sqlite:///", "")).exists()


@pytest.mark.parametrize("domain", ["localhost", "x.localhost", "not a domain", "-x.com", "127.0.0.1"])
def test_platform_or_invalid_domains_are_refused(make_tenant, domain):
    with pytest.raises(TenantError):
        make_tenant(domains=[domain])


def test_failure_after_provisioning_drops_the_database(make_tenant):
    slug = unique()
    with mock.patch("tenants.services.audit_record", side_effect=RuntimeError("audit store down")):
        with pytest.raises(RuntimeError):
            make_tenant(slug=slug)
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Path(provisioning.tenant_database_url(slug).replace("sqlite:///", "")).exists()


def test_unreachable_database_server_is_a_clear_error(make_tenant):
    slug = unique()
    with pytest.raises(TenantError, match="cannot reach database server"):
        make_tenant(slug=slug, database_url="postgres://postgres@127.0.0.1:1/conduit_{slug}")
    assert not Tenant.objects.filter(slug=slug).exists()


def test_unsupported_database_url_is_refused(make_tenant):
    with pytest.raises(TenantError, match="unsupported tenant database URL"):
        make_tenant(database_url="mysql://root@127.0.0.1/x_{slug}")


def test_suspend_resume_soft_delete(make_tenant, actor):
    tenant = make_tenant()
    tenant_suspend(slug=tenant.slug, actor=actor)
    with pytest.raises(TenantError, match="already suspended"):
        tenant_suspend(slug=tenant.slug, actor=actor)
    tenant_resume(slug=tenant.slug, actor=actor)
    tenant_delete(slug=tenant.slug, actor=actor)
    tenant.refresh_from_db()
    assert tenant.status == "deleted" and db_path(tenant).exists()  # soft delete keeps the database
    actions = list(AuditLog.objects.filter(target=tenant.slug).order_by("id").values_list("action", flat=True))
    assert actions == ["tenant.create", "tenant.suspend", "tenant.resume", "tenant.delete"]


def test_purge_drops_database_and_notifies(make_tenant, actor, django_capture_on_commit_callbacks):
    from tenants.signals import tenant_purged

    tenant = make_tenant()
    with tenant_context(tenant):
        Tag.objects.create(name="x")
    received = []
    tenant_purged.connect(lambda sender, tenant, **kw: received.append(tenant.slug), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tenant_delete(slug=tenant.slug, actor=actor, purge=True)
    finally:
        tenant_purged.disconnect(dispatch_uid="t")
    assert not db_path(tenant).exists()
    assert not Tenant.objects.filter(slug=tenant.slug).exists()
    assert received == [tenant.slug]
    assert AuditLog.objects.filter(action="tenant.purge", target=tenant.slug).exists()


def test_audit_log_is_append_only(make_tenant):
    make_tenant()
    entry = AuditLog.objects.get()
    entry.actor = "someone-else"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


@pytest.mark.postgres
def test_postgres_tenant_is_a_template_clone(make_tenant, pg_tenant_url, actor):
    tenant = make_tenant(database_url=pg_tenant_url)
    assert tenant.database_url.startswith("postgres://")
    with tenant_context(tenant):
        Tag.objects.create(name="pg")
        assert connections[tenant.info().alias].vendor == "postgresql"
        assert Tag.objects.get().name == "pg"
    dbname = tenant.database_url.rsplit("/", 1)[1]
    assert provisioning.database_exists(tenant.database_url)
    from tenants.connections import release_tenant

    release_tenant(tenant.info())
    with mock.patch("tenants.services.transaction.on_commit", side_effect=lambda f, **kw: f()):
        tenant_delete(slug=tenant.slug, actor=actor, purge=True)
    assert not provisioning.database_exists(tenant.database_url), dbname


@pytest.mark.postgres
def test_postgres_duplicate_database_is_refused(make_tenant, pg_tenant_url):
    tenant = make_tenant(database_url=pg_tenant_url)
    with pytest.raises(TenantError, match="already exists"):
        make_tenant(database_url=tenant.database_url)  # the same database name, another slug
