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


def test_users_whose_names_clash_only_beyond_ascii_do_not_stop_the_migration(stack):
    """SQLite's LOWER() folds ASCII only, so `Émile` could be registered beside `émile`: migrate_tenants keys the older
    one plainly and the later one uniquely, warns, and the tenant serves both (no half-migrated tenant)."""
    slug = stack.create_tenant()
    tenant = Site(stack, slug)
    first, second = tenant.register(), tenant.register()
    stack.manage("tenant_command", slug, "migrate", "accounts", "0004_owner_flag_site_audit")
    stack.manage("tenant_command", slug, "shell", "-c", (
        "from accounts.models import User; "
        f"User.objects.filter(username='{first['username']}').update(username='Émile'); "
        f"User.objects.filter(username='{second['username']}').update(username='émile')"))
    result = stack.manage("migrate_tenants", slug, "--force")
    assert f"{slug} ok" in result.stderr, result.stderr
    assert "differs only in case or Unicode form" in result.stdout + result.stderr, (result.stdout, result.stderr)
    keys = stack.manage("tenant_command", slug, "shell", "-c", (
        "from accounts.models import User; "
        "print(repr(list(User.objects.order_by('pk').values_list('pk', 'username_key'))))")).stdout.strip()
    (pk1, key1), (pk2, key2) = eval(keys.splitlines()[-1])  # noqa: S307 (our own repr of two tuples)
    assert key1 == "émile" and key2 == f"émile\x1f{pk2}"
    for user in (first, second):  # both still sign in by their own emails, and their profiles answer
        login = tenant.post("/api/users/login", {"user": {"email": user["email"], "password": PASSWORD}})
        assert login.status_code == 200, login.text
    assert tenant.get("/api/profiles/émile").json()["profile"]["username"] == "émile"
