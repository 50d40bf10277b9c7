"""Adaptive sampling vs fixed k on a planted mix of easy and hard tasks, against a deterministic local server.

The server is testing_support/openai_stub.py on loopback answering testing_support/planted.py's tasks: easy tasks
right on every sample, hard ones right only on samples whose request seed is divisible by 4 (so some hard tasks
pass early, some late, some never within 8). Both runs go through the real generate and verify stages, each on
its own database; "requests sent" is the server's own count.

    PYTHONPATH=. python -m bench adaptive [--tasks 64] [--easy-share 0.5] [--initial 1] [--max 8] [--target 2]

Target (issue 21): with half the tasks easy, initial 1 and max = k = 8, the same accepted traces (at most
`target_passed` passing traces per task: what `select.max_per_task = target_passed` keeps) with at most 60% of
the fixed-k requests. Exit code 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.config import ThinkmillConfig
from pipeline.generate.config import AdaptiveModeConfig
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
from pipeline.verify.db import run as run_verify
from testing_support.openai_stub import OpenAIStub
from testing_support.planted import planted_answer, planted_tasks


def _config(url: str, base: Path, *, k: int, adaptive: AdaptiveModeConfig | None) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.base_dir = base
    g = cfg.generate
    g.backend, g.model = "openai", "bench-model"
    g.samples_think, g.samples_no_think = k, 0
    g.openai.base_urls, g.openai.max_in_flight = [url], 16
    g.openai.backoff_initial_s, g.openai.backoff_max_s = 0.01, 0.05
    if adaptive is not None:
        g.adaptive.think = adaptive
    cfg.verify.inline_below = 1_000_000  # in-process: the checks are tiny
    return cfg


def _outcome(store: Store, target: int) -> dict[str, int]:
    per_task = store.query(
        "SELECT t.task_id, count(v.generation_key) FILTER (WHERE v.passed) AS passed FROM tasks t "
        "LEFT JOIN generations g ON g.task_id = t.task_id AND g.mode = 'think' "
        "LEFT JOIN verdicts v ON v.generation_key = g.key GROUP BY 1"
    )
    passed = [int(n) for n in per_task.get_column("passed").to_list()]
    return {
        "tasks passed": sum(1 for n in passed if n),
        "never passed": sum(1 for n in passed if not n),
        "passing traces": sum(passed),
        "accepted traces": sum(min(n, target) for n in passed),
    }


def _one(
    name: str,
    folder: Path,
    n_tasks: int,
    easy_share: float,
    k: int,
    target: int,
    adaptive: AdaptiveModeConfig | None,
) -> dict[str, object]:
    """One run on its own database; accepted traces are capped at `target` per task for both runs (what
    `select.max_per_task = target` keeps)."""
    db = folder / f"{name}.duckdb"
    with Store.open(db) as s:
        s.insert("tasks", planted_tasks(n_tasks, easy_share))
    with OpenAIStub() as stub, Store.open(db) as s:
        stub.responder = planted_answer
        cfg = _config(stub.url, folder, k=k, adaptive=adaptive)
        t0 = time.perf_counter()
        report = run_generation(s, cfg)
        if adaptive is None:
            run_verify(s, cfg)  # the adaptive run verified every round itself
        wall = time.perf_counter() - t0
        out: dict[str, object] = {
            "requests sent": stub.stats.requests,
            "rounds": report.metadata.get("adaptive_rounds", 1),
            **_outcome(s, target),
            "wall s": round(wall, 2),
        }
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench adaptive", description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=64)
    ap.add_argument("--easy-share", type=float, default=0.5)
    ap.add_argument("--initial", type=int, default=1)
    ap.add_argument("--max", type=int, default=8, help="max of the adaptive run = k of the fixed run")
    ap.add_argument(
        "--target", type=int, default=2, help="target_passed (2: what select.max_per_task keeps by default)"
    )
    args = ap.parse_args(argv)
    spec = AdaptiveModeConfig(enabled=True, initial=args.initial, max=args.max, target_passed=args.target)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fixed = _one("fixed", folder, args.tasks, args.easy_share, args.max, args.target, None)
        adaptive = _one("adaptive", folder, args.tasks, args.easy_share, args.max, args.target, spec)
    fixed_acc = fixed["accepted traces"]
    share = int(adaptive["requests sent"]) / int(fixed["requests sent"])  # type: ignore[call-overload]
    print(
        f"{args.tasks} planted tasks ({args.easy_share:.0%} easy), think mode; fixed k = {args.max} vs adaptive "
        f"initial {args.initial}, max {args.max}, target_passed {args.target}\n"
    )
    print(f"| measure | fixed k = {args.max} | adaptive |\n|---|---:|---:|")
    for key in fixed:
        print(f"| {key} | {fixed[key]} | {adaptive[key]} |")
    print(f"| requests vs fixed k | 100% | {share:.0%} |")
    ok = share <= 0.6 and fixed_acc == adaptive["accepted traces"]
    print(
        f"\ntarget (same accepted traces, <= 60% of the fixed-k requests): {'met' if ok else 'MISSED'} "
        f"(accepted {adaptive['accepted traces']} vs {fixed_acc}, requests {share:.0%})"
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
