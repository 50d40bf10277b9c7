"""Publish a version to the Hugging Face Hub: Parquet shards (streamed from DuckDB, sharded by size), the card and
its figures, one tag per version.

Idempotent by content: the files of a version are built deterministically, compared with what the repo already
holds (git blob / LFS hashes), and only differences are committed. A version whose tag already points at exactly
its files sends nothing, nor does one whose tag points at the same rows under a card the database has moved on
from (its statistics are read as the database stands); an interrupted publish (files committed, tag missing)
finishes on rerun. A tag that points at different rows is never moved: a published version is immutable. A
private publish (the default) refuses an existing repo that is public. A version older than one already tagged in
the repo is refused unless `move_main` says to point `main` back at it (a plain `load_dataset(repo)` reads `main`);
`move_main` on a version already tagged commits its files to `main` where main holds another version's rows.
The token comes from `HF_TOKEN` and is scrubbed from every error message.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from pipeline.checks import require_passing
from pipeline.dataset.card import write_card
from pipeline.dataset.errors import PublishError, VersionNotFoundError
from pipeline.dataset.export import SPLITS, write_split
from pipeline.dataset.versions import get_version, version_number
from pipeline.report import StageReport
from pipeline.store import Store, now_utc, to_json

T = TypeVar("T")
IGNORED_REMOTE = {".gitattributes"}


@dataclass
class _Published:
    """One upload's outcome (private: `run` returns it as a StageReport)."""

    version_id: str
    repo: str
    tag: str
    revision: str | None
    changed: bool  # False when the repo already held exactly this version under its tag
    files: list[dict[str, Any]] = field(default_factory=list)
    # of a version already tagged: "moved" (`move_main` committed its files to main), "elsewhere" (main holds others)
    main: str | None = None


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def write_bundle(
    store: Store,
    version: str,
    root: Path,
    *,
    pretty_name: str | None = None,
    tags: list[str] | None = None,
    repo: str | None = None,
    local_dir: str | None = None,
) -> dict[str, Path]:
    """Write the files of a version as uploaded into the empty folder `root`: README.md, figures/*.png and
    data/<split>-00000-of-000NN.parquet, streamed from DuckDB and sharded by size (`export.SHARD_BYTES`).
    Returns repo path -> file.

    Refuses (`CheckFailedError`) a version that fails a blocking check of `pipeline/checks.py` as the database
    stands now (e.g. a task found in a benchmark after the version was built), so neither `thinkmill publish`
    nor `--to-dir` lets it out."""
    get_version(store, version)
    require_passing(store, version, what=f"publishing {version}")
    for split in SPLITS:
        write_split(
            store, version, split, "messages", root, lambda i, n, s=split: f"data/{s}-{i:05d}-of-{n:05d}.parquet", None
        )
    write_card(
        store, version, root, pretty_name=pretty_name or "thinkmill dataset", tags=tags, repo=repo, local_dir=local_dir
    )
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


STAGING_PREFIX = "thinkmill-publish-"
_STAGED = re.compile(rf"{STAGING_PREFIX}(\d+)-[^/]+")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _remove_stale_staging() -> None:
    """Remove the staging folders (`staging_dir`) of this user's processes that no longer run: a publish killed
    midway (SIGKILL, an OOM kill) runs no cleanup and left its copy of the version's files in the temp dir for good.
    A folder of a running process, another user's, or one without a process id in its name is kept."""
    for path in Path(tempfile.gettempdir()).glob(f"{STAGING_PREFIX}*-*"):
        m = _STAGED.fullmatch(path.name)
        try:
            st = path.lstat()
        except OSError:
            continue
        if m is None or not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or _running(int(m[1])):
            continue
        shutil.rmtree(path, ignore_errors=True)


def staging_dir() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for a version's files, named with this process's id (`thinkmill-publish-<pid>-...`), after
    removing those of processes that no longer run (`_remove_stale_staging`)."""
    _remove_stale_staging()
    return tempfile.TemporaryDirectory(prefix=f"{STAGING_PREFIX}{os.getpid()}-")


def bundle(
    store: Store,
    version: str,
    *,
    pretty_name: str | None = None,
    tags: list[str] | None = None,
    repo: str | None = None,
    local_dir: str | None = None,
) -> dict[str, bytes]:
    """The files of a version as uploaded, as bytes (see `write_bundle`; publishing itself sends the files
    from disk).

    `repo` (the Hub repo) or `local_dir` (the folder written to) is what the card's load snippet names."""
    with staging_dir() as tmp:
        files = write_bundle(
            store, version, Path(tmp), pretty_name=pretty_name, tags=tags, repo=repo, local_dir=local_dir
        )
        return {rel: p.read_bytes() for rel, p in files.items()}


def pretty_name_for(cfg: Any, repo: str | None) -> str:
    """The card title: publish.pretty_name, else the repo's name."""
    return cfg.publish.pretty_name or (repo.split("/")[-1] if repo else "thinkmill dataset")


FileData = bytes | Path  # a file's content, or the file on disk (sent and hashed without reading it whole)


def _hashes(data: FileData) -> tuple[int, str, str]:
    """(size, sha256, git blob sha1) of a file's content, read in chunks when it is on disk."""
    if isinstance(data, bytes):
        return len(data), hashlib.sha256(data).hexdigest(), git_blob_sha1(data)
    size = data.stat().st_size
    sha, blob = hashlib.sha256(), hashlib.sha1(b"blob %d\0" % size)
    with data.open("rb") as f:
        while chunk := f.read(1 << 20):
            sha.update(chunk)
            blob.update(chunk)
    return size, sha.hexdigest(), blob.hexdigest()


def file_manifest(files: dict[str, FileData]) -> list[dict[str, Any]]:
    out = []
    for p, data in sorted(files.items()):
        size, sha, blob = _hashes(data)
        out.append({"path": p, "size": size, "sha256": sha, "git_sha1": blob})
    return out


def write_to_dir(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write exactly the files that would be uploaded. Refuses a folder holding other files."""
    if out.exists():
        stray = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and p.relative_to(out).as_posix() not in files
        )
        if stray:
            raise PublishError(
                f"{out} holds files that are not part of the version ({', '.join(stray[:5])}); choose an empty folder"
            )
    written = []
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


# ------------------------------------------------------------------------------------------------ Hub
def _scrub(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


def _transient(exc: BaseException) -> bool:
    import httpx
    from huggingface_hub.errors import HfHubHTTPError

    if isinstance(exc, httpx.TransportError):
        return True
    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return False


def _with_retry(fn: Callable[[], T], attempts: int, wait_max: float) -> T:
    caller = retry(
        retry=retry_if_exception(_transient),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=0.2, max=wait_max),
        reraise=True,
    )(fn)
    return caller()


def _remote_files(api: Any, repo: str, revision: str) -> dict[str, tuple[str, str | None]]:
    """path -> (git blob id, LFS sha256 or None) at a revision."""
    out = {}
    for f in api.list_repo_tree(repo, repo_type="dataset", revision=revision, recursive=True):
        if hasattr(f, "blob_id") and f.path not in IGNORED_REMOTE:
            out[f.path] = (f.blob_id, f.lfs.sha256 if f.lfs else None)
    return out


def _same(local: FileData, remote: tuple[str, str | None]) -> bool:
    blob, lfs = remote
    _, sha, git_sha = _hashes(local)
    return (lfs is not None and lfs == sha) or blob == git_sha


def _matches(files: dict[str, FileData], remote: dict[str, tuple[str, str | None]]) -> bool:
    return set(files) == set(remote) and all(_same(files[p], remote[p]) for p in files)


def is_card_file(path: str) -> bool:
    """The card and its figures: statistics read from the database as it stands when the files are built (a later
    ingest's duplicates and benchmark hits, later verdicts of the version's tasks), unlike the rows, which a
    version never changes."""
    return path == "README.md" or path.startswith("figures/")


def _same_rows(files: dict[str, FileData], remote: dict[str, tuple[str, str | None]]) -> bool:
    """The repo holds the same data files, byte for byte; its card and figures may differ."""
    data = {p for p in files if not is_card_file(p)}
    return data == {p for p in remote if not is_card_file(p)} and all(_same(files[p], remote[p]) for p in data)


def _newer_tags(tags: list[Any], version: str) -> list[str]:
    """The version tags (v1, v2, ...) in the repo that are newer than `version`, oldest first; none when `version`
    is not a version id."""

    def number(name: str) -> int | None:
        try:
            return version_number(name)
        except VersionNotFoundError:
            return None

    n = number(version)
    if n is None:
        return []
    return sorted((t.name for t in tags if (number(t.name) or 0) > n), key=version_number)


def _ops(files: dict[str, FileData], remote: dict[str, tuple[str, str | None]]) -> list[Any]:
    """The commit operations that make a revision holding `remote` hold exactly `files`."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    ops: list[Any] = [
        CommitOperationAdd(path_in_repo=p, path_or_fileobj=b if isinstance(b, bytes) else str(b))
        for p, b in sorted(files.items())
        if p not in remote or not _same(b, remote[p])
    ]
    return ops + [CommitOperationDelete(path_in_repo=p) for p in sorted(set(remote) - set(files))]


def publish_files(
    files: dict[str, FileData],
    repo: str,
    version: str,
    *,
    token: str | None,
    private: bool = True,
    move_main: bool = False,
    endpoint: str | None = None,
    max_retries: int = 5,
    retry_wait_max: float = 10.0,
) -> _Published:
    """Make `repo`'s main branch hold exactly `files` and tag that commit `version` (see module docstring).

    Refuses a version older than one already tagged in the repo unless `move_main`: `main` would go back to it. A
    version already tagged is not sent again; with `move_main`, its files are committed to `main` where main holds
    other rows (it was moved to another version), and its tag stays."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=token)
    attempts = max_retries + 1

    def call(fn: Callable[[], T]) -> T:
        return _with_retry(fn, attempts, retry_wait_max)

    manifest = file_manifest(files)

    def commit_to_main(ops: list[Any], note: str = "") -> str:
        """Commit `ops` (the version's files) to main; the new revision."""
        commit = call(
            lambda: api.create_commit(
                repo,
                ops,
                repo_type="dataset",
                revision="main",
                commit_message=f"thinkmill dataset {version}{note}",
                commit_description=f"Dataset version {version}: {len(files)} files.",
            )
        )
        return str(commit.oid)

    try:
        call(lambda: api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True))
        if private and not call(lambda: api.repo_info(repo, repo_type="dataset", revision="main")).private:
            # create_repo's `private` only applies to a new repo: an existing public one would take the rows
            raise PublishError(
                f"dataset repo {repo} exists and is public, but publishing is private (publish.private: true); "
                f"nothing was uploaded: make the repo private on the Hub, or set publish.private: false "
                f"(or pass --public) to publish to it publicly"
            )
        refs = call(lambda: api.list_repo_refs(repo, repo_type="dataset"))
        tag = next((t for t in refs.tags if t.name == version), None)
        if tag is not None:
            remote = call(lambda: _remote_files(api, repo, tag.target_commit))
            if _matches(files, remote) or _same_rows(files, remote):  # its card stays as first published
                on_main = call(lambda: _remote_files(api, repo, "main"))
                if _same_rows(files, on_main):
                    return _Published(version, repo, version, tag.target_commit, False, manifest)
                if not move_main:  # main is on another version (a newer one, or one `move_main` chose): it stays
                    return _Published(version, repo, version, tag.target_commit, False, manifest, main="elsewhere")
                # main goes back to the tagged version's files; the tag stays on the commit first published
                revision = commit_to_main(_ops(files, on_main), " (main moved to it)")
                return _Published(version, repo, version, revision, True, manifest, main="moved")
            raise PublishError(
                f"tag {version} on dataset repo {repo} points at commit {tag.target_commit}, which holds different "
                f"files than version {version}; a published version is never rewritten (delete the tag on the Hub "
                f"if you really mean to replace it)"
            )
        newer = _newer_tags(refs.tags, version)
        if newer and not move_main:
            raise PublishError(
                f"version {version} is older than {newer[-1]}, already published to dataset repo {repo}: publishing "
                f"it would move main back, so a plain load_dataset({repo!r}) would return {version}; nothing was "
                f"uploaded (pass --move-main to point main at {version} anyway)"
            )
        main = next((b for b in refs.branches if b.name == "main"), None)
        remote = call(lambda: _remote_files(api, repo, "main")) if main else {}
        ops = _ops(files, remote)
        revision = commit_to_main(ops) if ops else (main.target_commit if main else None)
        call(
            lambda: api.create_tag(
                repo,
                tag=version,
                revision=revision,
                repo_type="dataset",
                tag_message=f"thinkmill dataset version {version}",
                exist_ok=True,
            )
        )
        return _Published(version, repo, version, revision, True, manifest)
    except PublishError:
        raise
    except Exception as exc:
        raise PublishError(
            _scrub(f"publishing {version} to dataset repo {repo} failed: {type(exc).__name__}: {exc}", token)
        ) from None


def publish_version(
    store: Store,
    version: str,
    repo: str,
    cfg: Any,
    *,
    token: str | None = None,
    endpoint: str | None = None,
    private: bool | None = None,
    move_main: bool = False,
    record: bool = True,
    retry_wait_max: float = 10.0,
) -> _Published:
    """Build the version's files, publish them, and record the publication in the database."""
    get_version(store, version)
    token = token if token is not None else os.environ.get("HF_TOKEN")
    if not token:
        raise PublishError("HF_TOKEN is not set: export a Hub token with write access to publish")
    pub = cfg.publish
    with staging_dir() as tmp:
        files = write_bundle(
            store, version, Path(tmp), pretty_name=pretty_name_for(cfg, repo), tags=pub.tags, repo=repo
        )
        result = publish_files(
            files,
            repo,
            version,
            token=token,
            private=pub.private if private is None else private,
            move_main=move_main,
            endpoint=endpoint or pub.endpoint,
            max_retries=pub.max_retries,
            retry_wait_max=retry_wait_max,
        )
    if record and not store.read_only:
        store.insert(
            "publications",
            pl.DataFrame(
                [
                    {
                        "version_id": version,
                        "repo": repo,
                        "revision": result.revision,
                        "tag": result.tag,
                        "files": to_json(result.files),
                        "created_at": now_utc(),
                    }
                ]
            ),
            on_conflict="ignore",
        )
    return result


def load_from_hub(repo: str, version: str, **kwargs: Any) -> Any:
    """A published version as `datasets.DatasetDict`: the repo at the version's tag."""
    import datasets
    from huggingface_hub import snapshot_download

    endpoint = kwargs.pop("endpoint", None)
    token = kwargs.pop("token", None)
    local = snapshot_download(repo, repo_type="dataset", revision=version, endpoint=endpoint, token=token)
    return datasets.load_dataset(local, **kwargs)


def run(
    store: Store,
    cfg: Any,
    *,
    version: str | None = None,
    repo: str | None = None,
    endpoint: str | None = None,
    private: bool | None = None,
    to_dir: Path | None = None,
    token: str | None = None,
    move_main: bool = False,
) -> StageReport:
    """The publish stage: upload `version` (default: the latest) to `repo` (default: publish.repo) and tag it,
    or, with `to_dir`, write exactly what would be uploaded to that folder. In = out = the version's rows."""
    from pipeline.dataset.versions import latest_version

    report = StageReport("publish")
    version = version or latest_version(store)
    if version is None:
        raise PublishError("no dataset version to publish; run `thinkmill build` first")
    repo = repo or cfg.publish.repo
    report.rows_in = report.rows_out = store.count("dataset_rows", "version_id = ?", [version])
    with report.timed("publish"):
        if to_dir is not None:
            files = bundle(
                store,
                version,
                pretty_name=pretty_name_for(cfg, repo),
                tags=cfg.publish.tags,
                local_dir=str(to_dir.resolve()),
            )
            paths = write_to_dir(files, to_dir)
            report.set(version=version, to_dir=str(to_dir), files=[str(p) for p in paths])
            report.summary = [str(p) for p in paths]
            return report
        if not repo:
            raise PublishError("no repo: pass --repo ORG/NAME or set publish.repo in the config")
        res = publish_version(
            store, version, repo, cfg, token=token, endpoint=endpoint, private=private, move_main=move_main
        )
    report.set(
        version=version, repo=repo, tag=res.tag, revision=res.revision or "", changed=res.changed, files=res.files
    )
    state = "published" if res.changed else "already published, nothing sent"
    if res.main == "moved":
        state = f"already published under its tag; main moved to {version}"
    report.set(main=res.main or "")
    report.summary = [f"{version} -> {repo}@{res.tag} ({res.revision}): {state}"]
    if res.main == "elsewhere":
        report.summary.append(
            f"note: main holds another version's rows; pass --move-main to point main at {version} (a plain "
            "load_dataset(repo) reads main)"
        )
    return report
