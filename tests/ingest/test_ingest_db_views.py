"""`thinkmill db duplicates` and `thinkmill db contamination`. Ingest and decontaminate printed only counts
(`dedup:near_duplicate 2`, `contamination:ex 2`); which row was dropped as a copy of which task, or matched which
benchmark item, sat in the `task_duplicates` and `contamination` tables, which no command showed. Each now lists its
rows, one line each, naming the dropped row (file:row) and the row it matched."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_db_duplicates_and_contamination_name_the_matching_rows(tmp_path: Path, write_jsonl) -> None:
    db = str(tmp_path / "c.duckdb")
    spaced = "小明有 3 个苹果，他又买了 2 个苹果，现在他一共有多少个苹果？"
    rows = [
        {"id": "a", "question": spaced.replace(" ", ""), "answer": "5"},
        {"id": "b", "question": spaced, "answer": "5"},
        {"id": "d", "question": "What is 12 + 7?", "answer": "19"},
        {"id": "g", "question": "What is 12 + 7 ?\n", "answer": "19"},
        {"id": "f", "question": "Compute 7*8", "answer": "56"},
    ]
    p = write_jsonl("rows.jsonl", rows)
    assert _run("ingest", str(p), "--db", db, "--default", "verifier=math").exit_code == 0
    bench = write_jsonl("bench.jsonl", [{"id": "b5", "question": "Compute 7 * 8."}])
    assert _run("decontaminate", "--db", db, "--benchmark", f"ex={bench}").exit_code == 0

    listed = _run("db", "duplicates", "--db", db)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0] == f"{p}:1  dedup:exact of local/a ({p}:0), score 1.00: {spaced}"
    assert lines[1].startswith(f"{p}:3  dedup:near_duplicate of local/d ({p}:2), score 0.9") and lines[1].endswith(
        ": What is 12 + 7 ?"
    )
    assert len(lines) == 2
    near = json.loads(_run("db", "duplicates", "--db", db, "--reason", "dedup:near_duplicate", "--json").output)
    assert near["total"] == 1 and near["rows"][0]["duplicate_of"] == "local/d"
    assert near["rows"][0]["kept_file"] == str(p) and near["rows"][0]["kept_row"] == 2
    one = _run("db", "duplicates", "--db", db, "--limit", "1")
    assert "1 more" in one.output.splitlines()[-1]

    hits = _run("db", "contamination", "--db", db)
    assert hits.exit_code == 0, hits.output
    assert hits.output.splitlines() == [f"local/f ({p}:4)  ex item b5, fuzzy 1.00: Compute 7*8"]
    assert _run("db", "contamination", "--db", db, "--benchmark", "other").output.strip() == "no contaminated tasks"
