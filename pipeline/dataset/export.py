"""Write a version for fine-tuning recipes: `messages` (TRL, Axolotl), `sharegpt` (LLaMA-Factory), `text`
(rendered with the Hermes 4 chat format of the configured model) or `dpo` (preference pairs in TRL's format, see
pipeline/dataset/preference.py), each as Parquet and JSONL per split.

`reasoning_field` (messages and dpo) puts a think row's think text in `reasoning_content` or `thinking` of the
assistant message and the answer alone in `content`; the default, inline, is Hermes 4's own output shape."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import polars as pl

from pipeline.dataset.chat_format import ChatFormat, chat_format_for, make_renderer, training_template
from pipeline.dataset.errors import DatasetError
from pipeline.dataset.messages import (
    REASONING_FIELDS,
    STANDARD_SYSTEM_PROMPT,
    ReasoningField,
    with_reasoning_field,
)
from pipeline.dataset.preference import PAIR_META, preference_pairs
from pipeline.dataset.versions import rows_to_records, version_rows
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
_META = ("example_id", "mode", "domain", "task_id", "generation_key", "source", "license", "think_tokens",
         "answer_tokens")


def messages_features(reasoning_field: ReasoningField = "inline") -> Any:
    import datasets

    v = datasets.Value
    message = {"role": v("string"), "content": v("string")}
    if reasoning_field != "inline":
        message[reasoning_field] = v("string")
    return datasets.Features({
        "example_id": v("string"), "mode": v("string"),
        "messages": datasets.List(message),
        "domain": v("string"), "task_id": v("string"), "generation_key": v("string"), "source": v("string"),
        "license": v("string"), "think_tokens": v("int64"), "answer_tokens": v("int64"),
    })


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
    return {"text": render(with_system_prompt(record["messages"])), **{k: record[k] for k in _META}}


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

    return {"prompt": norm(pair["prompt"]), "chosen": norm(chosen), "rejected": norm(rejected),
            **{k: pair[k] for k in PAIR_META}}


def format_records(records: list[dict[str, Any]], fmt: Format,
                   render: Callable[[Sequence[dict[str, str]]], str] | None = None,
                   reasoning_field: ReasoningField = "inline") -> list[dict[str, Any]]:
    if reasoning_field not in REASONING_FIELDS:
        raise DatasetError(f"unknown reasoning field {reasoning_field!r}; expected one of "
                           f"{', '.join(REASONING_FIELDS)}")
    if reasoning_field != "inline" and fmt not in ("messages", "dpo"):
        raise DatasetError(f"--reasoning-field {reasoning_field} applies to the messages and dpo formats, not {fmt} "
                           f"(ShareGPT and text keep the think block inline)")
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


def renderer_for(cfg: Any) -> Callable[[Sequence[dict[str, str]]], str]:
    """The `text` renderer of a ThinkmillConfig (publish.chat_model, else generate.model). The text ends right
    after the assistant's answer: the trainer appends the EOS (TRL's SFTTrainer does for every `text` row)."""
    model = cfg.publish.chat_model or cfg.generate.model
    tok = str(cfg.resolve(cfg.publish.tokenizer_path)) if cfg.publish.tokenizer_path else None
    return make_renderer(model, cfg.publish.chat_format, tok, final_eos=False)


def export_version(store: Store, version: str, fmt: Format, out: Path, cfg: Any,
                   file_formats: Sequence[str] = ("parquet", "jsonl"),
                   reasoning_field: ReasoningField = "inline") -> list[Path]:
    """Write `<out>/<split>.parquet` and `<split>.jsonl` for each non-empty split. Returns the files written."""
    if fmt not in FORMATS:
        raise DatasetError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    render = renderer_for(cfg) if fmt == "text" else None
    rows = version_rows(store, version)
    pairs = []
    if fmt == "dpo":
        found = preference_pairs(store, version)
        if not found.pairs:
            skipped = ", ".join(f"{k} {n}" for k, n in sorted(found.skipped.items())) or "none"
            raise DatasetError(f"version {version} gives no preference pairs: none of its tasks has a usable failing "
                               f"generation in the mode of its rows (failing generations left out: {skipped})")
        pairs = found.pairs
    written: list[Path] = []
    for split in SPLITS:
        if fmt == "dpo":
            inputs = [p for p in pairs if p["split"] == split]
        else:
            inputs = rows_to_records(rows.filter(pl.col("split") == split))
        recs = format_records(inputs, fmt, render, reasoning_field)
        if not recs:
            continue
        if "parquet" in file_formats:
            write_parquet(recs, out / f"{split}.parquet")
            written.append(out / f"{split}.parquet")
        if "jsonl" in file_formats:
            write_jsonl(recs, out / f"{split}.jsonl")
            written.append(out / f"{split}.jsonl")
    if fmt == "sharegpt":
        path = out / "dataset_info.json"
        path.write_text(json.dumps(llama_factory_info(version, written), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def llama_factory_info(version: str, written: Sequence[Path]) -> dict[str, Any]:
    """LLaMA-Factory's dataset_info.json: `thinkmill_<version>` (train) and `thinkmill_<version>_validation`, each
    naming the file written for its split (JSONL when written, else Parquet). Use them as `dataset:` and
    `eval_dataset:` in a LLaMA-Factory config with `dataset_dir:` the export folder."""
    names = {p.name for p in written}
    info = {}
    for split in SPLITS:
        file = next((f"{split}.{ext}" for ext in ("jsonl", "parquet") if f"{split}.{ext}" in names), None)
        if file is None:
            continue
        info[f"thinkmill_{version}" + ("" if split == "train" else f"_{split}")] = {
            "file_name": file, "formatting": "sharegpt",
            "columns": {"messages": "conversations", "system": "system"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt",
                     "system_tag": "system"}}
    return info


def version_chat_format(store: Store, version: str, cfg: Any) -> ChatFormat:
    """The chat format of the model a version was generated with: publish.chat_format or publish.chat_model when
    set, else the model recorded on the version's generations (one format only), else generate.model."""
    if cfg.publish.chat_format != "auto":
        return cfg.publish.chat_format
    if cfg.publish.chat_model:
        return chat_format_for(cfg.publish.chat_model)
    version_rows(store, version)  # raises VersionNotFoundError naming the version
    models = store.query(
        "SELECT DISTINCT g.model FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
        "WHERE r.version_id = ? AND g.model IS NOT NULL ORDER BY 1", [version]).get_column("model").to_list()
    if not models:
        return chat_format_for(cfg.generate.model)
    formats = {m: chat_format_for(m) for m in models}
    if len(set(formats.values())) > 1:
        raise DatasetError(f"version {version} was generated by models of different chat formats "
                           f"({', '.join(f'{m}: {f}' for m, f in formats.items())}); set publish.chat_format")
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


def run(store: Store, cfg: Any, *, version: str, fmt: Format, out: Path,
        file_formats: Sequence[str] = ("parquet", "jsonl"), reasoning_field: ReasoningField = "inline",
        template_out: Path | None = None) -> StageReport:
    """The export stage: write `version` in `fmt` (`export_version`), and the training chat template to
    `template_out` when given. In = the version's rows, out = records written (preference pairs for dpo)."""
    report = StageReport("export")
    with report.timed("export"):
        paths = export_version(store, version, fmt, out, cfg, file_formats, reasoning_field=reasoning_field)
        if template_out is not None:
            paths.append(write_training_template(store, version, template_out, cfg))
    report.rows_in = store.count("dataset_rows", "version_id = ?", [version])
    report.rows_out = _records_written(paths)
    report.set(version=version, format=fmt, files=[str(p) for p in paths])
    report.summary = [str(p) for p in paths]
    return report
