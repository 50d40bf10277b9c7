"""How `mcq` reads the endings Hermes 4 writes after its think block (mcq 30). Each case below passed a wrong answer,
or failed a right one, in mcq 29.

- A supposition after the answer ("If the question were about the hottest planet, the answer would be B) Venus.") was
  read as a second answer: its letter and option text were taken for the stated answer's, and a right C failed
  `multiple_answers`.
- "I am sure: D.", "→ C", "The answer is the third option." found no answer (`no_answer`).
"""

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


# a supposition after the answer names no second one
SUPPOSED_AFTER = [
    "The answer is C) Mars.\n\nIf the question were about the hottest planet, the answer would be B) Venus.",
    "The answer is C) Mars. If the question were about the hottest planet, the answer would be B) Venus.",
    "The answer is C) Mars.\n\nHad the question asked about the hottest planet, the answer would be B) Venus.",
    "The answer is C) Mars.\n\nWere the question about the hottest planet, the answer would be B) Venus.",
    "The answer is C) Mars.\n\nIf the question were about the hottest planet, the correct answer would be B) Venus.",
    "**Answer: C) Mars**\n\nIf the question were about the hottest planet, the answer would be **B) Venus**.",
    "The answer is C) Mars.\n\n(If the question were about the hottest planet, the answer would be B.)",
    "The answer is C) Mars.\n\nOtherwise, the answer would be B.",
    "The answer is C) Mars.\n\nOtherwise it would be B.",
    "The answer is C) Mars.\n\nHad the question asked about the hottest planet, it would be B.",
    "**C) Mars**\n\nIf the question were about the hottest planet, the answer would be B) Venus.",
    "**C) Mars**\n\n*If the question were about the hottest planet, the answer would be B) Venus.*",
    # (mcq 31: a supposition naming another question with "For ...", each failed `multiple_answers` in mcq 30)
    "The answer is C) Mars.\n\nFor the hottest planet, the answer would be B) Venus.",
    "The answer is C.\n\nFor the hottest planet, the answer would be B.",
    "The answer would be C.\n\nFor the hottest planet, the answer would be B.",
    "**C) Mars**\n\nFor the hottest planet, the answer would be B) Venus.",
    "\\boxed{C}\n\nFor the hottest planet, the answer would be B) Venus.",
    "The answer is C.\n\nFor a question about the hottest planet, the answer would be B.",
    "The answer is C.\n\nFor the opposite question, the answer would be A.",
    "The answer is C.\n\nFor the hottest planet, B would be correct.",
    "The answer is C.\n\nFor the hottest planet, B would also be correct.",
]


@pytest.mark.parametrize("answer", SUPPOSED_AFTER)
def test_a_supposition_after_the_answer_is_no_second_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer would be C.",
        "The answer would be C) Mars.",
        "Mars is red.\n\nThe answer would be C.",
        "For this question, the answer would be C.",
        "For these reasons, the answer would be C.",
        "For the question as asked, the answer would be C.",
    ],
)
def test_a_plain_would_be_is_the_answer(answer: str) -> None:
    """mcq 31: only "For ..." naming another question (another criterion: "the hottest planet", "the opposite
    question") supposes; a "would be" on its own or for this question is the answer."""
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nFor these reasons, the answer would be B.",
        "The answer is C.\n\nFor the question as asked, the answer would be B.",
        "The answer is C.\n\nFor the hottest planet, the answer is B.",  # no supposition: said of this question
    ],
)
def test_a_would_be_for_this_question_is_a_second_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is B or C",
        "The answer is C) Mars.\n\nB) Venus would also be correct.",
        "The answer is C) Mars.\n\nOr maybe the answer is B) Venus.",
        "The answer is C) Mars.\n\nThe answer is B) Venus.",
    ],
)
def test_an_answer_hedged_or_given_twice_still_fails(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


# a letter after a belief and a colon, or after an arrow
@pytest.mark.parametrize(
    ("answer", "letter"),
    [
        ("I am sure: D.", "D"),
        ("I'm confident: D", "D"),
        ("\u2192 C", "C"),
        ("**\u2192 C**", "C"),
        ("Mars is red because of iron oxide.\n\n\u2192 **C**", "C"),
        ("\u21d2 C", "C"),
        ("=> C", "C"),
        ("Answer \u2192 C", "C"),
    ],
)
def test_a_letter_after_a_belief_or_an_arrow(answer: str, letter: str) -> None:
    assert _mcq(answer, letter) == (True, None)
    other = "A" if letter != "A" else "B"
    assert _mcq(answer, other) == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "closest to the Sun \u2192 A, hottest \u2192 B",  # arrows in the working, not opening their line
        "I am sure: B is hot, A is close.",
    ],
)
def test_an_arrow_or_a_belief_in_the_working_is_no_answer(answer: str) -> None:
    assert _mcq(answer, "A")[0] is False
    assert _mcq(answer, "B")[0] is False


# an option named by its place in the list (the options are listed in the order of their letters)
ORDINALS = [
    ("The answer is the third option.", "C"),
    ("The correct choice is the second one.", "B"),
    ("The correct answer is the first option.", "A"),
    ("The answer is the last option.", "D"),
    ("The answer is the fourth choice: Jupiter.", "D"),
    ("**Answer:** the third option (Mars)", "C"),
    ("I choose the third option.", "C"),
    ("The third option is correct.", "C"),
    ("The 3rd option is the correct answer.", "C"),
]


@pytest.mark.parametrize(("answer", "letter"), ORDINALS)
def test_an_option_named_by_its_place(answer: str, letter: str) -> None:
    assert _mcq(answer, letter) == (True, None)
    other = "A" if letter != "A" else "B"
    assert _mcq(answer, other) == (False, "mismatch")


def test_an_ordinal_follows_the_options_order_as_stored() -> None:
    """ARC's numeric labels are stored as letters by position: "the second option" is the option labelled 2 (B)."""
    arc = {"label": ["1", "2", "3", "4"], "text": ["Mercury", "Venus", "Mars", "Jupiter"]}
    assert _mcq("The answer is the second option.", "2", arc) == (True, None)
    assert _mcq("The answer is the second option.", "3", arc) == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is the third option or the second one.",  # a hedge
        "The answer is the fifth option.",  # no such option (four)
        "The third planet from the Sun is Earth, not Mars.",  # an ordinal that names no option
    ],
)
def test_an_ordinal_that_names_no_single_option(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


@pytest.mark.parametrize(
    ("answer", "letter"),
    [
        ("The first choice is C, since Mars is red.", "C"),  # a place given a letter: the letter
        ("The last option is C.", "C"),
    ],
)
def test_a_place_given_a_letter_is_that_letter(answer: str, letter: str) -> None:
    assert _mcq(answer, letter) == (True, None)
    assert _mcq(answer, "A")[0] is False
    assert _mcq(answer, "D")[0] is False


@pytest.mark.parametrize(
    "answer",
    ["The answer is option C or option B.", "Answer: option C or option B", "I choose option C or option B."],
)
def test_a_hedge_that_names_its_options_as_options(answer: str) -> None:
    """mcq 29 read "or option B" as no hedge (the word "option" between) and passed each for C."""
    assert _mcq(answer, "C") == (False, "multiple_answers")


# options judged one by one, on one line or a bulleted list, with or without a reason after the verdict: the option
# called right. mcq 29 read "A) wrong, B) wrong, C) right, D) wrong." as opening with A (the other options' marks
# were not at a line start) and passed it for A; the bulleted lists and the lists with reasons failed
# `multiple_answers` or `no_answer` for C.
JUDGED = [
    "A) wrong, B) wrong, C) right, D) wrong.",
    "A) Mercury - wrong, B) Venus - wrong, C) Mars - right, D) Jupiter - wrong",
    "A: \u2717; B: \u2717; C: \u2713; D: \u2717",
    "- A) Mercury: incorrect\n- B) Venus: incorrect\n- C) Mars: correct\n- D) Jupiter: incorrect",
    "- A: \u2717\n- B: \u2717\n- C: \u2713\n- D: \u2717",
    "**A) Mercury** \u2013 Incorrect. Gray.\n**B) Venus** \u2013 Incorrect. Yellow.\n**C) Mars** \u2013 Correct. Red."
    "\n**D) Jupiter** \u2013 Incorrect. Banded.",
    "**A) Mercury**: Incorrect, it is gray.\n**B) Venus**: Incorrect, it is yellow.\n**C) Mars**: Correct, it is red."
    "\n**D) Jupiter**: Incorrect, it is banded.",
]


@pytest.mark.parametrize("answer", JUDGED)
def test_options_judged_one_by_one(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    for wrong in "ABD":
        assert _mcq(answer, wrong) == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "A) right, B) wrong, C) right, D) wrong.",  # two called right
        "A) Mercury, B) Venus, C) Mars, D) Jupiter.",  # the options restated, none judged
        "A) wrong, B) wrong, C) right, D) wrong.\n\nB could also be correct.",  # a hedge after the list
        "A) Mercury - wrong\nB) Venus - wrong\nC) Mars - right\nD) Jupiter - wrong\n\nB could also be correct.",
    ],
)
def test_options_listed_on_one_line_name_no_single_answer(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


# answers Hermes writes in the prompt's language with an article or a filler before the letter ("la C", "donc C"), and
# English endings in more words: mcq 29 found no answer in each
MORE_WORDS = [
    "La respuesta correcta es la C.",
    "La respuesta es la C) Marte.",
    "La opci\u00f3n correcta es la C.",
    "La bonne r\u00e9ponse est la C.",
    "La bonne r\u00e9ponse est donc C.",
    "La r\u00e9ponse est donc la C.",
    "La respuesta es, por lo tanto, C.",
    "La respuesta correcta es entonces la C.",
    "La risposta corretta \u00e8 la C.",
    "Die richtige Antwort ist also C.",
    "Going with C.",
    "I'm going with C.",
    "That's C.",
    "C it is.",
    "The answer here is C.",
    "The best choice here is C.",
    "I'm fairly confident it's C.",
]


@pytest.mark.parametrize("answer", MORE_WORDS)
def test_an_answer_in_more_words(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "La respuesta correcta es la C o la B.",
        "La bonne r\u00e9ponse est donc C ou B.",
        "C it is, or maybe B.",
        "Going with C or B.",
    ],
)
def test_those_words_hedged(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "That's C's weakness.",  # a possessive
        "The answer here is a C-type asteroid.",  # an article and a word
        "Going with C would be a mistake.",  # a choice discussed
    ],
)
def test_those_words_discussing_an_option(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


# another option kept in play after the answer in words Hermes writes: each passed for C in mcq 29
HEDGED_AFTER = [
    "The answer is C.\n\nHowever, B could also be considered correct.",
    "The answer is C.\n\nB might also be seen as correct.",
    "The answer is C.\n\nArguably B as well.",
    "The answer is C. Arguably, B.",
    "The answer is C. Maybe B.",  # a hedge opening a sentence on the answer's line
    "The answer is C. Possibly B as well.",
    "The answer is C; B is a strong alternative.",
    "The answer is C.\n\nB is an alternative.",
    "Answer: C\n\nConfidence: 60% (B is the alternative)",
    "The answer is C. That said, B is not entirely wrong.",
    "The answer is C, though B isn't completely wrong.",
    "The answer is C.\n\nIf I'm wrong, the answer would be B.",
    "The answer is C.\n\nIf I'm wrong, then B.",
    "The answer is C.\n\nOtherwise, B.",
    "The answer is C, or else B.",
    "The answer is C; otherwise B.",
    "Answer: C\nAlternative: B",
    "**Answer: C**\n**Alternative answer:** B",
]


@pytest.mark.parametrize("answer", HEDGED_AFTER)
def test_another_option_kept_in_play_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C.\n\nB is an alternative name for the morning star.",  # not ending its sentence
        "The answer is C.\n\nB is wrong: Venus is yellow, and not entirely red.",
        "The answer is C.\n\nIf I'm wrong about the dust, the color would differ.",
        "The answer is C) Mars.\n\nOtherwise it would be B.",  # a supposition (the other case)
        "The answer is C.\n\nThe alternative, B, is too hot.",
        "The answer is C.\n\nArguably the most famous red object in the sky is Mars.",
    ],
)
def test_another_option_explained_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# a recap that calls another option right than the answer given commits to it too: mcq 29 read the answer stated (or
# boxed) and passed each for B, the option the recap calls wrong
RECAP_AGAINST = [
    "**Answer: B**\n\nRecap:\n- A) Mercury: wrong\n- B) Venus: wrong\n- C) Mars: right\n- D) Jupiter: wrong",
    "- A) wrong\n- B) wrong\n- C) right\n- D) wrong\n\n**Answer: B**",
    "\\boxed{B}\n\nA) wrong, B) wrong, C) right, D) wrong.",
    "The answer is B.\n\nA: \u2717 B: \u2717 C: \u2713 D: \u2717",
    "**Answer: B**\n\n| Option | Verdict |\n|---|---|\n| A) Mercury | \u2717 |\n| B) Venus | \u2717 |"
    "\n| C) Mars | \u2713 |\n| D) Jupiter | \u2717 |",
    "C) Mars is tempting, but B) Venus is the answer.",  # (an answer opening with C, then another option's mark)
    "**C)** No. **B)** Yes.",
]


@pytest.mark.parametrize("answer", RECAP_AGAINST)
def test_a_recap_calling_another_option_right(answer: str) -> None:
    for letter in "ABCD":
        assert _mcq(answer, letter)[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "C) Mars\n\nUnlike B) Venus, Mars is red.",  # another option's mark with its text in an explanation
        "C) Mars\n\nMars is red; B) Venus is yellowish and D) Jupiter is banded.",
        "**Answer: C**\n\nRecap:\n- A) Mercury: wrong\n- B) Venus: wrong\n- C) Mars: right\n- D) Jupiter: wrong",
        "**Answer: C**\n\n| Option | Verdict |\n|---|---|\n| A) Mercury | \u2717 |\n| B) Venus | \u2717 |"
        "\n| C) Mars | \u2713 |\n| D) Jupiter | \u2717 |",
        "| Option | Verdict |\n|---|---|\n| A | \u2717 |\n| B | \u2717 |\n| C | \u2713 |\n| D | \u2717 |",
        "**Answer: C**\n\nA) Mercury - wrong\nB) Venus is hot, which is true",  # prose, not a verdict
        "The answer is C.\n\nThe third option? No, the second one is too hot.",
    ],
)
def test_a_recap_that_agrees(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B")[0] is False


def test_an_ordinal_corrected() -> None:
    assert _mcq("The answer is the third option? No, the second one.", "B") == (True, None)
    assert _mcq("The answer is the third option? No, the second one.", "C")[0] is False
