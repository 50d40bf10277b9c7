"""Config of the dedup engine and of per-task trace selection."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DedupConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 32
    threshold: float = Field(0.8, description="Confirmation threshold on normalised texts.")
    seed: int = 0


class SelectConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_per_task: int = Field(2, description="Keep at most m passing traces per task and mode.")
    policy: Literal["diverse", "shortest", "random"] = "diverse"
    min_tokens: int | None = None
    max_tokens: int | None = None
    seed: int = 0
