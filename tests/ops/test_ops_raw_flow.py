"""The raw-folder flow: a file dropped in `$THINKMILL_RAW_DIR` is read by a source, starts `refresh` through the
sensor, and its tasks reach `clean_tasks`. Files no source reads are logged, never a silent green run."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
import yaml
from ops_scenario import Run, project_defs

from assets import jobs
from assets.resources import ThinkmillResource
from pipeline.config import SAMPLE_CONFIG, STARTER_CONFIG, load_config
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


def _tick(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """One sensor evaluation; the context is entered, as Dagster does (the thinkmill resource nests the executor
    resource, whose Ray cluster resource has a setup/teardown lifecycle)."""
    with context as ctx:
        return jobs.raw_files_sensor(ctx)


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


@pytest.mark.parametrize("which", ["sample", "starter"])
def test_sample_and_starter_configs_read_the_watched_folder(
    which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path))
    if which == "starter":  # what `thinkmill init` writes
        (tmp_path / "conf").mkdir()
        (tmp_path / "conf" / "thinkmill.yaml").write_text(STARTER_CONFIG, encoding="utf-8")
        cfg = load_config(tmp_path / "conf" / "thinkmill.yaml")
        cfg.ingest.sources = [s for s in cfg.ingest.sources if "THINKMILL_RAW_DIR" in (s.path or "")]
    else:
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
    res = _tick(_context(db, config))
    assert isinstance(res, dg.SensorResult)
    assert not res.run_requests
    assert "1 files in" in str(res.skip_reason) and "no ingest source reads" in str(res.skip_reason)
    assert json.loads(res.cursor or "{}")["notes.csv"]["unread"] is True

    _drop(raw, "tasks.jsonl", [{"id": "1", "prompt": "p", "answer": "1"}])
    res = _tick(_context(db, config, res.cursor))
    assert isinstance(res, dg.SensorResult)
    [req] = res.run_requests or []
    assert req.tags[jobs.RAW_FILES_TAG] == "tasks.jsonl"

    # The config grows a source for the CSV: the file it skipped before starts a run now, unchanged.
    config.write_text(yaml.safe_dump({"ingest": {"sources": [{"name": "d", "path": "${THINKMILL_RAW_DIR}"}]}}))
    res = _tick(_context(db, config, res.cursor))
    assert isinstance(res, dg.SensorResult)
    [req] = res.run_requests or []
    assert req.tags[jobs.RAW_FILES_TAG] == "notes.csv"
    assert "unread" not in json.loads(res.cursor or "{}")["notes.csv"]


@dataclass(frozen=True)
class Refresh:
    db: Path
    result: dg.ExecuteInProcessResult


@pytest.fixture(scope="module")
def dropped_refresh(clean_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Refresh]:
    """A copy of the clean run's database; a file of 3 new tasks dropped in the watched folder; the sensor's
    tick; the `refresh` run it requests. The batch output answers none of the new tasks' requests."""
    tmp = tmp_path_factory.mktemp("drop")
    raw = tmp / "raw"
    raw.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(jobs.RAW_DIR_ENV, str(raw))
        db = tmp / "ops.duckdb"
        shutil.copy(clean_run.db, db)
        config = _config_with_drop_source(clean_run, tmp)
        empty = _tick(_context(db, config))  # an empty drop folder: no run, no error
        assert isinstance(empty, dg.SensorResult) and not empty.run_requests
        rows = [{"id": f"n{i}", "prompt": f"What is {i} times {i + 7}?", "answer": str(i * (i + 7))} for i in range(3)]
        _drop(raw, "new.jsonl", [{**r, "domain": "arithmetic", "verifier": "math"} for r in rows])
        res = _tick(_context(db, config, empty.cursor))
        assert isinstance(res, dg.SensorResult)
        [req] = res.run_requests or []
        result = (
            project_defs(db, config)
            .resolve_job_def("refresh")
            .execute_in_process(instance=dg.DagsterInstance.ephemeral(), tags=req.tags, raise_on_error=False)
        )
        yield Refresh(db, result)


def test_dropped_file_reaches_clean_tasks(dropped_refresh: Refresh, clean_run: Run) -> None:
    assert dropped_refresh.result.success
    # new tasks: a new data version; generations got no new answer (the requests are pending): the same
    for name, changed in (("raw_tasks", True), ("tasks", True), ("clean_tasks", True), ("generations", False)):
        [before] = clean_run.result.asset_materializations_for_node(name)
        [after] = dropped_refresh.result.asset_materializations_for_node(name)
        assert (after.tags["dagster/data_version"] != before.tags["dagster/data_version"]) is changed, name
    with Store.open(dropped_refresh.db, read_only=True) as store:
        clean = store.query(
            "SELECT task_id FROM tasks WHERE source = 'drop' "
            "AND task_id NOT IN (SELECT task_id FROM contamination) ORDER BY task_id"
        )["task_id"].to_list()
    assert clean == ["drop/n0", "drop/n1", "drop/n2"]


def test_pending_batch_requests_are_metadata_and_a_warning(dropped_refresh: Refresh) -> None:
    result = dropped_refresh.result
    md = result.asset_materializations_for_node("generations")[0].metadata
    assert md["pending_requests"].value == 9  # 3 new tasks x (2 think + 1 no-think samples)
    path = Path(md["pending_request_file"].value)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 9
    # "unmatched" are only the 3 answers for the contaminated task (not clean), not the 117 cached ones
    assert md["batch_output_unmatched"].value == 3
    assert "requests_per_s" not in md and "completion_tokens_per_s" not in md  # no throughput for a file read
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "no_pending_requests"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.description == f"9 requests wait for answers in {path}"


def test_no_pending_requests_passes_when_all_answered(clean_run: Run) -> None:
    md = clean_run.result.asset_materializations_for_node("generations")[0].metadata
    assert md["pending_requests"].value == 0 and "pending_request_file" not in md
    [check] = [e for e in clean_run.result.get_asset_check_evaluations() if e.check_name == "no_pending_requests"]
    assert check.passed
