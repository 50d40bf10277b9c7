"""Config of balancing, versioning, export and publishing (sections `balance` and `publish`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_HESITATION_WORDS = (
    "wait",
    "hmm",
    "hold on",
    "on second thought",
    "let me double-check",
    "let me reconsider",
)


class BalanceConfig(BaseModel):
    """How a version mixes think and no-think examples, and how it splits train / validation."""

    model_config = ConfigDict(extra="forbid")
    think_share_rows: float | None = Field(
        0.7, ge=0.0, le=1.0, description="Target share of think examples by rows (Hermes 4's own mix is ~0.69)."
    )
    think_share_tokens: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Target share of think examples by tokens. When set it is enforced instead of the row share "
        "(both are always reported).",
    )
    domain_think_share: dict[str, float] = Field(
        default_factory=dict,
        description="Per-domain override of the think share (same unit as the enforced target); a key naming no "
        "task's domain refuses the build.",
    )
    domain_quotas: dict[str, int] = Field(
        default_factory=dict,
        description="Max rows per domain (both modes together); the mode mix is kept; a key naming no task's domain "
        "refuses the build.",
    )
    token_budget: int | None = Field(None, gt=0, description="Max approximate tokens (think + answer) in the version.")
    enforce_ratio: bool = Field(
        True, description="Drop surplus rows of the over-represented mode to meet the target; else only report."
    )
    ratio_tolerance: float = Field(0.02, ge=0.0, description="Stop trimming once |achieved - target| is within this.")
    disjoint_tasks: bool = Field(True, description="A task gives think or no-think examples, never both.")
    no_think_from_think_answers: bool = Field(
        False, description="Also use verified think traces reduced to their answer as no-think candidates."
    )
    hard_pass_rate: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Tasks whose think pass rate is below this are kept for think examples while others can go.",
    )
    max_rows_per_task: int | None = Field(None, gt=0, description="Cap on examples per task (per mode).")
    drop_leaky_no_think: bool = Field(
        True, description="Drop no-think candidates whose answer holds think tags (reason balance:no_think_leak)."
    )
    drop_hesitant_no_think: bool = Field(
        True,
        description="Drop no-think candidates whose answer deliberates: a hesitation word of `hesitation_words` as an "
        "interjection ('Wait, ...', 'Hmm.') or a phrase of it opening a sentence ('On second thought, ...') "
        "(reason balance:no_think_hesitation).",
    )
    drop_hesitant_think_answers: bool = Field(
        True,
        description="Drop think candidates whose answer (after </think>) deliberates as drop_hesitant_no_think "
        "describes: reasoning outside the think block (reason balance:think_answer_hesitation).",
    )
    hesitation_words: list[str] = Field(
        default_factory=lambda: list(DEFAULT_HESITATION_WORDS),
        description="Words and phrases that mark reasoning leaking into no-think answers (counted, and dropped with "
        "drop_hesitant_no_think).",
    )
    current_settings_only: bool = Field(
        False,
        description="Build only from generations whose request this config's `generate` settings would send (same "
        "request key: model, template, sampling params, seed); the others are dropped as balance:other_settings. "
        "False: every selected trace, of whatever settings made it (the build's summary names a mix).",
    )
    seed: int = 0
    validation_share: float = Field(0.05, ge=0.0, lt=1.0, description="Share of tasks in the validation split.")
    min_validation_tasks: int = Field(1, ge=0, description="At least this many tasks go to validation.")

    @model_validator(mode="after")
    def _check_shares(self) -> BalanceConfig:
        for domain, share in self.domain_think_share.items():
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"domain_think_share.{domain}: {share} is not within [0, 1]")
        for domain, cap in self.domain_quotas.items():
            if cap < 0:
                raise ValueError(f"domain_quotas.{domain}: {cap} is negative")
        return self

    @property
    def target_unit(self) -> Literal["rows", "tokens"] | None:
        if self.think_share_tokens is not None:
            return "tokens"
        return "rows" if self.think_share_rows is not None else None

    @property
    def target_share(self) -> float | None:
        return self.think_share_tokens if self.think_share_tokens is not None else self.think_share_rows


class PublishConfig(BaseModel):
    """Where and how a version is exported, carded and published."""

    model_config = ConfigDict(extra="forbid")
    repo: str | None = Field(None, description="Hub repo id ORG/NAME; publishing is skipped when unset.")
    private: bool = True
    endpoint: str | None = Field(None, description="Hub endpoint (default: $HF_ENDPOINT or huggingface.co).")
    chat_model: str | None = Field(
        None, description="Model whose chat template renders the `text` export (default: generate.model)."
    )
    chat_format: Literal["auto", "chatml", "llama3"] = Field(
        "auto", description="Chat format of the `text` export; auto picks it from the model name."
    )
    tokenizer_path: str | None = Field(
        None, description="Local tokenizer folder: when set, `text` is rendered with its apply_chat_template."
    )
    card_dir: str | None = Field(
        None,
        description="Folder where dataset cards are written, one per version (default: `cards/` beside the database).",
    )
    pretty_name: str | None = Field(None, description="Card title (default: the repo name or 'thinkmill dataset').")
    tags: list[str] = Field(default_factory=list, description="Extra Hub tags for the card.")
    max_retries: int = Field(5, ge=0, description="Retries on transient Hub errors (5xx, connection).")
