"""move_tenant through a real gunicorn stack: SQLite → PostgreSQL → SQLite while clients keep reading."""
import subprocess
import sys
import time

import pytest

from tests.support.populated import Hammer, PopulatedSite
from tests.support.stack import ROOT, pg_database_exists

pytestmark = pytest.mark.postgres  # every move here has a PostgreSQL source or target

READ_PATHS = ["/api/articles?limit=20", "/api/tags"]


def start_move(stack, slug, target, *extra, **env):
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "move_tenant", slug, "--to", target, "--yes", *extra],
        env={**stack.env, **env}, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_pause(process, step):
    for line in process.stderr:
        if line.strip() == f"paused at {step}":
            return
    raise AssertionError(f"move exited before pausing at {step}: rc={process.wait()} {process.stdout.read()}")


def test_move_sqlite_to_postgres_and_back_keeps_every_response(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant()).populate()
    before = site.snapshot()
    alice = next(t for n, t in site.tokens.items() if n.startswith("alice"))
    target = pg_target()

    with Hammer(stack, site.slug, site.reads(READ_PATHS)) as hammer:
        move = start_move(stack, site.slug, target, CONDUIT_MOVE_PAUSE_AT="copy", CONDUIT_MOVE_PAUSE_SECONDS="2")
        wait_for_pause(move, "copy")
        refused = site.post_article(alice, "written during the move")
        assert move.wait(120) == 0, move.stderr.read()
    output = move.stdout.read()

    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert "read-only" in refused.json()["errors"]["tenant"][0]
    hammer.assert_every_read_matched()
    for step in ("[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]"):
        assert step in output
    assert stack.tenant_row(site.slug)["database"] == target
    time.sleep(1.0)  # every gunicorn worker picks up the switch
    assert site.snapshot() == before
    assert all(a["title"] != "written during the move" for a in site.read("/api/articles?limit=100")["articles"])

    written = site.post_article(alice, "written on postgres")  # writable again; ids continue after the copied ones
    assert written.status_code == 201, written.text
    site.articles.append(written.json()["article"]["slug"])
    assert site.login(next(iter(site.tokens))).status_code == 200
    before = site.snapshot()

    back = str(stack.data_dir / "tenants" / f"{site.slug}-back.sqlite3")
    with Hammer(stack, site.slug, site.reads(READ_PATHS)) as hammer:
        stack.manage("move_tenant", site.slug, "--to", f"sqlite:///{back}", "--yes", "--drop-source")
    hammer.assert_every_read_matched()
    assert stack.tenant_row(site.slug)["database"] == f"sqlite:///{back}"
    assert not pg_database_exists(target)
    time.sleep(1.0)
    assert site.snapshot() == before
    assert site.post_article(alice, "written on sqlite again").status_code == 201


def test_move_refuses_bad_targets_and_leaves_the_tenant_alone(stack, pg_target):
    slug = stack.create_tenant()
    other = stack.create_tenant()
    source = stack.tenant_row(slug)["database"]
    cases = {
        "mysql://x@localhost/db": "unsupported tenant database URL",
        source: "already lives in",
        stack.tenant_row(other)["database"]: "database of another tenant",
        "postgres://postgres@127.0.0.1:1/nowhere": "cannot reach database server",
    }
    for url, message in cases.items():
        result = stack.manage("move_tenant", slug, "--to", url, "--yes", check=False)
        assert result.returncode == 1
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    result = stack.manage("move_tenant", "nosuchtenant", "--to", pg_target(), "--yes", check=False)
    assert "unknown tenant" in result.stderr
    assert stack.tenant_row(slug)["database"] == source
    assert PopulatedSite(stack, slug).register("stillwritable")


def test_move_refuses_a_target_that_exists(stack, pg_target):
    slug = stack.create_tenant()
    target = pg_target()
    first = stack.create_tenant(None, "--database-url", target)
    result = stack.manage("move_tenant", slug, "--to", target, "--yes", check=False)
    assert result.returncode == 1 and "another tenant" in result.stderr
    assert stack.tenant_row(first)["database"] == target and pg_database_exists(target)


def test_writes_during_move_are_refused_not_lost(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant())
    token = site.register("writer")["token"]
    move = start_move(stack, site.slug, pg_target(), CONDUIT_MOVE_PAUSE_AT="read_only", CONDUIT_MOVE_PAUSE_SECONDS="1")
    wait_for_pause(move, "read_only")
    statuses = [site.post_article(token, f"during {i}").status_code for i in range(5)]
    assert move.wait(120) == 0
    assert statuses == [503] * 5
    time.sleep(1.0)
    kept = site.post_article(token, "after")
    assert kept.status_code == 201
    titles = [a["title"] for a in site.read("/api/articles?limit=100")["articles"]]
    assert titles == ["after"]



def search_slugs(site, query):
    response = site.call("GET", f"/api/search?q={query}&mode=text&limit=50")
    assert response.status_code == 200, response.text
    return sorted(a["slug"] for a in response.json()["articles"])


def test_search_and_the_event_pipeline_keep_working_after_a_move(stack, pg_target):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=3)
    stack.manage("run_worker", "--once")
    indexed = search_slugs(site, "Article")
    assert indexed == sorted(site.articles)
    token = next(iter(site.tokens.values()))
    pending = site.post_article(token, "Zeppelin before the move").json()["article"]["slug"]  # not indexed yet

    target = pg_target()
    stack.manage("move_tenant", site.slug, "--to", target, "--yes")
    time.sleep(1.0)
    assert search_slugs(site, "Article") == indexed  # the index is the tenant's, wherever its database lives

    created = site.post_article(token, "Zeppelin after the move")
    assert created.status_code == 201
    stack.manage("run_worker", "--once")  # events from before and after the move read the new database
    assert search_slugs(site, "Zeppelin") == sorted([pending, created.json()["article"]["slug"]])


def test_postgres_to_another_postgres_database_with_a_postgres_control_plane(pg_stack, pg_target):
    site = PopulatedSite(pg_stack, pg_stack.create_tenant()).populate(articles=3)
    before = site.snapshot()
    source, target = pg_stack.tenant_row(site.slug)["database"], pg_target()
    with Hammer(pg_stack, site.slug, site.reads(READ_PATHS)) as hammer:
        pg_stack.manage("move_tenant", site.slug, "--to", target, "--yes", "--drop-source")
    hammer.assert_every_read_matched()
    assert pg_stack.tenant_row(site.slug)["database"] == target
    assert not pg_database_exists(source) and pg_database_exists(target)
    time.sleep(1.0)
    assert site.snapshot() == before
    assert site.post_article(next(iter(site.tokens.values())), "on the new database").status_code == 201
