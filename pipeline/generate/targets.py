"""Request bodies per target server: vLLM-compatible (the default) or OpenAI's own API.

OpenAI's chat-completions endpoint and batch API reject fields they do not know (`top_k`,
`chat_template_kwargs`, `min_p`, ...). For the `openai` target a request keeps only OpenAI fields; the think
switch is then the reasoning system prompt alone (already in the messages). Its key is recomputed from what is
actually sent, so the stored provenance (sampling params, template switches) is what the model received.
Requests for the default `vllm` target (without extra_body) are returned unchanged: their keys never change.

The openai backend's `generate.openai.extra_body` is merged in here too, not in the backend: its fields join the
request's sampling params and its `chat_template_kwargs` the template switches, so they are stored with each row
and hashed into the key (a changed extra_body is a new request). Without extra_body a request and its key are
unchanged. For the `openai` target its fields go through the same check as the modes' `extra`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

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


# Decoding fields sent with every request to a vLLM-compatible server (the `vllm` target: `vllm serve`, `vllm
# run-batch`), neither stored with the row nor keyed: they change no sampled token, only how the server writes tokens
# as text. A tokenizer may mark `<think>`/`</think>` as special tokens; the server's default decoding
# (`skip_special_tokens`) then dropped them from a no-think answer, which no reasoning parser reads, and a leaked
# think block was stored untagged (the lints never saw it), while the in-process engine kept them
# (`vllm_backend._Decoder`). Kept with their neighbours' spacing as written. A request's own value (extra_body) wins.
VLLM_DECODING: dict[str, bool] = {"skip_special_tokens": False, "spaces_between_special_tokens": False}


class TargetError(GenerateError, ValueError):
    """A configured request field the chosen target does not accept (names the field)."""


def with_extra_body(req: GenerationRequest, extra_body: Mapping[str, Any] | None) -> GenerationRequest:
    """`req` with `extra_body` merged in as it is sent, and the key of that; `req` itself when there is none.

    `extra_body` is checked beforehand (`config.extra_body_problem`): it only adds fields. Should one collide
    anyway, the request's own value is kept, so what is sent and what is stored still agree."""
    if not extra_body:
        return req
    fields = dict(extra_body)
    template = fields.pop("chat_template_kwargs", None) or {}
    return _resent(req, {**fields, **req.sampling_params}, {**template, **req.chat_template_kwargs})


def _resent(req: GenerationRequest, params: dict[str, Any], kwargs: dict[str, Any]) -> GenerationRequest:
    """`req` sending `params` and `kwargs` instead of its own, keyed by them: the key covers what is sent."""
    key = request_key(
        task_id=req.task_id,
        model=req.model,
        model_revision=req.model_revision,
        messages=req.messages,
        sampling=params,
        template_kwargs=kwargs,
        sample_index=req.sample_index,
        seed=req.seed,
        template_version=req.template_version,
    )
    return dataclasses.replace(req, key=key, sampling_params=params, chat_template_kwargs=kwargs)


def for_target(
    req: GenerationRequest, target: Target, extra_body: Mapping[str, Any] | None = None
) -> GenerationRequest:
    """`req` as sent to `target`, with `extra_body` (`generate.openai.extra_body`) merged in: vllm keeps every
    field; openai only OpenAI fields (and a matching key)."""
    if target not in ("vllm", "openai"):
        raise TargetError(f"unknown request target {target!r}: use vllm or openai")
    if target == "openai":
        unknown = sorted(set(extra_body or {}) - OPENAI_SAMPLING_FIELDS)
        if unknown:
            raise TargetError(
                f"generate.openai.extra_body.{unknown[0]}: not an OpenAI chat-completions field; remove it or "
                f"use target vllm (generate.openai.target)"
            )
    req = with_extra_body(req, extra_body)
    if target == "vllm":
        return req
    unknown = sorted(set(req.sampling_params) - OPENAI_SAMPLING_FIELDS - DROPPED_FOR_OPENAI)
    if unknown:
        section = "think" if req.mode == "think" else "no_think"
        raise TargetError(
            f"generate.{section}.extra.{unknown[0]}: not an OpenAI chat-completions field; remove it or use "
            f"target vllm (generate.openai.target / generate.batch_target / --target)"
        )
    return _resent(req, {k: v for k, v in req.sampling_params.items() if k in OPENAI_SAMPLING_FIELDS}, {})


def requests_for_target(
    requests: Iterable[GenerationRequest], target: Target, extra_body: Mapping[str, Any] | None = None
) -> Iterator[GenerationRequest]:
    for req in requests:
        yield for_target(req, target, extra_body)


def target_of(cfg: GenerateConfig) -> Target:
    """The target the configured backend sends to (the in-process vLLM engine is always vllm)."""
    if cfg.backend == "openai":
        return cfg.openai.target
    if cfg.backend == "batch":
        return cfg.batch_target
    return "vllm"
