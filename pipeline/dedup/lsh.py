"""Candidate pairs from LSH band keys: documents sharing any band key are candidates.

Each band column is sorted once; within a bucket (a run of equal keys) every member is paired with the bucket's
first member and with its predecessor. That keeps the pair count linear in the bucket size (a bucket of 10,000
boilerplate texts gives ~20,000 pairs, not 50 million) while a true pair missed in one bucket is almost always
caught in another band.

Band keys are kept band-major (`BandColumns`): in memory while small, in a temporary file past
`BAND_SPILL_BYTES`, so that making pairs holds one band column (8 bytes a document) at a time, not the whole
(documents x bands) matrix (256 MB per tier for 1M documents and 32 bands).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from typing import TypeVar

import numba
import numpy as np

T = TypeVar("T")
R = TypeVar("R")


def unique_sorted(x: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D integer array, ascending: `np.unique` by a plain sort. numpy 2.3's
    `np.unique` takes a hash-based path for integers that measured ~25x slower on 12M int64 codes (8.1 s vs
    0.3 s)."""
    if x.size < 2:
        return x.copy()
    s = np.sort(x)
    keep = np.empty(s.shape[0], dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def pair_codes(pairs: np.ndarray) -> np.ndarray:
    """Each (a, b) row pair (a < b < 2^31) as one int64 code, in the order of the pairs."""
    return pairs[:, 0] * np.int64(2**31) + pairs[:, 1]


def unique_pairs(codes: np.ndarray) -> np.ndarray:
    """Pair codes -> the distinct (a, b) pairs, sorted by a then b."""
    return codes_to_pairs(unique_sorted(codes))


def _band_pairs(col: np.ndarray) -> np.ndarray:
    """Pairs of row positions (i, j) sharing a key in one band column, as an (p, 2) int64 array."""
    m = col.shape[0]
    if m < 2:
        return np.empty((0, 2), dtype=np.int64)
    order, same = _stable_key_order(col)
    if not same.any():
        return np.empty((0, 2), dtype=np.int64)
    pos = np.flatnonzero(same) + 1  # sorted positions equal to their predecessor
    del same
    # each such position's run start, from `pos` alone (a run is a block of consecutive positions): arrays as
    # long as the pairs, not as the documents
    k = pos.shape[0]
    new_run = np.ones(k, dtype=bool)
    new_run[1:] = pos[1:] != pos[:-1] + 1
    run_start = pos[np.maximum.accumulate(np.where(new_run, np.arange(k), 0))] - 1
    consecutive = np.stack([order[pos - 1], order[pos]], axis=1)
    star = run_start != pos - 1
    star_pairs = np.stack([order[run_start[star]], order[pos[star]]], axis=1)
    return np.concatenate([consecutive, star_pairs])


def _stable_key_order(col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a uint64 key column sorted by key, rows ascending within equal keys (a stable argsort), and
    for each sorted position after the first whether its key equals its predecessor's.

    One plain sort of uint64 words instead of an argsort: each word is the key with its low bits replaced by the
    row number, so equal keys come out together and in row order (numpy sorts plain integers ~3.5x faster than
    it argsorts them: 8 vs 30 ms for 1M keys). Neighbours are compared by prefix, and by key only where the
    prefixes agree. Distinct keys that agree above the low bits share a run of equal prefixes in row order; only
    such runs (rare: ~0.03 a band for 1M random keys) are sorted again by (key, row). Working memory: the
    packed words and the order, 16 bytes a row (the numpy steps' arrays came to ~56)."""
    m = col.shape[0]
    bits = max(1, (m - 1).bit_length())
    packed = _pack_rows(col, bits)
    packed.sort()
    order, same, mixed = _neighbours(packed, col, bits)
    del packed
    if mixed:
        s = col[order]
        prefix = s >> np.uint64(bits)
        same_prefix = prefix[1:] == prefix[:-1]
        del prefix
        run = np.concatenate([[0], np.cumsum(~same_prefix)])  # prefix run of each sorted position
        bad = np.zeros(int(run[-1]) + 1, dtype=bool)
        bad[run[1:][same_prefix & (s[1:] != s[:-1])]] = True
        sel = np.flatnonzero(bad[run])
        rows = order[sel]
        order[sel] = rows[np.lexsort((rows, col[rows], run[sel]))]
        s = col[order]
        same = s[1:] == s[:-1]
    return order, same


@numba.njit(cache=True, nogil=True)
def _pack_rows(col, bits):  # type: ignore[no-untyped-def]
    low = numba.uint64((1 << bits) - 1)
    out = np.empty(col.shape[0], dtype=np.uint64)
    for i in range(col.shape[0]):
        out[i] = (col[i] & ~low) | numba.uint64(i)
    return out


@numba.njit(cache=True, nogil=True)
def _neighbours(packed, col, bits):  # type: ignore[no-untyped-def]
    """From the sorted packed words: the rows in order, whether each position's key equals its predecessor's,
    and whether some run of equal prefixes mixes distinct keys (then `same` is not final)."""
    m = packed.shape[0]
    low = numba.uint64((1 << bits) - 1)
    shift = numba.uint64(bits)
    order = np.empty(m, dtype=np.int64)
    same = np.zeros(max(m - 1, 0), dtype=np.bool_)
    mixed = False
    order[0] = np.int64(packed[0] & low)
    for i in range(1, m):
        order[i] = np.int64(packed[i] & low)
        if (packed[i] >> shift) == (packed[i - 1] >> shift):
            if col[order[i]] == col[order[i - 1]]:
                same[i - 1] = True
            else:
                mixed = True
    return order, same, mixed


BAND_SPILL_BYTES = 16 << 20  # band keys held in memory per tier before they go to a temporary file


class BandColumns:
    """The (documents x bands) band keys of one LSH tier, appended a hashed batch at a time and read back one
    band column at a time (`column`)."""

    def __init__(self, bands: int, spill_bytes: int | None = None) -> None:
        self.bands = bands
        self.spill_bytes = BAND_SPILL_BYTES if spill_bytes is None else spill_bytes
        self.n = 0
        self._blocks: list[tuple[int, np.ndarray | int]] = []  # (documents, band-major block or file offset)
        self._held = 0
        self._file: tempfile._TemporaryFileWrapper | None = None  # type: ignore[type-arg]
        self._end = 0

    def append(self, keys: np.ndarray) -> None:
        """Add the keys of the next `m` documents, band-major: a (bands, m) uint64 array (`band_keys_by_band`)."""
        if keys.shape[0] != self.bands:
            raise ValueError(f"band keys must be band-major ({self.bands}, m), got shape {keys.shape}")
        m = keys.shape[1]
        if m == 0:
            return
        block = np.ascontiguousarray(keys, dtype=np.uint64)  # band b is one contiguous run
        self.n += m
        if self._file is None and self._held + block.nbytes <= self.spill_bytes:
            self._blocks.append((m, block))
            self._held += block.nbytes
            return
        if self._file is None:
            self._file = tempfile.NamedTemporaryFile(prefix="thinkmill-lsh-", suffix=".bin")  # noqa: SIM115
            held, self._blocks, self._held = self._blocks, [], 0
            for hm, hb in held:
                self._write(hm, hb)  # type: ignore[arg-type]
        self._write(m, block)

    def _write(self, m: int, block: np.ndarray) -> None:
        assert self._file is not None
        os.pwrite(self._file.fileno(), block, self._end)  # the array's own buffer: no copy
        self._blocks.append((m, self._end))
        self._end += block.nbytes

    def column(self, b: int) -> np.ndarray:
        """Band `b`'s key of every document, in append order."""
        parts: list[np.ndarray] = []
        for m, where in self._blocks:
            if isinstance(where, np.ndarray):
                parts.append(where[b])
            else:
                assert self._file is not None
                raw = os.pread(self._file.fileno(), m * 8, where + b * m * 8)
                parts.append(np.frombuffer(raw, dtype=np.uint64))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._blocks = []


def candidate_pairs(
    column: Callable[[int], np.ndarray],
    bands: int,
    index: np.ndarray,
    pool_map: Callable[[Callable[[T], R], Iterable[T]], Iterable[R]] = map,  # type: ignore[assignment]
) -> np.ndarray:
    """Unique candidate pairs (a < b, global indices from `index`) over the band columns `column(0..bands-1)`
    (each as long as `index`)."""
    return codes_to_pairs(candidate_codes(column, bands, index, pool_map))


def codes_to_pairs(codes: np.ndarray) -> np.ndarray:
    """Pair codes (`pair_codes`) back to an (n, 2) array of (a, b)."""
    return np.stack([codes // np.int64(2**31), codes % np.int64(2**31)], axis=1)


def candidate_codes(
    column: Callable[[int], np.ndarray],
    bands: int,
    index: np.ndarray,
    pool_map: Callable[[Callable[[T], R], Iterable[T]], Iterable[R]] = map,  # type: ignore[assignment]
    keep: Callable[[np.ndarray], np.ndarray] | None = None,
    seen: list[int] | None = None,
) -> np.ndarray:
    """`candidate_pairs` as sorted unique pair codes (8 bytes a pair instead of 16). `keep` (pairs -> mask) drops
    pairs band by band, before they are held; `seen` gets the number of pairs the bands gave before `keep`
    (a pair found in several bands counts in each)."""
    if index.shape[0] < 2:
        return np.empty(0, dtype=np.int64)
    # one band column in memory at a time per worker, never all of them; each band's pairs become one int64
    # code per pair at once and are merged into the sorted unique codes whenever the pending ones outgrow them
    # (peak ~ 2x the unique codes, not the ~bands x documents pair rows of every band together)
    acc = np.empty(0, dtype=np.int64)
    pending: list[np.ndarray] = []
    held = 0

    def band_codes(b: int) -> tuple[int, np.ndarray]:
        # in the worker: the band's pairs, mapped to global rows, filtered and coded (on 1M prompts the character
        # tier gives ~9.5M pairs; done on the calling thread, this was most of the LSH time)
        p = _band_pairs(np.ascontiguousarray(column(b)))
        if not p.size:
            return 0, np.empty(0, dtype=np.int64)
        pairs = index[p]
        del p
        found = pairs.shape[0]
        if keep is not None:
            pairs = pairs[keep(pairs)]
        return found, pairs.min(axis=1) * np.int64(2**31) + pairs.max(axis=1)

    # a pool's map runs ahead and holds every result: bands go to it a few at a time
    window = 2
    results = (r for w in range(0, bands, window) for r in list(pool_map(band_codes, range(w, min(w + window, bands)))))
    for found, codes in results:
        if seen is not None:
            seen[0] += found
        if not codes.size:
            continue
        pending.append(codes)
        held += codes.shape[0]
        if held > max(acc.shape[0], 1 << 20):
            acc = unique_sorted(np.concatenate([acc, *pending]))
            pending, held = [], 0
    if pending:
        acc = unique_sorted(np.concatenate([acc, *pending]))
    return acc
