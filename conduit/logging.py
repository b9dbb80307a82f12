"""JSON log lines on stdout, and one access line per request with request id and tenant."""
import json
import logging
import time
import uuid

from conduit.context import current_tenant_slug

_request_id = __import__("contextvars").ContextVar("conduit_request_id", default=None)
access_log = logging.getLogger("conduit.access")
_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def current_request_id():
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object; extra= fields become keys."""

    def format(self, record):
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id, tenant = current_request_id(), current_tenant_slug()
        if request_id:
            payload["request_id"] = request_id
        if tenant:
            payload["tenant"] = tenant
        payload.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED and not k.startswith("_")})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class RequestLogMiddleware:
    """Assign (or honour) X-Request-ID and log one JSON access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if 0 < len(incoming) <= 200 and incoming.isprintable() else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "request",
                extra={
                    "tenant": getattr(getattr(request, "tenant", None), "slug", None),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            _request_id.reset(token)
