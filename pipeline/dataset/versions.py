"""Immutable dataset versions in DuckDB: build, list, show, diff, load.

A version is a set of rows in `dataset_rows` plus one `dataset_versions` row, written in one transaction and
never rewritten. Its content hash covers every row's content, split and lineage: a build that would produce the
latest version's hash again makes no new version.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import ThinkmillConfig
from pipeline.dataset.balance import balance, off_target_note, stats_of_kept
from pipeline.dataset.candidates import IDENTICAL, Candidates, load_candidates, merge_identical
from pipeline.dataset.errors import DatasetError, VersionNotFoundError
from pipeline.dataset.messages import build_messages
from pipeline.dataset.redact import scrub_credentials
from pipeline.dataset.request_settings import OTHER_SETTINGS, current_only, mix_notes, settings_mix
from pipeline.dataset.split import assign_splits
from pipeline.dedup.select import (
    BUILD_DROP_SETTINGS,
    config_fingerprint,
    drops_fingerprint,
    stale_tasks,
    stored_drops_fingerprint,
    stored_fingerprint,
)
from pipeline.report import StageReport
from pipeline.store import Store, now_utc, to_json
from pipeline.trace import count_tokens
from schemas import table

_VERSION_RE = re.compile(r"^v(\d+)$")
HASHED_COLUMNS = ("example_id", "split", "mode", "messages", "task_id", "generation_key", "domain", "source", "license")


def version_number(version_id: str) -> int:
    m = _VERSION_RE.match(version_id)
    if not m:
        raise VersionNotFoundError(f"{version_id!r} is not a version id (expected v1, v2, ...)")
    return int(m.group(1))


def code_version() -> str:
    """thinkmill's version, plus the git commit of the code when it runs from a checkout."""
    try:
        from importlib.metadata import version

        v = version("thinkmill")
    except Exception:
        v = "0.1.0+src"
    try:
        root = Path(__file__).resolve().parents[2]
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{v} ({sha})" if sha else v


def example_id(mode: str, messages: list[dict[str, str]]) -> str:
    return hashlib.sha256(to_json([mode, messages]).encode()).hexdigest()[:24]


def make_rows(
    chosen: pl.DataFrame, cfg: ThinkmillConfig, slice_rows: int = 20_000, earlier: dict[str, str] | None = None
) -> pl.DataFrame:
    """Candidate rows -> dataset rows (messages, example id, split); version_id is filled in at insert. `earlier`:
    the split each task had in earlier versions of the same split settings (`earlier_splits`), which it keeps.

    Columnar: only the messages JSON and the example id are made per row in Python (no dict per row), one slice
    of `slice_rows` at a time, so the Python strings of one slice are alive at once, not a whole version's; two
    generations with identical text make one example (the first in `chosen`'s order)."""
    b = cfg.balance
    schema = row_schema()
    if chosen.height == 0:
        return pl.DataFrame(schema=schema)
    # tasks of one prompt (one prompt hash) share a split: none is trained on under one id, evaluated under another
    groups = (
        dict(chosen.select("task_id", "prompt_hash").drop_nulls().unique("task_id").iter_rows())
        if "prompt_hash" in chosen.columns
        else {}
    )
    splits = assign_splits(
        chosen.get_column("task_id").to_list(), b.validation_share, b.seed, b.min_validation_tasks, groups, earlier
    )
    parts: list[pl.DataFrame] = []
    for part in chosen.iter_slices(slice_rows):
        messages: list[str] = []
        ids: list[str] = []
        systems = part.get_column("system") if "system" in part.columns else pl.repeat(None, part.height, eager=True)
        for (mode, prompt, answer, think), system in zip(
            part.select("mode", "prompt", "answer", "think").iter_rows(), systems, strict=True
        ):
            msgs = build_messages(mode, prompt, answer, think, system)
            messages.append(to_json(msgs))
            ids.append(example_id(mode, msgs))
        part = part.with_columns(
            pl.Series("example_id", ids, dtype=pl.String),
            pl.Series("messages", messages, dtype=pl.String),
            pl.col("task_id").replace_strict(splits, return_dtype=pl.String).alias("split"),
        )
        del messages, ids
        # the row contract's columns only: the think, answer and prompt texts live on in the messages
        parts.append(
            part.select(
                [pl.col(c).cast(t) if c in part.columns else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()]
            )
        )
    rows = pl.concat(parts)
    del parts
    return rows.unique("example_id", keep="first", maintain_order=True).sort("example_id")


_EARLIER_SPLITS_SQL = """
SELECT r.task_id, bool_or(r.split = 'validation') AS validation
FROM dataset_rows r JOIN dataset_versions v USING (version_id)
WHERE try_cast(json_extract(v.config, '$.balance.seed') AS BIGINT) = ?
  AND try_cast(json_extract(v.config, '$.balance.validation_share') AS DOUBLE) = ?
GROUP BY r.task_id
"""


def earlier_splits(store: Store, cfg: ThinkmillConfig) -> dict[str, str]:
    """task id -> its split in the earlier versions built with this config's `balance.seed` and `validation_share`
    (validation where any of them had it there): what a task keeps in the next version (`assign_splits`). Versions
    of other split settings were split anew, and are not read."""
    b = cfg.balance
    df = store.query(_EARLIER_SPLITS_SQL, [b.seed, b.validation_share])
    return {t: ("validation" if v else "train") for t, v in df.iter_rows()}


def row_schema() -> dict[str, pl.DataType]:
    """The `dataset_rows` contract's columns and dtypes that a build fills in (`version_id` comes at insert)."""
    return {c: t for c, t in table("dataset_rows").polars_schema().items() if c != "version_id"}


def content_hash(rows: pl.DataFrame) -> str:
    h = hashlib.sha256()
    for r in rows.sort("example_id").select(HASHED_COLUMNS).iter_rows():
        h.update(to_json(list(r)).encode())
        h.update(b"\n")
    return h.hexdigest()


def _counts(rows: pl.DataFrame) -> dict[str, Any]:
    def by(col: str) -> dict[str, int]:
        if not rows.height:
            return {}
        g = rows.group_by(col).len().sort(col)
        return {str(k): int(v) for k, v in g.iter_rows()}

    by_domain_mode: dict[str, dict[str, int]] = {}
    for d, m, n in rows.group_by("domain", "mode").len().iter_rows() if rows.height else []:
        by_domain_mode.setdefault(d, {})[m] = int(n)
    return {
        "total": rows.height,
        "split": by("split"),
        "domain": by("domain"),
        "mode": by("mode"),
        "source": by("source"),
        "license": by("license"),
        "domain_mode": {k: dict(sorted(v.items())) for k, v in sorted(by_domain_mode.items())},
    }


def _token_totals(rows: pl.DataFrame) -> dict[str, int]:
    out: dict[str, int] = {}
    for mode in ("think", "no_think"):
        sub = rows.filter(pl.col("mode") == mode)
        out[mode] = (
            int(
                sub.select(
                    pl.col("think_tokens").fill_null(0).sum() + pl.col("answer_tokens").fill_null(0).sum()
                ).item()
                or 0
            )
            if sub.height
            else 0
        )
    out["total"] = out["think"] + out["no_think"]
    return out


def latest_version(store: Store) -> str | None:
    ids = store.query("SELECT version_id FROM dataset_versions").get_column("version_id").to_list()
    return max(ids, key=version_number) if ids else None


def _built(
    report: StageReport,
    version: str,
    created: bool,
    digest: str,
    rows: int,
    stats: dict[str, Any],
    parent: str | None,
    cfg: ThinkmillConfig,
    retired: int = 0,
    models: dict[str, int] | None = None,
) -> StageReport:
    overall = stats.get("overall", {})
    report.rows_out = rows
    report.rows_in = rows + sum(stats.get("dropped", {}).values())
    report.add_drops(stats.get("dropped", {}))
    report.set(
        version=version,
        created=created,
        rows=rows,
        content_hash=digest,
        parent=parent,
        stats=stats,
        retired_tasks=retired,
        settings_mix={"models": models or {}, "settings": stats.get("request_settings", [])},
    )
    report.summary = [
        f"built {version} ({rows:,} rows, parent {parent or '-'})"
        if created
        else f"no change: content equals {version}; no new version",
        f"think share: rows {overall.get('think_share_rows')} tokens {overall.get('think_share_tokens')} "
        f"(target {overall.get('target')} by {stats.get('target_unit')})",
    ]
    note = off_target_note(stats, cfg.checks.think_ratio_tolerance, cfg.checks.min_rows_for_rates)
    if note:
        report.summary.append(note)
    report.summary += mix_notes(
        version,
        {"models": models or {}, "settings": stats.get("request_settings", [])},
        cfg.balance.current_settings_only,
    )
    if unselected := stats.get("current_settings_unselected"):
        report.summary.append(
            f"note: balance.current_settings_only: {unselected:,} tasks (per mode) have no selected trace of the "
            "current settings although select left out a passing one of them, over select.max_per_task or as a "
            "duplicate of an older trace; they give no row (`thinkmill select` with balance.current_settings_only: "
            "true in its config ranks the current settings' traces first; run it, then build)"
        )
    if retired:
        traces = stats.get("dropped", {}).get(RETIRED_DROP, 0)
        report.summary.append(
            f"note: {retired:,} retired tasks left out ({traces:,} of their selected traces dropped as "
            f"{RETIRED_DROP}; `thinkmill tasks retired` lists them, `thinkmill tasks restore` brings them back)"
        )
    if disjoint := stats.get("dropped", {}).get("balance:mode_disjoint"):
        # a new user read the count as a loss: it is the default the config says
        report.summary.append(
            f"note: balance:mode_disjoint ({disjoint:,}): a task gives think or no-think rows, never both "
            "(balance.disjoint_tasks: true, the default; false keeps both modes of a task)"
        )
    for setting, domains in stats.get("unapplied_domain_settings", {}).items():
        report.summary += [
            f"note: balance.{setting}.{d} applies to no row: the tasks of domain {d!r} have no candidate "
            "(selected, verified trace) in this build"
            for d in domains
        ]
    return report


RETIRED_DROP = "balance:retired"


def without_retired(store: Store, cands: Candidates) -> Candidates:
    """`cands` less the rows of retired tasks (`thinkmill tasks retire`), each of their selected traces counted
    as `balance:retired`: a retired task builds into no new version, as a contaminated one does not."""
    retired = store.query("SELECT task_id FROM retired_tasks")["task_id"]
    if retired.len() == 0 or cands.rows.height == 0:
        return cands
    out = pl.col("task_id").is_in(retired.implode())
    n = cands.rows.filter(out).get_column("generation_key").n_unique()
    if n:
        cands.dropped[RETIRED_DROP] += n
        cands.rows = cands.rows.filter(~out)
    return cands


def stale_verdicts(store: Store, cfg: ThinkmillConfig) -> dict[str, int]:
    """Verdict versions of selected, passing traces that this config's verifiers and lints would not write
    (`judge.version_of`: another verifier version, or other lint, sandbox or judge settings), with how many traces
    hold each. Verdicts without a version (written by hand or by an old thinkmill) and verifiers this config does
    not know (a plugin not installed here) cannot be told stale and are not counted."""
    from pipeline.verify.db import current_versions
    from pipeline.verify.errors import VerifyError
    from pipeline.verify.registry import Registry

    held = store.query(
        "SELECT v.verifier, v.verifier_version, count(*) AS n FROM trace_selection s "
        "JOIN verdicts v ON v.generation_key = s.generation_key "
        "WHERE s.selected AND v.passed AND v.verifier_version IS NOT NULL GROUP BY ALL"
    )
    if not held.height:
        return {}
    try:
        registry = Registry(cfg.verify)
    except VerifyError:  # a configured verifier module that does not import here: nothing to compare with
        return {}
    current = current_versions(registry, [v for v in held["verifier"].unique().to_list() if v in registry])
    out: dict[str, int] = {}
    for verifier, version, n in held.iter_rows():
        if verifier in current and version != current[verifier]:
            out[version] = out.get(version, 0) + int(n)
    return out


_STALE_SELECTION_SQL = """
SELECT (SELECT count(*) FROM (SELECT 1 FROM trace_selection WHERE selected GROUP BY task_id, mode
                              HAVING count(*) > $1)),
       count(*) FILTER (WHERE selected AND tokens > $2),
       count(*) FILTER (WHERE selected AND tokens < $3)
FROM trace_selection
"""


def stale_selection(store: Store, cfg: ThinkmillConfig) -> str | None:
    """Why the stored trace selection is not this config's, or None: `thinkmill select` keeps a digest of the
    select and dedup settings it ran with (`config_fingerprint`); another digest means a setting changed since and
    the selection was not made again. Named where the rows show it (tasks over `max_per_task`, traces outside
    `min_tokens` / `max_tokens`). A selection without a digest (written by hand or by an old thinkmill) cannot be
    told stale and is not checked."""
    stored = stored_fingerprint(store)
    if stored is None or stored == config_fingerprint(cfg.select, cfg.dedup):
        return None
    sel = cfg.select
    over_cap, too_long, too_short = store.query(
        _STALE_SELECTION_SQL, [sel.max_per_task, sel.max_tokens, sel.min_tokens]
    ).row(0)
    found = []
    if over_cap:
        found.append(
            f"{over_cap:,} tasks hold more selected traces of one mode than select.max_per_task = "
            f"{sel.max_per_task} allows"
        )
    if too_long:
        found.append(f"{too_long:,} selected traces are longer than select.max_tokens = {sel.max_tokens}")
    if too_short:
        found.append(f"{too_short:,} selected traces are shorter than select.min_tokens = {sel.min_tokens}")
    return "; ".join(found) or (
        "the select or dedup settings it was made with are not this config's (or it was made by an older "
        "thinkmill's selection rules: `dedup.select.SELECT_VERSION`)"
    )


_FUNNEL_SQL = """
WITH clean AS (SELECT task_id FROM tasks WHERE task_id NOT IN (SELECT task_id FROM contamination)
               AND task_id NOT IN (SELECT task_id FROM retired_tasks)),
     g AS (SELECT g.key, g.task_id, g.error FROM generations g JOIN clean USING (task_id)),
     v AS (SELECT g.task_id, v.passed FROM verdicts v JOIN g ON g.key = v.generation_key WHERE g.error IS NULL)
SELECT (SELECT count(*) FROM tasks),
       (SELECT count(*) FROM tasks) - (SELECT count(*) FROM clean),
       (SELECT count(DISTINCT task_id) FROM g WHERE error IS NULL),
       (SELECT count(*) FROM v),
       (SELECT count(DISTINCT task_id) FROM v WHERE passed),
       (SELECT count(*) FROM trace_selection),
       (SELECT count(*) FROM trace_selection WHERE selected),
       (SELECT count(*) FROM tasks WHERE task_id IN (SELECT task_id FROM retired_tasks)
        AND task_id NOT IN (SELECT task_id FROM contamination))
"""


def no_candidates_message(store: Store, dropped: dict[str, int]) -> str:
    """Why a build found no candidate row, in one line: the first stage where the rows ran out, with the counts
    of each stage (tasks, contaminated, retired, clean tasks answered and passing, traces selected) and the build's
    drops. A retired task (`thinkmill tasks retire`) counts as a contaminated one does: not clean."""
    tasks, unclean, answered, verdicts, passing, considered, selected, retired = store.query(_FUNNEL_SQL).row(0)
    contaminated = unclean - retired
    failed = store.query(
        "SELECT split_part(error, ':', 1) AS kind, count(*) AS n FROM generations "
        "WHERE error IS NOT NULL AND task_id IN (SELECT task_id FROM tasks) "
        "AND task_id NOT IN (SELECT task_id FROM contamination) AND task_id NOT IN (SELECT task_id FROM retired_tasks) "
        "GROUP BY 1 ORDER BY n DESC, kind"
    )
    hint = ""
    if tasks == 0:
        cause, hint = "the database holds no tasks", "run `thinkmill ingest`"
    elif contaminated == tasks:
        cause = f"decontamination flagged every task ({contaminated:,} of {tasks:,}) as overlapping a benchmark"
    elif retired == tasks:
        cause = f"every task ({retired:,} of {tasks:,}) is retired"
        hint = "`thinkmill tasks retired` lists them, `thinkmill tasks restore` brings them back"
    elif unclean == tasks:
        cause = (
            f"every task is contaminated ({contaminated:,}) or retired ({retired:,}) ({tasks:,} tasks); "
            "`thinkmill tasks retired` lists the retired ones"
        )
    elif answered == 0:
        cause, hint = "no clean task has an answered generation", "run `thinkmill generate`"
        if failed.height:
            kinds = ", ".join(f"{k} {n:,}" for k, n in failed.iter_rows())
            cause += f" ({int(failed['n'].sum()):,} requests failed: {kinds})"
    elif verdicts == 0:
        cause, hint = "no answered generation of a clean task has a verdict", "run `thinkmill verify`"
    elif passing == 0:
        cause = f"no generation of a clean task passed verification ({verdicts:,} verdicts)"
    elif selected == 0:
        cause, hint = f"no trace is selected ({considered:,} rows in trace_selection)", "run `thinkmill select`"
    else:
        cause = f"the build dropped every one of the {selected:,} selected traces"
        if dropped.get(OTHER_SETTINGS):
            hint = (
                f"{dropped[OTHER_SETTINGS]:,} were generated under other generate settings than this config's "
                "(balance.current_settings_only: true); run `thinkmill generate`, `verify` and `select` for the "
                "current settings first"
            )
    funnel = (
        f"{tasks:,} tasks, {contaminated:,} contaminated, {retired:,} retired, {answered:,} clean tasks with an "
        "answered generation, "
        f"{passing:,} with a passing one, {selected:,} traces selected, dropped by the build: {json.dumps(dropped)}"
    )
    return f"no candidate rows for a dataset version: {cause} ({funnel})" + (f"; {hint}" if hint else "")


def run(store: Store, cfg: ThinkmillConfig, *, notes: str | None = None) -> StageReport:
    """The build stage: balance the database's candidates into a new dataset version, unless its content equals
    the latest version's. In = candidate traces, out = rows of the version; drops = the balance's drops by
    reason; metadata: version, created, rows, content_hash, parent, stats."""
    report = StageReport("build")
    t0 = time.perf_counter()
    stale = stale_verdicts(store, cfg)
    if stale:
        found = ", ".join(f"{v} ({n:,})" for v, n in sorted(stale.items()))
        raise DatasetError(
            f"{sum(stale.values()):,} selected traces were judged under other verify settings or verifier versions "
            f"than this config's: {found}; run `thinkmill verify` (it judges them again) and `thinkmill select`, "
            "then build"
        )
    stale_sel = stale_selection(store, cfg)
    if stale_sel:
        raise DatasetError(
            f"the trace selection was made under other select or dedup settings than this config's: {stale_sel}; "
            "run `thinkmill select` (it selects again), then build"
        )
    drops = stored_drops_fingerprint(store)
    if drops is not None and drops != drops_fingerprint(cfg.balance):
        raise DatasetError(
            "the trace selection was ranked by other balance drop settings than this config's ("
            + ", ".join(f"balance.{k}" for k in BUILD_DROP_SETTINGS)
            + "): the traces the build drops by themselves were ranked last by the old ones; run `thinkmill select` "
            "(it selects again), then build"
        )
    # with no verdicts or no selection at all, the no-candidates message below names the stage to run
    behind = stale_tasks(store) if store.count("verdicts") and store.count("trace_selection") else []
    if behind:
        named = ", ".join(behind[:3]) + (", ..." if len(behind) > 3 else "")
        tasks = f"{len(behind):,} tasks ({named}) have" if len(behind) != 1 else f"1 task ({named}) has"
        raise DatasetError(
            f"{tasks} verdicts newer than the trace selection (judged again or first judged after `thinkmill select` "
            "ran); run `thinkmill select`, then build"
        )
    # copies of one example are one candidate before the balance picks rows: merged after it, they left the version
    # off the think share and quotas the balance had met
    cands = without_retired(store, load_candidates(store, from_think_answers=cfg.balance.no_think_from_think_answers))
    unselected = 0
    if cfg.balance.current_settings_only:  # traces of other generate settings (an old model, temperature) left out
        cands, unselected = current_only(store, cands, cfg.generate)
    cands = merge_identical(cands)
    retired = store.count("retired_tasks", "task_id IN (SELECT task_id FROM tasks)")
    task_domains = store.query("SELECT DISTINCT domain FROM tasks").get_column("domain").to_list()
    result = balance(cands, cfg.balance, task_domains)
    del cands  # the chosen rows are in `result`; the rest of the candidates can go
    rows = make_rows(result.rows, cfg, earlier=earlier_splits(store, cfg))
    merged = result.rows.height - rows.height
    if merged:  # generations with identical text make one example: the stats count the rows stored
        result.stats["dropped"][IDENTICAL] = result.stats["dropped"].get(IDENTICAL, 0) + merged
        # (generation_key, mode) names one candidate: the chosen rows that became an example
        result.rows = result.rows.join(rows.select("generation_key", "mode"), on=["generation_key", "mode"], how="semi")
        result.stats = stats_of_kept(result.stats, result.rows, cfg.balance)
    models = sorted({m for m in result.rows.get_column("model").unique().to_list() if m})
    mix = settings_mix(store, result.rows)  # rows per model and per sampling setting: a mix is named in the summary
    result.rows = result.rows.clear()  # their texts are in the messages now
    if rows.height == 0:
        raise DatasetError(no_candidates_message(store, result.stats["dropped"]))
    digest = content_hash(rows)
    stats = {
        **result.stats,
        "splits": {
            "train_tasks": rows.filter(pl.col("split") == "train").get_column("task_id").n_unique(),
            "validation_tasks": rows.filter(pl.col("split") == "validation").get_column("task_id").n_unique(),
        },
        "models": models,
        "request_settings": mix["settings"],
        **({"current_settings_unselected": unselected} if unselected else {}),
        "example_tokens": example_lengths(rows),
    }
    latest = latest_version(store)
    if latest is not None:
        prev = store.query("SELECT content_hash FROM dataset_versions WHERE version_id = ?", [latest]).item()
        if prev == digest:
            report.timings["build"] = round(time.perf_counter() - t0, 3)
            _built(report, latest, False, digest, rows.height, stats, None, cfg, retired, mix["models"])
            if notes is not None:  # versions are never updated: the notes have no version to go with
                report.set(notes_stored=False)
                report.summary.insert(
                    1, f"note: --notes not stored: no new version was made, and {latest} keeps its notes"
                )
            return report
    vid = f"v{version_number(latest) + 1 if latest else 1}"
    version_row = pl.DataFrame(
        [
            {
                "version_id": vid,
                "content_hash": digest,
                "parent": latest,
                "created_at": now_utc(),
                "code_version": code_version(),
                "config": to_json(scrub_credentials(cfg.public_dict())),
                "counts": to_json(_counts(rows)),
                "token_totals": to_json(_token_totals(rows)),
                "stats": to_json(stats),
                "notes": notes,
            }
        ]
    )
    store.insert_many(
        {"dataset_versions": version_row, "dataset_rows": rows.with_columns(pl.lit(vid).alias("version_id"))}
    )
    report.timings["build"] = round(time.perf_counter() - t0, 3)
    return _built(report, vid, True, digest, rows.height, stats, latest, cfg, retired, mix["models"])


# ------------------------------------------------------------------------------------------------ reading
def list_versions(store: Store) -> pl.DataFrame:
    df = store.read("dataset_versions")
    if df.height == 0:
        return df
    return (
        df.with_columns(pl.col("version_id").map_elements(version_number, return_dtype=pl.Int64).alias("_n"))
        .sort("_n")
        .drop("_n")
    )


def get_version(store: Store, version: str) -> dict[str, Any]:
    df = store.read("dataset_versions", where="version_id = ?", params=[version])
    if df.height == 0:
        known = ", ".join(list_versions(store).get_column("version_id").to_list()) or "none"
        raise VersionNotFoundError(f"dataset version {version!r} not found in {store.path} (known: {known})")
    row = df.row(0, named=True)
    for col in ("config", "counts", "token_totals", "stats"):
        row[col] = json.loads(row[col]) if row[col] else {}
    return row


def version_rows(store: Store, version: str) -> pl.DataFrame:
    get_version(store, version)
    return store.read("dataset_rows", where="version_id = ?", params=[version], order_by="example_id")


def _message_tokens(messages_json: str) -> int:
    return sum(count_tokens(m.get("content")) for m in json.loads(messages_json))


def _length_stats(sizes: pl.Series) -> dict[str, int]:
    if sizes.len() == 0:
        return {"rows": 0, "p50": 0, "p95": 0, "max": 0}
    return {
        "rows": sizes.len(),
        "p50": int(sizes.quantile(0.5, "higher") or 0),
        "p95": int(sizes.quantile(0.95, "higher") or 0),
        "max": int(sizes.max() or 0),
    }


def example_lengths(rows: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Approximate tokens of whole examples (every turn's text) per mode: rows, p50, p95, max.

    The number to set a trainer's `max_length` against (after measuring with the model's tokenizer: these counts
    are within about 20% of a BPE tokenizer and leave out the chat template's few tokens per turn).
    """
    sizes: dict[str, list[int]] = {"think": [], "no_think": []}
    for part in rows.select("mode", "messages").iter_slices(20_000):  # the messages of one slice at a time
        for mode, msgs in part.iter_rows():
            if mode in sizes:
                sizes[mode].append(_message_tokens(msgs))
    return {m: _length_stats(pl.Series(v, dtype=pl.Int64)) for m, v in sizes.items()}


def example_lengths_of(store: Store, version: str, batch_rows: int = 20_000) -> dict[str, dict[str, int]]:
    """`example_lengths` of a stored version, reading its messages one batch at a time (only the counts are
    held, one integer per row)."""
    sizes: dict[str, list[int]] = {"think": [], "no_think": []}
    for batch in store.batches(
        "SELECT mode, messages FROM dataset_rows WHERE version_id = ? AND mode IN ('think', 'no_think')",
        [version],
        rows=batch_rows,
    ):
        modes = batch.column(0).to_pylist()
        for mode, msgs in zip(modes, batch.column(1).to_pylist(), strict=True):
            sizes[mode].append(_message_tokens(msgs))
    return {m: _length_stats(pl.Series(v, dtype=pl.Int64)) for m, v in sizes.items()}


@dataclass
class VersionDiff:
    old: str
    new: str
    added: pl.DataFrame
    removed: pl.DataFrame
    changed: pl.DataFrame  # same (generation_key, mode), different content or split
    unchanged: int

    def counts(self) -> dict[str, Any]:
        def by(df: pl.DataFrame) -> dict[str, dict[str, int]]:
            out: dict[str, dict[str, int]] = {}
            for d, m, n in df.group_by("domain", "mode").len().iter_rows() if df.height else []:
                out.setdefault(d, {})[m] = int(n)
            return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

        return {
            "old": self.old,
            "new": self.new,
            "added": self.added.height,
            "removed": self.removed.height,
            "changed": self.changed.height,
            "unchanged": self.unchanged,
            "added_by_domain_mode": by(self.added),
            "removed_by_domain_mode": by(self.removed),
            "changed_by_domain_mode": by(self.changed),
        }


def diff_versions(store: Store, old: str, new: str) -> VersionDiff:
    """Rows added, removed and changed from `old` to `new`. A row is identified by its generation and mode."""
    a, b = version_rows(store, old), version_rows(store, new)
    key = ["generation_key", "mode"]
    joined = a.join(b, on=key, how="full", suffix="_new", coalesce=True)
    added = joined.filter(pl.col("example_id").is_null()).select(
        *key,
        pl.col("example_id_new").alias("example_id"),
        pl.col("domain_new").alias("domain"),
        pl.col("split_new").alias("split"),
        pl.col("task_id_new").alias("task_id"),
    )
    removed = joined.filter(pl.col("example_id_new").is_null()).select(*key, "example_id", "domain", "split", "task_id")
    both = joined.filter(pl.col("example_id").is_not_null() & pl.col("example_id_new").is_not_null())
    is_changed = (pl.col("example_id") != pl.col("example_id_new")) | (pl.col("split") != pl.col("split_new"))
    changed = both.filter(is_changed).select(
        *key, "example_id", "example_id_new", "domain", "split", "split_new", "task_id"
    )
    return VersionDiff(old, new, added, removed, changed, both.height - changed.height)


# ------------------------------------------------------------------------------------------------ loading
def rows_to_records(rows: pl.DataFrame) -> list[dict[str, Any]]:
    """Dataset rows as training records: messages parsed, lineage kept."""
    recs = []
    for r in rows.iter_rows(named=True):
        recs.append(
            {
                "example_id": r["example_id"],
                "mode": r["mode"],
                "messages": json.loads(r["messages"]),
                "domain": r["domain"],
                "task_id": r["task_id"],
                "generation_key": r["generation_key"],
                "source": r["source"],
                "license": r["license"],
                "think_tokens": r["think_tokens"],
                "answer_tokens": r["answer_tokens"],
            }
        )
    return recs


def load_version(db: str | Path, version: str, **kwargs: Any) -> Any:
    """A version as `datasets.DatasetDict` (train, validation); a split without rows is an empty Dataset.

    `db` is a DuckDB file, or `hf://ORG/NAME` to load the version's tag from the Hub (kwargs go to
    `datasets.load_dataset`, e.g. `token=`).
    """
    import datasets

    if str(db).startswith("hf://"):
        from pipeline.dataset.publish import load_from_hub

        return load_from_hub(str(db)[len("hf://") :], version, **kwargs)
    with Store.open(db, read_only=True) as store:
        rows = version_rows(store, version)
    from pipeline.dataset.export import SPLITS, messages_features

    features = messages_features()

    def split_dataset(records: list[dict[str, Any]]) -> Any:
        # `Dataset.from_list([])` infers no columns and then fails on the features ("Keys mismatch"): a split
        # without rows (`validation_share: 0`) is an empty Dataset with the version's columns
        if not records:
            return datasets.Dataset.from_dict({k: [] for k in features}, features=features)
        return datasets.Dataset.from_list(records, features=features)

    return datasets.DatasetDict(
        {split: split_dataset(rows_to_records(rows.filter(pl.col("split") == split))) for split in SPLITS}
    )
