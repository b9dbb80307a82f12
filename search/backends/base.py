"""The interface every search backend implements; tenants are addressed by slug and never share an index."""
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

import numpy as np

from search.documents import Filters, HitPage, SearchDocument
from search.query import ParsedQuery


class SearchBackend(ABC):
    name = "base"

    @abstractmethod
    def upsert(self, tenant: str, docs: Sequence[SearchDocument]) -> list[int]:
        """Index documents (text searchable on return); returns the ids whose vector is missing or stale."""

    @abstractmethod
    def delete(self, tenant: str, ids: Iterable[int]) -> None:
        """Remove documents and their vectors; unknown ids are ignored."""

    @abstractmethod
    def set_vectors(self, tenant: str, vectors: dict[int, tuple[np.ndarray, str]]) -> list[int]:
        """Store {id: (unit vector, text_hash it was computed from)} where the index still holds that text;
        returns the ids stored."""

    @abstractmethod
    def pending_vectors(self, tenant: str) -> list[int]:
        """Ids indexed by text whose vector is still missing or stale (persisted across restarts)."""

    @abstractmethod
    def text_search(
        self, tenant: str, query: ParsedQuery, filters: Filters, *, limit: int, offset: int, highlight: bool = True
    ) -> HitPage:
        """BM25-ranked hits (with highlights unless told not to) and the total number of matches."""

    @abstractmethod
    def vector_search(
        self, tenant: str, vector: np.ndarray, filters: Filters, *, k: int, min_similarity: float, exclude=()
    ) -> list[tuple[int, float]]:
        """Up to k (id, cosine similarity) nearest neighbours, best first."""

    @abstractmethod
    def annotations(self, tenant: str, query: ParsedQuery, ids: Sequence[int]) -> dict[int, tuple[dict, dict]]:
        """{id: (highlighted title/body snippets for the query, details)} of the given documents."""

    @abstractmethod
    def count_matching(self, tenant: str, query: ParsedQuery, filters: Filters, ids: Sequence[int]) -> int:
        """How many of `ids` the text query matches."""

    @abstractmethod
    def lookup(self, tenant: str, slug: str) -> tuple[int, np.ndarray | None] | None:
        """(id, vector or None) of the indexed document with this slug, None when it is not indexed."""

    @abstractmethod
    def stats(self, tenant: str) -> dict:
        """{"documents": n, "vectors": n, "pending": n}."""

    @abstractmethod
    def clear(self, tenant: str) -> None:
        """Remove every document of the tenant but keep the index (reindex starts from here)."""

    @abstractmethod
    def drop(self, tenant: str) -> None:
        """Delete the tenant's whole index; a missing index is not an error."""

    @abstractmethod
    def health(self) -> dict:
        """Raise when the backend is unusable; return details for /api/health."""
