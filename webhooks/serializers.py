"""The API representations of endpoints and deliveries (camelCase, times as conduit.fields.iso)."""
from conduit.fields import iso


def _iso(value):
    return iso(value) if value else None


def webhook_out(endpoint, *, secret: bool = False) -> dict:
    out = {
        "id": endpoint.pk, "url": endpoint.url, "events": list(endpoint.events), "active": endpoint.active,
        "disabledReason": endpoint.disabled_reason or None, "disabledAt": _iso(endpoint.disabled_at),
        "consecutiveFailures": endpoint.consecutive_failures,
        "createdAt": _iso(endpoint.created_at), "updatedAt": _iso(endpoint.updated_at),
    }
    if secret:  # only in the answer to the create: it is never shown again
        out["secret"] = endpoint.secret
    return out


def delivery_out(delivery) -> dict:
    return {
        "id": delivery.pk, "eventId": delivery.event_id, "type": delivery.type, "status": delivery.status,
        "attempts": delivery.attempts, "responseCode": delivery.response_code, "latencyMs": delivery.latency_ms,
        "lastError": delivery.last_error or None, "nextAttemptAt": _iso(delivery.next_attempt_at),
        "createdAt": _iso(delivery.created_at), "updatedAt": _iso(delivery.updated_at),
        "deliveredAt": _iso(delivery.delivered_at), "payload": delivery.payload,
    }
