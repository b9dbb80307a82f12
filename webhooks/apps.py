from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"
    # Endpoints and deliveries live in each tenant's database; these two live in the control DB (tenants.router).
    control_models = frozenset({"webhookdue", "disabledendpoint"})

    def ready(self):
        from conduit.conf import conduit_settings
        from events.subscribers import register_subscriber, register_task
        from webhooks import worker

        register_subscriber("webhooks", worker.on_events)
        register_task("webhooks.send", worker.tick, every=conduit_settings.WEBHOOK_TICK_SECONDS)
