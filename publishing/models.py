"""A site's settings (issue 13): one row per tenant database, read by the site API, the feeds and the frontend."""
from django.db import models

from tenants.context import current_tenant

DEFAULT_ACCENT_COLOR = "#5cb85c"  # the Conduit green
DEFAULT_LANGUAGE = "en"
DEFAULT_TIMEZONE = "UTC"


class SiteSettings(models.Model):
    """The singleton (pk 1) of a tenant's database. No row yet means every default: read it with `load()`.

    `title` "" means "the tenant's name" (the name the operator gave it, else its slug): see `site_title`.
    `logo` is the id of an image in the site's media (media.models.Media); it is kept when the media is deleted
    and then answered as null.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=1000, blank=True)
    logo = models.UUIDField(null=True, blank=True)
    accent_color = models.CharField(max_length=7, default=DEFAULT_ACCENT_COLOR)
    language = models.CharField(max_length=35, default=DEFAULT_LANGUAGE)
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "publishing_site_settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="publishing_site_settings_singleton")]

    def __str__(self):
        return self.site_title

    @classmethod
    def load(cls) -> "SiteSettings":
        """The current tenant's settings: the stored row, or an unsaved one holding the defaults."""
        return cls.objects.filter(pk=cls.SINGLETON_ID).first() or cls()

    @property
    def site_title(self) -> str:
        """The title to show: the one set, else the tenant's name, else its slug."""
        if self.title:
            return self.title
        tenant = current_tenant()
        return (getattr(tenant, "name", "") or getattr(tenant, "slug", "") or "Conduit") if tenant else "Conduit"
