"""A prompt that announces an expression, equation, function, list or code it does not hold, anywhere in it ("Simplify
the following expression. Give your answer in simplest form.", "In the list below, which number is the largest?").
Scrapes that lost a formula or a list (an image, stripped LaTeX) keep such questions: the model is asked about a
formula it never sees, and a guessed answer that matches trains the fine-tune to make one up. The check for a prompt
that ends announcing (`ends_announcing`) only read its last sentence. Such rows are quarantined `needs_context`, on
the bulk path and row by row; a prompt holding the content (numbers, symbols, text after a colon or on its own
lines) is kept."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.normalize import announces_missing

NEEDS = [
    ("In the list below, which number is the largest?", "list below"),
    ("Simplify the following expression. Give your answer in simplest form.", "the following expression"),
    ("Consider the following sequence. What is the next term?", "the following sequence"),
    ("Find the derivative of the function given below with respect to x.", "function given below"),
    ("Evaluate the integral below and give your answer as a fraction.", "integral below"),
    ("Which of the numbers below is prime? Give the number.", "numbers below"),
    ("What is the output of the following code? Give the printed value.", "the following code"),
    ("What is the value of the expression above? Give it in lowest terms.", "expression above"),
    ("For the given function, find its maximum value on the interval.", "the given function"),
]
KEPT = [
    "Identify the verb in the following sentence. The cat sleeps on the mat.",
    "Which of the following numbers is prime? 4, 6, 7, 9",
    "Solve the following equation for x: 2x + 1 = 7.",
    "Compute the determinant of the matrix below.\n\n[[1, 2], [3, 4]]",
    "Consider the following sequence: one, four, nine, sixteen. What comes next?",
    "Find all prime numbers below fifty.",
    "Describe the function of the heart in the human body.",
    "Simplify the following expression:\nthe square of a number plus twice the number",
    "Evaluate the following integral: $\\int_0^1 x^2 dx$.",
    "How many values below zero does the list hold if it has no negative entries at all?",
]


@pytest.mark.parametrize(("prompt", "phrase"), NEEDS)
def test_announces_missing_finds_the_phrase(prompt: str, phrase: str) -> None:
    assert announces_missing(prompt) == phrase


@pytest.mark.parametrize("prompt", KEPT)
def test_a_prompt_that_holds_what_it_announces_is_not_flagged(prompt: str) -> None:
    assert announces_missing(prompt) is None


@pytest.mark.parametrize("mapped", [False, True], ids=["bulk", "per-row"])
def test_rows_announcing_what_they_lack_are_quarantined(ingest_prompts, mapped: bool) -> None:
    kept, quarantined = ingest_prompts([p for p, _ in NEEDS] + KEPT, mapped=mapped, column="problem")
    assert kept == sorted(KEPT)
    assert sorted(r for r, _ in quarantined) == ["needs_context"] * len(NEEDS)
    assert any("announces 'the following expression' and does not hold it" in d for _, d in quarantined)
    assert all("ingest.check_context: false" in d for _, d in quarantined)


def test_check_context_false_keeps_them(store, write_jsonl) -> None:
    rows = [{"problem": p, "answer": "7"} for p, _ in NEEDS]
    ingest_paths(store, [write_jsonl("a.jsonl", rows)], cfg=IngestConfig(check_context=False))
    assert store.count("tasks") == len(NEEDS)


def test_mcq_and_code_rows_are_not_checked(store, write_jsonl) -> None:
    """An MCQ's options and a code task's tests are what its "following" points at."""
    rows = [
        {"question": "Which of the numbers below is prime?", "choices": ["4", "7", "9"], "answer": "B"},
        {"prompt": "Write f(x) returning the following value: x plus one.", "tests": ["assert f(1) == 2"]},
    ]
    ingest_paths(store, [write_jsonl("m.jsonl", rows)])
    assert store.count("tasks") == 2
