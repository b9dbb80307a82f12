"""The worker: consume events in batches, index them, retry failures with backoff, sweep outboxes, report."""
import contextlib
import logging
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connections
from django.utils import timezone

from conduit.conf import conduit_settings
from conduit.metrics import EVENTS_CONSUMED
from events import failures, subscribers, sweeper
from events.bus import Delivery, get_bus
from events.event import Event
from events.handler import EventHandler, load_handler
from events.ingest import IngestRecorder, samples_prune
from events.models import WorkerStatus

log = logging.getLogger(__name__)
STATUS_EVERY, DIRTY_EVERY, PRUNE_EVERY = 2.0, 1.0, 600.0
ONCE_IDLE_LIMIT = 30.0  # --once gives up when nothing moved for this long (e.g. another member holds the work)


class Handler:
    """Runs batches through the EventHandler (by default the one CONDUIT_EVENT_HANDLER names), tenant by tenant."""

    def __init__(self, handler: str | EventHandler):
        self.target = load_handler(handler) if isinstance(handler, str) else handler

    def run(self, events: Sequence[Event], pool: ThreadPoolExecutor | None = None) -> list[BaseException | None]:
        """One result per event, in order. With a pool, each tenant's events go in their own concurrent call
        (index commits are per tenant and release the GIL while they flush)."""
        by_tenant = defaultdict(list)
        for position, event in enumerate(events):
            by_tenant[event.tenant].append(position)
        if pool is None or len(by_tenant) < 2:
            return self._call(events)
        results = [None] * len(events)
        calls = {pool.submit(self._call_closing, [events[i] for i in positions]): positions
                 for positions in by_tenant.values()}
        for future, positions in calls.items():
            for position, result in zip(positions, future.result()):
                results[position] = result
        return results

    def _call_closing(self, events: Sequence[Event]) -> list[BaseException | None]:
        try:
            return self._call(events)
        finally:
            connections.close_all()  # pool threads must not pile up connections to tenants evicted meanwhile

    def _call(self, events: Sequence[Event]) -> list[BaseException | None]:
        try:
            results = list(self.target.index(events))
        except Exception as exc:
            return [exc] * len(events)
        if len(results) != len(events):
            return [RuntimeError(f"handler returned {len(results)} results for {len(events)} events")] * len(events)
        return results


class Worker:
    def __init__(self, *, once: bool = False, handler: Handler | None = None):
        self.once = once
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.group = conduit_settings.KAFKA_GROUP
        self.bus = get_bus()
        self.handler = handler or Handler(conduit_settings.EVENT_HANDLER)
        self.recorder = IngestRecorder()
        self.stopping = threading.Event()
        self.consumed = 0
        self._hooked_text = False
        self.pool = ThreadPoolExecutor(max_workers=conduit_settings.WORKER_THREADS, thread_name_prefix="index")

    def stop(self, *args) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Consume until stopped (or, with once=True, until nothing is pending). Returns events consumed."""
        started_at = timezone.now()
        self._hooked_text = self.handler.target.on_searchable(self.recorder.searchable)
        self.handler.target.start()
        sweeper.sweep_all(min_age=0.0 if self.once else 5.0)
        background = None if self.once else threading.Thread(target=self._background, name="sweeper", daemon=True)
        if background:
            background.start()
        if self.once:
            subscribers.run_tasks_once()  # e.g. publish what is overdue, so its events are in this drain
        task_threads = [] if self.once else subscribers.start_tasks(self.stopping)
        consumer = self.bus.consumer(group=self.group, member=self.name)
        progress_at = time.monotonic()
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    batch = consumer.poll(max_events=conduit_settings.WORKER_BATCH_SIZE, timeout=0.5)
                    if batch:
                        self._process(batch)
                        consumer.commit(batch)
                    retried = self._retry_due()
                    self.recorder.flush()
                except Exception:  # e.g. the control DB is briefly unavailable: redeliver from the committed offset
                    log.exception("worker loop failed; rejoining from the committed offsets")
                    with contextlib.suppress(Exception):
                        consumer.close()
                    self.stopping.wait(1.0)
                    consumer = self.bus.consumer(group=self.group, member=self.name)
                    continue
                if batch or retried:
                    progress_at = time.monotonic()
                if self.once and not batch and not retried and self._drained():
                    break
                if self.once and time.monotonic() - progress_at > ONCE_IDLE_LIMIT:
                    log.warning("--once: no progress, leaving the rest to another run", extra={"lag": self._lag()})
                    break
                if self.once and not batch and not retried:
                    time.sleep(0.05)  # joining the group, or waiting out a retry's backoff
        finally:
            consumer.close()
            self.stopping.set()
            self.pool.shutdown(wait=True)
            self.handler.target.stop(timeout=20.0)
            self.recorder.flush()
            if background:
                background.join(timeout=10)
            for thread in task_threads:
                thread.join(timeout=10)
            WorkerStatus.objects.filter(name=self.name).delete()
            log.info("worker stopped", extra={"consumed": self.consumed, "since": started_at.isoformat()})
        return self.consumed

    def _lag(self) -> int | None:
        try:
            return self.bus.lag(group=self.group)
        except Exception:
            return None

    def _drained(self) -> bool:
        return not failures.failures_pending() and self._lag() == 0

    def _process(self, batch: Sequence[Delivery]) -> None:
        events = [d.event for d in batch]
        started = time.perf_counter()
        results = self.handler.run(events, self.pool)
        done_at = time.time()
        log.debug("batch indexed", extra={"events": len(events), "tenants": len({e.tenant for e in events}),
                                          "ms": round((time.perf_counter() - started) * 1000, 1)})
        for event, error in zip(events, results):
            if error is None:
                if not self._hooked_text:
                    self.recorder.searchable(event, "text", done_at)
            else:
                log.warning("indexing failed; will retry", extra={"event": event.to_dict(), "error": str(error)})
                failures.failure_record(event=event, error=error)
        subscribers.notify([event for event, error in zip(events, results) if error is None])
        ok = sum(1 for error in results if error is None)
        self.consumed += ok
        EVENTS_CONSUMED.inc(ok)

    def _retry_due(self) -> int:
        due = failures.failures_claim_due(limit=conduit_settings.WORKER_BATCH_SIZE)
        if not due:
            return 0
        events = [Event.from_dict(f.payload) for f in due]
        results = self.handler.run(events, self.pool)
        for failure, event, error in zip(due, events, results):
            if error is not None:
                failures.failure_record(event=event, error=error, attempts=failure.attempts + 1)
            elif not self._hooked_text:
                self.recorder.searchable(event, "text", time.time())
        failures.failures_resolved(event_ids=[e.id for e, error in zip(events, results) if error is None])
        subscribers.notify([event for event, error in zip(events, results) if error is None])
        ok = sum(1 for error in results if error is None)
        self.consumed += ok
        EVENTS_CONSUMED.inc(ok)
        return len(due)

    def _background(self) -> None:
        """Sweeps, status and pruning, off the consume loop so they never delay indexing."""
        last = {"dirty": 0.0, "full": time.monotonic(), "status": 0.0, "prune": 0.0}
        started_at = timezone.now()
        try:
            while not self.stopping.wait(0.2):
                now = time.monotonic()
                try:
                    if now - last["dirty"] >= DIRTY_EVERY:
                        last["dirty"] = now
                        sweeper.sweep_dirty()
                    if now - last["full"] >= conduit_settings.OUTBOX_SWEEP_SECONDS:
                        last["full"] = now
                        sweeper.sweep_all()
                    if now - last["status"] >= STATUS_EVERY:
                        last["status"] = now
                        self._report(started_at)
                    if now - last["prune"] >= PRUNE_EVERY:
                        last["prune"] = now
                        samples_prune()
                        self.bus.prune()
                except Exception:
                    log.exception("worker background task failed")
        finally:
            connections.close_all()

    def _report(self, started_at) -> None:
        lag = self._lag()
        backlog = self.handler.target.backlog()
        WorkerStatus.objects.update_or_create(name=self.name, defaults={
            "bus": self.bus.name, "started_at": started_at, "heartbeat_at": timezone.now(),
            "lag": lag, "embedding_backlog": backlog, "consumed": self.consumed,
        })
