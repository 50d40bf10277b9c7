"""Executors: run a stage's heavy work here (`local`) or on a Ray cluster (`ray`), with the same results.

The stages keep one entry (`run`); a Ray-aware stage dispatches at that entry (`is_ray`) to its module here
(`pipeline.executor.verify`, `pipeline.executor.dedup`). Ray itself is an optional extra (`thinkmill[ray]`) and is
imported only when a Ray executor is used. DuckDB stays the one writer and the catalog of record: workers exchange
Parquet shards through `shared_dir`, the driver commits (`pipeline.executor.ledger`).

Dedup is reached from several stages (ingest, select, `thinkmill dedup`) through `cluster_texts`; rather than
thread an executor through each call chain, the stage entry makes one active for its duration (`using`) and the
engine asks `active()` at its own entry; what the Ray work did (cluster address, shard counts) is collected in the
dict `using` yields, for the stage's report and the asset metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pipeline.executor.config import ExecutorConfig

__all__ = ["ExecutorConfig", "active", "is_ray", "record", "using"]

_ACTIVE: ContextVar[ExecutorConfig | None] = ContextVar("thinkmill_executor", default=None)
_STATS: ContextVar[dict[str, Any] | None] = ContextVar("thinkmill_executor_stats", default=None)


def is_ray(cfg: ExecutorConfig | None) -> bool:
    return cfg is not None and cfg.kind == "ray"


def active() -> ExecutorConfig | None:
    """The Ray executor made active by the running stage (`using`), else None (run locally)."""
    cfg = _ACTIVE.get()
    return cfg if is_ray(cfg) else None


@contextmanager
def using(cfg: ExecutorConfig | None) -> Iterator[dict[str, Any]]:
    """Make `cfg` the executor of the code inside the block (the dedup engine asks `active()`); yields the
    executor's numbers for the block (empty unless Ray ran something: `ray_address`, `shards`, `runs`)."""
    stats: dict[str, Any] = {}
    token, stats_token = _ACTIVE.set(cfg), _STATS.set(stats)
    try:
        yield stats
    finally:
        _ACTIVE.reset(token)
        _STATS.reset(stats_token)


def record(address: str, shards: int, seconds: dict[str, float] | None = None) -> None:
    """Count one Ray run of `shards` shards on the cluster at `address` (and its seconds per phase) into the
    active block's numbers."""
    stats = _STATS.get()
    if stats is not None:
        stats["executor"] = "ray"
        stats["ray_address"] = address
        stats["runs"] = stats.get("runs", 0) + 1
        stats["shards"] = stats.get("shards", 0) + shards
        phases = stats.setdefault("seconds_by_phase", {})
        for phase, s in (seconds or {}).items():
            phases[phase] = round(phases.get(phase, 0.0) + s, 3)
