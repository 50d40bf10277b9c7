"""Metadata helpers: every asset reports row counts, its column schema and a markdown preview."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
import polars as pl

from schemas import table as contract


def column_schema(table_name: str) -> dg.TableSchema:
    t = contract(table_name)
    return dg.TableSchema(
        columns=[
            dg.TableColumn(c.name, c.type, description=c.description,
                           constraints=dg.TableColumnConstraints(nullable=c.nullable))
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


def table_metadata(table_name: str, row_count: int, preview: pl.DataFrame | None = None,
                   **extra: Any) -> dict[str, Any]:
    md: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(row_count),
        "dagster/column_schema": column_schema(table_name),
        "table": dg.MetadataValue.text(table_name),
    }
    if preview is not None:
        md["preview"] = dg.MetadataValue.md(markdown_preview(preview))
    md.update(extra)
    return md
