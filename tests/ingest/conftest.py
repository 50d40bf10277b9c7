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
