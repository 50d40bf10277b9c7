"""The response cache: which keys are done, and a writer that stores results as they arrive.

Results go to `generations` in small transactions (at most `batch_rows` rows or `interval_s` seconds of
results each), on a background thread so a fast server never waits on DuckDB. A crash or kill loses only the
requests in flight and the last unflushed batch; a rerun sends exactly the missing keys.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import polars as pl

from pipeline.generate.request import GenerationRequest
from pipeline.store import Store
from schemas import table

GENERATIONS = "generations"


def done_keys(store: Store, *, include_errors: bool = False) -> set[str]:
    """Keys whose result is stored (errors count as done only when `include_errors`)."""
    where = None if include_errors else "error IS NULL"
    return set(store.read(GENERATIONS, columns=["key"], where=where).get_column("key").to_list())


def pending(store: Store, requests: Iterable[GenerationRequest], *, retry_errors: bool = True
            ) -> tuple[list[GenerationRequest], int]:
    """(requests still to send, how many were already cached). Duplicate keys are sent once."""
    done = done_keys(store, include_errors=not retry_errors)
    todo: list[GenerationRequest] = []
    seen: set[str] = set()
    cached = 0
    for req in requests:
        if req.key in done:
            cached += 1
        elif req.key not in seen:
            seen.add(req.key)
            todo.append(req)
    return todo, cached


class ResultWriter:
    """Buffers generation rows and commits them in small transactions on one background thread."""

    def __init__(self, store: Store, *, batch_rows: int = 256, interval_s: float = 1.0) -> None:
        self.store = store
        self.batch_rows = batch_rows
        self.interval_s = interval_s
        self.written = 0
        self._buf: list[dict[str, Any]] = []
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thinkmill-writer")
        self._futures: list[Future[int]] = []
        self._schema = table(GENERATIONS).polars_schema()

    def add(self, row: dict[str, Any]) -> None:
        self._buf.append(row)
        if len(self._buf) >= self.batch_rows or time.monotonic() - self._last >= self.interval_s:
            self.flush(wait=False)

    def flush(self, *, wait: bool = True) -> None:
        self._raise_failed()
        if self._buf:
            rows, self._buf = self._buf, []
            self._futures.append(self._pool.submit(self._write, rows))
        self._last = time.monotonic()
        if wait:
            for fut in self._futures:
                fut.result()
            self._futures.clear()

    def close(self) -> None:
        try:
            self.flush(wait=True)
        finally:
            self._pool.shutdown(wait=True)

    def _write(self, rows: list[dict[str, Any]]) -> int:
        frame = pl.DataFrame(rows, schema=self._schema)
        with self._lock:
            n = self.store.insert(GENERATIONS, frame, on_conflict="replace")
        self.written += n
        return n

    def _raise_failed(self) -> None:
        still = []
        for fut in self._futures:
            if fut.done():
                fut.result()  # re-raises a failed write
            else:
                still.append(fut)
        self._futures = still

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
