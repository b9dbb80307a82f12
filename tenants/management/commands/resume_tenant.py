from tenants.management.commands._base import TenantCommand
from tenants.services import cli_actor, tenant_resume


class Command(TenantCommand):
    help = "Resume a suspended (or soft-deleted) tenant."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, slug, **options):
        tenant_resume(slug=slug, actor=cli_actor())
        self.stdout.write(self.style.SUCCESS(f"resumed tenant '{slug}'"))
