from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Creator media"

    def ready(self):
        from media import health, receivers  # noqa: F401  the storage health check, the purge receiver
        from media.transfer import MEDIA_FILES
        from tenants.transfer.files import register_tenant_files

        register_tenant_files(MEDIA_FILES)  # media joins tenant export/import
