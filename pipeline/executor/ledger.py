"""The shard ledger: a shard's results and its `shard_ledger` row are written in one transaction.

So the driver commits a shard's results at most once: a second delivery of the same shard (a retried worker
whose first attempt also finished, a driver that handles a result twice) finds the row and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from pipeline.store import Store, Writer


@dataclass(frozen=True)
class ShardDone:
    """A shard a worker finished: its id, input rows, result rows and where the results are."""

    shard_id: str
    rows_in: int
    rows_out: int
    result_uri: str


def commit_shard(store: Store, run_id: str, stage: str, done: ShardDone, write: Callable[[Writer], None]) -> bool:
    """Run `write` and record the shard, in one transaction; False (and nothing written) when the shard of
    this run was committed before."""
    with store.writing() as w:
        seen = w.query("SELECT 1 FROM shard_ledger WHERE run_id = ? AND shard_id = ?", [run_id, done.shard_id])
        if seen.height:
            return False
        write(w)
        w.insert(
            "shard_ledger",
            pl.DataFrame(
                {
                    "run_id": [run_id],
                    "shard_id": [done.shard_id],
                    "stage": [stage],
                    "rows_in": [done.rows_in],
                    "rows_out": [done.rows_out],
                    "result_uri": [done.result_uri],
                }
            ),
        )
    return True


def committed(store: Store, run_id: str) -> pl.DataFrame:
    """The ledger rows of one run."""
    return store.query("SELECT * FROM shard_ledger WHERE run_id = ? ORDER BY shard_id", [run_id])
