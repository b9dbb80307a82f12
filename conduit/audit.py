"""What every audit record shares (the operators' AuditLog in tenants, a site's SiteAuditEntry in accounts)."""
from django.core.exceptions import PermissionDenied


class AppendOnlyRecord:
    """A model mixin: rows are written once and never changed or deleted; fields `at`, `actor`, `action`, `target`."""

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit records are append-only.")
