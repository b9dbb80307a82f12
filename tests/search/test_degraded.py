"""While a web process is still loading the model, hybrid and semantic searches answer by words and say so."""
from search import engine, indexing
from search.documents import Filters
from search.query import parse
from tenants.context import tenant_context
from tests.search.helpers import event, publish, writer


def test_modes_degrade_to_text_until_the_query_can_be_embedded(make_tenant, monkeypatch):
    monkeypatch.setattr(engine, "query_vector", lambda query: None)  # the model is not loaded in this process yet
    tenant = make_tenant()
    with tenant_context(tenant):
        article = publish(writer(), "Sourdough bread", "A crusty loaf.")
    indexing.index_events([event(tenant, article)])
    for mode in ("hybrid", "semantic"):
        result = engine.search(tenant=tenant.slug, query=parse("bread"), mode=mode, filters=Filters(), limit=5, offset=0)
        assert (result.mode, result.degraded, [h.id for h in result.hits]) == ("text", True, [article.id])
