"""The raw-folder flow: a file dropped in `$THINKMILL_RAW_DIR` is read by a source, starts `refresh` through the
sensor, and its tasks reach `clean_tasks`. Files no source reads are logged, never a silent green run."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml
from ops_scenario import Run, project_defs

from assets import jobs
from assets.resources import ThinkmillResource
from pipeline.config import SAMPLE_CONFIG, load_config
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.errors import SourceConfigError, SourceReadError
from pipeline.ingest.sources import resolve_inputs
from pipeline.store import Store

OLD = time.time() - 3600  # settled: older than the sensor's SETTLE_S


def _drop(folder: Path, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    os.utime(p, (OLD, OLD))
    return p


def _config_with_drop_source(run: Run, tmp_path: Path) -> Path:
    """The scenario's config plus a source on `$THINKMILL_RAW_DIR`, publishing off, paths made absolute."""
    cfg = yaml.safe_load(run.config.read_text(encoding="utf-8"))
    base = run.config.parent
    for s in cfg["ingest"]["sources"]:
        s["path"] = str(base / s["path"])
    for b in cfg["decontam"]["benchmarks"]:
        b["path"] = str(base / b["path"])
    cfg["generate"]["batch_output"] = str(base / cfg["generate"]["batch_output"])
    cfg["publish"] = {"card_dir": str(tmp_path / "cards")}
    cfg["ingest"]["sources"].append({"name": "drop", "path": "${THINKMILL_RAW_DIR}/*", "license": "MIT"})
    path = tmp_path / "thinkmill.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


def _context(db: Path, config: Path, cursor: str | None = None) -> dg.SensorEvaluationContext:
    return dg.build_sensor_context(
        cursor=cursor, resources={"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(config))}
    )


def test_glob_matching_nothing_is_nothing_new(tmp_path: Path) -> None:
    empty = tmp_path / "drop"
    assert resolve_inputs(SourceConfig(name="d", path=str(empty / "*"))) == []
    empty.mkdir()
    assert resolve_inputs(SourceConfig(name="d", path=str(empty))) == []
    with pytest.raises(SourceReadError, match=r"missing\.jsonl: no such file"):  # a named file is still checked
        resolve_inputs(SourceConfig(name="d", path=str(tmp_path / "missing.jsonl")))


def test_source_path_reads_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = _drop(tmp_path / "raw", "a.jsonl", [{"id": "1", "prompt": "p", "answer": "1"}])
    src = SourceConfig(name="d", path="${THINKMILL_RAW_DIR}/*")
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path / "raw"))
    assert [i.path for i in resolve_inputs(src, base_dir=tmp_path / "elsewhere")] == [str(f.resolve())]
    monkeypatch.delenv(jobs.RAW_DIR_ENV)
    with pytest.raises(SourceConfigError, match=r"source 'd'.*\$THINKMILL_RAW_DIR, which is not set"):
        resolve_inputs(src)
    monkeypatch.chdir(tmp_path)  # a default relative to the working directory, as the sensor's
    with_default = SourceConfig(name="d", path="${THINKMILL_RAW_DIR:-raw}/*")
    assert [i.path for i in resolve_inputs(with_default, base_dir=tmp_path / "elsewhere")] == [str(f.resolve())]


def test_sample_config_reads_the_watched_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path))
    cfg = load_config(SAMPLE_CONFIG)
    assert jobs.files_read_by_sources(cfg, tmp_path) == (set(), [])  # empty drop folder: nothing, no error
    _drop(tmp_path, "new.jsonl", [{"id": "1", "prompt": "p", "answer": "1"}])
    assert jobs.files_read_by_sources(cfg, tmp_path) == ({"new.jsonl"}, [])


def test_sensor_runs_only_for_files_a_source_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(raw))
    _drop(raw, "notes.csv", [{"x": 1}])
    config = tmp_path / "thinkmill.yaml"
    config.write_text(yaml.safe_dump({"ingest": {"sources": [{"name": "d", "path": "${THINKMILL_RAW_DIR}/*.jsonl"}]}}))
    db = tmp_path / "x.duckdb"
    res = jobs.raw_files_sensor(_context(db, config))
    assert isinstance(res, dg.SensorResult)
    assert not res.run_requests
    assert "1 files in" in str(res.skip_reason) and "no ingest source reads" in str(res.skip_reason)
    assert json.loads(res.cursor or "{}")["notes.csv"]["unread"] is True

    _drop(raw, "tasks.jsonl", [{"id": "1", "prompt": "p", "answer": "1"}])
    res = jobs.raw_files_sensor(_context(db, config, res.cursor))
    assert isinstance(res, dg.SensorResult)
    [req] = res.run_requests or []
    assert req.tags[jobs.RAW_FILES_TAG] == "tasks.jsonl"

    # The config grows a source for the CSV: the file it skipped before starts a run now, unchanged.
    config.write_text(yaml.safe_dump({"ingest": {"sources": [{"name": "d", "path": "${THINKMILL_RAW_DIR}"}]}}))
    res = jobs.raw_files_sensor(_context(db, config, res.cursor))
    assert isinstance(res, dg.SensorResult)
    [req] = res.run_requests or []
    assert req.tags[jobs.RAW_FILES_TAG] == "notes.csv"
    assert "unread" not in json.loads(res.cursor or "{}")["notes.csv"]


def test_dropped_file_reaches_clean_tasks(
    clean_run: Run, clean_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(raw))
    db = clean_db
    config = _config_with_drop_source(clean_run, tmp_path)
    defs = project_defs(db, config)

    empty = jobs.raw_files_sensor(_context(db, config))  # an empty drop folder: no run, no error
    assert isinstance(empty, dg.SensorResult) and not empty.run_requests

    rows = [{"id": f"n{i}", "prompt": f"What is {i} times {i + 7}?", "answer": str(i * (i + 7))} for i in range(3)]
    _drop(raw, "new.jsonl", [{**r, "domain": "arithmetic", "verifier": "math"} for r in rows])
    res = jobs.raw_files_sensor(_context(db, config, empty.cursor))
    assert isinstance(res, dg.SensorResult)
    [req] = res.run_requests or []
    result = defs.resolve_job_def("refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), tags=req.tags, raise_on_error=False
    )
    assert result.success
    with Store.open(db, read_only=True) as store:
        clean = store.query(
            "SELECT task_id FROM tasks WHERE source = 'drop' "
            "AND task_id NOT IN (SELECT task_id FROM contamination) ORDER BY task_id"
        )["task_id"].to_list()
    assert clean == ["drop/n0", "drop/n1", "drop/n2"]
