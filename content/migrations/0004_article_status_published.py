# Feeds (feeds/) list the newest published articles by publication time: an index to read them from its end, and
# every published article has that time (services and the scheduler set it; rows older than that get their
# creation time, so no published article is left out of the feeds).
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def backfill_published_at(apps, schema_editor):
    Article = apps.get_model("content", "Article")
    Article.objects.using(schema_editor.connection.alias).filter(
        status="published", published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0003_scheduled_publishing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['status', '-published_at'], name='article_status_published'),
        ),
        migrations.RunPython(backfill_published_at, migrations.RunPython.noop, elidable=True),
    ]
