"""Link previews of a tenant's public pages: what a shared /article/<slug> or /profile/<username> link shows."""
import re

from django.contrib.auth.models import AnonymousUser

from content import selectors
from spa.shell import Preview

DESCRIPTION_CHARS = 200
_MARKUP = re.compile(r"[#>*_`~\[\]()!|-]+|<[^>]*>")
_SPACE = re.compile(r"\s+")


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """One line of at most `limit` characters (the text itself: it is escaped when rendered, never parsed)."""
    text = _SPACE.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _from_markdown(body: str) -> str:
    """A short plain text from a markdown body: markup characters and tags dropped."""
    return _short(_MARKUP.sub(" ", body or ""))


def _image(request, url: str | None) -> str:
    """An absolute http(s) URL for og:image, or "" (never a javascript: or data: URL)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return request.build_absolute_uri(url)
    return url if url.lower().startswith(("https://", "http://")) else ""


def _site(request) -> str:
    tenant = getattr(request, "tenant", None)
    return tenant.name if tenant and tenant.name else "Conduit"


def article_preview(request, slug: str) -> Preview | None:
    """The preview of a published article, or None (drafts and unknown slugs show the plain page)."""
    try:
        article = selectors.article_get(slug=slug, user=AnonymousUser())
    except selectors.NotFound:
        return None
    if article.status != article.Status.PUBLISHED:
        return None
    site = _site(request)
    author = article.author
    extra = [("article:author", author.username)]
    if article.published_at:
        extra.append(("article:published_time", article.published_at.isoformat()))
    extra += [("article:tag", name) for name in sorted(article.tags.values_list("name", flat=True))]
    return Preview(
        title=f"{article.title} — {site}",
        description=_short(article.description) or _from_markdown(article.body) or f"An article by {author.username}",
        url=request.build_absolute_uri(request.path),
        type="article",
        site_name=site,
        image=_image(request, author.image),
        extra=tuple(extra),
    )


def profile_preview(request, username: str) -> Preview | None:
    """The preview of an existing profile, or None."""
    try:
        user = selectors.user_get(username=username)
    except selectors.NotFound:
        return None
    site = _site(request)
    return Preview(
        title=f"{user.username} — {site}",
        description=_short(user.bio) or f"Articles by {user.username} on {site}",
        url=request.build_absolute_uri(request.path),
        type="profile",
        site_name=site,
        image=_image(request, user.image),
        extra=(("profile:username", user.username),),
    )
