"""The one adapter to the reasoning-gym library: dataset names, generation recipes and scoring.

Both the ingest source (`pipeline.ingest.reasoning_gym_source`) and the `reasoning_gym` verifier go through here,
so a task is scored by exactly the dataset object (name, config, seed, size) that generated it.

A task keeps its *recipe* (`dataset`, `seed`, `size`, `index`, `config`) in `verifier_args`. The verifier
regenerates the entry from the recipe instead of trusting a JSON copy: some entries do not survive JSON (arc_agi's
and rearc's metadata hold tuples, and their scorers then give the gold answer 0.05), and a regenerated question
whose hash differs from the stored one (another library version) fails as `entry_mismatch` rather than being
scored against the wrong puzzle.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import keyword
import math
import os
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import xxhash

LIBRARY = "reasoning-gym"

# The datasets whose entry's `answer` is not simply "the" gold, or whose scorer needs help (see docs/verifiers.md).
SPECIAL: dict[str, str] = {
    "advanced_geometry": "the library's orthocenter scorer reads the first two comma-separated fields and skips the "
    "rest ('(4.051, -5.487), or (1.000, 2.000)' passed); thinkmill fails an orthocenter answer that is not one point. "
    "Its radius scorer passes only the gold's text ('1.1860' failed for 1.186) and its angle scorer rounds to 2 "
    "decimals though the prompt asks for 3 ('16.913' passed for 16.909...); thinkmill compares the value at 3 decimals",
    "arc_agi": "the library scorer failed a right grid in a ``` fence or under an 'Output:' line (its examples' "
    "label); thinkmill sets aside a fence around the grid and a leading 'Output:' or 'Output grid:' line, never a row "
    "or a cell",
    "binary_matrix": "the library scorer eval()s an answer that is not an exact match: thinkmill hands it only a "
    "Python literal (code fails as `unsafe_answer`, other text as `mismatch`), and sets aside a ``` fence around the "
    "grid and each line's trailing spaces (the right grid with them failed as unsafe). The prompt asks for 'a matrix', "
    "and the right one as a list of rows ([[3, 2], [2, 1]]) scored 0.1; thinkmill reads it as the gold",
    "boxnet": "many plans solve a puzzle; the scorer simulates the JSON plan, score = share of boxes delivered "
    "(0.05 for any valid JSON); no reference plan is generated",
    "chain_sum": "the library scorer strips every comma, so '12,3' and '1,2,3' passed for 123; thinkmill fails a "
    "number with a comma (or '_') not between groups of three digits, and reads '$123$' as 123",
    "coin_flip": "the library scorer passes any prefix of the probability ('0' for 0.234375) and '0' for a "
    "probability under 1e-4; thinkmill passes a value within 1e-4 and within 1% of the probability",
    "codeio": "the library scorer compares parsed JSON with == (1 passed for true) and else by the values' text ('35' "
    "passed for 35, 'None' for null), and a list not written as the gold's text failed; thinkmill passes only the "
    "gold's JSON value, each value of its JSON type (a number by its value)",
    "composite": "mixes other datasets; needs `config: {composite: {datasets: [{name, weight, config}]}}`; each "
    "entry is scored by its sub-dataset's scorer",
    "countdown": "the library scorer compares the value with np.isclose (71*21 - 86/85 = 1489.988 passed for 1490); "
    "thinkmill requires the puzzle's numbers and the exact target, as for puzzle24",
    "cryptarithm": "the library scorer reads the mapping into a dict, so a letter given twice kept its last digit "
    "('E=1,' before the solution passed); thinkmill fails an answer mapping a letter to two digits",
    "decimal_arithmetic": "the library scorer passes any value within 0.001 of the gold though the prompt asks for "
    "12 significant digits; thinkmill requires those digits, within one unit in the last, of the gold or the exact "
    "value",
    "figlet_font": "the library scorer gives 0.1 per letter in place up to 1.0, so a word of 10 letters or more "
    "passed with 10 of them in place ('OBJECTIVATZZ'); thinkmill requires the word, case and spaces aside",
    "fraction_simplification": "the library scorer matches a LaTeX fraction at the start of the answer and skips the "
    "rest ('$\\frac{131}{319}$ or $\\frac{1}{2}$' passed); thinkmill fails an answer that is not one fraction",
    "futoshiki": "the library scorer matches the grid with each line's trailing spaces set aside, then cuts the "
    "score by the answer's length over the gold's (a space after a line failed the right grid); thinkmill "
    "removes them first, and a ``` fence around the grid",
    "game_of_life": "the library scorer ignores the answer's cells beyond the gold grid (the gold with a row "
    "appended scored 1.0); thinkmill requires the grid of the gold's shape, each cell 0 or 1 (JSON true/false, "
    "True == 1, passed too); a ``` fence around the grid is set aside",
    "game_of_life_halting": "the library scorer passes any non-empty answer (bool('False') is True); thinkmill "
    "compares the answer's truth value (True/False, yes/no) with the gold instead",
    "graph_color": "many colourings are right; the scorer checks the colouring is proper; the task's answer is "
    "the generator's `possible_answer`, one of them",
    "gsm_symbolic": "the library scorer reads the first number and drops its minus sign ('-20' passed for 20); "
    "thinkmill requires every number in the answer, sign included, to be the gold's value",
    "intermediate_integration": "the library scorer passes any answer whose derivative is the integrand, the "
    "unevaluated Integral(...) too, and builds sin/cos factors as undefined functions, so about 1 answer in 9 was "
    "that Integral; thinkmill fails an answer with Integral and the task's answer is the antiderivative",
    "jugs": "the library scorer reads each move's first two words and skips the rest ('fill A (now full)' passed); "
    "thinkmill fails a move that is not one 'fill X', 'empty X' or 'pour X->Y'",
    "kakurasu": "the library scorer skips every character but 0 and 1 on a line; thinkmill fails a line with other "
    "text (spaces, commas and brackets aside); a ``` fence around the grid is set aside",
    "knight_swap": "the library makes a puzzle impossible by removing a knight move from its graph, but the prompt "
    "shows only the squares: about 1 'impossible' puzzle in 3 has a solution on the shown board ('No' passed); "
    "thinkmill scores it on every knight move between the squares, with a shortest solution as the gold; 'No.' and "
    "moves written 'w, A2, C1' (which scored 0) are read as 'No' and 'w,A2,C1'",
    "knights_knaves": "the library scorer reads name-role pairs and skips every other word ('not Liam is a pioneer, "
    "...' passed); thinkmill fails an answer with other words",
    "letter_jumble": "the library scorer divides the words in place by the gold's length, so the gold followed by "
    "more words scored 1; thinkmill divides by the longer of the two",
    "manipulate_matrix": "a right matrix in a ``` fence scored partial credit and failed; thinkmill sets the fence "
    "aside. 'Rotate the matrix 90 degrees' names no direction (the gold turns clockwise) and 'Horizontally mirror' "
    "flips the rows in the gold, each row left to right in an image editor: the answer under the other reading "
    "scored 0; thinkmill replays the operations and passes the matrix under either reading of the turns and of the "
    "mirrors, the same at every step",
    "mini_sudoku": "the library scorer matches the grid with each line's trailing spaces set aside, then cuts the "
    "score by the answer's length over the gold's (a space after a line failed the right grid); thinkmill "
    "removes them first, and a ``` fence around the grid",
    "modulo_grid": "the library's exact-match scorer: a right grid in a ``` fence or with a space after a line "
    "scored below 1; thinkmill sets them aside",
    "n_queens": "the library scorer eval()s an answer that is not an exact match: thinkmill hands it only a "
    "Python literal (code fails as `unsafe_answer`, other text as `mismatch`), and sets aside a ``` fence around the "
    "board and each line's trailing spaces (the right board with them failed as unsafe)",
    "number_format": "the library scorer passes any value within 0.01 of the solution, though two candidates can be "
    "nearer than that (the other one passed); thinkmill requires the solution to its 3 decimals",
    "number_sorting": "the library scorer lets each number be off by up to 1 (a miscopied number passed); thinkmill "
    "requires the prompt's numbers exactly, in order",
    "polynomial_equations": "the library scorer skips every comma-separated item that is not a number ('-5.5625, "
    "0.0, zzz' passed); thinkmill fails an answer with such an item. The prompt says to round 'down when the 5th "
    "decimal place is 5 or greater' while the gold is round()'s: each root may be rounded to nearest or cut. The "
    "library's gold misses a real root sympy writes with I (a quartic's): thinkmill's holds every real root",
    "palindrome_partitioning": "the library scorer compares the partitions as sets, so the gold list with a "
    "partition repeated scored 1.0; thinkmill fails an answer listing a partition twice",
    "pool_matrix": "the library scorer compares with np.allclose(rtol=1e-2) though the prompt asks for 2 correct "
    "decimals (5.27 passed for 5.2222...); thinkmill requires each element within 0.005 of the pooled value; "
    "a ``` fence around the matrix is set aside",
    "power_function": "the prompt writes a negative base bare ('Compute -524.0707^-8'): with an even exponent "
    "-(524.0707^-8) by the usual precedence and the gold's pow(-524.0707, -8) differ in sign; ingest quarantines "
    "such an item (`ambiguous_prompt`) and the verifier fails a stored one",
    "prime_factorization": "the scorer raises on a non-integer factor; thinkmill fails such an answer as "
    "`reasoning_gym:invalid_answer`",
    "products": "the library scorer strips every comma, so '12,3' and '1,2,3' passed for 123; thinkmill fails a "
    "number with a comma (or '_') not between groups of three digits, and reads '$123$' as 123",
    "propositional_logic": "many conclusions are valid; the scorer checks validity; the task's answer is the "
    "generator's `example_answer`, one of them",
    "puzzle24": "the library scorer passes any four numbers that make 24 and truncates the value; thinkmill "
    "requires the puzzle's four numbers and an exact value of 24",
    "quantum_lock": "the library scorer reads every A, B, C in the answer and skips the rest ('A → B zzz' passed); "
    "thinkmill fails an answer with anything but button names between arrows, commas or spaces",
    "rearc": "the library scorer failed a right grid in a ``` fence or under an 'Output:' line (its examples' "
    "label); thinkmill sets aside a fence around the grid and a leading 'Output:' or 'Output grid:' line, never a row "
    "or a cell",
    "rotate_matrix": "the library's exact-match scorer: a right matrix in a ``` fence or with a space after a line "
    "scored below 1; thinkmill sets them aside",
    "rubiks_cube": "many move sequences solve a cube; the scorer applies the moves; the task's answer is the "
    "generator's `example_correct_answer`, one of them",
    "rush_hour": "many move sequences free the red car; the scorer simulates them; no reference solution is generated",
    "simple_integration": "the library scorer passes any answer whose derivative is the integrand, the unevaluated "
    "Integral(...) too; thinkmill fails an answer with Integral",
    "sokoban": "the library scorer skips every character but L, R, U, D ('LDUR zzz' passed); thinkmill fails an "
    "answer with other characters (spaces and commas aside)",
    "spell_backward": "the library scorer's float sum of 1/n per letter in place exceeds 1.0 for 9, 11, 18, 20, "
    "... letters, so the word followed by more letters passed; thinkmill counts whole letters (0.8 for it)",
    "spiral_matrix": "the library scorer eval()s an answer that is not an exact match: thinkmill hands it only a "
    "Python literal (code fails as `unsafe_answer`, other text as `mismatch`), and sets aside a ``` fence around it",
    "string_insertion": "the library scorer eval()s an answer that is not an exact match: thinkmill hands it only "
    "a Python literal (code fails as `unsafe_answer`, other text as `mismatch`). The prompt asks for 'a string', and "
    "the right one in quotes scored 0.1; thinkmill reads it as the gold (a list of its characters keeps the 0.1)",
    "sudoku": "the library scorer matches the grid with each line's trailing spaces set aside, then cuts the "
    "score by the answer's length over the gold's (a space after a line failed the right grid); thinkmill "
    "removes them first, and a ``` fence around the grid",
    "survo": "the library scorer skips every token that is not an integer, and lines without one; thinkmill fails an "
    "answer with such a token; a ``` fence around the grid is set aside",
    "time_intervals": "the library scorer reads a day count's first word and a 'D days, HH:MM' duration up to its "
    "second comma ('99 days or 991' passed); thinkmill requires the whole answer to be one duration of the task's form",
    "tower_of_hanoi": "the library scorer passes a move line with text glued before it ('1.Move disk 1 from Peg 1 "
    "to Peg 3'); thinkmill requires each line to be one move and nothing more",
    "word_sorting": "the library scorer divides the words in place by the gold's length, so the gold followed by "
    "more words scored 1; thinkmill divides by the longer of the two",
}
# Measured for 0.1.25 (bench/verifiers_bench.py, three processes with different PYTHONHASHSEED): these datasets
# iterate over sets of strings, so the same (seed, index) gives another item in another process. thinkmill
# generates them in a child process with PYTHONHASHSEED=0, so ingest is deterministic; the verifier (whose worker
# has a random hash seed) then scores the stored JSON copy of the entry, which is safe for them.
HASH_SEED_DEPENDENT = frozenset({"isomorphic_strings", "polynomial_multiplication", "ransom_note"})
# Datasets whose entry does not survive a JSON round trip (tuples in metadata: their scorer then gives the gold
# answer 0.05): only a regenerated entry may score them.
JSON_UNSAFE = frozenset({"arc_agi", "rearc"})
# Scorers that run the model's answer through Python's eval() (string_insertion, spiral_matrix, binary_matrix,
# n_queens: when the answer is not an exact match) or sympy's parse_expr (which evals too, with builtins such as
# exec and chr in scope). A model answer `exec(chr(...)+...)` would run in the verify worker, outside any sandbox,
# so thinkmill only lets an answer reach them when it cannot execute anything (see `unsafe_answer`).
EVAL_SCORERS = frozenset({"string_insertion", "spiral_matrix", "binary_matrix", "n_queens"})
ARITHMETIC_SCORERS = frozenset({"puzzle24", "countdown"})  # answers are + - * / ( ) and integers only
SYMPY_SCORERS = frozenset({"simple_integration", "intermediate_integration", "polynomial_multiplication"})
INTEGRATION_SCORERS = frozenset({"simple_integration", "intermediate_integration"})
SAFE_SYMPY_NAMES = frozenset(
    {
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "asin",
        "acos",
        "atan",
        "acot",
        "asec",
        "acsc",
        "sinh",
        "cosh",
        "tanh",
        "coth",
        "asinh",
        "acosh",
        "atanh",
        "exp",
        "log",
        "ln",
        "sqrt",
        "cbrt",
        "Abs",
        "abs",
        "sign",
        "pi",
        "E",
        "I",
        "oo",
        "erf",
        "Integral",
    }
)
_RATIONAL_POWER = re.compile(r"\*\*\(\s*-?\d{1,3}\s*/\s*\d{1,3}\s*\)")  # x**(3/2): checked as x**1
_ARITHMETIC = re.compile(r"[\d\s+\-*/()]*")
_SIGNED_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?\b")
_SIGNIFICANT_DIGITS = re.compile(r"to a maximum of (\d+) significant digits")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"\$*\s*(?:\\d?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|-?\d+\s*/\s*\d+)\s*\$*\s*\.?", re.IGNORECASE)
_GROUPED_NUMBER = re.compile(r"\d+(?:[,_]\d+)+")  # digits with commas or underscores between them
_DIGIT_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+")  # 1,234,567 or 1_234_567
_POINT = re.compile(r"\(?\s*[+-]?\d+(?:\.\d*)?\s*,\s*[+-]?\d+(?:\.\d*)?\s*\)?\.?")
_GEOMETRY_NUMBER = r"([+-]?\d+(?:\.\d+)?)"
_GEOMETRY_VALUES = {  # advanced_geometry task type -> its exact value's metadata key and the answer's form
    "incircle_radius": ("incircle_radius_approx", re.compile(_GEOMETRY_NUMBER + r"\.?")),
    "angle_measure": (
        "angle_ABC_degrees",
        re.compile(_GEOMETRY_NUMBER + r"\s*(?:°|\^\s*\{?\s*\\circ\s*\}?|degrees?)?\.?", re.IGNORECASE),
    ),
}
_GEOMETRY_DECIMALS = re.compile(r"Round decimal answers to (\d+) decimal places")
_HANOI_MOVE = re.compile(r"Move disk \d+ from Peg \d+ to Peg \d+")
_JUG_MOVE = re.compile(r"(?:fill|empty)\s+[A-Z]|pour\s+[A-Z]->[A-Z]")
_BUTTON_SEPARATOR = re.compile(r"\s*(?:→|->|,)\s*|\s+")
_CLOCK = r"(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"  # HH:MM, HH:MM:SS, HH:MM:SS.mmm
_DURATIONS = {  # time_intervals' answer forms: "D days", "HH:MM[:SS[.mmm]]", "D days, HH:MM[:SS]"
    "date": re.compile(r"(-?\d+)(?:\s*days?)?", re.IGNORECASE),
    "time": re.compile(_CLOCK),
    "datetime": re.compile(r"(-?\d+)\s*days?,?\s*" + _CLOCK, re.IGNORECASE),
}
MAX_SCORED_ANSWER_CHARS = 10_000
# Metadata keys holding one example solution for datasets whose entry answer is None.
_EXAMPLE_KEYS = ("possible_answer", "example_answer", "example_correct_answer")
_BUILTIN_NAMES = frozenset(dir(builtins))
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class ReasoningGymError(ValueError):
    """A reasoning-gym dataset name, config or entry that cannot be used; the message names it."""


class UnsafeAnswer(Exception):
    """An answer the dataset's scorer would eval() as code: it is failed without calling the scorer."""


def library_version() -> str:
    from importlib.metadata import version

    return version(LIBRARY)


def dataset_names() -> list[str]:
    from reasoning_gym.factory import DATASETS

    return sorted(DATASETS)


def question_hash(question: str) -> str:
    return xxhash.xxh64_hexdigest(question.encode("utf-8"))


def config_hash(config: dict[str, Any]) -> str:
    return xxhash.xxh64_hexdigest(json.dumps(config, sort_keys=True, default=str).encode("utf-8"))[:8]


@dataclass(frozen=True)
class Recipe:
    """What regenerates one entry: the dataset built with (config, seed, size), then item `index`."""

    dataset: str
    seed: int
    size: int
    index: int
    config: dict[str, Any] = field(default_factory=dict)

    def config_json(self) -> str:
        return json.dumps(self.config, sort_keys=True, default=str)

    def to_args(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "seed": self.seed,
            "size": self.size,
            "index": self.index,
            "config": self.config,
        }

    @classmethod
    def from_args(cls, args: dict[str, Any], where: str) -> Recipe:
        """From a task's verifier_args; a missing or mistyped field raises ReasoningGymError naming it."""
        for key, typ in (("dataset", str), ("seed", int), ("size", int), ("index", int)):
            v = args.get(key)
            if not isinstance(v, typ) or isinstance(v, bool):
                raise ReasoningGymError(f"{where}: verifier_args.{key} must be {typ.__name__}, got {v!r}")
        config = args.get("config") or {}
        if not isinstance(config, dict):
            raise ReasoningGymError(f"{where}: verifier_args.config must be an object")
        return cls(args["dataset"], args["seed"], args["size"], args["index"], config)


def _composite_specs(config: dict[str, Any]) -> dict[str, Any]:
    from reasoning_gym.composite import DatasetSpec

    specs = config.get("datasets")
    if not isinstance(specs, list) or not specs:
        raise ReasoningGymError("composite: config.datasets must be a non-empty list of {name, weight, config}")
    out = []
    for i, s in enumerate(specs):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str):
            raise ReasoningGymError(f"composite: config.datasets[{i}] must be an object with a name")
        out.append(DatasetSpec(name=s["name"], weight=float(s.get("weight", 1.0)), config=dict(s.get("config") or {})))
    return {**config, "datasets": out}


@lru_cache(maxsize=256)
def _dataset(name: str, config_json: str, seed: int, size: int) -> Any:
    import reasoning_gym as rg
    from reasoning_gym.factory import DATASETS

    if name not in DATASETS:
        raise ReasoningGymError(
            f"unknown reasoning-gym dataset {name!r} ({len(DATASETS)} known; `thinkmill verifiers list` names them)"
        )
    config = json.loads(config_json)
    if name == "composite":
        config = _composite_specs(config)
    try:
        return rg.create_dataset(name, size=size, seed=seed, **config)
    except (TypeError, ValueError, AssertionError) as exc:
        raise ReasoningGymError(
            f"reasoning-gym dataset {name!r} with config {config_json}: {type(exc).__name__}: {exc}"
        ) from exc


def dataset(name: str, config: dict[str, Any], seed: int, size: int) -> Any:
    """The (cached) dataset object; an unknown name or bad config raises ReasoningGymError."""
    return _dataset(name, json.dumps(config, sort_keys=True, default=str), seed, size)


@lru_cache(maxsize=4096)
def _entry(recipe_key: tuple[str, str, int, int, int]) -> dict[str, Any]:
    name, config_json, seed, size, index = recipe_key
    # a generator may set the thread's Decimal context (decimal_arithmetic sets 12 digits): a verify worker judging
    # other tasks after it rounded `math`'s unit conversions of longer numbers to 12 digits
    with localcontext():
        return _dataset(name, config_json, seed, size)[index]


def entry(recipe: Recipe) -> dict[str, Any]:
    """The regenerated entry (question, answer, metadata) of a recipe (cached: samples of one task share it)."""
    if not 0 <= recipe.index < recipe.size:
        raise ReasoningGymError(f"reasoning-gym {recipe.dataset}: index {recipe.index} outside 0..{recipe.size - 1}")
    return _entry((recipe.dataset, recipe.config_json(), recipe.seed, recipe.size, recipe.index))


def _needs_fixed_hash_seed(name: str, config: dict[str, Any]) -> bool:
    if name == "composite":
        return any(isinstance(s, dict) and s.get("name") in HASH_SEED_DEPENDENT for s in config.get("datasets") or [])
    return name in HASH_SEED_DEPENDENT


def generate(name: str, config: dict[str, Any], seed: int, size: int) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(index, entry) for every item, or (index, error text) for an item whose generator raised.

    Datasets that depend on the interpreter's string hash seed are generated in a child process with
    PYTHONHASHSEED=0 (their entries then come back through JSON)."""
    if not _needs_fixed_hash_seed(name, config):
        dataset(name, config, seed, size)  # a bad name or config raises ReasoningGymError before any item
        for i in range(size):
            try:
                yield i, entry(Recipe(name, seed, size, i, config))
            except Exception as exc:  # one broken item; the caller quarantines it
                yield i, f"{type(exc).__name__}: {exc}"
        return
    yield from _generate_in_child(name, config, seed, size)


def _generate_in_child(
    name: str, config: dict[str, Any], seed: int, size: int
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
    }
    job = json.dumps({"name": name, "config": config, "seed": seed, "size": size})
    with subprocess.Popen(
        [sys.executable, "-m", "pipeline.rgym", job],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            msg = json.loads(line)
            yield msg["i"], msg["entry"] if "entry" in msg else msg["error"]
        err = proc.stderr.read()
    if proc.returncode != 0:
        last = err.strip().splitlines()[-1] if err.strip() else f"exit status {proc.returncode}"
        raise ReasoningGymError(f"reasoning-gym dataset {name!r} (generated with PYTHONHASHSEED=0): {last}")


def _child_main(job_json: str) -> None:
    job = json.loads(job_json)
    try:
        dataset(job["name"], job["config"], job["seed"], job["size"])
    except ReasoningGymError as exc:
        sys.exit(str(exc))
    for i in range(job["size"]):
        try:
            msg: dict[str, Any] = {
                "i": i,
                "entry": entry(Recipe(job["name"], job["seed"], job["size"], i, job["config"])),
            }
        except Exception as exc:
            msg = {"i": i, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(msg, default=str) + "\n")


def scoring_entry(recipe: Recipe, stored: Any, prompt: str, qhash: str | None) -> dict[str, Any] | str:
    """The entry to score a task against, or why there is none (`entry_mismatch`, `generation_error`).

    The regenerated entry when it reproduces the stored question; else (a hash-seed-dependent dataset, or another
    library version) the stored JSON copy with the task's prompt, when the prompt is the stored question and the
    dataset's entries survive JSON."""
    try:
        e = entry(recipe)
    except ReasoningGymError:
        raise
    except Exception:
        e = None
    if e is not None and (qhash is None or question_hash(e["question"]) == qhash):
        return e
    usable = (
        isinstance(stored, dict)
        and "metadata" in stored
        and qhash is not None
        and prompt
        and question_hash(prompt) == qhash
        and recipe.dataset not in JSON_UNSAFE
        and (stored.get("metadata") or {}).get("source_dataset") not in JSON_UNSAFE
    )
    if usable:
        return {"question": prompt, "answer": stored.get("answer"), "metadata": stored.get("metadata") or {}}
    return "generation_error" if e is None else "entry_mismatch"


def _exact_time_ms(e: dict[str, Any]) -> str | None:
    """A time_intervals `time_ms` item's duration, HH:MM:SS.mmm, from its two times exactly, where the library's answer
    is a millisecond off: it computes the difference through a float and truncates it (09:43:58.821 -> 22:11:11.690
    gave 12:27:12.868, though it is .869; about half the items). None for any other item, or an answer further off
    (not this rounding: the library's stands)."""
    meta = e.get("metadata") or {}
    if meta.get("source_dataset") != "time_intervals" or meta.get("task_type") != "time_ms":
        return None
    try:
        start, end = (datetime.fromisoformat(str(meta[k])) for k in ("start_time", "end_time"))
    except (KeyError, ValueError):
        return None
    ms = (end - start) // timedelta(milliseconds=1)
    if ms < 0:
        return None
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    exact = f"{h:02d}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
    given = _duration_seconds(str(e.get("answer")), "time_ms")
    if given is None or exact == e.get("answer") or abs(given - Fraction(ms, 1000)) > Fraction(1, 1000):
        return None
    return exact


@lru_cache(maxsize=256)
def _antiderivative(integrand: str, variable: str) -> str | None:
    """sympy's antiderivative of an integration item's integrand, as the library writes its answer, or None when sympy
    leaves an integral (the integrand is checked as for the sympy scorers before sympy parses it)."""
    import sympy

    if len(variable) != 1 or not _sympy_safe(integrand):
        return None
    x = sympy.Symbol(variable)
    result = sympy.integrate(sympy.parse_expr(integrand, local_dict={variable: x}), x)
    return None if result.has(sympy.Integral) else f"{result} + C"


def _exact_integral_answer(e: dict[str, Any]) -> str | None:
    """An integration item's antiderivative, where the library's answer is the unevaluated integral: its
    intermediate_integration builds sin and cos factors as undefined functions of those names (`Function("cos")`), so
    sympy left `3*Integral(x**3*cos(3*x), x) + C` (about 1 answer in 9). None for any other item (the library's
    stands)."""
    meta = e.get("metadata") or {}
    if meta.get("source_dataset") not in INTEGRATION_SCORERS or "Integral" not in str(e.get("answer")):
        return None
    try:
        return _antiderivative(str(meta.get("integrand")), str(meta.get("variable")))
    except (ArithmeticError, ValueError, TypeError, SyntaxError, NotImplementedError):
        return None


def _knight_moves(a: str, b: str) -> bool:
    """Whether a knight moves between squares `a` and `b` (`A1`..`D3`)."""
    return {abs(ord(a[0]) - ord(b[0])), abs(int(a[1:]) - int(b[1:]))} == {1, 2}


@lru_cache(maxsize=1024)
def _knight_swap_solution(
    squares: tuple[str, ...], white: tuple[str, ...], black: tuple[str, ...], turn: str
) -> tuple[tuple[str, str, str], ...] | None:
    """A shortest move list swapping the white and the black knights on `squares`, every knight move between them
    allowed (breadth first, in a fixed order: the library's search iterates over sets of strings), or None."""
    board = {a: sorted(b for b in squares if b != a and _knight_moves(a, b)) for a in squares}
    start = (tuple(sorted(white)), tuple(sorted(black)), turn)
    goal = (tuple(sorted(black)), tuple(sorted(white)))
    came: dict[Any, Any] = {start: None}
    frontier = [start]
    while frontier:
        later = []
        for state in frontier:
            w, b, side = state
            if (w, b) == goal:
                moves = []
                while came[state] is not None:
                    state, move = came[state]
                    moves.append(move)
                return tuple(reversed(moves))
            mine, occupied = (w if side == "w" else b), set(w) | set(b)
            for pos in mine:
                for to in board[pos]:
                    if to in occupied:
                        continue
                    moved = tuple(sorted(to if p == pos else p for p in mine))
                    nxt = (moved, b, "B") if side == "w" else (w, moved, "w")
                    if nxt not in came:
                        came[nxt] = (state, (side, pos, to))
                        later.append(nxt)
        frontier = later
    return None


def _knight_swap_entry(e: dict[str, Any]) -> dict[str, Any] | None:
    """A knight_swap item the library calls impossible, as it is on the board its prompt shows: reasoning-gym makes a
    puzzle impossible by removing a knight move between two squares from its graph, but the prompt shows only the
    squares ("Knights move in L-shape"), and on them about 1 such puzzle in 3 has a solution ("No" passed, a right
    move list failed). The entry with every knight move between the squares and a shortest solution; None for any
    other item (the library's stands)."""
    meta = e.get("metadata") or {}
    if meta.get("source_dataset") != "knight_swap" or meta.get("is_possible") is not False:
        return None
    try:
        pieces = dict(meta["pieces"])
        squares = tuple(sorted(meta["board"]))
        solution = _knight_swap_solution(
            squares,
            tuple(p for p, c in pieces.items() if c == "w"),
            tuple(p for p, c in pieces.items() if c == "B"),
            str(meta["start_turn"]),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if solution is None:
        return None
    board = {a: sorted(b for b in squares if b != a and _knight_moves(a, b)) for a in squares}
    moves = [f"{c},{a},{b}" for c, a, b in solution]
    metadata = {**meta, "board": board, "is_possible": True, "solution": [list(m) for m in solution]}
    return {**e, "answer": json.dumps(moves), "metadata": {**metadata, "num_steps": len(moves)}}


def reference_answer(e: dict[str, Any]) -> str | None:
    """The entry's gold answer (a time_intervals duration a millisecond off: the exact one, `_exact_time_ms`; a
    polynomial_equations answer missing a real root: every root, `_exact_roots_answer`; an unevaluated integral: the
    antiderivative, `_exact_integral_answer`), else the example solution of
    a many-solution dataset, as text; None if neither."""
    knight_swap = _knight_swap_entry(e)
    ans = (
        _exact_time_ms(e)
        or _exact_roots_answer(e)
        or _exact_integral_answer(e)
        or (knight_swap or {}).get("answer")
        or e.get("answer")
    )
    if ans is None:
        meta = e.get("metadata") or {}
        ans = next((meta[k] for k in _EXAMPLE_KEYS if meta.get(k) is not None), None)
    if ans is None:
        return None
    return ans if isinstance(ans, str) else json.dumps(ans, default=str)


def ambiguous_prompt(e: dict[str, Any]) -> str | None:
    """Why an entry's prompt reads two ways with different answers, else None. power_function writes a negative base
    bare, "Compute -524.0707^-8": by the usual precedence that is -(524.0707^-8), a minus on the power, while the gold
    is pow(-524.0707, -8); with an even exponent (0 too) the two differ in sign (about 3 items in 10), so the answer of
    either reading makes a wrong row. Ingest quarantines such an item and the verifier fails a stored one."""
    meta = e.get("metadata") or {}
    if meta.get("source_dataset") != "power_function":
        return None
    base, exponent = meta.get("base"), meta.get("exponent")
    if not isinstance(base, int | float) or not isinstance(exponent, int) or base >= 0 or exponent % 2:
        return None
    try:
        value = math.pow(base, exponent)
    except (OverflowError, ValueError):
        return None
    return (
        f"'{base}^{exponent}' reads as -({-base}^{exponent}) = {-value:.3g} by the usual precedence, "
        f"as ({base})^{exponent} = {value:.3g} in the gold"
    )


def _truth(text: str) -> bool | None:
    t = text.strip().strip(".").strip().casefold()
    return True if t in _TRUE else False if t in _FALSE else None


def _sympy_safe(answer: str) -> bool:
    """Only numbers, operators, brackets, one- or two-letter symbols and known math functions; no attribute
    access, strings, keywords or builtins; no power of a bracket, to a number over 100, or towers (9**9**9 would
    hang sympy)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(_RATIONAL_POWER.sub("**1", answer)).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return False
    prev, prev2 = "", ""
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        if tok.type == tokenize.NAME:
            if (
                prev == "."
                or keyword.iskeyword(tok.string)
                or not (
                    tok.string in SAFE_SYMPY_NAMES
                    or (len(tok.string) <= 2 and tok.string.isalpha() and tok.string not in _BUILTIN_NAMES)
                )
            ):
                return False
        elif tok.type == tokenize.NUMBER:
            if prev == "**" and not (tok.string.isdigit() and int(tok.string) <= 100):
                return False
        elif tok.type == tokenize.OP:
            if tok.string not in {"+", "-", "*", "/", "**", "(", ")", ".", ","} or (
                prev == "**" and tok.string in {"(", "-", "+"}
            ):
                return False
            if tok.string == "**" and prev2 == "**":  # a power tower: 9**9**9
                return False
        else:  # strings, f-strings, comments, error tokens
            return False
        prev, prev2 = tok.string, prev
    return True


def _is_literal(answer: str) -> bool:
    try:
        ast.literal_eval(answer)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _is_code(answer: str) -> bool:
    """Whether eval() would run something: a Python expression that is not a bare name (a name is only looked up). A
    grid of numbers or a wrong string is no expression (eval() raises SyntaxError before running anything)."""
    try:
        tree = ast.parse(answer.lstrip(" \t"), mode="eval")  # eval() sets leading spaces and tabs aside
    except SyntaxError:
        return False
    except (ValueError, MemoryError, RecursionError):  # too deep to parse: refused as code
        return True
    return not isinstance(tree.body, ast.Name)


def _eval_scored(answer: str, e: dict[str, Any]) -> bool:
    """Whether an EVAL_SCORERS dataset's answer may reach its scorer: an exact match or a Python literal."""
    exact = answer == e.get("answer") or answer in ((e.get("metadata") or {}).get("valid_answers") or [])
    return exact or _is_literal(answer)


def unsafe_answer(name: str, answer: str, e: dict[str, Any]) -> bool:
    """True when the dataset's scorer would eval() or parse_expr() an answer that could run code (or hang)."""
    if name in EVAL_SCORERS:
        return not _eval_scored(answer, e) and _is_code(answer)
    if name in ARITHMETIC_SCORERS:
        return len(answer) > 1000 or "**" in answer or _ARITHMETIC.fullmatch(answer) is None
    if name in SYMPY_SCORERS:
        return len(answer) > MAX_SCORED_ANSWER_CHARS or not _sympy_safe(answer)
    return False


def _exact_value(node: ast.AST, decimals: bool = False) -> Fraction:
    """The exact value of + - * / over integers (and decimal literals, with `decimals`)."""
    if isinstance(node, ast.Expression):
        return _exact_value(node.body, decimals)
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return Fraction(node.value)
    if decimals and isinstance(node, ast.Constant) and isinstance(node.value, float):
        return Fraction(repr(node.value))  # the literal as written: 7.403, not the float's binary value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        v = _exact_value(node.operand, decimals)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        a, b = _exact_value(node.left, decimals), _exact_value(node.right, decimals)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return a / b  # ZeroDivisionError: the scorer's caller fails the answer as invalid
    raise ValueError("not + - * / over integers")


def _score_arithmetic(answer: str, numbers: list[Any], target: Any) -> float:
    """1.0 when the answer uses exactly `numbers` and its exact (fractional) value is `target`, else 0.0."""
    if sorted(int(n) for n in re.findall(r"\d+", answer)) != sorted(int(n) for n in numbers):
        return 0.0
    return 1.0 if _exact_value(ast.parse(answer.strip(), mode="eval")) == Fraction(str(target)) else 0.0


def _score_puzzle24(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's puzzle24 scorer passes any 4 in-range numbers that make 24 (not the puzzle's numbers) and
    truncates the value with int() ((9*5+4)/2 = 24.5 passes): here the numbers must be the puzzle's and the exact
    value 24."""
    return _score_arithmetic(answer, (e.get("metadata") or {}).get("numbers") or [], 24)


def _score_countdown(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's countdown scorer compares the value with np.isclose (relative tolerance 1e-5): for a target of
    1490, 71*21 - 86/85 = 1489.988 passed. Here, as for puzzle24, the exact value must be the target."""
    meta = e.get("metadata") or {}
    return _score_arithmetic(answer, meta.get("numbers") or [], meta.get("target"))


def _last_digit(value: Fraction, digits: int) -> Fraction:
    """One unit in the `digits`-th significant digit of a non-zero value."""
    with localcontext() as ctx:  # reasoning-gym sets the thread's Decimal precision when it generates an item
        ctx.prec = 50
        exponent = (Decimal(abs(value.numerator)) / Decimal(value.denominator)).adjusted()
    return Fraction(10) ** (exponent - digits + 1)


def _score_decimal_arithmetic(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's decimal_arithmetic scorer passes any value within 10**-(decimal places of the operands), 0.001
    by default, of the gold, though the prompt asks for 12 significant digits: "8.272" and "8.273" passed for
    8.27243551523. Here the answer must agree to the asked significant digits, one unit in the last of them either
    way, with the gold or with the expression's exact value (the library computes the gold at that precision step by
    step, so its last digits can differ from the exact value's: 0.667871266147 for 0.66787126614405...)."""
    try:
        got = Fraction(Decimal(answer.strip()))
        refs = [Fraction(Decimal(str(e.get("answer")).strip()))]
    except (ArithmeticError, ValueError):  # not a number (decimal.InvalidOperation), NaN or infinity
        return 0.0
    question = str(e.get("question") or "")
    digits = _SIGNIFICANT_DIGITS.search(question)
    try:
        expression = question.strip().splitlines()[-1].removesuffix("= ?").strip()
        refs.append(_exact_value(ast.parse(expression, mode="eval"), decimals=True))
    except (IndexError, SyntaxError, ValueError, ZeroDivisionError):
        pass  # no expression to evaluate: the gold alone
    for ref in refs:
        tolerance = _last_digit(ref, int(digits.group(1))) if digits and ref else Fraction(0)
        if abs(got - ref) <= tolerance:
            return 1.0
    return 0.0


def _score_figlet_font(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's figlet_font scorer gives 0.1 per letter in place, capped at 1.0, so for a word of 10 letters or
    more an answer with 10 letters in place passed ("OBJECTIVATZZ" for OBJECTIVATE): here only the word itself
    (case and spaces aside, as the library reads it) scores 1, and the library's credit stops at 0.9."""
    gold, got = str(e.get("answer")).strip().lower(), answer.replace(" ", "").strip().lower()
    if got == gold:
        return 1.0
    return min(0.1 * sum(1 for a, b in zip(got, gold, strict=False) if a == b), 0.9)


def _score_pool_matrix(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's pool_matrix scorer compares with np.allclose(rtol=1e-2), though the prompt asks for elements
    "correct to 2 decimal places" (5.27 passed for 5.2222...), and reads the answer with np.loadtxt, which drops a `#`
    comment: here each element is a number within 0.005 of the pooled value (more decimals allowed), in the output's
    shape, with the library's 0.1 for a wrong matrix of that shape."""
    solution = (e.get("metadata") or {}).get("solution") or []
    rows = [line.split() for line in answer.strip().splitlines() if line.strip()]
    if not all(_DECIMAL.fullmatch(token) for row in rows for token in row):
        return 0.0
    if [len(row) for row in rows] != [len(row) for row in solution]:
        return 0.0
    close = all(
        abs(float(token) - float(value)) <= 0.005 + 1e-9
        for row, values in zip(rows, solution, strict=True)
        for token, value in zip(row, values, strict=True)
    )
    return 1.0 if close else 0.1


def _score_geometry_value(answer: str, e: dict[str, Any]) -> float:
    """advanced_geometry's radius and angle. reasoning-gym's incircle_radius scorer passes only the gold's exact text
    ("1.1860" and "0.98" failed for 1.186 and 0.980), and its angle_measure scorer compares values rounded to 2
    decimals though the prompt asks for 3 ("16.913" passed for 16.90927...): here the value must be the gold's, or
    within half a unit in the asked decimal of the exact value (0.05 for another number, as the library scores)."""
    meta = e.get("metadata") or {}
    exact_key, form = _GEOMETRY_VALUES[str(meta.get("task_type"))]
    got, gold = form.fullmatch(answer.strip().strip("$").strip()), form.fullmatch(str(e.get("answer")).strip())
    if got is None or gold is None:
        return 0.01 if answer.strip() else 0.0
    value = Decimal(got.group(1))
    if value == Decimal(gold.group(1)):
        return 1.0
    asked = _GEOMETRY_DECIMALS.search(str(e.get("question") or ""))
    try:
        exact = Decimal(repr(float(meta[exact_key])))
    except (KeyError, TypeError, ValueError):
        return 0.05
    half_unit = Decimal(5) / Decimal(10) ** (int(asked.group(1)) + 1 if asked else 4)
    return 1.0 if abs(value - exact) <= half_unit else 0.05


def _score_number_format(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's number_format scorer passes any value within 0.01 of the solution, though the candidates have 3
    decimals and two of them can be nearer than that (837864158.821 passed for the smallest, 837864158.819, and so
    did 837864158.82): here the value must be the solution's, within half a unit in its 3rd decimal (commas and any
    of the prompt's formats aside)."""
    try:
        got = float(answer.strip().replace(",", ""))
        gold = float((e.get("metadata") or {})["solution"])
    except (KeyError, TypeError, ValueError):
        return 0.0
    return 1.0 if abs(got - gold) < 0.0005 else 0.0


def _duration_seconds(text: str, task_type: str) -> Fraction | None:
    """A time_intervals answer as seconds, when the whole text is one duration of the task's form; else None."""
    kind = "date" if task_type == "date" else "time" if task_type.startswith("time") else "datetime"
    m = _DURATIONS[kind].fullmatch(text.strip().removesuffix(".").strip())
    if m is None:
        return None
    fields = list(m.groups())
    days = 0 if kind == "time" else int(fields.pop(0))
    if kind == "date":
        return Fraction(days * 86400)
    hours, minutes, seconds, fraction = fields
    value = Fraction(days * 86400 + int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0))
    return value + (Fraction(int(fraction), 10 ** len(fraction)) if fraction else 0)


def _score_time_intervals(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's time_intervals scorer reads a day count from the answer's first word ("99 days or 991" and "99
    or 100" passed for 99 days), a `D days, HH:MM` duration up to its second comma and a clock time's first three
    fields ("02:58:00:99" passed for 02:58): here the whole answer must be one duration of the task's form, with the
    library's partial credit for a wrong one."""
    meta = e.get("metadata") or {}
    task_type = str(meta.get("task_type") or "")
    gold_text = _exact_time_ms(e) or str(e.get("answer"))  # the library's `time_ms` gold can be a millisecond short
    got, gold = _duration_seconds(answer, task_type), _duration_seconds(gold_text, task_type)
    if got is None or gold is None:
        return 0.0
    if got == gold:
        return 1.0
    difficulty = meta.get("difficulty") or {}
    if task_type.startswith("time"):
        max_diff = difficulty.get("max_time_difference_seconds", 24 * 60 * 60)
    else:
        max_diff = difficulty.get("max_date_difference_days", 100) * 24 * 60 * 60
    return max(0.0, 1.0 - float(abs(got - gold)) / max_diff)


def _score_coin_flip(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's coin_flip scorer credits the digits the two numbers share from the left over the *shorter*
    one, so every prefix of the probability scores 1 ("0" for 0.234375, "0.2"), and its absolute tolerance 1e-4
    passes "0" for 3.05e-05: here the prefix counts over the longer one, and the tolerance is 1e-4 but at most 1% of
    the probability."""
    try:
        got = float(Fraction(answer.replace(",", "")))
        gold = float(Fraction(str(e.get("answer")).replace(",", "")))
    except (ValueError, ZeroDivisionError):
        return 0.0
    if abs(got - gold) <= min(1e-4, abs(gold) / 100):
        return 1.0
    a, o = f"{got:.10g}", f"{gold:.10g}"
    shared = next((i for i, (x, y) in enumerate(zip(a, o, strict=False)) if x != y), min(len(a), len(o)))
    return shared / max(len(a), len(o))


def _score_gsm_symbolic(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's gsm_symbolic scorer reads the first number in the answer, and its leading `\\b` drops a
    minus sign ("-20" passed for 20, and so did "20 or 24" and "20/3"): here every number in the answer, sign
    included, must be the gold's value (0.01 otherwise, 0 for no number, as the library scores)."""
    values = {float(n) for n in _SIGNED_NUMBER.findall(answer)}
    if not values:
        return 0.0
    return 1.0 if values == {float(str(e.get("answer")))} else 0.01


def _words_in_place(gold: list[str], got: list[str]) -> float:
    """The share of the gold's words found in their place, over the longer of the two lists: reasoning-gym's
    word_sorting and letter_jumble divide by the gold's length, so the gold followed by more words scored 1."""
    return sum(1 for g, a in zip(gold, got, strict=False) if g == a) / max(len(gold), len(got), 1)


def _score_word_sorting(answer: str, e: dict[str, Any]) -> float:
    gold = list((e.get("metadata") or {}).get("sorted_words") or [])
    if not answer:
        return 0.0
    got = [w.strip() for w in re.split(r",\s*", answer)]
    if got == gold:
        return 1.0
    score = _words_in_place(gold, got)
    return max(score, 0.2) if sorted(got) == sorted(gold) else score


def _score_letter_jumble(answer: str, e: dict[str, Any]) -> float:
    gold, got = str(e.get("answer")).strip().lower(), answer.strip().lower()
    return 1.0 if got == gold else _words_in_place(gold.split(), got.split())


def _score_spell_backward(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's spell_backward scorer adds 1/n per letter in place and takes 0.2 off when the sum is 1.0 (the
    right letters followed by more); for 9, 11, 18, 20, ... letters the float sum is 1.0000000000000002, nothing
    came off and the answer passed: here the letters are counted whole."""
    gold, got = str(e.get("answer")).lower(), answer.lower()
    if got == gold:
        return 1.0
    hits = sum(1 for g, a in zip(gold, got, strict=False) if g == a)
    return 0.8 if gold and hits == len(gold) else hits / max(len(gold), 1)


def _score_number_sorting(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's number_sorting scorer lets each number be off by up to 1, so a sorted list with a number
    miscopied (81.3 for 81.8) passed; the gold holds the prompt's numbers exactly, so here they must be equal as
    numbers ('19' for '19.0')."""
    try:
        got = json.loads(answer.replace("'", '"'))
        gold = ast.literal_eval(str(e.get("answer")))
        if not isinstance(got, list) or not isinstance(gold, list):
            return 0.0
        return 1.0 if [float(n) for n in got] == [float(n) for n in gold] else 0.0
    except (ValueError, TypeError, SyntaxError):  # json's JSONDecodeError is a ValueError
        return 0.0


def _score_game_of_life(answer: str, e: dict[str, Any]) -> float:
    """reasoning-gym's game_of_life scorer counts the gold's cells found in the answer and ignores every cell beyond
    them, so the gold grid with a row appended, or a cell added to every row, scored 1.0: here the cells in place
    count over the larger of the two grids, so only the grid of the gold's shape scores 1; a cell is right when it is
    the gold's integer (JSON `true` or `1.0` for 1 is not: the prompt asks for 0 and 1)."""
    try:
        got, gold = json.loads(answer), json.loads(str(e.get("answer")))
    except ValueError:  # json's JSONDecodeError
        return 0.0
    if not isinstance(got, list) or not isinstance(gold, list) or not gold:
        return 0.0
    if not all(isinstance(row, list) for row in got + gold):
        return 1.0 if got == gold else 0.0
    # a cell is the integer 0 or 1, as the prompt asks: JSON true/false (True == 1) or 1.0 is not one (version 7)
    hits = sum(
        1 for a, g in zip(got, gold, strict=False) for x, y in zip(a, g, strict=False) if type(x) is type(y) and x == y
    )
    return hits / max(sum(map(len, got)), sum(map(len, gold)), 1)


def _only_numbers(answer: str, e: dict[str, Any]) -> bool:
    """polynomial_equations: comma-separated decimal numbers, or nothing (no real solution; the prompt's `""`)."""
    text = answer.strip()
    return text in ("", '""') or all(_DECIMAL.fullmatch(item.strip()) for item in text.split(","))


@lru_cache(maxsize=1024)
def _real_roots(expression: str, variable: str) -> tuple[Decimal, ...]:
    """The distinct real roots of a polynomial_equations item's polynomial, to 30 digits (the expression is checked as
    for the sympy scorers before sympy parses it)."""
    import sympy

    if len(variable) != 1 or not _sympy_safe(expression):
        return ()
    x = sympy.Symbol(variable)
    poly = sympy.Poly(sympy.sympify(expression, locals={variable: x}), x)
    return tuple(sorted({Decimal(str(r.evalf(30))) for r in poly.real_roots()}))


def _exact_roots_answer(e: dict[str, Any]) -> str | None:
    """A polynomial_equations item's real roots, in the library's form ("-1.1541, 0.0, 0.0231, 75.131"), where the
    library's answer misses one: it keeps the roots sympy's solve() marks real, and a root written with I (a quartic's,
    say) has `is_real` None, so -n**4 + 74*n**3 + 85*n**2 - 2*n = 0 had the answer "0.0". None for any other item, or
    when the answer holds every root (the library's stands)."""
    meta = e.get("metadata") or {}
    if meta.get("source_dataset") != "polynomial_equations":
        return None
    try:
        roots = _real_roots(str(meta.get("polynomial_expr")), str(meta.get("variable")))
        given = sorted(Decimal(item.strip()) for item in str(e.get("answer") or "").split(",") if item.strip())
    except (ArithmeticError, ValueError, TypeError, SyntaxError):
        return None
    if not roots or (
        len(given) == len(roots) and all(abs(g - r) <= Decimal("0.0001") for g, r in zip(given, roots, strict=True))
    ):
        return None
    return ", ".join(str(round(float(r), 4)) for r in roots)


def _polynomial_readings(answer: str, e: dict[str, Any]) -> str:
    """polynomial_equations' prompt asks to round to 4 decimals "rounding down when the 5th decimal place is 5 or
    greater", while the gold is round()'s: when every value of the answer is the gold's, or its root rounded half up
    or cut after the 4th decimal (toward zero), the gold itself (for the library's scorer); else the answer."""
    meta = e.get("metadata") or {}
    unit = Decimal("0.0001")
    try:
        gold = sorted(Decimal(item.strip()) for item in str(e.get("answer") or "").split(",") if item.strip())
        got = sorted(Decimal(item.strip()) for item in answer.strip().split(",") if item.strip())
        if not gold or len(got) != len(gold):
            return answer
        roots = _real_roots(str(meta.get("polynomial_expr")), str(meta.get("variable")))
        for g, a in zip(gold, got, strict=True):
            near = [r for r in roots if abs(r - g) <= unit]
            readings = {g} | {r.quantize(unit, rounding) for r in near for rounding in (ROUND_HALF_UP, ROUND_DOWN)}
            if a not in readings:
                return answer
    except (ArithmeticError, ValueError, TypeError, SyntaxError):  # not a polynomial sympy reads: the answer as given
        return answer
    return str(e.get("answer"))


def _replay_matrix(meta: dict[str, Any], anticlockwise: bool, left_right: bool) -> str:
    """manipulate_matrix's operations replayed on its matrix, each quarter turn anticlockwise (else clockwise, the
    gold's) and "Horizontally mirror" flipping each row left to right (else the rows upside down, the gold's;
    "Vertically mirror" the other way), as the gold's text."""
    m = [list(row) for row in meta["matrix"]]
    for op in meta["operations"]:
        t = op["transform"]
        if t == "rotate":
            for _ in range(int(op["degrees"]) // 90 % 4):
                turned = [list(r) for r in zip(*(m if anticlockwise else m[::-1]), strict=True)]
                m = turned[::-1] if anticlockwise else turned
        elif t in ("hmirror", "vmirror"):
            m = m[::-1] if (t == "hmirror") != left_right else [row[::-1] for row in m]
        elif t == "dmirror":
            m = [list(r) for r in zip(*m, strict=True)]
        elif t == "cmirror":
            m = [list(r) for r in zip(*[row[::-1] for row in m[::-1]], strict=True)]
        elif t == "map":
            m = [[op["to"] if x == op["from"] else x for x in row] for row in m]
        elif t == "zero_divisible":
            m = [[0 if x % op["k"] == 0 else x for x in row] for row in m]
        elif t == "crop":
            m = [row[op["col_start"] - 1 : op["col_end"]] for row in m[op["row_start"] - 1 : op["row_end"]]]
        elif t == "remove_every_nth_row":
            m = [row for i, row in enumerate(m, start=1) if i % op["n"]]
        elif t == "remove_every_nth_col":
            m = [[x for i, x in enumerate(row, start=1) if i % op["n"]] for row in m]
        else:
            raise ValueError(f"unknown operation {t!r}")
    return "\n".join(" ".join(str(x) for x in row) for row in m)


def _manipulate_matrix_reading(answer: str, e: dict[str, Any]) -> str:
    """manipulate_matrix's "Rotate the matrix 90 degrees" (or 270) names no direction, and the gold turns clockwise;
    its "Horizontally mirror" flips the rows upside down in the gold, while an image editor flips each row left to
    right ("Vertically mirror" the other way). When the answer (its rows of cells, as the library's scorer reads them)
    is the item's operations replayed under one reading of the rotations and one of the mirrors, the gold itself (for
    the library's scorer); else the answer. The same words read the same way at every step: a mix is no reading."""
    meta = e.get("metadata") or {}
    got = "\n".join(" ".join(line.split()) for line in answer.strip().split("\n"))
    try:
        readings = {_replay_matrix(meta, a, lr) for a in (False, True) for lr in (False, True)}
        if _replay_matrix(meta, False, False) != str(e.get("answer")).strip():  # not the gold's operations
            return answer
    except (KeyError, TypeError, ValueError, IndexError):
        return answer
    return str(e.get("answer")) if got in readings else answer


def _only_fraction(answer: str, e: dict[str, Any]) -> bool:
    """fraction_simplification: one fraction, `\\frac{a}{b}`, `\\dfrac{a}{b}` or `a/b` (in `$...$` or not, a full stop
    aside)."""
    return _FRACTION.fullmatch(answer.strip()) is not None


def _digit_groups(answer: str, e: dict[str, Any]) -> bool:
    """products, chain_sum: a comma or `_` in a number only between groups of three digits (`1,234`); the library
    strips every comma (and Decimal reads `_`), so `12,3` and `1,2,3` passed for 123."""
    return all(_DIGIT_GROUPS.fullmatch(m.group()) for m in _GROUPED_NUMBER.finditer(answer))


def _only_point(answer: str, e: dict[str, Any]) -> bool:
    """advanced_geometry: an orthocenter is one point, `(x, y)` (brackets and a full stop aside); the other task types'
    scorers read the whole answer as a number already."""
    if (e.get("metadata") or {}).get("task_type") != "orthocenter":
        return True
    return _POINT.fullmatch(answer.strip()) is not None


def _only_assignments(answer: str, e: dict[str, Any]) -> bool:
    """knights_knaves: only the puzzle's names, its two roles and "is", "a", "an", "and" (the library's reading:
    case, `.`, `,` and brackets aside)."""
    meta = e.get("metadata") or {}
    terms = meta.get("knight_knave_terms") or {}
    allowed = {"is", "a", "an", "and", str(terms.get("knight", "")).lower(), str(terms.get("knave", "")).lower()}
    allowed |= {str(name).lower() for name in meta.get("names") or []}
    words = re.sub(r"[.,()]", " ", answer.lower()).split()
    return all(word in allowed for word in words)


def _only_moves(answer: str, e: dict[str, Any]) -> bool:
    """sokoban: only the moves L, R, U, D (spaces or commas between them aside)."""
    return re.fullmatch(r"[LRUD]+", re.sub(r"[\s,]", "", answer)) is not None


def _only_buttons(answer: str, e: dict[str, Any]) -> bool:
    """quantum_lock: only the puzzle's button names, between `→`, `->`, commas or spaces."""
    names = {str(b.get("name", "")).upper() for b in (e.get("metadata") or {}).get("buttons") or []}
    return all(token.upper() in names for token in _BUTTON_SEPARATOR.split(answer.strip()))


def _only_binary_rows(answer: str, e: dict[str, Any]) -> bool:
    """kakurasu: each line only 0s and 1s (spaces, commas and brackets between them aside)."""
    return all(re.fullmatch(r"[01\s,\[\]]*", line) for line in answer.strip().split("\n"))


def _only_integer_rows(answer: str, e: dict[str, Any]) -> bool:
    """survo: each line only integers between spaces."""
    return all(re.fullmatch(r"-?\d+", token) for token in answer.split())


def _only_hanoi_moves(answer: str, e: dict[str, Any]) -> bool:
    """tower_of_hanoi: each line one 'Move disk X from Peg Y to Peg Z' and nothing more."""
    return all(_HANOI_MOVE.fullmatch(line.strip()) for line in answer.strip().splitlines() if line.strip())


def _each_letter_once(answer: str, e: dict[str, Any]) -> bool:
    """cryptarithm: no letter mapped to two digits (the library's dict kept the last: "E=1," before the solution
    passed); the same pair twice is one mapping."""
    seen: dict[str, int | str] = {}
    for pair in answer.split(","):
        letter, _, text = pair.partition("=")
        try:
            digit: int | str = int(text.strip())  # the library's reading: "06" is 6
        except ValueError:
            digit = text.strip()
        if seen.setdefault(letter.strip(), digit) != digit:
            return False
    return True


def _json_list_of(answer: str, kind: type) -> list[Any] | None:
    """The answer as a JSON list of `kind` items, or None (such an answer is left to the library's scorer)."""
    try:
        got = json.loads(answer)
    except ValueError:  # json's JSONDecodeError
        return None
    return got if isinstance(got, list) and all(isinstance(x, kind) for x in got) else None


def _each_partition_once(answer: str, e: dict[str, Any]) -> bool:
    """palindrome_partitioning: no partition listed twice (the library compares sets, so the gold list with a
    partition repeated scored 1.0). An answer that is not a JSON list of lists is left to the library's scorer."""
    got = _json_list_of(answer, list)
    if got is None:
        return True
    try:
        return len({tuple(p) for p in got}) == len(got)
    except TypeError:  # an unhashable item: the library's scorer fails it
        return True


def _only_jug_moves(answer: str, e: dict[str, Any]) -> bool:
    """jugs: each move one `fill X`, `empty X` or `pour X->Y` (the library reads a move's first two words and skips
    the rest: "fill A (now full)" passed). An answer that is not a JSON list of strings is left to the library's
    scorer."""
    got = _json_list_of(answer, str)
    return got is None or all(_JUG_MOVE.fullmatch(m.strip()) for m in got)


def _no_integral(answer: str, e: dict[str, Any]) -> bool:
    """simple_integration, intermediate_integration: no unevaluated `Integral` (its derivative is the integrand, so
    the question restated, `Integral(<integrand>, x) + C`, passed the library's scorer)."""
    return "Integral" not in answer


DEFAULT_SCORING = (
    "the library's exact-match scorer, an integer or truth-word gold also read in its natural forms ('6.', '$6$', "
    "'m = 62', 'false' for False)"
)


def default_scored(name: str) -> bool:
    """Whether the dataset keeps reasoning-gym's default scorer: the gold's text exactly (else partial credit)."""
    from reasoning_gym.dataset import ProceduralDataset
    from reasoning_gym.factory import DATASETS

    cls = DATASETS[name][0] if name in DATASETS else None
    return cls is not None and cls.score_answer is ProceduralDataset.score_answer


def _exact_match_reading(answer: str, e: dict[str, Any]) -> str:
    """reasoning-gym's default scorer passes only the gold's text, so a right answer written the natural way scored
    below 1: "6." or "$6$" for 6, "106,475,279,601" for 106475279601, "m = 62" for "Solve for m", "false" for False.
    When the gold is an integer or a truth word (True/False, Yes/No) and the answer is it in such a form, the gold
    itself (for the library's scorer); else the answer. A text gold (bf's output, a transformed string) stays exact:
    a full stop can be part of it."""
    gold = str(e.get("answer"))
    text = answer.strip()
    if (e.get("metadata") or {}).get("source_dataset") == "caesar_cipher" and text == f"{gold}.":
        # its prompt ends the cipher text with a full stop its gold has not (version 9: the faithful answer failed)
        return gold
    for _ in range(2):  # "$6$." or "**6.**"
        text = re.sub(r"\.$", "", text).strip()
        for left, right in (("$", "$"), ("**", "**"), ("\\(", "\\)")):
            if len(text) > len(left) + len(right) and text.startswith(left) and text.endswith(right):
                text = text[len(left) : -len(right)].strip()
    if gold.casefold() in _TRUE | _FALSE and not gold.isdigit():
        return gold if text.casefold() == gold.casefold() else answer
    if re.fullmatch(r"-?\d+", gold) is None:
        return answer
    variable = (e.get("metadata") or {}).get("variable")
    if isinstance(variable, str) and variable:
        text = re.sub(rf"^{re.escape(variable)}\s*=\s*", "", text)
    text = text.replace("\u2212", "-")
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    return gold if text == gold else answer


def _knight_swap_reading(answer: str, e: dict[str, Any]) -> str:
    """knight_swap's prompt asks for "No" or moves as ["color,from,to", ...], and the library's scorer passed only
    those exact texts: "No." and moves with spaces after the commas ("w, A2, C1") scored 0 (version 11). "No" with a
    full stop, in quotes or `**...**`, is "No"; a JSON list of moves has the spaces around each move's commas set
    aside; the moves themselves are the library's to check."""
    text = answer.strip()
    for _ in range(2):  # '"No".' or '**No.**'
        text = re.sub(r"\.$", "", text).strip()
        for mark in ('"', "**"):
            if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
                text = text[len(mark) : -len(mark)].strip()
    if text.casefold() == "no":
        return "No"
    moves = _json_list_of(answer, str)
    return answer if moves is None else json.dumps([re.sub(r"\s*,\s*", ",", m.strip()) for m in moves])


def _literal_form_reading(name: str, answer: str, e: dict[str, Any]) -> str:
    """string_insertion's prompt asks for "a string" and binary_matrix's for "a matrix of the same size", and their
    scorers gave the right one written as a Python value 0.1: the string in quotes (`"DACE"`, `'DACE'`, `` `DACE` ``)
    or the matrix as a list of rows of integers (`[[3, 2], [2, 1]]`, across lines or not) (version 12). Such an answer
    equal to the gold is the gold itself (for the library's scorer); anything else, a list of characters among them,
    stays as written. spiral_matrix ("a space-separated list of integers") and n_queens ("a board in the same format
    as the input") ask for one form and keep the library's partial credit for a list."""
    gold = str(e.get("answer"))
    text = answer.strip()
    if name == "string_insertion":
        quoted = re.fullmatch(r"([\"'`])([^\"'`]*)\1", text)
        return gold if quoted and quoted.group(2) == gold else answer
    try:
        rows = ast.literal_eval(text) if text.startswith("[") else None
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return answer
    if not (
        isinstance(rows, list)
        and rows
        and all(isinstance(row, list) and all(type(x) is int for x in row) for row in rows)
    ):
        return answer
    return gold if "\n".join(" ".join(str(x) for x in row) for row in rows) == gold else answer


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice (two values offered for it) is no JSON value here."""
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def _same_json(got: Any, gold: Any) -> bool:
    """The same JSON value, each scalar of the gold's JSON type: a number by its value (`5.0` for 5), a bool only as a
    bool (Python's `True == 1` aside), a string only as a string, null only as null."""
    if isinstance(gold, bool) or isinstance(got, bool):
        return type(got) is type(gold) and got == gold
    if isinstance(gold, int | float) or isinstance(got, int | float):
        return isinstance(got, int | float) and isinstance(gold, int | float) and got == gold
    if isinstance(gold, list) and isinstance(got, list):
        return len(got) == len(gold) and all(_same_json(a, g) for a, g in zip(got, gold, strict=True))
    if isinstance(gold, dict) and isinstance(got, dict):
        return got.keys() == gold.keys() and all(_same_json(got[k], gold[k]) for k in gold)
    return type(got) is type(gold) and got == gold


def _codeio_reading(answer: str, e: dict[str, Any]) -> str:
    """reasoning-gym's codeio scorer compares parsed JSON with == (`1` passed for `true`) and else by a tree whose
    labels are the values' text (`"35"` passed for 35, `"None"` for null), and a list or number not written as the
    gold's text scored 0 (`[[2,3,1]]` for `[[2, 3, 1]]`, `5.0` for 5). When the answer is the gold's JSON value (see
    `_same_json`; no key given twice), the gold itself (for the library's scorer); else the answer, whose score
    `score` keeps below 1."""
    gold = str(e.get("answer"))
    try:
        same = _same_json(json.loads(answer, object_pairs_hook=_json_pairs), json.loads(gold))
    except (ValueError, RecursionError):  # not JSON (json's JSONDecodeError is a ValueError), or a key given twice
        return answer
    return gold if same else answer


CODEIO_MAX_OTHER = 0.99  # the library's partial credit for a codeio answer that is not the gold's JSON value


# Datasets thinkmill scores itself, where the library's scorer passes wrong answers (docs/verifiers.md).
_OWN_SCORERS = {
    "puzzle24": _score_puzzle24,
    "countdown": _score_countdown,
    "coin_flip": _score_coin_flip,
    "gsm_symbolic": _score_gsm_symbolic,
    "word_sorting": _score_word_sorting,
    "spell_backward": _score_spell_backward,
    "number_sorting": _score_number_sorting,
    "letter_jumble": _score_letter_jumble,
    "decimal_arithmetic": _score_decimal_arithmetic,
    "time_intervals": _score_time_intervals,
    "pool_matrix": _score_pool_matrix,
    "figlet_font": _score_figlet_font,
    "game_of_life": _score_game_of_life,
    "number_format": _score_number_format,
}


# Datasets whose scorer reads the parts of an answer it recognises and skips the rest, so junk or an explanation
# around a right solution passed (and the stored row kept it): an answer that is not only the solution, in the form
# the prompt asks for, scores 0 before the library's scorer sees it (docs/verifiers.md).
_ANSWER_FORMS = {
    "polynomial_equations": _only_numbers,
    "fraction_simplification": _only_fraction,
    "advanced_geometry": _only_point,
    "knights_knaves": _only_assignments,
    "sokoban": _only_moves,
    "quantum_lock": _only_buttons,
    "kakurasu": _only_binary_rows,
    "survo": _only_integer_rows,
    "tower_of_hanoi": _only_hanoi_moves,
    "cryptarithm": _each_letter_once,
    "simple_integration": _no_integral,
    "intermediate_integration": _no_integral,
    "palindrome_partitioning": _each_partition_once,
    "jugs": _only_jug_moves,
    "products": _digit_groups,
    "chain_sum": _digit_groups,
}
# Datasets whose scorer compares the value (reasoning-gym's compute_decimal_reward) but not `$6$` or `**6**`: an integer
# gold is read in its natural forms, as for the exact-match datasets (`_exact_match_reading`).
_INTEGER_SCORERS = frozenset({"products", "chain_sum"})
# Datasets whose answer is a grid (or a row of one): the right grid fenced in ``` or with a space after a line scored
# 0 or partial credit (futoshiki's, mini_sudoku's and sudoku's scorers cut the score by the answer's length over the
# gold's, version 10; rotate_matrix and modulo_grid match the text exactly; binary_matrix and n_queens refused it as
# unsafe), and arc's under the "Output:" line its examples write. Their answers are scored without a fence around the
# whole answer and each line's trailing spaces (arc_agi, rearc: a leading "Output:" line too; version 11).
_GRID_ANSWERS = frozenset(
    {
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
    }
)
_ARC_HEADING = re.compile(r"output(?: grid)?[ \t]*:[ \t]*\n", re.IGNORECASE)  # its examples' "Output:" line
_FENCE = re.compile(r"```[\w+-]*[ \t]*\n(.*)\n[ \t]*```", re.DOTALL)  # a fence around the whole answer


def _grid_reading(name: str, answer: str) -> str:
    """A grid dataset's answer without a fence around it, each line's trailing spaces, and (arc_agi, rearc) a leading
    "Output:" or "Output grid:" line; its rows and cells as written."""
    text = answer.strip()
    for _ in range(2):  # "Output:" then a fence, or the other way round
        heading = _ARC_HEADING.match(text) if name in ("arc_agi", "rearc") else None
        text = text[heading.end() :] if heading else text
        fenced = _FENCE.fullmatch(text)
        text = fenced.group(1) if fenced else text
    return "\n".join(line.rstrip() for line in text.split("\n"))


def score(recipe: Recipe, answer: str, e: dict[str, Any]) -> float:
    """The dataset's own score of `answer` for entry `e` (0..1). Raises whatever the scorer raises, and
    UnsafeAnswer for an answer the scorer would evaluate as code."""
    name = (e.get("metadata") or {}).get("source_dataset", recipe.dataset)
    if name == "game_of_life_halting":
        got, gold = _truth(answer), _truth(str(e.get("answer")))
        return 1.0 if got is not None and got == gold else 0.0
    if name == "advanced_geometry" and (e.get("metadata") or {}).get("task_type") in _GEOMETRY_VALUES:
        return _score_geometry_value(answer, e)
    if name in _GRID_ANSWERS:
        answer = _grid_reading(name, answer)
    if name in ("string_insertion", "binary_matrix"):
        answer = _literal_form_reading(name, answer, e)
    if unsafe_answer(name, answer, e):
        raise UnsafeAnswer(name)
    if name in EVAL_SCORERS and not _eval_scored(answer, e):
        # no Python expression (a grid missing a row, a wrong string) or a bare name: eval() would raise and the
        # scorer give 0; it is never handed over, and fails as a mismatch, not as unsafe (version 11)
        return 0.0
    own = _OWN_SCORERS.get(name)
    if own is not None:
        return own(answer, e)
    form = _ANSWER_FORMS.get(name)
    if form is not None and not form(answer, e):
        return 0.0
    if name == "knight_swap":
        e = _knight_swap_entry(e) or e
        answer = _knight_swap_reading(answer, e)
    if name == "polynomial_equations":
        e = {**e, "answer": _exact_roots_answer(e) or e.get("answer")}
        answer = _polynomial_readings(answer, e)
    elif name == "codeio":
        answer = _codeio_reading(answer, e)
    elif name == "manipulate_matrix":
        answer = _manipulate_matrix_reading(answer, e)
    elif default_scored(name) or name in _INTEGER_SCORERS:
        answer = _exact_match_reading(answer, e)
    ds = dataset(recipe.dataset, recipe.config, recipe.seed, recipe.size)
    value = float(ds.score_answer(answer=answer, entry=e))
    if math.isnan(value):
        return 0.0
    if name == "codeio" and answer.strip() != str(e.get("answer")).strip():  # only the gold's value scores 1 (v8)
        value = min(value, CODEIO_MAX_OTHER)
    return min(1.0, max(0.0, value))


def config_parameters(name: str) -> dict[str, Any]:
    """The dataset's config fields and defaults (for `thinkmill verifiers list`)."""
    import dataclasses

    from reasoning_gym.factory import DATASETS

    _cls, config_cls = DATASETS[name]
    out: dict[str, Any] = {}
    if dataclasses.is_dataclass(config_cls):
        for f in dataclasses.fields(config_cls):
            if f.name in ("seed", "size"):
                continue
            if f.default is not dataclasses.MISSING:
                default: Any = f.default
            elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
                default = f.default_factory()  # type: ignore[misc]
            else:
                default = None
            out[f.name] = (
                default
                if isinstance(default, str | int | float | bool | type(None))
                else json.loads(json.dumps(default, default=str))
            )
    return out


if __name__ == "__main__":  # the child of `generate` for hash-seed-dependent datasets
    _child_main(sys.argv[1])
