"""Tiny random-weight models for tests and benches: built in seconds on a CPU. torch, tokenizers and
transformers are imported inside the builders, so importing this module costs nothing."""

from __future__ import annotations

from pathlib import Path

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if thinking is defined and thinking %}<think>\n{% endif %}{% endif %}"
)


SPECIAL_TOKENS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]


def build_tiny_llama(
    out: Path,
    *,
    chat_template: str = CHAT_TEMPLATE,
    corpus: str = "the answer is 42, think step by step about the problem",
    vocab_size: int = 300,
    hidden_size: int = 16,
    head_dim: int | None = None,
    dtype: str | None = None,
) -> Path:
    """A 1-layer Llama (2 heads, 1 KV head) with a ChatML-like template and a byte-level BPE tokenizer whose
    `<think>` / `</think>` are special tokens: seconds to build. Defaults: 16 wide, for `transformers serve`;
    vLLM's CPU attention needs `head_dim` 64 (see `testing_support.tiny_vllm_model`)."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator([corpus] * 5, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="<|im_end|>", unk_token="<unk>", pad_token="</s>"
    )
    fast.chat_template = chat_template
    fast.save_pretrained(out)
    extra = {k: v for k, v in (("head_dim", head_dim), ("torch_dtype", dtype)) if v is not None}
    cfg = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=512,
        bos_token_id=1,
        eos_token_id=fast.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=2,
        **extra,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out


CHATML_SPECIALS = ["<|im_start|>", "<|im_end|>"]
LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]


def build_tiny_model(out: Path, chat_format: str, corpus: list[str]) -> Path:
    """A 1-layer, 16-wide random Llama whose tokenizer knows the Hermes 4 special tokens of `chat_format` (and
    `<think>`, `</think>` as added tokens, as in the 14B tokenizer) and carries thinkmill's training template."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from pipeline.dataset.chat_format import training_template

    fmt_specials = CHATML_SPECIALS if chat_format == "chatml" else LLAMA3_SPECIALS
    special = ["<unk>", "<pad>", *fmt_specials, "<think>", "</think>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=600, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(corpus, trainer)
    eos = "<|im_end|>" if chat_format == "chatml" else "<|eot_id|>"
    bos = None if chat_format == "chatml" else "<|begin_of_text|>"
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token=eos, bos_token=bos, unk_token="<unk>", pad_token="<pad>"
    )
    fast.chat_template = training_template(chat_format)  # type: ignore[arg-type]
    fast.save_pretrained(out)
    cfg = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=2048,
        eos_token_id=fast.convert_tokens_to_ids(eos),
        pad_token_id=fast.pad_token_id,
        bos_token_id=fast.bos_token_id,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out


def tiny_corpus() -> list[str]:
    """Text like the fixture rows, so the tiny tokenizer packs it into few tokens."""
    from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
    from pipeline.trace import THINK_SYSTEM_PROMPT

    lines = [THINK_SYSTEM_PROMPT, STANDARD_SYSTEM_PROMPT, "system user assistant\n\n"]
    lines += [
        f"Problem t{i:04d}: 2+{i}? Let me add 2 and {i} carefully, sample 0. The answer is {2 + i}. Wait, let me check."
        for i in range(40)
    ]
    return lines * 3
