"""`bio` and `image` are null when unset (RealWorld API): the column allows NULL and existing "" become NULL.

Runs on every tenant database through `migrate_tenants` (and on the control database, where operators live).
"""
from django.db import migrations, models


def blank_to_null(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    users.filter(bio="").update(bio=None)
    users.filter(image="").update(image=None)


def null_bio_to_blank(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.using(schema_editor.connection.alias).filter(bio__isnull=True).update(bio="")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="bio",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(blank_to_null, null_bio_to_blank, elidable=False),
    ]
