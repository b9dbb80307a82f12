"""HTTP caching (issue 15): anonymous reads with a warm cache and the 304 path, side by side with the ceiling of
this server model, and the staleness of a read on another process after a write's 2xx.

    .venv/bin/python bench/cache.py [--seconds 5] [--rounds 3] [--connections 16] [--writes 200]

In one run, each served by gunicorn with 2 sync workers (deploy/gunicorn.conf.py), driven in turn by wrk:
- ceiling: a trivial WSGI app answering constant JSON (no Django);
- cached: Conduit, one tenant of 200 articles, anonymous GETs answered from the warm shared cache;
- uncached: the same data with CONDUIT_HTTP_CACHE=false (every answer computed, as before issue 15);
- 304: the cached server asked with If-None-Match (the version check only).
The table shows the median requests/s over interleaved rounds and the share of the ceiling. Then staleness: a writer
server and a reader server (two gunicorns on one data dir); each write's 2xx is followed by anonymous reads on the
reader until the new article shows; the time from the 2xx to the first fresh answer, and how often the first read
was already fresh, over --writes writes.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, free_port, seed_script  # noqa: E402

SITE = "cachebench"
HOST = f"{SITE}.localhost"
PATHS = ["/api/articles?limit=20", "/api/articles/article-25", "/api/tags"]
CEILING_APP = '''
BODY = b'{"tags":["tag0","tag1","tag2","tag3","tag4","tag5","tag6","tag7","tag8","tag9","tag10","tag11"]}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
'''
SEED = seed_script(200)


class Server:
    """gunicorn with 2 workers on deploy/gunicorn.conf.py: Conduit on a data dir, or the ceiling app."""

    def __init__(self, data_dir, app="conduit.wsgi:application", **env):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.app = app
        self.env = {**os.environ, "CONDUIT_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "conduit.settings",
                    "LOG_LEVEL": "WARNING", "PYTHONPATH": f"{ROOT}:{self.data_dir}", "HF_HUB_OFFLINE": "1",
                    **{k: str(v) for k, v in env.items()}}
        self.process = None

    def manage(self, *args):
        result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, probe="/api/tags", host=HOST):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", self.app, "-c", str(ROOT / "deploy/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--no-control-socket"],
            env=self.env, cwd=ROOT, stdout=open(self.data_dir / "gunicorn.log", "a"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url(probe), headers={"Host": host}, timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start: {(self.data_dir / 'gunicorn.log').read_text()[-2000:]}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(20)


def wrk(server, path, seconds, connections, *headers):
    """Requests/s of one wrk run; refuses a run with socket errors or 4xx/5xx answers."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Host: {HOST}"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, server.url(path)], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def staleness(writer, reader, writes):
    """Seconds from each write's 2xx (writer) to the first fresh anonymous answer (reader), and first-read hits."""
    session = requests.Session()
    user = {"user": {"username": "stalewriter", "email": "stale@bench.io", "password": "bench-password-1"}}
    token = session.post(writer.url("/api/users"), json=user, headers={"Host": HOST}, timeout=10).json()["user"]["token"]
    delays, first_fresh = [], 0
    for i in range(writes):
        session.get(reader.url("/api/articles?limit=1"), headers={"Host": HOST}, timeout=10)  # warm the old answer
        body = {"article": {"title": f"Staleness probe {i}", "description": "d", "body": "b"}}
        created = session.post(writer.url("/api/articles"), json=body, timeout=10,
                               headers={"Host": HOST, "Authorization": f"Token {token}"})
        done = time.perf_counter()
        assert created.status_code == 201, created.text
        slug = created.json()["article"]["slug"]
        for attempt in range(10_000):
            answer = session.get(reader.url("/api/articles?limit=1"), headers={"Host": HOST}, timeout=10).json()
            if answer["articles"][0]["slug"] == slug:
                delays.append(time.perf_counter() - done)
                first_fresh += attempt == 0
                break
        else:
            raise SystemExit(f"write {i} never became visible on the reader")
    return delays, first_fresh


def _shape(data):
    """An answer without its timestamps (the two data dirs were seeded seconds apart)."""
    if isinstance(data, dict):
        return {k: _shape(v) for k, v in data.items() if k not in ("createdAt", "updatedAt")}
    if isinstance(data, list):
        return [_shape(v) for v in data]
    return data


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    base = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    (base / "ceiling").mkdir()
    (base / "ceiling" / "ceiling_app.py").write_text(CEILING_APP)
    ceiling = Server(base / "ceiling", app="ceiling_app:application")
    cached = Server(base / "cached")
    uncached = Server(base / "uncached", CONDUIT_HTTP_CACHE="false")
    reader = Server(base / "cached")  # a second server on the cached one's data dir: the staleness reader
    servers = []
    try:
        for server in (cached, uncached):
            server.manage("migrate", "--noinput", "-v0")
            server.manage("create_tenant", SITE)
            server.manage("tenant_command", SITE, "shell", "-c", SEED)
        servers = [ceiling.start(probe="/"), cached.start(), uncached.start()]
        for path in PATHS:  # same answers from both, and the cache warm
            a, b = (requests.get(s.url(path), headers={"Host": HOST}, timeout=10) for s in (cached, uncached))
            assert a.status_code == b.status_code == 200 and _shape(a.json()) == _shape(b.json()), path
            assert requests.get(cached.url(path), headers={"Host": HOST}).headers["X-Conduit-Cache"] == "hit"
        etags = {path: requests.get(cached.url(path), headers={"Host": HOST}).headers["ETag"] for path in PATHS}
        targets = [("ceiling: constant JSON", ceiling, "/", ())]
        for path in PATHS:
            targets += [(f"cached    {path}", cached, path, ()), (f"uncached  {path}", uncached, path, ())]
        targets += [(f"304       {PATHS[0]}", cached, PATHS[0], (f"If-None-Match: {etags[PATHS[0]]}",))]
        for _, server, path, headers in targets:
            wrk(server, path, 1, args.connections, *headers)  # warm-up
        results = {name: [] for name, *_ in targets}
        for round_ in range(args.rounds):
            for name, server, path, headers in (targets if round_ % 2 == 0 else list(reversed(targets))):
                results[name].append(wrk(server, path, args.seconds, args.connections, *headers))
        ceiling_rate = statistics.median(results[targets[0][0]])
        print(f"\ngunicorn, 2 sync workers each; wrk -t2 -c{args.connections} -d{args.seconds}s; median of "
              f"{args.rounds} interleaved rounds; {os.cpu_count()} CPUs; one tenant, 200 articles")
        print(f"{'target':<44}{'req/s':>9}{'of ceiling':>12}")
        for name, *_ in targets:
            rate = statistics.median(results[name])
            print(f"{name:<44}{rate:>9.0f}{rate / ceiling_rate:>11.0%}")
        for path in PATHS:
            c, u = (statistics.median(results[f"{kind:<9} {path}"]) for kind in ("cached", "uncached"))
            print(f"cached / uncached {path:<26}{c / u:>6.1f}x")

        uncached.stop()
        ceiling.stop()
        servers = [cached, reader.start()]
        delays, first_fresh = staleness(cached, reader, args.writes)
        print(f"\nstaleness, write 2xx on one server -> first fresh anonymous read on another ({args.writes} writes): "
              f"p50 {percentile(delays, 50) * 1000:.1f} ms, p99 {percentile(delays, 99) * 1000:.1f} ms, "
              f"max {max(delays) * 1000:.1f} ms; first read already fresh: {first_fresh}/{args.writes}")
    finally:
        for server in (ceiling, cached, uncached, reader):
            server.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
