"""Metadata helpers: every asset reports row counts, its column schema and a markdown preview."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
import polars as pl

from pipeline.report import StageReport
from schemas import table as contract


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
            s = "" if v is None else str(v)
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


def table_metadata(
    table_name: str, row_count: int, preview: pl.DataFrame | None = None, **extra: Any
) -> dict[str, Any]:
    md: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(row_count),
        "dagster/column_schema": column_schema(table_name),
        "table": dg.MetadataValue.text(table_name),
    }
    if preview is not None:
        md["preview"] = dg.MetadataValue.md(markdown_preview(preview))
    md.update(extra)
    return md


def _metadata_value(value: Any) -> Any:
    """A plain JSON value as Dagster metadata: numbers, text and flags as such, a count mapping
    ({reason: n}) as a markdown table, anything else as JSON."""
    if value is None:
        return dg.MetadataValue.null()
    if isinstance(value, bool):
        return dg.MetadataValue.bool(value)
    if isinstance(value, int):
        return dg.MetadataValue.int(value)
    if isinstance(value, float):
        return dg.MetadataValue.float(value)
    if isinstance(value, str):
        return dg.MetadataValue.text(value)
    if isinstance(value, Mapping) and all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
        return dg.MetadataValue.md(counts_table(value))
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
    `table_name`, the table's row count, column schema and preview come first (`table_metadata`); `extra`
    entries (already MetadataValues) are added last."""
    keys = keys or {}
    md: dict[str, Any] = table_metadata(table_name, row_count or 0, preview) if table_name else {}
    md.update(
        {
            "stage/rows_in": dg.MetadataValue.int(report.rows_in),
            "stage/rows_out": dg.MetadataValue.int(report.rows_out),
            "stage/drops": dg.MetadataValue.md(counts_table(report.drops)),
            "stage/seconds": dg.MetadataValue.float(round(sum(report.timings.values()), 3)),
        }
    )
    for key, value in report.metadata.items():
        md[keys.get(key, key)] = _metadata_value(value)
    md.update(extra)
    return md
