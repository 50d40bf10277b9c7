"""Fault-injection report: run each fault scenario and print what was injected, survived and lost.

    python -m bench faults            # all scenarios
    python -m bench faults --tasks 40 --rate 0.2 --kills 3

Scenarios (the same faults the reliability tests assert on, at a larger scale and reported, never asserted):
  generate:random-faults   OpenAI-compatible loopback server failing 20% of requests (500, 429 + Retry-After,
                           timeouts, dropped connections, truncated JSON)
  generate:sigkill-rerun   the generating process SIGKILLed at random points, then rerun
  generate:server-down     no server for the whole run
  store:sigkill-writer     a writer SIGKILLed at random moments while committing dataset versions
  store:concurrent         two processes writing versions into one file at once
  store:disk-full          a 4 MiB tmpfs filled up while writing (needs root; else n/a)
Columns: injected faults, survived (run finished with the promised state, or failed with a clear error where
that is the promise), rows lost (committed/finished rows missing afterwards), retries (requests re-sent).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.config import ThinkmillConfig
from pipeline.store import Store, StoreDiskFullError

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    fault: str
    injected: int | str
    survived: bool | str
    rows_lost: int | str
    retries: int | str
    note: str = ""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# --------------------------------------------------------------------------------------------- generate
def _seed(db: Path, n: int) -> None:
    rows = [
        {
            "task_id": f"t{i:04d}",
            "source": "bench",
            "domain": "math",
            "prompt": f"What is {i} + {i}?",
            "answer": str(2 * i),
            "verifier": "math",
            "verifier_args": {},
            "metadata": {},
        }
        for i in range(n)
    ]
    with Store.open(db) as s:
        s.insert("tasks", pl.DataFrame(rows))


def _cfg(url: str, tmp: Path, **openai: object) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp
    g = cfg.generate
    g.backend, g.model, g.samples_think, g.samples_no_think = "openai", "stub-model", 2, 1
    g.write_batch_rows, g.write_interval_s = 8, 0.05
    o = g.openai
    o.base_urls, o.max_in_flight, o.timeout_s, o.max_retries = [url], 8, 0.5, 6
    o.backoff_initial_s, o.backoff_max_s = 0.01, 0.05
    for k, v in openai.items():
        setattr(o, k, v)
    return cfg


def _gens(db: Path) -> pl.DataFrame:
    with Store.open(db, read_only=True) as s:
        return s.read("generations")


def generate_random_faults(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    from pipeline.generate.request import build_requests
    from pipeline.generate.runner import run as run_generation
    from testing_support.openai_stub import OpenAIStub

    db = tmp / "rf.duckdb"
    _seed(db, n_tasks)
    with OpenAIStub(fault_rate=rate, seed=1, hang_s=0.8) as stub:
        cfg = _cfg(stub.url, tmp)
        with Store.open(db) as s:
            run_generation(s, cfg)
            keys = {r.key for r in build_requests(s.read("tasks"), cfg.generate)}
    gens = _gens(db)
    ok = gens.filter(pl.col("error").is_null())
    lost = len(keys - set(ok["key"]))
    dup = gens.height - gens["key"].n_unique()
    by_kind = ", ".join(f"{k} {v}" for k, v in sorted(stub.stats.faults.items()))
    return Row(
        f"generate: {rate:.0%} random faults",
        sum(stub.stats.faults.values()),
        lost == 0 and dup == 0,
        lost,
        int(gens["retries"].sum()),
        f"{len(keys)} requests; {by_kind}; max retries/request {gens['retries'].max()}",
    )


CHILD = """
import sys
from pipeline.config import ThinkmillConfig
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
cfg = ThinkmillConfig.model_validate_json(sys.argv[2])
with Store.open(sys.argv[1]) as s:
    run_generation(s, cfg)
"""


def generate_sigkill(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    from pipeline.generate.runner import run as run_generation
    from testing_support.openai_stub import OpenAIStub

    ref_db, db = tmp / "ref.duckdb", tmp / "kill.duckdb"
    _seed(ref_db, n_tasks)
    _seed(db, n_tasks)
    with OpenAIStub() as ref, Store.open(ref_db) as s:
        run_generation(s, _cfg(ref.url, tmp))
    reference = _gens(ref_db)
    rng = random.Random(5)
    with OpenAIStub() as stub:
        cfg = _cfg(stub.url, tmp, max_in_flight=2)
        done = 0
        for _ in range(kills):
            proc = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(db), cfg.model_dump_json()],
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            target = done + rng.randint(2, max(3, reference.height // (kills + 1)))
            while proc.poll() is None and sum(stub.stats.ok.values()) < target:
                time.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            done = sum(stub.stats.ok.values())
        stored = _gens(db)
        before = stub.stats.ok.copy()
        with Store.open(db) as s:
            run_generation(s, cfg)
        answered_again = sum(
            1
            for raw in stored["raw_text"].drop_nulls()
            for fp, n in stub.stats.ok.items()
            if fp in raw and n > before[fp]
        )
    final = _gens(db)
    lost = len(set(reference["key"]) - set(final["key"]))
    same = final["key"].to_list() == reference["key"].to_list()
    return Row(
        "generate: SIGKILL + rerun",
        kills,
        same and answered_again == 0,
        lost,
        answered_again,
        f"{stored.height} of {reference.height} stored before the rerun; retries = stored requests re-sent",
    )


def generate_server_down(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    from pipeline.generate.runner import run as run_generation
    from testing_support.openai_stub import OpenAIStub, closed_port_url

    db = tmp / "down.duckdb"
    _seed(db, n_tasks)
    with OpenAIStub() as stub, Store.open(db) as s:
        run_generation(s, _cfg(stub.url, tmp), tasks=s.read("tasks").head(n_tasks // 2))
    before = _gens(db)
    url = closed_port_url()
    try:
        with Store.open(db) as s:
            run_generation(s, _cfg(url, tmp, max_retries=2))
        clear, msg = False, "no error raised"
    except Exception as exc:
        msg = str(exc)
        clear = url in msg
    after = _gens(db)
    lost = len(set(before["key"]) - set(after["key"]))
    return Row("generate: server down", 1, clear and lost == 0, lost, 2, msg[:70])


# ------------------------------------------------------------------------------------------------ store
WRITER = """
import sys
import polars as pl
from pipeline.store import Store
N = 40
def version(i):
    v = f"v{i}"
    head = pl.DataFrame([{"version_id": v, "content_hash": f"h{i}", "config": "{}", "counts": "{}"}])
    rows = pl.DataFrame({"version_id": [v] * N, "example_id": [f"{v}-{j}" for j in range(N)],
                         "split": ["train"] * N, "mode": ["think"] * N, "messages": ["[]"] * N,
                         "task_id": ["t"] * N, "generation_key": [f"k{j}" for j in range(N)],
                         "domain": ["math"] * N})
    return {"dataset_versions": head, "dataset_rows": rows}
start, count = int(sys.argv[2]), int(sys.argv[3])
with Store.open(sys.argv[1], lock_timeout_s=60) as s:
    for i in range(start, start + count):
        s.insert_many(version(i))
        print(f"v{i}", flush=True)
"""


def _versions(db: Path) -> tuple[set[str], int]:
    """(whole versions, versions with missing or orphan rows)."""
    with Store.open(db, lock_timeout_s=10) as s:
        df = s.query(
            "SELECT v.version_id, count(r.example_id) AS n FROM dataset_versions v "
            "LEFT JOIN dataset_rows r USING (version_id) GROUP BY v.version_id"
        )
        orphans = s.query(
            "SELECT count(DISTINCT version_id) AS n FROM dataset_rows WHERE version_id NOT IN "
            "(SELECT version_id FROM dataset_versions)"
        )["n"][0]
    whole = set(df.filter(pl.col("n") == 40)["version_id"])
    return whole, int(orphans) + df.height - len(whole)


def store_sigkill(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    db = tmp / "kill-store.duckdb"
    rng = random.Random(7)
    committed: set[str] = set()
    nxt = 0
    for _ in range(kills):
        p = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(nxt), "100000"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert p.stdout is not None
        committed.add(p.stdout.readline().strip())
        time.sleep(rng.uniform(0.05, 0.5))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        committed |= set(out.split())
        whole, _ = _versions(db)
        nxt = max(int(v[1:]) for v in whole) + 1
    whole, partial = _versions(db)
    lost = len(committed - whole)
    return Row(
        "store: SIGKILL mid-write",
        kills,
        lost == 0 and partial == 0,
        lost,
        "-",
        f"{len(whole)} versions whole, {partial} partial",
    )


def store_concurrent(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    db = tmp / "both.duckdb"
    code = WRITER.replace(
        "with Store.open(sys.argv[1], lock_timeout_s=60) as s:\n    for i in range(start, start + count):\n",
        "for i in range(start, start + count):\n    with Store.open(sys.argv[1], lock_timeout_s=60) as s:\n",
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db), str(start), "8"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for start in (0, 100)
    ]
    failed = sum(p.wait() != 0 for p in procs)
    whole, partial = _versions(db)
    lost = 16 - len(whole)
    return Row(
        "store: two writers at once",
        1,
        failed == 0 and lost == 0 and partial == 0,
        lost,
        "-",
        "lock waits with backoff",
    )


def store_disk_full(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    mnt = Path(tempfile.mkdtemp(prefix="thinkmill-bench-fs-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        mnt.rmdir()
        return Row("store: disk full", "n/a", "n/a", "n/a", "-", "cannot mount a tmpfs (needs root)")
    try:
        db = mnt / "full.duckdb"
        big = pl.DataFrame(
            [
                {
                    "task_id": f"b{i}",
                    "source": "s",
                    "domain": "math",
                    "prompt": os.urandom(600).hex(),
                    "verifier": "math",
                    "verifier_args": "{}",
                    "metadata": "{}",
                }
                for i in range(1000)
            ]
        )
        committed, error = 0, ""
        with Store.open(db) as s:
            try:
                for i in range(100):
                    s.insert("tasks", big.with_columns(pl.col("task_id") + f"-{i}"))
                    committed += big.height
            except StoreDiskFullError as exc:
                error = str(exc)
        with Store.open(db, read_only=True) as s:
            kept = s.count("tasks")
        return Row(
            "store: disk full",
            1,
            bool(error) and kept == committed,
            committed - kept,
            "-",
            f"{committed} rows committed before the disk filled",
        )
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
        mnt.rmdir()


# ---------------------------------------------------------------------------------------------- publish
def publish_interrupted(tmp: Path, n_tasks: int, rate: float, kills: int) -> Row:
    """SIGKILL `thinkmill publish` right after the Hub handled preupload / commit / tag, then rerun in process:
    the repo must end with exactly the version's files, its tag, and one publication row."""
    from pipeline.config import SAMPLE_CONFIG, load_config
    from pipeline.dataset.publish import bundle, pretty_name_for, publish_version
    from pipeline.dataset.versions import run as build_version
    from testing_support.hub_stub import HubStub
    from testing_support.seed import populate

    token, repo_id = "hf_benchFAULTtoken", "acme/faults"
    cfg = load_config(SAMPLE_CONFIG)
    survived, lost, commits_redone, notes = True, 0, 0, []
    for kill_at in ("preupload", "commit", "tag"):
        db = tmp / f"pub-{kill_at}.duckdb"
        with Store.open(db) as s:
            populate(s, n_tasks=max(n_tasks, 10))
            build_version(s, cfg)
        with HubStub() as hub:
            victim: dict[str, subprocess.Popen[str]] = {}
            fired = hub.kill_after(kill_at, victim)
            victim["p"] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pipeline.cli",
                    "publish",
                    "--version",
                    "v1",
                    "--repo",
                    repo_id,
                    "--endpoint",
                    hub.url,
                    "--db",
                    str(db),
                    "--config",
                    str(SAMPLE_CONFIG),
                ],
                cwd=ROOT,
                env={**_env(), "HF_TOKEN": token, "HF_HUB_DISABLE_TELEMETRY": "1"},
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            victim["p"].communicate(timeout=120)
            commits_before = len(hub.calls("commit"))
            os.environ["HF_TOKEN"] = token
            try:
                with Store.open(db) as s:
                    res = publish_version(s, "v1", repo_id, cfg, endpoint=hub.url, retry_wait_max=0.01)
                    expected = bundle(
                        s, "v1", pretty_name=pretty_name_for(cfg, repo_id), tags=cfg.publish.tags, repo=repo_id
                    )
                    pubs = s.count("publications")
            finally:
                os.environ.pop("HF_TOKEN", None)
            files = hub.files(repo_id, "v1")
            files.pop(".gitattributes", None)
            missing_or_wrong = sum(1 for k, v in expected.items() if files.get(k) != v) + len(
                set(files) - set(expected)
            )
            ok = (
                fired.is_set()
                and missing_or_wrong == 0
                and hub.repos[repo_id].tags == {"v1": res.revision}
                and pubs == 1
            )
            survived &= ok
            lost += missing_or_wrong
            commits_redone += len(hub.calls("commit")) - commits_before
            notes.append(f"{kill_at}:{'ok' if ok else 'BAD'}")
    return Row(
        "publish: SIGKILL + rerun",
        3,
        survived,
        lost,
        commits_redone,
        f"killed after {', '.join(notes)}; rows lost = files missing/extra/wrong; retries = commits on rerun",
    )


SCENARIOS: list[tuple[str, Callable[[Path, int, float, int], Row]]] = [
    ("generate:random-faults", generate_random_faults),
    ("generate:sigkill-rerun", generate_sigkill),
    ("generate:server-down", generate_server_down),
    ("store:sigkill-writer", store_sigkill),
    ("store:concurrent", store_concurrent),
    ("store:disk-full", store_disk_full),
    ("publish:sigkill-rerun", publish_interrupted),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", type=int, default=40, help="tasks per generate scenario (3 requests each)")
    ap.add_argument("--rate", type=float, default=0.2, help="fault rate of the random-fault server")
    ap.add_argument("--kills", type=int, default=3, help="SIGKILLs per kill scenario")
    ap.add_argument("--only", default=None, help="run scenarios whose name contains this")
    args = ap.parse_args(argv)
    rows: list[Row] = []
    for name, fn in SCENARIOS:
        if args.only and args.only not in name:
            continue
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="thinkmill-faults-") as tmp:
            try:
                row = fn(Path(tmp), args.tasks, args.rate, args.kills)
            except ImportError as exc:
                row = Row(name, "n/a", "n/a", "n/a", "n/a", f"stage not available: {exc.name}")
            except Exception as exc:  # a crash is a result too: the fault was not survived
                row = Row(name, "?", False, "?", "?", f"crashed: {type(exc).__name__}: {str(exc)[:60]}")
        row.note = f"{row.note} [{time.perf_counter() - t0:.1f}s]"
        rows.append(row)
        print(f"  done {name}", file=sys.stderr)
    head = f"{'fault':<30} {'injected':>8} {'survived':>8} {'rows lost':>9} {'retries':>8}  note"
    print(head)
    print("-" * len(head))
    for r in rows:
        surv = r.survived if isinstance(r.survived, str) else ("yes" if r.survived else "NO")
        print(f"{r.fault:<30} {r.injected!s:>8} {surv:>8} {r.rows_lost!s:>9} {r.retries!s:>8}  {r.note}")
    return 0 if all(r.survived is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
