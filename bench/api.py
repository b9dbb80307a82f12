"""RealWorld API throughput: a tenant among N registered tenants vs the same site from one database.

    .venv/bin/python bench/api.py [--tenants 1000] [--seconds 8] [--rounds 3] [--connections 8]

Both servers run side by side in one run (gunicorn, 2 sync workers each, same code, same data: 50 articles by
10 authors with tags, favourites and follows); `wrk` (apt-get install wrk) drives them in turn, anonymous GETs.
- multi-tenant: routing on, the site is tenant `b00005` of N, served from its own SQLite file;
- single database: CONDUIT_ROUTING_ENABLED=false, the same data in the control database.
The table shows the median requests/s of the rounds and the multi/single ratio (target ≥ 0.97), and requests per
CPU-second of the serving workers: on a machine shared with other work the wall-clock rate swings with the
neighbours, the CPU cost per request does not.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402,F401 (the project on sys.path)
from tests.support.stack import Stack  # noqa: E402

SITE = "b00005"

SEED = _common.seed_script(50)

PROVISION = r"""
import sys
from tenants.services import Actor, tenant_create
actor = Actor(name="bench")
for i in range({count}):
    tenant_create(slug=f"b{{i:05d}}", actor=actor)
    if (i + 1) % 250 == 0:
        print(f"  provisioned {{i + 1}}/{count}", file=sys.stderr, flush=True)
"""


def cpu_seconds(stack):
    """User + system CPU time used so far by the stack's gunicorn workers (children of the master)."""
    pid = stack.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def bench_stack(data_dir, **env):
    """The tests' Stack (manage.py, gunicorn) on `data_dir`, logging as a production server would."""
    return Stack(data_dir, AUTH_LOG_LEVEL="WARNING", **env)


def wrk(port, host, path, seconds, connections):
    """(requests/s, requests) of one wrk run; refuses to count a run with errors or non-2xx answers."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Host: {host}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {host}{path}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, int(re.search(r"(\d+) requests in", out).group(1))


def measure(server, host, path, seconds, connections):
    """Requests/s, and requests per CPU-second of the server's workers (steady even when other load shares the CPUs)."""
    before = cpu_seconds(server)
    rate, count = wrk(server.port, host, path, seconds, connections)
    return rate, count / max(cpu_seconds(server) - before, 1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    base = Path(tempfile.mkdtemp(prefix="bench-api-"))
    (base / "multi").mkdir()
    (base / "single").mkdir()
    multi = bench_stack(base / "multi")
    single = bench_stack(base / "single", CONDUIT_ROUTING_ENABLED="false")
    try:
        print(f"provisioning {args.tenants} tenants ...", file=sys.stderr, flush=True)
        multi.manage("migrate", "--noinput", "-v0")
        multi.manage("shell", "-c", PROVISION.format(count=args.tenants), timeout=None)
        multi.manage("tenant_command", SITE, "shell", "-c", SEED)
        single.manage("migrate", "--noinput", "-v0")
        single.manage("shell", "-c", SEED)
        multi.start()
        single.start()
        targets = {"multi": (multi, f"{SITE}.localhost"), "single": (single, "localhost")}
        paths = ["/api/articles?limit=20", "/api/articles/article-25", "/api/tags"]
        for name, (server, host) in targets.items():  # same answers from both, and warm both
            for path in paths:
                response = server.request("GET", path, host=host)
                assert response.status_code == 200, (name, path, response.text)
            wrk(server.port, host, paths[0], 2, args.connections)
        results = {(path, name): [] for path in paths for name in targets}
        for round_ in range(args.rounds):
            for path in paths:
                for name, (server, host) in (targets.items() if round_ % 2 == 0 else reversed(targets.items())):
                    results[path, name].append(measure(server, host, path, args.seconds, args.connections))
        print(f"\nGET through gunicorn (2 workers), wrk -t2 -c{args.connections} -d{args.seconds}s, "
              f"median of {args.rounds} interleaved rounds; {args.tenants} tenants registered, {os.cpu_count()} CPUs")
        print(f"{'endpoint':<26}{'multi req/s':>12}{'single req/s':>13}{'ratio':>7}"
              f"{'multi req/cpu-s':>17}{'single req/cpu-s':>18}{'ratio':>7}")
        for path in paths:
            m, s = (statistics.median(r[0] for r in results[path, n]) for n in ("multi", "single"))
            me, se = (statistics.median(r[1] for r in results[path, n]) for n in ("multi", "single"))
            print(f"{path:<26}{m:>12.0f}{s:>13.0f}{m / s:>7.2f}{me:>17.0f}{se:>18.0f}{me / se:>7.2f}")
    finally:
        for server in (multi, single):
            server.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
