"""The ingest stage: `run(store, cfg, ...) -> StageReport`, the one entry the CLI and the assets call.

`run` reads the configured sources (or the `paths` given), stages them and commits them as one batch; the Dagster
assets run the two phases as separate assets (`phase="stage"`, then `phase="commit"`). `ingest_paths` and
`ingest_sources` are shorthands over the same code for Python callers; all return a `StageReport`."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from pipeline.dedup.config import DedupConfig
from pipeline.ingest.commit import _BatchCounts, commit_batch
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.sources import Input, LeftOut, Resolved, resolve
from pipeline.ingest.stage import StagedBatch, pending_batches, stage_inputs
from pipeline.report import StageReport
from pipeline.store import Store

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig


def known_inputs(store: Store, staging: Path | None = None) -> set[tuple[str, str, str | None]]:
    """(path, content_hash, settings_hash) of each input as it was last ingested, or as staged and waiting for commit
    (the settings hash is None for files ingested before it was recorded). Only a path's last content counts: a file
    put back as it was at an earlier reading was skipped "unchanged", and its tasks kept the later file's answers."""
    df = store.query(
        "SELECT path, content_hash, settings_hash FROM ingest_files "
        "QUALIFY row_number() OVER (PARTITION BY path ORDER BY created_at DESC, ingest_batch DESC) = 1"
    )
    last = {path: (path, digest, settings) for path, digest, settings in df.iter_rows()}
    if staging is not None:
        for b in pending_batches(staging):  # oldest first: a later staged reading of a path replaces an earlier one
            last.update({i.path: (i.path, i.content_hash, i.settings_hash) for i in b.inputs})
    return set(last.values())


def inputs_for(sources: Sequence[SourceConfig], base_dir: Path | None = None) -> list[Input]:
    return resolve_sources(sources, base_dir).inputs


def resolve_sources(sources: Sequence[SourceConfig], base_dir: Path | None = None) -> Resolved:
    """The inputs of `sources`, and the files their folders hold for other splits (left out, reported)."""
    out = Resolved([])
    for s in sources:
        r = resolve(s, base_dir)
        out.inputs.extend(r.inputs)
        out.left_out.extend(r.left_out)
        out.unread.extend(r.unread)
    return out


def _note_left_out(report: StageReport, left_out: Sequence[LeftOut], unread: Sequence[str] = ()) -> StageReport:
    """Name the files left out for their split, and the data files of a type not read (`unread`): in the metadata
    and one line each for the CLI."""
    report.set(left_out_files=[{"path": x.path, "split": x.split} for x in left_out], unread_files=list(unread))
    report.summary += [
        f"  {x.path}: named for split {x.split}, left out (set the source's split to read it)" for x in left_out
    ]
    report.summary += [
        f"  {p}: not read: a file type ingest does not read (it reads {_READ_TYPES}); convert or decompress it to "
        "ingest its rows"
        for p in unread
    ]
    return report


_READ_TYPES = ".jsonl, .ndjson, .jsonl.gz, .json, .csv, .tsv, .parquet"


def stored_mcq_letters(store: Store) -> dict[str, Counter[str]]:
    """The answer letters of the stored MCQ tasks, by source (for the answer-position check across runs)."""
    out: dict[str, Counter[str]] = {}
    for source, answer, n in store.query(
        "SELECT source, answer, count(*) FROM tasks WHERE verifier = 'mcq' AND answer IS NOT NULL GROUP BY 1, 2"
    ).iter_rows():
        out.setdefault(source, Counter())[answer] = int(n)
    return out


def stage(store: Store, inputs: Sequence[Input], cfg: IngestConfig, staging: Path) -> StagedBatch:
    return stage_inputs(inputs, cfg, staging, known_inputs(store, staging), stored_letters=stored_mcq_letters(store))


def ingest_inputs(
    store: Store,
    inputs: Sequence[Input],
    cfg: IngestConfig | None = None,
    dedup: DedupConfig | None = None,
    left_out: Sequence[LeftOut] = (),
    *,
    reread: bool = False,
    unread: Sequence[str] = (),
) -> StageReport:
    """Stage `inputs` in a temporary folder and commit them: one ingest batch (`left_out`: files the sources'
    folders hold for another split, named in the report; `reread`: read files already ingested with the same
    content and settings again; `unread`: data files of the sources' folders of a type not read, named too)."""
    cfg = cfg or IngestConfig()
    report = StageReport("ingest")
    with tempfile.TemporaryDirectory(prefix="thinkmill-ingest-") as tmp:
        with report.timed("stage"):
            staged = stage_inputs(
                inputs, cfg, Path(tmp), known_inputs(store), stored_letters=stored_mcq_letters(store), reread=reread
            )
        with report.timed("commit"):
            counts = commit_batch(
                store, staged, (dedup or DedupConfig()) if cfg.dedup else None, cfg.raw_truncate_chars
            )
    return _note_left_out(_note_quarantined(_committed(report, [counts]), store), left_out, unread)


class PathOptions(TypedDict, total=False):
    """How to read ad-hoc PATHS: the per-source settings of `SourceConfig` that `thinkmill ingest PATHS` takes as
    flags. `ingest_paths` and `run` take them as keywords and hand them to `path_sources` unchanged."""

    mapping: dict[str, str | list[str]] | None
    defaults: dict | None
    license: str | None
    answer_regex: str | None
    answer_index_base: int | None
    integer_answer: str | None
    shuffle_choices: bool | None
    answer_list: str | None
    context_optional: bool | None
    decimal_comma: bool | None
    split: str | None


def path_sources(paths: Sequence[str | Path], source: str, **options: Unpack[PathOptions]) -> list[SourceConfig]:
    """Ad-hoc files, folders or globs as sources of one name (`thinkmill ingest PATHS`)."""
    given = {k: v for k, v in options.items() if v is not None}
    return [SourceConfig(name=source, path=str(p), **given) for p in paths]


def ingest_paths(
    store: Store,
    paths: Sequence[str | Path],
    *,
    source: str = "local",
    cfg: IngestConfig | None = None,
    dedup: DedupConfig | None = None,
    reread: bool = False,
    **options: Unpack[PathOptions],
) -> StageReport:
    """Ingest files, folders or globs as one source named `source` (`options`: see `PathOptions`)."""
    r = resolve_sources(path_sources(paths, source, **options))
    return ingest_inputs(store, r.inputs, cfg, dedup, r.left_out, reread=reread, unread=r.unread)


def ingest_sources(
    store: Store, config: ThinkmillConfig, names: Sequence[str] | None = None, *, reread: bool = False
) -> StageReport:
    """Ingest every source configured under `ingest.sources` (or only those named)."""
    sources = [s for s in config.ingest.sources if not names or s.name in names]
    r = resolve_sources(sources, config.base_dir)
    return ingest_inputs(store, r.inputs, config.ingest, config.dedup, r.left_out, reread=reread, unread=r.unread)


_READ_AGAIN = {
    "settings changed": " (read again: settings changed since it was ingested)",
    "asked": " (read again: --reread)",
}


QUARANTINE_DETAIL_CHARS = 200  # of a quarantine example's detail in the summary


def _row_filters(
    table: str, reason: str | None, batches: Sequence[str], file: str | None
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions and parameters of a listing of ingest's rows (`quarantine_rows`, `duplicate_rows`): those
    of `reason`, of the ingest `batches`, of files whose path holds `file`; `table`: the columns' prefix (`d.`)."""
    where, params = ["TRUE"], []
    if reason:
        where.append(f"{table}reason = ?")
        params.append(reason)
    if batches:
        where.append(f"{table}ingest_batch IN ({', '.join('?' for _ in batches)})")
        params += list(batches)
    if file:
        where.append(f"contains({table}source_file, ?)")
        params.append(file)
    return where, params


def quarantine_rows(
    store: Store,
    *,
    reason: str | None = None,
    batches: Sequence[str] = (),
    file: str | None = None,
    first_of_each_reason: bool = False,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Quarantined rows (source, file, row, reason, detail, raw, batch), by file and row, and how many match in all:
    those of `reason`, of the ingest `batches`, of files whose path holds `file`; `first_of_each_reason`: one row a
    reason (the first by file and row)."""
    where, params = _row_filters("", reason, batches, file)
    rows = (
        "SELECT source, source_file, source_row, reason, detail, raw, ingest_batch FROM quarantine "
        f"WHERE {' AND '.join(where)}"
    )
    if first_of_each_reason:
        rows += " QUALIFY row_number() OVER (PARTITION BY reason ORDER BY source_file, source_row) = 1"
    total = int(store.fetchone(f"SELECT count(*) FROM ({rows})", params)[0])  # type: ignore[index]
    rows += " ORDER BY " + ("reason" if first_of_each_reason else "source_file, source_row")
    if limit is not None:
        rows += f" LIMIT {int(limit)}"
    return store.query(rows, params).to_dicts(), total


def duplicate_rows(
    store: Store,
    *,
    reason: str | None = None,
    batches: Sequence[str] = (),
    file: str | None = None,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Rows ingest dropped as duplicates (`task_duplicates`: file, row, reason, score, prompt, the kept task's id and,
    where it is stored, its file and row as `kept_file` / `kept_row`), by file and row, and how many match in all:
    those of `reason`, of the ingest `batches`, of files whose path holds `file`."""
    where, params = _row_filters("d.", reason, batches, file)
    rows = (
        "SELECT d.source_file, d.source_row, d.reason, d.score, d.task_id, d.duplicate_of, "
        "t.source_file AS kept_file, t.source_row AS kept_row, d.prompt, d.ingest_batch "
        f"FROM task_duplicates d LEFT JOIN tasks t ON t.task_id = d.duplicate_of WHERE {' AND '.join(where)}"
    )
    total = int(store.fetchone(f"SELECT count(*) FROM ({rows})", params)[0])  # type: ignore[index]
    rows += " ORDER BY d.source_file, d.source_row, d.task_id"
    if limit is not None:
        rows += f" LIMIT {int(limit)}"
    return store.query(rows, params).to_dicts(), total


def contamination_rows(
    store: Store, *, benchmark: str | None = None, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Contamination hits (task, its file and row and prompt, benchmark, item, method, score) by task, benchmark and
    item, and how many match in all (of `benchmark`)."""
    where, params = "TRUE", []
    if benchmark:
        where, params = "c.benchmark = ?", [benchmark]
    rows = (
        "SELECT c.task_id, t.source_file, t.source_row, c.benchmark, c.benchmark_item, c.method, c.score, t.prompt "
        f"FROM contamination c LEFT JOIN tasks t ON t.task_id = c.task_id WHERE {where}"
    )
    total = int(store.fetchone(f"SELECT count(*) FROM ({rows})", params)[0])  # type: ignore[index]
    rows += " ORDER BY c.task_id, c.benchmark, c.benchmark_item, c.method"
    if limit is not None:
        rows += f" LIMIT {int(limit)}"
    return store.query(rows, params).to_dicts(), total


def _note_quarantined(report: StageReport, store: Store) -> StageReport:
    """The first quarantined row of each reason of the report's batches, with its detail (which says what to do), in
    the summary and as `quarantine_examples`: the counts alone named no row."""
    ids = report.metadata.get("batches") or []
    if not report.metadata.get("quarantined") or not ids:
        return report
    first, _ = quarantine_rows(store, batches=ids, first_of_each_reason=True)
    report.set(
        quarantine_examples={
            r["reason"]: {"file": r["source_file"], "row": r["source_row"], "detail": r["detail"]} for r in first
        }
    )
    report.summary.append(
        "quarantined rows, the first of each reason (file:row, 0-based; all of them: thinkmill db quarantine"
        f"{' --batch ' + ids[0] if len(ids) == 1 else ''}):"
    )
    for r in first:
        detail = " ".join((r["detail"] or "").split())
        if len(detail) > QUARANTINE_DETAIL_CHARS:
            detail = detail[: QUARANTINE_DETAIL_CHARS - 3] + "..."
        report.summary.append(f"  {r['source_file']}:{r['source_row']}  {r['reason']}: {detail}")
    return report


def _committed(report: StageReport, batches: Sequence[_BatchCounts]) -> StageReport:
    """Fill `report` from committed batches: in = rows read, out = tasks ingested, drops = quarantine and
    duplicate reasons; metadata keeps every count (`batch`, `read`, `ingested`, `files`, ...)."""
    totals = {
        k: sum(getattr(b, k) for b in batches)
        for k in (
            "read",
            "ingested",
            "quarantined",
            "duplicate",
            "updated",
            "relicensed",
            "other_domain",
            "other_system",
            "retired",
        )
    }
    quarantine: dict[str, int] = {}
    duplicate: dict[str, int] = {}
    for b in batches:
        for k, v in b.quarantine_reasons.items():
            quarantine[k] = quarantine.get(k, 0) + v
        for k, v in b.duplicate_reasons.items():
            duplicate[k] = duplicate.get(k, 0) + v
    ids = [b.batch for b in batches]
    files = [f for b in batches for f in b.files]
    skipped = [p for b in batches for p in b.skipped_files]
    unrecorded = [p for b in batches for p in b.unrecorded_files]
    report.rows_in, report.rows_out = totals["read"], totals["ingested"]
    report.add_drops(quarantine)
    report.add_drops(duplicate)
    report.set(
        batch=", ".join(ids) or "-",
        batches=ids,
        **totals,
        files=files,
        skipped_files=skipped,
        unrecorded_files=unrecorded,
        quarantine_reasons=quarantine,
        duplicate_reasons=duplicate,
        reasons={**quarantine, **duplicate},
    )
    updated = (
        f" ({totals['updated']:,} updated: a stored task's answer, verifier or verifier args changed; its verdicts "
        "are judged again)"
        if totals["updated"]
        else ""
    )
    relicensed = f" ({totals['relicensed']:,} stored tasks took this run's licence)" if totals["relicensed"] else ""
    report.summary = [
        f"batch {', '.join(ids) or '-'}: read {totals['read']:,}, ingested {totals['ingested']:,}{updated}, "
        f"quarantined {totals['quarantined']:,}, duplicate {totals['duplicate']:,}{relicensed}"
    ]
    if totals["other_domain"]:
        report.summary.append(
            f"  {totals['other_domain']:,} stored tasks keep their domain though this reading gives another (a domain "
            "picks the requests' answer instruction: taking it would generate every sample again; ingest into a "
            "fresh store to change it)"
        )
    if totals["other_system"]:
        report.summary.append(
            f"  {totals['other_system']:,} stored tasks keep their system prompt though this reading gives another "
            "(it is sent with every request: taking it would generate every sample again; ingest into a fresh store "
            "to change it)"
        )
    if totals["retired"]:
        rows = "1 row is" if totals["retired"] == 1 else f"{totals['retired']:,} rows are"
        report.summary.append(
            f"  {rows} of a retired task: it stays retired (no new requests, in no new version); "
            "`thinkmill tasks restore` brings it back"
        )
    report.summary += [
        f"  {f['path']}{_READ_AGAIN.get(f.get('reread') or '', '')}: read {f['rows_read']:,}, "
        f"ingested {f['ingested']:,}, quarantined {f['quarantined']:,}, duplicate {f['duplicate']:,}"
        for f in files
    ]
    report.summary += [
        f"  {p}: unchanged since last ingest, skipped"
        + (
            " (ingested before thinkmill recorded the settings it was read with: --reread reads it with today's)"
            if p in unrecorded
            else ""
        )
        for p in skipped
    ]
    return report


def _staged(report: StageReport, staged: StagedBatch) -> StageReport:
    read = sum(i.rows_read for i in staged.inputs)
    quarantined = sum(i.quarantined for i in staged.inputs)
    again = sum(1 for i in staged.inputs if i.reread)
    report.rows_in, report.rows_out = read, read - quarantined
    report.set(
        batch=staged.batch_id,
        rows_read=read,
        quarantined_at_read=quarantined,
        new_files=len(staged.inputs) - again,  # new or changed
        read_again_files=again,  # unchanged, read again: other settings, or --reread
        unchanged_files=len(staged.skipped),
        files={i.path: i.rows_read for i in staged.inputs},
        reread_files={i.path: i.reread for i in staged.inputs if i.reread},
    )
    report.summary = [
        f"staged batch {staged.batch_id}: {len(staged.inputs) - again} new or changed files, {again} read again "
        f"(settings changed, or --reread), {len(staged.skipped)} unchanged; read {read:,}, "
        f"quarantined at read {quarantined:,}"
    ]
    return report


def run(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    paths: Sequence[str | Path] = (),
    source: str = "local",
    names: Sequence[str] | None = None,
    phase: str = "all",
    staging: Path | None = None,
    reread: bool = False,
    **options: Unpack[PathOptions],
) -> StageReport:
    """Ingest `paths` (one ad-hoc source named `source`, read as `options` say: see `PathOptions`) or the
    configured sources (only `names`, if given).

    `phase`: "all" stages and commits one batch; "stage" only stages the configured sources into `staging`;
    "commit" only commits the batches waiting in `staging` (the two Dagster assets).
    A file already ingested is read again when the settings it is read with changed (`read_settings_hash`), or
    with `reread` (phase "all")."""
    report = StageReport("ingest")
    if phase == "commit":
        if staging is None:
            raise ValueError("phase 'commit' needs the staging folder")
        with report.timed("commit"):
            counts = [
                commit_batch(store, b, cfg.dedup if cfg.ingest.dedup else None, cfg.ingest.raw_truncate_chars)
                for b in pending_batches(staging)
            ]
        return _note_quarantined(_committed(report, counts), store)
    if paths:
        resolved = resolve_sources(path_sources(paths, source, **options))
    else:
        resolved = resolve_sources([s for s in cfg.ingest.sources if not names or s.name in names], cfg.base_dir)
    inputs = resolved.inputs
    if phase == "stage":
        if staging is None:
            raise ValueError("phase 'stage' needs the staging folder")
        with report.timed("stage"):
            staged = stage(store, inputs, cfg.ingest, staging)
        return _note_left_out(_staged(report, staged), resolved.left_out, resolved.unread)
    if phase != "all":
        raise ValueError(f"phase must be all, stage or commit, not {phase!r}")
    return ingest_inputs(store, inputs, cfg.ingest, cfg.dedup, resolved.left_out, reread=reread, unread=resolved.unread)
