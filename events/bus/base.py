"""The EventBus interface and the adapter chosen by CONDUIT_EVENT_BUS (`db` or `kafka://host:port[,...]`)."""
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conduit.conf import conduit_settings
from conduit.events.event import Event


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


_lock = threading.Lock()
_buses: dict[str, EventBus] = {}


def build_bus(url: str) -> EventBus:
    if url == "db":
        from conduit.events.db_bus import DbBus

        return DbBus()
    if url.startswith("kafka://"):
        from conduit.events.kafka_bus import KafkaBus

        return KafkaBus(servers=url[len("kafka://"):], topic=conduit_settings.KAFKA_TOPIC)
    raise ValueError(f"CONDUIT_EVENT_BUS must be 'db' or 'kafka://host:port[,host:port]', not {url!r}")


def get_bus() -> EventBus:
    """The process-wide bus for the configured URL."""
    url = conduit_settings.EVENT_BUS
    with _lock:
        if url not in _buses:
            _buses[url] = build_bus(url)
        return _buses[url]
