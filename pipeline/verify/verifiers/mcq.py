"""`mcq`: the chosen letter against the reference; several different letters fail.

`verifier_args.choices` may be a list, a letter -> text object or ARC's `{label, text}` (as at ingest); the
reference is a letter (or, as at ingest, a label, a 0-based index or an option's text).

Accepted forms: `\\boxed{C}`, `Answer: C`, `the answer is (C)`, `(C)`, `C.` / `C)` at a line start, a bare `C`,
or the text of exactly one choice.
"""

from __future__ import annotations

import re
import string

from pipeline.ingest.choices import ChoiceError, parse_choices, resolve_answer
from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.extract import boxed_contents
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec

_STATED = re.compile(
    r"(?:final\s+answer|correct\s+answer|answer|choice|option)\s*(?:is|:|=)?\s*:?\s*"
    r"(?:\*\*)?\(?\s*(?-i:([A-Z]))\b\)?",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([A-Z])\)")
_LINE_START = re.compile(r"^\s*(?:\*\*)?([A-Z])(?:\*\*)?\s*[.):]", re.MULTILINE)
_BARE = re.compile(r"^\s*(?:\*\*)?\(?([A-Z])\)?(?:\*\*)?\.?\s*$")


def _norm(s: str) -> str:
    return " ".join(s.lower().translate(str.maketrans("", "", string.punctuation)).split())


def choose(answer: str, letters: set[str], choices: dict[str, str]) -> tuple[set[str], str]:
    """The letters the answer commits to, and which rule found them."""
    for box in reversed(boxed_contents(answer)):
        inner = re.sub(r"\\text\{([^}]*)\}", r"\1", box).strip()
        m = _BARE.match(inner)
        if m and m.group(1).upper() in letters:
            return {m.group(1).upper()}, "boxed"
        by_text = {k for k, v in choices.items() if _norm(v) and _norm(v) == _norm(inner)}
        if len(by_text) == 1:
            return by_text, "boxed_text"
    m = _BARE.match(answer)
    if m and m.group(1).upper() in letters:
        return {m.group(1).upper()}, "bare"
    stated = [m.group(1).upper() for m in _STATED.finditer(answer) if m.group(1).upper() in letters]
    if stated:
        # The last statement is the commitment; a conflicting earlier one in the same answer is ambiguous.
        return set(stated) if len(set(stated)) > 1 and _conflicting_final(answer) else {stated[-1]}, "stated"
    found = {m.group(1) for m in _PAREN.finditer(answer) if m.group(1) in letters}
    found |= {m.group(1) for m in _LINE_START.finditer(answer) if m.group(1) in letters}
    if found:
        return found, "letters"
    norm_answer = _norm(answer)
    by_text = {k for k, v in choices.items() if _norm(v) and re.search(rf"\b{re.escape(_norm(v))}\b", norm_answer)}
    return by_text, "text"


def _conflicting_final(answer: str) -> bool:
    """True when the answer's last line itself names more than one letter (e.g. 'Answer: A or C')."""
    last = answer.strip().splitlines()[-1] if answer.strip() else ""
    return len({m.group(1).upper() for m in re.finditer(r"\b([A-Z])\b", last)}) > 1 and " or " in last.lower()


def _letter(answer: str | None) -> str:
    return (answer or "").strip().strip("()").rstrip(".").upper()


@builtin("mcq", version="1")
def verify_mcq(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    raw = task.verifier_args.get("choices")
    if raw:
        try:  # the shapes ingest accepts: a list, a letter -> text object, ARC's {label, text}
            parsed = parse_choices(raw)
        except ChoiceError as exc:
            raise VerifierArgsError(f"task {task.task_id}: verifier_args.choices: {exc.detail}") from None
        choices = parsed.options
        ref = _letter(task.answer)
        if ref not in choices:  # an original label, a 0-based index or an option's text
            try:
                ref = resolve_answer(task.answer, parsed)
            except ChoiceError as exc:
                raise VerifierArgsError(
                    f"task {task.task_id}: answer {task.answer!r} is not one of {sorted(choices)} ({exc.detail})"
                ) from None
    else:
        choices, ref = {}, _letter(task.answer)
    letters = set(choices) or set(string.ascii_uppercase[:10])
    if ref not in letters:
        raise VerifierArgsError(f"task {task.task_id}: answer {task.answer!r} is not one of {sorted(letters)}")
    chosen, _rule = choose(answer, letters, choices)
    if not chosen:
        return CheckResult.fail("no_answer")
    if len(chosen) > 1:
        return CheckResult.fail("multiple_answers")
    return CheckResult.ok() if chosen == {ref} else CheckResult.fail("mismatch")
