"""A prompt that builds on another problem it does not hold: a later part of a multi-part problem ("Using your answer
from part (a), ...", "(b) Hence find x."), "the previous question", or a textbook's "Repeat Exercise 12 with n = 5."
Datasets that split multi-part problems into rows, and scraped exercise books, keep such questions: the model is asked
to continue work it never saw, and a guessed answer that matches trains the fine-tune to invent the missing part.
They are quarantined `needs_context`, on the bulk path and row by row; a prompt holding the part it refers to, a part
label of its own ("Part (a): Tom has 5 apples ...") and references into the prompt's own text are kept."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.normalize import refers_to_other_problem

NEEDS = [
    ("Using your answer from part (a), find the area of the triangle.", "from part (a)"),
    ("In the previous problem, what would happen if the speed doubled? Give the time in hours.", "previous problem"),
    ("Refer to the previous question. How many apples are left?", "previous question"),
    ("(b) Hence find the value of x.", "Hence find"),
    ("Hence, show that the sequence converges and find its limit.", "Hence, show"),
    ("Repeat Exercise 12 with n = 5.", "Repeat Exercise 12"),
    ("Use the result of Example 3 to find the sum of the first ten terms.", "of Example 3"),
    ("With the values found in part (b), compute the total cost.", "in part (b)"),
]
KEPT = [
    "Part (a): Tom has 5 apples and buys 7 more. How many apples does he have?",
    "(a) Tom has 5 apples and buys 7 more. How many does he have?\n(b) Using your answer from part (a), how many "
    "are left after he eats 2?",
    "Example 3: Find the sum of 2 and 5. Use the method of Example 3 to find the sum of 4 and 9.",
    "Tom solved the previous day's puzzle in 5 minutes and today's in 7. How many minutes in all?",
    "The problem has two parts, and Tom finished both. If each took 4 minutes, how long did he work?",
    "Thus far, Tom has read 12 pages of 30. How many pages are left?",
    "Therefore is a word. How many letters does it have?",
]


@pytest.mark.parametrize(("prompt", "phrase"), NEEDS)
def test_refers_to_other_problem_finds_the_phrase(prompt: str, phrase: str) -> None:
    assert refers_to_other_problem(prompt) == phrase


@pytest.mark.parametrize("prompt", KEPT)
def test_a_whole_prompt_is_not_flagged(prompt: str) -> None:
    assert refers_to_other_problem(prompt) is None


@pytest.mark.parametrize("mapped", [False, True], ids=["bulk", "per-row"])
def test_rows_building_on_another_problem_are_quarantined(ingest_prompts, mapped: bool) -> None:
    kept, quarantined = ingest_prompts([p for p, _ in NEEDS] + KEPT, mapped=mapped, column="problem")
    assert kept == sorted(KEPT)
    assert sorted(r for r, _ in quarantined) == ["needs_context"] * len(NEEDS)
    assert any("builds on another problem it does not hold ('from part (a)')" in d for _, d in quarantined)
    assert all("ingest.check_context: false" in d for _, d in quarantined)


def test_check_context_false_keeps_them(store, write_jsonl) -> None:
    rows = [{"problem": p, "answer": "7"} for p, _ in NEEDS]
    ingest_paths(store, [write_jsonl("p.jsonl", rows)], cfg=IngestConfig(check_context=False))
    assert store.count("tasks") == len(NEEDS)
