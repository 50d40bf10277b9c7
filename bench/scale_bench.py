"""Scale bench (issue 16): ingest of N task rows, and build + export + publish bundle of an N-row version.

    python -m bench scale --rows 1000000              # one table: ingest, build, export, publish files
    python -m bench scale --rows 1000000 --repeat 3   # medians of 3 runs (wall and peak RSS)
    python -m bench scale --rows 1000000 --only ingest
    python -m bench scale --rows 1000000 --only version

Each phase runs in its own child process (`--phase`), so its peak RSS (`ru_maxrss`: Python, polars and DuckDB
together) is its own. Ingest reads a generated JSONL file (the rows of `ingest_bench`: mixed layouts, ~4% bad
rows, ~10% exact and near duplicates) into a fresh database, twice: with the default config (task dedup on:
exact and near duplicates) and with `ingest.dedup: false` (no dedup engine; ids still checked); then a second
file of N rows (other seeds) into a store the first file filled, to show that memory and time do not grow with the
tasks already stored. The version bench
seeds N tasks with one selected, verified trace each (70% think with ~1 KB of think text, 30% no-think) straight
into DuckDB, then times `build_version` and `export_version` (messages, Parquet + JSONL; text, Parquet) and the
publish files (`write_bundle`: Parquet shards and the card). Never run inside tests.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

SEED_SQL = """
INSERT INTO tasks (task_id, source, domain, prompt, answer, verifier, verifier_args, license, metadata, prompt_hash,
                   created_at)
SELECT 't' || lpad(i::VARCHAR, 8, '0'), 'bench', ['math', 'code', 'science_mcq'][1 + i % 3],
       'Problem ' || i || ': what is ' || (i % 977) || ' plus ' || (i % 13) || '? Give the number.',
       ((i % 977) + (i % 13))::VARCHAR, 'exact', '{}', 'MIT', '{}', md5(i::VARCHAR), now()
FROM range(?) r(i);
INSERT INTO generations (key, task_id, mode, sample_index, backend, model, template_version, messages,
                         sampling_params, raw_text, think, answer, finish_reason, created_at)
SELECT 'g' || lpad(i::VARCHAR, 8, '0'), 't' || lpad(i::VARCHAR, 8, '0'), m, 0, 'batch',
       'NousResearch/Hermes-4-14B', 't1', '[]', '{}',
       CASE WHEN m = 'think' THEN '<think>\n' || th || '\n</think>\n\n' || ans ELSE ans END,
       CASE WHEN m = 'think' THEN th END, ans, 'stop', now()
FROM (SELECT i, CASE WHEN i % 10 < 7 THEN 'think' ELSE 'no_think' END AS m,
             repeat('We add the two numbers step ' || i || ' and check the carry. ', 16) AS th,
             'The answer is ' || ((i % 977) + (i % 13)) || '.' AS ans
      FROM range(?) r(i));
INSERT INTO verdicts (generation_key, task_id, mode, verifier, passed, think_tokens, answer_tokens, created_at)
SELECT key, task_id, mode, 'exact', true, CASE WHEN think IS NULL THEN NULL ELSE 180 END, 5, now()
FROM generations;
INSERT INTO trace_selection (generation_key, task_id, mode, selected, tokens, created_at)
SELECT key, task_id, mode, true, 185, now() + INTERVAL 1 SECOND FROM generations;
"""


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phase(name: str, db: Path, work: Path, rows: int) -> dict[str, Any]:
    """One measured phase, in this (child) process."""
    from pipeline.config import ThinkmillConfig
    from pipeline.store import Store

    out: dict[str, Any] = {}
    if name in ("ingest", "ingest-nodedup", "ingest-more"):
        from pipeline.dedup.config import DedupConfig
        from pipeline.ingest.api import inputs_for, known_inputs
        from pipeline.ingest.commit import commit_batch
        from pipeline.ingest.config import IngestConfig, SourceConfig
        from pipeline.ingest.stage import stage_inputs

        source = "tasks-more.jsonl" if name == "ingest-more" else "tasks.jsonl"
        with Store.open(db) as store:
            before = store.count("tasks")
            base = _rss_mib()
            t0 = time.perf_counter()
            staged = stage_inputs(
                inputs_for([SourceConfig(name="bench", path=str(work / source))]),
                IngestConfig(),
                work / f"staging-{name}",
                known_inputs(store),
            )
            t1 = time.perf_counter()
            stage_rss = _rss_mib()
            rep = commit_batch(store, staged, None if name == "ingest-nodedup" else DedupConfig())
            t2 = time.perf_counter()
        out = {
            "stage_s": t1 - t0,
            "commit_s": t2 - t1,
            "wall_s": t2 - t0,
            "read": rep.read,
            "ingested": rep.ingested,
            "duplicate": rep.duplicate,
            "quarantined": rep.quarantined,
            "stage_rss_mib": stage_rss,
            "base_rss_mib": base,
            "stored_before": before,
        }
    elif name == "seed":
        with Store.open(db) as store, store.writing() as w:
            for stmt in filter(str.strip, SEED_SQL.split(";")):
                w.execute(stmt, [rows] if "range(?)" in stmt else None)
    elif name == "build":
        from pipeline.dataset.versions import run as build_version

        cfg = ThinkmillConfig.model_validate({"balance": {"enforce_ratio": False}})
        with Store.open(db) as store:
            t0 = time.perf_counter()
            res = build_version(store, cfg)
            out = {"wall_s": time.perf_counter() - t0, "rows": res.metadata["rows"]}
    elif name.startswith("export-"):
        from pipeline.dataset.export import export_version

        fmt, files = {"export-messages": ("messages", ("parquet", "jsonl")), "export-text": ("text", ("parquet",))}[
            name
        ]
        with Store.open(db, read_only=True) as store:
            t0 = time.perf_counter()
            written = export_version(store, "v1", fmt, work / name, ThinkmillConfig(), files)  # type: ignore[arg-type]
            out = {
                "wall_s": time.perf_counter() - t0,
                "files": len(written),
                "mib": sum(p.stat().st_size for p in written) / 2**20,
            }
    elif name == "publish-files":
        from pipeline.dataset.publish import write_bundle

        with Store.open(db, read_only=True) as store:
            t0 = time.perf_counter()
            files = write_bundle(store, "v1", work / name)
            out = {
                "wall_s": time.perf_counter() - t0,
                "files": len(files),
                "mib": sum(p.stat().st_size for p in files.values()) / 2**20,
            }
    else:
        raise SystemExit(f"unknown phase {name!r}")
    out["peak_rss_mib"] = _rss_mib()
    use = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = use.ru_utime + use.ru_stime  # every thread of the phase (polars, DuckDB); imports included
    return out


def _run_phase(name: str, db: Path, work: Path, rows: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "scale",
            "--phase",
            name,
            "--db",
            str(db),
            "--work",
            str(work),
            "--rows",
            str(rows),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _write_tasks(path: Path, rows: int, seed: int = 0, tag: str = "c") -> None:
    from bench.ingest_bench import make_rows

    chunk = 100_000
    with path.open("w", encoding="utf-8") as f:
        for k, start in enumerate(range(0, rows, chunk)):
            f.write("\n".join(make_rows(min(chunk, rows - start), seed + k, f"{tag}{k}-")) + "\n")


def _median_phase(name: str, db: Path, work: Path, rows: int, repeat: int) -> dict[str, Any]:
    """Median wall time and peak RSS of `repeat` runs of a phase (a fresh database for each ingest run)."""
    runs = []
    for k in range(repeat):
        target = db.with_name(f"{db.stem}-{k}{db.suffix}") if name.startswith("ingest") else db
        runs.append(_run_phase(name, target, work, rows))
        if name.startswith("ingest"):
            target.unlink(missing_ok=True)
    out = dict(runs[-1])
    for key in ("wall_s", "stage_s", "commit_s", "peak_rss_mib", "stage_rss_mib", "cpu_s"):
        if key in out:
            out[key] = statistics.median(r[key] for r in runs)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench scale")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs per phase; the table shows medians")
    ap.add_argument("--only", choices=["ingest", "version"], default=None)
    ap.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        print(json.dumps(_phase(args.phase, args.db, args.work, args.rows)))
        return
    table: list[tuple[str, ...]] = []
    rep = args.repeat
    with tempfile.TemporaryDirectory(prefix="thinkmill-scale-") as d:
        work = Path(d)
        if args.only in (None, "ingest"):
            _write_tasks(work / "tasks.jsonl", args.rows)
            size = (work / "tasks.jsonl").stat().st_size / 2**20
            for phase, label in (("ingest", "dedup on (default)"), ("ingest-nodedup", "ingest.dedup: false")):
                r = _median_phase(phase, work / "ingest.duckdb", work, args.rows, rep)
                table += [
                    (
                        f"ingest {r['read']:,} rows ({size:.0f} MiB JSONL), {label}: stage (read + normalise)",
                        f"{r['stage_s']:.1f}",
                        f"{r['read'] / r['stage_s']:,.0f}",
                        f"{r['stage_rss_mib']:,.0f}",
                        "",
                    ),
                    (f"ingest, {label}: commit (dedup + write)", f"{r['commit_s']:.1f}", "", "", ""),
                    (
                        f"**ingest, {label}: total** ({r['ingested']:,} tasks, {r['duplicate']:,} duplicates, "
                        f"{r['quarantined']:,} quarantined)",
                        f"{r['wall_s']:.1f}",
                        f"{r['read'] / r['wall_s']:,.0f}",
                        f"{r['peak_rss_mib']:,.0f}",
                        f"{r['cpu_s']:.1f}",
                    ),
                ]
            # a second file of as many rows (other seeds) into the store the first one filled: memory and time
            # must not grow with the tasks already stored (their prompts are streamed from DuckDB, not held)
            _write_tasks(work / "tasks-more.jsonl", args.rows, seed=100, tag="d")
            filled = work / "filled.duckdb"
            _run_phase("ingest", filled, work, args.rows)
            runs = []
            for k in range(rep):
                target = work / f"more-{k}.duckdb"
                shutil.copyfile(filled, target)
                runs.append(_run_phase("ingest-more", target, work, args.rows))
                target.unlink()
            r = dict(runs[-1])
            for key in ("wall_s", "stage_s", "commit_s", "peak_rss_mib", "cpu_s"):
                r[key] = statistics.median(x[key] for x in runs)
            table += [
                (
                    f"**ingest {r['read']:,} more rows into the store of {r['stored_before']:,} tasks, dedup on: "
                    f"total** ({r['ingested']:,} tasks, {r['duplicate']:,} duplicates; commit {r['commit_s']:.1f} s)",
                    f"{r['wall_s']:.1f}",
                    f"{r['read'] / r['wall_s']:,.0f}",
                    f"{r['peak_rss_mib']:,.0f}",
                    f"{r['cpu_s']:.1f}",
                )
            ]
        if args.only in (None, "version"):
            db = work / "version.duckdb"
            _run_phase("seed", db, work, args.rows)
            for phase in ("build", "export-messages", "export-text", "publish-files"):
                # build makes v1 once; later runs find the same content and make no new version
                r = _median_phase(phase, db, work, args.rows, rep)
                what = {
                    "build": f"**build_version** ({r.get('rows', 0):,} rows)",
                    "export-messages": "**export messages** (Parquet + JSONL)",
                    "export-text": "export text (Parquet)",
                    "publish-files": "publish files (Parquet shards + card)",
                }[phase]
                if "files" in r:
                    what += f": {r['files']} files, {r['mib']:,.0f} MiB"
                table.append(
                    (
                        what,
                        f"{r['wall_s']:.1f}",
                        f"{args.rows / r['wall_s']:,.0f}",
                        f"{r['peak_rss_mib']:,.0f}",
                        f"{r['cpu_s']:.1f}",
                    )
                )
    print(
        f"scale bench: {args.rows:,} rows, {psutil.cpu_count()} cores, medians of {rep} run(s), load average "
        f"{psutil.getloadavg()[0]:.1f} at the end"
    )
    # CPU seconds of the whole phase process (all threads, imports included): on a shared machine the wall time
    # follows the load, the CPU time much less
    print("| phase | wall (s) | rows/s | peak RSS (MiB) | CPU (s) |\n|---|---:|---:|---:|---:|")
    for row in table:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
