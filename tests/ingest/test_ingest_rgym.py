"""reasoning-gym as an ingest source: config, deterministic ids, incremental re-runs, CLI and the raw_tasks asset."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from pipeline import rgym
from pipeline.cli import main
from pipeline.ingest.api import ingest_inputs, inputs_for
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.errors import SourceConfigError
from pipeline.store import Store


def _src(**rg: object) -> SourceConfig:
    return SourceConfig.model_validate({"name": "rg", "reasoning_gym": rg})


def _tasks(store: Store) -> list[dict]:
    df = store.query(
        "SELECT task_id, domain, verifier, prompt, answer, CAST(verifier_args AS VARCHAR) AS va, "
        "CAST(metadata AS VARCHAR) AS meta FROM tasks ORDER BY task_id"
    )
    return df.to_dicts()


def test_generates_tasks_with_recipe_and_deterministic_ids(tmp_path: Path) -> None:
    src = _src(datasets=["basic_arithmetic", "graph_color"], size=4, seed=7)
    got = []
    for n in (1, 2):
        with Store.open(tmp_path / f"{n}.duckdb") as store:
            rep = ingest_inputs(store, inputs_for([src]), IngestConfig())
            assert tuple(rep.metadata[k] for k in ("read", "ingested", "quarantined")) == (8, 8, 0)
            got.append(_tasks(store))
    assert got[0] == got[1]  # same config, same tasks
    rows = got[0]
    assert [r["task_id"] for r in rows[:4]] == [f"rg/basic_arithmetic/s7-n4/{i}" for i in range(4)]
    first = rows[0]
    assert (first["domain"], first["verifier"]) == ("reasoning_gym/basic_arithmetic", "reasoning_gym")
    ds = rgym.dataset("basic_arithmetic", {}, 7, 4)
    assert first["prompt"] == ds[0]["question"] and first["answer"] == ds[0]["answer"]
    va = json.loads(first["va"])
    assert {k: va[k] for k in ("dataset", "seed", "size", "index", "config")} == {
        "dataset": "basic_arithmetic",
        "seed": 7,
        "size": 4,
        "index": 0,
        "config": {},
    }
    assert va["question_hash"] == rgym.question_hash(first["prompt"])
    assert json.loads(first["meta"])["generator"] == f"reasoning-gym=={rgym.library_version()}"
    # graph_color's entry has no answer: the task's answer is the generator's example colouring, one of many
    gc = next(r for r in rows if r["domain"] == "reasoning_gym/graph_color")
    assert gc["answer"] is not None and json.loads(gc["va"])["entry"]["answer"] is None


def test_rerun_is_incremental_and_other_seed_is_new(store: Store) -> None:
    ingest_inputs(store, inputs_for([_src(datasets=["acre"], size=3, seed=1)]), IngestConfig())
    again = ingest_inputs(store, inputs_for([_src(datasets=["acre"], size=3, seed=1)]), IngestConfig())
    assert again.metadata["read"] == 0 and again.metadata["skipped_files"] == ["reasoning_gym://acre/s1-n3"]
    other = ingest_inputs(store, inputs_for([_src(datasets=["acre"], size=3, seed=2)]), IngestConfig(dedup=False))
    assert other.metadata["read"] == 3
    ids = store.query("SELECT task_id FROM tasks ORDER BY task_id")["task_id"].to_list()
    assert ids == [f"rg/acre/s{s}-n3/{i}" for s in (1, 2) for i in range(3)]


def test_config_changes_ids_and_items(store: Store) -> None:
    src = _src(
        datasets=["basic_arithmetic"], size=2, seed=0, config={"basic_arithmetic": {"min_terms": 5, "max_terms": 5}}
    )
    ingest_inputs(store, inputs_for([src]), IngestConfig())
    row = _tasks(store)[0]
    assert row["task_id"].startswith("rg/basic_arithmetic/s0-n2-c") and row["task_id"].endswith("/0")
    assert json.loads(row["va"])["config"] == {"min_terms": 5, "max_terms": 5}


def test_all_skips_composite_unless_configured() -> None:
    names = [i.path for i in inputs_for([_src(datasets="all", size=1)])]
    assert len(names) == len(rgym.dataset_names()) - 1
    assert not any("composite" in n for n in names)


def test_composite_with_config(store: Store) -> None:
    src = _src(
        datasets=["composite"],
        size=4,
        seed=0,
        config={
            "composite": {
                "datasets": [{"name": "basic_arithmetic", "weight": 1, "config": {}}, {"name": "acre", "weight": 1}]
            }
        },
    )
    rep = ingest_inputs(store, inputs_for([src]), IngestConfig())
    assert rep.metadata["ingested"] == 4
    domains = set(store.query("SELECT domain FROM tasks")["domain"].to_list())
    assert domains <= {"reasoning_gym/basic_arithmetic", "reasoning_gym/acre"}


@pytest.mark.parametrize(
    ("rg", "message"),
    [
        ({"datasets": ["no_such_dataset"]}, "unknown reasoning-gym datasets ['no_such_dataset']"),
        ({"datasets": ["composite"]}, "'composite' needs reasoning_gym.config.composite.datasets"),
        (
            {"datasets": ["acre"], "config": {"leg_counting": {}}},
            "config names datasets not selected: ['leg_counting']",
        ),
    ],
)
def test_bad_source_names_the_problem(rg: dict, message: str) -> None:
    with pytest.raises(SourceConfigError, match=re.escape(message)):
        inputs_for([_src(**rg)])


def test_bad_dataset_config_names_dataset(store: Store) -> None:
    src = _src(datasets=["basic_arithmetic"], size=2, config={"basic_arithmetic": {"no_such_field": 1}})
    with pytest.raises(SourceConfigError, match=r"source 'rg'.*basic_arithmetic.*no_such_field"):
        ingest_inputs(store, inputs_for([src]), IngestConfig())


@pytest.mark.parametrize("extra", [{"path": "x.jsonl"}, {"hf_dataset": "a/b"}])
def test_one_location_only(extra: dict) -> None:
    with pytest.raises(ValidationError, match="exactly one of `path`, `hf_dataset` or `reasoning_gym`"):
        SourceConfig.model_validate({"name": "rg", "reasoning_gym": {"datasets": ["acre"]}, **extra})


def test_broken_item_is_quarantined(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = rgym.entry

    def flaky(recipe: rgym.Recipe) -> dict:
        if recipe.index == 1:
            raise RuntimeError("generator bug")
        return real(recipe)

    monkeypatch.setattr(rgym, "entry", flaky)
    rep = ingest_inputs(store, inputs_for([_src(datasets=["acre"], size=3, seed=9)]), IngestConfig())
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (2, 1)
    q = store.query("SELECT reason, detail, source_row FROM quarantine").to_dicts()
    assert q == [
        {"reason": "generation_error", "detail": "reasoning-gym acre[1]: RuntimeError: generator bug", "source_row": 1}
    ]


def test_power_function_prompt_read_two_ways_is_quarantined(store: Store) -> None:
    """ "Compute -524.0707^-8" reads as -(524.0707^-8) by the usual precedence, while the gold is
    pow(-524.0707, -8): with a negative base and an even exponent the two readings differ in sign, so either answer
    makes a wrong row; such an item is quarantined `ambiguous_prompt`, the rest of the dataset still comes."""
    rep = ingest_inputs(store, inputs_for([_src(datasets=["power_function"], size=20, seed=0)]), IngestConfig())
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (13, 7)
    q = store.query("SELECT reason, detail, source_row FROM quarantine ORDER BY source_row").to_dicts()
    assert [r["source_row"] for r in q] == [3, 7, 8, 11, 12, 13, 14]
    assert {r["reason"] for r in q} == {"ambiguous_prompt"}
    assert "-524.0707^-8" in q[0]["detail"] and "1.76e-22" in q[0]["detail"] and "-1.76e-22" in q[0]["detail"]
    for t in _tasks(store):  # what is left: a positive base or an odd exponent, one reading
        va = json.loads(t["va"])["entry"]["metadata"]
        assert va["base"] > 0 or va["exponent"] % 2 == 1, t["prompt"]


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "ingest:\n  sources:\n    - name: rg\n      reasoning_gym:\n        datasets: [leg_counting]\n"
        "        size: 3\n        seed: 11\n",
        encoding="utf-8",
    )
    return cfg


def test_cli_ingests_configured_source(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    res = CliRunner().invoke(main, ["ingest", "--config", str(_config(tmp_path)), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)["metadata"]
    assert out["ingested"] == 3 and out["files"][0]["path"] == "reasoning_gym://leg_counting/s11-n3"
    with Store.open(db, read_only=True) as store:
        assert store.query("SELECT min(task_id) FROM tasks").item() == "rg/leg_counting/s11-n3/0"


def test_raw_tasks_asset(tmp_path: Path) -> None:
    from assets.ingest import raw_tasks, tasks
    from assets.resources import ThinkmillResource

    res = ThinkmillResource(db_path=str(tmp_path / "t.duckdb"), config_path=str(_config(tmp_path)))
    run = dg.materialize([raw_tasks, tasks], resources={"thinkmill": res})
    assert run.success
    md = run.asset_materializations_for_node("tasks")[0].metadata
    assert (md["read"].value, md["ingested"].value) == (3, 3)
    with Store.open(tmp_path / "t.duckdb", read_only=True) as store:
        assert set(store.query("SELECT verifier FROM tasks")["verifier"].to_list()) == {"reasoning_gym"}


def test_hash_seed_dependent_datasets_are_deterministic_across_processes(tmp_path: Path) -> None:
    """isomorphic_strings, polynomial_multiplication and ransom_note iterate over sets of strings: without a fixed
    hash seed, each process would generate other tasks under the same ids."""
    import os
    import subprocess
    import sys

    code = (
        "import json, sys; from pipeline.ingest.config import SourceConfig; "
        "from pipeline.ingest.reasoning_gym_source import task_records; "
        "src = SourceConfig.model_validate({'name': 'rg', 'reasoning_gym': {'datasets': "
        "['isomorphic_strings', 'ransom_note'], 'size': 3, 'seed': 1}}); "
        "print(json.dumps([(r['task_id'], r['prompt'], r['answer']) for r in task_records(src)]))"
    )
    root = str(Path(__file__).resolve().parents[2])
    outs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1]
    assert len(json.loads(outs[0])) == 6
