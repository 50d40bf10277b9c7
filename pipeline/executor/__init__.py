"""Executors: run a stage's heavy work here (`local`) or on a Ray cluster (`ray`), with the same results.

The stages keep one entry (`run`); a Ray-aware stage dispatches at that entry (`is_ray`) to its module here
(`pipeline.executor.verify`, `pipeline.executor.dedup`). Ray itself is an optional extra (`thinkmill[ray]`) and is
imported only when a Ray executor is used. DuckDB stays the one writer and the catalog of record: workers exchange
Parquet shards through `shared_dir`, the driver commits (`pipeline.executor.ledger`).

Dedup is reached from several stages (ingest, select, `thinkmill dedup`) through `cluster_texts`; rather than
thread an executor through each call chain, the stage entry makes one active for its duration (`using`) and the
engine asks `active()` at its own entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pipeline.executor.config import ExecutorConfig

__all__ = ["ExecutorConfig", "active", "is_ray", "using"]

_ACTIVE: ContextVar[ExecutorConfig | None] = ContextVar("thinkmill_executor", default=None)


def is_ray(cfg: ExecutorConfig | None) -> bool:
    return cfg is not None and cfg.kind == "ray"


def active() -> ExecutorConfig | None:
    """The Ray executor made active by the running stage (`using`), else None (run locally)."""
    cfg = _ACTIVE.get()
    return cfg if is_ray(cfg) else None


@contextmanager
def using(cfg: ExecutorConfig | None) -> Iterator[None]:
    """Make `cfg` the executor of the code inside the block (the dedup engine asks `active()`)."""
    token = _ACTIVE.set(cfg)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
