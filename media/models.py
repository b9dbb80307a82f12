"""Creator media (images, audio, video): metadata in the tenant database, bytes in the media storage."""
import uuid

from django.conf import settings
from django.db import models


class Media(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        AUDIO = "audio", "Audio"
        VIDEO = "video", "Video"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="media", on_delete=models.CASCADE)
    key = models.CharField(max_length=512, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="media_owner_created")]
        verbose_name_plural = "media"

    def __str__(self):
        return self.key
