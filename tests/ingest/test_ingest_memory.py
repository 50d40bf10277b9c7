"""Ingest holds one batch of staged rows at a time where it can (issue 16): quarantine rows and the prompts of
dropped rows are read part by part at commit, not concatenated over the whole run; kept task rows never pass through
Python at commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.ingest.api import inputs_for, known_inputs
from pipeline.ingest.commit import commit_batch
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.stage import stage_inputs
from pipeline.store import Store, Writer


def _file(path: Path) -> Path:
    lines = []
    for i in range(300):
        if i % 3 == 0:
            lines.append("{broken json")  # quarantined at staging: invalid_json
        elif i % 3 == 1:
            lines.append(json.dumps({"problem": f"Task number {i}: add {i} and {i + 1}.", "answer": str(2 * i + 1)}))
        else:  # an exact duplicate (case and spaces) of the row before
            lines.append(
                json.dumps({"problem": f"  TASK NUMBER {i - 1}: ADD {i - 1} AND {i}.", "answer": str(2 * i - 1)})
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_commit_writes_quarantine_one_staged_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: dict[str, list[int]] = {}
    insert = Writer.insert  # upserts go through insert

    def spy_insert(self: Writer, name: str, df: pl.DataFrame, **kw: Any) -> int:
        sizes.setdefault(name, []).append(df.height)
        return insert(self, name, df, **kw)

    monkeypatch.setattr(Writer, "insert", spy_insert)
    data = _file(tmp_path / "tasks.jsonl")
    with Store.open(tmp_path / "t.duckdb") as store:
        staged = stage_inputs(
            inputs_for([SourceConfig(name="s", path=str(data))]),
            IngestConfig(batch_rows=30),
            tmp_path / "staging",
            known_inputs(store),
        )
        report = commit_batch(store, staged, DedupConfig(workers=1))
        assert report.quarantined == 100 and report.duplicate == 100 and report.ingested == 100
        assert store.count("quarantine") == 100 and store.count("task_duplicates") == 100
    assert sum(sizes["quarantine"]) == 100 and max(sizes["quarantine"]) <= 30
    assert "tasks" not in sizes  # kept task rows go from the staged parts to DuckDB directly (insert_parquet)
    assert report.quarantine_reasons == {"invalid_json": 100}


def test_staging_pauses_the_cyclic_collector_and_restores_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging reads with Python's cyclic collector off (its passes over the live batch cost ~20% of staging's
    CPU) and collects the young generations once per batch instead; the collector is on again afterwards, also
    when staging fails, and stays off when the caller had turned it off."""
    import gc

    from pipeline.ingest import stage as stage_mod

    data = _file(tmp_path / "tasks.jsonl")
    seen: list[tuple[bool, int]] = []
    collect = gc.collect

    def spy_collect(generation: int = 2) -> int:
        seen.append((gc.isenabled(), generation))
        return collect(generation)

    monkeypatch.setattr(stage_mod.gc, "collect", spy_collect)
    inputs = inputs_for([SourceConfig(name="s", path=str(data))])
    assert gc.isenabled()
    stage_inputs(inputs, IngestConfig(batch_rows=30), tmp_path / "staging", set())
    assert gc.isenabled()
    assert seen == [(False, 1)] * 10  # 300 rows in batches of 30, collector off meanwhile

    def broken(*args: Any, **kwargs: Any) -> Any:
        assert not gc.isenabled()
        raise RuntimeError("boom")

    monkeypatch.setattr(stage_mod, "_normalize_rows", broken)
    with pytest.raises(RuntimeError, match="boom"):
        stage_inputs(inputs, IngestConfig(batch_rows=30), tmp_path / "staging2", set())
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(RuntimeError, match="boom"):
            stage_inputs(inputs, IngestConfig(batch_rows=30), tmp_path / "staging3", set())
        assert not gc.isenabled()
    finally:
        gc.enable()
