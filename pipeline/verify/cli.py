"""`thinkmill verify`: judge responses from files (the file contract) or generations in the database."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from pipeline.cli_common import (
    UsageError,
    common_options,
    db_path,
    echo_report,
    executor_option,
    json_stdout,
    load,
    with_executor,
)
from pipeline.report import StageReport

_path = click.Path(dir_okay=False, path_type=Path)


def _progress_bar(total: int, enabled: bool):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, unit="verdict", disable=not enabled, file=sys.stderr)


@click.command("verify")
@click.option("--tasks", "tasks_path", type=_path, help="TASKS.jsonl (task contract rows).")
@click.option("--responses", "responses_path", type=_path, help="RESPONSES.jsonl: task_id, response_id, text.")
@click.option("--out", "out_path", type=_path, help="VERDICTS.jsonl to write (one per response, same order).")
@click.option(
    "--mode",
    type=click.Choice(["think", "no_think", "auto"]),
    default="auto",
    show_default=True,
    help="auto: a response with a think block is judged in think mode.",
)
@common_options(
    need="defaults",
    config_help="Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml). "
    "Required to judge the database; judging files uses built-in "
    "defaults without one.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Parallel workers (default: config, else all cores)."
)
@click.option("--rejudge-all", is_flag=True, help="With --db: judge every generation again.")
@click.option(
    "--unsafe-no-sandbox",
    is_flag=True,
    help="Run model-written code WITHOUT bubblewrap (only inside your own sandbox).",
)
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@executor_option
def verify_cmd(
    tasks_path: Path | None,
    responses_path: Path | None,
    out_path: Path | None,
    mode: str,
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
    workers: int | None,
    rejudge_all: bool,
    unsafe_no_sandbox: bool,
    progress: bool | None,
    executor: str | None,
) -> None:
    """Judge responses: verifier + trace lints -> verdicts with machine-readable reasons.

    Judges the generations in the database (--db, default $THINKMILL_DB or data/thinkmill.duckdb), or
    response files with --tasks/--responses/--out."""
    file_args = (tasks_path, responses_path, out_path)
    full = with_executor(load(config_path, "defaults" if any(file_args) else "required"), executor)
    cfg = full.verify
    updates: dict[str, object] = {}
    if workers is not None:
        updates["workers"] = workers
    if unsafe_no_sandbox:
        updates["code"] = cfg.code.model_copy(update={"allow_unsandboxed": True})
    cfg = cfg.model_copy(update=updates)
    show = sys.stderr.isatty() if progress is None else progress
    if any(file_args):
        if not all(file_args):
            raise UsageError("--tasks, --responses and --out go together")
        if db is not None:
            raise UsageError("use either --db or --tasks/--responses/--out")
        _verify_files(tasks_path, responses_path, out_path, mode, cfg, show, as_json)  # type: ignore[arg-type]
    else:
        _verify_db(db, full.model_copy(update={"verify": cfg}), rejudge_all, show, as_json)


def _verify_files(
    tasks_path: Path,
    responses_path: Path,
    out_path: Path,
    mode: str,
    cfg,
    show: bool,  # type: ignore[no-untyped-def]
    as_json: bool,
) -> None:
    import polars as pl

    from pipeline.verify.db import missing_module, missing_modules_line
    from pipeline.verify.files import read_tasks, verify_files
    from pipeline.verify.judge_pass import JudgeRun
    from pipeline.verify.metrics import pass_rates, reason_counts

    n = sum(1 for line in responses_path.open(encoding="utf-8") if line.strip()) if responses_path.exists() else 0
    judge_run = JudgeRun()
    with _progress_bar(n, show) as bar:
        rows = verify_files(tasks_path, responses_path, out_path, mode, cfg, progress=bar.update, judge_run=judge_run)
    failures = Counter(r["reason"] for r in rows if not r["passed"])
    errors = [r["error"] for r in rows if r.get("error")]
    missing = Counter(m for r in rows if (m := missing_module(r.get("verifier_reason"), r.get("details"))))
    report = StageReport(
        "verify",
        rows_in=len(rows),
        rows_out=len(rows) - failures.total(),
        drops=dict(failures),
        metadata={
            "judged": len(rows),
            "passed": len(rows) - failures.total(),
            "check_errors": len(errors),
            "errors": errors[:100],
            "out": str(out_path),
            "missing_modules": dict(missing.most_common()),
            "judge": judge_run.stats.as_dict(),
        },
        summary=[f"wrote {len(rows):,} verdicts to {out_path}"]
        + ([missing_modules_line(missing)] if missing else [])
        + (judge_run.stats.lines() if judge_run.stats.responses else []),
    )
    if as_json:
        echo_report(report, True)
        return
    if not rows:
        click.echo(f"0 responses; wrote {out_path}")
        return
    domains = {t.task_id: t.domain for t in read_tasks(tasks_path).values()}
    df = pl.DataFrame(
        [
            {
                "task_id": r["task_id"],
                "passed": r["passed"],
                "verifier": r["verifier"],
                "reason": r["reason"],
                "domain": domains.get(r["task_id"], ""),
                "mode": r["mode"],
                "lint_flags": r["lint_flags"],
            }
            for r in rows
        ],
        schema_overrides={"lint_flags": pl.List(pl.String)},
    )
    _summary(df, pass_rates, reason_counts)
    _report_errors(errors)
    click.echo(report.render())


def _verify_db(db: Path | None, full, rejudge_all: bool, show: bool, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from pipeline.store import Store
    from pipeline.verify.db import pending, verdicts_with_domain, verify_database
    from pipeline.verify.metrics import pass_rates, reason_counts
    from pipeline.verify.registry import Registry

    cfg = full.verify
    path = db_path(db)
    if not path.exists():
        raise UsageError(f"database {path} does not exist (give --tasks/--responses/--out to judge files)")
    with Store.open(path) as store:
        total = pending(store, Registry(cfg), rejudge_all).height
        with _progress_bar(total, show) as bar:
            if full.executor.kind == "ray":
                from pipeline.executor.verify import run as run_on_ray

                report = run_on_ray(store, full, rejudge_all=rejudge_all, progress=bar.update)
            else:
                report = verify_database(store, cfg, rejudge_all=rejudge_all, progress=bar.update)
        df = verdicts_with_domain(store)
    report.set(verdicts_in_db=df.height)
    report.summary[0] += f"; {df.height:,} verdicts in {path}"
    if as_json:
        echo_report(report, True)
        return
    click.echo(report.render())
    if df.height:
        _summary(df, pass_rates, reason_counts)
    _report_errors(report.metadata["errors"], report.metadata["check_errors"])


def _summary(df, pass_rates, reason_counts) -> None:  # type: ignore[no-untyped-def]
    from pipeline.verify.metrics import truncation_rates

    for by in ("domain", "verifier"):
        click.echo(f"\npass rate by {by}:")
        for r in pass_rates(df, by).iter_rows(named=True):
            click.echo(f"  {r[by] or '-':<24} {r['passed']:>8,}/{r['n']:<8,} {r['pass_rate']:6.1%}")
    click.echo("\ntruncated (finish_reason length, or max_tokens spent) by mode:")
    for r in truncation_rates(df).iter_rows(named=True):
        click.echo(f"  {r['mode']:<24} {r['truncated']:>8,}/{r['n']:<8,} {r['share']:6.1%}")
    reasons = reason_counts(df)
    if reasons.height:
        click.echo("\nfailures by reason:")
        for r in reasons.iter_rows(named=True):
            click.echo(f"  {r['reason']:<36} {r['n']:>8,}")


def _report_errors(errors: list[str], n: int | None = None) -> None:
    if not errors:
        return
    counts = Counter(e.split(": ", 1)[-1] for e in errors)
    total = n if n is not None else len(errors)
    click.echo(
        f"\nwarning: {total:,} checks could not run (reason <verifier>:bad_args or :error); first: {errors[0]}",
        err=True,
    )
    if os.environ.get("THINKMILL_VERBOSE"):
        for msg, n in counts.most_common(10):
            click.echo(f"  {n:>6}x {msg}", err=True)


@click.group("verifiers")
def verifiers_group() -> None:
    """The verifiable task types: built-in verifiers, ifeval constraints, reasoning-gym datasets, plugins."""


@verifiers_group.command("list")
@common_options(
    db=False, need="defaults", config_help="Config YAML (adds its verify.verifiers; built-in types without one)."
)
def verifiers_list_cmd(config_path: Path | None, as_json: bool) -> None:
    """Every verifiable task type with its verifier, version, parameters and source library."""
    import json

    from pipeline.verify.catalog import task_types
    from pipeline.verify.registry import Registry

    types = task_types(Registry(load(config_path, "defaults").verify))  # built-ins need no config
    if as_json:
        click.echo(
            json.dumps({"count": len(types), "types": [t.to_dict() for t in types]}, default=str), file=json_stdout()
        )
        return
    click.echo(f"{'type':<44} {'verifier':<14} {'version':<8} {'library':<24} parameters")
    for t in types:
        params = json.dumps(t.parameters, default=str, separators=(",", ":"))
        params = params if len(params) <= 80 else params[:77] + "..."
        click.echo(f"{t.type:<44} {t.verifier:<14} {t.version:<8} {t.library:<24} {params}")
    click.echo(f"\n{len(types)} verifiable task types")


COMMANDS = [verify_cmd, verifiers_group]
