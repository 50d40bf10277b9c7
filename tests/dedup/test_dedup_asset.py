from pathlib import Path

import dagster as dg
import polars as pl

from assets.dedup import selected_traces
from assets.resources import ThinkmillResource
from pipeline.store import Store, now_utc


def _seed(db: Path) -> None:
    body = " ".join(f"step{i} we simplify the expression and check it" for i in range(20))
    gens = pl.DataFrame(
        {
            "key": ["g1", "g2", "g3", "g4"],
            "task_id": ["t1"] * 4,
            "mode": ["think"] * 4,
            "sample_index": [0, 1, 2, 3],
            "backend": ["openai"] * 4,
            "model": ["m"] * 4,
            "template_version": ["v1"] * 4,
            "messages": ["[]"] * 4,
            "sampling_params": ["{}"] * 4,
            "raw_text": [
                f"<think>{body}</think>7",
                f"<think>{body} ok</think>7",
                "<think>a different short path to the result</think>7",
                "<think>bad</think>8",
            ],
            "created_at": [now_utc()] * 4,
        }
    )
    verdicts = pl.DataFrame(
        {
            "generation_key": ["g1", "g2", "g3", "g4"],
            "task_id": ["t1"] * 4,
            "mode": ["think"] * 4,
            "verifier": ["math"] * 4,
            "passed": [True, True, True, False],
            "reason": [None, None, None, "math:mismatch"],
            "created_at": [now_utc()] * 4,
        }
    )
    with Store.open(db) as store:
        store.insert_many({"generations": gens, "verdicts": verdicts})


def test_selected_traces_asset_writes_table_and_metadata(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("select:\n  max_per_task: 5\n  policy: shortest\n", encoding="utf-8")
    _seed(db)
    res = dg.materialize(
        [selected_traces], resources={"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(cfg))}
    )
    assert res.success
    md = res.asset_materializations_for_node("selected_traces")[0].metadata
    assert md["duplicates_found"].value == 1
    assert md["selected"].value == 2
    assert md["tokens_saved"].value > 0
    with Store.open(db, read_only=True) as store:
        sel = store.read("trace_selection")
    assert sel["generation_key"].to_list() == ["g1", "g2", "g3"]
    assert dict(zip(sel["generation_key"], sel["reason"], strict=True))["g2"] == "dedup:duplicate_of:g1"
    # re-materialising is idempotent
    assert dg.materialize(
        [selected_traces], resources={"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(cfg))}
    ).success
    with Store.open(db, read_only=True) as store:
        assert store.count("trace_selection") == 3


def test_select_cli_writes_the_same_selection(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from pipeline.cli import main

    db = tmp_path / "t.duckdb"
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("select:\n  max_per_task: 1\n  policy: shortest\n", encoding="utf-8")
    _seed(db)
    res = CliRunner().invoke(main, ["select", "--db", str(db), "--config", str(cfg), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)["metadata"]
    assert summary["selected"] == 1 and summary["duplicates"] == 1
    with Store.open(db, read_only=True) as store:
        sel = store.read("trace_selection")
    got = dict(zip(sel["generation_key"], sel["reason"], strict=True))
    assert got == {"g1": "select:over_cap", "g2": "dedup:duplicate_of:g1", "g3": None}
