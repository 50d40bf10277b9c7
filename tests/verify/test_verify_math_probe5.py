"""Defects of math and numeric found by probing them (math 38, numeric 33, exact 19).

- A wrong value that passed: a final sentence after the answer that restates another value with no word of
  `_TAKEN_BACK` ("The answer is 12. The total should be 13.", "\\boxed{12} Hmm... thirteen."): `box_corrected` read
  "Hmm," with a comma only, "(That / It) should be" with a pronoun only, and after a box only, so a stated answer
  ("The answer is 12. Should be 13.") was never compared with its correction.
- A wrong order that passed: a reference listing values (`3, 4`) is a set to math-verify, so where the prompt asks
  for an ordered pair, a point's coordinates, a system's solution or values "respectively", `\\boxed{(4, 3)}` passed.
- Right answers that failed: `\\boxed{\\frac{1}{2}\\%}` for `0.5%` (math-verify cannot parse a fraction's percentage),
  `x = 5 cm = 50 mm` for `5 cm` (the same length in two units), and "So, 6 + 6 = 12." (the comma after the prose word
  made math-verify read a set of `So` and the equation).
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.math import verify_math
from pipeline.verify.verifiers.simple import verify_exact, verify_numeric

CFG = VerifyConfig()


def _math(answer: str, reference: str, prompt: str = "") -> tuple[bool, str | None]:
    r = verify_math(answer, TaskSpec("t", "math", reference, prompt=prompt), CFG)
    return r.passed, r.detail


def _numeric(answer: str, reference: str, prompt: str = "") -> tuple[bool, str | None]:
    r = verify_numeric(answer, TaskSpec("t", "numeric", reference, prompt=prompt), CFG)
    return r.passed, r.detail


def _exact(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_exact(answer, TaskSpec("t", "exact", reference), CFG)
    return r.passed, r.detail


# 1. a later restated different value after the stated answer

CORRECTED_AFTER = [
    "Adding them up: 5 + 7 = 12. The answer is 12. The total should be 13.",
    "The answer is 12. The answer should be 13.",
    "The final answer is 12. The correct answer should be thirteen.",
    "The answer is 12. The sum must be 13.",
    "5 + 7 = 12.\n\\boxed{12} Hmm... thirteen.",
    "\\boxed{12}. Hmm\u2026 13.",
    "\\boxed{12}. The total should be 13.",
    "The answer is 12. Hmm... thirteen.",
    "The answer is 12. Hmm, 13.",
    "The answer is 12. Should be 13.",
    "The answer is 12. That should be 13.",
    "The answer is 12.\nNot 12 but 13.",
    "Answer: 12\nHmm... 13.",
]


@pytest.mark.parametrize("answer", CORRECTED_AFTER)
def test_a_value_restated_after_the_answer_is_a_second_value(answer: str) -> None:
    assert _math(answer, "12") == (False, "multiple_answers")
    assert _numeric(answer, "12") == (False, "multiple_answers")
    assert _math(answer, "13")[0] is False  # neither value alone is the answer
    assert _numeric(answer, "13")[0] is False


@pytest.mark.parametrize(
    "answer",
    ["\\boxed{12} Hmm... thirteen.", "The answer is 12. The total should be 13.", "The answer is 12. Hmm, 13."],
)
def test_exact_reads_the_restated_value_too(answer: str) -> None:
    assert _exact(answer, "12") == (False, "multiple_answers")


KEEPS_ITS_VALUE = [
    "The answer is 12. Check: 13 - 1 = 12.",
    "The answer is 12. The total should be 12.",
    "The answer is 12. The total should be 12 apples.",
    "\\boxed{12}. Hmm... let me double-check: 5 + 7 = 12.",
    "\\boxed{12}. Hmm... 12 it is.",
    "The answer is 12. Hmm, that matches the estimate of 13 minus one.",
    "The answer is 12. Each bag holds 3, so the total should be 12.",
    "The answer is 12. The remainder of 13 divided by 12 is 1.",
    "Answer: 12\nHmm... yes, 12.",
]


@pytest.mark.parametrize("answer", KEEPS_ITS_VALUE)
def test_an_explanation_after_the_answer_keeps_it(answer: str) -> None:
    assert _math(answer, "12") == (True, None)
    assert _numeric(answer, "12") == (True, None)


# 2. the order of listed values

ROOTS = "Solve $x^2 - 7x + 12 = 0$. Give both solutions."


@pytest.mark.parametrize(
    ("answer", "prompt"),
    [
        ("\\boxed{(4, 3)}", "Find the coordinates of the point $P$ where the two lines meet."),
        ("\\boxed{4, 3}", "Find the coordinates of the point $P$ where the two lines meet."),
        ("\\boxed{(4, 3)}", "Give your answer as an ordered pair."),
        ("\\boxed{(4, 3)}", "Find the point of intersection of $y = x - 1$ and $y = 7 - x$."),
        ("\\boxed{4, 3}", "Solve the system $x + y = 7$, $y - x = 1$."),
        ("\\boxed{4, 3}", "Solve for $x$ and $y$: $x + y = 7$, $y - x = 1$."),
        ("\\boxed{4, 3}", "Find $(a, b)$ such that $a + b = 7$ and $b - a = 1$."),
        ("\\boxed{4, 3}", "The two numbers are the mean and the median, respectively."),
        ("\\boxed{4, 3}", "Give the mean and the median, in that order."),
        ("\\boxed{4, 3}", "Consider the system $x + y = 7$, $y - x = 1$. Find its solution."),
        ("\\boxed{4, 3}", "Two lines meet at a point. What is the point of intersection?"),
    ],
)
def test_values_asked_in_order_are_compared_in_order(answer: str, prompt: str) -> None:
    assert _math(answer, "3, 4", prompt) == (False, "mismatch")
    right = answer.replace("4, 3", "3, 4")
    assert _math(right, "3, 4", prompt) == (True, None)


@pytest.mark.parametrize(
    ("answer", "reference", "prompt"),
    [
        ("\\boxed{4, 3}", "3, 4", ROOTS),
        ("\\boxed{4, 3}", "3, 4", ""),
        ("\\boxed{x = 4, x = 3}", "3, 4", ROOTS),
        ("\\boxed{x = 4 \\text{ or } x = 3}", "3, 4", ROOTS),
        ("\\boxed{\\{4, 3\\}}", "3, 4", ROOTS),
        ("\\boxed{2, -1}", "-1, 2", "Find the x-coordinates of the points where $y = x^2 - x - 2$ meets the x-axis."),
        ("\\boxed{4, 3}", "\\{3, 4\\}", "Give the coordinates of the points in the set."),
        ("\\boxed{y = 4, x = 3}", "3, 4", "Solve for $x$ and $y$: $x + y = 7$, $y - x = 1$."),
        # a point named in a sentence that does not ask is context: the roots are still a set
        (
            "\\boxed{3, 1}",
            "1, 3",
            "The vertex of the parabola $y = x^2 - 4x + 3$ is $V$. Find the roots of $x^2 - 4x + 3 = 0$.",
        ),
        ("\\boxed{2, -2}", "-2, 2", "Point $P$ is the midpoint of $AB$. Solve $x^2 = 4$."),
        ("\\boxed{1, -1}", "-1, 1", "The point $(a, b)$ is fixed. Find all solutions of $x^2 = 1$."),
        ("\\boxed{3, -3}", "-3, 3", "A circle has its centre at the origin.\nWhat are the solutions of $n^2 = 9$?"),
    ],
)
def test_a_set_of_values_passes_in_any_order(answer: str, reference: str, prompt: str) -> None:
    assert _math(answer, reference, prompt) == (True, None)


def test_an_ordered_pair_reference_keeps_its_order() -> None:
    assert _math("\\boxed{(4, 3)}", "(3, 4)") == (False, "mismatch")
    assert _math("\\boxed{(3, 4)}", "(3, 4)") == (True, None)


# 3. right answers that failed


@pytest.mark.parametrize("answer", ["\\boxed{\\frac{1}{2}\\%}", "\\boxed{\\dfrac{1}{2}\\%}", "\\boxed{1/2\\%}"])
@pytest.mark.parametrize("reference", ["0.5%", "0.5\\%", "\\frac{1}{2}\\%"])
def test_a_fractions_percentage_meets_a_percentage_reference(answer: str, reference: str) -> None:
    assert _math(answer, reference) == (True, None)


@pytest.mark.parametrize("answer", ["\\boxed{\\frac{1}{3}\\%}", "\\boxed{\\frac{1}{2}}", "\\boxed{50\\%}"])
def test_another_percentage_fails_a_fractions_percentage(answer: str) -> None:
    assert _math(answer, "\\frac{1}{2}\\%")[0] is False
    assert _math("\\boxed{1/2\\%}", "50\\%")[0] is False


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("x = 5 cm = 50 mm", "5 cm"),
        ("x = 5 cm = 50 mm", "5"),
        ("x = 5 cm = 50 mm", "50 mm"),
        ("The answer is x = 5 cm = 50 mm.", "5 cm"),
        ("\\boxed{5 \\text{ cm} = 50 \\text{ mm}}", "5 cm"),
        ("\\boxed{L = 2 \\text{ km} = 2000 \\text{ m}}", "2 km"),
    ],
)
def test_one_quantity_in_two_units_is_one_value(answer: str, reference: str) -> None:
    assert _math(answer, reference) == (True, None)
    assert _numeric(answer, reference) == (True, None)


@pytest.mark.parametrize(("answer", "reference"), [("x = 5 cm = 60 mm", "5 cm"), ("x = 5 cm = 60 mm", "60 mm")])
def test_two_quantities_in_two_units_are_two_values(answer: str, reference: str) -> None:
    assert _math(answer, reference) == (False, "multiple_answers")
    assert _numeric(answer, reference) == (False, "multiple_answers")


def test_a_chain_of_units_asked_in_one_of_them_is_read_in_it() -> None:
    prompt = "How long is the segment in millimetres?"
    assert _math("x = 5 cm = 50 mm", "50", prompt) == (True, None)
    assert _numeric("x = 5 cm = 50 mm", "50", prompt) == (True, None)
    assert _math("x = 5 cm = 50 mm", "5", prompt)[0] is False
    assert _numeric("x = 5 cm = 50 mm", "5", prompt)[0] is False


@pytest.mark.parametrize("answer", ["So, 6 + 6 = 12.", "Thus, 2 \\times 6 = 12.", "Therefore, $6 + 6 = 12$."])
def test_an_equation_after_prose_and_a_comma_is_its_value(answer: str) -> None:
    assert _math(answer, "12") == (True, None)
    assert _numeric(answer, "12") == (True, None)
    assert _math(answer, "13")[0] is False
    assert _math(answer.replace("12", "13"), "13") == (False, "multiple_answers")


@pytest.mark.parametrize("answer", ["So, 12.", "Thus, x = 12.", "Therefore: $12$", "So, 6 + 6 = 12 apples."])
def test_a_value_after_a_connective_and_a_comma_is_that_value(answer: str) -> None:
    assert _math(answer, "12") == (True, None)
    assert _math(answer, "13")[0] is False


@pytest.mark.parametrize("answer", ["So, more than 6 + 6 = 12.", "So, 12 or 13.", "So, x = 13."])
def test_a_connective_keeps_what_else_the_value_says(answer: str) -> None:
    assert _math(answer, "12")[0] is False


# math 39, numeric 34, exact 20: another value for other readings, sources or cases after the answer (each passed)
FOR_OTHER_READINGS = [
    "\\boxed{12}, or 13 under the other reading.",
    "\\boxed{12}, but 13 in some interpretations.",
    "The answer is \\boxed{12}, or 13 if we count the one he ate.",
    "So the answer is \\boxed{12}, or 13 for the other reading.",
    "\\boxed{12}, but 13 according to some sources.",
    "\\boxed{12}, or 13 for others.",
]


@pytest.mark.parametrize("answer", FOR_OTHER_READINGS)
def test_another_value_for_other_readings_is_a_second_answer(answer: str) -> None:
    assert _math(answer, "12") == (False, "multiple_answers")
    assert _numeric(answer, "12") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}, or 12 if we count carefully.",
        "\\boxed{12}, but 6 in the other basket.",
        "\\boxed{12}, or in other words twelve.",
        "\\boxed{12}, but 13 would be wrong.",
    ],
)
def test_the_same_value_or_an_explanation_after_the_answer_is_no_second_answer(answer: str) -> None:
    assert _math(answer, "12") == (True, None)


def test_another_name_for_another_definition_is_a_second_answer() -> None:
    assert _exact("\\boxed{Paris}, or Lyon under the old definition.", "Paris") == (False, "multiple_answers")
    assert _exact("\\boxed{Paris}", "Paris") == (True, None)


def test_a_name_offered_under_a_condition_is_that_name() -> None:
    """A name's words never hold a condition: "or Paris if you prefer" offers Paris (exact 20: the value read was
    "Paris if you prefer", and the right answer failed); "or Lyon if ..." offers Lyon."""
    assert _exact("\\boxed{Paris}, or Paris if you prefer.", "Paris") == (True, None)
    assert _exact("\\boxed{Paris}, or Lyon if you prefer.", "Paris") == (False, "multiple_answers")
    assert _exact("\\boxed{Paris}, or New York City.", "Paris") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "12 (or 13).",  # a one-line answer is its own answer's line
        "12 apples (or maybe 13).",
        "12 (or 13 if he found another).",  # the value before a condition in parentheses
        "\\boxed{12} (or 13 if he found another)",
        "The answer is 12. Although 13 is a long shot.",
        "\\boxed{12}. 13 is a remote possibility.",
    ],
)
def test_another_value_beside_a_one_line_answer_or_kept_as_a_remote_chance_is_a_second_answer(answer: str) -> None:
    assert _math(answer, "12") == (False, "multiple_answers")
    assert _numeric(answer, "12") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer", ["12 apples.", "12", "12 (approximately 12.0).", "The answer is 12. It is a long shot."]
)
def test_a_one_line_answer_without_another_value_passes(answer: str) -> None:
    assert _math(answer, "12") == (True, None)


def test_a_one_line_name_with_another_in_parentheses_is_a_second_answer() -> None:
    assert _exact("Paris (or Lyon).", "Paris") == (False, "multiple_answers")
    assert _exact("Paris (the capital).", "Paris") == (True, None)
