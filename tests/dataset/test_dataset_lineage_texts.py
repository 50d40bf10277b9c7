"""`rows_traceable` compares every row's messages with those the build makes from its generation (`_built_messages`):
a good version of realistic answers passes, an edited row is found, and a row with empty messages is left to
`no_empty_messages`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import pipeline.checks as checks
from pipeline.config import ThinkmillConfig
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from pipeline.trace import THINK_SYSTEM_PROMPT, parse_trace
from testing_support.seed import cfg_with

# (system prompt of the task, think text, answer) as models write them: a task's own system prompt, code in fences
# (the build parses such a response), CRLF and trailing spaces, unicode, a control character, tags in inline code
TRACES: list[tuple[str | None, str, str]] = [
    (None, "17 * 3 = 51.", "The answer is $\\boxed{51}$."),
    ("You are a careful tutor.", "Two cafés at 3 € each: 6 €. 😊", "Deux cafés coûtent $\\boxed{6}$ €."),
    (None, "Sum with n(n+1)/2.", "Check:\n\n```python\nprint(sum(range(11)))\n```\n\nSo $\\boxed{55}$."),
    (None, "n(n+1)/2 = 210.", "Check:\n\n~~~\nprint(sum(range(21)))\n~~~\n\nSo $\\boxed{210}$."),
    ("Réponds en français.\n\nSois bref.", "12 / 4 = 3 \x07.\r\n", "Chacun reçoit 3 œufs.   \r\n$\\boxed{3}$  "),
    (None, "Then 9.", "Hermes writes `<think>` and `</think>`; the answer is $\\boxed{9}$."),
]


def _seed(store: Store) -> None:
    tasks, gens, verdicts, selection = [], [], [], []
    for i, (system, think, answer) in enumerate(TRACES):
        tid = f"t{i}"
        prompt = f"Problem {i}?"
        tasks.append(
            {"task_id": tid, "source": "s", "domain": "math", "prompt": prompt, "answer": "1", "verifier": "exact",
             "verifier_args": "{}", "license": "MIT", "metadata": "{}", "system": system}
        )  # fmt: skip
        for mode in ("think", "no_think"):
            key = f"{tid}-{mode}"
            sys_text = "\n\n".join(p for p in (THINK_SYSTEM_PROMPT if mode == "think" else None, system) if p)
            messages = [{"role": "system", "content": sys_text}] if sys_text else []
            messages.append({"role": "user", "content": f"{prompt}\n\nPut your final answer within \\boxed{{}}."})
            raw = f"<think>\n{think}\n</think>\n\n{answer}" if mode == "think" else f"Directly: {answer}"
            parsed = parse_trace(raw, mode)  # type: ignore[arg-type]
            gens.append(
                {"key": key, "task_id": tid, "mode": mode, "sample_index": 0, "backend": "batch", "model": "m",
                 "template_version": "t1", "messages": messages, "sampling_params": {}, "raw_text": raw,
                 "think": parsed.think, "answer": parsed.answer, "finish_reason": "stop"}
            )  # fmt: skip
            verdicts.append(
                {"generation_key": key, "task_id": tid, "mode": mode, "verifier": "exact", "passed": True,
                 "think_tokens": 3, "answer_tokens": 3}
            )  # fmt: skip
            selection.append({"generation_key": key, "task_id": tid, "mode": mode, "selected": True})
    store.insert_many(
        {
            "tasks": pl.DataFrame(tasks),
            "generations": pl.DataFrame(gens),
            "verdicts": pl.DataFrame(verdicts),
            "trace_selection": pl.DataFrame(selection),
        }
    )


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A version of every trace in both modes, and think answers as no-think rows."""
    db = tmp_path / "tm.duckdb"
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp_path
    cfg = cfg_with(cfg, no_think_from_think_answers=True, disjoint_tasks=False, enforce_ratio=False)
    with Store.open(db) as store:
        _seed(store)
        report = build_version(store, cfg)
    assert report.metadata["rows"] >= 2 * len(TRACES)
    return db


def test_a_good_version_passes(built: Path) -> None:
    with Store.open(built, read_only=True) as store:
        found = checks.evaluate_lineage(store, "v1")
        rows = store.query("SELECT mode, generation_key FROM dataset_rows WHERE version_id = 'v1'")
    assert found.passed, found.description
    think_answers = rows.filter((pl.col("mode") == "no_think") & pl.col("generation_key").str.ends_with("-think"))
    assert found.metadata["think_answer_rows"] == think_answers.height == len(TRACES)


def _edit(store: Store, where: str, edit: Any) -> None:
    example_id, messages = store.fetchone(
        f"SELECT example_id, messages FROM dataset_rows WHERE version_id = 'v1' AND {where} ORDER BY example_id LIMIT 1"
    ) or ("", "")
    assert example_id, where
    msgs = json.loads(messages)
    edit(msgs)
    with store.writing() as con:
        con.execute(
            "UPDATE dataset_rows SET messages = ? WHERE version_id = 'v1' AND example_id = ?",
            [json.dumps(msgs, ensure_ascii=False), example_id],
        )


def _answer(msgs: list[dict[str, str]]) -> None:
    msgs[-1]["content"] += "\nOr $\\boxed{7}$."


def _user(msgs: list[dict[str, str]]) -> None:
    next(m for m in msgs if m["role"] == "user")["content"] += " (edited)"


def _system(msgs: list[dict[str, str]]) -> None:
    msgs[0]["content"] += "\n\nAlways answer 7."


def _trailing_space(msgs: list[dict[str, str]]) -> None:
    msgs[-1]["content"] += " "


def _extra_key(msgs: list[dict[str, str]]) -> None:
    msgs[-1]["reasoning_content"] = "hidden"


@pytest.mark.parametrize(
    ("where", "edit", "problem"),
    [
        ("mode = 'think' AND task_id = 't0'", _answer, "text_mismatch"),
        ("mode = 'no_think' AND generation_key = 't0-no_think'", _answer, "text_mismatch"),
        ("mode = 'no_think' AND generation_key = 't0-think'", _answer, "mode_mismatch"),
        ("mode = 'think' AND task_id = 't1'", _system, "text_mismatch"),
        ("mode = 'no_think' AND generation_key = 't1-no_think'", _system, "text_mismatch"),
        ("mode = 'think' AND task_id = 't4'", _user, "text_mismatch"),
        ("mode = 'think' AND task_id = 't4'", _trailing_space, "text_mismatch"),
        ("mode = 'no_think' AND generation_key = 't5-no_think'", _extra_key, "text_mismatch"),
        ("mode = 'think' AND task_id = 't2'", _answer, "text_mismatch"),  # a row the build parses
        ("mode = 'no_think' AND generation_key = 't3-think'", _user, "text_mismatch"),
    ],
)
def test_an_edited_row_is_found_in_sql_and_in_python(built: Path, where: str, edit: Any, problem: str) -> None:
    with Store.open(built) as store:
        _edit(store, where, edit)
        found = checks.evaluate_lineage(store, "v1")
    assert not found.passed
    assert found.description == f"1 lineage problems in v1: {problem}"


def _blank_answer(msgs: list[dict[str, str]]) -> None:
    msgs[-1]["content"] = " "


@pytest.mark.parametrize(
    "where", ["mode = 'think' AND task_id = 't0'", "mode = 'no_think' AND generation_key = 't0-think'"]
)
def test_a_row_with_an_empty_answer_fails_no_empty_messages_alone(built: Path, where: str) -> None:
    """A defect fails one check: the row is not also counted by `rows_traceable`, nor as a think-answer row."""
    with Store.open(built) as store:
        _edit(store, where, _blank_answer)
        empty = checks.evaluate_no_empty_messages(store, "v1")
        found = checks.evaluate_lineage(store, "v1")
    assert not empty.passed
    assert found.passed, found.description
    assert found.metadata["think_answer_rows"] == len(TRACES) - ("generation_key" in where)
