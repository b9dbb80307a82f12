"""Attacks on identities: look-alike usernames and emails that a reader cannot tell from an existing account."""
import pytest
from django.db import IntegrityError

from tests.support.client import PASSWORD, assert_error, name


def fullwidth(text):
    """ASCII letters and digits as their fullwidth forms (U+FF01..): 'admin' → 'ａｄｍｉｎ'."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def register(site, username, email):
    return site.post("/api/users", {"user": {"username": username, "email": email, "password": PASSWORD}})


def test_fullwidth_lookalike_username_is_a_conflict(site):
    taken = site.register()["username"]
    assert_error(register(site, fullwidth(taken), f"{name()}@example.com"), 409, "username")


def test_fullwidth_uppercase_lookalike_username_is_a_conflict(site):
    taken = site.register()["username"]
    assert_error(register(site, fullwidth(taken.upper()), f"{name()}@example.com"), 409, "username")


def test_renaming_to_a_lookalike_username_is_a_conflict(site):
    taken = site.register()["username"]
    token = site.register()["token"]
    assert_error(site.put("/api/user", {"user": {"username": fullwidth(taken)}}, token), 409, "username")


def test_lookalike_username_is_stored_normalised(site):
    wanted = name("ｆｕｌｌ")
    user = register(site, wanted, f"{name()}@example.com").json()["user"]
    assert user["username"] == wanted.replace("ｆｕｌｌ", "full")  # NFKC: what every reader sees is what is unique


def test_fullwidth_lookalike_email_domain_is_a_conflict(site):
    local = name()
    site.register(email=f"{local}@example.com")
    assert_error(register(site, name(), f"{local}@{fullwidth('example')}.com"), 409, "email")


def test_lookalike_email_logs_in_as_the_account_it_normalises_to(site):
    """The flip side of refusing look-alikes: the fullwidth spelling of one's own address still logs in."""
    local = name()
    user = site.register(email=f"{local}@{fullwidth('example')}.com")
    assert user["email"] == f"{local}@example.com"
    login = site.post("/api/users/login", {"user": {"email": f"{local}@{fullwidth('EXAMPLE')}.com",
                                                    "password": PASSWORD}})
    assert login.status_code == 200 and login.json()["user"]["username"] == user["username"], login.text


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("field", ["username", "email"])
def test_case_variants_cannot_both_be_stored_even_past_the_service(engine, field, make_tenant, pg_tenant_url):
    """Two racing registrations both pass the service's check: the database itself refuses the second."""
    from accounts.models import User
    from tenants.context import tenant_context
    from tenants.db import tenant_atomic

    tenant = make_tenant(**({"database_url": pg_tenant_url} if engine == "postgres" else {}))
    with tenant_context(tenant):
        User.objects.create(username="Racer", email="Racer@example.com")
        values = {"username": "rACER", "email": "other@example.com"} if field == "username" else \
            {"username": "other", "email": "rACER@EXAMPLE.COM"}
        with pytest.raises(IntegrityError), tenant_atomic():
            User.objects.create(**values)
