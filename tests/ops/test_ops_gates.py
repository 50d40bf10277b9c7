"""`thinkmill build` and `thinkmill publish` run the blocking checks and refuse, exit 1, naming the check.

Defect reproduced: the quality gates ran only under Dagster, so a version failing a blocking check was built
and published from the command line without a word.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result
from ops_scenario import Run, latest, seed

from pipeline.cli import main
from pipeline.store import Store
from testing_support.hub_stub import HubStub


def thinkmill(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def error_line(res: Result) -> str:
    lines = [line for line in res.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, res.output
    return lines[0]


def test_build_refuses_a_version_with_a_lineage_break(clean_db: Path, clean_run: Run) -> None:
    """Selected traces filed under the wrong task would pair a prompt with another task's answer."""
    with Store.open(clean_db) as store:
        seed(store, "mislabelled_selection")
    res = thinkmill("build", "--db", str(clean_db), "--config", str(clean_run.config))
    assert res.exit_code == 1, res.output
    line = error_line(res)
    assert "build of v2 refused" in line
    assert "dataset_version:rows_traceable" in line
    assert re.search(r"task_mismatch=[1-9]", line)
    with Store.open(clean_db, read_only=True) as store:  # the refused version is gone, nothing else changed
        assert latest(store) == "v1"
        assert store.count("dataset_rows", "version_id <> 'v1'") == 0


def test_build_still_builds_and_reports_unchanged_content(clean_db: Path, clean_run: Run) -> None:
    res = thinkmill("build", "--db", str(clean_db), "--config", str(clean_run.config))
    assert res.exit_code == 0, res.output
    assert "no change: content equals v1" in res.output


def test_publish_refuses_a_version_whose_task_turned_out_contaminated(
    clean_db: Path, clean_run: Run, hub: HubStub, tmp_path: Path
) -> None:
    """A benchmark added after v1 was built overlaps one of its tasks: v1 must not leave the database."""
    with Store.open(clean_db) as store:
        seed(store, "contaminated")
    out = tmp_path / "bundle"
    res = thinkmill(
        "publish", "--version", "v1", "--to-dir", str(out), "--db", str(clean_db), "--config", str(clean_run.config)
    )
    assert res.exit_code == 1, res.output
    line = error_line(res)
    assert "publishing v1 refused" in line
    assert "dataset_version:no_contaminated_tasks" in line
    assert "contaminated_tasks=1" in line
    assert not out.exists()

    calls = len(hub.log)
    res = thinkmill(
        "publish",
        "--version",
        "v1",
        "--repo",
        "acme/late-contamination",
        "--endpoint",
        hub.url,
        "--db",
        str(clean_db),
        "--config",
        str(clean_run.config),
    )
    assert res.exit_code == 1, res.output
    assert "dataset_version:no_contaminated_tasks" in error_line(res)
    assert len(hub.log) == calls, "nothing may reach the Hub"
    assert "acme/late-contamination" not in hub.repos


def test_publish_of_a_clean_version_still_works(clean_db: Path, clean_run: Run, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    res = thinkmill(
        "publish", "--version", "v1", "--to-dir", str(out), "--db", str(clean_db), "--config", str(clean_run.config)
    )
    assert res.exit_code == 0, res.output
    assert (out / "README.md").exists()


def test_published_dataset_asset_refuses_a_contaminated_version_without_retrying(
    clean_db: Path, clean_run: Run, hub: HubStub
) -> None:
    """The gate inside publish is a refusal, not a transient fault: the asset's retry policy must not re-run it."""
    import dagster as dg

    from assets.publish import published_dataset
    from assets.resources import ThinkmillResource

    with Store.open(clean_db) as store:
        seed(store, "contaminated")
    calls = len(hub.log)
    result = dg.materialize(
        [published_dataset],
        resources={"thinkmill": ThinkmillResource(db_path=str(clean_db), config_path=str(clean_run.config))},
        raise_on_error=False,
    )
    assert not result.success
    failures = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert len(failures) == 1 and "dataset_version:no_contaminated_tasks" in str(failures[0].event_specific_data)
    assert not [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    assert len(hub.log) == calls, "nothing may reach the Hub"
