import os
import sys

from django.core.management.base import CommandError

from tenants.management.commands._base import TenantCommand
from tenants.provisioning import redact
from tenants.selectors import tenant_get
from tenants.services import Actor, cli_actor
from tenants.transfer.moving import move_prepare, move_recover, move_run


class Command(TenantCommand):
    help = ("Move a tenant to another database (SQLite, PostgreSQL or MongoDB): read-only, clone, copy, verify, switch, "
            "writable. --recover repairs moves whose process died.")

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("--to", dest="target", help="target database URL (must not exist yet)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--drop-source", action="store_true", help="drop the source database after the switch")
        parser.add_argument("--recover", action="store_true", help="only repair interrupted moves (all tenants "
                            "unless a slug is given)")
        parser.add_argument("--run", type=int, metavar="MOVE_ID", help="carry out a move prepared by the control API")
        parser.add_argument("--actor", help="audit actor name (used with --run)")

    def handle(self, slug, target, yes, drop_source, recover, run, actor, **options):
        say = lambda message: self.stdout.write(message) or self.stdout.flush()  # noqa: E731
        if recover:
            count = move_recover(slug=slug, report=say)
            self.stdout.write(self.style.SUCCESS(f"recovered {count} interrupted move(s)"))
            return
        if run:
            move = move_run(move_id=run, report=say)
            self.stdout.write(self.style.SUCCESS(f"moved tenant '{move.tenant.slug}'"))
            return
        if not slug or not target:
            raise CommandError("usage: move_tenant <slug> --to <database-url> [--yes] [--drop-source]")
        tenant = tenant_get(slug=slug)
        if not yes:
            if not (sys.stdin and sys.stdin.isatty()):
                raise CommandError("refusing to move without confirmation: pass --yes")
            answer = input(f"Move '{slug}' from {redact(tenant.database_url)} to {redact(target)}? "
                           "Writes are refused while it moves. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("move cancelled")
        who = Actor(actor, "cli") if actor else cli_actor()
        move_recover(slug=slug, report=say)
        move = move_prepare(slug=slug, target_url=target, actor=who, drop_source=drop_source, runner_pid=os.getpid())
        move_run(move_id=move.pk, report=say)
        self.stdout.write(self.style.SUCCESS(f"moved tenant '{slug}' to {redact(target)}"))
