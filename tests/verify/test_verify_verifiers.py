"""Each built-in verifier with hits and misses, including tricky equivalences."""

from __future__ import annotations

import pytest

from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.extract import final_answer
from pipeline.verify.result import TaskSpec

MATH = [
    ("3/4", r"\boxed{\frac{3}{4}}", True),
    ("3/4", r"\boxed{0.75}", True),
    (r"\frac{3}{4}", "The final answer is $0.75$.", True),
    ("x = 2", r"\boxed{2}", True),
    ("2", r"So $x = 2$. \boxed{x = 2}", True),
    ("[1, 3)", r"\boxed{[1,3)}", True),
    ("[1, 3)", r"\boxed{(1,3)}", False),
    ("50\\%", r"\boxed{0.5}", True),
    (r"\{1, 2\}", r"\boxed{\{2, 1\}}", True),
    (r"\sqrt{2}/2", r"\boxed{\frac{1}{\sqrt{2}}}", True),
    ("1,000", r"\boxed{1000}", True),
    ("3/4", r"\boxed{3/5}", False),
    ("12", "Answer: 13", False),
    ("12", r"\boxed{12}. So the answer is 12, as computed.", True),
    ("42", "\\boxed{42}\n\nAnswer: 42, which is 6 times 7.", True),
    ("42", "\\boxed{42}\n\nThe answer is correct.", True),
    (r"\{1, 2\}", "\\boxed{1, 2}\n\nThe answer is 1, 2.", True),
    (r"\{1, 2\}", "\\boxed{\\{1, 2\\}}\n\nThe answer is x = 1 and x = 2.", True),
    ("5", "\\boxed{5 \\text{ cm}}\n\nThe answer is 5 cm.", True),
    ("3/4", "\\boxed{0.75}\n\nThe answer is $\\frac{3}{4}$.", True),
]

# An answer that commits to two values is not a clean training target, even when its last value is right: a hedge,
# or an answer changed after it was boxed (version 3; version 2 passed the first two as "last boxed wins").
MATH_MULTIPLE = [
    ("12", r"First \boxed{13}, corrected: \boxed{12}"),
    ("3/4", r"\boxed{1/2} or \boxed{3/4}"),
    ("7", "\\boxed{7}\n\nHmm, actually the answer is 8."),
    ("7", "\\boxed{7}\n\nWait. Final answer: $\\frac{16}{2}$"),
]


@pytest.mark.parametrize(("ref", "answer"), MATH_MULTIPLE)
def test_math_answer_committing_to_two_values_fails(check, ref: str, answer: str) -> None:
    assert (check("math", answer, ref).passed, check("math", answer, ref).detail) == (False, "multiple_answers")


@pytest.mark.parametrize(
    ("verifier", "ref", "answer", "detail"),
    [
        ("numeric", "42", "The answer is 41 or 42", "multiple_answers"),
        ("numeric", "42", r"\boxed{41} or \boxed{42}", "multiple_answers"),
        ("numeric", "42", "\\boxed{42}\nActually the answer is 41.", "multiple_answers"),
        ("numeric", "42", "\\boxed{42}\nSo the answer is 42 apples.", None),
        ("numeric", "1234", "The answer is 1,234", None),
        # several numbers in the final answer: which one is it? (the last one was read: "42 apples in 3 baskets"
        # passed for 3)
        ("numeric", "3", "Answer: 42 apples in 3 baskets", "multiple_answers"),
        ("numeric", "13", "The answer is 12 (approximately 13)", "mismatch"),
        # a value beside the stated one in parentheses is a second value (the prose is cut off the stated one)
        ("numeric", "12", "The answer is 12 (approximately 13)", "multiple_answers"),
        ("numeric", "12", "Answer: 12 (or maybe 13)", "multiple_answers"),
        ("math", "12", "Answer: 12 (or 13)", "multiple_answers"),
        ("math", "100", "The answer is 100 (or 10^2).", None),
        ("exact", "Paris", "Answer: Paris (or maybe London)", "multiple_answers"),
        ("math", "12", "\\boxed{12}\nSo the answer is 12 (or 13).", "multiple_answers"),
        # prose that corrects the stated value keeps the line whole, as before (cut, it passed "5" for 5)
        ("math", "5", "The answer is 5. Wait, no, it's 6.", "mismatch"),
        ("numeric", "5", "The answer is 5. Wait, no, it's 6.", "mismatch"),  # 6 (numeric 29: `multiple_answers`)
        ("math", "12", "Answer: 12 (actually 13)", "mismatch"),
        # a decimal approximation beside an exact value is the same value when it rounds it
        ("math", "1/3", "The answer is $\\frac{1}{3}$ (approximately 0.333).", None),
        ("math", "\\sqrt{2}", "Answer: $\\sqrt{2}$ (about 1.414)", None),
        ("math", "\\pi", "The answer is $\\pi$ (~3.14)", None),
        ("math", "12", "Answer: 12 (approximately 13)", "multiple_answers"),
        ("math", "1/3", "\\boxed{\\frac{1}{3}}\nSo the answer is 1/3 (approximately 0.4).", "multiple_answers"),
        ("numeric", "0.3333333", "The answer is 1/3 (approximately 0.333).", None),
        ("numeric", "0.3333333", "The answer is 1/3 (approximately 0.34).", "multiple_answers"),
        ("numeric", "5", "2 + 3 = 5", None),  # an equation: the value after its last "="
        ("numeric", "1024", "Answer: 2^10 = 1024", None),
        ("numeric", "72", "The answer is 72 clips.", None),
        ("numeric", "-3", "x = -3", None),
        ("numeric", "0.75", "\\boxed{\\frac{3}{4}}", None),
        ("exact", "Paris", r"\boxed{London} or \boxed{Paris}", "multiple_answers"),
        ("exact", "Paris", r"\boxed{Paris}. The answer is Paris, the capital.", None),
    ],
)
def test_numeric_and_exact_answer_committing_to_two_values_fails(check, verifier, ref, answer, detail) -> None:
    res = check(verifier, answer, ref)
    assert (res.passed, res.detail) == (detail is None, detail)


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH)
def test_math(check, ref: str, answer: str, ok: bool) -> None:
    res = check("math", answer, ref)
    assert res.passed is ok
    if not ok:
        assert res.detail == "mismatch"


@pytest.mark.parametrize(
    ("ref", "answer", "ok"),
    [
        # an escaped dollar sign (GSM8K-style money answers) made the text unparsable: a right answer failed
        # `unparsable_answer`, a reference written that way failed every response `unparsable_reference`
        ("18", r"\boxed{\$18}", True),
        ("1250", r"\boxed{\$1,250}", True),
        ("0.5", r"\boxed{\$0.50}", True),
        ("18", "The answer is \\$18.", True),
        (r"\$18", r"\boxed{18}", True),
        (r"\$18", r"\boxed{\$18}", True),
        ("18", r"\boxed{\$19}", False),
        (r"\$18", r"\boxed{\$81}", False),
    ],
)
def test_math_reads_an_escaped_dollar_sign_as_a_currency_sign(check, ref: str, answer: str, ok: bool) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, None if ok else "mismatch")


@pytest.mark.parametrize(
    ("ref", "answer", "ok"),
    [
        # math-verify reads words as products of one-letter symbols, which commute: every anagram and every word
        # order passed (TriviaQA / HotpotQA answers, BBH's word sorting under the default math verifier)
        ("listen", r"\boxed{silent}", False),
        ("Paris", r"\boxed{Pairs}", False),
        ("Sinclair Lewis", r"\boxed{Lewis Sinclair}", False),
        ("costume counterpart oven", r"\boxed{oven costume counterpart}", False),
        ("abc", r"\boxed{cba}", False),
        ("World War 2", r"\boxed{World War 3}", False),
        # the same words still pass, in any case, with or without \text{}, quotes and apostrophes
        ("Paris", r"\boxed{Paris}", True),
        ("Sinclair Lewis", r"\boxed{sinclair lewis}", True),
        ("Arthur's Magazine", r"\boxed{\text{Arthur's Magazine}}", True),
        (r"\text{Sunday}", r"The answer is Sunday.", True),
        ("costume counterpart oven", "costume counterpart oven", True),
        ("True", r"\boxed{true}", True),
        ("World War 2", r"\boxed{\text{World War } 2}", True),
        (r"\text{(C)}", r"\boxed{C}", True),
        # maths keeps math-verify's equivalences: functions, units, one-letter symbols
        (r"x \sin x", r"\boxed{\sin(x) x}", True),
        ("ab", r"\boxed{ba}", True),
        ("12 meters", r"\boxed{12}", True),
        (r"\frac{1}{2} \text{ liters}", r"\boxed{0.5 \text{ liters}}", True),
        (r"2 \text{ and } 3", r"\boxed{2 \text{ and } 3}", True),
        # an environment's name is no word: a pmatrix answer and a bmatrix one are the same matrix
        (r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", r"\boxed{\begin{bmatrix} 1 \\ 2 \end{bmatrix}}", True),
        (r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", r"\boxed{\begin{pmatrix} 2 \\ 1 \end{pmatrix}}", False),
    ],
)
def test_math_compares_a_reference_in_words_word_for_word(check, ref: str, answer: str, ok: bool) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, None if ok else "mismatch")


def test_math_reference_in_words_with_two_committed_values_fails(check) -> None:
    assert check("math", r"\boxed{London} or \boxed{Paris}", "Paris").detail == "multiple_answers"
    assert check("math", r"\boxed{Paris}. The answer is Paris, the capital.", "Paris").passed


@pytest.mark.parametrize(
    ("ref", "answer", "ok"),
    [
        # E-notation (a float answer read from Parquet or JSON is written `1e-05`; physics sets give `6.02e23`) was
        # parsed with Euler's e: `1e-05` meant e - 5, so the right answer failed and `e - 5` passed
        ("1e-05", r"\boxed{0.00001}", True),
        ("1e-05", r"\boxed{e - 5}", False),
        ("1e+20", r"\boxed{10^{20}}", True),
        ("6.02e23", r"\boxed{6.02 \times 10^{23}}", True),
        ("0.0025", "The answer is 2.5e-3", True),
        ("0.0025", "The answer is 2.5e-4", False),
        # Euler's number itself is untouched
        ("2e", r"\boxed{2e}", True),
        (r"e^{2}", r"\boxed{e^2}", True),
    ],
)
def test_math_reads_e_notation_as_a_power_of_ten(check, ref: str, answer: str, ok: bool) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, None if ok else "mismatch")


# math 9: math written in Unicode (as scraped and generated datasets write their answers) is read as its LaTeX, and a
# unit's exponent is part of the unit. math-verify dropped what it could not read: the reference `2√3` was 2 and
# `10²³` was 10, so `\\boxed{2}` and `\\boxed{10}` passed (wrong rows); `5 \\text{ cm}^2` and `5 \\text{ cm}^3` were
# both 5 (any unit with an exponent passed), and right answers to Unicode references failed.
MATH_NOTATION = [
    ("2√3", r"\boxed{2}", False),
    ("2√3", r"\boxed{2\sqrt{3}}", True),
    ("√2", r"\boxed{\sqrt{2}}", True),
    ("1/√2", r"\boxed{\frac{\sqrt{2}}{2}}", True),
    ("√(x+1)", r"\boxed{\sqrt{x+1}}", True),
    ("√(x+1)", r"\boxed{x+1}", False),
    ("10²³", r"\boxed{10}", False),
    ("10²³", r"\boxed{10^{23}}", True),
    ("3²", r"\boxed{9}", True),
    ("x² + 1", r"\boxed{x^2+1}", True),
    ("x² + 1", r"\boxed{x+1}", False),
    ("x⁻¹", r"\boxed{\frac{1}{x}}", True),
    ("½", r"\boxed{\frac{1}{2}}", True),
    ("½", r"\boxed{1}", False),
    ("3½", r"\boxed{3.5}", True),
    ("3½", r"\boxed{3}", False),
    ("∞", r"\boxed{\infty}", True),
    ("(−∞, 3]", r"\boxed{(-\infty, 3]}", True),
    ("(−∞, 3]", r"\boxed{(-\infty, 3)}", False),
    ("x ≥ 2", r"\boxed{x \geq 2}", True),
    ("x ≥ 2", r"\boxed{x > 2}", False),
    # scientific notation however written, with or without its unit
    (r"6.02 \times 10^{23}", "The answer is 6.02 x 10^23.", True),
    (r"6.02 \times 10^{23}", "\\boxed{6.02×10²³}", True),
    ("6.02×10²³", r"\boxed{6.02 \times 10^{23}}", True),
    ("6.02×10²³", r"\boxed{23}", False),
    (r"3.0 \times 10^8 m/s", r"\boxed{3.0 \times 10^8 \text{ m/s}}", True),
    (r"3.0 \times 10^8 m/s", r"\boxed{3 \times 10^8}", True),
    (r"3.0 \times 10^8 m/s", r"\boxed{3 \times 10^8 \text{ km/s}}", False),
    (r"1.6 \times 10^{-19} C", r"\boxed{1.6 \times 10^{-19} \text{ C}}", True),
    (r"1.6 \times 10^{-19} C", r"\boxed{1.6 \times 10^{-18} \text{ C}}", False),
    # a unit's exponent is part of the unit
    (r"5 \text{ cm}^2", r"\boxed{5 \text{ cm}^3}", False),
    (r"5 \text{ m}^2", r"\boxed{5 \text{ km}^2}", False),
    (r"5\,\text{m}^{2}", r"\boxed{5\,\text{m}^{3}}", False),
    (r"12 \text{ cm}^3", r"\boxed{12 \text{ cm}^2}", False),
    (r"5 \text{ cm}^2", r"\boxed{5 \text{ cm}^{2}}", True),
    ("5 cm^2", r"\boxed{5 \text{ cm}^2}", True),
    ("5 cm²", r"\boxed{5\,\mathrm{cm}^2}", True),
    (r"5 \text{ cm}^2", r"\boxed{5}", True),
]


# math 9: math-verify rounds numbers to 6 decimal places before it compares them, so any two values under 5e-7 were
# equal: `1.6 \\times 10^{-18}` and even `0` passed for the elementary charge. Such values are compared by their ratio.
MATH_SMALL_NUMBERS = [
    (r"1.6 \times 10^{-19}", r"\boxed{1.6 \times 10^{-18}}", False),
    (r"1.6 \times 10^{-19}", r"\boxed{0}", False),
    (r"1.6 \times 10^{-19}", r"\boxed{1.6 \times 10^{-19}}", True),
    (r"1.6 \times 10^{-19}", r"\boxed{1.60e-19}", True),
    ("0.0000012", r"\boxed{0.0000013}", False),
    ("0.0000012", r"\boxed{1.2 \times 10^{-6}}", True),
    (r"6.626 \times 10^{-34} \text{ J s}", r"\boxed{6.626 \times 10^{-33} \text{ J s}}", False),
    ("0", r"\boxed{0.0000001}", False),
    ("0", r"\boxed{0.0}", True),
    # what rounding to 6 places is for stays: a decimal of a fraction, a percentage
    ("1/3", r"\boxed{0.333333}", True),
    ("12\\%", r"\boxed{12}", True),
    ("50\\%", r"\boxed{0.5}", True),
]


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH_SMALL_NUMBERS)
def test_math_compares_small_numbers_by_their_ratio(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# An answer given inside `<answer>` tags, as DeepSeek-R1-Zero-style prompts ask ("the final answer is enclosed within
# <answer> </answer> tags"): the tags were read as part of the value, so every right answer failed (math 9, numeric 6,
# exact 5, mcq 5 read what the last block holds; a boxed value still comes first).
ANSWER_TAGS = [
    ("math", "B,C", "<answer>B,C</answer>", True),
    ("math", "42", "I added them.\n<answer> 42 </answer>", True),
    ("math", "42", "<answer>41</answer>", False),
    ("math", "42", "<answer>\\boxed{42}</answer>", True),
    ("numeric", "42", "<answer>42</answer>", True),
    ("exact", "Paris", "<answer>Paris</answer>", True),
    ("exact", "Paris", "<answer>London</answer>", False),
    # a value in tags and another stated after it commit to two (as a boxed value would)
    ("math", "42", "<answer>42</answer>\nAnswer: 43", False),
    ("numeric", "42", "<answer>42</answer>\nActually, the answer is 43.", False),
    ("exact", "Paris", "<answer>Paris</answer> or maybe <answer>London</answer>", False),
]


@pytest.mark.parametrize(("verifier", "ref", "answer", "ok"), ANSWER_TAGS)
def test_an_answer_in_answer_tags_is_read(check, verifier: str, ref: str, answer: str, ok: bool) -> None:
    assert check(verifier, answer, ref).passed is ok


def test_an_mcq_answer_in_answer_tags_is_read(check) -> None:
    choices = {"A": "1", "B": "2", "C": "3"}
    assert check("mcq", "<answer>B</answer>", "B", choices=choices).passed
    assert not check("mcq", "<answer>C</answer>", "B", choices=choices).passed
    assert check("mcq", "<answer>B</answer>\nAnswer: C", "B", choices=choices).detail == "multiple_answers"


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH_NOTATION)
def test_math_reads_unicode_math_scientific_notation_and_unit_exponents(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# A stated answer followed by prose on its line: math-verify read the whole line and took a number from the prose
# (math 5 passed each of these for the value in the prose): the stated value ends where its prose begins
STATED_THEN_PROSE = [
    ("math", "Answer: 7. (Not 3, which is what was given away.)", "7", "3"),
    ("math", "Answer: $x = 3$ (the other root, $x=-2$, is rejected)", "3", "-2"),
    ("math", "The answer is 3. The other root -2 is rejected.", "3", "-2"),
    ("math", "The answer is 100 (or 10^2).", "100", "10"),
    ("math", "The answer is 12, which is 3 times 4.", "12", "4"),
    ("math", "Answer: 42 because 6 times 7 is 42", "42", "6"),
    ("math", "Answer: 5 cm, not 50 mm", "5", "50"),
    ("numeric", "Answer: 7 (3 were given away)", "7", "3"),
    ("numeric", "The answer is 12, since 3 baskets hold 4 each.", "12", "4"),
    ("exact", "Answer: Paris (the capital of France).", "Paris", "France"),
]


@pytest.mark.parametrize(("verifier", "answer", "right", "wrong"), STATED_THEN_PROSE)
def test_a_stated_value_ends_where_its_prose_begins(check, verifier: str, answer: str, right: str, wrong: str) -> None:
    assert check(verifier, answer, right).passed
    assert not check(verifier, answer, wrong).passed


@pytest.mark.parametrize(
    ("verifier", "answer", "ref"),
    [
        # what a stated value holds stays whole: intervals, tuples, lists, decimals, units, names with "of" or a dot
        ("math", "Answer: x \\in (1, 2)", "(1,2)"),
        ("math", "Answer: (1, 2)", "(1,2)"),
        ("math", "Answer: 1, 2, 3", "1,2,3"),
        ("math", "The answer is 3.5.", "3.5"),
        ("math", "The final answer is $\\frac{3}{4}$.", "3/4"),
        ("math", "Answer: $(-\\infty, 2]$", "(-\\infty, 2]"),
        ("math", "Answer: $\\sin x (1 + \\cos x)$", "\\sin x (1 + \\cos x)"),
        ("exact", "Answer: Queen of Hearts", "Queen of Hearts"),
        ("exact", "Answer: St. Louis", "St. Louis"),
        ("exact", "Answer: Romeo and Juliet", "Romeo and Juliet"),
        ("numeric", "Answer: 1,234.5", "1234.5"),
    ],
)
def test_a_stated_value_is_not_cut_inside(check, verifier: str, answer: str, ref: str) -> None:
    assert check(verifier, answer, ref).passed


def test_math_needs_a_clear_final_answer(check) -> None:
    long_text = "We consider many things here.\nThen 3/4 appears in passing, and more discussion follows."
    assert check("math", long_text, "3/4").detail == "no_answer"
    assert check("math", "3/4", "3/4").passed  # one short line is the answer itself


def test_final_answer_extraction_prefers_boxed() -> None:
    assert final_answer(r"The answer is 5. Actually \boxed{\frac{1}{2}}") == r"\frac{1}{2}"
    assert final_answer("Final answer: $x^2$.") == "x^2"
    assert final_answer(r"\boxed{\{1, \{2\}\}}") == r"\{1, \{2\}\}"


CHOICES = {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}
MCQ = [
    ("C", True, None),
    ("(C)", True, None),
    ("C.", True, None),
    ("Answer: C", True, None),
    ("The correct answer is (C) Mars.", True, None),
    (r"\boxed{C}", True, None),
    (r"\boxed{\text{C}}", True, None),
    ("It is Mars.", True, None),
    ("The answer is a red planet: Mars.", True, None),  # "a" is an article, not choice A
    ("Answer: B", False, "mismatch"),
    ("(A) or (C), hard to say", False, "multiple_answers"),
    # hedges and answers changed after they were given (mcq version 2; version 1 passed the first eight and failed
    # "Answer: D - no, C": it read the last letter stated after a keyword and never a correction)
    ("Answer: C or D", False, "multiple_answers"),
    ("Answer: (C) and (B)", False, "multiple_answers"),
    ("The answer is C, A, or D.", False, "multiple_answers"),
    ("Answer: C/D", False, "multiple_answers"),
    ("**Answer: C** or maybe **D**", False, "multiple_answers"),
    ("\\boxed{C}\n\nActually, the answer is D.", False, "multiple_answers"),
    ("\\boxed{C}\n\nWait, no, B.", False, "multiple_answers"),
    ("Answer: C\n\nWait, actually D.", False, "mismatch"),  # the stated answer corrected: its last letter
    ("Answer: D - no, C", True, None),
    ("Answer: C, Mars.", True, None),
    ("Answer: C\n\nExplanation: A is too hot, B has clouds.", True, None),
    ("Answer: C, D is a gas giant.", True, None),
    ("No, the answer is C.", True, None),
    ("\\boxed{C}\n\nThe answer is C.", True, None),
    # an explanation that discusses another option after the answer (version 1 read "Option D is" as choosing D)
    ("Answer: C\n\nOption A is too hot and Option D is a gas giant.", True, None),
    ("Answer: C. Choice A is wrong.", True, None),
    ("The answer is B. Option C is wrong because it is red.", False, "mismatch"),
    ("The answer is A. Answer C is a common mistake.", False, "mismatch"),
    ("I choose option C.", True, None),
    ("I do not know", False, "no_answer"),
    # an option named in passing after the answer is given ("Option C, Mars, is wrong", "option C: red", "I rejected
    # option C."): version 2 read it as the answer, so a response that answered D passed for C, and one that answered
    # C failed when its explanation named D last
    ("Answer: D\n\nExplanation: Option C, Mars, is red; Option D has rings.", False, "mismatch"),
    ("The answer is D. Choice C, Mars, is wrong.", False, "mismatch"),
    ("The answer is D.\n\nWhy not the others: option A: too hot. option C: red, no rings.", False, "mismatch"),
    ("**Final answer: D**\n\nI rejected option C.", False, "mismatch"),
    ("\\boxed{D}\n\nNote: option C, Mars, is the red one.", False, "mismatch"),
    ("Answer: Option D\n\nOption C, Mars, is red.", False, "mismatch"),
    ("D. Jupiter\n\nOption C, Mars, is wrong.", False, "mismatch"),
    ("Answer: C\n\nExplanation: Option D, Jupiter, has rings; Option A is hot.", True, None),
    ("Answer: Option C\n\nOption A, Mercury, is too hot.", True, None),
    ("The answer is option C.", True, None),
    ("C. Mars\n\nOption A, Mercury, is too hot.", True, None),
    # options only named in passing, with no answer given: two different ones commit to neither
    ("Option A, Mercury, is too hot. Option C, Mars, is red.", False, "multiple_answers"),
    ("I choose option D. Option C, Mars, is red.", False, "mismatch"),  # mcq 8: "I choose" gives D (7: named)
    ("A. Mercury: too hot\nC. Mars: red", False, "multiple_answers"),
    # a lower-case letter in parentheses after the answer keyword (mcq 4: version 3 found no answer in the first two)
    ("Answer: (c)", True, None),
    ("The correct answer is (c) Mars.", True, None),
    ("Answer: (b)", False, "mismatch"),
    ("Answer: (c) or (d)", False, "multiple_answers"),
    ("Answer: (c). Wait, actually (d).", False, "mismatch"),
    ("The answer: a red planet, Mars.", True, None),  # a bare lower-case "a" is still the article
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ)
def test_mcq(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


TEN = {k: f"option {k.lower()}" for k in "ABCDEFGHIJ"}  # MMLU-Pro's ten options: "I" is a letter


@pytest.mark.parametrize(
    ("answer", "ref", "ok"),
    [
        # the pronoun and the article read as option letters (mcq 2 passed the first three)
        ("Answer: I think it's B.", "I", False),
        ("Answer: I'm fairly sure it is B.", "I", False),
        ("The answer: A planet like B.", "A", False),
        ("Answer: I believe the answer is B", "B", True),
        # the letters themselves still read
        ("The answer is I.", "I", True),
        ("Answer: I", "I", True),
        ("Answer: (I) option i", "I", True),
        ("The answer is A because the others are wrong.", "A", True),
        ("Answer: A is right.", "A", True),
    ],
)
def test_mcq_pronoun_and_article_are_no_letters(check, answer: str, ref: str, ok: bool) -> None:
    assert check("mcq", answer, ref, choices=TEN).passed is ok


@pytest.mark.parametrize(
    "choices",
    [
        ["Mercury", "Venus", "Mars", "Jupiter"],
        {"label": ["A", "B", "C", "D"], "text": ["Mercury", "Venus", "Mars", "Jupiter"]},
        {"label": ["1", "2", "3", "4"], "text": ["Mercury", "Venus", "Mars", "Jupiter"]},
        {"a": "Mercury", "b": "Venus", "c": "Mars", "d": "Jupiter"},
    ],
)
@pytest.mark.parametrize(("answer", "ok"), [("C", True), ("It is Mars.", True), ("Answer: B", False)])
def test_mcq_accepts_every_choice_shape_ingest_accepts(check, choices, answer: str, ok: bool) -> None:
    assert check("mcq", answer, "C", choices=choices).passed is ok


@pytest.mark.parametrize(("answer", "ok"), [("\\boxed{B}", True), ("The answer is 6.", True), ("\\boxed{D}", False)])
def test_mcq_arc_label_reference_names_its_option_though_another_text_reads_like_it(check, answer, ok) -> None:
    # mcq 27: ARC's Regents labels 1..4 with numeric options, the reference its label "2" (option B, 6 legs), as
    # ingest reads it; mcq 26 refused the task `bad_args` ("ambiguous": option D's text is "2")
    choices = {"label": ["1", "2", "3", "4"], "text": ["4", "6", "8", "2"]}
    assert check("mcq", answer, "2", choices=choices).passed is ok


@pytest.mark.parametrize(("answer", "ok"), [("The answer is ab.", True), ("\\boxed{B}", True), ("\\boxed{A}", False)])
def test_mcq_text_of_options_whose_option_holds_a_later_mark(check, answer, ok) -> None:
    # mcq 27: MathQA's options text, option a holding `b )`: mcq 26 cut it there (A `( a +`, B `/ 2 , b ) ab`), so
    # the right option's text "ab" named none
    choices = "a ) ( a + b ) / 2 , b ) ab , c ) a - b"
    assert check("mcq", answer, "b", choices=choices).passed is ok


def test_mcq_bad_choices_shape_is_a_bad_args_error(check) -> None:
    with pytest.raises(VerifierArgsError, match="choices"):
        check("mcq", "A", "A", choices={"label": ["A"], "text": ["x", "y"]})


def test_mcq_reference_outside_choices_is_a_bad_args_error(check) -> None:
    with pytest.raises(VerifierArgsError, match="not one of"):
        check("mcq", "A", "Z", choices=CHOICES)


@pytest.mark.parametrize(
    ("answer", "ref", "cs", "ok"),
    [
        ("Paris", "paris", False, True),
        ("  Paris. ", "Paris", True, True),
        ("paris", "Paris", True, False),
        ("The answer is Paris", "Paris", False, True),
        ("London", "Paris", False, False),
    ],
)
def test_exact(check, answer: str, ref: str, cs: bool, ok: bool) -> None:
    assert check("exact", answer, ref, case_sensitive=cs).passed is ok


# Version 4: a text answer boxed as LaTeX text (`\boxed{\text{Yes}}`, what models write for words), or with an article
# its reference lacks, failed `mismatch`.
@pytest.mark.parametrize(
    ("answer", "ref", "ok"),
    [
        (r"\boxed{\text{Yes}}", "yes", True),
        (r"$\boxed{\text{No}}$", "no", True),
        (r"The musical is *Sunset Boulevard*. \boxed{\textit{Sunset Boulevard}}", "Sunset Boulevard", True),
        (r"\boxed{\textbf{Canberra}}", "Canberra", True),
        (r"\boxed{\text{December } 1972}", "December 1972", True),
        (r"\boxed{\mathrm{Paris}}", "Paris", True),
        (r"$\text{Paris}$", "Paris", True),
        # a leading article (SQuAD's and TriviaQA's own answer matching drops it)
        (r"\boxed{golden statue of the Virgin Mary}", "a golden statue of the Virgin Mary", True),
        (r"\boxed{\text{The Beatles}}", "Beatles", True),
        (r"\boxed{the Denver Broncos}", "Denver Broncos", True),
        (r"\boxed{A}", "A", True),
        (r"\boxed{An}", "A", False),
        (r"\boxed{The Who}", "Who", True),
        (r"\boxed{Theory of Everything}", "Everything", False),
        (r"\boxed{\text{Sydney}}", "Canberra", False),
        (r"\boxed{\text{Canberra}} or \boxed{\text{Sydney}}", "Canberra", False),
    ],
)
def test_exact_reads_latex_text_and_drops_a_leading_article(check, answer: str, ref: str, ok: bool) -> None:
    assert check("exact", answer, ref).passed is ok


# Version 4: `aliases` (ingest stores the other accepted answers of a list answer or TriviaQA's aliases there): any
# of them passes; an answer that gives two values passes only when both are accepted ("Sunset Boulevard (Sunset
# Blvd)"), and fails `multiple_answers` when one is not ("Canberra (or maybe Sydney)").
@pytest.mark.parametrize(
    ("answer", "ref", "aliases", "detail"),
    [
        (r"\boxed{Sunset Blvd}", "Sunset Boulevard", ["Sunset Blvd", "West Sunset Boulevard"], None),
        ("The answer is sunset boulevard.", "Sunset Boulevard", ["Sunset Blvd"], None),
        (r"\boxed{Ross Bagdasarian}", "David Seville", ["Ross Bagdasarian"], None),
        (r"\boxed{Sunset Boulevard} (\boxed{Sunset Blvd})", "Sunset Boulevard", ["Sunset Blvd"], None),
        ("Answer: Sunset Blvd (or maybe Cats)", "Sunset Boulevard", ["Sunset Blvd"], "multiple_answers"),
        (r"\boxed{Cats} or \boxed{Sunset Blvd}", "Sunset Boulevard", ["Sunset Blvd"], "multiple_answers"),
        (r"\boxed{Cats}", "Sunset Boulevard", ["Sunset Blvd"], "mismatch"),
        (r"\boxed{13}", "14 December 1972 UTC", ["December 1972"], "mismatch"),
        (r"\boxed{December 1972}", "14 December 1972 UTC", ["December 1972"], None),
        (r"\boxed{True}", "yes", ["true"], None),
        (r"\boxed{No}", "yes", ["true"], "mismatch"),
        (r"\boxed{Bobby Scott and Bob Russell}", "Bobby Scott", ["Bob Russell"], "mismatch"),
    ],
)
def test_exact_accepts_any_alias(check, answer: str, ref: str, aliases: list[str], detail: str | None) -> None:
    got = check("exact", answer, ref, aliases=aliases)
    assert (got.passed, got.detail) == (detail is None, detail)


@pytest.mark.parametrize("aliases", ["Sunset Blvd", [], ["ok", ""], ["ok", {"a": 1}], [True], [None]])
def test_exact_aliases_must_be_a_list_of_texts(check, aliases: object) -> None:
    with pytest.raises(VerifierArgsError, match="aliases"):
        check("exact", "x", "Sunset Boulevard", aliases=aliases)


def test_regex(check) -> None:
    assert check("regex", "id: AB-1234", None, pattern=r"[A-Z]{2}-\d{4}").passed
    assert check("regex", "id: ab-12", None, pattern=r"[A-Z]{2}-\d{4}").detail == "no_match"
    with pytest.raises(VerifierArgsError, match="pattern"):
        check("regex", "x", None, pattern="(")


@pytest.mark.parametrize(
    ("answer", "ref", "args", "ok"),
    [
        (r"\boxed{3.1416}", "3.14159", {"rel_tol": 1e-3}, True),
        (r"\boxed{3.2}", "3.14159", {"rel_tol": 1e-3}, False),
        ("Answer: 1,234.5", "1234.5", {}, True),
        (r"\boxed{\frac{3}{4}}", "0.75", {}, True),
        ("Answer: 50%", "0.5", {}, True),
        ("Answer: 0.101", "0.1", {"abs_tol": 0.01}, True),
        # a unit is no part of the number; letters written onto it are variables (numeric 4: `5x` was read as 5)
        (r"\boxed{5 \text{ m/s}}", "5", {}, True),
        (r"\boxed{5cm}", "5", {}, True),
        (r"\boxed{5x}", "5", {}, False),
        (r"\boxed{4ab}", "4", {}, False),
        ("The answer is 2c.", "2", {}, False),
        (r"\boxed{3 a b}", "3", {}, False),  # numeric 5: one-letter variables written apart are no unit
        (r"\boxed{5 m}", "5", {}, True),
        # numeric 17: two letters apart that are no unit, and letters apart after an expression, are variables
        (r"\boxed{5 ab}", "5", {}, False),
        (r"\boxed{x + 5 t}", "5", {}, False),
        (r"\boxed{5 ft}", "5", {}, True),
    ],
)
def test_numeric(check, answer: str, ref: str, args: dict, ok: bool) -> None:
    assert check("numeric", answer, ref, **args).passed is ok


# numeric 6: a reference or answer in scientific notation, as a power, with a unit's exponent or a Unicode minus is
# one number. numeric 5 read the last number it saw: `6.02 \times 10^{23}` was 23, `9.8 m/s^2` was 2, `2^{10}` was
# 10 and `−3.2` was 3.2, so `\boxed{23}`, `\boxed{2}`, `\boxed{10}` and `\boxed{3.2}` passed (wrong rows), while
# every right answer written so failed `multiple_answers` or `mismatch`.
NUMERIC_NOTATION = [
    (r"6.02 \times 10^{23}", r"\boxed{23}", False),
    (r"6.02 \times 10^{23}", r"\boxed{6.02 \times 10^{23}}", True),
    (r"6.02 \times 10^{23}", r"\boxed{6.02e23}", True),
    ("6.02e23", "The answer is 6.02 x 10^23.", True),
    ("6.02e23", "The answer is 6.02×10²³.", True),
    ("6.02e23", r"\boxed{6.02 \times 10^{22}}", False),
    ("1.6e-19", r"\boxed{1.6 \cdot 10^{-19}}", True),
    ("1.6e-19", r"\boxed{1.6 \times 10^{-19} \text{ C}}", True),
    ("1.6e-19", r"\boxed{1.6 \times 10^{19}}", False),
    ("1.6e-19", "Answer: 1.6 × 10⁻¹⁹ C", True),
    ("3e8", r"\boxed{3.0 \times 10^8 \text{ m/s}}", True),
    ("0.001", r"\boxed{10^{-3}}", True),
    (r"10^{-3}", r"\boxed{-3}", False),
    ("1000", r"\boxed{10^3}", True),
    (r"2^{10}", r"\boxed{10}", False),
    (r"2^{10}", r"\boxed{1024}", True),
    ("8", r"\boxed{2^3}", True),
    ("9.8 m/s^2", r"\boxed{2}", False),
    ("9.8 m/s^2", r"\boxed{9.8}", True),
    ("9.8", r"\boxed{9.8 \text{ m/s}^2}", True),
    ("9.8", r"\boxed{9.8 m/s^2}", True),
    ("6.67e-11", r"\boxed{6.67 \times 10^{-11} \text{ N m}^2/\text{kg}^2}", True),
    ("−3.2", r"\boxed{3.2}", False),
    ("−3.2", r"\boxed{-3.2}", True),
    ("-3.2", "The answer is −3.2.", True),
    ("-3.2", r"\boxed{3.2}", False),
    # still two numbers
    ("45", r"\boxed{5 \times 3^2}", False),
    ("12", "42 apples in 3 baskets, so 12", False),
]


@pytest.mark.parametrize(("ref", "answer", "ok"), NUMERIC_NOTATION)
def test_numeric_reads_scientific_notation_powers_unit_exponents_and_unicode_minus(
    check, ref: str, answer: str, ok: bool
) -> None:
    assert check("numeric", answer, ref).passed is ok


@pytest.mark.parametrize(
    ("ref", "answer", "detail"),
    [
        ("12 cm^2", r"\boxed{12 \text{ m}^2}", "mismatch"),  # numeric 8 converts the prefix: 120000 cm^2
        ("12 cm^2", r"\boxed{12 \text{ cm}^2}", None),
        ("12 cm^2", r"\boxed{12}", None),
        ("5 cm", "Answer: 5 mm", "mismatch"),
        ("5 cm", "Answer: 5 kg", "unit_mismatch"),
        ("5 km", "The answer is 5 kilometers.", None),
        ("9.8 m/s\u00b2", r"\boxed{9.8 \text{ m/s}^2}", None),
        (r"1.6 \times 10^{-19} C", r"\boxed{1.6 \times 10^{-19} \text{ C}}", None),
        ("300 K", r"\boxed{300 \text{ kJ}}", "unit_mismatch"),
    ],
)
def test_numeric_fails_an_answer_in_another_unit(check, ref: str, answer: str, detail: str | None) -> None:
    """numeric 6: a reference and an answer that both state a unit must state the same one (as `math` does); numeric
    5 ignored units, so `12 m^2` passed for `12 cm^2` and `5 mm` for `5 cm`."""
    res = check("numeric", answer, ref)
    assert (res.passed, res.detail) == (detail is None, detail)


@pytest.mark.parametrize("ref", [r"2\pi", r"\sqrt{2}", "√2", r"e^{2}", "2e", r"\ln 2", "2 pi", "3π"])
def test_numeric_refuses_a_reference_that_is_an_expression(check, ref: str) -> None:
    """numeric 5 read the number in `2\\pi`, `\\sqrt{2}`, `e^{2}` (2) and `\\ln 2`, so `\\boxed{2}` passed; such a
    reference is no number (use `math`)."""
    with pytest.raises(VerifierArgsError, match="not a number"):
        check("numeric", r"\boxed{2}", ref)


# A reference whose number ends in one-letter variables with a slash (`3 a/b`, `3a/b`, `2 x/y`) is no number either
# (numeric 23): numeric 22 read `a/b` as a unit, so `\boxed{3}` passed for it (math fails it `mismatch`). One-letter
# unit symbols keep their unit (`5 m/s`, `2 g/m`, `4.18 J/g K`).
@pytest.mark.parametrize("ref", ["3 a/b", "3a/b", "2 x/y", "5 a/b c", "3 m/x"])
def test_numeric_refuses_a_reference_that_ends_in_variables_with_a_slash(check, ref: str) -> None:
    with pytest.raises(VerifierArgsError, match="not a number"):
        check("numeric", r"\boxed{3}", ref)


@pytest.mark.parametrize(("ref", "answer"), [("5 m/s", r"\boxed{5}"), ("2 g/m", r"\boxed{2}"), ("4 N/C", r"\boxed{4}")])
def test_numeric_keeps_one_letter_units_with_a_slash(check, ref: str, answer: str) -> None:
    assert check("numeric", answer, ref).passed


@pytest.mark.parametrize("ref", ["42 apples in 3 baskets", r"5 \times 3", "1.5-2.0", "between 3 and 4"])
def test_numeric_refuses_a_reference_of_several_numbers(check, ref: str) -> None:
    """A reference must state one number: numeric 5 took the last one (`5 \times 3` was 3), so ingest's probe
    accepted the task and `\boxed{3}` passed; now the task is refused (`bad_args`; ingest quarantines it)."""
    with pytest.raises(VerifierArgsError, match="one number"):
        check("numeric", r"\boxed{3}", ref)


SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ('{"name": "Ada", "age": 36}', None),
        ('Here it is:\n```json\n{"name": "Ada", "age": 36}\n```', None),
        ('{"name": "Ada", "age": "36"}', "schema_violation"),
        ("{name: Ada}", "invalid_json"),
    ],
)
def test_json_schema(check, answer: str, detail: str | None) -> None:
    res = check("json_schema", answer, None, schema=SCHEMA)
    assert res.detail == detail and res.passed is (detail is None)


def test_json_schema_refuses_a_bad_schema_whatever_the_answer(check) -> None:
    """Version 2: the schema is checked before the answer is read (v1 said `invalid_json` for an answer with no
    JSON even when no answer could ever pass the schema)."""
    for answer in ("no JSON here", '{"name": "Ada"}'):
        with pytest.raises(VerifierArgsError, match="schema is invalid"):
            check("json_schema", answer, None, schema={"type": "object", "properties": 5})


IFEVAL = [
    ({"type": "max_words", "value": 5}, "one two three four five", "one two three four five six"),
    ({"type": "min_words", "value": 3}, "one two three", "one two"),
    ({"type": "include_keywords", "keywords": ["Apple", "pie"]}, "apple and pie", "apple only"),
    ({"type": "forbid_keywords", "keywords": ["bad"]}, "badge is fine", "this is bad"),
    ({"type": "bullet_points", "count": 2}, "- a\n- b", "- a\n- b\n- c"),
    ({"type": "lowercase"}, "all lower 123", "Not lower"),
    ({"type": "uppercase"}, "ALL UPPER", "ALL Upper"),
    ({"type": "end_with", "phrase": "Any questions?"}, "Done. Any questions?", "Any questions? Done."),
    ({"type": "start_with", "phrase": "Dear"}, "dear friend", "Hello dear"),
    ({"type": "json_format"}, '```json\n{"a": 1}\n```', "a: 1"),
    ({"type": "title"}, "<<My Title>>\nbody", "My Title\nbody"),
    ({"type": "num_paragraphs", "value": 2}, "first\n\nsecond", "only one"),
    ({"type": "max_sentences", "value": 2}, "One. Two!", "One. Two. Three."),
    ({"type": "min_sentences", "value": 2}, "One. Two!", "One."),
    ({"type": "no_commas"}, "no commas here", "a, b"),
    ({"type": "quotation"}, '"quoted"', "not quoted"),
    ({"type": "placeholders", "count": 2}, "[name] at [address]", "[name] only"),
    ({"type": "keyword_frequency", "keyword": "cat", "min": 2, "max": 3}, "cat cat", "cat dog"),
    ({"type": "max_chars", "value": 5}, "short", "too long"),
]


@pytest.mark.parametrize(("constraint", "hit", "miss"), IFEVAL, ids=[c[0]["type"] for c in IFEVAL])
def test_ifeval_constraints(check, constraint: dict, hit: str, miss: str) -> None:
    assert check("ifeval", hit, None, constraints=[constraint]).passed
    res = check("ifeval", miss, None, constraints=[constraint])
    assert not res.passed and res.detail == constraint["type"]


def test_ifeval_case_constraints_on_text_without_cased_letters(check) -> None:
    """thinkmill's `lowercase` / `uppercase` ask for no letter of the other case: a text with no cased letter ("42",
    a Chinese answer) has none and passes (the language lint judges its language). IFEval's `change_case:english_*`
    ask `islower()` / `isupper()` and English, as IFEval's checker does: such a text fails them."""
    for text in ("42", "小明一共有四十二个苹果。"):
        for kind in ("lowercase", "uppercase"):
            assert check("ifeval", text, None, constraints=[{"type": kind}]).passed
        for iid in ("change_case:english_lowercase", "change_case:english_capital"):
            assert not check("ifeval", text, None, constraints=[{"type": iid}]).passed


@pytest.mark.parametrize(
    "constraint",
    [
        {"type": "keyword_frequency", "keyword": "robot"},
        {"type": "keyword_frequency", "keyword": "robot", "count": 3},
        {"type": "keyword_frequency", "keyword": "robot", "min": None, "max": None},
        {"type": "keyword_frequency", "keyword": "robot", "min": "many"},
    ],
)
def test_ifeval_keyword_frequency_needs_a_bound(check, constraint: dict) -> None:
    """Without min or max (or with a misspelt one) any answer passed: "robot" 3 times was never counted."""
    with pytest.raises(VerifierArgsError, match=r"keyword_frequency.*(min or max|min must be a number)"):
        check("ifeval", "No robots here.", None, constraints=[constraint])


def test_ifeval_partial_score_and_unknown_type(check) -> None:
    res = check("ifeval", "Hello World", None, constraints=[{"type": "lowercase"}, {"type": "max_words", "value": 5}])
    assert (res.passed, res.detail, res.score) == (False, "lowercase", 0.5)
    with pytest.raises(VerifierArgsError, match=r"constraints\[0\].type 'shout'"):
        check("ifeval", "x", None, constraints=[{"type": "shout"}])


def test_args_problem_probes_only_marked_builtins_and_never_raises(monkeypatch) -> None:
    """Ingest's check (`registry.args_problem`): a marked built-in's VerifierArgsError comes back without the
    placeholder task id, with the field at fault; an unforeseen exception comes back as a problem too (ingest
    quarantines the row instead of crashing); unmarked verifiers (math, code, judge) are never run."""
    from pipeline.verify import registry

    assert registry.probed_verifiers() == {"ifeval", "regex", "json_schema", "numeric", "reasoning_gym"}
    p = registry.args_problem("regex", prompt="p", answer=None, verifier_args={"pattern": "(x"})
    assert p is not None and p.field == "verifier_args" and str(p).startswith("verifier_args.pattern is not a valid")
    p = registry.args_problem("numeric", prompt="p", answer="many", verifier_args={})
    assert p is not None and (p.field, str(p)) == ("answer", "answer 'many' is not a number")
    assert registry.args_problem("numeric", prompt="p", answer="1,234.5", verifier_args={}) is None
    assert registry.args_problem("math", prompt="p", answer=None, verifier_args={"anything": 1}) is None

    def broken(answer, task, cfg):
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setitem(registry._BUILTINS, "regex", registry.Verifier("regex", broken, "1", False, True))
    p = registry.args_problem("regex", prompt="p", answer=None, verifier_args={"pattern": ["x"]})
    assert isinstance(p, VerifierArgsError)
    assert str(p) == "the regex verifier cannot use verifier_args: TypeError: unhashable type: 'list'"


MULTI = {"A": "4", "B": "7", "C": "9", "D": "11"}


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (r"\boxed{B, D}", None),
        (r"\boxed{D,B}", None),
        (r"\boxed{BD}", None),
        ("Answer: B and D", None),
        (r"\boxed{\text{B, D}}", None),
        ("<answer>B, D</answer>", None),
        (r"\boxed{B}", "mismatch"),  # one of two
        (r"\boxed{A, B, D}", "mismatch"),  # one too many
        (r"\boxed{B, C}", "mismatch"),
        ("I think it is B or D.", "mismatch"),  # a hedge, and "I" names no option
        (r"\boxed{B, E}", "mismatch"),  # a letter no option has
        # an answer that commits to two sets (as a single MCQ's hedge does)
        ("\\boxed{B, D}\n\nAnswer: B", "multiple_answers"),
        (r"\boxed{B} \boxed{B, D}", "multiple_answers"),
        ("\\boxed{B, D}\nActually, the answer is B, C.", "multiple_answers"),
        ("\\boxed{B, D}\n\nSo the answer is D and B.", None),  # the same set restated
    ],
)
def test_a_multi_select_mcq_needs_exactly_the_right_letters(check, answer: str, detail: str | None) -> None:
    res = check("mcq", answer, "B,D", choices=MULTI, multiple=True)
    assert (res.passed, res.detail) == (detail is None, detail)


# A multi-select answer changed after it was given (mcq 10; mcq 9 passed the first four for B, D)
@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ("\\boxed{B, D}\n\nWait, actually only B is correct.", "multiple_answers"),
        ("\\boxed{B, D}\n\nWait, actually it should be B, C, D.", "multiple_answers"),
        ("Answer: B, D\n\nWait, C is also correct.", "multiple_answers"),
        ("\\boxed{B, D}\n\nOops, D is wrong.", "multiple_answers"),
        # the same set again, a check, another option called wrong
        ("\\boxed{BD}\n\nOops, D is not prime... wait, 11 is prime. So B and D.", None),
        ("\\boxed{B, D}\n\nWait, let me check: A is 4 and C is 9, both composite.", None),
        ("\\boxed{B, D}\n\nActually, A is wrong too, since 4 = 2 x 2.", None),
        ("\\boxed{B, D}\n\nWait, so I think B and D.", None),
    ],
)
def test_a_multi_select_answer_changed_after_it_was_given(check, answer: str, detail: str | None) -> None:
    res = check("mcq", answer, "B,D", choices=MULTI, multiple=True)
    assert (res.passed, res.detail) == (detail is None, detail)


def test_a_multi_select_reference_must_name_options(check) -> None:
    with pytest.raises(VerifierArgsError, match="not one of"):
        check("mcq", r"\boxed{B}", "B,E", choices=MULTI, multiple=True)


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    ("ref", "answer", "ok"),
    [
        ("1000000", r"\boxed{1\,000\,000}", True),  # LaTeX's thin space between digit groups (SI style)
        ("1000000", r"\boxed{1 000 000}", True),
        ("1 000 000", r"\boxed{1000000}", True),
        ("1000000", "\\boxed{1\u202f000\u202f000}", True),  # Unicode narrow no-break space
        ("1000000", r"\boxed{1\,001\,000}", False),
        ("12345", r"\boxed{12\,345}", True),
        ("12345", r"\boxed{1\,2345}", False),  # not groups of three
    ],
)
def test_digit_groups_apart_are_one_number(check, verifier: str, ref: str, answer: str, ok: bool) -> None:
    """math 9 / numeric 6: digits grouped in threes with a (thin) space between are one number; math-verify read
    `1\\,000\\,000` as 1 * 000 * 000 and numeric as three numbers, so every right answer written so failed."""
    assert check(verifier, answer, ref).passed is ok


@pytest.mark.parametrize(
    ("ref", "answer", "args", "ok"),
    [
        ("123456789", r"\boxed{123456790}", {}, False),  # numeric 5: within the default rel_tol 1e-6, so it passed
        ("1000000", r"\boxed{1000001}", {}, False),
        ("123456789", r"\boxed{123,456,789}", {}, True),
        ("123456789", r"\boxed{1.23456789 \times 10^8}", {}, True),
        ("123456789", r"\boxed{123456790}", {"rel_tol": 1e-6}, True),  # a tolerance the task sets applies
        ("3.14159", r"\boxed{3.141592}", {}, True),  # a decimal reference keeps the default tolerance
    ],
)
def test_numeric_compares_an_integer_reference_exactly(check, ref: str, answer: str, args: dict, ok: bool) -> None:
    """numeric 6: an integer reference (a count, a year, an ID-like number) is met only by that integer unless the
    task sets a tolerance; the default relative 1e-6 let a large one pass answers off by one or more."""
    assert check("numeric", answer, ref, **args).passed is ok


# A reference of several parts: math-verify read only its last number, so any answer ending in that number passed
# (`\boxed{5}` and `\boxed{a) 4, b) 5}` for `a) 3, b) 5`; `\boxed{5}` for `$3$ and $5$`). math 10 compares a reference
# whose parts are labelled (`a)`, `(b)`, `1)`, `(ii)`) part by part with an answer labelled the same way, and reads a
# reference of several `$...$` pieces as one text.
MATH_PARTS = [
    ("a) 3, b) 5", r"\boxed{5}", False),
    ("a) 3, b) 5", r"\boxed{a) 4, b) 5}", False),
    ("a) 3, b) 5", r"\boxed{a) 3, b) 6}", False),
    ("a) 3, b) 5", r"\boxed{a) 3, b) 5}", True),
    ("a) 3, b) 5", r"\boxed{(a) 3; (b) 5}", True),
    ("a) 3, b) 5", r"\boxed{a) \frac{6}{2}, b) 5.0}", True),
    ("a) 3, b) 5", r"\boxed{b) 5, a) 3}", False),  # the parts in another order: labels do not match
    ("1) 3 2) 5", r"\boxed{5}", False),
    ("1) 3 2) 5", r"\boxed{1) 4 2) 5}", False),
    ("1) 3 2) 5", r"\boxed{(1) 3, (2) 5}", True),
    ("(1) 3; (2) 5", r"\boxed{5}", False),
    ("(i) x = 2; (ii) 7", r"\boxed{(i) x=2; (ii) 7}", True),
    ("(i) x = 2; (ii) 7", r"\boxed{(i) x=3; (ii) 7}", False),
    ("$3$ and $5$", r"\boxed{5}", False),
    ("$3$ and $5$", r"\boxed{4 \text{ and } 5}", False),
    ("$3$ and $5$", r"\boxed{3 \text{ and } 5}", True),
    # an interval or a union of intervals is not a list of parts
    (r"(-\infty, 1) \cup (1, 2)", r"\boxed{(-\infty,1)\cup(1,2)}", True),
    (r"(-\infty, 1) \cup (1, 2)", r"\boxed{(-\infty,1)\cup(1,3)}", False),
    ("[0, 1)", r"\boxed{[0,1)}", True),
    # each part boxed on its own: the boxed values, one per part, in order
    ("a) 3, b) 5", r"(a) $\boxed{3}$ (b) $\boxed{5}$", True),
    ("a) 3, b) 5", r"(a) $\boxed{5}$ (b) $\boxed{3}$", False),
    ("(i) x = 2; (ii) 7", "(i) \\boxed{x = 2}\n(ii) \\boxed{7}", True),
    ("a) 3, b) 5", r"(a) $\boxed{4}$, no, $\boxed{3}$ (b) $\boxed{5}$", False),  # three boxed values for two parts
]


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH_PARTS)
def test_math_compares_a_reference_of_several_parts_part_by_part(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# A final answer whose letter and option text disagree (mcq 6): mcq 5 read the letter in parentheses or the text and
# passed "The answer is Venus (C)." and "Answer: Mars, which is D." for C. Which option the response meant is unknown,
# so it fails `multiple_answers`; a letter with its own option's text still passes.
MCQ_LETTER_AND_TEXT = [
    ("The answer is Venus (C).", False, "multiple_answers"),
    ("The answer is (C) Venus.", False, "multiple_answers"),
    ("Answer: C. Venus", False, "multiple_answers"),
    # mcq 25 (a product owner's decision; mcq 6 to 24 read the box alone and passed it): another option's text joined
    # to the box on its line names a second option, as "C (Venus)" does; prose on later lines is not read
    ("\\boxed{C} (Venus)", False, "multiple_answers"),
    ("\\boxed{C}（Venus）", False, "multiple_answers"),
    ("\\boxed{C} - Venus.", False, "multiple_answers"),
    ("The answer is \\boxed{C} (Venus).", False, "multiple_answers"),
    ("\\boxed{C} (Mars)", True, None),
    ("\\boxed{C} Mars", True, None),
    ("\\boxed{C} (not Venus)", True, None),
    ("\\boxed{C} (Venus is too hot)", True, None),
    ("\\boxed{C}\n\nVenus is the hottest planet.", True, None),
    ("The answer is Mars (C).", True, None),
    ("The answer is (C) Mars.", True, None),
    ("Answer: C, Mars, because Venus is too hot.", True, None),
    ("The answer is Mars, which is C.", True, None),
    ("The answer is Mars, which is D.", False, "multiple_answers"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_LETTER_AND_TEXT)
def test_mcq_letter_and_text_that_disagree_fail(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        # AMC's letter marks, boxed as the datasets' solutions write them (ingest reads AMC's LaTeX options as an MCQ)
        (r"\boxed{(\mathrm{C})}", True),
        (r"\boxed{\textbf{(C)}}", True),
        (r"\boxed{\mathbf{C}}", True),
        (r"\boxed{(\mathrm{D})}", False),
    ],
)
def test_mcq_reads_a_boxed_letter_in_any_text_command(check, answer: str, ok: bool) -> None:
    """mcq 6: `\\boxed{(\\mathrm{C})}` found no answer (only `\\text{...}` was unwrapped inside a box)."""
    assert check("mcq", answer, "C", choices=CHOICES).passed is ok


FORCE = "A force of 10 N acts on a 2 kg mass. What force, in newtons, is needed?"
# A number with an SI unit written as one capital letter (`5 N`, `12 J`), `\Omega` or a degree sign: math-verify read
# the letter as a symbol, so every right bare number (`\boxed{5}` for `5 N`) failed. math 10 reads it as a unit when
# the prompt uses it as one (after a number, or by the unit's name); a letter the prompt does not use so is still a
# variable (`5 N` for "Let N be ...").
MATH_SI_UNITS = [
    ("5 N", FORCE, r"\boxed{5}", True),
    ("5 N", FORCE, r"\boxed{5 \text{ N}}", True),
    ("5 N", FORCE, "So the force is 5 N.\n\n**Answer:** 5 N", True),
    ("5 N", FORCE, r"\boxed{6}", False),
    ("5 N", FORCE, r"\boxed{5 \text{ J}}", False),
    ("12 J", "How much work, in joules, is done?", r"\boxed{12}", True),
    ("1.6 \\times 10^{-19} C", "What is the charge of a proton in coulombs?", r"\boxed{1.6 \times 10^{-19}}", True),
    ("1.6 \\times 10^{-19} C", "What is the charge of a proton in coulombs?", r"\boxed{1.6 \times 10^{-18}}", False),
    ("100 \\Omega", "Find the resistance.", r"\boxed{100}", True),
    ("100 \\Omega", "Find the resistance.", r"\boxed{100 \Omega}", True),
    ("100 \\Omega", "Find the resistance.", r"\boxed{110 \Omega}", False),
    ("20^\\circ C", "What is the final temperature?", r"\boxed{20}", True),
    ("20^\\circ C", "What is the final temperature?", r"\boxed{20^\circ \text{C}}", True),
    ("20^\\circ C", "What is the final temperature?", r"\boxed{25^\circ C}", False),
    # the letter as a variable: the prompt names it as one, never as a unit
    ("5 N", "Let N be a positive integer. Simplify 2N + 3N.", r"\boxed{5}", False),
    ("5 N", "Let N be a positive integer. Simplify 2N + 3N.", r"\boxed{5N}", True),
    ("3 A", "The amplitude is A. Simplify A + 2A.", r"\boxed{3}", False),  # "amplitude" names no unit
    ("3 A", "A current of how many amperes flows?", r"\boxed{3}", True),
]


@pytest.mark.parametrize(("ref", "prompt", "answer", "ok"), MATH_SI_UNITS)
def test_math_reads_an_si_unit_symbol_the_prompt_uses(registry, cfg, ref: str, prompt: str, answer: str, ok: bool):
    task = TaskSpec("t", "math", ref, {}, prompt=prompt)
    assert registry.get("math").check(answer, task, cfg).passed is ok


# A final answer hedged on its own line with another option (mcq 7): mcq 6 read "Answer: C (but B is also
# plausible)" and "The answer is C, though D could also be correct" as C and passed them, training the fine-tune to
# hedge. The other option must be called right or possible (or offered with "or possibly"); naming it otherwise
# ("C, not B", "B is also a planet", "B would also be too hot") commits to C as before.
MCQ_HEDGED = [
    ("Answer: C (but B is also plausible).", False, "multiple_answers"),
    ("The answer is C, though D could also be correct.", False, "multiple_answers"),
    ("Answer: C (or possibly D)", False, "multiple_answers"),
    ("The answer is C, but it could also be B.", False, "multiple_answers"),
    ("Answer: C (B is equally valid).", False, "multiple_answers"),
    ("The answer is C, although option A might also be right.", False, "multiple_answers"),
    ("\\boxed{C} (though B is also correct)", False, "multiple_answers"),
    ("Answer: C (B is wrong: Venus is too hot).", True, None),
    ("The answer is C, not B.", True, None),
    ("Answer: C, since B would also be too hot.", True, None),
    ("Answer: C. B is also a planet, but not red.", True, None),
    ("Answer: C. Option B is not correct.", True, None),
    ("Answer: C; one might think B is correct, but it is not.", True, None),
    ("Answer: C, and C is also the only red one.", True, None),
    ("Answer: B (but C is also plausible).", False, "multiple_answers"),
    ("Answer: C\n\nB could also be correct in a colder orbit.", True, None),  # a later line: not the answer's
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_HEDGED)
def test_mcq_answer_hedged_with_another_option_fails(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


def test_mcq_hedge_is_read_after_the_box_that_gave_the_answer(check) -> None:
    """A later box that is no option (`\\boxed{x}`) does not hide the hedge after the box that gave the letter."""
    hedged = "\\boxed{C} (or possibly B), where the orbit is \\boxed{x}"
    assert check("mcq", hedged, "C", choices=CHOICES).detail == "multiple_answers"
    assert check("mcq", "\\boxed{Mars} (or possibly B)", "C", choices=CHOICES).detail == "multiple_answers"


# A final value hedged on its own line with another value called right or possible (math 11, numeric 7, exact 6):
# the box won and the text after it was not read, or the prose was not read as a second value, so these passed.
VALUE_HEDGED = [
    ("math", "5", "\\boxed{5} (or possibly 6)", False),
    ("math", "5", "The answer is 5 (but 6 could also be correct).", False),
    ("math", "5", "\\boxed{5}, though 6 is also possible.", False),
    # the whole line is the value: a sentence stating two numbers (math 13; math 12 failed it `mismatch`)
    ("math", "5", "The answer is $5$, although $-5$ is equally valid.", "multiple_answers"),
    ("math", "5", "\\boxed{5}, but it could also be 6.", False),
    ("math", "5", "\\boxed{5 \\text{ (or 6)}}", False),  # inside the box: math-verify drops the text
    ("math", "5", "\\boxed{5 \\text{ (or possibly 5.0)}}", True),
    ("numeric", "5", "\\boxed{5} (or possibly 6)", False),
    ("numeric", "5", "\\boxed{5} (but 6 might also be right)", False),
    ("exact", "Paris", "\\boxed{Paris} (or possibly Lyon)", False),
    ("exact", "Paris", "Answer: Paris (but it could also be Lyon)", False),
    ("exact", "Paris", "The answer is Paris, though Lyon is also plausible.", "mismatch"),
    # a stated answer runs on after ", but" / ", though": a second number there is a second value, as before
    ("numeric", "5", "The answer is 5, but 6 if rounding up.", False),
    # the same value again, another value named otherwise, or on a later line: not a hedge
    ("math", "100", "\\boxed{100} (or possibly 10^2)", True),
    ("math", "5", "\\boxed{5} (6 would be the count with the endpoint)", True),
    ("math", "5", "The answer is 5, not 6.", True),
    ("math", "5", "\\boxed{5}. This is also correct for negative x.", True),
    ("math", "5", "\\boxed{5}\n\n6 could also be correct if the endpoint counted, but it does not.", True),
    ("numeric", "5", "\\boxed{5}, which is also correct in base 10.", True),
    ("exact", "Paris", "\\boxed{Paris}, and Paris is also the largest city.", True),
    # "it could be 6", "maybe 6" after a box (math 15, numeric 10, exact 9; the earlier versions passed these)
    ("math", "5", "\\boxed{5}, but it could be 6.", False),
    ("math", "5", "\\boxed{5}, maybe 6.", False),
    ("math", "5", "\\boxed{5}. Maybe it's 6.", False),
    ("math", "5", "\\boxed{5} (I'm not sure; it could be 6)", False),
    ("numeric", "5", "\\boxed{5}, but it might be 6.", False),
    ("exact", "Paris", "\\boxed{Paris}, but it could be Lyon.", False),
    ("math", "5", "\\boxed{5}. It could be argued that 5 is small.", True),
    ("math", "5", "\\boxed{5}, maybe a bit more than expected.", True),
    ("math", "5", "\\boxed{5}, but it could be 5.0 if rounded.", True),
    ("math", "5", "\\boxed{5}. It could be 5 exactly.", True),
    ("math", "5", "\\boxed{5}. It could be larger if x grows.", True),
    ("math", "5", "\\boxed{5}, but it could be simplified.", True),
    ("exact", "Blue whale", "\\boxed{Blue whale}, but it could be Fin whale.", False),
    ("exact", "Blue whale", "\\boxed{Blue whale}, maybe Blue whale.", True),
]


@pytest.mark.parametrize(("verifier", "ref", "answer", "ok"), VALUE_HEDGED)
def test_value_hedged_with_another_value_fails(check, verifier: str, ref: str, answer: str, ok: bool | str) -> None:
    res = check(verifier, answer, ref)
    detail = ok if isinstance(ok, str) else None if ok else "multiple_answers"
    assert (res.passed, res.detail) == (ok is True, detail)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        # the other option with its text between the letter and what is said of it, or "(maybe B)"
        ("Answer: (C) Mars, although (B) Venus is also plausible.", False),
        ("The answer is C (Mars); B (Venus) could also be correct.", False),
        ("Answer: C (maybe B)", False),
        ("Answer: C, but A is also correct.", False),
        # no hedge: the article, a new clause, an option ruled out
        ("Answer: C. A planet like Venus would be the answer only if it were red.", True),
        ("Answer: C. B is the hottest, which is also correct to note.", True),
        ("Answer: C (B and D could also be ruled out quickly).", True),
    ],
)
def test_mcq_hedge_with_the_other_options_text(check, answer: str, ok: bool) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, None if ok else "multiple_answers")


# An answer given in the words models write besides "Answer: C" (mcq 8): mcq 7 found no answer in these and failed
# them `no_answer`, a right trace lost. Wrong letters in the same words fail, a hedge or a later answer still counts,
# and a letter discussed ("If C is correct, ...", "Neither B nor C is correct", "I first chose B") is no answer.
MCQ_SAID = [
    ("Final: **C**", True, None),
    ("I would choose C.", True, None),
    ("I'll go with C.", True, None),
    ("I'd pick (C).", True, None),
    ("So the answer must be C.", True, None),
    ("Thus the answer should be C.", True, None),
    ("The answer is therefore C.", True, None),
    ("Answer - C", True, None),
    ("Answer \u2014 C", True, None),
    ("C is correct.", True, None),
    ("Option C is correct.", True, None),
    ("C is the correct answer.", True, None),
    ("Mars is red. So C is right.", True, None),
    ("**C** is the best choice.", True, None),
    ("Therefore, C.", True, None),
    ("So, option C.", True, None),
    ("Mars has iron oxide on its surface. It's C.", True, None),
    ("So the correct option must be C.", True, None),
    # the same words naming a wrong letter
    ("I would choose B.", False, "mismatch"),
    ("B is correct.", False, "mismatch"),
    ("Therefore, D.", False, "mismatch"),
    ("So the answer must be A.", False, "mismatch"),
    # hedged, or answered again later
    ("So the answer must be C or D.", False, "multiple_answers"),
    ("I'd go with B or C.", False, "multiple_answers"),
    ("C is correct, though B could also be correct.", False, "multiple_answers"),
    ("I would choose B. Wait, actually C.", True, None),
    ("I would choose C, but the answer is B.", False, "mismatch"),
    ("B is correct.\n\nAnswer: C", False, "multiple_answers"),  # mcq 27: a change of mind (mcq 26 read C)
    # a letter discussed, not given
    ("If C is correct, Mars would be blue. Answer: B", False, "mismatch"),
    ("Neither A nor C is correct. The answer is B.", False, "mismatch"),
    ("Neither A nor C is correct.", False, "no_answer"),
    ("I first chose C, then B.", False, "no_answer"),
    ("I would choose C if Mars were blue, but it is not. Answer: B", False, "mismatch"),
    ("The answer would be C if Venus were red. Answer: B", False, "mismatch"),
    ("Is C correct? No. B is correct.", False, "mismatch"),
    ("C is correct only for small planets.", False, "no_answer"),
    ("So C is wrong.", False, "no_answer"),
    ("The answer cannot be C.", False, "no_answer"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_SAID)
def test_mcq_reads_an_answer_given_in_other_words(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


def test_mcq_letter_and_text_that_disagree_fail_in_other_words(check) -> None:
    """The option's text beside a letter given in other words names another option: which one was meant is unknown."""
    assert check("mcq", "So the answer must be Venus (C).", "C", choices=CHOICES).detail == "multiple_answers"
    assert check("mcq", "The answer would be C. Venus", "C", choices=CHOICES).detail == "multiple_answers"
    assert check("mcq", "So the answer must be Mars (C).", "C", choices=CHOICES).passed


# An SI prefix on a unit written with a LaTeX symbol (math 12): `k\Omega`, `\mu F`, `\mathrm{k\Omega}`. math 11 read
# `\Omega` and `\mu` as symbols and the prefix as a variable, so `\boxed{5}` failed `5 k\Omega` (a bare number passes
# `5 km`), `\boxed{5 \Omega}` failed `5\,\Omega`, and `\boxed{20 \mu\text{F}}` failed `20 \mu F`.
MATH_PREFIXED_UNITS = [
    ("5 k\\Omega", "\\boxed{5}", True),
    ("5 k\\Omega", "\\boxed{5\\,\\mathrm{k\\Omega}}", True),
    ("5 k\\Omega", "\\boxed{5\\text{ k\\Omega}}", True),
    ("5 k\\Omega", "\\boxed{5 \\text{ k}\\Omega}", True),
    ("5 k\u03a9", "\\boxed{5}", True),
    ("5\\,\\Omega", "\\boxed{5 \\Omega}", True),
    ("5\\,\\Omega", "\\boxed{5}", True),
    ("20 \\mu F", "\\boxed{20 \\mu\\text{F}}", True),
    ("20 \\mu F", "\\boxed{20\\,\\mathrm{\\mu F}}", True),
    ("20 \u03bcF", "\\boxed{20}", True),
    ("20 \u00b5F", "\\boxed{20 \\mu F}", True),
    ("3.3 M\\Omega", "\\boxed{3.3 \\text{ M}\\Omega}", True),
    # another number, another prefix, another unit
    ("5 k\\Omega", "\\boxed{6 k\\Omega}", False),
    ("5 k\\Omega", "\\boxed{6}", False),
    ("5 k\\Omega", "\\boxed{5 M\\Omega}", False),
    ("5 k\\Omega", "\\boxed{5 \\Omega}", False),
    ("20 \\mu F", "\\boxed{20 nF}", False),
    ("20 \\mu F", "\\boxed{20 \\text{ mF}}", False),
    ("5\\,\\Omega", "\\boxed{6 \\Omega}", False),
    # the friction coefficient is no unit prefix: `\mu g` stays a product
    ("0.5 \\mu g", "\\boxed{0.5}", False),
]


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH_PREFIXED_UNITS)
def test_math_reads_a_prefixed_unit_symbol(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# A reference given as an approximation (math 12): "approximately 3.14", "about 12", "~0.33", "\approx 1.41". math 11
# read the word as a variable and failed every answer; now an answer passes when the reference rounds it (to the
# reference's decimal places), and fails otherwise.
MATH_APPROXIMATE_REFERENCE = [
    ("approximately 3.14", "\\boxed{3.14}", True),
    ("approximately 3.14", "\\boxed{3.1416}", True),
    ("approximately 3.14", "\\boxed{\\pi}", True),
    ("about 12", "\\boxed{12}", True),
    ("~0.33", "\\boxed{\\frac{1}{3}}", True),
    ("\\approx 1.41", "\\boxed{\\sqrt{2}}", True),
    ("\u2248 1.41", "The answer is 1.414.", True),
    ("approximately 3.14 m", "\\boxed{3.14 \\text{ m}}", True),
    ("approximately 3.14 m", "\\boxed{3.1416 m}", True),
    ("approximately 3.14", "\\boxed{3.15}", False),
    ("approximately 3.14", "\\boxed{3.1}", False),
    ("about 12", "\\boxed{13}", False),
    ("about 12", "\\boxed{12.6}", False),
    ("approximately 3.14 m", "\\boxed{3.14 \\text{ s}}", False),
    ("~0.33", "\\boxed{0.34}", False),
]


@pytest.mark.parametrize(("ref", "answer", "ok"), MATH_APPROXIMATE_REFERENCE)
def test_math_reads_an_approximate_reference(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# An option's text with no letter counts only where the answer commits to it (mcq 8): mcq 7 read any one option's text
# anywhere as the choice, so "It is not Mars.", "Mars is wrong." and "Could it be Mars? No." passed for Mars.
MCQ_BY_TEXT = [
    ("Mars", True, None),
    ("The answer is Mars.", True, None),
    ("Mars is the red planet, because of iron oxide on its surface.", True, None),
    ("It is Mars, not Venus.", True, None),
    ("Not Venus: Mars.", True, None),
    ("It is not Mars.", False, "no_answer"),
    ("Definitely not Mars.", False, "no_answer"),
    ("Mars is not the answer.", False, "no_answer"),
    ("Mars is wrong.", False, "no_answer"),
    ("Mars isn't red enough.", False, "no_answer"),
    ("Could it be Mars? No.", False, "no_answer"),
    ("It is not Mars. It is Venus.", False, "mismatch"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_BY_TEXT)
def test_mcq_reads_an_options_text_only_where_it_is_the_answer(check, answer: str, ok: bool, detail) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# mcq 9. A letter read as the answer that the response went on to reject or only supposed (each passed for it in mcq
# 8: wrong training rows), and an answer given as an option's text or as a boxed letter with its text after the
# explanation named other options (each failed `multiple_answers` in mcq 8: right rows lost).
MCQ_CONCLUDED = [
    # rejected or supposed: the later conclusion is the answer
    ("The answer should be B. Hmm, but B is Venus, so really C.", True, None),
    ("The answer should be C. Hmm, but C is Mars, so really B.", False, "mismatch"),
    ("Final answer: B is eliminated, so C.", True, None),
    ("Final answer: C is eliminated, so B.", False, "mismatch"),
    ("If the planet were hotter, the answer would be B. Here it is C.", True, None),
    ("If Mars were blue, the answer would be C.", False, "no_answer"),
    ("Why not C? Because Mars is red.", False, "no_answer"),
    ("Option C (Mars) is wrong because Mars is red.", False, "no_answer"),
    # an option's text stated as the answer, after an explanation that names the others
    ("Venus is hot and Jupiter is large. The answer is Mars.", True, None),
    ("Venus is hot and Jupiter is large. **Answer: Mars**", True, None),
    ("Venus is hot. Final answer: Mars.", True, None),
    ("Venus is hot. The answer is Mars, the red planet.", True, None),
    ("Since Mars is red, the answer is Mars.", True, None),
    ("Mars is red. The answer is Venus.", False, "mismatch"),
    ("Mars is red. The answer is Venus or Mars.", False, "multiple_answers"),
    # a boxed letter with its option's text
    ("Venus is hot. \\boxed{C. Mars}", True, None),
    ("Venus is hot. \\boxed{\\text{C) Mars}}", True, None),
    ("Venus is hot. \\boxed{C: Mars}", True, None),
    ("Venus is hot. \\boxed{\\text{(C) Mars}}", True, None),
    ("Mars is red. \\boxed{B. Venus}", False, "mismatch"),
    ("\\boxed{C. Venus}", False, "multiple_answers"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_CONCLUDED)
def test_mcq_reads_the_answer_concluded(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# A final answer under its own heading, or after "Final:" (math 13, numeric 8, exact 7, multi-select mcq 9): math 12
# found no answer under "**Final Answer**" (the value is on the next line) and read "Final: 42" as prose, failing
# right traces (`no_answer`, `mismatch`); a wrong value there must still fail.
FINAL_HEADING = [
    ("math", "42", "**Final Answer**\n42", True, None),
    ("math", "42", "**Final Answer**\n\n$42$", True, None),
    ("math", "42", "### Final Answer\n42", True, None),
    ("math", "42", "## Final Answer:\n\n$$42$$", True, None),
    ("math", "42", "Answer\n42", True, None),
    ("math", r"\frac{1}{2}", "**Final Answer**\n$\\frac{1}{2}$", True, None),
    ("math", "3", "**Final Answer**\n$x = 3$", True, None),
    ("math", "42", "Final: 42", True, None),
    ("math", "42", "**Final: 42**", True, None),
    ("math", "42", "**Final Answer**\n41", False, "mismatch"),
    ("math", "42", "Final: 41", False, "mismatch"),
    # as "Answer: 42 or 43" (`mismatch` until math 43: two numbers with "or" between them are a hedge)
    ("math", "42", "**Final Answer**\n42 or 43", False, "multiple_answers"),
    ("math", "42", "**Final Answer**\n42\n\nAnswer: 43", False, "mismatch"),
    ("numeric", "42", "**Final Answer**\n42", True, None),
    ("numeric", "42", "Final: 42.0", True, None),
    ("exact", "Paris", "**Final Answer**\nParis", True, None),
    ("exact", "Paris", "### Final Answer\nLondon", False, "mismatch"),
    # "answer" ending a line of prose is no heading: the next line is not read as the answer
    ("math", "42", "To find the answer\n41 apples are counted first, then one more.", False, "no_answer"),
]


@pytest.mark.parametrize(("verifier", "ref", "answer", "ok", "detail"), FINAL_HEADING)
def test_final_answer_under_its_heading(check, verifier: str, ref: str, answer: str, ok: bool, detail) -> None:
    res = check(verifier, answer, ref)
    assert (res.passed, res.detail) == (ok, detail)


def test_multi_select_mcq_under_a_final_answer_heading(check) -> None:
    assert check("mcq", "**Final Answer**\nB, D", "B,D", choices=CHOICES, multiple=True).passed
    assert check("mcq", "**Final Answer**\nB", "B,D", choices=CHOICES, multiple=True).detail == "mismatch"


# A final answer the response takes back after giving it, without stating a new one as "the answer is" (math 13,
# numeric 8, exact 7): math 12 passed these for 6, training the fine-tune on a trace that concludes 7. A check that
# confirms the value, or a note about a mistake others make, is no change.
ANSWER_TAKEN_BACK = [
    ("\\boxed{6}\n\nWait, I made an error: 3 + 4 = 7, so x = 7.", False, "multiple_answers"),
    ("\\boxed{6} is wrong; the correct value is 7.", False, "multiple_answers"),
    ("The answer is 6.\n\nActually, x = 7.", False, "multiple_answers"),
    ("\\boxed{6}\n\nOops, the last step should be 7.", False, "multiple_answers"),
    ("\\boxed{7}\n\nWait, I made an error: 3 + 3 = 6, so x = 6.", False, "mismatch"),  # the box is read first
    # the same value again, a check, a note
    ("\\boxed{6}\n\nWait, let me verify: 2 \\cdot 3 = 6. Yes, x = 6.", True, None),
    ("\\boxed{6}\n\nLet me double-check: 2(6) = 12, which matches.", True, None),
    ("\\boxed{6}\n\nA common mistake is to add instead and get 7.", True, None),
    ("\\boxed{6}\n\nActually, this matches the expected result since 2 \\times 3 = 6.", True, None),
    ("\\boxed{6}\n\nActually, we can verify: substituting x = 6 gives 2(6) + 2 = 14.", True, None),
    ("The answer is 6.\n\nWait, let me check: 6 + 8 = 14, as required.", True, None),
    # a quantity named ("the total is 14."): the same value again is a check
    ("\\boxed{6}\n\nWait, the total is 7.", False, "multiple_answers"),
    ("\\boxed{6}\n\nActually, the number of apples should be 7.", False, "multiple_answers"),
    ("\\boxed{6}\n\nWait, let me check: the total is 6.", True, None),
    ("\\boxed{6}\n\nWait, let me check: the area is 35 and the perimeter is 6.", True, None),
    ("\\boxed{6}\n\nWait, let me double-check: the perimeter is 6 and the area is 35.", True, None),
    # a name is a second value of a text answer only (math-verify reads a word as a product of symbols)
    ("\\boxed{6}\n\nActually, it is Done.", True, None),
    ("\\boxed{6}\n\nWait, it should be Six.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), ANSWER_TAKEN_BACK)
def test_math_answer_taken_back_after_it_was_given(check, answer: str, ok: bool, detail) -> None:
    res = check("math", answer, "6")
    assert (res.passed, res.detail) == (ok, detail)
    assert check("numeric", answer, "6").detail == detail


# A value taken back with its noun after it ("Wait, that gives 14 apples in all.", "Actually, he has 13 apples.": math
# 14, numeric 9). math 13 read a number only where it ended its sentence, so these passed for 12: a trace that
# concludes 13 or 14 trained as right. A check that ends on the same value stays right.
TAKEN_BACK_WITH_NOUN = [
    ("\\boxed{12}\n\nWait, that gives 14 apples in all.", False, "multiple_answers"),
    ("\\boxed{12}\n\nActually, it's 13 apples.", False, "multiple_answers"),
    ("\\boxed{12}\n\nActually, he has 13 apples.", False, "multiple_answers"),
    ("\\boxed{12}\n\nWait, 5 + 7 = 13, so he has 13 apples.", False, "multiple_answers"),
    ("\\boxed{12}\n\nWait, he buys 8 more, not 7. So that's 13 apples.", False, "multiple_answers"),
    ("\\boxed{12}\n\nWait, I miscounted: the total is 13 apples.", False, "multiple_answers"),
    ("The answer is 12.\n\nWait, that makes 13 apples.", False, "multiple_answers"),
    ("\\boxed{12}\n\nOops, there are 13 apples in total.", False, "multiple_answers"),
    # the same value again, or a number that does not end the sentence
    ("\\boxed{12}\n\nWait, let me check: 5 + 7 gives 12 apples. Yes.", True, None),
    ("\\boxed{12}\n\nWait, let me verify: 5 apples plus 7 gives 12 apples in all, and 2 of them are red.", True, None),
    ("\\boxed{12}\n\nActually, he has 12 apples.", True, None),
    ("\\boxed{12}\n\nWait, he buys 7 more, so 5 + 7 = 12.", True, None),
    ("\\boxed{12}\n\nWait, let me re-read: he has 5 apples and buys 7 more, so he has 12 apples.", True, None),
    ("\\boxed{12}\n\nActually, the answer is 12 apples, not 13.", True, None),
    ("\\boxed{12}\n\nWait, that is 12 times more than before.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), TAKEN_BACK_WITH_NOUN)
def test_math_answer_taken_back_with_its_noun(check, answer: str, ok: bool, detail) -> None:
    res = check("math", answer, "12")
    assert (res.passed, res.detail) == (ok, detail)
    assert check("numeric", answer, "12").detail == detail
    assert check("exact", answer, "12").detail == detail  # exact 8


# with a unit: the number keeps the unit the answer's value states, so the same length in it is the same value
TAKEN_BACK_WITH_UNIT = [
    ("12 cm", "\\boxed{12 \\text{ cm}}\n\nWait, that gives 13 cm per side.", False, "multiple_answers"),
    ("12 cm", "\\boxed{12 \\text{ cm}}\n\nActually, it's 12 cm.", True, None),
    ("0.12 m", "\\boxed{12 \\text{ cm}}\n\nActually, it's 12 cm.", True, None),
    ("0.12 m", "\\boxed{12 \\text{ cm}}\n\nActually, it's 13 cm.", False, "multiple_answers"),
    ("12 cm", "\\boxed{12}\n\nActually, it's 12 cm.", True, None),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), TAKEN_BACK_WITH_UNIT)
def test_math_answer_taken_back_with_its_unit(check, ref: str, answer: str, ok: bool, detail) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, detail)
    assert check("numeric", answer, ref).detail == detail


EXACT_TAKEN_BACK = [
    ("\\boxed{Paris}\n\nWait, actually it's Lyon.", False, "multiple_answers"),
    ("\\boxed{Paris}\n\nActually, the answer is Lyon.", False, "multiple_answers"),
    ("\\boxed{Paris}\n\nOn second thought, it should be Lyon.", False, "multiple_answers"),
    ("\\boxed{Paris}\n\nWait, is it Lyon? No, it's Paris.", True, None),
    ("\\boxed{Paris}\n\nActually, it is the largest city of France too.", True, None),
    ("The answer is Paris.\n\nWait, actually it's Lyon.", False, "multiple_answers"),
    # a number asserted after a name, or a description, is no second answer (exact 8; exact 7 failed the second)
    ("\\boxed{Paris}\n\nWait, there are 3 such cities.", True, None),
    ("\\boxed{Paris}\n\nActually, it is France's capital.", True, None),
    ("\\boxed{Paris}\n\nActually, it is Lyon.", False, "multiple_answers"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), EXACT_TAKEN_BACK)
def test_exact_answer_taken_back_after_it_was_given(check, answer: str, ok: bool, detail) -> None:
    res = check("exact", answer, "Paris")
    assert (res.passed, res.detail) == (ok, detail)


# An MCQ answer taken back after it was boxed (mcq 9; mcq 8 read the box and passed these for C)
MCQ_TAKEN_BACK = [
    ("\\boxed{C}\n\nOops, it should be B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nActually, option B is correct.", False, "multiple_answers"),
    ("\\boxed{C}\n\nWait, actually B is the right one.", False, "multiple_answers"),
    ("Answer: B\n\nOops, it should be C.", True, None),
    ("\\boxed{C}\n\nActually, I should note that B is a common wrong choice.", True, None),
    ("\\boxed{C}\n\nWait, let me double-check: Mars is red. Yes, C.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_TAKEN_BACK)
def test_mcq_answer_taken_back_after_it_was_boxed(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# mcq 10. An option's text ruled out in words the negation rule did not read ("Mars is red, so it cannot be the
# answer.", "It can't be Mars.": each passed for Mars in mcq 9, a wrong training row), and a list that judges every
# option on its line ("A. Mercury - incorrect" ... "C. Mars - correct": mcq 9 read four letters and failed it
# `multiple_answers`, a right row lost).
MCQ_RULED_OUT = [
    ("Mars is red, so it cannot be the answer.", False, "no_answer"),
    ("Mars is red so it can't be the answer.", False, "no_answer"),
    ("It can't be Mars.", False, "no_answer"),
    ("It cannot be Mars.", False, "no_answer"),
    ("Mars isn't the answer.", False, "no_answer"),
    ("Mars is ruled out.", False, "no_answer"),
    ("We can rule out Mars.", False, "no_answer"),
    ("Mars can be eliminated.", False, "no_answer"),
    ("Venus is too hot, so it cannot be the answer. It is Mars.", True, None),
    ("It's Mars, not Venus, since Venus is hot, which rules it out.", True, None),
    ("Mars, because Venus is too hot and so it can't be the answer.", True, None),
    ("Mars is red, which is why it is the answer.", True, None),
    ("Mars, which is not a gas giant, is the red one.", True, None),
    ("Mars is far away, so it can't be reached in a day.", True, None),
    ("Mars is red, so it is not Venus.", True, None),
    # every option judged on its own line
    ("A. Mercury - incorrect\nB. Venus - incorrect\nC. Mars - correct\nD. Jupiter - incorrect", True, None),
    ("A) Mercury: wrong\nB) Venus: wrong\nC) Mars: right\nD) Jupiter: wrong", True, None),
    ("(A) Mercury \u2014 incorrect.\n(B) Venus \u2014 incorrect.\n(C) Mars \u2014 correct.", True, None),
    ("A. Mercury - incorrect\nB. Venus - correct\nC. Mars - incorrect\nD. Jupiter - incorrect", False, "mismatch"),
    ("A. Mercury - incorrect\nB. Venus - correct\nC. Mars - correct\nD. Jupiter - wrong", False, "multiple_answers"),
    ("A. Mercury - incorrect\nB. Venus - incorrect\nC. Mars - incorrect\nD. Jupiter - incorrect", False, "no_answer"),
    ("A. Mercury - incorrect\nC. Mars - possibly\nD. Jupiter - incorrect", False, "multiple_answers"),
    # the other options negated as a list, set against it, or in a reason after "as" (version 9 failed these
    # `multiple_answers`)
    ("Mars is the red planet, not Venus, Mercury or Jupiter.", True, None),
    ("Mars, not Venus or Jupiter.", True, None),
    ("The red planet is Mars rather than Venus.", True, None),
    ("Mars, instead of Venus.", True, None),
    ("The answer is Mars, as Venus is yellowish.", True, None),
    ("Not Venus, Mars.", True, None),
    ("Not Venus, Jupiter or Mars.", False, "no_answer"),
    ("Venus, as well as Mars.", False, "multiple_answers"),
    # a lower-case letter alone after "Answer:" on its line (version 9 found no answer)
    ("Answer: c", True, None),
    ("The answer is c.", True, None),
    ("**Final answer: c**", True, None),
    ("Answer: b", False, "mismatch"),
    ("The answer: a red planet.", False, "no_answer"),
    ("Answer: c\n\nWait, actually it is Venus.", False, "multiple_answers"),
    # an option's text asserted after the letter was taken back (version 9 passed the first three for C)
    ("Answer: C\n\nWait, actually it is Venus.", False, "multiple_answers"),
    ("\\boxed{C}\n\nOops, it should be Venus.", False, "multiple_answers"),
    ("The answer is C.\n\nActually, the answer is Jupiter.", False, "multiple_answers"),
    ("\\boxed{C}\n\nWait, is it Venus? No, it's Mars.", True, None),
    ("Answer: C\n\nActually, it is the fourth planet from the Sun.", True, None),
    # a boxed letter after the word "Option" (version 9 found no answer)
    ("\\boxed{\\text{Option C}}", True, None),
    ("\\boxed{\\text{option (C)}}", True, None),
    ("\\boxed{\\text{Choice: C}}", True, None),
    ("\\boxed{\\text{Option B}}", False, "mismatch"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_RULED_OUT)
def test_mcq_option_ruled_out_or_judged_line_by_line(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# An answer that opens with its option and explains the others by their text and letter, or calls its letter right
# and gives the reason (mcq 11; version 10 failed the first three `multiple_answers` and found no answer in the next
# three). A hedge, a correction or another answer in such a sentence still counts.
MCQ_EXPLAINED = [
    (
        "C. Mars\n\nMercury (A) is closest to the Sun, Venus (B) is the hottest, and Jupiter (D) is the largest.",
        True,
        None,
    ),
    ("**C. Mars**\n\nVenus (B) is yellowish.", True, None),
    ("C) Mars. Venus (B) is yellowish and Jupiter (D) is striped.", True, None),
    ("Option C is correct because Mars looks red.", True, None),
    ("C is correct since iron oxide makes Mars red.", True, None),
    ("C is the right answer because of iron oxide.", True, None),
    ("C. Mars\n\nOr perhaps Venus (B).", False, "multiple_answers"),
    ("C. Mars\n\nVenus (B) could also be called red.", False, "multiple_answers"),
    ("C. Mars\n\nWait, actually Venus (B).", False, "multiple_answers"),
    ("C. Mars\n\nHmm, Venus (B) is the answer.", False, "multiple_answers"),
    ("C. Mars\n\nVenus (B) is red too.", False, "multiple_answers"),
    ("C. Mars\n\n(A) Mercury is close; (B) Venus is hot.", False, "multiple_answers"),
    ("C. Venus (B) is hot.", False, "multiple_answers"),
    ("B is correct because Venus is red.", False, "mismatch"),
    ("C is correct as well as B.", False, "no_answer"),
    # an answer that opens with its option's text and explains the others (version 10: `multiple_answers`)
    ("Mars. Venus is yellowish.", True, None),
    ("**Mars**\n\nVenus is the hottest, Mercury the closest and Jupiter the largest.", True, None),
    ("Mars. Or maybe Venus.", False, "multiple_answers"),
    ("Mars. Venus is also correct.", False, "multiple_answers"),
    ("Mars. No wait, Venus.", False, "multiple_answers"),
    ("Venus. Mars is red.", False, "mismatch"),
    ("Mercury. Venus. Mars. Jupiter.", False, "multiple_answers"),
]


# More ways to give the answer in other words (mcq 11; version 10 found no answer in the first eight)
MCQ_MORE_WORDS = [
    ("I'm confident it's C.", True, None),
    ("Between B and C, C is correct.", True, None),
    ("I believe C is correct.", True, None),
    ("C would be my answer.", True, None),
    ("I choose C because Mars looks red.", True, None),
    ("Clearly C.", True, None),
    ("That makes C the correct answer.", True, None),
    ("After considering all options, C is the best choice.", True, None),
    ("I'm confident it's B.", False, "mismatch"),
    ("If Venus were red, B is correct. But it is not.", False, "no_answer"),
    ("C would be my answer if Mars were blue.", False, "no_answer"),
    ("I choose C because B is wrong, but actually B.", False, "mismatch"),  # the correction is the answer
    ("Between B and C, B is correct.", False, "mismatch"),
    # hedged with "it could be" or "maybe" and another letter (version 10 passed the first three)
    ("The answer is C, but it could be B.", False, "multiple_answers"),
    ("I believe C is correct, but I'm not sure; it might be B.", False, "multiple_answers"),
    ("Answer: C, maybe B.", False, "multiple_answers"),
    ("The answer is C; it could be argued that Mars is red.", True, None),
    ("The answer is C, maybe a bit obvious.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_MORE_WORDS)
def test_mcq_reads_more_answers_in_other_words(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_EXPLAINED)
def test_mcq_answer_explaining_the_other_options(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# A letter that ends the answer on its own (mcq 17): `C`, `**C**`, `(C)`, `C.` on the last line, or `**C**`, `(C)` or a
# bare `C` after the last sentence's full stop, is the letter committed to. mcq 16 ignored it and read the options'
# texts in the prose before it: "Mars is red.\n\n**B**" passed for C, and "Mercury is hot, Venus is cloudy.\n\n**C**"
# failed `multiple_answers`. Another option stated as the answer in that prose is a second answer.
MCQ_FINAL_LETTER = [
    ("Mercury is hot, Venus is cloudy.\n\n**C**", True, None),
    ("Venus is too hot and Mercury has no air.\n\nC", True, None),
    ("Venus is too hot and Mercury has no air.\n\n(C)", True, None),
    ("It is not Venus; the red one is the fourth planet.\n\nC.", True, None),
    ("The red planet is not Venus.\n\n**C.**", True, None),
    ("Venus is cloudy. **C**", True, None),
    ("Venus is cloudy. C", True, None),  # a bare letter after the last full stop counts too
    ("The answer is C.\n\n**C**", True, None),
    ("The answer is Mars.\n\n**C**", True, None),
    ("Mars is red.\n\n**B**", False, "mismatch"),
    ("Mars is red.\n\nB", False, "mismatch"),
    ("Mars is red. **B**", False, "mismatch"),
    ("Mars is red. B", False, "mismatch"),
    ("Mars is red.\n\n(B)", False, "mismatch"),
    # another option stated as the answer before the letter: two answers
    ("The answer must be Mars.\n\n**A**", False, "multiple_answers"),
    ("The answer is B.\n\n**C**", False, "multiple_answers"),
    ("\\boxed{B}\n\n**C**", False, "multiple_answers"),
    ("**A**\n\n**C**", False, "multiple_answers"),
    ("Answer: C (or possibly B).\n\n**C**", False, "multiple_answers"),
    # a capital that ends a sentence's words is no letter ("vitamin A", "type B")
    ("It is Mars, rich in vitamin A", True, None),
    ("The answer is Mars, a planet of type B", True, None),
]


# A letter alone on the answer's first line, then an explanation (mcq 23): the letter opens the answer as "C. Mars"
# does. mcq 22 ignored it and read the options' texts in the explanation: "**C**\n\nVenus is yellow." passed for B (and
# failed for C), "**C**\n\nMercury is gray and Venus is yellow." failed `multiple_answers`.
MCQ_FIRST_LINE_LETTER = [
    ("**C**\n\nMars is red because of iron oxide; Venus is yellow.", "C", True, None),
    ("**C**\n\nMercury is gray and Venus is yellow.", "C", True, None),
    ("C\n\nVenus is yellow and Jupiter is banded.", "C", True, None),
    ("**C**\n\nVenus (B) is yellowish and Jupiter (D) is banded.", "C", True, None),
    ("**C**\n\nVenus is yellow.", "B", False, "mismatch"),
    ("C\n\nVenus is yellow.", "B", False, "mismatch"),
    ("**C**\n\nVenus (B) is yellowish.", "B", False, "mismatch"),
    ("**C**\n\nOr perhaps Venus (B).", "B", False, "multiple_answers"),
    ("**C**\n\nWait, actually B.", "C", False, "mismatch"),  # a correction is the answer, as after "C. Mars"
    ("**C**\n\nAlthough D might also be right.", "C", False, "multiple_answers"),
    ("C\nMars is red.\nB\nVenus is yellow.", "C", False, "multiple_answers"),  # another letter alone on a line
]


@pytest.mark.parametrize(("answer", "ref", "ok", "detail"), MCQ_FIRST_LINE_LETTER)
def test_mcq_letter_alone_on_the_first_line(check, answer: str, ref: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, ref, choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_FINAL_LETTER)
def test_mcq_letter_ending_the_answer_is_the_answer(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# A box after prose that commits to another option (mcq 18): the prose is read as `choose` reads a stated answer, as
# before a letter that ends the answer (mcq 17). mcq 17 read only statements after the box: "The answer is B.\n\n
# \\boxed{C}" and "The answer is Venus.\n\n\\boxed{C}" passed for C. Prose that commits to the boxed option, or only
# discusses, rules out or judges the others, is read as before.
MCQ_BOX_AFTER_PROSE = [
    ("The answer is B.\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is Venus.\n\n\\boxed{C}", False, "multiple_answers"),
    ("Answer: B\n\n\\boxed{C}", False, "multiple_answers"),
    ("I would choose B.\n\n\\boxed{C}", False, "multiple_answers"),
    ("B is correct because Venus is bright.\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is B (Venus).\n\nFinal answer: \\boxed{C}", False, "multiple_answers"),
    ("The answer is C (Mars).\n\n\\boxed{C}", True, None),
    ("The answer is Mars.\n\n\\boxed{C}", True, None),
    ("B is wrong because Venus is yellow.\n\n\\boxed{C}", True, None),
    ("Venus is hot, but the answer is Mars.\n\n\\boxed{C}", True, None),
    ("The answer is not B, since Venus is yellow.\n\n\\boxed{C}", True, None),
    ("Mars is red, not Venus.\n\n\\boxed{C}", True, None),
    ("A. Mercury - wrong\nB. Venus - incorrect\nC. Mars - correct\nD. Jupiter - incorrect\n\n\\boxed{C}", True, None),
    ("Option A, Mercury, is closest. Option B, Venus, is hot.\n\n\\boxed{C}", True, None),
    ("At first the answer seemed to be B, but wait, actually C.\n\n\\boxed{C}", True, None),
    ("The answer is B.\n\n\\boxed{B}", False, "mismatch"),
    # the prose's answer hedged with another option on its line, as before a letter ending the answer (mcq 17)
    ("Answer: C (or possibly B).\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is C, but it could be B.\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is C, though B is also plausible.\n\nFinal answer: \\boxed{C}", False, "multiple_answers"),
    ("The answer is C (B is the hottest).\n\n\\boxed{C}", True, None),
    # someone else's belief or a tempting mistake is no answer given (mcq 19: such prose failed a right box or final
    # letter `multiple_answers`, and passed alone for the option it warns against)
    ("A common mistake is to think the answer is B.\n\n\\boxed{C}", True, None),
    ("One might think the answer is B, but Venus is covered in clouds.\n\n\\boxed{C}", True, None),
    ("It is tempting to say the answer is Venus, but Venus is yellow.\n\n\\boxed{C}", True, None),
    ("Many students believe the answer is B. It is not.\n\n**C**", True, None),
    ("Students often choose B, but Venus is yellow.\n\n\\boxed{C}", True, None),
    ("A common mistake is to think the answer is B.", False, "no_answer"),
    ("I think the answer is B.\n\n\\boxed{C}", False, "multiple_answers"),
    ("I think the answer is C.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_BOX_AFTER_PROSE)
def test_mcq_box_after_prose_committing_to_another_option(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# Another option's text offered beside the answer as right or possible (mcq 20): mcq 19 read "The answer is Mars (or
# possibly Venus)." as the options' texts (no commitment), so a right box or final letter after it passed, and read
# hedges by letter only ("Answer: C (or possibly Venus)." passed). It is the hedge "Answer: C (or possibly B)" is.
MCQ_TEXT_HEDGE = [
    ("The answer is Mars (or possibly Venus).\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is Mars (or possibly Venus).\n\n**C**", False, "multiple_answers"),
    ("The answer is Mars or Venus.\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is Mars, though Venus is also plausible.\n\n\\boxed{C}", False, "multiple_answers"),
    ("The answer is Mars, but it could be Venus.\n\n\\boxed{C}", False, "multiple_answers"),
    ("Answer: C (or possibly Venus).", False, "multiple_answers"),
    ("Answer: C (or possibly Venus).\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C} (or possibly Venus)", False, "multiple_answers"),
    ("\\boxed{C} or Venus", False, "multiple_answers"),
    ("Answer: C, maybe Venus.", False, "multiple_answers"),
    ("The answer is Mars (or possibly Venus).", False, "multiple_answers"),
    # another option called right only under a condition is no hedge, by letter as by text (mcq 22: it failed)
    ("Answer: C. B would be the answer only if it were red.", True, None),
    ("Answer: C (B would be correct if the question asked about the hottest planet)", True, None),
    ("Answer: C. B could also be correct.", False, "multiple_answers"),
    # a letter answer joined to another option's text (mcq 21: they passed for C)
    ("Answer: C or Venus.", False, "multiple_answers"),
    ("The answer is C or Venus.", False, "multiple_answers"),
    ("Answer: C (Mars) or Venus", False, "multiple_answers"),
    ("Answer: **C** or Venus.", False, "multiple_answers"),
    ("Answer: C. Mars, not Venus.", True, None),
    ("Answer: C (Mars).", True, None),
    # another option's text named otherwise is no hedge
    ("The answer is Mars, not Venus.\n\n\\boxed{C}", True, None),
    ("The answer is Mars (Venus is the hottest).\n\n\\boxed{C}", True, None),
    ("The answer is Mars, or the red planet.\n\n\\boxed{C}", True, None),
    ("Answer: C (Venus is also a planet, but it is yellow).", True, None),
    ("The answer is Mars, since Venus could be hotter.\n\n**C**", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_TEXT_HEDGE)
def test_mcq_answer_hedged_with_another_options_text(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# A hedge on a line after the answer's (mcq 23): mcq 22 read hedges on the answer's line only, so "\\boxed{C}\n\nB could
# also be correct." passed for C and trained the fine-tune to hedge. A sentence after the answer's line that offers
# another option as possible or also right, as the answer's line is read, and ends its clause there, is a hedge;
# explanations, questions answered after them, conditions, negations and others' beliefs are not.
MCQ_HEDGED_LATER = [
    ("\\boxed{C}\n\nB could also be correct.", False, "multiple_answers"),
    ("The answer is C.\n\nMaybe Venus, though.", False, "multiple_answers"),
    ("Answer: C\n\nAlthough D might also be right.", False, "multiple_answers"),
    ("Final answer: \\boxed{C}\n\nThat said, it could also be B.", False, "multiple_answers"),
    ("The correct answer is C.\n\nIt might be B, though.", False, "multiple_answers"),
    ("\\boxed{C}\n\nOr possibly B.", False, "multiple_answers"),
    ("The answer is (C) Mars.\n\nVenus is also plausible.", False, "multiple_answers"),
    ("The answer is C.\n\nI'm not entirely sure; it could be D.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also a reasonable answer.", False, "multiple_answers"),
    (
        "\\boxed{C}\n\nHowever, B (Venus) could also be a valid answer, depending on interpretation.",
        False,
        "multiple_answers",
    ),
    ("The answer is C.\n\nMaybe Venus, though.\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could also be correct.\n\nFinal: \\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is wrong because Venus is yellow.", True, None),
    ("\\boxed{C}\n\nVenus is hot, but Mars is red.", True, None),
    ("\\boxed{C}\n\nB would be correct only if the question asked about the hottest planet.", True, None),
    ("\\boxed{C}\n\nIf the question were about the hottest planet, B would be correct.", True, None),
    ("\\boxed{C}\n\nA common mistake is to choose B.", True, None),
    ("\\boxed{C}\n\nWhy not B? Because Venus is covered in clouds.", True, None),
    ("\\boxed{C}\n\nSome might argue that B is also correct, but Venus is not red.", True, None),
    ("\\boxed{C}\n\nNeither A nor D could be correct, since both are gray or banded.", True, None),
    ("\\boxed{C}\n\nB could be correct for a question about brightness, not color.", True, None),
    ("The answer is C.\n\nD is also possible only for a gas giant question.", True, None),
    ("The answer is C.\n\nCould it be B? No: Venus is yellow.", True, None),
    ("\\boxed{C}\n\nOption B might seem plausible because Venus is bright, but it is yellowish.", True, None),
    ("\\boxed{C}\n\nMars could also be described as rusty.", True, None),
    ("\\boxed{C}\n\nA is true, B is also true, and D is true.", True, None),  # statements judged ("Which is false?")
    # "(B) if ..." is a condition on the answer's line too (mcq 22 read "(B" and failed it `multiple_answers`)
    ("The answer is C; it might also be (B) if Venus were red.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_HEDGED_LATER)
def test_mcq_hedge_on_a_line_after_the_answer(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# An answer stated between two boxes (mcq 20): mcq 19 read the prose before the first box and statements after the
# last, so "\\boxed{C}\n\nWait, actually the answer is B.\n\nFinal: \\boxed{C}" passed for C although the answer
# changes to B and back. The prose between boxes is read as that before the first is; explanations stay explanations.
MCQ_BETWEEN_BOXES = [
    ("\\boxed{C}\n\nWait, actually the answer is B.\n\nFinal: \\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nThe answer is Venus.\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nAnswer: B\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nI would choose B.\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nVenus is the correct choice.\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nAnswer: C (or possibly B).\n\n\\boxed{C}", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is wrong because Venus is yellow.\n\n\\boxed{C}", True, None),
    ("\\boxed{C}\n\nVenus is hot, but Mars is red.\n\n\\boxed{C}", True, None),
    ("\\boxed{C}\n\nThe answer is C because Mars is red.\n\nFinal answer: \\boxed{C}", True, None),
    ("\\boxed{C}\n\nA common mistake is to think the answer is B.\n\n\\boxed{C}", True, None),
    ("\\boxed{C}\n\nIt is not Venus, which is yellow.\n\n\\boxed{C}", True, None),
    ("\\boxed{B}\n\nThe answer is C.\n\n\\boxed{B}", False, "multiple_answers"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_BETWEEN_BOXES)
def test_mcq_answer_stated_between_boxes(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# More hedges after the answer (mcq 26): mcq 25 read only "also" with a word like "correct" or "possible", so "D is also
# a possibility.", "I'd also accept B.", "B could also work." and "B could also be correct in some interpretations."
# passed for C and trained the fine-tune to hedge. Explanations that say "also" of another option stay explanations.
MCQ_MORE_HEDGES = [
    ("\\boxed{C}\n\nD is also a possibility.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'd also accept B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI would also accept B.", False, "multiple_answers"),
    ("The answer is C.\n\nB is also possible.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could also be correct in some interpretations.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB may also be correct under some readings.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also correct in some cases.", False, "multiple_answers"),
    ("Answer: C, though D is also a possibility.", False, "multiple_answers"),
    ("Answer: C, but I'd also accept B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could also work.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB would also work in some interpretations.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also defensible.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB and D are also possibilities.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is another possibility.", False, "multiple_answers"),
    ("\\boxed{C}\n\nVenus is also a possibility.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is a possibility too.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'd accept Venus as well.", False, "multiple_answers"),
    ("\\boxed{C}\n\nD is also a gas giant.", True, None),
    ("\\boxed{C}\n\nB is also hot, but it is yellow.", True, None),
    ("\\boxed{C}\n\nB is also wrong.", True, None),
    ("\\boxed{C}\n\nB is not a possibility, since Venus is yellow.", True, None),
    ("\\boxed{C}\n\nI would not accept B.", True, None),
    ("\\boxed{C}\n\nSome would also accept B, but Venus is yellow.", True, None),
    ("\\boxed{C}\n\nA is true, B is true as well, and D is true too.", True, None),
    ("\\boxed{C}\n\nB could also be correct in some cases, but not in this one.", True, None),
    ("\\boxed{C}\n\nIf the question asked about heat, B would also work.", True, None),
]


# (mcq 26) two options called right together, "also" before the verb or with "arguably", and the Chinese and Japanese
# "B may also be the answer": each passed for C
MCQ_MORE_HEDGES += [
    ("\\boxed{C}\n\nBoth B and C are correct.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB and C are both correct.", False, "multiple_answers"),
    ("\\boxed{C}\n\nEither B or C would work.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also seems plausible.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also arguably correct.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is arguably correct too.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also fits.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also makes sense.", False, "multiple_answers"),
    ("答案：C\n\nB也可能是答案。", False, "multiple_answers"),
    ("答案是C。B也可能是正确答案。", False, "multiple_answers"),
    ("答案是C，不过B也是一个可能的答案。", False, "multiple_answers"),
    ("正解はC。Bも答えになりうる。", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also fits the description, but it is yellow.", True, None),
    ("\\boxed{C}\n\nB also makes sense as a distractor.", True, None),
    ("\\boxed{C}\n\nNeither B nor D is correct.", True, None),
    ("\\boxed{C}\n\nBoth B and D are gas giants? No: only D is.", True, None),
    ("Answer: C. A and B are both possible causes of a red color, but only Mars is red.", True, None),
    ("Answer: C. Either A or B would work if the question asked about heat.", True, None),
]


# (mcq 26) another option argued for, ranked a close second, worth considering or accepted, ending its sentence: each
# passed for C; the same words with a reason or a limit after them explain
MCQ_MORE_HEDGES += [
    ("\\boxed{C}\n\nOne could also argue for B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nYou could argue for Venus too.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is a close second.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also worth considering.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'd accept B, but not D.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI would accept B.", False, "multiple_answers"),
    ("Answer: C, though B is a close second.", False, "multiple_answers"),
    ("\\boxed{C}\n\nOne could argue for B, but its surface is yellow, so C.", True, None),
    ("\\boxed{C}\n\nB is a distant second.", True, None),
    ("\\boxed{C}\n\nB is worth considering only for questions about heat.", True, None),
    ("\\boxed{C}\n\nI'd not accept B.", True, None),
    ("\\boxed{C}\n\nSome might argue for B.", True, None),
    ("\\boxed{C}\n\nI would accept B only if Venus were red.", True, None),
]

# (mcq 26) more ways to keep another option in play, ending their sentence: each passed for C
MCQ_MORE_HEDGES += [
    ("\\boxed{C}\n\nB is a strong contender as well.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is a reasonable alternative.", False, "multiple_answers"),
    ("The answer is C.\n\nB is a plausible alternative.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is nearly as good.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB cannot be ruled out.", False, "multiple_answers"),
    ("\\boxed{C}\n\nThough B cannot be fully ruled out.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'm torn between B and C.", False, "multiple_answers"),
    ("The answer is C. B cannot be excluded entirely.", False, "multiple_answers"),
    ("Answer: C, though B cannot be ruled out.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI was torn between C and D at first.", True, None),
    ("\\boxed{C}\n\nB is a reasonable alternative only for the hottest planet.", True, None),
    ("\\boxed{C}\n\nB can be ruled out: Venus is yellow.", True, None),
    ("\\boxed{C}\n\nB is a strong contender, but its surface is yellow.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_MORE_HEDGES)
def test_mcq_more_hedges_after_the_answer(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# An option that is itself "Both A and B" (or "All of the above"): the options it names called right explain it
@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("\\boxed{C}\n\nBoth A and B are correct.", True),
        ("\\boxed{C}\n\nA and B are both correct, so C.", True),
        ("\\boxed{A}\n\nBoth A and B are correct.", False),
    ],
)
def test_mcq_both_options_called_right_for_a_both_option(check, answer: str, ok: bool) -> None:
    choices = {"A": "Mercury is hot", "B": "Venus is hot", "C": "Both A and B", "D": "Neither A nor B"}
    assert check("mcq", answer, "C", choices=choices).passed is ok


# A question asking for the exception (mcq 26): "Which statement is NOT correct?", "All of the following ... EXCEPT",
# "错误的是". The other options called correct or true explain why the answer is the exception: mcq 25 read "A is
# correct. B is correct. D is correct." as three more answers and failed the right one `multiple_answers`. There an
# option called correct or right is no answer and no hedge (unless called the correct answer), a list judging each
# option line by line commits to none, and another option called "also false" is a second answer.
NEGATED_PROMPTS = [
    "Which of the following statements is NOT correct?\nA. Mercury\nB. Venus\nC. Mars\nD. Jupiter",
    "All of the following are planets of the inner solar system EXCEPT:\n(A) Mercury\n(B) Venus\n(C) Mars\n(D) Jupiter",
    "Which of the following is not true about the planets?",
    "Which statement is incorrect?",
    "Which of these is the LEAST likely to be red?",
    "下列关于行星的说法，错误的是\nA. 水星\nB. 金星\nC. 火星\nD. 木星",
    "下列说法不正确的是",
    "次のうち正しくないものはどれか。",
]
MCQ_NEGATED_QUESTION = [
    ("\\boxed{C}\n\nA is correct. B is correct. D is correct.", True, None),
    ("\\boxed{C}\n\nA is correct, B is also correct, and D is correct as well.", True, None),
    ("The correct answer is C.\n\nA is correct because Mercury is closest. B is also correct.", True, None),
    ("The answer is C.\n\nOption D is correct since Jupiter is a gas giant.", True, None),
    ("\\boxed{C}\n\nMercury is correct. Venus is correct. Jupiter is correct.", True, None),
    ("Answer: C, since A, B and D are also correct.", True, None),
    ("**C**\n\nA is correct. B is correct. D is correct.", True, None),
    ("A. Mercury - correct\nB. Venus - correct\nC. Mars - incorrect\nD. Jupiter - correct\n\n\\boxed{C}", True, None),
    ("A. Mercury - true\nB. Venus - true\nC. Mars - false\nD. Jupiter - true\n\nThe answer is C.", True, None),
    ("\\boxed{C}\n\nB is also false.", False, "multiple_answers"),
    ("\\boxed{C}\n\nD is the correct answer.", False, "multiple_answers"),
    ("\\boxed{C}\n\nD is also a correct answer.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could also be the answer.", False, "multiple_answers"),
    ("The answer is C. Note that B might also be correct, since Venus is not red either.", False, "multiple_answers"),
    ("\\boxed{C}\n\nD is also a possibility.", False, "multiple_answers"),
    ("\\boxed{C}\n\nActually, the answer is D.", False, "multiple_answers"),
    ("Answer: C or D", False, "multiple_answers"),
    ("\\boxed{B}\n\nA is correct. C is correct. D is correct.", False, "mismatch"),
    ("A. Mercury - correct\nB. Venus - correct\nC. Mars - incorrect\nD. Jupiter - correct", False, "multiple_answers"),
]


@pytest.mark.parametrize("prompt", NEGATED_PROMPTS)
@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_NEGATED_QUESTION)
def test_mcq_question_asking_for_the_exception(registry, cfg, prompt: str, answer: str, ok: bool, detail) -> None:
    res = registry.get("mcq").check(answer, TaskSpec("t", "mcq", "C", {"choices": CHOICES}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (ok, detail)


# The answer's own option called incorrect or false after it is given, to a question asking for the exception, judges
# its statement (that is why it is the answer): mcq 25 read "\\boxed{C}\n\nC is incorrect because ..." as the answer
# called wrong and failed it `retracted`. A sentence that takes the answer back still does.
MCQ_EXCEPTION_CALLED_FALSE = [
    ("\\boxed{C}\n\nC is incorrect because Mars is red.", True, None),
    ("The answer is C.\n\nC is wrong: Mars is red, not the largest planet.", True, None),
    ("\\boxed{C}\n\nOption C is incorrect, since Mars is small.", True, None),
    ("\\boxed{C}\n\nStatement (C) is false.", True, None),
    ("\\boxed{C}\n\nThis statement is incorrect because Mars is red.", True, None),
    ("\\boxed{C}\n\nWait, C is wrong.", False, "retracted"),
    ("\\boxed{C}\n\nMy answer is wrong.", False, "retracted"),
    ("\\boxed{C}\n\nHmm, that's not right.", False, "retracted"),
    ("\\boxed{C}\n\nI made a mistake.", False, "retracted"),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_EXCEPTION_CALLED_FALSE)
def test_mcq_exception_called_false_is_no_retraction(registry, cfg, answer: str, ok: bool, detail) -> None:
    task = TaskSpec("t", "mcq", "C", {"choices": CHOICES}, prompt=NEGATED_PROMPTS[0])
    res = registry.get("mcq").check(answer, task, cfg)
    assert (res.passed, res.detail) == (ok, detail)


@pytest.mark.parametrize("answer", [answer for answer, _ok, _detail in MCQ_EXCEPTION_CALLED_FALSE[:3]])
def test_mcq_answer_called_wrong_elsewhere_is_retracted(registry, cfg, answer: str) -> None:
    task = TaskSpec("t", "mcq", "C", {"choices": CHOICES}, prompt="Which planet is red?")
    res = registry.get("mcq").check(answer, task, cfg)
    assert (res.passed, res.detail) == (False, "retracted")


# Other prompts keep the reading: another option called correct is a second answer or a hedge there, and a question
# that only mentions a negation ("Why did the probe not land ...?") asks for no exception.
@pytest.mark.parametrize(
    "prompt",
    [
        "Which planet is red?",
        "Which of the following explains why the probe did not land on the planet?",
        "Is the statement TRUE or FALSE?",
        "",
    ],
)
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{C}\n\nA is correct. B is correct. D is correct.",
        "\\boxed{C}\n\nB is also correct.",
        "Answer: C, since A, B and D are also correct.",
        "A. Mercury - correct\nB. Venus - correct\nC. Mars - incorrect\nD. Jupiter - correct\n\n\\boxed{C}",
    ],
)
def test_mcq_other_options_called_correct_elsewhere(registry, cfg, prompt: str, answer: str) -> None:
    res = registry.get("mcq").check(answer, TaskSpec("t", "mcq", "C", {"choices": CHOICES}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (False, "multiple_answers")


# (mcq 27) An answer given and then another letter given with nothing that revises the first (no correction word, no
# "but", no check, the first letter not called wrong) is a change of mind, as a box after prose committing to another
# option is (mcq 18): mcq 26 read the last statement and passed each of these for C, a trace that flips its answer
# unexplained. A correction on the line or after it ("Wait, actually", "No,", "いや、", "不对，"), a conclusion after
# "but", a check ("Let me double-check: ...") or the first letter called wrong still gives the last letter.
MCQ_CHANGED_WITHOUT_CORRECTION = [
    ("The answer is B.\n\nSo C is correct.", False, "multiple_answers"),
    ("The answer is B.\n\nSo the answer is C.", False, "multiple_answers"),
    ("The answer is B. So the answer is C.", False, "multiple_answers"),
    ("Answer: B\n\nAnswer: C", False, "multiple_answers"),
    ("I would choose B.\n\nTherefore, C.", False, "multiple_answers"),
    ("B is correct.\n\nAnswer: C", False, "multiple_answers"),
    ("**B**\n\nMars is red, so the answer is C.", False, "multiple_answers"),
    ("The answer is B.\n\nMars is covered in iron oxide. Thus the correct answer is C.", False, "multiple_answers"),
    ("答案是B。\n\n所以答案是C。", False, "multiple_answers"),
    # by an option's text: before the letter, after it (this one passed for B, the letter it abandons), or alone
    ("The answer is Venus.\n\nSo the answer is C.", False, "multiple_answers"),
    ("The answer is B.\n\nSo the answer is Mars.", False, "multiple_answers"),
    ("The answer is B. So the answer is Mars.", False, "multiple_answers"),
    ("The answer is Venus.\n\nThe answer is Mars.", False, "multiple_answers"),
    ("The answer is Venus.\n\nWait, actually the answer is Mars.", True, None),
    ("The answer is Mars.\n\nSo the answer is C.", True, None),
    ("A common mistake is to say the answer is Venus. The answer is C.", True, None),
    ("The answer is B.\n\nWait, actually the answer is C.", True, None),
    ("Answer: B. Wait, actually C.", True, None),
    ("The answer is B.\n\nHmm, but Venus is yellow, so the answer is C.", True, None),
    ("The answer is B.\n\nLet me double-check: Venus is yellow. So the answer is C.", True, None),
    ("The answer is B.\n\nNo, Venus is yellow. The answer is C.", True, None),
    ("The answer is B.\n\nOn reflection, Venus is yellow, so the answer is C.", True, None),
    ("The answer is B.\n\nB is wrong: Venus is yellow. So the answer is C.", True, None),
    ("I made an error above: the answer is B.\n\nI mean C.", True, None),
    ("答えはBです。いや、Cです。", True, None),
    ("答案是B。不对，是C。", True, None),
    ("The answer is C.\n\nSo C is correct.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_CHANGED_WITHOUT_CORRECTION)
def test_mcq_answer_changed_without_a_correction(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)
    if not ok:  # nor for the first letter
        assert check("mcq", answer, "B", choices=CHOICES).passed is False


# (mcq 27) An option whose own text names others ("All of the above", "Both A and B"): the options it names called
# right before it explain it, as for a hedge (mcq 26)
@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("A is correct. B is correct. C is correct. So the answer is D.", True),
        ("A is correct.\n\nThe answer is D.", True),
        ("The answer is A.\n\nSo the answer is D.", False),
    ],
)
def test_mcq_options_called_right_before_an_all_of_the_above(check, answer: str, ok: bool) -> None:
    choices = {"A": "Mercury is hot", "B": "Venus is hot", "C": "Mars is red", "D": "All of the above"}
    assert check("mcq", answer, "D", choices=choices).passed is ok


# (mcq 27) Another option named as the answerer's second choice, runner-up or fallback keeps it in play: mcq 26 passed
# each for C. Ranked with its reason or a limit after it, or the runner-up of something else, it explains.
MCQ_SECOND_CHOICE = [
    ("The answer is C. (B would be my second choice.)", False, "multiple_answers"),
    ("\\boxed{C}\n\nB would be my second choice.", False, "multiple_answers"),
    ("\\boxed{C}\n\nMy second choice would be B.", False, "multiple_answers"),
    ("Answer: C (B is my second choice)", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is the runner-up.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is the next most likely answer.", False, "multiple_answers"),
    ("\\boxed{C}\n\nIf I had to pick a second, it would be B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is my backup choice.", False, "multiple_answers"),
    ("The answer is C. If not C, then B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nIf not C, B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nIf not for its iron oxide, Mars would look gray.", True, None),
    ("\\boxed{C}\n\nIf I had to pick a second planet to visit, it would be Venus, but not here.", True, None),
    ("\\boxed{C}\n\nB was my second choice, but Venus is yellow.", True, None),
    ("\\boxed{C}\n\nB is a common second choice among students, but Venus is yellow.", True, None),
    ("\\boxed{C}\n\nVenus (B) is the second planet from the Sun.", True, None),
    ("\\boxed{C}\n\nB is the second-hottest planet's option.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_SECOND_CHOICE)
def test_mcq_another_option_as_a_second_choice(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# (mcq 27) More ways Hermes keeps another option in play after its answer, found by probing GPQA / MMLU-style endings:
# each passed for C. Another option named otherwise still explains.
MCQ_PROBED_HEDGES = [
    ("\\boxed{C}\n\nHowever, B could also be argued.", False, "multiple_answers"),
    ("**Answer: C** (with B as a less likely alternative)", False, "multiple_answers"),
    ("The most likely answer is C, with B being a possibility.", False, "multiple_answers"),
    ("\\boxed{C}\n\nThough honestly, B isn't out of the question.", False, "multiple_answers"),
    ("\\boxed{C}\n\nAlternatively, B.", False, "multiple_answers"),
    ("Best answer: C. Second-best: B.", False, "multiple_answers"),
    ("Answer: C\nConfidence: 70% (B is the main alternative)", False, "multiple_answers"),
    ("\\boxed{C}\n\nIf I'm wrong, it's probably B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nThat said, I wouldn't rule out B entirely.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI can't completely rule out B.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could be argued only for a planet with thick clouds.", True, None),
    ("\\boxed{C}\n\nWith B as the hottest planet, Venus cannot be red.", True, None),
    ("\\boxed{C}\n\nB is out of the question: Venus is yellow.", True, None),
    ("\\boxed{C}\n\nI would rule out B, since Venus is yellow.", True, None),
    ("\\boxed{C}\n\nAlternatively, B is ruled out by its color.", True, None),
    ("\\boxed{C}\n\nIf I'm wrong about the dust, Mars would look gray.", True, None),
]


# (mcq 27, a second probe) each passed for C
MCQ_PROBED_HEDGES += [
    ("Answer: C (90% confident; B at 10%)", False, "multiple_answers"),
    ("Answer: C (80%), B (20%)", False, "multiple_answers"),
    ("C would be my answer, B my second.", False, "multiple_answers"),
    ("Answer: C. But honestly B is just as likely.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also qualifies.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB could also qualify.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB isn't wrong either.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is also partially correct.", False, "multiple_answers"),
    ("\\boxed{C}\n\nThere's a case for B too.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB is a defensible choice.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB has some merit.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'm not sure between B and C.", False, "multiple_answers"),
    ("\\boxed{C}\n\nI'm unsure whether it's B or C.", False, "multiple_answers"),
    ("\\boxed{C}\n\nIt's either B or C.", False, "multiple_answers"),
    ("\\boxed{C}\n\nThe answer could be B depending on interpretation.", False, "multiple_answers"),
    ("\\boxed{C}\n\nB also makes some sense.", False, "multiple_answers"),
    ("Answer: C (confidence: 90%)", True, None),
    ("Answer: C\nConfidence: 95%", True, None),
    ("\\boxed{C}\n\nB is partially correct, but incomplete.", True, None),
    ("\\boxed{C}\n\nB has some merit, but Venus is yellow.", True, None),
    ("\\boxed{C}\n\nB is not wrong about its brightness, but it is yellow.", True, None),
    ("It's either B or C, but I'll go with C.", True, None),
    ("\\boxed{C}\n\nIt's either B or C at first glance; Venus is yellow, so C.", True, None),
    ("\\boxed{C}\n\nAbout 95% of Mars's surface is red; B at 460 degrees is yellow.", True, None),
    ("The answer is C (30%), not B (20%).", True, None),
    ("\\boxed{C}\n\nB: 20% is too low.", True, None),
]


@pytest.mark.parametrize(("answer", "ok", "detail"), MCQ_PROBED_HEDGES)
def test_mcq_more_ways_to_keep_another_option_in_play(check, answer: str, ok: bool, detail: str | None) -> None:
    res = check("mcq", answer, "C", choices=CHOICES)
    assert (res.passed, res.detail) == (ok, detail)


# (mcq 27) Right answers mcq 26 found none in (`no_answer`): a conclusion by elimination, "I would say D", a letter in
# square brackets, an option's text in the plural or singular ("Ribosomes" for "Ribosome"); and an answer that opens
# with a letter and prose about it ("A: Mercury is wrong.") gives no answer a later one changes (mcq 27, above); one
# that opens with the letter and its option's text alone ("A. Mercury") does
@pytest.mark.parametrize(
    ("answer", "ref", "ok"),
    [
        ("By elimination, C.", "C", True),
        ("By process of elimination, the answer is C.", "C", True),
        ("So I would say C.", "C", True),
        ("I'd say C.", "C", True),
        ("I'd say C is wrong.", "C", False),
        ("Answer: [C]", "C", True),
        ("The answer is [C].", "C", True),
        ("Answer: [B]", "C", False),
        ("The answer is most likely C.", "C", True),
        ("The answer is probably C.", "C", True),
        ("Probably C.", "C", True),
        ("Most likely C.", "C", True),
        ("C seems right.", "C", True),
        ("C seems to be the correct answer.", "C", True),
        ("The answer is probably B.", "C", False),
        ("If C seems right, check the color.", "C", False),
        ("A: Mercury is wrong. The answer is C.", "C", True),
        ("A: Mercury is closest to the Sun. The answer is C.", "C", True),
        ("A. Mercury\n\nMars is red, so the answer is C.", "C", False),
    ],
)
def test_mcq_more_right_answers_read(check, answer: str, ref: str, ok: bool) -> None:
    assert check("mcq", answer, ref, choices=CHOICES).passed is ok


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("Ribosomes", True),
        ("The answer is ribosomes.", True),
        ("Answer: (B) Ribosomes", True),
        ("Mitochondrion", False),
        ("The answer is the nuclei.", False),
    ],
)
def test_mcq_option_text_in_the_plural(check, answer: str, ok: bool) -> None:
    choices = {"A": "Mitochondria", "B": "Ribosome", "C": "Golgi apparatus", "D": "Nucleus"}
    assert check("mcq", answer, "B", choices=choices).passed is ok


# (mcq 27) A letter negated and then the one stated in Chinese ("答案不是B，而是C。"), as "The answer is not B but C."
# (mcq 26): mcq 26 found no answer there and failed the right one `no_answer`
MCQ_NOT_BUT_CHINESE = [
    ("答案不是B，而是C。", "C", True),
    ("答案不是B，而是C。", "B", False),
    ("正确答案不是B而是C。", "C", True),
    ("答案并不是B，而是C。", "C", True),
    ("所以答案不是B，而是C。", "C", True),
    ("最终答案不是 B，而是 C", "C", True),
    ("答案不是B，是C。", "C", True),
    ("答案不是B，应该是C。", "C", True),
    ("答案不是B，而是C或D。", "C", False),
    ("答案不是B。", "B", False),
    ("答案不是B，也不是C。", "C", False),
]


@pytest.mark.parametrize(("answer", "ref", "ok"), MCQ_NOT_BUT_CHINESE)
def test_mcq_letter_negated_then_stated_in_chinese(check, answer: str, ref: str, ok: bool) -> None:
    assert check("mcq", answer, ref, choices={"A": "水星", "B": "金星", "C": "火星", "D": "木星"}).passed is ok


# A capital unit symbol the prompt never names at all (math 13): "What force is needed ...?" with the reference `12 N`.
# math 12 read N as a variable unless the prompt used it as a unit, so every right `\boxed{12}` failed; a prompt that
# names the letter ("Let N be ...") still makes it a variable.
ACCEL = "What force is needed to accelerate a 3 kg mass at 4 m/s^2?"
MATH_UNIT_NOT_IN_PROMPT = [
    ("12 N", ACCEL, r"\boxed{12}", True),
    ("12 N", ACCEL, r"\boxed{12 \text{ N}}", True),
    ("12 N", ACCEL, r"\boxed{13}", False),
    ("12 N", ACCEL, r"\boxed{12 \text{ J}}", False),
    ("6 V", "What is the voltage across the 3 ohm resistor carrying 2 amps?", r"\boxed{6}", True),
    ("4 A", "Find the current through the wire.", r"\boxed{4}", True),
    ("5 N", "Let N be a positive integer. Simplify 2N + 3N.", r"\boxed{5}", False),
    ("3 T", "Simplify $T + 2T$.", r"\boxed{3}", False),
]


@pytest.mark.parametrize(("ref", "prompt", "answer", "ok"), MATH_UNIT_NOT_IN_PROMPT)
def test_math_reads_a_unit_symbol_the_prompt_never_names(registry, cfg, ref: str, prompt: str, answer: str, ok: bool):
    task = TaskSpec("t", "math", ref, {}, prompt=prompt)
    assert registry.get("math").check(answer, task, cfg).passed is ok


# The same unit with another SI prefix (math 13, numeric 8): converted before the numbers are compared. math 12 and
# numeric 7 failed `\boxed{5000 \Omega}` for `5 k\Omega` and `0.5 A` for `500 mA` as `unit_mismatch`.
SI_PREFIXES = [
    ("5 k\\Omega", r"\boxed{5000 \Omega}", True, None),
    ("500 mA", r"\boxed{0.5 \text{ A}}", True, None),
    ("2.5 cm", r"\boxed{0.025 \text{ m}}", True, None),
    ("12 cm^2", r"\boxed{0.0012 \text{ m}^2}", True, None),
    ("3 km", r"\boxed{3000 \text{ m}}", True, None),
    ("250 g", r"\boxed{0.25 \text{ kg}}", True, None),
    ("1.5 l", r"\boxed{1500 \text{ mL}}", True, None),
    ("5 k\\Omega", r"\boxed{500 \Omega}", False, "mismatch"),
    ("12 cm^2", r"\boxed{0.12 \text{ m}^2}", False, "mismatch"),
    ("3 km", r"\boxed{3 \text{ m}}", False, "mismatch"),
    # other units are not converted
    ("3 km", r"\boxed{3 \text{ kg}}", False, "unit_mismatch"),
    ("3 min", r"\boxed{180 \text{ s}}", False, "unit_mismatch"),
    ("12 cm^2", r"\boxed{0.12 \text{ m}}", False, "unit_mismatch"),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), SI_PREFIXES)
def test_math_and_numeric_convert_an_si_prefix(check, ref: str, answer: str, ok: bool, detail: str | None) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, detail)
    if "Omega" not in ref:  # numeric reads plain unit symbols
        res = check("numeric", answer, ref)
        assert (res.passed, res.detail) == (ok, detail)


# A final answer given as a sentence that states several numbers (math 13): math-verify reads its last number, so
# "The train travels 120 km in 2 hours." passed for 2 and failed for 120, whichever the question asked. Which one
# the response gives as its answer is unknown: `multiple_answers`, as `numeric` has done since version 2.
MATH_PROSE_NUMBERS = [
    ("2", "**Final Answer**\nThe train travels 120 km in 2 hours.", False, "multiple_answers"),
    ("120", "Answer: The train travels 120 km in 2 hours.", False, "multiple_answers"),
    ("6", "The answer is 42 apples in 6 bags.", False, "multiple_answers"),
    # one number in words, or numbers of one expression
    ("42", "The answer is 42 apples.", True, None),
    ("3/4", "Answer: \\frac{3}{4}", True, None),
    ("3", "Answer: x = 3", True, None),
    ("2", "Answer: 2 (the other root, -3, is rejected)", True, None),
    ("2", "\\boxed{2}\n\nThe train travels 120 km in 2 hours.", True, None),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), MATH_PROSE_NUMBERS)
def test_math_fails_a_sentence_that_states_several_numbers(check, ref: str, answer: str, ok: bool, detail) -> None:
    res = check("math", answer, ref)
    assert (res.passed, res.detail) == (ok, detail)


# An answer called wrong after it was given, with no other given (math 14, numeric 9, exact 8, mcq 10): a trace that
# ends doubting its own answer passed for the box ("\boxed{12} Wait, that's wrong."), a wrong training row.
RETRACTED = [
    ("math", "12", "\\boxed{12}\n\nWait, that's wrong.", False),
    ("math", "12", "\\boxed{12}\n\nWait, 12 is wrong.", False),
    ("math", "12", "\\boxed{12}\n\nActually, I made an error somewhere.", False),
    ("math", "12", "The answer is 12.\n\nHmm, that doesn't seem right.", False),
    ("math", "12", "\\boxed{12}\n\nThis answer is incorrect; I need to redo it.", False),
    ("numeric", "12", "\\boxed{12}\n\nWait, that's wrong.", False),
    ("exact", "Paris", "\\boxed{Paris}\n\nWait, that is incorrect.", False),
    ("mcq", "C", "\\boxed{C}\n\nWait, C is wrong.", False),
    ("mcq", "C", "\\boxed{C}\n\nHmm, actually that's not right.", False),
    # a question, a check that confirms it, the doubt taken back, another value's mistake
    ("math", "12", "\\boxed{12}\n\nWait, is that wrong? No: 5 + 7 = 12.", True),
    ("math", "12", "\\boxed{12}\n\nWait, that's wrong... no, it is right.", True),
    ("math", "12", "\\boxed{12}\n\nActually, that's not wrong: 5 + 7 = 12.", True),
    ("math", "12", "\\boxed{12}\n\nI made an error in step 2, but the final answer is still 12.", True),
    ("math", "12", "\\boxed{12}\n\nA common mistake is 14; that is wrong.", True),
    ("mcq", "C", "\\boxed{C}\n\nA is wrong because Mercury is grey.", True),
]


@pytest.mark.parametrize(("verifier", "ref", "answer", "ok"), RETRACTED)
def test_an_answer_called_wrong_after_it_was_given_fails(check, verifier: str, ref: str, answer: str, ok: bool) -> None:
    args = {"choices": CHOICES} if verifier == "mcq" else {}
    res = check(verifier, answer, ref, **args)
    assert (res.passed, res.detail) == (ok, None if ok else "retracted")


PROSE_FINAL = [
    # a one-line final answer in words with one number is that number (math 16; math 15 read the words as symbols,
    # so a right answer failed `mismatch`)
    ("math", "624", "He writes 624 pages a year.", True),
    ("math", "624", "So 624 pages.", True),
    ("math", "624", "So he writes 625 pages.", "mismatch"),
    ("math", "10", "She earned $10 in total.", True),
    ("math", "10", "She earned \\$10 in total.", True),
    ("math", "0.5", "The probability is 0.5.", True),
    ("math", "\\frac{1}{2}", "The ratio is 1/2.", True),
    ("math", "1000", "There are 1,000 marbles.", True),
    ("math", "25\\%", "The discount is 25%.", True),
    ("math", "5 cm", "The side is 5 cm long.", True),
    ("math", "5 cm", "The side is 5 mm long.", "mismatch"),  # 0.5 cm (`si_scale`)
    ("math", "5 cm", "The side is 5 kg heavy.", "unit_mismatch"),
    ("math", "-3", "The temperature is -3 degrees.", True),
    # maths is left to math-verify: a variable on the number, an equation, a function name
    ("math", "3", "The value is 3x.", "mismatch"),
    ("math", "6", "So 2 + 4 is the total.", "mismatch"),
    ("math", "1", "The answer is sin 1.", "mismatch"),
    # a bound or a negation states no value (math 16 and numeric 11; numeric 10 read the number and passed these)
    ("numeric", "624", "He writes more than 624 pages.", "no_answer"),
    ("numeric", "624", "It is not 624 pages.", "no_answer"),
    ("numeric", "624", "At least 624 pages.", "no_answer"),
    ("numeric", "624", "He writes up to 624 pages.", "no_answer"),
    ("numeric", "624", "Fewer than 624 pages.", "no_answer"),
    ("numeric", "624", "The answer is no more than 624.", "no_answer"),
    ("numeric", "624", "He can't write 624 pages.", "no_answer"),
    ("math", "624", "He writes more than 624 pages.", "no_answer"),
    ("math", "624", "It is not 624 pages.", "no_answer"),
    ("math", "624", "The answer is at least 624.", "no_answer"),
    ("numeric", "624", "He writes 624 pages.", True),
    ("numeric", "624", "Answer: 624 pages, more than last year.", True),
    ("numeric", "0.75", "3 over 4", False),  # not a bound; a fraction in words is not read either
    ("math", "5", "The answer is 5, not 6.", True),
]


@pytest.mark.parametrize(("verifier", "ref", "answer", "ok"), PROSE_FINAL)
def test_a_final_sentence_states_its_one_number(check, verifier: str, ref: str, answer: str, ok: bool | str) -> None:
    res = check(verifier, answer, ref)
    detail = ok if isinstance(ok, str) else None if ok else res.detail
    assert (res.passed, res.detail) == (ok is True, detail), res


@pytest.mark.parametrize(
    ("keyword", "text"),
    [("C++", "I write C++17 daily."), ("C#", "C#10 is out."), ("#1", "Ranked#1 today."), (".NET", "Use ASP.NET.")],
)
def test_ifeval_forbidden_keyword_with_a_symbol_at_its_edge(check, keyword: str, text: str) -> None:
    """A keyword that ends (or starts) with a symbol has no word edge there: "C++17" holds "C++". `forbid_keywords`
    looked for a non-word character after "++" and passed "I write C++17 daily." for a task forbidding C++."""
    res = check("ifeval", text, None, constraints=[{"type": "forbid_keywords", "keywords": [keyword]}])
    assert (res.passed, res.detail) == (False, "forbid_keywords")
    assert check("ifeval", text, None, constraints=[{"type": "include_keywords", "keywords": [keyword]}]).passed


@pytest.mark.parametrize(
    ("constraint", "echo"),
    [
        ({"type": "end_with", "phrase": "Any questions?"}, "Any questions?"),
        ({"type": "start_with", "phrase": "Dear Sir,"}, "Dear Sir,"),
    ],
)
def test_ifeval_an_answer_that_is_only_the_phrase_follows_nothing(check, constraint: dict, echo: str) -> None:
    """As IFEval's end_checker: an answer that is only the phrase it must start or end with passed, a row with no
    answer in it."""
    res = check("ifeval", echo, None, constraints=[constraint])
    assert (res.passed, res.detail) == (False, constraint["type"])


def test_ifeval_keyword_frequency_counts_a_keyword_with_a_symbol_at_its_edge(check) -> None:
    """`keyword_frequency` counted with its own pattern, `include_keywords`' twin before it learned that a keyword's
    symbol is its own edge: "C++17 and C++20" held C++ zero times."""
    c = {"type": "keyword_frequency", "keyword": "C++", "min": 2}
    assert check("ifeval", "C++17 and C++20 are both C++ standards.", None, constraints=[c]).passed
    assert not check("ifeval", "C++17 is out.", None, constraints=[c]).passed
    assert not check("ifeval", "cat catalog", None, constraints=[{**c, "keyword": "cat"}]).passed  # whole words


# A unit symbol keeps its case, and an SI unit's name is its symbol (math 21, numeric 16): `unit_of` lower-cased every
# unit of three letters, so `2 \text{ mPa}` passed for `2 MPa` and `5 \text{ meV}` for `5 MeV`, while `2000 kPa` and
# `5000 Hz` failed `unit_mismatch` for them; `2500 \text{ milliliters}` failed `2500 mL` (`unit_mismatch`).
UNIT_SYMBOLS_AND_NAMES = [
    ("2 MPa", r"\boxed{2 \text{ mPa}}", False, "mismatch"),  # 2e-9 MPa
    ("5 MeV", r"\boxed{5 \text{ meV}}", False, "mismatch"),
    ("5 mHz", r"\boxed{5 \text{ MHz}}", False, "mismatch"),
    ("2 MPa", r"\boxed{2000 \text{ kPa}}", True, None),
    ("5 kHz", r"\boxed{5000 \text{ Hz}}", True, None),
    ("5 MeV", r"\boxed{5000 \text{ keV}}", True, None),
    ("2500 mL", r"\boxed{2500 \text{ milliliters}}", True, None),
    ("2500 mL", r"\boxed{2500 \text{ millilitres}}", True, None),
    ("2500 mL", r"\boxed{2.5 \text{ litres}}", True, None),
    ("300 cm", r"\boxed{300 \text{ Centimeters}}", True, None),
    ("12 N", r"\boxed{12 \text{ newtons}}", True, None),
    ("5 kHz", r"\boxed{5 \text{ kilohertz}}", True, None),
    ("40 mg", r"\boxed{40 \text{ milligrams}}", True, None),
    ("250 ms", r"\boxed{250 \text{ milliseconds}}", True, None),
    ("3 kJ", r"\boxed{3000 \text{ joules}}", True, None),
    ("2500 mL", r"\boxed{2500 \text{ liters}}", False, "mismatch"),
    ("12 N", r"\boxed{12 \text{ joules}}", False, "unit_mismatch"),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), UNIT_SYMBOLS_AND_NAMES)
def test_a_unit_symbol_keeps_its_case_and_a_unit_name_is_its_symbol(check, ref, answer, ok, detail) -> None:
    for verifier in ("math", "numeric"):
        res = check(verifier, answer, ref)
        assert (res.passed, res.detail) == (ok, detail), verifier


# A prompt that asks for the answer in a unit (math 21, numeric 16): an answer in that unit with another SI prefix is
# the given quantity echoed, not converted, and fails `unit_mismatch` (math 20 and numeric 15 converted it, so
# `\boxed{3 \text{ m}}` passed "How many centimeters is that?" for `300 cm`). A bare number, the asked unit in another
# spelling, and another prefix where the prompt asks for no unit (math 13) pass as before.
ROPE = "A rope is 3 m long. How many centimeters is that?"
TANK = "A water tank holds 2.5 liters. How many milliliters is that?"
BAG = "A bag weighs 1.2 kg. What is its mass in grams?"
TOTAL = "A rod of 3 m and one of 50 cm are joined. What is the total length (in meters)?"
ASKED_UNIT = [
    (ROPE, "300 cm", r"\boxed{3 \text{ m}}", False),
    (ROPE, "300 cm", r"\boxed{3000 \text{ mm}}", False),
    (ROPE, "300 cm", "The rope is 3 m long.", False),
    (TANK, "2500 mL", r"\boxed{2.5 \text{ L}}", False),
    (TANK, "2500 mL", r"\boxed{2.5 \text{ liters}}", False),
    (BAG, "1200", r"\boxed{1200 \text{ kg}}", False),
    (TOTAL, "3.5 m", r"\boxed{350 \text{ cm}}", False),
    ("Express 2.5 L in mL.", "2500 mL", r"\boxed{2.5 \text{ L}}", False),
    ("What is the area of the square in square centimeters?", "40000 cm^2", r"\boxed{4 \text{ m}^2}", False),
    (ROPE, "300 cm", r"\boxed{300}", True),
    (ROPE, "300 cm", r"\boxed{300 \text{ cm}}", True),
    (ROPE, "300 cm", r"\boxed{300 \text{ centimeters}}", True),
    (TANK, "2500 mL", r"\boxed{2500 \text{ mL}}", True),
    (BAG, "1200", r"\boxed{1200 \text{ g}}", True),
    (TOTAL, "3.5 m", r"\boxed{3.5 \text{ m}}", True),
    ("What is the speed in meters per second?", "5 m/s", r"\boxed{5 \text{ m/s}}", True),
    ("A rod of 3 m and one of 50 cm are joined. What is the total length?", "3.5 m", r"\boxed{350 \text{ cm}}", True),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "ok"), ASKED_UNIT)
def test_an_answer_in_the_asked_unit_with_another_prefix_fails(registry, cfg, prompt, ref, answer, ok) -> None:
    for verifier in ("math", "numeric"):
        res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
        assert res.passed is ok, verifier
        assert verifier == "numeric" or res.detail == (None if ok else "unit_mismatch")  # numeric: 3 is no 300


# A reference without a unit is not met by an answer in a unit the prompt does not use for that quantity, nor in
# another unit than the prompt asks (math 32): math-verify strips the unit, so `\boxed{5 \text{ m}}` and "The length is
# 5 mm." passed "A rectangle has width 2 cm ... What is its length?" for 5, and `\boxed{1.5 \text{ minutes}}` passed
# "How many hours does he run?" for 1.5 (math 21 knew asked SI units with another prefix only). A unit of another
# kind than the prompt's (`m/s` for metres and seconds), or one the prompt uses, passes as before.
LENGTH_Q = "A rectangle has width 2 cm and area 10 cm^2. What is its length?"
HOURS_Q = "Sam runs for 90 minutes. How many hours does he run?"
TAP_Q = "A tap fills $3 \\text{ L/min}$. How long does it take to fill 12 L?"
SPEED_Q = "A car drives 120 km at 60 km/h. How long does it take?"
UNIT_NOT_IN_PROMPT = [
    (LENGTH_Q, "5", r"\boxed{5 \text{ m}}", "unit_mismatch"),
    (LENGTH_Q, "5", r"\boxed{5 \text{ mm}}", "unit_mismatch"),
    (LENGTH_Q, "5", "The length is 5 mm.", "unit_mismatch"),
    (LENGTH_Q, "5", "The length is 5 meters.", "unit_mismatch"),
    (HOURS_Q, "1.5", r"\boxed{1.5 \text{ minutes}}", "unit_mismatch"),
    (HOURS_Q, "1.5", "He runs for 1.5 minutes.", "unit_mismatch"),
    ("The box weighs 2 kg. What is the mass of 3 such boxes?", "6", r"\boxed{6 \text{ g}}", "unit_mismatch"),
    ("How many feet long is a 4 yd rope?", "12", r"\boxed{12 \text{ inches}}", "unit_mismatch"),
    (LENGTH_Q, "5", r"\boxed{5 \text{ cm}}", None),
    (LENGTH_Q, "5", "The length is 5 cm.", None),
    (LENGTH_Q, "5", r"\boxed{5}", None),
    (LENGTH_Q, "5", r"\boxed{x = 5 \text{ cm}}", None),
    (HOURS_Q, "1.5", r"\boxed{1.5 \text{ hours}}", None),
    (HOURS_Q, "1.5", "He runs for 1.5 hours.", None),
    (HOURS_Q, "1.5", r"\boxed{1.5}", None),
    ("The box weighs 2 kg. What is the mass of 3 such boxes?", "6", r"\boxed{6 \text{ kg}}", None),
    ("How many feet long is a 4 yd rope?", "12", r"\boxed{12 \text{ feet}}", None),
    ("A square has perimeter 20 units. What is its side length?", "5", r"\boxed{5 \text{ units}}", None),
    ("Tom has 3 dollars and earns 2 more. How much money does he have?", "5", "He has 5 dollars.", None),
    ("A car travels 10 meters in 2 seconds. What is its speed?", "5", r"\boxed{5 \text{ m/s}}", None),
    ("A car travels 10 meters in 2 seconds. What is its speed?", "5", "The speed is 5 meters per second.", None),
    ("In how many ways can 3 books be arranged?", "6", r"\boxed{6}", None),
    ("What is the speed in m/s?", "5", r"\boxed{5 \text{ m s}^{-1}}", None),
    ("A pool is 10 m long and 5 m wide. What is its area?", "50", r"\boxed{50 \text{ m}^2}", None),
    ("A train travels 300 km in 2 hours. What is its speed?", "150", r"\boxed{150 \text{ km/h}}", None),
    ("He works 8 hours a day for 5 days. How many hours does he work?", "40", r"\boxed{40 \text{ h}}", None),
    # a compound unit in the prompt gives its own units (math 33: math 32 read `km/h` as km only, so a time in minutes
    # was of another kind than the prompt's and passed)
    (SPEED_Q, "2", r"\boxed{2 \text{ minutes}}", "unit_mismatch"),
    (SPEED_Q, "2", "It takes 2 minutes.", "unit_mismatch"),
    (SPEED_Q, "2", r"\boxed{2 \text{ s}}", "unit_mismatch"),
    (TAP_Q, "4", r"\boxed{4 \text{ s}}", "unit_mismatch"),
    (SPEED_Q, "2", r"\boxed{2 \text{ hours}}", None),
    (SPEED_Q, "2", r"\boxed{2 \text{ h}}", None),
    (SPEED_Q, "2", "It takes 2 hours.", None),
    (SPEED_Q, "2", r"\boxed{2}", None),
    (TAP_Q, "4", r"\boxed{4 \text{ min}}", None),
    ("A car drives at 60 km/h for 3 hours. How far does it go?", "180", r"\boxed{180 \text{ km}}", None),
    ("A stone falls at 9.8 m/s^2 for 2 s. What is its speed?", "19.6", r"\boxed{19.6 \text{ m/s}}", None),
    (
        "Ann moved from first to second place in a 100 m race. How far did she run?",
        "100",
        r"\boxed{100 \text{ m}}",
        None,
    ),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), UNIT_NOT_IN_PROMPT)
def test_math_a_bare_reference_is_not_met_by_a_unit_the_prompt_does_not_use(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# numeric judges them as math 32 does (numeric 28: numeric 27 passed `\boxed{5 \text{ m}}`, "The length is 5 mm." and
# `\boxed{1.5 \text{ minutes}}` for the bare references above)
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), UNIT_NOT_IN_PROMPT)
def test_numeric_a_bare_reference_is_not_met_by_a_unit_the_prompt_does_not_use(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("numeric").check(answer, TaskSpec("t", "numeric", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A compound unit is a product of powers of (prefixed) unit symbols (math 26, numeric 21): `kJ/mol`, `kJ mol^{-1}`
# and `kJ\cdot mol^{-1}` are one unit, `m/s^2` is `m s^{-2}`, and `M` is `mol/L`; two such units of the same symbols
# are converted by their prefixes. math 25 and numeric 20 read `kJ mol^{-1}` as `kjmol^-1` and `m s^{-2}` as
# millisecond^-2, and failed every right answer so written (`unit_mismatch`), as they failed `-285800 J/mol` for
# `-285.8 kJ/mol` and `3 \times 10^5 km/s` for `3.0 \times 10^8 m/s`; they ignored the unit `J/(mol K)`, so
# `\boxed{8.314 \text{ J/mol}}` passed for it.
ENTHALPY = "-285.8 kJ/mol"
COMPOUND_UNITS = [
    (ENTHALPY, r"\boxed{-285800 \text{ J/mol}}", True, None),
    (ENTHALPY, r"\boxed{-285.8 \text{ kJ mol}^{-1}}", True, None),
    (ENTHALPY, r"\boxed{-285.8\ \mathrm{kJ\cdot mol^{-1}}}", True, None),
    (ENTHALPY, r"\boxed{-285.8\ \text{kJ}\,\text{mol}^{-1}}", True, None),
    (ENTHALPY, "\\boxed{-285.8 \\text{ kJ\u00b7mol\u207b\u00b9}}", True, None),
    (ENTHALPY, r"\boxed{-285.8 \text{ J/mol}}", False, "mismatch"),
    (ENTHALPY, r"\boxed{-285.8 \text{ J mol}^{-1}}", False, "mismatch"),
    (ENTHALPY, r"\boxed{-285.8 \text{ kJ}}", False, "unit_mismatch"),
    (ENTHALPY, r"\boxed{-285.8 \text{ kJ mol}}", False, "unit_mismatch"),
    ("9.8 m/s^2", r"\boxed{9.8 \text{ m s}^{-2}}", True, None),
    ("9.8 m/s^2", r"\boxed{980 \text{ cm/s}^2}", True, None),
    ("9.8 m/s^2", r"\boxed{9.8 \text{ m/s}}", False, "unit_mismatch"),
    ("9.8 m/s^2", r"\boxed{9.8 \text{ m s}^{-1}}", False, "unit_mismatch"),
    ("9.8 m/s^2", r"\boxed{9.8 \text{ ms}^{-2}}", False, "unit_mismatch"),  # millisecond^-2
    ("9.8 m/s^2", r"\boxed{9.8 \text{ cm/s}^2}", False, "mismatch"),
    (r"3.0 \times 10^8 m/s", r"\boxed{3 \times 10^5 \text{ km/s}}", True, None),
    (r"3.0 \times 10^8 m/s", r"\boxed{3 \times 10^8 \text{ km/s}}", False, "mismatch"),
    ("12 m/s", r"\boxed{43.2 \text{ km/h}}", False, "unit_mismatch"),  # other units are not converted
    (r"1.2 \times 10^{-5} M", r"\boxed{1.2 \times 10^{-5} \text{ mol/L}}", True, None),
    (r"1.2 \times 10^{-5} M", r"\boxed{1.2 \times 10^{-2} \text{ mM}}", True, None),
    ("0.5 mol/L", r"\boxed{0.5 \text{ M}}", True, None),
    ("0.5 mol/L", r"\boxed{0.5 \text{ mol L}^{-1}}", True, None),
    (r"1.2 \times 10^{-5} M", r"\boxed{1.2 \times 10^{-5} \text{ mol/mL}}", False, "mismatch"),
    (r"1.2 \times 10^{-5} M", r"\boxed{1.2 \times 10^{-5} \text{ mol}}", False, "unit_mismatch"),
    ("8.314 J/(mol K)", r"\boxed{8.314 \text{ J mol}^{-1} \text{K}^{-1}}", True, None),
    ("8.314 J/(mol K)", "\\boxed{8.314 \\text{ J/(mol\u00b7K)}}", True, None),
    ("8.314 J/(mol K)", r"\boxed{8.314 \text{ J/mol}}", False, "unit_mismatch"),
    ("5 mmol/mol", r"\boxed{5 \text{ mg/kg}}", False, "unit_mismatch"),  # a mass fraction is no mole fraction
    ("1.5 kg/m^3", r"\boxed{1.5 \text{ kg m}^{-3}}", True, None),
    ("1.5 kg/m^3", r"\boxed{1.5 \text{ kg/m}^2}", False, "unit_mismatch"),
    # `A/B C` is A/(B C), as chemistry and physics texts write it (math 29, numeric 23: `J/mol K` was no unit, so
    # `\boxed{8.314 \text{ J/mol}}` passed for it and `J mol^{-1} K^{-1}` failed; `J/g K` was refused as variables)
    ("8.314 J/mol K", r"\boxed{8.314 \text{ J/mol}}", False, "unit_mismatch"),
    ("8.314 J/mol K", r"\boxed{8.314 \text{ J mol}^{-1} \text{K}^{-1}}", True, None),
    ("8.314 J/mol K", r"\boxed{8.314 \text{ J/(mol K)}}", True, None),
    ("8.314 J/mol K", r"\boxed{8.314}", True, None),
    ("8.314 J/mol K", r"\boxed{8.314 \text{ J K/mol}}", False, "unit_mismatch"),
    ("8.314 J/(mol K)", r"\boxed{8.314 \text{ J/mol K}}", True, None),
    ("4.18 J/g K", r"\boxed{4180 \text{ J/(kg K)}}", True, None),
    ("4.18 J/g K", r"\boxed{4.18}", True, None),
    ("4.18 J/g K", r"\boxed{4.18 \text{ J/g}}", False, "unit_mismatch"),
    ("0.6 W/m K", r"\boxed{0.6 \text{ W/(m K)}}", True, None),
    ("25 W/m^2 K", r"\boxed{25 \text{ W m}^{-2} \text{K}^{-1}}", True, None),
    ("25 W/m^2 K", r"\boxed{25 \text{ W/m^2}}", False, "unit_mismatch"),
    ("8.314 J/(mol K)", "The gas constant is 8.314 J/mol K.", True, None),  # a sentence: the unit to its end
    ("5 m/s", "The car moves at 5 m/s in a straight line.", True, None),  # `in` is no inch here
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), COMPOUND_UNITS)
def test_a_compound_unit_is_read_by_its_symbols_and_prefixes(registry, cfg, ref, answer, ok, detail) -> None:
    for verifier, args in (("math", {}), ("numeric", {"rel_tol": 0.01})):
        res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, args, prompt="Compute it."), cfg)
        assert (res.passed, res.detail) == (ok, detail), verifier


# A prompt that asks for a compound unit ("in kJ/mol", "to m/s") takes no other prefix of it, as a simple unit
# (`off_asked_unit`): `-285800 J/mol` for "in kJ/mol" is the quantity in another unit than asked.
ASKED_COMPOUND = [
    ("What is the enthalpy of formation in kJ/mol?", ENTHALPY, r"\boxed{-285800 \text{ J/mol}}", False),
    ("What is the enthalpy of formation in kJ/mol?", ENTHALPY, r"\boxed{-285.8 \text{ kJ mol}^{-1}}", True),
    ("What is the enthalpy of formation in kJ/mol?", ENTHALPY, r"\boxed{-285.8}", True),
    ("Convert 36 km/h to m/s.", "10 m/s", r"\boxed{0.01 \text{ km/s}}", False),
    ("Convert 36 km/h to m/s.", "10 m/s", r"\boxed{10 \text{ m s}^{-1}}", True),
    ("What is the speed in m/s for the car?", "10 m/s", r"\boxed{10 \text{ m/s}}", True),
    ("What is the enthalpy of formation?", ENTHALPY, r"\boxed{-285800 \text{ J/mol}}", True),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "ok"), ASKED_COMPOUND)
def test_an_answer_in_the_asked_compound_unit_with_another_prefix_fails(registry, cfg, prompt, ref, answer, ok):
    for verifier in ("math", "numeric"):
        res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
        assert (res.passed, res.detail) == (ok, None if ok else "unit_mismatch"), verifier


# A percentage against a reference without one (math 21, numeric 16) is its value (`50\%` is 0.5), and where the
# prompt asks for a percentage ("What percent of 80 is 20?", "as a percentage", "rate") its number too. math 20 passed
# `\boxed{45\%}` for "what is the number?" (45: math-verify equates `45\%` with an integer) and failed `\boxed{25\%}`
# for 25.0 where it passed it for 25; numeric 15 failed `25\%` for "What percent of 80 is 20?" (25).
NUMBER_Q = "If 40% of a number is 18, what is the number?"
PERCENT_Q = "What percent of 80 is 20?"
PERCENTS = [
    (NUMBER_Q, "45", r"\boxed{45\%}", False),
    ("What is the probability of rain?", "0.45", r"\boxed{45\%}", True),
    (NUMBER_Q, "45", "The number is 45%.", False),
    ("How many students are in the school?", "275", r"\boxed{275\%}", False),
    ("What is 10% of 250?", "25.0", r"\boxed{25\%}", False),
    ("What is 10% of 250?", "25", r"\boxed{25\%}", False),
    (PERCENT_Q, "25", r"\boxed{25\%}", True),
    (PERCENT_Q, "25.0", r"\boxed{25\%}", True),
    (PERCENT_Q, "25", r"\boxed{4500\%}", False),
    ("Give the discount as a percentage.", "20", r"\boxed{20\%}", True),
    ("What is the annual interest rate?", "5", "The rate is 5%.", True),
    # a percentage reference, and the plain answers, as before
    (PERCENT_Q, "25\\%", r"\boxed{25\%}", True),
    # math 22, numeric 17: the number of a percentage reference where the prompt asks for one (numeric 16 failed it)
    (PERCENT_Q, "25\\%", r"\boxed{25}", True),
    (PERCENT_Q, "25\\%", "The answer is 25.", True),
    (PERCENT_Q, "25\\%", r"\boxed{20}", False),
    (PERCENT_Q, "25\\%", r"\boxed{2500}", False),
    (NUMBER_Q, "45", r"\boxed{45}", True),
    ("What is 10% of 250?", "25.0", r"\boxed{25}", True),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "ok"), PERCENTS)
def test_a_percentage_answers_only_a_prompt_that_asks_for_one(registry, cfg, prompt, ref, answer, ok) -> None:
    for verifier in ("math", "numeric"):
        res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
        assert (res.passed, res.detail) == (ok, None if ok else "mismatch"), verifier


# A prompt that asks for a fraction in lowest terms ("in lowest terms", "simplest form", "Simplify 18/24") needs the
# answer's fractions reduced (math 21): math 20 passed `\boxed{\frac{18}{24}}` for "Simplify 18/24." (3/4) and
# `\boxed{\frac{22}{24}}` for "... Express your answer in lowest terms." (11/12).
LOWEST = "Simplify 18/24. Give the answer as a fraction in lowest terms."
SUM = "What is 3/4 + 1/6? Express your answer in simplest form."
COMMON_Q = "What is $\\frac{1}{2} + \\frac{1}{4}$? Express your answer as a common fraction."
RADICAL_Q = "What is the diagonal of a square of side 2? Express your answer in simplest radical form."
LOWEST_TERMS = [
    (LOWEST, "3/4", r"\boxed{\frac{18}{24}}", False),
    (LOWEST, "3/4", r"\boxed{\frac{6}{8}}", False),
    (LOWEST, "3/4", "The answer is 6/8.", False),
    (LOWEST, "-3/4", r"\boxed{-\dfrac{6}{8}}", False),
    (SUM, "\\frac{11}{12}", r"\boxed{\frac{22}{24}}", False),
    ("Write 1.5 as a mixed number in lowest terms.", "1\\frac{1}{2}", r"\boxed{1\frac{2}{4}}", False),
    ("Reduce 10/4 to lowest terms.", "\\frac{5}{2}", r"\boxed{\frac{10}{4}}", False),
    (LOWEST, "3/4", r"\boxed{\frac{3}{4}}", True),
    (LOWEST, "3/4", "The answer is 3/4.", True),
    (SUM, "\\frac{11}{12}", r"\boxed{\frac{11}{12}}", True),
    (SUM, "\\frac{11}{12}", r"\boxed{\frac{9}{12} + \frac{2}{12} = \frac{11}{12}}", True),
    ("Simplify $\\frac{\\sqrt{8}}{2}$.", "\\sqrt{2}", r"\boxed{\sqrt{2}}", True),
    # a prompt that asks for no reduced form: an equal fraction passes as before
    ("What is 3/4 + 1/6?", "\\frac{11}{12}", r"\boxed{\frac{22}{24}}", True),
    # math 22: a common fraction is in lowest terms (MATH's "Express your answer as a common fraction.", whose
    # references are reduced), and a radical in simplest radical form has no square factor under its root and no root
    # in a denominator (math 21 passed `\boxed{\sqrt{8}}` for `2\sqrt{2}`, and echoed the prompt's `\frac{\sqrt{8}}{2}`)
    (COMMON_Q, "\\frac{3}{4}", r"\boxed{\frac{6}{8}}", False),
    (COMMON_Q, "\\frac{3}{4}", r"\boxed{\frac{3}{4}}", True),
    (RADICAL_Q, "2\\sqrt{2}", r"\boxed{\sqrt{8}}", False),
    (RADICAL_Q, "2\\sqrt{2}", r"\boxed{2\sqrt{2}}", True),
    (RADICAL_Q, "\\frac{5\\sqrt{3}}{3}", r"\boxed{\frac{10\sqrt{3}}{6}}", False),
    (RADICAL_Q, "\\frac{5\\sqrt{3}}{3}", r"\boxed{\frac{5\sqrt{3}}{3}}", True),
    (
        "Rationalize and write in simplest radical form: $\\frac{1}{\\sqrt{2}}$.",
        "\\frac{\\sqrt{2}}{2}",
        r"\boxed{\frac{1}{\sqrt{2}}}",
        False,
    ),
    (
        "Rationalize and write in simplest radical form: $\\frac{1}{\\sqrt{2}}$.",
        "\\frac{\\sqrt{2}}{2}",
        r"\boxed{\frac{\sqrt{2}}{2}}",
        True,
    ),
    ("Simplify $\\frac{\\sqrt{8}}{2}$.", "\\sqrt{2}", r"\boxed{\frac{\sqrt{8}}{2}}", False),
    ("Simplify $\\sqrt[3]{16}$.", "2\\sqrt[3]{2}", r"\boxed{\sqrt[3]{16}}", False),
    ("Simplify $\\sqrt[3]{16}$.", "2\\sqrt[3]{2}", r"\boxed{2\sqrt[3]{2}}", True),
    (RADICAL_Q, "2\\sqrt{2}", r"\boxed{\sqrt{4} \cdot \sqrt{2} = 2\sqrt{2}}", True),
    ("What is the diagonal of a square of side 2?", "2\\sqrt{2}", r"\boxed{\sqrt{8}}", True),  # asks no form
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "ok"), LOWEST_TERMS)
def test_math_a_fraction_asked_in_lowest_terms_must_be_reduced(registry, cfg, prompt, ref, answer, ok) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (ok, None if ok else "not_reduced")


# A bare number against a reference with a unit symbol math-verify does not strip (`2500 mL`, `5 kHz`, `2 MPa`) is
# compared by number, as against `300 cm` (math 21: math-verify read `mL` as m*L, so `\boxed{2500}` failed `mismatch`).
BARE_AGAINST_UNIT = [
    ("2500 mL", r"\boxed{2500}", True),
    ("5 kHz", r"\boxed{5}", True),
    ("2 MPa", r"\boxed{2}", True),
    ("300 cm", r"\boxed{300}", True),
    ("2500 mL", r"\boxed{2.5}", False),
    ("5 kHz", r"\boxed{5000}", False),
]


@pytest.mark.parametrize(("ref", "answer", "ok"), BARE_AGAINST_UNIT)
def test_math_a_bare_number_against_a_unit_symbol_is_compared_by_number(check, ref: str, answer: str, ok: bool) -> None:
    assert check("math", answer, ref).passed is ok


# A prompt that asks for a form of the answer (math 22): a fraction ("as a fraction", "as a common fraction", "in
# fraction form", "Simplify 18/24." with a fractional reference) is not met by a decimal or a percentage, a mixed
# number ("as a mixed number") by an improper fraction, scientific notation by a plain number or a mantissa outside
# [1, 10), and a decimal ("as a decimal", "to the nearest tenth") by a fraction: each fails `wrong_form`. math 21
# compared values only, so `\boxed{0.75}` passed "Convert 0.75 to a fraction." and `\boxed{45000}` passed "Write 45000
# in scientific notation." (the question's own number). A reference written in the other form asks for nothing.
FRACTION = "Convert 0.75 to a fraction."
COMMON = "What is $\\frac{1}{2} + \\frac{1}{4}$? Express your answer as a common fraction."
MIXED = "Write $\\frac{7}{4}$ as a mixed number."
SCIENTIFIC = "Write 45000 in scientific notation."
DECIMAL = "What is $\\frac{3}{4}$? Express your answer as a decimal."
PI_Q = "What is the area of a circle of radius 2? Express your answer in terms of $\\pi$."
PAIR_Q = "Solve $x + y = 5$, $2x - y = 1$. Give your answer as an ordered pair $(x, y)$."
POINT_Q = "Find the point of intersection of the lines $y = x + 1$ and $y = 2x - 1$."
FORMS = [
    (FRACTION, "\\frac{3}{4}", r"\boxed{0.75}", "wrong_form"),
    (FRACTION, "\\frac{3}{4}", r"\boxed{75\%}", "wrong_form"),
    (FRACTION, "\\frac{3}{4}", "The answer is 0.75.", "wrong_form"),
    ("Convert 0.75 to a fraction in lowest terms.", "\\frac{3}{4}", r"\boxed{0.75}", "wrong_form"),
    (COMMON, "\\frac{3}{4}", r"\boxed{0.75}", "wrong_form"),
    ("Give $0.4$ in fraction form.", "\\frac{2}{5}", r"\boxed{0.4}", "wrong_form"),
    ("Simplify 18/24.", "\\frac{3}{4}", r"\boxed{0.75}", "wrong_form"),
    (MIXED, "1\\frac{3}{4}", r"\boxed{\frac{7}{4}}", "wrong_form"),
    (MIXED, "1\\frac{3}{4}", r"\boxed{1.75}", "wrong_form"),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{45000}", "wrong_form"),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{45 \times 10^3}", "wrong_form"),
    (DECIMAL, "0.75", r"\boxed{\frac{3}{4}}", "wrong_form"),
    (DECIMAL, "0.75", r"\boxed{75\%}", "wrong_form"),
    ("What is 3 divided by 4, to two decimal places?", "0.75", r"\boxed{3/4}", "wrong_form"),
    (PI_Q, "4\\pi", r"\boxed{12.566371}", "wrong_form"),  # math 21 passed the decimal for "in terms of pi"
    (RADICAL_Q, "2\\sqrt{2}", r"\boxed{2.8284271}", "wrong_form"),  # math 22 passed a decimal for radical form
    (
        "Rationalize the denominator: $\\frac{1}{\\sqrt{2}}$.",
        "\\frac{\\sqrt{2}}{2}",
        r"\boxed{0.7071068}",
        "wrong_form",
    ),
    (RADICAL_Q, "2\\sqrt{2}", r"\boxed{2\sqrt{2} \approx 2.83}", None),
    ("What is the diagonal of a square of side 2?", "2\\sqrt{2}", r"\boxed{2.8284271}", None),  # asks no form
    (PI_Q, "4\\pi", r"\boxed{4\pi}", None),
    (PI_Q, "4\\pi", r"\boxed{4 \pi \approx 12.57}", None),
    (FRACTION, "\\frac{3}{4}", r"\boxed{\frac{3}{4}}", None),
    (FRACTION, "\\frac{3}{4}", r"\boxed{3/4}", None),
    (FRACTION, "\\frac{3}{4}", r"\boxed{\frac{3}{4} = 0.75}", None),  # the fraction is given
    (FRACTION, "\\frac{3}{4}", r"\boxed{\frac{75}{100}}", None),  # asks no lowest terms
    (COMMON, "\\frac{3}{4}", r"\boxed{\frac{3}{4}}", None),
    (COMMON, "2", r"\boxed{2}", None),
    (MIXED, "1\\frac{3}{4}", r"\boxed{1\frac{3}{4}}", None),
    (MIXED, "1\\frac{3}{4}", r"\boxed{1 \frac{3}{4}}", None),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{4.5 \times 10^4}", None),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{4.5 \cdot 10^{4}}", None),
    (DECIMAL, "0.75", r"\boxed{0.75}", None),
    (DECIMAL, "0.75", r"\boxed{\frac{3}{4} = 0.75}", None),
    # a prompt that asks for no form, or a reference in the other form: values are compared as before
    ("What is $\\frac{1}{2} + \\frac{1}{4}$?", "\\frac{3}{4}", r"\boxed{0.75}", None),
    ("What is 3/4 + 0.5?", "1.25", r"\boxed{\frac{5}{4}}", None),
    ("What fraction of the class are girls, as a decimal?", "0.6", r"\boxed{0.6}", None),
    ("Express 2/5 as a fraction with denominator 100.", "0.4", r"\boxed{0.4}", None),  # the reference a decimal
    # an ordered pair asked by name is not met by the equations of its values (math 25: math 24 passed them)
    (PAIR_Q, "(2, 3)", r"\boxed{x=2, y=3}", "wrong_form"),
    (PAIR_Q, "(2, 3)", r"\boxed{x = 2,\ y = 3}", "wrong_form"),
    (POINT_Q, "(2, 3)", r"\boxed{x=2, y=3}", "wrong_form"),
    ("What are the coordinates of the vertex of $y = (x-2)^2 + 3$?", "(2, 3)", r"\boxed{x = 2, y = 3}", "wrong_form"),
    (PAIR_Q, "(2, 3)", r"\boxed{(2, 3)}", None),
    (PAIR_Q, "(2, 3)", r"\boxed{\left(2, 3\right)}", None),
    (PAIR_Q, "(2, 3)", r"\boxed{(x, y) = (2, 3)}", None),
    (POINT_Q, "(2, 3)", r"\boxed{(2,3)}", None),
    ("Solve the system $x + y = 5$, $2x - y = 1$.", "(2, 3)", r"\boxed{x=2, y=3}", None),  # asks no form
    (PAIR_Q, "(3, 2)", r"\boxed{x=2, y=3}", "mismatch"),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), FORMS)
def test_math_an_answer_in_another_form_than_the_prompt_asks_fails(registry, cfg, prompt, ref, answer, detail) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# An interval or an inequality is met only by an interval or an inequality (math 32): math-verify reads `(-3, 2)` as an
# open interval and equates it with the set of its end points, so `\boxed{-3, 2}`, `\boxed{\{-3, 2\}}` and
# `\boxed{x = -3 \text{ or } x = 2}` (the roots, not the solution set) passed "Solve $x^2 + x - 6 < 0$." for
# `(-3, 2)`, and `\boxed{-3, 2}` passed for `-3 < x < 2`, while the inequality `-3 < x < 2` failed `(-3, 2)`. `(2, 3)`
# is also an ordered pair: it is read as an interval where the prompt asks for one (an inequality, "interval
# notation", a domain) and names no pair, point or system; where nothing tells, as before.
INEQUALITY_Q = "Solve $x^2 + x - 6 < 0$. Express your answer in interval notation."
INTERVALS = [
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{-3, 2}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{\{-3, 2\}}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{x = -3, x = 2}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{x = -3 \text{ or } x = 2}", "mismatch"),
    ("Solve $x^2 + x - 6 < 0$.", "(-3, 2)", "The answer is $x = -3$ or $x = 2$.", "mismatch"),
    ("Solve $x^2 + x - 6 < 0$.", "(-3, 2)", r"\boxed{-3, 2}", "mismatch"),
    ("For which $x$ is $x^2 + x - 6 < 0$?", "-3 < x < 2", r"\boxed{-3, 2}", "mismatch"),
    ("What is the domain of $f(x) = \\sqrt{(x+3)(2-x)}$?", "[-3, 2]", r"\boxed{-3, 2}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{(-3, 2)}", None),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{\left(-3, 2\right)}", None),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{-3 < x < 2}", None),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{x \in (-3, 2)}", None),
    ("For which $x$ is $x^2 + x - 6 < 0$?", "-3 < x < 2", r"\boxed{(-3, 2)}", None),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{[-3, 2]}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{(-2, 3)}", "mismatch"),
    ("Solve the inequality $3x - 1 \\le 5$.", "(-\\infty, 2]", r"\boxed{x \le 2}", None),  # math 31 failed it
    # a pair, a point or a system in the prompt, or no word either way: `(2, 3)` is read as before
    ("Solve the system $x + y = 5$, $x - y = -1$.", "(2, 3)", r"\boxed{2, 3}", None),
    ("Find the point $(x, y)$ with $x + y = 5$, $x - y = -1$ and $0 < x < y$.", "(2, 3)", r"\boxed{2, 3}", None),
    ("Answer the question.", "(2, 3)", r"\boxed{2, 3}", None),
    ("Solve $x^2 - 5x + 6 = 0$.", "2, 3", r"\boxed{x = 2, x = 3}", None),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), INTERVALS)
def test_math_an_interval_is_met_only_by_an_interval(registry, cfg, prompt, ref, answer, detail) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# Values given by their variables' names are compared by name, and against a tuple in the order the prompt gives the
# variables (`(x, y)`, "Solve for $(x,y,z)$", "for x, y and z"), else alphabetically (math 32): math-verify sorts both
# sides by value, or pairs them in the order written, so `\boxed{(3, 2)}`, `\boxed{\{3, 2\}}` and `\boxed{3, 2}` passed
# for `x = 2, y = 3`, `\boxed{y = 2, x = 3}` passed "Solve the system ..." for `(2, 3)` while the right `\boxed{y = 3,
# x = 2}` failed, and `\boxed{z=2, y=3, x=4}` passed "Solve for $(x,y,z)$." for `(2, 3, 4)`. A set of values where the
# prompt asks for an ordered pair fails `wrong_form` (math 31 passed `\boxed{\{2, 3\}}`).
SYSTEM_Q = "Solve the system $x + y = 5$, $x - y = -1$."
NAMES = [
    (SYSTEM_Q, "(2, 3)", r"\boxed{y = 3, x = 2}", None),
    (SYSTEM_Q, "(2, 3)", r"\boxed{y=3,\ x=2}", None),
    (SYSTEM_Q, "(2, 3)", r"\boxed{(x, y) = (2, 3)}", None),
    (SYSTEM_Q, "(2, 3)", r"\boxed{(y, x) = (3, 2)}", None),
    (SYSTEM_Q, "(2, 3)", r"\boxed{y = 2, x = 3}", "mismatch"),
    (SYSTEM_Q, "(2, 3)", "Answer: y = 2, x = 3", "mismatch"),
    (SYSTEM_Q, "(2, 3)", r"\boxed{x = 3, y = 2}", "mismatch"),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{(2, 3)}", None),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{y = 3, x = 2}", None),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{2, 3}", None),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{(3, 2)}", "mismatch"),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{\{3, 2\}}", "mismatch"),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{3, 2}", "mismatch"),
    (SYSTEM_Q, "x = 2 \\text{ and } y = 3", r"\boxed{(3, 2)}", "mismatch"),
    (SYSTEM_Q, "x=2, y=3", r"\boxed{x = 2, z = 3}", "mismatch"),
    ("Solve the system $a + b = 5$, $a - b = -1$.", "a = 2, b = 3", r"\boxed{(3, 2)}", "mismatch"),
    ("Solve the system $a + b = 5$, $a - b = -1$.", "a = 2, b = 3", r"\boxed{b = 3, a = 2}", None),
    ("Solve for $(x,y,z)$.", "(2, 3, 4)", r"\boxed{z=2, y=3, x=4}", "mismatch"),
    ("Solve for $(x,y,z)$.", "(2, 3, 4)", r"\boxed{z=4, y=3, x=2}", None),
    ("Solve for x, y, z.", "x=2, y=3, z=4", r"\boxed{(4, 3, 2)}", "mismatch"),
    ("Solve for x, y, z.", "x=2, y=3, z=4", r"\boxed{(2, 3, 4)}", None),
    # the prompt's order, not the alphabet's
    ("Find $(b, a)$ with $a + b = 5$ and $b - a = 1$.", "(3, 2)", r"\boxed{a = 2, b = 3}", None),
    ("Find $(b, a)$ with $a + b = 5$ and $b - a = 1$.", "(3, 2)", r"\boxed{a = 3, b = 2}", "mismatch"),
    # a set where the prompt asks for an ordered pair
    (PAIR_Q, "(2, 3)", r"\boxed{\{2, 3\}}", "wrong_form"),
    (PAIR_Q, "(2, 3)", r"\boxed{\{3, 2\}}", "mismatch"),
    # the roots of one variable, listed: as before
    ("Solve $x^2 - 5x + 6 = 0$.", "x = 2, x = 3", r"\boxed{3, 2}", None),
    ("Solve $x^2 - 5x + 6 = 0$.", "2, 3", r"\boxed{x = 3, x = 2}", None),
    ("Solve $x^2 - 5x + 6 = 0$.", "2, 3", r"\boxed{x_1 = 3, x_2 = 2}", None),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), NAMES)
def test_math_values_named_by_their_variables_are_compared_by_name(registry, cfg, prompt, ref, answer, detail) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A column vector and a tuple are one vector where the prompt asks for a vector (math 33: the word "vector", or a
# column vector in the prompt), and a vector in angle brackets (`\langle 1, 2 \rangle`, `⟨1, 2⟩`) is one, anywhere:
# math 32 failed `\boxed{(1, 2)}` and `\boxed{\langle 1, 2 \rangle}` for `\begin{pmatrix} 1 \\ 2 \end{pmatrix}`, and
# math-verify read `\langle 1, 2 \rangle` as its last number, so it passed for 2, and `\langle 1, 3, 3 \rangle` and
# `\boxed{3}` passed for `\langle 1, 2, 3 \rangle`. An interval the prompt asks for stays an interval (math 32).
COLUMN = r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}"
VECTOR_Q = (
    r"Find the vector $\mathbf{v}$ such that $\mathbf{v} + \begin{pmatrix} 1 \\ 1 \end{pmatrix} = "
    r"\begin{pmatrix} 2 \\ 3 \end{pmatrix}$."
)
CROSS_Q = r"Compute $\begin{pmatrix} 1 \\ 0 \\ 0 \end{pmatrix} \times \begin{pmatrix} 0 \\ 1 \\ 0 \end{pmatrix}$."
VECTORS = [
    (VECTOR_Q, COLUMN, r"\boxed{(1, 2)}", None),
    (VECTOR_Q, COLUMN, r"\boxed{\left(1, 2\right)}", None),
    (VECTOR_Q, COLUMN, r"\boxed{\langle 1, 2 \rangle}", None),
    (VECTOR_Q, COLUMN, r"\boxed{\left\langle 1, 2 \right\rangle}", None),
    (VECTOR_Q, COLUMN, r"\boxed{⟨1, 2⟩}", None),
    (VECTOR_Q, COLUMN, r"\boxed{\begin{bmatrix} 1 \\ 2 \end{bmatrix}}", None),
    (VECTOR_Q, COLUMN, r"\boxed{(2, 1)}", "mismatch"),
    (VECTOR_Q, COLUMN, r"\boxed{\langle 2, 1 \rangle}", "mismatch"),
    (VECTOR_Q, COLUMN, r"\boxed{(1, 2, 0)}", "mismatch"),
    (VECTOR_Q, COLUMN, r"\boxed{\{1, 2\}}", "mismatch"),
    (VECTOR_Q, COLUMN, r"\boxed{2}", "mismatch"),
    (CROSS_Q, r"\begin{pmatrix} 0 \\ 0 \\ 1 \end{pmatrix}", r"\boxed{(0, 0, 1)}", None),
    (CROSS_Q, r"\begin{pmatrix} 0 \\ 0 \\ 1 \end{pmatrix}", r"\boxed{(0, 1, 0)}", "mismatch"),
    ("Find the vector from $A = (0, 0)$ to $B = (1, 2)$.", "(1, 2)", r"\boxed{" + COLUMN + "}", None),
    ("Find the vector from $A = (0, 0)$ to $B = (1, 2)$.", "(1, 2)", r"\boxed{\langle 1, 2 \rangle}", None),
    ("Find the vector from $A = (0, 0)$ to $B = (1, 2)$.", "(1, 2)", r"\boxed{\langle 2, 1 \rangle}", "mismatch"),
    # angle brackets are a vector, whatever the prompt; a tuple is one only where the prompt asks for a vector
    ("Answer the question.", COLUMN, r"\boxed{\langle 1, 2 \rangle}", None),
    ("Answer the question.", COLUMN, r"\boxed{(1, 2)}", "mismatch"),
    ("Answer the question.", "2", r"\boxed{\langle 1, 2 \rangle}", "mismatch"),
    ("Answer the question.", "2", r"\boxed{⟨1, 2⟩}", "mismatch"),
    ("Answer the question.", r"\langle 1, 2, 3 \rangle", r"\boxed{\langle 1, 2, 3 \rangle}", None),
    ("Answer the question.", r"\langle 1, 2, 3 \rangle", r"\boxed{\langle 1, 3, 3 \rangle}", "mismatch"),
    ("Answer the question.", r"\langle 1, 2, 3 \rangle", r"\boxed{3}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{\begin{pmatrix} -3 \\ 2 \end{pmatrix}}", "mismatch"),
    (INEQUALITY_Q, "(-3, 2)", r"\boxed{\langle -3, 2 \rangle}", "mismatch"),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), VECTORS)
def test_math_a_column_vector_and_a_tuple_are_one_vector_where_the_prompt_asks_one(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# An indefinite integral's constant may be named otherwise (math 33: `\boxed{x^2 + K}` and `\boxed{x^2 + C_1}` failed
# `x^2 + C`), where the prompt asks for an antiderivative ("indefinite integral", "antiderivative", `\int` without
# limits): one constant of the reference renamed, nothing else; elsewhere `C` is a variable like any other.
INTEGRAL_Q = r"Find the indefinite integral $\int 2x\,dx$."
CONSTANTS = [
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + K}", None),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + C_1}", None),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + C}", None),
    (r"Evaluate $\int 2x\,dx$.", "x^2 + C", r"\boxed{x^2 + K}", None),
    ("Find an antiderivative of $\\cos x$.", "\\sin x + C", r"\boxed{\sin x + K}", None),
    ("Find the antiderivative of $e^x$.", "e^x + C", r"\boxed{e^{x} + C_0}", None),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + 5}", "mismatch"),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + K + C}", "mismatch"),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + x}", "mismatch"),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{2x^2 + K}", "mismatch"),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{y^2 + C}", "mismatch"),
    (INTEGRAL_Q, "x^2 + C", r"\boxed{x^2 + K x}", "mismatch"),
    ("Find $\\int a x\\,dx$.", "\\frac{a x^2}{2} + C", r"\boxed{\frac{a x^2}{2} + a}", "mismatch"),
    # no antiderivative asked: a constant is a variable as before
    ("Answer the question.", "x^2 + C", r"\boxed{x^2 + K}", "mismatch"),
    (r"Evaluate $\int_0^1 (2x + C)\,dx$.", "1 + C", r"\boxed{1 + K}", "mismatch"),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), CONSTANTS)
def test_math_an_indefinite_integrals_constant_may_be_named_otherwise(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A prompt that asks to factor, expand, simplify or write as a power of a base is not met by an answer of equal value in
# another form, often the prompt's own expression (math 32; math 31 compared values only): factored is as many
# non-constant factors as the reference has, expanded is no product or power of a sum, simplified is no like terms,
# nested or repeated powers or common factor left where the reference is simpler (sympy's `count_ops`), a power of b
# is a power with base b. Only a reference in the asked form, with a variable (a power: a number), asks for one.
ALGEBRA_FORMS = [
    ("Factor $x^2-5x+6$.", "(x-2)(x-3)", r"\boxed{x^2-5x+6}", "wrong_form"),
    ("Factor completely: $x^3 - x$.", "x(x-1)(x+1)", r"\boxed{x(x^2-1)}", "wrong_form"),
    ("Factor $x^2+2x+1$.", "(x+1)^2", r"\boxed{x^2+2x+1}", "wrong_form"),
    ("Expand $(x-2)(x-3)$.", "x^2-5x+6", r"\boxed{(x-2)(x-3)}", "wrong_form"),
    ("Expand $(x+1)^2$.", "x^2+2x+1", r"\boxed{(x+1)^2}", "wrong_form"),
    ("Expand $2(x+3)$.", "2x+6", r"\boxed{2(x+3)}", "wrong_form"),
    ("Simplify $\\frac{x^2-1}{x-1}$.", "x+1", r"\boxed{\frac{x^2-1}{x-1}}", "wrong_form"),
    ("Simplify $\\frac{x^2-1}{x-1}$.", "x+1", r"\boxed{\frac{(x-1)(x+1)}{x-1}}", "wrong_form"),
    ("Simplify $(x^2)^3$.", "x^6", r"\boxed{(x^2)^3}", "wrong_form"),
    ("Simplify $x^2 \\cdot x^3$.", "x^5", r"\boxed{x^2 \cdot x^3}", "wrong_form"),
    ("Write $x + 2 + 2x$ in simplest form.", "3x+2", r"\boxed{x+2+2x}", "wrong_form"),
    ("Write $4^5$ as a power of 2.", "2^{10}", r"\boxed{4^5}", "wrong_form"),
    ("Write $4^5$ as a power of 2.", "2^{10}", r"\boxed{1024}", "wrong_form"),
    ("Factor $x^2-5x+6$.", "(x-2)(x-3)", r"\boxed{(x-3)(x-2)}", None),
    ("Factor $x^2-5x+6$.", "(x-2)(x-3)", r"\boxed{x^2-5x+6 = (x-2)(x-3)}", None),
    ("Factor completely: $x^3 - x$.", "x(x-1)(x+1)", r"\boxed{x(x+1)(x-1)}", None),
    ("Factor $x^2+2x+1$.", "(x+1)^2", r"\boxed{(x+1)(x+1)}", None),
    ("Factor $2x^2-10x+12$.", "2(x-2)(x-3)", r"\boxed{2(x-3)(x-2)}", None),
    ("Expand $(x-2)(x-3)$.", "x^2-5x+6", r"\boxed{6 - 5x + x^2}", None),
    ("Expand $(x-2)(x-3)$.", "x^2-5x+6", r"\boxed{(x-2)(x-3) = x^2-5x+6}", None),
    ("Simplify $(x^2)^3$.", "x^6", r"\boxed{x^6}", None),
    ("Simplify $\\frac{x^2-1}{x-1}$.", "x+1", r"\boxed{1+x}", None),
    ("Simplify $\\frac{x^3}{\\sqrt{x}}$.", "x^{5/2}", r"\boxed{x^2\sqrt{x}}", None),
    ("Simplify $\\frac{1}{x} + \\frac{1}{x}$.", "\\frac{2}{x}", r"\boxed{2x^{-1}}", None),
    ("Write $x + 2 + 2x$ in simplest form.", "3x+2", r"\boxed{2 + 3x}", None),
    ("Write $4^5$ as a power of 2.", "2^{10}", r"\boxed{2^{10}}", None),
    ("Write $x^2 \\cdot x^8$ as a single power.", "x^{10}", r"\boxed{x^2 \cdot x^8}", "wrong_form"),
    ("Write $x^2 \\cdot x^8$ as a single power.", "x^{10}", r"\boxed{x^{10}}", None),
    ("Express $4^5$ as a single power.", "2^{10}", r"\boxed{4^5}", None),  # a power of another base is one
    ("Expand $(2x+1)(x-2)$.", "2x^2-3x-2", r"\boxed{2x^2 - 4x + x - 2}", "wrong_form"),
    ("Simplify $2(x+3) + 2x$.", "4x+6", r"\boxed{2(x+3) + 2x}", "wrong_form"),
    ("Simplify $2(x+3) + 2x$.", "4x+6", r"\boxed{2(2x+3)}", None),
    ("Simplify $\\frac{x-2}{x^2-4}$.", "\\frac{1}{x+2}", r"\boxed{(x+2)^{-1}}", None),
    ("Factor completely: $3x^2-12$.", "3(x+2)(x-2)", r"\boxed{3(x^2-4)}", "wrong_form"),
    ("Factor $2x^2+5x-3$.", "(2x-1)(x+3)", r"\boxed{2(x-\frac{1}{2})(x+3)}", None),
    # a power of a product where the reference has none (math 33: math 32 passed them, as `count_ops` counts
    # `(a^2 b)^3` as `a^6 b^3` and `(xy)^2` below `x^2 y^2`)
    ("Simplify $(a^2 b)^3$.", "a^6 b^3", r"\boxed{(a^2b)^3}", "wrong_form"),
    ("Simplify $(2x^3y)^2$.", "4x^6y^2", r"\boxed{(2x^3y)^2}", "wrong_form"),
    ("Simplify $(2x)^2$.", "4x^2", r"\boxed{(2x)^2}", "wrong_form"),
    ("Simplify $(-x)^2$.", "x^2", r"\boxed{(-x)^2}", "wrong_form"),
    ("Simplify $(xy)^2$.", "x^2y^2", r"\boxed{(xy)^2}", "wrong_form"),
    ("Simplify $(2xy)^2$.", "4x^2y^2", r"\boxed{(2xy)^2}", "wrong_form"),
    ("Simplify $\\frac{1}{x^2}$.", "x^{-2}", r"\boxed{\frac{1}{x^2}}", None),
    ("Simplify $\\frac{y^2}{x^3}$.", "x^{-3}y^2", r"\boxed{\frac{y^2}{x^3}}", None),
    ("Simplify $(a^2 b)^3$.", "a^6 b^3", r"\boxed{a^6b^3}", None),
    ("Simplify $(a^2 b)^3$.", "a^6 b^3", r"\boxed{b^3 a^6}", None),
    ("Simplify $(2x)^2$.", "4x^2", r"\boxed{4x^2}", None),
    ("Simplify $a^3 b^3$.", "(ab)^3", r"\boxed{a^3b^3}", None),  # a reference not expanded asks for nothing
    ("Simplify $a^3 b^3$.", "(ab)^3", r"\boxed{(ab)^3}", None),
    ("Simplify $\\sqrt{a^2 b}$, $a, b > 0$.", "a\\sqrt{b}", r"\boxed{a\sqrt{b}}", None),
    # like terms left where the reference has none, however `count_ops` counts them (math 33: math 32 passed
    # `x + x` for `2x`, both one operation)
    ("Simplify $x + x$.", "2x", r"\boxed{x + x}", "wrong_form"),
    ("Simplify $3y - y$.", "2y", r"\boxed{3y - y}", "wrong_form"),
    ("Simplify $x \\cdot y + y x$.", "2xy", r"\boxed{xy + xy}", "wrong_form"),
    ("Simplify $x + x$.", "2x", r"\boxed{2x}", None),
    ("Simplify $x^2 + x + x$.", "x^2 + 2x", r"\boxed{x(x + 2)}", None),
    # a prompt that asks for no form, or a reference not in the asked form: values are compared as before
    ("What is $(x-2)(x-3)$ times 1?", "x^2-5x+6", r"\boxed{(x-2)(x-3)}", None),
    ("What is the greatest common factor of $x^2$ and $x^3$?", "x^2", r"\boxed{x \cdot x}", None),
    ("Simplify $\\sqrt{8} \\cdot \\sqrt{2}$.", "4", r"\boxed{4}", None),
    ("Expand $(x-2)(x-3)$, then factor it again.", "(x-2)(x-3)", r"\boxed{(x-2)(x-3)}", None),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), ALGEBRA_FORMS)
def test_math_an_expression_in_another_form_than_the_prompt_asks_fails(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# The empty set and the set of all reals said in words or in symbols are one value (math 33: math 32 compared the
# words as words, so `\boxed{\emptyset}` failed `\text{no solution}` and `\boxed{\text{all real numbers}}` failed
# `\mathbb{R}` `mismatch`); the one is never the other.
NO_SOLUTION_Q = "Solve $x^2 = -1$ over the real numbers."
ALL_REALS_Q = "Solve $x^2 \\ge 0$."
SOLUTION_SETS = [
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\emptyset}", None),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\varnothing}", None),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\text{No real solutions}}", None),
    (NO_SOLUTION_Q, "No real solutions", r"\boxed{\{\}}", None),
    (NO_SOLUTION_Q, "\\emptyset", r"\boxed{\text{no solution}}", None),
    (NO_SOLUTION_Q, "\\emptyset", "There is no solution.", None),
    (NO_SOLUTION_Q, "\\varnothing", r"\boxed{\emptyset}", None),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\text{the empty set}}", None),
    (ALL_REALS_Q, "\\mathbb{R}", r"\boxed{\text{all real numbers}}", None),
    (ALL_REALS_Q, "(-\\infty, \\infty)", r"\boxed{\text{all real numbers}}", None),
    (ALL_REALS_Q, "\\text{all real numbers}", r"\boxed{\mathbb{R}}", None),
    (ALL_REALS_Q, "\\text{all real numbers}", r"\boxed{(-\infty, \infty)}", None),
    (ALL_REALS_Q, "All real numbers", "The answer is all real numbers.", None),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\mathbb{R}}", "mismatch"),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{\text{all real numbers}}", "mismatch"),
    (NO_SOLUTION_Q, "\\text{no solution}", r"\boxed{0}", "mismatch"),
    (ALL_REALS_Q, "\\mathbb{R}", r"\boxed{\emptyset}", "mismatch"),
    (ALL_REALS_Q, "\\mathbb{R}", r"\boxed{\text{no solution}}", "mismatch"),
    (ALL_REALS_Q, "\\text{all real numbers}", r"\boxed{(0, \infty)}", "mismatch"),
    (ALL_REALS_Q, "\\text{all real numbers}", r"\boxed{\text{all positive numbers}}", "mismatch"),
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), SOLUTION_SETS)
def test_math_the_empty_set_and_all_reals_in_words_or_symbols(registry, cfg, prompt, ref, answer, detail) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# numeric 18 meets the form a prompt asks as math 22 does (`math.wrong_form`): numeric 17 compared numbers only, so
# `\boxed{0.75}` passed "Convert 0.75 to a fraction." for 3/4 and `\boxed{45000}` "Write 45000 in scientific notation."
NUMERIC_FORMS = [
    (FRACTION, "3/4", r"\boxed{0.75}", "wrong_form"),
    (FRACTION, "\\frac{3}{4}", r"\boxed{0.75}", "wrong_form"),
    (FRACTION, "3/4", r"\boxed{75\%}", "wrong_form"),
    (FRACTION, "3/4", "The answer is 0.75.", "wrong_form"),
    (COMMON, "3/4", r"\boxed{0.75}", "wrong_form"),
    ("Simplify 18/24.", "3/4", r"\boxed{0.75}", "wrong_form"),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{45000}", "wrong_form"),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{45 \times 10^3}", "wrong_form"),
    (DECIMAL, "0.75", r"\boxed{\frac{3}{4}}", "wrong_form"),
    (DECIMAL, "0.75", r"\boxed{3/4}", "wrong_form"),
    (FRACTION, "3/4", r"\boxed{3/4}", None),
    (FRACTION, "3/4", r"\boxed{\frac{3}{4} = 0.75}", None),
    (SCIENTIFIC, "4.5 \\times 10^4", r"\boxed{4.5 \times 10^4}", None),
    (DECIMAL, "0.75", r"\boxed{0.75}", None),
    ("What is $\\frac{1}{2} + \\frac{1}{4}$?", "3/4", r"\boxed{0.75}", None),
    ("Express 2/5 as a fraction with denominator 100.", "0.4", r"\boxed{0.4}", None),
    (SCIENTIFIC, "45000", r"\boxed{45000}", None),  # the reference not in the asked form asks for nothing
]


@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), NUMERIC_FORMS)
def test_numeric_an_answer_in_another_form_than_the_prompt_asks_fails(
    registry, cfg, prompt, ref, answer, detail
) -> None:
    res = registry.get("numeric").check(answer, TaskSpec("t", "numeric", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# An exact value followed by its rounding (`\boxed{\frac{10}{3} \approx 3.3}`) states the rounded value too: it passes
# a reference equal to either side, when the decimal rounds the exact value at its own places (math 23, numeric 18:
# math read the left side only and failed it `mismatch` against "to the nearest tenth"'s 3.3, numeric read two numbers
# and failed it `multiple_answers`). A decimal that does not round the value beside it is a second value, as after the
# box: `\boxed{3.3 \approx 3.33}` and `\boxed{\frac{10}{3} \approx 3.4}` fail (math 22 passed the first for 3.3).
TENTH = "What is $10 \\div 3$, rounded to the nearest tenth?"
DIAGONAL = "What is the diagonal of a square of side 4 cm, to the nearest tenth?"
HUNDREDTH = "What is the diagonal of a square of side 4 cm, to the nearest hundredth?"
WIRE = "How long is the wire, to the nearest tenth of a millimetre?"
AREA = r"\boxed{4\pi \text{ cm}^2 \approx 12.6 \text{ cm}^2}"
ROUNDED = [
    (TENTH, "3.3", r"\boxed{\frac{10}{3} \approx 3.3}", None),
    (TENTH, "3.3", r"\boxed{10/3 ≈ 3.3}", None),
    ("What is 2/3 to the nearest hundredth?", "0.67", r"\boxed{\frac{2}{3} \approx 0.67}", None),
    ("What is $10 \\div 3$?", "\\frac{10}{3}", r"\boxed{\frac{10}{3} \approx 3.33}", None),
    (TENTH, "3.3", r"\boxed{3.3}", None),
    (TENTH, "3.3", r"\boxed{3.3 \approx 3.33}", "multiple_answers"),
    (TENTH, "3.3", r"\boxed{\frac{10}{3} \approx 3.4}", "multiple_answers"),
    ("What is 2/3 to the nearest hundredth?", "0.67", r"\boxed{0.67 \approx 0.6667}", "multiple_answers"),
    ("What is $10 \\div 3$?", "\\frac{10}{3}", r"\boxed{\frac{10}{3} \approx 3.5}", "multiple_answers"),
    (TENTH, "3.3", r"\boxed{\frac{10}{3} \approx 3.33}", "mismatch"),
    (TENTH, "3.4", r"\boxed{\frac{10}{3} \approx 3.3}", "mismatch"),
    # a value numeric cannot compute itself (a root, pi) is evaluated as math evaluates it (math 25, numeric 20:
    # numeric failed `\boxed{\sqrt{32} \approx 5.7}` `no_answer`)
    (DIAGONAL, "5.7", r"\boxed{\sqrt{32} \approx 5.7}", None),
    (DIAGONAL, "5.7", r"\boxed{4\sqrt{2} \approx 5.7}", None),
    (DIAGONAL, "5.7", r"\boxed{d = \sqrt{32} \approx 5.7}", None),
    (DIAGONAL, "5.7", r"\boxed{√32 ≈ 5.7}", None),
    ("What is the area of a circle of radius 2, to the nearest tenth?", "12.6", r"\boxed{4\pi \approx 12.6}", None),
    (DIAGONAL, "5.7", r"\boxed{\sqrt{40} \approx 5.7}", "multiple_answers"),
    (DIAGONAL, "5.7", r"\boxed{4\sqrt{2} \approx 5.8}", "multiple_answers"),
    (
        "What is the area of a circle of radius 2, to the nearest tenth?",
        "12.6",
        r"\boxed{4\pi \approx 12.5}",
        "multiple_answers",
    ),
    (DIAGONAL, "5.8", r"\boxed{\sqrt{32} \approx 5.7}", "mismatch"),
    # a unit on either side or both is the unit of both, and other prefixes of it are converted (math 27, numeric 22:
    # math failed the first four `mismatch`, numeric `no_answer`, and both passed `3.33 \text{ cm} \approx 3.3` for
    # `3.3 mm`, the decimal read as the answer in the reference's unit)
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \approx 5.66 \text{ cm}}", None),
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \text{ cm} \approx 5.66 \text{ cm}}", None),
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \text{ cm} \approx 5.66}", None),
    (HUNDREDTH, "5.66 cm", r"\boxed{d = 4\sqrt{2}\,\text{cm} \approx 5.66 cm}", None),
    (HUNDREDTH, "56.6 mm", r"\boxed{4\sqrt{2} \text{ cm} \approx 56.6 \text{ mm}}", None),
    (WIRE, "3.3 mm", r"\boxed{0.333 \text{ cm} \approx 3.3 \text{ mm}}", None),
    (WIRE, "3.3 mm", r"\boxed{\frac{10}{3} \text{ mm} \approx 3.3}", None),
    ("What is the area of a circle of radius 2 cm, to the nearest tenth?", "12.6 cm^2", AREA, None),
    (WIRE, "3.3 mm", r"\boxed{3.33 \text{ cm} \approx 3.3}", "mismatch"),
    (WIRE, "5.7 mm", r"\boxed{\sqrt{32} \text{ cm} \approx 5.7}", "mismatch"),
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \approx 5.67 \text{ cm}}", "multiple_answers"),
    (HUNDREDTH, "5.7 cm", r"\boxed{\sqrt{40} \approx 5.7 cm}", "multiple_answers"),
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \text{ mm} \approx 5.66 \text{ cm}}", "multiple_answers"),
    (HUNDREDTH, "5.66 cm", r"\boxed{4\sqrt{2} \approx 5.66 \text{ ft}}", "unit_mismatch"),
    (
        "How many millimetres long is the wire, to the nearest tenth?",
        "3.3 mm",
        r"\boxed{0.333 \text{ cm} \approx 0.3 \text{ cm}}",
        "unit_mismatch",
    ),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), ROUNDED)
def test_an_exact_value_with_its_rounding_passes_either(registry, cfg, verifier, prompt, ref, answer, detail) -> None:
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A percentage reference where the prompt asks for a percentage by name is met by the percentage or its number, not
# by its value (math 23, numeric 18: math-verify equates `75\%` with 0.75, so `\boxed{0.75}` and `\boxed{\frac{3}{4}}`,
# the question's own number, passed "What is 3/4 as a percent?"); a prompt that asks for a decimal takes the value.
AS_PERCENT = "What is $\\frac{3}{4}$ as a percent?"
PERCENT_FORMS = [
    (AS_PERCENT, "75\\%", r"\boxed{0.75}", "wrong_form"),
    (AS_PERCENT, "75\\%", r"\boxed{\frac{3}{4}}", "wrong_form"),
    ("What percentage of 80 is 20?", "25\\%", r"\boxed{0.25}", "wrong_form"),
    (AS_PERCENT, "75\\%", r"\boxed{75\%}", None),
    (AS_PERCENT, "75\\%", r"\boxed{75}", None),
    ("What percent of 80 is 20?", "25\\%", r"\boxed{25}", None),
    ("What percent of 80 is 20? Express your answer as a decimal.", "25\\%", r"\boxed{0.25}", None),
    ("The price rose from 40 to 50. What is the growth rate?", "25\\%", r"\boxed{0.25}", None),  # asks no percent
    ("A 20 percent tip on 40 dollars is what fraction of 40?", "20\\%", r"\boxed{0.2}", None),  # a given percent
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), PERCENT_FORMS)
def test_a_percentage_asked_is_not_met_by_its_value(registry, cfg, verifier, prompt, ref, answer, detail) -> None:
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A repeating decimal (`0.\overline{3}`) is its exact fraction (math 24, numeric 19): math-verify read the digits before
# the bar, so `\boxed{3.\overline{3}}` passed for 3 and `\boxed{0.\overline{3}}` for 0, and the right `0.\overline{3}`
# failed 1/3; numeric passed `\boxed{3.\overline{3}}` for 3 and refused the reference `0.\overline{36}` ("states
# several numbers").
REPEATING = [
    ("What is 10/3?", "3", r"\boxed{3.\overline{3}}", "mismatch"),
    ("What is 1/3 rounded down?", "0", r"\boxed{0.\overline{3}}", "mismatch"),
    ("Write 1/3 as a decimal.", "\\frac{1}{3}", r"\boxed{0.\overline{3}}", None),
    ("What is 4/11?", "0.\\overline{36}", r"\boxed{\frac{4}{11}}", None),
    ("Write 4/11 as a decimal.", "0.\\overline{36}", r"\boxed{\frac{4}{11}}", "wrong_form"),  # asked a decimal
    ("Write 1/6 as a decimal.", "0.1\\overline{6}", r"\boxed{0.1\overline{6}}", None),
    ("Write 1/6 as a decimal.", "0.1\\overline{6}", r"\boxed{0.\overline{16}}", "mismatch"),
    ("What is 10/3?", "\\frac{10}{3}", r"\boxed{3.\overline{3}}", None),
    ("What is 1/3?", "0.\\overline{3}", r"The answer is $0.\overline{3}$.", None),
    ("What is -1/3?", "-0.\\overline{3}", r"\boxed{-\frac{1}{3}}", None),
    ("What is 1/3?", "0.\\overline{3}", r"\boxed{0.3}", "mismatch"),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), REPEATING)
def test_a_repeating_decimal_is_its_fraction(registry, cfg, verifier, prompt, ref, answer, detail) -> None:
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# A reference that is an expression with a unit (`4\sqrt{2} cm`) states no number numeric reads: it stays refused,
# whatever the answer (numeric 22 reads a unit beside a rounding in the answer only).
def test_numeric_refuses_an_expression_with_a_unit_as_reference(registry, cfg) -> None:
    task = TaskSpec("t", "numeric", "4\\sqrt{2} cm", {}, prompt="What is the diagonal of a square of side 4 cm?")
    with pytest.raises(VerifierArgsError):
        registry.get("numeric").check(r"\boxed{4\sqrt{2} \text{ cm} \approx 5.66 \text{ cm}}", task, cfg)


# A value beside its rounding that neither numeric nor math can evaluate (`\sqrt{x}`) gives no number to check the
# rounding against: numeric reads no answer from it (numeric 20), as before. (A unit on one side is the unit of both
# since numeric 22: `\sqrt{32} \text{ cm} \approx 5.7` is 5.7 cm, and fails 5.7 mm `mismatch`, in ROUNDED.)
@pytest.mark.parametrize(
    ("ref", "answer"),
    [("5.7", r"\boxed{\sqrt{x} \approx 5.7}"), ("5.7 mm", r"\boxed{\sqrt{x} \text{ cm} \approx 5.7 \text{ cm}}")],
)
def test_numeric_a_rounding_of_an_expression_it_cannot_evaluate_is_no_answer(registry, cfg, ref, answer) -> None:
    res = registry.get("numeric").check(answer, TaskSpec("t", "numeric", ref, {}), cfg)
    assert (res.passed, res.detail) == (False, "no_answer")


# A reference that is an expression with its unit in a text command (`4\sqrt{2} \text{ cm}`): math-verify strips the
# unit it wraps, so `\boxed{4\sqrt{2} \text{ mm}}` (and `\text{ kg}`) passed for it, and `\boxed{500 \text{ g}}` failed
# `\frac{1}{2} \text{ kg}`. The reference's unit is read (math 28): the answer's unit must be it, or it with another SI
# prefix, which converts the answer's value; an answer without a unit is compared by its value, as before.
EXPRESSION_UNITS = [
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2} \text{ cm}}", None),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2}}", None),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{40\sqrt{2} \text{ mm}}", None),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2} \text{ mm}}", "mismatch"),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2} \text{ kg}}", "unit_mismatch"),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{5\sqrt{2} \text{ cm}}", "mismatch"),
    ("3\\pi \\text{ m}^2", r"\boxed{3\pi \text{ m}^2}", None),
    ("3\\pi \\text{ m}^2", r"\boxed{3\pi \text{ cm}^2}", "mismatch"),
    ("3\\pi \\text{ m}^2", r"\boxed{30000\pi \text{ cm}^2}", None),
    ("\\frac{1}{2} \\text{ kg}", r"\boxed{500 \text{ g}}", None),
    ("\\frac{1}{2} \\text{ kg}", r"\boxed{\frac{1}{2} \text{ g}}", "mismatch"),
    ("\\frac{1}{2} \\text{ kg}", r"\boxed{0.5 \text{ kg}}", None),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2} \text{ mm} \approx 5.66 \text{ mm}}", "mismatch"),
    ("4\\sqrt{2} \\text{ cm}", r"\boxed{4\sqrt{2} \text{ cm} \approx 5.66 \text{ cm}}", None),
]


@pytest.mark.parametrize(("ref", "answer", "detail"), EXPRESSION_UNITS)
def test_math_reads_the_unit_of_an_expression_reference(registry, cfg, ref, answer, detail) -> None:
    prompt = "What is the length? Give an exact answer with its unit."
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# An answer that is an expression with its unit in a text command, against a reference of a number and its unit, has
# that unit too (math 33: math 32 read no unit in it, and math-verify strips it, so `\boxed{\frac{7}{2} \text{ mm}}`
# passed for `3.5 cm`)
EXPRESSION_ANSWER_UNITS = [
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ cm}}", None),
    ("3.5 cm", r"\boxed{\frac{7}{2}\,\text{cm}}", None),
    ("3.5 cm", r"\boxed{7/2 \text{ cm}}", None),
    ("3.5 cm", r"\boxed{\frac{35}{1} \text{ mm}}", None),
    ("0.5 kg", r"\boxed{\frac{1}{2} \text{ kg}}", None),
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ mm}}", "mismatch"),
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ kg}}", "unit_mismatch"),
    ("0.5 kg", r"\boxed{\frac{1}{2} \text{ g}}", "mismatch"),
    ("3.5 cm", r"\boxed{\frac{7}{2}}", None),
]


@pytest.mark.parametrize(("ref", "answer", "detail"), EXPRESSION_ANSWER_UNITS)
def test_math_reads_the_unit_of_an_expression_answer(registry, cfg, ref, answer, detail) -> None:
    res = registry.get("math").check(answer, TaskSpec("t", "math", ref, {}, prompt="Answer the question."), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# numeric read no unit in an answer given as a sentence ("The mass is 5 g."), so it passed for `5 kg` (math failed it),
# and it read one-letter tokens written apart as a compound unit (`\boxed{2 m g}`: 2mg, an expression, passed for 2).
# numeric 24: the sentence's unit is the answer's, as math reads it (`prose_number`), and bare one-letter symbols
# written apart are variables, as in math 22 (a compound unit needs a symbol of two letters or more, a `\text{}`, an
# exponent, a slash or a dot).
NUMERIC_PROSE_UNITS = [
    ("5 kg", "The mass is 5 g.", False, "mismatch"),
    ("5.66 cm", "The diagonal is $5.66$ mm.", False, "mismatch"),
    ("5 kg", "The mass is 5 kg.", True, None),
    ("5 kg", "The mass is 5000 g.", True, None),
    ("5 kg", "The mass is 5 m.", False, "unit_mismatch"),
    ("2", r"\boxed{2 m g}", False, "mismatch"),
    ("9.8 m/s^2", r"\boxed{9.8 \text{ m s}^{-2}}", True, None),
    ("-285.8 kJ/mol", r"\boxed{-285.8 \text{ kJ mol}^{-1}}", True, None),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), NUMERIC_PROSE_UNITS)
def test_numeric_reads_the_unit_of_a_sentence_and_variables_written_apart(registry, cfg, ref, answer, ok, detail):
    res = registry.get("numeric").check(answer, TaskSpec("t", "numeric", ref, {}, prompt="What is it?"), cfg)
    assert (res.passed, res.detail) == (ok, detail)


# A fraction with its unit or in a sentence is one number (numeric 28: numeric 27 read its numerator and denominator
# as two numbers and failed the right answer `multiple_answers`); another number beside it is still a second one.
NUMERIC_FRACTION_UNITS = [
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ cm}}", True, None),
    ("3.5 cm", r"\boxed{\frac{7}{2}\,\text{cm}}", True, None),
    ("3.5 cm", r"\boxed{7/2 \text{ cm}}", True, None),
    ("3.5 cm", r"\boxed{-\frac{7}{2} \text{ cm}}", False, "mismatch"),
    ("-3.5 cm", r"\boxed{-\frac{7}{2} \text{ cm}}", True, None),
    ("12.5 cm^2", r"\boxed{\frac{25}{2} \text{ cm}^2}", True, None),
    ("1.5", "He runs for $\\frac{3}{2}$ hours.", True, None),
    ("1.5", "He runs for 3/2 hours.", True, None),
    ("0.5", "The ratio is 1/2.", True, None),
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ mm}}", False, "mismatch"),
    ("3.5 cm", r"\boxed{\frac{7}{2} \text{ kg}}", False, "unit_mismatch"),
    ("1.5", "He runs for $\\frac{3}{4}$ hours.", False, "mismatch"),
    ("1.5", "He runs 3/2 hours in 2 days.", False, "multiple_answers"),
    ("1.5", r"\boxed{\frac{3}{2} \text{ or } 2}", False, "multiple_answers"),
    ("1.5 h", "He runs for 3/2 minutes.", False, "unit_mismatch"),
    ("1.5 h", "He runs for 3/2 hours.", True, None),
    ("3.5 cm", r"\boxed{\frac{7}{2} mm}", False, "mismatch"),
    ("3.5 m/s", r"\boxed{\frac{7}{2} \text{ m/s}}", True, None),
]


@pytest.mark.parametrize(("ref", "answer", "ok", "detail"), NUMERIC_FRACTION_UNITS)
def test_numeric_reads_a_fraction_with_its_unit_or_in_a_sentence(registry, cfg, ref, answer, ok, detail):
    res = registry.get("numeric").check(answer, TaskSpec("t", "numeric", ref, {}, prompt="What is it?"), cfg)
    assert (res.passed, res.detail) == (ok, detail)


# An answer given as a sentence around one piece of maths with its unit after it ("The diagonal is $4\sqrt{2} \approx
# 5.66$ cm."): the maths and the unit are the value (math 30, numeric 25). Before, math read several numbers in prose
# (`mismatch`) and numeric no number (`no_answer`), so the right answer failed; the rounding is still checked.
DIAG = "What is the diagonal of a square of side 4 cm, to the nearest hundredth?"
SENTENCE_MATH = [
    ("5.66 cm", "The diagonal is $4\\sqrt{2} \\approx 5.66$ cm.", None),
    ("5.66 cm", "So the diagonal is $4\\sqrt{2} \\approx 5.66$ cm", None),
    ("5.66 cm", "The diagonal is $4\\sqrt{2} \\approx 5.66$ mm.", "mismatch"),
    ("5.66 cm", "The diagonal is $4\\sqrt{2} \\approx 5.67$ cm.", "multiple_answers"),
    ("5.66 cm", "The diagonal is $4\\sqrt{2} \\approx 5.66$ kg.", "unit_mismatch"),
    ("5.66", "The diagonal is $4\\sqrt{2} \\approx 5.66$ cm.", None),
    ("5.66 cm", "The diagonal is $5.66$ cm.", None),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("ref", "answer", "detail"), SENTENCE_MATH)
def test_a_sentence_around_maths_and_its_unit_is_that_value(registry, cfg, verifier, ref, answer, detail) -> None:
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=DIAG), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# ... but not where the sentence says more than the value: negated or bounded (they stay sentences, as before)
SENTENCE_MATH_NOT_PLAIN = [
    ("624", "It is not $624$."),
    ("624", "There are at least $624$ pages."),
    ("5.66 cm", "The diagonal is more than $4\\sqrt{2} \\approx 5.66$ cm."),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("ref", "answer"), SENTENCE_MATH_NOT_PLAIN)
def test_a_sentence_saying_more_than_its_maths_is_no_value(registry, cfg, verifier, ref, answer) -> None:
    assert not registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt="What is it?"), cfg).passed


# The kind of quantity the question asks (math 34, numeric 29): a unit of another kind fails a bare reference, even one
# the prompt uses (math 33 and numeric 28 passed `2 km` for "How long does it take?", since km is the prompt's, and
# `25 cm^2` for a side length); a unit said in words is read whole ("5 meters per second" was 5 m, "25 square meters"
# 25 square), and a side of an area given in m^2 is in m, not cm.
_UM = "unit_mismatch"
QUANTITY_ASKED = [
    ("A car travels 120 km at 60 km/h. How long does it take?", "2", r"\boxed{2 \text{ km}}", _UM),
    ("A car travels 120 km at 60 km/h. How long does it take?", "2", "It takes 2 km.", _UM),
    ("A car travels 120 km at 60 km/h. How long does it take?", "2", r"\boxed{2 \text{ hours}}", None),
    ("A car travels at 60 km/h for 2 hours. How far does it go?", "120", r"\boxed{120 \text{ hours}}", _UM),
    ("A rectangle is 5 m by 4 m. What is its area?", "20", r"\boxed{20 \text{ m}}", _UM),
    ("A rectangle is 5 m by 4 m. What is its area?", "20", r"\boxed{20 \text{ m}^2}", None),
    ("A rectangle is 5 m by 4 m. What is its perimeter?", "18", r"\boxed{18 \text{ m}^2}", _UM),
    ("A square has an area of 625 cm^2. What is its side length?", "25", r"\boxed{25 \text{ cm}^2}", _UM),
    ("A square has an area of 625 cm^2. What is its side length?", "25", r"\boxed{25 cm^2}", _UM),
    ("A square has an area of 625 cm^2. What is its side length?", "25", r"\boxed{25 \text{ cm}}", None),
    ("A square has side 0.25 m. What is its side in m?", "25", r"\boxed{25 cm^2}", _UM),
    ("A square has an area of 625 cm^2. What is the length of its side in m?", "0.25", r"\boxed{0.25 \text{ m}}", None),
    ("A square has an area of 625 m^2. What is its side length?", "25", r"\boxed{25 \text{ cm}}", _UM),
    ("A square has an area of 625 m^2. What is its side length?", "25", "Each side is 25 meters long.", None),
    ("A square garden has area 625 square meters. How long is each side?", "25", r"\boxed{25 \text{ m}^2}", _UM),
    ("What is the area of a rectangle whose length is 5 m and width 4 m?", "20", r"\boxed{20 \text{ m}}", _UM),
    ("What is the height of a triangle with area 24 cm^2 and base 8 cm?", "6", r"\boxed{6 \text{ cm}}", None),
    ("What is the mass of 2 moles of water?", "36", r"\boxed{36 \text{ mL}}", _UM),
    ("Sara ran 5 km at 10 km/h. How long did she run?", "0.5", r"\boxed{0.5 \text{ km}}", _UM),
    ("Find the time taken by a 100 m train at 10 m/s to pass a pole.", "10", r"\boxed{10 \text{ m}}", _UM),
    ("A train travels 300 miles in 5 hours. What is its average speed?", "60", r"\boxed{60 \text{ miles}}", _UM),
    ("A train travels 300 miles in 5 hours. What is its average speed?", "60", "It goes 60 miles per hour.", None),
    ("A car travels 10 meters in 2 seconds. What is its speed?", "5", "The speed is 5 meters per second.", None),
    ("A wall takes 3 workers 10 days. How many days will it take 6 workers?", "5", "It takes 5 days.", None),
    ("A film lasts from 7 pm to 9 pm. How long is the movie?", "2", r"\boxed{2 \text{ hours}}", None),
    ("Tom reads 20 pages per hour. How long will it take him to read 60 pages?", "3", r"\boxed{3 \text{ pages}}", None),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), QUANTITY_ASKED)
def test_a_unit_of_another_kind_than_the_question_asks_fails(registry, cfg, verifier, prompt, ref, answer, detail):
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
    assert (res.passed, res.detail) == (detail is None, detail)


# The rounding the prompt asks (math 34, numeric 29): a value rounded as asked passes against the reference's exact
# value; one rounded coarser or finer, or not at all, fails (math 33 and numeric 28 failed `3.14` for 3.14159 "to two
# decimal places" and passed `1357.4` "to the nearest whole number" for an unrounded 1357.4)
TWO_PLACES = "What is the area of a circle of radius 1? Give your answer to two decimal places."
WHOLE = "What is 1234 * 1.1, to the nearest whole number?"
ROUNDING_ASKED = [
    ("both", TWO_PLACES, "3.14159", "The area is approximately 3.14.", None),
    ("both", TWO_PLACES, "3.14159", r"\boxed{3.14}", None),
    ("both", TWO_PLACES, "3.14159", r"\boxed{3.1}", "mismatch"),
    ("both", TWO_PLACES, "3.14159", r"\boxed{3.142}", "mismatch"),
    ("both", TWO_PLACES, "3.14159", r"\boxed{3.15}", "mismatch"),
    ("both", TWO_PLACES, "3.14", r"\boxed{3.14}", None),
    ("both", TWO_PLACES, "3.14", r"\boxed{3.1}", "mismatch"),
    ("math", TWO_PLACES, r"\pi", r"\boxed{3.14}", None),
    ("math", TWO_PLACES, r"\pi", r"\boxed{3.1}", "mismatch"),
    ("both", WHOLE, "1357.4", r"\boxed{1357}", None),
    ("both", WHOLE, "1357.4", r"\boxed{1357.4}", "mismatch"),
    ("both", WHOLE, "1357", r"\boxed{1357.4}", "mismatch"),
    ("math", "What is 2/3 to the nearest hundredth?", r"\frac{2}{3}", r"\boxed{0.67}", None),
    ("math", "What is 2/3 to the nearest hundredth?", r"\frac{2}{3}", r"\boxed{0.66}", "mismatch"),
    ("both", "Round 1234 to the nearest hundred.", "1200", r"\boxed{1200}", None),
    ("both", "What is sqrt 2 to 2 significant figures?", "1.41421", r"\boxed{1.4}", None),
    ("both", "What is sqrt 2 to 2 significant figures?", "1.41421", r"\boxed{1.41}", "mismatch"),
    ("both", "Give the answer to 3 d.p. What is sqrt 2?", "1.41421", r"\boxed{1.414}", None),
    ("both", "Give the answer to 3 d.p. What is sqrt 2?", "1.41421", r"\boxed{1.41}", "mismatch"),
    ("both", "What is the area of a circle of radius 1?", "3.14159", r"\boxed{3.14}", "mismatch"),
    ("both", "How much does the shirt cost? Round to the nearest cent.", "12.345", r"\boxed{\$12.35}", None),
    ("both", "How much does the shirt cost? Round to the nearest cent.", "12.345", r"\boxed{\$12.3}", "mismatch"),
    ("both", "How much does the shirt cost? Round to the nearest dollar.", "12.35", r"\boxed{\$12}", None),
]


@pytest.mark.parametrize(("verifiers", "prompt", "ref", "answer", "detail"), ROUNDING_ASKED)
def test_a_value_rounded_as_the_prompt_asks(registry, cfg, verifiers, prompt, ref, answer, detail) -> None:
    for verifier in ["math", "numeric"] if verifiers == "both" else [verifiers]:
        res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
        assert (verifier, res.passed, res.detail) == (verifier, detail is None, detail)


# Decimal commas in an answer to a prompt in French, German, Spanish, Italian or Dutch (math 34, numeric 29): "3,5"
# is 3.5, "1.234,50" 1234.5 (math 33 and numeric 28 failed each); "1,234" reads 1.234 there and 1234 in English, so
# it passes for neither (it passed for 1234); in an English answer "3,5" is still no number
DE = "Ein Seil ist 7 m lang und wird halbiert. Wie lang ist jedes Stück in Metern?"
DECIMAL_COMMAS = [
    (DE, "3.5", "Die Antwort ist 3,5.", None),
    (DE, "3.5", r"\boxed{3,5}", None),
    (DE, "3.5", r"\boxed{3{,}5}", None),
    ("Une corde mesure 7 m. Quelle est la longueur de chaque morceau ?", "3.5", r"\boxed{3,5 \text{ m}}", None),
    ("¿Cuánto mide cada trozo?", "3.5", "La respuesta es 3,5.", None),
    ("Combien ?", "1234.5", r"\boxed{1 234,5}", None),
    ("Wie viel kostet es?", "1234.5", "Die Antwort ist 1.234,50 €.", None),
    ("Wie viele Personen?", "1234567", r"\boxed{1.234.567}", None),
    ("Wie viele Personen?", "1234", r"\boxed{1,234}", "ambiguous_number"),
    ("Wie viele Personen?", "1.234", r"\boxed{1,234}", "ambiguous_number"),
    ("How many people?", "1234", r"\boxed{1,234}", None),
    (DE, "35", r"\boxed{3,5}", "mismatch"),
    ("A rope is 7 m long and is cut in half. How long is each piece?", "3.5", r"\boxed{3,5}", "not 3.5"),
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(("prompt", "ref", "answer", "detail"), DECIMAL_COMMAS)
def test_a_decimal_comma_in_the_prompts_language(registry, cfg, verifier, prompt, ref, answer, detail) -> None:
    res = registry.get(verifier).check(answer, TaskSpec("t", verifier, ref, {}, prompt=prompt), cfg)
    if detail == "not 3.5":
        assert res.passed is False
    else:
        assert (res.passed, res.detail) == (detail is None, detail)
