"""Every bad row is quarantined with its machine-readable reason; nothing crashes; rows are conserved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.errors import SourceReadError

GOOD = {"problem": "What is the value of 2 + 2?", "answer": "4"}

CASES: list[tuple[str | bytes | dict, str]] = [
    ("{not json", "invalid_json"),
    ("[1, 2]", "not_an_object"),
    (b'{"problem": "caf\xe9 au lait?", "answer": "1"}', "bad_encoding"),
    ('{"problem": "lone \\ud800 surrogate", "answer": "1"}', "bad_encoding"),
    ({"problem": "mis\ufffddecoded text", "answer": "1"}, "bad_encoding"),
    ({"answer": "4"}, "missing_field:prompt"),
    ({"problem": 42, "answer": "4"}, "wrong_type:prompt"),
    ({"problem": "  \n ", "answer": "4"}, "empty_prompt"),
    # control characters: binary bytes or a terminal's colour codes in a text column (they were kept as written)
    ({"problem": "What is 2 + 2?\x00", "answer": "4"}, "bad_encoding"),
    ({"problem": "\x1b[31mWhat is 2 + 2?\x1b[0m", "answer": "4"}, "bad_encoding"),
    ({"problem": "What is 2 + 2?", "answer": "4", "system": "Be brief.\x07"}, "bad_encoding"),
    ({"problem": "x" * 101, "answer": "4"}, "too_long"),
    ({"problem": "What is 3 + 3?"}, "missing_field:answer"),
    # a NaN is a missing value (json.dumps writes it for pandas' null); an infinite or overflowing float is no answer;
    # a float past 2**53 may not be the integer written (it was the reference `nan`, `inf`, `1.1805916207174113e+21`)
    ('{"problem": "What is 3 + 3?", "answer": NaN}', "missing_field:answer"),
    ('{"problem": "What is 3 + 3?", "answer": Infinity}', "invalid_value:answer"),
    ('{"problem": "What is 3 + 3?", "answer": -Infinity}', "invalid_value:answer"),
    ('{"problem": "What is 10 to the power 400?", "answer": 1e400}', "invalid_value:answer"),
    ('{"problem": "What is 2 to the power 70?", "answer": 1.1805916207174113e+21}', "wrong_type:answer"),
    ('{"problem": "What is 3 + 3?", "answer": [NaN]}', "wrong_type:answer"),  # it was the reference `nan`
    ('{"problem": "What is 3 + 3?", "answer": [Infinity]}', "wrong_type:answer"),
    # what pandas and spreadsheets write for a missing value, as a math answer (it was the reference `N/A`)
    ({"problem": "What is 3 + 3?", "answer": "#N/A"}, "missing_field:answer"),
    ({"problem": "What is 3 + 3?", "answer": " NaN", "verifier": "numeric"}, "missing_field:answer"),
    # several answers: any of them (NQ-open) or all (OlympiadBench's parts)? `answer_list: any` says which
    ({"problem": "What is 3 + 3?", "answer": ["6", "six"]}, "wrong_type:answer"),
    ({"problem": "What is 3 + 3?", "answer": [["6"]]}, "wrong_type:answer"),
    ({"problem": "What is 3 + 3?", "answer": []}, "wrong_type:answer"),
    ({"problem": "What is 3 + 3?", "answer": {"x": 6}}, "wrong_type:answer"),
    ({"problem": "What is 3 + 3?", "answer": "6", "verifier": "telepathy"}, "unknown_verifier:telepathy"),
    ({"question": "Pick one", "choices": ["a", "b"], "answer": "Z"}, "invalid_value:answer"),
    ({"question": "Pick one", "choices": ["a"], "answer": "A"}, "invalid_value:choices"),
    # the key marks one of two identical options right: a response naming the other fails, a trace picks arbitrarily
    ({"question": "What is 2 + 2?", "choices": ["4", "4 ", "5", "6"], "answer": "A"}, "invalid_value:choices"),
    ({"question": "What is 2 + 2?", "choices": ["4", "5", "6", "4"], "answer": 0}, "invalid_value:choices"),
    ({"question": "Pick one", "choices": "a,b", "answer": "A"}, "wrong_type:choices"),
    ({"prompt": "Write f", "tests": 5}, "wrong_type:tests"),
    ({"problem": "What is 3 + 3?", "answer": "6", "verifier_args": [1]}, "wrong_type:verifier_args"),
    ({"problem": "What is 3 + 3?", "answer": "6", "metadata": "x"}, "wrong_type:metadata"),
    ({"problem": "What is 3 + 3?", "answer": "6", "id": {"a": 1}}, "wrong_type:id"),
    ({"messages": "hello"}, "wrong_type:messages"),
    # tasks no response could pass (the verifier's own argument check, run at ingest): never generated and paid for
    ({"prompt": "Write a haiku about rain.", "verifier": "ifeval"}, "invalid_value:verifier_args"),
    (
        {"prompt": "Write a haiku.", "verifier": "ifeval", "verifier_args": {"constraints": [{"type": "rhymes"}]}},
        "invalid_value:verifier_args",
    ),
    (
        {
            "prompt": "Describe a cat.",
            "instruction_id_list": ["length_constraints:number_words"],
            "kwargs": [{"relation": "about", "num_words": 40}],
        },
        "invalid_value:verifier_args",
    ),
    (
        {"prompt": "Describe a cat.", "instruction_id_list": ["keywords:existence"], "kwargs": ["cat"]},
        "invalid_value:verifier_args",
    ),
    ({"prompt": "Say yes.", "verifier": "regex"}, "invalid_value:verifier_args"),
    # `exact`'s other accepted answers must be texts (every response failed at verify with an error)
    (
        {
            "problem": "Capital of France?",
            "answer": "Paris",
            "verifier": "exact",
            "verifier_args": {"aliases": "Paris"},
        },
        "invalid_value:verifier_args",
    ),
    ({"prompt": "Say yes.", "verifier": "regex", "verifier_args": {"pattern": "(yes"}}, "invalid_value:verifier_args"),
    ({"prompt": "Give a JSON object.", "verifier": "json_schema"}, "invalid_value:verifier_args"),
    (
        {"prompt": "Give a JSON object.", "verifier": "json_schema", "verifier_args": {"schema": {"type": 5}}},
        "invalid_value:verifier_args",
    ),
    ({"problem": "What is 3 + 3?", "answer": "six", "verifier": "numeric"}, "invalid_value:answer"),
    # a reference of several numbers (numeric 5 took the last: `\\boxed{3}` passed for 5 x 3)
    ({"problem": "What is 5 times 3?", "answer": "5 \\times 3", "verifier": "numeric"}, "invalid_value:answer"),
    ({"prompt": "Solve the puzzle.", "verifier": "reasoning_gym"}, "invalid_value:verifier_args"),
    # a solution that boxes two different values: which one is the reference? (the last one was taken silently)
    (
        {"problem": "Solve x^2 + x - 6 = 0.", "solution": "So $x = \\boxed{2}$ or $x = \\boxed{-3}$."},
        "invalid_value:answer",
    ),
]


def test_solution_boxing_one_value_gives_the_reference(store, write_jsonl) -> None:
    """The same boxed value twice is one reference; a code task's solution is not a reference (its tests judge it)."""
    rows = [
        {"problem": "What is 6 times 7?", "solution": "6*7 = $\\boxed{42}$. Check: $\\boxed{42}$."},
        {"prompt": "Write f() returning 1.", "tests": ["assert f() == 1"], "solution": "\\boxed{1} \\boxed{2}"},
    ]
    rep = ingest_paths(store, [write_jsonl("in.jsonl", rows)])
    assert (rep.metadata["ingested"], rep.metadata["quarantined"]) == (2, 0)
    answers = dict(store.query("SELECT verifier, answer FROM tasks").iter_rows())
    assert answers["math"] == "42"


def test_ambiguous_solution_names_its_boxed_values(store, write_jsonl) -> None:
    row = {"problem": "Solve x^2 + x - 6 = 0.", "solution": "So $x = \\boxed{2}$ or $x = \\boxed{-3}$."}
    ingest_paths(store, [write_jsonl("in.jsonl", [row])])
    detail = store.read("quarantine")["detail"][0]
    assert "\\boxed{2}" in detail and "\\boxed{-3}" in detail and "answer" in detail, detail


@pytest.mark.parametrize(("row", "reason"), CASES, ids=[c[1] + f"-{i}" for i, c in enumerate(CASES)])
def test_each_reason_is_quarantined(store, write_jsonl, row, reason) -> None:
    path = write_jsonl("in.jsonl", [GOOD, row])
    rep = ingest_paths(store, [path], cfg=IngestConfig(max_prompt_chars=100))
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "quarantined", "duplicate")) == (2, 1, 1, 0)
    q = store.read("quarantine")
    assert q["reason"].to_list() == [reason]
    assert q["source_row"].to_list() == [1]
    assert q["source_file"][0] == str(path.resolve())
    assert q["raw"][0] and q["detail"][0]
    assert not q["detail"][0].startswith("task ")  # no placeholder task id from the ingest-time verifier check


def test_raw_text_is_truncated(store, write_jsonl) -> None:
    path = write_jsonl("in.jsonl", ["{" + "x" * 500])
    ingest_paths(store, [path], cfg=IngestConfig(raw_truncate_chars=50))
    assert len(store.read("quarantine")["raw"][0]) == 50


def test_conservation_on_a_mixed_file(store, write_jsonl) -> None:
    rows: list = []
    for i in range(300):
        kind = i % 5
        if kind == 0:
            rows.append("oops")
        elif kind == 1:
            rows.append({"problem": ""})
        elif kind == 2:
            rows.append({"problem": f"Compute {i} plus {i} and simplify the result fully.", "answer": str(2 * i)})
        elif kind == 3:  # exact copy (case/space) of the kind-2 row before it, with its answer (another one would
            # make the two rows `conflicting_answers`: tests/ingest/test_ingest_conflicting_answers.py)
            rows.append(
                {"problem": f"COMPUTE {i - 1}  plus {i - 1} and simplify the result fully.", "answer": str(2 * (i - 1))}
            )
        else:
            rows.append(
                {"question": f"Which of these is item {i}?", "choices": ["p", "q", "r"], "answer": "ABC"[i % 3]}
            )
    rep = ingest_paths(store, [write_jsonl("mix.jsonl", rows)])
    assert rep.metadata["read"] == 300
    assert rep.metadata["read"] == rep.metadata["ingested"] + rep.metadata["quarantined"] + rep.metadata["duplicate"]
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined", "duplicate")) == (120, 120, 60)
    assert store.count("tasks") == 120
    assert store.count("quarantine") == 120
    assert store.count("task_duplicates") == 60
    assert rep.metadata["quarantine_reasons"] == {"invalid_json": 60, "empty_prompt": 60}


def test_unreadable_file_is_a_clear_error(store, tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match=r"missing\.jsonl"):
        ingest_paths(store, [tmp_path / "missing.jsonl"])
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(SourceReadError, match=r"bad\.parquet"):
        ingest_paths(store, [bad])
    odd = tmp_path / "data.xlsx"
    odd.write_bytes(b"x")
    with pytest.raises(SourceReadError, match="unknown file type"):
        ingest_paths(store, [odd])
    assert store.count("tasks") == 0 and store.count("ingest_files") == 0


def test_a_failed_file_commits_nothing_from_the_run(store, write_jsonl, tmp_path: Path) -> None:
    good = write_jsonl("good.jsonl", [GOOD])
    bad = tmp_path / "bad.json"
    bad.write_text("[{" + json.dumps(GOOD), encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"bad\.json"):
        ingest_paths(store, [good, bad])
    assert store.count("tasks") == 0
    assert ingest_paths(store, [good]).metadata["ingested"] == 1


def test_identical_options_that_are_not_the_key_are_kept(store, write_jsonl) -> None:
    row = {"question": "What is 2 + 2?", "choices": ["4", "5", "5", "6"], "answer": "A"}
    rep = ingest_paths(store, [write_jsonl("dup.jsonl", [row])])
    assert rep.metadata["ingested"] == 1
    q = {"question": "What is 2 + 2?", "choices": ["4", "4", "5", "6"], "answer": "B"}
    ingest_paths(store, [write_jsonl("dup2.jsonl", [q])], source="two")
    detail = store.read("quarantine")["detail"][0]
    assert "the answer B and option A are the same text ('4')" in detail


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        ("null", "row is a JSON null, expected an object"),  # it said "a JSON NoneType"
        ('"text"', "row is a JSON string, expected an object"),
        ("[1, 2]", "row is a JSON array, expected an object"),
        ('{"problem": "x', "Unterminated string starting at column 13"),  # it said "at at column"
    ],
)
def test_a_bad_lines_detail_names_it_in_jsons_words(tmp_path: Path, store, line: str, detail: str) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + line + "\n", encoding="utf-8")
    ingest_paths(store, [path])
    assert store.read("quarantine")["detail"].to_list() == [detail]


def test_an_empty_prompt_or_mapped_answer_column_is_named(tmp_path: Path, store) -> None:
    """A row whose prompt column is null said "no 'prompt' (nor problem/question/...) column", and one whose mapped
    answer column is null "no answer, ... and no default verifier": the column is there, empty in this row."""
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({"question": None, "answer": "4"}) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    ingest_paths(store, [a])
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"q": "What is 3 + 3?", "a": None}) + "\n", encoding="utf-8")
    ingest_paths(store, [b], source="b", mapping={"prompt": "q", "answer": "a"})
    details = sorted(store.read("quarantine")["detail"].to_list())
    assert details == [
        "'a' is empty (null) in this row, and it has no solution with \\boxed{}, choices or tests",
        "'question' is empty (null) in this row",
    ]
