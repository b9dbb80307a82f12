"""manage.py run_worker [--once]: consume content events and index them (see events.worker)."""
import signal

from django.core.management.base import BaseCommand

from events.worker import Worker


class Command(BaseCommand):
    help = "Consume content events from the bus and index them; SIGTERM stops gracefully."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Drain what is pending (retries included), then exit.")

    def handle(self, *args, once=False, **options):
        worker = Worker(once=once)
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        consumed = worker.run()
        if once:
            self.stdout.write(f"consumed {consumed} events")
