"""Generation requests and their content-addressed keys.

A request's key is the hash of everything that determines the response: model (and revision), rendered
messages, sampling parameters, chat-template switches, sample index, seed, template version and the task it
answers. The same key is never sent twice: it is the primary key of `generations`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.generate.config import GenerateConfig, SamplingConfig
from pipeline.generate.templates import TEMPLATE_VERSION, chat_template_kwargs, render_messages
from pipeline.ingest.choices import ChoiceError, parse_choices
from pipeline.store import to_json
from pipeline.trace import MODES, Mode

KEY_PREFIX = "g1_"  # bump if the key recipe itself changes


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    key: str
    task_id: str
    mode: Mode
    sample_index: int
    model: str
    model_revision: str | None
    messages: tuple[dict[str, str], ...]
    sampling_params: dict[str, Any]
    seed: int
    template_version: str
    chat_template_kwargs: dict[str, Any]


def derive_seed(task_id: str, mode: str, sample_index: int, base_seed: int) -> int:
    """Per-request seed, stable across runs and machines (31 bits: every backend accepts it)."""
    digest = hashlib.sha256(f"{base_seed}\x1f{task_id}\x1f{mode}\x1f{sample_index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & 0x7FFFFFFF


def sampling_params(sampling: SamplingConfig) -> dict[str, Any]:
    """The sampling fields as sent (top_k only when set: not every server accepts it)."""
    params: dict[str, Any] = {
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "max_tokens": sampling.max_tokens,
    }
    if sampling.top_k is not None:
        params["top_k"] = sampling.top_k
    params.update(sampling.extra)
    return params


def request_key(
    *,
    task_id: str,
    model: str,
    model_revision: str | None,
    messages: list[dict[str, str]] | tuple[dict[str, str], ...],
    sampling: dict[str, Any],
    template_kwargs: dict[str, Any],
    sample_index: int,
    seed: int,
    template_version: str,
) -> str:
    payload = to_json(
        {
            "task_id": task_id,
            "model": model,
            "model_revision": model_revision,
            "messages": list(messages),
            "sampling_params": sampling,
            "chat_template_kwargs": template_kwargs,
            "sample_index": sample_index,
            "seed": seed,
            "template_version": template_version,
        }
    )
    return KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:40]


def samples_for(cfg: GenerateConfig, mode: Mode) -> int:
    return cfg.samples_think if mode == "think" else cfg.samples_no_think


def build_request(
    cfg: GenerateConfig,
    task_id: str,
    domain: str,
    prompt: str,
    mode: Mode,
    sample_index: int,
    choices: dict[str, str] | None = None,
    system: str | None = None,
    verifier: str | None = None,
) -> GenerationRequest:
    messages = tuple(render_messages(prompt, domain, mode, choices, system, verifier))
    params = sampling_params(cfg.think if mode == "think" else cfg.no_think)
    # A mode's `extra.chat_template_kwargs` (keep_cots, ...) joins the think switch: every backend sends (and the
    # row stores) the request's switches, so left in the sampling fields it was overwritten by them, never sent.
    # It stays in the sampling fields too, where the `openai` target names it as a field it cannot send.
    mode_kwargs = params.get("chat_template_kwargs")
    kwargs = {**(mode_kwargs if isinstance(mode_kwargs, dict) else {}), **chat_template_kwargs(mode)}
    seed = derive_seed(task_id, mode, sample_index, cfg.seed)
    key = request_key(
        task_id=task_id,
        model=cfg.model,
        model_revision=cfg.model_revision,
        messages=messages,
        sampling=params,
        template_kwargs=kwargs,
        sample_index=sample_index,
        seed=seed,
        template_version=TEMPLATE_VERSION,
    )
    return GenerationRequest(
        key,
        task_id,
        mode,
        sample_index,
        cfg.model,
        cfg.model_revision,
        messages,
        params,
        seed,
        TEMPLATE_VERSION,
        kwargs,
    )


def build_requests(tasks: pl.DataFrame, cfg: GenerateConfig) -> Iterator[GenerationRequest]:
    """k requests per task and mode (config `samples_think`, `samples_no_think`), in task order."""
    missing = {"task_id", "domain", "prompt"} - set(tasks.columns)
    if missing:
        raise ValueError(f"tasks frame lacks columns {sorted(missing)}")
    args = tasks["verifier_args"] if "verifier_args" in tasks.columns else pl.repeat(None, tasks.height, eager=True)
    systems = task_systems(tasks)
    verifiers = task_verifiers(tasks)
    for (task_id, domain, prompt), raw_args, system, verifier in zip(
        tasks.select("task_id", "domain", "prompt").iter_rows(), args, systems, verifiers, strict=True
    ):
        choices = mcq_choices(raw_args)
        for mode in MODES:
            for i in range(samples_for(cfg, mode)):
                yield build_request(cfg, task_id, domain, prompt, mode, i, choices, system, verifier)


def task_systems(tasks: pl.DataFrame) -> pl.Series:
    """The tasks' own system prompts (null where none; a frame without the column, e.g. of an older caller: none)."""
    if "system" in tasks.columns:
        return tasks.get_column("system")
    return pl.repeat(None, tasks.height, dtype=pl.String, eager=True)


def task_verifiers(tasks: pl.DataFrame) -> pl.Series:
    """The tasks' verifiers, which pick the answer instruction of a domain of the user's own
    (`templates.suffix_domain`); a frame without the column: none (the domain alone decides)."""
    if "verifier" in tasks.columns:
        return tasks.get_column("verifier")
    return pl.repeat(None, tasks.height, dtype=pl.String, eager=True)


def mcq_choices(verifier_args: str | dict[str, Any] | None) -> dict[str, str] | None:
    """An MCQ task's options by letter (any shape ingest accepts), or None."""
    if isinstance(verifier_args, str):
        try:
            verifier_args = json.loads(verifier_args)
        except ValueError:
            return None
    raw = verifier_args.get("choices") if isinstance(verifier_args, dict) else None
    if not raw:
        return None
    try:
        return parse_choices(raw).options
    except ChoiceError:
        return None  # the verifier reports bad choices; the prompt is sent as stored
