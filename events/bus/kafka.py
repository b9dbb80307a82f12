"""The Kafka bus (confluent-kafka): one topic, key `tenant:entity_id`, a consumer group committing after work."""
import logging
import threading
from collections.abc import Sequence

from confluent_kafka import Consumer as KafkaClient
from confluent_kafka import KafkaException, Producer, TopicPartition

from conduit.conf import conduit_settings
from conduit.metrics import EVENTS_FAILED
from events.bus.base import BusError, Consumer, Delivery, EventBus
from events.event import Event, InvalidEvent

log = logging.getLogger(__name__)
CLIENT_TIMEOUT = 5.0


class KafkaConsumer(Consumer):
    def __init__(self, *, servers: str, topic: str, group: str, member: str):
        self.topic = topic
        self.client = KafkaClient({
            "bootstrap.servers": servers, "group.id": group, "client.id": member,
            "enable.auto.commit": False, "auto.offset.reset": "earliest",
            "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000,
            "fetch.wait.max.ms": 100, "topic.metadata.refresh.interval.ms": 5000,
        })
        self.client.subscribe([topic])

    def poll(self, *, max_events: int, timeout: float) -> list[Delivery]:
        # consume(n, timeout) waits out the whole timeout unless n messages come: wait for one, then take the rest
        first = self.client.poll(timeout)
        if first is None:
            return []
        messages = [first, *(self.client.consume(num_messages=max_events - 1, timeout=0) if max_events > 1 else ())]
        deliveries = []
        for message in messages:
            if message.error():
                log.warning("kafka consumer error", extra={"error": str(message.error())})
                continue
            position = (message.topic(), message.partition(), message.offset())
            try:
                deliveries.append(Delivery(event=Event.from_json(message.value()), position=position))
            except InvalidEvent as exc:  # never block the partition on a record we cannot read
                EVENTS_FAILED.labels(outcome="invalid").inc()
                log.error("skipping an unreadable record", extra={"position": position, "error": str(exc)})
                self._commit_positions([position])
        return deliveries

    def commit(self, deliveries: Sequence[Delivery]) -> None:
        self._commit_positions([d.position for d in deliveries])

    def _commit_positions(self, positions) -> None:
        last = {}
        for topic, partition, offset in positions:
            last[(topic, partition)] = max(offset, last.get((topic, partition), -1))
        if last:
            self.client.commit(
                offsets=[TopicPartition(t, p, o + 1) for (t, p), o in last.items()], asynchronous=False
            )

    def close(self) -> None:
        self.client.close()


class KafkaBus(EventBus):
    name = "kafka"

    def __init__(self, *, servers: str, topic: str):
        self.servers, self.topic = servers, topic
        self._lock = threading.Lock()
        self._producer = None
        self._admin = {}

    def _get_producer(self) -> Producer:
        with self._lock:
            if self._producer is None:
                timeout_ms = int(conduit_settings.KAFKA_PUBLISH_TIMEOUT * 1000)
                self._producer = Producer({
                    "bootstrap.servers": self.servers, "acks": "all", "linger.ms": 0,
                    "message.timeout.ms": timeout_ms, "socket.timeout.ms": max(timeout_ms, 1000),
                    "enable.idempotence": False,
                })
            return self._producer

    def publish(self, events: Sequence[Event]) -> None:
        producer, failed = self._get_producer(), []

        def delivered(err, message):
            if err is not None:
                failed.append(err)

        try:
            for event in events:
                producer.produce(self.topic, key=event.key, value=event.to_json(), on_delivery=delivered)
            remaining = producer.flush(conduit_settings.KAFKA_PUBLISH_TIMEOUT + 1)
        except (BufferError, KafkaException) as exc:
            raise BusError(f"kafka refused the events: {exc}") from exc
        if remaining or failed:
            raise BusError(f"kafka did not acknowledge {remaining + len(failed)} of {len(events)} events: "
                           f"{failed[0] if failed else 'timed out'}")

    def consumer(self, *, group: str, member: str) -> KafkaConsumer:
        return KafkaConsumer(servers=self.servers, topic=self.topic, group=group, member=member)

    def _admin_client(self, group: str) -> KafkaClient:
        with self._lock:
            if group not in self._admin:  # a group member that never subscribes: reads offsets only
                self._admin[group] = KafkaClient({"bootstrap.servers": self.servers, "group.id": group,
                                                  "enable.auto.commit": False})
            return self._admin[group]

    def lag(self, *, group: str) -> int:
        """Sum over the topic's partitions of high watermark minus the group's committed offset."""
        client = self._admin_client(group)
        metadata = client.list_topics(self.topic, timeout=CLIENT_TIMEOUT)
        partitions = metadata.topics[self.topic].partitions
        committed = client.committed([TopicPartition(self.topic, p) for p in partitions], timeout=CLIENT_TIMEOUT)
        lag = 0
        for tp in committed:
            low, high = client.get_watermark_offsets(tp, timeout=CLIENT_TIMEOUT, cached=False)
            lag += max(0, high - (tp.offset if tp.offset >= 0 else low))
        return lag

    def check(self) -> dict:
        try:
            metadata = self._get_producer().list_topics(timeout=2.0)
        except KafkaException as exc:
            raise BusError(f"kafka unreachable: {exc}") from exc
        return {"bus": self.name, "brokers": len(metadata.brokers)}

    def prune(self, *, keep_seconds: float = 3600) -> int:
        """Nothing to do: the topic's retention (a broker setting) drops old records."""
        return 0
