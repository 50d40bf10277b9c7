"""Fixture data for the dataset stage: tasks, generations, verdicts, selections written straight to a tmp DB."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ThinkmillConfig
from pipeline.store import Store
from testing_support.seed import DOMAINS, LICENSES, cfg_with, populate  # noqa: F401 (re-exported for the tests)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tm.duckdb"
    with Store.open(path) as store:
        populate(store)
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> ThinkmillConfig:
    c = ThinkmillConfig()
    c.base_dir = tmp_path
    c.publish.card_dir = str(tmp_path / "cards")
    return c
