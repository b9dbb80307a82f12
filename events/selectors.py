"""Reads for operators: ingestion latency percentiles, throughput, lag, failures and per-tenant backlog."""
from collections import defaultdict
from datetime import timedelta

import numpy as np
from django.db.models import Count
from django.utils import timezone

from conduit.conf import conduit_settings
from events.bus import get_bus
from events.models import DirtyTenant, FailedEvent, IngestSample, WorkerStatus

PERCENTILES = (50, 95, 99)
FRESH = timedelta(seconds=30)  # a worker that has not reported for this long is considered gone


def _percentiles(values) -> dict:
    if not len(values):
        return {f"p{p}": None for p in PERCENTILES}
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, np.percentile(values, PERCENTILES))}


def latency_summary(*, window: timedelta = timedelta(hours=1)) -> dict:
    """Per stage: count and p50/p95/p99 (ms) over the window, plus a per-minute series for charts."""
    since = timezone.now() - window
    last_minute = int(window.total_seconds() // 60) - 1
    rows = IngestSample.objects.filter(at__gte=since).values_list("stage", "at", "latency_ms")
    by_stage, by_minute = defaultdict(list), defaultdict(lambda: defaultdict(list))
    for stage, at, latency in rows.iterator(chunk_size=5000):
        by_stage[stage].append(latency)
        minute = min(int((at - since).total_seconds() // 60), last_minute)  # a sample stamped "now" is the last
        by_minute[stage][minute].append(latency)
    summary = {}
    for stage in IngestSample.Stage.values:
        series = [{"minute": m, "count": len(v), **_percentiles(v)} for m, v in sorted(by_minute[stage].items())]
        summary[stage] = {"count": len(by_stage[stage]), **_percentiles(by_stage[stage]), "series": series}
    return summary


def events_per_second(*, seconds: int = 60) -> float:
    since = timezone.now() - timedelta(seconds=seconds)
    return IngestSample.objects.filter(at__gte=since, stage=IngestSample.Stage.TEXT).count() / seconds


def live_workers():
    return list(WorkerStatus.objects.filter(heartbeat_at__gte=timezone.now() - FRESH).order_by("name"))


def consumer_lag() -> int | None:
    try:
        return get_bus().lag(group=conduit_settings.KAFKA_GROUP)
    except Exception:
        return None


def failure_counts() -> dict:
    counts = dict(FailedEvent.objects.values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in FailedEvent.Status.values}


def embedding_backlog() -> int | None:
    workers = live_workers()
    if not any(w.embedding_backlog is not None for w in workers):
        return None
    return sum(w.embedding_backlog or 0 for w in workers)


def tenant_backlog() -> list[dict]:
    """Per tenant: events waiting on the bus (db bus only), retrying, dead, and a dirty outbox flag."""
    try:
        on_bus = get_bus().backlog_by_tenant(group=conduit_settings.KAFKA_GROUP) or {}
    except Exception:
        on_bus = {}
    failed = defaultdict(dict)
    for tenant, status, n in FailedEvent.objects.values_list("tenant", "status").annotate(n=Count("id")):
        failed[tenant][status] = n
    dirty = set(DirtyTenant.objects.values_list("slug", flat=True))
    tenants = sorted(set(on_bus) | set(failed) | dirty)
    rows = [{"tenant": t, "on_bus": on_bus.get(t, 0), "retrying": failed[t].get("retrying", 0),
             "dead": failed[t].get("dead", 0), "outbox_dirty": t in dirty} for t in tenants]
    return sorted(rows, key=lambda r: -(r["on_bus"] + r["retrying"] + r["dead"]))



def dashboard() -> dict:
    return {
        "bus": get_bus().name, "lag": consumer_lag(), "events_per_second": events_per_second(),
        "latency": latency_summary(), "failures": failure_counts(), "embedding_backlog": embedding_backlog(),
        "workers": live_workers(), "tenants": tenant_backlog()[:100],
        "dead_letters": list(FailedEvent.objects.filter(status=FailedEvent.Status.DEAD)[:20]),
        "dirty_outboxes": DirtyTenant.objects.count(),
    }
