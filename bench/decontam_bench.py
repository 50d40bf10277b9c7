"""Decontamination at scale: `find_contamination` of N tasks against a benchmark of M items (MMLU's test split
has 14,042), and its fuzzy check side by side with scoring every pair (how it ran before).

    python -m bench decontam [--tasks 200000] [--items 14000] [--seed 0]

Tasks are 4-120 random words from a 5,000-word vocabulary and a number, items 4-40 (so about a third of the items
are short enough for the fuzzy check); 50 items are planted as tasks. The table shows the whole check's wall time,
the fuzzy check's alone both ways (the same pairs found: checked), and the pairs each scored.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipeline.dedup.normalize import normalize_series
from pipeline.ingest import decontam
from pipeline.ingest.config import DecontamConfig


def _texts(rnd: random.Random, n: int, lo: int, hi: int) -> list[str]:
    vocab = [f"w{i}" for i in range(5000)] + ["what", "is", "the", "of", "a", "to", "and", "which", "following"]
    return [" ".join(rnd.choices(vocab, k=rnd.randint(lo, hi))) + f" {rnd.randint(0, 999)}?" for _ in range(n)]


def _every_pair(a: list[str], b: list[str], cutoff: float) -> tuple[set[tuple[int, int]], int]:
    """The fuzzy check as it ran before: every text of `a` scored against every text of `b`."""
    found: set[tuple[int, int]] = set()
    for s in range(0, len(a), 20_000):
        m = cdist(a[s : s + 20_000], b, scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1, dtype=np.float32)
        found.update((s + int(r), int(c)) for r, c in zip(*np.nonzero(m), strict=True))
    return found, len(a) * len(b)


def _windowed(a: list[str], b: list[str], cutoff: float) -> tuple[set[tuple[int, int]], int]:
    scored = [0]
    real = decontam.cdist

    def counting(x, y, **kw):  # type: ignore[no-untyped-def]
        scored[0] += len(x) * len(y)
        return real(x, y, **kw)

    decontam.cdist = counting
    try:
        return {(r, c) for r, c, _ in decontam._fuzzy_pairs(a, b, cutoff, -1)}, scored[0]
    finally:
        decontam.cdist = real


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench decontam")
    ap.add_argument("--tasks", type=int, default=200_000)
    ap.add_argument("--items", type=int, default=14_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    prompts = _texts(rnd, args.tasks, 4, 120)
    items = _texts(rnd, args.items, 4, 40)
    step = max(1, min(args.tasks, args.items) // 50)
    for k in range(0, min(args.tasks, args.items), step):
        prompts[k] = items[k]
    tasks = pl.DataFrame({"task_id": [f"t{i}" for i in range(args.tasks)], "prompt": prompts})
    bench = decontam.Benchmark("bench", pl.DataFrame({"item_id": [f"i{i}" for i in range(args.items)], "text": items}))
    cfg = DecontamConfig()

    t0 = time.perf_counter()
    hits = decontam.find_contamination(tasks, [bench], cfg)
    whole = time.perf_counter() - t0

    # the fuzzy check's two passes: short tasks x every item, every task x short items
    t_norm = normalize_series(tasks["prompt"]).to_list()
    i_norm = normalize_series(bench.items["text"]).to_list()
    t_short = [t for t in t_norm if len(t.split()) < cfg.short_prompt_words]
    i_short = [t for t in i_norm if len(t.split()) < cfg.short_prompt_words]
    cutoff = cfg.fuzzy_threshold * 100
    timings = {}
    for name, fn in (("every pair (before)", _every_pair), ("close lengths only", _windowed)):
        t0 = time.perf_counter()
        got1, n1 = fn(t_short, i_norm, cutoff)
        got2, n2 = fn(t_norm, i_short, cutoff)
        timings[name] = (time.perf_counter() - t0, n1 + n2, len(got1) + len(got2), (got1, got2))
    (before_s, *_, before_sets), (after_s, *_, after_sets) = timings.values()
    if before_sets != after_sets:
        raise SystemExit("the two fuzzy checks found different pairs")
    print(f"decontam bench: {args.tasks:,} tasks x {args.items:,} items ({len(i_short):,} short), seed {args.seed}")
    methods = dict(hits["method"].value_counts().rows())
    print(f"find_contamination, whole: {whole:.1f} s, {hits.height:,} hits {methods}")
    print("| fuzzy check | wall (s) | pairs scored | pairs found |\n|---|---:|---:|---:|")
    for name, (s, n, found, _) in timings.items():
        print(f"| {name} | {s:.1f} | {n:,} | {found:,} |")
    print(f"speed-up {before_s / after_s:.1f}x, same pairs found")


if __name__ == "__main__":
    main()
