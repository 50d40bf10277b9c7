"""Read the candidates of a dataset version from the database: selected, verified traces of clean tasks.

Input tables: tasks, generations, verdicts, trace_selection (selected rows), contamination. A selected trace that
cannot be used (failed or missing verdict, contaminated task, empty text) is dropped with a machine-readable
reason, counted in the version's stats.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipeline.dataset.messages import user_prompt
from pipeline.store import Store
from pipeline.trace import THINK_IN_NO_THINK, count_tokens, parse_trace

_CANDIDATE_SQL = """
SELECT s.generation_key, s.task_id, g.mode, t.domain, t.source, t.license, t.prompt,
       CAST(g.messages AS VARCHAR) AS request_messages, g.raw_text, g.think, g.answer, g.model, g.error,
       v.passed, v.think_tokens, v.answer_tokens,
       EXISTS (SELECT 1 FROM contamination c WHERE c.task_id = s.task_id) AS contaminated
FROM trace_selection s
JOIN generations g ON g.key = s.generation_key
JOIN tasks t ON t.task_id = s.task_id
LEFT JOIN verdicts v ON v.generation_key = s.generation_key
WHERE s.selected
ORDER BY s.generation_key
"""

_PASS_RATE_SQL = """
SELECT task_id, mode, count(*) AS n, sum(CASE WHEN passed THEN 1 ELSE 0 END) AS passed
FROM verdicts GROUP BY task_id, mode
"""

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "generation_key": pl.String(),
    "task_id": pl.String(),
    "mode": pl.String(),
    "origin": pl.String(),  # think, no_think, or think_answer (a think trace reduced to its answer)
    "domain": pl.String(),
    "source": pl.String(),
    "license": pl.String(),
    "model": pl.String(),
    "prompt": pl.String(),
    "think": pl.String(),
    "answer": pl.String(),
    "think_tokens": pl.Int64(),
    "answer_tokens": pl.Int64(),
    "think_tags": pl.Boolean(),  # no-think answer that holds think tags (leakage)
}


@dataclass
class Candidates:
    rows: pl.DataFrame
    pass_rates: pl.DataFrame  # task_id, think_pass_rate, no_think_pass_rate
    dropped: Counter[str] = field(default_factory=Counter)


def hesitation_pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alts})\b", re.IGNORECASE)


def _pass_rates(store: Store) -> pl.DataFrame:
    df = store.query(_PASS_RATE_SQL)
    if df.height == 0:
        return pl.DataFrame(
            schema={"task_id": pl.String, "think_pass_rate": pl.Float64, "no_think_pass_rate": pl.Float64}
        )
    df = df.with_columns((pl.col("passed").cast(pl.Float64) / pl.col("n")).alias("rate"))
    out = df.pivot(on="mode", index="task_id", values="rate")
    for mode in ("think", "no_think"):
        if mode not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(mode))
    return out.select(
        "task_id", pl.col("think").alias("think_pass_rate"), pl.col("no_think").alias("no_think_pass_rate")
    )


def load_candidates(store: Store, *, from_think_answers: bool = False) -> Candidates:
    """Selected, verified traces as candidate rows (one per generation and origin)."""
    raw = store.query(_CANDIDATE_SQL)
    dropped: Counter[str] = Counter()
    out: list[dict] = []
    for r in raw.iter_rows(named=True):
        if r["error"] is not None or (r["raw_text"] is None and r["answer"] is None):
            dropped["balance:no_output"] += 1
            continue
        if r["passed"] is None:
            dropped["balance:no_verdict"] += 1
            continue
        if not r["passed"]:
            dropped["balance:not_passed"] += 1
            continue
        if r["contaminated"]:
            dropped["balance:contaminated"] += 1
            continue
        mode = r["mode"]
        if mode not in ("think", "no_think"):
            dropped["balance:unknown_mode"] += 1
            continue
        try:
            request = json.loads(r["request_messages"]) if r["request_messages"] else None
        except json.JSONDecodeError:
            request = None
        prompt = user_prompt(request, r["prompt"])
        think, answer = r["think"], r["answer"]
        if r["raw_text"] is not None and (answer is None or (mode == "think" and think is None)):
            parsed = parse_trace(r["raw_text"], mode)
            think, answer = parsed.think, parsed.answer
        answer = (answer or "").strip()
        if not answer:
            dropped["balance:empty_answer"] += 1
            continue
        base = {
            "generation_key": r["generation_key"],
            "task_id": r["task_id"],
            "domain": r["domain"],
            "source": r["source"],
            "license": r["license"],
            "model": r["model"],
            "prompt": prompt,
            "answer": answer,
        }
        answer_tokens = count_tokens(answer)
        if mode == "think":
            if not think or not think.strip():
                dropped["balance:empty_think"] += 1
                continue
            out.append(
                {
                    **base,
                    "mode": "think",
                    "origin": "think",
                    "think": think.strip(),
                    "think_tokens": r["think_tokens"] if r["think_tokens"] is not None else count_tokens(think),
                    "answer_tokens": answer_tokens,
                    "think_tags": False,
                }
            )
            if from_think_answers:
                out.append(
                    {
                        **base,
                        "mode": "no_think",
                        "origin": "think_answer",
                        "think": None,
                        "think_tokens": 0,
                        "answer_tokens": answer_tokens,
                        "think_tags": _has_think_tags(answer),
                    }
                )
        else:
            leaked = _has_think_tags(r["raw_text"] or answer) or _has_think_tags(answer)
            out.append(
                {
                    **base,
                    "mode": "no_think",
                    "origin": "no_think",
                    "think": None,
                    "think_tokens": 0,
                    "answer_tokens": answer_tokens,
                    "think_tags": leaked,
                }
            )
    rows = pl.DataFrame(out, schema=CANDIDATE_SCHEMA) if out else pl.DataFrame(schema=CANDIDATE_SCHEMA)
    return Candidates(rows=rows, pass_rates=_pass_rates(store), dropped=dropped)


def _has_think_tags(text: str) -> bool:
    return THINK_IN_NO_THINK in parse_trace(text, "no_think").flags
