from django.apps import AppConfig


class ConduitConfig(AppConfig):
    name = "conduit"
    verbose_name = "Conduit kernel"

    def ready(self):
        from conduit import throttling  # noqa: F401  counts failed operator logins
