"""Generated raw task rows for ingest benches and tests: mixed layouts (problem/answer, question/choices MCQ,
prompt/tests code), ~4% bad rows, ~5% exact duplicates (case and spaces) and ~5% near duplicates (one word
changed). Shared by `bench/` (ingest and scale benches) and `tests/ingest`."""

from __future__ import annotations

import json
import random


def make_rows(n: int, seed: int, tag: str) -> list[str]:
    rnd = random.Random(seed)
    vocab = [
        f"{a}{b}"
        for a in ("ka", "lo", "mi", "ne", "po", "ru", "si", "ta", "vu", "ze")
        for b in (
            "ber",
            "cant",
            "dol",
            "fen",
            "gir",
            "hol",
            "jum",
            "kip",
            "lar",
            "mos",
            "nut",
            "pex",
            "quo",
            "ris",
            "sal",
            "tor",
            "ulm",
            "vex",
            "wid",
            "yam",
        )
    ] * 3
    vocab += [f"w{i}" for i in range(4_000)]
    rows: list[str] = []
    prompts: list[str] = []
    answers: dict[str, str] = {}  # a plain row's answer by prompt
    for i in range(n):
        r = rnd.random()
        if r < 0.04:
            rows.append(
                rnd.choice(["{broken json", json.dumps({"problem": "", "answer": "1"}), json.dumps({"answer": "1"})])
            )
            continue
        if r < 0.09 and prompts:
            p = rnd.choice(prompts)
            # an exact copy keeps a plain row's answer: another one would make the two rows `conflicting_answers`
            rows.append(json.dumps({"problem": "  " + p.upper(), "answer": answers.get(p, "1")}))
            continue
        if r < 0.14 and prompts:
            w = rnd.choice(prompts).split(" ")
            w[rnd.randrange(len(w))] = rnd.choice(vocab)
            rows.append(json.dumps({"problem": " ".join(w), "answer": "1"}))
            continue
        words = [rnd.choice(vocab) for _ in range(rnd.randint(20, 60))]
        p = f"[{tag}{i}] " + " ".join(words) + f" {rnd.randint(0, 999)}?"
        prompts.append(p)
        kind = rnd.random()
        if kind < 0.7:
            answers[p] = str(rnd.randint(0, 99))
            rows.append(json.dumps({"problem": p, "answer": answers[p], "level": rnd.randint(1, 5)}))
        elif kind < 0.9:
            rows.append(
                json.dumps({"question": p, "choices": ["alpha", "beta", "gamma", "delta"], "answer": rnd.randint(0, 3)})
            )
        else:
            fn = words[0]  # the tests call a function the prompt names (else ingest adds a test to the prompt)
            rows.append(json.dumps({"prompt": p, "tests": [f"assert {fn}(1) == 2", f"assert {fn}(2) == 3"]}))
    return rows
