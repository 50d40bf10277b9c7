"""Fixture data for the dataset stage: tasks, generations, verdicts, selections written straight to a tmp DB."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.config import ThinkmillConfig
from pipeline.store import Store

DOMAINS = ("math", "code", "science_mcq", "instruction_following")
LICENSES = {"math": "MIT", "code": "Apache-2.0", "science_mcq": "CC-BY-4.0", "instruction_following": "MIT"}


def populate(store: Store, n_tasks: int = 120, seed: int = 0, prefix: str = "t") -> None:
    """Write a small, realistic pipeline state: 2 think + 1 no-think samples per task, varied difficulty."""
    rng = random.Random(seed)
    tasks, gens, verdicts, sel = [], [], [], []
    for i in range(n_tasks):
        tid = f"{prefix}{i:04d}"
        domain = DOMAINS[i % len(DOMAINS)]
        tasks.append({"task_id": tid, "source": f"src_{domain}", "domain": domain, "prompt": f"Problem {tid}: 2+{i}?",
                      "answer": str(2 + i), "verifier": "exact", "verifier_args": "{}", "license": LICENSES[domain],
                      "metadata": "{}"})
        hardness = rng.random()
        for mode, k in (("think", 2), ("no_think", 1)):
            for s in range(k):
                key = f"{tid}-{mode}-{s}"
                p = (0.95 - 0.6 * hardness) if mode == "think" else (0.9 - hardness)
                passed = rng.random() < p
                think = f"Let me add 2 and {i} carefully, sample {s}. " * (1 + int(hardness * 20))
                answer = f"The answer is {2 + i}." if passed else "The answer is 0."
                if mode == "no_think":
                    think = None
                    if i % 17 == 3:
                        answer = f"Wait, let me check. The answer is {2 + i}."
                    if i % 29 == 5:
                        answer = f"<think>hm</think> The answer is {2 + i}."
                raw = f"<think>\n{think}\n</think>\n\n{answer}" if think else answer
                gens.append({"key": key, "task_id": tid, "mode": mode, "sample_index": s, "backend": "batch",
                             "model": "NousResearch/Hermes-4-14B", "template_version": "t1",
                             "messages": [{"role": "user", "content": f"Problem {tid}: 2+{i}?"}],
                             "sampling_params": {"temperature": 0.6}, "raw_text": raw, "think": think,
                             "answer": answer, "finish_reason": "stop"})
                verdicts.append({"generation_key": key, "task_id": tid, "mode": mode, "verifier": "exact",
                                 "passed": passed, "reason": None if passed else "exact:mismatch",
                                 "think_tokens": len((think or "").split()), "answer_tokens": len(answer.split())})
                if passed:
                    sel.append({"generation_key": key, "task_id": tid, "mode": mode, "selected": True})
    store.insert_many({
        "tasks": pl.DataFrame(tasks),
        "generations": pl.DataFrame(gens),
        "verdicts": pl.DataFrame(verdicts),
        "trace_selection": pl.DataFrame(sel),
        "contamination": pl.DataFrame([
            {"task_id": f"{prefix}0001", "benchmark": "aime24", "benchmark_item": "3", "method": "ngram",
             "score": 0.9},
            {"task_id": f"{prefix}0002", "benchmark": "gpqa", "benchmark_item": "7", "method": "fuzzy", "score": 0.97},
            {"task_id": f"{prefix}0006", "benchmark": "gpqa", "benchmark_item": "8", "method": "ngram", "score": 0.5},
        ]),
        "task_duplicates": pl.DataFrame([
            {"task_id": f"{prefix}dup{j}", "duplicate_of": f"{prefix}{j:04d}", "reason": r, "score": 1.0}
            for j, r in enumerate(["dedup:exact", "dedup:exact", "dedup:near_duplicate"])
        ]),
    })


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tm.duckdb"
    with Store.open(path) as store:
        populate(store)
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> ThinkmillConfig:
    c = ThinkmillConfig()
    c.base_dir = tmp_path
    c.publish.card_dir = str(tmp_path / "cards")
    return c


def cfg_with(cfg: ThinkmillConfig, **balance: Any) -> ThinkmillConfig:
    return cfg.model_copy(update={"balance": cfg.balance.model_copy(update=balance)})


# ------------------------------------------------------------------------------------------ tiny training model
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
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=special,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    eos = "<|im_end|>" if chat_format == "chatml" else "<|eot_id|>"
    bos = None if chat_format == "chatml" else "<|begin_of_text|>"
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=eos, bos_token=bos, unk_token="<unk>",
                                   pad_token="<pad>")
    fast.chat_template = training_template(chat_format)  # type: ignore[arg-type]
    fast.save_pretrained(out)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=2048,
                      eos_token_id=fast.convert_tokens_to_ids(eos), pad_token_id=fast.pad_token_id,
                      bos_token_id=fast.bos_token_id)
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out


def tiny_corpus() -> list[str]:
    """Text like the fixture rows, so the tiny tokenizer packs it into few tokens."""
    from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
    from pipeline.trace import THINK_SYSTEM_PROMPT

    lines = [THINK_SYSTEM_PROMPT, STANDARD_SYSTEM_PROMPT, "system user assistant\n\n"]
    lines += [f"Problem t{i:04d}: 2+{i}? Let me add 2 and {i} carefully, sample 0. The answer is {2 + i}. "
              f"Wait, let me check." for i in range(40)]
    return lines * 3
