from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants (control plane)"

    def ready(self):
        from tenants import health, signals  # noqa: F401  the tenant_db health check, registry notifications
        from conduit.errors import register_retryable
        from tenants.db import is_transient

        register_retryable(is_transient)  # MongoDB write conflicts left after retries: 503 + Retry-After, not 500
