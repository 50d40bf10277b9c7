"""Chinese and Japanese texts in the dedup engine. Their words are not separated by spaces, so a digit stands between
two letters ("小明有3个苹果"): the numbers rule read it as part of a word (a name, as in "x1") and saw no number, and
two prompts that differ only in their numbers were one task. Spaces around such a digit, or between Han or kana
characters, are only typesetting ("小明有 3 个苹果"), but they made another text (and another numbers key): the same
prompt was kept twice."""

from __future__ import annotations

import random

import polars as pl
import pytest

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import dedup_texts
from pipeline.dedup.normalize import han_numeral_value, normalize_expr, normalize_series

CN = "请仔细阅读下面的题目并给出答案。一个数加上{a}等于{b}，这个数是多少？请写出你的计算过程。"
APPLES = "小明有{a}个苹果，他又买了{b}个苹果，现在他一共有多少个苹果？"
KO = "철수는 사과{a}개를 가지고 있고 2개를 더 샀습니다. 철수는 모두 몇 개를 가지고 있나요?"
JA = "次の問題をよく読んで答えなさい。太郎はりんごを{a}個持っています。{b}個食べました。残りは何個ですか。"


def _kept(texts: list[str], **cfg: object) -> list[bool]:
    res = dedup_texts([str(i) for i in range(len(texts))], texts, DedupConfig(**cfg))
    return res["keep"].to_list()


@pytest.mark.parametrize(
    "a, b",
    [
        (CN.format(a=3, b=10), CN.format(a=5, b=12)),
        (CN.format(a=3, b=10), CN.format(a=3, b=11)),
        (JA.format(a=3, b=2), JA.format(a=5, b=2)),
        (APPLES.format(a=3, b=2), APPLES.format(a=5, b=2)),
        (KO.format(a=3), KO.format(a=4)),
    ],
    ids=["cn-both", "cn-one", "ja", "cn-apples", "ko"],
)
def test_cjk_prompts_that_differ_in_their_numbers_are_two_tasks(a: str, b: str) -> None:
    assert _kept([a, b]) == [True, True]


@pytest.mark.parametrize(
    "a, b",
    [
        (APPLES.format(a=" 3 ", b=" 2 "), APPLES.format(a=3, b=2)),
        (APPLES.format(a="３", b="２"), APPLES.format(a=3, b=2).replace("，", ", ").replace("？", "?")),
        ("小 明 有 3 个 苹 果", "小明有3个苹果"),
        ("小明有3个苹果。", "小明有　3　个苹果。"),  # the ideographic space
        ("用 Python 写一个函数，返回 2 的 10 次方。", "用Python写一个函数，返回2的10次方。"),
        ("太郎はりんごを 3 個持っています。", "太郎はりんごを3個持っています。"),
        ("ＡＢＣ公司有 ５ 名员工", "abc公司有5名员工"),
    ],
    ids=["spaced", "full-width", "every-char", "ideographic-space", "latin-word", "ja", "full-width-latin"],
)
def test_cjk_prompts_that_differ_in_spacing_or_width_are_one_task(a: str, b: str) -> None:
    res = dedup_texts(["a", "b"], [a, b], DedupConfig())
    assert res["keep"].to_list() == [True, False]
    assert res["reason"][1] == "exact"


def test_spacing_is_not_taken_out_between_latin_words_or_korean_words() -> None:
    assert normalize_series(pl.Series(["用 Python 3 写"]), cjk_spacing=True)[0] == "用python 3写"
    assert normalize_series(pl.Series(["나는 학교에 간다"]), cjk_spacing=True)[0] == "나는 학교에 간다"
    assert normalize_series(pl.Series(["x1 + y 2"]), cjk_spacing=True)[0] == "x1 + y 2"


def test_a_digit_inside_a_latin_word_is_still_a_name() -> None:
    """Only a digit next to a Han, kana or Hangul letter is read as a number anew: "x1" / "x2" stay names."""
    base = "Let x{} be the first variable in this long program; print the value of the variable after the loop."
    assert _kept([base.format(1), base.format(2)]) == [True, False]


def test_cjk_spacing_series_equals_its_expression() -> None:
    rng = random.Random(7)
    alphabet = [*"小明有个苹果はりんごをカタ한국 。、，,?？３3 5abcＡ\u3000\t", " ", " ", "  "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(2000)]
    series = pl.Series(texts)
    expect = pl.select(normalize_expr(pl.lit(series), cjk_spacing=True)).to_series()
    assert normalize_series(series, cjk_spacing=True).to_list() == expect.to_list()
    # without the option, as before (prompt_hash is made so: stored hashes and ids stay valid)
    assert normalize_series(series).to_list() == pl.select(normalize_expr(pl.lit(series))).to_series().to_list()


APPLES_HAN = "小明有{a}个苹果，他又买了{b}个苹果，现在他一共有多少个苹果？"


@pytest.mark.parametrize(
    "a, b",
    [
        (APPLES_HAN.format(a="三", b="两"), APPLES_HAN.format(a="五", b="两")),
        (APPLES_HAN.format(a="十二", b="三"), APPLES_HAN.format(a="二十", b="三")),
        (APPLES_HAN.format(a="一百零五", b="三"), APPLES_HAN.format(a="一百一十五", b="三")),
        (APPLES_HAN.format(a="3", b="两"), APPLES_HAN.format(a="3", b="四")),
        (JA.format(a="三", b="二"), JA.format(a="五", b="二")),
    ],
    ids=["cn-digit-words", "cn-tens", "cn-hundreds", "cn-mixed", "ja-kanji"],
)
def test_prompts_that_differ_in_numbers_written_in_han_numerals_are_two_tasks(a: str, b: str) -> None:
    """Chinese and Japanese write small counts in numerals ("三个苹果"): the numbers rule saw only digits, so two
    prompts that differ in such a count were one near-duplicate task and the second (with its own answer) was lost."""
    assert _kept([a, b]) == [True, True]


@pytest.mark.parametrize(
    "a, b",
    [
        (APPLES_HAN.format(a="三", b="两"), APPLES_HAN.format(a="3", b="2")),
        (APPLES_HAN.format(a="十二", b="三"), APPLES_HAN.format(a="12", b="3")),
        (APPLES_HAN.format(a="二十", b="〇"), APPLES_HAN.format(a="20", b="0")),
    ],
    ids=["digits", "tens", "zero"],
)
def test_a_count_in_han_numerals_is_the_same_number_in_digits(a: str, b: str) -> None:
    """ "三个" and "3个" are the same count: the same prompt written both ways stays a near duplicate."""
    res = dedup_texts(["a", "b"], [a, b], DedupConfig())
    assert res["keep"].to_list() == [True, False]
    assert res["reason"][1] == "near"


@pytest.mark.parametrize(
    "run, digits",
    [
        ("三", "3"),
        ("两", "2"),
        ("十", "10"),
        ("十二", "12"),
        ("二十", "20"),
        ("二十五", "25"),
        ("一百", "100"),
        ("一百零五", "105"),
        ("一百一十五", "115"),
        ("三千零二十", "3020"),
        ("两万三千", "23000"),
        ("一亿零五万", "100050000"),
        ("二〇二四", "2024"),
        ("〇", "0"),
        ("三五十", "35"),
        ("万一", "1"),
    ],
)
def test_han_numeral_value(run: str, digits: str) -> None:
    assert han_numeral_value(run) == digits


def _long(script: list[str], n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(script) for _ in range(n))


HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 800)]
KANA = [chr(c) for c in range(0x3041, 0x3097)]
THAI = [chr(c) for c in range(0x0E01, 0x0E2F)]


@pytest.mark.parametrize(
    "script", [HAN, KANA, THAI, [*HAN[:400], "，", "。"]], ids=["han", "kana", "thai", "han-punctuated"]
)
def test_a_long_text_without_spaces_with_one_character_changed_is_a_near_duplicate(script: list[str]) -> None:
    """Chinese, Japanese or Thai is one long "word" to the word shingles; only texts up to `short_text_chars` (500)
    were also indexed by character shingles, so a 900-character Chinese trace with one character changed was kept
    twice (SELECT_VERSION 5). Any text holding such a script is indexed by character shingles now."""
    text = _long(script, 900, 1)
    edited = text[:450] + ("我" if text[450] != "我" else "你") + text[451:]
    other = _long(script, 900, 2)
    assert _kept([text, edited, other]) == [True, False, True]


def test_a_long_english_text_is_still_indexed_by_its_words_only() -> None:
    """English over 500 characters is left to the word shingles (a one-word edit is still found)."""
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "lam", "mu"]
    rng = random.Random(3)
    text = " ".join(rng.choice(words) for _ in range(300))
    assert _kept([text, text.replace("kappa", "kapa", 1)]) == [True, False]
