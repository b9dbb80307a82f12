"""The event bus of this process, chosen by CONDUIT_EVENT_BUS (`db` or `kafka://host:port[,...]`)."""
import threading

from conduit.conf import conduit_settings
from events.bus.base import BusError, Consumer, Delivery, EventBus

__all__ = ["BusError", "Consumer", "Delivery", "EventBus", "build_bus", "get_bus"]

_lock = threading.Lock()
_buses: dict[str, EventBus] = {}


def build_bus(url: str) -> EventBus:
    if url == "db":
        from events.bus.db import DbBus

        return DbBus()
    if url.startswith("kafka://"):
        from events.bus.kafka import KafkaBus

        return KafkaBus(servers=url[len("kafka://"):], topic=conduit_settings.KAFKA_TOPIC)
    raise ValueError(f"CONDUIT_EVENT_BUS must be 'db' or 'kafka://host:port[,host:port]', not {url!r}")


def get_bus() -> EventBus:
    """The process-wide bus for the configured URL."""
    url = conduit_settings.EVENT_BUS
    with _lock:
        if url not in _buses:
            _buses[url] = build_bus(url)
        return _buses[url]
