from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content (per tenant)"
    control_models = frozenset({"schedulemarker"})  # the rest lives in each tenant's database (tenants.router)

    def ready(self):
        from content import scheduling, signals

        signals.connect()
        scheduling.register()
