"""ifeval 15: answers that broke an instruction and passed (wrong training rows), and right answers that failed,
found by probing the verifier with the responses Hermes writes to IFEval-layout tasks."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.ifeval_google import follows


def _check(args: dict, answer: str, prompt: str = "Write something.") -> object:
    cfg = VerifyConfig()
    return Registry(cfg).get("ifeval").check(answer, TaskSpec("t", "ifeval", None, args, prompt), cfg)


def _nth(n: int, nth: int, word: str) -> dict:
    return {"num_paragraphs": n, "nth_paragraph": nth, "first_word": word}


@pytest.mark.parametrize(
    ("text", "kw", "want"),
    [
        # two blank lines between paragraphs 1 and 2: IFEval's split left an empty piece, so its "paragraph 3" was
        # the answer's second one
        ("Intro.\n\n\n\nFinally two.\n\nEnd.", _nth(3, 3, "finally"), False),
        ("Intro.\n\n\n\nMiddle.\n\nFinally end.", _nth(3, 3, "finally"), True),
        ("Intro.\n\n\n\nFinally two.\n\nEnd.", _nth(3, 2, "finally"), True),
        # a blank line holding spaces divides paragraphs as markdown reads it
        ("Intro.\n \nFinally end.", _nth(2, 2, "finally"), True),
        ("Intro.\n\t\nFinally end.", _nth(1, 1, "intro"), False),
        ("Intro.\n\nSummary of it.\n\nEnd.", _nth(3, 2, "summary"), True),
    ],
)
def test_nth_paragraph_is_the_nth_paragraph_the_answer_shows(text: str, kw: dict, want: bool) -> None:
    assert follows("length_constraints:nth_paragraph_first_word", text, kw, "strict") is want
    args = {"constraints": [{"type": "length_constraints:nth_paragraph_first_word", **kw}]}
    assert _check(args, text).passed is want
