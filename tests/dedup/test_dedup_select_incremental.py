"""`select` is incremental: only tasks with verdicts newer than their last selection are recomputed."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from pipeline.dedup.config import DedupConfig, SelectConfig
from pipeline.dedup.select import select_and_store, select_traces
from pipeline.store import Store, now_utc

_VOCAB = [
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
_COMPARED = ["generation_key", "task_id", "mode", "selected", "reason", "cluster_id", "tokens"]


def _trace(rng: random.Random, base: dict[str, str], task: str) -> str:
    if task in base and rng.random() < 0.4:  # a near or exact copy of the task's first trace
        return base[task] + (" ok" if rng.random() < 0.5 else "")
    text = "<think>\n" + " ".join(rng.choice(_VOCAB) for _ in range(rng.randint(5, 80))) + "\n</think>\n7"
    base.setdefault(task, text)
    return text


def _write_round(
    store: Store, rng: random.Random, base: dict[str, str], start: int, n: int, tasks: list[str], rejudge: list[str]
) -> list[str]:
    """n new generations with verdicts over `tasks`, plus new verdicts (flipped) for the keys in `rejudge`."""
    keys = [f"g{start + i:04d}" for i in range(n)]
    task_of = [rng.choice(tasks) for _ in keys]
    modes = [rng.choice(["think", "no_think"]) for _ in keys]
    texts = [_trace(rng, base, t) for t in task_of]
    now = now_utc()
    gens = pl.DataFrame(
        {
            "key": keys,
            "task_id": task_of,
            "mode": modes,
            "sample_index": list(range(n)),
            "backend": ["openai"] * n,
            "model": ["m"] * n,
            "template_version": ["v1"] * n,
            "messages": ["[]"] * n,
            "sampling_params": ["{}"] * n,
            "raw_text": texts,
            "created_at": [now] * n,
        }
    )
    verdicts = pl.DataFrame(
        {
            "generation_key": keys,
            "task_id": task_of,
            "mode": modes,
            "verifier": ["math"] * n,
            "passed": [rng.random() < 0.8 for _ in keys],
            "created_at": [now] * n,
        }
    )
    if rejudge:
        old = store.query(
            "SELECT generation_key, task_id, mode, verifier, passed FROM verdicts "
            "WHERE generation_key IN (SELECT unnest(?::VARCHAR[]))",
            [rejudge],
        )
        flipped = old.with_columns(~pl.col("passed").alias("passed"), pl.lit(now).alias("created_at"))
        verdicts = pl.concat([verdicts, flipped.select(verdicts.columns).cast(verdicts.schema)])
    store.insert("generations", gens)
    store.insert("verdicts", verdicts, on_conflict="replace")
    return keys


def _full(store: Store, cfg: SelectConfig, dedup: DedupConfig) -> pl.DataFrame:
    gens = store.query("SELECT key, task_id, mode, raw_text, think, answer FROM generations")
    verdicts = store.query("SELECT generation_key, passed FROM verdicts")
    return select_traces(gens, verdicts, cfg, dedup).select(_COMPARED)


def test_incremental_selection_equals_full_recompute_on_random_data(tmp_path: Path) -> None:
    rng = random.Random(5)
    base: dict[str, str] = {}
    tasks = [f"t{i}" for i in range(12)]
    dedup = DedupConfig(workers=1)
    for policy, scope in [("diverse", "task"), ("shortest", "task"), ("random", "task"), ("shortest", "all")]:
        cfg = SelectConfig(max_per_task=2, policy=policy, min_tokens=8, max_tokens=70, dedup_scope=scope)
        with Store.open(tmp_path / f"{policy}-{scope}.duckdb") as store:
            keys: list[str] = []
            for rnd in range(5):
                touched = rng.sample(tasks, 3)  # each round adds traces to a few tasks only
                rejudge = rng.sample(keys, min(3, len(keys)))
                keys += _write_round(store, rng, base, len(keys), 15, touched, rejudge)
                got, summary = select_and_store(store, cfg, dedup)
                want = _full(store, cfg, dedup)
                assert got.select(_COMPARED).sort("generation_key").equals(want.sort("generation_key")), (policy, rnd)
                stored = store.read("trace_selection").select(_COMPARED).sort("generation_key")
                assert stored.equals(want.sort("generation_key"))
                assert summary["rows"] == want.height


def test_untouched_task_rows_are_not_rewritten(tmp_path: Path) -> None:
    rng = random.Random(1)
    base: dict[str, str] = {}
    cfg, dedup = SelectConfig(max_per_task=2), DedupConfig(workers=1)
    with Store.open(tmp_path / "t.duckdb") as store:
        _write_round(store, rng, base, 0, 20, ["a", "b"], [])
        select_and_store(store, cfg, dedup)
        before = store.query("SELECT generation_key, task_id, created_at FROM trace_selection")
        # a new verdict for task b only (a re-judged trace of b flips)
        b_key = store.fetchone("SELECT generation_key FROM verdicts WHERE task_id = 'b' LIMIT 1")[0]
        _write_round(store, rng, base, 20, 4, ["b"], [b_key])
        select_and_store(store, cfg, dedup)
        after = store.query("SELECT generation_key, task_id, created_at FROM trace_selection")
    a_before = before.filter(pl.col("task_id") == "a").sort("generation_key")
    a_after = after.filter(pl.col("task_id") == "a").sort("generation_key")
    assert a_before.height > 0 and a_before.equals(a_after)  # same rows, same created_at: not rewritten
    b_before = before.filter(pl.col("task_id") == "b")
    b_after = after.filter(pl.col("task_id") == "b")
    assert b_after["created_at"].min() > b_before["created_at"].max()  # b was recomputed


def test_nothing_new_rewrites_nothing_and_a_config_change_recomputes_all(tmp_path: Path) -> None:
    rng = random.Random(2)
    base: dict[str, str] = {}
    dedup = DedupConfig(workers=1)
    with Store.open(tmp_path / "t.duckdb") as store:
        _write_round(store, rng, base, 0, 20, ["a", "b", "c"], [])
        select_and_store(store, SelectConfig(max_per_task=3), dedup)
        first = store.query("SELECT generation_key, created_at FROM trace_selection").sort("generation_key")
        select_and_store(store, SelectConfig(max_per_task=3), dedup)
        again = store.query("SELECT generation_key, created_at FROM trace_selection").sort("generation_key")
        assert first.equals(again)
        cfg = SelectConfig(max_per_task=1, policy="shortest")
        got, _ = select_and_store(store, cfg, dedup)
        want = _full(store, cfg, dedup)
        assert got.select(_COMPARED).sort("generation_key").equals(want.sort("generation_key"))
        assert store.query("SELECT min(created_at) AS m FROM trace_selection")["m"][0] > first["created_at"].max()


def test_an_upgrade_of_the_selection_rules_selects_every_task_again(tmp_path: Path, monkeypatch) -> None:
    """The digest held only the settings: after an upgrade that changed what the selection depends on (normalisation,
    token counting, the engine, the rules), untouched tasks kept the old code's selection silently, and a build
    mixed both. The selection rules' version is part of the digest, so such an upgrade selects every task once."""
    from pipeline.dedup import select as sel_mod

    rng = random.Random(3)
    base: dict[str, str] = {}
    cfg, dedup = SelectConfig(max_per_task=1, policy="shortest"), DedupConfig(workers=1)
    with Store.open(tmp_path / "t.duckdb") as store:
        _write_round(store, rng, base, 0, 20, ["a", "b", "c"], [])
        select_and_store(store, cfg, dedup)
        before = store.query("SELECT max(created_at) AS m FROM trace_selection")["m"][0]
        old = sel_mod.config_fingerprint(cfg, dedup)
        monkeypatch.setattr(sel_mod, "SELECT_VERSION", sel_mod.SELECT_VERSION + 1)  # the upgrade
        assert sel_mod.config_fingerprint(cfg, dedup) != old
        select_and_store(store, cfg, dedup)
        assert store.query("SELECT min(created_at) AS m FROM trace_selection")["m"][0] > before  # every task again
        assert sel_mod.stored_fingerprint(store) == sel_mod.config_fingerprint(cfg, dedup)
        rows = "SELECT generation_key, created_at FROM trace_selection ORDER BY generation_key"
        again = store.query(rows)
        select_and_store(store, cfg, dedup)  # once: the next run touches nothing
        assert store.query(rows).equals(again)


@pytest.mark.parametrize("left_out", ["contaminated", "retired"])
def test_across_tasks_a_cluster_keeps_a_trace_the_build_can_use(tmp_path: Path, left_out: str) -> None:
    """`dedup_scope: all` kept a cluster's first trace in policy order, whatever its task: a contaminated task's
    copy (or one of a task no longer stored) was kept, the clean task's copies dropped as its duplicates, and the
    build then dropped the kept one (`balance:contaminated`): the clean example was lost. Traces the build leaves
    out come last in the cluster, so one it can use is kept when there is one. A task the user retired
    (`thinkmill tasks retire`; the build drops it as `balance:retired`) is left out the same way."""
    answer = "<think>\n</think>\nThe answer is (B)."
    now = now_utc()
    rows = [("a1", "bench"), ("a2", "gone"), ("b1", "clean"), ("b2", "clean"), ("c1", "alone")]
    keys, tasks = [k for k, _ in rows], [t for _, t in rows]
    n = len(rows)
    gens = pl.DataFrame(
        {
            "key": keys,
            "task_id": tasks,
            "mode": ["no_think"] * n,
            "sample_index": [0] * n,
            "backend": ["openai"] * n,
            "model": ["m"] * n,
            "template_version": ["v1"] * n,
            "messages": ["[]"] * n,
            "sampling_params": ["{}"] * n,
            "raw_text": [answer] * 4 + ["The answer is (C)."],
            "created_at": [now] * n,
        }
    )
    verdicts = pl.DataFrame(
        {
            "generation_key": keys,
            "task_id": tasks,
            "mode": ["no_think"] * n,
            "verifier": ["mcq"] * n,
            "passed": [True] * n,
            "created_at": [now] * n,
        }
    )
    stored = ["bench", "clean", "alone"]  # task "gone" is no longer in `tasks`
    task_rows = pl.DataFrame(
        {
            "task_id": stored,
            "source": ["s"] * 3,
            "domain": ["science_mcq"] * 3,
            "prompt": [f"Question {t}?" for t in stored],
            "verifier": ["mcq"] * 3,
            "verifier_args": ["{}"] * 3,
            "metadata": ["{}"] * 3,
        }
    )
    hit = {"task_id": ["bench"], "benchmark": ["gpqa"], "benchmark_item": ["q1"], "method": ["ngram"]}
    cfg, dedup = SelectConfig(max_per_task=2, policy="shortest", dedup_scope="all"), DedupConfig(workers=1)
    with Store.open(tmp_path / "t.duckdb") as store:
        store.insert("tasks", task_rows)
        store.insert("generations", gens)
        store.insert("verdicts", verdicts)
        if left_out == "contaminated":
            store.insert("contamination", pl.DataFrame(hit))
        else:
            store.insert(
                "retired_tasks", pl.DataFrame({"task_id": ["bench"], "reason": ["wrong task"], "retired_at": [now]})
            )
        got, _ = select_and_store(store, cfg, dedup)
    reason = dict(zip(got["generation_key"], got["reason"], strict=True))
    assert reason == {
        "b1": None,
        "a1": "dedup:duplicate_of:b1",
        "a2": "dedup:duplicate_of:b1",
        "b2": "dedup:duplicate_of:b1",
        "c1": None,
    }


def test_a_changed_build_drop_setting_selects_again(tmp_path: Path) -> None:
    """Selection puts the traces the build drops by themselves last, as the build's `balance` settings say: a
    selection made under other such settings (or before they were recorded) is made again, once; the digest the build
    compares with its select and dedup settings stays the same."""
    from pipeline.config import ThinkmillConfig
    from pipeline.dataset.config import BalanceConfig
    from pipeline.dedup import select as sel_mod

    now = now_utc()
    keys, texts = ["a", "b"], ["Hmm. It is 72.", "The product of 8 and 9 is 72."]
    gens = pl.DataFrame(
        {
            "key": keys,
            "task_id": ["t", "t"],
            "mode": ["no_think"] * 2,
            "sample_index": [0, 1],
            "backend": ["openai"] * 2,
            "model": ["m"] * 2,
            "template_version": ["v1"] * 2,
            "messages": ["[]"] * 2,
            "sampling_params": ["{}"] * 2,
            "raw_text": texts,
            "created_at": [now] * 2,
        }
    )
    verdicts = pl.DataFrame(
        {
            "generation_key": keys,
            "task_id": ["t", "t"],
            "mode": ["no_think"] * 2,
            "verifier": ["math"] * 2,
            "passed": [True, True],
            "created_at": [now] * 2,
        }
    )
    cfg, dedup = SelectConfig(max_per_task=1, policy="shortest"), DedupConfig(workers=1)

    def selected() -> list[str]:
        return store.query("SELECT generation_key FROM trace_selection WHERE selected")["generation_key"].to_list()

    with Store.open(tmp_path / "t.duckdb") as store:
        store.insert("generations", gens)
        store.insert("verdicts", verdicts)
        select_and_store(store, cfg, dedup)
        assert selected() == ["b"]  # "Hmm. It is 72." is dropped by the build (balance:no_think_hesitation)
        # a selection stored before the build's drops were recorded (the digest alone) is made again
        store.execute(f"COMMENT ON TABLE trace_selection IS 'select-config:{sel_mod.config_fingerprint(cfg, dedup)}'")
        store.execute("UPDATE trace_selection SET selected = (generation_key = 'a')")
        select_and_store(store, cfg, dedup)
        assert selected() == ["b"]
        select_and_store(store, cfg, dedup, BalanceConfig(drop_hesitant_no_think=False))
        assert selected() == ["a"]  # the shorter trace, as the build keeps it
        assert sel_mod.stored_fingerprint(store) == sel_mod.config_fingerprint(cfg, dedup)
        whole = ThinkmillConfig(select=cfg, dedup=dedup)  # `thinkmill select` passes the config's balance settings
        sel_mod.run(store, whole)
        assert selected() == ["b"]
