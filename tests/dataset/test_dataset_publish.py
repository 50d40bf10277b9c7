"""Publishing against a loopback Hub stand-in: what is sent, idempotence, resume after interruption, --to-dir."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.errors import PublishError
from pipeline.dataset.publish import bundle, publish_version
from pipeline.dataset.versions import build_version, load_version, version_rows
from pipeline.store import Store
from tests.dataset.conftest import cfg_with
from tests.dataset.hub_stub import HubStub

TOKEN = "hf_testSECRETtoken123"
REPO = "acme/hermes-sft"


@pytest.fixture
def hub() -> Iterator[HubStub]:
    with HubStub() as h:
        yield h


@pytest.fixture
def store(db: Path, cfg: ThinkmillConfig, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with Store.open(db) as s:
        build_version(s, cfg)
        build_version(s, cfg_with(cfg, think_share_rows=0.5))
        yield s


def _publish(store: Store, cfg: ThinkmillConfig, hub: HubStub, version: str = "v1"):
    return publish_version(store, version, REPO, cfg, endpoint=hub.url, retry_wait_max=0.01)


def test_publish_sends_the_versions_files_privately_and_tags(store: Store, cfg: ThinkmillConfig,
                                                            hub: HubStub) -> None:
    res = _publish(store, cfg, hub)
    expected = bundle(store, "v1", pretty_name="hermes-sft", tags=cfg.publish.tags, repo=REPO)
    assert hub.files(REPO, "v1") == {**expected, ".gitattributes": hub.files(REPO, "v1")[".gitattributes"]}
    assert hub.repos[REPO].private is True
    assert hub.repos[REPO].tags["v1"] == res.revision == hub.repos[REPO].branches["main"]
    assert {"README.md", "data/train-00000-of-00001.parquet", "figures/think_tokens.png"} <= set(expected)
    assert all(r.auth == f"Bearer {TOKEN}" for r in hub.log)
    create = hub.calls("create_repo")[0].body
    assert create["type"] == "dataset"
    assert create.get("private") is True or create.get("visibility") == "private"
    rec = store.read("publications").row(0, named=True)
    assert (rec["version_id"], rec["repo"], rec["tag"], rec["revision"]) == ("v1", REPO, "v1", res.revision)
    assert {f["path"] for f in json.loads(rec["files"])} == set(expected)


def test_publishing_twice_changes_nothing(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    first = _publish(store, cfg, hub)
    n_commits = len(hub.repos[REPO].commits)
    second = _publish(store, cfg, hub)
    assert second.changed is False and second.revision == first.revision
    assert len(hub.repos[REPO].commits) == n_commits
    assert len(hub.calls("commit")) == 1 and len(hub.calls("tag")) == 1


def test_interrupted_publish_then_rerun_ends_exact(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    cfg.publish.max_retries = 1
    hub.fail["tag"] = 10  # the commit lands, tagging keeps failing: the run stops half done
    with pytest.raises(PublishError) as err:
        _publish(store, cfg, hub)
    assert TOKEN not in str(err.value)
    assert "v1" not in hub.repos[REPO].tags
    hub.fail.clear()
    res = _publish(store, cfg, hub)
    assert len(hub.calls("commit")) == 1  # the rerun did not upload again
    files = hub.files(REPO, "v1")
    files.pop(".gitattributes")
    assert files == bundle(store, "v1", pretty_name="hermes-sft", tags=[], repo=REPO)
    assert hub.repos[REPO].tags["v1"] == res.revision


def test_transient_errors_are_retried(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    hub.fail["commit"] = 2
    res = _publish(store, cfg, hub)
    assert len(hub.calls("commit")) == 3
    assert hub.repos[REPO].tags["v1"] == res.revision


def test_next_version_replaces_files_and_keeps_old_tag(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    v1 = _publish(store, cfg, hub)
    hub.push(REPO, {"stale.txt": b"left over"})  # someone else's file on main
    v2 = _publish(store, cfg, hub, "v2")
    main = hub.files(REPO, "main")
    main.pop(".gitattributes")
    assert main == bundle(store, "v2", pretty_name="hermes-sft", tags=[], repo=REPO)
    assert hub.repos[REPO].tags == {"v1": v1.revision, "v2": v2.revision}
    deleted = [i["value"]["path"] for i in hub.calls("commit")[-1].body if i["key"] == "deletedFile"]
    assert deleted == ["stale.txt"]
    # v1's tag still resolves to v1's files
    assert _publish(store, cfg, hub, "v1").changed is False


def test_a_tag_on_other_files_is_never_moved(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    _publish(store, cfg, hub)
    repo = hub.repos[REPO]
    repo.tags["v2"] = repo.tags["v1"]  # v2's tag points at v1's files
    with pytest.raises(PublishError, match="never rewritten"):
        _publish(store, cfg, hub, "v2")


def test_token_never_leaks(store: Store, cfg: ThinkmillConfig, hub: HubStub, tmp_path: Path) -> None:
    _publish(store, cfg, hub)
    assert all(TOKEN.encode() not in b for b in hub.files(REPO, "v1").values())
    dump = store.query("SELECT * FROM publications").write_csv() + store.query(
        "SELECT * FROM dataset_versions").write_csv()
    assert TOKEN not in dump
    hub.fail["refs"] = 99
    cfg.publish.max_retries = 0
    with pytest.raises(PublishError) as err:
        _publish(store, cfg, hub, "v2")
    assert TOKEN not in str(err.value) and "v2" in str(err.value)


def test_missing_token_is_a_clear_error(store: Store, cfg: ThinkmillConfig, hub: HubStub,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(PublishError, match="HF_TOKEN"):
        _publish(store, cfg, hub)
    assert hub.log == []


def test_to_dir_loads_with_datasets(store: Store, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    conf = tmp_path / "c.yaml"
    conf.write_text("publish:\n  repo: acme/hermes-sft\n")
    store.close()
    res = CliRunner().invoke(main, ["publish", "--version", "v1", "--to-dir", str(out), "--db", str(db),
                                    "--config", str(conf)])
    assert res.exit_code == 0, res.output
    ds = datasets.load_dataset(str(out))
    with Store.open(db, read_only=True) as s:
        rows = version_rows(s, "v1")
        files = bundle(s, "v1", pretty_name="hermes-sft", tags=[], local_dir=str(out.resolve()))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(files)
    assert f'load_dataset("{out.resolve()}")' in (out / "README.md").read_text()  # the card names the folder
    assert ds["train"].num_rows + ds["validation"].num_rows == rows.height
    assert set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"]) == set(rows.get_column("example_id"))
    (out / "extra.txt").write_text("x")
    res = CliRunner().invoke(main, ["publish", "--version", "v1", "--to-dir", str(out), "--db", str(db),
                                    "--config", str(conf)])
    assert res.exit_code == 1 and "extra.txt" in res.output


def test_load_version_from_the_hub_by_tag(store: Store, cfg: ThinkmillConfig, hub: HubStub, db: Path,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    _publish(store, cfg, hub, "v1")
    _publish(store, cfg, hub, "v2")
    v1_ids = set(version_rows(store, "v1").get_column("example_id"))
    ds = load_version(f"hf://{REPO}", "v1", endpoint=hub.url, token=TOKEN)
    assert set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"]) == v1_ids
