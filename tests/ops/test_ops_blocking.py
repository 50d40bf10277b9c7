"""Blocking checks stop downstream assets inside a real `curate` run of the project's own definitions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from ops_scenario import STAGE_ASSETS, Run, project_defs, run_curate, seed

from pipeline.store import Store
from testing_support.hub_stub import HubStub


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def check_outcomes(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    evaluations = [
        ev.event_specific_data for ev in result.all_events if ev.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in evaluations}


def test_clean_run_materializes_everything_and_passes_checks(clean_run: Run, hub: HubStub) -> None:
    result = clean_run.result
    assert result.success
    assert materialized(result) == set(STAGE_ASSETS)
    outcomes = check_outcomes(result)
    assert (
        len(outcomes) == 22
    )  # 19 + verdicts:audit_disagreement_rate, generations:no_pending_requests, dataset_card:card_complete
    assert all(outcomes.values()), outcomes
    with Store.open(clean_run.db, read_only=True) as store:
        assert store.count("publications") == 1
        revision = store.query("SELECT revision FROM publications").item()
    assert hub.repos[clean_run.repo].tags["v1"] == revision


@pytest.mark.parametrize(
    ("defect", "failing", "last_materialized"),
    [
        # v1 was tampered with after it was built: the rerun builds the same content (no new version), and
        # the check on v1 stops its card and publication.
        ("empty_message", "dataset_version:no_empty_messages", "dataset_version"),
        # A column added by hand to `verdicts`: the rerun stops right after the verdicts.
        ("schema", "verdicts:schema_conforms", "verdicts"),
    ],
)
def test_blocking_check_stops_downstream(
    clean_db: Path, clean_run: Run, hub: HubStub, defect: str, failing: str, last_materialized: str
) -> None:
    with Store.open(clean_db) as store:
        seed(store, defect)
        published = store.count("publications")
    calls = len(hub.log)
    result = run_curate(clean_db, clean_run.config)
    assert not result.success
    assert check_outcomes(result)[failing] is False
    done = materialized(result)
    assert last_materialized in done
    assert "dataset_card" not in done
    assert "published_dataset" not in done
    assert len(hub.log) == calls, "nothing may reach the Hub"
    with Store.open(clean_db, read_only=True) as store:
        assert store.count("publications") == published


def test_non_blocking_failure_lets_the_run_finish(scenario_run: Callable[..., Run]) -> None:
    result = scenario_run("ratio_off").result
    assert check_outcomes(result)["dataset_version:think_ratio"] is False
    assert "published_dataset" in materialized(result)


def _card_requested(defs: dg.Definitions, instance: dg.DagsterInstance, cursor: object) -> tuple[bool, object]:
    """One tick of `card_automation`: whether it requests `dataset_card`, and its next cursor."""
    res = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    return any(r.key == dg.AssetKey("dataset_card") and r.true_subset.size for r in res.results), res.cursor


def _materialize_alone(defs: dg.Definitions, instance: dg.DagsterInstance, name: str) -> bool:
    """One asset (and its checks) materialised on its own, as from the UI or by the automation sensor."""
    selection = dg.AssetSelection.assets(name).resolve(defs.resolve_asset_graph())
    job = defs.resolve_implicit_global_asset_job_def().get_subset(asset_selection=selection)
    return job.execute_in_process(instance=instance).success


def test_card_automation_never_cards_a_version_a_blocking_check_failed(clean_db: Path, clean_run: Run) -> None:
    """The run skips the card of a version whose blocking check failed; `card_automation` (on by default) must not
    card it in a run of its own (before, its next tick did: `eager()` saw the version updated)."""
    defs = project_defs(clean_db, clean_run.config)
    instance = dg.DagsterInstance.ephemeral()
    requested, cursor = _card_requested(defs, instance, None)  # the sensor's first tick
    assert not requested
    assert _materialize_alone(defs, instance, "dataset_version")  # a passing version: its card follows
    requested, cursor = _card_requested(defs, instance, cursor)
    assert requested
    assert _materialize_alone(defs, instance, "dataset_card")  # the sensor's run
    requested, cursor = _card_requested(defs, instance, cursor)  # the tick after it: nothing new
    assert not requested
    with Store.open(clean_db) as store:
        seed(store, "empty_message")
    result = defs.resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
    assert check_outcomes(result)["dataset_version:no_empty_messages"] is False
    assert "dataset_card" not in materialized(result)
    requested, cursor = _card_requested(defs, instance, cursor)
    assert not requested
