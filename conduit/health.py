"""GET /api/health: named checks; 200 when all pass, 503 naming what failed. Apps add checks with `register`."""
import logging
import time

from django.db import connections
from django.http import JsonResponse

from conduit.context import current_tenant

logger = logging.getLogger("conduit.health")
_checks = {}
# What a tenant host shows of a check's details: its own numbers and the names of the backends, nothing
# platform-wide (the event log's size, other tenants' open indexes, bucket names); the control host shows all.
TENANT_VISIBLE = {"tenant", "skipped", "error", "bus", "backend", "documents", "vectors", "pending",
                  "embedding_model_loaded"}


def register(name):
    """Decorator: `fn()` raises (or returns False) when unhealthy; may return a detail dict."""

    def wrap(fn):
        _checks[name] = fn
        return fn

    return wrap


@register("control_db")
def _control_db():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def health(request):
    results, healthy, tenant = {}, True, current_tenant()
    for name, check in _checks.items():
        started = time.perf_counter()
        try:
            detail = check()
            ok = detail is not False
        except Exception as exc:  # a health check reports failures, it never raises
            # The endpoint is public: name the failure, keep hosts/users/paths from the message in the log.
            logger.warning("health check %s failed", name, exc_info=True)
            ok, detail = False, {"error": type(exc).__name__}
        entry = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 2)}
        if isinstance(detail, dict):
            entry.update({k: v for k, v in detail.items() if tenant is None or k in TENANT_VISIBLE})
        results[name] = entry
        healthy &= ok
    failed = [name for name, entry in results.items() if not entry["ok"]]
    body = {"status": "ok" if healthy else "fail", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=200 if healthy else 503)
