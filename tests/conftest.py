import uuid

import pytest

from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.testcases import SimpleTestCase

from tests.stack import Stack, pg_create_database, pg_drop_databases, pg_url

_django_patch = SimpleTestCase.ensure_connection_patch_method.__func__


def _ensure_connection_patch_method(cls):
    """Let tests use tenant aliases: they are registered at runtime (tenancy rule 3), so Django's test case
    cannot list them in `databases`; each test's tenants are its own databases, so isolation holds by construction."""
    real = BaseDatabaseWrapper.ensure_connection  # as Django's own patch does: the unblocked method, now
    guarded = _django_patch(cls)

    def ensure_connection(self, *args, **kwargs):
        if self.alias.startswith("tenant_"):
            return real(self, *args, **kwargs)
        return guarded(self, *args, **kwargs)

    return ensure_connection


SimpleTestCase.ensure_connection_patch_method = classmethod(_ensure_connection_patch_method)


def unique(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def actor():
    from tenants.services import Actor

    return Actor(name="tester", source_ip="127.0.0.9")


@pytest.fixture
def make_tenant(db, actor):
    """Create a tenant (embedded SQLite unless database_url is given) through the real service."""
    from tenants.services import tenant_create

    def make(slug=None, **kwargs):
        return tenant_create(slug=unique() if slug is None else slug, actor=actor, **kwargs)

    return make


@pytest.fixture(scope="session")
def pg_prefix():
    prefix = f"ctest_{uuid.uuid4().hex[:8]}"
    yield prefix
    pg_drop_databases(prefix)


@pytest.fixture
def pg_tenant_url(pg_prefix):
    return pg_url(pg_prefix)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """One gunicorn-served Conduit (embedded profile) for the end-to-end tests of a test process."""
    s = Stack(tmp_path_factory.mktemp("stack"))
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory, pg_prefix):
    """The scale-out database profile: control database and one database per tenant on PostgreSQL."""
    s = Stack(tmp_path_factory.mktemp("pgstack"), DATABASE_URL=pg_create_database(f"{pg_prefix}s_control"),
              CONDUIT_TENANT_DATABASE_URL=pg_url(pg_prefix + "s"))
    s.start()
    yield s
    s.stop()
