"""Prometheus metrics. Multiprocess-safe: every process writes to PROMETHEUS_MULTIPROC_DIR (set in settings)."""
import hmac
import ipaddress
from functools import wraps

from django.http import JsonResponse
from prometheus_client import Counter, Histogram

from conduit.conf import conduit_settings
from conduit.net import client_ip

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


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return ip.is_loopback or bool(getattr(ip, "ipv4_mapped", None) and ip.ipv4_mapped.is_loopback)


def scrape_allowed(request) -> bool:
    """CONDUIT_METRICS_TOKEN as a bearer token, or a staff session; with no token configured, a loopback client."""
    token = conduit_settings.METRICS_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    return not token and _loopback(client_ip(request))


def scrapers_only(view):
    """Guard a metrics view with `scrape_allowed`: anyone else gets a 401 that names the Bearer scheme."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not scrape_allowed(request):
            response = JsonResponse({"errors": {"token": ["a metrics token or a staff session is required"]}},
                                    status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        return view(request, *args, **kwargs)

    return guarded
