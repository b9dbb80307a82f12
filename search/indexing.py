"""The worker's event handler (events.handler.EventHandler): index events now, embed them in the background."""
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from events.handler import EventHandler
from search.backends import get_backend
from search.embedder import BackgroundEmbedder, pending_from_index
from search.enrichment import embedder as model
from search.selectors import published_documents
from tenants.context import tenant_context
from tenants.selectors import TenantNotFound

log = logging.getLogger(__name__)
_callbacks: list[Callable] = []


def on_searchable(callback: Callable) -> Callable:
    """Register callback(event, stage: "text" | "vector", at: epoch seconds), called when a change became searchable."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def _notify(events, stage: str, at: float):
    for event in events:
        for callback in _callbacks:
            try:
                callback(event, stage, at)
            except Exception:  # a metrics hook must never fail indexing
                log.exception("on_searchable callback failed")


def _article_id(event) -> int:
    article_id = int(event.entity_id)
    if article_id <= 0:
        raise ValueError("not a positive id")
    return article_id


def index_events(events: Sequence) -> list[Exception | None]:
    """Bring the index in line with the current state of each event's article; one result per event, in order."""
    results: list[Exception | None] = [None] * len(events)
    groups = defaultdict(list)
    for position, event in enumerate(events):
        if event.entity != "article":
            continue  # comments are not searched
        try:
            groups[event.tenant].append((position, _article_id(event), event))
        except ValueError:
            results[position] = ValueError(f"event {event.id}: entity_id {event.entity_id!r} is not an article id")
    for tenant, items in groups.items():
        try:
            _index_tenant(tenant, items)
        except TenantNotFound:
            _embedder.forget(tenant)  # purged or unknown: nothing to index
        except Exception as exc:
            for position, _, _ in items:
                results[position] = exc
    return results


def _index_tenant(tenant: str, items):
    backend = get_backend()
    events_by_id = defaultdict(list)
    for _, article_id, event in items:
        events_by_id[article_id].append(event)
    with tenant_context(tenant):
        docs = published_documents(ids=list(events_by_id))
    stale = set(backend.upsert(tenant, list(docs.values()))) if docs else set()
    backend.delete(tenant, [i for i in events_by_id if i not in docs])
    now = time.time()
    _notify([event for _, _, event in items], "text", now)
    _notify([e for i, evs in events_by_id.items() if i in docs and i not in stale for e in evs], "vector", now)
    if stale:
        _embedder.enqueue(tenant, {i: events_by_id[i] for i in stale})


def embed_articles(*, tenant: str, ids: Sequence[int], events=None, notify=_notify) -> int:
    """Embed the published articles among `ids` and store their vectors; returns how many were embedded."""
    try:
        with tenant_context(tenant):
            docs = published_documents(ids=ids)
    except TenantNotFound:
        return 0
    if not docs:
        return 0
    vectors = model.embed([doc.text for doc in docs.values()])
    pairs = {i: (vector, doc.text_hash) for (i, doc), vector in zip(docs.items(), vectors)}
    stored = get_backend().set_vectors(tenant, pairs)
    notify([e for i in stored for e in (events or {}).get(i, [])], "vector", time.time())
    return len(stored)


_embedder = BackgroundEmbedder(notify=_notify, embed=embed_articles)


def _active_tenants() -> list[str]:
    from tenants.selectors import tenant_list

    return [t.slug for t in tenant_list(include_deleted=False)]


def _enqueue_persisted(tenants: Sequence[str]):
    for tenant, ids in pending_from_index(tenants).items():
        _embedder.enqueue(tenant, {i: [] for i in ids})


def start_embedder():
    """Start the background embedder, first queueing what the indexes still mark as needing a vector."""
    _enqueue_persisted(_active_tenants())
    _embedder.start()


def stop_embedder(timeout: float = 30.0) -> bool:
    """Finish the batch in hand and stop; unfinished work stays pending in the index for the next start."""
    return _embedder.stop(timeout)


def embedding_backlog() -> int:
    return _embedder.backlog()


def embed_pending(*, tenant: str, on_batch: Callable[[int], None] | None = None) -> int:
    """Embed, in the calling thread, every article of `tenant` whose vector is missing or stale."""
    _enqueue_persisted([tenant])
    return _embedder.drain(tenant=tenant, on_batch=on_batch)


def embedding_forget(*, tenant: str) -> None:
    """Drop `tenant`'s queued embedding work (its index is going away)."""
    _embedder.forget(tenant)


class SearchIndexer(EventHandler):
    """CONDUIT_EVENT_HANDLER's default: text indexed in the batch, vectors by the background embedder."""

    def index(self, events):
        return index_events(events)

    def on_searchable(self, callback) -> bool:
        on_searchable(callback)
        return True

    def start(self) -> None:
        start_embedder()

    def stop(self, timeout: float) -> bool:
        return stop_embedder(timeout)

    def backlog(self) -> int:
        return embedding_backlog()


indexer = SearchIndexer()
