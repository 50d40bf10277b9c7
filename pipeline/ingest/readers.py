"""Streaming readers: each yields raw rows in batches, so a 1 GB file never sits in memory whole.

A reader never raises on a bad row: an undecodable or unparsable row comes back with `error` set
(`bad_encoding`, `invalid_json`, `not_an_object`, `too_deep`, `invalid_csv`, `unreadable_value`) and is
quarantined downstream. A file that cannot be read at all raises `SourceReadError` naming it.

Values nested deeper than `MAX_DEPTH` are refused (`too_deep`): every later step (JSON encoding, the store's
JSON columns) may recurse per level, and a hostile row must not be able to exhaust the stack.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import re
import sys
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from pipeline.ingest.errors import SourceReadError

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".csv": "csv",
    ".tsv": "tsv",
}
HF_DISK_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")
MAX_DEPTH = 100  # nesting levels of a row (the row object itself is level 1)


class RawRow(NamedTuple):
    """One raw row: its 0-based number in the file, the parsed object (or None) and the raw text.

    A NamedTuple, not a dataclass: one is built per row, and a frozen dataclass costs ~4x as much to build."""

    row: int
    record: dict[str, Any] | None
    # raw text when the format has one (JSONL/CSV line; the undecoded UTF-8 bytes of a JSONL line msgspec read,
    # decoded only if the row is quarantined: see `raw_text`); else derived on demand
    raw: str | bytes | None = None
    error: tuple[str, str] | None = None  # (reason, detail)

    def raw_text(self) -> str:
        if type(self.raw) is bytes:
            return self.raw.decode("utf-8")
        return self.raw if self.raw is not None else json.dumps(self.record, ensure_ascii=False, default=_raw_default)


def _raw_default(value: Any) -> str:
    """A value JSON cannot hold, as the quarantine's raw row shows it: binary data as its size, never its bytes."""
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    return str(value)


def is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and any((path / m).exists() for m in HF_DISK_MARKERS)


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        if path.suffix.lower() == ".gz" and path.with_suffix("").suffix.lower() in (".jsonl", ".ndjson"):
            return "jsonl"
        raise SourceReadError(f"{path}: unknown file type {path.suffix!r} (expected one of {sorted(FORMATS)})")
    return fmt


def batched(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    """`rows` in lists of `size` (the last one shorter)."""
    batch: list[RawRow] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


TOO_DEEP = ("too_deep", f"nested deeper than {MAX_DEPTH} levels")


def value_problem(value: Any, max_depth: int = MAX_DEPTH, text: bool = True) -> tuple[str, str] | None:
    """(reason, detail) when `value` holds lone surrogates (from `\\ud800` escapes or undecodable CSV bytes; they
    cannot be stored as UTF-8) or is nested deeper than `max_depth`; else None. `text=False` checks only the
    depth. Iterative: no recursion, whatever the depth."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str) and text:
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return ("bad_encoding", "contains lone surrogate code points")
        elif isinstance(v, dict | list | tuple):
            if depth > max_depth:
                return TOO_DEEP
            if isinstance(v, dict):
                stack.extend((k, depth) for k in v)
                stack.extend((x, depth + 1) for x in v.values())
            else:
                stack.extend((x, depth + 1) for x in v)
    return None


def _has_surrogates(value: Any) -> bool:
    return value_problem(value, sys.maxsize) is not None


def parse_json_line_exact(row: int, line: bytes) -> RawRow | None:
    """One JSONL line parsed with `json`: the reference semantics and the wording of every read error."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRow(
            row, None, line.decode("utf-8", errors="replace"), ("bad_encoding", f"not UTF-8 at byte {exc.start}")
        )
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        # `Unterminated string starting at` names its own place: "at at column 14" read before
        where = f"column {exc.colno}" if exc.msg.endswith(" at") else f"at column {exc.colno}"
        return RawRow(row, None, text, ("invalid_json", f"{exc.msg} {where}"))
    except RecursionError:
        return RawRow(row, None, text, TOO_DEEP)
    except ValueError as exc:  # e.g. an integer literal over Python's 4300-digit limit
        return RawRow(row, None, text, ("invalid_json", f"cannot parse: {str(exc).split(';')[0]}"))
    if type(obj) is dict and "\\u" not in text and text.count("{") + text.count("[") <= MAX_DEPTH:
        # checked without a walk: decoded UTF-8 holds no surrogates unless a `\u` escape made one, and a value
        # cannot nest deeper than the text has opening brackets
        return RawRow(row, obj, text)
    return _object_row(row, obj, text)


_decode = msgspec.json.decode


def parse_json_line_fast(row: int, line: bytes) -> RawRow | None:
    """`parse_json_line_exact`, with msgspec (3-5x faster than `json.loads`) for the lines it decodes.

    Where msgspec decodes a line it yields what `json.loads` yields (duplicate keys: the last wins; big integers up
    to the same digit limit; the same floats). Every line it refuses (malformed, NaN/Infinity literals that `json`
    accepts, numbers out of float range, lone surrogate escapes, very deep nesting, a blank line, bad UTF-8) goes
    to the exact path, which decides and words the reason. msgspec refuses lone surrogates itself, so a decoded
    object needs only the depth check, and only when it holds a list or object.
    tests/ingest/test_ingest_stage_equivalence.py compares the two on such lines."""
    try:
        obj = _decode(line)
    except Exception:  # DecodeError, ValidationError (number range), RecursionError (depth)
        return parse_json_line_exact(row, line)
    if type(obj) is not dict:
        return _object_row(row, obj, line.decode("utf-8"))
    for v in obj.values():
        if type(v) is list or type(v) is dict:
            # a value cannot nest deeper than the line has opening brackets; else walk it
            if line.count(b"{") + line.count(b"[") > MAX_DEPTH:
                return _object_row(row, obj, line.decode("utf-8"))
            break
    return RawRow(row, obj, line)


parse_jsonl_line = parse_json_line_fast  # the line parser `read_jsonl` uses (tests swap in the exact one)


# JSON's names of the values a line may hold ("row is a JSON NoneType" read before)
_JSON_TYPES = {type(None): "null", str: "string", int: "number", float: "number", bool: "boolean", list: "array"}


def _object_row(row: int, obj: Any, raw: str | None) -> RawRow:
    if not isinstance(obj, dict):
        too_deep = value_problem(obj, text=False) is not None
        return RawRow(
            row,
            None,
            raw if raw is not None else _dump(obj),
            TOO_DEEP
            if too_deep
            else ("not_an_object", f"row is a JSON {_JSON_TYPES.get(type(obj), 'value')}, expected an object"),
        )
    problem = value_problem(obj)
    if problem is not None:
        return RawRow(row, None, raw if raw is not None else _dump(obj), problem)
    return RawRow(row, obj, raw)


def _dump(obj: Any) -> str:
    try:
        return json.dumps(obj, ensure_ascii=True, default=str)
    except (RecursionError, ValueError):
        return f"<{type(obj).__name__} that cannot be shown as JSON>"


def _open_binary(path: Path):  # type: ignore[no-untyped-def]
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rb")
    return path.open("rb")


def read_jsonl(path: Path) -> Iterator[RawRow]:
    """Line by line; blank lines are skipped and do not count as rows (row = line number, 0-based)."""
    for batch in _jsonl_batches(path, 10_000):
        yield from batch


def _jsonl_batches(path: Path, size: int) -> Iterator[list[RawRow]]:
    """`read_jsonl` in batches of `size` rows, built here (one generator less per row on the hot path)."""
    try:
        fh = _open_binary(path)
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    parse = parse_jsonl_line
    batch: list[RawRow] = []
    with fh:
        try:
            # a UTF-8 byte-order mark opening the file (Windows editors, PowerShell) is no part of its first row, as
            # CSV and JSON read it; one opening a later line (files concatenated) stays in it
            first = fh.readline().removeprefix(codecs.BOM_UTF8)
            for i, line in enumerate(itertools.chain((first,) if first else (), fh)):
                r = parse(i, line.rstrip(b"\r\n"))
                if r is not None:
                    batch.append(r)
                    if len(batch) >= size:
                        yield batch
                        batch = []
        except (OSError, EOFError, zlib.error) as exc:  # EOFError, zlib.error: a truncated or corrupt .gz
            raise SourceReadError(f"{path}: read failed: {exc}") from exc
    if batch:
        yield batch


def keys_in_json(path: Path, keys: Iterable[str]) -> frozenset[str]:
    """Those of `keys` that a JSON Lines or JSON file writes as an object key somewhere (its quoted name followed by
    a colon; a value spelled so counts too, which only errs towards reading a row without the key as one with it
    empty). Other formats give none: their columns are the file's, not a row's. One pass over the bytes."""
    keys = [k for k in keys if k]
    try:
        if not keys or not path.is_file() or file_format(path) not in ("jsonl", "json"):
            return frozenset()
    except SourceReadError:  # an unknown file type: the read reports it
        return frozenset()
    patterns = {
        k: re.compile(
            rb"(?:%s|%s)\s*:"
            % (re.escape(json.dumps(k).encode()), re.escape(json.dumps(k, ensure_ascii=False).encode()))
        )
        for k in keys
    }
    found: set[str] = set()
    overlap = max(len(json.dumps(k).encode()) for k in keys) + 64
    tail = b""
    try:
        with _open_binary(path) as fh:
            while len(found) < len(patterns):
                block = fh.read(1 << 22)
                if not block:
                    break
                text = tail + block
                found.update(k for k, rx in patterns.items() if k not in found and rx.search(text))
                tail = text[-overlap:]
    except (OSError, EOFError, zlib.error):  # the read itself reports an unreadable file
        pass
    return frozenset(found)


def read_json(path: Path) -> Iterator[RawRow]:
    """A JSON array of objects, or an object holding one (`{"data": [...]}`; one holding several is refused:
    `_refuse_row_arrays`); JSON Lines saved as .json are detected and streamed. A JSON array is parsed whole: use
    JSONL or Parquet for very large files."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16).removeprefix(codecs.BOM_UTF8).lstrip()  # `json` reads past the mark itself
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
        except RecursionError as exc:
            raise SourceReadError(f"{path}: not readable: JSON nested too deeply") from exc
        except ValueError as exc:  # e.g. an integer literal over Python's 4300-digit limit
            raise SourceReadError(f"{path}: not readable JSON: {str(exc).split(';')[0]}") from exc
        lists = [k for k, v in data.items() if isinstance(v, list)] if isinstance(data, dict) else []
        if len(lists) == 1 and all(not isinstance(v, list) or k == lists[0] for k, v in data.items()):
            data = data[lists[0]]
        else:
            _refuse_row_arrays(path, data, lists)
            data = [data]
    else:
        try:
            data = json.loads(path.read_bytes())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceReadError(f"{path}: not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise SourceReadError(f"{path}: not readable: JSON nested too deeply") from exc
        except ValueError as exc:
            raise SourceReadError(f"{path}: not readable JSON: {str(exc).split(';')[0]}") from exc
    if not isinstance(data, list):
        raise SourceReadError(f"{path}: expected a JSON array of objects, got {type(data).__name__}")
    for i, obj in enumerate(data):
        yield _object_row(i, obj, None)


def _refuse_row_arrays(path: Path, data: dict[str, Any], lists: list[str]) -> None:
    """Refuse an object holding several arrays of rows alike (`{"train": [...], "test": [...]}`: their first objects
    share a key), which would be read as one row: which array holds the tasks to ingest is the user's call. An
    object that is one row with list fields (`messages` and `tools`: no key shared) is left alone."""
    rows = [k for k in lists if data[k] and isinstance(data[k][0], dict)]
    shared = any(data[a][0].keys() & data[b][0].keys() for a, b in itertools.combinations(rows, 2))
    if shared:
        named = ", ".join(f"{k!r} ({len(data[k])})" for k in rows)
        raise SourceReadError(
            f"{path}: a JSON object holding several arrays of rows: {named}; which one to ingest is unknown: write "
            "it as its own file (a JSON array, or JSON Lines)"
        )


class _CsvLines:
    """The physical lines fed to `csv.reader`, numbered, with the lines of the record being read kept so that a
    record with broken quoting can be refused and the lines it swallowed read again as their own rows."""

    def __init__(self, fh: Iterable[str], first_no: int = 1) -> None:
        self._it = iter(fh)
        self._replay: deque[tuple[int, str]] = deque()
        self._next_no = first_no
        self.taken: list[tuple[int, str]] = []  # (1-based line number, text) of the current record

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        if self._replay:
            no, line = self._replay.popleft()
        else:
            line = next(self._it)
            no, self._next_no = self._next_no, self._next_no + 1
        self.taken.append((no, line))
        return line

    def start_record(self) -> None:
        self.taken = []

    def reread_after_first(self) -> None:
        """Read again every line of the current record but its first (which is quarantined)."""
        self._replay.extendleft(reversed(self.taken[1:]))


def _sniff_delimiter(first_line: str) -> str:
    """A CSV's delimiter, from its header line: a comma, unless the header has none and is separated by semicolons
    (a spreadsheet saved with a European locale) or tabs."""
    if "," in first_line:
        return ","
    if ";" in first_line and "\t" not in first_line:
        return ";"
    return "\t" if "\t" in first_line else ","


# the first line Excel writes (and reads) to name a CSV's delimiter, `sep=;`: no part of the data
_EXCEL_SEP = re.compile(r'"?sep=(.)"?', re.IGNORECASE)


def reads_semicolons(path: Path) -> bool:
    """Whether `path` is a CSV file `read_csv` reads with `;` (a `sep=;` first line, or a header separated by
    semicolons: a spreadsheet saved with a European locale, whose numbers may have decimal commas)."""
    if not path.is_file() or path.suffix.lower() != ".csv":  # a saved dataset's folder, another format
        return False
    try:
        with path.open(encoding="utf-8", errors="surrogateescape", newline="") as fh:
            return _csv_delimiter(fh.readline())[0] == ";"
    except OSError:
        return False


def _csv_delimiter(first: str, given: str | None = None) -> tuple[str, bool]:
    """(the delimiter a CSV whose first line is `first` is read with, whether that line is Excel's `sep=;` and no
    header): `sep=` names it, else `given`, else the header's (`_sniff_delimiter`)."""
    sep = _EXCEL_SEP.fullmatch(first.removeprefix("\ufeff").rstrip("\r\n"))
    if sep is not None:
        return sep[1], True
    return given or _sniff_delimiter(first), False


def read_csv(path: Path, delimiter: str | None = None) -> Iterator[RawRow]:
    """CSV with a header row (`delimiter`: None reads it from the header, `_sniff_delimiter`; a first line `sep=;`,
    as Excel writes it, names it and is skipped). Undecodable bytes make only their row `bad_encoding`.

    Quoting is read strictly: a quote that is never closed, or closed where no field ends, makes the record that
    opened it `invalid_csv` (with its line number), and the lines after that line are read again as rows. A lax
    reader would merge them into one plausible, wrong task and lose the rows it swallowed."""
    csv.field_size_limit(sys.maxsize)
    try:
        fh = path.open(encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    with fh:
        delimiter, excel_sep = _csv_delimiter(fh.readline(), delimiter)
        if not excel_sep:  # the first line is the header (after `sep=;`, the header is the file's line 2)
            fh.seek(0)
        lines = _CsvLines(fh, 2 if excel_sep else 1)
        reader = csv.reader(lines, strict=True, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceReadError(f"{path}: bad CSV header: {exc}") from exc
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        if _has_surrogates(header):
            raise SourceReadError(f"{path}: CSV header is not UTF-8")
        # `Question ;Answer `, as a spreadsheet kept them: a mapping names `Question` (the CLI strips --map values)
        header = [h.strip() for h in header]
        twice = [n for n, c in Counter(h for h in header if h.strip()).items() if c > 1]
        if twice:
            # a row is read as {name: value}: the last column of a name would win, silently (`answer,answer`)
            raise SourceReadError(
                f"{path}: the CSV header names the column(s) {', '.join(map(repr, twice))} more than once; which "
                "one is meant is unknown: rename or remove the others"
            )
        i = 0
        while True:
            lines.start_record()
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                first_no, first = lines.taken[0] if lines.taken else (0, "")
                last_no = lines.taken[-1][0] if lines.taken else first_no
                lines.reread_after_first()
                span = f"; lines {first_no + 1}-{last_no} are read again as rows" if last_no > first_no else ""
                raw = first.rstrip("\r\n").encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                yield RawRow(
                    i,
                    None,
                    raw,
                    (
                        "invalid_csv",
                        f"line {first_no}: a quoted field opened here is not closed properly ({exc}){span}",
                    ),
                )
                i += 1
                continue
            line_no = lines.taken[0][0] if lines.taken else 0
            raw = delimiter.join(values)
            if _has_surrogates(values):
                yield RawRow(
                    i,
                    None,
                    raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                    ("bad_encoding", f"line {line_no}: not UTF-8"),
                )
            elif len(values) != len(header):
                yield RawRow(
                    i, None, raw, ("invalid_csv", f"line {line_no}: {len(values)} fields, header has {len(header)}")
                )
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
    batches = pf.iter_batches(batch_size=batch_rows)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as exc:  # corrupt pages: OSError, ArrowInvalid, ...
            raise SourceReadError(f"{path}: read failed at row {i}: {exc}") from exc
        for row in _arrow_rows(batch, i):
            yield row
            i += 1


def _arrow_rows(batch: Any, first: int) -> Iterator[RawRow]:
    """Rows of an Arrow record batch. A value Python cannot represent (a date past year 9999, invalid UTF-8 in
    a string column) makes only its row `unreadable_value` / `bad_encoding`, not the whole file fail."""
    try:
        objs = batch.to_pylist()
    except Exception:
        objs = None
    if objs is not None:
        for j, obj in enumerate(objs):
            yield _object_row(first + j, obj, None)
        return
    names = batch.schema.names
    for j in range(batch.num_rows):
        obj: dict[str, Any] = {}
        error: tuple[str, str] | None = None
        for name, col in zip(names, batch.columns, strict=True):
            try:
                obj[name] = col[j].as_py()
            except UnicodeDecodeError:
                obj[name] = "<not UTF-8>"
                error = error or ("bad_encoding", f"column {name!r} is not UTF-8")
            except Exception as exc:
                obj[name] = "<unreadable>"
                error = error or ("unreadable_value", f"column {name!r}: {type(exc).__name__}: {exc}")
        yield RawRow(first + j, None, _dump(obj), error) if error else _object_row(first + j, obj, None)


def read_hf_dataset(ds: Any, label: str, batch_rows: int) -> Iterator[RawRow]:
    """Rows of a `datasets.Dataset` / `IterableDataset` (Arrow-backed; read in batches), as Python values whatever
    format the dataset was given (`set_format("numpy")` is saved with it and comes back from `load_from_disk`: its
    numbers would be numpy scalars, its lists arrays)."""
    i = 0
    try:
        if hasattr(ds, "with_format"):
            ds = ds.with_format(None)
        for batch in ds.iter(batch_size=batch_rows):
            cols = list(batch)
            n = len(batch[cols[0]]) if cols else 0
            for j in range(n):
                yield _object_row(i, {c: batch[c][j] for c in cols}, None)
                i += 1
    except Exception as exc:
        raise SourceReadError(f"{label}: read failed at row {i}: {exc}") from exc


def class_label_names(features: Any, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """The ClassLabel columns of a `datasets.Features` and their names, in class order; one inside a struct column
    under its dotted path (`meta.gold`, as a mapping names it); a list of ClassLabels (`Sequence(ClassLabel(...))`,
    its values lists of class numbers) under its own name."""
    import datasets

    out: dict[str, tuple[str, ...]] = {}
    for col, f in (features or {}).items():
        inner = getattr(f, "feature", None) if isinstance(f, datasets.List | datasets.LargeList) else f
        if isinstance(inner, datasets.ClassLabel) and inner.names:
            out[f"{prefix}{col}"] = tuple(map(str, inner.names))
        elif isinstance(f, dict):  # a struct
            out.update(class_label_names(f, f"{prefix}{col}."))
    return out


def parquet_class_labels(path: Path) -> dict[str, tuple[str, ...]]:
    """The ClassLabel columns of a Parquet file `datasets` wrote (its features travel in the file's `huggingface`
    metadata as `{"_type": "ClassLabel", "names": [...]}`); none for another file or one that cannot be read (the
    read reports it). Reads the footer only, without importing `datasets`."""
    import pyarrow.parquet as pq

    try:
        meta = (pq.read_schema(path).metadata or {}).get(b"huggingface")
    except Exception:  # not a readable Parquet file: the read reports it
        return {}
    if not meta or b"ClassLabel" not in meta:
        return {}
    try:
        features = json.loads(meta).get("info", {}).get("features")
    except (ValueError, AttributeError):
        return {}
    return _class_labels_written(features)


def _class_labels_written(features: Any, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """`class_label_names` of features as `datasets` writes them (`{"_type": "ClassLabel", "names": [...]}`; a struct
    is an object of such features without a `_type`; a list `{"_type": "List", "feature": {...}}`, `Sequence` in
    files older `datasets` wrote)."""
    out: dict[str, tuple[str, ...]] = {}
    for col, f in features.items() if isinstance(features, dict) else ():
        if not isinstance(f, dict):
            continue
        inner = f.get("feature") if f.get("_type") in ("List", "LargeList", "Sequence") else None
        if isinstance(inner, dict) and inner.get("_type") == "ClassLabel":
            f = inner
        if f.get("_type") == "ClassLabel" and isinstance(f.get("names"), list) and f["names"]:
            out[f"{prefix}{col}"] = tuple(map(str, f["names"]))
        elif "_type" not in f:
            out.update(_class_labels_written(f, f"{prefix}{col}."))
    return out


def load_saved_dataset(path: Path, split: str | None) -> Any:
    """A dataset saved with `save_to_disk`; a DatasetDict needs a split: `split` (its own name, else the one split
    `sources.canonical_split` reads alike: `val` -> `validation`), unset `train` or its only one (ingest leaves out
    a DatasetDict of one held-out split: `sources.dict_held_out`)."""
    import datasets

    from pipeline.ingest.sources import canonical_split

    try:
        ds = datasets.load_from_disk(str(path))
    except Exception as exc:
        raise SourceReadError(f"{path}: not a readable saved dataset: {exc}") from exc
    if isinstance(ds, datasets.DatasetDict):
        names = list(ds)
        if split is not None:
            alike = [n for n in names if canonical_split(n) == canonical_split(split)]
            pick = split if split in ds else alike[0] if len(alike) == 1 else None
            if pick is None and alike:  # `val` beside both `validation` and `dev`: which one is meant is unknown
                which = f"{', '.join(alike[:-1])} and {alike[-1]}"
                raise SourceReadError(f"{path}: split {split!r} may be any of the splits {which}; set split to one")
            if pick is None:
                raise SourceReadError(f"{path}: split {split!r} not found (splits: {', '.join(names)}); set `split`")
        elif "train" in names:
            pick = "train"
        elif len(names) == 1:
            pick = names[0]
        else:
            raise SourceReadError(f"{path}: no 'train' split (splits: {', '.join(names)}); set split")
        return ds[pick]
    return ds


def load_hub_dataset(name: str, config: str | None, split: str | None, revision: str | None) -> Any:
    """A Hub dataset, streamed (never downloaded whole). Needs network access and, for gated sets, HF_TOKEN."""
    import datasets

    try:
        return datasets.load_dataset(name, config, split=split or "train", revision=revision, streaming=True)
    except Exception as exc:
        # the message of a failed Hub call can carry request headers; keep only the exception type
        raise SourceReadError(
            f"hf://{name}: cannot load ({type(exc).__name__}); check the id, config, split, network and HF_TOKEN"
        ) from None


def hub_split_names(name: str, config: str | None, revision: str | None) -> list[str]:
    """The splits of a Hub dataset (a decontamination benchmark without `split` reads its held-out ones). Needs
    network access and, for gated sets, HF_TOKEN."""
    import datasets

    try:
        return list(datasets.get_dataset_split_names(name, config, revision=revision))
    except Exception as exc:
        # as `load_hub_dataset`: the message of a failed Hub call can carry request headers
        raise SourceReadError(
            f"hf://{name}: cannot list its splits ({type(exc).__name__}); check the id, config, network and HF_TOKEN, "
            "or set split"
        ) from None


def read_file(path: Path, batch_rows: int, split: str | None = None) -> Iterator[list[RawRow]]:
    """Batches of raw rows from one file or saved dataset."""
    if is_saved_dataset(path):
        rows: Iterable[RawRow] = read_hf_dataset(load_saved_dataset(path, split), str(path), batch_rows)
    else:
        fmt = file_format(path)
        if not path.is_file():
            raise SourceReadError(f"{path}: no such file")
        if fmt == "jsonl":
            yield from _jsonl_batches(path, batch_rows)
            return
        rows = {
            "json": lambda: read_json(path),
            "csv": lambda: read_csv(path),
            "tsv": lambda: read_csv(path, "\t"),
            "parquet": lambda: read_parquet(path, batch_rows),
        }[fmt]()
    yield from batched(rows, batch_rows)
