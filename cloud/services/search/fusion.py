"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

Why RRF: BM25/ts_rank scores and cosine similarities live on different scales; fusing ranks
needs no calibration. Each list contributes ``1 / (k + rank)``; k = 60 as in the paper.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

__all__ = ["K", "rrf"]

K = 60
T = TypeVar("T", bound=Hashable)


def rrf(rankings: Sequence[Sequence[T]], *, k: int = K) -> list[tuple[T, float]]:
    """Fuse best-first rankings into ``[(item, score)]`` best-first; ties keep first-seen order."""
    scores: dict[T, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def normalise(score: float, lists: int, *, k: int = K) -> float:
    """Map an RRF score to 0..1: 1 means first in every list."""
    best = lists / (k + 1)
    return min(1.0, score / best) if best else 0.0
