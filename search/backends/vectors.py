"""Per-tenant vector store: rows in SQLite (shared by processes), an exact numpy kNN over an in-memory copy."""
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search.enrichment import DIMENSIONS

SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT, vec BLOB);
CREATE INDEX IF NOT EXISTS vectors_seq ON vectors (seq);
CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY);
"""


class VectorStore:
    """Writers change rows (a NULL vector is a tombstone); readers apply rows newer than the last seq they saw."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + SCHEMA)
        self._lock = threading.Lock()  # the in-memory copy
        self._db_lock = threading.RLock()  # the connection is shared by the threads of a process
        self._seq = 0
        self._n = 0
        self._matrix = np.zeros((1024, DIMENSIONS), dtype=np.float32)
        self._ids = np.zeros(1024, dtype=np.int64)
        self._alive = np.zeros(1024, dtype=bool)
        self._pos = {}

    def close(self):
        self._db.close()

    @contextmanager
    def _transaction(self):
        with self._db_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql, params=()):
        with self._db_lock:
            return self._db.execute(sql, params).fetchall()

    # --- writes (the caller holds the tenant's writer lock)
    def _next_seq(self):
        return self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM vectors").fetchone()[0]

    def hashes(self, ids) -> dict[int, str]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(self._query(f"SELECT id, hash FROM vectors WHERE vec IS NOT NULL AND id IN ({marks})", ids))

    def mark_pending(self, ids):
        with self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO pending (id) VALUES (?)", [(i,) for i in ids])

    def pending(self) -> list[int]:
        return [row[0] for row in self._query("SELECT id FROM pending ORDER BY id")]

    def put(self, vectors: dict[int, tuple[np.ndarray, str]]):
        with self._transaction():
            seq = self._next_seq()
            rows = [
                (i, seq + n, h, np.asarray(v, dtype=np.float32).tobytes())
                for n, (i, (v, h)) in enumerate(vectors.items())
            ]
            self._db.executemany("INSERT OR REPLACE INTO vectors (id, seq, hash, vec) VALUES (?, ?, ?, ?)", rows)
            self._db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in vectors])

    def remove(self, ids):
        ids = list(ids)
        with self._transaction():
            seq = self._next_seq()
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (id, seq, hash, vec) VALUES (?, ?, NULL, NULL)",
                [(i, seq + n) for n, i in enumerate(ids)],
            )
            self._db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])

    def clear(self):
        with self._transaction():
            self._db.execute("UPDATE vectors SET vec = NULL, hash = NULL, seq = seq + (SELECT MAX(seq) FROM vectors)")
            self._db.execute("DELETE FROM pending")

    # --- reads
    def refresh(self):
        with self._lock:
            rows = self._query("SELECT id, seq, vec FROM vectors WHERE seq > ? ORDER BY seq", (self._seq,))
            for article_id, seq, blob in rows:
                self._apply(article_id, blob)
                self._seq = seq

    def _apply(self, article_id, blob):
        row = self._pos.get(article_id)
        if row is None:
            if blob is None:
                return
            if self._n == len(self._ids):
                grow = len(self._ids)
                self._matrix = np.concatenate([self._matrix, np.zeros((grow, DIMENSIONS), dtype=np.float32)])
                self._ids = np.concatenate([self._ids, np.zeros(grow, dtype=np.int64)])
                self._alive = np.concatenate([self._alive, np.zeros(grow, dtype=bool)])
            row, self._n = self._n, self._n + 1
            self._pos[article_id] = row
            self._ids[row] = article_id
        if blob is None:
            self._alive[row] = False
            self._matrix[row] = 0
        else:
            self._matrix[row] = np.frombuffer(blob, dtype=np.float32)
            self._alive[row] = True

    def count(self) -> int:
        self.refresh()
        return int(self._alive[: self._n].sum())

    def vector(self, article_id) -> np.ndarray | None:
        self.refresh()
        row = self._pos.get(article_id)
        return self._matrix[row].copy() if row is not None and self._alive[row] else None

    def nearest(self, query, *, k, min_similarity=-1.0, allowed=None, exclude=()):
        """Up to k (id, cosine) pairs, best first, exact (vectors are unit-normalised); `allowed` limits the ids."""
        self.refresh()
        query = np.asarray(query, dtype=np.float32)
        with self._lock:
            excluded = {self._pos[i] for i in exclude if i in self._pos}
            if allowed is None:
                rows = np.arange(self._n)
                scores = self._matrix[: self._n] @ query
            else:  # score only the rows that pass the filter
                rows = np.fromiter((self._pos[i] for i in allowed if i in self._pos), dtype=np.int64)
                scores = self._matrix[rows] @ query
            keep = self._alive[rows] & (scores >= min_similarity)
            ids = self._ids[rows]
        if excluded:
            keep &= ~np.isin(rows, np.fromiter(excluded, dtype=np.int64))
        candidates = np.flatnonzero(keep)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in candidates]
