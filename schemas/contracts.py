"""The data contracts: every table thinkmill writes, defined once.

DuckDB DDL (`Table.ddl`), polars schemas (`Table.polars_schema`) and the JSON Schema files shipped
for downstream users (`Table.json_schema`, written by `thinkmill schemas export`) all derive from the
definitions below. Nothing else in the project spells a table's column list by hand.

Logical column types:
    text, int, float, bool  - scalars
    json                    - a JSON value, stored as DuckDB JSON and carried as a JSON string in polars
    timestamp               - UTC timestamp
    text[]                  - list of strings
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

_DUCKDB_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "json": "JSON",
    "timestamp": "TIMESTAMPTZ",
    "text[]": "VARCHAR[]",
}

_POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "json": pl.String(),
    "timestamp": pl.Datetime("us", "UTC"),
    "text[]": pl.List(pl.String()),
}

_JSON_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "json": {},
    "timestamp": {"type": "string", "format": "date-time"},
    "text[]": {"type": "array", "items": {"type": "string"}},
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = True
    description: str = ""
    json_shape: dict[str, Any] | None = None  # JSON Schema for a json column's value, when known

    def __post_init__(self) -> None:
        if self.type not in _DUCKDB_TYPES:
            raise ValueError(f"column {self.name!r}: unknown logical type {self.type!r}")

    @property
    def duckdb_type(self) -> str:
        return _DUCKDB_TYPES[self.type]

    @property
    def polars_type(self) -> pl.DataType:
        return _POLARS_TYPES[self.type]

    def json_schema(self) -> dict[str, Any]:
        schema = dict(self.json_shape) if self.json_shape else dict(_JSON_TYPES[self.type])
        if self.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]} if schema else {}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(names) != len(set(names)):
            raise ValueError(f"table {self.name!r}: duplicate column names")
        missing = set(self.primary_key) - set(names)
        if missing:
            raise ValueError(f"table {self.name!r}: primary key names unknown columns {sorted(missing)}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def json_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.type == "json"]

    def ddl(self) -> str:
        lines = []
        for c in self.columns:
            null = "" if c.nullable else " NOT NULL"
            lines.append(f"    {c.name} {c.duckdb_type}{null}")
        if self.primary_key:
            lines.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        body = ",\n".join(lines)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n{body}\n)"

    def index_ddl(self) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS idx_{self.name}_{'_'.join(cols)} ON {self.name} ({', '.join(cols)})"
            for cols in self.indexes
        ]

    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.polars_type for c in self.columns}

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def json_schema(self) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://thinkmill.dev/schemas/{self.name}.json",
            "title": self.name,
            "description": self.description,
            "type": "object",
            "properties": {c.name: c.json_schema() for c in self.columns},
            "required": [c.name for c in self.columns if not c.nullable],
            "additionalProperties": False,
        }


def _c(name: str, type_: str, description: str, *, nullable: bool = True, **kw: Any) -> Column:
    return Column(name, type_, nullable, description, **kw)


TASK = Table(
    name="tasks",
    description="A normalised task: one prompt with its reference answer and the verifier that checks it.",
    columns=(
        _c(
            "task_id",
            "text",
            "Stable id: the source's id if given, else a hash of source + normalised prompt.",
            nullable=False,
        ),
        _c("source", "text", "Name of the source the task came from (config `sources[].name`).", nullable=False),
        _c("domain", "text", "Task domain: math, code, science_mcq, instruction_following, ...", nullable=False),
        _c(
            "prompt",
            "text",
            "The user prompt as given by the source; an MCQ's options are appended as `A. text` "
            "lines when the source prompt does not list them.",
            nullable=False,
        ),
        _c("answer", "text", "Reference answer as text (null where the verifier needs none, e.g. code tests)."),
        _c(
            "verifier",
            "text",
            "Name of the verifier in the registry (math, mcq, code, ifeval, exact, ...).",
            nullable=False,
        ),
        _c(
            "verifier_args",
            "json",
            "Arguments for the verifier (tests, choices, constraints, ...).",
            nullable=False,
            json_shape={"type": "object"},
        ),
        _c("license", "text", "Licence of the source row (SPDX id where known)."),
        _c(
            "metadata",
            "json",
            "Anything else the source carried, kept for lineage.",
            nullable=False,
            json_shape={"type": "object"},
        ),
        _c("source_file", "text", "File (or dataset id) the row was read from."),
        _c("source_row", "int", "Row number in that file, 0-based."),
        _c("prompt_hash", "text", "Hash of the normalised prompt (exact-duplicate key)."),
        _c("ingest_batch", "text", "Id of the ingest run that added the task: lets later stages see new tasks."),
        _c("created_at", "timestamp", "When the task was first ingested."),
        _c(
            "system",
            "text",
            "The task's own system prompt (a chat's system turn, a `system`/`system_prompt` column), or null. Sent "
            "in both modes; in think mode after Hermes 4's reasoning prompt, in the same system message.",
        ),
    ),
    primary_key=("task_id",),
    indexes=(("ingest_batch",),),
)

QUARANTINE = Table(
    name="quarantine",
    description="Raw rows that could not become tasks, each with a machine-readable reason.",
    columns=(
        _c("source", "text", "Source name.", nullable=False),
        _c("source_file", "text", "File the row was read from.", nullable=False),
        _c("source_row", "int", "Row number in that file, 0-based.", nullable=False),
        _c(
            "reason",
            "text",
            "Machine-readable reason: invalid_json, missing_field:prompt, wrong_type:answer, "
            "empty_prompt, too_long, bad_encoding, ...",
            nullable=False,
        ),
        _c("detail", "text", "Human-readable detail."),
        _c("raw", "text", "The raw row, truncated to the configured limit."),
        _c("ingest_batch", "text", "Id of the ingest run."),
        _c("created_at", "timestamp", "When the row was quarantined."),
    ),
    primary_key=("source_file", "source_row"),
)

INGEST_FILES = Table(
    name="ingest_files",
    description="Files already ingested, by content hash and reading settings: re-ingesting an unchanged file "
    "with the same settings adds nothing.",
    columns=(
        _c("source", "text", "Source name.", nullable=False),
        _c("path", "text", "Path or dataset id.", nullable=False),
        _c("content_hash", "text", "Hash of the file's content.", nullable=False),
        _c("size_bytes", "int", "File size."),
        _c("rows_read", "int", "Rows read."),
        _c("ingested", "int", "Rows that became new tasks."),
        _c("quarantined", "int", "Rows quarantined."),
        _c("duplicate", "int", "Rows dropped as duplicates."),
        _c("ingest_batch", "text", "Id of the ingest run."),
        _c("created_at", "timestamp", "When the file was ingested."),
        _c(
            "settings_hash",
            "text",
            "Hash of the settings the file was last read with (its source's mapping, defaults, answer options and "
            "the ingest checks): other settings read it again. Null: read before thinkmill recorded them.",
        ),
    ),
    primary_key=("path", "content_hash"),
)

TASK_DUPLICATES = Table(
    name="task_duplicates",
    description="Rows dropped as duplicates of a kept task, with a pointer to it and the reason.",
    columns=(
        _c("task_id", "text", "Id the dropped row would have had.", nullable=False),
        _c("duplicate_of", "text", "task_id of the kept task.", nullable=False),
        _c("reason", "text", "dedup:exact or dedup:near_duplicate.", nullable=False),
        _c("score", "float", "Similarity with the kept task (1.0 for exact)."),
        _c("source", "text", "Source of the dropped row."),
        _c("source_file", "text", "File of the dropped row."),
        _c("source_row", "int", "Row number of the dropped row."),
        _c("prompt", "text", "Prompt of the dropped row."),
        _c("ingest_batch", "text", "Id of the ingest run."),
        _c("created_at", "timestamp", "When it was dropped."),
    ),
    primary_key=("task_id",),
)

CONTAMINATION = Table(
    name="contamination",
    description="Tasks that overlap an evaluation benchmark; such tasks never reach generation.",
    columns=(
        _c("task_id", "text", "The contaminated task.", nullable=False),
        _c("benchmark", "text", "Benchmark name.", nullable=False),
        _c("benchmark_item", "text", "Id of the overlapping benchmark item.", nullable=False),
        _c("method", "text", "ngram, fuzzy, contained or options.", nullable=False),
        _c("score", "float", "Overlap score (share of n-grams, fuzzy ratio / 100, or 1.0 for contained)."),
        _c("created_at", "timestamp", "When the hit was found."),
    ),
    primary_key=("task_id", "benchmark", "benchmark_item", "method"),
)

RETIRED_TASK = Table(
    name="retired_tasks",
    description="Tasks the user retired (`thinkmill tasks retire`): like a contaminated task, a retired one gets no "
    "new requests, is not selected and builds into no new version; its generations and verdicts stay stored, so "
    "`thinkmill tasks restore` brings it back without generating again. Versions already built keep their rows.",
    columns=(
        _c("task_id", "text", "The retired task (a stored task id).", nullable=False),
        _c("reason", "text", "Why it was retired, as the user gave it.", nullable=False),
        _c("retired_at", "timestamp", "When it was retired.", nullable=False),
    ),
    primary_key=("task_id",),
)

GENERATION = Table(
    name="generations",
    description="One model response to one request, with full provenance. Keyed by the content-addressed "
    "request key: a key present here is never sent again.",
    columns=(
        _c(
            "key",
            "text",
            "Content-addressed request key (model, messages, sampling params, sample index, seed, template version).",
            nullable=False,
        ),
        _c("task_id", "text", "The task.", nullable=False),
        _c("mode", "text", "think or no_think.", nullable=False),
        _c("sample_index", "int", "Index of the sample among the k for this task and mode.", nullable=False),
        _c("backend", "text", "openai, vllm or batch.", nullable=False),
        _c("model", "text", "Model name as sent.", nullable=False),
        _c("model_revision", "text", "Model revision / commit where known."),
        _c("endpoint", "text", "Base URL without credentials, or the batch file name."),
        _c("template_version", "text", "Prompt template version.", nullable=False),
        _c("messages", "json", "The rendered request messages.", nullable=False, json_shape={"type": "array"}),
        _c("sampling_params", "json", "Sampling parameters as sent.", nullable=False, json_shape={"type": "object"}),
        _c("seed", "int", "Per-request seed."),
        _c("raw_text", "text", "The whole assistant output (think block included)."),
        _c("think", "text", "Text inside the think block (null when there is none)."),
        _c("answer", "text", "Text after the think block (the whole text when there is no think block)."),
        _c(
            "parse_flags",
            "text[]",
            "Parse flags: no_think_block, unclosed_think, multiple_think, empty_think, think_in_no_think.",
        ),
        _c("finish_reason", "text", "stop, length, ..."),
        _c("prompt_tokens", "int", "Prompt tokens as reported by the backend."),
        _c("completion_tokens", "int", "Completion tokens as reported by the backend."),
        _c("latency_s", "float", "Seconds from send to answer."),
        _c("error", "text", "Error for a failed request (then raw_text is null)."),
        _c("retries", "int", "Retries spent on this request."),
        _c("created_at", "timestamp", "When the result was stored.", nullable=False),
    ),
    primary_key=("key",),
    indexes=(("task_id",),),
)

VERDICT = Table(
    name="verdicts",
    description="The verdict of a task verifier and the trace lints on one generation.",
    columns=(
        _c("generation_key", "text", "The generation judged.", nullable=False),
        _c("task_id", "text", "The task.", nullable=False),
        _c("mode", "text", "think or no_think, as judged.", nullable=False),
        _c("verifier", "text", "Verifier name.", nullable=False),
        _c("passed", "bool", "True only when the verifier and every lint pass.", nullable=False),
        _c("reason", "text", "Null when passed, else `<verifier-or-lint>:<detail>`."),
        _c("score", "float", "0..1 where a verifier grades partially."),
        _c("lint_flags", "text[]", "Lints that fired."),
        _c("think_tokens", "int", "Approximate tokens in the think block."),
        _c("answer_tokens", "int", "Approximate tokens in the answer."),
        _c("verifier_version", "text", "Version of the verifier code that judged."),
        _c("created_at", "timestamp", "When the verdict was made.", nullable=False),
        _c(
            "audit_check",
            "text",
            "The second check that audited this verdict (null: not audited); a "
            "disagreement is in verifier_disagreements.",
        ),
        _c(
            "details",
            "json",
            "What the verifier saw beyond pass/fail; the LLM judge stores `{judge: {score, reasoning, threshold, "
            "model, request_key, attempts}}` (or `{judge: {error, detail, ...}}`). Null for most verifiers.",
            json_shape={"type": "object"},
        ),
    ),
    primary_key=("generation_key",),
    indexes=(("task_id",),),
)

VERIFIER_DISAGREEMENT = Table(
    name="verifier_disagreements",
    description="Audited verdicts where a second, independent check disagrees with the task's verifier "
    "(pipeline/verify/audit.py).",
    columns=(
        _c("generation_key", "text", "The generation judged.", nullable=False),
        _c("task_id", "text", "The task.", nullable=False),
        _c("verifier", "text", "The task's verifier.", nullable=False),
        _c("verifier_passed", "bool", "The verifier's outcome.", nullable=False),
        _c("verifier_reason", "text", "The verifier's reason (null when it passed)."),
        _c("audit_check", "text", "The second check, e.g. math:numeric, mcq:option_text.", nullable=False),
        _c("audit_passed", "bool", "The second check's outcome.", nullable=False),
        _c("audit_reason", "text", "The second check's reason (null when it passed)."),
        _c("created_at", "timestamp", "When the audit ran.", nullable=False),
    ),
    primary_key=("generation_key",),
    indexes=(("verifier",),),
)

ADAPTIVE_DECISION = Table(
    name="adaptive_decisions",
    description="Adaptive sampling: after each round, per task and mode, how many samples were drawn and passed "
    "and whether the task gets more (pipeline/generate/adaptive.py).",
    columns=(
        _c("task_id", "text", "The task.", nullable=False),
        _c("mode", "text", "think or no_think.", nullable=False),
        _c("round", "int", "Round number, from 1.", nullable=False),
        _c("drawn", "int", "Samples drawn so far (sample indices 0 .. drawn-1).", nullable=False),
        _c("passed", "int", "Of those, samples whose verdict passed.", nullable=False),
        _c(
            "decision",
            "text",
            "adaptive:passed_target (stops), adaptive:reached_max (stops, fewer passed than the target), "
            "adaptive:not_judged (stops: a sample's check never ran, so more samples would be judged no better), "
            "adaptive:errors (stops: a sample's request failed after its retries; a rerun re-sends it) or "
            "adaptive:more_samples (drawn up to next_drawn in the next round).",
            nullable=False,
        ),
        _c("next_drawn", "int", "Samples after the next round (null when the task stops)."),
        _c("target_passed", "int", "Config target_passed of the mode.", nullable=False),
        _c("max_samples", "int", "Config max of the mode.", nullable=False),
        _c("model", "text", "Model the samples were drawn from.", nullable=False),
        _c("created_at", "timestamp", "When the decision was made.", nullable=False),
    ),
    primary_key=("task_id", "mode", "round"),
    indexes=(("task_id",),),
)

GENERATE_RUN = Table(
    name="generate_runs",
    description="One backend pass of the generate stage (a fixed-k run, or one adaptive round): what was sent, "
    "the tokens it used and how long it took (the measured throughput of cost accounting).",
    columns=(
        _c("run_id", "text", "Random id of the pass.", nullable=False),
        _c("backend", "text", "openai, vllm or batch.", nullable=False),
        _c("model", "text", "Model name as sent.", nullable=False),
        _c("round", "int", "Adaptive round (null for a fixed-k run)."),
        _c("sent", "int", "Requests handed to the backend.", nullable=False),
        _c("succeeded", "int", "Results stored without error.", nullable=False),
        _c("prompt_tokens", "int", "Prompt tokens of those results.", nullable=False),
        _c("completion_tokens", "int", "Completion tokens of those results.", nullable=False),
        _c("elapsed_s", "float", "Wall seconds the backend ran.", nullable=False),
        _c("created_at", "timestamp", "When the pass ended.", nullable=False),
    ),
    primary_key=("run_id",),
)

JUDGE_REQUEST = Table(
    name="judge_requests",
    description="The LLM judge's requests and parsed answers (pipeline/verify/judge_pass.py): the judge's cache; "
    "a key is never sent twice once it has an answer.",
    columns=(
        _c(
            "key",
            "text",
            "Content-addressed key (judge model, rendered judge messages with rubric, task prompt and judged text, "
            "sampling, judge prompt version, attempt).",
            nullable=False,
        ),
        _c("generation_key", "text", "The generation first judged by this request.", nullable=False),
        _c("task_id", "text", "The task.", nullable=False),
        _c("attempt", "int", "0 for the first ask; n for the n-th retry after a malformed answer.", nullable=False),
        _c("model", "text", "Judge model as sent.", nullable=False),
        _c("model_revision", "text", "Judge model revision where known."),
        _c("endpoint", "text", "Base URL without credentials."),
        _c("prompt_version", "text", "Version of the judge prompt.", nullable=False),
        _c("messages", "json", "The judge messages as sent.", nullable=False, json_shape={"type": "array"}),
        _c("sampling_params", "json", "Sampling parameters as sent.", nullable=False, json_shape={"type": "object"}),
        _c("raw_text", "text", "The judge's whole answer."),
        _c("score", "int", "Parsed score (1-10); null when the answer was malformed or the request failed."),
        _c("reasoning", "text", "Parsed reasoning of the judge."),
        _c("parse_error", "text", "Why the answer could not be read (null when it was read)."),
        _c("finish_reason", "text", "stop, length, ..."),
        _c("prompt_tokens", "int", "Prompt tokens as reported by the server."),
        _c("completion_tokens", "int", "Completion tokens as reported by the server."),
        _c("latency_s", "float", "Seconds from send to answer."),
        _c("error", "text", "Error of a failed request (sent again on the next run)."),
        _c("retries", "int", "Transport retries spent on this request."),
        _c("created_at", "timestamp", "When the answer was stored.", nullable=False),
    ),
    primary_key=("key",),
    indexes=(("generation_key",),),
)

TRACE_SELECTION = Table(
    name="trace_selection",
    description="Per-task selection of passing traces: which are kept for the dataset and why others are not.",
    columns=(
        _c("generation_key", "text", "The generation.", nullable=False),
        _c("task_id", "text", "The task.", nullable=False),
        _c("mode", "text", "think or no_think.", nullable=False),
        _c("selected", "bool", "Kept for the dataset.", nullable=False),
        _c(
            "reason",
            "text",
            "Null when selected, else dedup:duplicate_of:<key>, select:over_cap, select:too_long, select:too_short.",
        ),
        _c("cluster_id", "text", "Near-duplicate cluster of the trace."),
        _c("tokens", "int", "Approximate tokens of the trace."),
        _c("created_at", "timestamp", "When the selection was made.", nullable=False),
    ),
    primary_key=("generation_key",),
)

DATASET_VERSION = Table(
    name="dataset_versions",
    description="An immutable dataset version: its content hash, lineage, config and counts.",
    columns=(
        _c("version_id", "text", "v1, v2, ...", nullable=False),
        _c("content_hash", "text", "Hash of the version's rows; equal hashes make no new version.", nullable=False),
        _c("parent", "text", "Previous version id."),
        _c("created_at", "timestamp", "When the version was made.", nullable=False),
        _c("code_version", "text", "thinkmill version (and git commit where known) that built it."),
        _c("config", "json", "Full config that built it.", nullable=False, json_shape={"type": "object"}),
        _c(
            "counts",
            "json",
            "Row counts by split, domain, mode and source.",
            nullable=False,
            json_shape={"type": "object"},
        ),
        _c("token_totals", "json", "Token totals by mode.", json_shape={"type": "object"}),
        _c(
            "stats",
            "json",
            "Balance report: achieved ratios vs targets, leakage measures.",
            json_shape={"type": "object"},
        ),
        _c("notes", "text", "Free-text notes."),
    ),
    primary_key=("version_id",),
)

DATASET_ROW = Table(
    name="dataset_rows",
    description="One training example of a dataset version, with lineage to its task and generation.",
    columns=(
        _c("version_id", "text", "Dataset version.", nullable=False),
        _c("example_id", "text", "Stable id of the example (hash of its content).", nullable=False),
        _c("split", "text", "train or validation.", nullable=False),
        _c("mode", "text", "think or no_think.", nullable=False),
        _c(
            "messages",
            "json",
            "Chat messages (system?, user, assistant) as a training recipe reads them.",
            nullable=False,
            json_shape={"type": "array"},
        ),
        _c("task_id", "text", "Lineage: the task.", nullable=False),
        _c("generation_key", "text", "Lineage: the exact request that produced the response.", nullable=False),
        _c("domain", "text", "Task domain.", nullable=False),
        _c("source", "text", "Task source."),
        _c("license", "text", "Licence of the task's source."),
        _c("think_tokens", "int", "Approximate tokens in the think block."),
        _c("answer_tokens", "int", "Approximate tokens in the answer."),
    ),
    primary_key=("version_id", "example_id"),
    indexes=(("version_id",),),
)

PUBLICATION = Table(
    name="publications",
    description="Where a dataset version was published.",
    columns=(
        _c("version_id", "text", "Dataset version.", nullable=False),
        _c("repo", "text", "Hub repo id (or target folder).", nullable=False),
        _c("revision", "text", "Commit on the Hub."),
        _c("tag", "text", "Tag pointing at that commit."),
        _c("files", "json", "Files uploaded with their hashes.", json_shape={"type": "array"}),
        _c("created_at", "timestamp", "When published.", nullable=False),
    ),
    primary_key=("version_id", "repo"),
)

SHARD_LEDGER = Table(
    name="shard_ledger",
    description="Shards of work a Ray executor ran whose results the driver committed (pipeline/executor/ledger.py): "
    "a shard's results are committed in the same transaction as its row here, so they are committed once.",
    columns=(
        _c("run_id", "text", "One executor run of a stage (a fresh id per run).", nullable=False),
        _c("shard_id", "text", "The shard within the run (its index and a hash of its keys).", nullable=False),
        _c("stage", "text", "The stage: verify, dedup, generate.", nullable=False),
        _c("rows_in", "int", "Rows in the shard.", nullable=False),
        _c("rows_out", "int", "Result rows committed.", nullable=False),
        _c("result_uri", "text", "Where the worker wrote the shard's results (in shared_dir)."),
        _c("created_at", "timestamp", "When the driver committed the shard.", nullable=False),
    ),
    primary_key=("run_id", "shard_id"),
    indexes=(("stage",),),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        TASK,
        QUARANTINE,
        INGEST_FILES,
        TASK_DUPLICATES,
        CONTAMINATION,
        RETIRED_TASK,
        GENERATION,
        VERDICT,
        VERIFIER_DISAGREEMENT,
        ADAPTIVE_DECISION,
        GENERATE_RUN,
        TRACE_SELECTION,
        DATASET_VERSION,
        DATASET_ROW,
        PUBLICATION,
        JUDGE_REQUEST,
        SHARD_LEDGER,
    )
}


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None
