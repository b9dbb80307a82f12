"""Webhooks: endpoints and their deliveries live in each tenant's database; two small control-DB tables tell the
sender which tenants have deliveries due (WebhookDue) and tell operators which endpoints were auto-disabled
(DisabledEndpoint, in the admin). Which database a model lives in is WebhooksConfig.control_models."""
from django.db import models


class Endpoint(models.Model):
    """A URL an owner registered, the event types it subscribed to, and its signing secret.

    The secret is kept as given to the owner (shown once, in the create answer): the sender must sign with it.
    """

    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=500, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.url


class Delivery(models.Model):
    """One event for one endpoint: the exact JSON body, and how its attempts went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"  # an attempt failed; another is scheduled (next_attempt_at)
        DEAD = "dead", "Dead"  # retried for the whole window (or the endpoint was deleted): given up

    endpoint = models.ForeignKey(Endpoint, related_name="deliveries", on_delete=models.CASCADE)
    event_id = models.CharField(max_length=36)
    type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.FloatField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.type} → {self.endpoint_id} ({self.status})"


class WebhookDue(models.Model):
    """Control DB: a tenant with deliveries due at `due_at` (the sender reads only these tenants' databases).

    `version` grows with every mark, so the sender clears or moves a marker only if nobody marked it meanwhile.
    """

    slug = models.CharField(max_length=63, unique=True)
    due_at = models.DateTimeField(db_index=True)
    version = models.BigIntegerField(default=0)


class DisabledEndpoint(models.Model):
    """Control DB: an endpoint the sender auto-disabled after consecutive failures (operators see it in the admin;
    owners see `active: false` and `disabledReason` in the API). Removed when the owner re-enables or deletes it."""

    tenant = models.CharField(max_length=63)
    endpoint_id = models.BigIntegerField()
    url = models.CharField(max_length=2000)
    reason = models.CharField(max_length=500)
    disabled_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "endpoint_id"], name="webhook_disabled_once")]
        ordering = ["-disabled_at"]

    def __str__(self):
        return f"{self.tenant}: {self.url}"
