import pytest

from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.testcases import SimpleTestCase

from tests.support.stack import unique

pytest_plugins = ["tests.support.fixtures"]  # the stack fixtures, for every test directory

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


# Private Django hook, kept: tenant aliases appear after `databases` is fixed, so without it they are forbidden.
SimpleTestCase.ensure_connection_patch_method = classmethod(_ensure_connection_patch_method)


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
