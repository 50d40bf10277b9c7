"""Jobs, schedule, sensor and instance config: the refresh loop's moving parts."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest
from ops_scenario import STAGE_ASSETS, project_defs

from assets import jobs
from assets.resources import ThinkmillResource

ROOT = Path(__file__).resolve().parents[2]
OLD = time.time() - 3600  # an mtime old enough to be settled


def write(path: Path, text: str, mtime: float = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def test_scan_finds_new_and_changed_files_only(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", '{"prompt": "1"}\n')
    write(tmp_path / "sub" / "b.parquet", "x")
    write(tmp_path / ".hidden.jsonl", "x")
    write(tmp_path / "notes.txt", "x")
    changed, cursor = jobs.scan_raw_dir(tmp_path, {})
    assert changed == ["a.jsonl", "sub/b.parquet"]
    assert set(cursor) == {"a.jsonl", "sub/b.parquet"}

    assert jobs.scan_raw_dir(tmp_path, cursor)[0] == []

    # Touched, same content: nothing to do, but the cursor learns the new mtime (no re-hash next time).
    write(tmp_path / "a.jsonl", '{"prompt": "1"}\n', mtime=OLD + 10)
    changed, touched = jobs.scan_raw_dir(tmp_path, cursor)
    assert changed == []
    assert touched["a.jsonl"]["mtime_ns"] != cursor["a.jsonl"]["mtime_ns"]
    assert touched["a.jsonl"]["hash"] == cursor["a.jsonl"]["hash"]

    write(tmp_path / "a.jsonl", '{"prompt": "2"}\n', mtime=OLD + 20)
    (tmp_path / "sub" / "b.parquet").unlink()
    changed, after = jobs.scan_raw_dir(tmp_path, touched)
    assert changed == ["a.jsonl"]
    assert set(after) == {"a.jsonl"}


def test_scan_waits_for_files_still_being_written(tmp_path: Path) -> None:
    write(tmp_path / "new.jsonl", "x", mtime=time.time())
    changed, cursor = jobs.scan_raw_dir(tmp_path, {}, settle_s=60)
    assert changed == []
    assert cursor == {}
    assert jobs.scan_raw_dir(tmp_path, cursor, now=time.time() + 120, settle_s=60)[0] == ["new.jsonl"]


def sensor_context(tmp_path: Path, cursor: str | None = None) -> dg.SensorEvaluationContext:
    """A sensor context whose config has one source reading every file of `$THINKMILL_RAW_DIR`."""
    config = tmp_path.parent / f"{tmp_path.name}.yaml"
    config.write_text('ingest: {sources: [{name: drop, path: "${THINKMILL_RAW_DIR}/*"}]}\n', encoding="utf-8")
    resource = ThinkmillResource(db_path=str(tmp_path.parent / "x.duckdb"), config_path=str(config))
    return dg.build_sensor_context(cursor=cursor, resources={"thinkmill": resource})


def _tick(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """One sensor evaluation; the context is entered, as Dagster does (the thinkmill resource nests the executor
    resource, whose Ray cluster resource has a setup/teardown lifecycle)."""
    with context as ctx:
        return jobs.raw_files_sensor(ctx)


def test_sensor_requests_refresh_once_per_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path))
    write(tmp_path / "a.jsonl", "x")
    first = _tick(sensor_context(tmp_path))
    assert isinstance(first, dg.SensorResult)
    [request] = first.run_requests or []
    assert request.tags[jobs.RAW_FILES_TAG] == "a.jsonl"
    assert request.tags[jobs.RUN_KIND_TAG] == "refresh"

    again = _tick(sensor_context(tmp_path, first.cursor))
    assert isinstance(again, dg.SensorResult)
    assert not again.run_requests
    assert "no new or changed files" in str(again.skip_reason)

    write(tmp_path / "a.jsonl", "y", mtime=OLD + 5)
    third = _tick(sensor_context(tmp_path, again.cursor))
    assert isinstance(third, dg.SensorResult)
    [changed] = third.run_requests or []
    assert changed.run_key != request.run_key
    assert json.loads(third.cursor or "{}")["a.jsonl"]["size"] == 1


@pytest.mark.parametrize("name", ["new.tsv", "new.ndjson", "new.ndjson.gz", "new.jsonl.gz", "new.parquet"])
def test_sensor_runs_for_every_format_ingest_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A file the source reading the folder ingests starts `refresh` (before, a dropped .tsv or .ndjson was never
    looked at: the sensor's own list of file types lacked them)."""
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path))
    write(tmp_path / name, "x")
    res = _tick(sensor_context(tmp_path))
    assert isinstance(res, dg.SensorResult)
    [request] = res.run_requests or []
    assert request.tags[jobs.RAW_FILES_TAG] == name


def test_sensor_skips_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.RAW_DIR_ENV, str(tmp_path / "nope"))
    res = _tick(sensor_context(tmp_path))
    assert isinstance(res, dg.SkipReason)
    assert "does not exist" in str(res.skip_message)


def test_long_file_lists_are_truncated_in_tags() -> None:
    names = [f"file_{i:05d}.jsonl" for i in range(500)]
    req = jobs.raw_files_run_request(names, {n: {"hash": n} for n in names})
    assert len(req.tags[jobs.RAW_FILES_TAG]) <= 1000
    assert "(500 files)" in req.tags[jobs.RAW_FILES_TAG]


@pytest.mark.parametrize(
    ("env", "cron", "tz"),
    [
        ({}, "0 3 * * *", "UTC"),
        ({jobs.REFRESH_CRON_ENV: "*/30 * * * *", jobs.TIMEZONE_ENV: "Europe/Paris"}, "*/30 * * * *", "Europe/Paris"),
        ({jobs.REFRESH_CRON_ENV: "  "}, "0 3 * * *", "UTC"),
    ],
)
def test_refresh_schedule_from_env(env: dict[str, str], cron: str, tz: str) -> None:
    sched = jobs.build_refresh_schedule(env)
    assert sched.cron_schedule == cron
    assert sched.execution_timezone == tz
    assert sched.default_status == dg.DefaultScheduleStatus.STOPPED
    assert sched.job_name == "refresh"


def test_job_selections_on_the_stage_graph(tmp_path: Path) -> None:
    defs = project_defs(tmp_path / "x.duckdb", tmp_path / "thinkmill.yaml")
    curate = defs.resolve_job_def("curate")
    assert {k.to_user_string() for k in curate.asset_layer.selected_asset_keys} == set(STAGE_ASSETS)
    assert len(curate.asset_layer.asset_graph.asset_check_keys) == 22
    # refresh: what new raw files affect; publishing a version stays a deliberate step
    refresh = defs.resolve_job_def("refresh")
    assert {k.to_user_string() for k in refresh.asset_layer.selected_asset_keys} == set(STAGE_ASSETS) - {
        "published_dataset"
    }
    assert len(refresh.asset_layer.asset_graph.asset_check_keys) == 21


def test_dagster_yaml_sets_pools_and_frees_slots(tmp_path: Path) -> None:
    shutil.copy(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        pools = instance.get_concurrency_config().pool_config
        assert pools.default_pool_limit == 1
        assert pools.pool_granularity.value == "op"
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
        assert instance.run_monitoring_enabled
        assert instance.run_coordinator.dequeue_interval_seconds == 1  # a launched run starts within a second
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 4
    finally:
        instance.dispose()


def test_jobs_run_in_process_by_default(tmp_path: Path) -> None:
    defs = project_defs(tmp_path / "x.duckdb", tmp_path / "thinkmill.yaml")
    for name in ("curate", "refresh", "__ASSET_JOB"):  # __ASSET_JOB: what "Materialize all" launches
        job = defs.resolve_job_def(name)
        assert job.executor_def.name == "in_process", name
    # step retries stay on in process (the retry policies of generations and published_dataset apply)
    config = defs.resolve_job_def("curate").executor_def.config_schema.as_field().default_value
    assert "enabled" in config["retries"]


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({}, "in_process"),
        ({jobs.EXECUTOR_ENV: "multiprocess"}, "multiprocess"),
        ({jobs.EXECUTOR_ENV: " "}, "in_process"),
    ],
)
def test_executor_from_env(env: dict[str, str], name: str) -> None:
    assert jobs.run_executor(env).name == name


def test_unknown_executor_is_named() -> None:
    with pytest.raises(ValueError, match=r"THINKMILL_EXECUTOR='threads'"):
        jobs.run_executor({jobs.EXECUTOR_ENV: "threads"})
