"""The `reasoning_gym` verifier: answer extraction, the dataset's own scorer, min_score, the 8 special datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import rgym
from pipeline.cli import main
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.reasoning_gym_source import task_records
from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item, judge
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.reasoning_gym import extract_answer


def _tasks(dataset: str, size: int = 3, seed: int = 0, **config: object) -> list[dict]:
    src = SourceConfig.model_validate({"name": "rg", "reasoning_gym": {
        "datasets": [dataset], "size": size, "seed": seed, "config": {dataset: config} if config else {}}})
    return list(task_records(src))


def _spec(row: dict) -> TaskSpec:
    return TaskSpec(row["task_id"], "reasoning_gym", row["answer"], row["verifier_args"], row["prompt"],
                    row["domain"])


def _judge(row: dict, text: str, cfg: VerifyConfig | None = None):  # type: ignore[no-untyped-def]
    cfg = cfg or VerifyConfig()
    return judge(Item(_spec(row), text, "no_think"), Registry(cfg), cfg)


@pytest.mark.parametrize(("text", "want"), [
    ("work... <answer> 42 </answer>", "42"),
    ("<answer>1</answer> then <answer>2</answer>", "2"),
    ("so \\boxed{7} and \\boxed{8}", "8"),
    ("<answer>x</answer> and \\boxed{9}", "x"),  # the answer block wins over boxed
    ("<answer>  </answer>", None),
    ("no final answer here", None),
])
def test_extract_answer(text: str, want: str | None) -> None:
    assert extract_answer(text) == want


def test_gold_passes_wrong_fails_score_stored() -> None:
    row = _tasks("basic_arithmetic", size=2, seed=4)[0]
    ok = _judge(row, f"<answer>{row['answer']}</answer>")
    assert (ok.passed, ok.reason, ok.score) == (True, None, 1.0)
    assert ok.verifier_version.startswith("reasoning_gym/1+")
    boxed = _judge(row, f"The result is \\boxed{{{row['answer']}}}.")
    assert boxed.passed
    bad = _judge(row, "<answer>-99999999</answer>")
    assert (bad.passed, bad.reason, bad.score) == (False, "reasoning_gym:mismatch", 0.0)
    none = _judge(row, "I think it is about forty.")
    assert (none.passed, none.reason) == (False, "reasoning_gym:no_answer")


def test_min_score_threshold() -> None:
    row = _tasks("rush_hour", size=1, seed=0)[0]
    text = "<answer>A+0</answer>"  # a well-formed move list that does not free the car: the scorer gives 0.01
    strict = _judge(row, text)
    assert (strict.passed, strict.reason, strict.score) == (False, "reasoning_gym:mismatch", 0.01)
    lenient = _judge(row, text, VerifyConfig.model_validate({"reasoning_gym": {"min_score": 0.01}}))
    assert (lenient.passed, lenient.score) == (True, 0.01)


def test_game_of_life_halting_checks_truth_value() -> None:
    # reasoning-gym's own scorer returns 1.0 for ANY non-empty answer (bool("False") is True)
    row = _tasks("game_of_life_halting", size=1)[0]
    ds = rgym.dataset("game_of_life_halting", {}, 0, 1)
    wrong = "True" if row["answer"] == "False" else "False"
    assert ds.score_answer(answer=wrong, entry=ds[0]) == 1.0
    assert _judge(row, f"<answer>{row['answer']}</answer>").passed
    assert _judge(row, f"<answer>{row['answer'].lower()}</answer>").passed
    assert _judge(row, f"<answer>{wrong}</answer>").reason == "reasoning_gym:mismatch"
    assert _judge(row, "<answer>maybe</answer>").reason == "reasoning_gym:mismatch"


def test_prime_factorization_invalid_answer() -> None:
    row = _tasks("prime_factorization", size=1)[0]
    assert _judge(row, f"<answer>{row['answer']}</answer>").passed
    v = _judge(row, "<answer>two times x</answer>")
    assert (v.passed, v.reason, v.score, v.error) == (False, "reasoning_gym:invalid_answer", 0.0, None)


@pytest.mark.parametrize("dataset", ["graph_color", "propositional_logic", "rubiks_cube"])
def test_many_solution_datasets_accept_their_example(dataset: str) -> None:
    row = _tasks(dataset, size=2, seed=1)[0]
    assert row["answer"] is not None  # the example solution, one of many
    assert _judge(row, f"<answer>{row['answer']}</answer>").passed
    assert not _judge(row, "<answer>nonsense</answer>").passed


def test_composite_scored_by_sub_dataset() -> None:
    rows = _tasks("composite", size=3, seed=2, datasets=[{"name": "basic_arithmetic", "weight": 1},
                                                         {"name": "game_of_life_halting", "weight": 1}])
    for row in rows:
        assert _judge(row, f"<answer>{row['answer']}</answer>").passed
        assert not _judge(row, "<answer>not it</answer>").passed


def test_tampered_or_broken_recipe() -> None:
    row = _tasks("acre", size=2)[0]
    args = dict(row["verifier_args"], question_hash="0" * 16)
    v = _judge({**row, "verifier_args": args}, f"<answer>{row['answer']}</answer>")
    assert v.reason == "reasoning_gym:entry_mismatch"
    for bad, msg in [({"index": "one"}, "verifier_args.index must be int"),
                     ({"dataset": "no_such"}, "unknown reasoning-gym dataset 'no_such'"),
                     ({"index": 5}, "index 5 outside 0..1")]:
        v = _judge({**row, "verifier_args": {**row["verifier_args"], **bad}}, "<answer>on</answer>")
        assert v.reason == "reasoning_gym:bad_args" and msg in v.error, v.error


def test_verify_cli_file_contract(tmp_path: Path) -> None:
    rows = _tasks("leg_counting", size=3, seed=5)
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    responses = [{"task_id": r["task_id"], "response_id": f"{i}", "text": f"<think>\ncount\n</think>\n<answer>"
                  f"{r['answer'] if i % 2 == 0 else int(r['answer']) + 1}</answer>"} for i, r in enumerate(rows)]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(main, ["verify", "--tasks", str(tmp_path / "t.jsonl"), "--responses",
                                    str(tmp_path / "r.jsonl"), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    got = [(v["passed"], v["reason"], v["score"]) for v in map(json.loads, out.read_text().splitlines())]
    assert got == [(True, None, 1.0), (False, "reasoning_gym:mismatch", 0.0), (True, None, 1.0)]


def test_request_suffix_asks_for_answer_block() -> None:
    from pipeline.generate.templates import user_content

    assert user_content("Q?", "reasoning_gym/acre").endswith("inside <answer> and </answer> tags.")
    assert user_content("Q?", "math").endswith("\\boxed{}.")
