"""Liveness of tenant moves and repair of interrupted ones (the process was killed, the server restarted)."""
import dataclasses
import socket
from pathlib import Path

from django.utils import timezone

from tenants import provisioning
from tenants.connections import release_tenant
from tenants.models import Tenant, TenantMove
from tenants.services import Actor, audit_record

STEPS = ["read_only", "provision", "copy", "verify", "switch", "writable"]
STALE_SECONDS = 600  # a move on another host with no heartbeat (one per table copied) for this long is dead
PENDING_SECONDS = 60  # a move queued for a runner process that never claimed it is dead


def _pid_alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a killed child its parent has not reaped yet is dead too


def move_is_alive(move: TenantMove) -> bool:
    if move.status not in TenantMove.ACTIVE:
        return False
    now = timezone.now()
    if move.host and move.host != socket.gethostname():
        return (now - move.heartbeat_at).total_seconds() < STALE_SECONDS
    if move.pid is None:
        return (now - move.created_at).total_seconds() < PENDING_SECONDS
    return _pid_alive(move.pid)


def set_read_only(tenant_id, value):
    tenant = Tenant.objects.get(pk=tenant_id)
    if tenant.read_only != value:
        tenant.read_only = value
        tenant.save(update_fields=["read_only", "updated_at"])  # post_save bumps the registry version


def drop_quietly(url, report):
    try:
        provisioning.database_drop(url)
        return True
    except Exception as exc:  # the move is done; a leftover source is reported, not fatal
        if report:
            report(f"could not drop the source {provisioning.redact(url)}: {exc}")
        return False


def move_abort(move: TenantMove, *, error: str, report=None) -> None:
    """Undo an unfinished move: before the switch, drop the target; in every case make the tenant writable."""
    tenant = Tenant.objects.filter(pk=move.tenant_id).first()
    switched = tenant is not None and tenant.database_url == move.target_url
    for url in (move.source_url, move.target_url):
        release_tenant(dataclasses.replace(move.tenant.info(), database_url=url))
    if not switched and move.step in STEPS[1:] and not Tenant.objects.filter(database_url=move.target_url).exists():
        drop_quietly(move.target_url, report)
    if tenant is not None:
        set_read_only(tenant.pk, False)
    status = TenantMove.Status.DONE if switched else TenantMove.Status.FAILED
    TenantMove.objects.filter(pk=move.pk).update(status=status, error=error, finished_at=timezone.now())
    move.status, move.error = status, error
    if tenant is not None and not switched:
        audit_record(actor=Actor(move.actor, move.source_ip), action="tenant.move", target=tenant.slug, detail={
            "outcome": "failed", "step": move.step, "error": error[:500], "move": move.pk,
            "from": provisioning.redact(move.source_url), "to": provisioning.redact(move.target_url),
        })
    if report:
        report(f"move #{move.pk} {'finished after the switch' if switched else 'rolled back'}: {error}")


def move_recover(*, slug: str | None = None, report=None) -> int:
    """Finish off moves whose process died, and make tenants stuck read-only with no live move writable."""
    moves = TenantMove.objects.select_related("tenant").filter(status__in=TenantMove.ACTIVE)
    tenants = Tenant.objects.filter(read_only=True)
    if slug:
        moves, tenants = moves.filter(tenant__slug=slug), tenants.filter(slug=slug)
    recovered = 0
    for move in moves:
        if not move_is_alive(move):
            move_abort(move, error=f"interrupted at step {move.step or 'start'}; recovered", report=report)
            recovered += 1
    for tenant in tenants:
        if not any(move_is_alive(m) for m in tenant.moves.filter(status__in=TenantMove.ACTIVE)):
            set_read_only(tenant.pk, False)
            if report:
                report(f"tenant '{tenant.slug}' was read-only with no move in progress: writable again")
            recovered += 1
    return recovered
