"""A UTF-8 byte-order mark at the start of a JSON Lines file (Windows editors and PowerShell's `Out-File` write one)
is skipped, as CSV and JSON files with one are read: the file's first row was quarantined `invalid_json`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline.ingest.api import ingest_paths

BOM = b"\xef\xbb\xbf"
ROWS = [
    {"id": "b1", "question": "Which planet is known as the Red Planet?", "choices": ["Venus", "Mars"], "answer": 1},
    {"id": "b2", "question": "What is 2+2?", "answer": "4"},
]


def _data(rows: list[dict]) -> bytes:
    return BOM + b"".join(json.dumps(r).encode() + b"\n" for r in rows)


@pytest.mark.parametrize("name", ["bom.jsonl", "bom.jsonl.gz", "bom.json"])
def test_a_bom_at_the_start_of_a_json_lines_file_is_skipped(store, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(_data(ROWS)) if name.endswith(".gz") else _data(ROWS))
    rep = ingest_paths(store, [path])
    assert store.read("quarantine").height == 0, store.read("quarantine").select("reason", "detail").rows()
    assert rep.metadata["ingested"] == 2
    tasks = store.read("tasks").sort("task_id")
    assert tasks["task_id"].to_list() == ["local/b1", "local/b2"]
    assert tasks["source_row"].to_list() == [0, 1]  # row numbers are line numbers, as without the mark


def test_a_file_with_a_bom_is_skipped_when_unchanged_and_read_again_when_changed(store, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(_data(ROWS[:1]))
    assert ingest_paths(store, [path]).metadata["ingested"] == 1
    assert ingest_paths(store, [path]).metadata["ingested"] == 0  # the content hash is the bytes', mark and all
    path.write_bytes(_data(ROWS))
    rep = ingest_paths(store, [path])
    assert rep.metadata["ingested"] == 1 and store.read("quarantine").height == 0


def test_a_bom_at_the_start_of_a_later_line_is_still_invalid_json(store, write_jsonl) -> None:
    """Only the file's first bytes are a byte-order mark; one inside (files concatenated) is part of a line."""
    path = write_jsonl("cat.jsonl", [json.dumps(ROWS[1]), BOM + json.dumps(ROWS[0]).encode()])
    ingest_paths(store, [path])
    assert store.read("quarantine").select("source_row", "reason").rows() == [(1, "invalid_json")]
