"""The in-process vLLM engine: the whole batch goes to `LLM.chat` at once so the engine schedules it.

vllm is an optional extra (`thinkmill[vllm]`) and needs a GPU; it is imported only when this backend runs.
Requests are grouped by mode because `chat_template_kwargs` (the think switch) is per call. Prefix caching is
on by default: every think request shares the long reasoning system prompt.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from pipeline.generate.backends.base import BackendUnavailableError, Sink
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import GenerationResult


class VLLMBackend:
    name = "vllm"

    def __init__(self, cfg: GenerateConfig) -> None:
        self.cfg = cfg
        self._llm: Any = None

    @property
    def endpoint(self) -> str:
        return f"vllm://{self.cfg.model}"

    def _engine(self) -> Any:
        if self._llm is None:
            try:
                import vllm
            except ImportError as exc:
                raise BackendUnavailableError(
                    "generate.backend is 'vllm' but vllm is not installed: pip install 'thinkmill[vllm]' "
                    "on a machine with a CUDA GPU, or use backend 'openai' against a `vllm serve` server"
                ) from exc
            v = self.cfg.vllm
            self._llm = vllm.LLM(
                model=self.cfg.model,
                revision=self.cfg.model_revision,
                tensor_parallel_size=v.tensor_parallel_size,
                enable_prefix_caching=v.enable_prefix_caching,
                gpu_memory_utilization=v.gpu_memory_utilization,
                max_model_len=v.max_model_len,
                dtype=v.dtype,
                seed=self.cfg.seed,
            )
        return self._llm

    @staticmethod
    def sampling_params(req: GenerationRequest) -> Any:
        from vllm import SamplingParams

        return SamplingParams(**req.sampling_params, seed=req.seed)

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        if not requests:
            return
        llm = self._engine()
        for mode in ("think", "no_think"):
            group = [r for r in requests if r.mode == mode]
            size = self.cfg.vllm.chunk_size or len(group) or 1
            for start in range(0, len(group), size):
                chunk = group[start:start + size]
                t0 = time.perf_counter()
                outputs = llm.chat(
                    [list(r.messages) for r in chunk],
                    sampling_params=[self.sampling_params(r) for r in chunk],
                    chat_template_kwargs=chunk[0].chat_template_kwargs,
                    use_tqdm=True,
                )
                elapsed = time.perf_counter() - t0
                for req, out in zip(chunk, outputs, strict=True):
                    o = out.outputs[0]
                    sink(req, GenerationResult(
                        text=o.text,
                        finish_reason=o.finish_reason,
                        prompt_tokens=len(out.prompt_token_ids or []),
                        completion_tokens=len(o.token_ids),
                        latency_s=elapsed,  # the engine call's wall time: requests run together
                    ), self.endpoint)
