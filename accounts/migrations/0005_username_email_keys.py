"""Case-insensitive uniqueness by stored keys (issue 14, row 8 of docs/mongodb.md), on every engine.

`username_key`/`email_key` hold accounts.models.identity_key of the value (NFKC, lower case) under a plain unique
index, which SQLite, PostgreSQL and MongoDB all enforce; the Lower() constraints of 0003 go (MongoDB skipped them, so
`ALICE` could be registered beside `alice` there). The fill runs through the ORM, so it works on every engine. A
database holding two users whose keys clash stops before the unique index, with their ids named, like 0003.
"""
import unicodedata

from django.db import migrations

from accounts.models import IdentityKeyField


def _key(value):  # a copy of accounts.models.identity_key: this fill stays as it was if that ever changes
    return None if value is None else unicodedata.normalize("NFKC", value).lower()


def fill_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    rows = list(users.order_by("pk").values_list("pk", "username", "email"))
    for index, field in ((1, "username"), (2, "email")):
        seen = {}
        for row in rows:
            seen.setdefault(_key(row[index]), []).append(row[0])
        clashes = sorted(ids for ids in seen.values() if len(ids) > 1)
        if clashes:
            raise RuntimeError(f"accounts_user on {schema_editor.connection.alias}: users {clashes[:20]} share a "
                               f"{field} that differs only in case or Unicode form; rename all but one of each, "
                               f"then migrate again")
    for pk, username, email in rows:
        users.filter(pk=pk).update(username_key=_key(username), email_key=_key(email))


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
