"""`thinkmill dedup` (a JSONL or Parquet file of texts) and `thinkmill select` (verified traces)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_common import common_options, db_path, echo_report, executor_option, load, with_executor


@click.command("dedup")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL (.jsonl/.ndjson) or Parquet file of texts.",
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (.jsonl or .parquet): one row per input row, in input order.",
)
@click.option("--text-field", default="text", show_default=True, help="Field holding the text.")
@click.option("--id-field", default="id", show_default=True, help="Field holding a unique id (string or integer).")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="Confirmation threshold: min rapidfuzz ratio / 100 of normalised texts (default: config).",
)
@common_options(
    db=False,
    need="defaults",
    config_help="Config YAML whose `dedup` section is used (default: "
    "$THINKMILL_CONFIG, ./thinkmill.yaml, else built-in defaults).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for 50k+ rows).")
@executor_option
def dedup_cmd(
    input_path: Path,
    out_path: Path,
    text_field: str,
    id_field: str,
    threshold: float | None,
    config_path: Path | None,
    as_json: bool,
    progress: bool | None,
    executor: str | None,
) -> None:
    """Mark exact and near-duplicate texts: writes id, cluster_id, keep, duplicate_of, reason, score."""
    from pipeline.dedup.io import dedup_file
    from pipeline.executor import using
    from pipeline.executor.runtime import resolved

    full = with_executor(load(config_path, "defaults"), executor)
    cfg = full.dedup
    if threshold is not None:
        cfg = cfg.model_copy(update={"threshold": threshold})
    with using(resolved(full)) as on_ray:
        report = dedup_file(input_path, out_path, cfg, text_field=text_field, id_field=id_field, progress=progress)
    report.set(**on_ray)
    echo_report(report, as_json)


@click.command("select")
@common_options()
@executor_option
def select_cmd(db: Path | None, config_path: Path | None, as_json: bool, executor: str | None) -> None:
    """Select verified traces: drop near duplicates, keep at most m per task and mode (writes trace_selection)."""
    from pipeline.dedup.select import run
    from pipeline.store import Store

    cfg = with_executor(load(config_path), executor)
    with Store.open(db_path(db), create=False) as store:
        report = run(store, cfg)
    echo_report(report, as_json)


COMMANDS = [dedup_cmd, select_cmd]
