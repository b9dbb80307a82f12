from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content (per tenant)"

    def ready(self):
        from content import signals

        signals.connect()
