"""The Dagster definitions load, and the whole graph materialises on the sample data, idempotently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions, defs
from assets.demo import materialize_all, summary
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_definitions_load_and_validate() -> None:
    dg.Definitions.validate_loadable(defs)
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw_tasks", "tasks", "clean_tasks"} <= keys


def test_dagster_cli_validates_workspace(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}  # whatever the caller's DAGSTER_HOME is (or is not)
    out = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_whole_graph_materialises_and_is_idempotent(tmp_path: Path, sample_config: Path) -> None:
    db = tmp_path / "demo.duckdb"
    first = materialize_all(db, sample_config)
    assert first.success
    with Store.open(db, read_only=True) as s:
        counts1 = s.table_counts()
        versions1 = s.query("SELECT version_id, content_hash FROM dataset_versions ORDER BY version_id")
    assert counts1["tasks"] >= 180
    second = materialize_all(db, sample_config)
    assert second.success
    with Store.open(db, read_only=True) as s:
        counts2 = s.table_counts()
        versions2 = s.query("SELECT version_id, content_hash FROM dataset_versions ORDER BY version_id")
    assert counts2 == counts1, "a second materialisation must add no rows"
    assert versions2.equals(versions1), "no new version when nothing changed"
    assert "latest dataset version" in summary(db)


def test_build_definitions_is_repeatable() -> None:
    a = {k.to_user_string() for k in build_definitions().resolve_asset_graph().get_all_asset_keys()}
    b = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert a == b
