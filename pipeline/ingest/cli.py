"""`thinkmill ingest` and `thinkmill decontaminate`."""

from __future__ import annotations

import json
from pathlib import Path

import click
import polars as pl
from pydantic import ValidationError

from pipeline.store import Store, default_db_path

_db = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                   help="DuckDB file (default: $THINKMILL_DB or data/thinkmill.duckdb).")
_config = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                       help="Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml). Required, except for "
                            "`ingest PATHS` and `decontaminate --benchmark`, which use built-in defaults without one.")


def _kv(pairs: tuple[str, ...], what: str) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise click.BadParameter(f"{p!r}: expected FIELD=VALUE", param_hint=what)
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _mapping(items: tuple[str, ...]) -> dict[str, str | list[str]]:
    """`--map` pairs; `choices=a,b,c` names one column per option."""
    out: dict[str, str | list[str]] = dict(_kv(items, "--map"))
    cols = out.get("choices")
    if isinstance(cols, str) and "," in cols:
        out["choices"] = [c.strip() for c in cols.split(",") if c.strip()]
    return out


def _load(config_path: Path | None, *, ad_hoc: bool):  # type: ignore[no-untyped-def]
    """The config. `ad_hoc` (the user named the files to read): built-in defaults when none is given or found;
    otherwise a missing config is an error (`NoConfigError`, printed as one line), never the bundled sample."""
    from pipeline.config import load_config, load_config_or_defaults

    return load_config_or_defaults(config_path) if ad_hoc else load_config(config_path)


@click.command("ingest")
@click.argument("paths", nargs=-1)
@_db
@_config
@click.option("--source", "source_name", default=None,
              help="Source name for PATHS (default: local). Without PATHS: ingest only this configured source.")
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
              help="Field mapping for PATHS; choices=COL1,COL2,... for one column per option.")
@click.option("--answer-regex", default=None, metavar="REGEX",
              help="For PATHS: the answer is this regex's first capture group (GSM8K: '####\\s*(.+?)\\s*$').")
@click.option("--default", "defaults", multiple=True, metavar="FIELD=VALUE", help="Per-source default for PATHS.")
@click.option("--license", "license_", default=None, help="Licence of the rows in PATHS.")
@click.option("--no-dedup", is_flag=True, help="Skip task dedup (exact repeats of one id are still collapsed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def ingest_cmd(paths: tuple[str, ...], db: Path | None, config_path: Path | None, source_name: str | None,
               mapping: tuple[str, ...], defaults: tuple[str, ...], license_: str | None, answer_regex: str | None,
               no_dedup: bool, as_json: bool) -> None:
    """Ingest task files (JSONL, JSON, Parquet, CSV, folders, globs, saved datasets) or the configured sources.

    Re-ingesting an unchanged file adds nothing; every row read is ingested, quarantined or a duplicate.
    """
    from pipeline.ingest.api import ingest_paths, ingest_sources

    cfg = _load(config_path, ad_hoc=bool(paths))
    if no_dedup:
        cfg.ingest.dedup = False
    with Store.open(db or default_db_path()) as store:
        if paths:
            try:
                report = ingest_paths(store, paths, source=source_name or "local", mapping=_mapping(mapping),
                                      defaults=_kv(defaults, "--default"), license=license_,
                                      answer_regex=answer_regex, cfg=cfg.ingest, dedup=cfg.dedup)
            except ValidationError as exc:
                raise click.UsageError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
        else:
            if not cfg.ingest.sources:
                raise click.UsageError("give PATHS or a --config with ingest.sources")
            report = ingest_sources(store, cfg, [source_name] if source_name else None)
    d = report.to_dict()
    if as_json:
        click.echo(json.dumps(d))
        return
    click.echo(f"batch {d['batch']}: read {d['read']:,}, ingested {d['ingested']:,}, "
               f"quarantined {d['quarantined']:,}, duplicate {d['duplicate']:,}")
    for f in d["files"]:
        click.echo(f"  {f['path']}: read {f['rows_read']:,}, ingested {f['ingested']:,}, "
                   f"quarantined {f['quarantined']:,}, duplicate {f['duplicate']:,}")
    for p in d["skipped_files"]:
        click.echo(f"  {p}: unchanged since last ingest, skipped")
    for reason, n in {**d["quarantine_reasons"], **d["duplicate_reasons"]}.items():
        click.echo(f"  {reason:<28} {n:>8,}")


@click.command("decontaminate")
@_db
@_config
@click.option("--benchmark", "benchmarks", multiple=True, metavar="[NAME=]PATH",
              help="Benchmark file/folder/saved dataset (repeatable); default: decontam.benchmarks of the config.")
@click.option("--text-field", default=None, help="Column with the item text for --benchmark paths.")
@click.option("--batch", default=None, help="Only check tasks of this ingest batch.")
@click.option("--ngram", type=int, default=None, help="Word n-gram size (default from config: 8).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def decontaminate_cmd(db: Path | None, config_path: Path | None, benchmarks: tuple[str, ...],
                      text_field: str | None, batch: str | None, ngram: int | None, as_json: bool) -> None:
    """Flag tasks that overlap evaluation benchmarks (n-gram + fuzzy); they never reach generation."""
    from pipeline.ingest.config import BenchmarkConfig
    from pipeline.ingest.decontam import decontaminate, load_benchmarks

    cfg = _load(config_path, ad_hoc=bool(benchmarks))
    dcfg = cfg.decontam.model_copy(update={"ngram": ngram} if ngram else {})
    if benchmarks:
        bcfgs = []
        for spec in benchmarks:
            name, _, path = spec.rpartition("=") if "=" in spec else (Path(spec).stem, "", spec)
            bcfgs.append(BenchmarkConfig(name=name, path=path, text_field=text_field))
        loaded = load_benchmarks(bcfgs)
    else:
        if not cfg.decontam.benchmarks:
            raise click.UsageError("give --benchmark PATH or a --config with decontam.benchmarks")
        loaded = load_benchmarks(cfg.decontam.benchmarks, cfg.base_dir)
    with Store.open(db or default_db_path()) as store:
        hits = decontaminate(store, loaded, dcfg, batch=batch)
        checked = store.count("tasks", "ingest_batch = ?", [batch]) if batch else store.count("tasks")
    per_bench = {b.name: 0 for b in loaded}
    for name, n in hits.group_by("benchmark").agg(pl.col("task_id").n_unique()).iter_rows():
        per_bench[name] = n
    out = {"checked": checked, "contaminated": hits["task_id"].n_unique(), "hits": hits.height,
           "by_benchmark": per_bench}
    if as_json:
        click.echo(json.dumps(out))
        return
    click.echo(f"checked {checked:,} tasks: {out['contaminated']:,} contaminated ({hits.height:,} hits)")
    for name, n in per_bench.items():
        click.echo(f"  {name:<24} {n:>8,} tasks")


COMMANDS = [ingest_cmd, decontaminate_cmd]
