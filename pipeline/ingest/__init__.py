"""Ingest stage: raw task files -> normalised, deduplicated, decontaminated tasks.

Entry points (imported lazily so `pipeline.config` can import `pipeline.ingest.config` without a cycle):
`run` (the stage entry: returns a `StageReport`), `ingest_paths`, `ingest_sources`, `decontaminate`,
`read_clean_tasks`.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "ingest_paths": "pipeline.ingest.api",
    "ingest_sources": "pipeline.ingest.api",
    "ingest_inputs": "pipeline.ingest.api",
    "run": "pipeline.ingest.api",
    "decontaminate": "pipeline.ingest.decontam",
    "load_benchmarks": "pipeline.ingest.decontam",
    "read_clean_tasks": "pipeline.ingest.decontam",
    "clean_task_ids": "pipeline.ingest.decontam",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.ingest' has no attribute {name!r}")
