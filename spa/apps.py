from django.apps import AppConfig


class SpaConfig(AppConfig):
    name = "spa"
    verbose_name = "Conduit Frontend shell (tenant hosts, with link previews)"
