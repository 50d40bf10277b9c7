"""Training messages for Hermes 4: think rows carry the reasoning system prompt and a `<think>` block, no-think
rows carry neither (the hybrid behaviour a fine-tune must keep)."""

from __future__ import annotations

from typing import Any

from pipeline.trace import THINK_CLOSE, THINK_OPEN, THINK_SYSTEM_PROMPT

Message = dict[str, str]


def think_assistant_content(think: str, answer: str) -> str:
    """The assistant turn of a think row, in Hermes 4's output shape."""
    return f"{THINK_OPEN}\n{think.strip()}\n{THINK_CLOSE}\n\n{answer.strip()}"


def user_prompt(request_messages: Any, fallback: str) -> str:
    """The user turn as sent to the model (it may wrap the task prompt with format instructions)."""
    if isinstance(request_messages, list):
        for m in reversed(request_messages):
            if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str):
                return m["content"]
    return fallback


def build_messages(mode: str, prompt: str, answer: str, think: str | None = None) -> list[Message]:
    """Messages of one training example."""
    if mode == "think":
        if not think or not think.strip():
            raise ValueError("a think example needs a non-empty think text")
        return [
            {"role": "system", "content": THINK_SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": think_assistant_content(think, answer)},
        ]
    if mode == "no_think":
        return [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer.strip()}]
    raise ValueError(f"unknown mode {mode!r}; expected think or no_think")
