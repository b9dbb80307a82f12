"""A write that began before the read-only switch and lands after the copy aborts the move, even an UPDATE."""
from pathlib import Path
from unittest import mock

import pytest

from accounts.models import User
from content.models import Article
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.transfer import moving
from tenants.transfer.moving import MoveError, move_prepare, move_run


@pytest.mark.parametrize("late_write", ["update", "insert"])
def test_late_source_write_aborts_and_is_kept(transactional_db, make_tenant, actor, settings, late_write):
    settings.CONDUIT = {**settings.CONDUIT, "REGISTRY_REFRESH_SECONDS": 0}
    tenant = make_tenant()
    with tenant_context(tenant):
        author = User.objects.create_user(username="w", email="w@x.io", password="pw-pw-pw-pw")
        article = Article.objects.create(slug="a", title="Before", body="b", author=author)

    def write_after_copy(step):
        if step == "copy":  # an in-flight request that started before read-only commits now, on the source
            with tenant_context(tenant):
                if late_write == "update":
                    Article.objects.filter(pk=article.pk).update(title="Late edit")  # row counts stay equal
                else:
                    Article.objects.create(slug="late", title="Late", body="b", author=author)

    target = Path(settings.DATA_DIR) / "tenants" / f"{tenant.slug}-target.sqlite3"  # targets lie under the data dir
    move = move_prepare(slug=tenant.slug, target_url=f"sqlite:///{target}", actor=actor)
    with mock.patch.object(moving, "GRACE_SECONDS", 0), mock.patch.object(moving, "_pause_hook", write_after_copy):
        with pytest.raises(MoveError, match="the source changed during the move"):
            move_run(move_id=move.pk)
    tenant.refresh_from_db()
    assert tenant.database_url == move.source_url and not tenant.read_only  # stayed put, writable
    assert not target.exists()  # the half-made target is gone
    with tenant_context(tenant):
        titles = set(Article.objects.values_list("title", flat=True))
    assert ("Late edit" in titles) if late_write == "update" else ("Late" in titles)  # the write is kept
    assert Tenant.objects.get(pk=tenant.pk).database_url == move.source_url
