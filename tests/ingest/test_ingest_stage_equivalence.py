"""Staging stages exactly what the reference path stages: every line parsed with `json` and every row normalised
by `normalize_record` one by one.

The fast paths (msgspec line decoding, the bulk normaliser for plain, MCQ and code rows) are an optimisation only:
a generated mixed corpus (every layout, bad rows, JSON edge cases, MCQ and code edge cases) must give identical
staged task rows, quarantine rows, reasons and details both ways."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import pipeline.ingest.readers as readers_mod
import pipeline.ingest.stage as stage_mod
from pipeline.ingest.api import inputs_for
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.stage import stage_inputs
from testing_support.task_rows import make_rows

ABCD = ["alpha", "beta", "gamma", "delta"]
MCQ_ROWS: list[Any] = [
    {"question": "Pick one", "choices": ABCD, "answer": 1},
    {"question": "Pick one", "choices": ABCD, "answer": 0, "level": 2},
    {"question": "Pick one", "choices": ABCD, "answer": 3.0},
    {"question": "Pick one", "choices": ABCD, "answer": 1.5},
    {"question": "Pick one", "choices": ABCD, "answer": -1},
    {"question": "Pick one", "choices": ABCD, "answer": 4},
    {"question": "Pick one", "choices": ABCD, "answer": True},
    {"question": "Pick one", "choices": ["True", "False"], "answer": False},
    {"question": "Pick one", "choices": ["yes", "No"], "answer": True},
    {"question": "Pick one", "choices": ABCD, "answer": None},
    {"question": "Pick one", "choices": ABCD},
    {"question": "Pick one", "choices": ABCD, "answer": ""},
    {"question": "Pick one", "choices": ABCD, "answer": "B"},
    {"question": "Pick one", "choices": ABCD, "answer": "(c)"},
    {"question": "Pick one", "choices": ABCD, "answer": "d."},
    {"question": "Pick one", "choices": ABCD, "answer": "beta"},
    {"question": "Pick one", "choices": ABCD, "answer": " GAMMA "},
    {"question": "Pick one", "choices": ABCD, "answer": "2"},
    {"question": "Pick one", "choices": ABCD, "answer": "9"},
    {"question": "Pick one", "choices": ABCD, "answer": "epsilon"},
    {"question": "Pick one", "choices": ["B", "A"], "answer": "A"},
    {"question": "Pick one", "choices": ["1", "0"], "answer": "1"},
    {"question": "Pick one", "choices": ["a", "", "c"], "answer": 0},
    {"question": "Pick one", "choices": ["a", "b", " "], "answer": 0},
    {"question": "Pick one", "choices": ["only"], "answer": 0},
    {"question": "Pick one", "choices": [], "answer": 0},
    {"question": "Pick one", "choices": [f"o{i}" for i in range(27)], "answer": 0},
    {"question": "Pick one", "choices": [f"o{i}" for i in range(26)], "answer": 25},
    {"question": "Pick one", "choices": [1, 2, 3], "answer": 2},
    {"question": "Pick one", "choices": [1.5, 2.5], "answer": "2.5"},
    {"question": "Pick one", "choices": [True, False], "answer": 0},
    {"question": "Pick one", "choices": [["a"], ["b"]], "answer": 0},
    {"question": "Pick one", "choices": "alpha, beta", "answer": 0},
    {"question": "Pick one", "choices": '["alpha", "beta"]', "answer": 0},
    {"question": "Pick one", "choices": "1) 5 2) 7 3) 9", "answer": 2},
    {"question": "Pick one", "choices": "(1) 5 (2) 7 (3) 9", "answer": "7"},
    {"question": "Pick one", "choices": "1) 5 2) 7 2) 9", "answer": 2},
    {"question": "Pick one", "choices": {"A": "x", "B": "y"}, "answer": "B"},
    {"question": "Pick one", "choices": {"b": "y", "a": "x"}, "answer": "a"},
    {"question": "Pick one", "choices": {"1": "x", "2": "y"}, "answer": 2},
    {"question": "Pick one", "choices": {"1": "x", "2": "y"}, "answer": "2"},
    {"question": "Pick one", "choices": {"A": "x", "a": "y"}, "answer": "A"},
    {"question": "Pick one", "choices": {"A": "x", "B": ""}, "answer": "A"},
    {"question": "Pick one", "choices": {"A": "x", "B": 3}, "answer": "A"},
    {"question": "Pick one", "choices": {"label": ["A", "B"], "text": ["x", "y"]}, "answer": "B"},
    {"question": "Pick one", "choices": {"label": ["1", "2", "3"], "text": ["x", "y", "z"]}, "answerKey": "3"},
    {"question": "Pick one", "choices": {"label": ["A", "B"], "text": ["x"]}, "answer": "A"},
    {"question": "Pick one", "choices": {"label": "A", "text": "x"}, "answer": "A"},
    {"question": "Pick one", "choices": {"label": ["A", "B"], "text": ["x", "y"], "extra": 1}, "answer": "A"},
    {"question": "Pick one", "options": ABCD, "answer": 2},
    {"question": "Pick one", "choices": None, "options": ABCD, "answer": 2},
    {"question": "Pick one", "choices": ABCD, "options": ["x", "y"], "answer": 2},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "verifier": "mcq"},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "verifier": None},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "verifier": "exact"},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "verifier": "nope"},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "domain": "biology"},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "domain": ""},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "id": 5, "license": "MIT", "solution": "it is beta"},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "solution": 7, "source_url": None},
    {"question": "Which? A. alpha B. beta C. gamma D. delta", "choices": ABCD, "answer": 1},
    {"question": "Which?\n\nA. alpha\nB. beta\nC. gamma\nD. delta", "choices": ABCD, "answer": "D"},
    {"question": "Which?  \n", "choices": ABCD, "answer": "D"},
    {"question": "Which?\nA. Alpha\nB. beta\nC. gamma\nD. delta.", "choices": ABCD, "answer": "D"},
    {"question": "Which?\nA. beta\nB. alpha\nC. gamma\nD. delta", "choices": ABCD, "answer": "D"},
    {"question": "Which?\nA. alpha\nB. beta\nC. omega", "choices": ABCD, "answer": "D"},
    {"question": "Which? (a) x > 0, (b) y > 0", "choices": ABCD, "answer": "D"},
    {"question": "   ", "choices": ABCD, "answer": 1},
    {"question": "", "choices": ABCD, "answer": 1},
    {"question": "\x1e", "choices": ABCD, "answer": 1},
    {"question": "x" * 200, "choices": ABCD, "answer": 1},
    {"question": "x" * 230, "choices": ABCD, "answer": 1},
    {"question": "bad \ufffd", "choices": ABCD, "answer": 1},
    {"question": "Pick one", "choices": ["<|im_end|>", "b"], "answer": 1},
    {"question": "Pick <|im_start|> one", "choices": ["a", "b"], "answer": 1},
    {"question": "Pick one <", "choices": ["|x|>", "b"], "answer": 1},
    {"question": "Pick one", "choices": ["bad \ufffd", "b"], "answer": 1},
    {"question": "Pick one", "choices": ["a\x1f", "b"], "answer": 1},
    {"question": 3, "choices": ABCD, "answer": 1},
    {"problem": "Pick one", "choices": ABCD, "answer": 1},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "tests": ["assert True"]},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "metadata": {"a": 1}},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "verifier_args": {"k": 1}},
    {"question": "Pick one", "choices": ABCD, "answer": 1, "extra": {"nested": [1]}},
    {"problem": "mcq verifier, no choices", "answer": "A", "verifier": "mcq"},
    # options the prompt numbers: a number answer names one (or reads two ways, or the list is no options)
    {"question": "What is 3+4?\n1. 5\n2. 7\n3. 9", "answer": 2},
    {"question": "What is 3+4?\n1. 5\n2. 7\n3. 9", "answer": "(2)"},
    {"question": "What is 3+4?\n1. 5\n2. 7\n3. 9", "answer": "7"},
    {"question": "What is 1+1?\n1. 2\n2. 3\n3. 4", "answer": "2"},
    {"question": "Solve the system:\n1. x + y = 3\n2. x - y = 1", "answer": "2"},
    {"question": "How many of these are prime?\n0) 4\n1) 5\n2) 7", "answer": 2},
    {"question": "Which?\n1. Paris\n2. Lyon\nGive the option's number.", "answer": "Lyon"},
    # an answer phrased around its letter (`Option B`), its text checked
    {"question": "Pick one", "choices": ABCD, "answer": "Option B"},
    {"question": "Pick one", "choices": ABCD, "answer": "The answer is (C) gamma."},
    # a math answer written as the sentence that states it (`normalize.STATES_ITS_VALUE`)
    {"problem": "What is 6 times 7?", "answer": "Answer: 42"},
    {"problem": "What is 6 times 8?", "answer": "The final answer is 48."},
    {"question": "Pick one", "choices": ABCD, "answer": "Answer: C. beta"},
    {"question": "Pick one", "choices": ABCD, "answer": "Option E"},
    {"question": "Which?\nA) alpha\nB) beta\nC) gamma", "answer": "Answer: B"},
    # a number answer to options the prompt letters: an index, refused without a base (or a value the options hold)
    {"question": "Which?\nA) alpha\nB) beta\nC) gamma", "answer": 2},
    {"question": "Which?\nA) 1\nB) 2\nC) 3", "answer": 2},
]
CODE_ROWS: list[Any] = [
    {"prompt": "def f", "tests": ["assert f(1) == 2", "assert f(2) == 3"]},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "level": 1, "entry_point": "f"},
    {"prompt": "def f", "tests": []},
    {"prompt": "def f", "tests": ["", " "]},
    {"prompt": "def f", "tests": [1, 2]},
    {"prompt": "def f", "tests": [["assert 1"]]},
    {"prompt": "def f", "tests": "assert f(1) == 2"},
    {"prompt": "def f", "tests": '["assert f(1) == 2"]'},
    {"prompt": "def f", "tests": [{"input": "1", "output": "2"}]},
    {"prompt": "def f", "input_output": {"inputs": [1], "outputs": [2]}},
    {"prompt": "def f", "test_list": ["assert f(1) == 2"]},
    {"prompt": "def f", "test": None, "test_list": ["assert f(1) == 2"]},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "test_list": ["assert g()"]},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": "4"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": "  "},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": 5},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": 2.5},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": True},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "so \\boxed{3}"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "so \\boxed{ }"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "def f(x): return x + 1"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": "", "solution": "\\boxed{9}"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": 12},
    # a reasoning trace's tentative values are not the answer; a stated answer is
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "<think>\\boxed{1}</think>\n\n\\boxed{2}"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "<think>\\boxed{1}\n</think>\n\nno value"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "x = 2.\nThe answer is: 2"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "solution": "x = 2\n#### 2"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "verifier": "code"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "verifier": "mcq"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "verifier": "exact", "answer": "1"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "domain": "python", "id": "c1", "licence": "MIT"},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "domain": 3},
    {"prompt": "def f", "tests": ["assert f(1) == 2"], "id": True},
    {"prompt": "  ", "tests": ["assert f(1) == 2"]},
    {"prompt": "x" * 300, "tests": ["assert f(1) == 2"]},
    {"prompt": "def f <|endoftext|>", "tests": ["assert f(1) == 2"]},
    {"prompt": "def f", "tests": ["assert '<|im_end|>'"]},
    {"prompt": "def f", "verifier": "code"},
]
META_ROWS: list[Any] = [  # unused columns land in metadata, spelt as `store.to_json` spells them
    {"problem": "meta", "answer": "1", "ключ": "значение\n\t\x01\u2028\\", 'q"k': "é", "b": 1.5e300, "c": -0.0},
    {"problem": "meta", "answer": "1", "d": False, "e": None, "f": 12345678901234567890123, "response": 2.5},
    {"problem": "meta", "answer": "1", "solution": None, "output": "o", "z": True, "a": 0, "m": ""},
    {"problem": "meta", "answer": "1", "solution": "s", "response": "r", "completion": 3},
    {"question": "meta", "choices": ABCD, "answer": 1, "solution": {"x": 1}},
    {"prompt": "def f", "tests": ["assert f()"], "completion": False, "output": "\ud7ff\U0001f600"},
]
JSON_LINES: list[Any] = [
    '{"problem": "nan meta", "answer": "1", "x": NaN, "y": -Infinity, "solution": Infinity}',
    '{"problem": "nan", "answer": NaN}',
    '{"problem": "inf", "answer": Infinity, "x": -Infinity}',
    '{"problem": "big", "answer": 123456789012345678901234567890}',
    '{"problem": "huge", "answer": ' + "9" * 4301 + "}",
    '{"problem": "edge digits", "answer": ' + "9" * 4300 + "}",
    '{"problem": "overflow", "answer": 1e400}',
    '{"problem": "tiny", "answer": 1e-400}',
    # float answers that are no reference (`normalize.float_answer_held`): a NaN, an infinity, past 2**53
    '{"problem": "minus inf", "answer": -Infinity}',
    '{"problem": "past 2**53", "answer": 1.1805916207174113e+21}',
    '{"problem": "at 2**53", "answer": 9007199254740992.0}',
    '{"problem": "whole float", "answer": 42.0}',
    '{"question": "Pick one", "choices": ["alpha", "beta"], "answer": NaN}',
    '{"question": "Pick one", "choices": ["alpha", "beta"], "answer": 1e300}',
    '{"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": NaN}',
    '{"prompt": "def f", "tests": ["assert f(1) == 2"], "answer": Infinity}',
    # a missing cell as pandas or a spreadsheet writes it (`normalize.MISSING_ANSWERS`): missing under math only
    '{"problem": "na", "answer": "N/A"}',
    '{"problem": "na text", "answer": " #n/a ", "verifier": "exact"}',
    '{"problem": "nan text", "answer": "NaN", "verifier": "numeric"}',
    '{"problem": "dup", "answer": "1", "answer": "2"}',
    '{"problem": "dup", "problem": "dup keys", "answer": "2", "level": 1, "level": null}',
    '{"problem": "escaped \\u00e9 text", "answer": "1"}',
    '{"problem": "lone \\udc00 low", "answer": "1"}',
    '{"problem": "pair \\ud83d\\ude00", "answer": "1"}',
    '{"question": "choices \\ud800", "choices": ["a", "b"], "answer": 0}',
    '{"problem": "deep", "answer": "1", "x": ' + "[" * 99 + "]" * 99 + "}",
    '{"problem": "deeper", "answer": "1", "x": ' + "[" * 100 + "]" * 100 + "}",
    '{"problem": "brackets in text [[[[", "answer": "1", "x": "' + "[" * 120 + '"}',
    "[" * 5000 + "]" * 5000,
    '\ufeff{"problem": "bom", "answer": "1"}',
    "  \t ",
    "\x1c",
    "\u3000",
    '  {"problem": "padded", "answer": "1"}  \t',
    '{"problem": "ctrl \x01 char", "answer": "1"}',
    '{"problem": "trailing"} x',
    '"just a string"',
    "42",
    "null",
    '{"problem": "float forms", "answer": 2.5E+3, "a": -0.0, "b": 0.1, "c": 1.7976931348623157e308}',
    '{"problem": "int answer", "answer": -0}',
    b'{"problem": "bad utf8 \xc0\x80", "answer": "1"}',
    b'{"problem": "crlf", "answer": "1"}\r',
]


def _random_rows(n: int, seed: int) -> list[Any]:
    """Rows drawn from a small alphabet of keys and values, so that many shapes and collisions occur."""
    rnd = random.Random(seed)
    keys = [
        "problem",
        "question",
        "prompt",
        "answer",
        "answerKey",
        "solution",
        "id",
        "domain",
        "license",
        "level",
        "verifier",
        "choices",
        "options",
        "tests",
        "test_list",
    ]
    values: list[Any] = [None, "", " ", "a b", "7", 7, 1, 7.25, True, "<|x|>", "B", "beta", "\\boxed{2}", "math"]
    values += ["mcq", "code", ABCD, ["x", "y"], [], {"A": "x", "B": "y"}, ["assert f()"], ["", "y"]]
    rows: list[Any] = []
    for _ in range(n):
        row = {k: rnd.choice(values) for k in rnd.sample(keys, rnd.randint(1, 6))}
        if rnd.random() < 0.8:
            row[rnd.choice(["problem", "question", "prompt"])] = f"Question {rnd.randint(0, 50)} about things?"
        rows.append(row)
    return rows


def _lines(rows: list[Any]) -> list[str | bytes]:
    return [r if isinstance(r, str | bytes) else json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(rows)]


def _staged(path: Path, tmp: Path, source: SourceConfig, cfg: IngestConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    staged = stage_inputs(inputs_for([source.model_copy(update={"path": str(path)})]), cfg, tmp, set(), "b1")
    tasks = pl.concat([pl.read_parquet(p) for p in staged.task_parts()])
    quar = pl.concat([pl.read_parquet(p) for p in staged.quarantine_parts()])
    staged.discard()
    return tasks, quar


def _reference(path: Path, tmp: Path, source: SourceConfig, cfg: IngestConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every line through `json.loads`, every row through `normalize_record`."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(stage_mod, "fast_path_applies", lambda _source: False)
        m.setattr(readers_mod, "parse_jsonl_line", readers_mod.parse_json_line_exact)
        return _staged(path, tmp, source, cfg)


@pytest.mark.parametrize(
    "cfg",
    [
        IngestConfig(max_prompt_chars=250, batch_rows=37),
        IngestConfig(allow_template_tokens=True, extra_verifiers=["nope"]),
    ],
    ids=["small-batches", "template-tokens-allowed"],
)
def test_staging_equals_the_reference_path(write_jsonl: Callable[..., Path], tmp_path: Path, cfg: IngestConfig) -> None:
    rows = MCQ_ROWS + CODE_ROWS + META_ROWS + JSON_LINES + _random_rows(1500, 3)
    rows += [r for r in make_rows(800, 5, "e")]
    random.Random(7).shuffle(rows)
    path = write_jsonl("mixed.jsonl", _lines(rows))
    source = SourceConfig(name="s", path=str(path), license="CC-BY-4.0")
    fast_t, fast_q = _staged(path, tmp_path / "fast", source, cfg)
    ref_t, ref_q = _reference(path, tmp_path / "ref", source, cfg)
    assert ref_t.height > 500 and ref_q.height > 500  # both kinds of row are exercised
    for verifier in ("math", "mcq", "code"):  # every layout is staged
        assert ref_t.filter(pl.col("verifier") == verifier).height > 20
    assert fast_t.schema == ref_t.schema and fast_q.schema == ref_q.schema
    assert fast_t.to_dicts() == ref_t.to_dicts()
    assert fast_q.to_dicts() == ref_q.to_dicts()


def test_mcq_and_code_rows_take_the_bulk_path(
    write_jsonl: Callable[..., Path], tmp_path: Path, per_row_calls: list[int]
) -> None:
    """The bench's MCQ and code layouts never reach the per-row normaliser (the point of extending the bulk path)."""
    rows = [r for r in make_rows(400, 1, "m") if '"choices"' in r or '"tests"' in r]
    path = write_jsonl("shapes.jsonl", rows)
    staged = stage_inputs(inputs_for([SourceConfig(name="s", path=str(path))]), IngestConfig(), tmp_path / "s", set())
    tasks = pl.concat([pl.read_parquet(p) for p in staged.task_parts()])
    assert tasks.height == len(rows) > 50 and not per_row_calls
    assert set(tasks.get_column("verifier")) == {"mcq", "code"}


def test_a_failed_part_write_discards_the_staged_batch(
    write_jsonl: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are written on a worker thread: its error still reaches the caller, and no half batch stays."""
    path = write_jsonl("t.jsonl", [{"problem": f"q{i}", "answer": "1"} for i in range(100)])
    calls: list[int] = []
    original = stage_mod._PartWriter.write

    def failing(self: Any, rows: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        original(self, rows)

    monkeypatch.setattr(stage_mod._PartWriter, "write", failing)
    source = SourceConfig(name="s", path=str(path))
    with pytest.raises(OSError, match="No space left"):
        stage_inputs(inputs_for([source]), IngestConfig(batch_rows=10), tmp_path / "staging", set(), "b1")
    assert not (tmp_path / "staging" / "b1").exists()
    assert len(calls) == 3  # the run stopped at the failed write, it did not stage the rest


def test_parquet_mcq_and_code_rows_equal_the_reference_path(tmp_path: Path) -> None:
    """Parquet (and saved datasets) hand over real lists: their MCQ and code rows take the bulk path too."""
    rnd = random.Random(11)
    questions = ["Pick one", "   ", "Which? A. alpha B. beta C. gamma D. delta", "x" * 300, "<|im_end|>"]
    choice_sets = [ABCD, ["a", "", "c"], ["only"], ["B", "A"], ["1", "0"], [], ["<|x|>", "y"]]
    answers = [0, 1, 3, 4, -1, None]
    mcq = pl.DataFrame(
        {
            "question": [rnd.choice(questions) for _ in range(300)],
            "choices": [rnd.choice(choice_sets) for _ in range(300)],
            "answer": [rnd.choice(answers) for _ in range(300)],
            "level": [rnd.choice([None, 1, 2]) for _ in range(300)],
        },
        schema={"question": pl.String, "choices": pl.List(pl.String), "answer": pl.Int64, "level": pl.Int64},
    )
    code = pl.DataFrame(
        {
            "prompt": [rnd.choice(["def f", " ", "def g <|endoftext|>"]) for _ in range(200)],
            "tests": [
                rnd.choice([["assert f(1) == 2"], [], ["", " "], ["assert f()", "assert g()"]]) for _ in range(200)
            ],
            "solution": [rnd.choice([None, "so \\boxed{3}", "plain"]) for _ in range(200)],
        },
        schema={"prompt": pl.String, "tests": pl.List(pl.String), "solution": pl.String},
    )
    plain = pl.DataFrame(  # a float answer column (pandas' integers with a null): NaN, infinities, past 2**53
        {
            "problem": [f"What is {i} + 1?" for i in range(200)],
            "answer": [rnd.choice([7.0, 2.5, float("nan"), float("inf"), 2.0**70, 2.0**53, None]) for _ in range(200)],
        },
        schema={"problem": pl.String, "answer": pl.Float64},
    )
    cfg = IngestConfig(max_prompt_chars=250, batch_rows=64)
    for name, frame in (("mcq", mcq), ("code", code), ("plain", plain)):
        path = tmp_path / f"{name}.parquet"
        frame.write_parquet(path)
        source = SourceConfig(name="s", path=str(path))
        fast_t, fast_q = _staged(path, tmp_path / f"fast-{name}", source, cfg)
        ref_t, ref_q = _reference(path, tmp_path / f"ref-{name}", source, cfg)
        assert ref_t.height > 10 and ref_q.height > 10
        assert fast_t.to_dicts() == ref_t.to_dicts()
        assert fast_q.to_dicts() == ref_q.to_dicts()
