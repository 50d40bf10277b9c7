"""A tool call in a response to a request that offered no tools. thinkmill sends no tools (ingest quarantines tasks
that need them, `needs_tools`), so a Hermes tool call (`<tool_call>{...}</tool_call>`) in a trace is a call to a tool
nobody offered: with a right answer after it, the trace passed, and the row taught the model to call tools that do
not exist. Tags in the answer's code (a parser for Hermes tool calls) are its text; a task whose prompt asks for the
tags (it names `<tool_call>`) may get them."""

from __future__ import annotations

import pytest


def _v(verdict, text: str, mode: str, **kw):  # type: ignore[no-untyped-def]
    """The verdict of a response whose answer holds 42 (the regex verifier: text around the answer is no mismatch)."""
    return verdict(text, mode, verifier="regex", pattern=r"\b42\b", **kw)


CALL = '<tool_call>\n{"name": "calc", "arguments": {"expression": "6*7"}}\n</tool_call>'


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (f"<think>\nI will use the calculator.\n</think>\n{CALL}\n42", "think"),
        (f"<think>\nLet me call it.\n{CALL}\nIt says 42.\n</think>\n42", "think"),
        (f"{CALL}\n42", "no_think"),
        (f"42\n\n{CALL}", "no_think"),
        ('<think>\nx\n</think>\n<TOOL_CALL>{"name": "calc"}</TOOL_CALL>\n42', "think"),
        ('<think>\nx\n</think>\n<tool_response>\n{"result": 42}\n</tool_response>\n42', "think"),
    ],
    ids=["answer", "think", "no-think", "after-answer", "upper-case", "tool-response"],
)
def test_a_tool_call_nobody_offered_fails(verdict, text: str, mode: str) -> None:
    v = _v(verdict, text, mode)
    assert (v.passed, v.reason) == (False, "lint:tool_call")
    assert "tool_call" in v.lint_flags


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ('<think>\nx\n</think>\n```python\ns = "<tool_call>"\nprint(42)\n```\n42', "think"),
        ("<think>\nx\n</think>\nThe tag `<tool_call>` opens a call. 42", "think"),
        ("<think>\nHermes wraps calls in tool tags.\n</think>\n42", "think"),
    ],
    ids=["fenced-code", "inline-code", "words"],
)
def test_tool_tags_in_code_or_words_pass(verdict, text: str, mode: str) -> None:
    v = _v(verdict, text, mode)
    assert (v.passed, v.lint_flags) == (True, [])


def test_a_task_that_asks_for_the_tags_may_get_them(verdict) -> None:
    prompt = "Write the call you would make to the calc tool, in <tool_call> tags, then the result 42."
    v = _v(verdict, f"<think>\nx\n</think>\n{CALL}\n42", "think", prompt=prompt)
    assert v.passed, v.reason
