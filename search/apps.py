from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search and ingestion"

    def ready(self):
        from search import receivers  # noqa: F401  (purge hook and health check)
