"""Usernames and emails are unique by their stored keys (NFKC, lower case) on every engine (docs/mongodb.md row 8).

Through `tenant_command shell` and the ORM, so each runs on the `site` fixture's three engines: MongoDB skipped the
Lower() constraints these keys replace.
"""
from tests.support.client import PASSWORD, Site

RACE = """
from django.db import IntegrityError
from accounts.models import User
from accounts.services import _save
from conduit.exceptions import Conflict
from tenants.db import tenant_atomic
taken = User.objects.get(username={username!r})
out = []
for values in (dict(username=taken.username.swapcase(), email='{other}@example.com'),
               dict(username='{other}', email=taken.email.upper())):
    try:
        with tenant_atomic():
            User.objects.create(**values)
        out.append('stored')
    except IntegrityError:
        out.append('IntegrityError')
    try:  # the service's save, as a registration that passed the check and lost the race
        _save(User(**values))
        out.append('saved')
    except Conflict as exc:
        out.append(exc.field)
print(*out)
"""


def test_a_case_variant_past_the_service_is_refused_by_the_database_and_is_a_conflict(site):
    user = site.register()
    result = site.stack.manage("tenant_command", site.slug, "shell", "-c",
                               RACE.format(username=user["username"], other=user["username"] + "x"))
    assert result.stdout.strip().splitlines()[-1].split() == ["IntegrityError", "username", "IntegrityError",
                                                                "email"], result.stdout + result.stderr


def test_existing_users_get_their_keys_through_migrate_tenants(site):
    stack, slug = site.stack, site.stack.create_tenant()
    tenant = Site(stack, slug)
    user = tenant.register()
    stack.manage("tenant_command", slug, "migrate", "accounts", "0004_owner_flag_site_audit")  # before the keys
    stack.manage("tenant_command", slug, "shell", "-c", (  # a stored spelling the key must fold: fullwidth, upper
        "from accounts.models import User; "
        f"User.objects.filter(username='{user['username']}').update(username='ＫＥＹ{user['username'].upper()}')"))
    result = stack.manage("migrate_tenants", slug, "--force")
    assert f"{slug} ok" in result.stderr, result.stderr
    check = stack.manage("tenant_command", slug, "shell", "-c", (
        "from accounts.models import User; print(*User.objects.values_list('username_key', 'email_key').get())"))
    assert check.stdout.strip().splitlines()[-1].split() == [f"key{user['username'].lower()}", user["email"].lower()]
    login = tenant.post("/api/users/login", {"user": {"email": user["email"].upper(), "password": PASSWORD}})
    assert login.status_code == 200, login.text
