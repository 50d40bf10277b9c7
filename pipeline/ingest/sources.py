"""Resolve declared sources into concrete inputs (files, saved datasets, Hub datasets) with content hashes.

The content hash keys incremental ingest: an input whose (path, hash) is already in `ingest_files` is skipped.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xxhash

from pipeline.ingest.config import SourceConfig
from pipeline.ingest.errors import SourceConfigError, SourceReadError
from pipeline.ingest.readers import FORMATS, RawRow, is_saved_dataset, load_hub_dataset, read_file, read_hf_dataset

_GLOB_CHARS = set("*?[")
# `${VAR}` or `${VAR:-default}` in a source path: a folder set by the environment (e.g. `$THINKMILL_RAW_DIR`,
# the folder the Dagster sensor watches), so the config and the sensor name the same folder.
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class Input:
    """One concrete thing to read: a file, a saved dataset folder, or a Hub dataset."""

    source: SourceConfig
    path: str  # absolute file/folder path, or hf://<id>[/<config>]:<split>@<revision>
    kind: str  # "file" | "hub" | "reasoning_gym" (a ReasoningGymInput)

    def content_hash(self) -> str:
        if self.kind == "hub":
            # a pinned revision is content-stable; an unpinned one is re-read each run (dedup drops what is known)
            rev = self.source.revision
            return f"hub-rev:{rev}" if rev else f"hub-unpinned:{xxhash.xxh64_hexdigest(self.path)}"
        digest = hash_path(Path(self.path))
        if is_saved_dataset(Path(self.path)):
            digest += f":{self.source.split or 'train'}"  # one saved DatasetDict, several splits
        return digest

    def size_bytes(self) -> int | None:
        if self.kind == "hub":
            return None
        p = Path(self.path)
        return sum(f.stat().st_size for f in _files_of(p)) if p.is_dir() else p.stat().st_size

    def batches(self, batch_rows: int) -> Iterator[list[RawRow]]:
        if self.kind == "hub":
            s = self.source
            ds = load_hub_dataset(s.hf_dataset or "", s.hf_config, s.split, s.revision)
            rows = read_hf_dataset(ds, self.path, batch_rows)
            batch: list[RawRow] = []
            for r in rows:
                batch.append(r)
                if len(batch) >= batch_rows:
                    yield batch
                    batch = []
            if batch:
                yield batch
            return
        yield from read_file(Path(self.path), batch_rows, self.source.split)


def _files_of(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file())


def hash_path(path: Path) -> str:
    """xxh3-128 of a file's bytes, or of a folder's files (relative names and bytes), streamed in 1 MiB chunks."""
    h = xxhash.xxh3_128()
    try:
        files = _files_of(path) if path.is_dir() else [path]
        for f in files:
            if path.is_dir():
                h.update(str(f.relative_to(path)).encode())
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return h.hexdigest()


def _expand(path: Path) -> list[Path]:
    """A file, a saved dataset, a folder (its supported files, recursively) or a glob, sorted."""
    text = str(path)
    if any(c in text for c in _GLOB_CHARS):
        hits = sorted(Path(p) for p in glob.glob(text, recursive=True))
        out: list[Path] = []
        for h in hits:
            out.extend(_expand(h) if h.is_dir() else ([h] if _supported(h) else []))
        return out
    if not path.exists():
        raise SourceReadError(f"{path}: no such file or folder")
    if is_saved_dataset(path) or path.is_file():
        return [path]
    found: list[Path] = []
    for p in sorted(path.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir():
            found.extend(_expand(p))
        elif _supported(p):
            found.append(p)
    return found


def _supported(p: Path) -> bool:
    return p.suffix.lower() in FORMATS or p.name.lower().endswith((".jsonl.gz", ".ndjson.gz"))


def source_path(source: SourceConfig, base_dir: Path | None = None) -> Path:
    """The path a file source names, with `${VAR}` / `${VAR:-default}` filled from the environment.

    A relative path resolves against `base_dir` (the config file's folder), except one that starts with an
    environment reference: that one resolves against the working directory, as the raw-files sensor does.
    """
    text = source.path or ""

    def fill(m: re.Match[str]) -> str:
        value = os.environ.get(m[1], "").strip() or m[2]
        if value is None:
            raise SourceConfigError(
                f"source {source.name!r}: path {text!r} uses ${m[1]}, which is not set "
                f"(set it, or give a default: ${{{m[1]}:-data/raw}})"
            )
        return value

    from_env = text.startswith("${")
    raw = Path(_ENV_REF.sub(fill, text)).expanduser()
    if base_dir is not None and not raw.is_absolute() and not from_env:
        raw = base_dir / raw
    return raw


def resolve_inputs(source: SourceConfig, base_dir: Path | None = None) -> list[Input]:
    """The concrete inputs of a source. A glob that matches nothing (an empty drop folder) or an empty
    folder is no input ("nothing new"); a named file or folder that does not exist is an error."""
    if source.reasoning_gym is not None:
        from pipeline.ingest.reasoning_gym_source import reasoning_gym_inputs

        return reasoning_gym_inputs(source)
    if source.hf_dataset:
        label = f"hf://{source.hf_dataset}" + (f"/{source.hf_config}" if source.hf_config else "")
        label += f":{source.split or 'train'}" + (f"@{source.revision}" if source.revision else "")
        return [Input(source, label, "hub")]
    files = _expand(source_path(source, base_dir))
    return [Input(source, str(f.resolve()), "file") for f in files]
