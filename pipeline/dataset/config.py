"""Config of balancing, versioning and publishing."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BalanceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    think_share_rows: float = Field(0.7, description="Target share of think examples by rows.")
    seed: int = 0
    validation_share: float = 0.05


class PublishConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    repo: str | None = Field(None, description="Hub repo id ORG/NAME; publishing is skipped when unset.")
    private: bool = True
