"""Decontamination of short templated benchmark items ("What is 12 + 7?", "Solve for x: 3x + 5 = 20"). A training
task that is the item written otherwise (whitespace, case, punctuation) must be found, also where the item is too
short for the `contained` check and its spacing moves the fuzzy ratio under the threshold ("Compute 7*8" for
"Compute 7 * 8."). A task that only shares the item's template must not be: with other numbers it never was, but
with another operator between the same numbers ("What is 12 - 7?", "3x - 5 = 20", "-12 + 7") it was, because the
checks read words and numbers only."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.ingest.config import DecontamConfig
from pipeline.ingest.decontam import Benchmark, find_contamination

ITEMS = {
    "sum": "What is 12 + 7?",
    "linear": "Solve for x: 3x + 5 = 20",
    "product": "Compute 7 * 8.",
    "quotient": "What is 144 divided by 12?",
    "apples": "小明有3个苹果，他又买了2个，现在有几个？",
    "divisors": "How many positive divisors does 6! have?",
    "factorial": "What is 5! - 3?",
    "factorial3": "Compute 8! / 7",
    "value": "What is the value of 12 + 7 * 3 - 2?",  # 9 tokens: an n-gram hit, not `contained`
}
BENCH = Benchmark("b", pl.DataFrame({"item_id": list(ITEMS), "text": list(ITEMS.values())}))


def _hits(prompt: str) -> list[str]:
    tasks = pl.DataFrame({"task_id": ["t"], "prompt": [prompt]})
    return find_contamination(tasks, [BENCH], DecontamConfig())["benchmark_item"].to_list()


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("what is 12+7", "sum"),
        ("WHAT IS 12 + 7 ?!", "sum"),
        ("Solve for x: 3x+5=20.", "linear"),
        ("solve for x 3x + 5 = 20", "linear"),
        ("Compute 7*8", "product"),
        ("compute 7 * 8", "product"),
        ("Compute: 7 ×  8 !", "product"),
        ("Compute 7 * 8!", "product"),
        ("compute 7*8!!", "product"),
        ("What is 12 + 7!", "sum"),
        ("What is 12 + 7! Show your work.", "sum"),
        ("Solve: How many positive divisors does 6! have? Answer with a number.", "divisors"),
        ("what is 5!-3", "factorial"),
        ("Compute 8!/7.", "factorial3"),
        ("What is the value of 12+7*3-2", "value"),
        ("Tell me: what is the value of 12 + 7 × 3 − 2? Show your steps.", "value"),
        ("What is 144 divided by 12", "quotient"),
        ("小明有 3 个苹果，他又买了 2 个，现在有几个?", "apples"),
        ("小明有３个苹果，他又买了２个，现在有几个？", "apples"),
        ("Solve the following problem. What is 12 + 7? Put the answer in \\boxed{}.", "sum"),
        ("Answer this. Solve for x: 3x+5 = 20. Give x as an integer and show each step.", "linear"),
        ("Quick one: What is 12 + 7? - show your work in full sentences, step by step, please.", "sum"),
    ],
)
def test_the_item_written_otherwise_is_found(prompt: str, item: str) -> None:
    assert sorted(set(_hits(prompt))) == [item]


@pytest.mark.parametrize(
    "prompt",
    [
        "What is 13 + 7?",
        "What is 7 + 12?",
        "What is 12 - 7?",
        "What is 12 * 7?",
        "What is 12 / 7?",
        "What is -12 + 7?",
        "What is 12 + 7 + 3?",
        "Solve for x: 3x + 5 = 21",
        "Solve for x: 3x - 5 = 20",
        "Solve for x: 3x + 5 < 20",
        "Compute 7 * 9.",
        "Compute 7 + 8.",
        "Compute 7/8",
        "What is 144 divided by 6?",
        "小明有5个苹果，他又买了2个，现在有几个？",
        "How many positive divisors does 6 have?",
        "Answer this: How many positive divisors does 6 have? Be brief.",
        "What is 5 - 3?",
        "Compute 8 / 7",
        "What is the value of 12 - 7 * 3 + 2?",
        "What is the value of 12 * 7 - 3 + 2? Show your steps.",
        "Tell me: what is the value of 12 + 7 * 3? Show your steps.",
        "Solve the following problem. What is 12 - 7? Put the answer in \\boxed{}.",
        "Answer this. Solve for x: 3x-5 = 20. Give x as an integer and show each step.",
    ],
)
def test_a_task_sharing_only_the_template_is_not_flagged(prompt: str) -> None:
    assert _hits(prompt) == []
