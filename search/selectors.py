"""Reads of the tenant database for search: documents to index, and hydrated result pages."""
from collections.abc import Iterator, Sequence

from content.models import Article, tag_names
from content.selectors import article_list_items
from search.documents import SearchDocument, document_from_article

PUBLISHED = Article.Status.PUBLISHED


def _published():
    return Article.objects.filter(status=PUBLISHED).select_related("author")


def _documents(articles) -> list[SearchDocument]:
    names = tag_names([a.id for a in articles])
    return [document_from_article(a, tags=names[a.id]) for a in articles]


def published_documents(*, ids: Sequence[int]) -> dict[int, SearchDocument]:
    """The documents of those ids that are published now; the others must leave the index."""
    return {d.id: d for d in _documents(list(_published().filter(id__in=list(ids))))}


def published_count() -> int:
    return Article.objects.filter(status=PUBLISHED).count()


def published_documents_iter(*, chunk: int = 500) -> Iterator[list[SearchDocument]]:
    """Every published article as documents, in id order, `chunk` at a time (keyset pagination)."""
    last = 0
    while True:
        page = list(_published().filter(id__gt=last).order_by("id")[:chunk])
        if not page:
            return
        last = page[-1].id
        yield _documents(page)


def articles_by_id(*, ids: Sequence[int], user) -> dict[int, dict]:
    """RealWorld list items of the published ones among `ids`, with favorited/following for `user`."""
    return article_list_items(ids=ids, user=user)
