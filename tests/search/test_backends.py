"""Backend behaviour, run on the embedded index and on the Elasticsearch adapter alike (vectors are synthetic)."""
from search.documents import Filters
from search.query import parse
from tests.search.helpers import doc, unit

NONE = Filters()


def ids(page):
    return [hit.id for hit in page.hits]


def search(backend, q, tenant="acme", filters=NONE, **kw):
    return backend.text_search(tenant, parse(q), filters, limit=kw.get("limit", 10), offset=kw.get("offset", 0))


def test_title_match_outranks_body_only_match(backend):
    backend.upsert("acme", [
        doc(1, "Gardening notes", "Some thoughts on compost and a little about tomatoes."),
        doc(2, "Tomatoes", "Growing them in pots."),
        doc(3, "Unrelated", "Nothing to see here."),
    ])
    page = search(backend, "tomatoes")
    assert ids(page) == [2, 1]
    assert page.total == 2
    assert page.hits[0].score > page.hits[1].score


def test_phrase_needs_the_words_adjacent_and_in_order(backend):
    backend.upsert("acme", [
        doc(1, "A", "the pod autoscaler scales pods"),
        doc(2, "B", "the autoscaler of a pod"),
    ])
    assert ids(search(backend, '"pod autoscaler"')) == [1]
    assert set(ids(search(backend, "pod autoscaler"))) == {1, 2}


def test_prefix_matches_word_starts(backend):
    backend.upsert("acme", [doc(1, "Kubernetes", "autoscaling clusters"), doc(2, "Bread", "a loaf"), doc(3, "Auto", "")])
    assert set(ids(search(backend, "auto*"))) == {1, 3}
    assert ids(search(backend, "zzz*")) == []


def test_prefix_matches_every_word_it_starts(backend):
    """No cap on the words a prefix expands to, on either backend (Elasticsearch's prefix query has none)."""
    backend.upsert("acme", [doc(i, f"Note {i}", f"zeta{i:03d} appears here") for i in range(1, 121)])
    page = search(backend, "zeta*", limit=200)
    assert page.total == 120 and len(page.hits) == 120
    assert search(backend, "zeta* appears", limit=1).total == 120
    assert search(backend, "zeta0*", limit=1).total == 99


def test_filters_by_tag_and_author(backend):
    backend.upsert("acme", [
        doc(1, "Bread one", "bread", tags=("food",), author="ann"),
        doc(2, "Bread two", "bread", tags=("food", "baking"), author="bob"),
        doc(3, "Bread three", "bread", tags=("ops",), author="ann"),
    ])
    assert set(ids(search(backend, "bread", filters=Filters(tag="food")))) == {1, 2}
    assert ids(search(backend, "bread", filters=Filters(tag="food", author="ann"))) == [1]
    assert ids(search(backend, "bread", filters=Filters(tag="Food"))) == []  # tags are exact


def test_hits_carry_the_enrichment_kept_in_the_index(backend):
    from dataclasses import replace

    backend.upsert("acme", [replace(doc(1, "Bread", "sourdough"), keywords=("sourdough", "bread"), reading_time=3)])
    assert search(backend, "bread").hits[0].details == {"readingTime": 3, "keywords": ["sourdough", "bread"]}
    assert backend.annotations("acme", parse("x"), [1])[1][1]["readingTime"] == 3


def test_highlights_mark_terms_and_escape_html(backend):
    backend.upsert("acme", [doc(1, "A <b>bold</b> title", "Use <script>alert(1)</script> then sourdough bread.")])
    hit = search(backend, "bread").hits[0]
    assert "<mark>bread</mark>" in hit.highlights["body"]
    assert "<script>" not in hit.highlights["body"] and "&lt;script&gt;" in hit.highlights["body"]
    assert hit.highlights["title"] == "A &lt;b&gt;bold&lt;/b&gt; title"  # no match in the title: whole, escaped


def test_pagination_and_total(backend):
    backend.upsert("acme", [doc(i, f"Note {i}", "common word " * (i + 1)) for i in range(1, 8)])
    first, second = search(backend, "common", limit=3), search(backend, "common", limit=3, offset=3)
    assert first.total == second.total == 7
    assert len(first.hits) == 3 and not set(ids(first)) & set(ids(second))


def test_tenants_never_see_each_others_documents(backend):
    backend.upsert("acme", [doc(1, "Secret plans", "acme only")])
    backend.set_vectors("acme", {1: (unit(1), doc(1, "Secret plans", "acme only").text_hash)})
    backend.upsert("globex", [doc(1, "Public", "globex")])
    assert ids(search(backend, "secret", tenant="globex")) == []
    assert [i for i, _ in backend.vector_search("globex", unit(1), NONE, k=5, min_similarity=-1)] == []
    assert ids(search(backend, "secret", tenant="acme")) == [1]
    assert ids(search(backend, "secret", tenant="nobody")) == []


def test_vectors_follow_the_text_they_were_computed_from(backend):
    first = doc(1, "Bread", "sourdough")
    assert backend.upsert("acme", [first, doc(2, "Pods", "kubernetes")]) == [1, 2]
    assert backend.pending_vectors("acme") == [1, 2]
    assert backend.set_vectors("acme", {1: (unit(1), first.text_hash), 2: (unit(2), "some older text")}) == [1]
    assert backend.pending_vectors("acme") == [2]  # a vector of another text is not stored
    assert backend.upsert("acme", [first]) == []  # same text: the vector stays valid
    changed = doc(1, "Bread", "rye now")
    assert backend.upsert("acme", [changed]) == [1]
    assert 1 in backend.pending_vectors("acme")
    assert backend.stats("acme")["documents"] == 2


def test_vector_search_ranks_by_cosine_with_filters_and_exclusions(backend):
    backend.upsert("acme", [doc(i, f"D{i}", "x", tags=("even",) if i % 2 == 0 else ()) for i in range(1, 6)])
    query = unit(3)
    near = (query + 0.3 * unit(99)) / (1.09**0.5)
    vectors = {i: (unit(i), doc(i, f"D{i}", "x").text_hash) for i in range(1, 6)}
    vectors[4] = (near / (near @ near) ** 0.5, vectors[4][1])
    backend.set_vectors("acme", vectors)
    found = backend.vector_search("acme", query, NONE, k=2, min_similarity=-1)
    assert [i for i, _ in found] == [3, 4]
    assert abs(found[0][1] - 1.0) < 1e-3
    assert [i for i, _ in backend.vector_search("acme", query, Filters(tag="even"), k=1, min_similarity=-1)] == [4]
    assert 3 not in [i for i, _ in backend.vector_search("acme", query, NONE, k=5, min_similarity=-1, exclude=(3,))]
    assert [i for i, _ in backend.vector_search("acme", query, NONE, k=5, min_similarity=0.5)] == [3, 4]
    assert backend.lookup("acme", "a-4")[0] == 4 and backend.lookup("acme", "a-4")[1] is not None
    assert backend.lookup("acme", "missing") is None


def test_delete_clear_and_drop(backend):
    backend.upsert("acme", [doc(1, "Bread", "x"), doc(2, "Bread", "y")])
    backend.set_vectors("acme", {1: (unit(1), doc(1, "Bread", "x").text_hash)})
    backend.delete("acme", [1, 999])
    assert ids(search(backend, "bread")) == [2]
    assert backend.vector_search("acme", unit(1), NONE, k=5, min_similarity=-1) == []
    backend.clear("acme")
    assert backend.stats("acme")["documents"] == 0
    backend.upsert("acme", [doc(3, "Bread", "z")])
    backend.drop("acme")
    assert ids(search(backend, "bread")) == [] and backend.stats("acme")["documents"] == 0
    backend.drop("acme")  # dropping twice is fine


def test_highlights_and_overlap_count_for_fused_results(backend):
    backend.upsert("acme", [doc(1, "Bread", "sourdough bread"), doc(2, "Loaves", "leavened dough")])
    marked = {i: highlights for i, (highlights, _) in backend.annotations("acme", parse("bread"), [1, 2]).items()}
    assert "<mark>" in marked[1]["body"] and marked[2]["title"] == "Loaves"
    assert backend.count_matching("acme", parse("bread"), NONE, [1, 2]) == 1
