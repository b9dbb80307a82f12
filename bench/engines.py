"""The three tenant database engines side by side: one gunicorn, three tenants with the same data, one per engine.

    .venv/bin/python bench/engines.py [--seconds 5] [--rounds 3] [--connections 8] [--articles 50]
                                      [--mongo URL | --mongo secantus] [--pg URL]

Tenant `esqlite` on SQLite, `epostgres` on PostgreSQL, `emongodb` on MongoDB (`--mongo secantus`, the default,
starts SecantusDB: a MongoDB wire-protocol server written in Python, an emulator with no query planner, so its
numbers say what this code costs against it, not what a real mongod would serve; compare MongoDB rows with each
other). The HTTP cache is off (CONDUIT_HTTP_CACHE=false): every request reaches the database. Printed: requests/s
(median of interleaved rounds, wrk) and the database queries one call of each selector makes (in-process).
"""
import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402
from api import bench_stack, wrk  # noqa: E402

PATHS = ["/api/articles?limit=20", "/api/articles/article-25", "/api/tags"]

QUERIES = r"""
import json
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.test.utils import CaptureQueriesContext
from content import selectors
from content.models import Article
from django.db import router
alias = router.db_for_read(Article)
counts = {}
for name, call in [("/api/articles?limit=20", lambda: selectors.article_list(user=AnonymousUser(), limit=20)),
                   ("/api/articles/article-25", lambda: selectors.article_detail(slug="article-25", user=AnonymousUser())),
                   ("/api/tags", selectors.tag_list)]:
    call()
    with CaptureQueriesContext(connections[alias]) as captured:
        call()
    counts[name] = len(captured.captured_queries)
print("COUNTS" + json.dumps(counts))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--mongo", default="secantus")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    mongo_process = None
    if args.mongo == "secantus":
        args.mongo, mongo_process = _common.secantus_server()
    base = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    tag = next(tempfile._get_candidate_names())
    urls = {"esqlite": None, "epostgres": f"{args.pg}/bench_engines_{tag}_{{slug}}",
            "emongodb": f"{args.mongo}/bench_engines_{tag}_{{slug}}?directConnection=true"}
    server = bench_stack(base, CONDUIT_HTTP_CACHE="false", CONDUIT_DATABASE_HOSTS="127.0.0.1,localhost")
    try:
        server.manage("migrate", "--noinput", "-v0")
        counts = {}
        for slug, url in urls.items():
            server.manage("create_tenant", slug, *(("--database-url", url) if url else ()))
            server.manage("tenant_command", slug, "shell", "-c", _common.seed_script(args.articles), timeout=None)
            out = server.manage("tenant_command", slug, "shell", "-c", QUERIES).stdout
            counts[slug] = json.loads(out.split("COUNTS", 1)[1])
        server.start()
        for slug in urls:
            for path in PATHS:
                response = server.request("GET", path, host=f"{slug}.localhost")
                assert response.status_code == 200, (slug, path, response.text)
        results = {(slug, path): [] for slug in urls for path in PATHS}
        for round_ in range(args.rounds):
            order = list(urls) if round_ % 2 == 0 else list(reversed(urls))
            for path in PATHS:
                for slug in order:
                    results[slug, path].append(wrk(server.port, f"{slug}.localhost", path, args.seconds,
                                                   args.connections)[0])
        print(f"\nuncached GETs through gunicorn (2 workers), wrk -t2 -c{args.connections} -d{args.seconds}s, median "
              f"of {args.rounds} interleaved rounds; {args.articles} articles per tenant")
        print(f"{'endpoint':<28}" + "".join(f"{s[1:] + ' req/s':>16}{'queries':>9}" for s in urls))
        for path in PATHS:
            print(f"{path:<28}" + "".join(f"{statistics.median(results[s, path]):>16.0f}{counts[s][path]:>9}"
                                          for s in urls))
    finally:
        server.stop()
        for slug in ("epostgres", "emongodb"):
            server.manage("delete_tenant", slug, "--purge", "--yes", check=False)
        if mongo_process is not None:
            mongo_process.terminate()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
