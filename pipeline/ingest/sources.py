"""Resolve declared sources into concrete inputs (files, saved datasets, Hub datasets) with content hashes.

The content hash keys incremental ingest: an input whose (path, hash) is already in `ingest_files` is skipped.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import xxhash

from pipeline.ingest.config import SourceConfig
from pipeline.ingest.errors import SourceConfigError, SourceReadError
from pipeline.ingest.readers import (
    FORMATS,
    RawRow,
    batched,
    class_label_names,
    is_saved_dataset,
    load_hub_dataset,
    load_saved_dataset,
    parquet_class_labels,
    read_file,
    read_hf_dataset,
)

_GLOB_CHARS = set("*?[")
# `${VAR}` or `${VAR:-default}` in a source path: a folder set by the environment (e.g. `$THINKMILL_RAW_DIR`,
# the folder the Dagster sensor watches), so the config and the sensor name the same folder.
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

# The words that name a split in a folder's file and folder names, as Hugging Face `datasets` reads them
# (`datasets.data_files.SPLIT_KEYWORDS`, words delimited by `-._ ` or digits; a test checks they agree). A dataset
# copied from the Hub holds `data/test-00000-of-00001.parquet` beside the train shards, a GSM8K-style folder
# `test.jsonl` beside `train.jsonl`: ingesting the folder must not turn the held-out splits into training tasks.
SPLIT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "train": ("train", "training"),
    "validation": ("validation", "valid", "dev", "val"),
    "test": ("test", "testing", "eval", "evaluation"),
}
HELD_OUT_SPLITS = ("validation", "test")


def _split_words(words: tuple[str, ...]) -> re.Pattern[str]:
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|[-._ 0-9])(?:{alt})(?=[-._ 0-9]|$)", re.IGNORECASE)


_SPLIT_RES = {split: _split_words(words) for split, words in SPLIT_KEYWORDS.items()}


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

    def labelled_batches(self, batch_rows: int) -> tuple[dict[str, tuple[str, ...]], Iterator[list[RawRow]]]:
        """(the input's Hugging Face ClassLabel columns and their names, its `batches`). A Hub or saved dataset is
        loaded once for both (a stream's features, when it knows them); a Parquet file `datasets` wrote names them
        in its footer; other inputs have none."""
        p = Path(self.path)
        if self.kind == "hub" or (self.kind == "file" and is_saved_dataset(p)):
            ds = self._hub_dataset() if self.kind == "hub" else load_saved_dataset(p, self.source.split)
            rows = batched(read_hf_dataset(ds, self.path, batch_rows), batch_rows)
            return class_label_names(getattr(ds, "features", None)), rows
        parquet = self.kind == "file" and p.is_file() and p.suffix.lower() == ".parquet"
        return (parquet_class_labels(p) if parquet else {}), self.batches(batch_rows)

    def _hub_dataset(self) -> Any:
        s = self.source
        return load_hub_dataset(s.hf_dataset or "", s.hf_config, s.split, s.revision)

    def batches(self, batch_rows: int) -> Iterator[list[RawRow]]:
        if self.kind == "hub":
            yield from batched(read_hf_dataset(self._hub_dataset(), self.path, batch_rows), batch_rows)
            return
        yield from read_file(Path(self.path), batch_rows, self.source.split)


@dataclass(frozen=True)
class LeftOut:
    """A file a folder or glob source holds but ingest does not read: it is named for another split."""

    path: str
    split: str


@dataclass
class Resolved:
    """A source's inputs, the files of its folder or glob left out because they name another split, and its data
    files of a type ingest does not read (`unread`: `data_like`)."""

    inputs: list[Input]
    left_out: list[LeftOut] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def canonical_split(split: str) -> str:
    """`val`, `dev` -> validation, `eval` -> test, ... (the `datasets` keywords); any other name as given."""
    low = split.strip().lower()
    return next((name for name, words in SPLIT_KEYWORDS.items() if low in words), split.strip())


def split_of(rel: PurePath, split: str | None = None) -> str | None:
    """The split a path relative to its folder or glob root names: its file name first, then its folders from the
    innermost; None when no part names one. `split`, a name beyond the `datasets` keywords, is looked for too."""
    res = dict(_SPLIT_RES)
    if split is not None and split not in res:
        res[split] = _split_words((split,))
    for part in reversed(rel.parts):
        for name, rx in res.items():
            if rx.search(part):
                return name
    return None


def saved_split(path: Path) -> str | None:
    """The split a dataset saved with `save_to_disk` records (`load_dataset(...)["test"]` keeps "test" in its
    `state.json`), as `canonical_split` names it; None for a file, a DatasetDict, or a dataset that records none."""
    if not is_saved_dataset(path) or not (path / "state.json").is_file():
        return None
    try:
        split = json.loads((path / "state.json").read_text(encoding="utf-8")).get("_split")
    except (OSError, ValueError, AttributeError):  # the read reports a broken dataset
        return None
    if not isinstance(split, str):
        return None
    # a slice or a sum of splits (`train[:80%]`, `train+test`): the split its parts name, if they name one
    parts = {canonical_split(re.sub(r"\[[^\]]*\]", "", x)) for x in split.split("+")} - {""}
    if len(parts) > 1 and (held := sorted(parts & set(HELD_OUT_SPLITS))):  # held-out rows in it: named for one
        return held[-1]
    return parts.pop() if len(parts) == 1 else None


def dict_held_out(path: Path) -> str | None:
    """The split of a saved DatasetDict whose only split is a held-out one (an eval set saved whole: `{"test": ...}`),
    which `readers.load_saved_dataset` would read with `split` unset; None for anything else."""
    try:
        splits = json.loads((path / "dataset_dict.json").read_text(encoding="utf-8")).get("splits")
    except (OSError, ValueError, AttributeError):  # not a DatasetDict (or a broken one: the read reports it)
        return None
    if isinstance(splits, list) and len(splits) == 1 and isinstance(splits[0], str):
        split = canonical_split(splits[0])
        return split if split in HELD_OUT_SPLITS else None
    return None


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


def _expand(path: Path, unread: list[Path] | None = None) -> list[Path]:
    """A file, a saved dataset, a folder (its supported files, recursively) or a glob, sorted; the data files of a
    folder or glob of a type not read are added to `unread` (`data_like`)."""
    unread = [] if unread is None else unread
    text = str(path)
    if any(c in text for c in _GLOB_CHARS):
        hits = sorted(Path(p) for p in glob.glob(text, recursive=True))
        out: list[Path] = []
        for h in hits:
            out.extend(_expand(h, unread) if h.is_dir() else _kept(h, unread))
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
            found.extend(_expand(p, unread))
        else:
            found.extend(_kept(p, unread))
    return found


def _kept(p: Path, unread: list[Path]) -> list[Path]:
    """[p] for a file ingest reads; else none, and a data file is noted in `unread`."""
    if _supported(p):
        return [p]
    if data_like(p):
        unread.append(p)
    return []


def _supported(p: Path) -> bool:
    return p.suffix.lower() in FORMATS or p.name.lower().endswith((".jsonl.gz", ".ndjson.gz"))


# data files ingest does not read, which a folder must not leave out silently (its notes, README.md, are not named)
_DATA_SUFFIXES = (".arrow", ".feather", ".xlsx", ".xls", ".ods", ".avro", ".orc", ".zip", ".tar", ".tgz", ".7z")
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip")


def data_like(p: Path) -> bool:
    """A file of rows of a type ingest does not read: a readable format compressed other than as `.jsonl.gz`
    (`.json.gz`, `.csv.gz`, `.jsonl.zst`), Arrow, Excel, an archive."""
    suffix = p.suffix.lower()
    if _supported(p):
        return False
    return suffix in _DATA_SUFFIXES or (suffix in _COMPRESSED and p.with_suffix("").suffix.lower() in FORMATS)


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
    """The inputs ingest reads for a source (`resolve(...).inputs`)."""
    return resolve(source, base_dir).inputs


def resolve(source: SourceConfig, base_dir: Path | None = None, *, read_held_out: bool = False) -> Resolved:
    """The concrete inputs of a source. A glob that matches nothing (an empty drop folder) or an empty
    folder is no input ("nothing new"); a named file or folder that does not exist is an error.

    The files of a folder or glob are read by split (a file named on its own is always read):
    - `split` set: only the files whose names name that split (`train` also takes files that name none);
    - unset (ingest): files named for `validation` or `test` are left out (and listed), unless every file is:
      then it is an error, since training on a held-out split is almost never meant;
    - unset, `read_held_out` (a decontamination benchmark): every file."""
    if source.reasoning_gym is not None:
        from pipeline.ingest.reasoning_gym_source import reasoning_gym_inputs

        return Resolved(reasoning_gym_inputs(source))
    if source.hf_dataset:
        label = f"hf://{source.hf_dataset}" + (f"/{source.hf_config}" if source.hf_config else "")
        label += f":{source.split or 'train'}" + (f"@{source.revision}" if source.revision else "")
        return Resolved([Input(source, label, "hub")])
    path = source_path(source, base_dir)
    unread: list[Path] = []
    files = _expand(path, unread)
    kept, left_out = _by_split(files, _root_of(path), source, read_held_out)
    return Resolved(
        [Input(source, str(f.resolve()), "file") for f in kept], left_out, [str(f.resolve()) for f in unread]
    )


def _root_of(path: Path) -> Path:
    """The folder a glob's matches are named relative to (the part before its first wildcard); a path itself."""
    parts = path.parts
    cut = next((i for i, p in enumerate(parts) if any(c in p for c in _GLOB_CHARS)), None)
    return path if cut is None else Path(*parts[:cut]) if cut else Path(".")


def _by_split(
    files: list[Path], root: Path, source: SourceConfig, read_held_out: bool
) -> tuple[list[Path], list[LeftOut]]:
    """`files` a folder or glob source reads, by split (see `resolve`)."""
    want = canonical_split(source.split) if source.split else None
    # a saved DatasetDict picks its split inside (`split`); a source naming one file or dataset reads it; a saved
    # Dataset in the folder is named for a split as a file is, else by the split it records (`saved_split`)
    named = {
        f: split_of(f.relative_to(root), want) or saved_split(f)
        for f in files
        if f != root and f.is_relative_to(root) and not (f / "dataset_dict.json").is_file()
    }
    if want is None and not read_held_out:  # a DatasetDict of one held-out split, even named on its own
        named.update({f: held for f in files if (held := dict_held_out(f)) is not None})
    if want is None:
        if read_held_out or not any(s in HELD_OUT_SPLITS for s in named.values()):
            return files, []
        kept = [f for f in files if named.get(f) not in HELD_OUT_SPLITS]
        if not kept:
            splits = sorted({s for s in named.values() if s})
            raise SourceConfigError(
                f"source {source.name!r}: every file of {root} is named for a held-out split ({', '.join(splits)}); "
                f"set split: {splits[0]} (--split {splits[0]}) to ingest them as training tasks"
            )
    else:
        kept = [f for f in files if f not in named or named[f] == want or (want == "train" and named[f] is None)]
        if not kept:
            found = sorted({s or "none" for s in named.values()})
            raise SourceConfigError(
                f"source {source.name!r}: no file of {root} is named for split {source.split!r} "
                f"(the files name: {', '.join(found)})"
            )
    kept_set = set(kept)
    return kept, [LeftOut(str(f.resolve()), named[f] or "none") for f in files if f not in kept_set]
