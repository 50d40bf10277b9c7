"""Multiple-choice options: the shapes users' files hold them in, the answer's forms, and the options block a
model must see.

One module shared by ingest (normalise a row), generate (show the options of a task stored without them) and the
`mcq` verifier (read `verifier_args.choices`), so the three agree on what a choice is. Plain Python, no imports
beyond the standard library.

Accepted choice shapes: a list of texts (letters A, B, ... by position), a letter -> text object, an ARC-style
`{"label": [...], "text": [...]}` object (numeric labels become letters by position), a list of `{key, value}`
objects (MedQA; or `{label, text}`, HeadQA's `{aid, atext}`), read as the ARC object. Options that start with
their own letter in one style (`A)5`, `(A) x`, `a ) x`) lose it: the options block adds the letters. Answers: a
letter (`B`, `(b)`, `B.`), an original label (ARC `"2"`), an integer index (0-based unless the source says 1), a
digit string read as an index when the choices have no labels, or an option's exact text (as shown or as written).
An answer that reads as two different options is ambiguous and refused, never guessed.
"""

from __future__ import annotations

import re
import string
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LETTERS = string.ascii_uppercase
_LETTER = re.compile(r"^\(?([A-Za-z])[).:]?$")
_LABEL_STRIP = "()[]. :"


class ChoiceError(ValueError):
    """Choices or an answer that cannot be read; `field` is `choices` or `answer`, `kind` the reason suffix."""

    def __init__(self, field: str, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.field, self.kind, self.detail = field, kind, detail

    @property
    def reason(self) -> str:
        return f"{self.kind}:{self.field}"


@dataclass(frozen=True)
class Choices:
    """Options by letter, in order, plus the labels of the source (`"1"` -> `"A"`) when they were not letters,
    and the texts as the source wrote them where a letter was taken off (`own_labels_removed`)."""

    options: dict[str, str]
    labels: dict[str, str]
    indexable: bool  # the source was a list: a digit-string answer may be a 0-based index
    written: dict[str, str] = field(default_factory=dict)  # letter -> the source's text, where it differs
    numbered: bool = False  # the labels are the options' own numbers (`1. 5`, `2. 7`), taken off their texts


# An option that starts with its own letter: `A)5`, `(A) 5`, `A. 5`, `a ) 5`, `[A] 5`, `A: 5`
_OWN_LABEL = re.compile(r"\s*([(\[]?)([A-Za-z])\s*([)\].:])\s*(\S.*)", re.DOTALL)


def own_labels_removed(options: dict[str, str]) -> dict[str, str] | None:
    """The option texts without the letter each one starts with, when every option starts with its own letter
    in one style (AQuA-RAT's `["A)5(√3 + 1)", "B)6(√3 + √2)", ...]`, MathQA's `a ) rs . 400`); else None. Shown
    as they are, they read `A. A)5(√3 + 1)`, and shuffled `A. C)7(√3 – 1)`: a prompt whose letters contradict
    each other, graded against one of them. Initials (`A. Lincoln`, `T. Roosevelt`), abbreviations (`A.D. 1066`,
    `B.C. 55`), letters out of order and mixed styles are not labels: those texts stay as written."""
    # `A.D. 1066`, `B.C. 55`: an abbreviation, not a letter and a full stop
    return _own_marks_removed(options, _OWN_LABEL, lambda mark, _i, letter: mark.upper() == letter, ".")


def _own_marks_removed(
    options: dict[str, str], pattern: re.Pattern[str], names: Callable[[str, int, str], bool], spaced: str
) -> dict[str, str] | None:
    """The option texts without the mark (`pattern`'s group 2) each starts with, when every option's mark `names`
    it (mark, position, letter) in one style (brackets, separator, case), and a separator in `spaced` is followed by
    a space; else None."""
    styles: set[tuple[str, str, bool]] = set()
    out: dict[str, str] = {}
    for i, (k, v) in enumerate(options.items()):
        m = pattern.fullmatch(v)
        if m is None or not names(m.group(2), i, k):
            return None
        if m.group(3) in spaced and not v[m.end(3) : m.end(3) + 1].isspace():
            return None
        styles.add((m.group(1), m.group(3), m.group(2).isupper()))
        out[k] = m.group(4).rstrip()
    return out if len(styles) == 1 and len(out) >= 2 else None


# An option that starts with its own number: `1) 5`, `(1) 5`, `1. 5`, `[1] 5`, `1: 5`
_OWN_NUMBER = re.compile(r"\s*([(\[]?)(\d{1,2})\s*([)\].:])\s*(\S.*)", re.DOTALL)


def own_numbers_removed(options: dict[str, str]) -> dict[str, str] | None:
    """The option texts without the number each one starts with, when the options are numbered 1, 2, 3, ... in
    order in one style (`["1) 5", "2) 7", ...]`); else None. Such an answer `"1"` names option 1 (A): read as a
    0-based index it named B, a right-looking key on the wrong option. Decimals (`1.5`) are not labels."""
    # `1.5`, `2:30`: a number, not a label
    return _own_marks_removed(options, _OWN_NUMBER, lambda mark, i, _letter: int(mark) == i + 1, ".:")


def _choices(options: dict[str, str], labels: dict[str, str], indexable: bool) -> Choices:
    bare = own_labels_removed(options)
    if bare is None and not labels and (numbered := own_numbers_removed(options)) is not None:
        # the options' own numbers are their labels: a digit answer names the option so numbered, never an index
        written = {k: v for k, v in options.items() if v != numbered[k]}
        return Choices(numbered, {str(i + 1): k for i, k in enumerate(options)}, False, written, numbered=True)
    if bare is None:
        return Choices(options, labels, indexable)
    return Choices(bare, labels, indexable, {k: v for k, v in options.items() if v != bare[k]})


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _option_text(v: Any, where: str) -> str:
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise ChoiceError("choices", "wrong_type", f"{where} must be text, got {type(v).__name__}")
    return trimmed_option(v) if isinstance(v, str) else str(v)


def trimmed_option(text: str) -> str:
    """An option's text without the whitespace around it: GPQA's options end in a newline or stand between spaces
    (`"10^-8 eV\n"`, `" The one related to ... "`), which the options block showed as written (a blank line inside
    the list, `B.  The one`, a prompt ending in a newline) and the stored options kept. A text of several lines
    loses its blank lines before and after and the indent its lines share (a code option keeps its own indents)."""
    stripped = text.strip()
    if "\n" not in stripped:
        return stripped
    lines = text.rstrip().split("\n")
    while not lines[0].strip():
        lines.pop(0)
    return textwrap.dedent("\n".join(lines))


def _from_list(values: list[Any], names: list[str] | None = None) -> Choices:
    """Options by position; trailing blanks dropped (a 3-option row in a 4-column file), inner blanks refused
    (dropping one would shift every letter after it)."""
    names = names or [f"choice {i}" for i in range(len(values))]
    n = len(values)
    while n and _blank(values[n - 1]):
        n -= 1
    for i in range(n):
        if _blank(values[i]):
            raise ChoiceError(
                "choices",
                "invalid_value",
                f"{names[i]} is empty but later options are not; an empty option in the middle would shift the letters",
            )
    _check_count(n)
    return _choices({LETTERS[i]: _option_text(values[i], names[i]) for i in range(n)}, {}, True)


def _labelled(labels: list[Any], texts: list[Any]) -> Choices:
    if len(labels) != len(texts):
        raise ChoiceError("choices", "invalid_value", f"{len(labels)} labels for {len(texts)} texts")
    keys = [str(k).strip(_LABEL_STRIP).upper() for k in labels]
    if len(set(keys)) != len(keys) or any(not k for k in keys):
        raise ChoiceError("choices", "invalid_value", f"choice labels {labels!r} are empty or repeated")
    _check_count(len(keys))
    texts_ = [_option_text(t, f"choice {k}") for k, t in zip(keys, texts, strict=True)]
    blank = [k for k, t in zip(keys, texts_, strict=True) if not t.strip()]
    if blank:
        raise ChoiceError("choices", "invalid_value", f"choice {blank[0]} is empty")
    if all(len(k) == 1 and k in LETTERS for k in keys):
        return _choices(dict(sorted(zip(keys, texts_, strict=True))), {}, False)
    # numeric (or other) labels: letters by position, the label still names its option
    letters = LETTERS[: len(keys)]
    return _choices(dict(zip(letters, texts_, strict=True)), dict(zip(keys, letters, strict=True)), False)


def _check_count(n: int) -> None:
    if n > len(LETTERS):
        raise ChoiceError("choices", "invalid_value", f"{n} choices, at most {len(LETTERS)} supported")
    if n < 2:
        raise ChoiceError("choices", "invalid_value", "an MCQ needs at least two choices")


def _option_mark(letter: str, opening: str, closing: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[\s,;])){re.escape(opening)}{letter}\s*{re.escape(closing)}(?=\s|$)")


_FIRST_MARK = re.compile(r"\s*([(\[]?)([Aa])\s*([)\].:])(?=\s)")


def options_in_text(text: str) -> list[str] | None:
    """The options of one text that writes each after its own letter, in order and in one style (MathQA's
    `a ) rs . 400 , b ) rs . 300 , ...`, `A) 5 B) 6`, `(A) x (B) y`), without their letters and separators; None
    when the text does not start with the first letter, holds fewer than two options, or an option is empty."""
    found = _options_and_last_mark(text)
    return found[0] if found is not None else None


def _options_and_last_mark(text: str, strict: bool = True) -> tuple[list[str], int] | None:
    """`options_in_text`'s options and where the last option's mark ends (its text starts after it). Marks that read
    two ways (below) give no options when `strict`, else each letter's first mark (a prompt's list, shown as written:
    its options' texts are what a cut there reads)."""
    first = _FIRST_MARK.match(text)
    if first is None:
        return None
    opening, closing = first.group(1), first.group(3)
    letters = LETTERS if first.group(2).isupper() else LETTERS.lower()
    spans = _mark_spans(text, first, letters, opening, closing, separated=False)
    if len(spans) < 2:
        return None
    if _repeated_mark(text, first.end(), letters[1 : len(spans)], opening, closing) is not None:
        # a later letter's mark written twice (MathQA's `a ) ( a + b ) / 2 , b ) ...`): the marks after a separator
        # (`, b )`) or at a line's start, each once, tell where the options end; else where one ends would be a
        # guess (no options when `strict`)
        apart = _mark_spans(text, first, letters, opening, closing, separated=True)
        if len(apart) >= 2 and not _repeated_mark(
            text, first.end(), letters[1 : len(apart) + 1], opening, closing, True
        ):
            spans = apart
        elif strict:
            return None
    ends = [s for s, _ in spans[1:]] + [len(text)]
    options = [text[e:end].strip().rstrip(",;").strip() for (_, e), end in zip(spans, ends, strict=True)]
    return (options, spans[-1][1]) if all(options) else None


def _separated_mark(letter: str, opening: str, closing: str) -> re.Pattern[str]:
    """An option's mark right after a separator (`, b )`) or at the start of a line: group 1 is the mark."""
    return re.compile(rf"(?:[,;]\s*|\n[ \t]*)({re.escape(opening)}{letter}\s*{re.escape(closing)})(?=\s|$)")


def _mark_spans(
    text: str, first: re.Match[str], letters: str, opening: str, closing: str, *, separated: bool
) -> list[tuple[int, int]]:
    """Where each option's mark starts and ends, from A on: each letter's first mark after the previous one (after a
    separator or at a line's start, `separated`), until a letter has none."""
    spans = [(first.start(2) - len(opening), first.end())]
    for letter in letters[1:]:
        if separated:
            m = _separated_mark(letter, opening, closing).search(text, spans[-1][1])
            if m is None:
                break
            spans.append((m.start(1), m.end(1)))
            continue
        m = _option_mark(letter, opening, closing).search(text, spans[-1][1])
        if m is None:
            break
        spans.append((m.start(), m.end()))
    return spans


def _repeated_mark(
    text: str, start: int, letters: str, opening: str, closing: str, separated: bool = False
) -> str | None:
    """The first of `letters` whose mark `text` writes more than once after `start` (after a separator or at a line's
    start, `separated`), as it is written (`b )`); None when each is written once at most."""
    for letter in letters:
        pattern = _separated_mark(letter, opening, closing) if separated else _option_mark(letter, opening, closing)
        found = [m.group(1) if separated else m.group(0) for m in pattern.finditer(text, start)]
        if len(found) > 1:
            return found[0]
    return None


def repeated_option_mark(text: str) -> str | None:
    """The mark a text of lettered options writes twice so that no reading tells where its options end (`b)` in
    `A) (a + b) B) (a - b)`), or None."""
    first = _FIRST_MARK.match(text)
    if first is None or _options_and_last_mark(text) is not None:
        return None
    opening, closing = first.group(1), first.group(3)
    letters = LETTERS if first.group(2).isupper() else LETTERS.lower()
    spans = _mark_spans(text, first, letters, opening, closing, separated=False)
    return _repeated_mark(text, first.end(), letters[1 : len(spans)], opening, closing) if len(spans) >= 2 else None


_FIRST_NUMBER_MARK = re.compile(r"\s*([(\[]?)1\s*([)\].:])(?=\s)")


def _number_mark(n: int, opening: str, closing: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[\s,;])){re.escape(opening)}{n}\s*{re.escape(closing)}(?=\s|$)")


def numbered_options_in_text(text: str) -> list[str] | None:
    """The options of one text that writes each after its own number, from 1 in order and in one style (`1) 5 2) 7
    3) 9`, `(1) Venus (2) Mars`, `1. Paris\n2. Rome`), without their numbers; None when the text does not start with
    1, holds fewer than two options, an option is empty, or a number's mark is written twice (or the next one's
    once): then where an option ends would be a guess. A number in a text (`1.5`, `f(2)`) is no mark."""
    first = _FIRST_NUMBER_MARK.match(text)
    if first is None:
        return None
    opening, closing = first.group(1), first.group(2)
    spans = [(first.start(), first.end())]
    while len(spans) < len(LETTERS):
        m = _number_mark(len(spans) + 1, opening, closing).search(text, spans[-1][1])
        if m is None:
            break
        spans.append((m.start(), m.end()))
    if len(spans) < 2:
        return None
    for n in range(1, len(spans) + 2):
        if len(_number_mark(n, opening, closing).findall(text)) != int(n <= len(spans)):
            return None
    ends = [s for s, _ in spans[1:]] + [len(text)]
    options = [text[e:end].strip().rstrip(",;").strip() for (_, e), end in zip(spans, ends, strict=True)]
    return options if all(options) else None


# where a prompt's options may start: option A's mark at a line start, or after a space or colon
_PROMPT_FIRST_MARK = re.compile(r"(?:^|(?<=[\s:]))[(\[]?[Aa]\s*[)\].:](?=\s)", re.MULTILINE)
# a prompt that may list options (`options_in_prompt` finds none without A's mark and a later B's), in polars' regex
# dialect: the bulk path sends such plain rows to the per-row path, which reads the options
# (or `latex_options` without a LaTeX A mark)
MAY_LIST_OPTIONS_POLARS = (
    r"(?s)(?:(?:^|[\s:])[(\[（]?[AaА]\s*(?:[)\].:]\s|[．、：）])|\{\s*\(\s*A\s*\)|\{\s*A\s*\}\s*\))"
    r".*(?:[BbБ]\s*[)\].:．、：）]|\{\s*B\s*\})"
)  # (Cyrillic А and Б too: `shows_options` reads a list under Cyrillic labels)
# full-width marks (`A．1`, `A、1`, `（A）1`, `A：1`, no space after them): read as their ASCII ones
_FULL_WIDTH = re.compile("[．、：（）]")
_FULL_WIDTH_MARKS = str.maketrans({"．": ". ", "、": ". ", "：": ": ", "（": " (", "）": ") "})


def _ascii_marks(text: str) -> str:
    return text.translate(_FULL_WIDTH_MARKS) if _FULL_WIDTH.search(text) else text


# Russian MMLU-style lists: the options one per line under the Cyrillic labels А) Б) В) Г) ... (the order of the
# alphabet without Ё and Й, as Russian lists count), a list from А's line and Б's on the next, in one style; the `mcq`
# verifier reads such labels in answers where the prompt lists them so (`lists_cyrillic_options`, shared with it)
CYRILLIC_LABELS = "АБВГДЕЖЗИК"
_CYRILLIC_LIST = re.compile(r"^[ \t]*[(\[]?А[ \t]*([).:\]])[ \t]*\S.*\n[ \t]*[(\[]?Б[ \t]*\1", re.MULTILINE)
_CYRILLIC_MARK = re.compile(rf"^([ \t]*[(\[]?)([{CYRILLIC_LABELS}])(?=[ \t]*[).:\]])", re.MULTILINE)


def lists_cyrillic_options(text: str) -> bool:
    """Whether `text` lists options under Cyrillic labels (`_CYRILLIC_LIST`: А's line, then Б's, in one style)."""
    return "Б" in text and _CYRILLIC_LIST.search(text) is not None


def cyrillic_options_in_prompt(prompt: str) -> list[str] | None:
    """The options a prompt lists under Cyrillic labels (`lists_cyrillic_options`: `А) Меркурий\nБ) Венера`, A, B,
    ... by position), or None when it lists none so (a list `options_in_prompt` reads is not one)."""
    if not lists_cyrillic_options(prompt) or options_in_prompt(prompt) is not None:
        return None
    found = _listed_options(prompt, cyrillic=True)
    return found[2] if found is not None else None


def cyrillic_label_answer(answer: str, n: int) -> str | None:
    """The Latin letter of a Cyrillic label answer (`В`, `В)`, `(Г)`: В is the third label, C) among `n` options, or
    None."""
    label = answer.strip().strip(_LABEL_STRIP)
    if len(label) != 1 or label not in CYRILLIC_LABELS or CYRILLIC_LABELS.index(label) >= n:
        return None
    return LETTERS[CYRILLIC_LABELS.index(label)]


# the full-width forms of ASCII's printable characters (U+FF01..U+FF5E) and the ideographic space, as ASCII
_FULL_WIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Cyrillic labels that look like a Latin letter of another position (В is the third label and looks like B)
_CYRILLIC_LOOKALIKES = {"В": "B", "Е": "E", "К": "K"}


def _latin_labels(text: str) -> str:
    """`text` with the labels of a list of options under Cyrillic labels (`lists_cyrillic_options`) written as the
    Latin letters of their positions (`В) Марс` -> `C) Марс`), one character for one (offsets stay); any other text as
    is. Only a label that opens a line counts: "В 1945 году", "А если" are words."""
    if not lists_cyrillic_options(text):
        return text
    return _CYRILLIC_MARK.sub(lambda m: m.group(1) + LETTERS[CYRILLIC_LABELS.index(m.group(2))], text)


def _written_offset(text: str, at: int) -> int:
    """The offset in `text` of offset `at` of `_ascii_marks(text)` (each full-width mark became two characters)."""
    n = 0
    for i, c in enumerate(text):
        n += 2 if ord(c) in _FULL_WIDTH_MARKS else 1
        if n > at:
            return i
    return len(text)


# AMC's options written in LaTeX (MATH, NuminaMath's amc_aime): `\textbf{(A)}\ 1`, `\textbf{(A) }1`,
# `\mathrm{(A) \ } 1`, `\text{(A)}`, `(\mathrm{A})`; group 1 or 2 is the letter
_LATEX_MARK_TEXT = (
    r"\\(?:textbf|mathbf|mathrm|textrm|text|rm|bf)\s*\{\s*\(\s*([A-Z])\s*\)(?:\s|\\[ ,;:!]|~)*\}"
    r"|\(\s*\\(?:textbf|mathbf|mathrm|textrm|text)\s*\{\s*([A-Z])\s*\}\s*\)"
)
_LATEX_MARK = re.compile(_LATEX_MARK_TEXT)
# an answer written as such a mark, maybe with its option's text after it (`\textbf{(B)}`, `$\text{(B)}\ 2$`)
_LATEX_ANSWER = re.compile(rf"\s*\$?\s*(?:{_LATEX_MARK_TEXT})(.*?)\$?\s*", re.DOTALL)
# ... or as a letter in a text command (NuminaMath's cn_k12 answers: `\text{B}`, `$\textbf{B}$`)
_LATEX_LETTER_ANSWER = re.compile(r"\s*\$?\s*\\(?:textbf|mathbf|mathrm|textrm|text|rm|bf)\s*\{\s*([A-Z])\s*\}\s*\$?\s*")
# what surrounds LaTeX options and is not their text: spacing commands, line breaks, unescaped math delimiters
_LATEX_SPACING = re.compile(r"\\(?:qquad|quad|hspace\*?\{[^}]*\}|hfill|[ ,;:!]|\\|[()\[\]])|~|(?<!\\)\$+|\s+")
_MATH_DOLLAR = re.compile(r"(?<!\\)\$")
# an answer that is one option's letter: `B`, `(B)`, `B.`, `b)`
LETTER_ANSWER = re.compile(r"\s*[(\[]?[A-Za-z][)\].:]?\s*")
# an answer that gives an option's letter and then its text (WebInstruct's `(B) CO2`, `B. CO2`, `B: CO2`)
LETTER_WITH_TEXT = re.compile(r"\s*[(\[]?([A-Za-z])\s*[)\].:]\s*(\S.*?)\s*", re.DOTALL)
# an answer that says what it is before the letter (`Option B`, `Answer: B`, `Ans: (B)`, `The answer is B.`, `The
# correct answer is B: CO2`, `The answer is option B`): the letter, maybe with its option's text, is what follows
_ANSWER_PHRASE = re.compile(
    r"\s*(?:the\s+)?(?:(?:correct|right|final|best)\s+)?(?:answer|ans|option|choice)(?:\s+is)?\s*[:\-]?\s*"
    r"(?:(?:option|choice)\s+)?(\S.*?)\s*",
    re.IGNORECASE | re.DOTALL,
)


def phrased_letter(answer: str) -> str | None:
    """The letter an answer phrased around it gives (`Option B`, `Answer: (B)`, `The answer is B.`), with the
    option's text when it gives one (`The correct answer is B: CO2` is `B: CO2`, which is checked against option B as
    any letter with text is), or None when the answer is no such phrase around one letter."""
    m = _ANSWER_PHRASE.fullmatch(answer)
    if m is None:
        return None
    rest = m.group(1)
    if _LETTER.fullmatch(rest.rstrip(".") if rest.endswith(").") else rest):
        return rest.rstrip(".")
    return rest if LETTER_WITH_TEXT.fullmatch(rest) else None


# a prompt that asks for every option that holds (SynLogic's "List all option labels that are true, separated by
# commas", "Select all that apply", "one or more may be correct"): a one-letter answer is its answer set, not the one
# right option of an MCQ
SEVERAL_OPTIONS = (
    r"\b(?:select|choose|list|identify|pick|mark|circle|name|give)\s+(?:all|every|each)\b"
    r"|\ball\s+(?:that|which)\s+(?:apply|are\s+(?:true|correct))\b|\bone\s+or\s+more\b"
    r"|\bseparated\s+by\s+commas?\b|\bcomma[- ]separated\b|\bmore\s+than\s+one\s+(?:answer|option|choice)"
)  # also the bulk path's filter (polars): such MCQ rows take the per-row path
_SEVERAL_OPTIONS = re.compile(SEVERAL_OPTIONS, re.IGNORECASE)
# a row's question type that says several options may be right (JEEBench's `type: MCQ(multiple)`, "multiple-select",
# "multiple answers"; not "multiple choice")
TYPE_COLUMNS = ("type", "question_type", "problem_type")
_MULTI_SELECT_TYPE = re.compile(
    r"mcq\s*\(\s*multiple\s*\)|multi(?:ple)?[\s_-]*(?:select|answers?|correct|responses?)|select[\s_-]*all",
    re.IGNORECASE,
)


def typed_multi_select(record: dict[str, Any]) -> bool:
    """Whether a row's question-type column (`TYPE_COLUMNS`) says that several options may be right."""
    return any(isinstance(v := record.get(c), str) and _MULTI_SELECT_TYPE.search(v) for c in TYPE_COLUMNS)


def asks_for_several_options(prompt: str) -> bool:
    """Whether a prompt asks for every option that holds, not for one (`_SEVERAL_OPTIONS`)."""
    return _SEVERAL_OPTIONS.search(prompt) is not None


def options_in_prompt(prompt: str) -> list[str] | None:
    """The options a prompt lists at its end, each after its own letter from A (BIG-Bench Hard's `Options:\n(A)
    ...\n(B) ...`, AQuA-RAT's `Answer Choices: (A) 30 (B) 40`, AMC's in LaTeX: `latex_options`), or None. The last
    option ends at its line (an instruction may follow it); the last run of marks from A wins. Full-width marks
    (`A．`, `A、`, `（A）`) count."""
    found = _listed_options(prompt)
    return found[2] if found is not None else None


def _listed_options(prompt: str, cyrillic: bool = False) -> tuple[int, int, list[str]] | None:
    """`options_in_prompt`'s options, with where their list starts (option A's mark) and ends (the end of the last
    option's line, or of its math block), as offsets into `prompt`; with `cyrillic`, also a list under Cyrillic
    labels (`_latin_labels`: А) Б) В) Г) are A to D by position)."""
    text = _ascii_marks(prompt)
    if cyrillic:
        text = _latin_labels(text)
    found = _plain_listed_options(text)
    if found is None and "{" in text:
        found = _latex_options(text)
    if found is None or found[2] is None:
        return None
    start, end, options = found
    if text is not prompt:
        start, end = _written_offset(prompt, start), _written_offset(prompt, end)
    return start, end, options


def around_listed_options(prompt: str) -> tuple[str, str] | None:
    """The text before and after the options a prompt lists (`options_in_prompt`), or None when it lists none."""
    found = _listed_options(prompt)
    return None if found is None else (prompt[: found[0]], prompt[found[1] :])


def _plain_listed_options(prompt: str) -> tuple[int, int, list[str] | None] | None:
    """The last run of plain marks from A that reads as options, where it starts and ends; its options are None when
    the run is no list read safely (then there is none, not even in LaTeX), and it is None when there is no run."""
    for m in reversed(list(_PROMPT_FIRST_MARK.finditer(prompt))):
        found = _options_and_last_mark(prompt[m.start() :], strict=False)
        if found is None:
            continue
        options, last_mark = found
        if any("\n" in o for o in options[:-1]):
            return 0, 0, None  # an option of several lines: no list this reads safely
        options[-1] = options[-1].split("\n", 1)[0].strip()
        if not options[-1]:
            return 0, 0, None
        text_at = m.start() + last_mark
        text_at += len(prompt[text_at:]) - len(prompt[text_at:].lstrip())  # the last option may start on the next line
        end = prompt.find("\n", text_at)
        return m.start(), end if end >= 0 else len(prompt), options
    return None


# A prompt's closing list of numbered options, one per line: `1. 5`, `1) 5`, `(1) 5`, `[1] 5`, `1: 5` (a space after
# the mark: `1.5` is a number)
_NUMBERED_LINE = re.compile(r"[ \t]*([(\[]?)(\d{1,2})[ \t]*([)\].:])[ \t]+(\S.*?)[ \t]*")
# what the text before such a list ends with when the list is a question's options: the question, or a heading or an
# instruction that names options or choosing (`Options:`, `Choose the correct answer:`); "Solve the system:" or
# "Given:" introduce conditions
_INTRODUCES_OPTIONS = re.compile(
    r"(?i)\?\s*\Z|\b(?:options?|choices?|alternatives?|answers?|choose|select|pick)\b[^\n]*:\s*\Z"
)
# a question about the listed items themselves ("How many of the following are prime?"): a number answer may be a
# count of them, not an option's number
COUNTS_THE_LIST = re.compile(
    r"(?i)\bhow\s+many\b[^?\n]*?\b(?:of\s+(?:the\s+)?(?:following|these|those|them|above)|following|listed|above|below)\b"
    r"|\bnumber\s+of\s+(?:the\s+)?(?:following|these|those|listed)\b"
)
# an item that is no option: a sentence (five words or more ending in `.`, `!` or `?`: a step, a statement), or long
_SENTENCE = re.compile(r"\S+(?:\s+\S+){4,}\s*[.!?]")
_OPTION_WORDS, OPTION_CHARS = 8, 60
# a prompt that may close with numbered options (`numbered_options_in_prompt`), in polars' regex dialect: the bulk path
# sends such plain rows with a number answer to the per-row path
MAY_LIST_NUMBERED_POLARS = r"(?m)^[ \t]*[(\[]?[01][ \t]*[)\].:][ \t]+\S"


# an instruction that may follow a list of numbered options (`Choose the correct option.`, `Think step by step.`): a
# line or two that opens with a verb of answering (no question: a question after a list asks about it)
_CLOSING_INSTRUCTION = re.compile(
    r"(?i)[ \t]*(?:please[ \t]+)?(?:answer|choose|select|pick|give|respond|reply|indicate|write|state|provide|"
    r"output|return|put|mark|circle|explain|think|show|justify|only|your[ \t]+answer)\b[^?]*"
)
# ... that asks for the option's number: the number is then the answer the prompt asks for, and letters would
# contradict it
_ASKS_FOR_NUMBER = re.compile(r"(?i)\b(?:numbers?|numerals?|digits?|index)\b")
_CLOSING_LINES, _CLOSING_CHARS = 2, 200
# a question that asks to choose among listed items ("Which of the following ...?", "Select all that apply"): numbered
# equations or several numbers answer it as options; to "What is x?" over numbered equations, a number is a value
ASKS_TO_PICK = re.compile(
    r"\b(?:which|select|choose|pick|identify|mark|circle|following|these|options?|choices?|statements?)\b",
    re.IGNORECASE,
)
# an item that states a relation (`x + y = 3`, `2y > 3`): maybe a condition, unless the question asks to choose
RELATION = re.compile(r"[=<>≤≥≠]")


@dataclass(frozen=True)
class NumberedOptions:
    """A prompt's closing list of numbered options: the question before it (without an `Options:` heading), the
    options' texts in order, the number of the first (0 or 1), and the instruction that follows the list ("" when
    none)."""

    question: str
    options: list[str]
    first: int
    closing: str = ""


def numbered_options_in_prompt(prompt: str) -> NumberedOptions | None:
    """The options a prompt closes with when it numbers them, one per line (`What is 3+4?\n1. 5\n2. 7\n3. 9`), or
    None. A list of options: the prompt's last lines, two or more, numbered 0, 1, ... or 1, 2, ... in one style, each a
    short item (up to 8 words and 60 characters, no sentence), after a question (`?`) or a heading or instruction that
    names options or choosing (`Options:`, `Choose the correct answer:`), and maybe followed by an instruction (a line
    or two opening with a verb of answering, `Choose the correct option.`) that does not ask for the option's number
    (then the number is the answer asked for). Steps, statements and conditions ("Solve the system:\n1. x + y = 3\n2.
    x - y = 1", a list a question follows) are not."""
    found = _numbered_list(prompt)
    return found[0] if found is not None and not found[1] else None


def numbered_options_asking_number(prompt: str) -> NumberedOptions | None:
    """The options a prompt numbers as `numbered_options_in_prompt` reads them, when the instruction that follows them
    asks for the option's number ("Explain your reasoning, then give the option's number."), or None."""
    found = _numbered_list(prompt)
    return found[0] if found is not None and found[1] else None


def _numbered_list(prompt: str) -> tuple[NumberedOptions, bool] | None:
    """`numbered_options_in_prompt`'s list, and whether the instruction after it asks for the option's number."""
    lines = prompt.rstrip().split("\n")
    i = len(lines)
    closing: list[str] = []
    while i > 0 and len(closing) <= _CLOSING_LINES and _NUMBERED_LINE.fullmatch(lines[i - 1]) is None:
        if lines[i - 1].strip():
            closing.append(lines[i - 1].strip())
        i -= 1
    closing.reverse()
    after = "\n".join(closing)
    if closing and (
        len(closing) > _CLOSING_LINES
        or len(after) > _CLOSING_CHARS
        or not all(_CLOSING_INSTRUCTION.fullmatch(line) for line in closing)
    ):
        return None
    items: list[re.Match[str]] = []
    while i > 0:
        line = lines[i - 1]
        if not line.strip() and items:  # a blank line between options, or before them
            i -= 1
            continue
        m = _NUMBERED_LINE.fullmatch(line)
        if m is None:
            break
        items.append(m)
        i -= 1
    items.reverse()
    if not 2 <= len(items) <= len(LETTERS) or len({(m.group(1), m.group(3)) for m in items}) != 1:
        return None
    first = int(items[0].group(2))
    if first not in (0, 1) or any(int(m.group(2)) != first + k for k, m in enumerate(items)):
        return None
    texts = [m.group(4) for m in items]
    if any(len(t) > OPTION_CHARS or len(t.split()) > _OPTION_WORDS or _SENTENCE.fullmatch(t) for t in texts):
        return None
    before = "\n".join(lines[:i]).rstrip()
    question = _OPTIONS_HEADING.sub("", before).rstrip()
    if not question or not _INTRODUCES_OPTIONS.search(before):
        return None
    return NumberedOptions(question, texts, first, after), bool(closing) and _ASKS_FOR_NUMBER.search(after) is not None


def _latex_text(text: str) -> str:
    return _LATEX_SPACING.sub(" ", text).strip().rstrip(",;").strip()


def latex_options(prompt: str) -> list[str] | None:
    """The options of AMC's LaTeX list (`$\\textbf{(A)}\\ 1 \\qquad \\textbf{(B)}\\ 2 ...$`, one mark per letter from A,
    in order), each without the spacing and math delimiters around it, or None. The last option ends with its math
    block (at the next `$`), else at its line; the last run of marks from A wins."""
    found = _latex_options(prompt)
    return found[2] if found is not None else None


def _latex_options(prompt: str) -> tuple[int, int, list[str]] | None:
    """`latex_options`'s options, with where their list starts (A's mark) and ends (its math block's closing `$`, or
    the end of the last option's line)."""
    marks = [(m, m.group(1) or m.group(2)) for m in _LATEX_MARK.finditer(prompt)]
    for i in range(len(marks) - 1, -1, -1):
        if marks[i][1] != "A":
            continue
        run = [marks[i][0]]
        for m, letter in marks[i + 1 :]:
            if len(run) == len(LETTERS) or letter != LETTERS[len(run)]:
                break
            run.append(m)
        if len(run) < 2:
            continue
        last = run[-1].end()
        if len(_MATH_DOLLAR.findall(prompt, 0, last)) % 2:  # inside a math block: it ends the last option
            close = _MATH_DOLLAR.search(prompt, last)
            end = close.start() if close else len(prompt)
        else:
            end = prompt.find("\n", last) % (len(prompt) + 1)
        ends = [m.start() for m in run[1:]] + [end]
        options = [_latex_text(prompt[m.end() : e]) for m, e in zip(run, ends, strict=True)]
        return (run[0].start(), end, options) if all(options) else None
    return None


def latex_letter_answer(answer: str) -> str | None:
    """An answer written as AMC's LaTeX mark (`\\textbf{(B)}`, `$\\text{(B)}\\ 2$`) or a letter in a text command
    (`\\text{B}`) as a plain one (`(B)`, `(B) 2`), or None."""
    m = _LATEX_ANSWER.fullmatch(answer)
    if m is None:
        bare = _LATEX_LETTER_ANSWER.fullmatch(answer)
        return f"({bare.group(1)})" if bare else None
    letter, rest = m.group(1) or m.group(2), _latex_text(m.group(3))
    return f"({letter}) {rest}" if rest else f"({letter})"


def listed_option_with_text(answer: str, listed: list[str]) -> str | None:
    """The letter of the one listed option whose text the answer is (exact, else ignoring case, spacing and a final
    period, as `_letter_with_its_text` compares), or None."""
    a = answer.strip()
    hits = [i for i, o in enumerate(listed) if o.strip() == a] or [
        i for i, o in enumerate(listed) if _plain_text(o) == _plain_text(a)
    ]
    return LETTERS[hits[0]] if len(hits) == 1 else None


def parse_choices(value: Any, names: list[str] | None = None) -> Choices:
    """Choices from a list, a letter -> text object, an ARC `{label, text}` object, a list of `{key, value}` objects
    (MedQA; HeadQA's `{aid, atext}`) or one text of lettered or numbered options (`options_in_text`,
    `numbered_options_in_text`); raises ChoiceError. `names`
    names the list items for messages (the source columns of a list-of-columns mapping)."""
    if isinstance(value, str) and (in_text := options_in_text(value)) is not None:
        return _from_list(in_text)
    if isinstance(value, str) and (numbered := numbered_options_in_text(value)) is not None:
        # the numbers are the options' labels, as for a list of options numbered each (`own_numbers_removed`)
        _check_count(len(numbered))
        letters = LETTERS[: len(numbered)]
        labels = {str(i + 1): k for i, k in enumerate(letters)}
        return Choices(dict(zip(letters, numbered, strict=True)), labels, False, numbered=True)
    if isinstance(value, list | tuple) and (pairs := _keyed_items(value)) is not None:
        return _labelled(*pairs)
    if isinstance(value, list | tuple):
        return _from_list(list(value), names)
    if isinstance(value, dict):
        if set(value) == {"label", "text"} and isinstance(value["label"], list) and isinstance(value["text"], list):
            return _labelled(value["label"], value["text"])
        if set(value) >= {"label", "text"}:
            raise ChoiceError("choices", "wrong_type", "choices {label, text} must hold two lists")
        return _labelled(list(value), list(value.values()))
    if isinstance(value, str) and (twice := repeated_option_mark(value)) is not None:
        raise ChoiceError(
            "choices",
            "invalid_value",
            f"the options text writes the mark {twice!r} twice (one option's text holds it): where an option ends "
            "would be a guess; give the options as a list",
        )
    if isinstance(value, str) and NUMPY_TEXT.search(value):
        raise ChoiceError(
            "choices",
            "wrong_type",
            "choices is a numpy array's text, as pandas writes a `datasets` list column (`ds.to_pandas().to_csv()`: "
            f"{value[:60]!r}), which cannot be read back safely: write the file as Parquet or JSONL (`ds.to_parquet`, "
            "`ds.to_json`)",
        )
    if isinstance(value, str):
        raise ChoiceError(
            "choices",
            "wrong_type",
            "choices must be a list, an object, or one text of lettered or numbered options ('a ) 5 , b ) 6', "
            "'1) 5 2) 6'), got the text "
            f"{value[:60]!r}",
        )
    raise ChoiceError("choices", "wrong_type", f"choices must be a list or an object, got {type(value).__name__}")


# a numpy array as its text (pandas' `to_csv` of a list column read by `datasets`' `to_pandas`): `['0' '4' '2']`
# (quoted items apart without a comma, which a Python literal would join into one) or `array([...], dtype=object)`
# (CommonsenseQA's `{'label': array([...]), ...}`)
NUMPY_TEXT = re.compile(r"""\barray\(\[|\A\s*\[\s*(?:'[^'\n]*'|"[^"\n]*")\s+['"]""")


# a list of options as objects of a label and a text: MedQA's `[{"key": "A", "value": "Ampicillin"}, ...]`, HeadQA's
# `[{"aid": 1, "atext": "..."}, ...]` (its answer `ra` is the right aid, a numeric label)
_KEYED_ITEMS = (("key", "value"), ("label", "text"), ("aid", "atext"))


def _keyed_items(value: list[Any] | tuple[Any, ...]) -> tuple[list[Any], list[Any]] | None:
    """The labels and texts of a list of `{key, value}` (or `{label, text}`) objects, every item of the same two keys;
    else None (a list of texts, or of other objects: refused as options that are not text)."""
    for key, text in _KEYED_ITEMS:
        if value and all(isinstance(v, dict) and set(v) == {key, text} for v in value):
            return [v[key] for v in value], [v[text] for v in value]
    return None


@dataclass
class IndexSeen:
    """How one file's MCQ answers read as option indexes: whether one was 0, how many were the number of choices
    (one past the last 0-based index) with the first such (answer, choices) pair. Answers 1..n and never 0 mean a
    1-based file: read 0-based, each names the next option.

    Also the first answer of each kind that shows the file reads its integers two ways (`mixed`): an integer outside
    the indexes that is an option's text (`as_text`: answer, letter; not the number of choices, which may be a
    1-based index) beside one read as an index while it is another
    option's text (`as_index`: answer, the index's letter, the text's letter); and, for options numbered from 1
    (`1. 5`), an answer 0 (`numbered_zero`) beside one read as an option's number (`numbered_read`: answer, letter).
    `index_only`: an integer answer read as an index that is no option's text (the file's integers are indexes);
    without one, a file whose integers were read as indexes that are other options' texts is `unsettled`."""

    zero: bool = False
    top: int = 0
    example: tuple[int, int] | None = None
    as_text: tuple[int, str] | None = None
    as_index: tuple[int, str, str] | None = None
    numbered_zero: bool = False
    numbered_read: tuple[str, str] | None = None
    index_only: bool = False

    def note(self, value: int, n: int) -> None:
        if value == 0:
            self.zero = True
        elif value == n:
            self.top += 1
            self.example = self.example or (value, n)

    def looks_one_based(self) -> bool:
        return self.top > 0 and not self.zero

    def merge(self, other: IndexSeen) -> None:
        """What `other` saw of an answer that resolved (the bulk path's probe), except the count of answers equal to
        the number of choices (outside the 0-based indexes, such an answer takes the per-row path, which counts it)."""
        self.zero = self.zero or other.zero
        self.as_text = self.as_text or other.as_text
        self.as_index = self.as_index or other.as_index
        self.numbered_zero = self.numbered_zero or other.numbered_zero
        self.numbered_read = self.numbered_read or other.numbered_read
        self.index_only = self.index_only or other.index_only

    def mixed(self) -> str | None:
        """Why the file's integer answers cannot all be read one way (some rows' keys would name the wrong option), or
        None. The caller stops the ingest: which reading the file means decides every row's letter."""
        if self.as_text is not None and self.as_index is not None:
            (t, t_letter), (i, i_letter, i_text) = self.as_text, self.as_index
            return (
                f"the MCQ answers read as the options' texts (answer {t} is outside the indexes and is option "
                f"{t_letter}'s text), while answer {i} was read as index {i} ({i_letter}) though it is option "
                f"{i_text}'s text; set integer_answer: text on the source (--integer-answer text) if the answers "
                "are the options' values, or answer_index_base: 0 (--answer-index-base 0) if they are 0-based indexes"
            )
        if self.numbered_zero and self.numbered_read is not None:
            a, letter = self.numbered_read
            return (
                "the options are numbered from 1 ('1. ...') and answer 0 names none of them, so the answers may count "
                f"from 0, while answer {a} was read as option number {a} ({letter}); set answer_index_base: 0 on the "
                "source (--answer-index-base 0) if the answers are 0-based indexes, or 1 if they are the options' "
                "numbers"
            )
        return None

    def unsettled(self) -> str | None:
        """At the end of a file: why its integer answers were read as indexes with nothing to say they are (each one
        read so was also another option's text, `[2, 1, 0, 3]` with 2, and none was an index only), or None. Read as
        texts, every such row's key names another option; the caller stops the ingest, as for `looks_one_based`."""
        if self.as_index is None or self.as_text is not None or self.index_only:
            return None
        i, i_letter, i_text = self.as_index
        return (
            f"every integer MCQ answer read as an index is also another option's text (answer {i} was read as index "
            f"{i} ({i_letter}) though it is option {i_text}'s text), so nothing in the file tells which is meant; set "
            "answer_index_base: 0 on the source (--answer-index-base 0) if the answers are 0-based indexes, or "
            "integer_answer: text (--integer-answer text) if they are the options' values"
        )


# An option that names other options by letter (`Both A and B`, `(A) and (C)`, `A, B and C`, `Neither A nor B`)
_NAMES_LETTERS = re.compile(
    r"(?<![A-Za-z0-9])\(?([A-Z])\)?\s*(?:,|&|\band\b|\bor\b|\bnor\b)\s*\(?([A-Z])\)?(?![A-Za-z0-9])"
)
# ... or by position (`All of the above`, `None of the options above`, `both of the below`)
_NAMES_POSITIONS = re.compile(r"\b(?:above|below|preceding|previous|following)\b", re.IGNORECASE)


def refers_to_options(options: dict[str, str]) -> bool:
    """Whether an option names other options by letter or by position: shuffled, `Both A and B` would name two
    other options and `All of the above` stand above only some of them, so the reference changes meaning while its
    letter still marks it right. (A false alarm, `Vitamins A and B`, only leaves that row unshuffled.)"""
    for v in options.values():
        if _NAMES_POSITIONS.search(v):
            return True
        m = _NAMES_LETTERS.search(v)
        if m and m.group(1) in options and m.group(2) in options:
            return True
    return False


def shuffled(options: dict[str, str], letter: str, seed_text: str) -> tuple[dict[str, str], str]:
    """The options in an order fixed by `seed_text` (the same text, the same order, on every machine and Python
    version: each position is ranked by an xxhash of the text and its index) and the answer's new letter."""
    import xxhash

    values = list(options.values())
    order = sorted(range(len(values)), key=lambda i: xxhash.xxh64_intdigest(f"{seed_text}\x1f{i}".encode()))
    old = list(options).index(letter)
    return {LETTERS[j]: values[i] for j, i in enumerate(order)}, LETTERS[order.index(old)]


def resolve_answer(
    answer: Any,
    choices: Choices,
    base: int | None = None,
    seen: IndexSeen | None = None,
    *,
    float_text: bool = False,
    by_text: bool = False,
) -> str:
    """The letter the reference answer names; raises ChoiceError (missing, matches none, or ambiguous). An integer
    (or, for list choices, a digit string) is an option index counted from `base` (0: 0 = A; 1: 1 = A; None: 0,
    and options numbered from 1 (`1. 5`) are named by their numbers; a base given counts them as indexes too);
    `seen` records how answers read as indexes, for the file-level checks. `float_text` (ingest): a digit string
    written as a float (`1.0`, pandas' `to_csv` of an integer column with an empty cell) is that index too.
    `by_text` (the source's `integer_answer: text`): an integer or digit answer is its option's text, never an
    index or a number label (`[3, 5, 7, 9]` with 7 is C)."""
    opts = choices.options
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        raise ChoiceError("answer", "missing_field", "MCQ answer is missing or blank")
    if isinstance(answer, bool):
        return _unique_key(_boolean_option(answer, opts), opts)
    if not isinstance(answer, str | int | float):
        raise ChoiceError(
            "answer", "wrong_type", f"MCQ answer must be a letter, index or choice text, got {type(answer).__name__}"
        )
    if isinstance(answer, float):
        if not answer.is_integer():
            raise ChoiceError("answer", "invalid_value", f"answer {answer!r} is not a choice index")
        answer = int(answer)
    if isinstance(answer, int) and choices.labels and not by_text and not (choices.numbered and base is not None):
        answer = str(answer)  # ARC-style numeric labels: 2 is the label "2", not an index
    return _unique_key(_resolve(answer, choices, base, seen, float_text, by_text), opts)


_BOOLEAN_OPTIONS = {True: ("true", "yes"), False: ("false", "no")}


def _boolean_option(answer: bool, opts: dict[str, str]) -> str:
    """The letter of the one option that reads a boolean answer (JSON's `true`: `True` or `Yes`, `false`: `False` or
    `No`, in any case, a final period aside); raises ChoiceError when none or several do. Never an index: True is 1."""
    hits = [k for k, v in opts.items() if _plain_text(v) in _BOOLEAN_OPTIONS[answer]]
    if len(hits) == 1:
        return hits[0]
    if hits:
        which = f"options {', '.join(hits[:-1])} and {hits[-1]}"
        raise ChoiceError("answer", "invalid_value", f"answer {answer} is ambiguous ({which} read it); give the letter")
    raise ChoiceError(
        "answer",
        "invalid_value",
        f"answer {answer} is a boolean and no option reads {answer} or {'Yes' if answer else 'No'} (choices "
        f"{sorted(opts)}); give the letter, index or option text",
    )


# an answer that lists several option letters: `B, D`, `B and D`, `(B) (D)`, `b; d`, or a run of capitals (`BD`)
_LETTER_LIST = re.compile(
    r"\s*[(\[]?([A-Za-z])[)\]]?(?:\s*(?:,|;|/|&|\band\b|\s)\s*[(\[]?([A-Za-z])[)\]]?)+\s*\.?\s*", re.IGNORECASE
)
_LETTER_RUN = re.compile(r"\s*([A-Z]{2,})\s*\.?\s*")


def lists_letters(answer: str) -> bool:
    """Whether an answer is written as several letters (`B, D`, `BD`, `B and D`, `(B) (D)`), option letters or not."""
    return _LETTER_LIST.fullmatch(answer) is not None or _LETTER_RUN.fullmatch(answer) is not None


def several_letters(answer: Any, choices: Choices) -> list[str] | None:
    """The letters of a multi-select MCQ answer (`B, D`, `BD`, `B and D`), sorted, or None when the answer does not
    list two or more different option letters (each once). Read only after `resolve_answer` found no single option."""
    if not isinstance(answer, str):
        return None
    a = answer.strip()
    if (run := _LETTER_RUN.fullmatch(a)) is not None:
        letters = list(run.group(1))
    elif _LETTER_LIST.fullmatch(a):
        letters = [x.upper() for x in re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", a)]
    else:
        return None
    if len(letters) < 2 or len(set(letters)) != len(letters) or not set(letters) <= set(choices.options):
        return None
    for letter in letters:
        _unique_key(letter, choices.options)
    return sorted(letters)


def shuffled_letters(options: dict[str, str], letters: list[str], seed_text: str) -> tuple[dict[str, str], list[str]]:
    """`shuffled` for a multi-select answer: the options in the same order, and each letter's new letter."""
    new, _ = shuffled(options, letters[0], seed_text)
    where = {text: k for k, text in new.items()}
    return new, sorted(where[options[x]] for x in letters)


def _unique_key(letter: str, opts: dict[str, str]) -> str:
    """`letter`, unless another option has the same text: the key then marks one of two identical options right
    (a response naming the other fails, and a trace that picks one of them teaches an arbitrary choice)."""
    text = " ".join(opts[letter].split()).casefold()
    same = [k for k, v in opts.items() if k != letter and " ".join(v.split()).casefold() == text]
    if same:
        raise ChoiceError(
            "choices",
            "invalid_value",
            f"the answer {letter} and option {same[0]} are the same text ({opts[letter][:40]!r}): the key is ambiguous",
        )
    return letter


_FLOAT_INDEX = re.compile(r"[0-9]+\.0+")


def _text_letters(text: str, choices: Choices) -> list[str]:
    """The letters of the options whose text (as shown or as the source wrote it) is `text`, spacing at the ends
    aside."""
    return list(dict.fromkeys(k for k, v in [*choices.options.items(), *choices.written.items()] if v.strip() == text))


_SHOWN_CHARS = 200  # of the options an error names


def _shown(opts: dict[str, str]) -> str:
    """The options as an error names them, `A. Sirius, B. The Sun, ...` (cut at `_SHOWN_CHARS`): the letters alone
    ("choices ['A', 'B', 'C']") did not say what the answer failed to name."""
    text = ", ".join(f"{k}. {' '.join(v.split())}" for k, v in sorted(opts.items()))
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _resolve(
    answer: str | int,
    choices: Choices,
    base: int | None,
    seen: IndexSeen | None,
    float_text: bool = False,
    by_text: bool = False,
) -> str:
    opts = choices.options
    start = base or 0
    if isinstance(answer, int):
        texts = _text_letters(str(answer), choices)
        if by_text:
            if not texts:
                raise ChoiceError(
                    "answer", "invalid_value", f"answer {answer} is no option's text (integer_answer: text)"
                )
            return texts[0]
        inside = 0 <= answer - start < len(opts)
        if seen is not None:
            seen.note(answer, len(opts))
            if not inside and texts and answer != len(opts):  # the number of choices: maybe 1-based (`note`)
                seen.as_text = seen.as_text or (answer, texts[0])
            elif inside and texts and LETTERS[answer - start] not in texts:
                seen.as_index = seen.as_index or (answer, LETTERS[answer - start], texts[0])
            elif inside and not texts:
                seen.index_only = True
        if inside:
            return LETTERS[answer - start]
        hint = (
            f", and it is option {texts[0]}'s text: if the answers are the options' texts, set integer_answer: text "
            "on the source"
            if texts
            else ""
        )
        raise ChoiceError(
            "answer", "invalid_value", f"answer index {answer} outside {start}..{len(opts) - 1 + start}{hint}"
        )
    a = answer.strip()
    readings: dict[str, str] = {}  # letter -> how the answer was read as it
    # an index written as a float (`1.0`: pandas' `to_csv` of an integer column with an empty cell) reads as `1`
    digits = a.split(".")[0] if float_text and _FLOAT_INDEX.fullmatch(a) else a
    number = digits.isascii() and digits.isdigit()
    # options numbered from 1 with a base given: their numbers are indexes counted from it, as a list's positions
    numbers_index = choices.numbered and base is not None
    if choices.labels and not (number and (by_text or numbers_index)):
        label = a.strip(_LABEL_STRIP).upper()
        if label in choices.labels and not choices.numbered:
            # the source's own labels (ARC's `{"label": ["1", ...]}`, HeadQA's aids): its key names one of them, so
            # an option whose text reads like the key (ARC's `["23", "46", "2", "1"]` keyed "1") is not read (such
            # rows were quarantined as ambiguous)
            return choices.labels[label]
        if label in choices.labels:
            readings.setdefault(choices.labels[label], f"label {label}")
            if choices.numbered and seen is not None:
                seen.numbered_read = seen.numbered_read or (a, choices.labels[label])
        elif choices.numbered and seen is not None and number and int(digits) == 0:
            seen.numbered_zero = True
    if not choices.labels or all(x.isdigit() for x in choices.labels):  # numeric labels: a letter is still a letter
        m = _LETTER.match(a)
        if m and m.group(1).upper() in opts:
            readings.setdefault(m.group(1).upper(), "letter")
    texts = [*opts.items(), *choices.written.items()]  # the options as shown, and as the source wrote them
    named_by_text = (
        list(dict.fromkeys(k for k, v in texts if v.strip() == a))
        or list(dict.fromkeys(k for k, v in texts if v.strip().casefold() == a.casefold()))
        # a full stop after the text ("Dolphin." for "Dolphin"), as options listed in the prompt are read
        or list(dict.fromkeys(k for k, v in texts if v.strip().rstrip(".").casefold() == a.rstrip(".").casefold()))
    )
    for k in named_by_text:
        readings.setdefault(k, "the text of option " + k)
    if (choices.indexable or numbers_index) and number and not by_text:
        if seen is not None and not readings:  # only where the index alone decides (not an option's own text)
            seen.note(int(digits), len(opts))
            seen.index_only = seen.index_only or 0 <= int(digits) - start < len(opts)
        if 0 <= int(digits) - start < len(opts):
            index_letter = LETTERS[int(digits) - start]
            if base is not None and choices.indexable:
                # the source set `answer_index_base`: its digit answers are indexes (MMLU saved as CSV, where the
                # index 2 is text as option B's `2` is; such rows were quarantined as ambiguous whatever was set)
                return index_letter
            readings.setdefault(index_letter, f"{start}-based index {a}")
    if len(readings) == 1:
        return next(iter(readings))
    if not readings and (plain := latex_letter_answer(a)) is not None:  # AMC's `\\textbf{(B)}`
        return _resolve(plain, choices, base, seen, float_text, by_text)
    if not readings and (m := LETTER_WITH_TEXT.fullmatch(a)) is not None and m.group(1).upper() in opts:
        return _letter_with_its_text(a, m.group(1).upper(), m.group(2), texts)
    if not readings and (phrased := phrased_letter(a)) is not None and phrased.strip("([").upper()[0] in opts:
        # `Option B`, `Answer: B`, `The answer is (B) CO2`: the letter it gives (its text checked as above)
        return _resolve(phrased, choices, base, seen, float_text, by_text)
    if not readings and (wide := a.translate(_FULL_WIDTH_ASCII)) != a:
        # a full-width letter or mark (`Ｃ`, `（Ｃ）`, a Chinese or Japanese file's answers): as its ASCII form (not
        # NFKC's: `²` is no index 2)
        return _resolve(wide, choices, base, seen, float_text, by_text)
    if not readings and (cyr := cyrillic_label_answer(a, len(opts))) is not None:
        label = a.strip().strip(_LABEL_STRIP)
        if label not in _CYRILLIC_LOOKALIKES or cyr == _CYRILLIC_LOOKALIKES[label]:
            return cyr  # `Б`, `Г`: a Cyrillic list's label, the option of its position (А is A either way)
        raise ChoiceError(
            "answer",
            "invalid_value",
            f"answer {a[:40]!r} is a Cyrillic letter: as a label of a Cyrillic list (А Б В Г ...) it names option "
            f"{cyr}, and it looks like the Latin {_CYRILLIC_LOOKALIKES[label]}; write the answers as Latin letters "
            "or the options' texts",
        )
    if not readings:
        raise ChoiceError(
            "answer",
            "invalid_value",
            f"answer {a[:40]!r} is neither a choice letter, index nor choice text (options {_shown(opts)})",
        )
    how = "; ".join(f"{why} -> {k}" for k, why in readings.items())
    hint = ""
    if any(why.endswith(f"index {a}") for why in readings.values()) and named_by_text:
        hint = (
            ", or set integer_answer: text on the source if the file's answers are the options' texts, or "
            f"answer_index_base: {start} if they are indexes"
        )
    raise ChoiceError("answer", "invalid_value", f"answer {a[:40]!r} is ambiguous ({how}); give the letter{hint}")


def _plain_text(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()


def _letter_with_its_text(answer: str, letter: str, text: str, texts: list[tuple[str, str]]) -> str:
    """The letter of an answer that gives an option's letter and its text (`(B) CO2`), when the text is that option's;
    raises ChoiceError when it is another option's or none's (which of the two the dataset meant is unknown)."""
    named = list(dict.fromkeys(k for k, v in texts if _plain_text(v) == _plain_text(text)))
    if letter in named:
        return letter
    shown = dict(texts)[letter]
    other = f"option {named[0]}" if named else "no option"
    raise ChoiceError(
        "answer",
        "invalid_value",
        f"answer {answer[:40]!r} names option {letter} ({shown[:40]!r}) but gives the text of {other}",
    )


def _flex(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


def _shown_options(prompt: str) -> list[str] | None:
    """The options a prompt lists as a model reads them: `options_in_prompt`'s, or a list under Cyrillic labels
    (Russian MMLU-style `А) Меркурий\nБ) Венера`, `_latin_labels`). Not `options_in_prompt`'s own: a Latin letter
    answer to a Cyrillic list is no option's letter read safely (`B` is Б's position and looks like В), and the lints
    read a response's Latin letters against that list."""
    found = _listed_options(prompt, cyrillic=True)
    return found[2] if found is not None else None


def shows_options(prompt: str, options: dict[str, str]) -> bool:
    """True when the prompt already lists every option with its letter (`shows_options_as_written`), or ends with a
    list (`_shown_options`: `options_in_prompt`'s, or one under Cyrillic labels `А) Б) В)`) of the same texts in the
    same order written otherwise (another case or spacing, a final period: `A. madrid` for `Madrid`), which is the same
    list."""
    if shows_options_as_written(prompt, options):
        return True
    listed = _shown_options(prompt)
    return listed is not None and list(map(_plain_text, listed)) == list(map(_plain_text, options.values()))


def shows_options_as_written(prompt: str, options: dict[str, str]) -> bool:
    """True when the prompt lists every option with its letter and its text as written (`A. x`, `(A) x`, `A) x`,
    `A: x`, `a) x`, or AMC's LaTeX list: `latex_options`). The bulk path's check: a prompt it is False for that may
    list options (`MAY_LIST_OPTIONS_POLARS`) takes the per-row path, which reads the list (`shows_options`)."""
    prompt = _ascii_marks(prompt)
    return _shows_plain(prompt, options) or (
        "{" in prompt and _LATEX_MARK.search(prompt) is not None and latex_options(prompt) == list(options.values())
    )


def options_listed_otherwise(prompt: str, options: dict[str, str]) -> str | None:
    """Why the options a prompt lists (`_shown_options`: under Latin letters or Cyrillic labels) contradict `options`
    (another order, other texts, more or fewer), or None when they agree or the prompt lists none. Appended below them,
    the options would give one letter two meanings. Lettered items that share no text with the options are no list of
    them (a question's statements `(a) ..., (b) ...` beside the options `(a) only`, `both`): None. Call it for a prompt
    that `shows_options` is False for."""
    listed = _shown_options(prompt)
    if listed is None:
        return None
    theirs, ours = list(map(_plain_text, listed)), list(map(_plain_text, options.values()))
    if theirs == ours or not set(theirs) & set(ours):
        return None
    how = "in another order than" if sorted(theirs) == sorted(ours) else "with other texts than"
    shown = "; ".join(f"{LETTERS[i]}. {o[:30]}" for i, o in enumerate(listed[:6]))
    column = "; ".join(f"{k}. {v[:30]}" for k, v in list(options.items())[:6])
    return (
        f"the prompt lists the options {how} the choices column (prompt: {shown}; column: {column}): appended, "
        "the options would give a letter two meanings; give the question without its options, or the options as it "
        "lists them"
    )


def _shows_plain(prompt: str, options: dict[str, str]) -> bool:
    for k, v in options.items():
        if not v.strip():
            continue
        if v.split()[0] not in prompt:  # the pattern needs the option's first word verbatim: no regex to build
            return False
        label = rf"(?<![A-Za-z0-9])[(\[]?[{k}{k.lower()}]\s*[)\].:][*_]*\s*"  # `a)` lists it too
        if not re.search(label + _flex(v), prompt):
            return False
    return True


def options_block(options: dict[str, str]) -> str:
    return "\n".join(f"{k}. {v}" for k, v in options.items())


def with_options(prompt: str, options: dict[str, str]) -> str:
    """The prompt a model must see: the question, then one `A. text` line per option unless it lists them."""
    if not options or shows_options(prompt, options):
        return prompt
    return f"{prompt.rstrip()}\n\n{options_block(options)}"


def question_of(prompt: str, options: dict[str, str]) -> str:
    """The prompt without the options block `with_options` added (the question a benchmark item holds)."""
    suffix = "\n\n" + options_block(options)
    return prompt[: -len(suffix)] if options and prompt.endswith(suffix) else prompt


# the heading of a list of options (BIG-Bench Hard's `Options:`, AQuA-RAT's `Answer Choices:`): part of the list
_OPTIONS_HEADING = re.compile(r"(?:^|(?<=\s))(?:answer\s+)?(?:options|choices)\s*:\Z", re.IGNORECASE)


def bare_question(prompt: str, options: dict[str, str]) -> str:
    """The question an MCQ asks, without its options: `question_of`, or, for a prompt that lists the options itself
    (ingest stores it as written, `shows_options`), the prompt without that list and its heading (`Options:`, `Answer
    Choices:`); what follows the list (an instruction) stays. Only a list of exactly these options, in this order
    (`_shown_options`' texts, Cyrillic labels too, compared as `shows_options` compares them), is taken off: any other
    prompt is returned as it is. The dedup text and decontamination's bare question of an MCQ, which must be the same
    for the same question however its options are written."""
    question = question_of(prompt, options)
    if question != prompt or not options:
        return question
    found = _listed_options(prompt, cyrillic=True)
    if found is None:
        return prompt
    start, end, listed = found
    if list(map(_plain_text, listed)) != list(map(_plain_text, options.values())):
        return prompt
    before, after = prompt[:start].rstrip(), prompt[end:].strip()
    if before.endswith("$") and len(_MATH_DOLLAR.findall(before)) % 2 and after.startswith("$"):
        before, after = before[:-1].rstrip(), after[1:].strip()  # the math block that held AMC's LaTeX list
    before = _OPTIONS_HEADING.sub("", before).rstrip()
    if not before:
        return prompt  # the options alone: no question to tell apart
    return f"{before}\n\n{after}" if after else before
