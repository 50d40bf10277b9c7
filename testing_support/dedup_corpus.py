"""A planted corpus for dedup tests and benches (rows with equal labels are duplicates) and pairwise
precision / recall of predicted clusters against the planted ones."""

from __future__ import annotations

import numpy as np
import polars as pl

SYLLABLES = (
    "ka",
    "to",
    "re",
    "mi",
    "sa",
    "lo",
    "ne",
    "di",
    "pu",
    "ve",
    "ta",
    "ri",
    "mo",
    "sen",
    "tor",
    "ing",
    "ed",
    "al",
    "ex",
    "con",
    "pro",
    "the",
    "and",
    "is",
    "of",
)


def _vocab(rng: np.random.Generator, size: int) -> np.ndarray:
    syll = np.array(SYLLABLES)
    lens = rng.integers(1, 4, size=size)
    words = {"".join(rng.choice(syll, size=k)) for k in lens}
    return np.array(sorted(words))


def planted_corpus(
    n_docs: int,
    *,
    words: int = 300,
    seed: int = 0,
    near_share: float = 0.2,
    exact_share: float = 0.05,
    hard_share: float = 0.1,
) -> pl.DataFrame:
    """id, text, label: rows with equal labels are duplicates (exact or near); all others are distinct."""
    rng = np.random.default_rng(seed)
    vocab = _vocab(rng, 30_000)
    zipf_p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    zipf_p /= zipf_p.sum()

    def fresh(k: int) -> list[str]:
        return list(vocab[rng.choice(len(vocab), size=k, p=zipf_p)])

    def edit(ws: list[str]) -> list[str]:
        out = list(ws)
        n_edits = max(1, round(len(ws) * rng.uniform(0.02, 0.05)))
        for _ in range(n_edits):
            op = rng.integers(3)
            pos = int(rng.integers(len(out)))
            if op == 0:
                out[pos] = fresh(1)[0]
            elif op == 1:
                out.insert(pos, fresh(1)[0])
            elif len(out) > 1:
                del out[pos]
        return out

    texts: list[str] = []
    labels: list[int] = []
    bases: list[list[str]] = []
    label = 0
    while len(texts) < n_docs:
        r = rng.random()
        if bases and r < near_share:
            b = int(rng.integers(len(bases)))
            texts.append(" ".join(edit(bases[b])))
            labels.append(b)
        elif bases and r < near_share + exact_share:
            b = int(rng.integers(len(bases)))
            t = " ".join(bases[b])
            texts.append(t.upper() if rng.random() < 0.5 else t.replace(" ", "  \n", 3))
            labels.append(b)
        elif bases and r < near_share + exact_share + hard_share:
            b = bases[int(rng.integers(len(bases)))]
            ws = b[: len(b) // 2] + fresh(words - len(b) // 2)
            bases.append(ws)
            texts.append(" ".join(ws))
            labels.append(label)
            label += 1
        else:
            ws = fresh(int(rng.integers(words - 30, words + 30)))
            bases.append(ws)
            texts.append(" ".join(ws))
            labels.append(label)
            label += 1
    return pl.DataFrame({"id": [f"t{i}" for i in range(n_docs)], "text": texts, "label": labels})


def pair_scores(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of `pred` clusters against `truth` clusters."""
    df = pl.DataFrame({"p": pred, "t": truth})

    def pairs(counts: pl.Series) -> int:
        c = counts.cast(pl.Int64).to_numpy()
        return int((c * (c - 1) // 2).sum())

    tp = pairs(df.group_by("p", "t").len()["len"])
    pp = pairs(df.group_by("p").len()["len"])
    tt = pairs(df.group_by("t").len()["len"])
    return (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)


# ---------------------------------------------------------------- systems (each in a child process)
