"""`ifeval`: instruction-following constraints. Score = share of constraints met; passed only if all are met.

Each constraint is `{"type": <name>, ...params}`; `CONSTRAINTS` maps names to checks and documents params.
The reason names the first failed constraint type: `ifeval:max_words`; the details say why (`_WHY`, `why_not`):
`{"instruction": "max_words", "why": "312 words, asked at most 300"}`, with every failed one in `failed`.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.verifiers.ifeval_google import (
    CJK,
    HANGUL,
    LIST_MARKER,
    SPACED,
    WORD_RUN,
    count_placeholders,
    echo_then_more,
    ends_with_phrase,
    first_case_offender,
    first_comma,
    has_comma,
    has_title,
    is_json_answer,
    json_error,
    keyword_haystack,
    keyword_text,
    nfc,
    not_echoed,
    quoted_around,
    without_code,
    without_thematic_breaks,
    wrapped_in_quotes,
)

# a word: letters and digits with the marks on them, with inner `'` or `-`; each Chinese or Japanese character is one
# (see count_words)
_WORD = re.compile(rf"(?=\w)[{CJK}]|{WORD_RUN}(?:['’-]{WORD_RUN})*")
# `.`, `!`, `?` (and the Arabic `؟`, the Urdu `۔`) before a space or the end; Chinese and Japanese `。`, `！`, `？` and
# the danda `।`, `॥` anywhere, closing quotes with them
_SENTENCE_END = re.compile(r"[.!?؟۔]+(?=\s|$)|[。！？।॥]+[”’」』）)]*")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+\S", re.MULTILINE)
_PLACEHOLDER = r"\[[^\[\]\n]+\]"  # a placeholder holds no bracket and no line break


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences; a numbered list's marker (`1. `) ends none (ifeval 17: "1. Mix.\n2. Bake." was four)."""
    return [s for s in _SENTENCE_END.split(LIST_MARKER.sub(r"\1)", text)) if s.strip()]


def paragraphs(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n|^\s*\*\*\*\s*$", text.strip(), flags=re.MULTILINE)
    return [p for p in parts if p and p.strip()]


def _count_bullets(text: str) -> int:
    """Markdown bullet and numbered items, less thematic breaks and the lines of fenced code (ifeval 15)."""
    return len(_BULLET.findall(without_thematic_breaks(without_code(text))))


def _kw(c: dict[str, Any]) -> list[str]:
    kws = c.get("keywords")
    if not isinstance(kws, list) or not all(isinstance(k, str) for k in kws):
        raise ValueError("keywords must be a list of strings")
    return kws


def _word_pattern(kw: str, *, particles: bool = True) -> str:
    """The keyword as a word: a word edge where it starts or ends with a word character of a script written with
    spaces (a symbol is its own edge: "C++17" holds "C++", "ASP.NET" holds ".NET"; before, such keywords went unseen).
    A Chinese, Japanese or Thai side has no edge, and a change of script is one ("用Python编程" holds "Python"):
    before, a keyword was never found in such text, so a forbidden one passed. With `particles`, a keyword ending in
    Hangul may be followed by more (a Korean particle or ending: "서울은" holds 서울; ifeval 14: it passed
    `forbid_keywords ["서울"]`)."""
    before = rf"(?<!{SPACED})" if re.match(SPACED, kw) else ""
    after = rf"(?!{SPACED})" if re.search(rf"{SPACED}\Z", kw) else ""
    if particles and re.search(rf"[{HANGUL}]\Z", kw):
        after = rf"(?!(?![{HANGUL}]){SPACED})"  # a Korean particle written onto the word: "서울은" uses 서울
    return before + keyword_text(kw) + after


@functools.lru_cache(maxsize=8192)
def _word_rx(kw: str, particles: bool = True, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """`_word_pattern` compiled once per keyword: its word-edge classes take ~10 ms to compile, and a dataset's
    keywords soon cycle through Python's own cache of 512 patterns, so each check compiled it again."""
    return re.compile(_word_pattern(kw, particles=particles), flags)


def _has_word(text: str, kw: str) -> bool:
    return _word_rx(kw).search(keyword_haystack(text)) is not None


def _num(c: dict[str, Any], key: str = "value") -> int:
    v = c.get(key)
    if not isinstance(v, int | float) or isinstance(v, bool):
        raise ValueError(f"{key} must be a number")
    return int(v)


def _options(c: dict[str, Any]) -> list[str]:
    """The options, a list of texts or that list's (or tuple's) text as Python writes it: RLVR-IFeval stores
    validate_choice's options so, "('My answer is yes.', 'My answer is no.', 'My answer is maybe.')" (its prompt shows
    the same text), and every such task was `bad_args`."""
    opts = c.get("options")
    if isinstance(opts, str):
        try:
            opts = ast.literal_eval(opts.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            opts = None
        opts = list(opts) if isinstance(opts, tuple) else opts
    if not isinstance(opts, list) or not opts or not all(isinstance(o, str) and o for o in opts):
        raise ValueError(
            "options must be a non-empty list of non-empty strings (or its text, as RLVR-IFeval writes it: "
            "\"('My answer is yes.', 'My answer is no.')\")"
        )
    return opts


def _one_option(text: str, options: list[str]) -> bool:
    """Whether the text gives exactly one of the options (it may repeat it): each found as written, at word edges
    (`no` is not in "know"), and one found only inside another option the text gives ("yes" in "My answer is yes.")
    not counted on its own. open-instruct's `validate_choice` passes any text holding one, so "My answer is yes. My
    answer is no." answered with every option."""
    found = {
        o: [m.span() for m in _word_rx(o, False, 0).finditer(keyword_haystack(text))] for o in dict.fromkeys(options)
    }
    spans = [(o, s, e) for o, ss in found.items() for s, e in ss]
    given = {
        o for o, s, e in spans if not any(p != o and ps <= s and e <= pe and pe - ps > e - s for p, ps, pe in spans)
    }
    return len(given) == 1


def _divided(text: str, c: dict[str, Any]) -> bool:
    parts = _divided_parts(text, c)
    return all(p.strip() for p in parts) and len(parts) == _num(c, "count")


def _divided_parts(text: str, c: dict[str, Any]) -> list[str]:
    divider = c.get("divider")
    if not isinstance(divider, str) or not divider.strip():
        raise ValueError("divider must be a non-empty string")
    return "\n".join(line.strip() for line in text.splitlines()).strip().split(divider)


def _phrase(c: dict[str, Any]) -> str:
    p = c.get("phrase")
    if not isinstance(p, str) or not p:
        raise ValueError("phrase must be a non-empty string")
    return p


def _freq(text: str, c: dict[str, Any]) -> bool:
    n, bounds = _freq_count(text, c)
    return n >= bounds.get("min", 0) and ("max" not in bounds or n <= bounds["max"])


def _freq_count(text: str, c: dict[str, Any]) -> tuple[int, dict[str, int]]:
    kw = c.get("keyword")
    if not isinstance(kw, str):
        raise ValueError("keyword must be a string")
    bounds = {k: _num(c, k) for k in ("min", "max") if c.get(k) is not None}
    if not bounds:
        raise ValueError("give min or max (a constraint without either checks nothing)")
    return len(_word_rx(kw).findall(keyword_haystack(text))), bounds


Check = Callable[[str, dict[str, Any]], bool]

CONSTRAINTS: dict[str, tuple[str, Check]] = {
    "max_words": ("value: at most this many words", lambda t, c: len(words(t)) <= _num(c)),
    "min_words": ("value: at least this many words", lambda t, c: len(words(t)) >= _num(c)),
    "max_sentences": ("value: at most this many sentences", lambda t, c: len(sentences(t)) <= _num(c)),
    "min_sentences": ("value: at least this many sentences", lambda t, c: len(sentences(t)) >= _num(c)),
    "num_paragraphs": (
        "value: exactly this many paragraphs (blank line or *** separated)",
        lambda t, c: len(paragraphs(t)) == _num(c),
    ),
    "include_keywords": (
        "keywords: every one appears (whole word, any case)",
        lambda t, c: all(_has_word(t, k) for k in _kw(c)),
    ),
    "forbid_keywords": (
        "keywords: none appears (whole word, any case)",
        lambda t, c: not any(_has_word(t, k) for k in _kw(c)),
    ),
    "keyword_frequency": ("keyword, min, max (optional): occurrences within [min, max] (min or max given)", _freq),
    "bullet_points": (
        "count: exactly this many markdown bullet/numbered items",
        lambda t, c: _count_bullets(t) == _num(c, "count"),
    ),
    "lowercase": ("no params: no uppercase letters", lambda t, c: t == t.lower()),
    "uppercase": ("no params: no lowercase letters", lambda t, c: t == t.upper()),
    "start_with": (
        "phrase: the answer starts with it, then goes on (case-insensitive, leading space ignored)",
        lambda t, c: echo_then_more(t.strip().lower(), _phrase(c).lower(), at_start=True),
    ),
    "end_with": (
        "phrase: the answer ends with it, after more text (case-insensitive, trailing space and emphasis ignored)",
        lambda t, c: ends_with_phrase(t.strip().lower(), _phrase(c).strip().lower()),
    ),
    "json_format": (
        "no params: the whole answer is JSON (optionally in one ``` fence, ```json, ```Json or ```JSON)",
        lambda t, c: is_json_answer(t),
    ),
    "title": (
        "no params: contains a title in double angular brackets, <<like this>>",
        lambda t, c: has_title(t),
    ),
    "no_commas": ("no params: no commas (`,`, nor `，`, `、`, `،`, `፣`, ...)", lambda t, c: not has_comma(t)),
    "quotation": (
        "no params: the whole answer is wrapped in one pair of double quotes (straight or typographic)",
        lambda t, c: wrapped_in_quotes(t),
    ),
    "placeholders": (
        "count: at least this many [placeholders] in square brackets (a markdown link, an index, a citation [1] or "
        "a checkbox - [x] is none)",
        lambda t, c: count_placeholders(t, _PLACEHOLDER) >= _num(c, "count"),
    ),
    "max_chars": ("value: at most this many characters", lambda t, c: len(t.strip()) <= _num(c)),
    # open-instruct's `verify_paragraph_count` (Tulu 3's RLVR-IFeval: "You separate paragraphs using the markdown
    # divider: * * *"; IFEval's number_paragraphs splits at `***` only)
    "paragraphs_divided": (
        "count, divider: exactly this many non-empty paragraphs, separated by the divider",
        lambda t, c: _divided(t, c),
    ),
    # open-instruct's `validate_choice` (Tulu 3's RLVR-IFeval: "Answer with one of the following options: ...")
    "contains_one_of": (
        "options (a list, or its text as a Python tuple): the answer gives exactly one of these texts, as written "
        "(at word edges; it may repeat it)",
        lambda t, c: _one_option(t, _options(c)),
    ),
}


# Why an answer fails a constraint, for a failed verdict's `details` (as `ifeval_google.why_not`; it decides nothing).


def _missing(text: str, c: dict[str, Any]) -> str:
    missing = [k for k in _kw(c) if not _has_word(text, k)]
    return f"missing keyword{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}"


def _forbidden(text: str, c: dict[str, Any]) -> str:
    for k in _kw(c):
        if m := _word_rx(k).search(shown := keyword_haystack(text)):
            return f"forbidden keyword {k!r} in {quoted_around(shown, m.start(), m.end())!r}"
    return "a forbidden keyword"


def _freq_why(text: str, c: dict[str, Any]) -> str:
    n, bounds = _freq_count(text, c)
    asked = " and ".join(f"{'at least' if k == 'min' else 'at most'} {v}" for k, v in bounds.items())
    return f"{c['keyword']!r} {n} times, asked {asked}"


def _divided_why(text: str, c: dict[str, Any]) -> str:
    parts = _divided_parts(text, c)
    if not all(p.strip() for p in parts):
        return f"an empty paragraph between {c['divider']!r} dividers"
    return f"{len(parts)} paragraphs divided by {c['divider']!r}, asked {_num(c, 'count')}"


def _options_why(text: str, c: dict[str, Any]) -> str:
    given = [o for o in dict.fromkeys(_options(c)) if _word_rx(o, False, 0).search(keyword_haystack(text))]
    return f"gives {len(given)} of the options, asked one" + (f": {', '.join(map(repr, given))}" if given else "")


Why = Callable[[str, dict[str, Any]], str]

_WHY: dict[str, Why] = {
    "max_words": lambda t, c: f"{len(words(t))} words, asked at most {_num(c)}",
    "min_words": lambda t, c: f"{len(words(t))} words, asked at least {_num(c)}",
    "max_sentences": lambda t, c: f"{len(sentences(t))} sentences, asked at most {_num(c)}",
    "min_sentences": lambda t, c: f"{len(sentences(t))} sentences, asked at least {_num(c)}",
    "num_paragraphs": lambda t, c: f"{len(paragraphs(t))} paragraphs, asked {_num(c)}",
    "include_keywords": _missing,
    "forbid_keywords": _forbidden,
    "keyword_frequency": _freq_why,
    "bullet_points": lambda t, c: f"{_count_bullets(t)} bullet or numbered items, asked {_num(c, 'count')}",
    "lowercase": lambda t, c: first_case_offender(t, upper=False) or "an upper-case letter",
    "uppercase": lambda t, c: first_case_offender(t, upper=True) or "a lower-case letter",
    "start_with": lambda t, c: not_echoed(t.strip().lower(), _phrase(c).lower(), at_start=True),
    "end_with": lambda t, c: not_echoed(t.strip().lower(), _phrase(c).strip().lower(), at_start=False),
    "json_format": lambda t, c: json_error(t),
    "title": lambda t, c: "no <<title>>",
    "no_commas": lambda t, c: first_comma(t) or "a comma",
    "quotation": lambda t, c: "not wrapped in one pair of double quotes",
    "placeholders": lambda t, c: (
        f"{count_placeholders(t, _PLACEHOLDER)} [placeholders], asked at least {_num(c, 'count')}"
    ),
    "max_chars": lambda t, c: f"{len(t.strip())} characters, asked at most {_num(c)}",
    "paragraphs_divided": _divided_why,
    "contains_one_of": _options_why,
}


def _why(kind: str, answer: str, c: dict[str, Any], prompt: str) -> str:
    from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS, why_not

    if kind in INSTRUCTIONS:
        return why_not(kind, answer, {k: v for k, v in c.items() if k != "type"}, prompt)
    return "the answer is empty" if not answer.strip() else _WHY[kind](answer, c)


def _ifeval_rows(args: dict[str, Any]) -> Any:
    """IFEval's own row shape (`instruction_id_list` + `kwargs`, unused parameters null) as constraints."""
    ids = args.get("instruction_id_list")
    kwargs = args.get("kwargs") or [{}] * (len(ids) if isinstance(ids, list) else 0)
    if not isinstance(ids, list) or not isinstance(kwargs, list) or len(ids) != len(kwargs):
        return None
    if not all(kw is None or isinstance(kw, dict) for kw in kwargs):
        return None
    return [
        {**{k: v for k, v in (kw or {}).items() if v is not None}, "type": iid}
        for iid, kw in zip(ids, kwargs, strict=True)
    ]


@builtin("ifeval", version="19", args_probe=True)
def verify_ifeval(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS, IfevalArgsError, follows, loose_variants

    constraints = task.verifier_args.get("constraints")
    if "instruction_id_list" in task.verifier_args:  # beside constraints too: both are checked
        rows = _ifeval_rows(task.verifier_args)
        ok = rows is not None and (constraints is None or isinstance(constraints, list))
        constraints = [*(constraints or []), *rows] if ok else None
    if not isinstance(constraints, list) or not constraints:
        raise VerifierArgsError(
            f"task {task.task_id}: verifier_args.constraints must be a non-empty list (or give "
            f"IFEval's instruction_id_list with a list of kwargs objects of the same length)"
        )
    mode = task.verifier_args.get("mode") or "strict"
    if mode not in ("strict", "loose"):
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.mode must be strict or loose, got {mode!r}")
    # loose mode (IFEval's) reads thinkmill's own constraints as it reads IFEval's instructions
    answer = nfc(answer)  # "cafe\u0301" is the keyword "café" (ifeval 17), for thinkmill's constraints too
    variants = [v for v in loose_variants(answer) if v.strip()] if mode == "loose" else []
    failed: list[tuple[str, dict[str, Any]]] = []
    for i, c in enumerate(constraints):
        kind = c.get("type") if isinstance(c, dict) else None
        if kind in INSTRUCTIONS:
            params = {k: v for k, v in c.items() if k != "type"}
            try:
                ok = follows(kind, answer, params, mode, task.prompt)
            except IfevalArgsError as exc:
                raise VerifierArgsError(f"task {task.task_id}: verifier_args.constraints[{i}] ({kind}): {exc}") from exc
            if not ok:
                failed.append((kind, c))
            continue
        if kind not in CONSTRAINTS:
            raise VerifierArgsError(
                f"task {task.task_id}: verifier_args.constraints[{i}].type {kind!r} is not one "
                f"of {sorted(CONSTRAINTS)} nor an IFEval instruction id {sorted(INSTRUCTIONS)}"
            )
        try:
            check, c = CONSTRAINTS[kind][1], nfc(c)
            ok = check(answer, c) or any(check(v, c) for v in variants)  # the parameters are checked even on ""
        except ValueError as exc:
            raise VerifierArgsError(f"task {task.task_id}: verifier_args.constraints[{i}] ({kind}): {exc}") from exc
        if not ok:
            failed.append((kind, c))
    score = 1 - len(failed) / len(constraints)
    if not failed:
        return CheckResult.ok(score)
    whys = [{"instruction": kind, "why": _why(kind, answer, nfc(c), task.prompt)} for kind, c in failed]
    details: dict[str, Any] = {**whys[0], "failed": whys} if len(whys) > 1 else whys[0]
    return CheckResult.fail(failed[0][0], score, details)
