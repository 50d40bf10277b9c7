"""math 43, numeric 38, exact 24: a value in bold, italics, inline code or inline maths (`**13**`, `*13*`, `` `13` ``,
`\\(13\\)`) reads as the bare value (`extract.plain_emphasis`).

The rules that read a value taken back, offered or doubted after the answer read a bare value (or `$13$`), so
before: "The answer is **12**.\\n\\nActually, it is **13**.", "Answer: **12**\\n\\nWait, actually **13**.", "The
answer is \\(12\\). Hmm, \\(13\\).", "I don't think the answer is **12**." passed for 12; "The answer is *12*."
failed 12 `mismatch`; and for `exact`, "The answer is **Paris**.\\n\\nActually, it is **Lyon**." passed for Paris and
"The answer is **Lyon**. Actually, it is **Paris**." failed Paris. Each form is now read as the bare one.
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.extract import plain_emphasis
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec

CFG = VerifyConfig()
NUMBER_FORMS = {
    "bold": ("**12**", "**13**"),
    "italic": ("*12*", "*13*"),
    "code": ("`12`", "`13`"),
    "inline maths": ("\\(12\\)", "\\(13\\)"),
    "bold with unit": ("**12 apples**", "**13 apples**"),
}
NAME_FORMS = {
    "bold": ("**Paris**", "**Lyon**"),
    "italic": ("*Paris*", "*Lyon*"),
    "code": ("`Paris`", "`Lyon`"),
}
# (template, passes for the first value {c}); {b} is the other value
TEMPLATES = [
    ("The answer is {c}.", True),
    ("The answer is {c}.\n\nActually, it is {b}.", False),
    ("The answer is {c}. Hmm, {b}.", False),
    ("The answer is {c}. Or {b}.", False),
    ("The answer is {c}. Then again, {b}.", False),
    ("The answer is {c}. Unless it's {b}.", False),
    ("The answer is {b}. Actually, it is {c}.", True),
    ("The answer is {c}, not {b}.", True),
    # an ellipsis before a correction (numeric and exact read "13... no wait, it is 12" as one statement: numeric failed
    # 12 `multiple_answers`, exact Paris `mismatch`), and a name alone after "Wait, actually" (exact: "Answer:
    # Paris\n\nWait, actually Lyon." passed for Paris)
    ("The answer is {b}... no wait, it is {c}.", True),
    ("The answer is {c}... no wait, it is {b}.", False),
    ("Answer: {c}\n\nWait, actually {b}.", False),
    ("Answer: {c}\n\nCorrection: {b}.", False),
]
NUMBER_ONLY = [
    ("I don't think the answer is {c}.", False),
]


def _check(verifier: str, answer: str, reference: str) -> bool:
    prompt = "What is the capital of France?" if verifier == "exact" else "How many apples does he have?"
    return Registry(CFG).get(verifier).check(answer, TaskSpec("t", verifier, reference, {}, prompt), CFG).passed


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("form", list(NUMBER_FORMS))
@pytest.mark.parametrize(("template", "passes"), TEMPLATES + NUMBER_ONLY)
def test_a_number_in_emphasis_reads_as_the_bare_number(verifier: str, form: str, template: str, passes: bool) -> None:
    c, b = NUMBER_FORMS[form]
    assert _check(verifier, template.format(c="12", b="13"), "12") is passes, template  # the bare form
    answer = template.format(c=c, b=b)
    assert _check(verifier, answer, "12") is passes, answer


@pytest.mark.parametrize("form", list(NAME_FORMS))
@pytest.mark.parametrize(("template", "passes"), TEMPLATES)
def test_exact_a_name_in_emphasis_reads_as_the_bare_name(form: str, template: str, passes: bool) -> None:
    c, b = NAME_FORMS[form]
    answer = template.format(c=c, b=b)
    assert _check("exact", answer, "Paris") is passes, answer


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("The answer is **12**.", "The answer is 12."),
        ("**Answer:** 12", "Answer: 12"),
        ("It is *12* or `13`.", "It is 12 or 13."),
        ("So \\(x = 3\\).", "So $x = 3$."),
        # marks glued to a number or a word are arithmetic or code, not emphasis
        ("2*3*4 = 24", "2*3*4 = 24"),
        ("2**10 = 1024", "2**10 = 1024"),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
        ("a*b and c*d", "a*b and c*d"),
        ("$x^*$ and $y^*$", "$x^*$ and $y^*$"),
        ("$x^{*}$ = 3 and *3*", "$x^{*}$ = 3 and 3"),
        ("$x^{*}$ and $y^{*}$", "$x^{*}$ and $y^{*}$"),
        ("$a*b$ and $c*d$", "$a*b$ and $c*d$"),
        # a span over a line or longer than 60 characters stays
        ("**12\n13**", "**12\n13**"),
        ("**" + "x" * 61 + "**", "**" + "x" * 61 + "**"),
    ],
)
def test_plain_emphasis(text: str, plain: str) -> None:
    assert plain_emphasis(text) == plain


@pytest.mark.parametrize("answer", ["The answer is 13... or maybe 12.", "The answer is 13... or 12.", "13 or 12"])
def test_math_two_numbers_with_or_between_them_are_a_hedge(answer: str) -> None:
    """math 43: math-verify read the last number of "13... or maybe 12" (the sentence rule needs two words), so it
    passed for 12; `numeric` failed it `multiple_answers` already."""
    for verifier in ("math", "numeric"):
        assert _check(verifier, answer, "12") is False, (verifier, answer)


@pytest.mark.parametrize("answer", ["The answer is 1/2 or 0.5.", "The answer is 0.5 or 1/2.", "12 or 12.0"])
def test_math_one_value_written_two_ways_with_or_is_no_hedge(answer: str) -> None:
    """The first version of the "or" rule compared neighbouring digits, so "1/2 or 0.5" (2 against 0.5) failed
    `multiple_answers`; the two sides are compared as values."""
    reference = "12" if answer.startswith("12") else "1/2"
    assert _check("math", answer, reference) is True, answer


@pytest.mark.parametrize("answer", ["$x = 3$ or $x = 5$", "The answer is x = 3 or x = 5."])
def test_math_values_joined_by_or_meet_a_reference_of_several(answer: str) -> None:
    r = Registry(CFG).get("math").check(answer, TaskSpec("t", "math", "3, 5", {}, "Solve x^2 - 8x + 15 = 0."), CFG)
    assert r.passed, (answer, r.detail)
