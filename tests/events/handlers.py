"""A trivial event handler for transport tests: it records what it receives in a JSON-lines file."""
import json
import os
import time
from pathlib import Path

from events.handler import EventHandler

_callbacks = []


def _log_path():
    return Path(os.environ["CONDUIT_TEST_EVENT_LOG"])


def record_events(events):
    """Append each event to $CONDUIT_TEST_EVENT_LOG; fail events whose entity_id is listed in $CONDUIT_TEST_FAIL_IDS."""
    failing = set(filter(None, os.environ.get("CONDUIT_TEST_FAIL_IDS", "").split(",")))
    results = []
    with _log_path().open("a") as log:
        for event in events:
            if event.entity_id in failing:
                results.append(RuntimeError(f"cannot index {event.entity_id}"))
                continue
            log.write(json.dumps({**event.to_dict(), "pid": os.getpid(), "at": time.time()}) + "\n")
            results.append(None)
    now = time.time()
    for callback in _callbacks:
        for event, error in zip(events, results):
            if error is None:
                callback(event, "text", now)
    return results


class Recorder(EventHandler):
    def index(self, events):
        return record_events(events)

    def on_searchable(self, callback) -> bool:
        _callbacks.append(callback)
        return True


record = Recorder()  # CONDUIT_EVENT_HANDLER=tests.events.handlers.record


def read_log(path):
    path = Path(path)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
