import pytest
from django.conf import settings
from django.test import override_settings

from tests.events import handlers


@pytest.fixture
def event_log(tmp_path, monkeypatch):
    """The file the test handler appends indexed events to."""
    path = tmp_path / "events.jsonl"
    monkeypatch.setenv("CONDUIT_TEST_EVENT_LOG", str(path))
    handlers._callbacks.clear()
    return path


@pytest.fixture
def conduit_settings_override():
    """Override some CONDUIT settings, keeping the rest."""
    overrides = []

    def apply(**values):
        o = override_settings(CONDUIT={**settings.CONDUIT, **values})
        o.enable()
        overrides.append(o)

    yield apply
    for o in reversed(overrides):
        o.disable()
