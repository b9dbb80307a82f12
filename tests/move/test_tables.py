"""Engine-neutral table copy and checksums: tricky values survive SQLite → PostgreSQL → SQLite unchanged."""
import datetime
import uuid

import pytest
from django.db import transaction

from tenants.connections import ensure_alias
from tenants.context import tenant_context
from tenants.transfer import tables
from tenants.transfer.archive import _tagged

WHEN = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=datetime.timezone.utc)


def fill(alias):
    from accounts.models import User
    from content.models import Article, Tag
    from events.models import OutboxEvent

    users = User.objects.using(alias).bulk_create([
        User(username="zoë", email="z@example.com", password="!", bio="emoji 🚀 'quotes' \"double\"\nnewline",
             is_staff=True, image=None, date_joined=WHEN),
        User(username="bob", email="b@example.com", password="!", bio="", is_active=False, date_joined=WHEN),
    ])
    tag = Tag.objects.using(alias).create(name="ünïcode")
    article = Article(slug="a", title="T", body="x" * 5000, author=users[0], published_at=None)
    Article.objects.using(alias).bulk_create([article])
    Article.objects.using(alias).filter(pk=article.pk).update(created_at=WHEN, updated_at=WHEN)
    Article.tags.through.objects.using(alias).create(article_id=article.pk, tag_id=tag.pk)
    OutboxEvent.objects.using(alias).create(event_id=uuid.uuid4(), type="article.created", entity="article",
                                            entity_id=str(article.pk), occurred_at=WHEN, published_at=None)


def copy(src, dst):
    models = tables.tenant_models()
    with transaction.atomic(using=dst):
        tables.clear_tables(dst, models)
        for model in models:
            tables.insert_rows(dst, model, tables.read_rows(src, model))
        tables.reset_sequences(dst, models)


@pytest.mark.postgres
def test_round_trip_across_engines_keeps_every_checksum(make_tenant, pg_tenant_url):
    lite, pg = make_tenant(), make_tenant(database_url=pg_tenant_url)
    back = make_tenant()
    a, b, c = (ensure_alias(t.info()) for t in (lite, pg, back))
    with tenant_context(lite):
        fill(a)
    original = tables.database_digest(a)
    copy(a, b)
    assert tables.database_digest(b) == original
    copy(b, c)
    assert tables.database_digest(c) == original

    from content.models import Article, Tag

    assert Article.objects.using(b).get().created_at == WHEN  # auto_now fields are not re-stamped
    for tenant, alias in ((pg, b), (back, c)):
        with tenant_context(tenant):  # the sequence continues after the copied ids
            assert Tag.objects.using(alias).create(name="next").pk == Tag.objects.using(a).get().pk + 1


def test_models_come_parents_first():
    order = [m._meta.db_table for m in tables.tenant_models()]
    assert order.index("accounts_user") < order.index("content_article") < order.index("content_comment")
    assert order.index("content_tag") < order.index("content_article_tags")
    assert order.index("django_content_type") < order.index("auth_permission")
    assert not any(t.startswith(("tenants_", "django_session", "django_admin")) for t in order)


def test_normalised_values_decode_to_the_same_python_values():
    import decimal

    values = [None, True, False, 0, -7, 1.5, "", "é", WHEN, datetime.date(2024, 1, 2), datetime.time(3, 4, 5),
              decimal.Decimal("1.10"), uuid.UUID(int=5), b"\x00\xff", {"b": [1, {"a": None}]}]
    for value in values:
        decoded = _tagged(tables.normalise(value))
        assert decoded == value and type(decoded) is type(value), value
    assert tables.encode_row([True]) != tables.encode_row([1])
    assert tables.normalise(WHEN.astimezone(datetime.timezone(datetime.timedelta(hours=5)))) == tables.normalise(WHEN)


def test_a_fresh_tenant_has_no_pending_migrations(make_tenant):
    alias = ensure_alias(make_tenant().info())
    assert tables.pending_migrations(alias) == []
    assert "0001_initial" in tables.applied_migrations(alias)["content"]
    assert "tenants" not in tables.applied_migrations(alias)
