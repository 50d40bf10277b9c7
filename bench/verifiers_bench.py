"""Measured accuracy of the verifiers: gold answers and wrong answers judged through the file contract of
`thinkmill verify` (TASKS.jsonl + RESPONSES.jsonl -> VERDICTS.jsonl).

    python -m bench verifiers [--families all|reasoning_gym|math,mcq,...] [--size 20] [--seed 0] [--workers N]

Families other than reasoning_gym (math, mcq, exact, numeric, regex, json_schema, code, ifeval): fixed cases in
testing_support/verifier_accuracy.py, gold and wrong answers in the surface forms models write (\\boxed{},
fractions, LaTeX, units, "The answer is 42", "(B)", "Answer: B", option text, correct and wrong programs in both code
test modes, IFEval's published examples in strict and loose mode); every disagreement is printed.

reasoning_gym, per dataset: `size` generated tasks (composite: a small mix of two datasets). The gold answer is the
entry's answer, else the generator's example solution; rush_hour has neither, so this bench solves each board by
breadth-first search; boxnet has none and no solver here (gold n/a). The wrong answer is another item's gold whose
text differs (a well-formed wrong answer), else a fixed non-answer. Both are sent as `<think>...</think>` +
`<answer>...</answer>`. gold_pass = share of gold answers the verifier passes; wrong_fail = share of wrong answers
it fails; gold kept = share of gold responses whose whole verdict passes (the trace lints too: a lint can reject a
right answer).
"""

from __future__ import annotations

import argparse
import time

from pipeline import rgym
from pipeline.verify.config import VerifyConfig
from testing_support.verifier_accuracy import FAMILY_NAMES, measure, measure_families


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--families", default="all", help=f"all, or a comma list of: reasoning_gym, {', '.join(FAMILY_NAMES)}."
    )
    ap.add_argument("--size", type=int, default=20, help="Tasks per reasoning-gym dataset.")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--dataset", action="append", default=None, help="Only this dataset (repeatable).")
    args = ap.parse_args(argv)
    wanted = set(FAMILY_NAMES) | {"reasoning_gym"} if args.families == "all" else set(args.families.split(","))
    unknown = wanted - set(FAMILY_NAMES) - {"reasoning_gym"}
    if unknown:
        ap.error(f"unknown families: {', '.join(sorted(unknown))}")
    cfg = VerifyConfig(workers=args.workers)
    others = [f for f in FAMILY_NAMES if f in wanted]
    if others:
        _families(others, cfg)
    if "reasoning_gym" in wanted:
        _reasoning_gym(args, cfg)


def _families(families: list[str], cfg: VerifyConfig) -> None:
    t0 = time.perf_counter()
    rows, wall = measure_families(cfg, families)
    print(
        f"verifier families: {sum(r.n for r in rows)} responses, verify {wall:.1f} s, "
        f"total {time.perf_counter() - t0:.1f} s\n"
    )
    print("| family | gold pass | wrong fail | n (gold + wrong) |\n|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.family} | {_pct(r.gold_rate)} ({r.gold_pass}/{r.gold_n}) | "
            f"{_pct(r.wrong_rate)} ({r.wrong_fail}/{r.wrong_n}) | {r.n} |"
        )
    misses = [(r.family, m) for r in rows for m in r.misses or []]
    print("\nDisagreements:" if misses else "\nNo disagreements.")
    for family, m in misses:
        print(f"- {family}: {m}")
    print()


def _reasoning_gym(args: argparse.Namespace, cfg: VerifyConfig) -> None:
    t0 = time.perf_counter()
    rows, wall = measure(args.size, args.seed, cfg, args.dataset)
    total = time.perf_counter() - t0
    print(
        f"reasoning-gym {rgym.library_version()}, size {args.size}, seed {args.seed}: {len(rows)} datasets, "
        f"verify {wall:.1f} s, total {total:.1f} s\n"
    )
    print("| dataset | tasks | gold pass | wrong fail | gold kept after lints |\n|---|---:|---:|---:|---:|")
    for r in rows:
        kept = _pct(r.gold_kept / r.gold_n if r.gold_n else None)
        print(f"| {r.dataset} | {r.n} | {_pct(r.gold_rate)} | {_pct(r.wrong_rate)} | {kept} |")
    g = sum(r.gold_pass for r in rows), sum(r.gold_n for r in rows)
    w = sum(r.wrong_fail for r in rows), sum(r.wrong_n for r in rows)
    k = sum(r.gold_kept for r in rows)
    print(f"| **all** | {sum(r.n for r in rows)} | {g[0]}/{g[1]} | {w[0]}/{w[1]} | {k}/{g[1]} |")


if __name__ == "__main__":
    main()
