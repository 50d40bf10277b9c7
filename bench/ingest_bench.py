"""Ingest + task dedup throughput on a generated task file (default 200k rows), with peak memory.

    PYTHONPATH=. python bench/ingest_bench.py [--rows 200000] [--repeat 3]

The file mixes layouts (problem/answer, question/choices, prompt/tests), ~4% bad rows, ~5% exact duplicates
(case/space changes) and ~5% near duplicates (one word changed). Prints one table: stage (read + normalise),
commit (dedup against the DB + write), total rows/s, peak RSS (this process and its dedup workers), then the
re-ingest of the unchanged file, a second file of new rows deduplicated against the stored tasks, and
decontamination against the example benchmark.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psutil

from pipeline.dedup.config import DedupConfig
from pipeline.ingest.api import ingest_paths, inputs_for, known_inputs
from pipeline.ingest.commit import commit_batch
from pipeline.ingest.config import BenchmarkConfig, IngestConfig, SourceConfig
from pipeline.ingest.decontam import decontaminate, load_benchmark
from pipeline.ingest.stage import stage_inputs
from pipeline.store import Store
from testing_support.task_rows import make_rows

EXAMPLE = Path(__file__).resolve().parents[1] / "pipeline" / "sample" / "benchmarks" / "example_bench.jsonl"


class PeakRss:
    """Peak RSS of this process plus its children (the dedup engine's worker processes), sampled."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                rss = 0
            self.peak = max(self.peak, rss)
            time.sleep(0.05)

    def __enter__(self) -> PeakRss:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def one_run(tmp: Path, data: Path, extra: Path) -> dict[str, float]:
    db = tmp / f"b{time.monotonic_ns()}.duckdb"
    cfg, dcfg = IngestConfig(), DedupConfig()
    out: dict[str, float] = {}
    with Store.open(db) as store, PeakRss() as mem:
        t0 = time.perf_counter()
        inputs = inputs_for([SourceConfig(name="bench", path=str(data))])
        staged = stage_inputs(inputs, cfg, tmp / "staging", known_inputs(store))
        t1 = time.perf_counter()
        rep = commit_batch(store, staged, dcfg)
        t2 = time.perf_counter()
        again = ingest_paths(store, [data], source="bench")
        t3 = time.perf_counter()
        rep2 = ingest_paths(store, [extra], source="bench2")
        t4 = time.perf_counter()
        decontaminate(store, [load_benchmark(BenchmarkConfig(name="example", path=str(EXAMPLE)))])
        t5 = time.perf_counter()
    assert rep.read == rep.ingested + rep.quarantined + rep.duplicate
    assert again.metadata["read"] == 0
    out.update(
        rows=rep.read,
        ingested=rep.ingested,
        quarantined=rep.quarantined,
        duplicate=rep.duplicate,
        stage_s=t1 - t0,
        commit_s=t2 - t1,
        total_s=t2 - t0,
        rows_per_s=rep.read / (t2 - t0),
        reingest_s=t3 - t2,
        second_rows=rep2.metadata["read"],
        second_dup=rep2.metadata["duplicate"],
        second_s=t4 - t3,
        decontam_s=t5 - t4,
        peak_rss_mib=mem.peak / 2**20,
        maxrss_self_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        data = tmp / "tasks.jsonl"
        data.write_text("\n".join(make_rows(args.rows, 0, "a")) + "\n", encoding="utf-8")
        extra_rows = make_rows(args.rows // 10, 1, "b")
        # a tenth of the second file repeats stored prompts: dedup against the DB must catch them
        head = [x for x in data.read_text(encoding="utf-8").splitlines()[:5000] if x.startswith('{"problem": "[')]
        # with the stored answer: another one would make them `conflicting_answers`, not duplicates
        reuse = [json.dumps({"problem": (r := json.loads(x))["problem"].lower(), "answer": r["answer"]}) for x in head]
        extra = tmp / "extra.jsonl"
        extra.write_text("\n".join(extra_rows + reuse[: args.rows // 100]) + "\n", encoding="utf-8")
        size_mb = data.stat().st_size / 2**20
        runs = [one_run(tmp, data, extra) for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(
        f"ingest bench: {args.rows:,} rows ({size_mb:.0f} MiB JSONL), {psutil.cpu_count()} cores, "
        f"median of {args.repeat}"
    )
    print("| metric | value |\n|---|---:|")
    rows = [
        ("rows read", f"{med['rows']:,.0f}"),
        ("ingested", f"{med['ingested']:,.0f}"),
        ("quarantined", f"{med['quarantined']:,.0f}"),
        ("duplicate", f"{med['duplicate']:,.0f}"),
        ("stage: read + normalise (s)", f"{med['stage_s']:.1f}"),
        ("commit: dedup + write (s)", f"{med['commit_s']:.1f}"),
        ("total ingest + dedup (s)", f"{med['total_s']:.1f}"),
        ("throughput (rows/s)", f"{med['rows_per_s']:,.0f}"),
        ("peak RSS incl. workers (MiB)", f"{med['peak_rss_mib']:,.0f}"),
        ("re-ingest unchanged file (s)", f"{med['reingest_s']:.2f}"),
        (f"second file {med['second_rows']:,.0f} rows vs stored tasks (s)", f"{med['second_s']:.1f}"),
        ("  of which duplicates", f"{med['second_dup']:,.0f}"),
        ("decontaminate all tasks vs example bench (s)", f"{med['decontam_s']:.1f}"),
    ]
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
