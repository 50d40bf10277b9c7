"""The `reasoning_gym` verifier: answer extraction, the dataset's own scorer, min_score, the 8 special datasets."""

from __future__ import annotations

import copy
import functools
import json
from decimal import localcontext
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
    """The first `size` tasks ingest makes of a reasoning-gym dataset, each a fresh copy: generated once per process
    for the same arguments (generation is deterministic; knight_swap's 15 take reasoning-gym ~10 s)."""
    return copy.deepcopy(_generated(dataset, size, seed, json.dumps(config, sort_keys=True)))


@functools.cache
def _generated(dataset: str, size: int, seed: int, config_json: str) -> list[dict]:
    config = json.loads(config_json)
    src = SourceConfig.model_validate(
        {
            "name": "rg",
            "reasoning_gym": {
                "datasets": [dataset],
                "size": size,
                "seed": seed,
                "config": {dataset: config} if config else {},
            },
        }
    )
    return list(task_records(src))


def _spec(row: dict) -> TaskSpec:
    return TaskSpec(row["task_id"], "reasoning_gym", row["answer"], row["verifier_args"], row["prompt"], row["domain"])


def _judge(row: dict, text: str, cfg: VerifyConfig | None = None):  # type: ignore[no-untyped-def]
    cfg = cfg or VerifyConfig()
    return judge(Item(_spec(row), text, "no_think"), Registry(cfg), cfg)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("work... <answer> 42 </answer>", "42"),
        ("<answer>1</answer> then <answer>2</answer>", "2"),
        ("so \\boxed{7} and \\boxed{8}", "8"),
        ("<answer>x</answer> and \\boxed{9}", "x"),  # the answer block wins over boxed
        ("<answer>  </answer>", ""),  # an empty answer is an answer (ab's gold can be the empty program)
        ("no final answer here", None),
    ],
)
def test_extract_answer(text: str, want: str | None) -> None:
    assert extract_answer(text) == want


def test_gold_passes_wrong_fails_score_stored() -> None:
    row = _tasks("basic_arithmetic", size=2, seed=4)[0]
    ok = _judge(row, f"<answer>{row['answer']}</answer>")
    assert (ok.passed, ok.reason, ok.score) == (True, None, 1.0)
    assert ok.verifier_version.startswith("reasoning_gym/12+")
    boxed = _judge(row, f"The result is \\boxed{{{row['answer']}}}.")
    assert boxed.passed
    bad = _judge(row, "<answer>-99999999</answer>")
    assert (bad.passed, bad.reason, bad.score) == (False, "reasoning_gym:mismatch", 0.0)
    none = _judge(row, "I think it is about forty.")
    assert (none.passed, none.reason) == (False, "reasoning_gym:no_answer")


def test_answer_committing_to_two_values_fails() -> None:
    """Two different answer blocks (or, without blocks, two different boxed values) are a hedge or a changed
    answer: not a clean training target even when the last one is right (version 2; version 1 scored the last)."""
    row = _tasks("basic_arithmetic", size=2, seed=4)[0]
    gold = row["answer"]
    for text in (
        f"<answer>-99999999</answer> or maybe <answer>{gold}</answer>",
        f"\\boxed{{-99999999}}, no wait: \\boxed{{{gold}}}",
    ):
        got = _judge(row, text)
        assert (got.passed, got.reason) == (False, "reasoning_gym:multiple_answers"), text
    assert _judge(row, f"<answer>{gold}</answer>\nSo: <answer> {gold} </answer>").passed  # the same value twice
    assert _judge(row, f"\\boxed{{-99999999}} is wrong. <answer>{gold}</answer>").passed  # the block is the answer


def test_empty_answer_block_is_scored() -> None:
    row = next(r for r in _tasks("ab", size=20, seed=0) if r["answer"] == "")
    assert _judge(row, "<answer></answer>").passed
    assert _judge(row, "<answer>A#</answer>").reason == "reasoning_gym:mismatch"


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
    rows = _tasks(
        "composite",
        size=3,
        seed=2,
        datasets=[{"name": "basic_arithmetic", "weight": 1}, {"name": "game_of_life_halting", "weight": 1}],
    )
    for row in rows:
        assert _judge(row, f"<answer>{row['answer']}</answer>").passed
        assert not _judge(row, "<answer>not it</answer>").passed


def test_tampered_or_broken_recipe() -> None:
    row = _tasks("acre", size=2)[0]
    args = dict(row["verifier_args"], question_hash="0" * 16)
    v = _judge({**row, "verifier_args": args}, f"<answer>{row['answer']}</answer>")
    assert v.reason == "reasoning_gym:entry_mismatch"
    for bad, msg in [
        ({"index": "one"}, "verifier_args.index must be int"),
        ({"dataset": "no_such"}, "unknown reasoning-gym dataset 'no_such'"),
        ({"index": 5}, "index 5 outside 0..1"),
    ]:
        v = _judge({**row, "verifier_args": {**row["verifier_args"], **bad}}, "<answer>on</answer>")
        assert v.reason == "reasoning_gym:bad_args" and msg in v.error, v.error


def test_verify_cli_file_contract(tmp_path: Path) -> None:
    rows = _tasks("leg_counting", size=3, seed=5)
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    responses = [
        {
            "task_id": r["task_id"],
            "response_id": f"{i}",
            "text": f"<think>\ncount\n</think>\n<answer>{r['answer'] if i % 2 == 0 else int(r['answer']) + 1}</answer>",
        }
        for i, r in enumerate(rows)
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(
        main,
        [
            "verify",
            "--tasks",
            str(tmp_path / "t.jsonl"),
            "--responses",
            str(tmp_path / "r.jsonl"),
            "--out",
            str(out),
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    got = [(v["passed"], v["reason"], v["score"]) for v in map(json.loads, out.read_text().splitlines())]
    assert got == [(True, None, 1.0), (False, "reasoning_gym:mismatch", 0.0), (True, None, 1.0)]


def test_request_suffix_asks_for_answer_block() -> None:
    from pipeline.generate.templates import user_content

    assert user_content("Q?", "reasoning_gym/acre").endswith("inside <answer> and </answer> tags.")
    assert user_content("Q?", "math").endswith("\\boxed{}.")


def test_hash_seed_dependent_dataset_scored_from_stored_entry() -> None:
    # ingest generated these with PYTHONHASHSEED=0; this process (and every verify worker) has another hash seed,
    # so regeneration gives other questions: the stored copy of the entry is scored instead
    rows = _tasks("ransom_note", size=4, seed=2)
    for row in rows:
        assert _judge(row, f"<answer>{row['answer']}</answer>").passed
        wrong = "False" if row["answer"] == "True" else "True"
        assert _judge(row, f"<answer>{wrong}</answer>").reason == "reasoning_gym:mismatch"


@pytest.mark.parametrize(("dataset", "reason"), [("acre", None), ("arc_agi", "reasoning_gym:entry_mismatch")])
def test_stored_entry_used_only_when_json_safe(dataset: str, reason: str | None) -> None:
    row = _tasks(dataset, size=1)[0]
    # a question that no longer regenerates (say, another library version), stored consistently with the prompt
    moved = {
        **row,
        "prompt": "an older question",
        "verifier_args": {**row["verifier_args"], "question_hash": rgym.question_hash("an older question")},
    }
    v = _judge(moved, f"<answer>{row['answer']}</answer>")
    assert (v.passed, v.reason) == (reason is None, reason)


def _exec_payload(marker: Path) -> str:
    code = f"open({str(marker)!r}, 'w').close()"
    return "exec(" + "+".join(f"chr({ord(c)})" for c in code) + ")"


@pytest.mark.parametrize(
    ("dataset", "payload"),
    [
        # sympy.parse_expr has exec and chr in scope
        ("simple_integration", "exec"),
        ("intermediate_integration", "exec"),
        ("polynomial_multiplication", "exec"),
        ("puzzle24", "exec"),
        ("countdown", "exec"),
        # plain eval() of a non-exact answer
        ("spiral_matrix", "import"),
        ("binary_matrix", "import"),
        ("string_insertion", "import"),
        ("n_queens", "import"),
    ],
)
def test_answers_that_would_run_code_never_reach_the_scorer(dataset: str, payload: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = _exec_payload(marker) if payload == "exec" else f"__import__('pathlib').Path({str(marker)!r}).touch()"
    row = _tasks(dataset, size=1)[0]
    v = _judge(row, f"<answer>{text}</answer>")
    assert (v.passed, v.reason, v.score) == (False, "reasoning_gym:unsafe_answer", 0.0)
    assert not marker.exists()


def test_unsafe_answer_rules_keep_real_answers() -> None:
    e: dict = {"answer": "x", "metadata": {}}
    for ok in [
        "x**2/2 + sin(x) + C",
        "-4*(-2*x - 8)**(3/2)/3 + C",
        "3*Integral(x**3*cos(3*x), x) + C",
        "-417560*y**5 + 295723*y**4",
        "2**100",
    ]:
        assert not rgym.unsafe_answer("simple_integration", ok, e), ok
    for bad in ["9**9**9", "x**(9**9)", "open(x)", "x.__class__", "lambda: 1", "'a'", "2**101", "id(x)"]:
        assert rgym.unsafe_answer("simple_integration", bad, e), bad
    assert not rgym.unsafe_answer("puzzle24", "(9 - 3) * (5 - 1)", e)
    assert rgym.unsafe_answer("puzzle24", "9**9**9**9", e)
    assert not rgym.unsafe_answer("spiral_matrix", "[1, 2, 3]", e)


def test_puzzle24_needs_the_puzzles_numbers_and_exactly_24() -> None:
    row = _tasks("puzzle24", size=1)[0]
    ds = rgym.dataset("puzzle24", {}, 0, 1)
    nums = ds[0]["metadata"]["numbers"]  # [1, 3, 5, 9] for seed 0
    assert sorted(nums) == [1, 3, 5, 9]
    # reasoning-gym's own scorer: other numbers pass, and int() truncates 24.5 to 24
    assert ds.score_answer(answer="4*8 - 6 - 2", entry=ds[0]) == 1.0
    assert ds.score_answer(answer="(9*5+4)/2", entry=ds[0]) == 1.0
    assert _judge(row, f"<answer>{row['answer']}</answer>").passed
    assert _judge(row, "<answer>4*8 - 6 - 2</answer>").reason == "reasoning_gym:mismatch"
    assert _judge(row, "<answer>(9*5+3)/2</answer>").reason == "reasoning_gym:mismatch"  # 24 but not its numbers
    assert _judge(row, "<answer>(9+1)*3 - 5</answer>").reason == "reasoning_gym:mismatch"  # its numbers, 25
    assert _judge(row, "<answer>9 / (3 - 3) + 5 + 1</answer>").reason == "reasoning_gym:mismatch"


def test_coin_flip_needs_the_probability_not_a_prefix_of_it() -> None:
    """reasoning-gym's coin_flip scorer credits the digits two numbers share from the left over the *shorter* one, so
    any prefix of the probability ("0" for 0.234375, "0.2") scores 1, and its absolute tolerance 1e-4 passes "0" for
    3.05e-05 (version 3)."""
    rows = _tasks("coin_flip", size=4, seed=3)
    golds = [r["answer"] for r in rows]
    assert golds == ["0.234375", "1", "0.003173828125", "3.051757812e-05"]
    ds = rgym.dataset("coin_flip", {}, 3, 4)
    assert ds.score_answer(answer="0", entry=ds[0]) == 1.0  # the library's own scorer
    assert ds.score_answer(answer="0", entry=ds[3]) == 1.0
    for i, wrong in [(0, "0"), (0, "0.2"), (0, "0.23"), (1, "10"), (2, "0"), (3, "0"), (3, "0.0001")]:
        got = _judge(rows[i], f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), (i, wrong)
        assert got.score is not None and got.score < 1.0
    for i, right in [
        (0, "0.234375"),
        (0, "15/64"),
        (0, "0.2344"),  # within the scorer's tolerance
        (1, "1.0"),
        (2, "13/4096"),
        (2, "0.0032"),
        (3, "1/32768"),
        (3, "0.0000305"),
    ]:
        assert _judge(rows[i], f"<answer>{right}</answer>").passed, (i, right)


def test_gsm_symbolic_needs_the_one_number_with_its_sign() -> None:
    """reasoning-gym's gsm_symbolic scorer reads the first number of the answer, and its leading `\\b` drops a minus
    sign: "-20" passed for 20, and so did "20 or 24" and "20/3" (version 3)."""
    row = _tasks("gsm_symbolic", size=1, seed=3)[0]
    assert row["answer"] == "20"
    ds = rgym.dataset("gsm_symbolic", {}, 3, 1)
    assert ds.score_answer(answer="-20", entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in ["-20", "20 or 24", "20/3", "20, or maybe 21", "21"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    assert _judge(row, "<answer>no idea</answer>").score == 0.0
    for right in ["20", "20.0", "20 bananas", "$20", "20 (20 bananas)"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


@pytest.mark.parametrize(("dataset", "sep", "index"), [("word_sorting", ", ", 0), ("letter_jumble", " ", 3)])
def test_the_right_words_followed_by_more_are_not_fully_right(dataset: str, sep: str, index: int) -> None:
    """word_sorting's and letter_jumble's scorers credit each of the gold's words found in its place, over the
    gold's length: the gold followed by more words ("a, b, c, d" for "a, b, c") scored 1 (version 3)."""
    row = _tasks(dataset, size=4, seed=3)[index]
    gold = row["answer"]
    ds = rgym.dataset(dataset, {}, 3, 4)
    assert ds.score_answer(answer=f"{gold}{sep}extra", entry=ds[index]) == 1.0  # the library's own scorer
    for wrong in [f"{gold}{sep}extra", f"{gold}{sep}{gold}"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
        assert 0 < got.score < 1
    assert _judge(row, f"<answer>{gold}</answer>").passed
    spaced = (sep.strip() + "  ").join(gold.split(sep))
    assert _judge(row, f"<answer>{spaced}</answer>").passed  # other spacing
    missing = sep.join(gold.split(sep)[:-1])
    assert _judge(row, f"<answer>{missing}</answer>").reason == "reasoning_gym:mismatch"


def test_spell_backward_more_letters_after_the_word_are_not_fully_right() -> None:
    """reasoning-gym's spell_backward scorer adds 1/n per letter in place and takes 0.2 off when the sum is 1.0 (the
    right letters followed by more); for a 9-letter word the float sum is 1.0000000000000002, so nothing came off and
    "ekilxesnu zzz" passed for "ekilxesnu" (version 3)."""
    row = _tasks("spell_backward", size=1, seed=11)[0]
    gold = row["answer"]
    assert len(gold) == 9
    ds = rgym.dataset("spell_backward", {}, 11, 1)
    assert ds.score_answer(answer=gold + " zzz", entry=ds[0]) > 1.0  # the library's own scorer
    for wrong in [gold + " zzz", gold + "s", f"{gold} ({gold[::-1]} backwards)"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.8), wrong
    assert _judge(row, f"<answer>{gold[:-1]}</answer>").score == pytest.approx(8 / 9)
    assert _judge(row, f"<answer>{gold}</answer>").passed
    assert _judge(row, f"<answer>{gold.upper()}</answer>").passed  # the library ignores case


def test_number_sorting_needs_the_prompts_numbers() -> None:
    """reasoning-gym's number_sorting scorer lets each number be off by up to 1, so a sorted list with a number
    miscopied (81.3 for 81.8) passed; the gold's numbers are the prompt's exactly (version 3)."""
    row = _tasks("number_sorting", size=1, seed=3)[0]
    gold = row["answer"]
    assert gold == "['-87.0', '-48.0', '-26.01', '-5.19', '19.0', '81.8']"
    ds = rgym.dataset("number_sorting", {}, 3, 1)
    miscopied = gold.replace("81.8", "81.3")
    assert ds.score_answer(answer=miscopied, entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [miscopied, gold.replace("-26.01", "-26.1"), gold.replace("'19.0', ", "")]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), wrong
    for right in [gold, '["-87.0", "-48.0", "-26.01", "-5.19", "19.0", "81.8"]', "[-87, -48, -26.01, -5.19, 19, 81.8]"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_decimal_arithmetic_needs_the_asked_significant_digits() -> None:
    """reasoning-gym's decimal_arithmetic scorer passes any value within 0.001 of the gold (10**-3 for 3 decimal places
    in the operands), though the prompt asks for 12 significant digits: "8.272" and "8.273" passed for 8.27243551523
    (version 4)."""
    rows = _tasks("decimal_arithmetic", size=37, seed=11)
    row = rows[0]
    assert row["answer"] == "8.27243551523"
    assert "a maximum of 12 significant digits" in row["prompt"]
    ds = rgym.dataset("decimal_arithmetic", {}, 11, 37)
    with localcontext():  # the library sets the thread's Decimal precision when it makes an item
        assert ds.score_answer(answer="8.273", entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in ["8.272", "8.273", "8.2724", "8.27243551", "8.27243551525", "-8.27243551523", "8.27243551523 or 8.3"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), wrong
    for right in ["8.27243551523", "8.272435515230", "8.27243551522", "8.272435515234", "8.27243551523\n"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    # the library computes the gold at 12 digits step by step: 0.667871266147, where the exact value of
    # 7.049/(4.218/0.671)/1.679 is 0.66787126614405...; both are a right answer to 12 significant digits
    row = rows[36]
    assert row["answer"] == "0.667871266147"
    for right in ["0.667871266147", "0.667871266144", "0.66787126614405"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    for wrong in ["0.6678712661", "0.667871266150", "0.667871266141"]:
        assert _judge(row, f"<answer>{wrong}</answer>").reason == "reasoning_gym:mismatch", wrong


def test_time_intervals_reads_the_whole_duration() -> None:
    """reasoning-gym's time_intervals scorer reads a day count from the answer's first word and a `D days, HH:MM`
    duration up to its second comma, so "99 days or 991", "99 or 100" and "90 days, 19:40:00, that is 90.82 days"
    passed; a clock time read its first three fields, so "02:58:00:99" passed for 02:58 (version 4)."""
    rows = _tasks("time_intervals", size=9, seed=11)
    assert [(rows[i]["answer"], rows[i]["verifier_args"]["entry"]["metadata"]["task_type"]) for i in (0, 3, 6, 8)] == [
        ("99 days", "date"),
        ("02:58", "time"),
        ("90 days, 19:40:00", "datetime"),
        ("67 days, 10:32", "datetime_tz"),
    ]
    ds = rgym.dataset("time_intervals", {}, 11, 9)
    assert ds.score_answer(answer="99 days or 991", entry=ds[0]) == 1.0  # the library's own scorer
    for i, wrong in [
        (0, "99 days or 991"),
        (0, "99 or 100"),
        (0, "99 days (or 100 counting both ends)"),
        (0, "99 days, 05:00"),
        (0, "100 days"),
        (3, "02:58:00:99"),
        (3, "02:59"),
        (6, "90 days, 19:40:00, that is 90.82 days"),
        (8, "67 days, 10:32, or 67 days, 10:33"),
    ]:
        got = _judge(rows[i], f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
        assert got.score is not None and got.score < 1.0
    for i, right in [
        (0, "99 days"),
        (0, "99"),
        (0, "99 days."),
        (0, "99 Days"),
        (3, "02:58"),
        (3, "2:58"),
        (3, "02:58:00"),
        (6, "90 days, 19:40:00"),
        (6, "90 days 19:40:00"),
        (8, "67 days, 10:32"),
        (8, "67 days, 10:32:00"),
    ]:
        assert _judge(rows[i], f"<answer>{right}</answer>").passed, (i, right)
    assert _judge(rows[0], "<answer>98 days</answer>").score == pytest.approx(0.99)  # the library's partial credit


def test_polynomial_equations_answer_is_only_numbers() -> None:
    """reasoning-gym's polynomial_equations scorer skips every comma-separated item that is not a number, so
    "-5.5625, 0.0, zzz" passed for "-5.5625, 0.0" (version 4)."""
    row = _tasks("polynomial_equations", size=2, seed=11)[1]
    assert row["answer"] == "-5.5625, 0.0"
    ds = rgym.dataset("polynomial_equations", {}, 11, 2)
    assert ds.score_answer(answer="-5.5625, 0.0, zzz", entry=ds[1]) == 1.0  # the library's own scorer
    for wrong in ["-5.5625, 0.0, zzz", "-5.5625, 0.0, or none", "-5.5625, 0.0,", "-5.5625, 0.0, x", "-5.5625, 1.0"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in ["-5.5625, 0.0", "-5.5625,0.0", "0.0, -5.5625", "-5.5625, 0", " -5.5625 , 0.0 "]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_polynomial_equations_takes_either_reading_of_the_rounding_rule() -> None:
    """The prompt asks to "Round all decimal values to 4 decimal places (rounding down when the 5th decimal place is 5
    or greater)", while the gold is Python's round(): a root of 0.53136893... answered 0.5313, as the prompt's words
    say, scored 0.9993 and failed. Each value may be the root rounded to nearest or cut after the 4th decimal (version
    5); one further off, or with a missing or extra root, still fails."""
    rows = _tasks("polynomial_equations", size=10, seed=11)
    assert rows[0]["answer"] == "-0.5314, 0.0, 0.5314"  # the roots are -0.53136893..., 0, 0.53136893...
    assert rows[8]["answer"] == "3.5455"  # 3.545454...
    assert "rounding down when the 5th decimal place is 5 or greater" in rows[0]["prompt"]
    ds = rgym.dataset("polynomial_equations", {}, 11, 10)
    assert ds.score_answer(answer="-0.5313, 0.0, 0.5313", entry=ds[0]) < 1.0  # the library's own scorer
    for i, right in [
        (0, "-0.5313, 0.0, 0.5313"),
        (0, "-0.5314, 0, 0.5313"),
        (0, "0.5313, -0.5313, 0.0"),
        (0, "-0.5314, 0.0, 0.5314"),
        (8, "3.5454"),
        (8, "3.5455"),
    ]:
        assert _judge(rows[i], f"<answer>{right}</answer>").passed, (i, right)
    for i, wrong in [
        (0, "-0.5312, 0.0, 0.5313"),
        (0, "-0.5315, 0.0, 0.5314"),
        (0, "-0.5313, 0.5313"),
        (0, "-0.5313, 0.0, 0.0, 0.5313"),
        (0, "-0.5313, 0.0, 0.5313, zzz"),
        (8, "3.5456"),
        (8, "3.5453"),
        (8, "3.5454, 3.5455"),
        (8, "3.54545"),
    ]:
        got = _judge(rows[i], f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), (i, wrong)


def test_polynomial_equations_gold_holds_every_real_root() -> None:
    """reasoning-gym keeps the roots sympy's solve() marks real, and a quartic's or higher polynomial's roots written
    with I have `is_real` None: for -n**4 + 74*n**3 + 85*n**2 - 2*n = 0 the gold was "0.0", so "0.0" passed and the
    four real roots failed. The task's answer and the verifier's gold are the polynomial's real roots (version 5)."""
    config = {"min_degree": 1, "max_degree": 4, "max_terms": 5}
    row = _tasks("polynomial_equations", size=1, seed=16, **config)[0]
    ds = rgym.dataset("polynomial_equations", config, 16, 1)
    assert ds[0]["answer"] == "0.0"  # the library's
    assert "-n**4 + 74*n**3 + 85*n**2 - 2*n = 0" in row["prompt"]
    assert row["answer"] == "-1.1541, 0.0, 0.0231, 75.131"
    for right in [row["answer"], "-1.1540, 0.0, 0.0230, 75.1310"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    for wrong in ["0.0", "0", "-1.1541, 0.0, 0.0231"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong


def test_fraction_simplification_answer_is_one_fraction() -> None:
    """reasoning-gym's fraction_simplification scorer matches a LaTeX fraction at the start of the answer and skips the
    rest, so "$\\frac{131}{319}$ or $\\frac{1}{2}$" and "\\frac{131}{319} = 0.41" passed for 131/319 (version 5)."""
    row = _tasks("fraction_simplification", size=1, seed=5)[0]
    assert row["answer"] == "$\\frac{131}{319}$"
    ds = rgym.dataset("fraction_simplification", {}, 5, 1)
    assert ds.score_answer(answer="$\\frac{131}{319}$ or $\\frac{1}{2}$", entry=ds[0]) == 1.0  # the library's own
    for wrong in [
        "$\\frac{131}{319}$ or $\\frac{1}{2}$",
        "\\frac{131}{319} = 0.41",
        "\\frac{131}{319}, \\frac{12445}{30305}",
        "$\\frac{131}{319}$ (not $\\frac{1}{2}$)",
        "\\frac{131}{319}\nzzz",
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [
        row["answer"],
        "\\frac{131}{319}",
        "$\\dfrac{131}{319}$",
        "\\frac{ 131 }{ 319 }",
        "131/319",
        "131 / 319",
        "$131/319$",
        "$\\frac{131}{319}$.",
    ]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_advanced_geometry_orthocenter_is_one_point() -> None:
    """reasoning-gym's orthocenter scorer reads the answer's first two comma-separated fields and skips the rest, so
    "(4.051, -5.487), or (1.000, 2.000)" passed for (4.051, -5.487) (version 5)."""
    row = _tasks("advanced_geometry", size=1, seed=1)[0]
    assert row["answer"] == "(4.051, -5.487)"
    ds = rgym.dataset("advanced_geometry", {}, 1, 1)
    assert ds.score_answer(answer="(4.051, -5.487), or (1.000, 2.000)", entry=ds[0]) == 1.0  # the library's own
    for wrong in [
        "(4.051, -5.487), or (1.000, 2.000)",
        "(4.051, -5.487), (4.051, -5.487)",
        "(4.051, -5.487), that is (158/39, -214/39)",
        "(4.051, -5.4870, 1)",
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [row["answer"], "(4.051,-5.487)", "4.051, -5.487", "( 4.051 , -5.487 )", "(4.0513, -5.4872)"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_pool_matrix_needs_two_correct_decimals() -> None:
    """reasoning-gym's pool_matrix scorer compares with np.allclose(rtol=1e-2) and reads the answer with np.loadtxt,
    which drops a `#` comment, though the prompt asks for elements "correct to 2 decimal places": 5.27 passed for
    5.2222..., and so did a row followed by "# or 6.68" (version 5)."""
    row = _tasks("pool_matrix", size=1, seed=5)[0]
    gold = row["answer"]
    assert gold == "3.0 5.22 6.67\n4.67 3.67 2.67"  # average pooling: 47/9 = 5.2222..., 60/9 = 6.6666...
    ds = rgym.dataset("pool_matrix", {}, 5, 1)
    assert ds.score_answer(answer=gold.replace("5.22", "5.27"), entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [
        gold.replace("5.22", "5.27"),
        gold.replace("6.67", "6.7"),
        gold.replace("6.67", "6.66"),
        gold.replace("6.67", "6.67 # or 6.68"),
        gold.replace("\n", " "),
        gold + "\n1 2 3",
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [
        gold,
        "3.00 5.22 6.67\n4.67 3.67 2.67",
        "3 5.22 6.67\n4.67 3.67 2.67",
        "3.0 5.2222 6.6667\n4.6667 3.6667 2.6667",
        "3.0  5.22 6.67 \n\n4.67 3.67 2.67\n",
    ]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_figlet_font_long_word_needs_every_letter() -> None:
    """reasoning-gym's figlet_font scorer gives 0.1 per letter in place, capped at 1.0, so for a word of 10 letters or
    more (the curriculum's levels reach 30) an answer with 10 letters in place passed: "OBJECTIVATZZ" and
    "OBJECTIVATES" for OBJECTIVATE (version 5)."""
    config = {"min_word_len": 10, "max_word_len": 12}
    row = _tasks("figlet_font", size=1, seed=5, **config)[0]
    assert row["answer"] == "OBJECTIVATE"
    ds = rgym.dataset("figlet_font", config, 5, 1)
    assert ds.score_answer(answer="OBJECTIVATZZ", entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in ["OBJECTIVATZZ", "OBJECTIVATES", "OBJECTIVATEOBJECTIVATE", "OBJECTIVATA"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
        assert got.score is not None and 0 < got.score < 1.0
    for right in ["OBJECTIVATE", "objectivate", "O B J E C T I V A T E"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_knights_knaves_answer_is_only_the_assignment() -> None:
    """reasoning-gym's knights_knaves scorer reads name-role pairs and skips every other word, so "not Liam is a
    pioneer, and Ella is a laggard." and the assignment followed by an explanation passed (version 4)."""
    row = _tasks("knights_knaves", size=1, seed=11)[0]
    gold = row["answer"]
    assert gold == "Liam is a pioneer, and Ella is a laggard."
    ds = rgym.dataset("knights_knaves", {}, 11, 1)
    assert ds.score_answer(answer="not " + gold, entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [
        "not " + gold,
        "Liam is a pioneer, and Ella is a laggard (Liam tells the truth)",
        "Liam is a pioneer, and Ella is maybe a laggard.",
        "Liam is a pioneer, and Ella is a laggard or a pioneer",
        "Liam is a laggard, and Ella is a laggard.",
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [
        gold,
        "Liam is a pioneer and Ella is a laggard",
        "ella is a laggard, liam is a pioneer",
        "Liam is a Pioneer, Ella is a Laggard",
    ]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


@pytest.mark.parametrize(
    ("dataset", "junk", "right"),
    [
        (
            "sokoban",
            ["{g} zzz", "The moves: {g}", "{g} (pushes the boxes onto the goals)"],
            ["{g}", "{spaced}"],
        ),
        (
            "quantum_lock",
            ["{g} zzz", "{g} (this is the shortest)", "{g}, then done"],
            ["{g}", "{arrows}", "{commas}"],
        ),
        ("kakurasu", ["{labelled}", "{g}\nzzz"], ["{g}", "{g}\n"]),
        ("survo", ["{g}\nzzz", "{labelled}", "{g}\nThe numbers 1, 5, 3, 8, 7 are used once."], ["{g}", "{g}\n"]),
        ("tower_of_hanoi", ["zzz{g}", "{numbered}", "{g}\nDone"], ["{g}", "{g}\n"]),
    ],
)
def test_puzzle_answer_is_only_the_solution(dataset: str, junk: list[str], right: list[str]) -> None:
    """These scorers read the moves, buttons or grid cells they recognise and skip the rest, so junk or an explanation
    around the gold solution passed (and the stored row kept it): such an answer fails (version 4)."""
    row = _tasks(dataset, size=1, seed=11)[0]
    gold = row["answer"]
    lines = gold.split("\n")
    forms = {
        "g": gold,
        "spaced": " ".join(gold),
        "arrows": gold.replace(" → ", "->"),
        "commas": gold.replace(" → ", ", "),
        "labelled": "\n".join(f"{line} (a row)" for line in lines),
        "numbered": "\n".join(f"{i + 1}.{line}" for i, line in enumerate(lines)),
    }
    ds = rgym.dataset(dataset, {}, 11, 1)
    assert ds.score_answer(answer=junk[0].format(**forms), entry=ds[0]) == 1.0  # the library's own scorer
    for text in junk:
        got = _judge(row, f"<answer>{text.format(**forms)}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), text
    for text in right:
        assert _judge(row, f"<answer>{text.format(**forms)}</answer>").passed, text


def test_countdown_needs_the_exact_target() -> None:
    """reasoning-gym's countdown scorer compares the value with np.isclose (relative tolerance 1e-5), so for a target of
    1490 an expression of the puzzle's numbers worth 1489.988 passed; thinkmill scores it as puzzle24 (version 4)."""
    config = {"min_target": 1000, "max_target": 9999, "max_numbers": 4}
    row = _tasks("countdown", size=4, seed=11, **config)[3]
    meta = row["verifier_args"]["entry"]["metadata"]
    assert (sorted(meta["numbers"]), meta["target"]) == ([21, 71, 85, 86], 1490)
    ds = rgym.dataset("countdown", config, 11, 4)
    near = "71 * 21 - 86 / 85"  # 1489.988...
    assert ds.score_answer(answer=near, entry=ds[3]) == 1.0  # the library's own scorer
    for wrong in [near, "71 * 21 - 85 / 86", "71 * 21 - 86 + 85 + 1", "71 * 21 - 85 + 86"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), wrong
    for right in [row["answer"], "21*71 - 86 + 85", "(21 * 71) + (85 - 86)"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    assert _judge(row, "<answer>71 * 21 - 86 / (85 - 85)</answer>").reason == "reasoning_gym:mismatch"


def test_time_intervals_millisecond_gold_is_the_exact_difference() -> None:
    """reasoning-gym computes a `time_ms` item's answer through a float and truncates it, so about half of them are
    1 ms short: 09:43:58.821 -> 22:11:11.690 has the answer 12:27:12.868, though the difference is 12:27:12.869. The
    right answer failed and the one a millisecond off passed. The task's answer and the verifier's gold are the
    exact difference of the item's two times (its question is unchanged)."""
    rows = _tasks("time_intervals", size=6, seed=11)
    ds = rgym.dataset("time_intervals", {}, 11, 6)
    assert ds[2]["answer"] == "12:27:12.868"  # the library's
    assert rows[2]["answer"] == "12:27:12.869"
    assert rows[5]["answer"] == ds[5]["answer"] == "03:47:43.457"  # exact already: unchanged
    right = _judge(rows[2], "<answer>12:27:12.869</answer>")
    assert (right.passed, right.score) == (True, 1.0)
    assert _judge(rows[2], "<answer>12:27:12.868</answer>").passed is False
    stored = {**rows[2], "verifier_args": {**rows[2]["verifier_args"]}}
    stored["verifier_args"]["entry"] = {**stored["verifier_args"]["entry"], "answer": "12:27:12.868"}
    assert _judge({**stored, "answer": "12:27:12.868"}, "<answer>12:27:12.869</answer>").passed  # ingested before


def test_generating_an_item_leaves_the_threads_decimal_precision() -> None:
    """reasoning-gym's decimal_arithmetic sets the thread's Decimal precision to 12 digits when it makes an item: in a
    verify worker that then judged other tasks, `math`'s unit conversion rounded a 16-digit number to 12 digits."""
    from decimal import Decimal, getcontext

    before = getcontext().prec
    rgym.entry(rgym.Recipe("decimal_arithmetic", 11, 5, 3, {}))
    assert getcontext().prec == before
    assert format(Decimal("1234567890123456").scaleb(3), "f") == "1234567890123456000"


def test_game_of_life_answer_is_the_grids_shape() -> None:
    """reasoning-gym's game_of_life scorer counts the gold's cells found in the answer and ignores any cell beyond
    them, so the gold grid with a row appended, or a cell added to every row, scored 1.0 (version 6)."""
    row = _tasks("game_of_life", size=6, seed=5)[0]
    gold = json.loads(row["answer"])
    assert (len(gold), len(gold[0])) == (10, 10)
    ds = rgym.dataset("game_of_life", {}, 5, 6)
    longer = json.dumps([*gold, [1] * 10])
    assert ds.score_answer(answer=longer, entry=ds[0]) == 1.0  # the library's own scorer
    flipped = [r[:] for r in gold]
    flipped[0][0] = 1 - flipped[0][0]
    for wrong in [[*gold, [1] * 10], [[*r, 1] for r in gold], gold[:-1], flipped, [gold]]:
        got = _judge(row, f"<answer>{json.dumps(wrong)}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
        assert got.score is not None and got.score < 1.0
    pretty = "[\n" + ",\n".join(" " + json.dumps(r) for r in gold) + "\n]"
    for right in [row["answer"], json.dumps(gold), pretty]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_cryptarithm_each_letter_mapped_once() -> None:
    """reasoning-gym's cryptarithm scorer reads the mapping into a dict, so a letter given twice kept its last value:
    "E=1," before the solution scored 1.0 (version 6)."""
    row = _tasks("cryptarithm", size=6, seed=5)[0]
    gold = row["answer"]
    assert gold == "E=6,F=3,J=8,L=1,T=9,U=0,V=5,Z=4"
    ds = rgym.dataset("cryptarithm", {}, 5, 6)
    assert ds.score_answer(answer="E=1," + gold, entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [
        "E=1," + gold,
        gold + ",E=1",
        gold.replace("E=6,", ""),  # a letter missing
        gold.replace("F=3", "F=6"),  # two letters to one digit
        gold + ",A=2",  # a letter the puzzle has not
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [gold, "E = 6, F = 3, J = 8, L = 1, T = 9, U = 0, V = 5, Z = 4", "Z=4,V=5,U=0,T=9,L=1,J=8,F=3,E=6"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_advanced_geometry_radius_and_angle_by_value_at_the_asked_decimals() -> None:
    """reasoning-gym's incircle_radius scorer passes only the gold's exact text ("1.1860" and "0.98" scored 0.01 for
    1.186 and 0.980), and its angle_measure scorer compares values rounded to 2 decimals though the prompt asks for 3,
    so "16.913" passed for 16.90927...: each is compared by value, at the 3 decimals the prompt asks (version 6)."""
    rows = _tasks("advanced_geometry", size=6, seed=5)
    radius, angle, radius0 = rows[2], rows[0], rows[4]
    assert (radius["answer"], angle["answer"], radius0["answer"]) == ("1.186", "16.91°", "0.642")
    assert "Round decimal answers to 3 decimal places" in radius["prompt"]
    ds = rgym.dataset("advanced_geometry", {}, 5, 6)
    assert ds.score_answer(answer="1.1860", entry=ds[2]) < 1.0  # the library's own scorer
    assert ds.score_answer(answer="16.913°", entry=ds[0]) == 1.0
    for right in ["1.186", "1.1860", "1.1865", "1.18646"]:
        assert _judge(radius, f"<answer>{right}</answer>").passed, right
    for wrong in ["1.187", "1.185", "1.19", "1.186°", "1.186 or 1.187", "1.1859"]:
        got = _judge(radius, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    assert _judge(radius0, "<answer>0.6420</answer>").passed
    for right in ["16.91°", "16.91", "16.909°", "16.9093°", "16.910°", "16.909 degrees", "16.909^\\circ"]:
        assert _judge(angle, f"<answer>{right}</answer>").passed, right
    for wrong in ["16.913°", "16.905°", "16.9149°", "16.9°", "16.91° or 16.92°", "163.09°"]:
        got = _judge(angle, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong


def test_number_format_needs_the_candidate_itself() -> None:
    """reasoning-gym's number_format scorer passes any value within 0.01 of the solution, though the candidates have 3
    decimals and two of them can be nearer than that: for the smallest of 837864158.819 and 837864158.821 the other
    candidate passed, and so did "837864158.82" (version 6)."""
    row = _tasks("number_format", size=417, seed=0)[416]
    meta = row["verifier_args"]["entry"]["metadata"]
    assert (row["answer"], meta["size"]) == ("837864158.819", "smallest")
    assert "837,864,158.821" in row["prompt"]
    ds = rgym.dataset("number_format", {}, 0, 417)
    assert ds.score_answer(answer="837,864,158.821", entry=ds[416]) == 1.0  # the library's own scorer
    for wrong in ["837,864,158.821", "837864158.821", "837864158.82", "837864158.81", "8.3786415882e+08"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in ["837864158.819", "837,864,158.819", "8.378641588190000e+08", "837864158.8190"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_integration_answer_is_not_the_unevaluated_integral() -> None:
    """reasoning-gym's integration scorers pass an answer whose derivative is the integrand, and sympy's `Integral`
    is one: `Integral(<the integrand>, x) + C`, the question restated, passed. intermediate_integration builds its
    sin/cos factors as undefined functions named sin and cos, so sympy could not integrate them and about 1 gold in 9
    was that unevaluated integral (`3*Integral(x**3*cos(3*x), x) + C`); the task's answer and the verifier's gold are
    now the antiderivative (version 6)."""
    rows = _tasks("intermediate_integration", size=11, seed=0)
    ds = rgym.dataset("intermediate_integration", {}, 0, 11)
    assert ds[5]["answer"] == "3*Integral(x**3*cos(3*x), x) + C"  # the library's
    assert ds.score_answer(answer=ds[5]["answer"], entry=ds[5]) == 1.0  # the library's own scorer
    row = rows[5]
    assert row["answer"] == "x**3*sin(3*x) + x**2*cos(3*x) - 2*x*sin(3*x)/3 - 2*cos(3*x)/9 + C"
    for wrong in [
        "3*Integral(x**3*cos(3*x), x) + C",
        "Integral(3*x**3*cos(3*x), x)",
        "Integral(3*x**3*cos(3*x), x) + C",
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), wrong
    for right in [row["answer"], "x**3*sin(3*x) + x**2*cos(3*x) - 2*x*sin(3*x)/3 - 2*cos(3*x)/9"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    simple = _tasks("simple_integration", size=1, seed=3)[0]
    integrand = simple["verifier_args"]["entry"]["metadata"]["integrand"]
    assert _judge(simple, f"<answer>{simple['answer']}</answer>").passed
    got = _judge(simple, f"<answer>Integral({integrand}, x) + C</answer>")
    assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch")


def test_palindrome_partitioning_lists_each_partition_once() -> None:
    """reasoning-gym's palindrome_partitioning scorer compares sets, so the gold list with a partition repeated scored
    1.0: the answer lists each partition once (version 7)."""
    row = _tasks("palindrome_partitioning", size=2, seed=3)[0]
    gold = json.loads(row["answer"])
    assert len(gold) == 6
    ds = rgym.dataset("palindrome_partitioning", {}, 3, 2)
    assert ds.score_answer(answer=json.dumps([*gold, gold[0]]), entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [[*gold, gold[0]], [gold[0], *gold], gold + gold, gold[1:], [*gold[1:], gold[1]]]:
        got = _judge(row, f"<answer>{json.dumps(wrong)}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [row["answer"], json.dumps(gold[::-1]), json.dumps(gold, indent=1)]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


def test_game_of_life_cells_are_0_and_1() -> None:
    """The prompt asks for 0 and 1 cells: JSON true/false (and 1.0) passed, True == 1 in Python (version 7)."""
    row = _tasks("game_of_life", size=6, seed=5)[0]
    gold = json.loads(row["answer"])
    for wrong in [[[bool(c) for c in r] for r in gold], [[float(c) for c in r] for r in gold]]:
        got = _judge(row, f"<answer>{json.dumps(wrong)}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    assert _judge(row, f"<answer>{json.dumps(gold)}</answer>").passed


def test_power_function_prompt_read_two_ways_fails() -> None:
    """A task stored before ingest quarantined it (`ambiguous_prompt`): "Compute -524.0707^-8" reads as -(524.0707^-8)
    as well as the gold's pow(-524.0707, -8), so neither answer makes a right row (version 7)."""
    src = SourceConfig.model_validate({"name": "rg", "reasoning_gym": {"datasets": ["power_function"], "size": 20}})
    e = rgym.entry(rgym.Recipe("power_function", 0, 20, 3, {}))
    assert "Compute -524.0707^-8." in e["question"]
    row = {
        "task_id": "rg/power_function/s0-n20/3",
        "prompt": e["question"],
        "answer": e["answer"],
        "domain": "reasoning_gym/power_function",
        "verifier_args": {
            **rgym.Recipe("power_function", 0, 20, 3, {}).to_args(),
            "question_hash": rgym.question_hash(e["question"]),
        },
    }
    assert src.reasoning_gym is not None and 3 not in {int(t["task_id"].rsplit("/", 1)[1]) for t in task_records(src)}
    for answer in ["1.76e-22", "-1.76e-22"]:
        got = _judge(row, f"<answer>{answer}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:ambiguous_prompt"), answer
    one_reading = _tasks("power_function", size=20)  # a positive base or an odd exponent: scored as before
    assert len(one_reading) == 13
    assert all(_judge(t, f"<answer>{t['answer']}</answer>").passed for t in one_reading)


@pytest.mark.parametrize(
    ("dataset", "right", "wrong"),
    [
        ("aiw", ["6.", "$6$", "**6**", "6"], ["6.5", "$7$", "6 or 7", "-6", "16", "6 colleagues"]),
        ("basic_arithmetic", ["106,475,279,601", "106475279601."], ["106,475,279,60", "1,06475279601", "106475279602"]),
        ("simple_equations", ["m = 62", "m=62.", "62"], ["x = 62", "m = 63", "m = 62 or 63"]),
        ("course_schedule", ["false", "FALSE.", "False"], ["True", "no", "false, true"]),
        ("syllogism", ["yes", "Yes."], ["No", "yes, no"]),
    ],
)
def test_exact_match_scorer_takes_the_gold_written_the_natural_way(
    dataset: str, right: list[str], wrong: list[str]
) -> None:
    """reasoning-gym's default scorer passes only the gold's text, so "6." or "$6$" for 6, "m = 62" for "Solve for m",
    "false" for False scored below 1 (a right answer refused); now a number's full stop, `$...$`, `**...**`, digit
    groups, the asked variable, and a true/false or yes/no in any case pass (version 7)."""
    row = _tasks(dataset, size=3)[0]
    for r in right:
        assert _judge(row, f"<answer>{r}</answer>").passed, (row["answer"], r)
    for w in wrong:
        got = _judge(row, f"<answer>{w}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), (row["answer"], w)


def test_exact_match_scorer_keeps_text_answers_exact() -> None:
    """A full stop is part of a text answer (bf's output, a transformed string): only a number's or a truth value's is
    set aside."""
    for dataset in ["bf", "string_manipulation"]:
        row = _tasks(dataset, size=3)[0]
        got = _judge(row, f"<answer>{row['answer']}.</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), dataset


def test_caesar_cipher_takes_the_full_stop_its_prompt_ends_the_cipher_text_with() -> None:
    """caesar_cipher's prompt ends the cipher text with a full stop ("Decrypt this Caesar cipher text: ZMC ...
    BKNRDC. Provide only ..."), its gold has none: a faithful decryption with the full stop scored 0.97 and failed
    (version 9). Another mark after it, or a word more, still fails."""
    row = _tasks("caesar_cipher", size=3)[0]
    assert row["answer"][-1].isalpha()
    assert _judge(row, f"<answer>{row['answer']}.</answer>").passed
    for wrong in (f"{row['answer']}!", f"{row['answer']}. OK", f"{row['answer']}..", f"{row['answer'][:-1]}."):
        assert not _judge(row, f"<answer>{wrong}</answer>").passed, wrong


def test_codeio_json_values_of_the_golds_types() -> None:
    """reasoning-gym's codeio scorer compares parsed JSON with == (True == 1) and else by a tree whose labels are the
    values' text ("35" and 35, "None" and null read the same), so a value of another type scored 1.0; and a list or
    number not written as the gold's text scored 0 (`[[2,3,1],[3,1,2]]`, `5.0` for 5). Only the gold's JSON value
    scores 1, a number by its value (version 8)."""
    rows = _tasks("codeio", size=40)
    assert json.loads(rows[13]["answer"]) == {"gain": 32.47691667473365, "grating_lobes_visible": True}
    ds = rgym.dataset("codeio", {}, 0, 40)
    wrong = '{"gain": 32.47691667473365, "grating_lobes_visible": 1}'
    assert ds.score_answer(answer=wrong, entry=ds[13]) == 1.0  # the library's own scorer
    cases = {
        13: (['{"gain":32.47691667473365,"grating_lobes_visible":true}'], [wrong]),
        12: (['{"N": 35}', '{"N": 35.0}'], ['{"N": "35"}', '{"N": 36, "N": 35}']),
        20: (
            ['{"safe_states": null, "system_state": "unsafe"}'],
            ['{"safe_states": "None", "system_state": "unsafe"}'],
        ),
        27: (
            ['{"is_harmonic_series": false, "harmonic_mean": 4.101646396008961}'],
            ['{"is_harmonic_series": 0, "harmonic_mean": 4.101646396008961}'],
        ),
        39: (
            ['{"elements": [true, 28, true, 82, "86"], "reverse": false}'],
            [
                '{"elements": [true, 28.0, true, 82, 86], "reverse": false}',
                '{"elements": [1, 28, 1, 82, "86"], "reverse": 0}',
            ],
        ),
        4: (["[[2,3,1],[3,1,2]]", "[[2, 3, 1], [3, 1, 2]]"], ["[[2,3,1],[3,1,true]]", "[[2,3,1]]"]),
        2: (["5", "5.0"], ["true", '"5"', "6"]),
    }
    for index, (right, wrongs) in cases.items():
        row = rows[index]
        for r in [row["answer"], *right]:
            assert _judge(row, f"<answer>{r}</answer>").passed, (index, r)
        for w in wrongs:
            got = _judge(row, f"<answer>{w}</answer>")
            assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), (index, w)


def test_jugs_answer_is_only_the_moves() -> None:
    """reasoning-gym's jugs scorer reads each move's first two words and skips the rest, so a move with words after
    it ("fill A (4 litres)") passed and the stored row kept them: each move is one `fill X`, `empty X` or
    `pour X->Y` (version 8)."""
    row = _tasks("jugs", size=5)[0]
    moves = json.loads(row["answer"])
    ds = rgym.dataset("jugs", {}, 0, 5)
    junk = json.dumps([f"{moves[0]} (now full)", *moves[1:]])
    assert ds.score_answer(answer=junk, entry=ds[0]) == 1.0  # the library's own scorer
    for wrong in [junk, json.dumps([*moves[:-1], f"{moves[-1]} zzz"])]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for right in [row["answer"], json.dumps(moves, indent=1), json.dumps([f" {m} " for m in moves])]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right


@pytest.mark.parametrize("dataset", ["products", "chain_sum"])
def test_products_and_chain_sum_commas_only_between_digit_groups(dataset: str) -> None:
    """reasoning-gym's products and chain_sum scorers strip every comma (and Decimal reads `_`), so `12,3` passed for
    123 and `1,2,3` too: a comma or `_` in a number only between groups of three digits (`1,234`) (version 10)."""
    row = _tasks(dataset, size=3, min_digits=3, max_digits=4)[0]
    gold = row["answer"]
    sign, digits = ("-", gold[1:]) if gold.startswith("-") else ("", gold)
    assert len(digits) >= 4, gold
    ds = rgym.dataset(dataset, {"min_digits": 3, "max_digits": 4}, 0, 3)
    misplaced = f"{sign}{digits[:-2]},{digits[-2:]}"
    assert ds.score_answer(answer=misplaced, entry=ds[0]) == 1.0  # the library's own scorer
    grouped = sign + f"{int(digits):,}"
    for right in [gold, grouped, grouped.replace(",", "_"), f"{gold}.0", f"{grouped}.", f"${grouped}$"]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    for wrong in [misplaced, sign + ",".join(digits), f"{sign}{digits[:-3]}_{digits[-3:-1]}_{digits[-1]}", f"{gold},1"]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong


def test_knight_swap_impossible_only_on_the_board_the_prompt_shows() -> None:
    """reasoning-gym makes a knight_swap puzzle impossible by removing a knight move between two squares from its graph,
    but the prompt shows only the squares ("Knights move in L-shape"): on the board the prompt shows, 15 of the first
    43 "impossible" puzzles have a solution, so "No" passed and a right move list failed. The gold is a shortest
    solution on the shown board (version 10)."""
    rows = _tasks("knight_swap", size=15)
    ds = rgym.dataset("knight_swap", {}, 0, 15)
    assert ds[14]["answer"] == "No" and ds.score_answer(answer="No", entry=ds[14]) == 1.0  # the library's own
    row = rows[14]
    moves = ["w,C3,A2", "B,B1,C3", "w,A2,C1", "B,C3,A2", "w,D2,B1", "B,B3,D2", "w,C1,B3", "B,A2,C3"]
    assert len(json.loads(row["answer"])) == len(moves)  # a shortest solution (this one or another)
    for right in [row["answer"], json.dumps(moves, indent=1)]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    for wrong in ["No", json.dumps(moves[:-1]), json.dumps([*moves, "w,B3,C1"])]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    impossible = [r for r in rows if r["answer"] == "No"]  # impossible on the shown board too: "No" stays right
    assert impossible
    for r in impossible:
        assert _judge(r, "<answer>No</answer>").passed
        assert not _judge(r, f"<answer>{row['answer']}</answer>").passed


@pytest.mark.parametrize("dataset", ["futoshiki", "mini_sudoku", "sudoku"])
def test_grid_puzzles_set_trailing_spaces_aside(dataset: str) -> None:
    """reasoning-gym's futoshiki, mini_sudoku and sudoku scorers match the grid with each line's trailing spaces set
    aside, then cut the score by the answer's length over the gold's: the right grid with a space after a line (or
    a futoshiki constraint line of spaces wider than the gold's) scored below 1 and failed (version 10)."""
    row = _tasks(dataset, size=2)[0]
    gold = row["answer"]
    lines = gold.split("\n")
    for right in ["\n".join(line + " " for line in lines), "\n".join(line.rstrip() for line in lines)]:
        assert _judge(row, f"<answer>{right}</answer>").passed, right
    wrong = gold.replace("1", "#", 1).replace("2", "1", 1).replace("#", "2", 1)  # two cells swapped
    for w in [wrong, gold + "\n" + lines[0], "\n".join("  " + line for line in lines)]:
        got = _judge(row, f"<answer>{w}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), w


@pytest.mark.parametrize("dataset", ["binary_matrix", "n_queens", "spiral_matrix", "string_insertion"])
def test_eval_scorers_fail_an_ordinary_wrong_answer_as_mismatch(dataset: str) -> None:
    """binary_matrix, n_queens, spiral_matrix and string_insertion eval() an answer that is not an exact match, so
    thinkmill refuses one that is not a Python literal; an ordinary wrong answer (a grid missing a row, a wrong
    string), which is no Python expression or a bare name and runs nothing, was refused as unsafe_answer too, a
    mislabelled failure (version 11). It fails as mismatch; code stays unsafe_answer."""
    row = _tasks(dataset, size=2)[0]
    gold = row["answer"]
    lines = gold.split("\n")
    wrongs = [gold + "\n" + lines[-1], gold + " 9", gold + " zzz", "\n".join(lines[:-1]) + "\n", gold + "A"]
    for wrong in wrongs:
        if wrong.strip() == gold:
            continue
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:mismatch", 0.0), wrong
    for code in ["print(1)", "len('abc')", "9**9**9", "[x for x in 'ab']", "ABCDE.upper()"]:
        got = _judge(row, f"<answer>{code}</answer>")
        assert (got.passed, got.reason, got.score) == (False, "reasoning_gym:unsafe_answer", 0.0), code
    assert _judge(row, f"<answer>{gold}</answer>").passed


GRID_DATASETS = [
    "arc_agi",
    "rearc",
    "binary_matrix",
    "n_queens",
    "spiral_matrix",
    "futoshiki",
    "mini_sudoku",
    "sudoku",
    "kakurasu",
    "survo",
    "manipulate_matrix",
    "modulo_grid",
    "pool_matrix",
    "rotate_matrix",
    "game_of_life",
]


@pytest.mark.parametrize("dataset", GRID_DATASETS)
def test_grid_answers_in_a_fence_or_with_trailing_spaces(dataset: str) -> None:
    """A right grid fenced in ``` (or with a space after a line) scored 0 or partial credit and failed for the grid
    datasets (binary_matrix and n_queens raised unsafe_answer; rotate_matrix and modulo_grid refused trailing spaces),
    and arc_agi's and rearc's under an "Output:" line as their examples write it. The fence around the whole answer,
    each line's trailing spaces and arc's leading "Output:" line are set aside; rows and cells are not (version 11)."""
    row = _tasks(dataset, size=2)[0]
    gold = row["answer"]
    lines = gold.split("\n")
    trailing = "\n".join(line + "  " for line in lines)
    rights = [f"```\n{gold}\n```", f"```text\n{trailing}\n```", trailing]
    if dataset in ("arc_agi", "rearc"):
        rights += [f"Output:\n{gold}", f"Output grid:\n```\n{gold}\n```"]
    for right in rights:
        got = _judge(row, f"<answer>{right}</answer>")
        assert got.passed, (right, got.reason, got.score)
    wrongs = [f"```\n{gold}\n{lines[-1]}\n```", f"```\n{gold}\n```\n{lines[0]}", f"{gold}\n```"]
    if len(lines) > 1:
        wrongs.append("```\n" + "\n".join(lines[:-1]) + "\n```")
    if dataset in ("arc_agi", "rearc"):
        wrongs += [f"Output:\n{gold}\n{lines[0]}", f"Input:\n{gold}", f"Output: {gold}"]
    for wrong in wrongs:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), (wrong, got.reason, got.score)


def test_knight_swap_answers_written_the_natural_way() -> None:
    """knight_swap's prompt asks for "No" or moves as ["color,from,to", ...]: "No." for an impossible puzzle and moves
    written with spaces after the commas ("w, A2, C1") scored 0 and failed (version 11). The moves stay checked."""
    rows = _tasks("knight_swap", size=15)
    impossible = next(r for r in rows if r["answer"] == "No")
    for right in ["No", "No.", "no", '"No"', "**No**"]:
        assert _judge(impossible, f"<answer>{right}</answer>").passed, right
    for wrong in ["No, it is impossible.", "No. Yes.", "Yes", "Not possible"]:
        got = _judge(impossible, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    possible = next(r for r in rows if r["answer"] != "No")
    moves = json.loads(possible["answer"])
    spaced = [m.replace(",", ", ") for m in moves]
    for right in [json.dumps(spaced), json.dumps([m.replace(",", " , ") for m in moves], indent=2)]:
        assert _judge(possible, f"<answer>{right}</answer>").passed, right
    for wrong in ["No.", json.dumps(spaced[:-1]), json.dumps([*spaced, spaced[-1]]), json.dumps(spaced[::-1])]:
        got = _judge(possible, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    wrong_square = json.dumps([m.replace(",", " ", 1) for m in moves])  # "w A2,C1": not the prompt's form
    assert not _judge(possible, f"<answer>{wrong_square}</answer>").passed


def _replay_matrix(meta: dict, anticlockwise: bool, left_right: bool) -> str:
    """manipulate_matrix's operations replayed with numpy, a quarter turn anticlockwise or clockwise, "Horizontally
    mirror" flipping the rows (the gold's reading) or each row left to right (an image editor's)."""
    import numpy as np

    m = np.array(meta["matrix"])
    for op in meta["operations"]:
        t = op["transform"]
        if t == "rotate":
            m = np.rot90(m, int(op["degrees"]) // 90 * (1 if anticlockwise else -1))
        elif t in ("hmirror", "vmirror"):
            m = np.flipud(m) if (t == "hmirror") != left_right else np.fliplr(m)
        elif t == "dmirror":
            m = m.T
        elif t == "cmirror":
            m = np.rot90(m, 2).T
        elif t == "map":
            m = np.where(m == op["from"], op["to"], m)
        elif t == "zero_divisible":
            m = np.where(m % op["k"] == 0, 0, m)
        elif t == "crop":
            m = m[op["row_start"] - 1 : op["row_end"], op["col_start"] - 1 : op["col_end"]]
        elif t == "remove_every_nth_row":
            m = m[[i for i in range(m.shape[0]) if (i + 1) % op["n"]]]
        elif t == "remove_every_nth_col":
            m = m[:, [i for i in range(m.shape[1]) if (i + 1) % op["n"]]]
    return "\n".join(" ".join(str(x) for x in row) for row in m)


def test_manipulate_matrix_takes_either_reading_of_rotations_and_mirrors() -> None:
    """manipulate_matrix's "Rotate the matrix 90 degrees" names no direction (the gold turns clockwise) and its
    "Horizontally mirror" flips the rows upside down in the gold, while an image editor flips each row left to right
    ("Vertically mirror" the other way): a faithful answer under the other reading scored 0 and failed (version 12).
    An answer equal to the gold under one reading of the rotations and one of the mirrors passes; nothing else."""
    rows = _tasks("manipulate_matrix", size=60)
    seen = set()
    for row in rows:
        meta = row["verifier_args"]["entry"]["metadata"]
        gold = row["answer"]
        assert _replay_matrix(meta, False, False) == gold
        readings = {_replay_matrix(meta, a, lr) for a in (False, True) for lr in (False, True)}
        seen |= {
            kind
            for kind, a, lr in (("rotate", True, False), ("mirror", False, True))
            if _replay_matrix(meta, a, lr) != gold
        }
        for reading in readings - {gold}:
            got = _judge(row, f"<answer>\n{reading}\n</answer>")
            assert got.passed, (row["prompt"], reading, got.reason)
            lines = reading.split("\n")
            cells = lines[0].split()
            if len(cells) > 1:  # one cell off under the other reading still fails
                wrong = "\n".join([" ".join(cells[1:] + cells[:1]), *lines[1:]])
                if wrong not in readings:
                    assert not _judge(row, f"<answer>{wrong}</answer>").passed, wrong
    assert seen == {"rotate", "mirror"}
    wrong_reading = next(  # a transpose of the gold is no reading of any step
        r for r in rows if r["answer"] != _transpose(r["answer"]) and "\n" in r["answer"]
    )
    got = _judge(wrong_reading, f"<answer>{_transpose(wrong_reading['answer'])}</answer>")
    assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch")


def _transpose(grid: str) -> str:
    rows = [line.split() for line in grid.split("\n")]
    return "\n".join(" ".join(col) for col in zip(*rows, strict=True))


def test_string_insertion_string_in_quotes_and_binary_matrix_as_a_list_of_rows() -> None:
    """string_insertion's prompt asks for "a string", and the right string in quotes ("DACE...") scored 0.1 (the
    library's credit for a list of its characters); binary_matrix's asks for "a matrix of the same size", and the
    right matrix as a list of rows ([[3, 2], [2, 1]]) scored 0.1 (version 12). Both pass; spiral_matrix's
    "space-separated list of integers, e.g. 1 2 3" and n_queens' "board in the same format as the input" ask for one
    form, and a Python list still fails there."""
    row = _tasks("string_insertion", size=2)[0]
    gold = row["answer"]
    for right in [f'"{gold}"', f"'{gold}'", f"`{gold}`", f' "{gold}" ']:
        got = _judge(row, f"<answer>{right}</answer>")
        assert got.passed, (right, got.reason, got.score)
    other = gold[:-1] + ("A" if gold[-1] != "A" else "B")
    for wrong in [f'"{other}"', f"'{gold}\"", f'"{gold}" "{gold}"', f'"{gold}."', json.dumps(list(gold))]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    row = _tasks("binary_matrix", size=2)[0]
    grid = [[int(x) for x in line.split()] for line in row["answer"].split("\n")]
    for right in [str(grid), json.dumps(grid, indent=2), "\n".join(["[", *(f"  {r}," for r in grid), "]"])]:
        got = _judge(row, f"<answer>{right}</answer>")
        assert got.passed, (right, got.reason, got.score)
    off = [r[:] for r in grid]
    off[0][0] += 1
    for wrong in [
        str(off),
        str(grid[:-1]),
        str([x for r in grid for x in r]),
        str([[str(x) for x in r] for r in grid]),
    ]:
        got = _judge(row, f"<answer>{wrong}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), wrong
    for dataset in ["spiral_matrix", "n_queens"]:
        row = _tasks(dataset, size=2)[0]
        cells = [line.split() for line in row["answer"].split("\n")]
        listed = str([int(x) for x in cells[0]]) if dataset == "spiral_matrix" else str(cells)
        got = _judge(row, f"<answer>{listed}</answer>")
        assert (got.passed, got.reason) == (False, "reasoning_gym:mismatch"), listed
