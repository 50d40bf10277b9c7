"""The LLM judge on the in-process vLLM engine (`verify.judge.backend: vllm`), with vLLM's CPU build.

It reuses the session's one engine (tests/vllm_e2e/conftest.py): `VLLMBackend._engine` hands it out, so the judge
goes through `make_judge_backend` and the generate stage's vLLM backend as configured, without a second start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.generate.backends.vllm_backend import VLLMBackend
from pipeline.store import Store
from pipeline.verify.config import VerifyConfig
from pipeline.verify.db import verify_database

pytestmark = pytest.mark.usefixtures("vllm_installed")


def test_the_judge_on_the_in_process_vllm_engine(
    tmp_path: Path, vllm_model: Path, vllm_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(VLLMBackend, "_engine", lambda self: vllm_engine)
    # the session's tiny model has a 512-token context and a tokenizer trained on a few lines (several tokens a word):
    # the judge's full system prompt alone fills it (622 tokens, `context_length_exceeded`); what is tested here is the
    # engine path, not the prompt (tests/verify/test_verify_llm_judge.py tests the prompt)
    from pipeline.verify.verifiers import llm_judge

    monkeypatch.setattr(llm_judge, "SYSTEM_PROMPT", 'Reply {"reasoning": "...", "score": 1-10}.')
    cfg = VerifyConfig.model_validate(
        {
            "judge": {
                "backend": "vllm",
                "model": str(vllm_model),
                "rubric": "The answer names a colour and explains why.",
                "max_tokens": 8,
                "malformed_retries": 0,
            }
        }
    )
    task = {
        "task_id": "t1",
        "source": "s",
        "domain": "writing",
        "prompt": "Name a colour.",
        "answer": None,
        "verifier": "judge",
        "verifier_args": {},
        "metadata": {},
    }
    gen = {
        "key": "k1",
        "task_id": "t1",
        "mode": "think",
        "sample_index": 0,
        "backend": "batch",
        "model": "m",
        "template_version": "1",
        "messages": [],
        "sampling_params": {},
        "raw_text": "<think>\nRed is warm.\n</think>\nRed.",
    }
    with Store.open(tmp_path / "t.duckdb") as store:
        store.insert("tasks", pl.DataFrame([task]))
        store.insert("generations", pl.DataFrame([gen]))
        report = verify_database(store, cfg)
        verdict = store.read("verdicts").to_dicts()[0]
        row = store.read("judge_requests").to_dicts()[0]
    # random weights never write a readable verdict: an error verdict, never a pass
    assert (verdict["passed"], verdict["reason"]) == (False, "judge:malformed")
    assert row["endpoint"] == f"vllm://{vllm_model}" and row["error"] is None and row["completion_tokens"]
    assert report.metadata["judge"]["sent"] == 1
