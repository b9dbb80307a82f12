from django.core.management.base import CommandError

from tenants.management.commands._base import TenantCommand
from tenants.selectors import tenant_get
from tenants.services import cli_actor, tenant_delete


class Command(TenantCommand):
    help = "Soft-delete a tenant (database kept), or --purge it (database, media and search index dropped)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--purge", action="store_true")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, slug, purge, yes, **options):
        tenant_get(slug=slug)
        if purge and not yes:
            if not self.stdin_is_interactive():
                raise CommandError("refusing to purge without confirmation: pass --yes")
            answer = input(f"Purge '{slug}' and drop its database, media and index for good? Type the slug: ")
            if answer.strip() != slug:
                raise CommandError("purge cancelled")
        tenant_delete(slug=slug, actor=cli_actor(), purge=purge)
        self.stdout.write(self.style.SUCCESS(f"{'purged' if purge else 'deleted'} tenant '{slug}'"))

    @staticmethod
    def stdin_is_interactive():
        import sys

        return sys.stdin is not None and sys.stdin.isatty()
