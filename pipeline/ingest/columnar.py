"""The batched fast path of normalisation: flat rows of the common layouts, a whole read batch at a time.

Most raw rows are flat objects of text and numbers in one of the plain layouts (`{"problem", "answer", ...}`,
the task contract without choices or tests). For those, `normalize_flat` resolves the aliases once per row
*shape* (the keys, and which of them are null), pulls each field as a column and checks the prompts with
polars expressions, instead of running `normalize.normalize_record` row by row.

It only accepts: a row it cannot prove clean (a non-flat value, MCQ choices, code tests, chat messages,
metadata or verifier_args columns, a blank or over-long prompt, a replacement character, a possible template
token, a missing or boolean answer, an unknown verifier, a source with `mapping`, `defaults` or `answer_regex`,
...) goes back to the caller, which runs `normalize_record` on it: so every rejection keeps its reason and
detail, and an accepted row has exactly the fields `normalize_record` gives it (tests/ingest compare the two
paths on the same files).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import polars as pl

from pipeline.ingest.config import SourceConfig
from pipeline.ingest.normalize import ALIASES, DOMAIN_OF_VERIFIER, known_verifiers

_SCALARS = (str, int, float, bool, type(None))
# columns whose presence (even null) sends a row to the per-row path: they carry nested values or JSON text
_SLOW_KEYS = frozenset(k for f in ("choices", "tests", "messages", "verifier_args", "metadata") for k in ALIASES[f])
_FIELDS = ("prompt", "answer", "solution", "verifier", "domain", "id", "license")
_VERIFIERS_NEEDING_SHAPES = ("mcq", "code")  # need choices or tests: per-row path
# `store.to_json`, as one reusable encoder (json.dumps builds a new one per call with these options)
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
# Python's str.strip() also strips U+001C..U+001F, Rust's (polars') does not: such prompts take the per-row path
_PROMPT_SLOW = r"[\x1c-\x1f\x{fffd}]"


def fast_path_applies(source: SourceConfig) -> bool:
    """A source with a mapping, defaults or an answer regex is normalised row by row."""
    return not source.mapping and not source.defaults and source.answer_regex is None


def is_flat(record: dict[str, Any] | None) -> bool:
    """Only text, numbers, booleans and nulls, and no column that holds nested values by name."""
    if record is None or not _SLOW_KEYS.isdisjoint(record):
        return False
    return all(type(v) in _SCALARS for v in record.values())


def _text(v: Any) -> str | None:
    """`normalize._text` for the types a flat answer may have (bool already excluded)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    return repr(v) if t is float else None


class _Shape:
    """What alias resolution gives every row of one shape (same keys in the same order, same null keys)."""

    def __init__(self, keys: tuple[str, ...], nulls: tuple[bool, ...]) -> None:
        present = [k for k, null in zip(keys, nulls, strict=True) if not null]
        self.chosen: dict[str, str | None] = {f: next((a for a in ALIASES[f] if a in present), None) for f in _FIELDS}
        used = {a for a in self.chosen.values() if a is not None}
        self.leftover = tuple(k for k in keys if k not in used)


def normalize_flat(
    records: Sequence[dict[str, Any]],
    source: SourceConfig,
    *,
    max_prompt_chars: int,
    extra_verifiers: tuple[str, ...] = (),
    allow_template_tokens: bool = False,
) -> pl.DataFrame:
    """Normalise flat records (see `is_flat`) in bulk.

    Returns the accepted rows as a frame: `pos` (the record's index in `records`), then the task fields and
    `dedup_text` as `normalize_record` makes them (prompt hashes and hash ids are filled in per batch later).
    A record without a row here must be normalised one by one by the caller."""
    verifiers = {*known_verifiers(), *extra_verifiers}
    shapes: dict[tuple[tuple[str, ...], tuple[bool, ...]], _Shape] = {}
    cols: dict[str, list[Any]] = {c: [] for c in ("pos", "prompt", "answer", "verifier", "domain", "id", "license")}
    metadata: list[str] = []
    for i, rec in enumerate(records):
        sig = (tuple(rec), tuple(v is None for v in rec.values()))
        shape = shapes.get(sig)
        if shape is None:
            shape = shapes[sig] = _Shape(*sig)
        ch = shape.chosen
        prompt = rec[ch["prompt"]] if ch["prompt"] else None
        raw_answer = rec[ch["answer"]] if ch["answer"] else None
        answer = _text(raw_answer) if type(raw_answer) is not bool else None
        verifier = rec[ch["verifier"]] if ch["verifier"] else "math"
        domain = rec[ch["domain"]] if ch["domain"] else None
        task_id = rec[ch["id"]] if ch["id"] else None
        if (
            type(prompt) is not str
            or answer is None
            or not answer.strip()
            or type(verifier) is not str
            or verifier in _VERIFIERS_NEEDING_SHAPES
            or verifier not in verifiers
            or (domain is not None and (type(domain) is not str or not domain))
            or (task_id is not None and type(task_id) not in (str, int))
        ):
            continue
        lic = rec[ch["license"]] if ch["license"] else source.license
        meta = {k: rec[k] for k in shape.leftover if k != "metadata"}
        if ch["solution"]:
            sol = rec[ch["solution"]]
            meta.setdefault("solution", sol if type(sol) is str else _ENCODE(sol))
        cols["pos"].append(i)
        cols["prompt"].append(prompt)
        cols["answer"].append(answer)
        cols["verifier"].append(verifier)
        cols["domain"].append(domain or DOMAIN_OF_VERIFIER.get(verifier, "general"))
        cols["id"].append(None if task_id is None or str(task_id) == "" else f"{source.name}/{task_id}")
        cols["license"].append(str(lic) if lic is not None else None)
        metadata.append(_ENCODE(meta) if meta else "{}")
    frame = pl.DataFrame(
        {
            "pos": pl.Series(cols["pos"], dtype=pl.Int64),
            "task_id": pl.Series(cols["id"], dtype=pl.String),
            "domain": pl.Series(cols["domain"], dtype=pl.String),
            "prompt": pl.Series(cols["prompt"], dtype=pl.String),
            "answer": pl.Series(cols["answer"], dtype=pl.String),
            "verifier": pl.Series(cols["verifier"], dtype=pl.String),
            "license": pl.Series(cols["license"], dtype=pl.String),
            "metadata": pl.Series(metadata, dtype=pl.String),
        }
    )
    prompt = pl.col("prompt")
    bad = (
        prompt.str.contains(_PROMPT_SLOW)
        | (prompt.str.strip_chars().str.len_bytes() == 0)
        | (prompt.str.len_chars() > max_prompt_chars)
    )
    if not allow_template_tokens:
        bad = bad | prompt.str.contains("<|", literal=True)
    frame = frame.with_columns(bad.alias("_bad"))
    frame = frame.filter(~pl.col("_bad")).with_columns(
        pl.lit(source.name, dtype=pl.String).alias("source"),
        pl.lit("{}", dtype=pl.String).alias("verifier_args"),
        pl.col("prompt").alias("dedup_text"),
    )
    return frame.drop("_bad")
