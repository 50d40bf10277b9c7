"""Fixtures of the verify tests: a default config, a registry, and a helper to judge one response."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item, Verdict, judge
from pipeline.verify.registry import Registry
from pipeline.verify.result import CheckResult, TaskSpec


@pytest.fixture(scope="session")
def cfg() -> VerifyConfig:
    return VerifyConfig.model_validate({"code": {"timeout_s": 2, "max_output_kb": 64, "memory_mb": 512}})


@pytest.fixture(scope="session")
def registry(cfg: VerifyConfig) -> Registry:
    return Registry(cfg)


@pytest.fixture
def check(registry: Registry, cfg: VerifyConfig):  # type: ignore[no-untyped-def]
    """check(verifier, answer_text, reference=None, **verifier_args) -> CheckResult (no lints)."""

    def _check(verifier: str, answer: str, reference: str | None = None, **args: Any) -> CheckResult:
        task = TaskSpec("t", verifier, reference, args)
        return registry.get(verifier).check(answer, task, cfg)

    return _check


@pytest.fixture
def verdict(registry: Registry, cfg: VerifyConfig):  # type: ignore[no-untyped-def]
    """verdict(text, mode, verifier="exact", answer="42", prompt="...", finish_reason=None, reasoning=None,
    request=None, **args) -> Verdict (lints included; `request`: the user turn as sent)."""

    def _verdict(
        text: str | None,
        mode: str = "auto",
        verifier: str = "exact",
        answer: str | None = "42",
        prompt: str = "What is six times seven?",
        finish_reason: str | None = None,
        reasoning: str | None = None,
        request: str | None = None,
        **args: Any,
    ) -> Verdict:
        item = Item(
            TaskSpec("t", verifier, answer, args, prompt),
            text,
            mode,
            reasoning,  # type: ignore[arg-type]
            finish_reason,
            request,
        )
        return judge(item, registry, cfg)

    return _verdict
