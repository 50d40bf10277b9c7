"""Balance: ratios against targets, determinism, difficulty, disjoint tasks, quotas, budget, leakage."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.config import ThinkmillConfig
from pipeline.dataset.balance import balance
from pipeline.dataset.candidates import load_candidates
from pipeline.dataset.config import BalanceConfig
from pipeline.store import Store
from testing_support.seed import DOMAINS


def _run(db: Path, **kw: object):
    with Store.open(db, read_only=True) as store:
        cands = load_candidates(store, from_think_answers=bool(kw.get("no_think_from_think_answers", False)))
    return cands, balance(cands, BalanceConfig(**kw))


def _share(rows: pl.DataFrame) -> float:
    return rows.filter(pl.col("mode") == "think").height / rows.height


def _tok(rows: pl.DataFrame) -> pl.Expr:
    return pl.col("think_tokens") + pl.col("answer_tokens")


@pytest.mark.parametrize("target", [0.5, 0.7, 0.8])
def test_row_share_meets_target_overall_and_per_domain(db: Path, target: float) -> None:
    _, res = _run(db, think_share_rows=target)
    assert abs(_share(res.rows) - target) <= 0.03
    for d in DOMAINS:
        sub = res.rows.filter(pl.col("domain") == d)
        assert abs(_share(sub) - target) <= 0.06, d
    assert res.stats["overall"]["target"] == target
    assert res.stats["overall"]["achieved"] == pytest.approx(_share(res.rows), abs=1e-4)


def test_token_share_target_is_enforced_when_set(db: Path) -> None:
    _, res = _run(db, think_share_tokens=0.9, no_think_from_think_answers=True)
    think_tok = res.rows.filter(pl.col("mode") == "think").select(_tok(res.rows).sum()).item()
    total = res.rows.select(_tok(res.rows).sum()).item()
    assert res.stats["target_unit"] == "tokens"
    assert abs(think_tok / total - 0.9) <= 0.03
    assert res.stats["overall"]["think_share_tokens"] == pytest.approx(think_tok / total, abs=1e-4)


def test_domain_override_and_quota(db: Path) -> None:
    _, res = _run(db, domain_think_share={"math": 0.4}, domain_quotas={"code": 10})
    math = res.rows.filter(pl.col("domain") == "math")
    assert abs(_share(math) - 0.4) <= 0.07
    assert res.rows.filter(pl.col("domain") == "code").height == 10
    assert res.stats["dropped"]["balance:domain_quota"] > 0


def test_token_budget_is_respected_and_keeps_the_mix(db: Path) -> None:
    _, full = _run(db)
    total = full.rows.select(_tok(full.rows).sum()).item()
    _, res = _run(db, token_budget=total // 2)
    assert res.rows.select(_tok(res.rows).sum()).item() <= total // 2
    assert res.stats["dropped"]["balance:token_budget"] > 0
    assert abs(_share(res.rows) - 0.7) <= 0.08


def test_deterministic_for_a_seed(db: Path) -> None:
    _, a = _run(db, seed=3, validation_share=0.1)
    _, b = _run(db, seed=3, validation_share=0.1)
    assert a.rows.get_column("generation_key").to_list() == b.rows.get_column("generation_key").to_list()
    assert a.stats == b.stats
    _, c = _run(db, seed=4, max_rows_per_task=1)
    _, d = _run(db, seed=5, max_rows_per_task=1)
    assert set(c.rows.get_column("generation_key")) != set(d.rows.get_column("generation_key"))


def test_disjoint_tasks_and_difficulty_decides_the_mode(db: Path) -> None:
    cands, res = _run(db)
    modes = res.rows.group_by("task_id").agg(pl.col("mode").n_unique().alias("k"))
    assert modes.filter(pl.col("k") > 1).height == 0
    assert res.stats["tasks_in_both_modes"] == 0
    # among tasks that had candidates in both modes, the ones kept as think are harder
    both = (
        cands.rows.group_by("task_id")
        .agg(pl.col("mode").n_unique().alias("k"))
        .filter(pl.col("k") == 2)
        .get_column("task_id")
    )
    chosen = res.rows.filter(pl.col("task_id").is_in(both)).group_by("task_id").agg(pl.col("mode").first())
    rates = chosen.join(cands.pass_rates, on="task_id")
    think_rate = rates.filter(pl.col("mode") == "think").get_column("think_pass_rate").mean()
    no_think_rate = rates.filter(pl.col("mode") == "no_think").get_column("think_pass_rate").mean()
    assert think_rate < no_think_rate


def test_overlap_allowed_when_not_disjoint(db: Path) -> None:
    _, res = _run(db, disjoint_tasks=False, enforce_ratio=False)
    assert res.stats["tasks_in_both_modes"] > 0


def test_inputs_that_cannot_be_used_are_dropped_with_reasons(db: Path) -> None:
    _, res = _run(db)
    with Store.open(db, read_only=True) as store:
        contaminated = set(store.read("contamination").get_column("task_id"))
        selected_failed = store.query(
            "SELECT count(*) FROM trace_selection s JOIN verdicts v "
            "ON v.generation_key = s.generation_key WHERE s.selected AND NOT v.passed"
        ).item()
    assert not contaminated & set(res.rows.get_column("task_id"))
    assert res.stats["dropped"]["balance:contaminated"] > 0
    assert res.stats["dropped"].get("balance:not_passed", 0) == selected_failed
    # the fixture has no-think answers with think tags: dropped, counted, none kept
    assert res.stats["dropped"]["balance:no_think_leak"] == res.stats["leakage"]["leaky_no_think_candidates"] > 0
    assert not res.rows.filter(pl.col("answer").str.contains("<think>")).height


def test_leakage_measures_match_the_rows(db: Path) -> None:
    _, res = _run(db, drop_leaky_no_think=False, drop_hesitant_no_think=False)
    nt = res.rows.filter(pl.col("mode") == "no_think")
    leak = res.stats["leakage"]["no_think"]
    assert leak["rows"] == nt.height
    assert leak["hesitation_rows"] == nt.filter(pl.col("answer").str.to_lowercase().str.contains(r"\bwait\b")).height
    assert leak["hesitation_rows"] > 0
    assert leak["think_tag_rows"] == nt.filter(pl.col("answer").str.contains("<think>")).height > 0
    assert leak["answer_tokens_mean"] == pytest.approx(nt.get_column("answer_tokens").mean(), abs=0.01)


def test_think_answers_as_no_think_candidates(db: Path) -> None:
    _, res = _run(db, no_think_from_think_answers=True)
    assert res.stats["origins"].get("think_answer", 0) > 0
    derived = res.rows.filter(pl.col("origin") == "think_answer")
    assert derived.get_column("mode").unique().to_list() == ["no_think"]
    assert derived.get_column("think").null_count() == derived.height


def test_config_rejects_bad_shares() -> None:
    with pytest.raises(ValueError, match=r"domain_think_share\.math"):
        BalanceConfig(domain_think_share={"math": 1.5})
    with pytest.raises(ValueError):
        ThinkmillConfig.model_validate({"balance": {"think_share_rows": 2}})


def test_no_think_answers_that_deliberate_are_dropped(db: Path) -> None:
    """A no-think answer that deliberates ("Wait, let me check. The answer is 5.") is reasoning leaking into the mode
    that must answer directly: dropped (balance:no_think_hesitation), counted; before, it was counted and kept."""
    _, res = _run(db)
    nt = res.rows.filter(pl.col("mode") == "no_think")
    assert not nt.filter(pl.col("answer").str.contains("Wait,")).height
    assert res.stats["dropped"]["balance:no_think_hesitation"] == res.stats["leakage"]["hesitant_no_think_candidates"]
    assert res.stats["dropped"]["balance:no_think_hesitation"] > 0
    assert res.stats["leakage"]["no_think"]["hesitation_rows"] == 0
    _, kept = _run(db, drop_hesitant_no_think=False)
    assert kept.rows.filter(pl.col("answer").str.contains("Wait,")).height > 0


def test_leaky_no_think_answers_kept_are_still_checked_for_deliberation(db: Path) -> None:
    """With `drop_leaky_no_think: false` a no-think answer holding think tags skipped the hesitation check (an
    `elif`): "<think>...</think> Wait, let me check. ..." was kept although `drop_hesitant_no_think` is on, and was
    counted neither as hesitant nor dropped."""
    with Store.open(db) as store:
        store.execute(
            "UPDATE generations SET answer = replace(answer, '</think> ', '</think>\nWait, let me check. ') "
            "WHERE mode = 'no_think' AND answer LIKE '<think>%'"
        )
    _, res = _run(db, drop_leaky_no_think=False)
    nt = res.rows.filter(pl.col("mode") == "no_think")
    assert not nt.filter(pl.col("answer").str.contains("Wait,")).height
    leaky = res.stats["leakage"]["leaky_no_think_candidates"]
    assert leaky > 0 and "balance:no_think_leak" not in res.stats["dropped"]
    assert res.stats["leakage"]["hesitant_no_think_candidates"] >= leaky
    assert res.stats["dropped"]["balance:no_think_hesitation"] == res.stats["leakage"]["hesitant_no_think_candidates"]
    _, kept = _run(db, drop_leaky_no_think=False, drop_hesitant_no_think=False)
    assert kept.rows.filter(pl.col("answer").str.contains("</think>\nWait,")).height > 0


@pytest.mark.parametrize(
    ("answer", "deliberates"),
    [
        ("Wait, hmm. The answer is $\\boxed{72}$.", True),
        ("Hmm. The answer is 72.", True),
        ("6 x 12 = 72. Wait, let me recount: 72.", True),
        ("**Wait** - that is wrong; it is 71.", True),
        ("On second thought, the answer is B.", True),
        ("The answer is 72. Let me double-check: 6 x 12 = 72.", True),
        # the words as words of the answer, not deliberation
        ("Tom will wait 15 minutes for the bus.", False),
        ("Wait times at the clinic average 15 minutes.", False),
        ("You must hold on to the rope; the answer is 3.", False),
        ("The answer is (B): the waiter brings it.", False),
        # a character's words in a story or a dialogue the task asks for (instruction following)
        ('"Wait," she said. "The bus is late."', False),
        ("\u201cHmm,\u201d said the owl, and flew away.", False),
        ("Tom looked up.\n'Hold on, I'm coming!' he shouted.", False),
        ('She paused. "On second thought, let us stay."', False),
    ],
)
def test_hesitation_is_an_interjection_or_self_talk(answer: str, deliberates: bool) -> None:
    from pipeline.dataset.candidates import hesitation_pattern
    from pipeline.dataset.config import DEFAULT_HESITATION_WORDS

    pattern = hesitation_pattern(list(DEFAULT_HESITATION_WORDS))
    assert pattern is not None and (pattern.search(answer) is not None) == deliberates


def test_think_answers_that_deliberate_after_the_think_block_are_dropped(db: Path) -> None:
    """A think row's answer (after `</think>`) that deliberates ("Wait, let me re-check. The answer is 5.") is reasoning
    outside the think block: the row trained the fine-tune to go on thinking after closing it. Dropped
    (balance:think_answer_hesitation) and counted, as a hesitant no-think answer is; before, it was kept silently."""
    with Store.open(db) as store:
        keys = store.query(
            "SELECT s.generation_key FROM trace_selection s JOIN generations g ON g.key = s.generation_key "
            "JOIN verdicts v ON v.generation_key = s.generation_key WHERE g.mode = 'think' AND s.selected "
            "AND v.passed AND g.task_id NOT IN (SELECT task_id FROM contamination) ORDER BY 1 LIMIT 3"
        )["generation_key"].to_list()
        store.execute(
            "UPDATE generations SET answer = 'Wait, let me re-check that. ' || answer WHERE key IN (SELECT unnest(?))",
            [keys],
        )
    _, res = _run(db)
    assert not set(keys) & set(res.rows.get_column("generation_key").to_list())
    assert res.stats["dropped"]["balance:think_answer_hesitation"] == 3
    assert res.stats["leakage"]["hesitant_think_answer_candidates"] == 3
    _, kept = _run(db, drop_hesitant_think_answers=False)
    assert set(keys) & set(kept.rows.get_column("generation_key").to_list())


_BASH_WAIT = "```bash\n#!/usr/bin/env bash\nsleep 2 &\nsleep 3 &\nwait\necho done\n```"


def test_hesitation_words_in_code_are_code_not_deliberation(db: Path) -> None:
    """A shell script's `wait` builtin on its own line (or "Hmm..." printed by a program) was read as the
    interjection "Wait": the no-think and think rows of a code task whose answer waits for its background jobs were
    dropped as deliberating (balance:no_think_hesitation, balance:think_answer_hesitation). Code (a fenced block,
    inline code) is the answer's text, as it is for think tags; deliberation in the prose around it still counts."""
    with Store.open(db) as store:
        keys = store.query(
            "SELECT s.generation_key FROM trace_selection s JOIN verdicts v ON v.generation_key = s.generation_key "
            "WHERE s.selected AND v.passed AND s.task_id NOT IN (SELECT task_id FROM contamination) "
            "AND s.task_id IN (SELECT task_id FROM tasks WHERE domain = 'code') "
            "QUALIFY row_number() OVER (PARTITION BY s.mode ORDER BY s.generation_key) <= 3 ORDER BY s.mode, 1"
        )["generation_key"].to_list()
        keys = [keys[0], keys[1], keys[3], keys[4], keys[2], keys[5]]  # two of each mode, then one of each
        script = f"Run the jobs in the background and wait for both:\n\n{_BASH_WAIT}"
        store.execute("UPDATE generations SET answer = ? WHERE key IN (SELECT unnest(?))", [script, keys[:4]])
        store.execute(  # prose that deliberates after the code is still dropped
            "UPDATE generations SET answer = ? WHERE key IN (SELECT unnest(?))",
            [f"{_BASH_WAIT}\n\nWait, that sleeps too long. Use `sleep 1`.", keys[4:]],
        )
    cands, res = _run(db, think_share_rows=None, enforce_ratio=False, disjoint_tasks=False)
    assert cands.rows.filter(pl.col("generation_key").is_in(keys)).height == 6
    kept = set(res.rows.get_column("generation_key").to_list())
    assert set(keys[:4]) <= kept
    assert not set(keys[4:]) & kept
    assert res.stats["leakage"]["no_think"]["hesitation_rows"] == 0


@pytest.mark.parametrize(
    ("setting", "key", "value", "hint"),
    [
        ("domain_think_share", "maths", 0.9, "did you mean 'math'?"),
        ("domain_quotas", "sciense_mcq", 100, "did you mean 'science_mcq'?"),
        ("domain_quotas", "Code", 5, "did you mean 'code'?"),
        ("domain_think_share", "poetry", 0.2, ""),
    ],
)
def test_a_per_domain_setting_for_a_domain_no_task_has_is_refused(
    db: Path, setting: str, key: str, value: float, hint: str
) -> None:
    """`balance.domain_think_share: {maths: 0.9}` (the domain is `math`) applied to nothing: the version was built at
    the global target and the user believed math had 0.9. Refused, one line naming the key and the domains held."""
    from pipeline.dataset.errors import DatasetError

    with pytest.raises(DatasetError) as err:
        _run(db, **{setting: {key: value}})
    msg = str(err.value)
    assert "\n" not in msg
    assert f"balance.{setting}.{key}" in msg
    assert "code, instruction_following, math, science_mcq" in msg
    assert hint in msg


def test_per_domain_settings_for_known_domains_still_apply(db: Path) -> None:
    _, res = _run(db, domain_think_share={"math": 0.4}, domain_quotas={"code": 10})
    assert res.stats["unapplied_domain_settings"] == {}
    assert res.stats["domains"]["math"]["target"] == 0.4
