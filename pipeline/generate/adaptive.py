"""Adaptive sampling: spend samples where they pay.

Per task and adaptive mode, round 1 draws `initial` samples (sample indices 0 .. initial-1). After each round
the verify stage's own `run` judges what came back, and each (task, mode) gets a decision, stored in
`adaptive_decisions`:

- `adaptive:passed_target`: at least `target_passed` of its samples pass: it stops;
- `adaptive:reached_max`: `max` samples drawn and still fewer pass: it stops (a candidate to drop, or to hand
  to a stronger model);
- `adaptive:more_samples`: it gets more in the next round, up to `max(2 x drawn, drawn + missing passes)`,
  capped at `max`;
- `adaptive:not_judged`: short of the target, and a sample's check never ran (no sandbox, an unreachable judge, its
  unusable arguments): it stops, since more samples would be judged no better (at `max` too: it is not a task
  that never passed).
- `adaptive:errors`: short of the target, and a sample's request failed after its retries (an outage, a persistent
  5xx or 400): it stops, since more requests would fail alike (at `max` too: nothing judged it); a rerun re-sends
  the failed requests (`generate.retry_errors`) and goes on from the same decisions.

The rounds go on until no task gets more. A mode that is not adaptive gets its fixed k in round 1.

Requests are the ordinary ones (`build_request`): the sample index continues from round to round, so the keys
and seeds are exactly those of a fixed-k run of the same `max`, and every round goes through the same cache and
journal. A kill between (or within) rounds loses nothing: a rerun replays the journal, finds every earlier
round cached and verified, takes the same decisions from the same verdicts and continues where it stopped.

With the batch backend a round is one batch request file: the run stops after writing it; once its output is
read (`thinkmill generate batch-read OUTPUT --adaptive`, or `generate.batch_output`), that run verifies it and
writes the next round's file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.config import ThinkmillConfig
from pipeline.generate.backends.base import Backend
from pipeline.generate.backends.batch import BatchBackend, read_batch_output
from pipeline.generate.config import AdaptiveConfig, AdaptiveModeConfig
from pipeline.generate.cost import cost_lines, cost_metadata, plan_spend
from pipeline.generate.request import (
    GenerationRequest,
    build_request,
    mcq_choices,
    samples_for,
    task_systems,
    task_verifiers,
)
from pipeline.generate.targets import for_target
from pipeline.report import StageReport
from pipeline.store import Store, now_utc
from pipeline.trace import MODES
from pipeline.verify.result import judged
from schemas.contracts import ADAPTIVE_DECISION

PASSED_TARGET = "adaptive:passed_target"
REACHED_MAX = "adaptive:reached_max"
MORE_SAMPLES = "adaptive:more_samples"
# a task with a sample whose check never ran (`pipeline.verify.result.NOT_JUDGED`: no sandbox, an unreachable judge, its
# unusable arguments): more samples would be judged no better, so it stops instead of drawing up to `max`
NOT_JUDGED_STOP = "adaptive:not_judged"
# a task with a sample whose request failed after its retries (an outage, a persistent 5xx or 400): more requests would
# fail alike, and nothing judged it, so it stops; a rerun re-sends the failed requests (`retry_errors`) and goes on
ERRORS_STOP = "adaptive:errors"
NEVER_PASSED_LISTED = 100  # task ids listed in the report (the count is always exact; the table has them all)


def decide(drawn: int, passed: int, spec: AdaptiveModeConfig) -> tuple[str, int | None]:
    """(decision, samples after the next round or None) for a task with `passed` of `drawn` samples passing."""
    if passed >= spec.target_passed:
        return PASSED_TARGET, None
    if drawn >= spec.max:
        return REACHED_MAX, None
    return MORE_SAMPLES, min(spec.max, max(2 * drawn, drawn + spec.target_passed - passed))


@dataclass
class _Task:
    task_id: str
    domain: str
    prompt: str
    choices: dict[str, str] | None
    system: str | None
    verifier: str | None


def _effective(cfg: ThinkmillConfig, enable_all: bool) -> AdaptiveConfig:
    """The adaptive settings in force: `enable_all` (`--adaptive`) turns on every mode that has samples at all
    (a mode with `samples_<mode>: 0` stays off)."""
    ad = cfg.generate.adaptive
    if not enable_all:
        return ad
    on = {m: ad.for_mode(m).enabled or samples_for(cfg.generate, m) > 0 for m in MODES}
    return ad.model_copy(update={m: ad.for_mode(m).model_copy(update={"enabled": on[m]}) for m in MODES})


def run_adaptive(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    backend: Backend,
    tasks: pl.DataFrame,
    enable_all: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
    on_start: Callable[[StageReport], None] | None = None,
    between_rounds: Callable[[int], None] | None = None,
) -> StageReport:
    """Draw, verify, decide, in rounds (module docstring); returns the generate stage's report."""
    from pipeline.generate.runner import _Counts, backend_extra_body, backend_target, send_requests
    from pipeline.verify.db import run as verify_run

    g = cfg.generate
    ad = _effective(cfg, enable_all)
    target = backend_target(backend, g)
    extra_body = backend_extra_body(backend, g)
    args = tasks["verifier_args"] if "verifier_args" in tasks.columns else [None] * tasks.height
    items = [
        _Task(t, d, p, mcq_choices(a), sy, v)
        for (t, d, p), a, sy, v in zip(
            tasks.select("task_id", "domain", "prompt").iter_rows(),
            args,
            task_systems(tasks),
            task_verifiers(tasks),
            strict=True,
        )
    ]

    # (task index, mode) -> samples to have after this round; keys[(i, mode)] = keys of indices 0..drawn-1
    plan: dict[tuple[int, str], int] = {}
    for i in range(len(items)):
        for mode in MODES:
            k = ad.for_mode(mode).initial if ad.for_mode(mode).enabled else samples_for(g, mode)
            if k:
                plan[(i, mode)] = k
    keys: dict[tuple[int, str], list[str]] = {}
    total = _Counts(backend=backend.name, model=g.model, tasks=len(items))
    errors_by_kind: Counter[str] = Counter()
    by_mode: Counter[str] = Counter()
    final: dict[tuple[int, str], tuple[int, int, str]] = {}  # last (drawn, passed, decision) per adaptive pair
    verify_totals = {"judged": 0, "passed": 0}
    waiting: str | None = None
    rounds = 0
    while plan:
        rounds += 1
        requests: list[GenerationRequest] = []
        for (i, mode), n in plan.items():
            t = items[i]
            have = keys.setdefault((i, mode), [])
            for idx in range(len(have), n):
                req = build_request(g, t.task_id, t.domain, t.prompt, mode, idx, t.choices, t.system, t.verifier)  # type: ignore[arg-type]
                req = for_target(req, target, extra_body)
                have.append(req.key)
                requests.append(req)
        counts = send_requests(
            store, g, backend, requests, tasks=len(items), progress=progress, on_start=on_start, round_no=rounds
        )
        total.requested += counts.requested
        total.cached += counts.cached
        total.sent += counts.sent
        total.succeeded += counts.succeeded
        total.prompt_tokens += counts.prompt_tokens
        total.completion_tokens += counts.completion_tokens
        total.elapsed_s += counts.elapsed_s
        total.replayed += counts.replayed
        total.endpoints = sorted(set(total.endpoints) | set(counts.endpoints))
        errors_by_kind.update(counts.errors_by_kind)
        by_mode.update(counts.by_mode)
        if isinstance(backend, BatchBackend) and counts.batch_unanswered:
            # A round is one batch file: the rest waits for its output (module docstring).
            total.batch_request_file = counts.batch_request_file
            total.batch_unanswered = counts.batch_unanswered
            waiting = counts.batch_request_file
            break
        verified = verify_run(store, cfg)
        verify_totals["judged"] += int(verified.metadata.get("judged", 0))
        verify_totals["passed"] += int(verified.metadata.get("passed", 0))
        passing, unjudged, failed = _passing(store, [k for (i, m) in plan for k in keys[(i, m)]])
        decisions: list[dict[str, Any]] = []
        next_plan: dict[tuple[int, str], int] = {}
        now = now_utc()
        for (i, mode), n in plan.items():
            spec = ad.for_mode(mode)
            if not spec.enabled:
                continue  # fixed k: drawn once, in round 1
            passed = sum(1 for k in keys[(i, mode)] if k in passing)
            decision, nxt = decide(n, passed, spec)
            if decision != PASSED_TARGET and any(k in failed for k in keys[(i, mode)]):
                decision, nxt = ERRORS_STOP, None  # at max too: a failed request is no answer judged wrong
            elif decision != PASSED_TARGET and any(k in unjudged for k in keys[(i, mode)]):
                # at max too: nothing judged the unjudged samples wrong, so the task is not one that "never passed"
                decision, nxt = NOT_JUDGED_STOP, None
            final[(i, mode)] = (n, passed, decision)
            if nxt is not None:
                next_plan[(i, mode)] = nxt
            decisions.append(
                {
                    "task_id": items[i].task_id,
                    "mode": mode,
                    "round": rounds,
                    "drawn": n,
                    "passed": passed,
                    "decision": decision,
                    "next_drawn": nxt,
                    "target_passed": spec.target_passed,
                    "max_samples": spec.max,
                    "model": g.model,
                    "created_at": now,
                }
            )
        if decisions:
            store.insert(
                ADAPTIVE_DECISION.name,
                pl.DataFrame(decisions, schema=ADAPTIVE_DECISION.polars_schema()),
                on_conflict="replace",
            )
            _forget_later_rounds(store, decisions)
        plan = next_plan
        if between_rounds is not None:
            between_rounds(rounds)

    all_keys = [k for ks in keys.values() for k in ks]
    if isinstance(backend, BatchBackend) and backend.output is not None:
        # a round's output file holds that round's keys only: unmatched means matched by no round of this run
        wanted = set(all_keys)
        total.batch_unmatched = sum(1 for k in read_batch_output(backend.output) if k not in wanted)
    total.errors = sum(errors_by_kind.values())
    total.errors_by_kind = dict(errors_by_kind)
    total.by_mode = dict(by_mode)
    report = total.report()
    fixed_k = sum(len(items) * (ad.for_mode(m).max if ad.for_mode(m).enabled else samples_for(g, m)) for m in MODES)
    summary = _adaptive_summary(items, ad, final, len(all_keys), fixed_k, rounds, waiting, verify_totals)
    report.set(**summary)
    report.rows_in = len(all_keys)
    report.summary += _adaptive_lines(summary)
    spend = plan_spend(store, cfg.cost, all_keys)
    report.set(cost=spend, **cost_metadata(spend))
    report.summary += cost_lines(spend)
    return report


def _forget_later_rounds(store: Store, decisions: list[dict[str, Any]]) -> None:
    """A task that stops in this round has no later rounds: drop rows an earlier run (another config) left."""
    for mode in MODES:
        stopped = [d["task_id"] for d in decisions if d["mode"] == mode and d["next_drawn"] is None]
        if stopped:
            store.delete(
                ADAPTIVE_DECISION.name,
                "mode = ? AND round > ? AND task_id IN (SELECT unnest(?))",
                [mode, decisions[0]["round"], stopped],
            )


def _passing(store: Store, keys: list[str]) -> tuple[set[str], set[str], set[str]]:
    """The keys whose verdict passed, those whose verdict failed without judging the response (`judged`), and those
    whose stored row is a request that failed (no response, so no verdict)."""
    if not keys:
        return set(), set(), set()
    df = store.query(
        "SELECT generation_key, passed, reason FROM verdicts WHERE generation_key IN (SELECT unnest(?))", [keys]
    )
    passed, unjudged = set(), set()
    for key, ok, reason in df.iter_rows():
        if ok:
            passed.add(key)
        elif not judged(reason):
            unjudged.add(key)
    errors = store.query("SELECT key FROM generations WHERE error IS NOT NULL AND key IN (SELECT unnest(?))", [keys])
    return passed, unjudged, set(errors.get_column("key").to_list())


def _adaptive_summary(
    items: list[_Task],
    ad: AdaptiveConfig,
    final: dict[tuple[int, str], tuple[int, int, str]],
    drawn: int,
    fixed_k: int,
    rounds: int,
    waiting: str | None,
    verify_totals: dict[str, int],
) -> dict[str, Any]:
    per_task: dict[str, dict[str, int]] = {}
    never: dict[str, list[str]] = {}
    decisions: dict[str, dict[str, int]] = {}
    accepted: dict[str, int] = {}
    for mode in MODES:
        spec = ad.for_mode(mode)
        if not spec.enabled:
            continue
        hist: Counter[str] = Counter()
        dec: Counter[str] = Counter()
        for (i, m), (_n, passed, decision) in sorted(final.items()):
            if m != mode:
                continue
            hist[str(passed)] += 1
            dec[decision] += 1
            accepted[mode] = accepted.get(mode, 0) + min(passed, spec.target_passed)
            if passed == 0 and decision == REACHED_MAX:
                never.setdefault(mode, []).append(items[i].task_id)
        per_task[mode] = dict(sorted(hist.items(), key=lambda kv: int(kv[0])))
        decisions[mode] = dict(dec)
    return {
        "adaptive": True,
        "adaptive_modes": [m for m in MODES if ad.for_mode(m).enabled],
        "adaptive_rounds": rounds,
        "adaptive_waiting_on_batch": waiting,
        "adaptive_requests": drawn,
        "fixed_k_requests": fixed_k,
        "adaptive_request_share": round(drawn / fixed_k, 4) if fixed_k else None,
        "adaptive_decisions": decisions,
        "accepted_per_task": per_task,
        "accepted_traces": accepted,
        "never_passed_count": {m: len(never.get(m, [])) for m in decisions},
        "never_passed": {m: ids[:NEVER_PASSED_LISTED] for m, ids in never.items()},
        "verified": verify_totals,
    }


def _adaptive_lines(s: dict[str, Any]) -> list[str]:
    share = s["adaptive_request_share"]
    out = [
        f"adaptive sampling ({', '.join(s['adaptive_modes'])}): {s['adaptive_rounds']} rounds, "
        f"{s['adaptive_requests']:,} requests drawn vs {s['fixed_k_requests']:,} for fixed k = max"
        + (f" ({share:.0%})" if share is not None else "")
    ]
    if s["adaptive_waiting_on_batch"]:
        out.append(
            f"  round {s['adaptive_rounds']} waits on the batch file {s['adaptive_waiting_on_batch']}: run it, then "
            f"`thinkmill generate batch-read OUTPUT --adaptive` verifies it and writes the next round"
        )
    for mode, hist in s["accepted_per_task"].items():
        dec = s["adaptive_decisions"].get(mode, {})
        out.append(
            f"  {mode}: {dec.get(PASSED_TARGET, 0)} tasks reached the target, {dec.get(REACHED_MAX, 0)} reached max "
            f"short of it, "
            + (f"{dec[NOT_JUDGED_STOP]} stopped unjudged (a check never ran), " if dec.get(NOT_JUDGED_STOP) else "")
            + (
                f"{dec[ERRORS_STOP]} stopped on failed requests (run again to re-send them), "
                if dec.get(ERRORS_STOP)
                else ""
            )
            + f"{dec.get(MORE_SAMPLES, 0)} still drawing; passing traces per task: "
            + (", ".join(f"{k}: {v}" for k, v in hist.items()) or "-")
        )
        never = s["never_passed"].get(mode, [])
        if never:
            more = s["never_passed_count"][mode] - len(never)
            out.append(
                f"  {mode}: {s['never_passed_count'][mode]} tasks never passed (drop them, or hand them to a "
                f"stronger model): {', '.join(never[:10])}"
                + (f" and {s['never_passed_count'][mode] - 10} more" if s["never_passed_count"][mode] > 10 else "")
                + (f" ({more} not listed in the metadata)" if more > 0 else "")
            )
    return out


def decisions_summary(store: Store, until: Any = None) -> list[dict[str, Any]]:
    """Per mode, from each (task, mode)'s last stored decision (made at or before `until`, if given): tasks,
    samples drawn, what fixed k = max would have drawn, tasks that reached the target, tasks that never passed."""
    where, params = ("WHERE created_at <= ?", [until]) if until is not None else ("", [])
    df = store.query(
        "SELECT mode, count(*) AS tasks, sum(drawn)::BIGINT AS drawn, sum(max_samples)::BIGINT AS fixed_k, "
        f"count(*) FILTER (WHERE decision = '{PASSED_TARGET}') AS reached_target, "
        f"count(*) FILTER (WHERE decision = '{REACHED_MAX}' AND passed = 0) AS never_passed, "
        "sum(passed)::BIGINT AS passed FROM (SELECT *, row_number() OVER (PARTITION BY task_id, mode "
        f"ORDER BY round DESC) AS last FROM adaptive_decisions {where}) WHERE last = 1 GROUP BY 1 ORDER BY 1 DESC",
        params,
    )
    return df.to_dicts()
