# Scheduled publishing (issue 13): Article.status 'scheduled' + publish_at (tenant DBs); ScheduleMarker (control DB,
# ContentConfig.control_models), the per-tenant next due time the worker's tick reads.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0002_move_to_events'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScheduleMarker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.CharField(max_length=63, unique=True)),
                ('next_due', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('version', models.BigIntegerField(default=0)),
            ],
            options={
                'db_table': 'content_schedulemarker',
            },
        ),
        migrations.AddField(
            model_name='article',
            name='publish_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('scheduled', 'Scheduled')], default='published', max_length=16),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['status', 'publish_at'], name='article_status_publish_at'),
        ),
    ]
