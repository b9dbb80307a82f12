from django.core.management.base import BaseCommand, CommandError

from accounts.services import jwt_keys_retire, jwt_keys_rotate
from tenants.services import cli_actor


class Command(BaseCommand):
    help = (
        "Print the next CONDUIT_JWT_KEYS value: a new signing key in front of the current ones, or (--retire KID) "
        "the ring without a key. Deploy it to every server process; the action is audited (secrets are not)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kid", help="id of the new key (default: k<UTC timestamp>)")
        parser.add_argument("--retire", metavar="KID", help="drop this key instead of adding one")

    def handle(self, kid=None, retire=None, **options):
        try:
            if retire:
                value = jwt_keys_retire(actor=cli_actor(), kid=retire)
            else:
                value = jwt_keys_rotate(actor=cli_actor(), kid=kid)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"CONDUIT_JWT_KEYS={value}")
