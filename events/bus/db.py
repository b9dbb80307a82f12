"""The embedded bus: a log table in the control database, partitioned by key, with leased consumer offsets."""
import math
import random
import time
import zlib
from collections.abc import Sequence
from datetime import timedelta

from django.db import connections, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from conduit.conf import conduit_settings
from events.bus.base import BusError, Consumer, Delivery, EventBus
from events.event import Event
from events.models import BusEvent, ConsumerOffset, WorkerStatus

PARTITIONS = 16
LEASE = timedelta(seconds=60)  # a member that dies holding partitions frees them after this
MEMBERS_TTL = 2.0
LOCK_NAMESPACE = 0x0C0D  # PostgreSQL advisory lock key space of the log's partitions


def partition_for(tenant: str) -> int:
    """A tenant's events share a partition: per-entity order holds, and one member indexes a tenant's batch at once
    (a tenant's index has a single writer)."""
    return zlib.crc32(tenant.encode()) % PARTITIONS


def ensure_offsets(group: str) -> None:
    ConsumerOffset.objects.bulk_create(
        [ConsumerOffset(group=group, partition=p) for p in range(PARTITIONS)], ignore_conflicts=True
    )


def _event(row: BusEvent) -> Event:
    return Event(id=row.event_id, type=row.type, tenant=row.tenant, entity=row.entity, entity_id=row.entity_id,
                 occurred_at=row.occurred_at)


def _pending(group: str) -> Q:
    """Rows after the group's committed offset, one OR term per partition."""
    offsets = dict(ConsumerOffset.objects.filter(group=group).values_list("partition", "offset"))
    query = Q(pk__in=[])
    for partition in range(PARTITIONS):
        query |= Q(partition=partition, id__gt=offsets.get(partition, 0))
    return query


class DbConsumer(Consumer):
    def __init__(self, *, group: str, member: str):
        self.group, self.member = group, member
        self._members_count, self._members_at = 1, float("-inf")
        ensure_offsets(group)

    def _members(self) -> int:
        """Live workers on this bus (their heartbeats), re-read every few seconds."""
        if time.monotonic() - self._members_at > MEMBERS_TTL:
            since = timezone.now() - timedelta(seconds=10)
            self._members_count = max(1, WorkerStatus.objects.filter(bus="db", heartbeat_at__gte=since).count())
            self._members_at = time.monotonic()
        return self._members_count

    def poll(self, *, max_events: int, timeout: float) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while True:
            deliveries = self._claim(max_events)
            if deliveries or time.monotonic() >= deadline:
                return deliveries
            time.sleep(min(conduit_settings.WORKER_POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def _claim(self, max_events: int) -> list[Delivery]:
        offsets = dict(ConsumerOffset.objects.filter(group=self.group).values_list("partition", "offset"))
        heads = BusEvent.objects.filter(id__gt=min(offsets.values(), default=0)).values("partition")
        ready = [h["partition"] for h in heads.annotate(head=Max("id")) if h["head"] > offsets.get(h["partition"], 0)]
        if not ready:
            return []
        random.shuffle(ready)
        ready = ready[: math.ceil(len(ready) / self._members())]  # leave a share for the other members
        now = timezone.now()
        until = now + LEASE
        free = Q(leased_until__isnull=True) | Q(leased_until__lt=now) | Q(owner=self.member)
        ConsumerOffset.objects.filter(free, group=self.group, partition__in=ready).update(
            owner=self.member, leased_until=until
        )
        mine = list(ConsumerOffset.objects.filter(group=self.group, partition__in=ready, owner=self.member,
                                                  leased_until=until).values_list("partition", "offset"))
        query = Q(pk__in=[])
        for partition, offset in mine:
            query |= Q(partition=partition, id__gt=offset)
        rows = list(BusEvent.objects.filter(query).order_by("id")[:max_events])
        unused = {partition for partition, _ in mine} - {row.partition for row in rows}
        if unused:  # cut off by max_events: other members may take these partitions at once
            ConsumerOffset.objects.filter(group=self.group, partition__in=unused, owner=self.member).update(
                owner="", leased_until=None
            )
        return [Delivery(event=_event(row), position=(row.partition, row.id)) for row in rows]

    def commit(self, deliveries: Sequence[Delivery]) -> None:
        last = {}
        for delivery in deliveries:
            partition, offset = delivery.position
            last[partition] = max(offset, last.get(partition, 0))
        with transaction.atomic(using="default"):
            for partition, offset in last.items():
                # Only the lease holder moves an offset, and only forward: a member that stalled, lost its lease
                # and leased the partition again must not rewind it with the batch it held before the stall.
                ConsumerOffset.objects.filter(
                    group=self.group, partition=partition, owner=self.member, offset__lt=offset
                ).update(offset=offset, owner="", leased_until=None)

    def close(self) -> None:
        ConsumerOffset.objects.filter(group=self.group, owner=self.member).update(owner="", leased_until=None)


class DbBus(EventBus):
    name = "db"

    def publish(self, events: Sequence[Event]) -> None:
        rows = [BusEvent(partition=partition_for(e.tenant), key=e.key, event_id=e.id, type=e.type, tenant=e.tenant,
                         entity=e.entity, entity_id=e.entity_id, occurred_at=e.occurred_at) for e in events]
        try:
            with transaction.atomic(using="default"):
                connection = connections["default"]
                if connection.vendor == "postgresql":
                    # Ids must commit in id order within a partition, or a consumer could commit an offset past
                    # a smaller id still in flight. SQLite's single writer gives that; PostgreSQL needs a lock.
                    with connection.cursor() as cursor:
                        for partition in sorted({row.partition for row in rows}):
                            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, partition])
                BusEvent.objects.bulk_create(rows)
        except Exception as exc:
            raise BusError(f"could not append to the event log: {exc}") from exc

    def consumer(self, *, group: str, member: str) -> DbConsumer:
        return DbConsumer(group=group, member=member)

    def lag(self, *, group: str) -> int:
        return BusEvent.objects.filter(_pending(group)).count()

    def backlog_by_tenant(self, *, group: str) -> dict[str, int]:
        rows = BusEvent.objects.filter(_pending(group)).values("tenant").annotate(n=Count("id"))
        return {row["tenant"]: row["n"] for row in rows}

    def check(self) -> dict:
        return {"bus": self.name, "log_size": BusEvent.objects.count()}

    def prune(self, *, keep_seconds: float = 3600) -> int:
        """Drop log rows every group has committed and that are older than `keep_seconds`."""
        cutoff = timezone.now() - timedelta(seconds=keep_seconds)
        floor = {}
        for partition, offset in ConsumerOffset.objects.values_list("partition", "offset"):
            floor[partition] = min(offset, floor.get(partition, offset))
        query = Q(pk__in=[])
        for partition, offset in floor.items():
            query |= Q(partition=partition, id__lte=offset)
        deleted, _ = BusEvent.objects.filter(query, appended_at__lt=cutoff).delete()
        return deleted
