"""Ordered schema migrations.

Migration 1 is the schema as first shipped (thinkmill 0.1, commit 72935df), frozen as SQL text: databases out
there were made by exactly these statements, so they never change, whatever the contracts in
`schemas.contracts` say today. A later change to a contract adds a migration (for example `AddColumn`, which
takes the column's type from the contract) rather than editing an earlier one. Tests check that applying every
migration to an empty database yields exactly the tables, columns and NOT NULLs the contracts define, and that a
database made by migration 1 migrates to the current schema with its rows kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.contracts import (
    ADAPTIVE_DECISION,
    GENERATE_RUN,
    INGEST_FILES,
    JUDGE_REQUEST,
    RETIRED_TASK,
    SHARD_LEDGER,
    TASK,
    VERDICT,
    VERIFIER_DISAGREEMENT,
    Table,
)


@dataclass(frozen=True)
class FrozenSQL:
    """Statements kept as the text that shipped (`;`-separated)."""

    sql: str

    def statements(self) -> list[str]:
        return [s.strip() for s in self.sql.split(";") if s.strip()]


@dataclass(frozen=True)
class CreateTable:
    """A new table as its contract defines it when the migration is written. Once shipped, freeze the
    migration as `FrozenSQL` (the contract may change later; the migration must not)."""

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
    operations: tuple[FrozenSQL | CreateTable | AddColumn, ...]

    def statements(self) -> list[str]:
        return [s for op in self.operations for s in op.statements()]


# The eleven tables of thinkmill 0.1, as `Table.ddl()` wrote them at commit 72935df. Never edit.
INITIAL_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    prompt VARCHAR NOT NULL,
    answer VARCHAR,
    verifier VARCHAR NOT NULL,
    verifier_args JSON NOT NULL,
    license VARCHAR,
    metadata JSON NOT NULL,
    source_file VARCHAR,
    source_row BIGINT,
    prompt_hash VARCHAR,
    ingest_batch VARCHAR,
    created_at TIMESTAMPTZ,
    PRIMARY KEY (task_id)
);

CREATE INDEX IF NOT EXISTS idx_tasks_ingest_batch ON tasks (ingest_batch);

CREATE TABLE IF NOT EXISTS quarantine (
    source VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    raw VARCHAR,
    ingest_batch VARCHAR,
    created_at TIMESTAMPTZ,
    PRIMARY KEY (source_file, source_row)
);

CREATE TABLE IF NOT EXISTS ingest_files (
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    size_bytes BIGINT,
    rows_read BIGINT,
    ingested BIGINT,
    quarantined BIGINT,
    duplicate BIGINT,
    ingest_batch VARCHAR,
    created_at TIMESTAMPTZ,
    PRIMARY KEY (path, content_hash)
);

CREATE TABLE IF NOT EXISTS task_duplicates (
    task_id VARCHAR NOT NULL,
    duplicate_of VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    score DOUBLE,
    source VARCHAR,
    source_file VARCHAR,
    source_row BIGINT,
    prompt VARCHAR,
    ingest_batch VARCHAR,
    created_at TIMESTAMPTZ,
    PRIMARY KEY (task_id)
);

CREATE TABLE IF NOT EXISTS contamination (
    task_id VARCHAR NOT NULL,
    benchmark VARCHAR NOT NULL,
    benchmark_item VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    score DOUBLE,
    created_at TIMESTAMPTZ,
    PRIMARY KEY (task_id, benchmark, benchmark_item, method)
);

CREATE TABLE IF NOT EXISTS generations (
    key VARCHAR NOT NULL,
    task_id VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    sample_index BIGINT NOT NULL,
    backend VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    model_revision VARCHAR,
    endpoint VARCHAR,
    template_version VARCHAR NOT NULL,
    messages JSON NOT NULL,
    sampling_params JSON NOT NULL,
    seed BIGINT,
    raw_text VARCHAR,
    think VARCHAR,
    answer VARCHAR,
    parse_flags VARCHAR[],
    finish_reason VARCHAR,
    prompt_tokens BIGINT,
    completion_tokens BIGINT,
    latency_s DOUBLE,
    error VARCHAR,
    retries BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key)
);

CREATE INDEX IF NOT EXISTS idx_generations_task_id ON generations (task_id);

CREATE TABLE IF NOT EXISTS verdicts (
    generation_key VARCHAR NOT NULL,
    task_id VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    verifier VARCHAR NOT NULL,
    passed BOOLEAN NOT NULL,
    reason VARCHAR,
    score DOUBLE,
    lint_flags VARCHAR[],
    think_tokens BIGINT,
    answer_tokens BIGINT,
    verifier_version VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (generation_key)
);

CREATE INDEX IF NOT EXISTS idx_verdicts_task_id ON verdicts (task_id);

CREATE TABLE IF NOT EXISTS trace_selection (
    generation_key VARCHAR NOT NULL,
    task_id VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    selected BOOLEAN NOT NULL,
    reason VARCHAR,
    cluster_id VARCHAR,
    tokens BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (generation_key)
);

CREATE TABLE IF NOT EXISTS dataset_versions (
    version_id VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    parent VARCHAR,
    created_at TIMESTAMPTZ NOT NULL,
    code_version VARCHAR,
    config JSON NOT NULL,
    counts JSON NOT NULL,
    token_totals JSON,
    stats JSON,
    notes VARCHAR,
    PRIMARY KEY (version_id)
);

CREATE TABLE IF NOT EXISTS dataset_rows (
    version_id VARCHAR NOT NULL,
    example_id VARCHAR NOT NULL,
    split VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    messages JSON NOT NULL,
    task_id VARCHAR NOT NULL,
    generation_key VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    source VARCHAR,
    license VARCHAR,
    think_tokens BIGINT,
    answer_tokens BIGINT,
    PRIMARY KEY (version_id, example_id)
);

CREATE INDEX IF NOT EXISTS idx_dataset_rows_version_id ON dataset_rows (version_id);

CREATE TABLE IF NOT EXISTS publications (
    version_id VARCHAR NOT NULL,
    repo VARCHAR NOT NULL,
    revision VARCHAR,
    tag VARCHAR,
    files JSON,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (version_id, repo)
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial tables", (FrozenSQL(INITIAL_TABLES_SQL),)),
    Migration(
        2,
        "verifier audit: verifier_disagreements, verdicts.audit_check",
        (CreateTable(VERIFIER_DISAGREEMENT), AddColumn(VERDICT, "audit_check")),
    ),
    Migration(
        3,
        "adaptive sampling and cost accounting: adaptive_decisions, generate_runs",
        (CreateTable(ADAPTIVE_DECISION), CreateTable(GENERATE_RUN)),
    ),
    Migration(
        4,
        "llm judge: judge_requests, verdicts.details",
        (CreateTable(JUDGE_REQUEST), AddColumn(VERDICT, "details")),
    ),
    Migration(5, "executor: shard_ledger (each shard of a Ray run committed once)", (CreateTable(SHARD_LEDGER),)),
    Migration(6, "a task's own system prompt: tasks.system", (AddColumn(TASK, "system"),)),
    Migration(
        7,
        "ingest: ingest_files.settings_hash (a file is read again when the settings it is read with change)",
        (AddColumn(INGEST_FILES, "settings_hash"),),
    ),
    Migration(
        8,
        "retired tasks: retired_tasks (tasks the user took out of generation, selection and new versions)",
        (CreateTable(RETIRED_TASK),),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
