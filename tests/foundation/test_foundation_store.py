"""The store: migrations, transactional writes, typed reads, clear errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.store import (
    SchemaMismatchError,
    Store,
    StoreError,
    StoreNotFoundError,
    StoreReadOnlyError,
    StoreWriteError,
)
from schemas import LATEST_VERSION, TABLES


def _task(task_id: str, prompt: str = "What is 1 + 1?") -> dict:
    return {
        "task_id": task_id,
        "source": "t",
        "domain": "math",
        "prompt": prompt,
        "answer": "2",
        "verifier": "math",
        "verifier_args": {},
        "metadata": {},
    }


def test_migrations_apply_on_empty_file_and_are_idempotent(db_path: Path) -> None:
    with Store.open(db_path) as s:
        assert s.schema_version() == LATEST_VERSION
        assert s.migrate() == []  # already migrated: nothing to do
    with Store.open(db_path) as s:  # reopening an already-migrated file
        assert s.schema_version() == LATEST_VERSION


def test_migrated_schema_matches_contracts(store: Store) -> None:
    for name, t in TABLES.items():
        cols = store.fetchall(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [name],
        )
        assert [c[0] for c in cols] == t.column_names, name
        assert [c[1] for c in cols] == [
            c.duckdb_type.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE") for c in t.columns
        ], name


def test_insert_read_roundtrip_with_json_columns(store: Store) -> None:
    df = pl.DataFrame([_task("a"), _task("b", "What is 2 + 2?")])
    df = df.with_columns(pl.Series("verifier_args", ['{"k": 1}', "{}"]))
    assert store.insert("tasks", df) == 2
    out = store.read("tasks")
    assert out["task_id"].to_list() == ["a", "b"]
    assert json.loads(out["verifier_args"].to_list()[0]) == {"k": 1}
    assert out.schema["created_at"] == pl.Datetime("us", "UTC")
    assert out["created_at"].null_count() == 0


def test_conflicts_ignore_replace_and_error(store: Store) -> None:
    store.insert("tasks", pl.DataFrame([_task("a")]))
    assert store.insert("tasks", pl.DataFrame([_task("a", "changed")]), on_conflict="ignore") == 0
    assert store.read("tasks")["prompt"].to_list() == ["What is 1 + 1?"]
    store.insert("tasks", pl.DataFrame([_task("a", "changed")]), on_conflict="replace")
    assert store.read("tasks")["prompt"].to_list() == ["changed"]
    with pytest.raises(StoreWriteError, match="tasks"):
        store.insert("tasks", pl.DataFrame([_task("a")]))


def test_failed_write_leaves_previous_state_intact(store: Store) -> None:
    store.insert("tasks", pl.DataFrame([_task("a")]))
    batch = pl.DataFrame([_task("b"), _task("c"), _task("a")])  # the clash on "a" comes last
    with pytest.raises(StoreWriteError):
        store.insert("tasks", batch)
    assert store.read("tasks")["task_id"].to_list() == ["a"]
    # several tables in one transaction: all or nothing
    with pytest.raises(StoreWriteError):
        store.insert_many(
            {
                "tasks": pl.DataFrame([_task("d")]),
                "contamination": pl.DataFrame(
                    {
                        "task_id": ["d", "d"],
                        "benchmark": ["b", "b"],
                        "benchmark_item": ["1", "1"],
                        "method": ["ngram"] * 2,
                    }
                ),
            }
        )
    assert store.count("tasks") == 1 and store.count("contamination") == 0


def test_schema_mismatch_names_table_and_column(store: Store) -> None:
    with pytest.raises(SchemaMismatchError, match=r"'tasks'.*'prompt'"):
        store.insert("tasks", pl.DataFrame([{k: v for k, v in _task("a").items() if k != "prompt"}]))
    with pytest.raises(SchemaMismatchError, match="no columns"):
        store.insert("tasks", pl.DataFrame([{**_task("a"), "bogus": 1}]))
    with pytest.raises(SchemaMismatchError, match="null in row 1"):
        store.insert("tasks", pl.DataFrame([_task("a"), {**_task("b"), "domain": None}]))


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="does not exist"):
        Store.connect(tmp_path / "nope.duckdb", read_only=True)
    assert not (tmp_path / "nope.duckdb").exists()


def test_newer_schema_is_refused(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(Exception, match="newer than this thinkmill"):
        Store.connect(db_path)


def test_file_is_valid_duckdb_after_close(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.insert("tasks", pl.DataFrame([_task("a")]))
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT count(*) FROM tasks").fetchone() == (1,)
    con.close()


# ------------------------------------------------------------------ store.writing(): several writes, one commit
def test_writing_commits_every_statement_together(store: Store) -> None:
    store.insert("tasks", pl.DataFrame([_task("a"), _task("b", "What is 2 + 2?")]))
    with store.writing() as w:
        assert w.delete("tasks", "task_id = ?", ["a"]) == 1
        assert w.insert("tasks", pl.DataFrame([_task("c", "What is 3 + 3?")])) == 1
        assert w.upsert("tasks", pl.DataFrame([_task("b", "changed")])) == 1
        w.execute("UPDATE tasks SET answer = '6' WHERE task_id = ?", ["c"])
        assert w.query("SELECT count(*) AS n FROM tasks")["n"][0] == 2  # sees its own uncommitted writes
    out = store.read("tasks")
    assert out["task_id"].to_list() == ["b", "c"]
    assert out["prompt"].to_list() == ["changed", "What is 3 + 3?"]
    assert out["answer"].to_list() == ["2", "6"]


def test_writing_rolls_back_every_statement_on_error(store: Store) -> None:
    store.insert("tasks", pl.DataFrame([_task("a")]))
    with pytest.raises(StoreWriteError, match="tasks"), store.writing() as w:
        w.delete("tasks", "task_id = ?", ["a"])
        w.insert(
            "contamination",
            pl.DataFrame({"task_id": ["a"], "benchmark": ["b"], "benchmark_item": ["1"], "method": ["ngram"]}),
        )
        w.insert("tasks", pl.DataFrame([_task("x"), _task("x")]))  # primary-key clash inside the batch
    assert store.read("tasks")["task_id"].to_list() == ["a"]
    assert store.count("contamination") == 0
    with pytest.raises(RuntimeError, match="caller"), store.writing() as w:
        w.delete("tasks", "true")
        raise RuntimeError("the caller's own error")
    assert store.count("tasks") == 1


def test_insert_parquet_streams_selected_rows_with_contract_casts(store: Store, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    rows = [{**_task(f"t{i}", f"What is {i} + {i}?"), "seq": i, "extra": "ignored"} for i in range(6)]
    frame = pl.DataFrame(rows).with_columns(
        pl.col("verifier_args").map_elements(json.dumps, return_dtype=pl.String),
        pl.col("metadata").map_elements(json.dumps, return_dtype=pl.String),
    )
    frame.slice(0, 3).write_parquet(tmp_path / "a.parquet")
    frame.slice(3).write_parquet(tmp_path / "b.parquet")
    when = datetime(2026, 1, 2, tzinfo=UTC)
    parts = [tmp_path / "a.parquet", tmp_path / "b.parquet"]
    with store.writing() as w:
        n = w.insert_parquet("tasks", parts, only=pl.DataFrame({"seq": [1, 4, 5]}), values={"created_at": when})
    assert n == 3
    out = store.read("tasks").sort("task_id")
    assert out["task_id"].to_list() == ["t1", "t4", "t5"]
    assert out["verifier_args"].to_list() == ["{}", "{}", "{}"]
    assert out["license"].to_list() == [None, None, None]  # absent nullable column
    assert all(t == when for t in out["created_at"].to_list())
    # a clash rolls the block back; "ignore" keeps the stored row
    with pytest.raises(StoreWriteError, match="tasks"), store.writing() as w:
        w.insert_parquet("tasks", parts)
    assert store.count("tasks") == 3
    with store.writing() as w:
        assert w.insert_parquet("tasks", parts, on_conflict="ignore") == 3
    assert store.count("tasks") == 6


def test_insert_parquet_refuses_missing_required_columns_and_bad_json(store: Store, tmp_path: Path) -> None:
    pl.DataFrame({"task_id": ["a"], "prompt": ["p"]}).write_parquet(tmp_path / "few.parquet")
    with pytest.raises(SchemaMismatchError, match="source"), store.writing() as w:
        w.insert_parquet("tasks", [tmp_path / "few.parquet"])
    bad = pl.DataFrame([_task("a")]).with_columns(
        pl.lit("{not json").alias("verifier_args"), pl.lit("{}").alias("metadata")
    )
    bad.write_parquet(tmp_path / "bad.parquet")
    with pytest.raises(StoreWriteError), store.writing() as w:
        w.insert_parquet("tasks", [tmp_path / "bad.parquet"])
    assert store.count("tasks") == 0


def test_writing_is_refused_read_only(db_path: Path) -> None:
    Store.connect(db_path).close()
    with Store.open(db_path, read_only=True) as s, pytest.raises(StoreReadOnlyError, match="read-only"), s.writing():
        pass


def test_nothing_outside_the_store_reaches_its_connection() -> None:
    """Callers write through `insert`/`delete`/`execute`/`writing()`: no module reaches past the store."""
    root = Path(__file__).resolve().parents[2]
    private = re.compile(r"\b(?:store|s|self\.store|self\._store)\.(?:_\w+|con)\b|\.con\.(?:execute|register)")
    offenders = []
    for folder in ("pipeline", "assets", "bench", "tests"):
        for path in sorted((root / folder).rglob("*.py")):
            if path == root / "pipeline" / "store.py" or path == Path(__file__).resolve():
                continue
            for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if private.search(line):
                    offenders.append(f"{path.relative_to(root)}:{no}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


# ------------------------------------------------------ store.released(): the file is shared during long waits
_OTHER_PROCESS_COUNT = """
import sys
from pipeline.store import Store
with Store.open(sys.argv[1], read_only=True, lock_timeout_s=0) as s:
    print(s.count("tasks"))
"""


def _count_from_another_process(db: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS_COUNT, str(db)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_released_store_lets_another_process_open_the_file(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.insert("tasks", pl.DataFrame([_task("a")]))
        held = _count_from_another_process(db_path)
        assert held.returncode == 1 and "in use by another thinkmill process" in held.stderr
        with s.released():
            assert not s.holds_file
            assert _count_from_another_process(db_path).stdout.strip() == "1"
            s.insert("tasks", pl.DataFrame([_task("b", "What is 2 + 2?")]))  # opens, commits, closes again
            with s.writing() as w:
                w.insert("tasks", pl.DataFrame([_task("c", "What is 3 + 3?")]))
            assert not s.holds_file
            assert _count_from_another_process(db_path).stdout.strip() == "3"
        assert s.count("tasks") == 3 and s.holds_file  # taken back at its first use after the block
    with Store.open(db_path) as s, pytest.raises(StoreError, match=r"inside store\.writing"), s.writing(), s.released():
        pass


_HOLD_FOR_2S = """
import sys, time
from pipeline.store import Store
with Store.open(sys.argv[1], lock_timeout_s=30) as s:
    print("HOLDING", flush=True)
    time.sleep(2)
"""


def test_inside_released_a_commit_waits_its_own_lock_timeout(db_path: Path) -> None:
    """A background stage's commit waits for a command that holds the file for a while, instead of failing."""
    root = Path(__file__).resolve().parents[2]
    with Store.open(db_path, lock_timeout_s=0.2) as s, s.released(lock_timeout_s=30):
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD_FOR_2S, str(db_path)],
            cwd=root,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
            stdout=subprocess.PIPE,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "HOLDING"
            assert s.insert("tasks", pl.DataFrame([_task("a")])) == 1
        finally:
            assert holder.wait(timeout=30) == 0
    with Store.open(db_path, read_only=True) as s:
        assert s.count("tasks") == 1


def _memory_limit(store: Store) -> str:
    row = store.fetchone("SELECT current_setting('memory_limit')")
    assert row is not None
    return str(row[0])


def test_memory_cap_lowers_duckdb_limit_for_a_block_never_raises_it_and_restores_it(store: Store) -> None:
    store.trim_memory()  # DuckDB shows its limit rounded ("18.8 GiB"): the first restore may round it once
    before = _memory_limit(store)
    with store.memory_cap(64 << 20):
        assert _memory_limit(store) == "64.0 MiB"
        with store.memory_cap(1 << 40):  # a larger cap inside leaves the lower one
            assert _memory_limit(store) == "64.0 MiB"
        store.trim_memory()  # and trimming inside the cap comes back to the cap
        assert _memory_limit(store) == "64.0 MiB"
        with store.writing() as w:  # writes work under the cap (DuckDB spills what does not fit)
            w.execute(
                "INSERT INTO tasks (task_id, source, domain, prompt, verifier, verifier_args, metadata) "
                "SELECT 't' || i, 's', 'math', repeat('x', 200) || i, 'math', '{}', '{}' FROM range(20000) r(i)"
            )
    assert store.count("tasks") == 20000
    with pytest.raises(RuntimeError), store.memory_cap(64 << 20):  # restored when the block fails too
        raise RuntimeError("boom")
    for _ in range(5):  # no drift: setting the shown text back used to lower the limit by 0.1 GiB each time
        store.trim_memory()
        with store.memory_cap(64 << 20):
            pass
    assert _memory_limit(store) == before
