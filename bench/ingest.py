"""Save-to-searchable latency: an article written through the API → searchable, through real processes.

    .venv/bin/python bench/ingest.py [--buses db,kafka] [--duration 20] [--tenants 20] [--observe hook,api]
                                     [--text-rate 20] [--semantic-rate 10] [--gunicorn-workers 2]

For each bus (the embedded `db` log, and Kafka through a nafka broker on 127.0.0.1) it starts gunicorn and one
`manage.py run_worker`, creates the tenants, then writes articles through POST /api/articles at a sustained rate,
spread round-robin over the tenants:
  text:     a unique word in the body, mode=text       (target p50 <= 100 ms, p99 <= 250 ms at 20 writes/s)
  semantic: the article's own sentence, mode=semantic  (target p99 <= 1 s at 10 writes/s)
Each phase is observed two ways:
  api:  from the POST response (the write is committed) to the first GET /api/search that lists the article;
        the polling itself loads the same two CPUs as the pipeline, so it is also measured apart:
  hook: from the event's occurred_at (inside the write transaction) to the worker's on_searchable callback
        (text: index committed; semantic: vector stored), with no polling load.
Every loop is bounded by --duration and a 15 s per-article timeout; all processes are stopped at the end.
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.events.nafka import Nafka  # noqa: E402
from tests.support.stack import Stack  # noqa: E402

VISIBLE_TIMEOUT = 15.0
POLL = {"text": 0.05, "semantic": 0.1}  # polls load the same 2 CPUs as the pipeline: no faster
SUBJECTS = ["a lighthouse keeper", "the night baker", "a retired astronaut", "two beekeepers", "the chess club",
            "a glacier guide", "the harbour pilot", "an orchard farmer", "a violin maker", "the subway driver"]
ACTIONS = ["restores", "paints", "maps", "repairs", "photographs", "catalogues", "rebuilds", "teaches", "sails",
           "measures"]
OBJECTS = ["old tide clocks", "mountain huts", "copper kettles", "migrating cranes", "forgotten railways",
           "desert observatories", "paper lanterns", "coral gardens", "wooden kayaks", "volcanic springs"]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Profile:
    """gunicorn + run_worker (+ nafka) on a fresh data dir for one bus."""

    def __init__(self, bus, data_dir, gunicorn_workers):
        self.bus, self.data_dir, self.gunicorn_workers = bus, data_dir, gunicorn_workers
        self.nafka = Nafka(data_dir) if bus == "kafka" else None
        self.worker = None

    def __enter__(self):
        env = {"CONDUIT_REGISTRY_REFRESH_SECONDS": "0.5",
               **({"LOG_LEVEL": "DEBUG"} if os.environ.get("BENCH_DEBUG") else {})}
        if self.nafka:
            self.nafka.start()
            env["CONDUIT_EVENT_BUS"] = self.nafka.url
        self.stack = Stack(self.data_dir, **env)
        self.stack.start(workers=self.gunicorn_workers)
        self.worker_log = open(self.data_dir / "worker.log", "w")
        self.worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=self.stack.env,
                                       cwd=ROOT, stdout=self.worker_log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc):
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(60)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.stack.stop()
        if self.nafka:
            self.nafka.stop()

    def tenants(self, count):
        slugs = [f"bench{i:02d}" for i in range(count)]
        self.stack.manage("shell", "-v", "0", "-c",
                          "from tenants.services import tenant_create, Actor\n"
                          f"for s in {slugs!r}: tenant_create(slug=s, actor=Actor(name='bench'))")
        time.sleep(1)  # registry refresh in every gunicorn worker
        tokens = {}
        for slug in slugs:
            r = self.stack.tenant(slug, "POST", "/api/users", json={"user": {
                "username": "writer", "email": "writer@example.com", "password": "bench-password-1"}})
            r.raise_for_status()
            tokens[slug] = r.json()["user"]["token"]
        return tokens

    def worker_view(self):
        """The worker's own save-to-searchable samples (event occurred → on_searchable, ms), per stage."""
        with sqlite3.connect(self.data_dir / "control.sqlite3", timeout=30) as db:
            rows = db.execute("SELECT stage, latency_ms FROM conduit_ingestsample").fetchall()
        return {stage: [ms for s, ms in rows if s == stage] for stage in ("text", "vector")}

    def reset_worker_view(self):
        with sqlite3.connect(self.data_dir / "control.sqlite3", timeout=30) as db:
            db.execute("DELETE FROM conduit_ingestsample")

    def wait_idle(self, timeout=120):
        """Until the bus is drained and the worker's embedding backlog is empty (phases must not overlap)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stack.request("GET", "/metrics").text
            if "conduit_consumer_lag 0.0" in text and "conduit_embedding_backlog 0.0" in text:
                return
            time.sleep(0.5)


def write_and_wait(stack, slug, token, mode, session_local, poll=True):
    session = session_local.session
    word = f"zq{uuid.uuid4().hex[:12]}"
    sentence = f"{random.choice(SUBJECTS)} {random.choice(ACTIONS)} {random.choice(OBJECTS)} near {word}"
    headers = {"Host": f"{slug}.localhost", "Authorization": f"Token {token}"}
    started = time.monotonic()
    r = session.post(stack.url("/api/articles"), headers=headers, timeout=30, json={"article": {
        "title": sentence, "description": "bench", "body": f"{sentence}. Written by the ingestion bench.",
        "tagList": ["bench"]}})
    committed = time.monotonic()
    if r.status_code != 201:
        return {"error": f"POST {r.status_code}"}
    article_slug = r.json()["article"]["slug"]
    if not poll:
        return {"write": committed - started}
    query = word if mode == "text" else sentence
    params = {"q": query, "mode": mode, "limit": 5}
    polls = 0
    while time.monotonic() - committed < VISIBLE_TIMEOUT:
        polls += 1
        s = session.get(stack.url("/api/search"), params=params, headers={"Host": f"{slug}.localhost"}, timeout=30)
        if s.status_code == 200 and any(a["slug"] == article_slug for a in s.json()["articles"]):
            return {"latency": time.monotonic() - committed, "write": committed - started, "polls": polls}
        time.sleep(POLL[mode])
    return {"error": "not visible in 15 s"}


def run_phase(profile, tokens, mode, rate, duration, observe, sample=1):
    """Write at `rate`/s for `duration` s; observe by polling the search API, or by the worker's hook only."""
    slugs = list(tokens)
    total = int(rate * duration)
    local = threading.local()
    profile.wait_idle()
    profile.reset_worker_view()

    def job(i):
        if not hasattr(local, "session"):
            import requests

            local.session = requests.Session()
        slug = slugs[i % len(slugs)]
        polled = observe == "api" and i % sample == 0
        return write_and_wait(profile.stack, slug, tokens[slug], mode, local, poll=polled)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        futures = []
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(job, i))
        achieved = total / (time.monotonic() - start)
        results = [f.result() for f in futures]
    if observe == "api":
        latencies = [r["latency"] * 1000 for r in results if "latency" in r]
    else:
        deadline = time.monotonic() + VISIBLE_TIMEOUT
        stage = "text" if mode == "text" else "vector"
        while len(latencies := profile.worker_view()[stage]) < total and time.monotonic() < deadline:
            time.sleep(0.5)
    return {
        "mode": mode, "observe": observe, "rate": rate, "achieved": achieved, "writes": total,
        "visible": len(latencies), "observed": sum(1 for r in results if "latency" in r or "error" in r)
        if observe == "api" else total, "errors": sorted({r["error"] for r in results if "error" in r}),
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
        "max": max(latencies, default=float("nan")),
        "write_p50": statistics.median([r["write"] * 1000 for r in results if "write" in r] or [float("nan")]),
    }


def warm_up(profile, tokens):
    """Load the model in the worker and in every gunicorn worker: one article per tenant, found by meaning."""
    import requests

    local = threading.local()
    local.session = requests.Session()
    for slug, token in tokens.items():
        write_and_wait(profile.stack, slug, token, "semantic", local)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buses", default="db,kafka")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--text-rate", type=float, default=20)
    parser.add_argument("--semantic-rate", type=float, default=10)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--api-sample", type=int, default=4,
                        help="api: poll search for one write in N (all N are written); polling loads the same CPUs")
    parser.add_argument("--observe", default="hook,api",
                        help="hook: the worker's on_searchable timestamps, no polling load; api: poll GET /api/search")
    args = parser.parse_args()
    rows = []
    for bus in args.buses.split(","):
        data_dir = Path(tempfile.mkdtemp(prefix=f"conduit-bench-{bus}-"))
        try:
            with Profile(bus, data_dir, args.gunicorn_workers) as profile:
                tokens = profile.tenants(args.tenants)
                warm_up(profile, tokens)
                for mode, rate in (("text", args.text_rate), ("semantic", args.semantic_rate)):
                    for observe in args.observe.split(","):
                        row = {"bus": bus, **run_phase(profile, tokens, mode, rate, args.duration, observe,
                                                       args.api_sample)}
                        rows.append(row)
                        print(json.dumps(row), file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    header = (f"{'bus':6} {'mode':9} {'observed':8} {'rate/s':>7} {'writes':>6} {'timed':>6} {'visible':>7} "
              f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'POST p50':>9}")
    print(f"\nsave-to-searchable, {args.tenants} tenants, {args.duration:.0f} s per phase, "
          f"{args.gunicorn_workers} gunicorn workers + 1 run_worker, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['bus']:6} {r['mode']:9} {r['observe']:8} {r['achieved']:7.1f} {r['writes']:6d} {r['observed']:6d} "
              f"{r['visible']:7d} "
              f"{r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['max']:8.1f} {r['write_p50']:9.1f}"
              + (f"  errors: {r['errors']}" if r["errors"] else ""))
    print("hook: event occurred (in the write transaction) → the worker's on_searchable callback (index committed);"
          "\napi:  POST response received → first GET /api/search listing the article (one write in "
          f"{args.api_sample} timed, polled every {POLL['text'] * 1000:.0f} ms by text, "
          f"{POLL['semantic'] * 1000:.0f} ms by meaning; the polls load the same CPUs)")


if __name__ == "__main__":
    main()
