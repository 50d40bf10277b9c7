"""A file re-ingested with a corrected answer. The row keeps its id and prompt, so it was read as `already_ingested`
and the stored task kept the old answer: a user who fixed a wrong label saw "duplicate 1" and trained on the wrong
one. Now the stored task takes the row's answer, verifier and verifier args (`updated`), and its verdicts and trace
selection (judged against the old answer) are removed so the next `thinkmill verify` judges its responses again.
Versions already built keep their rows."""

from __future__ import annotations

import polars as pl

from pipeline.ingest.api import ingest_paths
from pipeline.store import now_utc

Q = "Tom has 5 apples and buys 7 more. How many apples does he have?"
Q2 = "What is 6 times 7?"


def _judged(store, task_id: str, key: str) -> None:
    now = now_utc()
    base = {"generation_key": key, "task_id": task_id, "mode": "think", "created_at": now}
    store.insert("verdicts", pl.DataFrame([{**base, "verifier": "math", "passed": True}]))
    store.insert("trace_selection", pl.DataFrame([{**base, "selected": True}]))


def test_a_corrected_answer_replaces_the_stored_one(store, write_jsonl) -> None:
    rows = [{"id": "a", "question": Q, "answer": "13"}, {"id": "b", "question": Q2, "answer": "42"}]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    _judged(store, "local/a", "g1")
    _judged(store, "local/b", "g2")
    rows[0]["answer"] = "12"  # the label fixed in the user's file
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    tasks = dict(store.query("SELECT task_id, answer FROM tasks").rows())
    assert tasks == {"local/a": "12", "local/b": "42"}
    assert report.metadata["updated"] == 1 and report.metadata["ingested"] == 1
    assert any("1 updated" in line for line in report.summary)
    # the old verdict of the changed task goes; the other task's stays
    assert store.query("SELECT generation_key FROM verdicts")["generation_key"].to_list() == ["g2"]
    assert store.query("SELECT generation_key FROM trace_selection")["generation_key"].to_list() == ["g2"]


def test_a_changed_verifier_or_its_args_update_the_task(store, write_jsonl) -> None:
    row = {"id": "a", "question": Q2, "answer": "42"}
    ingest_paths(store, [write_jsonl("t.jsonl", [row])])
    ingest_paths(store, [write_jsonl("t.jsonl", [{**row, "verifier": "numeric", "verifier_args": {"rel_tol": 0.01}}])])
    verifier, args = store.query("SELECT verifier, CAST(verifier_args AS VARCHAR) FROM tasks").row(0)
    assert verifier == "numeric" and '"rel_tol":0.01' in args


def test_an_unchanged_row_of_a_changed_file_is_left_alone(store, write_jsonl) -> None:
    rows = [{"id": "a", "question": Q, "answer": "12"}]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    _judged(store, "local/a", "g1")
    report = ingest_paths(store, [write_jsonl("t.jsonl", [*rows, {"id": "b", "question": Q2, "answer": "42"}])])
    assert report.metadata["updated"] == 0 and report.metadata["duplicate_reasons"] == {"already_ingested": 1}
    assert store.count("verdicts") == 1
