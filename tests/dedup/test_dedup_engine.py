import random
from collections.abc import Iterator

import numpy as np
import polars as pl
import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import RESULT_SCHEMA, TextSource, cluster_texts, dedup_texts
from pipeline.dedup.errors import DedupInputError
from pipeline.errors import ThinkmillError
from testing_support.dedup_corpus import pair_scores


def _dedup(texts: list[str], config: DedupConfig | None = None) -> pl.DataFrame:
    return dedup_texts([f"r{i}" for i in range(len(texts))], texts, config)


def _words(rng: random.Random, n: int) -> list[str]:
    vocab = [f"{a}{b}" for a in ("ka", "to", "re", "mi", "sa", "lo", "ne") for b in ("ri", "mo", "ta", "ve", "du")]
    return [rng.choice(vocab) for _ in range(n)]


def _check_invariants(res: pl.DataFrame) -> None:
    assert dict(res.schema) == RESULT_SCHEMA
    kept = res.filter("keep")
    # exactly one kept row per cluster, and it is the cluster's own id
    assert kept["cluster_id"].n_unique() == kept.height == res["cluster_id"].n_unique()
    assert (kept["id"] == kept["cluster_id"]).all()
    assert kept["duplicate_of"].null_count() == kept.height
    assert kept["reason"].null_count() == kept.height
    dup = res.filter(~pl.col("keep"))
    assert (dup["duplicate_of"] == dup["cluster_id"]).all()
    assert set(dup["reason"].to_list()) <= {"exact", "near"}
    # the kept row is the first occurrence in input order
    first = res.with_row_index("i").group_by("cluster_id").agg(pl.col("i").min(), pl.col("id").first())
    pos = {v: i for i, v in enumerate(res["id"].to_list())}
    assert all(pos[c] == i for c, i in zip(first["cluster_id"], first["i"], strict=True))


def test_planted_exact_and_near_duplicates_found_without_merging_hard_negatives(planted: pl.DataFrame) -> None:
    res = dedup_texts(planted["id"], planted["text"])
    _check_invariants(res)
    precision, recall = pair_scores(res["cluster_id"].to_numpy(), planted["label"].to_numpy())
    assert precision == 1.0
    assert recall >= 0.98
    exact = res.filter(pl.col("reason") == "exact")
    assert exact.height > 0 and (exact["score"] == 1.0).all()
    near = res.filter(pl.col("reason") == "near")
    assert near.height > 0 and (near["score"] >= 0.9).all()


def test_near_duplicate_with_word_edits_is_merged() -> None:
    rng = random.Random(1)
    base = _words(rng, 300)
    edited = list(base)
    for i in rng.sample(range(300), 9):
        edited[i] = "zzz" + edited[i]
    del edited[50]
    edited.insert(120, "inserted")
    res = _dedup([" ".join(base), " ".join(edited)])
    assert res["keep"].to_list() == [True, False]
    assert res["reason"][1] == "near"
    assert res["duplicate_of"][1] == "r0"
    assert 0.9 <= res["score"][1] < 1.0


def test_texts_sharing_vocabulary_or_half_their_text_are_not_merged() -> None:
    rng = random.Random(2)
    a = _words(rng, 300)
    b = _words(rng, 300)  # same 35-word vocabulary, different text
    c = a[:150] + _words(rng, 150)  # shares its first half with a
    res = _dedup([" ".join(a), " ".join(b), " ".join(c)])
    assert res["keep"].all()


def test_exact_duplicates_modulo_case_whitespace_and_unicode() -> None:
    res = _dedup(["The answer is ＴＷＯ.", "the  answer\nis two.", "The answer is three."])
    assert res["keep"].to_list() == [True, False, True]
    assert res["reason"][1] == "exact" and res["score"][1] == 1.0


def test_clusters_are_transitive_through_chains() -> None:
    rng = random.Random(3)
    base = _words(rng, 200)
    chain = [base]
    for step in range(4):  # each link ~4% from the previous; the ends are further apart
        nxt = list(chain[-1])
        for i in rng.sample(range(200), 4):
            nxt[i] = f"edit{step}x{i}"
        chain.append(nxt)
    texts = [" ".join(w) for w in chain]
    res = _dedup(texts)
    assert res["cluster_id"].n_unique() == 1
    assert res["keep"].to_list() == [True, False, False, False, False]


def test_short_texts_with_one_word_changed_are_near_duplicates() -> None:
    res = _dedup(
        [
            "Compute the sum of the first ten prime numbers.",
            "Compute the sum of the first ten primes numbers.",
            "Find the product of the first ten prime numbers.",
            "What is 2+3?",
            "What is 2+5?",  # numbers differ: never merged
            "hi",
        ]
    )
    assert res["keep"].to_list() == [True, False, True, True, True, True]


def test_numbers_guard_can_be_switched_off() -> None:
    texts = ["Let x = 12 and solve the equation for y quickly.", "Let x = 13 and solve the equation for y quickly."]
    assert _dedup(texts)["keep"].all()
    assert _dedup(texts, DedupConfig(match_numbers=False))["keep"].to_list() == [True, False]


def test_threshold_controls_confirmation() -> None:
    texts = ["alpha beta gamma delta epsilon zeta eta theta", "alpha beta gamma delta epsilon zeta eta iota"]
    assert _dedup(texts, DedupConfig(threshold=0.99))["keep"].all()
    assert _dedup(texts, DedupConfig(threshold=0.8))["keep"].to_list() == [True, False]


def test_deterministic_and_independent_of_batching(planted: pl.DataFrame) -> None:
    a = dedup_texts(planted["id"], planted["text"])
    b = dedup_texts(planted["id"], planted["text"])
    c = dedup_texts(planted["id"], planted["text"], DedupConfig(batch_size=37, workers=1))
    assert a.equals(b)
    assert a.equals(c)


def test_empty_and_one_row_inputs() -> None:
    empty = dedup_texts([], [])
    assert empty.height == 0 and dict(empty.schema) == RESULT_SCHEMA
    one = dedup_texts(["only"], ["some text"])
    assert one.rows() == [("only", "only", True, None, None, None)]
    blank = _dedup(["", "   ", "x"])
    assert blank["keep"].to_list() == [True, False, True]


def test_many_copies_keep_one() -> None:
    res = _dedup(["same text here"] * 500 + ["other"])
    assert int(res["keep"].sum()) == 2
    assert res["cluster_id"][:500].unique().to_list() == ["r0"]


@pytest.mark.parametrize(
    ("texts", "msg"),
    [
        (["ok", None], "row 1 (id 'r1'): text is missing"),
        (["ok", 5], "row 1 (id 'r1'): text is not a string (int)"),
    ],
)
def test_bad_rows_raise_naming_the_row(texts: list[object], msg: str) -> None:
    with pytest.raises(DedupInputError, match=msg.replace("(", r"\(").replace(")", r"\)")) as err:
        dedup_texts(["r0", "r1"], texts)  # type: ignore[arg-type]
    assert isinstance(err.value, ThinkmillError)


def test_duplicate_ids_and_length_mismatch_raise() -> None:
    with pytest.raises(DedupInputError, match="row 1: id 'a' is not unique"):
        dedup_texts(["a", "a"], ["x", "y"])
    with pytest.raises(DedupInputError, match="2 ids but 1 texts"):
        dedup_texts(["a", "b"], ["x"])


def test_config_rejects_more_bands_than_perms() -> None:
    with pytest.raises(ValueError, match="bands"):
        DedupConfig(num_perm=16, bands=32)


def test_large_cluster_scores_are_against_the_kept_row() -> None:
    rng = random.Random(5)
    base = _words(rng, 120)
    texts = []
    for i in range(30):
        w = list(base)
        w[i] = "changed"
        texts.append(" ".join(w))
    res = _dedup(texts)
    assert res["cluster_id"].n_unique() == 1
    assert np.all(res["score"][1:].to_numpy() > 0.95)


def test_large_input_path_renormalising_candidates_gives_same_result(planted: pl.DataFrame, monkeypatch) -> None:
    from pipeline.dedup import engine

    small = dedup_texts(planted["id"], planted["text"], DedupConfig(batch_size=100))
    monkeypatch.setattr(engine, "KEEP_NORMALISED_MAX_BYTES", 0)
    monkeypatch.setattr(engine, "HASH_THREADS", False)
    large = dedup_texts(planted["id"], planted["text"], DedupConfig(batch_size=100))
    assert small.equals(large)


def test_numbers_glued_to_variables_still_count() -> None:
    a = "Find every real x that satisfies x^2 - 10x + 21 < 0, and express the solution set as an interval."
    b = "Find every real x that satisfies x^2 + 4x - 21 < 0, and express the solution set as an interval."
    assert _dedup([a, b])["keep"].to_list() == [True, True]
    assert _dedup([a, b], DedupConfig(match_numbers=False))["keep"].to_list() == [True, False]


def test_groups_forbid_near_links_and_optionally_exact_ones() -> None:
    rng = random.Random(5)
    words = _words(rng, 120)
    base = " ".join(words)
    near = " ".join([*words[:3], "zzz", *words[4:]])
    texts = [base, near, base]
    ids = ["a", "b", "c"]
    assert dedup_texts(ids, texts)["keep"].to_list() == [True, False, False]
    res = dedup_texts(ids, texts, groups=["g1", "g2", "g2"])
    assert res["keep"].to_list() == [True, True, False]  # exact copies merge across groups by default
    assert res["duplicate_of"][2] == "a" and res["reason"][2] == "exact"
    res = dedup_texts(ids, texts, groups=["g1", "g2", "g2"], group_exact=True)
    assert res["keep"].to_list() == [True, True, False] and res["duplicate_of"][2] == "b"
    res = dedup_texts(ids, texts, groups=["g1", "g2", "g3"], group_exact=True)
    assert res["keep"].to_list() == [True, True, True]
    with pytest.raises(DedupInputError, match="groups"):
        dedup_texts(ids, texts, groups=["g1"])


# ------------------------------------------------------------------------------------------------ issue 16
@pytest.mark.parametrize("fill", [0.0, 0.02, 0.1, 0.5, 0.95, 1.0])
def test_vectorised_densify_equals_the_rotation_loop(fill: float) -> None:
    """`_densify` (one reversed running minimum) fills every empty bin as the rotation loop did."""
    from pipeline.dedup.minhash import _EMPTY, _densify, _densify_by_rotation

    rng = np.random.default_rng(int(fill * 100))
    sig = rng.integers(0, 2**32 - 1, size=(300, 128), dtype=np.uint64).astype(np.uint32)
    sig[rng.random(sig.shape) >= fill] = _EMPTY
    sig[0] = _EMPTY  # a row with no shingle at all stays empty
    sig[1, :] = _EMPTY
    sig[1, 127] = 5  # wraps around from every bin
    sig[2] = np.uint32(2**32 - 2)  # near the top: the offset wraps in 32 bits
    sig[2, ::3] = _EMPTY
    got, want = _densify(sig), _densify_by_rotation(sig)
    assert got.dtype == want.dtype == np.uint32
    assert np.array_equal(got, want)


def test_band_keys_spilled_to_disk_give_the_same_clusters(planted: pl.DataFrame, monkeypatch) -> None:
    """Past BAND_SPILL_BYTES the band keys go to a temporary file, read back one band column at a time; short
    texts (character tier) and long ones (word tier) both cluster as they do in memory."""
    from pipeline.dedup import lsh

    short = pl.Series([f"what is {i % 40} plus {i % 7}, the sum?" for i in range(300)])
    texts = pl.concat([planted["text"], short])
    ids = pl.Series([f"r{i}" for i in range(texts.len())])
    held = dedup_texts(ids, texts, DedupConfig(batch_size=64))
    opened: list[int] = []
    real = lsh.BandColumns._write

    def counting(self, m: int, block: np.ndarray) -> None:
        opened.append(m)
        real(self, m, block)

    monkeypatch.setattr(lsh, "BAND_SPILL_BYTES", 0)
    monkeypatch.setattr(lsh.BandColumns, "_write", counting)
    spilled = dedup_texts(ids, texts, DedupConfig(batch_size=64))
    assert len(opened) > 10  # blocks of both tiers went to the file
    assert (~held["keep"]).sum() > 50
    assert spilled.equals(held)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_text_source_read_in_uneven_chunks_gives_the_same_clusters(planted: pl.DataFrame, workers: int) -> None:
    """`cluster_texts` over a TextSource (texts read on demand, as ingest reads its staged parts) equals the
    Series path, whatever the chunk sizes; only the rows asked for are gathered."""
    texts = planted["text"]
    sizes = [1, 50, 7, 0, 123]
    gathered: list[int] = []

    def chunks() -> Iterator[pl.Series]:
        start, k = 0, 0
        while start < texts.len():
            size = sizes[k % len(sizes)]
            yield texts.slice(start, size)
            start, k = start + size, k + 1

    def gather(rows: np.ndarray) -> pl.Series:
        assert (np.diff(rows) > 0).all()
        gathered.extend(rows.tolist())
        return texts.gather(rows)

    cfg = DedupConfig(batch_size=37, workers=workers)
    want = cluster_texts(texts, cfg)
    got = cluster_texts(TextSource(texts.len(), chunks, gather), cfg)
    assert np.array_equal(got.kept, want.kept) and np.array_equal(got.exact, want.exact)
    assert np.allclose(got.score, want.score, equal_nan=True)
    assert (got.candidates, got.confirmed) == (want.candidates, want.confirmed) and want.confirmed > 0
    assert 0 < len(set(gathered)) < texts.len()


def test_a_text_source_that_gives_fewer_texts_than_it_announced_is_an_error(planted: pl.DataFrame) -> None:
    texts = planted["text"]
    short = TextSource(texts.len() + 1, lambda: iter([texts]), texts.gather)
    with pytest.raises(DedupInputError, match="gave 600 texts, not the 601"):
        cluster_texts(short, DedupConfig(workers=1))


def test_same_words_holds_back_near_links_of_marked_texts() -> None:
    """A marked text (task dedup: a task without a reference answer) links as a near duplicate only with the same
    content words; one marked text in a pair is enough; exact duplicates merge regardless."""
    texts = pl.Series(
        ["Write a poem about cats.", "Write a poem about bats.", "Write a poem about cats", "WRITE A POEM ABOUT CATS."]
    )
    assert cluster_texts(texts).kept.tolist() == [0, 0, 0, 0]
    marked = np.array([True, True, True, True])
    assert cluster_texts(texts, same_words=marked).kept.tolist() == [0, 1, 0, 0]
    assert cluster_texts(texts, same_words=np.array([False, True, False, False])).kept.tolist() == [0, 1, 0, 0]
    res = cluster_texts(texts, same_words=marked)
    assert res.exact.tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The answer is (B).", "The answer is (C)."),  # 0.944
        ("The correct option is B.", "The correct option is C."),
        ("Answer: **B**", "Answer: **D**"),
        ("So the final answer is $\\boxed{B}$.", "So the final answer is $\\boxed{C}$."),
        ("Looking at the options, B) fits best here.", "Looking at the options, C) fits best here."),
        ("Of the four choices, option [a] is the right one.", "Of the four choices, option [c] is the right one."),
    ],
)
def test_option_letters_guard_like_numbers(a: str, b: str) -> None:
    """Short MCQ answers that differ only in their option letter were near duplicates (a letter is one character of
    the ratio), so across tasks (`select.dedup_scope: all`) one task's answer "(C)" was dropped as the duplicate of
    another's "(B)". A standalone option letter, marked as one (in brackets, before `)`, or after answer / option /
    choice at the end of a phrase), must match as numbers must (`match_numbers`)."""
    assert _dedup([a, b])["keep"].to_list() == [True, True]
    assert _dedup([a, b], DedupConfig(match_numbers=False))["keep"].to_list() == [True, False]
    assert _dedup([a, a.rstrip(".") + "!"])["keep"].to_list() == [True, False]  # the same letter: still one


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # words of one letter that are no option: an article, the pronoun, a variable, a function's argument
        ("I think the answer is a prime number here.", "We think the answer is the prime number here."),
        (
            "Let f(x) be the function and solve it for the unknown.",
            "Let g(y) be the function and solve it for the unknown.",
        ),
        (
            "Take a step back and read the question once more, then answer.",
            "Take the step back and read the question once more, then answer.",
        ),
    ],
)
def test_single_letters_that_are_no_option_do_not_guard(a: str, b: str) -> None:
    assert _dedup([a, b])["keep"].to_list() == [True, False]
