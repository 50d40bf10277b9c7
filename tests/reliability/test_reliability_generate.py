"""Generation under a failing server: random faults, SIGKILL and rerun, a server down for the whole run.

The server is testing_support/openai_stub.py on loopback: it counts every request per logical request
(fingerprint of model, messages, seed and sampling), so "paid twice" is measurable.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from reliability_harness import ROOT, child_env

from pipeline.config import ThinkmillConfig
from pipeline.generate.backends.base import ServerUnreachableError
from pipeline.generate.cache import journal_dir, replay_journal
from pipeline.generate.request import build_requests
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
from testing_support.openai_stub import FAULTS, OpenAIStub, closed_port_url, fingerprint

N_TASKS = 12
MAX_RETRIES = 6


def seed_tasks(db: Path, n: int = N_TASKS) -> None:
    rows = [
        {
            "task_id": f"t{i:03d}",
            "source": "rel",
            "domain": ("math", "code", "science_mcq")[i % 3],
            "prompt": f"Problem {i}: what is {i} + {i}?",
            "answer": str(2 * i),
            "verifier": "exact",
            "verifier_args": {},
            "metadata": {},
        }
        for i in range(n)
    ]
    with Store.open(db) as s:
        s.insert("tasks", pl.DataFrame(rows))


def stub_config(url: str, tmp: Path, **openai: object) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp
    g = cfg.generate
    g.backend = "openai"
    g.model = "stub-model"
    g.samples_think, g.samples_no_think = 2, 1
    g.write_batch_rows, g.write_interval_s = 4, 0.05
    o = g.openai
    o.base_urls = [url]
    o.max_in_flight = 6
    o.timeout_s = 1.0
    o.max_retries = MAX_RETRIES
    o.backoff_initial_s, o.backoff_max_s = 0.01, 0.05
    for k, v in openai.items():
        setattr(o, k, v)
    return cfg


def expected_keys(db: Path, cfg: ThinkmillConfig) -> set[str]:
    with Store.open(db, read_only=True) as s:
        tasks = s.read("tasks")
    return {r.key for r in build_requests(tasks, cfg.generate)}


def generations(db: Path) -> pl.DataFrame:
    with Store.open(db, read_only=True) as s:
        return s.read("generations")


def request_fingerprint(row: dict) -> str:
    """The stub's fingerprint of a stored generation (what the server saw for that key)."""
    params = json.loads(row["sampling_params"])
    return fingerprint(
        {
            "model": row["model"],
            "messages": json.loads(row["messages"]),
            "seed": row["seed"],
            "temperature": params.get("temperature"),
            "top_p": params.get("top_p"),
            "max_tokens": params.get("max_tokens"),
            "chat_template_kwargs": params.get("chat_template_kwargs"),
        }
    )


# ------------------------------------------------------------------------------------------ random faults
def test_random_faults_at_20_percent_run_completes_once_per_key(tmp_path: Path) -> None:
    db = tmp_path / "faults.duckdb"
    seed_tasks(db)
    with OpenAIStub(fault_rate=0.2, seed=3, hang_s=1.3) as stub:
        cfg = stub_config(stub.url, tmp_path)
        with Store.open(db) as s:
            summary = run_generation(s, cfg)
    gens = generations(db)
    keys = expected_keys(db, cfg)
    assert set(gens["key"]) == keys and gens.height == len(keys)  # exactly one generation per (task, sample)
    assert gens["error"].null_count() == gens.height, gens.filter(pl.col("error").is_not_null())["error"].to_list()
    assert summary.metadata["succeeded"] == len(keys) and summary.metadata["errors"] == 0
    assert set(stub.stats.faults) == set(FAULTS), stub.stats.faults  # every fault kind was injected
    # Bounded and reported: no request retried more than max_retries; every extra HTTP request is a reported retry.
    assert gens["retries"].max() <= MAX_RETRIES
    assert int(gens["retries"].sum()) == stub.stats.requests - len(keys)
    # Nothing paid for twice: each logical request got exactly one successful answer.
    fps = [request_fingerprint(r) for r in gens.iter_rows(named=True)]
    assert all(stub.stats.ok[fp] == 1 for fp in fps)
    assert all(fp in raw for fp, raw in zip(fps, gens["raw_text"], strict=True))  # the answer is its own


# ------------------------------------------------------------------------------------ SIGKILL and rerun
GENERATE_CHILD = """
import json, sys
from pipeline.config import ThinkmillConfig
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
cfg = ThinkmillConfig.model_validate_json(sys.argv[2])
with Store.open(sys.argv[1]) as s:
    run_generation(s, cfg)
"""


def generate_child(db: Path, cfg: ThinkmillConfig) -> subprocess.Popen[str]:
    """`run_generation` of `cfg` on `db` in a child process (`GENERATE_CHILD`), to be killed."""
    return subprocess.Popen(
        [sys.executable, "-c", GENERATE_CHILD, str(db), cfg.model_dump_json()],
        cwd=ROOT,
        env=child_env(),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_at_random_points_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    rng = random.Random(11)
    clean_db, db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    seed_tasks(clean_db)
    seed_tasks(db)
    with OpenAIStub() as ref, Store.open(clean_db) as s:
        run_generation(s, stub_config(ref.url, tmp_path))
    reference = generations(clean_db)

    with OpenAIStub() as stub:
        cfg = stub_config(stub.url, tmp_path, max_in_flight=2)
        total = len(expected_keys(db, cfg))
        for _round in range(2):
            kill_after = rng.randint(3, total // 3)
            proc: dict[str, subprocess.Popen[str]] = {}
            answered = {"n": 0}

            def maybe_kill(fp: str, kill_after: int = kill_after, proc: dict = proc, answered: dict = answered) -> None:
                answered["n"] += 1
                if answered["n"] == kill_after and "p" in proc:
                    os.kill(proc["p"].pid, signal.SIGKILL)

            stub.on_answer[:] = [maybe_kill]
            proc["p"] = generate_child(db, cfg)
            _, err = proc["p"].communicate(timeout=120)
            assert proc["p"].returncode == -signal.SIGKILL, err[-2000:]
        stub.on_answer.clear()
        with Store.open(db) as s:
            replay_journal(s)  # what the killed runs received but had not committed (run_generation does this too)
        stored = generations(db)
        assert 0 < stored.height < total  # the kills really interrupted the run
        stored_fps = {request_fingerprint(r) for r in stored.iter_rows(named=True)}
        sent_before = stub.stats.sent.copy()
        with Store.open(db) as s:
            summary = run_generation(s, cfg)
        resent = {fp for fp in stored_fps if stub.stats.sent[fp] > sent_before[fp]}
    assert not resent, f"{len(resent)} requests whose result was stored were sent again"
    assert summary.metadata["cached"] == stored.height and summary.metadata["sent"] == total - stored.height
    final = generations(db)
    assert final["key"].to_list() == reference["key"].to_list()  # same keys, sorted, no duplicates
    assert final["key"].n_unique() == final.height
    cols = ["key", "task_id", "mode", "sample_index", "messages", "raw_text", "think", "answer", "error"]
    assert final.select(cols).equals(reference.select(cols))


# ------------------------------------------------------------- a journaled success over a stored error row
@pytest.mark.parametrize("retry_errors", [True, False])
def test_a_journaled_success_replaces_the_stored_error_row_of_its_key(tmp_path: Path, retry_errors: bool) -> None:
    """Run 1 stores an error row for K; run 2 re-sends K, journals the answer and is killed before its commit;
    run 3 must store that paid-for answer instead of the error row, not discard it (and pay again)."""

    db = tmp_path / "replay-err.duckdb"
    seed_tasks(db, 2)

    def is_(body: dict, problem: str) -> bool:  # the no-think request of one task
        no_think = not (body.get("chat_template_kwargs") or {}).get("thinking")
        return no_think and f"Problem {problem}:" in json.dumps(body["messages"])

    held = threading.Event()
    k_fp: list[str] = []
    with OpenAIStub() as stub:
        # run 1: K (task 0) and M (task 1) fail for good: error rows
        cfg = stub_config(stub.url, tmp_path, max_retries=0)
        stub.fault_for = lambda body: "500" if is_(body, "0") or is_(body, "1") else None
        with Store.open(db) as s:
            run_generation(s, cfg)
        errors = generations(db).filter(pl.col("error").is_not_null())
        assert errors.height == 2
        k_key = errors.filter(pl.col("task_id") == "t000")["key"].item()

        # run 2 (a child, killed): K is answered and journaled; M is held, so nothing is committed yet
        def run2(body: dict) -> None:
            if is_(body, "0"):
                k_fp.append(fingerprint(body))
            if is_(body, "1"):
                held.wait(60)
            return None

        stub.fault_for = run2
        cfg.generate.write_batch_rows, cfg.generate.write_interval_s = 1000, 3600.0  # no commit before the kill
        with Store.open(db, read_only=True) as s:
            folder = journal_dir(s)
        assert folder is not None
        child = generate_child(db, cfg)
        deadline = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < deadline:
            if any(k_key in seg.read_text() for seg in folder.glob("segment-*.jsonl")):
                break
            time.sleep(0.02)
        assert child.poll() is None, child.communicate()[1][-2000:]
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
        held.set()
        assert generations(db).filter(pl.col("key") == k_key)["error"].item() is not None  # not committed
        assert len(k_fp) == 1 and stub.stats.ok[k_fp[0]] == 1  # run 2 paid for K's answer

        # run 3: the journaled answer replaces K's error row and is not paid for again
        stub.fault_for = None
        cfg.generate.retry_errors = retry_errors
        with Store.open(db) as s:
            summary = run_generation(s, cfg)
        assert stub.stats.sent[k_fp[0]] == 2  # runs 1 and 2: run 3 did not pay for K again
    assert summary.metadata["replayed"] == 1
    row = generations(db).filter(pl.col("key") == k_key).row(0, named=True)
    assert row["error"] is None and row["answer"]
    assert summary.metadata["sent"] == (1 if retry_errors else 0)  # M only, when errors are retried


def test_a_journaled_error_never_replaces_a_stored_success(tmp_path: Path) -> None:
    db = tmp_path / "replay-ok.duckdb"
    seed_tasks(db, 1)
    with OpenAIStub() as stub, Store.open(db) as s:
        run_generation(s, stub_config(stub.url, tmp_path))
    before = generations(db)
    row = before.row(0, named=True)
    err = {**row, "raw_text": None, "think": None, "answer": None, "error": "server_error: HTTP 500: late"}
    with Store.open(db) as s:
        folder = journal_dir(s)
        assert folder is not None
        folder.mkdir()  # a segment a killed run journaled and never committed, in the writer's format
        (folder / "segment-000000001.jsonl").write_text(json.dumps(err, default=str) + "\n")
        assert replay_journal(s) == 0
        assert not list(folder.glob("segment-*.jsonl"))
    assert generations(db).equals(before)


# --------------------------------------------------------------------------------- server down all along
def test_server_down_for_the_whole_run_names_the_endpoint_keeps_results(tmp_path: Path) -> None:
    db = tmp_path / "down.duckdb"
    seed_tasks(db)
    with OpenAIStub() as stub:  # a first, partial run while the server is up
        cfg = stub_config(stub.url, tmp_path)
        with Store.open(db) as s:
            tasks = s.read("tasks").head(4)
            run_generation(s, cfg, tasks=tasks)
    before = generations(db)
    assert before.height == 4 * 3
    down = closed_port_url()
    cfg = stub_config(down, tmp_path, max_retries=2)
    with Store.open(db) as s, pytest.raises(ServerUnreachableError) as err:
        run_generation(s, cfg)
    msg = str(err.value)
    assert down in msg and "rerun" in msg
    after = generations(db)
    assert after.filter(pl.col("key").is_in(before["key"].to_list())).equals(before)  # finished results kept
    assert after["error"].null_count() == after.height  # no error rows pretending to be generations


def test_a_server_killed_mid_run_reports_answered_and_failed_apart(tmp_path: Path) -> None:
    """The server dies after 8 answers: the request in hand loses its connection (an error row), the next one finds
    the port closed and stops the run. The message said "9 of 30 requests finished and are stored", as if 9 were
    answered; it now says how many were answered and how many failed, by kind, the stored rows' counts."""
    db = tmp_path / "killed.duckdb"
    seed_tasks(db, 10)
    answered = [0]
    with OpenAIStub() as stub:

        def fault_for(body: dict) -> str | None:
            with stub.lock:
                if answered[0] < 8:
                    answered[0] += 1
                    return None
            stub.server.socket.close()  # killed: this connection drops, every new one is refused
            return "drop"

        stub.fault_for = fault_for
        cfg = stub_config(stub.url, tmp_path, max_retries=1, max_in_flight=1)
        with Store.open(db) as s, pytest.raises(ServerUnreachableError) as err:
            run_generation(s, cfg)
    gens = generations(db)
    ok, failed = gens["error"].null_count(), gens["error"].drop_nulls().len()
    assert (ok, failed) == (8, 1)
    msg = str(err.value)
    assert "9 of 30 requests finished" in msg
    assert "8 were answered and 1 failed (connection_lost: 1)" in msg and "rerun sends again" in msg


def test_cli_reports_a_down_server_as_one_line(tmp_path: Path) -> None:
    db = tmp_path / "down-cli.duckdb"
    seed_tasks(db, 2)
    down = closed_port_url()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "generate",
            "--db",
            str(db),
            "--backend",
            "openai",
            "--base-url",
            down,
            "--no-progress",
            "--config",
            str(_write_config(tmp_path)),
        ],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr[-2000:]
    assert r.stderr.startswith("error: ") and down in r.stderr and "Traceback" not in r.stderr


def test_cli_refuses_a_base_url_with_a_query_string(tmp_path: Path) -> None:
    """`--base-url 'http://host/v1?api_key=...'` bypassed the config's check: every request went to
    `/v1/?api_key=...chat/completions`. One line, exit 1, the key not repeated."""
    db = tmp_path / "q.duckdb"
    seed_tasks(db, 1)
    r = subprocess.run(
        [
            *(sys.executable, "-m", "pipeline.cli", "generate", "--db", str(db), "--backend", "openai"),
            *("--base-url", "http://127.0.0.1:9/v1?api_key=sk-CANARY0123", "--no-progress"),
            *("--config", str(_write_config(tmp_path))),
        ],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr[-2000:]
    assert r.stderr.startswith("error: --base-url: entry 0 has a query string") and r.stderr.count("\n") == 1
    assert "CANARY" not in r.stderr + r.stdout and "Traceback" not in r.stderr


def _write_config(tmp: Path) -> Path:
    path = tmp / "thinkmill.yaml"
    path.write_text(
        "generate:\n  model: stub-model\n  openai:\n    max_retries: 1\n    backoff_initial_s: 0.01\n"
        "    backoff_max_s: 0.02\n    timeout_s: 1\n"
    )
    return path


# ----------------------------------------------------------------- one request failing for good: the run goes on
@pytest.mark.parametrize(
    ("fault", "kind"), [("timeout", "timeout"), ("drop", "connection_lost"), ("429", "rate_limited")]
)
def test_a_request_that_exhausts_its_retries_is_an_error_row_and_the_run_goes_on(
    tmp_path: Path, fault: str, kind: str
) -> None:
    db = tmp_path / "one-bad.duckdb"
    seed_tasks(db, 6)
    poisoned = "Problem 3:"  # every attempt of task t003's requests fails (a prompt that always outlasts timeout)
    with OpenAIStub(hang_s=1.5) as stub:
        stub.fault_for = lambda body: fault if poisoned in json.dumps(body["messages"]) else None
        cfg = stub_config(stub.url, tmp_path, max_retries=1)
        with Store.open(db) as s:
            summary = run_generation(s, cfg)  # no ServerUnreachableError
        gens = generations(db)
        assert gens.height == 6 * 3 and summary.metadata["succeeded"] == 5 * 3 and summary.metadata["errors"] == 3
        bad = gens.filter(pl.col("error").is_not_null())
        assert set(bad["task_id"]) == {"t003"} and summary.metadata["errors_by_kind"] == {kind: 3}
        assert all(e.startswith(f"{kind}: ") for e in bad["error"]), bad["error"].to_list()
        assert (bad["retries"] == 1).all() and bad["raw_text"].null_count() == 3
        # a rerun retries exactly the error rows (the prompt is fine now)
        stub.fault_for = None
        with Store.open(db) as s:
            again = run_generation(s, cfg)
        assert again.metadata["sent"] == 3 and again.metadata["succeeded"] == 3 and again.metadata["cached"] == 15
    assert generations(db)["error"].null_count() == 18


# ------------------------------------------------------------------------------------------ request target
def test_openai_target_sends_only_openai_fields_vllm_target_unchanged(tmp_path: Path) -> None:
    from pipeline.generate.templates import REASONING_SYSTEM_PROMPT

    allowed = {
        "model",
        "messages",
        "seed",
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "frequency_penalty",
        "presence_penalty",
        "stop",
        "n",
        "response_format",
        "user",
    }
    for target in ("vllm", "openai"):
        db = tmp_path / f"{target}.duckdb"
        seed_tasks(db, 2)
        with OpenAIStub() as stub:
            cfg = stub_config(stub.url, tmp_path, target=target)
            with Store.open(db) as s:
                summary = run_generation(s, cfg)
            bodies = stub.stats.bodies
        assert summary.metadata["succeeded"] == 6 and len(bodies) == 6
        gens = generations(db)
        if target == "vllm":  # the default: keys and bodies as before
            assert set(gens["key"]) == expected_keys(db, cfg)
            assert all(
                b["chat_template_kwargs"] == {"thinking": b["messages"][0]["role"] == "system"} and b["top_k"] == 20
                for b in bodies
            )
            continue
        for b in bodies:
            assert set(b) <= allowed, set(b) - allowed
        think = [b for b in bodies if b["messages"][0]["role"] == "system"]
        assert len(think) == 4 and all(b["messages"][0]["content"] == REASONING_SYSTEM_PROMPT for b in think)
        assert not set(gens["key"]) & expected_keys(db, cfg)  # keys hash what was sent
        for params in gens["sampling_params"]:
            stored = json.loads(params)
            assert "top_k" not in stored and not stored["chat_template_kwargs"]


def test_a_second_generate_run_on_one_database_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    """Two generate runs against one database (a scheduled Dagster run and a `thinkmill generate`) each sent every
    pending request, so each answer was paid for twice, and the second run's journal replay removed the segments
    the first was still writing (killed then, the first lost results it had paid for). A second run now stops at
    once, naming the run that holds the database's generate lock; the first finishes every request once."""
    import threading

    from pipeline.generate.backends.base import GenerateError

    db = tmp_path / "g.duckdb"
    seed_tasks(db)
    started = threading.Event()
    with OpenAIStub() as stub:
        release = threading.Event()

        def slow(body: dict) -> None:
            started.set()
            release.wait(10)  # the first run's requests wait while the second run starts
            return None

        stub.responder = slow
        cfg = stub_config(stub.url, tmp_path)
        first: dict = {}

        def run_first() -> None:
            with Store.open(db) as s:
                first["report"] = run_generation(s, cfg)

        t = threading.Thread(target=run_first)
        t.start()
        assert started.wait(10)
        try:
            with (
                Store.open(db) as s,
                pytest.raises(GenerateError, match=r"another generate run is writing to .*process \d+"),
            ):
                run_generation(s, cfg)
        finally:
            release.set()
            t.join(30)
        assert first["report"].metadata["sent"] == len(expected_keys(db, cfg))
        assert max(stub.stats.sent.values()) == 1  # every request sent once
        with Store.open(db) as s:  # the lock goes with the run: a later run starts, and finds everything done
            assert run_generation(s, cfg).metadata["sent"] == 0


def _stopped_run(tmp_path: Path, signum: int, *, first_fails: bool = False) -> tuple[int, str, Path]:
    """`thinkmill generate` (openai backend, one request at a time) against a stub that answers three requests
    (after failing the first with a 500, no retries, when `first_fails`) and holds the next; `signum` is sent once it
    waits. (return code, stderr, database)."""
    import signal as _signal
    import threading
    import time

    db = tmp_path / "int.duckdb"
    seed_tasks(db, 4)
    config = tmp_path / "slow.yaml"
    config.write_text(
        "generate:\n  model: stub-model\n  write_interval_s: 0.1\n  openai:\n    timeout_s: 60\n    max_retries: 0\n"
    )
    later = threading.Event()
    held_after = 3 + first_fails  # requests answered (or failed) before the one that waits
    with OpenAIStub() as stub:
        seen: list[str] = []

        def count(body: dict) -> str | None:
            seen.append(fingerprint(body))
            return "500" if first_fails and len(seen) == 1 else None

        def some_then_hang(body: dict) -> None:
            if len(seen) > held_after:
                later.wait(60)  # the rest never comes back before the signal
            return None

        stub.fault_for, stub.responder = count, some_then_hang
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "pipeline.cli", "generate", "--db", str(db), "--backend", "openai"),
                *("--base-url", stub.url, "--max-in-flight", "1", "--no-progress", "--config", str(config)),
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while len(seen) <= held_after and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # the next request waits; what came before is received
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        later.set()
    assert signum in (_signal.SIGINT, _signal.SIGTERM)
    return proc.returncode, err, db


def test_ctrl_c_says_what_is_stored_and_how_to_go_on(tmp_path: Path) -> None:
    """Ctrl-C during `thinkmill generate` printed click's "Aborted!" alone: nothing said the answers received so far
    were stored, nor that a rerun sends only the rest. It now says both, exit 130 (interrupted)."""
    import signal

    code, err, db = _stopped_run(tmp_path, signal.SIGINT)
    assert code == 130, err[-2000:]
    assert "Traceback" not in err and "Aborted!" not in err
    stored = generations(db).height
    assert stored == 3
    assert f"interrupted: {stored} answers received are stored" in err and "thinkmill generate" in err, err[-2000:]


def test_sigterm_stops_like_ctrl_c(tmp_path: Path) -> None:
    """`kill <pid>` (SIGTERM: a scheduler's timeout, `docker stop`, systemd) ended `thinkmill generate` with no word
    and no cleanup: with the in-process vLLM engine its EngineCore and worker processes were left running, holding
    memory (GPU memory on a GPU). It now stops as Ctrl-C does: what was received is stored, the engine is shut down,
    it says so, exit 143 (128 + SIGTERM)."""
    import signal

    code, err, db = _stopped_run(tmp_path, signal.SIGTERM)
    assert code == 143, err[-2000:]
    assert "Traceback" not in err
    assert generations(db).height == 3
    assert "terminated (SIGTERM): 3 answers received are stored" in err, err[-2000:]


def test_ctrl_c_counts_failed_requests_apart_from_answers(tmp_path: Path) -> None:
    """The interrupt message counted the error rows of failed requests (a 500 after its retries) among the "answers
    received": 3 answers and 1 failure were "4 answers received are stored". It now names them apart."""
    import signal

    code, err, db = _stopped_run(tmp_path, signal.SIGINT, first_fails=True)
    assert code == 130, err[-2000:]
    rows = generations(db)
    assert (rows.height, rows["error"].null_count()) == (4, 3)
    assert "interrupted: 3 answers received are stored" in err, err[-2000:]
    assert "1 failed request" in err and "sends again" in err, err[-2000:]
