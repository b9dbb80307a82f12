"""One user model for the whole platform: tenant users live in their tenant's database, operators in the control one."""
import unicodedata

from django.contrib.auth.models import AbstractUser
from django.db import models

from conduit.audit import AppendOnlyRecord


def identity_key(value: str | None) -> str | None:
    """The form in which usernames (and emails) are unique: NFKC, then lower case.

    The same equivalence as before the key columns (accounts.services NFKC-normalises on the way in; the database
    compared Lower() and `iexact`), now computed in Python so that every engine enforces it with a plain unique
    field: MongoDB skips expression constraints, and `iexact` there is an unindexed regex.
    """
    return None if value is None else unicodedata.normalize("NFKC", value).lower()


class IdentityKeyField(models.TextField):
    """identity_key() of the model's field `source`, computed on every insert and save (bulk_create included)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "source": self.source}

    def pre_save(self, model_instance, add):
        value = identity_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class User(AbstractUser):
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True, null=True)  # null when unset (RealWorld), never ""
    image = models.URLField(max_length=1000, blank=True, null=True)
    # A site owner (issue 13): edits the site settings, grants/revokes the role, moderates. Read it through
    # accounts.roles.is_owner(user), which also applies the tenant's owner_email on first sight.
    is_owner = models.BooleanField(default=False)
    # identity_key(username) and identity_key(email), written with every insert and save whatever the path
    # (services, forms, create_user/createsuperuser, bulk_create); look users up by them
    # (`username_key=User.identity_key(x)`), never with `iexact`. QuerySet.update(username=...) must set the key too.
    username_key = IdentityKeyField(source="username", unique=True)
    email_key = IdentityKeyField(source="email", unique=True)

    identity_key = staticmethod(identity_key)

    class Meta:
        db_table = "accounts_user"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:  # a partial save that names username/email writes its key too
            keys = {f"{field}_key" for field in ("username", "email") if field in update_fields}
            if keys:
                kwargs["update_fields"] = {*update_fields, *keys}
        super().save(*args, **kwargs)


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
