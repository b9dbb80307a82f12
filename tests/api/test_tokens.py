"""The JWT key ring: the first key signs with its kid, every listed key verifies, removed keys fail; rotation."""
import jwt
import pytest
from django.core.management import call_command
from rest_framework_simplejwt.exceptions import TokenError

from accounts.models import User
from conduit.auth import TenantAccessToken, parse_key_ring
from tenants.context import TenantInfo, tenant_context
from tenants.models import AuditLog

SITE = TenantInfo(id=1, slug="acme", name="Acme", status="active", database_url="sqlite:///unused.sqlite3")


@pytest.fixture
def ring(settings):
    def use(value):
        settings.CONDUIT = {**settings.CONDUIT, "JWT_KEYS": value}

    return use


def issue():
    with tenant_context(SITE):
        return str(TenantAccessToken.for_user(User(id=7, username="ann")))


def verify(token, slug="acme"):
    with tenant_context(TenantInfo(**{**SITE.__dict__, "slug": slug})):
        return TenantAccessToken(token)


def test_parse_key_ring():
    assert list(parse_key_ring("a:1, b:2", "s")) == ["a", "b"]
    assert list(parse_key_ring("", "s")) == ["k0"] and parse_key_ring("", "s") != parse_key_ring("", "t")
    with pytest.raises(ValueError):
        parse_key_ring("no-secret", "s")


def test_rotation_keeps_old_tokens_until_their_key_is_removed(ring):
    ring("old:first-secret")
    old = issue()
    assert jwt.get_unverified_header(old)["kid"] == "old"
    ring("new:second-secret,old:first-secret")
    assert verify(old)["user_id"] == "7"
    new = issue()
    assert jwt.get_unverified_header(new)["kid"] == "new"
    ring("new:second-secret")
    assert verify(new)["tenant"] == "acme"
    with pytest.raises(TokenError):
        verify(old)


def test_token_is_bound_to_its_tenant(ring):
    ring("k:secret")
    token = issue()
    with pytest.raises(TokenError):
        verify(token, slug="other")


@pytest.mark.django_db
def test_rotate_command_prints_the_next_ring_and_is_audited(ring, capsys):
    ring("old:first-secret")
    call_command("rotate_jwt_keys", "--kid", "next")
    value = capsys.readouterr().out.strip().removeprefix("CONDUIT_JWT_KEYS=")
    assert list(parse_key_ring(value, "x")) == ["next", "old"]
    assert parse_key_ring(value, "x")["old"] == "first-secret"
    ring(value)
    call_command("rotate_jwt_keys", "--retire", "old")
    assert capsys.readouterr().out.strip().startswith("CONDUIT_JWT_KEYS=next:")
    audit = list(AuditLog.objects.filter(action__startswith="jwt_keys.").values("action", "privilege", "detail"))
    assert sorted(a["action"] for a in audit) == ["jwt_keys.retire", "jwt_keys.rotate"]
    assert all(a["privilege"] == AuditLog.Level.MASTER for a in audit)
    assert "first-secret" not in str(audit)
