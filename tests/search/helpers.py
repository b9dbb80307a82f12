"""Small builders for search tests."""
from datetime import datetime, timezone

import numpy as np

from events.event import Event
from search.documents import SearchDocument
from search.enrichment import text_hash

NOW = datetime(2026, 11, 26, tzinfo=timezone.utc)


def doc(id, title="", body="", *, description="", tags=(), author="ann", slug=None):
    text = "\n".join(p for p in (title, description, body) if p)
    return SearchDocument(id=id, slug=slug or f"a-{id}", title=title, description=description, body=body,
                          author=author, created_at=NOW, tags=tuple(tags), text_hash=text_hash(text))


def unit(seed, dims=384):
    v = np.random.default_rng(seed).standard_normal(dims).astype(np.float32)
    return v / np.linalg.norm(v)


def event(tenant, article, type="article.updated"):
    return Event(type=type, tenant=getattr(tenant, "slug", tenant), entity="article", entity_id=str(article.id))


def writer(username="writer"):
    from accounts.models import User

    return User.objects.create_user(username=username, email=f"{username}@example.com", password="pw-12345678")


def publish(author, title, body, *, description="", tags=(), status="published"):
    from content.services import article_create

    return article_create(author=author, title=title, description=description, body=body, tags=list(tags),
                          status=status)
