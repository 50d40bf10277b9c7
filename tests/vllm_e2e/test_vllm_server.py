"""`backend: openai` against the real `vllm serve` (reasoning parser deepseek_v3, which reads the request's
`thinking` switch), with the fault proxy in front;
and `backend: batch` through vLLM's own `run_batch` entry point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.generate.request import build_requests
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
from tests.vllm_e2e.conftest import BatchJob, ReshapingProxy, child_env, tasks_frame

# Skipped only where vLLM is missing (`make install-dev` installs its CPU build). This folder is not called
# `tests/vllm`: on pytest's sys.path it would stand in for a missing vllm as a namespace package.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("vllm_installed")]


ROW_FIELDS = [
    "key",
    "mode",
    "raw_text",
    "think",
    "answer",
    "parse_flags",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "error",
]


def openai_config(vllm_config: Any, url: str, **openai_kw: Any) -> Any:
    cfg = vllm_config(backend="openai")
    g = cfg.generate
    g.openai.base_urls = [url]
    g.openai.max_in_flight = 4
    g.openai.backoff_initial_s, g.openai.backoff_max_s = 0.01, 0.05
    g.openai.timeout_s = 60
    for k, v in openai_kw.items():
        setattr(g.openai, k, v)
    return cfg


@pytest.mark.timeout(900)  # the session's server may still be starting
def test_openai_backend_against_vllm_serve_through_fault_proxy(
    tmp_path: Path, vllm_server: str, vllm_config: Any
) -> None:
    proxy = ReshapingProxy(vllm_server)
    try:
        proxy.plan = ["503", "429", "drop", "500"]
        # vLLM's real refusal of an over-long prompt comes through as a per-request error row
        cfg = openai_config(vllm_config, proxy.url, max_retries=5)
        with Store.open(tmp_path / "g.duckdb") as store:
            summary = run_generation(store, cfg, tasks=tasks_frame(4, long_prompt_at=2))
            rows = store.read("generations")
    finally:
        proxy.close()
    assert summary.metadata["succeeded"] == 9 and summary.metadata["errors_by_kind"] == {"context_length_exceeded": 3}
    assert rows.height == 12 and rows["retries"].sum() == 4
    errs = rows.filter(pl.col("error").is_not_null())
    assert set(errs["task_id"]) == {"t002"}
    assert errs["error"][0].startswith("context_length_exceeded: HTTP 400: This model's maximum context length")
    ok = rows.filter(pl.col("error").is_null())
    assert (ok["completion_tokens"] > 0).all() and (ok["prompt_tokens"] > 0).all()
    # with the reasoning parser, the think text comes back in `message.reasoning`; it lands in `think`
    think = ok.filter(pl.col("mode") == "think")
    assert think["think"].null_count() == 0 and think["raw_text"].str.starts_with("<think>\n").all()


def test_reasoning_field_reasoning_content_and_inline_tags_give_the_same_row(
    tmp_path: Path, vllm_server: str, vllm_config: Any
) -> None:
    proxy = ReshapingProxy(vllm_server)
    rows: dict[str, pl.DataFrame] = {}
    try:
        for shape in (None, "reasoning_content", "inline"):
            proxy.shape = shape
            cfg = openai_config(vllm_config, proxy.url)
            with Store.open(tmp_path / f"{shape}.duckdb") as store:
                summary = run_generation(store, cfg, tasks=tasks_frame(3))
                rows[str(shape)] = store.read("generations").sort("key").select(ROW_FIELDS)
            assert summary.metadata["succeeded"] == 9
        recorded = list(proxy.recorded.values())
    finally:
        proxy.close()
    assert len(recorded) == 9
    assert any(r["choices"][0]["message"].get("reasoning") for r in recorded)  # vLLM's current field name
    assert not any("reasoning_content" in r["choices"][0]["message"] for r in recorded)
    # The parser reads the request's `thinking` switch: a no-think answer stays in `content` (deepseek_r1 put the
    # untagged answers of this random model in `reasoning`, and every no-think row failed as leakage)
    no_think = [r for body, r in proxy.recorded.items() if not json.loads(body)["chat_template_kwargs"]["thinking"]]
    assert len(no_think) == 3 and all(r["choices"][0]["message"]["content"] for r in no_think)
    assert all(r["choices"][0]["message"].get("reasoning") is None for r in no_think)
    for shape, frame in rows.items():
        nt = frame.filter(pl.col("mode") == "no_think")
        assert nt["error"].null_count() == 3, (shape, nt["error"].to_list())
        tagged = nt["raw_text"].str.contains("<think>|</think>")
        assert (nt["think"].is_null() == ~tagged).all() and (nt["raw_text"].str.strip_chars() == nt["answer"]).filter(
            ~tagged
        ).all()
    assert rows["None"].equals(rows["reasoning_content"]) and rows["None"].equals(rows["inline"])


@pytest.mark.timeout(900)  # run_batch starts its own engine
def test_batch_write_vllm_run_batch_batch_read(batch_job: BatchJob) -> None:
    job = batch_job
    lines = [json.loads(x) for x in job.requests.read_text().splitlines()]
    assert len(lines) == 12
    job.wait()
    answers = [json.loads(x) for x in job.output.read_text().splitlines()]
    assert sorted(a["custom_id"] for a in answers) == sorted(x["custom_id"] for x in lines)
    env = child_env()
    read = [*job.cli, "batch-read", "--db", str(job.db), "--config", str(job.conf), str(job.output)]
    first = subprocess.run(read, env=env, check=True, capture_output=True, text=True)
    assert "ok: 12" in first.stdout, first.stdout
    again = subprocess.run(read, env=env, check=True, capture_output=True, text=True)
    with Store.open(job.db) as store:
        rows = store.read("generations")
    keys = {r.key for r in build_requests(job.tasks, job.cfg.generate)}
    assert rows.height == 12 and set(rows["key"]) == keys and rows["key"].n_unique() == 12
    assert rows["error"].null_count() == 12 and (rows["completion_tokens"] > 0).all()
    assert (rows["backend"] == "batch").all()
    think = rows.filter(pl.col("mode") == "think")
    assert think["think"].null_count() == 0  # run_batch's reasoning parser: `reasoning` recomposed
    assert "cached (not sent): 12" in again.stdout  # read twice: stored once


@pytest.mark.timeout(900)  # the session's server may still be starting
def test_special_think_tags_survive_the_servers_decoding_in_no_think_mode(
    tmp_path: Path, vllm_server: str, vllm_config: Any
) -> None:
    """`<think>`/`</think>` are special tokens of the tiny tokenizer. `vllm serve` decodes with
    `skip_special_tokens` by default and no reasoning parser reads a no-think answer: a leaked think block came back
    without its tags, the row looked clean and `think_in_no_think` never fired (the in-process engine kept them).
    Requests for the vLLM target now ask the server to keep special tokens."""
    cfg = openai_config(vllm_config, vllm_server)
    cfg.generate.no_think.max_tokens = 6
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(cfg.generate.model)
    tag_ids = [tok.convert_tokens_to_ids("<think>"), tok.convert_tokens_to_ids("</think>")]
    cfg.generate.no_think.extra = {"allowed_token_ids": tag_ids}
    with Store.open(tmp_path / "g.duckdb") as store:
        run_generation(store, cfg, tasks=tasks_frame(2))
        rows = store.read("generations", where="mode = 'no_think'")
    assert rows.height == 2 and rows["error"].null_count() == 2
    for row in rows.to_dicts():
        assert "<think>" in row["raw_text"] or "</think>" in row["raw_text"], row["raw_text"]
        assert set(row["parse_flags"]) & {"think_in_no_think", "stray_think_close"}, row
