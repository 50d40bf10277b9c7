"""`thinkmill dedup`: deduplicate a JSONL or Parquet file of texts."""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.command("dedup")
@click.option("--input", "input_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSONL (.jsonl/.ndjson) or Parquet file of texts.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (.jsonl or .parquet): one row per input row, in input order.")
@click.option("--text-field", default="text", show_default=True, help="Field holding the text.")
@click.option("--id-field", default="id", show_default=True, help="Field holding a unique id (string or integer).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=None,
              help="Confirmation threshold: min rapidfuzz ratio / 100 of normalised texts (default: config).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Config YAML whose `dedup` section is used (default: $THINKMILL_CONFIG, ./thinkmill.yaml, "
                   "else built-in defaults).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for 50k+ rows).")
def dedup_cmd(input_path: Path, out_path: Path, text_field: str, id_field: str, threshold: float | None,
              config_path: Path | None, progress: bool | None) -> None:
    """Mark exact and near-duplicate texts: writes id, cluster_id, keep, duplicate_of, reason, score."""
    from pipeline.dedup.engine import dedup_texts
    from pipeline.dedup.io import read_texts, write_result

    t0 = time.perf_counter()
    from pipeline.config import load_config_or_defaults

    cfg = load_config_or_defaults(config_path).dedup
    if threshold is not None:
        cfg = cfg.model_copy(update={"threshold": threshold})
    ids, texts = read_texts(input_path, text_field, id_field)
    result = dedup_texts(ids, texts, cfg, progress=progress)
    write_result(result, out_path)
    dups = result.height - int(result["keep"].sum())
    exact = int((result["reason"] == "exact").sum())
    click.echo(
        f"{result.height:,} rows, {dups:,} duplicates ({exact:,} exact, {dups - exact:,} near) "
        f"in {time.perf_counter() - t0:.1f}s -> {out_path}",
        err=True,
    )


@click.command("select")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file (default: $THINKMILL_DB or data/thinkmill.duckdb).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml; required).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def select_cmd(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Select verified traces: drop near duplicates, keep at most m per task and mode (writes trace_selection)."""
    import json

    from pipeline.config import load_config
    from pipeline.dedup.select import select_and_store
    from pipeline.store import Store, default_db_path

    cfg = load_config(config_path)
    with Store.open(db or default_db_path()) as store:
        _, summary = select_and_store(store, cfg.select, cfg.dedup)
    if as_json:
        click.echo(json.dumps(summary, default=str))
        return
    click.echo(f"{summary['selected']} of {summary['rows']} passing traces selected; "
               f"{summary['duplicates']} near/exact duplicates")
    for reason, n in sorted(summary["by_reason"].items()):
        click.echo(f"  {reason}: {n}")


COMMANDS = [dedup_cmd, select_cmd]
