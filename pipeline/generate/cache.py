"""The response cache: which keys are done, and a writer that stores results as they arrive.

Results go to `generations` in small transactions (at most `batch_rows` rows or `interval_s` seconds of
results each), on a background thread so a fast server never waits on DuckDB. Before a result is buffered it is
appended to a journal segment beside the database (one JSON line, handed to the OS at once), and a segment is
deleted only after its rows are committed. A crash or SIGKILL therefore loses only the requests still in flight:
the next run replays the journal into `generations` before deciding what to send (a journalled success also
replaces a stored error row of its key), so a finished (paid-for) generation is never requested again.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
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


def pending(
    store: Store, requests: Iterable[GenerationRequest], *, retry_errors: bool = True
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


def journal_dir(store: Store) -> Path | None:
    """Where a store's unflushed generation rows are journalled (none for an in-memory database)."""
    if not store.path or str(store.path) == ":memory:":
        return None
    path = Path(store.path).expanduser().resolve()
    return path.parent / f".{path.name}.journal"


def _encode(row: dict[str, Any]) -> str:
    return json.dumps(
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}, ensure_ascii=False
    )


def read_journal(folder: Path) -> tuple[list[Path], dict[str, dict[str, Any]]]:
    """A journal folder's segments and its rows by key (the last line of a key wins; a torn line is skipped)."""
    segments = sorted(folder.glob("segment-*.jsonl"))
    rows: dict[str, dict[str, Any]] = {}
    for seg in segments:
        with seg.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("key"), str):
                    if isinstance(row.get("created_at"), str):
                        row["created_at"] = datetime.fromisoformat(row["created_at"])
                    rows[row["key"]] = row
    return segments, rows


def replay_journal(store: Store) -> int:
    """Store the rows a killed run journalled but never committed; returns how many were replayed.

    A journalled success replaces a stored error row of its key: a run re-sent that error (`retry_errors`) and
    was killed before the commit, and the success is what was paid for (kept, the error row would be sent and
    paid again, or with `retry_errors: false` kept for good). A journalled error never replaces a stored row.
    A torn last line (the kill hit mid-write) is skipped: its request was not finished from the journal's
    point of view and is simply sent again."""
    folder = journal_dir(store)
    if folder is None or not folder.is_dir():
        return 0
    segments, rows = read_journal(folder)
    stored = done_keys(store, include_errors=True) if rows else set()
    succeeded = done_keys(store) if rows else set()
    todo = [r for k, r in rows.items() if k not in stored or (r.get("error") is None and k not in succeeded)]
    if todo:
        store.insert(GENERATIONS, pl.DataFrame(todo, schema=table(GENERATIONS).polars_schema()), on_conflict="replace")
    for seg in segments:
        seg.unlink(missing_ok=True)
    return len(todo)


class ResultWriter:
    """Buffers generation rows and commits them in small transactions on one background thread.

    With `journal` (a folder), every row is first appended to the current journal segment; a segment is
    removed once its rows are committed (see the module docstring)."""

    def __init__(
        self, store: Store, *, batch_rows: int = 256, interval_s: float = 1.0, journal: Path | None = None
    ) -> None:
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
        self._journal = journal
        self._segment: Path | None = None
        self._segment_file: Any = None
        self._segment_no = 0
        if journal is not None:
            journal.mkdir(parents=True, exist_ok=True)
            self._segment_no = max((int(p.stem.split("-")[1]) for p in journal.glob("segment-*.jsonl")), default=0)

    def _journal_row(self, row: dict[str, Any]) -> None:
        if self._journal is None:
            return
        if self._segment_file is None:
            self._segment_no += 1
            self._segment = self._journal / f"segment-{self._segment_no:09d}.jsonl"
            self._segment_file = self._segment.open("a", encoding="utf-8")
        self._segment_file.write(_encode(row) + "\n")
        self._segment_file.flush()  # in the OS's hands: survives a kill of this process

    def add(self, row: dict[str, Any]) -> None:
        self._journal_row(row)
        self._buf.append(row)
        if len(self._buf) >= self.batch_rows or time.monotonic() - self._last >= self.interval_s:
            self.flush(wait=False)

    def flush(self, *, wait: bool = True) -> None:
        self._raise_failed()
        if self._buf:
            rows, self._buf = self._buf, []
            segment, self._segment = self._segment, None
            if self._segment_file is not None:
                self._segment_file.close()
                self._segment_file = None
            self._futures.append(self._pool.submit(self._write, rows, segment))
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
            if self._segment_file is not None:
                self._segment_file.close()
            if self._journal is not None and self._journal.is_dir() and not any(self._journal.iterdir()):
                self._journal.rmdir()

    def _write(self, rows: list[dict[str, Any]], segment: Path | None = None) -> int:
        frame = pl.DataFrame(rows, schema=self._schema)
        with self._lock:
            n = self.store.insert(GENERATIONS, frame, on_conflict="replace")
        if segment is not None:
            segment.unlink(missing_ok=True)  # committed: the journal copy is no longer needed
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
