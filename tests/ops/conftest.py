"""Fixtures of the ops tests: a tmp database and the stand-in stage assets (tests/ops/ops_standin.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ops.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as s:
        yield s
