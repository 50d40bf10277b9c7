"""Reading texts to deduplicate from JSONL or Parquet, and writing the result, for the CLI.

A row whose text is missing or not a string, or whose id is missing or repeated, stops the run with an error
naming the row (0-based) and the field: dedup never drops a row silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.errors import DedupInputError
from pipeline.report import StageReport

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise DedupInputError(f"{path}: unknown format (expected .jsonl, .ndjson, .json or .parquet)")


def read_texts(path: Path, text_field: str = "text", id_field: str = "id") -> tuple[pl.Series, pl.Series]:
    """Ids (as strings) and texts of a JSONL or Parquet file, in file order."""
    path = Path(path)
    if not path.exists():
        raise DedupInputError(f"{path}: no such file")
    if _kind(path) == "parquet":
        frame = _read_parquet(path, text_field, id_field)
    else:
        frame = _read_jsonl_fast(path, text_field, id_field)
        if frame is None:  # something is off: the typed reader finds and names the row
            frame = _read_jsonl(path, text_field, id_field)
    ids, texts = frame["id"], frame["text"]
    bad = frame.with_row_index("row").filter(pl.col("text_error").is_not_null() | pl.col("id_error").is_not_null())
    if bad.height:
        row = bad.row(0, named=True)
        field, err = (text_field, row["text_error"]) if row["text_error"] else (id_field, row["id_error"])
        who = f"{path}: row {row['row']}" + (f" (id {row['id']!r})" if row["id"] is not None else "")
        more = f" ({bad.height - 1} more bad rows)" if bad.height > 1 else ""
        raise DedupInputError(f"{who}: field {field!r} {err}{more}")
    dup = ids.is_duplicated()
    if dup.any():
        first = ids.filter(dup)[0]
        rows = ids.eq(first).arg_true().to_list()[:2]
        raise DedupInputError(f"{path}: rows {rows[0]} and {rows[1]}: {id_field!r} {first!r} is not unique")
    return ids.alias("id"), texts.alias("text")


def _type_error(type_col: str) -> pl.Expr:
    t = pl.col(type_col)
    return (
        pl.when(t.is_null() | (t == "NULL"))
        .then(pl.lit("is missing"))
        .when(t != "VARCHAR")
        .then(pl.lit("is not a string (JSON ") + t.str.to_lowercase() + pl.lit(")"))
        .otherwise(None)
    )


def _read_jsonl_fast(path: Path, text_field: str, id_field: str) -> pl.DataFrame | None:
    """polars' reader (multi-threaded, ~1 GB/s), or None when a row may be bad.

    polars coerces a JSON number to a string, so it alone cannot tell `"text": 5` from `"text": "5"`. Every line
    is also checked to hold `"<text_field>": "` (a string value); only if that fails, or a value is null, does the
    slower typed DuckDB reader run to name the bad row.
    """
    try:
        df = pl.read_ndjson(path, infer_schema_length=1000)
        lines = pl.read_csv(
            path,
            has_header=False,
            separator="\x1f",
            quote_char=None,
            new_columns=["line"],
            schema_overrides={"line": pl.String},
        )
    except Exception:  # any parse problem: let the typed reader report it precisely
        return None
    if text_field not in df.columns or id_field not in df.columns or df.height != lines.height:
        return None
    key = re.escape(json.dumps(text_field))
    if not lines["line"].str.contains(key + r"\s*:\s*\"").all():
        return None
    if df[text_field].dtype != pl.String or df[text_field].null_count() or df[id_field].null_count():
        return None
    if not (df[id_field].dtype == pl.String or df[id_field].dtype.is_integer()):
        return None
    return df.select(
        pl.col(id_field).cast(pl.String).alias("id"),
        pl.col(text_field).alias("text"),
        pl.lit(None, dtype=pl.String).alias("text_error"),
        pl.lit(None, dtype=pl.String).alias("id_error"),
    )


def _read_jsonl(path: Path, text_field: str, id_field: str) -> pl.DataFrame:
    """DuckDB reads the JSON values untyped, so a number where a string belongs is reported, not coerced."""
    t, i = _ident(text_field), _ident(id_field)
    sql = (
        f"SELECT json_type({t}) AS tt, {t}->>'$' AS text, json_type({i}) AS it, {i}->>'$' AS id "
        f"FROM read_ndjson($path, columns = {{{_q(text_field)}: 'JSON', {_q(id_field)}: 'JSON'}}, "
        "maximum_object_size = 1073741824)"
    )
    con = duckdb.connect()
    try:
        rel = con.sql(sql, params={"path": str(path)})
        df = rel.pl()
    except duckdb.Error as exc:
        raise DedupInputError(f"{path}: cannot read as JSONL: {exc}") from exc
    finally:
        con.close()
    id_ok = pl.col("it").is_in(["VARCHAR", "BIGINT", "UBIGINT"])
    return df.select(
        pl.col("id"),
        pl.col("text"),
        _type_error("tt").alias("text_error"),
        pl.when(id_ok).then(None).otherwise(_type_error("it")).alias("id_error"),
    )


def _q(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_parquet(path: Path, text_field: str, id_field: str) -> pl.DataFrame:
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:  # polars raises several types for a corrupt file
        raise DedupInputError(f"{path}: cannot read as Parquet: {exc}") from exc
    for field in (text_field, id_field):
        if field not in schema:
            raise DedupInputError(f"{path}: no column {field!r} (columns: {', '.join(schema)})")
    if schema[text_field] != pl.String:
        raise DedupInputError(f"{path}: column {text_field!r} is {schema[text_field]}, not a string column")
    id_dtype = schema[id_field]
    if not (id_dtype == pl.String or id_dtype.is_integer()):
        raise DedupInputError(f"{path}: column {id_field!r} is {id_dtype}, expected strings or integers")
    df = pl.read_parquet(path, columns=[id_field, text_field])
    return df.select(
        pl.col(id_field).cast(pl.String).alias("id"),
        pl.col(text_field).alias("text"),
        pl.when(pl.col(text_field).is_null()).then(pl.lit("is missing")).alias("text_error"),
        pl.when(pl.col(id_field).is_null()).then(pl.lit("is missing")).alias("id_error"),
    )


def write_result(df: pl.DataFrame, path: Path) -> None:
    """Write the dedup result as JSONL or Parquet (by suffix), creating the folder."""
    path = Path(path)
    kind = _kind(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "jsonl":
        df.write_ndjson(path)
    else:
        df.write_parquet(path)


def dedup_file(
    input_path: Path,
    out_path: Path,
    cfg: DedupConfig,
    *,
    text_field: str = "text",
    id_field: str = "id",
    progress: bool | None = None,
) -> StageReport:
    """Dedup on a file (`thinkmill dedup`): mark exact and near-duplicate texts of `input_path` and write one
    row per input row to `out_path`. In = rows, out = rows kept; drops = `dedup:exact` / `dedup:near`."""
    from pipeline.dedup.engine import dedup_texts

    report = StageReport("dedup")
    with report.timed("read"):
        ids, texts = read_texts(input_path, text_field, id_field)
    with report.timed("dedup"):
        result = dedup_texts(ids, texts, cfg, progress=progress)
    with report.timed("write"):
        write_result(result, out_path)
    dups = result.height - int(result["keep"].sum())
    exact = int((result["reason"] == "exact").sum())
    report.rows_in, report.rows_out = result.height, result.height - dups
    report.add_drops({"dedup:exact": exact, "dedup:near": dups - exact})
    report.set(rows=result.height, duplicates=dups, exact=exact, near=dups - exact, out=str(out_path))
    report.summary = [
        f"{result.height:,} rows, {dups:,} duplicates ({exact:,} exact, {dups - exact:,} near) "
        f"in {sum(report.timings.values()):.1f}s -> {out_path}"
    ]
    return report
