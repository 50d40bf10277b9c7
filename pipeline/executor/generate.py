"""Generation on Ray: `backend: vllm` with `executor: {kind: ray}` runs the requests through Ray Data LLM
(`ray.data.llm.vLLMEngineProcessorConfig` + `build_processor`): `executor.engines` vLLM engine replicas, each on
its own GPU(s) (`executor.num_gpus`) or CPUs (vLLM's CPU build).

The same requests as the local engine (`pipeline.generate.backends.vllm_backend`): the driver renders each prompt
with the model's chat template and the request's `chat_template_kwargs` (`render_prompt`, the same token ids),
and sends the request's own sampling parameters and seed; the engine starts with the same engine arguments
(`VLLMBackend.engine_kwargs`, seed included). Results come back to the driver, which hands them to the stage's
sink under the request key, with the same backend name and endpoint, so rows match a local run in keys and
provenance. The openai backend stays on the driver (its async client already keeps many servers busy).

Ray Data LLM returns the generated token ids and text but no finish reason; it is derived here exactly as vLLM's
scheduler decides it: `stop` when the last token is a stop token (EOS unless `ignore_eos`, or one of
`stop_token_ids`) or a stop string ended the text, else `length` when the output reached `max_tokens` or the
context reached `max_model_len` (unset: the length vLLM derives from the model's config). Sampling options that
add other finish conditions (`repetition_detection`) are refused before the engine starts. Think tags that are
special tokens are kept by decoding the token ids, as the local backend does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline.executor.config import ExecutorConfig
from pipeline.generate.backends.base import GenerateError, SamplingConfigError, Sink
from pipeline.generate.backends.vllm_backend import (
    VLLMBackend,
    _Decoder,
    _import_vllm,
    _on_cpu,
    in_opened_block,
    rendered_prompt,
    sampling_params,
)
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import BAD_REQUEST, CONTEXT_LENGTH, GenerationResult, classify_error

_UNSUPPORTED = ("repetition_detection", "n", "best_of")


def finish_reason(
    tokens: Sequence[int], text_cut: bool, n_prompt: int, params: Any, stop_ids: set[int], max_model_len: int
) -> tuple[str, int | str | None]:
    """(finish_reason, stop_reason) as vLLM's scheduler and detokenizer decide them (see the module docstring)."""
    if tokens and tokens[-1] in stop_ids:
        return "stop", (tokens[-1] if tokens[-1] in set(params.stop_token_ids or ()) else None)
    if text_cut:
        return "stop", "stop_string"
    if len(tokens) >= (params.max_tokens or 0) or n_prompt + len(tokens) >= max_model_len:
        return "length", None
    return "stop", None


class RayVLLMBackend:
    """`backend: vllm` on a Ray cluster; same surface as `VLLMBackend` (name, endpoint, run)."""

    name = "vllm"

    def __init__(self, cfg: GenerateConfig, ex: ExecutorConfig, *, chat_template_path: str | Path | None = None):
        self.cfg, self.ex = cfg, ex
        self.local = VLLMBackend(cfg, chat_template_path=chat_template_path)
        self.finished = 0
        self.address: str | None = None

    @property
    def endpoint(self) -> str:
        return self.local.endpoint

    def engine_kwargs(self) -> dict[str, Any]:
        kwargs = self.local.engine_kwargs()
        kwargs.pop("model")
        if _on_cpu():
            kwargs.setdefault("enable_chunked_prefill", False)  # as the local backend (see its _engine)
        return kwargs

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        self.finished = 0
        if not requests:
            return
        _import_vllm()
        from vllm import SamplingParams

        from pipeline.executor.runtime import connect, import_ray

        params = {r.key: sampling_params(r, SamplingParams) for r in requests}  # config errors first
        if len(params) != len(requests):
            raise GenerateError("duplicate request keys: the engine tracks requests by key (send each key once)")
        for r in requests:
            bad = sorted(set(r.sampling_params) & set(_UNSUPPORTED))
            if bad:
                raise SamplingConfigError(f"generate.{r.mode}.extra: {bad[0]!r} is not supported with executor ray")
        tokenizer = self._tokenizer()
        decoder = _Decoder.for_tokenizer(tokenizer)
        max_model_len = self._max_model_len()  # before any engine starts
        self.address = connect(self.ex)
        ray = import_ray()
        # every row carries the same sampling keys (Ray Data stores rows as Arrow structs): a key a request
        # does not set gets vLLM's own default, which is what omitting it means
        # a mode's `chat_template_kwargs` is no sampling field: it is rendered into the prompt (`render_prompt` reads
        # the request's switches), as the local engine does; vLLM's SamplingParams refuses it
        keys = sorted({k for r in requests for k in r.sampling_params if k != "chat_template_kwargs"} | {"seed"})
        defaults = SamplingParams()
        rows = []
        opened: set[str] = set()  # keys whose template opened the think block (`in_opened_block`), as locally
        for r in requests:
            sp = {k: r.sampling_params.get(k, getattr(defaults, k, None)) for k in keys} | {"seed": r.seed}
            ids, opens = rendered_prompt(tokenizer, r, self.local.chat_template)
            if opens:
                opened.add(r.key)
            rows.append({"key": r.key, "tokenized_prompt": ids, "sampling_json": json.dumps(sp)})
        processor = self._processor(ray)
        ds = processor(ray.data.from_items(rows))
        by_key = {r.key: r for r in requests}
        stop_ids = self._stop_ids(tokenizer)
        for out in ds.iter_rows():
            req = by_key[out["key"]]
            res = self._result(out, params[req.key], tokenizer, decoder, stop_ids, max_model_len)
            sink(req, in_opened_block(res) if req.key in opened else res, self.endpoint)
            self.finished += 1

    def _tokenizer(self) -> Any:
        """The tokenizer the engines load (vLLM's `ModelConfig` defaults): `engine_kwargs.tokenizer` else the model,
        at `tokenizer_revision` else the model's revision, with `trust_remote_code`. Its chat template renders the
        prompts, as the local backend renders them with `llm.get_tokenizer()`."""
        from transformers import AutoTokenizer

        kwargs = self.local.engine_kwargs()
        return AutoTokenizer.from_pretrained(
            kwargs.get("tokenizer") or kwargs["model"],
            revision=kwargs.get("tokenizer_revision") or kwargs.get("revision"),
            trust_remote_code=bool(kwargs.get("trust_remote_code", False)),
        )

    def _max_model_len(self) -> int:
        """The context length the engines run with: `max_model_len` when set, else the one vLLM derives from the
        model's config (its `ModelConfig`, built here from the same engine arguments; no engine starts)."""
        kwargs = self.local.engine_kwargs()
        if kwargs.get("max_model_len"):
            return int(kwargs["max_model_len"])
        try:
            from vllm.engine.arg_utils import EngineArgs

            return int(EngineArgs(**kwargs).create_model_config().max_model_len)
        except Exception as exc:  # the finish reason of an output cut by the context depends on it: never guess
            raise GenerateError(
                "executor ray: cannot derive the model's context length on the driver; set "
                f"generate.vllm.max_model_len ({type(exc).__name__}: {exc})"
            ) from exc

    def _stop_ids(self, tokenizer: Any) -> set[int]:
        ids = {tokenizer.eos_token_id} if tokenizer.eos_token_id is not None else set()
        try:
            from transformers import GenerationConfig

            eos = GenerationConfig.from_pretrained(self.cfg.model, revision=self.cfg.model_revision).eos_token_id
            ids |= set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        except OSError:  # no generation_config.json: the tokenizer's EOS only, as vLLM
            pass
        return ids

    def _processor(self, ray: Any) -> Any:
        from ray.data.llm import build_processor, vLLMEngineProcessorConfig

        bundle = {"GPU": self.ex.num_gpus} if self.ex.num_gpus else {"CPU": self.ex.num_cpus}
        config = vLLMEngineProcessorConfig(
            model_source=self.cfg.model,
            engine_kwargs=self.engine_kwargs(),
            concurrency=self.ex.engines,
            batch_size=max(1, min(self.cfg.vllm.chunk_size, 256)),
            log_engine_metrics=False,  # needs Ray's metrics export port; thinkmill reports its own counts
            should_continue_on_error=True,  # one refused request is that request's error row, as locally
            chat_template_stage={"enabled": False},  # prompts are rendered on the driver, as locally
            tokenize_stage={"enabled": False},
            detokenize_stage={"enabled": False},
            placement_group_config={"bundle_per_worker": bundle},
        )

        def preprocess(row: dict[str, Any]) -> dict[str, Any]:
            return {
                "key": row["key"],
                "tokenized_prompt": list(row["tokenized_prompt"]),
                "sampling_params": json.loads(row["sampling_json"]),
            }

        def postprocess(row: dict[str, Any]) -> dict[str, Any]:
            return {
                "key": row["key"],
                "text": row.get("generated_text"),
                "tokens": list(row.get("generated_tokens") or []),
                "prompt_tokens": row.get("num_input_tokens"),
                "latency_s": row.get("time_taken_llm"),
            }

        return build_processor(config, preprocess=preprocess, postprocess=postprocess)

    def _result(
        self,
        out: dict[str, Any],
        params: Any,
        tokenizer: Any,
        decoder: _Decoder | None,
        stop_ids: set[int],
        max_model_len: int,
    ) -> GenerationResult:
        error = out.get("__inference_error__")
        if error:
            msg = " ".join(str(error).split())
            kind = classify_error(None, msg)
            return GenerationResult(error=f"{kind if kind == CONTEXT_LENGTH else BAD_REQUEST}: {msg}")
        tokens = [int(t) for t in out["tokens"]]
        text = out["text"] or ""
        eos = set() if params.ignore_eos else stop_ids
        stops = eos | set(params.stop_token_ids or ())
        full = tokenizer.decode(tokens, skip_special_tokens=params.skip_special_tokens) if params.stop else text
        cut = bool(params.stop) and any(s in full for s in params.stop)
        reason, stop_reason = finish_reason(tokens, cut, int(out["prompt_tokens"] or 0), params, stops, max_model_len)
        if decoder is not None and params.skip_special_tokens:
            completion = SimpleNamespace(token_ids=tokens, finish_reason=reason, stop_reason=stop_reason)
            text = decoder.text(completion, params)
        return GenerationResult(
            text=text,
            finish_reason=reason,
            prompt_tokens=int(out["prompt_tokens"] or 0),
            completion_tokens=len(tokens),
            latency_s=float(out["latency_s"]) if out.get("latency_s") not in (None, -1) else None,
        )
