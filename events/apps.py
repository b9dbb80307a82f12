from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Event pipeline"
    # The pipeline's own state lives in the control database; OutboxEvent (the only other model) lives in each
    # tenant's database, written in the same transaction as the change it names. tenants.router reads this set.
    control_models = frozenset({"busevent", "consumeroffset", "failedevent", "dirtytenant", "ingestsample",
                                "workerstatus"})

    def ready(self):
        from events import apis, receivers  # noqa: F401  the bus health check, the purge receiver
