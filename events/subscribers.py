"""What else the worker runs, besides the index: apps register here in their AppConfig.ready().

- A **subscriber** is told about every event the worker finished (indexed without error), once per batch, after the
  index: webhooks queue deliveries, the CDN adapter purges tags. It must be quick and must not raise (an exception is
  logged and the batch goes on: the index is the source of truth for "consumed"); the same event may reach it twice
  after a worker restart, so it de-duplicates by `event.id`.
- A **task** is periodic work with its own thread in every worker (scheduled publishing, webhook delivery): called
  every `every` seconds until the worker stops; exceptions are logged and the loop goes on.
"""
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import close_old_connections, connections

from events.event import Event

log = logging.getLogger(__name__)

Subscriber = Callable[[Sequence[Event]], None]


@dataclass(frozen=True)
class Task:
    name: str
    run: Callable[[], None]
    every: float


_subscribers: dict[str, Subscriber] = {}
_tasks: dict[str, Task] = {}


def register_subscriber(name: str, subscriber: Subscriber) -> None:
    """Call `subscriber(events)` with each batch of finished events (re-registering a name replaces it)."""
    _subscribers[name] = subscriber


def register_task(name: str, run: Callable[[], None], *, every: float) -> None:
    """Run `run()` every `every` seconds in its own thread in each worker (re-registering a name replaces it)."""
    if every <= 0:
        raise ValueError(f"task {name!r}: every must be > 0 seconds, got {every}")
    _tasks[name] = Task(name, run, every)


def subscribers() -> dict[str, Subscriber]:
    return dict(_subscribers)


def tasks() -> list[Task]:
    return list(_tasks.values())


def notify(events: Sequence[Event]) -> None:
    """Tell every subscriber about `events` (already indexed); one failing subscriber never stops the others."""
    if not events:
        return
    for name, subscriber in list(_subscribers.items()):
        try:
            subscriber(events)
        except Exception:
            log.exception("event subscriber failed", extra={"subscriber": name, "events": len(events)})


def start_tasks(stopping: threading.Event) -> list[threading.Thread]:
    """One daemon thread per registered task, looping until `stopping` is set; returns them (to join)."""
    threads = []
    for task in tasks():
        thread = threading.Thread(target=_loop, args=(task, stopping), name=f"task-{task.name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def run_tasks_once() -> None:
    """Each task once, in this thread (the worker's --once mode)."""
    for task in tasks():
        try:
            task.run()
        except Exception:
            log.exception("worker task failed", extra={"task": task.name})


def _loop(task: Task, stopping: threading.Event) -> None:
    try:
        while not stopping.is_set():
            close_old_connections()
            try:
                task.run()
            except Exception:
                log.exception("worker task failed", extra={"task": task.name})
            stopping.wait(task.every)
    finally:
        connections.close_all()
