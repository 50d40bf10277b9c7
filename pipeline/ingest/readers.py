"""Streaming readers: each yields raw rows in batches, so a 1 GB file never sits in memory whole.

A reader never raises on a bad row: an undecodable or unparsable row comes back with `error` set
(`bad_encoding`, `invalid_json`, `not_an_object`) and is quarantined downstream. A file that cannot be
read at all raises `SourceReadError` naming it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest.errors import SourceReadError

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
HF_DISK_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")


@dataclass(frozen=True)
class RawRow:
    """One raw row: its 0-based number in the file, the parsed object (or None) and the raw text."""

    row: int
    record: dict[str, Any] | None
    raw: str | None = None  # raw text when the format has one (JSONL/CSV line); else derived on demand
    error: tuple[str, str] | None = None  # (reason, detail)


def is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and any((path / m).exists() for m in HF_DISK_MARKERS)


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        if path.suffix.lower() == ".gz" and path.with_suffix("").suffix.lower() in (".jsonl", ".ndjson"):
            return "jsonl"
        raise SourceReadError(f"{path}: unknown file type {path.suffix!r} (expected one of {sorted(FORMATS)})")
    return fmt


def _batched(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _has_surrogates(value: Any) -> bool:
    """Lone surrogates (from `\\ud800` escapes or undecodable CSV bytes) cannot be stored as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_surrogates(k) or _has_surrogates(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogates(v) for v in value)
    return False


def _parse_json_line(row: int, line: bytes) -> RawRow | None:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRow(row, None, line.decode("utf-8", errors="replace"),
                      ("bad_encoding", f"not UTF-8 at byte {exc.start}"))
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRow(row, None, text, ("invalid_json", f"{exc.msg} at column {exc.colno}"))
    return _object_row(row, obj, text)


def _object_row(row: int, obj: Any, raw: str | None) -> RawRow:
    if not isinstance(obj, dict):
        return RawRow(row, None, raw if raw is not None else _dump(obj),
                      ("not_an_object", f"row is a JSON {type(obj).__name__}, expected an object"))
    if _has_surrogates(obj):
        return RawRow(row, None, raw if raw is not None else _dump(obj),
                      ("bad_encoding", "contains lone surrogate code points"))
    return RawRow(row, obj, raw)


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=True, default=str)


def _open_binary(path: Path):  # type: ignore[no-untyped-def]
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rb")
    return path.open("rb")


def read_jsonl(path: Path) -> Iterator[RawRow]:
    """Line by line; blank lines are skipped and do not count as rows (row = line number, 0-based)."""
    try:
        fh = _open_binary(path)
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    with fh:
        try:
            for i, line in enumerate(fh):
                r = _parse_json_line(i, line.rstrip(b"\r\n"))
                if r is not None:
                    yield r
        except OSError as exc:
            raise SourceReadError(f"{path}: read failed: {exc}") from exc


def read_json(path: Path) -> Iterator[RawRow]:
    """A JSON array of objects, or an object holding one (`{"data": [...]}`); JSON Lines saved as .json are
    detected and streamed. A JSON array is parsed whole: use JSONL or Parquet for very large files."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16).lstrip()
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    if head[:1] == b"{":
        try:
            data = json.loads(path.read_bytes())
        except json.JSONDecodeError as exc:
            if "Extra data" in exc.msg:
                yield from read_jsonl(path)
                return
            raise SourceReadError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        except UnicodeDecodeError as exc:
            raise SourceReadError(f"{path}: not UTF-8: {exc}") from exc
        lists = [k for k, v in data.items() if isinstance(v, list)] if isinstance(data, dict) else []
        if len(lists) == 1 and all(not isinstance(v, list) or k == lists[0] for k, v in data.items()):
            data = data[lists[0]]
        else:
            data = [data]
    else:
        try:
            data = json.loads(path.read_bytes())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceReadError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise SourceReadError(f"{path}: expected a JSON array of objects, got {type(data).__name__}")
    for i, obj in enumerate(data):
        yield _object_row(i, obj, None)


def read_csv(path: Path) -> Iterator[RawRow]:
    """CSV with a header row. Undecodable bytes make only their row `bad_encoding`."""
    csv.field_size_limit(sys.maxsize)
    try:
        fh = path.open(encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceReadError(f"{path}: bad CSV header: {exc}") from exc
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        i = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RawRow(i, None, None, ("invalid_csv", str(exc)))
                i += 1
                continue
            raw = ",".join(values)
            if _has_surrogates(values):
                yield RawRow(i, None, raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                             ("bad_encoding", "not UTF-8"))
            elif len(values) != len(header):
                yield RawRow(i, None, raw, ("invalid_csv", f"{len(values)} fields, header has {len(header)}"))
            else:
                yield RawRow(i, {k: (v if v != "" else None) for k, v in zip(header, values, strict=True)}, raw)
            i += 1


def read_parquet(path: Path, batch_rows: int) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise SourceReadError(f"{path}: not a readable Parquet file: {exc}") from exc
    i = 0
    try:
        for batch in pf.iter_batches(batch_size=batch_rows):
            for obj in batch.to_pylist():
                yield _object_row(i, obj, None)
                i += 1
    except OSError as exc:
        raise SourceReadError(f"{path}: read failed at row {i}: {exc}") from exc


def read_hf_dataset(ds: Any, label: str, batch_rows: int) -> Iterator[RawRow]:
    """Rows of a `datasets.Dataset` / `IterableDataset` (Arrow-backed; read in batches)."""
    i = 0
    try:
        for batch in ds.iter(batch_size=batch_rows):
            cols = list(batch)
            n = len(batch[cols[0]]) if cols else 0
            for j in range(n):
                yield _object_row(i, {c: batch[c][j] for c in cols}, None)
                i += 1
    except Exception as exc:
        raise SourceReadError(f"{label}: read failed at row {i}: {exc}") from exc


def load_saved_dataset(path: Path, split: str | None) -> Any:
    """A dataset saved with `save_to_disk`; a DatasetDict needs a split (default `train`, or its only one)."""
    import datasets

    try:
        ds = datasets.load_from_disk(str(path))
    except Exception as exc:
        raise SourceReadError(f"{path}: not a readable saved dataset: {exc}") from exc
    if isinstance(ds, datasets.DatasetDict):
        names = list(ds)
        pick = split or ("train" if "train" in names else (names[0] if len(names) == 1 else None))
        if pick not in ds:
            raise SourceReadError(f"{path}: split {pick!r} not found (splits: {names}); set `split`")
        return ds[pick]
    return ds


def load_hub_dataset(name: str, config: str | None, split: str | None, revision: str | None) -> Any:
    """A Hub dataset, streamed (never downloaded whole). Needs network access and, for gated sets, HF_TOKEN."""
    import datasets

    try:
        return datasets.load_dataset(name, config, split=split or "train", revision=revision, streaming=True)
    except Exception as exc:
        # the message of a failed Hub call can carry request headers; keep only the exception type
        raise SourceReadError(f"hf://{name}: cannot load ({type(exc).__name__}); check the id, config, split, "
                              "network and HF_TOKEN") from None


def read_file(path: Path, batch_rows: int, split: str | None = None) -> Iterator[list[RawRow]]:
    """Batches of raw rows from one file or saved dataset."""
    if is_saved_dataset(path):
        rows: Iterable[RawRow] = read_hf_dataset(load_saved_dataset(path, split), str(path), batch_rows)
    else:
        fmt = file_format(path)
        if not path.is_file():
            raise SourceReadError(f"{path}: no such file")
        rows = {
            "jsonl": lambda: read_jsonl(path),
            "json": lambda: read_json(path),
            "csv": lambda: read_csv(path),
            "parquet": lambda: read_parquet(path, batch_rows),
        }[fmt]()
    yield from _batched(rows, batch_rows)
