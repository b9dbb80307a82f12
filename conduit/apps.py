from django.apps import AppConfig


class ConduitConfig(AppConfig):
    name = "conduit"
    verbose_name = "Conduit platform"

    def ready(self):
        from conduit.events import apis  # noqa: F401  registers the event bus health check
