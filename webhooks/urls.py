from django.urls import path

from webhooks import apis

urlpatterns = [
    path("site/webhooks", apis.WebhookListCreateApi.as_view(), name="webhooks"),
    path("site/webhooks/<int:id>", apis.WebhookDetailApi.as_view(), name="webhook"),
    path("site/webhooks/<int:id>/deliveries", apis.DeliveryListApi.as_view(), name="webhook-deliveries"),
    path("site/webhooks/<int:id>/deliveries/<int:delivery_id>/redeliver", apis.RedeliverApi.as_view(),
         name="webhook-redeliver"),
]
