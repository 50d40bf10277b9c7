"""Find the final answer in a response's answer text: `\\boxed{}` first, else a clearly stated final answer."""

from __future__ import annotations

import re

_BOXED_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
_STATED_RE = re.compile(
    r"(?:final\s+answer|the\s+answer|answer)\s*(?:is|:|=)\s*:?\s*(.+)",
    re.IGNORECASE,
)
_MATH_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def boxed_contents(text: str) -> list[str]:
    """Contents of every `\\boxed{...}` (balanced braces), in order."""
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
            out.append(text[m.end() : i - 1].strip())
    return out


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
