"""Runs whose process died without ending: their pool slots are freed when the next run starts.

A run started with `dagster job execute` or `dagster asset materialize` (a terminal, cron, CI) is its own process:
killed (`kill -9`, an OOM kill, a scheduler's timeout, a reboot), it stays STARTED in the instance and keeps the
`llm` or `duckdb` pool slot of the step it was in. Dagster's run monitoring ends only runs its daemon launched, so
every later run waited on that slot for good, logging "still blocked" at debug level only. Each run tags itself with
its host (`HOST_TAG`) when `ThinkmillResource` starts; the next run on that host finds a run of the same host whose
process (the pid of its "Executing steps" event) is gone, reports it failed and frees its slots, with a warning
naming it. A run of another host, or whose process is alive (or whose pid was taken again), is left alone.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import dagster as dg
from dagster import DagsterEventType, DagsterRunStatus

HOST_TAG = "thinkmill/host"
_LIVE = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def run_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process that executes a run's steps (its "Executing steps ..." engine event), or None."""
    for rec in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        data = rec.dagster_event.event_specific_data if rec.dagster_event else None
        pid = (getattr(data, "metadata", None) or {}).get("pid")
        if pid is not None and (rec.user_message or "").startswith("Executing steps"):
            try:
                return int(getattr(pid, "value", pid))
            except (TypeError, ValueError):
                return None
    return None


def end_dead_runs(instance: dg.DagsterInstance, current_run_id: str | None, log: Any = None) -> list[str]:
    """Tag `current_run_id` with this host; report failed, and free the pool slots of, every STARTING or STARTED run
    of this host whose process is gone. Returns their run ids."""
    host = socket.gethostname()
    if current_run_id:
        instance.add_run_tags(current_run_id, {HOST_TAG: host})
    ended = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_LIVE)):
        if run.run_id == current_run_id or run.tags.get(HOST_TAG) != host:
            continue
        pid = run_pid(instance, run.run_id)
        if pid is None or _alive(pid):
            continue
        why = (
            f"its process (pid {pid} on {host}) is gone: the run was killed without ending; thinkmill ended it "
            "and freed its pool slots"
        )
        instance.report_run_failed(run, why)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        ended.append(run.run_id)
        if log is not None:
            log.warning(f"run {run.run_id} ({run.job_name}) {why}")
    return ended
