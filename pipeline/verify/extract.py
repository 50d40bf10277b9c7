"""Find the final answer in a response's answer text: `\\boxed{}` first, else a clearly stated final answer."""

from __future__ import annotations

import re

_BOXED_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
_STATED_RE = re.compile(
    r"(?:final\s+answer|the\s+answer|answer)\s*(?:is|:|=)\s*:?\s*(.+)",
    re.IGNORECASE,
)
_MATH_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def boxed_spans(text: str) -> list[tuple[int, int, str]]:
    """Every `\\boxed{...}` (balanced braces), in order: (start, end, contents stripped)."""
    out = []
    for m in _BOXED_RE.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        if depth == 0:
            out.append((m.start(), i, text[m.end() : i - 1].strip()))
    return out


def boxed_contents(text: str) -> list[str]:
    """Contents of every `\\boxed{...}` (balanced braces), in order."""
    return [c for _s, _e, c in boxed_spans(text)]


def strip_math(s: str) -> str:
    s = s.strip().rstrip(".").strip()
    s = re.sub(r"^\*\*|\*\*$", "", s).strip()
    for a, b in _MATH_DELIMS:
        if s.startswith(a) and s.endswith(b) and len(s) >= len(a) + len(b):
            return s[len(a) : len(s) - len(b)].strip().rstrip(".").strip()
    return s


def stated_answer(text: str) -> str | None:
    """The last 'final answer is X' / 'Answer: X' statement's X (to the end of its line)."""
    matches = list(_STATED_RE.finditer(text))
    if not matches:
        return None
    value = strip_math(matches[-1].group(1).strip().splitlines()[0] if matches[-1].group(1).strip() else "")
    return value or None


def final_answer(text: str, *, short_line_chars: int = 60) -> str | None:
    """The final answer: the last boxed value, else a stated answer, else the whole text if it is one short line."""
    boxed = boxed_contents(text)
    if boxed:
        return boxed[-1]
    stated = stated_answer(text)
    if stated:
        return stated
    stripped = text.strip()
    if stripped and "\n" not in stripped and len(stripped) <= short_line_chars:
        return strip_math(stripped)
    return None


def committed_values(text: str, *, stated_after: bool = True) -> list[str]:
    """Every value the answer text commits to as its final answer, in order: each boxed value, then (with
    `stated_after`) a stated answer ("the answer is X", "Answer: X") written after the last boxed value, when it
    holds a digit or a LaTeX command (prose such as "Answer: see above" is not a value), cut where its prose begins.
    `final_answer` reads one of them; a verifier fails the answer as `multiple_answers` when they are not all the
    same value: a hedge
    (`\\boxed{1/2} or \\boxed{3/4}`) or an answer changed after it was boxed ("\\boxed{7} ... actually the answer
    is 8") is not a clean training target, whichever value comes last."""
    spans = boxed_spans(text)
    values = [c for _s, _e, c in spans if c]
    tail = text[spans[-1][1] :] if spans else ""
    if tail and stated_after:
        later = stated_answer(tail)
        if later and later.startswith(spans[-1][2]):  # the boxed value restated ("\\boxed{1, 2} ... is 1, 2.")
            later = None
        later = strip_math(_CLAUSE_END.split(later, maxsplit=1)[0]) if later else None
        if later and re.search(r"[\d\\]", later):
            values.append(later)
    return values


# where a stated value's prose begins: "42, which is 6 times 7", "42 because ...", "3/4 (as above)"
_CLAUSE_END = re.compile(
    r",\s|;|\s\(|\s(?:because|since|which|as|so|from|where|when|if|for|that|with|by|in|of)\b", re.IGNORECASE
)
