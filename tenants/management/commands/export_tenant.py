from tenants.management.commands._base import TenantCommand
from tenants.services import cli_actor
from tenants.transfer.archive import tenant_export


class Command(TenantCommand):
    help = "Write a portable, versioned archive of one tenant (tables as JSON lines, checksums, optional media)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", help="archive to write (.tar.gz)")
        parser.add_argument("--media", action="store_true", help="include the tenant's media files")

    def handle(self, slug, file, media, **options):
        manifest = tenant_export(slug=slug, path=file, actor=cli_actor(), media=media)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"exported tenant '{slug}' to {file}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files, schema {manifest['schema_fingerprint']}"))
