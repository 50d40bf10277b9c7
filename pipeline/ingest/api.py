"""The ingest stage from Python: `ingest_sources(store, config)` for configured sources, `ingest_paths(store,
paths)` for ad-hoc files. Both stage then commit; the Dagster assets run the two phases as separate assets."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.dedup.config import DedupConfig
from pipeline.ingest.commit import IngestReport, commit_batch
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.sources import Input, resolve_inputs
from pipeline.ingest.stage import StagedBatch, pending_batches, stage_inputs
from pipeline.store import Store

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig


def known_inputs(store: Store, staging: Path | None = None) -> set[tuple[str, str]]:
    """(path, content_hash) of inputs already ingested, or staged and waiting for commit."""
    df = store.query("SELECT path, content_hash FROM ingest_files")
    known = set(zip(df["path"].to_list(), df["content_hash"].to_list(), strict=True))
    if staging is not None:
        for b in pending_batches(staging):
            known.update((i.path, i.content_hash) for i in b.inputs)
    return known


def inputs_for(sources: Sequence[SourceConfig], base_dir: Path | None = None) -> list[Input]:
    return [inp for s in sources for inp in resolve_inputs(s, base_dir)]


def stage(store: Store, inputs: Sequence[Input], cfg: IngestConfig, staging: Path) -> StagedBatch:
    return stage_inputs(inputs, cfg, staging, known_inputs(store, staging))


def ingest_inputs(store: Store, inputs: Sequence[Input], cfg: IngestConfig | None = None,
                  dedup: DedupConfig | None = None) -> IngestReport:
    """Stage `inputs` in a temporary folder and commit them: one ingest batch."""
    cfg = cfg or IngestConfig()
    with tempfile.TemporaryDirectory(prefix="thinkmill-ingest-") as tmp:
        staged = stage_inputs(inputs, cfg, Path(tmp), known_inputs(store))
        return commit_batch(store, staged, (dedup or DedupConfig()) if cfg.dedup else None, cfg.raw_truncate_chars)


def ingest_paths(store: Store, paths: Sequence[str | Path], *, source: str = "local",
                 mapping: dict[str, str | list[str]] | None = None, defaults: dict | None = None,
                 license: str | None = None, answer_regex: str | None = None, cfg: IngestConfig | None = None,
                 dedup: DedupConfig | None = None) -> IngestReport:
    """Ingest files, folders or globs as one source named `source`."""
    srcs = [SourceConfig(name=source, path=str(p), mapping=mapping or {}, defaults=defaults or {}, license=license,
                         answer_regex=answer_regex) for p in paths]
    return ingest_inputs(store, inputs_for(srcs), cfg, dedup)


def ingest_sources(store: Store, config: ThinkmillConfig, names: Sequence[str] | None = None) -> IngestReport:
    """Ingest every source configured under `ingest.sources` (or only those named)."""
    sources = [s for s in config.ingest.sources if not names or s.name in names]
    return ingest_inputs(store, inputs_for(sources, config.base_dir), config.ingest, config.dedup)
