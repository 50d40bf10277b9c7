"""Judge generations in the database: every generation without a verdict, or judged by an older verifier version.

Works in batches, each written in one transaction, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from pipeline.report import StageReport
from pipeline.store import Store, Writer, now_utc, to_json
from pipeline.trace import sent_max_tokens_sql, stored_finish
from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifyError
from pipeline.verify.files import task_from_row
from pipeline.verify.judge import Item, Verdict, version_of
from pipeline.verify.judge_pass import JudgeRun, JudgeStats
from pipeline.verify.registry import Registry
from pipeline.verify.runner import Progress, verify_items
from schemas.contracts import VERIFIER_DISAGREEMENT

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig
    from pipeline.generate.backends.base import Backend

# How many check-error messages a report keeps (the count is always exact).
MAX_ERRORS_KEPT = 100

_THINK_TAG = re.compile(r"</?think>", re.IGNORECASE)


@dataclass
class _Counts:
    """Running counts of one verify run (private: returned as a StageReport)."""

    candidates: int = 0
    rejudged: int = 0  # of `candidates`: generations with a verdict of another version (`judge.version_of`)
    judged: int = 0
    passed: int = 0
    errors: list[str] = field(default_factory=list)
    sandbox_unavailable: str | None = None  # why code was not run (sandbox_optional only), with the fix
    audited: dict[str, int] = field(default_factory=dict)  # verifier -> audited verdicts (this run)
    disagreements: dict[str, int] = field(default_factory=dict)  # verifier -> disagreements (this run)
    missing_modules: Counter[str] = field(default_factory=Counter)  # module -> code answers failed without it

    @classmethod
    def of_pending(cls, todo: pl.DataFrame) -> _Counts:
        """The counts of a run that judges `todo` (`pending`): how many, and how many of them had a verdict already."""
        rejudged = int(todo.get_column("verifier_version").is_not_null().sum()) if todo.height else 0
        return cls(candidates=todo.height, rejudged=rejudged)

    def disagreement_rates(self) -> dict[str, float]:
        return {v: self.disagreements.get(v, 0) / n for v, n in sorted(self.audited.items()) if n}

    def report(self, failures: Counter[str], judge: JudgeStats | None = None) -> StageReport:
        """In = generations to judge, out = verdicts that passed; drops = failed verdicts by reason."""
        lines = [f"judged {self.judged:,} generations ({self.passed:,} passed)"]
        if self.rejudged:
            lines.append(
                f"  {self.rejudged:,} of them judged again: their verdicts were made by other verifier versions or "
                "verify settings"
            )
        if self.sandbox_unavailable:
            lines.append(f"sandbox unavailable: {self.sandbox_unavailable}")
        if self.missing_modules:
            lines.append(missing_modules_line(self.missing_modules))
        if judge is not None and judge.responses:
            lines += judge.lines()
        return StageReport(
            "verify",
            rows_in=self.candidates,
            rows_out=self.passed,
            drops=dict(failures),
            metadata={
                "candidates": self.candidates,
                "rejudged": self.rejudged,
                "judged": self.judged,
                "passed": self.passed,
                "check_errors": len(self.errors),
                "errors": self.errors[:MAX_ERRORS_KEPT],
                "audited": self.audited,
                "disagreements": self.disagreements,
                "disagreement_rates": self.disagreement_rates(),
                "sandbox_unavailable": self.sandbox_unavailable,
                "missing_modules": dict(self.missing_modules.most_common()),
                "judge": judge.as_dict() if judge is not None else None,
            },
            summary=lines,
        )


SQL_ITEM_ROWS = (
    "SELECT g.key, g.task_id, g.mode, g.backend, g.raw_text, g.think, g.finish_reason, g.completion_tokens, "
    f"{sent_max_tokens_sql()} AS max_tokens, "
    "CASE WHEN json_extract_string(g.messages, '$[#-1].role') = 'user' "
    "THEN json_extract_string(g.messages, '$[#-1].content') END AS request, t.prompt, t.answer, t.verifier, "
    "t.verifier_args, t.domain, t.metadata, t.system FROM generations g JOIN tasks t ON t.task_id = g.task_id "
    "WHERE g.key IN (SELECT unnest(?)) ORDER BY g.key"
)


def items_of(rows: list[dict]) -> list[Item]:
    """The items to judge, one per row of `SQL_ITEM_ROWS`."""
    items = []
    for r in rows:
        text = r["raw_text"] or ""
        # raw_text holds the whole output; the stored think text is added only when raw_text has no think
        # tag at all (a template-opened block has `</think>` alone and must not be wrapped a second time).
        reasoning = r["think"] if r["think"] and not _THINK_TAG.search(text) else None
        task = task_from_row(r, f"tasks row {r['task_id']}")
        # what the server said, checked against the tokens it spent and the max_tokens the request sent (`finish_of`)
        finish = stored_finish(r)
        items.append(Item(task, text, r["mode"], reasoning, finish, r.get("request") or None))
    return items


def write_verdicts(
    w: Writer, rows: list[dict], items: list[Item], verdicts: list[Verdict], cfg: VerifyConfig, summary: _Counts
) -> None:
    """Write one batch's verdicts (and audit disagreements) inside the caller's transaction."""
    now = now_utc()
    audit_checks, disagreements = _audit(rows, items, verdicts, cfg, summary, now)
    frame = pl.DataFrame(
        {
            "generation_key": [r["key"] for r in rows],
            "task_id": [r["task_id"] for r in rows],
            "mode": [v.mode for v in verdicts],
            "verifier": [v.verifier for v in verdicts],
            "passed": [v.passed for v in verdicts],
            "reason": [v.reason for v in verdicts],
            "score": [v.score for v in verdicts],
            "lint_flags": pl.Series([v.lint_flags for v in verdicts], dtype=pl.List(pl.String)),
            "think_tokens": [v.think_tokens for v in verdicts],
            "answer_tokens": [v.answer_tokens for v in verdicts],
            "verifier_version": [v.verifier_version for v in verdicts],
            "created_at": [now] * len(rows),
            "audit_check": pl.Series(audit_checks, dtype=pl.String),
            "details": pl.Series([to_json(v.details) if v.details else None for v in verdicts], dtype=pl.String),
        }
    )
    # a re-judged generation loses its earlier disagreement row (it gets a new one if it still disagrees)
    w.delete("verifier_disagreements", "generation_key IN (SELECT unnest(?))", [[r["key"] for r in rows]])
    w.insert("verdicts", frame, on_conflict="replace")
    w.insert(
        "verifier_disagreements",
        pl.DataFrame(disagreements, schema=VERIFIER_DISAGREEMENT.polars_schema()),
        on_conflict="replace",
    )


def tally(summary: _Counts, failures: Counter[str], verdicts: list[Verdict]) -> None:
    summary.judged += len(verdicts)
    summary.passed += sum(v.passed for v in verdicts)
    summary.errors += [v.error for v in verdicts if v.error]
    failures.update(v.reason for v in verdicts if not v.passed)
    summary.missing_modules.update(m for v in verdicts if (m := missing_module(v.verifier_reason, v.details)))


def missing_module(verifier_reason: str | None, details: object) -> str | None:
    """The module a code verdict failed without (`code:missing_module`, an answer's other solution that failed so, or
    tests importing it: the harness names a module the sandbox's Python lacks); None for any other verdict."""
    if not (verifier_reason or "").startswith("code:") or not isinstance(details, dict):
        return None
    return str(details["module"]) if details.get("module") else None


def missing_modules_line(counts: Counter[str]) -> str:
    """The summary line of the code answers that failed importing a module the sandbox lacks: a deployment gap, not
    the answers' fault (rejection sampling drops every right numpy answer where the sandbox has no numpy)."""
    named = ", ".join(f"{m} ({n:,})" for m, n in counts.most_common())
    return (
        f"{counts.total():,} code answers failed importing a module the sandbox lacks: {named}: install them for "
        "verify.code.python (docs/verifiers.md, Libraries)"
    )


def current_versions(registry: Registry, verifiers: Iterable[str]) -> dict[str, str]:
    """The verdict version a run under `registry`'s config writes for each of `verifiers` (`judge.version_of`: the
    verifier's version and settings tag, the lints' version and settings tag); one a stored verdict must equal to be
    current. Unknown verifiers raise `UnknownVerifierError`."""
    return {name: version_of(registry.get(name), registry.cfg.lints) for name in verifiers}


def pending(store: Store, registry: Registry, rejudge_all: bool = False) -> pl.DataFrame:
    """Keys of generations to judge (with their task's verifier)."""
    df = store.query(
        "SELECT g.key, t.verifier, v.verifier_version FROM generations g "
        "JOIN tasks t ON t.task_id = g.task_id "
        "LEFT JOIN verdicts v ON v.generation_key = g.key "
        "WHERE g.error IS NULL AND g.raw_text IS NOT NULL ORDER BY g.key"
    )
    if df.height == 0 or rejudge_all:
        return df
    current = current_versions(registry, df.get_column("verifier").unique().to_list())
    want = pl.col("verifier").replace_strict(current, return_dtype=pl.String)
    return df.filter(pl.col("verifier_version").is_null() | (pl.col("verifier_version") != want))


def verify_keys(
    store: Store,
    keys: list[str],
    cfg: VerifyConfig,
    registry: Registry,
    summary: _Counts,
    failures: Counter[str],
    judge_run: JudgeRun,
    progress: Progress | None = None,
    sandbox_optional: bool = False,
    batch_size: int = 5000,
) -> None:
    """Judge these generations in batches, each batch's verdicts written in one transaction; counts go to
    `summary` and `failures` (the Ray executor also calls this, on the driver, for LLM-judge tasks)."""
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        rows = store.query(SQL_ITEM_ROWS, [batch]).to_dicts()
        items = items_of(rows)
        verdicts = verify_items(
            items,
            cfg,
            registry,
            progress,
            on_sandbox_unavailable=(
                (lambda why: setattr(summary, "sandbox_unavailable", why)) if sandbox_optional else None
            ),
            judge_run=judge_run,
            ids=[r["key"] for r in rows],
        )
        with store.writing() as w:
            write_verdicts(w, rows, items, verdicts, cfg, summary)
        tally(summary, failures, verdicts)


def verify_database(
    store: Store,
    cfg: VerifyConfig | None = None,
    *,
    batch_size: int = 5000,
    rejudge_all: bool = False,
    progress: Progress | None = None,
    sandbox_optional: bool = False,
    judge_backend: Backend | None = None,
) -> StageReport:
    """Judge pending generations. Without a usable sandbox this raises SandboxUnavailableError, unless
    `sandbox_optional` (the demo only): then code checks fail `code:sandbox_unavailable` and are judged again
    by a later run that has a sandbox. The LLM judge's answers are cached in `judge_requests`; `judge_backend`
    replaces the OpenAI backend built from `verify.judge.openai`."""
    cfg = cfg or VerifyConfig()
    registry = Registry(cfg)
    todo = pending(store, registry, rejudge_all)
    summary = _Counts.of_pending(todo)
    judge_run = JudgeRun(store=store, backend=judge_backend)
    failures: Counter[str] = Counter()
    t0 = time.perf_counter()
    keys = todo.get_column("key").to_list() if todo.height else []
    verify_keys(store, keys, cfg, registry, summary, failures, judge_run, progress, sandbox_optional, batch_size)
    report = summary.report(failures, judge_run.stats)
    report.timings["verify"] = round(time.perf_counter() - t0, 3)
    return report


def run(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    rejudge_all: bool = False,
    progress: Progress | None = None,
    sandbox_optional: bool = False,
    batch_size: int = 5000,
    judge_backend: Backend | None = None,
) -> StageReport:
    """The verify stage: judge every generation without a current verdict (`verify_database` with the config's
    `verify` section). With `executor: {kind: ray}` the judging runs on a Ray cluster (`pipeline.executor`)."""
    if cfg.executor.kind == "ray":
        from pipeline.executor.verify import run as run_on_ray

        if judge_backend is not None:  # it was dropped: the workers built the config's judge instead
            raise VerifyError(
                "judge_backend cannot be used with executor: ray (the workers build the judge from verify.judge); "
                "configure the judge there, or run with executor: local"
            )

        return run_on_ray(store, cfg, rejudge_all=rejudge_all, progress=progress, sandbox_optional=sandbox_optional)
    return verify_database(
        store,
        cfg.verify,
        batch_size=batch_size,
        rejudge_all=rejudge_all,
        progress=progress,
        sandbox_optional=sandbox_optional,
        judge_backend=judge_backend,
    )


def _audit(
    rows: list[dict], items: list[Item], verdicts: list, cfg: VerifyConfig, summary: _Counts, now: object
) -> tuple[list[str | None], list[dict]]:
    """Second opinions on the sampled verdicts: (the audit check per row or None, disagreement rows)."""
    from pipeline.trace import parse_trace
    from pipeline.verify.audit import AUDITED_VERIFIERS, disagreement_row, in_sample, second_opinion

    checks: list[str | None] = []
    out: list[dict] = []
    for r, it, v in zip(rows, items, verdicts, strict=True):
        opinion = None
        if it.task.verifier in AUDITED_VERIFIERS and in_sample(r["key"], cfg.audit.sample_rate):
            answer = parse_trace(it.text, v.mode, it.reasoning_content).answer
            opinion = second_opinion(answer, it.task, cfg) if answer.strip() else None
        checks.append(opinion.check if opinion else None)
        if opinion is None:
            continue
        summary.audited[it.task.verifier] = summary.audited.get(it.task.verifier, 0) + 1
        row = disagreement_row(r["key"], it.task, v.verifier_passed, v.verifier_reason, opinion)
        if row is not None:
            summary.disagreements[it.task.verifier] = summary.disagreements.get(it.task.verifier, 0) + 1
            out.append({**row, "created_at": now})
    return checks, out


def disagreement_rates(store: Store) -> pl.DataFrame:
    """Per verifier: audited verdicts, disagreements and their rate (over every stored verdict)."""
    return store.query(
        "SELECT v.verifier, count(*) AS audited, count(d.generation_key) AS disagreements, "
        "round(count(d.generation_key) / count(*), 4) AS rate FROM verdicts v "
        "LEFT JOIN verifier_disagreements d ON d.generation_key = v.generation_key "
        "WHERE v.audit_check IS NOT NULL GROUP BY 1 ORDER BY 1"
    )


def verdicts_with_domain(store: Store) -> pl.DataFrame:
    """All verdicts joined with their task's domain (for the metrics)."""
    return store.query(
        "SELECT v.generation_key, v.task_id, v.mode, v.verifier, v.passed, v.reason, v.lint_flags, t.domain "
        "FROM verdicts v JOIN tasks t ON t.task_id = v.task_id"
    )
