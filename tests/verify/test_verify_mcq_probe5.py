"""mcq 34 (math 40, numeric 35, exact 21): answers an earlier probe found read wrongly in mcq 33.

- Another option kept in play in words mcq 33 did not know passed for C: "A long shot would be D.", "D is an outside
  possibility.", "D is a dark horse.", "D remains possible.", "A case could be made for D.", "Failing that,
  D.", "(or D if we're being generous)".
- A right answer failed `retracted`: "The answer is C. D is a gas giant, so it is wrong." (the "it" that is wrong is
  D, named in the sentence), and a wrong one passed: "The answer is C. Wait, it is wrong." (after a letter and a full
  stop on the answer's line the prose was not read).
"""

from __future__ import annotations

import pytest

from pipeline.verify.result import TaskSpec
from tests.verify.test_verify_mcq_probe4 import CFG
from tests.verify.test_verify_mcq_probe4 import _mcq as _mcq_for


def _mcq(answer: str, reference: str = "C") -> tuple[bool, str | None]:
    return _mcq_for(answer, reference)  # the Red Planet question of the earlier probe


KEPT_IN_PLAY = [
    "The answer is C. A long shot would be D.",
    "The answer is C. An outside chance is D.",
    "The answer is C, with D an outside chance.",
    "The answer is C, with D a long shot.",
    "The answer is C. D is an outside possibility.",
    "The answer is C. D is a dark horse.",
    "The answer is C. D remains possible.",
    "The answer is C. D is still possible.",
    "The answer is C. A case could be made for D.",
    "The answer is C. Failing that, D.",
    "The answer is C (or D if we're being generous).",
    "**Answer: C** (or D if the question means the largest).",
]


@pytest.mark.parametrize("answer", KEPT_IN_PLAY)
def test_another_option_kept_in_play_is_a_second_answer(answer: str) -> None:
    assert _mcq(answer) == (False, "multiple_answers"), answer


EXPLAINED = [
    "The answer is C. D is a gas giant, so it is wrong.",
    "The answer is C. D is a gas giant; it is incorrect.",
    "The answer is C. Option D is the largest planet, which makes it wrong.",
    "The answer is C. A long shot would be to say Venus is red, but it is yellowish.",
    "The answer is C. Some would argue D is reddish, but that is wrong.",
    "The answer is C. Some would argue D.",  # another's view (as "Some might argue for B." since mcq 26)
    "The answer is C. D is definitely wrong.",
    "The answer is C. D remains the largest planet.",
    "The answer is C. Failing that, check the textbook.",
]


@pytest.mark.parametrize("answer", EXPLAINED)
def test_another_option_explained_away_leaves_the_answer(answer: str) -> None:
    assert _mcq(answer) == (True, None), answer


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C. Wait, that is wrong.",
        "The answer is C. Wait, it is wrong.",  # (it passed: the answer's line was read as the answer's value)
        "The answer is C. Hmm, it is wrong.",
        "The answer is C, not D. Wait, that is wrong.",  # D is named in a sentence before the one calling it wrong
        "\\boxed{C}\n\nD is a gas giant.\n\nWait, my answer is wrong.",
    ],
)
def test_the_answer_called_wrong_is_still_retracted(answer: str) -> None:
    assert _mcq(answer) == (False, "retracted"), answer


@pytest.mark.parametrize(
    ("family", "reference", "answer"),
    [
        ("exact", "Paris", "\\boxed{Paris}. Travel is still possible."),  # a word kept possible is no value
        ("exact", "Paris", "\\boxed{Paris}. A visit is still possible."),
        ("math", "12", "\\boxed{12}. Error is still possible."),
    ],
)
def test_a_word_kept_possible_is_no_second_answer(family: str, reference: str, answer: str) -> None:
    from pipeline.verify.registry import Registry

    r = Registry(CFG).get(family).check(answer, TaskSpec("t", family, reference, prompt="What is it?"), CFG)
    assert (r.passed, r.detail) == (True, None), answer


@pytest.mark.parametrize(
    ("family", "reference", "answer"),
    [
        ("math", "12", "\\boxed{12}. 13 is still possible."),
        ("math", "12", "\\boxed{12}. 13 is an outside possibility."),
        ("numeric", "12", "The answer is 12. 13 is a dark horse."),
        ("exact", "Paris", "\\boxed{Paris}. Lyon is a dark horse."),
    ],
)
def test_a_value_kept_in_play_in_the_same_words_is_a_second_answer(family: str, reference: str, answer: str) -> None:
    """math 40, numeric 35, exact 21 read the same words as mcq 34 (`extract.KEPT_AS_REMOTE`)."""
    from pipeline.verify.registry import Registry

    r = Registry(CFG).get(family).check(answer, TaskSpec("t", family, reference, prompt="What is it?"), CFG)
    assert (r.passed, r.detail) == (False, "multiple_answers"), answer
    right = answer.split(".")[0] + "."
    r = Registry(CFG).get(family).check(right, TaskSpec("t", family, reference, prompt="What is it?"), CFG)
    assert r.passed, right
