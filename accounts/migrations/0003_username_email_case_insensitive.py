"""Usernames and emails are unique whatever their case (issue 10: look-alike accounts).

Runs on every tenant database through `migrate_tenants` (and on the control database). A database that already holds
two users differing only in case stops here with their ids named, so an operator can rename one and run it again.
"""
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_case_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    for field in ("username", "email"):
        clashes = users.annotate(key=Lower(field)).values("key").annotate(n=Count("id")).filter(n__gt=1)
        keys = [row["key"] for row in clashes[:20]]
        if keys:
            ids = sorted(users.annotate(key=Lower(field)).filter(key__in=keys).values_list("id", flat=True))
            raise RuntimeError(f"accounts_user on {schema_editor.connection.alias}: users {ids} share a {field} "
                               f"that differs only in case; rename all but one, then migrate again")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_bio_image_null"),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ),
    ]
