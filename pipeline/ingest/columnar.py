"""The batched fast path of normalisation: the common layouts, a whole read batch at a time.

Most raw rows are objects of text and numbers in one of the plain layouts (`{"problem", "answer", ...}`, the
task contract without nested values), MCQ rows (`{"question", "choices": [texts] | {letter: text} | {label, text},
"answer"}`) or code rows (`{"prompt", "tests": [asserts]}`). For those, `normalize_bulk` resolves the aliases once
per row *shape* (the keys and the type of each value), parses each distinct set of choices or tests once, pulls
each field as a column and checks the prompts with polars expressions, instead of running
`normalize.normalize_record` row by row.

It only accepts: a row it cannot prove clean (another nested value, chat messages, metadata, verifier_args or
IFEval constraint columns, choices or tests that are not texts or that `choices.parse_choices` refuses, an answer
that does not name one choice, a blank or over-long prompt, a replacement character, a possible template token, a
missing or boolean answer, an unknown verifier or one that checks its arguments at ingest
(`registry.args_problem`), a source with `mapping`, `defaults` or `answer_regex`, ...) goes back to the caller,
which runs `normalize_record` on it: so every rejection keeps its reason and detail, and an accepted row has exactly
the fields `normalize_record` gives it (tests/ingest/test_ingest_columnar.py and test_ingest_stage_equivalence.py
compare the two paths on the same files).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from itertools import compress
from json.encoder import encode_basestring  # the string encoder of json.dumps(ensure_ascii=False)
from typing import Any

import polars as pl

from pipeline.domains import DOMAIN_OF_VERIFIER
from pipeline.ingest.choices import (
    MAY_LIST_NUMBERED_POLARS,
    MAY_LIST_OPTIONS_POLARS,
    OPTION_CHARS,
    SEVERAL_OPTIONS,
    ChoiceError,
    IndexSeen,
    parse_choices,
    resolve_answer,
    shows_options_as_written,
    typed_multi_select,
)
from pipeline.ingest.code_tests import Script, TestsProblem, names_in, script_summary
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.media import PLACEHOLDER, is_media_column
from pipeline.ingest.normalize import (
    ALIASES,
    ANNOUNCES_DATA_POLARS,
    BOOLEAN_TEXTS,
    CHOICE_COLUMN,
    CONTEXT_COLUMNS,
    CONTEXT_NAMES,
    DECISION_ANSWERS,
    ENDING_CHARS,
    ENDING_POLARS,
    FREE_FORM_CHARS,
    HOLDS_DATA_POLARS,
    LABEL_ANSWERS,
    MISSING_ANSWERS,
    NUMBERS_ANSWER,
    OTHER_PROBLEM_POLARS,
    PLACEHOLDER_ANSWERS,
    PROMPT_FORMAT_POLARS,
    PROMPT_SWITCH_POLARS,
    REFERS_TO_FIGURE,
    REFERS_TO_TABLE,
    REFERS_TO_TEXT,
    STATES_ITS_VALUE,
    TOOLS_COLUMNS,
    answers_read_one_way,
    correct_incorrect_columns,
    float_answer_held,
    is_blank,
    known_verifiers,
    names_an_option,
    option_columns,
    quoted_list_text,
    solution_answer,
)
from pipeline.verify.registry import probed_verifiers

_SCALARS = frozenset((str, int, float, bool, type(None)))
_NONE = type(None)
# columns whose presence (even null) sends a row to the per-row path: they carry nested values or JSON text, or
# text the per-row path adds to the prompt (CONTEXT_COLUMNS: Alpaca's `input`, Dolly's `context`)
_SLOW_FIELDS = (
    "messages",
    "system",
    "verifier_args",
    "metadata",
    "instruction_id_list",
    "entry_point",
    "starter_code",
    "fn_name",
    "aliases",
)
_SLOW_KEYS = frozenset(k for f in (*_SLOW_FIELDS, "test_setup") for k in ALIASES[f]) | set(CONTEXT_COLUMNS)
# a column named like an alias or a context column in another case (`Question`, `Input`): the per-row path reads it
_EXACT_NAMES = frozenset(a for names in ALIASES.values() for a in names) | set(CONTEXT_COLUMNS)
_CASED_NAMES = frozenset(n.lower() for n in _EXACT_NAMES)
_FIELDS = ("prompt", "answer", "solution", "verifier", "domain", "id", "license", "choices", "tests")
_VERIFIERS_NEEDING_SHAPES = ("mcq", "code")  # need choices or tests
# `store.to_json`, as one reusable encoder (json.dumps builds a new one per call with these options)
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
# Python's str.strip() also strips U+001C..U+001F, Rust's (polars') does not: such prompts take the per-row path; so
# do those holding a control character (`normalize.CONTROL_CHARACTERS`) or U+FFFD, which the per-row path reports
_PROMPT_SLOW = r"[\x00-\x08\x0e-\x1f\x7f\x{fffd}]"
_PLACEHOLDER = f"(?i){PLACEHOLDER.pattern}"  # `pipeline.ingest.media.PLACEHOLDER`, for polars' regex


def regex_union(patterns: Sequence[str]) -> str:
    """One regex that matches where any of `patterns` (Rust regex syntax) does: each is a group of its own, and a
    leading `(?i)` / `(?s)` flag applies to its group only. Rows are scanned once instead of once per pattern (the
    engine's cost is per byte scanned: a 240-character prompt took ~0.33 us per pattern, nearly the same for the
    union of eight)."""
    groups = []
    for p in patterns:
        flags = re.match(r"\(\?([a-zA-Z]+)\)", p)
        groups.append(f"(?{flags.group(1)}:{p[flags.end() :]})" if flags else f"(?:{p})")
    return "|".join(groups)


# Whatever sends a row of the bulk layouts to the per-row path (`normalize_record` decides), in one scan:
_PER_ROW_PATTERNS = (
    _PROMPT_SLOW,  # separators and replacement characters: the per-row path reports them
    PROMPT_SWITCH_POLARS,  # another model's think switch (`/no_think`)
    PROMPT_FORMAT_POLARS,  # R1-Zero's think-format instruction
    "(?i)" + SEVERAL_OPTIONS,  # a select-all MCQ (a set of letters)
    _PLACEHOLDER,  # `<image>`: the per-row path decides (`ingest.allow_media`)
    REFERS_TO_TEXT,  # "according to the passage": the per-row path looks for a left-out text (`needs_context`)
    REFERS_TO_FIGURE,  # "in the figure": the per-row path decides (`needs_image`)
    REFERS_TO_TABLE,  # "according to the table": the per-row path decides (`needs_context`)
    OTHER_PROBLEM_POLARS,  # "from part (a)", "previous question": the per-row path decides (`needs_context`)
)
_PER_ROW_TEMPLATE_OK = regex_union(_PER_ROW_PATTERNS)
_PER_ROW = regex_union((*_PER_ROW_PATTERNS, r"<\|"))  # a chat template's token (`<|im_start|>`), unless allowed
PLAIN, MCQ, CODE = "plain", "mcq", "code"


def fast_path_applies(source: SourceConfig) -> bool:
    """A source with a mapping, defaults or an answer regex is normalised row by row."""
    return (
        not source.mapping
        and not source.defaults
        and source.answer_regex is None
        and source.answer_index_base is None  # a base given also counts numbered options (`1. 5`) from it
        and source.integer_answer is None
        and not source.shuffle_choices
    )


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
        self.types = dict(zip(keys, types, strict=True))
        self.kind = self._kind(self.types)
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
        if any(is_media_column(k) for k in types):  # a path to an image, ...: the per-row path decides
            return None
        if any(k in ALIASES["choices"] and t is _NONE for k, t in types.items()):  # an empty options cell: per row
            return None
        if any(k.lower() in CONTEXT_NAMES for k in types):  # `Body`, `premise`: the per-row path decides
            return None
        if any(k.lower() in TOOLS_COLUMNS for k in types):  # a function-calling row (`tools`): the per-row path
            return None
        if any(k not in _EXACT_NAMES and k.lower() in _CASED_NAMES for k in types):
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
        if ch["choices"] is None and (
            option_columns(types) is not None
            or correct_incorrect_columns(types) is not None
            or ch["answer"] in LABEL_ANSWERS
            or ch["answer"] in DECISION_ANSWERS
            or any(k.lower() == CHOICE_COLUMN for k in types)
        ):
            # one column per option (Social IQa, GPQA), a class label without options, PubMedQA's decision, DREAM's
            # `choice` list (a CSV's text; `normalize.choice_list`): per row
            return None
        if ch["choices"] is not None:
            return MCQ if ch["tests"] is None and types[ch["choices"]] in (list, dict) else None
        if ch["tests"] is not None:
            return CODE if types[ch["tests"]] is list else None
        return PLAIN


def _json_column(values: list[Any], t: type) -> list[str] | Iterator[str]:
    """`store.to_json` of each value of one type (json.dumps' own spellings; floats through json itself)."""
    if t is str:
        return map(encode_basestring, values)
    if t is int:
        return map(int.__repr__, values)
    if t is _NONE:
        return ["null"] * len(values)
    if t is bool:
        return ["true" if v else "false" for v in values]
    return map(_ENCODE, values)


def _metadata_column(shape: _Shape, recs: list[dict[str, Any]]) -> list[str]:
    """`metadata` of every row of one shape, as `normalize_record` builds it and `store.to_json` spells it."""
    if not shape.meta:
        return ["{}"] * len(recs)
    cols = []
    for prefix, k in shape.meta:
        if k == "solution" and shape.solution_in_meta:
            sk = shape.chosen["solution"]
            vals = [r[sk] for r in recs]  # type: ignore[index]
            enc = map(encode_basestring, vals if shape.types[sk] is str else map(_ENCODE, vals))  # type: ignore[index]
        else:
            enc = _json_column([r[k] for r in recs], shape.types[k])
        cols.append([prefix + e for e in enc])
    return ["{" + ",".join(parts) + "}" for parts in zip(*cols, strict=True)]


def _column(recs: list[dict[str, Any]], key: str | None) -> list[Any]:
    return [r[key] for r in recs] if key is not None else [None] * len(recs)


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

    def letter(self, answer: Any, parsed: Any, seen: IndexSeen | None) -> str | None:
        got = self.letters.get((type(answer), answer), "")
        if got == "":
            probe = IndexSeen()
            try:
                got = resolve_answer(answer, parsed, None, probe, float_text=True)
            except ChoiceError:
                got = None  # the row takes the per-row path, which quarantines it (and counts it in `seen`)
            if seen is not None and got is not None:
                seen.merge(probe)
            self.letters[(type(answer), answer)] = got
        return got


_TEXT_ONLY = {str}


def _all_text(values: Any) -> bool:
    return set(map(type, values)) == _TEXT_ONLY


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
    index_seen: IndexSeen | None = None,
) -> pl.DataFrame:
    """Normalise the records of the plain, MCQ and code layouts in bulk (None entries are skipped).

    Returns the accepted rows as a frame: `pos` (the record's index in `records`), then the task fields and
    `dedup_text` as `normalize_record` makes them (prompt hashes and hash ids are filled in per batch later).
    A record without a row here must be normalised one by one by the caller.

    Rows are grouped by shape first; a plain shape's fields are then taken column by column (the types of a shape
    are fixed, so each column has one conversion), MCQ and code rows one by one with their choices and tests
    parsed once per distinct value."""
    verifiers = {*known_verifiers(), *extra_verifiers}
    groups: dict[tuple[tuple[str, ...], tuple[type, ...]], list[int]] = {}
    for i, rec in enumerate(records):
        if rec is not None:
            sig = (tuple(rec), tuple(map(type, rec.values())))
            group = groups.get(sig)
            if group is None:
                groups[sig] = [i]
            else:
                group.append(i)
    names = ("pos", "prompt", "check", "dedup", "answer", "verifier", "verifier_args", "domain", "id", "license")
    out: dict[str, list[Any]] = {c: [] for c in (*names, "metadata")}
    state = _BulkState(verifiers, max_prompt_chars, allow_template_tokens, index_seen, source)
    for sig, idx in groups.items():
        shape = _Shape(*sig)
        if shape.kind is None:
            continue
        recs = [records[i] for i in idx]  # type: ignore[misc]
        got = (_plain if shape.kind is PLAIN else _mcq if shape.kind is MCQ else _code)(shape, recs, state)
        if got is None:
            continue
        keep, cols = got
        ch = shape.chosen
        cols["pos"] = idx
        if "prompt" not in cols:  # the stored prompt, its dedup text and the checked text are one
            cols["prompt"] = [r[ch["prompt"]] for r in recs]  # type: ignore[index]
            cols["check"] = cols["dedup"] = [None] * len(recs)  # filled from `prompt` in polars
        ids = _column(recs, ch["id"])
        if ch["id"] is None:
            cols["id"] = ids
        else:
            prefix = f"{source.name}/"
            cols["id"] = (
                [None if v == "" else prefix + v for v in ids]
                if shape.types[ch["id"]] is str
                else [prefix + str(v) for v in ids]
            )
        if ch["license"] is None:
            cols["license"] = [str(source.license) if source.license is not None else None] * len(recs)
        else:
            cols["license"] = list(map(str, _column(recs, ch["license"])))
        cols["metadata"] = _metadata_column(shape, recs)
        for c, values in cols.items():
            if len(values) != len(recs):
                raise AssertionError(f"bulk column {c}: {len(values)} values for {len(recs)} rows")
            out[c].extend(values if keep is None else compress(values, keep))
    frame = pl.DataFrame(
        {
            "pos": pl.Series(out["pos"], dtype=pl.Int64),
            "task_id": pl.Series(out["id"], dtype=pl.String),
            "domain": pl.Series(out["domain"], dtype=pl.String),
            "prompt": pl.Series(out["prompt"], dtype=pl.String),
            "answer": pl.Series(out["answer"], dtype=pl.String),
            "verifier": pl.Series(out["verifier"], dtype=pl.String),
            "verifier_args": pl.Series(out["verifier_args"], dtype=pl.String),
            "license": pl.Series(out["license"], dtype=pl.String),
            "metadata": pl.Series(out["metadata"], dtype=pl.String),
            "system": pl.Series([None] * len(out["pos"]), dtype=pl.String),  # rows with one take the per-row path
            "dedup_text": pl.Series(out["dedup"], dtype=pl.String),
            "_check": pl.Series(out["check"], dtype=pl.String),
        }
    ).with_columns(pl.coalesce("dedup_text", "prompt"), pl.coalesce("_check", "prompt"))
    # the source's own prompt: what `normalize_record` checks before it adds any options block
    check = pl.col("_check")
    bad = (
        check.str.contains(_PER_ROW_TEMPLATE_OK if allow_template_tokens else _PER_ROW)
        | ~check.str.contains(r"\S")  # blank (`strip_chars` and `\s` both mean Unicode White_Space)
        | (check.str.len_chars() > max_prompt_chars)
    )
    # a plain row whose prompt may list options (its answer may be one option's letter, letters or text): per row;
    # without such a list the per-row path reads a letter answer as the bulk path does
    bad = bad | ((pl.col("verifier") == "math") & check.str.contains(MAY_LIST_OPTIONS_POLARS))
    # ... or may close with numbered options while its answer is a number, or several (`2, 3`: `NUMBERS_ANSWER`), of
    # them, or a short text that may be one's (`Paris`, `1. Paris`) (`choices.numbered_options_in_prompt`)
    number = (
        pl.col("answer").str.contains(r"^\s*[(\[]?\d{1,2}[)\].:]?\s*$")
        | pl.col("answer").str.contains(f"(?i)^(?:{NUMBERS_ANSWER})$")
        | (pl.col("answer").str.contains(r"[[:alpha:]]") & (pl.col("answer").str.len_chars() <= OPTION_CHARS + 6))
    )
    bad = bad | ((pl.col("verifier") == "math") & number & check.str.contains(MAY_LIST_NUMBERED_POLARS))
    # an MCQ row whose options were appended while its prompt may list options: per row, which reads a list of the
    # same options written otherwise as shown (`choices.shows_options`) and refuses one of other options
    # (`choices.options_listed_otherwise`)
    appended = (pl.col("verifier") == "mcq") & (pl.col("prompt") != check)
    bad = bad | (appended & check.str.contains(MAY_LIST_OPTIONS_POLARS))
    # a prompt without options or tests that may end before what it announces (`normalize.ends_announcing`), or end
    # asking "Which of the following ...?" (`normalize.WHICH_OF_THE_FOLLOWING`): per row
    ending = check.str.slice(-ENDING_CHARS).str.contains(ENDING_POLARS)
    # a prompt that announces a formula, list or code and holds no digit or symbol (`normalize.announces_missing`)
    announces = check.str.contains(ANNOUNCES_DATA_POLARS) & ~check.str.contains(HOLDS_DATA_POLARS)
    bad = bad | (~pl.col("verifier").is_in(["mcq", "code"]) & (ending | announces))
    return frame.filter(~bad).drop("_check").with_columns(pl.lit(source.name, dtype=pl.String).alias("source"))


class _BulkState:
    """What the rows of one batch share: the verifier names, the limits, the parsed choices and tests."""

    def __init__(
        self,
        verifiers: set[str],
        max_prompt_chars: int,
        allow_template_tokens: bool,
        seen: IndexSeen | None = None,
        source: SourceConfig | None = None,
    ) -> None:
        self.verifiers, self.max_prompt_chars, self.allow_template_tokens = (
            verifiers,
            max_prompt_chars,
            allow_template_tokens,
        )
        self.index_seen = seen  # the per-file 1-based check (`choices.IndexSeen`)
        self.source = source  # named by the error of a file whose integer answers read two ways
        # a verifier that checks its arguments at ingest (`registry.args_problem`) takes the per-row path
        self.plain_verifiers = verifiers.difference(_VERIFIERS_NEEDING_SHAPES, probed_verifiers())
        self.choice_sets: dict[tuple[Any, ...], tuple[_Choices, Any] | None] = {}
        self.test_sets: dict[tuple[Any, ...], tuple[str, list[str]] | None] = {}  # `_code_tests` per distinct list


_Got = tuple[list[bool] | None, dict[str, list[Any]]] | None  # (rows kept or None for all, columns) or None


def _plain(shape: _Shape, recs: list[dict[str, Any]], state: _BulkState) -> _Got:
    ch, types = shape.chosen, shape.types
    if ch["answer"] is None:
        return None  # no answer: `missing_field:answer` or a boxed solution, row by row
    answers = _column(recs, ch["answer"])
    at = types[ch["answer"]]
    keep: list[bool] | None = None
    if at is str:
        # GSM8K's `#### 72` and placeholder answers (`proof`): row by row
        # and long answers (a worked solution in `answer`: `normalize.worked_solution`): row by row
        keep = [
            bool(a.strip())
            and "####" not in a
            and len(a) <= FREE_FORM_CHARS
            and "\n" not in a
            and a.strip().lower() not in PLACEHOLDER_ANSWERS
            and a.strip().lower() not in MISSING_ANSWERS  # a CSV's missing cell (`N/A`): row by row
            and not quoted_list_text(a)  # a list written as text (a CSV's list column): row by row
            and a.strip().lower() not in BOOLEAN_TEXTS  # a boolean written as text: row by row
            and not names_an_option(a)  # an option's letter without options (`normalize._options_missing`): row by row
            and not STATES_ITS_VALUE.fullmatch(a)  # "Answer: 42" (`normalize.STATES_ITS_VALUE`): row by row
            for a in answers
        ]
    else:
        if at is float:  # a NaN, an infinity or a whole float past 2**53: row by row (`normalize.float_answer_held`)
            keep = [float_answer_held(a) for a in answers]
        answers = list(map(str if at is int else repr, answers))  # `normalize._text`; never blank
    if ch["verifier"] is None:
        if "math" not in state.plain_verifiers:
            return None
        verifiers = ["math"] * len(recs)
    else:
        verifiers = _column(recs, ch["verifier"])
        ok = [v in state.plain_verifiers for v in verifiers]
        keep = ok if keep is None else [a and b for a, b in zip(keep, ok, strict=True)]
    if ch["domain"] is None:
        domains = [DOMAIN_OF_VERIFIER.get(v, "general") for v in verifiers]
    else:
        domains = _column(recs, ch["domain"])
        ok = [not is_blank(d) for d in domains]  # a blank domain (not set) takes the per-row path
        keep = ok if keep is None else [a and b for a, b in zip(keep, ok, strict=True)]
    n = len(recs)
    return keep, {"answer": answers, "verifier": verifiers, "verifier_args": ["{}"] * n, "domain": domains}


def _mcq(shape: _Shape, recs: list[dict[str, Any]], state: _BulkState) -> _Got:
    ch = shape.chosen
    if ch["answer"] is None or "mcq" not in state.verifiers:
        return None
    pk, ak, vk, dk, ck = ch["prompt"], ch["answer"], ch["verifier"], ch["domain"], ch["choices"]
    cols: dict[str, list[Any]] = {c: [] for c in ("prompt", "dedup", "answer", "verifier_args", "domain")}
    keep: list[bool] = []
    choice_sets = state.choice_sets
    for rec in recs:
        verifier = rec[vk] if vk else None
        domain = rec[dk] if dk else None
        # a row typed multi-select (JEEBench's `MCQ(multiple)`): a one-letter answer is a set, row by row
        ok = (verifier is None or verifier == "mcq") and not is_blank(domain) and not typed_multi_select(rec)
        entry = None
        if ok:
            key = _choices_key(rec[ck])  # type: ignore[index]
            if key is None:
                ok = False
            elif key in choice_sets:
                entry = choice_sets[key]
            else:
                try:
                    parsed = parse_choices(rec[ck])  # type: ignore[index]
                    entry = choice_sets[key] = (_Choices(parsed.options), parsed)
                except ChoiceError:
                    entry = choice_sets[key] = None
        answer = None
        if entry is not None and not float_answer_held(rec[ak]):  # type: ignore[index]
            entry = None  # a NaN, an infinity, a whole float past 2**53: row by row
        if entry is not None:
            choices, parsed = entry
            answer = choices.letter(rec[ak], parsed, state.index_seen)  # type: ignore[index]
            if state.source is not None:
                answers_read_one_way(state.index_seen, state.source)  # the file reads its integers two ways
            ok = answer is not None and not (choices.token_like and not state.allow_template_tokens)
        if not ok or entry is None:
            keep.append(False)
            for c in cols.values():
                c.append(None)
            continue
        prompt = rec[pk]  # type: ignore[index]
        # `normalize.prompt_key` (`choices.question_of` of the source's prompt, then the options) and the prompt
        # with its options block (`choices.with_options`)
        block = choices.block
        # (a prompt that may list the options otherwise written, or other ones, takes the per-row path: below)
        shown = prompt if shows_options_as_written(prompt, choices.options) else prompt.rstrip() + block
        keep.append(len(shown) <= state.max_prompt_chars)
        cols["prompt"].append(shown)
        cols["dedup"].append((prompt[: -len(block)] if prompt.endswith(block) else prompt) + choices.key_tail)
        cols["answer"].append(answer)
        cols["verifier_args"].append(choices.verifier_args)
        cols["domain"].append(domain or "science_mcq")
    cols["verifier"] = ["mcq"] * len(recs)
    cols["check"] = [r[pk] for r in recs]  # type: ignore[index]
    return keep, cols


def _code_tests(tests: list[Any]) -> tuple[str, list[str]] | None:
    """`code_tests.code_tests` for a list of asserts that needs nothing more (JSON of the verifier_args, the names
    the tests call, one of which the prompt must name); None: the per-row path decides (no text, no test
    statement, not Python, ...)."""
    if not tests or not _all_text(tests):
        return None
    joined = "\n".join(tests)
    if not joined.strip():
        return None
    summary = script_summary(tests)  # one parse per shape of line, not per script
    if summary is None:
        try:
            script = Script(joined)
        except TestsProblem:
            return None
        summary = script.tests, script.calls
    n, calls = summary
    return (_ENCODE({"tests": joined}), calls) if n else None


def _code(shape: _Shape, recs: list[dict[str, Any]], state: _BulkState) -> _Got:
    ch = shape.chosen
    if "code" not in state.verifiers:
        return None
    ak, vk, dk, tk, sk = ch["answer"], ch["verifier"], ch["domain"], ch["tests"], ch["solution"]
    pk = ch["prompt"]
    cols: dict[str, list[Any]] = {c: [] for c in ("answer", "verifier_args", "domain")}
    keep: list[bool] = []
    test_sets = state.test_sets
    for rec in recs:
        verifier = rec[vk] if vk else None
        domain = rec[dk] if dk else None
        vargs = None
        if (verifier is None or verifier == "code") and not is_blank(domain):
            tests = rec[tk]  # type: ignore[index]
            try:
                tkey = tuple(tests)
                got = test_sets.get(tkey, "")
            except TypeError:  # nested values
                got = None
            if got == "":
                got = test_sets[tkey] = _code_tests(tests)
            # the row's prompt must name a function the tests call, else `code_tests.code_prompt` adds a test
            if got is not None and (not got[1] or any(names_in(rec[pk], n) for n in got[1])):  # type: ignore[index]
                vargs = got[0]
        # the answer as `normalize_record` takes it for a code task: optional, else a solution's last \boxed{}
        answer = rec[ak] if ak else None
        keep.append(vargs is not None and float_answer_held(answer))  # a NaN answer, ...: row by row
        if type(answer) is str and not answer.strip():
            answer = None
        if answer is None and sk and type(rec[sk]) is str:
            answer = solution_answer(rec[sk])
        answer = _text(answer) if answer is not None else None
        cols["answer"].append(answer if answer is None or answer.strip() else None)
        cols["verifier_args"].append(vargs)
        cols["domain"].append(domain or "code")
    cols["verifier"] = ["code"] * len(recs)
    return keep, cols
