"""Article changes write outbox events in the same transaction and publish them after commit."""
import pytest

from accounts.models import User
from content.models import Article
from events.models import BusEvent
from events.models import OutboxEvent
from tenants.context import tenant_context
from tenants.db import tenant_atomic


def _author():
    return User.objects.create_user(username="writer", email="w@x.io", password="pw-123456")


def _article(author, slug="a", status=Article.Status.PUBLISHED):
    return Article.objects.create(slug=slug, title="T", body="B", author=author, status=status)


def _outbox():
    return list(OutboxEvent.objects.order_by("id").values_list("type", "entity_id", flat=False))


def test_each_change_writes_one_event_and_publishes_after_commit(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        with tenant_atomic():
            article = _article(_author())
            assert OutboxEvent.objects.count() == 1
            assert not BusEvent.objects.exists()  # not before commit
        pk = str(article.pk)
        assert list(BusEvent.objects.values_list("type", "tenant", "entity_id", "key")) == [
            ("article.created", tenant.slug, pk, f"{tenant.slug}:{pk}")
        ]
        assert OutboxEvent.objects.get().published_at is not None
        article.title = "New"
        article.save()
        article.status = Article.Status.DRAFT
        article.save()
        article.body = "draft edit"
        article.save()  # draft -> draft: nothing searchable changed
        article.status = Article.Status.PUBLISHED
        article.save()
        Article.objects.get(pk=article.pk).save(update_fields=["favorites_count"])
        Article.objects.get(pk=article.pk).delete()
        assert _outbox() == [
            ("article.created", pk), ("article.updated", pk), ("article.unpublished", pk),
            ("article.published", pk), ("article.deleted", pk),
        ]
    assert BusEvent.objects.count() == 5
    assert not OutboxEvent.objects.using(tenant.info().alias).filter(published_at__isnull=True).exists()


def test_status_seen_at_load_time_decides_publish(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        draft = _article(_author(), status=Article.Status.DRAFT)
        loaded = Article.objects.get(pk=draft.pk)
        loaded.status = Article.Status.PUBLISHED
        loaded.save()
        assert _outbox()[-1] == ("article.published", str(draft.pk))


def test_rolled_back_change_leaves_no_event(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        author = _author()
        with pytest.raises(ZeroDivisionError):
            with tenant_atomic():
                _article(author)
                1 / 0
        assert OutboxEvent.objects.count() == 0
    assert not BusEvent.objects.exists()


def test_bus_down_keeps_event_in_outbox_and_marks_tenant_dirty(make_tenant, monkeypatch):
    from events import outbox
    from events.bus import BusError, get_bus
    from events.sweeper import sweep_dirty
    from events.models import DirtyTenant

    tenant = make_tenant()
    bus = get_bus()

    def refuse(events):
        raise BusError("down")

    monkeypatch.setattr(bus, "publish", refuse)
    with tenant_context(tenant):
        _article(_author())
        assert OutboxEvent.objects.get().published_at is None
    assert DirtyTenant.objects.filter(slug=tenant.slug).exists()
    monkeypatch.undo()
    outbox._breaker_open_until = 0.0
    assert sweep_dirty() == 1
    assert BusEvent.objects.count() == 1
    assert not DirtyTenant.objects.exists()
