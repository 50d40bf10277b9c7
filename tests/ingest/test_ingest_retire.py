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


def _config(tmp_path: Path, upstream: str = "raw/*.jsonl") -> Path:
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "ingest:\n  sources:\n"
        f"    - name: upstream\n      path: {upstream}\n"
        "      mapping: {prompt: problem}\n      defaults: {domain: math, verifier: math}\n"
        "    - name: other\n      path: other.jsonl\n      defaults: {domain: math, verifier: math}\n",
        encoding="utf-8",
    )
    return cfg


def test_retire_missing_from_a_source_retires_what_its_files_no_longer_hold(store, write_jsonl, tmp_path) -> None:
    """A scheduled refresh: upstream deleted a row, edited a prompt in a row without an id, broke a row (no answer
    now) and dropped a whole file. `thinkmill tasks retire --missing-from upstream` reads the source as ingest does
    and retires exactly the stored tasks it no longer yields; another source's tasks are not touched. Before, the
    user had to work out the ids by hand (the docs said it could not be told)."""
    from pipeline.config import load_config
    from pipeline.ingest.api import ingest_sources

    cfg_path = _config(tmp_path)
    with_ids = [*ROWS, {"id": "d", "problem": "What is 2 to the 10th power?", "answer": "1024"}]
    without_ids = [
        {"problem": "What is 3 squared?", "answer": "9"},
        {"problem": "What is 5 factorial?", "answer": "120"},
    ]
    write_jsonl("raw/a.jsonl", with_ids)
    write_jsonl("raw/b.jsonl", without_ids)
    write_jsonl("raw/c.jsonl", [{"id": "e", "problem": "What is 9 minus 4?", "answer": "5"}])
    write_jsonl("other.jsonl", [{"id": "z", "prompt": "What is 1 plus 1?", "answer": "2"}])
    cfg = load_config(cfg_path)
    first = ingest_sources(store, cfg)
    assert first.metadata["ingested"] == 8, first.summary
    stored = set(store.read("tasks")["task_id"].to_list())
    # the hash id of the row without an id whose prompt the refresh edits
    edited = store.query("SELECT task_id FROM tasks WHERE prompt LIKE 'What is 5 factorial?%'").item()
    # the refresh: b deleted, d's answer gone (quarantined at read), 5 factorial's prompt edited, c.jsonl removed
    write_jsonl("raw/a.jsonl", [ROWS[0], ROWS[2], {"id": "d", "problem": "What is 2 to the 10th power?"}])
    write_jsonl("raw/b.jsonl", [without_ids[0], {"problem": "What is 5 factorial (5!)?", "answer": "120"}])
    (tmp_path / "raw" / "c.jsonl").unlink()
    db = store.path
    hash_ids = sorted(t for t in stored if t.startswith("upstream/h"))
    store.close()

    def cli(*args: str):
        return CliRunner().invoke(main, ["tasks", "retire", *args, "--db", str(db), "--config", str(cfg_path)])

    dry = cli("--missing-from", "upstream", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    out = json.loads(dry.output)["metadata"]
    expected = sorted({"upstream/b", "upstream/d", "upstream/e", edited})
    assert len(hash_ids) == 2 and edited in hash_ids and len(expected) == 4
    assert sorted(out["missing"]) == expected, out
    assert out["stored"] == 7 and out["rows_read"] == 5 and out["quarantined_at_read"] == 1, out
    with Store.open(db) as s:
        assert s.count("retired_tasks") == 0  # a dry run retires nothing
    res = cli("--missing-from", "upstream", "--reason", "removed upstream")
    assert res.exit_code == 0, res.output
    assert "read 2 files of upstream: 5 rows (1 quarantined at read); 7 stored tasks" in res.output, res.output
    assert "retired 4 tasks (4 retired in all): removed upstream" in res.output, res.output
    with Store.open(db) as s:
        assert sorted(s.read("retired_tasks")["task_id"].to_list()) == expected
        assert "other/z" not in s.read("retired_tasks")["task_id"].to_list()
    again = cli("--missing-from", "upstream", "--reason", "removed upstream")
    assert again.exit_code == 0 and "retired 0 tasks" in again.output and "4 were already retired" in again.output


def test_retire_missing_from_refuses_what_it_cannot_read(store, write_jsonl, tmp_path) -> None:
    """Nothing is retired when the source cannot be read whole: an unknown source name, a path that matches no
    file, a data file of a type ingest does not read; and --missing-from needs a config and a reason."""
    from pipeline.config import load_config
    from pipeline.ingest.api import ingest_sources

    cfg_path = _config(tmp_path, "raw")  # a folder: its data files of other types are named, not read
    write_jsonl("raw/a.jsonl", ROWS)
    write_jsonl("other.jsonl", [{"id": "z", "prompt": "What is 1 plus 1?", "answer": "2"}])
    ingest_sources(store, load_config(cfg_path))
    db = store.path
    store.close()

    def cli(*args: str, config: bool = True):
        more = ["--config", str(cfg_path)] if config else []
        return CliRunner().invoke(main, ["tasks", "retire", *args, "--db", str(db), *more])

    res = cli("--missing-from", "upstreem", "--reason", "x")
    assert res.exit_code == 1
    assert "--missing-from upstreem: not a source configured under ingest.sources (configured: upstream, other)" in (
        res.output
    )
    (tmp_path / "raw" / "b.jsonl.zst").write_bytes(b"\x28\xb5\x2f\xfd")
    res = cli("--missing-from", "upstream", "--reason", "x")
    assert res.exit_code == 1 and "b.jsonl.zst" in res.output and "nothing retired" in res.output, res.output
    (tmp_path / "raw" / "b.jsonl.zst").unlink()
    (tmp_path / "other.jsonl").unlink()
    res = cli("--missing-from", "other", "--reason", "x")
    assert res.exit_code == 1 and res.output.startswith("error:"), res.output
    res = cli("--missing-from", "upstream")
    assert res.exit_code == 1 and "--reason TEXT is required" in res.output
    res = cli("--missing-from", "upstream", "--id", "upstream/a", "--reason", "x")
    assert res.exit_code == 1 and "do not go together" in res.output
    res = cli("--id", "upstream/a", "--dry-run", "--reason", "x")
    assert res.exit_code == 1 and "--dry-run goes with --missing-from" in res.output
    with Store.open(db) as s:
        assert s.count("retired_tasks") == 0
