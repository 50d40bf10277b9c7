"""Dedup on Ray: the same clusters as the local engine (planted corpus, short texts, per-task groups)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline import executor
from pipeline.cli import main
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.engine import dedup_texts
from pipeline.executor.config import ExecutorConfig
from pipeline.store import Store
from testing_support.dedup_corpus import pair_scores, planted_corpus
from testing_support.seed import populate

SHORT = [
    "Compute the sum of the first ten prime numbers.",
    "Compute the sum of the first ten primes numbers.",
    "Find the product of the first ten prime numbers.",
    "What is 2+3?",
    "What is 2+5?",  # numbers differ: never merged
    "what is 2+3 ?",
    "hi",
    "Compute  the SUM of the first ten prime numbers.",
]


def _on_ray(tmp_path: Path, shard_rows: int) -> ExecutorConfig:
    return ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared"), shard_rows=shard_rows)


def test_planted_corpus_clusters_equal_the_local_engine(tmp_path: Path) -> None:
    corpus = planted_corpus(300, words=100, seed=11)
    # short texts ride along (character-shingle tier, numbers guard) and long traces sharing one bucket
    ids = pl.concat([corpus["id"].cast(pl.String), pl.Series([f"s{i}" for i in range(len(SHORT))])])
    texts = pl.concat([corpus["text"], pl.Series(SHORT)])
    local = dedup_texts(ids, texts)
    with executor.using(_on_ray(tmp_path, 80)):
        on_ray = dedup_texts(ids, texts)
    assert local.filter(~pl.col("keep")).height > 30  # the corpus has duplicates to find
    assert set(local["reason"].drop_nulls()) == {"exact", "near"}
    assert on_ray.equals(local)
    precision, recall = pair_scores(on_ray["cluster_id"].head(300).to_numpy(), corpus["label"].to_numpy())
    assert precision > 0.95 and recall > 0.9
    assert not any((tmp_path / "shared").iterdir())  # the run's shards are removed


@pytest.mark.parametrize("group_exact", [False, True])
def test_groups_confine_links_as_locally(tmp_path: Path, group_exact: bool) -> None:
    texts = SHORT * 3
    ids = [f"r{i}" for i in range(len(texts))]
    groups = [f"task{i % 2}" for i in range(len(texts))]
    cfg = DedupConfig(threshold=0.85)
    local = dedup_texts(ids, texts, cfg, groups=groups, group_exact=group_exact)
    with executor.using(_on_ray(tmp_path, 7)):
        on_ray = dedup_texts(ids, texts, cfg, groups=groups, group_exact=group_exact)
    assert on_ray.equals(local)
    assert local.filter(~pl.col("keep")).height > 0


def _cli(*args: str) -> dict:
    res = CliRunner().invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output[res.output.index("{") :])


def test_cli_dedup_and_select_with_executor_ray(tmp_path: Path) -> None:
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("executor:\n  shared_dir: shards\n  shard_rows: 40\n")
    src = tmp_path / "texts.jsonl"
    corpus = planted_corpus(120, words=80, seed=3)
    corpus.select(pl.col("id").cast(pl.String), "text").write_ndjson(src)
    out_local, out_ray = tmp_path / "local.parquet", tmp_path / "ray.parquet"
    _cli("dedup", "--input", str(src), "--out", str(out_local), "--config", str(cfg))
    report = _cli("dedup", "--input", str(src), "--out", str(out_ray), "--config", str(cfg), "--executor", "ray")
    assert report["metadata"]["executor"] == "ray" and report["metadata"]["shards"] >= 3
    assert pl.read_parquet(out_ray).equals(pl.read_parquet(out_local))

    dbs = {kind: tmp_path / f"{kind}.duckdb" for kind in ("local", "ray")}
    for path in dbs.values():
        with Store.open(path) as store:
            populate(store, n_tasks=24)
    _cli("select", "--db", str(dbs["local"]), "--config", str(cfg))
    report = _cli("select", "--db", str(dbs["ray"]), "--config", str(cfg), "--executor", "ray")
    assert report["metadata"]["executor"] == "ray" and report["metadata"]["ray_address"]
    selections = []
    for path in dbs.values():
        with Store.open(path) as store:
            selections.append(store.read("trace_selection", order_by="generation_key").drop("created_at"))
    assert selections[0].height > 0 and selections[1].equals(selections[0])


def test_same_words_holds_back_links_as_locally(tmp_path: Path) -> None:
    """Texts marked `same_words` (task dedup: no reference answer) link on Ray only with the same content words too."""
    import numpy as np

    from pipeline.dedup.engine import cluster_texts

    texts = pl.Series([*SHORT, "Write a poem about cats.", "Write a poem about bats.", "Write a poem about cats"])
    marked = np.array([i % 2 == 0 for i in range(len(SHORT))] + [True, True, False])
    local = cluster_texts(texts, same_words=marked)
    with executor.using(_on_ray(tmp_path, 4)):
        on_ray = cluster_texts(texts, same_words=marked)
    assert on_ray.kept.tolist() == local.kept.tolist()
    assert local.kept[-3:].tolist() == [len(SHORT), len(SHORT) + 1, len(SHORT)]
