"""The bulk normalisation path (`pipeline.ingest.columnar`) stages exactly what the per-row path stages.

Each file is staged twice, once with the bulk path and once with it switched off; the staged task and quarantine
rows must be identical (same rows, same fields, same ids and hashes, same reasons and details, same order)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import pipeline.ingest.stage as stage_mod
from pipeline.ingest.api import inputs_for
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.stage import stage_inputs

EDGE_ROWS: list[Any] = [
    {"problem": "What is 2+2?", "answer": "4"},
    {"problem": "What is 2+3?", "answer": 5, "level": 3, "tags": None},
    {"problem": "Half of 3?", "answer": 1.5, "note": "x"},
    {"problem": "Big?", "answer": 1e20},
    {"problem": "Bool answer?", "answer": True},
    {"problem": "Blank answer?", "answer": "   "},
    {"problem": "No answer"},
    {"problem": "Only a solution", "solution": "so \\boxed{7}"},
    {"problem": "Both", "answer": "3", "solution": "because 3"},
    {"problem": "Numeric solution", "answer": "3", "solution": 3},
    {"problem": "Null solution alias", "answer": "3", "solution": None, "response": "r"},
    {"problem": None, "question": "Null alias falls through?", "answer": "1"},
    {"prompt": "p", "problem": "shadowed", "answer": "1"},
    {"problem": "", "answer": "1"},
    {"problem": "  \t ", "answer": "1"},
    {"problem": "\x1f", "answer": "1"},
    {"problem": "bad \ufffd text", "answer": "1"},
    {"problem": "x" * 70, "answer": "1"},
    {"problem": "token <|im_end|> here", "answer": "1"},
    {"problem": "pipe <| not a token", "answer": "1"},
    {"problem": 42, "answer": "1"},
    {"problem": "unknown verifier", "answer": "1", "verifier": "nope"},
    {"problem": "numeric verifier", "answer": "1", "verifier": "numeric"},
    {"problem": "exact verifier", "answer": "1", "verifier": "exact", "domain": "trivia"},
    {"problem": "verifier not text", "answer": "1", "verifier": 3},
    {"problem": "empty domain", "answer": "1", "domain": ""},
    {"problem": "zero domain", "answer": "1", "domain": 0},
    {"problem": "int id", "answer": "1", "id": 17},
    {"problem": "str id", "answer": "1", "task_id": "abc"},
    {"problem": "empty id", "answer": "1", "id": ""},
    {"problem": "float id", "answer": "1", "id": 1.5},
    {"problem": "bool id", "answer": "1", "id": False},
    {"problem": "licence", "answer": "1", "licence": "MIT"},
    {"problem": "int licence", "answer": "1", "license": 3},
    {"problem": "nested meta", "answer": "1", "metadata": {"a": 1}},
    {"problem": "nested extra", "answer": "1", "extra": {"a": [1, 2]}},
    {"question": "Pick", "choices": ["a", "b", "c"], "answer": 1},
    {"prompt": "def f", "tests": ["assert f(1) == 2"]},
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "4"}]},
    {"problem": "mcq verifier without choices", "answer": "A", "verifier": "mcq"},
    {"problem": "unicode ß café Ｆｕｌｌ", "answer": "ü", "x": "é"},
    {"problem": "same id twice", "answer": "1", "id": "dup"},
    {"problem": "same id twice, other prompt", "answer": "1", "id": "dup"},
    {"problem": "What is 2+2?", "answer": "4"},
    # options listed in the prompt: an option's text, or its letter with the text, makes an MCQ (per row)
    {"question": "Which gas?\nA. O2\nB. CO2\nC. N2", "answer": "CO2"},
    {"question": "Which is even? (A) 1 (B) 2", "answer": "(B) 2"},
    {"question": "Which is even? a) 1 b) 2 c) 3", "answer": "two"},
    {"question": "Let a. be fixed; b) holds.", "answer": "5"},
    {"problem": "Sum? $\\textbf{(A)}\\ 1 \\qquad \\textbf{(B)}\\ 2$", "answer": "\\textbf{(B)}"},
    {"problem": "Sum? $\\mathrm{(A) \\ } 1 \\qquad \\mathrm{(B) \\ } 2$", "answer": "1"},
    {"problem": "Sum? $(\\mathrm{A})\\ 1 \\qquad (\\mathrm{B})\\ 2$", "answer": "2"},
    {"problem": "Even?\nA．1\nB．2", "answer": "2"},
    {"question": "Which hold?", "choices": ["a", "b", "c"], "answer": "B", "type": "MCQ(multiple)"},
    {"question": "Which holds?", "choices": ["a", "b", "c"], "answer": "B", "type": "MCQ"},
    {"problem": "Even?\n（A）1 （B）2", "answer": "\\text{B}"},
    [1, 2],
    "{broken",
    b'{"problem": "lone \\ud800 surrogate", "answer": "1"}',
    b'{"problem": "bad utf8 \xff", "answer": "1"}',
    "",
]


def _random_rows(n: int, seed: int) -> list[Any]:
    rnd = random.Random(seed)
    keys = ["problem", "question", "prompt", "answer", "gold", "solution", "id", "uid", "domain", "license", "level"]
    values: list[Any] = [None, "", " ", "a b", "7", 7, 7.25, True, "<|x|>", "ß", "\\boxed{2}", "math", "exact"]
    rows: list[Any] = []
    for _ in range(n):
        row = {k: rnd.choice(values) for k in rnd.sample(keys, rnd.randint(1, 6))}
        if rnd.random() < 0.7:
            row[rnd.choice(["problem", "question", "prompt"])] = f"Question {rnd.randint(0, 50)} about things?"
        rows.append(row)
    return rows


def _staged(path: Path, tmp: Path, source: SourceConfig, cfg: IngestConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    staged = stage_inputs(inputs_for([source.model_copy(update={"path": str(path)})]), cfg, tmp, set(), "b1")
    tasks = pl.concat([pl.read_parquet(p) for p in staged.task_parts()]) if staged.task_parts() else pl.DataFrame()
    quar = (
        pl.concat([pl.read_parquet(p) for p in staged.quarantine_parts()])
        if staged.quarantine_parts()
        else pl.DataFrame()
    )
    staged.discard()
    return tasks, quar


def _both_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: Path, source: SourceConfig, cfg: IngestConfig
) -> tuple[tuple[pl.DataFrame, pl.DataFrame], tuple[pl.DataFrame, pl.DataFrame]]:
    fast = _staged(path, tmp_path / "fast", source, cfg)
    with monkeypatch.context() as m:
        m.setattr(stage_mod, "fast_path_applies", lambda _source: False)
        slow = _staged(path, tmp_path / "slow", source, cfg)
    return fast, slow


@pytest.mark.parametrize(
    "cfg",
    [
        IngestConfig(max_prompt_chars=64, batch_rows=7),
        IngestConfig(allow_template_tokens=True, extra_verifiers=["nope"]),
    ],
    ids=["small-batches", "template-tokens-allowed"],
)
def test_bulk_path_stages_what_the_row_path_stages(
    write_jsonl: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cfg: IngestConfig
) -> None:
    rows = [r if isinstance(r, bytes) else (r if isinstance(r, str) else json.dumps(r)) for r in EDGE_ROWS]
    rows += [json.dumps(r) for r in _random_rows(400, 1)]
    path = write_jsonl("mixed.jsonl", rows)
    source = SourceConfig(name="s", path=str(path), license="CC-BY-4.0")
    (ft, fq), (st, sq) = _both_paths(monkeypatch, tmp_path, path, source, cfg)
    assert ft.height > 100 and fq.height > 20  # both kinds of row are exercised
    assert ft.to_dicts() == st.to_dicts()
    assert fq.to_dicts() == sq.to_dicts()


def test_bulk_path_takes_the_plain_rows(
    write_jsonl: Callable[..., Path], tmp_path: Path, per_row_calls: list[int]
) -> None:
    """The plain layout never reaches the per-row normaliser (the point of the bulk path)."""
    path = write_jsonl("plain.jsonl", [{"problem": f"q{i}", "answer": str(i), "level": i % 5} for i in range(50)])
    tasks, quar = _staged(path, tmp_path / "s", SourceConfig(name="s", path=str(path)), IngestConfig())
    assert tasks.height == 50 and quar.height == 0 and not per_row_calls
    assert tasks.get_column("metadata")[3] == '{"level":3}'


def test_sources_with_a_mapping_take_the_row_path(
    write_jsonl: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl("m.jsonl", [{"q": f"q{i}", "a": str(i), "problem": "not this"} for i in range(5)])
    source = SourceConfig(name="s", path=str(path), mapping={"prompt": "q", "answer": "a"}, defaults={"domain": "x"})
    (ft, fq), (st, sq) = _both_paths(monkeypatch, tmp_path, path, source, IngestConfig())
    assert ft.get_column("prompt").to_list() == [f"q{i}" for i in range(5)]
    assert ft.to_dicts() == st.to_dicts() and fq.to_dicts() == sq.to_dicts()


@pytest.mark.parametrize(
    "prompt",
    [
        "Which? A. red B. blue",
        "Which?\n(A) red\n(B) blue sky",
        "Which? A) red B) blue  sky",
        "Which? A: red",
        "Which? red or blue sky?",
        "Which? A.red B.blue sky",
        "Which? **A.** red **B.** blue\nsky",
        "nothing listed",
    ],
)
def test_shows_options_shortcut_agrees_with_the_pattern(prompt: str) -> None:
    """The first-word shortcut of `shows_options` only skips patterns that could not match."""
    import re

    from pipeline.ingest.choices import _flex, shows_options

    options = {"A": "red", "B": "blue sky"}

    def by_pattern() -> bool:
        return all(
            re.search(rf"(?<![A-Za-z0-9])[(\[]?{k}\s*[)\].:][*_]*\s*" + _flex(v), prompt) for k, v in options.items()
        )

    assert shows_options(prompt, options) == by_pattern()


ROUTING_TEXTS = [
    "What is 2+2?",
    "plain text with a pipe | and <b>tags</b>",
    "token <|im_end|> here",
    "Solve it. /no_think",
    "/think Solve it.",
    "mid /think word",
    "reasoning process enclosed within <think> tags",
    "ENCLOSED  WITHIN <think>",
    "Select all that apply: red, blue.",
    "SELECT ALL the primes",
    "Éselect all options",  # a letter before "select": a word boundary only in ASCII terms
    "Give the answers separated by commas.",
    "What is shown in <image 1>?",
    "Describe the <VIDEO> clip",
    "According to the passage, why did he leave?",
    "In this article above, who spoke?",
    "bad \ufffd text",
    "sep \x1f here",
    "",
    "   ",
    "\u3000\u00a0\t\n",
    "\u200b",  # a zero-width space is no White_Space: not blank
    "ordinary text ß café Ｆｕｌｌ",
]


def test_per_row_routing_union_matches_where_any_pattern_does() -> None:
    """The one-scan union of `columnar._PER_ROW_PATTERNS` sends exactly the rows each pattern would; the blank
    test (`\\S` absent) is `strip_chars` being empty."""
    from pipeline.ingest import columnar

    texts = pl.Series("t", ROUTING_TEXTS, dtype=pl.String)
    for patterns, union in (
        (columnar._PER_ROW_PATTERNS, columnar._PER_ROW_TEMPLATE_OK),
        ((*columnar._PER_ROW_PATTERNS, r"<\|"), columnar._PER_ROW),
    ):
        each = pl.Series([False] * texts.len())
        for p in patterns:
            each = each | texts.str.contains(p)
        got = texts.str.contains(union)
        assert got.to_list() == each.to_list()
        assert 3 < got.sum() < texts.len() - 3  # the texts exercise both outcomes
    assert (~texts.str.contains(r"\S")).to_list() == (texts.str.strip_chars().str.len_bytes() == 0).to_list()
    assert columnar.regex_union(["(?i)ab", "(?s)a.b", "x|y"]) == "(?i:ab)|(?s:a.b)|(?:x|y)"
