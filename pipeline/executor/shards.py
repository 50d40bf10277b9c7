"""One run of a stage's work over Parquet shards: the driver writes input shards into `shared_dir`, each shard is
turned into a result shard by a `ShardWork` (here, or on a Ray worker through Ray Data `map_batches`), and the
driver reads each result as it arrives and commits it (`pipeline.executor.ledger`).

A worker that dies mid-shard (killed, out of memory, node lost) fails its Ray task; Ray Data runs the task again
on another worker (its default for system failures: retried until it completes), and the retry writes the same
result shard. An exception raised by the work itself is not retried (it would fail the same way): the run stops
with it, and the shards committed so far stay committed. Nothing is committed by a
worker, so a dead worker leaves nothing half-written in DuckDB; the driver commits each shard once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from pipeline.executor.config import ExecutorConfig
from pipeline.executor.ledger import ShardDone
from pipeline.executor.shared import SharedDir

# A picklable callable (a module-level class or function): one input shard in, one result shard out.
ShardWork = Callable[[pa.Table], pa.Table]


def shard_id_of(index: int, keys: Sequence[str]) -> str:
    """A shard's id: its index (for ordering) and a hash of its keys (a shard is recognisable by content)."""
    digest = hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:12]
    return f"{index:06d}-{digest}"


def _run_one(work: ShardWork, run_dir: SharedDir, shard_id: str) -> ShardDone:
    tbl = run_dir.read(f"in/{shard_id}.parquet")
    out = work(tbl)
    uri = run_dir.write(f"out/{shard_id}.parquet", out)
    return ShardDone(shard_id, tbl.num_rows, out.num_rows, uri)


def _ray_batch(batch: dict[str, Any], *, work: ShardWork, run_dir: SharedDir) -> dict[str, list]:
    """Ray Data `map_batches` function: a batch is one row per shard (batch_size=1)."""
    done = [_run_one(work, run_dir, str(sid)) for sid in batch["shard_id"]]
    return {
        "shard_id": [d.shard_id for d in done],
        "rows_in": [d.rows_in for d in done],
        "rows_out": [d.rows_out for d in done],
        "result_uri": [d.result_uri for d in done],
    }


@dataclass
class ShardRun:
    """The shards of one stage run under `<shared_dir>/<run_id>/` (`in/` from the driver, `out/` from workers)."""

    stage: str
    run_id: str
    shared: SharedDir
    cfg: ExecutorConfig

    def __post_init__(self) -> None:
        self.dir = self.shared.child(self.run_id)
        self.shard_ids: list[str] = []

    def add(self, keys: Sequence[str], tbl: pa.Table) -> str:
        """Write one input shard (its rows identified by `keys`); returns its id."""
        sid = shard_id_of(len(self.shard_ids), keys)
        self.dir.write(f"in/{sid}.parquet", tbl)
        self.shard_ids.append(sid)
        return sid

    def input(self, shard_id: str) -> pa.Table:
        return self.dir.read(f"in/{shard_id}.parquet")

    def result(self, shard_id: str) -> pa.Table:
        return self.dir.read(f"out/{shard_id}.parquet")

    def map(self, work: ShardWork) -> Iterator[ShardDone]:
        """Run `work` over every shard; yields each finished shard as it arrives (any order)."""
        if not self.shard_ids:
            return
        if self.cfg.kind == "local":
            for sid in self.shard_ids:
                yield _run_one(work, self.dir, sid)
            return
        yield from self._map_on_ray(work)

    def _map_on_ray(self, work: ShardWork) -> Iterator[ShardDone]:
        from pipeline.executor.runtime import import_ray, worker_error

        ray = import_ray()
        # a worker's exception reaches the driver as itself (`worker_error`), not as Ray Data's UserCodeException
        ray.data.DataContext.get_current().raise_original_map_exception = True
        ds = ray.data.from_items(
            [{"shard_id": sid} for sid in self.shard_ids], override_num_blocks=len(self.shard_ids)
        ).map_batches(
            _ray_batch,
            fn_kwargs={"work": work, "run_dir": self.dir},
            batch_size=1,
            num_cpus=self.cfg.num_cpus,
            num_gpus=self.cfg.num_gpus or None,
        )
        try:
            for row in ds.iter_rows():
                yield ShardDone(str(row["shard_id"]), int(row["rows_in"]), int(row["rows_out"]), str(row["result_uri"]))
        except Exception as exc:  # the project's own error on a worker ends the run as on the driver
            if (own := worker_error(exc)) is not None:
                raise own from None
            raise

    def cleanup(self) -> None:
        if not self.cfg.keep_shards:
            self.dir.remove()
