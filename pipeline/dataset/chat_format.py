"""Render messages to training text with the Hermes 4 chat format of the configured model.

No tokenizer can be downloaded here, so the two formats of the family are rendered directly (ChatML for
Hermes-4-14B and Hermes-4.3-36B, Llama 3 headers for Hermes-4-70B and -405B). When a local tokenizer folder is
configured, its own `apply_chat_template` renders instead: that is the exact template the model was trained with.

Training text leaves out the final end-of-turn token (`final_eos=False`): TRL's SFTTrainer appends the tokenizer's
EOS to every `text` example that does not end with it, so a rendered `<|im_end|>\n` would end up as
`<|im_end|>\n<|im_end|>`, teaching the model a second end-of-turn after every answer. For the same reason it leaves
out a leading `<|begin_of_text|>` where the trainer's tokenizer adds one: SFTTrainer tokenizes a `text` row with the
special tokens on, and Llama 3.1's tokenizer (Hermes-4-70B's and -405B's base) puts it in front of every text, so
every row trained on two (`strip_begin_of_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from pipeline.dataset.errors import ChatFormatError
from pipeline.trace import THINK_CLOSE, THINK_OPEN

ChatFormat = Literal["chatml", "llama3"]
Message = dict[str, str]

# Model-name fragments (lower case) and the chat format of each Hermes 4 base.
_MODEL_FORMATS: tuple[tuple[str, ChatFormat], ...] = (
    ("hermes-4.3", "chatml"),  # Seed-OSS-36B base
    ("hermes-4-14b", "chatml"),  # Qwen3-14B base
    ("hermes-4-70b", "llama3"),
    ("hermes-4-405b", "llama3"),
    ("qwen", "chatml"),
    ("seed-oss", "chatml"),
    ("llama", "llama3"),
)


def chat_format_for(model: str) -> ChatFormat:
    """The chat format of a model, by name; raises ChatFormatError naming the model when unknown."""
    name = model.lower()
    for fragment, fmt in _MODEL_FORMATS:
        if fragment in name:
            return fmt
    known = ", ".join(sorted({f for f, _ in _MODEL_FORMATS}))
    raise ChatFormatError(
        f"no chat format known for model {model!r} (known name fragments: {known}); set publish.chat_format "
        f"to chatml or llama3, or publish.tokenizer_path to a local tokenizer"
    )


def render_chatml(messages: Sequence[Message]) -> str:
    return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)


def render_llama3(messages: Sequence[Message]) -> str:
    body = "".join(f"<|start_header_id|>{m['role']}<|end_header_id|>\n\n{m['content']}<|eot_id|>" for m in messages)
    return "<|begin_of_text|>" + body


_RENDERERS: dict[ChatFormat, Callable[[Sequence[Message]], str]] = {
    "chatml": render_chatml,
    "llama3": render_llama3,
}
# The token that ends the assistant's turn in each format: what a trainer appends as EOS.
END_OF_TURN: dict[ChatFormat, str] = {"chatml": "<|im_end|>", "llama3": "<|eot_id|>"}
# The token a format's text opens with, which its model's tokenizer adds to every text it encodes (Llama 3.1's
# post-processor); ChatML has none.
BEGIN_OF_TEXT: dict[ChatFormat, str] = {"llama3": "<|begin_of_text|>"}


def strip_final_eos(text: str, eos_token: str | None) -> str:
    """`text` without a final `eos_token` (and the whitespace after it), so the trainer's own EOS is the only one."""
    if not eos_token:
        return text
    body = text.rstrip()
    return body[: -len(eos_token)] if body.endswith(eos_token) else text


def strip_begin_of_text(text: str, bos_token: str | None) -> str:
    """`text` without a leading `bos_token`, which the trainer's tokenizer adds when it encodes the text."""
    return text[len(bos_token) :] if bos_token and text.startswith(bos_token) else text


def _adds_bos(tok: object) -> bool:
    """Whether a tokenizer puts its BOS token in front of a text it encodes with its special tokens on."""
    bos_id = getattr(tok, "bos_token_id", None)
    if bos_id is None:
        return False
    ids = tok("x")["input_ids"]  # type: ignore[operator]
    return bool(ids) and ids[0] == bos_id


def dropped_content(messages: Sequence[Message], text: str) -> str | None:
    """What a chat template left out of `text`, rendered from `messages`, as "drops the ..." (None: nothing). A
    template may frame each turn as it likes, but every turn's text, and the think text of an assistant turn, must
    be in the rendering: QwQ's and DeepSeek-R1's templates keep only what follows `</think>` in assistant turns."""
    for m in messages:
        content = m["content"]
        if m["role"] == "assistant" and content.startswith(THINK_OPEN) and THINK_CLOSE in content:
            think, answer = content[len(THINK_OPEN) :].split(THINK_CLOSE, 1)
            if think.strip() not in text:
                return "drops the think text of the assistant turn"
            content = answer
        if content.strip() not in text:
            return f"drops the {m['role']} turn"
    return None


def make_renderer(
    model: str, chat_format: str = "auto", tokenizer_path: str | None = None, *, final_eos: bool = True
) -> Callable[[Sequence[Message]], str]:
    """A function messages -> text for the configured model. `final_eos=False`: the text stops right after the
    last message's content, leaving the end-of-turn token to the trainer, and starts without the begin-of-text token
    a trainer's tokenizer adds (the `text` export: Llama 3's always, a local tokenizer's where it adds one)."""
    if tokenizer_path:
        from jinja2 import TemplateError
        from transformers import AutoTokenizer

        try:
            tok = AutoTokenizer.from_pretrained(tokenizer_path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ChatFormatError(f"cannot load tokenizer from {tokenizer_path}: {exc}") from exc
        if not getattr(tok, "chat_template", None):
            raise ChatFormatError(f"tokenizer at {tokenizer_path} has no chat_template")

        eos = None if final_eos else getattr(tok, "eos_token", None)
        bos = getattr(tok, "bos_token", None) if not final_eos and _adds_bos(tok) else None

        def render(messages: Sequence[Message]) -> str:
            # keep_cots: Hermes 4's own template strips the think block of earlier assistant turns without it
            # (and a training render may count every turn as earlier); other templates ignore the extra variable.
            try:
                text = str(tok.apply_chat_template(list(messages), tokenize=False, keep_cots=True))
            except TemplateError as exc:  # a template's own raise_exception (e.g. no system role), or its bug
                raise ChatFormatError(f"the chat template of the tokenizer at {tokenizer_path} failed: {exc}") from exc
            lost = dropped_content(messages, text)
            if lost is not None:
                raise ChatFormatError(
                    f"the chat template of the tokenizer at {tokenizer_path} {lost}: the rendered text would "
                    "train without it; use publish.chat_format (chatml or llama3) without publish.tokenizer_path, "
                    "or a template that keeps it (`thinkmill export --template-out` writes Hermes 4's)"
                )
            return strip_begin_of_text(strip_final_eos(text, eos), bos)

        return render
    fmt: ChatFormat = chat_format_for(model) if chat_format == "auto" else chat_format  # type: ignore[assignment]
    if fmt not in _RENDERERS:
        raise ChatFormatError(f"unknown chat format {chat_format!r}; expected auto, chatml or llama3")
    if final_eos:
        return _RENDERERS[fmt]
    full, eot, bos = _RENDERERS[fmt], END_OF_TURN[fmt], BEGIN_OF_TEXT.get(fmt)
    return lambda messages: strip_begin_of_text(strip_final_eos(full(messages), eot), bos)


# ------------------------------------------------------------------------------------------- training templates
# Hermes 4 chat templates with `{% generation %}` markers around assistant turns (TRL's assistant_only_loss), the
# `thinking` switch and the reasoning system prompt; shipped as package data under pipeline/dataset/templates/.
TEMPLATE_FILES: dict[ChatFormat, str] = {"chatml": "hermes4_chatml.jinja", "llama3": "hermes4_llama3.jinja"}


def training_template(chat_format: ChatFormat) -> str:
    """The Hermes 4 training chat template (Jinja source) of a chat format."""
    from importlib.resources import files

    if chat_format not in TEMPLATE_FILES:
        raise ChatFormatError(f"unknown chat format {chat_format!r}; expected chatml or llama3")
    return files("pipeline.dataset").joinpath("templates", TEMPLATE_FILES[chat_format]).read_text(encoding="utf-8")
