import json
import random

import polars as pl
import pytest

from pipeline.dedup.config import DedupConfig, SelectConfig
from pipeline.dedup.select import select_traces, selection_summary
from schemas import table


def _words(rng: random.Random, n: int) -> str:
    vocab = [
        "we",
        "add",
        "the",
        "terms",
        "so",
        "sum",
        "is",
        "then",
        "check",
        "factor",
        "prime",
        "value",
        "gives",
        "equation",
        "solve",
        "for",
        "x",
        "both",
        "sides",
        "divide",
        "multiply",
        "result",
        "answer",
    ]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _frames(traces: list[tuple[str, str, str, str, bool]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """traces: (key, task_id, mode, raw_text, passed)."""
    gens = pl.DataFrame(
        {
            "key": [t[0] for t in traces],
            "task_id": [t[1] for t in traces],
            "mode": [t[2] for t in traces],
            "raw_text": [t[3] for t in traces],
            "think": [None] * len(traces),
            "answer": [None] * len(traces),
        },
        schema={
            "key": pl.String,
            "task_id": pl.String,
            "mode": pl.String,
            "raw_text": pl.String,
            "think": pl.String,
            "answer": pl.String,
        },
    )
    verdicts = pl.DataFrame(
        {"generation_key": [t[0] for t in traces], "passed": [t[4] for t in traces]},
        schema={"generation_key": pl.String, "passed": pl.Boolean},
    )
    return gens, verdicts


@pytest.fixture()
def task_traces() -> list[tuple[str, str, str, str, bool]]:
    rng = random.Random(0)
    base = f"<think>\n{_words(rng, 120)}\n</think>\nThe answer is 7."
    near = base.replace("<think>\n", "<think>\nokay ", 1)
    return [
        ("k1", "t1", "think", base, True),
        ("k2", "t1", "think", near, True),  # near duplicate of k1
        ("k3", "t1", "think", f"<think>\n{_words(rng, 60)}\n</think>\nThe answer is 7.", True),
        ("k4", "t1", "think", f"<think>\n{_words(rng, 200)}\n</think>\nThe answer is 7.", True),
        ("k5", "t1", "think", f"<think>\n{_words(rng, 90)}\n</think>\nThe answer is 7.", True),
        ("k6", "t1", "think", "wrong", False),
        ("k7", "t1", "no_think", "The answer is 7.", True),
        ("k8", "t2", "think", f"<think>\n{_words(rng, 30)}\n</think>\nx = 2", True),
    ]


def test_contract_shape_and_only_passing_rows(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=10), DedupConfig())
    assert dict(sel.schema) == table("trace_selection").polars_schema()
    assert "k6" not in sel["generation_key"].to_list()
    assert sel.height == 7
    assert (sel["selected"] == sel["reason"].is_null()).all()
    assert (sel["tokens"] > 0).all()


def test_near_duplicate_dropped_with_reason_naming_the_kept_key(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=10, policy="shortest"), DedupConfig())
    row = dict(zip(sel["generation_key"], sel["reason"], strict=True))
    # shortest policy: k1 (shorter) is the cluster's kept trace, k2 its duplicate
    assert row["k2"] == "dedup:duplicate_of:k1"
    assert sel.filter(pl.col("generation_key") == "k2")["cluster_id"][0] == "k1"
    assert row["k1"] is None


def test_cap_with_shortest_policy(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy="shortest"), DedupConfig())
    kept = sel.filter("selected")
    t1 = kept.filter((pl.col("task_id") == "t1") & (pl.col("mode") == "think"))
    assert sorted(t1["generation_key"].to_list()) == ["k3", "k5"]  # the two shortest distinct traces
    reasons = dict(zip(sel["generation_key"], sel["reason"], strict=True))
    assert reasons["k1"] == "select:over_cap" and reasons["k4"] == "select:over_cap"
    assert reasons["k7"] is None and reasons["k8"] is None  # other mode / task have their own cap


def test_random_policy_is_seeded(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    picks = {
        seed: tuple(
            select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy="random", seed=seed))
            .filter("selected")["generation_key"]
            .to_list()
        )
        for seed in range(6)
    }
    assert picks[0] == tuple(
        select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy="random", seed=0))
        .filter("selected")["generation_key"]
        .to_list()
    )
    assert len(set(picks.values())) > 1  # different seeds pick differently


def test_diverse_policy_prefers_dissimilar_traces() -> None:
    rng = random.Random(4)
    a = _words(rng, 80)
    traces = [
        ("a", "t", "think", a, True),
        ("a2", "t", "think", a + " and we check the result again here", True),  # similar to a, not a duplicate
        ("b", "t", "think", "completely different approach using modular arithmetic " * 20, True),
    ]
    gens, verdicts = _frames(traces)
    dd = DedupConfig(threshold=0.99)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy="diverse"), dd)
    assert sorted(sel.filter("selected")["generation_key"].to_list()) == ["a", "b"]
    shortest = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy="shortest"), dd)
    assert sorted(shortest.filter("selected")["generation_key"].to_list()) == ["a", "a2"]


def test_token_bounds(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=10, min_tokens=10, max_tokens=150))
    reasons = dict(zip(sel["generation_key"], sel["reason"], strict=True))
    assert reasons["k7"] == "select:too_short"
    assert reasons["k4"] == "select:too_long"
    assert sel.filter(pl.col("generation_key") == "k4")["cluster_id"][0] is None


def test_summary_counts(task_traces) -> None:
    gens, verdicts = _frames(task_traces)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy="shortest"))
    s = selection_summary(sel)
    assert s["rows"] == 7 and s["duplicates"] == 1
    assert s["selected"] == int(sel["selected"].sum())
    assert s["cluster_size_histogram"]["2"] == 1
    assert s["tokens_saved"]["dedup:duplicate"] == sel.filter(pl.col("generation_key") == "k2")["tokens"][0]


def test_empty_inputs_and_missing_generation() -> None:
    gens, verdicts = _frames([])
    assert select_traces(gens, verdicts).height == 0
    gens, verdicts = _frames([("k1", "t", "think", "x", True)])
    with pytest.raises(Exception, match="k9"):
        select_traces(gens.filter(pl.lit(False)), pl.DataFrame({"generation_key": ["k9"], "passed": [True]}))


def test_trace_dedup_is_scoped_to_the_task_by_default() -> None:
    """Similar answers to different prompts are different SFT examples; `dedup_scope: all` links them."""
    short = "<think>\n</think>\nThe answer is (B)."
    gens, verdicts = _frames(
        [
            ("a1", "t1", "no_think", short, True),
            ("b1", "t2", "no_think", short, True),
            ("b2", "t2", "no_think", short, True),
        ]
    )
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=10), DedupConfig())
    got = dict(zip(sel["generation_key"].to_list(), sel["reason"].to_list(), strict=True))
    assert got["a1"] is None and got["b1"] is None and got["b2"] == "dedup:duplicate_of:b1"
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=10, dedup_scope="all"), DedupConfig())
    got = dict(zip(sel["generation_key"].to_list(), sel["reason"].to_list(), strict=True))
    assert got["a1"] is None and got["b1"] == "dedup:duplicate_of:a1"


def test_min_tokens_above_max_tokens_is_a_config_error() -> None:
    """No trace can be both >= min_tokens and <= max_tokens: every one was dropped (reported as too_short)."""
    with pytest.raises(ValueError, match=r"min_tokens \(500\) must be <= max_tokens \(100\)"):
        SelectConfig(min_tokens=500, max_tokens=100)
    assert SelectConfig(min_tokens=100, max_tokens=100).max_tokens == 100


def _diverse_reference(texts: list[str], m: int) -> list[int]:
    """Farthest-first over the whole similarity matrix (the definition `_diverse_pick` must match)."""
    from rapidfuzz import fuzz

    if len(texts) <= m:
        return list(range(len(texts)))
    sim = [[fuzz.ratio(a, b) for b in texts] for a in texts]
    picked = [0]
    closest = [s if j else float("inf") for j, s in enumerate(sim[0])]
    while len(picked) < m:
        nxt = min(range(len(texts)), key=lambda j: (closest[j], j))
        picked.append(nxt)
        closest = [float("inf") if j in picked else max(c, sim[nxt][j]) for j, c in enumerate(closest)]
    return sorted(picked)


def test_diverse_pick_compares_only_the_rows_it_uses(monkeypatch) -> None:
    """A think trace runs to ~100 KB (0.4 s a rapidfuzz ratio): the whole k x k matrix took 28 ratios for k = 8,
    where farthest-first to m = 2 needs the first trace's 7. Same picks as the matrix definition."""
    from pipeline.dedup import select as sel_mod

    rng = random.Random(7)
    compared: list[int] = []
    real = sel_mod.cdist

    def counting(queries, choices, **kw):
        compared.append(len(queries) * len(choices))
        return real(queries, choices, **kw)

    monkeypatch.setattr(sel_mod, "cdist", counting)
    for _ in range(30):
        k, m = rng.randint(1, 9), rng.randint(1, 4)
        texts = [_words(rng, rng.randint(3, 30)) for _ in range(k)]
        compared.clear()
        assert sel_mod._diverse_pick(texts, m) == _diverse_reference(texts, m), (texts, m)
        assert sum(compared) <= max(m - 1, 0) * k


def test_random_policy_order_is_a_stable_hash() -> None:
    """The random policy ordered traces by polars' `Series.hash(seed)`, which polars keeps stable only within one of
    its versions: after an upgrade (pyproject allows polars >= 1.20) the same seed picked other traces, an
    incremental select mixed the two orders, and a full recompute changed the dataset. The order is xxh64 of the
    seed and the generation key, defined here independently."""
    import xxhash

    topics = ["volcanoes", "tides", "glaciers", "comets", "coral reefs", "deserts", "auroras", "monsoons"]
    traces = [(f"k{i}", "t", "think", f"An essay about {t}: " + t * 12, True) for i, t in enumerate(topics)]
    gens, verdicts = _frames(traces)
    for seed in range(5):
        sel = select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy="random", seed=seed))
        want = min((k for k, *_ in traces), key=lambda k: (xxhash.xxh64_intdigest(f"{seed}\x1f{k}".encode()), k))
        assert sel.filter("selected")["generation_key"].to_list() == [want], seed


def test_random_policy_digest_names_its_order() -> None:
    """A selection made with polars' order must be made again once: a random policy's settings digest names the
    stable order (the other policies' digests are unchanged)."""
    import hashlib

    from pipeline.dedup.select import SELECT_VERSION, config_fingerprint

    def old(config: SelectConfig, dedup: DedupConfig) -> str:
        settings = {
            "select": config.model_dump(mode="json"),
            "dedup": dedup.model_dump(mode="json", exclude={"batch_size", "workers"}),
        }
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:32]

    assert config_fingerprint(SelectConfig(policy="random"), DedupConfig()) != old(
        SelectConfig(policy="random"), DedupConfig()
    )
    # the rules' version is in every digest from version 2 on (version 1 left the old digests as they were)
    assert SELECT_VERSION >= 2
    assert config_fingerprint(SelectConfig(), DedupConfig()) != old(SelectConfig(), DedupConfig())
    settings = {
        "select": SelectConfig().model_dump(mode="json"),
        "dedup": DedupConfig().model_dump(mode="json", exclude={"batch_size", "workers"}),
        "select_version": SELECT_VERSION,
    }
    assert (
        config_fingerprint(SelectConfig(), DedupConfig())
        == hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:32]
    )


_GOOD_AND_DROPPED = {
    # (mode, a trace the build keeps, a preferred one it drops by itself: shorter, and so first in every policy
    # but random, which the swapped keys cover)
    "no_think_hesitation": ("no_think", "The product of 8 and 9 is 72.", "Hmm. It is 72."),
    "think_answer_hesitation": (
        "think",
        "<think>\n8 times 9: 8*9 = 72, so the product is 72.\n</think>\nThe product is 72.",
        "<think>\n8 times 9 is 72.\n</think>\nWait, let me re-check. 72.",
    ),
    "no_think_leak": ("no_think", "So the product of the two numbers 8 and 9 is 72.", "<think>8*9</think>72."),
    "empty_answer": (
        "think",
        "<think>\n8 times 9: 8*9 = 72, so it is 72.\n</think>\nThe product is 72.",
        "<think>\n8*9=72\n</think>\n",
    ),
}


@pytest.mark.parametrize("policy", ["diverse", "shortest", "random"])
@pytest.mark.parametrize("case", sorted(_GOOD_AND_DROPPED))
def test_the_cap_keeps_a_trace_the_build_keeps(policy: str, case: str) -> None:
    """Under `max_per_task: 1` the policy's first trace was kept and the task's other trace dropped as over the cap,
    and the build then dropped the kept one by itself ("Hmm. It is 72.": `balance:no_think_hesitation`): the task lost
    its row although a usable trace existed. Traces the build drops by themselves come after the others."""
    mode, good, dropped = _GOOD_AND_DROPPED[case]
    for good_key, dropped_key in (("a", "b"), ("b", "a")):
        gens, verdicts = _frames([(good_key, "t", mode, good, True), (dropped_key, "t", mode, dropped, True)])
        sel = select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy=policy), DedupConfig())
        reasons = dict(zip(sel["generation_key"], sel["reason"], strict=True))
        assert reasons == {good_key: None, dropped_key: "select:over_cap"}, (case, reasons)


def test_a_duplicate_cluster_keeps_a_trace_the_build_keeps() -> None:
    """Near duplicates (0.93) of one length: the cluster kept the first key, the hesitant one."""
    gens, verdicts = _frames(
        [
            ("a", "t", "no_think", "Hmm. The product of eight and nine is seventy-two.", True),
            ("b", "t", "no_think", "So, the product of eight and nine is seventy-two.", True),
        ]
    )
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy="shortest"), DedupConfig())
    reasons = dict(zip(sel["generation_key"], sel["reason"], strict=True))
    assert reasons == {"a": "dedup:duplicate_of:b", "b": None}


def test_traces_the_build_drops_are_still_selected_below_the_cap() -> None:
    """Fewer usable traces than the cap: the others fill it as before (the build drops them with their reason)."""
    from pipeline.dataset.config import BalanceConfig

    traces = [("a", "t", "no_think", "Hmm. It is 72.", True), ("b", "t", "no_think", "Wait, 72.", True)]
    gens, verdicts = _frames(traces)
    for policy in ("diverse", "shortest"):
        sel = select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy=policy), DedupConfig())
        assert sel.filter("selected")["generation_key"].to_list() == ["b"]  # the shorter, as before
        sel = select_traces(gens, verdicts, SelectConfig(max_per_task=2, policy=policy), DedupConfig())
        assert sel["selected"].all()
    # the build's settings decide: with the drop off the hesitant trace is as good as any
    gens, verdicts = _frames(
        [("a", "t", "no_think", "Hmm. It is 72.", True), ("b", "t", "no_think", "The product of 8 and 9 is 72.", True)]
    )
    off = BalanceConfig(drop_hesitant_no_think=False)
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy="shortest"), DedupConfig(), balance=off)
    assert sel.filter("selected")["generation_key"].to_list() == ["a"]
    words = BalanceConfig(hesitation_words=["wait"])  # "Hmm." is no hesitation word then
    sel = select_traces(gens, verdicts, SelectConfig(max_per_task=1, policy="shortest"), DedupConfig(), balance=words)
    assert sel.filter("selected")["generation_key"].to_list() == ["a"]


def test_across_tasks_answers_of_other_option_letters_are_not_duplicates() -> None:
    """`dedup_scope: all`: task t2's "The answer is (C)." was dropped as the duplicate of task t1's "(B)." (0.944),
    and t2 lost its only row. The option letter must match, as numbers must."""
    gens, verdicts = _frames(
        [
            ("a1", "t1", "no_think", "The answer is (B).", True),
            ("b1", "t2", "no_think", "The answer is (C).", True),
            ("c1", "t3", "no_think", "The answer is (B)!", True),
        ]
    )
    sel = select_traces(gens, verdicts, SelectConfig(dedup_scope="all"), DedupConfig())
    got = dict(zip(sel["generation_key"].to_list(), sel["reason"].to_list(), strict=True))
    assert got == {"a1": None, "b1": None, "c1": "dedup:duplicate_of:a1"}
