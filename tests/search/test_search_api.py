"""GET /api/search and /api/articles/<slug>/related through real HTTP: gunicorn, the worker, the real model.

The same suite runs on the embedded index and on Elasticsearch (the real client in gunicorn and in the worker,
talking to the fake ES wire server of tests/search/fake_es.py).
"""
import json
import signal
import subprocess
import sys
import time

import pytest

from tests.support.client import Site, assert_error
from tests.support.stack import Stack
from tests.search.fake_es import FakeElasticsearch
from tests.support.stack import ROOT

pytestmark = pytest.mark.slow

BREAD = {"title": "Baking sourdough bread at home", "description": "A starter guide",
         "body": "A starter, flour, water and patience give a crusty loaf.", "tagList": ["food"]}
KUBE = {"title": "Kubernetes autoscaling", "description": "Operations",
        "body": "The horizontal pod autoscaler adds replicas when CPU load rises.", "tagList": ["ops"]}
RYE = {"title": "Rye and spelt", "description": "More grains",
       "body": "Dense rye bread needs a long proof and a hot oven.", "tagList": ["food"]}
PARAPHRASE = "making leavened loaves in your kitchen"


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def backend(request):
    if request.param == "embedded":
        yield "embedded", "embedded"
    else:
        with FakeElasticsearch() as es:
            yield "elasticsearch", es.url


@pytest.fixture(scope="module")
def stack(tmp_path_factory, backend):
    s = Stack(tmp_path_factory.mktemp("searchstack"), CONDUIT_SEARCH_QUERY_EMBED_WAIT="5",
                     CONDUIT_SEARCH_URL=backend[1])
    yield s.start(workers=1)
    s.stop()


@pytest.fixture(scope="module")
def worker(stack):
    """`manage.py run_worker` running as in production; SIGTERM at the end (it stops its embedder gracefully)."""
    process = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=stack.env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    process.send_signal(signal.SIGTERM)
    assert process.wait(40) == 0


def wait_until(check, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not true after {timeout} s: {check.__doc__}")


def indexed(site, documents):
    def check():
        """every published article indexed, by text and by meaning"""
        stats = site.get("/api/health").json()["checks"]["search"]
        return stats["documents"] == documents and stats["vectors"] == documents and stats["pending"] == 0

    wait_until(check)


@pytest.fixture(scope="module")
def corpus(stack, worker):
    site = Site(stack, stack.create_tenant())
    alice, bob = site.register(), site.register()
    articles = {name: site.post("/api/articles", {"article": body}, alice["token"]).json()["article"]
                for name, body in (("bread", BREAD), ("kube", KUBE), ("rye", RYE))}
    draft = {**BREAD, "title": "Secret bread draft", "status": "draft"}
    assert site.post("/api/articles", {"article": draft}, alice["token"]).status_code == 201
    assert site.post(f"/api/articles/{articles['rye']['slug']}/favorite", token=bob["token"]).status_code == 200
    assert site.post(f"/api/profiles/{alice['username']}/follow", token=bob["token"]).status_code == 200
    indexed(site, 3)
    warm(site)
    return site, alice, bob, articles


def warm(site):
    """The web process loads the model on the first query: until then hybrid and semantic answer by words."""
    seen = []

    def ready():
        """the web process embeds queries"""
        for mode in ("hybrid", "semantic"):
            body = search(site, q="bread", mode=mode)
            seen.append((mode, body["mode"], body["degraded"]))
            if body["degraded"]:
                assert body["mode"] == "text" and body["articlesCount"] == 2  # still answers, by words
        return not any(degraded for _, _, degraded in seen[-2:])

    wait_until(ready, timeout=180)
    assert seen[-2:] == [("hybrid", "hybrid", False), ("semantic", "semantic", False)]


def search(site, token=None, **params):
    response = site.get("/api/search", token=token, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def slugs(body):
    return [a["slug"] for a in body["articles"]]


def test_text_search_returns_ranked_article_summaries_with_highlights(corpus):
    site, alice, _, articles = corpus
    body = search(site, q="bread", mode="text")
    assert slugs(body) == [articles["bread"]["slug"], articles["rye"]["slug"]]  # title match first; draft never
    assert body["articlesCount"] == 2 and body["mode"] == "text"
    first = body["articles"][0]
    assert {"slug", "title", "description", "tagList", "createdAt", "updatedAt", "favorited", "favoritesCount",
            "author", "score", "highlights"} <= set(first)
    assert first["author"]["username"] == alice["username"] and first["author"]["following"] is False
    assert first["highlights"]["title"] == "Baking sourdough <mark>bread</mark> at home"
    assert first["readingTime"] == 1 and first["keywords"][0] == "starter"  # enrichment kept in the index
    assert first["score"] > body["articles"][1]["score"]


def test_flags_are_those_of_the_reader(corpus):
    site, _, bob, articles = corpus
    rye = next(a for a in search(site, bob["token"], q="rye", mode="text")["articles"])
    assert rye["slug"] == articles["rye"]["slug"]
    assert rye["favorited"] is True and rye["favoritesCount"] == 1 and rye["author"]["following"] is True
    anonymous = search(site, q="rye", mode="text")["articles"][0]
    assert anonymous["favorited"] is False and anonymous["author"]["following"] is False


def test_semantic_finds_a_paraphrase_and_hybrid_is_the_default(corpus):
    site, _, _, articles = corpus
    assert search(site, q=PARAPHRASE, mode="text")["articlesCount"] == 0
    semantic = search(site, q=PARAPHRASE, mode="semantic")
    assert slugs(semantic)[0] in {articles["bread"]["slug"], articles["rye"]["slug"]}
    assert articles["kube"]["slug"] not in slugs(semantic)[:2]
    hybrid = search(site, q=PARAPHRASE)
    assert hybrid["mode"] == "hybrid" and hybrid["degraded"] is False
    assert set(slugs(hybrid)[:2]) == {articles["bread"]["slug"], articles["rye"]["slug"]}


def test_filters_and_paging(corpus):
    site, alice, _, articles = corpus
    assert slugs(search(site, q="bread", mode="text", tag="ops")) == []
    food = search(site, q="oven", mode="text", tag="food", author=alice["username"])
    assert slugs(food) == [articles["rye"]["slug"]]
    assert search(site, q="bread", author="somebody-else")["articlesCount"] == 0
    page = search(site, q="bread", mode="text", limit=1, offset=1)
    assert slugs(page) == [articles["rye"]["slug"]] and page["articlesCount"] == 2


@pytest.mark.parametrize("params, field", [
    ({}, "q"), ({"q": ""}, "q"), ({"q": "x", "mode": "fuzzy"}, "mode"), ({"q": "x", "limit": "0"}, "limit"),
    ({"q": "x", "limit": "101"}, "limit"), ({"q": "x", "offset": "abc"}, "offset"), ({"q": "x" * 501}, "q"),
])
def test_bad_parameters_are_422_in_the_realworld_shape(corpus, params, field):
    site = corpus[0]
    assert_error(site.get("/api/search", params=params), 422, field)


def test_search_latency_is_exported_by_mode(corpus, stack):
    site = corpus[0]
    search(site, q="bread", mode="text")
    assert site.get(f"/api/articles/{corpus[3]['bread']['slug']}/related").status_code == 200
    metrics = stack.request("GET", "/metrics").text
    for mode in ("text", "hybrid", "semantic", "related"):
        assert f'conduit_search_latency_seconds_count{{mode="{mode}"}}' in metrics, mode


def test_related_articles_are_nearest_in_meaning(corpus):
    site, _, _, articles = corpus
    response = site.get(f"/api/articles/{articles['bread']['slug']}/related", params={"limit": 1})
    assert response.status_code == 200, response.text
    assert slugs(response.json()) == [articles["rye"]["slug"]]
    assert_error(site.get("/api/articles/no-such-article/related"), 404, "article")
    assert_error(site.get(f"/api/articles/{articles['bread']['slug']}/related", params={"limit": "99"}), 422, "limit")


GARDEN = [{"title": f"Tomatoes {n}", "description": "Garden", "body": f"Tomatoes need sun, water and compost ({n}).",
           "tagList": ["garden"]} for n in ("early", "late", "cherry")]


def article_ids(stack, slug):
    """{article slug: primary key} read from the tenant database (the API never shows ids)."""
    result = stack.manage("tenant_command", slug, "shell", "-v", "0", "-c",
                          "import json; from content.models import Article; "
                          "print(json.dumps(dict(Article.objects.values_list('slug', 'id'))))")
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_other_tenants_see_nothing_even_when_article_ids_collide(corpus, stack, backend):
    """Another site's articles have the very ids of this one's (ids start at 1 in each tenant database): a search
    that read the wrong index would hydrate foreign hits as the other site's own articles and look plausible."""
    site, _, _, articles = corpus
    other = Site(stack, stack.create_tenant())
    gardener = other.register()
    theirs = [other.post("/api/articles", {"article": body}, gardener["token"]).json()["article"]["slug"]
              for body in GARDEN]
    indexed(other, 3)
    ours = {articles[name]["slug"] for name in ("bread", "kube", "rye")}
    mine, their_ids = article_ids(stack, site.slug), article_ids(stack, other.slug)
    assert {their_ids[s] for s in theirs} <= {mine[s] for s in ours}  # the same primary keys on both sites

    for q, site_count, other_count in (("bread", 2, 0), ("autoscaler", 1, 0), ("tomatoes", 0, 3)):
        assert search(site, q=q, mode="text")["articlesCount"] == site_count, q
        assert search(other, q=q, mode="text")["articlesCount"] == other_count, q
    found = search(other, q="tomatoes", mode="text")
    assert set(slugs(found)) == set(theirs)
    assert all("<mark>Tomatoes</mark>" in a["highlights"]["title"] for a in found["articles"])
    assert search(other, q="sourdough starter loaf", mode="text")["articlesCount"] == 0
    checks = [s.get("/api/health").json()["checks"]["search"] for s in (site, other)]
    assert all(c["ok"] and c["backend"] == backend[0] and c["documents"] == c["vectors"] == 3 for c in checks)


def test_unpublishing_leaves_search_at_once_and_the_index_when_the_worker_catches_up(corpus):
    site, alice, _, articles = corpus
    slug = articles["kube"]["slug"]
    assert slug in slugs(search(site, q="autoscaler", mode="text"))
    assert site.put(f"/api/articles/{slug}", {"article": {"status": "draft"}}, alice["token"]).status_code == 200
    assert slug not in slugs(search(site, q="autoscaler", mode="text"))  # hydration reads the current status

    def removed():
        """the worker removed the unpublished article from the index"""
        return site.get("/api/health").json()["checks"]["search"]["documents"] == 2

    wait_until(removed, timeout=60)
    assert search(site, q="autoscaler", mode="text")["articlesCount"] == 0
    assert_error(site.get(f"/api/articles/{slug}/related"), 404, "article")
