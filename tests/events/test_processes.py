"""Real processes, killed on purpose: nothing committed is lost, several workers share the work, SIGTERM is clean."""
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.events.handlers import read_log
from tests.events.procs import live_workers, make_procs, wait_for, worker, write
from tests.support.stack import ROOT, pg_create_database, pg_url

pytestmark = pytest.mark.slow


@pytest.fixture
def procs(tmp_path):
    return make_procs(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_procs(request, tmp_path, pg_prefix):
    """The same on a SQLite control and tenant databases, and on PostgreSQL ones (SKIP LOCKED, real concurrency)."""
    if request.param == "sqlite":
        return make_procs(tmp_path)
    name = f"{pg_prefix}e{uuid.uuid4().hex[:6]}"
    return make_procs(tmp_path, DATABASE_URL=pg_create_database(f"{name}_control"),
                      CONDUIT_TENANT_DATABASE_URL=pg_url(name))


def test_killed_between_commit_and_publish_loses_nothing(any_procs):
    procs = any_procs
    slug = procs.create_tenant()
    result, ids = write(procs, slug, 1, "--crash-before-publish")
    assert result.returncode == -signal.SIGKILL  # died right after the commit
    assert ids == []  # ...before it could even report the save
    unpublished = procs.manage("tenant_command", slug, "shell", "-v", "0", "-c",
                               "from content.models import Article; from events.models import OutboxEvent; "
                               "print(OutboxEvent.objects.filter("
                               "published_at=None).count(), Article.objects.count())").stdout.split()
    assert unpublished == ["1", "1"]
    assert read_log(procs.log_path) == []
    assert "consumed 1 events" in procs.manage("run_worker", "--once").stdout
    [event] = read_log(procs.log_path)
    assert (event["type"], event["tenant"]) == ("article.created", slug)


def test_two_workers_share_the_log_and_each_event_is_indexed_once(any_procs):
    procs = any_procs
    slugs = [procs.create_tenant() for _ in range(6)]
    workers = [worker(procs) for _ in range(2)]
    try:
        assert wait_for(lambda: live_workers(procs) == 2, timeout=120)  # both joined: they split the partitions
        writers = [subprocess.Popen([sys.executable, "-m", "tests.events.writer", s, "20"], env=procs.env, cwd=ROOT,
                                    stdout=subprocess.DEVNULL) for s in slugs]
        assert all(w.wait(120) == 0 for w in writers)
        assert wait_for(lambda: len(read_log(procs.log_path)) >= 120)
        time.sleep(1)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        outputs = [w.communicate(timeout=30)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    seen = read_log(procs.log_path)
    assert len(seen) == 120 and len({e["id"] for e in seen}) == 120
    assert len({e["pid"] for e in seen}) == 2  # both did some of the work
    for slug in slugs:  # per-tenant completeness
        assert len([e for e in seen if e["tenant"] == slug]) == 20


def test_sigterm_finishes_the_batch_and_a_new_worker_resumes(procs):
    slug = procs.create_tenant()
    first = worker(procs)
    write(procs, slug, 5)
    assert wait_for(lambda: len(read_log(procs.log_path)) == 5)
    first.send_signal(signal.SIGTERM)
    assert first.wait(30) == 0
    _, ids = write(procs, slug, 3, "--delete")  # written while no worker runs
    assert "consumed 6 events" in procs.manage("run_worker", "--once").stdout
    types = [e["type"] for e in read_log(procs.log_path)[5:]]
    assert types == ["article.created", "article.deleted"] * 3
