"""Code tasks in the layouts of APPS/TACO (`input_output`, call-based with `fn_name`), HumanEval (`test` +
`entry_point`) and MBPP: the stored tests must test what the dataset's own harness tests, and a task whose tests
no response could pass, or that test nothing, is quarantined at ingest instead of failing every generation."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")

# APPS / TACO call-based: `input_output` is JSON text; each input is the argument list, each output the return
# value (APPS also accepts it wrapped in a one-element list); the function name is given in `starter_code`.
APPS_CALL = {
    "problem_id": 17,
    "question": "Return the sum of a list and a number.",
    "starter_code": "def add_all(xs, k):\n    ",
    "input_output": json.dumps(
        {"fn_name": "add_all", "inputs": [[[1, 2], 3], [[], 0], [[5], -5]], "outputs": [[6], 0, [0]]}
    ),
    "difficulty": "introductory",
}
HUMANEVAL = {
    "task_id": "HumanEval/0",
    "prompt": 'def incr(x: int) -> int:\n    """Return x + 1."""\n',
    "canonical_solution": "    return x + 1\n",
    "test": "METADATA = {}\n\n\ndef check(candidate):\n    assert candidate(1) == 2\n    assert candidate(-1) == 0\n",
    "entry_point": "incr",
}


def _ingest(store, write_jsonl, rows):
    rep = ingest_paths(store, [write_jsonl("code.jsonl", rows)])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    quarantine = store.read("quarantine").select("reason", "detail").rows()
    return rep, tasks, quarantine


def _judge(task: dict, body: str) -> tuple[bool, str | None]:
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": 5}})
    spec = TaskSpec(task["task_id"], "code", task["answer"], json.loads(task["verifier_args"]), task["prompt"])
    res = Registry(cfg).get("code").check(f"```python\n{body}\n```", spec, cfg)
    return res.passed, res.detail


@needs_bwrap
def test_a_function_name_column_makes_input_output_cases_call_based(store, write_jsonl) -> None:
    """LeetCode-style rows whose `input_output` JSON has no `fn_name` inside, the name in a column of its own (or
    `--default fn_name=...`): the name was ignored and the argument lists became stdin lines (`"2\n7\n11\n15\n9"`),
    so every right `class Solution` answer failed, and one that added a stdin reader passed, training on another
    contract than the prompt's. The name calls the function, as `fn_name` inside the JSON does; cases whose inputs
    are stdin text beside a function name are refused, naming both."""
    row = {
        "slug": "two-sum",
        "question": "Given nums and target, return the indices of the two numbers that add up to target.",
        "starter_code": "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ",
        "fn_name": "twoSum",
        "input_output": json.dumps({"inputs": [[[2, 7, 11, 15], 9], [[3, 2, 4], 6]], "outputs": [[0, 1], [1, 2]]}),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert isinstance(json.loads(task["verifier_args"])["tests"], str)  # an assert script, not stdin cases
    right = (
        "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n"
        "        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n"
        "                return [seen[target - x], i]\n            seen[x] = i\n"
    )
    assert _judge(task, right) == (True, None)
    stdin = {
        **row,
        "slug": "sum",
        "question": "Read two numbers and print their sum, with twoSum.",
        "input_output": (json.dumps({"inputs": ["1 2\n"], "outputs": ["3\n"]})),
    }
    rep = ingest_paths(store, [write_jsonl("stdin.jsonl", [stdin])])
    assert rep.metadata["quarantined"] == 1
    detail = store.query("SELECT detail FROM quarantine").item()
    assert "twoSum" in detail and "stdin" in detail, detail


def test_apps_call_based_task_calls_the_function_and_shows_its_starter_code(store, write_jsonl) -> None:
    _, tasks, quarantine = _ingest(store, write_jsonl, [APPS_CALL])
    assert quarantine == []
    (task,) = tasks.values()
    # the model is shown the starter code (the name the tests call), as APPS' own prompts do
    assert task["prompt"].startswith("Return the sum of a list and a number.")
    assert "```python\ndef add_all(xs, k):" in task["prompt"]
    assert json.loads(task["metadata"])["starter_code"] == APPS_CALL["starter_code"]
    tests = json.loads(task["verifier_args"])["tests"]
    assert isinstance(tests, str) and "add_all" in tests


@needs_bwrap
def test_apps_call_based_verdicts_follow_apps_semantics(store, write_jsonl) -> None:
    _, tasks, _ = _ingest(store, write_jsonl, [APPS_CALL])
    (task,) = tasks.values()
    assert _judge(task, "def add_all(xs, k):\n    return sum(xs) + k") == (True, None)
    # LeetCode style (TACO): the function is a method of `Solution`
    assert _judge(task, "class Solution:\n    def add_all(self, xs, k):\n        return sum(xs) + k") == (True, None)
    assert _judge(task, "def add_all(xs, k):\n    return k") == (False, "tests_failed")
    # a stdin program (what the old stdin reading of these cases expected) tests nothing: it fails
    assert _judge(task, "print(6)")[0] is False


@needs_bwrap
def test_apps_stdin_cases_given_as_lines_are_joined(store, write_jsonl) -> None:
    row = {
        "question": "Read two lines with a number each; print their sum and their product on two lines.",
        "input_output": json.dumps({"inputs": [["2", "3"], "4\n5\n"], "outputs": [["5", "6"], "9\n20\n"]}),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    cases = json.loads(task["verifier_args"])["tests"]
    assert cases[0] == {"input": "2\n3", "output": "5\n6"}  # not "['2', '3']"
    body = "a, b = int(input()), int(input())\nprint(a + b)\nprint(a * b)"
    assert _judge(task, body) == (True, None)


@needs_bwrap
def test_apps_stdin_lines_that_end_in_a_newline_are_not_doubled(store, write_jsonl) -> None:
    """Lines given with their newline (`["2\\n", "3\\n"]`, as `readlines()` gives them): joined with another newline,
    every other line was blank, so `int(input())` read "" and the expected output had blank lines no right program
    prints; every right answer failed. A blank line given as a line of its own stays."""
    row = {
        "question": "Read two lines with a number each; print their sum and their product on two lines.",
        "input_output": json.dumps(
            {"inputs": [["2\n", "3\n"], ["4\n", "5"]], "outputs": [["5\n", "6\n"], ["9\n", "\n", "20\n"]]}
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    cases = json.loads(task["verifier_args"])["tests"]
    assert cases == [{"input": "2\n3\n", "output": "5\n6\n"}, {"input": "4\n5", "output": "9\n\n20\n"}]
    body = "a, b = int(input()), int(input())\nprint(a + b)\nif a == 4:\n    print()\nprint(a * b)"
    assert _judge(task, body) == (True, None)
    assert _judge(task, body.replace("a == 4", "a == 0")) == (False, "wrong_output")


@needs_bwrap
def test_apps_call_based_dict_outputs_are_compared_as_json_gives_them(store, write_jsonl) -> None:
    """JSON gives an object's keys as text: the reference `{"1": 2, "3": 1}` is what a function returning `{1: 2, 3: 1}`
    returned (APPS's and TACO's harness turn such keys back into ints). Compared as is, every right answer failed
    `tests_failed`; a returned dict is now compared with its keys as JSON writes them. Another count still fails, and
    so does a dict whose keys JSON would merge (`{1: 2, "1": 2}`)."""
    row = {
        "question": "Count how often each number occurs in the list; return a dict.",
        "starter_code": "def count(xs):\n    ",
        "input_output": json.dumps(
            {"fn_name": "count", "inputs": [[[1, 1, 3]], [[2]]], "outputs": [[{"1": 2, "3": 1}], {"2": 1}]}
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert _judge(task, "from collections import Counter\n\ndef count(xs):\n    return dict(Counter(xs))") == (
        True,
        None,
    )
    assert _judge(task, "def count(xs):\n    return {str(x): xs.count(x) for x in xs}") == (True, None)
    assert _judge(task, "def count(xs):\n    return {x: xs.count(x) + 1 for x in xs}") == (False, "tests_failed")
    assert _judge(task, "def count(xs):\n    return {x: [xs.count(x)] for x in xs}") == (False, "tests_failed")
    merged = "def count(xs):\n    d = {x: xs.count(x) for x in xs}\n    d.update({str(x): 0 for x in xs})\n    return d"
    assert _judge(task, merged) == (False, "tests_failed")


@needs_bwrap
def test_apps_call_based_dict_arguments_get_their_integer_keys_back(store, write_jsonl) -> None:
    """JSON gives an argument's keys as text too: APPS's and TACO's harness turn the keys of a call's one dict
    argument back into ints (`{"1": 5}` reaches the function as `{1: 5}`), so a right answer reading `d[1]` failed
    `runtime_error` (KeyError) on every case. Keys that are not all integers, or that would merge (`"1"`, `"01"`),
    stay text, as there."""
    row = {
        "question": "Given a dict mapping each id to its score, return the score of id 1 plus the score of id 3.",
        "starter_code": "def score(d):\n    ",
        "input_output": json.dumps(
            {
                "fn_name": "score",
                "inputs": [[{"1": 5, "3": 2}], [{"1": -1, "3": 1, "7": 9}]],
                "outputs": [7, 0],
            }
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert _judge(task, "def score(d):\n    return d[1] + d[3]") == (True, None)
    assert _judge(task, "def score(d):\n    return d[1] - d[3]") == (False, "tests_failed")
    assert _judge(task, "def score(d):\n    return d['1'] + d['3']")[0] is False

    row = {
        "question": "Given a dict, return the sorted list of its keys.",
        "starter_code": "def keys(d):\n    ",
        "input_output": json.dumps(
            {
                "fn_name": "keys",
                "inputs": [[{"a": 1, "2": 2}], [{"1": 1, "01": 2}]],
                "outputs": [[["2", "a"]], [["01", "1"]]],
            }
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    (task,) = [t for t in tasks.values() if "sorted list" in t["prompt"]]
    assert _judge(task, "def keys(d):\n    return sorted(d)") == (True, None)


@needs_bwrap
def test_apps_call_based_dict_beside_other_arguments_gets_its_integer_keys_back(store, write_jsonl) -> None:
    """A call of several arguments, one a dict JSON gave text keys (`[{"1": 5, "3": 2}, 1]`): its keys stayed text,
    so a right answer reading `d[1]` failed `runtime_error` on every case. APPS's and TACO's harness undoes JSON's
    text keys only "assuming a singleton list" (a first dict argument is passed alone, the others dropped, so no
    answer passes there); its intent is followed for each argument. JSON writes an int key as its canonical text:
    a key written otherwise (`"01"`, `"+1"`, `" 1"`) was text, and its dict stays as it is."""
    row = {
        "question": "Given a dict mapping each id to its score and an id, return that id's score doubled.",
        "starter_code": "def doubled(scores, i):\n    ",
        "input_output": json.dumps(
            {
                "fn_name": "doubled",
                "inputs": [[{"1": 5, "3": 2}, 1], [{"-1": 4, "3": 2}, -1], [{"7": 0}, 7]],
                "outputs": [[10], 8, [0]],
            }
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert _judge(task, "def doubled(scores, i):\n    return 2 * scores[i]") == (True, None)
    assert _judge(task, "def doubled(scores, i):\n    return 2 * scores[str(i)]")[0] is False
    assert _judge(task, "def doubled(scores, i):\n    return scores[i]") == (False, "tests_failed")

    row = {
        "question": "Given a code and a dict of codes to names, return the code's name.",
        "starter_code": "def name_of(k, codes):\n    ",
        "input_output": json.dumps(
            {
                "fn_name": "name_of",
                "inputs": [["01", {"01": "a", "2": "b"}], ["+3", {"+3": "c"}], ["1", {" 1": "d", "1": "e"}]],
                "outputs": [["a"], ["c"], ["e"]],
            }
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    (task,) = [t for t in tasks.values() if "code's name" in t["prompt"]]
    assert _judge(task, "def name_of(k, codes):\n    return codes[k]") == (True, None)


@needs_bwrap
def test_primeintellect_function_calls_get_integer_keys_back_as_taco_gives_them(store, write_jsonl) -> None:
    """PrimeIntellect's function-call cases are judged by TACO's harness (DeepCoder's rllm), which gives a call's one
    dict argument its integer keys back: stored as JSON gives them, a right `d[2]` failed `runtime_error`."""
    case = {"type": "function_call", "fn_name": "pick", "input": [{"2": "b", "5": "e"}], "output": ["b"]}
    row = {
        "prompt": "Write pick(d) returning the value at key 2.",
        "verification_info": json.dumps({"test_cases": [case]}),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert _judge(task, "def pick(d):\n    return d[2]") == (True, None)
    assert _judge(task, "def pick(d):\n    return d[5]") == (False, "tests_failed")


@needs_bwrap
def test_apps_call_based_output_list_is_no_wrapper_unless_it_holds_one_value(store, write_jsonl) -> None:
    """APPS gives a return value wrapped in a one-element list (`[6]` for 6) or as it is (`[1, 2, 3]` for that list):
    only a one-element list is read as a wrapper. Any list's first element passed for it, so a function returning
    1 passed a task expecting `[1, 2, 3]`."""
    row = {
        "question": "Return the list of the numbers from 1 to n.",
        "starter_code": "def upto(n):\n    ",
        "input_output": json.dumps(
            {"fn_name": "upto", "inputs": [[3], [1], [2]], "outputs": [[1, 2, 3], [[1]], [[1, 2]]]}
        ),
    }
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    assert _judge(task, "def upto(n):\n    return list(range(1, n + 1))") == (True, None)
    assert _judge(task, "def upto(n):\n    return tuple(range(1, n + 1))") == (True, None)
    assert _judge(task, "def upto(n):\n    return 1 if n == 3 else list(range(1, n + 1))") == (False, "tests_failed")


def test_humaneval_check_is_called_with_the_entry_point(store, write_jsonl) -> None:
    _, tasks, quarantine = _ingest(store, write_jsonl, [HUMANEVAL])
    assert quarantine == []
    (task,) = tasks.values()
    tests = json.loads(task["verifier_args"])["tests"]
    assert tests.rstrip().endswith("check(incr)")


@needs_bwrap
def test_humaneval_verdicts(store, write_jsonl) -> None:
    _, tasks, _ = _ingest(store, write_jsonl, [HUMANEVAL])
    (task,) = tasks.values()
    assert _judge(task, "def incr(x: int) -> int:\n    return x + 1") == (True, None)
    assert _judge(task, "def incr(x: int) -> int:\n    return x") == (False, "tests_failed")


@pytest.mark.parametrize(
    ("row", "reason", "detail"),
    [
        # HumanEval's check() without an entry point: nothing is ever asserted, every response fails no_tests
        (
            {k: v for k, v in HUMANEVAL.items() if k != "entry_point"},
            "invalid_value:tests",
            "no test statement",
        ),
        ({"prompt": "def f", "tests": "assert f(1) == 2\nassert f(2) ==="}, "invalid_value:tests", "not valid Python"),
        (
            {"prompt": "Echo.", "input_output": {"inputs": ["1", "2"], "outputs": ["1"]}},
            "invalid_value:tests",
            "2 inputs and 1 outputs",
        ),
        (
            # the tests call a function the prompt never names: no response can know what to define
            {"question": "Sum a list.", "input_output": {"fn_name": "total", "inputs": [[[1]]], "outputs": [1]}},
            "invalid_value:tests",
            "'total'",
        ),
        (
            # fn_name is a method of the starter code's class other than `Solution` (a Codewars kata's `class
            # Calculator`): APPS's and TACO's harness, as the script, call `Solution().evaluate` or a top-level
            # `evaluate`, so every right answer failed `tests_setup_error`
            {
                "question": "Evaluate the expression.",
                "starter_code": "class Calculator(object):\n\tdef evaluate(self, string):\n\t\t",
                "input_output": {"fn_name": "evaluate", "inputs": [["2 + 3"]], "outputs": [[5]]},
            },
            "invalid_value:tests",
            "method of class 'Calculator'",
        ),
        (
            {"prompt": "def f", "tests": "assert f(1) == 2", "entry_point": "not a name"},
            "invalid_value:entry_point",
            "not a name",
        ),
        # stdin/stdout cases that all expect no output: a program that prints nothing (`pass`) passed every one
        (
            {"prompt": "Echo.", "input_output": {"inputs": ["1\n", "2\n"], "outputs": ["", "\n"]}},
            "invalid_value:tests",
            "every case expects no output",
        ),
        (
            {"prompt": "Echo.", "tests": [{"input": "1\n", "output": " \n"}]},
            "invalid_value:tests",
            "every case expects no output",
        ),
        (
            {"prompt": "Echo.", "tests": json.dumps([{"input": "1\n", "output": "", "testtype": "stdin"}])},
            "invalid_value:tests",
            "every case expects no output",
        ),
    ],
)
def test_tests_no_response_could_pass_are_quarantined(store, write_jsonl, row, reason, detail) -> None:
    _, tasks, quarantine = _ingest(store, write_jsonl, [row, {"prompt": "def g", "tests": ["assert g() == 1"]}])
    assert len(tasks) == 1  # the good row is kept
    ((got_reason, got_detail),) = quarantine
    assert got_reason == reason and detail in got_detail, got_detail


def test_fast_path_and_per_row_path_agree_on_a_script_without_tests(store, write_jsonl) -> None:
    # a list of statements that asserts nothing takes the fast path's shape; it must be quarantined the same way
    rows = [{"prompt": "def f", "tests": ["import math", "x = 1"]}, {"prompt": "def g", "tests": ["assert g() == 1"]}]
    _, tasks, quarantine = _ingest(store, write_jsonl, rows)
    assert len(tasks) == 1 and [r for r, _ in quarantine] == ["invalid_value:tests"]


def test_mbpp_prompt_that_never_names_the_function_gets_its_first_test(store, write_jsonl) -> None:
    # MBPP's text says what to write, not its name; its own prompt shows the tests. Without one the model cannot
    # know the name `remove_Occ` and every response fails.
    mbpp = {
        "task_id": 11,
        "text": "Write a python function to remove first and last occurrence of a given character from the string.",
        "code": "def remove_Occ(s,ch): ...",
        "test_list": [
            'assert remove_Occ("hello","l") == "heo"',
            'assert remove_Occ("abcda","a") == "bcd"',
        ],
    }
    named = {"prompt": "Write `is_even(n)`.", "test_list": ["assert is_even(2)", "assert not is_even(3)"]}
    rows = [{**mbpp, "prompt": mbpp.pop("text")}, named]
    _, tasks, quarantine = _ingest(store, write_jsonl, rows)
    assert quarantine == []
    prompts = sorted(t["prompt"] for t in tasks.values())
    assert prompts[0] == named["prompt"]  # names its function: unchanged
    assert prompts[1].endswith(
        "given character from the string.\n\nYour code should pass this test:\n"
        '```python\nassert remove_Occ("hello","l") == "heo"\n```'
    )


def test_a_later_near_duplicate_of_a_rewritten_code_prompt_is_found(store, write_jsonl) -> None:
    # later ingests compare new rows with the stored prompts: the stored prompt (with the added test) must be the
    # text the row's duplicate key was made from, or a near copy of it in a later file is missed
    words = "Write a python function that takes a list of words and a number n and returns the words longer than n"
    tests = ["assert long_words(['a', 'abc'], 1) == ['abc']", "assert long_words([], 3) == []"]
    ingest_paths(store, [write_jsonl("a.jsonl", [{"prompt": words + " characters.", "test_list": tests}])])
    (stored,) = store.read("tasks")["prompt"].to_list()
    assert "Your code should pass this test" in stored
    rep = ingest_paths(store, [write_jsonl("b.jsonl", [{"prompt": words + " letters.", "test_list": tests}])])
    assert rep.metadata["ingested"] == 0, rep.metadata
    assert store.read("task_duplicates")["reason"].to_list() == ["dedup:near_duplicate"]


# MBPP (sanitized): the imports its tests need are a column of their own; the full MBPP's `test_setup_code` likewise
MBPP_SANITIZED = {
    "source_file": "Benchmark Questions Verification V2.ipynb",
    "task_id": 82,
    "prompt": "Write a function to find the volume of a sphere.",
    "code": "import math\ndef volume_sphere(r):\n  volume=(4/3)*math.pi*r*r*r\n  return volume",
    "test_imports": ["import math"],
    "test_list": [
        "assert math.isclose(volume_sphere(10), 4188.790204786391, rel_tol=0.001)",
        "assert math.isclose(volume_sphere(25), 65449.84694978735, rel_tol=0.001)",
    ],
}


@pytest.mark.parametrize(
    "row",
    [
        MBPP_SANITIZED,
        {k: v for k, v in MBPP_SANITIZED.items() if k != "test_imports"} | {"test_setup_code": "import math"},
    ],
)
def test_mbpp_test_imports_and_setup_code_run_before_the_tests(store, write_jsonl, row) -> None:
    """The tests call `math.isclose`; without MBPP's `test_imports` (or `test_setup_code`) they fail with a
    NameError for every response that does not happen to import math itself: right answers were rejected."""
    _, tasks, quarantine = _ingest(store, write_jsonl, [row])
    assert quarantine == []
    (task,) = tasks.values()
    tests = json.loads(task["verifier_args"])["tests"]
    assert tests.startswith("import math\n") and tests.count("assert ") == 2


@needs_bwrap
def test_mbpp_verdicts_with_test_imports(store, write_jsonl) -> None:
    _, tasks, _ = _ingest(store, write_jsonl, [MBPP_SANITIZED])
    (task,) = tasks.values()
    # a right answer that computes pi without importing math
    right = "def volume_sphere(r):\n    return 4 / 3 * 3.141592653589793 * r ** 3"
    assert _judge(task, right) == (True, None)
    assert _judge(task, "def volume_sphere(r):\n    return r ** 3") == (False, "tests_failed")


# KodCode's layout: the tests are pytest functions that import the solution as a module
KODCODE = {
    "question_id": "Leetcode_1",
    "question": "Given a list of integers and a target, return the indices of the two numbers that add up to it.",
    "solution": "def two_sum(nums, target):\n    seen = {}\n    ...",
    "test_code": (
        "from solution import two_sum\n\n"
        "def test_two_sum_basic():\n    assert two_sum([2, 7, 11, 15], 9) == [0, 1]\n\n"
        "def test_two_sum_negative():\n    assert two_sum([-3, 4, 3, 90], 0) == [0, 2]\n"
    ),
}
TWO_SUM = (
    "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n"
    "        if target - x in seen:\n            return [seen[target - x], i]\n        seen[x] = i\n"
)


def test_pytest_style_tests_are_called_and_the_prompt_shows_what_to_define(store, write_jsonl) -> None:
    """Pytest-style tests (KodCode's `test_code`) define `test_*` functions and never call them: they were
    quarantined as holding no test statement. Each one is now called (one test each); the prompt, which never names
    the function the tests import from `solution`, gets the first test that uses it."""
    _, tasks, quarantine = _ingest(store, write_jsonl, [KODCODE])
    assert quarantine == []
    (task,) = tasks.values()
    tests = json.loads(task["verifier_args"])["tests"]
    assert tests.rstrip().endswith("test_two_sum_basic()\ntest_two_sum_negative()")
    assert "two_sum" in task["prompt"] and "def test_two_sum_basic" in task["prompt"]
    named = {**KODCODE, "question": KODCODE["question"] + " Write `two_sum(nums, target)`."}
    store.execute("DELETE FROM tasks")
    store.execute("DELETE FROM ingest_files")
    _, tasks, _ = _ingest(store, write_jsonl, [named])
    assert next(iter(tasks.values()))["prompt"] == named["question"]  # names it: nothing added


def test_pytest_functions_that_need_fixtures_are_not_called() -> None:
    from pipeline.ingest.code_tests import TestsProblem, code_tests

    only_fixture = "import pytest\n\ndef test_with_tmp(tmp_path):\n    assert tmp_path\n"
    with pytest.raises(TestsProblem, match="fixture"):
        code_tests(only_fixture)
    mixed = only_fixture + "\ndef test_plain():\n    assert 1 + 1 == 2\n"
    tests, _, script, _ = code_tests(mixed)
    assert tests.rstrip().endswith("test_plain()") and "test_with_tmp()" not in tests and script.tests == 1


def test_code_contests_public_tests_shape(store, write_jsonl) -> None:
    row = {
        "description": "Read n and print n + 1.",
        "public_tests": {"input": ["1\n", "5\n"], "output": ["2\n", "6\n"]},
    }
    rep = ingest_paths(
        store, [write_jsonl("cc.jsonl", [row])], mapping={"prompt": "description", "tests": "public_tests"}
    )
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    tests = json.loads(store.read("tasks")["verifier_args"][0])["tests"]
    assert tests == [{"input": "1\n", "output": "2\n"}, {"input": "5\n", "output": "6\n"}]


@needs_bwrap
def test_pytest_style_verdicts(store, write_jsonl) -> None:
    _, tasks, _ = _ingest(store, write_jsonl, [KODCODE])
    (task,) = tasks.values()
    assert _judge(task, TWO_SUM) == (True, None)
    assert _judge(task, "def two_sum(nums, target):\n    return [0, 1]") == (False, "tests_failed")


KODCODE_PYTEST = {
    "question_id": "Prefill_2",
    "question": "Write `safe_div(a, b)`: a / b, raising ValueError when b is 0.",
    "test_code": (
        "import pytest\nfrom solution import safe_div\n\n"
        "def test_div():\n    assert safe_div(1, 3) == pytest.approx(0.3333333)\n"
        "    assert [safe_div(1, 4), safe_div(3, 2)] == pytest.approx([0.25, 1.5])\n\n"
        "def test_zero():\n    with pytest.raises(ValueError, match='zero'):\n        safe_div(1, 0)\n\n"
        "@pytest.mark.parametrize('b', [1, 2])\ndef test_param(b):\n    assert safe_div(b, b) == 1\n\n"
        "@pytest.mark.xfail\ndef test_known_bug():\n    assert safe_div(1, 0) == 0\n"
    ),
}


@needs_bwrap
def test_pytest_style_tests_that_import_pytest_run_without_it_in_the_sandbox(store, write_jsonl) -> None:
    """The sandbox's Python need not have pytest: `pytest.raises`, `pytest.approx` and marks work there anyway (a
    stand-in module, used only when pytest cannot be imported); parametrized and xfail tests are not called."""
    _, tasks, quarantine = _ingest(store, write_jsonl, [KODCODE_PYTEST])
    assert quarantine == []
    (task,) = tasks.values()
    tests = json.loads(task["verifier_args"])["tests"]
    assert tests.rstrip().endswith("test_div()\ntest_zero()")
    right = "def safe_div(a, b):\n    if b == 0:\n        raise ValueError('division by zero')\n    return a / b"
    assert _judge(task, right) == (True, None)
    no_raise = "def safe_div(a, b):\n    return a / b if b else 0.0"
    assert _judge(task, no_raise) == (False, "tests_failed")
    wrong_message = "def safe_div(a, b):\n    if b == 0:\n        raise ValueError('nope')\n    return a / b"
    assert _judge(task, wrong_message) == (False, "tests_failed")
    rounded = "def safe_div(a, b):\n    if b == 0:\n        raise ValueError('zero')\n    return round(a / b, 2)"
    assert _judge(task, rounded) == (False, "tests_failed")


# LiveCodeBench (code_generation_lite) and DeepCoder's lcb subset: typed cases. A LeetCode problem's cases are
# `functional`: one JSON value per input line (one per argument), the output one JSON value; the function is a method
# of the starter code's `Solution` (its name also in LiveCodeBench's `metadata` JSON). Read as stdin cases, every
# right answer failed.
TWO_SUM_STARTER = "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        "
LCB_LEETCODE = {
    "question_title": "Two Sum",
    "question_content": "Given an array nums and an integer target, return the indices of the two numbers that add "
    "up to target.",
    "platform": "leetcode",
    "question_id": "1",
    "starter_code": TWO_SUM_STARTER,
    "public_test_cases": json.dumps(
        [
            {"input": "[2,7,11,15]\n9", "output": "[0, 1]", "testtype": "functional"},
            {"input": "[3,2,4]\n6", "output": "[1, 2]", "testtype": "functional"},
        ]
    ),
    "metadata": json.dumps({"func_name": "twoSum"}),
}
LCB_ATCODER = {
    "question_title": "Add",
    "question_content": "Read two integers A and B and print A+B.",
    "platform": "atcoder",
    "question_id": "abc001_a",
    "starter_code": "",
    "public_test_cases": json.dumps([{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}]),
    "metadata": "{}",
}
LCB_MAP = {"prompt": "question_content", "tests": "public_test_cases"}
# PrimeIntellect/verifiable-coding-problems and open-r1/verifiable-coding-problems-python: `verification_info`
PRIME_CALL = {
    "problem_id": "p1",
    "prompt": "Write a function add_two(a, b) that returns a + b.",
    "verification_info": json.dumps(
        {
            "language": "python",
            "test_cases": [
                {"type": "function_call", "fn_name": "add_two", "input": [1, 2], "output": [3]},
                {"type": "function_call", "fn_name": "add_two", "input": [[1], [2]], "output": [[1, 2]]},
            ],
        }
    ),
}
PRIME_STDIN = {
    "problem_id": "p2",
    "prompt": "Read n and print 2n.",
    "verification_info": json.dumps(
        {"language": "python", "test_cases": [{"type": "stdin_stdout", "input": "2\n", "output": "4\n"}]}
    ),
}


def test_livecodebench_functional_cases_call_the_solution_method(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("lcb.jsonl", [LCB_LEETCODE, LCB_ATCODER])], mapping=LCB_MAP)
    assert rep.metadata["ingested"] == 2, store.read("quarantine")["detail"].to_list()
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    leet, atcoder = json.loads(tasks["local/1"]["verifier_args"]), json.loads(tasks["local/abc001_a"]["verifier_args"])
    assert isinstance(leet["tests"], str) and "twoSum" in leet["tests"]  # an assert script, not stdin cases
    assert "from typing import *" in leet["prelude"]
    assert atcoder["tests"] == [{"input": "1 2\n", "output": "3\n"}] and "prelude" in atcoder
    assert "class Solution:\n    def twoSum" in tasks["local/1"]["prompt"]  # the starter code is shown


def test_deepcoder_cases_name_their_function_in_their_metadata(store, write_jsonl) -> None:
    row = {
        "problem": LCB_LEETCODE["question_content"],
        "starter_code": TWO_SUM_STARTER,
        "tests": json.dumps(
            [
                {
                    "input": "[2,7,11,15]\n9",
                    "output": "[0, 1]",
                    "testtype": "functional",
                    "metadata": {"func_name": "twoSum"},
                }
            ]
        ),
    }
    rep = ingest_paths(store, [write_jsonl("deepcoder.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    tests = json.loads(store.read("tasks")["verifier_args"][0])["tests"]
    assert isinstance(tests, str) and "'twoSum'" in tests


def test_prime_intellect_verification_info(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("pi.jsonl", [PRIME_CALL, PRIME_STDIN])])
    assert rep.metadata["ingested"] == 2, store.read("quarantine")["detail"].to_list()
    tasks = {r["task_id"]: json.loads(r["verifier_args"]) for r in store.read("tasks").iter_rows(named=True)}
    assert "add_two" in tasks["local/p1"]["tests"] and "prelude" not in tasks["local/p1"]
    assert tasks["local/p2"]["tests"] == [{"input": "2\n", "output": "4\n"}]


@pytest.mark.parametrize(
    ("tests", "detail"),
    [
        ([{"input": "1", "output": "2", "testtype": "functional"}], "without the function's name"),
        (
            [
                {"input": "1", "output": "2", "testtype": "functional", "metadata": {"func_name": "f"}},
                {"input": "1\n", "output": "2\n", "testtype": "stdin"},
            ],
            "mix function-call and stdin",
        ),
        ([{"input": "[1,", "output": "2", "testtype": "functional", "metadata": {"func_name": "f"}}], "not JSON"),
        ([{"input": "1", "output": "2", "testtype": "interactive"}], "unknown testtype interactive"),
        ({"language": "cpp", "test_cases": [{"type": "stdin_stdout", "input": "1", "output": "1"}]}, "for cpp"),
        ([{"type": "function_call", "fn_name": "f", "input": "1 2", "output": [3]}], "list of arguments"),
    ],
)
def test_typed_cases_no_response_could_pass_are_quarantined(store, write_jsonl, tests, detail) -> None:
    row = {"problem": "Write f.", "tests": json.dumps(tests)}
    ingest_paths(store, [write_jsonl("bad.jsonl", [row])])
    ((reason, got),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "invalid_value:tests" and detail in got


def test_starter_function() -> None:
    from pipeline.ingest.code_tests import starter_function

    assert starter_function(TWO_SUM_STARTER) == "twoSum"
    assert starter_function("def add_all(xs, k):\n    ") == "add_all"
    assert starter_function("class Solution:\n    def __init__(self):\n        pass\n    def f(self, x):\n") == "f"
    design = "class LRUCache:\n    def get(self, k):\n        \n    def put(self, k, v):\n        "
    assert starter_function(design) is None and starter_function("") is None
    assert starter_function("not python (") is None


@needs_bwrap
def test_livecodebench_verdicts_follow_its_harness(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("lcb.jsonl", [LCB_LEETCODE, LCB_ATCODER])], mapping=LCB_MAP)
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    leet, atcoder = tasks["local/1"], tasks["local/abc001_a"]
    # `List` without an import, as LeetCode answers are written: LiveCodeBench's harness imports typing first
    right = (
        "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n"
        "        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n"
        "                return [seen[target - x], i]\n            seen[x] = i\n"
    )
    assert _judge(leet, right) == (True, None)
    assert _judge(leet, right.replace("return [seen[target - x], i]", "return (seen[target - x], i)")) == (True, None)
    assert _judge(leet, right.replace("return [seen[target - x], i]", "return [i, seen[target - x]]"))[0] is False
    assert _judge(leet, "print('[0, 1]')")[0] is False  # a stdin program tests nothing
    assert _judge(atcoder, "a, b = map(int, input().split())\nprint(a + b)") == (True, None)
    assert _judge(atcoder, "print(sum(map(int, input().split())) + 1)") == (False, "wrong_output")
    # the prelude runs first in stdin programs too (LiveCodeBench's harness does): `gcd` without an import
    assert _judge(atcoder, "a, b = map(int, input().split())\nprint(a + b + gcd(0, 0))") == (True, None)


@needs_bwrap
def test_livecodebench_compares_exactly_and_apps_loosely(store, write_jsonl) -> None:
    lcb = {
        "problem": "Return the list [x].",
        "starter_code": "class Solution:\n    def wrap(self, x: int) -> List[int]:\n        ",
        "tests": json.dumps([{"input": "7", "output": "[7]", "testtype": "functional"}]),
    }
    ingest_paths(store, [write_jsonl("w.jsonl", [lcb, PRIME_CALL])])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    wrap = next(t for t in tasks.values() if "wrap" in t["prompt"])
    body = "class Solution:\n    def wrap(self, x):\n        return {}"
    assert _judge(wrap, body.format("[x]")) == (True, None)
    assert _judge(wrap, body.format("x"))[0] is False  # APPS' one-element leniency is not LiveCodeBench's
    # PrimeIntellect's function calls come from TACO: outputs wrapped in a list, compared as APPS does
    assert _judge(tasks["local/p1"], "def add_two(a, b):\n    return a + b") == (True, None)
    assert _judge(tasks["local/p1"], "def add_two(a, b):\n    return a") == (False, "tests_failed")


@needs_bwrap
def test_call_based_booleans_are_compared_as_booleans(store, write_jsonl) -> None:
    """A bool is no number: APPS's and LiveCodeBench's harnesses compare with ==, where True == 1, so a function
    returning 1 / 0 for "return True if ..." passed, and one returning `len(xs) > 0` for a count of 0 or 1 passed
    (LeetCode's judge, which prints the value, gives `1` for `true` wrong answer). A bool must meet a bool, inside
    lists and dicts too; an int still meets a float of its value (JSON writes 2.0 as 2)."""
    rows = [
        {
            "question": "Return True if n is even.",
            "starter_code": "def is_even(n):\n    ",
            "input_output": json.dumps(
                {"fn_name": "is_even", "inputs": [[2], [3], [4]], "outputs": [True, False, [True]]}
            ),
        },
        {
            "question": "Return how many of the numbers are positive, and whether each is.",
            "starter_code": "def pos(xs):\n    ",
            "input_output": json.dumps(
                {
                    "fn_name": "pos",
                    "inputs": [[[1, -2]], [[-1]]],
                    "outputs": [[[1, {"1": True, "-2": False}]], [0, {"-1": False}]],
                }
            ),
        },
        {
            "problem": "Return true if n is even.",
            "starter_code": "class Solution:\n    def isEven(self, n: int) -> bool:\n        ",
            "tests": json.dumps(
                [
                    {"input": "2", "output": "true", "testtype": "functional"},
                    {"input": "3", "output": "false", "testtype": "functional"},
                ]
            ),
        },
    ]
    ingest_paths(store, [write_jsonl("b.jsonl", rows)])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    even, pos, lcb = (next(t for t in tasks.values() if w in t["prompt"]) for w in ("is_even", "pos", "isEven"))
    assert _judge(even, "def is_even(n):\n    return n % 2 == 0") == (True, None)
    assert _judge(even, "def is_even(n):\n    return 1 - n % 2") == (False, "tests_failed")
    right = "def pos(xs):\n    return [sum(x > 0 for x in xs), {x: x > 0 for x in xs}]"
    assert _judge(pos, right) == (True, None)
    assert _judge(pos, right.replace("sum(x > 0 for x in xs)", "float(sum(x > 0 for x in xs))")) == (True, None)
    assert _judge(pos, right.replace("sum(x > 0 for x in xs)", "any(x > 0 for x in xs)")) == (False, "tests_failed")
    assert _judge(pos, right.replace("x: x > 0", "x: int(x > 0)")) == (False, "tests_failed")
    body = "class Solution:\n    def isEven(self, n):\n        return {}"
    assert _judge(lcb, body.format("n % 2 == 0")) == (True, None)
    assert _judge(lcb, body.format("1 - n % 2")) == (False, "tests_failed")


@needs_bwrap
def test_call_based_tests_refuse_an_object_equal_to_everything(store, write_jsonl) -> None:
    """The harness refuses an object whose `__eq__` the solution wrote where an assert compares it with plain values
    (`eq_override`), but a call-based script compares inside its helper, out of the assert's sight: a solution
    returning such an object passed every APPS, TACO, PrimeIntellect and LiveCodeBench function-call case."""
    lcb = {
        "problem": "Return the list [x].",
        "starter_code": "class Solution:\n    def wrap(self, x: int) -> List[int]:\n        ",
        "tests": json.dumps([{"input": "7", "output": "[7]", "testtype": "functional"}]),
    }
    ingest_paths(store, [write_jsonl("h.jsonl", [APPS_CALL, lcb])])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    apps, wrap = (next(t for t in tasks.values() if w in t["prompt"]) for w in ("add_all", "wrap"))
    anything = "class Any:\n    def __eq__(self, other):\n        return True\n\n    __hash__ = object.__hash__\n\n\n"
    assert _judge(apps, anything + "def add_all(xs, k):\n    return Any()") == (False, "tests_failed")
    # code 20: the harness checks the script's helpers' `==` too, and names the refusal
    assert _judge(apps, anything + "def add_all(xs, k):\n    return [Any()]") == (False, "eq_override")
    int_like = (
        "class N(int):\n    def __eq__(self, other):\n        return True\n\n\ndef add_all(xs, k):\n    return N(0)"
    )
    assert _judge(apps, int_like) == (False, "tests_failed")
    body = anything + "class Solution:\n    def wrap(self, x):\n        return {}"
    assert _judge(wrap, body.format("Any()")) == (False, "tests_failed")
    assert _judge(wrap, body.format("[Any()]")) == (False, "tests_failed")
    assert _judge(wrap, body.format("[x]")) == (True, None)


@needs_bwrap
def test_call_based_real_numbers_are_compared_within_the_stated_error(store, write_jsonl) -> None:
    """LeetCode (via LiveCodeBench) and APPS call-based tasks whose statement allows an error ("Answers within 10^-5
    of the actual answer will be accepted."): code 11 compared a returned real number exactly, so a right
    `2.5000000001` failed `2.50000`. A real number within the stated error passes, never one beyond it; an expected
    integer and a bool stay exact, and without a statement a real number must be equal."""
    leet = "class Solution:\n    def half(self, n: int) -> float:\n        "
    rows = [
        {
            "problem": "Return n / 2. Answers within 10^-5 of the actual answer will be accepted.",
            "starter_code": leet,
            "tests": json.dumps([{"input": "5", "output": "2.50000", "testtype": "functional"}]),
        },
        {
            "problem": "Return n / 2 and n // 2. Answers within 10^-5 of the actual answer will be accepted.",
            "starter_code": leet.replace("half", "halves"),
            "tests": json.dumps([{"input": "5", "output": "[2.50000, 2]", "testtype": "functional"}]),
        },
        {
            "problem": "Return n / 3 exactly as printed.",
            "starter_code": leet.replace("half", "third"),
            "tests": json.dumps([{"input": "1", "output": "0.33333", "testtype": "functional"}]),
        },
        {
            "question": "Return the mean of xs. Your answer is accepted if its absolute or relative error does not "
            "exceed 10^{-6}.",
            "starter_code": "def mean(xs):\n    ",
            "input_output": json.dumps({"fn_name": "mean", "inputs": [[[1, 2, 2]]], "outputs": [1.6666666667]}),
        },
    ]
    ingest_paths(store, [write_jsonl("f.jsonl", rows)])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    half, halves, third, mean = (
        next(t for t in tasks.values() if f"def {w}" in t["prompt"]) for w in ("half", "halves", "third", "mean")
    )
    body = "class Solution:\n    def {}(self, n):\n        return {}"
    assert _judge(half, body.format("half", "n / 2 + 1e-9")) == (True, None)
    assert _judge(half, body.format("half", "n / 2 + 4e-6")) == (True, None)
    assert _judge(half, body.format("half", "n / 2 + 2e-5")) == (False, "tests_failed")
    assert _judge(half, body.format("half", "True")) == (False, "tests_failed")
    assert _judge(halves, body.format("halves", "[n / 2 + 1e-9, n // 2]")) == (True, None)
    assert _judge(halves, body.format("halves", "[n / 2, n // 2 + 1e-9]")) == (False, "tests_failed")
    assert _judge(third, body.format("third", "n / 3")) == (False, "tests_failed")  # no statement: as given
    assert _judge(third, body.format("third", "0.33333")) == (True, None)
    assert _judge(mean, "def mean(xs):\n    return sum(xs) / len(xs)") == (True, None)
    assert _judge(mean, "def mean(xs):\n    return 1.667") == (False, "tests_failed")
    # the solution cannot loosen the error it is judged by
    loosen = "__thinkmill_tol__ = (1.0, 1.0)\n_tm_tol = (1.0, 1.0)\n" + body.format("half", "n / 2 + 0.001")
    assert _judge(half, loosen) == (False, "tests_failed")


# The bulk path's shortcut (`script_summary`: one parse per shape of line) must give what `Script` gives, or step
# aside. Generated lines mix the subset it reads with what it must refuse (numbers Python reads as one token with
# their neighbour, string prefixes, assignments, comprehensions, bad syntax, builtins, keywords).
_ATOMS = [
    "f(1)",
    "g(x)",
    "f(g(2), [1, 2])",
    "h()",
    "len(f(3))",
    "sorted(f([3, 1]))",
    "obj.m(1)",
    "f(1)(2)",
    "x",
    "y",
    "1",
    "0",
    "10",
    "1.5",
    "0.25",
    "007",
    "1e5",
    "0x1F",
    "1_000",
    "1j",
    "1.",
    "x.5",
    "1 .real",
    "1.real",
    "'a'",
    '"b c"',
    "''",
    "'a#b'",
    "f'x{y}'",
    "b'x'",
    "r'x'",
    "'''t'''",
    "'a''b'",
    "None",
    "True",
    "-1",
    "~x",
    "(1, 2)",
    "[f(1), g(2)]",
    "{'k': h(1)}",
    "{1, 2}",
    "f(*[1])",
    "f(**{})",
    "lambda a: f(a)",
    "[i for i in f(1)]",
    "(z := f(1))",
    "f(1) if x else g(2)",
    "not f(1)",
    "f(1) and g(2)",
    "x[1:2]",
    "x[...]",
    "print(1)",
    "max(f(1), 2)",
]
_OPS = [
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "is",
    "is not",
    "in",
    "not in",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "<<",
    ">>",
]
_FORMS = [
    "assert {a} {op} {b}",
    "assert {a}{op}{b}",
    "assert {a} {op} {b}, 'msg'",
    "{a}",
    "{a} {op} {b}",
    "x = {a}",
    "assert {a} {op} {b} #c",
    "assert {a} {op} {b};",
    "  assert {a}",
    "if {a}: assert {b}",
    "assert {a} {op}",
    "assert ({a}",
    "for i in {a}: assert {b}",
    "import math",
    "def f(): return {a}",
    "assert  {a}  {op}  {b}  ",
    "",
    "   ",
    "del x",
    "global x",
    "pass",
    "assert all(v > 0 for v in {a})",
    # a bound name that is also called is not one the prompt must name
    "for f in [g]: assert f(1) {op} {b}",
    "assert (f := g)(1) {op} {b}",
    "assert [f(1) for f in [g]] {op} {a}",
    "assert (lambda f: f(1))(g) {op} {b}",
]


def _respace(line: str, rnd) -> str:
    """The line with a space added or taken away somewhere: `1e5` becomes `1 e5`, `is not` becomes `isnot`, ..."""
    for _ in range(rnd.randint(0, 2)):
        if rnd.random() < 0.5:
            at = rnd.randrange(len(line) + 1)
            line = line[:at] + " " + line[at:]
        elif " " in line:
            drop = rnd.choice([i for i, c in enumerate(line) if c == " "])
            line = line[:drop] + line[drop + 1 :]
    return line


def _summary_by_script(lines: list[str]):
    from pipeline.ingest.code_tests import Script, TestsProblem

    try:
        s = Script("\n".join(lines))
    except TestsProblem:
        return "invalid"
    return s.tests, s.calls


def test_script_summary_agrees_with_script_on_generated_lines() -> None:
    import random

    from pipeline.ingest import code_tests
    from pipeline.ingest.code_tests import script_summary

    rnd = random.Random(7)
    taken = 0
    for k in range(12000):
        if k % 1000 == 0:
            code_tests._SHAPES.clear()  # the first line of a shape and the later ones both get compared
        lines = []
        for _ in range(rnd.randint(1, 3)):
            form = rnd.choice(_FORMS)
            line = form.format(a=rnd.choice(_ATOMS), b=rnd.choice(_ATOMS), op=rnd.choice(_OPS))
            lines.append(_respace(line, rnd) if rnd.random() < 0.5 else line)
        got = script_summary(lines)
        if got is not None:
            taken += 1
            assert _summary_by_script(lines) == got, lines
    assert taken > 1500  # the shortcut reads the lines of the subset (most forms above are outside it)


def test_script_summary_reads_mbpp_style_asserts() -> None:
    from pipeline.ingest.code_tests import script_summary

    mbpp = [
        'assert remove_Occ("hello","l") == "heo"',
        'assert remove_Occ("abcda","a") == "bcd"',
        "assert max_chain_length([Pair(5, 24), Pair(15, 25)], 2) == 3",
    ]
    assert script_summary(mbpp) == (3, ["remove_Occ", "max_chain_length", "Pair"]) == _summary_by_script(mbpp)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("assert f(1 << 2)", "assert f(1 < < 2)"),
        ("assert f(x[1:.5])", "assert f(x[1:. 5])"),
        ("assert f(1e5)", "assert f(1 e5)"),
        ("assert f(0x1F)", "assert f(0 x1F)"),
        ("assert f(f'x')", "assert f(f 'x')"),
        ("assert f(1 .real)", "assert f(1.real)"),
        ("assert f(x is not y)", "assert f(x isnot y)"),
        ("assert f(7)", "assert f(007)"),
        ("assert f(...)", "assert f(. . .)"),
        ("assert f(a->b)", "assert f(a- >b)"),
    ],
)
def test_script_summary_tells_apart_lines_python_tokenises_differently(one: str, other: str) -> None:
    """Pairs that look alike token by token but that Python reads differently: whichever is seen first, the other is
    not read off its shape."""
    from pipeline.ingest import code_tests
    from pipeline.ingest.code_tests import script_summary

    for first, second in ((one, other), (other, one)):
        code_tests._SHAPES.clear()
        for line in (first, second):
            got = script_summary([line])
            assert got is None or got == _summary_by_script([line]), (first, second)


@needs_bwrap
def test_taco_call_based_task_with_leetcode_starter_code_runs_after_its_imports(store, write_jsonl) -> None:
    """TACO's and APPS's harness runs call-based solutions after its imports (`from typing import List`, ...), as
    LeetCode does: a right answer that copies the starter code's `List[int]` without an import failed
    runtime_error (NameError), so every such right answer was rejected."""
    row = {
        "question": "Say you have an array prices. Find the maximum profit of one buy and one sell.",
        "starter_code": "class Solution:\n    def maxProfit(self, prices: List[int]) -> int:\n        ",
        "input_output": json.dumps(
            {"fn_name": "maxProfit", "inputs": [[[7, 1, 5, 3, 6, 4]], [[7, 6, 4]]], "outputs": [5, 0]}
        ),
    }
    rep = ingest_paths(store, [write_jsonl("taco.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    (task,) = store.read("tasks").iter_rows(named=True)
    right = (
        "class Solution:\n    def maxProfit(self, prices: List[int]) -> int:\n        best, low = 0, float('inf')\n"
        "        for p in prices:\n            low = min(low, p)\n            best = max(best, p - low)\n"
        "        return best\n"
    )
    assert _judge(task, right) == (True, None)
    assert _judge(task, right.replace("p - low", "p - low + 1"))[0] is False


@needs_bwrap
def test_call_based_float_rounding_passes_without_a_stated_error(store, write_jsonl) -> None:
    """A right function whose float arithmetic rounds (`0.1 * 3` is `0.30000000000000004`, `10 * 0.7` is
    `7.000000000000001`) failed code 12 `tests_failed` against the dataset's `0.3` / `7` where the statement states no
    error. A returned float within a relative 1e-9 of an expected real number (math.isclose's default) passes, and
    one within float rounding (1e-12) of an expected integer that it rounds to; a bool, a returned integer and any
    other error stay exact."""
    rows = [
        {
            "question": "Return the area of a w by h rectangle.",
            "starter_code": "def area(w, h):\n    ",
            "input_output": json.dumps({"fn_name": "area", "inputs": [[0.1, 3], [2, 0.5]], "outputs": [0.3, 1.0]}),
        },
        {
            "question": "Return x scaled by the factor f.",
            "starter_code": "def scale(x, f):\n    ",
            "input_output": json.dumps({"fn_name": "scale", "inputs": [[10, 0.7], [3, 1]], "outputs": [7, [3]]}),
        },
        {
            "problem": "Return the total price of n items at price p.",
            "starter_code": "class Solution:\n    def total(self, n: int, p: float) -> float:\n        ",
            "tests": json.dumps([{"input": "3\n0.1", "output": "0.3", "testtype": "functional"}]),
        },
    ]
    ingest_paths(store, [write_jsonl("r.jsonl", rows)])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    area, scale, total = (
        next(t for t in tasks.values() if f"def {w}" in t["prompt"]) for w in ("area", "scale", "total")
    )
    assert _judge(area, "def area(w, h):\n    return w * h") == (True, None)
    assert _judge(area, "def area(w, h):\n    return w * h * (1 + 1e-6)") == (False, "tests_failed")
    assert _judge(area, "def area(w, h):\n    return round(w * h, 1) + 1e-12") == (True, None)
    assert _judge(scale, "def scale(x, f):\n    return x * f") == (True, None)
    assert _judge(scale, "def scale(x, f):\n    return x * f + 1e-9") == (False, "tests_failed")
    assert _judge(scale, "def scale(x, f):\n    return x * f + 1") == (False, "tests_failed")
    body = "class Solution:\n    def total(self, n, p):\n        return {}"
    assert _judge(total, body.format("n * p")) == (True, None)
    assert _judge(total, body.format("n * p + 1e-7")) == (False, "tests_failed")


@needs_bwrap
def test_call_based_fraction_passes_for_the_number_it_equals(store, write_jsonl) -> None:
    """`fractions.Fraction` is written in Python, so code 12 took its `==` for the solution's own (the object equal
    to everything) and failed every right answer returning one. A stdlib Fraction meets an expected number it equals
    exactly (compared by its numerator and denominator, never by its `==`, which the solution could replace)."""
    rows = [
        {
            "question": "Return the mean of xs.",
            "starter_code": "def mean(xs):\n    ",
            "input_output": json.dumps(
                {"fn_name": "mean", "inputs": [[[1, 2]], [[1, 3]], [[2]]], "outputs": [1.5, 2, [2]]}
            ),
        },
        {
            "question": "Return the mean of xs.",
            "starter_code": "def third(xs):\n    ",
            "input_output": json.dumps({"fn_name": "third", "inputs": [[[1, 0, 0]]], "outputs": [0.333333]}),
        },
    ]
    ingest_paths(store, [write_jsonl("q.jsonl", rows)])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    mean, third = (next(t for t in tasks.values() if f"def {w}" in t["prompt"]) for w in ("mean", "third"))
    right = "from fractions import Fraction\n\n\ndef mean(xs):\n    return Fraction(sum(xs), len(xs))"
    assert _judge(mean, right) == (True, None)
    assert _judge(mean, right.replace("sum(xs)", "sum(xs) + 1")) == (False, "tests_failed")
    assert _judge(third, right.replace("def mean", "def third")) == (False, "tests_failed")  # 1/3 is not 0.333333
    # the solution cannot make a Fraction equal to everything
    patched = right.replace("return Fraction(sum(xs), len(xs))", "return Fraction(7)") + (
        "\n\n\nFraction.__eq__ = lambda self, other: True\n"
    )
    assert _judge(mean, patched) == (False, "tests_failed")
    anything = (
        "from fractions import Fraction\n\n\nclass Any(int):\n    def __eq__(self, other):\n        return True\n\n"
        "    __hash__ = int.__hash__\n\n\ndef mean(xs):\n    f = Fraction(1)\n    f._numerator = Any(1)\n    return f"
    )
    assert _judge(mean, anything) == (False, "tests_failed")


@needs_bwrap
def test_call_based_tests_cannot_be_bent_from_inside_the_tested_function(store, write_jsonl) -> None:
    """The tested function runs in the script's namespace: code 12 looked its comparison helpers, the stated error and
    the expected values up there after the call, so a function rebinding `_tm_eq`, loosening `__thinkmill_tol__` or
    rewriting `_tm_cases` passed with wrong results, and one rebinding the helpers on its first (right) call passed
    every later case. The comparison and the expected values are the script's own (bound before the call), and the
    harness binds the script's `_tm_*` names again before each test."""
    half = {
        "problem": "Return n / 2. Answers within 10^-5 of the actual answer will be accepted.",
        "starter_code": "class Solution:\n    def half(self, n: int) -> float:\n        ",
        "tests": json.dumps([{"input": "5", "output": "2.50000", "testtype": "functional"}]),
    }
    ingest_paths(store, [write_jsonl("a.jsonl", [APPS_CALL, half])])
    tasks = {r["task_id"]: r for r in store.read("tasks").iter_rows(named=True)}
    apps, half = (next(t for t in tasks.values() if w in t["prompt"]) for w in ("add_all", "def half"))
    fn = "def add_all(xs, k):\n    {}\n    return {}"
    assert _judge(apps, fn.format("pass", "sum(xs) + k")) == (True, None)
    assert _judge(apps, fn.format("globals()['_tm_eq'] = lambda got, want: True", "-1"))[0] is False
    assert _judge(apps, fn.format("globals()['_tm_same'] = lambda got, want: True", "-1"))[0] is False
    rewrite = "for c in globals().get('_tm_cases', []):\n        c[1] = -1"
    assert _judge(apps, fn.format(rewrite, "-1"))[0] is False
    # right on the first case, then every helper the later cases use says yes
    later = (
        "g = globals()\n    for name in [n for n in g if n.startswith('_tm_') and callable(g[n])]:\n"
        "        g[name] = lambda *a, **k: True"
    )
    assert _judge(apps, fn.format(later, "sum(xs) + k if xs == [1, 2] else -1"))[0] is False
    loosen = "globals()['__thinkmill_tol__'] = (1.0, 1.0)"
    body = "class Solution:\n    def half(self, n):\n        " + loosen + "\n        return {}"
    assert _judge(half, body.format("n / 2 + 1e-9")) == (True, None)
    assert _judge(half, body.format("n / 2 + 0.001")) == (False, "tests_failed")
