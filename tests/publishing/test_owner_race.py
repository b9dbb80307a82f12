"""The last-owner rule under concurrency: two owners revoking each other at once never leave the site ownerless,
on every engine (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT … FOR UPDATE; MongoDB: tenants.db.lock_rows writes
to the owners' documents, so the second transaction write-conflicts, is retried and finds one owner left)."""
import threading

import pytest
from django.db import connections

from accounts.models import User
from conduit.exceptions import Conflict
from publishing import services
from tenants.context import tenant_context
from tests.publishing.conftest import SiteClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "mongo"])
def test_two_concurrent_revokes_never_remove_the_last_owners(engine, client, make_tenant, request, monkeypatch):
    url = {"postgres": "pg_tenant_url", "mongo": "mongo_tenant_url"}.get(engine)
    tenant = make_tenant(owner_email="boss@example.com",
                         **({"database_url": request.getfixturevalue(url)} if url else {}))
    site = SiteClient(client, tenant)
    site.user("boss", "boss@example.com")
    site.user("bob")
    with tenant_context(tenant.info()):
        services.owner_grant(actor=User.objects.get(username="boss"), username="bob")

    # Both revokes read the owners, then wait for each other (up to a moment: on SQL the second one is blocked by
    # the first's lock), so without a lock both would see two owners and both would revoke.
    meet, real_user = threading.Barrier(2), services._user

    def user_then_meet(username, *, field):
        found = real_user(username, field=field)
        try:
            meet.wait(0.3)
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(services, "_user", user_then_meet)
    results = []

    def revoke(actor, target):
        try:
            with tenant_context(tenant.info()):
                services.owner_revoke(actor=User.objects.get(username=actor), username=target)
            results.append("revoked")
        except Conflict:
            results.append("last owner")
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revoke, args=pair) for pair in (("boss", "bob"), ("bob", "boss"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(map(str, results)) == ["last owner", "revoked"], results
    with tenant_context(tenant.info()):
        assert User.objects.filter(is_owner=True).count() == 1
