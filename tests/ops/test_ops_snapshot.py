"""The shape of the Dagster graph (assets, checks, jobs, schedules, sensors) against a committed snapshot.

An accidental change to the graph shows up in review as a diff of tests/ops/graph_snapshot.json.
After an intended change, regenerate it and commit the diff:

    UPDATE_SNAPSHOT=1 PYTHONPATH=. python -m pytest tests/ops/test_ops_snapshot.py
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from ops_scenario import STAGE_ASSETS
from ops_scenario import project_defs as bound_defs

from assets import jobs

SNAPSHOT = Path(__file__).with_name("graph_snapshot.json")


def graph_shape(defs: dg.Definitions) -> dict[str, Any]:
    """A JSON-able, sorted description of everything a reviewer should notice changing."""
    ag = defs.resolve_asset_graph()
    assets = {}
    keys = sorted(ag.get_all_asset_keys(), key=lambda k: k.to_user_string())
    # Checks on assets that are not defined create stub nodes; they are listed apart, not as assets.
    external = [k.to_user_string() for k in keys if not ag.get(k).is_executable]
    for key in (k for k in keys if ag.get(k).is_executable):
        node = ag.get(key)
        retry = ag.assets_def_for_key(key).op.retry_policy
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "pools": sorted(node.pools or []),
            "owners": sorted(node.owners),
            "retries": retry.max_retries if retry else 0,
            "kinds": sorted(node.kinds),
            "tags": {k: v for k, v in sorted(node.tags.items()) if not k.startswith("dagster/kind/")},
            "table": node.metadata.get("dagster/table_name"),
            "automation": node.automation_condition.get_label() if node.automation_condition else None,
        }
    checks = {
        f"{k.asset_key.to_user_string()}:{k.name}": {"blocking": ag.get(k).blocking}
        for k in sorted(ag.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name))
    }
    job_shapes = {}
    for job in sorted(defs.resolve_all_job_defs(), key=lambda j: j.name):
        if job.name.startswith("__"):
            continue
        layer = job.asset_layer
        job_shapes[job.name] = {
            "assets": sorted(k.to_user_string() for k in layer.selected_asset_keys),
            "checks": sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in layer.asset_graph.asset_check_keys),
            "tags": dict(sorted((job.run_tags or {}).items())),
            "executor": job.executor_def.name,
        }
    repo = defs.get_repository_def()
    schedules = {
        s.name: {
            "job": s.job_name,
            "cron": s.cron_schedule,
            "timezone": s.execution_timezone,
            "default_status": s.default_status.value,
        }
        for s in sorted(repo.schedule_defs, key=lambda s: s.name)
    }
    sensors = {
        s.name: {
            "jobs": sorted(j.name for j in s.jobs) if s.targets else [],
            "assets": sorted(k.to_user_string() for k in s.asset_selection.resolve(ag)) if s.asset_selection else [],
            "interval_s": s.minimum_interval_seconds,
            "default_status": s.default_status.value,
        }
        for s in sorted(repo.sensor_defs, key=lambda s: s.name)
    }
    return {
        "assets": assets,
        "undefined_assets": external,
        "checks": checks,
        "jobs": job_shapes,
        "schedules": schedules,
        "sensors": sensors,
    }


@pytest.fixture
def project_defs(monkeypatch: pytest.MonkeyPatch) -> dg.Definitions:
    """`assets.definitions.defs` rebuilt without env overrides, so the snapshot holds the defaults."""
    for var in (jobs.REFRESH_CRON_ENV, jobs.TIMEZONE_ENV):
        monkeypatch.delenv(var, raising=False)
    import assets.definitions

    importlib.reload(jobs)
    return importlib.reload(assets.definitions).defs


def test_definitions_load(project_defs: dg.Definitions) -> None:
    dg.Definitions.validate_loadable(project_defs)


def test_graph_matches_snapshot(project_defs: dg.Definitions) -> None:
    shape = graph_shape(project_defs)
    text = json.dumps(shape, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot: run UPDATE_SNAPSHOT=1 pytest tests/ops/test_ops_snapshot.py"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert shape == expected, (
        "the Dagster graph changed; if intended, run UPDATE_SNAPSHOT=1 pytest tests/ops/test_ops_snapshot.py "
        "and commit tests/ops/graph_snapshot.json"
    )


def test_snapshot_describes_the_graph(tmp_path: Path) -> None:
    """graph_shape itself sees deps, pools, retries, blocking and selections (on definitions bound to a tmp db)."""
    shape = graph_shape(bound_defs(tmp_path / "x.duckdb", tmp_path / "thinkmill.yaml"))
    assert shape["assets"]["verdicts"]["deps"] == ["generations"]
    assert shape["assets"]["generations"]["pools"] == ["llm"]
    assert shape["assets"]["generations"]["retries"] == 3
    assert shape["checks"]["dataset_version:no_contaminated_tasks"]["blocking"] is True
    assert shape["checks"]["dataset_version:think_ratio"]["blocking"] is False
    assert shape["jobs"]["refresh"]["tags"] == {"thinkmill/run_kind": "refresh"}
    assert shape["schedules"]["refresh_nightly"]["cron"] == "0 3 * * *"
    assert shape["sensors"]["raw_files_sensor"]["jobs"] == ["refresh"]


def test_stage_assets_follow_ops_conventions(project_defs: dg.Definitions) -> None:
    """Fixed keys, a group each, DuckDB writers pooled, retries where it talks out."""
    shape = graph_shape(project_defs)["assets"]
    assert set(STAGE_ASSETS) <= set(shape), f"missing stage assets: {set(STAGE_ASSETS) - set(shape)}"
    assert all(shape[a]["group"] != "default" for a in STAGE_ASSETS)
    assert "llm" in shape["generations"]["pools"]
    for name, policy in jobs.RETRY_POLICIES.items():
        assert shape[name]["retries"] >= policy.max_retries, f"{name}: set retry_policy=assets.jobs.RETRY_POLICIES"


def test_every_asset_declares_the_conventions(project_defs: dg.Definitions) -> None:
    """kinds, tags, owners, code references, table and column schema at definition time, a check on each."""
    ag = project_defs.resolve_asset_graph()
    checked = {k.asset_key.to_user_string() for k in ag.asset_check_keys}
    for name in STAGE_ASSETS:
        node = ag.get(dg.AssetKey(name))
        assert node.kinds and node.tags.get("stage"), name
        assert node.owners, name
        assert "dagster/code_references" in node.metadata, name
        if name != "dataset_card":  # the card is a file, not a table
            assert node.metadata["dagster/table_name"], name
            assert node.metadata["dagster/column_schema"].columns, name
        assert name in checked, f"{name} has no asset check"
    assert ag.get(dg.AssetKey("dataset_card")).automation_condition is not None


def test_step_retries_wait_the_delays_the_docs_state() -> None:
    """docs/operations.md: `generations` retries after 30 s, 90 s and 210 s, `published_dataset` after 60 s, 180 s,
    420 s and 900 s (Dagster's exponential backoff: delay x (2^n - 1)). With
    `Jitter.PLUS_MINUS` each wait fell anywhere between 0 and twice its delay (a probe measured 0.48 s, 99.5 s, 210.5 s
    during an outage): the first retry came at once, against a server still down."""
    from dagster._core.definitions.policy import calculate_delay

    waits = [
        calculate_delay(n, jobs.GENERATION_RETRY_POLICY.backoff, jobs.GENERATION_RETRY_POLICY.jitter, 30)
        for n in (1, 2, 3)
    ]
    assert waits == [30, 90, 210]
    policy = jobs.PUBLISH_RETRY_POLICY
    assert [calculate_delay(n, policy.backoff, policy.jitter, policy.delay) for n in (1, 2, 3, 4)] == [
        60,
        180,
        420,
        900,
    ]
