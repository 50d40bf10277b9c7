"""Fixtures of the ops tests: real `curate` runs on the small scenario of ops_scenario.py, shared per session.

A run takes seconds, so each scenario runs once; tests that seed a defect work on a copy of its database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ops_scenario import Run, run_curate, write_scenario

from pipeline.store import Store
from testing_support.db_templates import copy_db, migrated_db
from testing_support.hub_stub import HubStub

HF_TOKEN = "hf_opsTESTtoken"


@pytest.fixture(scope="session")
def hub() -> Iterator[HubStub]:
    """A loopback Hub the scenarios publish to (`HF_TOKEN` set for the session)."""
    with pytest.MonkeyPatch.context() as mp, HubStub() as h:
        mp.setenv("HF_TOKEN", HF_TOKEN)
        yield h


@pytest.fixture(scope="session")
def scenario_run(tmp_path_factory: pytest.TempPathFactory, hub: HubStub) -> Callable[..., Run]:
    """`scenario_run(*input_defects)`: the real curate job on the scenario's files, run once per defect set."""
    runs: dict[tuple[str, ...], Run] = {}

    def get(*defects: str) -> Run:
        key = tuple(sorted(defects))
        if key not in runs:
            root = tmp_path_factory.mktemp("scenario_" + ("_".join(key) or "clean"))
            repo = f"acme/{root.name}"  # one Hub repo per scenario: each publishes its own v1
            config = write_scenario(root, key, hub_url=hub.url, repo=repo)
            db = root / "ops.duckdb"
            runs[key] = Run(db, config, run_curate(db, config), repo)
        return runs[key]

    return get


@pytest.fixture(scope="session")
def clean_run(scenario_run: Callable[..., Run]) -> Run:
    return scenario_run()


@pytest.fixture
def clean_db(clean_run: Run, tmp_path: Path) -> Path:
    """A private copy of the clean run's database, to seed defects into."""
    return copy_db(clean_run.db, tmp_path / "ops.duckdb")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ops.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An empty, migrated database (for checks on hand-written rows; a copy of one built once per session)."""
    with Store.open(migrated_db(db_path)) as s:
        yield s
