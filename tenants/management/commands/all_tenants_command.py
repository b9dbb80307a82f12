import time

from django.core.management.base import CommandError

from tenants.management.commands._base import Progress, TenantCommand
from tenants.management.commands.tenant_command import run_in_tenant
from tenants.models import Tenant


class Command(TenantCommand):
    help = "Run a management command for every active tenant: all_tenants_command <command> [args...]"

    def add_arguments(self, parser):
        parser.add_argument("command_name")
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv):
        self._raw = argv[3:]
        return super().run_from_argv(argv[:3])

    def handle(self, command_name, *args, **options):
        raw = getattr(self, "_raw", None)
        tenants = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE))
        progress, failures = Progress(len(tenants), stream=self.stderr), []
        for tenant in tenants:
            started = time.perf_counter()
            try:
                run_in_tenant(tenant, command_name, list(raw if raw is not None else args))
                progress.step(tenant.slug, seconds=time.perf_counter() - started)
            except Exception as exc:
                failures.append(tenant.slug)
                progress.step(tenant.slug, ok=False, seconds=time.perf_counter() - started, note=str(exc))
        if failures:
            raise CommandError(f"'{command_name}' failed for: {', '.join(failures)}")
