"""A folder or glob holding several splits (a Hub dataset's `data/train-00000-of-00001.parquet` beside
`data/test-00000-of-00001.parquet`, a GSM8K-style `train.jsonl` beside `test.jsonl`) ingests its train split only,
naming the files it leaves out; the held-out splits never silently become training tasks."""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.ingest.api import ingest_paths, ingest_sources
from pipeline.ingest.config import BenchmarkConfig, SourceConfig
from pipeline.ingest.decontam import load_benchmark
from pipeline.ingest.errors import SourceConfigError, SourceReadError
from pipeline.ingest.sources import SPLIT_KEYWORDS, canonical_split, resolve, saved_split, split_of
from pipeline.store import Store


def _rows(split: str, n: int) -> list[dict]:
    return [
        {"problem": f"{split} problem {i}: what is {i} plus {7 * i + 3}?", "answer": str(8 * i + 3)} for i in range(n)
    ]


def _hub_snapshot(root: Path) -> Path:
    """The layout `huggingface-cli download --repo-type dataset` leaves: Parquet shards named by split."""
    data = root / "data"
    data.mkdir(parents=True)
    pl.DataFrame(_rows("train", 4)).write_parquet(data / "train-00000-of-00001.parquet")
    pl.DataFrame(_rows("test", 3)).write_parquet(data / "test-00000-of-00001.parquet")
    pl.DataFrame(_rows("validation", 2)).write_parquet(data / "validation-00000-of-00001.parquet")
    (root / "README.md").write_text("# a dataset card\n")
    return root


def _prompts(store: Store) -> list[str]:
    return sorted(store.read("tasks")["prompt"].to_list())


def test_a_hub_snapshot_folder_ingests_its_train_split_and_names_the_rest(store: Store, tmp_path: Path) -> None:
    snap = _hub_snapshot(tmp_path / "gsm")
    rep = ingest_paths(store, [snap])
    assert all(p.startswith("train problem") for p in _prompts(store)) and len(_prompts(store)) == 4
    left = {Path(x["path"]).name: x["split"] for x in rep.metadata["left_out_files"]}
    assert left == {"test-00000-of-00001.parquet": "test", "validation-00000-of-00001.parquet": "validation"}
    assert any("test-00000-of-00001.parquet: named for split test, left out" in line for line in rep.summary)


@pytest.mark.parametrize(
    ("split", "prefix", "n"), [("test", "test", 3), ("dev", "validation", 2), ("train", "train", 4)]
)
def test_the_split_option_reads_that_split_only(store: Store, tmp_path: Path, split: str, prefix: str, n: int) -> None:
    rep = ingest_paths(store, [_hub_snapshot(tmp_path / "gsm")], split=split)
    prompts = _prompts(store)
    assert len(prompts) == n and all(p.startswith(f"{prefix} problem") for p in prompts)
    assert len(rep.metadata["left_out_files"]) == 3 - 1


def test_flat_split_files_globs_and_unnamed_files(store: Store, write_jsonl, tmp_path: Path) -> None:
    write_jsonl("gsm/train.jsonl", _rows("train", 2))
    write_jsonl("gsm/test.jsonl", _rows("test", 2))
    write_jsonl("gsm/extra_problems.jsonl", _rows("extra", 1))  # names no split: read with train
    write_jsonl("gsm/contest_latest.jsonl", _rows("contest", 1))  # "test" inside a word is no split
    rep = ingest_paths(store, [str(tmp_path / "gsm" / "*.jsonl")])
    assert {p.split()[0] for p in _prompts(store)} == {"train", "extra", "contest"}
    assert [Path(x["path"]).name for x in rep.metadata["left_out_files"]] == ["test.jsonl"]


def test_a_file_named_on_its_own_is_read_whatever_its_name(store: Store, write_jsonl, tmp_path: Path) -> None:
    p = write_jsonl("gsm/test.jsonl", _rows("test", 2))
    rep = ingest_paths(store, [p])
    assert rep.metadata["ingested"] == 2 and rep.metadata["left_out_files"] == []


def test_a_folder_of_held_out_files_only_is_an_error_naming_the_option(store: Store, write_jsonl, tmp_path) -> None:
    write_jsonl("evalset/test-00000-of-00002.jsonl", _rows("test", 1))
    write_jsonl("evalset/test-00001-of-00002.jsonl", _rows("test", 2)[1:])
    with pytest.raises(SourceConfigError, match=r"held-out split \(test\); set split: test \(--split test\)"):
        ingest_paths(store, [tmp_path / "evalset"])
    assert store.count("tasks") == 0
    with pytest.raises(SourceConfigError, match=r"no file of .* is named for split 'train' .*the files name: test"):
        ingest_paths(store, [tmp_path / "evalset"], split="train")
    ingest_paths(store, [tmp_path / "evalset"], split="test")
    assert store.count("tasks") == 2


def test_split_folders_and_the_sources_own_path_are_read_relative_to_it(store: Store, write_jsonl, tmp_path) -> None:
    # the source's own folder is under a folder named "test": only names below the folder given count
    write_jsonl("test/mydata/train/part-0.jsonl", _rows("train", 2))
    write_jsonl("test/mydata/eval/part-0.jsonl", _rows("eval", 2))
    rep = ingest_paths(store, [tmp_path / "test" / "mydata"])
    assert {p.split()[0] for p in _prompts(store)} == {"train"}
    assert [x["split"] for x in rep.metadata["left_out_files"]] == ["test"]  # "eval" is a test keyword


def test_saved_datasets_in_a_folder_are_read_by_split(store: Store, tmp_path: Path) -> None:
    """Splits saved one by one (`ds["train"].save_to_disk("gsm/train")`, `ds["test"].save_to_disk("gsm/test")`) are
    read by split as files are: the folder's name, else the split the dataset records (`load_dataset(...)["test"]`
    saved under another name). Before, a saved dataset in a folder was always read, so the test split became
    training tasks silently (and `split: test` read the train split too)."""
    import datasets

    datasets.Dataset.from_list(_rows("train", 2)).save_to_disk(str(tmp_path / "gsm" / "train"))
    datasets.Dataset.from_list(_rows("test", 3)).save_to_disk(str(tmp_path / "gsm" / "test"))
    recorded = datasets.Dataset.from_list(_rows("held", 1), split=datasets.Split.TEST)
    recorded.save_to_disk(str(tmp_path / "gsm" / "gsm8k_copy"))
    rep = ingest_paths(store, [tmp_path / "gsm"])
    assert {p.split()[0] for p in _prompts(store)} == {"train"}
    left = {Path(x["path"]).name: x["split"] for x in rep.metadata["left_out_files"]}
    assert left == {"test": "test", "gsm8k_copy": "test"}
    with Store.open(tmp_path / "t2.duckdb") as other:
        ingest_paths(other, [tmp_path / "gsm"], split="test")
        assert {p.split()[0] for p in _prompts(other)} == {"test", "held"}
    with Store.open(tmp_path / "t3.duckdb") as other:  # a saved dataset named on its own is read, as a file is
        assert ingest_paths(other, [tmp_path / "gsm" / "test"]).metadata["ingested"] == 3


@pytest.mark.parametrize(
    ("recorded", "split"),
    [("test", "test"), ("dev", "validation"), ("train[:80%]", "train"), ("train+test", "test"), (None, None)],
)
def test_the_split_a_saved_dataset_records(tmp_path: Path, recorded, split) -> None:
    """A slice is its split's; a sum that holds a held-out split is named for it (its rows are held out)."""
    (tmp_path / "state.json").write_text(json.dumps({"_split": recorded}), encoding="utf-8")
    (tmp_path / "dataset_info.json").write_text("{}", encoding="utf-8")
    assert saved_split(tmp_path) == split


def test_a_saved_dataset_dict_of_held_out_splits_only_needs_the_split_named(store: Store, tmp_path: Path) -> None:
    """A saved DatasetDict whose only split is `test` (an eval set saved whole) is no training data unless the
    split is named, as a folder of test files is not. Before, its one split was read whatever its name."""
    import datasets

    datasets.DatasetDict({"test": datasets.Dataset.from_list(_rows("test", 3))}).save_to_disk(str(tmp_path / "ev"))
    with pytest.raises(SourceConfigError, match=r"held-out split \(test\); set split: test \(--split test\)"):
        ingest_paths(store, [tmp_path / "ev"])
    assert store.count("tasks") == 0
    assert ingest_paths(store, [tmp_path / "ev"], split="test").metadata["ingested"] == 3
    assert load_benchmark(BenchmarkConfig(name="ev", path=str(tmp_path / "ev"))).items.height == 3  # read whole


def test_a_saved_dataset_dicts_split_by_another_name(store: Store, tmp_path: Path) -> None:
    """`split: val` (or `dev`) reads a DatasetDict's `validation`, as it reads a folder's files; a dict without
    `train` and several splits names them."""
    import datasets

    dd = {"test": _rows("test", 3), "validation": _rows("validation", 2)}
    datasets.DatasetDict({k: datasets.Dataset.from_list(v) for k, v in dd.items()}).save_to_disk(str(tmp_path / "d"))
    assert ingest_paths(store, [tmp_path / "d"], split="val").metadata["ingested"] == 2
    with pytest.raises(SourceReadError, match=r"no 'train' split \(splits: test, validation\); set split"):
        ingest_paths(store, [tmp_path / "d"])


def test_a_split_two_of_a_dicts_splits_read_alike_names_both(store: Store, tmp_path: Path) -> None:
    """A DatasetDict holding both `validation` and `dev`: `split: val` could mean either, and the error names both.
    Before, it said "split 'val' not found" beside a list of splits that holds two it reads as val."""
    import datasets

    dd = {"train": _rows("train", 2), "validation": _rows("validation", 2), "dev": _rows("dev", 1)}
    datasets.DatasetDict({k: datasets.Dataset.from_list(v) for k, v in dd.items()}).save_to_disk(str(tmp_path / "d"))
    with pytest.raises(SourceReadError, match=r"split 'val' may be any of the splits validation and dev; set split"):
        ingest_paths(store, [tmp_path / "d"], split="val")
    assert ingest_paths(store, [tmp_path / "d"], split="dev").metadata["ingested"] == 1  # its own name: that one


def test_configured_sources_leave_out_held_out_files_too(tmp_path: Path) -> None:
    _hub_snapshot(tmp_path / "gsm")
    cfg = ThinkmillConfig()
    cfg.ingest.sources = [SourceConfig(name="gsm", path=str(tmp_path / "gsm"))]
    with Store.open(tmp_path / "c.duckdb") as store:
        rep = ingest_sources(store, cfg)
        assert store.count("tasks") == 4 and len(rep.metadata["left_out_files"]) == 2


def test_a_benchmark_folder_reads_its_held_out_files_unless_its_split_is_set(tmp_path: Path) -> None:
    """A Hub snapshot given as a benchmark was read whole, its train shards included (they flagged the good tasks
    copied from them); it reads its test and validation shards now, as a Hub benchmark reads its held-out splits."""
    snap = _hub_snapshot(tmp_path / "bench")
    held = load_benchmark(BenchmarkConfig(name="b", path=str(snap)))
    assert held.items.height == 3 + 2
    assert [(Path(x.path).name, x.split) for x in held.left_out] == [("train-00000-of-00001.parquet", "train")]
    test_only = load_benchmark(BenchmarkConfig(name="b", path=str(snap), split="test"))
    assert test_only.items.height == 3
    assert resolve(SourceConfig(name="b", path=str(snap)), read_held_out=True).left_out == []


def test_the_cli_split_flag_and_its_report(tmp_path: Path) -> None:
    snap = _hub_snapshot(tmp_path / "gsm")
    db = str(tmp_path / "cli.duckdb")
    res = CliRunner().invoke(main, ["ingest", str(snap), "--db", db], catch_exceptions=False)
    assert res.exit_code == 0 and "named for split test, left out" in res.output, res.output
    res = CliRunner().invoke(main, ["ingest", str(snap), "--db", db, "--split", "validation", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["metadata"]["ingested"] == 2


def test_split_words_follow_hugging_face_datasets() -> None:
    from datasets.data_files import NON_WORDS_CHARS
    from datasets.data_files import SPLIT_KEYWORDS as HF

    assert {str(k): tuple(v) for k, v in HF.items()} == SPLIT_KEYWORDS
    assert NON_WORDS_CHARS == "-._ 0-9"  # the delimiters the split pattern uses
    cases = {
        "data/train-00000-of-00004.parquet": "train",
        "test.jsonl": "test",
        "gsm8k_dev.csv": "validation",
        "Validation/part.jsonl": "validation",
        "val2.jsonl": "validation",
        "evaluation/x.parquet": "test",
        "latest.jsonl": None,
        "contest.jsonl": None,
        "interval.jsonl": None,
        "train/test_cases.jsonl": "test",  # the file name before its folders
    }
    assert {k: split_of(PurePath(k)) for k in cases} == cases
    assert (canonical_split("dev"), canonical_split("EVAL"), canonical_split("holdout")) == (
        "validation",
        "test",
        "holdout",
    )
    assert split_of(PurePath("data/holdout-0.jsonl"), "holdout") == "holdout"
