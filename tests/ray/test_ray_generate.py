"""Generation on Ray (Ray Data LLM, vLLM's CPU build, the tiny random Llama): the same request keys, messages,
sampling, seeds and provenance as the local vLLM backend writes; one test (an engine start is ~50 s on CPU)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from pipeline.config import ThinkmillConfig
from pipeline.executor.config import ExecutorConfig
from pipeline.executor.generate import RayVLLMBackend
from pipeline.generate.backends.vllm_backend import VLLMBackend
from pipeline.generate.request import build_requests
from pipeline.generate.result import GenerationResult, generation_row
from pipeline.generate.runner import make_backend
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
from testing_support.tiny_vllm_model import build_tiny_llama
from tests.vllm_e2e.conftest import ENGINE_ARGS, store_tasks, tasks_frame

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("vllm_installed")]

PROVENANCE = ["key", "task_id", "mode", "sample_index", "backend", "model", "model_revision", "endpoint",
              "template_version", "messages", "sampling_params", "seed"]  # fmt: skip


def test_generation_on_ray_matches_the_local_backend_in_keys_and_provenance(tmp_path: Path) -> None:
    model = build_tiny_llama(tmp_path / "model")
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared")))
    g = cfg.generate
    g.backend, g.model = "vllm", str(model)
    g.samples_think, g.samples_no_think = 2, 1
    g.think.max_tokens = g.no_think.max_tokens = 8
    g.vllm.engine_kwargs = dict(ENGINE_ARGS)
    backend = make_backend(cfg)
    assert isinstance(backend, RayVLLMBackend)
    tasks = tasks_frame(3, long_prompt_at=1)  # task t001's prompt is over max_model_len: refused by the engine
    with Store.open(tmp_path / "g.duckdb") as store:
        store_tasks(store, tasks)
        report = run_generation(store, cfg, backend=backend, tasks=tasks)
        rows = store.read("generations", order_by="key")
    local_endpoint = VLLMBackend(g).endpoint
    want = pl.DataFrame(
        [
            generation_row(r, GenerationResult(text="x"), backend="vllm", endpoint=local_endpoint)
            for r in build_requests(tasks, g)
        ]
    ).sort("key")
    got = rows.select(PROVENANCE)
    assert got["key"].to_list() == want["key"].to_list()  # the same request keys, each once
    for col in PROVENANCE:
        g_vals, w_vals = got[col].to_list(), want[col].to_list()
        if col in ("messages", "sampling_params"):
            g_vals = [json.loads(v) if isinstance(v, str) else v for v in g_vals]
            w_vals = [json.loads(v) if isinstance(v, str) else v for v in w_vals]
        assert g_vals == w_vals, col
    ok = rows.filter(pl.col("error").is_null())
    assert ok.height == 6 and set(ok["finish_reason"]) <= {"stop", "length"}
    assert ok["raw_text"].null_count() == 0 and (ok["completion_tokens"] <= 8).all()
    # finish reasons as vLLM decides them: fewer tokens than max_tokens is a stop, `length` only at max_tokens
    assert (ok.filter(pl.col("completion_tokens") < 8)["finish_reason"] == "stop").all()
    assert (ok.filter(pl.col("finish_reason") == "length")["completion_tokens"] == 8).all()
    errs = rows.filter(pl.col("error").is_not_null())
    assert set(errs["task_id"]) == {"t001"} and errs.height == 3
    assert re.match(r"context_length_exceeded: \w+: .*maximum context length is 512", errs["error"][0]), errs["error"][
        0
    ]
    assert report.metadata["succeeded"] == 6 and report.metadata["errors_by_kind"] == {"context_length_exceeded": 3}


def test_prompts_are_rendered_with_the_tokenizer_the_engine_loads(tmp_path: Path) -> None:
    """`generate.vllm.engine_kwargs.tokenizer` (and `tokenizer_revision`, `trust_remote_code`) choose the tokenizer
    the engine loads, chat template included (a quantised model whose tokenizer lives in another repository):
    the driver renders the prompts with that one, as the local backend does with `llm.get_tokenizer()`."""
    from transformers import AutoTokenizer

    from pipeline.generate.backends.vllm_backend import render_prompt

    model = build_tiny_llama(tmp_path / "model")
    other_template = "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}[assistant] "
    tok_dir = build_tiny_llama(tmp_path / "tokenizer", chat_template=other_template)
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared")))
    g = cfg.generate
    g.backend, g.model = "vllm", str(model)
    g.vllm.engine_kwargs = dict(ENGINE_ARGS) | {"tokenizer": str(tok_dir)}
    backend = make_backend(cfg)
    assert isinstance(backend, RayVLLMBackend)
    req = next(iter(build_requests(tasks_frame(1), g)))
    engine_tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))  # what vLLM loads: engine_kwargs' tokenizer
    want = render_prompt(engine_tokenizer, req)
    assert render_prompt(backend._tokenizer(), req, backend.local.chat_template) == want
    assert "[user]" in engine_tokenizer.decode(want)


def test_finish_reason_length_at_the_models_own_context_when_max_model_len_is_unset(
    tmp_path: Path, monkeypatch
) -> None:
    """Without `max_model_len` the engines run at the model's own context (512 for the tiny Llama): an output that
    fills it is cut there, and vLLM says `length`; the driver derives the same (it took 10**9 as the limit and
    recorded such truncated outputs as `stop`). The engine's outputs are stood in for: no engine starts."""
    model = build_tiny_llama(tmp_path / "model")
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared")))
    g = cfg.generate
    g.backend, g.model = "vllm", str(model)
    g.samples_think, g.samples_no_think = 0, 1
    g.no_think.max_tokens = 1000  # more than the context holds: the context ends the output
    g.vllm.engine_kwargs = {k: v for k, v in ENGINE_ARGS.items() if k != "max_model_len"}
    backend = make_backend(cfg)
    assert isinstance(backend, RayVLLMBackend)
    requests = list(build_requests(tasks_frame(2), g))
    tokenizer = backend._tokenizer()
    plain = [i for i in range(300) if i not in backend._stop_ids(tokenizer)][:50]

    class Outputs:
        def iter_rows(self):
            # the first request fills the context (prompt + 480 tokens = 512), the second ends early on no stop token
            for req, n in zip(requests, (None, 10), strict=True):
                prompt = 32
                n = 512 - prompt if n is None else n
                yield {
                    "key": req.key,
                    "text": "x" * n,
                    "tokens": (plain * 20)[:n],
                    "prompt_tokens": prompt,
                    "latency_s": 0.1,
                }

    monkeypatch.setattr(RayVLLMBackend, "_processor", lambda self, ray: lambda ds: Outputs())
    got: dict[str, GenerationResult] = {}
    backend.run(requests, lambda req, res, endpoint: got.__setitem__(req.key, res))
    assert [got[r.key].finish_reason for r in requests] == ["length", "stop"]


def test_a_modes_template_switches_are_rendered_not_sent_as_sampling_fields(tmp_path: Path, monkeypatch) -> None:
    """A mode's `extra.chat_template_kwargs` (keep_cots) is a template switch: the local engine renders it and
    leaves it out of `SamplingParams`; the Ray driver put it into every row's sampling fields, which vLLM's
    `SamplingParams` refuses (TypeError inside Ray). The engine's outputs are stood in for: no engine starts."""
    from vllm import SamplingParams

    model = build_tiny_llama(tmp_path / "model")
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared")))
    g = cfg.generate
    g.backend, g.model = "vllm", str(model)
    g.samples_think, g.samples_no_think = 0, 1
    g.no_think.extra = {"chat_template_kwargs": {"keep_cots": True}}
    g.vllm.engine_kwargs = dict(ENGINE_ARGS)
    backend = make_backend(cfg)
    requests = list(build_requests(tasks_frame(1), g))
    assert requests[0].chat_template_kwargs == {"keep_cots": True, "thinking": False}
    sent: list[dict] = []

    def processor(ds):
        sent.extend(ds.take_all())

        class Outputs:
            def iter_rows(self):
                for req in requests:
                    yield {"key": req.key, "text": "4", "tokens": [5], "prompt_tokens": 8, "latency_s": 0.1}

        return Outputs()

    monkeypatch.setattr(RayVLLMBackend, "_processor", lambda self, ray: processor)
    got: dict[str, GenerationResult] = {}
    backend.run(requests, lambda req, res, endpoint: got.__setitem__(req.key, res))
    fields = set(SamplingParams.__struct_fields__)
    assert sent and all(set(json.loads(row["sampling_json"])) <= fields for row in sent)
    assert got[requests[0].key].error is None
