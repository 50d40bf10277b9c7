"""Ordered schema migrations.

A migration is a list of operations that refer to the contracts in `schemas.contracts`. Migration 1 creates
the tables as first defined; a later change to a contract adds a migration (for example `AddColumn`) rather
than editing an earlier one. A test checks that applying every migration to an empty database yields exactly
the tables and columns the contracts define, so the two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from schemas.contracts import TABLES, VERDICT, VERIFIER_DISAGREEMENT, Table

# Tables and columns added by a later migration (migration 1 keeps creating exactly what it first created).
_ADDED_LATER = {VERIFIER_DISAGREEMENT.name}
_COLUMNS_ADDED_LATER = {(VERDICT.name, "audit_check")}


def _as_first_defined(t: Table) -> Table:
    cols = tuple(c for c in t.columns if (t.name, c.name) not in _COLUMNS_ADDED_LATER)
    return t if len(cols) == len(t.columns) else replace(t, columns=cols)


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
    Migration(1, "initial tables", tuple(CreateTable(_as_first_defined(t)) for t in TABLES.values()
                                         if t.name not in _ADDED_LATER)),
    Migration(2, "verifier audit: verifier_disagreements, verdicts.audit_check",
              (CreateTable(VERIFIER_DISAGREEMENT), AddColumn(VERDICT, "audit_check"))),
)

LATEST_VERSION = MIGRATIONS[-1].version
