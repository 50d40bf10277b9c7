"""Asset checks: what a user must know about a run without opening a notebook.

Each check reads the DuckDB tables through the `thinkmill` resource and targets an asset by key, so this
module needs none of the stage modules. `evaluate_*` functions take an open `Store` and return the check
result; they are the testable part, the `@asset_check` wrappers only open the store and pass thresholds.

Blocking checks (a failure skips every downstream asset of the run): schema conformance, and on
`dataset_version` no contaminated task, no empty message and full lineage, so a bad version is never
carded or published. Rate checks fail with severity ERROR without blocking; duplicate shares only warn.
Thresholds: `checks:` section of the config (`pipeline.config.ChecksConfig`), defaults in docs/operations.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import dagster as dg
import polars as pl

from assets.metadata import counts_table, markdown_preview
from assets.resources import ThinkmillResource
from pipeline.config import ChecksConfig
from pipeline.store import Store
from pipeline.trace import (
    EMPTY_THINK,
    MULTIPLE_THINK,
    NO_THINK_BLOCK,
    STRAY_CLOSE,
    THINK_IN_NO_THINK,
    UNCLOSED_THINK,
)
from schemas import table as contract

WARN = dg.AssetCheckSeverity.WARN
ERROR = dg.AssetCheckSeverity.ERROR

# Tables each asset writes: the schema check of an asset covers these.
ASSET_TABLES: dict[str, tuple[str, ...]] = {
    "raw_tasks": ("ingest_files", "quarantine"),
    "tasks": ("tasks", "task_duplicates"),
    "clean_tasks": ("contamination",),
    "generations": ("generations",),
    "verdicts": ("verdicts", "verifier_disagreements"),
    "selected_traces": ("trace_selection",),
    "dataset_version": ("dataset_versions", "dataset_rows"),
    "published_dataset": ("publications",),
}

# Parse flags that make a trace malformed, per generation mode.
MALFORMED_FLAGS: dict[str, tuple[str, ...]] = {
    "think": (NO_THINK_BLOCK, UNCLOSED_THINK, MULTIPLE_THINK, EMPTY_THINK, STRAY_CLOSE),
    "no_think": (THINK_IN_NO_THINK, STRAY_CLOSE),
}

_SAMPLE_IDS = 10  # offending ids listed in a failed check's metadata


def _md_table(df: pl.DataFrame) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_preview(df, rows=50))


def _result(
    passed: bool, description: str, metadata: Mapping[str, Any], *, severity: dg.AssetCheckSeverity = ERROR
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=passed, description=description, metadata=dict(metadata), severity=severity)


def latest_version_id(store: Store) -> str | None:
    row = store.fetchone(
        "SELECT version_id FROM dataset_versions ORDER BY created_at DESC, version_id DESC LIMIT 1"
    )
    return row[0] if row else None


def _no_version() -> dg.AssetCheckResult:
    return _result(True, "No dataset version exists yet: nothing to check.", {"version_id": "-"})


# ------------------------------------------------------------------------------------------- schema
def schema_problems(store: Store, table_name: str) -> list[str]:
    """Differences between a table in the database and its contract; an empty list when it conforms."""
    t = contract(table_name)
    rows = store.fetchall(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [t.name],
    )
    if not rows:
        return [f"{t.name}: table is missing"]
    actual = {name: dtype for name, dtype in rows}
    problems = []
    for c in t.columns:
        want = "TIMESTAMP WITH TIME ZONE" if c.duckdb_type == "TIMESTAMPTZ" else c.duckdb_type
        if c.name not in actual:
            problems.append(f"{t.name}.{c.name}: column is missing")
        elif actual[c.name] != want:
            problems.append(f"{t.name}.{c.name}: type {actual[c.name]}, contract says {want}")
    problems += [f"{t.name}.{name}: column is not in the contract" for name in actual if name not in t.column_names]
    required = [c.name for c in t.columns if not c.nullable and c.name in actual]
    if required:
        sums = ", ".join(f"count(*) FILTER (WHERE {c} IS NULL)" for c in required)
        nulls = store.fetchone(f"SELECT {sums} FROM {t.name}") or ()
        problems += [
            f"{t.name}.{c}: {n} null values in a required column" for c, n in zip(required, nulls, strict=True) if n
        ]
    return problems


def evaluate_schema(store: Store, tables: Sequence[str]) -> dg.AssetCheckResult:
    problems = [p for name in tables for p in schema_problems(store, name)]
    rows = {name: store.count(name) for name in tables if not any(p.startswith(f"{name}:") for p in problems)}
    md: dict[str, Any] = {
        "tables": dg.MetadataValue.text(", ".join(tables)),
        "row_counts": dg.MetadataValue.md(counts_table(rows, key="table")),
    }
    if problems:
        md["problems"] = dg.MetadataValue.md("\n".join(f"- {p}" for p in problems))
        return _result(False, f"{len(problems)} schema problems: {problems[0]}", md)
    return _result(True, f"{', '.join(tables)} match their contracts.", md)


# ------------------------------------------------------------------------------------------ ingest
def evaluate_quarantine_share(store: Store, cfg: ChecksConfig) -> dg.AssetCheckResult:
    """Share of each source's rows quarantined; rows read come from `ingest_files` (else tasks + drops)."""
    per_source = store.query(
        """
        WITH q AS (SELECT source, count(*) AS quarantined FROM quarantine GROUP BY source),
             f AS (SELECT source, sum(rows_read)::BIGINT AS rows_read FROM ingest_files GROUP BY source),
             t AS (SELECT source, count(*) AS n FROM tasks GROUP BY source),
             d AS (SELECT source, count(*) AS n FROM task_duplicates GROUP BY source),
             s AS (SELECT source FROM q UNION SELECT source FROM f)
        SELECT s.source,
               coalesce(q.quarantined, 0)::BIGINT AS quarantined,
               coalesce(nullif(f.rows_read, 0), coalesce(q.quarantined, 0) + coalesce(t.n, 0) + coalesce(d.n, 0))
                   ::BIGINT AS rows_read
        FROM s LEFT JOIN q USING (source) LEFT JOIN f USING (source) LEFT JOIN t USING (source)
               LEFT JOIN d USING (source)
        ORDER BY s.source
        """
    ).with_columns(
        share=pl.when(pl.col("rows_read") > 0)
        .then(pl.col("quarantined").cast(pl.Float64) / pl.col("rows_read"))
        .otherwise(0.0)
    )
    limit = cfg.max_quarantine_share
    judged = per_source.filter(pl.col("rows_read") >= cfg.min_rows_for_rates)
    bad = judged.filter(pl.col("share") > limit)
    reasons = store.query("SELECT reason, count(*) AS n FROM quarantine GROUP BY reason")
    md: dict[str, Any] = {
        "limit": dg.MetadataValue.float(limit),
        "per_source": _md_table(per_source.with_columns(pl.col("share").round(4))),
        "reasons": dg.MetadataValue.md(counts_table(dict(zip(reasons["reason"], reasons["n"], strict=True)))),
        "max_share": dg.MetadataValue.float(float(per_source["share"].max() or 0.0)),
    }
    if bad.height:
        names = ", ".join(f"{s} ({v:.1%})" for s, v in zip(bad["source"], bad["share"], strict=True))
        return _result(False, f"Quarantine share above {limit:.0%} in: {names}", md)
    skipped = per_source.height - judged.height
    note = f" ({skipped} sources under {cfg.min_rows_for_rates} rows not judged)" if skipped else ""
    return _result(True, f"Every source quarantines at most {limit:.0%} of its rows{note}.", md)


def _duplicate_result(
    kind: str, dropped: int, total: int, by_reason: Mapping[str, int], cfg: ChecksConfig
) -> dg.AssetCheckResult:
    share = dropped / total if total else 0.0
    md = {
        "duplicate_share": dg.MetadataValue.float(round(share, 4)),
        "duplicates": dg.MetadataValue.int(dropped),
        "rows_seen": dg.MetadataValue.int(total),
        "by_reason": dg.MetadataValue.md(counts_table(by_reason)),
    }
    over = share > cfg.warn_duplicate_share and total >= cfg.min_rows_for_rates
    verb = "above" if over else "within"
    text = f"{share:.1%} of {kind} were duplicates ({verb} the {cfg.warn_duplicate_share:.0%} warning level)."
    return _result(not over, text, md, severity=WARN)


def evaluate_task_duplicates(store: Store, cfg: ChecksConfig) -> dg.AssetCheckResult:
    reasons = store.query("SELECT reason, count(*) AS n FROM task_duplicates GROUP BY reason")
    dropped = int(reasons["n"].sum() or 0)
    return _duplicate_result(
        "tasks", dropped, dropped + store.count("tasks"), dict(zip(reasons["reason"], reasons["n"], strict=True)), cfg
    )


def evaluate_trace_duplicates(store: Store, cfg: ChecksConfig) -> dg.AssetCheckResult:
    reasons = store.query(
        "SELECT regexp_replace(reason, ':[^:]*$', '') AS reason, count(*) AS n FROM trace_selection "
        "WHERE reason LIKE 'dedup:%' GROUP BY 1"
    )
    dropped = int(reasons["n"].sum() or 0)
    return _duplicate_result(
        "passing traces",
        dropped,
        store.count("trace_selection"),
        dict(zip(reasons["reason"], reasons["n"], strict=True)),
        cfg,
    )


# -------------------------------------------------------------------------------- generate / verify
def evaluate_malformed_think(store: Store, cfg: ChecksConfig) -> dg.AssetCheckResult:
    """Share of answered generations whose think tags are malformed for their mode."""
    rows = []
    flag_counts: dict[str, int] = {}
    for mode, flags in MALFORMED_FLAGS.items():
        n, bad = store.fetchone(
            "SELECT count(*), count(*) FILTER (WHERE list_has_any(coalesce(parse_flags, []::VARCHAR[]), "
            "?::VARCHAR[])) FROM generations WHERE mode = ? AND error IS NULL",
            [list(flags), mode],
        ) or (0, 0)
        rows.append({"mode": mode, "generations": n, "malformed": bad, "share": round(bad / n, 4) if n else 0.0})
        for flag, count in store.fetchall(
            "SELECT flag, count(*) FROM (SELECT unnest(parse_flags) AS flag FROM generations "
            "WHERE mode = ? AND error IS NULL) WHERE list_contains(?::VARCHAR[], flag) GROUP BY flag",
            [mode, list(flags)],
        ):
            flag_counts[f"{mode}:{flag}"] = count
    per_mode = pl.DataFrame(rows)
    ceiling = cfg.max_malformed_think_share
    bad = [r for r in rows if r["generations"] >= cfg.min_rows_for_rates and r["share"] > ceiling]
    md = {
        "ceiling": dg.MetadataValue.float(ceiling),
        "per_mode": _md_table(per_mode),
        "flags": dg.MetadataValue.md(counts_table(flag_counts, key="mode:flag")),
        **{f"malformed_share/{r['mode']}": dg.MetadataValue.float(r["share"]) for r in rows},
    }
    if bad:
        names = ", ".join(f"{r['mode']} ({r['share']:.1%})" for r in bad)
        return _result(False, f"Malformed think share above {ceiling:.0%} in: {names}", md)
    return _result(True, f"Malformed think share at most {ceiling:.0%} in every mode.", md)


def evaluate_pass_rate(store: Store, cfg: ChecksConfig) -> dg.AssetCheckResult:
    """Verification pass rate per task domain against its floor."""
    per_domain = store.query(
        """
        SELECT coalesce(t.domain, 'unknown') AS domain, count(*) AS verdicts,
               count(*) FILTER (WHERE v.passed) AS passed
        FROM verdicts v LEFT JOIN tasks t USING (task_id) GROUP BY 1 ORDER BY 1
        """
    )
    floors = [cfg.min_pass_rate_by_domain.get(d, cfg.min_pass_rate) for d in per_domain["domain"]]
    per_domain = per_domain.with_columns(
        pass_rate=(pl.col("passed") / pl.col("verdicts")).round(4),
        floor=pl.Series(floors, dtype=pl.Float64),
    )
    judged = per_domain.filter(pl.col("verdicts") >= cfg.min_rows_for_rates)
    bad = judged.filter(pl.col("pass_rate") < pl.col("floor"))
    reasons = store.query(
        "SELECT array_to_string(string_split(reason, ':')[1:2], ':') AS reason, count(*) AS n "
        "FROM verdicts WHERE NOT passed AND reason IS NOT NULL GROUP BY 1"
    )
    md: dict[str, Any] = {
        "per_domain": _md_table(per_domain),
        "failure_reasons": dg.MetadataValue.md(counts_table(dict(zip(reasons["reason"], reasons["n"], strict=True)))),
        **{
            f"pass_rate/{d}": dg.MetadataValue.float(float(r))
            for d, r in zip(per_domain["domain"], per_domain["pass_rate"], strict=True)
        },
    }
    if bad.height:
        names = ", ".join(
            f"{d} ({r:.1%} < {f:.0%})" for d, r, f in zip(bad["domain"], bad["pass_rate"], bad["floor"], strict=True)
        )
        return _result(False, f"Pass rate below its floor in: {names}", md)
    return _result(True, "Every domain passes verification at or above its floor.", md)


def evaluate_audit_disagreement(store: Store, max_rate: float, cfg: ChecksConfig) -> dg.AssetCheckResult:
    """Per verifier, the share of audited verdicts a second, independent check disagrees with, under `max_rate`."""
    from pipeline.verify.db import disagreement_rates

    rates = disagreement_rates(store)
    md: dict[str, Any] = {
        "per_verifier": _md_table(rates),
        **{f"disagreement_rate/{v}": dg.MetadataValue.float(float(r))
           for v, r in zip(rates["verifier"], rates["rate"], strict=True)},
    }
    bad = rates.filter((pl.col("audited") >= cfg.min_rows_for_rates) & (pl.col("rate") > max_rate))
    if bad.height:
        names = ", ".join(f"{v} ({r:.1%})" for v, r in zip(bad["verifier"], bad["rate"], strict=True))
        return _result(False, f"Verifier audit disagreement above {max_rate:.0%} in: {names} (see the "
                              f"verifier_disagreements table)", md)
    return _result(True, f"Every audited verifier disagrees with its second check at most {max_rate:.0%} "
                         f"(verifiers under {cfg.min_rows_for_rates} audited verdicts not judged).", md)


# ----------------------------------------------------------------------------------------- dataset
def evaluate_no_contamination(store: Store) -> dg.AssetCheckResult:
    version = latest_version_id(store)
    if version is None:
        return _no_version()
    hits = store.query(
        "SELECT DISTINCT r.task_id, c.benchmark FROM dataset_rows r JOIN contamination c USING (task_id) "
        "WHERE r.version_id = ? ORDER BY 1, 2",
        [version],
    )
    tasks = hits["task_id"].unique().sort()
    md: dict[str, Any] = {
        "version_id": dg.MetadataValue.text(version),
        "contaminated_tasks": dg.MetadataValue.int(tasks.len()),
    }
    if tasks.len():
        by_bench = hits.group_by("benchmark").len()
        md["by_benchmark"] = dg.MetadataValue.md(
            counts_table(dict(zip(by_bench["benchmark"], by_bench["len"], strict=True)), key="benchmark")
        )
        md["sample_task_ids"] = dg.MetadataValue.text(", ".join(tasks.head(_SAMPLE_IDS).to_list()))
        return _result(False, f"{tasks.len()} contaminated tasks in {version}; it must not be published.", md)
    return _result(True, f"No task of {version} overlaps a benchmark.", md)


_EMPTY_MESSAGES_SQL = """
WITH r AS (
    SELECT example_id, from_json(messages, '[{"role":"VARCHAR","content":"VARCHAR"}]') AS m
    FROM dataset_rows WHERE version_id = ?
), p AS (
    SELECT example_id,
           coalesce(len(m), 0) = 0 AS no_messages,
           len(list_filter(m, lambda x: regexp_full_match(coalesce(x.content, ''), '\\s*'))) > 0 AS empty_content,
           len(list_filter(m, lambda x: x.role = 'user')) = 0 AS missing_user,
           len(list_filter(m, lambda x: x.role = 'assistant')) = 0 AS missing_assistant,
           len(list_filter(m, lambda x: x.role = 'assistant'
               AND regexp_full_match(regexp_replace(coalesce(x.content, ''), '(?s)<think>.*</think>', '', 'g'),
                                     '\\s*'))) > 0
               AS empty_answer
    FROM r
)
SELECT * FROM p WHERE no_messages OR empty_content OR missing_user OR missing_assistant OR empty_answer
ORDER BY example_id
"""


def evaluate_no_empty_messages(store: Store) -> dg.AssetCheckResult:
    """Every example of the latest version has a user turn and a non-empty assistant answer, no blank turn."""
    version = latest_version_id(store)
    if version is None:
        return _no_version()
    bad = store.query(_EMPTY_MESSAGES_SQL, [version])
    reasons = ["no_messages", "empty_content", "missing_user", "missing_assistant", "empty_answer"]
    counts = {r: int(bad[r].sum()) for r in reasons if bad.height and bad[r].sum()}
    md: dict[str, Any] = {
        "version_id": dg.MetadataValue.text(version),
        "bad_examples": dg.MetadataValue.int(bad.height),
    }
    if bad.height:
        md["by_reason"] = dg.MetadataValue.md(counts_table(counts))
        md["sample_example_ids"] = dg.MetadataValue.text(", ".join(bad["example_id"].head(_SAMPLE_IDS).to_list()))
        return _result(False, f"{bad.height} examples of {version} have empty or missing messages.", md)
    return _result(True, f"Every example of {version} has a user turn and a non-empty answer.", md)


def evaluate_lineage(store: Store) -> dg.AssetCheckResult:
    """Every example traces back to a stored generation of the same task and mode with a passing verdict."""
    version = latest_version_id(store)
    if version is None:
        return _no_version()
    row = store.fetchone(
        """
        SELECT count(*),
               count(*) FILTER (WHERE g.key IS NULL),
               count(*) FILTER (WHERE g.key IS NOT NULL AND g.task_id <> r.task_id),
               count(*) FILTER (WHERE g.key IS NOT NULL AND g.mode <> r.mode),
               count(*) FILTER (WHERE t.task_id IS NULL),
               count(*) FILTER (WHERE g.key IS NOT NULL AND coalesce(v.passed, false) = false)
        FROM dataset_rows r
        LEFT JOIN generations g ON g.key = r.generation_key
        LEFT JOIN tasks t ON t.task_id = r.task_id
        LEFT JOIN verdicts v ON v.generation_key = r.generation_key
        WHERE r.version_id = ?
        """,
        [version],
    ) or (0, 0, 0, 0, 0, 0)
    total, *problems = row
    names = ["missing_generation", "task_mismatch", "mode_mismatch", "missing_task", "not_passed"]
    counts = {n: int(c) for n, c in zip(names, problems, strict=True) if c}
    md: dict[str, Any] = {
        "version_id": dg.MetadataValue.text(version),
        "examples": dg.MetadataValue.int(total),
        "problems": dg.MetadataValue.md(counts_table(counts, key="problem")),
    }
    if counts:
        return _result(False, f"{sum(counts.values())} lineage problems in {version}: {', '.join(counts)}", md)
    return _result(True, f"All {total} examples of {version} trace to a passing generation of their task.", md)


def evaluate_think_ratio(store: Store, target: float, cfg: ChecksConfig) -> dg.AssetCheckResult:
    version = latest_version_id(store)
    if version is None:
        return _no_version()
    total, think = store.fetchone(
        "SELECT count(*), count(*) FILTER (WHERE mode = 'think') FROM dataset_rows WHERE version_id = ?", [version]
    ) or (0, 0)
    share = think / total if total else 0.0
    tol = cfg.think_ratio_tolerance
    md = {
        "version_id": dg.MetadataValue.text(version),
        "think_share": dg.MetadataValue.float(round(share, 4)),
        "target": dg.MetadataValue.float(target),
        "tolerance": dg.MetadataValue.float(tol),
        "examples": dg.MetadataValue.int(total),
    }
    if total < cfg.min_rows_for_rates:
        return _result(True, f"{version} has {total} examples, under {cfg.min_rows_for_rates}: ratio not judged.", md)
    ok = abs(share - target) <= tol
    return _result(ok, f"Think share {share:.1%} vs target {target:.0%} ± {tol:.0%}.", md)


def evaluate_version_content_unique(store: Store) -> dg.AssetCheckResult:
    """A new version is made only when content changed: no two versions share a content hash."""
    dupes = store.query(
        "SELECT content_hash, string_agg(version_id, ', ' ORDER BY version_id) AS versions FROM dataset_versions "
        "GROUP BY content_hash HAVING count(*) > 1 ORDER BY versions"
    )
    md = {"versions": dg.MetadataValue.int(store.count("dataset_versions"))}
    if dupes.height:
        md["same_content"] = _md_table(dupes)  # type: ignore[assignment]
        return _result(False, f"Versions with identical content: {'; '.join(dupes['versions'])}", md)
    return _result(True, "Every dataset version has distinct content.", md)


# ------------------------------------------------------------------------------- dagster wrappers
def _check(
    asset: str,
    name: str,
    description: str,
    evaluate: Callable[[Store, Any], dg.AssetCheckResult],
    *,
    blocking: bool = False,
) -> dg.AssetChecksDefinition:
    """An asset check that opens the store read-only and calls `evaluate(store, config)`."""

    @dg.asset_check(asset=dg.AssetKey(asset), name=name, description=description, blocking=blocking, pool="duckdb")
    def _run(thinkmill: ThinkmillResource) -> dg.AssetCheckResult:
        cfg = thinkmill.config()
        with thinkmill.store(read_only=True) as store:
            return evaluate(store, cfg)

    return _run


schema_checks = [
    _check(
        asset,
        "schema_conforms",
        f"Tables {', '.join(tables)} match schemas/contracts.py; required columns hold no nulls.",
        lambda store, _cfg, tables=tables: evaluate_schema(store, tables),
        blocking=asset != "published_dataset",
    )
    for asset, tables in ASSET_TABLES.items()
]

quarantine_share = _check(
    "raw_tasks",
    "quarantine_share",
    "Each source quarantines at most `checks.max_quarantine_share` of its rows.",
    lambda store, cfg: evaluate_quarantine_share(store, cfg.checks),
)
task_duplicate_share = _check(
    "tasks",
    "duplicate_share",
    "Share of raw rows dropped as duplicate tasks (warns above `checks.warn_duplicate_share`).",
    lambda store, cfg: evaluate_task_duplicates(store, cfg.checks),
)
malformed_think_share = _check(
    "generations",
    "malformed_think_share",
    "Share of generations with malformed think tags, per mode, under `checks.max_malformed_think_share`.",
    lambda store, cfg: evaluate_malformed_think(store, cfg.checks),
)
pass_rate_per_domain = _check(
    "verdicts",
    "pass_rate_per_domain",
    "Verification pass rate per domain at or above `checks.min_pass_rate` (or `checks.min_pass_rate_by_domain`).",
    lambda store, cfg: evaluate_pass_rate(store, cfg.checks),
)
audit_disagreement = _check(
    "verdicts",
    "audit_disagreement_rate",
    "Per verifier, audited verdicts disagreeing with a second, independent check at most "
    "`verify.audit.max_disagreement_rate`.",
    lambda store, cfg: evaluate_audit_disagreement(store, cfg.verify.audit.max_disagreement_rate, cfg.checks),
)
trace_duplicate_share = _check(
    "selected_traces",
    "duplicate_share",
    "Share of passing traces dropped as near-duplicates (warns above `checks.warn_duplicate_share`).",
    lambda store, cfg: evaluate_trace_duplicates(store, cfg.checks),
)
no_contaminated_tasks = _check(
    "dataset_version",
    "no_contaminated_tasks",
    "No task of the latest version overlaps a benchmark (blocking).",
    lambda store, _cfg: evaluate_no_contamination(store),
    blocking=True,
)
no_empty_messages = _check(
    "dataset_version",
    "no_empty_messages",
    "Every example has a user turn and a non-empty assistant answer (blocking).",
    lambda store, _cfg: evaluate_no_empty_messages(store),
    blocking=True,
)
rows_traceable = _check(
    "dataset_version",
    "rows_traceable",
    "Every example traces to a stored, passing generation of its task (blocking).",
    lambda store, _cfg: evaluate_lineage(store),
    blocking=True,
)
think_ratio = _check(
    "dataset_version",
    "think_ratio",
    "Think share by rows within `checks.think_ratio_tolerance` of `balance.think_share_rows`.",
    lambda store, cfg: evaluate_think_ratio(store, cfg.balance.think_share_rows, cfg.checks),
)
version_content_unique = _check(
    "dataset_version",
    "content_unique",
    "No two versions share a content hash (a refresh without new content makes no version).",
    lambda store, _cfg: evaluate_version_content_unique(store),
)

CHECKS: list[dg.AssetChecksDefinition] = [
    *schema_checks,
    quarantine_share,
    task_duplicate_share,
    malformed_think_share,
    pass_rate_per_domain,
    audit_disagreement,
    trace_duplicate_share,
    no_contaminated_tasks,
    no_empty_messages,
    rows_traceable,
    think_ratio,
    version_content_unique,
]
