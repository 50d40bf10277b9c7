"""The checks pass on a database the real stages wrote, and each defect trips exactly the check meant to catch it.

Defects are planted into a copy of a real run's database (ops_scenario.seed), or, where the stages must react
to them (wrong answers, a token target the balance only reports), come in with the user's files and go through the
real run.
Results go through the Dagster wrapper (`assets.checks.to_dagster`), so its severities and metadata are tested too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from ops_scenario import CONTAMINATED, SOURCE, Run, latest, seed

from assets import checks as wrapped
from pipeline import checks as c
from pipeline.config import ChecksConfig, ThinkmillConfig, load_config
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store, to_json

BY_KEY = {check.key: check for check in c.CHECKS}


def all_results(store: Store, cfg: ThinkmillConfig | None = None) -> dict[str, dg.AssetCheckResult]:
    cfg = cfg or ThinkmillConfig()
    return {check.key: wrapped.to_dagster(check.run(store, cfg)) for check in c.CHECKS}


def result(store: Store, key: str, checks: ChecksConfig | None = None) -> dg.AssetCheckResult:
    cfg = ThinkmillConfig(checks=checks or ChecksConfig())
    return wrapped.to_dagster(BY_KEY[key].run(store, cfg))


def failed(results: dict[str, dg.AssetCheckResult]) -> set[str]:
    return {name for name, r in results.items() if not r.passed}


def test_every_check_is_wired_into_dagster() -> None:
    """Every domain check is an asset check of the same name, blocking exactly when its severity says so."""
    wired = {
        f"{spec.asset_key.to_user_string()}:{spec.name}": spec.blocking
        for d in wrapped.CHECKS
        for spec in d.check_specs
    }
    assert wired == {check.key: check.severity == "blocking" for check in c.CHECKS}
    with Store.open(":memory:") as store:
        assert set(all_results(store)) == set(wired)


def test_clean_run_passes_every_check(clean_run: Run) -> None:
    with Store.open(clean_run.db, read_only=True) as store:
        results = all_results(store, load_config(clean_run.config))
    assert failed(results) == set(), {n: r.description for n, r in results.items() if not r.passed}
    assert results["dataset_version:rows_traceable"].metadata["examples"].value > 50


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("quarantine", "raw_tasks:quarantine_share"),
        ("malformed", "generations:malformed_think_share"),
        ("failed_requests", "generations:failed_request_share"),
        ("contaminated", "dataset_version:no_contaminated_tasks"),
        ("empty_message", "dataset_version:no_empty_messages"),
        ("orphan_row", "dataset_version:rows_traceable"),
        ("schema", "verdicts:schema_conforms"),
    ],
)
def test_each_seeded_defect_fails_only_its_check(clean_db: Path, clean_run: Run, defect: str, expected: str) -> None:
    with Store.open(clean_db) as store:
        seed(store, defect)
        results = all_results(store, load_config(clean_run.config))
    assert failed(results) == {expected}
    assert results[expected].severity == dg.AssetCheckSeverity.ERROR


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("low_pass", "verdicts:pass_rate_per_domain"),  # every algebra answer is wrong: the real verifier says so
        ("ratio_off", "dataset_version:think_ratio"),  # a token target the balance only reports is missed
    ],
)
def test_each_input_defect_fails_only_its_check(scenario_run: Callable[..., Run], defect: str, expected: str) -> None:
    run = scenario_run(defect)
    with Store.open(run.db, read_only=True) as store:
        results = all_results(store, load_config(run.config))
    assert failed(results) == {expected}
    assert results[expected].severity == dg.AssetCheckSeverity.ERROR


def test_quarantine_check_judges_the_rows_its_run_read(clean_run: Run) -> None:
    """`raw_tasks` only stages what it reads; `tasks` commits the quarantine records and `ingest_files`. The
    quarantine check runs after that commit, so it judges this run's files (before, it judged the database as it was
    before the run: the scenario's 2 quarantined rows of 44 were not in it, and a flood passed until the next run)."""
    [check] = [
        e
        for e in clean_run.result.get_asset_check_evaluations()
        if e.asset_key.to_user_string() == "raw_tasks" and e.check_name == "quarantine_share"
    ]
    assert f"| {SOURCE} | 2 | 44 |" in check.metadata["per_source"].value
    assert "missing_field:prompt" in check.metadata["reasons"].value


def test_second_version_with_same_content_fails_uniqueness(clean_db: Path, clean_run: Run) -> None:
    cfg = load_config(clean_run.config)
    with Store.open(clean_db) as store:
        assert build_version(store, cfg).metadata["created"] is False  # unchanged content: no version
        seed(store, "duplicate_version")
        results = all_results(store, cfg)
    assert failed(results) == {"dataset_version:content_unique"}
    assert "v1, v2" in (results["dataset_version:content_unique"].description or "")


def test_failure_metadata_names_the_offenders(clean_db: Path, scenario_run: Callable[..., Run]) -> None:
    with Store.open(clean_db) as store:
        seed(store, "contaminated")
        contam = result(store, "dataset_version:no_contaminated_tasks")
        seeded = store.query("SELECT task_id FROM contamination WHERE benchmark = 'aime24'").item()
    assert contam.metadata["sample_task_ids"].value == seeded
    assert "aime24" in contam.metadata["by_benchmark"].value
    with Store.open(scenario_run("low_pass").db, read_only=True) as store:
        rate = result(store, "verdicts:pass_rate_per_domain")
    assert "algebra (0.0% < 20%)" in (rate.description or "")
    assert rate.metadata["pass_rate/algebra"].value == 0.0
    assert "math:mismatch" in rate.metadata["failure_reasons"].value


def test_benchmark_overlap_found_at_ingest_never_reaches_the_version(clean_run: Run) -> None:
    with Store.open(clean_run.db, read_only=True) as store:
        assert store.query("SELECT task_id FROM contamination")["task_id"].to_list() == [CONTAMINATED]
        assert store.count("dataset_rows", "task_id = ?", [CONTAMINATED]) == 0
        assert store.count("tasks", "source = ?", [SOURCE]) == 40


def _requests(store: Store, rows: list[tuple[str, str, int, str | None]], created_at: datetime | None = None) -> None:
    """Generation rows (task, mode, sample, error) as the runner stores them: a failed request has no text."""
    store.insert(
        "generations",
        pl.DataFrame(
            [
                {
                    "key": f"{t}-{m}-{i}-{created_at.isoformat() if created_at else 'now'}",
                    "task_id": t,
                    "mode": m,
                    "sample_index": i,
                    "backend": "openai",
                    "model": "NousResearch/Hermes-4-14B",
                    "template_version": "1",
                    "messages": [],
                    "sampling_params": {},
                    "raw_text": None if err else "<think>\nadd\n</think>\n4",
                    "error": err,
                    **({"created_at": created_at} if created_at else {}),
                }
                for t, m, i, err in rows
            ]
        ),
    )


def _run_of(n_tasks: int, failed: dict[str, int], *, prefix: str = "t") -> list[tuple[str, str, int, str | None]]:
    """Two think and one no-think request per task; the first `failed[kind]` requests failed with that kind."""
    slots = [(f"{prefix}{i}", m, s) for i in range(n_tasks) for m, s in (("think", 0), ("think", 1), ("no_think", 0))]
    errors = [f"{kind}: lost after 3 retries" for kind, n in failed.items() for _ in range(n)]
    return [(*slot, errors[j] if j < len(errors) else None) for j, slot in enumerate(slots)]


def test_failed_requests_fail_their_check(store: Store) -> None:
    """The probe's run: 60 of 180 requests lost their connection. Every check was green; only the `errors` count of
    the generations metadata said so."""
    _requests(store, _run_of(60, {"connection_lost": 50, "timeout": 10}))
    res = result(store, "generations:failed_request_share")
    assert not res.passed
    assert res.severity == dg.AssetCheckSeverity.ERROR
    assert "60 of 180" in (res.description or "") and "connection_lost" in (res.description or "")
    assert res.metadata["failed"].value == 60
    assert res.metadata["requests"].value == 180
    assert res.metadata["failed_share"].value == pytest.approx(1 / 3, abs=1e-4)
    assert res.metadata["failed_share/connection_lost"].value == pytest.approx(50 / 180, abs=1e-4)
    assert res.metadata["failed_share/timeout"].value == pytest.approx(10 / 180, abs=1e-4)
    assert "| connection_lost | 50 |" in res.metadata["by_kind"].value
    assert "| think |" in res.metadata["per_mode"].value
    assert res.metadata["sample_task_ids"].value.startswith("t0, t1")


@pytest.mark.parametrize(("failed", "passes"), [(0, True), (9, True), (10, False)])
def test_failed_request_share_limit(store: Store, failed: int, passes: bool) -> None:
    """Default limit 5%: 9 of 180 pass, 10 of 180 fail; `checks.max_failed_request_share` moves it."""
    _requests(store, _run_of(60, {"server_error": failed}))
    assert result(store, "generations:failed_request_share").passed is passes
    assert result(store, "generations:failed_request_share", ChecksConfig(max_failed_request_share=0.1)).passed


def test_failed_requests_judge_what_stands_now(store: Store) -> None:
    """A failed request that a later run answered (same task, mode and sample: another template or setting made
    another key) and the requests of a task found contaminated since are not failures of the stored run; under
    `min_rows_for_rates` requests the share is not judged."""
    _requests(store, _run_of(20, {"connection_lost": 60}), created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _requests(store, _run_of(20, {}))  # the rerun answered every slot
    _requests(store, _run_of(10, {"connection_lost": 30}, prefix="c"))
    store.insert(
        "contamination",
        pl.DataFrame(
            [
                {"task_id": f"c{i}", "benchmark": "aime24", "benchmark_item": "1", "method": "ngram", "score": 0.9}
                for i in range(10)
            ]
        ),
    )
    res = result(store, "generations:failed_request_share")
    assert res.passed, res.description
    assert (res.metadata["requests"].value, res.metadata["failed"].value) == (60, 0)
    with Store.open(":memory:") as tiny:
        _requests(tiny, _run_of(3, {"connection_lost": 5}))
        res = result(tiny, "generations:failed_request_share")
    assert res.passed
    assert "not judged" in (res.description or "")


def test_failed_requests_of_a_retired_task_do_not_count(store: Store) -> None:
    """A task the user retired (`thinkmill tasks retire`) is never sent again, as a contaminated one is not: its
    failed requests are no failures of the stored run (before, they failed the check for good)."""
    _requests(store, _run_of(20, {}))
    _requests(store, _run_of(10, {"connection_lost": 30}, prefix="r"))
    store.insert("tasks", pl.DataFrame([_task(f"r{i}") for i in range(10)]))
    assert not result(store, "generations:failed_request_share").passed
    from pipeline.ingest.retire import retire

    retire(store, [f"r{i}" for i in range(10)], "broken prompts")
    res = result(store, "generations:failed_request_share")
    assert res.passed, res.description
    assert (res.metadata["requests"].value, res.metadata["failed"].value) == (60, 0)


def _task(task_id: str) -> dict[str, object]:
    return {
        "task_id": task_id,
        "source": "s",
        "domain": "math",
        "prompt": f"What is {task_id}?",
        "answer": "4",
        "verifier": "math",
        "verifier_args": {},
        "metadata": {},
    }


def _decision(store: Store, task_id: str, mode: str, rnd: int, drawn: int, next_drawn: int | None) -> None:
    """An `adaptive_decisions` row as the adaptive runner stores it after a round."""
    store.insert(
        "adaptive_decisions",
        pl.DataFrame(
            [
                {
                    "task_id": task_id,
                    "mode": mode,
                    "round": rnd,
                    "drawn": drawn,
                    "passed": 0,
                    "decision": "adaptive:more_samples" if next_drawn else "adaptive:errors",
                    "next_drawn": next_drawn,
                    "target_passed": 2,
                    "max_samples": 8,
                    "model": "NousResearch/Hermes-4-14B",
                    "created_at": datetime(2026, 1, 2, tzinfo=UTC),
                }
            ]
        ),
    )


def _k(think: int, no_think: int = 1) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.generate.samples_think, cfg.generate.samples_no_think = think, no_think
    return cfg


def test_failed_requests_count_only_the_samples_asked_for(store: Store) -> None:
    """`samples_think: 4`, samples 2 and 3 of every task timed out, then `samples_think: 2`: no run asks for them
    again, yet they counted as failures for good (the check stayed red). A slot past the mode's k is not a request of
    the run; an adaptive task's bound is what its last decision drew or draws next, so its failures still count."""
    rows = [(f"t{i}", "think", s, None) for i in range(60) for s in (0, 1)]
    rows += [(f"t{i}", "no_think", 0, None) for i in range(60)]
    _requests(store, rows)
    _requests(store, [(f"t{i}", "think", s, "timeout: no answer after 3 retries") for i in range(60) for s in (2, 3)])
    check = BY_KEY["generations:failed_request_share"]
    res = check.run(store, _k(2))
    assert res.passed, res.description
    assert (res.metadata["requests"], res.metadata["failed"]) == (180, 0)
    asked = check.run(store, _k(4))  # still asked for: real failures
    assert not asked.passed
    assert (asked.metadata["requests"], asked.metadata["failed"]) == (300, 120)
    no_think_off = check.run(store, _k(2, 0))  # no-think not asked for at all
    assert no_think_off.metadata["requests"] == 120
    # adaptive: round 1 drew 2, the decision asked for 4, and samples 2 and 3 failed: real failures of the run
    for i in range(60):
        _decision(store, f"t{i}", "think", 1, 2, 4)
        _decision(store, f"t{i}", "think", 2, 4, None)
    adaptive = check.run(store, _k(2))
    assert not adaptive.passed
    assert (adaptive.metadata["requests"], adaptive.metadata["failed"]) == (300, 120)


def _fixed_pass(store: Store, at: datetime) -> None:
    """A `generate_runs` row of a fixed-k pass (no adaptive round) as the runner records it."""
    store.insert(
        "generate_runs",
        pl.DataFrame(
            [
                {
                    "run_id": f"fixed-{at.isoformat()}",
                    "backend": "openai",
                    "model": "NousResearch/Hermes-4-14B",
                    "round": None,
                    "sent": 60,
                    "succeeded": 60,
                    "prompt_tokens": 6000,
                    "completion_tokens": 60000,
                    "elapsed_s": 30.0,
                    "created_at": at,
                }
            ]
        ),
    )


def test_a_fixed_k_run_after_an_adaptive_one_bounds_the_requests(store: Store) -> None:
    """`generate --adaptive` drew samples 2 and 3 of every task and they timed out; then a fixed-k run
    (`samples_think: 2`) asked for samples 0 and 1 only and never sends 2 and 3 again. The stale decisions kept
    bounding the requests at 4, and the check red for good. A decision bounds them only until a fixed-k pass runs
    after it; one before it does not."""
    rows = [(f"t{i}", "think", s, None) for i in range(60) for s in (0, 1)]
    rows += [(f"t{i}", "no_think", 0, None) for i in range(60)]
    _requests(store, rows)
    _requests(store, [(f"t{i}", "think", s, "timeout: no answer after 3 retries") for i in range(60) for s in (2, 3)])
    for i in range(60):
        _decision(store, f"t{i}", "think", 1, 2, 4)
        _decision(store, f"t{i}", "think", 2, 4, None)
    check = BY_KEY["generations:failed_request_share"]
    _fixed_pass(store, datetime(2026, 1, 1, tzinfo=UTC))  # before the adaptive run: its decisions stand
    assert not check.run(store, _k(2)).passed
    _fixed_pass(store, datetime(2026, 1, 3, tzinfo=UTC))  # the fixed-k run after it
    res = check.run(store, _k(2))
    assert res.passed, res.description
    assert (res.metadata["requests"], res.metadata["failed"], res.metadata["not_asked"]) == (180, 0, 120)


def test_a_failing_new_batch_fails_the_check_beside_many_good_requests(store: Store) -> None:
    """1,800 good requests of earlier runs, then a run for 10 new tasks whose server died: 24 of its 30 requests
    failed. Over every request that is 1.3%, under the limit, and the check was green. The requests stored since the
    last recorded pass before the newest row (the latest run's) are judged too; once a rerun answers them (its own
    pass), the check is green again: a failure a later run fixed never blocks."""
    check = BY_KEY["generations:failed_request_share"]
    _requests(store, _run_of(600, {}), created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _fixed_pass(store, datetime(2026, 1, 2, tzinfo=UTC))
    _requests(store, _run_of(10, {"connection_lost": 24}, prefix="n"), created_at=datetime(2026, 1, 3, tzinfo=UTC))
    res = check.run(store, _k(2))
    assert not res.passed
    assert (res.metadata["requests"], res.metadata["failed"]) == (1830, 24)
    assert (res.metadata["latest_requests"], res.metadata["latest_failed"]) == (30, 24)
    assert "24 of the latest run's 30 new" in res.description and "connection_lost" in res.description
    _fixed_pass(store, datetime(2026, 1, 4, tzinfo=UTC))  # the failing run ran to its end: its pass
    answered = [(t, m, i, None) for t, m, i, err in _run_of(10, {"connection_lost": 24}, prefix="n") if err]
    _requests(store, answered, created_at=datetime(2026, 1, 5, tzinfo=UTC))  # the rerun answers them
    again = check.run(store, _k(2))
    assert again.passed, again.description
    assert (again.metadata["requests"], again.metadata["failed"], again.metadata["latest_failed"]) == (1830, 0, 0)


def test_failures_a_rerun_sends_again_are_judged_over_every_request(store: Store) -> None:
    """24 over-long prompts fail on every run (`context_length`); each rerun sends them again (retry_errors). The
    run that first sent them is judged on its own (red), but a rerun whose only requests are those old failures is
    not: judged on their own, every scheduled refresh would be red for 24 of 1,830 requests (1.3%)."""
    check = BY_KEY["generations:failed_request_share"]
    _requests(store, _run_of(600, {}), created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _fixed_pass(store, datetime(2026, 1, 2, tzinfo=UTC))
    failing = _run_of(10, {"context_length": 24}, prefix="n")
    _requests(store, failing, created_at=datetime(2026, 1, 3, tzinfo=UTC))
    _fixed_pass(store, datetime(2026, 1, 4, tzinfo=UTC))
    assert not check.run(store, _k(2)).passed
    again = [row for row in failing if row[3]]
    _requests(store, again, created_at=datetime(2026, 1, 5, tzinfo=UTC))  # failed again
    _fixed_pass(store, datetime(2026, 1, 6, tzinfo=UTC))
    res = check.run(store, _k(2))
    assert res.passed, res.description
    assert (res.metadata["requests"], res.metadata["failed"], res.metadata["latest_requests"]) == (1830, 24, 0)


def test_malformed_think_share_judges_the_generations_as_they_stand(store: Store) -> None:
    """Every think sample of a run came back without its think block; the template was fixed and a rerun (new keys)
    answered every slot well: the check stayed red for good (120 of 240 think generations, the stale ones counted),
    and so it did for stale samples past the mode's k. It judges each request slot's standing answer, as
    `failed_request_share` does; a rerun whose answers are malformed still fails it."""
    _requests(store, _run_of(60, {}), created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _requests(store, [(f"t{i}", "think", s, None) for i in range(60) for s in (2, 3)])
    with store.writing() as con:
        con.execute("UPDATE generations SET parse_flags = ['no_think_block'] WHERE mode = 'think'")
    _requests(store, _run_of(60, {}))  # the rerun with the fixed template
    check = BY_KEY["generations:malformed_think_share"]
    res = check.run(store, _k(2))
    assert res.passed, res.description
    assert res.metadata["malformed_share/think"] == 0.0
    with store.writing() as con:  # the rerun's answers malformed too
        con.execute(
            "UPDATE generations SET parse_flags = ['unclosed_think'] WHERE mode = 'think' AND created_at > '2026-01-02'"
        )
    res = check.run(store, _k(2))
    assert not res.passed
    assert res.metadata["malformed_share/think"] == 1.0
    assert res.metadata["flags"].values == {"think:unclosed_think": 120}


def _verdicts_for(store: Store, passed_when: Callable[[str], bool]) -> None:
    """A verdict per answered generation: passed as `passed_when(key)` says."""
    keys = store.query("SELECT key, task_id, mode FROM generations WHERE error IS NULL")
    store.insert(
        "verdicts",
        pl.DataFrame(
            {
                "generation_key": keys["key"],
                "task_id": keys["task_id"],
                "mode": keys["mode"],
                "verifier": ["math"] * keys.height,
                "passed": [passed_when(k) for k in keys["key"]],
                "reason": [None if passed_when(k) else "math:mismatch" for k in keys["key"]],
            }
        ),
    )


def test_pass_rate_judges_the_generations_as_they_stand(store: Store) -> None:
    """A January run passed; a rerun (another template: new keys for the same requests) failed every answer. The
    pass rate counted both runs' verdicts, 50%, over the 20% floor: green on a broken run (and an old failing run kept
    a fixed one red). It counts the verdicts of each request slot's standing answer, as the other generate checks."""
    task = {"source": "s", "domain": "algebra", "verifier": "math", "verifier_args": {}, "metadata": {}}
    store.insert("tasks", pl.DataFrame([{**task, "task_id": f"t{i}", "prompt": f"q{i}"} for i in range(60)]))
    _requests(store, _run_of(60, {}), created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _requests(store, _run_of(60, {}))
    _verdicts_for(store, lambda key: "2026-01-01" in key)
    res = BY_KEY["verdicts:pass_rate_per_domain"].run(store, _k(2))
    assert not res.passed, res.description
    assert res.metadata["pass_rate/algebra"] == 0.0
    assert res.metadata["per_domain"].row(0, named=True)["verdicts"] == 180


def test_pass_rate_leaves_out_verdicts_that_never_judged(store: Store) -> None:
    """`thinkmill demo` without a sandbox: code answers failed `code:sandbox_unavailable`, their code never run, and
    the check said "Pass rate below its floor in: code (16.7% < 20%)", as if the model could not code. A verdict whose
    check never ran (`pipeline.verify.result.NOT_JUDGED`) is left out of the rate, as the card and the build leave it
    out, and counted in `not_judged`; judged answers that fail still fail it."""
    task = {"source": "s", "domain": "code", "verifier": "code", "verifier_args": {}, "metadata": {}}
    store.insert("tasks", pl.DataFrame([{**task, "task_id": f"t{i}", "prompt": f"q{i}"} for i in range(60)]))
    _requests(store, _run_of(60, {}))
    keys = store.query("SELECT key, task_id, mode FROM generations")
    unrun = [i % 6 != 0 for i in range(keys.height)]  # 150 of 180 never ran; the 30 that ran passed
    store.insert(
        "verdicts",
        pl.DataFrame(
            {
                "generation_key": keys["key"],
                "task_id": keys["task_id"],
                "mode": keys["mode"],
                "verifier": ["code"] * keys.height,
                "passed": [not u for u in unrun],
                "reason": ["code:sandbox_unavailable" if u else None for u in unrun],
            }
        ),
    )
    check = BY_KEY["verdicts:pass_rate_per_domain"]
    res = check.run(store, _k(2))
    assert res.passed, res.description
    assert res.metadata["pass_rate/code"] == 1.0
    assert res.metadata["per_domain"].row(0, named=True)["not_judged"] == 150
    with store.writing() as con:  # the code that ran failed
        con.execute("UPDATE verdicts SET passed = false, reason = 'code:tests_failed' WHERE reason IS NULL")
    res = check.run(store, _k(2))
    assert not res.passed
    assert "code (0.0% < 20%)" in res.description


def test_per_domain_floor_overrides_default(scenario_run: Callable[..., Run]) -> None:
    with Store.open(scenario_run("low_pass").db, read_only=True) as store:
        assert not result(store, "verdicts:pass_rate_per_domain").passed
        assert result(store, "verdicts:pass_rate_per_domain", ChecksConfig(min_pass_rate_by_domain={"algebra": 0.0}))


def test_a_floor_for_a_domain_no_task_has_fails_the_pass_rate_check(scenario_run: Callable[..., Run]) -> None:
    """`min_pass_rate_by_domain: {algebraa: 0.0}` (a typo) judged algebra at the default floor without a word: the
    user believed the override applied. The check fails, naming the key and the domains the tasks have."""
    with Store.open(scenario_run("low_pass").db, read_only=True) as store:
        res = result(store, "verdicts:pass_rate_per_domain", ChecksConfig(min_pass_rate_by_domain={"algebraa": 0.0}))
    assert not res.passed
    assert "min_pass_rate_by_domain.algebraa" in (res.description or "") and "algebra" in (res.description or "")


def test_rate_checks_do_not_judge_tiny_samples(clean_db: Path) -> None:
    with Store.open(clean_db) as store:
        seed(store, "quarantine")
        assert not result(store, "raw_tasks:quarantine_share").passed
        res = result(store, "raw_tasks:quarantine_share", ChecksConfig(min_rows_for_rates=10_000))
    assert res.passed
    assert "not judged" in (res.description or "")


def test_duplicate_share_warns_above_its_level(clean_run: Run) -> None:
    with Store.open(clean_run.db, read_only=True) as store:
        res = result(store, "tasks:duplicate_share", ChecksConfig(warn_duplicate_share=0.01))
        traces = result(store, "selected_traces:duplicate_share")
    assert not res.passed
    assert res.severity == dg.AssetCheckSeverity.WARN
    assert res.metadata["duplicates"].value == 2
    assert traces.metadata["duplicates"].value > 0


def test_checks_judge_the_version_asked_for(clean_db: Path) -> None:
    """Version checks judge the latest version by number unless given one (what build and publish pass)."""
    with Store.open(clean_db) as store:
        seed(store, "duplicate_version")
        v = latest(store)
        store.delete("dataset_rows", "version_id = ? AND mode = 'no_think'", [v])
        assert v == "v2"
        assert c.evaluate_think_ratio(store, 0.7, ChecksConfig()).metadata["version_id"] == "v2"
        assert not c.evaluate_think_ratio(store, 0.7, ChecksConfig()).passed
        assert c.evaluate_think_ratio(store, 0.7, ChecksConfig(), "v1").passed


def test_no_version_yet_passes_with_a_note(store: Store) -> None:
    res = result(store, "dataset_version:rows_traceable")
    assert res.passed
    assert "No dataset version" in (res.description or "")


def _one_example(store: Store, messages: object) -> None:
    store.insert(
        "dataset_versions",
        pl.DataFrame({"version_id": ["v1"], "content_hash": ["h"], "config": ["{}"], "counts": ["{}"]}),
    )
    store.insert(
        "dataset_rows",
        pl.DataFrame(
            {
                "version_id": ["v1"],
                "example_id": ["e1"],
                "split": ["train"],
                "mode": ["think"],
                "messages": [to_json(messages)],
                "task_id": ["t"],
                "generation_key": ["g"],
                "domain": ["math"],
            }
        ),
    )


U = {"role": "user", "content": "What is 2 + 2?"}


@pytest.mark.parametrize(
    ("messages", "reason"),
    [
        ([], "no_messages"),
        ([U], "missing_assistant"),
        ([{"role": "assistant", "content": "4"}], "missing_user"),
        ([{"role": "user", "content": "  "}, {"role": "assistant", "content": "4"}], "empty_content"),
        ([U, {"role": "assistant", "content": "<think>\nadd\n</think>\n  "}], "empty_answer"),
        ([U, {"role": "assistant", "content": None}], "empty_content"),
        ([U, {"role": "assistant", "content": "\n\t"}], "empty_content"),
        ([U, {"role": "assistant", "content": "<think>\nadd\n</think>\n4"}], None),
        # the think block ends at its own close tag: an answer that writes the tag is not stripped with it
        ([U, {"role": "assistant", "content": "<think>\nclose it\n</think>\nEnd the block with </think>"}], None),
        # only the think block that opens the turn is removed: an answer that is itself a pair of tags is text
        ([U, {"role": "assistant", "content": "<think>\nThe empty block.\n</think>\n\n<think></think>"}], None),
        ([U, {"role": "assistant", "content": "<think>\nquote\n</think>\n\n<think>x</think> <think>y</think>"}], None),
        ([U, {"role": "assistant", "content": " <think>\nétape 😊\n</think>\n \t"}], "empty_answer"),
        ([U, {"role": "assistant", "content": "<think>\nnever closed"}], None),
        ([{"role": "system", "content": "be brief"}, U, {"role": "assistant", "content": "4"}], None),
    ],
)
def test_empty_message_reasons(store: Store, messages: list, reason: str | None) -> None:
    _one_example(store, messages)
    res = result(store, "dataset_version:no_empty_messages")
    assert res.passed is (reason is None)
    if reason:
        assert reason in res.metadata["by_reason"].value
        assert res.metadata["sample_example_ids"].value == "e1"


Mutation = Callable[[Store], None]


def _sql(*statements: str) -> Mutation:
    def run(s: Store) -> None:
        with s.writing() as con:
            for stmt in statements:
                con.execute(stmt)

    return run


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_sql("DROP TABLE publications"), "publications: table is missing"),
        (_sql("ALTER TABLE publications DROP COLUMN tag"), "publications.tag: column is missing"),
        (
            _sql("ALTER TABLE publications ALTER COLUMN files TYPE VARCHAR"),
            "publications.files: type VARCHAR, contract says JSON",
        ),
        (_sql("ALTER TABLE publications ADD COLUMN extra INT"), "publications.extra: column is not in the contract"),
        (
            _sql(
                "ALTER TABLE publications ALTER COLUMN created_at DROP NOT NULL",
                "INSERT INTO publications (version_id, repo) VALUES ('v1', 'r')",
            ),
            "publications.created_at: 1 null values in a required column",
        ),
    ],
)
def test_schema_problems_are_named(store: Store, mutate: Mutation, problem: str) -> None:
    assert c.schema_problems(store, "publications") == []
    mutate(store)
    assert problem in c.schema_problems(store, "publications")
    res = wrapped.to_dagster(BY_KEY["published_dataset:schema_conforms"].run(store, ThinkmillConfig()))
    assert not res.passed
    assert res.severity == dg.AssetCheckSeverity.ERROR
    assert problem in res.metadata["problems"].value


def test_think_ratio_without_a_row_target_is_not_judged(clean_db: Path) -> None:
    """A version built with `balance.think_share_rows: null` (and no token share) is not judged (it was a TypeError in
    the check); the version's own config says so, whatever the current config's target."""
    with Store.open(clean_db) as store:
        _set_built_balance(store, think_share_rows=None)
        res = wrapped.to_dagster(BY_KEY["dataset_version:think_ratio"].run(store, ThinkmillConfig()))
    assert res.passed
    assert "not judged" in (res.description or "")


def _set_built_balance(store: Store, **balance: object) -> None:
    """Record `balance` settings in the latest version's stored config, as a build under them would."""
    v = latest(store)
    stored = json.loads(store.query("SELECT config FROM dataset_versions WHERE version_id = ?", [v]).item())
    stored["balance"].update(balance)
    with store.writing() as con:
        con.execute("UPDATE dataset_versions SET config = ? WHERE version_id = ?", [json.dumps(stored), v])


def test_think_ratio_judges_a_version_against_the_targets_it_was_built_with(clean_run: Run) -> None:
    """v1 was built with `balance.think_share_rows: 0.7`; with the config set to 0.3 since, the check judged v1 against
    0.3 and failed a version that met its target (and would pass one built at 0.3 judged under 0.7's config too)."""
    cfg = load_config(clean_run.config)
    assert cfg.balance.think_share_rows == 0.7
    cfg.balance.think_share_rows = 0.3
    with Store.open(clean_run.db, read_only=True) as store:
        res = wrapped.to_dagster(BY_KEY["dataset_version:think_ratio"].run(store, cfg))
    assert res.passed, res.description
    assert res.metadata["target"].value == 0.7
    assert "v1" in res.metadata["targets_from"].value


def test_think_ratio_judges_the_enforced_token_share(scenario_run: Callable[..., Run]) -> None:
    """With `balance.think_share_tokens` set the build enforces the token share, not the row share; the check judged
    the row share against the default `think_share_rows: 0.7` all the same and failed a version that met its target."""
    run = scenario_run("ratio")
    cfg = load_config(run.config)
    with Store.open(run.db, read_only=True) as store:
        res = wrapped.to_dagster(BY_KEY["dataset_version:think_ratio"].run(store, cfg))
        achieved = store.query("SELECT stats FROM dataset_versions ORDER BY version_id DESC LIMIT 1").item()
    overall = json.loads(achieved)["overall"]
    assert overall["think_share_tokens"] == pytest.approx(0.7, abs=0.02)  # what the build enforced
    assert abs(overall["think_share_rows"] - 0.7) > cfg.checks.think_ratio_tolerance  # the row share drifted
    assert res.passed, res.description
    assert res.metadata["unit"].value == "tokens"
    assert res.metadata["think_share"].value == pytest.approx(overall["think_share_tokens"], abs=1e-3)
    assert "by tokens" in (res.description or "")
