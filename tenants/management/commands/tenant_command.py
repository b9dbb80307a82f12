from django.core.management import call_command, load_command_class
from django.core.management import get_commands
from django.core.management.base import CommandError

from tenants.management.commands._base import TenantCommand
from tenants.selectors import tenant_get


def run_in_tenant(tenant, name, args):
    """Run a management command inside the tenant's context; `--database` defaults to the tenant's alias."""
    from tenants.connections import ensure_alias
    from tenants.context import tenant_context

    commands = get_commands()
    if name not in commands:
        raise CommandError(f"unknown command '{name}'")
    command = load_command_class(commands[name], name)
    with tenant_context(tenant) as info:
        takes_database = any("--database" in a.option_strings for a in command.create_parser("", name)._actions)
        if takes_database and not any(a.startswith("--database") for a in args):
            args = [*args, f"--database={ensure_alias(info)}"]
        return call_command(command, *args)


class Command(TenantCommand):
    help = "Run a management command for one tenant: tenant_command <slug> <command> [args...]"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("command_name")
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv):
        # Pass everything after the command name through untouched (including options like --foo).
        self._raw = argv[4:]
        return super().run_from_argv(argv[:4])

    def handle(self, slug, command_name, *args, **options):
        raw = getattr(self, "_raw", None)
        run_in_tenant(tenant_get(slug=slug), command_name, list(raw if raw is not None else args))
