"""The content event: names what changed (never the state), serialisable to and from JSON."""
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

TYPES = frozenset({
    "article.created", "article.updated", "article.published", "article.unpublished", "article.deleted",
    "comment.created", "comment.deleted",  # entity "comment" (the index skips them; webhooks and caches use them)
    "site.updated",  # entity "site": a tenant's site settings changed
})


class InvalidEvent(ValueError):
    """A payload that is not a well-formed content event."""


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True, kw_only=True)
class Event:
    """One change of one entity of one tenant; the worker reads the current state itself."""

    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    tenant: str
    entity: str
    entity_id: str
    occurred_at: str = field(default_factory=utc_now_iso)

    @property
    def key(self) -> str:
        """Bus key: every event of one entity lands in one partition, so per-entity order is kept."""
        return f"{self.tenant}:{self.entity_id}"

    @property
    def occurred_epoch(self) -> float:
        return datetime.fromisoformat(self.occurred_at).timestamp()

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict) -> "Event":
        try:
            event = cls(**{name: str(data[name]) for name in ("id", "type", "tenant", "entity", "entity_id",
                                                               "occurred_at")})
            datetime.fromisoformat(event.occurred_at)
            uuid.UUID(event.id)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent(f"not a content event: {exc}") from exc
        return event

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Event":
        try:
            return cls.from_dict(json.loads(raw))
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
            raise InvalidEvent(f"not JSON: {exc}") from exc
