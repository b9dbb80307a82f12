"""Tenancy rules 1-3: fail closed, context not connection state, lazy bounded aliases."""
import threading

import pytest
from django.db import connections
from django.test import override_settings

from accounts.models import User
from content.models import Article, Tag
from tenants import connections as tenant_connections
from tenants.context import TenantNotSet, current_tenant, tenant_context
from tenants.router import TenantRouter


def test_tenant_model_without_tenant_raises(db):
    with pytest.raises(TenantNotSet):
        list(Tag.objects.all())
    with pytest.raises(TenantNotSet):
        Tag.objects.create(name="x")


def test_tenant_model_never_falls_through_to_control_db(db):
    assert TenantRouter().allow_migrate("default", "content") is False
    with pytest.raises(TenantNotSet):
        TenantRouter().db_for_write(Article)


def test_users_are_per_tenant_and_operators_in_control_db(make_tenant):
    a, b = make_tenant(), make_tenant()
    User.objects.create_user(username="operator", email="op@x.io", password="pw")
    with tenant_context(a):
        User.objects.create_user(username="alice", email="alice@a.io", password="pw")
        assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    with tenant_context(b):
        assert not User.objects.filter(username="alice").exists()
        User.objects.create_user(username="alice", email="alice@a.io", password="pw")  # same name, other site
    assert list(User.objects.values_list("username", flat=True)) == ["operator"]


def test_data_stays_in_its_tenant(make_tenant):
    a, b = make_tenant(), make_tenant()
    with tenant_context(a):
        Tag.objects.create(name="only-in-a")
    with tenant_context(b):
        assert Tag.objects.count() == 0
    with tenant_context(a.slug):
        assert Tag.objects.get().name == "only-in-a"


def test_context_is_reset_after_block_even_on_error(make_tenant):
    a = make_tenant()
    with pytest.raises(ZeroDivisionError):
        with tenant_context(a):
            assert current_tenant().slug == a.slug
            1 / 0
    assert current_tenant() is None


def test_nested_contexts_restore_outer(make_tenant):
    a, b = make_tenant(), make_tenant()
    with tenant_context(a):
        with tenant_context(b):
            assert current_tenant().slug == b.slug
        assert current_tenant().slug == a.slug


def test_context_does_not_leak_into_other_threads(make_tenant):
    a = make_tenant()
    seen = []
    with tenant_context(a):
        thread = threading.Thread(target=lambda: seen.append(current_tenant()))
        thread.start()
        thread.join()
    assert seen == [None]


def test_aliases_are_registered_lazily_with_complete_settings(make_tenant):
    tenant = make_tenant()
    alias = tenant_connections.alias_for(tenant.info())
    tenant_connections.release_tenant(tenant.info())
    assert alias not in connections.settings
    with tenant_context(tenant):
        Tag.objects.count()
    config = connections.settings[alias]
    for key in ("ENGINE", "NAME", "ATOMIC_REQUESTS", "AUTOCOMMIT", "CONN_MAX_AGE", "OPTIONS", "TIME_ZONE", "TEST"):
        assert key in config
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_open_tenant_connections_are_bounded(make_tenant):
    tenants = [make_tenant() for _ in range(6)]
    with override_settings(CONDUIT={**__import__("django.conf").conf.settings.CONDUIT, "MAX_TENANT_CONNECTIONS": 3}):
        for tenant in tenants:
            with tenant_context(tenant):
                Tag.objects.count()
        opened = tenant_connections.open_aliases()
        assert len(opened) == 3
        assert opened == [tenant_connections.alias_for(t.info()) for t in tenants[-3:]]
        live = [a for a in connections.settings if a.startswith("tenant_") and connections[a].connection is not None]
        assert len(live) <= 3


def test_moved_tenant_gets_a_fresh_alias(make_tenant):
    tenant = make_tenant()
    info = tenant.info()
    moved = type(info)(**{**info.__dict__, "database_url": info.database_url + ".moved"})
    assert tenant_connections.alias_for(info) != tenant_connections.alias_for(moved)


def test_eviction_in_one_thread_never_removes_an_alias_another_thread_holds(make_tenant, settings):
    settings.CONDUIT = {**settings.CONDUIT, "MAX_TENANT_CONNECTIONS": 1}
    a, b = make_tenant(), make_tenant()
    alias_a = tenant_connections.ensure_alias(a.info())
    errors = []

    def other_thread():
        try:
            tenant_connections.ensure_alias(b.info())  # at the cap: evicts only this thread's least recent
        except Exception as exc:  # pragma: no cover - the failure this test guards against
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert not errors
    assert connections[alias_a].vendor == "sqlite"  # the alias this thread holds is still registered
    with tenant_context(a):
        assert Tag.objects.count() == 0


def test_a_mixed_app_places_each_model_by_its_control_models(make_tenant):
    """events keeps its pipeline state in the control DB and its outbox in each tenant's (AppConfig.control_models)."""
    from events.models import BusEvent, FailedEvent, OutboxEvent
    from tenants.transfer.tables import tenant_models

    router, tenant = TenantRouter(), make_tenant()
    with tenant_context(tenant):
        assert router.db_for_write(BusEvent) == router.db_for_read(FailedEvent) == "default"
        assert router.db_for_write(OutboxEvent) == tenant.info().alias
    with pytest.raises(TenantNotSet):
        router.db_for_write(OutboxEvent)  # fail closed, as any tenant model
    alias = tenant.info().alias
    assert router.allow_migrate(alias, "events", model_name="busevent") is False
    assert router.allow_migrate("default", "events", model_name="busevent") is True
    assert router.allow_migrate(alias, "events", model_name="outboxevent") is True
    assert router.allow_migrate("default", "events", model_name="outboxevent") is False
    tables = {m._meta.db_table for m in tenant_models()}
    assert "content_outboxevent" in tables and "conduit_busevent" not in tables and "conduit_failedevent" not in tables
