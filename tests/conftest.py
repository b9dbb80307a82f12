import uuid

import pytest

from tests.stack import Stack, pg_drop_databases, pg_url


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
        return tenant_create(slug=slug or unique(), actor=actor, **kwargs)

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
    """The same, with tenant databases on PostgreSQL (one database per tenant)."""
    s = Stack(tmp_path_factory.mktemp("pgstack"), CONDUIT_TENANT_DATABASE_URL=pg_url(pg_prefix + "s"))
    s.start()
    yield s
    s.stop()
