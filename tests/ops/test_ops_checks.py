"""The asset checks pass on a clean fixture and each defect trips exactly the check meant to catch it."""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import polars as pl
import pytest
from ops_standin import build_fixture, write_version

from assets import checks as c
from pipeline.config import ChecksConfig, ThinkmillConfig
from pipeline.store import Store, to_json


def all_results(store: Store, cfg: ThinkmillConfig | None = None) -> dict[str, dg.AssetCheckResult]:
    cfg = cfg or ThinkmillConfig()
    k = cfg.checks
    out = {f"{asset}:schema_conforms": c.evaluate_schema(store, tables) for asset, tables in c.ASSET_TABLES.items()}
    out.update(
        {
            "raw_tasks:quarantine_share": c.evaluate_quarantine_share(store, k),
            "tasks:duplicate_share": c.evaluate_task_duplicates(store, k),
            "generations:malformed_think_share": c.evaluate_malformed_think(store, k),
            "verdicts:pass_rate_per_domain": c.evaluate_pass_rate(store, k),
            "verdicts:audit_disagreement_rate": c.evaluate_audit_disagreement(
                store, cfg.verify.audit.max_disagreement_rate, k),
            "selected_traces:duplicate_share": c.evaluate_trace_duplicates(store, k),
            "dataset_version:no_contaminated_tasks": c.evaluate_no_contamination(store),
            "dataset_version:no_empty_messages": c.evaluate_no_empty_messages(store),
            "dataset_version:rows_traceable": c.evaluate_lineage(store),
            "dataset_version:think_ratio": c.evaluate_think_ratio(store, cfg.balance.think_share_rows, k),
            "dataset_version:content_unique": c.evaluate_version_content_unique(store),
        }
    )
    return out


def failed(results: dict[str, dg.AssetCheckResult]) -> set[str]:
    return {name for name, r in results.items() if not r.passed}


def test_every_check_is_evaluated_here() -> None:
    """all_results mirrors CHECKS, so a new check cannot silently go untested."""
    wired = {f"{k.asset_key.to_user_string()}:{k.name}" for d in c.CHECKS for k in d.check_keys}
    with Store.open(":memory:") as store:
        assert set(all_results(store)) == wired


def test_clean_fixture_passes_every_check(store: Store) -> None:
    build_fixture(store)
    results = all_results(store)
    assert failed(results) == set(), {n: r.description for n, r in results.items() if not r.passed}
    assert results["dataset_version:rows_traceable"].metadata["examples"].value > 50


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("quarantine", "raw_tasks:quarantine_share"),
        ("malformed", "generations:malformed_think_share"),
        ("low_pass", "verdicts:pass_rate_per_domain"),
        ("contaminated", "dataset_version:no_contaminated_tasks"),
        ("empty_message", "dataset_version:no_empty_messages"),
        ("orphan_row", "dataset_version:rows_traceable"),
        ("ratio", "dataset_version:think_ratio"),
        ("schema", "verdicts:schema_conforms"),
    ],
)
def test_each_defect_fails_only_its_check(store: Store, defect: str, expected: str) -> None:
    build_fixture(store, {defect})
    results = all_results(store)
    assert failed(results) == {expected}
    assert results[expected].severity == dg.AssetCheckSeverity.ERROR


def test_second_version_with_same_content_fails_uniqueness(store: Store) -> None:
    build_fixture(store)
    assert write_version(store, set()) is None  # unchanged content: no version
    assert write_version(store, {"duplicate_version"}) == "v2"
    results = all_results(store)
    assert failed(results) == {"dataset_version:content_unique"}
    assert "v1, v2" in (results["dataset_version:content_unique"].description or "")


def test_failure_metadata_names_the_offenders(store: Store) -> None:
    build_fixture(store, {"contaminated"})
    contam = c.evaluate_no_contamination(store)
    assert contam.metadata["sample_task_ids"].value == "t039"
    assert "aime24" in contam.metadata["by_benchmark"].value
    store.execute("DELETE FROM dataset_rows")
    store.execute("DELETE FROM dataset_versions")
    write_version(store, {"low_pass"})
    store.execute(
        "UPDATE verdicts SET passed = false, reason = 'math:mismatch' WHERE task_id IN "
        "(SELECT task_id FROM tasks WHERE domain = 'code')"
    )
    rate = c.evaluate_pass_rate(store, ChecksConfig())
    assert "code (0.0% < 20%)" in (rate.description or "")
    assert rate.metadata["pass_rate/code"].value == 0.0
    assert "math:mismatch" in rate.metadata["failure_reasons"].value


def test_per_domain_floor_overrides_default(store: Store) -> None:
    build_fixture(store, {"low_pass"})
    assert not c.evaluate_pass_rate(store, ChecksConfig()).passed
    assert c.evaluate_pass_rate(store, ChecksConfig(min_pass_rate_by_domain={"code": 0.0})).passed


def test_rate_checks_do_not_judge_tiny_samples(store: Store) -> None:
    build_fixture(store, {"quarantine"})
    res = c.evaluate_quarantine_share(store, ChecksConfig(min_rows_for_rates=10_000))
    assert res.passed
    assert "not judged" in (res.description or "")


def test_duplicate_share_warns_above_its_level(store: Store) -> None:
    build_fixture(store)
    res = c.evaluate_task_duplicates(store, ChecksConfig(warn_duplicate_share=0.01))
    assert not res.passed
    assert res.severity == dg.AssetCheckSeverity.WARN
    assert res.metadata["duplicates"].value == 2
    assert c.evaluate_trace_duplicates(store, ChecksConfig()).metadata["duplicates"].value > 0


def test_no_version_yet_passes_with_a_note(store: Store) -> None:
    res = c.evaluate_lineage(store)
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
        ([{"role": "system", "content": "be brief"}, U, {"role": "assistant", "content": "4"}], None),
    ],
)
def test_empty_message_reasons(store: Store, messages: list, reason: str | None) -> None:
    _one_example(store, messages)
    res = c.evaluate_no_empty_messages(store)
    assert res.passed is (reason is None)
    if reason:
        assert reason in res.metadata["by_reason"].value
        assert res.metadata["sample_example_ids"].value == "e1"


Mutation = Callable[[Store], None]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda s: s.execute("DROP TABLE publications"), "publications: table is missing"),
        (lambda s: s.execute("ALTER TABLE publications DROP COLUMN tag"), "publications.tag: column is missing"),
        (
            lambda s: s.execute("ALTER TABLE publications ALTER COLUMN files TYPE VARCHAR"),
            "publications.files: type VARCHAR, contract says JSON",
        ),
        (
            lambda s: s.execute("ALTER TABLE publications ADD COLUMN extra INT"),
            "publications.extra: column is not in the contract",
        ),
        (
            lambda s: (
                s.execute("ALTER TABLE publications ALTER COLUMN created_at DROP NOT NULL"),
                s.execute("INSERT INTO publications (version_id, repo) VALUES ('v1', 'r')"),
            ),
            "publications.created_at: 1 null values in a required column",
        ),
    ],
)
def test_schema_problems_are_named(store: Store, mutate: Mutation, problem: str) -> None:
    assert c.schema_problems(store, "publications") == []
    mutate(store)
    assert problem in c.schema_problems(store, "publications")
    res = c.evaluate_schema(store, ["publications"])
    assert not res.passed
    assert problem in res.metadata["problems"].value
