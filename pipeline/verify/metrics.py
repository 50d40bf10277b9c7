"""Pass rates by any grouping and pass@k per task, as polars frames (the asset and the CLI print them)."""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

import polars as pl


def pass_rates(verdicts: pl.DataFrame, by: str | Sequence[str]) -> pl.DataFrame:
    """Rows, passed rows and pass rate per group, largest groups first."""
    keys = [by] if isinstance(by, str) else list(by)
    return (
        verdicts.group_by(keys)
        .agg(pl.len().alias("n"), pl.col("passed").sum().cast(pl.Int64).alias("passed"))
        .with_columns((pl.col("passed") / pl.col("n")).alias("pass_rate"))
        .sort(["n", *keys], descending=[True] + [False] * len(keys))
    )


def reason_counts(verdicts: pl.DataFrame) -> pl.DataFrame:
    """Failed rows per reason (`math:mismatch`, `lint:unclosed_think`, ...)."""
    failed = verdicts.filter(~pl.col("passed"))
    return (
        failed.group_by("reason")
        .agg(pl.len().alias("n"))
        .with_columns((pl.col("n") / max(verdicts.height, 1)).alias("share_of_all"))
        .sort(["n", "reason"], descending=[True, False])
    )


def truncation_rates(verdicts: pl.DataFrame) -> pl.DataFrame:
    """Per mode: judged rows, rows cut by max_tokens (lint flag `truncated`) and their share.

    A high share in think mode means max_tokens is below the model's reasoning length: those traces are lost.
    """
    flags = pl.col("lint_flags").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    return (
        verdicts.group_by("mode")
        .agg(pl.len().alias("n"), flags.list.contains("truncated").sum().cast(pl.Int64).alias("truncated"))
        .with_columns((pl.col("truncated") / pl.col("n")).alias("share"))
        .sort("mode", descending=True)  # think before no_think
    )


def pass_at_k(n: int, c: int, k: int) -> float | None:
    """Unbiased pass@k (Chen et al. 2021) from n samples with c passing; None when k > n."""
    if k > n or n <= 0:
        return None
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_at_k_table(
    verdicts: pl.DataFrame, ks: Sequence[int] = (1, 2, 4, 8), by: Sequence[str] = ("task_id",)
) -> pl.DataFrame:
    """Per task (and mode, if asked): samples n, passes c, and pass@k for each k (null where k > n)."""
    grouped = verdicts.group_by(list(by)).agg(pl.len().alias("n"), pl.col("passed").sum().cast(pl.Int64).alias("c"))
    rows = grouped.to_dicts()
    for r in rows:
        for k in ks:
            r[f"pass@{k}"] = pass_at_k(r["n"], r["c"], k)
    schema = {**dict(grouped.schema), **{f"pass@{k}": pl.Float64 for k in ks}}
    return pl.DataFrame(rows, schema=schema).sort(list(by))


def mean_pass_at_k(table: pl.DataFrame) -> dict[str, float]:
    """Mean of each pass@k column over the tasks that have at least k samples; per mode (`pass@1/think`,
    `pass@2/think`, `pass@1/no_think`, think first) when the table has a `mode` column, as the modes take different
    numbers of samples: a mean over both mixed no-think pass@1 into pass@1 but not into pass@2 (which no-think, with
    one sample, lacks), so pass@2 could show below pass@1."""
    cols = [c for c in table.columns if c.startswith("pass@")]
    if "mode" not in table.columns:
        return _means(table, cols, "")
    out: dict[str, float] = {}
    for mode in sorted(table.get_column("mode").drop_nulls().unique().to_list(), reverse=True):
        out |= _means(table.filter(pl.col("mode") == mode), cols, f"/{mode}")
    return out


def _means(table: pl.DataFrame, cols: Sequence[str], suffix: str) -> dict[str, float]:
    out = {}
    for col in cols:
        v = table.get_column(col).drop_nulls()
        if v.len():
            out[f"{col}{suffix}"] = float(v.mean())  # type: ignore[arg-type]
    return out
