import multiprocessing
import time

from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from tenants.management.commands._base import Progress, TenantCommand
from tenants.models import Tenant
from tenants.provisioning import database_migrate, schema_fingerprint
from tenants.selectors import tenant_get


def _migrate_one(tenant_id):
    """Migrate one tenant and record its new state; returns (slug, ok, seconds, error)."""
    tenant = Tenant.objects.get(pk=tenant_id)
    started = time.perf_counter()
    try:
        database_migrate(tenant.info())
        Tenant.objects.filter(pk=tenant.pk).update(schema_version=schema_fingerprint(), migrated_at=timezone.now())
        return tenant.slug, True, time.perf_counter() - started, ""
    except Exception as exc:  # reported per tenant; the run goes on and exits non-zero at the end
        return tenant.slug, False, time.perf_counter() - started, f"{type(exc).__name__}: {exc}".splitlines()[0]


class Command(TenantCommand):
    help = "Apply migrations to tenant databases; tenants whose recorded state is current are skipped."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these tenants (default: every tenant not deleted)")
        parser.add_argument("--parallel", type=int, default=1, help="worker processes (default 1)")
        parser.add_argument("--force", action="store_true", help="run migrate even where nothing is recorded pending")

    def handle(self, slugs, parallel, force, **options):
        if parallel < 1:
            raise CommandError("--parallel must be at least 1")
        target = schema_fingerprint()
        tenants = [tenant_get(slug=s) for s in slugs] if slugs else list(Tenant.objects.exclude(status="deleted"))
        pending = [t for t in tenants if force or t.schema_version != target]
        skipped = len(tenants) - len(pending)
        self.stderr.write(f"{len(tenants)} tenant(s): {skipped} up to date, {len(pending)} to migrate")
        progress = Progress(len(pending), stream=self.stderr)
        failures = []
        for slug, ok, seconds, error in self._run([t.pk for t in pending], parallel):
            progress.step(slug, ok=ok, seconds=seconds, note=error)
            if not ok:
                failures.append(slug)
        if failures:
            raise CommandError(f"migration failed for {len(failures)} tenant(s): {', '.join(sorted(failures))}")
        self.stdout.write(self.style.SUCCESS(f"migrated {len(pending)} tenant(s), {skipped} already up to date"))

    @staticmethod
    def _run(ids, parallel):
        if parallel == 1 or len(ids) <= 1:
            yield from map(_migrate_one, ids)
            return
        connections.close_all()  # children must not share the parent's sockets or file handles
        with multiprocessing.get_context("fork").Pool(min(parallel, len(ids))) as pool:
            yield from pool.imap_unordered(_migrate_one, ids)
