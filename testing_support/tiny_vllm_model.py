"""A tiny random-weight Llama that vLLM's CPU build can run (head_dim 64), built in seconds, nothing downloaded."""

from __future__ import annotations

from pathlib import Path

from testing_support.tiny_models import CHAT_TEMPLATE, SPECIAL_TOKENS
from testing_support.tiny_models import build_tiny_llama as _build

# CHAT_TEMPLATE opens `<think>` in the prompt when thinking is on (DeepSeek-R1 / Qwen3 style); `<think>` and
# `</think>` are *special* tokens (SPECIAL_TOKENS): decoding with skip_special_tokens drops them.
__all__ = ["CHAT_TEMPLATE", "CORPUS", "SPECIAL_TOKENS", "build_tiny_llama"]
CORPUS = "the answer is 42, think step by step about the problem; what is 1 + 1? Put your final answer in boxed"


def build_tiny_llama(out: Path, *, chat_template: str = CHAT_TEMPLATE) -> Path:
    """1 layer, hidden 128, 2 heads of 64 (vLLM's CPU attention rejects head_dim 8), byte-level BPE vocab ~400."""
    return _build(
        out, chat_template=chat_template, corpus=CORPUS, vocab_size=400, hidden_size=128, head_dim=64, dtype="float32"
    )
