"""Config of the generate stage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GenerateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: Literal["openai", "vllm", "batch"] = "batch"
    model: str = "NousResearch/Hermes-4-14B"
    samples_think: int = Field(2, description="k think-mode samples per task.")
    samples_no_think: int = Field(1, description="k no-think samples per task.")
    batch_output: str | None = Field(None, description="batch backend: output file to read back.")
    batch_dir: str = Field("data/batch", description="batch backend: where request files are written.")
