"""Instruction-following constraints written as a reference value, read as `ifeval` constraints.

Tulu 3's RLVR data (allenai/RLVR-IFeval, RLVR-GSM-MATH-IF-Mixed-Constraints) puts in `ground_truth` one of
open-instruct's IF functions and its arguments, as JSON text: `{"func_name": "validate_lowercase", "N": null, ...}`
(open_instruct/if_functions.py, one function per IFEval instruction type; unused arguments are null).
IF_multi_constraints' rows give IFEval's own instruction ids and kwargs there instead:
`[{"instruction_id": [...], "kwargs": [...]}]`. `if_constraints` turns either into the constraints the `ifeval`
verifier checks (docs/verifiers.md), each meaning what the function checks: an exact count is two bounds ("exactly N
times": at least N, less than N + 1), "at most N" is "less than N + 1", and "around N" is open-instruct's tolerance
(10% of N, at least 1, for words and capital words; 1 for sentences) on both sides.
"""

from __future__ import annotations

import json
import re
from typing import Any


class IfTruthError(ValueError):
    """A value shaped as an IF constraint that cannot be read (an unknown function, a missing argument)."""


def _tenth(n: int) -> int:
    return max(round(n * 0.1), 1)


# open-instruct's functions with a quantifier: the IFEval instruction, its count and relation parameters, and the
# tolerance of "around N" (open-instruct's own)
_QUANTIFIED = {
    "validate_word_constraint": ("length_constraints:number_words", "num_words", "relation", _tenth),
    "verify_sentence_constraint": ("length_constraints:number_sentences", "num_sentences", "relation", lambda _n: 1),
    "validate_frequency_capital_words": (
        "change_case:capital_word_frequency", "capital_frequency", "capital_relation", _tenth,
    ),
}  # fmt: skip


def _bounds(
    kind: str, count_key: str, relation_key: str, n: int, quantifier: Any, tolerance: int = 0, **extra: Any
) -> list[dict]:
    """An open-instruct quantifier ('at least' / 'at most' / 'around' / 'exactly' N) as IFEval relations ('at
    least' / 'less than'); `extra`: the instruction's other parameters."""
    low, high = {"at least": (n, None), "at most": (None, n + 1), "exactly": (n, n + 1)}.get(quantifier, (None, None))
    if quantifier == "around":
        low, high = max(n - tolerance, 0), n + tolerance + 1
    if low is None and high is None:
        raise IfTruthError(f"quantifier {quantifier!r} is not 'at least', 'at most' or 'around'")
    bounds = [(low, "at least"), (high, "less than")]
    return [{"type": kind, **extra, count_key: c, relation_key: rel} for c, rel in bounds if c is not None]


def _escaped(name: str, words: Any) -> list[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise IfTruthError(f"{name}: expected a list of texts, got {words!r}"[:200])
    return [re.escape(w) for w in words]


def _from_function(obj: dict[str, Any]) -> list[dict]:
    name = obj["func_name"]
    args = {k: v for k, v in obj.items() if k != "func_name" and v is not None}

    def need(*keys: str) -> list[Any]:
        missing = [k for k in keys if k not in args]
        if missing:
            raise IfTruthError(f"{name} needs {', '.join(missing)}")
        return [args[k] for k in keys]

    def count(key: str = "N") -> int:
        (value,) = need(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
            raise IfTruthError(f"{name}: {key} must be a whole number, got {value!r}")
        return int(value)

    simple = {
        "validate_title": "detectable_format:title",
        "validate_json_format": "detectable_format:json_format",
        "validate_two_responses": "combination:two_responses",
        "validate_uppercase": "change_case:english_capital",
        "validate_lowercase": "change_case:english_lowercase",
        "validate_quotation": "startend:quotation",
        "validate_no_commas": "punctuation:no_comma",
    }
    if name in simple:
        return [{"type": simple[name]}]
    if name in _QUANTIFIED:
        kind, count_key, relation_key, tolerance = _QUANTIFIED[name]
        n = count()
        return _bounds(kind, count_key, relation_key, n, args.get("quantifier"), tolerance(n))
    match name:
        case "verify_keywords":  # IFEval searches each keyword as a regex: escaped, a plain text (`C++`)
            return [{"type": "keywords:existence", "keywords": _escaped(name, need("keyword_list")[0])}]
        case "verify_keyword_frequency":  # exactly N times, whole words, any case
            n = count()
            return [{"type": "keyword_frequency", "keyword": need("word")[0], "min": n, "max": n}]
        case "validate_forbidden_words":
            words = _escaped(name, need("forbidden_words")[0])
            return [{"type": "keywords:forbidden_words", "forbidden_words": words}]
        case "verify_letter_frequency":  # exactly N times
            (letter,) = need("letter")
            kind = "keywords:letter_frequency"
            return _bounds(kind, "let_frequency", "let_relation", count(), "exactly", letter=letter)
        case "validate_response_language":
            return [{"type": "language:response_language", "language": need("language")[0]}]
        case "verify_paragraph_count":  # paragraphs split at open-instruct's divider (IFEval's: `***`)
            return [{"type": "paragraphs_divided", "count": count(), "divider": "* * *"}]
        case "validate_paragraphs":
            (first_word,) = need("first_word")
            return [
                {
                    "type": "length_constraints:nth_paragraph_first_word",
                    "num_paragraphs": count(),
                    "nth_paragraph": count("i"),
                    "first_word": first_word,
                }
            ]
        case "verify_postscript":
            return [{"type": "detectable_content:postscript", "postscript_marker": need("postscript_marker")[0]}]
        case "validate_placeholders":
            return [{"type": "detectable_content:number_placeholders", "num_placeholders": count()}]
        case "verify_bullet_points":
            return [{"type": "detectable_format:number_bullet_lists", "num_bullets": count()}]
        case "validate_choice":
            return [{"type": "contains_one_of", "options": need("options")[0]}]
        case "validate_highlighted_sections":
            return [{"type": "detectable_format:number_highlighted_sections", "num_highlights": count()}]
        case "validate_sections":
            (splitter,) = need("section_splitter")
            return [
                {"type": "detectable_format:multiple_sections", "section_spliter": splitter, "num_sections": count()}
            ]
        case "validate_repeat_prompt":
            return [{"type": "combination:repeat_prompt", "prompt_to_repeat": need("original_prompt")[0]}]
        case "validate_end":
            return [{"type": "startend:end_checker", "end_phrase": need("end_phrase")[0]}]
    raise IfTruthError(f"unknown IF function {name!r} (open-instruct's IF_FUNCTIONS_MAP names 25)")


def _from_ids(obj: dict[str, Any]) -> list[dict]:
    ids, kwargs = obj["instruction_id"], obj.get("kwargs")
    ids = [ids] if isinstance(ids, str) else ids
    kwargs = [kwargs] if isinstance(kwargs, dict) or (kwargs is None and len(ids) == 1) else kwargs
    if not isinstance(ids, list) or not isinstance(kwargs, list) or len(ids) != len(kwargs):
        raise IfTruthError("instruction_id and kwargs must be lists of the same length")
    return [
        {**{k: v for k, v in (kw or {}).items() if v is not None}, "type": iid}
        for iid, kw in zip(ids, kwargs, strict=True)
    ]


def _is_constraint(obj: Any) -> bool:
    return isinstance(obj, dict) and ("func_name" in obj or "instruction_id" in obj)


def if_constraints(value: Any) -> list[dict] | None:
    """The `ifeval` constraints of a reference written as open-instruct's IF function(s) or IFEval instruction ids
    (an object, a list of them, or either as JSON text); None for any other value. Raises IfTruthError for such a
    value that cannot be read."""
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith(("{", "[")) or ("func_name" not in text and "instruction_id" not in text):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
    items = value if isinstance(value, list) else [value]
    if not items or not all(_is_constraint(x) for x in items):
        return None
    constraints: list[dict] = []
    for item in items:
        constraints += _from_function(item) if "func_name" in item else _from_ids(item)
    return constraints
