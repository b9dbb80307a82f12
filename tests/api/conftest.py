"""Users of the `site` fixture (tests/support/fixtures.py: a tenant per database backend, driven through real HTTP)."""
import pytest


@pytest.fixture
def alice(site):
    return site.register()


@pytest.fixture
def bob(site):
    return site.register()
