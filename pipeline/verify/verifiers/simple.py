"""`exact`, `regex`, `numeric` and `json_schema`: small verifiers on the final answer."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.extract import (
    ambiguous_comma,
    answer_retracted,
    approximation,
    bounds_its_number,
    boxed_contents,
    cjk_numeral,
    comma_decimals,
    committed_values,
    english_numeral,
    final_answer,
    halfwidth,
    has_relation,
    joined_digit_groups,
    latex_decoration,
    list_of_values,
    long_scale,
    plain_emphasis,
    relation_bound,
    rounded_value,
    rounding,
    spoken_number,
    strip_math,
    struck_out,
    unicode_math,
    variables_on_number,
)
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.timeouts import CheckTimeout

# the unit definitions `math` uses
from pipeline.verify.verifiers.math import (
    UNIT_WRAPPER,
    _value_and_unit,
    asked_rounding,
    asks_percent,
    asks_percent_form,
    compound_unit,
    contradicting_equation,
    off_asked_unit,
    off_prompt_unit,
    percent_stem,
    prose_number,
    real_value,
    repeating_decimals,
    rounded_as_asked,
    rounded_in_unit,
    sentence_math,
    si_scale,
    unit_chain,
    unit_of,
    unit_variables,
    wrong_form,
)

# LaTeX that only formats text: `\\text{Yes}` (how models box a word), `\\textit{...}`, `\\mathrm{...}`
_TEXT_COMMAND = re.compile(
    r"\\(?:text|textbf|textit|textrm|textsf|texttt|mathrm|mathbf|mathit|emph|mbox)\s*\{([^{}]*)\}"
)
# "the Denver Broncos" / "Denver Broncos": SQuAD's and TriviaQA's own answer matching drops articles
_LEADING_ARTICLE = re.compile(r"^(?:the|an|a)\s+(?=\S)")


def normalise(s: str, case_sensitive: bool = False) -> str:
    """NFKC, LaTeX text commands and math delimiters unwrapped (`$\\text{Paris}$` -> Paris), collapsed
    whitespace, stripped quotes and trailing punctuation; lower-cased and a leading article dropped unless
    case-sensitive."""
    s = unicodedata.normalize("NFKC", s)
    if "\\" in s or "$" in s:
        s = strip_math(_TEXT_COMMAND.sub(r"\1", s).replace("\\ ", " "))
    s = " ".join(s.split()).strip().strip("\"'`").rstrip(".!").strip()
    # exact 22: a value in emphasis ("The answer is *Paris*.", "_Paris_"; it failed), as bold is read
    if len(s) > 2 and s[0] == s[-1] and s[0] in "*_":
        s = s.strip(s[0]).strip()
    return s if case_sensitive else _LEADING_ARTICLE.sub("", s.casefold())


def aliases_problem(aliases: Any) -> str | None:
    """Why `verifier_args.aliases` (the other answers an `exact` task accepts) is unusable, or None."""
    if not isinstance(aliases, list) or not aliases:
        return f"verifier_args.aliases must be a non-empty list of texts, got {aliases!r:.60}"
    for a in aliases:
        if not isinstance(a, str) or not a.strip():
            return f"verifier_args.aliases must hold non-empty texts, got {a!r:.60}"
    return None


# 7: a final answer under a heading of its own ("**Final Answer**\nParis") or after "Final:" (`extract.stated_answer`)
# 8: a number taken back with the words naming what it counts ("Actually, he has 13 apples."); a number taken back
# after a text answer, or a description ("it is France's capital"), is none (`extract.taken_back`,
# `extract.committed_values`)
# 9: another value hedged with "it could be Lyon" or "maybe Lyon" after the box (`extract.hedged_values`)
# 10: the last statement on a line counts ("I thought the answer is Paris. Checking again, the answer is Lyon." gave
# Paris), and a later one that judges the answer ("the answer is correct") is none (`extract._last_statement`); a
# yes / no taken back in lower case ("\\boxed{Yes}" then "Wait, the answer is no.": `extract._ASSERTED_NAME`)
# 11: answers in the prompt's language, as math 18 reads them (full-width forms: `extract.halfwidth`; a final answer
# stated in another language: `extract.FOREIGN_STATED`; one taken back or called wrong in it: `extract.taken_back`,
# `extract.answer_retracted`)
# 12: more of the prompt's language: a name taken back in it ("\\boxed{París}" then "Espera, en realidad es Lyon.",
# "其实是里昂。": `extract._ASSERTED_NAME`; exact 11 passed those for París) and another value hedged in it
# ("\\boxed{París}, pero también podría ser Lyon.", "\\boxed{巴黎}，也可能是里昂。": `extract.hedged_values`)
# 13: the hedges of math 20 ("\\boxed{Paris}, or Lyon.", "\\boxed{巴黎}，或许是里昂。"), and a yes / no taken back in
# the prompt's language ("\\boxed{Yes}" then "Espera, la respuesta es no.": `extract._ASSERTED_NAME`)
# 14: Japanese hedges and Korean answers, as numeric 27 reads them ("\\boxed{42}、あるいは43。", "정답은 42입니다." read
# "42입니다" as the value), and "42, nicht 43", "42，不是43" as "42, not 43" (they failed `mismatch`)
# 16: a GSM8K-style last line, as math 35 (`extract.gsm8k_final`: "... 72 clips.\n#### 72" failed `mismatch`), and its
# value committed to beside a box before it (`\\boxed{70}` then "#### 72" passed for 70)
# 18: a value taken back with "No," ("\\boxed{Paris}. No, it is Lyon.") and a box written onto more of its value
# (`\\boxed{12}0`), as math 37 reads them through `extract` (each passed)
# 18 also: a box corrected with no word that takes it back ("\\boxed{12}. Should be 13.": `extract.box_corrected`)
# 19: as math 38, a value restated after the box or the stated answer with no word that takes it back ("\\boxed{12}
# Hmm... thirteen.", "The answer is 12. The total should be 13.": `extract.box_corrected`) passed
# 22: another value offered in a sentence of its own after the answer ("The answer is Paris. Hmm, Lyon.",
# "\\boxed{Paris}\n\nOr Lyon.", "Lyon?", "The answer is 12. 13.": `extract.offered_after`) passed, and "The answer
# is No. It is raining." failed for No ("No." was read as the abbreviation of "number": `extract._NOT_ABBREVIATED`)
# 22 also: a value in emphasis ("The answer is *Paris*.") failed (`normalise`); a name stated after the box
# ("\\boxed{Paris}\n\nTherefore, the answer is Lyon.": `extract.committed_values`) and one named after a word that
# takes the answer back ("Actually the capital is Lyon.": `extract._ASSERTED_NAME`) passed
# 23: a statement its own sentence doubts or denies ("I don't think the answer is Paris.", "I wouldn't say the answer
# is Paris.": `extract.doubted_statement`) passed, and so did a value taken back in the more words of math 42 ("The
# answer is Paris. Just kidding, Lyon.")
# 24: as math 43, a value in bold, italics or inline code reads as the bare value ("The answer is
# **Paris**.\n\nActually, it is **Lyon**." and "The answer is *Paris*. Hmm, *Lyon*." passed for Paris; "The answer is
# **Lyon**. Actually, it is **Paris**." failed Paris), an ellipsis before a correction ends the value ("Lyon... no
# wait, it is Paris." failed Paris), and a name alone after "Wait, actually" is taken back ("Answer: Paris\n\nWait,
# actually Lyon." passed for Paris: `extract._ASSERTED_NAME`)
@builtin("exact", version="24")
def verify_exact(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    """Version 2: two different boxed values (`\\boxed{London} or \\boxed{Paris}`) fail `multiple_answers`. Version 3:
    a stated answer ends where its prose begins ("Answer: Paris (the capital of France)."), and a value beside it in
    parentheses ("Paris (or maybe London)") is a second value. Version 4: `verifier_args.aliases`, the other answers
    the task accepts (a list answer's other values, TriviaQA's aliases): any of them passes, and two values pass only
    when both are accepted ("Sunset Boulevard (Sunset Blvd)"); a value written as LaTeX text (`\\boxed{\\text{Yes}}`)
    is its text, and a leading article is dropped ("the Denver Broncos") unless case-sensitive. Version 5: a value
    given inside `<answer>` tags is read (`extract.final_answer`). Version 6: another value offered as right or possible
    on the final answer's line is a second value (`extract.hedged_values`: `\\boxed{Paris} (or possibly Lyon)`, "Paris,
    though Lyon is also plausible" passed)."""
    if task.answer is None:
        return CheckResult.fail("no_reference")
    cs = bool(task.verifier_args.get("case_sensitive", False))
    accepted = {normalise(str(task.answer), cs)}
    if "aliases" in task.verifier_args:
        aliases = task.verifier_args["aliases"]
        problem = aliases_problem(aliases)
        if problem is not None:
            raise VerifierArgsError(f"task {task.task_id}: {problem}", field="verifier_args")
        accepted.update(normalise(a, cs) for a in aliases)
    answer = halfwidth(answer)  # exact 11: full-width forms (`（`, `：`), as the extraction reads them
    answer = plain_emphasis(answer)  # exact 24: "**Lyon**", "*Lyon*", "`Lyon`" read as Lyon is
    candidates = [answer, *(c for c in (final_answer(answer),) if c)]
    given = {normalise(v, cs) for v in committed_values(answer, stated_after=False)}
    if any(normalise(c, cs) in accepted for c in candidates):
        if len(given) > 1 and not given <= accepted:
            return CheckResult.fail("multiple_answers")
        if answer_retracted(answer):
            return CheckResult.fail("retracted")  # exact 8: "\\boxed{Paris} Wait, that is incorrect."
        return CheckResult.ok()
    if given & accepted:
        return CheckResult.fail("multiple_answers")  # an accepted value beside one that is not
    return CheckResult.fail("mismatch")


@lru_cache(maxsize=1024)
def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@builtin("regex", version="1", args_probe=True)
def verify_regex(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    pattern = task.verifier_args.get("pattern")
    if not isinstance(pattern, str):
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.pattern must be a string")
    flags = re.IGNORECASE if task.verifier_args.get("ignore_case") else 0
    try:
        rx = _compile(pattern, flags | re.DOTALL)
    except re.error as exc:
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.pattern is not a valid regex: {exc}") from exc
    match = rx.fullmatch(answer.strip()) if task.verifier_args.get("full_match") else rx.search(answer)
    return CheckResult.ok() if match else CheckResult.fail("no_match")


_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?")

# How numbers are written beside plain decimals (numeric 6): scientific notation (`6.02 \times 10^{23}`,
# `1.6 \cdot 10^{-19}`, `3 * 10^8`; `3 x 10^8`, `×`, `·` and superscripts are LaTeX after `extract.unicode_math`), a
# number's power (`2^{10}`, `10^{-3}`) and a unit's exponent (`m/s^2`, `\text{ m}^2`).
_EXPONENT = r"\^\s*(?:\{\s*(?P<e1>[-+]?\d+)\s*\}|\(\s*(?P<e2>[-+]?\d+)\s*\)|(?P<e3>[-+]?\d+))"
_SCIENTIFIC = re.compile(
    rf"(?<![\w.])(?P<m>\d+(?:\.\d+)?|\.\d+)\s*(?:\\times|\\cdot|\\ast|[*\u2219])\s*10\s*{_EXPONENT}(?![\d.])"
)
_POWER = re.compile(rf"(?<![\w.^])(?P<b>\d+(?:\.\d+)?)\s*{_EXPONENT}(?![\d.])")
_UNIT_EXPONENT = re.compile(
    r"(?<=[A-Za-z\u00b0\u00b5\u03bc\u03a9])\s*\^\s*(?:\{\s*[-+]?\d+\s*\}|\(\s*[-+]?\d+\s*\)|[-+]?\d+)"
)


def _exponent(m: re.Match[str]) -> int:
    return int(next(e for e in (m["e1"], m["e2"], m["e3"]) if e is not None))


def _power(m: re.Match[str]) -> str:
    base, exp = float(m["b"]), _exponent(m)
    try:
        value = base**exp
    except (OverflowError, ZeroDivisionError):
        return m.group(0)
    return repr(value) if math.isfinite(value) else m.group(0)


# LaTeX shorthand for a number (numeric 12): a fraction's one-character arguments without braces (`\\frac34` is 3/4;
# it was read as 34), `\\tfrac` as `\\frac`, `\\left(` / `\\right)` as plain parentheses, one value in parentheses
# as the value, and a leading minus spaced from its number (`- 3`, `-\\,3`: read as 3) or said in words ("negative 3")
_FRAC_SHORTHAND = re.compile(r"\\[dt]?frac\s*(?:\{([^{}]+)\}|(\d))\s*(?:\{([^{}]+)\}|(\d))")
_LEFT_RIGHT = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_SPACED_MINUS = re.compile(r"^(\s*)(?:-|negative\s)\s*(?:\\[,;:! ]\s*)*(?=[\d.\\])", re.IGNORECASE)


_WRAPPED = re.compile(r"\s*\(([^(),]*)\)\s*")  # one value in parentheses (`(3/4)`); not a pair `(3, 4)`
# a mixed number (numeric 28, as `math` reads it): a whole number and a fraction of whole numbers after it
# (`1\\frac{1}{2}`, `1 \\frac{1}{2}`, `-2\\,\\frac{3}{4}`); not after a power, a subscript or a brace
_MIXED_NUMBER = re.compile(r"(?<![\w.^_{}\\])(-?)(\d+)\s*(?:\\[,;: ]\s*)*\\frac\{(\d+)\}\{(\d+)\}")


def _mixed(m: re.Match[str]) -> str:
    """A mixed number as its improper fraction (`1\\frac{1}{2}` -> `\\frac{3}{2}`); a fraction not proper after a whole
    number (`2\\frac{3}{2}`) is no mixed number, and stays (two numbers)."""
    whole, num, den = int(m[2]), int(m[3]), int(m[4])
    if not 0 < num < den:
        return m.group(0)
    return f"{m[1]}\\frac{{{whole * den + num}}}{{{den}}}"


# numeric 32: a sign before one number in parentheses or braces is that number's sign (`-(-12)`, `-{-12}`, `- (-12)`
# are 12 and `-(12)` is -12: the outer minus was dropped, so `\\boxed{-(-12)}` passed for -12 and `\\boxed{-(12)}`
# failed it), and two minus signs are none (`--12` is 12: it passed for -12)
_SIGNED_GROUP = re.compile(r"^(\s*)([-+])\s*[({]\s*([-+]?\s*\d*\.?\d+(?:\s*/\s*\d*\.?\d+)?)\s*[)}]\s*$")
_DOUBLE_MINUS = re.compile(r"^(\s*)-\s*-\s*(?=[\d.])")


def _latex_shorthand(s: str) -> str:
    s = _FRAC_SHORTHAND.sub(lambda m: f"\\frac{{{m[1] or m[2]}}}{{{m[3] or m[4]}}}", _LEFT_RIGHT.sub("", s))
    s = _DOUBLE_MINUS.sub(r"\1", _SIGNED_GROUP.sub(r"\1\2\3", s))
    s = _MIXED_NUMBER.sub(_mixed, s)  # `1\\frac{1}{2}` was three numbers (numeric 28)
    if (m := _WRAPPED.fullmatch(s)) is not None:
        s = m.group(1)
    return _SPACED_MINUS.sub(r"\1-", s)


def number_text(s: str) -> str:
    """`s` with its numbers written as plain decimals or E-notation: a Unicode minus as `-`, scientific notation and
    a number's power by their value (`6.02 \\times 10^{23}` -> `6.02e23`, `2^{10}` -> `1024.0`), units unwrapped and
    their exponents dropped (`9.8 \\text{ m/s}^2` -> `9.8  m/s`): numeric 5 read the last number it saw, so `6.02
    \\times 10^{23}` was 23 and `9.8 m/s^2` was 2. LaTeX shorthand is written out (`_latex_shorthand`), and a repeating
    decimal as its exact fraction, as `math` 24 reads it (`math.repeating_decimals`: numeric 18 read `3.\\overline{3}`
    as 3 and refused the reference `0.\\overline{36}` as several numbers)."""
    s = repeating_decimals(_latex_shorthand(joined_digit_groups(unicode_math(s))))
    s = _SCIENTIFIC.sub(lambda m: f"{m['m']}e{_exponent(m)}", s)
    s = _POWER.sub(_power, s)
    s = UNIT_WRAPPER.sub(r" \1", s)
    return _UNIT_EXPONENT.sub("", s)


def parse_number(s: str) -> float | None:
    """A float from '1,234.5', '3e-4', '-2', '\\frac{3}{4}', '3/4', '50%', '6.02 \\times 10^{23}', '2^{10}' ; None if
    absent. Of several numbers, the last (`_stated_number` tells whether there are several)."""
    s = number_text(strip_math(s)).replace("\\!", "").replace("{,}", ",").replace("\\%", "%")
    # numeric 32: a fraction's percentage is a hundredth of the fraction (`3/4\\%` is 0.0075: it was read as 0.75,
    # and passed "What percent ...?" for `75\\%`)
    if (percent := re.fullmatch(r"\s*(.*?(?:/|\\d?frac).*?)\s*%\s*", s)) is not None:
        fraction = parse_number(percent.group(1))
        return None if fraction is None else fraction / 100
    frac = re.fullmatch(r"\s*(-?)\\d?frac\{([^{}]+)\}\{([^{}]+)\}\s*", s) or re.fullmatch(
        r"\s*(-?)\s*(-?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*", s
    )
    if frac:
        num, den = parse_number(frac.group(2)), parse_number(frac.group(3))
        if num is not None and den:
            return (-1 if frac.group(1) else 1) * num / den
    nums = _NUMBER.findall(s)
    if not nums:
        return None
    value = float(nums[-1].replace(",", ""))
    return value / 100 if s.rstrip().endswith("%") else value


# what makes a value an expression, not a number: a root, a constant, a function (`2\pi`, `\sqrt{2}`, `2 pi`)
_EXPRESSION = re.compile(
    r"\\(?:sqrt|pi|ln|log|lg|exp|sin|cos|tan|cot|sec|csc|arcsin|arccos|arctan|sinh|cosh|tanh|infty|int|sum|prod|lim"
    r"|binom|choose|mathrm\s*\{\s*e\s*\})(?![A-Za-z])|[\u221a\u221b\u221c\u03c0\u221e]|(?<![A-Za-z])(?:pi|sqrt|ln|log|exp|sin|cos|tan)(?![A-Za-z])"
)


# what lists equations: a comma or semicolon before a space, "or" / "and" (also in `\\text{}`), `\\quad`
_EQUATION_LIST = re.compile(r"[,;]\s+|\\text\s*\{\s*(?:or|and)\s*\}|\s(?:or|and)\s|\\q?quad\b")


# a fraction among words or before a unit: `\\frac{7}{2}`, `-7/2`, not a unit's `/` (`m/s`) or a date's `1/2/3`
_FRACTION_IN_TEXT = re.compile(
    r"(?<![\w./])-?\s*(?:\\d?frac\{[^{}]+\}\{[^{}]+\}|\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?)(?![\w./])"
)


def _fraction_unit(text: str) -> str | None:
    """The unit after a fraction that ends a value (`\\frac{7}{2} \\text{ mm}`, `7/2 cm`, "He runs for 3/2 hours"),
    which `unit_of` reads after a number only; else None."""
    value, unit = _value_and_unit(text.rstrip(" ."), bare_symbol=True)
    value = value.rstrip(" $")
    one = None if unit is None else _FRACTION_IN_TEXT.search(value)
    return unit if one is not None and one.end() == len(value) else None


def _stated_number(text: str) -> tuple[float | None, bool]:
    """(the number a final answer states, whether it states several). An equation states the value after its last
    `=` ("2 + 3 = 5", "x = -3"); otherwise a fraction is one number, and two or more different numbers ("42 apples
    in 3 baskets", "41 or 42", "12 (approximately 13)") are ambiguous. Scientific notation, a power and a unit's
    exponent are no second number (`number_text`). Equations listed (`x = 5 \\text{ or } x = 6`, "x=4, y=5") state
    the value of each: different ones are several (numeric 12; numeric 11 read the value after the last `=`)."""
    pieces = [p for p in _EQUATION_LIST.split(text) if p.strip()]
    if len(pieces) > 1 and all("=" in p for p in pieces):
        values = {parse_number(p.rsplit("=", 1)[-1]) for p in pieces}
        if len(values) > 1:
            return parse_number(pieces[-1].rsplit("=", 1)[-1]), True
    value_text = text.rsplit("=", 1)[-1] if "=" in text else text
    value = parse_number(value_text)
    plain = number_text(strip_math(value_text)).replace("\\!", "").replace("{,}", ",")
    if value is None or _EXPRESSION.search(plain):
        return None, False
    frac = re.fullmatch(
        r"\s*-?\s*(?:\\d?frac\{[^{}]+\}\{[^{}]+\}|-?\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?)\s*(?:\\?%)?\s*\.?\s*", plain
    )
    numbers = {float(n.replace(",", "")) for n in _NUMBER.findall(plain)}
    if frac is None and len(numbers) > 1 and (one := _FRACTION_IN_TEXT.search(plain)) is not None:
        rest = plain[: one.start()] + " " + plain[one.end() :]
        if not _NUMBER.findall(rest) and (fraction := parse_number(one.group(0))) is not None:
            return fraction, False  # `\\frac{7}{2} \\text{ cm}`, "He runs for 3/2 hours" (numeric 28: several numbers)
    return value, frac is None and len(numbers) > 1


# a reference written as an integer: no decimals, exponent or fraction
_INTEGER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)")


# 8: a final answer under a heading of its own ("**Final Answer**\n42") or after "Final:" (`extract.stated_answer`), one
# taken back after it was given (`extract.taken_back`), and the same unit with another SI prefix converted (`_in_unit`)
# 9: a number taken back with the words naming what it counts ("Wait, that gives 14 apples in all.":
# `extract.taken_back`)
# 10: another value hedged with "it could be 6" or "maybe 6" after the box (`extract.hedged_values`)
# 11: a final answer that bounds or negates its number states none ("more than 624 pages", "It is not 624.", "at
# least 5": `extract.bounds_its_number`; it was read as that number and passed)
# 12: LaTeX shorthand (`_latex_shorthand`: `\\frac34` was 34, `\\boxed{- 3}` and "negative 3" were 3, `(3/4)` two
# numbers), the last statement on a line (`extract._last_statement`), a one-line answer cut where its prose begins
# (`extract.final_answer`), and `$x = 6$` after a word that takes the answer back (`extract.taken_back`)
# 13: answers in the prompt's language, as math 18 reads them (full-width forms: `extract.halfwidth`; a final answer
# stated in another language: `extract.FOREIGN_STATED`; one taken back or called wrong in it: `extract.taken_back`,
# `extract.answer_retracted`)
# 14: another value hedged in the prompt's language ("\\boxed{6}，但也可能是 7。", "\\boxed{6}, vielleicht 7.": as
# math 19, `extract.hedged_values`), and a final answer in Chinese numerals ("所以答案是六。" found no answer:
# `extract.cjk_numeral`)
# 15: another value offered after "or" and more hedges in the prompt's language, as math 20 (`extract.hedged_values`)
# 16: the units of math 21 (`math.unit_of`: `2 \\text{ mPa}` passed for `2 MPa`, `2500 \\text{ milliliters}` failed
# `2500 mL`; `math.off_asked_unit`: `3 \\text{ m}` passed "How many centimeters is that?" for `300 cm`), and a
# percentage's number where the prompt asks for one (`math.asks_percent`: `25\\%` failed "What percent ...?" for 25)
# 17: the variables of math 22 (`extract.variables_on_number`: `\\boxed{5 ab}` and `\\boxed{x + 5 t}` passed for 5), and
# the number of a percentage reference where the prompt asks for one (`25` failed "What percent ...?" for `25\\%`)
# 18: the form the prompt asks, as math 22 meets it (`math.wrong_form`: `\\boxed{0.75}` passed "Convert 0.75 to a
# fraction." for 3/4, `\\boxed{45000}` "Write 45000 in scientific notation."), and a value written with its rounding as
# math 23 reads it (`extract.rounded_value`: `\\boxed{\\frac{10}{3} \\approx 3.3}` failed `multiple_answers` for 3.3),
# and a percentage asked by name met by its value (`math.asks_percent_form`: `0.75` passed "3/4 as a percent?")
# 19: a repeating decimal is its exact fraction, as math 24 reads it (`number_text`: `\\boxed{3.\\overline{3}}` passed
# for 3, and the reference `0.\\overline{36}` was refused as stating several numbers)
# 20: a value beside its rounding that is an expression without a unit (`\\sqrt{32} \\approx 5.7`, `4\\pi \\approx
# 12.6`) is evaluated as `math` evaluates it (`_exact_value`: numeric 19 failed it `no_answer`)
# 21: the compound units of math 26 (`math.compound_unit`, `math.si_scale`: `-285800 \\text{ J/mol}` failed `-285.8
# kJ/mol` `unit_mismatch`, `9.8 \\text{ m s}^{-2}` failed `9.8 m/s^2` `mismatch`, and `8.314 \\text{ J/mol}` passed
# `8.314 J/(mol K)`)
# 22: a value and its rounding with a unit on either side or both, as math 27 reads them (`math.rounded_in_unit`:
# `4\\sqrt{2} \\approx 5.66 \\text{ cm}` failed `5.66 cm` `no_answer`, `3.33 \\text{ cm} \\approx 3.3` passed `3.3 mm`)
# 23: the units of math 29 (`math.unit_variables`, `math._unit_factors`: `8.314 \\text{ J/mol}` passed `8.314 J/mol
# K`, and the reference `4.18 J/g K` was refused as not a number), and a reference ending in one-letter variables with
# a slash is no number (`extract.variables_on_number`: `3 a/b` was read as 3 in the unit `a/b`, so `\\boxed{3}` passed)
# 24: the unit of an answer given as a sentence is read, as `math` reads it (`math.prose_number`: "The mass is 5 g."
# passed for `5 kg`), and one-letter symbols written apart with no text command, exponent, slash or dot are variables,
# not a compound unit (`math.compound_unit`: `\\boxed{2 m g}` passed for 2)
# 25: an answer given as a sentence around one piece of maths and its unit, as math 30 reads it (`math.sentence_math`:
# "The diagonal is $4\\sqrt{2} \\approx 5.66$ cm." failed `5.66 cm` `no_answer`)
# 26: a number with a scale word after it is its scaled value, as math 31 reads it (`extract.scale_words`:
# `\\boxed{42万}`, "42 thousand" passed for 42), a sign said in words (`extract.minus_words`: "负42", "минус 42"
# passed for 42), a bound or a negation in the prompt's language (`extract.bounds_its_number`: "答案是至少 42"), and an
# answer taken back in more languages, as math 31 reads them ("Hoppla, Fehler. Richtig ist 43.")
# 27: Japanese hedges (`extract.CJK_ALSO_RIGHT`, `extract.hedged_values`: "答えは42です。43も正しい可能性がある。",
# "答えは42、または43です。" passed for 42); answers in Korean (`extract.FOREIGN_STATED`: "정답은 42입니다." after a
# line of working found no answer), hedged, taken back, bounded or negated in it ("정답은 42 또는 43입니다.",
# "42가 아닙니다." passed for 42); a value set against another in the prompt's language ("Die Antwort ist 42, nicht
# 43.", "答案是42，不是43。": `extract._PROSE_STARTS`) is that value, as "42, not 43" is (it failed `multiple_answers`)
# 28: against a bare reference, a unit the prompt does not ask or use for the quantity fails, as math 32 judges it
# (`math.off_prompt_unit`: `\\boxed{1.5 \\text{ minutes}}` passed "How many hours ...?", "The length is 5 mm." a
# length given in cm); and a mixed number is its value, as `math` reads it (`_MIXED_NUMBER`:
# `\\boxed{1\\frac{1}{2}}` failed 1.5 `multiple_answers`); and the units of a compound unit the prompt uses, as
# math 33 (`\\boxed{2 \\text{ minutes}}` passed "... at 60 km/h. How long does it take?" for 2)
# 28 also: a fraction with its unit or in a sentence is one number (`_FRACTION_IN_TEXT`, `_fraction_unit`:
# `\\boxed{\\frac{7}{2} \\text{ cm}}` and "He runs for 3/2 hours." failed `multiple_answers`)
# 28 also: one English number word, as math 33 (`extract.english_numeral`: "The answer is seven." found no answer)
# 29: the kind of quantity the question asks, a unit said in words and the prefix of a unit the prompt gives to another
# power, as math 34 (`math.off_prompt_unit`: `\\boxed{2 \\text{ km}}` passed "How long does it take?" for 2)
# 29 also: "billion" and "trillion" on the long scale, as math 34 (`extract.long_scale`), and a line that corrects its
# value is that value, as math 34 reads it ("The answer is 5. Wait, no, it's 6." failed `multiple_answers` for 6),
# and the rounding the prompt asks, as math 34 (`math.rounded_as_asked`), where the task sets no tolerance, and decimal
# commas as math 34 reads them (`extract.comma_decimals`, `extract.ambiguous_comma`)
# 30: a GSM8K-style last line, as math 35 (`extract.gsm8k_final`: "... 72 clips.\n#### 72" failed `no_answer`)
# 32: as math 37, a relation before the number (`\\boxed{> 12}`, `\\boxed{x \\neq 3}`: `extract.relation_bound`) is
# no value, a box written onto more of its number (`\\boxed{1}2`, `\\boxed{12}^2`: `extract._BOX_CONTINUED`) and a
# value taken back with "No, it is 14." / "Non, c'est 14." are second values; `\\boxed{\\pm 3}` is two (`_PLUS_MINUS`)
# 32 also: a coloured value (`\\boxed{{\\color{red}1}2}`), a sign in a text command (`\\boxed{\\text{-}12}`:
# `extract.latex_decoration`) and a sign before a number word ("negative twelve": `extract.english_numeral`) are read
# 32 also: as math 37, a value corrected with "I mean", "Sorry,", "Or rather", "Typo:" ... or as a number word
# ("Actually thirteen.": `extract._CHANGE_WORDS`, `extract._ASSERTED`) and the box called wrong ("\\boxed{12} is
# incorrect.": `extract.answer_retracted`) passed; so in exact 18
# 32 also: as math 37, a box corrected with no word that takes it back ("\\boxed{12}. Hmm, thirteen.", "Should be 13.",
# "Not 12 but 13.": `extract.box_corrected`), a struck-out or negated value (`\\cancel{12}`, `\\neg 12`:
# `extract.struck_out`) and an equation after prose ("So 6 + 6 = 13.": `math.contradicting_equation`) passed
# 33: as math 38, a value restated after the answer with no word that takes it back ("\\boxed{12} Hmm... thirteen.",
# "The answer is 12. The total should be 13.": `extract.box_corrected`, now after a stated answer too) passed
# 33 also: one quantity in two units of one SI unit, as math 38 (`math.unit_chain`: `x = 5 cm = 50 mm` failed `5 cm`
# and 5, its last side read; `5 cm = 60 mm` is two values)


_PLUS_MINUS = re.compile(r"\\(?:pm|mp)(?![A-Za-z])|[\u00b1\u2213]")  # `\\pm`, `\\mp`, ±, ∓ (numeric 32)


# 36: as math 41, another value offered in a sentence of its own after the answer (`extract.offered_after`) passed
# 36 also: as math 41, a final answer that doubts its number or calls it wrong ("12 is not the answer.") passed
# 37: as math 42, a statement its own sentence doubts or denies ("I don't think the answer is 12.", "It is not true that
# the answer is 12.", "I'm not sure the answer is 12.", "我不认为答案是12。") passed, and so did a number under a
# condition that does not hold or in a question ("The answer would be 12 if he had not eaten one.", "Is the answer
# 12?"), and a value taken back in the more words of math 42 ("Just kidding, 13.")
# 38: as math 43, a value in bold, italics, inline code or inline maths reads as the bare value ("The answer is **12**.
# \n\nActually, it is **13**." passed for 12, "The answer is *12*." failed 12), and an ellipsis before a correction ends
# the value ("13... no wait, it is 12." failed 12 `multiple_answers`: `extract._PROSE_STARTS`)
@builtin("numeric", version="38", args_probe=True)
def verify_numeric(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    """Version 2: an answer that commits to two numbers fails `multiple_answers`: a final answer stating two different
    numbers outside an equation ("41 or 42", "42 apples in 3 baskets"; version 1 read the last one), two different
    boxed numbers, or a stated number after the boxed one that differs from it (`extract.committed_values`).
    Version 3: a stated answer ends where its prose begins ("7 (3 were given away)" is 7, not two numbers), and a
    value beside it in parentheses ("12 (approximately 13)") is a second value. Version 4: letters written onto the
    number are variables (`5x`, `4ab`: `extract.variables_on_number`), not a unit: no number. Version 5: so are
    one-letter tokens written apart (`3 a b` was read as 3). Version 6: scientific notation, a number's power, a
    unit's exponent and a Unicode minus are read (`number_text`; `6.02 \\times 10^{23}` was 23, so `\\boxed{23}`
    passed), and a reference stating several numbers is refused (`5 \\times 3` was 3), as is an expression (`2\\pi`,
    `\\sqrt{2}`, `2e` were 2); a reference and an answer that both state a unit must state the same one (`12 m^2`
    passed for `12 cm^2`). Version 7: another value offered as right or possible on the final answer's line is a second
    value (`extract.hedged_values`: `\\boxed{5} (or possibly 6)` passed for 5). Version 8: the same unit with another SI
    prefix is converted (`0.5 A` for `500 mA` failed `unit_mismatch`: `math.si_scale`), and a final answer under its own
    heading or taken back after it was given is read as `math` 13 reads it."""
    # numeric 26: a reference's numbers as `math` 31 reads them (`extract.spoken_number`: "42万" is 420000)
    reference = spoken_number(halfwidth(str(task.answer)), task.prompt) if task.answer is not None else "None"
    if long_scale(reference, task.prompt):  # a decimal comma in the prompt's language (numeric 29)
        reference = comma_decimals(reference)
    ref, ref_several = _stated_number(reference) if task.answer is not None else (None, False)
    ref_plain = number_text(strip_math(reference))
    if ref is None or unit_variables(ref_plain):  # `5x`, `3 a b`; `4.18 J/g K` is a unit (numeric 23)
        raise VerifierArgsError(f"task {task.task_id}: answer {task.answer!r} is not a number", field="answer")
    if ref_several:
        raise VerifierArgsError(
            f"task {task.task_id}: answer {task.answer!r} states several numbers, not one number", field="answer"
        )
    answer = halfwidth(answer)  # numeric 13: full-width forms (`６`), as the extraction reads them
    answer = plain_emphasis(answer)  # numeric 38: "**13**", "*13*", "\\(13\\)" read as 13 is
    answer = latex_decoration(answer)  # numeric 32: `\boxed{{\color{red}1}2}` failed `multiple_answers`
    answer = spoken_number(answer, task.prompt)  # numeric 26: "42万", "42 thousand", "负42" were 42
    commas = long_scale(answer, task.prompt) and not list_of_values(reference)
    if commas and (first := final_answer(answer)) is not None and ambiguous_comma(first):
        return CheckResult.fail("ambiguous_number")  # "1,234" in German: 1.234 or 1234 (numeric 29)
    answer = comma_decimals(answer) if commas else answer  # "3,5" in German, French, ... (numeric 29)
    pred_text = final_answer(answer)
    pred_text = cjk_numeral(pred_text) if pred_text else pred_text  # numeric 14: "所以答案是六。" found no answer
    pred_text = english_numeral(pred_text) if pred_text else pred_text  # numeric 28: "The answer is seven." too
    pred_text = (sentence_math(pred_text) or pred_text) if pred_text else pred_text  # `math` 30's (numeric 25)
    chain_text = None  # `x = 5 cm = 50 mm`: one quantity in two units, read in the reference's (numeric 33, as math 38)
    ref_chain_unit = unit_of(unicode_math(strip_math(reference)))
    if pred_text and (chain := unit_chain(unicode_math(pred_text), ref_chain_unit, task.prompt)) is not None:
        if not chain[1]:
            return CheckResult.fail("multiple_answers")  # `x = 5 cm = 60 mm`
        chain_text, pred_text = pred_text, chain[0]
    written, rounded = pred_text, rounded_value(pred_text or "")
    rel = float(task.verifier_args.get("rel_tol", 1e-6))
    abs_ = float(task.verifier_args.get("abs_tol", 0.0))
    try:
        exact = _exact_value(rounded[0], cfg.math_timeout_s) if rounded is not None else (None, False)
    except CheckTimeout:
        return CheckResult.fail("timeout")
    in_unit = rounded_in_unit(pred_text or "")  # `4\\sqrt{2} \\approx 5.66 \\text{ cm}`: and their unit (numeric 22)
    if in_unit is not None:
        exact_text, scale, decimal_text, own = in_unit
        try:
            value = _exact_value(exact_text, cfg.math_timeout_s)[0]
        except CheckTimeout:
            return CheckResult.fail("timeout")
        if value is not None:  # the exact value in the rounding's unit, which must round it; the one equal to the
            value *= 10.0**scale  # reference in its unit is the answer, as below
            decimal, half_width = rounding(decimal_text) or (0.0, 0.0)
            if abs(value - decimal) > half_width:
                return CheckResult.fail("multiple_answers")  # `4\\sqrt{2} \\approx 5.67 \\text{ cm}`
            ref_unit = unit_of(unicode_math(strip_math(reference)))
            equal = _same_number(_in_unit(value, own, ref_unit), (ref, False), rel, abs_)
            pred_text = f"{repr(value) if equal else decimal_text} \\text{{{own}}}"
            rounded = exact_text, decimal_text  # the value and its rounding, read
    elif rounded is not None and exact[0] is not None:
        # `\\frac{10}{3} \\approx 3.3`: the value or its rounding, where the decimal rounds the value (numeric 18)
        decimal, half_width = rounding(rounded[1]) or (0.0, 0.0)
        if abs(exact[0] - decimal) > half_width:
            return CheckResult.fail("multiple_answers")  # `\\boxed{3.3 \\approx 3.33}`, `\\sqrt{40} \\approx 5.7`
        if not _same_number((exact[0], False), (ref, False), rel, abs_):
            pred_text = rounded[1]
        elif exact[1]:  # `\\sqrt{32}` for 5.656854: its value, which numeric does not read itself
            pred_text = repr(exact[0])
        else:
            pred_text = rounded[0]
    pred, several = _stated_number(pred_text) if pred_text else (None, False)
    if pred is None or (not several and bounds_its_number(pred_text or "")):  # "more than 624", "not 624" (11)
        return CheckResult.fail("no_answer")
    if relation_bound(pred_text or "") and not has_relation(reference):  # `\\boxed{> 12}`, `\\boxed{x \\neq 3}` (32)
        return CheckResult.fail("no_answer")
    if struck_out(pred_text or "") and not struck_out(reference):  # `\\cancel{12}`, `\\neg 12` (32: they passed)
        return CheckResult.fail("no_answer")
    if _PLUS_MINUS.search(pred_text or ""):  # `\\boxed{\\pm 3}` is 3 and -3 (numeric 32: it passed for 3)
        return CheckResult.fail("multiple_answers")
    if contradicting_equation(pred_text or "", cfg.math_timeout_s):  # `\\boxed{6 + 6 = 13}` (numeric 32, as math 37)
        return CheckResult.fail("multiple_answers")
    if answer_retracted(answer):
        return CheckResult.fail("retracted")  # numeric 9: "\\boxed{12} Wait, that's wrong."
    if (
        variables_on_number(number_text(strip_math(pred_text or "")))
        and compound_unit(unicode_math(pred_text or "")) is None
    ):
        return CheckResult.fail("mismatch")  # an expression (`5x`), not a number; `9.8 \\text{ m s}^{-2}` is a unit's
    ref_unit, pred_unit = unit_of(unicode_math(strip_math(reference))), unit_of(unicode_math(pred_text or ""))
    if pred_unit is None and (said := prose_number(unicode_math(pred_text or ""), with_unit=True)) is not None:
        pred_unit = unit_of(said)  # "The mass is 5 g.": the sentence's unit (numeric 24: it passed for `5 kg`)
    if pred_unit is None:
        pred_unit = _fraction_unit(unicode_math(pred_text or ""))  # `\\frac{7}{2} \\text{ mm}` (numeric 28)
    if ref_unit and pred_unit and ref_unit != pred_unit and si_scale(pred_unit, ref_unit) is None:
        return CheckResult.fail("unit_mismatch")  # `12 m` for `12 kg` (numeric 5 ignored units)
    if off_asked_unit(pred_unit, task.prompt):  # `3 m` for "How many centimeters is that?" (numeric 16)
        return CheckResult.fail("unit_mismatch")
    if ref_unit is None and off_prompt_unit(pred_unit, task.prompt):  # `1.5 \\text{ minutes}` for "How many hours?"
        return CheckResult.fail("unit_mismatch")  # numeric 28, as math 32
    if (
        "rel_tol" not in task.verifier_args
        and "abs_tol" not in task.verifier_args
        and _INTEGER.fullmatch(ref_plain.strip())
    ):
        rel = 0.0  # an integer reference is met by that integer alone (1e-6 of 123456789 is 123)
    if several:
        return CheckResult.fail("multiple_answers")
    given = _in_unit(pred, pred_unit, ref_unit)
    # a percentage is its value (`50%` is 0.5); where the prompt asks for one and the reference has none, its number
    # too (numeric 16: `25\\%` failed "What percent of 80 is 20?" for 25)
    stem = percent_stem(strip_math(pred_text or "")) if "%" not in reference else None
    by_percent = stem is not None and asks_percent(task.prompt) and not _same_number(given, (ref, False), rel, abs_)
    if by_percent and (number := _stated_number(stem or "")[0]) is not None:
        pred, given = number, _in_unit(number, pred_unit, ref_unit)
    # a percentage reference where the prompt asks for one is met by its number too, as `math` meets it (numeric 17:
    # `25` failed "What percent of 80 is 20?" for `25\\%`)
    ref_stem = percent_stem(strip_math(reference)) if asks_percent(task.prompt) else None
    bare = percent_stem(strip_math(pred_text or "")) is None  # `25`, not `25\\%`
    if bare and ref_stem is not None and (number := _stated_number(ref_stem)[0]) is not None:
        ref = number if _same_number(given, (number, False), rel, abs_) else ref
    # the rounding the prompt asks, of the reference (numeric 29, as math 34): `3.14` for 3.14159 "to two decimal
    # places" failed, `1357.4` passed "to the nearest whole number" for 1357.4
    asked = None if "rel_tol" in task.verifier_args or "abs_tol" in task.verifier_args else asked_rounding(task.prompt)
    tokens = _NUMBER.findall(strip_math(pred_text or "")) if asked is not None and "%" not in (pred_text or "") else []
    by_rounding = rounded_as_asked(tokens[0], ref, asked) if len(tokens) == 1 and asked and not given[1] else None
    if by_rounding is False or (by_rounding is None and not _same_number(given, (ref, False), rel, abs_)):
        return CheckResult.fail("mismatch")
    approx = approximation(answer)  # "1/3 (approximately 0.333)": the decimal must round the answer
    if approx is not None and abs(pred - approx[0]) > approx[1]:
        return CheckResult.fail("multiple_answers")
    for value in committed_values(answer):
        if rounded is not None and value == written:
            continue  # the value and its rounding, read above
        if chain_text is not None and value.strip() == chain_text.strip():
            continue  # one quantity in two units, read above
        other, _ = _stated_number((percent_stem(strip_math(value)) if by_percent else None) or value)  # `25\\%`
        if other is None:
            continue
        if not _same_number(_in_unit(other, unit_of(unicode_math(value)), ref_unit), given, rel, abs_):
            return CheckResult.fail("multiple_answers")
    # the form the prompt asks, as `math` 22 meets it (numeric 18: `0.75` passed "Convert 0.75 to a fraction.")
    if wrong_form(unicode_math(strip_math(written or "")), unicode_math(strip_math(reference)), task.prompt):
        return CheckResult.fail("wrong_form")
    # a percentage reference's value, not its number, where the prompt asks for a percentage (numeric 18: `0.75` passed
    # "What is 3/4 as a percent?" for `75\\%`)
    if bare and ref_stem is not None and asks_percent_form(task.prompt):
        number = _stated_number(ref_stem)[0]
        if number is not None and not _same_number(given, (number, False), rel, abs_):
            return CheckResult.fail("wrong_form")
    return CheckResult.ok()


def _exact_value(text: str, limit: float) -> tuple[float | None, bool]:
    """(the value written beside its rounding, whether math-verify evaluated it): the one number numeric reads
    (`\\frac{10}{3}`: numeric 18), else the real number `math` reads in an expression without a unit (`\\sqrt{32}`,
    `4\\pi`: numeric 20; numeric 19 read none, and failed `\\sqrt{32} \\approx 5.7` `no_answer`), else None."""
    value, several = _stated_number(text)
    if value is not None or several:
        return (None if several else value), False
    plain = unicode_math(strip_math(text)).rsplit("=", 1)[-1]
    if not _EXPRESSION.search(number_text(plain)) or re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", plain)):
        return (
            None,
            False,
        )  # a variable (`d`, `\\sqrt{x}`), or a unit the rounding may not state (`\\sqrt{32} \\text{ cm}`)
    return real_value(plain, limit), True


def _in_unit(number: float, unit: str | None, to: str | None) -> tuple[float, bool]:
    """(`number` in `unit` written in the unit `to`, whether it was converted): `0.5` A in mA is 500 (numeric 8:
    `math.si_scale`); a number in another unit, or without one, as is."""
    scale = si_scale(unit, to) if unit and to and unit != to else None
    if not scale:
        return number, False
    return (number * 10.0**scale if scale > 0 else number / 10.0**-scale), True


def _same_number(a: tuple[float, bool], b: tuple[float, bool], rel: float, abs_: float) -> bool:
    """Whether two numbers (`_in_unit`'s pairs) are one within the task's tolerances; a converted one may be off in its
    last bits (0.0012 m^2 is 11.999999999999998 cm^2), so it is also equal within 1e-12."""
    (x, converted), (y, other) = a, b
    return math.isclose(x, y, rel_tol=rel, abs_tol=abs_) or ((converted or other) and math.isclose(x, y, rel_tol=1e-12))


_FENCE = re.compile(r"```(?:json)?\s*\n(.*?)```", re.DOTALL)


def extract_json(answer: str) -> Any:
    """The JSON value in the answer: a fenced block, a boxed value, or the whole text; raises ValueError."""
    candidates = [m.group(1) for m in _FENCE.finditer(answer)][::-1] + boxed_contents(answer)[::-1] + [answer]
    for c in candidates:
        try:
            return json.loads(c.strip())
        except ValueError:
            continue
    raise ValueError("no JSON value found")


@builtin("json_schema", version="2", args_probe=True)
def verify_json_schema(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    import jsonschema

    schema = task.verifier_args.get("schema")
    if not isinstance(schema, dict):
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.schema must be a JSON Schema object")
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)  # before the answer is read: a bad schema fails every answer alike
    except jsonschema.SchemaError as exc:
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.schema is invalid: {exc.message}") from exc
    try:
        value = extract_json(answer)
    except ValueError:
        return CheckResult.fail("invalid_json")
    errors = list(cls(schema).iter_errors(value))
    return CheckResult.ok() if not errors else CheckResult.fail("schema_violation")
