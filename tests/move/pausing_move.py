"""`python -m tests.move.pausing_move <move_tenant arguments>`: run `manage.py move_tenant`, pausing in the middle
of the copy step — half of the tables copied into the target's open transaction — so a test can kill the process
there. Test code only: production never imports it (the step-level pause is CONDUIT_MOVE_PAUSE_AT)."""
import sys
import time

import django


def main(argv):
    django.setup()
    from django.core.management import execute_from_command_line

    from tenants.transfer import moving

    note = moving._note

    def note_then_pause(move, report, message, **progress):
        note(move, report, message, **progress)  # the progress (tables copied) is recorded first
        total = progress.get("tables_total", 0)
        if move.step == "copy" and total > 1 and progress.get("tables_copied") == total // 2:
            print(f"paused mid-copy after {total // 2} of {total} tables", file=sys.stderr, flush=True)
            time.sleep(3600)

    moving._note = note_then_pause  # _run_steps looks it up at call time
    execute_from_command_line(["manage.py", "move_tenant", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
