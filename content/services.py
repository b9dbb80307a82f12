"""Writes of the RealWorld domain: each inside tenant_atomic(), saving through the ORM so signals fire."""
import secrets

from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import slugify

from conduit import exceptions
from conduit.messages import MESSAGES
from content.models import Article, Comment, Favorite, Follow, Tag
from tenants.db import tenant_atomic

PUBLISHED = Article.Status.PUBLISHED


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
    for attempt in range(3):
        try:
            with tenant_atomic():
                article.save()
                if tags is not None:
                    article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
            return article
        except IntegrityError:  # a concurrent writer took the slug: try a suffixed one
            if attempt == 2:
                raise
            article.slug = f"{_slug_base(article.title)}-{secrets.token_hex(4)}"
    return article


def _set_status(article: Article, status: str) -> None:
    article.status = status
    if status == PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()


def article_create(
    *, author, title: str, description: str, body: str, tags: list[str] = (), status: str = PUBLISHED
) -> Article:
    article = Article(author=author, title=title, description=description, body=body, slug=_unique_slug(title))
    _set_status(article, status)
    return _save_article(article, list(tags))


def article_update(*, article: Article, user, data: dict) -> Article:
    """Apply title/description/body/tagList/status; a new title gives a new slug."""
    if article.author_id != user.pk:
        raise Forbidden("article")
    if "title" in data and data["title"] != article.title:
        article.title = data["title"]
        article.slug = _unique_slug(article.title, exclude_id=article.pk)
    for field in ("description", "body"):
        if field in data:
            setattr(article, field, data[field])
    if "status" in data:
        _set_status(article, data["status"])
    return _save_article(article, data.get("tagList"))


def article_delete(*, article: Article, user) -> None:
    if article.author_id != user.pk:
        raise Forbidden("article")
    with tenant_atomic():
        article.delete()


def _recount_favorites(article: Article) -> None:
    article.favorites_count = Favorite.objects.filter(article=article).count()
    article.save(update_fields=["favorites_count"])  # leaves updated_at alone


def article_favorite(*, article: Article, user) -> Article:
    with tenant_atomic():
        Favorite.objects.get_or_create(article=article, user=user)
        _recount_favorites(article)
    return article


def article_unfavorite(*, article: Article, user) -> Article:
    with tenant_atomic():
        for favorite in Favorite.objects.filter(article=article, user=user):
            favorite.delete()
        _recount_favorites(article)
    return article


def comment_create(*, article: Article, author, body: str) -> Comment:
    with tenant_atomic():
        comment = Comment(article=article, author=author, body=body)
        comment.save()
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    if comment.author_id != user.pk:
        raise Forbidden("comment")
    with tenant_atomic():
        comment.delete()


def profile_follow(*, follower, followee) -> None:
    if follower.pk == followee.pk:
        raise Invalid("profile", MESSAGES["cannot_follow_self"])
    with tenant_atomic():
        Follow.objects.get_or_create(follower=follower, followee=followee)


def profile_unfollow(*, follower, followee) -> None:
    with tenant_atomic():
        for follow in Follow.objects.filter(follower=follower, followee=followee):
            follow.delete()
