"""Wrong final values that math and numeric passed, found by probing them as an adversarial user (math 37,
numeric 32). Each case below passed a wrong answer before.

- A value taken back with "No," ("\\boxed{12}. No, it is 14."), or in French and German with the words those
  languages assert it with ("Non, c'est 14.", "Attendez, c'est 14.", "Nein, es ist 14."): the correction was not
  read, and 12 passed.
- A box written onto more of its number (`\\boxed{1}2`, `\\boxed{12}0`, `\\boxed{12}.5`) or into an expression
  (`\\boxed{12}^2`, `\\boxed{12} \\times 2`): the box alone was read.
- A relation in the box that bounds or excludes its number (`\\boxed{> 12}`, `\\boxed{\\geq 12}`,
  `\\boxed{x \\neq 3}`, `\\boxed{x \\not= 3}`) passed for that number.
- numeric read `\\boxed{\\pm 3}` as 3.
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.math import verify_math
from pipeline.verify.verifiers.simple import verify_exact, verify_numeric

CFG = VerifyConfig()


def _verdicts(answer: str, reference: str, prompt: str = "") -> list[tuple[bool, str | None]]:
    out = []
    for family, verify in (("math", verify_math), ("numeric", verify_numeric)):
        r = verify(answer, TaskSpec("t", family, reference, prompt=prompt), CFG)
        out.append((r.passed, r.detail))
    return out


TAKEN_BACK_WITH_NO = [
    "\\boxed{12}. No, it is 14.",
    "The answer is \\boxed{12}. Hmm, no, it should be 14.",
    "La réponse est \\boxed{12}. Non, c'est 14.",
    "La réponse est \\boxed{12}. Attendez, c'est 14.",
    "La réponse est \\boxed{12}. Non, c'est plutôt 14.",
    "Die Antwort ist \\boxed{12}. Nein, es ist 14.",
]


@pytest.mark.parametrize("answer", TAKEN_BACK_WITH_NO)
def test_a_value_taken_back_with_no_is_a_second_value(answer: str) -> None:
    assert [passed for passed, _ in _verdicts(answer, "12")] == [False, False]


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}. No, that is right.",
        "\\boxed{12}. No other value works.",
        "La réponse est \\boxed{12}. Non, c'est bien 12.",
        "Die Antwort ist \\boxed{12}. Nein, es ist 12.",
    ],
)
def test_no_that_restates_or_affirms_keeps_the_value(answer: str) -> None:
    assert _verdicts(answer, "12") == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{1}2", "1"),
        ("\\boxed{12}0", "12"),
        ("\\boxed{12}.5", "12"),
        ("$\\boxed{12}$,000", "12"),
        ("\\boxed{12}^2", "12"),
        ("\\boxed{12} \\times 2 = 24", "12"),
    ],
)
def test_a_box_written_onto_more_of_its_number_is_a_second_value(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(False, "multiple_answers"), (False, "multiple_answers")]


@pytest.mark.parametrize(
    ("answer", "prompt"),
    [
        ("\\boxed{12}.", ""),
        ("$\\boxed{12}$.", ""),
        ("\\boxed{12}, so 12 apples.", ""),
        ("\\boxed{12}^\\circ", "What is the angle in degrees?"),
        ("\\boxed{12}^{\\circ}", "What is the angle in degrees?"),
        ("\\boxed{12}\\%", "What percent of the class passed?"),
    ],
)
def test_a_box_that_ends_its_sentence_or_states_a_unit_passes(answer: str, prompt: str) -> None:
    assert _verdicts(answer, "12", prompt) == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{> 12}", "12"),
        ("\\boxed{\\geq 12}", "12"),
        ("\\boxed{x \\neq 3}", "3"),
        ("\\boxed{x \\not= 3}", "3"),
        ("\\boxed{\\neq 3}", "3"),
        ("\\boxed{x \\le 3}", "3"),
        ("\\boxed{n \u2265 12}", "12"),
    ],
)
def test_a_relation_that_bounds_its_number_is_no_value(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(False, "no_answer"), (False, "no_answer")]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [("\\boxed{x > 3}", "x > 3"), ("\\boxed{x \\geq 3}", "x \\ge 3"), ("\\boxed{x \\neq 3}", "x \\neq 3")],
)
def test_an_inequality_meets_an_inequality_reference(answer: str, reference: str) -> None:
    r = verify_math(answer, TaskSpec("t", "math", reference, prompt="Solve the inequality."), CFG)
    assert (r.passed, r.detail) == (True, None)


def test_numeric_reads_plus_minus_as_two_values() -> None:
    assert _verdicts("\\boxed{\\pm 3}", "3")[1] == (False, "multiple_answers")
    assert _verdicts("\\boxed{3}", "3")[1] == (True, None)


def test_numeric_keeps_a_relation_against_a_relation_reference() -> None:
    r = verify_numeric("\\boxed{x > 3}", TaskSpec("t", "numeric", "x > 3"), CFG)
    assert (r.passed, r.detail) == (True, None)


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{Paris}. No, it is Lyon.", "Paris"),
        ("\\boxed{12}. No, it is 14.", "12"),
        ("\\boxed{12}0", "12"),
    ],
)
def test_exact_reads_the_same_corrections_and_glued_boxes(answer: str, reference: str) -> None:
    """`exact` reads final values through the same extraction (exact 18): each passed before."""
    r = verify_exact(answer, TaskSpec("t", "exact", reference, prompt="Q?"), CFG)
    assert (r.passed, r.detail) == (False, "multiple_answers")
    assert verify_exact(f"\\boxed{{{reference}}}", TaskSpec("t", "exact", reference, prompt="Q?"), CFG).passed


# Right answers that failed (math 37, numeric 32): a sign said in words before a number word, and LaTeX that only
# colours the value or puts its sign in a text command.
@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("The answer is negative twelve.", "-12"),
        ("The answer is minus twelve.", "-12"),
        ("The answer is Negative twenty-one.", "-21"),
        ("The answer is negative 12.", "-12"),
        ("\\boxed{{\\color{red}1}2}", "12"),
        ("\\boxed{\\color{red}12}", "12"),
        ("\\boxed{\\textcolor{red}{12}}", "12"),
        ("\\boxed{\\frac{\\color{red}1}{2}}", "1/2"),
        ("\\boxed{\\text{-}12}", "-12"),
        ("\\boxed{\\textbf{12}}", "12"),
        ("\\boxed{\\mathbf{12}}", "12"),
    ],
)
def test_signs_in_words_and_coloured_values_are_read(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("The answer is negative twelve.", "12"),
        ("The answer is minus twelve.", "12"),
        ("The answer is negative twelve.", "-13"),
        ("\\boxed{{\\color{red}1}3}", "12"),
        ("\\boxed{\\text{-}12}", "12"),
        ("\\boxed{\\textcolor{red}{-12}}", "12"),
    ],
)
def test_signs_in_words_and_coloured_values_are_still_compared(answer: str, reference: str) -> None:
    assert [passed for passed, _ in _verdicts(answer, reference)] == [False, False]


# Wrong values that passed (math 37, numeric 32): a value corrected after the box with words math read as no
# correction, a number word asserted after one that does, and the box itself called wrong.
CORRECTED_IN_OTHER_WORDS = [
    "So the answer is \\boxed{12}... I mean thirteen.",
    "So the answer is \\boxed{12}. I mean 13.",
    "\\boxed{12}, I mean 13.",
    "\\boxed{12}. I meant 13.",
    "\\boxed{12}. Sorry, 13.",
    "\\boxed{12}. Make that 13.",
    "\\boxed{12}. Rather, 13.",
    "\\boxed{12}. Or rather 13.",
    "\\boxed{12}. Scratch that, 13.",
    "\\boxed{12}. Scratch that: the answer is thirteen.",
    "\\boxed{12}. Typo: 13.",
    "\\boxed{12}. Err, 13.",
    "\\boxed{12}. Erm, 13.",
    "\\boxed{12}. My mistake, it is 13.",
    "\\boxed{12}. Not quite, 13.",
    "\\boxed{12}. Let me fix: 13.",
    "\\boxed{12}. Actually thirteen.",
    "\\boxed{12}. Actually, it's thirteen.",
    "\\boxed{12}. No, thirteen.",
    "\\boxed{12}. No, it is thirteen.",
]


@pytest.mark.parametrize("answer", CORRECTED_IN_OTHER_WORDS)
def test_a_value_corrected_in_other_words_is_a_second_value(answer: str) -> None:
    assert _verdicts(answer, "12") == [(False, "multiple_answers"), (False, "multiple_answers")]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{12}. I mean 12.", "12"),
        ("\\boxed{12}. Sorry for the confusion.", "12"),
        ("\\boxed{12}, rather than 13.", "12"),
        ("\\boxed{12}. Rather than 13, it is 12.", "12"),
        ("\\boxed{12}. Actually, it's twelve.", "12"),
        ("\\boxed{-12}. I mean negative twelve.", "-12"),
        ("\\boxed{12}. There is one solution.", "12"),
        ("\\boxed{12}. Actually, it is one of two roots.", "12"),
        ("\\boxed{12}. My bad, I forgot to mention the units.", "12"),
        ("The answer is \\boxed{12}. Err on the side of caution.", "12"),
        ("\\boxed{12}. Not quite sure, but 12.", "12"),
    ],
)
def test_those_words_keep_a_value_they_restate_or_do_not_correct(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(True, None), (True, None)]


@pytest.mark.parametrize(
    "answer", ["\\boxed{12} is incorrect.", "\\boxed{12} is wrong; 13.", "\\boxed{12} is definitely wrong."]
)
def test_the_box_called_wrong_is_retracted(answer: str) -> None:
    assert _verdicts(answer, "12") == [(False, "retracted"), (False, "retracted")]


@pytest.mark.parametrize("answer", ["\\boxed{12} is correct.", "\\boxed{12} is the answer; 13 is incorrect."])
def test_the_box_called_right_or_another_value_called_wrong_keeps_it(answer: str) -> None:
    assert _verdicts(answer, "12") == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference", "detail"),
    [
        ("\\boxed{12}. Sorry, 13.", "12", "multiple_answers"),
        ("\\boxed{Paris}. I mean, it's Lyon.", "Paris", "multiple_answers"),
        ("\\boxed{12}. Actually thirteen.", "12", "multiple_answers"),
        ("\\boxed{Paris} is incorrect.", "Paris", "retracted"),
    ],
)
def test_exact_reads_the_other_words_that_correct(answer: str, reference: str, detail: str) -> None:
    """exact 18 reads the same corrections through `extract`: each passed before."""
    r = verify_exact(answer, TaskSpec("t", "exact", reference, prompt="Q?"), CFG)
    assert (r.passed, r.detail) == (False, detail)


@pytest.mark.parametrize(
    "answer",
    ["\\boxed{-(-12)}", "\\boxed{--12}", "\\boxed{- (-12)}", "\\boxed{-{-12}}", "\\boxed{-\\left(-12\\right)}"],
)
def test_numeric_reads_a_double_minus_as_plus(answer: str) -> None:
    """numeric 32: the outer minus was dropped, so each passed for -12 (math failed it); each is 12."""
    assert [passed for passed, _ in _verdicts(answer, "-12")] == [False, False]
    assert _verdicts(answer, "12") == [(True, None), (True, None)]


@pytest.mark.parametrize(("answer", "reference"), [("\\boxed{-(12)}", "-12"), ("\\boxed{-(-3/4)}", "3/4")])
def test_numeric_reads_a_sign_before_a_number_in_parentheses(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference", "prompt"),
    [
        ("\\boxed{3/4\\%}", "75\\%", "What percent of the class passed?"),
        ("\\boxed{\\frac{3}{4}\\%}", "75\\%", "What percent of the class passed?"),
        ("\\boxed{3/4\\%}", "75", "What percent of the class passed?"),
    ],
)
def test_a_fractions_percentage_is_a_hundredth_of_it(answer: str, reference: str, prompt: str) -> None:
    """`3/4\\%` is 0.0075: numeric read it as 0.75 and math as 3/4, and each passed one of these for 75%."""
    assert [passed for passed, _ in _verdicts(answer, reference, prompt)] == [False, False]


def test_a_fractions_percentage_meets_its_value() -> None:
    assert _verdicts("\\boxed{3/4\\%}", "0.0075") == [(True, None), (True, None)]
    assert _verdicts("\\boxed{75\\%}", "75\\%", "What percent of the class passed?") == [(True, None), (True, None)]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{12 = 13}", "13"),
        ("\\boxed{6 + 6 = 13}", "13"),
        ("\\boxed{x = 13 = 12}", "12"),
        ("\\boxed{x = 12 = 13}", "12"),
        ("\\boxed{\\sqrt{16} = 5}", "5"),
        ("The answer is 6 + 6 = 13.", "13"),
    ],
)
def test_an_equation_of_two_different_numbers_is_two_values(answer: str, reference: str) -> None:
    """The value after the last `=` was read, so the first three passed."""
    assert _verdicts(answer, reference) == [(False, "multiple_answers"), (False, "multiple_answers")]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{12 = 12}", "12"),
        ("\\boxed{13 - 1 = 12}", "12"),
        ("\\boxed{6 \\times 2 = 12}", "12"),
        ("\\boxed{x = \\frac{24}{2} = 12}", "12"),
        ("\\boxed{\\sqrt{16} = 4}", "4"),
        ("\\boxed{1000 = 10^3}", "1000"),
        ("\\boxed{3x = 12}", "12"),
    ],
)
def test_an_equation_of_equal_numbers_or_a_variable_keeps_its_value(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(True, None), (True, None)]


# math 37, numeric 32, exact 18: more corrections after the box that passed 12 (the sentence opening with "Hmm," or
# "Should be", a value set against the box with "Not 12 but 13", a value corrected in parentheses)
CORRECTED_AFTER_THE_BOX = [
    "\\boxed{12}. Hmm, thirteen.",
    "\\boxed{12}. Hmm, 13.",
    "\\boxed{12}. Should be 13.",
    "\\boxed{12}. It should be 13.",
    "\\boxed{12}. That should read 13.",
    "\\boxed{12}\n\nShould be thirteen.",
    "\\boxed{12}. Not 12 but 13.",
    "\\boxed{12}. Not 12, but thirteen.",
    "\\boxed{12} (thirteen, actually).",
    "\\boxed{12} (13, actually)",
    "\\boxed{12} (actually thirteen)",
]


@pytest.mark.parametrize("answer", CORRECTED_AFTER_THE_BOX)
def test_a_box_corrected_after_it_is_a_second_value(answer: str) -> None:
    assert _verdicts(answer, "12") == [(False, "multiple_answers"), (False, "multiple_answers")]
    r = verify_exact(answer, TaskSpec("t", "exact", "12", prompt="Q?"), CFG)
    assert (r.passed, r.detail) == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}. Not 13.",
        "\\boxed{12} (twelve)",
        "\\boxed{12}. Should be 12.",
        "\\boxed{12}. Not 13 but 12.",
        "\\boxed{12} (twelve, actually).",
        "\\boxed{12}. Hmm, 12 is even.",
        "\\boxed{12}. It should be noted that 13 is prime.",
        "\\boxed{12}. The total should be 12 apples.",
    ],
)
def test_a_box_restated_or_not_corrected_keeps_its_value(answer: str) -> None:
    assert _verdicts(answer, "12") == [(True, None), (True, None)]


STRUCK_OUT = ["\\boxed{\\cancel{12}}", "\\boxed{\\sout{12}}", "\\boxed{\\xcancel{12}}", "\\boxed{\\bcancel{12}}"]
STRUCK_OUT += ["\\boxed{\\neg 12}", "\\boxed{\\lnot 12}", "\\boxed{\\neg12}", "\\boxed{\u00ac12}"]


@pytest.mark.parametrize("answer", STRUCK_OUT)
def test_a_struck_out_or_negated_value_is_no_answer(answer: str) -> None:
    """math-verify and numeric read the value under the stroke or the negation: numeric passed each, math `\\neg`."""
    assert _verdicts(answer, "12") == [(False, "no_answer"), (False, "no_answer")]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("So 6 + 6 = 13.", "13"),
        ("So, 6 + 6 = 13.", "13"),
        ("Thus 2 \\times 6 = 13.", "13"),
        ("Hence $6 + 6 = 13$.", "13"),
    ],
)
def test_a_sentence_of_an_equation_of_two_different_numbers_is_two_values(answer: str, reference: str) -> None:
    """Prose before the equation's first side hid it: "So 6 + 6 = 13." passed for 13."""
    assert _verdicts(answer, reference) == [(False, "multiple_answers"), (False, "multiple_answers")]


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("Should be 12 as computed.", "12"),
        ("6 + 6 = 12, so the answer is 12.", "12"),
        ("So 6 + 6 = 12.", "12"),
        ("So 2 \\times 6 = 12.", "12"),
    ],
)
def test_a_sentence_of_an_equal_equation_or_a_stated_value_passes(answer: str, reference: str) -> None:
    assert _verdicts(answer, reference) == [(True, None), (True, None)]


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}. That's rather a lot. There were 7 at first.",
        "\\boxed{12}. Sorry, that took a while. There were 7 at first.",
        "\\boxed{12}. Sorry for the wait. She had 7 at first.",
        "\\boxed{12}\n\nThis is rather large compared with the 5 apples we started with.",
        # the words that correct only in their own sentence: a later sentence's quantity is no correction
        "\\boxed{12}. Not quite a dozen eggs were used; there were 7 at first.",
        "\\boxed{12}\n\nMy mistake earlier was forgetting the 5 that came later; there were 7 at first.",
        "\\boxed{12}\n\nMake that the final answer; she had 7 at first.",
        "\\boxed{12}\n\nNo, we do not count the 3 eaten ones; she had 7 at first.",
    ],
)
def test_an_apology_or_a_degree_after_the_box_corrects_nothing(answer: str) -> None:
    """ "Sorry", a bare "rather" and the noun "wait" are no correction: the quantity stated after them ("There were 7 at
    first.") was read as a second value, and these right answers failed (the first two with math 37 as first merged)."""
    assert _verdicts(answer, "12", "How many apples are left?") == [(True, None), (True, None)]
    assert verify_exact(answer, TaskSpec("t", "exact", "12", prompt="Q?"), CFG).passed


@pytest.mark.parametrize(
    "answer", ["\\boxed{12}. Sorry, 13.", "\\boxed{12}. Sorry, it is 13.", "\\boxed{12}. Or rather 13."]
)
def test_sorry_or_or_rather_before_a_value_corrects_the_box(answer: str) -> None:
    assert not any(passed for passed, _ in _verdicts(answer, "12"))
