"""Publishing killed midway (a real SIGKILL of `thinkmill publish`), then rerun: the Hub repo ends exact.

The loopback Hub stand-in (testing_support/hub_stub.py) runs in this process; the publisher runs as a child and is
killed the moment the stand-in has handled a chosen request, before the client sees the answer. The rerun must
leave the repo with exactly the version's files, the version's tag on that commit, and one publication record,
without committing the same files twice.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_harness import ROOT, child_env

from pipeline.config import SAMPLE_CONFIG, load_config
from pipeline.dataset.publish import STAGING_PREFIX, bundle, pretty_name_for, publish_version
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from testing_support.hub_stub import HubStub
from testing_support.seed import populate

TOKEN = "hf_reliabilityCANARYtoken42"
REPO = "acme/reliable-sft"


@pytest.fixture
def hub() -> Iterator[HubStub]:
    with HubStub() as h:
        yield h


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "pub.duckdb"
    cfg = load_config(SAMPLE_CONFIG)
    with Store.open(path) as s:
        populate(s, n_tasks=40)
        assert build_version(s, cfg).metadata["version"] == "v1"
    return path


@pytest.mark.parametrize("kill_at", ["preupload", "commit", "tag"])
def test_publish_killed_midway_then_rerun_ends_with_exact_files_and_tag(
    kill_at: str, db: Path, hub: HubStub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    temp = tmp_path / "temp"  # the temp dir of both runs: the killed one's files stay there
    temp.mkdir()
    victim: dict[str, subprocess.Popen[str]] = {}
    fired = hub.kill_after(kill_at, victim)
    victim["p"] = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "publish",
            "--version",
            "v1",
            "--repo",
            REPO,
            "--endpoint",
            hub.url,
            "--db",
            str(db),
            "--config",
            str(SAMPLE_CONFIG),
        ],
        cwd=ROOT,
        env=child_env(HF_TOKEN=TOKEN, HF_HUB_DISABLE_TELEMETRY="1", TMPDIR=str(temp)),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, err = victim["p"].communicate(timeout=120)
    assert fired.is_set(), f"the publisher never reached {kill_at}: {err[-2000:]}"
    assert victim["p"].returncode == -signal.SIGKILL
    commits_before = len(hub.calls("commit"))

    assert list(temp.glob(f"{STAGING_PREFIX}*"))  # what the killed run left
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    cfg = load_config(SAMPLE_CONFIG)
    with Store.open(db) as store:
        res = publish_version(store, "v1", REPO, cfg, endpoint=hub.url, retry_wait_max=0.01)
        expected = bundle(store, "v1", pretty_name=pretty_name_for(cfg, REPO), tags=cfg.publish.tags, repo=REPO)
        pubs = store.read("publications")
    repo = hub.repos[REPO]
    tagged = hub.files(REPO, "v1")
    tagged.pop(".gitattributes", None)
    assert tagged == expected  # exactly the version's files: none missing, none extra, same bytes
    # the killed run's copy of the files (it ran no cleanup) is removed by the rerun
    assert not list(temp.glob(f"{STAGING_PREFIX}*"))
    assert repo.tags == {"v1": res.revision} and repo.branches["main"] == res.revision
    assert pubs.height == 1 and pubs["revision"].to_list() == [res.revision]
    if kill_at == "tag" or kill_at == "commit":  # the commit had landed: the rerun must not upload again
        assert len(hub.calls("commit")) == commits_before
    else:
        assert len(hub.calls("commit")) == commits_before + 1
    # LFS objects go to the storage URL the LFS batch answer names, without the token (as on the Hub)
    assert all(r.auth == f"Bearer {TOKEN}" for r in hub.log if not r.path.startswith("/lfs-upload/"))
