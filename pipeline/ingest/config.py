"""Config of the ingest and decontamination stages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    path: str | None = Field(None, description="File, folder or glob (JSONL, JSON, Parquet, CSV, saved dataset).")
    hf_dataset: str | None = Field(None, description="Hugging Face Hub dataset id.")
    hf_config: str | None = None
    split: str | None = None
    revision: str | None = None
    mapping: dict[str, str] = Field(default_factory=dict, description="Task field -> source column.")
    defaults: dict[str, Any] = Field(default_factory=dict, description="Task field -> default value.")
    license: str | None = None


class IngestConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[SourceConfig] = Field(default_factory=list)
    batch_rows: int = Field(10_000, description="Rows per streamed batch.")
    max_prompt_chars: int = Field(32_000, description="Longer prompts are quarantined as too_long.")
    raw_truncate_chars: int = Field(2_000, description="Raw text kept in the quarantine table.")


class BenchmarkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    path: str | None = None
    hf_dataset: str | None = None
    hf_config: str | None = None
    split: str | None = None
    text_field: str | None = None
    id_field: str | None = None


class DecontamConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    benchmarks: list[BenchmarkConfig] = Field(default_factory=list)
    ngram: int = Field(8, description="Word n-gram size (open-r1 uses 8).")
    fuzzy_threshold: float = Field(0.95, description="rapidfuzz ratio (0..1) for short prompts.")
    short_prompt_words: int = Field(16, description="Prompts under this many words also get the fuzzy check.")
