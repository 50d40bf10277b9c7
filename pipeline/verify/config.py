"""Config of the verify stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class VerifyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workers: int | None = Field(None, description="Parallel workers (default: all cores).")
