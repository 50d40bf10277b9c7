"""The thinkmill config file (YAML), validated by pydantic.

One file configures every stage; each stage owns its section's model (in `pipeline/<stage>/config.py`).
Relative paths in the file are resolved against the file's folder, so a config and its data can move together.
Lookup order when no path is given: `$THINKMILL_CONFIG`, `./thinkmill.yaml`, then the bundled sample config.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.dataset.config import BalanceConfig, PublishConfig
from pipeline.dedup.config import DedupConfig, SelectConfig
from pipeline.errors import ThinkmillError
from pipeline.generate.config import GenerateConfig
from pipeline.ingest.config import DecontamConfig, IngestConfig
from pipeline.verify.config import VerifyConfig

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_CONFIG = SAMPLE_DIR / "thinkmill.yaml"


class ConfigError(ThinkmillError, ValueError):
    """The config file is missing or invalid; the message names the file and the field."""


class ChecksConfig(BaseModel):
    """Thresholds of the Dagster asset checks (`assets/checks.py`; documented in docs/operations.md)."""

    model_config = ConfigDict(extra="forbid")
    max_quarantine_share: float = Field(0.2, ge=0, le=1, description="Max share of a source's rows quarantined.")
    min_pass_rate: float = Field(0.2, ge=0, le=1, description="Min verification pass rate per domain.")
    min_pass_rate_by_domain: dict[str, float] = Field(
        default_factory=dict, description="Per-domain floors that override `min_pass_rate` (e.g. code: 0.05)."
    )
    max_malformed_think_share: float = Field(
        0.2, ge=0, le=1, description="Max share of traces with malformed think tags, per mode."
    )
    think_ratio_tolerance: float = Field(
        0.1, ge=0, le=1, description="Allowed |achieved - target| think share by rows."
    )
    warn_duplicate_share: float = Field(
        0.5, ge=0, le=1, description="Duplicate share (tasks or traces) above which the duplicate check warns."
    )
    min_rows_for_rates: int = Field(
        20, ge=0, description="Rate checks pass (and say so) on fewer rows than this: tiny samples are noise."
    )


class ThinkmillConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    decontam: DecontamConfig = Field(default_factory=DecontamConfig)
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    select: SelectConfig = Field(default_factory=SelectConfig)
    balance: BalanceConfig = Field(default_factory=BalanceConfig)
    publish: PublishConfig = Field(default_factory=PublishConfig)
    checks: ChecksConfig = Field(default_factory=ChecksConfig)
    base_dir: Path = Field(default=Path("."), exclude=True, description="Folder relative paths resolve against.")

    def resolve(self, path: str | Path) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    def output_dir(self, value: str | None, db_path: str | Path | None, name: str) -> Path:
        """A folder the pipeline writes: `value` (resolved like every path of the file), else `<name>/` beside
        the database, so outputs never land in the config's folder (which may be the installed package)."""
        if value:
            return self.resolve(value)
        if db_path is not None and str(db_path) != ":memory:":
            return Path(db_path).expanduser().resolve().parent / name
        return Path("data", name).resolve()

    def public_dict(self) -> dict[str, Any]:
        """The config as recorded in a dataset version (no secrets: the config never holds any)."""
        return self.model_dump(mode="json")


def find_config(path: str | Path | None = None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get("THINKMILL_CONFIG")
    if env:
        return Path(env)
    local = Path("thinkmill.yaml")
    return local if local.exists() else SAMPLE_CONFIG


def load_config(path: str | Path | None = None) -> ThinkmillConfig:
    cfg_path = find_config(path)
    try:
        raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file {cfg_path} not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {cfg_path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"config file {cfg_path}: top level must be a mapping")
    try:
        cfg = ThinkmillConfig.model_validate(raw)
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"config file {cfg_path}: {errors}") from exc
    cfg.base_dir = cfg_path.resolve().parent
    return cfg
