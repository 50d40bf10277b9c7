"""Dedup benchmark: thinkmill vs rensa `RMinHashLSH` vs datasketch `MinHashLSH` on a planted corpus.

    python -m bench dedup [--docs 200000] [--datasketch-docs 20000]   # quality + speed table
    python -m bench dedup --scale [--docs 1000000]                       # 1M x ~2 KB: time and peak memory
    python -m bench dedup --exact [--docs 5000]                          # clusters vs all-pairs rapidfuzz

Each system runs in its own child process reading the same JSONL file (JSON parsing included), so wall time
includes process start and peak RSS is per system (from `os.wait4`). Quality is pairwise precision / recall of
"same cluster" against the planted truth.

The planted corpus: base traces of ~300 words drawn from a Zipf-distributed pseudo-English vocabulary; some get
near-duplicate copies with 2-5% word edits (substitutions, insertions, deletions), some exact copies with case and
whitespace changes, and hard negatives that share the first half of a base trace with fresh second halves.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from testing_support.dedup_corpus import SYLLABLES, pair_scores, planted_corpus

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- corpus
def _shingles(text: str, k: int = 5) -> list[str]:
    w = text.lower().split()
    return [" ".join(w[i : i + k]) for i in range(max(1, len(w) - k + 1))]


def _union_find(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)])


def _run_rensa(inp: Path, out: Path) -> None:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)
    sigs = []
    with inp.open() as f:
        for i, line in enumerate(f):
            m = RMinHash(num_perm=128, seed=42)
            m.update(_shingles(json.loads(line)["text"]))
            lsh.insert(i, m)
            sigs.append(m)
    pairs = [(i, j) for i, m in enumerate(sigs) for j in lsh.query(m) if j != i]
    pl.DataFrame({"cluster": _union_find(len(sigs), pairs)}).write_parquet(out)


def _run_datasketch(inp: Path, out: Path) -> None:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sigs = []
    with inp.open() as f:
        for i, line in enumerate(f):
            m = MinHash(num_perm=128)
            m.update_batch([s.encode() for s in _shingles(json.loads(line)["text"])])
            lsh.insert(str(i), m)
            sigs.append(m)
    pairs = [(i, int(j)) for i, m in enumerate(sigs) for j in lsh.query(m) if int(j) != i]
    pl.DataFrame({"cluster": _union_find(len(sigs), pairs)}).write_parquet(out)


def _child(cmd: list[str]) -> tuple[float, float]:
    """Run a command; wall seconds and peak RSS in GiB of that child alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_maxrss / 2**20


def _thinkmill(inp: Path, out: Path, extra: list[str] | None = None) -> tuple[float, float, np.ndarray]:
    wall, rss = _child(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "dedup",
            "--input",
            str(inp),
            "--out",
            str(out),
            "--no-progress",
            *(extra or []),
        ]
    )
    res = pl.read_parquet(out) if out.suffix == ".parquet" else pl.read_ndjson(out)
    return wall, rss, res["cluster_id"].to_numpy()


def _library(name: str, inp: Path, out: Path) -> tuple[float, float, np.ndarray]:
    wall, rss = _child([sys.executable, "-m", "bench.dedup_bench", "--_child", name, str(inp), str(out)])
    return wall, rss, pl.read_parquet(out)["cluster"].to_numpy()


def _table(rows: list[dict[str, object]]) -> None:
    cols = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in cols]
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(r[c]).ljust(w) for c, w in zip(cols, widths, strict=True)))


def _make_corpus(n_docs: int, seed: int, out: Path, words: int = 300) -> None:
    corpus = planted_corpus(n_docs, seed=seed, words=words)
    if out.suffix == ".parquet":
        corpus.select("id", "text").write_parquet(out)
    else:
        corpus.select("id", "text").write_ndjson(out)
    corpus.select("label").write_parquet(out.with_suffix(".labels.parquet"))


def _corpus_in_child(n_docs: int, seed: int, out: Path, words: int = 300) -> np.ndarray:
    """Generate the corpus in a child, so this process stays small and children's peak RSS is their own
    (Linux children inherit the parent's RSS high-water mark across fork)."""
    _child([sys.executable, "-m", "bench.dedup_bench", "--_make", str(n_docs), str(seed), str(out), str(words)])
    return pl.read_parquet(out.with_suffix(".labels.parquet"))["label"].to_numpy()


def compare(n_docs: int, ds_docs: int, tmp: Path) -> None:
    inp = tmp / "corpus.jsonl"
    truth = _corpus_in_child(n_docs, 1, inp)
    mb = inp.stat().st_size / 2**20
    print(f"corpus: {n_docs:,} traces, {mb:.0f} MiB JSONL, {len(np.unique(truth)):,} true clusters")
    rows = []
    for name, runner in (
        ("thinkmill", lambda: _thinkmill(inp, tmp / "tm.parquet")),
        ("rensa RMinHashLSH", lambda: _library("rensa", inp, tmp / "rensa.parquet")),
    ):
        wall, rss, pred = runner()
        p, r = pair_scores(pred, truth)
        rows.append(
            {
                "system": name,
                "docs": f"{n_docs:,}",
                "precision": f"{p:.4f}",
                "recall": f"{r:.4f}",
                "docs/s": f"{n_docs / wall:,.0f}",
                "wall s": f"{wall:.1f}",
                "peak GiB": f"{rss:.2f}",
            }
        )
    if ds_docs:
        small = tmp / "small.jsonl"
        with inp.open() as src, small.open("w") as dst:
            for _, line in zip(range(ds_docs), src, strict=False):
                dst.write(line)
        wall, rss, pred = _library("datasketch", small, tmp / "ds.parquet")
        p, r = pair_scores(pred, truth[:ds_docs])
        rows.append(
            {
                "system": "datasketch MinHashLSH",
                "docs": f"{ds_docs:,}",
                "precision": f"{p:.4f}",
                "recall": f"{r:.4f}",
                "docs/s": f"{ds_docs / wall:,.0f}",
                "wall s": f"{wall:.1f}",
                "peak GiB": f"{rss:.2f}",
            }
        )
    _table(rows)
    ratio = float(rows[0]["docs/s"].replace(",", "")) / float(rows[1]["docs/s"].replace(",", ""))  # type: ignore[union-attr]
    print(f"thinkmill / rensa throughput: {ratio:.2f}x")


def _make_scale(n_docs: int, out: Path) -> None:
    """1M traces: a 200k planted corpus repeated; copy c > 0 maps every syllable through its own permutation
    (one simultaneous `replace_many`), so copies are new, unrelated texts with the same duplicate structure."""
    base = planted_corpus(min(n_docs, 200_000), words=330, seed=2)
    reps = -(-n_docs // base.height)
    syll = list(SYLLABLES)
    parts = [base.select("id", "text")]
    for c in range(1, reps):
        perm = list(np.random.default_rng(c).permutation(syll))
        parts.append(
            base.select(
                (pl.lit(f"c{c}-") + pl.col("id")).alias("id"),
                pl.col("text").str.replace_many(syll, [p.upper() for p in perm]).alias("text"),
            )
        )
    pl.concat(parts).head(n_docs).write_parquet(out)


def scale(n_docs: int, tmp: Path) -> None:
    inp = tmp / "scale.parquet"
    _child([sys.executable, "-m", "bench.dedup_bench", "--_scale_make", str(n_docs), str(inp)])
    kb = pl.scan_parquet(inp).select(pl.col("text").str.len_bytes().mean()).collect().item() / 1024
    print(f"scale corpus: {n_docs:,} traces, mean {kb:.2f} KiB, {inp.stat().st_size / 2**20:.0f} MiB Parquet")
    wall, rss, _ = _thinkmill(inp, tmp / "scale_out.parquet")
    _table(
        [
            {
                "system": "thinkmill",
                "docs": f"{n_docs:,}",
                "wall s": f"{wall:.1f}",
                "docs/s": f"{n_docs / wall:,.0f}",
                "peak GiB": f"{rss:.2f}",
                "target": "< 60 s, < 4 GiB",
            }
        ]
    )


def exact(n_docs: int, tmp: Path) -> None:
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from pipeline.dedup.config import DedupConfig
    from pipeline.dedup.engine import dedup_texts
    from pipeline.dedup.normalize import normalize_series

    corpus = planted_corpus(n_docs, seed=3)
    cfg = DedupConfig()
    t0 = time.perf_counter()
    ours = dedup_texts(corpus["id"], corpus["text"], cfg)["cluster_id"].to_numpy()
    t_ours = time.perf_counter() - t0
    norm = normalize_series(corpus["text"], cjk_spacing=True).to_list()
    t0 = time.perf_counter()
    ia, ib = [], []
    step = 500
    for s in range(0, n_docs, step):
        block = cdist(
            norm[s : s + step], norm, scorer=fuzz.ratio, score_cutoff=cfg.threshold * 100, workers=-1, dtype=np.uint8
        )
        a, b = np.nonzero(block >= cfg.threshold * 100)
        ia.append(a + s)
        ib.append(b)
    a, b = np.concatenate(ia), np.concatenate(ib)
    if cfg.match_numbers:
        from pipeline.dedup.engine import _NUMBER_RE

        nums = pl.Series(norm).str.extract_all(_NUMBER_RE).list.join(" ").to_numpy()
        keep = nums[a] == nums[b]
        a, b = a[keep], b[keep]
    _, labels = connected_components(coo_matrix((np.ones(a.size), (a, b)), shape=(n_docs, n_docs)), directed=False)
    t_all = time.perf_counter() - t0
    first = pl.DataFrame({"l": labels}).with_row_index("i").select(pl.col("i").min().over("l"))["i"].to_numpy()
    theirs = corpus["id"].to_numpy()[first]
    diff = int((ours != theirs).sum())
    p, r = pair_scores(ours, theirs)
    _table(
        [
            {
                "docs": f"{n_docs:,}",
                "threshold": cfg.threshold,
                "rows in a different cluster": diff,
                "pair precision": f"{p:.4f}",
                "pair recall": f"{r:.4f}",
                "thinkmill s": f"{t_ours:.1f}",
                "all-pairs s": f"{t_all:.1f}",
            }
        ]
    )
    if diff:
        print("rows whose cluster differs:", corpus["id"].to_numpy()[ours != theirs][:20].tolist())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m bench dedup", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=None)
    ap.add_argument("--datasketch-docs", type=int, default=20_000)
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--exact", action="store_true")
    ap.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--_make", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--_scale_make", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._make:
        n, seed, out, words = args._make
        _make_corpus(int(n), int(seed), Path(out), int(words))
        return
    if args._scale_make:
        _make_scale(int(args._scale_make[0]), Path(args._scale_make[1]))
        return
    if args._child:
        name, inp, out = args._child
        {"rensa": _run_rensa, "datasketch": _run_datasketch}[name](Path(inp), Path(out))
        return
    with tempfile.TemporaryDirectory(prefix="dedup_bench_") as d:
        tmp = Path(d)
        if args.scale:
            scale(args.docs or 1_000_000, tmp)
        elif args.exact:
            exact(args.docs or 5_000, tmp)
        else:
            compare(args.docs or 200_000, args.datasketch_docs, tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
