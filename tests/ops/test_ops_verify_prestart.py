"""A run that verifies starts the verify pool's forkserver when it starts: its imports (~2 s) overlap the steps before
`verdicts` instead of delaying it."""

from __future__ import annotations

import multiprocessing.forkserver as forkserver
import os
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest

from assets import resources
from assets.resources import EXECUTOR_ENV, ThinkmillResource, verifies_in_this_process
from pipeline.verify import runner
from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item
from pipeline.verify.result import TaskSpec


def _run(steps: list[str] | None = None, assets: set[str] | None = None) -> dg.DagsterRun:
    selection = None if assets is None else frozenset(dg.AssetKey(a) for a in assets)
    return dg.DagsterRun(job_name="j", run_id="r", step_keys_to_execute=steps, asset_selection=selection)


@pytest.mark.parametrize(
    ("run", "env", "want"),
    [
        (_run(["raw_tasks", "tasks", "generations", "verdicts"]), "", True),
        (_run(["raw_tasks", "tasks"]), "", False),
        (_run(assets={"verdicts", "selected_traces"}), "", True),
        (_run(assets={"dataset_card"}), "", False),  # the card's automation
        (_run(), "", True),  # a whole job (curate, refresh)
        (_run(["verdicts"]), " in_process ", True),
        (_run(["verdicts"]), "multiprocess", False),  # each step sets up its resources in its own process
        (None, "", False),  # a sensor's or schedule's evaluation: no run
    ],
)
def test_which_runs_verify_in_their_own_process(
    monkeypatch: pytest.MonkeyPatch, run: dg.DagsterRun | None, env: str, want: bool
) -> None:
    monkeypatch.setenv(EXECUTOR_ENV, env)
    assert verifies_in_this_process(SimpleNamespace(dagster_run=run)) is want  # type: ignore[arg-type]


@pytest.mark.parametrize(("executor", "want"), [("local", 1), ("ray", 0), (None, 0)])
def test_setup_starts_the_forkserver_where_this_process_verifies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, executor: str | None, want: int
) -> None:
    """`None`: a config that does not load; the step then fails with the reason, nothing is started for it."""
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(f"executor:\n  kind: {executor}\n" if executor else "executor: [not, a, mapping]\n")
    started: list[bool] = []
    monkeypatch.setattr(resources, "prestart", lambda: started.append(True))
    monkeypatch.delenv(EXECUTOR_ENV, raising=False)
    res = ThinkmillResource(db_path=str(tmp_path / "t.duckdb"), config_path=str(cfg))
    res.setup_for_execution(SimpleNamespace(instance=None, dagster_run=_run(["verdicts"])))  # type: ignore[arg-type]
    assert len(started) == want


def test_prestart_starts_the_forkserver_the_pool_then_uses() -> None:
    runner.prestart()
    pid = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    assert pid is not None and os.waitpid(pid, os.WNOHANG) == (0, 0)  # running
    runner.prestart()  # idempotent: the same server
    assert forkserver._forkserver._forkserver_pid == pid  # type: ignore[attr-defined]
    items = [Item(TaskSpec(f"t{i}", "exact", "42"), "42" if i % 2 else "41", "no_think") for i in range(20)]
    got = runner.verify_items(items, VerifyConfig(inline_below=0, workers=2))
    assert [v.verifier_passed for v in got] == [bool(i % 2) for i in range(20)]
    assert forkserver._forkserver._forkserver_pid == pid  # type: ignore[attr-defined]
