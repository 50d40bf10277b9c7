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
