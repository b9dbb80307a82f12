"""Reciprocal rank fusion of ranked id lists (Cormack et al., 2009), computed client-side for every backend."""
from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(*rankings: Sequence[int], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids into (id, score) pairs, best first; ties keep first-seen order."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
