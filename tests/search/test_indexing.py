"""index_events and the embedder with the real model, on the embedded index (and once on Elasticsearch)."""
import time

import pytest

from search import engine, indexing
from search.backends import get_backend
from search.documents import Filters
from search.query import parse
from tenants.context import tenant_context
from tests.search.helpers import event, publish, writer

EMBED_WAIT_SECONDS = 60.0  # a bound on waiting for the background embedder, not a latency claim

pytestmark = pytest.mark.slow

BREAD = ("Baking sourdough bread at home", "A starter, flour, water and patience give a crusty loaf.")
KUBE = ("Kubernetes autoscaling", "The horizontal pod autoscaler adds replicas when CPU load rises.")
PARAPHRASE = "making leavened loaves in your kitchen"  # shares no word with BREAD


def _search(tenant, q, mode="hybrid", **filters):
    return engine.search(tenant=tenant.slug, query=parse(q), mode=mode, filters=Filters(**filters), limit=10, offset=0)


def _slugs(result, tenant):
    from content.models import Article

    with tenant_context(tenant):
        by_id = dict(Article.objects.values_list("id", "slug"))
    return [by_id[hit.id] for hit in result.hits]


@pytest.fixture
def seen():
    calls = []
    indexing.on_searchable(lambda event, stage, at: calls.append((event.entity_id, stage)))
    yield calls
    indexing._callbacks.clear()


def test_text_at_once_meaning_after_the_embedder(make_tenant, model, seen):
    tenant = make_tenant()
    with tenant_context(tenant):
        author = writer()
        bread, kube = publish(author, *BREAD), publish(author, *KUBE)
    assert indexing.index_events([event(tenant, bread), event(tenant, kube)]) == [None, None]
    assert _search(tenant, "sourdough", mode="text").hits[0].id == bread.id
    assert seen == [(str(bread.id), "text"), (str(kube.id), "text")]
    assert sorted(get_backend().pending_vectors(tenant.slug)) == sorted([bread.id, kube.id])
    assert indexing.embed_pending(tenant=tenant.slug) == 2
    assert {(str(bread.id), "vector"), (str(kube.id), "vector")} <= set(seen)
    semantic = _search(tenant, PARAPHRASE, mode="semantic")
    assert [h.id for h in semantic.hits][:1] == [bread.id]
    assert _search(tenant, PARAPHRASE, mode="text").total == 0
    assert indexing.embedding_backlog() == 0


def test_drafts_unpublished_and_deleted_articles_leave_the_index(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        author = writer()
        draft = publish(author, "Draft about bread", "bread", status="draft")
        live = publish(author, "Live bread", "bread")
    indexing.index_events([event(tenant, draft), event(tenant, live)])
    assert [h.id for h in _search(tenant, "bread", mode="text").hits] == [live.id]
    with tenant_context(tenant):
        live.status = "draft"
        live.save()
    indexing.index_events([event(tenant, live, "article.unpublished")])
    assert _search(tenant, "bread", mode="text").total == 0
    with tenant_context(tenant):
        live.status = "published"
        live.save()
    indexing.index_events([event(tenant, live, "article.published")])
    assert _search(tenant, "bread", mode="text").total == 1
    deleted = event(tenant, live, "article.deleted")
    with tenant_context(tenant):
        live.delete()
    assert indexing.index_events([deleted]) == [None]
    assert _search(tenant, "bread", mode="text").total == 0


def test_one_bad_event_does_not_block_the_rest(make_tenant):
    from events.event import Event

    tenant = make_tenant()
    with tenant_context(tenant):
        article = publish(writer(), "Good bread", "bread")
    events = [
        Event(type="article.updated", tenant=tenant.slug, entity="article", entity_id="not-a-number"),
        event(tenant, article),
        Event(type="article.updated", tenant="purged-or-unknown", entity="article", entity_id="1"),
        Event(type="comment.created", tenant=tenant.slug, entity="comment", entity_id="5"),
    ]
    results = indexing.index_events(events)
    assert isinstance(results[0], ValueError) and results[1:] == [None, None, None]
    assert _search(tenant, "bread", mode="text").total == 1


def test_hybrid_fuses_words_and_meaning(make_tenant, model):
    tenant = make_tenant()
    with tenant_context(tenant):
        author = writer()
        bread, kube = publish(author, *BREAD), publish(author, *KUBE)
        loaves = publish(author, "Loaves", "Notes on leavened loaves and the kitchen oven.", tags=["food"])
    indexing.index_events([event(tenant, a) for a in (bread, kube, loaves)])
    indexing.embed_pending(tenant=tenant.slug)
    text = _search(tenant, PARAPHRASE, mode="text")
    hybrid = _search(tenant, PARAPHRASE)
    assert [h.id for h in text.hits] == [loaves.id]
    assert {loaves.id, bread.id} <= {h.id for h in hybrid.hits}
    assert hybrid.hits[0].id == loaves.id  # first in both lists: the highest fused score
    assert hybrid.hits[0].score == pytest.approx(2 / 61)
    assert hybrid.total == len(hybrid.hits) and hybrid.mode == "hybrid" and not hybrid.degraded
    assert [h.id for h in _search(tenant, PARAPHRASE, tag="food").hits] == [loaves.id]


@pytest.mark.django_db(transaction=True)  # the embedder thread reads the tenant registry on its own connection
def test_embedding_work_left_by_a_stopped_worker_is_resumed(make_tenant, model):
    tenant = make_tenant()
    with tenant_context(tenant):
        article = publish(writer(), *BREAD)
    indexing.index_events([event(tenant, article)])
    indexing._embedder.forget(tenant.slug)  # the process died: only the index remembers
    assert get_backend().pending_vectors(tenant.slug) == [article.id]
    indexing.start_embedder()
    try:
        deadline = time.monotonic() + EMBED_WAIT_SECONDS
        while get_backend().pending_vectors(tenant.slug) or indexing.embedding_backlog():
            assert time.monotonic() < deadline, "the embedder did not resume the pending work"
            time.sleep(0.05)
    finally:
        assert indexing.stop_embedder(timeout=10)
    assert get_backend().stats(tenant.slug)["vectors"] == 1


def test_reindex_rebuilds_text_then_vectors_with_progress(make_tenant, model):
    from io import StringIO

    from django.core.management import CommandError, call_command

    tenant = make_tenant()
    with tenant_context(tenant):
        author = writer()
        for n in range(3):
            publish(author, f"Bread {n}", "sourdough")
        publish(author, "Draft", "sourdough", status="draft")
    out = StringIO()
    call_command("reindex", tenant.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{tenant.slug}: text 3/3" in lines and f"{tenant.slug}: vectors 3/3" in lines
    assert get_backend().stats(tenant.slug) == {"documents": 3, "vectors": 3, "pending": 0}
    with pytest.raises(CommandError):
        call_command("reindex")
    with pytest.raises(CommandError, match="unknown tenant"):
        call_command("reindex", "no-such-tenant")


def test_purging_a_tenant_drops_its_index(make_tenant, actor, settings, django_capture_on_commit_callbacks):
    from tenants.services import tenant_delete

    tenant = make_tenant()
    with tenant_context(tenant):
        article = publish(writer(), "Bread", "x")
    indexing.index_events([event(tenant, article)])
    path = settings.DATA_DIR / "search" / tenant.slug
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        tenant_delete(slug=tenant.slug, actor=actor, purge=True)
    assert not path.exists()
    assert indexing.index_events([event(tenant, article)]) == [None]  # late events of a purged tenant are done
    assert not path.exists()


def test_the_same_flow_on_elasticsearch(make_tenant, model, fake_es, search_url):
    search_url(fake_es.url)
    tenant = make_tenant()
    with tenant_context(tenant):
        author = writer()
        bread, kube = publish(author, *BREAD), publish(author, *KUBE)
        draft = publish(author, "Draft bread", "bread", status="draft")
    assert indexing.index_events([event(tenant, a) for a in (bread, kube, draft)]) == [None] * 3
    assert [h.id for h in _search(tenant, "bread", mode="text").hits] == [bread.id]
    assert indexing.embed_pending(tenant=tenant.slug) == 2
    assert _search(tenant, PARAPHRASE, mode="semantic").hits[0].id == bread.id
    assert f"conduit-{tenant.slug}" in fake_es.store.indices


@pytest.mark.parametrize("engine_url", [pytest.param("pg_tenant_url", marks=pytest.mark.postgres),
                                        pytest.param("mongo_tenant_url", marks=pytest.mark.mongodb)])
def test_a_postgresql_or_mongodb_tenant_indexes_the_same_way(make_tenant, engine_url, request, model):
    tenant = make_tenant(database_url=request.getfixturevalue(engine_url))
    with tenant_context(tenant):
        author = writer()
        bread = publish(author, *BREAD, tags=["baking"])
        draft = publish(author, "Draft bread", "bread", status="draft")
    assert indexing.index_events([event(tenant, bread), event(tenant, draft)]) == [None, None]
    assert indexing.embed_pending(tenant=tenant.slug) == 1
    assert [h.id for h in _search(tenant, "bread").hits] == [bread.id]
    assert _search(tenant, PARAPHRASE, mode="semantic").hits[0].id == bread.id
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reindex", tenant.slug, stdout=out)  # the tenant's published articles read back, tags included
    assert f"{tenant.slug}: text 1/1" in out.getvalue().splitlines()
    assert [h.id for h in _search(tenant, "bread", mode="text", tag="baking").hits] == [bread.id]
    assert get_backend().stats(tenant.slug) == {"documents": 1, "vectors": 1, "pending": 0}
