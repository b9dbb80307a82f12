"""A small HTTP server speaking enough of the Elasticsearch 9 REST API for the real client (records every request).

Scoring is naive (matched query tokens x field boost), kNN is exact cosine; the point is the wire format.
"""
import json
import re
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np

HEADERS = {"X-Elastic-Product": "Elasticsearch", "Content-Type": "application/vnd.elasticsearch+json;compatible-with=9"}
TEXT_FIELDS = ("title", "description", "body", "keywords")


def tokens(text):
    return re.findall(r"[^\W_]+", str(text).lower())


def _field(spec):
    name, _, boost = spec.partition("^")
    return name, float(boost or 1)


def _query_texts(node):
    """The user text inside a query (multi_match queries), not its field names."""
    if isinstance(node, dict):
        if "multi_match" in node:
            return [node["multi_match"]["query"]]
        return [t for value in node.values() for t in _query_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _query_texts(value)]
    return []


class Store:
    def __init__(self):
        self.indices = {}
        self.lock = threading.Lock()

    # --- query evaluation: returns a score, or None when the doc does not match
    def score(self, query, doc_id, src):
        (kind, body), = query.items()
        if kind == "match_all":
            return 1.0
        if kind == "term":
            (field, value), = body.items()
            value = value["value"] if isinstance(value, dict) else value
            have = src.get(field)
            return 1.0 if (value in have if isinstance(have, list) else have == value) else None
        if kind == "ids":
            return 1.0 if doc_id in body["values"] else None
        if kind == "exists":
            return 1.0 if src.get(body["field"]) is not None else None
        if kind == "prefix":
            (field, value), = body.items()
            return 1.0 if any(t.startswith(value["value"]) for t in tokens(src.get(field, ""))) else None
        if kind == "multi_match":
            wanted, total = tokens(body["query"]), 0.0
            for name, boost in map(_field, body["fields"]):
                have = tokens(src.get(name, ""))
                if body.get("type") == "phrase":
                    n = len(wanted)
                    total += boost * any(have[i : i + n] == wanted for i in range(len(have) - n + 1))
                else:
                    total += boost * sum(have.count(w) for w in wanted)
            return total or None
        if kind == "bool":
            must, filters = body.get("must", []), body.get("filter", [])
            total = 0.0
            for clause in must:
                if (s := self.score(clause, doc_id, src)) is None:
                    return None
                total += s
            if any(self.score(c, doc_id, src) is None for c in filters):
                return None
            if any(self.score(c, doc_id, src) is not None for c in body.get("must_not", [])):
                return None
            shoulds = [s for c in body.get("should", []) if (s := self.score(c, doc_id, src)) is not None]
            if body.get("should") and not shoulds and not must and not filters:
                return None
            return total + sum(shoulds)
        raise ValueError(f"fake ES does not speak the {kind} query")

    def highlight(self, spec, query, src):
        wanted = set(tokens(" ".join(_query_texts(query)))) if query else set()
        out = {}
        for field in spec["fields"]:
            text = src.get(field) or ""
            if not any(t in wanted for t in tokens(text)):
                continue
            marked = re.sub(r"[^\W_]+", lambda m: f"\x00{m.group()}\x01" if m.group().lower() in wanted else m.group(), text)
            out[field] = [escape(marked).replace("\x00", spec["pre_tags"][0]).replace("\x01", spec["post_tags"][0])]
        return out

    def search(self, name, body, params):
        docs = self.indices[name]["docs"]
        if "knn" in body:
            knn = body["knn"]
            q = np.asarray(knn["query_vector"], dtype=np.float32)
            filt = {"bool": {"filter": knn.get("filter", [])}}
            scored = []
            for doc_id, src in docs.items():
                if src.get("vector") is None or self.score(filt, doc_id, src) is None:
                    continue
                v = np.asarray(src["vector"], dtype=np.float32)
                scored.append(((1 + float(q @ v / (np.linalg.norm(q) * np.linalg.norm(v)))) / 2, doc_id))
            scored = sorted(scored, key=lambda p: -p[0])[: knn["k"]]
        else:
            query = body.get("query", {"match_all": {}})
            scored = [(s, doc_id) for doc_id, src in docs.items() if (s := self.score(query, doc_id, src)) is not None]
            if body.get("sort"):
                scored.sort(key=lambda p: docs[p[1]]["id"])
            else:
                scored.sort(key=lambda p: -p[0])
        if "search_after" in body:
            scored = [p for p in scored if docs[p[1]]["id"] > body["search_after"][0]]
        start = body.get("from", 0)
        page = scored[start : start + body.get("size", 10)]
        hits = []
        for score, doc_id in page:
            src = docs[doc_id]
            hit = {"_index": name, "_id": doc_id, "_score": score}
            if body.get("_source", True) is not False:
                includes = params["_source_includes"].split(",") if "_source_includes" in params else None
                hit["_source"] = {k: v for k, v in src.items() if includes is None or k in includes}
            if "highlight" in body:
                hit["highlight"] = self.highlight(body["highlight"], body.get("query"), src)
            if body.get("sort"):
                hit["sort"] = [src["id"]]
            hits.append(hit)
        return {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": len(scored), "relation": "eq"}, "max_score": page[0][0] if page else None,
                         "hits": hits}}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, status, body=None):
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for key, value in HEADERS.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)

    def _missing(self, name):
        self._reply(404, {"error": {"type": "index_not_found_exception", "reason": f"no such index [{name}]",
                                    "index": name}, "status": 404})

    def _handle(self):
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        ndjson = url.path.endswith("/_bulk")
        body = [json.loads(line) for line in raw.splitlines() if line] if ndjson else (json.loads(raw) if raw else {})
        server = self.server
        server.requests.append({"method": self.command, "path": url.path, "params": params, "body": body,
                                "headers": dict(self.headers)})
        store, parts = server.store, [p for p in url.path.split("/") if p]
        with store.lock:
            return self._route(store, parts, params, body)

    def _route(self, store, parts, params, body):
        if not parts:
            return self._reply(200, {"name": "fake", "cluster_name": "fake", "version": {"number": "9.1.0"},
                                     "tagline": "You Know, for Search"})
        if parts == ["_cluster", "health"]:
            return self._reply(200, {"cluster_name": "fake", "status": "green", "number_of_nodes": 1})
        if parts == ["_bulk"]:
            return self._reply(200, self._bulk(store, body))
        name = parts[0]
        if len(parts) == 1:
            if self.command == "HEAD":
                return self._reply(200 if name in store.indices else 404)
            if self.command == "PUT":
                if name in store.indices:
                    return self._reply(400, {"error": {"type": "resource_already_exists_exception"}, "status": 400})
                store.indices[name] = {"mappings": body.get("mappings"), "settings": body.get("settings"), "docs": {}}
                return self._reply(200, {"acknowledged": True, "shards_acknowledged": True, "index": name})
            if self.command == "DELETE":
                if store.indices.pop(name, None) is None and params.get("ignore_unavailable") != "true":
                    return self._missing(name)
                return self._reply(200, {"acknowledged": True})
        if name not in store.indices:
            if params.get("ignore_unavailable") == "true" and parts[1] in ("_search", "_count"):
                empty = {"hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}}
                return self._reply(200, {"count": 0} if parts[1] == "_count" else {"took": 0, **empty})
            return self._missing(name)
        docs = store.indices[name]["docs"]
        if parts[1] == "_mget":
            return self._reply(200, {"docs": [
                {"_index": name, "_id": i, "found": i in docs,
                 **({"_source": {k: v for k, v in docs[i].items() if k in params.get("_source_includes", "").split(",")}}
                    if i in docs else {})}
                for i in body["ids"]
            ]})
        if parts[1] == "_search":
            return self._reply(200, store.search(name, body, params))
        if parts[1] == "_count":
            query = body.get("query", {"match_all": {}})
            return self._reply(200, {"count": sum(store.score(query, i, s) is not None for i, s in docs.items())})
        if parts[1] == "_delete_by_query":
            gone = [i for i, s in docs.items() if store.score(body["query"], i, s) is not None]
            for i in gone:
                del docs[i]
            return self._reply(200, {"deleted": len(gone), "failures": []})
        return self._reply(400, {"error": {"type": "fake_unsupported", "reason": self.path}, "status": 400})

    @staticmethod
    def _bulk(store, lines):
        items, i = [], 0
        while i < len(lines):
            (action, meta), = lines[i].items()
            docs = store.indices.setdefault(meta["_index"], {"mappings": None, "settings": None, "docs": {}})["docs"]
            doc_id = meta["_id"]
            if action == "delete":
                found = docs.pop(doc_id, None) is not None
                items.append({"delete": {"_index": meta["_index"], "_id": doc_id, "status": 200 if found else 404,
                                         "result": "deleted" if found else "not_found"}})
                i += 1
                continue
            payload = lines[i + 1]
            i += 2
            if doc_id not in docs and not payload.get("doc_as_upsert"):
                items.append({"update": {"_index": meta["_index"], "_id": doc_id, "status": 404,
                                         "error": {"type": "document_missing_exception"}}})
                continue
            created = doc_id not in docs
            docs.setdefault(doc_id, {}).update(payload["doc"])
            items.append({"update": {"_index": meta["_index"], "_id": doc_id, "status": 201 if created else 200,
                                     "result": "created" if created else "updated"}})
        return {"took": 1, "errors": any("error" in v for item in items for v in item.values()), "items": items}

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class FakeElasticsearch:
    """`with FakeElasticsearch() as es:` serves on es.url; es.requests lists what the client sent."""

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.requests, self.server.store = [], Store()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def requests(self):
        return self.server.requests

    @property
    def store(self):
        return self.server.store
