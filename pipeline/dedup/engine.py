"""The dedup engine: exact duplicates by normalised-text hash, near duplicates by MinHash-LSH candidates
confirmed with rapidfuzz on the normalised texts, clusters by connected components (union-find).

One engine, two uses: task dedup at ingest (short prompts) and trace dedup before selection (long traces).
The kept row of a cluster is always its first member in input order, so output is deterministic and a row
added later never displaces an earlier one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numba
import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from tqdm import tqdm

from pipeline import executor
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.errors import DedupInputError
from pipeline.dedup.lsh import BandColumns, candidate_codes, codes_to_pairs, unique_sorted
from pipeline.dedup.minhash import band_keys_by_band, numbers_hashes, signatures_for
from pipeline.dedup.normalize import CJK_LETTERS, han_numerals_as_digits, normalize_series, utf8_buffers
from pipeline.dedup.words import content_words

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "cluster_id": pl.String(),
    "keep": pl.Boolean(),
    "duplicate_of": pl.String(),
    "reason": pl.String(),
    "score": pl.Float64(),
}
# A number: a digit run not inside a word ("x1", "edit0x12" are names) but possibly followed by one ("10x",
# "5kg" carry the numbers 10 and 5). After a Han, kana or Hangul letter it is a number too: Chinese and Japanese
# write no spaces between words ("小明有3个苹果"), and Korean often none before a count ("사과3개"); before, such a
# digit was read as part of a name, and prompts that differ only in their numbers were one task. No look-behind in
# polars' regex: the preceding character is matched and stripped.
_NUMBER_RE = r"(?:^|[^\p{L}\p{N}_]|[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\x{30FC}])\d+(?:[.,]\d+)*"
# An option letter (of a normalised, lower-case text): one letter standing alone and marked as an option, in brackets
# not after a word character ("(b)", "[c]", "(**b**)"; not the argument of "f(x)"), in `\boxed{b}` / `\text{(b)}`,
# before ")" ("b) 42"), or after answer / option / choice ending a phrase ("the answer is c.", "answer: **b**"; not
# "the answer is a prime"). What a match holds around the letter is dropped (`_options_text`); no `\b`: it made the
# scan twice as slow.
_OPTION_RE = (
    r"(?:^|[^\p{L}\p{N}_\\])[(\[]\**([a-z])\**[)\]]"
    r"|\\(?:boxed|text|textbf|mathrm)\{\(?\**([a-z])\**\)?\}"
    r"|(?:^|[^\p{L}\p{N}_\\(\[])([a-z])\)"
    r"|(?:^|[^\p{L}\p{N}_])(?:answer|option|choice)(?: is|:)? \**([a-z])\**(?:[^\p{L}\p{N}_\s*]|$)"
)
PROGRESS_MIN_ROWS = 50_000
# Up to this much text, normalised texts are kept from hashing for confirmation; above it, only the rows in
# candidate pairs are normalised again (bounded memory for the 1M x 2 KB case).
KEEP_NORMALISED_MAX_BYTES = 128 << 20
HASH_THREADS = os.environ.get("THINKMILL_DEDUP_HASH_THREADS", "1") != "0"
# Up to this many texts, hashing and the LSH bands run on the calling thread: a thread pool's start and its hand-offs
# (32 band tasks) cost more than the work they share (27 ms for 3 texts on a busy 2-core machine, most of a small
# ingest's dedup). The same functions run in the same order either way, so the clusters are the same.
SERIAL_MAX_ROWS = 2_000


@dataclass(frozen=True)
class Clusters:
    """Per input row: the index of its cluster's kept row, how it matched, and its similarity to that row."""

    kept: np.ndarray  # int64
    exact: np.ndarray  # bool: identical normalised text to the kept row (and not the kept row itself)
    score: np.ndarray  # float64, NaN for kept rows
    candidates: int  # LSH candidate pairs, summed over bands (a pair found in two bands counts twice)
    confirmed: int  # near-duplicate pairs confirmed
    checked: int = 0  # candidate pairs compared with rapidfuzz (the others cannot match: `could_match`)


@dataclass(frozen=True)
class _Batch:
    h1: np.ndarray
    h2: np.ndarray
    word_keys: np.ndarray  # (bands, texts) uint64: band-major, as `BandColumns` stores them
    char_rows: np.ndarray  # batch-local rows of short texts
    char_keys: np.ndarray  # (bands, short texts)
    lens: np.ndarray  # int64: normalised length in characters (what rapidfuzz measures)
    nums: np.ndarray | None  # uint64: hash of the numbers and option letters of the normalised text (`_guard_key`)
    norm: pl.Series | None  # kept for confirmation when the input is small enough


@dataclass(frozen=True)
class TextSource:
    """Texts read on demand instead of held: `n` texts; `chunks()` yields them in order as String Series of any
    lengths (no nulls); `gather(rows)` returns the texts at the given ascending row positions. `cluster_texts`
    then holds only a hashed batch of text at a time, plus the rows of the candidate pairs it confirms (ingest
    reads a 1M-row batch's prompts back from its staged Parquet parts this way)."""

    n: int
    chunks: Callable[[], Iterator[pl.Series]]
    gather: Callable[[np.ndarray], pl.Series]


def _text_batches(texts: pl.Series | TextSource, size: int) -> Iterator[pl.Series]:
    """The texts in consecutive batches of `size` (the last may be shorter)."""
    if isinstance(texts, pl.Series):
        for start, length in _slices(texts.len(), size):
            yield texts.slice(start, length)
        return
    pending: list[pl.Series] = []
    held = 0
    got = 0
    for chunk in texts.chunks():
        got += chunk.len()
        while chunk.len():
            take = chunk.slice(0, size - held)
            chunk = chunk.slice(take.len())
            pending.append(take)
            held += take.len()
            if held == size:
                yield pl.concat(pending) if len(pending) > 1 else pending[0]
                pending, held = [], 0
    if held:
        yield pl.concat(pending) if len(pending) > 1 else pending[0]
    if got != texts.n:
        raise DedupInputError(f"the text source gave {got} texts, not the {texts.n} it announced")


def _numbers_text(norm: pl.Series) -> pl.Series:
    """The numbers of each normalised text, in order, as one text ("10 2.5"): the definition `_numbers_key`
    hashes (its compiled ASCII path writes the same text; tests compare the two). Runs of Han numerals are read
    as their digits first (`han_numeral_value`), on the texts that hold one."""
    return (
        han_numerals_as_digits(norm)
        .str.extract_all(_NUMBER_RE)
        .list.join(" ")
        .str.replace_all(r"[^\d.,]+", " ")
        .str.strip_chars()
    )


def _numbers_key(norm: pl.Series, seed: int, buffers: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """A hash of the numbers of each normalised text, in order: two texts can only be near duplicates when it
    is equal (`DedupConfig.match_numbers`)."""
    return numbers_hashes(norm, _numbers_text, seed, buffers)


def _options_text(norm: pl.Series) -> pl.Series:
    """The option letters of each normalised text (`_OPTION_RE`), in order, as one text ("bc"); empty without. Each
    match holds one letter and otherwise only marks, a LaTeX command and the words answer / option / choice / is."""
    found = norm.str.extract_all(_OPTION_RE).list.join("")
    return (
        found.str.replace_all(r"\\[a-z]+\{|answer|option|choice| is", "").str.replace_all(r"[^a-z]+", "").fill_null("")
    )


def _guard_key(norm: pl.Series, seed: int, buffers: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """What two texts must share to be near duplicates (`DedupConfig.match_numbers`): the numbers key, and for a
    text with option letters ("The answer is (B)." / "(C)." were one answer: 0.944) those letters too; a text
    without keeps its numbers key."""
    keys = _numbers_key(norm, seed, buffers)
    marked = norm.str.contains(_OPTION_RE).fill_null(False).to_numpy()  # a tenth of the time of reading them
    if marked.any():
        keys = keys.copy()
        keys[marked] ^= _options_text(norm.filter(pl.Series(marked))).hash(seed + 0x0B7105).to_numpy()
    return keys


# Scripts written without spaces between words (Han, kana, Thai, Lao, Myanmar, Khmer): a text in them is one long "word"
# to the word shingles, so it is indexed by character shingles whatever its length (before, only texts up to
# `short_text_chars` were: a 900-character Chinese trace with one character changed was kept twice)
NO_SPACE_SCRIPT = rf"[{CJK_LETTERS}\p{{Thai}}\p{{Lao}}\p{{Myanmar}}\p{{Khmer}}]"


def _hash_batch(texts: pl.Series, cfg: DedupConfig, keep_norm: bool = False) -> _Batch:
    norm = normalize_series(texts, cjk_spacing=True)
    buf = utf8_buffers(norm)  # the bytes the compiled steps read, converted once
    h1 = norm.hash(cfg.seed).to_numpy()
    h2 = norm.hash(cfg.seed + 0x5BD1E995).to_numpy()
    sig = signatures_for(
        norm, level="word", shingle_size=cfg.shingle_size, num_perm=cfg.num_perm, seed=cfg.seed, buffers=buf
    )
    word_keys = band_keys_by_band(sig, cfg.bands, cfg.seed)
    lens = norm.str.len_chars().to_numpy().astype(np.int64)
    nums = _guard_key(norm, cfg.seed, buf) if cfg.match_numbers else None
    unspaced = norm.str.contains(NO_SPACE_SCRIPT).fill_null(False).to_numpy()
    short = np.flatnonzero((lens <= cfg.short_text_chars) | unspaced)
    if short.size:
        csig = signatures_for(
            norm,
            rows=short,
            buffers=buf,
            level="char",
            shingle_size=cfg.char_shingle_size,
            num_perm=cfg.num_perm,
            seed=cfg.seed + 1,
        )
        char_keys = band_keys_by_band(csig, cfg.bands, cfg.seed + 1)
    else:
        char_keys = np.empty((cfg.bands, 0), dtype=np.uint64)
    return _Batch(h1, h2, word_keys, short.astype(np.int64), char_keys, lens, nums, norm if keep_norm else None)


def _hash_all(
    batches: Iterator[pl.Series], cfg: DedupConfig, pool: ThreadPoolExecutor | None, keep_norm: bool, ahead: int
) -> Iterator[_Batch]:
    """Hash batches in order; with a thread pool, up to `ahead` batches at a time (only those are held).

    Measured on 200k traces (2 cores): threads help a little (polars and large numpy operations release the
    GIL); worker processes were slower than one thread (spawn start-up plus pickling each batch both ways).
    """
    if pool is None:
        for b in batches:
            yield _hash_batch(b, cfg, keep_norm)
        return
    inflight: deque[Future[_Batch]] = deque()
    for b in batches:
        inflight.append(pool.submit(_hash_batch, b, cfg, keep_norm))
        del b
        if len(inflight) >= ahead:
            yield inflight.popleft().result()
    while inflight:
        yield inflight.popleft().result()


def _slices(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(size, n - start)


def cluster_texts(
    texts: pl.Series | TextSource,
    config: DedupConfig | None = None,
    *,
    progress: bool | None = None,
    groups: np.ndarray | None = None,
    group_exact: bool = False,
    same_words: np.ndarray | None = None,
) -> Clusters:
    """Cluster raw texts, a string Series (no nulls) or a `TextSource`; see the module docstring.

    `groups` (one integer key per text) forbids near-duplicate links between texts of different groups
    (task dedup passes a hash of the task's answer and verifier args: similar prompts that ask for different
    answers are different tasks). Exact duplicates (same normalised text) merge regardless, unless
    `group_exact`, which confines every link to its group (trace dedup scoped to one task). `same_words` (one
    bool per text) marks texts whose near-duplicate links also need the same content words
    (`words.content_words`): task dedup marks the tasks without a reference answer, whose group does not tie
    them to one question.
    """
    cfg = config or DedupConfig()
    n = texts.len() if isinstance(texts, pl.Series) else texts.n
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return Clusters(empty, empty.astype(bool), empty.astype(np.float64), 0, 0)
    if (ex := executor.active()) is not None:  # a stage made a Ray executor active (pipeline/executor)
        from pipeline.executor.dedup import cluster_texts_on_ray

        if not isinstance(texts, pl.Series):  # the executor shards a Series
            texts = pl.concat(list(texts.chunks()))
        return cluster_texts_on_ray(texts, cfg, ex, groups=groups, group_exact=group_exact, same_words=same_words)
    show = (n >= PROGRESS_MIN_ROWS) if progress is None else progress
    workers = cfg.n_workers()
    keep_norm = isinstance(texts, pl.Series) and (texts.str.len_bytes().sum() or 0) <= KEEP_NORMALISED_MAX_BYTES
    h1_parts: list[np.ndarray] = []
    h2_parts: list[np.ndarray] = []
    char_row_parts: list[np.ndarray] = []
    len_parts: list[np.ndarray] = []
    num_parts: list[np.ndarray] = []
    norm_parts: list[pl.Series] = []
    word = BandColumns(cfg.bands)
    char = BandColumns(cfg.bands)
    threaded = workers > 1 and n > SERIAL_MAX_ROWS
    try:
        with ThreadPoolExecutor(max_workers=workers) if threaded else nullcontext() as pool:
            pool_map = pool.map if pool is not None else map
            with tqdm(total=n, desc="dedup: hashing", unit="text", disable=not show) as bar:
                hash_pool = pool if threaded and HASH_THREADS else None
                start = 0
                for b in _hash_all(_text_batches(texts, cfg.batch_size), cfg, hash_pool, keep_norm, workers):
                    length = b.h1.shape[0]
                    h1_parts.append(b.h1)
                    h2_parts.append(b.h2)
                    char_row_parts.append(b.char_rows + start)
                    len_parts.append(b.lens)
                    if b.nums is not None:
                        num_parts.append(b.nums)
                    if b.norm is not None:
                        norm_parts.append(b.norm)
                    word.append(b.word_keys)  # band keys leave the batch: band-major, spilled to disk when large
                    char.append(b.char_keys)
                    del b
                    bar.update(length)
                    start += length
            h1 = np.concatenate(h1_parts)
            h2 = np.concatenate(h2_parts)
            keys = [h1, h2] + ([groups] if groups is not None and group_exact else [])
            exact_rep = _first_of_equal(keys)
            is_rep = exact_rep == np.arange(n)
            char_rows = np.concatenate(char_row_parts)
            all_norm = pl.concat(norm_parts) if keep_norm else None
            del h1_parts, h2_parts, char_row_parts, norm_parts, keys, h1, h2
            reps = np.flatnonzero(is_rep)

            lens = np.concatenate(len_parts)
            nums = np.concatenate(num_parts) if num_parts else None
            del len_parts, num_parts

            def word_column(band: int) -> np.ndarray:
                col = word.column(band)
                return col[reps] if reps.size < n else col

            # pairs that confirmation could not accept are dropped band by band, before they are held: on 1M
            # bench prompts 3.7k of 8.4M LSH pairs remain
            def keep(pairs: np.ndarray) -> np.ndarray:
                return could_match(pairs, lens, nums, groups, cfg.threshold)

            seen = [0]
            codes = candidate_codes(word_column, cfg.bands, reps, pool_map, keep, seen)
            short_reps = is_rep[char_rows]
            if short_reps.sum() > 1:
                char_codes = candidate_codes(
                    lambda band: char.column(band)[short_reps], cfg.bands, char_rows[short_reps], pool_map, keep, seen
                )
                codes = unique_sorted(np.concatenate([codes, char_codes]))
                del char_codes
    finally:
        word.close()
        char.close()
    cand = codes_to_pairs(codes)
    del codes
    candidates = seen[0]
    checker = _Checker(texts.gather, all_norm, cfg, workers, show, groups, same_words)
    confirmed, scores = _confirm_in_rounds(n, exact_rep, cand, checker)
    kept, exact, score = kept_rows(n, exact_rep, confirmed, scores, lambda a, b: checker.ratios(a, b)[0])
    return Clusters(kept, exact, score, candidates, int(confirmed.shape[0]), checker.checked)


def _first_of_equal(keys: list[np.ndarray]) -> np.ndarray:
    """For each row, the first row with the same values in every key array (int64). A stable sort, not a polars
    window: on 1M rows polars' group-by left ~170 MB with its allocator, the sort ~40 MB (the result)."""
    n = keys[0].shape[0]
    order = np.lexsort(keys[::-1])  # stable: rows with equal keys stay in input order
    start = np.zeros(n, dtype=bool)
    start[:1] = True
    for k in keys:
        sk = k[order]
        start[1:] |= sk[1:] != sk[:-1]
        del sk
    first = order[np.maximum.accumulate(np.where(start, np.arange(n), 0))]
    out = np.empty(n, dtype=np.int64)
    out[order] = first
    return out


# rapidfuzz scores are float32 percentages: a pair is dropped before confirmation only when even its best
# possible score is clearly below the threshold
_SCORE_SLACK = 1e-6


def could_match(
    pairs: np.ndarray, lens: np.ndarray, nums: np.ndarray | None, groups: np.ndarray | None, threshold: float
) -> np.ndarray:
    """Which candidate pairs confirmation could accept, from per-row facts known after hashing: the same group,
    the same numbers (when `nums` is given), and lengths close enough. rapidfuzz's ratio is
    1 - indel / (len_a + len_b) and indel >= |len_a - len_b|, so a pair scores at most 2 min / (len_a + len_b).
    Dropping the others changes no decision (the checker would reject them) and skips normalising and comparing
    them: on 1M bench prompts, most LSH candidates."""
    if not pairs.size:
        return np.ones(pairs.shape[0], dtype=bool)
    none = np.zeros(1, dtype=np.uint64)
    return _could_match(
        pairs,
        np.asarray(lens, dtype=np.int64),
        none if nums is None else nums,
        nums is not None,
        none if groups is None else groups,
        groups is not None,
        float(threshold - _SCORE_SLACK),
    )


def could_match_numpy(
    pairs: np.ndarray, lens: np.ndarray, nums: np.ndarray | None, groups: np.ndarray | None, threshold: float
) -> np.ndarray:
    """The numpy `could_match` the compiled one replaced, kept as the reference its tests compare with."""
    a, b = pairs[:, 0], pairs[:, 1]
    la, lb = lens[a], lens[b]
    total = la + lb
    ok = (total == 0) | (2 * np.minimum(la, lb) >= (threshold - _SCORE_SLACK) * total)
    if nums is not None:
        ok &= nums[a] == nums[b]
    if groups is not None:
        ok &= groups[a] == groups[b]
    return ok


@numba.njit(cache=True, nogil=True)
def _could_match(pairs, lens, nums, use_nums, groups, use_groups, bound):  # type: ignore[no-untyped-def]
    # one pass over the pairs, no temporaries: ~10M character-tier pairs on 1M prompts
    out = np.empty(pairs.shape[0], dtype=np.bool_)
    for i in range(pairs.shape[0]):
        a = pairs[i, 0]
        b = pairs[i, 1]
        la = lens[a]
        lb = lens[b]
        total = la + lb
        ok = total == 0 or 2 * min(la, lb) >= bound * total
        if ok and use_nums:
            ok = nums[a] == nums[b]
        if ok and use_groups:
            ok = groups[a] == groups[b]
        out[i] = ok
    return out


_CODE = np.int64(2**31)


def kept_rows(
    n: int,
    exact_rep: np.ndarray,
    confirmed: np.ndarray,
    scores: np.ndarray,
    rescore: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From exact representatives and confirmed near pairs (with their scores): every row's kept row (the first
    row of its cluster), whether it is an exact copy, and its score against the kept row (1.0 for exact copies;
    the confirmation score where the row was confirmed against its kept row directly, else `rescore(rows,
    kept_rows)`). The local engine and the Ray executor share it."""
    labels = _components(n, exact_rep, confirmed)
    first = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n, dtype=np.int64))
    kept = first[labels]
    exact = (exact_rep == kept) & (kept != np.arange(n))
    score = np.full(n, np.nan)
    score[exact] = 1.0
    near = np.flatnonzero(exact_rep != kept)
    if near.size:
        codes = confirmed[:, 0] * _CODE + confirmed[:, 1]
        order = np.argsort(codes)
        want = kept[near] * _CODE + exact_rep[near]
        pos = np.minimum(np.searchsorted(codes[order], want), max(codes.size - 1, 0))
        hit = codes[order][pos] == want if codes.size else np.zeros(near.size, dtype=bool)
        score[near[hit]] = scores[order][pos[hit]]
        miss = near[~hit]
        if miss.size:
            score[miss] = rescore(miss, kept[miss])
    return kept, exact, score


def _components(n: int, exact_rep: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Connected-component label of every row (union-find over exact and confirmed near edges)."""
    a = np.concatenate([np.arange(n), pairs[:, 0]])
    b = np.concatenate([exact_rep, pairs[:, 1]])
    graph = coo_matrix((np.ones(a.shape[0], dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _confirm_in_rounds(
    n: int, exact_rep: np.ndarray, cand: np.ndarray, checker: _Checker
) -> tuple[np.ndarray, np.ndarray]:
    """Confirm candidates, skipping pairs already joined: first each row's pair with its smallest partner
    (in a cluster of copies that links every copy to the original), then only pairs still in different
    components. Same clusters as checking every pair, at a fraction of the rapidfuzz calls."""
    if not cand.size:
        return np.empty((0, 2), dtype=np.int64), np.empty(0)
    c = cand[np.lexsort((cand[:, 0], cand[:, 1]))]
    first = np.ones(c.shape[0], dtype=bool)
    first[1:] = c[1:, 1] != c[:-1, 1]
    got_pairs: list[np.ndarray] = []
    got_scores: list[np.ndarray] = []
    for i, pairs in enumerate((c[first], c[~first])):
        if i and pairs.size:
            labels = _components(n, exact_rep, np.concatenate(got_pairs))
            pairs = pairs[labels[pairs[:, 0]] != labels[pairs[:, 1]]]
        ok, sc = checker.check(pairs)
        got_pairs.append(pairs[ok])
        got_scores.append(sc[ok])
    return np.concatenate(got_pairs), np.concatenate(got_scores)


def _ratios(a: list[str], b: list[str], workers: int, cutoff: float | None = None) -> np.ndarray:
    out = cpdist(a, b, scorer=fuzz.ratio, score_cutoff=cutoff, workers=workers, dtype=np.float32)
    return np.asarray(out, dtype=np.float64) / 100.0


class _Checker:
    """Confirms candidate pairs on normalised texts, a chunk of pairs at a time.

    Only the rows of the current chunk are held as Python strings (rapidfuzz needs them), so memory stays
    bounded however many rows are in candidate pairs. Normalised texts come from hashing when they were kept,
    else the chunk's rows are normalised again.
    """

    CHUNK_PAIRS = 50_000

    def __init__(
        self,
        texts: Callable[[np.ndarray], pl.Series],
        all_norm: pl.Series | None,
        cfg: DedupConfig,
        workers: int,
        show: bool,
        groups: np.ndarray | None = None,
        same_words: np.ndarray | None = None,
    ) -> None:
        self.texts, self.all_norm = texts, all_norm  # texts: the raw texts of given rows
        self.cfg, self.workers, self.show = cfg, workers, show
        self.groups = groups  # a pair in two groups is never confirmed
        self.same_words = same_words  # a pair with a marked row is confirmed only with the same content words
        self.checked = 0

    def _norm(self, rows: np.ndarray) -> pl.Series:
        if self.all_norm is not None:
            return self.all_norm.gather(rows)
        return normalize_series(self.texts(rows), cjk_spacing=True)

    def ratios(
        self, a_rows: np.ndarray, b_rows: np.ndarray, cutoff: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Similarity of each (a, b) row pair, and whether their numbers agree."""
        scores = np.zeros(a_rows.shape[0])
        same_numbers = np.ones(a_rows.shape[0], dtype=bool)
        step = self.CHUNK_PAIRS
        with tqdm(
            total=a_rows.shape[0],
            desc="dedup: confirming",
            unit="pair",
            disable=not self.show or a_rows.shape[0] < step,
        ) as bar:
            for s in range(0, a_rows.shape[0], step):
                a, b = a_rows[s : s + step], b_rows[s : s + step]
                rows = unique_sorted(np.concatenate([a, b]))
                norm = self._norm(rows)
                texts = norm.to_list()
                ia, ib = np.searchsorted(rows, a), np.searchsorted(rows, b)
                scores[s : s + step] = _ratios([texts[i] for i in ia], [texts[i] for i in ib], self.workers, cutoff)
                if self.cfg.match_numbers:
                    nums = _guard_key(norm, self.cfg.seed)
                    same_numbers[s : s + step] = nums[ia] == nums[ib]
                bar.update(a.shape[0])
        return scores, same_numbers

    def check(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(confirmed mask, similarity) for each pair."""
        self.checked += int(pairs.shape[0])
        scores, same_numbers = self.ratios(pairs[:, 0], pairs[:, 1], self.cfg.threshold * 100)
        ok = (scores >= self.cfg.threshold) & same_numbers
        if self.groups is not None and pairs.size:
            ok &= self.groups[pairs[:, 0]] == self.groups[pairs[:, 1]]
        if self.same_words is not None and pairs.size:
            # only pairs that passed everything else: the words of a few rows, never of every text
            ask = np.flatnonzero(ok & (self.same_words[pairs[:, 0]] | self.same_words[pairs[:, 1]]))
            if ask.size:
                ok[ask] = self._same_content(pairs[ask])
        return ok, scores

    def _same_content(self, pairs: np.ndarray) -> np.ndarray:
        """Whether each pair's normalised texts have the same content words (`words.content_words`)."""
        out = np.empty(pairs.shape[0], dtype=bool)
        for s in range(0, pairs.shape[0], self.CHUNK_PAIRS):
            a, b = pairs[s : s + self.CHUNK_PAIRS, 0], pairs[s : s + self.CHUNK_PAIRS, 1]
            rows = unique_sorted(np.concatenate([a, b]))
            words = [content_words(t) for t in self._norm(rows).to_list()]
            ia, ib = np.searchsorted(rows, a), np.searchsorted(rows, b)
            out[s : s + a.shape[0]] = [words[i] == words[j] for i, j in zip(ia, ib, strict=True)]
        return out


def _string_series(name: str, values: Sequence[object] | pl.Series, ids: pl.Series | None = None) -> pl.Series:
    """A non-null String Series, or DedupInputError naming the first bad row."""
    if isinstance(values, pl.Series) and values.dtype == pl.String and values.null_count() == 0:
        return values.alias(name)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            who = f"row {i}" + (f" (id {ids[i]!r})" if ids is not None and i < ids.len() else "")
            what = "missing" if v is None else f"not a string ({type(v).__name__})"
            raise DedupInputError(f"{who}: {name} is {what}")
    return pl.Series(name, list(values), dtype=pl.String)


def dedup_texts(
    ids: Sequence[str] | pl.Series,
    texts: Sequence[str] | pl.Series,
    config: DedupConfig | None = None,
    *,
    progress: bool | None = None,
    groups: Sequence[object] | pl.Series | None = None,
    group_exact: bool = False,
) -> pl.DataFrame:
    """Deduplicate texts: one row per input, in input order (columns in `RESULT_SCHEMA`).

    `keep` is true for exactly one row per cluster (its first occurrence); `duplicate_of` and `cluster_id` name
    that row's id; `reason` is "exact" (same normalised text) or "near" (confirmed near duplicate, or linked to
    the kept row through a chain of them); `score` is the similarity to the kept row (1.0 exact, null for kept).
    """
    id_s = _string_series("id", ids)
    text_s = _string_series("text", texts, id_s)
    if id_s.len() != text_s.len():
        raise DedupInputError(f"{id_s.len()} ids but {text_s.len()} texts")
    dup = id_s.is_duplicated()
    if dup.any():
        i = int(dup.arg_true()[1]) if dup.sum() > 1 else int(dup.arg_true()[0])
        raise DedupInputError(f"row {i}: id {id_s[i]!r} is not unique")
    group_keys = None
    if groups is not None:
        g = pl.Series("group", list(groups) if not isinstance(groups, pl.Series) else groups)
        if g.len() != id_s.len():
            raise DedupInputError(f"{id_s.len()} ids but {g.len()} groups")
        # integer group keys (callers' own hashes) are used as they are; anything else by its text
        group_keys = (g if g.dtype.is_integer() else g.cast(pl.String).fill_null("")).hash(0).to_numpy()
    cl = cluster_texts(text_s, config, progress=progress, groups=group_keys, group_exact=group_exact)
    is_kept = cl.kept == np.arange(id_s.len())
    cluster_id = id_s.gather(cl.kept) if id_s.len() else id_s
    reason = np.where(is_kept, None, np.where(cl.exact, "exact", "near"))
    return pl.DataFrame(
        {
            "id": id_s,
            "cluster_id": cluster_id.alias("cluster_id"),
            "keep": pl.Series(is_kept, dtype=pl.Boolean),
            "duplicate_of": pl.Series(np.where(is_kept, None, cluster_id.to_numpy()).tolist(), dtype=pl.String),
            "reason": pl.Series(reason.tolist(), dtype=pl.String),
            "score": pl.Series(cl.score, dtype=pl.Float64).fill_nan(None),
        },
        schema=RESULT_SCHEMA,
    )
