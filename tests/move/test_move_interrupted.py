"""A move killed (SIGKILL) at each step leaves the tenant consistent, and recovery makes it writable again."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.populated import Hammer, PopulatedSite
from tests.move.test_move_tenant import READ_PATHS, start_move, wait_for_pause
from tests.support.stack import ROOT, pg_database_exists

pytestmark = pytest.mark.postgres
BEFORE_SWITCH = ["read_only", "provision", "copy", "verify"]


def killed_at(stack, site, target, step):
    move = start_move(stack, site.slug, target, CONDUIT_MOVE_PAUSE_AT=step)
    wait_for_pause(move, step)
    move.kill()
    move.wait(30)


@pytest.mark.parametrize("step", BEFORE_SWITCH)
def test_killed_before_switch_stays_on_source_and_recovers(stack, pg_target, step):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source = stack.tenant_row(site.slug)["database"]
    target = pg_target()
    killed_at(stack, site, target, step)
    time.sleep(1.0)

    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "while stuck").status_code == 503  # still read-only: nothing half-applied
    assert site.snapshot() == before  # reads keep working from the source

    result = stack.manage("move_tenant", "--recover")
    assert "recovered 1 interrupted move" in result.stdout
    assert stack.tenant_row(site.slug)["database"] == source
    assert not pg_database_exists(target)  # the orphan target is dropped
    time.sleep(1.0)
    assert site.snapshot() == before
    assert site.post_article(token, "after recovery").status_code == 201


def assert_recovered_on_target(stack, site, before, source, target):
    """After the repair: the same content, writable again, on the target; the SQLite source is left whole."""
    time.sleep(1.0)
    assert site.snapshot() == before
    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "after recovery").status_code == 201
    assert pg_database_exists(target)
    assert source.startswith("sqlite:///") and stack.data_dir.joinpath(source[len("sqlite:///"):]).exists()


def test_killed_after_switch_stays_on_target_and_recovers(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source = stack.tenant_row(site.slug)["database"]
    target = pg_target()
    killed_at(stack, site, target, "switch")

    assert stack.tenant_row(site.slug)["database"] == target
    stack.manage("move_tenant", "--recover", site.slug)
    assert_recovered_on_target(stack, site, before, source, target)


def test_next_move_recovers_an_interrupted_one_by_itself(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    first, second = pg_target(), pg_target()
    killed_at(stack, site, first, "copy")

    result = stack.manage("move_tenant", site.slug, "--to", second, "--yes")
    assert "rolled back" in result.stdout
    assert stack.tenant_row(site.slug)["database"] == second
    assert not pg_database_exists(first)
    time.sleep(1.0)
    assert site.snapshot() == before


def test_a_second_concurrent_move_is_refused(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant())
    move = start_move(stack, site.slug, pg_target(), CONDUIT_MOVE_PAUSE_AT="provision", CONDUIT_MOVE_PAUSE_SECONDS="3")
    wait_for_pause(move, "provision")
    result = stack.manage("move_tenant", site.slug, "--to", pg_target(), "--yes", check=False)
    assert result.returncode == 1 and "already in progress" in result.stderr
    assert move.wait(120) == 0


def latest_move(stack, slug):
    """(step, progress) of the tenant's last move, read from the stack's control database."""
    result = stack.manage("shell", "-v", "0", "-c", "import json; from tenants.transfer.moving import move_latest; "
                          f"m = move_latest(slug={slug!r}); print(json.dumps([m.step, m.progress]))")
    return json.loads(result.stdout.strip().splitlines()[-1])


def sqlite_path(url):
    return Path(url[len("sqlite:///"):])


@pytest.mark.parametrize("engine", ["postgres", "sqlite"])
def test_killed_in_the_middle_of_the_copy_leaves_no_target_and_recovers(stack, pg_target, engine):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source = stack.tenant_row(site.slug)["database"]
    target = pg_target() if engine == "postgres" else f"sqlite:///{stack.data_dir}/tenants/{site.slug}-mid.sqlite3"
    with Hammer(stack, site.slug, site.reads(READ_PATHS)) as hammer:
        move = subprocess.Popen([sys.executable, "-m", "tests.move.pausing_move", site.slug, "--to", target, "--yes"],
                                env=stack.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in move.stderr:
            if line.startswith("paused mid-copy"):
                break
        else:
            raise AssertionError(f"move exited before the copy: rc={move.wait()} {move.stdout.read()}")
        step, progress = latest_move(stack, site.slug)
        assert step == "copy" and 0 < progress["tables_copied"] < progress["tables_total"], progress
        move.kill()
        move.wait(30)
    hammer.assert_every_read_matched()  # readers never noticed the copy or the kill

    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "while stuck").status_code == 503
    result = stack.manage("move_tenant", "--recover", site.slug)
    assert "recovered 1 interrupted move" in result.stdout and "rolled back" in result.stdout
    assert stack.tenant_row(site.slug)["database"] == source
    if engine == "postgres":
        assert not pg_database_exists(target)  # the half-filled target is dropped
    else:
        assert not sqlite_path(target).exists()
    time.sleep(1.0)
    assert site.snapshot() == before
    assert site.post_article(token, "after recovery").status_code == 201


def test_killed_after_the_switch_with_drop_source_stays_on_target_and_keeps_the_source(stack, pg_target):
    """Killed between the switch and the drop: the tenant is on the target, and the source is left whole for the
    operator (a repair never drops a database)."""
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source, target = stack.tenant_row(site.slug)["database"], pg_target()
    with Hammer(stack, site.slug, site.reads(READ_PATHS)) as hammer:
        move = start_move(stack, site.slug, target, "--drop-source", CONDUIT_MOVE_PAUSE_AT="switch")
        wait_for_pause(move, "switch")
        move.kill()
        move.wait(30)
        time.sleep(1.0)  # readers follow the switch
    hammer.assert_every_read_matched()

    assert stack.tenant_row(site.slug)["database"] == target
    result = stack.manage("move_tenant", "--recover", site.slug)
    assert "finished after the switch" in result.stdout
    assert_recovered_on_target(stack, site, before, source, target)
