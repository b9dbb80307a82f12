"""The JSON body of a delivery: `{id, type, occurred_at, site, data}`, `data` being the entity's state when the
worker consumed the event, read from the tenant's own models (for a deletion, or an entity already gone, its ids)."""
from datetime import datetime, timedelta

from django.apps import apps

from conduit.fields import iso
from content.models import Article, Comment, tag_names

SUBSCRIBABLE = ("article.published", "article.updated", "article.unpublished", "article.deleted",
                "comment.created", "site.updated")


CONSUMED = frozenset(SUBSCRIBABLE) | {"article.created"}
SAME_MOMENT = timedelta(seconds=1)


def body(event, site: dict, *, event_type: str | None = None, state: dict | None = None) -> dict:
    return {"id": event.id, "type": event_type or event.type, "occurred_at": event.occurred_at, "site": site,
            "data": data(event) if state is None else state}


def published_on_create(event) -> dict | None:
    """An `article.created` event of an article created published is, for webhooks, its `article.published` (content
    emits no separate one). Returns the article's state then; None when it was created as a draft or scheduled (its
    own `article.published` follows when it goes live) or is gone."""
    state = data(event)
    created, published = state.get("createdAt"), state.get("publishedAt")
    if state.get("status") != "published" or not created or not published:
        return None
    if _parse(published) - _parse(created) > SAME_MOMENT:
        return None  # published later than created: that publish has its own event
    return state


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def data(event) -> dict:
    builder = {"article": _article, "comment": _comment, "site": _site}.get(event.entity)
    if builder is None or event.type.endswith(".deleted"):
        return {"id": event.entity_id}
    return builder(event.entity_id)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _article(entity_id) -> dict:
    article = (Article.objects.select_related("author").filter(pk=_int(entity_id)).first()
               if _int(entity_id) is not None else None)
    if article is None:
        return {"id": entity_id}
    return {
        "id": article.pk, "slug": article.slug, "title": article.title, "description": article.description,
        "body": article.body, "tagList": sorted(tag_names([article.pk])[article.pk]), "status": article.status,
        "author": {"username": article.author.username}, "createdAt": iso(article.created_at),
        "updatedAt": iso(article.updated_at), "publishedAt": iso(article.published_at) if article.published_at else None,
    }


def _comment(entity_id) -> dict:
    comment = (Comment.objects.select_related("author", "article").filter(pk=_int(entity_id)).first()
               if _int(entity_id) is not None else None)
    if comment is None:
        return {"id": entity_id}
    return {"id": comment.pk, "body": comment.body, "author": {"username": comment.author.username},
            "article": {"id": comment.article_id, "slug": comment.article.slug},
            "createdAt": iso(comment.created_at), "updatedAt": iso(comment.updated_at)}


SITE_FIELDS = ("title", "description", "logo", "accent_color", "language", "timezone")
CAMEL = {"accent_color": "accentColor"}


def _site(entity_id) -> dict:
    """The site settings (issue 13's singleton model, found by name so that this module imports no other feature's
    app): what `GET /api/site` shows, with the title falling back as the site's own title does."""
    model = next((m for m in apps.get_models() if m._meta.model_name == "sitesettings"), None)
    if model is None:
        return {"id": entity_id}
    row = model.load() if hasattr(model, "load") else model.objects.first()
    if row is None:
        return {"id": entity_id}
    out = {"id": entity_id}
    for name in SITE_FIELDS:
        if hasattr(row, name):
            value = getattr(row, name)
            out[CAMEL.get(name, name)] = value if value is None or isinstance(value, (str, int, float, bool)) \
                else str(value)
    if getattr(row, "site_title", None):
        out["title"] = row.site_title
    return out
