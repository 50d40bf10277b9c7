"""Fixture data for the dataset stage: tasks, generations, verdicts, selections written straight to a tmp DB."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ThinkmillConfig
from testing_support.db_templates import seeded_db
from testing_support.seed import DOMAINS, LICENSES, cfg_with, populate  # noqa: F401 (re-exported for the tests)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """`populate(store)` in a fresh database: built once per session, copied per test (testing_support.db_templates)."""
    return seeded_db(tmp_path / "tm.duckdb", "populate", populate)


@pytest.fixture
def cfg(tmp_path: Path) -> ThinkmillConfig:
    c = ThinkmillConfig()
    c.base_dir = tmp_path
    c.publish.card_dir = str(tmp_path / "cards")
    return c
