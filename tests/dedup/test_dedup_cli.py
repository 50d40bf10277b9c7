import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.dedup.errors import DedupInputError
from pipeline.dedup.io import read_texts


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["dedup", *args])
    return res.exit_code, res.output


def test_jsonl_in_jsonl_out_one_line_per_input(tmp_path: Path) -> None:
    inp = _write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "text": "The quick brown fox jumps over the lazy dog."},
            {"id": "b", "text": "the quick  brown fox jumps over the lazy dog."},
            {"id": "c", "text": "Something else entirely, with other words."},
        ],
    )
    out = tmp_path / "out" / "res.jsonl"
    code, output = _run("--input", str(inp), "--out", str(out))
    assert code == 0, output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[1] == {
        "id": "b",
        "cluster_id": "a",
        "keep": False,
        "duplicate_of": "a",
        "reason": "exact",
        "score": 1.0,
    }
    assert rows[0]["keep"] and rows[0]["duplicate_of"] is None


def test_parquet_in_parquet_out_custom_fields_and_threshold(tmp_path: Path) -> None:
    inp = tmp_path / "in.parquet"
    pl.DataFrame(
        {
            "uid": [1, 2],
            "body": ["alpha beta gamma delta epsilon zeta eta theta", "alpha beta gamma delta epsilon zeta eta iota"],
        }
    ).write_parquet(inp)
    out = tmp_path / "out.parquet"
    code, output = _run(
        "--input", str(inp), "--out", str(out), "--text-field", "body", "--id-field", "uid", "--threshold", "0.8"
    )
    assert code == 0, output
    res = pl.read_parquet(out)
    assert res["id"].to_list() == ["1", "2"] and res["keep"].to_list() == [True, False]
    code, _ = _run(
        "--input", str(inp), "--out", str(out), "--text-field", "body", "--id-field", "uid", "--threshold", "0.99"
    )
    assert code == 0 and pl.read_parquet(out)["keep"].all()


@pytest.mark.parametrize(
    ("rows", "msg"),
    [
        ([{"id": "a", "text": "x"}, {"id": "b"}], "row 1 (id 'b'): field 'text' is missing"),
        ([{"id": "a", "text": "x"}, {"id": "b", "text": 7}], "row 1 (id 'b'): field 'text' is not a string"),
        ([{"id": "a", "text": "x"}, {"id": "b", "text": None}], "row 1 (id 'b'): field 'text' is missing"),
        ([{"id": "a", "text": "x"}, {"text": "y"}], "row 1: field 'id' is missing"),
        ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], "rows 0 and 1: 'id' 'a' is not unique"),
    ],
)
def test_bad_rows_fail_with_an_error_naming_the_row(tmp_path: Path, rows: list[dict], msg: str) -> None:
    inp = _write_jsonl(tmp_path / "bad.jsonl", rows)
    out = tmp_path / "out.jsonl"
    code, output = _run("--input", str(inp), "--out", str(out))
    assert code == 1
    assert "error:" in output and msg in output
    assert not out.exists()  # nothing written: no row is silently dropped
    with pytest.raises(DedupInputError, match="row"):
        read_texts(inp)


def test_bad_parquet_rows_and_formats(tmp_path: Path) -> None:
    inp = tmp_path / "in.parquet"
    pl.DataFrame({"id": ["a", "b"], "text": ["x", None]}).write_parquet(inp)
    with pytest.raises(DedupInputError, match="row 1 \\(id 'b'\\): field 'text' is missing"):
        read_texts(inp)
    pl.DataFrame({"id": ["a"], "text": [3]}).write_parquet(inp)
    with pytest.raises(DedupInputError, match="not a string column"):
        read_texts(inp)
    (tmp_path / "x.csv").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(DedupInputError, match="unknown format"):
        read_texts(tmp_path / "x.csv")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(DedupInputError, match=r"broken\.jsonl"):
        read_texts(broken)


def test_integer_ids_are_read_as_strings(tmp_path: Path) -> None:
    inp = _write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "x"}, {"id": 2, "text": "y"}])
    ids, texts = read_texts(inp)
    assert ids.to_list() == ["1", "2"] and texts.to_list() == ["x", "y"]
