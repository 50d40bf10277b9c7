"""The openai backend against a real OpenAI-compatible server (`transformers serve`, tiny random Llama)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from pipeline.generate.backends.base import GenerateError, ServerUnreachableError
from pipeline.generate.cache import replay_journal
from pipeline.generate.request import build_requests
from pipeline.store import Store
from schemas import table

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_k_samples_with_full_provenance(tmp_path: Path, make_tasks, llm_server: str, server_config) -> None:
    cfg = server_config([llm_server])
    tasks = make_tasks(3)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, tasks)
        rows = store.read("generations")
    assert summary.metadata["sent"] == 9 and summary.metadata["succeeded"] == 9 and summary.metadata["errors"] == 0
    assert rows.height == 9
    counts = rows.group_by("task_id", "mode").len().sort("task_id", "mode")
    assert counts.filter(counts["mode"] == "think")["len"].to_list() == [2, 2, 2]
    assert counts.filter(counts["mode"] == "no_think")["len"].to_list() == [1, 1, 1]
    for row in rows.to_dicts():
        assert row["backend"] == "openai" and row["model"] == cfg.generate.model
        assert row["endpoint"] == llm_server and row["template_version"] == "hermes4-v1"
        assert row["raw_text"] is not None and row["error"] is None and row["retries"] == 0
        assert row["finish_reason"] in ("stop", "length")
        assert row["prompt_tokens"] > 0 and 0 < row["completion_tokens"] <= 4 and row["latency_s"] > 0
        assert isinstance(row["seed"], int)
        params = json.loads(row["sampling_params"])
        assert params["chat_template_kwargs"] == {"thinking": row["mode"] == "think"}
        assert params["temperature"] == 0.6 and params["max_tokens"] == 4
        msgs = json.loads(row["messages"])
        assert (msgs[0]["role"] == "system") == (row["mode"] == "think")
        if row["mode"] == "think":  # random weights never write <think>: the parser must flag it
            assert "no_think_block" in row["parse_flags"]
    nullable_ok = {"model_revision", "think", "error", "answer"}
    for col in table("generations").column_names:
        if col not in nullable_ok:
            assert rows[col].null_count() == 0, col


def run(store: Store, cfg, tasks):
    from pipeline.generate.runner import run as run_generation

    return run_generation(store, cfg, tasks=tasks)


def test_concurrency_round_robin_and_cache_hits(tmp_path: Path, make_tasks, server_config, fault_proxy) -> None:
    a, b = fault_proxy(), fault_proxy()
    a.delay_s = b.delay_s = 0.05
    cfg = server_config([a.url, b.url], max_in_flight=4)
    tasks = make_tasks(4)
    with Store.open(tmp_path / "g.duckdb") as store:
        first = run(store, cfg, tasks)
        sent_before = a.requests + b.requests
        second = run(store, cfg, tasks)
        assert store.count("generations") == 12
    assert first.metadata["succeeded"] == 12 and sent_before == 12
    assert a.requests == 6 and b.requests == 6  # round-robin
    assert a.peak + b.peak >= 2 and max(a.peak, b.peak) <= 4
    assert second.metadata["cached"] == 12 and second.metadata["sent"] == 0
    assert a.requests + b.requests == 12  # nothing sent again


def test_retries_on_injected_failures(tmp_path: Path, make_tasks, server_config, fault_proxy) -> None:
    p = fault_proxy()
    p.plan = ["503", "429", "drop", "500"]
    cfg = server_config([p.url], max_in_flight=1, max_retries=5)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, make_tasks(2))
        rows = store.read("generations")
    assert summary.metadata["succeeded"] == 6 and summary.metadata["errors"] == 0
    assert rows["retries"].sum() == 4 and rows["error"].null_count() == 6
    assert p.requests == 10


def test_per_request_errors_are_recorded_and_the_run_goes_on(
    tmp_path: Path, make_tasks, server_config, fault_proxy
) -> None:
    p = fault_proxy()
    # vLLM's answer to an over-long prompt, served by the proxy for the one long task.
    msg = "This model's maximum context length is 512 tokens. However, you requested 900 tokens."
    p.rule = lambda body: (400, {"error": {"message": msg, "code": 400}}) if "LONGPROMPT" in json.dumps(body) else None
    cfg = server_config([p.url])
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, make_tasks(3, long_prompt_at=1))
        errs = store.read("generations", where="error IS NOT NULL")
        # a rerun retries only the failed keys (retry_errors) and replaces nothing that succeeded
        p.rule = None
        again = run(store, cfg, make_tasks(3, long_prompt_at=1))
        assert store.count("generations", where="error IS NULL") == 9
    assert summary.metadata["succeeded"] == 6 and summary.metadata["errors_by_kind"] == {"context_length_exceeded": 3}
    assert errs.height == 3 and set(errs["task_id"]) == {"t001"} and errs["raw_text"].null_count() == 3
    assert errs["error"][0].startswith("context_length_exceeded: HTTP 400: This model's maximum")
    assert again.metadata["cached"] == 6 and again.metadata["sent"] == 3


def test_unknown_model_is_a_clear_error(tmp_path: Path, make_tasks, llm_server: str, server_config) -> None:
    cfg = server_config([llm_server])
    cfg.generate.model = "no-such/model"
    with (
        Store.open(tmp_path / "g.duckdb") as store,
        pytest.raises(GenerateError, match=r"no-such/model.*unknown") as err,
    ):
        run(store, cfg, make_tasks(1))
    # its own class: the Dagster asset fails at once on it (a retry sent every request again, three more times)
    from assets.generate import USER_ERRORS

    assert isinstance(err.value, USER_ERRORS)


def test_dropped_requests_are_error_rows_a_refusing_server_stops_the_run(
    tmp_path: Path, make_tasks, server_config, fault_proxy
) -> None:
    """Dropped connections (the server took the request, then hung up) are per-request errors: the run goes on.
    Only a server that refuses every connection stops the run, naming the URL and keeping what finished."""
    p = fault_proxy()
    p.drop_after = 4
    cfg = server_config([p.url], max_in_flight=1, max_retries=2)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, make_tasks(3))
        errs = store.read("generations", where="error IS NOT NULL")
        assert store.count("generations") == 9 and summary.metadata["succeeded"] == 4
        assert summary.metadata["errors_by_kind"] == {"connection_lost": 5} and (errs["retries"] == 2).all()
        p.close()  # the port is closed now: every connection is refused
        with pytest.raises(ServerUnreachableError) as info:
            run(store, cfg, make_tasks(3))  # the rerun retries the 5 error rows
        assert store.count("generations", where="error IS NULL") == 4 and store.count("generations") == 9
    msg = str(info.value)
    assert p.url in msg and "after 2 retries" in msg and "0 of 5 requests finished" in msg


def test_secret_never_reaches_store_or_error(tmp_path: Path, make_tasks, server_config, monkeypatch) -> None:
    monkeypatch.setenv("THINKMILL_TEST_KEY", "sk-very-secret-123")
    cfg = server_config(["http://user:pw@127.0.0.1:9/v1"], max_retries=0, api_key_env="THINKMILL_TEST_KEY")
    with Store.open(tmp_path / "g.duckdb") as store, pytest.raises(ServerUnreachableError) as info:
        run(store, cfg, make_tasks(1))
    assert "sk-very-secret" not in str(info.value) and "pw@" not in str(info.value)
    assert "http://127.0.0.1:9/v1" in str(info.value)


def test_resume_after_kill(tmp_path: Path, make_tasks, tiny_model: Path, server_config, fault_proxy) -> None:
    """SIGKILL the CLI mid-run; the rerun sends exactly the missing keys: none twice, none lost."""
    p = fault_proxy()
    p.hold_after = 8  # the 9th request on waits unanswered: the kill always lands mid-run
    n_tasks = 10
    cfg = server_config([p.url], max_in_flight=2)
    cfg.generate.write_batch_rows = 1
    db = tmp_path / "g.duckdb"
    with Store.open(db) as store:
        tasks = make_tasks(n_tasks)
        store.insert(
            "tasks",
            tasks.with_columns(
                source=pl.lit("t"),
                verifier=pl.lit("math"),
                verifier_args=pl.lit("{}"),
                metadata=pl.lit("{}"),
                answer=pl.Series([str(2 * i) for i in range(n_tasks)]),
            ),
        )  # a math task without one is never generated
    conf = tmp_path / "cfg.yaml"
    conf.write_text(json.dumps({"generate": cfg.generate.model_dump(mode="json")}))
    env = {**os.environ, "PYTHONPATH": str(Path.cwd()), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "generate", "--db", str(db), "--config", str(conf), "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    # both slots (max_in_flight=2) wait on held requests: each worker sinks (journals) an answer before it sends
    # its next request, so all 8 answers are kept by now
    while p.held < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
    assert p.held == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    answered_at_kill = p.successes
    p.release()  # the rerun goes through the same proxy
    total = n_tasks * 3
    with Store.open(db) as store:
        replay_journal(store)  # what the killed run received but had not committed (run() would do it too)
        stored = set(store.read("generations")["key"])
        # everything the server answered was kept; the two held requests were never answered
        assert 8 <= len(stored) == answered_at_kill < total
        requests = list(build_requests(tasks, cfg.generate))
        seed_of = {r.key: r.seed for r in requests}
        seeds_before = len(p.seeds)
        summary = run(store, cfg, tasks)
        final = store.read("generations")
    resent = p.seeds[seeds_before:]
    assert summary.metadata["cached"] == len(stored) and summary.metadata["sent"] == total - len(stored)
    assert not set(resent) & {seed_of[k] for k in stored}  # nothing stored was paid for twice
    assert final.height == total and final["key"].n_unique() == total
    assert set(final["key"]) == set(seed_of)
