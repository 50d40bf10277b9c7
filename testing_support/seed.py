"""Seed a database with a small, realistic pipeline state (tasks, generations, verdicts, selections)."""

from __future__ import annotations

import random
from typing import Any

import polars as pl

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
        tasks.append(
            {
                "task_id": tid,
                "source": f"src_{domain}",
                "domain": domain,
                "prompt": f"Problem {tid}: 2+{i}?",
                "answer": str(2 + i),
                "verifier": "exact",
                "verifier_args": "{}",
                "license": LICENSES[domain],
                "metadata": "{}",
            }
        )
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
                gens.append(
                    {
                        "key": key,
                        "task_id": tid,
                        "mode": mode,
                        "sample_index": s,
                        "backend": "batch",
                        "model": "NousResearch/Hermes-4-14B",
                        "template_version": "t1",
                        "messages": [{"role": "user", "content": f"Problem {tid}: 2+{i}?"}],
                        "sampling_params": {"temperature": 0.6},
                        "raw_text": raw,
                        "think": think,
                        "answer": answer,
                        "finish_reason": "stop",
                    }
                )
                verdicts.append(
                    {
                        "generation_key": key,
                        "task_id": tid,
                        "mode": mode,
                        "verifier": "exact",
                        "passed": passed,
                        "reason": None if passed else "exact:mismatch",
                        "think_tokens": len((think or "").split()),
                        "answer_tokens": len(answer.split()),
                    }
                )
                if passed:
                    sel.append({"generation_key": key, "task_id": tid, "mode": mode, "selected": True})
    store.insert_many(
        {
            "tasks": pl.DataFrame(tasks),
            "generations": pl.DataFrame(gens),
            "verdicts": pl.DataFrame(verdicts),
            "trace_selection": pl.DataFrame(sel),
            "contamination": pl.DataFrame(
                [
                    {
                        "task_id": f"{prefix}0001",
                        "benchmark": "aime24",
                        "benchmark_item": "3",
                        "method": "ngram",
                        "score": 0.9,
                    },
                    {
                        "task_id": f"{prefix}0002",
                        "benchmark": "gpqa",
                        "benchmark_item": "7",
                        "method": "fuzzy",
                        "score": 0.97,
                    },
                    {
                        "task_id": f"{prefix}0006",
                        "benchmark": "gpqa",
                        "benchmark_item": "8",
                        "method": "ngram",
                        "score": 0.5,
                    },
                ]
            ),
            "task_duplicates": pl.DataFrame(
                [
                    {"task_id": f"{prefix}dup{j}", "duplicate_of": f"{prefix}{j:04d}", "reason": r, "score": 1.0}
                    for j, r in enumerate(["dedup:exact", "dedup:exact", "dedup:near_duplicate"])
                ]
            ),
        }
    )


def cfg_with(cfg: ThinkmillConfig, **balance: Any) -> ThinkmillConfig:
    return cfg.model_copy(update={"balance": cfg.balance.model_copy(update=balance)})
