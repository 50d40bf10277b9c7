"""Run the generate stage: tasks -> requests -> (cache) -> backend -> `generations`.

Only keys missing from `generations` are sent; results are stored as they arrive. While the backend runs, the
store is released (`Store.released`): the database file is open only while a batch of results commits, so
`thinkmill db info`, `verify` and other writers can use it during a long run. Usable from Python:

    with Store.open(db) as store:
        report = run(store, load_config())   # a StageReport
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import ConfigError, ThinkmillConfig
from pipeline.generate.backends.base import (
    Backend,
    GenerateError,
    SamplingConfigError,
    ServerUnreachableError,
    UnknownModelError,
)
from pipeline.generate.backends.batch import BatchBackend
from pipeline.generate.cache import ResultWriter, journal_dir, pending, replay_journal
from pipeline.generate.config import GenerateConfig, Target, extra_body_problem
from pipeline.generate.cost import cost_lines, cost_metadata, plan_spend
from pipeline.generate.request import GenerationRequest, build_requests
from pipeline.generate.result import AUTH, BAD_REQUEST, UNKNOWN_MODEL, GenerationResult, error_kind, generation_row
from pipeline.generate.targets import requests_for_target
from pipeline.generate.tasks import read_tasks_for_generation
from pipeline.report import StageReport
from pipeline.store import Store, now_utc, process_description
from schemas.contracts import GENERATE_RUN

# While generation waits on the server, a commit that finds the database held by another command (a verify
# run) waits this long for it; the results are in the journal meanwhile.
COMMIT_LOCK_WAIT_S = 600.0

# Called after every stored result: (results so far, errors so far, completion tokens so far).
ProgressHook = Callable[[int, int, int], None]


@dataclass
class _Counts:
    """Running counts of one generate run (private: `run` returns them as a StageReport)."""

    backend: str
    model: str
    tasks: int = 0
    requested: int = 0
    cached: int = 0
    sent: int = 0
    succeeded: int = 0
    errors: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    by_mode: dict[str, int] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    elapsed_s: float = 0.0
    endpoints: list[str] = field(default_factory=list)
    batch_request_file: str | None = None
    batch_unanswered: int = 0
    batch_unmatched: int = 0
    replayed: int = 0  # results of a killed run recovered from the journal (not sent again)

    @property
    def requests_per_s(self) -> float:
        return (self.succeeded + self.errors) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.completion_tokens / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def report(self) -> StageReport:
        """The counts as the stage's report: in = requests, out = new generations stored without error; drops =
        requests that came back with an error, by `error:<kind>` (they are stored, and retried when
        `generate.retry_errors` is set)."""
        return StageReport(
            "generate",
            rows_in=self.requested,
            rows_out=self.succeeded,
            drops={f"error:{k}": v for k, v in self.errors_by_kind.items()},
            timings={"generate": round(self.elapsed_s, 3)} if self.elapsed_s else {},
            metadata=self.as_dict(),
            summary=self.lines(),
        )

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        if self.backend != "batch":  # reading a batch file in 0.4 s is no throughput figure
            d["requests_per_s"] = round(self.requests_per_s, 2)
            d["tokens_per_s"] = round(self.tokens_per_s, 1)
        d["elapsed_s"] = round(self.elapsed_s, 3)
        return d

    def lines(self) -> list[str]:
        out = [
            f"backend {self.backend}, model {self.model}: {self.tasks} tasks, {self.requested} requests",
            f"  cached (not sent): {self.cached}"
            + (f" (incl. {self.replayed} recovered from a killed run's journal)" if self.replayed else ""),
            f"  sent: {self.sent}  ok: {self.succeeded}  errors: {self.errors}",
        ]
        if self.backend != "batch":
            out.append(
                f"  {self.requests_per_s:.1f} requests/s, {self.tokens_per_s:.1f} completion tokens/s "
                f"in {self.elapsed_s:.1f}s"
            )
        if self.batch_request_file:
            out.append(
                f"  {self.batch_unanswered} requests written to {self.batch_request_file}: run them "
                f"(vllm run-batch or a batch API) and set generate.batch_output to the output file"
            )
        if self.batch_unmatched:
            out.append(
                f"  {self.batch_unmatched} batch output lines answer no current request, sent or cached (their "
                f"task is not among the clean tasks, or templates or config changed since the batch was written)"
            )
        return out


def make_backend(
    config: ThinkmillConfig, *, api_key: str | None = None, store_path: str | Path | None = None
) -> Backend:
    """The backend config `generate.backend` names. `api_key` overrides the env var named in the config.

    `store_path` places the batch backend's request files in `batch/` next to the database unless
    `generate.batch_dir` says otherwise (never inside the config's folder, which may be the installed package).
    """
    g = config.generate
    servers = sorted({"openai", "vllm"} & g.model_fields_set)
    if g.backend == "batch" and "backend" not in g.model_fields_set and servers:
        # without `backend:` the default batch backend ran: it wrote a request file, generated nothing and exited 0,
        # and the server the user configured was never asked
        raise ConfigError(
            f"generate.backend is not set, so it is batch (write a request file), while generate.{servers[0]} is "
            f"configured: set generate.backend: {servers[0]} (or --backend {servers[0]}), or backend: batch to write "
            "request files"
        )
    if g.backend == "openai":
        from pipeline.generate.backends.openai_backend import OpenAIBackend

        return OpenAIBackend(g.openai, api_key=api_key)
    if g.backend == "vllm":
        from pipeline.generate.backends.vllm_backend import VLLMBackend

        template = config.resolve(g.vllm.chat_template) if g.vllm.chat_template else None
        if config.executor.kind == "ray":  # engines on a Ray cluster (Ray Data LLM): pipeline/executor/generate.py
            from pipeline.executor.generate import RayVLLMBackend

            return RayVLLMBackend(g, config.executor, chat_template_path=template)
        return VLLMBackend(g, chat_template_path=template)
    output = config.resolve(g.batch_output) if g.batch_output else None
    return BatchBackend(output=output, batch_dir=batch_dir(config, store_path))


def backend_target(backend: Backend, g: GenerateConfig) -> Target:
    """Which request fields the backend's server accepts: `generate.openai.target` for the openai backend,
    `generate.batch_target` for batch files, always vllm for the in-process engine."""
    if backend.name == "openai":
        return g.openai.target
    if backend.name == "batch":
        return g.batch_target
    return "vllm"


def backend_extra_body(backend: Backend, g: GenerateConfig) -> dict[str, Any]:
    """`generate.openai.extra_body` for the openai backend (merged into its requests: `targets.for_target`), none
    for the others. Checked again here: a config changed after loading skipped the config's own check."""
    if backend.name != "openai":
        return {}
    problem = extra_body_problem(g)
    if problem:
        raise SamplingConfigError(problem)
    return g.openai.extra_body


def batch_dir(config: ThinkmillConfig, store_path: str | Path | None) -> Path:
    """Where the batch backend writes request files: `generate.batch_dir`, else `batch/` beside the database."""
    return config.output_dir(config.generate.batch_dir, store_path, "batch")


@contextmanager
def generate_lock(store: Store) -> Iterator[None]:
    """Hold the database's generate lock (`.<db>.generate.lock` beside it, `flock`) for one run; raise GenerateError
    naming the holder when another run has it. Two runs against one database (a scheduled Dagster run and a
    `thinkmill generate`) each sent every pending request, paying for each answer twice, and the second run's journal
    replay removed the segments the first was writing. An in-memory database has none."""
    if store.path is None:
        yield
        return
    db = Path(store.path)
    path = db.parent / f".{db.name}.generate.lock"
    with path.open("a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            held = f.read().strip()
            pid = int(held.split()[0]) if held[:1].isdigit() else None
            who = process_description(pid) if pid is not None else "another process"
            since = f", started {held.split(maxsplit=1)[1]}" if pid is not None and " " in held else ""
            raise GenerateError(
                f"another generate run is writing to {db} ({who}{since}): two runs would send the same requests "
                "and pay for each twice; wait for it to finish, or stop it"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()} {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        f.flush()
        try:
            yield
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f, fcntl.LOCK_UN)


def run(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    backend: Backend | None = None,
    tasks: pl.DataFrame | None = None,
    limit: int | None = None,
    progress: ProgressHook | None = None,
    on_start: Callable[[StageReport], None] | None = None,
    adaptive: bool = False,
    between_rounds: Callable[[int], None] | None = None,
) -> StageReport:
    """The generate stage: generate every missing (task, mode, sample) of the clean tasks (the first `limit`
    only, if given) and store the results. `on_start` gets the report before any request is sent (requested,
    cached, sent known); `progress` is called after every stored result.

    With `adaptive` (or `generate.adaptive.<mode>.enabled`) the samples are drawn in rounds, each verified by
    the verify stage before the next (`pipeline.generate.adaptive`); `between_rounds(round)` is called after
    each round's decisions are stored."""
    with generate_lock(store):  # one run per database at a time
        g = cfg.generate
        backend = backend or make_backend(cfg, store_path=store.path)
        tasks = read_tasks_for_generation(store) if tasks is None else tasks
        if limit is not None:
            tasks = tasks.head(limit)
        judge_tasks_need_a_rubric(tasks, cfg)
        if adaptive or g.adaptive.any_enabled:
            from pipeline.generate.adaptive import run_adaptive

            return run_adaptive(
                store,
                cfg,
                backend=backend,
                tasks=tasks,
                enable_all=adaptive,
                progress=progress,
                on_start=on_start,
                between_rounds=between_rounds,
            )
        requests = list(
            requests_for_target(build_requests(tasks, g), backend_target(backend, g), backend_extra_body(backend, g))
        )
        summary = send_requests(store, g, backend, requests, tasks=tasks.height, progress=progress, on_start=on_start)
        report = summary.report()
        spend = plan_spend(store, cfg.cost, [r.key for r in requests])
        report.set(cost=spend, **cost_metadata(spend))
        report.summary += cost_lines(spend)
        return report


def judge_tasks_need_a_rubric(tasks: pl.DataFrame, cfg: ThinkmillConfig) -> None:
    """Raise GenerateError, before any request, when `verifier: judge` tasks have no rubric of their own (the task
    field `rubric`, kept in metadata, or `verifier_args.rubric`) and `verify.judge.rubric` is unset: every response
    of theirs would fail `judge:bad_args`, each sample paid for nothing."""
    if (cfg.verify.judge.rubric or "").strip() or "verifier" not in tasks.columns:
        return
    from pipeline.verify.files import task_from_row

    judged = tasks.filter(pl.col("verifier") == "judge")
    missing = [
        r["task_id"]
        for r in judged.iter_rows(named=True)
        if not (task_from_row(r, f"task {r['task_id']}").rubric or "").strip()
    ]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3:,} more" if len(missing) > 3 else "")
        raise GenerateError(
            f"{len(missing):,} judge task(s) have no rubric ({shown}) and verify.judge.rubric is unset: every "
            "response would fail judge:bad_args; set verify.judge.rubric, or give the tasks a rubric column and "
            "ingest them again (thinkmill ingest --reread)"
        )


def send_requests(
    store: Store,
    g: GenerateConfig,
    backend: Backend,
    requests: list[GenerationRequest],
    *,
    tasks: int,
    progress: ProgressHook | None = None,
    on_start: Callable[[StageReport], None] | None = None,
    round_no: int | None = None,
) -> _Counts:
    """Send what `requests` has not cached yet, store every result, record the pass in `generate_runs`."""
    replayed = replay_journal(store)  # results a killed run received but had not committed yet
    todo, cached = pending(store, requests, retry_errors=g.retry_errors)
    summary = _Counts(
        backend=backend.name,
        model=g.model,
        tasks=tasks,
        requested=len(requests),
        cached=cached,
        sent=len(todo),
        replayed=replayed,
    )
    if on_start is not None:
        on_start(summary.report())
    errors: Counter[str] = Counter()
    first_error: dict[str, str] = {}  # by kind: the first error's text (the server's words)
    modes: Counter[str] = Counter()
    endpoints: set[str] = set()
    if isinstance(backend, BatchBackend):
        backend.answered, backend.unanswered, backend.request_file = 0, 0, None  # this pass's counts only

    writer = ResultWriter(
        store, batch_rows=g.write_batch_rows, interval_s=g.write_interval_s, journal=journal_dir(store)
    )

    def sink(req: GenerationRequest, res: GenerationResult, endpoint: str | None) -> None:
        writer.add(generation_row(req, res, backend=backend.name, endpoint=endpoint))
        if endpoint:
            endpoints.add(endpoint)
        if res.error:
            kind = error_kind(res.error) or "error"
            errors[kind] += 1
            first_error.setdefault(kind, res.error)
        else:
            summary.succeeded += 1
            modes[req.mode] += 1
            summary.prompt_tokens += res.prompt_tokens or 0
            summary.completion_tokens += res.completion_tokens or 0
        if progress is not None:
            progress(summary.succeeded + errors.total(), errors.total(), summary.completion_tokens)

    if isinstance(backend, BatchBackend):  # answers to cached requests are not "unmatched"
        backend.known_keys = frozenset(r.key for r in requests)
    t0 = time.perf_counter()
    try:
        # The wait for responses is long: let other processes (db info, verify) open the database meanwhile.
        # The writer opens the file only for each commit; results are durable in the journal in between.
        with store.released(lock_timeout_s=max(store.lock_timeout_s or 0.0, COMMIT_LOCK_WAIT_S)):
            try:
                backend.run(todo, sink)
            finally:
                writer.close()  # finished results are stored even when the run stops on an error
    except ServerUnreachableError as exc:
        raise ServerUnreachableError(f"{exc}{_stored_apart(summary.succeeded, errors, g.retry_errors)}") from exc
    finally:
        summary.elapsed_s = time.perf_counter() - t0
        summary.errors = errors.total()
        summary.errors_by_kind = dict(errors)
        summary.by_mode = dict(modes)
        summary.endpoints = sorted(endpoints)
    if isinstance(backend, BatchBackend):
        summary.sent = backend.answered
        summary.batch_request_file = str(backend.request_file) if backend.request_file else None
        summary.batch_unanswered = backend.unanswered
        summary.batch_unmatched = backend.unmatched
    if summary.sent or (round_no is None and _decided_since_fixed_pass(store)):
        record_run(store, summary, round_no)
    if todo and summary.succeeded == 0 and errors and set(errors) == {UNKNOWN_MODEL}:
        raise UnknownModelError(
            f"every request failed: model {g.model!r} is unknown to {', '.join(summary.endpoints) or 'the server'}"
            f" ({summary.errors} requests recorded with error {UNKNOWN_MODEL}); check generate.model"
        )
    if todo and summary.succeeded == 0 and errors and set(errors) == {AUTH}:
        # the key's variable unset (the client sends "EMPTY") or a wrong key: the run exited 0 and a refresh went green
        name = g.openai.api_key_env
        state = "is set: check its value" if os.environ.get(name) else "is unset"
        raise GenerateError(
            f"every request failed: {', '.join(summary.endpoints) or 'the server'} refused the API key (HTTP 401/403, "
            f"{summary.errors} requests recorded with error {AUTH}); the key comes from the environment variable "
            f"generate.openai.api_key_env names, {name}, which {state}; the next run sends them again"
        )
    if todo and summary.succeeded == 0 and errors and set(errors) == {BAD_REQUEST}:
        # a setting the server refuses in every request (`max_tokens` over the model's length): the run exited 0
        said = " ".join(first_error[BAD_REQUEST].split())[:300]
        raise GenerateError(
            f"every request failed: {', '.join(summary.endpoints) or 'the server'} refused them as bad requests "
            f"({summary.errors} recorded with error {BAD_REQUEST}; first: {said}); check what the server names in "
            "the settings that make a request's body (generate.think / generate.no_think: max_tokens, temperature, "
            "top_p, top_k, extra; generate.openai.extra_body); the next run sends them again"
        )
    return summary


def _stored_apart(answered: int, errors: Counter[str], retry_errors: bool) -> str:
    """What a stopped run stored, answered and failed apart (by error kind), to follow the backend's "N of M requests
    finished and are stored": a request that lost its connection as the server died is finished too, stored as an
    error row, and the message read as if every finished request had been answered."""
    if not answered and not errors:
        return ""
    text = f"; of those {answered + errors.total()}, {answered} were answered and {errors.total()} failed"
    if errors:
        text += " (" + ", ".join(f"{k}: {n}" for k, n in sorted(errors.items())) + "), stored as error rows"
        text += " the rerun sends again" if retry_errors else " (generate.retry_errors is off: no rerun sends them)"
    return text


def _decided_since_fixed_pass(store: Store) -> bool:
    """Whether an adaptive decision was stored after the last recorded fixed-k pass (a `generate_runs` row without
    a round). A fixed-k pass ends the bound those decisions set on the requests the checks count
    (`pipeline.checks`), so such a pass is recorded though it sent nothing; any other pass that sent nothing is not
    (a run that changes nothing adds no rows)."""
    return bool(
        store.query(
            "SELECT count(*) FROM adaptive_decisions d WHERE NOT EXISTS (SELECT 1 FROM generate_runs r "
            "WHERE r.round IS NULL AND r.created_at > d.created_at)"
        ).item()
    )


def record_run(store: Store, summary: _Counts, round_no: int | None) -> None:
    """One `generate_runs` row: the pass's tokens and wall time (cost accounting's measured throughput; a pass that
    sent nothing has no tokens, and `measured_tokens_per_s` leaves it out)."""
    row = {
        "run_id": uuid.uuid4().hex,
        "backend": summary.backend,
        "model": summary.model,
        "round": round_no,
        "sent": summary.sent,
        "succeeded": summary.succeeded,
        "prompt_tokens": summary.prompt_tokens,
        "completion_tokens": summary.completion_tokens,
        "elapsed_s": summary.elapsed_s,
        "created_at": now_utc(),
    }
    store.insert(GENERATE_RUN.name, pl.DataFrame([row], schema=GENERATE_RUN.polars_schema()))
