"""The client's address: X-Forwarded-For only behind the trusted proxy (its last hop), else the TCP peer."""
from django.conf import settings


def client_ip(request) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.USE_X_FORWARDED_HOST else ""
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "") or "unknown"
