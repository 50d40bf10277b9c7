"""Request bodies per target server: vLLM-compatible (the default) or OpenAI's own API.

OpenAI's chat-completions endpoint and batch API reject fields they do not know (`top_k`,
`chat_template_kwargs`, `min_p`, ...). For the `openai` target a request keeps only OpenAI fields; the think
switch is then the reasoning system prompt alone (already in the messages). Its key is recomputed from what is
actually sent, so the stored provenance (sampling params, template switches) is what the model received.
Requests for the default `vllm` target are returned unchanged: their keys never change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from pipeline.generate.backends.base import GenerateError
from pipeline.generate.config import GenerateConfig, Target
from pipeline.generate.request import GenerationRequest, request_key

# Sampling-side fields of OpenAI's chat completions (model, messages and seed are set separately).
OPENAI_SAMPLING_FIELDS = frozenset(
    {
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "frequency_penalty",
        "presence_penalty",
        "stop",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "n",
        "response_format",
        "reasoning_effort",
        "service_tier",
        "user",
    }
)
# Sent by default for vLLM (Hermes 4 card: top_k 20) and simply left out for OpenAI.
DROPPED_FOR_OPENAI = frozenset({"top_k"})


class TargetError(GenerateError, ValueError):
    """A configured request field the chosen target does not accept (names the field)."""


def for_target(req: GenerationRequest, target: Target) -> GenerationRequest:
    """`req` as sent to `target`: unchanged for vllm; only OpenAI fields (and a matching key) for openai."""
    if target == "vllm":
        return req
    if target != "openai":
        raise TargetError(f"unknown request target {target!r}: use vllm or openai")
    unknown = sorted(set(req.sampling_params) - OPENAI_SAMPLING_FIELDS - DROPPED_FOR_OPENAI)
    if unknown:
        section = "think" if req.mode == "think" else "no_think"
        raise TargetError(
            f"generate.{section}.extra.{unknown[0]}: not an OpenAI chat-completions field; remove it or use "
            f"target vllm (generate.openai.target / generate.batch_target / --target)"
        )
    params = {k: v for k, v in req.sampling_params.items() if k in OPENAI_SAMPLING_FIELDS}
    key = request_key(
        task_id=req.task_id,
        model=req.model,
        model_revision=req.model_revision,
        messages=req.messages,
        sampling=params,
        template_kwargs={},
        sample_index=req.sample_index,
        seed=req.seed,
        template_version=req.template_version,
    )
    return dataclasses.replace(req, key=key, sampling_params=params, chat_template_kwargs={})


def requests_for_target(requests: Iterable[GenerationRequest], target: Target) -> Iterator[GenerationRequest]:
    for req in requests:
        yield for_target(req, target)


def target_of(cfg: GenerateConfig) -> Target:
    """The target the configured backend sends to (the in-process vLLM engine is always vllm)."""
    if cfg.backend == "openai":
        return cfg.openai.target
    if cfg.backend == "batch":
        return cfg.batch_target
    return "vllm"
