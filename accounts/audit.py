"""The site audit log (issue 13): what owners do, in the tenant's own database, append-only, readable by owners.

Public to every feature (content's moderation, webhooks, publishing): import `audit_record` / `audit_list` /
`audit_out` from here; they touch only accounts.models and the tenant's database.
"""
from django.db.models import QuerySet

from accounts.models import SiteAuditEntry
from conduit.fields import iso
from tenants.db import tenant_alias

SYSTEM = "system"  # the actor of what the platform does on the site's behalf (e.g. applying the owner email)


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, SYSTEM
    if isinstance(actor, str):
        return None, actor[:150] or SYSTEM
    return actor.pk, actor.get_username()


def audit_record(*, actor, action: str, target: str, detail: dict | None = None) -> SiteAuditEntry:
    """Append a row to the current tenant's audit log (raises TenantNotSet outside a tenant).

    `actor` is a User, a string (e.g. "system", "cli:alice") or None ("system"); `action` a dotted verb such as
    "site.update", "owner.grant", "comment.remove"; `target` what it acted on ("site", "user:jake",
    "article:how-to"); `detail` JSON-serialisable facts (changed fields, before/after). Call it inside the same
    tenant transaction as the change it records, so both or neither are kept.
    """
    actor_user_id, actor_name = _actor(actor)
    return SiteAuditEntry.objects.using(tenant_alias()).create(
        actor_user_id=actor_user_id, actor=actor_name, action=action[:60], target=target[:300], detail=detail or {}
    )


def audit_list(*, action: str | None = None, target: str | None = None, actor: str | None = None) -> QuerySet:
    """The current tenant's audit rows, newest first, optionally filtered; slice it for a page."""
    rows = SiteAuditEntry.objects.using(tenant_alias()).all()
    if action:
        rows = rows.filter(action=action)
    if target:
        rows = rows.filter(target=target)
    if actor:
        rows = rows.filter(actor=actor)
    return rows.order_by("-at", "-id")


def audit_out(entry: SiteAuditEntry) -> dict:
    """The API representation of one row: {"id", "at", "actor", "action", "target", "detail"}."""
    return {
        "id": entry.pk,
        "at": iso(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "detail": entry.detail,
    }
