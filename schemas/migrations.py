"""Ordered schema migrations.

A migration is a list of operations that refer to the contracts in `schemas.contracts`. Migration 1 creates
the tables as first defined; a later change to a contract adds a migration (for example `AddColumn`) rather
than editing an earlier one. A test checks that applying every migration to an empty database yields exactly
the tables and columns the contracts define, so the two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.contracts import TABLES, Table


@dataclass(frozen=True)
class CreateTable:
    table: Table

    def statements(self) -> list[str]:
        return [self.table.ddl(), *self.table.index_ddl()]


@dataclass(frozen=True)
class AddColumn:
    table: Table
    column: str

    def statements(self) -> list[str]:
        c = self.table.column(self.column)
        return [f"ALTER TABLE {self.table.name} ADD COLUMN IF NOT EXISTS {c.name} {c.duckdb_type}"]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    operations: tuple[CreateTable | AddColumn, ...]

    def statements(self) -> list[str]:
        return [s for op in self.operations for s in op.statements()]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial tables", tuple(CreateTable(t) for t in TABLES.values())),
)

LATEST_VERSION = MIGRATIONS[-1].version
