from tenants.management.commands._base import TenantCommand
from tenants.services import cli_actor, tenant_suspend


class Command(TenantCommand):
    help = "Suspend a tenant: its site answers 503 until resumed."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, slug, **options):
        tenant_suspend(slug=slug, actor=cli_actor())
        self.stdout.write(self.style.SUCCESS(f"suspended tenant '{slug}'"))
