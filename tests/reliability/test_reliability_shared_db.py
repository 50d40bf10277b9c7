"""A long generate run shares the database: other commands open it between generate's commits.

DuckDB locks the file per process, so a generate run that kept the store open for its whole run shut out even a
read-only `thinkmill db info`. The server here answers the first requests and then holds every further one
until the test lets it go; meanwhile `db info` and `verify` run beside the generate process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl
from reliability_harness import ROOT, child_env

from pipeline.store import Store
from testing_support.openai_stub import OpenAIStub

ANSWER_FIRST = 4  # requests answered before the server stalls


def _seed(db: Path, n: int) -> None:
    rows = [
        {
            "task_id": f"t{i}",
            "source": "s",
            "domain": "math",
            "prompt": f"What is {i} + {i}?",
            "answer": str(2 * i),
            "verifier": "exact",
            "verifier_args": {},
            "metadata": {},
        }
        for i in range(n)
    ]
    with Store.open(db) as s:
        s.insert("tasks", pl.DataFrame(rows))


def _config(tmp: Path, url: str) -> Path:
    path = tmp / "thinkmill.yaml"
    path.write_text(
        "generate:\n  backend: openai\n  model: stub-model\n  samples_think: 2\n  samples_no_think: 1\n"
        "  write_batch_rows: 1\n  write_interval_s: 0.05\n"
        f"  openai:\n    base_urls: [{url}]\n    max_in_flight: 2\n    timeout_s: 60\n    max_retries: 0\n"
    )
    return path


def _cli(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return r, time.monotonic() - t0


def test_db_info_and_verify_run_beside_a_stalled_generate(tmp_path: Path) -> None:
    db = tmp_path / "shared.duckdb"
    _seed(db, 4)  # 12 requests
    release = threading.Event()
    seen = {"n": 0}
    lock = threading.Lock()

    def stall_after_first(body: dict[str, Any]) -> None:
        with lock:
            seen["n"] += 1
            n = seen["n"]
        if n > ANSWER_FIRST:
            release.wait(120)  # a slow server: no answer until the test says so
        return None

    with OpenAIStub() as stub:
        stub.fault_for = stall_after_first
        cfg = _config(tmp_path, stub.url)
        gen = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline.cli",
                "generate",
                "--db",
                str(db),
                "--config",
                str(cfg),
                "--no-progress",
                "--lock-timeout",
                "60",
            ],
            cwd=ROOT,
            env=child_env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while sum(stub.stats.ok.values()) < ANSWER_FIRST or seen["n"] <= ANSWER_FIRST:
                assert gen.poll() is None, gen.communicate()[1][-2000:]
                assert time.monotonic() < deadline, "the generate run never reached the stalled server"
                time.sleep(0.05)
            time.sleep(1.0)  # the answered results are committed (write_batch_rows 1)

            info, took = _cli("db", "info", "--db", str(db), "--json", "--lock-timeout", "5")
            assert info.returncode == 0, info.stderr[-2000:]
            assert took < 5, f"db info took {took:.1f}s while generate was waiting on the server"
            assert json.loads(info.stdout)["tables"]["generations"] == ANSWER_FIRST

            judged, took = _cli("verify", "--db", str(db), "--config", str(cfg), "--no-progress", "--lock-timeout", "5")
            assert judged.returncode == 0, judged.stderr[-2000:]
            assert f"judged {ANSWER_FIRST} generations" in judged.stdout, judged.stdout
            assert gen.poll() is None  # generate is still running: it was waiting all along
        finally:
            release.set()
            out, err = gen.communicate(timeout=120)
    assert gen.returncode == 0, err[-2000:]
    assert "ok: 12" in out, out
    with Store.open(db, read_only=True) as s:
        assert s.count("generations") == 12
        assert s.count("verdicts") == ANSWER_FIRST  # what verify judged while generate ran is kept
