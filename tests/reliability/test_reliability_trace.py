"""Hostile text through the one think-block parser: template-like tokens, nested and stray tags, control chars.

Properties: `parse_trace` never raises; its flags are known names; a trace without a structural flag is an
exact partition (think + answer, nothing lost, no tag left inside either part) and re-renders to itself; any
text outside the think block and the answer is always flagged, never dropped silently.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.trace import (
    MULTIPLE_THINK,
    NO_THINK_BLOCK,
    STRAY_CLOSE,
    TEMPLATE_OPENED_THINK,
    THINK_IN_NO_THINK,
    TRUNCATED,
    UNCLOSED_THINK,
    parse_trace,
    think_tags,
)

KNOWN_FLAGS = {
    "no_think_block",
    "unclosed_think",
    "multiple_think",
    "empty_think",
    "think_in_no_think",
    "stray_think_close",
    "answer_missing",
    "text_before_think",
    "template_opened_think",
    "truncated",
}
STRUCTURAL = {UNCLOSED_THINK, MULTIPLE_THINK, STRAY_CLOSE, "text_before_think"}
TEMPLATE_TOKENS = [
    "<think>",
    "</think>",
    "<THINK>",
    "</Think>",
    "<|im_start|>",
    "<|im_end|>",
    "<|eot_id|>",
    "<|start_header_id|>assistant<|end_header_id|>",
    "<|begin_of_text|>",
    "</s>",
    "<think",
    "think>",
    "< /think>",
    "<|im_start|>assistant\n<think>\n",
    "\n",
    " ",
    "\x00",
    "\u202e",
    "\r",
]
TAG = re.compile(r"</?think>", re.IGNORECASE)

hostile_text = st.lists(st.one_of(st.sampled_from(TEMPLATE_TOKENS), st.text(max_size=12)), max_size=25).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _tagged(s: str) -> bool:
    """Whether `s` holds a think tag that opens or closes a block (one in the answer's code is text: `think_tags`)."""
    return think_tags(s) != ([], [])


def _untagged(s: str) -> str:
    """`s` without the tags `think_tags` reads (each is 7 or 8 characters: `<think>`, `</think>`)."""
    opens, closes = think_tags(s)
    cut = sorted([(o, o + 7) for o in opens] + [(c, c + 8) for c in closes])
    return "".join(s[a:b] for a, b in zip([0] + [e for _, e in cut], [b for b, _ in cut] + [len(s)], strict=True))


@SETTINGS
@given(text=hostile_text, mode=st.sampled_from(["think", "no_think"]), reasoning=st.one_of(st.none(), hostile_text))
@example(text="<think>a</think>b<|im_end|>", mode="think", reasoning=None)
@example(text="preamble <think>x</think> answer", mode="think", reasoning=None)
@example(text="answer", mode="think", reasoning="a</think>b")
@example(text="`</think>`", mode="no_think", reasoning=None)  # a tag in the answer's code is no tag
@example(text="<think>a</think>`<think>`b", mode="think", reasoning=None)
@example(text="```\n<think>\n```", mode="think", reasoning="a")
def test_parse_never_raises_and_partition_is_consistent(text: str, mode: str, reasoning: str | None) -> None:
    p = parse_trace(text, mode, reasoning_content=reasoning)  # type: ignore[arg-type]
    assert set(p.flags) <= KNOWN_FLAGS, p.flags
    assert len(set(p.flags)) == len(p.flags)
    assert isinstance(p.answer, str)
    if p.think is None:
        assert not _tagged(text) and not (reasoning or "").strip()  # a blank reasoning field is none
        assert p.answer == text.strip()
        assert (NO_THINK_BLOCK in p.flags) == (mode == "think")
        return
    if mode == "no_think":
        assert THINK_IN_NO_THINK in p.flags  # any deliberation in no-think mode is leakage
    if STRUCTURAL & set(p.flags):
        return  # a malformed trace: flagged, so every lint rejects it
    # Well formed: exactly one block, no tag left in either part (a tag in the answer's code is its text), nothing
    # outside the two parts.
    assert not TAG.search(p.think) and not _tagged(p.answer)
    full = text if reasoning is None or _tagged(text) else f"<think>\n{reasoning}\n</think>\n{text}"  # as joined
    assert _squash(_untagged(full)) == _squash(p.think + p.answer)
    again = parse_trace(f"<think>\n{p.think}\n</think>\n{p.answer}", mode)  # type: ignore[arg-type]
    assert (again.think, again.answer) == (p.think, p.answer)


@SETTINGS
@given(
    text=st.one_of(st.none(), hostile_text),
    mode=st.sampled_from(["think", "no_think"]),
    reasoning=st.one_of(st.none(), hostile_text),
)
def test_a_length_finish_is_always_flagged_and_never_a_closed_reasoning_block(
    text: str | None, mode: str, reasoning: str | None
) -> None:
    p = parse_trace(text, mode, reasoning_content=reasoning, finish_reason="length")  # type: ignore[arg-type]
    assert TRUNCATED in p.flags
    if (reasoning or "").strip() and not TAG.search(reasoning) and not TAG.search(text or ""):
        assert UNCLOSED_THINK in p.flags and p.answer == ""  # the cut reasoning stays open: no SFT target
        assert p.think == f"{reasoning}\n{text or ''}".strip()  # nothing lost


def test_generation_row_keeps_truncated_reasoning_unclosed() -> None:
    """The generate stage stores the same split: raw_text never gains a `</think>` the model did not write."""
    from pipeline.generate.request import GenerationRequest
    from pipeline.generate.result import GenerationResult, generation_row

    req = GenerationRequest("k", "t", "think", 0, "m", None, (), {}, 1, "1", {})
    row = generation_row(
        req,
        GenerationResult(text=None, reasoning_content="six times seven is", finish_reason="length"),
        backend="openai",
        endpoint=None,
    )
    assert "</think>" not in row["raw_text"] and row["answer"] == ""
    assert {UNCLOSED_THINK, TRUNCATED} <= set(row["parse_flags"])
    opened = generation_row(
        req, GenerationResult(text="six sevens\n</think>\n42", finish_reason="stop"), backend="openai", endpoint=None
    )
    assert (opened["think"], opened["answer"], opened["parse_flags"]) == ("six sevens", "42", [TEMPLATE_OPENED_THINK])


def test_generation_row_keeps_an_answer_whose_code_holds_think_tags_whole() -> None:
    """A reasoning parser's content that is code about think tags was stored cut at the `</think>` in the code."""
    from pipeline.generate.request import GenerationRequest
    from pipeline.generate.result import GenerationResult, generation_row

    code = "```python\nre.sub(r'<think>.*?</think>', '', s)\n```"
    req = GenerationRequest("k", "t", "think", 0, "m", None, (), {}, 1, "1", {})
    res = GenerationResult(text=code, reasoning_content="use re.sub", finish_reason="stop")
    row = generation_row(req, res, backend="openai", endpoint=None)
    assert (row["think"], row["answer"], row["parse_flags"]) == ("use re.sub", code, [])
    assert row["raw_text"] == f"<think>\nuse re.sub\n</think>\n{code}"
    no_think = GenerationRequest("k", "t", "no_think", 0, "m", None, (), {}, 1, "1", {})
    row = generation_row(no_think, GenerationResult(text=code, finish_reason="stop"), backend="openai", endpoint=None)
    assert (row["think"], row["answer"], row["parse_flags"]) == (None, code, [])


@SETTINGS
@given(
    think=st.text(max_size=40),
    answer=st.text(max_size=40),
    token=st.sampled_from(TEMPLATE_TOKENS[4:10]),
    where=st.sampled_from(["think", "answer"]),
)
def test_chat_template_tokens_do_not_move_the_split(think: str, answer: str, token: str, where: str) -> None:
    """`<|im_end|>` and friends inside a response are text to the parser: the split stays where the tags are."""
    if TAG.search(think + answer) or not think.strip() or not answer.strip():
        return
    t, a = (think + token, answer) if where == "think" else (think, token + answer)
    p = parse_trace(f"<think>\n{t}\n</think>\n{a}", "think")
    assert p.flags == ()
    assert (p.think, p.answer) == (t.strip(), a.strip())


def _render_messages():  # the generate stage's prompt rendering, once it is merged
    try:
        from pipeline.generate.templates import render_messages
    except ImportError:
        return None
    return render_messages


@SETTINGS
@given(
    prompt=hostile_text,
    domain=st.sampled_from(["math", "code", "science_mcq", "instruction_following"]),
    mode=st.sampled_from(["think", "no_think"]),
)
def test_template_tokens_in_a_prompt_cannot_add_turns_to_the_request(prompt: str, domain: str, mode: str) -> None:
    """A prompt that spells `<|im_end|><|im_start|>system` stays one user message holding exactly that text."""
    import json

    render = _render_messages()
    assert render is not None
    messages = render(prompt, domain, mode)
    roles = [m["role"] for m in messages]
    assert roles == (["system", "user"] if mode == "think" else ["user"])
    assert prompt.rstrip() in messages[-1]["content"]
    assert json.loads(json.dumps(messages)) == messages  # stored as JSON, read back unchanged
    if mode == "think":  # the system prompt is ours alone: nothing of the prompt leaks into it
        assert messages[0]["content"] == render("x", domain, "think")[0]["content"]
