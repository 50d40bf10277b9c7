"""exact 21: a stated answer followed by prose on its line ("The answer is Paris. It is the capital of France.") failed
`mismatch`: a full stop after a word was never read as the sentence's end (a full stop after a letter may be an
initial or an abbreviation: "D. C.", "St. Louis"), so the value read was the whole line. Where the request asks for
a stated answer (a prompt's own `Answer:` line, which gets no `\\boxed{}` instruction) or the `answer_format` lint is
off, such right rows were dropped (thinkmill's own `\\boxed{}` instruction makes that lint drop unboxed answers
anyway)."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec

CFG = VerifyConfig()


def _exact(answer: str, reference: str, aliases: list[str] | None = None) -> tuple[bool, str | None]:
    args = {"aliases": aliases} if aliases else {}
    r = Registry(CFG).get("exact").check(answer, TaskSpec("t", "exact", reference, args, "What is it?"), CFG)
    return r.passed, r.detail


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("The answer is Paris. It is the capital of France.", "Paris"),
        ("The answer is Paris. Paris has been the capital since 987.", "Paris"),
        ("The final answer is Paris. It has been the capital since 987.", "Paris"),
        ("**Answer:** Paris. It is the capital.", "Paris"),
        ("The answer is **Paris**. It has been the capital for centuries.", "Paris"),
        # exact 22: in emphasis, as in bold
        ("The answer is *Paris*.", "Paris"),
        ("The answer is _Paris_. It is the capital.", "Paris"),
        ("Answer: **12 apples**. That is the total.", "12 apples"),
        ("The answer is New York. It is the largest city.", "New York"),
        ("The answer is Au. Gold's symbol comes from the Latin aurum.", "Au"),
        # an abbreviation or an initial inside the value is no sentence end
        ("The answer is St. Louis. It lies on the Mississippi.", "St. Louis"),
        ("The answer is Dr. Seuss. He wrote it in 1957.", "Dr. Seuss"),
        ("The answer is J. R. R. Tolkien. He wrote it.", "J. R. R. Tolkien"),
    ],
)
def test_a_stated_answer_then_prose_on_its_line_is_the_answer(answer: str, reference: str) -> None:
    assert _exact(answer, reference) == (True, None), answer


@pytest.mark.parametrize(
    ("answer", "reference"),
    [
        ("The answer is Lyon. It is the capital of France.", "Paris"),
        ("The answer is Paris. Wait, that is wrong.", "Paris"),
        ("The answer is Paris. Actually, it is Lyon.", "Paris"),
        ("The answer is Paris. Or maybe Lyon.", "Paris"),
    ],
)
def test_what_the_prose_says_still_counts(answer: str, reference: str) -> None:
    assert _exact(answer, reference)[0] is False, answer
