"""Elasticsearch backend: one index per tenant (`<prefix><slug>`), text + dense_vector, hybrid fused client-side."""
from html import escape

import numpy as np
from elasticsearch import Elasticsearch, NotFoundError

from search.backends.base import SearchBackend
from search.backends.snippets import BODY_CHARS
from search.documents import Filters, Hit, HitPage
from search.enrichment import DIMENSIONS

PAGE = 1000
FIELDS = ["title^3", "description^1.5", "body", "keywords^0.5"]
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        "slug": {"type": "keyword"},
        "title": {"type": "text"},
        "description": {"type": "text"},
        "body": {"type": "text"},
        "keywords": {"type": "text"},
        "tags": {"type": "keyword"},
        "author": {"type": "keyword"},
        "created_at": {"type": "date"},
        "reading_time": {"type": "integer"},
        "text_hash": {"type": "keyword"},
        "vector_hash": {"type": "keyword"},
        "vector": {"type": "dense_vector", "dims": DIMENSIONS, "index": True, "similarity": "cosine"},
    },
}
SOURCE = ["title", "body", "reading_time", "keywords"]
HIGHLIGHT = {
    "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
    "fields": {"title": {"number_of_fragments": 0}, "body": {"fragment_size": BODY_CHARS, "number_of_fragments": 1}},
}


class BulkError(RuntimeError):
    """Elasticsearch refused some operations of a bulk request."""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, *, prefix: str = "conduit-", client: Elasticsearch | None = None):
        self.client = client or Elasticsearch(url, request_timeout=10, retry_on_timeout=True, max_retries=2)
        self.prefix = prefix
        self._created: set[str] = set()

    def index_name(self, tenant: str) -> str:
        return f"{self.prefix}{tenant}"

    def _ensure(self, tenant):
        name = self.index_name(tenant)
        if name not in self._created:
            if not self.client.indices.exists(index=name):
                self.client.indices.create(index=name, mappings=MAPPINGS, settings={"number_of_shards": 1})
            self._created.add(name)
        return name

    def _bulk(self, operations):
        if not operations:
            return
        response = self.client.bulk(operations=operations, refresh="wait_for")
        if response.get("errors"):
            failed = [item for entry in response["items"] for item in entry.values()
                      if item.get("error") and not (item["status"] == 404 and "delete" in entry)]
            if failed:
                raise BulkError(f"{len(failed)} bulk operations failed, first: {failed[0]['error']}")

    def _sources(self, name, ids, fields):
        if not ids:
            return {}
        response = self.client.mget(index=name, ids=[str(i) for i in ids], source_includes=fields)
        return {int(d["_id"]): d.get("_source", {}) for d in response["docs"] if d.get("found")}

    # --- writes
    def upsert(self, tenant, docs):
        name = self._ensure(tenant)
        known = self._sources(name, [d.id for d in docs], ["vector_hash"])
        stale, operations = [], []
        for doc in docs:
            fields = {
                "id": doc.id, "slug": doc.slug, "title": doc.title, "description": doc.description, "body": doc.body,
                "keywords": " ".join(doc.keywords), "tags": list(doc.tags), "author": doc.author,
                "created_at": doc.created_at.isoformat(), "reading_time": doc.reading_time, "text_hash": doc.text_hash,
            }
            if known.get(doc.id, {}).get("vector_hash") != doc.text_hash:
                stale.append(doc.id)
                fields.update(vector=None, vector_hash=None)
            operations += [{"update": {"_index": name, "_id": str(doc.id)}}, {"doc": fields, "doc_as_upsert": True}]
        self._bulk(operations)
        return stale

    def delete(self, tenant, ids):
        name = self.index_name(tenant)
        self._bulk([{"delete": {"_index": name, "_id": str(i)}} for i in ids])

    def set_vectors(self, tenant, vectors):
        name = self.index_name(tenant)
        current = self._sources(name, list(vectors), ["text_hash"])
        operations, stored = [], []
        for article_id, (vector, hash_) in vectors.items():
            if current.get(article_id, {}).get("text_hash") == hash_:
                doc = {"vector": [float(x) for x in vector], "vector_hash": hash_}
                operations += [{"update": {"_index": name, "_id": str(article_id)}}, {"doc": doc}]
                stored.append(article_id)
        self._bulk(operations)
        return stored

    def pending_vectors(self, tenant):
        query = {"bool": {"must_not": [{"exists": {"field": "vector"}}]}}
        ids, after = [], None
        while True:
            page = self._search(tenant, query=query, size=PAGE, sort=[{"id": "asc"}], source=False,
                                **({"search_after": after} if after else {}))["hits"]["hits"]
            ids += [int(hit["_id"]) for hit in page]
            if len(page) < PAGE:
                return ids
            after = page[-1]["sort"]

    def clear(self, tenant):
        name = self._ensure(tenant)
        self.client.delete_by_query(index=name, query={"match_all": {}}, refresh=True, conflicts="proceed")

    def drop(self, tenant):
        self.client.indices.delete(index=self.index_name(tenant), ignore_unavailable=True)
        self._created.discard(self.index_name(tenant))

    # --- reads
    @staticmethod
    def _filters(filters: Filters):
        clauses = []
        if filters.tag:
            clauses.append({"term": {"tags": filters.tag}})
        if filters.author:
            clauses.append({"term": {"author": filters.author}})
        return clauses

    @staticmethod
    def text_query(query) -> dict:
        must, should = [], []
        if query.terms:
            should.append({"multi_match": {"query": " ".join(query.terms), "fields": FIELDS, "operator": "or"}})
        for phrase in query.phrases:
            must.append({"multi_match": {"query": " ".join(phrase), "fields": FIELDS, "type": "phrase"}})
        for prefix in query.prefixes:
            must.append({"bool": {"should": [
                {"prefix": {field.split("^")[0]: {"value": prefix}}} for field in FIELDS
            ]}})
        return {"bool": {"must": must, "should": should}}

    def _search(self, tenant, **body):
        return self.client.search(index=self.index_name(tenant), ignore_unavailable=True, **body)

    @staticmethod
    def _details(hit) -> dict:
        source = hit.get("_source", {})
        return {"readingTime": source.get("reading_time"), "keywords": (source.get("keywords") or "").split()}

    @staticmethod
    def _highlights(hit) -> dict:
        marked, source = hit.get("highlight", {}), hit.get("_source", {})
        return {
            "title": marked["title"][0] if marked.get("title") else escape(source.get("title", "")),
            "body": marked["body"][0] if marked.get("body") else escape(source.get("body", "")[:BODY_CHARS]),
        }

    def text_search(self, tenant, query, filters, *, limit, offset, highlight=True):
        if query.is_empty:
            return HitPage(hits=[], total=0)
        extra = {"highlight": HIGHLIGHT, "source_includes": SOURCE} if highlight else {"source": False}
        response = self._search(
            tenant, query={"bool": {"must": [self.text_query(query)], "filter": self._filters(filters)}},
            from_=offset, size=limit, track_total_hits=True, **extra,
        )
        hits = [Hit(int(h["_id"]), h["_score"], *((self._highlights(h), self._details(h)) if highlight else ()))
                for h in response["hits"]["hits"]]
        return HitPage(hits=hits, total=response["hits"]["total"]["value"])

    def annotations(self, tenant, query, ids):
        if not ids:
            return {}
        should = [self.text_query(query)] if not query.is_empty else []
        response = self._search(
            tenant, query={"bool": {"filter": [{"ids": {"values": [str(i) for i in ids]}}], "should": should}},
            size=len(ids), highlight=HIGHLIGHT, source_includes=SOURCE,
        )
        return {int(h["_id"]): (self._highlights(h), self._details(h)) for h in response["hits"]["hits"]}

    def count_matching(self, tenant, query, filters, ids):
        if not ids or query.is_empty:
            return 0
        filter_ = [{"ids": {"values": [str(i) for i in ids]}}, *self._filters(filters)]
        response = self.client.count(
            index=self.index_name(tenant), ignore_unavailable=True,
            query={"bool": {"must": [self.text_query(query)], "filter": filter_}},
        )
        return response["count"]

    def vector_search(self, tenant, vector, filters, *, k, min_similarity, exclude=()):
        filter_ = self._filters(filters)
        if exclude:
            filter_.append({"bool": {"must_not": [{"ids": {"values": [str(i) for i in exclude]}}]}})
        knn = {"field": "vector", "query_vector": [float(x) for x in vector], "k": k,
               "num_candidates": min(max(2 * k, 100), 10_000), "filter": filter_}
        response = self._search(tenant, knn=knn, size=k, source=False)
        # For cosine, Elasticsearch scores (1 + cosine) / 2.
        pairs = [(int(h["_id"]), 2 * h["_score"] - 1) for h in response["hits"]["hits"]]
        return [(i, s) for i, s in pairs if s >= min_similarity]

    def lookup(self, tenant, slug):
        response = self._search(tenant, query={"term": {"slug": slug}}, size=1, source_includes=["vector"])
        hits = response["hits"]["hits"]
        if not hits:
            return None
        vector = hits[0].get("_source", {}).get("vector")
        return int(hits[0]["_id"]), (np.asarray(vector, dtype=np.float32) if vector else None)

    def stats(self, tenant):
        def count(query):
            try:
                return self.client.count(index=self.index_name(tenant), query=query)["count"]
            except NotFoundError:
                return 0

        documents = count({"match_all": {}})
        vectors = count({"exists": {"field": "vector"}})
        return {"documents": documents, "vectors": vectors, "pending": documents - vectors}

    def health(self):
        health = self.client.cluster.health()
        if health["status"] == "red":
            raise RuntimeError("Elasticsearch cluster status is red")
        return {"backend": self.name, "cluster_status": health["status"]}
