"""The in-process vLLM backend: needs a CUDA GPU and vllm (skipped otherwise)."""

from __future__ import annotations

import importlib.util

import pytest

from pipeline.generate.backends.base import BackendUnavailableError
from pipeline.generate.backends.vllm_backend import VLLMBackend
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_request


def _has_gpu_vllm() -> bool:
    if importlib.util.find_spec("vllm") is None or importlib.util.find_spec("torch") is None:
        return False
    import torch

    return torch.cuda.is_available()


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed")
def test_missing_vllm_is_a_clear_error() -> None:
    backend = VLLMBackend(GenerateConfig(backend="vllm"))
    with pytest.raises(BackendUnavailableError, match=r"thinkmill\[vllm\]"):
        backend.run([build_request(GenerateConfig(), "t", "math", "Q", "think", 0)], lambda *a: None)


@pytest.mark.gpu
@pytest.mark.skipif(not _has_gpu_vllm(), reason="needs a CUDA GPU and vllm")
def test_vllm_generates_whole_batch(tmp_path) -> None:  # pragma: no cover - GPU only
    import os

    import polars as pl

    from pipeline.config import ThinkmillConfig
    from pipeline.generate.runner import run as run_generation
    from pipeline.store import Store

    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend = "vllm"
    g.model = os.environ.get("THINKMILL_VLLM_TEST_MODEL", "Qwen/Qwen3-0.6B")
    g.think.max_tokens = g.no_think.max_tokens = 16
    g.vllm.gpu_memory_utilization = 0.5
    tasks = pl.DataFrame({"task_id": ["a", "b"], "domain": ["math", "code"], "prompt": ["1+1?", "f"]})
    with Store.open(tmp_path / "g.duckdb") as store:
        summary = run_generation(store, cfg, tasks=tasks)
        rows = store.read("generations")
    assert summary.metadata["succeeded"] == 6 and rows.height == 6 and (rows["backend"] == "vllm").all()
    assert rows["completion_tokens"].min() > 0
