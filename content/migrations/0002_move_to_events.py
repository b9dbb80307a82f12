# OutboxEvent now belong to the `events` app (events.0001 took them over, tables unchanged): state only, no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='OutboxEvent'),
            ],
        ),
    ]
