"""thinkmill's domain core: plain Python over polars, no Dagster. Each stage is a subpackage."""

from __future__ import annotations

from typing import Any

__all__ = ["load_version"]


def load_version(db: str, version: str, **kwargs: Any) -> Any:
    """Load a dataset version as a `datasets.DatasetDict` (see `pipeline.dataset`)."""
    from pipeline.dataset.versions import load_version as _load

    return _load(db, version, **kwargs)
