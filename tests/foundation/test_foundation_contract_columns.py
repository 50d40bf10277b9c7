"""Column lists come from `schemas/contracts.py`: a contract change reaches the code that fills the table."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

import schemas.contracts as contracts
from pipeline.config import ThinkmillConfig
from pipeline.dataset.versions import make_rows
from pipeline.ingest.config import DecontamConfig
from pipeline.ingest.decontam import Benchmark, find_contamination


def _chosen() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "task_id": "t1",
                "generation_key": "k1",
                "mode": "think",
                "prompt": "What is 2 + 2?",
                "answer": "4",
                "think": "2 + 2 = 4",
                "domain": "math",
                "source": "s",
                "license": "mit",
                "think_tokens": 5,
                "answer_tokens": 1,
            }
        ]
    )


def _hits() -> pl.DataFrame:
    tasks = pl.DataFrame({"task_id": ["t1"], "prompt": ["What is the capital city of France?"]})
    bench = Benchmark("b", pl.DataFrame({"item_id": ["1"], "text": ["What is the capital city of France?"]}))
    return find_contamination(tasks, [bench], DecontamConfig(), workers=1)


def _without(name: str, drop: str) -> dict[str, pl.DataType]:
    return {c: t for c, t in contracts.table(name).polars_schema().items() if c != drop}


def test_dataset_rows_and_hits_have_the_contract_columns() -> None:
    assert make_rows(_chosen(), ThinkmillConfig()).schema == _without("dataset_rows", "version_id")
    hits = _hits()
    assert hits.height >= 1
    assert hits.schema == _without("contamination", "created_at")


@pytest.mark.parametrize("name", ["dataset_rows", "contamination"])
def test_a_column_added_to_the_contract_reaches_the_rows(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    t = contracts.TABLES[name]
    later = dataclasses.replace(t, columns=(*t.columns, contracts.Column("added_later", "text", True, "x")))
    monkeypatch.setitem(contracts.TABLES, name, later)
    out = make_rows(_chosen(), ThinkmillConfig()) if name == "dataset_rows" else _hits()
    assert "added_later" in out.columns and out["added_later"].null_count() == out.height
