"""Tenancy benchmarks, side by side in one run (issue: tenancy core).

    .venv/bin/python bench/tenants.py [--tenants 1000] [--registry 10000] [--touch 2000] [--pg URL] [--mongo URL]

1. provisioning one tenant: template clone vs migrations from scratch (SQLite, PostgreSQL, and MongoDB: `--mongo
   secantus` starts a SecantusDB server, an emulator, so compare its numbers only with each other)
2. provisioning N tenants through the real service (registry row, domain, audit, clone)
3. `manage.py migrate_tenants` with nothing pending over those N tenants (a real process, wall clock)
4. latency of a tenant-routed endpoint through gunicorn with 10 vs R registered tenants (two servers, interleaved)
5. open file descriptors of a gunicorn worker after touching T tenants (bounded by the connection cap)
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import secantus_server, setup_django  # noqa: E402
from tests.support.stack import Stack  # noqa: E402


def stack(data_dir, **env):
    """The tests' Stack (manage.py, gunicorn) on `data_dir`, logging as a production server would."""
    return Stack(data_dir, AUTH_LOG_LEVEL="WARNING", **env)


def bench_clone_vs_scratch(runs=5):
    from tenants import provisioning
    from tenants.context import TenantInfo

    tmp = Path(tempfile.mkdtemp(prefix="bench-prov-"))
    provisioning.database_create(f"sqlite:///{tmp}/warm.sqlite3")  # builds the template once
    clone, scratch = [], []
    for i in range(runs):
        started = time.perf_counter()
        provisioning.database_create(f"sqlite:///{tmp}/clone{i}.sqlite3")
        clone.append(time.perf_counter() - started)
        info = TenantInfo(id=0, slug=f"scratch{i}", name="", status="active",
                          database_url=f"sqlite:///{tmp}/scratch{i}.sqlite3")
        started = time.perf_counter()
        provisioning.database_migrate(info)
        scratch.append(time.perf_counter() - started)
    shutil.rmtree(tmp, ignore_errors=True)
    return statistics.median(clone), statistics.median(scratch)


def bench_pg_clone_vs_scratch(server, runs=3):
    """PostgreSQL: CREATE DATABASE ... TEMPLATE vs an empty database migrated from scratch."""
    import psycopg

    from tenants import provisioning
    from tenants.context import TenantInfo

    prefix = f"bench_{os.getpid()}"
    provisioning.database_create(f"{server}/{prefix}_warm")
    clone, scratch = [], []
    try:
        for i in range(runs):
            started = time.perf_counter()
            provisioning.database_create(f"{server}/{prefix}_clone{i}")
            clone.append(time.perf_counter() - started)
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                started = time.perf_counter()
                conn.execute(f'CREATE DATABASE "{prefix}_scratch{i}"')
            provisioning.database_migrate(TenantInfo(id=0, slug=f"scratch{i}", name="", status="active",
                                                     database_url=f"{server}/{prefix}_scratch{i}"))
            scratch.append(time.perf_counter() - started)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]).fetchall():
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    return statistics.median(clone), statistics.median(scratch)


def bench_mongo_clone_vs_scratch(server, runs=3):
    """MongoDB: the template's collections and indexes recreated (tenants/provisioning.py) vs migrate from scratch."""
    from tenants import provisioning
    from tenants.context import TenantInfo
    from tenants.engines.mongodb.base import client_for

    prefix, query = f"bench_{os.getpid()}", "?directConnection=true"
    provisioning.database_create(f"{server}/{prefix}_warm{query}")  # builds and registers the template once
    clone, scratch = [], []
    try:
        for i in range(runs):
            started = time.perf_counter()
            provisioning.database_create(f"{server}/{prefix}_clone{i}{query}")
            clone.append(time.perf_counter() - started)
            started = time.perf_counter()
            provisioning.database_migrate(TenantInfo(id=0, slug=f"scratch{i}", name="", status="active",
                                                     database_url=f"{server}/{prefix}_scratch{i}{query}"))
            scratch.append(time.perf_counter() - started)
    finally:
        client = client_for(f"{server}/x{query}")
        for name in client.list_database_names():
            if name.startswith(prefix):
                client.drop_database(name)
    return statistics.median(clone), statistics.median(scratch)


def bench_provision_many(count):
    from tenants.services import Actor, tenant_create

    actor = Actor(name="bench")
    started = time.perf_counter()
    for i in range(count):
        tenant_create(slug=f"b{i:05d}", actor=actor)
        if (i + 1) % 250 == 0:
            print(f"  provisioned {i + 1}/{count}", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def bench_noop_migrate(data_dir):
    started = time.perf_counter()
    result = stack(data_dir).manage("migrate_tenants", timeout=None)
    elapsed = time.perf_counter() - started
    assert "0 to migrate" in result.stderr, result.stderr
    return elapsed


def served(data_dir, **env):
    """gunicorn with one worker on `data_dir`."""
    return stack(data_dir, **env).start(workers=1)


def worker_pid(server):
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return int(children[0])


def registry_with(data_dir, registered):
    """A data dir whose registry holds `registered` tenants; one of them (`probe`) has a real database."""
    manager = stack(data_dir)
    manager.manage("migrate", "--noinput", "-v0")
    manager.manage("create_tenant", "probe")
    if registered > 1:
        code = (
            "from tenants.models import Tenant;"
            f"Tenant.objects.bulk_create([Tenant(slug=f'r{{i:05d}}', database_url=f'sqlite:////nonexistent/r{{i}}.sqlite3')"
            f" for i in range({registered - 1})], batch_size=2000)"
        )
        manager.manage("shell", "-c", code, timeout=None)


def bench_registry_size(small, large, rounds=8, per_round=250):
    base = Path(tempfile.mkdtemp(prefix="bench-reg-"))
    dirs = {small: base / "small", large: base / "large"}
    for size, d in dirs.items():
        d.mkdir()
        registry_with(d, size)
    servers = {}
    latencies = {small: [], large: []}
    try:
        servers = {size: served(d) for size, d in dirs.items()}
        path = "/api/tags"
        if servers[small].request("GET", path, host="probe.localhost").status_code == 404:
            path = "/api/health"
        for server in servers.values():
            for _ in range(50):  # warm up
                server.request("GET", path, host="probe.localhost")
        for _ in range(rounds):
            for size, server in servers.items():
                for _ in range(per_round):
                    started = time.perf_counter()
                    response = server.request("GET", path, host="probe.localhost")
                    latencies[size].append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
    return path, {size: statistics.median(v) for size, v in latencies.items()}


def bench_open_files(data_dir, touch, cap):
    server = stack(data_dir, CONDUIT_MAX_TENANT_CONNECTIONS=cap)
    try:
        pid = worker_pid(server.start(workers=1))
        before = len(os.listdir(f"/proc/{pid}/fd"))
        for i in range(touch):
            response = server.request("GET", "/api/health", host=f"b{i:05d}.localhost")
            assert response.status_code == 200, response.text
        after = len(os.listdir(f"/proc/{pid}/fd"))
    finally:
        server.stop()
    return before, after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--registry", type=int, default=10000)
    parser.add_argument("--touch", type=int, default=2000)
    parser.add_argument("--cap", type=int, default=64)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server ('' to skip)")
    parser.add_argument("--mongo", default="", help="MongoDB server URL without a database, or 'secantus' to start "
                                                    "a SecantusDB process ('' to skip)")
    parser.add_argument("--provisioning-only", action="store_true", help="only part 1 (one tenant per engine)")
    args = parser.parse_args()
    mongo_process = None
    if args.mongo == "secantus":
        args.mongo, mongo_process = secantus_server()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-tenants-"))
    try:
        setup_django(data_dir)
        rows = []
        clone, scratch = bench_clone_vs_scratch()
        rows += [("provision one SQLite tenant: template clone", f"{clone * 1000:.1f} ms"),
                 ("provision one SQLite tenant: migrate from scratch", f"{scratch * 1000:.1f} ms"),
                 ("  clone speed-up", f"{scratch / clone:.0f}x")]
        if args.pg:
            pg_clone, pg_scratch = bench_pg_clone_vs_scratch(args.pg)
            rows += [("provision one PostgreSQL tenant: CREATE DATABASE … TEMPLATE", f"{pg_clone * 1000:.1f} ms"),
                     ("provision one PostgreSQL tenant: migrate from scratch", f"{pg_scratch * 1000:.1f} ms"),
                     ("  clone speed-up", f"{pg_scratch / pg_clone:.1f}x")]
        if args.mongo:
            mongo_clone, mongo_scratch = bench_mongo_clone_vs_scratch(args.mongo)
            rows += [("provision one MongoDB tenant: template collections + indexes", f"{mongo_clone * 1000:.1f} ms"),
                     ("provision one MongoDB tenant: migrate from scratch", f"{mongo_scratch * 1000:.1f} ms"),
                     ("  clone speed-up", f"{mongo_scratch / mongo_clone:.1f}x")]
        if args.provisioning_only:
            _print(rows)
            return
        total = max(args.tenants, args.touch)
        elapsed = bench_provision_many(total)
        rows += [(f"provision {total} tenants (service: registry + clone + audit)",
                  f"{elapsed:.1f} s ({elapsed / total * 1000:.1f} ms each)")]
        rows += [(f"migrate_tenants, nothing pending, {total} tenants (process wall clock)",
                  f"{bench_noop_migrate(data_dir):.2f} s")]
        before, after = bench_open_files(data_dir, args.touch, args.cap)
        rows += [(f"open fds of a gunicorn worker after touching {args.touch} tenants (cap {args.cap})",
                  f"{before} before -> {after} after")]
        path, medians = bench_registry_size(10, args.registry)
        small, large = medians[10], medians[args.registry]
        rows += [(f"GET {path} median latency, 10 registered tenants", f"{small * 1000:.2f} ms"),
                 (f"GET {path} median latency, {args.registry} registered tenants", f"{large * 1000:.2f} ms"),
                 ("  ratio", f"{large / small:.3f}")]
        _print(rows)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if mongo_process is not None:
            mongo_process.terminate()


def _print(rows):
    width = max(len(r[0]) for r in rows)
    print()
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
