"""Move a tenant to another database: read-only, clone, copy, verify, switch, writable; recoverable at every step."""
import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from conduit.conf import conduit_settings
from conduit.exceptions import Conflict
from tenants import provisioning
from tenants.connections import ensure_alias, release_tenant
from tenants.models import Tenant, TenantMove
from tenants.selectors import tenant_get
from tenants.services import Actor, TenantError, audit_record
from tenants.transfer import tables
from tenants.transfer.recovery import STEPS, drop_quietly, move_abort, move_recover, set_read_only


class MoveError(TenantError):
    def __init__(self, message):
        super().__init__(message, field="database_url")


class MoveConflict(Conflict, MoveError):
    """The move collides with what exists (the target database, a move in progress): 409."""


def _note(move, report, message, **progress):
    """Record progress (and the heartbeat) on the move and tell the caller."""
    move.progress = {**move.progress, **progress, "message": message}
    TenantMove.objects.filter(pk=move.pk).update(progress=move.progress, step=move.step, heartbeat_at=timezone.now())
    if report:
        report(message)


def _pause_hook(step):
    """CONDUIT_MOVE_PAUSE_AT=<step> sleeps after that step's work so a test can kill the process there."""
    if conduit_settings.MOVE_PAUSE_AT == step:
        print(f"paused at {step}", file=sys.stderr, flush=True)
        time.sleep(conduit_settings.MOVE_PAUSE_SECONDS)


def move_latest(*, slug: str) -> TenantMove | None:
    return TenantMove.objects.filter(tenant__slug=slug).order_by("-created_at", "-id").first()


def move_prepare(*, slug: str, target_url: str, actor: Actor, drop_source: bool = False,
                 runner_pid: int | None = None) -> TenantMove:
    """Validate a move and record it as pending; nothing changes for the tenant yet."""
    move_recover(slug=slug)
    tenant = tenant_get(slug=slug)
    if tenant.status == Tenant.Status.DELETED:
        raise MoveError(f"tenant '{slug}' is deleted; resume it before moving it")
    try:
        provisioning.check_url(target_url)
    except provisioning.ProvisioningError as exc:
        raise (MoveConflict if isinstance(exc, provisioning.ProvisioningConflict) else MoveError)(str(exc)) from exc
    if target_url == tenant.database_url:
        raise MoveConflict(f"tenant '{slug}' already lives in {provisioning.redact(target_url)}")
    if Tenant.objects.filter(database_url=target_url).exists():
        raise MoveError(f"{provisioning.redact(target_url)} is the database of another tenant")
    try:
        provisioning.check_target(target_url)
        exists = provisioning.database_exists(target_url)
    except provisioning.ProvisioningError as exc:
        raise (MoveConflict if isinstance(exc, provisioning.ProvisioningConflict) else MoveError)(str(exc)) from exc
    if exists:
        raise MoveConflict(f"target database {provisioning.redact(target_url)} already exists; choose a new one")
    pending = tables.pending_migrations(ensure_alias(tenant.info()))
    if pending:
        raise MoveError(f"tenant '{slug}' has {len(pending)} pending migrations ({pending[0]}, ...): "
                        "run migrate_tenants first")
    try:
        with transaction.atomic():
            return TenantMove.objects.create(
                tenant=tenant, source_url=tenant.database_url, target_url=target_url, drop_source=drop_source,
                actor=actor.name, source_ip=actor.source_ip, host=socket.gethostname(), pid=runner_pid,
                progress={"steps": STEPS},
            )
    except IntegrityError:
        raise MoveConflict(f"a move of tenant '{slug}' is already in progress") from None


def move_start(*, slug: str, target_url: str, actor: Actor, drop_source: bool = False) -> TenantMove:
    """Prepare a move and carry it out in a detached `move_tenant --run` process (it outlives a web worker)."""
    move = move_prepare(slug=slug, target_url=target_url, actor=actor, drop_source=drop_source)
    log_dir = Path(settings.DATA_DIR) / "moves"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"move-{move.pk}.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "move_tenant", "--run", str(move.pk)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    threading.Thread(target=process.wait, daemon=True).start()  # reap it, so it never lingers as a zombie
    return move


def move_run(*, move_id: int, report=None) -> TenantMove:
    """Carry out a prepared move in this process; any failure before the switch leaves the tenant where it was."""
    claimed = TenantMove.objects.filter(pk=move_id, status=TenantMove.Status.PENDING).update(
        status=TenantMove.Status.RUNNING, pid=os.getpid(), host=socket.gethostname(), heartbeat_at=timezone.now())
    if not claimed:
        raise MoveError(f"move #{move_id} is not pending")
    move = TenantMove.objects.select_related("tenant").get(pk=move_id)
    try:
        _run_steps(move, report)
    except BaseException as exc:
        move_abort(move, error=f"{type(exc).__name__}: {exc}" if not isinstance(exc, TenantError) else str(exc),
                   report=report)
        if isinstance(exc, Exception) and not isinstance(exc, TenantError):
            raise MoveError(f"move failed at step {move.step}: {exc}") from exc
        raise
    return move


def _run_steps(move, report):
    info = move.tenant.info()
    source = dataclasses.replace(info, database_url=move.source_url)
    target = dataclasses.replace(info, database_url=move.target_url)
    started = time.monotonic()

    move.step = "read_only"
    set_read_only(move.tenant_id, True)
    wait = conduit_settings.REGISTRY_REFRESH_SECONDS + conduit_settings.MOVE_GRACE_SECONDS
    _note(move, report, f"[1/6] tenant is read-only; waiting {wait:.1f}s for every server and in-flight request")
    time.sleep(wait)
    read_only_at = time.monotonic()
    _pause_hook("read_only")

    move.step = "provision"
    _note(move, report, f"[2/6] provisioning {provisioning.redact(move.target_url)} from the template")
    provisioning.database_create(move.target_url)
    _pause_hook("provision")

    move.step = "copy"
    src, dst = ensure_alias(source), ensure_alias(target)
    models = tables.tenant_models()
    copied, t0, expected = 0, time.monotonic(), {}
    # The target is fresh and unknown to every reader until the switch, so a failure needs no rollback: move_abort
    # drops it. SQL engines still copy in one transaction (cheap there, and never a half-written file). A MongoDB
    # target gets no transaction: one spanning every table (10,000 articles and more) would run into the server's
    # transactionLifetimeLimitSeconds (60 s) and pin its cache; and Django's atomic() is a no-op there anyway.
    in_one_transaction = connections[dst].vendor != "mongodb"
    with transaction.atomic(using=dst) if in_one_transaction else contextlib.nullcontext():
        tables.clear_tables(dst, models)
        for index, model in enumerate(models, 1):
            digest = tables.Digest()
            rows = tables.insert_rows(dst, model, digest.feed(tables.read_rows(src, model)))
            expected[model._meta.db_table] = digest.value
            copied += rows
            _note(move, report, f"[3/6] copied {model._meta.db_table}: {rows} rows ({index}/{len(models)})",
                  rows_copied=copied, tables_copied=index, tables_total=len(models))
        tables.reset_sequences(dst, models)
        _pause_hook("copy")
    copy_seconds = time.monotonic() - t0
    _note(move, report, f"[3/6] copied {copied} rows in {copy_seconds:.2f}s", copy_seconds=copy_seconds)

    move.step = "verify"
    _note(move, report, "[4/6] verifying row counts and checksums of every table")
    actual = tables.database_digest(dst, models)
    wrong = sorted(t for t in expected if expected[t] != actual.get(t))
    if wrong:
        raise MoveError(f"verification failed for {', '.join(wrong)}: source and target differ")
    # A write that began before the read-only switch and landed after the copy (an insert, and also an update or
    # a delete that leaves counts equal) shows as a source digest different from what was copied: keep it, stay put.
    late = {t: d for t, d in tables.database_digest(src, models).items() if d != expected[t]}
    if late:
        raise MoveError(f"the source changed during the move ({', '.join(sorted(late))}); retry the move")
    _note(move, report, f"[4/6] verified {len(expected)} tables, {sum(c for c, _ in expected.values())} rows",
          tables={t: {"rows": c, "sha256": h} for t, (c, h) in expected.items()})
    _pause_hook("verify")

    move.step = "switch"
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=move.tenant_id)
        if tenant.database_url != move.source_url:
            raise MoveError(f"tenant '{tenant.slug}' changed database during the move; nothing switched")
        tenant.database_url = move.target_url
        tenant.save(update_fields=["database_url", "updated_at"])
        audit_record(actor=Actor(move.actor, move.source_ip), action="tenant.move", target=tenant.slug, detail={
            "outcome": "switched", "from": provisioning.redact(move.source_url),
            "to": provisioning.redact(move.target_url), "rows": copied, "move": move.pk,
        })
        _note(move, report, f"[5/6] registry switched to {provisioning.redact(move.target_url)}")
    switched_at = time.monotonic()
    _pause_hook("switch")

    move.step = "writable"
    set_read_only(move.tenant_id, False)
    read_only_seconds = time.monotonic() - read_only_at + wait
    release_tenant(source)
    if move.drop_source:  # readers still on the source until every process has seen the switch
        time.sleep(max(0.0, wait - (time.monotonic() - switched_at)))
    dropped = move.drop_source and drop_quietly(move.source_url, report)
    _note(move, report, f"[6/6] writable again; read-only for {read_only_seconds:.2f}s, total "
          f"{time.monotonic() - started:.2f}s" + ("; source dropped" if dropped else "; source kept"),
          read_only_seconds=read_only_seconds, total_seconds=time.monotonic() - started, source_dropped=dropped)
    TenantMove.objects.filter(pk=move.pk).update(status=TenantMove.Status.DONE, finished_at=timezone.now())
    move.status = TenantMove.Status.DONE
