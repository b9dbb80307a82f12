"""Feed and sitemap latency on a site with 10,000 published articles: cold (nothing cached), cached (the rendered
document comes from the cache) and 304 (the client sends the ETag).

    .venv/bin/python bench/feeds.py [--articles 10000] [--requests 200] [--cold 20] [--pg postgres://…|none]

One process, Django's test client (the full middleware stack: tenant routing, logging, the view; no HTTP server or
network, so these are the application's own costs). Per tenant engine (SQLite, and PostgreSQL unless --pg none):
a fresh tenant seeded with bulk_create inside tenant_context (articles with ~1.5 KB markdown bodies, 3 of 12 tags
each, 20 authors, 5% drafts), then for each path:
- cold: the default cache and the rendered-markdown memo cleared before every request (a first reader after a
  change, or a new process);
- cached: no validator sent, the document is served from the cache (a reader that never revalidates);
- 304: If-None-Match with the current ETag (a feed reader polling an unchanged feed).
Prints p50 / p99 latency, sequential requests/s (1 / mean) and the process CPU time per request (steadier than
wall-clock time when other work shares the machine; the load average is printed too) per path and case.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import setup_django  # noqa: E402

BODY = ("## A heading\n\nSome *emphasis*, some **strong** text and a [link](https://example.com/page). "
        "A paragraph of ordinary prose that goes on for a while, as articles do. " * 4 + "\n\n"
        "- one item\n- two items\n- three items\n\n```python\nprint('code')\n```\n\n"
        "> a quote to finish with, and an image: ![alt](/media/picture.png)\n") * 2
PATHS = ["/feed.xml", "/feed.json", "/tag/tag3/feed.xml", "/profile/author7/feed.xml", "/sitemap.xml"]


def seed(tenant, count):
    from django.utils import timezone

    from accounts.models import User
    from content.models import Article, Tag
    from tenants.context import tenant_context

    with tenant_context(tenant):
        users = User.objects.bulk_create([User(username=f"author{i}", email=f"author{i}@bench.io") for i in range(20)])
        tags = Tag.objects.bulk_create([Tag(name=f"tag{i}") for i in range(12)])
        now = timezone.now()
        for start in range(0, count, 2000):
            batch = Article.objects.bulk_create([
                Article(slug=f"article-{i}", title=f"Article number {i}", description=f"About article {i}", body=BODY,
                        author=users[i % 20], status="draft" if i % 20 == 19 else "published",
                        published_at=None if i % 20 == 19 else now - timedelta(minutes=count - i))
                for i in range(start, min(count, start + 2000))
            ])
            Article.tags.through.objects.bulk_create([
                Article.tags.through(article_id=a.id, tag_id=tags[(a.id + k * 5) % 12].id)
                for a in batch for k in range(3)])
        return Article.objects.filter(status="published").count()


def timed(client, host, path, n, before=None, **headers):
    """Wall-clock seconds of each request, and the process CPU seconds they took in all."""
    times, cpu = [], 0.0
    for _ in range(n):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, HTTP_HOST=host, **headers)
        times.append(time.perf_counter() - start)
        cpu += time.process_time() - start_cpu
        expected = 304 if "HTTP_IF_NONE_MATCH" in headers else 200
        assert response.status_code == expected, (path, response.status_code, response.content[:300])
    return times, cpu


def row(label, measured):
    times, cpu = measured
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return (f"{label:<34}{statistics.median(ms):>9.1f}{p99:>9.1f}{1000 / statistics.mean(ms):>10.0f}"
            f"{cpu * 1000 / len(times):>11.1f}")


def bench_site(tenant, label, args):
    from django.core.cache import cache
    from django.test import Client

    from feeds import markup

    started = time.perf_counter()
    published = seed(tenant, args.articles)
    seeded = time.perf_counter() - started
    client, host = Client(), f"{tenant.slug}.localhost"

    def cold():
        cache.clear()
        markup._cache.clear()

    print(f"\n{label}: {published} published of {args.articles} articles (seeded in {seeded:.1f} s)")
    print(f"{'path / case':<34}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>10}{'cpu ms/req':>11}")
    for path in PATHS:
        first = client.get(path, HTTP_HOST=host)
        assert first.status_code == 200, (path, first.content[:300])
        size = len(first.content)
        print(row(f"{path} cold", timed(client, host, path, args.cold, before=cold)))
        client.get(path, HTTP_HOST=host)
        print(row(f"{path} cached", timed(client, host, path, args.requests)))
        print(row(f"{path} 304", timed(client, host, path, args.requests, HTTP_IF_NONE_MATCH=first["ETag"])))
        print(f"{'':<4}({size / 1024:.0f} KiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per cached / 304 case")
    parser.add_argument("--cold", type=int, default=20, help="requests per cold case")
    parser.add_argument("--pg", default=os.environ.get("CONDUIT_TEST_PG", "postgres://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server for the second tenant, or 'none'")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    setup_django(data_dir, ACCESS_LOG_LEVEL="WARNING")
    from tenants import provisioning
    from tenants.services import Actor, tenant_create

    actor = Actor(name="bench")
    print(f"feeds bench: {args.articles} articles, in-process Django test client, {os.cpu_count()} CPUs; "
          f"cold x{args.cold}, cached and 304 x{args.requests}; load average {os.getloadavg()[0]:.1f}")
    bench_site(tenant_create(slug=f"f{uuid.uuid4().hex[:8]}", actor=actor, name="Bench"), "SQLite tenant", args)
    if args.pg != "none":
        url = f"{args.pg}/bench_feeds_{uuid.uuid4().hex[:8]}"
        try:
            bench_site(tenant_create(slug=f"f{uuid.uuid4().hex[:8]}", actor=actor, name="Bench", database_url=url),
                       "PostgreSQL tenant", args)
        finally:
            from django.db import connections

            connections.close_all()
            if provisioning.database_exists(url):
                provisioning.database_drop(url)


if __name__ == "__main__":
    main()
