"""A run that changes nothing is visible as such: every asset keeps its Dagster data version and says
`changed: false`; `published_dataset` without `publish.repo` materialises nothing (its checks do not run)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml
from ops_scenario import STAGE_ASSETS, Run, project_defs

from assets.metadata import DATA_VERSION_TAG
from testing_support.db_templates import copy_db

VERSIONED = [a for a in STAGE_ASSETS if a != "published_dataset"]


def _versions(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    out = {}
    for name in VERSIONED:
        [mat] = result.asset_materializations_for_node(name)
        out[name] = mat.tags[DATA_VERSION_TAG]
    return out


def _unpublished_config(run: Run, tmp: Path) -> Path:
    cfg = yaml.safe_load(run.config.read_text(encoding="utf-8"))
    base = run.config.parent
    cfg["ingest"]["sources"] = [{**s, "path": str(base / s["path"])} for s in cfg["ingest"]["sources"]]
    cfg["decontam"]["benchmarks"] = [{**b, "path": str(base / b["path"])} for b in cfg["decontam"]["benchmarks"]]
    cfg["generate"]["batch_output"] = str(base / cfg["generate"]["batch_output"])
    cfg["publish"] = {"card_dir": str(tmp / "cards")}  # no repo: publishing is skipped
    path = tmp / "thinkmill.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reruns(clean_run: Run, tmp_path_factory: pytest.TempPathFactory) -> tuple[dg.ExecuteInProcessResult, ...]:
    """`curate` then `refresh` again on a copy of the clean run's database, nothing new, one instance."""
    tmp = tmp_path_factory.mktemp("noop")
    db = copy_db(clean_run.db, tmp / "ops.duckdb")  # with its write-ahead log, if one is left
    defs = project_defs(db, _unpublished_config(clean_run, tmp))
    instance = dg.DagsterInstance.ephemeral()
    first = defs.resolve_job_def("curate").execute_in_process(instance=instance, raise_on_error=False)
    second = defs.resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
    return first, second


def _what_changed(result: dg.ExecuteInProcessResult, names: set[str]) -> str:
    """The stage counts of the assets whose version moved, to say why (a flaky run left no trace before)."""
    out = []
    for name in sorted(names):
        [mat] = result.asset_materializations_for_node(name)
        counts = {k: v.value for k, v in mat.metadata.items() if k.startswith("stage/") or k.endswith("_now")}
        out.append(f"{name}: {counts}")
    return "; ".join(out)


def test_nothing_new_keeps_every_data_version(clean_run: Run, reruns: tuple[dg.ExecuteInProcessResult, ...]) -> None:
    first, second = reruns
    assert first.success and second.success
    moved = {k for k, v in _versions(first).items() if _versions(second)[k] != v}
    assert not moved, _what_changed(second, moved)
    # the same database gives the same versions in another instance too (the card differs: it names the Hub repo
    # the clean run's config has and this one's has not)
    original = _versions(clean_run.result)
    assert {k: v for k, v in _versions(first).items() if k != "dataset_card"} == {
        k: v for k, v in original.items() if k != "dataset_card"
    }
    for name in VERSIONED:
        [mat] = second.asset_materializations_for_node(name)
        assert mat.metadata["changed"].value is False, name
        [mat] = first.asset_materializations_for_node(name)
        assert mat.metadata["changed"].value is True, name  # nothing before it in this instance


def test_skipped_publish_materializes_nothing(reruns: tuple[dg.ExecuteInProcessResult, ...]) -> None:
    curate = reruns[0]  # (refresh does not select published_dataset)
    assert curate.asset_materializations_for_node("published_dataset") == []
    checks = [e for e in curate.get_asset_check_evaluations() if e.asset_key == dg.AssetKey("published_dataset")]
    assert checks == []  # no check passes on a table nothing was written to
    [success] = [e for e in curate.all_events if e.step_key == "published_dataset" and e.is_step_success]
    assert success  # the step succeeded: skipping is not a failure


def test_published_dataset_materializes_when_it_publishes(clean_run: Run) -> None:
    [mat] = clean_run.result.asset_materializations_for_node("published_dataset")
    assert mat.metadata["status"].value == "published"
