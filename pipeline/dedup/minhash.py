"""Vectorised MinHash signatures and LSH band keys for a batch of normalised texts.

Why not one Python call per document (datasketch, rensa): the per-document loop is what limits those libraries
to ~2k-15k docs/s. Here a whole batch is one set of numpy/polars array operations:

1. tokens (words, or characters for short texts) are hashed by polars (Rust, 64-bit);
2. k-shingles are rolling polynomial combinations of the token hashes, finished by a 64-bit mixer;
   a document with fewer than k tokens gets one shingle of all its tokens;
3. one-permutation hashing (OPH): the low 32 bits of a shingle's hash pick one of `num_perm` bins and the high
   32 bits are its value; each bin keeps its minimum (`np.minimum.at`). Empty bins are filled by rotation
   densification (Shrivastava 2017), so two bins agree with probability ~ Jaccard, like classic MinHash, at the
   cost of one hash per shingle instead of `num_perm`;
4. bands of `num_perm // bands` rows are combined into one 64-bit key per band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)
_POLY = _U64(0x100000001B3)  # FNV prime: multiplier of the rolling shingle combination
_ROT = 0x9E3779B9  # densification offset per rotation step


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place on a uint64 array (wrapping arithmetic)."""
    x ^= x >> _U64(33)
    x *= _U64(0xFF51AFD7ED558CCD)
    x ^= x >> _U64(33)
    x *= _U64(0xC4CEB9FE1A85EC53)
    x ^= x >> _U64(33)
    return x


@dataclass(frozen=True)
class Tokens:
    """Flat token hashes of a batch and each document's token count."""

    hashes: np.ndarray  # uint64, all documents' tokens back to back
    counts: np.ndarray  # int64, tokens per document


def word_tokens(norm: pl.Series, seed: int) -> Tokens:
    """Whitespace tokens of normalised texts (an empty text is one empty token)."""
    lists = norm.str.split(" ")
    counts = lists.list.len().to_numpy().astype(np.int64)
    hashes = lists.explode().hash(seed).to_numpy()
    return Tokens(np.ascontiguousarray(hashes, dtype=np.uint64), counts)


def char_tokens(norm: pl.Series, seed: int) -> Tokens:
    """Character tokens of normalised texts (an empty text is one empty token)."""
    safe = pl.select(pl.when(pl.lit(norm).str.len_bytes() == 0).then(pl.lit("\x00")).otherwise(pl.lit(norm)))
    lists = safe.to_series().str.split("")
    counts = lists.list.len().to_numpy().astype(np.int64)
    hashes = lists.explode().hash(seed).to_numpy()
    return Tokens(np.ascontiguousarray(hashes, dtype=np.uint64), counts)


def shingle_hashes(tok: Tokens, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of all k-shingles and the document each belongs to.

    A document with fewer than k tokens contributes one shingle made of all its tokens, so short texts are
    still indexed (their near duplicates are found by the character tier, see `engine`).
    """
    h, counts = tok.hashes, tok.counts
    n_docs = counts.shape[0]
    starts = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    ends = starts + counts
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), counts)
    acc = h.copy()
    short_vals: list[np.ndarray] = []
    short_docs: list[np.ndarray] = []
    for j in range(1, k + 1):
        if j > 1:
            acc = acc[:-1] * _POLY + h[j - 1 :]
        sel = np.flatnonzero(counts == j) if j < k else None
        if sel is not None and sel.size:
            short_docs.append(sel)
            short_vals.append(acc[starts[sel]])
    n_pos = acc.shape[0]
    valid = np.arange(n_pos, dtype=np.int64) + k <= ends[doc_of[:n_pos]]
    vals = acc[valid]
    docs = doc_of[:n_pos][valid]
    if short_docs:
        vals = np.concatenate([vals, *short_vals])
        docs = np.concatenate([docs, *short_docs])
    return fmix64(vals), docs


def oph_signatures(shingles: np.ndarray, docs: np.ndarray, n_docs: int, num_perm: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification: a (n_docs, num_perm) uint32 matrix."""
    bins = ((shingles & _MASK32) * _U64(num_perm)) >> _U64(32)
    vals = (shingles >> _U64(32)).astype(np.uint32)
    vals[vals == _EMPTY] -= np.uint32(1)  # keep the sentinel free
    sig = np.full(n_docs * num_perm, _EMPTY, dtype=np.uint32)
    np.minimum.at(sig, docs * num_perm + bins.astype(np.int64), vals)
    sig = sig.reshape(n_docs, num_perm)
    rows = np.flatnonzero((sig == _EMPTY).any(axis=1))
    if rows.size:
        sig[rows] = _densify(sig[rows])
    return sig


def _densify(sub: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the next non-empty bin to its right (circular), offset by the distance.

    Vectorised: the next non-empty bin of every bin comes from a reversed running minimum over the row laid
    out twice (bin j+P is bin j), instead of one pass per rotation step (up to num_perm - 1 passes over the
    matrix: most of the hashing time for short texts, which leave most bins empty)."""
    num_perm = sub.shape[1]
    empty = sub == _EMPTY
    if not empty.any():
        return sub.copy()
    big = np.int32(4 * num_perm)  # "no non-empty bin"
    bins = np.arange(num_perm, dtype=np.int32)
    pos = np.where(empty, big, bins)
    doubled = np.concatenate([pos, np.where(empty, big, bins + np.int32(num_perm))], axis=1)
    nxt = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
    found = nxt < big  # a row without any non-empty bin stays empty
    src = np.take_along_axis(sub, np.where(found, nxt % np.int32(num_perm), 0), axis=1)
    # (distance * _ROT) mod 2^32, as the rotation loop added it
    offset = (nxt - bins).astype(np.uint32) * np.uint32(_ROT)
    return np.where(empty & found, src + offset, sub)


def _densify_by_rotation(sub: np.ndarray) -> np.ndarray:
    """The rotation loop `_densify` replaced, kept as the reference its tests compare with."""
    out = sub.copy()
    empty = out == _EMPTY
    num_perm = sub.shape[1]
    for t in range(1, num_perm):
        if not empty.any():
            break
        src = np.roll(sub, -t, axis=1)
        fill = empty & (src != _EMPTY)
        out[fill] = src[fill] + np.uint32((t * _ROT) & 0xFFFFFFFF)
        empty &= ~fill
    return out


def band_keys(sig: np.ndarray, bands: int, seed: int) -> np.ndarray:
    """Combine each band's rows into one 64-bit key: an (n_docs, bands) uint64 matrix."""
    n_docs, num_perm = sig.shape
    rows = num_perm // bands
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63, size=(bands, rows), dtype=np.uint64) | _U64(1)
    salt = rng.integers(0, 2**63, size=bands, dtype=np.uint64)
    s = sig[:, : bands * rows].astype(np.uint64).reshape(n_docs, bands, rows)
    acc = np.broadcast_to(salt, (n_docs, bands)).copy()
    for r in range(rows):
        acc += s[:, :, r] * mult[:, r]
    return fmix64(acc)


def signatures_for(norm: pl.Series, *, level: str, shingle_size: int, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures of normalised texts, over word or character shingles (compiled; see below)."""
    tok = word_tokens(norm, seed) if level == "word" else char_tokens(norm, seed)
    return signatures_compiled(tok, shingle_size, num_perm)


def signatures_numpy(tok: Tokens, shingle_size: int, num_perm: int) -> np.ndarray:
    """The numpy path the compiled one replaced, kept as the reference its tests compare with."""
    shingles, docs = shingle_hashes(tok, shingle_size)
    return oph_signatures(shingles, docs, tok.counts.shape[0], num_perm)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal bins of two signatures (an estimate of the shingle sets' Jaccard similarity)."""
    return float(np.mean(a == b))


# --- compiled path --------------------------------------------------------------------------------------------
# The numpy steps above make ~10 passes over (documents x bins) arrays and over every shingle; on 1M short
# prompts they were ~65% of the dedup engine's time. `_signatures_compiled` does shingling, the 64-bit mixer,
# one-permutation binning and densification in one pass per document, with the same arithmetic, so its
# signatures equal `oph_signatures(*shingle_hashes(...))` bit for bit (tests compare the two). numba compiles it
# once per machine (`cache=True` keeps the machine code beside this module) and it releases the GIL, so the
# engine's hashing threads run it in parallel.

import numba  # noqa: E402


@numba.njit(cache=True, nogil=True)
def _mix(x):  # type: ignore[no-untyped-def]  # fmix64 on one value
    x ^= x >> numba.uint64(33)
    x *= numba.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> numba.uint64(33)
    x *= numba.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> numba.uint64(33)
    return x


@numba.njit(cache=True, nogil=True)
def _signatures_compiled(h, counts, k, num_perm):  # type: ignore[no-untyped-def]
    n_docs = counts.shape[0]
    sig = np.full((n_docs, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    empty = np.uint32(0xFFFFFFFF)
    poly = numba.uint64(0x100000001B3)
    mask = numba.uint64(0xFFFFFFFF)
    p64 = numba.uint64(num_perm)
    nxt = np.empty(num_perm, dtype=np.int64)
    start = 0
    for d in range(n_docs):
        c = counts[d]
        row = sig[d]
        if c == 0:
            continue
        # shingles: every window of k tokens, or one of all tokens when there are fewer than k
        width = k if c >= k else c
        n_sh = c - k + 1 if c >= k else 1
        for p in range(n_sh):
            acc = h[start + p]
            for t in range(1, width):
                acc = acc * poly + h[start + p + t]
            s = _mix(acc)
            b = ((s & mask) * p64) >> numba.uint64(32)
            v = np.uint32(s >> numba.uint64(32))
            if v == empty:
                v = np.uint32(v - np.uint32(1))
            if v < row[b]:
                row[b] = v
        start += c
        # densify: an empty bin takes the next non-empty bin to its right (circular) plus distance * _ROT
        any_empty = False
        any_full = False
        for j in range(num_perm):
            if row[j] == empty:
                any_empty = True
            else:
                any_full = True
        if not any_empty or not any_full:
            continue
        nearest = -1
        for j in range(2 * num_perm - 1, -1, -1):
            jj = j % num_perm
            if row[jj] != empty:
                nearest = j
            if j < num_perm:
                nxt[j] = nearest
        for j in range(num_perm):
            if row[j] == empty:
                dist = nxt[j] - j
                row[j] = np.uint32(row[nxt[j] % num_perm] + np.uint32((dist * _ROT) & 0xFFFFFFFF))
    return sig


def signatures_compiled(tok: Tokens, k: int, num_perm: int) -> np.ndarray:
    """`oph_signatures(*shingle_hashes(tok, k), ...)` in one compiled pass: a (documents, num_perm) uint32 matrix."""
    return _signatures_compiled(
        np.ascontiguousarray(tok.hashes, dtype=np.uint64), tok.counts.astype(np.int64), k, num_perm
    )
