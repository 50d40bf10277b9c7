"""Jobs, the nightly refresh schedule and the raw-data folder sensor.

- `curate`: the whole graph, every check included.
- `refresh`: what new raw files affect: ingest through the dataset version and its card; not the Hub release
  (`published_dataset` runs in `curate` or by hand). Each stage is incremental by design (ingest skips files it
  has seen by content hash, generation never re-sends a cached request key, verify judges only unjudged
  generations, and a version is made only when its content hash changed), so a refresh costs only the new tasks.
- `card_automation`: `dataset_card` follows `dataset_version` (`AutomationCondition.eager()`), whichever run
  materialised the version, unless a blocking check of the version failed.
- `refresh_nightly`: runs `refresh` on `$THINKMILL_REFRESH_CRON` (default 03:00 daily, `$THINKMILL_TIMEZONE`,
  default UTC); off until turned on in the UI or with `dagster schedule start`.
- `raw_files_sensor`: watches `$THINKMILL_RAW_DIR` (default data/raw) and starts `refresh` when files are new
  or their content changed. Its cursor maps each file to (mtime, size, content hash): a touched but unchanged
  file starts nothing, and a file still being written (modified under `SETTLE_S` ago) waits for the next tick.

Env values are read when the code location loads (the cron) or at each tick (the folder).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import xxhash

from assets.resources import EXECUTOR_ENV, ThinkmillResource, executor_name
from pipeline.config import ThinkmillConfig
from pipeline.errors import ThinkmillError
from pipeline.ingest.readers import FORMATS
from pipeline.ingest.sources import resolve_inputs

RAW_DIR_ENV = "THINKMILL_RAW_DIR"
DEFAULT_RAW_DIR = "data/raw"
REFRESH_CRON_ENV = "THINKMILL_REFRESH_CRON"
DEFAULT_REFRESH_CRON = "0 3 * * *"
TIMEZONE_ENV = "THINKMILL_TIMEZONE"
# The file types ingest reads from a folder or glob (`pipeline.ingest.readers.FORMATS`, gzipped JSON Lines too)
RAW_SUFFIXES = (*FORMATS, ".jsonl.gz", ".ndjson.gz")
SETTLE_S = 10.0
SENSOR_INTERVAL_S = 60
RUN_KIND_TAG = "thinkmill/run_kind"
RAW_FILES_TAG = "thinkmill/raw_files"
_TAG_MAX_CHARS = 1000

# Retry policies for the steps that talk to the outside world. Step retries are cheap to resume: generation
# never re-sends a request whose key is cached, and publishing re-uploads only missing files. No jitter: one refresh
# runs at a time, so there is no herd to spread, and `Jitter.PLUS_MINUS` drew each wait from 0 to twice its delay
# (a first retry 0.5 s after an outage began); each request's own retries have jitter (the openai client's backoff).
GENERATION_RETRY_POLICY = dg.RetryPolicy(max_retries=3, delay=30, backoff=dg.Backoff.EXPONENTIAL)
PUBLISH_RETRY_POLICY = dg.RetryPolicy(max_retries=4, delay=60, backoff=dg.Backoff.EXPONENTIAL)
RETRY_POLICIES: dict[str, dg.RetryPolicy] = {
    "generations": GENERATION_RETRY_POLICY,
    "published_dataset": PUBLISH_RETRY_POLICY,
}


def run_executor(env: Mapping[str, str] | None = None) -> dg.ExecutorDefinition:
    """The executor of every job (and of "Materialize all"): in process unless `$THINKMILL_EXECUTOR=multiprocess`.

    In process, a run is one Python process: no per-step interpreter start and import (seconds each), and the
    steps run one after another, which the `duckdb` pool (limit 1) imposed anyway. Step retries, pools and run
    monitoring work the same. Multiprocess isolates each step (a step that crashes its interpreter does not take
    the run's other steps with it) and overlaps generation (`llm` pool) with DuckDB steps of other branches.
    """
    name = executor_name(env)
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    raise ValueError(f"${EXECUTOR_ENV}={name!r}: use in_process or multiprocess")


EXECUTOR = run_executor()

whole_graph = dg.AssetSelection.all()
# New raw files change tasks, generations, verdicts, the selection, the version and its card; publishing a
# version is a release decision, not a consequence of a file landing.
fed_by_raw_data = dg.AssetSelection.assets("raw_tasks").downstream() - dg.AssetSelection.assets("published_dataset")
# The card is rebuilt whenever its version is (also after a version materialised on its own, e.g. from the UI),
# never while a blocking check of that version failed: the run skipped the card, and so does the automation.
version_blocked = dg.AutomationCondition.any_deps_match(
    dg.AutomationCondition.any_checks_match(dg.AutomationCondition.check_failed(), blocking_only=True)
)
CARD_FOLLOWS_VERSION = (dg.AutomationCondition.eager() & ~version_blocked).with_label(
    "eager, unless a blocking check of the version failed"
)

curate = dg.define_asset_job(
    "curate",
    selection=whole_graph,
    description="The whole pipeline: ingest, generate, verify, dedup/select, version, card, publish; all checks.",
    run_tags={RUN_KIND_TAG: "curate"},
    executor_def=EXECUTOR,
)
refresh = dg.define_asset_job(
    "refresh",
    selection=fed_by_raw_data,
    description="What new raw files affect: their new tasks are ingested, generated and verified -> a new "
    "dataset version and card only if content changed. Does not publish.",
    run_tags={RUN_KIND_TAG: "refresh"},
    executor_def=EXECUTOR,
)


def refresh_cron(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get(REFRESH_CRON_ENV, "").strip() or DEFAULT_REFRESH_CRON


def build_refresh_schedule(env: Mapping[str, str] | None = None) -> dg.ScheduleDefinition:
    env = os.environ if env is None else env
    return dg.ScheduleDefinition(
        name="refresh_nightly",
        job=refresh,
        cron_schedule=refresh_cron(env),
        execution_timezone=env.get(TIMEZONE_ENV, "").strip() or "UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description=f"Runs `refresh` on `${REFRESH_CRON_ENV}` (default `{DEFAULT_REFRESH_CRON}`). Off until started.",
    )


refresh_schedule = build_refresh_schedule()


# ----------------------------------------------------------------------------------------- sensor
def raw_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get(RAW_DIR_ENV, "").strip() or DEFAULT_RAW_DIR)


def file_digest(path: Path) -> str:
    h = xxhash.xxh3_128()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _is_raw_file(path: Path, folder: Path) -> bool:
    rel = path.relative_to(folder)
    hidden = any(p.startswith(".") for p in rel.parts)
    return path.is_file() and not hidden and path.name.lower().endswith(RAW_SUFFIXES)


def scan_raw_dir(
    folder: Path, cursor: Mapping[str, Mapping[str, Any]], *, now: float | None = None, settle_s: float = SETTLE_S
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Files under `folder` that are new or whose content changed since `cursor`, and the next cursor.

    A file is hashed only when its mtime or size moved. Files modified less than `settle_s` ago keep their
    old cursor entry (or none) so they are looked at again next tick. Deleted files leave the cursor.
    """
    now = time.time() if now is None else now
    changed: list[str] = []
    nxt: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*")):
        if not _is_raw_file(path, folder):
            continue
        key = path.relative_to(folder).as_posix()
        old = cursor.get(key)
        st = path.stat()
        if now - st.st_mtime < settle_s:
            if old is not None:
                nxt[key] = dict(old)
            continue
        if old is not None and old.get("mtime_ns") == st.st_mtime_ns and old.get("size") == st.st_size:
            nxt[key] = dict(old)
            continue
        digest = file_digest(path)
        nxt[key] = {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "hash": digest}
        if old is None or old.get("hash") != digest:
            changed.append(key)
    return changed, nxt


def raw_files_run_request(changed: list[str], cursor: Mapping[str, Mapping[str, Any]]) -> dg.RunRequest:
    """One `refresh` run for a set of changed files; the run key makes a re-evaluated tick start nothing twice."""
    key = xxhash.xxh3_64_hexdigest(json.dumps([[p, cursor[p]["hash"]] for p in changed]).encode())
    listed = ", ".join(changed)
    if len(listed) > _TAG_MAX_CHARS:
        listed = listed[: _TAG_MAX_CHARS - 20] + f" ... ({len(changed)} files)"
    return dg.RunRequest(run_key=f"raw-{key}", tags={RUN_KIND_TAG: "refresh", RAW_FILES_TAG: listed})


def files_read_by_sources(config: ThinkmillConfig, folder: Path) -> tuple[set[str], list[str]]:
    """Files under `folder` (relative, as the cursor keys them) that some file source of `config` reads, and
    one line per source that could not be resolved (a missing file, an unset variable)."""
    root = folder.resolve()
    read: set[str] = set()
    problems: list[str] = []
    for source in config.ingest.sources:
        if source.path is None:
            continue
        try:
            inputs = resolve_inputs(source, config.base_dir)
        except ThinkmillError as exc:
            problems.append(str(exc))
            continue
        for inp in inputs:
            p = Path(inp.path)
            if p.is_relative_to(root):
                read.add(p.relative_to(root).as_posix())
    return read, problems


@dg.sensor(
    name="raw_files_sensor",
    job=refresh,
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=f"Watches {raw_dir().resolve()} (`${RAW_DIR_ENV}`, default {DEFAULT_RAW_DIR}) and starts `refresh` "
    "when files there that an ingest source reads are new or changed (by content hash); files no source reads "
    "are logged, not run.",
    metadata={"watched_folder": dg.MetadataValue.path(str(raw_dir().resolve())), "env_var": RAW_DIR_ENV},
)
def raw_files_sensor(
    context: dg.SensorEvaluationContext, thinkmill: ThinkmillResource
) -> dg.SensorResult | dg.SkipReason:
    folder = raw_dir()
    if not folder.is_dir():
        return dg.SkipReason(f"raw-data folder {folder} does not exist; create it or set ${RAW_DIR_ENV}")
    cursor = json.loads(context.cursor) if context.cursor else {}
    changed, nxt = scan_raw_dir(folder, cursor)
    # Files no source read last time are looked at again: a source added to the config picks them up.
    candidates = sorted(set(changed) | {k for k, v in nxt.items() if v.get("unread")})
    if not candidates:
        return dg.SensorResult(skip_reason=f"no new or changed files in {folder}", cursor=json.dumps(nxt))
    read, problems = files_read_by_sources(thinkmill.config(), folder)
    for line in problems:
        context.log.warning(f"raw_files_sensor: {line}")
    to_run = [k for k in candidates if k in read]
    unread = [k for k in candidates if k not in read]
    for k in to_run:
        nxt[k].pop("unread", None)
    for k in unread:
        nxt[k]["unread"] = True
    new_unread = [k for k in changed if k in unread]
    if new_unread:
        context.log.warning(
            f"{len(new_unread)} files in {folder} that no ingest source reads (not run): "
            f"{', '.join(new_unread[:20])}; add a source whose path covers them, e.g. "
            f"`path: ${{{RAW_DIR_ENV}:-{DEFAULT_RAW_DIR}}}/*` (a file named for a validation or test split, "
            "e.g. test.jsonl, is left out of a folder or glob unless the source sets that `split`)"
        )
    if not to_run:
        return dg.SensorResult(
            skip_reason=f"{len(unread)} files in {folder} that no ingest source reads; nothing to refresh",
            cursor=json.dumps(nxt),
        )
    context.log.info(f"{len(to_run)} new or changed raw files in {folder}: {', '.join(to_run[:20])}")
    return dg.SensorResult(run_requests=[raw_files_run_request(to_run, nxt)], cursor=json.dumps(nxt))


card_automation = dg.AutomationConditionSensorDefinition(
    "card_automation",
    target=dg.AssetSelection.assets("dataset_card"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Rebuilds `dataset_card` after `dataset_version` materialises (AutomationCondition.eager()), "
    "unless a blocking check of the version failed.",
)

JOBS = [curate, refresh]
SCHEDULES = [refresh_schedule]
SENSORS = [raw_files_sensor, card_automation]
