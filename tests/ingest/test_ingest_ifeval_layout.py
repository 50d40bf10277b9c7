"""IFEval's own row layout (`google/IFEval`: key, prompt, instruction_id_list, kwargs) ingests as `ifeval` tasks
whose constraints the verifier reads; a task no response could pass is quarantined at ingest, not paid for."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pipeline.config import ThinkmillConfig
from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.store import Store
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec

IFEVAL_ROWS = [
    {
        "key": 1000,
        "prompt": "Write a short poem about the sea. Your entire response should be in English, and in all lowercase "
        "letters. No capital letters are allowed.",
        "instruction_id_list": ["change_case:english_lowercase"],
        "kwargs": [{}],
    },
    {
        "key": 1001,
        "prompt": "Describe a cat in fewer than 40 words.",
        "instruction_id_list": ["length_constraints:number_words"],
        # the Hub export lists every parameter of every instruction, unused ones null
        "kwargs": [{"relation": "less than", "num_words": 40, "num_highlights": None}],
    },
]


def _tasks(store: Store) -> dict[int, dict]:
    out = {}
    for t in store.read("tasks").iter_rows(named=True):
        t["verifier_args"] = json.loads(t["verifier_args"])
        t["metadata"] = json.loads(t["metadata"])
        out[t["metadata"]["key"]] = t
    return out


def _judge(task: dict, answer: str) -> bool:
    spec = TaskSpec(
        task_id=task["task_id"],
        verifier=task["verifier"],
        answer=task["answer"],
        verifier_args=task["verifier_args"],
        prompt=task["prompt"],
    )
    reg = Registry()
    return reg.get(spec.verifier).check(answer, spec, reg.cfg).passed


def _check_ifeval_tasks(store: Store) -> None:
    tasks = _tasks(store)
    assert sorted(tasks) == [1000, 1001]
    poem, cat = tasks[1000], tasks[1001]
    assert (poem["verifier"], poem["domain"], poem["answer"]) == ("ifeval", "instruction_following", None)
    assert poem["verifier_args"] == {"instruction_id_list": ["change_case:english_lowercase"], "kwargs": [{}]}
    assert cat["verifier_args"]["instruction_id_list"] == ["length_constraints:number_words"]
    assert cat["metadata"] == {"key": 1001}  # the constraints are not repeated in metadata
    # the verifier reads the stored constraints: what follows them passes, what breaks them fails
    assert _judge(poem, "the sea is wide\nand blue")
    assert not _judge(poem, "The Sea Is Wide")
    assert _judge(cat, "A small furry animal that purrs.")
    assert not _judge(cat, " ".join(["meow"] * 60))


def test_ifeval_jsonl_rows_become_ifeval_tasks(store: Store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("ifeval.jsonl", IFEVAL_ROWS)], source="ife")
    assert rep.metadata["ingested"] == 2, store.read("quarantine").to_dicts()
    _check_ifeval_tasks(store)


def test_ifeval_csv_with_json_text_columns(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "ifeval.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(IFEVAL_ROWS[0]))
        w.writeheader()
        for r in IFEVAL_ROWS:
            w.writerow(
                {**r, "instruction_id_list": json.dumps(r["instruction_id_list"]), "kwargs": json.dumps(r["kwargs"])}
            )
    rep = ingest_paths(store, [p], source="ife")
    assert rep.metadata["ingested"] == 2, store.read("quarantine").to_dicts()
    rows = {t["prompt"][:8]: t for t in store.read("tasks").iter_rows(named=True)}
    assert json.loads(rows["Write a "]["verifier_args"]) == {
        "instruction_id_list": ["change_case:english_lowercase"],
        "kwargs": [{}],
    }
    assert json.loads(rows["Describe"]["metadata"]) == {"key": "1001"}  # CSV cells are text


def test_mapped_constraint_columns(store: Store, write_jsonl) -> None:
    rows = [
        {"uid": f"u{i}", "text": r["prompt"], "ids": r["instruction_id_list"], "params": r["kwargs"]}
        for i, r in enumerate(IFEVAL_ROWS)
    ]
    path = write_jsonl("mine.jsonl", rows)
    rep = ingest_paths(
        store,
        [path],
        source="mine",
        mapping={"prompt": "text", "instruction_id_list": "ids", "kwargs": "params", "id": "uid"},
    )
    assert rep.metadata["ingested"] == 2
    t = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}["mine/u0"]
    assert t["verifier"] == "ifeval"
    assert json.loads(t["verifier_args"]) == {"instruction_id_list": ["change_case:english_lowercase"], "kwargs": [{}]}
    assert json.loads(t["metadata"]) == {}


def test_a_builtin_replaced_in_the_verify_config_is_not_asked(store: Store, write_jsonl) -> None:
    """A user who replaces a built-in (here `regex`) under `verify.verifiers` with a verifier of other arguments
    keeps such tasks; `ingest.check_verifier_args: false` keeps them whatever verifies them."""
    rows = [{"prompt": "Say yes.", "verifier": "regex", "verifier_args": {"my_pattern": "yes"}}]
    rep = ingest_paths(store, [write_jsonl("own.jsonl", rows)], cfg=IngestConfig())
    assert rep.metadata["quarantined"] == 1
    q = store.read("quarantine").row(0, named=True)
    assert (q["reason"], q["detail"]) == ("invalid_value:verifier_args", "verifier_args.pattern must be a string")

    replaced = ThinkmillConfig.model_validate({"verify": {"verifiers": {"regex": "my_verifiers:regex"}}})
    rep = ingest_paths(store, [write_jsonl("own2.jsonl", rows)], cfg=replaced.ingest)
    assert rep.metadata["ingested"] == 1
    other = [{**rows[0], "prompt": "Say no."}]
    rep = ingest_paths(store, [write_jsonl("own3.jsonl", other)], cfg=IngestConfig(check_verifier_args=False))
    assert rep.metadata["ingested"] == 1


def test_constraint_columns_beside_verifier_args_with_constraints_stay_in_metadata(store: Store, write_jsonl) -> None:
    own = {"constraints": [{"type": "lowercase"}]}
    row = {**IFEVAL_ROWS[1], "verifier": "ifeval", "verifier_args": own}
    rep = ingest_paths(store, [write_jsonl("both.jsonl", [row])])
    assert rep.metadata["ingested"] == 1
    t = store.read("tasks").row(0, named=True)
    assert json.loads(t["verifier_args"]) == own
    meta = json.loads(t["metadata"])
    assert meta["instruction_id_list"] == ["length_constraints:number_words"] and meta["key"] == 1001
    assert meta["kwargs"][0]["num_words"] == 40
