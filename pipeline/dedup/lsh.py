"""Candidate pairs from LSH band keys: documents sharing any band key are candidates.

Each band column is sorted once; within a bucket (a run of equal keys) every member is paired with the bucket's
first member and with its predecessor. That keeps the pair count linear in the bucket size (a bucket of 10,000
boilerplate texts gives ~20,000 pairs, not 50 million) while a true pair missed in one bucket is almost always
caught in another band.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")


def _band_pairs(col: np.ndarray) -> np.ndarray:
    """Pairs of row positions (i, j) sharing a key in one band column, as an (p, 2) int64 array."""
    m = col.shape[0]
    if m < 2:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(col, kind="stable")
    s = col[order]
    same = s[1:] == s[:-1]
    if not same.any():
        return np.empty((0, 2), dtype=np.int64)
    pos = np.flatnonzero(same) + 1
    starts = np.ones(m, dtype=bool)
    starts[1:] = ~same
    run_start = np.maximum.accumulate(np.where(starts, np.arange(m), 0))
    consecutive = np.stack([order[pos - 1], order[pos]], axis=1)
    star_pos = pos[run_start[pos] != pos - 1]
    star = np.stack([order[run_start[star_pos]], order[star_pos]], axis=1)
    return np.concatenate([consecutive, star])


def candidate_pairs(
    keys: np.ndarray,
    index: np.ndarray,
    pool_map: Callable[[Callable[[T], R], Iterable[T]], Iterable[R]] = map,  # type: ignore[assignment]
) -> np.ndarray:
    """Unique candidate pairs (a < b, global indices from `index`) over all band columns of `keys`."""
    if keys.shape[0] < 2:
        return np.empty((0, 2), dtype=np.int64)
    # one band column copied at a time (inside the worker), not all of them up front: bounded memory
    found = [
        p for p in pool_map(lambda b: _band_pairs(np.ascontiguousarray(keys[:, b])), range(keys.shape[1])) if p.size
    ]
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = index[np.concatenate(found)]
    a = pairs.min(axis=1)
    b = pairs.max(axis=1)
    code = np.unique(a * np.int64(2**31) + b)
    return np.stack([code // np.int64(2**31), code % np.int64(2**31)], axis=1)
