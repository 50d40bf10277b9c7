"""The shard executor: shards through shared_dir, each committed once, a killed worker retried by Ray."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from ray import cloudpickle as ray_cloudpickle

from pipeline.executor.config import ExecutorConfig
from pipeline.executor.ledger import ShardDone, commit_shard, committed
from pipeline.executor.shards import ShardRun
from pipeline.executor.shared import SharedDir

# this module's work classes travel to the workers by value (the workers cannot import a test module)
ray_cloudpickle.register_pickle_by_value(sys.modules[__name__])


class Double:
    """Result shard: each key with its value doubled."""

    def __call__(self, tbl: pa.Table) -> pa.Table:
        df = pl.from_arrow(tbl)
        return df.with_columns(pl.col("value") * 2).to_arrow()


class DieOnceMidShard(Double):
    """On its first attempt at `victim`, records its pid and waits to be killed (the test kills the process)."""

    def __init__(self, marks: str, victim: str) -> None:
        self.marks, self.victim = Path(marks), victim

    def __call__(self, tbl: pa.Table) -> pa.Table:
        keys = tbl.column("key").to_pylist()
        with open(self.marks / "attempts.log", "a") as f:
            f.write(f"{keys[0]}\n")
        if keys[0] == self.victim and not (self.marks / "victim.pid").exists():
            (self.marks / "victim.pid.tmp").write_text(str(os.getpid()))
            (self.marks / "victim.pid.tmp").rename(self.marks / "victim.pid")
            time.sleep(120)  # killed long before this ends
        return super().__call__(tbl)


def _shards(run: ShardRun, n_shards: int, per: int) -> list[str]:
    keys = []
    for s in range(n_shards):
        k = [f"k{s:02d}-{i:02d}" for i in range(per)]
        run.add(k, pa.table({"key": k, "value": list(range(per))}))
        keys += k
    return keys


def _commit_all(store, run: ShardRun, done: list[ShardDone]) -> int:
    n = 0
    for d in done:
        res = pl.from_arrow(run.result(d.shard_id))
        rows = res.select(
            pl.col("key").alias("task_id"),
            (pl.col("key") + "-kept").alias("duplicate_of"),
            pl.lit("test").alias("reason"),
            pl.col("value").cast(pl.Float64).alias("score"),
        )
        n += commit_shard(store, run.run_id, "test", d, lambda w, rows=rows: w.insert("task_duplicates", rows))
    return n


@pytest.mark.parametrize("kind", ["local", "ray"])
def test_shards_round_trip_and_commit_once(kind: str, store, tmp_path: Path) -> None:
    run = ShardRun("test", f"run-{kind}", SharedDir(str(tmp_path / "shared")), ExecutorConfig(kind=kind))
    keys = _shards(run, 3, 4)
    done = list(run.map(Double()))
    assert sorted(d.shard_id for d in done) == sorted(run.shard_ids)
    assert _commit_all(store, run, done) == 3
    # the same results delivered again (a retried shard, a driver that handles a result twice) add nothing
    assert _commit_all(store, run, done) == 0
    got = store.query("SELECT task_id, score FROM task_duplicates ORDER BY task_id")
    assert got["task_id"].to_list() == keys
    assert got["score"].to_list() == [2.0 * (i % 4) for i in range(12)]
    assert committed(store, run.run_id).height == 3
    run.cleanup()
    assert not (tmp_path / "shared" / run.run_id).exists()


def test_killed_worker_is_retried_and_nothing_is_lost_or_committed_twice(store, tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    run = ShardRun("test", "run-kill", SharedDir(str(tmp_path / "shared")), ExecutorConfig(kind="ray"))
    keys = _shards(run, 4, 3)
    victim = "k02-00"
    killed: list[int] = []

    def killer() -> None:
        pid_file = marks / "victim.pid"
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_file.exists():
            pid = int(pid_file.read_text())
            os.kill(pid, signal.SIGKILL)  # a Ray worker process dies mid-shard
            killed.append(pid)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    done = list(run.map(DieOnceMidShard(str(marks), victim)))
    t.join(timeout=5)
    assert killed, "the victim shard never started"
    attempts = (marks / "attempts.log").read_text().split()
    assert attempts.count(victim) == 2  # the killed attempt and Ray's retry
    assert sorted(d.shard_id for d in done) == sorted(run.shard_ids)  # each shard delivered once
    assert _commit_all(store, run, done) == 4
    got = store.query("SELECT task_id FROM task_duplicates ORDER BY task_id")["task_id"].to_list()
    assert got == keys  # nothing lost, nothing twice
    assert committed(store, run.run_id)["rows_out"].to_list() == [3, 3, 3, 3]
