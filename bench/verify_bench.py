"""Verify-stage throughput: verdicts/s for math responses and for code responses, and peak memory.

    python -m bench verify [--math 100000] [--code 1000] [--workers N]
    python -m bench verify --harness-source-vs-bytecode [--code 200] [--repeat 3]

Math responses mix correct, wrong and LaTeX-variant answers over 500 tasks, nearly all answer strings
distinct (so math-verify's parse is never a cache hit); code responses mix passing,
failing and timing-out solutions (asserts and stdin/stdout). Peak memory: this process's max RSS (getrusage) and the
peak summed RSS of its whole process tree (workers, sandboxes), sampled every 0.1 s.

`--harness-source-vs-bytecode`: the code workload judged in this process (one core, no pool), alternately with the
sandbox's harness sent as source (`python -c HARNESS`, as before 2026-12-06) and as bytecode (`harness.BOOT`), median
wall of `--repeat` runs each.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import statistics
import threading
import time

import psutil

from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item
from pipeline.verify.result import TaskSpec
from pipeline.verify.runner import verify_items, worker_count
from pipeline.verify.verifiers import code as code_verifier


def math_items(n: int, seed: int = 0) -> list[Item]:
    rng = random.Random(seed)
    tasks = []
    for i in range(500):
        a, b = rng.randint(1, 50), rng.randint(51, 99)
        tasks.append((TaskSpec(f"m{i}", "math", f"{a}/{b}", {}, "Compute it."), a, b))
    items = []
    for j in range(n):
        task, a, b = tasks[j % len(tasks)]
        kind, k = j % 4, j // len(tasks) + 1  # k makes (almost) every answer string distinct: no parse-cache hits
        ans = {
            0: rf"\boxed{{\frac{{{a * k}}}{{{b * k}}}}}",
            1: rf"The final answer is ${a * k}/{b * k}$.",
            2: rf"\boxed{{{round(a / b, 3)}}}",
            3: rf"\boxed{{\frac{{{a * k + 1}}}{{{b * k}}}}}",
        }[kind]
        items.append(Item(task, f"<think>\nLet me compute {a} over {b} step {j}.\n</think>\n{ans}", "think"))
    return items


def code_items(n: int) -> list[Item]:
    asserts = TaskSpec("c1", "code", None, {"tests": "assert add(1, 2) == 3\nassert add(-1, 1) == 0", "timeout_s": 1})
    stdio = TaskSpec(
        "c2", "code", None, {"tests": [{"input": "1 2\n", "output": "3"}, {"input": "4 5\n", "output": "9"}]}
    )
    sols = [
        (asserts, "def add(a, b):\n    return a + b"),
        (asserts, "def add(a, b):\n    return a - b"),
        (stdio, "a, b = map(int, input().split())\nprint(a + b)"),
        (stdio, "print(0)"),
    ]
    items = []
    for j in range(n):
        task, body = sols[j % len(sols)]
        if j % 100 == 99:
            task, body = asserts, "while True:\n    pass"  # 1% time out (1 s each)
        items.append(Item(task, f"<think>\nwrite it\n</think>\n```python\n{body}\n```", "think"))
    return items


class TreeMemory:
    """Samples the summed RSS of this process and all its descendants (workers, forkserver, sandboxes)."""

    def __init__(self, interval_s: float = 0.1) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(interval_s,), daemon=True)

    def _loop(self, interval_s: float) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._stop.wait(interval_s)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(name: str, items: list[Item], cfg: VerifyConfig) -> dict[str, object]:
    start = time.perf_counter()
    with TreeMemory() as mem:
        verdicts = verify_items(items, cfg)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = mem.peak_mb
    passed = sum(v.passed for v in verdicts)
    return {
        "workload": name,
        "n": len(items),
        "wall_s": wall,
        "verdicts_per_s": len(items) / wall,
        "pass_rate": passed / len(items),
        "peak_rss_parent_mb": own,
        "peak_rss_tree_mb": children,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--math", type=int, default=100_000)
    ap.add_argument("--code", type=int, default=1_000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--harness-source-vs-bytecode", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if args.harness_source_vs_bytecode:
        return _harness_compare(args.code, args.repeat)
    cfg = VerifyConfig(workers=args.workers)
    rows = []
    if args.math:
        rows.append(run("math", math_items(args.math), cfg))
    if args.code:
        rows.append(run("code (sandboxed)", code_items(args.code), cfg))
    print(f"workers: {worker_count(cfg)}")
    header = ("workload", "n", "wall_s", "verdicts_per_s", "pass_rate", "peak_rss_parent_mb", "peak_rss_tree_mb")
    print(" | ".join(f"{h:>18}" for h in header))
    for r in rows:
        print(" | ".join(f"{r[h]:>18.2f}" if isinstance(r[h], float) else f"{r[h]!s:>18}" for h in header))


def _harness_compare(n: int, repeat: int) -> None:
    cfg = VerifyConfig(inline_below=10**9)  # judged in this process, so the choice below holds
    items = code_items(n)
    python = code_verifier.sandbox.interpreter(cfg.code)
    bytecode = code_verifier._compiled_harness(python, cfg)
    assert bytecode, "the sandbox's Python did not compile the harness"
    walls: dict[str, list[float]] = {"source": [], "bytecode": []}
    verdicts: dict[str, list[tuple[bool, str]]] = {}
    for _ in range(repeat):
        for name, blob in (("source", b""), ("bytecode", bytecode)):
            code_verifier._COMPILED[python] = blob  # b"": sent as source
            start = time.perf_counter()
            out = verify_items(items, cfg)
            walls[name].append(time.perf_counter() - start)
            verdicts[name] = [(v.passed, v.reason) for v in out]
    assert verdicts["source"] == verdicts["bytecode"], "the two ways judged differently"
    print(f"code responses: {n}, judged in one process, {repeat} runs each (median)")
    print(f"{'harness sent as':>16} | {'wall_s':>8} | {'ms/response':>11} | {'runs':>24}")
    for name, w in walls.items():
        med = statistics.median(w)
        print(f"{name:>16} | {med:>8.2f} | {med / n * 1000:>11.1f} | {' '.join(f'{x:.2f}' for x in w):>24}")
    ratio = statistics.median(walls["bytecode"]) / statistics.median(walls["source"])
    print(f"bytecode / source: {ratio:.2f}")


if __name__ == "__main__":
    main()
