"""How `mcq` reads more endings (mcq 31). Each case below passed a wrong answer, or failed a right one, in mcq 30."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.mcq import verify_mcq

CFG = VerifyConfig()
CHOICES = {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}


def _mcq(answer: str, reference: str, choices: object = CHOICES) -> tuple[bool, str | None]:
    r = verify_mcq(answer, TaskSpec("t", "mcq", reference, verifier_args={"choices": choices}), CFG)
    return r.passed, r.detail


# a letter given as a pick, called "the one" or the final answer, or "This is C.": mcq 30 found no answer
PICKED = [
    "Pick: C",
    "**Pick:** C",
    "My pick is C.",
    "My final pick: C",
    "C is the one.",
    "C is my final answer.",
    "Option C is my final answer.",
    "**C** is my final answer.",
    "C is my pick.",
    "This is C.",
    "Mars is the one.",
]


@pytest.mark.parametrize("answer", PICKED)
def test_a_pick_or_the_one(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "C is the one that most people pick.",  # a description, not ending its clause
        "If you pick C, you are wrong.",
        "Don't pick C.",
        "I used to pick C.",
        "This is C's weakness.",
    ],
)
def test_a_pick_discussed_is_no_answer(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "Pick: C or B",
        "My pick is C, or maybe B.",
        "The answer is C.\n\nMy pick is B.",
        "The answer is C.\n\nB is the one.",
    ],
)
def test_a_pick_hedged_or_given_beside_another(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


# an option named by "option C" with no answer given counts only where the sentence is that option (with a word of
# conclusion or a verb of choosing before it, its own text after it): mcq 30 passed each of these for the option named
# in passing (the last one for B)
NAMED_IN_PASSING = [
    "I rejected option C.",
    "Don't choose option C.",
    "Never choose option C.",
    "Avoid option C.",
    "Eliminate option C.",
    "We can rule out option C.",
    "Compare option C with option B.",
    "Option C, which is red, is tempting.",
]


@pytest.mark.parametrize("answer", NAMED_IN_PASSING)
def test_an_option_named_in_passing_is_no_answer(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "Option C.",
        "**Option C**",
        "Choice C.",
        "Option C: Mars",
        "Option C - Mars",
        "Option C (Mars).",
        "Option C, Mars.",
        "Mars is red.\n\nOption C.",
        "So, option C.",
        "Choose option C.",
        "Go with option C.",
        "Final answer C.",
    ],
)
def test_an_option_named_on_its_own_is_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


def test_options_named_on_their_own_twice_are_two_answers() -> None:
    assert _mcq("Option C or option B.", "C") == (False, "multiple_answers")
    assert _mcq("Option C.\n\nOption B.", "C") == (False, "multiple_answers")


# a letter in parentheses written onto a name is a function's argument, not an option's mark ("f(C)", "$P(B)$"), and
# code in a fence is no answer where the response answers outside it: mcq 30 passed the first three for C and failed
# the rest for C `multiple_answers`
@pytest.mark.parametrize(
    "answer", ["The formula is $f(C) = 2$.\n\nSo I can't decide.", "In code: `x = f(C)`", "We use g(C) here."]
)
def test_a_letter_as_an_argument_is_no_answer(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


def test_a_mark_inside_maths_is_no_answer() -> None:
    """The "B)" of "$P(A \\cup B)$" is no option's mark (read once "f(B)" was not, it passed for B)."""
    for letter in "ABCD":
        assert _mcq("$P(A \\cup B) = P(A) + P(B)$", letter)[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "C\n\nNote: f(B) = 3.",
        "**C**\n\nSince $P(B) < P(C)$, Mars.",
        "```\nanswer = (B)\n```\n\nThe answer is C.",
        "The answer is C.\n\n```\nresult = (B)\nprint(result)\n```",
        "```text\nThe answer is B.\n```\n\nThe answer is C.",
    ],
)
def test_a_letter_in_an_argument_or_code_beside_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


# a letter in inline code or maths, or in a text command there: mcq 30 found no answer
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is `C`.",
        "Answer: `C`",
        "The answer is $C$.",
        "The answer is $\\text{C}$.",
        "The answer is \\(\\text{C}\\).",
        "**Answer:** $\\mathbf{C}$",
        "Mars is red.\n\n```\nC\n```",
        "```\nAnswer: C\n```",
    ],
)
def test_a_letter_in_code_or_maths(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


def test_letters_in_code_or_maths_hedged() -> None:
    assert _mcq("Answer: `C` or `B`", "C") == (False, "multiple_answers")
    assert _mcq("The answer is $C$ or $B$.", "C") == (False, "multiple_answers")


# another letter in parentheses right after the answer's, or after "or" there: mcq 30 passed each for C
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C (B).",
        "The answer is C (or B).",
        "Answer: C (or B)",
        "**Answer: C (or B)**",
        "The answer is C (and B).",
        "\\boxed{C} (or B)",
        "\\boxed{C} (B)",
    ],
)
def test_another_letter_in_parentheses_is_a_hedge(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C (Mars).",
        "The answer is (C).",
        "The answer is C (not B).",
        "The answer is C (B is too hot).",
        "The answer is (C) (Mars).",
        "The answer is C (C).",
    ],
)
def test_the_answer_with_its_text_or_a_reason_in_parentheses(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# a line that gives an option's mark with another option's whole text names two options, as "Answer: C) Venus" does:
# mcq 30 passed each for C (the mark) though the text is Venus's (B)
MISLABELLED = [
    "C) Venus",
    "**C) Venus**",
    "(C) Venus",
    "**C.** Venus",
    "C: Venus",
    "C. Venus\n\nVenus is the hottest planet.",
    "Mars is red.\n\n**C) Venus**",
    "The answer is C.\n\nC) Venus",
    "\\boxed{C}\n\nC) Venus",
    "The answer is C.\n\nB) Mars",
]


@pytest.mark.parametrize("answer", MISLABELLED)
def test_a_mark_with_another_options_text(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "C) Mars",
        "**C) Mars**",
        "C) Mars\n\nUnlike B) Venus, Mars is red.",
        "A) Mercury\nB) Venus\nC) Mars\nD) Jupiter\n\nThe answer is C.",
        "- A) Mercury - wrong\n- B) Venus - wrong\n- C) Mars - right\n- D) Jupiter - wrong",
    ],
)
def test_marks_with_their_own_texts(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# an option's text given as the correct option, the best choice or a pick, as "The answer is Venus." gives it: after
# another answer a second one, beside another option's letter two (mcq 30 read no text there and passed each for the
# letter)
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nThe correct option is Venus.",
        "The answer is C.\n\nThe best choice is Venus.",
        "The answer is C.\n\nMy choice is Venus.",
        "The answer is C.\n\nMy pick: Venus",
        "The correct option is C. Venus",
        "The correct option is Venus (C).",
    ],
)
def test_an_options_text_given_as_the_correct_option_beside_another(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")
    assert _mcq(answer, "B")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "The correct option is Mars.",
        "The best choice is Mars.",
        "My choice: Mars",
        "The answer is C.\n\nThe correct option is Mars.",
        "The correct option is C) Mars.",
        "The choice is between Venus and Mars; Mars is red, so the answer is C.",
    ],
)
def test_an_options_text_given_as_the_correct_option(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


# more right answers in other words: mcq 30 found no answer in each
MORE_WORDS = [
    "Ans: C",
    "**Ans:** C",
    "Correct response: C",
    "The correct response is C.",
    "It has to be C.",
    "That leaves C.",
    "Which leaves C.",
    "Only C remains.",
    "Only C fits.",
    "Only option C works.",
    "C fits best.",
    "C, not B.",
    "C (not B).",
    "Not B, but C.",
    "Not B but C.",
    "Neither A nor B; C.",
    "Neither A nor B: C.",
]


@pytest.mark.parametrize("answer", MORE_WORDS)
def test_more_right_answers_in_words(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")
    assert _mcq(answer, "A") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "That leaves C or B.",
        "Only C or B remains.",
        "Not A, but C or B.",
        "The answer is B.\n\nThat leaves C.",  # a second answer, unrevised
    ],
)
def test_those_words_hedged(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "That leaves C and D to check.",  # the working: not ending its line
        "Only C remains to be checked: it is red.",
        "C fits best with the description of a gas giant, but the answer is B.",
        "Not B, but C is also wrong.",
    ],
)
def test_those_words_in_the_working(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


# another option added after the answer ("Also B.", "Or B.", "B too.", "B works too.", "B is plausible.", "B,
# probably.") or joined to its letter ("C+B", "C-D"): mcq 30 passed each for C
ADDED_AFTER = [
    "The answer is C. Also B.",
    "The answer is C, and also B.",
    "The answer is C.\n\nAlso B.",
    "The answer is C.\n\nB also.",
    "The answer is C. B too.",
    "The answer is C.\n\nB as well.",
    "The answer is C.\n\nOr B.",
    "The answer is C.\n\nOr else B.",
    "The answer is C.\n\n(or B)",
    "\\boxed{C}\n\nOr B.",
    "The answer is C.\n\nB works too.",
    "The answer is C.\n\nB works as well.",
    "The answer is C.\n\nB is also an answer.",
    "The answer is C.\n\nB is also a valid answer.",
    "C. B is plausible.",
    "The answer is C.\n\nB is plausible.",
    "The answer is C.\n\nB is likely.",
    "The answer is C.\n\nB is possible.",
    "The answer is C.\n\nB, probably.",
    "Answer: C+B",
    "Answer: C-D",
]


@pytest.mark.parametrize("answer", ADDED_AFTER)
def test_another_option_added_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nAlso, B is too hot.",
        "The answer is C.\n\nIt is not A or B.",
        "The answer is C.\n\nB is unlikely.",
        "The answer is C.\n\nB is less likely.",
        "The answer is C.\n\nB is plausible, but Venus is yellow.",
        "The answer is C.\n\nB works only for hot planets.",
        "The answer is C.\n\nVenus (B) too is hot, but yellow.",
        "The answer is C-type.",
    ],
)
def test_another_option_explained_after_the_answer(answer: str) -> None:
    got = _mcq(answer, "C")
    assert got[1] != "multiple_answers"


def test_an_option_called_possible_to_a_question_asking_for_the_exception() -> None:
    """To "Which is NOT possible?" an option called possible judges its statement: no hedge."""
    prompt = "Which of the following is NOT possible?\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter"
    answer = "The answer is C.\n\nA is possible. B is possible. D is possible."
    task = TaskSpec("t", "mcq", "C", prompt=prompt, verifier_args={"choices": CHOICES})
    assert verify_mcq(answer, task, CFG).passed


# another letter after the answer on its own: after an interjection or a connective ("Hmm, B.", "And B.", "Either way,
# B.", "Same for B."), with a check mark ("B ✓") or quoted ("> B"); mcq 31 as first released passed each for C
LETTER_AFTER = [
    "The answer is C.\n\nHmm, B.",
    "The answer is C.\n\nB \u2713",
    "The answer is C.\n\n> B",
    "The answer is C.\n\nSame for B.",
    "The answer is C.\n\nEither way, B.",
    "The answer is C. And B.",
    "The answer is C. Hmm, B.",
    "The answer is C. Same for B.",
]


@pytest.mark.parametrize("answer", LETTER_AFTER)
def test_another_letter_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nA is too close. Hmm, and B is too hot.",
        # "Same for B." after a sentence on another option says the same of B (the first fix failed this right C)
        "The answer is C.\n\nA is too close. Same for B.",
        "The answer is C.\n\nA is wrong: it is too close to the sun. Same for B.",
        "The answer is C.\n\nAnd B is too hot.",
        "The answer is C.\n\nEither way, B is too hot.",
        "The answer is C \u2713",
    ],
)
def test_another_letter_explained_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# another option's mark and its text alone after the answer: passed for C
@pytest.mark.parametrize(
    "answer", ["The answer is C) Mars. B) Venus.", "The answer is C. B) Venus.", "The answer is C.\n\nB) Venus."]
)
def test_another_option_restated_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


def test_the_options_listed_again_after_the_answer() -> None:
    answer = "The answer is C.\n\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter"
    assert _mcq(answer, "C") == (True, None)


# right answers that found none: a lower-case letter alone, "Solution: C", "Result: C"
@pytest.mark.parametrize("answer", ["**c**", "c", "(c)", "Solution: C", "The solution is C.", "Result: C"])
def test_a_lower_case_letter_alone_or_a_solution(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


# the other options explained after an answer opening with its option, each mark with its own text: it failed
# `multiple_answers`
@pytest.mark.parametrize(
    "answer",
    [
        "C) Mars\n\nB) Venus is too hot and A) Mercury too close.",
        "C) Mars\n\nB) Venus is too hot.\nA) Mercury is too close.",
    ],
)
def test_others_explained_by_their_marks_after_the_option(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer", ["C) Mars\n\nB) Venus.", "C) Mars\n\nB) Venus is also correct.", "C) Mars\n\nB) Venus could be right."]
)
def test_another_mark_offered_after_the_option(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False
