from django.apps import AppConfig


class HttpCacheConfig(AppConfig):
    name = "httpcache"
    verbose_name = "HTTP caching"

    def ready(self):
        from events.subscribers import register_subscriber
        from httpcache import purge, receivers

        receivers.connect()
        register_subscriber("httpcache", purge.on_events)
