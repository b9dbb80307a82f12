"""Scheduled-publish lateness: articles scheduled 1–3 s ahead, published by real `manage.py run_worker` processes.

    .venv/bin/python bench/scheduled.py [--articles 300] [--rate 10] [--tenants 10] [--idle-tenants 500] [--workers 2]
                                        [--postgres] [--handler search.indexing.indexer]

Creates `--tenants` tenants with scheduled articles and `--idle-tenants` more with none (SQLite files, or databases
on the local PostgreSQL server with --postgres), starts `--workers` worker processes (the default event handler:
the search indexer, as `make run` runs it), then schedules `--articles` articles (`--rate` a second) round-robin
over the busy tenants through content.services, each `publish_at` uniformly 1–3 s after its creation. When the last
is due plus 5 s, it reads every article back: lateness = published_at − publish_at (the worker's flip time), p50 / p99 / max, how many
were published, and whether each has exactly one article.published outbox event (exactly once with N workers).
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import ROOT, setup_django  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--idle-tenants", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=10.0, help="articles scheduled per second (0: as fast as it can)")
    parser.add_argument("--postgres", action="store_true", help="tenant databases on the local PostgreSQL server")
    parser.add_argument("--handler", default="", help="CONDUIT_EVENT_HANDLER of the workers (default: the indexer)")
    parser.add_argument("--keep", action="store_true", help="keep the data dir (worker logs) and print its path")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-scheduled-"))
    prefix = f"bsched_{uuid.uuid4().hex[:6]}"
    env = {}
    if args.postgres:
        env["CONDUIT_TENANT_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{prefix}_{{slug}}"
    if args.handler:
        env["CONDUIT_EVENT_HANDLER"] = args.handler
    setup_django(data_dir, **env)

    from django.db import connections
    from django.utils import timezone

    from accounts.models import User
    from content import services
    from content.models import Article
    from events.models import OutboxEvent
    from tenants.context import tenant_context
    from tenants.services import Actor, tenant_create, tenant_delete

    actor = Actor(name="bench", source_ip="cli")
    started = time.perf_counter()
    busy = [tenant_create(slug=f"busy{i}", actor=actor) for i in range(args.tenants)]
    idle = [tenant_create(slug=f"idle{i}", actor=actor) for i in range(args.idle_tenants)]
    authors = {}
    for tenant in busy:
        with tenant_context(tenant):
            authors[tenant.slug] = User.objects.create_user(username="writer", email="w@example.com", password="x")
    print(f"{len(busy)} busy + {len(idle)} idle tenants ({'PostgreSQL' if args.postgres else 'SQLite'}) "
          f"in {time.perf_counter() - started:.1f} s; starting {args.workers} worker(s)")

    child_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    logs = [open(data_dir / f"worker{i}.log", "w") for i in range(args.workers)]
    workers = [subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=child_env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT) for log in logs]
    try:
        time.sleep(8.0)  # imports, the first full sweep of every tenant, the handler's start
        for worker, log in zip(workers, logs):
            if worker.poll() is not None:
                raise SystemExit(f"run_worker exited: {(data_dir / Path(log.name).name).read_text()}")
        rng, creating = random.Random(13), time.perf_counter()
        made, last_due = [], timezone.now()
        for i in range(args.articles):
            if args.rate:
                time.sleep(max(0.0, creating + i / args.rate - time.perf_counter()))
            tenant = busy[i % len(busy)]
            with tenant_context(tenant):
                when = timezone.now() + timedelta(seconds=rng.uniform(1.0, 3.0))
                article = services.article_create(author=authors[tenant.slug], title=f"Scheduled {i}", description="d",
                                                  body=f"body {i}", status="scheduled", publish_at=when)
                made.append((tenant, article.pk))
                last_due = max(last_due, when)
        print(f"scheduled {len(made)} articles in {time.perf_counter() - creating:.1f} s; waiting for the last to be "
              "due (+5 s)")
        time.sleep(max(0.0, (last_due - timezone.now()).total_seconds()) + 5.0)

        lateness, unpublished, events_per_article = [], 0, []
        for tenant in busy:
            with tenant_context(tenant):
                for status, publish_at, published_at, pk in Article.objects.values_list(
                        "status", "publish_at", "published_at", "pk"):
                    if status != "published":
                        unpublished += 1
                        continue
                    lateness.append((published_at - publish_at).total_seconds() * 1000)
                    events_per_article.append(OutboxEvent.objects.filter(
                        type="article.published", entity_id=str(pk)).count())
        print(f"published {len(lateness)}/{len(made)} (still scheduled: {unpublished}); "
              f"article.published events per article: {sorted(set(events_per_article))}")
        if lateness:
            print(f"lateness ms: p50 {percentile(lateness, 50):.0f}  p99 {percentile(lateness, 99):.0f}  "
                  f"max {max(lateness):.0f}  mean {statistics.mean(lateness):.0f}  min {min(lateness):.0f}")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        if args.postgres:
            for tenant in busy + idle:
                tenant_delete(slug=tenant.slug, actor=actor, purge=True)
        connections.close_all()
        if args.keep:
            print(f"data dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
