"""`code`: the solution's fenced Python block (`extract_code`), run against the task's tests in the bubblewrap sandbox.

verifier_args: `tests` = python statements (asserts, run after the solution) or a list of
`{"input": ..., "output": ...}` stdin/stdout cases (output compared line by line, see the harness; real numbers
within the error the prompt allows, `stated_tolerance`);
optional `timeout_s` (per assert run, or per case); optional `prelude`: python run before the solution, in its
namespace (LiveCodeBench's harness imports, which LeetCode-style answers rely on). Score = share of test statements /
cases passed.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import hashlib
import html
import json
import re
import secrets
import textwrap
import threading
from collections import OrderedDict
from typing import Any

from pipeline.verify import sandbox
from pipeline.verify.config import VerifyConfig, settings_tag
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.harness import BOOT, COMPILE, HARNESS
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec

# a fenced block, as CommonMark reads one: a line opening it with three or more backticks (no backtick after them on
# that line: "```x``` is ..." is inline code) or tildes (`~~~python`), indented or not, closed by a line of its own of
# the same character, at least as long (a 4-backtick block may quote a ``` fence in its code); a fence mark inside a
# line, of prose or code, neither opens nor closes one. A block never closed runs to the end of the answer (`open`,
# or `bare`: a fence on the answer's last line): code 13 ran such a block as the solution, so an answer whose fence
# was never closed passed
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>(?P<ticks>`{3,})|~{3,})[ \t]*(?P<tag>\w[\w+-]*)?(?(ticks)[^\n`]*|[^\n]*)"
    r"(?:\n(?P<body>.*?)(?:^[ \t]*(?P=fence)(?(ticks)`*|~*)[ \t]*$|(?P<open>\Z))|(?P<bare>\Z))",
    re.DOTALL | re.MULTILINE,
)


_PYTHON_TAGS = ("python", "py", "python3", "")
# a block in another programming language: a solution no test runs (`_other_language`); not a shell command, a sample's
# text or JSON
_OTHER_LANGUAGES_WRITTEN = """
c cpp c++ cc cxx h hpp java javascript js jsx typescript ts go golang rust rs kotlin kt csharp cs swift ruby rb php
scala haskell hs pascal perl lua julia dart ocaml fsharp elixir clojure nim zig fortran
"""
_OTHER_LANGUAGES = frozenset(_OTHER_LANGUAGES_WRITTEN.split())
# an unparseable block that is code (a broken solution), not sample data ("2 3") or a call with its output
_LOOKS_LIKE_CODE = re.compile(r"(?m)^\s*(?:def|class|import|from|async\s+def)\b|\binput\s*\(|\bsys\.stdin\b|\bopen\(0")
# a shell command line, which quotes code it runs ("Run:", `echo 5 | python3 -c "print(int(input())*2)"`, a terminal's
# `$ python3 sol.py < in.txt`): no python line starts so (a command word then a word, a quote, an option or a
# redirection, not `cat for cat in ...`), and its `input(` is no broken program's (code 15 took such a block for the
# final answer and failed the right program before it `syntax_error`)
_SHELL_LINE = re.compile(
    r"(?m)^[ \t]*(?:\$[ \t]+.*|(?:echo|printf|cat|python[23]?|pypy3?|py)[ \t]+"
    r"(?!(?:if|else|and|or|not|in|is|for|as)\b)[\w\"'./<|-].*)$"
)
# `stdin` / `stdout` also as imported from sys (`from sys import stdin`; used, `stdin.readline()`, not named in a
# sample's caption; imported, also under another name: `from sys import stdout as out`, which code 13 did not see
# print), and fast I/O's `os.read(0, ...)`
_READS_INPUT = re.compile(
    r"\binput\s*\(|\bsys\.stdin\b|\bstdin\s*\.|\bimport\b[^\n]*\bstdin\b|\bopen\(\s*0\b|\bos\.read\(\s*0\b|\bfileinput\b"
)
_WRITES_OUTPUT = re.compile(
    r"\bprint\s*\(|\bsys\.stdout\b|\bstdout\s*\.|\bimport\b[^\n]*\bstdout\b|\bopen\(\s*1\b|\bos\.write\(\s*1\b"
)


# The error a task allows its real numbers, as statements say it (Codeforces / CodeContests "absolute or relative
# error does not exceed 10^{-6}", CodeContests' `10 - 6` (the superscript lost), APPS's `10^{ - 6}`, AtCoder's "is at
# most 10^{-6}", `1e-6`, `10⁻⁶`, `0.001`, Codeforces' HTML `10<sup>-6</sup>`): the words `absolute` / `relative`,
# `error` in the same sentence, then the first such number in it, in a sentence that states a limit on the answer
# (`_ALLOWS`).
_SENTENCE = r"(?:[^.\n;]|\.(?=\d))"
# A sentence that allows the answer an error, as checkers word it: a verdict ("will be considered correct / valid",
# "is accepted", "is allowed") or a bound ("does not exceed", "at most", "within", "less than", "up to", "≤"), said of
# the answer ("your", "answer", "output", "print"), by the judge ("the checker accepts", "the jury"), or of an error
# that is the sentence's subject ("The absolute error must not exceed 0.001.", "An absolute or relative error of
# 10^{-6} is allowed."). Not an error the story tells of: "The relative error of each sensor is 0.005." (code 10 read
# it, and a wrong number within 0.5% passed), "Each sensor has a relative error of at most 0.005.", nor a verdict or a
# requirement said of the story's things: "A reading is accepted if its relative error does not exceed 0.005.", "The
# relative error of each sensor must not exceed 0.005." (code 12 read both, the first as its verdict, the second as a
# requirement, "must", and a wrong number within 0.5% passed)
_VERDICT = r"\b(?:considered|judged|deemed|accept(?:s|ed|able)?|allowed|permitted|tolerated)\b"
_BOUND = (
    r"(?:\bexceed|\bat\s+most\b|\bwithin\b|\b(?:less|smaller|lower)\s+than\b|\bup\s+to\b"
    r"|\b(?:not|no)\s+(?:be\s+)?(?:more|greater|larger|bigger)\s+than\b|\u2264|<=|\\le(?:q|qslant)?\b)"
)
_OF_ANSWER = r"\b(?:your|answers?|outputs?|print\w*)\b"
_JUDGE = r"\b(?:checker|jury|judge(?:'s)?)\b"
# the error as the sentence's subject, not an error of something the story names ("The relative error of each
# sensor ..."): `of` may only bring its number ("An absolute error of 10^{-6} ...", "of at most 10^{-6}"), after
# a heading's word ("Precision: ...")
_ERROR_SUBJECT = (
    r"^\s*(?:\w+\s*:\s*)?(?:(?:an?|the|any)\s+)?(?:absolute|relative)(?:\s+(?:or|and|/)\s+(?:absolute|relative))?\s+errors?\b"
    r"(?!\s+of\s+(?![\d$\\]|at\s+most\b|up\s+to\b|(?:less|no\s+more|not\s+more)\s+than\b))"
)
# the answer said as "it" or "the result", after the sentence that asks for it ("Print the time. It will be
# considered correct if ..."): only with a verdict of correctness, which no story gives its readings
_RESULT_SUBJECT = (
    r"^\s*(?:it|the\s+results?)\b(?!\s+of\b).*"
    r"\b(?:considered|judged|deemed|accepted)\s+(?:as\s+)?(?:correct|valid|right)\b"
)
_ALLOWS = tuple(
    re.compile(p, re.IGNORECASE) for p in (_VERDICT, _BOUND, _OF_ANSWER, _JUDGE, _ERROR_SUBJECT, _RESULT_SUBJECT)
)
_TEN_TO = (
    r"(?<![\d.])10\s*(?:\^\s*[{(]?\s*[-\u2212\u2013]\s*(?P<p>\d+)\s*[})]?"
    r"|\u207b(?P<sup>[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)"
    # CodeContests' statements, whose superscript was lost with Codeforces' HTML: `10 - 6` for 10^{-6}
    r"|[-\u2212\u2013]\s*(?P<q>\d{1,2})(?!\d|\.\d|\s*%))"
)
# the number a statement allows: `10^{-6}`, `5 \cdot 10^{-7}`, `1e-6`, `0.001` (not `20%`)
_ERROR_NUMBER = (
    rf"(?:(?:(?<![\d.])(?P<m>\d+(?:\.\d+)?)\s*(?:\\cdot|\\times|\u00b7|\u00d7|\*)\s*)?{_TEN_TO}"
    r"|(?<![\d.])(?P<e>\d+(?:\.\d+)?)\s*[eE]\s*[-\u2212]\s*(?P<x>\d+)(?!\d)"
    r"|(?<![\d.])(?P<d>0\.\d+)(?!\d|\.\d|\s*%))"
)
# a difference between the answer ("your answer", "it", "the output") and the reference ("the correct answer", "the
# judge answer", "the jury's output", "the correct one"), or from the reference; not a difference of the story's things
# ("the absolute difference between consecutive readings", "of each reading from the true value", "between your guess
# and the true value"; code 18 read no difference, and right answers within it failed `wrong_output`)
_REFERENCE = (
    r"(?:the\s+|an?\s+)?(?:correct|jury'?s?|judge'?s?|true|expected|actual|right|exact|reference|official|optimal)\s+"
    r"(?:answer|output|result|value|one)s?\b"
)
_DIFFERENCE_OF_ANSWER = (
    r"\bdifferences?\s+(?:(?:between|of)\s+(?:it|yours|(?:(?:the|your|its)\s+)?(?:answer|output|result)s?)\s+"
    rf"(?:and|from|to|with)|from|to|with)\s+{_REFERENCE}"
)
_TOLERANCES = (
    # "absolute or relative error does not exceed 10^{-6}"
    re.compile(rf"\b(?:absolute|relative)\b{_SENTENCE}{{0,60}}?\berrors?\b{_SENTENCE}{{0,120}}?{_ERROR_NUMBER}", re.I),
    # the number before the words: "Answers within 10^{-6} absolute or relative error will be accepted."
    re.compile(
        rf"{_ERROR_NUMBER}\s*(?:of\s+)?(?:(?:absolute|relative)\s+(?:or|and|/)\s+)?(?:absolute|relative)\s+errors?\b",
        re.I,
    ),
    # the error said as the difference between the answer and the reference: "The absolute difference between your
    # answer and the judge answer is at most 10^{-6}.", "its absolute or relative difference from the correct answer
    # does not exceed 10^-6"
    re.compile(
        rf"\b(?:absolute|relative)\b{_SENTENCE}{{0,60}}?{_DIFFERENCE_OF_ANSWER}{_SENTENCE}{{0,120}}?{_ERROR_NUMBER}",
        re.I,
    ),
)
# LeetCode's (via LiveCodeBench) "Answers within 10^-5 of the actual answer will be accepted.": an absolute error,
# read only in a sentence with a verdict said of the answer (not "Each sensor reads within 0.001 of the true value,
# which is accepted practice.")
_WITHIN_OF_ANSWER = re.compile(
    rf"\bwithin\s+{_ERROR_NUMBER}\s+of\s+the\s+(?:actual|correct|true|expected|exact|real|jury'?s|judge'?s)\s+"
    r"(?:answer|value|result|output)s?\b",
    re.IGNORECASE,
)
_SUPERSCRIPTS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")
# a stated error above this is read as no statement: a misreading must not let wrong numbers pass
_MAX_TOLERANCE = 1e-2
# a superscript as a statement scraped with Codeforces' HTML keeps it, `10<sup>-6</sup>` (`10<sup class="upper-index">
# - 6</sup>`, its entities, `&minus;6`, `&nbsp;`): read as `10^{-6}` (code 18 read no statement there, and a right
# `3.141592653589793` failed `3.1415926536`)
_SUP_TAG = re.compile(r"<sup\b[^<>]*>([^<>]{1,20})</sup\s*>", re.IGNORECASE)
# a line break inside a sentence (a statement wrapped at a width: "its absolute or\nrelative error ..."): the line
# does not end a sentence or a heading's word alone, and the next goes on in lower case, a number or math
_SOFT_BREAK = re.compile(r"(?<=[^\s.:;!?])[ \t\r]*\n[ \t]*(?=[a-z0-9$\\(])")


def stated_tolerance(prompt: str) -> tuple[float | None, float | None] | None:
    """The error the prompt allows a real number printed (stdin/stdout cases) or returned (call-based tests),
    `(absolute, relative)` (None where it allows that kind none), or None: no statement found, or one allowing more
    than `_MAX_TOLERANCE`. Several statements: the smallest of each kind."""
    found: dict[str, float] = {}
    text = _SOFT_BREAK.sub(" ", html.unescape(_SUP_TAG.sub(r"^{\1}", prompt)))
    for sentence in re.findall(rf"{_SENTENCE}+", text):
        if not _allows_error(sentence):
            continue
        read = [
            (m, {k.lower() for k in re.findall(r"absolute|relative", m.group(0), re.I)})
            for p in _TOLERANCES
            for m in p.finditer(sentence)
        ]
        if _ALLOWS[0].search(sentence) and _ALLOWS[2].search(sentence):
            read += [(m, {"absolute"}) for m in _WITHIN_OF_ANSWER.finditer(sentence)]
        for m, kinds in read:
            tol = _error_number(m)
            if not 0 < tol <= _MAX_TOLERANCE:
                return None
            for kind in kinds:
                found[kind] = min(tol, found.get(kind, tol))
    if not found:
        return None
    return found.get("absolute"), found.get("relative")


def _error_number(m: re.Match[str]) -> float:
    """The number an `_ERROR_NUMBER` match states."""
    if m.group("d"):
        return float(m.group("d"))
    if m.group("e"):
        return float(f"{m.group('e')}e-{m.group('x')}")
    power = m.group("p") or m.group("q") or (m.group("sup") or "").translate(_SUPERSCRIPTS)
    return float(f"{m.group('m') or 1}e-{power}")


def _allows_error(sentence: str) -> bool:
    """Whether a sentence allows the answer an error (`_ALLOWS`): a verdict or a bound, said of the answer, by the
    judge, or of the error as its subject."""
    verdict, bound, of_answer, judge, error_subject, result_subject = _ALLOWS
    return bool(
        (verdict.search(sentence) or bound.search(sentence))
        and (of_answer.search(sentence) or judge.search(sentence) or error_subject.search(sentence))
    ) or bool(result_subject.search(sentence))


# A statement that the judge accepts the answer's words in any letter case (Codeforces / CodeContests: "You can output
# the answer in any case (upper or lower)", "print each letter in any case", "the checker is case-insensitive"); not
# "in any case, print ..." (whatever happens) nor "upper case" alone
_ANY_CASE = re.compile(
    r"\b(?:(?:output|print|write)\w*\b[^.\n]{0,60}?\bin\s+any\s+(?:letter\s+)?(?:case|register)\b"
    r"|case[-\s]insensitive(?:ly)?\b|(?:regardless\s+of|ignoring)\s+(?:the\s+)?(?:letter\s+)?case\b)",
    re.IGNORECASE,
)


def states_any_case(prompt: str) -> bool:
    """Whether the prompt says its answer words may be printed in any letter case (`_ANY_CASE`)."""
    return _ANY_CASE.search(prompt) is not None


def extract_code(answer: str, tests: Any = None) -> str | None:
    """The solution among the fenced blocks (``` or ~~~) tagged python/py (or untagged); None if there is none.

    Without `tests`, the last such block. With them, the last block that is a solution: one that defines a function
    or class at top level (not a pytest-style `test_*` function), binds a name the assert tests use (`add = lambda
    ...`, `from operator import add`), or, for stdin/stdout cases, reads the input; a block that cannot be parsed
    counts when it looks like code. Blocks after it that are none of these (an example usage, the model's own asserts
    or test functions, a sample's input or output) are not the solution, nor, for stdin/stdout cases, a block after a
    program that reads the input and only defines functions, nor a piece of an earlier solution quoted after it that
    is no whole solution of its own. If no block is one, the last block."""
    found = solution_blocks(answer, tests)
    return found[0][1] if found else None


def solution_blocks(answer: str, tests: Any = None) -> list[tuple[int, str]]:
    """Every solution the answer presents, as (its 1-based position among the python blocks, its body): the final
    one (`extract_code`) first, then the earlier blocks that are whole solutions of their own, in order: for assert
    tests, a block that binds a name the tests use at top level (a first version of the tested function); for
    stdin/stdout cases, a program that reads the input and prints, and a block (earlier or later) that only defines
    functions the final program defines, as that program with them replaced (`_another_version`). A helper, a snippet
    that only reads the input, a block that does not parse or repeats the final one is not. Code 5 ran the final
    block alone, so a wrong first version passed beside a right second one, and the dataset's row presented both."""
    blocks = [_body(answer, m) for m in _FENCE.finditer(answer) if (m.group("tag") or "").lower() in _PYTHON_TAGS]
    if not blocks:
        return []
    if tests is None or len(blocks) == 1:
        return [(len(blocks), blocks[-1])]
    names: set[str] | None = set()
    if isinstance(tests, str):
        names = _names_used(tests)
        if names is None:  # tests that cannot be read: no way to tell usage from solution
            return [(len(blocks), blocks[-1])]
    reads = not isinstance(tests, str)
    solutions = [i for i, b in enumerate(blocks) if _is_solution(b, names, reads=reads)]
    if reads:
        # a stdin/stdout answer is a program: a block that only defines functions and reads nothing does nothing on
        # stdin, and is no final answer after one that reads (code 14 ran "As a function:" alone: `wrong_output`)
        solutions = [i for i in solutions if _READS_INPUT.search(blocks[i]) or not _parses(blocks[i])] or solutions
        # a "read everything at once" tip after a longer program (`_read_at_once`) is no final answer either
        solutions = [
            i
            for i in solutions
            if not (size := _read_at_once(blocks[i]))
            or not any(
                j < i and _is_whole_solution(blocks[j], names, reads=True) and _statements(blocks[j]) > size
                for j in solutions
            )
        ] or solutions
    # a block quoting a piece of an earlier solution ("The key line:", "The helper:") and no solution of its own adds
    # no code: no final answer (code 14 ran it alone, and the right answer failed)
    final = next(
        (
            i
            for i in reversed(solutions)
            if _is_whole_solution(blocks[i], names, reads=reads)
            or not any(_is_piece_of(blocks[i], blocks[j]) for j in solutions if j < i)
        ),
        len(blocks) - 1,
    )
    out = [(final + 1, blocks[final])]
    for i in range(len(blocks)):
        if i == final or blocks[i] == blocks[final] or _is_piece_of(blocks[i], blocks[final]):
            continue
        version = (_another_version(blocks[i], blocks[final]) or _with_tip(blocks[i], blocks[final])) if reads else None
        if version is not None:
            out.append((i + 1, version))
        elif i < final and _is_whole_solution(blocks[i], names, reads=reads):
            out.append((i + 1, blocks[i]))
    return out


def _parses(body: str) -> bool:
    try:
        ast.parse(body)
    except (SyntaxError, ValueError):
        return False
    return True


def _another_version(body: str, final: str) -> str | None:
    """A block that only defines functions or classes (imports aside) the final program defines at top level, as
    that program with those definitions replaced by the block's (stdin/stdout cases), or None. Run alone, such a
    block reads and prints nothing; run so, a wrong version of the program's function fails the answer (code 14
    took one after the program for the final answer and failed the right program, and left one before it unrun)."""
    try:
        piece, whole = ast.parse(body), ast.parse(final)
    except (SyntaxError, ValueError):
        return None
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    names = {n.name for n in piece.body if isinstance(n, defs)}
    if not names or not all(isinstance(n, (*defs, ast.Import, ast.ImportFrom)) for n in piece.body):
        return None
    replaced = [n for n in whole.body if isinstance(n, defs) and n.name in names]
    if {n.name for n in replaced} != names:
        return None
    lines = final.splitlines(keepends=True)
    spans = [(min([n.lineno, *(d.lineno for d in n.decorator_list)]) - 1, n.end_lineno or n.lineno) for n in replaced]
    for k, (start, end) in reversed(list(enumerate(spans))):
        lines[start:end] = [body if body.endswith("\n") else body + "\n"] if k == 0 else []
    return "".join(lines)


def _code(tree: ast.Module) -> list[ast.stmt]:
    """A module's statements without its leading docstring."""
    body = tree.body
    first = body[0] if body else None
    docstring = (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    )
    return body[1:] if docstring else body


def _statements(body: str) -> int:
    """How many statements a block has, nested ones too, without its imports and docstring (0 if it does not parse)."""
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return 0
    top = _code(tree)
    return sum(
        not isinstance(n, ast.Import | ast.ImportFrom) for t in top for n in ast.walk(t) if isinstance(n, ast.stmt)
    )


# a read of the whole input (`sys.stdin.read()`, `sys.stdin.buffer.read()`, `sys.stdin.readlines()`, `open(0).read()`,
# `os.read(0, n)`), as taken apart (`.split()`, `.decode()`) and made numbers (`list(map(int, ...))`)
_WHOLE_INPUT = frozenset({"sys.stdin", "sys.stdin.buffer", "stdin", "stdin.buffer"})
_TAKEN_APART = frozenset({"split", "splitlines", "decode", "strip", "rstrip", "lstrip"})
_MADE_INTO = frozenset({"list", "tuple", "iter", "map"})


def _reads_whole_input(node: ast.expr) -> bool:
    while isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _TAKEN_APART:
            node = func.value
        elif isinstance(func, ast.Name) and func.id in _MADE_INTO and node.args and not node.keywords:
            node = node.args[-1]
        else:
            break
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    func, args = node.func, node.args
    if ast.unparse(func) == "os.read":
        return bool(args) and isinstance(args[0], ast.Constant) and args[0].value == 0
    if func.attr not in ("read", "readlines") or args or node.keywords:
        return False
    source = func.value
    if isinstance(source, ast.Attribute) and source.attr == "buffer":
        source = source.value
    opened = (
        isinstance(source, ast.Call)
        and ast.unparse(source.func) == "open"
        and bool(source.args)
        and isinstance(source.args[0], ast.Constant)
        and source.args[0].value == 0
    )
    return opened or ast.unparse(func.value) in _WHOLE_INPUT


def _read_at_once(body: str) -> int:
    """A block that only reads the whole input into names (stdin/stdout cases; "For large inputs read everything at
    once:", `data = sys.stdin.buffer.read().split()`, maybe with `input = lambda: next(tokens)`, imports, a docstring
    and comments aside): its statements' count, or 0 if it is none. It computes nothing, and after a longer program
    that reads and prints it is a tip, no final answer: code 16 ran it alone and failed the right program before it
    `wrong_output`. It runs nowhere: put into a program reading with `input()` it leaves nothing to read. A block
    computing anything from what it reads (a final program that forgets to print) is not one."""
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return 0
    code = [n for n in _code(tree) if not isinstance(n, ast.Import | ast.ImportFrom)]
    for node in code:
        if not isinstance(node, ast.Assign) or not all(isinstance(t, ast.Name) for t in node.targets):
            return 0
        # beside the read, a name rebound as a tip rebinds it (`input = lambda: next(tokens)`)
        if not _reads_whole_input(node.value) and not isinstance(node.value, ast.Name | ast.Attribute | ast.Lambda):
            return 0
    return len(code) if any(_reads_whole_input(n.value) for n in code if isinstance(n, ast.Assign)) else 0


def _tip(body: str) -> ast.Module | None:
    """A block that only rebinds names (stdin/stdout cases), or None: imports and assignments of a name, an attribute
    or a lambda, nothing called ("For speed use:", `input = sys.stdin.readline`). It reads and prints nothing run
    alone, and is no program: code 15 took it for the final answer, as it names `sys.stdin`, and failed the right
    program before it `wrong_output`. A block that calls anything (a final program that reads but forgets to print)
    is not one."""
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return None
    code = _code(tree)  # a docstring opening it ("Faster input.") aside
    assigns = [n for n in code if isinstance(n, ast.Assign | ast.AnnAssign)]
    if not assigns or not all(isinstance(n, ast.Assign | ast.AnnAssign | ast.Import | ast.ImportFrom) for n in code):
        return None
    for node in assigns:
        if not all(isinstance(t, ast.Name) for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            return None
        if not isinstance(node.value, ast.Name | ast.Attribute | ast.Lambda):
            return None
        called = [c for c in ast.walk(node.value) if isinstance(c, ast.Call)]
        if called and not isinstance(node.value, ast.Lambda):
            return None
    return tree


def _with_tip(body: str, final: str) -> str | None:
    """A tip (`_tip`) as the program it is meant for: the final program with the tip after its leading imports (and
    docstring), or None if the block is no tip. A tip that changes what the program prints (`input =
    sys.stdin.readline` keeps the line's newline) fails the answer, as it trains the fine-tune on it."""
    if not _READS_INPUT.search(body) or _tip(body) is None:  # another name bound (`a = b`) is no tip for the program
        return None
    try:
        whole = ast.parse(final)
    except (SyntaxError, ValueError):
        return None
    end = 0
    for node in whole.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and end == 0
        if not (isinstance(node, ast.Import | ast.ImportFrom) or docstring):
            break
        end = node.end_lineno or node.lineno
    lines = final.splitlines(keepends=True)
    lines[end:end] = [body if body.endswith("\n") else body + "\n"]
    return "".join(lines)


def _is_piece_of(body: str, final: str) -> bool:
    """Whether an earlier block is a piece of the final one, shown before it ("the function:", "the helper:", then
    "complete code:"): every statement of it but its imports is in the final block as written. Run alone, such a
    piece lacked what the final block adds (its helper: `runtime_error`; the call of a reading function: nothing
    printed), and code 13 failed the right answer `another_solution_failed`; it presents no code the final block
    does not run."""
    try:
        piece, whole = ast.parse(body), ast.parse(final)
    except (SyntaxError, ValueError):
        return False
    written = {ast.dump(node) for node in ast.walk(whole) if isinstance(node, ast.stmt)}
    stmts = [node for node in piece.body if not isinstance(node, ast.Import | ast.ImportFrom)]
    return bool(stmts) and all(ast.dump(node) in written for node in stmts)


def _body(answer: str, m: re.Match[str]) -> str:
    """A block's code: a fence indented in a list item ("2. Then:\n\n   ```python") indents its lines with the item,
    which is Markdown's indent, not the code's (run as written, every such answer failed `syntax_error`)."""
    body = m.group("body") or ""
    return textwrap.dedent(body) if m.group("indent") else body


def _names_used(tests: str) -> set[str] | None:
    """The names the assert tests read (`add` of `assert add(1, 2) == 3`), or None if they do not parse."""
    try:
        tree = ast.parse(tests)
    except (SyntaxError, ValueError):
        return None
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


# unittest's test case classes, as a test class derives from them (`unittest.TestCase`, `TestCase`)
_TEST_CASES = frozenset({"TestCase", "IsolatedAsyncioTestCase"})


def _is_test_function(node: ast.stmt, names: set[str]) -> bool:
    """A pytest-style test of the solution (`def test_add(): assert ...`), or a class of them (pytest's `class
    TestAdd:`, unittest's `class AddTests(unittest.TestCase):`), which the model shows after it; not a function or
    class the task's tests use (a task may ask for `test_prime` or `TestTube`). Code 17 took such a class for the
    final answer and ran it alone, and the right function before it failed (`runtime_error`, `exit_before_tests`)."""
    if isinstance(node, ast.ClassDef):
        bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
        return node.name not in names and (node.name.startswith("Test") or bool(bases & _TEST_CASES))
    return (
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
        and node.name not in names
    )


def _is_solution(body: str, names: set[str], *, reads: bool) -> bool:
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return bool(_LOOKS_LIKE_CODE.search(_SHELL_LINE.sub("", body)))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not _is_test_function(
            node, names
        ):
            return True
    if reads:
        return bool(_READS_INPUT.search(body)) and _tip(body) is None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) in names:
            return True
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return True
    return False


def _is_whole_solution(body: str, names: set[str], *, reads: bool) -> bool:
    """Whether an earlier block is a solution of its own (`solution_blocks`): it parses, and binds a name the assert
    tests use at top level, or (stdin/stdout cases) reads the input and prints."""
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return False
    if reads:
        return bool(_READS_INPUT.search(body)) and bool(_WRITES_OUTPUT.search(body))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in names:
            return True
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            return True
        if isinstance(node, ast.Import | ast.ImportFrom) and any(
            (a.asname or a.name.split(".")[0]) in names for a in node.names
        ):
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
        # the stated error, for the real numbers of ingest's call-based scripts (`pipeline.ingest.code_tests`)
        return {"solution": solution, "tests": tests, "float_tol": stated_tolerance(task.prompt)}
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
            "float_tol": stated_tolerance(task.prompt),
            "any_case": states_any_case(task.prompt),
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
# 6: every solution the answer presents is run (`solution_blocks`): a wrong first version passed beside a right
# second one; a pytest-style test function after the solution is no solution (it was run instead, and failed)
# 7: a program reading through `from sys import stdin` or `os.read(0, ...)` reads the input (`_READS_INPUT`): after a
# right draft it was no solution and the draft ran instead, so a wrong final program passed; a block indented in a list
# item is its code without the item's indent (`_body`: right answers failed `syntax_error`); and a case's stdin is a
# file (`pipeline.verify.harness`): fast input reading `os.fstat(0).st_size` bytes of a pipe read nothing, and right
# programs failed; the harness works in a folder of its own (unsandboxed runs shared /tmp/solution.py and judged each
# other's code)
# 8: stdin/stdout output keeps its leading whitespace (`pipeline.verify.harness`: the whole output was stripped, so a
# pattern whose first line lost its indent passed); a real number printed is compared by value (`0.5` failed
# `0.500000`), within the error the prompt states it allows (`stated_tolerance`: a right `0.3333333` failed
# `0.333333333333` under "absolute or relative error does not exceed 10^{-6}"); a `~~~` fence is a code block
# (`_FENCE`: such answers failed `no_code`)
# 9: a word printed in another letter case passes where the prompt says the judge accepts any (`states_any_case`:
# a right `print("Yes")` failed "YES" under "You can output the answer in any case")
# 10: where an expected line sets its words apart by single spaces, any run of spaces or tabs between two printed words
# is one gap, as a token checker reads it (`pipeline.verify.harness`: a right `print(a, '', b)` printing `1  2`, or
# `1\t2`, failed "1 2" `wrong_output`); CodeContests' "error does not exceed 10 - 6" (its superscript lost) states
# 10^{-6} (`stated_tolerance`: it was no statement, and a right `0.642857142857` failed `0.642857143`)
# 11: an error the prompt's story tells of is no limit on the answer (`stated_tolerance` reads a sentence that allows
# the answer an error: "The relative error of each sensor is 0.005." let a wrong number within 0.5% pass); where the
# prompt states an error, an expected integer's value printed as a real number passes (`pipeline.verify.harness`: a
# right `2.000000` failed `2`); a bool in call-based tests meets only a bool (`pipeline.ingest.code_tests`, tasks
# ingested or read again from now: a function returning 1 passed for True), and there an object equal to everything
# meets no expected value (it passed every call-based case: the comparison is in a helper, out of `eq_override`'s sight)
# 12: an error stated with its number before the words ("Answers within 10^{-6} absolute or relative error will be
# accepted."), across a line break inside its sentence ("its absolute or\nrelative error ..."), or as LeetCode's
# "Answers within 10^-5 of the actual answer will be accepted." (absolute) is read (`stated_tolerance`: code 11 read
# none of them, and right answers within the error failed `wrong_output`); in call-based tests an expected real number
# is met by one within the stated error (`pipeline.ingest.code_tests`, tasks ingested or read again from now: a right
# `2.5000000001` failed `2.50000` under LeetCode's "Answers within 10^-5 of the actual answer will be accepted.")
# 13: an error a sentence states counts only where it is said of the answer, by the judge or of the error itself
# (`stated_tolerance`: "A reading is accepted if its relative error does not exceed 0.005." let a wrong number within
# 0.5% pass); in call-based tests a returned float's rounding passes (`pipeline.ingest.code_tests`, tasks ingested or
# read again from now: a right `0.1 * 3` failed `0.3`), and so does a stdlib Fraction equal to the expected number (it
# failed as an object whose `==` the solution wrote), and a tested function can no longer rebind the script's
# comparison, error or expected values during its call (`pipeline.verify.harness` binds the `_tm_*` names again before
# each test: a function assigning `globals()['_tm_eq'] = lambda got, want: True` passed every case)
# 14: a fenced block never closed fails `unclosed_block` (`_FENCE`: code 13 ran it to the end of the answer, and the
# row taught an unclosed fence); a fence opens and closes only on a line of its own, closed by the same character at
# least as long (a 4-backtick block quoting a ``` fence failed `syntax_error`, `````cpp` was an untagged block, and
# "one ```python block:" in the prose opened a block); an earlier block whose every statement but its imports is in
# the final block as written is a piece of it, not another solution (`_is_piece_of`: run alone, the tested function
# without its helper, or a reading function never called, failed the right answer `another_solution_failed`); a
# program printing through `stdout` imported from sys under another name prints (`_WRITES_OUTPUT`: a wrong such
# program before the final one was never run, and passed beside it); a block in another programming language fails
# `another_language` (`_other_language`: a wrong C++ version beside the right python one passed, untested)
# 15: for stdin/stdout cases the final answer is the last block that reads the input (`solution_blocks`): a block after
# it that only defines functions ("As a function:") was taken for it, ran alone, and failed the right program
# `wrong_output`; a block that only defines functions the final program defines runs as that program with them
# replaced (`_another_version`: before the program it was never run, and a wrong version passed beside it)
# and a block after the solution quoting a piece of it ("The key line:", "The helper:") is no final answer (it ran
# alone, and the right answer failed)
# 16: a shell command quoting the code it runs (`echo 5 | python3 -c "print(int(input())*2)"`) is no broken final
# program (`_SHELL_LINE`: its `input(` made it look like code, and the right program before it failed `syntax_error`)
# and, for stdin/stdout cases, a block that only rebinds names ("For speed use:", `input = sys.stdin.readline`) is no
# final answer but runs as a tip in the program (`_tip`, `_with_tip`: it was run alone, and the right program before
# it failed `wrong_output`)
# 17: for stdin/stdout cases a block after a longer program that only reads the whole input into names ("For large
# inputs read everything at once:", `data = sys.stdin.buffer.read().split()`) is no final answer and runs nowhere
# (`_read_at_once`: it was run alone, and the right program before it failed `wrong_output`), and a tip may open with a
# docstring (`_code`: such a tip rebinding `input` was run alone too)
# 19: an error stated with Codeforces' HTML superscript, `10<sup>-6</sup>`, is read (`stated_tolerance`, `_SUP_TAG`:
# code 18 read no statement there, and a right `print(math.pi * r * r)` failed `3.1415926536` `wrong_output`)
# and so is one said as the difference between the answer and the reference ("The absolute difference between your
# answer and the judge answer is at most 10^{-6}.", `_DIFFERENCE_OF_ANSWER`: code 18 read none, and right answers
# failed)
# 19 also: in assert mode what the solution patches in the standard library does not judge it
# (`pipeline.verify.harness`:
# `builtins.exec` made a no-op, `json.dumps` forging the harness's report, `ast.parse` or `compile` swapping the tests,
# `builtins.all` or `json.loads` bending ingest's call-based scripts, a `pytest.py` written into its folder: every such
# wrong solution passed); the tests' imports are imported before the solution and their attributes put back before each
# test, the tests run with builtins as they were, and the harness keeps its own references
# and an `__eq__` the solution made through eval, exec or compile, with another `co_filename`, as a callable object or
# `unittest.mock.ANY` is its own (`eq_override`: each was taken for no `__eq__` of its own and passed every assert)
# and a stdin/stdout case cannot read the harness's memory (it is not dumpable: a program printing the expected output
# read out of `/proc/<ppid>/mem` passed every case)
# and an import of a module the sandbox's Python lacks fails `missing_module`, its details naming it (`{"module":
# "numpy"}`; code 18 failed it `runtime_error`, naming nothing: rejection sampling dropped right numpy answers unseen)
# and in assert mode the tests run in a namespace of their own where a builtin's name the solution bound is the
# builtin (`def all(it): return True` passed every assert and ingest's call-based scripts), and `in` over a list, an
# ordering, a one-sided binary operator or `abs()` giving a plain value through a method the solution wrote is refused
# as `==` is (`eq_override`: an `__sub__` returning 0 passed `abs(f(1) - 2) < 1e-9`, an object equal to everything
# `f(1) in [2, 3]`)
# 21: in assert mode an audit hook keeps frames, `gc`'s objects, trace functions and the tests' and harness's code
# out of the solution's reach, the checks the tests call have globals of their own and ingest's `_tm_*` helpers are not
# the solution's (`sys._getframe(1).f_code.co_consts`, a traceback's `tb_frame.f_back`, `gc.get_objects()` finding
# `report`, a lambda's `__globals__` and `globals()['_tm_check']`'s closure each passed every assert on code 20)
# 22: nor a signal handler's frame (handlers get None), frames kept in `gc.garbage` (`DEBUG_SAVEALL` refused), ctypes
# (not importable, its calls refused), a subinterpreter, a `gc` or `_signal` made again through `_imp`, or the
# process's memory (`/proc/<pid>/mem` refused by the hook, and the sandbox's interpreter is bound unreadable, so the
# harness is not dumpable: a child cannot read it either); each passed every assert on code 21
# 23: in assert mode the solution runs as a module in sys.modules, `__solution__`, importable by a spawned or
# forkserver child (`pipeline.verify.harness`): a right solution handing a function of its own to worker processes
# (`multiprocessing.Pool`, `ProcessPoolExecutor`, a spawned `Process`) failed `runtime_error`, as pickling it by
# reference found no module; bytecode of the solution's own is refused (`code.__new__`, `marshal.loads`: a function
# reading past its frame's locals found the audit hook's frame and forged a pass); more than one report (a forked child
# going back into the harness) is `no_result` (`_report`: the last was judged); and the report channel is a socket
# (`pipeline.verify.sandbox.run`: its owner could open a pipe again for reading, take the report and forge one)
@builtin("code", version="24", sandboxed=True)
def verify_code(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    tests = task.verifier_args.get("tests")
    if _unclosed(answer):
        # the request asks for one ```python code block: a row whose fence never closes teaches one never closed
        return CheckResult.fail("unclosed_block")
    language = _other_language(answer, task.prompt)
    if language is not None:
        # the sandbox runs python alone: the row would train on a solution no test ran
        return CheckResult.fail("another_language", details={"language": language})
    found = solution_blocks(answer, tests)
    if not found or not found[0][1].strip():
        return CheckResult.fail("no_code")
    final = _run_solution(found[0][1], tests, task, cfg)
    if not final.passed:
        return final
    for block, body in found[1:]:
        got = _run_solution(body, tests, task, cfg)
        if not got.passed and got.detail not in _LIMITS:
            # the answer also presents a solution that is wrong: its row would train on it
            details = {"block": block, "blocks": _python_blocks(answer), "failure": got.detail, **(got.details or {})}
            return CheckResult.fail("another_solution_failed", got.score, details)
    return final


# where bubblewrap is found, the uid it maps and whether it is used (`--unsafe-no-sandbox`, for a run inside a sandbox
# of one's own: the same limits apply) decide no verdict; every limit and the interpreter do
_NOT_DECIDING = frozenset({"bwrap", "sandbox_uid", "allow_unsandboxed"})


def config_version(cfg: VerifyConfig) -> str:
    """The sandbox settings' part of a code verdict's version: another timeout, memory or output limit judges the
    stored code verdicts again ("" with the defaults)."""
    return settings_tag(cfg.code, _NOT_DECIDING)


verify_code.config_version = config_version  # type: ignore[attr-defined]  (see Registry)


# another solution that only hits a limit is right but slow (the brute force an editorial answer shows first): it
# does not fail the answer; a wrong result does
_LIMITS = frozenset({"timeout", "memory_limit", "output_limit"})


def _unclosed(answer: str) -> bool:
    """Whether a fenced block of the answer, of any language, is never closed (`_FENCE`: it runs to the end)."""
    return any(m.group("open") is not None or m.group("bare") is not None for m in _FENCE.finditer(answer))


def _other_language(answer: str, prompt: str) -> str | None:
    """The language of a block of the answer in another programming language (`_OTHER_LANGUAGES`: `cpp`, `java`),
    unless the block quotes the prompt (code it gives to translate or fix); None if there is none. Code 13 passed
    an answer whose C++ version, beside the right python one, printed a wrong result."""
    quoted = " ".join(prompt.split())
    for m in _FENCE.finditer(answer):
        tag = (m.group("tag") or "").lower()
        code = " ".join((m.group("body") or "").split())
        if tag in _OTHER_LANGUAGES and code and code not in quoted:
            return tag
    return None


def _python_blocks(answer: str) -> int:
    return sum((m.group("tag") or "").lower() in _PYTHON_TAGS for m in _FENCE.finditer(answer))


# Results of solutions already run, by everything that decides one (`_run_key`): a task's k samples, and its think and
# no-think answers, often end in the same code (the sample data: 35 distinct solutions in 75 code answers), which then
# runs once per process. A result at a limit (a timeout on a loaded machine) or with no report is never reused: that
# code runs again. Code that draws random numbers gets one draw for all its copies.
_RESULTS: OrderedDict[str, CheckResult] = OrderedDict()
_RESULTS_MAX = 4096
_RESULTS_LOCK = threading.Lock()  # a registry's checks may run in threads
_NOT_REUSED = _LIMITS | {"no_result"}


def _run_key(payload: dict[str, Any], python: str, wall_s: float, cfg: VerifyConfig) -> str:
    what = [payload, wall_s, python, cfg.code.model_dump(mode="json")]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def _run_solution(solution: str, tests: Any, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    """One solution's verdict: run in the sandbox against the task's tests (once per process for the same code and
    tests, `_RESULTS`)."""
    timeout_s = float(task.verifier_args.get("timeout_s") or cfg.code.timeout_s)
    payload = _payload(solution, tests, timeout_s, cfg, task)
    sandbox.ensure_available(cfg.code)
    python, wall_s = sandbox.interpreter(cfg.code), wall_budget(task, cfg)
    key = _run_key(payload, python, wall_s, cfg)
    with _RESULTS_LOCK:
        known = _RESULTS.get(key)
        if known is not None:
            _RESULTS.move_to_end(key)
            return dataclasses.replace(known, details=copy.deepcopy(known.details))
    result = _run_once(payload, python, wall_s, cfg)
    if result.detail not in _NOT_REUSED:
        with _RESULTS_LOCK:
            _RESULTS[key] = dataclasses.replace(result, details=copy.deepcopy(result.details))
            while len(_RESULTS) > _RESULTS_MAX:
                _RESULTS.popitem(last=False)
    return result


def _run_once(payload: dict[str, Any], python: str, wall_s: float, cfg: VerifyConfig) -> CheckResult:
    nonce = secrets.token_hex(16)
    payload = {**payload, "nonce": nonce}
    compiled = _compiled_harness(python, cfg)
    # the CPUs the code is shown (`sandbox.cpu_count`): Python 3.13+ reads them off `-X cpu_count` (older ones ignore
    # it and read the sandbox's `/sys/devices/system/cpu/online`); the harness hands it on to a case's program
    flags = ["-I", "-X", f"cpu_count={sandbox.cpu_count(cfg.code)}"]
    argv, stdin = [python, *flags, "-c", HARNESS], json.dumps(payload).encode()
    if compiled:
        argv, stdin = [python, *flags, "-c", BOOT, str(len(compiled))], compiled + stdin
    res = sandbox.run(argv, stdin, cfg.code, wall_s=wall_s)
    if res.status in ("timeout", "output_limit"):
        return CheckResult.fail(res.status)
    report = _report(res.stdout, nonce)
    if report is None:
        if b"MemoryError" in res.stderr:
            return CheckResult.fail("memory_limit")
        if res.returncode in (128 + 24, -24, 128 + 9, -9):  # SIGXCPU / SIGKILL: the CPU limit
            return CheckResult.fail("timeout")
        # exited without the harness report (os._exit in the solution), or a forked child reported too
        return CheckResult.fail("no_result")
    status = report.get("status")
    # a module the sandbox's Python lacks (`missing_module`, or the tests' own import: `tests_setup_error`), named
    missing = {"module": str(report["module"])} if report.get("module") else None
    if status != "ok":
        return CheckResult.fail(str(status), details=missing)
    passed, total = int(report.get("passed", 0)), int(report.get("total", 0))
    if total == 0:
        return CheckResult.fail("no_tests")
    score = passed / total
    if passed == total:
        return CheckResult.ok()
    return CheckResult.fail(str(report.get("failure") or "tests_failed"), score, missing)


_COMPILED: dict[str, bytes] = {}


def _compiled_harness(python: str, cfg: VerifyConfig) -> bytes:
    """The harness marshalled by `python` in the sandbox, once per process and interpreter (`harness.BOOT` runs it);
    b"" where that failed, and the harness is then sent as source."""
    if python not in _COMPILED:
        limits = cfg.code.model_copy(update={"max_output_kb": 4096})  # ~70 KB of bytecode; the cap is for solutions
        res = sandbox.run([python, "-I", "-c", COMPILE], HARNESS.encode(), limits, wall_s=30.0)
        ok = res.status == "exited" and res.returncode == 0 and res.stdout
        _COMPILED[python] = res.stdout if ok else b""
    return _COMPILED[python]


def _report(stdout: bytes, nonce: str) -> dict[str, Any] | None:
    """The harness's report: the one line that starts with the nonce; None where there is none, or more than one (a
    forked child of the solution that went back into the harness ran the tests too and reported: code 22 took the
    last, so a function answering one way in the parent and another in a child passed whenever the right guesses
    reported last)."""
    reports = [line for line in stdout.decode(errors="replace").splitlines() if line.startswith(nonce)]
    if len(reports) != 1:
        return None
    try:
        out = json.loads(reports[0][len(nonce) :])
    except ValueError:
        return None
    return out if isinstance(out, dict) else None
