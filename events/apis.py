"""GET /metrics (Prometheus, every process's samples) and the event bus health check."""
import os

from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from conduit.health import register
from conduit.metrics import scrapers_only
from events import selectors
from events.bus import get_bus
from events.models import DirtyTenant


class PipelineCollector:
    """Gauges read from the control DB and the bus at scrape time, so any process can serve them."""

    def collect(self):
        lag = selectors.consumer_lag()
        yield GaugeMetricFamily("conduit_bus_up", "1 if the event bus answered the lag query.", value=lag is not None)
        if lag is not None:
            yield GaugeMetricFamily("conduit_consumer_lag", "Events on the bus not yet processed.", value=lag)
        failures = selectors.failure_counts()
        failed = GaugeMetricFamily("conduit_failed_events", "Events awaiting a retry or dead-lettered.",
                                   labels=["status"])
        for status, count in failures.items():
            failed.add_metric([status], count)
        yield failed
        yield GaugeMetricFamily("conduit_outbox_dirty_tenants", "Tenants whose outbox holds unpublished events.",
                                value=DirtyTenant.objects.count())
        yield GaugeMetricFamily("conduit_workers", "Workers that reported in the last 30 s.",
                                value=len(selectors.live_workers()))
        backlog = selectors.embedding_backlog()
        if backlog is not None:
            yield GaugeMetricFamily("conduit_embedding_backlog", "Articles waiting for their vector.", value=backlog)


@scrapers_only
def metrics(request):
    registry = CollectorRegistry()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY  # single process: this process's own metrics
    collector = PipelineCollector()
    registry.register(collector)
    try:
        return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    finally:
        registry.unregister(collector)


@register("event_bus")
def _event_bus():
    return get_bus().check()
