"""The RealWorld domain, stored in each tenant's own database."""
from django.conf import settings
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"  # a draft the worker publishes at `publish_at` (content/scheduling.py)

    slug = models.SlugField(max_length=255, unique=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="articles", on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    favorites_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When a scheduled article is due; kept once the worker published it (published_at - publish_at = lateness),
    # cleared when the author cancels (draft) or publishes by hand.
    publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="article_status_created"),
            models.Index(fields=["status", "publish_at"], name="article_status_publish_at"),  # due = a range scan
            # Feeds (feeds/): the newest published articles by publication time, read from the index's end.
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
        ]

    def __str__(self):
        return self.slug


class ScheduleMarker(models.Model):
    """Control DB (ContentConfig.control_models): a lower bound of the next due time of a tenant's scheduled
    articles, so the worker's tick is one indexed query over all tenants instead of one per tenant.

    Lowered by every schedule/reschedule (before and after its tenant commit), recomputed by the worker after it
    published what was due (compare-and-set on `version`, so a schedule that raced it is never lost), repaired by a
    slow sweep of every tenant (content/scheduling.py).
    """

    slug = models.CharField(max_length=63, unique=True)
    next_due = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "content_schedulemarker"

    def __str__(self):
        return f"{self.slug} {self.next_due}"


class Comment(models.Model):
    article = models.ForeignKey(Article, related_name="comments", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="comments", on_delete=models.CASCADE)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="following_set", on_delete=models.CASCADE)
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="follower_set", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "followee"], name="unique_follow")]


class Favorite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="favorites", on_delete=models.CASCADE)
    article = models.ForeignKey(Article, related_name="favorites", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="unique_favorite")]


def tag_names(article_ids) -> dict[int, list[str]]:
    """The tag names of each of these articles, by id. Two single-table queries, so it works on every engine:
    MongoDB's backend refuses prefetch_related() of a many-to-many relation."""
    names = {int(i): [] for i in article_ids}
    if names:
        links = list(Article.tags.through.objects.filter(article_id__in=list(names)).values_list("article_id", "tag_id"))
        by_id = dict(Tag.objects.filter(pk__in={t for _, t in links}).values_list("pk", "name"))
        for article_id, tag_id in links:
            names[int(article_id)].append(by_id[tag_id])
    return names
