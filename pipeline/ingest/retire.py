"""Retiring stored tasks: take a task out of training without a fresh store.

Ingest only adds and corrects tasks. A task that must not train any more (a broken prompt, a wrong task, a row
deleted or rewritten in its source file) is retired: `retire(store, ids, reason)` records it in `retired_tasks`,
and from then on it is left out exactly like a contaminated task: the generate stage gets no request for it
(`read_clean_tasks`), select ranks its traces after usable ones across tasks (`dedup.select._UNUSABLE_SQL`), and
the build drops its selected traces (`balance:retired`), so it builds into no new version. Nothing else is removed:
its generations, verdicts and selections stay, so `restore(store, ids)` brings it back without generating again,
and versions already built keep their rows (they are immutable).

`thinkmill tasks retire|restore|retired` (`pipeline/tasks.py`) are the commands over these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipeline.ingest.errors import IngestError
from pipeline.report import StageReport
from pipeline.store import Store, now_utc

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig

# a task the user retired: what every stage that leaves contaminated tasks out leaves out as well
RETIRED_IDS_SQL = "SELECT task_id FROM retired_tasks"
_SHOWN_IDS = 5  # ids named in one error line


class RetireError(IngestError):
    """A retire or restore that cannot be done as asked (unknown ids, no reason, an unreadable ids file);
    nothing is changed."""


def _named(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    return shown + (f", ... ({len(ids):,} in all)" if len(ids) > _SHOWN_IDS else "")


def read_ids_file(path: Path) -> list[str]:
    """Task ids from a file, one a line (blank lines and lines starting with `#` skipped; spaces around an id
    are not part of it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RetireError(f"cannot read ids file {path}: {exc}") from exc
    ids = [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]
    if not ids:
        raise RetireError(f"ids file {path} names no task id (one id a line)")
    return ids


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _check_known(store: Store, ids: list[str], what: str) -> None:
    """Stop, changing nothing, when an id is not a stored task."""
    if not ids:
        raise RetireError(f"no task id given to {what}: pass --id ID (repeatable) or --ids-file FILE")
    known = set(
        store.query("SELECT task_id FROM tasks WHERE task_id IN (SELECT id FROM _ids)", frames={"_ids": _frame(ids)})[
            "task_id"
        ].to_list()
    )
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise RetireError(
            f"{len(unknown):,} of {len(ids):,} task ids are not stored tasks: {_named(unknown)}; nothing {what}d "
            "(`thinkmill tasks retired` lists retired tasks; task ids are in `tasks.task_id`)"
        )


def _frame(ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"id": ids}, schema={"id": pl.String})


def _retired_of(store: Store, ids: list[str]) -> set[str]:
    return set(
        store.query(
            "SELECT task_id FROM retired_tasks WHERE task_id IN (SELECT id FROM _ids)", frames={"_ids": _frame(ids)}
        )["task_id"].to_list()
    )


def retire(store: Store, ids: Iterable[str], reason: str) -> StageReport:
    """Retire the stored tasks `ids` for `reason` (one transaction). An id that is not a stored task stops it
    with `RetireError` naming it, and nothing is retired; an id already retired keeps its reason and time.
    In = ids given, out = tasks newly retired; metadata: retired, already_retired, retired_total."""
    report = StageReport("retire")
    ids = _unique(ids)
    reason = " ".join(reason.split())
    if not reason:
        raise RetireError("--reason is empty: say why the tasks are retired (it is kept with them)")
    with report.timed("retire"):
        _check_known(store, ids, "retire")
        with store.writing() as w:
            already = _retired_of(store, ids)
            new = [i for i in ids if i not in already]
            if new:
                now = now_utc()
                w.insert(
                    "retired_tasks",
                    pl.DataFrame({"task_id": new, "reason": [reason] * len(new), "retired_at": [now] * len(new)}),
                )
        total = store.count("retired_tasks")
    report.rows_in, report.rows_out = len(ids), len(new)
    report.set(retired=new, already_retired=sorted(already), retired_total=total, reason=reason)
    report.summary = [f"retired {len(new):,} task{'' if len(new) == 1 else 's'} ({total:,} retired in all): {reason}"]
    if already:
        report.summary.append(
            f"  {len(already):,} were already retired and keep their reason: {_named(sorted(already))}"
        )
    if new:
        report.summary.append(
            "  they get no new requests, are not selected and build into no new version (versions already built keep "
            "their rows); their generations and verdicts stay: `thinkmill tasks restore` brings them back"
        )
    return report


def restore(store: Store, ids: Iterable[str]) -> StageReport:
    """Take the tasks `ids` out of `retired_tasks` (one transaction): they are generated for, selected and built
    again, with the generations and verdicts they kept. An id that is not a stored task stops it with
    `RetireError`, nothing restored; a stored task that is not retired is counted (`not_retired`), not an error.
    In = ids given, out = tasks restored."""
    report = StageReport("restore")
    ids = _unique(ids)
    with report.timed("restore"):
        _check_known(store, ids, "restore")
        with store.writing() as w:
            retired = _retired_of(store, ids)
            back = [i for i in ids if i in retired]
            if back:
                w.delete("retired_tasks", "task_id IN (SELECT unnest(?::VARCHAR[]))", [back])
        total = store.count("retired_tasks")
    not_retired = [i for i in ids if i not in retired]
    report.rows_in, report.rows_out = len(ids), len(back)
    report.set(restored=back, not_retired=not_retired, retired_total=total)
    report.summary = [f"restored {len(back):,} task{'' if len(back) == 1 else 's'} ({total:,} still retired)"]
    if not_retired:
        report.summary.append(f"  {len(not_retired):,} were not retired: {_named(not_retired)}")
    if back:
        report.summary.append(
            "  they are generated for, selected and built again (`thinkmill select`, then `thinkmill build`), with "
            "the generations and verdicts they kept"
        )
    return report


def missing_from(store: Store, cfg: ThinkmillConfig, names: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """The stored tasks of the configured sources `names` that a reading of those sources today yields no task
    for (a row deleted from its file, a prompt edited in a row without an id, a row that is quarantined now), by
    id; and what was read (`sources`, `files`, `rows_read`, `quarantined_at_read`, `stored`: the sources' stored
    tasks). The sources are read as `thinkmill ingest` reads them (every file again, nothing written): a task id
    comes from the row's id or its prompt under the source's mapping, so it is the stored task's exactly when the
    row is. A source that is not configured, a data file it does not read, or a read that fails stops it with
    `RetireError` (or the read's own error): nothing can be told missing from a source not read whole."""
    import tempfile

    from pipeline.ingest.api import resolve_sources
    from pipeline.ingest.stage import stage_inputs

    names = _unique(names)
    configured = [s.name for s in cfg.ingest.sources]
    unknown = [n for n in names if n not in configured]
    if unknown:
        listed = ", ".join(configured) or "none"
        raise RetireError(
            f"--missing-from {unknown[0]}: not a source configured under ingest.sources (configured: {listed}); "
            "it reads a configured source as `thinkmill ingest` does"
        )
    resolved = resolve_sources([s for s in cfg.ingest.sources if s.name in names], cfg.base_dir)
    if resolved.unread:
        raise RetireError(
            f"--missing-from: {resolved.unread[0]} is a data file of the sources that ingest does not read, so which "
            "stored tasks it holds cannot be told; convert it, or retire by --id; nothing retired"
        )
    with tempfile.TemporaryDirectory(prefix="thinkmill-missing-") as tmp:
        staged = stage_inputs(resolved.inputs, cfg.ingest, Path(tmp), set(), reread=True)
        parts = staged.task_parts()
        held = (
            set(pl.scan_parquet(parts).select("task_id").collect().get_column("task_id").to_list()) if parts else set()
        )
    stored = store.query(
        "SELECT task_id FROM tasks WHERE source IN (SELECT unnest(?::VARCHAR[])) ORDER BY task_id", [names]
    ).get_column("task_id")
    missing = [t for t in stored.to_list() if t not in held]
    info = {
        "sources": names,
        "files": [i.path for i in staged.inputs],
        "rows_read": sum(i.rows_read for i in staged.inputs),
        "quarantined_at_read": sum(i.quarantined for i in staged.inputs),
        "stored": stored.len(),
    }
    return missing, info


def missing_report(missing: list[str], info: dict[str, Any], dry_run: bool) -> StageReport:
    """The report of a `--missing-from` reading that retires nothing (`dry_run`, or nothing missing); its first
    summary line says what was read. In = tasks missing, out = 0."""
    report = StageReport("retire")
    report.rows_in, report.rows_out = len(missing), 0
    report.set(missing=missing, dry_run=dry_run, **info)
    what = f"; would retire: {_named(missing)}" if missing else ": nothing to retire"
    report.summary = [
        f"read {len(info['files']):,} files of {', '.join(info['sources'])}: {info['rows_read']:,} rows "
        f"({info['quarantined_at_read']:,} quarantined at read); {info['stored']:,} stored tasks of these sources",
        f"{len(missing):,} of them are no longer in the sources{what}",
    ]
    return report


def retired_count(store: Store) -> int:
    """How many stored tasks are retired (a retired id no longer in `tasks` is not counted)."""
    return store.count("retired_tasks", "task_id IN (SELECT task_id FROM tasks)")


def retired_rows(store: Store, *, limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The retired tasks, newest first: task id, source, file:row, reason, when, and the prompt's start; with the
    total."""
    total = store.count("retired_tasks")
    lim = f" LIMIT {int(limit)}" if limit is not None else ""
    df = store.query(
        "SELECT r.task_id, t.source, t.source_file, t.source_row, r.reason, r.retired_at, "
        "left(t.prompt, 120) AS prompt FROM retired_tasks r LEFT JOIN tasks t USING (task_id) "
        f"ORDER BY r.retired_at DESC, r.task_id{lim}"
    )
    return df.to_dicts(), total
