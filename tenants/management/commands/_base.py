"""Shared bits of the lifecycle commands: one-line errors, progress lines (the CLI actor is tenants.services')."""
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from tenants.selectors import TenantNotFound
from tenants.services import TenantError


class TenantCommand(BaseCommand):
    """Turns the services' expected errors into a clear one-line message and a non-zero exit."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (TenantError, TenantNotFound) as exc:
            raise CommandError(str(exc)) from exc


class Progress:
    """Prints `[i/n] label status (seconds)` lines; rewrites one line in place on a terminal."""

    def __init__(self, total, stream=None, quiet=False):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.quiet = quiet

    def step(self, label, ok=True, seconds=None, note=""):
        self.done += 1
        self.failed += 0 if ok else 1
        if self.quiet and ok:
            return
        status = "ok" if ok else "FAILED"
        took = f" ({seconds:.2f}s)" if seconds is not None else ""
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        line = f"[{self.done}/{self.total}] {label} {status}{took} {note}".rstrip() + f"  {rate:.0f}/s"
        self.stream.write(line + "\n")
        self.stream.flush()
