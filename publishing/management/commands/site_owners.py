from django.core.management.base import CommandError

from accounts.roles import owner_email_apply
from conduit.exceptions import ApplicationError
from publishing import selectors, services
from tenants.context import tenant_context
from tenants.management.commands._base import TenantCommand
from tenants.selectors import tenant_get
from tenants.services import cli_actor


class Command(TenantCommand):
    help = ("List a site's owners, or grant/revoke the role (audited in the site as the CLI operator): the operator's "
            "way back in when a site has lost its owners' trust or access. The last owner is never revoked: grant first.")

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--grant", metavar="USERNAME")
        parser.add_argument("--revoke", metavar="USERNAME")

    def handle(self, slug, grant, revoke, **options):
        actor = cli_actor().name
        with tenant_context(tenant_get(slug=slug)):
            try:
                if grant:
                    user, granted = services.owner_grant(actor=actor, username=grant)
                    self.stdout.write(f"{user.username}: {'granted' if granted else 'already an owner'}")
                if revoke:
                    user = services.owner_revoke(actor=actor, username=revoke)
                    self.stdout.write(f"{user.username}: revoked")
            except ApplicationError as exc:
                raise CommandError(f"{exc.field} {exc.message}") from exc
            owner_email_apply()
            self.stdout.write("owners: " + (", ".join(u.username for u in selectors.owner_list()) or "(none)"))
