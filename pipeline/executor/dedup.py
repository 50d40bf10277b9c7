"""The dedup engine on Ray: the clusters of `pipeline.dedup.engine.cluster_texts`, with the work on workers.

1. hash (workers, one task per text shard): normalise, MinHash, LSH band keys (the engine's `_hash_batch`); each
   task writes its (family, band, key, row) rows into `P` partition files by key (the shuffle) and returns the
   exact-duplicate hashes of its rows.
2. exact duplicates (driver): the first row of each normalised-text hash, as the engine computes it.
3. buckets (workers, one task per partition): the rows of each LSH bucket in row order give the engine's candidate
   pairs (`pipeline.dedup.lsh._band_pairs`: consecutive members and each member with the first), so the candidate
   set equals the local one.
4. confirm (workers, one task per shard of pairs): the pairs the engine's pre-filter (`could_match`) keeps, by
   rapidfuzz on normalised texts with the engine's `_Checker` (threshold, numbers that must agree); a task reads
   only the text shards its pairs touch.
5. clusters (driver): union-find over exact and confirmed edges; the kept row of a cluster is its first member.

Memory per worker is bounded by a shard: `executor.shard_rows` texts, a partition holds ~shard_rows x bands rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import _CODE, Clusters, _Checker, _first_of_equal, _hash_batch, could_match, kept_rows
from pipeline.dedup.lsh import _band_pairs, unique_sorted
from pipeline.executor import record
from pipeline.executor.config import ExecutorConfig
from pipeline.executor.runtime import connect, new_run_id
from pipeline.executor.shards import ShardRun
from pipeline.executor.shared import SharedDir

WORD, CHAR = 0, 1
_EMPTY_PAIRS = pa.table({"a": pa.array([], pa.int64()), "b": pa.array([], pa.int64())})


@dataclass(frozen=True)
class HashShard:
    """Text shard (row, text) -> exact hashes (row, h1, h2); band keys go to the partition files."""

    cfg_json: str
    parts_dir: SharedDir
    n_parts: int

    def __call__(self, tbl: pa.Table) -> pa.Table:
        cfg = DedupConfig.model_validate_json(self.cfg_json)
        df = pl.from_arrow(tbl)
        rows = df["row"].to_numpy()
        b = _hash_batch(df["text"], cfg)
        frames = [_band_rows(WORD, b.word_keys, rows)]
        if b.char_rows.size:
            frames.append(_band_rows(CHAR, b.char_keys, rows[b.char_rows]))
        keyed = pl.concat(frames)
        part = (keyed["key"] % self.n_parts).cast(pl.Int64).to_numpy()
        keyed = keyed.with_columns(pl.Series("part", part))
        first = int(rows[0])
        for (p,), chunk in keyed.partition_by("part", as_dict=True).items():
            self.parts_dir.write(f"p{int(p):05d}/{first:012d}.parquet", chunk.drop("part").to_arrow())
        cols = {"row": rows, "h1": b.h1, "h2": b.h2, "len": b.lens}
        if b.nums is not None:
            cols["nums"] = b.nums
        return pa.table(cols)


def _band_rows(family: int, keys: np.ndarray, rows: np.ndarray) -> pl.DataFrame:
    """One row per (document, band) from band-major keys, a (bands, m) array."""
    bands, m = keys.shape
    return pl.DataFrame(
        {
            "family": np.full(m * bands, family, dtype=np.int8),
            "band": np.repeat(np.arange(bands, dtype=np.int16), m),
            "key": keys.reshape(-1),
            "row": np.tile(rows.astype(np.int64), bands),
        }
    )


@dataclass(frozen=True)
class BucketShard:
    """Partition ids -> the candidate pairs of the LSH buckets in those partitions (representatives only)."""

    parts_dir: SharedDir
    reps_name: str
    shared: SharedDir

    def __call__(self, tbl: pa.Table) -> pa.Table:
        is_rep = self.shared.read(self.reps_name).column("is_rep").to_numpy(zero_copy_only=False)
        found: list[np.ndarray] = []
        for p in tbl.column("part").to_pylist():
            names = self.parts_dir.list(f"p{p:05d}")
            if not names:
                continue
            df = pl.concat([pl.from_arrow(self.parts_dir.read(n)) for n in names])
            df = df.filter(pl.Series(is_rep[df["row"].to_numpy()])).sort("family", "band", "row")
            for _, g in df.group_by("family", "band", maintain_order=True):
                pos = _band_pairs(g["key"].to_numpy())
                if pos.size:
                    found.append(g["row"].to_numpy()[pos])
        if not found:
            return _EMPTY_PAIRS
        pairs = np.concatenate(found)
        code = unique_sorted(pairs.min(axis=1) * _CODE + pairs.max(axis=1))
        return pa.table({"a": code // _CODE, "b": code % _CODE})


@dataclass(frozen=True)
class PairShard:
    """Pairs (a, b[, ga, gb][, wa, wb]: groups, same_words) -> the engine's similarity of each pair (confirm: with the
    threshold as cutoff)."""

    cfg_json: str
    texts_dir: SharedDir
    text_shards: tuple[str, ...]
    shard_rows: int
    confirm: bool

    def __call__(self, tbl: pa.Table) -> pa.Table:
        cfg = DedupConfig.model_validate_json(self.cfg_json)
        a, b = tbl.column("a").to_numpy(), tbl.column("b").to_numpy()
        rows = unique_sorted(np.concatenate([a, b]))
        texts = pl.concat(
            [
                pl.from_arrow(self.texts_dir.read(f"in/{self.text_shards[s]}.parquet")).filter(
                    pl.col("row").is_in(pl.Series(rows))
                )
                for s in np.unique(rows // self.shard_rows)
            ]
        ).sort("row")
        ia, ib = np.searchsorted(rows, a), np.searchsorted(rows, b)
        groups = None
        if "ga" in tbl.column_names:
            groups = np.zeros(rows.shape[0], dtype=np.uint64)
            groups[ia], groups[ib] = tbl.column("ga").to_numpy(), tbl.column("gb").to_numpy()
        same_words = None
        if "wa" in tbl.column_names:
            same_words = np.zeros(rows.shape[0], dtype=bool)
            same_words[ia], same_words[ib] = tbl.column("wa").to_numpy(), tbl.column("wb").to_numpy()
        checker = _Checker(texts["text"].gather, None, cfg, 1, False, groups, same_words)
        local = np.stack([ia, ib], axis=1)
        if self.confirm:
            ok, scores = checker.check(local)
        else:
            scores, _ = checker.ratios(ia, ib)
            ok = np.ones(a.shape[0], dtype=bool)
        return pa.table({"a": a, "b": b, "ok": ok, "score": scores})


def _run(shards: ShardRun, work: object, counts: list[int], seconds: dict[str, float]) -> pl.DataFrame:
    """Run a phase; its results concatenated in shard order (`counts` gets its shard count, `seconds` its time)."""
    t0 = time.perf_counter()
    done = {d.shard_id: d for d in shards.map(work)}  # type: ignore[arg-type]
    counts.append(len(done))
    seconds[shards.run_id] = seconds.get(shards.run_id, 0.0) + time.perf_counter() - t0
    parts = [pl.from_arrow(shards.result(sid)) for sid in shards.shard_ids if sid in done]
    return pl.concat(parts) if parts else pl.DataFrame()


def _pair_shards(
    name: str,
    base: SharedDir,
    ex: ExecutorConfig,
    pairs: np.ndarray,
    groups: np.ndarray | None,
    same_words: np.ndarray | None = None,
) -> ShardRun:
    run = ShardRun("dedup", name, base, ex)
    step = ex.shard_rows
    for s in range(0, pairs.shape[0], step):
        chunk = pairs[s : s + step]
        cols = {"a": chunk[:, 0], "b": chunk[:, 1]}
        if groups is not None:
            cols |= {"ga": groups[chunk[:, 0]], "gb": groups[chunk[:, 1]]}
        if same_words is not None:
            cols |= {"wa": same_words[chunk[:, 0]], "wb": same_words[chunk[:, 1]]}
        run.add([f"{x}:{y}" for x, y in chunk[:2]], pa.table(cols))
    return run


def cluster_texts_on_ray(
    texts: pl.Series,
    cfg: DedupConfig,
    ex: ExecutorConfig,
    *,
    groups: np.ndarray | None = None,
    group_exact: bool = False,
    same_words: np.ndarray | None = None,
) -> Clusters:
    """`cluster_texts` on the Ray cluster of `ex` (see the module docstring); the same `Clusters`."""
    address = connect(ex) if ex.kind == "ray" else "local"
    n = texts.len()
    base = SharedDir(ex.shared_dir).child(new_run_id("dedup"))
    cfg_json = cfg.model_dump_json()
    counts: list[int] = []
    seconds: dict[str, float] = {}
    try:
        texts_run = ShardRun("dedup", "texts", base, ex)
        for s in range(0, n, ex.shard_rows):
            chunk = texts.slice(s, ex.shard_rows)
            texts_run.add(
                [str(s)], pa.table({"row": np.arange(s, s + chunk.len(), dtype=np.int64), "text": chunk.to_arrow()})
            )
        n_parts = max(1, len(texts_run.shard_ids))
        parts_dir = base.child("parts")
        hashes = _run(texts_run, HashShard(cfg_json, parts_dir, n_parts), counts, seconds)

        keys = [hashes["h1"].to_numpy(), hashes["h2"].to_numpy()]
        exact_rep = _first_of_equal(keys + ([groups] if groups is not None and group_exact else []))
        is_rep = exact_rep == np.arange(n)
        base.write("reps.parquet", pa.table({"is_rep": is_rep}))

        bucket_run = ShardRun("dedup", "buckets", base, ex)
        for p in range(n_parts):
            bucket_run.add([str(p)], pa.table({"part": [p]}))
        got = _run(bucket_run, BucketShard(parts_dir, "reps.parquet", base), counts, seconds)
        if got.height:
            code = unique_sorted(got["a"].to_numpy() * _CODE + got["b"].to_numpy())
            cand = np.stack([code // _CODE, code % _CODE], axis=1)
        else:
            cand = np.empty((0, 2), dtype=np.int64)

        def pairs_phase(name: str, pairs: np.ndarray, confirm: bool) -> pl.DataFrame:
            run = _pair_shards(name, base, ex, pairs, groups if confirm else None, same_words if confirm else None)
            work = PairShard(cfg_json, texts_run.dir, tuple(texts_run.shard_ids), ex.shard_rows, confirm)
            return _run(run, work, counts, seconds)

        n_cand = int(cand.shape[0])
        # the engine's pre-filter: only pairs confirmation could accept go to the workers
        nums = hashes["nums"].to_numpy() if "nums" in hashes.columns else None
        cand = cand[could_match(cand, hashes["len"].to_numpy(), nums, groups, cfg.threshold)]
        checked = pairs_phase("confirm", cand, True) if cand.size else pl.DataFrame()
        if checked.height:
            ok = checked.filter(pl.col("ok"))
            confirmed = np.stack([ok["a"].to_numpy(), ok["b"].to_numpy()], axis=1)
            scores = ok["score"].to_numpy()
        else:
            confirmed, scores = np.empty((0, 2), dtype=np.int64), np.empty(0)

        # 5. the engine's own tail (cluster_texts): components, kept row, score against the kept row
        kept, exact, score = kept_rows(
            n,
            exact_rep,
            confirmed,
            scores,
            lambda miss, to: pairs_phase("score", np.stack([miss, to], axis=1), False)["score"].to_numpy(),
        )
        record(address, sum(counts), seconds)
        return Clusters(kept, exact, score, n_cand, int(confirmed.shape[0]), int(cand.shape[0]))
    finally:
        if not ex.keep_shards:
            base.remove()
