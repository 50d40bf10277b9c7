"""math 41, numeric 36, exact 22: another value offered in a sentence of its own after the final answer passed.

- With a hesitation before it or a hedge after it: "The answer is Paris. Hmm, Lyon.", "\\boxed{Paris}\\n\\nOr Lyon.",
  "The answer is Paris.\\nPerhaps Lyon.", "Lyon, maybe.", "Lyon?", "\\boxed{12}. 13, I think.", "\\boxed{Yes}. Hmm, No."
  each passed (a hedge was read on the answer's own line only, and a number corrected only after "Hmm," or "should be").
- A bare number on the answer's own line: "The answer is 12. 13." passed (a bare name is not read: "The answer is Au.
  Gold." names the answer again).
- exact: "The answer is No. It is raining." failed for No: "No." was read as the abbreviation of "number" there.
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from tests.verify.test_verify_mcq_probe4 import _mcq

CFG = VerifyConfig()


def _check(verifier: str, answer: str, reference: str, prompt: str = "What is it?") -> tuple[bool, str | None]:
    r = Registry(CFG).get(verifier).check(answer, TaskSpec("t", verifier, reference, {}, prompt), CFG)
    return r.passed, r.detail


OFFERED_NAMES = [
    "The answer is Paris. Hmm, Lyon.",
    "The answer is Paris. Hmm... Lyon.",
    "The answer is Paris.\nHmm, Lyon.",
    "**Answer:** Paris\n\nHmm, Lyon.",
    "\\boxed{Paris} Hmm, Lyon.",
    "\\boxed{Paris}\n\nOr Lyon.",
    "\\boxed{\\text{Paris}}. Hmm, Lyon.",  # a name boxed as LaTeX text
    "The answer is Paris. Well, Lyon.",
    "The answer is Paris. Or Lyon.",
    "The answer is Paris.\nPerhaps Lyon.",
    "The answer is Paris. Lyon, maybe.",
    "The answer is Paris. Lyon perhaps.",
    "The answer is Paris. Lyon?",
    "The answer is Paris. Lyon, I think.",
    "The answer is Paris. Hmm, St. Louis.",
]


@pytest.mark.parametrize("answer", OFFERED_NAMES)
def test_exact_another_name_offered_after_the_answer(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (False, "multiple_answers"), answer


NOT_OFFERED = [
    "The answer is Paris. Hmm, Paris.",
    "The answer is Paris. Hmm, right.",
    "The answer is Paris. Hmm, yes.",
    "The answer is Paris. Hmm, OK.",
    "The answer is Paris. Hmm, nice question.",
    "The answer is Paris. Hmm, Lyon is also big.",  # says more than a value
    "The answer is Paris. It is the capital of France.",
    "The answer is Paris. Good luck!",
    "The answer is Paris. Thanks.",
    "The answer is Paris. Any questions?",
    "\\boxed{Paris}\n\n**Explanation**\nParis is the capital.",  # a heading on a line of its own
    "\\boxed{Paris}\n\nLyon\nis the third city.",
    "\\boxed{Paris}. Source: J. R. R. Tolkien.",  # initials are no sentences
    "The answer is Paris. See St. Louis.",
    "The answer is Paris. Lyon.",  # a bare name: not read (below)
]


@pytest.mark.parametrize("answer", NOT_OFFERED)
def test_exact_no_other_name_offered(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (True, None), answer


def test_exact_a_bare_name_restating_the_answer_is_no_other() -> None:
    assert _check("exact", "The answer is Au. Gold.", "Au") == (True, None)


def test_exact_yes_no_offered_after_a_yes_no_answer_only() -> None:
    assert _check("exact", "\\boxed{Yes}. Hmm, No.", "Yes") == (False, "multiple_answers")
    assert _check("exact", "\\boxed{Yes}. Hmm, yes.", "Yes") == (True, None)


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\nOr 13.",
        "\\boxed{12}. Or thirteen.",
        "\\boxed{12}\n\nAlternatively, 13.",
        "\\boxed{12}\n\nOn second thought, 13.",
        "\\boxed{12}\n\nThen again, 13.",
        "\\boxed{12}\n\nOr is it 13?",
        "\\boxed{12}. Unless it's 13.",
        "\\boxed{12} \u2014 or 13.",
        "\\boxed{12}; 13 also works.",
        "\\boxed{12} (13 also works).",
        "\\boxed{12}. Well, 13.",
        "\\boxed{12}. 13, I think.",
        "The answer is 12.\nPerhaps 13.",
        "The answer is 12. 13?",
        "The answer is 12. 13, maybe.",
        "The answer is 12. Or 13.",
        "The answer is 12. 13.",
    ],
)
def test_another_number_offered_after_the_answer(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (False, "multiple_answers"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 12. Hmm, 12 apples.",
        "The answer is 12 apples. Hmm, 12.",
        "The answer is $12$. Hmm, $12$.",
        "The answer is 12. He has 12 apples.",
        "\\boxed{12}\n\n1. First count.\n2. Then add.",
        "\\boxed{12}\n\nStep 1: 5 + 7 = 12.",
        "\\boxed{12}. This also works for any n.",
        "\\boxed{12}. Otherwise, the count is wrong.",
        "\\boxed{12}. Hmm, 13 is wrong.",  # a check, no offer
        "The answer is 12 apples. 5 red.",  # a bare number with words breaks the answer down
    ],
)
def test_the_same_number_restated_is_no_other(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


def test_exact_no_is_an_answer_before_a_sentence() -> None:
    assert _check("exact", "The answer is No. It is raining.", "No") == (True, None)
    assert _check("exact", "The answer is No. 5. It is famous.", "No. 5") == (True, None)  # "No. 5" stays one value
    assert _check("exact", "The answer is J. R. R. Tolkien. He wrote it.", "J. R. R. Tolkien") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C. Then again, D.",
        "The answer is C. On second thought, D.",
        "The answer is C. Or is it D?",
        "The answer is C. Unless it's D.",
        "The answer is C \u2014 or D.",
        "The answer is C; D also works.",
    ],
)
def test_mcq_another_option_offered_after_the_answer(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False, answer


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C. Then again, C is the only red one.",
        "The answer is C. Then again, Mars is red, so C.",
        "The answer is C. Or is it? Yes, C.",
    ],
)
def test_mcq_the_same_option_after_a_hesitation(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None), answer


def test_numeric_another_value_with_its_unit_offered() -> None:
    prompt = "What is the speed in m/s?"
    assert _check("numeric", "\\boxed{12} m/s. Or 13 m/s.", "12 m/s", prompt) == (False, "multiple_answers")
    assert _check("numeric", "\\boxed{12}. Hmm, 12 m/s.", "12 m/s", prompt) == (True, None)


# math 41, numeric 36: a final answer that doubts its number or calls it wrong passed for that number
DOUBTED = [
    "12 is not the answer.",
    "12 is incorrect.",
    "12 would be wrong.",
    "12 apples would be wrong.",
    "12 is definitely not the answer.",
    "I don't think it's 12.",
    "I doubt it's 12.",
    "It's unlikely to be 12.",
    "The answer is unlikely to be 12.",
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("answer", DOUBTED)
def test_a_number_doubted_or_called_wrong_is_no_answer(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (False, "no_answer"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("answer", ["12 is the answer.", "12 is correct.", "12 apples is the answer.", "12 is right."])
def test_a_number_called_right_is_the_answer(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


# mcq 35: an option's text doubted passed for that option
@pytest.mark.parametrize(
    "answer",
    [
        "I doubt it's Mars.",
        "I don't think it's Mars.",
        "It's unlikely to be Mars.",
        "Mars is unlikely.",
        "Mars seems unlikely.",
    ],
)
def test_mcq_an_option_text_doubted_is_no_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "no_answer"), answer


@pytest.mark.parametrize(
    "answer",
    [
        "I think it's Mars.",
        "Mars, I believe.",
        "I don't think it's Venus. It's Mars.",
        "Mars is unlikely to support life, but it is the Red Planet.",
    ],
)
def test_mcq_an_option_text_not_doubted_is_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None), answer


# mcq 36: an option's text after a negated verb of choosing ("I would not say Mars.") passed for that option, and beside
# the option given as the answer ("I wouldn't choose Venus; Mars is the Red Planet.") failed a right answer
# `multiple_answers`
NOT_CHOSEN = [
    "I would not say Mars.",
    "I wouldn't choose Mars.",
    "I would never pick Mars.",
    "I won't go with Mars.",
    "I didn't select Mars.",
    "We cannot say it is Mars.",
    "I'd not opt for Mars.",
]


@pytest.mark.parametrize("answer", NOT_CHOSEN)
def test_mcq_an_option_text_not_chosen_is_no_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "no_answer"), answer


@pytest.mark.parametrize(
    "answer",
    [
        "I wouldn't choose Venus; Mars is the Red Planet.",
        "I wouldn't pick Venus. Mars.",
        "I would not go with Venus. It is Mars.",
        "Mars is red. I would never pick Venus.",
        "I won't say Venus. Mars.",
        "I would not say Venus, I would say Mars.",
        "I would say Mars.",
        "I'd choose Mars.",
        "I don't pick at random: Mars.",
    ],
)
def test_mcq_another_option_not_chosen_leaves_the_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None), answer


# math 42, numeric 37, exact 23, mcq 36 (extract.doubted_statement): a statement its own sentence doubts or denies
# before its keyword ("I don't think the answer is 12.") was read as the answer and passed
DOUBTED_STATEMENTS = [
    "I don't think the answer is {}.",
    "I doubt the final answer is {}.",
    "I wouldn't say the answer is {}.",
    "It is not true that the answer is {}.",
    "I'm not sure the answer is {}.",
    "I do not believe the answer is {}.",
]
# math 42, numeric 37, mcq 36 (extract._FOREIGN_DOUBT): a value doubted in the languages the verifiers read
FOREIGN_DOUBTED = [
    "No creo que la respuesta sea {}.",
    "No creo que la respuesta es {}.",
    "Je ne pense pas que la réponse soit {}.",
    "Je ne suis pas sûr que la réponse soit {}.",
    "Ich glaube nicht, dass die Antwort {} ist.",
    "Ich bin nicht sicher, ob die Antwort {} ist.",
    "Не думаю, что ответ {}.",
    "我不认为答案是{}。",
    "我不确定答案是{}。",
]
NOT_DOUBTED_STATEMENTS = [
    "The answer is {}.",
    "I think the answer is {}.",
    "I'm not sure, but the answer is {}.",
    "I doubt anyone would disagree: the answer is {}.",
    "I don't think the answer is {other}. The answer is {}.",
    "I don't think the answer is {other}.\n\nAnswer: {}",
]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("template", DOUBTED_STATEMENTS + FOREIGN_DOUBTED)
def test_a_number_stated_in_doubt_is_no_answer(verifier: str, template: str) -> None:
    answer = template.format("12")
    assert _check(verifier, answer, "12", "How many apples?") == (False, "no_answer"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("template", NOT_DOUBTED_STATEMENTS)
def test_a_number_stated_without_doubt_is_the_answer(verifier: str, template: str) -> None:
    answer = template.format("12", other="13")
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


@pytest.mark.parametrize("template", DOUBTED_STATEMENTS)
def test_exact_a_value_stated_in_doubt_fails(template: str) -> None:
    answer = template.format("Paris")
    assert not _check("exact", answer, "Paris", "What is the capital of France?")[0], answer


@pytest.mark.parametrize("template", NOT_DOUBTED_STATEMENTS)
def test_exact_a_value_stated_without_doubt_passes(template: str) -> None:
    answer = template.format("Paris", other="Lyon")
    assert _check("exact", answer, "Paris", "What is the capital of France?") == (True, None), answer


@pytest.mark.parametrize("value", ["C", "Mars"])
@pytest.mark.parametrize("template", DOUBTED_STATEMENTS)
def test_mcq_an_option_stated_in_doubt_is_no_answer(template: str, value: str) -> None:
    answer = template.format(value)
    assert _mcq(answer, "C") == (False, "no_answer"), answer


@pytest.mark.parametrize(("value", "other"), [("C", "B"), ("Mars", "Venus")])
@pytest.mark.parametrize("template", NOT_DOUBTED_STATEMENTS)
def test_mcq_an_option_stated_without_doubt_is_the_answer(template: str, value: str, other: str) -> None:
    answer = template.format(value, other=other)
    assert _mcq(answer, "C") == (True, None), answer


# math 41, numeric 36, exact 22: another value hedged on a line after the answer's (only the answer's own line was read)
@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\nAlso 13.",
        "\\boxed{12}\n\n13 is also possible.",
        "\\boxed{12}\n\nA second solution is 13.",
        "\\boxed{12}\n\n13 works too.",
        "\\boxed{12}\n\nI'd also accept 13.",
        "\\boxed{12}\n\nThough 13 is defensible.",
        "The answer is 12.\n\n13 is also possible.",
        "The answer is 12.\n\nI'd also accept 13.",
    ],
)
def test_another_number_hedged_on_a_later_line(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (False, "multiple_answers"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\nThis is also correct for negative x.",
        "\\boxed{12}\n\nStep 2 could also be done differently.",
        "\\boxed{12}\n\nThe method also works for larger numbers.",
        "\\boxed{12}\n\nAlso, 12 is even.",
        "\\boxed{12}\n\n13 could also be correct if the rotten apple counted, but it does not.",  # a supposition
    ],
)
def test_no_other_number_hedged_on_a_later_line(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{Paris}\n\nLyon is also possible.",
        "\\boxed{Paris}\n\nThough Lyon is defensible.",
        "\\boxed{Paris}\n\nAlso Lyon.",
        "The answer is Paris.\n\nI'd also accept Lyon.",
    ],
)
def test_exact_another_name_hedged_on_a_later_line(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (False, "multiple_answers"), answer


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{Paris}\n\nThis is also correct for the old kingdom.",
        "\\boxed{Paris}\n\nIt could also be argued that Paris is the cultural capital.",
    ],
)
def test_exact_no_other_name_hedged_on_a_later_line(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (True, None), answer


# exact 22: a name stated after the box, or named as what the question asks after a word that takes it back, passed
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{Paris}\n\nTherefore, the answer is Lyon.",
        "\\boxed{Paris}\n\nSo the final answer is Lyon.",
        "**Answer:** Paris\n\nActually the capital is Lyon.",
        "**Answer:** Paris\n\nWait, the capital of France is Lyon.",
    ],
)
def test_exact_a_later_name_stated_is_a_second_answer(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (False, "multiple_answers"), answer


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{Paris}\n\nFinal Answer: Paris",
        "\\boxed{Paris}\n\nThe answer is Paris, the capital of France.",
        "\\boxed{Paris}\n\nThe answer is the capital city of France.",  # a description, no name
        "\\boxed{Paris}\n\nThe answer is correct.",
        "\\boxed{Paris}\n\nWait, let me check: the capital of France is Paris.",
        "\\boxed{\\text{Paris}}\n\nThus the answer is Paris.",
    ],
)
def test_exact_the_same_name_stated_again(answer: str) -> None:
    assert _check("exact", answer, "Paris") == (True, None), answer


# math 41, numeric 36: a number restated on a line of its own after the answer, or a person named having it after a
# word that takes the answer back, passed for the first
@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\nIn total: 13 apples.",
        "\\boxed{12}\n\nTotal = 13.",
        "\\boxed{12}\n\n**13**",
        "\\boxed{12}\n\n13",
        "The answer is 12.\n\n**13**",
        "\\boxed{12}\n\nWait, Tom has 13 apples.",
    ],
)
def test_another_number_restated_on_a_line_of_its_own(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (False, "multiple_answers"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\n**12**",
        "\\boxed{12}\n\nTotal: 12 apples.",
        "\\boxed{12}\n\n1. Tom has 5.\n2. He buys 7.",
        "\\boxed{12}\n\nStep 1\n5\n7\nSum: 12",  # a plain number line counts only as the last line
        "\\boxed{12}\n\nCheck:\n12 - 7\n= 5",  # a check written down the lines
    ],
)
def test_numbers_on_lines_of_their_own_that_restate_or_compute(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


@pytest.mark.parametrize(
    ("answer", "passed"),
    [
        ("\\boxed{Yes}\n\n**No**", False),
        ("\\boxed{Yes}\n\nNo", False),
        ("The answer is yes.\n\nNo.", False),
        ("\\boxed{Yes}\n\nYes.", True),
        ("\\boxed{Yes}\n\n**Yes**", True),
    ],
)
def test_exact_a_yes_no_on_a_line_of_its_own_after_a_yes_no_answer(answer: str, passed: bool) -> None:
    assert _check("exact", answer, "yes", "Is the sky blue?")[0] is passed, answer


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{12}\n\n也可能是13。",
        "\\boxed{12}\n\nO quizás 13.",
        "\\boxed{12}\n\nOder vielleicht 13.",
        "\\boxed{12}\n\nVielleicht 13.",
        "\\boxed{12}\n\nTal vez 13.",
    ],
)
def test_another_number_hedged_on_a_later_line_in_the_prompts_language(answer: str) -> None:
    assert _check("math", answer, "12", "How many apples?") == (False, "multiple_answers"), answer


# math 42, numeric 37 (extract._COUNTERFACTUAL): a one-line answer whose number stands under a condition that does not
# hold, or in a question, was read as that number and passed
@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "The answer would be 12 if he had not eaten one.",
        "The answer would have been 12 had he kept all of them.",
        "It would have been 12.",
        "Is the answer 12?",
        "Could it be 12?",
    ],
)
def test_a_number_under_a_condition_or_asked_is_no_answer(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (False, "no_answer"), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    ["So the answer would be 12.", "The answer would be 12 apples.", "Would it be 12? Yes, the answer is 12."],
)
def test_a_number_said_with_would_is_the_answer(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


# mcq 36: an option's text asked ("Mars?") or under "would have been" passed for that option
@pytest.mark.parametrize(
    "answer",
    ["Mars?", "**Mars?**", "_Mars?_", "__Mars?__", "It would have been Mars.", "The answer would have been Mars."],
)
def test_mcq_an_option_text_asked_or_counterfactual_is_no_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "no_answer"), answer


@pytest.mark.parametrize("answer", ["Mars.", "The answer would have been Venus, but it is Mars.", "Mars? Yes, Mars."])
def test_mcq_an_option_text_given_after_a_question_or_counterfactual(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None), answer


# math 42, numeric 37, exact 23, mcq 36: more words that take the value just given back ("Just kidding, 13.", "Strike
# that: 13.", "I misspoke, 13.", "Whoops, 13."): the first value passed
TAKEN_BACK_MORE = ["Just kidding, {}.", "Just kidding, it's {}.", "Strike that: {}.", "I misspoke, {}.", "Whoops, {}."]


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize("template", TAKEN_BACK_MORE)
@pytest.mark.parametrize("opening", ["The answer is 12. ", "\\boxed{12}. "])
def test_a_number_taken_back_in_more_words(verifier: str, template: str, opening: str) -> None:
    answer = opening + template.format("13")
    assert not _check(verifier, answer, "12", "How many apples?")[0], answer
    # a box changed after it was given is no clean target either way (as "\boxed{12}. Oops, 13."); a stated answer
    # corrected is its correction (as "The answer is 12. Oops, 13.")
    assert _check(verifier, answer, "13", "How many apples?")[0] is ("boxed" not in opening), answer


@pytest.mark.parametrize("template", TAKEN_BACK_MORE)
def test_exact_and_mcq_take_back_in_more_words(template: str) -> None:
    answer = "The answer is Paris. " + template.format("Lyon")
    assert not _check("exact", answer, "Paris", "What is the capital of France?")[0], answer
    answer = "The answer is C. " + template.format("B")
    assert not _mcq(answer, "C")[0], answer
    assert _mcq(answer, "B") == (True, None), answer


@pytest.mark.parametrize("answer", ["The answer is 12. No kidding, 12 apples.", "\\boxed{12}. Just kidding, it is 12."])
def test_the_same_number_after_those_words_is_the_answer(answer: str) -> None:
    assert _check("math", answer, "12", "How many apples?") == (True, None), answer


@pytest.mark.parametrize("verifier", ["math", "numeric"])
@pytest.mark.parametrize(
    "answer",
    [
        "La respuesta es 12.",
        "Dudo que sea 13. La respuesta es 12.",
        "我不认为答案是13。答案是12。",
        "考虑不确定性，答案是12。",
    ],
)
def test_a_number_stated_after_a_doubt_in_another_language(verifier: str, answer: str) -> None:
    assert _check(verifier, answer, "12", "How many apples?") == (True, None), answer


def test_mcq_a_letter_doubted_in_chinese_is_no_answer() -> None:
    assert _mcq("我不认为答案是C。", "C") == (False, "no_answer")
    assert _mcq("我不认为答案是B。答案是C。", "C") == (True, None)
