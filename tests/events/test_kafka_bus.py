"""The Kafka adapter over TCP against a real Kafka-protocol broker (nafka), with real confluent-kafka clients."""
import signal
import subprocess
import sys
import time

import pytest

from events.bus import BusError
from events.bus.kafka import KafkaBus
from events.event import Event
from tests.events.handlers import read_log
from tests.events.nafka import Nafka
from tests.events.procs import make_procs, wait_for, worker, write
from tests.support.stack import ROOT

pytestmark = pytest.mark.slow
TOPIC = "conduit.test"
POLL_TIMEOUT = 30.0


@pytest.fixture
def broker(tmp_path):
    nafka = Nafka(tmp_path).start()
    yield nafka
    nafka.stop()


def _events(n, tenant="acme"):
    return [Event(type="article.updated", tenant=tenant, entity="article", entity_id=str(i)) for i in range(n)]


def _drain(consumer, want, timeout=20):
    got, deadline = [], time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        got += consumer.poll(max_events=100, timeout=0.5)
    return got


def test_produce_consume_in_a_group_commit_and_lag(broker):
    bus = KafkaBus(servers=f"127.0.0.1:{broker.port}", topic=TOPIC)
    events = _events(10)
    bus.publish(events)
    assert bus.lag(group="indexers") == 10
    consumer = bus.consumer(group="indexers", member="w1")
    try:
        got = _drain(consumer, 10)
        assert [d.event for d in got] == events  # one partition here: the log order is the publish order
        assert bus.lag(group="indexers") == 10  # consumed but not committed
        consumer.commit(got[:4])
        assert bus.lag(group="indexers") == 6
        consumer.commit(got)
        assert bus.lag(group="indexers") == 0
        bus.publish(_events(1))
        started = time.monotonic()
        assert len(consumer.poll(max_events=100, timeout=POLL_TIMEOUT)) == 1
        # One event does not wait for a full batch or the timeout: a poll that waited would take POLL_TIMEOUT. The
        # bound is half of it, not a latency figure, so a loaded machine cannot turn this red.
        assert time.monotonic() - started < POLL_TIMEOUT / 2
    finally:
        consumer.close()
    assert bus.check()["brokers"] == 1


def test_uncommitted_events_go_to_the_next_member(broker):
    bus = KafkaBus(servers=f"127.0.0.1:{broker.port}", topic=TOPIC)
    bus.publish(_events(5))
    first = bus.consumer(group="g", member="first")
    got = _drain(first, 5)
    first.commit(got[:2])
    first.close()  # died after indexing two
    # nafka never expires a group member (librdkafka's LeaveGroup version is one it lacks): a broker restart
    # forgets the membership and keeps the committed offsets, as a real broker's session timeout would.
    broker.stop()
    broker.start()
    second = bus.consumer(group="g", member="second")
    try:
        assert [d.event.entity_id for d in _drain(second, 3)] == ["2", "3", "4"]
    finally:
        second.close()


def test_publish_to_a_stopped_broker_raises(broker, settings):
    bus = KafkaBus(servers=f"127.0.0.1:{broker.port}", topic=TOPIC)
    bus.publish(_events(1))
    broker.stop()
    settings.CONDUIT = {**settings.CONDUIT, "KAFKA_PUBLISH_TIMEOUT": 0.5}
    bus = KafkaBus(servers=f"127.0.0.1:{broker.port}", topic=TOPIC)
    started = time.monotonic()
    with pytest.raises(BusError):
        bus.publish(_events(1))
    assert time.monotonic() - started < 5


@pytest.fixture
def kafka_procs(tmp_path, broker):
    return make_procs(tmp_path, CONDUIT_EVENT_BUS=broker.url, CONDUIT_KAFKA_TOPIC=TOPIC,
                      CONDUIT_KAFKA_PUBLISH_TIMEOUT="0.5")


def test_broker_down_while_writing_then_back_nothing_lost(kafka_procs, broker):
    slug = kafka_procs.create_tenant()
    running = worker(kafka_procs)
    try:
        _, before = write(kafka_procs, slug, 3)
        assert wait_for(lambda: len(read_log(kafka_procs.log_path)) == 3)
        broker.stop()
        result, during = write(kafka_procs, slug, 4)  # the writes succeed; the events wait in the outbox
        assert result.returncode == 0 and len(during) == 4
        time.sleep(1)
        assert len(read_log(kafka_procs.log_path)) == 3
        broker.start()
        assert wait_for(lambda: len(read_log(kafka_procs.log_path)) >= 7, timeout=60)
    finally:
        running.send_signal(signal.SIGTERM)
        output = running.communicate(timeout=30)[0]
    assert running.returncode == 0, output
    seen = read_log(kafka_procs.log_path)
    assert sorted(int(e["entity_id"]) for e in seen) == sorted(before + during)
    lag = subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                          "from events.bus import get_bus; print(get_bus().lag(group='conduit-indexers'))"],
                         env=kafka_procs.env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert lag.stdout.split()[-1] == "0", lag.stderr


def test_once_drains_what_was_written_while_no_worker_ran(kafka_procs):
    slug = kafka_procs.create_tenant()
    _, ids = write(kafka_procs, slug, 3)
    assert "consumed 3 events" in kafka_procs.manage("run_worker", "--once").stdout
    assert sorted(int(e["entity_id"]) for e in read_log(kafka_procs.log_path)) == sorted(ids)
