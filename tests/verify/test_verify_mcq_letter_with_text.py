"""mcq 37: an option's letter written with its own text ("C (Mars)", "C) Mars", "(C) Mars", "C - Mars", "C: Mars",
"**C** (Mars)") reads as the letter alone. mcq 36 read a change of mind, a hedge or a second answer only after a
letter that ends its clause, so the text after the letter hid it:

- "The answer is C (Mars). Actually, it is B (Venus).", "The answer is C (Mars)... no wait, it is B (Venus).",
  "The answer is C) Mars or B) Venus.", "The answer is C (Mars). It is B (Venus)." passed for C;
- "The answer is B (Venus)... no wait, it is C (Mars).", "Not B (Venus), but C (Mars)." failed for C.

Each template is read as it reads with bare letters ("The answer is C. Actually, it is B." fails for C). A letter
alone in bold inside a sentence reads as the letter too: "The answer is C, or maybe **B**." passed for C, and "Not
**B**, but **C**.", "**Answer:** **C**" and "I choose **C** because Mars is red." failed C.
"""

from __future__ import annotations

import pytest

from tests.verify.test_verify_mcq_probe4 import _mcq

# (C, B) written with their own texts; CHOICES of test_verify_mcq_probe4: A Mercury, B Venus, C Mars, D Jupiter
FORMS = {
    "paren": ("C (Mars)", "B (Venus)"),
    "mark": ("C) Mars", "B) Venus"),
    "bold": ("**C** (Mars)", "**B** (Venus)"),
    "dash": ("C - Mars", "B - Venus"),
    "colon": ("C: Mars", "B: Venus"),
    "marked": ("(C) Mars", "(B) Venus"),
    "lower": ("C (mars)", "B (venus)"),
}

CHANGED_OR_HEDGED = [
    "The answer is {c}... no wait, it is {b}.",
    "The answer is {c}. Wait, no: {b}.",
    "The answer is {c}. Actually, it is {b}.",
    "The answer is {c}. Actually, {b}.",
    "The answer is {c}.\n\nActually, it is {b}.",
    "The answer is {c}. On second thought, {b}.",
    "The answer is {c}. Hmm, {b}.",
    "The answer is {c}. Correction: {b}.",
    "The answer is {c}. No, it is {b}.",
    "The answer is {c}. It is {b}.",
    "The answer is {c}. I mean {b}.",
    "The answer is {c}. Or {b}.",
    "The answer is {c} or {b}.",
    "The answer is {c}, or maybe {b}.",
    "Answer: {c}\n\nWait, actually {b}.",
    "The answer is {c}. Then again, {b}.",
    "The answer is {c}. Unless it's {b}.",
    "I'd go with {c}. Actually, I'd go with {b}.",
]

RIGHT = [
    "The answer is {b}... no wait, it is {c}.",
    "The answer is {b}. Actually, it is {c}.",
    "Not {b}, but {c}.",
    "The answer is {c}, not {b}.",
    "The answer is {c}.",
]


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("template", CHANGED_OR_HEDGED)
def test_an_answer_changed_or_hedged_with_the_options_texts_fails(template: str, form: str) -> None:
    c, b = FORMS[form]
    answer = template.format(c=c, b=b)
    assert _mcq(answer, "C")[0] is False, answer
    # as with bare letters
    assert _mcq(template.format(c="C", b="B"), "C")[0] is False, template


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("template", RIGHT)
def test_the_answer_given_last_with_its_text_passes(template: str, form: str) -> None:
    c, b = FORMS[form]
    answer = template.format(c=c, b=b)
    assert _mcq(answer, "C") == (True, None), answer


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C (Venus).",  # the letter and another option's text: which one is meant is unknown
        "The answer is C) Venus.",
        "The answer is Venus (C).",
        "The answer is C) Mars. B) Venus.",  # another option restated after the answer
    ],
)
def test_a_letter_with_another_options_text_still_fails(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers"), answer


@pytest.mark.parametrize(
    "answer",
    [
        "C) Mars\n\nMars looks red because of iron oxide. B) Venus is too hot, and A) Mercury is grey.",
        "The answer is C.\n\nA: Mercury is grey.\nB: Venus is yellowish.\nC: Mars is red.\nD: Jupiter is banded.",
        "**C) Mars**\n\nMars is red because of iron oxide on its surface.",
        "Options:\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter\n\nThe answer is C (Mars).",
        "C (Mars) is correct: iron oxide makes it red.",
    ],
)
def test_explanations_and_lists_of_options_keep_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None), answer


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # a bold letter in a sentence was not read by the hedge, "not ..., but" and choice rules (mcq 36: the first
        # three passed for C, the next three failed C)
        ("The answer is C, or maybe **B**.", (False, "multiple_answers")),
        ("The answer is **C**. Then again, **B**.", (False, "multiple_answers")),
        ("The answer is **C**. Unless it's **B**.", (False, "multiple_answers")),
        ("Not **B**, but **C**.", (True, None)),
        ("**Answer:** **C**", (True, None)),
        ("I choose **C** because Mars is red.", (True, None)),
        # as before
        ("The answer is **C**.", (True, None)),
        ("**C**", (True, None)),
        ("**Answer:** **B**\n\nWait, actually **C**.", (True, None)),
    ],
)
def test_a_bold_letter_in_a_sentence_reads_as_the_letter(answer: str, expected: tuple[bool, str | None]) -> None:
    assert _mcq(answer, "C") == expected, answer
