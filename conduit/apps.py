from django.apps import AppConfig


class ConduitConfig(AppConfig):
    name = "conduit"
    verbose_name = "Conduit platform"

    def ready(self):
        from conduit.events import apis, receivers  # noqa: F401  the bus health check, the purge receiver
        from conduit import throttling  # noqa: F401  counts failed operator logins
