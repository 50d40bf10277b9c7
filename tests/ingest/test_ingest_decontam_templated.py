"""Decontamination of short templated benchmark items ("What is 12 + 7?", "Solve for x: 3x + 5 = 20"). A training
task that is the item written otherwise (whitespace, case, punctuation) must be found, also where the item is too
short for the `contained` check and its spacing moves the fuzzy ratio under the threshold ("Compute 7*8" for
"Compute 7 * 8."). A task that only shares the item's template must not be: with other numbers it never was, but
with another operator between the same numbers ("What is 12 - 7?", "3x - 5 = 20", "-12 + 7") it was, because the
checks read words and numbers only."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.ingest import decontam
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
    "minus": "What is 20 - 8?",
    "fraction": "What is 3/4 of 20?",
    "square": "What is 9^2?",
    "power": "What is 2^10 + 1?",
    "times_words": "What is 6 times 9?",
    "tom": "Tom has 12 apples and gives 7 to Ann. How many does Tom have left?",  # 14 tokens: n-grams
}
BENCH = Benchmark("b", pl.DataFrame({"item_id": list(ITEMS), "text": list(ITEMS.values())}))


def _hits(prompt: str, bench: Benchmark = BENCH) -> list[str]:
    tasks = pl.DataFrame({"task_id": ["t"], "prompt": [prompt]})
    return find_contamination(tasks, [bench], DecontamConfig())["benchmark_item"].to_list()


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
        (
            "Question: Tom has 12 apples and gives 7 to Ann. How many does Tom have left? Answer with a number.",
            "tom",
        ),
        ("tom has 12 apples and gives 7 to ann; how many does tom have left", "tom"),
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


# Markdown's emphasis is no operator and no word ("**12 + 7**": its `*` were multiplications to the operators' check,
# "__12 + 7__" the token "is__12"), and "= ?" asks the value as "?" does; "2**10" and "2*3*4" keep their signs
@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("What is **12 + 7**?", "sum"),
        ("What is *12 + 7*?", "sum"),
        ("What is __12 + 7__?", "sum"),
        ("Compute **7 * 8**.", "product"),
        ("Solve: what is **12 + 7**? Show your work.", "sum"),
        ("What is 12 + 7 = ?", "sum"),
        ("What is 12+7=?", "sum"),
    ],
)
def test_the_item_in_markdown_is_found(prompt: str, item: str) -> None:
    assert sorted(set(_hits(prompt))) == [item]


@pytest.mark.parametrize(
    "prompt",
    [
        "What is **12 - 7**?",
        "What is *12 * 7*?",
        "What is 12**7?",
        "Compute 7**8.",
        "Compute 7*8*2.",
        "What is 12 + 8 = ?",
    ],
)
def test_another_item_in_markdown_is_not_flagged(prompt: str) -> None:
    assert _hits(prompt) == []


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
        "Tom has 15 apples and gives 9 to Ann. How many does Tom have left?",
        "Tom has 12 apples and gives 9 to Ann. How many does Tom have left? Answer with a number.",
        "Solve the following problem. What is 12 - 7? Put the answer in \\boxed{}.",
        "Answer this. Solve for x: 3x-5 = 20. Give x as an integer and show each step.",
    ],
)
def test_a_task_sharing_only_the_template_is_not_flagged(prompt: str) -> None:
    assert _hits(prompt) == []


# Operators written as words ("12 plus 7", "144 divided by 12", "9 squared") are the operators (both sides read so):
# "What is 12 plus 7?" was no hit of the item "What is 12 + 7?" (its token "plus"), nor "What is 6 * 9?" of "What is 6
# times 9?". Only between operands (numbers, lone letters, brackets): "over 4 miles" is no fraction.
@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("What is 12 plus 7?", "sum"),
        ("Please answer: what is 12 plus 7? Show your work.", "sum"),
        ("What is 144 / 12?", "quotient"),
        ("What is 144 ÷ 12?", "quotient"),
        ("Compute 7 times 8.", "product"),
        ("Compute 7 multiplied by 8", "product"),
        ("What is 20 minus 8?", "minus"),
        ("What is 3 over 4 of 20?", "fraction"),
        ("What is 9 squared?", "square"),
        ("What is 9²?", "square"),
        ("What is 2 to the power of 10 plus 1?", "power"),
        ("What is 2 raised to the power of 10 plus 1?", "power"),
        ("What is 2 to the 10th power plus 1?", "power"),
        ("Solve for x: 3x plus 5 equals 20", "linear"),
        ("Solve for x: 3x + 5 is equal to 20.", "linear"),
        ("What is 6 * 9?", "times_words"),
        ("What is 6 × 9!", "times_words"),
    ],
)
def test_an_operator_written_as_a_word_is_the_operator(prompt: str, item: str) -> None:
    assert sorted(set(_hits(prompt))) == [item]


@pytest.mark.parametrize(
    "prompt",
    [
        "What is 12 minus 7?",
        "What is 12 times 7?",
        "What is 12 plus 8?",
        "What is 12 plus 7 plus 3?",
        "What is 144 times 12?",
        "Compute 7 plus 8.",
        "What is 20 plus 8?",
        "What is 3 over 5 of 20?",
        "What is 3 times 4 of 20?",
        "What is 9 cubed?",
        "What is 9³?",
        "What is 92?",
        "What is 2 to the power of 11 plus 1?",
        "What is 2 to the power of 10 minus 1?",
        "What is 10 to the power of 2 plus 1?",
        "Solve for x: 3x minus 5 equals 20",
        "Solve for x: 3x plus 5 is less than 20",
        "What is 6 plus 9?",
        "What is 6 divided by 9?",
    ],
)
def test_another_operation_written_as_a_word_is_not_flagged(prompt: str) -> None:
    assert _hits(prompt) == []


def test_the_rows_rewritten_are_those_the_quick_test_finds() -> None:
    """`_spell_operators` rewrites only the rows `_HAS_WORD_OP` finds: it must find every row the rewrite changes ("3x
    plus 5": a letter after a digit is an operand too)."""
    texts = [
        "3x plus 5",
        "x2 minus 1",
        "(a+b) times c",
        "$12$ plus $7$",
        "2 to the 3rd power",
        "y squared",
        "n cubed plus 1",
        "1 over 2",
        "12 divided by -3",
        "f(x) equals 2",
        "x is equal to y",
        "3 times as many",
        "apples plus oranges",
        "over 4 miles",
        "ab plus 2",
        "2 plus ab",
        "éx plus 2",
    ]
    norm = pl.Series(texts)
    quick = norm.str.contains(decontam._HAS_WORD_OP).to_list()
    changed = [a != b for a, b in zip(pl.select(decontam._word_ops(pl.lit(norm))).to_series(), texts, strict=True)]
    assert [q or not c for q, c in zip(quick, changed, strict=True)] == [True] * len(texts)
    assert changed == [True] * 11 + [False] * 6


# MATH-style items in LaTeX against the same item in plain text or Unicode: `\\times`, `\\div`, `\\frac`, `\\sqrt` were
# words to the checks ("What is 6 × 9 ÷ 3?" shared no token run with "What is $6 \\times 9 \\div 3$?", whose tokens
# are "6 times 9 div 3"), `\\dbinom` another word than `\\binom`
LATEX_ITEMS = {
    "frac": r"What is $\frac{3}{4}$ of 20?",
    "ops": r"What is $6 \times 9 \div 3$?",
    "binom": r"Compute $\dbinom{31}{28}$.",
    "sqrt": r"Simplify $\sqrt{242}$.",
    "ineq": r"How many integers $x$ satisfy $x \le 5$ and $x \ge -3$?",
    "cdot": r"Find $a$ if $a \cdot 7 = 56$.",
    "frac2": r"Solve $\frac{x+1}{2} = 5$.",
    "expand": r"Simplify $(2x^2 + 3x) - (x^2 - 4x)$.",
    "inverse": r"Find $f^{-1}(7)$ if $f(x) = 2x + 1$.",
    "frac12": r"What is $\frac12$ of 36?",
    "marbles": r"Take \(\frac{2}{5}\) of the 40 marbles.",
    "square_y": r"Solve \(x^{2} y = 12\) for y.",
}
LATEX = Benchmark("latex", pl.DataFrame({"item_id": list(LATEX_ITEMS), "text": list(LATEX_ITEMS.values())}))


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("What is 3/4 of 20?", "frac"),
        ("What is 3 over 4 of 20?", "frac"),
        (r"What is \dfrac{3}{4} of 20?", "frac"),
        ("What is 6 × 9 ÷ 3?", "ops"),
        ("What is 6*9/3?", "ops"),
        ("What is 6 times 9 divided by 3?", "ops"),
        (r"Compute \binom{31}{28}.", "binom"),
        (r"Compute $\tbinom{31}{28}$", "binom"),
        ("Simplify √242.", "sqrt"),
        ("Simplify sqrt(242)", "sqrt"),
        ("How many integers x satisfy x ≤ 5 and x ≥ −3?", "ineq"),
        ("Find a if a · 7 = 56.", "cdot"),
        ("Find a if a*7 = 56", "cdot"),
        ("Solve (x+1)/2 = 5.", "frac2"),
        ("Simplify (2x² + 3x) − (x² − 4x).", "expand"),
        ("Find f⁻¹(7) if f(x) = 2x + 1.", "inverse"),
        # `\frac12` is `\frac{1}{2}`; a space after a closing brace is kept ("\frac{2}{5}\) of" read "2/5of")
        ("What is 1/2 of 36?", "frac12"),
        ("What is one half of 36?", "frac12"),
        ("Please: take 2/5 of the 40 marbles. How many is that?", "marbles"),
        ("Solve x^2 y = 12 for y.", "square_y"),
    ],
)
def test_the_item_in_latex_is_found_in_plain_text(prompt: str, item: str) -> None:
    assert sorted(set(_hits(prompt, LATEX))) == [item]


@pytest.mark.parametrize(
    "prompt",
    [
        "What is 3/5 of 20?",
        "What is 4/3 of 20?",
        "What is 6 + 9 - 3?",
        r"What is $6 \div 9 \times 3$?",
        r"Compute \binom{31}{27}.",
        "Simplify √243.",
        "How many integers x satisfy x < 5 and x > -3?",
        "Find a if a + 7 = 56.",
        "Solve (x-1)/2 = 5.",
        "Simplify (2x³ + 3x) − (x² − 4x).",
        "Simplify (2x² + 3x) − (x² + 4x).",
        "Find f(7) if f(x) = 2x + 1.",
        "What is 1/3 of 36?",
        "What is 12 of 36?",
        "Please: take 3/5 of the 40 marbles. How many is that?",
        "Solve x^3 y = 12 for y.",
    ],
)
def test_another_item_in_plain_text_is_not_flagged(prompt: str) -> None:
    assert _hits(prompt, LATEX) == []


HAN_BENCH = Benchmark(
    "b", pl.DataFrame({"item_id": ["apples_han"], "text": ["小明有三个苹果，他又买了两个，现在有几个？"]})
)


@pytest.mark.parametrize(
    "prompt",
    [
        "小明有3个苹果，他又买了2个，现在有几个？",
        "小明有三个苹果，他又买了两个，现在有几个?",
        "小明有 3 个苹果，他又买了 2 个，现在有几个？",
    ],
)
def test_an_item_with_its_han_numerals_written_as_digits_is_found(prompt: str) -> None:
    """ "三个" and "3个" are the same count: a task writing the item's counts in digits was no hit."""
    assert set(_hits(prompt, HAN_BENCH)) == {"apples_han"}


@pytest.mark.parametrize(
    "prompt",
    [
        "小明有五个苹果，他又买了两个，现在有几个？",
        "小明有5个苹果，他又买了2个，现在有几个？",
        "小明有三个苹果，他又买了四个，现在有几个？",
    ],
)
def test_a_task_with_other_han_numerals_is_not_flagged(prompt: str) -> None:
    """Another count in Han numerals is another problem: "五个" for the item's "三个" was a fuzzy hit (the numbers
    rule read digits only), and the task was dropped."""
    assert _hits(prompt, HAN_BENCH) == []


# English numbers written as words are their digits, on both sides (as Han numerals are): "What is twelve plus
# seven?" was no hit of "What is 12 + 7?" (the tokens "twelve", "seven"), nor "A train travels sixty miles in two
# hours." of the item writing 60 and 2. "one" as a pronoun ("which one", "no one", "one of") stays a word.
WORD_ITEMS = {
    "train": "A train travels 60 miles in 2 hours. What is its average speed in miles per hour?",
    "speed": "A car travels 150 km in 3 hours. What is its speed?",
    "words": "What is twenty-one divided by three?",
    "half": r"What is $\frac{1}{2}$ of 36?",
    "thirds": "Two thirds of the 27 students passed. How many passed?",
    "big": "A farm has 1,250 sheep and sells 300 of them. How many are left?",
    "which_one": "Which one of the following is a prime number?",
    "no_one": "No one in the class of 30 failed. How many passed?",
    "percent": "What is 25% of 80?",
    "rope": "A rope 12 m long is cut into pieces of 150 cm each. How many pieces are there?",
}
WORDS = Benchmark("words", pl.DataFrame({"item_id": list(WORD_ITEMS), "text": list(WORD_ITEMS.values())}))


@pytest.mark.parametrize(
    ("prompt", "bench", "item"),
    [
        ("What is twelve plus seven?", BENCH, "sum"),
        ("Answer this: what is twelve plus seven? Show your work.", BENCH, "sum"),
        ("What is Twelve + Seven?", BENCH, "sum"),
        ("Compute seven times eight.", BENCH, "product"),
        ("What is nine squared?", BENCH, "square"),
        ("A train travels sixty miles in two hours. What is its average speed in miles per hour?", WORDS, "train"),
        ("A car travels one hundred fifty km in three hours. What is its speed?", WORDS, "speed"),
        ("What is 21 divided by 3?", WORDS, "words"),
        ("What is 21 / 3?", WORDS, "words"),
        ("What is one half of 36?", WORDS, "half"),
        ("What is 1/2 of thirty-six?", WORDS, "half"),
        ("2/3 of the twenty-seven students passed. How many passed?", WORDS, "thirds"),
        (
            "A farm has one thousand two hundred and fifty sheep and sells three hundred of them. How many are left?",
            WORDS,
            "big",
        ),
    ],
)
def test_an_item_with_its_numbers_written_as_words_is_found(prompt: str, bench: Benchmark, item: str) -> None:
    assert sorted(set(_hits(prompt, bench))) == [item]


# A unit after a number is its abbreviation on both sides: "150 kilometers" was no hit of the item's "150 km", nor "25
# percent" of "25%"; "150km" is "150 km"
@pytest.mark.parametrize(
    "prompt",
    [
        "A car travels 150 kilometers in 3 hours. What is its speed?",
        "A car travels 150 kilometres in three hours. What is its speed?",
        "A car travels one hundred fifty kilometers in 3 hrs. What is its speed?",
        "What is 25 percent of 80?",
        "What is twenty-five per cent of eighty?",
        "A rope 12 meters long is cut into pieces of 150 centimeters each. How many pieces are there?",
        "A rope 12m long is cut into pieces of 150cm each. How many pieces are there?",
    ],
)
def test_an_item_with_its_units_spelled_out_is_found(prompt: str) -> None:
    assert len(set(_hits(prompt, WORDS))) == 1


@pytest.mark.parametrize(
    "prompt",
    [
        "What is 25 percent of 81?",
        "What is 26 percent of 80?",
        "A car travels 150 kilometers in 5 hours. What is its speed?",
    ],
)
def test_other_numbers_with_units_spelled_out_are_not_flagged(prompt: str) -> None:
    assert _hits(prompt, WORDS) == []


@pytest.mark.parametrize(
    ("prompt", "bench"),
    [
        ("What is twelve plus eight?", BENCH),
        ("What is thirteen plus seven?", BENCH),
        ("What is twelve minus seven?", BENCH),
        ("What is twelve plus seven plus three?", BENCH),
        ("Compute seven times nine.", BENCH),
        ("A car travels one hundred fifty km in four hours. What is its speed?", WORDS),
        ("What is twenty divided by three?", WORDS),
        ("What is twenty-one divided by seven?", WORDS),
        ("What is one third of 36?", WORDS),
        ("Three fourths of the 27 students passed. How many passed?", WORDS),
        (
            "A farm has one thousand two hundred and fifty sheep and sells two hundred of them. How many are left?",
            WORDS,
        ),
    ],
)
def test_other_numbers_written_as_words_are_not_flagged(prompt: str, bench: Benchmark) -> None:
    assert _hits(prompt, bench) == []


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("Which of the following is a prime number?", "which_one"),
        ("Which one of the following is a prime number?", "which_one"),
        ("Nobody in the class of 30 failed. How many passed?", "no_one"),
        ("No one in the class of thirty failed. How many passed?", "no_one"),
    ],
)
def test_one_as_a_pronoun_is_no_number(prompt: str, item: str) -> None:
    """ "one" in "which one", "no one" is no count: read as 1, the numbers rule refused the item asked without it."""
    assert sorted(set(_hits(prompt, WORDS))) == [item]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("twenty-one", "21"),
        ("one hundred and five apples", "105 apples"),
        ("two thousand twenty-four", "2024"),
        ("five hundred thousand", "500000"),
        ("two and three", "2 and 3"),
        ("twelve seven", "12 7"),
        ("a forty-two-year-old man", "a 42-year-old man"),
        ("one apple", "1 apple"),
        ("which one of the following", "which one of the following"),
        ("one of the following", "one of the following"),
        ("the other one", "the other one"),
        ("one must show", "one must show"),
        ("one's own", "one's own"),
        ("someone, anyone, none", "someone, anyone, none"),
        ("hundreds of often", "hundreds of often"),
        ("three quarters of the pie", "3/4 of the pie"),
        ("three quarters and a dime", "3 quarters and a dime"),
        ("one-half", "1/2"),
    ],
)
def test_number_words_as_digits(text: str, read: str) -> None:
    assert decontam.number_words_as_digits(text) == read
