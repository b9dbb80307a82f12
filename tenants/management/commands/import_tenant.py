from tenants.management.commands._base import TenantCommand
from tenants.provisioning import redact
from tenants.services import cli_actor
from tenants.transfer.archive import tenant_import


class Command(TenantCommand):
    help = "Restore a tenant archive into a new tenant on any engine (all-or-nothing, checksums verified)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="slug of the new tenant (default: the archived one)")
        parser.add_argument("--database-url", help="overrides CONDUIT_TENANT_DATABASE_URL ({slug} is substituted)")

    def handle(self, file, slug, database_url, **options):
        tenant = tenant_import(path=file, actor=cli_actor(), slug=slug, database_url=database_url)
        self.stdout.write(self.style.SUCCESS(f"imported tenant '{tenant.slug}' into {redact(tenant.database_url)}"))
