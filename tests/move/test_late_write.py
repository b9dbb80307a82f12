"""A write that began before the read-only switch and lands after the copy aborts the move: an INSERT, an UPDATE,
a DELETE, and a DELETE plus an INSERT that leave every row count equal."""
import uuid
from unittest import mock

import pytest
from django.db import connections, router

from accounts.models import User
from content.models import Article
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.transfer import moving
from tenants.transfer.moving import MoveError, move_prepare, move_run
from tests.support.stack import PG_SERVER, pg_database_exists

LATE_WRITES = ["update", "insert", "delete", "delete_and_insert"]


def late_write(kind, tenant, article, author):
    """An in-flight request that started before read-only commits now, on the source."""
    with tenant_context(tenant):
        if kind == "update":
            Article.objects.filter(pk=article.pk).update(title="Late edit")  # row counts stay equal
        elif kind == "insert":
            Article.objects.create(slug="late", title="Late", body="b", author=author)
        elif kind == "delete":
            Article.objects.filter(pk=article.pk).delete()
        else:  # one gone, one new, and no signal (no outbox row): every table's row count stays as copied
            with connections[router.db_for_write(Article)].cursor() as cursor:
                cursor.execute(f"DELETE FROM {Article._meta.db_table} WHERE id = %s", [article.pk])
            Article.objects.bulk_create([Article(slug="late", title="Late", body="b", author=author)])


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("kind", LATE_WRITES)
def test_late_source_write_aborts_and_is_kept(transactional_db, make_tenant, actor, settings, pg_prefix, kind, engine):
    settings.CONDUIT = {**settings.CONDUIT, "REGISTRY_REFRESH_SECONDS": 0, "MOVE_GRACE_SECONDS": 0}
    if engine == "postgres":
        tenant = make_tenant(database_url=f"{PG_SERVER}/{pg_prefix}_late{uuid.uuid4().hex[:8]}")
        target = f"{PG_SERVER}/{pg_prefix}_late{uuid.uuid4().hex[:8]}"
    else:
        path = settings.DATA_DIR / "tenants" / f"late-{uuid.uuid4().hex[:8]}.sqlite3"  # under CONDUIT_DATABASE_DIRS
        tenant, target = make_tenant(), f"sqlite:///{path}"
    with tenant_context(tenant):
        author = User.objects.create_user(username="w", email="w@x.io", password="pw-pw-pw-pw")
        article = Article.objects.create(slug="a", title="Before", body="b", author=author)
        Article.objects.create(slug="o", title="Other", body="b", author=author)

    def write_after_copy(step):
        if step == "copy":
            late_write(kind, tenant, article, author)

    move = move_prepare(slug=tenant.slug, target_url=target, actor=actor)
    with mock.patch.object(moving, "_pause_hook", write_after_copy):
        with pytest.raises(MoveError, match="the source changed during the move"):
            move_run(move_id=move.pk)
    tenant.refresh_from_db()
    assert tenant.database_url == move.source_url and not tenant.read_only  # stayed put, writable
    if engine == "postgres":
        assert not pg_database_exists(target)  # the half-made target is gone
    else:
        assert not path.exists()
    with tenant_context(tenant):
        titles = set(Article.objects.values_list("title", flat=True))
    expected = {"update": {"Late edit", "Other"}, "insert": {"Before", "Late", "Other"}, "delete": {"Other"},
                "delete_and_insert": {"Late", "Other"}}
    assert titles == expected[kind]  # the late write is kept on the source
    assert Tenant.objects.get(pk=tenant.pk).database_url == move.source_url
