from tenants.management.commands._base import TenantCommand
from tenants.models import Tenant
from tenants.services import cli_actor, tenant_create


class Command(TenantCommand):
    help = "Create a tenant: validate the slug, clone its database from the migrated template, register domains."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", default="")
        parser.add_argument("--domain", action="append", default=[], dest="domains", help="custom domain (repeatable)")
        parser.add_argument("--database-url", help="overrides CONDUIT_TENANT_DATABASE_URL ({slug} is substituted)")
        parser.add_argument("--owner-email", default="",
                            help="the site's first owner: its user with this email (now or when they register)")
        parser.add_argument("--exist-ok", action="store_true", help="succeed quietly if the tenant already exists")

    def handle(self, slug, name, domains, database_url, exist_ok, owner_email, **options):
        if exist_ok and Tenant.objects.filter(slug=slug).exists():
            self.stdout.write(f"tenant '{slug}' already exists")
            return
        tenant = tenant_create(slug=slug, name=name, domains=domains, database_url=database_url,
                               owner_email=owner_email, actor=cli_actor())
        self.stdout.write(self.style.SUCCESS(f"created tenant '{tenant.slug}'"))
