"""The `thinkmill` command line. Each stage adds its commands from `pipeline/<stage>/cli.py` (`COMMANDS`).

Options, config loading, report printing and the error style come from one place, `pipeline.cli_common`.
This module is the CLI's entry point; it is the one module of `pipeline/` that may reach into `assets/` (for
`thinkmill demo`, which needs Dagster), and only inside that command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline import tasks as tasks_cli
from pipeline.cli_common import ThinkmillGroup, common_options, db_path, echo_json, load
from pipeline.dataset import cli as dataset_cli
from pipeline.dedup import cli as dedup_cli
from pipeline.generate import cli as generate_cli
from pipeline.ingest import cli as ingest_cli
from pipeline.store import Store, set_default_lock_timeout
from pipeline.verify import cli as verify_cli

STAGE_CLIS = (ingest_cli, tasks_cli, dedup_cli, generate_cli, verify_cli, dataset_cli)


@click.group(cls=ThinkmillGroup)
@click.version_option(package_name="thinkmill")
def main() -> None:
    """thinkmill: curate versioned reasoning-trace SFT datasets for Hermes 4."""
    set_default_lock_timeout(None)  # each invocation starts from $THINKMILL_LOCK_TIMEOUT, else 60 s


@main.group()
def db() -> None:
    """Inspect the DuckDB database."""


@db.command("info")
@common_options(need="check")
def db_info(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Schema version, tables and row counts, latest dataset version (needs no config; a given one is checked)."""
    load(config_path, "check")
    with Store.open(db_path(db), read_only=True) as store:
        info = store.info()
    if as_json:
        echo_json(info)
        return
    click.echo(f"database:        {info['path']}")
    click.echo(f"schema version:  {info['schema_version']}")
    click.echo(f"latest version:  {info['latest_version'] or '-'}")
    click.echo("tables:")
    width = max(map(len, info["tables"]), default=0)
    for name, n in info["tables"].items():
        click.echo(f"  {name:<{width}} {n:>10,}")


@db.command("quarantine")
@click.option(
    "--reason", default=None, help="Only rows of this reason (invalid_value:answer, missing_field:prompt, ...)."
)
@click.option("--batch", "batches", multiple=True, help="Only rows of this ingest batch (repeatable).")
@click.option("--file", "file", default=None, help="Only rows of files whose path holds this text.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to show.")
@common_options(need="check")
def db_quarantine(
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    reason: str | None,
    batches: tuple[str, ...],
    file: str | None,
    limit: int,
) -> None:
    """The rows ingest quarantined: file:row (0-based), reason and what to do (`--json`: with the raw row)."""
    from pipeline.ingest.api import quarantine_rows

    _listing(
        db,
        config_path,
        as_json,
        lambda store: quarantine_rows(store, reason=reason, batches=batches, file=file, limit=limit),
        "no quarantined rows",
        lambda r: f"{r['source_file']}:{r['source_row']}  {r['reason']}: {' '.join((r['detail'] or '').split())}",
        "--limit, --reason, --file, --batch",
    )


def _listing(
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    fetch: Callable[[Store], tuple[list[dict[str, Any]], int]],
    none: str,
    line: Callable[[dict[str, Any]], str],
    narrow: str,
) -> None:
    """A `thinkmill db` listing: the rows `fetch` reads from the store (read-only) and how many match in all, as one
    JSON object or a line each (`none` when there is none), then how many more the options named in `narrow` show."""
    load(config_path, "check")
    with Store.open(db_path(db), read_only=True) as store:
        rows, total = fetch(store)
    if as_json:
        echo_json({"total": total, "rows": rows})
        return
    if not rows:
        click.echo(none)
        return
    for r in rows:
        click.echo(line(r))
    if total > len(rows):
        click.echo(f"... {total - len(rows):,} more ({narrow})")


def _one_line(text: str | None, width: int = 100) -> str:
    """A prompt on one line, cut to `width` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _at(file: str | None, row: int | None) -> str:
    return f"{file}:{row}" if file is not None else "not stored"


@db.command("duplicates")
@click.option("--reason", default=None, help="Only rows of this reason (dedup:exact, dedup:near_duplicate).")
@click.option("--batch", "batches", multiple=True, help="Only rows of this ingest batch (repeatable).")
@click.option("--file", "file", default=None, help="Only rows of files whose path holds this text.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to show.")
@common_options(need="check")
def db_duplicates(
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    reason: str | None,
    batches: tuple[str, ...],
    file: str | None,
    limit: int,
) -> None:
    """The rows ingest dropped as duplicates: file:row, reason, the kept task (id, file:row) and the similarity."""
    from pipeline.ingest.api import duplicate_rows

    def line(r: dict[str, Any]) -> str:
        score = "" if r["score"] is None else f", score {r['score']:.2f}"
        kept = _at(r["kept_file"], r["kept_row"])
        return (
            f"{_at(r['source_file'], r['source_row'])}  {r['reason']} of {r['duplicate_of']} ({kept}){score}: "
            f"{_one_line(r['prompt'])}"
        )

    _listing(
        db,
        config_path,
        as_json,
        lambda store: duplicate_rows(store, reason=reason, batches=batches, file=file, limit=limit),
        "no duplicate rows",
        line,
        "--limit, --reason, --file, --batch",
    )


@db.command("contamination")
@click.option("--benchmark", default=None, help="Only hits on this benchmark.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to show.")
@common_options(need="check")
def db_contamination(
    db: Path | None, config_path: Path | None, as_json: bool, benchmark: str | None, limit: int
) -> None:
    """The tasks decontamination found in a benchmark: task (file:row), benchmark, item, method and score."""
    from pipeline.ingest.api import contamination_rows

    def line(r: dict[str, Any]) -> str:
        score = "" if r["score"] is None else f" {r['score']:.2f}"
        return (
            f"{r['task_id']} ({_at(r['source_file'], r['source_row'])})  {r['benchmark']} item "
            f"{r['benchmark_item']}, {r['method']}{score}: {_one_line(r['prompt'])}"
        )

    _listing(
        db,
        config_path,
        as_json,
        lambda store: contamination_rows(store, benchmark=benchmark, limit=limit),
        "no contaminated tasks",
        line,
        "--limit, --benchmark",
    )


@main.group()
def schemas() -> None:
    """The data contracts."""


@schemas.command("export")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas/json"))
def schemas_export(out: Path) -> None:
    """Write one JSON Schema file per table (for downstream users)."""
    from schemas.export import write_json_schemas

    for path in write_json_schemas(out):
        click.echo(str(path))


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("thinkmill.yaml"),
    show_default=True,
    help="File to write.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(out: Path, force: bool) -> None:
    """Write a commented starter config (./thinkmill.yaml) to edit for your own data and server."""
    from pipeline.config import write_starter_config

    path = write_starter_config(out, force=force)
    click.echo(f"wrote {path}: edit ingest.sources and generate, then run `thinkmill ingest`")


@main.command()
@common_options(
    need="defaults", config_help="Config YAML (default: the bundled sample config; the only command that uses it)."
)
def demo(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Materialise the whole asset graph on the bundled sample data, then print a summary (needs Dagster)."""
    from assets.demo import run_demo  # the demo orchestrates the Dagster graph: it lives in the Dagster layer
    from pipeline.config import SAMPLE_CONFIG, keep_demo_apart

    path = db_path(db)
    if path.exists():
        cfg = load(config_path or SAMPLE_CONFIG)
        with Store.open(path) as store:
            keep_demo_apart(store, cfg, path)
    summary = run_demo(path, config_path)
    if as_json:
        echo_json({"summary": summary})
    else:
        click.echo(summary)


for _mod in STAGE_CLIS:
    for _cmd in _mod.COMMANDS:
        main.add_command(_cmd)

if __name__ == "__main__":
    main()
