"""`code`: the solution's fenced Python block (`extract_code`), run against the task's tests in the bubblewrap sandbox.

verifier_args: `tests` = python statements (asserts, run after the solution) or a list of
`{"input": ..., "output": ...}` stdin/stdout cases (output compared after trimming trailing whitespace);
optional `timeout_s` (per assert run, or per case); optional `prelude`: python run before the solution, in its
namespace (LiveCodeBench's harness imports, which LeetCode-style answers rely on). Score = share of test statements /
cases passed.
"""

from __future__ import annotations

import ast
import json
import re
import secrets
from typing import Any

from pipeline.verify import sandbox
from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.harness import HARNESS
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec

_FENCE = re.compile(r"```[ \t]*(\w[\w+-]*)?[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


_PYTHON_TAGS = ("python", "py", "python3", "")
# an unparseable block that is code (a broken solution), not sample data ("2 3") or a call with its output
_LOOKS_LIKE_CODE = re.compile(r"(?m)^\s*(?:def|class|import|from|async\s+def)\b|\binput\s*\(|\bsys\.stdin\b|\bopen\(0")
_READS_INPUT = re.compile(r"\binput\s*\(|\bsys\.stdin\b|\bopen\(\s*0\b|\bfileinput\b")


def extract_code(answer: str, tests: Any = None) -> str | None:
    """The solution among the fenced blocks tagged python/py (or untagged); None if there is none.

    Without `tests`, the last such block. With them, the last block that is a solution: one that defines a function
    or class at top level, binds a name the assert tests use (`add = lambda ...`, `from operator import add`), or,
    for stdin/stdout cases, reads the input; a block that cannot be parsed counts when it looks like code. Blocks
    after it that are none of these (an example usage, the model's own asserts, a sample's input or output) are not
    the solution. If no block is one, the last block."""
    blocks = [m.group(2) for m in _FENCE.finditer(answer) if (m.group(1) or "").lower() in _PYTHON_TAGS]
    if not blocks:
        return None
    if tests is None or len(blocks) == 1:
        return blocks[-1]
    if isinstance(tests, str):
        names = _names_used(tests)
        if names is None:  # tests that cannot be read: no way to tell usage from solution
            return blocks[-1]
    else:
        names = set()
    for body in reversed(blocks):
        if _is_solution(body, names, reads=not isinstance(tests, str)):
            return body
    return blocks[-1]


def _names_used(tests: str) -> set[str] | None:
    """The names the assert tests read (`add` of `assert add(1, 2) == 3`), or None if they do not parse."""
    try:
        tree = ast.parse(tests)
    except (SyntaxError, ValueError):
        return None
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _is_solution(body: str, names: set[str], *, reads: bool) -> bool:
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return bool(_LOOKS_LIKE_CODE.search(body))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return True
    if reads:
        return bool(_READS_INPUT.search(body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) in names:
            return True
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return True
    return False


def _payload(solution: str, tests: Any, timeout_s: float, cfg: VerifyConfig, task: TaskSpec) -> dict[str, Any]:
    prelude = task.verifier_args.get("prelude")
    if prelude is not None and not isinstance(prelude, str):
        raise VerifierArgsError(f"task {task.task_id}: verifier_args.prelude must be python source (a string)")
    out = _tests_payload(solution, tests, timeout_s, cfg, task)
    if prelude:
        out["prelude"] = prelude
    return out


def _tests_payload(solution: str, tests: Any, timeout_s: float, cfg: VerifyConfig, task: TaskSpec) -> dict[str, Any]:
    if isinstance(tests, str):
        return {"solution": solution, "tests": tests}
    if isinstance(tests, list) and tests:
        cases = []
        for i, c in enumerate(tests):
            if not isinstance(c, dict) or not isinstance(c.get("input"), str) or not isinstance(c.get("output"), str):
                raise VerifierArgsError(
                    f"task {task.task_id}: verifier_args.tests[{i}] must be {{'input': str, 'output': str}}"
                )
            cases.append({"input": c["input"], "output": c["output"]})
        return {
            "solution": solution,
            "cases": cases,
            "case_timeout": timeout_s,
            "max_output": cfg.code.max_output_kb * 1024,
        }
    raise VerifierArgsError(
        f"task {task.task_id}: verifier_args.tests must be python asserts (string) or a "
        f"non-empty list of stdin/stdout cases"
    )


def wall_budget(task: TaskSpec, cfg: VerifyConfig) -> float:
    """Wall seconds one response may take in the sandbox (the runner's hard limit builds on it)."""
    timeout_s = float(task.verifier_args.get("timeout_s") or cfg.code.timeout_s)
    tests = task.verifier_args.get("tests")
    n = len(tests) if isinstance(tests, list) else 1
    return min(cfg.code.max_total_wall_s, timeout_s * max(1, n) + 1.0)


# 2: a stand-in `pytest` module in the sandbox when its Python has none (pytest-style tests)
# 3: verifier_args.prelude runs before the solution (LiveCodeBench's imports)
# 4: an object equal to everything fails `eq_override`, and `import __main__` no longer reaches the harness
# (`pipeline.verify.harness`): both passed every assert
# 5: the solution is the last block that is one (`extract_code`): an example usage, the model's own asserts or a
# sample's input or output after it was run instead, and right answers failed
@builtin("code", version="5", sandboxed=True)
def verify_code(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    tests = task.verifier_args.get("tests")
    timeout_s = float(task.verifier_args.get("timeout_s") or cfg.code.timeout_s)
    solution = extract_code(answer, tests)
    if solution is None or not solution.strip():
        return CheckResult.fail("no_code")
    payload = _payload(solution, tests, timeout_s, cfg, task)
    nonce = secrets.token_hex(16)
    payload["nonce"] = nonce
    sandbox.ensure_available(cfg.code)
    res = sandbox.run(
        [sandbox.interpreter(cfg.code), "-I", "-c", HARNESS],
        json.dumps(payload).encode(),
        cfg.code,
        wall_s=wall_budget(task, cfg),
    )
    if res.status in ("timeout", "output_limit"):
        return CheckResult.fail(res.status)
    report = _report(res.stdout, nonce)
    if report is None:
        if b"MemoryError" in res.stderr:
            return CheckResult.fail("memory_limit")
        if res.returncode in (128 + 24, -24, 128 + 9, -9):  # SIGXCPU / SIGKILL: the CPU limit
            return CheckResult.fail("timeout")
        return CheckResult.fail("no_result")  # exited without the harness report (e.g. os._exit in the solution)
    status = report.get("status")
    if status != "ok":
        return CheckResult.fail(str(status))
    passed, total = int(report.get("passed", 0)), int(report.get("total", 0))
    if total == 0:
        return CheckResult.fail("no_tests")
    score = passed / total
    return (
        CheckResult.ok() if passed == total else CheckResult.fail(str(report.get("failure") or "tests_failed"), score)
    )


def _report(stdout: bytes, nonce: str) -> dict[str, Any] | None:
    for line in reversed(stdout.decode(errors="replace").splitlines()):
        if line.startswith(nonce):
            try:
                out = json.loads(line[len(nonce) :])
            except ValueError:
                return None
            return out if isinstance(out, dict) else None
    return None
