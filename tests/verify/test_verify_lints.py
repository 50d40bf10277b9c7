"""Trace lints and how they combine with the verifier into one verdict and reason."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.dataset.messages import build_messages
from pipeline.trace import (
    MULTIPLE_THINK,
    TEMPLATE_OPENED_THINK,
    THINK_CLOSE,
    UNCLOSED_THINK,
    join_reasoning,
    parse_trace,
)
from pipeline.verify.config import LintConfig
from pipeline.verify.judge import Item, judge
from pipeline.verify.lints import REFUSAL_PHRASES, language_mismatch, refusal, repetition
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec

GOOD = "<think>\nsix times seven is forty-two\n</think>\n42"


def test_good_trace_passes(verdict) -> None:
    v = verdict(GOOD, "think")
    assert (v.passed, v.reason, v.lint_flags, v.mode) == (True, None, [], "think")
    assert v.think_tokens > 0 and v.answer_tokens == 1


@pytest.mark.parametrize(
    ("text", "mode", "reason"),
    [
        ("<think>\nstill thinking", "think", "lint:unclosed_think"),
        ("42", "think", "lint:no_think_block"),
        ("<think>a</think><think>b</think>42", "think", "lint:multiple_think"),
        ("<think>\n\n</think>\n42", "think", "lint:empty_think"),
        ("<think>\nreasoning\n</think>\n", "think", "lint:answer_missing"),
        ("<think>x</think>\n42", "no_think", "lint:think_in_no_think"),
        ("oops</think>\nmore</think>\n42", "think", "lint:multiple_think"),
        ("x\n</think>\n42", "no_think", "lint:think_in_no_think"),
        ("Sure!\n<think>\nx\n</think>\n42", "think", "lint:text_before_think"),
        ("<think>\nx\n</think>\n42<|im_end|>", "think", "lint:template_token"),
        ("42<|eot_id|><|start_header_id|>user", "no_think", "lint:template_token"),
    ],
)
def test_think_format_lints(verdict, text: str, mode: str, reason: str) -> None:
    v = verdict(text, mode)
    assert not v.passed and v.reason == reason
    assert reason.removeprefix("lint:") in v.lint_flags


# ------------------------------------------------------------------- templates that open <think> themselves
def test_template_opened_think_is_a_trace_judged_like_any_other(verdict) -> None:
    """DeepSeek-R1 / Qwen3-thinking templates put `<think>\\n` in the prompt: the response starts inside it."""
    text = "six times seven is forty-two\n</think>\n\n42"
    parsed = parse_trace(text, "think")
    assert (parsed.think, parsed.answer, parsed.flags) == (
        "six times seven is forty-two",
        "42",
        (TEMPLATE_OPENED_THINK,),
    )
    v = verdict(text, "think")
    assert (v.passed, v.reason, v.lint_flags) == (True, None, [])
    assert v.think_tokens == 7 and v.answer_tokens == 1  # six times seven is forty - two
    assert verdict(text, "auto").mode == "think" and verdict(text, "auto").passed
    wrong = verdict("six times seven is forty-one\n</think>\n41", "think")
    assert (wrong.passed, wrong.reason) == (False, "exact:mismatch")


@pytest.mark.parametrize(
    ("text", "mode", "reason", "flags"),
    [
        ("a\n</think>\nb\n</think>\n42", "think", "lint:multiple_think", {"multiple_think", "stray_think_close"}),
        ("</think>\n42", "think", "lint:empty_think", {"empty_think"}),
        ("reasoning only\n</think>\n", "think", "lint:answer_missing", {"answer_missing"}),
        (
            "six times seven\n</think>\n42",
            "no_think",
            "lint:think_in_no_think",
            {"think_in_no_think", "stray_think_close"},
        ),
    ],
)
def test_template_opened_think_still_fails_when_malformed_or_in_no_think_mode(
    verdict, text: str, mode: str, reason: str, flags: set[str]
) -> None:
    v = verdict(text, mode)
    assert (v.passed, v.reason) == (False, reason)
    assert flags <= set(v.lint_flags) and TEMPLATE_OPENED_THINK not in v.lint_flags


def test_template_opened_trace_becomes_a_canonical_training_turn() -> None:
    parsed = parse_trace("six times seven is forty-two\n</think>\n42", "think")
    msgs = build_messages("think", "What is six times seven?", parsed.answer, parsed.think)
    assert msgs[2]["content"].startswith("<think>\nsix times seven is forty-two\n</think>\n")
    again = parse_trace(msgs[2]["content"], "think")
    assert (again.think, again.answer, again.flags) == (parsed.think, "42", ())


# -------------------------------------------------------------------------------------------- truncation
@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (GOOD, "think"),  # a right-looking answer, cut after it
        ("<think>\nsix times seven is forty-two\n</think>\nThe answer is 42, because", "think"),
        ("<think>\nsix times seven is", "think"),
        ("42", "no_think"),
        ("six times seven is forty-two\n</think>\n42", "think"),
    ],
)
def test_a_truncated_generation_fails_whatever_its_answer(verdict, text: str, mode: str) -> None:
    v = verdict(text, mode, verifier="regex", pattern="42", finish_reason="length")
    assert (v.passed, v.reason) == (False, "lint:truncated")
    assert v.lint_flags[0] == "truncated"
    assert verdict(text, mode, verifier="regex", pattern="42", finish_reason="stop").reason != "lint:truncated"


@pytest.mark.parametrize(
    ("content", "finish"), [(None, "length"), (None, None), ("", "length"), ("The answer is 4", "length")]
)
def test_truncated_reasoning_from_a_reasoning_parser_is_never_closed(
    verdict, content: str | None, finish: str | None
) -> None:
    """vLLM's reasoning parser returns `reasoning` and null content while the think block is still open."""
    parsed = parse_trace(content, "think", reasoning_content="six times seven is", finish_reason=finish)
    assert UNCLOSED_THINK in parsed.flags and parsed.answer == ""
    assert parsed.think is not None and parsed.think.startswith("six times seven is")
    assert THINK_CLOSE not in join_reasoning(content, "six times seven is", finish)
    v = verdict(content, "think", reasoning="six times seven is", finish_reason=finish)
    assert not v.passed and v.reason in ("lint:truncated", "lint:unclosed_think")
    assert v.reason == ("lint:truncated" if finish == "length" else "lint:unclosed_think")


def test_reasoning_parser_output_that_finished_is_closed() -> None:
    parsed = parse_trace("42", "think", reasoning_content="six times seven", finish_reason="stop")
    assert (parsed.think, parsed.answer, parsed.flags) == ("six times seven", "42", ())


def test_a_second_think_block_a_reasoning_parser_left_in_the_content_keeps_the_first(verdict) -> None:
    """vLLM's deepseek_r1 / qwen3 parsers split `<think>A</think>\\n\\n<think>B</think>\\n\\n42` at the first close:
    reasoning "A", content holding block B. The join returned the content alone, dropping A, and the trace passed as
    one block B (lints 11)."""
    content = "\n\n<think>\nsix sevens, again\n</think>\n\n42"
    joined = join_reasoning(content, "six times seven", "stop")
    assert "six times seven" in joined and "six sevens, again" in joined
    parsed = parse_trace(content, "think", reasoning_content="six times seven", finish_reason="stop")
    assert MULTIPLE_THINK in parsed.flags and parsed.think == "six times seven"
    v = verdict(content, "think", reasoning="six times seven", finish_reason="stop")
    assert (v.passed, v.reason) == (False, "lint:multiple_think")


@pytest.mark.parametrize("reasoning", ["", "  \n"])
def test_an_empty_reasoning_field_is_no_reasoning(verdict, reasoning: str) -> None:
    """A server that sends `reasoning_content: ""` with a no-think answer sent no reasoning: the empty field built an
    empty `<think></think>` block and failed good answers lint:think_in_no_think (lints 11)."""
    parsed = parse_trace("42", "no_think", reasoning_content=reasoning, finish_reason="stop")
    assert (parsed.think, parsed.answer, parsed.flags) == (None, "42", ())
    assert join_reasoning("42", reasoning, "stop") == "42"
    v = verdict("42", "no_think", reasoning=reasoning, finish_reason="stop")
    assert (v.passed, v.reason, v.lint_flags) == (True, None, [])
    auto = verdict("42", "auto", reasoning=reasoning, finish_reason="stop")
    assert (auto.mode, auto.passed) == ("no_think", True)
    # think mode: beside an answer it is the empty block a reasoning parser split off (vLLM sends "" for
    # `<think></think>42`), failed as the inline response is (lints 20: it was `no_think_block`)
    assert verdict("42", "think", reasoning=reasoning, finish_reason="stop").reason == "lint:empty_think"
    assert verdict("<think></think>42", "think").reason == "lint:empty_think"
    # with no answer either, it is no think block (an empty response)
    assert verdict(None, "think", reasoning=reasoning, finish_reason="stop").reason == "lint:no_think_block"
    # a content with its own think block is the whole response: no empty block is added before it
    assert verdict(GOOD, "think", reasoning=reasoning, finish_reason="stop").passed


@pytest.mark.parametrize("content", ["<think>\nsix times seven\n</think>\n42", "<think>six times seven </think>42"])
def test_a_server_that_sends_the_reasoning_in_both_fields_gives_one_block(verdict, content: str) -> None:
    """A server may return the think block inline in the content and in the reasoning field as well: one block."""
    assert join_reasoning(content, "six times seven", "stop") == content
    parsed = parse_trace(content, "think", reasoning_content="six times seven", finish_reason="stop")
    assert (parsed.think, parsed.answer, parsed.flags) == ("six times seven", "42", ())
    assert verdict(content, "think", reasoning="six times seven", finish_reason="stop").passed


def test_auto_mode_follows_the_think_block(verdict) -> None:
    assert verdict(GOOD, "auto").mode == "think"
    assert verdict("42", "auto").mode == "no_think"
    assert verdict("42", "auto").passed


def test_verifier_failure_is_the_reason_unless_the_format_is_broken(verdict) -> None:
    v = verdict("<think>\nhmm\n</think>\n41", "think")
    assert (v.passed, v.reason, v.verifier_reason) == (False, "exact:mismatch", "exact:mismatch")
    v = verdict("<think>\nhmm", "think")
    assert v.reason == "lint:unclosed_think" and v.verifier_reason == "exact:no_answer"


def test_a_correct_answer_with_a_content_lint_fails(verdict) -> None:
    v = verdict(
        "<think>\nok\n</think>\nI'm sorry, but I can't help with that. 42", "think", verifier="regex", pattern="42"
    )
    assert (v.passed, v.verifier_passed, v.reason, v.lint_flags) == (False, True, "lint:refusal", ["refusal"])
    assert verdict("<think>\nok\n</think>\nIt is 42", "think", verifier="regex", pattern="42").passed


def test_repetition_lint() -> None:
    cfg = LintConfig()
    loop = "Let me reconsider the problem from the start. " * 60
    assert repetition(loop, cfg)
    prose = " ".join(f"word{i}" for i in range(400))
    assert not repetition(prose, cfg)
    lines = "\n".join(["Wait, let me check this again carefully."] * 11)
    assert repetition(lines, cfg)
    assert not repetition("\n".join(["Wait, let me check this again carefully."] * 10), cfg)


_LONG_CHINESE_TRACE = (
    "题目给出一个等差数列，首项为3，公差为4，要求前十项的和。首先回忆等差数列求和公式：前n项和等于n乘以首项与末项之和"
    "再除以二。第十项等于首项加上九倍公差，也就是3加36，得到39。于是前十项的和为10乘以(3+39)除以2，等于10乘以21，"
    "结果是210。为了确认，我们换一种方法：把每一项写出来，3、7、11、15、19、23、27、31、35、39，两两配对，首尾相加都"
    "是42，一共五对，所以总和是5乘以42，也是210。两种方法得到相同的结果，说明计算没有问题。另外还可以检查公差是否被"
    "正确使用：相邻两项之差都是4，符合题意。最后再看题目有没有其他条件，比如是否要求只算偶数项，题目中并没有这样的"
    "限制，因此答案就是前十项之和210。"
)


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ("我们再检查一下计算结果是否正确，" * 150, True),
        ("嗯" * 3000, True),
        ("もう一度計算を確認してみましょう。" * 150, True),
        (_LONG_CHINESE_TRACE, False),
    ],
)
def test_repetition_lint_counts_chinese_and_japanese_characters(text: str, loop: bool) -> None:
    """A run of Chinese or Japanese text (no spaces) was one `\\w+` word, so a Chinese loop never reached
    `repetition_min_words` and "我们再检查一下计算结果是否正确，" written 150 times passed; the same loop in English or
    Russian fired. Each character is a word, as the ifeval word counts read them."""
    from pipeline.verify.lints import _CJK_CHARS
    from pipeline.verify.verifiers.ifeval_google import CJK

    assert _CJK_CHARS == CJK
    assert repetition(text, LintConfig()) is loop


def test_a_chinese_loop_in_think_fails_the_verdict(verdict) -> None:
    task = {"verifier": "math", "answer": "210", "prompt": "等差数列的首项为3，公差为4，求前十项的和。"}
    v = verdict("<think>" + "我们再检查一下计算结果是否正确，" * 150 + "</think>\\boxed{210}", "think", **task)
    assert (v.passed, v.reason, v.verifier_passed) == (False, "lint:repetition", True)
    v = verdict("<think>" + _LONG_CHINESE_TRACE + "</think>\\boxed{210}", "think", **task)
    assert (v.passed, v.lint_flags) == (True, [])


def test_repetition_in_think_fails_the_verdict(verdict) -> None:
    loop = "Let me reconsider the problem from the start. " * 60
    v = verdict(f"<think>\n{loop}\n</think>\n42", "think")
    assert (v.passed, v.reason, v.verifier_passed) == (False, "lint:repetition", True)


@pytest.mark.parametrize(
    "text",
    [
        "I’m sorry, but I can’t help with that.",
        "As an AI language model, I cannot do that",
        "I must decline this request.",
    ],
)
def test_refusal_lint_hits(text: str) -> None:
    assert refusal(text, LintConfig())


@pytest.mark.parametrize(
    "text",
    [
        '"I can\'t help with that," the old man said, and turned away from the window.',
        "The clerk sighed: \"I'm sorry, but I can't help with that.\" So Ana went home.",
        "Mara shook her head. \u201cI cannot assist with this,\u201d she said.",
    ],
)
def test_a_refusal_in_a_characters_words_is_no_refusal(text: str) -> None:
    """A story or dialogue the task asks for may quote a character refusing; the response does not refuse (such rows
    failed lint:refusal). The model's own refusal is not in quotation marks."""
    assert not refusal(text, LintConfig())
    assert refusal("I'm sorry, but I can't help with that. " + text, LintConfig())


@pytest.mark.parametrize(
    "text",
    [
        "\"I'm sorry, but I can't help with that.\"",
        "  \u201cI cannot assist with this request.\u201d\n",
        '"I must decline this request." "Please ask me something else."',
    ],
)
def test_a_refusal_wrapped_whole_in_quotation_marks_is_a_refusal(verdict, text: str) -> None:
    """IFEval's "Wrap your entire response with double quotation marks" puts the model's own refusal in quotes: with
    no narrator's words outside them they are no character's words, and the refusal passed (lints 11)."""
    assert refusal(text, LintConfig())
    v = verdict(text, "no_think", verifier="regex", pattern=".")
    assert (v.passed, v.reason) == (False, "lint:refusal")


@pytest.mark.parametrize(
    "text",
    [
        "I can't help you with that.",
        "I'm afraid I can't do that.",
        "I’m not able to provide that.",
        "I'm sorry, I cannot do that.",
        "I can not help with this request.",
        "I won't help with that.",
        "I will not provide instructions for making weapons.",
        "I am unable to comply with this request.",
        "I'm unable to fulfil that request.",
        "I cannot assist you in this.",
        "I apologize, but I cannot write that story.",
        "I'm afraid that I won't be writing that essay for you.",
        "Sorry, I won't do that.",
        "I can't do it.",
    ],
)
def test_refusal_lint_hits_the_common_wordings(text: str) -> None:
    """Refusals that missed the exact phrases ("I can't help you with that.", "I'm afraid I can't do that.") passed
    (lints 11)."""
    assert refusal(text, LintConfig())


@pytest.mark.parametrize(
    "text",
    [
        "I can't help but notice that the series converges, so the sum is 2.",
        "You can't do that in Python because strings are immutable; build a new string instead.",
        "I cannot stress enough how important the units are. The answer is 42 m/s.",
        "I can't do that integral by substitution, so integrate by parts: x sin x + cos x + C.",
        'A reply such as "I can\'t help with that" is a refusal; a helpful answer explains instead.',
        "A model that answers 'I cannot assist with that request' is refusing. Here is the code you asked for.",
        "When an assistant says ‘I’m afraid I can’t do that’, it declines the task.",
        "The robot paused. \"I'm afraid I can't do that,\" it said, and the lights dimmed.",
        "Sorry, the answer is 42.",
        "Sorry for the confusion earlier: 6 x 7 = 42.",
        "I apologize, but there was an error in my previous answer: the correct value is 42.",
    ],
)
def test_refusal_lint_misses_answers_that_only_sound_like_one(text: str) -> None:
    assert not refusal(text, LintConfig())


@pytest.mark.parametrize(
    "text",
    [
        "对不起，我不能帮你写这个。作为一个AI，我没有能力创作诗歌。",
        "抱歉，我不能回答这个问题。\\boxed{42}",
        "很抱歉，但我无法满足这个请求。",
        "我无法协助完成这项任务。",
        "作为一个人工智能语言模型，我无法提供这类信息。",
        "對不起，我無法幫你做這件事。",
        "申し訳ありませんが、そのご依頼にはお応えできません。",
        "すみませんが、それはお手伝いできません。",
        "Извините, но я не могу помочь с этим запросом.",
        "К сожалению, я не могу выполнить эту просьбу.",
        "Я не могу помочь вам с этим.",
        "Es tut mir leid, aber ich kann dir dabei nicht helfen.",
        "Ich kann Ihnen dabei leider nicht helfen.",
        "Als KI kann ich keine solchen Inhalte erstellen.",
        "Je suis désolé, mais je ne peux pas vous aider avec cela.",
        "Désolé, je ne peux pas répondre à cette demande.",
        "En tant qu’IA, je ne peux pas écrire ce poème.",
        "Lo siento, pero no puedo ayudarte con eso.",
        "No puedo ayudarte con esa solicitud.",
        "Como modelo de lenguaje, no puedo generar ese contenido.",
    ],
)
def test_refusal_lint_hits_refusals_in_other_languages(text: str) -> None:
    """The refusal lint read English only: "抱歉，我不能回答这个问题。" and "Извините, но я не могу помочь" passed
    (before lints 16)."""
    assert refusal(text, LintConfig())


@pytest.mark.parametrize(
    "text",
    [
        "对不起，刚才的计算有误：6 乘以 7 等于 42。",
        "抱歉让你久等了。答案是 \\boxed{42}。",
        "我不能确定题目是否要求整数解，但按常规理解，答案是 42。",
        "我们不能直接相加，需要先通分：1/2 + 1/3 = 5/6。",
        "申し訳ありませんが、先ほどの答えは間違いでした。正しくは42です。",
        "この方法では負の数に対応できません。別の方法で解くと、答えは42です。",
        "Извините за путаницу: правильный ответ 42.",
        "Я не могу не отметить, что ряд сходится, поэтому сумма равна 2.",
        "Es tut mir leid für die Verwirrung: die Antwort ist 42.",
        "Ich kann nicht genug betonen, wie wichtig die Einheiten sind. Die Antwort ist 42 m/s.",
        "Désolé pour l'erreur : la réponse est 42.",
        "On ne peut pas diviser par zéro, donc x ≠ 0 et la réponse est 42.",
        "Lo siento, me equivoqué antes: la respuesta es 42.",
        "No puedo evitar notar que la serie converge, así que la suma es 2.",
        "Lo siento, no puedo evitar sonreír: la respuesta es 42.",
        "Désolé, je ne peux pas m'empêcher de sourire : c'est 42.",
        "抱歉，我不会再犯这个错误。正确答案是 42。",
        "我不能不承认，这道题很有意思。答案是 42。",
        "Извините, я не могу не заметить опечатку: должно быть 5, и ответ 42.",
        "老人摇了摇头：“对不起，我不能帮你。”于是小明回家了。",
        "Старик покачал головой: «Извините, я не могу вам помочь». И Маша ушла домой.",
        "Er schüttelte den Kopf: „Es tut mir leid, aber ich kann dir nicht helfen.“ Also ging Anna nach Hause.",
        "彼は首を振った。「申し訳ありませんが、お手伝いできません」と店員は言った。それで彼女は家に帰った。",
    ],
)
def test_refusal_lint_misses_answers_in_other_languages_that_only_sound_like_one(text: str) -> None:
    """An apology for a mistake, "I cannot be sure", "we cannot add them directly", and a character refusing in a
    story's own quotation marks («», „“, 「」) are no refusal."""
    assert not refusal(text, LintConfig())


def test_refusal_lint_misses_ordinary_answers_and_late_mentions() -> None:
    cfg = LintConfig(refusal_scan_chars=100)
    assert not refusal("The answer is 42.", cfg)
    assert not refusal("x" * 200 + " I cannot help with", cfg)
    assert len(REFUSAL_PHRASES) == len(set(REFUSAL_PHRASES))


@pytest.mark.parametrize(
    ("prompt", "answer", "mismatch"),
    [
        ("What is the capital of France? Answer briefly please.", "The capital of France is Paris, of course.", False),
        (
            "What is the capital of France? Answer briefly please.",
            "法国的首都是巴黎。这是一个非常著名的城市，有很多博物馆。",
            True,
        ),
        ("Какая столица Франции? Ответьте кратко пожалуйста.", "Столица Франции это Париж, конечно же.", False),
        ("Какая столица Франции? Ответьте кратко пожалуйста.", "The capital of France is Paris, of course.", True),
        (
            "Compute the integral please, step by step now.",
            r"$\alpha \beta \gamma \delta$ so the result is two.",
            False,
        ),
        ("Hi", "你好", False),  # too short to judge
    ],
)
def test_language_mismatch_by_script(prompt: str, answer: str, mismatch: bool) -> None:
    assert language_mismatch(prompt, answer, LintConfig()) is mismatch


def test_language_mismatch_with_langdetect_same_script() -> None:
    cfg = LintConfig(language_method="langdetect")
    prompt = "Please explain in a few sentences why the sky appears blue during the day."
    german = "Der Himmel erscheint blau, weil das Sonnenlicht an den Molekülen der Luft gestreut wird."
    english = "The sky looks blue because sunlight is scattered by the molecules in the air around us."
    assert language_mismatch(prompt, german, cfg)
    assert not language_mismatch(prompt, english, cfg)


def test_language_mismatch_with_langdetect_reads_chinese_as_chinese() -> None:
    """lints 19: langdetect called short Chinese texts Korean (its Korean profile holds Hanja): a Traditional
    Chinese prompt was `ko`, so a Simplified Chinese answer to it failed, and Simplified against Traditional is one
    language; a Korean answer to a Chinese prompt still fails."""
    cfg = LintConfig(language_method="langdetect")
    traditional = "請用幾句話解釋為什麼白天的天空是藍色的。"
    simplified = "请用几句话解释为什么白天的天空是蓝色的。"
    for prompt in (traditional, simplified):
        for answer in ("因為陽光被空氣中的分子散射，藍光散射得最多。", "因为阳光被空气中的分子散射，蓝光散射得最多。"):
            assert not language_mismatch(prompt, answer, cfg), (prompt, answer)
    assert language_mismatch(simplified, "하늘이 파란 이유는 햇빛이 공기 분자에 의해 산란되기 때문입니다.", cfg)


def test_length_lints(registry, cfg) -> None:
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    tight = cfg.model_copy(update={"lints": LintConfig(max_think_tokens=5, max_answer_tokens=3, min_think_tokens=0)})
    task = TaskSpec("t", "exact", "42", {}, "q")
    v = judge(Item(task, "<think>\none two three four five six\n</think>\n42", "think"), registry, tight)
    assert v.reason == "lint:think_too_long" and v.verifier_passed
    v = judge(Item(task, "<think>\nx\n</think>\n42 is it , yes", "think"), registry, tight)
    assert "answer_too_long" in v.lint_flags


def test_lint_families_can_be_disabled(registry, cfg) -> None:
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    only_format = cfg.model_copy(update={"lints": LintConfig(enabled=["think_format"])})
    v = judge(
        Item(
            TaskSpec("t", "exact", "I'm sorry, but I can't help with that", {}, "q"),
            "I'm sorry, but I can't help with that",
            "no_think",
        ),
        registry,
        only_format,
    )
    assert v.passed


def _hanoi(n: int, a: int = 1, b: int = 2, c: int = 3) -> list[str]:
    if n == 0:
        return []
    return [*_hanoi(n - 1, a, c, b), f"Move disk {n} from Peg {a} to Peg {c}", *_hanoi(n - 1, b, a, c)]


def test_a_repetitive_gold_answer_is_not_runaway_repetition(verdict) -> None:
    """Move lists and grids repeat by nature: the task's own answer, written once, never fails `lint:repetition`."""
    gold = "\n".join(_hanoi(6))
    assert repetition(gold, LintConfig())  # on its own it looks like a loop
    v = verdict(f"<think>\nSolve it recursively.\n</think>\n{gold}", "think", verifier="exact", answer=gold)
    assert (v.passed, v.reason, v.lint_flags) == (True, None, [])
    # ... but a model that loops, or writes a wrong answer that repeats, still fails the lint
    looped = verdict(f"<think>\n{gold}\n{gold}\n</think>\n{gold}", "think", verifier="exact", answer=gold)
    assert "repetition" in looped.lint_flags
    wrong = "\n".join(["Move disk 1 from Peg 1 to Peg 3"] * 63)
    assert "repetition" in verdict(f"<think>\nx\n</think>\n{wrong}", "think", verifier="exact", answer=gold).lint_flags


@pytest.mark.parametrize("finish", ["abort", "error", "repetition", "content_filter", "cancelled"])
@pytest.mark.parametrize(("text", "mode"), [(GOOD, "think"), ("The answer is 42", "no_think")])
def test_a_generation_the_server_did_not_finish_fails_whatever_its_answer(
    verdict, text: str, mode: str, finish: str
) -> None:
    # vLLM ends a request with `abort`, `error` or `repetition` (its hallucination guard cuts the text), hosted APIs
    # with `content_filter`: the text is cut short, so its answer, even a right one, is not an SFT target
    v = verdict(text, mode, verifier="regex", pattern="42", finish_reason=finish)
    assert (v.passed, v.reason, v.verifier_passed) == (False, "lint:unfinished", True)
    assert "unfinished" in parse_trace(text, mode, finish_reason=finish).flags


@pytest.mark.parametrize("finish", [None, "stop", "eos_token", "stop_sequence", "eos", "end_turn", "Stop", "STOP"])
def test_servers_spellings_of_a_finished_response_pass(verdict, finish: str | None) -> None:
    # TGI says eos_token / stop_sequence, Anthropic-style gateways end_turn: all a normal end; some servers write it
    # in capitals (`Stop`, `STOP`), which failed `lint:unfinished`
    assert verdict(GOOD, "think", verifier="regex", pattern="42", finish_reason=finish).passed


@pytest.mark.parametrize("finish", ["Length", "LENGTH"])
def test_a_length_finish_in_capitals_is_truncated(verdict, finish: str) -> None:
    v = verdict(GOOD, "think", verifier="regex", pattern="42", finish_reason=finish)
    assert (v.passed, v.reason) == (False, "lint:truncated")


@pytest.mark.parametrize(
    ("text", "finish", "reason"),
    [
        (GOOD, "length", "lint:truncated"),
        (GOOD, "abort", "lint:unfinished"),
        (GOOD, "content_filter", "lint:unfinished"),
        (GOOD + "<|im_end|>", "stop", "lint:template_token"),
        (GOOD + "<|im_end|>\n<|im_start|>user\nThanks", "stop", "lint:template_token"),
    ],
)
def test_a_cut_or_leaking_generation_fails_whatever_lint_families_are_enabled(
    registry, cfg, text: str, finish: str, reason: str
) -> None:
    # `verify.lints.enabled` without think_format (a user's own trace format) let cut texts and leaked end-of-turn
    # tokens into the version: no such text is an SFT target, whatever form the user's traces take
    others = cfg.model_copy(update={"lints": LintConfig(enabled=["repetition", "refusal", "language", "length"])})
    item = Item(TaskSpec("t", "regex", "42", {"pattern": "42"}, "What is six times seven?"), text, "think")
    v = judge(replace(item, finish_reason=finish), Registry(others), others)
    assert (v.passed, v.reason, v.verifier_passed) == (False, reason, True)
    assert judge(replace(item, text=GOOD, finish_reason="stop"), Registry(others), others).passed


def test_an_unfinished_reasoning_parser_response_keeps_its_think_block_open() -> None:
    parsed = parse_trace("42", "think", reasoning_content="six times", finish_reason="abort")
    assert "unfinished" in parsed.flags
    assert THINK_CLOSE not in join_reasoning(None, "six times", "abort")


RUSSIAN = "Море огромное и синее, волны тихо накатывают на берег, а чайки кричат над водой весь день."
JAPANESE = "おはようございます、友よ。今日はとても良い天気ですね。一緒に公園を散歩しませんか。"


@pytest.mark.parametrize(
    "prompt",
    [
        "Please translate this: 我今天早上读了一本书，然后去了市场。",
        "Translate: 我今天早上读了一本书，然后去了市场。",
        "请把下面这句话翻译一下：我今天早上读了一本书，然后去了市场。",
    ],
)
def test_a_translation_asked_without_naming_its_language_is_no_mismatch(prompt: str) -> None:
    """ "Translate: <Chinese text>" names no target: its prompt reads as Chinese, and the English translation it asks
    for failed `lint:language_mismatch`. A prompt that asks for a translation and names no language excuses an answer
    in another script; one that names a language excuses that language only."""
    answer = "This morning I read a book and then went to the market."
    assert language_mismatch(prompt, answer, LintConfig()) is False
    named = "Translate into Japanese: 我今天早上读了一本书，然后去了市场。"
    assert language_mismatch(named, answer, LintConfig()) is True


@pytest.mark.parametrize(
    ("prompt", "answer", "kw"),
    [
        # the prompt or the task's system prompt asks for the answer's language
        ("Write two sentences about the sea. Your entire response should be in Russian.", RUSSIAN, {}),
        ("Translate into Japanese: Good morning, my friend. The weather is lovely today, shall we walk?", JAPANESE, {}),
        ("Good morning, my friend. The weather is lovely today, shall we walk in the park?", JAPANESE,
         {"system": "Translate the user's text into Japanese."}),
        # the reference answer is in the answer's script
        ("Translate: The sea is huge and blue, waves roll onto the shore, gulls cry all day.", RUSSIAN,
         {"gold": "Море огромное и синее."}),
    ],
)  # fmt: skip
def test_an_answer_in_the_language_the_task_asks_for_is_not_a_mismatch(prompt: str, answer: str, kw) -> None:
    """Translation tasks and "answer in Russian" instructions were failed `lint:language_mismatch` whenever the
    response did what was asked: a multilingual source lost every such row."""
    assert language_mismatch(prompt, answer, LintConfig(), **kw) is False
    # the same answer to a prompt that asks for nothing of the kind is still a mismatch
    assert language_mismatch("Write two sentences about the sea, please, in a calm tone.", answer, LintConfig())


CHINESE = "春节是中国最重要的传统节日，人们会贴春联、放鞭炮、吃年夜饭，并给孩子们发红包。"


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a blog post about Chinese New Year traditions for families.",
        "Describe three festivals that matter in Chinese culture, with a sentence on each.",
        "List the customs of Chinese-speaking families at the New Year, in a short paragraph.",
    ],
)
def test_a_language_named_as_a_topic_does_not_excuse_an_answer_in_it(prompt: str) -> None:
    """Any occurrence of a language's name excused an answer in it (lints 11): "a blog post about Chinese New Year"
    passed a Chinese answer to an English prompt. Only an instruction to use the language does."""
    assert language_mismatch(prompt, CHINESE, LintConfig())


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a blog post about the New Year. Respond in Chinese.",
        "Write a blog post about the New Year in Chinese and English.",
        "Write a blog post about the New Year, written in Mandarin, please.",
        "Translate this blog post about the New Year to Chinese: families meet and eat together.",
        "Describe the New Year. Your answer must use the Chinese language only.",
        "Describe the New Year using Chinese characters only, for a class of learners.",
    ],
)
def test_an_instruction_to_use_a_language_excuses_an_answer_in_it(prompt: str) -> None:
    assert not language_mismatch(prompt, CHINESE, LintConfig())


def test_a_maths_reference_with_a_variable_does_not_excuse_an_answer_in_another_script() -> None:
    prompt = "求解方程二加二等于多少，并写出详细的解题步骤和最终的答案，谢谢你的帮助。"
    english = "Adding two and two gives four, so the final answer is x = 4 as required."
    assert language_mismatch(prompt, english, LintConfig(), gold="x = 4")


def test_langdetect_method_takes_a_named_language_too() -> None:
    cfg = LintConfig(language_method="langdetect")
    german = "Der Himmel erscheint blau, weil das Sonnenlicht an den Molekülen der Luft gestreut wird."
    prompt = "Please explain in a few sentences why the sky appears blue during the day."
    assert language_mismatch(prompt, german, cfg)
    assert not language_mismatch(prompt + " Answer in German.", german, cfg)
    assert not language_mismatch(prompt, german, cfg, system="Always reply in German.")


def test_an_ifeval_response_language_constraint_is_not_failed_by_the_language_lint(registry, cfg) -> None:
    """IFEval's `language:response_language` ("Your ENTIRE response should be in Russian language") is checked by
    the ifeval verifier; the lint failed every response that obeyed it."""
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    task = TaskSpec(
        "t1",
        "ifeval",
        None,
        {"instruction_id_list": ["language:response_language"], "kwargs": [{"language": "ru"}]},
        prompt="Describe the sea. Your ENTIRE response should be in Russian language, no other language is allowed.",
    )
    v = judge(Item(task, RUSSIAN, "no_think"), registry, cfg)
    assert v.passed, (v.reason, v.lint_flags)
    as_constraints = TaskSpec(
        "t2", "ifeval", None, {"constraints": [{"type": "language:response_language", "language": "ru"}]},
        prompt=task.prompt,
    )  # fmt: skip
    v = judge(Item(as_constraints, RUSSIAN, "no_think"), registry, cfg)
    assert v.passed, (v.reason, v.lint_flags)
    # the same Russian answer to a task asking nothing of the kind: still a mismatch
    other = TaskSpec(
        "t3",
        "ifeval",
        None,
        {"constraints": [{"type": "punctuation:no_comma"}]},
        prompt="Describe the sea in two calm sentences.",
    )
    assert "language_mismatch" in judge(Item(other, RUSSIAN.replace(",", ""), "no_think"), registry, cfg).lint_flags


FRENCH = "La mer est grande et bleue, et les vagues frappent doucement le rivage sous le ciel du matin."
CHINESE_THINK = "首先，我们需要描述大海。大海是蓝色的，非常广阔，海浪拍打着海岸。"


def test_an_ifeval_response_language_constraint_still_checks_the_think_blocks_language(registry, cfg) -> None:
    """IFEval's language check reads the answer alone: a think block in Chinese before the French answer it asks for
    passed, because the constraint switched the whole `language` family off (lints 11)."""
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    task = TaskSpec(
        "t1",
        "ifeval",
        None,
        {"instruction_id_list": ["language:response_language"], "kwargs": [{"language": "fr"}]},
        prompt="Describe the sea. Your ENTIRE response should be in French language, no other language is allowed.",
    )
    v = judge(Item(task, f"<think>\n{CHINESE_THINK}\n</think>\n{FRENCH}", "think"), registry, cfg)
    assert (v.passed, v.reason, v.lint_flags) == (False, "lint:think_language_mismatch", ["think_language_mismatch"])
    # reasoning in the prompt's language, or in the language the prompt names, is no switch
    english = "The user wants a French description of the sea: big, blue, waves on the shore."
    assert judge(Item(task, f"<think>\n{english}\n</think>\n{FRENCH}", "think"), registry, cfg).passed
    assert judge(Item(task, f"<think>\n{FRENCH}\n</think>\n{FRENCH}", "think"), registry, cfg).passed


# A think block that concludes one value while the answer gives another (lints 7, `consistency`): the verdict read the
# answer alone and passed it, so the row trained reasoning that ends on 14 followed by an answer of 12.
THINK_DISAGREES = [
    ("math", "12", "<think>\n5 + 7 = 14, so the answer is 14.\n</think>\n\n\\boxed{12}", True),
    ("math", "12", "<think>\nAdding them: \\boxed{14}\n</think>\n\nTom has \\boxed{12} apples.", True),
    ("numeric", "12", "<think>\nSo the answer is 14.\n</think>\n\n\\boxed{12}", True),
    ("exact", "Paris", "<think>\nThe capital is Lyon. Answer: Lyon\n</think>\n\n\\boxed{Paris}", True),
    ("mcq", "C", "<think>\nVenus is hot. So the answer is B.\n</think>\n\nAnswer: C", True),
    # the same value, no conclusion, or one taken back or worked on after it was stated
    ("math", "12", "<think>\n5 + 7 = 12, so the answer is 12.\n</think>\n\n\\boxed{12}", False),
    ("math", "12", "<think>\n5 + 7 = 12.\n</think>\n\n\\boxed{12}", False),
    ("math", "12", "<think>\nSo the answer is 14. Wait, 5 + 7 = 12, not 14.\n</think>\n\n\\boxed{12}", False),
    ("math", "0.5", "<think>\nThe answer is 1/2.\n</think>\n\n\\boxed{0.5}", False),
    ("mcq", "C", "<think>\nSo the answer is Mars.\n</think>\n\nAnswer: C", False),
    (
        "math",
        "12",
        "<think>\nThe answer is 14." + " Let me recompute each step carefully." * 12 + "\n</think>\n\n\\boxed{12}",
        False,
    ),
]


@pytest.mark.parametrize(("verifier", "answer", "text", "disagrees"), THINK_DISAGREES)
def test_a_think_block_that_concludes_another_value_fails(verdict, verifier, answer, text, disagrees) -> None:
    args = {"choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}} if verifier == "mcq" else {}
    v = verdict(text, "think", verifier=verifier, answer=answer, **args)
    assert v.verifier_passed
    assert ("think_disagrees" in v.lint_flags) is disagrees
    assert v.passed is not disagrees
    if disagrees:
        assert v.reason == "lint:think_disagrees"


def test_the_consistency_lint_can_be_disabled(registry, cfg) -> None:
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    text = "<think>\nSo the answer is 14.\n</think>\n\n\\boxed{12}"
    others = cfg.model_copy(update={"lints": LintConfig(enabled=["think_format", "repetition"])})
    assert judge(Item(TaskSpec("t", "math", "12", {}, "q"), text, "think"), registry, others).passed


# A think block that switches into another language than the task's (Qwen-based reasoning drifts into Chinese): the
# answer was checked alone, so "<think>首先，我们需要计算 6 乘以 7 ...</think> 42" passed an English task, and the
# fine-tune learned to reason in a language its user does not read (lints 8: `think_language_mismatch`).
PROMPT_EN = "What is six times seven? Give the product as a number."
MIXED = (
    "First, I need to multiply six by seven. 我们需要计算六乘以七，结果是四十二。 Six times seven is forty-two, "
    "so the product is 42."
)
THINK_LANGUAGE = [
    (PROMPT_EN, "<think>\n首先，我们需要计算六乘以七。六乘以七等于四十二。\n</think>\n\n42", {}, True),
    (PROMPT_EN, f"<think>\n{MIXED}\n</think>\n\n42", {}, True),
    (PROMPT_EN, "<think>\nСначала умножим шесть на семь: получается сорок два.\n</think>\n\n42", {}, True),
    # the task's own language, a word quoted from the prompt, Greek letters and maths, code: not a switch
    (PROMPT_EN, "<think>\nSix times seven is forty-two; the product is 42.\n</think>\n\n42", {}, False),
    (
        "What does 你好 mean in English? Answer with one word: its meaning.",
        "<think>\nThe characters 你好 are a greeting in Chinese, so in English it means hello.\n</think>\n\nhello",
        {"answer": "hello"},
        False,
    ),
    (
        PROMPT_EN,
        "<think>\nLet θ be the angle and α the product; then α = 6 · 7, so α is forty-two, and θ plays no part.\n"
        "</think>\n\n42",
        {},
        False,
    ),
    (
        "Translate 'six times seven' into Chinese. Answer with the Chinese text only.",
        "<think>\nSix is 六, seven is 七, and times is 乘以, so the phrase is 六乘以七.\n</think>\n\n六乘以七",
        {"answer": "六乘以七"},
        False,
    ),
    (
        "计算六乘以七，给出数字。",
        "<think>\n六乘以七等于四十二，所以答案是四十二。\n</think>\n\n42",
        {},
        False,
    ),
    (PROMPT_EN, "<think>\nSix times seven, 六 by 七, is forty-two, so the product is 42.\n</think>\n\n42", {}, False),
]


@pytest.mark.parametrize(("prompt", "text", "kw", "mixed"), THINK_LANGUAGE)
def test_a_think_block_in_another_language_fails(verdict, prompt: str, text: str, kw, mixed: bool) -> None:
    v = verdict(text, "think", prompt=prompt, **kw)
    assert v.verifier_passed
    assert ("think_language_mismatch" in v.lint_flags) is mixed
    assert v.passed is not mixed
    if mixed:
        assert v.reason == "lint:think_language_mismatch"


def test_the_think_language_lint_goes_with_the_language_family(registry, cfg) -> None:
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    text = "<think>\n首先，我们需要计算六乘以七。六乘以七等于四十二。所以答案是四十二。\n</think>\n\n42"
    item = Item(TaskSpec("t", "exact", "42", {}, PROMPT_EN), text, "think")
    off = cfg.model_copy(update={"lints": LintConfig(enabled=["think_format", "repetition"])})
    assert judge(item, registry, off).passed
    assert judge(item, registry, cfg).reason == "lint:think_language_mismatch"


# A think block that concludes another number in words of its own (lints 9): "so Tom has 14 apples.", "So the total
# is 14.", "Thus, the number of apples is 14." and "The final answer is 14 apples." ended the block while the answer
# gave 12, and passed (lints 8 read only a box or "the answer is" with a bare number). Only a last sentence that
# concludes ("so", "thus", "therefore", "hence", "in total", ...) and states a count, a total or an answer; a noun
# after the number only when it is what the question counts ("How many apples"): "30 minutes" against an answer in
# hours is not compared.
APPLES = "Tom has 5 apples and buys 7 more. How many apples does he have?"
THINK_CONCLUDES_IN_WORDS = [
    (APPLES, "12", "5 + 7 = 14, so Tom has 14 apples.", True),
    (APPLES, "12", "Therefore, Tom has 14 apples in total.", True),
    (APPLES, "12", "So the total is 14.", True),
    (APPLES, "12", "So he has 14.", True),
    (APPLES, "12", "Thus, the number of apples is 14.", True),
    (APPLES, "12", "Therefore the answer should be $14$.", True),
    (APPLES, "12", "The final answer is 14 apples.", True),
    (APPLES, "12", "In total, there are 14 apples.", True),
    # consistent, no conclusion, another quantity, or another noun than the one counted
    (APPLES, "12", "5 + 7 = 14.", False),
    (APPLES, "12", "So Tom has 12 apples.", False),
    (APPLES, "12", "So he had 14 before, and Ann took 2, so he has 12 apples.", False),
    (APPLES, "12", "So he had 12 before, and Ann gave 2, so he has 14 apples.", True),
    (APPLES, "12", "So the total is 12.", False),
    (APPLES, "12", "So x = 14.", False),
    (APPLES, "12", "So he has 14 more apples than Ann.", False),
    (APPLES, "12", "So maybe 14?", False),
    (APPLES, "12", "So the total is 14. Wait, 5 + 7 = 12.", False),
    ("A trip takes half an hour. How many hours is that?", "0.5", "So it takes 30 minutes.", False),
    ("A box holds 12 dozen eggs. How many eggs is that?", "144", "So the box has 12 dozen.", False),
    ("What is the probability of heads?", "0.5", "Therefore, the probability is 1/2.", False),
]


@pytest.mark.parametrize(("prompt", "answer", "end", "disagrees"), THINK_CONCLUDES_IN_WORDS)
def test_a_think_block_concluding_another_number_in_words_fails(verdict, prompt, answer, end, disagrees) -> None:
    v = verdict(f"<think>\nLet me work it out. {end}\n</think>\n\n\\boxed{{{answer}}}", "think", "math", answer, prompt)
    assert v.verifier_passed
    assert ("think_disagrees" in v.lint_flags) is disagrees, v.lint_flags


BOXED = "Put your final answer within \\boxed{}."
LETTER = "Answer with the letter of the correct choice."
MCQ = "Which of these is a physical change?\n\nA. burning wood\nB. rusting iron\nC. melting ice\nD. digesting food"
DAPO = (
    "The last line of your response should be of the form Answer: $Answer (without quotes) where $Answer is the "
    "answer to the problem.\n\nWhat is 2 + 1?"
)
RGYM = "Put only your final answer inside <answer> and </answer> tags."
ANSWER_FORMAT_CASES = [
    # (request: the user turn as sent, or None with the format in the prompt, verifier, reference, response, passes)
    (f"What is 6 x 12?\n\n{BOXED}", "math", "72", "6 x 12 = 72.\n\nFinal answer: 72", False),
    (f"What is 6 x 12?\n\n{BOXED}", "math", "72", "6 x 12 = 72, so the answer is $\\boxed{72}$.", True),
    (f"What is 6 x 12?\n\n{BOXED}", "math", "72", "<think>\nSo \\boxed{72}.\n</think>\nIt is 72.", False),
    (f"What is 6 x 12?\n\n{BOXED}", "math", "72", "<think>\n6 x 12\n</think>\n\\boxed{72}", True),
    (None, "math", "72", "Final answer: 72", True),  # nothing asked: any form the verifier reads
    ("What is 6 x 12? Return your final response within \\boxed{}.", "math", "72", "It is 72.", False),
    (f"What is the capital of France?\n\n{BOXED}", "exact", "Paris", "The capital is Paris.\n\nAnswer: Paris", False),
    (f"{MCQ}\n\n{LETTER}", "mcq", "C", "Melting ice is a physical change.", False),
    (f"{MCQ}\n\n{LETTER}", "mcq", "C", "The answer is C.", True),
    (f"{MCQ}\n\n{LETTER}", "mcq", "C", "**C**", True),
    (f"{MCQ}\n\n{LETTER}", "mcq", "C", "I think it is (C), melting ice.", True),
    (f"{MCQ}\n\n{LETTER}", "mcq", "C", "A physical change keeps the substance: melting ice.", False),
    (DAPO, "math", "3", "2 + 1 = 3.\n\nAnswer: 3", True),
    (DAPO, "math", "3", "2 + 1 = 3.\n\n**Answer:** 3", True),
    (DAPO, "math", "3", "Answer: 3\n\nThat is because 2 + 1 = 3, so the answer is 3.", False),
    (DAPO, "math", "3", "The answer is 3.", False),
    (f"What is 2 + 1?\n\n{RGYM}", "exact", "3", "<answer>3</answer>", True),
    (f"What is 2 + 1?\n\n{RGYM}", "exact", "3", "The answer is 3.", False),
]


@pytest.mark.parametrize(("request_text", "verifier", "ref", "response", "passes"), ANSWER_FORMAT_CASES)
def test_an_answer_in_another_form_than_the_request_asked_fails(
    verdict, request_text: str | None, verifier: str, ref: str, response: str, passes: bool
) -> None:
    """The user turn of a dataset row asks for `\\boxed{}` (the math suffix), the option's letter, an `Answer:` line
    or `<answer>` tags; a response that answers right in another form passed, and the row taught the fine-tune to
    ignore the instruction it was given (lints 10)."""
    prompt = request_text if request_text is not None and verifier != "mcq" else MCQ if verifier == "mcq" else ""
    if request_text is None:
        prompt = "What is 6 x 12?"
    choices = {"A": "burning wood", "B": "rusting iron", "C": "melting ice", "D": "digesting food"}
    args = {"choices": choices} if verifier == "mcq" else {}
    v = verdict(response, verifier=verifier, answer=ref, prompt=prompt, request=request_text, **args)
    assert v.verifier_passed, v
    assert (v.passed, v.reason) == (passes, None if passes else "lint:answer_format"), v


def test_the_prompts_own_format_instruction_counts_without_a_request(verdict) -> None:
    """`verify --tasks/--responses` has no request: the task's prompt is what was asked."""
    v = verdict("It is 72.", verifier="math", answer="72", prompt=f"What is 6 x 12? {BOXED}")
    assert (v.passed, v.reason) == (False, "lint:answer_format")


def test_the_answer_format_lint_can_be_turned_off(registry) -> None:
    from pipeline.verify.config import LintConfig, VerifyConfig
    from pipeline.verify.judge import Item, judge
    from pipeline.verify.result import TaskSpec

    cfg = VerifyConfig(lints=LintConfig(enabled=["think_format", "repetition", "refusal", "language", "length"]))
    item = Item(
        TaskSpec("t", "math", "72", {}, "What is 6 x 12?"), "It is 72.", "no_think", request=f"6 x 12?\n{BOXED}"
    )
    assert judge(item, registry, cfg).passed


def test_options_listed_on_one_line_give_their_letters() -> None:
    """BIG-Bench Hard lists its options on one line ("Options: (A) ... (B) ..."): each letter is one to name."""
    from pipeline.verify.lints import answer_format_ignored

    request = f"Which planet is red? Options: (A) Venus (B) Mars (C) Earth\n\n{LETTER}"
    assert not answer_format_ignored(request, "(B) Mars")
    assert not answer_format_ignored(request, "The answer is B.")
    assert answer_format_ignored(request, "Mars")


def test_lower_case_option_marks_give_their_letters() -> None:
    from pipeline.verify.lints import answer_format_ignored

    request = f"Which is larger?\n(a) one\n(b) two\n\n{LETTER}"
    assert not answer_format_ignored(request, "(b) two")
    assert answer_format_ignored(request, "two")


# MMLU-Pro's ten options (A..J): a capital after a number is its unit ("9 J", "2.5 A", "10 C"), no option's letter
# (lints 15: lints 14 read the joule as option J, so "Answer: 9 J" trained an answer without a letter)
ENERGY = "How much work is done?\n\n" + "\n".join(f"{k}. {3 * (i + 1)} J" for i, k in enumerate("ABCDEFGHIJ"))


@pytest.mark.parametrize(
    ("answer", "ignored"),
    [
        ("Answer: 9 J", True),
        ("W = 3 N x 3 m = 9 J.", True),
        ("The work is 9.0 J", True),
        ("Answer: C. 9 J", False),
        ("Answer: C", False),
        ("W = 9 J, so the answer is (C).", False),
        ("Answer: (J)", False),
        ("**J**", False),
    ],
)
def test_a_unit_after_a_number_is_no_option_letter(answer: str, ignored: bool) -> None:
    from pipeline.verify.lints import answer_format_ignored

    assert answer_format_ignored(f"{ENERGY}\n\n{LETTER}", answer) is ignored


MMLU_PRO = (
    "The following are multiple choice questions (with answers) about physics. Think step by step and then finish your "
    'answer with "the answer is (X)" where X is the correct letter choice.\n\n' + MCQ
)
GPQA = (
    "Answer the following multiple choice question. The last line of your response should be of the following format: "
    "'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n" + MCQ
)


@pytest.mark.parametrize(
    ("request_text", "response", "passes"),
    [
        # MMLU-Pro's own instruction (its evaluation reads `answer is \(?([A-J])\)?`)
        (MMLU_PRO, "Melting ice changes only the state. The answer is (C).", True),
        (MMLU_PRO, "Melting ice changes only the state, so the answer is C.", True),
        (MMLU_PRO, "Melting ice changes only the state.\n\n**C**", False),
        (MMLU_PRO, "C. melting ice", False),
        # GPQA's (simple-evals): an `Answer:` last line
        (GPQA, "Melting ice changes only the state.\n\nAnswer: C", True),
        (GPQA, "Answer: C\n\nMelting ice changes only the state.", False),
        (GPQA, "The answer is C.", False),
        # "respond only with the letter"
        (f"{MCQ}\n\nRespond only with the letter of the correct option.", "C", True),
        (f"{MCQ}\n\nRespond only with the letter of the correct option.", "melting ice", False),
    ],
)
def test_the_datasets_own_answer_formats_are_held(verdict, request_text: str, response: str, passes: bool) -> None:
    """MCQ sets ship their own format instruction in the prompt: MMLU-Pro's "the answer is (X)", GPQA's `Answer:` last
    line. A right letter in another form passed, and the row taught the fine-tune to ignore the instruction."""
    choices = {"A": "burning wood", "B": "rusting iron", "C": "melting ice", "D": "digesting food"}
    v = verdict(response, verifier="mcq", answer="C", prompt=request_text, request=request_text, choices=choices)
    assert v.verifier_passed, v
    assert (v.passed, v.reason) == (passes, None if passes else "lint:answer_format"), v


def test_the_answer_is_needs_a_letter_not_an_article() -> None:
    from pipeline.verify.lints import answer_format_ignored

    assert answer_format_ignored(MMLU_PRO, "So the answer is a physical change: melting ice.")
    assert not answer_format_ignored(MMLU_PRO, "So the answer is **(C)**.")


@pytest.mark.parametrize(
    ("request_text", "answer", "ignored"),
    [
        # a dataset's own answer template, quoted after a cue: its words before the placeholder must be in the answer
        ('What is 6 x 12? End your response with "The final answer is [answer]".', "The final answer is 72.", False),
        ('What is 6 x 12? End your response with "The final answer is [answer]".', "**The final answer is** 72", False),
        ('What is 6 x 12? End your response with "The final answer is [answer]".', "6 x 12 = 72.", True),
        ("What is 6 x 12? Give your answer in the following format: 'Final Answer: X'", "Final answer: 72", False),
        ("What is 6 x 12? Give your answer in the following format: 'Final Answer: X'", "It is 72.", True),
        ("What is 6 x 12?\nYour reply should be in the form \u201cResult: <number>\u201d.", "Result: 72", False),
        ("What is 6 x 12?\nYour reply should be in the form \u201cResult: <number>\u201d.", "72", True),
        # no template: a format for the value itself, LaTeX, a placeholder first, a quote with no cue
        ("Write the date of D-Day in the format 'DD/MM/YYYY'.", "06/06/1944", False),
        ("Simplify; express your answer in the form '$\\frac{a}{b}$'.", "\\boxed{\\frac{3}{4}}", False),
        ("Write it in the form '{a}/{b}' in lowest terms.", "3/4", False),
        ("Express the line in the form 'y = mx + b'.", "y = 2x + 1", False),
        ('What does the phrase "the answer is X" mean in algebra?', "It names an unknown.", False),
    ],
)
def test_a_quoted_answer_template_is_held(request_text: str, answer: str, ignored: bool) -> None:
    from pipeline.verify.lints import answer_format_ignored

    assert answer_format_ignored(request_text, answer) is ignored


MCQ_ZH = "以下哪颗行星是红色的？\n\nA. 水星\nB. 金星\nC. 火星\nD. 木星"


@pytest.mark.parametrize(
    ("answer", "ignored"),
    [
        # a letter written onto Chinese or Japanese words names the option (lints 12 saw none: the letter was read as
        # part of a word, and every C-Eval answer written so failed lint:answer_format under the generate suffix)
        ("故选C。", False),
        ("答案是C", False),
        ("答案为C项。", False),
        ("火星是红色的，所以选C。", False),
        ("正解はCです。", False),
        ("答案：C", False),
        # no letter: the option's text alone, or a letter inside a Latin word
        ("火星是红色的。", True),
        ("火星是红色的，用Cython计算也是如此。", True),
    ],
)
def test_a_letter_written_onto_chinese_words_names_the_option(answer: str, ignored: bool) -> None:
    from pipeline.verify.lints import answer_format_ignored

    assert answer_format_ignored(f"{MCQ_ZH}\n\n{LETTER}", answer) is ignored


@pytest.mark.parametrize("answer", ["答案：6", "2 + 4 = 6\nОтвет: 6"])
def test_an_answer_line_in_another_language_is_no_answer_line(answer: str) -> None:
    """DAPO's request quotes the line it asks for ("Answer: $Answer"): a line in another language does not take that
    form (a grader reading `Answer:` finds none), as an English "Final answer: 6" does not."""
    from pipeline.verify.lints import answer_format_ignored

    assert answer_format_ignored(DAPO, answer) is True


# ------------------------------------------------------------------------------- think tags in the answer's code
STRIP_TAGS = "```python\ns = s.replace('<think>', '')\n```"
STRIP_BLOCK = "```python\nimport re\ns = re.sub(r'<think>.*?</think>', '', s, flags=re.S)\n```"
STRIP_TILDE = "~~~python\nend = text.index('</think>')\n~~~"
STRIP_INLINE = "Remove the block with `re.sub(r'<think>.*?</think>', '', s)`; then `s.strip()`."


@pytest.mark.parametrize("answer", [STRIP_TAGS, STRIP_BLOCK, STRIP_TILDE, STRIP_INLINE])
def test_think_tags_in_the_answers_code_are_code(verdict, answer: str) -> None:
    """A coding answer about think tags (`s.replace('<think>', '')`) was read as holding think-block tags: flagged
    multiple_think, or its answer cut at the `</think>` inside its code (lints 13)."""
    parsed = parse_trace(f"<think>\nstrip the tags\n</think>\n{answer}", "think")
    assert (parsed.think, parsed.answer, parsed.flags) == ("strip the tags", answer, ())
    v = verdict(
        f"<think>\nstrip the tags\n</think>\n{answer}", "think", verifier="regex", answer=None, pattern="think>"
    )
    assert (v.passed, v.reason, v.lint_flags) == (True, None, [])
    # a reasoning parser's split: the content is the answer, code and all
    split = parse_trace(answer, "think", reasoning_content="strip the tags", finish_reason="stop")
    assert (split.think, split.answer, split.flags) == ("strip the tags", answer, ())
    # no-think mode: the answer holds no think block
    plain = parse_trace(answer, "no_think")
    assert (plain.think, plain.answer, plain.flags) == (None, answer, ())
    assert verdict(answer, "no_think", verifier="regex", answer=None, pattern="think>").passed
    # the training turn reads back the same
    msgs = build_messages("think", "How do I strip think tags?", parsed.answer, parsed.think)
    again = parse_trace(msgs[2]["content"], "think")
    assert (again.think, again.answer, again.flags) == (parsed.think, answer, ())


@pytest.mark.parametrize("answer", [STRIP_TAGS, STRIP_BLOCK, STRIP_TILDE])
def test_a_fence_on_the_close_tags_line_opens_the_answers_code(verdict, answer: str) -> None:
    """`</think>```python`: the answer opens its code on the tag's line. The fence was not at a line's start, so the
    tags in its code were read as think tags (`multiple_think`, `unclosed_think`) and a right answer failed, where
    the same completion split by a reasoning parser (the answer, fence first, as the content) passed (lints 20)."""
    text = f"<think>\nstrip the tags\n</think>{answer}"
    parsed = parse_trace(text, "think")
    assert (parsed.think, parsed.answer, parsed.flags) == ("strip the tags", answer, ())
    split = parse_trace(answer, "think", reasoning_content="\nstrip the tags\n", finish_reason="stop")
    assert (split.think, split.answer, split.flags) == (parsed.think, parsed.answer, parsed.flags)
    assert verdict(text, "think", verifier="regex", answer=None, pattern="think>").passed
    # a fence never closed there hides nothing
    assert MULTIPLE_THINK in parse_trace("<think>\nA\n</think>```python\nx = 1\n</think>\nmore", "think").flags


@pytest.mark.parametrize(
    ("text", "mode", "flag"),
    [
        # a real second block outside the code
        (f"<think>\nA\n</think>\n{STRIP_BLOCK}\n<think>\nB\n</think>\ndone", "think", MULTIPLE_THINK),
        (f"<think>\nA\n</think>\n<think>\nB\n</think>\n{STRIP_BLOCK}", "think", MULTIPLE_THINK),
        # a real leaked block in no-think mode, with code after it
        (f"<think>\nhmm\n</think>\n{STRIP_BLOCK}", "no_think", "think_in_no_think"),
        (f"hmm\n</think>\n{STRIP_TAGS}", "no_think", "think_in_no_think"),
        # a fence never closed hides nothing
        ("<think>\nA\n</think>\n```python\nx = 1\n</think>\nmore", "think", MULTIPLE_THINK),
        # a tag written in prose, outside code, is still a tag
        ("<think>\nA\n</think>\nUse the tag </think> to close.", "think", MULTIPLE_THINK),
    ],
)
def test_real_think_tags_outside_the_answers_code_are_still_flagged(text: str, mode: str, flag: str) -> None:
    assert flag in parse_trace(text, mode).flags  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reasoning"),
    [
        ("<think>\nuse `</think>` here\n</think>\n42", None),
        ("use `</think>` here\n</think>\n42", None),  # a block the chat template opened
        (f"```\n{STRIP_TAGS}", "use `</think>` here"),  # a reasoning field, then an answer opening a fence
    ],
)
def test_think_tags_in_code_inside_the_think_block_still_count(text: str, reasoning: str | None) -> None:
    """Inside a think block the first `</think>` closes it, in code or not (a reasoning parser splits there): the
    think text never holds one, so the training turn splits where the parse did."""
    parsed = parse_trace(text, "think", reasoning_content=reasoning, finish_reason="stop")
    assert MULTIPLE_THINK in parsed.flags and parsed.think == "use `"


def test_auto_mode_reads_think_tags_in_answer_code_as_code() -> None:
    """`--mode auto` decided a response was think mode on any `</think>` in it: a no-think coding answer about think
    tags failed `lint:no_think_block`. It reads tags as the trace parser does (in code they are the answer's text)."""
    from pipeline.verify.judge import resolve_mode

    code = "Use this:\n```python\nend = s.index('</think>')\n```"
    assert resolve_mode(code, "auto") == "no_think"
    assert resolve_mode("Inline `<think>` is a tag name.", "auto") == "no_think"
    assert resolve_mode("<think>\nwork\n</think>\n\n```python\nx = 1\n```", "auto") == "think"
    assert resolve_mode("work\n</think>\n\n42", "auto") == "think"  # a block the template opened


@pytest.mark.parametrize(
    ("prompt", "answer", "mismatch"),
    [
        (
            "小明有 30 个苹果，又买了 12 个。他一共有多少个苹果？",
            "Xiao Ming starts with 30 apples and buys 12 more, so he has 30 + 12 = 42 apples in total.",
            True,
        ),
        (
            "小明有 30 个苹果，又买了 12 个。他一共有多少个苹果？",
            "小明原来有 30 个苹果，又买了 12 个，一共有 42 个苹果。",
            False,
        ),
        (
            "りんごが 5 個、3 個食べると残りは？",
            "You started with 5 apples and ate 3 of them, so 5 - 3 = 2 apples are left over.",
            True,
        ),
        (
            "서울은 어느 나라의 수도입니까?",
            "Seoul is the capital city of South Korea, and it has been for more than six hundred years.",
            True,
        ),
        ("Hi there, friend", "你好朋友", False),  # short Latin prompt: too short to judge, as before
    ],
)
def test_a_short_cjk_prompt_is_judged(prompt: str, answer: str, mismatch: bool) -> None:
    """A prompt under `language_min_letters` letters was never judged, and a Chinese GSM question of 19 Han
    characters passed a long English answer (lints 18). A Han or kana character is about a word: it counts 3 letters
    toward the minimum, a Hangul syllable 2."""
    assert language_mismatch(prompt, answer, LintConfig()) is mismatch


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (
            "机器学习中的overfitting和underfitting分别是什么？请举例说明。",
            "过拟合是指模型在训练数据上表现很好，但在新数据上表现较差；欠拟合是指模型连训练数据都没有学好。",
        ),
        ("机器学习中的overfitting是什么？", "过拟合是指模型在训练数据上表现很好，但在新数据上表现较差。"),
    ],
)
def test_a_chinese_prompt_with_english_terms_is_chinese(prompt: str, answer: str) -> None:
    """The dominant script counted letters one by one: a Chinese question naming two English terms (17 Han characters,
    22 Latin letters) was Latin, and its all-Chinese answer failed `language_mismatch` (lints 18: a Han or kana
    character weighs 3 letters, a Hangul syllable 2, in the count as toward the minimum)."""
    assert not language_mismatch(prompt, answer, LintConfig())
    english = "Overfitting means the model fits its training data too closely and does badly on new data."
    assert language_mismatch(prompt, english, LintConfig())
