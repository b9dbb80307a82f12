"""The event pipeline's state: the tenant-side outbox, and in the control DB the embedded log, consumer offsets,
failures, dirty-outbox flags, ingestion samples and worker heartbeats.

Table names are those the models had in the `conduit` and `content` apps (no data moved when they became `events`'
models); which database a model lives in is EventsConfig.control_models (events/apps.py)."""
from django.db import models


class BusEvent(models.Model):
    """One record of the embedded event log (the `db` bus); `id` is the offset, `partition` follows the key."""

    partition = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=200)
    event_id = models.CharField(max_length=36)
    type = models.CharField(max_length=64)
    tenant = models.CharField(max_length=63)
    entity = models.CharField(max_length=32)
    entity_id = models.CharField(max_length=64)
    occurred_at = models.CharField(max_length=40)
    appended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "conduit_busevent"
        indexes = [models.Index(fields=["partition", "id"], name="busevent_partition_id")]


class ConsumerOffset(models.Model):
    """A consumer group's committed offset in one partition, and the lease of the worker consuming it."""

    group = models.CharField(max_length=100)
    partition = models.PositiveSmallIntegerField()
    offset = models.BigIntegerField(default=0, help_text="Every log id <= offset is done for this group.")
    owner = models.CharField(max_length=100, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "conduit_consumeroffset"
        constraints = [models.UniqueConstraint(fields=["group", "partition"], name="unique_group_partition")]


class FailedEvent(models.Model):
    """An event whose indexing failed: retried with backoff, then dead (the dead-letter queue)."""

    class Status(models.TextChoices):
        RETRYING = "retrying", "Retrying"
        DEAD = "dead", "Dead"

    event_id = models.CharField(max_length=36, unique=True)
    payload = models.JSONField()
    tenant = models.CharField(max_length=63, db_index=True)
    type = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RETRYING)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "conduit_failedevent"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="failedevent_due")]

    def __str__(self):
        return f"{self.type} {self.tenant} ({self.status}, {self.attempts} attempts)"


class DirtyTenant(models.Model):
    """A tenant whose outbox may hold unpublished events (a publish failed): swept soon, not on the full cycle."""

    slug = models.CharField(max_length=63, unique=True)
    marked_at = models.DateTimeField()

    class Meta:
        db_table = "conduit_dirtytenant"


class IngestSample(models.Model):
    """One event that became searchable at one stage, with its save-to-searchable latency (pruned after a day)."""

    class Stage(models.TextChoices):
        TEXT = "text", "Text"
        VECTOR = "vector", "Vector"

    at = models.DateTimeField(db_index=True)
    stage = models.CharField(max_length=8, choices=Stage.choices)
    tenant = models.CharField(max_length=63)
    latency_ms = models.FloatField()

    class Meta:
        db_table = "conduit_ingestsample"


class WorkerStatus(models.Model):
    """A running worker's heartbeat: what it sees (lag, embedding backlog), for the dashboard and /metrics."""

    name = models.CharField(max_length=100, unique=True)
    bus = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    lag = models.BigIntegerField(null=True)
    embedding_backlog = models.BigIntegerField(null=True)
    consumed = models.BigIntegerField(default=0)

    class Meta:
        db_table = "conduit_workerstatus"
        verbose_name_plural = "worker statuses"


class OutboxEvent(models.Model):
    """A content event written in the same transaction as the change it names (transactional outbox).

    `published_at` is set once the bus has accepted it; rows left unpublished are re-published by the worker.
    """

    event_id = models.UUIDField(unique=True)
    type = models.CharField(max_length=64)
    entity = models.CharField(max_length=32)
    entity_id = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "content_outboxevent"  # declared by `content` until the pipeline became its own app
        ordering = ["id"]
        indexes = [models.Index(fields=["published_at", "id"], name="outbox_unpublished")]
