"""Save → webhook delivered, through real processes: gunicorn, one `manage.py run_worker`, a local receiver.

    .venv/bin/python bench/webhooks.py [--tenants 20] [--rate 20] [--duration 20] [--failing-every 5]
                                       [--postgres] [--handler search.indexing.indexer]
                                       [--order healthy,failing]

One stack (gunicorn + run_worker, the `db` bus, the real search indexer unless --handler names another), N tenants,
each with an owner and one webhook endpoint (article.published) on a receiver in this process (a
ThreadingHTTPServer that verifies every signature). Articles are written through POST /api/articles at a fixed,
open-loop rate, round-robin over the tenants, in two phases of --duration seconds:

  healthy:  every endpoint answers 200 at once;
  failing:  one endpoint in --failing-every answers badly: half of them 500 at once, half hang past the timeout
            (CONDUIT_WEBHOOK_TIMEOUT=2 s), all retried with back-off (never disabled during the run).

Latency of each healthy delivery is measured from the POST's response (the write is committed) and from the event's
occurred_at (stamped inside the write's transaction; same host clock) to the moment the receiver read the request.
The claim: the failing phase's healthy p50/p99 stay those of the healthy phase.
"""
import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:
    from tests.support.stack import Stack, pg_drop_databases, pg_url  # noqa: E402
except ImportError:  # before the move of tests/stack.py
    from tests.stack import Stack, pg_drop_databases, pg_url  # noqa: E402
from tests.webhooks.receiver import Behaviour, Receiver  # noqa: E402

PASSWORD = "correct-horse-9"
DELIVERY_TIMEOUT = 15.0


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Site:
    def __init__(self, stack, slug):
        self.stack, self.slug, self.session = stack, slug, requests.Session()

    def call(self, method, path, body=None, token=None):
        headers = {"Host": f"{self.slug}.localhost"}
        if token:
            headers["Authorization"] = f"Token {token}"
        return self.session.request(method, self.stack.url(path), json=body, headers=headers, timeout=30)

    def setup(self, receiver):
        email = f"owner-{self.slug}@example.com"
        response = self.call("POST", "/api/users", {"user": {"username": f"o{self.slug}", "email": email,
                                                             "password": PASSWORD}})
        assert response.status_code == 201, response.text
        self.token = response.json()["user"]["token"]
        response = self.call("POST", "/api/site/webhooks", {"webhook": {
            "url": receiver.url(f"/ok/{self.slug}"), "events": ["article.published"]}}, self.token)
        assert response.status_code == 201, response.text
        self.hook = response.json()["webhook"]
        receiver.secrets[f"/ok/{self.slug}"] = receiver.secrets[f"/fail/{self.slug}"] = self.hook["secret"]

    def point_to(self, path, receiver):
        response = self.call("PUT", f"/api/site/webhooks/{self.hook['id']}",
                             {"webhook": {"url": receiver.url(path)}}, self.token)
        assert response.status_code == 200, response.text


def run_phase(name, sites, receiver, rate, duration, healthy):
    """Write rate*duration articles, open loop; return the latencies (ms) of the healthy tenants' deliveries."""
    written = {}  # slug of the article -> (tenant slug, response time)
    lock = threading.Lock()
    errors = []

    def write(i):
        site = sites[i % len(sites)]
        title = f"{name} {i} {uuid.uuid4().hex[:8]}"
        try:
            response = site.call("POST", "/api/articles", {"article": {"title": title, "description": "d",
                                                                       "body": "bench body"}}, site.token)
            done = time.time()
            if response.status_code != 201:
                errors.append(response.status_code)
                return
            with lock:
                written[response.json()["article"]["slug"]] = (site.slug, done)
        except requests.RequestException as exc:
            errors.append(str(exc))

    total = int(rate * duration)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(write, i)
    wanted = {slug for slug, (tenant, _) in written.items() if tenant in healthy}
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    arrivals = {}
    while time.monotonic() < deadline:
        for r in list(receiver.received):
            if r.path.startswith("/ok/") and r.signature_ok:
                data = json.loads(r.body)
                if data["data"].get("slug") in wanted:
                    arrivals.setdefault(data["data"]["slug"], (r.at, data["occurred_at"]))
        if wanted <= set(arrivals):
            break
        time.sleep(0.1)
    from_response = [(arrivals[s][0] - written[s][1]) * 1000 for s in wanted if s in arrivals]
    from_event = [(arrivals[s][0] - datetime.fromisoformat(arrivals[s][1]).timestamp()) * 1000
                  for s in wanted if s in arrivals]
    bad = sum(1 for r in receiver.received if r.signature_ok is False)
    return {"phase": name, "writes": total, "write_errors": len(errors), "healthy_writes": len(wanted),
            "delivered": len(from_response), "missing": len(wanted - set(arrivals)), "bad_signatures": bad,
            "from_response_ms": {"p50": round(percentile(from_response, 50), 1),
                                 "p99": round(percentile(from_response, 99), 1),
                                 "max": round(max(from_response, default=float("nan")), 1)},
            "from_event_ms": {"p50": round(percentile(from_event, 50), 1),
                              "p99": round(percentile(from_event, 99), 1)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--failing-every", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="tenant databases on the local PostgreSQL")
    parser.add_argument("--order", default="healthy,failing", help="the phases, in order (e.g. failing,healthy)")
    parser.add_argument("--handler", default="search.indexing.indexer", help="CONDUIT_EVENT_HANDLER of the worker")
    args = parser.parse_args()

    receiver = Receiver().start()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    prefix = f"benchwh_{uuid.uuid4().hex[:6]}"
    env = {"CONDUIT_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}", "CONDUIT_WEBHOOK_TIMEOUT": "2",
           "CONDUIT_WEBHOOK_RETRY_BASE_SECONDS": "1", "CONDUIT_WEBHOOK_RETRY_MAX_SECONDS": "10",
           "CONDUIT_WEBHOOK_DISABLE_AFTER": "100000", "CONDUIT_EVENT_HANDLER": args.handler,
           "CONDUIT_LOGIN_RATE": "100000/min", "CONDUIT_TEST_EVENT_LOG": str(data_dir / "events.jsonl")}
    if args.postgres:
        env["CONDUIT_TENANT_DATABASE_URL"] = pg_url(prefix)
    stack = Stack(data_dir, **env)
    try:
        stack.start(workers=2)
        stack.start_worker()
        slugs = [f"wh{i}{uuid.uuid4().hex[:4]}" for i in range(args.tenants)]
        for slug in slugs:  # the first owner: the user who registers with this email
            stack.create_tenant(slug, "--owner-email", f"owner-{slug}@example.com")
        sites = [Site(stack, slug) for slug in slugs]
        for site in sites:
            site.setup(receiver)
        failing = [s for i, s in enumerate(sites) if args.failing_every and i % args.failing_every == 0]
        healthy = {s.slug for s in sites if s not in failing}
        run_phase("warm-up", sites, receiver, args.rate, 3.0, healthy)  # first imports, connections, index writers
        for n, site in enumerate(failing):
            receiver.behaviour[f"/fail/{site.slug}"] = (Behaviour(always=500) if n % 2 == 0
                                                        else Behaviour(always=503, delay=3.0))
        results = []
        for phase in args.order.split(","):
            for site in failing:
                site.point_to(f"/{'fail' if phase == 'failing' else 'ok'}/{site.slug}", receiver)
            results.append(run_phase(phase, sites, receiver, args.rate, args.duration, healthy))
        failed_calls = sum(1 for r in receiver.received if r.path.startswith("/fail/"))
        report = {"tenants": args.tenants, "rate_per_s": args.rate, "duration_s": args.duration,
                  "failing_endpoints": len(failing), "failing_calls_received": failed_calls,
                  "handler": args.handler, "order": args.order, "tenant_db": "postgres" if args.postgres else "sqlite",
                  "results": results}
        print(json.dumps(report, indent=2))
    finally:
        stack.stop()
        receiver.stop()
        if args.postgres:
            pg_drop_databases(prefix)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
