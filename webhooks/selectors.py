"""Webhook reads for the API (the tenant in context)."""
from conduit.exceptions import NotFound
from tenants.db import tenant_alias
from webhooks.models import Delivery, Endpoint


def endpoint_list() -> list[Endpoint]:
    return list(Endpoint.objects.using(tenant_alias()).order_by("id"))


def endpoint_get(*, endpoint_id: int) -> Endpoint:
    endpoint = Endpoint.objects.using(tenant_alias()).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("webhook")
    return endpoint


def delivery_list(*, endpoint: Endpoint, limit: int, offset: int) -> tuple[list[Delivery], int]:
    rows = Delivery.objects.using(tenant_alias()).filter(endpoint=endpoint).order_by("-id")
    return list(rows[offset:offset + limit]), rows.count()


def delivery_get(*, endpoint: Endpoint, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.using(tenant_alias()).filter(endpoint=endpoint, pk=delivery_id).first()
    if delivery is None:
        raise NotFound("delivery")
    return delivery
