"""Decontamination probes: a long item is hit only by a share of its own text (not by one common 8-word phrase, nor
by a boilerplate line many items carry), and a short item starting (ending) with a number is found after (before)
another number across a sentence's end."""

from __future__ import annotations

import random

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


SUM = (
    "What is the sum of all the positive integers n such that n^2 + 12n - 2007 is a perfect square? Find the "
    "remainder when this sum is divided by 1000."
)
DICE = (
    "Two fair six-sided dice are rolled and the numbers shown are multiplied together. What is the probability that "
    "the product is even? Give your answer as a common fraction."
)
PAIRS = (
    "Find the number of ordered pairs of positive integers (a, b) such that a^2 + b^2 is a multiple of 7 and a + b = "
    "10. Put your final answer within \\boxed{}."
)
LONG_ITEMS = [SUM, DICE, PAIRS]


@pytest.mark.parametrize(
    "prompt",
    [
        # a common phrase of the item ("what is the sum of all the positive integers": 2 of its 23 n-grams)
        "Tom likes puzzles. What is the sum of all the positive integers that divide 36?",
        # another problem asked with the item's wording and its instruction
        "A spinner has 8 equal sections numbered 1 to 8 and is spun twice. What is the probability that the product "
        "is a multiple of 3? Give your answer as a common fraction.",
        "Let a and b be primes with a + b = 10. Put your final answer within \\boxed{}.",
    ],
)
def test_a_long_item_is_no_hit_of_one_common_phrase(prompt: str) -> None:
    """An item of 16 words or more shared one 8-gram with the task, a phrase many problems use: the task was
    dropped as a copy of it."""
    assert _found(LONG_ITEMS, prompt) == []


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        ("Solve this problem: " + SUM + " Show your work.", ["i0"]),  # the item inside instructions
        (SUM.replace("2007", "2009"), ["i0"]),  # a number changed
        (DICE.replace("even", "odd"), ["i1"]),  # a word changed near the end
        (SUM + " Then explain why no other value of n works, and give two examples of such squares.", ["i0"]),
        (PAIRS.replace("Put your final answer within \\boxed{}.", "Answer with a number."), ["i2"]),
    ],
)
def test_a_long_item_copied_or_changed_a_little_is_still_found(prompt: str, found: list[str]) -> None:
    assert _found(LONG_ITEMS, prompt) == found


def test_an_item_of_16_tokens_with_its_middle_number_changed_is_found() -> None:
    """The smallest long item: one token changed in its middle leaves half of its tokens in shared 8-grams."""
    item = "Alice walks to the shop and buys some pens for her class at 12 cents each before she goes home today"
    assert _found([item], item.replace("12", "15")) == ["i0"]


def test_the_share_is_configurable() -> None:
    prompt = "Tom likes puzzles. What is the sum of all the positive integers that divide 36?"
    assert _found(LONG_ITEMS, prompt, DecontamConfig(ngram_min_coverage=0.0)) == ["i0"]  # any 8-gram of its own
    changed = SUM.replace("2007", "2009")  # 29 of its 30 tokens in shared n-grams
    assert _found(LONG_ITEMS, changed, DecontamConfig(ngram_min_coverage=0.95)) == ["i0"]
    assert _found(LONG_ITEMS, changed, DecontamConfig(ngram_min_coverage=1.0)) == []
    assert _found(LONG_ITEMS, "Solve: " + SUM, DecontamConfig(ngram_min_coverage=1.0)) == ["i0"]


def _words(rnd: random.Random, k: int) -> str:
    return " ".join(f"w{rnd.randrange(5000)}" for _ in range(k))


INSTRUCTION = (
    "Solve the following problem. Make sure to put the answer, and only the answer, inside \\boxed{} at the end of "
    "your response, after your reasoning."
)


@pytest.mark.parametrize("n_items", [5, 70])
def test_an_instruction_every_item_carries_is_no_evidence_alone(n_items: int) -> None:
    """A benchmark whose items all end with one instruction (24 tokens): a task asking another problem with it was a
    hit of every item (held by the same items, under 65 of them, it was read as a template's text, any n-gram of
    which is a hit; held by more, its 17 n-grams in a row were a passage quoted). The item's own text is still
    found, with or without the instruction."""
    rnd = random.Random(n_items)
    problems = [_words(rnd, 20) + "?" for _ in range(n_items)]
    items = [f"{p} {INSTRUCTION}" for p in problems]
    assert _found(items, f"{_words(rnd, 20)}? {INSTRUCTION}") == []
    assert _found(items, f"Here it is: {problems[3]} {INSTRUCTION}") == ["i3"]
    assert _found(items, f"{problems[3]} Reply in one line.") == ["i3"]


BOXED = "Please reason step by step, and put your final answer within \\boxed{}."


def test_a_short_item_that_is_mostly_a_shared_instruction_is_no_hit_of_the_instruction() -> None:
    """Short items ("Define entropy briefly.") with a 12-token instruction three of them carry: the instruction's
    n-grams are most of each item's 8, and a task asking anything else with it was a hit of every item (their share,
    0.62), the item itself with it a hit of the others too (0.75)."""
    items = [f"Define {w} briefly. {BOXED}" for w in ("entropy", "enthalpy", "osmosis")]
    assert _found(items, f"Define photosynthesis in plants. {BOXED}") == []
    assert _found(items, f"Compute 10^2. {BOXED}") == []
    assert _found(items, f"Here is a question for you. Define entropy briefly. {BOXED}") == ["i0"]


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
