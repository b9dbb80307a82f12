"""A site's settings, owners and audit log travel with its database (move/archive copy every tenant table)."""
import pytest

from accounts.audit import audit_list, audit_record
from accounts.models import User
from publishing.models import SiteSettings
from publishing.services import site_update
from tenants.connections import ensure_alias
from tenants.context import tenant_context
from tests.move.test_tables import copy


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_settings_owners_and_audit_survive_a_copy_across_engines(make_tenant, pg_tenant_url):
    lite, pg = make_tenant(name="Lite"), make_tenant(database_url=pg_tenant_url)
    src, dst = ensure_alias(lite.info()), ensure_alias(pg.info())
    with tenant_context(lite):
        boss = User.objects.create(username="boss", email="boss@example.com", is_owner=True)
        site_update(actor=boss, data={"title": "Moved", "language": "pt-BR", "timezone": "Europe/Lisbon"})
        audit_record(actor="cli:op", action="owner.grant", target="user:boss", detail={"why": ["é", 1]})
        before = [(e.actor, e.action, e.target, e.detail) for e in audit_list()]
    copy(src, dst)
    with tenant_context(pg):
        site = SiteSettings.load()
        assert (site.title, site.language, site.timezone) == ("Moved", "pt-BR", "Europe/Lisbon")
        assert list(User.objects.filter(is_owner=True).values_list("username", flat=True)) == ["boss"]
        assert [(e.actor, e.action, e.target, e.detail) for e in audit_list()] == before
        audit_record(actor="boss", action="site.update", target="site")  # the copy's sequence goes on
        site_update(actor=boss, data={"title": "Again"})
        assert SiteSettings.objects.count() == 1 and SiteSettings.load().title == "Again"
