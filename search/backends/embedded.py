"""Embedded backend: per tenant, a tantivy full-text index and a vector store under DATA_DIR/search/<slug>/."""
import fcntl
import re
import shutil
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.snippets import Highlighter
from search.backends.vectors import VectorStore
from search.documents import Filters, Hit, HitPage

BOOSTS = {"title": 3.0, "description": 1.5, "body": 1.0, "keywords": 0.5}
PREFIX_SCORED_TERMS = 64  # expansions of a `prefix*` that rank and highlight; every expansion matches
WRITER_HEAP = 64_000_000
MAX_OPEN_INDEXES = 32  # per process, least recently used first out (each holds its tenant's vectors in memory)


def build_schema():
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("slug", stored=True, tokenizer_name="raw")
    for name in ("title", "description", "body", "keywords"):
        builder.add_text_field(name, stored=True)
    builder.add_text_field("tags", stored=True, tokenizer_name="raw")
    builder.add_text_field("author", stored=True, tokenizer_name="raw")
    builder.add_integer_field("created_at", stored=True, fast=True)
    builder.add_integer_field("reading_time", stored=True)
    builder.add_text_field("text_hash", stored=True, tokenizer_name="raw")
    return builder.build()


SCHEMA = build_schema()


def _details(doc) -> dict:
    return {"readingTime": doc.get_first("reading_time"), "keywords": (doc.get_first("keywords") or "").split()}


class TenantIndex:
    """The open index of one tenant in this process."""

    def __init__(self, root: Path):
        self.root = root
        (root / "text").mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(SCHEMA, path=str(root / "text"), reuse=True)
        self.vectors = VectorStore(root / "vectors.sqlite3")
        self.lock_path = root / "writer.lock"

    def searcher(self):
        self.index.reload()
        return self.index.searcher()

    @contextmanager
    def writer(self):
        """The one tantivy writer of this index, across threads and processes (fcntl lock); commits on success."""
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
                fcntl.flock(lock, fcntl.LOCK_UN)


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, root: Path | None = None):
        self.root = Path(root or Path(settings.DATA_DIR) / "search")
        self._open: OrderedDict[str, TenantIndex] = OrderedDict()
        self._lock = threading.Lock()

    def _path(self, tenant):
        return self.root / tenant

    def _tenant(self, tenant, create=False) -> TenantIndex | None:
        path = self._path(tenant)
        with self._lock:
            opened = self._open.get(tenant)
            if opened is not None and not (path / "text" / "meta.json").exists():
                self._open.pop(tenant).vectors.close()  # purged by another process
                opened = None
            if opened is None and (create or (path / "text" / "meta.json").exists()):
                opened = self._open[tenant] = TenantIndex(path)
                while len(self._open) > MAX_OPEN_INDEXES:
                    self._open.popitem(last=False)  # closed when the last thread using it lets go
            if opened is not None:
                self._open.move_to_end(tenant)
            return opened

    # --- writes
    def upsert(self, tenant, docs):
        index = self._tenant(tenant, create=True)
        with index.writer() as writer:
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(tantivy.Document(
                    id=doc.id, slug=doc.slug, title=doc.title, description=doc.description, body=doc.body,
                    keywords=" ".join(doc.keywords), tags=list(doc.tags), author=doc.author,
                    created_at=int(doc.created_at.timestamp() * 1_000_000), reading_time=doc.reading_time,
                    text_hash=doc.text_hash,
                ))
            known = index.vectors.hashes(doc.id for doc in docs)
            stale = [doc.id for doc in docs if known.get(doc.id) != doc.text_hash]
            index.vectors.mark_pending(stale)
        return stale

    def delete(self, tenant, ids):
        index = self._tenant(tenant)
        ids = list(ids)
        if index is None or not ids:
            return
        with index.writer() as writer:
            for article_id in ids:
                writer.delete_documents_by_term("id", article_id)
            index.vectors.remove(ids)

    def set_vectors(self, tenant, vectors):
        index = self._tenant(tenant)
        if index is None:
            return []
        with index.writer():
            searcher = index.searcher()
            current = self._stored(searcher, list(vectors), ("text_hash",))
            fresh = {i: vectors[i] for i in vectors if current.get(i, {}).get("text_hash") == vectors[i][1]}
            index.vectors.put(fresh)
        return list(fresh)

    def pending_vectors(self, tenant):
        index = self._tenant(tenant)
        return index.vectors.pending() if index else []

    def clear(self, tenant):
        index = self._tenant(tenant, create=True)
        with index.writer() as writer:
            writer.delete_all_documents()
            index.vectors.clear()

    def drop(self, tenant):
        with self._lock:
            opened = self._open.pop(tenant, None)
        if opened is not None:
            opened.vectors.close()
        shutil.rmtree(self._path(tenant), ignore_errors=True)

    # --- reads
    def _stored(self, searcher, ids, fields):
        if not ids:
            return {}
        result = searcher.search(tantivy.Query.term_set_query(SCHEMA, "id", ids), limit=len(ids), count=False)
        docs = {}
        for _, address in result.hits:
            doc = searcher.doc(address)
            docs[doc.get_first("id")] = {name: doc.get_first(name) for name in fields}
        return docs

    def _filter_queries(self, filters: Filters):
        queries = []
        if filters.tag:
            queries.append(tantivy.Query.term_query(SCHEMA, "tags", filters.tag))
        if filters.author:
            queries.append(tantivy.Query.term_query(SCHEMA, "author", filters.author))
        return [tantivy.Query.const_score_query(q, 0.0) for q in queries]

    def _text_query(self, searcher, query):
        def across(make):
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(make(field), boost)) for field, boost in BOOSTS.items()
            ])

        must, should = [], []
        for term in query.terms:
            should.append(across(lambda f, t=term: tantivy.Query.term_query(SCHEMA, f, t)))
        for phrase in query.phrases:
            must.append(across(lambda f, p=phrase: tantivy.Query.phrase_query(SCHEMA, f, list(p))))
        for prefix in query.prefixes:
            # Every document with a word starting with the prefix matches (as Elasticsearch's prefix query): a regex
            # over each field's term dictionary, no cap. It scores nothing; the most frequent expansions score (BM25)
            # and give the highlights. (parse_query drops `*`; phrase_prefix_query caps its expansion at 50.)
            pattern = re.escape(prefix) + ".*"
            matches = tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.regex_query(SCHEMA, field, pattern)) for field in BOOSTS
            ])
            expanded = {}
            for field in BOOSTS:
                for term, freq in searcher.terms_with_prefix(field, prefix, limit=1000):
                    expanded[term] = expanded.get(term, 0) + freq
            terms = sorted(expanded, key=lambda t: -expanded[t])[:PREFIX_SCORED_TERMS]
            scored = [(tantivy.Occur.Should, across(lambda f, t=t: tantivy.Query.term_query(SCHEMA, f, t)))
                      for t in terms]
            must.append(tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.const_score_query(matches, 0.0)), *scored]
            ))
        clauses = [(tantivy.Occur.Must, q) for q in must] + [(tantivy.Occur.Should, q) for q in should]
        return tantivy.Query.boolean_query(clauses)

    def _query(self, searcher, query, filters):
        clauses = [(tantivy.Occur.Must, self._text_query(searcher, query))]
        clauses += [(tantivy.Occur.Must, q) for q in self._filter_queries(filters)]
        return tantivy.Query.boolean_query(clauses)

    def text_search(self, tenant, query, filters, *, limit, offset, highlight=True):
        index = self._tenant(tenant)
        if index is None or query.is_empty:
            return HitPage(hits=[], total=0)
        searcher = index.searcher()
        text_query = self._text_query(searcher, query)
        result = searcher.search(self._query(searcher, query, filters), limit=limit, offset=offset, count=True)
        if not highlight:
            ids = searcher.fast_field_values("id", [address for _, address in result.hits])
            return HitPage(hits=[Hit(id=i, score=s) for i, (s, _) in zip(ids, result.hits)], total=result.count)
        marker = Highlighter(searcher, SCHEMA, text_query)
        docs = [(score, searcher.doc(address)) for score, address in result.hits]
        hits = [Hit(doc.get_first("id"), score, marker(doc), _details(doc)) for score, doc in docs]
        return HitPage(hits=hits, total=result.count)

    def annotations(self, tenant, query, ids):
        index = self._tenant(tenant)
        if index is None or not ids:
            return {}
        searcher = index.searcher()
        text_query = self._text_query(searcher, query) if not query.is_empty else tantivy.Query.empty_query()
        result = searcher.search(tantivy.Query.term_set_query(SCHEMA, "id", list(ids)), limit=len(ids), count=False)
        marker = Highlighter(searcher, SCHEMA, text_query)
        docs = [searcher.doc(address) for _, address in result.hits]
        return {doc.get_first("id"): (marker(doc), _details(doc)) for doc in docs}

    def count_matching(self, tenant, query, filters, ids):
        index = self._tenant(tenant)
        if index is None or not ids or query.is_empty:
            return 0
        searcher = index.searcher()
        restricted = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, self._query(searcher, query, filters)),
            (tantivy.Occur.Must, tantivy.Query.term_set_query(SCHEMA, "id", list(ids))),
        ])
        return searcher.search(restricted, limit=1, count=True).count

    def vector_search(self, tenant, vector, filters, *, k, min_similarity, exclude=()):
        index = self._tenant(tenant)
        if index is None:
            return []
        allowed = None
        if filters:
            searcher = index.searcher()
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in self._filter_queries(filters)])
            matching = searcher.search(query, limit=1, count=True).count
            result = searcher.search(query, limit=max(matching, 1), count=False)
            allowed = searcher.fast_field_values("id", [address for _, address in result.hits])
        return index.vectors.nearest(vector, k=k, min_similarity=min_similarity, allowed=allowed, exclude=exclude)

    def lookup(self, tenant, slug):
        index = self._tenant(tenant)
        if index is None:
            return None
        searcher = index.searcher()
        result = searcher.search(tantivy.Query.term_query(SCHEMA, "slug", slug), limit=1, count=False)
        if not result.hits:
            return None
        article_id = searcher.doc(result.hits[0][1]).get_first("id")
        return article_id, index.vectors.vector(article_id)

    def stats(self, tenant):
        index = self._tenant(tenant)
        if index is None:
            return {"documents": 0, "vectors": 0, "pending": 0}
        return {
            "documents": index.searcher().num_docs,
            "vectors": index.vectors.count(),
            "pending": len(index.vectors.pending()),
        }

    def health(self):
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / ".health"
        probe.write_text("ok")
        probe.unlink()
        return {"backend": self.name, "tenants_open": len(self._open)}
