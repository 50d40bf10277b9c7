"""`backend: vllm` against vLLM's real engine (the CPU build here): one `vllm.LLM` for the whole session."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import signal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.generate.backends.base import SamplingConfigError
from pipeline.generate.backends.vllm_backend import VLLMBackend, render_prompt
from pipeline.generate.cache import replay_journal
from pipeline.generate.request import build_requests
from pipeline.generate.runner import run as run_generation
from pipeline.generate.templates import REASONING_SYSTEM_PROMPT as PROMPT
from pipeline.store import Store
from tests.vllm_e2e.conftest import (
    HeldGenerate,
    tasks_frame,
    wait_for,
)

# Skipped only where vLLM is missing (`make install-dev` installs its CPU build). This folder is not called
# `tests/vllm`: on pytest's sys.path it would stand in for a missing vllm as a namespace package.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("vllm_installed")]


TEMPLATES = Path(__file__).parent / "templates"


class Recording:
    """The session engine, recording the request keys added to it (what a run actually sends)."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.added: list[str] = []
        outer = self

        class Engine:
            def __getattr__(self, name: str) -> Any:
                return getattr(llm.llm_engine, name)

            def add_request(self, request_id: str, *a: Any, **kw: Any) -> Any:
                outer.added.append(request_id)
                return llm.llm_engine.add_request(request_id, *a, **kw)

        self.llm_engine = Engine()

    def get_tokenizer(self) -> Any:
        return self.llm.get_tokenizer()


def run(store: Store, cfg: Any, engine: Any, tasks: pl.DataFrame) -> Any:
    backend = VLLMBackend(cfg.generate, engine=engine)
    return run_generation(store, cfg, backend=backend, tasks=tasks)


def test_real_engine_stores_every_request_with_tokens_and_latency(
    tmp_path: Path, vllm_engine: Any, vllm_config: Any
) -> None:
    cfg = vllm_config(max_tokens=8)
    tasks = tasks_frame(3)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, vllm_engine, tasks)
        rows = store.read("generations")
    assert summary.metadata["succeeded"] == 9 and summary.metadata["errors"] == 0
    assert rows.height == 9 and rows["key"].n_unique() == 9
    for row in rows.to_dicts():
        assert row["backend"] == "vllm" and row["endpoint"] == f"vllm://{cfg.generate.model}"
        assert row["raw_text"] is not None and row["error"] is None
        assert row["prompt_tokens"] > 0 and 0 < row["completion_tokens"] <= 8
        assert row["latency_s"] > 0 and row["finish_reason"] in ("stop", "length")
    # thinkmill renders exactly the prompt `LLM.chat` renders (same template, same kwargs, same tokens)
    import vllm

    tok = vllm_engine.get_tokenizer()
    reqs = list(build_requests(tasks.head(1), cfg.generate))
    for req in (reqs[0], reqs[-1]):  # think, no_think
        out = vllm_engine.chat(
            [list(req.messages)],
            vllm.SamplingParams(max_tokens=1),
            chat_template_kwargs=req.chat_template_kwargs,
            use_tqdm=False,
        )
        assert render_prompt(tok, req) == list(out[0].prompt_token_ids)
        assert tok.decode(out[0].prompt_token_ids).endswith("<think>\n") == (req.mode == "think")


def test_a_full_chunk_of_seeded_requests(tmp_path: Path, vllm_engine: Any, vllm_config: Any) -> None:
    """192 requests with their own seeds in the engine at once: their prompts exceed one prefill batch, which
    on vLLM's CPU build kills the engine unless thinkmill turns chunked prefill off (it does, on CPU)."""
    assert vllm_engine.llm_engine.vllm_config.scheduler_config.enable_chunked_prefill is False
    cfg = vllm_config(max_tokens=4)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, vllm_engine, tasks_frame(64))
        assert store.count("generations", where="error IS NULL") == 192
    assert summary.metadata["succeeded"] == 192


def test_prompt_over_max_model_len_is_an_error_row_the_rest_stored(
    tmp_path: Path, vllm_engine: Any, vllm_config: Any
) -> None:
    cfg = vllm_config()
    tasks = tasks_frame(3, long_prompt_at=1)
    engine = Recording(vllm_engine)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run(store, cfg, engine, tasks)
        errs = store.read("generations", where="error IS NOT NULL")
        again = run(store, cfg, engine, tasks)  # retry_errors: only the 3 failed keys are sent again
        assert store.count("generations") == 9
    assert summary.metadata["succeeded"] == 6 and summary.metadata["errors_by_kind"] == {"context_length_exceeded": 3}
    assert set(errs["task_id"]) == {"t001"} and errs["raw_text"].null_count() == 3
    assert re.match(r"context_length_exceeded: \w+: This model's maximum context length is 512", errs["error"][0])
    assert again.metadata["cached"] == 6 and again.metadata["sent"] == 3 and again.metadata["errors"] == 3


def test_special_think_tags_survive_decoding(tmp_path: Path, vllm_engine: Any, vllm_config: Any) -> None:
    """`<think>`/`</think>` are special tokens of the tiny tokenizer; the model may emit only them here."""
    tok = vllm_engine.get_tokenizer()
    tag_ids = [tok.convert_tokens_to_ids("<think>"), tok.convert_tokens_to_ids("</think>")]
    assert tok.decode(tag_ids, skip_special_tokens=True) == ""  # what vLLM's default decoding leaves
    cfg = vllm_config(max_tokens=6)
    cfg.generate.think.extra = {"allowed_token_ids": tag_ids}
    with Store.open(tmp_path / "g.duckdb") as store:
        run(store, cfg, vllm_engine, tasks_frame(2))
        think = store.read("generations", where="mode = 'think'")
    assert think.height == 4
    for row in think.to_dicts():
        assert re.fullmatch(r"(</?think>){6}", row["raw_text"]), row["raw_text"]
        assert row["completion_tokens"] == 6


def test_unknown_sampling_extra_key_fails_before_the_engine_starts(tmp_path: Path, vllm_config: Any) -> None:
    cfg = vllm_config()
    cfg.generate.think.extra = {"repetition_penalty": 1.1, "presence_penalt": 0.5}
    backend = VLLMBackend(cfg.generate)  # no engine injected: one would be started
    with (
        Store.open(tmp_path / "g.duckdb") as store,
        pytest.raises(SamplingConfigError, match=r"generate\.think\.extra: .*'presence_penalt'"),
    ):
        run_generation(store, cfg, backend=backend, tasks=tasks_frame(1))
    assert backend._llm is None
    cfg.generate.think.extra = {"top_k": -5}  # vLLM's own validation, also before the engine starts
    with pytest.raises(SamplingConfigError, match=r"generate\.think: vLLM rejects .*top_k"):
        VLLMBackend(cfg.generate).run(list(build_requests(tasks_frame(1), cfg.generate)), lambda *a: None)


@pytest.mark.parametrize("template", ["hermes4_chatml.jinja", "hermes4_llama3.jinja"])
def test_hermes4_templates_reasoning_prompt_once_and_thinking_switch(
    template: str, vllm_engine: Any, vllm_config: Any, tmp_path: Path
) -> None:
    """Think requests carry the reasoning system prompt *and* thinking=True: the prompt must be rendered once,
    and the switch must reach the template (Hermes-4-shaped templates written from docs/hermes4.md)."""
    path = TEMPLATES / template
    text = path.read_text()
    tok = vllm_engine.get_tokenizer()
    cfg = vllm_config(chat_template=str(path))
    reqs = list(build_requests(tasks_frame(2), cfg.generate))
    assert {r.mode for r in reqs} == {"think", "no_think"}
    for req in reqs:
        want = 1 if req.mode == "think" else 0
        assert tok.decode(render_prompt(tok, req, text)).count(PROMPT) == want
        # without the system message, only the switch can bring the reasoning prompt in
        bare = dataclasses.replace(req, messages=tuple(m for m in req.messages if m["role"] != "system"))
        rendered = tok.decode(render_prompt(tok, bare, text))
        assert rendered.count(PROMPT) == want
        if template == "hermes4_llama3.jinja":
            assert rendered.count("You are Hermes, created by Nous Research.") == 1 - want
            assert rendered.startswith("<s><|start_header_id|>system<|end_header_id|>")
        else:
            assert rendered.startswith("<|im_start|>system\n" if want else "<|im_start|>user\n")
    # the check can fail: a template that always prepends the thinking prompt renders it twice
    naive = text.replace("thinking and thinking_prompt not in system_message", "thinking")
    think = next(r for r in reqs if r.mode == "think")
    assert tok.decode(render_prompt(tok, think, naive)).count(PROMPT) == 2
    # and the backend renders with the configured template
    backend = VLLMBackend(cfg.generate, engine=vllm_engine, chat_template_path=path)
    with Store.open(tmp_path / "g.duckdb") as store:
        run_generation(store, cfg, backend=backend, tasks=tasks_frame(2))
        rows = store.read("generations")
    by_key = {r.key: r for r in reqs}
    assert rows.height == len(reqs)
    for row in rows.to_dicts():
        assert row["prompt_tokens"] == len(render_prompt(tok, by_key[row["key"]], text))


def _journal_lines(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    n = 0
    for seg in folder.glob("segment-*.jsonl"):
        with contextlib.suppress(FileNotFoundError):
            n += seg.read_bytes().count(b"\n")
    return n


@pytest.mark.timeout(900)  # its engine starts in the held CLI (about 50 s on 2 idle cores; early, beside other tests)
def test_sigkill_loses_at_most_the_chunk_in_flight_and_rerun_sends_only_missing(
    held_generate: HeldGenerate, vllm_engine: Any
) -> None:
    """A real SIGKILL of `thinkmill generate` (its own engine) mid-run; the rerun (session engine) sends exactly
    the requests whose result was not journalled, and the journal kept everything that finished."""
    held, chunk = held_generate, HeldGenerate.chunk
    folder, proc = held.journal, held.proc
    try:
        # the child holds after its 12th journalled result (with requests still in its engine), so the kill always
        # lands mid-run: polling alone lost the race on a fast moment (all 120 journalled before the kill)
        wait_for(lambda: _journal_lines(folder) >= 3 * chunk or proc.poll() is not None, 300, "journalled results")
        assert proc.poll() is None, held.output()
    finally:
        held.stop()  # SIGKILL of the CLI and its engine processes
    assert proc.returncode == -signal.SIGKILL
    journalled = _journal_lines(folder)
    total = HeldGenerate.n_tasks * 3
    cfg, tasks = held.cfg, held.tasks
    order = [r.key for r in build_requests(tasks, cfg.generate)]
    with Store.open(held.db) as store:
        assert store.count("generations") == 0  # nothing committed: all that survived is in the journal
        replay_journal(store)
        stored = set(store.read("generations")["key"])
        assert len(stored) == journalled == 3 * chunk < total
        # requests go to the engine in order, at most `chunk` at a time: whatever was lost was in flight
        assert max(order.index(k) for k in stored) < len(stored) + chunk
        engine = Recording(vllm_engine)
        summary = run(store, cfg, engine, tasks)
        final = store.read("generations")
    assert summary.metadata["cached"] == len(stored) and summary.metadata["sent"] == total - len(stored)
    assert engine.added == [k for k in order if k not in stored]  # only the missing, each once
    assert final.height == total and final["key"].n_unique() == total and final["error"].null_count() == total
    assert not folder.exists() or not any(folder.iterdir())
