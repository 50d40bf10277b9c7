"""A planted mix of easy and hard tasks and the deterministic answers a stub server gives them.

Easy tasks are answered right on every sample. A hard task is answered right only on samples whose request
seed is divisible by `HARD_EVERY` (about one in four), so some hard tasks pass on an early sample, some late and
some never within 8. The answer depends only on the request (its prompt and seed), so adaptive and fixed-k runs
see exactly the same outcome for the same sample index. Used by tests/generate and bench/adaptive_bench.py with
`OpenAIStub.responder = planted_answer`.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

HARD_EVERY = 4
_PROMPT = re.compile(r"Planted task (\S+) \((easy|hard)\): what is (\d+) \+ (\d+)\?")


def planted_tasks(n: int, easy_share: float = 0.5, prefix: str = "p") -> pl.DataFrame:
    """`n` tasks (rows for `store.insert("tasks", ...)`): the first `easy_share` of them easy, the rest hard."""
    n_easy = round(n * easy_share)
    rows = []
    for i in range(n):
        level = "easy" if i < n_easy else "hard"
        tid = f"{prefix}{i:03d}"
        rows.append(
            {
                "task_id": tid,
                "source": "planted",
                "domain": "math",
                "prompt": f"Planted task {tid} ({level}): what is {i} + {i + 3}?",
                "answer": str(2 * i + 3),
                "verifier": "exact",
                "verifier_args": "{}",
                "license": "MIT",
                "metadata": "{}",
                "ingest_batch": "planted",
            }
        )
    return pl.DataFrame(rows)


def planted_answer(body: dict[str, Any]) -> str | None:
    """The stub's answer to a request for a planted task (None for any other request: the stub's default)."""
    user = next((m.get("content", "") for m in reversed(body.get("messages") or []) if m.get("role") == "user"), "")
    m = _PROMPT.search(user or "")
    if m is None:
        return None
    level, a, b = m.group(2), int(m.group(3)), int(m.group(4))
    right = level == "easy" or int(body.get("seed") or 0) % HARD_EVERY == 0
    value = a + b if right else a + b + 1
    thinking = bool((body.get("chat_template_kwargs") or {}).get("thinking")) or any(
        msg.get("role") == "system" for msg in body.get("messages") or []
    )
    answer = f"The sum of {a} and {b} is \\boxed{{{value}}}."
    return f"<think>\nAdd {a} and {b}.\n</think>\n{answer}" if thinking else answer
