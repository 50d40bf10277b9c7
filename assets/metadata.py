"""Metadata helpers: every asset declares its table and column schema, reports row counts, a markdown preview and
its stage's counts, and returns a data version; `metadata_value` is the one converter of plain values."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import dagster as dg
import polars as pl
import xxhash

from pipeline.checks import Counts
from pipeline.report import StageReport
from pipeline.store import Store
from schemas import table as contract

DATA_VERSION_TAG = "dagster/data_version"
FLOAT_DIGITS = 4  # shares and rates: 0.7101, not 0.7100694444444444


def rounded(value: float) -> float:
    """`FLOAT_DIGITS` decimals, or as many significant digits below 1 (a cost of $0.001788 stays 0.001788)."""
    if value == 0 or not math.isfinite(value) or abs(value) >= 1:
        return round(value, FLOAT_DIGITS) if math.isfinite(value) else value
    return round(value, FLOAT_DIGITS - 1 - math.floor(math.log10(abs(value))))


# The table each asset's rows live in (`dagster/table_name`); dataset_card is a file (README.md + figures).
ASSET_TABLE: dict[str, str] = {
    "raw_tasks": "ingest_files",
    "tasks": "tasks",
    "clean_tasks": "tasks",
    "generations": "generations",
    "verdicts": "verdicts",
    "selected_traces": "trace_selection",
    "dataset_version": "dataset_rows",
    "published_dataset": "publications",
}


def column_schema(table_name: str) -> dg.TableSchema:
    t = contract(table_name)
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                c.name, c.type, description=c.description, constraints=dg.TableColumnConstraints(nullable=c.nullable)
            )
            for c in t.columns
        ]
    )


def markdown_preview(df: pl.DataFrame, rows: int = 10, max_chars: int = 80) -> str:
    if df.height == 0:
        return "_(no rows)_"
    head = df.head(rows)
    cols = head.columns
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in head.iter_rows():
        cells = []
        for v in row:
            s = "" if v is None else str(rounded(v) if isinstance(v, float) else v)
            s = s.replace("\n", " ").replace("|", "\\|")
            cells.append(s[:max_chars] + ("…" if len(s) > max_chars else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def counts_table(counts: Mapping[str, int], key: str = "reason") -> str:
    if not counts:
        return "_(none)_"
    lines = [f"| {key} | rows |", "|---|---:|"]
    lines += [f"| {k} | {v:,} |" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


def table_spec(asset: str) -> dict[str, Any]:
    """Definition-time metadata of an asset: its table and that table's column schema from `schemas/contracts.py`,
    shown in the UI before the first run."""
    name = ASSET_TABLE[asset]
    return {"dagster/table_name": name, "dagster/column_schema": column_schema(name)}


def table_metadata(
    table_name: str, row_count: int, preview: pl.DataFrame | None = None, **extra: Any
) -> dict[str, Any]:
    md: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(row_count),
        "dagster/table_name": dg.MetadataValue.text(table_name),
    }
    if preview is not None:
        md["preview"] = dg.MetadataValue.md(markdown_preview(preview))
    md.update(extra)
    return md


def number(value: float) -> dg.MetadataValue:
    """A float rounded for reading (`rounded`)."""
    return dg.MetadataValue.float(rounded(float(value)))


def metadata_value(value: Any) -> dg.MetadataValue:
    """The one converter of plain values (a stage report's or a check's metadata) to Dagster metadata: numbers
    (floats rounded), text and flags as such; counts ({label: n} or `Counts`) as a markdown table; a table
    (DataFrame) as a markdown preview; a list of plain values as a markdown bullet list; anything else as JSON."""
    if value is None:
        return dg.MetadataValue.null()
    if isinstance(value, bool):
        return dg.MetadataValue.bool(value)
    if isinstance(value, int):
        return dg.MetadataValue.int(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, str):
        return dg.MetadataValue.text(value)
    if isinstance(value, Counts):
        return dg.MetadataValue.md(counts_table(value.values, key=value.key))
    if isinstance(value, pl.DataFrame):
        return dg.MetadataValue.md(markdown_preview(value, rows=50))
    if isinstance(value, Mapping) and all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
        return dg.MetadataValue.md(counts_table(value))
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return dg.MetadataValue.md("\n".join(f"- {v}" for v in value) if value else "_(none)_")
    return dg.MetadataValue.json(value)


def report_metadata(
    report: StageReport,
    table_name: str | None = None,
    row_count: int | None = None,
    preview: pl.DataFrame | None = None,
    keys: Mapping[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The one way a stage's `StageReport` becomes asset metadata.

    Every metadata entry of the report keeps its key (renamed by `keys`, {report key: asset key}); the
    report's own counts go under `stage/rows_in`, `stage/rows_out`, `stage/drops` and `stage/seconds`. With
    `table_name`, the table's row count, name and preview come first (`table_metadata`); `extra`
    entries (already MetadataValues) are added last."""
    keys = keys or {}
    md: dict[str, Any] = table_metadata(table_name, row_count or 0, preview) if table_name else {}
    md.update(
        {
            "stage/rows_in": dg.MetadataValue.int(report.rows_in),
            "stage/rows_out": dg.MetadataValue.int(report.rows_out),
            "stage/drops": dg.MetadataValue.md(counts_table(report.drops)),
            "stage/seconds": dg.MetadataValue.float(round(sum(report.timings.values()), 2)),
        }
    )
    for key, value in report.metadata.items():
        md[keys.get(key, key)] = metadata_value(value)
    md.update(extra)
    return md


# ------------------------------------------------------------------------------------------ data versions
# Small tables a stage rewrites whole on every run (same content, new `created_at`): fingerprinted by content.
CONTENT_COLUMNS = {"contamination": ("task_id", "benchmark", "benchmark_item", "method"), "retired_tasks": ("task_id",)}


def table_state(store: Store, name: str) -> list[Any]:
    """A cheap fingerprint of a table's content: row count and the newest `created_at` (rows are appended, so a
    new or re-judged row moves one of them), or a hash of the rows of a table in `CONTENT_COLUMNS`."""
    cols = {c.name for c in contract(name).columns}
    if name in CONTENT_COLUMNS:
        extra = f", CAST(bit_xor(hash({', '.join(CONTENT_COLUMNS[name])})) AS VARCHAR)"
    else:
        extra = ", CAST(max(created_at) AS VARCHAR)" if "created_at" in cols else ""
    row = store.fetchone(f"SELECT count(*){extra} FROM {name}")  # `name` is a contract table name
    return [name, *(row or ())]


def data_version(store: Store | None, tables: Iterable[str] = (), *extra: Any) -> dg.DataVersion:
    """A Dagster data version from the state of `tables` and any JSON-able `extra` values: the same content gives
    the same version, so a run that changed nothing shows the asset's version unchanged."""
    state = [table_state(store, t) for t in tables] if store is not None else []
    text = json.dumps([state, list(extra)], sort_keys=True, default=str)
    return dg.DataVersion(xxhash.xxh3_64_hexdigest(text.encode()))


def materialized(
    context: dg.AssetExecutionContext,
    metadata: dict[str, Any],
    version: dg.DataVersion,
    check_results: list[dg.AssetCheckResult] | None = None,
) -> dg.MaterializeResult:
    """The asset's MaterializeResult with its data version, and `changed` in its metadata: whether the version
    differs from the last materialisation's (False: this run found nothing new for this asset)."""
    last = context.instance.get_latest_materialization_event(context.asset_key)
    previous = last.asset_materialization.tags.get(DATA_VERSION_TAG) if last and last.asset_materialization else None
    changed = previous != version.value
    if not changed:
        context.log.info(f"{context.asset_key.to_user_string()}: unchanged (data version {version.value})")
    return dg.MaterializeResult(
        metadata={"changed": dg.MetadataValue.bool(changed), **metadata},
        data_version=version,
        check_results=check_results or None,
    )
