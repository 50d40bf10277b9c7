"""Phase 2 of an ingest run: decide the fate of every staged row and write it, all in one transaction.

Each staged task row ends in exactly one place:
- `tasks` (new, unique), or `updated`: the same task id with the same prompt is stored with another answer, verifier
  or verifier args (a corrected label): the stored task takes the row's, and its verdicts, trace selections and
  verifier audits (judged against the old answer) are removed, so `verify` judges its responses again,
- duplicate: `dedup:exact` / `dedup:near_duplicate` of a kept task (new or already stored; recorded in
  `task_duplicates`), or `already_ingested` (the same task id with the same prompt is already stored: an
  unchanged row of a changed file; not recorded again),
- `quarantine`: `duplicate_id` (same source id as an earlier row of the run, other prompt), `id_conflict`
  (same id as a stored task with another prompt) or `conflicting_answers` (the same prompt with another answer,
  verifier or verifier args, in this run or stored: `_conflicts`).
Dedup runs the shared engine over stored tasks first, then the new rows, so a stored task is always the one kept.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import TextSource, cluster_texts
from pipeline.ingest.errors import IngestError
from pipeline.ingest.normalize import with_mcq_dedup_keys
from pipeline.ingest.stage import StagedBatch
from pipeline.store import Store, StoreOutOfMemoryError, now_utc

log = logging.getLogger(__name__)
T = TypeVar("T")
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
    updated: int = 0  # of `ingested`: rows that changed a stored task's answer, verifier or verifier args
    relicensed: int = 0  # of `duplicate` (already_ingested): rows whose licence the stored task took
    other_domain: int = 0  # of `duplicate` (already_ingested): rows giving another domain, which is not taken
    other_system: int = 0  # of `duplicate` (already_ingested): rows giving another system prompt, not taken either
    retired: int = 0  # of `duplicate` (already_ingested) and `updated`: rows of a retired task, which stays retired
    files: list[dict[str, Any]] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    unrecorded_files: list[str] = field(default_factory=list)  # of those: ingested before settings were recorded
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    duplicate_reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "read": self.read,
            "ingested": self.ingested,
            "quarantined": self.quarantined,
            "duplicate": self.duplicate,
            "updated": self.updated,
            "relicensed": self.relicensed,
            "other_domain": self.other_domain,
            "other_system": self.other_system,
            "retired": self.retired,
            "files": self.files,
            "skipped_files": self.skipped_files,
            "unrecorded_files": self.unrecorded_files,
            "quarantine_reasons": self.quarantine_reasons,
            "duplicate_reasons": self.duplicate_reasons,
        }


class _StoredTexts:
    """The stored tasks' dedup texts, in the table's own order (insertion order, which DuckDB keeps for a plain
    scan; a sort would hold every prompt): streamed from DuckDB while they are hashed and read back by position
    for confirmation; the stream is checked against the ids it was read with. Only their ids and group keys are
    held (~50 bytes a task); holding every stored prompt as a Python string took a second 1M-row ingest into a
    store of 0.9M tasks to 2.1 GB. An MCQ's text includes its choices in any order (`dedup_key`), as at staging."""

    _TEXT = "prompt, verifier = 'mcq' AS mcq, CAST(verifier_args AS VARCHAR) AS va"

    def __init__(self, store: Store, n_stored: int | None = None) -> None:
        """`n_stored`: the tasks the store holds, when known (0: the group expression, of the same type, is not bound
        for an empty table)."""
        self.store = store
        group = _group_sql("verifier", "answer", "verifier_args") if n_stored != 0 else "CAST(NULL AS UBIGINT)"
        keys = store.query(f"SELECT task_id, {group} AS dedup_group, {_UNANSWERED_SQL} AS unanswered FROM tasks")
        self.ids: pl.Series = keys["task_id"]
        self.groups: np.ndarray = keys["dedup_group"].to_numpy()
        self.unanswered: np.ndarray = keys["unanswered"].to_numpy()

    @property
    def n(self) -> int:
        return self.ids.len()

    @staticmethod
    def _texts(frame: pl.DataFrame) -> pl.Series:
        return with_mcq_dedup_keys(frame["prompt"], frame["prompt"], frame["va"], frame["mcq"])

    def chunks(self) -> Iterator[pl.Series]:
        got = 0
        for rb in self.store.batches(f"SELECT task_id, {self._TEXT} FROM tasks", rows=50_000):
            frame = pl.from_arrow(rb)
            assert isinstance(frame, pl.DataFrame)
            if not frame["task_id"].equals(self.ids.slice(got, frame.height), check_names=False):
                raise IngestError("the tasks table was read in two orders; ingest again")
            got += frame.height
            yield self._texts(frame)
        if got != self.n:
            raise IngestError(f"the tasks table changed while it was read ({got} rows, not {self.n})")

    def gather(self, rows: np.ndarray) -> pl.Series:
        want = self.ids.gather(rows).to_frame("task_id")
        frame = want.join(
            self.store.query(
                f"SELECT task_id, {self._TEXT} FROM tasks WHERE task_id IN (SELECT task_id FROM _wanted)",
                frames={"_wanted": want},
            ),
            on="task_id",
            how="left",
            maintain_order="left",
        )
        return self._texts(frame)


# A math or numeric answer that is a plain number, in SQL: `_plain_number`'s two forms (a LaTeX fraction is first
# rewritten as "a/b", only where the whole answer is one), then the number's parts: sign, integer digits (thousands
# commas allowed), decimals, denominator. RE2's `\s` is ASCII whitespace only: an answer padded otherwise stays raw.
_SQL_LATEX_FRACTION = r"^(\s*(?:\\?\$)?\s*-?)\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}(\s*\$?\s*)$"
_SQL_PLAIN_NUMBER = r"^\s*(?:\\?\$)?\s*([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*/\s*(\d+))?\s*\$?\s*$"
_SQL_MAX_DIGITS = 30  # digits (with the decimals) of a numerator or a denominator: a HUGEINT holds 38
_SQL_PARSED = r"[.,/$\\+ ]"  # what a number written otherwise than its key holds (a LaTeX fraction: a backslash)


def _answer_key_sql(verifier: str, answer: str, verifier_args: str) -> str:
    """The answer as near-duplicate groups compare it, as a DuckDB expression: one label written two ways gives one
    key, so near duplicates of one question link whichever way each row writes its answer ("18", "18.0", "$18$",
    "\\$18"; "5/6", "\\frac{5}{6}", "10/12"). Before, the raw text was hashed and each spelling kept its own task.
    - math, numeric: a plain number (`_plain_number`'s forms) is its exact value written as a plain number, an
      integer or a reduced fraction ("18.0" -> "18", "0.75" -> "3/4", "-\\frac{2}{4}" -> "-1/2"), which is the key of
      no other value (a raw text equal to it is that number); numbers of more than `_SQL_MAX_DIGITS` digits, an
      integer written with a leading zero ("007") and anything else stay as written;
    - exact: an ASCII answer without a backslash is lower-cased unless verifier_args has `case_sensitive` (the
      verifier compares it case-folded; a backslash could start a LaTeX command, whose name case matters);
    - other verifiers: the raw text.
    Only keys that the verifier accepts as one label, both ways, are equal (a test compares the number keys with
    `_plain_number` on generated answers), so no decision becomes less exact; the rest is left to `_LabelCheck`."""
    a = f"CAST({answer} AS VARCHAR)"
    latex = _SQL_LATEX_FRACTION.replace("'", "''")
    number = _SQL_PLAIN_NUMBER.replace("'", "''")
    digits = _SQL_MAX_DIGITS
    reduced = (
        "v -> CASE WHEN v.d IS NOT NULL AND v.d <> 0 AND v.n IS NOT NULL THEN "
        "CASE WHEN m.s = '-' AND v.n <> 0 THEN '-' ELSE '' END || CAST(v.n // gcd(v.n, v.d) AS VARCHAR) "
        "|| CASE WHEN v.d = gcd(v.n, v.d) THEN '' ELSE '/' || CAST(v.d // gcd(v.n, v.d) AS VARCHAR) END END"
    )
    value = (
        f"m -> CASE WHEN m.i <> '' AND length(m.i) + length(m.f) <= {digits} "
        f"AND length(m.d) + length(m.f) <= {digits} "
        "THEN list_transform([{'n': TRY_CAST(replace(m.i, ',', '') || m.f AS HUGEINT), "
        "'d': TRY_CAST(coalesce(nullif(m.d, ''), '1') AS HUGEINT) "
        "* TRY_CAST('1' || repeat('0', length(m.f)) AS HUGEINT)}], "
        f"{reduced})[1] END"
    )
    fraction = f"CASE WHEN contains({a}, 'frac') THEN regexp_replace({a}, '{latex}', '\\1\\2/\\3\\4') ELSE {a} END"
    parsed = f"regexp_extract({fraction}, '{number}', ['s', 'i', 'f', 'd'])"
    # only an answer with one of these characters is parsed: a plain integer ("18", "-3": most math answers, every
    # one of the ingest bench's) is its own key already, and skips the parse (~1.5 us an answer, DuckDB on 2 cores)
    marked = f"regexp_matches({a}, '{_SQL_PARSED}')"
    va = f"CAST({verifier_args} AS VARCHAR)"
    folded = (
        f"{verifier} = 'exact' AND strlen({a}) = length({a}) AND NOT contains({a}, '\\') "
        f"AND json_extract({va}, '$.case_sensitive') IS NULL"
    )
    return (
        f"CASE WHEN {verifier} IN ('math', 'numeric') AND {marked} "
        f"THEN coalesce(list_transform([{parsed}], {value})[1], {a}) "
        f"WHEN {folded} THEN lower({a}) ELSE {a} END"
    )


def _group_sql(verifier: str, answer: str, verifier_args: str) -> str:
    """What two tasks must share to be near duplicates, as a DuckDB expression: a 64-bit hash of verifier, answer
    (as `_answer_key_sql` compares it: one label written two ways is one key) and verifier args. Templated prompts
    differ in a few words and ask for different answers or constraints: different tasks. verifier_args are compared
    as text (the canonical JSON ingest writes, `store.to_json`). An MCQ's are its right options' texts and all its
    options' texts, sorted, with its `multiple` flag: not their letters, so the same question with its options in
    another order is in one group (`normalize.dedup_key` likewise).
    Stored and staged rows are hashed by this one expression, so their keys compare."""
    parts = [
        f"coalesce(CAST({verifier} AS VARCHAR), '')",
        f"coalesce({_answer_key_sql(verifier, answer, verifier_args)}, '')",
        f"coalesce(CAST({verifier_args} AS VARCHAR), '')",
    ]
    va = f"CAST({verifier_args} AS VARCHAR)"
    right = (
        f"list_sort(list_transform(string_split(coalesce({answer}, ''), ','), "
        f"x -> coalesce(json_extract_string({va}, '$.choices.' || trim(x)), '')))"
    )
    options = f"list_sort(json_extract_string({va}, '$.choices.*'))"
    multiple = f"coalesce(json_extract_string({va}, '$.multiple'), '')"
    mcq = (
        f"'mcq' || chr(31) || array_to_string({right}, chr(30)) || chr(31) || array_to_string({options}, chr(30)) "
        f"|| chr(31) || {multiple}"
    )
    plain = " || chr(31) || ".join(parts)
    return f"hash(CASE WHEN {verifier} = 'mcq' AND json_type({va}, '$.choices') = 'OBJECT' THEN {mcq} ELSE {plain} END)"


# Tasks whose group (`_group_sql`) does not tie them to one question: no reference answer, and no tests (a code task's
# tests are its reference). Every judge task without arguments shares one group, every ifeval task of one constraint
# set another, so their near-duplicate links also need the same content words (`cluster_texts(same_words=...)`):
# "Write a poem about cats." and "... bats." scored 0.958 and the second task was lost.
_UNANSWERED_SQL = "(answer IS NULL AND verifier IS DISTINCT FROM 'code')"


def _parquet_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


# One row per staged task, decided by DuckDB over the staged parts and the stored tasks (streamed and spilled by
# DuckDB: a 1M-row batch never becomes Python objects). Same id twice in this run: the first row wins; an identical
# prompt is a plain exact duplicate (dedup), another prompt under the same id is quarantined, and the same prompt
# with different answers (`labels`) quarantines every row of it (`conflicting_answers`).
_DECIDE_SQL = """
WITH r AS (SELECT seq, task_id, prompt_hash, source_row, {group} AS dedup_group, {unanswered} AS unanswered
           FROM read_parquet({parts})),
s AS (SELECT *, count(DISTINCT dedup_group) OVER (PARTITION BY task_id, prompt_hash) AS labels FROM r),
f AS (SELECT task_id, min(seq) AS first_seq FROM s GROUP BY task_id),
ff AS (SELECT s.task_id, s.seq AS first_seq, s.prompt_hash AS first_hash, s.source_row AS first_row
       FROM s JOIN f ON s.task_id = f.task_id AND s.seq = f.first_seq),
d AS (SELECT s.seq, s.task_id, ff.first_row, s.dedup_group, s.unanswered,
             CASE WHEN s.labels > 1 THEN 'conflicting_answers'
                  WHEN t.prompt_hash IS NOT NULL AND t.prompt_hash = s.prompt_hash AND s.seq = ff.first_seq
                       AND {stored_group} <> s.dedup_group THEN 'updated'
                  WHEN t.prompt_hash IS NOT NULL AND t.prompt_hash = s.prompt_hash THEN 'already'
                  WHEN t.prompt_hash IS NOT NULL THEN 'id_conflict'
                  WHEN s.seq <> ff.first_seq AND s.prompt_hash <> ff.first_hash THEN 'duplicate_id'
                  WHEN s.seq <> ff.first_seq THEN 'dedup:exact'
                  ELSE 'candidate' END AS state
      FROM s JOIN ff ON s.task_id = ff.task_id LEFT JOIN tasks t ON t.task_id = s.task_id)
SELECT seq, state, dedup_group, unanswered,
       CASE WHEN state <> 'candidate' THEN task_id END AS task_id,
       CASE WHEN state = 'duplicate_id' THEN first_row END AS first_row
FROM d ORDER BY seq
"""
# what a staged row becomes; the per-row decisions hold this (1 byte), not texts
STATES = pl.Enum(
    [
        "candidate",
        "task",
        "updated",
        "already",
        "id_conflict",
        "duplicate_id",
        "conflicting_answers",
        "dedup:exact",
        "dedup:near_duplicate",
    ]
)
_QUARANTINED = ["duplicate_id", "id_conflict", "conflicting_answers"]
_DUPLICATE = ["already", "dedup:exact", "dedup:near_duplicate"]
_COUNTED_AS = {
    "task": "ingested",
    "updated": "ingested",  # the stored task now holds this row's answer
    **dict.fromkeys(_QUARANTINED, "q"),
    **dict.fromkeys(_DUPLICATE, "duplicate"),
}
# what an `updated` row sets on its stored task: what its verdicts were judged by, and where it now comes from
_UPDATED_COLUMNS = ["answer", "verifier", "verifier_args", "domain", "license", "metadata", "source_file", "source_row"]
# the records judged against a task's old answer, removed when it changes (`thinkmill verify` judges them again)
_JUDGED_TABLES = ("verdicts", "trace_selection", "verifier_disagreements")


def _conflicts(kept: np.ndarray, groups: np.ndarray, n_existing: int) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate (the rows from `n_existing`): whether its cluster holds texts of different answer groups
    (`_group_sql`: only an exact link joins them, so the same prompt carries two labels), and a row of the cluster
    whose label differs from the candidate's, to name: the kept row, or the first row whose group differs from the
    kept row's when the candidate shares that group (the kept row itself, or a row that agrees with it)."""
    differs = groups != groups[kept]
    conflicting = np.isin(kept[n_existing:], np.unique(kept[differs]))
    partner = np.full(kept.shape[0], -1, dtype=np.int64)
    first = np.flatnonzero(differs)[::-1]
    partner[kept[first]] = first  # the first differing row of each cluster is written last: it wins
    cand_kept = kept[n_existing:]
    other = np.where(differs[n_existing:], cand_kept, partner[cand_kept])
    return conflicting, other


# Verifiers whose reference answer is compared by value: two labels of one prompt that the verifier accepts each
# against the other ("3/4" and "0.75", "24" and "24.0", "Paris" and "paris") are one label written two ways
_BY_VALUE = frozenset({"math", "numeric", "exact"})
_Label = tuple[str, "str | None", str]  # verifier, answer, verifier_args as JSON text


class _LabelCheck:
    """Whether labels of one prompt are one label (`same`): the same verifier and verifier args, and answers that the
    verifier accepts each against the other, as a response `\\boxed{answer}` against the other as reference. Merging
    two copies of a set gave the same prompt "3/4" in one and "0.75" in the other; every such row was quarantined
    `conflicting_answers` ("one of the labels is wrong") and the task was lost."""

    def __init__(self) -> None:
        self._registry: Any = None  # the verify registry, made on the first label pair the verifier must compare
        self._seen: dict[tuple[str, str, str, str], bool] = {}

    def _accepts(self, verifier: str, reference: str, answer: str, args: str) -> bool:
        key = (verifier, reference, answer, args)
        if key not in self._seen:
            from pipeline.verify.judge import check
            from pipeline.verify.registry import Registry
            from pipeline.verify.result import TaskSpec

            if self._registry is None:
                self._registry = Registry()
            task = TaskSpec("label", verifier, reference, json.loads(args) if args else {})
            result, _ = check(self._registry.get(verifier), f"\\boxed{{{answer}}}", task, self._registry.cfg)
            self._seen[key] = result.passed
        return self._seen[key]

    def _agree(self, verifier: str, a: str, b: str, args: str) -> bool:
        if verifier in _NUMBER_VERIFIERS:
            x, y = _plain_number(a), _plain_number(b)
            if x is not None and y is not None:  # plain numbers: compared here, not by the verifier (~1 ms a pair)
                return x == y
        return self._accepts(verifier, a, b, args) and self._accepts(verifier, b, a, args)

    def same(self, labels: list[_Label]) -> bool:
        verifier, first, args = labels[0]
        if verifier not in _BY_VALUE or first is None:
            return False
        for v, answer, a in labels[1:]:
            if v != verifier or a != args or answer is None:
                return False
            if answer != first and not self._agree(verifier, first, answer, args):
                return False
        return True


_LABEL_SQL = "verifier, answer, CAST(verifier_args AS VARCHAR) AS va"
_NUMBER_VERIFIERS = frozenset({"math", "numeric"})
# `_answer_key_sql` reads the same forms in SQL; a test compares the two
_PLAIN_NUMBER = re.compile(r"(?:\\?\$)?\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:\s*/\s*(\d+))?\s*\$?")
_LATEX_FRACTION = re.compile(r"(?:\\?\$)?\s*(-?)\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}\s*\$?")


def _plain_number(text: str) -> Fraction | None:
    """A label that is a plain number ("24", "24.0", "1,000", "-3.5", "3/4", "\\frac{3}{4}", "$5$", "\\$5": GSM8K's
    escaped dollar), exactly; None for anything else (units, other LaTeX, percentages, expressions: the verifier
    compares those)."""
    f = _LATEX_FRACTION.fullmatch(text.strip())
    if f is not None:
        return None if int(f.group(3)) == 0 else Fraction(int(f.group(2)), int(f.group(3))) * (-1 if f.group(1) else 1)
    m = _PLAIN_NUMBER.fullmatch(text.strip())
    if m is None or (m.group(2) is not None and int(m.group(2)) == 0):
        return None
    value = Fraction(m.group(1).replace(",", ""))
    return value / int(m.group(2)) if m.group(2) is not None else value


def _stored_labels(store: Store, ids: pl.Series) -> pl.DataFrame:
    """task_id, prompt_hash and the label (`_LABEL_SQL`) of the stored tasks among `ids`."""
    return store.query(
        f"SELECT task_id, prompt_hash, {_LABEL_SQL} FROM tasks WHERE task_id IN (SELECT task_id FROM _ids)",
        frames={"_ids": ids.unique().to_frame("task_id")},
    )


def _settle_same_id(store: Store, parts: list[Path], staged: pl.DataFrame, labels: _LabelCheck) -> pl.DataFrame:
    """Rows of one id and prompt that the decision query found with different labels (`conflicting_answers`) and
    whose labels are one label (`_LabelCheck`): the first row is a candidate and the others its exact duplicates, or,
    when the task is stored with that prompt and a label they all agree with, every row is `already`."""
    conf = staged.filter(pl.col("state") == "conflicting_answers")
    if not conf.height:
        return staged
    rows = _staged_columns(store, parts, conf["seq"], ["seq", "task_id", "prompt_hash", _LABEL_SQL])
    stored = {r[0]: r[1:] for r in _stored_labels(store, rows["task_id"]).iter_rows()}
    # plain tuples grouped in a dict: a merge of two copies of a set gives one group per task (polars' per-group
    # iteration took ~0.1 ms a group)
    by_id: dict[tuple[str, str], tuple[list[int], list[_Label]]] = {}
    cols = ("seq", "task_id", "prompt_hash", "verifier", "answer", "va")
    for seq, task_id, prompt_hash, *label in rows.sort("seq").select(cols).iter_rows():
        seqs, found = by_id.setdefault((task_id, prompt_hash), ([], []))
        seqs.append(seq)
        if tuple(label) not in found:
            found.append(tuple(label))  # type: ignore[arg-type]
    candidate: list[int] = []
    exact: list[int] = []
    already: list[int] = []
    for (task_id, prompt_hash), (seqs, found) in by_id.items():
        held = stored.get(task_id)
        if held is not None:
            if held[0] == prompt_hash and labels.same([held[1:], *found]):
                already += seqs
        elif labels.same(found):
            candidate.append(seqs[0])
            exact += seqs[1:]
    if not (candidate or exact or already):
        return staged
    seq = pl.col("seq")
    return staged.with_columns(
        pl.when(seq.is_in(candidate))
        .then(pl.lit("candidate"))
        .when(seq.is_in(exact))
        .then(pl.lit("dedup:exact"))
        .when(seq.is_in(already))
        .then(pl.lit("already"))
        .otherwise(pl.col("state"))
        .alias("state"),
        pl.when(seq.is_in(candidate)).then(None).otherwise(pl.col("task_id")).alias("task_id"),
    )


def _settle_updated(store: Store, parts: list[Path], staged: pl.DataFrame, labels: _LabelCheck) -> pl.DataFrame:
    """Rows the decision query found to correct a stored task's answer (`updated`) whose label is the stored one
    written otherwise (`_LabelCheck`: "3/4" for "0.75", a float column's "24.0"): the stored task already. Taken as a
    correction, the task's verdicts were removed and all its responses judged again for nothing."""
    upd = staged.filter(pl.col("state") == "updated")
    if not upd.height:
        return staged
    rows = _staged_columns(store, parts, upd["seq"], ["seq", "task_id", _LABEL_SQL])
    stored = {r[0]: r[2:] for r in _stored_labels(store, rows["task_id"]).iter_rows()}
    same = [
        seq
        for seq, task_id, *label in rows.select("seq", "task_id", "verifier", "answer", "va").iter_rows()
        if task_id in stored and labels.same([stored[task_id], tuple(label)])  # type: ignore[list-item]
    ]
    if not same:
        return staged
    return staged.with_columns(
        pl.when(pl.col("seq").is_in(same)).then(pl.lit("already")).otherwise(pl.col("state")).alias("state")
    )


def _settle_clusters(
    store: Store,
    parts: list[Path],
    stored_ids: pl.Series,
    seqs: np.ndarray,
    kept: np.ndarray,
    groups: np.ndarray,
    conflicting: np.ndarray,
    labels: _LabelCheck,
) -> np.ndarray:
    """`conflicting` (per candidate, `_conflicts`) without the clusters whose labels are one label (`_LabelCheck`):
    their candidates are the kept row's duplicates, as with one answer."""
    n_existing = stored_ids.len()
    clusters = np.unique(kept[n_existing:][conflicting])
    members = np.flatnonzero(np.isin(kept, clusters))
    # one row per (cluster, label group), the kept row's group first: whose label to read
    order = np.lexsort((members, groups[members], groups[members] != groups[kept[members]], kept[members]))
    members = members[order]
    firsts = np.ones(members.shape[0], dtype=bool)
    firsts[1:] = (kept[members][1:] != kept[members][:-1]) | (groups[members][1:] != groups[members][:-1])
    reps = members[firsts]
    stored_rows = reps[reps < n_existing]
    staged_rows = reps[reps >= n_existing]
    got: dict[int, _Label] = {}
    if stored_rows.size:
        ids = stored_ids.gather(stored_rows)
        frame = ids.to_frame("task_id").join(
            _stored_labels(store, ids), on="task_id", how="left", maintain_order="left"
        )
        got.update(zip(stored_rows.tolist(), frame.select("verifier", "answer", "va").rows(), strict=True))
    if staged_rows.size:
        want = seqs[staged_rows - n_existing]
        frame = _staged_columns(store, parts, pl.Series(want), ["seq", _LABEL_SQL])
        by_seq = dict(zip(frame["seq"].to_list(), frame.select("verifier", "answer", "va").rows(), strict=True))
        got.update({int(r): by_seq[int(q)] for r, q in zip(staged_rows, want, strict=True)})
    settled = []
    # `reps` is ordered by cluster (the sort above): each cluster's representatives are one run
    starts = np.flatnonzero(np.r_[True, kept[reps][1:] != kept[reps][:-1]])
    for lo, hi in zip(starts.tolist(), [*starts[1:].tolist(), reps.shape[0]], strict=True):
        if labels.same([got[int(r)] for r in reps[lo:hi]]):
            settled.append(int(kept[reps[lo]]))
    if not settled:
        return conflicting
    return conflicting & ~np.isin(kept[n_existing:], np.array(settled))


def _decide(store: Store, batch: StagedBatch, dedup: DedupConfig | None) -> pl.DataFrame:
    """One row per staged task, lean (~40 bytes a row, ids only where needed): seq, state (`STATES`), task_id
    (of the rows dropped before dedup; null for the others), first_row (for `duplicate_id`), duplicate_of, score.
    The rest of a dropped row is read back from the staged parts by the caller."""
    parts = batch.task_parts()
    if not parts:
        return pl.DataFrame(
            schema={
                "seq": pl.Int64,
                "state": STATES,
                "task_id": pl.String,
                "first_row": pl.Int64,
                "duplicate_of": pl.String,
                "score": pl.Float64,
            }
        )
    n_stored = store.count("tasks")  # ingest holds the file: no other process writes until it is done
    sql = _DECIDE_SQL.format(
        parts=_parquet_list(parts),
        group=_group_sql("verifier", "answer", "verifier_args"),
        unanswered=_UNANSWERED_SQL,
        # with no stored task the LEFT JOIN finds none and the stored group is never evaluated: a NULL in its place
        # decides the same, and DuckDB does not bind the group expression a second time (~5-10 ms of a small ingest)
        stored_group=_group_sql("t.verifier", "t.answer", "t.verifier_args") if n_stored else "NULL",
    )
    # the same cap as the insert: DuckDB's join of a 1M-row batch otherwise held +480 MB
    cap = insert_memory_cap(n_stored + sum(i.rows_read for i in batch.inputs))
    staged = _under_cap(store, cap, "running the decision query", lambda: store.query(sql))
    store.trim_memory()
    labels = _LabelCheck()
    staged = _settle_same_id(store, parts, staged, labels)
    staged = _settle_updated(store, parts, staged, labels)
    same_id = pl.col("state").is_in(["dedup:exact", "conflicting_answers"])  # one id given twice in this run
    result = staged.with_columns(
        pl.col("state").cast(STATES),
        pl.when(same_id).then(pl.col("task_id")).otherwise(None).alias("duplicate_of"),
        pl.when(same_id).then(1.0).otherwise(None).cast(pl.Float64).alias("score"),
    )
    del staged
    if dedup is not None and (result["state"] == "candidate").any():
        cand = result.filter(pl.col("state") == "candidate")
        seqs = cand["seq"].to_numpy()
        existing = _StoredTexts(store, n_stored)
        n_existing = existing.n
        # the texts are read back from the store and the staged parts while they are hashed, never all held
        texts = _StagedTexts(store, existing, parts, seqs)
        groups = np.concatenate([existing.groups, cand["dedup_group"].to_numpy()])
        unanswered = np.concatenate([existing.unanswered, cand["unanswered"].to_numpy()])
        del cand
        stored_ids = existing.ids
        del existing
        # DuckDB streams the stored texts while they are hashed; under a small cap it does not keep the table's
        # blocks cached (a store of 0.9M tasks otherwise left ~250 MB of them behind)
        with store.memory_cap(DEDUP_READ_CAP):
            cl = cluster_texts(texts.source(), dedup, groups=groups, same_words=unanswered)
        store.trim_memory()
        # a duplicate's target: a stored task (a row before n_existing) or an earlier candidate of this batch; a
        # candidate in a cluster whose texts carry different answers (`_conflicts`) names another row of it
        conflicting, other = _conflicts(cl.kept, groups, n_existing)
        if conflicting.any():
            conflicting = _settle_clusters(store, parts, stored_ids, seqs, cl.kept, groups, conflicting, labels)
        del texts, groups, unanswered
        own = np.arange(n_existing, n_existing + seqs.shape[0])
        rows = np.flatnonzero((cl.kept[n_existing:] != own) | conflicting)
        target = np.where(conflicting[rows], other[rows], cl.kept[n_existing + rows])
        stored = target < n_existing
        state = np.where(cl.exact[n_existing + rows], _DEDUP_REASON["exact"], _DEDUP_REASON["near"])
        dec = pl.DataFrame(
            {
                "seq": seqs[rows],
                "d_state": np.where(conflicting[rows], "conflicting_answers", state),
                "d_db": stored_ids.gather(np.where(stored, target, 0))
                if n_existing
                else pl.repeat(None, rows.shape[0], dtype=pl.String, eager=True),
                "d_seq": seqs[np.where(stored, 0, target - n_existing)],
                "d_score": cl.score[n_existing + rows],
            },
            schema_overrides={"d_db": pl.String, "d_state": pl.String},
        ).with_columns(
            pl.when(pl.Series(stored)).then(pl.col("d_db")).alias("d_db"),
            pl.when(pl.Series(~stored)).then(pl.col("d_seq")).alias("d_seq"),
            pl.col("d_score").fill_nan(None),
        )
        # the ids of the new rows that others duplicate (a candidate's id is not in the decisions)
        targets = dec.filter(pl.col("d_db").is_null())["d_seq"]
        new_ids = _staged_columns(store, parts, targets, ["seq", "task_id"]) if targets.len() else None
        dec = (
            dec.join(
                new_ids.select(pl.col("seq").alias("d_seq"), pl.col("task_id").alias("d_new")), on="d_seq", how="left"
            )
            if new_ids is not None
            else dec.with_columns(pl.lit(None, dtype=pl.String).alias("d_new"))
        ).select("seq", pl.col("d_state").cast(STATES), pl.coalesce("d_db", "d_new").alias("d_of"), "d_score")
        del targets, new_ids, cl, stored_ids, rows, target, stored
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
    return result.drop("dedup_group", "unanswered").with_columns(
        pl.when(pl.col("state") == "candidate").then(pl.lit("task", dtype=STATES)).otherwise("state").alias("state")
    )


class _StagedTexts:
    """The dedup texts of the stored tasks (`_StoredTexts`), then those of the candidate rows of the staged parts
    (`seqs`, ascending), read a part at a time: a `TextSource` for the dedup engine."""

    def __init__(self, store: Store, stored: _StoredTexts, parts: list[Path], seqs: np.ndarray) -> None:
        self.store, self.stored, self.seqs = store, stored, seqs
        self.parts: list[tuple[Path, int, int]] = []  # a part and the range of `seqs` it holds
        lo = 0
        for part in parts:
            seq = pl.read_parquet(part, columns=["seq"])["seq"]
            if not seq.len():
                continue
            hi = int(np.searchsorted(seqs, int(seq.max()), side="right"))
            if lo < hi and (int(seq.min()) > seqs[lo] or not seq.is_sorted()):
                raise IngestError(f"staged part {part} is out of row order; discard the staged batch and ingest again")
            if hi > lo:
                self.parts.append((part, lo, hi))
            lo = hi
        if lo != seqs.shape[0]:
            raise IngestError(f"{seqs.shape[0] - lo} candidate rows are missing from the staged parts")

    def _read(self, part: Path, want: np.ndarray) -> pl.Series:
        texts = pl.read_parquet(part, columns=["seq", "dedup_text"]).filter(pl.col("seq").is_in(pl.Series(want)))[
            "dedup_text"
        ]
        if texts.len() != want.shape[0] or texts.null_count():
            raise IngestError(f"staged part {part} lacks the dedup text of some of its rows")
        return texts

    def chunks(self) -> Iterator[pl.Series]:
        if self.stored.n:
            yield from self.stored.chunks()
        for part, lo, hi in self.parts:
            yield self._read(part, self.seqs[lo:hi])

    def gather(self, rows: np.ndarray) -> pl.Series:
        n = self.stored.n
        new = self.seqs[rows[rows >= n] - n]
        out = [self.stored.gather(rows[rows < n])] if n else []
        if new.shape[0]:
            paths = [
                p
                for p, lo, hi in self.parts
                if np.searchsorted(new, self.seqs[lo]) < np.searchsorted(new, self.seqs[hi - 1], side="right")
            ]
            got = _staged_columns(self.store, paths, pl.Series(new), ["dedup_text"])["dedup_text"]
            if got.len() != new.shape[0] or got.null_count():
                raise IngestError("the staged parts lack the dedup text of some candidate rows")
            out.append(got)
        return pl.concat(out)

    def source(self) -> TextSource:
        return TextSource(self.stored.n + self.seqs.shape[0], self.chunks, self.gather)


def _staged_columns(store: Store, parts: list[Path], seqs: pl.Series, columns: list[str]) -> pl.DataFrame:
    """`columns` of the staged task rows whose seq is in `seqs` (duplicates, quarantined ids, texts to confirm),
    ordered by seq, read by DuckDB: only those rows come back. (polars' part-by-part read kept every part's prompt
    buffer alive behind the few rows it selected: +240 MB on a 1M-row batch.)"""
    cols = ", ".join(columns)
    return store.query(
        f"SELECT {cols} FROM read_parquet({_parquet_list(parts)}) WHERE seq IN (SELECT seq FROM _wanted) ORDER BY seq",
        frames={"_wanted": seqs.unique().to_frame("seq")},
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
    report = _BatchCounts(batch.batch_id, skipped_files=list(batch.skipped), unrecorded_files=list(batch.unrecorded))
    decisions = _decide(store, batch, dedup)
    now = now_utc()
    parts = batch.task_parts()
    keep = decisions.filter(pl.col("state") == "task").select("seq")
    changed = decisions.filter(pl.col("state") == "updated").select("seq")
    updated = (
        _staged_columns(store, parts, changed["seq"], ["seq", "task_id", *_UPDATED_COLUMNS]).drop("seq")
        if changed.height
        else None
    )
    relicensed, other_domain, other_system = _restated(
        store, parts, decisions.filter(pl.col("state") == "already").select("seq")
    )
    retired_ids = store.query("SELECT task_id FROM retired_tasks")["task_id"]
    # rows of a stored task the user retired (`thinkmill tasks retire`): it stays retired, and the summary says so
    of_retired = pl.col("task_id").is_in(retired_ids.implode()).fill_null(False)
    retired = decisions.filter(pl.col("state").is_in(["already", "updated"]) & of_retired).height
    quar_new = decisions.filter(pl.col("state").is_in(_QUARANTINED)).with_columns(of_retired.alias("retired"))
    dedup_dups = decisions.filter(pl.col("state").is_in(_DUPLICATE[1:]))
    quarantine_reasons: Counter[str] = Counter(quar_new["state"].cast(pl.String).to_list())

    # the dropped rows' records are built before the transaction opens, so their prompts are never held beside
    # DuckDB's insert of the kept rows (the memory peak of a large batch); what the decisions do not hold is read
    # back from the staged parts for these rows only
    dup_frame = quar_frame = None
    if dedup_dups.height:
        cols = ["seq", "task_id AS staged_id", "prompt", "source", "source_file", "source_row"]
        rows = dedup_dups.join(_staged_columns(store, parts, dedup_dups["seq"], cols), on="seq").with_columns(
            pl.coalesce("task_id", "staged_id").alias("task_id")
        )
        taken = set(store.query("SELECT task_id FROM task_duplicates")["task_id"].to_list())
        rows = rows.with_columns(pl.Series("record_id", _duplicate_record_ids(rows, taken), dtype=pl.String))
        dup_frame = rows.select(
            pl.col("record_id").alias("task_id"),
            "duplicate_of",
            pl.col("state").cast(pl.String).alias("reason"),
            "score",
            "source",
            "source_file",
            "source_row",
            "prompt",
            pl.lit(batch.batch_id).alias("ingest_batch"),
            pl.lit(now).alias("created_at"),
        )
        del rows
    if quar_new.height:
        cols = ["seq", "source", "prompt", "source_file", "source_row"]
        named = quar_new.select("duplicate_of").drop_nulls()
        stored_ids = store.query(
            "SELECT task_id FROM tasks WHERE task_id IN (SELECT duplicate_of FROM _q)", frames={"_q": named}
        )
        rows = quar_new.join(_staged_columns(store, parts, quar_new["seq"], cols), on="seq").with_columns(
            # a conflict within one id of this run (`task_id` set: decided by the SQL) names that id, stored or not
            (pl.col("duplicate_of").is_in(stored_ids["task_id"].implode()) & pl.col("task_id").is_null())
            .fill_null(False)
            .alias("conflict_stored")
        )
        quar_frame = rows.select(
            "source",
            "source_file",
            "source_row",
            pl.col("state").cast(pl.String).alias("reason"),
            pl.when(pl.col("state") == "duplicate_id")
            .then(pl.format("id {} already used by row {} of this run with another prompt", "task_id", "first_row"))
            .when(pl.col("state") == "conflicting_answers")
            .then(
                pl.format(
                    "the same prompt is {} with another answer, verifier or verifier args as {}: one of the labels is "
                    "wrong, so none of these rows is kept; correct the file and ingest it again (a corrected row "
                    "updates a stored task of its id)",
                    pl.when(pl.col("conflict_stored")).then(pl.lit("stored")).otherwise(pl.lit("given in this run")),
                    "duplicate_of",
                )
            )
            .when(pl.col("retired"))
            .then(
                pl.format(
                    "id {} is a retired task stored with another prompt: a retired task keeps its id and prompt (its "
                    "generations and verdicts were made for it, and `thinkmill tasks restore` brings it back); give "
                    "the corrected row a new id",
                    "task_id",
                )
            )
            .otherwise(
                pl.format(
                    "id {} is already stored with another prompt: a stored task keeps its prompt (its generations "
                    "and verdicts were made for it) and ingest never removes one; give the corrected row a new id, or "
                    "ingest the source into a fresh store (`thinkmill tasks retire --id {}` keeps the stored one out "
                    "of new versions)",
                    "task_id",
                    "task_id",
                )
            )
            .alias("detail"),
            pl.col("prompt").str.slice(0, raw_limit).alias("raw"),
            pl.lit(batch.batch_id).alias("ingest_batch"),
            pl.lit(now).alias("created_at"),
        )
        del rows

    per_file = _per_file(store, batch, decisions)
    states = decisions["state"].value_counts()
    duplicate_reasons = Counter(
        {
            ("already_ingested" if st == "already" else st): int(n)
            for st, n in zip(states["state"].cast(pl.String), states["count"], strict=True)
            if st in _DUPLICATE
        }
    )
    # only the kept seqs and the built records go into the transaction: the per-row decisions are let go before
    # DuckDB's insert, the memory peak of a large batch
    del decisions, dedup_dups, quar_new
    store.trim_memory()  # what dedup's read of the stored tasks left cached, before the insert needs its own
    # DuckDB's insert of the kept rows is the memory peak of a large batch: it runs under a cap sized for the
    # primary-key index DuckDB must hold (`insert_memory_cap`); if that was short, the same transaction again
    cap = insert_memory_cap(store.count("tasks") + keep.height)
    staged_reasons = _under_cap(
        store,
        cap,
        "writing",
        lambda: _write(store, batch, keep, dup_frame, quar_frame, per_file, now, updated, relicensed),
    )
    report.updated = changed.height
    report.relicensed = relicensed.height
    report.other_domain = other_domain
    report.other_system = other_system
    report.retired = retired
    quarantine_reasons.update(staged_reasons)

    report.files = [
        {"source": i.source, "path": i.path, **per_file[i.path], **({"reread": i.reread} if i.reread else {})}
        for i in batch.inputs
    ]
    report.read = sum(f["rows_read"] for f in report.files)
    report.ingested = sum(f["ingested"] for f in report.files)
    report.quarantined = sum(f["quarantined"] for f in report.files)
    report.duplicate = sum(f["duplicate"] for f in report.files)
    report.quarantine_reasons = dict(quarantine_reasons.most_common())
    report.duplicate_reasons = dict(duplicate_reasons.most_common())
    batch.discard()
    return report


# DuckDB's memory cap while it writes a batch: a floor, plus room for the primary-key index of every stored and new
# task, which it must hold to check the ids (its ART index measured ~45 bytes a key); the rest spills. Measured on
# the 1M-row bench (0.92M new tasks into an empty store): the write fails under a cap of 98 MiB and runs at full
# speed under 151 MiB; this gives it 251 MiB there, and 309 MiB for 0.92M more into a store of 0.92M (the
# earlier 256 MiB + 96 bytes held ~90 MB more at the peak for no speed)
INSERT_CAP_FLOOR = 192 << 20
INSERT_CAP_PER_TASK = 64
DEDUP_READ_CAP = 128 << 20  # DuckDB's cap while the dedup engine reads texts back (plain scans, no sort or join)


def insert_memory_cap(tasks_after: int) -> int:
    """DuckDB's memory cap for writing a batch that leaves `tasks_after` tasks in the store."""
    return INSERT_CAP_FLOOR + INSERT_CAP_PER_TASK * max(tasks_after, 0)


def _under_cap(store: Store, cap: int, what: str, step: Callable[[], T]) -> T:
    """`step` with DuckDB under a memory cap of `cap` bytes. If DuckDB runs out of memory under it (the estimate
    was short; a write's transaction is rolled back by then), `step` runs again without the cap, with a warning:
    the cap never costs a failed ingest."""
    try:
        with store.memory_cap(cap):
            return step()
    except StoreOutOfMemoryError as exc:
        log.warning("ingest commit: DuckDB needed more than %d MiB (%s); %s again without a cap", cap >> 20, exc, what)
        return step()


def _restated(store: Store, parts: list[Path], already: pl.DataFrame) -> tuple[pl.DataFrame, int, int]:
    """What `already` rows (a stored task's id, prompt and answer) say otherwise than the stored task: (task_id,
    license) of those giving another licence (a `license:` added to the source, which reads its files again: the
    dataset card and the Hub publish a task's licence; a row without a licence leaves the stored one), and how many
    give another domain (not taken: a task's domain picks its requests' answer instruction, so every sample would be
    generated again, and paid for) or another system prompt (not taken: it is sent with every request)."""
    empty = pl.DataFrame(schema={"task_id": pl.String, "license": pl.String})
    if not already.height:
        return empty, 0, 0
    rows = store.query(
        "SELECT p.task_id, p.license, p.license IS NOT NULL AND t.license IS DISTINCT FROM p.license AS relicensed, "
        "p.domain IS DISTINCT FROM t.domain AS other_domain, p.system IS DISTINCT FROM t.system AS other_system "
        f"FROM read_parquet({_parquet_list(parts)}) p "
        "JOIN _already a ON a.seq = p.seq JOIN tasks t ON t.task_id = p.task_id "
        "WHERE (p.license IS NOT NULL AND t.license IS DISTINCT FROM p.license) OR p.domain IS DISTINCT FROM t.domain "
        "OR p.system IS DISTINCT FROM t.system",
        frames={"_already": already},
    )
    if not rows.height:
        return empty, 0, 0
    relicensed = rows.filter("relicensed").select("task_id", "license")
    return relicensed, int(rows["other_domain"].sum()), int(rows["other_system"].sum())


def _write(
    store: Store,
    batch: StagedBatch,
    keep: pl.DataFrame,
    dup_frame: pl.DataFrame | None,
    quar_frame: pl.DataFrame | None,
    per_file: dict[str, dict[str, int]],
    now: Any,
    updated: pl.DataFrame | None = None,
    relicensed: pl.DataFrame | None = None,
) -> Counter[str]:
    """The batch's one transaction: the kept tasks, the stored tasks a row changed (`updated`: their verdicts and
    selections go), the duplicate and quarantine records, the ingest_files rows. Returns the reasons of the staged
    quarantine rows it wrote."""
    reasons: Counter[str] = Counter()
    with store.writing() as w:
        # DuckDB reads the kept rows straight from the staged parts: no task row passes through Python here
        w.insert_parquet("tasks", batch.task_parts(), only=keep, values={"created_at": now})
        if updated is not None and updated.height:
            w.update("tasks", updated, key="task_id")
            ids = updated.select("task_id")
            for name in _JUDGED_TABLES:
                w.delete_matching(name, ids)
        if relicensed is not None and relicensed.height:
            w.update("tasks", relicensed, key="task_id")  # a licence given later: nothing judged changes
        if dup_frame is not None:
            w.insert("task_duplicates", dup_frame, on_conflict="ignore")
        # a file read again (changed, or read with other settings) replaces its quarantine records: a row fixed
        # since is a task now, and its old record would still list it as quarantined
        reread = pl.DataFrame({"source_file": [i.path for i in batch.inputs]}, schema={"source_file": pl.String})
        w.delete_matching("quarantine", reread)
        if quar_frame is not None:
            w.upsert("quarantine", quar_frame)
        for part in batch.quarantine_parts():  # one staged part (one read batch) at a time
            frame = pl.read_parquet(part).with_columns(pl.lit(now).alias("created_at"))
            reasons.update(frame["reason"].to_list())
            w.upsert("quarantine", frame)
        files = pl.DataFrame(
            [
                {
                    "source": i.source,
                    "path": i.path,
                    "content_hash": i.content_hash,
                    "settings_hash": i.settings_hash,
                    "size_bytes": i.size_bytes,
                    "ingest_batch": batch.batch_id,
                    "created_at": now,
                    **per_file[i.path],
                }
                for i in batch.inputs
            ],
        )
        if files.height:
            w.upsert("ingest_files", files)  # a file read again with other settings: its row now holds those
    return reasons


def _per_file(store: Store, batch: StagedBatch, decisions: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Per input file: rows read, ingested, quarantined and duplicate. The file of each row is in the staged
    parts, not in the decisions: DuckDB joins the two and counts."""
    by_file: dict[str, dict[str, int]] = {}
    if decisions.height:
        codes = decisions.select("seq", pl.col("state").to_physical().cast(pl.Int32).alias("code"))
        counts = store.query(
            f"SELECT p.source_file, d.code, count(*) AS n FROM read_parquet({_parquet_list(batch.task_parts())}) p "
            "JOIN _decisions d ON p.seq = d.seq GROUP BY ALL",
            frames={"_decisions": codes},
        )
        names = STATES.categories.to_list()
        for f, code, n in counts.iter_rows():
            st = names[code]
            r = by_file.setdefault(f, {"ingested": 0, "q": 0, "duplicate": 0})
            key = _COUNTED_AS.get(st)
            if key is None:
                raise IngestError(f"staged row left undecided ({st}) in {f}")
            r[key] += int(n)
    out: dict[str, dict[str, int]] = {}
    for i in batch.inputs:
        r = by_file.get(i.path, {"ingested": 0, "q": 0, "duplicate": 0})
        out[i.path] = {
            "rows_read": i.rows_read,
            "ingested": r["ingested"],
            "quarantined": i.quarantined + r["q"],
            "duplicate": r["duplicate"],
        }
    return out
