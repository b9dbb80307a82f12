"""Tenant move and backup benchmark (issue #6).

    .venv/bin/python bench/move.py [--articles 10000] [--comments 50000] [--pg postgres://postgres@127.0.0.1:5432]
                                   [--mongo mongodb://127.0.0.1:27017 | --mongo secantus]

Fills one SQLite tenant with users, articles (2 tags each), comments, favourites and follows, then times
move_tenant SQLite → PostgreSQL → SQLite (in-process, the same services the command runs), and export/import.
With --mongo: SQLite → MongoDB → PostgreSQL → SQLite (`secantus` starts a SecantusDB process on a free port: a
Python emulator, so its numbers only compare with each other; performance decisions need a real mongod).
Reports per move: total wall time, the read-only window (writes refused), copy and verify time, rows.
"""
import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, setup_django  # noqa: E402,F401


def populate(slug, articles, comments):
    """The tests' seed (tests/support/seed.py) with longer bodies, half the articles a month old."""
    from django.utils import timezone

    from content.models import Article
    from tenants.context import tenant_context
    from tests.support.seed import seed

    seed(slug, articles, comments, body_words=150, comment_words=10, spread_microseconds=False)
    with tenant_context(slug):
        Article.objects.filter(pk__lte=articles // 2).update(created_at=timezone.now() - timedelta(days=30))


def timed_move(slug, target):
    from tenants.services import Actor
    from tenants.transfer.moving import move_prepare, move_run

    started = time.perf_counter()
    move = move_prepare(slug=slug, target_url=target, actor=Actor("bench"), drop_source=True, runner_pid=os.getpid())
    move = move_run(move_id=move.pk)
    move.refresh_from_db()
    progress = move.progress
    return {"total": time.perf_counter() - started, "read_only": progress["read_only_seconds"],
            "copy": progress["copy_seconds"], "rows": progress["rows_copied"]}


def timed_archive(slug, directory):
    from tenants.services import Actor
    from tenants.transfer.archive import tenant_export, tenant_import

    path = Path(directory) / f"{slug}.tar.gz"
    started = time.perf_counter()
    manifest = tenant_export(slug=slug, path=path, actor=Actor("bench"))
    exported = time.perf_counter() - started
    started = time.perf_counter()
    tenant_import(path=path, actor=Actor("bench"), slug=f"{slug}-copy")
    imported = time.perf_counter() - started
    rows = sum(t["rows"] for t in manifest["tables"].values())
    return exported, imported, rows, path.stat().st_size


def start_secantus():
    import socket
    import subprocess

    import pymongo

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                                "--storage-path", ":memory:"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true",
                                serverSelectionTimeoutMS=500).admin.command("ping")
            return process, f"mongodb://127.0.0.1:{port}"
        except Exception:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("SecantusDB did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--pg", default=os.environ.get("CONDUIT_TEST_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--mongo", help="a MongoDB server URL (no database), or 'secantus' to start one")
    args = parser.parse_args()
    secantus = None
    if args.mongo == "secantus":
        secantus, args.mongo = start_secantus()

    with tempfile.TemporaryDirectory(prefix="conduit-bench-move-") as data_dir:
        setup_django(data_dir)
        from tenants import provisioning
        from tenants.services import Actor, tenant_create

        slug = f"bench{uuid.uuid4().hex[:6]}"
        tenant_create(slug=slug, actor=Actor("bench"))
        t0 = time.perf_counter()
        populate(slug, args.articles, args.comments)
        print(f"populated {slug}: {args.articles} articles, {args.comments} comments in "
              f"{time.perf_counter() - t0:.1f}s", flush=True)
        pg_url = f"{args.pg}/bench_move_{uuid.uuid4().hex[:8]}"
        sqlite_url = f"sqlite:///{data_dir}/tenants/{slug}-back.sqlite3"
        mongo_url = args.mongo and f"{args.mongo.rstrip('/')}/bench_move_{uuid.uuid4().hex[:8]}?directConnection=true"
        results = []
        try:
            if mongo_url:
                results.append(("SQLite → MongoDB", timed_move(slug, mongo_url)))
                results.append(("MongoDB → PostgreSQL", timed_move(slug, pg_url)))
            else:
                results.append(("SQLite → PostgreSQL", timed_move(slug, pg_url)))
            results.append(("PostgreSQL → SQLite", timed_move(slug, sqlite_url)))
            exported, imported, rows, size = timed_archive(slug, data_dir)
        finally:
            for url in filter(None, (pg_url, mongo_url)):
                if provisioning.database_exists(url):
                    provisioning.database_drop(url)
            if secantus:
                secantus.terminate()

    print(f"\n{'move':<24}{'rows':>9}{'total s':>10}{'read-only s':>13}{'copy s':>9}{'rows/s (copy)':>15}")
    for label, r in results:
        print(f"{label:<24}{r['rows']:>9}{r['total']:>10.2f}{r['read_only']:>13.2f}{r['copy']:>9.2f}"
              f"{r['rows'] / r['copy']:>15.0f}")
    print(f"\nexport {rows} rows ({size / 1e6:.1f} MB .tar.gz) {exported:.2f}s; "
          f"import (SQLite, verified) {imported:.2f}s")
    print("read-only includes the fixed registry propagation + in-flight grace wait "
          "(CONDUIT_REGISTRY_REFRESH_SECONDS + CONDUIT_MOVE_GRACE_SECONDS).")


if __name__ == "__main__":
    main()
