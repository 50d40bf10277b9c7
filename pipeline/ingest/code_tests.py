"""A code task's tests, as the `code` verifier runs them, from the layouts code datasets ship in.

- an assert script, or a list of asserts (MBPP's `test_list`): one script;
- HumanEval's `test` (a `check(candidate)` function) with its `entry_point`: the script, then `check(<entry_point>)`
  (without the call nothing is ever asserted);
- `[{"input", "output"}]` stdin/stdout cases, or APPS/TACO's `input_output` `{"inputs", "outputs"}`; an input or
  output given as a list of lines is those lines joined with newlines (as APPS' harness joins them), a line that
  ends in its own newline getting no other;
- APPS/TACO call-based `input_output` (with `fn_name`): each input is the argument list of one call, each output the
  return value, compared as APPS does (tuples as lists; an output given as a one-element list also matches its
  element; a returned dict's number, bool or None keys as JSON writes them, `{1: 2}` as `{"1": 2}`, unless two keys
  would merge; a call's one dict argument gets its integer keys back as ints, as their harness gives it, and a dict
  beside other arguments too where every key is an int's canonical text, as JSON writes it), except
  that a bool meets only a bool (APPS's == has True == 1), and that where the prompt states the error it allows an
  expected real number is met by one within it (the verifier reads the statement: `stated_tolerance`). The
  function may be a method of a `Solution` class (LeetCode style). It becomes an assert script; with
  starter code it also gets the imports TACO's and APPS's harness runs first (`LEETCODE_PRELUDE`).
- typed case lists: LiveCodeBench / DeepCoder (`testtype: "functional" | "stdin"`; a functional input is one JSON
  value per line, one per argument, its output one JSON value, compared as LiveCodeBench does: a tuple as a list,
  nothing looser, and a bool only as a bool, as LeetCode's judge prints it; an expected real number within the
  error the prompt states, as LeetCode's judge accepts "Answers within 10^-5 of the actual answer") and
  PrimeIntellect / open-r1 `verification_info` (`{"language", "test_cases": [{"type":
  "function_call" | "stdin_stdout", "fn_name", "input", "output"}]}`; function calls compared as APPS). Functional
  cases become an assert script; LiveCodeBench's cases also get its harness's imports run before the solution
  (`LEETCODE_PRELUDE`: `List` and `Counter` without an import are what LeetCode-style answers use).

Tests no response could pass, or that test nothing, raise `TestsProblem` (ingest quarantines the row): a script
that is not valid Python or holds no test statement (only imports, definitions and assignments, counted by the
harness's own rule), input and output lists of different lengths, an entry point that is not a Python name,
stdin/stdout cases that all expect no output (a program printing nothing passes them), a called function that the
starter code defines only as a method of a class other than `Solution` (the harness calls neither).
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import re
from typing import Any, NamedTuple

from pipeline.verify.harness import SETUP_STATEMENTS

_SETUP = tuple(getattr(ast, name) for name in SETUP_STATEMENTS)
_BUILTINS = frozenset(dir(builtins))

# Helpers of a call-based script: a definition and assignments, so the harness counts only the asserts. `_tm_suite`
# holds the cases and compares in functions of its own, so the tested function, which runs in the script's namespace,
# cannot rebind them, loosen the error or rewrite an expected value during its call (code 12 looked them up in that
# namespace after the call, and a function rebinding `_tm_eq` passed with any result); `_tm_check` is loaded before
# each call, and the harness binds the `_tm_*` names again before each assert. `eq` is == except that a bool meets
# only a bool (True == 1 in Python, and APPS's and LiveCodeBench's harnesses compare with ==: a function returning 1
# passed for True, and `len(xs) > 0` for a count of 1), and that a value whose `==` is a class's written in Python (a
# heap type's, flag 512: the solution's `__eq__` returning True) meets no expected value: the harness refuses such an
# object in an assert's `==` (`eq_override`), but these compare inside a helper, where it passed every case. An
# expected real number (a float) is met by a number within the error the prompt states (`tol`, `(absolute,
# relative)`, read at setup from `__thinkmill_tol__`, which the harness sets before each statement from the verifier's
# `stated_tolerance`: "Answers within 10^-5 of the actual answer will be accepted."), as LeetCode's judge accepts it;
# an expected integer, a bool and any real number without a statement are compared as above. A number whose type the
# solution wrote (its `-` could be anything) is compared by == alone. A returned float's rounding passes without a
# statement (`rounded`: `0.1 * 3` is 0.30000000000000004, and a right answer failed 0.3): within a relative 1e-9
# (math.isclose's default, at least 1e-12) of an expected real number, within 1e-12 of an expected integer it rounds
# to. A stdlib `Fraction` (its `==` is Python's, refused as the solution's own above) meets the number it equals
# exactly, by its numerator and denominator, which must be ints: its `==` the solution could replace.
_CALL_HELPERS = """def _tm_suite(cases, compare, int_keys, tol):
    import json
    from fractions import Fraction

    cases = json.loads(cases)
    inputs, expected = [c[0] for c in cases], [c[1] for c in cases]

    def key(k):
        if isinstance(k, bool) or k is None or isinstance(k, (int, float)):
            return json.dumps(k)
        return k

    def plain(v):
        if isinstance(v, (tuple, list)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            keyed = {key(k): plain(x) for k, x in v.items()}
            return keyed if len(keyed) == len(v) else {k: plain(x) for k, x in v.items()}
        return v

    def with_int_keys(args):
        if len(args) == 1 and isinstance(args[0], dict):
            try:
                keyed = {int(k): x for k, x in args[0].items()}
            except (TypeError, ValueError):
                return args
            return [keyed] if len(keyed) == len(args[0]) else args
        return [canonical_int_keys(a) if isinstance(a, dict) else a for a in args]

    def canonical_int_keys(d):
        try:
            keyed = {int(k): x for k, x in d.items()}
        except (TypeError, ValueError):
            return d
        return keyed if len(keyed) == len(d) and all(str(k) == t for k, t in zip(keyed, d)) else d

    def eq(got, want):
        if isinstance(got, bool) or isinstance(want, bool):
            return type(got) is type(want) and got == want
        if isinstance(want, list):
            return isinstance(got, list) and len(got) == len(want) and all(map(eq, got, want))
        if isinstance(want, dict):
            return isinstance(got, dict) and got.keys() == want.keys() and all(eq(got[k], want[k]) for k in want)
        if type(got) is Fraction:
            n, d = got.numerator, got.denominator
            if type(n) is not int or type(d) is not int or d <= 0 or type(want) not in (int, float):
                return False
            if type(want) is int:
                return n == want * d
            if want != want or want in (float("inf"), float("-inf")):
                return False
            p, q = want.as_integer_ratio()
            try:
                return n * q == p * d or close(n / d, want)
            except OverflowError:
                return False
        eq_of = next(k for k in type(got).__mro__ if "__eq__" in k.__dict__)
        return not eq_of.__flags__ & 512 and (got == want or close(got, want) or rounded(got, want))

    def close(got, want):
        if not tol or type(want) is not float or not isinstance(got, (int, float)) or type(got).__flags__ & 512:
            return False
        try:
            d = abs(float(got) - want)
        except OverflowError:
            return False
        return any(t is not None and d <= t * (abs(want) if i else 1) for i, t in enumerate(tol))

    def rounded(got, want):
        if not isinstance(got, float) or type(got).__flags__ & 512 or type(want) not in (int, float):
            return False
        try:
            d = abs(got - want)
            if type(want) is int:
                return d <= 1e-12 * max(1, abs(want)) and round(got) == want
        except (OverflowError, ValueError):
            return False
        return d <= max(1e-9 * abs(want), 1e-12)

    def same(got, want):
        got = plain(got)
        return eq(got, want) or (isinstance(want, list) and len(want) == 1 and eq(got, want[0]))

    def exact(got, want):
        return eq(list(got) if isinstance(got, tuple) else got, want)

    test = same if compare == "same" else exact

    def check(i, got):
        return test(got, expected[i])

    def args(i):
        return with_int_keys(inputs[i]) if int_keys else inputs[i]

    return check, args
"""

# What LiveCodeBench's harness runs before every solution (its `import_string`): LeetCode-style answers use `List`,
# `Counter`, `heappush`, ... without importing them, and pass there. Run before the solution in its namespace.
_LEETCODE_MODULES = (
    "string",
    "re",
    "datetime",
    "collections",
    "heapq",
    "bisect",
    "copy",
    "math",
    "random",
    "statistics",
    "itertools",
    "functools",
    "operator",
    "io",
    "sys",
    "json",
)
LEETCODE_PRELUDE = (
    "".join(f"from {m} import *\n" for m in (*_LEETCODE_MODULES, "builtins", "typing"))
    + "".join(f"import {m}\n" for m in _LEETCODE_MODULES)
    + "sys.setrecursionlimit(50000)\n"
)


# Decorators of a pytest test function that thinkmill does not call: it needs fixtures or parameters, or is skipped
# or expected to fail
_NOT_CALLED = re.compile(r"\b(parametrize|fixture|usefixtures|skip|skipif|xfail)\b")


class TestsProblem(ValueError):
    """Tests no response could pass; `reason` is the quarantine reason, the message its detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class Script:
    """What ingest needs of an assert script, from one parse: how many test statements it has (the harness's rule)
    and the names its test statements call that it neither defines nor imports (nor are builtins), in order of
    first call, each with the first test statement calling it. TestsProblem if the script is not Python."""

    __slots__ = ("calls", "first", "from_solution", "source", "test_functions", "tests", "uses")

    def __init__(self, source: str) -> None:
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise TestsProblem(
                "invalid_value:tests", f"the tests are not valid Python (line {exc.lineno}: {exc.msg})"
            ) from None
        self.source = source
        self.tests = 0
        defined: set[str] = set()
        called: dict[str, ast.stmt] = {}
        for stmt in tree.body:
            is_test = not isinstance(stmt, _SETUP)
            self.tests += is_test
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    if is_test and isinstance(node.func, ast.Name):
                        called.setdefault(node.func.id, stmt)
                elif isinstance(node, ast.Name):
                    if isinstance(node.ctx, ast.Store):
                        defined.add(node.id)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    defined.add(node.name)
                elif isinstance(node, ast.Import | ast.ImportFrom):
                    defined.update((a.asname or a.name).split(".")[0] for a in node.names)
        self.first = {n: stmt for n, stmt in called.items() if n not in defined and n not in _BUILTINS}
        self.calls = list(self.first)
        # pytest style (KodCode): top-level `test_*` functions, (name, callable without arguments), and the names
        # imported from the module `solution` (the harness writes the response there), with the first test
        # function using each
        self.test_functions: list[tuple[str, bool]] = []
        self.from_solution: list[str] = []
        self.uses: dict[str, ast.stmt] = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "solution" and stmt.level == 0:
                self.from_solution += [a.asname or a.name for a in stmt.names if a.name != "*"]
            elif isinstance(stmt, ast.FunctionDef) and stmt.name.startswith("test"):
                a = stmt.args
                needs_args = len(a.posonlyargs + a.args) > len(a.defaults) or any(d is None for d in a.kw_defaults)
                marks = " ".join(ast.unparse(d) for d in stmt.decorator_list)
                bare = not needs_args and not _NOT_CALLED.search(marks)
                self.test_functions.append((stmt.name, bare))
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Name):
                        self.uses.setdefault(node.id, stmt)

    def first_test_calling(self, name: str) -> str:
        return ast.get_source_segment(self.source, self.first[name]) or ""

    def first_test_using(self, name: str) -> str | None:
        """The source of the first pytest-style test function that uses `name`, or None."""
        stmt = self.uses.get(name)
        return ast.get_source_segment(self.source, stmt) if stmt is not None else None


# --- The bulk path's shortcut for `Script(...).tests` / `.calls` (the ingest bench's code rows spent ~40 us a row in
# `ast.parse` and its walk). A list of one-line tests is read token by token; lines whose tokens have the same shape
# (names, numbers and strings in the same places, the same keywords and operators) parse to the same tree, so one
# line of each shape is parsed (`_shape_of`) and the others read their names off it. Only a conservative subset of
# Python is tokenised (ASCII; no comment, backslash, string prefix, triple quote, assignment, and no two tokens whose
# meeting Python would read as one: `1e5`, `1.real`, `f'x'`); anything else, and any shape that does not parse alone
# or binds a name (assignments, comprehensions, imports, definitions), is left to `Script`.
# tests/ingest/test_ingest_code_tests.py compares the two on generated lines.
_TOKEN = re.compile(
    r"[ \t]*(?:(?P<n>[A-Za-z_][A-Za-z0-9_]*)|(?P<d>(?:0|[1-9][0-9]*)(?:\.[0-9]+)?)|(?P<s>'[^'\\\n]*'|\"[^\"\\\n]*\")"
    r"|(?P<o>\.\.\.|\*\*|//|<<|>>|<=|>=|==|!=|->|:=|[-+*/%<>()\[\]{},:.~]))"
)
_KEYWORDS = frozenset(keyword.kwlist)
_SHAPES: dict[tuple[str, ...], tuple[bool, tuple[int, ...]] | None] = {}  # shape -> (is a test, called names) | None
_SHAPES_MAX = 50_000


def _tokens(line: str) -> tuple[tuple[str, ...], list[str], list[int]] | None:
    """(shape, names, the names' offsets) of a line in the subset, or None."""
    if not line.isascii() or line[:1] in " \t":
        return None
    shape: list[str] = []
    names: list[str] = []
    starts: list[int] = []
    pos, end, prev = 0, len(line.rstrip(" \t")), ""
    while pos < end:
        m = _TOKEN.match(line, pos)
        if m is None:
            return None
        kind = m.lastgroup or ""
        at = m.start(kind)
        if (
            at == pos
            and prev
            and (
                (kind == "s" and prev in "nds")  # f'x', 1'x', 'a''b': one token to Python
                or (prev == "d" and kind in "nd")  # 1e5, 0x1, 1_000, 1j, 007
                or (prev == "d" and m.group(kind) in (".", "..."))  # 1.real, 1..
                or (prev == "." and kind == "d")  # x.5 (.5 is a number to Python)
            )
        ):
            return None
        text = m.group(kind)
        if kind == "n" and text not in _KEYWORDS:
            shape.append("N")
            names.append(text)
            starts.append(at)
        else:
            shape.append(text if kind in "no" else kind.upper())
        prev = "." if text in (".", "...") else kind
        pos = m.end()
    return tuple(shape), names, starts


def _shape_of(line: str, starts: list[int]) -> tuple[bool, tuple[int, ...]] | None:
    """Parse one line of a shape: (whether it is a test statement, the indexes among its names of the functions its
    test calls, in `Script`'s order), or None when it does not parse alone or binds a name."""
    try:
        tree = ast.parse(line)
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1:
        return None
    stmt = tree.body[0]
    is_test = not isinstance(stmt, _SETUP)
    index = {at: i for i, at in enumerate(starts)}
    called: list[int] = []
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            return None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
            return None
        if is_test and isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            at = index.get(node.func.col_offset)
            if at is None:
                return None
            called.append(at)
    return is_test, tuple(called)


def script_summary(lines: list[str]) -> tuple[int, list[str]] | None:
    """`(Script(s).tests, Script(s).calls)` of `s = "\\n".join(lines)`, for one-line tests in the tokenised subset;
    None when the lines are outside it (the caller parses them with `Script`)."""
    tests = 0
    calls: dict[str, None] = {}
    for line in lines:
        if not line.strip(" \t"):
            continue
        got = _tokens(line)
        if got is None:
            return None
        shape, names, starts = got
        known = _SHAPES.get(shape, False)
        if known is False:
            if len(_SHAPES) >= _SHAPES_MAX:
                _SHAPES.clear()
            known = _SHAPES[shape] = _shape_of(line, starts)
        if known is None:
            return None
        is_test, called = known
        tests += is_test
        for i in called:
            if names[i] not in _BUILTINS:
                calls.setdefault(names[i])
    return tests, list(calls)


def _lines(v: Any) -> str:
    """A case's input or output as text; a list of lines joined with newlines, a line that ends in its own newline
    (`["2\\n", "3\\n"]`, as `readlines()` gives them) not getting another (every other line was blank)."""
    if isinstance(v, list):
        parts = [_lines(x) for x in v]
        joined = "\n".join(p[:-1] if p.endswith("\n") else p for p in parts)
        return joined + "\n" if parts and parts[-1].endswith("\n") else joined
    return v if isinstance(v, str) else json.dumps(v) if isinstance(v, dict) else str(v)


def _call_script(fn: str, inputs: list[Any], outputs: list[Any], compare: str = "same", int_keys: bool = False) -> str:
    """An assert script calling `fn` (a function, or a method of `Solution`) with each input's arguments; `compare`:
    `same` (APPS: tuples as lists, a one-element list output also matches its element) or `exact` (LiveCodeBench: a
    returned tuple as a list, then ==). `int_keys` (APPS / TACO `input_output`): a call whose one argument is a dict
    gets its keys as ints, as their harness gives them (JSON wrote `{1: 5}` as `{"1": 5}`), unless a key is no integer
    or two would merge (`"1"`, `"01"`); a dict beside other arguments, which their harness never converts ("assuming
    a singleton list": it passes a first dict alone), gets them where every key is an int as JSON writes it (`"-3"`,
    not `"03"`, `"+3"` or `" 3"`): a right answer reading `d[1]` failed every case."""
    cases = [[x if isinstance(x, list) else [x], y] for x, y in zip(inputs, outputs, strict=True)]
    head = (
        f"{_CALL_HELPERS}\n_tm_check, _tm_args = _tm_suite({json.dumps(cases, ensure_ascii=False)!r}, {compare!r}, "
        f"{int_keys!r}, globals().get('__thinkmill_tol__'))\n"
        f"_tm_fn = getattr(Solution(), {fn!r}) if 'Solution' in globals() and hasattr(Solution, {fn!r}) else {fn}\n"
    )
    asserts = "".join(f"assert _tm_check({i}, _tm_fn(*_tm_args({i}))), 'case {i + 1}'\n" for i in range(len(cases)))
    return head + asserts


def setup_code(value: Any) -> str | None:
    """The code an assert script needs run first (MBPP's `test_imports` list, the full MBPP's `test_setup_code`), as
    one block, or None when there is none. TestsProblem if it is neither text nor a list of texts."""
    if value is None or (isinstance(value, str | list) and not value):
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n".join(value)
    if not isinstance(value, str):
        raise TestsProblem(
            "wrong_type:tests", f"test_imports / test_setup_code must be text or a list of texts, got {value!r}"[:200]
        )
    return value.strip() or None


def _case_lists(tests: dict[str, Any]) -> tuple[list[Any], list[Any]] | None:
    """(inputs, outputs) of APPS/TACO's `input_output` `{inputs, outputs}` or CodeContests' `{input, output}`."""
    for i, o in (("inputs", "outputs"), ("input", "output")):
        if isinstance(tests.get(i), list) and isinstance(tests.get(o), list):
            return tests[i], tests[o]
    return None


class CodeTests(NamedTuple):
    """What `code_tests` makes of a row's tests: the tests as the verifier takes them, the function name they call
    (or None), the parsed assert script (or None), and the code the harness runs before the solution (or None)."""

    tests: Any
    fn: str | None
    script: Script | None
    prelude: str | None = None


def _fn_name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.isidentifier():
        raise TestsProblem("invalid_value:tests", f"{what} must be a Python name, got {value!r}"[:200])
    return value


def _starter_tree(starter_code: Any) -> ast.Module | None:
    """A starter code's syntax tree; None when there is no starter code or it is not Python."""
    if not isinstance(starter_code, str) or not starter_code.strip():
        return None
    src = starter_code.rstrip()
    last = src.rsplit("\n", 1)[-1]
    indent = last[: len(last) - len(last.lstrip())]
    # LeetCode's starter code ends in an empty body (`def f(self, x):` and blanks): give it one to parse
    try:
        return ast.parse(f"{src}\n{indent}    pass\n")
    except SyntaxError:
        try:
            return ast.parse(src)
        except SyntaxError:
            return None


def _no_call_for(fn: str, starter_code: Any) -> None:
    """TestsProblem when the starter code asks for `fn` only as a method of a class other than `Solution` (a Codewars
    kata's `class Calculator: def evaluate(self, string)`): APPS's and TACO's harness, as the script, calls
    `Solution().fn` or a top-level `fn`, so every right answer failed `tests_setup_error`."""
    tree = _starter_tree(starter_code)
    if tree is None or any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == fn for n in tree.body):
        return
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Solution":
            return
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) and m.name == fn for m in node.body
        ):
            raise TestsProblem(
                "invalid_value:tests",
                f"the tests call {fn!r}, which the starter code defines only as a method of class {node.name!r}: "
                "the harness calls a top-level function or a method of `Solution`, so no answer written to the "
                "starter code could pass",
            )


def starter_function(starter_code: Any) -> str | None:
    """The function a starter code asks for: the one public method of its `Solution` class (LeetCode), else its one
    top-level function; None when there is no starter code, it is not Python, or it names several."""
    tree = _starter_tree(starter_code)
    if tree is None:
        return None
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    sol = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Solution"]
    if sol:
        defs = [n for n in sol[0].body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    return defs[0].name if len(defs) == 1 else None


def _json_value(text: Any, where: str) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        raise TestsProblem("invalid_value:tests", f"{where} is not JSON: {text[:60]!r}") from None


def is_case_list(value: Any) -> bool:
    """Whether a value is a non-empty list of cases, each an object with `input` and `output` (stdin/stdout cases,
    LiveCodeBench's and DeepCoder's typed cases, PrimeIntellect's `test_cases`)."""
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(c, dict) and "input" in c and "output" in c for c in value)
    )


def _typed_cases(cases: list[dict[str, Any]], fn_hint: Any, starter_code: Any) -> CodeTests | None:
    """LiveCodeBench / DeepCoder (`testtype`) and PrimeIntellect (`type`) case lists; None when the cases carry
    no type (plain stdin/stdout cases)."""
    lcb = any("testtype" in c for c in cases)
    kinds = {c.get("testtype") if lcb else c.get("type") for c in cases}
    functional, stdin = {"functional", "function_call"}, {"stdin", "stdin_stdout"}
    if not kinds <= functional | stdin:
        if lcb:
            bad = sorted(str(k) for k in kinds - functional - stdin)
            raise TestsProblem("invalid_value:tests", f"unknown testtype {', '.join(bad)} (functional or stdin)")
        return None  # `type` is some other field of plain cases
    prelude = LEETCODE_PRELUDE if lcb else None
    if kinds <= stdin:
        stdin_cases = [{"input": _lines(c["input"]), "output": _lines(c["output"])} for c in cases]
        return CodeTests(stdin_cases, None, None, prelude)
    if not kinds <= functional:
        raise TestsProblem("invalid_value:tests", "the tests mix function-call and stdin cases")
    names = set()
    for c in cases:
        meta = c.get("metadata")
        name = c.get("fn_name") or (meta.get("func_name") if isinstance(meta, dict) else None)
        if name is not None:
            names.add(_fn_name(name, "a test case's function name"))
    if len(names) > 1:
        raise TestsProblem("invalid_value:tests", f"the tests call different functions: {', '.join(sorted(names))}")
    fn = names.pop() if names else None
    if fn is None and fn_hint is not None:
        fn = _fn_name(fn_hint, "func_name")
    fn = fn or starter_function(starter_code)
    if fn is None:
        raise TestsProblem(
            "invalid_value:tests",
            "function-call tests without the function's name: give a func_name column (LiveCodeBench keeps it in "
            "`metadata`) or starter code with one function",
        )
    inputs, outputs = [], []
    for i, c in enumerate(cases):
        x = c["input"]
        if lcb and isinstance(x, str):  # one JSON value per line, one per argument
            x = [_json_value(line, f"test {i + 1}'s input line") for line in x.strip("\n").split("\n") if x.strip()]
        elif not isinstance(x, list):
            raise TestsProblem(
                "invalid_value:tests", f"test {i + 1}'s input must be the list of arguments, got {x!r}"[:200]
            )
        inputs.append(x)
        outputs.append(_json_value(c["output"], f"test {i + 1}'s output") if lcb else c["output"])
    _no_call_for(fn, starter_code)
    # PrimeIntellect's cases are run through TACO's harness (DeepCoder's rllm): dict arguments get their int keys back
    script = _call_script(fn, inputs, outputs, "exact" if lcb else "same", int_keys=not lcb)
    return CodeTests(script, fn, None, prelude)


def code_tests(
    tests: Any, entry_point: Any = None, setup: str | None = None, fn_hint: Any = None, starter_code: Any = None
) -> CodeTests:
    """The tests as the verifier takes them (`CodeTests`). `setup` (see `setup_code`) goes in front of an assert
    script: its imports are what the tests call (MBPP's `math.isclose`), which a right answer need not import
    itself. `fn_hint` (a row's `func_name`) and `starter_code` name the function of typed function-call cases that
    do not. A shape that is none of the layouts is returned unchanged (the caller refuses it); tests no response
    could pass, or that test nothing, raise TestsProblem."""
    got = _code_tests(tests, entry_point, setup, fn_hint, starter_code)
    cases = got.tests
    if is_case_list(cases) and all(isinstance(c["output"], str) and not c["output"].strip() for c in cases):
        # the verifier compares outputs without surrounding whitespace: a program that prints nothing passes all
        raise TestsProblem(
            "invalid_value:tests",
            f"every case expects no output ({len(cases)} stdin/stdout cases): a program that prints nothing "
            "would pass them all",
        )
    return got


def _code_tests(tests: Any, entry_point: Any, setup: str | None, fn_hint: Any, starter_code: Any) -> CodeTests:
    fn: str | None = None
    script: Script | None = None
    if entry_point is not None and (not isinstance(entry_point, str) or not entry_point.isidentifier()):
        raise TestsProblem("invalid_value:entry_point", f"entry_point must be a Python name, got {entry_point!r}")
    if isinstance(tests, dict) and isinstance(tests.get("test_cases"), list):  # PrimeIntellect's verification_info
        language = tests.get("language")
        if language is not None and str(language).lower() not in ("python", "python3", "py"):
            raise TestsProblem("invalid_value:tests", f"the tests are for {language}; the sandbox runs Python")
        tests = tests["test_cases"]
    if is_case_list(tests) and (typed := _typed_cases(tests, fn_hint, starter_code)) is not None:
        return typed
    if isinstance(tests, list) and tests and all(isinstance(t, str) for t in tests):
        tests = "\n".join(tests)
    elif isinstance(tests, dict) and (cases := _case_lists(tests)) is not None:
        inputs, outputs = cases
        if len(inputs) != len(outputs):
            raise TestsProblem("invalid_value:tests", f"the tests have {len(inputs)} inputs and {len(outputs)} outputs")
        name = tests.get("fn_name")
        if (name is None or name == "") and fn_hint is not None and fn_hint != "":
            # the function's name in a column of its own (`fn_name`, `func_name`) or the source's defaults: it was
            # ignored, and the argument lists became stdin lines no right `Solution` answer could read
            name = _fn_name(fn_hint, "fn_name")
            if any(not isinstance(x, list) for x in inputs):
                raise TestsProblem(
                    "invalid_value:tests",
                    f"the row names function {name!r} (fn_name) but its cases' inputs are stdin text, not argument "
                    "lists: give the arguments as lists, or drop fn_name for stdin/stdout cases",
                )
        if name is not None and name != "":
            if not isinstance(name, str) or not name.isidentifier():
                raise TestsProblem("invalid_value:tests", f"input_output.fn_name must be a Python name, got {name!r}")
            if not inputs:
                return CodeTests([], None, None)  # refused by the caller as empty
            # TACO's and APPS's harness runs a call-based solution after its imports (`from typing import List`,
            # `collections`, `heapq`, ...), as LeetCode does: a right answer copying the starter code's `List[int]`
            # without an import is right there
            prelude = LEETCODE_PRELUDE if isinstance(starter_code, str) and starter_code.strip() else None
            _no_call_for(name, starter_code)
            return CodeTests(_call_script(name, inputs, outputs, int_keys=True), name, None, prelude)
        cases = [{"input": _lines(i), "output": _lines(o)} for i, o in zip(inputs, outputs, strict=True)]
        return CodeTests(cases, None, None)
    if setup and isinstance(tests, str) and tests.strip():
        tests = f"{setup}\n{tests}"
    if isinstance(tests, str) and tests.strip():
        script = Script(tests)
        if script.tests == 0:
            if entry_point is not None and re.search(r"^def check\(", tests, re.MULTILINE):
                tests = f"{tests.rstrip()}\n\n\ncheck({entry_point})\n"
                fn = entry_point
            elif script.test_functions:
                # pytest style: call each test function that needs no fixture or parameter, one test each
                bare = [name for name, ok in script.test_functions if ok]
                if not bare:
                    raise TestsProblem(
                        "invalid_value:tests",
                        "every pytest test function needs a fixture or parameters (or is decorated), which the "
                        f"harness does not provide: {', '.join(n for n, _ in script.test_functions[:5])}",
                    )
                tests = tests.rstrip() + "\n\n\n" + "".join(f"{name}()\n" for name in bare)
                script = Script(tests)
            else:
                raise TestsProblem(
                    "invalid_value:tests",
                    "the tests hold no test statement (only imports, definitions and assignments): every response "
                    "would fail `no_tests`; call the check function (HumanEval: give its `entry_point` column)",
                )
        elif entry_point is not None:
            fn = entry_point
    return CodeTests(tests, fn, script)


def prompt_prelude(prompt: Any, entry_point: Any) -> str | None:
    """The prompt as code to run before the solution, when it is Python that defines the function the tests call
    (HumanEval's prompt: its imports, helper functions and the entry point's signature and docstring), as HumanEval's
    harness runs prompt + completion + test: the tests may call the prompt's helpers (`poly` beside `find_zero`) and a
    right answer may leave out the prompt's imports (`List` in its signature). None for any other prompt."""
    if not isinstance(prompt, str) or not isinstance(entry_point, str) or "def " not in prompt:
        return None
    try:
        tree = ast.parse(prompt)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    defined = any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == entry_point for node in tree.body
    )
    return prompt if defined else None


def names_in(prompt: str, name: str) -> bool:
    """Whether the prompt holds the name as a whole word, not as an attribute (`x.name`)."""
    at = prompt.find(name)
    while at >= 0:
        end = at + len(name)
        before = prompt[at - 1] if at else " "
        after = prompt[end] if end < len(prompt) else " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            return True
        at = prompt.find(name, at + 1)
    return False


def code_prompt(prompt: str, script: Script | None, fn: str | None, starter_code: Any = None) -> str:
    """The prompt of a code task, so the model knows what the tests call: APPS/TACO's starter code is added as a
    python block (unless the prompt holds it); an assert script calling a function the prompt never names (MBPP)
    gets its first test statement, as MBPP's own prompt shows its tests. A call-based task whose prompt still does
    not name its function raises TestsProblem: no response could know what to define."""
    if isinstance(starter_code, str) and starter_code.strip() and starter_code.strip() not in prompt:
        prompt = f"{prompt.rstrip()}\n\n```python\n{starter_code.rstrip()}\n```"
    if fn is not None:
        if not names_in(prompt, fn):
            raise TestsProblem(
                "invalid_value:tests",
                f"the tests call {fn!r}, which the prompt never names: no response could know what to define "
                "(give the starter code in a `starter_code` column)",
            )
        return prompt
    if script is not None and script.calls and not any(names_in(prompt, n) for n in script.calls):
        test = script.first_test_calling(script.calls[0])
        prompt = f"{prompt.rstrip()}\n\nYour code should pass this test:\n```python\n{test}\n```"
    elif script is not None and script.from_solution and not any(names_in(prompt, n) for n in script.from_solution):
        test = script.first_test_using(script.from_solution[0])  # pytest style: what the tests import
        if test:
            prompt = f"{prompt.rstrip()}\n\nYour code should pass this test:\n```python\n{test}\n```"
    return prompt
