"""The EventBus interface every adapter implements (the factory is events.bus, the adapters events.bus.db/kafka)."""
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from events.event import Event


class BusError(RuntimeError):
    """The bus did not accept (or could not deliver) events; the caller keeps them."""


@dataclass(frozen=True)
class Delivery:
    """An event handed to a consumer, with the adapter's position token to commit it by."""

    event: Event
    position: Any


class Consumer(ABC):
    """One member of a consumer group: poll a batch, process it, commit it."""

    @abstractmethod
    def poll(self, *, max_events: int, timeout: float) -> list[Delivery]:
        """Up to max_events deliveries, waiting at most `timeout` seconds for the first."""

    @abstractmethod
    def commit(self, deliveries: Sequence[Delivery]) -> None:
        """Mark these deliveries done for the group (after they were processed)."""

    def close(self) -> None:
        """Leave the group; uncommitted deliveries go to another member."""


class EventBus(ABC):
    name = "bus"

    @abstractmethod
    def publish(self, events: Sequence[Event]) -> None:
        """Append events durably, keyed by `event.key`; raise BusError if any was not accepted."""

    @abstractmethod
    def consumer(self, *, group: str, member: str) -> Consumer:
        """A consumer in `group`; `member` names it in leases and logs."""

    @abstractmethod
    def lag(self, *, group: str) -> int:
        """Events appended but not yet committed by `group`."""

    def backlog_by_tenant(self, *, group: str) -> dict[str, int] | None:
        """Uncommitted events per tenant, where the bus can tell (None otherwise)."""
        return None

    def check(self) -> dict:
        """Raise if the bus is unreachable; return details for /api/health."""
        return {"bus": self.name}

    @abstractmethod
    def prune(self, *, keep_seconds: float = 3600) -> int:
        """Drop what every group has committed and is older than `keep_seconds`; returns how many records went
        (0 where the bus keeps its own retention)."""
