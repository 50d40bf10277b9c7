"""Migrations: migration 1 is frozen as first shipped, and an old database migrates with its rows kept."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

import pipeline.store as store_module
import schemas.contracts as contracts
from pipeline.store import Store
from schemas import MIGRATIONS
from schemas.migrations import AddColumn, Migration

# What `thinkmill` 0.1 created (commit 72935df): a copy kept by the tests, as the databases out there hold it.
FIRST_SHIPPED = (Path(__file__).parent / "fixtures" / "schema_v1_first_shipped.sql").read_text(encoding="utf-8")
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def _old_database(path: Path) -> None:
    """A database made by thinkmill 0.1 (schema version 1), with a row in the tables later stages read."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ)"
    )
    for stmt in _statements(FIRST_SHIPPED):
        con.execute(stmt)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'initial tables', ?)", [NOW])
    con.execute(
        "INSERT INTO tasks (task_id, source, domain, prompt, answer, verifier, verifier_args, metadata, "
        "created_at) VALUES ('t1', 's', 'math', 'What is 2 + 2?', '4', 'math', '{}', '{}', ?)",
        [NOW],
    )
    con.execute(
        "INSERT INTO generations (key, task_id, mode, sample_index, backend, model, template_version, "
        "messages, sampling_params, raw_text, answer, created_at) VALUES ('k1', 't1', 'no_think', 0, "
        "'openai', 'm', 'v1', '[]', '{}', '4', '4', ?)",
        [NOW],
    )
    con.execute(
        "INSERT INTO dataset_versions (version_id, content_hash, created_at, config, counts) "
        "VALUES ('v1', 'h', ?, '{}', '{}')",
        [NOW],
    )
    con.close()


def _schema(store: Store) -> dict[str, list[tuple[str, str, bool]]]:
    rows = store.fetchall(
        "SELECT table_name, column_name, data_type, is_nullable = 'YES' FROM "
        "information_schema.columns WHERE table_name <> 'schema_migrations' "
        "ORDER BY table_name, ordinal_position"
    )
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for name, col, dtype, nullable in rows:
        out.setdefault(name, []).append((col, dtype, nullable))
    return out


def _contract_schema() -> dict[str, list[tuple[str, str, bool]]]:
    return {
        t.name: [
            (c.name, c.duckdb_type.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"), c.nullable) for c in t.columns
        ]
        for t in sorted(contracts.TABLES.values(), key=lambda t: t.name)
    }


def test_migration_1_is_the_first_shipped_schema() -> None:
    assert MIGRATIONS[0].version == 1
    assert MIGRATIONS[0].statements() == _statements(FIRST_SHIPPED)


def test_migration_1_does_not_follow_a_later_contract_edit() -> None:
    """Editing a contract must not change what migration 1 does: old databases are already past it."""
    before = MIGRATIONS[0].statements()
    tasks = contracts.TABLES["tasks"]
    original = tasks.columns
    object.__setattr__(tasks, "columns", (*original, contracts.Column("added_later", "text")))
    try:
        assert MIGRATIONS[0].statements() == before
    finally:
        object.__setattr__(tasks, "columns", original)


def test_an_empty_database_gets_exactly_the_contracts(db_path: Path) -> None:
    with Store.open(db_path) as s:
        assert _schema(s) == _contract_schema()


def test_an_old_database_migrates_to_the_current_schema_with_its_rows(db_path: Path) -> None:
    _old_database(db_path)
    with Store.open(db_path) as s:
        assert s.schema_version() == MIGRATIONS[-1].version
        assert _schema(s) == _contract_schema()
        assert s.read("tasks")["task_id"].to_list() == ["t1"]
        assert s.read("generations")["key"].to_list() == ["k1"]
        assert s.read("dataset_versions")["version_id"].to_list() == ["v1"]


def test_a_later_contract_change_ships_as_a_migration(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The path a contract change takes: a new column in the contract plus an AddColumn migration."""
    _old_database(db_path)
    tasks = contracts.TABLES["tasks"]
    later = dataclasses.replace(tasks, columns=(*tasks.columns, contracts.Column("difficulty", "float")))
    monkeypatch.setitem(contracts.TABLES, "tasks", later)
    migrations = (
        *MIGRATIONS,
        Migration(MIGRATIONS[-1].version + 1, "tasks.difficulty", (AddColumn(later, "difficulty"),)),
    )
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "LATEST_VERSION", migrations[-1].version)
    with Store.open(db_path) as s:
        assert s.schema_version() == migrations[-1].version
        assert _schema(s) == _contract_schema()
        kept = s.read("tasks")
        assert kept["task_id"].to_list() == ["t1"] and kept["difficulty"].to_list() == [None]


def test_a_database_of_schema_7_migrates_to_retired_tasks_with_its_rows(db_path: Path) -> None:
    """Migration 8 adds `retired_tasks` (`thinkmill tasks retire`) to a database made before it: no task is retired,
    every row stays."""
    _old_database(db_path)
    with Store.open(db_path, migrate=False) as s:
        before_8 = [m for m in MIGRATIONS if m.version <= 7]
        for m in before_8[1:]:
            with s.writing() as w:
                for stmt in m.statements():
                    w.execute(stmt)
                w.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [m.version, m.description, NOW])
        assert s.schema_version() == 7
        assert "retired_tasks" not in _schema(s)
    with Store.open(db_path) as s:
        assert s.schema_version() == MIGRATIONS[-1].version >= 8
        assert _schema(s) == _contract_schema()
        assert s.count("retired_tasks") == 0
        assert s.read("tasks")["task_id"].to_list() == ["t1"]
        assert s.read("generations")["key"].to_list() == ["k1"]
