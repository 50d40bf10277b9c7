"""Write a version for fine-tuning recipes: `messages` (TRL, Axolotl), `sharegpt` (LLaMA-Factory), `text`
(rendered with the Hermes 4 chat format of the version's model) or `dpo` (preference pairs in TRL's format, see
pipeline/dataset/preference.py), each as Parquet and JSONL per split.

Exports stream from DuckDB and never hold a version in Python: `messages` (inline) and `sharegpt` rows are built
in SQL and written by DuckDB's `COPY ... TO` (Parquet and JSON lines); `text` rows (a renderer per row) and
`messages` with a reasoning field are formatted in Arrow record batches of `BATCH_ROWS` rows by the same
per-record functions as before. Parquet is sharded by size: a split whose row text (messages JSON plus lineage)
exceeds `SHARD_BYTES` (256 MB) is cut, in example-id order, into `<split>-00000-of-000NN.parquet` files (the names
`datasets` and the Hub read as one split); a split that fits stays `<split>.parquet`.

`reasoning_field` (messages and dpo) puts a think row's think text in `reasoning_content` or `thinking` of the
assistant message and the answer alone in `content`; the default, inline, is Hermes 4's own output shape."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import polars as pl

from pipeline.dataset.chat_format import ChatFormat, chat_format_for, make_renderer, training_template
from pipeline.dataset.errors import ChatFormatError, DatasetError
from pipeline.dataset.messages import (
    REASONING_FIELDS,
    STANDARD_SYSTEM_PROMPT,
    ReasoningField,
    quotes_think_close,
    with_reasoning_field,
)
from pipeline.dataset.preference import PAIR_META, preference_pairs
from pipeline.dataset.versions import get_version, rows_to_records
from pipeline.report import StageReport
from pipeline.store import Store
from schemas.contracts import DATASET_ROW

Format = Literal["messages", "sharegpt", "text", "dpo"]
FORMATS: tuple[Format, ...] = ("messages", "sharegpt", "text", "dpo")
SPLITS = ("train", "validation")
# Columns of an exported or published row: the `dataset_rows` contract less the version id and the split (each
# split is its own file). The card's column table is built from the same list.
PUBLISHED_COLUMNS: tuple[str, ...] = tuple(c for c in DATASET_ROW.column_names if c not in ("version_id", "split"))
_SHAREGPT_ROLES = {"system": "system", "user": "human", "assistant": "gpt"}
_META = (
    "example_id",
    "mode",
    "domain",
    "task_id",
    "generation_key",
    "source",
    "license",
    "think_tokens",
    "answer_tokens",
)
# Row text (bytes of the messages JSON, plus a fixed allowance for lineage) per Parquet shard; zstd makes the file
# a third of that or less. DuckDB sorts one shard at a time in memory (a few times its text: ~0.6 GB peak RSS for
# 50 MB, ~1.3 GB for 300 MB measured), so the shard size also bounds the export's memory. Module-level so tests
# and benches can set it.
SHARD_BYTES = 256_000_000
_LINEAGE_BYTES = 200
BATCH_ROWS = 10_000  # rows per Arrow record batch where rows are formatted in Python
PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION zstd, ROW_GROUP_SIZE 20000"
_ROWS = "FROM dataset_rows WHERE version_id = ? AND split = ?"
_MESSAGES = """from_json(messages, '[{"role": "VARCHAR", "content": "VARCHAR"}]')"""


def messages_features(reasoning_field: ReasoningField = "inline") -> Any:
    import datasets

    v = datasets.Value
    message = {"role": v("string"), "content": v("string")}
    if reasoning_field != "inline":
        message[reasoning_field] = v("string")
    return datasets.Features(
        {
            "example_id": v("string"),
            "mode": v("string"),
            "messages": datasets.List(message),
            "domain": v("string"),
            "task_id": v("string"),
            "generation_key": v("string"),
            "source": v("string"),
            "license": v("string"),
            "think_tokens": v("int64"),
            "answer_tokens": v("int64"),
        }
    )


def to_sharegpt(record: dict[str, Any]) -> dict[str, Any]:
    """A ShareGPT row for LLaMA-Factory. A row without a system message (no-think) gets Hermes 4's standard system
    prompt: LLaMA-Factory replaces an empty `system` with its template's default system prompt, which is not the
    one Hermes 4's own template gives a no-think request."""
    msgs = record["messages"]
    system = next((m["content"] for m in msgs if m["role"] == "system"), "") or STANDARD_SYSTEM_PROMPT
    convo = [{"from": _SHAREGPT_ROLES[m["role"]], "value": m["content"]} for m in msgs if m["role"] != "system"]
    meta = {k: record[k] for k in _META}
    return {"conversations": convo, "system": system, **meta}


def with_system_prompt(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`messages` with Hermes 4's standard system prompt in front when they have no system message: what the
    model's own template renders for a no-think request (and what the shipped training templates add)."""
    if messages and messages[0]["role"] == "system" and messages[0]["content"]:
        return messages
    rest = messages[1:] if messages and messages[0]["role"] == "system" else messages
    return [{"role": "system", "content": STANDARD_SYSTEM_PROMPT}, *rest]


def to_text(record: dict[str, Any], render: Callable[[Sequence[dict[str, str]]], str]) -> dict[str, Any]:
    try:
        text = render(with_system_prompt(record["messages"]))
    except ChatFormatError as exc:
        raise ChatFormatError(f"example {record['example_id']}: {exc}") from None
    return {"text": text, **{k: record[k] for k in _META}}


def to_messages(record: dict[str, Any], reasoning_field: ReasoningField = "inline") -> dict[str, Any]:
    try:
        msgs = with_reasoning_field(record["messages"], record["mode"], reasoning_field)
    except ValueError as exc:
        raise DatasetError(f"example {record['example_id']}: {exc}") from None
    if reasoning_field != "inline":  # one schema for every message: the field is null where there is no think text
        msgs = [{"role": m["role"], "content": m["content"], reasoning_field: m.get(reasoning_field)} for m in msgs]
    return {"messages": msgs, **{k: record[k] for k in _META}}


def to_preference(pair: dict[str, Any], reasoning_field: ReasoningField = "inline") -> dict[str, Any]:
    """A preference pair as written: the think text of each side moved to `reasoning_field` where asked. A
    malformed rejected trace cannot be split: it stays inline in `content`, as the model wrote it."""
    try:
        chosen = with_reasoning_field(pair["chosen"], pair["mode"], reasoning_field)
    except ValueError as exc:
        raise DatasetError(f"example {pair['chosen_example_id']}: {exc}") from None
    try:
        rejected = with_reasoning_field(pair["rejected"], pair["mode"], reasoning_field)
    except ValueError:
        rejected = pair["rejected"]

    def norm(msgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if reasoning_field == "inline":
            return msgs
        return [{"role": m["role"], "content": m["content"], reasoning_field: m.get(reasoning_field)} for m in msgs]

    return {
        "prompt": norm(pair["prompt"]),
        "chosen": norm(chosen),
        "rejected": norm(rejected),
        **{k: pair[k] for k in PAIR_META},
    }


def format_records(
    records: list[dict[str, Any]],
    fmt: Format,
    render: Callable[[Sequence[dict[str, str]]], str] | None = None,
    reasoning_field: ReasoningField = "inline",
) -> list[dict[str, Any]]:
    if reasoning_field not in REASONING_FIELDS:
        raise DatasetError(
            f"unknown reasoning field {reasoning_field!r}; expected one of {', '.join(REASONING_FIELDS)}"
        )
    if reasoning_field != "inline" and fmt not in ("messages", "dpo"):
        raise DatasetError(
            f"--reasoning-field {reasoning_field} applies to the messages and dpo formats, not {fmt} "
            f"(ShareGPT and text keep the think block inline)"
        )
    if fmt == "messages":
        return [to_messages(r, reasoning_field) for r in records]
    if fmt == "sharegpt":
        return [to_sharegpt(r) for r in records]
    if fmt == "text":
        if render is None:
            raise DatasetError("the text export needs a chat renderer")
        return [to_text(r, render) for r in records]
    if fmt == "dpo":
        return [to_preference(r, reasoning_field) for r in records]
    raise DatasetError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(records, infer_schema_length=None).write_parquet(path, compression="zstd", statistics=False)


def write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def renderer_for(
    cfg: Any, store: Store | None = None, version: str | None = None
) -> Callable[[Sequence[dict[str, str]]], str]:
    """The `text` renderer of a ThinkmillConfig: publish.tokenizer_path's template when set, else the chat format
    of `version_chat_format` (given a version: the model its generations record, as `--template-out` picks it)
    or of publish.chat_model, else generate.model. The text ends right after the assistant's answer: the trainer
    appends the EOS (TRL's SFTTrainer does for every `text` row)."""
    model = cfg.publish.chat_model or cfg.generate.model
    tok = str(cfg.resolve(cfg.publish.tokenizer_path)) if cfg.publish.tokenizer_path else None
    chat_format = cfg.publish.chat_format
    if tok is None and store is not None and version is not None:
        chat_format = version_chat_format(store, version, cfg)
    return make_renderer(model, chat_format, tok, final_eos=False)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def select_sql(fmt: Format, reasoning_field: ReasoningField = "inline") -> str | None:
    """The SELECT (without its WHERE) that gives a format's exported columns straight from `dataset_rows`, or None
    where rows are formatted in Python (text; messages with a reasoning field). Same values as `format_records`."""
    meta = ", ".join(_META)
    if fmt == "messages" and reasoning_field == "inline":
        return f"SELECT {_MESSAGES} AS messages, {meta} "
    if fmt == "sharegpt":
        roles = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in _SHAREGPT_ROLES.items() if k != "system")
        return (
            "SELECT list_transform(list_filter(m, x -> x.role <> 'system'), "
            f"x -> {{'from': CASE x.role {roles} ELSE error('unknown message role ' || x.role) END, "
            "'value': x.content}) AS conversations, "
            "coalesce(nullif(list_filter(m, x -> x.role = 'system')[1].content, ''), "
            f"{_sql_literal(STANDARD_SYSTEM_PROMPT)}) AS system, {meta} "
            f"FROM (SELECT {_MESSAGES} AS m, * "
        )
    return None


def _query(select: str, where: str) -> str:
    if "FROM (SELECT" in select:
        return f"{select}{_ROWS}{where}) ORDER BY example_id"
    return f"{select}{_ROWS}{where} ORDER BY example_id"


def shard_bounds(
    store: Store, version: str, split: str, shard_bytes: int | None = None, rows: str = ""
) -> list[tuple[str, str | None]]:
    """(first example id, next shard's first id or None) of each Parquet shard of a split, in example-id order:
    as many shards as its row text needs at `shard_bytes` each, rows spread evenly. Empty for an empty split.
    `rows`: a condition (` AND ...`) on the rows written, the others left out."""
    n, size = store.fetchone(
        f"SELECT count(*), coalesce(sum(strlen(messages::VARCHAR) + {_LINEAGE_BYTES}), 0) {_ROWS}{rows}",
        [version, split],
    )
    if not n:
        return []
    per = math.ceil(n / max(1, math.ceil(size / (shard_bytes or SHARD_BYTES))))
    starts = [
        r[0]
        for r in store.fetchall(
            f"SELECT example_id FROM (SELECT example_id, row_number() OVER (ORDER BY example_id) - 1 AS i {_ROWS}"
            f"{rows}) "
            "WHERE i % ? = 0 ORDER BY example_id",
            [version, split, per],
        )
    ]
    return list(zip(starts, [*starts[1:], None], strict=True))


def _shard_where(lo: str, hi: str | None) -> tuple[str, list[Any]]:
    if hi is None:
        return " AND example_id >= ?", [lo]
    return " AND example_id >= ? AND example_id < ?", [lo, hi]


def _record_batches(
    store: Store, version: str, split: str, where: str, params: list[Any]
) -> Iterator[list[dict[str, Any]]]:
    """A split's rows as training records (`rows_to_records`), BATCH_ROWS at a time."""
    cols = ", ".join(c for c in DATASET_ROW.column_names if c != "version_id")
    for batch in store.batches(_query(f"SELECT {cols} ", where), [version, split, *params], rows=BATCH_ROWS):
        yield rows_to_records(pl.from_arrow(batch))  # type: ignore[arg-type]


def _arrow_schema(fmt: Format, reasoning_field: ReasoningField) -> Any:
    import pyarrow as pa

    meta = [(k, pa.int64() if k.endswith("_tokens") else pa.string()) for k in _META]
    if fmt == "text":
        return pa.schema([("text", pa.string()), *meta])
    fields = [("role", pa.string()), ("content", pa.string())]
    if reasoning_field != "inline":
        fields.append((reasoning_field, pa.string()))
    return pa.schema([("messages", pa.list_(pa.struct(fields))), *meta])


def _shard_glob(split: str) -> str:
    return f"{split}-[0-9]*-of-[0-9]*.parquet"


def _parquet_files(out: Path, split: str) -> list[Path]:
    """A split's Parquet files an earlier export may have left in `out`: one file, or shards (in `out`, or in
    `out/<split>/` where a sharded Parquet-only ShareGPT export puts them, see `export_version`)."""
    return [
        out / f"{split}.parquet",
        *out.glob(_shard_glob(split)),
        out / split / f"{split}.parquet",
        *(out / split).glob(_shard_glob(split)),
    ]


def remove_split_files(out: Path, split: str, kinds: Sequence[str] = ("parquet", "jsonl")) -> None:
    """Remove the files of `split` (of the given kinds) that an earlier export left in `out`: a re-export into the
    same folder must not leave them beside its own, where `datasets.load_dataset(DIR)` reads them as rows of the
    split (an earlier version's validation rows, whose tasks may be in the new version's train)."""
    stale = (_parquet_files(out, split) if "parquet" in kinds else []) + (
        [out / f"{split}.jsonl"] if "jsonl" in kinds else []
    )
    for path in stale:
        path.unlink(missing_ok=True)
    folder = out / split
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def write_split(
    store: Store,
    version: str,
    split: str,
    fmt: Format,
    out: Path,
    parquet_name: Callable[[int, int], str] | None,
    jsonl_name: str | None,
    render: Callable[[Sequence[dict[str, str]]], str] | None = None,
    reasoning_field: ReasoningField = "inline",
    rows: str = "",
) -> list[Path]:
    """Stream one split of a version to Parquet shards (`parquet_name(i, n)`) and/or one JSONL file, never
    holding more than a record batch in Python. The split's files of an earlier export in `out` are removed first,
    of every kind, also the kind not written now. Returns the files written (none for an empty split, as the
    version has no such split). `rows`: a condition (` AND ...`) on the rows written (`shard_bounds`)."""
    bounds = shard_bounds(store, version, split, rows=rows)
    if not bounds:
        remove_split_files(out, split)
        return []
    out.mkdir(parents=True, exist_ok=True)
    select = select_sql(fmt, reasoning_field)
    written: list[Path] = []
    # an earlier export's files of the split, of every kind (its shards; its Parquet beside a JSONL-only export,
    # which `load_dataset(DIR)` prefers), would load as rows of this one
    remove_split_files(out, split)
    if parquet_name is not None:
        for i, (lo, hi) in enumerate(bounds):
            path = out / parquet_name(i, len(bounds))
            path.parent.mkdir(parents=True, exist_ok=True)
            where, params = _shard_where(lo, hi)
            where = rows + where
            if select is not None:
                store.copy_to(_query(select, where), [version, split, *params], path, PARQUET_OPTIONS)
            else:
                _write_parquet_batches(store, version, split, fmt, path, where, params, render, reasoning_field)
            written.append(path)
    if jsonl_name is not None:
        path = out / jsonl_name
        if select is not None:  # one COPY per shard range (DuckDB sorts one range at a time), appended in order
            with path.open("wb") as f:
                for lo, hi in bounds:
                    where, params = _shard_where(lo, hi)
                    where = rows + where
                    part = out / f".{jsonl_name}.part"
                    store.copy_to(_query(select, where), [version, split, *params], part, "FORMAT JSON")
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, f, 1 << 20)
                    part.unlink()
        else:
            with path.open("w", encoding="utf-8") as f:
                for lo, hi in bounds:
                    where, params = _shard_where(lo, hi)
                    where = rows + where
                    for recs in _record_batches(store, version, split, where, params):
                        f.writelines(
                            json.dumps(r, ensure_ascii=False) + "\n"
                            for r in format_records(recs, fmt, render, reasoning_field)
                        )
        written.append(path)
    return written


def _write_parquet_batches(
    store: Store,
    version: str,
    split: str,
    fmt: Format,
    path: Path,
    where: str,
    params: list[Any],
    render: Callable[[Sequence[dict[str, str]]], str] | None,
    reasoning_field: ReasoningField,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(fmt, reasoning_field)
    with pq.ParquetWriter(path, schema, compression="zstd", write_statistics=False) as writer:
        for recs in _record_batches(store, version, split, where, params):
            writer.write_table(pa.Table.from_pylist(format_records(recs, fmt, render, reasoning_field), schema=schema))


QUOTED_EXAMPLES = 5  # example ids named in the export's report


def quoted_think_close_sql(reasoning_field: ReasoningField = "inline") -> str:
    """Whether a `dataset_rows` row's `messages` export is read otherwise than written by a template splitting
    `content` at `</think>` (`quotes_think_close`, in SQL: an assistant turn holding a `</think>` beyond the one
    closing the think block it opens with). With a reasoning field, think rows carry their think text in it as a
    string and are read as written: only no-think rows can be."""
    rows = "" if reasoning_field == "inline" else "mode <> 'think' AND "
    return (
        f"({rows}len(list_filter({_MESSAGES}, x -> x.role = 'assistant' "
        "AND (length(x.content) - length(replace(x.content, '</think>', ''))) // 8 "
        "> CASE WHEN starts_with(x.content, '<think>') THEN 1 ELSE 0 END)) > 0)"
    )


def quoted_think_close(store: Store, version: str, reasoning_field: ReasoningField = "inline") -> tuple[int, list]:
    """(rows, first example ids) of a version's `messages` export that a template splitting `content` at
    `</think>` reads otherwise than written (`quoted_think_close_sql`)."""
    sql = (
        f"SELECT count(*), coalesce(list(example_id ORDER BY example_id)[1:{QUOTED_EXAMPLES}], []) "
        f"FROM dataset_rows WHERE version_id = ? AND {quoted_think_close_sql(reasoning_field)}"
    )
    n, examples = store.fetchone(sql, [version]) or (0, [])
    return int(n), list(examples)


def _pair_quotes(pair: dict[str, Any], reasoning_field: ReasoningField) -> bool:
    """Whether either side of a written preference pair holds a turn `quotes_think_close` finds."""
    return any(quotes_think_close(m, reasoning_field) for side in ("chosen", "rejected") for m in pair[side])


def _quoted_pairs(pairs: Sequence[dict[str, Any]], reasoning_field: ReasoningField) -> tuple[int, list]:
    """`quoted_think_close` for written preference pairs: pairs either side of which is such a turn, by
    chosen example id."""
    found = sorted(p["chosen_example_id"] for p in pairs if _pair_quotes(p, reasoning_field))
    return len(found), found[:QUOTED_EXAMPLES]


def export_version(
    store: Store,
    version: str,
    fmt: Format,
    out: Path,
    cfg: Any,
    file_formats: Sequence[str] = ("parquet", "jsonl"),
    reasoning_field: ReasoningField = "inline",
    notes: dict[str, Any] | None = None,
    drop_quoted_think_close: bool = False,
) -> list[Path]:
    """Write `<out>/<split>.parquet` (or `<split>-00000-of-000NN.parquet` shards, see the module docstring) and
    `<split>.jsonl` for each non-empty split (a sharded Parquet-only ShareGPT export: each split's Parquet in
    `<out>/<split>/`). Returns the files written. `notes`, when given, gets `quoted_think_close_rows` and
    `quoted_think_close_examples` for the formats a trainer renders with a chat template (messages, dpo).
    `drop_quoted_think_close` (messages, dpo): leave those rows (pairs) out; `notes` then gets
    `quoted_think_close_dropped` instead of `quoted_think_close_rows`."""
    if fmt not in FORMATS:
        raise DatasetError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    format_records([], fmt, None if fmt != "text" else (lambda m: ""), reasoning_field)  # option errors first
    if drop_quoted_think_close and fmt not in ("messages", "dpo"):
        raise DatasetError(
            f"drop_quoted_think_close is for the formats a trainer renders with a chat template (messages, dpo); "
            f"{fmt} rows are not split at `</think>` again"
        )
    get_version(store, version)  # raises VersionNotFoundError naming the version
    render = renderer_for(cfg, store, version) if fmt == "text" else None
    written: list[Path] = []
    quoted: tuple[int, list] | None = None
    rows = ""
    if fmt == "dpo":  # pairs are built in Python per task (bounded by the version's tasks), then written
        written, quoted = _export_pairs(store, version, out, file_formats, reasoning_field, drop_quoted_think_close)
    else:
        if fmt == "messages":
            quoted = quoted_think_close(store, version, reasoning_field)
            if drop_quoted_think_close:
                rows = f" AND NOT {quoted_think_close_sql(reasoning_field)}"
        # LLaMA-Factory's dataset_info `file_name` names one file or a folder (0.9.5 reads every file in it; a list
        # of files is not accepted): a Parquet-only ShareGPT export with a sharded split writes each split's Parquet
        # in `<split>/`, a folder holding only that split's files, which its entry names. Both splits, as
        # `load_dataset(DIR)` reads split folders only when every split has one.
        folder = (
            fmt == "sharegpt"
            and "jsonl" not in file_formats
            and any(len(shard_bounds(store, version, s, rows=rows)) > 1 for s in SPLITS)
        )

        def parquet_name(i: int, n: int, split: str) -> str:
            name = f"{split}.parquet" if n == 1 else f"{split}-{i:05d}-of-{n:05d}.parquet"
            return f"{split}/{name}" if folder else name

        for split in SPLITS:
            written += write_split(
                store,
                version,
                split,
                fmt,
                out,
                (lambda i, n, s=split: parquet_name(i, n, s)) if "parquet" in file_formats else None,
                f"{split}.jsonl" if "jsonl" in file_formats else None,
                render,
                reasoning_field,
                rows,
            )
    if fmt == "sharegpt":
        path = out / "dataset_info.json"
        path.write_text(json.dumps(llama_factory_info(version, written, out), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    if notes is not None and quoted is not None:
        key = "quoted_think_close_dropped" if drop_quoted_think_close else "quoted_think_close_rows"
        notes.update({key: quoted[0], "quoted_think_close_examples": quoted[1]})
    return written


def _export_pairs(
    store: Store,
    version: str,
    out: Path,
    file_formats: Sequence[str],
    reasoning_field: ReasoningField,
    drop_quoted: bool = False,
) -> tuple[list[Path], tuple[int, list]]:
    found = preference_pairs(store, version)
    if not found.pairs:
        skipped = ", ".join(f"{k} {n}" for k, n in sorted(found.skipped.items())) or "none"
        raise DatasetError(
            f"version {version} gives no preference pairs: none of its tasks has a usable failing "
            f"generation in the mode of its rows (failing generations left out: {skipped})"
        )
    written: list[Path] = []
    quoted: list[dict[str, Any]] = []
    for split in SPLITS:
        recs = format_records([p for p in found.pairs if p["split"] == split], "dpo", None, reasoning_field)
        quoted += recs
        if drop_quoted:
            recs = [r for r in recs if not _pair_quotes(r, reasoning_field)]
        if not recs:  # as write_split: a split without pairs leaves no earlier export's files behind
            remove_split_files(out, split)
            continue
        remove_split_files(out, split)  # files of an earlier export (shards, the kind not written now)
        if "parquet" in file_formats:
            write_parquet(recs, out / f"{split}.parquet")
            written.append(out / f"{split}.parquet")
        if "jsonl" in file_formats:
            write_jsonl(recs, out / f"{split}.jsonl")
            written.append(out / f"{split}.jsonl")
    return written, _quoted_pairs(quoted, reasoning_field)


def llama_factory_info(version: str, written: Sequence[Path], out: Path) -> dict[str, Any]:
    """LLaMA-Factory's dataset_info.json: `thinkmill_<version>` (train) and `thinkmill_<version>_validation`, each
    naming what was written for its split in `out`: the JSONL file when written, else the Parquet file, else the
    folder `<split>/` of its Parquet shards. Use them as `dataset:` and `eval_dataset:` in a LLaMA-Factory config
    with `dataset_dir:` the export folder."""
    names = {p.relative_to(out).as_posix() for p in written}
    info = {}
    for split in SPLITS:
        file = next((f"{split}.{ext}" for ext in ("jsonl", "parquet") if f"{split}.{ext}" in names), None)
        if file is None and any(n.startswith(f"{split}/") for n in names):
            file = split
        if file is None:
            continue
        info[f"thinkmill_{version}" + ("" if split == "train" else f"_{split}")] = {
            "file_name": file,
            "formatting": "sharegpt",
            "columns": {"messages": "conversations", "system": "system"},
            "tags": {
                "role_tag": "from",
                "content_tag": "value",
                "user_tag": "human",
                "assistant_tag": "gpt",
                "system_tag": "system",
            },
        }
    return info


def version_chat_format(store: Store, version: str, cfg: Any) -> ChatFormat:
    """The chat format of the model a version was generated with: publish.chat_format or publish.chat_model when
    set, else the model recorded on the version's generations (one format only), else generate.model."""
    if cfg.publish.chat_format != "auto":
        return cfg.publish.chat_format
    if cfg.publish.chat_model:
        return chat_format_for(cfg.publish.chat_model)
    get_version(store, version)  # raises VersionNotFoundError naming the version
    models = (
        store.query(
            "SELECT DISTINCT g.model FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
            "WHERE r.version_id = ? AND g.model IS NOT NULL ORDER BY 1",
            [version],
        )
        .get_column("model")
        .to_list()
    )
    if not models:
        return chat_format_for(cfg.generate.model)
    formats = {m: chat_format_for(m) for m in models}
    if len(set(formats.values())) > 1:
        raise DatasetError(
            f"version {version} was generated by models of different chat formats "
            f"({', '.join(f'{m}: {f}' for m, f in formats.items())}); set publish.chat_format"
        )
    return next(iter(formats.values()))


def write_training_template(store: Store, version: str, out: Path, cfg: Any) -> Path:
    """Write `<out>/chat_template.jinja`: the Hermes 4 training template for the version's model (the file name a
    tokenizer folder loads its template from)."""
    path = out / "chat_template.jinja"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(training_template(version_chat_format(store, version, cfg)), encoding="utf-8")
    return path


def _records_written(paths: Sequence[Path]) -> int:
    """Records in the written split files (Parquet when written, else JSONL)."""
    parquet = [p for p in paths if p.suffix == ".parquet"]
    if parquet:
        return sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in parquet)
    return sum(sum(1 for line in p.open(encoding="utf-8") if line.strip()) for p in paths if p.suffix == ".jsonl")


def run(
    store: Store,
    cfg: Any,
    *,
    version: str,
    fmt: Format,
    out: Path,
    file_formats: Sequence[str] = ("parquet", "jsonl"),
    reasoning_field: ReasoningField = "inline",
    template_out: Path | None = None,
    drop_quoted_think_close: bool = False,
) -> StageReport:
    """The export stage: write `version` in `fmt` (`export_version`), and the training chat template to
    `template_out` when given. In = the version's rows, out = records written (preference pairs for dpo)."""
    report = StageReport("export")
    notes: dict[str, Any] = {}
    with report.timed("export"):
        paths = export_version(
            store,
            version,
            fmt,
            out,
            cfg,
            file_formats,
            reasoning_field=reasoning_field,
            notes=notes,
            drop_quoted_think_close=drop_quoted_think_close,
        )
        if template_out is not None:
            paths.append(write_training_template(store, version, template_out, cfg))
    report.rows_in = store.count("dataset_rows", "version_id = ?", [version])
    report.rows_out = _records_written(paths)
    report.set(version=version, format=fmt, files=[str(p) for p in paths], **notes)
    report.summary = [str(p) for p in paths]
    if n := notes.get("quoted_think_close_rows"):
        what = ("pair" if fmt == "dpo" else "row") + ("s hold" if n > 1 else " holds")
        report.summary.append(
            f"warning: {n:,} {what} `</think>` in an assistant turn's content "
            f"beyond its think block (first: {', '.join(notes['quoted_think_close_examples'])}): templates that split "
            "content at `</think>` (Qwen3-style, e.g. TRL's qwen3.jinja) train them cut; render with the template "
            "--template-out writes, or leave them out with --drop-quoted-think-close (docs/dataset.md)"
        )
    if n := notes.get("quoted_think_close_dropped"):
        what = ("pair" if fmt == "dpo" else "row") + ("s" if n > 1 else "")
        report.summary.append(
            f"left out {n:,} {what} holding `</think>` in an assistant turn's content beyond its think block "
            f"(first: {', '.join(notes['quoted_think_close_examples'])}), as --drop-quoted-think-close asks"
        )
    return report
