"""Exports stream from DuckDB (issue 16): the same rows as the per-record formatting, sharded Parquet by size,
and never a whole version in Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import polars as pl
import pyarrow.parquet as pq
import pytest

import pipeline.dataset.export as export
from pipeline.config import ThinkmillConfig
from pipeline.dataset.export import export_version, format_records, renderer_for
from pipeline.dataset.versions import rows_to_records, version_rows
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from testing_support.seed import cfg_with

CASES = [
    ("messages", "inline"),
    ("sharegpt", "inline"),
    ("text", "inline"),
    ("messages", "reasoning_content"),
    ("messages", "thinking"),
]


@pytest.fixture
def built(db: Path, cfg: ThinkmillConfig) -> Path:
    with Store.open(db) as store:
        build_version(store, cfg)
    return db


def _expected(db: Path, cfg: ThinkmillConfig, fmt: str, field: str) -> dict[str, list[dict[str, Any]]]:
    """Today's output: the version read whole, then formatted record by record."""
    render = renderer_for(cfg) if fmt == "text" else None
    with Store.open(db, read_only=True) as store:
        rows = version_rows(store, "v1")
    return {
        s: format_records(rows_to_records(rows.filter(pl.col("split") == s)), fmt, render, field)  # type: ignore[arg-type]
        for s in ("train", "validation")
    }


def _parquet_rows(files: list[Path]) -> list[dict[str, Any]]:
    return [r for f in sorted(files) for r in pq.read_table(f).to_pylist()]


@pytest.mark.parametrize(("fmt", "field"), CASES)
def test_streamed_export_equals_the_per_record_output(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, fmt: str, field: str
) -> None:
    want = _expected(built, cfg, fmt, field)
    out = tmp_path / "out"
    with Store.open(built, read_only=True) as store:
        written = export_version(store, "v1", fmt, out, cfg, reasoning_field=field)  # type: ignore[arg-type]
    assert {p.name for p in written} >= {"train.parquet", "train.jsonl", "validation.parquet", "validation.jsonl"}
    for split, recs in want.items():
        assert recs, split
        assert _parquet_rows([out / f"{split}.parquet"]) == recs
        lines = (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(x) for x in lines] == recs


@pytest.mark.parametrize("fmt", ["messages", "sharegpt", "text"])
def test_parquet_is_sharded_by_size_with_hub_names(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    want = _expected(built, cfg, fmt, "inline")
    monkeypatch.setattr(export, "SHARD_BYTES", 20_000)
    out = tmp_path / "out"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", fmt, out, cfg)  # type: ignore[arg-type]
    for split in ("train", "validation"):  # JSONL: one file, written range by range, in example-id order
        lines = (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(x) for x in lines] == want[split]
    assert not list(out.glob(".*"))  # no part files left behind
    for p in out.glob("*.jsonl"):
        p.unlink()
    if fmt == "sharegpt":
        (out / "dataset_info.json").unlink()
    train = sorted(out.glob("train-*.parquet"))
    n = len(train)
    assert n > 2 and [p.name for p in train] == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    assert not (out / "train.parquet").exists()
    assert _parquet_rows(train) == want["train"]  # in example-id order across the shards
    ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache"))  # the Hub's shard names
    assert ds["train"].num_rows == len(want["train"]) and ds["validation"].num_rows == len(want["validation"])


@pytest.mark.parametrize(("fmt", "field"), CASES)
def test_export_never_holds_a_version_in_python(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, field: str
) -> None:
    """SQL formats never build Python records; Python formats see at most BATCH_ROWS rows at a time."""
    seen: list[int] = []

    def spy(rows: pl.DataFrame) -> list[dict[str, Any]]:
        seen.append(rows.height)
        return rows_to_records(rows)

    monkeypatch.setattr(export, "rows_to_records", spy)
    monkeypatch.setattr(export, "BATCH_ROWS", 7)
    with Store.open(built, read_only=True) as store:
        n = version_rows(store, "v1").height
        export_version(store, "v1", fmt, tmp_path / "out", cfg, reasoning_field=field)  # type: ignore[arg-type]
    if fmt in ("messages", "sharegpt") and field == "inline":
        assert seen == []
    else:
        assert seen and max(seen) <= 7 and sum(seen) == 2 * n  # Parquet and JSONL each read every row once


def test_publish_bundle_streams_sharded_parquet_with_the_versions_rows(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publish writes data/<split>-NNNNN-of-NNNNN.parquet shards by size; the rows are the version's records."""
    import io

    from pipeline.dataset.publish import bundle

    monkeypatch.setattr(export, "SHARD_BYTES", 20_000)
    with Store.open(built, read_only=True) as store:
        rows = version_rows(store, "v1")
        files = bundle(store, "v1")
        again = bundle(store, "v1")
    assert files == again  # byte-identical on rebuild: publish stays idempotent by content
    for split in ("train", "validation"):
        shards = sorted(p for p in files if p.startswith(f"data/{split}-"))
        n = len(shards)
        assert shards == [f"data/{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
        got = [r for p in shards for r in pq.read_table(io.BytesIO(files[p])).to_pylist()]
        want = rows_to_records(rows.filter(pl.col("split") == split))
        assert [{k: r[k] for k in w} for r, w in zip(got, want, strict=True)] == want
    assert len([p for p in files if p.startswith("data/train-")]) > 2


def _rows_by_dicts(chosen: pl.DataFrame, cfg: ThinkmillConfig) -> pl.DataFrame:
    """make_rows as it was (one dict per row), the reference for the columnar one."""
    from pipeline.dataset.messages import build_messages
    from pipeline.dataset.split import assign_splits
    from pipeline.dataset.versions import example_id, row_schema
    from pipeline.store import to_json

    b = cfg.balance
    splits = assign_splits(chosen["task_id"].to_list(), b.validation_share, b.seed, b.min_validation_tasks)
    out: dict[str, dict[str, Any]] = {}
    for r in chosen.iter_rows(named=True):
        msgs = build_messages(r["mode"], r["prompt"], r["answer"], r["think"])
        eid = example_id(r["mode"], msgs)
        out.setdefault(
            eid,
            {
                "example_id": eid,
                "split": splits[r["task_id"]],
                "messages": to_json(msgs),
                **{
                    k: r[k]
                    for k in (
                        "mode",
                        "task_id",
                        "generation_key",
                        "domain",
                        "source",
                        "license",
                        "think_tokens",
                        "answer_tokens",
                    )
                },
            },
        )
    return pl.DataFrame(sorted(out.values(), key=lambda r: r["example_id"]), schema=row_schema())


def test_columnar_make_rows_equals_the_per_row_build(built: Path, cfg: ThinkmillConfig) -> None:
    from pipeline.dataset.balance import balance
    from pipeline.dataset.candidates import load_candidates
    from pipeline.dataset.versions import make_rows

    with Store.open(built, read_only=True) as store:
        chosen = balance(load_candidates(store), cfg.balance).rows
    chosen = pl.concat([chosen, chosen.head(5).with_columns(pl.lit("dup").alias("generation_key"))])
    got = make_rows(chosen, cfg)
    assert got.height == chosen.height - 5  # identical texts make one example, the first one kept
    assert got.equals(_rows_by_dicts(chosen, cfg))


def test_reexport_removes_the_shards_of_an_earlier_export(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with Store.open(built, read_only=True) as store:
        n = version_rows(store, "v1").height
        monkeypatch.setattr(export, "SHARD_BYTES", 20_000)
        export_version(store, "v1", "messages", out, cfg, ("parquet",))
        monkeypatch.setattr(export, "SHARD_BYTES", 10**9)
        export_version(store, "v1", "messages", out, cfg, ("parquet",))
    assert sorted(p.name for p in out.iterdir()) == ["train.parquet", "validation.parquet"]
    ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache"))
    assert ds["train"].num_rows + ds["validation"].num_rows == n


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("fmt", "shard_bytes"), [("messages", 10**9), ("messages", 2_000), ("sharegpt", 2_000), ("dpo", 10**9)]
)
def test_reexport_removes_a_split_the_new_version_does_not_have(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, shard_bytes: int
) -> None:
    """v1 has a validation split, v2 (`validation_share: 0`) none: exporting v2 into v1's folder left v1's
    validation files beside v2's train files, and `load_dataset(DIR)` evaluated on v1 rows whose tasks are in v2's
    train. The empty split's earlier files (one file, shards, JSONL) are removed."""
    monkeypatch.setattr(export, "SHARD_BYTES", shard_bytes)
    out = tmp_path / "out"
    with Store.open(built) as store:
        v2_cfg = cfg.model_copy(
            update={"balance": cfg.balance.model_copy(update={"validation_share": 0.0, "min_validation_tasks": 0})}
        )
        assert build_version(store, v2_cfg).metadata["version"] == "v2"  # `built` holds v1
        assert not version_rows(store, "v2").filter(pl.col("split") == "validation").height
        export_version(store, "v1", fmt, out, cfg)  # type: ignore[arg-type]
        assert any(name.startswith("validation") for name in _files(out))
        written = export_version(store, "v2", fmt, out, cfg)  # type: ignore[arg-type]
    assert _files(out) == sorted(str(p.relative_to(out)) for p in written)
    assert not [name for name in _files(out) if "validation" in name]
    if fmt != "dpo":
        ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache"))
        assert set(ds) == {"train"}


@pytest.mark.parametrize("fmt", ["messages", "dpo"])
@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_reexport_of_one_kind_removes_the_other_kind_of_an_earlier_export(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, fmt: str, kind: str
) -> None:
    """v1 exported as Parquet and JSONL, then v2 as `--file-format jsonl` into the same folder: v1's train.parquet
    stayed beside v2's train.jsonl, and `load_dataset(DIR)` (which prefers the Parquet) or the docs' Parquet recipe
    trained on v1's rows. A split's files of the other kind are removed too."""
    out = tmp_path / "out"
    with Store.open(built) as store:
        assert build_version(store, cfg_with(cfg, think_share_rows=0.5)).metadata["version"] == "v2"
        export_version(store, "v1", fmt, out, cfg)  # type: ignore[arg-type]
        written = export_version(store, "v2", fmt, out, cfg, (kind,))  # type: ignore[arg-type]
        v2 = set(version_rows(store, "v2").get_column("example_id"))
    assert _files(out) == sorted(str(p.relative_to(out)) for p in written)
    if fmt == "messages":
        ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache"))
        assert set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"]) == v2


def _llama_factory_rows(out: Path, entry: dict[str, Any], tmp_path: Path) -> int:
    """Rows of a dataset_info.json entry read as LLaMA-Factory 0.9.5 reads `file_name` (`data/loader.py`): one file,
    or every file of a folder, all of one type."""
    local = out / entry["file_name"]
    files = sorted(str(p) for p in local.iterdir()) if local.is_dir() else [str(local)]
    kinds = {Path(f).suffix for f in files}
    assert kinds == {".parquet"}, files
    ds = datasets.load_dataset("parquet", data_files=files, split="train", cache_dir=str(tmp_path / "hf_cache"))
    return ds.num_rows


def test_sharded_parquet_sharegpt_export_has_dataset_info_entries(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--file-format parquet` with a split over SHARD_BYTES: dataset_info.json had no entry for that split
    (only `train.jsonl` / `train.parquet` were looked for), so LLaMA-Factory could not train on it."""
    want = _expected(built, cfg, "sharegpt", "inline")
    monkeypatch.setattr(export, "SHARD_BYTES", 20_000)
    out = tmp_path / "out"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "sharegpt", out, cfg, ("parquet",))
    info = json.loads((out / "dataset_info.json").read_text())
    assert set(info) == {"thinkmill_v1", "thinkmill_v1_validation"}
    # folders holding only their split's files (LLaMA-Factory reads every file of a folder as the entry's rows)
    assert (info["thinkmill_v1"]["file_name"], info["thinkmill_v1_validation"]["file_name"]) == ("train", "validation")
    assert len(list((out / "train").iterdir())) > 1
    assert _llama_factory_rows(out, info["thinkmill_v1"], tmp_path) == len(want["train"])
    assert _llama_factory_rows(out, info["thinkmill_v1_validation"], tmp_path) == len(want["validation"])
    ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf_cache2"))  # still one dataset of two splits
    assert ds["train"].num_rows == len(want["train"]) and ds["validation"].num_rows == len(want["validation"])
