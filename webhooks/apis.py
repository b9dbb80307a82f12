"""Owners' webhook API: `/api/site/webhooks[/<id>[/deliveries[/<id>/redeliver]]]` (401 anonymous, 403 non-owner)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.roles import is_owner
from conduit.api import PAGE_PARAMS, AuthenticatedApi, page, validated
from conduit.exceptions import Forbidden
from conduit.fields import Input, Text
from conduit.messages import FIELD_ERRORS
from webhooks import selectors, services
from webhooks.payloads import SUBSCRIBABLE
from webhooks.serializers import delivery_out, webhook_out

TAGS = ["Webhooks"]


class Flag(serializers.BooleanField):
    default_error_messages = FIELD_ERRORS


class EventList(serializers.ListField):
    """Event type names; which ones are subscribable is the service's check (one message naming the unknown)."""

    default_error_messages = FIELD_ERRORS

    def __init__(self, **kwargs):
        super().__init__(child=Text(max_length=64), max_length=len(SUBSCRIBABLE) * 2, **kwargs)


WEBHOOK = inline_serializer("Webhook", fields={
    "id": serializers.IntegerField(), "url": serializers.CharField(), "events": serializers.ListField(),
    "active": serializers.BooleanField(), "disabledReason": serializers.CharField(allow_null=True),
    "secret": serializers.CharField(required=False, help_text="Only in the answer to the create."),
})
WEBHOOK_RESPONSE = inline_serializer("WebhookResponse", fields={"webhook": WEBHOOK})
DELIVERY = inline_serializer("WebhookDelivery", fields={
    "id": serializers.IntegerField(), "eventId": serializers.CharField(), "type": serializers.CharField(),
    "status": serializers.CharField(), "attempts": serializers.IntegerField(),
    "responseCode": serializers.IntegerField(allow_null=True), "latencyMs": serializers.FloatField(allow_null=True),
})


class OwnerApi(AuthenticatedApi):
    """Signed-in owners of the site only."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_owner(request.user):
            raise Forbidden("site")


class WebhookListCreateApi(OwnerApi):
    class NewWebhookRequest(Input):
        class NewWebhook(Input):
            url = Text(max_length=2000)
            events = EventList()
            active = Flag(required=False, default=True)

        webhook = NewWebhook()

    @extend_schema(operation_id="GetWebhooks", tags=TAGS,
                   responses={200: inline_serializer("WebhooksResponse", fields={"webhooks": WEBHOOK})})
    def get(self, request):
        return Response({"webhooks": [webhook_out(e) for e in selectors.endpoint_list()]})

    @extend_schema(operation_id="CreateWebhook", tags=TAGS, request=NewWebhookRequest,
                   responses={201: WEBHOOK_RESPONSE})
    def post(self, request):
        data = validated(self.NewWebhookRequest, request.data, "webhook")
        endpoint = services.endpoint_create(actor=request.user, url=data["url"], events=data["events"],
                                            active=data["active"])
        return Response({"webhook": webhook_out(endpoint, secret=True)}, status=status.HTTP_201_CREATED)


class WebhookDetailApi(OwnerApi):
    class UpdateWebhookRequest(Input):
        class UpdateWebhook(Input):
            url = Text(max_length=2000, required=False)
            events = EventList(required=False)
            active = Flag(required=False)

        webhook = UpdateWebhook()

    @extend_schema(operation_id="GetWebhook", tags=TAGS, responses={200: WEBHOOK_RESPONSE})
    def get(self, request, id):
        return Response({"webhook": webhook_out(selectors.endpoint_get(endpoint_id=id))})

    @extend_schema(operation_id="UpdateWebhook", tags=TAGS, request=UpdateWebhookRequest,
                   responses={200: WEBHOOK_RESPONSE})
    def put(self, request, id):
        endpoint = selectors.endpoint_get(endpoint_id=id)
        data = validated(self.UpdateWebhookRequest, request.data, "webhook")
        endpoint = services.endpoint_update(actor=request.user, endpoint=endpoint, data=data)
        return Response({"webhook": webhook_out(endpoint)})

    @extend_schema(operation_id="DeleteWebhook", tags=TAGS, responses={204: None})
    def delete(self, request, id):
        services.endpoint_delete(actor=request.user, endpoint=selectors.endpoint_get(endpoint_id=id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListApi(OwnerApi):
    @extend_schema(operation_id="GetWebhookDeliveries", tags=TAGS, parameters=PAGE_PARAMS, responses={
        200: inline_serializer("WebhookDeliveriesResponse", fields={
            "deliveries": DELIVERY, "deliveriesCount": serializers.IntegerField()})})
    def get(self, request, id):
        endpoint = selectors.endpoint_get(endpoint_id=id)
        rows, count = selectors.delivery_list(endpoint=endpoint, **page(request.query_params))
        return Response({"deliveries": [delivery_out(d) for d in rows], "deliveriesCount": count})


class RedeliverApi(OwnerApi):
    @extend_schema(operation_id="RedeliverWebhookDelivery", tags=TAGS, request=None,
                   responses={202: inline_serializer("WebhookDeliveryResponse", fields={"delivery": DELIVERY})})
    def post(self, request, id, delivery_id):
        endpoint = selectors.endpoint_get(endpoint_id=id)
        delivery = selectors.delivery_get(endpoint=endpoint, delivery_id=delivery_id)
        delivery = services.delivery_redeliver(actor=request.user, delivery=delivery)
        return Response({"delivery": delivery_out(delivery)}, status=status.HTTP_202_ACCEPTED)
