"""Dagster conventions a user sees: one metadata converter, rounded numbers, honest counts, described resource
fields, the code location's name, the sensor's folder, and the card check."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest
import yaml
from ops_scenario import Run

from assets import checks as wrapped
from assets import jobs
from assets.datasets import card_problems
from assets.metadata import metadata_value
from assets.resources import LLMBackendResource, ThinkmillResource
from pipeline.checks import Counts
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (0.7100694444444444, dg.FloatMetadataValue, 0.7101),
        (3, dg.IntMetadataValue, 3),
        (True, dg.BoolMetadataValue, True),
        ("x", dg.TextMetadataValue, "x"),
        (["a", "b"], dg.MarkdownMetadataValue, "- a\n- b"),  # lists: one rendering for reports and checks
        ([], dg.MarkdownMetadataValue, "_(none)_"),
        ({"math:mismatch": 2}, dg.MarkdownMetadataValue, "| reason | rows |\n|---|---:|\n| math:mismatch | 2 |"),
        (
            Counts({"aime": 1}, key="benchmark"),
            dg.MarkdownMetadataValue,
            "| benchmark | rows |\n|---|---:|\n| aime | 1 |",
        ),
        ([{"a": 1}], dg.JsonMetadataValue, [{"a": 1}]),
    ],
)
def test_one_metadata_converter(value: object, kind: type, shown: object) -> None:
    assert wrapped.metadata_value is metadata_value  # checks and stage reports share it
    md = metadata_value(value)
    assert isinstance(md, kind) and md.value == shown


def test_dataframe_preview_rounds_floats() -> None:
    md = metadata_value(pl.DataFrame({"share": [0.7100694444444444]})).value
    assert "0.7101" in md and "0.71006" not in md


def _floats(result: dg.ExecuteInProcessResult) -> dict[str, float]:
    out = {}
    for e in result.get_asset_materialization_events():
        mat = e.step_materialization_data.materialization
        for k, v in mat.metadata.items():
            if isinstance(v, dg.FloatMetadataValue) and v.value is not None:
                out[f"{mat.asset_key.to_user_string()}:{k}"] = v.value
    return out


def test_numbers_in_metadata_are_rounded(clean_run: Run) -> None:
    floats = _floats(clean_run.result)
    assert "dataset_version:think_share_rows" in floats and "verdicts:pass_rate" in floats
    assert {k: v for k, v in floats.items() if v != round(v, 4)} == {}


def test_selected_traces_counts_the_selected(clean_run: Run) -> None:
    [mat] = clean_run.result.asset_materializations_for_node("selected_traces")
    with Store.open(clean_run.db, read_only=True) as store:
        selected = store.count("trace_selection", "selected")
        considered = store.count("trace_selection")
    assert selected < considered
    assert mat.metadata["dagster/row_count"].value == selected
    assert mat.metadata["traces_considered"].value == considered
    assert "selected" not in mat.metadata["dropped_by_reason"].value
    assert mat.metadata["dagster/table_name"].value == "trace_selection"
    assert "table" not in mat.metadata


def test_raw_tasks_counts_the_files_of_its_own_run(clean_run: Run) -> None:
    """`raw_tasks` stages files that `tasks` commits to `ingest_files`: its row count includes the files it just
    read (before, the first run showed 0 files and every later one lagged a run behind)."""
    [mat] = clean_run.result.asset_materializations_for_node("raw_tasks")
    with Store.open(clean_run.db, read_only=True) as store:
        files = store.count("ingest_files")
    assert files == 1
    assert mat.metadata["dagster/row_count"].value == files


def test_code_location_is_named_thinkmill() -> None:
    [entry] = yaml.safe_load((ROOT / "workspace.yaml").read_text())["load_from"]
    assert entry["python_module"]["location_name"] == "thinkmill"


@pytest.mark.parametrize("resource", [ThinkmillResource, LLMBackendResource])
def test_resource_fields_are_described(resource: type[dg.ConfigurableResource]) -> None:
    fields = resource.model_fields
    assert fields and all(f.description for f in fields.values()), [n for n, f in fields.items() if not f.description]


def test_sensor_names_its_folder() -> None:
    assert str(jobs.raw_dir().resolve()) in (jobs.raw_files_sensor.description or "")


def test_card_check_passes_on_a_real_card(clean_run: Run) -> None:
    [check] = [e for e in clean_run.result.get_asset_check_evaluations() if e.check_name == "card_complete"]
    assert check.passed, check.description


def test_card_problems_are_named(clean_run: Run, tmp_path: Path) -> None:
    [mat] = clean_run.result.asset_materializations_for_node("dataset_card")
    src = Path(mat.metadata["path"].value)
    readme = tmp_path / "README.md"
    readme.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")  # without its figures/
    problems = card_problems(readme, "v1")
    assert problems and all(p.startswith("figure figures/") and p.endswith("is missing") for p in problems)
    readme.write_text("# no header\n", encoding="utf-8")
    assert card_problems(readme, "v1") == ["no Hub YAML header (--- pretty_name: ... ---)", "does not name version v1"]
    assert card_problems(tmp_path / "gone.md", "v1") == [f"{tmp_path / 'gone.md'} does not exist"]
