"""Retiring stored tasks (`thinkmill tasks retire|restore|retired`): what the user takes out of training stays out
of generation and new versions, and comes back with its generations on restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ingest.api import ingest_paths
from pipeline.ingest.decontam import read_clean_tasks
from pipeline.ingest.retire import RetireError, restore, retire, retired_count
from pipeline.store import Store

ROWS = [
    {"id": "a", "problem": "What is 12 times 12?", "answer": "144"},
    {"id": "b", "problem": "What is the sum of the interior angles of a triangle, in degrees?", "answer": "180"},
    {"id": "c", "problem": "How many prime numbers are there below 20?", "answer": "8"},
]


def _ingest(store: Store, write_jsonl, rows=ROWS, name: str = "math.jsonl"):
    return ingest_paths(store, [write_jsonl(name, rows)], defaults={"domain": "math", "verifier": "math"})


def test_a_retired_task_gets_no_new_requests_and_restore_brings_it_back(store, write_jsonl) -> None:
    """Before, a task the user wanted out (a broken prompt, a row deleted from its file) stayed among the tasks the
    generate stage answers: `read_clean_tasks` left out contaminated tasks only."""
    _ingest(store, write_jsonl)
    report = retire(store, ["local/b"], "  the angle sum depends on the geometry:\n ambiguous ")
    assert read_clean_tasks(store)["task_id"].to_list() == ["local/a", "local/c"]
    assert report.rows_out == 1 and retired_count(store) == 1
    assert store.read("retired_tasks")["reason"].to_list() == ["the angle sum depends on the geometry: ambiguous"]
    again = retire(store, ["local/b", "local/c"], "another reason")
    assert again.metadata["retired"] == ["local/c"] and again.metadata["already_retired"] == ["local/b"]
    assert store.read("retired_tasks")["reason"].to_list() == [
        "the angle sum depends on the geometry: ambiguous",  # kept: it was retired first for this reason
        "another reason",
    ]
    back = restore(store, ["local/b", "local/a"])
    assert back.metadata["restored"] == ["local/b"] and back.metadata["not_retired"] == ["local/a"]
    assert read_clean_tasks(store)["task_id"].to_list() == ["local/a", "local/b"]
    assert store.count("tasks") == 3  # nothing of a task is removed


def test_unknown_ids_change_nothing(store, write_jsonl) -> None:
    _ingest(store, write_jsonl)
    with pytest.raises(RetireError, match=r"2 of 3 task ids are not stored tasks: local/x, b; nothing retired"):
        retire(store, ["local/a", "local/x", "b"], "typo")
    assert store.count("retired_tasks") == 0
    with pytest.raises(RetireError, match="--reason is empty"):
        retire(store, ["local/a"], "  ")
    retire(store, ["local/a"], "bad")
    with pytest.raises(RetireError, match="not stored tasks: local/zz; nothing restored"):
        restore(store, ["local/a", "local/zz"])
    assert store.count("retired_tasks") == 1


def test_ingest_of_a_retired_tasks_row_says_so(store, write_jsonl) -> None:
    """Before, a changed file's row of a retired task counted as plainly already ingested (or updated), and an edited
    prompt under its id said to ingest into a fresh store; now the summary names the retired tasks, and the
    quarantine detail says the id is retired."""
    _ingest(store, write_jsonl)
    retire(store, ["local/b", "local/c"], "wrong source")
    rows = [
        *ROWS[:2],
        {"id": "c", "problem": "How many prime numbers are there below 30?", "answer": "10"},  # prompt edited
        {"id": "d", "problem": "What is 7 cubed?", "answer": "343"},
    ]
    report = _ingest(store, write_jsonl, rows)
    assert report.metadata["retired"] == 1  # local/b: already stored, still retired
    assert report.metadata["ingested"] == 1 and report.metadata["duplicate"] == 2
    assert any("1 row is of a retired task" in line for line in report.summary), report.summary
    (detail,) = store.read("quarantine")["detail"].to_list()
    assert "retired" in detail and "new id" in detail, detail
    assert sorted(read_clean_tasks(store)["task_id"].to_list()) == ["local/a", "local/d"]


def _cli(db: Path, *args: str):
    return CliRunner().invoke(main, ["tasks", *args, "--db", str(db)])


def test_cli_retire_restore_and_list(store, write_jsonl, tmp_path: Path) -> None:
    _ingest(store, write_jsonl)
    db = store.path
    store.close()
    ids = tmp_path / "ids.txt"
    ids.write_text("# broken prompts\nlocal/a\n\n  local/c  \n", encoding="utf-8")
    res = _cli(db, "retire", "--ids-file", str(ids), "--reason", "broken prompt")
    assert res.exit_code == 0, res.output
    assert "retired 2 tasks (2 retired in all): broken prompt" in res.output
    res = _cli(db, "retired", "--json")
    listed = json.loads(res.output)
    assert listed["total"] == 2 and {r["task_id"] for r in listed["rows"]} == {"local/a", "local/c"}
    assert {r["source_row"] for r in listed["rows"]} == {0, 2}
    res = _cli(db, "retired")
    assert "local/a" in res.output and "math.jsonl:0" in res.output and "broken prompt" in res.output
    res = _cli(db, "retire", "--id", "local/a", "--id", "nope", "--reason", "x")
    assert res.exit_code == 1
    assert res.output.strip().splitlines()[-1].startswith("error: 1 of 2 task ids are not stored tasks: nope")
    res = _cli(db, "retire", "--id", "local/b", "--ids-file", str(ids), "--reason", "x")
    assert res.exit_code == 1 and "do not go together" in res.output
    res = _cli(db, "restore", "--id", "local/a", "--json")
    assert res.exit_code == 0 and json.loads(res.output)["metadata"]["restored"] == ["local/a"]
    res = CliRunner().invoke(main, ["db", "info", "--db", str(db)])
    assert "retired_tasks" in res.output
    res = _cli(tmp_path / "missing.duckdb", "retire", "--id", "x", "--reason", "x")
    assert res.exit_code == 1 and "does not exist" in res.output
