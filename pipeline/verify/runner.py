"""Judge many responses in parallel, in input order, with a hard time limit on every check.

Worker processes (forkserver) judge chunks of items. Each check has a soft limit (SIGALRM inside the worker;
the sandbox's own limits for code). On top, a chunk that does not come back by its deadline gets its worker
killed: a multi-item chunk is retried item by item, a single item fails with `<verifier>:timeout` (or
`<verifier>:crash` when the worker died). So one pathological input can never hang a run.

Responses of `judge` tasks first go through the judge pre-pass (`pipeline.verify.judge_pass`): the LLM judge's
answers are fetched in one concurrent, cached batch, then the checks read them like any other task field.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline.verify import sandbox
from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import SandboxUnavailableError
from pipeline.verify.judge import Item, Verdict, failed_verdict, judge
from pipeline.verify.judge_pass import RETRYABLE_FAILURES, JudgeRun, judge_pass
from pipeline.verify.registry import Registry, Verifier
from pipeline.verify.verifiers.code import wall_budget

Progress = Callable[[int], None]
SandboxNotice = Callable[[str], None]

# What the pool's forkserver imports once, before it forks any worker: the verifiers and math-verify (~2 s on a 2-core
# machine), so a worker starts with them loaded.
PRELOAD = ["pipeline.verify.judge", "pipeline.verify.verifiers", "math_verify"]


def _forkserver() -> Any:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # no effect once the forkserver runs (it was started with this list)
    return ctx


def prestart() -> None:
    """Start the pool's forkserver now, in the background, and return at once (idempotent).

    Its imports (`PRELOAD`) then overlap the caller's other work instead of delaying the first pool: a Dagster run
    that verifies calls this when it starts (`assets.resources`), so "Materialize all" has the forkserver ready by
    the time `verdicts` runs. The forkserver ends with this process."""
    from multiprocessing import forkserver

    _forkserver()
    forkserver.ensure_running()


def worker_count(cfg: VerifyConfig) -> int:
    return max(1, cfg.workers or len(os.sched_getaffinity(0)))


def _hard_limit(item: Item, verifier: Verifier, cfg: VerifyConfig) -> float:
    if verifier.sandboxed:
        return wall_budget(item.task, cfg) + 5.0
    return cfg.check_timeout_s


def _preflight(items: Sequence[Item], registry: Registry, cfg: VerifyConfig) -> dict[str, Verifier]:
    """Resolve every verifier once (unknown names fail before any work) and check the sandbox if needed."""
    verifiers = {name: registry.get(name) for name in {it.task.verifier for it in items}}
    if any(v.sandboxed for v in verifiers.values()):
        sandbox.ensure_available(cfg.code)
    return verifiers


def _without_sandbox(
    items: Sequence[Item],
    cfg: VerifyConfig,
    registry: Registry,
    progress: Progress | None,
    notice: SandboxNotice,
    error: SandboxUnavailableError,
    judge_run: JudgeRun,
    ids: Sequence[str] | None,
) -> list[Verdict]:
    """Judge what needs no sandbox; every sandboxed check fails `<verifier>:sandbox_unavailable`, its code unrun.

    Those verdicts carry a marked verifier_version, so a later run with a working sandbox judges them again.
    """
    notice(str(error))
    blocked = [i for i, it in enumerate(items) if registry.get(it.task.verifier).sandboxed]
    rest = sorted(set(range(len(items))) - set(blocked))
    out: list[Verdict | None] = [None] * len(items)
    judged = verify_items(
        [items[i] for i in rest],
        cfg,
        registry,
        progress,
        judge_run=judge_run,
        ids=None if ids is None else [ids[i] for i in rest],
    )
    for i, v in zip(rest, judged, strict=True):
        out[i] = v
    for i in blocked:
        v = failed_verdict(items[i], registry.get(items[i].task.verifier), sandbox.SANDBOX_UNAVAILABLE, cfg)
        v.verifier_version += f"+{sandbox.SANDBOX_UNAVAILABLE}"
        out[i] = v
    if progress and blocked:
        progress(len(blocked))
    return [v for v in out if v is not None]


def verify_items(
    items: Sequence[Item],
    cfg: VerifyConfig | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    *,
    on_sandbox_unavailable: SandboxNotice | None = None,
    judge_run: JudgeRun | None = None,
    ids: Sequence[str] | None = None,
) -> list[Verdict]:
    """One verdict per item, same order.

    Without a usable sandbox, code is never run: by default that raises SandboxUnavailableError before any
    work. Only `thinkmill demo` passes `on_sandbox_unavailable` (called once with the one-line reason and
    fix); then sandboxed checks fail `<verifier>:sandbox_unavailable` and the other items are judged as usual.

    `judge_run` says where the LLM judge's answers are cached (its store) and collects the judge's counts;
    without one they are not cached. `ids` (generation keys) name the responses in `judge_requests`.
    """
    cfg = cfg or VerifyConfig()
    registry = registry or Registry(cfg)
    judge_run = judge_run or JudgeRun()
    try:
        verifiers = _preflight(items, registry, cfg)
    except SandboxUnavailableError as exc:
        if on_sandbox_unavailable is None:
            raise
        return _without_sandbox(items, cfg, registry, progress, on_sandbox_unavailable, exc, judge_run, ids)
    items = judge_pass(items, cfg, registry, judge_run, ids)
    return _mark_judge_unavailable(items, _verify(items, verifiers, cfg, registry, progress))


def _mark_judge_unavailable(items: Sequence[Item], verdicts: list[Verdict]) -> list[Verdict]:
    """A verdict made without the judge's answer (request failed, server down) carries a marked verifier_version,
    so the next run judges it again (its other cached judge answers are reused)."""
    for it, v in zip(items, verdicts, strict=True):
        j = it.task.judgement
        if j is not None and j.failure in RETRYABLE_FAILURES:
            v.verifier_version += f"+judge_{j.failure}"
    return verdicts


def _verify(
    items: Sequence[Item],
    verifiers: dict[str, Verifier],
    cfg: VerifyConfig,
    registry: Registry,
    progress: Progress | None,
) -> list[Verdict]:
    inline = len(items) < cfg.inline_below and threading.current_thread() is threading.main_thread()
    if inline or not items:
        out = []
        for it in items:
            out.append(judge(it, registry, cfg))
            if progress:
                progress(1)
        return out
    try:
        pickle.dumps(verifiers)
    except (pickle.PicklingError, AttributeError, TypeError):  # e.g. a lambda registered at runtime
        return [judge(it, registry, cfg) for it in items]
    return _Pool(items, verifiers, cfg, progress).run()


# At most this many sandboxed responses of one task go to a worker together
HEAVY_CHUNK = 8


def _chunks(items: Sequence[Item], verifiers: dict[str, Verifier], n_workers: int) -> list[list[int]]:
    """Chunks of item indices, the sandboxed ones first. A task's sandboxed responses go together (up to
    `HEAVY_CHUNK`): its samples often end in the same code, which a worker then runs once (`verifiers.code`)."""
    light = [i for i, it in enumerate(items) if not verifiers[it.task.verifier].sandboxed]
    by_task: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        if verifiers[it.task.verifier].sandboxed:
            by_task.setdefault(it.task.task_id, []).append(i)
    heavy = [idx[j : j + HEAVY_CHUNK] for idx in by_task.values() for j in range(0, len(idx), HEAVY_CHUNK)]
    size = max(1, min(64, len(light) // (n_workers * 8) or 1))
    return heavy + [light[i : i + size] for i in range(0, len(light), size)]


def _worker_main(conn: Connection, cfg_json: str, verifiers: dict[str, Verifier]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    cfg = VerifyConfig.model_validate_json(cfg_json)
    registry = Registry(cfg)
    for name, v in verifiers.items():  # the parent's resolution wins (also covers Registry.register), as bound
        registry.adopt(name, v)
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        cid, items = msg
        conn.send((cid, [judge(it, registry, cfg) for it in items]))


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    job: tuple[int, list[int], float] | None = None  # chunk id, item indices, deadline


class _Pool:
    def __init__(
        self, items: Sequence[Item], verifiers: dict[str, Verifier], cfg: VerifyConfig, progress: Progress | None
    ) -> None:
        self.items, self.verifiers, self.cfg, self.progress = items, verifiers, cfg, progress
        self.ctx = _forkserver()
        self.cfg_json = cfg.model_dump_json()
        self.results: list[Verdict | None] = [None] * len(items)
        self.queue: deque[list[int]] = deque()
        self.n_workers = min(worker_count(cfg), len(items))

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child, self.cfg_json, self.verifiers), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _deadline(self, idx: list[int]) -> float:
        limit = sum(_hard_limit(self.items[i], self.verifiers[self.items[i].task.verifier], self.cfg) for i in idx)
        # Slack for worker start-up and IPC, proportional to the configured limit (a small limit means "be strict").
        return time.monotonic() + limit + min(10.0, max(2.0, self.cfg.check_timeout_s))

    def run(self) -> list[Verdict]:
        self.queue.extend(_chunks(self.items, self.verifiers, self.n_workers))
        workers = [self._spawn() for _ in range(self.n_workers)]
        next_id = 0
        try:
            while self.queue or any(w.job for w in workers):
                for w in workers:
                    if w.job is None and self.queue:
                        idx = self.queue.popleft()
                        w.job = (next_id, idx, self._deadline(idx))
                        next_id += 1
                        w.conn.send((w.job[0], [self.items[i] for i in idx]))
                busy = [w for w in workers if w.job]
                timeout = max(0.0, min(w.job[2] for w in busy) - time.monotonic())  # type: ignore[index]
                ready = wait([w.conn for w in busy], timeout=timeout)
                for i, w in enumerate(workers):
                    if w.job is None:
                        continue
                    if w.conn in ready:
                        try:
                            _cid, verdicts = w.conn.recv()
                        except (EOFError, OSError):
                            workers[i] = self._fail(w, "crash")
                            continue
                        self._store(w.job[1], verdicts)
                        w.job = None
                    elif time.monotonic() > w.job[2]:
                        workers[i] = self._fail(w, "timeout")
        finally:
            for w in workers:
                self._stop(w)
        return [v for v in self.results if v is not None]

    def _store(self, idx: list[int], verdicts: list[Verdict]) -> None:
        for i, v in zip(idx, verdicts, strict=True):
            self.results[i] = v
        if self.progress:
            self.progress(len(idx))

    def _fail(self, w: _Worker, detail: str) -> _Worker:
        """Kill a stuck or dead worker; retry its chunk item by item, or fail its single item."""
        assert w.job is not None
        idx = w.job[1]
        w.proc.kill()
        w.proc.join()
        w.conn.close()
        if len(idx) > 1:
            self.queue.extendleft([i] for i in reversed(idx))
        else:
            it = self.items[idx[0]]
            self._store(idx, [failed_verdict(it, self.verifiers[it.task.verifier], detail, self.cfg)])
        return self._spawn()

    @staticmethod
    def _stop(w: _Worker) -> None:
        with contextlib.suppress(OSError, ValueError):
            w.conn.send(None)
        w.proc.join(timeout=2)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join()
