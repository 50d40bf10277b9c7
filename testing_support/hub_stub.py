"""A loopback stand-in for the Hugging Face Hub: just the endpoints thinkmill's publish and load call.

It keeps repos in memory as commits of {path: bytes} and speaks the Hub's upload protocol closely enough that
`huggingface_hub` takes its LFS path: preupload answers `lfs` for files the repo's `.gitattributes` routes to LFS
(and for binary files), the client asks the LFS batch endpoint (`<repo>.git/info/lfs/objects/batch`), PUTs the
objects the stub does not hold yet and calls verify, then commits them as `lfsFile` items (sha256 and size only).
The tree lists an LFS file as the Hub does: the git blob id of its pointer file plus `lfs: {oid, size}`, so a
client that compares blob ids instead of LFS hashes would see a difference. Every request is logged (method,
path, Authorization header, parsed body) so tests can check what was sent.

`huggingface_hub` prefers the Xet protocol when `hf_xet` is installed; Xet needs the Hub's CAS servers, so the
stub switches it off while it runs (`huggingface_hub.constants.HF_HUB_DISABLE_XET`).
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import signal
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

from testing_support.servers import POLL_S


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(data: bytes) -> bytes:
    """The git-lfs pointer file git stores in place of an LFS object."""
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(data).hexdigest()}\nsize {len(data)}\n"
    ).encode()


@dataclass
class Repo:
    private: bool
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    lfs: dict[str, set[str]] = field(default_factory=dict)  # commit -> paths stored as LFS objects
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, rev: str) -> str | None:
        return self.branches.get(rev) or self.tags.get(rev) or (rev if rev in self.commits else None)


@dataclass
class Request:
    method: str
    path: str
    auth: str | None
    body: Any
    status: int = 0
    response: Any = None


class HubStub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.lfs_objects: dict[str, bytes] = {}  # sha256 -> content (the LFS store, shared by all repos)
        self.log: list[Request] = []
        self.fail: dict[str, int] = {}  # endpoint name -> how many of its next calls answer 500
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                stub._handle(self, "GET")

            def do_HEAD(self) -> None:
                stub._handle(self, "HEAD")

            def do_POST(self) -> None:
                stub._handle(self, "POST")

            def do_PUT(self) -> None:
                stub._handle(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_S,), daemon=True)

    def __enter__(self) -> HubStub:
        import huggingface_hub.constants

        # hf_xet is installed and huggingface_hub would take the Xet path, which needs the Hub's CAS servers: while
        # the stub runs, the client uses the LFS protocol the stub speaks
        # (in this process, and, through the environment, in the thinkmill processes a test starts)
        self._xet_disabled = huggingface_hub.constants.HF_HUB_DISABLE_XET, os.environ.get("HF_HUB_DISABLE_XET")
        huggingface_hub.constants.HF_HUB_DISABLE_XET = True
        os.environ["HF_HUB_DISABLE_XET"] = "1"
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        import huggingface_hub.constants

        self.server.shutdown()
        self.server.server_close()
        huggingface_hub.constants.HF_HUB_DISABLE_XET, env = self._xet_disabled
        if env is None:
            os.environ.pop("HF_HUB_DISABLE_XET", None)
        else:
            os.environ["HF_HUB_DISABLE_XET"] = env

    # ----------------------------------------------------------------------------------- helpers for tests
    def files(self, repo: str, rev: str = "main") -> dict[str, bytes]:
        r = self.repos[repo]
        oid = r.resolve(rev)
        return dict(r.commits[oid]) if oid else {}

    def push(self, repo_id: str, changes: dict[str, bytes]) -> str:
        """Commit `changes` on main directly, as another client would."""
        ops = [
            {"key": "file", "value": {"path": p, "content": base64.b64encode(b).decode(), "encoding": "base64"}}
            for p, b in changes.items()
        ]
        return self._commit(repo_id, self.repos[repo_id], "main", ops)[1]["commitOid"]

    def calls(self, name: str) -> list[Request]:
        return [r for r in self.log if _endpoint(r.method, r.path) == name]

    def kill_after(self, endpoint: str, victim: dict[str, Any]) -> threading.Event:
        """SIGKILL `victim["p"]` (a Popen) right after handling its first `endpoint` request, before the client
        sees the answer. The returned event is set once the kill happened."""
        fired = threading.Event()
        route = self._route

        def killing_route(method: str, path: str, query: str, body: Any) -> tuple[int, Any, dict[str, str]]:
            out = route(method, path, query, body)
            if _endpoint(method, path) == endpoint and not fired.is_set():
                fired.set()
                os.kill(victim["p"].pid, signal.SIGKILL)
                victim["p"].wait()
            return out

        self._route = killing_route  # type: ignore[method-assign]
        return fired

    # ----------------------------------------------------------------------------------------- dispatch
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(h.path)
        path = unquote(url.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        body: Any = None
        if raw and method == "PUT":
            body = raw  # an LFS object, as uploaded
        elif raw:
            if "ndjson" in (h.headers.get("Content-Type") or ""):
                body = [json.loads(line) for line in raw.splitlines() if line.strip()]
            else:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
        name = _endpoint(method, path)
        with self.lock:
            self.log.append(Request(method, path, h.headers.get("Authorization"), body))
            if self.fail.get(name, 0) > 0:
                self.fail[name] -= 1
                return _send(h, 500, {"error": "stub: injected failure"})
            try:
                status, payload, headers = self._route(method, path, url.query, body)
            except KeyError as exc:
                status, payload, headers = 404, {"error": f"not found: {exc}"}, {}
            self.log[-1].status, self.log[-1].response = status, payload
        _send(h, status, payload, headers, head=method == "HEAD")

    def _route(self, method: str, path: str, query: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        parts = path.strip("/").split("/")
        if path == "/api/repos/create":
            repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else body["name"]
            if repo_id in self.repos:
                return 409, {"error": "You already created this dataset repo", "url": self._repo_url(repo_id)}, {}
            repo = Repo(private=bool(body.get("private")) or body.get("visibility") == "private")
            init = {
                ".gitattributes": b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"
                b"*.png filter=lfs diff=lfs merge=lfs -text\n"
            }
            oid = hashlib.sha1(repo_id.encode()).hexdigest()
            repo.commits[oid] = init
            repo.branches["main"] = oid
            self.repos[repo_id] = repo
            return 200, {"url": self._repo_url(repo_id), "name": repo_id}, {}
        if path == "/api/validate-yaml":
            return 200, {"errors": [], "warnings": []}, {}
        if parts[:2] == ["api", "datasets"]:
            repo_id, action, rest = "/".join(parts[2:4]), parts[4], "/".join(parts[5:])
            repo = self.repos[repo_id]
            return getattr(self, f"_{action}")(repo_id, repo, rest, body)
        if path.endswith(".git/info/lfs/objects/batch"):
            return self._lfs_batch(body)
        if parts[0] == "lfs-upload":
            if hashlib.sha256(body).hexdigest() != parts[1]:
                return 400, {"error": "stub: uploaded bytes do not match the oid"}, {}
            self.lfs_objects[parts[1]] = body
            return 200, {}, {}
        if parts[0] == "lfs-verify":
            data = self.lfs_objects.get(parts[1])
            if data is None or body["oid"] != parts[1] or len(data) != body["size"]:
                return 404, {"error": "stub: object not uploaded"}, {}
            return 200, {}, {}
        if parts[0] == "datasets" and parts[3] == "resolve":
            repo_id, rev, file = "/".join(parts[1:3]), parts[4], "/".join(parts[5:])
            repo = self.repos[repo_id]
            oid = repo.resolve(rev)
            data = repo.commits[oid][file]
            if file in repo.lfs.get(oid, set()):
                sha = hashlib.sha256(data).hexdigest()
                return (
                    200,
                    data,
                    {
                        "X-Repo-Commit": oid,
                        "ETag": f'"{sha}"',
                        "X-Linked-Etag": f'"{sha}"',
                        "X-Linked-Size": str(len(data)),
                    },
                )
            return 200, data, {"X-Repo-Commit": oid, "ETag": f'"{blob_sha(data)}"'}
        return 404, {"error": f"stub does not serve {method} {path}"}, {}

    def _repo_url(self, repo_id: str) -> str:
        return f"{self.url}/datasets/{repo_id}"

    def _lfs_patterns(self, files: dict[str, bytes]) -> list[str]:
        lines = files.get(".gitattributes", b"").decode().splitlines()
        return [ln.split()[0] for ln in lines if "filter=lfs" in ln]

    def _is_lfs(self, path: str, sample: bytes, patterns: list[str]) -> bool:
        name = path.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in patterns) or b"\0" in sample

    def _preupload(self, repo_id: str, repo: Repo, rev: str, body: Any) -> tuple[int, Any, dict]:
        head = repo.resolve(rev) or ""
        current = repo.commits.get(head, {})
        patterns = self._lfs_patterns(current)
        files = []
        for f in body["files"]:
            lfs = self._is_lfs(f["path"], base64.b64decode(f.get("sample", "")), patterns)
            entry: dict[str, Any] = {
                "path": f["path"],
                "uploadMode": "lfs" if lfs else "regular",
                "shouldIgnore": False,
            }
            if f["path"] in current and f["path"] not in repo.lfs.get(head, set()):
                entry["oid"] = blob_sha(current[f["path"]])
            files.append(entry)
        return 200, {"files": files}, {}

    def _lfs_batch(self, body: Any) -> tuple[int, Any, dict]:
        if body.get("operation") != "upload" or body.get("hash_algo", "sha256") != "sha256":
            return 422, {"message": "stub: only sha256 uploads"}, {}
        objects = []
        for o in body["objects"]:
            obj: dict[str, Any] = {"oid": o["oid"], "size": o["size"]}
            if o["oid"] not in self.lfs_objects:  # no actions: the Hub already holds the object
                obj["actions"] = {
                    "upload": {"href": f"{self.url}/lfs-upload/{o['oid']}"},
                    "verify": {"href": f"{self.url}/lfs-verify/{o['oid']}"},
                }
            objects.append(obj)
        return 200, {"transfer": "basic", "objects": objects}, {"Content-Type": "application/vnd.git-lfs+json"}

    def _commit(self, repo_id: str, repo: Repo, rev: str, body: Any) -> tuple[int, Any, dict]:
        head = repo.resolve(rev)
        files = dict(repo.commits[head]) if head else {}
        lfs = set(repo.lfs.get(head, set())) if head else set()
        for item in body:
            if item["key"] == "file":
                files[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
                lfs.discard(item["value"]["path"])
            elif item["key"] == "lfsFile":
                v = item["value"]
                data = self.lfs_objects.get(v["oid"])
                if v.get("algo") != "sha256" or data is None or len(data) != v["size"]:
                    return 400, {"error": f"stub: LFS object {v['oid']} of {v['path']} was not uploaded"}, {}
                files[v["path"]] = data
                lfs.add(v["path"])
            elif item["key"] == "deletedFile":
                files.pop(item["value"]["path"])
                lfs.discard(item["value"]["path"])
            elif item["key"] != "header":
                return 400, {"error": f"stub: unsupported commit item {item['key']}"}, {}
        oid = hashlib.sha1(json.dumps([head, sorted((p, blob_sha(b)) for p, b in files.items())]).encode()).hexdigest()
        repo.commits[oid] = files
        repo.lfs[oid] = lfs
        repo.branches[rev] = oid
        return 200, {"commitUrl": f"{self._repo_url(repo_id)}/commit/{oid}", "commitOid": oid, "success": True}, {}

    def _tag(self, repo_id: str, repo: Repo, rev: str, body: Any) -> tuple[int, Any, dict]:
        if body["tag"] in repo.tags:
            return 409, {"error": "tag exists"}, {}
        repo.tags[body["tag"]] = repo.resolve(rev)
        return 200, {}, {}

    def _refs(self, repo_id: str, repo: Repo, rest: str, body: Any) -> tuple[int, Any, dict]:
        def ref(kind: str, name: str, oid: str) -> dict:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}

        return (
            200,
            {
                "branches": [ref("heads", n, o) for n, o in repo.branches.items()],
                "tags": [ref("tags", n, o) for n, o in repo.tags.items()],
                "converts": [],
            },
            {},
        )

    def _tree(self, repo_id: str, repo: Repo, rest: str, body: Any) -> tuple[int, Any, dict]:
        oid = repo.resolve(rest.split("/")[0])
        files, lfs = repo.commits[oid], repo.lfs.get(oid, set())

        def entry(p: str, b: bytes) -> dict[str, Any]:
            if p not in lfs:
                return {"type": "file", "oid": blob_sha(b), "size": len(b), "path": p}
            pointer = lfs_pointer(b)
            return {
                "type": "file",
                "oid": blob_sha(pointer),
                "size": len(b),
                "path": p,
                "lfs": {"oid": hashlib.sha256(b).hexdigest(), "size": len(b), "pointerSize": len(pointer)},
            }

        return 200, [entry(p, b) for p, b in sorted(files.items())], {}

    def _revision(self, repo_id: str, repo: Repo, rest: str, body: Any) -> tuple[int, Any, dict]:
        oid = repo.resolve(rest)
        if oid is None:
            raise KeyError(rest)
        return (
            200,
            {
                "id": repo_id,
                "sha": oid,
                "private": repo.private,
                "tags": [],
                "downloads": 0,
                "likes": 0,
                "siblings": [{"rfilename": p} for p in sorted(repo.commits[oid])],
            },
            {},
        )


def _endpoint(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    if path == "/api/repos/create":
        return "create_repo"
    if parts[:2] == ["api", "datasets"] and len(parts) > 4:
        return parts[4]
    if len(parts) > 3 and parts[3] == "resolve":
        return "resolve"
    if path.endswith(".git/info/lfs/objects/batch"):
        return "lfs_batch"
    if parts[0] in ("lfs-upload", "lfs-verify"):
        return parts[0].replace("-", "_")
    return path


def _send(
    h: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str] | None = None, head: bool = False
) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = dict(headers or {})
    h.send_response(status)
    h.send_header(
        "Content-Type",
        headers.pop("Content-Type", None)
        or ("application/octet-stream" if isinstance(payload, bytes) else "application/json"),
    )
    h.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    if not head:
        h.wfile.write(data)
