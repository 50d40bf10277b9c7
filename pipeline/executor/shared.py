"""`shared_dir`: where the driver and the workers exchange Parquet shards (a local folder or a URL).

pyarrow's filesystems read both (`/data/shards`, `s3://bucket/prefix`, `gs://...`, `hdfs://...`); any other
fsspec URL goes through fsspec (`pyarrow.fs.PyFileSystem(FSSpecHandler(...))`). A shard file is written under a
temporary name and then moved to its final name, so a reader never sees half a shard (on object stores a single
PUT is already atomic and the move is a copy). A shard written twice (a retried worker) gets the same bytes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.errors import ThinkmillError


class SharedDirError(ThinkmillError):
    """`shared_dir` cannot be opened or a shard in it cannot be read; the message names the path."""


def _is_url(path: str) -> bool:
    return "://" in path


def _without_credentials(uri: str) -> str:
    """`s3://KEY:SECRET@bucket/...` -> `s3://bucket/...`; any other path as it is."""
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return uri
    return f"{scheme}://{rest.split('@', 1)[1]}"


@dataclass(frozen=True)
class SharedDir:
    """A folder of shards; picklable (workers rebuild the filesystem from the URI). The URI may carry credentials
    (pyarrow reads `s3://KEY:SECRET@bucket/...`): every path it hands out (result URIs, which the ledger stores),
    its repr and its error messages show it without them."""

    uri: str = field(repr=False)

    def __repr__(self) -> str:
        return f"SharedDir({self.public()!r})"

    def _scrub(self, text: str) -> str:
        """`text` (an error from the filesystem) with this URI's credentials removed."""
        _, sep, rest = self.uri.partition("://")
        userinfo = rest.split("/", 1)[0].rpartition("@")[0] if sep else ""
        if not userinfo:
            return text
        text = text.replace(f"{userinfo}@", "")
        for secret in (userinfo, *userinfo.split(":")):  # the pair, the key or the secret alone
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    @property
    def _fs(self) -> tuple[pafs.FileSystem, str]:
        try:
            return pafs.FileSystem.from_uri(self.uri if _is_url(self.uri) else f"file://{self.uri}")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            try:
                import fsspec
                from pyarrow.fs import FSSpecHandler, PyFileSystem

                fs, path = fsspec.core.url_to_fs(self.uri)
            except Exception as exc:
                raise SharedDirError(
                    f"shared_dir {self.public()!r}: no filesystem for it ({self._scrub(str(exc))})"
                ) from None
            return PyFileSystem(FSSpecHandler(fs)), path

    def child(self, *parts: str) -> SharedDir:
        return SharedDir("/".join([self.uri.rstrip("/"), *parts]))

    def public(self) -> str:
        """The URI without credentials (`s3://KEY:SECRET@bucket/...` -> `s3://bucket/...`), for reports."""
        return _without_credentials(self.uri)

    def path(self, name: str) -> str:
        """Where shard `name` is, without credentials (for the ledger and messages; reading goes by name)."""
        return f"{self.public().rstrip('/')}/{name}"

    def write(self, name: str, tbl: pa.Table) -> str:
        """Write `tbl` as `name` (atomically: temporary name, then move); returns its path (`path`)."""
        fs, root = self._fs
        final = f"{root.rstrip('/')}/{name}"
        try:
            fs.create_dir(final.rsplit("/", 1)[0], recursive=True)
            tmp = f"{final}.tmp-{uuid.uuid4().hex}"
            pq.write_table(tbl, tmp, filesystem=fs)
            fs.move(tmp, final)
        except (OSError, pa.ArrowException) as exc:
            raise SharedDirError(f"shard {self.path(name)} cannot be written: {self._scrub(str(exc))}") from None
        return self.path(name)

    def read(self, name: str, columns: list[str] | None = None) -> pa.Table:
        fs, root = self._fs
        try:
            return pq.read_table(f"{root.rstrip('/')}/{name}", filesystem=fs, columns=columns)
        except (OSError, pa.ArrowException) as exc:
            raise SharedDirError(f"shard {self.path(name)} cannot be read: {self._scrub(str(exc))}") from None

    def list(self, folder: str) -> list[str]:
        """Names (relative to this folder) of the finished shards in `folder`, sorted; none when it is absent."""
        fs, root = self._fs
        base = f"{root.rstrip('/')}/{folder}"
        infos = fs.get_file_info(pafs.FileSelector(base, allow_not_found=True))
        names = [i.path.rsplit("/", 1)[-1] for i in infos if i.type == pafs.FileType.File]
        return sorted(f"{folder}/{n}" for n in names if ".tmp-" not in n)

    def exists(self, name: str) -> bool:
        fs, root = self._fs
        return fs.get_file_info(f"{root.rstrip('/')}/{name}").type == pafs.FileType.File

    def remove(self) -> None:
        """Delete the folder and every shard in it (after a run committed)."""
        fs, root = self._fs
        if fs.get_file_info(root).type == pafs.FileType.Directory:
            fs.delete_dir(root)
