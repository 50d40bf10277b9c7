"""Training messages for Hermes 4: think rows carry the reasoning system prompt and a `<think>` block, no-think
rows carry neither (the hybrid behaviour a fine-tune must keep). A task's own system prompt is in both, as sent."""

from __future__ import annotations

from typing import Any, Literal

from pipeline.trace import THINK_CLOSE, THINK_OPEN, system_content, task_system, trim
from pipeline.trace import THINK_SYSTEM_PROMPT as THINK_SYSTEM_PROMPT  # documented here (docs/dataset.md)

Message = dict[str, str]
# Where the think text of an exported assistant turn goes: inline in `content` (Hermes 4's own output shape), or in
# a separate key of the assistant message that templates read (`reasoning_content`: Qwen3-style templates and
# Axolotl's `chat_template` type; `thinking`: GPT-OSS' template), with the answer alone in `content`.
ReasoningField = Literal["inline", "reasoning_content", "thinking"]
REASONING_FIELDS: tuple[ReasoningField, ...] = ("inline", "reasoning_content", "thinking")
# The default system prompt of Hermes 4's own chat template (`standard_prompt`, used when `thinking` is off and
# no system message is given): what the model sees in no-think mode when served with its template.
STANDARD_SYSTEM_PROMPT = "You are Hermes, created by Nous Research."
_INLINE_OPEN = f"{THINK_OPEN}\n"
_INLINE_SEP = f"\n{THINK_CLOSE}\n\n"


def think_assistant_content(think: str, answer: str) -> str:
    """The assistant turn of a think row, in Hermes 4's output shape: the think text and the answer `trim`med (the
    indentation of a first line that is indentation kept, as the model wrote it)."""
    return f"{THINK_OPEN}\n{trim(think)}\n{THINK_CLOSE}\n\n{trim(answer)}"


def split_think_content(content: str) -> tuple[str, str]:
    """(think, answer) of an assistant turn written by `think_assistant_content`: its exact inverse. The think
    text is a parsed think block, so it holds no `</think>`; the first separator is the one that closes it."""
    if not content.startswith(_INLINE_OPEN) or _INLINE_SEP not in content:
        raise ValueError("the assistant turn of a think row is not `<think>`, think text, `</think>`, answer")
    think, answer = content[len(_INLINE_OPEN) :].split(_INLINE_SEP, 1)
    return think, answer


def with_reasoning_field(messages: list[Message], mode: str, field: ReasoningField) -> list[Message]:
    """`messages` with the think block of a think row's assistant turn moved to `field` (the answer alone stays in
    `content`). Inline, and no-think rows, are returned unchanged. Raises ValueError on a malformed think turn."""
    if field == "inline" or mode != "think":
        return messages
    if field not in REASONING_FIELDS:
        raise ValueError(f"unknown reasoning field {field!r}; expected one of {', '.join(REASONING_FIELDS)}")
    out = []
    for m in messages:
        if m["role"] == "assistant":
            think, answer = split_think_content(m["content"])
            m = {"role": "assistant", "content": answer, field: think}
        out.append(m)
    return out


def quotes_think_close(message: dict[str, Any], field: ReasoningField = "inline") -> bool:
    """Whether a chat template that splits an assistant turn's `content` at `</think>` reads `message` otherwise
    than written. Qwen3-style templates (TRL's `qwen3.jinja`, GLM-4.5's) do so wherever the turn's reasoning field is
    not a string, taking the text before the first `</think>` as the think text and the text after the last as the
    answer: a `</think>` beyond the one closing the think block the content opens with (an answer quoting it in
    code) cuts the answer, or makes a think block of a no-think answer."""
    if message.get("role") != "assistant" or isinstance(message.get(field), str):
        return False
    content = message.get("content")
    if not isinstance(content, str):
        return False
    return content.count(THINK_CLOSE) > (1 if content.startswith(THINK_OPEN) else 0)


def user_prompt(request_messages: Any, fallback: str) -> str:
    """The user turn as sent to the model (it may wrap the task prompt with format instructions)."""
    if isinstance(request_messages, list):
        for m in reversed(request_messages):
            if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str):
                return m["content"]
    return fallback


def request_system(request_messages: Any) -> str | None:
    """The task's own system prompt as sent with a request: its system message without Hermes 4's reasoning
    prompt (the mode adds that back), or None."""
    if isinstance(request_messages, list):
        for m in request_messages:
            if isinstance(m, dict) and m.get("role") == "system" and isinstance(m.get("content"), str):
                return task_system(m["content"])
    return None


def build_messages(
    mode: str, prompt: str, answer: str, think: str | None = None, system: str | None = None
) -> list[Message]:
    """Messages of one training example: the system message as a request of the mode sends it (the reasoning
    prompt, then the task's own `system`, in think mode; the task's alone, or none, in no-think mode)."""
    if mode not in ("think", "no_think"):
        raise ValueError(f"unknown mode {mode!r}; expected think or no_think")
    if mode == "think" and (not think or not think.strip()):
        raise ValueError("a think example needs a non-empty think text")
    content = system_content(mode, system)
    head: list[Message] = [{"role": "system", "content": content}] if content is not None else []
    if mode == "think":
        assert think is not None
        return [
            *head,
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": think_assistant_content(think, answer)},
        ]
    return [*head, {"role": "user", "content": prompt}, {"role": "assistant", "content": trim(answer)}]
