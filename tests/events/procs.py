"""Helpers for tests that drive real processes: a data dir with the test handler, writers and workers."""
import subprocess
import sys
import time

from tests.support.stack import ROOT, Stack


def make_procs(tmp_path, **env):
    stack = Stack(tmp_path, CONDUIT_EVENT_HANDLER="tests.events.handlers.record",
                  CONDUIT_TEST_EVENT_LOG=tmp_path / "events.jsonl",
                  CONDUIT_WORKER_RETRY_BASE_SECONDS="0.05", **env)
    stack.manage("migrate", "--noinput", "-v0")
    stack.log_path = tmp_path / "events.jsonl"
    return stack


def write(stack, slug, count, *extra, **env):
    result = subprocess.run([sys.executable, "-m", "tests.events.writer", slug, str(count), *extra],
                            env={**stack.env, **env}, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result, [int(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("saved ")]


def worker(stack, **env):
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env={**stack.env, **env},
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def live_workers(stack):
    """How many workers have reported a heartbeat in the stack's control database (read by a subprocess)."""
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from events.models import "
                             "WorkerStatus; print(WorkerStatus.objects.count())"],
                            env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
