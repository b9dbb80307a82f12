"""The lifecycle commands as an operator runs them: real manage.py processes, exit codes, one-line errors."""
import json
import sqlite3

import pytest

from tests.support.stack import Stack


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("cli"))
    stack.manage("migrate", "--noinput", "-v0")
    return stack


def test_create_list_and_errors(cli):
    cli.manage("create_tenant", "alpha", "--name", "Alpha", "--domain", "alpha.example.com")
    rows = json.loads(cli.manage("list_tenants", "--format", "json").stdout)
    alpha = next(r for r in rows if r["slug"] == "alpha")
    assert alpha["domains"] == ["alpha.example.com"] and alpha["migrations"] == "current"
    assert "alpha" in cli.manage("list_tenants").stdout

    for args, message in [
        (("create_tenant", "alpha"), "a tenant with slug 'alpha' already exists"),
        (("create_tenant", "www"), "slug 'www' is reserved"),
        (("create_tenant", "Not_Valid"), "invalid slug"),
        (("create_tenant", "beta", "--domain", "alpha.example.com"), "already registered"),
        (("create_tenant", "gamma", "--database-url", "postgres://postgres@127.0.0.1:1/x_{slug}"),
         "cannot reach database server"),
        (("suspend_tenant", "ghost"), "unknown tenant 'ghost'"),
        (("delete_tenant", "ghost"), "unknown tenant 'ghost'"),
        (("migrate_tenants", "ghost"), "unknown tenant 'ghost'"),
    ]:
        result = cli.manage(*args, check=False)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    names = [r["slug"] for r in json.loads(cli.manage("list_tenants", "--format", "json").stdout)]
    assert "beta" not in names and "gamma" not in names


def test_purge_asks_for_confirmation(cli):
    cli.manage("create_tenant", "purgeme")
    result = cli.manage("delete_tenant", "purgeme", "--purge", check=False)
    assert result.returncode != 0 and "--yes" in result.stderr
    assert (cli.data_dir / "tenants" / "purgeme.sqlite3").exists()
    cli.manage("delete_tenant", "purgeme", "--purge", "--yes")
    assert not (cli.data_dir / "tenants" / "purgeme.sqlite3").exists()


def test_tenant_command_runs_inside_the_tenant(cli):
    cli.manage("create_tenant", "cmd1")
    cli.manage("tenant_command", "cmd1", "createsuperuser", "--noinput", "--username", "boss", "--email", "b@x.io")
    with sqlite3.connect(cli.data_dir / "tenants" / "cmd1.sqlite3") as db:
        assert db.execute("SELECT username FROM accounts_user").fetchall() == [("boss",)]
    with sqlite3.connect(cli.data_dir / "control.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM accounts_user WHERE username='boss'").fetchone() == (0,)
    result = cli.manage("tenant_command", "cmd1", "no_such_command", check=False)
    assert result.returncode != 0 and "unknown command 'no_such_command'" in result.stderr


def test_all_tenants_command_reports_progress(cli):
    cli.manage("create_tenant", "each1")
    result = cli.manage("all_tenants_command", "showmigrations", "content")
    assert "each1 ok" in result.stderr
    assert "[X] 0001_initial" in result.stdout


def test_migrate_tenants_skips_current_and_resumes_after_failure(cli):
    for slug in ("mig1", "mig2", "mig3"):
        cli.manage("create_tenant", slug)
    result = cli.manage("migrate_tenants")
    assert "to migrate" in result.stderr and "0 to migrate" in result.stderr

    with sqlite3.connect(cli.data_dir / "control.sqlite3") as db:  # pretend a new migration arrived
        db.execute("UPDATE tenants_tenant SET schema_version = 'old' WHERE slug IN ('mig1', 'mig2', 'mig3')")
    mig2 = cli.data_dir / "tenants" / "mig2.sqlite3"
    good = mig2.read_bytes()
    mig2.write_bytes(b"this is not a database")  # mig2 will fail
    result = cli.manage("migrate_tenants", "--parallel", "2", check=False)
    assert result.returncode != 0
    assert "migration failed for 1 tenant(s): mig2" in result.stderr
    assert "mig1 ok" in result.stderr and "mig3 ok" in result.stderr and "mig2 FAILED" in result.stderr

    mig2.write_bytes(good)  # the operator repairs it
    result = cli.manage("migrate_tenants")  # resumes: only what is still pending
    assert "1 to migrate" in result.stderr and "mig2 ok" in result.stderr, result.stderr
    assert "0 to migrate" in cli.manage("migrate_tenants").stderr
