"""Publishing against a loopback Hub stand-in: what is sent, idempotence, resume after interruption, --to-dir."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import datasets
import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.errors import PublishError
from pipeline.dataset.publish import bundle, git_blob_sha1, publish_version
from pipeline.dataset.versions import load_version, version_rows
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from testing_support.hub_stub import HubStub, _endpoint
from testing_support.seed import cfg_with

TOKEN = "hf_testSECRETtoken123"
REPO = "acme/hermes-sft"


@pytest.fixture
def hub() -> Iterator[HubStub]:
    with HubStub() as h:  # the stub speaks the LFS upload protocol (Xet off while it runs)
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


def test_publish_sends_the_versions_files_privately_and_tags(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    res = _publish(store, cfg, hub)
    expected = bundle(store, "v1", pretty_name="hermes-sft", tags=cfg.publish.tags, repo=REPO)
    assert hub.files(REPO, "v1") == {**expected, ".gitattributes": hub.files(REPO, "v1")[".gitattributes"]}
    assert hub.repos[REPO].private is True
    assert hub.repos[REPO].tags["v1"] == res.revision == hub.repos[REPO].branches["main"]
    assert {"README.md", "data/train-00000-of-00001.parquet", "figures/think_tokens.png"} <= set(expected)
    # the Hub's API calls carry the token; LFS objects go to the storage URL the batch answer names, without it
    assert all(r.auth == f"Bearer {TOKEN}" for r in hub.log if _endpoint(r.method, r.path) != "lfs_upload")
    assert hub.calls("lfs_upload") and all(r.auth is None for r in hub.calls("lfs_upload"))
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


def test_republishing_after_the_database_moved_on_sends_nothing(
    store: Store, cfg: ThinkmillConfig, hub: HubStub
) -> None:
    """The card's statistics read the database as it stands (a later ingest's dropped duplicates, its benchmark
    hits): republishing a version whose rows are unchanged was refused as "different files". Its tag, rows and
    card stay as first published."""
    first = _publish(store, cfg, hub)
    published = hub.files(REPO, "v1")
    dup = {"task_id": "later0", "duplicate_of": "t0003", "reason": "dedup:exact", "score": 1.0}
    store.insert("task_duplicates", pl.DataFrame([dup]))
    assert bundle(store, "v1", pretty_name="hermes-sft", repo=REPO)["README.md"] != published["README.md"]
    again = _publish(store, cfg, hub)
    assert (again.changed, again.revision) == (False, first.revision)
    assert len(hub.calls("commit")) == 1 and len(hub.calls("tag")) == 1
    assert hub.files(REPO, "v1") == published
    # rows that differ are still never published under the tag
    repo = hub.repos[REPO]
    repo.tags["v2"] = repo.tags["v1"]
    with pytest.raises(PublishError, match="never rewritten"):
        _publish(store, cfg, hub, "v2")


def test_a_tag_on_other_files_is_never_moved(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    _publish(store, cfg, hub)
    repo = hub.repos[REPO]
    repo.tags["v2"] = repo.tags["v1"]  # v2's tag points at v1's files
    with pytest.raises(PublishError, match="never rewritten"):
        _publish(store, cfg, hub, "v2")


def test_token_never_leaks(store: Store, cfg: ThinkmillConfig, hub: HubStub, tmp_path: Path) -> None:
    _publish(store, cfg, hub)
    assert all(TOKEN.encode() not in b for b in hub.files(REPO, "v1").values())
    dump = (
        store.query("SELECT * FROM publications").write_csv()
        + store.query("SELECT * FROM dataset_versions").write_csv()
    )
    assert TOKEN not in dump
    hub.fail["refs"] = 99
    cfg.publish.max_retries = 0
    with pytest.raises(PublishError) as err:
        _publish(store, cfg, hub, "v2")
    assert TOKEN not in str(err.value) and "v2" in str(err.value)


def test_missing_token_is_a_clear_error(
    store: Store, cfg: ThinkmillConfig, hub: HubStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(PublishError, match="HF_TOKEN"):
        _publish(store, cfg, hub)
    assert hub.log == []


def test_to_dir_loads_with_datasets(store: Store, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    conf = tmp_path / "c.yaml"
    conf.write_text("publish:\n  repo: acme/hermes-sft\n")
    store.close()
    res = CliRunner().invoke(
        main, ["publish", "--version", "v1", "--to-dir", str(out), "--db", str(db), "--config", str(conf)]
    )
    assert res.exit_code == 0, res.output
    ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache"))  # not a cache of an earlier run
    with Store.open(db, read_only=True) as s:
        rows = version_rows(s, "v1")
        files = bundle(s, "v1", pretty_name="hermes-sft", tags=[], local_dir=str(out.resolve()))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(files)
    assert f'load_dataset("{out.resolve()}")' in (out / "README.md").read_text()  # the card names the folder
    assert ds["train"].num_rows + ds["validation"].num_rows == rows.height
    assert set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"]) == set(rows.get_column("example_id"))
    (out / "extra.txt").write_text("x")
    res = CliRunner().invoke(
        main, ["publish", "--version", "v1", "--to-dir", str(out), "--db", str(db), "--config", str(conf)]
    )
    assert res.exit_code == 1 and "extra.txt" in res.output


def test_to_dir_of_another_version_never_loads_the_cached_one(store: Store, tmp_path: Path) -> None:
    """`datasets` caches a folder by its name and the card's `configs`, not by its files: v2 written where v1 was
    (or to another folder of the same name) loaded v1's cached rows. The card's config names the content."""
    import shutil

    from pipeline.dataset.publish import write_to_dir

    cache = str(tmp_path / "hf_cache")  # one cache for both loads, as a user's ~/.cache/huggingface
    out = tmp_path / "release"
    loaded = {}
    for version in ("v1", "v2"):
        shutil.rmtree(out, ignore_errors=True)
        write_to_dir(bundle(store, version, pretty_name="hermes-sft", local_dir=str(out.resolve())), out)
        ds = datasets.load_dataset(str(out), cache_dir=cache)
        loaded[version] = set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"])
    for version in ("v1", "v2"):
        assert loaded[version] == set(version_rows(store, version).get_column("example_id")), version


def test_load_version_from_the_hub_by_tag(
    store: Store, cfg: ThinkmillConfig, hub: HubStub, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    _publish(store, cfg, hub, "v1")
    _publish(store, cfg, hub, "v2")
    v1_ids = set(version_rows(store, "v1").get_column("example_id"))
    ds = load_version(f"hf://{REPO}", "v1", endpoint=hub.url, token=TOKEN)
    assert set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"]) == v1_ids


# ------------------------------------------------------------------------------------------------ issue 19: LFS
def test_publish_takes_the_lfs_path(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    """Preupload says lfs for Parquet and PNG, the client asks the LFS batch endpoint, uploads and verifies each
    object, then commits them as lfsFile items; the card goes as a regular file."""
    _publish(store, cfg, hub)
    files = bundle(store, "v1", pretty_name="hermes-sft", tags=cfg.publish.tags, repo=REPO)
    lfs = {p for p in files if p.endswith((".parquet", ".png"))}
    assert lfs and "README.md" in files
    modes = {f["path"]: f["uploadMode"] for c in hub.calls("preupload") for f in c.response["files"]}
    assert modes == {p: "lfs" if p in lfs else "regular" for p in files}
    batch = hub.calls("lfs_batch")
    assert len(batch) == 1 and batch[0].body["operation"] == "upload"
    assert {o["oid"] for o in batch[0].body["objects"]} == {hashlib.sha256(files[p]).hexdigest() for p in lfs}
    assert len(hub.calls("lfs_upload")) == len(hub.calls("lfs_verify")) == len({files[p] for p in lfs})
    commit = hub.calls("commit")[0].body
    assert {i["value"]["path"] for i in commit if i["key"] == "lfsFile"} == lfs
    assert {i["value"]["path"] for i in commit if i["key"] == "file"} == set(files) - lfs
    got = hub.files(REPO, "v1")
    got.pop(".gitattributes")
    assert got == files
    tree = {e["path"]: e for e in hub._tree(REPO, hub.repos[REPO], "v1", None)[1]}
    assert all("lfs" in tree[p] and tree[p]["oid"] != git_blob_sha1(files[p]) for p in lfs)


def test_republishing_an_unchanged_version_uploads_nothing(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    """The LFS hashes in the tree make a rerun a no-op, also when the tag is missing (an interrupted publish)."""
    first = _publish(store, cfg, hub)
    del hub.repos[REPO].tags["v1"]  # the commit landed, the tag did not
    n_log = len(hub.log)
    again = _publish(store, cfg, hub)
    sent = {_endpoint(r.method, r.path) for r in hub.log[n_log:]}
    assert not sent & {"preupload", "lfs_batch", "lfs_upload", "lfs_verify", "commit"}, sent
    assert again.revision == first.revision and hub.repos[REPO].tags["v1"] == first.revision
    n_log = len(hub.log)
    assert _publish(store, cfg, hub).changed is False
    assert not {_endpoint(r.method, r.path) for r in hub.log[n_log:]} & {"lfs_upload", "commit", "tag"}


def test_the_next_version_uploads_only_new_lfs_objects(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    _publish(store, cfg, hub)
    v1 = bundle(store, "v1", pretty_name="hermes-sft", tags=[], repo=REPO)
    v2 = bundle(store, "v2", pretty_name="hermes-sft", tags=[], repo=REPO)
    n_uploads = len(hub.calls("lfs_upload"))
    _publish(store, cfg, hub, "v2")
    uploaded = {r.path.rsplit("/", 1)[-1] for r in hub.calls("lfs_upload")[n_uploads:]}
    held = {hashlib.sha256(b).hexdigest() for b in v1.values()}
    new = {hashlib.sha256(b).hexdigest() for p, b in v2.items() if p.endswith((".parquet", ".png"))} - held
    assert uploaded == new


@pytest.mark.skipif(
    not (os.environ.get("THINKMILL_LIVE_HUB_REPO") and os.environ.get("HF_TOKEN")),
    reason="live Hub test: set THINKMILL_LIVE_HUB_REPO=ORG/NAME (a private repo you own) and HF_TOKEN",
)
def test_live_hub_publish_and_republish(db: Path, cfg: ThinkmillConfig) -> None:
    """Opt-in: publish to a real private dataset repo under a fresh tag, then publish again: nothing is sent."""
    import uuid

    from pipeline.dataset.publish import publish_files

    repo, token = os.environ["THINKMILL_LIVE_HUB_REPO"], os.environ["HF_TOKEN"]
    tag = f"thinkmill-test-{uuid.uuid4().hex[:8]}"
    with Store.open(db) as s:
        build_version(s, cfg)
        files = bundle(s, "v1", pretty_name="thinkmill live test", tags=[], repo=repo)
    first = publish_files(files, repo, tag, token=token, private=True)
    assert first.changed is True and first.revision
    second = publish_files(files, repo, tag, token=token, private=True)
    assert second.changed is False and second.revision == first.revision


# ------------------------------------------------------------------------------------------------ publish2 probe
def test_private_publish_refuses_an_existing_public_repo(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    """`publish.private: true` (the default) only made a NEW repo private: an existing public repo took the rows
    silently. It is refused before anything is uploaded; private: false, or a private repo, publishes."""
    publish_version(store, "v1", REPO, cfg, endpoint=hub.url, private=False, retry_wait_max=0.01)
    assert hub.repos[REPO].private is False
    n_sent = len(hub.calls("commit")), len(hub.calls("preupload"))
    with pytest.raises(PublishError, match="public") as err:
        _publish(store, cfg, hub, "v2")
    assert REPO in str(err.value) and "private: false" in str(err.value)
    assert (len(hub.calls("commit")), len(hub.calls("preupload"))) == n_sent
    assert "v2" not in hub.repos[REPO].tags and len(store.read("publications")) == 1
    hub.repos[REPO].private = True  # made private on the Hub: publishes
    assert _publish(store, cfg, hub, "v2").changed is True
    hub.repos[REPO].private = False
    cfg.publish.private = False  # or publishing publicly on purpose
    assert _publish(store, cfg, hub, "v2").changed is False


def test_an_older_version_never_moves_main_back(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    """Publishing v1 after v2 moved `main` back: a plain load_dataset(repo) returned v1. It is refused unless
    asked for (`--move-main`); main stays at v2."""
    v2 = _publish(store, cfg, hub, "v2")
    with pytest.raises(PublishError, match="move-main") as err:
        _publish(store, cfg, hub, "v1")
    assert "v2" in str(err.value)
    assert hub.repos[REPO].branches["main"] == v2.revision and "v1" not in hub.repos[REPO].tags
    assert len(hub.calls("commit")) == 1
    v1 = publish_version(store, "v1", REPO, cfg, endpoint=hub.url, retry_wait_max=0.01, move_main=True)
    assert hub.repos[REPO].branches["main"] == v1.revision == hub.repos[REPO].tags["v1"]
    assert hub.repos[REPO].tags["v2"] == v2.revision


def test_move_main_points_main_at_an_already_tagged_version(store: Store, cfg: ThinkmillConfig, hub: HubStub) -> None:
    """After `--move-main` put main back on v1, republishing v2 was a no-op that left main on v1, and nothing could
    point main at v2 again short of a new version. `--move-main` on a tagged version now commits its files to main
    (its tag stays where it is); without it, the no-op says where main is and how to move it."""
    from pipeline.dataset.publish import is_card_file
    from pipeline.dataset.publish import run as publish_run

    v2 = _publish(store, cfg, hub, "v2")
    v1 = publish_version(store, "v1", REPO, cfg, endpoint=hub.url, retry_wait_max=0.01, move_main=True)
    assert hub.repos[REPO].branches["main"] == v1.revision
    commits = len(hub.calls("commit"))
    cfg.publish.repo, cfg.publish.endpoint = REPO, hub.url
    again = publish_run(store, cfg, version="v2", token=TOKEN)
    assert again.metadata["changed"] is False and len(hub.calls("commit")) == commits
    assert hub.repos[REPO].branches["main"] == v1.revision
    assert any("main holds another version" in line and "--move-main" in line for line in again.summary)
    moved = publish_run(store, cfg, version="v2", token=TOKEN, move_main=True)
    assert moved.metadata["changed"] is True and len(hub.calls("commit")) == commits + 1
    main_rev = hub.repos[REPO].branches["main"]
    assert main_rev not in (v1.revision, v2.revision) and hub.repos[REPO].tags["v2"] == v2.revision
    rows = {p: b for p, b in hub.files(REPO, "main").items() if not is_card_file(p)}
    assert rows == {p: b for p, b in hub.files(REPO, "v2").items() if not is_card_file(p)}
    assert "main moved to v2" in moved.summary[0]
    same = publish_run(store, cfg, version="v2", token=TOKEN, move_main=True)  # main holds it: nothing to do
    assert same.metadata["changed"] is False and hub.repos[REPO].branches["main"] == main_rev


def test_cli_move_main_flag(store: Store, db: Path, hub: HubStub, tmp_path: Path) -> None:
    conf = tmp_path / "c.yaml"
    conf.write_text(f"publish:\n  repo: {REPO}\n  endpoint: {hub.url}\n  max_retries: 0\n")
    store.close()
    args = ["publish", "--db", str(db), "--config", str(conf), "--version"]
    assert CliRunner().invoke(main, [*args, "v2"]).exit_code == 0
    res = CliRunner().invoke(main, [*args, "v1"])
    assert res.exit_code == 1 and "--move-main" in res.output
    res = CliRunner().invoke(main, [*args, "v1", "--move-main"])
    assert res.exit_code == 0, res.output
    assert hub.repos[REPO].branches["main"] == hub.repos[REPO].tags["v1"]


def test_a_killed_publishs_folder_is_removed_by_the_next_one(
    store: Store, cfg: ThinkmillConfig, hub: HubStub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish writes the version's files into a temporary folder; killed midway (SIGKILL runs no cleanup), it left
    that copy of the dataset in the temp dir for good. The next publish removes the folders of processes that no
    longer run, and keeps those of running ones."""
    import subprocess
    import sys
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    killed = temp / f"thinkmill-publish-{dead_pid}-k1ll3d00"
    (killed / "data").mkdir(parents=True)
    (killed / "data" / "train-00000-of-00001.parquet").write_bytes(b"a copy of the dataset")
    running = temp / f"thinkmill-publish-{os.getpid()}-runn1ng0"  # this process's: running
    running.mkdir()
    other = temp / "thinkmill-publish-unknown1"  # no process id in its name: not ours to judge
    other.mkdir()
    res = _publish(store, cfg, hub)
    assert res.tag == "v1"
    assert not killed.exists()
    assert running.is_dir() and other.is_dir()
    assert sorted(p.name for p in temp.iterdir()) == sorted([running.name, other.name])  # its own folder is gone
    bundle(store, "v1")  # the bundle of `thinkmill card` / tests the same way
    assert sorted(p.name for p in temp.iterdir()) == sorted([running.name, other.name])
