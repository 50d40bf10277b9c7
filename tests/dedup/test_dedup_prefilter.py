"""The pre-confirmation filter (`engine.could_match`), the sort-based unique and the band pairs: same decisions."""

import random

import numpy as np
import polars as pl
import pytest

from pipeline.dedup import engine
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import _Checker, _hash_batch, could_match, dedup_texts
from pipeline.dedup.lsh import _band_pairs, unique_pairs, unique_sorted


def _texts(seed: int, n: int) -> list[str]:
    """Short templated prompts: many share words (LSH candidates) but differ in numbers, length or a word."""
    rng = random.Random(seed)
    vocab = [f"{a}{b}" for a in ("ka", "to", "re", "mi") for b in ("ri", "mo", "ta")]
    out: list[str] = []
    for i in range(n):
        if out and rng.random() < 0.3:
            w = rng.choice(out).split(" ")
            w[rng.randrange(len(w))] = rng.choice(vocab)  # a one-word edit: a near duplicate
            if rng.random() < 0.3:
                w.append(str(rng.randint(0, 9)))  # ... or not, when a number is added
            out.append(" ".join(w))
            continue
        words = [rng.choice(vocab) for _ in range(rng.randint(3, 25))]
        out.append(" ".join(words) + (f" {i % 7}" if rng.random() < 0.5 else ""))
    return out


def test_every_pair_the_filter_drops_is_one_the_checker_rejects() -> None:
    texts = pl.Series("t", _texts(1, 400))
    cfg = DedupConfig()
    groups = pl.Series([str(i % 3) for i in range(400)]).hash(0).to_numpy()
    b = _hash_batch(texts, cfg, keep_norm=True)
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, 400, size=(20_000, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    keep = could_match(pairs, b.lens, b.nums, groups, cfg.threshold)
    ok, _ = _Checker(texts, b.norm, cfg, 1, False, groups).check(pairs)
    assert keep.sum() < pairs.shape[0] // 2  # the filter does drop most random pairs here
    assert not (ok & ~keep).any()  # ... and never one the checker would confirm
    assert ok.sum() > 0


@pytest.mark.parametrize("with_nums", [True, False])
@pytest.mark.parametrize("with_groups", [True, False])
def test_compiled_filter_equals_the_numpy_one(with_nums: bool, with_groups: bool) -> None:
    """`could_match` (one compiled pass) keeps exactly the pairs the numpy expression keeps: lengths at and
    around the bound, zero lengths, equal and different numbers and groups, strided pair columns."""
    from pipeline.dedup.engine import could_match_numpy

    rng = np.random.default_rng(int(with_nums) * 2 + int(with_groups))
    n = 500
    lens = rng.integers(0, 30, n)
    nums = rng.integers(0, 3, n).astype(np.uint64) if with_nums else None
    groups = rng.integers(0, 3, n).astype(np.uint64) if with_groups else None
    pairs = rng.integers(0, n, size=(20_000, 3))[:, ::2]  # a non-contiguous view, as the band search passes
    for threshold in (0.9, 0.5, 1.0):
        got = could_match(pairs, lens, nums, groups, threshold)
        want = could_match_numpy(pairs, lens, nums, groups, threshold)
        assert got.tolist() == want.tolist()
        assert 0 < got.sum() < pairs.shape[0]


def test_length_bound_is_rapidfuzz_best_case() -> None:
    # 2 * min / (la + lb): 9 vs 11 characters can reach 0.9 at best (kept); 9 vs 12 cannot (dropped)
    lens = np.array([9, 11, 12, 0, 0])
    pairs = np.array([[0, 1], [0, 2], [3, 4]])
    assert could_match(pairs, lens, None, None, 0.9).tolist() == [True, False, True]


@pytest.mark.parametrize("match_numbers", [True, False])
def test_clusters_equal_with_and_without_the_filter(monkeypatch, match_numbers: bool) -> None:
    texts = _texts(2, 3_000)
    ids = [f"r{i}" for i in range(len(texts))]
    groups = [str(i % 2) for i in range(len(texts))]
    cfg = DedupConfig(match_numbers=match_numbers, batch_size=500)
    filtered = dedup_texts(ids, texts, cfg, groups=groups)
    monkeypatch.setattr(engine, "could_match", lambda pairs, *a: np.ones(pairs.shape[0], dtype=bool))
    unfiltered = dedup_texts(ids, texts, cfg, groups=groups)
    assert filtered.equals(unfiltered)
    assert filtered.filter(pl.col("reason") == "near").height > 0


def test_unique_sorted_and_unique_pairs_match_numpy() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 1_000, size=5_000)
    assert np.array_equal(unique_sorted(x), np.unique(x))
    assert unique_sorted(np.array([], dtype=np.int64)).size == 0
    pairs = np.sort(rng.integers(0, 300, size=(4_000, 2)), axis=1)
    codes = pairs[:, 0] * np.int64(2**31) + pairs[:, 1]
    assert np.array_equal(unique_pairs(codes), np.unique(pairs, axis=0))


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("num_perm", [8, 128])
def test_compiled_signatures_equal_the_numpy_path(k: int, num_perm: int) -> None:
    """One compiled pass (shingles, mixer, binning, densification) gives the numpy path's signatures bit for bit:
    documents shorter than k, one token, long ones (no empty bin) and a mix."""
    from pipeline.dedup.minhash import Tokens, char_tokens, signatures_compiled, signatures_numpy, word_tokens

    rng = np.random.default_rng(k * num_perm)
    counts = np.concatenate([[1, 2, k, k + 1, 400], rng.integers(1, 60, size=300)]).astype(np.int64)
    tok = Tokens(rng.integers(0, 2**64 - 1, size=int(counts.sum()), dtype=np.uint64), counts)
    assert np.array_equal(signatures_compiled(tok, k, num_perm), signatures_numpy(tok, k, num_perm))
    texts = pl.Series(["", "a", "two words", "x " * 300, *_texts(4, 50)])
    for tok in (word_tokens(texts, 7), char_tokens(texts, 7)):
        assert np.array_equal(signatures_compiled(tok, k, num_perm), signatures_numpy(tok, k, num_perm))


_TOKEN_TEXTS = [
    *("", "a", "two words", " lead", "trail ", "double  space"),
    *("héllo wörld ß", "数学 题", "emoji 🙂x", "\x00"),
]


def test_token_hashes_follow_their_python_definition() -> None:
    """The compiled tokenisers cut and hash exactly as `word_token_hash` / `char_token_hash` state: a word token
    is the text between two " " (empty ones included; an empty text is one empty token), a character token is
    one code point (an empty text is NUL), multi-byte UTF-8 included, and a sliced Series reads its own rows."""
    from pipeline.dedup.minhash import char_token_hash, char_tokens, word_token_hash, word_tokens

    series = pl.Series(["skipped", *_TOKEN_TEXTS]).slice(1)
    for seed in (0, 7, 2**40 + 3):
        words = word_tokens(series, seed)
        expect = [[word_token_hash(t, seed) for t in text.split(" ")] for text in _TOKEN_TEXTS]
        assert words.counts.tolist() == [len(e) for e in expect]
        assert words.hashes.tolist() == [h for e in expect for h in e]
        chars = char_tokens(series, seed)
        expect = [[char_token_hash(c, seed) for c in (text or "\x00")] for text in _TOKEN_TEXTS]
        assert chars.counts.tolist() == [len(e) for e in expect]
        assert chars.hashes.tolist() == [h for e in expect for h in e]
    assert word_token_hash("a", 0) != word_token_hash("a", 1) != word_token_hash("b", 1)
    assert char_token_hash("\x00", 0) != word_token_hash("", 0)


@pytest.mark.parametrize("level", ["word", "char"])
def test_fused_signatures_equal_tokens_then_signatures(level: str) -> None:
    """`signatures_for` (cut, hash, shingle and bin in one kernel, optionally over some rows only) equals
    tokenising first and then the reference numpy signatures."""
    from pipeline.dedup.minhash import char_tokens, signatures_for, signatures_numpy, word_tokens

    texts = pl.Series([*_TOKEN_TEXTS, "x " * 300, *_texts(5, 60)])
    tok = (word_tokens if level == "word" else char_tokens)(texts, 3)
    full = signatures_for(texts, level=level, shingle_size=4, num_perm=64, seed=3)
    assert np.array_equal(full, signatures_numpy(tok, 4, 64))
    rows = np.array([0, 3, 7, 12, 40], dtype=np.int64)
    some = signatures_for(texts, level=level, shingle_size=4, num_perm=64, seed=3, rows=rows)
    assert np.array_equal(some, full[rows])


def _bucket_pairs_reference(col: np.ndarray) -> list[tuple[int, int]]:
    """Per bucket of equal keys, rows ascending r0 < r1 < ...: each row with its predecessor and with r0."""
    buckets: dict[int, list[int]] = {}
    for row, key in enumerate(col.tolist()):
        buckets.setdefault(key, []).append(row)
    out = set()
    for rows in buckets.values():
        for i in range(1, len(rows)):
            out.add((rows[i - 1], rows[i]))
            out.add((rows[0], rows[i]))
    return sorted(out)


@pytest.mark.parametrize("seed", range(10))
def test_band_pairs_link_each_bucket_member_to_its_predecessor_and_the_first(seed: int) -> None:
    """The band search sorts keys packed with their row numbers; the pairs are those of a stable sort. Few, many
    and huge buckets of small keys (all in one run of equal prefixes, sorted again), random 64-bit keys with
    planted repeats (no shared prefix), and keys that differ only in their low bits among them."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 5000))
    if seed < 6:
        col = rng.integers(0, [3, 50, m, 10 * m][seed % 4], m).astype(np.uint64)
    else:
        col = rng.integers(0, 2**64 - 1, m, dtype=np.uint64)
        col[rng.integers(0, m, m // 3)] = col[rng.integers(0, m, m // 3)]  # repeats
        if seed >= 8:  # some keys share everything above the row bits with another key
            rows = rng.integers(0, m, m // 4)
            col[rows] = (col[rows] & ~np.uint64(0xFFF)) | rng.integers(0, 3, rows.shape[0]).astype(np.uint64)
    got = _band_pairs(col)
    assert (got[:, 0] < got[:, 1]).all()
    assert sorted(map(tuple, got.tolist())) == _bucket_pairs_reference(col)


@pytest.mark.parametrize(("num_perm", "bands"), [(128, 32), (64, 16), (130, 32), (8, 8), (128, 5)])
def test_compiled_band_keys_equal_the_numpy_ones(num_perm: int, bands: int) -> None:
    """The compiled band keys equal the numpy reference, including bins left over when bands do not divide
    num_perm (they are ignored by both)."""
    from pipeline.dedup.minhash import band_keys_by_band, band_keys_numpy

    sig = np.random.default_rng(num_perm * bands).integers(0, 2**32, size=(300, num_perm), dtype=np.uint32)
    keys = band_keys_by_band(sig, bands, 3)
    assert keys.shape == (bands, 300) and keys.flags.c_contiguous
    assert np.array_equal(keys.T, band_keys_numpy(sig, bands, 3))
    assert not np.array_equal(keys, band_keys_by_band(sig, bands, 4))


def test_compiled_numbers_key_equals_the_regex_definition() -> None:
    """The numbers key of ASCII texts (compiled) is the hash of exactly the text the regex steps
    (`_numbers_text`) write, on generated texts dense in digits, separators, letters, `_` and punctuation, at
    the start and the end; non-ASCII texts take the regex path, and equal numbers give equal keys across paths."""
    from pipeline.dedup.engine import _numbers_key, _numbers_text
    from pipeline.dedup.minhash import word_token_hash

    rng = random.Random(5)
    alphabet = ["1", "2", "09", ".", ",", " ", "a", "x", "_", "-", "+", "(", "$", "/", "1.5", "3,000", "é", "٣"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    texts += ["", "10x", "x10", "a1 b2", "1.2.3", "1..2", ".5", "-5", "_5", "5_", "1, 2", "what is 2 + 3 café"]
    texts += ["what is 2 + 3 cafe", "edit0x12", "v2.0 and 3.14", "12,345.67"]
    norm = pl.Series(texts)
    want = [word_token_hash(t, 9) for t in _numbers_text(norm).to_list()]
    assert _numbers_key(norm, 9).tolist() == want
    assert want[-5] == want[-4]  # the same numbers, one text ASCII and one not
    assert len(set(want)) > 1000
