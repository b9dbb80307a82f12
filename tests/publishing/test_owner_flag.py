"""accounts' owner flag, site audit log and the tenant's owner email (issue 13), in-process."""
import pytest

from accounts.audit import audit_list, audit_out, audit_record
from accounts.models import SiteAuditEntry, User
from accounts.roles import is_owner, owner_email_apply
from accounts.services import user_create
from tenants.context import tenant_context

PASSWORD = "correct-horse-9"


@pytest.mark.django_db(transaction=True)
def test_owner_email_applies_at_registration_once(make_tenant):
    tenant = make_tenant(owner_email="Boss@Example.com")
    with tenant_context(tenant):
        other = user_create(username="other", email="other@example.com", password=PASSWORD)
        boss = user_create(username="boss", email="boss@example.com", password=PASSWORD)
        assert boss.is_owner and User.objects.get(pk=boss.pk).is_owner
        assert not is_owner(other) and is_owner(boss)
        claim = audit_list(action="owner.claim").get()
        assert (claim.actor, claim.target, claim.detail) == ("system", "boss@example.com", {"username": "boss"})
        User.objects.filter(pk=boss.pk).update(is_owner=False)  # revoked later by another owner
        boss.refresh_from_db()
        assert not is_owner(boss) and owner_email_apply() is None  # applied once per email, not re-granted


@pytest.mark.django_db(transaction=True)
def test_owner_email_applies_lazily_to_an_existing_user(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        boss = User.objects.create(username="boss", email="boss@example.com")
    tenant.owner_email = "boss@example.com"
    tenant.save()
    with tenant_context(tenant):
        assert is_owner(boss)
        assert User.objects.get(pk=boss.pk).is_owner


@pytest.mark.django_db(transaction=True)
def test_audit_rows_are_append_only_and_newest_first(make_tenant):
    with tenant_context(make_tenant()):
        user = User.objects.create(username="ann", email="ann@example.com")
        first = audit_record(actor=user, action="site.update", target="site", detail={"title": "x"})
        second = audit_record(actor="cli:op", action="owner.grant", target="user:bob")
        assert list(audit_list()) == [second, first]
        assert audit_out(first)["actor"] == "ann" and first.actor_user_id == user.pk
        with pytest.raises(Exception):
            first.save()
        with pytest.raises(Exception):
            first.delete()
        assert SiteAuditEntry.objects.count() == 2
