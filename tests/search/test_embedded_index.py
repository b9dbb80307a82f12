"""What only the embedded index has to get right: tantivy's traps and its single writer across processes."""
import multiprocessing

from search.backends.embedded import PREFIX_SCORED_TERMS, EmbeddedBackend
from search.documents import Filters
from search.query import parse
from tests.search.helpers import doc


def test_prefix_matches_every_word_start_past_any_expansion_limit(tmp_path):
    """`prefix*` is a full filter (README, Elasticsearch's prefix query): 120 distinct words, all found — past
    tantivy's phrase_prefix limit (50) and past the expansions that rank (PREFIX_SCORED_TERMS)."""
    backend = EmbeddedBackend(tmp_path)
    backend.upsert("acme", [doc(i, f"Note {i}", f"zeta{i:03d} appears here") for i in range(1, 121)])
    assert 120 > PREFIX_SCORED_TERMS
    page = backend.text_search("acme", parse("zeta*"), Filters(), limit=200, offset=0)
    assert page.total == 120 and sorted(h.id for h in page.hits) == list(range(1, 121))
    assert backend.text_search("acme", parse("zeta0*"), Filters(), limit=200, offset=0).total == 99
    assert backend.text_search("acme", parse("zeta11*"), Filters(), limit=200, offset=0).total == 10
    assert backend.count_matching("acme", parse("zeta*"), Filters(), list(range(1, 121))) == 120


def test_a_frequent_prefix_word_ranks_first_and_is_highlighted(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    rare = [doc(i, f"Note {i}", f"zeta{i:03d}") for i in range(1, 101)]
    backend.upsert("acme", [*rare, doc(500, "Zetaform zetaform", "zetaform zetaform zetaform")])
    page = backend.text_search("acme", parse("zeta*"), Filters(), limit=5, offset=0)
    assert page.total == 101 and page.hits[0].id == 500
    assert "<mark>Zetaform</mark>" in page.hits[0].highlights["title"]


def test_star_is_not_silently_dropped(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.upsert("acme", [doc(1, "Autoscaling", ""), doc(2, "Auto", "")])
    assert {h.id for h in backend.text_search("acme", parse("autos*"), Filters(), limit=10, offset=0).hits} == {1}


def _write(root, start, rounds):
    backend = EmbeddedBackend(root)
    for n in range(rounds):
        base = start + n * 10
        backend.upsert("acme", [doc(i, f"Shared {i}", "written concurrently") for i in range(base, base + 10)])


def test_writers_in_several_processes_take_turns(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write, args=(tmp_path, start, 8)) for start in (1000, 2000, 3000)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    reader = EmbeddedBackend(tmp_path)
    assert reader.text_search("acme", parse("concurrently"), Filters(), limit=1, offset=0).total == 240
    assert len(reader.pending_vectors("acme")) == 240


def test_a_reader_sees_another_writers_commit_and_purge(tmp_path):
    reader, writer = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    writer.upsert("acme", [doc(1, "First", "")])
    assert reader.text_search("acme", parse("first"), Filters(), limit=5, offset=0).total == 1
    writer.upsert("acme", [doc(2, "First again", "")])
    assert reader.text_search("acme", parse("first"), Filters(), limit=5, offset=0).total == 2
    writer.drop("acme")
    assert reader.text_search("acme", parse("first"), Filters(), limit=5, offset=0).total == 0
    assert not (tmp_path / "acme").exists()


def test_open_indexes_per_process_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr("search.backends.embedded.MAX_OPEN_INDEXES", 2)
    backend = EmbeddedBackend(tmp_path)
    for tenant in ("a", "b", "c"):
        backend.upsert(tenant, [doc(1, f"Doc of {tenant}", "")])
    assert list(backend._open) == ["b", "c"]
    assert backend.text_search("a", parse("doc"), Filters(), limit=5, offset=0).total == 1  # reopened on demand
    assert list(backend._open) == ["c", "a"]
