"""How `mcq` reads answers an earlier probe found it passed wrong (mcq 32). Each case below passed a wrong answer, or
failed a right one, in mcq 31.

- A response whose only letter is inside a fenced code block (`` ```\\nx = (C)\\n``` ``) passed for C, to a question
  about no code.
- "The letter c appears in Mercury." passed for Mercury: an option's text in a sentence that spells is no answer.
- A conditional answer ("The answer is C unless the question means the largest, in which case D.") passed for C.
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.mcq import verify_mcq

CFG = VerifyConfig()
CHOICES = {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}
PROMPT = "Which planet is known as the Red Planet?\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter"


def _mcq(answer: str, reference: str, prompt: str = PROMPT, choices: object = CHOICES) -> tuple[bool, str | None]:
    task = TaskSpec("t", "mcq", reference, prompt=prompt, verifier_args={"choices": choices})
    r = verify_mcq(answer, task, CFG)
    return r.passed, r.detail


# 1 (a): a letter only inside code is no stated answer, unless the task is about code
CODE_ONLY = [
    "```\nx = (C)\n```",
    "```python\nx = (C)\n```",
    "```\nanswer = 'C'\n```",
    "```python\nprint('C')\n```",
    "```\nresult = (C)\nprint(result)\n```",
]


@pytest.mark.parametrize("answer", CODE_ONLY)
def test_a_letter_only_in_code_is_no_answer(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter) == (False, "no_answer")


def test_a_letter_only_in_code_to_a_question_about_code() -> None:
    prompt = "What does this code print?\n\n```python\nprint('C')\n```\n\nA) A\nB) B\nC) C\nD) D"
    choices = {"A": "x", "B": "y", "C": "z", "D": "w"}
    assert _mcq("```\nx = (C)\n```", "C", prompt, choices) == (True, None)


@pytest.mark.parametrize("answer", ["```\nC\n```", "```\nAnswer: C\n```", "```\n(C) Mars\n```", "```text\nC\n```"])
def test_a_fenced_letter_answer_alone(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


# 1 (b): a sentence that spells (a letter of the alphabet) names no option by its text
SPELLED = [
    "The letter c appears in Mercury.",
    "The letter C appears in Mercury.",
    "Mercury contains the letter c.",
    "Mercury is spelled with a c.",
]


@pytest.mark.parametrize("answer", SPELLED)
def test_a_sentence_that_spells_is_no_answer(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


def test_a_sentence_that_spells_to_a_question_about_letters() -> None:
    prompt = "Which planet's name contains the letter c?\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter"
    assert _mcq("The letter c appears in Mercury.", "A", prompt) == (True, None)
    assert _mcq("The letter c appears in Mercury.", "C", prompt) == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    ["The answer is the letter C.", "The correct answer is letter C.", "Letter C is correct.", "The letter C."],
)
def test_an_option_called_by_its_letter(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


def test_the_letter_of_a_letter_option_text() -> None:
    # options whose texts are letters: "the letter C" is option A's text, not option C
    choices = {"A": "C", "B": "D", "C": "E", "D": "F"}
    prompt = "Which letter comes after B?\nA) C\nB) D\nC) E\nD) F"
    assert _mcq("The answer is the letter C.", "C", prompt, choices)[0] is False


# 1 (c): an answer given under a condition with another option for the other case is two answers
CONDITIONAL = [
    "The answer is C unless the question means the largest, in which case D.",
    "The answer is C, unless the question means the largest, in which case D.",
    "Answer: C, unless the question means the largest planet, in which case D.",
    "The answer is (C) unless the question means the largest, in which case (D).",
    "The answer is C unless the question means the largest, in which case it's D.",
    "The answer is C unless the question means the largest, in which case the answer would be D.",
    "The answer is C. If the question means the largest, then D.",
    "The answer is C. If the question is asking about the largest planet, the answer is D.",
    "The answer is C, but if the question means the largest, it's D.",
    "The answer is C if it means the red planet, and D if it means the largest.",
    "The answer is C (or D if the question means the largest).",
    '**Answer: C** (D if "largest" is intended)',
    "\\boxed{C}\n\nIf the question is asking about the largest planet instead, the answer would be D.",
    "The answer is C.\n\nIf by 'red' you mean the colour of its storms, then D.",
    "The answer is C unless the question means the largest, in which case Jupiter.",
    "The answer is C (D if the question asks about size).",
]


@pytest.mark.parametrize("answer", CONDITIONAL)
def test_a_conditional_answer_is_two(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")
    assert _mcq(answer, "D") == (False, "multiple_answers")


# a condition that supposes another question, or explains why another option is not the answer, is none
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nIf the question were about the largest planet, the answer would be D.",
        "Answer: C. D would be the answer only if it were red.",
        "If the question asks about size, the answer would be D, but it asks about colour, so the answer is C.",
        "The answer is C. If the question meant size it would say so; it doesn't.",
        "The answer is C unless I misread the question.",
        "The answer is C, in which case Mars is red.",
    ],
)
def test_a_condition_that_explains(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "D") == (False, "mismatch")


# 2: endings found by probing as a user would (mcq 31 passed or failed each wrong)

# a list of the options under "each option:" / "each choice:" is no answer stated as "option: A" (a right answer after
# such a list failed `multiple_answers`, its first line read as "option: A. Mercury")
LISTED = [
    "Let's evaluate each option:\n\nA. Mercury: grey.\nB. Venus: yellow.\nC. Mars: red.\nD. Jupiter: banded.\n\n"
    "So the answer is C.",
    "Let's evaluate each option:\n\n(A) Mercury — grey, cratered. Incorrect.\n(B) Venus — yellowish clouds. "
    "Incorrect.\n(C) Mars — iron oxide makes it red. Correct.\n(D) Jupiter — banded gas giant. Incorrect.\n\n"
    "The answer is (C).",
    "Looking at each choice:\nA) Mercury is grey.\nB) Venus is yellow.\nC) Mars is red.\nD) Jupiter is banded.\n\n"
    "**Answer: C**",
    "Let's go through every option:\n\nA: Mercury, grey.\nB: Venus, yellow.\n\nThe answer is C.",
]


@pytest.mark.parametrize("answer", LISTED)
def test_a_list_under_each_option_then_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "A") == (False, "mismatch")


@pytest.mark.parametrize("answer", ["Answer:\n\nC", "**Final Answer:**\n\n**C) Mars**", "The correct option:\nC"])
def test_an_answer_on_the_line_after_its_keyword(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "A") == (False, "mismatch")


# an answer corrected "on reflection" is the correction (it passed for the first letter)
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is (C).\n\nHmm, on reflection, (B).",
        "The answer is C.\n\nOn further reflection, B.",
        "The answer is C. On closer inspection, it's B.",
        "\\boxed{C}\n\nOn reflection, B.",
    ],
)
def test_an_answer_corrected_on_reflection(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


def test_reflection_that_keeps_the_answer() -> None:
    assert _mcq("The answer is C.\n\nOn reflection, C is right: Mars is red.", "C") == (True, None)
    assert _mcq("The answer is C.\n\nOn reflection, (C).", "C") == (True, None)


# the option left after the others are ruled out (no answer found, or every mark read)
@pytest.mark.parametrize(
    "answer",
    [
        "Eliminating (A), (B) and (D), we are left with (C) Mars.",
        "We are left with C.",
        "Eliminating A, B and D leaves C.",
        "Ruling out A, B and D leaves us with C.",
    ],
)
def test_the_option_left(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "A") == (False, "mismatch")


# more hedges: another option called a close call or acceptable, offered after a dash and "or", or for another reading
# after a comma (each passed for C)
@pytest.mark.parametrize(
    "answer",
    [
        "I'd pick C, but B is a close call.",
        "The answer is C, but B is a close call.",
        "The answer is (C) Mars, although (B) Venus is sometimes reddish too, so (B) could be accepted.",
        "The answer is C; B would also be accepted.",
        "The answer is C — or B, if the question means the planet with the reddest sky.",
        "Answer: C — or B.",
        "Answer: C. B also works if the question is about clouds.",
        "The answer is C, or B, if the question means the hottest.",
    ],
)
def test_more_hedges(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C. B is not accepted by most astronomers.",
        "The answer is C — Mars. B is wrong if the question is about colour.",
        "The answer is C. A close call would be B only if Venus were red.",
    ],
)
def test_other_options_explained(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


NUMBERS = {"A": "12", "B": "15", "C": "18", "D": "21"}


def test_an_option_matched_by_which_is() -> None:
    # "18, which is option C." gives C: the options' texts were read, and "Option B (15)" failed it `multiple_answers`
    answer = "3 x 6 = 18, which is option C. Option B (15) would be 3 x 5."
    assert _mcq(answer, "C", "What is 3 x 6?", NUMBERS) == (True, None)
    assert _mcq(answer, "B", "What is 3 x 6?", NUMBERS) == (False, "mismatch")
    # an option named so in passing, mid-sentence, is no answer
    assert _mcq("Mercury, which is option A, is closest to the Sun. The answer is C.", "C") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C, and arguably B as well.",
        "The answer is C if we go by colour, B otherwise.",
        "Answer: C, B otherwise.",
    ],
)
def test_another_option_argued_or_otherwise(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


def test_otherwise_describing() -> None:
    assert _mcq("The answer is C. Option A otherwise describes Mercury.", "C") == (True, None)


# mcq 33: another option for other sources, contexts or readings is a second answer (each passed for C)
SPLIT_BY_SOURCE = [
    "The answer is C, but B in some contexts.",
    "The answer is C in most textbooks, but B in some.",
    "The answer is C for most purposes, B for others.",
    "Answer: C, or B under the older definition.",
    "The answer is C; B according to some sources.",
    # and another option kept in play as a remote chance
    "C. D is a long shot.",
    "The answer is C, with D as a remote possibility.",
    "I'd go with C, though D isn't impossible.",
    "The answer is C. D is a remote possibility.",
]


@pytest.mark.parametrize("answer", SPLIT_BY_SOURCE)
def test_another_option_for_other_sources_is_a_second_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C. Option B is wrong, and D in some sense is close but wrong.",
        "The answer is C. Mercury is closest to the sun, and B for Venus is the hottest.",
        "The answer is C, and Mars is red for the iron oxide on its surface.",
        "The answer is C for every source I know.",
        "The answer is C. D is impossible because Jupiter is a gas giant.",
        "The answer is C. D isn't impossible to see from Earth, but it is not red.",
    ],
)
def test_an_option_explained_with_a_qualifier_is_no_second_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# mcq 33: an answer given as a letter and its option's text ("C (Mars)") is read for hedges on its line and after it,
# as a stated one (each passed for C: the "text" rule read no hedge)
@pytest.mark.parametrize(
    "answer",
    [
        "C (Mars), or possibly D.",
        "C (Mars). Or maybe D.",
        "C (Mars). D is a long shot.",
        "C (Mars) \u2014 if red refers to the spot, D.",
    ],
)
def test_a_letter_with_its_options_text_is_read_for_hedges(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    ["C (Mars)", "Mars", "Mars, the fourth planet.", "Mars is the Red Planet because of iron oxide on its surface."],
)
def test_an_options_text_alone_still_passes(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
