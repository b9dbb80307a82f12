from django.apps import AppConfig


class ConduitConfig(AppConfig):
    name = "conduit"
    verbose_name = "Conduit platform"
