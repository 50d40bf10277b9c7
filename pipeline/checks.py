"""Quality checks over the database: what a user must know about a run, and the gates a version must pass.

Each check reads DuckDB tables through an open `Store` and returns a plain `CheckResult`; nothing here knows
Dagster. The same checks run in two places: `assets/checks.py` wraps every `Check` as a Dagster asset check
(same name, same asset, blocking when `severity == "blocking"`), and `thinkmill build` / `thinkmill publish`
run the blocking checks of `dataset_version` on the version they make or send and refuse when one fails
(`require_passing`, `build_checked_version`).

Severities: `blocking` (a failure stops everything downstream: under Dagster the rest of the run, on the CLI
the build or publish), `error` (a failed rate check, reported, not blocking), `warn` (duplicate shares).
Thresholds: `checks:` section of the config (`pipeline.config.ChecksConfig`), defaults in docs/operations.md.

Metadata values are plain: int, float, str, `list[str]` (a list of problems), `Counts` (counts by a label) and
`polars.DataFrame` (a small table); the Dagster wrapper renders the last three as markdown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from pipeline.config import ChecksConfig, ThinkmillConfig
from pipeline.dataset.balance import target_mix
from pipeline.dataset.candidates import REPARSE_SQL, trace_parts
from pipeline.dataset.config import BalanceConfig
from pipeline.dataset.messages import build_messages, request_system, user_prompt
from pipeline.dataset.versions import latest_version, version_number
from pipeline.dataset.versions import run as build_version
from pipeline.errors import ThinkmillError
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import samples_for
from pipeline.report import StageReport
from pipeline.store import Store
from pipeline.trace import (
    EMPTY_THINK,
    MULTIPLE_THINK,
    NO_THINK_BLOCK,
    STRAY_CLOSE,
    THINK_IN_NO_THINK,
    UNCLOSED_THINK,
    Mode,
)
from pipeline.verify.result import not_judged_sql
from schemas import table as contract

Severity = Literal["blocking", "error", "warn"]

# Tables each asset writes: the schema check of an asset covers these.
ASSET_TABLES: dict[str, tuple[str, ...]] = {
    "raw_tasks": ("ingest_files", "quarantine"),
    "tasks": ("tasks", "task_duplicates"),
    "clean_tasks": ("contamination",),
    "generations": ("generations",),
    "verdicts": ("verdicts",),
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


@dataclass(frozen=True)
class Counts:
    """Counts by a label (reason, benchmark, problem, ...): shown as a two-column table."""

    values: Mapping[str, int]
    key: str = "reason"


@dataclass(frozen=True)
class Finding:
    """What one evaluation found."""

    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one named check on one asset."""

    asset: str
    name: str
    severity: Severity
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.asset}:{self.name}"

    def numbers(self) -> str:
        """The result's numbers and sample ids as `k=v, ...` (for a one-line message)."""
        parts: list[str] = []
        for k, v in self.metadata.items():
            if isinstance(v, bool) or not isinstance(v, int | float | str | Counts):
                continue
            if isinstance(v, Counts):
                parts += [f"{label}={n}" for label, n in v.values.items()]
            elif isinstance(v, str) and not k.startswith("sample_"):
                continue
            else:
                parts.append(f"{k}={v}")
        return ", ".join(parts)


Evaluate = Callable[[Store, ThinkmillConfig, "str | None"], Finding]


@dataclass(frozen=True)
class Check:
    """A check as registered: the asset it judges, its name, severity and evaluation."""

    asset: str
    name: str
    severity: Severity
    description: str
    evaluate: Evaluate

    @property
    def key(self) -> str:
        return f"{self.asset}:{self.name}"

    def run(self, store: Store, cfg: ThinkmillConfig, version: str | None = None) -> CheckResult:
        """Evaluate on `store`; version checks judge `version` (default: the latest version)."""
        f = self.evaluate(store, cfg, version)
        return CheckResult(self.asset, self.name, self.severity, f.passed, f.description, f.metadata)


class CheckFailedError(ThinkmillError):
    """A blocking check failed: the message names the check, the version and the numbers."""

    def __init__(self, what: str, failed: Sequence[CheckResult]) -> None:
        self.failed = list(failed)
        detail = "; ".join(
            f"{r.key}: {r.description.rstrip('.')}" + (f" ({r.numbers()})" if r.numbers() else "") for r in failed
        )
        super().__init__(f"{what} refused, blocking check failed: {detail}".replace("\n", " "))


def _one(store: Store, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...]:
    df = store.query(sql, params)
    return df.row(0) if df.height else ()


def _no_version() -> Finding:
    return Finding(True, "No dataset version exists yet: nothing to check.", {"version_id": "-"})


def _version(store: Store, version: str | None) -> str | None:
    return version if version is not None else latest_version(store)


# ------------------------------------------------------------------------------------------- schema
def schema_problems(store: Store, table_name: str) -> list[str]:
    """Differences between a table in the database and its contract; an empty list when it conforms."""
    t = contract(table_name)
    rows = store.query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [t.name],
    ).rows()
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
        nulls = _one(store, f"SELECT {sums} FROM {t.name}")
        problems += [
            f"{t.name}.{c}: {n} null values in a required column" for c, n in zip(required, nulls, strict=True) if n
        ]
    return problems


def evaluate_schema(store: Store, tables: Sequence[str]) -> Finding:
    problems = [p for name in tables for p in schema_problems(store, name)]
    rows = {name: store.count(name) for name in tables if not any(p.startswith(f"{name}:") for p in problems)}
    md: dict[str, Any] = {"tables": ", ".join(tables), "row_counts": Counts(rows, key="table")}
    if problems:
        md["problems"] = problems
        return Finding(False, f"{len(problems)} schema problems: {problems[0]}", md)
    return Finding(True, f"{', '.join(tables)} match their contracts.", md)


# ------------------------------------------------------------------------------------------ ingest
def evaluate_quarantine_share(store: Store, cfg: ChecksConfig) -> Finding:
    """Share of each source's rows quarantined; rows read come from `ingest_files`, the latest reading of each file
    (a file read again replaces its quarantine records), else tasks + drops."""
    per_source = store.query(
        """
        WITH q AS (SELECT source, count(*) AS quarantined FROM quarantine GROUP BY source),
             latest AS (SELECT source, rows_read FROM ingest_files
                        QUALIFY row_number() OVER (PARTITION BY path ORDER BY created_at DESC, ingest_batch DESC) = 1),
             f AS (SELECT source, sum(rows_read)::BIGINT AS rows_read FROM latest GROUP BY source),
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
        "limit": limit,
        "per_source": per_source.with_columns(pl.col("share").round(4)),
        "reasons": Counts(dict(zip(reasons["reason"], reasons["n"], strict=True))),
        "max_share": float(per_source["share"].max() or 0.0),
    }
    if bad.height:
        names = ", ".join(f"{s} ({v:.1%})" for s, v in zip(bad["source"], bad["share"], strict=True))
        return Finding(False, f"Quarantine share above {limit:.0%} in: {names}", md)
    skipped = per_source.height - judged.height
    note = f" ({skipped} sources under {cfg.min_rows_for_rates} rows not judged)" if skipped else ""
    return Finding(True, f"Every source quarantines at most {limit:.0%} of its rows{note}.", md)


def _duplicate_finding(kind: str, dropped: int, total: int, by_reason: Mapping[str, int], cfg: ChecksConfig) -> Finding:
    share = dropped / total if total else 0.0
    md = {
        "duplicate_share": round(share, 4),
        "duplicates": dropped,
        "rows_seen": total,
        "by_reason": Counts(dict(by_reason)),
    }
    over = share > cfg.warn_duplicate_share and total >= cfg.min_rows_for_rates
    verb = "above" if over else "within"
    text = f"{share:.1%} of {kind} were duplicates ({verb} the {cfg.warn_duplicate_share:.0%} warning level)."
    return Finding(not over, text, md)


def evaluate_task_duplicates(store: Store, cfg: ChecksConfig) -> Finding:
    reasons = store.query("SELECT reason, count(*) AS n FROM task_duplicates GROUP BY reason")
    dropped = int(reasons["n"].sum() or 0)
    return _duplicate_finding(
        "tasks", dropped, dropped + store.count("tasks"), dict(zip(reasons["reason"], reasons["n"], strict=True)), cfg
    )


def evaluate_trace_duplicates(store: Store, cfg: ChecksConfig) -> Finding:
    reasons = store.query(
        "SELECT regexp_replace(reason, ':[^:]*$', '') AS reason, count(*) AS n FROM trace_selection "
        "WHERE reason LIKE 'dedup:%' GROUP BY 1"
    )
    dropped = int(reasons["n"].sum() or 0)
    return _duplicate_finding(
        "passing traces",
        dropped,
        store.count("trace_selection"),
        dict(zip(reasons["reason"], reasons["n"], strict=True)),
        cfg,
    )


# -------------------------------------------------------------------------------- generate / verify
def evaluate_malformed_think(store: Store, cfg: ChecksConfig, gen: GenerateConfig | None = None) -> Finding:
    """Share of answered requests whose think tags are malformed for their mode: each request slot judged by its
    standing answer (`_REQUESTS_SQL`, the slots `failed_request_share` counts), so a rerun that answered a slot
    again (a fixed template) replaces its old answer, and samples no longer asked for do not count."""
    answered = _request_slots(store, gen).filter(pl.col("asked") & pl.col("kind").is_null())
    rows = []
    flag_counts: dict[str, int] = {}
    for mode, flags in MALFORMED_FLAGS.items():
        fired = (
            answered.filter(pl.col("mode") == mode)
            .select(pl.col("parse_flags").fill_null([]).list.set_intersection(list(flags)).alias("fired"))
            .get_column("fired")
        )
        n, bad = fired.len(), int((fired.list.len() > 0).sum())
        rows.append({"mode": mode, "generations": n, "malformed": bad, "share": round(bad / n, 4) if n else 0.0})
        for flag, count in fired.explode().drop_nulls().value_counts(sort=True).iter_rows():
            flag_counts[f"{mode}:{flag}"] = int(count)
    ceiling = cfg.max_malformed_think_share
    bad = [r for r in rows if r["generations"] >= cfg.min_rows_for_rates and r["share"] > ceiling]
    md: dict[str, Any] = {
        "ceiling": ceiling,
        "per_mode": pl.DataFrame(rows),
        "flags": Counts(flag_counts, key="mode:flag"),
        **{f"malformed_share/{r['mode']}": float(r["share"]) for r in rows},
    }
    if bad:
        names = ", ".join(f"{r['mode']} ({r['share']:.1%})" for r in bad)
        return Finding(False, f"Malformed think share above {ceiling:.0%} in: {names}", md)
    return Finding(True, f"Malformed think share at most {ceiling:.0%} in every mode.", md)


# Each request slot (task, mode, sample) as it stands: its latest stored row, an answer before an error of the same
# time. A row a later run superseded (another template or setting makes another key) and the requests of a task found
# contaminated or retired since (never sent again) do not count. Nor does a slot past what is asked for now: a mode's k
# (`generate.samples_think` / `samples_no_think`, the adaptive `initial` where the config makes the mode adaptive), or
# for a task sampled adaptively what its last decision drew or draws next, whichever is more: a run re-sends the
# failures it asks for (`generate.retry_errors`), never a sample past them (lowered k, 4 -> 2, left samples 2 and 3
# failed for good). A decision bounds them until a fixed-k pass (a `generate_runs` row without a round) runs after it:
# that run asks for its k alone (`--adaptive`, then a fixed k=2: samples 2 and 3 stayed asked for good).
# `latest`: the slot is new in the latest run: its first row was stored after the last recorded pass (`generate_runs`)
# that ended before the newest row (a run that stopped early records no pass; its rows and its rerun's count as one).
# A failure re-sent by the latest run (`generate.retry_errors`) is an older slot's, judged over all requests only.
_REQUESTS_SQL = """
WITH last_decision AS (
    SELECT task_id, mode, greatest(drawn, coalesce(next_drawn, 0)) AS drawn FROM adaptive_decisions d
    WHERE NOT EXISTS (SELECT 1 FROM generate_runs r WHERE r.round IS NULL AND r.created_at > d.created_at)
    QUALIFY row_number() OVER (PARTITION BY task_id, mode ORDER BY round DESC) = 1
), slots AS (
    SELECT key, task_id, mode, sample_index, split_part(error, ':', 1) AS kind, parse_flags,
           min(created_at) OVER (PARTITION BY task_id, mode, sample_index) AS first_at
    FROM generations g
    WHERE NOT EXISTS (SELECT 1 FROM contamination c WHERE c.task_id = g.task_id)
      AND NOT EXISTS (SELECT 1 FROM retired_tasks r WHERE r.task_id = g.task_id)
    QUALIFY row_number() OVER (PARTITION BY task_id, mode, sample_index
                               ORDER BY created_at DESC, error IS NULL DESC, key) = 1
), latest_since AS (
    SELECT max(created_at) AS at FROM generate_runs
    WHERE created_at < (SELECT max(created_at) FROM generations)
)
SELECT s.key, s.task_id, s.mode, s.kind, s.parse_flags,
       s.sample_index < greatest(CASE s.mode WHEN 'think' THEN ? ELSE ? END, coalesce(d.drawn, 0)) AS asked,
       coalesce(s.first_at > l.at, true) AS latest
FROM slots s LEFT JOIN last_decision d USING (task_id, mode) CROSS JOIN latest_since l
"""


def _asked_k(gen: GenerateConfig, mode: Mode) -> int:
    """Samples per task a run of `gen` asks for in `mode` (an adaptive mode: its first round's)."""
    spec = gen.adaptive.for_mode(mode)
    return spec.initial if spec.enabled else samples_for(gen, mode)


def _request_slots(store: Store, gen: GenerateConfig | None) -> pl.DataFrame:
    """Every request slot as it stands (`_REQUESTS_SQL`), `asked` where `gen` (the generate config) asks for it."""
    gen = gen or GenerateConfig()
    return store.query(_REQUESTS_SQL, [_asked_k(gen, "think"), _asked_k(gen, "no_think")])


def evaluate_failed_requests(store: Store, cfg: ChecksConfig, gen: GenerateConfig | None = None) -> Finding:
    """Share of generation requests whose stored result is an error (connection lost, timeout, server error, context
    length, ...), in total and by error kind, under `max_failed_request_share`. Requests are the slots `gen` (the
    generate config) asks for (`_REQUESTS_SQL`). The latest run's new requests (`latest`) are judged on their own
    too: over every request, a new batch that mostly failed (24 of 30 beside 1,800 good ones) stayed under the limit.
    Failures it sent again are older requests: judged on their own, 24 over-long prompts that fail on every rerun
    would turn each refresh red."""
    slots = _request_slots(store, gen)
    reqs = slots.filter(pl.col("asked"))
    not_asked = slots.height - reqs.height
    total = reqs.height
    failed = reqs.filter(pl.col("kind").is_not_null())
    kinds = failed.group_by("kind").len().sort(["len", "kind"], descending=[True, False])
    by_kind = {str(k): int(n) for k, n in kinds.iter_rows()}
    per_mode = (
        reqs.group_by("mode")
        .agg(pl.len().alias("requests"), pl.col("kind").is_not_null().sum().cast(pl.Int64).alias("failed"))
        .with_columns((pl.col("failed") / pl.col("requests")).round(4).alias("share"))
        .sort("mode", descending=True)  # think before no_think
    )
    share = failed.height / total if total else 0.0
    limit = cfg.max_failed_request_share
    md: dict[str, Any] = {
        "limit": limit,
        "requests": total,
        "failed": failed.height,
        "failed_share": round(share, 4),
        "by_kind": Counts(by_kind, key="error"),
        "per_mode": per_mode,
        **{f"failed_share/{k}": round(n / total, 4) for k, n in by_kind.items()},
    }
    if not_asked:
        md["not_asked"] = not_asked  # stored slots past what the config asks for: not counted
    if failed.height:
        md["sample_task_ids"] = ", ".join(failed["task_id"].unique().sort().head(_SAMPLE_IDS).to_list())
    kinds_text = ", ".join(f"{k} {n}" for k, n in by_kind.items())
    latest = reqs.filter(pl.col("latest"))
    latest_failed = latest.filter(pl.col("kind").is_not_null())
    latest_share = latest_failed.height / latest.height if latest.height else 0.0
    md |= {
        "latest_requests": latest.height,
        "latest_failed": latest_failed.height,
        "latest_failed_share": round(latest_share, 4),
    }
    resend = "They have no trace; the next generations run sends them again (generate.retry_errors, on by default)."
    if total < cfg.min_rows_for_rates:
        note = f" ({kinds_text})" if failed.height else ""
        return Finding(
            True, f"{failed.height} of {total} requests failed{note}: under {cfg.min_rows_for_rates}, not judged.", md
        )
    if share > limit:
        return Finding(
            False,
            f"{failed.height} of {total} generation requests ({share:.1%}) failed, above {limit:.0%}: {kinds_text}. "
            + resend,
            md,
        )
    note = f" ({kinds_text})" if failed.height else ""
    text = f"{failed.height} of {total} requests ({share:.1%}) failed{note}, at most {limit:.0%}."
    if latest.height in (0, total):  # no new request, or the latest run's are all there are: judged above
        return Finding(True, text, md)
    latest_kinds = ", ".join(
        f"{k} {n}"
        for k, n in latest_failed.group_by("kind").len().sort(["len", "kind"], descending=[True, False]).iter_rows()
    )
    if latest.height < cfg.min_rows_for_rates:
        return Finding(
            True,
            f"{text} The latest run's {latest.height} new requests ({latest_failed.height} failed): under "
            f"{cfg.min_rows_for_rates}, not judged on their own.",
            md,
        )
    if latest_share > limit:
        return Finding(
            False,
            f"{latest_failed.height} of the latest run's {latest.height} new generation requests ({latest_share:.1%}) "
            f"failed, above {limit:.0%}: {latest_kinds} (over all {total} requests, {share:.1%}). " + resend,
            md,
        )
    latest_text = f"{latest_failed.height} of {latest.height} ({latest_share:.1%})"
    return Finding(True, f"{text} The latest run's new requests: {latest_text}.", md)


def evaluate_pass_rate(store: Store, cfg: ChecksConfig, gen: GenerateConfig | None = None) -> Finding:
    """Verification pass rate per task domain against its floor, over the verdicts of each request slot's standing
    answer (`_REQUESTS_SQL`, as the other generate checks count): a rerun that answered the slots again (another
    template or model: new keys) replaces the old run's verdicts, which kept a broken run green (an old good run
    counted beside it) or a fixed one red. A verdict whose check never ran (`pipeline.verify.result.NOT_JUDGED`: no
    sandbox, an unreachable judge) is left out of the rate and counted as `not_judged`, as the card and the build
    leave it out: counted as a failure, a demo without a sandbox failed code's floor as if the model could not code."""
    standing = _request_slots(store, gen).filter(pl.col("asked") & pl.col("kind").is_null()).select("key")
    frames = {"_standing": standing}
    unrun = not_judged_sql("v.reason")
    per_domain = store.query(
        f"""
        SELECT coalesce(t.domain, 'unknown') AS domain, count(*) FILTER (WHERE NOT {unrun}) AS verdicts,
               count(*) FILTER (WHERE v.passed) AS passed, count(*) FILTER (WHERE {unrun}) AS not_judged
        FROM verdicts v JOIN _standing s ON s.key = v.generation_key LEFT JOIN tasks t USING (task_id)
        GROUP BY 1 ORDER BY 1
        """,
        frames=frames,
    )
    floors = [cfg.min_pass_rate_by_domain.get(d, cfg.min_pass_rate) for d in per_domain["domain"]]
    per_domain = per_domain.with_columns(
        pass_rate=pl.when(pl.col("verdicts") > 0).then(pl.col("passed") / pl.col("verdicts")).otherwise(0.0).round(4),
        floor=pl.Series(floors, dtype=pl.Float64),
    )
    judged = per_domain.filter(pl.col("verdicts") >= cfg.min_rows_for_rates)
    bad = judged.filter(pl.col("pass_rate") < pl.col("floor"))
    reasons = store.query(
        "SELECT array_to_string(string_split(reason, ':')[1:2], ':') AS reason, count(*) AS n "
        "FROM verdicts v JOIN _standing s ON s.key = v.generation_key "
        "WHERE NOT passed AND reason IS NOT NULL GROUP BY 1",
        frames=frames,
    )
    md: dict[str, Any] = {
        "per_domain": per_domain,
        "failure_reasons": Counts(dict(zip(reasons["reason"], reasons["n"], strict=True))),
        **{f"pass_rate/{d}": float(r) for d, r in zip(per_domain["domain"], per_domain["pass_rate"], strict=True)},
    }
    # a floor for a domain no task has (a typo: `maths`) judged the real domain at the default floor, silently
    domains = store.query("SELECT DISTINCT domain FROM tasks WHERE domain IS NOT NULL ORDER BY 1")["domain"].to_list()
    unknown = sorted(set(cfg.min_pass_rate_by_domain) - set(domains))
    problems = [f"checks.min_pass_rate_by_domain.{d} names no task's domain" for d in unknown]
    if problems:
        problems[-1] += f" (the tasks' domains: {', '.join(domains) or 'none'})"
    if bad.height:
        names = ", ".join(
            f"{d} ({r:.1%} < {f:.0%})" for d, r, f in zip(bad["domain"], bad["pass_rate"], bad["floor"], strict=True)
        )
        problems.insert(0, f"Pass rate below its floor in: {names}")
    unjudged = int(per_domain["not_judged"].sum() or 0)
    if unjudged:
        md["not_judged"] = unjudged
    note = f" ({unjudged} verdicts whose check never ran not counted)" if unjudged else ""
    if problems:
        return Finding(False, "; ".join(problems) + note, md)
    return Finding(True, f"Every domain passes verification at or above its floor{note}.", md)


def evaluate_audit_disagreement(store: Store, max_rate: float, cfg: ChecksConfig) -> Finding:
    """Per verifier, the share of audited verdicts a second, independent check disagrees with, under `max_rate`."""
    from pipeline.verify.db import disagreement_rates

    rates = disagreement_rates(store)
    md: dict[str, Any] = {
        "per_verifier": rates,
        **{f"disagreement_rate/{v}": float(r) for v, r in zip(rates["verifier"], rates["rate"], strict=True)},
    }
    bad = rates.filter((pl.col("audited") >= cfg.min_rows_for_rates) & (pl.col("rate") > max_rate))
    if bad.height:
        names = ", ".join(f"{v} ({r:.1%})" for v, r in zip(bad["verifier"], bad["rate"], strict=True))
        return Finding(
            False,
            f"Verifier audit disagreement above {max_rate:.0%} in: {names} (see the verifier_disagreements table)",
            md,
        )
    return Finding(
        True,
        f"Every audited verifier disagrees with its second check at most {max_rate:.0%} "
        f"(verifiers under {cfg.min_rows_for_rates} audited verdicts not judged).",
        md,
    )


# ----------------------------------------------------------------------------------------- dataset
def evaluate_no_contamination(store: Store, version: str | None = None) -> Finding:
    """No task of the version (default: the latest) is in `contamination` as it stands now."""
    version = _version(store, version)
    if version is None:
        return _no_version()
    hits = store.query(
        "SELECT DISTINCT r.task_id, c.benchmark FROM dataset_rows r JOIN contamination c USING (task_id) "
        "WHERE r.version_id = ? ORDER BY 1, 2",
        [version],
    )
    tasks = hits["task_id"].unique().sort()
    md: dict[str, Any] = {"version_id": version, "contaminated_tasks": tasks.len()}
    if tasks.len():
        by_bench = hits.group_by("benchmark").len()
        md["by_benchmark"] = Counts(dict(zip(by_bench["benchmark"], by_bench["len"], strict=True)), key="benchmark")
        md["sample_task_ids"] = ", ".join(tasks.head(_SAMPLE_IDS).to_list())
        return Finding(False, f"{tasks.len()} contaminated tasks in {version}; it must not be published.", md)
    return Finding(True, f"No task of {version} overlaps a benchmark.", md)


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
               AND regexp_full_match(
                   CASE WHEN regexp_matches(x.content, '^\\s*<think>') AND contains(x.content, '</think>')
                        THEN substr(x.content, strpos(x.content, '</think>') + 8)  -- after the block's </think>
                        ELSE coalesce(x.content, '') END,
                   '\\s*'))) > 0
               AS empty_answer
    FROM r
)
SELECT * FROM p WHERE no_messages OR empty_content OR missing_user OR missing_assistant OR empty_answer
ORDER BY example_id
"""
_EMPTY_REASONS = ("no_messages", "empty_content", "missing_user", "missing_assistant", "empty_answer")


def evaluate_no_empty_messages(store: Store, version: str | None = None) -> Finding:
    """Every example of the version has a user turn and a non-empty assistant answer, no blank turn."""
    version = _version(store, version)
    if version is None:
        return _no_version()
    bad = store.query(_EMPTY_MESSAGES_SQL, [version])
    counts = {r: int(bad[r].sum()) for r in _EMPTY_REASONS if bad.height and bad[r].sum()}
    md: dict[str, Any] = {"version_id": version, "bad_examples": bad.height}
    if bad.height:
        md["by_reason"] = Counts(counts)
        md["sample_example_ids"] = ", ".join(bad["example_id"].head(_SAMPLE_IDS).to_list())
        return Finding(False, f"{bad.height} examples of {version} have empty or missing messages.", md)
    return Finding(True, f"Every example of {version} has a user turn and a non-empty answer.", md)


# Every row with what the build made its messages from: its generation's texts (raw_text only where `trace_parts`
# reads it, as `candidates._TEXTS_SQL`), the request as sent and the task's prompt. Rows whose generation is missing,
# of another task, or of another mode (but a no-think row of a think generation: with
# `balance.no_think_from_think_answers` a think trace's answer is also a no-think candidate, and its row keeps the
# think generation's key) are lineage problems of their own and not compared.
_ROW_TEXTS_SQL = f"""
SELECT r.example_id, r.mode, r.messages, g.mode AS generation_mode, CAST(g.messages AS VARCHAR) AS request, t.prompt,
       CASE WHEN g.answer IS NULL OR (g.mode = 'think' AND g.think IS NULL)
                 OR {REPARSE_SQL} THEN g.raw_text END AS raw_text,
       g.think, g.answer
FROM dataset_rows r JOIN generations g ON g.key = r.generation_key JOIN tasks t ON t.task_id = r.task_id
WHERE r.version_id = ? AND g.task_id = r.task_id
  AND (g.mode = r.mode OR (r.mode = 'no_think' AND g.mode = 'think'))
"""
# Which of the rows `_row_texts` counts have empty or missing messages: the `no_empty_messages` check's (a defect
# fails one check), left out of its counts. Asked only about the rows counted, not every row of the version.
_EMPTY_OF_SQL = _EMPTY_MESSAGES_SQL.replace(
    "FROM dataset_rows WHERE version_id = ?",
    "FROM dataset_rows WHERE version_id = ? AND example_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
)


def _built_messages(r: Mapping[str, Any]) -> list[dict[str, str]] | None:
    """The messages the build makes for row `r` of `_ROW_TEXTS_SQL` (`versions.make_rows` from the candidate
    `candidates._batch_rows` reads), or None when it makes none (an empty answer or think text)."""
    try:
        request = json.loads(r["request"]) if r["request"] else None
    except json.JSONDecodeError:
        request = None
    think, answer = trace_parts(r["generation_mode"], r["raw_text"], r["think"], r["answer"])
    try:
        return build_messages(
            r["mode"],
            user_prompt(request, r["prompt"]),
            answer,
            think if r["mode"] == "think" and think else None,
            request_system(request),
        )
    except ValueError:
        return None


def _row_texts(store: Store, version: str) -> tuple[int, int, int]:
    """(no-think rows built from a think trace's answer, other no-think rows pointing at a think generation, rows
    whose messages are not what the build makes from their generation and request).

    A row's messages are compared whole with the messages the build makes from its generation (`_built_messages`),
    so a row whose answer, think text or prompt is not its generation's (a build bug, an edited database, a row
    naming another sample of its task) is found. A no-think row of a think generation is a think answer when its
    assistant turn is exactly that generation's answer; dataset_rows keeps no origin column, so the content is the
    mark: one that is not is counted as the second number (a mode mismatch), one whose other turns differ as the
    third."""
    counted: dict[str, str] = {}  # example id -> what it counts as: ok, not_the_answer, mismatch
    for batch in store.batches(_ROW_TEXTS_SQL, [version]):
        for r in batch.to_pylist():
            try:
                stored = json.loads(r["messages"])
            except (TypeError, json.JSONDecodeError):
                stored = None
            want = _built_messages(r)
            from_answer = r["mode"] == "no_think" and r["generation_mode"] == "think"
            if from_answer and (
                want is None
                or not isinstance(stored, list)
                or not stored
                or not isinstance(stored[-1], dict)
                or stored[-1].get("content") != want[-1]["content"]
            ):
                counted[r["example_id"]] = "not_the_answer"
            elif stored != want:
                counted[r["example_id"]] = "mismatch"
            elif from_answer:
                counted[r["example_id"]] = "ok"
    if counted:
        for (example_id,) in store.fetchall(f"SELECT example_id FROM ({_EMPTY_OF_SQL})", [version, list(counted)]):
            counted.pop(example_id, None)
    kinds = Counter(counted.values())
    return kinds["ok"], kinds["not_the_answer"], kinds["mismatch"]


def evaluate_lineage(store: Store, version: str | None = None) -> Finding:
    """Every example traces back to a stored generation of the same task and mode with a passing verdict, and its
    messages are the ones the build makes from that generation (`_row_texts`); a no-think row may trace to a think
    generation whose answer it is (`balance.no_think_from_think_answers`)."""
    version = _version(store, version)
    if version is None:
        return _no_version()
    row = _one(
        store,
        """
        SELECT count(*),
               count(*) FILTER (WHERE g.key IS NULL),
               count(*) FILTER (WHERE g.key IS NOT NULL AND g.task_id <> r.task_id),
               count(*) FILTER (WHERE g.key IS NOT NULL AND g.mode <> r.mode
                                AND NOT (r.mode = 'no_think' AND g.mode = 'think')),
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
    think_answers, not_the_answer, text_mismatch = _row_texts(store, version)
    problems[2] += not_the_answer  # a no-think row that is not its think generation's answer: a real mismatch
    problems.append(text_mismatch)
    names = ["missing_generation", "task_mismatch", "mode_mismatch", "missing_task", "not_passed", "text_mismatch"]
    counts = {n: int(c) for n, c in zip(names, problems, strict=True) if c}
    md: dict[str, Any] = {"version_id": version, "examples": int(total), "problems": Counts(counts, key="problem")}
    if think_answers:
        md["think_answer_rows"] = think_answers
    if counts:
        return Finding(False, f"{sum(counts.values())} lineage problems in {version}: {', '.join(counts)}", md)
    return Finding(True, f"All {total} examples of {version} trace to a passing generation of their task.", md)


def evaluate_think_ratio(
    store: Store,
    target: float | None,
    cfg: ChecksConfig,
    version: str | None = None,
    unit: Literal["rows", "tokens"] = "rows",
    domain_targets: Mapping[str, float] | None = None,
) -> Finding:
    """The version's think share by `unit` within the tolerance of `target`: the share the build enforced
    (`BalanceConfig.target_unit` / `target_share`: by tokens when `balance.think_share_tokens` is set, the row
    share then drifts freely), so a version that met its target is never failed on the other measure.

    `domain_targets` (`balance.domain_think_share`): the build enforces each domain's own target, so where one
    names a domain of the version the overall share is judged against the mix of the domains' targets, each
    weighted by its domain's share of the version (rows or tokens, by `unit`); a version whose every domain met
    its target then meets it too."""
    version = _version(store, version)
    if version is None:
        return _no_version()
    if target is None:  # balance.think_share_rows: null and no token share
        return Finding(
            True,
            "No think-share target (balance.think_share_rows or think_share_tokens) is set: ratio not judged.",
            {"version_id": version},
        )
    per_domain = store.query(
        """
        SELECT domain, count(*) AS rows, count(*) FILTER (WHERE mode = 'think') AS think_rows,
               coalesce(sum(coalesce(think_tokens, 0) + coalesce(answer_tokens, 0)), 0)::BIGINT AS tokens,
               coalesce(sum(coalesce(think_tokens, 0) + coalesce(answer_tokens, 0)) FILTER (WHERE mode = 'think'), 0)
                   ::BIGINT AS think_tokens
        FROM dataset_rows WHERE version_id = ? GROUP BY domain ORDER BY domain
        """,
        [version],
    )
    total = int(per_domain["rows"].sum() or 0)
    # by tokens as the balance measures it (`balance._mix`): the think rows' think + answer tokens over all rows'
    part_col, whole_col = ("think_tokens", "tokens") if unit == "tokens" else ("think_rows", "rows")
    part, whole = int(per_domain[part_col].sum() or 0), int(per_domain[whole_col].sum() or 0)
    share = part / whole if whole else 0.0
    tol = cfg.think_ratio_tolerance
    overrides = {d: t for d, t in (domain_targets or {}).items() if d in set(per_domain["domain"].to_list())}
    weights = dict(zip(per_domain["domain"], per_domain[whole_col], strict=True))
    mix = target_mix(weights, overrides, target) if overrides else None
    judged_target = target if mix is None else mix
    md: dict[str, Any] = {
        "version_id": version,
        "think_share": round(share, 4),
        "unit": unit,
        "target": round(judged_target, 4),
        "tolerance": tol,
        "examples": total,
    }
    if overrides:
        md["global_target"] = target
        md["per_domain"] = per_domain.select(
            "domain",
            (pl.col(part_col) / pl.col(whole_col)).round(4).alias("think_share"),
            pl.col("domain").replace_strict(overrides, default=target, return_dtype=pl.Float64).alias("target"),
            pl.col(whole_col).alias(unit),
        )
    if total < cfg.min_rows_for_rates:
        return Finding(True, f"{version} has {total} examples, under {cfg.min_rows_for_rates}: ratio not judged.", md)
    ok = abs(share - judged_target) <= tol
    of = (
        f" (the mix of the domains' targets, balance.domain_think_share over the global {target:.0%})"
        if overrides
        else ""
    )
    return Finding(ok, f"Think share by {unit} {share:.1%} vs target {judged_target:.0%}{of} ± {tol:.0%}.", md)


_TARGET_KEYS = ("think_share_rows", "think_share_tokens", "domain_think_share")


def built_balance(store: Store, version: str, current: BalanceConfig) -> tuple[BalanceConfig, str]:
    """The think-share targets `version` was built with (its `dataset_versions.config`), and where they come from.

    A version is judged against what its build enforced: judged under the current config, a version built at 0.7
    failed once the config said 0.3. A version whose stored config holds no usable `balance` section (written by hand
    or by an old thinkmill) is judged against `current`, and the source says so."""
    stored = _one(store, "SELECT config FROM dataset_versions WHERE version_id = ?", [version])
    try:
        balance = json.loads(stored[0]).get("balance") if stored and stored[0] else None
        if isinstance(balance, dict) and any(k in balance for k in _TARGET_KEYS):
            return BalanceConfig.model_validate({k: balance[k] for k in _TARGET_KEYS if k in balance}), (
                f"{version}'s config"
            )
    except (ValueError, AttributeError):  # not JSON, not an object, targets out of range: no usable record
        pass
    return current, f"this config ({version} records no balance targets)"


def evaluate_built_think_ratio(store: Store, cfg: ThinkmillConfig, version: str | None = None) -> Finding:
    """`evaluate_think_ratio` against the targets the version was built with (`built_balance`)."""
    version = _version(store, version)
    if version is None:
        return _no_version()
    balance, source = built_balance(store, version, cfg.balance)
    f = evaluate_think_ratio(
        store,
        balance.target_share,
        cfg.checks,
        version,
        balance.target_unit or "rows",
        balance.domain_think_share,
    )
    return Finding(f.passed, f.description, {**f.metadata, "targets_from": source})


def evaluate_version_content_unique(store: Store) -> Finding:
    """A new version is made only when content changed: no version has the content of the version before it.

    The build compares with the latest version only (docs/dataset.md), so a config rolled back makes a new version
    equal to an older one (v3 == v1, v2 between): a real change of the latest content, reported as a rollback, not
    a failure (it would fail for good, as versions are never deleted)."""
    versions = sorted(
        store.query("SELECT version_id, content_hash FROM dataset_versions").iter_rows(),
        key=lambda r: version_number(r[0]),
    )
    same: list[str] = []
    rollbacks: list[str] = []
    first_with: dict[str, str] = {}  # content hash -> the first version that had it
    before: tuple[str, str] | None = None
    for vid, digest in versions:
        if before is not None and digest == before[1]:
            same.append(f"{before[0]}, {vid}")
        elif digest in first_with:
            rollbacks.append(f"{vid} has the content of {first_with[digest]}")
        first_with.setdefault(digest, vid)
        before = (vid, digest)
    md: dict[str, Any] = {"versions": len(versions)}
    if rollbacks:
        md["rollbacks"] = rollbacks
    if same:
        md["same_content"] = same
        return Finding(False, f"Consecutive versions with identical content: {'; '.join(same)}", md)
    note = f" Rolled back to older content: {'; '.join(rollbacks)}." if rollbacks else ""
    return Finding(True, f"Every dataset version differs from the one before it.{note}", md)


# ------------------------------------------------------------------------------------------ registry
def _schema_check(asset: str, tables: tuple[str, ...]) -> Check:
    return Check(
        asset,
        "schema_conforms",
        "blocking" if asset != "published_dataset" else "error",
        f"Tables {', '.join(tables)} match schemas/contracts.py; required columns hold no nulls.",
        lambda store, _cfg, _v: evaluate_schema(store, tables),
    )


CHECKS: tuple[Check, ...] = (
    *(_schema_check(asset, tables) for asset, tables in ASSET_TABLES.items()),
    Check(
        "raw_tasks",
        "quarantine_share",
        "error",
        "Each source quarantines at most `checks.max_quarantine_share` of its rows.",
        lambda store, cfg, _v: evaluate_quarantine_share(store, cfg.checks),
    ),
    Check(
        "tasks",
        "duplicate_share",
        "warn",
        "Share of raw rows dropped as duplicate tasks (warns above `checks.warn_duplicate_share`).",
        lambda store, cfg, _v: evaluate_task_duplicates(store, cfg.checks),
    ),
    Check(
        "generations",
        "malformed_think_share",
        "error",
        "Share of generations with malformed think tags, per mode, under `checks.max_malformed_think_share`.",
        lambda store, cfg, _v: evaluate_malformed_think(store, cfg.checks, cfg.generate),
    ),
    Check(
        "generations",
        "failed_request_share",
        "error",
        "Share of generation requests whose stored result is an error (connection lost, timeout, ...), in total "
        "and by error kind, at most `checks.max_failed_request_share`.",
        lambda store, cfg, _v: evaluate_failed_requests(store, cfg.checks, cfg.generate),
    ),
    Check(
        "verdicts",
        "pass_rate_per_domain",
        "error",
        "Verification pass rate per domain at or above `checks.min_pass_rate` (or `checks.min_pass_rate_by_domain`).",
        lambda store, cfg, _v: evaluate_pass_rate(store, cfg.checks, cfg.generate),
    ),
    Check(
        "verdicts",
        "audit_disagreement_rate",
        "error",
        "Per verifier, audited verdicts disagreeing with a second, independent check at most "
        "`verify.audit.max_disagreement_rate`.",
        lambda store, cfg, _v: evaluate_audit_disagreement(store, cfg.verify.audit.max_disagreement_rate, cfg.checks),
    ),
    Check(
        "selected_traces",
        "duplicate_share",
        "warn",
        "Share of passing traces dropped as near-duplicates (warns above `checks.warn_duplicate_share`).",
        lambda store, cfg, _v: evaluate_trace_duplicates(store, cfg.checks),
    ),
    Check(
        "dataset_version",
        "no_contaminated_tasks",
        "blocking",
        "No task of the latest version overlaps a benchmark (blocking).",
        lambda store, _cfg, v: evaluate_no_contamination(store, v),
    ),
    Check(
        "dataset_version",
        "no_empty_messages",
        "blocking",
        "Every example has a user turn and a non-empty assistant answer (blocking).",
        lambda store, _cfg, v: evaluate_no_empty_messages(store, v),
    ),
    Check(
        "dataset_version",
        "rows_traceable",
        "blocking",
        "Every example traces to a stored, passing generation of its task (blocking).",
        lambda store, _cfg, v: evaluate_lineage(store, v),
    ),
    Check(
        "dataset_version",
        "think_ratio",
        "error",
        "Think share within `checks.think_ratio_tolerance` of the target the version was built with (its stored "
        "config): `balance.think_share_tokens` by tokens when set, else `balance.think_share_rows` by rows.",
        lambda store, cfg, v: evaluate_built_think_ratio(store, cfg, v),
    ),
    Check(
        "dataset_version",
        "content_unique",
        "error",
        "No version has the content hash of the version before it (a refresh without new content makes no "
        "version); a rollback to an older version's content is reported, not failed.",
        lambda store, _cfg, _v: evaluate_version_content_unique(store),
    ),
)


def run_checks(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    asset: str | None = None,
    severity: Severity | None = None,
    version: str | None = None,
) -> list[CheckResult]:
    """Run the registered checks (of one asset, of one severity); version checks judge `version` (or latest)."""
    return [
        c.run(store, cfg, version)
        for c in CHECKS
        if (asset is None or c.asset == asset) and (severity is None or c.severity == severity)
    ]


def require_passing(store: Store, version: str, cfg: ThinkmillConfig | None = None, *, what: str = "") -> None:
    """Run the blocking checks of `dataset_version` on `version`; raise `CheckFailedError` when one fails.

    What `thinkmill publish` (through `pipeline.dataset.publish.bundle`) and `thinkmill build` call before a
    version leaves the database or is reported built.
    """
    results = run_checks(store, cfg or ThinkmillConfig(), asset="dataset_version", severity="blocking", version=version)
    failed = [r for r in results if not r.passed]
    if failed:
        raise CheckFailedError(what or f"version {version}", failed)


def build_checked_version(store: Store, cfg: ThinkmillConfig, *, notes: str | None = None) -> StageReport:
    """The build stage (`pipeline.dataset.versions.run`), then the blocking checks of `dataset_version` on what it
    built.

    On a failure a version this call created is removed again (rows and version row, in one transaction):
    it was never visible to another process (the build holds DuckDB's only writer), so no version is left
    that could be carded, exported or published, and the next version number stays free. When the build
    made no new version (content unchanged) nothing is removed, but the latest version is refused all the
    same. Either way `CheckFailedError` names the failed checks and their numbers. A check that could not
    run (it raised: a query error, an interrupt) removes the new version too, and its error goes on: a version
    is never left behind unchecked.
    """
    report = build_version(store, cfg, notes=notes)
    vid, created = report.metadata["version"], report.metadata["created"]
    try:
        require_passing(store, vid, cfg, what=f"build of {vid}" if created else f"build (unchanged {vid})")
    except BaseException:  # a refusal, or a check that never judged the version: neither leaves it as built
        if created:
            with store.writing() as con:
                con.execute("DELETE FROM dataset_rows WHERE version_id = ?", [vid])
                con.execute("DELETE FROM dataset_versions WHERE version_id = ?", [vid])
        raise
    return report
