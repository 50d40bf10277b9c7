"""Judge generations in the database: every generation without a verdict, or judged by an older verifier version.

Works in batches, each written in one transaction, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from pipeline.store import Store, now_utc
from pipeline.verify.config import VerifyConfig
from pipeline.verify.files import task_from_row
from pipeline.verify.judge import Item, version_of
from pipeline.verify.registry import Registry
from pipeline.verify.runner import Progress, verify_items

_THINK_TAG = re.compile(r"</?think>", re.IGNORECASE)


@dataclass
class DbRunSummary:
    candidates: int = 0
    judged: int = 0
    passed: int = 0
    errors: list[str] = field(default_factory=list)
    sandbox_unavailable: str | None = None  # why code was not run (sandbox_optional only), with the fix


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
    current = {name: version_of(registry.get(name)) for name in df.get_column("verifier").unique().to_list()}
    want = pl.col("verifier").replace_strict(current, return_dtype=pl.String)
    return df.filter(pl.col("verifier_version").is_null() | (pl.col("verifier_version") != want))


def verify_database(store: Store, cfg: VerifyConfig | None = None, *, batch_size: int = 5000,
                    rejudge_all: bool = False, progress: Progress | None = None,
                    sandbox_optional: bool = False) -> DbRunSummary:
    """Judge pending generations. Without a usable sandbox this raises SandboxUnavailableError, unless
    `sandbox_optional` (the demo only): then code checks fail `code:sandbox_unavailable` and are judged again
    by a later run that has a sandbox."""
    cfg = cfg or VerifyConfig()
    registry = Registry(cfg)
    todo = pending(store, registry, rejudge_all)
    summary = DbRunSummary(candidates=todo.height)
    keys = todo.get_column("key").to_list() if todo.height else []
    for start in range(0, len(keys), batch_size):
        batch = keys[start: start + batch_size]
        rows = store.query(
            "SELECT g.key, g.task_id, g.mode, g.raw_text, g.think, g.finish_reason, t.prompt, t.answer, t.verifier, "
            "t.verifier_args, t.domain FROM generations g JOIN tasks t ON t.task_id = g.task_id "
            "WHERE g.key IN (SELECT unnest(?)) ORDER BY g.key", [batch]
        ).to_dicts()
        items = []
        for r in rows:
            text = r["raw_text"] or ""
            # raw_text holds the whole output; the stored think text is added only when raw_text has no think
            # tag at all (a template-opened block has `</think>` alone and must not be wrapped a second time).
            reasoning = r["think"] if r["think"] and not _THINK_TAG.search(text) else None
            items.append(Item(task_from_row(r, f"tasks row {r['task_id']}"), text, r["mode"], reasoning,
                              r["finish_reason"]))
        verdicts = verify_items(items, cfg, registry, progress, on_sandbox_unavailable=(
            (lambda why: setattr(summary, "sandbox_unavailable", why)) if sandbox_optional else None))
        now = now_utc()
        frame = pl.DataFrame({
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
        })
        store.insert("verdicts", frame, on_conflict="replace")
        summary.judged += len(rows)
        summary.passed += sum(v.passed for v in verdicts)
        summary.errors += [v.error for v in verdicts if v.error]
    return summary


def verdicts_with_domain(store: Store) -> pl.DataFrame:
    """All verdicts joined with their task's domain (for the metrics)."""
    return store.query(
        "SELECT v.generation_key, v.task_id, v.mode, v.verifier, v.passed, v.reason, v.lint_flags, t.domain "
        "FROM verdicts v JOIN tasks t ON t.task_id = v.task_id"
    )
