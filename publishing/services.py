"""Writes of publishing: the site's settings and its owners. Each change is audited, in the same transaction."""
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.audit import audit_record
from conduit.exceptions import Conflict, Invalid, NotFound
from conduit.messages import MESSAGES
from events.outbox import outbox_record
from publishing.models import SiteSettings
from tenants.db import lock_rows, tenant_alias, tenant_transaction

# API name → model field of the settings a PUT may change
FIELDS = {"title": "title", "description": "description", "logo": "logo", "accentColor": "accent_color",
          "language": "language", "timezone": "timezone"}


def _audited(value):
    return str(value) if value is not None and not isinstance(value, (str, int, bool)) else value


def site_update(*, actor, data: dict) -> SiteSettings:
    """Apply the given (validated) values; the others are kept. A change writes a `site.updated` outbox event and
    a `site.update` audit row with what changed, in one transaction; a PUT that changes nothing writes neither."""
    return tenant_transaction(_site_update)(actor, data, tenant_alias())


def _site_update(actor, data: dict, alias: str) -> SiteSettings:
    site = lock_rows(SiteSettings.objects.using(alias).filter(pk=SiteSettings.SINGLETON_ID)).first()
    if site is None:
        site = SiteSettings()
    changed = {}
    for key, field in FIELDS.items():
        if key in data and getattr(site, field) != data[key]:
            changed[key] = {"from": _audited(getattr(site, field)), "to": _audited(data[key])}
            setattr(site, field, data[key])
    if not changed:
        return site
    site.updated_at = timezone.now()
    site.save(using=alias)
    outbox_record(event_type="site.updated", entity="site", entity_id="site", using=alias)
    audit_record(actor=actor, action="site.update", target="site", detail={"changed": changed})
    return site


def _user(username: str, *, field: str):
    User = get_user_model()
    user = User.objects.using(tenant_alias()).filter(username_key=User.identity_key(username)).first()
    if user is None:
        if field == "username":  # named in a request body: the input is at fault
            raise Invalid("username", MESSAGES["not_found"])
        raise NotFound("owner", MESSAGES["not_found"])
    return user


def owner_grant(*, actor, username: str) -> tuple[object, bool]:
    """Make the site's user `username` an owner; returns (user, granted) — False when they already were one."""
    return tenant_transaction(_owner_grant)(actor, username)


def _owner_grant(actor, username: str) -> tuple[object, bool]:
    user = _user(username, field="username")
    if user.is_owner:
        return user, False
    user.is_owner = True
    user.save(update_fields=["is_owner"], using=tenant_alias())
    audit_record(actor=actor, action="owner.grant", target=f"user:{user.username}")
    return user, True


def owner_revoke(*, actor, username: str):
    """Take the owner role from `username`; the last owner keeps it (409), so a site always has someone to run it.
    The owners are locked (lock_rows): of two concurrent revokes of the last two owners, one waits (SQL) or is
    retried (MongoDB write conflict) and then finds a single owner left."""
    return tenant_transaction(_owner_revoke)(actor, username, tenant_alias())


def _owner_revoke(actor, username: str, alias: str):
    User = get_user_model()
    owners = list(lock_rows(User.objects.using(alias).filter(is_owner=True)).values_list("pk", flat=True))
    user = _user(username, field="owner")
    if user.pk not in owners:
        raise NotFound("owner", MESSAGES["not_an_owner"])
    if len(owners) == 1:
        raise Conflict("owner", MESSAGES["last_owner"])
    User.objects.using(alias).filter(pk=user.pk).update(is_owner=False)
    user.is_owner = False
    audit_record(actor=actor, action="owner.revoke", target=f"user:{user.username}")
    return user
