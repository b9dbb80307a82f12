"""The embedded bus: per-key partitions, leased offsets, commit after work, lag and backlog."""
from events.bus.db import DbBus, partition_for
from events.event import Event
from events.models import ConsumerOffset


def _events(n, tenant="acme", entity_ids=None):
    return [Event(type="article.updated", tenant=tenant, entity="article", entity_id=str(i))
            for i in (entity_ids or range(n))]


def test_publish_consume_commit_and_lag(db):
    bus = DbBus()
    events = _events(30)
    bus.publish(events)
    assert bus.lag(group="g") == 30
    consumer = bus.consumer(group="g", member="w1")
    batch = consumer.poll(max_events=100, timeout=1)
    assert sorted(d.event.id for d in batch) == sorted(e.id for e in events)
    assert bus.lag(group="g") == 30  # nothing is done before the commit
    consumer.commit(batch)
    assert bus.lag(group="g") == 0
    assert consumer.poll(max_events=100, timeout=0.05) == []
    assert bus.lag(group="other") == 30  # groups are independent


def _offsets(group="g"):
    return dict(ConsumerOffset.objects.filter(group=group).values_list("partition", "offset"))


def test_uncommitted_batch_is_redelivered_after_the_lease(db):
    bus = DbBus()
    bus.publish(_events(5))
    first = bus.consumer(group="g", member="w1")
    stale = first.poll(max_events=10, timeout=1)
    assert len(stale) == 5
    second = bus.consumer(group="g", member="w2")
    assert second.poll(max_events=10, timeout=0.05) == []  # leased by w1
    ConsumerOffset.objects.filter(owner="w1").update(leased_until="2000-01-01T00:00:00Z")  # w1 died
    again = second.poll(max_events=10, timeout=1)
    assert len(again) == 5
    before = _offsets()
    first.commit(stale)  # w1 wakes up and commits the batch it was given: the partition is w2's now
    assert _offsets() == before and bus.lag(group="g") == 5
    assert ConsumerOffset.objects.get(partition=stale[0].position[0]).owner == "w2"  # w2 keeps its lease
    second.commit(again)
    assert bus.lag(group="g") == 0


def test_a_stale_commit_never_moves_the_offset_back(db):
    """A member that lost its lease, then leased the partition again, commits its old batch: no rewind."""
    bus = DbBus()
    first, second = bus.consumer(group="g", member="w1"), bus.consumer(group="g", member="w2")
    bus.publish(_events(5))
    stale = first.poll(max_events=10, timeout=1)
    ConsumerOffset.objects.filter(owner="w1").update(leased_until="2000-01-01T00:00:00Z")  # w1 stalls
    second.commit(second.poll(max_events=10, timeout=1))
    bus.publish(_events(3))
    second.commit(second.poll(max_events=10, timeout=1))  # the log moved on without w1
    bus.publish(_events(2))
    current = first.poll(max_events=10, timeout=1)  # w1 is back and leases the partition again
    assert len(current) == 2
    before = _offsets()
    first.commit(stale)  # ...then commits the batch from before its stall
    assert _offsets() == before and bus.lag(group="g") == 2
    first.commit(current)
    assert bus.lag(group="g") == 0


def test_two_members_never_get_the_same_partition(db):
    bus = DbBus()
    bus.publish([e for t in range(20) for e in _events(10, tenant=f"t{t}")])
    a, b = bus.consumer(group="g", member="a"), bus.consumer(group="g", member="b")
    got_a = a.poll(max_events=20, timeout=1)  # a few partitions; the rest stay free
    got_b = b.poll(max_events=1000, timeout=1)
    parts_a = {d.position[0] for d in got_a}
    parts_b = {d.position[0] for d in got_b}
    assert got_a and got_b and not parts_a & parts_b
    assert not {d.event.id for d in got_a} & {d.event.id for d in got_b}


def test_per_entity_order_is_kept(db):
    bus = DbBus()
    events = [Event(type=t, tenant="acme", entity="article", entity_id="7")
              for t in ("article.created", "article.updated", "article.unpublished", "article.deleted")]
    bus.publish(events)
    assert len({partition_for(e.tenant) for e in events}) == 1
    consumer = bus.consumer(group="g", member="w")
    assert [d.event.type for d in consumer.poll(max_events=10, timeout=1)] == [e.type for e in events]


def test_backlog_by_tenant(db):
    bus = DbBus()
    bus.publish(_events(3, tenant="a") + _events(2, tenant="b"))
    assert bus.backlog_by_tenant(group="g") == {"a": 3, "b": 2}
