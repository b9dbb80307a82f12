"""In-process helpers for content's tests: a tenant's API through Django's test client, users with tokens."""
import pytest

from tests.support.inprocess import Api


@pytest.fixture
def api_for(client):
    return lambda tenant: Api(client, tenant)
