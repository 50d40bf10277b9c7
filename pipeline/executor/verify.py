"""The verify stage on Ray: the same judging as `pipeline.verify.db.verify_database`, with the work on workers.

Driver: the generations to judge (`pending`) go into Parquet shards of `executor.shard_rows` rows (the rows of
`SQL_ITEM_ROWS`: generation, task, verifier and its args). Workers (Ray Data `map_batches`, one shard per task):
build the same items, judge them with `verify_items` (the same registry, lints and sandbox as a local run, with
a worker's own hard time limits), and write a result shard of verdicts. Driver: per finished shard, the audit and
the write of `pipeline.verify.db.write_verdicts`, with the shard's ledger row, in one transaction.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa

from pipeline.errors import ThinkmillError
from pipeline.executor.ledger import commit_shard
from pipeline.executor.runtime import connect, new_run_id, on_each_node, shared_dir_of
from pipeline.executor.shards import ShardRun
from pipeline.report import StageReport
from pipeline.store import Store
from pipeline.verify import sandbox
from pipeline.verify.config import VerifyConfig
from pipeline.verify.db import (
    SQL_ITEM_ROWS,
    _Counts,
    current_versions,
    items_of,
    pending,
    tally,
    verify_keys,
    write_verdicts,
)
from pipeline.verify.errors import SandboxUnavailableError
from pipeline.verify.judge import Verdict
from pipeline.verify.judge_pass import JudgeRun, is_llm_judge
from pipeline.verify.registry import Registry
from pipeline.verify.runner import Progress, verify_items

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig

VERDICT_SCHEMA = pa.schema(
    [
        ("generation_key", pa.string()),
        ("mode", pa.string()),
        ("verifier", pa.string()),
        ("passed", pa.bool_()),
        ("reason", pa.string()),
        ("score", pa.float64()),
        ("lint_flags", pa.list_(pa.string())),
        ("verifier_passed", pa.bool_()),
        ("verifier_reason", pa.string()),
        ("think_tokens", pa.int64()),
        ("answer_tokens", pa.int64()),
        ("verifier_version", pa.string()),
        ("error", pa.string()),
        ("sandbox_unavailable", pa.string()),
        ("details", pa.string()),  # JSON
    ]
)
_VERDICT_FIELDS = [f for f in VERDICT_SCHEMA.names if f not in ("generation_key", "sandbox_unavailable", "details")]


class WorkerVersionError(ThinkmillError):
    """A worker judged with another verifier (or lints) version than the driver's: the nodes do not run the same
    thinkmill and plugins (docs/scale.md)."""


def check_versions(shard_id: str, rows: list[dict], verdicts: list[Verdict], registry: Registry) -> None:
    """Refuse a shard whose verdicts carry another version than the driver's registry gives for their tasks'
    verifiers (a `+mark` a run adds, sandbox or judge unavailable, aside): the worker ran another verifier."""
    current = current_versions(registry, {r["verifier"] for r in rows})
    for r, v in zip(rows, verdicts, strict=True):
        want = current[r["verifier"]]
        if v.verifier_version != want and not v.verifier_version.startswith(f"{want}+"):
            raise WorkerVersionError(
                f"verify shard {shard_id}: a worker judged with {v.verifier_version}, the driver has {want}; every "
                "node must run the same thinkmill and verifier plugins as the driver (install them, then restart the "
                "Ray workers); nothing of this shard was committed"
            )


class JudgeShard:
    """Ray worker side: one shard of item rows in, one verdict per row out (same order)."""

    def __init__(self, cfg: VerifyConfig, workers: int, sandbox_optional: bool) -> None:
        # the worker's judge pool gets the CPUs Ray reserved for the task, not every core of the node
        self.cfg_json = cfg.model_copy(update={"workers": workers}).model_dump_json()
        self.sandbox_optional = sandbox_optional

    def __call__(self, tbl: pa.Table) -> pa.Table:
        cfg = VerifyConfig.model_validate_json(self.cfg_json)
        rows = pl.from_arrow(tbl).to_dicts()
        notes: list[str] = []
        verdicts = verify_items(
            items_of(rows),
            cfg,
            Registry(cfg),
            on_sandbox_unavailable=notes.append if self.sandbox_optional else None,
        )
        note = notes[0] if notes else None
        out = [
            {
                "generation_key": r["key"],
                **v.to_dict(),
                "sandbox_unavailable": note,
                "details": json.dumps(v.details) if v.details else None,
            }
            for r, v in zip(rows, verdicts, strict=True)
        ]
        return pa.Table.from_pylist(out, schema=VERDICT_SCHEMA)


def _sandbox_problem(cfg: VerifyConfig) -> str | None:
    """On a worker's node: why the code sandbox cannot run there, or None."""
    try:
        sandbox.ensure_available(cfg.code)
    except SandboxUnavailableError as exc:
        return str(exc)
    return None


def _ensure_sandbox(cfg: VerifyConfig, *, on_ray: bool) -> None:
    """Raise SandboxUnavailableError unless the sandbox runs where the code will: on the driver for the local
    executor, on every node of the Ray cluster that runs tasks (before, the driver was checked: a driver without
    bubblewrap, a laptop on `ray://...`, stopped the run though every worker had it, and a worker without it was
    found only when its first shard failed)."""
    if not on_ray:
        sandbox.ensure_available(cfg.code)
        return
    problems = {node: why for node, why in on_each_node(_sandbox_problem, cfg).items() if why}
    if problems:
        node, why = next(iter(problems.items()))
        more = f" (and {len(problems) - 1} other nodes)" if len(problems) > 1 else ""
        raise SandboxUnavailableError(f"Ray node {node}{more}: {why}")


def run(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    rejudge_all: bool = False,
    progress: Progress | None = None,
    sandbox_optional: bool = False,
) -> StageReport:
    """The verify stage with `executor: {kind: ray}` (same report as the local run, plus the executor's numbers)."""
    ex = cfg.executor
    address = connect(ex) if ex.kind == "ray" else "local"
    registry = Registry(cfg.verify)
    todo = pending(store, registry, rejudge_all)
    if todo.height and not sandbox_optional and any(registry.get(v).sandboxed for v in todo["verifier"].unique()):
        # fail here, in one line, before any shard is written; on Ray where the code runs: the workers' nodes
        _ensure_sandbox(cfg.verify, on_ray=ex.kind == "ray")
    summary = _Counts.of_pending(todo)
    failures: Counter[str] = Counter()
    t0 = time.perf_counter()
    # LLM-judge tasks are judged on the driver: their requests go through the judge's cache and journal, which
    # live beside the database (workers only see shards); the judge's server does the heavy work anyway
    on_driver = todo.filter(pl.col("verifier").map_elements(lambda v: is_llm_judge(registry, v), pl.Boolean))
    todo = todo.filter(~pl.col("key").is_in(on_driver["key"].implode()))
    judge_run = JudgeRun(store=store)
    if on_driver.height:
        verify_keys(
            store,
            on_driver["key"].to_list(),
            cfg.verify,
            registry,
            summary,
            failures,
            judge_run,
            progress,
            sandbox_optional,
        )
    shards = ShardRun("verify", new_run_id("verify"), shared_dir_of(cfg), ex)
    keys = todo.get_column("key").to_list() if todo.height else []
    for start in range(0, len(keys), ex.shard_rows):
        batch = keys[start : start + ex.shard_rows]
        shards.add(batch, store.query(SQL_ITEM_ROWS, [batch]).to_arrow())
    work = JudgeShard(cfg.verify, max(1, int(ex.num_cpus)), sandbox_optional)
    n_committed = 0
    for done in shards.map(work):
        rows = pl.from_arrow(shards.input(done.shard_id)).to_dicts()
        result = pl.from_arrow(shards.result(done.shard_id)).to_dicts()
        if [r["key"] for r in rows] != [r["generation_key"] for r in result]:
            raise RuntimeError(f"verify shard {done.shard_id}: result rows do not match its input rows")
        verdicts = [
            Verdict(**{f: r[f] for f in _VERDICT_FIELDS}, details=json.loads(r["details"]) if r["details"] else None)
            for r in result
        ]
        check_versions(done.shard_id, rows, verdicts, registry)
        if result and result[0]["sandbox_unavailable"]:
            summary.sandbox_unavailable = result[0]["sandbox_unavailable"]
        items = items_of(rows)
        if commit_shard(
            store,
            shards.run_id,
            "verify",
            done,
            lambda w, rows=rows, items=items, verdicts=verdicts: write_verdicts(
                w, rows, items, verdicts, cfg.verify, summary
            ),
        ):
            tally(summary, failures, verdicts)
            n_committed += 1
        if progress:
            progress(len(rows))
    shards.cleanup()
    report = summary.report(failures, judge_run.stats)
    report.timings["verify"] = round(time.perf_counter() - t0, 3)
    report.set(
        executor="ray" if ex.kind == "ray" else "local",
        ray_address=address,
        run_id=shards.run_id,
        shards=len(shards.shard_ids),
        shards_committed=n_committed,
        shared_dir=shared_dir_of(cfg).public(),
    )
    return report
