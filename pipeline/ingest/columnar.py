"""The batched fast path of normalisation: the common layouts, a whole read batch at a time.

Most raw rows are objects of text and numbers in one of the plain layouts (`{"problem", "answer", ...}`, the
task contract without nested values), MCQ rows (`{"question", "choices": [texts] | {letter: text} | {label, text},
"answer"}`) or code rows (`{"prompt", "tests": [asserts]}`). For those, `normalize_bulk` resolves the aliases once
per row *shape* (the keys and the type of each value), parses each distinct set of choices or tests once, pulls
each field as a column and checks the prompts with polars expressions, instead of running
`normalize.normalize_record` row by row.

It only accepts: a row it cannot prove clean (another nested value, chat messages, metadata or verifier_args
columns, choices or tests that are not texts or that `choices.parse_choices` refuses, an answer that does not name
one choice, a blank or over-long prompt, a replacement character, a possible template token, a missing or boolean
answer, an unknown verifier, a source with `mapping`, `defaults` or `answer_regex`, ...) goes back to the caller,
which runs `normalize_record` on it: so every rejection keeps its reason and detail, and an accepted row has exactly
the fields `normalize_record` gives it (tests/ingest/test_ingest_columnar.py and test_ingest_stage_equivalence.py
compare the two paths on the same files).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # the string encoder of json.dumps(ensure_ascii=False)
from typing import Any

import polars as pl

from pipeline.ingest.choices import ChoiceError, parse_choices, resolve_answer, with_options
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.normalize import ALIASES, DOMAIN_OF_VERIFIER, known_verifiers, last_boxed

_SCALARS = frozenset((str, int, float, bool, type(None)))
_NONE = type(None)
# columns whose presence (even null) sends a row to the per-row path: they carry nested values or JSON text
_SLOW_KEYS = frozenset(k for f in ("messages", "verifier_args", "metadata") for k in ALIASES[f])
_FIELDS = ("prompt", "answer", "solution", "verifier", "domain", "id", "license", "choices", "tests")
_VERIFIERS_NEEDING_SHAPES = ("mcq", "code")  # need choices or tests
# `store.to_json`, as one reusable encoder (json.dumps builds a new one per call with these options)
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
# Python's str.strip() also strips U+001C..U+001F, Rust's (polars') does not: such prompts take the per-row path
_PROMPT_SLOW = r"[\x1c-\x1f\x{fffd}]"
PLAIN, MCQ, CODE = "plain", "mcq", "code"


def fast_path_applies(source: SourceConfig) -> bool:
    """A source with a mapping, defaults or an answer regex is normalised row by row."""
    return not source.mapping and not source.defaults and source.answer_regex is None


def _text(v: Any) -> str | None:
    """`normalize._text` for the types a fast-path answer may have (bool already excluded)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    return repr(v) if t is float else None


class _Shape:
    """What alias resolution gives every row of one shape (same keys in the same order, same value types).

    `kind` is None when no row of the shape can take the fast path (a nested value outside the choices or tests
    column, a prompt that is not text, a boolean answer, ...)."""

    def __init__(self, keys: tuple[str, ...], types: tuple[type, ...]) -> None:
        present = [k for k, t in zip(keys, types, strict=True) if t is not _NONE]
        self.chosen: dict[str, str | None] = {f: next((a for a in ALIASES[f] if a in present), None) for f in _FIELDS}
        used = {a for a in self.chosen.values() if a is not None}
        self.leftover = tuple(k for k in keys if k not in used)
        self.kind = self._kind(dict(zip(keys, types, strict=True)))
        # `metadata` as `normalize_record` builds it (the unused columns, then `solution` unless one is among
        # them), as `store.to_json` spells it: keys sorted, each with its JSON prefix
        meta_keys = [k for k in self.leftover if k != "metadata"]
        self.solution_in_meta = self.chosen["solution"] is not None and "solution" not in meta_keys
        if self.solution_in_meta:
            meta_keys.append("solution")
        self.meta = [(encode_basestring(k) + ":", k) for k in sorted(meta_keys)]

    def _kind(self, types: dict[str, type]) -> str | None:
        ch = self.chosen
        nested = {ch["choices"], ch["tests"]}
        if not _SLOW_KEYS.isdisjoint(types) or any(t not in _SCALARS for k, t in types.items() if k not in nested):
            return None
        if ch["prompt"] is None or types[ch["prompt"]] is not str:
            return None
        if ch["answer"] is not None and types[ch["answer"]] not in (str, int, float):
            return None
        if ch["id"] is not None and types[ch["id"]] not in (str, int):
            return None
        for f in ("verifier", "domain"):
            if ch[f] is not None and types[ch[f]] is not str:
                return None
        if ch["choices"] is not None:
            return MCQ if ch["tests"] is None and types[ch["choices"]] in (list, dict) else None
        if ch["tests"] is not None:
            return CODE if types[ch["tests"]] is list else None
        return PLAIN


def _scalar_json(v: Any) -> str:
    """`store.to_json` of one scalar (json.dumps' own spellings; floats through json itself)."""
    t = type(v)
    if t is str:
        return encode_basestring(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    return _ENCODE(v)


def _metadata(shape: _Shape, rec: dict[str, Any]) -> str:
    if not shape.meta:
        return "{}"
    parts = []
    for prefix, k in shape.meta:
        if k == "solution" and shape.solution_in_meta:
            sol = rec[shape.chosen["solution"]]  # type: ignore[index]
            parts.append(prefix + encode_basestring(sol if type(sol) is str else _ENCODE(sol)))
        else:
            parts.append(prefix + _scalar_json(rec[k]))
    return "{" + ",".join(parts) + "}"


class _Choices:
    """One distinct set of MCQ choices, parsed once: what `normalize_record` derives from it for every row."""

    def __init__(self, options: dict[str, str]) -> None:
        self.options = options
        self.block = "\n\n" + "\n".join(f"{k}. {v}" for k, v in options.items())  # `choices.question_of`'s suffix
        # `normalize.prompt_key`: the question, then the options sorted by letter
        self.key_tail = "\n" + "\n".join(f"{k}. {v}" for k, v in sorted(options.items()))
        self.token_like = "<|" in self.key_tail
        self.verifier_args = _ENCODE({"choices": options})
        self.letters: dict[tuple[type, Any], str | None] = {}

    def letter(self, answer: Any, parsed: Any) -> str | None:
        got = self.letters.get((type(answer), answer), "")
        if got == "":
            try:
                got = resolve_answer(answer, parsed)
            except ChoiceError:
                got = None
            self.letters[(type(answer), answer)] = got
        return got


def _all_text(values: Any) -> bool:
    return all(type(v) is str for v in values)


def _choices_key(value: Any) -> tuple[Any, ...] | None:
    """A hashable key for choices that are texts only (numbers compare equal across types: 1 == 1.0 == True,
    0.0 == -0.0, so they never key the cache); None: per-row path."""
    if type(value) is list:
        return ("list", *value) if _all_text(value) else None
    if set(value) == {"label", "text"} and type(value["label"]) is list and type(value["text"]) is list:
        labels, texts = value["label"], value["text"]
        if _all_text(labels) and _all_text(texts):
            return ("arc", len(labels), *labels, *texts)
        return None
    return ("dict", *value.items()) if _all_text(value.values()) else None


def normalize_bulk(
    records: Sequence[dict[str, Any] | None],
    source: SourceConfig,
    *,
    max_prompt_chars: int,
    extra_verifiers: tuple[str, ...] = (),
    allow_template_tokens: bool = False,
) -> pl.DataFrame:
    """Normalise the records of the plain, MCQ and code layouts in bulk (None entries are skipped).

    Returns the accepted rows as a frame: `pos` (the record's index in `records`), then the task fields and
    `dedup_text` as `normalize_record` makes them (prompt hashes and hash ids are filled in per batch later).
    A record without a row here must be normalised one by one by the caller."""
    verifiers = {*known_verifiers(), *extra_verifiers}
    shapes: dict[tuple[tuple[str, ...], tuple[type, ...]], _Shape] = {}
    choice_sets: dict[tuple[Any, ...], tuple[_Choices, Any] | None] = {}
    test_sets: dict[tuple[str, ...], str | None] = {}
    names = ("pos", "prompt", "answer", "verifier", "domain", "id", "license", "verifier_args", "check", "dedup")
    cols: dict[str, list[Any]] = {c: [] for c in names}
    metadata: list[str] = []
    for i, rec in enumerate(records):
        if rec is None:
            continue
        sig = (tuple(rec), tuple(map(type, rec.values())))
        shape = shapes.get(sig)
        if shape is None:
            shape = shapes[sig] = _Shape(*sig)
        kind = shape.kind
        if kind is None:
            continue
        ch = shape.chosen
        prompt = rec[ch["prompt"]]
        raw_answer = rec[ch["answer"]] if ch["answer"] else None
        verifier = rec[ch["verifier"]] if ch["verifier"] else None
        domain = rec[ch["domain"]] if ch["domain"] else None
        if domain is not None and not domain:
            continue
        shown = dedup = prompt
        if kind is PLAIN:
            answer = _text(raw_answer)
            if answer is None or not answer.strip():
                continue
            verifier = verifier if verifier is not None else "math"
            if verifier in _VERIFIERS_NEEDING_SHAPES or verifier not in verifiers:
                continue
            vargs = "{}"
            domain = domain or DOMAIN_OF_VERIFIER.get(verifier, "general")
        elif kind is MCQ:
            if (verifier is not None and verifier != "mcq") or raw_answer is None or "mcq" not in verifiers:
                continue
            key = _choices_key(rec[ch["choices"]])
            if key is None:
                continue
            if key in choice_sets:
                entry = choice_sets[key]
            else:
                try:
                    parsed = parse_choices(rec[ch["choices"]])
                    entry = choice_sets[key] = (_Choices(parsed.options), parsed)
                except ChoiceError:
                    entry = choice_sets[key] = None
            if entry is None:
                continue
            choices, parsed = entry
            answer = choices.letter(raw_answer, parsed)
            if answer is None or (choices.token_like and not allow_template_tokens):
                continue
            # `normalize.prompt_key` (`choices.question_of` of the source's prompt, then the options) and the
            # prompt with its options block (`choices.with_options`)
            block = choices.block
            dedup = (prompt[: -len(block)] if prompt.endswith(block) else prompt) + choices.key_tail
            shown = with_options(prompt, choices.options)
            if len(shown) > max_prompt_chars:
                continue
            verifier, vargs = "mcq", choices.verifier_args
            domain = domain or "science_mcq"
        else:
            if (verifier is not None and verifier != "code") or "code" not in verifiers:
                continue
            tests = rec[ch["tests"]]
            try:
                tkey = tuple(tests)
                vargs = test_sets.get(tkey, "")
            except TypeError:
                continue
            if vargs == "":
                joined = "\n".join(tests) if tests and _all_text(tests) else None
                vargs = test_sets[tkey] = _ENCODE({"tests": joined}) if joined and joined.strip() else None
            if vargs is None:
                continue
            answer = raw_answer
            if type(answer) is str and not answer.strip():
                answer = None
            if answer is None and ch["solution"] and type(rec[ch["solution"]]) is str:
                answer = last_boxed(rec[ch["solution"]])
            answer = _text(answer) if answer is not None else None
            if answer is not None and not answer.strip():
                answer = None
            verifier = "code"
            domain = domain or "code"
        task_id = rec[ch["id"]] if ch["id"] else None
        lic = rec[ch["license"]] if ch["license"] else source.license
        cols["pos"].append(i)
        cols["prompt"].append(shown)
        cols["check"].append(prompt)
        cols["dedup"].append(dedup)
        cols["answer"].append(answer)
        cols["verifier"].append(verifier)
        cols["verifier_args"].append(vargs)
        cols["domain"].append(domain)
        cols["id"].append(None if task_id is None or str(task_id) == "" else f"{source.name}/{task_id}")
        cols["license"].append(str(lic) if lic is not None else None)
        metadata.append(_metadata(shape, rec))
    frame = pl.DataFrame(
        {
            "pos": pl.Series(cols["pos"], dtype=pl.Int64),
            "task_id": pl.Series(cols["id"], dtype=pl.String),
            "domain": pl.Series(cols["domain"], dtype=pl.String),
            "prompt": pl.Series(cols["prompt"], dtype=pl.String),
            "answer": pl.Series(cols["answer"], dtype=pl.String),
            "verifier": pl.Series(cols["verifier"], dtype=pl.String),
            "verifier_args": pl.Series(cols["verifier_args"], dtype=pl.String),
            "license": pl.Series(cols["license"], dtype=pl.String),
            "metadata": pl.Series(metadata, dtype=pl.String),
            "dedup_text": pl.Series(cols["dedup"], dtype=pl.String),
            "_check": pl.Series(cols["check"], dtype=pl.String),
        }
    )
    # the source's own prompt: what `normalize_record` checks before it adds any options block
    check = pl.col("_check")
    bad = (
        check.str.contains(_PROMPT_SLOW)
        | (check.str.strip_chars().str.len_bytes() == 0)
        | (check.str.len_chars() > max_prompt_chars)
    )
    if not allow_template_tokens:
        bad = bad | check.str.contains("<|", literal=True)
    return frame.filter(~bad).drop("_check").with_columns(pl.lit(source.name, dtype=pl.String).alias("source"))
