"""Config of the ingest and decontamination stages (the `ingest:` and `decontam:` sections of thinkmill.yaml)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

TASK_FIELDS = ("id", "prompt", "answer", "domain", "verifier", "verifier_args", "license", "metadata",
               "choices", "tests", "messages", "solution")


class SourceConfig(BaseModel):
    """One source of raw tasks: local files (file, folder or glob) or a Hugging Face dataset."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$",
                      description="Source name; prefixes task ids (`<name>/<id>`).")
    path: str | None = Field(None, description="File, folder or glob (JSONL, JSON, Parquet, CSV, saved dataset).")
    hf_dataset: str | None = Field(None, description="Hugging Face Hub dataset id.")
    hf_config: str | None = None
    split: str | None = Field(None, description="Split of a dataset (Hub or saved DatasetDict); default train.")
    revision: str | None = Field(None, description="Hub revision (commit); pin it so re-runs are incremental.")
    mapping: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Task field -> source column (dotted paths reach into nested objects, e.g. `meta.uid`); "
                    "`choices` may name one column per option, in letter order (`[option_a, option_b, ...]`).")
    defaults: dict[str, Any] = Field(default_factory=dict, description="Task field -> default value.")
    license: str | None = Field(None, description="Licence of every row (unless a row names its own).")
    answer_regex: str | None = Field(
        None, description="Regex over the answer text; its first capture group becomes the answer (GSM8K: "
                          "'####\\s*(.+?)\\s*$'). A row it does not match is quarantined as answer_unparsed.")

    @model_validator(mode="after")
    def _one_location(self) -> SourceConfig:
        if (self.path is None) == (self.hf_dataset is None):
            raise ValueError(f"source {self.name!r}: give exactly one of `path` or `hf_dataset`")
        bad = sorted(set(self.mapping) - set(TASK_FIELDS))
        if bad:
            raise ValueError(f"source {self.name!r}: mapping names unknown task fields {bad}; "
                             f"known: {list(TASK_FIELDS)}")
        lists = sorted(f for f, c in self.mapping.items() if isinstance(c, list) and f != "choices")
        if lists:
            raise ValueError(f"source {self.name!r}: mapping of {lists} must name one column; only `choices` "
                             "takes a list of columns")
        cols = self.mapping.get("choices")
        if isinstance(cols, list) and (len(cols) < 2 or len(set(cols)) != len(cols)):
            raise ValueError(f"source {self.name!r}: mapping.choices must list at least two different columns")
        if self.answer_regex is not None:
            try:
                groups = re.compile(self.answer_regex).groups
            except re.error as exc:
                raise ValueError(f"source {self.name!r}: answer_regex is not a valid regex: {exc}") from None
            if groups < 1:
                raise ValueError(f"source {self.name!r}: answer_regex needs a capture group around the answer, "
                                 "e.g. '####\\s*(.+?)\\s*$'")
        return self


class IngestConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[SourceConfig] = Field(default_factory=list)
    batch_rows: int = Field(10_000, ge=1, description="Rows per streamed batch.")
    max_prompt_chars: int = Field(32_000, ge=1, description="Longer prompts are quarantined as too_long.")
    allow_template_tokens: bool = Field(
        False, description="Keep prompts that contain chat-template control tokens such as <|im_end|> (quarantined "
                           "as template_token otherwise: a tokenizer would read them as real turn boundaries).")
    raw_truncate_chars: int = Field(2_000, ge=0, description="Raw text kept in the quarantine table.")
    extra_verifiers: list[str] = Field(
        default_factory=list, description="Verifier names accepted besides the verifier registry's "
                                    "(built-ins and `thinkmill.verifiers` entry points).")
    dedup: bool = Field(True, description="Drop exact and near-duplicate tasks (engine settings: `dedup:`).")
    staging_dir: str | None = Field(
        None, description="Where the raw_tasks asset stages rows for the tasks asset (default: next to the DB).")


class BenchmarkConfig(BaseModel):
    """An evaluation benchmark to keep out of the training tasks."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1)
    path: str | None = Field(None, description="File, folder, glob or saved dataset.")
    hf_dataset: str | None = None
    hf_config: str | None = None
    split: str | None = None
    revision: str | None = None
    text_field: str | None = Field(None, description="Column with the item text (default: auto-detected).")
    id_field: str | None = Field(None, description="Column with the item id (default: id, else row number).")

    @model_validator(mode="after")
    def _one_location(self) -> BenchmarkConfig:
        if (self.path is None) == (self.hf_dataset is None):
            raise ValueError(f"benchmark {self.name!r}: give exactly one of `path` or `hf_dataset`")
        return self


class DecontamConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    benchmarks: list[BenchmarkConfig] = Field(default_factory=list)
    ngram: int = Field(8, ge=1, description="Word n-gram size (open-r1 uses 8).")
    ngram_min_overlap: float = Field(
        0.0, ge=0.0, le=1.0,
        description="Share of a benchmark item's n-grams a task must contain; 0 = any shared n-gram (open-r1).")
    fuzzy_threshold: float = Field(0.95, gt=0.0, le=1.0, description="rapidfuzz ratio (0..1) for short prompts.")
    fuzzy_match_numbers: bool = Field(
        True, description="A fuzzy hit also needs the same numbers ('17 times 23' is not '17 times 24').")
    short_prompt_words: int = Field(
        16, ge=0, description="Prompts (or benchmark items) under this many words also get the fuzzy check.")
