"""A run killed without ending (`kill -9` of `dagster job execute`, an OOM kill, a cron timeout) kept its pool slot:
every later run on the instance waited for it for good, logging "still blocked" at debug level only. The next run
of the same host ends it and frees its slots (assets/runs.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

REPO = Path(__file__).resolve().parents[2]
RUNNER = """
import sys, time
import dagster as dg
from assets.resources import ThinkmillResource

@dg.asset(pool="llm")
def held(thinkmill: ThinkmillResource) -> None:
    print("HOLDING", flush=True)
    time.sleep(600)

@dg.asset(pool="llm")
def after(thinkmill: ThinkmillResource) -> None:
    print("RAN", flush=True)

which = sys.argv[1]
r = dg.materialize([held, after], instance=dg.DagsterInstance.get(), selection=[which],
                   resources={"thinkmill": ThinkmillResource(db_path=sys.argv[2])})
print("SUCCESS" if r.success else "FAILED", flush=True)
"""


def test_a_killed_run_no_longer_blocks_the_next_one(tmp_path: Path) -> None:
    home = tmp_path / "dh"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())  # pools: llm limit 1
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": os.pathsep.join([str(REPO), str(tmp_path)])}
    db = str(tmp_path / "t.duckdb")
    held = subprocess.Popen(
        [sys.executable, str(script), "held", db], env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert held.stdout is not None and held.stdout.readline().strip() == "HOLDING"
    finally:
        os.killpg(held.pid, signal.SIGKILL)  # the run never ends: STARTED, holding the llm slot
        held.wait()
    t0 = time.monotonic()
    after = subprocess.run(
        [sys.executable, str(script), "after", db], env=env, capture_output=True, text=True, timeout=120
    )
    assert after.stdout.split()[-2:] == ["RAN", "SUCCESS"], after.stdout[-2000:] + after.stderr[-3000:]
    assert time.monotonic() - t0 < 100
    assert "is gone: the run was killed without ending" in after.stderr
    instance = dg.DagsterInstance.from_config(str(home))
    statuses = sorted(r.status.value for r in instance.get_runs())
    assert statuses == ["FAILURE", "SUCCESS"], statuses
    instance.dispose()


def test_a_live_run_and_another_hosts_run_are_left_alone() -> None:
    """Only a run of this host whose process is gone is ended: a live process, a run another host tagged (its pid
    means nothing here) or one with no process recorded keeps its state and slots."""
    import socket
    from types import SimpleNamespace

    from assets.runs import HOST_TAG, end_dead_runs

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    here, pids = socket.gethostname(), {"dead": gone.pid, "live": os.getpid(), "other_host": gone.pid, "no_pid": None}
    runs = [
        SimpleNamespace(run_id=k, job_name="refresh", tags={HOST_TAG: "elsewhere" if k == "other_host" else here})
        for k in pids
    ]

    def logs(run_id, of_type=None):
        pid = pids[run_id]
        meta = {"pid": dg.MetadataValue.text(str(pid))} if pid else {}
        event = SimpleNamespace(event_specific_data=SimpleNamespace(metadata=meta))
        return [SimpleNamespace(dagster_event=event, user_message=f"Executing steps in process (pid: {pid})")]

    failed, freed, tagged = [], [], []
    instance = SimpleNamespace(
        get_runs=lambda filters=None: runs,
        all_logs=logs,
        add_run_tags=lambda run_id, tags: tagged.append((run_id, tags)),
        report_run_failed=lambda run, message=None: failed.append(run.run_id),
        event_log_storage=SimpleNamespace(free_concurrency_slots_for_run=freed.append),
    )
    assert end_dead_runs(instance, "me") == ["dead"]  # type: ignore[arg-type]
    assert failed == freed == ["dead"] and tagged == [("me", {HOST_TAG: here})]
