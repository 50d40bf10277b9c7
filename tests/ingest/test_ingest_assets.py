"""raw_tasks -> tasks -> clean_tasks as Dagster assets; a new file does not re-process old ones."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from assets.ingest import clean_tasks, raw_tasks, tasks
from assets.resources import ThinkmillResource
from pipeline.store import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "pipeline" / "sample" / "benchmarks" / "example_bench.jsonl"


def test_assets_materialise_incrementally(tmp_path: Path, write_jsonl) -> None:
    item = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[0])["question"]
    write_jsonl(
        "data/a.jsonl",
        [
            {"id": "a1", "problem": item, "answer": "7 pm"},
            {"id": "a2", "problem": "What is the square of eleven?", "answer": "121"},
            "bad",
        ],
    )
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "ingest:\n  sources:\n    - name: s\n      path: data\n"
        f"decontam:\n  benchmarks:\n    - name: example\n      path: {EXAMPLE}\n",
        encoding="utf-8",
    )
    res = ThinkmillResource(db_path=str(tmp_path / "t.duckdb"), config_path=str(cfg))
    run = dg.materialize([raw_tasks, tasks, clean_tasks], resources={"thinkmill": res})
    assert run.success
    md = run.asset_materializations_for_node("tasks")[0].metadata
    assert (md["read"].value, md["ingested"].value, md["quarantined"].value) == (3, 2, 1)
    assert "invalid_json" in md["reasons"].value
    clean_md = run.asset_materializations_for_node("clean_tasks")[0].metadata
    assert clean_md["dagster/row_count"].value == 1 and clean_md["contaminated_tasks"].value == 1

    write_jsonl("data/b.jsonl", [{"id": "b1", "problem": "How many legs do three spiders have?", "answer": "24"}])
    run = dg.materialize([raw_tasks, tasks, clean_tasks], resources={"thinkmill": res})
    raw_md = run.asset_materializations_for_node("raw_tasks")[0].metadata
    assert (raw_md["new_files"].value, raw_md["unchanged_files"].value, raw_md["rows_read"].value) == (1, 1, 1)
    with Store.open(tmp_path / "t.duckdb", read_only=True) as store:
        assert store.count("tasks") == 3
        assert store.query("SELECT count(DISTINCT ingest_batch) FROM tasks").item() == 2
    assert not any((tmp_path / ".thinkmill-staging").iterdir())

    # a licence added to the source reads both files again: they are neither new nor changed
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("path: data\n", "path: data\n      license: mit\n", 1))
    run = dg.materialize([raw_tasks, tasks], resources={"thinkmill": res})
    raw_md = run.asset_materializations_for_node("raw_tasks")[0].metadata
    assert (raw_md["new_files"].value, raw_md["read_again_files"].value, raw_md["unchanged_files"].value) == (0, 2, 0)


def test_definitions_load() -> None:
    from assets.definitions import defs

    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw_tasks", "tasks", "clean_tasks"} <= keys


def test_assets_refuse_to_mix_the_demos_sample_with_a_users_tasks(tmp_path: Path, write_jsonl) -> None:
    """`make demo`, then `make dev` with the user's own thinkmill.yaml: the UI's assets ran on the demo's database
    (the default of both) and mixed the sample's tasks and hand-written traces into the user's dataset versions.
    The CLI refuses this; the assets now do too, with the same one line and no retry."""
    from assets.datasets import dataset_version
    from assets.generate import generations
    from assets.resources import LLMBackendResource
    from pipeline.config import SAMPLE_CONFIG

    db = tmp_path / "t.duckdb"
    demo = ThinkmillResource(db_path=str(db), config_path=str(SAMPLE_CONFIG))
    assert dg.materialize([raw_tasks, tasks], resources={"thinkmill": demo}).success  # the demo's ingest
    with Store.open(db, read_only=True) as store:
        sample = store.count("tasks")
    write_jsonl("data/a.jsonl", [{"id": "a1", "problem": "What is the square of eleven?", "answer": "121"}])
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("ingest:\n  sources:\n    - name: s\n      path: data\n", encoding="utf-8")
    mine = ThinkmillResource(db_path=str(db), config_path=str(cfg))
    for assets, resources in (
        ([raw_tasks, tasks], {"thinkmill": mine}),
        ([generations], {"thinkmill": mine, "llm": LLMBackendResource()}),
        ([dataset_version], {"thinkmill": mine}),
    ):
        run = dg.materialize(assets, resources=resources, raise_on_error=False)
        assert not run.success
        assert not [e for e in run.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
        failure = next(e for e in run.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
        assert "sample" in str(failure.event_specific_data.error.message)
    with Store.open(db, read_only=True) as store:
        assert store.count("tasks") == sample and store.count("dataset_versions") == 0


def test_clean_tasks_counts_no_retired_task_and_a_retire_changes_its_version(tmp_path: Path, write_jsonl) -> None:
    """`clean_tasks` (what the generate asset reads) counted a retired task as clean in its row count, and its data
    version did not move when a task was retired or restored, so the UI showed the asset unchanged."""
    from pipeline.ingest.retire import restore, retire

    write_jsonl(
        "data/a.jsonl", [{"id": f"a{i}", "problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in (1, 2)]
    )
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("ingest:\n  sources:\n    - name: s\n      path: data\n", encoding="utf-8")
    res = ThinkmillResource(db_path=str(tmp_path / "t.duckdb"), config_path=str(cfg))

    def clean() -> tuple[int, int, str]:
        run = dg.materialize([clean_tasks], resources={"thinkmill": res})
        mat = run.asset_materializations_for_node("clean_tasks")[0]
        return (
            mat.metadata["dagster/row_count"].value,
            mat.metadata["retired_tasks"].value,
            mat.tags["dagster/data_version"],
        )

    assert dg.materialize([raw_tasks, tasks], resources={"thinkmill": res}).success
    rows, retired, first = clean()
    assert (rows, retired) == (2, 0)
    with Store.open(tmp_path / "t.duckdb") as store:
        retire(store, ["s/a1"], "a wrong task")
    rows, retired, after_retire = clean()
    assert (rows, retired) == (1, 1) and after_retire != first
    with Store.open(tmp_path / "t.duckdb") as store:
        restore(store, ["s/a1"])
        retire(store, ["s/a2"], "another")
    rows, retired, other = clean()
    assert (rows, retired) == (1, 1) and other not in (first, after_retire)
