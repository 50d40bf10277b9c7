"""`thinkmill tasks`: retire stored tasks, restore them, list the retired ones (`pipeline.ingest.retire`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_common import UsageError, common_options, db_path, echo_json, echo_report, load
from pipeline.store import Store


@click.group()
def tasks() -> None:
    """Stored tasks: retire the ones that must not train, restore them, list the retired ones."""


def _ids(ids: tuple[str, ...], ids_file: Path | None) -> list[str]:
    from pipeline.ingest.retire import read_ids_file

    if ids and ids_file is not None:
        raise UsageError("--id and --ids-file do not go together: give the ids one way")
    if ids_file is not None:
        return read_ids_file(ids_file)
    if not ids:
        raise UsageError("no task id given: pass --id ID (repeatable) or --ids-file FILE")
    return list(ids)


_ID = click.option("--id", "ids", multiple=True, metavar="ID", help="A stored task id (repeatable).")
_IDS_FILE = click.option(
    "--ids-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file of task ids, one a line (blank lines and # comments skipped).",
)


@tasks.command("retire")
@_ID
@_IDS_FILE
@click.option(
    "--missing-from",
    "missing_from",
    multiple=True,
    metavar="SOURCE",
    help="A configured source (repeatable): retire its stored tasks that reading its files today yields no task for "
    "(rows deleted, prompts edited without an id, rows quarantined now).",
)
@click.option("--dry-run", is_flag=True, help="With --missing-from: list the tasks it would retire, retire none.")
@click.option(
    "--reason", default=None, help="Why the tasks must not train (required; kept with them, listed by `retired`)."
)
@common_options(need="check")
def tasks_retire(
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    ids: tuple[str, ...],
    ids_file: Path | None,
    missing_from: tuple[str, ...],
    dry_run: bool,
    reason: str | None,
) -> None:
    """Retire stored tasks: no new requests, not selected, in no new version (their generations stay)."""
    from pipeline.ingest.retire import retire

    if missing_from:
        if ids or ids_file is not None:
            raise UsageError("--missing-from and --id / --ids-file do not go together: give the tasks one way")
        _retire_missing(db, config_path, as_json, missing_from, dry_run, reason)
        return
    if dry_run:
        raise UsageError("--dry-run goes with --missing-from (with --id the tasks are the ones named)")
    load(config_path, "check")
    wanted = _ids(ids, ids_file)
    if reason is None:
        raise UsageError("--reason TEXT is required: say why the tasks must not train (it is kept with them)")
    with Store.open(db_path(db), create=False) as store:
        echo_report(retire(store, wanted, reason), as_json)


def _retire_missing(
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    names: tuple[str, ...],
    dry_run: bool,
    reason: str | None,
) -> None:
    """`retire --missing-from`: read the sources as ingest does, retire (or, `dry_run`, list) what they no longer
    hold."""
    from pipeline.ingest.retire import missing_from, missing_report, retire

    cfg = load(config_path, "required")
    if reason is None and not dry_run:
        raise UsageError("--reason TEXT is required: say why the tasks must not train (it is kept with them)")
    # read-only while the files are read (seconds to minutes): the writer is taken only to retire
    with Store.open(db_path(db), read_only=True) as store:
        missing, info = missing_from(store, cfg, names)
    if dry_run or not missing:
        echo_report(missing_report(missing, info, dry_run), as_json)
        return
    with Store.open(db_path(db), create=False) as store:
        report = retire(store, missing, reason or "")
    report.set(missing=missing, **info)
    report.summary.insert(0, missing_report(missing, info, False).summary[0])
    echo_report(report, as_json)


@tasks.command("restore")
@_ID
@_IDS_FILE
@common_options(need="check")
def tasks_restore(
    db: Path | None, config_path: Path | None, as_json: bool, ids: tuple[str, ...], ids_file: Path | None
) -> None:
    """Bring retired tasks back, with the generations and verdicts they kept."""
    from pipeline.ingest.retire import restore

    load(config_path, "check")
    wanted = _ids(ids, ids_file)
    with Store.open(db_path(db), create=False) as store:
        echo_report(restore(store, wanted), as_json)


@tasks.command("retired")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows to show.")
@common_options(need="check")
def tasks_retired(db: Path | None, config_path: Path | None, as_json: bool, limit: int) -> None:
    """The retired tasks, newest first: id, file:row, reason, when."""
    from pipeline.ingest.retire import retired_rows

    load(config_path, "check")
    with Store.open(db_path(db), read_only=True) as store:
        rows, total = retired_rows(store, limit=limit)
    if as_json:
        echo_json({"total": total, "rows": rows})
        return
    if not rows:
        click.echo("no retired tasks")
        return
    for r in rows:
        where = f"{r['source_file']}:{r['source_row']}" if r["source_file"] else (r["source"] or "-")
        click.echo(f"{r['task_id']}  {where}  {r['retired_at']:%Y-%m-%d %H:%M}  {r['reason']}")
    if total > len(rows):
        click.echo(f"... {total - len(rows):,} more (--limit)")


COMMANDS = [tasks]
