"""End to end in a real browser: `dagster dev` on loopback and headless Chromium (the system binary; no browser
download), as a user would: *Materialize all* clicked on the asset graph (timed: under 30 s on the sample), the
graph and the latest run checked per group, the card preview's figures and the version plot rendered, then the
sensor turned on with a click after a file was dropped in the watched folder, and its tasks found in
`clean_tasks`. Screenshots go to .ci/artifacts/.

Runs against the project's own workspace (`workspace.yaml` -> `assets.definitions`) on the bundled sample data.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dagster import AssetKey
from ops_scenario import STAGE_ASSETS

if TYPE_CHECKING:
    from playwright.sync_api import Page

from assets.definitions import defs as project_defs
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".ci" / "artifacts"
CHROMIUM = os.environ.get("THINKMILL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 90
RUN_TIMEOUT_S = 120
# issue 17: Materialize all on the sample data, click to success. A CI runner much slower than a dev machine
# may raise it (THINKMILL_MATERIALIZE_ALL_MAX_S); the artifact ops_materialize_all_seconds.txt says where it went.
MATERIALIZE_ALL_MAX_S = float(os.environ.get("THINKMILL_MATERIALIZE_ALL_MAX_S", "30"))
SENSOR_TIMEOUT_S = 180  # a sensor tick (daemon loop) plus the refresh run
ASSET_JOB = "__ASSET_JOB"  # the job "Materialize all" launches

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stages_defined() -> bool:
    keys = {
        k.to_user_string()
        for k in project_defs.resolve_asset_graph().get_all_asset_keys()
        if project_defs.resolve_asset_graph().get(k).is_executable
    }
    return set(STAGE_ASSETS) <= keys


@dataclass
class Server:
    port: int
    db: Path
    log: Path
    raw: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian `chromium`; CI's .ci/run does)")
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("dagster_graphql")
    tmp = tmp_path_factory.mktemp("e2e")
    home = tmp / "dagster_home"
    home.mkdir()
    (tmp / "raw").mkdir()  # the watched folder, empty: the sample's drop source finds nothing new
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    with (home / "dagster.yaml").open("a", encoding="utf-8") as f:
        f.write("\nnux:\n  enabled: false\n")  # no welcome dialog over the graph
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "THINKMILL_DB": str(tmp / "thinkmill.duckdb"),
        "THINKMILL_RAW_DIR": str(tmp / "raw"),
        "THINKMILL_CONFIG": str(ROOT / "pipeline" / "sample" / "thinkmill.yaml"),  # what `make dev` sets
        "PYTHONPATH": str(ROOT),
    }
    assert _stages_defined(), "assets.definitions lacks stage assets"
    workspace = ROOT / "workspace.yaml"
    port = _free_port()
    log = tmp / "dagster_dev.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    srv = Server(port, tmp / "thinkmill.duckdb", log, tmp / "raw")
    try:
        _wait_until_up(srv, proc)
        yield srv
    finally:
        # The whole process group (webserver, daemon, code server, run workers) is killed at once: nothing here
        # checks a graceful stop, and `dagster dev` takes over 5 s to stop on SIGINT (SIGTERM: it ran out a 20 s wait).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_until_up(srv: Server, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster dev exited with {proc.returncode}:\n{srv.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{srv.url}/server_info", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"dagster dev not up after {START_TIMEOUT_S}s:\n{srv.log.read_text()[-3000:]}")


def _graphql(srv: Server, query: str) -> dict:
    req = urllib.request.Request(
        f"{srv.url}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)["data"]


def _runs(srv: Server) -> list[dict]:
    """Every run, newest first: id, job, status."""
    data = _graphql(srv, "{ runsOrError { ... on Runs { results { runId jobName status } } } }")
    return data["runsOrError"]["results"]


def _wait_for_run(srv: Server, job: str, timeout_s: float, known: set[str] = frozenset()) -> dict:
    """The first run of `job` not in `known` once it has ended."""
    deadline = time.monotonic() + timeout_s
    run: dict | None = None
    while time.monotonic() < deadline:
        run = next((r for r in _runs(srv) if r["jobName"] == job and r["runId"] not in known), None)
        if run and run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
            return run
        time.sleep(0.2)  # the click-to-success time is measured through this poll: keep it fine-grained
    pytest.fail(f"no finished {job} run after {timeout_s}s (last seen: {run}); log:\n{srv.log.read_text()[-3000:]}")


def _materialize_all(page: Page, srv: Server) -> tuple[str, float]:
    """Click *Materialize all* on the global asset graph; the run id and the seconds from click to success."""
    page.goto(f"{srv.url}/asset-groups", wait_until="domcontentloaded")
    button = page.get_by_role("button", name="Materialize all")
    button.wait_for(timeout=START_TIMEOUT_S * 1000)
    t0 = time.monotonic()
    button.click()
    run = _wait_for_run(srv, ASSET_JOB, RUN_TIMEOUT_S)
    elapsed = time.monotonic() - t0
    assert run["status"] == "SUCCESS", f"Materialize all ended {run['status']}; log:\n{srv.log.read_text()[-3000:]}"
    return run["runId"], elapsed


def _run_timing(srv: Server, run_id: str) -> str:
    """Where a run's wall time went: launch (queued -> started), the steps, and the slowest step."""
    q = f'{{ runOrError(runId: "{run_id}") {{ ... on Run {{ creationTime startTime endTime '
    q += "stepStats { stepKey startTime endTime } } } }"
    r = _graphql(srv, q)["runOrError"]
    steps = [(s["endTime"] - s["startTime"], s["stepKey"]) for s in r["stepStats"] if s["startTime"] and s["endTime"]]
    slow = ", ".join(f"{k} {t:.1f}s" for t, k in sorted(steps, reverse=True)[:3])
    return (
        f"launch {r['startTime'] - r['creationTime']:.1f}s, run {r['endTime'] - r['startTime']:.1f}s "
        f"({len(steps)} steps, {sum(t for t, _ in steps):.1f}s in steps; slowest: {slow}); "
        f"load {os.getloadavg()[0]:.1f}"
    )


def _stage_groups(location: str) -> dict[str, list[str]]:
    """Stage assets by group, from the definitions the server loaded."""
    ag = project_defs.resolve_asset_graph()
    groups: dict[str, list[str]] = {}
    for name in STAGE_ASSETS:
        groups.setdefault(ag.get(AssetKey(name)).group_name, []).append(name)
    return groups


def _location_name(srv: Server) -> str:
    query = b'{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name } } } }"}'
    req = urllib.request.Request(f"{srv.url}/graphql", data=query, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        entries = json.load(r)["data"]["workspaceOrError"]["locationEntries"]
    return entries[0]["name"]


def _assert_graph_and_latest_run(page: Page, server: Server, run_id: str) -> None:
    location = _location_name(server)
    for group, names in _stage_groups(location).items():
        page.goto(f"{server.url}/locations/{location}/asset-groups/{group}/lineage", wait_until="domcontentloaded")
        for name in names:
            page.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
        page.get_by_text("Materialized", exact=False).first.wait_for(timeout=30_000)
        # the sample config sets no publish.repo: published_dataset is (truthfully) never materialised
        unpublished = 1 if "published_dataset" in names else 0
        assert page.get_by_text("Never materialized").count() == unpublished, f"group {group}: an asset shows no run"
        page.screenshot(path=str(ARTIFACTS / f"ops_graph_{group}.png"), full_page=True)

    page.goto(f"{server.url}/assets/dataset_version", wait_until="domcontentloaded")
    page.get_by_text("Latest materialization").first.wait_for(timeout=30_000)
    page.get_by_text("Latest check results").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "ops_dataset_version.png"), full_page=True)

    page.goto(f"{server.url}/assets/dataset_version?view=events", wait_until="domcontentloaded")
    page.get_by_text(run_id[:8], exact=False).first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "ops_dataset_version_events.png"), full_page=True)


def _markdown_images(page: Page, srv: Server, asset: str, key: str) -> int:
    """Open `asset`'s latest materialisation, show its markdown entry `key`; the number of images that loaded."""
    page.goto(f"{srv.url}/assets/{asset}?view=events", wait_until="domcontentloaded")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=key, exact=True))
    row.get_by_text("[Show Markdown]").click(timeout=30_000)
    dialog = page.get_by_role("dialog")
    dialog.locator("img").first.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=dialog] img')].every(i => i.complete)", timeout=30_000
    )
    page.screenshot(path=str(ARTIFACTS / f"ops_{asset}_{key}.png"))
    loaded = dialog.locator("img").evaluate_all("(imgs) => imgs.filter(i => i.naturalWidth > 0).length")
    assert loaded == dialog.locator("img").count(), f"{asset}.{key}: a broken image"
    page.keyboard.press("Escape")
    return loaded


def _sensor_flow(page: Page, srv: Server) -> None:
    """Drop a file in the watched folder, turn the sensor on in the UI: a refresh run takes its tasks in."""
    rows = [
        {"id": f"n{i}", "prompt": f"What is {i} times {i + 7}? Give the number.", "answer": str(i * (i + 7))}
        for i in range(3)
    ]
    dropped = srv.raw / "new_tasks.jsonl"
    dropped.write_text("".join(json.dumps({**r, "domain": "math", "verifier": "math"}) + "\n" for r in rows))
    settled = time.time() - 3600  # older than the sensor's settle time: read on its first tick
    os.utime(dropped, (settled, settled))
    known = {r["runId"] for r in _runs(srv)}
    page.goto(f"{srv.url}/locations/thinkmill/sensors/raw_files_sensor", wait_until="domcontentloaded")
    page.get_by_text(str(srv.raw), exact=False).first.wait_for(timeout=30_000)  # the page names its folder
    page.locator("label:has(input[type=checkbox])").first.click()
    run = _wait_for_run(srv, "refresh", SENSOR_TIMEOUT_S, known)
    assert run["status"] == "SUCCESS", f"sensor's refresh run ended {run['status']}"
    page.screenshot(path=str(ARTIFACTS / "ops_sensor.png"), full_page=True)
    with Store.open(srv.db, read_only=True) as store:
        clean = store.query(
            "SELECT task_id FROM tasks WHERE source = 'drop' AND task_id NOT IN (SELECT task_id FROM contamination) "
            "ORDER BY task_id"
        )["task_id"].to_list()
    assert clean == ["drop/n0", "drop/n1", "drop/n2"]


def test_ui_materialize_all_card_and_sensor_flow(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            try:
                run_id, elapsed = _materialize_all(page, server)
                timing = _run_timing(server, run_id)
                (ARTIFACTS / "ops_materialize_all_seconds.txt").write_text(
                    f"{elapsed:.1f}s click to success: {timing}\n"
                )
                _assert_graph_and_latest_run(page, server, run_id)
                assert _markdown_images(page, server, "dataset_card", "card") == 4  # the card's figures
                assert _markdown_images(page, server, "dataset_version", "plot") == 1
                _sensor_flow(page, server)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "ops_failure.png"), full_page=True)
                (ARTIFACTS / "ops_failure.html").write_text(page.content(), encoding="utf-8")
                raise
        finally:
            browser.close()
    assert (ARTIFACTS / "ops_dataset_version.png").stat().st_size > 10_000
    assert elapsed < MATERIALIZE_ALL_MAX_S, (
        f"Materialize all took {elapsed:.1f}s (limit {MATERIALIZE_ALL_MAX_S}s): {timing}"
    )
