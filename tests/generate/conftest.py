"""Fixtures of the generate tests: a fault-injecting HTTP proxy in front of the session's `transformers serve`
(`llm_server`, tests/conftest.py). Nothing leaves the machine (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from testing_support.servers import FaultProxy


@pytest.fixture
def fault_proxy(llm_server: str) -> Iterator[Callable[[], FaultProxy]]:
    made: list[FaultProxy] = []

    def make() -> FaultProxy:
        p = FaultProxy(llm_server)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()


def _tasks_frame(n: int, *, long_prompt_at: int | None = None) -> pl.DataFrame:
    domains = ["math", "code", "science_mcq", "instruction_following"]
    prompts = [f"Task {i}: what is {i} + {i}?" for i in range(n)]
    if long_prompt_at is not None:
        prompts[long_prompt_at] = "LONGPROMPT " + "word " * 50
    return pl.DataFrame(
        {"task_id": [f"t{i:03d}" for i in range(n)], "domain": [domains[i % 4] for i in range(n)], "prompt": prompts}
    )


@pytest.fixture
def make_tasks() -> Callable[..., pl.DataFrame]:
    """Tasks over the four domains: make_tasks(n, long_prompt_at=None)."""
    return _tasks_frame


@pytest.fixture
def server_config(tiny_model: Path) -> Callable[..., Any]:
    """A ThinkmillConfig for the openai backend against the tiny model (fast: 4 tokens, tiny backoff)."""
    from pipeline.config import ThinkmillConfig

    def make(base_urls: list[str], **openai_kw: Any) -> ThinkmillConfig:
        cfg = ThinkmillConfig()
        g = cfg.generate
        g.backend = "openai"
        g.model = str(tiny_model)
        g.samples_think, g.samples_no_think = 2, 1
        for s in (g.think, g.no_think):
            s.top_k = None  # `transformers serve` rejects top_k
            s.max_tokens = 4
        g.openai.base_urls = base_urls
        g.openai.max_in_flight = 4
        g.openai.backoff_initial_s = 0.01
        g.openai.backoff_max_s = 0.05
        g.openai.timeout_s = 30
        g.write_batch_rows = 4
        for k, v in openai_kw.items():
            setattr(g.openai, k, v)
        return cfg

    return make
