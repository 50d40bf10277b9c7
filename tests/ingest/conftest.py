from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "t.duckdb") as s:
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
