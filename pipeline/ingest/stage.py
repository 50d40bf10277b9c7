"""Phase 1 of an ingest run: stream every input, normalise rows into tasks or quarantine records, and stage
both as Parquet parts on disk. Memory stays bounded by one batch (`ingest.batch_rows`), whatever the file size.

A staged batch is a folder `<staging>/<batch_id>/` with `tasks-*.parquet`, `quarantine-*.parquet` and, written
last, `manifest.json`; a folder without a manifest is an interrupted run and is ignored.
"""

from __future__ import annotations

import difflib
import gc
import json
import secrets
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.ingest.choices import IndexSeen
from pipeline.ingest.columnar import fast_path_applies, normalize_bulk
from pipeline.ingest.config import IngestConfig, read_settings_hash
from pipeline.ingest.errors import IngestError
from pipeline.ingest.normalize import (
    Rejected,
    lookup,
    may_answer,
    normalize_record,
    prompt_hashes,
    with_mcq_dedup_keys,
)
from pipeline.ingest.readers import RawRow, keys_in_json, reads_semicolons
from pipeline.ingest.sources import Input
from schemas.contracts import QUARANTINE, TASK

MANIFEST = "manifest.json"
STAGED_TASK_SCHEMA: dict[str, pl.DataType] = {
    **{c: t for c, t in TASK.polars_schema().items() if c != "created_at"},
    "dedup_text": pl.String(),
    "seq": pl.Int64(),
}
STAGED_QUARANTINE_SCHEMA = {c: t for c, t in QUARANTINE.polars_schema().items() if c != "created_at"}


def new_batch_id() -> str:
    return f"ingest-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


@dataclass
class StagedInput:
    source: str
    path: str
    content_hash: str
    size_bytes: int | None
    rows_read: int = 0
    quarantined: int = 0
    settings_hash: str | None = None  # `read_settings_hash` of its source and the ingest config
    reread: str | None = None  # why a file already ingested was read again: "settings changed" or "asked"


@dataclass
class StagedBatch:
    batch_id: str
    folder: Path
    inputs: list[StagedInput] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # paths already ingested with the same content
    # of `skipped`: paths whose record holds no settings (ingested before thinkmill recorded them)
    unrecorded: list[str] = field(default_factory=list)

    def task_parts(self) -> list[Path]:
        return sorted(self.folder.glob("tasks-*.parquet"))

    def quarantine_parts(self) -> list[Path]:
        return sorted(self.folder.glob("quarantine-*.parquet"))

    def write_manifest(self) -> None:
        body = {
            "batch_id": self.batch_id,
            "inputs": [asdict(i) for i in self.inputs],
            "skipped": self.skipped,
            "unrecorded": self.unrecorded,
        }
        (self.folder / MANIFEST).write_text(json.dumps(body, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> StagedBatch:
        body = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        inputs = [StagedInput(**i) for i in body["inputs"]]
        return cls(body["batch_id"], folder, inputs, body.get("skipped", []), body.get("unrecorded", []))

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def pending_batches(staging: Path) -> list[StagedBatch]:
    """Staged batches not yet committed, oldest first."""
    if not staging.is_dir():
        return []
    return [StagedBatch.load(d) for d in sorted(staging.iterdir()) if (d / MANIFEST).is_file()]


def _raw_text(r: RawRow, limit: int) -> str:
    return r.raw_text()[:limit]


def _quarantine_row(inp: Input, r: RawRow, reason: str, detail: str, cfg: IngestConfig, batch: str) -> dict[str, Any]:
    return {
        "source": inp.source.name,
        "source_file": inp.path,
        "source_row": r.row,
        "reason": reason,
        "detail": detail,
        "raw": _raw_text(r, cfg.raw_truncate_chars),
        "ingest_batch": batch,
    }


class _PartWriter:
    def __init__(self, folder: Path, stem: str, schema: dict[str, pl.DataType]) -> None:
        self.folder, self.stem, self.schema, self.n = folder, stem, schema, 0

    def write(self, rows: list[dict[str, Any]] | pl.DataFrame) -> None:
        if len(rows):
            frame = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, schema=self.schema, orient="row")
            # zstd level 1: half the time of the default level for about the same size (parts are read once)
            frame.write_parquet(self.folder / f"{self.stem}-{self.n:06d}.parquet", compression_level=1)
            self.n += 1


def _finish(tasks: pl.DataFrame) -> pl.DataFrame:
    """`normalize.finish_ids` over a frame: the prompt hash of every row, the hash id of rows without one."""
    hashes = pl.Series("prompt_hash", prompt_hashes(tasks.get_column("dedup_text").to_list()), dtype=pl.String)
    return tasks.with_columns(hashes).with_columns(
        pl.coalesce("task_id", pl.col("source") + "/h" + pl.col("prompt_hash").str.slice(0, 16)).alias("task_id")
    )


def sparse_columns(inp: Input) -> frozenset[str]:
    """The mapped options columns that a JSON Lines or JSON input holds in some rows (`readers.keys_in_json`): a row
    there without one leaves a null key out (a mixed file's open question), while a file without it anywhere names
    a column it does not have (`missing_field:choices`, "no 'opts' column")."""
    mapped = inp.source.mapping.get("choices")
    if inp.kind != "file" or mapped is None:
        return frozenset()
    cols = [mapped] if isinstance(mapped, str) else list(mapped)
    last = {c: c.rsplit(".", 1)[-1] for c in cols}  # a dotted path's own key
    found = keys_in_json(Path(inp.path), set(last.values()))
    return frozenset(c for c, k in last.items() if k in found)


def _normalize_rows(
    inp: Input,
    raw_batch: list[RawRow],
    cfg: IngestConfig,
    batch_id: str,
    seen: IndexSeen | None = None,
    sparse: frozenset[str] = frozenset(),
    class_labels: dict[str, tuple[str, ...]] | None = None,
    semicolons: bool = False,
) -> tuple[list[pl.DataFrame], int, list[dict[str, Any]]]:
    """One read batch -> (frames of accepted rows with their `pos` in the batch, how many, quarantine rows).

    Rows of the plain, MCQ and code layouts go through `columnar.normalize_bulk`; every other row (read errors,
    other nested values, rows the bulk path cannot prove clean) through `normalize_record`."""
    extra = tuple(cfg.extra_verifiers)
    fast: pl.DataFrame | None = None
    todo: list[int] = list(range(len(raw_batch)))
    # an answer from a ClassLabel column: the per-row path reads its names (the bulk path has no mapping to name one)
    # a CSV read with `;`: its answers may have decimal commas, read row by row (`normalize._decimal_comma`)
    bulk = fast_path_applies(inp.source) and not (semicolons and inp.source.decimal_comma is not False)
    if bulk and not any(may_answer(c) for c in class_labels or ()):
        fast = normalize_bulk(
            [r.record if r.error is None else None for r in raw_batch],
            inp.source,
            max_prompt_chars=cfg.max_prompt_chars,
            extra_verifiers=extra,
            allow_template_tokens=cfg.allow_template_tokens,
            index_seen=seen,
        )
        taken = set(fast.get_column("pos").to_list())
        todo = [j for j in todo if j not in taken]
    tasks: list[dict[str, Any]] = []
    quarantined: list[dict[str, Any]] = []
    for j in todo:
        r = raw_batch[j]
        if r.error is not None:
            quarantined.append(_quarantine_row(inp, r, *r.error, cfg, batch_id))
            continue
        got = normalize_record(
            r.record or {},
            inp.source,
            max_prompt_chars=cfg.max_prompt_chars,
            extra_verifiers=extra,
            allow_template_tokens=cfg.allow_template_tokens,
            check_verifier_args=cfg.check_verifier_args,
            index_seen=seen,
            allow_media=cfg.allow_media,
            check_context=cfg.check_context,
            sparse=sparse,
            class_labels=class_labels,
            semicolons=semicolons,
        )
        if isinstance(got, Rejected):
            quarantined.append(_quarantine_row(inp, r, got.reason, got.detail, cfg, batch_id))
            continue
        got["pos"] = j
        tasks.append(got)
    schema = {**STAGED_TASK_SCHEMA, "pos": pl.Int64()}
    frames = [pl.DataFrame(tasks, schema={c: schema[c] for c in tasks[0]}, orient="row")] if tasks else []
    if fast is not None and fast.height:
        frames.append(fast)
    return frames, sum(f.height for f in frames), quarantined


# A file of at least this many MCQ rows with at least this share of answers on one letter holds its right answers in a
# fixed position (GPQA's `Correct Answer` column, TruthfulQA's mc1 targets): a fine-tune would learn the position.
POSITION_CHECK_MIN_ROWS = 20
POSITION_CHECK_MAX_SHARE = 0.9


def _mcq_letters(frames: list[pl.DataFrame]) -> Counter[str]:
    got: Counter[str] = Counter()
    for f in frames:
        mcq = f.filter(pl.col("verifier") == "mcq").get_column("answer")
        got.update(dict(mcq.value_counts().iter_rows()))
    return got


def _check_answer_positions(
    path: str, letters: Counter[str], files: int = 1, stored: Counter[str] | None = None
) -> None:
    """Refuse `letters` (the MCQ answers of one file, or of `files` files of one source, with `stored`: the source's
    stored MCQ tasks too) that sit in one position."""
    counted = letters + stored if stored else letters
    total = sum(counted.values())
    if total < POSITION_CHECK_MIN_ROWS:
        return
    letter, top = counted.most_common(1)[0]
    if top / total >= POSITION_CHECK_MAX_SHARE:
        if stored:
            n_stored, n_run = sum(stored.values()), sum(letters.values())
            counts = f" ({n_stored} stored, {n_run} in this run)"
            where = "its stored tasks and this run's rows hold"
        else:
            counts, where = "", "the file holds" if files == 1 else "its files hold"
        raise IngestError(
            f"{path}: {top} of {total} MCQ answers are {letter}{counts}: {where} the right answer in one position, "
            "and a fine-tune would learn the position; set shuffle_choices: true on the source (--shuffle-choices), "
            "or false to keep the order"
        )


class _MappedColumns:
    """The columns a source's `mapping` names that no row of one file has held yet (a path into an object, as the
    mapping reads it: `answer.value`), and the file's column names, for the error of a mapping that names none of
    them. Once every mapped column has been seen, rows are no longer looked at."""

    MAX_NAMED = 30  # the file's columns the error lists

    def __init__(self, source_mapping: dict[str, str | list[str]]) -> None:
        self.missing = {c: field for field, v in source_mapping.items() for c in ([v] if isinstance(v, str) else v)}
        self.columns: dict[str, None] = {}  # in the order first seen

    def note(self, raw_batch: list[RawRow]) -> None:
        for r in raw_batch:
            if not self.missing:
                return
            if not isinstance(r.record, dict):
                continue
            if len(self.columns) < self.MAX_NAMED:
                self.columns.update(dict.fromkeys(map(str, r.record)))
            for col in [c for c in self.missing if lookup(r.record, c)[0]]:
                del self.missing[col]

    def error(self, path: str, rows: int) -> IngestError | None:
        """A one-line error naming the first mapped column no row held, or None (also for a file of no row)."""
        if not self.missing or not rows:
            return None
        col, field = next(iter(self.missing.items()))
        named = list(self.columns)
        close = (
            difflib.get_close_matches(col, named, n=1, cutoff=0.6)
            or [c for c in named if c.casefold() == col.casefold()][:1]
        )
        hint = f"; did you mean {close[0]!r}?" if close else ""
        if close and close[0] != close[0].strip():
            # `--map` values are stripped: a column named with surrounding spaces (a JSON key `"Question "`) is
            # named in the config file only (the CLI would pass `Question` again)
            hint += f" (its name has surrounding spaces: map it in the config file, mapping: {{{field}: {close[0]!r}}})"
        return IngestError(
            f"{path}: mapping {field}={col} names a column no row of the file holds (its columns: "
            f"{', '.join(named) or 'none'}){hint}"
        )


def _one_based_error(path: str, seen: IndexSeen) -> IngestError:
    value, n = seen.example or (0, 0)
    return IngestError(
        f"{path}: the MCQ answers look 1-based (1 = A): {seen.top} answer(s) {value} with {n} choices and none "
        "is 0, so read 0-based every answer would name the next option; set answer_index_base: 1 on the source "
        "(--answer-index-base 1), or 0 if they are 0-based"
    )


def _assemble(
    frames: list[pl.DataFrame], source_rows: list[int], source_file: str, batch_id: str, first_seq: int
) -> pl.DataFrame:
    """The staged task rows of one batch, in row order, seq from `first_seq`, with prompt hashes and hash ids."""
    if not frames:
        return pl.DataFrame(schema=STAGED_TASK_SCHEMA)
    rows = pl.Series("source_row", source_rows, dtype=pl.Int64)
    out = pl.concat([f.drop("prompt_hash", strict=False) for f in frames], how="diagonal_relaxed").sort("pos")
    out = out.with_columns(
        rows.gather(out.get_column("pos")).alias("source_row"),
        pl.lit(source_file, dtype=pl.String).alias("source_file"),
        pl.lit(batch_id, dtype=pl.String).alias("ingest_batch"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_seq).alias("seq"),
    )
    out = _finish(out)
    # the prompt hash is made; the dedup text the engine reads is an MCQ's options in any order (`dedup_key`)
    texts = with_mcq_dedup_keys(out["dedup_text"], out["prompt"], out["verifier_args"], out["verifier"] == "mcq")
    out = out.with_columns(texts.alias("dedup_text"))
    return out.select([pl.col(c).cast(t) for c, t in STAGED_TASK_SCHEMA.items()])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while rows are read (`gc.disable`), restored afterwards.

    Reading makes a dict per row and keeps a batch of them alive, so the collector's automatic passes (one per
    700 new objects) walked the same live rows again and again: ~2.5 of 12 CPU seconds on a 1M-row JSONL file,
    for no garbage (rows hold no reference cycles). `stage_inputs` collects the young generations once per batch
    instead, so cyclic garbage (say, tracebacks of rows quarantined by an exception) cannot pile up."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def stage_inputs(
    inputs: Iterable[Input],
    cfg: IngestConfig,
    staging: Path,
    known: set[tuple[str, str, str | None]],
    batch_id: str | None = None,
    stored_letters: dict[str, Counter[str]] | None = None,
    *,
    reread: bool = False,
) -> StagedBatch:
    """Read and normalise into a staged batch every input not in `known` ((path, content_hash, settings_hash) of
    the files read before; a settings hash of None, from a store older than the settings' record, matches any):
    a file read with other settings is read again. `reread`: read the known ones again too.
    `stored_letters`: the MCQ answers of the stored tasks by source (`stored_mcq_letters`), counted with this run's
    in the answer-position check."""
    read_before = {(path, digest) for path, digest, _ in known}
    batch_id = batch_id or new_batch_id()
    folder = staging / batch_id
    folder.mkdir(parents=True, exist_ok=False)
    staged = StagedBatch(batch_id, folder)
    tasks_out = _PartWriter(folder, "tasks", STAGED_TASK_SCHEMA)
    quar_out = _PartWriter(folder, "quarantine", STAGED_QUARANTINE_SCHEMA)

    def write_part(
        frames: list[pl.DataFrame], source_rows: list[int], source_file: str, first_seq: int, quarantined: list
    ) -> None:
        tasks_out.write(_assemble(frames, source_rows, source_file, batch_id, first_seq))
        quar_out.write(quarantined)

    seq = 0
    # the answer-position check of a source read from several files, over all of them: small files (one per topic,
    # each under the check's minimum) would pass it one by one
    by_source: dict[str, tuple[Counter[str], int]] = {}
    try:
        # Parts are assembled (prompt hashes, ids) and written on one worker thread while the next batch is read
        # and normalised: polars and the Parquet writer release the GIL, so the two overlap on a second core.
        # At most one batch waits for its write (memory stays bounded by two batches); parts keep their order.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stage-write") as pool, _collector_paused():
            pending: Future[None] | None = None
            for inp in inputs:
                digest = inp.content_hash()
                settings = read_settings_hash(inp.source, cfg)
                same = (inp.path, digest, settings) in known or (inp.path, digest, None) in known
                if same and not reread:
                    staged.skipped.append(inp.path)
                    if (inp.path, digest, settings) not in known:
                        staged.unrecorded.append(inp.path)
                    continue
                why = None if (inp.path, digest) not in read_before else "asked" if same else "settings changed"
                known.add((inp.path, digest, settings))
                read_before.add((inp.path, digest))
                info = StagedInput(
                    inp.source.name, inp.path, digest, inp.size_bytes(), settings_hash=settings, reread=why
                )
                seen = IndexSeen() if inp.source.answer_index_base is None else None
                letters: Counter[str] | None = Counter() if inp.source.shuffle_choices is None else None
                sparse = sparse_columns(inp)
                semicolons = inp.kind == "file" and reads_semicolons(Path(inp.path))
                labels, batches = inp.labelled_batches(cfg.batch_rows)
                mapped = _MappedColumns(inp.source.mapping)
                for raw_batch in batches:
                    mapped.note(raw_batch)
                    frames, accepted, quarantined = _normalize_rows(
                        inp, raw_batch, cfg, batch_id, seen, sparse, labels, semicolons
                    )
                    if letters is not None:
                        letters.update(_mcq_letters(frames))
                    if pending is not None:
                        pending.result()  # raises the write's error, if any
                    rows = [r.row for r in raw_batch]
                    pending = pool.submit(write_part, frames, rows, inp.path, seq, quarantined)
                    seq += accepted
                    info.rows_read += len(raw_batch)
                    info.quarantined += len(quarantined)
                    del raw_batch, frames, quarantined
                    gc.collect(1)  # the young generations only: this batch's leftovers (see _collector_paused)
                if (typo := mapped.error(inp.path, info.rows_read)) is not None:
                    raise typo
                if seen is not None and seen.looks_one_based():
                    raise _one_based_error(inp.path, seen)
                if seen is not None and (why := seen.unsettled()) is not None:  # indexes or values: nothing tells
                    raise IngestError(f"{inp.path}: {why}")
                if letters is not None:
                    _check_answer_positions(inp.path, letters)
                    total, files = by_source.get(inp.source.name, (Counter(), 0))
                    by_source[inp.source.name] = (total + letters, files + 1)
                staged.inputs.append(info)
            for name, (total, files) in by_source.items():
                if files > 1:
                    _check_answer_positions(f"source {name!r} ({files} files)", total, files)
                # files of the source ingested in earlier runs (a refresh that adds a small file a day)
                stored = (stored_letters or {}).get(name)
                if stored and total:
                    _check_answer_positions(f"source {name!r}", total, files, stored)
            if pending is not None:
                pending.result()
    except BaseException:
        staged.discard()
        raise
    staged.write_manifest()
    return staged
