"""One user model for the whole platform: tenant users live in their tenant's database, operators in the control one."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from conduit.audit import AppendOnlyRecord


class User(AbstractUser):
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True, null=True)  # null when unset (RealWorld), never ""
    image = models.URLField(max_length=1000, blank=True, null=True)
    # A site owner (issue 13): edits the site settings, grants/revokes the role, moderates. Read it through
    # accounts.roles.is_owner(user), which also applies the tenant's owner_email on first sight.
    is_owner = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_user"
        constraints = [  # case-insensitive uniqueness; accounts.services also NFKC-normalises both on the way in
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]


class SiteAuditEntry(AppendOnlyRecord, models.Model):
    """Append-only record of what a site's owners (and the platform on their behalf) did, in the tenant's DB.

    Written by accounts.audit.audit_record; `actor` is the username at the time (users can be renamed or removed),
    `actor_user_id` the user's id when there was one ("system" rows have none).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "accounts_site_audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "target"], name="accounts_audit_action_target")]
