"""The code verifier and its sandbox, against adversarial code: each attack is contained and gets a reason."""

from __future__ import annotations

import os
import shutil
import socket
import time

import psutil
import pytest

from pipeline.verify import sandbox
from pipeline.verify.config import SandboxConfig, VerifyConfig
from pipeline.verify.errors import SandboxUnavailableError
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.code import extract_code

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")


def code(body: str) -> str:
    return f"Here is my solution.\n```python\n{body}\n```\n"


ASSERTS = "assert f(1) == 2\nassert f(5) == 6"
CASES = [{"input": "1 2\n", "output": "3\n"}, {"input": "5 5\n", "output": "10"}]


def test_extract_code_takes_the_last_python_block() -> None:
    text = "```bash\nls\n```\n```python\nx = 1\n```\nthen\n```py\nx = 2\n```\n```text\nout\n```"
    assert extract_code(text) == "x = 2\n"
    assert extract_code("no code") is None


@pytest.mark.parametrize(
    ("body", "tests", "ok", "detail", "score"),
    [
        ("def f(x):\n    return x + 1", ASSERTS, True, None, 1.0),
        ("def f(x):\n    return 2", ASSERTS, False, "tests_failed", 0.5),
        ("def f(x)\n    return 2", ASSERTS, False, "syntax_error", 0.0),
        ("raise ValueError('boom')", ASSERTS, False, "runtime_error", 0.0),
        ("import sys\nsys.exit(0)", ASSERTS, False, "exit_before_tests", 0.0),
        ("import os\nos._exit(0)", ASSERTS, False, "no_result", 0.0),
        ("a, b = map(int, input().split())\nprint(a + b)", CASES, True, None, 1.0),
        ("print(3)", CASES, False, "wrong_output", 0.5),
        ("import sys\nsys.exit(3)", CASES, False, "runtime_error", 0.0),
    ],
)
def test_code_verdicts(check, body: str, tests, ok: bool, detail: str | None, score: float) -> None:
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail, res.score) == (ok, detail, score)


@pytest.mark.parametrize("sent_as", ["bytecode", "source"])
def test_harness_runs_as_bytecode_or_source_with_the_same_verdicts(check, cfg, monkeypatch, sent_as: str) -> None:
    """The sandbox's Python gets the harness compiled once (`harness.BOOT`); where compiling failed, as source."""
    from pipeline.verify.harness import BOOT, HARNESS
    from pipeline.verify.verifiers import code as code_verifier

    python = sandbox.interpreter(cfg.code)
    monkeypatch.setattr(code_verifier, "_COMPILED", {} if sent_as == "bytecode" else {python: b""})
    seen: list[list[str]] = []
    real_run = sandbox.run
    monkeypatch.setattr(sandbox, "run", lambda argv, *a, **k: seen.append(argv) or real_run(argv, *a, **k))
    cases = [
        ("def f(x):\n    return x + 1", ASSERTS, (True, None)),
        ("def f(x):\n    return 2", ASSERTS, (False, "tests_failed")),
        ("def f(x)\n    return 2", ASSERTS, (False, "syntax_error")),
        ("a, b = map(int, input().split())\nprint(a + b)", CASES, (True, None)),
        ("import sys\nsys._getframe(1)", ASSERTS, (False, "runtime_error")),  # the audit hook holds either way
    ]
    for body, tests, want in cases:
        res = check("code", code(body), None, tests=tests)
        assert (res.passed, res.detail) == want, body
    # `python -I -X cpu_count=N -c <harness>`; not the sandbox's availability probe
    runs = [argv[argv.index("-c") + 1] for argv in seen if {BOOT, HARNESS} & set(argv)]
    assert len(runs) == len(cases)
    compiles = [argv for argv in seen if argv[-1] == code_verifier.COMPILE]
    if sent_as == "bytecode":
        assert len(compiles) == 1  # compiled once, for every run after
        assert runs == [BOOT] * len(cases)
        assert code_verifier._COMPILED[python][:1] in (b"c", b"\xe3")  # a marshalled code object (TYPE_CODE)
    else:
        assert not compiles
        assert runs == [HARNESS] * len(cases)


# Competitive programmers' fast input reads all of stdin at once by its size, as judges give it: a file. Fed through a
# pipe (size 0), every right program using it read nothing and failed `runtime_error`.
FAST_IO = [
    "import io, os\ninput = io.BytesIO(os.read(0, os.fstat(0).st_size)).readline\n"
    "a, b = map(int, input().split())\nprint(a + b)",
    "import os\na, b = map(int, os.read(0, os.fstat(0).st_size).split())\nos.write(1, b'%d\\n' % (a + b))",
]


@pytest.mark.parametrize("body", FAST_IO, ids=["BytesIO readline", "os.read"])
def test_stdin_is_the_case_input_as_a_file(check, body: str) -> None:
    res = check("code", code(body), None, tests=CASES)
    assert (res.passed, res.detail) == (True, None)
    wrong = body.replace("a + b", "a * b")
    assert check("code", code(wrong), None, tests=CASES).detail == "wrong_output"


def test_tests_importing_from_solution_module(check) -> None:
    assert check("code", code("def f(x):\n    return x + 1"), None, tests="from solution import f\n" + ASSERTS).passed


def test_no_code_block(check) -> None:
    assert check("code", "def f(x): return x + 1", None, tests=ASSERTS).detail == "no_code"


# How a printed output meets the expected one (code 8): every line's trailing whitespace and the blank lines at the
# ends are trimmed; leading whitespace counts (code 7 stripped the whole output, so a pattern whose first line lost its
# indent passed), except on a first line the expected output does not indent (a reference stored stripped).
OUTPUTS = [
    ("5\n6  \n\n", "\n5\n6\n", True),
    ("*\n ***\n*****\n", "  *\n ***\n*****\n", False),
    ("  *\n***\n*****\n", "  *\n ***\n*****\n", False),
    ("  *\n ***\n*****\n", "  *\n ***\n*****\n", True),
    ("  *\n ***\n*****\n", "*\n ***\n*****\n", True),
    ("5\n\n6\n", "5\n6\n", False),
    # a real number is compared by value where the text differs (LiveCodeBench's harness compares a line's numbers as
    # Decimals, APPS/TACO's with np.allclose): code 7 failed a right `print(1/2)` against `0.500000`. An expected
    # integer stays text (`007` is not `7`, `3.0` not `3`), spacing counts, and any other value fails
    ("0.5\n", "0.500000\n", True),
    ("2.5 3\n", "2.50 3.000\n", True),
    ("Case #1: 0.25\n", "Case #1: 0.250000000\n", True),
    ("3\n", "3.000000\n", True),
    ("1e-3\n", "0.001\n", True),
    ("-0.5\n", "-.5\n", True),
    ("0.6\n", "0.500000\n", False),
    ("1.0000001\n", "1.000000\n", False),
    ("0.5x\n", "0.50x\n", False),
    ("7\n", "007\n", False),
    ("3.0\n", "3\n", False),
    ("0.5 0.5\n", "0.5  0.5\n", False),
    ("nan\n", "0.5\n", False),
    # an expected line of words set apart by single spaces is what a token checker reads (Codeforces' and
    # CodeContests' judges): its words printed apart by another run of spaces or tabs pass (code 9 failed `1  2`,
    # `print(a, '', b)`, and `1\t2`), in any line; words joined or split over lines, an indent on a later line and
    # a space no checker reads as one (no-break) still fail
    ("1  2\n", "1 2\n", True),
    ("3\n1\t2   0.50\n", "3\n1 2 0.5\n", True),
    ("12\n", "1 2\n", False),
    ("1\n2\n", "1 2\n", False),
    ("1 2\n", "1\n2\n", False),
    ("5\n  *\n", "5\n *\n", False),
    ("1\u00a02\n", "1 2\n", False),
]


@pytest.mark.parametrize(("printed", "expected", "ok"), OUTPUTS)
def test_printed_output_against_the_expected_one(check, printed: str, expected: str, ok: bool) -> None:
    res = check(
        "code", code(f"import sys\nsys.stdout.write({printed!r})"), None, tests=[{"input": "", "output": expected}]
    )
    assert (res.passed, res.detail) == (ok, None if ok else "wrong_output")


# ----------------------------------------------------------------------------------------------- adversarial
def test_infinite_loop_times_out(check) -> None:
    start = time.monotonic()
    res = check("code", code("while True:\n    pass"), None, tests=ASSERTS, timeout_s=1)
    assert res.detail == "timeout"
    assert time.monotonic() - start < 10


def test_memory_bomb_hits_the_memory_limit(check) -> None:
    res = check(
        "code", code("x = bytearray(8 * 1024**3)\nfor i in range(0, len(x), 4096): x[i] = 1"), None, tests=ASSERTS
    )
    assert res.detail == "memory_limit"


def _marker_processes(marker: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if any(marker in part for part in (p.info["cmdline"] or [])):
                found.append(p)
        except psutil.Error:
            continue
    return found


def test_fork_bomb_is_contained_and_leaves_nothing_behind(check) -> None:
    marker = f"forkbomb{os.getpid()}"
    body = (
        f"import os, time\nMARK = '{marker}'\nn = 0\nfor _ in range(10000):\n"
        "    try:\n        pid = os.fork()\n    except OSError:\n        break\n"
        "    if pid == 0:\n        os.execv('/bin/sleep', ['/bin/sleep', '30', MARK])\n    n += 1\n"
        "assert n < 100, n\nwhile True: pass"
    )
    res = check("code", code(body), None, tests=ASSERTS, timeout_s=1)
    assert res.detail == "timeout"  # it never got past 32 processes, then the wall clock ended it
    time.sleep(0.2)
    assert _marker_processes(marker) == []


def test_child_that_outlives_the_run_is_killed(check) -> None:
    marker = f"daemon{os.getpid()}"
    body = (
        "import os, subprocess\n"
        f"subprocess.Popen(['/bin/sleep', '60', '{marker}'], start_new_session=True)\n"
        "if os.fork() == 0:\n    os.setsid()\n    import time; time.sleep(60)\n"
        "def f(x):\n    return x + 1"
    )
    assert check("code", code(body), None, tests=ASSERTS).passed
    time.sleep(0.2)
    assert _marker_processes(marker) == []


def test_environment_secrets_are_not_visible(check, monkeypatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_secret_value")
    # a Python process of the sandbox is not dumpable (`sandbox.execute_only`): its environ is closed even to itself
    body = (
        "import os\nassert 'HF_TOKEN' not in os.environ\n"
        "def environ(p):\n    try:\n        return open(f'/proc/{p}/environ').read()\n"
        "    except PermissionError:\n        return ''\n"
        "seen = [environ(p) for p in os.listdir('/proc') if p.isdigit()]\n"
        "assert any(seen) and all('hf_secret_value' not in e for e in seen)\ndef f(x):\n    return x + 1"
    )
    assert check("code", code(body), None, tests=ASSERTS).passed


def test_project_home_and_etc_are_invisible_and_system_is_read_only(check) -> None:
    here = os.getcwd()
    body = (
        f"import os\nassert not os.path.exists({here!r})\nassert not os.path.exists('/root')\n"
        "assert not os.path.exists('/home') and not os.path.exists('/etc/passwd')\n"
        "for target in ('/usr/evil', '/evil', '/proc/evil'):\n"
        "    try:\n        open(target, 'w').write('x')\n        raise SystemExit(9)\n"
        "    except OSError:\n        pass\n"
        "open('/tmp/ok.txt', 'w').write('tmp is writable')\n"
        "def f(x):\n    return x + 1"
    )
    assert check("code", code(body), None, tests=ASSERTS).passed
    assert not os.path.exists("/usr/evil") and not os.path.exists("/evil")


def test_file_size_limit(check) -> None:
    body = "open('/tmp/big', 'wb').write(b'x' * (64 * 1024 * 1024))\ndef f(x):\n    return x + 1"
    res = check("code", code(body), None, tests=ASSERTS)
    assert res.detail == "runtime_error"  # Python ignores SIGXFSZ, so the write raises EFBIG


def test_network_is_unreachable(check) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    body = (
        f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
        "    reached = True\nexcept OSError:\n    reached = False\nassert not reached\n"
        "def f(x):\n    return x + 1"
    )
    try:
        assert check("code", code(body), None, tests=ASSERTS).passed
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()


def test_huge_output_hits_the_output_cap(check) -> None:
    res = check("code", code("while True:\n    print('x' * 100000)"), None, tests=CASES)
    assert res.detail == "output_limit"


# ------------------------------------------------------------------ output: both pipes, every test mode
STDERR_CHATTY = (
    "import sys\nsys.stderr.write('debug line\\n' * 20000)\n"  # 220 KB: more than a pipe holds
    "a, b = map(int, input().split())\nprint(a + b)"
)


def test_a_correct_program_writing_lots_to_stderr_passes() -> None:
    """stdout and stderr are drained together: a full stderr pipe must not stall the program into a timeout."""
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": 5, "max_output_kb": 1024}})
    task = TaskSpec("t", "code", None, {"tests": CASES})
    res = Registry(cfg).get("code").check(code(STDERR_CHATTY), task, cfg)
    assert (res.passed, res.detail) == (True, None)


def test_stderr_past_the_output_limit_fails_in_stdin_stdout_mode(check) -> None:
    res = check("code", code("import sys\nwhile True:\n    sys.stderr.write('e' * 100000)"), None, tests=CASES)
    assert res.detail == "output_limit"


@pytest.mark.parametrize(
    "body",
    [
        "print('x' * 200000)\ndef f(x):\n    return x + 1",  # stdout, while the solution loads
        "import sys\nsys.stderr.write('x' * 200000)\ndef f(x):\n    return x + 1",  # stderr
        "def f(x):\n    print('y' * 200000)\n    return x + 1",  # during the tests
    ],
)
def test_output_limit_holds_in_assert_mode(check, body: str) -> None:
    """The cfg fixture caps output at 64 KB; assert-mode output used to go to /dev/null, unbounded."""
    res = check("code", code(body), None, tests=ASSERTS)
    assert (res.passed, res.detail) == (False, "output_limit")


def test_assert_mode_output_under_the_limit_still_passes(check) -> None:
    assert check("code", code("print('hello ' * 1000)\ndef f(x):\n    return x + 1"), None, tests=ASSERTS).passed


def test_sandbox_run_caps_output_read_back() -> None:
    cfg = SandboxConfig(max_output_kb=16)
    res = sandbox.run(
        [sandbox.interpreter(cfg), "-c", "import sys\nwhile True: sys.stdout.write('y' * 65536)"], b"", cfg, wall_s=5
    )
    assert res.status == "output_limit" and len(res.stdout) <= 16 * 1024


# ------------------------------------------------------------------------------------ missing bubblewrap
def test_missing_bwrap_is_a_clear_error_not_unsandboxed_execution(monkeypatch, registry, tmp_path) -> None:
    from pipeline.verify.judge import Item
    from pipeline.verify.result import TaskSpec
    from pipeline.verify.runner import verify_items

    sandbox._probe.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))  # neither bwrap nor prlimit can be found
    cfg = VerifyConfig()
    item = Item(TaskSpec("t", "code", None, {"tests": ASSERTS}), code("open('/tmp/pwned','w')"), "no_think")
    try:
        with pytest.raises(SandboxUnavailableError, match="bubblewrap"):
            verify_items([item], cfg, registry)
    finally:
        sandbox._probe.cache_clear()


def test_the_pytest_stand_in_behaves_as_pytest_does_for_what_it_offers() -> None:
    """The sandbox's `pytest` stand-in (used where its Python has no pytest): checked against the real pytest."""
    import types

    import pytest as real

    from pipeline.verify.harness import PYTEST_STANDIN

    fake = types.ModuleType("pytest_standin")
    exec(PYTEST_STANDIN, fake.__dict__)
    for mod in (real, fake):
        assert 0.1 + 0.2 == mod.approx(0.3) and [0.1 + 0.2, 1] == mod.approx([0.3, 1])  # noqa: SIM300 (as scripts write it)
        assert {"a": 1.0000001} == mod.approx({"a": 1}) and 1.01 != mod.approx(1)  # noqa: SIM300 (as scripts write it)
        assert 1.01 == mod.approx(1, rel=0.02) and 1e-13 == mod.approx(0)  # noqa: SIM300 (as scripts write it)
        with mod.raises(ValueError, match="zero") as info:
            raise ValueError("division by zero")
        assert isinstance(info.value, ValueError)
        with pytest.raises(AssertionError), mod.raises(ValueError, match="^nope"):  # the pattern does not match
            raise ValueError("division by zero")
        with pytest.raises(KeyError), mod.raises(ValueError):  # another exception passes through
            raise KeyError("k")
        with pytest.raises((AssertionError, real.fail.Exception)), mod.raises(ValueError):  # nothing raised
            pass

        def f() -> None: ...

        assert mod.mark.slow(f) is f and mod.mark.timeout(3)(f) is f


ALWAYS_EQUAL = (
    "class Anything:\n    def __eq__(self, other):\n        return True\n    def __ne__(self, other):\n"
    "        return False\n    __hash__ = object.__hash__\n\ndef f(x):\n    return Anything()"
)
ALWAYS_EQUAL_INT = (
    "class Anything(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n\n"
    "def f(x):\n    return Anything(0)"
)
HUMANEVAL_TESTS = (
    "def check(candidate):\n    assert candidate(1) == 2\n    assert all(candidate(x) == x + 1 for x in (5, 6))\n\n"
    "check(f)\n"
)


@pytest.mark.parametrize("tests", [ASSERTS, "assert 2 == f(1)\nassert f(5) != 7", HUMANEVAL_TESTS])
@pytest.mark.parametrize("body", [ALWAYS_EQUAL, ALWAYS_EQUAL_INT], ids=["object", "int-subclass"])
def test_an_object_equal_to_everything_fails(check, body: str, tests: str) -> None:
    """code 4: a solution returning an object whose `==` is always true (a known reward hack) passed every assert.
    An assert comparing a value whose `__eq__`/`__ne__` the solution defined with a value of another type fails
    `eq_override`."""
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail) == (False, "eq_override")


def test_classes_compared_with_their_own_kind_still_pass(check) -> None:
    """A solution's class with its own `__eq__`, compared with an instance of that class (LeetCode's ListNode) or of
    its subclass, and a dataclass, are compared as written."""
    body = (
        "from dataclasses import dataclass\n\nclass Node:\n    def __init__(self, v):\n        self.v = v\n"
        "    def __eq__(self, other):\n        return isinstance(other, Node) and self.v == other.v\n\n"
        "@dataclass\nclass P:\n    x: int\n\ndef f(x):\n    return Node(x + 1)\n\ndef g(x):\n    return P(x)"
    )
    body += "\n\nclass Leaf(Node):\n    pass\n\ndef h(x):\n    return Leaf(x)"
    tests = (
        "assert f(1) == Node(2)\nassert f(1) != Node(3)\nassert g(1) == P(1)\nassert [f(0)] == [Node(1)]\n"
        "assert h(4) == Node(4)"  # a subclass against its base
    )
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail) == (True, None)


def test_the_harness_is_out_of_reach_of_import_main(check) -> None:
    """code 4: `import __main__` gave the solution the harness's own report function and nonce, so it could report
    every test passed without running one."""
    forge = "import __main__\n__main__.report(status='ok', passed=2, total=2)"
    res = check("code", code(forge), None, tests=ASSERTS)
    assert not res.passed and res.detail in ("runtime_error", "exit_before_tests")


def test_a_test_catching_exceptions_does_not_swallow_the_refusal(check) -> None:
    tests = "try:\n    assert f(1) == 2\n    ok = True\nexcept Exception:\n    ok = False\nassert ok"
    assert check("code", code(ALWAYS_EQUAL), None, tests=tests).detail == "eq_override"


def test_tests_importing_the_solution_module_are_guarded_too(check) -> None:
    assert check("code", code(ALWAYS_EQUAL), None, tests="from solution import f\n" + ASSERTS).detail == "eq_override"


# ------------------------------------------------------------------ unsandboxed runs share the machine's /tmp
def test_unsandboxed_runs_at_once_each_run_their_own_solution(tmp_path, monkeypatch) -> None:
    """`allow_unsandboxed` (inside a sandbox of one's own) runs the harness in the real /tmp, which the verify
    workers share: each wrote its solution to /tmp/solution.py, and a case ran whichever response wrote last, so wrong
    programs passed and right ones failed. Each run now works in a folder of its own, and leaves nothing in /tmp."""
    from concurrent.futures import ThreadPoolExecutor

    # unsandboxed runs as root still drop to `sandbox_uid`, whose process limit (`max_processes`, threads included)
    # counts every process of that uid on the machine: other test workers' sandboxes too. This test is about the
    # folders, so the limit is raised out of its way (at 32 a run now and then failed to start a case's process)
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": 5, "allow_unsandboxed": True, "max_processes": 1024}})
    registry = Registry(cfg)
    # the 12 runs are of 4 solutions: each runs every time here (no result of the same code reused)
    from pipeline.verify.verifiers import code as code_verifier

    monkeypatch.setattr(code_verifier, "_RESULTS_MAX", 0)
    cases = [{"input": f"{i} {i}\n", "output": f"{2 * i}\n"} for i in range(1, 6)]
    slow = "import time\na, b = map(int, input().split())\ntime.sleep(0.05)\nprint(a {} b)"
    asserts = "import time\n" + "".join(f"time.sleep(0.05)\nassert f({i}) == {i + 1}\n" for i in range(5))

    def judge(k: int) -> tuple[bool, str | None]:
        if k % 4 < 2:
            task, body = TaskSpec("t", "code", None, {"tests": cases}), slow.format("+" if k % 2 == 0 else "*")
        else:
            task, body = TaskSpec("t", "code", None, {"tests": asserts}), f"def f(x):\n    return x + {1 - k % 2}"
        res = registry.get("code").check(code(body), task, cfg)
        return res.passed, res.detail

    before = set(os.listdir("/tmp"))
    # 4 at once: unsandboxed, the process limit (`max_processes`, threads included) counts every process of the uid
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(judge, range(12)))
    assert [passed for passed, _ in got] == [k % 2 == 0 for k in range(12)], got
    assert not {p for p in set(os.listdir("/tmp")) - before if "solution" in p or p.startswith(("_tm", "tm_"))}


# ------------------------------------------------------------------ solutions bending what the harness and tests use
# code 19: each of these wrong solutions passed every assert (a security probe): the solution ran in the harness's
# process and patched what the harness or the test script used after it
PATCHES = {
    "exec": "import builtins\nbuiltins.exec = lambda *a, **k: None",
    "json.dumps": "import json\n_d = json.dumps\n"
    "json.dumps = lambda *a, **k: _d({'status': 'ok', 'passed': 2, 'total': 2})",
    "ast.parse": "import ast\n_p = ast.parse\nast.parse = lambda *a, **k: _p('x = 1\\nassert True')",
    "compile": "import builtins\n_c = builtins.compile\n"
    "builtins.compile = lambda s, fn, m, *a, **k: _c('pass' if fn == 'tests.py' else s, fn, m, *a, **k)",
    "builtins.all": "import builtins\nbuiltins.all = lambda it: True",
    "__builtins__": "globals()['__builtins__'] = dict(__builtins__ if isinstance(__builtins__, dict) "
    "else vars(__builtins__), all=lambda it: True)",
}
ALL_ASSERTS = "assert all(f(x) == x + 1 for x in (1, 5))\nassert all([f(2) == 3])"


@pytest.mark.parametrize("patch", list(PATCHES.values()), ids=list(PATCHES))
def test_a_solution_patching_what_the_harness_uses_fails(check, patch: str) -> None:
    body = patch + "\n\ndef f(x):\n    return 0"
    res = check("code", code(body), None, tests=ALL_ASSERTS if "all" in patch else ASSERTS)
    assert (res.passed, res.detail) == (False, "tests_failed")


def test_a_solution_patching_the_harness_during_a_test_fails(check) -> None:
    """The tested function itself patches what the harness's `eq_override` check calls, before it is made."""
    patch = "def f(x):\n    import builtins\n    builtins.getattr = lambda *a: None\n"
    body = ALWAYS_EQUAL.replace("def f(x):\n", patch)
    assert check("code", code(body), None, tests=ASSERTS).detail == "eq_override"


def _two_sum_tests() -> tuple[str, str | None]:
    from pipeline.ingest.code_tests import code_tests

    got = code_tests(
        {"inputs": [[[2, 7, 11, 15], 9], [[3, 2, 4], 6]], "outputs": [[0, 1], [1, 2]], "fn_name": "twoSum"},
        starter_code="class Solution:\n    def twoSum(self, nums, target):\n",
    )
    return got.tests, got.prelude


TWO_SUM = (
    "class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, x in enumerate(nums):\n"
    "            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i\n"
)
WRONG_TWO_SUM = "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 0]\n"
CALL_PATCHES = {
    "builtins.all": "import builtins\nbuiltins.all = lambda it: True\n",
    "json.loads": "import json\n_loads = json.loads\n"
    "def _patched(s, *a, **k):\n    v = _loads(s, *a, **k)\n"
    "    if isinstance(v, list) and v and isinstance(v[0], list) and len(v[0]) == 2:\n"
    "        return [[args, Solution().twoSum(*args)] for args, _ in v]\n    return v\n"
    "json.loads = _patched\n",
    "JSONDecoder.decode": "import json\n_dec = json.JSONDecoder.decode\n"
    "def _patched(self, s, *a, **k):\n    v = _dec(self, s, *a, **k)\n"
    "    if isinstance(v, list) and v and isinstance(v[0], list) and len(v[0]) == 2:\n"
    "        return [[args, Solution().twoSum(*args)] for args, _ in v]\n    return v\n"
    "json.JSONDecoder.decode = _patched\n",
    "json.loads.__code__": "import json\n_loads = json.loads\n"
    "def _patched(s, *a, **k):\n    v = _loads(s, *a, **k)\n"
    "    if isinstance(v, list) and v and isinstance(v[0], list) and len(v[0]) == 2:\n"
    "        return [[args, Solution().twoSum(*args)] for args, _ in v]\n    return v\n"
    "_loads = type(_loads)(_loads.__code__, _loads.__globals__)\njson.loads.__code__ = _patched.__code__\n",
}


def test_a_call_based_script_judges_a_right_solution() -> None:
    tests, prelude = _two_sum_tests()
    assert _judge_code(TWO_SUM, tests, prelude) == (True, None)
    assert _judge_code(WRONG_TWO_SUM, tests, prelude) == (False, "tests_failed")


@pytest.mark.parametrize("patch", list(CALL_PATCHES.values()), ids=list(CALL_PATCHES))
@pytest.mark.parametrize("with_prelude", [True, False], ids=["prelude", "no prelude"])
def test_a_solution_patching_what_a_call_based_script_uses_fails(patch: str, with_prelude: bool) -> None:
    tests, prelude = _two_sum_tests()
    assert _judge_code(patch + WRONG_TWO_SUM, tests, prelude if with_prelude else None) == (False, "tests_failed")


def _judge_code(body: str, tests, prelude: str | None = None, timeout_s: float = 5) -> tuple[bool, str | None]:
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": timeout_s, "max_output_kb": 64, "memory_mb": 512}})
    args = {"tests": tests, **({"prelude": prelude} if prelude else {})}
    res = Registry(cfg).get("code").check(code(body), TaskSpec("t", "code", None, args), cfg)
    return res.passed, res.detail


LEGIT = (
    "import sys, threading, builtins, json, math\nsys.setrecursionlimit(10 ** 6)\nthreading.stack_size(1 << 26)\n"
    "input = sys.stdin.readline\nfrom functools import lru_cache\nimport collections\n"
    "class Tree:\n    def __init__(self):\n        self.kids = collections.defaultdict(list)\n"
    "@lru_cache(None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    "def f(x):\n    out = []\n    t = threading.Thread(target=lambda: out.append(fib(x) * 0 + x + 1))\n"
    "    t.start(); t.join()\n    return json.loads(json.dumps(out[0]))\n"
)


def test_a_solution_using_the_stdlib_as_written_still_passes(check) -> None:
    tests = "import json, math, sys\n" + ASSERTS + "\nassert math.isclose(f(2), 3)\nassert json.loads('[3]') == [f(2)]"
    res = check("code", code(LEGIT), None, tests=tests)
    assert (res.passed, res.detail) == (True, None)


def test_a_pytest_module_the_solution_writes_does_not_replace_the_tests_pytest(check) -> None:
    """code 19: a solution wrote `pytest.py` into its folder (first on sys.path) with an `approx` equal to everything,
    and the tests' `import pytest` took it."""
    body = (
        "open('pytest.py', 'w').write('class approx:\\n    def __init__(self, *a, **k): pass\\n"
        "    def __eq__(self, o): return True\\n')\ndef f(x):\n    return 0.0"
    )
    tests = "import pytest\nassert f(1) == pytest.approx(2.0)\nassert f(5) == pytest.approx(6.0)"
    assert check("code", code(body), None, tests=tests).detail == "tests_failed"
    assert check("code", code("def f(x):\n    return x + 1.0000000001"), None, tests=tests).passed


# code 19: an `__eq__` the solution made through eval / exec / compile, or with another file name (`co_filename`),
# was taken for no `__eq__` of its own: such an object equal to everything passed every assert
EQ_MADE = {
    "eval": "__eq__ = eval('lambda self, other: True')",
    "exec": "exec('def __eq__(self, other):\\n    return True')",
    "compile": "__eq__ = eval(compile('lambda self, other: True', 'fractions.py', 'eval'))",
    "co_filename": "def __eq__(self, other):\n        return True\n"
    "    import fractions\n    __eq__.__code__ = __eq__.__code__.replace(co_filename=fractions.__file__)",
    "a callable object": "__eq__ = type('Yes', (), {'__call__': lambda self, other: True})()",
    "mock.ANY": None,
}


@pytest.mark.parametrize("made", list(EQ_MADE.values()), ids=list(EQ_MADE))
def test_an_eq_the_solution_made_otherwise_fails(check, made: str | None) -> None:
    if made is None:
        body = "from unittest.mock import ANY\n\ndef f(x):\n    return ANY"
    else:
        body = f"class Anything:\n    {made}\n    __hash__ = object.__hash__\n\ndef f(x):\n    return Anything()"
    # code 23 refuses `code.replace` itself (bytecode of the solution's own: HACKS_23)
    want = "runtime_error" if "replace(" in (made or "") else "eq_override"
    assert check("code", code(body), None, tests=ASSERTS).detail == want


def test_a_stdlib_value_and_the_tests_own_class_still_compare_as_written(check) -> None:
    body = (
        "from fractions import Fraction\nfrom collections import Counter\n\ndef f(x):\n    return Fraction(x, 2)\n\n"
        "def g(s):\n    return Counter(s)"
    )
    tests = (
        "class Near:\n    def __init__(self, v):\n        self.v = v\n    def __eq__(self, other):\n"
        "        return abs(other - self.v) < 1e-9\n\nassert f(3) == 1.5\nassert g('aab') == {'a': 2, 'b': 1}\n"
        "assert float(f(1)) == Near(0.5)"
    )
    assert check("code", code(body), None, tests=tests).passed


# code 19: the tests ran in the solution's namespace, so a solution binding a builtin's name (`def all(it): return
# True`) decided the tests that call it: a wrong solution passed every assert (and ingest's call-based scripts)
SHADOWS = {
    "all": "def all(it):\n    return True",
    "all, assigned": "all = any = lambda it: True",
    "isinstance": "def isinstance(*a):\n    return True\ndef all(it):\n    return True",
}


@pytest.mark.parametrize("shadow", list(SHADOWS.values()), ids=list(SHADOWS))
def test_a_solution_binding_a_builtins_name_does_not_bend_the_tests(check, shadow: str) -> None:
    res = check("code", code(shadow + "\n\ndef f(x):\n    return 0"), None, tests=ALL_ASSERTS)
    assert (res.passed, res.detail) == (False, "tests_failed")
    tests, prelude = _two_sum_tests()
    for with_prelude in (prelude, None):
        assert _judge_code(shadow + "\n" + WRONG_TWO_SUM, tests, with_prelude) == (False, "tests_failed")


def test_a_solution_binding_names_for_its_own_use_still_passes(check) -> None:
    """The tests see the solution's functions, classes and constants; a builtin's name the solution bound for its own
    use (`input = sys.stdin.readline`, a `max` of its own) still serves the solution, and the tests' own names (a
    `check`, an `input` they bind) are theirs."""
    body = (
        "import sys\ninput = sys.stdin.readline\nLIMIT = 10\n\ndef max(a, b):\n    return a if a > b else b\n\n"
        "def solve(x):\n    return max(x, 0) + 1\n\nclass Solution:\n    def f(self, x):\n        return solve(x)\n\n"
        "def f(x):\n    return Solution().f(x)"
    )
    tests = (
        "def check(candidate):\n    assert candidate(1) == 2\n\ncheck(f)\nassert solve(5) == 6\nassert LIMIT == 10\n"
        "assert max([1, 3, 2]) == 3\nassert all(f(x) == x + 1 for x in (1, 5))\nassert Solution().f(-3) == 1"
    )
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail) == (True, None)
    tests, prelude = _two_sum_tests()
    assert _judge_code("def all(it):\n    return True\n" + TWO_SUM, tests, prelude) == (True, None)


# code 19: a returned object whose arithmetic, `abs` or ordering the solution wrote met the asserts' numbers (`__sub__`
# returning 0 passed `abs(f(1) - 2) < 1e-9`), and one equal to everything met `f(1) in [2, 3]` (only `==` / `!=` were
# checked): each passed every assert
BENT = {
    "__sub__": "class Z:\n    def __sub__(self, o):\n        return 0\n    __rsub__ = __sub__",
    "__abs__": "class Z:\n    def __sub__(self, o):\n        return self\n    def __abs__(self):\n        return 0",
    "__lt__": "class Z:\n    def __lt__(self, o):\n        return True\n    __gt__ = __le__ = __ge__ = __lt__",
    "__eq__ with in": "class Z:\n    def __eq__(self, o):\n        return True\n    __hash__ = object.__hash__",
}
BENT_TESTS = {
    "__sub__": "assert abs(f(1) - 2) < 1e-9\nassert abs(2 - f(1)) <= 1e-9",
    "__abs__": "assert abs(f(1) - 2) < 1e-9\nassert abs(f(5) - 6) < 1e-9",
    "__lt__": "assert f(1) <= 2 and f(1) >= 2\nassert f(5) > 5",
    "__eq__ with in": "assert f(1) in [2, 3]\nassert f(5) not in (1, 2)",
}


@pytest.mark.parametrize("hack", list(BENT), ids=list(BENT))
def test_an_object_bending_arithmetic_ordering_or_in_fails(check, hack: str) -> None:
    body = BENT[hack] + "\n\ndef f(x):\n    return Z()"
    res = check("code", code(body), None, tests=BENT_TESTS[hack])
    assert (res.passed, res.detail) == (False, "eq_override")


def test_the_solutions_own_classes_still_compute_as_written(check) -> None:
    """A class the tests use with its own kind (Vector + Vector, Item < Item), one whose result is of its own kind
    (Vector * 3), `len`, `in` over it (a class the tests drive: they name it and its attribute `xs`), and a stdlib
    Fraction's arithmetic, compute as written."""
    body = (
        "from fractions import Fraction\n\nclass Vector:\n    def __init__(self, *xs):\n        self.xs = xs\n"
        "    def __eq__(self, o):\n        return isinstance(o, Vector) and self.xs == o.xs\n"
        "    def __add__(self, o):\n        return Vector(*(a + b for a, b in zip(self.xs, o.xs)))\n"
        "    def __mul__(self, o):\n        if isinstance(o, Vector):\n"
        "            return sum(a * b for a, b in zip(self.xs, o.xs))\n"
        "        return Vector(*(a * o for a in self.xs))\n"
        "    __rmul__ = __mul__\n    def __len__(self):\n        return len(self.xs)\n"
        "    def __contains__(self, x):\n        return x in self.xs\n\n"
        "class Item:\n    def __init__(self, p):\n        self.p = p\n"
        "    def __lt__(self, o):\n        return self.p < o.p\n\n"
        "def f(x):\n    return Fraction(x, 2)\n\ndef g(x):\n    return x + 1"
    )
    tests = (
        "assert Vector(1, 2) + Vector(3, 4) == Vector(4, 6)\nassert Vector(1, 2) * 3 == Vector(3, 6)\n"
        "assert 2 * Vector(1, 2) == Vector(2, 4)\nassert Vector(1, 2) * Vector(3, 4) == 11\n"
        "assert len(Vector(1, 2)) == 2\nassert 2 in Vector(1, 2)\nassert Vector(1, 2).xs == (1, 2)\n"
        "assert Item(1) < Item(2)\n"
        "assert abs(f(1) - 0.5) < 1e-9\nassert f(3) > 1\nassert g(1) in [2, 3]\nassert g(1) not in (1, 3)\n"
        "assert Vector(1) in [Vector(1)]\nassert abs(g(1) - 2) < 1e-9"
    )
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail) == (True, None)


def test_a_case_cannot_read_the_harness_memory(check) -> None:
    """code 19: a case's program read the expected output out of the harness's memory (`/proc/<ppid>/mem`: the same
    uid, dumpable) and printed it: a program that computes nothing passed every case."""
    steal = (
        "import os, re, struct, sys\ndata = sys.stdin.read()\npp = os.getppid()\n"
        "try:\n    mem = open(f'/proc/{pp}/mem', 'rb', 0)\nexcept OSError:\n    print('refused'); sys.exit(0)\n"
        "regions = []\nfor line in open(f'/proc/{pp}/maps'):\n"
        "    a, b = (int(x, 16) for x in line.split()[0].split('-'))\n"
        "    if line.split()[1].startswith('rw') and b - a < 1 << 28:\n        try:\n"
        "            mem.seek(a); regions.append((a, mem.read(b - a)))\n        except OSError:\n            pass\n"
        "def read(addr, n):\n    mem.seek(addr); return mem.read(n)\n"
        "needle = data.encode() + b'\\x00'\nfor a, chunk in regions:\n"
        "    for h in re.finditer(re.escape(needle), chunk):\n        ptr = struct.pack('<Q', a + h.start() - 48)\n"
        "        for a2, c2 in regions:\n            for h2 in re.finditer(re.escape(ptr), c2):\n"
        "                if h2.start() % 8:\n                    continue\n"
        "                out = struct.unpack('<Q', c2[h2.start() + 16:h2.start() + 24])[0]\n                try:\n"
        "                    n = struct.unpack('<q', read(out + 16, 8))[0]\n                    if 0 < n < 1 << 20:\n"
        "                        sys.stdout.write(read(out + 48, n).decode()); sys.exit(0)\n"
        "                except (OSError, ValueError, UnicodeDecodeError):\n                    pass\nprint('?')\n"
    )
    res = check("code", code(steal), None, tests=CASES)
    assert not res.passed and res.score == 0.0
    assert check("code", code(steal), None, tests=[{"input": "1\n", "output": "refused\n"}]).passed


def test_dev_shm_is_capped_as_tmp_is(check, cfg) -> None:
    """/dev/shm was an uncapped tmpfs (the machine's memory) inside the sandbox; it has /tmp's cap now."""
    body = (
        "import os\nst = os.statvfs('/dev/shm')\nSIZE = st.f_blocks * st.f_frsize\n"
        "open('/dev/shm/x', 'wb').write(b'x')\n\ndef f(x):\n    return x + 1"
    )
    tests = f"assert 0 < SIZE <= {cfg.code.tmp_mb * 1024 * 1024}\n" + ASSERTS
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail) == (True, None)


# A solution importing a module the sandbox's Python lacks (numpy where /usr/bin/python3 has none) failed
# `runtime_error`, nothing naming the module: rejection sampling dropped every right numpy answer unseen. The reason is
# `missing_module` and its details name the module (the run's summary counts them, `pipeline.verify.db`).
@pytest.mark.parametrize(
    ("body", "tests", "score"),
    [
        ("import tm_no_such_module\ndef f(x):\n    return x + 1", ASSERTS, 0.0),
        ("def f(x):\n    import tm_no_such_module.sub\n    return x + 1", ASSERTS, 0.0),
        ("import tm_no_such_module\na, b = map(int, input().split())\nprint(a + b)", CASES, 0.0),
    ],
    ids=["asserts", "inside the function", "cases"],
)
def test_a_module_the_sandbox_lacks_is_named(check, body: str, tests, score: float) -> None:
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail, res.score) == (False, "missing_module", score)
    assert res.details == {"module": "tm_no_such_module"}


@pytest.mark.parametrize(
    "body",
    [
        "import json.tm_no_such_part\ndef f(x):\n    return x + 1",
        "from math import tm_no_such_name\ndef f(x):\n    return x",
    ],
    ids=["submodule of an installed package", "name"],
)
def test_an_import_the_sandbox_could_not_satisfy_anyway_is_a_runtime_error(check, body: str) -> None:
    res = check("code", code(body), None, tests=ASSERTS)
    assert (res.passed, res.detail, res.details) == (False, "runtime_error", None)


def test_tests_importing_a_module_the_sandbox_lacks_name_it(check) -> None:
    res = check("code", code("def f(x):\n    return x + 1"), None, tests="import tm_no_such_module\n" + ASSERTS)
    assert (res.passed, res.detail, res.details) == (False, "tests_setup_error", {"module": "tm_no_such_module"})


# code 20: each of these wrong solutions passed every assert on code 19. A chain of comparisons was left as written
# (only a single `==`, `<` or `in` was checked), a `__contains__` of the solution's answered `in` for any object, a
# container the harness did not look into (a subclass of tuple or list, a deque, a `UserList`, a generator) held an
# object equal to everything, a metaclass's `__flags__` property made the solution's class a C type's, and a
# comparison outside an assert (`ok = f(1) == 2`, unittest's `assertEqual`) was not checked at all
LIAR = (
    "class Z:\n    def __eq__(self, o):\n        return True\n    def __ne__(self, o):\n        return False\n"
    "    __lt__ = __le__ = __gt__ = __ge__ = __eq__\n    def __contains__(self, o):\n        return True\n"
    "    __hash__ = object.__hash__\n\n"
)
RUN_UNITTEST = (
    "r = unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(T))\nassert r.wasSuccessful()"
)
HACKS_20 = {
    "chain <": (LIAR + "def f(x):\n    return Z()", "assert 1 < f(1) < 3\nassert 5 <= f(5) <= 7"),
    "chain ==": (LIAR + "def f(x):\n    return Z()", "y = 2\nassert f(1) == 2 == y\nassert 6 == f(5) == 6"),
    "__contains__": (LIAR + "def f(x):\n    return Z()", "assert 2 in f(1)\nassert 6 in f(5)"),
    "list subclass __contains__": (
        "class M(list):\n    def __contains__(self, o):\n        return True\n\ndef f(x):\n    return M()",
        "assert 2 in f(1)\nassert 6 in f(5)",
    ),
    "a class named as the function": (
        "class f:\n    def __init__(self, x):\n        pass\n    def __contains__(self, o):\n        return True",
        "assert 2 in f(1)\nassert 6 in f(5)",
    ),
    "generator": (LIAR + "def f(x):\n    return (Z() for _ in range(2))", "assert 2 in f(1)\nassert 6 in f(5)"),
    "deque": (LIAR + "from collections import deque\n\ndef f(x):\n    return deque([Z()])", "assert 2 in f(1)"),
    "tuple subclass": (LIAR + "class T(tuple):\n    pass\n\ndef f(x):\n    return T([Z()])", "assert f(1) == (2,)"),
    "UserList": (
        LIAR + "from collections import UserList\n\ndef f(x):\n    return UserList([Z()])",
        "assert f(1) == [2]",
    ),
    "metaclass __flags__": (
        "class M(type):\n    __flags__ = property(lambda c: 0)\n\n"
        + LIAR.replace("class Z:", "class Z(metaclass=M):")
        + "def f(x):\n    return Z()",
        "assert f(1) == 2\nassert f(5) == 6",
    ),
    "outside an assert": (
        LIAR + "def f(x):\n    return Z()",
        "ok = f(1) == 2\nassert ok\nif f(5) != 6:\n    raise AssertionError",
    ),
    "unittest": (
        LIAR + "def f(x):\n    return Z()",
        "import unittest\n\nclass T(unittest.TestCase):\n    def test_f(self):\n        self.assertEqual(f(1), 2)\n"
        "        self.assertIn(2, f(1))\n\n" + RUN_UNITTEST,
    ),
}


@pytest.mark.parametrize("hack", list(HACKS_20), ids=list(HACKS_20))
def test_an_object_bending_a_chain_in_or_a_container_fails(check, hack: str) -> None:
    body, tests = HACKS_20[hack]
    res = check("code", code(body), None, tests=tests)
    assert not res.passed and res.detail in ("eq_override", "tests_failed"), res
    if "unittest" not in hack:  # unittest reports the refusal as a failed test case
        assert res.detail == "eq_override"


def test_right_chains_containers_and_unittest_cases_still_pass(check) -> None:
    """Chains of plain values (evaluated once each and lazily, also in a class body and beside `:=`), `in` over a
    generator, a deque, a namedtuple, a `UserList`, a `Counter`, a dict's views, a class the tests drive (they name it
    and its method `insert`), a tuple subclass compared with a tuple, comparisons outside asserts and unittest's
    assert methods compute as written."""
    body = (
        "from collections import Counter, UserList, deque, namedtuple\n\nP = namedtuple('P', 'x y')\n\n"
        "class BST:\n    def __init__(self):\n        self.items = set()\n    def insert(self, v):\n"
        "        self.items.add(v)\n    def __contains__(self, v):\n        return v in self.items\n\n"
        "class Tup(tuple):\n    pass\n\ndef f(x):\n    if x > 100:\n        raise ValueError(x)\n    return x + 1\n\n"
        "def gen(n):\n    return (i for i in range(n))\n\ndef parts(x):\n"
        "    return deque([x]), P(x, x), UserList([x]), Counter('aab'), {x: [1]}, Tup((x,))"
    )
    tests = (
        "assert 0 <= f(1) < 10\nassert 1 < 2 < f(3) <= 4\nassert f(1) == 2 == 2.0\nassert not (5 < f(1) < f(1000))\n"
        "assert 1 < f(1) is not None\nassert 0 < (y := f(1)) < 3 and y == 2\n"
        "def check(c):\n    assert all(0 < c(i) <= 10 for i in range(5))\n"
        "    return [i for i in range(3) if 0 < c(i) < 3]\n"
        "assert check(f) == [0, 1]\nclass K:\n    ok = 0 < f(1) < 3\nassert K.ok\n"
        "assert 3 in gen(5)\nassert 7 not in gen(5)\nd, p, u, c, m, t = parts(2)\nassert 2 in d and 2 in p and 2 in u\n"
        "assert p == (2, 2) and u == [2] and c == {'a': 2, 'b': 1} and 'a' in c\n"
        "assert 2 in m.keys() and [1] in m.values() and t == (2,) and 2 in t\n"
        "tree = BST()\ntree.insert(3)\nassert 3 in tree\nassert 4 not in tree\n"
        "ok = f(1) == 2\nassert ok\nif f(1) != 2:\n    raise AssertionError\n"
        "import unittest\n\nclass T(unittest.TestCase):\n    def test_f(self):\n        self.assertEqual(f(1), 2)\n"
        "        self.assertEqual(parts(1)[5], (1,), 'msg')\n        self.assertIn(2, parts(2)[0])\n"
        "        self.assertAlmostEqual(f(0.1), 1.1)\n        self.assertLess(f(1), 3)\n"
        "        self.assertEqual(first=f(1), second=2)\n\n" + RUN_UNITTEST
    )
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail, res.score) == (True, None, 1.0)


@pytest.mark.parametrize("lie", ["__flags__ = property(lambda c: 0)", "__mro__ = property(lambda c: (object,))"])
def test_a_metaclass_lying_to_a_call_based_scripts_helper_fails(lie: str) -> None:
    """code 20: ingest's call-based helper reads `type(got).__mro__` and `__flags__` through the class, so a metaclass
    property made the solution's `__eq__` a C type's, and an object equal to everything passed every case (code 19)."""
    from pipeline.ingest.code_tests import code_tests

    tests = code_tests({"inputs": [[1], [5]], "outputs": [2, 6], "fn_name": "f"}).tests
    liar = (
        f"class M(type):\n    {lie}\n\nclass Z(metaclass=M):\n    def __eq__(self, o):\n        return True\n"
        "    __hash__ = object.__hash__\n\ndef f(x):\n    return Z()\n"
    )
    assert _judge_code(liar, tests) == (False, "eq_override")
    assert _judge_code("def f(x):\n    return x + 1\n", tests) == (True, None)


# code 21: each of these wrong solutions passed every assert on code 20. The solution runs in the harness's own
# process: through a frame (`sys._getframe`, an exception's traceback, a running generator's `gi_frame`, `inspect`, a
# trace function) it read the expected values out of the calling test's code or walked up to the harness's globals
# (`payload`, `report`); through `gc` or a class's `__subclasses__` it found the harness's `report` and forged a pass;
# a function the tests hand it (a lambda) led to the harness's globals through the checks the tests call
HACKS_21 = {
    "sys._getframe consts": (
        "import sys\n\ndef f(x):\n    fr = sys._getframe(1)\n"
        "    return [c for c in fr.f_code.co_consts if isinstance(c, int) and c != x][0]",
        ASSERTS,
    ),
    "traceback frame": (
        "def f(x):\n    try:\n        raise ValueError\n    except ValueError as e:\n"
        "        fr = e.__traceback__.tb_frame.f_back\n"
        "    return [c for c in fr.f_code.co_consts if isinstance(c, int) and c != x][0]",
        ASSERTS,
    ),
    "running generator's frame": (
        "def f(x):\n    def g():\n        yield gen.gi_frame.f_back.f_back\n    gen = g()\n    fr = next(gen)\n"
        "    return [c for c in fr.f_code.co_consts if isinstance(c, int) and c != x][0]",
        ASSERTS,
    ),
    "inspect.stack": (
        "import inspect\n\ndef f(x):\n    for fi in inspect.stack():\n"
        "        if 'report' in fi.frame.f_globals:\n"
        "            fi.frame.f_globals['report'](status='ok', passed=2, total=2)",
        ASSERTS,
    ),
    "f_back to payload": (
        "import ast, sys\n\ndef f(x):\n    fr = sys._getframe(1)\n    while fr is not None:\n"
        "        p = fr.f_globals.get('payload')\n        if isinstance(p, dict) and 'tests' in p:\n"
        "            for n in ast.walk(ast.parse(p['tests'])):\n"
        "                if isinstance(n, ast.Compare) and ast.literal_eval(n.left.args[0]) == x:\n"
        "                    return ast.literal_eval(n.comparators[0])\n        fr = fr.f_back",
        ASSERTS,
    ),
    "trace function": (
        "import sys\n\ndef f(x):\n    seen = []\n    sys.settrace(lambda fr, ev, arg: seen.append(fr))\n"
        "    (lambda: None)()\n    sys.settrace(None)\n    fr = seen[0]\n    while fr is not None:\n"
        "        if 'report' in fr.f_globals:\n            fr.f_globals['report'](status='ok', passed=2, total=2)\n"
        "        fr = fr.f_back",
        ASSERTS,
    ),
    "gc.get_objects": (
        "import gc\n\nfor o in gc.get_objects():\n    if type(o).__name__ == 'function' and o.__name__ == 'report':\n"
        "        o(status='ok', passed=2, total=2)\n\ndef f(x):\n    return 0",
        ASSERTS,
    ),
    "gc.get_referrers": (
        "import gc\n\ndef f(x):\n    for d in gc.get_referrers(f):\n        if '__thinkmill_eq__' in d:\n"
        "            d['__thinkmill_eq__'].__globals__['report'](status='ok', passed=2, total=2)\n    return 0",
        ASSERTS,
    ),
    "a class's __subclasses__": (
        "import ast\n\nfor k in ast.NodeTransformer.__subclasses__():\n    for v in vars(k).values():\n"
        "        if 'report' in getattr(v, '__globals__', {}):\n"
        "            v.__globals__['report'](status='ok', passed=2, total=2)\n\n"
        "def f(x):\n    return 0",
        ASSERTS,
    ),
    "a lambda's globals": (
        "def apply(fn, x):\n    g = fn.__globals__['__thinkmill_eq__'].__globals__\n"
        "    g['report'](status='ok', passed=2, total=2)",
        "assert apply(lambda v: v + 1, 1) == 2\nassert apply(lambda v: v * 2, 3) == 6",
    ),
    "an audit hook": (
        "import sys\n\ndef hook(ev, args):\n    if ev == 'exec':\n        g = sys._getframe(1).f_globals\n"
        "        if 'report' in g:\n            g['report'](status='ok', passed=2, total=2)\n\n"
        "sys.addaudithook(hook)\n\n"
        "def f(x):\n    return 0",
        ASSERTS,
    ),
}


@pytest.mark.parametrize("hack", list(HACKS_21), ids=list(HACKS_21))
def test_a_solution_reaching_the_tests_frames_or_the_harness_fails(check, hack: str) -> None:
    body, tests = HACKS_21[hack]
    res = check("code", code(body), None, tests=tests)
    assert not res.passed and res.score < 1, res


# code 21: ingest's call-based scripts bind their helpers (`_tm_check`, `_tm_args`) in the tests' namespace, and code 20
# gave the names the tests bind to the solution's namespace: through `globals()` the solution read the expected values
# out of `_tm_check`'s closure, made its comparison always true, or walked to the harness's `report`
CALL_HACKS_21 = {
    "read the expected values": "def f(x):\n    g = globals()\n"
    "    cells = g['_tm_args'].__closure__ + g['_tm_check'].__closure__\n"
    "    lists = [c.cell_contents for c in cells if isinstance(c.cell_contents, list)]\n"
    "    inputs = next(v for v in lists if [x] in v)\n    expected = next(v for v in lists if v is not inputs)\n"
    "    return expected[inputs.index([x])]\n",
    "rebind the comparison": "def f(x):\n    for c in globals()['_tm_check'].__closure__:\n"
    "        if getattr(c.cell_contents, '__name__', '') in ('same', 'exact'):\n"
    "            c.cell_contents = lambda got, want: True\n    return 0\n",
    "reach report": "def f(x):\n    g = globals()['_tm_check'].__globals__['__thinkmill_eq__'].__globals__\n"
    "    g['report'](status='ok', passed=2, total=2)\n",
}


@pytest.mark.parametrize("hack", list(CALL_HACKS_21), ids=list(CALL_HACKS_21))
def test_a_solution_reaching_a_call_based_scripts_helpers_fails(hack: str) -> None:
    from pipeline.ingest.code_tests import code_tests

    tests = code_tests({"inputs": [[1], [5]], "outputs": [2, 6], "fn_name": "f"}).tests
    assert _judge_code(CALL_HACKS_21[hack], tests)[0] is False
    assert _judge_code("def f(x):\n    return x + 1\n", tests) == (True, None)


def test_right_solutions_using_frames_through_the_stdlib_still_pass(check) -> None:
    """What reads frames on a right solution's behalf still works: namedtuple, enum, typing, dataclasses, logging (its
    caller's file is unknown), warnings, a traceback printed or formatted, unittest's `assertRaises` and its report
    of a failing case, recursion past the default limit, generators, coroutines, `inspect.signature`."""
    body = (
        "import asyncio, enum, functools, inspect, logging, sys, traceback, typing, warnings\n"
        "from collections import namedtuple\nfrom dataclasses import dataclass, field\n\n"
        "sys.setrecursionlimit(10 ** 5)\nP = namedtuple('P', 'x y')\nColor = enum.Enum('Color', 'RED GREEN')\n"
        "T = typing.TypeVar('T')\nQ = typing.NamedTuple('Q', [('x', int)])\n\n@dataclass(order=True)\nclass D:\n"
        "    x: int\n    ys: list = field(default_factory=list)\n\nclass Kind(enum.IntEnum):\n    A = 1\n\n"
        "@functools.lru_cache(None)\ndef depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n\n"
        "def gen(n):\n    yield from range(n)\n\nasync def twice(x):\n    return 2 * x\n\ndef f(x):\n"
        "    logging.getLogger('t').warning('f(%s)', x)\n    warnings.warn('careful')\n    try:\n        1 / 0\n"
        "    except ZeroDivisionError:\n        traceback.print_exc()\n        text = traceback.format_exc()\n"
        "        logging.exception('caught')\n    assert 'ZeroDivisionError' in text\n"
        "    assert list(inspect.signature(f).parameters) == ['x']\n"
        "    assert sum(gen(3)) == 3 and asyncio.run(twice(2)) == 4 and depth(3000) == 3000\n"
        "    assert P(1, 2).y == 2 and Color.RED.value == 1 and Q(1).x == 1 and D(1) < D(2) and Kind.A == 1\n"
        "    return x + 1"
    )
    tests = (
        ASSERTS + "\nimport unittest\n\nclass T(unittest.TestCase):\n    def test_f(self):\n"
        "        with self.assertRaises(ZeroDivisionError):\n            f(1) / 0\n"
        "        self.assertEqual(f(1), 2)\n\n"
        "class Failing(unittest.TestCase):\n    def test_wrong(self):\n        self.assertEqual(f(1), 3)\n\n"
        "r = unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(T))\n"
        "assert r.wasSuccessful()\n"
        "bad = unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(Failing))\n"
        "assert len(bad.failures) == 1 and 'AssertionError' in bad.failures[0][1]"
    )
    res = check("code", code(body), None, tests=tests)
    assert (res.passed, res.detail, res.score) == (True, None, 1.0), res


# code 22: each of these wrong solutions passed every assert on code 21, which kept `sys._getframe` and the like out
# of its reach but not the other ways to a frame or to the process's memory: a signal handler is called with the
# interrupted frame (`f_back` leads to the harness's globals and `report`), `gc.set_debug(gc.DEBUG_SAVEALL)` keeps the
# frames of collected cycles in `gc.garbage`, ctypes reads and writes any object (`pythonapi.PyEval_GetFrame`), and
# `/proc/self/mem`, or `/proc/<ppid>/mem` read by a child process, holds the tests' text; a module made again through
# `_imp` (a `gc` or `_signal` of its own) or run in a subinterpreter (no audit hook there) got around what guards them
_WALK_TO_REPORT = (
    "    while frame is not None:\n        if 'report' in frame.f_globals:\n"
    "            frame.f_globals['report'](status='ok', passed=2, total=2)\n        frame = frame.f_back\n"
)
_SCAN = (
    "def scan(pid, x):\n    want = re.compile(rb'assert f\\(%d\\) == (\\d+)' % x)\n"
    "    with open('/proc/%s/maps' % pid) as m:\n"
    "        spans = [l.split()[0].split('-') for l in m if l.split()[1].startswith('rw')]\n"
    "    with open('/proc/%s/mem' % pid, 'rb') as mem:\n        for a, b in spans:\n            try:\n"
    "                mem.seek(int(a, 16)); hit = want.search(mem.read(int(b, 16) - int(a, 16)))\n"
    "            except OSError:\n                continue\n            if hit:\n"
    "                return int(hit.group(1))\n"
)
_FRESH = (
    "import _imp, importlib.machinery\n\n"
    "def fresh(name):\n"
    "    return _imp.create_builtin(importlib.machinery.ModuleSpec(name, importlib.machinery.BuiltinImporter))\n\n"
)
_GC_GARBAGE = (
    "def g():\n    try:\n        raise ValueError\n    except ValueError as e:\n        err = e\n\n"
    "def f(x):\n    g()\n    gc.collect()\n    for frame in list(gc.garbage):\n"
    "        while type(frame).__name__ == 'frame':\n            if 'report' in frame.f_globals:\n"
    "                frame.f_globals['report'](status='ok', passed=2, total=2)\n            frame = frame.f_back\n"
    "    return 0\n"
)
# pointers read through a union make no audit event at all: the running generator's frame, then `previous` up to
# the harness's frame and its globals
_CTYPES_UNION = (
    "import ctypes\n\nclass U(ctypes.Union):\n"
    "    _fields_ = [('a', ctypes.c_void_p), ('p', ctypes.POINTER(ctypes.c_void_p)),\n"
    "                ('o', ctypes.POINTER(ctypes.py_object))]\n\n"
    "def word(addr):\n    u = U(); u.a = addr\n    return u.p[0] or 0\n\n"
    "def obj(addr):\n    u = U(); u.a = addr\n    return u.o[0]\n\n"
    "def walk():\n    me = id(globals())\n"
    "    k = next(k for k in range(16, 256, 8) if word(id(gen) + k) == me)  # the running frame's f_globals\n"
    "    frame = word(id(gen) + k + 40)  # its `previous`\n    while frame:\n        g = obj(frame + 8)\n"
    "        if type(g) is dict and 'report' in g:\n            g['report'](status='ok', passed=2, total=2)\n"
    "        frame = word(frame + 48)\n    yield\n\n"
    "def f(x):\n    global gen\n    gen = walk()\n    next(gen)\n    return 0\n"
)
HACKS_22 = {
    "a signal handler's frame": "import signal\n\ndef h(signum, frame):\n" + _WALK_TO_REPORT + "\n"
    "signal.signal(signal.SIGUSR1, h)\n\ndef f(x):\n    signal.raise_signal(signal.SIGUSR1)\n    return 0\n",
    "an interval timer's handler": "import signal\n\ndef h(signum, frame):\n" + _WALK_TO_REPORT + "\n"
    "signal.signal(signal.SIGALRM, h)\nsignal.setitimer(signal.ITIMER_REAL, 0.01)\n\n"
    "def f(x):\n    while True:\n        pass\n",
    "a handler set through a _signal of its own": _FRESH
    + "import signal\n\ndef h(signum, frame):\n"
    + _WALK_TO_REPORT
    + "\nfresh('_signal').signal(signal.SIGUSR1, h)\n\ndef f(x):\n    signal.raise_signal(signal.SIGUSR1)\n"
    "    return 0\n",
    "gc.garbage": "import gc\n\ngc.set_debug(gc.DEBUG_SAVEALL)\n\n" + _GC_GARBAGE,
    "gc.garbage through a gc of its own": _FRESH
    + "import gc\n\nfresh('gc').set_debug(gc.DEBUG_SAVEALL)\n\n"
    + _GC_GARBAGE,
    "ctypes.pythonapi": "import ctypes\n\nctypes.pythonapi.PyEval_GetFrame.restype = ctypes.py_object\n\n"
    "def f(x):\n    frame = ctypes.pythonapi.PyEval_GetFrame()\n" + _WALK_TO_REPORT + "    return 0\n",
    "ctypes without an audited call": _CTYPES_UNION,
    "_ctypes made under another package's name": "import _imp, importlib.util\n\n"
    "spec = importlib.util.find_spec('_ctypes')\nspec.name = 'x._ctypes'\nC = _imp.create_dynamic(spec)\n\n"
    "class P(C._SimpleCData):\n    _type_ = 'P'\n\nclass O(C._SimpleCData):\n    _type_ = 'O'\n\n"
    + _CTYPES_UNION.replace("import ctypes\n\n", "")
    .replace("ctypes.Union", "C.Union")
    .replace("ctypes.POINTER", "C.POINTER")
    .replace("ctypes.c_void_p", "P")
    .replace("ctypes.py_object", "O"),
    "gc imported again": "import sys\n\nsys.modules.pop('gc', None)\nimport gc\n\ngc.set_debug(gc.DEBUG_SAVEALL)\n\n"
    + _GC_GARBAGE,
    "gc reloaded": "import gc, importlib\n\nimportlib.reload(gc)\ngc.set_debug(gc.DEBUG_SAVEALL)\n\n" + _GC_GARBAGE,
    "/proc/self/mem": "import re\n\n" + _SCAN + "\ndef f(x):\n    return scan('self', x)\n",
    "a child reading /proc/<ppid>/mem": "import os, re, subprocess, sys\n\nSCAN = "
    + repr("import re, sys\n" + _SCAN + "print(scan(int(sys.argv[1]), int(sys.argv[2])))\n")
    + "\n\n"
    "def f(x):\n    got = subprocess.run([sys.executable, '-c', SCAN, str(os.getpid()), str(x)], capture_output=True)\n"
    "    return int(got.stdout)\n",
    "a subinterpreter's ctypes": "import _xxsubinterpreters as interp\n\nSCAN = "
    + repr(
        "import ctypes, re, _xxsubinterpreters as interp\n"
        "want = re.compile(rb'assert f\\(%d\\) == (\\d+)' % x)\n"
        "for l in open('/proc/self/maps'):\n    a, b = (int(v, 16) for v in l.split()[0].split('-'))\n"
        "    if l.split()[1].startswith('rw') and b - a < 1 << 28:\n"
        "        hit = want.search(ctypes.string_at(a, b - a))\n        if hit:\n"
        "            interp.channel_send(cid, int(hit.group(1))); break\n"
    )
    + "\n\ndef f(x):\n    cid, sub = interp.channel_create(), interp.create()\n"
    "    interp.run_string(sub, SCAN, shared={'cid': cid, 'x': x})\n    return interp.channel_recv(cid)\n",
}


@pytest.mark.parametrize("hack", list(HACKS_22), ids=list(HACKS_22))
def test_a_solution_reaching_a_frame_or_the_memory_otherwise_fails(check, hack: str) -> None:
    res = check("code", code(HACKS_22[hack]), None, tests=ASSERTS)
    assert not res.passed and res.score < 1, res


def test_right_solutions_using_signals_gc_processes_and_c_modules_still_pass(check) -> None:
    """What code 22 guards still works for a right solution: a timeout through SIGALRM (its handler gets no frame:
    None), `signal.getsignal` giving the handler set back, `gc.collect` / `disable` / `set_debug(0)`, a child process
    (a Python of its own, which starts and prints), a pool of forked processes, reading `/proc/self/status`, a file
    and a symlink of its own, and C extension modules imported after it started."""
    body = (
        "import bz2, gc, hashlib, lzma, mmap, multiprocessing, os, queue, resource, signal, sqlite3, subprocess, sys\n"
        "import uuid, zoneinfo\n\nclass Timeout(Exception):\n    pass\n\n"
        "def ring(signum, frame):\n    assert frame is None\n    raise Timeout\n\n"
        "def spin():\n    while True:\n        pass\n\n"
        "def with_timeout(fn, seconds):\n    old = signal.signal(signal.SIGALRM, ring)\n"
        "    assert signal.getsignal(signal.SIGALRM) is ring\n    signal.setitimer(signal.ITIMER_REAL, seconds)\n"
        "    try:\n        return fn()\n    except Timeout:\n        return 'timed out'\n    finally:\n"
        "        signal.setitimer(signal.ITIMER_REAL, 0)\n        signal.signal(signal.SIGALRM, old)\n\n"
        "def f(x):\n    assert with_timeout(spin, 0.05) == 'timed out' and with_timeout(lambda: 7, 1) == 7\n"
        "    gc.collect(); gc.disable(); gc.enable(); gc.set_debug(0)\n    assert gc.get_debug() == 0\n"
        "    out = subprocess.run([sys.executable, '-c', 'print(40)'], capture_output=True, text=True).stdout\n"
        "    with multiprocessing.get_context('fork').Pool(2) as pool:\n"
        "        assert pool.map(abs, [-1, 2, -3]) == [1, 2, 3]\n"
        "    assert 'VmRSS' in open('/proc/self/status').read()\n"
        "    with open('data.txt', 'w') as out_file:\n        out_file.write('1')\n"
        "    if not os.path.exists('link.txt'):\n        os.symlink('data.txt', 'link.txt')\n"
        "    db = sqlite3.connect(':memory:')\n    assert db.execute('select 1').fetchone() == (1,)\n"
        "    assert bz2.decompress(bz2.compress(b'a')) == b'a' and lzma.decompress(lzma.compress(b'a')) == b'a'\n"
        "    assert hashlib.sha256(b'').hexdigest().startswith('e3b0') and uuid.uuid4().version == 4\n"
        "    queue.SimpleQueue().put(1); mmap.mmap(-1, 16).write(b'a'); resource.getrlimit(resource.RLIMIT_AS)\n"
        "    return int(out) - 39 + x - 1 + int(open('link.txt').read())\n"
    )
    res = check("code", code(body), None, tests=ASSERTS)
    assert (res.passed, res.detail, res.score) == (True, None, 1.0), res


def test_a_python_of_the_sandbox_cannot_read_its_own_memory_or_its_parents(cfg, tmp_path) -> None:
    """The sandbox binds the interpreter as a copy that may be run but not read (`sandbox.execute_only`), so Linux
    makes its processes not dumpable: neither the process itself nor a process it starts opens its memory, whatever
    path leads there (the harness's audit hook sees only the paths it is given). A script, which must be read to
    run, is bound as it is."""
    copy = sandbox.execute_only(sandbox.interpreter(cfg.code))
    assert copy is not None and os.stat(copy).st_mode & 0o7777 == 0o111
    assert sandbox.execute_only(sandbox.interpreter(cfg.code)) == copy
    (tmp_path / "python").write_text('#!/bin/sh\nexec /usr/bin/python3 "$@"\n')
    assert sandbox.execute_only(str(tmp_path / "python")) is None
    probe = (
        "import os, subprocess, sys\nos.symlink('/proc/self', '/tmp/me')\nfd = os.open('/proc', os.O_RDONLY)\n"
        "for path, dir_fd in (('/proc/self/mem', None), ('/tmp/me/mem', None), ('self/mem', fd)):\n    try:\n"
        "        os.open(path, os.O_RDONLY, dir_fd=dir_fd); print('opened', path)\n"
        "    except PermissionError:\n        print('refused')\n"
        'child = \'import os\\ntry:\\n    open("/proc/%d/mem" % os.getppid(), "rb"); print("opened")\\n\''
        " + 'except PermissionError:\\n    print(\"refused\")'\n"
        "print(subprocess.run([sys.executable, '-c', child], capture_output=True, text=True).stdout.strip())\n"
    )
    res = sandbox.run([sandbox.interpreter(cfg.code), "-I", "-c", probe], b"", cfg.code, wall_s=30)
    assert res.stdout.decode().split() == ["refused"] * 4, res


def test_the_harness_refuses_its_memory_unsandboxed_too(tmp_path) -> None:
    """Unsandboxed (`allow_unsandboxed`, inside a sandbox of one's own) the interpreter is not bound: the audit hook
    refuses opening `/proc/<pid>/mem` by any path it is given (a symlink, the cwd, `..`)."""
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": 5, "allow_unsandboxed": True, "max_processes": 1024}})
    registry = Registry(cfg)
    via = (
        "import os, re\n\n" + _SCAN.replace("'/proc/%s/mem' % pid", "mem_path(pid)") + "\n"
        "def mem_path(pid):\n    if not os.path.lexists('me'):\n        os.symlink('/proc/%s' % pid, 'me')\n"
        "    return 'me/../me/mem'\n\ndef f(x):\n    return scan('self', x)\n"
    )
    for body in (HACKS_22["/proc/self/mem"], via):
        res = registry.get("code").check(code(body), TaskSpec("t", "code", None, {"tests": ASSERTS}), cfg)
        assert not res.passed and res.score < 1, res
    right = "def f(x):\n    return x + int('VmRSS' in open('/proc/self/status').read())"
    assert registry.get("code").check(code(right), TaskSpec("t", "code", None, {"tests": ASSERTS}), cfg).passed


# code 23: a right solution handing a function of its own to worker processes failed `runtime_error` on code 22: the
# solution ran in a namespace no module held, so pickling `_sq` (by reference, `__solution__._sq`) failed in the
# parent ("import of module '__solution__' failed"), and a spawned or forkserver child could not import it either
_WORKER = "def _sq(v):\n    return v + 1\n\n"
PARALLEL = {
    "Pool": _WORKER + "def f(x):\n    from multiprocessing import Pool\n    with Pool(2) as p:\n"
    "        return p.map(_sq, [x, x])[0]\n",
    **{
        f"Pool ({method})": "import multiprocessing as mp\n\n" + _WORKER + "def f(x):\n"
        f"    with mp.get_context({method!r}).Pool(2) as p:\n        return p.map(_sq, [x])[0]\n"
        for method in ("fork", "spawn", "forkserver")
    },
    "a Pool at top level": "from multiprocessing import Pool\n\n" + _WORKER + "with Pool(2) as p:\n"
    "    TABLE = dict(zip(range(8), p.map(_sq, range(8))))\n\ndef f(x):\n    return TABLE[x]\n",
    "a Pool of a callable object": "from multiprocessing import Pool\n\nclass Sq:\n    def __call__(self, v):\n"
    "        return v + 1\n\ndef f(x):\n    with Pool(2) as p:\n        return p.map(Sq(), [x])[0]\n",
    "ProcessPoolExecutor": "from concurrent.futures import ProcessPoolExecutor\n\n" + _WORKER + "def f(x):\n"
    "    with ProcessPoolExecutor(2) as ex:\n        return list(ex.map(_sq, [x]))[0]\n",
    "ProcessPoolExecutor (spawn)": "import multiprocessing as mp\n"
    "from concurrent.futures import ProcessPoolExecutor\n\n"
    + _WORKER
    + "def f(x):\n    with ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:\n"
    "        return ex.submit(_sq, x).result()\n",
    **{
        f"Process ({method})": "import multiprocessing as mp\n\ndef _put(q, v):\n    q.put(v + 1)\n\ndef f(x):\n"
        f"    ctx = mp.get_context({method!r})\n    q = ctx.Queue()\n"
        "    p = ctx.Process(target=_put, args=(q, x))\n    p.start()\n    got = q.get()\n    p.join()\n"
        "    return got\n"
        for method in ("fork", "spawn", "forkserver")
    },
    "threading": "import threading\n\ndef f(x):\n    out = []\n"
    "    t = threading.Thread(target=lambda: out.append(x + 1))\n    t.start()\n    t.join()\n    return out[0]\n",
    "a thread pool": "from concurrent.futures import ThreadPoolExecutor\n"
    "from multiprocessing.pool import ThreadPool\n\n"
    + _WORKER
    + "def f(x):\n    with ThreadPoolExecutor(2) as ex, ThreadPool(2) as p:\n"
    "        return ex.submit(_sq, x).result() * 0 + p.map(_sq, [x])[0]\n",
}


@pytest.mark.parametrize("name", list(PARALLEL), ids=list(PARALLEL))
def test_a_solution_running_its_functions_in_other_processes_passes(name: str) -> None:
    body = PARALLEL[name]
    # a spawned worker is a Python of its own (~0.5 s each on a loaded 2-core machine): more than the 2 s of `check`
    assert _judge_code(body, ASSERTS, timeout_s=10) == (True, None)
    wrong = body.replace("v + 1", "v + 2").replace("x + 1", "x + 2")
    assert _judge_code(wrong, ASSERTS, timeout_s=10) == (False, "tests_failed")


# A pool of the default size (`Pool()`, `ProcessPoolExecutor()`) starts a worker per CPU the code is shown: on a host
# of more CPUs than the process limit allows (64 cores, `max_processes` 32) every such right solution failed
# `runtime_error`. A machine of 2+ CPUs plays that host at the smallest limit a one-worker pool fits (RLIMIT_NPROC
# counts threads: bwrap's init, the harness, the pool's 3 handler threads or the executor's manager, a spawn's
# resource tracker): a pool of one worker per CPU of the machine does not fit it.
DEFAULT_POOLS = {
    "Pool()": (
        6,
        _WORKER + "def f(x):\n    from multiprocessing import Pool\n    with Pool() as p:\n"
        "        return p.map(_sq, [x])[0]\n",
    ),
    "ProcessPoolExecutor()": (
        5,
        "from concurrent.futures import ProcessPoolExecutor\n\n" + _WORKER + "def f(x):\n"
        "    with ProcessPoolExecutor() as ex:\n        return list(ex.map(_sq, [x]))[0]\n",
    ),
    "Pool() (spawn)": (
        7,
        "import multiprocessing as mp\n\n" + _WORKER + "def f(x):\n"
        "    with mp.get_context('spawn').Pool() as p:\n        return p.map(_sq, [x])[0]\n",
    ),
}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs a machine of more CPUs than the sandbox shows")
@pytest.mark.parametrize("name", list(DEFAULT_POOLS), ids=list(DEFAULT_POOLS))
def test_a_pool_of_default_size_fits_the_process_limit(name: str) -> None:
    limit, body = DEFAULT_POOLS[name]
    cfg = VerifyConfig.model_validate({"code": {"timeout_s": 10, "max_processes": limit}})
    assert sandbox.cpu_count(cfg.code) == 1
    for solution, passed in ((body, True), (body.replace("v + 1", "v + 2"), False)):
        res = Registry(cfg).get("code").check(code(solution), TaskSpec("t", "code", None, {"tests": ASSERTS}), cfg)
        assert res.passed is passed, (name, res)


def test_the_code_is_shown_the_cpus_it_may_use() -> None:
    """`os.cpu_count()` in the sandbox, in a test script and in a stdin/stdout program: the machine's CPUs, at most a
    quarter of the process limit."""
    for limit, shown in ((4, 1), (32, min(os.cpu_count() or 1, 8))):
        cfg = VerifyConfig.model_validate({"code": {"timeout_s": 10, "max_processes": limit}})
        assert sandbox.cpu_count(cfg.code) == shown
        tests = f"import os\nassert os.cpu_count() == {shown}\nassert f(1) == 2"
        res = (
            Registry(cfg)
            .get("code")
            .check(code("def f(x):\n    return x + 1\n"), TaskSpec("t", "code", None, {"tests": tests}), cfg)
        )
        assert res.passed, (limit, res)
        program = "import os\nprint(os.cpu_count())\n"
        cases = [{"input": "", "output": f"{shown}\n"}]
        res = Registry(cfg).get("code").check(code(program), TaskSpec("t", "code", None, {"tests": cases}), cfg)
        assert res.passed, (limit, res)


def test_a_spawned_worker_sees_the_prelude_and_the_tests_own_import_of_the_solution() -> None:
    """A spawned child imports the solution again: with the prelude's names (LiveCodeBench's `List`), and a test
    script importing it (`from solution import f`, KodCode's) gets a function whose workers find it too."""
    body = (
        "import multiprocessing as mp\n\ndef _sq(v: List[int]) -> List[int]:\n    return [w + 1 for w in v]\n\n"
        "def f(x):\n    with mp.get_context('spawn').Pool(1) as p:\n        return p.map(_sq, [[x]])[0][0]\n"
    )
    prelude = "from typing import List\n"
    assert _judge_code(body, ASSERTS, prelude, timeout_s=10) == (True, None)
    assert _judge_code(body.replace("w + 1", "w + 2"), ASSERTS, prelude, timeout_s=10) == (False, "tests_failed")
    kodcode = "from solution import f\n\ndef test_f():\n    assert f(1) == 2\n\ntest_f()\n"
    body = body.replace("List[int]", "list")
    assert _judge_code(body, kodcode, timeout_s=10) == (True, None)
    assert _judge_code(body.replace("w + 1", "w + 2"), kodcode, timeout_s=10) == (False, "tests_failed")


def test_the_sandboxed_code_cannot_read_back_what_it_reports(cfg, monkeypatch) -> None:
    """The harness reports on the sandbox's stdout, its nonce with it: code that could open that channel again for
    reading (`/proc/self/fd/1`, `/dev/fd/1`; a forked or spawned child inheriting it) could take the report, nonce
    and all, and write one of its own. On code 22 the channel was a pipe, which its owner may open so: the sandbox's
    user where thinkmill does not run as root (here: no dropped uid). It is a socket now (ENXIO), whose end in the
    sandbox reads only what thinkmill sends (nothing)."""
    monkeypatch.setattr(sandbox, "_drop_privileges", lambda cfg: {})  # the sandbox runs as the pipes' owner
    probe = (
        "import os, sys\nfor path in ('/proc/self/fd/1', '/dev/fd/1', '/dev/stdout'):\n    try:\n"
        "        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK)); print('opened', path, file=sys.stderr)\n"
        "    except OSError:\n        pass\ntry:\n    os.fchmod(1, 0o600)\n"
        "    os.close(os.open('/proc/self/fd/1', os.O_RDONLY | os.O_NONBLOCK))\n"
        "    print('chmod, opened', file=sys.stderr)\nexcept OSError:\n    pass\nos.set_blocking(1, False)\n"
        "try:\n    print('read', os.read(1, 100), file=sys.stderr)\nexcept OSError:\n    pass\nprint('reported')\n"
    )
    res = sandbox.run([sandbox.interpreter(cfg.code), "-I", "-c", probe], b"", cfg.code, wall_s=30)
    assert (res.status, res.stdout, res.stderr) == ("exited", b"reported\n", b""), res


# A forked child of the solution that goes back into the harness (it returns, or finishes the solution's top level)
# runs the rest of the tests there and reports too. Code 22 judged the last report it read: a function answering one
# way in the parent and the other in a child (a coin flip per call, no answer computed) passed whenever the process
# holding the right guesses reported last (here made certain: the parent waits for the child)
FORKS = {
    "the parent reports last": "import os\n\ndef f(x):\n    pid = os.fork()\n    if pid == 0:\n        return 0\n"
    "    os.waitpid(pid, 0)\n    return x + 1\n",
    "at top level": "import os\n\npid = os.fork()\nif pid:\n    os.waitpid(pid, 0)\n\n"
    "def f(x):\n    return x + 1 if pid else 0\n",
    "a child exiting into the harness": "import os, sys\n\ndef f(x):\n    pid = os.fork()\n    if pid == 0:\n"
    "        sys.exit(0)\n    os.waitpid(pid, 0)\n    return x + 1\n",
}


@pytest.mark.parametrize("body", list(FORKS.values()), ids=list(FORKS))
def test_a_forked_child_reporting_too_fails(check, body: str) -> None:
    res = check("code", code(body), None, tests=ASSERTS)
    assert (res.passed, res.detail) == (False, "no_result"), res


# code 23: each of these wrong solutions passed every assert on code 22, through bytecode of its own: a function
# reading a slot of its frame past its locals, where the audit hook's frame, called right before at the same place,
# left `caller` (the solution's own frame; `f_back` leads up to the harness's globals and `report`). Such bytecode is
# made by `code.replace`, `types.CodeType`, `marshal.loads`, a `.pyc` it writes and imports, or importlib's own
# unmarshalling called with the bytes of its choice under a system file's name: each refused now
_REACH = (
    "def f(x):\n    os.close(os.open('/dev/null', os.O_RDONLY))  # the audit hook's frame: its `caller` in slot 3\n"
    "    fr = READ()\n    while fr is not None:\n        if 'report' in fr.f_globals and 'nonce' in fr.f_globals:\n"
    "            fr.f_globals['report'](status='ok', passed=2, total=2)\n        fr = fr.f_back\n    return 0\n"
)
_SLOT_3 = bytes([151, 0, 124, 3, 83, 0])  # RESUME 0, LOAD_FAST 3, RETURN_VALUE (CPython 3.11)
_PASS = bytes([151, 0, 100, 0, 83, 0])  # RESUME 0, LOAD_CONST 0, RETURN_VALUE: `pass`
HACKS_23 = {
    "code.replace": "import os\n\ndef _g():\n    pass\n\n"
    f"READ = type(_g)(_g.__code__.replace(co_code={_SLOT_3!r}), {{}})\n\n" + _REACH,
    "types.CodeType": "import os, types\n\ndef _g():\n    pass\n\nc = _g.__code__\n"
    "args = [getattr(c, 'co_' + n) for n in ('argcount', 'posonlyargcount', 'kwonlyargcount', 'nlocals',\n"
    "                                        'stacksize', 'flags')]\n"
    f"args += [{_SLOT_3!r}] + [getattr(c, 'co_' + n) for n in ('consts', 'names', 'varnames', 'filename', 'name',\n"
    "                                                  'qualname', 'firstlineno', 'linetable', 'exceptiontable',\n"
    "                                                  'freevars', 'cellvars')]\n"
    "READ = types.FunctionType(types.CodeType(*args), {})\n\n" + _REACH,
    "marshal.loads": "import marshal, os\n\ndef _g():\n    pass\n\n"
    f"READ = type(_g)(marshal.loads(marshal.dumps(_g.__code__).replace({_PASS!r}, {_SLOT_3!r})), {{}})\n\n" + _REACH,
    "a .pyc of its own": "import importlib.util, marshal, os\n\n"
    "data = marshal.dumps(compile('def READ():\\n    pass\\n', 'evil.py', 'exec'))\n"
    f"data = data.replace({_PASS!r}, {_SLOT_3!r}, 1)\n"
    "with open('evil_tm.pyc', 'wb') as out:\n    out.write(importlib.util.MAGIC_NUMBER + bytes(12) + data)\n"
    "from evil_tm import READ\n\n" + _REACH,
    "importlib's unmarshalling under a system file's name": "import importlib.util, marshal, os, sys\n\n"
    "def _g():\n    pass\n\nunmarshal = sys.modules['_frozen_importlib_external']._compile_bytecode\n"
    f"data = marshal.dumps(_g.__code__).replace({_PASS!r}, {_SLOT_3!r})\n"
    "READ = type(_g)(unmarshal(memoryview(data), 'os', importlib.util.cache_from_source(os.__file__)), {})\n\n"
    + _REACH,
}


@pytest.mark.parametrize("hack", list(HACKS_23), ids=list(HACKS_23))
def test_a_solution_running_bytecode_of_its_own_fails(check, hack: str) -> None:
    res = check("code", code(HACKS_23[hack]), None, tests=ASSERTS)
    assert (res.passed, res.detail) == (False, "runtime_error"), res


def test_right_solutions_importing_modules_still_pass(check) -> None:
    """What code 23 refuses leaves imports as they were: the standard library's compiled modules (their bytes are
    the system's files'), `asyncio` (its `types.coroutine` sets a generator's flags), and a module the solution
    writes into its folder, imported and reloaded (no `.pyc` is written for it)."""
    body = (
        "import importlib\nwith open('helper_tm.py', 'w') as out:\n    out.write('def inc(v):\\n    return v + 1\\n')\n"
        "import helper_tm\nimportlib.reload(helper_tm)\n\ndef f(x):\n"
        "    import asyncio, csv, difflib, statistics, xml.dom.minidom\n\n    async def g():\n"
        "        await asyncio.sleep(0)\n        return helper_tm.inc(x)\n\n"
        "    assert statistics.mean([1, 3]) == 2 and difflib.SequenceMatcher(None, 'a', 'a').ratio() == 1\n"
        "    return asyncio.run(g())\n"
    )
    res = check("code", code(body), None, tests=ASSERTS)
    assert (res.passed, res.detail, res.score) == (True, None, 1.0), res
