"""`thinkmill generate`: run generation with a progress bar; batch-file and sample-batch helpers."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

from pipeline.cli_common import (
    common_options,
    db_path,
    echo_report,
    executor_option,
    load,
    with_executor,
)
from pipeline.config import ConfigError
from pipeline.generate.config import plain_base_urls
from pipeline.report import StageReport


def _load(config_path: Path | None, **overrides: Any) -> Any:
    cfg = load(config_path)
    g = cfg.generate
    if overrides.get("backend"):
        g.backend = overrides["backend"]
    if overrides.get("model"):
        g.model = overrides["model"]
    if overrides.get("base_urls"):
        try:
            g.openai.base_urls = plain_base_urls(list(overrides["base_urls"]))
        except ValueError as exc:
            raise ConfigError(f"--base-url: {exc}") from None
    if overrides.get("max_in_flight"):
        g.openai.max_in_flight = overrides["max_in_flight"]
    if overrides.get("batch_target"):
        g.batch_target = overrides["batch_target"]
    return cfg


_adaptive = click.option(
    "--adaptive",
    is_flag=True,
    help="Adaptive sampling for both modes (generate.adaptive: initial, max, target_passed): draw, verify, draw "
    "more only for tasks short of target_passed passing samples, up to max.",
)


@click.group("generate", invoke_without_command=True)
@common_options()
@click.option("--backend", type=click.Choice(["openai", "vllm", "batch"]), default=None, help="Override config.")
@click.option("--model", default=None, help="Override generate.model.")
@click.option("--base-url", "base_urls", multiple=True, help="Override generate.openai.base_urls (repeatable).")
@click.option(
    "--max-in-flight", type=click.IntRange(min=1), default=None, help="Override generate.openai.max_in_flight."
)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Only the first N clean tasks.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@_adaptive
@executor_option
@click.pass_context
def generate(
    ctx: click.Context,
    db: Path | None,
    config_path: Path | None,
    backend: str | None,
    model: str | None,
    base_urls: tuple[str, ...],
    max_in_flight: int | None,
    limit: int | None,
    no_progress: bool,
    adaptive: bool,
    as_json: bool,
    executor: str | None,
) -> None:
    """Generate think / no-think responses for every clean task; cached keys are never sent again."""
    if ctx.invoked_subcommand is not None:
        return
    from tqdm import tqdm

    from pipeline.config import keep_demo_apart
    from pipeline.generate.runner import run
    from pipeline.store import Store

    cfg = _load(config_path, backend=backend, model=model, base_urls=base_urls, max_in_flight=max_in_flight)
    cfg = with_executor(cfg, executor)  # ray: vLLM engines on a Ray cluster (backend vllm only)
    bar: tqdm | None = None
    # results received (answers and error rows), and of those the error rows: in the passes before this one, in it
    received, failed = [0, 0], [0, 0]

    def on_start(s: StageReport) -> None:  # once per pass (per round when adaptive)
        nonlocal bar
        received[0], received[1] = received[0] + received[1], 0
        failed[0], failed[1] = failed[0] + failed[1], 0
        if bar is not None:
            bar.close()
        if not no_progress:
            bar = tqdm(
                total=s.metadata["sent"],
                unit="req",
                desc=f"generate ({s.metadata['cached']} cached)",
                dynamic_ncols=True,
            )

    def progress(done: int, errors: int, tokens: int) -> None:
        received[1], failed[1] = done, errors
        if bar is not None:
            bar.update(1)
            if done % 16 == 0 or done == bar.total:
                bar.set_postfix(
                    errors=errors, tok_s=f"{tokens / max(bar.format_dict['elapsed'], 1e-9):.0f}", refresh=False
                )

    terminated: list[int] = []

    def on_sigterm(signum: int, _frame: object) -> None:
        # SIGTERM (`kill`, a scheduler's timeout, `docker stop`) stops the run as Ctrl-C does: what was received is
        # stored and the in-process engine shut down (before, it ended with no word and left vLLM's engine
        # processes running, holding their memory)
        terminated.append(signum)
        raise KeyboardInterrupt

    with Store.open(db_path(db), create=False) as store:
        keep_demo_apart(store, cfg, db_path(db))
        previous = signal.signal(signal.SIGTERM, on_sigterm)
        try:
            report = run(store, cfg, limit=limit, progress=progress, on_start=on_start, adaptive=adaptive)
        except KeyboardInterrupt:
            # the run stores what it received before it stops (`send_requests`); say so, and how to go on
            if bar is not None:
                bar.close()
            errors = sum(failed)
            # an error row is stored too, but it is no answer: the next run sends its request again (retry_errors)
            again = (
                f" ({errors:,} failed request{'s' if errors != 1 else ''} stored as error rows, which the next run "
                + ("sends again" if cfg.generate.retry_errors else "does not send again: generate.retry_errors is off")
                + ")"
                if errors
                else ""
            )
            how = "terminated (SIGTERM)" if terminated else "interrupted"
            click.echo(
                f"{how}: {sum(received) - errors:,} answers received are stored{again}; `thinkmill generate` "
                "sends only the requests still missing",
                err=True,
            )
            raise SystemExit(143 if terminated else 130) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            if bar is not None:
                bar.close()
    echo_report(report, as_json)


_target = click.option(
    "--target",
    type=click.Choice(["vllm", "openai"]),
    default=None,
    help="Server the file is for (default: generate.batch_target, vllm). openai: only OpenAI fields (OpenAI's "
    "batch API; the think switch is the system prompt alone). batch-read needs the target batch-write used.",
)


@generate.command("batch-write")
@common_options()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Request file to write (OpenAI batch JSONL).",
)
@_target
def batch_write(db: Path | None, config_path: Path | None, as_json: bool, out: Path, target: str | None) -> None:
    """Write every not-yet-cached request as an OpenAI batch request file (custom_id = request key)."""
    from pipeline.generate.backends.batch import write_batch_requests
    from pipeline.generate.cache import pending
    from pipeline.generate.request import build_requests
    from pipeline.generate.targets import requests_for_target
    from pipeline.generate.tasks import read_tasks_for_generation
    from pipeline.store import Store

    cfg = _load(config_path, batch_target=target)
    with Store.open(db_path(db), create=False) as store:
        requests = requests_for_target(
            build_requests(read_tasks_for_generation(store), cfg.generate), cfg.generate.batch_target
        )
        todo, cached = pending(store, requests, retry_errors=cfg.generate.retry_errors)
    n = write_batch_requests(todo, out)
    report = StageReport(
        "generate",
        rows_in=n + cached,
        rows_out=n,
        metadata={"request_file": str(out), "written": n, "cached": cached, "target": cfg.generate.batch_target},
        summary=[f"{n} requests written to {out} (target {cfg.generate.batch_target}; {cached} already cached)"],
    )
    echo_report(report, as_json)


@generate.command("batch-read")
@common_options()
@_target
@_adaptive
@click.argument("output", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def batch_read(
    db: Path | None, config_path: Path | None, as_json: bool, target: str | None, adaptive: bool, output: Path
) -> None:
    """Read an OpenAI batch output file into the cache (lines are matched to requests by custom_id).

    Adaptive (`--adaptive` or generate.adaptive): the round's answers are verified and the next round's
    request file is written to the batch folder."""
    from pipeline.generate.backends.batch import BatchBackend
    from pipeline.generate.runner import batch_dir, run
    from pipeline.store import Store

    cfg = _load(config_path, batch_target=target)
    path = db_path(db)
    # adaptive: the next round's request file is written once this round is read and verified
    next_round = adaptive or cfg.generate.adaptive.any_enabled
    backend = BatchBackend(output=output, batch_dir=batch_dir(cfg, path), write_missing=next_round)
    with Store.open(path, create=False) as store:
        report = run(store, cfg, backend=backend, adaptive=adaptive)
    echo_report(report, as_json)


@generate.command("build-sample-batch")
@click.option(
    "--sample-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with tasks.jsonl, response_texts.jsonl, thinkmill.yaml (default: the bundled sample).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: <sample-dir>/batch_output.jsonl).",
)
def build_sample_batch_cmd(sample_dir: Path | None, out: Path | None) -> None:
    """Render the sample tasks' requests and write the demo's batch output file from the sample responses."""
    from pipeline.generate.sample_build import SAMPLE_DIR, build_sample_batch

    click.echo(str(build_sample_batch(sample_dir or SAMPLE_DIR, out)))


COMMANDS = [generate]
