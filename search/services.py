"""Writes to the search indexes that are not event-driven: rebuild a tenant's index, drop it on purge."""
from collections.abc import Callable

from search.backends import get_backend
from search.indexing import embed_pending, embedding_forget
from search.selectors import published_count, published_documents_iter
from tenants.context import tenant_context


def search_reindex(*, tenant: str, progress: Callable[[str], None] = lambda line: None) -> dict:
    """Rebuild `tenant`'s index from its database: all text first (searchable at once), then the vectors."""
    backend = get_backend()
    backend.clear(tenant)
    indexed = 0
    with tenant_context(tenant):
        total = published_count()
        for docs in published_documents_iter(chunk=500):
            backend.upsert(tenant, docs)
            indexed += len(docs)
            progress(f"{tenant}: text {indexed}/{total}")
    pending = len(backend.pending_vectors(tenant))
    embedded = embed_pending(tenant=tenant, on_batch=lambda done: progress(f"{tenant}: vectors {done}/{pending}"))
    return {"tenant": tenant, "documents": indexed, "vectors": embedded, **backend.stats(tenant)}


def search_index_drop(*, tenant: str) -> None:
    """Delete every trace of `tenant` in search (its index and queued embedding work)."""
    embedding_forget(tenant=tenant)
    get_backend().drop(tenant)
