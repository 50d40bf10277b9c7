"""Decontamination probes: a short item starting (ending) with a number is found after (before) another number across
a sentence's end."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.ingest.config import DecontamConfig
from pipeline.ingest.decontam import Benchmark, find_contamination


def _bench(items: list[str]) -> Benchmark:
    return Benchmark("b", pl.DataFrame({"item_id": [f"i{k}" for k in range(len(items))], "text": items}))


def _found(items: list[str], prompt: str, cfg: DecontamConfig | None = None) -> list[str]:
    tasks = pl.DataFrame({"task_id": ["t"], "prompt": [prompt]})
    hits = find_contamination(tasks, [_bench(items)], cfg or DecontamConfig())
    return sorted(set(hits["benchmark_item"]), key=lambda x: int(x[1:]))


APPLES = "12 apples are shared by 4 children."  # 7 tokens: `contained`


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        (f"A bag costs $5. {APPLES} How many apples does each child get?", ["i0"]),
        (f"Is the answer 5? {APPLES} Explain your reasoning to the class.", ["i0"]),
        (f"Question 3: {APPLES} How many does each get?", ["i0"]),
        (f"The bag costs 3.{APPLES} How many does each child get?", []),  # 3.12: a decimal
        (f"The bag costs 3 {APPLES} How many does each child get?", []),  # 3 12: another number
    ],
)
def test_a_short_item_starting_with_a_number_after_a_sentence_ending_in_one(prompt: str, found: list[str]) -> None:
    """The contained check refused an item starting with a number wherever the task's token before it was a number
    (the item's number part of a longer expression): a sentence ending in a number ("... costs $5.") before the item
    hid it."""
    assert _found([APPLES], prompt) == found


MOD = "What is 2^100 mod 7?"  # 6 tokens, ending with a number


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        (f"Warm-up: {MOD} 2. What is 3^50 mod 11?", ["i0"]),
        (f"Warm-up: {MOD[:-1]}. 5 more such questions follow.", ["i0"]),
        (f"Warm-up: {MOD[:-1]}.5 and explain.", []),
    ],
)
def test_a_short_item_ending_with_a_number_before_a_sentence_starting_with_one(prompt: str, found: list[str]) -> None:
    assert _found([MOD], prompt) == found


def test_the_issues_item_of_twelve_tokens() -> None:
    item = "12 apples are shared by 4 children. How many does each get?"
    assert _found([item], f"A bag costs $5. {item}") == ["i0"]
    assert _found([item], f"It costs 3.{item}") == []
