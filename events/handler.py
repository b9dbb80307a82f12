"""The contract between the worker and what indexes events (CONDUIT_EVENT_HANDLER names an EventHandler instance)."""
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from django.utils.module_loading import import_string

from events.event import Event

Searchable = Callable[[Event, str, float], None]  # (event, stage "text" | "vector", epoch seconds)


class EventHandler(ABC):
    """`index` is required; the hooks have do-nothing defaults, so a handler overrides only what it has."""

    @abstractmethod
    def index(self, events: Sequence[Event]) -> list[BaseException | None]:
        """Bring the derived state in line with each event; one result per event, in order (None = done)."""

    def on_searchable(self, callback: Searchable) -> bool:
        """Register `callback` to be told when an event's change became searchable, per stage. Return True if the
        handler calls it (then the worker records no "text" sample of its own), False if it never will."""
        return False

    def start(self) -> None:
        """Start background work (e.g. the embedder) before the worker consumes."""

    def stop(self, timeout: float) -> bool:
        """Finish or hand back background work within `timeout` seconds; True if it stopped in time."""
        return True

    def backlog(self) -> int | None:
        """Work accepted but not finished in the background (None: the handler has no such work)."""
        return None


def load_handler(path: str) -> EventHandler:
    """The EventHandler instance at dotted `path`; refuses anything else, naming the setting."""
    handler = import_string(path)
    if not isinstance(handler, EventHandler):
        raise TypeError(f"CONDUIT_EVENT_HANDLER={path!r} names a {type(handler).__name__}, not an "
                        "events.handler.EventHandler instance")
    return handler
