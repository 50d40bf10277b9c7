"""A tiny random-weight Llama that vLLM's CPU build can run (head_dim 64), built in seconds, nothing downloaded."""

from __future__ import annotations

from pathlib import Path

# The generate tests' ChatML template: opens `<think>` in the prompt when thinking is on (DeepSeek-R1 / Qwen3 style).
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if thinking is defined and thinking %}<think>\n{% endif %}{% endif %}"
)
# `<think>` and `</think>` are *special* tokens here: decoding with skip_special_tokens drops them.
SPECIAL_TOKENS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
CORPUS = "the answer is 42, think step by step about the problem; what is 1 + 1? Put your final answer in boxed"


def build_tiny_llama(out: Path, *, chat_template: str = CHAT_TEMPLATE) -> Path:
    """1 layer, hidden 128, 2 heads of 64 (vLLM's CPU attention rejects head_dim 8), byte-level BPE vocab ~400."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator([CORPUS] * 5, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="<|im_end|>", unk_token="<unk>", pad_token="</s>"
    )
    fast.chat_template = chat_template
    fast.save_pretrained(out)
    cfg = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=64,
        max_position_embeddings=512,
        bos_token_id=1,
        eos_token_id=fast.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=2,
        torch_dtype="float32",
    )
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out
