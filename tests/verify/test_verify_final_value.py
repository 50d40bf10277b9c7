"""Where the final value of an answer is read, found wrong by probing the verifiers with responses as models write them
(math 17, numeric 12, mcq 12, exact 10). Each case below passed a wrong answer, or failed a right one, before.

- Two statements on one line: "The answer is 5. Let me double check: 2*3 = 6, so the answer is 6." The statement
  pattern took the rest of its line as the value, so the second statement on a line was never seen, and 5 passed.
  The last statement counts, as on separate lines.
- A one-line answer without a box or a statement was read whole: "So $x = 6$, not $5$." gave math-verify the line,
  which reads its last number: 5 passed. It is cut where its prose begins, as a stated value is.
- numeric read `\\frac34` as 34 and `\\boxed{- 3}` as 3 (a minus and a space).
- mcq took the last boxed letter and ignored the others: `\\boxed{C} or \\boxed{B}` passed for B.
- A number asserted in maths after a word that takes the answer back ("\\boxed{5} Actually, $x = 6$.") was not read.
"""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.extract import boxed_contents
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.math import verify_math
from pipeline.verify.verifiers.mcq import verify_mcq
from pipeline.verify.verifiers.simple import parse_number, verify_exact, verify_numeric

CFG = VerifyConfig()
CHOICES = {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}


def _math(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_math(answer, TaskSpec("t", "math", reference), CFG)
    return r.passed, r.detail


def _numeric(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_numeric(answer, TaskSpec("t", "numeric", reference), CFG)
    return r.passed, r.detail


def _mcq(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_mcq(answer, TaskSpec("t", "mcq", reference, verifier_args={"choices": CHOICES}), CFG)
    return r.passed, r.detail


TWO_STATEMENTS = [
    "The answer is 5. Let me double check: 2*3 = 6, so the answer is 6.",
    "My first guess was that the answer is 5. Rechecking the arithmetic, the answer is 6.",
    "Answer: 5. Hmm, that ignores the carry. Answer: 6",
]


@pytest.mark.parametrize("answer", TWO_STATEMENTS)
def test_the_last_statement_on_a_line_counts(answer: str) -> None:
    assert _math(answer, "5")[0] is False
    assert _math(answer, "6") == (True, None)
    assert _numeric(answer, "5")[0] is False
    assert _numeric(answer, "6") == (True, None)


def test_the_last_statement_on_a_line_counts_for_exact() -> None:
    answer = "I thought the answer is Paris. Checking again, the answer is Lyon."
    assert verify_exact(answer, TaskSpec("t", "exact", "Paris"), CFG).passed is False
    assert verify_exact(answer, TaskSpec("t", "exact", "Lyon"), CFG).passed is True


# a one-line answer, no box, no statement: its value ends where its prose begins
BARE_LINES = [
    ("So $x = 6$, not $5$.", "6", "5"),
    ("$6$ (not $5$)", "6", "5"),
    ("$x = 6$ (since $y = 5$)", "6", "5"),
    ("6 \u2014 not 5.", "6", "5"),
    ("100 (or 10^2)", "100", "10"),
]


@pytest.mark.parametrize(("answer", "right", "wrong"), BARE_LINES)
def test_a_bare_line_is_cut_where_its_prose_begins(answer: str, right: str, wrong: str) -> None:
    assert _math(answer, wrong)[0] is False
    assert _math(answer, right) == (True, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("\\frac34", 0.75),
        ("\\frac12", 0.5),
        ("\\tfrac{1}{2}", 0.5),
        ("\\frac{3}4", 0.75),
        ("\\frac3{4}", 0.75),
        ("- 3", -3.0),
        ("-\\,3", -3.0),
        ("$- 3$", -3.0),
        ("negative 3", -3.0),
        ("\\left(\\frac{3}{4}\\right)", 0.75),
        ("5 - 3", 3.0),  # an expression, not a negative number: its last number, as before (`_stated_number` fails it)
    ],
)
def test_numbers_written_in_latex_shorthand(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("answer", "right", "wrong"),
    [
        ("\\boxed{\\frac34}", "0.75", "34"),
        ("The answer is $\\frac12$.", "0.5", "12"),
        ("\\boxed{- 3}", "-3", "3"),
        ("\\boxed{-\\,3}", "-3", "3"),
        ("The answer is negative 3.", "-3", "3"),
        ("\\boxed{\\tfrac{1}{2}}", "0.5", "2"),
    ],
)
def test_numeric_reads_latex_shorthand(answer: str, right: str, wrong: str) -> None:
    assert _numeric(answer, right) == (True, None)
    assert _numeric(answer, wrong)[0] is False


# A mixed number in LaTeX (`1\frac{1}{2}`, `1 \frac{1}{2}`, `-2\tfrac34`) is its value, as `math` reads it (numeric 28:
# numeric 27 read three numbers and failed the right answer `multiple_answers`); a fraction not proper after a whole
# number (`2\frac{3}{2}`) is no mixed number and still states several.
@pytest.mark.parametrize(
    ("answer", "right", "wrong"),
    [
        ("\\boxed{1\\frac{1}{2}}", "1.5", "2"),
        ("\\boxed{1 \\frac{1}{2}}", "1.5", "0.5"),
        ("\\boxed{1\\,\\frac{1}{3}}", "4/3", "1"),
        ("\\boxed{-2\\tfrac34}", "-2.75", "-1.25"),
        ("The answer is $1\\frac{1}{2}$.", "1.5", "2"),
        ("\\boxed{1\\frac{1}{2}}", "\\frac{3}{2}", "\\frac{1}{2}"),
    ],
)
def test_numeric_reads_a_mixed_number(answer: str, right: str, wrong: str) -> None:
    assert _numeric(answer, right) == (True, None)
    assert _numeric(answer, wrong)[0] is False


def test_numeric_a_whole_number_before_an_improper_fraction_is_no_mixed_number() -> None:
    assert _numeric("\\boxed{2\\frac{3}{2}}", "3.5") == (False, "multiple_answers")
    assert parse_number("1\\frac{1}{2}") == pytest.approx(1.5)


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{C} or \\boxed{B}",
        "First I got \\boxed{C}, but corrected: \\boxed{B}",
        "<answer>C</answer>\n<answer>B</answer>",
        "\\boxed{Mars or Venus}",
        "\\boxed{Mars and Venus}",
    ],
)
def test_mcq_two_boxed_choices_are_two_answers(answer: str) -> None:
    assert _mcq(answer, "B") == (False, "multiple_answers")
    assert _mcq(answer, "C")[0] is False


@pytest.mark.parametrize("answer", ["\\boxed{B}", "\\boxed{B}\n\nSo \\boxed{B} it is.", "\\boxed{B. Venus}"])
def test_mcq_one_boxed_choice_still_passes(answer: str) -> None:
    assert _mcq(answer, "B") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\nActually, $x = 6$.",
        "\\boxed{5}\n\nWait, so $x=6$.",
        "\\boxed{5}\n\nWait, actually it's $6$.",
    ],
)
def test_a_value_taken_back_in_maths_is_read(answer: str) -> None:
    assert _math(answer, "5") == (False, "multiple_answers")
    assert _numeric(answer, "5")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\nWait, let me check: $2 + 3 = 5$.",  # a check that restates the value
        "\\boxed{5}\n\nActually, $x = 5$.",
    ],
)
def test_a_check_in_maths_that_restates_the_value_is_no_change(answer: str) -> None:
    assert _math(answer, "5") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 42.\nI am confident the answer is correct.",
        "The answer is 42.\n\nThe answer is reasonable given the constraints.",
        "The answer is 42. Thus the answer is as computed above.",
    ],
)
def test_a_later_statement_that_judges_the_answer_gives_no_value(answer: str) -> None:
    """Of several statements, the last that gives a value counts: "the answer is correct" was read as the answer."""
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)
    assert _math("The answer is correct.", "42")[0] is False  # a judgement alone is still all the answer says


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\nWait, actually it's $6$, not $5$.",
        "\\boxed{5}\n\nWait \u2014 the total is actually 6.",
        "\\boxed{5}\n\nCorrection: 6.",
        "\\boxed{5}\n\nWait, 6.",
        "\\boxed{5}\n\nOops, I mean 6.",
    ],
)
def test_more_ways_of_taking_the_answer_back(answer: str) -> None:
    """A correction after the box said so ("it's $6$, not $5$", "is actually 6", "Correction: 6.") is a second value:
    each passed for 5 (math 16, numeric 11)."""
    assert _math(answer, "5") == (False, "multiple_answers")
    assert _numeric(answer, "5")[0] is False


@pytest.mark.parametrize(
    "answer",
    ["\\boxed{5}\n\nWait, let me verify: 2 + 3 = 5.", "\\boxed{5}\n\nWait, 5 is right.", "\\boxed{5}\n\nWait, 5."],
)
def test_a_take_back_word_before_the_same_value_changes_nothing(answer: str) -> None:
    assert _math(answer, "5") == (True, None)


@pytest.mark.parametrize("answer", ["\\boxed{x = 5 \\text{ or } x = 6}", "x=4, y=5", "$x = 5$ and $x = 6$"])
def test_numeric_a_list_of_equations_states_several_values(answer: str) -> None:
    assert _numeric(answer, "5")[0] is False
    assert _numeric(answer, "6")[0] is False


@pytest.mark.parametrize("answer", ["\\boxed{x = 5}", "The answer is 2 + 3 = 5.", "x = y = 5"])
def test_numeric_one_equation_states_its_value(answer: str) -> None:
    assert _numeric(answer, "5") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{C}\n\nVenus is the correct choice.",
        "\\boxed{C}\n\nSo Venus is correct.",
        "\\boxed{C}. Venus is the answer.",
    ],
)
def test_mcq_another_option_called_right_by_its_text_is_a_second_answer(answer: str) -> None:
    """After the box, another option's text called the right one ("Venus is the correct choice.") commits to a second
    option, as its letter does ("B is the correct choice.": `multiple_answers` since mcq 11); mcq 11 passed it."""
    assert _mcq(answer, "C") == (False, "multiple_answers")
    assert _mcq(answer, "B")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{C}\n\nMars is the correct choice.",
        "\\boxed{C}\n\nVenus is the correct choice only for the hottest planet, not here.",
        "\\boxed{C}\n\nIf the question asked for the hottest planet, Venus would be the answer.",
    ],
)
def test_mcq_an_option_text_called_right_that_is_no_other_answer(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{Yes}\n\nWait, the answer is no.",
        "\\boxed{Yes}\n\nHmm, actually no.",
        "\\boxed{yes}\n\nOn second thought, it's no.",
    ],
)
def test_a_yes_no_answer_taken_back_is_a_second_value(answer: str) -> None:
    """BoolQ / StrategyQA: "\\boxed{Yes}" then "Wait, the answer is no." passed for yes (exact 9): a lower-case yes or
    no was no asserted name."""
    r = verify_exact(answer, TaskSpec("t", "exact", "yes"), CFG)
    assert (r.passed, r.detail) == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer", ["\\boxed{Yes}\n\nWait, no, that is right: the answer is yes.", "\\boxed{Yes}\n\nIt is no surprise."]
)
def test_yes_no_words_that_take_nothing_back(answer: str) -> None:
    assert verify_exact(answer, TaskSpec("t", "exact", "yes"), CFG).passed is True


# Answers in the prompt's language (math 18, numeric 13, exact 11, mcq 13): Hermes answers a Chinese, Japanese,
# Spanish, French, German or Russian prompt in that language.
CHOICES_ZH = {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}


def _mcq_zh(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_mcq(answer, TaskSpec("t", "mcq", reference, verifier_args={"choices": CHOICES_ZH}), CFG)
    return r.passed, r.detail


@pytest.mark.parametrize("answer", ["\\boxed{\uff16}", "\\boxed{\uff11\uff12} \u4e2a", "Answer: \uff16"])
def test_full_width_digits_are_digits(answer: str) -> None:
    """Chinese and Japanese answers write full-width forms (`\\boxed{６}`): math-verify could not read them, so math
    failed every such right answer `unparsable_answer`."""
    right = "12" if "\uff11" in answer else "6"
    assert _math(answer, right) == (True, None)
    assert _math(answer, "5")[0] is False
    assert _numeric(answer, right) == (True, None)


@pytest.mark.parametrize(
    "answer", ["\\boxed{\uff23}", "\\boxed{\uff08C\uff09}", "Answer: \uff08\uff23\uff09", "The answer is \uff23."]
)
def test_mcq_full_width_letters_are_letters(answer: str) -> None:
    """`\\boxed{Ｃ}`, "Answer: （C）": mcq found no answer in them and failed each right one `no_answer`."""
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


# a final answer stated in the prompt's language, after a line of working: with no box, no statement was found
# (`no_answer`), and a one-line answer was read whole
STATED_ELSEWHERE = [
    "解：小明原有 2 个苹果，又买了 4 个。\n故答案为：6",
    "解：2 + 4 = 6。\n所以答案为 6。",
    "2 + 4 = 6\n\n最终答案是 $6$",
    "2 + 4 = 6\n\n答案：6",
    "2 + 4 = 6\n答：6",
    "Primero sumamos 2 y 4.\nLa respuesta es 6.",
    "Primero sumamos 2 y 4.\n**Respuesta final:** 6",
    "D'abord, on ajoute 2 et 4.\nLa réponse finale est 6.",
    "D'abord, on ajoute 2 et 4.\nRéponse : 6",
    "Zuerst addieren wir 2 und 4.\nDie Antwort lautet 6.",
    "Zuerst addieren wir 2 und 4.\nDie endgültige Antwort ist 6.",
    "Сначала сложим 2 и 4.\nОтвет: 6",
    "Сначала сложим 2 и 4.\nИтак, ответ равен 6.",
    "まず 2 と 4 を足します。\n答えは 6 です。",
    "まず 2 と 4 を足します。\n答えは6です",
    "2 + 4 = 6\n\n**最终答案**\n6",
    "2 + 4 = 6\n\n### Respuesta final\n6",
]


@pytest.mark.parametrize("answer", STATED_ELSEWHERE)
def test_a_final_answer_stated_in_another_language(answer: str) -> None:
    assert _math(answer, "6") == (True, None)
    assert _math(answer, "4")[0] is False
    assert _numeric(answer, "6") == (True, None)
    assert _numeric(answer, "4")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 5.\n\nWait, 答案是 6。",
        "The answer is 5.\n\nEspera, la respuesta es 6.",
        "Answer: 5\n\nHmm, non. La réponse est 6.",
        "Ответ: 5\n\nThe answer is 6.",
    ],
)
def test_the_last_statement_counts_in_any_language(answer: str) -> None:
    """A statement in another language was not read: the earlier English one passed for 5."""
    assert _math(answer, "5")[0] is False
    assert _math(answer, "6") == (True, None)


@pytest.mark.parametrize(
    "answer", ["\\boxed{5}\n\n不对，答案是 6。", "\\boxed{5}\n\nEspera, la respuesta es 6.", "\\boxed{5}\n\nОтвет: 6"]
)
def test_a_statement_in_another_language_after_the_box_is_a_second_value(answer: str) -> None:
    assert _math(answer, "5") == (False, "multiple_answers")
    assert _numeric(answer, "5") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "故答案为：6。\n我们检查答案是否正确：2 + 4 = 6，答案是正确的。",
        "La respuesta es 6.\nLa respuesta es correcta.",
        "Die Antwort ist 6.\nDie Antwort ist richtig.",
        "回答：2 + 4 = 7 是错的。\n故答案为 6",
        "Ответ: 6\n\nОтвет верный.",
    ],
)
def test_words_about_the_answer_in_another_language_give_no_value(answer: str) -> None:
    """ "答案是否正确" (whether the answer is right), "答案是正确的" and "La respuesta es correcta" judge the answer."""
    assert _math(answer, "6") == (True, None)
    assert _numeric(answer, "6") == (True, None)


@pytest.mark.parametrize(
    "answer",
    ["La capital es París.\nLa respuesta es París.", "法国的首都是巴黎。\n答案：巴黎。", "Die Antwort lautet Paris."],
)
def test_exact_reads_a_statement_in_another_language(answer: str) -> None:
    reference = "París" if "París" in answer else "巴黎" if "巴黎" in answer else "Paris"
    assert verify_exact(answer, TaskSpec("t", "exact", reference), CFG).passed is True
    assert verify_exact(answer, TaskSpec("t", "exact", "Lyon"), CFG).passed is False


# an MCQ answered in the prompt's language (C-Eval, CMMLU, ...): mcq found no answer in any of these
MCQ_STATED_ELSEWHERE = [
    "解析：水星离太阳最近，金星最热，火星是红色的。\n故选C。",
    "解析：火星是红色的。\n故选：C",
    "分析：火星呈红色。\n\n答案：C",
    "分析：火星呈红色。\n\n答案是 C。",
    "分析：火星呈红色。\n所以正确答案是C",
    "分析：火星呈红色。\n因此应选 C。",
    "分析：火星呈红色。\n正确选项是 C。",
    "分析：火星呈红色。\n答案为C项。",
    "火星は赤いです。\n正解は C です。",
    "火星は赤いです。\n答えは C です。",
    "Marte es rojo.\nLa respuesta correcta es C.",
    "Marte es rojo.\nLa respuesta correcta es la opción C.",
    "Mars est rouge.\nLa réponse est (C).",
    "Der Mars ist rot.\nDie richtige Antwort ist C.",
    "Марс красный.\nОтвет: C",
    "Марс красный.\nПравильный ответ — C.",
    "Марс красный.\nПравильный вариант — C.",
    "Marte es rojo.\nLa opción correcta es C.",
]


@pytest.mark.parametrize("answer", MCQ_STATED_ELSEWHERE)
def test_mcq_an_answer_stated_in_another_language(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (True, None)
    assert _mcq_zh(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "选C",
        "选 C。",
        "我选C。",
        "我选择C。",
        "因此我选 C。",
        "解析：火星是红色的。\n所以本题选C。",
        "本题选C项。",
        "火星是红色的，选C。",
        "【答案】C",
        "【答案】C\n【解析】火星是红色的，金星最热。",
        "【答案】：C",
    ],
)
def test_mcq_a_chinese_choice_stated_on_its_own(answer: str) -> None:
    """ "选C", "我选C。", "本题选C", "【答案】C" (C-Eval's and CMMLU's solutions): mcq 23 read only "故选C" and the
    like, and failed each right answer `no_answer`."""
    assert _mcq_zh(answer, "C") == (True, None)
    assert _mcq_zh(answer, "B") == (False, "mismatch")


@pytest.mark.parametrize(
    "answer",
    [
        "不选C。\n故选B。",
        "如果我选C，就错了。故选B。",
        "选C是错误的。故选B。",
        "选C的同学错了。\n答案：B",
        "我选C还是B？故选B。",
    ],
)
def test_mcq_a_chinese_choice_discussed_is_no_answer(answer: str) -> None:
    assert _mcq_zh(answer, "B") == (True, None)


@pytest.mark.parametrize(
    "answer", ["我选C或B。", "【答案】C\n\n等等，应该选B。", "【答案】C．金星", "选C（金星）。", "我选C，即金星。"]
)
def test_mcq_a_chinese_choice_on_its_own_hedged_or_changed(answer: str) -> None:
    assert _mcq_zh(answer, "C")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "答案是 C（金星）。",
        "答案：C．金星",
        "所以答案是C，即金星。",
        "答案：C、金星",
        "答案：C。金星",
        "正解は C（金星）です。",
        "答案是金星（C）。",
    ],
)
def test_mcq_a_letter_and_another_options_text_in_full_width_punctuation(answer: str) -> None:
    """The letter and another option's text joined by full-width punctuation ("C（金星）", "C．金星", "C，即金星"):
    which option was meant is unknown, as for "Answer: C. Venus"; mcq 23 read the letter alone and passed each for C."""
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")
    assert _mcq_zh(answer, "B")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is C(Venus).",
        "Answer: C.Venus",
        "The answer is C, Venus.",
        "The answer is C, i.e. Venus.",
    ],
)
def test_mcq_a_letter_and_another_options_text_without_a_space(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "答案是 C（火星）。",
        "答案：C．火星",
        "\\boxed{C}（火星）",
        "所以答案是C，即火星。",
        "正解は C（火星）です。",
        "答案是C，因为金星是最热的。",
        "答案：C．火星。金星是最热的行星。",
        "\\boxed{C}，金星是最热的行星。",
    ],
)
def test_mcq_a_letter_with_its_own_text_in_full_width_punctuation(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (True, None)


@pytest.mark.parametrize(
    "answer",
    ["The answer is C(Mars).", "\\boxed{C} (Mars)", "The answer is C, i.e. Mars.", "\\boxed{C}. Venus is hot."],
)
def test_mcq_a_letter_with_its_own_text_without_a_space(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "答案是 C。\n\n不对，应该选B。",
        "The answer is C.\n\nWait, 答案是 B。",
        "Respuesta: C\n\nEspera, en realidad es B.",
        "分析：……\n答案：C。不对，是 B。",
    ],
)
def test_mcq_the_last_answer_counts_in_any_language(answer: str) -> None:
    """The English statement before a correction in another language passed for C."""
    assert _mcq_zh(answer, "C")[0] is False
    assert _mcq_zh(answer, "B") == (True, None)


@pytest.mark.parametrize(
    "answer", ["\\boxed{C}\n\n不对，应该选B。", "\\boxed{C}\n\n等等，答案是 B。", "\\boxed{C}\n\nПодождите, ответ: B."]
)
def test_mcq_another_answer_in_another_language_after_the_box(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")
    assert _mcq_zh(answer, "B")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "分析：……\n故选：B或C。",
        "分析：……\n答案是 B、C。",
    ],
)
def test_mcq_two_options_given_in_another_language(answer: str) -> None:
    assert _mcq_zh(answer, "B") == (False, "multiple_answers")
    assert _mcq_zh(answer, "C")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "选项B是错误的，因为金星最热。不选A。\n故选C。",
        "如果选B，就错了。\n答案：C",
        "A项错误，水星离太阳最近。B项错误，金星最热。C项正确，火星是红色的。D项错误。\n故选C。",
        "答案：C\n\n选项B（金星）是错误的，因为它是黄色的。",
        "错误的选项是 A、B、D，正确的选项是 C。",
        "分析：……\n答案：C\n\n我们检查答案是否正确：火星是红色的，答案是正确的。",
    ],
)
def test_mcq_options_discussed_in_another_language_are_no_answer(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\n等等，我算错了，应该是 6。",
        "\\boxed{5}\n\n不对，其实是6。",
        "\\boxed{5}\n\nEspera, me equivoqué: en realidad es 6.",
        "\\boxed{5}\n\nAttendez, en fait x = 6.",
        "\\boxed{5}\n\nWarte, ich habe mich verrechnet, also x = 6.",
        "\\boxed{5}\n\nПодождите, я ошибся: должно быть 6.",
    ],
)
def test_an_answer_taken_back_in_another_language(answer: str) -> None:
    """After the box, a correction in the prompt's language asserting another number is a second value, as "Wait, I
    made an error, it should be 6." is: each passed for 5 (math 17, numeric 12)."""
    assert _math(answer, "5") == (False, "multiple_answers")
    assert _numeric(answer, "5") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\n等等，这是错的。",
        "\\boxed{5}\n\n不对，我算错了。",
        "\\boxed{5}\n\nEspera, eso está mal.",
        "\\boxed{5}\n\nAttendez, c'est faux.",
        "\\boxed{5}\n\nMoment, das ist falsch.",
        "\\boxed{5}\n\nПодождите, это неверно.",
    ],
)
def test_an_answer_called_wrong_in_another_language(answer: str) -> None:
    assert _math(answer, "5") == (False, "retracted")
    assert _numeric(answer, "5") == (False, "retracted")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{5}\n\n等等，让我验证一下：2 + 3 = 5。没错。",
        "\\boxed{5}\n\n验证：2 + 3 = 5，答案正确。",
        "\\boxed{5}\n\nEspera, verifiquemos: 2 + 3 = 5. Es correcto.",
        "\\boxed{5}\n\nEspera, verifiquemos: la mitad de 10 es 5 y el doble de 2 es 4.",
        "\\boxed{5}\n\n其实这个问题很简单：2 + 3 = 5。",
        "\\boxed{5}\n\n注意：不要把 2 和 3 相乘得到 6。",
        "\\boxed{5}\n\n这是一个常见的错误：很多人会算成 6。",
    ],
)
def test_a_check_or_a_note_in_another_language_changes_nothing(answer: str) -> None:
    assert _math(answer, "5") == (True, None)
    assert _numeric(answer, "5") == (True, None)


@pytest.mark.parametrize(
    "answer", ["解：2 + 4 = 6\n答：小明一共有6个苹果。", "2 + 4 = 6\n答案是6个。", "2 + 4 = 6\n答えは6個です。"]
)
def test_math_a_chinese_sentence_around_one_number(answer: str) -> None:
    """A number written onto Chinese words ("答：小明一共有6个苹果。"): math-verify read the characters as symbols
    and failed it `mismatch`, as it failed "He has 6 apples." before math 16."""
    assert _math(answer, "6") == (True, None)
    assert _math(answer, "5")[0] is False


# A line that corrects its value is the value it corrects to, as "5. Wait, no, it's 6." is 6 (math 34, numeric 29:
# math 33 passed neither of the Chinese lines and failed the Japanese ones for both values, and numeric failed each
# `multiple_answers`; before math 20, math-verify passed the second for 6, the value it takes back)
@pytest.mark.parametrize(
    ("answer", "taken_back", "corrected"),
    [
        ("2 + 3 = 5\n答案是 5。不对，应该是 6。", "5", "6"),
        ("2 + 4 = 6\n答案是6个。不对，是5个。", "6", "5"),
        ("答えは43です。いや、42です。", "43", "42"),
        ("答えは43です。いいえ、42です。", "43", "42"),
        ("答えは43です。待って、42です。", "43", "42"),
        ("答えは43です。実は42です。", "43", "42"),
        ("答えは43個です。いや、42個です。", "43", "42"),
        ("答えは43です。いや、違う。42です。", "43", "42"),
        ("答えは43です。あ、間違えました。42です。", "43", "42"),
        ("The answer is 43. Oops, I made an error. It's 42.", "43", "42"),
        ("La respuesta es 43. Espera, en realidad es 42.", "43", "42"),
    ],
)
def test_a_line_that_corrects_its_value_is_the_corrected_value(answer: str, taken_back: str, corrected: str) -> None:
    assert _math(answer, corrected) == (True, None)
    assert _numeric(answer, corrected) == (True, None)
    assert _math(answer, taken_back)[0] is False
    assert _numeric(answer, taken_back)[0] is False


def test_a_japanese_correction_on_the_next_line_is_a_second_value() -> None:
    """As "The answer is 43.\nWait, no, it is 42." is: math 33 and numeric 28 passed it for 43."""
    assert _math("答えは43です。\nいや、42です。", "43")[0] is False
    assert _numeric("答えは43です。\nいや、42です。", "43") == (False, "multiple_answers")


def _exact(answer: str, reference: str) -> tuple[bool, str | None]:
    r = verify_exact(answer, TaskSpec("t", "exact", reference), CFG)
    return r.passed, r.detail


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("\\boxed{París}\n\nEspera, en realidad es Lyon.", "París"),
        ("\\boxed{París}\n\nEspera, la respuesta correcta es Lyon.", "París"),
        ("\\boxed{Paris}\n\nAttendez, en fait c'est Lyon.", "Paris"),
        ("\\boxed{Paris}\n\nWarte, eigentlich ist es Lyon.", "Paris"),
        ("\\boxed{Париж}\n\nПодождите, на самом деле это Лион.", "Париж"),
        ("\\boxed{Париж}\n\nПодождите, ответ: Лион.", "Париж"),
        ("\\boxed{巴黎}\n\n等等，其实是里昂。", "巴黎"),
        ("\\boxed{巴黎}\n\n不对，应该是里昂。", "巴黎"),
        ("\\boxed{パリ}\n\n待って、実はリヨンです。", "パリ"),
    ],
)
def test_exact_a_name_taken_back_in_another_language(answer: str, right: str) -> None:
    """A text answer taken back in the prompt's language, as "\\boxed{Paris} Wait, actually it's Lyon." is: each passed
    for the boxed value (exact 11)."""
    assert _exact(answer, right) == (False, "multiple_answers")


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("\\boxed{París}\n\nEspera, en realidad es París.", "París"),
        ("\\boxed{París}\n\nEspera, en realidad es la capital de Francia.", "París"),
        ("\\boxed{Paris}\n\nAttendez, c'est faux? Non, c'est correct.", "Paris"),
        ("\\boxed{巴黎}\n\n等等，其实是对的。", "巴黎"),
        ("\\boxed{巴黎}\n\n等等，其实是法国的首都。", "巴黎"),
        ("\\boxed{巴黎}\n\n其实是巴黎。", "巴黎"),
    ],
)
def test_exact_words_in_another_language_that_take_no_name_back(answer: str, right: str) -> None:
    assert _exact(answer, right) == (True, None)


@pytest.mark.parametrize(
    "answer", ["答案：C\n\n等等，其实是金星。", "Ответ: C\n\nПодождите, на самом деле это Венера."]
)
def test_mcq_a_letter_taken_back_by_an_option_text_in_another_language(answer: str) -> None:
    choices = CHOICES_ZH if "金星" in answer else {"A": "Меркурий", "B": "Венера", "C": "Марс", "D": "Юпитер"}
    r = verify_mcq(answer, TaskSpec("t", "mcq", "C", verifier_args={"choices": choices}), CFG)
    assert (r.passed, r.detail) == (False, "multiple_answers")


# Another value offered as right or possible in the prompt's language, as "it could be 6", "maybe 6" and "6 is also
# correct" are: math 18, numeric 13, exact 11 and mcq 13 passed each of these for the first value
HEDGED_ELSEWHERE = [
    "\\boxed{6}，但也可能是 7。",
    "\\boxed{6}，7 也可能正确。",
    "\\boxed{6}，但7也有可能。",
    "\\boxed{6}，或许是 7。",
    "\\boxed{6}, pero también podría ser 7.",
    "\\boxed{6}, aunque 7 también podría ser correcta.",
    "\\boxed{6}, quizás 7.",
    "\\boxed{6} (o tal vez 7)",
    "\\boxed{6}, mais ça pourrait être 7.",
    "\\boxed{6}, peut-être 7.",
    "\\boxed{6}, mais 7 est aussi possible.",
    "\\boxed{6}, vielleicht 7.",
    "\\boxed{6}, aber es könnte auch 7 sein.",
    "\\boxed{6}, aber 7 ist auch richtig.",
    "\\boxed{6}, но может быть и 7.",
    "\\boxed{6}, возможно, 7.",
    "\\boxed{6}, но 7 тоже может быть правильным.",
]


@pytest.mark.parametrize("answer", HEDGED_ELSEWHERE)
def test_a_value_hedged_in_another_language(answer: str) -> None:
    assert _math(answer, "6") == (False, "multiple_answers")
    assert _numeric(answer, "6") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{París}, pero también podría ser Lyon.",
        "\\boxed{Paris}, peut-être Lyon.",
        "\\boxed{Париж}, но возможно Лион.",
        "\\boxed{巴黎}，但里昂也可能正确。",
        "\\boxed{巴黎}，也可能是里昂。",
    ],
)
def test_exact_a_name_hedged_in_another_language(answer: str) -> None:
    right = boxed_contents(answer)[0]
    assert _exact(answer, right) == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "答案是C，但B也可能正确。",
        "答案是C，也可能是B。",
        "\\boxed{C}，但也可能是B。",
        "答案是C，但B也有可能。",
        "故选C，或许是B。",
        "La respuesta es C, pero B también podría ser correcta.",
        "La respuesta es C, quizás B.",
        "La réponse est C, mais B pourrait aussi être correcte.",
        "Die Antwort ist C, vielleicht B.",
        "Die Antwort ist C, aber B ist auch richtig.",
        "Ответ: C, но возможно B.",
        "Ответ: C, но B тоже может быть правильным.",
    ],
)
def test_mcq_an_answer_hedged_in_another_language(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")


# naming another value without calling it right or possible is no hedge
NOT_HEDGED_ELSEWHERE = [
    "\\boxed{6}，7 是错误的。",
    "\\boxed{6}，7 也可能是错的。",
    "\\boxed{6}。这可能是因为 2 + 4 = 6。",
    "\\boxed{6}, no 7.",
    "\\boxed{6}, porque 7 también es incorrecta.",
    "\\boxed{6}, quizás sorprendente.",
    "\\boxed{6}. Vielleicht ist das überraschend.",
    "\\boxed{6}, а не 7.",
    "\\boxed{6}, возможно, это самый простой способ.",
    "\\boxed{6}, lo cual también es correcto.",
    "\\boxed{6}, ce qui est aussi possible.",
    "\\boxed{6}. Возможно, Вы ожидали другой ответ.",
    "\\boxed{6}，这也是正确的。",
]


@pytest.mark.parametrize("answer", NOT_HEDGED_ELSEWHERE)
def test_another_value_named_in_another_language_is_no_hedge(answer: str) -> None:
    assert _math(answer, "6") == (True, None)
    assert _numeric(answer, "6") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "答案是C，B是错误的。",
        "答案是C，因为B也可能是错的。",
        "答案是C。B也是行星，但不是红色的。",
        "La respuesta es C, porque B también es un planeta.",
        "Ответ: C, а B тоже неправильный.",
        "\\boxed{巴黎}\n\n这可能是最有名的城市。",
    ],
)
def test_mcq_another_option_named_in_another_language_is_no_hedge(answer: str) -> None:
    if "巴黎" in answer:
        assert _exact(answer, "巴黎") == (True, None)
        return
    assert _mcq_zh(answer, "C") == (True, None)


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("所以答案是六。", "6"),
        ("答案：十二", "12"),
        ("2 + 23 = 25\n答案是二十五。", "25"),
        ("\\boxed{六}", "6"),
        ("故答案为：一百零五", "105"),
        ("答案是两百。", "200"),
        ("答：六个。", "6"),
        ("答えは六です。", "6"),
        ("答案是零。", "0"),
        ("\\boxed{十}", "10"),
        ("答案：一千零五十", "1050"),
    ],
)
def test_a_chinese_numeral_as_the_final_answer(answer: str, value: str) -> None:
    """A final answer written in Chinese numerals ("所以答案是六。"): math failed it `unparsable_answer` and numeric
    `no_answer`, every right one lost."""
    assert _math(answer, value) == (True, None)
    assert _numeric(answer, value) == (True, None)
    assert _math(answer, "7")[0] is False
    assert _numeric(answer, "7")[0] is False


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("答案是十分之一。", "10"),  # a tenth, not 10
        ("答案是六七个。", "6"),  # six or seven
        ("答案是一个质数。", "1"),  # "a prime number"
        ("答案是一样的。", "1"),
        ("答案：十分正确", "10"),
        ("答案是三四。", "3"),
        ("答案是十十。", "10"),
    ],
)
def test_words_with_numeral_characters_are_no_number(answer: str, value: str) -> None:
    assert _math(answer, value)[0] is False
    assert _numeric(answer, value)[0] is False


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("The answer is seven.", "7"),
        ("Seven.", "7"),
        ("**Answer:** Seven", "7"),
        ("The answer is zero.", "0"),
        ("The answer is twenty-one.", "21"),
        ("The answer is ninety", "90"),
        ("The answer is one hundred.", "100"),
        ("The answer is a dozen.", "12"),
        ("Final answer: twelve", "12"),
    ],
)
def test_an_english_number_word_as_the_final_answer(answer: str, value: str) -> None:
    """A final answer that is one English number word ("The answer is seven."): math and numeric failed it `mismatch`
    and `no_answer` (math 33, numeric 28), as they read Chinese numerals (above) but no English words."""
    assert _math(answer, value) == (True, None)
    assert _numeric(answer, value) == (True, None)
    assert _math(answer, "8")[0] is False
    assert _numeric(answer, "8")[0] is False


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("There are seven days and eight nights.", "7"),  # two number words: no one value
        ("The answer is seventh.", "7"),  # an ordinal
        ("The answer is seven or eight.", "7"),
        ("The answer is a few.", "3"),
        ("The answer is none.", "0"),
    ],
)
def test_words_that_are_not_one_english_number_are_no_number(answer: str, value: str) -> None:
    assert _math(answer, value)[0] is False
    assert _numeric(answer, value)[0] is False


def test_a_reference_in_words_is_still_met_by_its_words() -> None:
    assert _math("The answer is seven.", "seven") == (True, None)


@pytest.mark.parametrize("answer", ["\\boxed{6}\n\n不对，答案是七。", "\\boxed{6}\n\n等等，其实是七。"])
def test_a_chinese_numeral_after_the_box_is_a_second_value(answer: str) -> None:
    assert _math(answer, "6") == (False, "multiple_answers")
    assert _numeric(answer, "6") == (False, "multiple_answers")


RU_PROMPT = "Какая планета красная?\nА) Меркурий\nБ) Венера\nВ) Марс\nГ) Юпитер"
RU_CHOICES = {"A": "Меркурий", "B": "Венера", "C": "Марс", "D": "Юпитер"}


def _mcq_ru(answer: str, reference: str, prompt: str = RU_PROMPT) -> tuple[bool, str | None]:
    r = verify_mcq(answer, TaskSpec("t", "mcq", reference, {"choices": RU_CHOICES}, prompt), CFG)
    return r.passed, r.detail


@pytest.mark.parametrize(
    "answer", ["Ответ: В", "\\boxed{В}", "Правильный ответ — В.", "В этом случае ответ: В.", "Ответ: В) Марс"]
)
def test_mcq_an_option_named_by_the_prompts_cyrillic_label(answer: str) -> None:
    """A prompt that lists its options under the Cyrillic labels А, Б, В, Г (ingest stores them as A, B, C, D): an
    answer naming the third one as "В" found no answer (mcq 13: `no_answer`, the right answer lost)."""
    assert _mcq_ru(answer, "C") == (True, None)
    assert _mcq_ru(answer, "B")[0] is False


def test_mcq_cyrillic_labels_are_read_only_where_the_prompt_uses_them() -> None:
    assert _mcq_ru("Ответ: Б", "B") == (True, None)
    assert _mcq_ru("Ответ: Б", "C") == (False, "mismatch")
    assert _mcq_ru("А если подумать, ответ: Б.", "B") == (True, None)  # "А" before a word is "and / but"
    assert _mcq_ru("Ответ: В", "C", prompt="Какая планета красная?")[0] is False  # no Cyrillic list: no letter


@pytest.mark.parametrize("answer", ["Ответ: B", "\\boxed{B}", "Правильный ответ — B."])
def test_mcq_a_latin_letter_that_looks_like_another_cyrillic_label_is_ambiguous(answer: str) -> None:
    """Under the labels А Б В Г Д Е, a Latin "B" is the second option by the Latin letters' order and looks exactly
    like "В", the third: it was read as the second, so an answer meant as В passed for Б (a wrong row) and failed
    for В. Either reading may be meant, so neither passes (`ambiguous_label`)."""
    assert _mcq_ru(answer, "B") == (False, "ambiguous_label")
    assert _mcq_ru(answer, "C") == (False, "ambiguous_label")


JA_PROMPT = "火星はどれか。\nア．水星\nイ．金星\nウ．火星\nエ．木星"
ZH_PROMPT = "下列哪个是红色的行星？\n甲．水星\n乙．金星\n丙．火星\n丁．木星"


def _mcq_labels(answer: str, reference: str, prompt: str) -> tuple[bool, str | None]:
    r = verify_mcq(answer, TaskSpec("t", "mcq", reference, {"choices": CHOICES_ZH}, prompt), CFG)
    return r.passed, r.detail


@pytest.mark.parametrize(
    ("answer", "prompt"),
    [
        ("正解：ウ", JA_PROMPT),
        ("\\boxed{ウ}", JA_PROMPT),
        ("火星は赤い惑星です。したがって、正解はウです。", JA_PROMPT),
        ("アは水星、イは金星なので誤り。答えはウ。", JA_PROMPT),
        ("答案是丙", ZH_PROMPT),
        ("火星是红色的。\n故选丙。", ZH_PROMPT),
        ("\\boxed{丙}", ZH_PROMPT),
        ("正解：ウ", "火星はどれか。\nア 水星\nイ 金星\nウ 火星\nエ 木星"),
    ],
)
def test_mcq_an_option_named_by_the_prompts_japanese_or_chinese_label(answer: str, prompt: str) -> None:
    """A prompt listing its options under ア イ ウ エ or 甲 乙 丙 丁 (stored as A, B, C, D by position): an answer
    naming the third as "ウ" or "丙" found no answer (mcq 23: `no_answer`, the right answer lost)."""
    assert _mcq_labels(answer, "C", prompt) == (True, None)
    assert _mcq_labels(answer, "B", prompt)[0] is False


@pytest.mark.parametrize(
    ("answer", "prompt"),
    [
        ("正解：ウ", "火星はどれか。"),  # no list: no label
        ("答案是丙", "下列哪个是红色的行星？"),
        # the labels name the question's statements, not the options
        ("正解：ウ", "正しいものはどれか。\nア．水星は赤い\nイ．金星は赤い\nウ．火星は赤い"),
        ("答案是丙", "甲、乙、丙、丁四人中谁说了真话？\n甲．我说了真话\n乙．丙说了假话\n丙．我说了真话"),
        ("答案是丙醇", ZH_PROMPT),  # a word, not a label
        ("正解はウランです。", JA_PROMPT),
    ],
)
def test_mcq_japanese_or_chinese_labels_are_read_only_where_the_prompt_lists_the_options(
    answer: str, prompt: str
) -> None:
    assert _mcq_labels(answer, "C", prompt)[0] is False


@pytest.mark.parametrize(("answer", "right"), [("Ответ: A", "A"), ("Ответ: C", "C"), ("Ответ: D", "D")])
def test_mcq_a_latin_letter_with_one_reading_under_cyrillic_labels(answer: str, right: str) -> None:
    # "A" looks like "А" and is first in both orders; "C" and "D" look like no label
    assert _mcq_ru(answer, right) == (True, None)
    assert _mcq_ru("Ответ: B", "B", prompt="What is red?\nA) Mercury\nB) Venus")[0] is True  # Latin labels: as is


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("\\boxed{yes}\n\nEspera, la respuesta es no.", "yes"),
        ("\\boxed{Sí}\n\nEspera, en realidad no.", "Sí"),
        ("\\boxed{Yes}\n\nAttends, en fait la réponse est non.", "Yes"),
        ("\\boxed{Oui}\n\nAttendez, en fait, non.", "Oui"),
        ("\\boxed{Yes}\n\nWarte, die Antwort ist nein.", "Yes"),
        ("\\boxed{Ja}\n\nWarte, eigentlich nein.", "Ja"),
        ("Ответ: да.\n\nПодождите, на самом деле ответ нет.", "да"),
        ("\\boxed{Нет}\n\nПодождите, на самом деле да.", "Нет"),
    ],
)
def test_exact_yes_or_no_taken_back_in_another_language(answer: str, right: str) -> None:
    """A yes / no answer taken back in the prompt's language, as "\\boxed{Yes} Wait, the answer is no." is: each passed
    for the first answer (exact 12 read a name taken back in these languages only when it was capitalised)."""
    assert _exact(answer, right) == (False, "multiple_answers")


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("\\boxed{Sí}\n\nEspera, verifiquemos: sí, es correcto.", "Sí"),
        ("\\boxed{Oui}\n\nEn fait, oui.", "Oui"),
        ("\\boxed{Нет}\n\nНа самом деле нет.", "Нет"),
        ("\\boxed{No}\n\nEspera, en realidad no.", "No"),
    ],
)
def test_exact_the_same_yes_or_no_said_again_in_another_language(answer: str, right: str) -> None:
    assert _exact(answer, right) == (True, None)


# Another value offered after "or" on the final answer's line ("\\boxed{5}, or 6.", "\\boxed{5}，或者6。") and an
# option called "maybe also right" with the words in the other order ("B可能也对"): each passed for the first value
OR_ANOTHER = ["\\boxed{6}, or 7.", "\\boxed{6}，或者7。", "\\boxed{6}，或 7。", "\\boxed{6}, o 7.", "\\boxed{6}, ou 7."]
OR_ANOTHER += ["\\boxed{6}, oder 7.", "\\boxed{6}, или 7."]


@pytest.mark.parametrize("answer", OR_ANOTHER)
def test_another_value_offered_after_or(answer: str) -> None:
    assert _math(answer, "6") == (False, "multiple_answers")
    assert _numeric(answer, "6") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{\\frac{1}{2}}, or 0.5.",
        "\\boxed{6}, or six.",
        "\\boxed{6}，或者说六个。",
        "\\boxed{6}, or 6 apples.",
        "\\boxed{6}, or I could be wrong about the units.",
        "\\boxed{6}, oder 6.0.",
        "\\boxed{6}，这可能是最大值。",
        "\\boxed{6}，或许是因为对称性。",
        "\\boxed{0.5}, or \\frac{1}{2}.",
    ],
)
def test_the_same_value_after_or_is_no_hedge(answer: str) -> None:
    # 或许是因为: "maybe because"; 这可能是最大值: "this may be the maximum"
    reference = "1/2" if "frac" in answer else "6"
    assert _math(answer, reference) == (True, None)


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("\\boxed{Paris}, or Lyon.", "Paris"),
        ("答案是巴黎，或者里昂。", "巴黎"),
        ("\\boxed{巴黎}，或许是里昂。", "巴黎"),
        ("\\boxed{巴黎}，可能是里昂。", "巴黎"),
        ("\\boxed{巴黎}，里昂可能也对。", "巴黎"),
    ],
)
def test_exact_another_name_offered_after_or_or_maybe(answer: str, right: str) -> None:
    assert _exact(answer, right)[0] is False  # "答案是巴黎，或者里昂。" states both: `mismatch`


@pytest.mark.parametrize(
    "answer",
    [
        "答案是C，或者B。",
        "答案是C，不过B可能也对。",
        "答案是C。B可能也对。",
        "La respuesta es C, o B.",
        "La réponse est C, ou B.",
        "Ответ: C или D.",
    ],
)
def test_mcq_another_option_offered_after_or_or_maybe_also_right(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")


# math 31, numeric 26: a number with a scale word after it is its scaled value; the word was dropped, so each of these
# passed for 42 (and `\boxed{42万}` failed 420000)
SCALED_42 = [
    ("\\boxed{42万}", "420000"),
    ("\\boxed{42亿}", "4200000000"),
    ("答えは42万円です", "420000"),
    ("Ответ: 42 тысячи", "42000"),
    ("Die Antwort ist 42 Millionen.", "42000000"),
    ("La réponse est 42 millions.", "42000000"),
    ("उत्तर 42 लाख है।", "4200000"),
    ("The answer is 42 thousand.", "42000"),
    ("\\boxed{42 \\text{ million}}", "42000000"),
    ("La respuesta es 42 mil.", "42000"),
    ("The answer is 1.5 billion.", "1500000000"),
    ("Die Antwort ist 1,5 Millionen.", "1500000"),
    ("所以答案是3千万。", "30000000"),
    ("The answer is 42 thousandths.", "0.042"),
]


@pytest.mark.parametrize(("answer", "scaled"), SCALED_42)
def test_a_scale_word_scales_its_number(answer: str, scaled: str) -> None:
    reference = "1.5" if "1.5 " in answer or "1,5" in answer else "3" if "3千万" in answer else "42"
    assert _math(answer, reference)[0] is False
    assert _numeric(answer, reference)[0] is False
    assert _math(answer, scaled) == (True, None)
    assert _numeric(answer, scaled) == (True, None)


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("\\boxed{5千克}", "5"),  # 5 kg: 千 is the unit's prefix
        ("He ran 42 thousand metres, so the answer is 42000.", "42000"),
        ("\\boxed{42}", "42"),
        ("The answer is 42 apples.", "42"),
        ("The 42 millionth visitor won, so the answer is 42.", "42"),
    ],
)
def test_no_scale_word_is_read_where_there_is_none(answer: str, reference: str) -> None:
    assert _math(answer, reference) == (True, None)
    assert _numeric(answer, reference) == (True, None)


# math 34, numeric 29: "billion" and "trillion" are the long scale's (10^12, 10^18) in a French, German, Spanish,
# Italian or Dutch answer, or in a bare one to a prompt in those languages; math 33 read "42 billions" and "1 Billion"
# as 42 * 10^9 and 10^9, passing a value 1000 times too small
LONG_SCALE = [
    ("La réponse est 42 billions.", "Combien ?", "42000000000000", "42000000000"),
    ("\\boxed{42 \\text{ billions}}", "Combien d'habitants ?", "42000000000000", "42000000000"),
    ("Die Antwort ist 1 Billion.", "Wie viele?", "1000000000000", "1000000000"),
    ("Die Antwort ist 2 Trillionen.", "Wie viele?", "2000000000000000000", "2000000000000"),
    ("Die Antwort ist 2 Billiarden.", "Wie viele?", "2000000000000000", "2000000000"),
    ("La risposta è 42 bilioni.", "Quanti?", "42000000000000", "42000000000"),
    ("Het antwoord is 42 miljard.", "Hoeveel?", "42000000000", "42"),
    ("La respuesta es 42 trillones.", "¿Cuántos?", "42000000000000000000", "42000000000000"),
    ("La réponse est 42 milliards.", "Combien ?", "42000000000", "42000000000000"),
    ("The answer is 42 billion.", "How many?", "42000000000", "42000000000000"),
    ("The answer is 42 trillion.", "How many?", "42000000000000", "42000000000000000000"),
    ("\\boxed{42 \\text{ billion}}", "How many people?", "42000000000", "42000000000000"),
]


@pytest.mark.parametrize(("answer", "prompt", "right", "wrong"), LONG_SCALE)
@pytest.mark.parametrize("verifier", [verify_math, verify_numeric])
def test_billion_is_the_long_scales_in_its_languages(
    verifier, answer: str, prompt: str, right: str, wrong: str
) -> None:
    def judge(reference: str) -> tuple[bool, str | None]:
        r = verifier(answer, TaskSpec("t", "x", reference, {}, prompt=prompt), CFG)
        return r.passed, r.detail

    assert judge(right) == (True, None)
    assert judge(wrong)[0] is False


def test_a_reference_with_a_scale_word_is_its_scaled_value() -> None:
    assert _math("\\boxed{420000}", "42万") == (True, None)
    assert _numeric("\\boxed{420000}", "42万") == (True, None)
    assert _math("\\boxed{42}", "42 thousand")[0] is False


# math 31: Unicode decimal digits are read as ASCII digits (numeric read them already); math-verify read none, so the
# reference `٤٢` failed `unparsable_reference` and the answer `\boxed{४२}` `unparsable_answer`
@pytest.mark.parametrize("reference", ["\uff14\uff12", "\u0664\u0662", "\u096a\u0968", "42"])
@pytest.mark.parametrize(
    "answer", ["\\boxed{42}", "\\boxed{\u0664\u0662}", "\\boxed{\u06f4\u06f2}", "\\boxed{\u096a\u0968}",
               "الجواب: \u0664\u0662", "अतः उत्तर \u096a\u0968 है।"]
)  # fmt: skip
def test_unicode_digits_are_read(answer: str, reference: str) -> None:
    assert _math(answer, reference) == (True, None)
    assert _numeric(answer, reference) == (True, None)


def test_unicode_digits_are_still_compared() -> None:
    assert _math("\\boxed{\u0664\u0662}", "43") == (False, "mismatch")
    assert _math("\\boxed{42}", "\u0664\u0663") == (False, "mismatch")
    assert _math("\\boxed{x^\u0662}", "x^2") == (True, None)


# math 31, numeric 26: a bound or a negation in the prompt's language states no value, as the English ones ("at least
# 42", "not 42") do; each passed for 42
FOREIGN_BOUNDS = [
    "答案不是 42",
    "答案是至少 42",
    "答案是 42 以上",
    "答案是 42 个以下",
    "答案是不少于42个。",
    "答えは少なくとも42です",
    "答えは42以上です",
    "答えは42ではありません。",
    "Ответ: не 42",
    "Ответ: более 42",
    "Ответ: не менее 42.",
    "Die Antwort ist mindestens 42.",
    "Die Antwort ist nicht 42.",
    "Die Antwort ist mehr als 42.",
    "La réponse est au moins 42.",
    "La réponse n'est pas 42.",
    "La réponse est plus de 42.",
    "La respuesta es al menos 42.",
    "La respuesta no es 42.",
    "उत्तर 42 नहीं है",
    "उत्तर कम से कम 42 है।",
    "الجواب ليس 42",
    "الجواب أكثر من 42",
    "The answer is 42 or more.",
    "\\boxed{\\text{at least } 42}",
]


@pytest.mark.parametrize("answer", FOREIGN_BOUNDS)
def test_a_bound_or_a_negation_in_another_language_states_no_value(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42")[0] is False
    assert _math(answer, "-42")[0] is False  # "au moins", "al menos": no minus sign


# a sign said in words is a minus sign: each passed for 42 and failed -42 (math read "negative 42" as 42)
MINUS_WORDS = [
    "答案是 负42",
    "答えはマイナス42です",
    "Ответ: минус 42",
    "Die Antwort ist minus 42.",
    "La réponse est moins 42.",
    "The answer is negative 42.",
    "The answer is minus 42.",
]


@pytest.mark.parametrize("answer", MINUS_WORDS)
def test_a_minus_said_in_words_is_the_sign(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42")[0] is False
    assert _math(answer, "-42") == (True, None)
    assert _numeric(answer, "-42") == (True, None)


@pytest.mark.parametrize(
    "answer",
    ["答案是 42", "答えは42です", "Ответ: 42", "Die Antwort ist 42.", "La réponse est 42.", "उत्तर 42 है।",
     "答案是42个。", "The answer is 50 minus 8 = 42."],
)  # fmt: skip
def test_a_plain_foreign_statement_still_passes(answer: str) -> None:
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)


# math 31, numeric 26: an answer changed in the prompt's language (Japanese "いや、違います", German "Hoppla, Fehler",
# Arabic "انتظر، لقد أخطأت", Hindi "रुको, मुझसे गलती हुई"); none was read, so the first value passed
CHANGED_ANSWERS = [
    ("答えは43です。いや、違います、42です。", "43", "42"),
    ("\\boxed{42}\n\n嗯，好像不对，应该是43个。", "42", "43"),
    ("\\boxed{42}\n\nいや、違います。正しくは43です。", "42", "43"),
    ("\\boxed{42}\n\nHoppla, Fehler. Richtig ist 43.", "42", "43"),
    ("\\boxed{42}\n\nانتظر، لقد أخطأت. الجواب الصحيح هو 43.", "42", "43"),
    ("\\boxed{42}\n\nरुको, मुझसे गलती हुई। सही उत्तर 43 है।", "42", "43"),
    ("الجواب هو 43. لا، انتظر، إنه 42.", "43", "42"),
]


@pytest.mark.parametrize(("answer", "first", "last"), CHANGED_ANSWERS)
def test_an_answer_changed_in_another_language_is_not_its_first_value(answer: str, first: str, last: str) -> None:
    assert _math(answer, first)[0] is False
    assert _numeric(answer, first)[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "\\boxed{42}\n\nいや、違います。正しくは42です。",  # the same value restated
        "\\boxed{42}\n\nKein Fehler: die Antwort ist 42.",
        "\\boxed{42}\n\nDer Fehler liegt nahe bei 0, also bleibt die Antwort 42.",
        "\\boxed{42}\n\nरुको, जाँच करते हैं: 6 × 7 = 42।",
    ],
)
def test_a_check_in_another_language_that_restates_the_value_passes(answer: str) -> None:
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)


# Japanese hedges (mcq 25, numeric 27, exact 14, and math through `extract`): another value called right or possible
# ("Bも正しい可能性がある", "Bも正解かもしれません", "Bの可能性もある", "Bかもしれません") or offered after "or" ("また
# は", "もしくは", "あるいは") passed for the first value, where the Chinese forms ("B也可能正确", "或者B") failed it
JA_HEDGED_MCQ = [
    "正解はC。ただし、Bも正しい可能性がある。",
    "正解はCです。Bも正解かもしれません。",
    "答えはC。Bの可能性もある。",
    "正解はCですが、Bかもしれません。",
    "正解はCまたはBです。",
    "正解はC、またはB。",
    "正解はC、もしくはBです。",
    "\\boxed{C}。ただし、Bである可能性もあります。",
]


@pytest.mark.parametrize("answer", JA_HEDGED_MCQ)
def test_mcq_an_answer_hedged_in_japanese(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")
    assert _mcq(answer, "C") == (False, "multiple_answers")


JA_HEDGED_VALUES = [
    "答えは42、または43です。",
    "答えは42または43です。",
    "答えは42です。43も正しい可能性がある。",
    "答えは42です。43も正解かもしれません。",
    "答えは42です。43の可能性もある。",
    "答えは42ですが、43かもしれません。",
    "\\boxed{42}。ただし、43も正しいかもしれない。",
    "\\boxed{42}、あるいは43。",
]


@pytest.mark.parametrize("answer", JA_HEDGED_VALUES)
def test_a_value_hedged_in_japanese(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42") == (False, "multiple_answers")
    assert _exact(answer, "42")[0] is False  # "42、または43" read whole is no 42, as "42, or 43" is none


@pytest.mark.parametrize(
    "answer",
    [
        "正解はCです。Bも惑星ですが、赤くはありません。",
        "正解はCです。Bは正しくありません。",
        "正解はCです。Bも正しくない。",
        "正解はCかもしれないと思いましたが、確認したところCで間違いありません。",
        "正解はC。意外かもしれませんが、火星は赤い。",
    ],
)
def test_mcq_another_option_named_in_japanese_is_no_hedge(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (True, None)


@pytest.mark.parametrize(
    "answer", ["答えは42です。", "\\boxed{42}。43は正しくありません。", "答えは42です。意外かもしれませんが、正しい。"]
)
def test_another_value_named_in_japanese_is_no_hedge(answer: str) -> None:
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)
    assert _exact(answer, "42") == (True, None)


# Korean (mcq 25, numeric 27, exact 14): a final answer stated in Korean ("정답은 C입니다.", "답: 42") was no statement:
# mcq failed it `no_answer`, and so did math and numeric after a line of working; exact read "42입니다" as the value
KO_STATED_MCQ = [
    "정답은 C입니다.",
    "정답: C",
    "답: C",
    "따라서 정답은 C입니다.",
    "화성은 붉은 행성입니다.\n\n정답은 C입니다.",
]
KO_STATED_MCQ += ["최종 답: C", "정답은 C 입니다."]


@pytest.mark.parametrize("answer", KO_STATED_MCQ)
def test_mcq_an_answer_stated_in_korean(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)
    assert _mcq(answer, "B") == (False, "mismatch")


KO_STATED_VALUES = ["정답은 42입니다.", "답: 42", "따라서 정답은 42입니다.", "39 + 3 = 42이므로\n정답은 42입니다."]
KO_STATED_VALUES += ["계산하면 40 + 2 = 42.\n\n답: 42", "최종 답은 42이다."]


@pytest.mark.parametrize("answer", KO_STATED_VALUES)
def test_a_value_stated_in_korean(answer: str) -> None:
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)
    assert _exact(answer, "42") == (True, None)
    assert _math(answer, "43")[0] is False
    assert _numeric(answer, "43")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "정답은 C 또는 B입니다.",
        "정답은 C 혹은 B입니다.",
        "정답은 C입니다. B일 수도 있습니다.",
        "정답은 C입니다. 하지만 B도 정답일 수 있습니다.",
        "정답은 C입니다. B일지도 모릅니다.",
        "\\boxed{C}\n\n아니, 정답은 B입니다.",
        "\\boxed{C}\n\n잠깐, 정답은 B입니다.",
        "정답은 C입니다. 아니, 정답은 C 또는 B입니다.",
    ],
)
def test_mcq_an_answer_hedged_or_changed_in_korean(answer: str) -> None:
    assert _mcq(answer, "C") == (False, "multiple_answers")


@pytest.mark.parametrize(
    "answer",
    [
        "정답은 42 또는 43입니다.",
        "정답은 42입니다. 43일 수도 있습니다.",
        "정답은 42입니다. 43도 정답일 수 있습니다.",
        "\\boxed{42}\n\n잠깐, 정답은 43입니다.",
        "\\boxed{42}, 또는 43.",
    ],
)
def test_a_value_hedged_or_changed_in_korean(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42") == (False, "multiple_answers")


# a Korean statement that negates or bounds its value states none ("C가 아니라": not C; "42 이상": 42 or more); read as
# the letter or the number, such an answer passed
@pytest.mark.parametrize("answer", ["정답은 C가 아니라 B입니다.", "정답은 C가 아닙니다.", "정답은 C이 아닙니다."])
def test_mcq_a_letter_negated_in_korean_is_not_the_answer(answer: str) -> None:
    assert _mcq(answer, "C")[0] is False


@pytest.mark.parametrize(
    "answer",
    ["정답은 42 이상입니다.", "정답은 적어도 42입니다.", "42가 아닙니다.", "정답은 42 미만입니다.", "답: 최소 42"],
)
def test_a_value_bounded_or_negated_in_korean_is_no_value(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "정답은 C입니다. B는 정답이 아닙니다.",
        "정답은 C입니다. B도 행성이지만 붉지 않습니다.",
        "정답은 C입니다. B도 정답이 아닙니다.",
    ],
)
def test_mcq_another_option_named_in_korean_is_no_hedge(answer: str) -> None:
    assert _mcq(answer, "C") == (True, None)


# mcq 25: another option's text joined to the box on its line in full-width parentheses ("\\boxed{C}（金星）", as
# "\\boxed{C} (Venus)"): the box was read alone, and passed for C
@pytest.mark.parametrize(
    ("answer", "ok"), [("\\boxed{C}（金星）", False), ("\\boxed{C}（火星）", True), ("\\boxed{C}：金星", False)]
)
def test_mcq_another_options_text_joined_to_the_box(answer: str, ok: bool) -> None:
    assert _mcq_zh(answer, "C") == ((True, None) if ok else (False, "multiple_answers"))


# "42, not 43" in the prompt's language (numeric 27, exact 14; math reads it so too): the value ends where the other
# value is negated, as in English ("The answer is 42, not 43." passed, these failed `no_answer` or `multiple_answers`)
NOT_ANOTHER = [
    "Die Antwort ist 42, nicht 43.",
    "Die Antwort ist 42 und nicht 43.",
    "La réponse est 42, pas 43.",
    "La réponse est 42, et non 43.",
    "La respuesta es 42, no 43.",
    "La respuesta es 42 y no 43.",
    "Ответ: 42, а не 43.",
    "Ответ: 42, не 43.",
    "答案是42，不是43。",
    "答案是42，而不是43。",
    "答案是42，而非43。",
    "答えは42で、43ではありません。",
    "答えは42であり、43ではない。",
]


@pytest.mark.parametrize("answer", NOT_ANOTHER)
def test_a_value_set_against_another_in_another_language(answer: str) -> None:
    assert _math(answer, "42") == (True, None)
    assert _numeric(answer, "42") == (True, None)
    assert _exact(answer, "42") == (True, None)
    assert _math(answer, "43")[0] is False
    assert _numeric(answer, "43")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "Die Antwort ist nicht 42, sondern 43.",
        "答案不是42，而是43。",
        "La respuesta no es 42, sino 43.",
        "Ответ: не 42, а 43.",
    ],
)
def test_a_value_negated_before_another_in_another_language_is_not_it(answer: str) -> None:
    assert _math(answer, "42")[0] is False
    assert _numeric(answer, "42")[0] is False


# mcq 25: a letter negated after its statement in Japanese ("正解はCではなくBです。": the answer is not C but B) is no
# answer of C (it passed for C), and an answer corrected to a hedge ("答案是B。不对，是C或D。") names both letters (it
# passed for C: the correction's letter was read alone)
@pytest.mark.parametrize("answer", ["正解はCではなくBです。", "正解はCではありません。", "答えはCじゃないです。"])
def test_mcq_a_letter_negated_in_japanese_is_not_the_answer(answer: str) -> None:
    assert _mcq_zh(answer, "C")[0] is False


@pytest.mark.parametrize(
    "answer",
    ["答案是B。不对，是C或D。", "正解はBです。いや、CまたはDです。", "Answer: B. Wait, actually C or D is right."],
)
def test_mcq_an_answer_corrected_to_a_hedge(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (False, "multiple_answers")


# mcq 26: a letter negated and then the one stated ("正解はBではなくCです。", "정답은 B가 아니라 C입니다.": not B but
# C) is that answer (mcq 25 found none and failed them `no_answer` for C); Spanish "no es B, sino C" negates B (it
# passed for B: "no es" was read as the correction "no, es B")
@pytest.mark.parametrize(
    "answer",
    [
        "正解はBではなくCです。",
        "正解はBじゃなくてCです。",
        "B가 아니라 C입니다",
        "정답은 B가 아니라 C입니다.",
        "La respuesta no es B, sino C.",
    ],
)
def test_mcq_a_letter_negated_then_the_one_stated(answer: str) -> None:
    assert _mcq_zh(answer, "C") == (True, None)
    assert _mcq_zh(answer, "B")[0] is False


@pytest.mark.parametrize(
    ("answer", "right", "wrong"),
    [
        ("The answer is 5. Wait, no, it's 6.", "6", "5"),
        ("答案是 5。不对，应该是 6。", "6", "5"),
        ("答えは43です。いや、42です。", "42", "43"),
    ],
)
def test_exact_reads_a_line_that_corrects_its_value_as_the_corrected_value(answer: str, right: str, wrong: str) -> None:
    """exact 15 (with math 34 and numeric 29, through `extract.line_value`): before, such a line failed both values."""
    assert verify_exact(answer, TaskSpec("t", "exact", right), CFG).passed
    assert not verify_exact(answer, TaskSpec("t", "exact", wrong), CFG).passed


# math 35, numeric 30, exact 16: a GSM8K-style answer that ends with its value on a `####` line ("#### 72"), as models
# fine-tuned on GSM8K write it, failed `no_answer` (math, numeric) and `mismatch` (exact) for its right value, and a
# box before it with another value passed for the box's value. The line is read only as the answer's last non-empty
# line and only where it gives a value: a Markdown heading ("#### Step 1", "#### 1. Setup") is never an answer.
GSM8K = "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48 + 24 = 72 clips altogether in April and May.\n"
GSM8K_FINAL = [
    GSM8K + "#### 72",
    GSM8K + "####72\n\n",
    GSM8K + "#### $72$",
    GSM8K + "#### 72.",
    "#### Step 1\n" + GSM8K + "#### Step 2\nCheck: 72 - 24 = 48.\n#### 72",
    "The answer is 72.\n" + GSM8K + "#### 72",
    "So the total is \\boxed{72}.\n#### 72",
]


@pytest.mark.parametrize("answer", GSM8K_FINAL)
def test_a_gsm8k_final_line_is_the_answer(answer: str) -> None:
    for check in (_math, _numeric):
        assert check(answer, "72") == (True, None)
        assert check(answer, "70")[0] is False
    assert verify_exact(answer, TaskSpec("t", "exact", "72"), CFG).passed
    assert not verify_exact(answer, TaskSpec("t", "exact", "70"), CFG).passed


def test_a_gsm8k_final_line_reads_latex_and_expressions() -> None:
    assert _math("Half of 3/2 is 3/4.\n#### \\frac{3}{4}", "0.75") == (True, None)
    assert _math("Solving, x = 5.\n#### x = 5", "5") == (True, None)
    assert _numeric("He pays 1,234 dollars.\n#### 1,234", "1234") == (True, None)
    assert _numeric("She is 5 years younger.\n#### -5", "-5") == (True, None)


@pytest.mark.parametrize(
    "answer",
    [
        "#### Step 1\n48 + 24 = 72",
        "48 + 24 = 72\n#### Step 1",
        "48 + 24 = 72\n#### 1. Setup",
        "48 + 24 = 72\n#### Step 72",
        "48 + 24 = 72\n#### 第72步",
        "#### 72\n48 + 24 = 72 clips.",
        "48 + 24 = 72\n##### 72",
    ],
)
def test_a_markdown_heading_is_no_gsm8k_answer(answer: str) -> None:
    assert _math(answer, "72") == (False, "no_answer")
    assert _numeric(answer, "72") == (False, "no_answer")
    assert _math(answer, "1")[0] is False


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 70.\n" + GSM8K + "#### 72",
        "Answer: 70\n" + GSM8K + "#### 72",
        "So the total is \\boxed{70}.\n#### 72",
        "So the total is \\boxed{72}.\n#### 70",
        GSM8K + "#### 72 (or maybe 70)",
        GSM8K + "#### 72, though 70 is also possible",
    ],
)
def test_a_gsm8k_final_line_with_another_committed_value_fails(answer: str) -> None:
    for check in (_math, _numeric):
        results = [check(answer, reference) for reference in ("70", "72")]
        assert not any(passed for passed, _detail in results)
        assert (False, "multiple_answers") in results  # the value read fails so; the other one is a `mismatch`


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 70.\n" + GSM8K + "#### 72",
        "So the total is \\boxed{70}.\n#### 72",
    ],
)
def test_exact_a_gsm8k_final_line_with_another_committed_value_fails(answer: str) -> None:
    for reference in ("70", "72"):
        assert verify_exact(answer, TaskSpec("t", "exact", reference), CFG).passed is False


def test_a_gsm8k_final_line_corrected() -> None:
    answer = GSM8K + "#### 70. Wait, no, it's 72."
    assert _math(answer, "72") == (True, None)
    assert _numeric(answer, "72") == (True, None)
    assert _math(answer, "70")[0] is False
    assert _numeric(answer, "70")[0] is False
    # the `####` line is read as the last non-empty line only: prose after it leaves no answer
    assert _math(GSM8K + "#### 72\nWait, that's wrong.", "72") == (False, "no_answer")


@pytest.mark.parametrize(
    "answer",
    [
        "The answer is 72. Wait, that's wrong.",
        "The answer is 72, but that's wrong.",
        "Answer: 72. Hmm, that doesn't seem right.",
        "#### 72. Wait, that's wrong.",
    ],
)
def test_an_answer_called_wrong_on_its_own_line_is_retracted(answer: str) -> None:
    """math 36, numeric 31, mcq 28: the retraction was looked for only on the lines after the stated answer's, so
    "The answer is 72. Wait, that's wrong." passed for 72 (math, numeric; exact failed it)."""
    assert _math(answer, "72")[0] is False
    assert _numeric(answer, "72")[0] is False
    assert verify_exact(answer, TaskSpec("t", "exact", "72"), CFG).passed is False


@pytest.mark.parametrize(
    ("answer", "ref"),
    [
        ("The answer is 72. Wait, that's wrong, it's 70.", "70"),
        ("The answer is 72. Is that wrong? No, 72 is right.", "72"),
        ("The answer is 72.", "72"),
    ],
)
def test_an_answer_kept_on_its_line_is_no_retraction(answer: str, ref: str) -> None:
    assert _math(answer, ref) == (True, None), _math(answer, ref)
    assert _numeric(answer, ref) == (True, None), _numeric(answer, ref)


def test_an_mcq_answer_called_wrong_on_its_own_line_is_retracted() -> None:
    assert _mcq("The answer is B. Wait, that's wrong.", "B")[0] is False
    assert _mcq("The answer is B. Wait, that's wrong, it's C.", "C")[0] is True
    assert _mcq("The answer is B. Wait, that's wrong, it's C.", "B")[0] is False
