"""Writes of the RealWorld domain: each inside tenant_atomic(), saving through the ORM so signals fire."""
import secrets

from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import slugify

from accounts.audit import audit_record
from accounts.roles import is_owner
from conduit import exceptions
from conduit.messages import MESSAGES
from content import scheduling
from content.models import Article, Comment, Favorite, Follow, Tag
from tenants.context import require_tenant
from tenants.db import lock_rows, tenant_atomic, tenant_transaction

PUBLISHED, DRAFT, SCHEDULED = Article.Status.PUBLISHED, Article.Status.DRAFT, Article.Status.SCHEDULED


class Forbidden(exceptions.Forbidden):
    """The user may not change this object; `resource` (the field) names it for the error body."""


class Conflict(exceptions.Conflict):
    """A unique value is already taken."""


class Invalid(exceptions.Invalid):
    """A request that is well-formed but not allowed (422)."""


def _slug_base(title: str) -> str:
    return slugify(title, allow_unicode=True)[:200].strip("-_") or "article"


def _unique_slug(title: str, exclude_id: int | None = None) -> str:
    base = _slug_base(title)
    taken = Article.objects.filter(slug=base)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    return f"{base}-{secrets.token_hex(4)}" if taken.exists() else base


def _save_article(article: Article, tags: list[str] | None) -> Article:
    new = article.pk is None
    for attempt in range(3):
        try:
            return tenant_transaction(_save_article_once)(article, tags, new)
        except IntegrityError:  # a concurrent writer took the slug: try a suffixed one
            if attempt == 2:
                raise
            article.slug = f"{_slug_base(article.title)}-{secrets.token_hex(4)}"
    return article


def _save_article_once(article: Article, tags: list[str] | None, new: bool) -> Article:
    """One attempt (tenant_transaction re-runs it after a MongoDB write conflict): a new article is new again."""
    if new:
        article.pk, article._state.adding = None, True
    else:
        # The status stored now, not when the request loaded it (the scheduler may have published it meanwhile):
        # content/signals.py then names the change right. Locked until commit.
        stored = lock_rows(Article.objects.filter(pk=article.pk)).values_list("status", flat=True)
        article._stored_status = stored.first()
    article.save()
    if article.status == SCHEDULED:  # the worker must find this tenant by its publish_at
        scheduling.schedule_noted(slug=require_tenant().slug, publish_at=article.publish_at)
    if tags is not None:
        article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    return article


def _set_status(article: Article, status: str | None, publish_at=None) -> None:
    """Apply a requested status and/or publishAt (None: not requested). Scheduling needs a future publishAt (or the
    article's own, when it is already scheduled); publishAt with any other status is refused; leaving 'scheduled'
    by hand (publish now, cancel to draft) clears publish_at."""
    if status is None and publish_at is None:
        return
    target = status or article.status
    if target != SCHEDULED:
        if publish_at is not None:
            raise Invalid("publishAt", MESSAGES["publish_at_unexpected"])
        article.status, article.publish_at = status, None
        if status == PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
        return
    if publish_at is None:
        if article.status != SCHEDULED or article.publish_at is None:
            raise Invalid("publishAt", MESSAGES["publish_at_required"])
        return  # already scheduled: keeps its time
    if publish_at <= timezone.now():
        raise Invalid("publishAt", MESSAGES["publish_at_future"])
    article.status, article.publish_at = SCHEDULED, publish_at


def article_create(
    *, author, title: str, description: str, body: str, tags: list[str] = (), status: str = PUBLISHED,
    publish_at=None,
) -> Article:
    article = Article(author=author, title=title, description=description, body=body, slug=_unique_slug(title),
                      status=PUBLISHED)
    _set_status(article, status or PUBLISHED, publish_at)
    return _save_article(article, list(tags))


def article_update(*, article: Article, user, data: dict) -> Article:
    """Apply title/description/body/tagList/status/publishAt; a new title gives a new slug.

    Someone else's article: a site owner may unpublish it (`{"status": "draft"}` only, audited); anyone else 403.
    """
    if article.author_id != user.pk:
        if is_owner(user) and set(data) == {"status"} and data["status"] == DRAFT:
            return article_unpublish_by_owner(article=article, owner=user)
        raise Forbidden("article")
    if "title" in data and data["title"] != article.title:
        article.title = data["title"]
        article.slug = _unique_slug(article.title, exclude_id=article.pk)
    for field in ("description", "body"):
        if field in data:
            setattr(article, field, data[field])
    _set_status(article, data.get("status"), data.get("publishAt"))
    return _save_article(article, data.get("tagList"))


def article_unpublish_by_owner(*, article: Article, owner) -> Article:
    """Moderation: a site owner takes any article (published or scheduled) back to draft, audited with it."""
    before = article.status
    if before != DRAFT:
        article.status, article.publish_at = DRAFT, None
        tenant_transaction(_unpublish)(article, owner, before)
    return article


def _unpublish(article: Article, owner, before: str) -> None:
    _save_article(article, None)
    audit_record(actor=owner, action="article.unpublish", target=f"article:{article.slug}",
                 detail={"from": before, "author": article.author.get_username(), "title": article.title})


def article_delete(*, article: Article, user) -> None:
    if article.author_id != user.pk:
        raise Forbidden("article")
    with tenant_atomic():
        article.delete()


def _lock_article(article: Article) -> None:
    """Serialise the favourite writes of one article: without it two users favouriting at once on PostgreSQL (READ
    COMMITTED) each count only their own new row and the count loses one; on MongoDB the loser write-conflicts and
    is retried."""
    list(lock_rows(Article.objects.filter(pk=article.pk)).values_list("pk", flat=True))


def _recount_favorites(article: Article) -> None:
    article.favorites_count = Favorite.objects.filter(article=article).count()
    article.save(update_fields=["favorites_count"])  # leaves updated_at alone


def article_favorite(*, article: Article, user) -> Article:
    def favorite():
        _lock_article(article)
        Favorite.objects.get_or_create(article=article, user=user)
        _recount_favorites(article)  # concurrent favorites write-conflict on the article (MongoDB): retried
    tenant_transaction(favorite)()
    return article


def article_unfavorite(*, article: Article, user) -> Article:
    def unfavorite():
        _lock_article(article)
        for favorite in Favorite.objects.filter(article=article, user=user):
            favorite.delete()
        _recount_favorites(article)
    tenant_transaction(unfavorite)()
    return article


def comment_create(*, article: Article, author, body: str) -> Comment:
    with tenant_atomic():
        comment = Comment(article=article, author=author, body=body)
        comment.save()
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    """The comment's author, or a site owner (moderation, audited in the same transaction)."""
    moderated = comment.author_id != user.pk
    if moderated and not is_owner(user):
        raise Forbidden("comment")
    with tenant_atomic():
        if moderated:
            audit_record(actor=user, action="comment.remove", target=f"comment:{comment.pk}",
                         detail={"article": comment.article.slug, "author": comment.author.get_username(),
                                 "body": comment.body[:200]})
        comment.delete()


def profile_follow(*, follower, followee) -> None:
    if follower.pk == followee.pk:
        raise Invalid("profile", MESSAGES["cannot_follow_self"])
    tenant_transaction(lambda: Follow.objects.get_or_create(follower=follower, followee=followee))()


def profile_unfollow(*, follower, followee) -> None:
    def unfollow():
        for follow in Follow.objects.filter(follower=follower, followee=followee):
            follow.delete()
    tenant_transaction(unfollow)()
