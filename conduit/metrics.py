"""Prometheus metrics. Multiprocess-safe: every process writes to PROMETHEUS_MULTIPROC_DIR (set in settings)."""
from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

EVENTS_PUBLISHED = Counter("conduit_events_published", "Content events accepted by the bus.", ["type"])
PUBLISH_FAILURES = Counter("conduit_events_publish_failures", "Outbox publishes that failed (events kept).")
EVENTS_CONSUMED = Counter("conduit_events_consumed", "Content events the worker indexed successfully.")
EVENTS_FAILED = Counter(
    "conduit_events_failed", "Content event indexing failures, by what happened next.", ["outcome"]
)
SAVE_TO_SEARCHABLE = Histogram(
    "conduit_save_to_searchable_seconds",
    "From the content change to searchable, by stage (text, vector).",
    ["stage"], buckets=LATENCY_BUCKETS,
)
SEARCH_LATENCY = Histogram(
    "conduit_search_latency_seconds", "Search request latency, by mode.", ["mode"], buckets=LATENCY_BUCKETS,
)
