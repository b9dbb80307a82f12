"""The background embedder of a worker process: adds vectors for indexed articles as it catches up, in batches."""
import logging
import threading
import time
from collections import OrderedDict

from search.backends import get_backend
from search.enrichment import embedder as model

log = logging.getLogger(__name__)
BATCH = 32


class BackgroundEmbedder:
    """A queue {tenant: {article id: [events]}} drained by one thread; the backend persists what is still pending.

    `embed(tenant=, ids=, events=, notify=)` embeds and stores one batch and returns how many it stored (the
    indexing module passes its own, so this module never imports it back)."""

    def __init__(self, *, notify, embed):
        self._notify = notify
        self._embed = embed
        self._queue: dict[str, OrderedDict] = {}
        self._cond = threading.Condition()
        self._in_flight = 0
        self._thread = None
        self._stopping = threading.Event()
        self._finish_by = None

    def enqueue(self, tenant: str, items: dict[int, list]):
        with self._cond:
            pending = self._queue.setdefault(tenant, OrderedDict())
            for article_id, events in items.items():
                pending.setdefault(article_id, []).extend(events)
            self._cond.notify()

    def forget(self, tenant: str):
        with self._cond:
            self._queue.pop(tenant, None)

    def backlog(self) -> int:
        with self._cond:
            return sum(len(p) for p in self._queue.values()) + self._in_flight

    def _take(self, tenant=None):
        """Up to BATCH ids of `tenant`, or of the tenant with the most work (batches stay large)."""
        tenant = tenant or max(self._queue, key=lambda t: len(self._queue[t]))
        pending = self._queue[tenant]
        batch = OrderedDict(pending.popitem(last=False) for _ in range(min(BATCH, len(pending))))
        if not pending:
            del self._queue[tenant]
        self._in_flight = len(batch)
        return tenant, batch

    def drain(self, *, tenant: str | None = None, on_batch=None) -> int:
        """Embed what is queued (for `tenant` only, if given) in the calling thread; returns how many were embedded.
        A failure is raised to the caller (the ids stay pending in the index)."""
        done = 0
        while True:
            with self._cond:
                if not self._queue or (tenant is not None and tenant not in self._queue):
                    return done
                batch_tenant, batch = self._take(tenant)
            done += self._run(batch_tenant, batch, retry=False)
            if on_batch:
                on_batch(done)

    def _run(self, tenant, batch, retry=True) -> int:
        try:
            return self._embed(tenant=tenant, ids=list(batch), events=batch, notify=self._notify)
        except Exception:
            if not retry:
                raise
            log.exception("embedding failed; the ids stay pending", extra={"tenant": tenant, "count": len(batch)})
            if not self._stopping.is_set():
                self.enqueue(tenant, batch)
                self._stopping.wait(2.0)  # back off; the ids also stay pending in the index
            return 0
        finally:
            with self._cond:
                self._in_flight = 0

    def _keep_going(self):
        """Before stop: always. After stop: while there is work and the grace period lasts."""
        if not self._stopping.is_set():
            return True
        return bool(self._queue) and self._finish_by is not None and time.monotonic() < self._finish_by

    def _loop(self):
        try:
            model.load()
        except Exception:
            log.exception("the embedding model did not load; vectors stay pending in the indexes")
            return
        while True:
            with self._cond:
                while not self._queue and not self._stopping.is_set():
                    self._cond.wait(1.0)
                if not self._keep_going() or not self._queue:
                    return
                tenant, batch = self._take()
            self._run(tenant, batch)

    def start(self):
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._finish_by = None
        self._thread = threading.Thread(target=self._loop, name="search-embedder", daemon=True)
        self._thread.start()

    def stop(self, timeout: float) -> bool:
        """Keep embedding while the grace period lasts (`timeout` less a margin for the batch in hand), then stop;
        the rest stays pending in the index for the next start. True if the thread stopped in time."""
        self._finish_by = time.monotonic() + max(timeout - 5, timeout / 2)
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout)
            stopped = not self._thread.is_alive()
            self._thread = None if stopped else self._thread
            return stopped
        return True


def pending_from_index(tenants) -> dict[str, list[int]]:
    """What each tenant's index still marks as needing a vector (work left by a previous process)."""
    backend = get_backend()
    return {slug: ids for slug in tenants if (ids := backend.pending_vectors(slug))}

