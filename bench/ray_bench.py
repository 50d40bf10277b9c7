"""Verify and dedup on the local executor and on a local Ray with 1 and 2 workers, side by side in one table.

    python -m bench ray [--verify 2000] [--code 40] [--dedup 20000] [--shard-rows 2000]

Verify: math responses (and a few sandboxed code responses) in a fresh database, judged by the verify stage
(`pipeline.verify.db.run`): local (the process pool over every core), then `executor: ray` on a Ray started with
`num_cpus` 1 and 2 (one shard task per CPU). Dedup: the planted corpus (`testing_support/dedup_corpus.py`, ~300
words per trace) through `dedup_texts`, local and on Ray. For each run: wall time, rows/s, the scaling efficiency
of 2 workers against 1 (speed-up / 2), and for Ray the bytes written to `shared_dir` (input shards, results, and
for dedup the LSH shuffle), which is the data a real cluster moves over the network. The figures feed the 100M
estimate in docs/scale.md. Ray's start (~6 s) is not timed; its per-job overhead (~1-2 s per Ray Data job) is.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl

from pipeline.config import ThinkmillConfig
from pipeline.dedup.engine import dedup_texts
from pipeline.executor import using
from pipeline.executor.config import ExecutorConfig
from pipeline.store import Store
from pipeline.verify import db as verify_db
from testing_support.dedup_corpus import planted_corpus


def _verify_db(path: Path, n_math: int, n_code: int) -> Path:
    tasks, gens = [], []
    for i in range(max(1, n_math // 4)):
        a, b = i % 50 + 1, i % 47 + 51
        tasks.append({"task_id": f"m{i}", "domain": "math", "prompt": f"{a}/{b}?", "answer": f"{a}/{b}",
                      "verifier": "math", "verifier_args": "{}"})  # fmt: skip
    code_args = json.dumps({"tests": "assert add(1, 2) == 3", "timeout_s": 2})
    tasks.append({"task_id": "c1", "domain": "code", "prompt": "add", "answer": None, "verifier": "code",
                  "verifier_args": code_args})  # fmt: skip
    n_tasks = len(tasks) - 1
    for j in range(n_math):
        a, b = j % n_tasks % 50 + 1, j % n_tasks % 47 + 51
        ans = rf"\boxed{{\frac{{{a * (j + 1)}}}{{{b * (j + 1)}}}}}" if j % 3 else rf"\boxed{{{a + 1}/{b}}}"
        gens.append((f"g{j:07d}", f"m{j % n_tasks}", f"<think>\nstep {j}\n</think>\n{ans}"))
    for j in range(n_code):
        body = "return a + b" if j % 2 else "return a - b"
        gens.append((f"c{j:07d}", "c1", f"<think>\nx\n</think>\n```python\ndef add(a, b):\n    {body}\n```"))
    with Store.open(path) as store:
        store.insert("tasks", pl.DataFrame([{**t, "source": "bench", "metadata": "{}"} for t in tasks]))
        store.insert(
            "generations",
            pl.DataFrame(
                [
                    {
                        "key": k,
                        "task_id": t,
                        "mode": "think",
                        "sample_index": 0,
                        "backend": "batch",
                        "model": "m",
                        "template_version": "1",
                        "messages": [],
                        "sampling_params": {},
                        "raw_text": x,
                    }
                    for k, t, x in gens
                ]
            ),
        )
    return path


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _ray(num_cpus: int) -> None:
    import ray

    if ray.is_initialized():
        ray.shutdown()
    # a Ray of its own (`local`): with a `ray start` cluster on this machine, ray.init() joined it and refused num_cpus
    ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False


def _executor(kind: str, shared: Path, shard_rows: int) -> ExecutorConfig:
    return ExecutorConfig(kind=kind, shared_dir=str(shared), shard_rows=shard_rows, keep_shards=True)  # type: ignore[arg-type]


def bench_verify(tmp: Path, n_math: int, n_code: int, shard_rows: int, workers: list[int]) -> list[dict]:
    template = _verify_db(tmp / "verify-template.duckdb", n_math, n_code)
    rows = []
    for label, kind, cpus in [("local", "local", 0), *((f"ray {k}w", "ray", k) for k in workers)]:
        path = tmp / f"verify-{label.replace(' ', '')}.duckdb"
        shutil.copy(template, path)
        shared = tmp / f"shared-verify-{label.replace(' ', '')}"
        if kind == "ray":
            _ray(cpus)
        cfg = ThinkmillConfig(executor=_executor(kind, shared, shard_rows), base_dir=tmp)
        with Store.open(path) as store:
            t0 = time.perf_counter()
            report = verify_db.run(store, cfg)
            wall = time.perf_counter() - t0
        rows.append(
            {
                "stage": "verify",
                "executor": label,
                "rows": report.rows_in,
                "wall_s": wall,
                "shared_dir_mb": _size(shared) / 2**20,
            }
        )
    return rows


def bench_dedup(tmp: Path, n_docs: int, shard_rows: int, workers: list[int]) -> list[dict]:
    corpus = planted_corpus(n_docs, seed=1)
    ids, texts = corpus["id"].cast(pl.String), corpus["text"]
    rows, results = [], []
    for label, kind, cpus in [("local", "local", 0), *((f"ray {k}w", "ray", k) for k in workers)]:
        shared = tmp / f"shared-dedup-{label.replace(' ', '')}"
        ex = _executor(kind, shared, shard_rows)
        if kind == "ray":
            _ray(cpus)
        t0 = time.perf_counter()
        with using(ex if kind == "ray" else None) as stats:
            res = dedup_texts(ids, texts)
        wall = time.perf_counter() - t0
        results.append(res)
        rows.append(
            {
                "stage": "dedup",
                "executor": label,
                "rows": n_docs,
                "wall_s": wall,
                "shared_dir_mb": _size(shared) / 2**20,
            }
        )
        if stats:
            shuffle = sum(_size(d) for d in shared.rglob("parts") if d.is_dir()) / 2**20
            phases = ", ".join(f"{k} {v:.1f}s" for k, v in stats["seconds_by_phase"].items())
            print(
                f"dedup {label}: {stats['shards']} shard tasks; phases (texts = hashing): {phases}; "
                f"LSH shuffle {shuffle:.1f} MiB"
            )
    same = all(r.equals(results[0]) for r in results[1:])
    print(f"dedup: clusters identical on every executor: {same}")
    return rows


def _table(rows: list[dict]) -> None:
    by = {(r["stage"], r["executor"]): r for r in rows}
    for r in rows:
        r["rows_per_s"] = r["rows"] / r["wall_s"]
        one, two = by.get((r["stage"], "ray 1w")), by.get((r["stage"], "ray 2w"))
        r["eff_2w_vs_1w"] = (one["wall_s"] / two["wall_s"] / 2) if (one and two and r is two) else None
    cols = ["stage", "executor", "rows", "wall_s", "rows_per_s", "eff_2w_vs_1w", "shared_dir_mb"]
    fmt = {"wall_s": "{:.1f}", "rows_per_s": "{:,.0f}", "eff_2w_vs_1w": "{:.2f}", "shared_dir_mb": "{:.1f}"}
    cells = [[("" if r[c] is None else fmt.get(c, "{}").format(r[c])) for c in cols] for r in rows]
    widths = [max(len(c), *(len(x[i]) for x in cells)) for i, c in enumerate(cols)]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for x in cells:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(x, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench ray", description=__doc__.split("\n\n")[0])
    ap.add_argument("--verify", type=int, default=2000, help="math responses to judge (0: skip verify)")
    ap.add_argument("--code", type=int, default=40, help="sandboxed code responses to judge")
    ap.add_argument("--dedup", type=int, default=20000, help="planted traces to deduplicate (0: skip dedup)")
    ap.add_argument("--shard-rows", type=int, default=2000, help="rows per shard")
    ap.add_argument("--workers", default="1,2", help="Ray worker counts (num_cpus of the local Ray)")
    args = ap.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    print(f"machine: {os.cpu_count()} CPUs; local Ray restarted per worker count; shards of {args.shard_rows} rows")
    with tempfile.TemporaryDirectory(prefix="thinkmill-ray-bench-") as d:
        tmp = Path(d)
        rows = bench_verify(tmp, args.verify, args.code, args.shard_rows, workers) if args.verify else []
        rows += bench_dedup(tmp, args.dedup, args.shard_rows, workers) if args.dedup else []
    _table(rows)


if __name__ == "__main__":
    main()
