"""The Elasticsearch adapter as seen on the wire: the real client against a local server speaking the ES REST API."""
import pytest

from search.backends.elastic import BulkError, ElasticsearchBackend
from search.documents import Filters
from search.query import parse
from tests.search.helpers import doc, unit


@pytest.fixture
def es_backend(fake_es):
    return ElasticsearchBackend(fake_es.url, prefix="conduit-")


def sent(fake_es, method, suffix):
    return [r for r in fake_es.requests if r["method"] == method and r["path"].endswith(suffix)]


def test_one_index_per_tenant_with_text_and_cosine_vector_mappings(es_backend, fake_es):
    es_backend.upsert("acme", [doc(1, "Bread", "x")])
    es_backend.upsert("acme", [doc(2, "Bread", "y")])
    created = sent(fake_es, "PUT", "/conduit-acme")
    assert len(created) == 1  # created once, then remembered
    mapping = created[0]["body"]["mappings"]["properties"]
    assert mapping["vector"] == {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine"}
    assert mapping["title"]["type"] == "text" and mapping["tags"]["type"] == "keyword"
    assert {k.lower(): v for k, v in created[0]["headers"].items()}["accept"].startswith("application/vnd.elasticsearch+json")
    bulk = sent(fake_es, "PUT", "/_bulk")[-1]
    assert bulk["params"]["refresh"] == "wait_for"  # text is searchable when upsert returns
    assert bulk["body"][0] == {"update": {"_index": "conduit-acme", "_id": "2"}}
    assert bulk["body"][1]["doc_as_upsert"] is True and bulk["body"][1]["doc"]["vector"] is None


def test_search_request_shape(es_backend, fake_es):
    es_backend.upsert("acme", [doc(1, "Bread", "sourdough", tags=("food",), author="ann")])
    es_backend.text_search("acme", parse('bread "sour dough" sou*'), Filters(tag="food", author="ann"), limit=7, offset=14)
    request = sent(fake_es, "POST", "/conduit-acme/_search")[-1]
    body = request["body"]
    assert request["params"]["ignore_unavailable"] == "true"
    assert (body["from"], body["size"], body["track_total_hits"]) == (14, 7, True)
    assert body["query"]["bool"]["filter"] == [{"term": {"tags": "food"}}, {"term": {"author": "ann"}}]
    text = body["query"]["bool"]["must"][0]["bool"]
    assert text["should"][0]["multi_match"]["query"] == "bread"
    assert text["must"][0]["multi_match"] == {"query": "sour dough", "fields": ["title^3", "description^1.5", "body",
                                                                               "keywords^0.5"], "type": "phrase"}
    assert {"prefix": {"title": {"value": "sou"}}} in text["must"][1]["bool"]["should"]
    assert body["highlight"]["pre_tags"] == ["<mark>"] and body["highlight"]["encoder"] == "html"


def test_knn_request_and_cosine_from_es_score(es_backend, fake_es):
    docs = [doc(1, "A", "x", tags=("t",)), doc(2, "B", "y")]
    es_backend.upsert("acme", docs)
    es_backend.set_vectors("acme", {1: (unit(1), docs[0].text_hash), 2: (unit(2), docs[1].text_hash)})
    found = es_backend.vector_search("acme", unit(1), Filters(tag="t"), k=3, min_similarity=0.0, exclude=(2,))
    assert found[0][0] == 1 and abs(found[0][1] - 1.0) < 1e-4  # ES scores (1 + cos) / 2; we report cos
    knn = sent(fake_es, "POST", "/conduit-acme/_search")[-1]["body"]["knn"]
    assert knn["field"] == "vector" and knn["k"] == 3 and knn["num_candidates"] == 100
    assert len(knn["query_vector"]) == 384
    assert knn["filter"] == [{"term": {"tags": "t"}}, {"bool": {"must_not": [{"ids": {"values": ["2"]}}]}}]


def test_bulk_errors_are_raised_not_swallowed(es_backend):
    es_backend._ensure("acme")
    with pytest.raises(BulkError, match="document_missing"):
        es_backend._bulk([{"update": {"_index": "conduit-acme", "_id": "9"}}, {"doc": {"title": "x"}}])


def test_missing_index_reads_as_empty(es_backend):
    assert es_backend.text_search("ghost", parse("x"), Filters(), limit=5, offset=0).total == 0
    assert es_backend.vector_search("ghost", unit(1), Filters(), k=5, min_similarity=-1) == []
    assert es_backend.stats("ghost") == {"documents": 0, "vectors": 0, "pending": 0}
    assert es_backend.pending_vectors("ghost") == []


def test_pending_vectors_pages_with_search_after(es_backend, fake_es, monkeypatch):
    monkeypatch.setattr("search.backends.elastic.PAGE", 2)
    es_backend.upsert("acme", [doc(i, "T", "x") for i in range(1, 6)])
    assert es_backend.pending_vectors("acme") == [1, 2, 3, 4, 5]
    pages = [r["body"] for r in sent(fake_es, "POST", "/conduit-acme/_search")]
    assert [p.get("search_after") for p in pages[-3:]] == [None, [2], [4]]
