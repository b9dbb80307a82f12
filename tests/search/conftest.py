import uuid

import pytest
from django.conf import settings
from django.test import override_settings

from tests.search.fake_es import FakeElasticsearch


@pytest.fixture(scope="session")
def model():
    """The real all-MiniLM-L6-v2, loaded once per test session."""
    from search.enrichment import embedder

    embedder.load()
    return embedder


@pytest.fixture
def fake_es():
    with FakeElasticsearch() as es:
        yield es


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request, tmp_path):
    """The same behaviour, on the embedded index and on the Elasticsearch adapter (real client, fake wire server)."""
    if request.param == "embedded":
        from search.backends.embedded import EmbeddedBackend

        yield EmbeddedBackend(tmp_path / "search")
    else:
        from search.backends.elastic import ElasticsearchBackend

        with FakeElasticsearch() as es:
            yield ElasticsearchBackend(es.url, prefix=f"t{uuid.uuid4().hex[:6]}-")


@pytest.fixture
def search_url(request):
    """Point the platform's search backend (CONDUIT_SEARCH_URL) somewhere for one test."""
    overrides = []

    def apply(url):
        override = override_settings(CONDUIT={**settings.CONDUIT, "SEARCH_URL": url})
        override.enable()
        overrides.append(override)

    yield apply
    for override in reversed(overrides):
        override.disable()


@pytest.fixture(autouse=True)
def _empty_embedding_queue():
    """Work queued in this process's embedder by one test is not another test's backlog (the index keeps it)."""
    yield
    from search.indexing import _embedder

    for tenant in list(_embedder._queue):
        _embedder.forget(tenant)
