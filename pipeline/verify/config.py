"""Config of the verify stage: workers, per-verifier settings, lint thresholds, sandbox limits, custom verifiers."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.generate.config import OpenAIBackendConfig, VLLMBackendConfig


class SandboxConfig(BaseModel):
    """Limits of the bubblewrap sandbox the `code` verifier runs model-written code in."""

    model_config = ConfigDict(extra="forbid")
    timeout_s: float = Field(
        10.0,
        gt=0,
        description="Wall-clock seconds per run (per stdin/stdout case); a task's "
        "verifier_args.timeout_s overrides it.",
    )
    max_total_wall_s: float = Field(60.0, gt=0, description="Upper bound on one response's whole sandbox run.")
    memory_mb: int = Field(1024, gt=0, description="Address-space limit per process (RLIMIT_AS), MiB.")
    max_processes: int = Field(
        32,
        gt=0,
        description="Processes and threads the sandboxed user may hold (RLIMIT_NPROC); the code is shown at most a "
        "quarter of this many CPUs (`os.cpu_count()`).",
    )
    max_file_mb: int = Field(16, gt=0, description="Largest file the code may write (RLIMIT_FSIZE), MiB.")
    tmp_mb: int = Field(64, gt=0, description="Size of the private /tmp (tmpfs), MiB.")
    max_output_kb: int = Field(1024, gt=0, description="Output read back per run; more fails with code:output_limit.")
    bwrap: str = Field("bwrap", description="The bubblewrap executable: a name looked up on PATH, or a path.")
    python: str | None = Field(
        None,
        description="Interpreter run inside the sandbox (default /usr/bin/python3, "
        "else the running interpreter's base install).",
    )
    sandbox_uid: int = Field(
        65534,
        ge=0,
        description="When thinkmill runs as root, the sandbox runs as this uid (process limits do not bind root).",
    )
    allow_unsandboxed: bool = Field(
        False, description="Run code WITHOUT bubblewrap (only inside your own sandbox; rlimits still apply)."
    )


class LintConfig(BaseModel):
    """Thresholds of the trace lints (see docs/verifiers.md)."""

    model_config = ConfigDict(extra="forbid")
    enabled: list[str] | None = Field(
        None,
        description="Lint families to run (default: all): think_format, repetition, refusal, language, length, "
        "consistency, answer_format. Cut texts (truncated, unfinished, finish_unknown) and template_token fail "
        "whatever the list.",
    )
    accept_unrecorded_finish: bool = Field(
        False,
        description="Accept a generation from the openai or vllm backend whose server recorded no finish reason "
        "(lint:finish_unknown otherwise) as finished unless its tokens reached the request's max_tokens: only for a "
        "server known never to report one, whose aborted texts then pass.",
    )
    repetition_ngram: int = Field(
        10, ge=1, description="Word n-gram size of the repetition lint (a Chinese or Japanese character is a word)."
    )
    repetition_max_dup_share: float = Field(0.5, ge=0, le=1, description="Max share of repeated n-grams.")
    repetition_min_words: int = Field(
        200, ge=0, description="Texts shorter than this are not checked for n-grams (words as for repetition_ngram)."
    )
    repetition_max_line_repeats: int = Field(10, ge=1, description="Max times one line (>= 20 chars) may appear.")
    refusal_scan_chars: int = Field(400, gt=0, description="Refusal phrases are looked for in this answer prefix.")
    language_method: Literal["script", "langdetect"] = Field(
        "script", description="script: Unicode script of prompt vs answer; langdetect: detected language."
    )
    language_min_letters: int = Field(
        20,
        ge=0,
        description="Texts with fewer letters are not checked (a Han or kana character counts 3, a Hangul syllable 2).",
    )
    think_language_max_share: float = Field(
        0.02,
        ge=0,
        le=1,
        description="think_language_mismatch: the largest share of a think block's words in scripts the task does "
        "not use (its prompt, system prompt, reference answer or a language they ask for); a block with fewer than 5 "
        "such words is not flagged.",
    )
    max_think_tokens: int = Field(16384, gt=0, description="Think block budget (approximate tokens).")
    max_answer_tokens: int = Field(8192, gt=0, description="Answer budget (approximate tokens).")
    min_think_tokens: int = Field(0, ge=0, description="Think blocks shorter than this fire lint:think_too_short.")

    @field_validator("enabled")
    @classmethod
    def _known_families(cls, value: list[str] | None) -> list[str] | None:
        """A misspelt family switched that lint off without a word, and `[]` ran every family."""
        from pipeline.verify.lints import LINT_FAMILIES

        if value is None:
            return value
        known = ", ".join(LINT_FAMILIES)
        if not value:
            raise ValueError(f"empty: leave it unset to run every lint family ({known}), or name the ones to run")
        bad = [name for name in value if name not in LINT_FAMILIES]
        if bad:
            raise ValueError(f"unknown lint families {bad}; known: {known}")
        return value


class ReasoningGymVerifyConfig(BaseModel):
    """Settings of the `reasoning_gym` verifier."""

    model_config = ConfigDict(extra="forbid")
    min_score: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="A response passes when its dataset's score_answer reaches this (1.0: fully correct only).",
    )


class AuditConfig(BaseModel):
    """The verifier audit: a second, independent check on a sample of verdicts (docs/verifiers.md)."""

    model_config = ConfigDict(extra="forbid")
    sample_rate: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Share of judged generations audited (deterministic by generation key); 0 = off.",
    )
    max_disagreement_rate: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="The verdicts asset check fails when a verifier's disagreement rate is above this.",
    )


class JudgeEndpointConfig(OpenAIBackendConfig):
    """The judge's OpenAI-compatible endpoint: generate.openai's fields, with the judge's own defaults."""

    api_key_env: str = Field(
        "THINKMILL_JUDGE_API_KEY",
        description="Name of the env var holding the judge endpoint's API key (never the key itself).",
    )
    max_in_flight: int = Field(64, gt=0, description="Judge requests in flight at once, over all base URLs.")
    timeout_s: float = Field(600.0, gt=0, description="Per-request timeout.")


class JudgeConfig(BaseModel):
    """The LLM judge (`verifier: judge`): a model that scores a response against a rubric (docs/verifiers.md)."""

    model_config = ConfigDict(extra="forbid")
    backend: Literal["openai", "vllm"] = Field(
        "openai",
        description="openai: an OpenAI-compatible server (`openai`); vllm: an in-process vLLM engine (`vllm`), as "
        "the generate stage's backends.",
    )
    model: str = Field("NousResearch/Hermes-4-70B", description="Judge model as the server names it.")
    model_revision: str | None = Field(None, description="Judge model revision, recorded with every request.")
    openai: JudgeEndpointConfig = Field(
        default_factory=JudgeEndpointConfig,
        description="The judge's OpenAI-compatible endpoint (base_urls, api_key_env, max_in_flight, retries on "
        "transport errors), separate from generate.openai.",
    )
    vllm: VLLMBackendConfig = Field(
        default_factory=VLLMBackendConfig,
        description="The in-process engine of `backend: vllm` (generate.vllm's fields; chat_template relative to "
        "the working directory).",
    )
    rubric: str | None = Field(
        None, description="Default rubric for judge tasks without their own (task field `rubric`)."
    )
    pass_threshold: int = Field(
        7, ge=1, le=10, description="A response passes when the judge's score (1-10) is >= this."
    )
    malformed_retries: int = Field(
        2, ge=0, description="Asks again after an unreadable judge answer; then the verdict is judge:malformed."
    )
    temperature: float = Field(0.0, ge=0, description="Judge sampling temperature.")
    max_tokens: int = Field(2048, gt=0, description="Judge completion budget (reasoning + score).")
    thinking: bool = Field(
        False, description="Ask a hybrid judge (Hermes 4) for think mode (chat_template_kwargs thinking)."
    )
    include_think: bool = Field(
        False, description="Show the judge the response's think block too (default: the final answer only)."
    )
    max_response_chars: int = Field(
        60000, gt=0, description="Judged text longer than this is cut (the cut is marked in the judge prompt)."
    )


class VerifyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workers: int | None = Field(None, ge=1, description="Parallel workers (default: all cores).")
    inline_below: int = Field(16, ge=0, description="Batches smaller than this run in-process (no worker pool).")
    math_timeout_s: float = Field(5.0, gt=0, description="Per-step soft timeout of math parsing and comparison.")
    check_timeout_s: float = Field(
        30.0,
        gt=0,
        description="Hard limit per non-code check: a worker that does not "
        "answer in time is killed and the check fails with "
        "<verifier>:timeout.",
    )
    progress: bool = Field(False, description="Show a progress bar.")
    verifiers: dict[str, str] = Field(default_factory=dict, description="Extra verifiers: name -> 'module:function'.")
    code: SandboxConfig = Field(default_factory=SandboxConfig)
    lints: LintConfig = Field(default_factory=LintConfig)
    reasoning_gym: ReasoningGymVerifyConfig = Field(default_factory=ReasoningGymVerifyConfig)
    audit: AuditConfig = Field(default_factory=AuditConfig)
    judge: JudgeConfig = Field(default_factory=JudgeConfig)


def settings_tag(settings: BaseModel, exclude: frozenset[str] = frozenset()) -> str:
    """A short hash of verdict-deciding settings for a verdict's version (`judge.version_of`, a verifier's
    `config_version`), or "" while they are the defaults: stored verdicts are judged again when it changes, so a
    think budget cut from 16k to 8k tokens or a tighter sandbox is applied to the verdicts already stored (they were
    kept as judged: a `thinkmill verify` judged nothing, and the longer traces stayed passed). `exclude`: fields that
    decide no verdict (where the sandbox binary is found)."""
    mine = settings.model_dump(mode="json", exclude=set(exclude))
    if mine == type(settings)().model_dump(mode="json", exclude=set(exclude)):
        return ""
    return hashlib.sha256(json.dumps(mine, sort_keys=True).encode()).hexdigest()[:8]
