"""The commit's bounded-memory paths (issue 16): the candidates' texts are read back from the staged parts a part at
a time, and DuckDB writes under a memory cap, written again uncapped when the cap proves short."""

from __future__ import annotations

import logging

import pytest

from pipeline.ingest import commit as commit_mod
from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.store import Store, StoreOutOfMemoryError, Writer

STEM = (
    "A train leaves the station at {h} o'clock and travels {d} km at a steady speed of {v} km/h before it stops. "
    "How long is the journey in hours, and at what time does the train arrive?"
)


def _rows(prefix: str, n: int) -> list[dict]:
    return [
        {"id": f"{prefix}{i}", "problem": STEM.format(h=i % 12, d=60 * (i + 1), v=60), "answer": str(i + 1)}
        for i in range(n)
    ]


def test_near_duplicates_across_staged_parts_point_at_the_right_rows(store: Store, write_jsonl) -> None:
    """Four staged parts of 3 rows: the texts reach the engine part by part, and each duplicate still names the
    stored task or the earlier new row it repeats."""
    ingest_paths(store, [write_jsonl("a.jsonl", _rows("s", 4))], source="old")
    later = [
        {"id": "n0", "problem": "A completely different question about prime numbers below 50?", "answer": "15"},
        {"id": "n1", "problem": STEM.format(h=2, d=180, v=60).replace("travels", "covers"), "answer": "3"},  # ~old/s2
        {"id": "n2", "problem": "How many sides does a regular dodecagon have, counted once each?", "answer": "12"},
        {"id": "n3", "problem": "What is the sum of the interior angles of a hexagon in degrees?", "answer": "720"},
        {"id": "n4", "problem": "Name the smallest prime that is larger than one hundred, please.", "answer": "101"},
        {
            "id": "n5",
            "problem": "How many sides does a regular dodecagon have, counted once each?".upper(),
            "answer": "12",
        },
        {
            "id": "n6",
            "problem": "A parking lot holds 40 cars in each of 7 rows; how many cars fit in the lot?",
            "answer": "280",
        },
        {
            "id": "n7",
            "problem": "A car park holds 40 cars in each of 7 rows; how many cars fit in the lot?",
            "answer": "280",
        },
        {"id": "n8", "problem": "What is the sum of the interior angles of a hexagon in degrees?  ", "answer": "720"},
        {"id": "n9", "problem": "An unrelated question about the speed of sound in dry air at 20 C?", "answer": "343"},
    ]
    rep = ingest_paths(store, [write_jsonl("b.jsonl", later)], source="new", cfg=IngestConfig(batch_rows=3))
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (6, 4)
    d = store.read("task_duplicates", order_by="task_id")
    assert dict(zip(d["task_id"], d["duplicate_of"], strict=True)) == {
        "new/n1": "old/s2",
        "new/n5": "new/n2",
        "new/n7": "new/n6",
        "new/n8": "new/n3",
    }
    assert dict(zip(d["task_id"], d["reason"], strict=True))["new/n5"] == "dedup:exact"
    assert dict(zip(d["task_id"], d["reason"], strict=True))["new/n7"] == "dedup:near_duplicate"
    assert sorted(store.read("tasks", where="source = 'new'")["task_id"]) == [f"new/n{i}" for i in (0, 2, 3, 4, 6, 9)]


def test_a_cap_that_proves_short_writes_the_batch_again_uncapped(
    store: Store, write_jsonl, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """DuckDB running out of memory under the cap rolls the transaction back; the same batch is then written
    without the cap, once: every row lands, none twice."""
    original = Writer.insert_parquet
    calls: list[str] = []

    def short_of_memory(self: Writer, name, *a, **k):  # type: ignore[no-untyped-def]
        calls.append(name)
        if len(calls) == 1:
            original(self, name, *a, **k)  # the rows are written, then the transaction fails
            raise StoreOutOfMemoryError("Out of Memory Error: could not allocate block (simulated)")
        return original(self, name, *a, **k)

    monkeypatch.setattr(Writer, "insert_parquet", short_of_memory)
    rows = [*_rows("r", 5), {"id": "bad", "problem": "", "answer": "1"}]
    with caplog.at_level(logging.WARNING, logger=commit_mod.__name__):
        rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert calls == ["tasks", "tasks"]
    assert "writing again without a cap" in caplog.text
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "quarantined")) == (6, 5, 1)
    assert rep.metadata["quarantine_reasons"] == {"empty_prompt": 1}
    assert store.count("tasks") == 5 and store.count("quarantine") == 1 and store.count("ingest_files") == 1


def test_the_cap_grows_with_the_tasks_the_store_will_hold() -> None:
    assert commit_mod.insert_memory_cap(0) == commit_mod.INSERT_CAP_FLOOR
    assert commit_mod.insert_memory_cap(10_000_000) > commit_mod.insert_memory_cap(1_000_000)
    assert commit_mod.insert_memory_cap(1_000_000) > commit_mod.INSERT_CAP_FLOOR + (32 << 20)  # room for the index


def test_per_file_counts_of_a_run_over_several_files(store: Store, write_jsonl) -> None:
    """Which file a row came from is read back from the staged parts (the decisions hold no file names): each
    file's counts add up to its rows, in the report and in `ingest_files`."""
    a = [
        *_rows("a", 3),
        {"id": "a0", "problem": "Another prompt reusing the id a0 for no good reason at all?", "answer": "1"},
        {"id": "blank", "problem": "   ", "answer": "1"},
    ]
    b = [
        {"id": "b0", "problem": STEM.format(h=0, d=60, v=60).upper(), "answer": "1"},  # exact copy of a/a0
        {"id": "b1", "problem": "How many minutes are there in a day of twenty-four hours?", "answer": "1440"},
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", a), write_jsonl("b.jsonl", b)], cfg=IngestConfig(batch_rows=2))
    files = {f["path"].rsplit("/", 1)[-1]: f for f in rep.metadata["files"]}
    assert {k: (f["rows_read"], f["ingested"], f["quarantined"], f["duplicate"]) for k, f in files.items()} == {
        "a.jsonl": (5, 3, 2, 0),
        "b.jsonl": (2, 1, 0, 1),
    }
    stored = store.query("SELECT path, rows_read, ingested, quarantined, duplicate FROM ingest_files ORDER BY path")
    assert [tuple(r[1:]) for r in stored.iter_rows()] == [(5, 3, 2, 0), (2, 1, 0, 1)]
