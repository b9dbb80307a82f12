"""One search over the tenant's index in any mode: text (BM25), semantic (kNN) or hybrid (reciprocal rank fusion)."""
from dataclasses import dataclass

from conduit.conf import conduit_settings
from search.backends import get_backend
from search.documents import Filters, Hit
from search.enrichment import query_vector
from search.query import ParsedQuery
from search.ranking import reciprocal_rank_fusion

MODES = ("hybrid", "text", "semantic")
SEMANTIC_DEPTH = 100  # nearest neighbours considered per query (more when paging deeper)
MAX_DEPTH = 1000


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    mode: str
    degraded: bool = False


def _depth(limit, offset):
    return min(max(SEMANTIC_DEPTH, offset + limit), MAX_DEPTH)


def search(*, tenant: str, query: ParsedQuery, mode: str, filters: Filters, limit: int, offset: int) -> SearchResult:
    """While this process is still loading the model, hybrid and semantic degrade to text (degraded=True)."""
    backend = get_backend()
    if mode == "text":
        page = backend.text_search(tenant, query, filters, limit=limit, offset=offset)
        return SearchResult(hits=page.hits, total=page.total, mode="text")
    vector = query_vector(query.raw)
    if vector is None:
        page = backend.text_search(tenant, query, filters, limit=limit, offset=offset)
        return SearchResult(hits=page.hits, total=page.total, mode="text", degraded=True)
    depth = _depth(limit, offset)
    neighbours = backend.vector_search(
        tenant, vector, filters, k=depth, min_similarity=conduit_settings.SEARCH_MIN_SIMILARITY
    )
    if mode == "semantic":
        ranked, total = neighbours, len(neighbours)
    else:
        text = backend.text_search(tenant, query, filters, limit=depth, offset=0, highlight=False)
        ranked = reciprocal_rank_fusion([h.id for h in text.hits], [i for i, _ in neighbours])
        semantic_only = len(neighbours) - backend.count_matching(tenant, query, filters, [i for i, _ in neighbours])
        total = text.total + semantic_only
    page = ranked[offset : offset + limit]
    annotations = backend.annotations(tenant, query, [i for i, _ in page])
    hits = [Hit(i, score, *annotations.get(i, ({}, {}))) for i, score in page]
    return SearchResult(hits=hits, total=total, mode=mode)


def related(*, tenant: str, article_id: int, vector, limit: int) -> list[Hit]:
    """The published articles nearest in meaning to one article, itself excluded."""
    neighbours = get_backend().vector_search(
        tenant, vector, Filters(), k=limit, min_similarity=conduit_settings.SEARCH_MIN_SIMILARITY, exclude=(article_id,)
    )
    return [Hit(id=i, score=score) for i, score in neighbours]
