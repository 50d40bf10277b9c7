"""ifeval 19: a keyword written with characters that show as nothing inside it (a zero-width space or joiner, a soft
hyphen, a word joiner) or in fullwidth letters reads as the keyword: a forbidden word so written passed
`keywords:forbidden_words` though it shows on the page (a row teaching the model to hide a word), and a required
one so written was missing."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec


def _check(iid: str, kwargs: dict, answer: str) -> object:
    cfg = VerifyConfig()
    args = {"instruction_id_list": [iid], "kwargs": [kwargs]}
    return Registry(cfg).get("ifeval").check(answer, TaskSpec("t", "ifeval", None, args, "Write something."), cfg)


HIDDEN_BAD = [
    "The weather was b\u200bad today.",  # zero-width space
    "The weather was b\u00adad today.",  # soft hyphen
    "The weather was b\u2060ad today.",  # word joiner
    "The weather was ba\u200dd today.",  # zero-width joiner
    "The weather was b\u200cad today.",  # zero-width non-joiner
    "The weather was \ufeffbad today.",  # byte order mark
    "The weather was ｂａｄ today.",  # fullwidth letters
    "The weather was Ｂad today.",
]


@pytest.mark.parametrize("answer", HIDDEN_BAD)
def test_a_forbidden_word_hidden_by_invisible_or_fullwidth_characters_fails(answer: str) -> None:
    res = _check("keywords:forbidden_words", {"forbidden_words": ["bad"]}, answer)
    assert (res.passed, res.detail) == (False, "keywords:forbidden_words"), answer


@pytest.mark.parametrize("answer", HIDDEN_BAD)
def test_the_same_word_so_written_is_a_required_keyword(answer: str) -> None:
    assert _check("keywords:existence", {"keywords": ["bad"]}, answer).passed, answer


@pytest.mark.parametrize(
    "answer",
    [
        "The weather was badly forecast.",  # another word
        "The weather was b ad today.",  # a space shows
        "The badge\u200b was lost.",  # an invisible character between two words joins no forbidden word
        "He said \u200bbadge.",
    ],
)
def test_other_words_stay_other_words(answer: str) -> None:
    assert _check("keywords:forbidden_words", {"forbidden_words": ["bad"]}, answer).passed, answer


def test_frequency_counts_a_keyword_written_with_a_zero_width_space() -> None:
    kw = {"keyword": "cats", "frequency": 2, "relation": "at least"}
    assert _check("keywords:frequency", kw, "I like c\u200bats a lot. Cats are nice.").passed
    assert not _check("keywords:frequency", kw, "I like cats.").passed


def test_a_persian_keyword_with_its_zero_width_non_joiner_is_found_either_way() -> None:
    """Persian writes a zero-width non-joiner inside words (می‌خواهم): a keyword with it is found in an answer with
    or without it, as both show the same word."""
    kw = {"keywords": ["می\u200cخواهم"]}
    assert _check("keywords:existence", kw, "من می\u200cخواهم بروم.").passed
    assert _check("keywords:existence", kw, "من میخواهم بروم.").passed
    assert _check("keywords:existence", {"keywords": ["میخواهم"]}, "من می\u200cخواهم بروم.").passed
