"""One backend response (or failure) and the `generations` row it becomes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pipeline.dataset.redact import scrub_credentials
from pipeline.generate.request import GenerationRequest
from pipeline.store import now_utc, to_json
from pipeline.trace import join_reasoning, parse_trace

# Error kinds recorded as the prefix of `generations.error` ("<kind>: <detail>").
CONTEXT_LENGTH = "context_length_exceeded"
UNKNOWN_MODEL = "unknown_model"
BAD_REQUEST = "bad_request"
AUTH = "auth"  # HTTP 401 / 403: the server refused the API key (it was filed `bad_request`)
SERVER_ERROR = "server_error"
BATCH_ERROR = "batch_error"
# A no-think response whose whole text came back as `reasoning` with no content: vLLM's `deepseek_r1` and `qwen3`
# reasoning parsers assume the output starts inside a think block unless the request says `enable_thinking: false`
# (Hermes 4's switch is `thinking`), so an untagged answer lands in `reasoning`. It cannot be told apart from
# deliberation the model never answered after, so it is neither a leak nor an answer: an error, re-sent by the next
# run (`retry_errors`) once the server reads the switch (`--reasoning-parser deepseek_v3`) or parses nothing.
REASONING_PARSER = "reasoning_parser"
REASONING_PARSER_DETAIL = (
    "no-think response came back as `reasoning` with no content: the server's reasoning parser (vLLM deepseek_r1 or "
    "qwen3) treats an untagged answer as reasoning; serve with --reasoning-parser deepseek_v3 (it reads the "
    "`thinking` switch) or without a reasoning parser, then rerun generate to re-send these requests"
)


@dataclass(slots=True)
class GenerationResult:
    """What a backend returns for one request. `error` set means the request failed (text is None)."""

    text: str | None = None
    reasoning_content: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_s: float | None = None
    error: str | None = None
    retries: int = 0


def classify_error(status: int | None, message: str) -> str:
    """Map a server's error to a stable kind; the message keeps the server's words."""
    low = message.lower()
    if "context length" in low or "maximum context" in low or "context_length" in low or "too long" in low:
        return CONTEXT_LENGTH
    if status == 404 or "pinned to" in low or ("model" in low and ("not found" in low or "does not exist" in low)):
        return UNKNOWN_MODEL
    if status in (401, 403):
        return AUTH
    if status is not None and 400 <= status < 500:
        return BAD_REQUEST
    return SERVER_ERROR


def error_kind(error: str | None) -> str | None:
    return None if error is None else error.split(":", 1)[0]


def public_endpoint(url: str) -> str:
    """A base URL without credentials, query or fragment: safe to store and log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def reasoning_field(*values: Any) -> str | None:
    """The reasoning a server returned beside the content, from its fields in order of preference
    (`reasoning_content`, `reasoning`): the first with text, else a blank one (`""`: in think mode an empty think
    block, `join_reasoning`), else None. Before, `or` between the fields made `""` None, so an empty think block
    split off by a reasoning parser was stored as a response without one (`no_think_block`)."""
    texts = [v for v in values if isinstance(v, str)]
    return next((v for v in texts if v.strip()), texts[0] if texts else None)


def full_text(result: GenerationResult, mode: str | None = None) -> str | None:
    """The whole assistant output, think block included, whichever shape the server returned (`mode`: the request's,
    see `join_reasoning`)."""
    if result.text is None and result.reasoning_content is None:
        return None
    # truncated: left open
    return join_reasoning(result.text, result.reasoning_content, result.finish_reason, mode)  # type: ignore[arg-type]


def generation_row(
    req: GenerationRequest, res: GenerationResult, *, backend: str, endpoint: str | None
) -> dict[str, Any]:
    """A `generations` row (json columns already serialised): provenance, think/answer split and flags."""
    reasoned = bool((res.reasoning_content or "").strip())  # a blank reasoning field is none (`join_reasoning`)
    if res.error is None and req.mode == "no_think" and reasoned and not (res.text or "").strip():
        res = replace(res, text=None, reasoning_content=None, error=f"{REASONING_PARSER}: {REASONING_PARSER_DETAIL}")
    # `content: null` and no reasoning (a content filter, a budget spent on nothing) is an empty response, judged (and
    # failed) like any other; as NULL it was never judged nor sent again, and vanished from every count
    raw = None if res.error else (full_text(res, req.mode) or "")
    if raw is not None:
        parsed = parse_trace(
            res.text, req.mode, reasoning_content=res.reasoning_content, finish_reason=res.finish_reason
        )
        think, answer, flags = parsed.think, parsed.answer, list(parsed.flags)
    else:
        think, answer, flags = None, None, []
    return {
        "key": req.key,
        "task_id": req.task_id,
        "mode": req.mode,
        "sample_index": req.sample_index,
        "backend": backend,
        "model": req.model,
        "model_revision": req.model_revision,
        "endpoint": endpoint,
        "template_version": req.template_version,
        "messages": to_json(list(req.messages)),
        # as sent, less secrets (a gateway key in `extra_body`): the key, not this record, covers their values
        "sampling_params": to_json(
            scrub_credentials({**req.sampling_params, "chat_template_kwargs": req.chat_template_kwargs})
        ),
        "seed": req.seed,
        "raw_text": raw,
        "think": think,
        "answer": answer,
        "parse_flags": flags,
        "finish_reason": res.finish_reason,
        "prompt_tokens": res.prompt_tokens,
        "completion_tokens": res.completion_tokens,
        "latency_s": res.latency_s,
        "error": res.error,
        "retries": res.retries,
        "created_at": now_utc(),
    }
