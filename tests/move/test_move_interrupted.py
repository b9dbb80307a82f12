"""A move killed (SIGKILL) at each step leaves the tenant consistent, and recovery makes it writable again."""
import time

import pytest

from tests.move.conftest import Site, pg_database_exists, tenant_row
from tests.move.test_move_tenant import start_move, wait_for_pause

BEFORE_SWITCH = ["read_only", "provision", "copy", "verify"]


def killed_at(stack, site, target, step):
    move = start_move(stack, site.slug, target, CONDUIT_MOVE_PAUSE_AT=step)
    wait_for_pause(move, step)
    move.kill()
    move.wait(30)


@pytest.mark.parametrize("step", BEFORE_SWITCH)
def test_killed_before_switch_stays_on_source_and_recovers(stack, pg_target, step):
    site = Site(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source = tenant_row(stack, site.slug)["database"]
    target = pg_target()
    killed_at(stack, site, target, step)
    time.sleep(1.0)

    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "while stuck").status_code == 503  # still read-only: nothing half-applied
    assert site.snapshot() == before  # reads keep working from the source

    result = stack.manage("move_tenant", "--recover")
    assert "recovered 1 interrupted move" in result.stdout
    assert tenant_row(stack, site.slug)["database"] == source
    assert not pg_database_exists(target)  # the orphan target is dropped
    time.sleep(1.0)
    assert site.snapshot() == before
    assert site.post_article(token, "after recovery").status_code == 201


def test_killed_after_switch_stays_on_target_and_recovers(stack, pg_target):
    site = Site(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    source = tenant_row(stack, site.slug)["database"]
    target = pg_target()
    killed_at(stack, site, target, "switch")

    assert tenant_row(stack, site.slug)["database"] == target
    stack.manage("move_tenant", "--recover", site.slug)
    time.sleep(1.0)
    assert site.snapshot() == before
    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "after recovery").status_code == 201
    assert pg_database_exists(target)
    assert source.startswith("sqlite:///") and stack.data_dir.joinpath(source[len("sqlite:///"):]).exists()


def test_next_move_recovers_an_interrupted_one_by_itself(stack, pg_target):
    site = Site(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    first, second = pg_target(), pg_target()
    killed_at(stack, site, first, "copy")

    result = stack.manage("move_tenant", site.slug, "--to", second, "--yes")
    assert "rolled back" in result.stdout
    assert tenant_row(stack, site.slug)["database"] == second
    assert not pg_database_exists(first)
    time.sleep(1.0)
    assert site.snapshot() == before


def test_a_second_concurrent_move_is_refused(stack, pg_target):
    site = Site(stack, stack.create_tenant())
    move = start_move(stack, site.slug, pg_target(), CONDUIT_MOVE_PAUSE_AT="provision", CONDUIT_MOVE_PAUSE_SECONDS="3")
    wait_for_pause(move, "provision")
    result = stack.manage("move_tenant", site.slug, "--to", pg_target(), "--yes", check=False)
    assert result.returncode == 1 and "already in progress" in result.stderr
    assert move.wait(120) == 0
