"""Phase 2 of an ingest run: decide the fate of every staged row and write it, all in one transaction.

Each staged task row ends in exactly one place:
- `tasks` (new, unique),
- duplicate: `dedup:exact` / `dedup:near_duplicate` of a kept task (new or already stored; recorded in
  `task_duplicates`), or `already_ingested` (the same task id with the same prompt is already stored: an
  unchanged row of a changed file; not recorded again),
- `quarantine`: `duplicate_id` (same source id as an earlier row of the run, other prompt) or `id_conflict`
  (same id as a stored task with another prompt).
Dedup runs the shared engine over stored tasks first, then the new rows, so a stored task is always the one kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import dedup_texts
from pipeline.ingest.normalize import prompt_key
from pipeline.ingest.stage import StagedBatch
from pipeline.store import Store, now_utc

_DEDUP_REASON = {"exact": "dedup:exact", "near": "dedup:near_duplicate"}


@dataclass
class _BatchCounts:
    """Counts of one committed batch (private: `pipeline.ingest.api` turns them into a StageReport);
    `read == ingested + quarantined + duplicate` always holds."""

    batch: str
    read: int = 0
    ingested: int = 0
    quarantined: int = 0
    duplicate: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    duplicate_reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "read": self.read,
            "ingested": self.ingested,
            "quarantined": self.quarantined,
            "duplicate": self.duplicate,
            "files": self.files,
            "skipped_files": self.skipped_files,
            "quarantine_reasons": self.quarantine_reasons,
            "duplicate_reasons": self.duplicate_reasons,
        }


def _existing_keys(store: Store) -> pl.DataFrame:
    """Stored tasks as (task_id, prompt_hash, dedup_text); an MCQ's text includes its choices, as at staging."""
    df = store.query(
        "SELECT task_id, prompt_hash, prompt, answer, verifier, CAST(verifier_args AS VARCHAR) AS va "
        "FROM tasks ORDER BY created_at, task_id"
    )
    if df.height == 0:
        return pl.DataFrame(
            schema={"task_id": pl.String, "prompt_hash": pl.String, "dedup_text": pl.String, "dedup_group": pl.UInt64}
        )
    import json

    mcq = (df["verifier"] == "mcq").to_list()
    texts = [
        prompt_key(p, json.loads(va)) if m else p
        for p, va, m in zip(df["prompt"].to_list(), df["va"].to_list(), mcq, strict=True)
    ]
    return df.select("task_id", "prompt_hash").with_columns(
        pl.Series("dedup_text", texts, dtype=pl.String),
        _groups(df["verifier"], df["answer"], df["va"]).alias("dedup_group"),
    )


def _groups(verifier: pl.Series, answer: pl.Series, verifier_args: pl.Series) -> pl.Series:
    """What two tasks must share to be near duplicates: verifier, answer and verifier args.

    Templated prompts differ in a few words and ask for different answers or constraints: different tasks.
    verifier_args are compared as stored, i.e. as the canonical JSON text ingest writes (`store.to_json`)."""
    frame = pl.DataFrame({"v": verifier, "a": answer, "va": verifier_args})
    return frame.select(_group_key(pl.col("v"), pl.col("a"), pl.col("va"))).to_series()


def _group_key(verifier: pl.Expr, answer: pl.Expr, verifier_args: pl.Expr) -> pl.Expr:
    """`_groups` as an expression: a 64-bit hash of verifier, answer and verifier args (as text, so a few bytes per
    row instead of the answer and the code tests; the engine hashes group keys to 64 bits anyway)."""
    return pl.concat_str(
        [
            verifier.cast(pl.String).fill_null(""),
            answer.cast(pl.String).fill_null(""),
            verifier_args.cast(pl.String).fill_null(""),
        ],
        separator="\x1f",
    ).hash(0)


def _parquet_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


# One row per staged task, decided by DuckDB over the staged parts and the stored tasks (streamed and spilled by
# DuckDB: a 1M-row batch never becomes Python objects). Same id twice in this run: the first row wins; an identical
# prompt is a plain exact duplicate (dedup), another prompt under the same id is quarantined.
_DECIDE_SQL = """
WITH s AS (SELECT seq, task_id, prompt_hash, source_file, source_row FROM read_parquet({parts})),
f AS (SELECT task_id, min(seq) AS first_seq FROM s GROUP BY task_id),
ff AS (SELECT s.task_id, s.seq AS first_seq, s.prompt_hash AS first_hash, s.source_row AS first_row
       FROM s JOIN f ON s.task_id = f.task_id AND s.seq = f.first_seq)
SELECT s.seq, s.task_id, s.source_file, s.source_row, ff.first_row,
       CASE WHEN t.prompt_hash IS NOT NULL AND t.prompt_hash = s.prompt_hash THEN 'already'
            WHEN t.prompt_hash IS NOT NULL THEN 'id_conflict'
            WHEN s.seq <> ff.first_seq AND s.prompt_hash <> ff.first_hash THEN 'duplicate_id'
            WHEN s.seq <> ff.first_seq THEN 'dedup:exact'
            ELSE 'candidate' END AS state
FROM s JOIN ff ON s.task_id = ff.task_id LEFT JOIN tasks t ON t.task_id = s.task_id
ORDER BY s.seq
"""


def _decide(store: Store, batch: StagedBatch, dedup: DedupConfig | None) -> pl.DataFrame:
    """One row per staged task: seq, task_id, state ('task'|'already'|'id_conflict'|'duplicate_id'|'dedup:...'),
    source_file, source_row, first_row, duplicate_of, score."""
    parts = batch.task_parts()
    if not parts:
        return pl.DataFrame(
            schema={
                "seq": pl.Int64,
                "task_id": pl.String,
                "state": pl.String,
                "source_file": pl.String,
                "source_row": pl.Int64,
                "first_row": pl.Int64,
                "duplicate_of": pl.String,
                "score": pl.Float64,
            }
        )
    staged = store.query(_DECIDE_SQL.format(parts=_parquet_list(parts)))
    store.trim_memory()
    staged = staged.with_columns(pl.col("source_file").cast(pl.Categorical))
    same_id = pl.col("state") == "dedup:exact"
    result = staged.with_columns(
        pl.when(same_id).then(pl.col("task_id")).otherwise(None).alias("duplicate_of"),
        pl.when(same_id).then(1.0).otherwise(None).cast(pl.Float64).alias("score"),
    )
    del staged
    if dedup is not None and (result["state"] == "candidate").any():
        # the texts of the candidates only, read back from the staged parts; the group key is made while
        # scanning: answers and verifier args (code tests) are never held for every row
        want = result.filter(pl.col("state") == "candidate").select("seq")
        cand = (
            pl.scan_parquet(parts)
            .select(
                "seq",
                "dedup_text",
                _group_key(pl.col("verifier"), pl.col("answer"), pl.col("verifier_args")).alias("dedup_group"),
            )
            .join(want.lazy(), on="seq", how="semi")
            .collect()
            .sort("seq")
        )
        del want
        existing = _existing_keys(store)
        ids = pl.concat([("db:" + existing["task_id"]), ("n:" + cand["seq"].cast(pl.String))])
        texts = pl.concat([existing["dedup_text"], cand["dedup_text"]], rechunk=False)
        groups = pl.concat([existing["dedup_group"], cand["dedup_group"]], rechunk=False)
        n_existing = existing.height
        del existing
        cand = cand.select("seq")
        res = dedup_texts(ids, texts, dedup, groups=groups).slice(n_existing)
        del ids, texts, groups
        # a duplicate's target: a stored task ("db:<task_id>") or an earlier row of this batch ("n:<seq>")
        dup = pl.col("duplicate_of")
        dec = (
            res.select(
                pl.when(pl.col("keep"))
                .then(None)
                .otherwise(pl.col("reason").replace_strict(_DEDUP_REASON, return_dtype=pl.String))
                .alias("d_state"),
                pl.when(dup.str.starts_with("db:")).then(dup.str.slice(3)).alias("d_db"),
                pl.when(dup.str.starts_with("n:")).then(dup.str.slice(2).cast(pl.Int64)).alias("d_seq"),
                pl.col("score").alias("d_score"),
            )
            .with_columns(cand["seq"])
            .join(result.select(pl.col("seq").alias("d_seq"), pl.col("task_id").alias("d_new")), on="d_seq", how="left")
            .select("seq", "d_state", pl.coalesce("d_db", "d_new").alias("d_of"), "d_score")
        )
        del res, cand
        result = (
            result.join(dec, on="seq", how="left")
            .with_columns(
                pl.coalesce("d_state", "state").alias("state"),
                pl.coalesce("d_of", "duplicate_of").alias("duplicate_of"),
                pl.coalesce("d_score", "score").alias("score"),
            )
            .drop("d_state", "d_of", "d_score")
            .sort("seq")
        )
    return result.with_columns(
        pl.when(pl.col("state") == "candidate").then(pl.lit("task")).otherwise(pl.col("state")).alias("state")
    )


def _staged_columns(store: Store, batch: StagedBatch, seqs: pl.Series, columns: list[str]) -> pl.DataFrame:
    """`columns` of the staged task rows whose seq is in `seqs` (duplicates, quarantined ids), read by DuckDB:
    only those rows come back. (polars' part-by-part read kept every part's prompt buffer alive behind the few
    rows it selected: +240 MB on a 1M-row batch.)"""
    cols = ", ".join(columns)
    return store.query(
        f"SELECT {cols} FROM read_parquet({_parquet_list(batch.task_parts())}) "
        "WHERE seq IN (SELECT unnest(?::BIGINT[])) ORDER BY seq",
        [seqs.unique().to_list()],
    )


def _duplicate_record_ids(dups: pl.DataFrame, taken: set[str]) -> list[str]:
    """The id a dropped row would have had, made unique where it clashes (hash ids of exact copies do)."""
    out: list[str] = []
    for tid, f, r in zip(
        dups["task_id"].to_list(), dups["source_file"].to_list(), dups["source_row"].to_list(), strict=True
    ):
        rid = tid if tid not in taken else f"{tid}@{Path(f).name}:{r}"
        taken.add(rid)
        out.append(rid)
    return out


def commit_batch(store: Store, batch: StagedBatch, dedup: DedupConfig | None, raw_limit: int = 2_000) -> _BatchCounts:
    """Write a staged batch into the store in one transaction and remove it from staging."""
    report = _BatchCounts(batch.batch_id, skipped_files=list(batch.skipped))
    decisions = _decide(store, batch, dedup)
    now = now_utc()
    keep = decisions.filter(pl.col("state") == "task").select("seq")
    quar_new = decisions.filter(pl.col("state").is_in(["duplicate_id", "id_conflict"]))
    dups = decisions.filter(pl.col("state").str.starts_with("dedup:") | (pl.col("state") == "already"))

    taken = set(store.query("SELECT task_id FROM task_duplicates")["task_id"].to_list())
    dedup_dups = dups.filter(pl.col("state") != "already")
    dup_ids = _duplicate_record_ids(dedup_dups, taken)
    quarantine_reasons: Counter[str] = Counter(quar_new["state"].to_list())

    # the dropped rows' records are built before the transaction opens, so their prompts are never held beside
    # DuckDB's insert of the kept rows (the memory peak of a large batch)
    dup_frame = quar_frame = None
    if dedup_dups.height:
        keyed = dedup_dups.with_columns(pl.Series("record_id", dup_ids, dtype=pl.String))
        rows = keyed.join(_staged_columns(store, batch, keyed["seq"], ["seq", "prompt", "source"]), on="seq")
        dup_frame = rows.select(
            pl.col("record_id").alias("task_id"),
            "duplicate_of",
            pl.col("state").alias("reason"),
            "score",
            "source",
            "source_file",
            "source_row",
            "prompt",
            pl.lit(batch.batch_id).alias("ingest_batch"),
            pl.lit(now).alias("created_at"),
        )
        del keyed, rows
    if quar_new.height:
        rows = quar_new.join(_staged_columns(store, batch, quar_new["seq"], ["seq", "source", "prompt"]), on="seq")
        quar_frame = rows.select(
            "source",
            "source_file",
            "source_row",
            pl.col("state").alias("reason"),
            pl.when(pl.col("state") == "duplicate_id")
            .then(pl.format("id {} already used by row {} of this run with another prompt", "task_id", "first_row"))
            .otherwise(pl.format("id {} is already stored with another prompt", "task_id"))
            .alias("detail"),
            pl.col("prompt").str.slice(0, raw_limit).alias("raw"),
            pl.lit(batch.batch_id).alias("ingest_batch"),
            pl.lit(now).alias("created_at"),
        )
        del rows

    store.trim_memory()  # what dedup's read of the stored tasks left cached, before the insert needs its own
    with store.writing() as w:
        # DuckDB reads the kept rows straight from the staged parts: no task row passes through Python here
        w.insert_parquet("tasks", batch.task_parts(), only=keep, values={"created_at": now})
        if dup_frame is not None:
            w.insert("task_duplicates", dup_frame, on_conflict="ignore")
        if quar_frame is not None:
            w.upsert("quarantine", quar_frame)
        for part in batch.quarantine_parts():  # one staged part (one read batch) at a time
            frame = pl.read_parquet(part).with_columns(pl.lit(now).alias("created_at"))
            quarantine_reasons.update(frame["reason"].to_list())
            w.upsert("quarantine", frame)
        per_file = _per_file(batch, decisions)
        files = pl.DataFrame(
            [
                {
                    "source": i.source,
                    "path": i.path,
                    "content_hash": i.content_hash,
                    "size_bytes": i.size_bytes,
                    "ingest_batch": batch.batch_id,
                    "created_at": now,
                    **per_file[i.path],
                }
                for i in batch.inputs
            ],
        )
        if files.height:
            w.insert("ingest_files", files, on_conflict="ignore")

    report.files = [{"source": i.source, "path": i.path, **per_file[i.path]} for i in batch.inputs]
    report.read = sum(f["rows_read"] for f in report.files)
    report.ingested = sum(f["ingested"] for f in report.files)
    report.quarantined = sum(f["quarantined"] for f in report.files)
    report.duplicate = sum(f["duplicate"] for f in report.files)
    report.quarantine_reasons = dict(quarantine_reasons.most_common())
    report.duplicate_reasons = dict(
        Counter("already_ingested" if s == "already" else s for s in dups["state"].to_list()).most_common()
    )
    batch.discard()
    return report


def _per_file(batch: StagedBatch, decisions: pl.DataFrame) -> dict[str, dict[str, int]]:
    counts = decisions.group_by("source_file").agg(
        (pl.col("state") == "task").sum().alias("ingested"),
        pl.col("state").is_in(["duplicate_id", "id_conflict"]).sum().alias("q"),
        (pl.col("state").str.starts_with("dedup:") | (pl.col("state") == "already")).sum().alias("duplicate"),
    )
    by_file = {r["source_file"]: r for r in counts.iter_rows(named=True)}
    out: dict[str, dict[str, int]] = {}
    for i in batch.inputs:
        r = by_file.get(i.path, {"ingested": 0, "q": 0, "duplicate": 0})
        out[i.path] = {
            "rows_read": i.rows_read,
            "ingested": int(r["ingested"]),
            "quarantined": i.quarantined + int(r["q"]),
            "duplicate": int(r["duplicate"]),
        }
    return out
