"""Parse a Hermes 4 response into its think block and answer, and flag malformed think tags.

One parser for the whole project: the generate stage stores its split, the verify stage's lints read its
flags, and the balance stage measures leakage with it.

Shape in think mode: `<think>\\n...reasoning...\\n</think>\\n` then the final answer. A server started with a
reasoning parser returns the think text separately (`reasoning_content`); `parse_trace` accepts that too.
A chat template that opens the block itself (`<think>\\n` after the assistant header: DeepSeek-R1, Qwen3
thinking variants) makes the response start inside it: `...reasoning...</think>` then the answer, which in think
mode is a trace like any other (flagged `template_opened_think`, for information).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["think", "no_think"]
MODES: tuple[Mode, ...] = ("think", "no_think")

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"

# Verbatim from the Hermes 4 model card (see docs/hermes4.md): the system prompt that switches think mode on.
# Defined once: generation sends it, the dataset's think rows carry it.
THINK_SYSTEM_PROMPT = (
    "You are a deep thinking AI, you may use extremely long chains of thought to deeply consider the problem and "
    "deliberate with yourself via systematic reasoning processes to help come to a correct solution prior to "
    "answering. You should enclose your thoughts and internal monologue inside <think> </think> tags, and then "
    "provide your solution or response to the problem."
)


def system_content(mode: Mode, system: str | None = None) -> str | None:
    """The system message of a request: Hermes 4's reasoning prompt in think mode, then the task's own system
    prompt (the card: further system instructions may follow it); in no-think mode the task's alone; or None."""
    parts = [THINK_SYSTEM_PROMPT] if mode == "think" else []
    if system:
        parts.append(system)
    return "\n\n".join(parts) or None


def task_system(content: str | None) -> str | None:
    """The task's own part of a request's system message (`system_content`'s inverse): without the reasoning
    prompt, None when nothing else is there."""
    if not content:
        return None
    if content.startswith(THINK_SYSTEM_PROMPT):
        content = content[len(THINK_SYSTEM_PROMPT) :].removeprefix("\n\n")
    return content or None


# Chat-template control tokens (ChatML as Hermes 4 uses it, Llama 3, GPT-style): `<|name|>`. In a prompt they
# would be parsed as real special tokens by a tokenizer that renders the chat template (at generation or at
# fine-tuning) and forge turn boundaries; in a response they mean a stop token leaked into the text.
TEMPLATE_TOKEN_RE = re.compile(r"<\|[A-Za-z_][A-Za-z0-9_]{0,40}\|>")


def find_template_token(text: str | None) -> tuple[str, int] | None:
    """The first chat-template control token in `text` and its offset, or None."""
    if not text:
        return None
    m = TEMPLATE_TOKEN_RE.search(text)
    return (m.group(0), m.start()) if m else None


# Parse flags (stable names: stored in generations.parse_flags and used by lints as `lint:<flag>`).
NO_THINK_BLOCK = "no_think_block"  # think mode, but no <think> at all
UNCLOSED_THINK = "unclosed_think"  # <think> without </think> (e.g. cut by max_tokens)
MULTIPLE_THINK = "multiple_think"  # more than one think block
EMPTY_THINK = "empty_think"  # <think></think> with only whitespace inside
THINK_IN_NO_THINK = "think_in_no_think"  # no-think mode, but the model deliberated anyway (leakage)
STRAY_CLOSE = "stray_think_close"  # </think> without an opening tag
ANSWER_MISSING = "answer_missing"  # nothing after </think>
TEXT_BEFORE_THINK = "text_before_think"  # text before <think>: in neither part, so never dropped silently
TRUNCATED = "truncated"  # finish_reason "length": cut by max_tokens, whatever the text looks like
# finish_reason neither a normal end nor "length": vLLM's `abort`, `error` and `repetition` (its hallucination guard
# cuts the text), a hosted API's `content_filter`, Anthropic-style `max_tokens`, or a reason thinkmill does not know.
# The text stopped short of what the model would have written, so it is not an SFT target either.
UNFINISHED = "unfinished"
# Informational (no lint fails on it): think mode, one `</think>` and no `<think>`, because the chat template
# opened the block in the prompt.
TEMPLATE_OPENED_THINK = "template_opened_think"

# A stored generation from a live server that recorded no finish reason (`finish_of`): nothing shows the model ended
# it (old SGLang and some servers never send one).
FINISH_UNKNOWN = "finish_unknown"

FINISH_LENGTH = "length"  # the OpenAI-compatible finish_reason of a response cut by max_tokens
# The spellings of a normal end: OpenAI / vLLM / SGLang / llama.cpp `stop`, TGI `eos_token` and `stop_sequence`,
# Anthropic-style gateways `end_turn`. None (not recorded, e.g. a response file without it) is taken as finished.
FINISHED_NORMALLY = frozenset({"stop", "eos", "eos_token", "stop_sequence", "end_turn"})
# `finish_of`'s finish reason of a stored generation that cannot be shown complete: `parse_trace` flags it
# `finish_unknown`; nothing says the text was cut, so it is not `cut_short` (a reasoning field's block is closed)
NOT_RECORDED = "(not recorded)"


def cut_short(finish_reason: str | None) -> bool:
    """Whether the server says the text stopped before the model ended it (max_tokens included)."""
    return (
        finish_reason is not None
        and finish_reason.lower() not in FINISHED_NORMALLY  # some servers write `Stop`, `STOP`
        and finish_reason != NOT_RECORDED
    )


def sent_max_tokens_sql(table: str = "g") -> str:
    """A DuckDB expression for the `max_tokens` a stored request was sent (from `sampling_params`; NULL when unset),
    of the `generations` or `judge_requests` row aliased `table` (`""`: unaliased)."""
    return f"TRY_CAST(json_extract_string({table + '.' if table else ''}sampling_params, '$.max_tokens') AS BIGINT)"


def stored_finish(row: Mapping[str, Any]) -> str | None:
    """`finish_of` for a stored generation row (`finish_reason`, `completion_tokens`, `max_tokens` as
    `sent_max_tokens_sql` reads it, `backend`: a batch output line is read as a response file)."""
    return finish_of(
        row["finish_reason"], row.get("completion_tokens"), row.get("max_tokens"), live=row.get("backend") != "batch"
    )


def finish_of(
    finish_reason: str | None, completion_tokens: int | None, max_tokens: int | None, *, live: bool = True
) -> str | None:
    """The finish reason a stored generation is judged by, from what its server reported and the request sent.

    `length` when it spent the whole `max_tokens` it was sent (`completion_tokens >= max_tokens`), whatever the server
    says: servers that report `stop` for a text cut at the limit exist (the rare answer that ends on its last allowed
    token is lost, which is safe). From a server thinkmill asked itself (`live`: the openai and vllm backends), a
    missing finish reason is `NOT_RECORDED` (`finish_unknown`): a token count under the limit shows the text was not
    cut by max_tokens, not that the model ended it (an aborted request stops short too). Before, such a text counted
    as finished and a trace the server cut mid-word passed. A batch output file's line is read as a response file's:
    a missing finish reason counts as normal."""
    if completion_tokens is not None and max_tokens is not None and completion_tokens >= max_tokens:
        return FINISH_LENGTH
    if live and finish_reason is None:
        return NOT_RECORDED
    return finish_reason


_TAG_RE = re.compile(r"<(/?)think>", re.IGNORECASE)
# outside a think block: a tag, a code fence (``` or ~~~ opening a line) or a run of backticks (inline code)
_OUTSIDE_RE = re.compile(r"<(/?)think>|^[ \t]*(`{3,}|~{3,})|(`+)", re.IGNORECASE | re.MULTILINE)
_TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# a code fence right after a `</think>` on its line: the answer starts there, so it starts a line of the answer
_FENCE_AFTER_CLOSE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _code_end(text: str, m: re.Match[str]) -> int | None:
    """Where the code that `m` opens ends: a fence's closing fence (a line of the same character, at least as long),
    or inline code's closing run of as many backticks on the same line; None when it is never closed (then it is no
    code: its marks are text, as Markdown reads them). Inline code held on one line: a stray backtick in prose never
    pairs with one lines later around a real think block."""
    if (fence := m.group(2)) is not None:
        return _fence_end(text, fence, m.end())
    line_end = text.find("\n", m.end())
    found = re.compile(rf"(?<!`){m.group(3)}(?!`)").search(text, m.end(), line_end if line_end >= 0 else len(text))
    return found.end() if found else None


def _fence_end(text: str, fence: str, after: int) -> int | None:
    """Where the fenced block opened by `fence` (its marks end at `after`) ends: after its closing fence, a line of
    the same character at least as long; None when it is never closed."""
    close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
    line_end = text.find("\n", after)
    found = close.search(text, line_end) if line_end >= 0 else None
    return found.end() if found else None


def think_tags(text: str, reasoning_end: int = 0) -> tuple[list[int], list[int]]:
    """The offsets of the `<think>` and of the `</think>` tags in `text` that open and close think blocks.

    Inside a think block every tag counts: the first `</think>` closes it, in code or not (a reasoning parser
    splits there, so a think text never holds one); so does every tag before `reasoning_end` (a server's reasoning
    field, `join_reasoning`), and before the first `</think>` of a block the chat template opened. Outside one (the
    answer), a tag in code is the answer's text, not a tag: in a fenced block (``` or ~~~) or inline code (`` `...`
    ``) closed within the text. A coding answer about think tags (`s.replace('<think>', '')`,
    `re.sub(r'<think>.*?</think>', '', s)`) was read as a second think block, and its answer cut at the `</think>`
    of its code."""
    opens: list[int] = []
    closes: list[int] = []
    for m in _TAG_RE.finditer(text, 0, reasoning_end):
        (closes if m.group(1) else opens).append(m.start())
    pos, inside = reasoning_end, bool(opens) and (not closes or opens[-1] > closes[-1])
    while pos < len(text):
        m = (_TAG_RE if inside else _OUTSIDE_RE).search(text, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(1) is not None:  # a tag
            (closes if m.group(1) else opens).append(m.start())
            inside = not m.group(1)
            # `</think>```python`: the answer opens with a fence on the tag's line (a reasoning parser's split
            # answer starts with it, a line of its own): its code is the answer's text
            if not inside and (fence := _FENCE_AFTER_CLOSE.match(text, pos)) is not None:
                pos = _fence_end(text, fence.group(1), fence.end()) or pos
        elif (end := _code_end(text, m)) is not None:
            pos = end
    if closes and (not opens or closes[0] < opens[0]):
        # the response starts inside a block (the template opened it): what comes before its close is think text
        for m in _TAG_RE.finditer(text, reasoning_end, closes[0]):
            (closes if m.group(1) else opens).append(m.start())
        opens, closes = sorted(set(opens)), sorted(set(closes))
    return opens, closes


# Hermes' tool-call tags (`<tool_call>{"name": ..., "arguments": ...}</tool_call>`, and the `<tool_response>` the
# caller sends back), outside code: a fenced block or inline code closed within the text, as `think_tags` reads them
_TOOL_OUTSIDE_RE = re.compile(r"<(/?)tool_(?:call|response)>|^[ \t]*(`{3,}|~{3,})|(`+)", re.IGNORECASE | re.MULTILINE)


def find_tool_call(text: str | None) -> int | None:
    """The offset of the first Hermes tool-call tag (`<tool_call>`, `</tool_call>`, `<tool_response>`, any case) in
    `text` outside code, or None. Tags in a fenced block or closed inline code are the text's own (an answer's parser
    for Hermes tool calls)."""
    if not text or "tool_" not in text.lower():
        return None
    pos = 0
    while (m := _TOOL_OUTSIDE_RE.search(text, pos)) is not None:
        if m.group(1) is not None:
            return m.start()
        end = _code_end(text, m)
        pos = end if end is not None else m.end()
    return None


_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t\f\v]*(?:\r\n|\r|\n))+")


def trim(text: str, *, at_line_start: bool = True) -> str:
    """`text` without its leading blank lines and trailing whitespace; the indentation of its first line is kept
    where it is indentation: the line starts a line (`at_line_start`: the text starts a response or a line of it,
    or blank lines stood before it) and the text goes on over more lines (a code block, an indented list, aligned
    columns of sums). Elsewhere leading spaces are dropped: one line, or text on the line of a tag (`</think> The
    answer`). `str.strip` dropped that indentation too: "    def f():\n        return 1" became "def f():\n
    return 1", and a dataset row trained on code the model never wrote."""
    body = text.rstrip()
    lines = _LEADING_BLANK_LINES.sub("", body)
    if (at_line_start or len(lines) < len(body)) and "\n" in lines.lstrip():
        return lines
    return lines.lstrip()


@dataclass(frozen=True)
class ParsedTrace:
    think: str | None
    answer: str
    flags: tuple[str, ...] = field(default=())

    @property
    def has_think(self) -> bool:
        return self.think is not None


def _inline_block(text: str) -> str | None:
    """The stripped content of `text`'s first think block (to its `</think>` or the end), or None without one (tags
    in the answer's code are none: `think_tags`)."""
    opens, closes = think_tags(text)
    if not opens:
        return None
    closed = next((c for c in closes if c > opens[0]), len(text))
    return text[opens[0] + len(THINK_OPEN) : closed].strip()


def join_reasoning(
    text: str | None, reasoning_content: str | None, finish_reason: str | None = None, mode: Mode | None = None
) -> str:
    """The whole response as one text when a reasoning parser split it (`reasoning_content` + `text`).

    The think block is closed only when the server says the model closed it: content present and not cut by
    max_tokens. A truncated or otherwise unfinished response (finish_reason `length`, `abort`, ..., or null
    content) keeps its block unclosed, so it is never mistaken for a finished trace.

    An empty or blank reasoning field is no reasoning (servers send `""` beside a no-think answer): it adds no
    think block. In think mode (`mode`), beside an answer, it is an empty think block: vLLM's reasoning parsers send
    `""` (or the blank text) for `<think></think>answer` and for `</think>answer` after a block the template opened,
    which the response written inline fails as `empty_think`. A content whose first think block holds the reasoning
    already (a server that sends it in both fields) is the whole response. Any other think block in the content is a
    second one: vLLM's parsers split `<think>A</think><think>B</think>answer` at the first `</think>`, and the content
    alone lost block A.
    """
    return _joined(text, reasoning_content, finish_reason, mode)[0]


def _joined(
    text: str | None, reasoning_content: str | None, finish_reason: str | None, mode: Mode | None = None
) -> tuple[str, int]:
    """`join_reasoning`'s text, and where the think block it built from the reasoning field ends (after its
    `</think>`; 0 when it built none): every tag before it is a think tag (`think_tags`)."""
    if reasoning_content is not None and not reasoning_content.strip():
        # think mode, beside an answer without think tags of its own: the empty block the model closed
        closed_empty = mode == "think" and bool((text or "").strip()) and not any(think_tags(text or ""))
        reasoning_content = "" if closed_empty else None
    if reasoning_content is None or (text is not None and _inline_block(text) == reasoning_content.strip()):
        return text or "", 0
    if text is None or cut_short(finish_reason):
        joined = f"{THINK_OPEN}\n{reasoning_content}" + (f"\n{text}" if text else "")
        return joined, len(joined)
    block = f"{THINK_OPEN}\n{reasoning_content}\n{THINK_CLOSE}"
    return f"{block}\n{text}", len(block)


def parse_trace(
    text: str | None,
    mode: Mode = "think",
    reasoning_content: str | None = None,
    finish_reason: str | None = None,
    *,
    keep_indent: bool = False,
) -> ParsedTrace:
    """Split a response into (think, answer) and flag malformed think tags for `mode`.

    The think text is the content of the first think block; the answer is everything after the last
    `</think>` (or the whole text when there is no think block). An unclosed block has no answer. A tag in the
    answer's code (a fenced block or inline code) is the answer's text, not a tag (`think_tags`). A response
    cut by max_tokens (`finish_reason="length"`) is flagged `truncated` whatever its shape, one that ended for any
    other reason than a normal end (`cut_short`) `unfinished`, a stored one that cannot be shown complete
    (`finish_of`: `NOT_RECORDED`) `finish_unknown`.

    The think text and the answer are stripped; with `keep_indent` (what a dataset row is made of) they are `trim`med
    instead, so the indentation of a first line that is indentation stays as the model wrote it.
    """
    finish_reason = finish_reason.lower() if finish_reason else finish_reason  # `Length`, `STOP`: as `length`, `stop`
    text, reasoning_end = _joined(text, reasoning_content, finish_reason, mode)
    flags: list[str] = (
        [TRUNCATED]
        if finish_reason == FINISH_LENGTH
        else [UNFINISHED]
        if cut_short(finish_reason)
        else [FINISH_UNKNOWN]
        if finish_reason == NOT_RECORDED
        else []
    )

    opens, closes = think_tags(text, reasoning_end)  # not a tag in the answer's code

    def cut(part: str, at_line_start: bool) -> str:
        return trim(part, at_line_start=at_line_start) if keep_indent else part.strip()

    if not opens and not closes:
        if mode == "think":
            flags.append(NO_THINK_BLOCK)
        return ParsedTrace(None, cut(text, True), tuple(flags))

    if not opens and len(closes) == 1 and mode == "think":
        flags.append(TEMPLATE_OPENED_THINK)  # the template opened the block; the response starts inside it
    elif closes and (not opens or closes[0] < opens[0]):
        flags.append(STRAY_CLOSE)
    if len(opens) > 1 or len(closes) > 1:
        flags.append(MULTIPLE_THINK)

    if opens:
        if text[: opens[0]].strip() and STRAY_CLOSE not in flags:
            flags.append(TEXT_BEFORE_THINK)
        start = opens[0] + len(THINK_OPEN)
        after_open = [c for c in closes if c > opens[0]]
        if not after_open:
            flags.append(UNCLOSED_THINK)
            think = cut(text[start:], False)
            answer = ""
        else:
            think = cut(text[start : after_open[0]], False)
            answer = cut(text[closes[-1] + len(THINK_CLOSE) :], False)
    else:
        think = cut(text[: closes[0]], True)
        answer = cut(text[closes[-1] + len(THINK_CLOSE) :], False)

    if not think:
        flags.append(EMPTY_THINK)
    if mode == "no_think":
        flags.append(THINK_IN_NO_THINK)
    if not answer and UNCLOSED_THINK not in flags:
        flags.append(ANSWER_MISSING)
    return ParsedTrace(think, answer, tuple(dict.fromkeys(flags)))


def count_tokens(text: str | None) -> int:
    """Approximate token count (words and punctuation marks): tokenizer-free, fast, stable across runs.

    Within about 20% of a BPE tokenizer on English prose and LaTeX; used for budgets and statistics, never
    for anything a model sees.
    """
    if not text:
        return 0
    return len(_TOKEN_RE.findall(text))
