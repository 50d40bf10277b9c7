"""End to end in a real browser: `dagster dev` on loopback, `curate` launched over GraphQL, the asset graph
checked in headless Chromium (the system binary; no browser download). Screenshots go to .ci/artifacts/.

Runs against the project's own workspace (`workspace.yaml` -> `assets.definitions`) on the bundled sample data.
"""

from __future__ import annotations

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
    srv = Server(port, tmp / "thinkmill.duckdb", log)
    try:
        _wait_until_up(srv, proc)
        yield srv
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
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


def _launch_curate(srv: Server) -> str:
    from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

    client = DagsterGraphQLClient("127.0.0.1", port_number=srv.port)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:  # the code location may still be loading when the webserver answers
        try:
            run_id = client.submit_job_execution("curate")
            break
        except DagsterGraphQLClientError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    status = None
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id).value
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(1)
    assert status == "SUCCESS", f"curate run {run_id} ended {status}; log tail:\n{srv.log.read_text()[-3000:]}"
    return run_id


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
        assert page.get_by_text("Never materialized").count() == 0, f"group {group}: an asset shows no run"
        page.screenshot(path=str(ARTIFACTS / f"ops_graph_{group}.png"), full_page=True)

    page.goto(f"{server.url}/assets/dataset_version", wait_until="domcontentloaded")
    page.get_by_text("Latest materialization").first.wait_for(timeout=30_000)
    page.get_by_text("Latest check results").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "ops_dataset_version.png"), full_page=True)

    page.goto(f"{server.url}/assets/dataset_version?view=events", wait_until="domcontentloaded")
    page.get_by_text(run_id[:8], exact=False).first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "ops_dataset_version_events.png"), full_page=True)


def test_curate_run_shows_in_asset_graph(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    run_id = _launch_curate(server)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            try:
                _assert_graph_and_latest_run(page, server, run_id)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "ops_failure.png"), full_page=True)
                (ARTIFACTS / "ops_failure.html").write_text(page.content(), encoding="utf-8")
                raise
        finally:
            browser.close()
    assert (ARTIFACTS / "ops_dataset_version.png").stat().st_size > 10_000
