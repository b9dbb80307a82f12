"""Save-to-searchable measurements: observed into Prometheus at once, kept in the control DB for a day."""
import queue
from datetime import datetime, timedelta, timezone as dt_timezone

from django.utils import timezone

from conduit.metrics import SAVE_TO_SEARCHABLE
from events.event import Event
from events.models import IngestSample

KEEP = timedelta(days=1)


class IngestRecorder:
    """Collects `on_searchable` callbacks from any thread; `flush()` writes them in one insert."""

    def __init__(self):
        self._queue = queue.SimpleQueue()

    def searchable(self, event: Event, stage: str, at: float) -> None:
        latency = max(0.0, at - event.occurred_epoch)
        SAVE_TO_SEARCHABLE.labels(stage=stage).observe(latency)
        self._queue.put(IngestSample(at=datetime.fromtimestamp(at, dt_timezone.utc), stage=stage,
                                     tenant=event.tenant, latency_ms=latency * 1000))

    def flush(self) -> int:
        samples = []
        while True:
            try:
                samples.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if samples:
            IngestSample.objects.bulk_create(samples, batch_size=500)
        return len(samples)


def samples_prune() -> int:
    deleted, _ = IngestSample.objects.filter(at__lt=timezone.now() - KEEP).delete()
    return deleted
