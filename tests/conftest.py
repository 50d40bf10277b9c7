"""Shared fixtures: temporary databases and the bundled sample paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import SAMPLE_CONFIG, SAMPLE_DIR
from pipeline.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "thinkmill.duckdb"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as s:
        yield s


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def sample_config() -> Path:
    return SAMPLE_CONFIG
