"""Thin handlers: an Article or Comment change writes an outbox event in the same transaction (events.outbox)."""
from django.db.models.signals import post_delete, post_init, post_save

from content.models import Article, Comment

SEARCH_IRRELEVANT_FIELDS = frozenset({"favorites_count"})  # a favourite changes no indexed text


def _remember_status(sender, instance, **kwargs):
    # Deferred status (e.g. .only("id")) is not loaded here: reading it would cost a query per row.
    instance._stored_status = instance.__dict__.get("status")


def _event_type(instance, created, update_fields):
    if created:
        return "article.created"
    if update_fields is not None and set(update_fields) <= SEARCH_IRRELEVANT_FIELDS:
        return None
    before, now = getattr(instance, "_stored_status", None), instance.status
    published = Article.Status.PUBLISHED
    if now == published and before != published:
        return "article.published"
    if before == published and now != published:
        return "article.unpublished"
    if now != published:
        return None  # a draft edited: nothing searchable changed
    return "article.updated"


def _article_saved(sender, instance, created, using, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    event_type = _event_type(instance, created, update_fields)
    instance._stored_status = instance.status
    if event_type:
        from events.outbox import outbox_record

        outbox_record(event_type=event_type, entity="article", entity_id=str(instance.pk), using=using)


def _article_deleted(sender, instance, using, origin=None, **kwargs):
    from events.outbox import outbox_record

    outbox_record(event_type="article.deleted", entity="article", entity_id=str(instance.pk), using=using)


def _comment_saved(sender, instance, created, using, raw=False, **kwargs):
    if created and not raw:  # comments are not edited through the API; an edit would be no event anyone needs
        from events.outbox import outbox_record

        outbox_record(event_type="comment.created", entity="comment", entity_id=str(instance.pk), using=using)


def _comment_deleted(sender, instance, using, origin=None, **kwargs):
    if isinstance(origin, Article):  # the article's own article.deleted covers its comments
        return
    from events.outbox import outbox_record

    outbox_record(event_type="comment.deleted", entity="comment", entity_id=str(instance.pk), using=using)


def connect():
    post_init.connect(_remember_status, sender=Article, dispatch_uid="content.article.status")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="content.article.saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="content.article.deleted")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="content.comment.saved")
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="content.comment.deleted")
