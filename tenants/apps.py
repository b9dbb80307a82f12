from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants (control plane)"

    def ready(self):
        from tenants import health, signals  # noqa: F401  the tenant_db health check, registry notifications
