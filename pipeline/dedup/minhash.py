"""Vectorised MinHash signatures and LSH band keys for a batch of normalised texts.

Why not one Python call per document (datasketch, rensa): the per-document loop is what limits those libraries
to ~2k-15k docs/s. Here a whole batch is one set of numpy/polars array operations:

1. tokens (words, or characters for short texts) are cut from the texts' UTF-8 bytes and hashed (64-bit) by a
   compiled kernel (numba), see "tokens from UTF-8 bytes" below;
2. k-shingles are rolling polynomial combinations of the token hashes, finished by a 64-bit mixer;
   a document with fewer than k tokens gets one shingle of all its tokens;
3. one-permutation hashing (OPH): the low 32 bits of a shingle's hash pick one of `num_perm` bins and the high
   32 bits are its value; each bin keeps its minimum (`np.minimum.at`). Empty bins are filled by rotation
   densification (Shrivastava 2017), so two bins agree with probability ~ Jaccard, like classic MinHash, at the
   cost of one hash per shingle instead of `num_perm`;
4. bands of `num_perm // bands` rows are combined into one 64-bit key per band.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.dedup.normalize import utf8_buffers

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
    """Whitespace tokens of normalised texts: the text split at every " " (an empty text is one empty token),
    each hashed by `word_token_hash`."""
    data, offsets = utf8_buffers(norm)
    counts, hashes = _tokens_compiled(data, offsets, False, np.uint64(_seed_key(seed)))
    return Tokens(hashes, counts)


def char_tokens(norm: pl.Series, seed: int) -> Tokens:
    """Character (code point) tokens of normalised texts, each hashed by `char_token_hash`; an empty text is one
    token, the character NUL."""
    data, offsets = utf8_buffers(norm)
    counts, hashes = _tokens_compiled(data, offsets, True, np.uint64(_seed_key(seed)))
    return Tokens(hashes, counts)


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


def _band_params(bands: int, rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63, size=(bands, rows), dtype=np.uint64) | _U64(1)
    salt = rng.integers(0, 2**63, size=bands, dtype=np.uint64)
    return mult, salt


def band_keys_by_band(sig: np.ndarray, bands: int, seed: int) -> np.ndarray:
    """Combine each band's rows into one 64-bit key, band-major: a C-contiguous (bands, n_docs) uint64 matrix,
    one band's keys of every document in a row (what LSH reads; the engine stores them so, without a transpose
    per batch). Compiled; its transpose equals `band_keys_numpy`."""
    mult, salt = _band_params(bands, sig.shape[1] // bands, seed)
    return _band_keys_compiled(np.ascontiguousarray(sig), mult, salt)


def band_keys_numpy(sig: np.ndarray, bands: int, seed: int) -> np.ndarray:
    """The numpy band keys the compiled ones replaced, kept as the reference their tests compare with."""
    n_docs, num_perm = sig.shape
    rows = num_perm // bands
    mult, salt = _band_params(bands, rows, seed)
    s = sig[:, : bands * rows].astype(np.uint64).reshape(n_docs, bands, rows)
    acc = np.broadcast_to(salt, (n_docs, bands)).copy()
    for r in range(rows):
        acc += s[:, :, r] * mult[:, r]
    return fmix64(acc)


def signatures_for(
    norm: pl.Series,
    *,
    level: str,
    shingle_size: int,
    num_perm: int,
    seed: int,
    rows: np.ndarray | None = None,
    buffers: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """MinHash signatures of normalised texts (of the texts at `rows` only, when given), over word or character
    shingles: tokens are cut and hashed, shingled and binned in one compiled pass over the texts' UTF-8 bytes
    (see below), equal to `signatures_compiled(word_tokens(...))` / `char_tokens` bit for bit. `buffers`: the
    texts' `utf8_buffers`, when the caller has them already."""
    data, offsets = buffers if buffers is not None else utf8_buffers(norm)
    picked = np.arange(norm.len(), dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    return _text_signatures(data, offsets, picked, level != "word", np.uint64(_seed_key(seed)), shingle_size, num_perm)


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


@numba.njit(cache=True, nogil=True, inline="always")
def _signature_row(h, start, c, k, num_perm, row, nxt):  # type: ignore[no-untyped-def]
    """One document's signature into `row` (all bins empty on entry) from its tokens h[start:start+c]."""
    empty = np.uint32(0xFFFFFFFF)
    poly = numba.uint64(0x100000001B3)
    mask = numba.uint64(0xFFFFFFFF)
    p64 = numba.uint64(num_perm)
    if c == 0:
        return
    # shingles: every window of k tokens, or one of all tokens when there are fewer than k. The window's
    # polynomial acc = sum h[p+t] * poly^(width-1-t) rolls forward in O(1): drop the oldest token's term,
    # shift, add the next token (wrapping arithmetic, so equal to recomputing it, which the tests check)
    width = k if c >= k else c
    n_sh = c - k + 1 if c >= k else 1
    out_poly = numba.uint64(1)  # poly^width: the factor of the token leaving the window after the shift
    for _ in range(width):
        out_poly *= poly
    acc = h[start]
    for t in range(1, width):
        acc = acc * poly + h[start + t]
    for p in range(n_sh):
        if p:  # one multiply and one add on the loop-carried chain; the leaving token's term is independent
            acc = acc * poly + (h[start + p + width - 1] - h[start + p - 1] * out_poly)
        s = _mix(acc)
        b = ((s & mask) * p64) >> numba.uint64(32)
        v = np.uint32(s >> numba.uint64(32))
        if v == empty:
            v = np.uint32(v - np.uint32(1))
        row[b] = min(row[b], v)  # branch-free: whether a bin's minimum changes is unpredictable
    # densify: an empty bin takes the next non-empty bin to its right (circular) plus distance * _ROT
    any_empty = False
    any_full = False
    for j in range(num_perm):
        if row[j] == empty:
            any_empty = True
        else:
            any_full = True
    if not any_empty or not any_full:
        return
    # (no `%` below: an integer division per bin cost more than the rest of the signature for short texts)
    nearest = -1
    for j in range(num_perm - 1, -1, -1):  # the row's second copy (bin j + num_perm is bin j)
        if row[j] != empty:
            nearest = j + num_perm
    for j in range(num_perm - 1, -1, -1):
        if row[j] != empty:
            nearest = j
        nxt[j] = nearest
    for j in range(num_perm):
        if row[j] == empty:
            dist = nxt[j] - j
            src = nxt[j] - num_perm if nxt[j] >= num_perm else nxt[j]
            row[j] = np.uint32(row[src] + np.uint32((dist * _ROT) & 0xFFFFFFFF))


@numba.njit(cache=True, nogil=True)
def _signatures_compiled(h, counts, k, num_perm):  # type: ignore[no-untyped-def]
    n_docs = counts.shape[0]
    sig = np.full((n_docs, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    nxt = np.empty(num_perm, dtype=np.int64)
    start = 0
    for d in range(n_docs):
        _signature_row(h, start, counts[d], k, num_perm, sig[d], nxt)
        start += counts[d]
    return sig


def signatures_compiled(tok: Tokens, k: int, num_perm: int) -> np.ndarray:
    """`oph_signatures(*shingle_hashes(tok, k), ...)` in one compiled pass: a (documents, num_perm) uint32 matrix."""
    return _signatures_compiled(
        np.ascontiguousarray(tok.hashes, dtype=np.uint64), tok.counts.astype(np.int64), k, num_perm
    )


@numba.njit(cache=True, nogil=True)
def _band_keys_compiled(sig, mult, salt):  # type: ignore[no-untyped-def]
    n_docs = sig.shape[0]
    bands, rows = mult.shape
    out = np.empty((bands, n_docs), dtype=np.uint64)
    for d in range(n_docs):
        for b in range(bands):
            acc = salt[b]
            for r in range(rows):
                acc += numba.uint64(sig[d, b * rows + r]) * mult[b, r]
            out[b, d] = _mix(acc)
    return out


# --- tokens from UTF-8 bytes ----------------------------------------------------------------------------------
# Cutting tokens with polars (`str.split`, then `explode().hash()`) cost more than the signatures themselves:
# ~4 us a prompt for character tokens, where every character became a string of its own. The kernels below read
# the texts' Arrow buffers (UTF-8 bytes and offsets) instead and hash each token as they cut it:
# - a word token (bytes between two " "): FNV-1a over its bytes, started from the seed key, then `_mix`;
# - a character token (one code point, 1-4 bytes): its bytes packed little-endian with the byte count above
#   them, xor the seed key, then `_mix`.
# The hashes are thinkmill's own (polars' string hash is not specified); `word_token_hash` / `char_token_hash`
# state them in plain Python, and the tests compare the kernels with those.

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_M64 = (1 << 64) - 1


def _mix_int(x: int) -> int:
    """`fmix64` on one Python int (mod 2^64)."""
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & _M64
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & _M64
    return x ^ (x >> 33)


def _seed_key(seed: int) -> int:
    return _mix_int((_FNV_OFFSET ^ (seed & _M64)) & _M64)


def word_token_hash(token: str, seed: int) -> int:
    """The hash of one word token (the definition the compiled kernels implement)."""
    h = _seed_key(seed)
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * _FNV_PRIME) & _M64
    return _mix_int(h)


def char_token_hash(char: str, seed: int) -> int:
    """The hash of one character token (the definition the compiled kernels implement)."""
    raw = char.encode("utf-8")
    packed = int.from_bytes(raw, "little") | (len(raw) << 32)
    return _mix_int(packed ^ _seed_key(seed))


@numba.njit(cache=True, nogil=True)
def _ascii_hashes(key):  # type: ignore[no-untyped-def]
    """The character-token hash of each ASCII byte, for `_cut`."""
    out = np.empty(128, dtype=np.uint64)
    for b in range(128):
        out[b] = _mix((numba.uint64(b) | numba.uint64(1 << 32)) ^ key)
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _cut(data, lo, hi, chars, key, ascii, out):  # type: ignore[no-untyped-def]
    """Hash the tokens of data[lo:hi] into out[0:]; returns how many."""
    prime = numba.uint64(_FNV_PRIME)
    if chars:
        if hi == lo:  # an empty text is the one character NUL
            out[0] = ascii[0]
            return 1
        c = 0
        i = lo
        while i < hi:
            if data[i] < 0x80:  # ASCII: one byte, hashed once per call (`ascii`)
                out[c] = ascii[data[i]]
                c += 1
                i += 1
                continue
            j = i + 1
            while j < hi and (data[j] & 0xC0) == 0x80:  # continuation bytes of the same code point
                j += 1
            packed = numba.uint64(0)
            for t in range(j - i):
                packed |= numba.uint64(data[i + t]) << numba.uint64(8 * t)
            packed |= numba.uint64(j - i) << numba.uint64(32)
            out[c] = _mix(packed ^ key)
            c += 1
            i = j
        return c
    c = 0
    h = key
    for i in range(lo, hi):
        b = data[i]
        if b == 32:
            out[c] = _mix(h)
            c += 1
            h = key
        else:
            h = (h ^ numba.uint64(b)) * prime
    out[c] = _mix(h)
    return c + 1


@numba.njit(cache=True, nogil=True)
def _tokens_compiled(data, offsets, chars, key):  # type: ignore[no-untyped-def]
    n = offsets.shape[0] - 1
    counts = np.empty(n, dtype=np.int64)
    out = np.empty(offsets[n] - offsets[0] + n, dtype=np.uint64)  # a text of b bytes has at most b + 1 tokens
    ascii = _ascii_hashes(numba.uint64(key))
    pos = 0
    for d in range(n):
        c = _cut(data, offsets[d], offsets[d + 1], chars, numba.uint64(key), ascii, out[pos:])
        counts[d] = c
        pos += c
    return counts, out[:pos].copy()


@numba.njit(cache=True, nogil=True)
def _text_signatures(data, offsets, rows, chars, key, k, num_perm):  # type: ignore[no-untyped-def]
    n = rows.shape[0]
    sig = np.full((n, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    nxt = np.empty(num_perm, dtype=np.int64)
    longest = 0
    for i in range(n):
        longest = max(longest, offsets[rows[i] + 1] - offsets[rows[i]])
    h = np.empty(longest + 1, dtype=np.uint64)
    ascii = _ascii_hashes(numba.uint64(key))
    for i in range(n):
        d = rows[i]
        c = _cut(data, offsets[d], offsets[d + 1], chars, numba.uint64(key), ascii, h)
        _signature_row(h, 0, c, k, num_perm, sig[i], nxt)
    return sig


# --- numbers of a text ----------------------------------------------------------------------------------------
# `engine._numbers_key` compares the numbers of two texts before it confirms them as near duplicates. For ASCII
# texts the kernel below finds them as the engine's regex does (`_NUMBER_RE`: a digit run, with `.`/`,` groups,
# at the start or after a character that is not a letter, digit or `_`, which belongs to the match) and writes
# the matches as the engine's polars steps do (joined with a space, every run of other characters one space,
# stripped). Other texts take the polars steps; both hash the resulting text with `_hash_bytes`, so equal numbers
# give equal keys whichever path a text took.


# byte classes for `_numbers_ascii`
_N_OTHER, _N_WORD, _N_DIGIT, _N_SEP, _N_HIGH = 0, 1, 2, 3, 4  # _N_SEP: "." and "," (not word characters)
_NCLASS = np.full(256, _N_HIGH, dtype=np.uint8)
_NCLASS[:128] = _N_OTHER
for _lo, _hi in ((65, 90), (97, 122)):
    _NCLASS[_lo : _hi + 1] = _N_WORD
_NCLASS[ord("_")] = _N_WORD
_NCLASS[48:58] = _N_DIGIT
_NCLASS[[ord("."), ord(",")]] = _N_SEP


@numba.njit(cache=True, nogil=True)
def _numbers_ascii(data, offsets, key):  # type: ignore[no-untyped-def]
    """Per text: the hash of its numbers text, and whether it was ASCII (else its key is left 0 for the polars
    path)."""
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    ascii = np.zeros(n, dtype=np.bool_)
    cls = _NCLASS
    prime = numba.uint64(_FNV_PRIME)
    space = numba.uint64(32)
    for d in range(n):
        lo = offsets[d]
        hi = offsets[d + 1]
        ok = True
        h = key
        written = False  # any byte of the numbers text yet (a separator before the first one is stripped)
        i = lo
        while i < hi:
            c = cls[data[i]]
            if c == _N_WORD:
                i += 1
                continue
            if c == _N_HIGH:
                ok = False
                break
            if c == _N_DIGIT:
                if i != lo:  # a digit after a word character or inside a number already written
                    i += 1
                    continue
                digits = i  # `^` then the digits
            elif i + 1 < hi and cls[data[i + 1]] == _N_DIGIT:
                digits = i + 1  # the character before the digits is part of the match
            else:
                i += 1
                continue
            e = digits
            while e < hi and cls[data[e]] == _N_DIGIT:
                e += 1
            while e + 1 < hi and cls[data[e]] == _N_SEP and cls[data[e + 1]] == _N_DIGIT:
                e += 2
                while e < hi and cls[data[e]] == _N_DIGIT:
                    e += 1
            sep = True  # the space the matches are joined with
            for t in range(i, e):
                b = data[t]
                if cls[b] == _N_DIGIT or cls[b] == _N_SEP:
                    if sep and written:
                        h = (h ^ space) * prime
                    h = (h ^ numba.uint64(b)) * prime
                    written = True
                    sep = False
                else:
                    sep = True
            i = e
        if ok:
            ascii[d] = True
            keys[d] = _mix(h)
    return keys, ascii


@numba.njit(cache=True, nogil=True)
def _hash_bytes(data, offsets, key):  # type: ignore[no-untyped-def]
    """FNV-1a over each text's UTF-8 bytes from `key`, then `_mix`: the hash `_numbers_ascii` computes."""
    n = offsets.shape[0] - 1
    out = np.empty(n, dtype=np.uint64)
    prime = numba.uint64(_FNV_PRIME)
    for d in range(n):
        h = key
        for i in range(offsets[d], offsets[d + 1]):
            h = (h ^ numba.uint64(data[i])) * prime
        out[d] = _mix(h)
    return out


def numbers_hashes(
    norm: pl.Series,
    numbers_text: Callable[[pl.Series], pl.Series],
    seed: int,
    buffers: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """The hash of each text's numbers text: compiled for ASCII texts, `numbers_text` (polars) for the others."""
    key = np.uint64(_seed_key(seed))
    data, offsets = buffers if buffers is not None else utf8_buffers(norm)
    keys, ascii = _numbers_ascii(data, offsets, key)
    rest = np.flatnonzero(~ascii)
    if rest.size:
        keys[rest] = _hash_bytes(*utf8_buffers(numbers_text(norm.gather(rest))), key)
    return keys
