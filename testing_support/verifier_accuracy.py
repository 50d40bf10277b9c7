"""Verifier accuracy on reasoning-gym: gold answers must pass, wrong answers and non-answers must fail.
`measure` is shared by `bench/verifiers_bench.py` (the table in docs/verifiers.md) and the accuracy test."""

from __future__ import annotations

import json
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import rgym
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.reasoning_gym_source import task_records
from pipeline.verify.config import VerifyConfig
from pipeline.verify.files import verify_files

COMPOSITE_CONFIG = {"datasets": [{"name": "basic_arithmetic", "weight": 1}, {"name": "leg_counting", "weight": 1}]}
NON_ANSWER = "I cannot determine this."


@dataclass
class Row:
    dataset: str
    n: int
    gold_n: int
    gold_pass: int
    wrong_n: int
    wrong_fail: int
    gold_kept: int = 0  # gold responses whose whole verdict passed (verifier and trace lints)

    @property
    def gold_rate(self) -> float | None:
        return self.gold_pass / self.gold_n if self.gold_n else None

    @property
    def wrong_rate(self) -> float | None:
        return self.wrong_fail / self.wrong_n if self.wrong_n else None


def solve_rush_hour(board: str) -> str | None:
    """Shortest single-step move list freeing the red car (A), by BFS over board strings; None if unsolvable."""
    from reasoning_gym.games.rush_hour import BOARD_SIZE, TARGET

    def pieces(b: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, c in enumerate(b):
            if c not in "ox.":
                out.setdefault(c, []).append(i)
        return out

    # The prompt (and the scorer) name pieces by their rank among the board's labels: A, C, D -> A, B, C.
    labels = sorted({c for c in board if c not in "ox."})
    start = board.translate(str.maketrans({c: chr(ord("A") + i) for i, c in enumerate(labels)}))
    prev: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        b = queue.popleft()
        ps = pieces(b)
        if ps["A"][0] == TARGET:
            moves = []
            while prev[b] is not None:
                b, mv = prev[b]  # type: ignore[misc]
                moves.append(mv)
            return " ".join(reversed(moves))
        for label, cells in ps.items():
            stride = cells[1] - cells[0]
            for step in (1, -1):
                edge = cells[-1] + stride if step == 1 else cells[0] - stride
                if not 0 <= edge < len(b) or b[edge] != "o":
                    continue
                if stride == 1 and edge // BOARD_SIZE != cells[0] // BOARD_SIZE:
                    continue
                nb = list(b)
                nb[edge] = label
                nb[cells[0] if step == 1 else cells[-1]] = "o"
                s = "".join(nb)
                if s not in prev:
                    prev[s] = (b, f"{label}{'+' if step == 1 else '-'}1")
                    queue.append(s)
    return None


def gold_answer(row: dict[str, Any]) -> str | None:
    if row["answer"] is not None:
        return row["answer"]
    if row["verifier_args"]["dataset"] == "rush_hour":
        return solve_rush_hour(row["verifier_args"]["entry"]["metadata"]["board_config"])
    return None


def wrong_answer(dataset: str, gold: str | None, other_golds: list[str | None]) -> str:
    """Another item's gold whose text differs, else a non-answer. propositional_logic: the negated gold (another
    item's conclusion is often valid for these premises too: many conclusions are right)."""
    if dataset == "propositional_logic" and gold:
        return f"¬{gold}" if gold.startswith("(") else f"¬({gold})"
    norm = (gold or "").strip().casefold()
    others = [g for g in other_golds if g is not None and g.strip().casefold() != norm]
    return others[0] if others else NON_ANSWER


def _tasks(dataset: str, size: int, seed: int) -> list[dict[str, Any]]:
    config = {"composite": COMPOSITE_CONFIG} if dataset == "composite" else {}
    src = SourceConfig.model_validate({"name": "bench", "reasoning_gym": {
        "datasets": [dataset], "size": size, "seed": seed, "config": config}})
    return list(task_records(src))


def _response(task_id: str, rid: str, answer: str) -> dict[str, str]:
    text = f"<think>\nWorking it out.\n</think>\n<answer>{answer}</answer>"
    return {"task_id": task_id, "response_id": rid, "text": text}


def measure(size: int = 20, seed: int = 0, cfg: VerifyConfig | None = None,
            datasets: list[str] | None = None) -> tuple[list[Row], float]:
    """One Row per dataset and the wall seconds of the verify run (generation excluded)."""
    names = datasets or rgym.dataset_names()
    tasks: list[dict[str, Any]] = []
    responses: list[dict[str, str]] = []
    kinds: dict[str, tuple[str, str]] = {}  # response id -> (dataset, gold|wrong)
    for name in names:
        rows = _tasks(name, size, seed)
        golds = [gold_answer(r) for r in rows]
        for i, (row, gold) in enumerate(zip(rows, golds, strict=True)):
            tasks.append(row)
            if gold is not None:
                rid = f"{row['task_id']}#gold"
                responses.append(_response(row["task_id"], rid, gold))
                kinds[rid] = (name, "gold")
            rid = f"{row['task_id']}#wrong"
            responses.append(_response(row["task_id"], rid, wrong_answer(name, gold, golds[i + 1:] + golds[:i])))
            kinds[rid] = (name, "wrong")
    out = {n: Row(n, 0, 0, 0, 0, 0) for n in names}
    for t in tasks:
        out[t["task_id"].split("/")[1]].n += 1
    with tempfile.TemporaryDirectory(prefix="thinkmill-bench-verifiers-") as tmp:
        tp, rp, vp = Path(tmp, "tasks.jsonl"), Path(tmp, "responses.jsonl"), Path(tmp, "verdicts.jsonl")
        tp.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
        rp.write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
        t0 = time.perf_counter()
        verdicts = verify_files(tp, rp, vp, "auto", cfg or VerifyConfig())
        wall = time.perf_counter() - t0
    for v in verdicts:
        name, kind = kinds[v["response_id"]]
        r = out[name]
        if kind == "gold":
            r.gold_n += 1
            r.gold_pass += bool(v["verifier_passed"])
            r.gold_kept += bool(v["passed"])
        else:
            r.wrong_n += 1
            r.wrong_fail += not v["verifier_passed"]
    return list(out.values()), wall
