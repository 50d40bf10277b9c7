"""Config of the dedup engine and of per-task trace selection."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DedupConfig(BaseModel):
    """Near-duplicate detection. Defaults were chosen on the planted corpus of `bench/dedup_bench.py`
    (see docs/dedup.md, "Choosing the defaults")."""

    model_config = ConfigDict(extra="forbid")
    shingle_size: int = Field(5, ge=1, description="Words per shingle for MinHash candidates.")
    num_perm: int = Field(128, ge=8, description="MinHash bins (one-permutation hashing).")
    bands: int = Field(32, ge=1, description="LSH bands; rows per band = num_perm // bands.")
    threshold: float = Field(
        0.9, gt=0.0, le=1.0, description="Confirmation: min rapidfuzz ratio / 100 between normalised texts."
    )
    char_shingle_size: int = Field(5, ge=1, description="Characters per shingle for short texts.")
    short_text_chars: int = Field(
        500,
        ge=0,
        description="Texts up to this many normalised characters are also indexed by character "
        "shingles, so short texts (prompts) with a one-word edit are still candidates (texts in a script written "
        "without spaces, Chinese, Japanese or Thai, are at any length).",
    )
    match_numbers: bool = Field(
        True,
        description="Never merge two texts whose numbers differ ('What is 2+3?' vs 'What is 2+5?'), nor whose "
        "option letters do ('The answer is (B).' vs '(C).').",
    )
    batch_size: int = Field(5_000, ge=1, description="Texts hashed per batch (bounds memory).")
    workers: int = Field(0, ge=0, description="Threads for hashing and confirmation; 0 = all cores.")
    seed: int = 0

    @model_validator(mode="after")
    def _bands_fit(self) -> DedupConfig:
        if self.bands > self.num_perm:
            raise ValueError(f"bands ({self.bands}) must be <= num_perm ({self.num_perm})")
        return self

    @property
    def rows_per_band(self) -> int:
        return self.num_perm // self.bands

    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


class SelectConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_per_task: int = Field(2, ge=1, description="Keep at most m passing traces per task and mode.")
    policy: Literal["diverse", "shortest", "random"] = "diverse"
    dedup_scope: Literal["task", "all"] = Field(
        "task",
        description="task: a trace is only ever a duplicate of another trace of the same task (an SFT "
        "example is prompt + response; similar answers to different prompts are kept); "
        "all: across tasks too (e.g. to drop templated responses).",
    )
    min_tokens: int | None = Field(None, ge=0, description="Drop traces with fewer tokens (select:too_short).")
    max_tokens: int | None = Field(None, ge=1, description="Drop traces with more tokens (select:too_long).")
    seed: int = 0

    @model_validator(mode="after")
    def _bounds_meet(self) -> SelectConfig:
        # no trace could be kept: each one was dropped as too short or too long
        if self.min_tokens is not None and self.max_tokens is not None and self.min_tokens > self.max_tokens:
            raise ValueError(f"min_tokens ({self.min_tokens}) must be <= max_tokens ({self.max_tokens})")
        return self
