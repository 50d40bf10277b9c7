"""Blocking checks stop downstream assets inside a real `curate` run (stand-in stage assets, in process)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from ops_standin import STAGE_ASSETS, standin_defs

from pipeline.store import Store


def run_curate(db: Path, defects: list[str]) -> dg.ExecuteInProcessResult:
    config = db.with_name("thinkmill.yaml")
    config.write_text("checks:\n  max_quarantine_share: 0.2\n", encoding="utf-8")
    defs = standin_defs(str(db), defects, str(config))
    return defs.resolve_job_def("curate").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def check_outcomes(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    evaluations = [
        ev.event_specific_data for ev in result.all_events if ev.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in evaluations}


def test_clean_run_materializes_everything_and_passes_checks(db_path: Path) -> None:
    result = run_curate(db_path, [])
    assert result.success
    assert materialized(result) == set(STAGE_ASSETS)
    outcomes = check_outcomes(result)
    assert len(outcomes) == 19  # 18 + verdicts:audit_disagreement_rate
    assert all(outcomes.values()), outcomes
    with Store.open(db_path, read_only=True) as store:
        assert store.count("publications") == 1


@pytest.mark.parametrize(
    ("defect", "failing", "last_materialized"),
    [
        ("contaminated", "dataset_version:no_contaminated_tasks", "dataset_version"),
        ("schema", "verdicts:schema_conforms", "verdicts"),
    ],
)
def test_blocking_check_stops_downstream(db_path: Path, defect: str, failing: str, last_materialized: str) -> None:
    result = run_curate(db_path, [defect])
    assert not result.success
    assert check_outcomes(result)[failing] is False
    done = materialized(result)
    assert last_materialized in done
    assert "dataset_card" not in done
    assert "published_dataset" not in done
    with Store.open(db_path, read_only=True) as store:
        assert store.count("publications") == 0


def test_non_blocking_failure_lets_the_run_finish(db_path: Path) -> None:
    result = run_curate(db_path, ["ratio"])
    assert check_outcomes(result)["dataset_version:think_ratio"] is False
    assert "published_dataset" in materialized(result)
