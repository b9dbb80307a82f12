from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Creator media"

    def ready(self):
        from media import health, receivers  # noqa: F401
