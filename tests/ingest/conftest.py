from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.store import Store
from testing_support.db_templates import scratch_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated database (a copy of one built once per session: testing_support.db_templates)."""
    with scratch_store(tmp_path / "t.duckdb") as s:
        yield s


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, rows: list[Any]) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        with p.open("wb") as fh:
            for r in rows:
                fh.write(r if isinstance(r, bytes) else (r if isinstance(r, str) else json.dumps(r)).encode())
                fh.write(b"\n")
        return p

    return write


@pytest.fixture
def ingest_prompts(store: Store, write_jsonl: Callable[..., Path]) -> Callable[..., tuple[list[str], list[Any]]]:
    """Ingest prompts as plain rows with one answer, under the plain layout's own column names (`column`, `answer`: the
    bulk path) or under other names mapped to them (`mapped`: the per-row path). Returns the stored prompts, sorted,
    and the quarantine's (reason, detail) rows."""

    def run(
        prompts: list[str], *, mapped: bool, answer: str = "7", column: str = "question"
    ) -> tuple[list[str], list[Any]]:
        rows = [{"q": p, "a": answer} if mapped else {column: p, "answer": answer} for p in prompts]
        mapping = {"prompt": "q", "answer": "a"} if mapped else None
        ingest_paths(store, [write_jsonl("prompts.jsonl", rows)], mapping=mapping)
        kept = sorted(store.read("tasks")["prompt"].to_list())
        return kept, store.read("quarantine").select("reason", "detail").rows()

    return run


@pytest.fixture
def per_row_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows staging hands to the per-row normaliser (`normalize_record`), which the bulk path exists to
    avoid; the test's staging runs with the counter in place."""
    from pipeline.ingest import stage as stage_mod

    calls: list[int] = []
    original = stage_mod.normalize_record

    def counting(*a: Any, **k: Any) -> Any:
        calls.append(1)
        return original(*a, **k)

    monkeypatch.setattr(stage_mod, "normalize_record", counting)
    return calls
