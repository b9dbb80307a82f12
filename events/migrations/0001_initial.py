# The pipeline's models moved here from `conduit` (control DB) and `content` (OutboxEvent, tenant DBs) keeping
# their tables: this migration only takes them into `events`' state; conduit.0002 and content.0002 let go of them.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("conduit", "0001_initial"),
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='DirtyTenant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.CharField(max_length=63, unique=True)),
                        ('marked_at', models.DateTimeField()),
                    ],
                    options={
                        'db_table': 'conduit_dirtytenant',
                    },
                ),
                migrations.CreateModel(
                    name='IngestSample',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True)),
                        ('stage', models.CharField(choices=[('text', 'Text'), ('vector', 'Vector')], max_length=8)),
                        ('tenant', models.CharField(max_length=63)),
                        ('latency_ms', models.FloatField()),
                    ],
                    options={
                        'db_table': 'conduit_ingestsample',
                    },
                ),
                migrations.CreateModel(
                    name='WorkerStatus',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True)),
                        ('bus', models.CharField(max_length=20)),
                        ('started_at', models.DateTimeField()),
                        ('heartbeat_at', models.DateTimeField()),
                        ('lag', models.BigIntegerField(null=True)),
                        ('embedding_backlog', models.BigIntegerField(null=True)),
                        ('consumed', models.BigIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'conduit_workerstatus',
                        'verbose_name_plural': 'worker statuses',
                    },
                ),
                migrations.CreateModel(
                    name='BusEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('partition', models.PositiveSmallIntegerField()),
                        ('key', models.CharField(max_length=200)),
                        ('event_id', models.CharField(max_length=36)),
                        ('type', models.CharField(max_length=64)),
                        ('tenant', models.CharField(max_length=63)),
                        ('entity', models.CharField(max_length=32)),
                        ('entity_id', models.CharField(max_length=64)),
                        ('occurred_at', models.CharField(max_length=40)),
                        ('appended_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'conduit_busevent',
                        'indexes': [models.Index(fields=['partition', 'id'], name='busevent_partition_id')],
                    },
                ),
                migrations.CreateModel(
                    name='ConsumerOffset',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('group', models.CharField(max_length=100)),
                        ('partition', models.PositiveSmallIntegerField()),
                        ('offset', models.BigIntegerField(default=0, help_text='Every log id <= offset is done for this group.')),
                        ('owner', models.CharField(blank=True, max_length=100)),
                        ('leased_until', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'db_table': 'conduit_consumeroffset',
                        'constraints': [models.UniqueConstraint(fields=('group', 'partition'), name='unique_group_partition')],
                    },
                ),
                migrations.CreateModel(
                    name='FailedEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_id', models.CharField(max_length=36, unique=True)),
                        ('payload', models.JSONField()),
                        ('tenant', models.CharField(db_index=True, max_length=63)),
                        ('type', models.CharField(max_length=64)),
                        ('status', models.CharField(choices=[('retrying', 'Retrying'), ('dead', 'Dead')], default='retrying', max_length=16)),
                        ('attempts', models.PositiveIntegerField(default=1)),
                        ('last_error', models.TextField(blank=True)),
                        ('next_attempt_at', models.DateTimeField()),
                        ('leased_until', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'conduit_failedevent',
                        'ordering': ['-updated_at'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='failedevent_due')],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_id', models.UUIDField(unique=True)),
                        ('type', models.CharField(max_length=64)),
                        ('entity', models.CharField(max_length=32)),
                        ('entity_id', models.CharField(max_length=64)),
                        ('occurred_at', models.DateTimeField(db_index=True)),
                        ('published_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                    ],
                    options={
                        'db_table': 'content_outboxevent',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['published_at', 'id'], name='outbox_unpublished')],
                    },
                ),
            ],
        ),
    ]
