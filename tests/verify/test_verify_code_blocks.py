"""Which fenced block of a response is its solution. Models follow the solution with an example-usage block, their
own asserts, the sample's output or its input; the last block alone was run, so such right answers failed
(`runtime_error`, `wrong_output`, `syntax_error`) and the dataset kept only responses without examples. The solution
is the last block that defines a function or class, binds a name the tests use, or (stdin/stdout tests) reads the
input; a later block that does none of these (usage, asserts, sample data) is not. A later block that redefines the
tested name, or any function, is still the solution: a right draft never passes for a wrong final answer."""

from __future__ import annotations

import shutil

import pytest

from pipeline.verify.verifiers.code import extract_code, solution_blocks, stated_tolerance

F = "```"
ASSERTS = "assert add(2, 3) == 5\nassert add(-1, 1) == 0"
CASES = [{"input": "2 3\n", "output": "5\n"}, {"input": "10 5\n", "output": "15\n"}]
DEF = "def add(a, b):\n    return a + b\n"
READS = "a, b = map(int, input().split())\nprint(a + b)\n"
MAIN = "def main():\n    a, b = map(int, input().split())\n    print(a + b)\n\n\nmain()\n"


def block(body: str, lang: str = "python") -> str:
    return F + lang + "\n" + body + F


SOLUTION_FIRST = [
    ("usage", ASSERTS, DEF, block(DEF) + "\n\nExample usage:\n\n" + block("print(add(2, 3))  # 5\n")),
    ("own asserts", ASSERTS, DEF, block(DEF) + "\n\nTests:\n" + block("assert add(1, 1) == 2\n")),
    ("usage binding a result", ASSERTS, DEF, block(DEF) + "\n" + block("result = add(2, 3)\nprint(result)\n")),
    ("usage with its output", ASSERTS, DEF, block(DEF) + "\nFor example:\n" + block("add(2, 3)  => 5\n")),
    ("sample output", CASES, READS, block(READS) + "\n\nFor input `2 3` it prints:\n" + block("5\n", "")),
    ("sample input", CASES, READS, block(READS) + "\n\nSample input:\n" + block("2 3\n", "")),
    ("main, then sample output", CASES, MAIN, block(MAIN) + "\nOutput:\n" + block("5\n", "")),
]


@pytest.mark.parametrize(("name", "tests", "solution", "text"), SOLUTION_FIRST)
def test_the_solution_is_not_the_example_after_it(name: str, tests, solution: str, text: str) -> None:
    assert extract_code(text, tests) == solution


FINAL_ANSWER = [
    # a fix of the tested name: the final answer, even though an earlier block defined it right
    (
        "redefined by a lambda",
        ASSERTS,
        block(DEF) + "\nActually:\n" + block("add = lambda a, b: a - b\n"),
        "add = lambda a, b: a - b\n",
    ),
    (
        "another function",
        ASSERTS,
        block(DEF) + "\nBetter:\n" + block("def add_numbers(a, b):\n    return a + b\n"),
        "def add_numbers(a, b):\n    return a + b\n",
    ),
    (
        "a broken final definition",
        ASSERTS,
        block(DEF) + "\nFinal:\n" + block("def add(a, b)\n    return a + b\n"),
        "def add(a, b)\n    return a + b\n",
    ),
    (
        "a fixed reader",
        CASES,
        block(READS) + "\nFixed:\n" + block("print(sum(map(int, input().split())) + 1)\n"),
        "print(sum(map(int, input().split())) + 1)\n",
    ),
    (
        "imported name",
        ASSERTS,
        block(DEF) + "\n" + block("from operator import sub as add\n"),
        "from operator import sub as add\n",
    ),
    ("only usage", ASSERTS, block("print(add(2, 3))\n"), "print(add(2, 3))\n"),
    ("tests unreadable", "assert add(2, 3) ==", block(DEF) + "\n" + block("print(add(2, 3))\n"), "print(add(2, 3))\n"),
]


@pytest.mark.parametrize(("name", "tests", "text", "solution"), FINAL_ANSWER)
def test_a_later_definition_is_the_final_answer(name: str, tests, text: str, solution: str) -> None:
    assert extract_code(text, tests) == solution


def test_without_tests_the_last_block_is_taken() -> None:
    text = "```bash\nls\n```\n```python\nx = 1\n```\nthen\n```py\nx = 2\n```\n```text\nout\n```"
    assert extract_code(text) == "x = 2\n"
    assert extract_code("no code") is None


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("case", SOLUTION_FIRST, ids=lambda c: c[0])
def test_right_answers_with_examples_pass(check, case) -> None:
    _, tests, _, text = case
    assert check("code", text, None, tests=tests).passed


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("case", FINAL_ANSWER[:4], ids=lambda c: c[0])
def test_a_wrong_final_answer_fails_after_a_right_draft(check, case) -> None:
    _, tests, text, _ = case
    assert not check("code", text, None, tests=tests).passed


# Every solution an answer presents is run, not only its last: an answer offering two versions of the tested function
# ("brute force", then "optimised") or two whole programs trains the fine-tune on both, and code 5 ran the last alone,
# so a wrong first version passed beside a right second one. An earlier block is another solution when it binds a name
# the asserts use at top level, or (stdin/stdout cases) reads the input and prints; a helper, a snippet that only
# reads the input, a pytest-style test function or a block that does not parse is not.
SLOW = "def add(a, b):\n    return sum([a, b])\n"
WRONG_ADD = "def add(a, b):\n    return a - b\n"
PROGRAM = "a, b = map(int, input().split())\nprint(a - b)\n"
# the model's own tests as a class: unittest's `TestCase` (run by `unittest.main()`), pytest's `Test*` class; code 17
# took such a block for the final answer and ran it alone, so the right function before it failed (`runtime_error`,
# `exit_before_tests`)
UNITTEST = (
    "import unittest\n\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n"
    "        self.assertEqual(add(2, 3), 5)\n\n\nif __name__ == '__main__':\n    unittest.main()\n"
)
PYTEST_CLASS = "class TestAdd:\n    def test_add(self):\n        assert add(2, 3) == 5\n"

ALTERNATIVES = [
    # (name, tests, text, the blocks run: the final solution first, then the earlier ones in order)
    ("two versions of the tested name", ASSERTS, block(WRONG_ADD) + "\nFaster:\n" + block(DEF), [DEF, WRONG_ADD]),
    (
        "a lambda first",
        ASSERTS,
        block("add = lambda a, b: a * b\n") + "\nOr:\n" + block(DEF),
        [DEF, "add = lambda a, b: a * b\n"],
    ),
    ("two programs", CASES, block(PROGRAM) + "\nShorter:\n" + block(READS), [READS, PROGRAM]),
    ("a helper before the solution", ASSERTS, block("def helper(x):\n    return x\n") + "\n" + block(DEF), [DEF]),
    (
        "a snippet reading the input",
        CASES,
        block("a, b = map(int, input().split())\n") + "\nThen:\n" + block(READS),
        [READS],
    ),
    (
        "a test function after",
        ASSERTS,
        block(DEF) + "\nTest it:\n" + block("def test_add():\n    assert add(2, 3) == 5\n"),
        [DEF],
    ),
    ("a unittest class after", ASSERTS, block(DEF) + "\nUnit tests:\n" + block(UNITTEST), [DEF]),
    ("a pytest class after", ASSERTS, block(DEF) + "\nTests:\n" + block(PYTEST_CLASS), [DEF]),
    ("a broken draft first", ASSERTS, block("def add(a, b)\n    return a + b\n") + "\nFixed:\n" + block(DEF), [DEF]),
    ("the same block twice", ASSERTS, block(DEF) + "\nAgain:\n" + block(DEF), [DEF]),
    ("tests unreadable", "assert add(2, 3) ==", block(WRONG_ADD) + "\n" + block(DEF), [DEF]),
    # a task that asks for a function named test_...: its definition is the solution, not a test of it
    (
        "a solution named test_",
        "assert test_even(2)",
        block("def test_even(n):\n    return n % 2 == 0\n") + "\nFor example:\n" + block("print(test_even(4))\n"),
        ["def test_even(n):\n    return n % 2 == 0\n"],
    ),
    (
        "a solution class named Test",
        "assert TestTube(3).volume == 3",
        block("class TestTube:\n    def __init__(self, v):\n        self.volume = v\n")
        + "\nFor example:\n"
        + block("print(TestTube(4).volume)\n"),
        ["class TestTube:\n    def __init__(self, v):\n        self.volume = v\n"],
    ),
]


@pytest.mark.parametrize(("name", "tests", "text", "run"), ALTERNATIVES, ids=[a[0] for a in ALTERNATIVES])
def test_every_solution_the_answer_presents_is_run(name: str, tests, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, tests)] == run
    assert extract_code(text, tests) == run[0]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_wrong_first_version_fails_beside_a_right_one(check) -> None:
    res = check("code", block(WRONG_ADD) + "\nFaster:\n" + block(DEF), None, tests=ASSERTS)
    assert (res.passed, res.detail) == (False, "another_solution_failed")
    assert res.details == {"block": 1, "blocks": 2, "failure": "tests_failed"}
    res = check("code", block(PROGRAM) + "\nShorter:\n" + block(READS), None, tests=CASES)
    assert (res.passed, res.detail, res.details["failure"]) == (False, "another_solution_failed", "wrong_output")


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize(
    "text",
    [
        block(SLOW) + "\nFaster:\n" + block(DEF),
        block("def helper(x):\n    return x\n") + "\n" + block(DEF),
        block(DEF) + "\nTest it:\n" + block("def test_add():\n    assert add(2, 3) == 5\n"),
        block(DEF) + "\nUnit tests:\n" + block(UNITTEST),
        block(DEF) + "\nUnit tests:\n" + block(UNITTEST.replace("if __name__ == '__main__':\n    ", "")),
        block(DEF) + "\nTests:\n" + block(PYTEST_CLASS),
    ],
    ids=["two right versions", "a helper first", "a test function after", "unittest", "unittest.main", "pytest class"],
)
def test_right_answers_with_several_blocks_pass(check, text: str) -> None:
    assert check("code", text, None, tests=ASSERTS).passed


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_but_slow_first_approach_does_not_fail_the_answer(registry) -> None:
    """Editorial answers show a brute force before the efficient solution: right, and too slow for the limit. Only a
    wrong result of another solution fails the answer; its time, memory or output limit does not."""
    from pipeline.verify.config import SandboxConfig, VerifyConfig
    from pipeline.verify.result import TaskSpec

    slow = "def add(a, b):\n    import time\n    time.sleep(5)\n    return a + b\n"
    text = "Brute force:\n" + block(slow) + "\nEfficient:\n" + block(DEF)
    cfg = VerifyConfig(code=SandboxConfig(timeout_s=1, max_total_wall_s=3))
    res = registry.get("code").check(text, TaskSpec("t", "code", None, {"tests": ASSERTS}), cfg)
    assert res.passed, res


# A program that reads the input through `from sys import stdin` (`stdin.readline()`, `stdin.read()`) or fast I/O's
# `os.read(0, ...)`, and writes through `stdout.write`, reads and prints as much as one calling `input()`: code 6 did
# not see it read, so such a program after a draft was no solution and the draft ran instead (a right draft passed
# for a wrong final program), and such a program before the final one was never run.
FROM_SYS = (
    "from sys import stdin, stdout\na, b = map(int, stdin.readline().split())\nstdout.write(str(a - b) + '\\n')\n"
)
OS_READ = "import os\na, b = map(int, os.read(0, 1 << 16).split())\nos.write(1, b'%d\\n' % (a - b))\n"
STDIN_IDIOMS = [
    ("from sys import stdin, after a draft", block(READS) + "\nFaster I/O:\n" + block(FROM_SYS), [FROM_SYS, READS]),
    ("from sys import stdin, before", block(FROM_SYS) + "\nSimpler:\n" + block(READS), [READS, FROM_SYS]),
    ("os.read(0), after a draft", block(READS) + "\nFaster I/O:\n" + block(OS_READ), [OS_READ, READS]),
    ("from sys import stdin, then its output", block(FROM_SYS) + "\nOutput:\n" + block("5\n", ""), [FROM_SYS]),
    # a sample captioned with the word reads nothing
    ("a sample named stdin after", block(READS) + "\nSample:\n" + block("# stdin\n2 3\n", ""), [READS]),
]


@pytest.mark.parametrize(("name", "text", "run"), STDIN_IDIOMS, ids=[a[0] for a in STDIN_IDIOMS])
def test_programs_reading_stdin_by_other_names_are_solutions(name: str, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, CASES)] == run


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("case", STDIN_IDIOMS[:3], ids=lambda c: c[0])
def test_a_wrong_program_reading_stdin_by_another_name_fails(check, case) -> None:
    _, text, _ = case
    res = check("code", text, None, tests=CASES)
    assert not res.passed, res


# A fence inside a list item is indented with the item ("2. Print the sum:\n\n   ```python\n   ...\n   ```"): the
# block's lines carry the item's indent, which is Markdown's, not the code's. Run as written, every such right
# answer failed `syntax_error` (unexpected indent).
INDENTED = "1. Read the input.\n2. Print the sum:\n\n   ```python\n   " + READS.replace("\n", "\n   ") + "```\n"


def test_a_block_indented_in_a_list_item_is_its_code() -> None:
    assert extract_code(INDENTED, CASES) == READS
    assert extract_code("- Code:\n\n  ```python\n  " + DEF.replace("\n", "\n  ") + "```\n", ASSERTS) == DEF


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_answer_in_an_indented_block_passes(check) -> None:
    assert check("code", INDENTED, None, tests=CASES).passed
    assert check("code", INDENTED.replace("a + b", "a - b"), None, tests=CASES).detail == "wrong_output"


# Markdown's other fence, `~~~` (CommonMark), which some models write: code 7 saw no block in it (`no_code`), so every
# such right answer failed. A `~~~` block ends at `~~~`, not at a backtick fence quoted inside it.
TILDES = "Solution:\n\n~~~python\n" + READS + "~~~\n\nFor `2 3` it prints `5`.\n"


def test_a_tilde_fence_is_a_code_block() -> None:
    assert extract_code(TILDES, CASES) == READS
    assert extract_code("~~~\n" + DEF + "~~~\n", ASSERTS) == DEF
    assert extract_code("~~~ py\n" + DEF + "~~~\n" + block("print(add(2, 3))\n"), ASSERTS) == DEF
    assert extract_code("~~~text\n2 3\n~~~\n") is None
    quoting = "~~~python\ns = '''\n```\n'''\n" + DEF + "~~~\n"
    assert extract_code(quoting, ASSERTS) == "s = '''\n```\n'''\n" + DEF


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_answer_in_a_tilde_fence_passes(check) -> None:
    assert check("code", TILDES, None, tests=CASES).passed
    assert check("code", TILDES.replace("a + b", "a - b"), None, tests=CASES).detail == "wrong_output"


# The error a task allows its real numbers, as its statement says it (Codeforces / CodeContests, AtCoder via
# LiveCodeBench, APPS's `10^{ - 6}`): `(absolute, relative)`, None where the statement allows none or one too loose to
# trust (over 1e-2). Without it a printed real number must equal the expected one by value.
TOLERANCES = [
    ("Your answer will be considered correct if its absolute or relative error does not exceed 10^{-6}.", (1e-6, 1e-6)),
    ("Your answer is considered correct if its absolute or relative error does not exceed 10^{ - 9}.", (1e-9, 1e-9)),
    (
        "Your output will be considered correct when its absolute or relative error from the judge's output is at most "
        "10^{-6}.",
        (1e-6, 1e-6),
    ),
    ("The answer is accepted if its relative or absolute error doesn't exceed $10^{-4}$.", (1e-4, 1e-4)),
    ("Answers with an absolute error of at most 1e-5 are accepted.", (1e-5, None)),
    ("Print the value; a relative error less than 10⁻⁶ is allowed.", (None, 1e-6)),
    ("The absolute error must not exceed 0.001.", (1e-3, None)),
    ("The checker accepts an absolute or relative error up to 5 \\cdot 10^{-7}.", (5e-7, 5e-7)),
    # CodeContests' statements lost the superscript (Codeforces' HTML `10<sup>-6</sup>`): "10 - 6"
    ("The answer will be considered correct if its absolute or relative error does not exceed 10 - 6.", (1e-6, 1e-6)),
    ("The answer will be accepted if its relative or absolute error does not exceed 10 - 9. Namely: ...", (1e-9, 1e-9)),
    ("The checker accepts an absolute error of at most 10-4.", (1e-4, None)),
    ("The relative error of each sensor does not exceed 10 - 20%.", None),
    ("Print the answer with absolute error at most 0.5.", None),
    ("Print the answer with a relative error of at most 1%.", None),
    ("Print the sum. The absolute value of each number is at most 10^9.", None),
    ("Sort the numbers by their relative order. Print 0.000001 if there is no error.", None),
    ("Print the answer with 6 digits after the decimal point.", None),
    # statements as the datasets give them: Codeforces via CodeContests ("valid", "10- 4"), AtCoder, CodeChef
    (
        "Print a single real value — the minimum time. You answer will be considered correct if its absolute or "
        "relative error does not exceed 10 - 6.",
        (1e-6, 1e-6),
    ),
    ("The answer will be considered valid if its absolute or relative error does not exceed 10 - 6.", (1e-6, 1e-6)),
    ("The answer will be considered correct if the absolute or relative error does not exceed 10- 4.", (1e-4, 1e-4)),
    (
        "Your output is considered correct if the absolute or relative error from the true answer is at most "
        "10^{\u22126}.",
        (1e-6, 1e-6),
    ),
    ("Your answer will be considered correct if it has an absolute or relative error less than 10^{-6}", (1e-6, 1e-6)),
    ("Print the answer with absolute or relative error not exceeding 10^{-6}.", (1e-6, 1e-6)),
    ("Output the area with an absolute error of at most 1e-6.", (1e-6, None)),
    ("An absolute or relative error of 10^{-6} is allowed.", (1e-6, 1e-6)),
    # an error the story tells of (a sensor's, an algorithm's) is no limit on the answer: code 10 read each, and a
    # wrong number within it passed
    # the number before the words, and a statement wrapped mid-sentence across lines, as statements are laid out:
    # code 11 read neither, and right answers within the error failed
    ("Answers within 10^{-6} absolute or relative error will be accepted.", (1e-6, 1e-6)),
    ("Your answer will be accepted if it is within 1e-6 absolute error of the jury's answer.", (1e-6, None)),
    (
        "Your answer will be considered correct if its absolute or\nrelative error does not exceed 10^{-6}.",
        (1e-6, 1e-6),
    ),
    ("The answer is accepted if its absolute error does not exceed\n10^{-9}.", (1e-9, None)),
    # LeetCode via LiveCodeBench: within the number of the actual answer, an absolute error
    ("Answers within 10^-5 of the actual answer will be accepted.", (1e-5, None)),
    ("Answers within 10-5 of the actual value will be accepted as correct.", (1e-5, None)),
    ("Each value lies within 10^-5 of the actual answer.", None),
    ("Each sensor reads within 0.001 of the true value, which is accepted practice. Print the mean.", None),
    ("Print the sum.\nThe absolute value of each number is at most 10^9.", None),
    ("Input\nThe relative error of each sensor\nOutput\nPrint 0.001 if your answer is accepted.", None),
    ("The relative error of each sensor is 0.005. Print the mean reading.", None),
    ("Each sensor has a relative error of at most 0.005. Print the mean reading.", None),
    ("Measurements have an absolute error of 1e-3 due to noise; print their mean.", None),
    (
        "The relative error of the old method is 0.001. Print the expected number of steps with absolute error at "
        "most 1e-6.",
        (1e-6, None),
    ),
    # a verdict or a requirement said of something of the story (a reading, a sensor), not of the answer: code 12
    # read each, and a wrong number within 0.5% passed
    ("A reading is accepted if its relative error does not exceed 0.005. Print the mean reading.", None),
    ("The relative error of each sensor must not exceed 0.005. Print the mean reading.", None),
    ("A sensor is considered faulty if its absolute error exceeds 0.001. Print the number of sensors.", None),
    (
        "A reading is accepted if its relative error does not exceed 0.005.\n\nOutput\nPrint the mean reading. "
        "Your answer is considered correct if its absolute or relative error does not exceed 10^{-6}.",
        (1e-6, 1e-6),
    ),
    ("Checker will accept answers with absolute or relative error not exceeding 10^{-6}.", (1e-6, 1e-6)),
    ("The jury accepts an absolute or relative error of at most 10^{-6}.", (1e-6, 1e-6)),
    # the answer as "it" or "the result" with a verdict of correctness, and an error after a heading's word: read
    (
        "Print the time. It will be considered correct if its absolute or relative error does not exceed 10^{-6}.",
        (1e-6, 1e-6),
    ),
    ("The result will be considered correct if its absolute or relative error does not exceed 10^{-6}.", (1e-6, 1e-6)),
    ("Precision: an absolute or relative error of at most 1e-6 is accepted.", (1e-6, 1e-6)),
    ("The result of each reading is considered correct if its relative error is at most 0.005.", None),
    ("It is accepted if its relative error does not exceed 0.005.", None),
    # Codeforces statements scraped to HTML keep the superscript as a tag (`10<sup>-6</sup>`, a Unicode minus, an
    # entity, Codeforces' own `class="upper-index"` and spaces): code 18 read none, and right answers failed
    (
        "Your answer will be considered correct if its absolute or relative error does not exceed 10<sup>-6</sup>.",
        (1e-6, 1e-6),
    ),
    ("The answer is accepted if its absolute or relative error does not exceed 10<sup>\u22129</sup>.", (1e-9, 1e-9)),
    ("The answer is accepted if its absolute error does not exceed&nbsp;10<sup>&minus;4</sup>.", (1e-4, None)),
    (
        'Your answer is considered correct if its absolute or relative error does not exceed <span class="tex-span">'
        '10<sup class="upper-index"> - 6</sup></span>.',
        (1e-6, 1e-6),
    ),
    ("Print the sum. The absolute value of each number is at most 10<sup>9</sup>.", None),
    ("The relative error of each sensor is 10<sup>-3</sup>. Print the mean reading.", None),
    # the error said as the difference between the answer and the reference: code 18 read none, and right answers
    # within it failed; a difference of the story's things, or with no reference named, is no stated error
    ("The absolute difference between your answer and the judge answer is at most 10^{-6}.", (1e-6, None)),
    (
        "Your answer will be considered correct if its absolute or relative difference from the correct answer does "
        "not exceed 10^-6",
        (1e-6, 1e-6),
    ),
    ("Your output will be accepted if the absolute difference from the jury's output is at most 1e-6.", (1e-6, None)),
    (
        "Your answer is accepted if the absolute value of the difference between it and the correct one is at most "
        "10^{-6}.",
        (1e-6, None),
    ),
    ("The absolute difference between consecutive readings is at most 10^{-3}. Print the mean.", None),
    ("It is guaranteed that the absolute difference between any two heights is at most 10^{-6}.", None),
    ("Print any sequence whose absolute difference between adjacent elements is at most 0.001.", None),
    ("The absolute difference between the true value and the expected value is at most 0.001. Print it.", None),
    (
        "Given that the absolute difference between your guess and the true value is at most 0.001, print the number "
        "of guesses.",
        None,
    ),
]


@pytest.mark.parametrize(("prompt", "tol"), TOLERANCES)
def test_the_error_a_statement_allows(prompt: str, tol) -> None:
    assert stated_tolerance(prompt) == tol


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize(
    ("prompt", "printed", "expected", "ok"),
    [
        (TOLERANCES[0][0], "0.3333333", "0.333333333333", True),
        (TOLERANCES[0][0], "0.3333", "0.333333333333", False),
        ("Print a / b.", "0.3333333", "0.333333333333", False),
        (TOLERANCES[0][0], "1000000.5", "1000000.000000", True),
        (TOLERANCES[4][0], "1000000.5", "1000000.000000", False),
        (TOLERANCES[0][0], "3.0000001", "3", False),
        # an expected integer under a stated error: the answer is a real number, and the same value printed as one
        # passes (code 10 failed a right `2.000000` against `2`, `-1.0` against `-1`); without a statement it is text
        (TOLERANCES[0][0], "2.000000", "2", True),
        (TOLERANCES[0][0], "-1.0", "-1", True),
        (TOLERANCES[0][0], "2.5", "2", False),
        ("Print a / b.", "2.000000", "2", False),
        (TOLERANCES[12][0], "0.4", "0.5", False),
        (TOLERANCES[8][0], "0.642857142857", "0.642857143", True),
        (TOLERANCES[8][0], "0.6428", "0.642857143", False),
        ("The relative error of each sensor is 0.005. Print the mean reading.", "0.501", "0.500000", False),
        (
            "A reading is accepted if its relative error does not exceed 0.005.\n\nOutput\nPrint the mean reading.",
            "0.501",
            "0.500000",
            False,
        ),
        # code 11 read no error in these, and the right answer failed
        ("Answers within 10^{-6} absolute or relative error will be accepted.", "0.3333333", "0.333333333333", True),
        ("Answers within 10^{-6} absolute or relative error will be accepted.", "0.3333", "0.333333333333", False),
        (
            "Your answer is correct if its absolute or\r\nrelative error does not exceed 10^{-6}.",
            "0.3333333",
            "0.3333333333",
            True,
        ),
        # Codeforces' HTML superscript: code 18 read no error, and a right `print(math.pi * r * r)` failed
        (
            "Your answer will be considered correct if its absolute or relative error does not exceed 10<sup>-6</sup>.",
            "3.141592653589793",
            "3.1415926536",
            True,
        ),
        (
            "Your answer will be considered correct if its absolute or relative error does not exceed 10<sup>-6</sup>.",
            "3.1416",
            "3.1415926536",
            False,
        ),
        # the error said as a difference from the reference: code 18 read none, and the right answer failed
        (
            "The absolute difference between your answer and the judge answer is at most 10^{-6}.",
            "3.141592653589793",
            "3.1415926536",
            True,
        ),
        (
            "The absolute difference between your answer and the judge answer is at most 10^{-6}.",
            "3.1416",
            "3.14159",
            False,
        ),
        (
            "The absolute difference between consecutive readings is at most 10^{-3}. Print the mean.",
            "0.5001",
            "0.5",
            False,
        ),
    ],
)
def test_a_real_number_within_the_stated_error_passes(registry, cfg, prompt, printed, expected, ok) -> None:
    from pipeline.verify.result import TaskSpec

    task = TaskSpec("t", "code", None, {"tests": [{"input": "", "output": expected + "\n"}]}, prompt)
    res = registry.get("code").check(block(f"print({printed!r})\n"), task, cfg)
    assert (res.passed, res.detail) == (ok, None if ok else "wrong_output")


ANY_CASE = [
    (
        'You can output the answer in any case (upper or lower). For example, the strings "yEs", "yes", "Yes", '
        'and "YES" will be recognized as positive responses.',
        True,
    ),
    (
        "You may print every letter in any case you want (so, for example, the strings yEs, yes, Yes and YES will all "
        "be recognized as positive answer).",
        True,
    ),
    ("You can print each letter in any case (upper or lower).", True),
    ("The checker is case-insensitive.", True),
    ("Print YES or NO. The answer is case insensitive.", True),
    ("Print YES if the string can be made a palindrome, otherwise print NO.", False),
    ("In any case, print the minimum number of moves.", False),
    ("Convert the string to upper case and print it.", False),
]


@pytest.mark.parametrize(("prompt", "any_case"), ANY_CASE)
def test_a_statement_that_allows_the_answer_in_any_case(prompt: str, any_case: bool) -> None:
    from pipeline.verify.verifiers.code import states_any_case

    assert states_any_case(prompt) is any_case


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize(
    ("prompt", "printed", "expected", "ok"),
    [
        (ANY_CASE[0][0], "Yes", "YES", True),
        (ANY_CASE[0][0], "yes\nno", "YES\nNO", True),
        (ANY_CASE[0][0], "No", "YES", False),
        (ANY_CASE[0][0], "YES 3", "YES 4", False),
        (ANY_CASE[5][0], "Yes", "YES", False),  # the statement does not allow it: as printed
        (ANY_CASE[0][0], "Yes", "Yes", True),
    ],
)
def test_a_word_in_another_case_passes_where_the_statement_allows_it(registry, cfg, prompt, printed, expected, ok):
    """Codeforces / CodeContests statements that accept "YES" in any case ("yEs", "Yes"): code 8 compared the words
    as text, so a right `print("Yes")` failed `wrong_output` against "YES" (the judge accepts it)."""
    from pipeline.verify.result import TaskSpec

    task = TaskSpec("t", "code", None, {"tests": [{"input": "", "output": expected + "\n"}]}, prompt)
    res = registry.get("code").check(block(f"print({printed!r})\n"), task, cfg)
    assert (res.passed, res.detail) == (ok, None if ok else "wrong_output")


# A fence never closed (the answer ends inside its block, or with a stray fence opening an empty one): the request asks
# for "one ```python code block", and code 13 ran the rest of the answer as the block, so an answer ending
# "```python\nn = int(input())\nprint(n * 2)" passed and its row taught an unclosed fence. It fails `unclosed_block`.
# A fence closes at a line of its own, of the same character, at least as long as the opening (CommonMark): a
# 4-backtick block may quote a 3-backtick fence in its code, and `````cpp` is a C++ block, not an untagged one.
UNCLOSED = [
    ("the answer ends in the block", "Solution:\n\n" + F + "python\n" + READS),
    ("no newline after the code", F + "python\n" + READS.rstrip("\n")),
    ("a closed block, then an unclosed one", block(READS) + "\nSample:\n" + F + "\n2 3\n"),
    ("a stray fence at the end", block(READS) + "\n" + F),
    ("a longer opening than closing", "````python\n" + READS + F + "\n"),
    ("an unclosed tilde fence", "~~~python\n" + READS),
    ("closed by the other fence", "~~~python\n" + READS + F + "\n"),
]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("text", [t for _, t in UNCLOSED], ids=[n for n, _ in UNCLOSED])
def test_an_unclosed_fence_fails(check, text: str) -> None:
    res = check("code", text, None, tests=CASES)
    assert (res.passed, res.detail) == (False, "unclosed_block")


CLOSED = [
    ("text after the block", block(READS) + "\n\nThis reads two numbers and prints their sum."),
    ("no newline after the closing fence", block(READS)),
    ("closing fence with trailing spaces", F + "python\n" + READS + F + "  \nDone."),
    ("indented in a list item", INDENTED),
    ("a tilde fence", TILDES),
    ("four backticks", "````python\n" + READS + "````\n"),
    ("four backticks quoting a fence", "````python\ns = '''\n```\n'''\n" + READS + "````\n"),
    ("a longer closing fence", F + "python\n" + READS + "````\n"),
    ("a fence named in the prose", "Here is one " + F + "python block:\n\n" + block(READS)),
]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("text", [t for _, t in CLOSED], ids=[n for n, _ in CLOSED])
def test_closed_fences_of_every_form_pass(check, text: str) -> None:
    res = check("code", text, None, tests=CASES)
    assert res.passed, res


def test_a_fence_closes_at_its_own_kind_and_length() -> None:
    assert extract_code("````python\ns = '''\n```\n'''\n" + READS + "````\n", CASES) == "s = '''\n```\n'''\n" + READS
    # `````cpp` is C++, not an untagged block
    assert extract_code("````cpp\nint main() {}\n````\n") is None
    # a fence mark inside a line of code does not close the block
    assert extract_code(F + "python\nprint('``` ok')\n" + F + "\n") == "print('``` ok')\n"


def test_a_fence_in_the_think_block_is_not_judged(verdict) -> None:
    """Only the answer is judged: an unclosed fence in the reasoning does not fail a closed answer."""
    text = "<think>\nMaybe:\n" + F + "python\nprint(1)\n</think>\n\n" + block(READS)
    res = verdict(text, "think", verifier="code", answer=None, tests=CASES)
    assert res.passed, res


# An answer that shows its solution piece by piece ("the function:", "the helper:", "complete code:") presents one
# solution: a block whose every statement (imports aside) is in the final block as written is a piece of it, not
# another solution. Code 13 ran each piece alone: the tested function without its helper failed `runtime_error`, a
# reading function never called printed nothing, and the right answer failed `another_solution_failed`.
HELPER = "def _twice(x):\n    return x + x\n"
USES_HELPER = "def add(a, b):\n    return _twice(a) // 2 + b\n"
SOLVE = "def solve():\n    a, b = map(int, input().split())\n    print(a + b)\n"
PIECES = [
    (
        "the tested function, its helper, then the whole",
        ASSERTS,
        block(USES_HELPER) + "\nThe helper:\n" + block(HELPER) + "\nComplete:\n" + block(HELPER + "\n\n" + USES_HELPER),
        [HELPER + "\n\n" + USES_HELPER],
    ),
    (
        "a reading function, then the program calling it",
        CASES,
        block(SOLVE) + "\nFull program:\n" + block("import sys\n\n" + SOLVE + "\n\nsolve()\n"),
        ["import sys\n\n" + SOLVE + "\n\nsolve()\n"],
    ),
    # a piece that differs from the final block's code is another solution, run as before
    (
        "an earlier version of the function",
        ASSERTS,
        block(WRONG_ADD) + "\nComplete:\n" + block(HELPER + "\n\n" + DEF),
        [HELPER + "\n\n" + DEF, WRONG_ADD],
    ),
    (
        "an earlier program, then another",
        CASES,
        block(SOLVE + "\nsolve()\n") + "\nShorter:\n" + block(READS),
        [READS, SOLVE + "\nsolve()\n"],
    ),
]


@pytest.mark.parametrize(("name", "tests", "text", "run"), PIECES, ids=[p[0] for p in PIECES])
def test_a_piece_of_the_final_block_is_no_solution_of_its_own(name: str, tests, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, tests)] == run


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("case", PIECES[:2], ids=lambda c: c[0])
def test_a_right_answer_shown_piece_by_piece_passes(check, case) -> None:
    _, tests, text, _ = case
    res = check("code", text, None, tests=tests)
    assert res.passed, res


# A program printing through `stdout` imported under another name (`from sys import stdin, stdout as out`,
# `out.write(...)`) prints as much as one calling `print`: code 13 did not see it print, so a wrong such program before
# the final one was no solution of its own, never run, and its row passed beside the right final program.
ALIASED_OUT = (
    "from sys import stdin, stdout as out\na, b = map(int, stdin.readline().split())\nout.write(str(a - b) + '\\n')\n"
)


def test_a_program_printing_through_an_aliased_stdout_is_a_solution() -> None:
    text = block(ALIASED_OUT) + "\nSimpler:\n" + block(READS)
    assert [body for _, body in solution_blocks(text, CASES)] == [READS, ALIASED_OUT]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_wrong_program_printing_through_an_aliased_stdout_fails(check) -> None:
    res = check("code", block(ALIASED_OUT) + "\nSimpler:\n" + block(READS), None, tests=CASES)
    assert (res.passed, res.detail) == (False, "another_solution_failed")


# A solution in another language beside the python one ("In C++:", "for reference, Java"): the sandbox runs python
# alone, so its row trained the fine-tune on code no test ran; code 13 passed an answer whose C++ version printed the
# wrong result. It fails `another_language` (its `details` name the language), unless the block quotes the prompt
# (code to translate or fix). A shell command, a sample's text or JSON is no solution.
CPP_WRONG = "#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a - b; }\n"


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("In C++:\n" + block(CPP_WRONG, "cpp") + "\nIn Python:\n" + block(READS), "cpp"),
        (block(READS) + "\nThe same in Java:\n" + block("class Main { }\n", "java"), "java"),
        ("````c++\n" + CPP_WRONG + "````\n" + block(READS), "c++"),
    ],
)
def test_a_solution_in_another_language_fails(check, text: str, language: str) -> None:
    res = check("code", text, None, tests=CASES)
    assert (res.passed, res.detail, res.details) == (False, "another_language", {"language": language})


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_blocks_that_are_no_solution_in_another_language_pass(registry, cfg) -> None:
    from pipeline.verify.result import TaskSpec

    for text in [
        block(READS) + "\nRun it:\n" + block("python3 solution.py < input.txt\n", "bash"),
        block(READS) + "\nOutput:\n" + block("5\n", "text") + block('{"sum": 5}\n', "json"),
    ]:
        res = registry.get("code").check(text, TaskSpec("t", "code", None, {"tests": CASES}), cfg)
        assert res.passed, (text, res)
    # code the prompt gives (to translate or fix), quoted in the answer
    prompt = "Translate this C++ program to Python:\n\n```cpp\n" + CPP_WRONG.replace("a - b", "a + b") + "```"
    text = "The C++ code:\n" + block(CPP_WRONG.replace("a - b", "a + b"), "cpp") + "\nIn Python:\n" + block(READS)
    res = registry.get("code").check(text, TaskSpec("t", "code", None, {"tests": CASES}, prompt), cfg)
    assert res.passed, res


# For stdin/stdout cases the final answer is a program: the last block that reads the input. A block after it that only
# defines functions and reads nothing ("As a function:") does nothing run on stdin: code 14 took it for the final
# answer, ran it alone, and failed the right program `wrong_output`. Such a block (before or after the program) whose
# every function or class the program defines at top level is another version of them: it runs as the program with
# those definitions replaced, so a wrong version fails `another_solution_failed`; one defining other names cannot run
# on stdin and is not judged, as a helper before the program was not.
DOUBLE_CASES = [{"input": "5\n", "output": "10\n"}, {"input": "7\n", "output": "14\n"}]
DOUBLE_PROGRAM = "n = int(input())\nprint(n * 2)\n"
DOUBLE_DEF = "def double(n):\n    return n * 2\n"
DOUBLE_USING = "def double(n):\n    return n + n\n\n\nn = int(input())\nprint(double(n))\n"
DEF_AFTER = [
    (
        "a function after the program",
        block(DOUBLE_PROGRAM) + "\nAs a function:\n" + block(DOUBLE_DEF),
        [DOUBLE_PROGRAM],
    ),
    (
        "another version of the program's function after it",
        block(DOUBLE_USING) + "\nAs a function:\n" + block(DOUBLE_DEF),
        [DOUBLE_USING, DOUBLE_DEF + "\n\nn = int(input())\nprint(double(n))\n"],
    ),
    (
        "another version of the program's function before it",
        block("def double(n):\n    return n * 3\n") + "\nFull program:\n" + block(DOUBLE_USING),
        [DOUBLE_USING, "def double(n):\n    return n * 3\n\n\nn = int(input())\nprint(double(n))\n"],
    ),
    # a reading function never called is still the final answer (a broken program), not skipped for a draft
    (
        "a final reading function never called",
        block(DOUBLE_PROGRAM) + "\nFinal:\n" + block("def main():\n    print(int(input()) * 3)\n"),
        ["def main():\n    print(int(input()) * 3)\n", DOUBLE_PROGRAM],
    ),
]


@pytest.mark.parametrize(("name", "text", "run"), DEF_AFTER, ids=[d[0] for d in DEF_AFTER])
def test_a_definition_only_block_is_no_stdin_program(name: str, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, DOUBLE_CASES)] == run


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_program_followed_by_its_function_passes(registry, cfg) -> None:
    from pipeline.verify.result import TaskSpec

    def verdict(text: str):
        return registry.get("code").check(text, TaskSpec("t", "code", None, {"tests": DOUBLE_CASES}), cfg)

    for _, text, _ in DEF_AFTER[:2]:
        assert verdict(text).passed, text
    # a wrong program before a right-looking function fails, and so does a wrong version of the program's function
    res = verdict(block("n = int(input())\nprint(n * 3)\n") + "\nAs a function:\n" + block(DOUBLE_DEF))
    assert (res.passed, res.detail) == (False, "wrong_output")
    res = verdict(block(DOUBLE_USING) + "\nAs a function:\n" + block("def double(n):\n    return n * 3\n"))
    assert (res.passed, res.detail, res.details) == (
        False,
        "another_solution_failed",
        {"block": 2, "blocks": 2, "failure": "wrong_output"},
    )
    res = verdict(DEF_AFTER[2][1])
    assert (res.passed, res.detail, res.details["block"]) == (False, "another_solution_failed", 1)
    assert verdict(DEF_AFTER[3][1]).detail == "wrong_output"


# A block after the solution that quotes a piece of it (the explanation's "The key line:", "The helper:") presents no
# code the solution does not run: code 14 took it for the final answer and ran it alone, so a right program failed
# (`wrong_output`: the quoted reading line printed nothing) and a right function failed `tests_failed` (its helper
# defined no tested name). A later block with any statement of its own is still the final answer.
QUOTED = [
    (
        "a reading line of the program",
        CASES,
        block(MAIN) + "\nThe key line:\n" + block("a, b = map(int, input().split())\n"),
        MAIN,
    ),
    (
        "the helper of the function",
        ASSERTS,
        block(HELPER + "\n\n" + USES_HELPER) + "\nThe helper:\n" + block(HELPER),
        HELPER + "\n\n" + USES_HELPER,
    ),
    (
        "a changed helper",
        ASSERTS,
        block(HELPER + "\n\n" + USES_HELPER) + "\nBetter:\n" + block(HELPER.replace("x + x", "2 * x")),
        HELPER.replace("x + x", "2 * x"),
    ),
]


@pytest.mark.parametrize(("name", "tests", "text", "final"), QUOTED, ids=[q[0] for q in QUOTED])
def test_a_piece_quoted_after_the_solution_is_no_final_answer(name: str, tests, text: str, final: str) -> None:
    assert extract_code(text, tests) == final


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
@pytest.mark.parametrize("case", QUOTED[:2], ids=lambda c: c[0])
def test_a_right_answer_quoting_a_piece_after_it_passes(check, case) -> None:
    _, tests, text, _ = case
    res = check("code", text, None, tests=tests)
    assert res.passed, res


# A shell command showing how to run the program ("Run:", then an untagged `echo 5 | python3 -c "..."` or
# `$ python3 sol.py < in.txt`) is no solution, though its quoted code reads the input: code 15 took such an untagged
# block, which does not parse, for a broken final program, as it has `input(` in it, and failed the right program before
# it `syntax_error`. A broken python block is still the final answer (a right draft never passes for it).
SHELL_AFTER = [
    (
        "a one-liner piped to python",
        block(DOUBLE_PROGRAM) + "\nRun:\n" + block('echo 5 | python3 -c "print(int(input())*2)"\n', ""),
        DOUBLE_PROGRAM,
    ),
    (
        "a terminal transcript",
        block(DOUBLE_PROGRAM)
        + "\nCheck:\n"
        + block("$ echo 5 | python3 -c 'import sys; print(sys.stdin.read())'\n5\n", ""),
        DOUBLE_PROGRAM,
    ),
    (
        "a broken final program",
        block(DOUBLE_PROGRAM) + "\nFinal:\n" + block("n = int(input()\nprint(n * 3)\n"),
        "n = int(input()\nprint(n * 3)\n",
    ),
    (
        "a broken final program with a word like a command",
        block(DOUBLE_PROGRAM) + "\nFinal:\n" + block("cats = [\n    cat for cat in input().split()\nprint(cats)\n"),
        "cats = [\n    cat for cat in input().split()\nprint(cats)\n",
    ),
]


@pytest.mark.parametrize(("name", "text", "final"), SHELL_AFTER, ids=[s[0] for s in SHELL_AFTER])
def test_a_shell_command_after_the_program_is_no_final_answer(name: str, text: str, final: str) -> None:
    assert extract_code(text, DOUBLE_CASES) == final


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_program_followed_by_a_shell_command_passes(check) -> None:
    for _, text, _ in SHELL_AFTER[:2]:
        res = check("code", text, None, tests=DOUBLE_CASES)
        assert res.passed, (text, res)
    assert check("code", SHELL_AFTER[2][1], None, tests=DOUBLE_CASES).detail == "syntax_error"


# A tip after the program that only rebinds a name ("For speed use:", then `input = sys.stdin.readline`: imports and
# assignments of a name, an attribute or a lambda, nothing called) runs nothing on stdin: code 15 took it for the final
# answer, as it names `sys.stdin`, ran it alone, and failed the right program `wrong_output`. It runs as the program
# with it put after the program's leading imports, so a tip that breaks the program fails `another_solution_failed`. A
# final block that reads but forgets to print (a call runs in it) is still the final answer.
LEN_CASES = [{"input": "abc\n", "output": "3\n"}]
TIPS = [
    (
        "a faster input",
        DOUBLE_CASES,
        block("import sys\n\n" + DOUBLE_PROGRAM) + "\nFor speed use:\n" + block("input = sys.stdin.readline\n"),
        ["import sys\n\n" + DOUBLE_PROGRAM, "import sys\ninput = sys.stdin.readline\n\n" + DOUBLE_PROGRAM],
    ),
    (
        "a faster input with its import, as a lambda",
        DOUBLE_CASES,
        block(DOUBLE_PROGRAM) + "\nFaster:\n" + block("import sys\ninput = lambda: sys.stdin.readline().rstrip()\n"),
        [DOUBLE_PROGRAM, "import sys\ninput = lambda: sys.stdin.readline().rstrip()\n" + DOUBLE_PROGRAM],
    ),
    (
        "a final program that forgets to print",
        DOUBLE_CASES,
        block(DOUBLE_PROGRAM) + "\nFinal:\n" + block("import sys\nn = int(sys.stdin.readline())\n"),
        ["import sys\nn = int(sys.stdin.readline())\n", DOUBLE_PROGRAM],
    ),
]


@pytest.mark.parametrize(("name", "tests", "text", "run"), TIPS, ids=[t[0] for t in TIPS])
def test_a_tip_rebinding_a_name_is_no_final_answer(name: str, tests, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, tests)] == run


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_program_followed_by_a_tip_passes(check) -> None:
    for _, tests, text, _ in TIPS[:2]:
        res = check("code", text, None, tests=tests)
        assert res.passed, (text, res)
    assert check("code", TIPS[2][2], None, tests=DOUBLE_CASES).detail == "wrong_output"
    # a tip that breaks the program (the line's newline kept in the string it measures) fails
    text = block("s = input()\nprint(len(s))\n") + "\nFor speed:\n" + block("import sys\ninput = sys.stdin.readline\n")
    res = check("code", text, None, tests=LEN_CASES)
    assert (res.passed, res.detail, res.details["block"]) == (False, "another_solution_failed", 2)


# A tip after the program that only reads the whole input into names ("For large inputs read everything at once:", then
# `data = sys.stdin.buffer.read().split()`, with its imports, a docstring or a comment): code 16 took it for the final
# answer, as it reads and calls, ran it alone, and failed the right program before it `wrong_output`. Such a block,
# shorter than a program before it that reads and prints, is no final answer and runs nowhere (put into a program that
# reads with `input()` it leaves nothing to read). A final block that computes anything from what it reads (a program
# that forgets to print) is still the final answer, and so is such a block with no longer program before it. A tip
# rebinding `input` may open with a docstring too.
READ_AT_ONCE = [
    (
        "read everything at once",
        block(DOUBLE_PROGRAM)
        + "\nFor large inputs read everything at once:\n"
        + block("data = sys.stdin.buffer.read().split()\n"),
        [DOUBLE_PROGRAM],
    ),
    (
        "read everything at once, with its import",
        block(DOUBLE_PROGRAM) + "\nFaster:\n" + block("import sys\ndata = sys.stdin.buffer.read().split()\n"),
        [DOUBLE_PROGRAM],
    ),
    (
        "read everything at once as numbers, after a docstring",
        block(DOUBLE_PROGRAM)
        + "\nFaster:\n"
        + block(
            '"""Read all tokens at once."""\nimport sys\n\ndata = list(map(int, sys.stdin.buffer.read().split()))\n'
        ),
        [DOUBLE_PROGRAM],
    ),
    (
        "read everything at once, after a comment",
        block(DOUBLE_PROGRAM) + "\nFaster:\n" + block("# all tokens\ndata = open(0).read().split()\n"),
        [DOUBLE_PROGRAM],
    ),
    (
        "read everything at once into a token iterator that input reads",
        block(DOUBLE_USING)
        + "\nFor large inputs:\n"
        + block("import sys\ntokens = iter(sys.stdin.read().split())\ninput = lambda: next(tokens)\n"),
        [DOUBLE_USING],
    ),
    (
        "a faster input after a docstring",
        block("import sys\n\n" + DOUBLE_PROGRAM)
        + "\nFor speed use:\n"
        + block('"""Faster input."""\ninput = sys.stdin.readline\n'),
        [
            "import sys\n\n" + DOUBLE_PROGRAM,
            'import sys\n"""Faster input."""\ninput = sys.stdin.readline\n\n' + DOUBLE_PROGRAM,
        ],
    ),
    (
        "a final program that reads everything and forgets to print",
        block(DOUBLE_PROGRAM) + "\nFinal:\n" + block("import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n"),
        ["import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n", DOUBLE_PROGRAM],
    ),
    (
        "a read at once no shorter than the program before it",
        block("print(int(input()) * 2)\n") + "\nFinal:\n" + block("import sys\ndata = sys.stdin.read().split()\n"),
        ["import sys\ndata = sys.stdin.read().split()\n", "print(int(input()) * 2)\n"],
    ),
]


@pytest.mark.parametrize(("name", "text", "run"), READ_AT_ONCE, ids=[r[0] for r in READ_AT_ONCE])
def test_a_tip_reading_everything_at_once_is_no_final_answer(name: str, text: str, run: list[str]) -> None:
    assert [body for _, body in solution_blocks(text, DOUBLE_CASES)] == run


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
def test_a_right_program_followed_by_a_read_at_once_tip_passes(check) -> None:
    for _, text, _ in READ_AT_ONCE[:6]:
        res = check("code", text, None, tests=DOUBLE_CASES)
        assert res.passed, (text, res)
    for _, text, _ in READ_AT_ONCE[6:]:
        assert check("code", text, None, tests=DOUBLE_CASES).detail == "wrong_output", text
    # a wrong program before the tip still fails
    text = block("n = int(input())\nprint(n * 3)\n") + "\nFaster:\n" + block("data = sys.stdin.read().split()\n")
    assert check("code", text, None, tests=DOUBLE_CASES).detail == "wrong_output"
