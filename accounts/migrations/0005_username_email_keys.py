"""Case-insensitive uniqueness by stored keys (issue 14, row 8 of docs/mongodb.md), on every engine.

`username_key`/`email_key` hold accounts.models.identity_key of the value (NFKC, lower case) under a plain unique
index, which SQLite, PostgreSQL and MongoDB all enforce; the Lower() constraints of 0003 go (MongoDB skipped them, so
`ALICE` could be registered beside `alice` there). The fill runs through the ORM, so it works on every engine.

Users whose keys clash can exist: SQLite's LOWER() and LIKE fold ASCII only, so `Émile` was accepted beside `émile`.
The migration never stops a tenant for them (a tenant left half-migrated would answer 500s): the oldest keeps the
key, each later one gets the key plus a separator no input can produce and its id, which keeps the unique index
whole; a warning names them. Until an operator renames them, those later users cannot sign in by that email (sign-in
finds the oldest), and nothing of theirs is lost.
"""
import logging
import unicodedata

from django.db import migrations

from accounts.models import IdentityKeyField


def _key(value):  # a copy of accounts.models.identity_key: this fill stays as it was if that ever changes
    return None if value is None else unicodedata.normalize("NFKC", value).lower()


SEPARATOR = "\x1f"  # a control character: never in a username or email that passed validation
logger = logging.getLogger("accounts.migrations")


def fill_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    keys = {}
    for index, field in ((1, "username"), (2, "email")):
        seen = {}
        for pk, username, email in users.order_by("pk").values_list("pk", "username", "email"):
            value = _key((pk, username, email)[index])
            if value in seen:
                logger.warning("accounts_user on %s: user %s has a %s that differs only in case or Unicode form from "
                               "user %s's; its key is made unique with its id until an operator renames it",
                               schema_editor.connection.alias, pk, field, seen[value])
                value = f"{value}{SEPARATOR}{pk}"
            else:
                seen[value] = pk
            keys.setdefault(pk, {})[f"{field}_key"] = value
    for pk, values in keys.items():
        users.filter(pk=pk).update(**values)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_owner_flag_site_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=IdentityKeyField(editable=False, null=True, source="username"),
        ),
        migrations.AddField(
            model_name="user",
            name="email_key",
            field=IdentityKeyField(editable=False, null=True, source="email"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=IdentityKeyField(editable=False, source="username", unique=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_key",
            field=IdentityKeyField(editable=False, source="email", unique=True),
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_username_ci_unique",
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_email_ci_unique",
        ),
    ]
