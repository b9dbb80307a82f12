"""Control plane: the tenant registry, domains, registry version and the append-only audit log."""
from django.db import models

from conduit.audit import AppendOnlyRecord
from tenants.info import TenantInfo


class Tenant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        DELETED = "deleted", "Deleted"

    slug = models.SlugField(max_length=63, unique=True)
    name = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(
        blank=True, help_text="The site's first owner: its user with this email becomes an owner (now or when they register)."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    database_url = models.CharField(max_length=500)
    read_only = models.BooleanField(default=False, help_text="Set while the tenant is being moved.")
    schema_version = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the migrations applied to this tenant's database."
    )
    migrated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug

    def info(self):
        return TenantInfo(
            id=self.pk,
            slug=self.slug,
            name=self.name,
            status=self.status,
            database_url=self.database_url,
            read_only=self.read_only,
            owner_email=self.owner_email,
        )


class Domain(models.Model):
    tenant = models.ForeignKey(Tenant, related_name="domains", on_delete=models.CASCADE)
    domain = models.CharField(max_length=253, unique=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_primary=True), name="one_primary_domain_per_tenant"
            )
        ]

    def __str__(self):
        return self.domain


class RegistryVersion(models.Model):
    """A single row bumped on every registry change; server processes poll it to drop their caches."""

    version = models.BigIntegerField(default=0)


class AuditLog(AppendOnlyRecord, models.Model):
    """Append-only record of master actions (tenancy rule 6)."""

    class Level(models.TextChoices):
        MASTER = "MASTER", "Master"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40, db_index=True)
    target = models.CharField(max_length=200)
    source_ip = models.CharField(max_length=64, help_text="Client IP, or `cli` for commands.")
    privilege = models.CharField(max_length=16, choices=Level.choices, default=Level.MASTER)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class TenantMove(models.Model):
    """A move of a tenant to another database (or a restore), with its progress; at most one active per tenant."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.PENDING, Status.RUNNING)

    tenant = models.ForeignKey(Tenant, related_name="moves", on_delete=models.CASCADE)
    source_url = models.CharField(max_length=500)
    target_url = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    step = models.CharField(max_length=32, blank=True)
    progress = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    drop_source = models.BooleanField(default=False)
    actor = models.CharField(max_length=150)
    source_ip = models.CharField(max_length=64, default="cli")
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(status__in=["pending", "running"]), name="one_active_move_per_tenant"
            )
        ]

    def __str__(self):
        return f"move {self.tenant_id} #{self.pk} {self.status}"
