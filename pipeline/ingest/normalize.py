"""Map one raw row onto the task contract, or say (machine-readably) why it cannot be a task.

Resolution order for each task field: the source's `mapping`, then the row's common layouts, then the
source's `defaults`. Common layouts that need no mapping:

- task contract itself: id / prompt / answer / domain / verifier / verifier_args / license / metadata
- `{"problem", "solution" | "answer"}`: math (the answer is the `\\boxed{}` value of a solution when no answer;
  a solution that boxes two different values is quarantined: the reference would be ambiguous)
- `{"question", "choices" | "options", "answer" | "answerKey"}`: mcq; choices as a list, a letter -> text object
  or ARC's `{label, text}`, or one column per option (mapped, or a series such as `answerA..C` / `opa..opd`:
  `option_columns`); the answer as a letter, label, 0-based index or option text, stored as the letter. The
  options are added to the prompt (`A. text` lines) unless it lists them. A `label` / `answerKey` answer without
  options is quarantined.
- `{"prompt", "tests" | "test_list" | "input_output"}`: code (MBPP, HumanEval with `entry_point`, APPS/TACO with
  `starter_code`; see `code_tests`)
- chat `{"messages": [...]}`: its user turn is the prompt; an assistant turn after it is the answer (a chat of
  several user turns is quarantined `multi_turn`: examples are single-turn); beside a `prompt` column that is its
  first user turn (UltraChat, no_robots), the chat up to the reply to it

A source's `answer_regex` keeps the first capture group of the answer, the whole text going to
`metadata.solution`; without one, an answer whose last line is GSM8K's `#### 42` is read the same way. A solution
without `\boxed{}` gives the answer of such a last line, or of the sentence that ends it ("The answer is: 42",
MetaMathQA and MathInstruct: `STATED_ANSWER`). A verifier
that compares with a reference (math, mcq, exact, numeric, and any plugin) needs a non-blank answer: a row without
one is quarantined `missing_field:answer`, never generated.

Columns not used for a task field are kept in `metadata`.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import itertools
import json
import math
import re
import tokenize
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import polars as pl
import xxhash

from pipeline.dedup.normalize import normalize_series
from pipeline.domains import DOMAIN_OF_VERIFIER
from pipeline.ingest.choices import (
    ASKS_TO_PICK,
    COUNTS_THE_LIST,
    LETTER_ANSWER,
    LETTER_WITH_TEXT,
    LETTERS,
    NUMPY_TEXT,
    RELATION,
    ChoiceError,
    IndexSeen,
    NumberedOptions,
    around_listed_options,
    asks_for_several_options,
    bare_question,
    cyrillic_label_answer,
    cyrillic_options_in_prompt,
    latex_letter_answer,
    listed_option_with_text,
    lists_letters,
    numbered_options_asking_number,
    numbered_options_in_prompt,
    options_in_prompt,
    options_in_text,
    options_listed_otherwise,
    parse_choices,
    phrased_letter,
    question_of,
    refers_to_options,
    resolve_answer,
    several_letters,
    shows_options,
    shuffled,
    shuffled_letters,
    typed_multi_select,
    with_options,
)
from pipeline.ingest.code_tests import (
    Script,
    TestsProblem,
    code_prompt,
    code_tests,
    is_case_list,
    prompt_prelude,
    setup_code,
)
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.errors import IngestError
from pipeline.ingest.if_truth import IfTruthError, if_constraints
from pipeline.ingest.media import PLACEHOLDER, find_media, media_part, media_stub
from pipeline.ingest.readers import MAX_DEPTH, value_problem
from pipeline.store import to_json
from pipeline.trace import THINK_SYSTEM_PROMPT, find_template_token, parse_trace

# What NuminaMath-1.5 and OpenR1-Math put in `answer` for a proof problem (`proof`) or one without a final answer
# (`notfound`): no response's final answer can match it under the math or numeric verifier
PLACEHOLDER_ANSWERS = frozenset(("proof", "notfound", "not found"))
# what pandas (`to_csv` of a NaN, `<NA>`) and spreadsheets (`#N/A`) write for a missing cell, in lower case: a math or
# numeric answer so written is missing (an `exact` task may expect the text, e.g. `N/A`)
MISSING_ANSWERS = frozenset(("nan", "-nan", "n/a", "#n/a", "null", "<na>"))
# text columns that hold the prompt in layouts whose prompt column is no alias (BIG-Bench Hard's `input`, FLAN's and
# Super-NaturalInstructions' `inputs`, Winogrande's `sentence`): named in the quarantine detail of a row without a
# prompt, never guessed (Alpaca's `input` is the text an instruction is about)
PROMPT_LIKE = ("input", "inputs", "text", "content", "sentence", "ctx", "goal")  # HellaSwag's ctx, PIQA's goal
# columns named like an answer that are no alias (WebQuestions' `answers`, natural_reasoning's `reference_answer`):
# their answers may be lists or free-form text, so they are named in the quarantine detail, never guessed
ANSWER_LIKE = frozenset(
    ("answers", "reference_answer", "ground_truth", "gold_answer", "best_answer", "correct_answers", "reference")
)
VERIFIERS_WITHOUT_ANSWER = ("code", "ifeval", "json_schema", "judge", "regex", "reasoning_gym")

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("task_id", "id", "uid", "problem_id", "question_id", "_id"),
    "prompt": ("prompt", "problem", "question", "instruction", "query", "question_stem"),  # OpenBookQA's stem
    # `correct`: AQuA-RAT's and MathQA's option key; `cop`, `correct_option`: MedMCQA's and LogiQA's option index
    "answer": (
        "answer",
        "final_answer",
        "gold",
        "target",
        "expected_answer",
        "label",
        "answerKey",
        "correct",
        "cop",
        "correct_option",
        "final_decision",  # PubMedQA's yes / no / maybe (`DECISION_ANSWERS`)
    ),
    "solution": ("solution", "response", "output", "completion"),
    "choices": ("choices", "options", "endings"),  # HellaSwag: `endings`
    "tests": ("tests", "test", "test_list", "test_cases", "input_output", "test_code", "verification_info"),
    # read beside a code task's tests, and kept in metadata: HumanEval's function name, APPS/TACO's starter code
    "entry_point": ("entry_point",),
    "starter_code": ("starter_code",),
    # the function typed function-call cases call (LiveCodeBench keeps it in its `metadata` JSON, read there too)
    "fn_name": ("func_name", "fn_name"),
    # MBPP: what its tests need run first (sanitized: `test_imports`, a list; full: `test_setup_code`)
    "test_setup": ("test_imports", "test_setup_code"),
    "messages": ("messages", "conversation", "conversations"),
    # a task's own system prompt (OpenOrca's `system_prompt`); a chat's system turn is read as one too
    "system": ("system", "system_prompt"),
    "domain": ("domain",),
    "verifier": ("verifier",),
    "verifier_args": ("verifier_args",),
    "license": ("license", "licence"),
    "metadata": ("metadata",),
    # IFEval's own layout (google/IFEval): the constraints as two columns, which become the ifeval verifier's
    # verifier_args; `kwargs` is only read beside `instruction_id_list` (elsewhere it is an ordinary column)
    "instruction_id_list": ("instruction_id_list",),
    "kwargs": ("kwargs",),
    # the other answers `exact` accepts, in a column of their own (a flattened TriviaQA, a user's CSV): read beside
    # an exact or unnamed verifier, or when mapped (`_alias_column`)
    "aliases": ("aliases",),
}
_JSONISH = ("choices", "tests", "verifier_args", "metadata", "messages", "instruction_id_list", "kwargs")
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
# MATH's `\boxed 13` (a value without braces, up to the end of its math: `$x=\boxed 13$`), which its own
# `last_boxed_only_string` reads as `\fbox{}` too
_BOXED_BARE = re.compile(r"\\boxed[ \t]+([^\s{$][^$\n]*?)\s*(?=\$|\\\]|\\\))")
# GSM8K's answer layout: a rationale, then the final answer on the last line after `####` (`...\n#### 72`)
FINAL_ANSWER_MARK = re.compile(r"(?:^|\n)[ \t]*####[ \t]*(\S[^\n]*?)\s*\Z")
# MetaMathQA's and MathInstruct's solutions end with a sentence that states the answer ("The answer is: 110", "The
# answer is 12."): the last sentence of the text, on its last line, a short value
STATED_ANSWER = re.compile(
    r"(?:^|\n|(?<=[.!?])[ \t]+)The (?:final )?answer is:?[ \t]+(\S(?:(?![.!?][ \t])[^\n]){0,59}?)[ \t]*\.?\s*\Z"
)


# a short answer written as the sentence that states it ("Answer: 42", "The final answer is 48.", "Final answer: $49$"):
# a math or numeric reference is its value (the sentence was the reference, and no response could pass it)
STATES_ITS_VALUE = re.compile(
    r"\s*(?:the\s+)?(?:final\s+|correct\s+)?answer(?:\s+is\s*:?|\s*:)\s*(?P<value>\S(?:.*\S)?)\s*",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Rejected:
    """Why a row is quarantined: `reason` is machine-readable, `detail` is for people."""

    reason: str
    detail: str


def _question_and_options(
    prompt: str, verifier_args: dict[str, Any], question: Callable[[str, dict[str, str]], str] = question_of
) -> tuple[str, dict[str, str]] | None:
    """An MCQ's question and options (None for other tasks). A stored prompt holds the options block ingest added:
    it is dropped (`question`), so a stored task and the same row read again (from the source's own prompt) have one
    key."""
    choices = verifier_args.get("choices")
    if not isinstance(choices, dict) or not choices:
        return None
    opts = {str(k): str(v) for k, v in choices.items()}
    return question(prompt, opts), opts


def prompt_key(prompt: str, verifier_args: dict[str, Any]) -> str:
    """The key of `prompt_hash` (and hash ids): the prompt, plus the choices of an MCQ by letter (same stem, other
    choices = another task)."""
    mcq = _question_and_options(prompt, verifier_args)
    if mcq is None:
        return prompt
    question, opts = mcq
    return question + "\n" + "\n".join(f"{k}. {v}" for k, v in sorted(opts.items()))


def dedup_key(prompt: str, verifier_args: dict[str, Any]) -> str:
    """The text the dedup engine compares a task by: the prompt, and an MCQ's question with its options' texts in
    sorted order, without letters. The same question with its options in another order (a shuffled copy of a
    benchmark) is then an exact duplicate; other options make another task. (`prompt_key`, which keeps the options
    by letter, stays the key of `prompt_hash`: ids and re-ingest follow a row as lettered.) The question is the
    prompt without its options wherever it lists them (`bare_question`: ingest's appended block, or the prompt's own
    `A) ...` list), so the same question in two layouts is one text; `prompt_key` takes off only ingest's block, so
    the hashes of stored tasks stay as they were."""
    mcq = _question_and_options(prompt, verifier_args, bare_question)
    if mcq is None:
        return prompt
    question, opts = mcq
    return question + "\n" + "\n".join(sorted(opts.values()))


_decode_json = msgspec.json.decode  # verifier_args as ingest writes them (`store.to_json`): 2x json.loads' speed


def with_mcq_dedup_keys(texts: pl.Series, prompts: pl.Series, verifier_args: pl.Series, mcq: pl.Series) -> pl.Series:
    """`texts` with each MCQ row's (`mcq`) replaced by its `dedup_key`, from its prompt and its verifier_args as
    JSON text: staging and the stored tasks' read-back make the engine's texts alike."""
    mcq = mcq.fill_null(False)
    if not mcq.any():
        return texts
    rows = mcq.arg_true()
    keys = [
        dedup_key(p, _decode_json(va))
        for p, va in zip(prompts.gather(rows).to_list(), verifier_args.gather(rows).to_list(), strict=True)
    ]
    return texts.scatter(rows, pl.Series(keys, dtype=pl.String))


def prompt_hashes(keys: list[str]) -> list[str]:
    """Hash of each normalised key, normalised in bulk (the per-text path is ~100x slower)."""
    norm = normalize_series(pl.Series("k", keys, dtype=pl.String)).to_list()
    return [xxhash.xxh3_128_hexdigest(n.encode("utf-8")) for n in norm]


def finish_ids(tasks: list[dict[str, Any]]) -> None:
    """Fill `prompt_hash` and, for rows without a source id, the hash-based `task_id`, for a batch at once."""
    hashes = prompt_hashes([t["dedup_text"] for t in tasks])
    for t, h in zip(tasks, hashes, strict=True):
        t["prompt_hash"] = h
        if t["task_id"] is None:
            t["task_id"] = f"{t['source']}/h{h[:16]}"


def lookup(record: dict[str, Any], path: str) -> tuple[bool, Any]:
    """(found, value) of a column, or of a path into nested objects (`answer.value`), as a mapping names one."""
    cur: Any = record
    if path in record:
        return True, record[path]
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return False, None
    return True, cur


class _TooDeep(Exception):
    """A JSON-text field nests deeper than MAX_DEPTH (raised by `_maybe_json`, quarantined as `too_deep`)."""


class _NumpyText(_TooDeep):
    """A list or object field written as a numpy array's text (raised by `_maybe_json`, quarantined as
    `wrong_type:<field>`; where `_TooDeep` is passed over, so is this)."""


_PY_LITERAL_MAX_CHARS = 1 << 20


def _python_literal(value: str) -> Any:
    """A list or dict written as a Python literal (pandas' `to_csv` of a list column: `['Venus', "Saturn's
    moon"]`), or None. Adjacent string literals (a numpy array's text, `['Venus' 'Mars']`) would be joined into one
    string: refused."""
    if len(value) > _PY_LITERAL_MAX_CHARS:
        return None
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(value).readline) if t.type != tokenize.NL]
        if any(a.type == b.type == tokenize.STRING for a, b in itertools.pairwise(tokens)):
            return None
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, tokenize.TokenError):
        return None
    return parsed if isinstance(parsed, list | dict) else None


def _maybe_json(field: str, value: Any) -> Any:
    """CSV (and some JSONL) carry lists/objects as JSON text, or as Python literals (pandas)."""
    if field in _JSONISH and isinstance(value, str) and value[:1] in "[{":
        try:
            parsed = json.loads(value)
        except RecursionError:
            raise _TooDeep(field) from None
        except ValueError:  # not JSON (or an integer over Python's digit limit): a Python literal, else the text
            parsed = _python_literal(value)
            if parsed is None:
                if field != "metadata" and NUMPY_TEXT.search(value):
                    raise _NumpyText(field) from None
                return value
        problem = value_problem(parsed)
        if problem is not None:
            if problem[0] == "too_deep":
                raise _TooDeep(field)
            return value
        return parsed
    return value


def quoted_list_text(value: str) -> bool:
    """Whether an answer text may be a list of quoted texts written as JSON or a Python literal (the cheap test the
    bulk path uses to send such rows to `normalize_record`)."""
    return value[:1] == "[" and value.rstrip()[-1:] == "]" and ("'" in value or '"' in value)


def _listed_texts(value: str) -> list[str] | None:
    """An answer text that is a list of texts, `["13"]` or `['Bobby Scott', 'Bob Russell']` (pandas' `to_csv` of
    NQ-open's answer column), as that list; None for any other text (an interval `[-1, 1]` is a value)."""
    if not quoted_list_text(value):
        return None
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        parsed = _python_literal(value)
    if isinstance(parsed, list) and parsed and all(isinstance(v, str) for v in parsed):
        return parsed
    return None


def _boxed_at(text: str, i: int) -> str | None:
    depth = 1
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i:j].strip()
    return None


def _boxes(text: str) -> list[str | None]:
    """The contents of every box, in order: `\\boxed{...}` and `\\fbox{...}` (balanced braces; None when never
    closed) and MATH's `\\boxed 13` (`_BOXED_BARE`)."""
    found = [(m.start(), _boxed_at(text, m.end())) for m in _BOXED.finditer(text)]
    if "\\boxed " in text or "\\boxed\t" in text:
        found += [(m.start(), m.group(1)) for m in _BOXED_BARE.finditer(text)]
        found.sort(key=lambda box: box[0])
    return [value for _start, value in found]


def has_box(text: str) -> bool:
    """Whether `text` boxes a value as `_boxes` reads one."""
    return _BOXED.search(text) is not None or _BOXED_BARE.search(text) is not None


def last_boxed(text: str) -> str | None:
    """Content of the last `\\boxed{...}` (balanced braces; also `\\fbox{...}` and MATH's `\\boxed 13`), the usual
    final answer of a MATH solution."""
    boxes = _boxes(text)
    return boxes[-1] if boxes else None


def boxed_values(text: str) -> list[str]:
    """The distinct non-empty contents of every box (`_boxes`), in order of first appearance."""
    out: list[str] = []
    for value in _boxes(text):
        if value and value not in out:
            out.append(value)
    return out


# the largest integer a float64 holds with every integer below it: past it a float may not be the integer written
EXACT_FLOAT_INTEGERS = 2**53


def float_answer_held(v: Any) -> bool:
    """Whether `repr(v)` is a reference answer: true for all but a NaN, an infinity (`Infinity`, an overflowing
    `1e400`) and a whole float past 2**53 (pandas' float64 of an integer column with a null: 2**70 reads
    `1.1805916207174113e+21`, not the integer written). The columnar path sends those rows to `normalize_record`."""
    return type(v) is not float or (math.isfinite(v) and not (v.is_integer() and abs(v) > EXACT_FLOAT_INTEGERS))


def _text(v: Any) -> str | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return repr(v) if isinstance(v, float) else str(v)
    return v if isinstance(v, str) else None


# Columns holding the text a row's instruction or question is about; added to the prompt after a blank line.
CONTEXT_COLUMNS = ("input", "context", "passage", "article", "story", "paragraph")
# Names that may also hold the text a task asks for (WritingPrompts' `story`, a news set's `article`): added only
# beside a reference answer or choices, where the row is a question about the text (RACE, MultiRC)
_CONTEXT_BESIDE_ANSWER = frozenset(("article", "story", "paragraph", "dialogue", "dialog"))
# Names of a column holding the text a question is about, in any case (SVAMP's `Body`, an NLI set's `premise`): one
# left out of the prompt makes the row `needs_context` (`article`, `story`, `paragraph`, `dialogue` only beside an
# answer: a chat corpus's `dialog` may be the task itself)
CONTEXT_NAMES = frozenset(
    ("context", "passage", "article", "story", "paragraph", "body", "document", "background", "premise", "scenario")
) | {"hint", "table", "dialogue", "dialog"}  # ScienceQA's `hint` holds the text many of its questions are about;
# TabMWP's `table` its data; DREAM's `dialogue` the turns its questions ask about
# A prompt that refers to a text it should hold ("According to the passage", "in the article above"); with a long text
# column of the row left out of the prompt, the text is most likely there (`needs_context`). Python and polars
# (Rust) regex alike: the columnar path sends such rows to the per-row check.
# a text a prompt points at above it ("the story above", "the above email"): one in an earlier turn of a chat, which
# is not sent (a task is one user turn), or lost with the row's context
_TEXT_ABOVE_NOUNS = (
    r"(?:passage|article|story|paragraph|excerpt|poem|text|essay|e-?mail|letter|review|speech|dialog(?:ue)?"
    r"|conversation|transcript|lyrics|song|code|snippet|program|sentence|message|document|quot(?:e|ation))s?"
)
_TEXT_ABOVE = rf"(?:the|this) {_TEXT_ABOVE_NOUNS} above|the above {_TEXT_ABOVE_NOUNS}"
REFERS_TO_TEXT = (
    r"(?i)\b(?:(?:according to|based on|in|from|of|using|after reading|read) (?:the|this) "
    r"(?:above |following |given |preceding |provided |previous )?(?:passage|article|story|paragraph|excerpt)s?"
    rf"|{_TEXT_ABOVE})\b"
)
_REFERS_TO_TEXT = re.compile(REFERS_TO_TEXT)
# the references of REFERS_TO_TEXT that can only mean a text given with the question ("according to the passage",
# "in the above article"; not "in the story", which may be a known one, nor "the story of Genesis")
_POINTS_AT_TEXT = re.compile(
    r"(?i)\b(?:(?:according to|based on|after reading|read) (?:the|this) (?:above |following |given |preceding "
    r"|provided |previous )?(?:passage|article|story|paragraph|excerpt)s?|(?:in|from|of) (?:the|this) (?:above "
    r"|following |given |preceding |provided |previous )(?:passage|article|story|paragraph|excerpt)s?|(?:in|from) "
    rf"the (?:passage|paragraph|excerpt)s?|{_TEXT_ABOVE})\b(?!\s+(?:of|about|by|from|titled|called|named)\b"
    r"|\s*[\"'“‘«])"
)
# A prompt about a figure ("As shown in the figure, ...", "In the diagram, ...", "the graph below", "Figure 2"): with no
# figure in the row, the model answers about a drawing it never sees (`refers_to_figure`, `needs_image`). Not a graph
# or an image defined in the text ("the graph of y = x^2", "in the graph G", "the image of the point under f").
# "graph" only where it is shown: "a node in the graph" is a graph of the text.
# a chart's or plot's kind: "the bar graph", "the stem-and-leaf plot" (a bare "plot" or "graph" only where it is shown:
# "on the plot" is land, "in the graph" may be the text's graph)
_KIND = (
    r"(?:(?:bar|line|pie|circle|dot|box|scatter|stem-and-leaf|box-and-whisker|double\s+bar|double\s+line|frequency)"
    r"\s+)"
)
_DRAWING = (
    rf"(?:{_KIND}?(?:chart|diagram)|{_KIND}(?:graph|plot)|figure|picture|image|photo(?:graph)?|illustration|drawing"
    r"|sketch|histogram|pictograph)s?"
)
_FIGURE = (
    rf"(?:{_KIND}?(?:graph|plot|chart|diagram)|figure|picture|image|photo(?:graph)?|illustration|drawing|sketch"
    r"|histogram|pictograph)s?"
)
_REFERS_TO_FIGURE = re.compile(
    r"(?i)\b(?:(?:in|from|on|see|using|use|based\s+on|according\s+to|look\s+at|refer\s+to|consider)\s+(?:the|this)\s+"
    rf"(?:above\s+|following\s+|given\s+|accompanying\s+|attached\s+|provided\s+|adjoining\s+|adjacent\s+)?{_DRAWING}"
    r"(?!\s+(?:of|under|for|with|(?-i:[A-Z])\b|\$))"
    rf"|(?:shown|depicted|illustrated|pictured|drawn)\s+(?:in|on)\s+(?:the\s+)?(?:above\s+|following\s+)?{_FIGURE}"
    rf"|the\s+{_FIGURE}\s+(?:below|above|shows|illustrates|depicts)"
    r"|(?-i:Figure|Fig\.)\s*\d+)\b"
)
# Rust regex for the bulk path's filter (no look-around): wider than `_REFERS_TO_FIGURE` (the per-row path decides)
REFERS_TO_FIGURE = (
    rf"(?i)(?:\b(?:in|from|on|see|using|use|to|at|consider)\s+(?:the|this)\s+(?:[\w-]+\s+)?{_FIGURE}"
    rf"|(?:shown|depicted|illustrated|pictured|drawn)\s+(?:in|on)\s+(?:the\s+)?(?:[\w-]+\s+)?{_FIGURE}"
    rf"|the\s+{_FIGURE}\s+(?:below|above|shows|illustrates|depicts)|\bfig(?:ure|\.)\s*\d)"
)
# a figure the prompt holds as text: Asymptote or TikZ code, SVG, a code block (ASCII art) or a Markdown table
_HOLDS_FIGURE = re.compile(r"(?i)\[asy\]|\\begin\{(?:tikzpicture|picture)\}|<svg\b|```|^\s*\|.*\|\s*$", re.MULTILINE)


def refers_to_figure(prompt: str) -> str | None:
    """The words by which `prompt` refers to a figure it does not hold ("in the figure", "The figure shows"), or None
    (also when it holds one as text: Asymptote or TikZ code, SVG, a code block, a Markdown table)."""
    m = _REFERS_TO_FIGURE.search(prompt)
    if m is None or _HOLDS_FIGURE.search(prompt):
        return None
    return m.group(0)


# A prompt about a table given with it ("The table below shows ...", "According to the table, ...", "Refer to Table
# 2."): with no table in the prompt, the model answers about numbers it never sees (`refers_to_table`,
# `needs_context`). Not a table of the text's world ("on the table", "the periodic table", "table tennis", "a table
# of values").
_TABLE_QUALIFIER = r"(?:above\s+|following\s+|given\s+|accompanying\s+|attached\s+|provided\s+|preceding\s+)?"
_TABLE_KIND = r"(?:frequency\s+|two-way\s+|data\s+)?"
_REFERS_TO_TABLE = re.compile(
    r"(?i)\b(?:(?:in|from|using|use|see|according\s+to|based\s+on|look\s+at|refer\s+to|consider|shown\s+in|given\s+in"
    rf"|listed\s+in|recorded\s+in)\s+(?:the|this)\s+{_TABLE_QUALIFIER}{_TABLE_KIND}tables?"
    r"(?!\s+(?:of|for|with|tennis|cloth|top|spoon|salt|leg|lamp|manners|setting|wine|saw)\b|-)"
    rf"|the\s+following\s+{_TABLE_KIND}tables?"
    rf"|the\s+{_TABLE_KIND}tables?\s+(?:below|above|shows?|lists?|gives?|records?|displays?|summari[sz]es|contains?"
    r"|presents?)"
    r"|(?:in|see|from|using|to|of)\s+(?-i:Table)\s*\d+)\b"
)
# Rust regex for the bulk path's filter: wider than `_REFERS_TO_TABLE` (the per-row path decides)
REFERS_TO_TABLE = (
    r"(?i)(?:\b(?:in|from|using|use|see|to|at|on|consider)\s+(?:the|this)\s+(?:[\w-]+\s+)?tables?"
    r"|the\s+(?:[\w-]+\s+)?tables?\s+(?:below|above|show|list|give|record|display|summari|contain|present)"
    r"|\btable\s*\d)"
)
# a table the prompt holds: Markdown, LaTeX (`tabular`, `array`, `\hline`), HTML, two lines with `|` or tabs (TabMWP's
# `Name | Laps`), a code block, or two lines of several values each ("x: 1 2 3")
_HOLDS_TABLE = re.compile(
    r"(?i)\\begin\{(?:tabular|array)|<table\b|\\hline|```|^[^\n]*[|\t][^\n]*\n\s*[^\n]*[|\t]"
    r"|^[^\n]*\d[^\n\d]+\d[^\n]*\n\s*[^\n]*\d[^\n\d]+\d",
    re.MULTILINE,
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
# a prompt with this many numbers besides its reference holds the table's values in its words ("The table shows the
# prices: apples $2, pears $3, plums $1 and figs $4."); so do two short lines with a number each ("Ann  85\nBob  90")
_TABLE_VALUES = 4
_VALUE_LINES = re.compile(r"^[^\n\d]{0,60}\d[^\n]{0,60}\n[^\n\d]{0,60}\d[^\n]{0,60}$", re.MULTILINE)
# options listed in the prompt ("A. 5", "(B) 6"): their numbers are no table's values
_OPTION_VALUE = re.compile(r"(?m)(?:^|(?<=\s))\(?[A-Ha-h][.)]\s*[^\s()]+")


def refers_to_table(prompt: str) -> str | None:
    """The words by which `prompt` refers to a table it does not hold ("The table below", "According to the table",
    "to Table 2"), or None: also when it holds a table as text, two short lines with a number each, or
    _TABLE_VALUES numbers besides the reference and any listed options."""
    m = _REFERS_TO_TABLE.search(prompt)
    if m is None or _HOLDS_TABLE.search(prompt):
        return None
    rest = _OPTION_VALUE.sub("", prompt[: m.start()] + " " + prompt[m.end() :])
    if len(_NUMBER.findall(rest)) >= _TABLE_VALUES or _VALUE_LINES.search(rest):
        return None
    return m.group(0)


# A prompt that builds on another problem it does not hold: a later part of a multi-part problem ("Using your answer
# from part (a)", "(b) Hence find x."), "the previous question", a textbook's "Repeat Exercise 12" (`needs_context`)
_HENCE_VERBS = (
    r"(?:find|show|prove|deduce|compute|calculate|determine|evaluate|solve|write|explain|use|obtain|verify|state"
    r"|sketch|express|give)"
)
_OTHER_PROBLEM = re.compile(
    r"(?i)\b(?:previous|preceding)\s+(?:problem|question|exercise|part)\b"  # "the previous examples": the prompt's own
    r"|\b(?:from|in|of|using|use|to)\s+part\s*\(\s*(?P<part>[a-h])\s*\)"
    r"|^\s*(?:\(?[a-h]\)\s*|part\s*\(?[a-h]\)?\s*[:.]?\s*)?(?P<hence>(?:hence|thus|therefore),?\s+"
    + _HENCE_VERBS
    + r")\b"
    r"|\b(?:repeat|redo|see|use|using|from|in|as\s+in|of|to)\s+(?P<ref>(?-i:Exercise|Example|Problem|Question)\s*\d+)"
)
# Rust regex for the bulk path's filter: wider than `_OTHER_PROBLEM` (the per-row path decides)
OTHER_PROBLEM_POLARS = (
    r"(?i)(?:previous|preceding)\s+(?:problem|question|exercise|example|part)|part\s*\(\s*[a-h]\s*\)"
    r"|^\s*(?:\(?[a-h]\)\s*|part\s*\(?[a-h]\)?\s*[:.]?\s*)?(?:hence|thus|therefore)\b"
    r"|(?:exercise|example|problem|question)\s*\d"
)


def refers_to_other_problem(prompt: str) -> str | None:
    """The words by which `prompt` builds on another problem it does not hold ("from part (a)", "previous question",
    "Hence find", "Repeat Exercise 12"), or None: also when the prompt holds the part it names (a line opening with
    "(a)" or "Part (a)") or the exercise or example (named twice: "Example 3: ... as in Example 3")."""
    for m in _OTHER_PROBLEM.finditer(prompt):
        if m.group("part"):
            label = re.compile(rf"(?im)^\s*(?:part\s*)?\(?{m.group('part')}\)|\bpart\s*\(?{m.group('part')}\)?\s*:")
            if label.search(prompt):
                continue
        if m.group("ref") and len(re.findall(re.escape(m.group("ref")) + r"\b", prompt)) > 1:
            continue
        return m.group("hence") or m.group(0)
    return None


# a prompt with less text than this besides the sentence that points at a text does not hold that text
_TEXT_MIN_CHARS = 30
# what a prompt may announce and then leave out ("Solve the following equation for x.", "the table below")
_ANNOUNCED = (
    r"(?:equation|expression|text|passage|paragraph|table|list|data|code|function|program|sentence|statement|"
    r"problem|question|system|matrix|integral|sum|series|graph|figure|diagram|chart|poem|story|article|document|"
    r"snippet|excerpt|information|number|value|inequality|polynomial|sequence|word|image|picture|limit|expansion|"
    r"theorem|lemma|claim|identity|proposition|formula)s?"
)
_ANNOUNCES = re.compile(
    rf"(?i)\bthe following (?:\w+ ){{0,2}}?{_ANNOUNCED}\b|\b{_ANNOUNCED} (?:given |shown |listed )?below\s*[.?!:]?\s*$|"
    r"\b(?:shown|given|listed|provided|displayed|pictured|depicted) below\s*[.?!:]?\s*$"
)
# a prompt's last line that asks for the answer after it (a completion-style prompt: `A:`, `Answer:`)
_ANSWER_LABEL = re.compile(
    r"(?i)\b(?:answer|solution|response|output|reply|result|rationale|explanation|reasoning|assistant|step by step)"
    r"\b[^\n]*:\s*$|^\s*[a-z]\s*:\s*$"
)
# a last line that is a label of one or two words (`French:`, `Sentiment:`) after the text it is about
_SHORT_LABEL = re.compile(r"\s*[^\W\d_][\w'-]*(?: [\w'-]+)?\s*:\s*")
# such a label after a sentence's end on its own line ("Q: How many legs does a spider have? A:", "Translate 'cat'
# into French. French:"): few-shot and completion-style rows written on one line were quarantined `needs_context`
_INLINE_LABEL = re.compile(r"[.?!][\"')\]]?\s+[^\W\d_][\w'-]*(?: [\w'-]+)?\s*:\s*$")
_INLINE_LABEL_MIN_CHARS = 15  # the sentence before it: a question or an instruction of its own
# The bulk path's filter for `ends_announcing` and `WHICH_OF_THE_FOLLOWING`, run on a prompt's last
# ENDING_CHARS characters (a regex over whole prompts cost ~2x as much): wider than both (the per-row path decides).
# Both look at most ~150 characters before the prompt's end, so a tail of whitespace over 40 characters sends the row
# per row too.
ENDING_CHARS = 256
ENDING_POLARS = (
    r"(?i)(?::\s*$|(?:the following|below)[^.?!\n]*[.?!]?\s*$|which\s+(?:one\s+)?of\s+the\s+following|\s{40,}$)"
)


def ends_announcing(prompt: str) -> str | None:
    """The end of a prompt that announces what it is about and stops before it ("Simplify the expression:", "Solve
    the following equation for x." with nothing else of note), or None. A last line that asks for the answer
    (`A:`, `Answer:`, `Let's think step by step:`) or labels it after the text it is about (`French:`) is a
    completion-style prompt, not a cut one."""
    text = prompt.rstrip()
    start = _sentence_start(text, len(text.rstrip(".?!:")))
    last = text[start:].strip()  # the last sentence
    if text.endswith(":"):
        before, _, last_line = text.rpartition("\n")
        labelled = _SHORT_LABEL.fullmatch(last_line) is not None and len(before.strip()) >= _TEXT_MIN_CHARS
        inline = _INLINE_LABEL.search(last_line)
        labelled = labelled or (
            inline is not None and len(last_line[: inline.start()].strip()) >= _INLINE_LABEL_MIN_CHARS
        )
        return None if labelled or _ANSWER_LABEL.search(last_line) else last[-80:]
    m = _ANNOUNCES.search(last)
    if m is None or len(text[:start].strip()) >= _TEXT_MIN_CHARS:
        return None
    after = last[m.end() :]
    return last[-80:] if ":" not in after and len(after.strip()) < _TEXT_MIN_CHARS else None


# What a prompt may announce anywhere in it and then not hold (`announces_missing`): a formula, a list of values, code
_ANNOUNCED_DATA = (
    r"(?:equations?|expressions?|integrals?|functions?|matri(?:x|ces)|sequences?|systems?(?:\s+of\s+(?:linear\s+)?"
    r"equations)?|inequalit(?:y|ies)|polynomials?|numbers|lists?(?:\s+of\s+numbers)?|data(?:\s+set)?|dataset|sums?"
    r"|series|limits?|code|program|snippet|fractions?|values)"
)
# "numbers below fifty", "values above 10" compare; they announce nothing
_NUMBER_AFTER = (
    r"(?!\s+(?:\d|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|a\s+(?:hundred|thousand|million))\b)"
)
_ANNOUNCES_DATA = re.compile(
    rf"(?i)\bthe\s+following\s+(?:\w+\s+){{0,2}}?{_ANNOUNCED_DATA}\b"
    rf"|\b{_ANNOUNCED_DATA}\s+(?:given\s+|shown\s+|listed\s+|written\s+)?(?:below|above)\b{_NUMBER_AFTER}"
    rf"|\bthe\s+(?:above|given)\s+{_ANNOUNCED_DATA}\b"
)
# Rust regex for the bulk path's filter: the announcement (wider), in a prompt without a digit or a maths symbol
ANNOUNCES_DATA_POLARS = (
    rf"(?i)\bthe\s+following\s+(?:\w+\s+){{0,2}}{_ANNOUNCED_DATA}|{_ANNOUNCED_DATA}\s+(?:\w+\s+)?(?:below|above)"
    rf"|\bthe\s+(?:above|given)\s+{_ANNOUNCED_DATA}"
)
HOLDS_DATA_POLARS = r"[0-9=+*/^<>$\\(){}\[\]|_\u2212\u00d7\u00f7\u221a\u222b\u03c0`]"
_HOLDS_DATA = re.compile(HOLDS_DATA_POLARS)
_CONTENT_AFTER = re.compile(r"[:\n]\s*\S[^\n]{9,}")


def announces_missing(prompt: str) -> str | None:
    """The words by which `prompt` announces an expression, equation, function, list of values or code that it does
    not hold ("the following expression", "list below", "the given function"), anywhere in it, or None: the prompt
    holds it when it has a digit or a maths symbol, or text after a colon or on a line of its own after the words."""
    m = _ANNOUNCES_DATA.search(prompt)
    if m is None or _HOLDS_DATA.search(prompt) or _CONTENT_AFTER.search(prompt, m.end()):
        return None
    return m.group(0)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence (or line) that holds `text[pos]` starts: after the last `.`, `?`, `!` or line break before."""
    return max(text.rfind(c, 0, pos) for c in ".?!\n") + 1


def _holds_no_text(prompt: str, m: re.Match[str]) -> bool:
    """Whether `prompt`, without the sentence of `m` (a reference to a passage), has under _TEXT_MIN_CHARS of text."""
    start = _sentence_start(prompt, m.start())
    ends = [i for c in ".?!\n" if (i := prompt.find(c, m.end())) != -1]
    end = min(ends) + 1 if ends else len(prompt)
    return len((prompt[:start] + prompt[end:]).strip()) < _TEXT_MIN_CHARS


LEFT_OUT_TEXT_CHARS = 200
# keys of a code task's cases given as one object (APPS/TACO's input_output, CodeContests' tests, verl's ground truth)
_TEST_KEYS = frozenset(("inputs", "outputs", "input", "output", "fn_name", "test_cases", "input_output", "tests"))
# Self-Instruct's marker of an empty input (`<noinput>`), kept by datasets built from its machine-generated rows
_NO_INPUT = re.compile(r"(?i)\s*<\s*no[ _-]?input\s*>\s*")
# columns whose long text is not the text a prompt is about (a worked solution, a rationale, a model's output)
_NOT_CONTEXT = re.compile(
    r"(?i)explan|rational|cot|reason|solution|generat|response|output|completion|answer|hint|comment|feedback|"
    r"critique|summary|title|url|source|label|target"
)
FREE_FORM_CHARS = 80


_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")


def worked_solution(answer: str) -> bool:
    """An answer that is a worked solution, not a value: over FREE_FORM_CHARS characters or several lines, with at
    least 8 words of prose (LaTeX commands are not words: a long matrix or interval union is a value)."""
    text = answer.strip()
    return (len(text) > FREE_FORM_CHARS or "\n" in text) and len(_PROSE_WORD.findall(text)) >= 8


def _free_form(reply: str) -> bool:
    """A chat reply that reads as a response, not a value: over FREE_FORM_CHARS characters or several lines
    ("42", "x = 3", "The answer is 12." are values; an essay, a poem or a list of tips is not)."""
    text = reply.strip()
    return len(text) > FREE_FORM_CHARS or "\n" in text


def context_text(value: Any) -> str | None:
    """The text of a context value: a string; a list of passages (joined by blank lines); PubMedQA's `{"contexts":
    [...], ...}` (its abstract's sections, joined by blank lines); HotpotQA's paragraphs,
    `{"title": [...], "sentences": [[...], ...]}` (the Hub's) or `[[title, [sentences]], ...]` (its JSON), each as
    its title, a line break and its sentences. None for any other shape."""
    if isinstance(value, str):
        return value
    pairs: Any = None
    if isinstance(value, dict) and isinstance(value.get("contexts"), list):  # PubMedQA: the abstract's sections
        sections = value["contexts"]
        if not all(isinstance(x, str) for x in sections):
            return None
        return "\n\n".join(x.strip() for x in sections if x.strip())
    if isinstance(value, dict) and set(value) == {"title", "sentences"}:
        titles, sentences = value["title"], value["sentences"]
        if isinstance(titles, list) and isinstance(sentences, list) and len(titles) == len(sentences):
            pairs = list(zip(titles, sentences, strict=True))
    elif isinstance(value, list) and value and all(isinstance(p, str) for p in value):
        return "\n\n".join(p.strip() for p in value if p.strip())
    elif isinstance(value, list) and value and all(isinstance(p, list | tuple) and len(p) == 2 for p in value):
        pairs = value
    if pairs is None:
        return None
    paragraphs = []
    for title, sents in pairs:
        if not isinstance(title, str) or not isinstance(sents, list) or not all(isinstance(x, str) for x in sents):
            return None
        paragraphs.append(f"{title.strip()}\n{''.join(sents).strip()}".strip())
    return "\n\n".join(p for p in paragraphs if p)


# a structured context written as text (a CSV's cell): PubMedQA's or HotpotQA's object, HotpotQA's list of pairs, a
# list of passages (DREAM's dialogue turns, as pandas' to_csv writes a Python list: `['M: ...', 'W: ...']`)
_WRITTEN_CONTEXT = re.compile(r"""\A\s*(?:\{\s*['"](?:contexts|title|sentences)['"]\s*:|\[\s*\[\s*['"]|\[\s*['"])""")
_WRITTEN_HINT = (
    "the text of a PubMedQA or HotpotQA context object that cannot be read back (`datasets`' to_pandas writes its "
    "lists as numpy arrays): write the file as Parquet or JSONL, or turn the column into plain text"
)


def written_context(value: str) -> str | None:
    """A context cell as the prompt takes it: the text of PubMedQA's or HotpotQA's context object or of a list of
    passages written as text (pandas' `to_csv`: `{'contexts': [...], 'labels': [...]}`, `['M: ...', 'W: ...']`, or
    JSON) read as that object (`context_text`), None
    when it cannot be read back; any other text as it is (a JSON record a question is about stays as written)."""
    if not _WRITTEN_CONTEXT.match(value):
        return value
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = _python_literal(value)
    return context_text(parsed) if isinstance(parsed, dict | list) else None


# The domain of tasks whose answer came as a list of accepted answers or a boolean (TriviaQA, NQ-open, BoolQ):
# short answers compared by `exact`; generate asks for them boxed (`templates.DOMAIN_SUFFIXES`)
SHORT_ANSWER_DOMAIN = "short_answer"
_READS_ALIASES = ("exact",)  # the built-in verifiers that read `verifier_args.aliases`
BOOLEAN_TEXTS = frozenset(("true", "false"))  # an answer text read as a boolean (`_answer_values`)
_TRUE_FALSE = re.compile(r"\btrue\b.{0,40}\bfalse\b|\bfalse\b.{0,40}\btrue\b", re.IGNORECASE | re.DOTALL)
_BOOLEAN_LITERAL = re.compile(r"\b(?:True|False)\b")  # a logic expression's (BIG-Bench Hard's boolean_expressions)


def _listed(values: list[Any], n: int = 3) -> str:
    shown = ", ".join(repr(str(v))[:60] for v in values[:n])
    return shown + (f" and {len(values) - n} more" if len(values) > n else "")


def _answer_values(
    answer: Any, source: SourceConfig, prompt: str, col: str | None
) -> tuple[str, list[str] | None] | Rejected:
    """An answer given as several values or a boolean -> (the answer, the other accepted answers or None).

    - a boolean: "yes" / "no" (BoolQ, StrategyQA), or "true" / "false" for a prompt that asks "true or false" or
      names the literals True / False (a logic expression),
      the other word accepted too;
    - TriviaQA's `{"value", "aliases", ...}`: the value, its aliases accepted;
    - SQuAD's `{"text": [...], "answer_start": [...]}`: the spans (one per annotator), each a right answer;
    - a list (NQ-open, WebQuestions): one value is the answer (a plain one, as a text would be, unless
      `answer_list: any`); several are each a right answer with `answer_list: any`, and quarantined without it: a
      list may also mean "all of these" (OlympiadBench's parts).
    Values that normalise alike (`exact`'s normalisation) are kept once."""

    def texts(values: list[Any]) -> list[str] | None:
        if not values or any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in values):
            return None
        if not all(map(float_answer_held, values)):
            return None  # a NaN, an infinity, a whole float past 2**53 (it was the value `nan`, `inf`, ...)
        out = [str(v).strip() for v in values]
        return None if any(not v for v in out) else out

    if isinstance(answer, bool):
        asks = _TRUE_FALSE.search(prompt) or _BOOLEAN_LITERAL.search(prompt)
        words = ("true", "false") if asks else ("yes", "no")
        other = ("yes", "no") if words[0] == "true" else ("true", "false")
        return (words[0], [other[0]]) if answer else (words[1], [other[1]])
    if isinstance(answer, dict) and isinstance(answer.get("value"), str) and isinstance(answer.get("aliases"), list):
        values = [answer["value"], *answer["aliases"]]
    elif isinstance(answer, dict) and isinstance(answer.get("text"), list) and "answer_start" in answer:
        values = answer["text"]
    elif isinstance(answer, list):
        values = answer
    elif isinstance(answer, dict):
        return Rejected(
            "wrong_type:answer",
            f"answer must be text or a number, got {_shape_name(answer)}: if one key holds the answer, map it "
            f"with --map answer={col or 'COLUMN'}.KEY",
        )
    else:
        return Rejected("wrong_type:answer", f"answer must be text or a number, got {type(answer).__name__}")
    got = texts(values)
    if got is None:
        return Rejected(
            "wrong_type:answer",
            f"the answer is {_shape_name(answer) if isinstance(answer, dict) else 'a list'} whose values are not all "
            f"non-empty texts or numbers ({_listed(values) if values else 'empty'})",
        )
    unique = [got[0], *_other_answers(got[0], got[1:])]
    # a bare list may mean "all of these"; TriviaQA's and SQuAD's objects say "any of these"
    if isinstance(answer, list) and len(unique) > 1 and source.answer_list != "any":
        return Rejected(
            "wrong_type:answer",
            f"the answer is a list of {len(unique)} answers ({_listed(unique)}): if each one is a right answer "
            "(NQ-open, WebQuestions, SQuAD's spans), set answer_list: any on the source (--answer-list any); if a "
            "response must give all of them, give them as one answer text",
        )
    if isinstance(answer, list) and source.answer_list != "any":
        return unique[0], None  # one value: the answer, as if given as text
    return unique[0], unique[1:]


def _alias_column(value: Any) -> list[str] | Rejected | None:
    """The answers an `aliases` column gives: a list of texts or numbers, its text as JSON or Python writes it (a
    CSV's), or one text; None when it is empty. Before, such a column stayed in metadata (and `--map aliases=...` was
    no task field), so every right answer given by an alias failed `exact:mismatch`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = _listed_texts(value) or [value]
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in value):
        return Rejected("wrong_type:aliases", f"aliases must be a list of texts, got {_shape_name(value)}")
    return [str(v).strip() for v in value if str(v).strip()]


def _other_answers(answer: str, values: list[str]) -> list[str]:
    """`values` without the answer and without repeats, as `exact` normalises them (`_answer_values`)."""
    from pipeline.verify.verifiers.simple import normalise  # the exact verifier's (a lazy import: no cycle)

    seen = {normalise(answer)}
    out = []
    for v in values:
        if normalise(v) not in seen:
            seen.add(normalise(v))
            out.append(v)
    return out


def _shape_name(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(map(str, list(value)[:4])) + (", ..." if len(value) > 4 else "")
        return f"an object (keys {keys})"
    return f"a {type(value).__name__}"


def _columns(mapped: str | list[str] | None) -> list[str]:
    """The columns one `mapping` entry names (one, or a list: `choices`, `context`)."""
    return [mapped] if isinstance(mapped, str) else list(mapped or [])


def _mapped_columns(source: SourceConfig) -> set[str]:
    return {c for v in source.mapping.values() for c in _columns(v)}


def _left_out_text(record: dict[str, Any], used: set[str], source: SourceConfig) -> tuple[str, int] | None:
    """The longest text column of the row that no field reads and that is not a solution, rationale or the like:
    (column, characters), or None when none reaches LEFT_OUT_TEXT_CHARS."""
    fields = {a for names in ALIASES.values() for a in names} | _mapped_columns(source)
    best: tuple[str, int] | None = None
    for col, value in record.items():
        if col in used or col in fields or not isinstance(value, str) or _NOT_CONTEXT.search(col):
            continue
        n = len(value.strip())
        if n >= LEFT_OUT_TEXT_CHARS and value.lstrip()[:1] not in "[{" and (best is None or n > best[1]):
            best = (col, n)
    return best


def _context_named(
    record: dict[str, Any], used: set[str], source: SourceConfig, about_text: bool
) -> tuple[str, int] | None:
    """A column of the row named like the text a question is about (`CONTEXT_NAMES`, any case) that holds text and
    that no field reads: (column, characters), or None."""
    mapped = _mapped_columns(source)
    for col, value in record.items():
        name = col.lower() if isinstance(col, str) else ""
        if name not in CONTEXT_NAMES or col in used or col in mapped:
            continue
        text = context_text(value)
        if text is None or is_blank(text) or (name in _CONTEXT_BESIDE_ANSWER and not about_text):
            continue  # not text; or WritingPrompts' `story`: what the task asks for
        return col, len(text.strip())
    return None


# One column per option: a prefix naming options, then the option's letter or number (Social IQa's `answerA`,
# CosmosQA's `answer0`, MedMCQA's `opa`, SWAG's `ending0`, PIQA's `sol1`, Winogrande's `option1`, `Option A`,
# `choice_1`), or bare letters (an MMLU CSV's `A`, `B`, `C`, `D`)
_OPTION_COLUMN = re.compile(r"(?i)(answer|option|choice|ending|sol|opt|op|)[ _]?([a-z]|\d)")
_SERIES_STARTS = ("A", "a", "0", "1")


def option_columns(keys: Any) -> list[str] | None:
    """The columns of a row that hold one option each, in option order, or None: the columns of one prefix whose
    letters or numbers run from A (a, 0 or 1) without a gap, at least two. Two such series, a gap or a lone column
    are no series (the row keeps them as columns)."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for k in keys:
        m = _OPTION_COLUMN.fullmatch(k) if isinstance(k, str) else None
        if m is None or (not m.group(1) and not m.group(2).isupper()):  # bare: capital letters only
            continue
        key = m.group(2)
        kind = "upper" if key.isupper() else "lower" if key.isalpha() else "digit"
        groups.setdefault((m.group(1).lower(), kind), {})[key] = k
    found: list[list[str]] = []
    for by_key in groups.values():
        start = next((s for s in _SERIES_STARTS if s in by_key), None)
        if start is None or len(by_key) < 2:
            continue
        run = [chr(ord(start) + i) for i in range(len(by_key))]
        if set(run) == by_key.keys():
            found.append([by_key[r] for r in run])
    return found[0] if len(found) == 1 else None


# GPQA's layout: the right option in `Correct Answer`, the wrong ones in `Incorrect Answer 1..k` (any case, spaces or
# underscores; not its `Pre-Revision ...` columns); SciQ's: `correct_answer` and `distractor1..3`
_CORRECT_COLUMN = re.compile(r"(?i)correct[ _]answer")
_INCORRECT_COLUMN = re.compile(r"(?i)(?:incorrect[ _]answer|distractor)[ _]?([1-9]\d*)")


def correct_incorrect_columns(keys: Any) -> list[str] | None:
    """GPQA's (and SciQ's) option columns, the right one first: `[Correct Answer, Incorrect Answer 1, ...]`
    (`[correct_answer, distractor1, ...]`), or None. One right column and wrong ones numbered from 1 without a gap
    (at least one); anything else is no such layout."""
    correct = [k for k in keys if isinstance(k, str) and _CORRECT_COLUMN.fullmatch(k)]
    wrong: dict[int, str] = {}
    for k in keys:
        m = _INCORRECT_COLUMN.fullmatch(k) if isinstance(k, str) else None
        if m is not None:
            if int(m.group(1)) in wrong:
                return None  # `Incorrect Answer 1` and `incorrect_answer_1`: which is it?
            wrong[int(m.group(1))] = k
    if len(correct) != 1 or not wrong or set(wrong) != set(range(1, len(wrong) + 1)):
        return None
    return [correct[0], *(wrong[i] for i in range(1, len(wrong) + 1))]


# answer columns that hold a class label or an option's key: without options, no verifier can use them
LABEL_ANSWERS = frozenset(("label", "answerKey", "cop", "correct_option"))
# answer columns that name one of fixed options the row does not list: PubMedQA's `final_decision` is a three-way
# question (lm-eval's pubmedqa asks it so); as a bare answer the prompt would never say that "maybe" is one
DECISION_ANSWERS: dict[str, tuple[str, ...]] = {"final_decision": ("yes", "no", "maybe")}


def mc1_targets(value: Any) -> tuple[list[Any], int] | str:
    """TruthfulQA's `mc1_targets` (`{choices: [...], labels: [1, 0, ...]}`, one right option): the options and
    the right one's index, or why not."""
    if not isinstance(value, dict) or not isinstance(value.get("choices"), list):
        return f"mc1_targets must be an object with a list of choices and their 0/1 labels, got {_shape_name(value)}"
    options, labels = value["choices"], value.get("labels")
    if not isinstance(labels, list) or any(type(x) is not int or x not in (0, 1) for x in labels):
        return "mc1_targets' labels must be a list of 0 and 1 (1: the right option)"
    if len(labels) != len(options):
        return f"mc1_targets has {len(options)} options and {len(labels)} labels"
    right = [i for i, x in enumerate(labels) if x == 1]
    if len(right) != 1:
        return f"mc1_targets marks {'no option' if not right else f'{len(right)} options'} right, not one"
    return options, right[0]


_LABEL_NAMES = frozenset(n.lower() for n in LABEL_ANSWERS)  # in any case (`Label`)
_ANSWER_NAMES = frozenset(n.lower() for n in ALIASES["answer"])


def _letter_names(names: Sequence[str]) -> bool:
    """Whether a ClassLabel's names are option letters in order from A (`A, B, C, D`; `(a)`, `b.`)."""
    return len(names) >= 2 and all(
        (m := LETTER_ANSWER.fullmatch(n)) is not None and m.group(0).strip(" ()[].:").upper() == LETTERS[i]
        for i, n in enumerate(names[: len(LETTERS)])
    )


def may_answer(column: str) -> bool:
    """Whether a column's name is one an answer is read from unmapped (an answer alias or a label, any case)."""
    return column.lower() in _ANSWER_NAMES or column.lower() in _LABEL_NAMES


_ONE_LETTER = r"[(\[]?[A-J][)\]]?"
_OPTION_LETTERS = re.compile(rf"\s*{_ONE_LETTER}(?:\s*(?:,|;|&|\band\b)\s*{_ONE_LETTER})*\s*[.:]?\s*")


def names_an_option(answer: Any) -> bool:
    """Whether an answer is an option's letter (`C`, `(C)`, `C.`) or several (`B, D`, `B and D`), as an MCQ's is
    (not a run of capitals: `DNA` is a word)."""
    return isinstance(answer, str) and _OPTION_LETTERS.fullmatch(answer) is not None


# a prompt that asks to pick one of some options: with a letter answer, the options must be in the row
ASKS_TO_CHOOSE = re.compile(
    r"(?i)\b(?:which|what)\s+(?:one\s+)?of\s+(?:the\s+following|these|those|the\s+(?:options|choices|answers|"
    r"alternatives))\b|\b(?:which|what)\s+(?:option|choice|alternative)\b|\b(?:choose|select|pick|circle|mark)"
    r"\s+(?:the\s+|an?\s+|one\s+)?(?:\w+\s+)?(?:option|choice|alternative)s?\b|\banswer\s+choices?\b|"
    r"\bthe\s+following\s+(?:options|choices|alternatives)\b|\bmultiple[- ]choice\b|"
    r"\b(?:correct|right|best)\s+(?:option|choice|alternative)\b"
)


def _named_in(prompt: str, letter: str) -> bool:
    """Whether the prompt names `letter` as a thing of its own ("points A, B and C", "Of E and K, which ..."): a
    capital standing alone, and for A and I not the word that starts a sentence ("A train leaves ...", "I think")."""
    tail = r"(?!\s+[a-z])" if letter in "AI" else ""
    return re.search(rf"(?<![\w'’]){letter}(?![\w'’]){tail}", prompt) is not None


# a prompt that ends asking "Which of the following ...?" (and names nothing as "the following" before): the
# options it asks about are not in it
WHICH_OF_THE_FOLLOWING = re.compile(r"(?i)\bwhich\s+(?:one\s+)?of\s+the\s+following\b[^.?!:;,\n\d]{0,80}\?\s*$")
# columns that may hold lettered text but not a question's options (a rationale that discusses "A) ... B) ...")
_NOT_OPTIONS = re.compile(r"(?i)explan|rational|solution|reason|response|output|completion|generat|critique|feedback")
_MAP_CHOICES_HINT = "(a column the options are in: --map choices=COLUMN)"


def _options_missing(
    record: dict[str, Any], used: set[str], source: SourceConfig, prompt: str, answer: str
) -> str | None:
    """Why a row without options must not become an open question, or None. Its answer names an option by letter
    while a column the row does not read holds options (a name outside `choices`/`options`/`endings`), or while the
    prompt asks to choose an option; or its prompt ends asking "Which of the following ...?" with nothing listed.
    Read as an open question, the letter would be the reference (a response boxing "B" passes), or the model would be
    asked about options it is not shown. A letter that is the answer itself (vitamin C, the point B of the prompt)
    stays one."""
    letters = set(re.findall(r"[A-J]", answer)) if names_an_option(answer) else None
    asks_which = WHICH_OF_THE_FOLLOWING.search(prompt) is not None and prompt.lower().count("following") == 1
    if letters is None and not asks_which:
        return None
    col = _options_column(record, used, source, letters or set())
    if letters is not None and col is not None:
        return (
            f"the answer {answer!r} names an option, and column {col!r} holds options this row does not read: --map "
            f"choices={col} (mapping: {{choices: {col}}})"
        )
    if letters is not None and ASKS_TO_CHOOSE.search(prompt) and not all(_named_in(prompt, x) for x in letters):
        return (
            f"the prompt asks to choose an option and the answer {answer!r} names one, but the row has no options "
            + _MAP_CHOICES_HINT
        )
    if asks_which:
        hint = f"(column {col!r} may hold them: --map choices={col})" if col is not None else _MAP_CHOICES_HINT
        return f"the prompt asks 'which of the following' but shows no options, and the row has none {hint}"
    return None


# a column name under which a plain list is a question's options (`opts`, `answer_choices`, `alternatives`, `cands`)
_OPTIONS_NAME = re.compile(r"(?i)opt|choice|alternativ|cand|answers|possib|select|ending")


def _options_column(record: dict[str, Any], used: set[str], source: SourceConfig, letters: set[str]) -> str | None:
    """The first column no field reads that holds options with every one of `letters` (a list of two or more under
    an options-like name, an ARC `{label, text}` or letter -> text object, one text of lettered options), or None."""
    fields = _mapped_columns(source)
    for col, value in record.items():
        if col in used or col in fields or not isinstance(col, str) or _NOT_OPTIONS.search(col):
            continue
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(_TooDeep):
                value = _maybe_json("choices", value)  # a CSV's list as JSON or as pandas writes it
        if isinstance(value, str) and options_in_text(value) is None:
            continue
        if not isinstance(value, str | list | tuple | dict):
            continue
        if isinstance(value, list | tuple) and not _OPTIONS_NAME.search(col):
            continue  # a list of tags or topics is no options: a plain list counts under an options-like name
        try:
            parsed = parse_choices(value)
        except ChoiceError:
            continue
        if letters <= parsed.options.keys():
            return col
    return None


# DREAM's options column: a list of option texts, read as the options only where the answer is one of them
CHOICE_COLUMN = "choice"


def choice_list(record: dict[str, Any], answer: Any, cased: list[str]) -> tuple[str, dict[str, str]] | None:
    """The column `choice` (`CHOICE_COLUMN`, in any case) and its options by letter, when it holds a list of two or
    more texts (JSON or a Python literal in a CSV) and the answer is the text of exactly one of them (as
    `choices.listed_option_with_text` compares); else None. Lettered, the answer names its option by its text, never
    as an index (`"2"` of `["1", "2", "3"]` is B, not C)."""
    col = column_named(record, CHOICE_COLUMN, cased)
    if col is None or not isinstance(answer, str):
        return None
    value = record[col]
    with contextlib.suppress(_TooDeep):
        value = _maybe_json("choices", value)  # a CSV's list as JSON or as pandas writes it
    if not isinstance(value, list | tuple) or not 2 <= len(value) <= len(LETTERS):
        return None
    if not all(isinstance(v, str) and v.strip() for v in value) or listed_option_with_text(answer, list(value)) is None:
        return None
    return col, dict(zip(LETTERS, value, strict=False))


def _empty_choices_column(record: dict[str, Any], cased: list[str]) -> str | None:
    """The column named as `choices` is (in any case) when the row has it but holds nothing there (null, blank
    text): a mixed file's open question, or an MCQ whose options are missing."""
    for name in ALIASES["choices"]:
        col = column_named(record, name, cased)
        if col is not None and (record[col] is None or is_blank(record[col])):
            return col
    return None


def cased_columns(record: dict[str, Any]) -> list[str]:
    """The row's columns that are not lower case: those `case_variant` may find (most rows have none)."""
    return [k for k in record if isinstance(k, str) and k != k.lower()]


def column_named(record: dict[str, Any], name: str, cased: list[str]) -> str | None:
    """The row's column `name`, else its one column of that name in another case (`case_variant`); None if neither."""
    return name if name in record else case_variant(record, name, cased)


def case_variant(record: dict[str, Any], name: str, cased: list[str]) -> str | None:
    """The one column of the row named `name` (lower case) in another case (`Question` for `question`), when the row
    has no column of that exact name; None otherwise (none, or several). `cased`: the row's columns that are not
    lower case (most rows have none, and then nothing is scanned)."""
    if name in record:
        return None
    found = [k for k in cased if k.lower() == name]
    return found[0] if len(found) == 1 else None


def is_blank(value: Any) -> bool:
    """An empty or whitespace-only string: a field left blank, read as not set."""
    return isinstance(value, str) and not value.strip()


def _text_before_question(messages: list[dict[str, Any]]) -> str | None:
    """Why a chat's assistant turn before its question is a text the question needs, or None: a task is the user
    turn, so such a turn is not sent ("Here is the story: ..." then "Summarize it in one sentence." asked about a
    story the model never saw). One of at least `LEFT_OUT_TEXT_CHARS` characters, as a text column left out of a
    prompt; a shorter one (a greeting, "Ahoy! Ask away.") is kept in metadata."""
    for i, m in enumerate(messages):
        role = turn_role(m)
        if role == "user":
            return None
        text = turn_text(m.get("content", m.get("value")))
        if role == "assistant" and isinstance(text, str) and len(text.strip()) >= LEFT_OUT_TEXT_CHARS:
            return (
                f"turn {i} (assistant, {len(text.strip()):,} characters) comes before the question and is not sent (a "
                "task is its user turn): if the question is about it, put that text into the user turn; if not, "
                "set ingest.check_context: false"
            )
    return None


def _chat_turns(messages: Any) -> tuple[str | None, str | None, str | None, int, tuple[str, str] | None]:
    """(prompt, answer, system prompt, turns read, (reason, detail) of an error) from a chat: its one user turn, the
    assistant turn after it, and the system turns before it (joined by a blank line). A chat of several user turns
    is an error (`multi_turn`): thinkmill generates single-turn examples, and a later turn alone often depends on
    the earlier ones ("And for 7?"), so it cannot stand as the prompt. So is a system turn after the user turn: it
    would be sent before the turn it follows."""
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return None, None, None, 0, ("wrong_type:messages", "messages must be a list of {role, content} objects")
    for i, m in enumerate(messages):
        err = media_part(m.get("content"))
        if err is not None:
            return None, None, None, 0, (f"needs_{err[0]}", _needs_media(err[0], f"turn {i} holds a {err[1]!r} part"))
    for i, m in enumerate(messages):
        if turn_role(m) in TOOL_ROLES or any(_holds_call(m.get(k)) for k in TOOL_CALL_KEYS):
            return None, None, None, 0, ("needs_tools", _needs_tools(f"turn {i} is a tool call or a tool's result"))
    prompt, answer, users, read = None, None, 0, 0
    systems: list[Any] = []
    end = len(messages)
    while end > 1 and turn_role(messages[end - 1]) == "user" and _blank_turn(messages[end - 1]):
        end -= 1  # an empty user turn closing the chat (ShareGPT exports) asks nothing: no second turn
    for i, m in enumerate(messages[:end]):
        role = turn_role(m)
        if role == "user":
            users += 1
            prompt, answer, read = turn_text(m.get("content", m.get("value"))), None, read + 1
            nxt = messages[i + 1] if i + 1 < len(messages) else None
            if nxt and turn_role(nxt) == "assistant":
                answer, read = turn_text(nxt.get("content", nxt.get("value"))), read + 1
        elif role == "system":
            if users:
                return (
                    None,
                    None,
                    None,
                    0,
                    (
                        "wrong_type:messages",
                        f"the chat has a system turn after the user turn (turn {i}): it cannot be sent before the turn "
                        "it follows; give the system turn first",
                    ),
                )
            systems.append(turn_text(m.get("content", m.get("value"))))
            read += 1
    if prompt is None:
        return None, None, None, 0, ("wrong_type:messages", _no_user_turn(messages))
    if users > 1:
        return (
            None,
            None,
            None,
            0,
            (
                "multi_turn",
                f"chat has {users} user turns: thinkmill makes single-turn examples and the last turn alone may depend "
                "on the earlier ones; map prompt to a self-contained column to ingest such rows",
            ),
        )
    if any(not isinstance(x, str) for x in systems):
        return None, None, None, 0, ("wrong_type:system", "the chat's system turn must hold text")
    system = "\n\n".join(x.strip() for x in systems if x.strip()) or None
    return prompt, answer, system, read, None


# Roles read as another's: ShareGPT's `human` and `gpt`, OpenAI's `developer` (the system turn of its newer models:
# left out, its instruction was never sent), Gemma's `model` and raw ShareGPT's `chatgpt`, `bing`, `bard` and `bot`
# (the reply was not read: the row was quarantined `missing_field:answer`, or a judge task had no reference).
_ROLE_NAMES = {
    "human": "user",
    "gpt": "assistant",
    "developer": "system",
    **dict.fromkeys(("model", "chatgpt", "bing", "bard", "bot"), "assistant"),
}


def turn_role(turn: dict[str, Any]) -> Any:
    """A chat turn's role (`role`, or ShareGPT's `from`) as thinkmill reads it: in lower case (`Human`, `GPT`),
    another name for user, assistant or system given as that role."""
    role = turn.get("role") or turn.get("from")
    if not isinstance(role, str):
        return role
    role = role.strip().lower()
    return _ROLE_NAMES.get(role, role)


# A chat's function-calling turns: the roles of a tool's result (OpenAI's `tool` and legacy `function`, Llama 3's
# `ipython`, ShareGPT's `observation` as LLaMA-Factory writes it, Hermes' `tool`) and of a call written as a turn of
# its own (LLaMA-Factory's `function_call`), and the keys of an assistant turn that calls a tool (OpenAI's).
TOOL_ROLES = frozenset(("tool", "function", "ipython", "observation", "function_call", "tool_call"))
TOOL_CALL_KEYS = ("tool_calls", "function_call")


def _holds_call(value: Any) -> bool:
    """A turn's `tool_calls` / `function_call` holds a call: not null, empty or blank, nor a Parquet struct of nulls
    (a file whose other rows call tools gives every turn the key)."""
    if isinstance(value, dict):
        return any(_holds_call(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_call(v) for v in value)
    return value is not None and not is_blank(value)


def _blank_turn(turn: dict[str, Any]) -> bool:
    """A turn without text: null, or blank."""
    text = turn_text(turn.get("content", turn.get("value")))
    return text is None or is_blank(text)


def _no_user_turn(messages: list[dict[str, Any]]) -> str:
    """Why a chat has no user turn to read, naming what it holds (the detail said only "no user turn")."""
    users = [i for i, m in enumerate(messages) if turn_role(m) == "user"]
    if users:
        return f"messages' user turn {users[-1]} holds no text"
    roles = sorted({str(r) for m in messages if (r := m.get("role") or m.get("from")) is not None})
    if not roles:
        keys = sorted({str(k) for m in messages for k in m})
        return (
            f"messages has no user turn: its turns have no role or from (keys {', '.join(keys)}); give each turn "
            "{role, content} or ShareGPT's {from, value}"
        )
    return (
        f"messages has no user turn (roles {', '.join(roles)}): thinkmill reads user (human), assistant (gpt, model, "
        "chatgpt, bing, bard, bot) and system (developer) turns"
    )


def _chat_opened_by(messages: list[dict[str, Any]], prompt: str) -> list[dict[str, Any]] | Rejected | None:
    """The turns of a chat given beside a prompt column (UltraChat's and no_robots' `prompt` and `messages`) that make
    the task, when the prompt is the chat's first user turn: the turns before it (its system turns) and the reply
    after it, read as a chat alone is. Rejected (`multi_turn`) when the prompt is a later user turn: asked alone it
    lacks the turns it follows. None when no user turn is the prompt (the chat is another column's)."""
    users = [i for i, m in enumerate(messages) if turn_role(m) == "user"]
    text = prompt.strip()
    for n, i in enumerate(users):
        turn = turn_text(messages[i].get("content", messages[i].get("value")))
        if not isinstance(turn, str) or turn.strip() != text:
            continue
        if n:
            return Rejected(
                "multi_turn",
                f"the prompt is user turn {n + 1} of the chat beside it ({len(users)} user turns): asked alone it "
                "lacks the turns it follows, and thinkmill makes single-turn examples; map prompt to a "
                "self-contained column to ingest such rows",
            )
        replied = i + 1 < len(messages) and turn_role(messages[i + 1]) == "assistant"
        return messages[: i + 2 if replied else i + 1]
    return None


def _chat_reference(messages: Any) -> Any:
    """The reference answer a chat's user turn carries in its `info` (a-m-team's AM-DeepSeek-R1-Distilled:
    `{"role": "user", "content": ..., "info": {"reference_answer": ...}}`), or None."""
    for m in messages if isinstance(messages, list) else ():
        info = m.get("info") if isinstance(m, dict) and turn_role(m) == "user" else None
        ref = info.get("reference_answer") if isinstance(info, dict) else None
        if ref is not None and not is_blank(ref):
            return ref
    return None


def exchange_turns(messages: Any) -> list[dict[str, Any]] | None:
    """Capybara's and Pure-Dove's `conversation` (`[{"input": ..., "output": ...}]`, exchanges without roles) as
    chat turns: each input a user turn, each output the assistant turn after it. None for any other value."""
    if not (
        isinstance(messages, list)
        and messages
        and all(isinstance(m, dict) and "input" in m and "role" not in m and "from" not in m for m in messages)
    ):
        return None
    turns: list[dict[str, Any]] = []
    for m in messages:
        turns.append({"role": "user", "content": m["input"]})
        if m.get("output") is not None:
            turns.append({"role": "assistant", "content": m["output"]})
    return turns


def _is_chat(value: Any) -> bool:
    """A list of chat turns (`{role, content}` or ShareGPT's `{from, value}`)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(m, dict) and ("role" in m or "from" in m) for m in value)
    )


def turn_text(content: Any) -> Any:
    """A turn's text: content given as text parts (`[{"type": "text", "text": ...}]`) is their texts joined by a
    blank line; anything else is returned as given (the caller checks its type)."""
    if (
        isinstance(content, list)
        and content
        and all(
            isinstance(p, dict) and p.get("type") in ("text", "input_text") and isinstance(p.get("text"), str)
            for p in content
        )
    ):
        return "\n\n".join(p["text"] for p in content)
    return content


# A system prompt that sets the format of the reasoning (OpenThoughts', Bespoke-Stratos' and Sky-T1's
# `<|begin_of_thought|> ... <|end_of_thought|>`, or `<think>` tags): the distilled model's instruction, not the
# task's. Sent, it would tell Hermes 4 to think in another format, and to think in no-think mode; Hermes 4's own
# think switch sets the format. Kept in `metadata.reasoning_format_system`.
REASONING_FORMAT = re.compile(r"<\|(?:begin|end)_of_(?:thought|solution)\|>|</?think>")
# Another model's think switch: Llama-Nemotron's system prompt `detailed thinking on` / `off` (a line of its own),
# Qwen3's and SmolLM3's `/think` / `/no_think` (a word of the system prompt, or the prompt's first or last word). It
# switched the reasoning of the model that wrote the row; sent to Hermes 4 it contradicts Hermes' own switch, and the
# dataset's rows would carry it (a think row whose system turn says thinking is off). Taken out, kept in
# `metadata.think_switch`. A prompt that mentions one mid-text ("what does /no_think do?") keeps it.
_SYSTEM_SWITCH = re.compile(r"(?im)^[ \t]*detailed thinking (?:on|off)[ \t]*$|(?:(?<=\s)|^)/(?:no_)?think(?=\s|$)")
_PROMPT_SWITCH = re.compile(r"\A\s*/(?:no_)?think(?:\s+|\Z)|\s+/(?:no_)?think\s*\Z")
PROMPT_SWITCH_POLARS = r"^\s*/(?:no_)?think(?:\s|$)|\s/(?:no_)?think\s*$"  # the rows the bulk path leaves


# DeepSeek-R1-Zero's format instruction written into the user turn (veRL and OpenRLHF datasets: SynLogic,
# Open-Reasoner-Zero, SimpleRL, Logic-RL): "[The assistant first thinks about the reasoning process in the mind and
# then provides the answer.] The reasoning process [and answer] is enclosed within <think> </think> and [the final
# answer] <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here
# </answer>.", or R1-Zero's whole conversation template around the question ("A conversation between User and
# Assistant. ... User: {question} Assistant: <think>"). Sent to Hermes 4 it asks for a think block in no-think mode
# too, and the dataset's user turns would carry another model's format. Taken out, kept in
# `metadata.reasoning_format_prompt`; a prompt about think tags keeps them.
_PROMPT_FORMAT = re.compile(
    r"\s*(?:(?:you\s+)?(?:first,?\s+)?(?:the\s+assistant\s+first\s+)?thinks?\s+about\s+the\s+reasoning\s+process"
    r"(?:\s+in\s+the\s+mind|\s+as\s+an\s+internal\s+monologue)"
    r"\s+and\s+then\s+provides?\s+(?:the\s+user\s+with\s+)?the\s+(?:final\s+)?answer\.\s*)?"
    r"the\s+reasoning\s+process\s+(?:and\s+(?:the\s+)?(?:final\s+)?answer\s+)?(?:is|are|must\s+be|should\s+be)\s+"
    r"enclosed\s+within\s+<think>\s*</think>"
    r"[^<]*?(?:<answer>\s*</answer>[^<]*)?(?:<think>[^<]*</think>\s*(?:<answer>[^<]*</answer>)?)?\s*(?:\.|(?=\n)|\Z)",
    re.IGNORECASE,
)
_R1_CONVERSATION = re.compile(
    r"\A\s*A\s+conversation\s+between\s+User\s+and\s+Assistant\..*?\bUser:\s*(.*?)\s*Assistant:\s*(?:<think>\s*)?\Z",
    re.IGNORECASE | re.DOTALL,
)
_R1_PREAMBLE = re.compile(
    r"\A\s*(?:A\s+conversation\s+between\s+User\s+and\s+Assistant\.\s*)?"
    r"(?:The\s+user\s+asks\s+a\s+question,\s+and\s+the\s+Assistant\s+solves\s+it\.\s*)?",
    re.IGNORECASE,
)
PROMPT_FORMAT_POLARS = r"(?i)enclosed\s+within\s+<think>"  # the rows the bulk path leaves


def without_format(prompt: str) -> str | None:
    """`prompt` without R1-Zero's think-format instruction (`_PROMPT_FORMAT`, `_R1_CONVERSATION`), or None when it holds
    none."""
    cut = _PROMPT_FORMAT.sub("", prompt)
    if cut == prompt:
        return None
    if (m := _R1_CONVERSATION.match(cut)) is not None:
        cut = m.group(1)
    rest = _R1_PREAMBLE.sub("", cut)
    if rest != cut:  # R1-Zero's preamble, then `User: {question}` without the closing `Assistant:`
        rest = re.sub(r"\A\s*User:\s*", "", rest)
    return rest.strip()


# What a multi-select MCQ's stored prompt says before its options: the request's MCQ instruction ("Answer with the
# letter of the correct choice") would tell the model that one option holds, and the `\\boxed{}` in it makes
# generation leave that instruction out (`generate.templates`); the `mcq` verifier reads the boxed letters.
MULTI_SELECT_INSTRUCTION = (
    "More than one option may be correct. Give the letters of all correct options, separated by commas, in \\boxed{}."
)


def _names_listed_options(answer: str, listed: list[str]) -> bool:
    """Whether an answer is one letter of the options a prompt lists (alone, or with an option's text: `(B) CO2`), or
    several different ones."""
    if LETTER_ANSWER.fullmatch(answer):
        return answer.strip(" ([)].:").upper() in LETTERS[: len(listed)]
    m = LETTER_WITH_TEXT.fullmatch(answer)
    if m and m.group(1).upper() in LETTERS[: len(listed)] and listed_option_with_text(m.group(2), listed):
        # `(B) CO2`: the text is a listed option's (resolving it checks that it is B's); one that is no option's
        # leaves the row as it was (`(a) 3; (b) 5`: the answers of a problem's parts, not an option)
        return True
    try:
        return several_letters(answer, parse_choices(listed)) is not None
    except ChoiceError:
        return False


# an answer that is one number, maybe in the marks of a numbered list (`2`, `(2)`, `2.`, `2)`)
_NUMBER_ANSWER = re.compile(r"\s*[(\[]?(\d{1,2})[)\].:]?\s*")


# an option that gives a variable's value (`x = 2`, `$y = -1$`): the value is its text, as for `2`
_VALUE_OPTION = re.compile(r"\s*\$?\s*[A-Za-z]\w*\s*=\s*(-?\d+(?:\.\d+)?)\s*\$?\s*\.?\s*")


def _option_value(option: str) -> str:
    """The value an option gives: its text without `$` and a final period, or the value of `x = 2`."""
    m = _VALUE_OPTION.fullmatch(option)
    return m.group(1) if m else option.strip().strip("$").strip().rstrip(".")


def _numbered_option(
    answer: Any, listed: NumberedOptions, verifier: str | None, base: int | None, seen: IndexSeen | None
) -> str | Rejected | None:
    """The letter of the option a number answer names in the options a prompt numbers (`numbered_options_in_prompt`):
    its number in the list (counted from `base` when the source sets one); None when the answer is no number of the
    list. Without a verifier, a number that is also another option's text or value (`x = 2` gives 2, as `2` does), or
    answers a question that counts the listed items (unless its option's text is that number) or asks to choose none
    of items that state relations (`What is x?` over equations), is Rejected: it may be a value as well (`verifier:
    mcq` reads it as the option's number)."""
    if isinstance(answer, bool) or not isinstance(answer, int | str):
        return None
    m = _NUMBER_ANSWER.fullmatch(str(answer))
    if m is None:
        return None
    n, start = int(m.group(1)), listed.first if base is None else base
    # the options whose text is the number (`2`, `2.`, `$2$`), or gives it as a value (`x = 2`)
    texts = [i for i, o in enumerate(listed.options) if _option_value(o) == str(n)]
    if not 0 <= n - start < len(listed.options):
        if seen is not None and n == 0 and listed.first == 1 and not texts:
            seen.numbered_zero = True  # no option's number: the file may count from 0
        return None
    letter = LETTERS[n - start]
    hint = (
        "set verifier: mcq on the source (--default verifier=mcq) if the answers are the options' numbers, or "
        "verifier: math if they are values"
    )
    if verifier is None and (other := [i for i in texts if i != n - start]):
        i = other[0]
        return Rejected(
            "invalid_value:answer",
            f"answer {answer!r} is the number of the prompt's option {n} ({listed.options[n - start][:40]!r}) and also "
            f"option {i + listed.first}'s text: which one is meant is unknown; {hint}",
        )
    if verifier is None and n - start not in texts and (counts := COUNTS_THE_LIST.search(listed.question)) is not None:
        return Rejected(
            "invalid_value:answer",
            f"the question counts the listed items ({counts.group(0)!r}), so answer {answer!r} may be a count as well "
            f"as the number of the prompt's option {n}; {hint}",
        )
    relation = next((o for o in listed.options if RELATION.search(o) and not _VALUE_OPTION.fullmatch(o)), None)
    if verifier is None and relation is not None and not ASKS_TO_PICK.search(f"{listed.question}\n{listed.closing}"):
        # "What is x?\n1. x + y = 3\n2. x - y = 1" with 2: x, or the second equation (it was read as the option)
        return Rejected(
            "invalid_value:answer",
            f"the listed items state relations ({relation[:40]!r}) and the question asks to choose none of them, so "
            f"answer {answer!r} may be a value they give as well as the number of the prompt's option {n}; {hint}",
        )
    if seen is not None and listed.first == 1:
        seen.numbered_read = seen.numbered_read or (str(answer).strip(), letter)
    return letter


# an answer that is one number (an index, or an option's value): `2`, `0`
_DIGITS_ANSWER = re.compile(r"\s*(\d{1,2})\s*")


def _listed_index(answer: Any, prompt: str, listed: list[str], base: int | None) -> str | Rejected | None:
    """The letter a number answer names as an index (counted from `base`) of the options a prompt lists with letters
    (`Which planet is red?\nA) Venus\nB) Mars ...` with 2), when it is no option's text or value; None when it is one,
    is no index of the list, or the question asks about the listed items rather than to choose one (a question after
    the list, one counting them, relations none is chosen from: the number may be a value). Without a base it is
    Rejected: 2 is C counted from 0 and B counted from 1, and the row says neither."""
    if isinstance(answer, bool) or not isinstance(answer, int | str):
        return None
    m = _DIGITS_ANSWER.fullmatch(str(answer))
    around = around_listed_options(prompt)
    if m is None or around is None:
        return None
    n, (before, after) = int(m.group(1)), around
    if not 0 <= n <= len(listed) or any(_option_value(o) == str(n) for o in listed):
        return None
    relation = any(RELATION.search(o) and not _VALUE_OPTION.fullmatch(o) for o in listed)
    if "?" in after or COUNTS_THE_LIST.search(before) or (relation and not ASKS_TO_PICK.search(before + after)):
        return None
    if base is not None:
        if 0 <= n - base < len(listed):
            return LETTERS[n - base]
        return Rejected(
            "invalid_value:answer",
            f"answer index {n} outside {base}..{len(listed) - 1 + base} of the options the prompt lists",
        )
    readings = [
        f"{how} {LETTERS[i]} ({listed[i][:40]!r})" if 0 <= i < len(listed) else f"{how} no option"
        for how, i in (("counted from 0 it names", n), ("counted from 1", n - 1))
    ]
    return Rejected(
        "invalid_value:answer",
        f"answer {answer!r} is no text of the options A-{LETTERS[len(listed) - 1]} the prompt lists, so it may be an "
        f"index: {', '.join(readings)}; give the letter, or set answer_index_base: 0 or 1 on the source "
        "(--answer-index-base) if the answers are the options' indexes",
    )


# an answer that lists several numbers, maybe in the marks of a numbered list (`2, 3`, `2 and 3`, `(2), (3)`; not
# `2/3`, a fraction)
NUMBERS_ANSWER = r"\s*[(\[]?\d{1,2}[)\]]?(?:\s*(?:[,;&]|\band\b)\s*[(\[]?\d{1,2}[)\]]?)+\s*\.?\s*"
_NUMBERS_ANSWER = re.compile(NUMBERS_ANSWER, re.IGNORECASE)


def _numbered_options(
    answer: Any, listed: NumberedOptions, verifier: str | None, base: int | None, seen: IndexSeen | None
) -> str | Rejected | None:
    """The letters (`B, C`) of the options an answer listing several numbers names in the options a prompt numbers
    (`2, 3`: a multi-select MCQ, as `B, C` is), each read as `_numbered_option` reads one; None when the answer is no
    such list, an option's own text, names an option twice or a number the list does not have, or the question asks to
    choose none (`choices.ASKS_TO_PICK`), and Rejected when a number may be a value as well."""
    if not isinstance(answer, str) or _NUMBERS_ANSWER.fullmatch(answer) is None:
        return None
    if not ASKS_TO_PICK.search(f"{listed.question}\n{listed.closing}"):
        return None
    if any(" ".join(answer.split()).rstrip(".") == " ".join(o.split()).rstrip(".") for o in listed.options):
        return None  # the text of one option (`2, 3` of a list of pairs)
    numbers = re.findall(r"\d+", answer)
    if len(set(map(int, numbers))) != len(numbers):
        return None
    letters = []
    for n in numbers:
        got = _numbered_option(n, listed, verifier, base, seen)
        if isinstance(got, Rejected):
            return Rejected(got.reason, f"in answer {answer!r}: {got.detail}")
        if got is None:
            return None
        letters.append(got)
    return ", ".join(letters)


# an answer that gives a numbered option's number and its text (`1. Paris`, `(2) Lyon`, `3) Nice`; not `1.5`)
_NUMBER_WITH_TEXT = re.compile(r"\s*[(\[]?(\d{1,2})\s*(?:[)\]]|[.:](?=\s))\s*(\S.*?)\s*", re.DOTALL)


def _numbered_option_text(answer: Any, listed: NumberedOptions, base: int | None) -> str | None:
    """The letter of the option an answer names by its text in the options a prompt numbers: the text of exactly one
    of them (`listed_option_with_text`: `Paris`, `lyon.`), or an option's number with that option's text (`1. Paris`);
    None otherwise (another option's number with the text, no option's text, or an answer without a letter, which
    `_numbered_option` reads: `7` stays a value)."""
    if not isinstance(answer, str) or not any(c.isalpha() for c in answer):
        return None
    m = _NUMBER_WITH_TEXT.fullmatch(answer)
    if m is None:
        return listed_option_with_text(answer, listed.options)
    i = int(m.group(1)) - (listed.first if base is None else base)
    if 0 <= i < len(listed.options) and listed_option_with_text(m.group(2), listed.options) == LETTERS[i]:
        return LETTERS[i]
    return None


def _stated_answer(answer: Any, solution: Any, answer_regex: str | None) -> tuple[str, str | None] | None:
    """The answer a row states in a worked text, as the steps after the options read it, and that text when it is the
    answer column's (None when the solution column holds it: it is kept in metadata as given): a solution's last
    `\\boxed{}` or closing "The answer is: C" (also a chat's worked reply), the `answer_regex` capture, GSM8K's last
    line `#### A`, or the marked value of an answer that is a worked solution. None without one, and for a solution
    that boxes several values (quarantined as ambiguous further on)."""
    if answer is None and isinstance(solution, str):
        value = solution_answer(solution)
        return (value, None) if value and len(boxed_values(final_part(solution))) <= 1 else None
    if not isinstance(answer, str):
        return None
    if answer_regex is not None:
        m = re.search(answer_regex, answer)
        value = m.group(1) if m else None
    elif "####" in answer:
        final = FINAL_ANSWER_MARK.search(answer)
        value = final.group(1) if final else None
    elif worked_solution(answer):
        value = solution_answer(answer)
    else:
        return None
    return (value.strip(), answer) if value and value.strip() else None


def answers_read_one_way(seen: IndexSeen | None, source: SourceConfig) -> None:
    """Stop the ingest (IngestError naming the file and the setting) once a file's integer MCQ answers have read two
    ways (`IndexSeen.mixed`): as an index and as an option's text, or as an option's number beside a 0. Read on, the
    rows the default reading keyed would name the wrong option, right-looking, and the verifier reward it."""
    why = seen.mixed() if seen is not None else None
    if why is not None:
        raise IngestError(f"{source.path or source.hf_dataset or source.name}: {why}")


def _one_or_several(
    answer: Any,
    parsed: Any,
    base: int | None,
    seen: IndexSeen | None,
    prompt: str,
    typed_several: bool = False,
    by_text: bool = False,
) -> str | list[str]:
    """An MCQ answer's letter, or the letters of a multi-select one: an answer that names no single option but lists
    several option letters (`B, D`, JEEBench's `BD`), or one letter of a question that asks for every option that
    holds or of a row typed multi-select (`typed_several`: JEEBench's `MCQ(multiple)`; the set of one)."""
    try:
        letter = resolve_answer(answer, parsed, base, seen, float_text=True, by_text=by_text)
    except ChoiceError as exc:
        if exc.reason != "invalid_value:answer" or (several := several_letters(answer, parsed)) is None:
            raise
        return several
    return [letter] if typed_several or asks_for_several_options(prompt) else letter


def without_switch(text: str, switch: re.Pattern[str]) -> str | None:
    """`text` without another model's think switch (`switch`: `_SYSTEM_SWITCH` or `_PROMPT_SWITCH`), or None when
    it holds none."""
    return switch.sub("", text).strip() if switch.search(text) else None


_BEGIN_OF_THOUGHT, _END_OF_THOUGHT = "<|begin_of_thought|>", "<|end_of_thought|>"
# DeepSeek-R1-Zero's answer tags around a reply's final part (`<think>...</think> <answer>...</answer>`: AM's replies)
_ANSWER_TAGS = re.compile(r"\s*<answer>\s*(.*?)\s*</answer>\s*", re.DOTALL)
_SOLUTION_MARKS = re.compile(r"<\|(?:begin|end)_of_solution\|>")


def final_part(text: str) -> str:
    """What a worked reply answers with: after a reasoning trace's last `</think>` (DeepSeek-R1 style: Mixture-of-
    Thoughts, OpenR1-Math's `messages`) or `<|end_of_thought|>` (OpenThoughts, without its solution markers); the
    whole text without either; inside R1-Zero's `<answer>...</answer>` tags when they wrap it. A think block never
    closed (`<think>`, or `<|begin_of_thought|>` without its end marker: it was read as free-form text) has no final
    part (""). The trace's tentative values ("first guess \\boxed{8}") are not the answer."""
    if _END_OF_THOUGHT in text:
        final = _SOLUTION_MARKS.sub("", text.rsplit(_END_OF_THOUGHT, 1)[1]).strip()
    elif _BEGIN_OF_THOUGHT in text:
        final = ""
    elif "<think>" not in text and "</think>" not in text:
        final = text
    else:
        final = parse_trace(text, "think").answer
    tagged = _ANSWER_TAGS.fullmatch(final)
    return tagged.group(1) if tagged else final


def _reads_like_data(name: str) -> bool:
    """Whether a column name reads like a value rather than a name: a sentence (over 40 characters, with spaces)."""
    return len(name) > 40 and " " in name.strip()


def solution_answer(solution: str) -> str | None:
    """The answer a worked solution gives: the last `\\boxed{}` of its final part (`final_part`), else the value of
    its last line `#### 42` (GSM8K) or of the sentence that ends it ("The answer is: 42"); None without one."""
    final = final_part(solution)
    boxed = last_boxed(final)
    if boxed is not None:
        return boxed
    stated = FINAL_ANSWER_MARK.search(final) or STATED_ANSWER.search(final)
    return stated.group(1) if stated is not None else None


def _system_prompt(value: Any) -> str | Rejected | None:
    """A task's own system prompt: text, stripped; None when blank. Hermes 4's reasoning prompt is taken out (the
    think switch, which generate adds in think mode only: kept, every no-think request would carry it). The caller
    sets aside one that sets the reasoning format (`REASONING_FORMAT`)."""
    if value is None or is_blank(value):
        return None
    if not isinstance(value, str):
        return Rejected("wrong_type:system", f"the system prompt must be a string, got {type(value).__name__}")
    if THINK_SYSTEM_PROMPT in value:
        value = value.replace(THINK_SYSTEM_PROMPT, "")
    return value.strip() or None


def _valid_tests(tests: Any) -> bool:
    if isinstance(tests, str):
        return bool(tests.strip())
    return (
        isinstance(tests, list)
        and bool(tests)
        and all(isinstance(t, dict) and "input" in t and "output" in t for t in tests)
    )


@functools.cache
def known_verifiers() -> tuple[str, ...]:
    """The verifier names a task may carry: the verify registry's built-ins and `thinkmill.verifiers` entry
    points (read once per process). `ingest.extra_verifiers` adds names on top."""
    from pipeline.verify.registry import registered_names

    return tuple(registered_names())


def normalize_record(
    record: dict[str, Any],
    source: SourceConfig,
    *,
    max_prompt_chars: int,
    extra_verifiers: tuple[str, ...] = (),
    allow_template_tokens: bool = False,
    check_verifier_args: bool = True,
    index_seen: IndexSeen | None = None,
    allow_media: bool = False,
    check_context: bool = True,
    sparse: frozenset[str] = frozenset(),
    class_labels: Mapping[str, Sequence[str]] | None = None,
    semicolons: bool = False,
) -> dict[str, Any] | Rejected:
    """One raw record -> task fields plus `dedup_text`, or Rejected. Call `finish_ids` on the accepted batch.
    `semicolons`: the row comes from a CSV read with `;` (`readers.reads_semicolons`), whose math or numeric answers
    may have decimal commas (`_decimal_comma`).
    `index_seen` records how MCQ answers read as option indexes (the caller's per-file 1-based check).
    `sparse`: mapped columns that other rows of the file hold (`stage.sparse_columns`: a JSON Lines writer leaves a
    null key out); a row without such a column holds it empty, it is not a file without the column.
    `class_labels`: the input's ClassLabel columns and their names (`Input.labelled_batches`); an answer from one, with
    no options, names its class.

    With `check_verifier_args`, a task no response could pass (its built-in verifier refuses its arguments, see
    `pipeline.verify.registry.args_problem`) is quarantined `invalid_value:verifier_args` (or `:answer`).

    A prompt (or MCQ choice) holding a chat-template control token such as `<|im_end|>` is quarantined as
    `template_token` unless `allow_template_tokens`: rendered through a chat template and tokenised, it would forge
    a turn boundary at generation and in the fine-tune.

    A row with an image, audio or video (`pipeline.ingest.media`) is quarantined `needs_image` (`needs_audio`,
    `needs_video`) unless `allow_media`: the model, sent the text alone, would answer without it.

    With `check_context`, a row whose prompt refers to a text it does not hold while a long text column of the row
    is left out of the prompt is quarantined `needs_context` (`mapping.context` adds a column to the prompt)."""
    if not allow_media and (hit := find_media(record)) is not None:
        col, kind = hit
        return Rejected(f"needs_{kind}", _needs_media(kind, f"column {col!r} holds {_a(kind)}"))
    if (col := tools_column(record)) is not None:
        return Rejected(
            "needs_tools",
            _needs_tools(f"column {col!r} lists functions for the model to call (a function-calling row: xLAM, Glaive)")
            + ", or drop the column if the prompt does not need the tools",
        )
    try:
        got = _normalize(
            record,
            source,
            max_prompt_chars,
            extra_verifiers,
            check_verifier_args,
            index_seen,
            allow_media,
            check_context,
            sparse,
            class_labels or {},
        )
    except _NumpyText as exc:
        return Rejected(
            f"wrong_type:{exc.args[0]}",
            f"{exc.args[0]} is a numpy array's text, as pandas writes a `datasets` list column "
            "(`ds.to_pandas().to_csv()`: `['a' 'b']`, `array([...])`), which cannot be read back safely: write the "
            "file as Parquet or JSONL (`ds.to_parquet`, `ds.to_json`)",
        )
    except _TooDeep as exc:
        return Rejected("too_deep", f"{exc.args[0]} nests deeper than {MAX_DEPTH} levels")
    if not allow_media and isinstance(got, dict):
        for what, text in (("prompt", got["prompt"]), ("system prompt", got["system"])):
            m = PLACEHOLDER.search(text) if text else None
            if m is not None:
                kind = m.group(1).lower()
                return Rejected(f"needs_{kind}", _needs_media(kind, f"the {what} refers to {_a(kind)} ({m.group(0)})"))
        # a code task's text specifies what its tests check ("each pixel in the image" of LeetCode's flood fill)
        if check_context and got["verifier"] != "code" and (figure := refers_to_figure(got["prompt"])) is not None:
            return Rejected(
                "needs_image",
                f"the prompt refers to a figure it does not hold ({figure!r}) and the row has none: thinkmill "
                "generates from text, so the model would answer about a drawing it never sees, and an answer that "
                "passes by chance would train on it; if the prompt describes the figure in words, set "
                "ingest.check_context: false",
            )
    if semicolons and isinstance(got, dict) and (read := _decimal_comma(got, source)) is not None:
        return read
    if not allow_template_tokens and isinstance(got, dict):
        for what, text in (("prompt", got["dedup_text"]), ("system prompt", got["system"])):
            hit = find_template_token(text) if text else None
            if hit is not None:
                return Rejected(
                    "template_token",
                    f"{what} contains the chat-template token {hit[0]} at character "
                    f"{hit[1]} (set ingest.allow_template_tokens to keep such prompts)",
                )
    return got


# a number written with a decimal comma (`2,5`, `0,25`) or points between thousands (`1.000`, `1.234,5`), as a CSV saved
# with a European locale writes it; in English `2,5` is a list and `1.000` one with three decimals
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_THOUSANDS_POINTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")


def _decimal_comma(got: dict[str, Any], source: SourceConfig) -> Rejected | None:
    """A math or numeric answer of a CSV read with `;` written with a decimal comma or points between thousands: with
    `decimal_comma: true` read so (`2,5` -> `2.5`, `1.000` -> `1000`, in `got`); with false kept as written; unset,
    quarantined `invalid_value:answer` naming both readings. Before, `2,5` was the reference as written: math then
    failed `\\boxed{2.5}` and passed `\\boxed{5,2}`, and `1.000` (German 1000) passed `\\boxed{1}`."""
    answer = got.get("answer")
    if got.get("verifier") not in ("math", "numeric") or not isinstance(answer, str) or source.decimal_comma is False:
        return None
    text = answer.strip()
    if not (_DECIMAL_COMMA.fullmatch(text) or _THOUSANDS_POINTS.fullmatch(text)):
        return None
    value = text.replace(".", "").replace(",", ".")
    if source.decimal_comma:
        got["answer"] = value
        return None
    return Rejected(
        "invalid_value:answer",
        f"the answer {text!r} of a CSV read with ';' (as a spreadsheet saved with a European locale writes it) reads "
        f"two ways: {value} with a decimal comma, or as written in English; set decimal_comma: true on the source "
        "(--decimal-comma) to read it with a decimal comma, or false to keep it as written",
    )


# control characters no text holds (NUL, BEL, ESC of a terminal's colour codes, DEL; not tab, line feed, carriage
# return, vertical tab, form feed or the separators U+001C..U+001F): binary bytes or a terminal's output in a text
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def _control_character(what: str, text: str) -> Rejected | None:
    """`bad_encoding` for a prompt holding a control character, naming it and where (they were kept as written, and
    the training rows carried NUL bytes and terminal colour codes)."""
    m = CONTROL_CHARACTERS.search(text)
    if m is None:
        return None
    return Rejected(
        "bad_encoding",
        f"{what} contains the control character U+{ord(m.group()):04X} at character {m.start():,} (binary bytes or "
        "a terminal's output, not text a model is asked)",
    )


# the prompt's aliases, in lower case (a row's column named so, empty, is named in its quarantine detail)
_PROMPT_ALIASES = frozenset(a.lower() for a in ALIASES["prompt"])

# columns that list the functions a function-calling row expects the model to call (xLAM's `tools`)
TOOLS_COLUMNS = frozenset(("tools", "functions"))


def tools_column(record: dict[str, Any]) -> str | None:
    """The column of a row that lists tools (a list of `{name, ...}` objects, or its JSON text), or None."""
    for k, v in record.items():
        if not isinstance(k, str) or k.lower() not in TOOLS_COLUMNS:
            continue
        if isinstance(v, str) and v.lstrip().startswith("["):
            with contextlib.suppress(ValueError):
                v = json.loads(v)
        if isinstance(v, list) and v and all(isinstance(t, dict) for t in v):
            return k
    return None


def _needs_tools(what: str) -> str:
    return (
        f"{what}: thinkmill sends the prompt without tools and has no tool-call verifier, so the row's expected "
        "answer (a call, or a reply resting on a tool's result) could not be given; leave such files out"
    )


def _a(kind: str) -> str:
    return "an image" if kind == "image" else f"{kind}"


def _needs_media(kind: str, what: str) -> str:
    return (
        f"{what}: thinkmill generates from text, so the model would answer without it, and an answer that passes by "
        f"chance would train on it; set ingest.allow_media if the prompts do not need their {kind}"
    )


# the names a key of ARC's question object must not take as a column of the row: a field's or a context's
_FIELD_NAMES = frozenset(a.lower() for names in ALIASES.values() for a in names) | CONTEXT_NAMES | set(CONTEXT_COLUMNS)


def stem_question(record: dict[str, Any], source: SourceConfig) -> dict[str, Any]:
    """ARC's, OpenBookQA's and CommonsenseQA's own JSONL hold the question as an object, `{"question": {"stem",
    "choices": [{"text", "label"}], ...}, "answerKey"}`: the row as the flat layout reads it, the stem its `question`
    and the choices its options; the object's other keys (CommonsenseQA's `question_concept`) are columns of the row,
    kept in metadata. Every such row was quarantined "prompt must be a string, got dict". Another row, or a mapped
    prompt, as given."""
    q = record.get("question")
    if "prompt" in source.mapping or not isinstance(q, dict) or not isinstance(q.get("stem"), str):
        return record
    if any(record.get(a) is not None for a in ALIASES["prompt"] if a != "question"):
        return record  # another column is the prompt
    rest = {k: v for k, v in q.items() if k not in ("stem", "choices")}
    if any(not isinstance(k, str) or k.lower() in _FIELD_NAMES or k in record for k in rest):
        return record  # a key a field would read, or a column of the row: the mapping decides
    own_choices = "choices" in source.mapping or any(record.get(c) is not None for c in ALIASES["choices"])
    if q.get("choices") is not None and own_choices:
        return record  # two sets of options: the mapping decides
    out = {k: v for k, v in record.items() if k != "question"}
    out["question"] = q["stem"]
    if q.get("choices") is not None:
        out["choices"] = q["choices"]
    return {**out, **rest}


def _normalize(
    record: dict[str, Any],
    source: SourceConfig,
    max_prompt_chars: int,
    extra_verifiers: tuple[str, ...],
    check_args: bool,
    index_seen: IndexSeen | None = None,
    allow_media: bool = False,
    check_context: bool = True,
    sparse: frozenset[str] = frozenset(),
    class_labels: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any] | Rejected:
    record = stem_question(record, source)
    used: set[str] = set()
    cased = cased_columns(record)

    def get(field: str) -> tuple[bool, Any]:
        col = source.mapping.get(field)
        if isinstance(col, list):  # `choices` from one column per option
            values = []
            for c in col:
                found, v = lookup(record, c)
                if found and c in record:
                    used.add(c)
                values.append(v if found else None)
            found_any = any(lookup(record, c)[0] for c in col)
            return (True, values) if found_any else (False, None)  # none of the columns: missing_field
        if col is not None:
            found, v = lookup(record, col)
            if found:
                if col in record:  # a nested path leaves its parent object in metadata (siblings kept)
                    used.add(col)
                return True, _maybe_json(field, v)
            return False, None
        for alias in ALIASES.get(field, ()):
            if alias in record and record[alias] is not None:
                used.add(alias)
                return True, _maybe_json(field, record[alias])
        for alias in ALIASES.get(field, ()) if cased else ():  # in another case (`Question`, `Answer`: AIME)
            col = case_variant(record, alias.lower(), cased)
            if col is not None and record[col] is not None:
                used.add(col)
                return True, _maybe_json(field, record[col])
        if field in source.defaults:
            return True, source.defaults[field]
        return False, None

    def peek(field: str) -> Any:
        """A field's value, its column kept in `metadata` (it is read, not mapped onto a task field)."""
        before = set(used)
        value = get(field)[1]
        used.intersection_update(before)
        return value

    code_fn: str | None = None
    code_script: Script | None = None
    starter_code: Any = None
    before = set(used)
    has_prompt, prompt = get("prompt")
    prompt_keys = used - before
    free_form_reply = False  # the answer is a chat's free-form assistant reply (not a value)
    before = set(used)
    _, messages = get("messages")
    messages_keys = used - before  # the column the chat came from (messages, conversations, or the mapped one)
    if messages is None and _is_chat(prompt):  # verl's layout: `prompt` is the chat
        messages, messages_keys, has_prompt, prompt = prompt, prompt_keys, False, None
    if (exchanges := exchange_turns(messages)) is not None:
        messages = exchanges  # Capybara's {input, output} exchanges (the row was quarantined: "no role or from")
    before = set(used)
    answer_found, answer = get("answer")
    decision = next((DECISION_ANSWERS[k] for k in used - before if k in DECISION_ANSWERS), None)
    _, solution = get("solution")
    _, system = get("system")
    chat = messages  # the turns the task is read from
    beside = False  # the chat is read beside the row's own prompt column
    if has_prompt and isinstance(prompt, str) and _is_chat(messages):
        # UltraChat's and no_robots' layout: `prompt` beside the chat it opens
        head = _chat_opened_by(messages, prompt)
        if isinstance(head, Rejected):
            return head
        if head is None:
            used.difference_update(messages_keys)  # a chat the prompt is no turn of: kept in metadata, as given
        else:
            chat, has_prompt, beside = head, False, True
    if not has_prompt and chat is not None:
        prompt, chat_answer, chat_system, turns_read, err = _chat_turns(chat)
        if err:
            return Rejected(*err)
        if check_context and (before := _text_before_question(chat)) is not None:
            return Rejected("needs_context", before)
        has_prompt = True
        if system is None or is_blank(system):
            system = chat_system
        reference = _chat_reference(chat)
        if not answer_found and reference is not None:
            # the row's own reference answer (AM-DeepSeek-R1-Distilled's user-turn `info`): the reply is a distilled
            # model's, kept as the solution
            answer_found, answer = True, reference
            if solution is None and isinstance(chat_answer, str):
                solution = chat_answer
        elif not answer_found and chat_answer is not None and not (beside and solution is not None):
            # (beside a prompt column, the row's own solution column is the reply: Magpie's `response`, read as such)
            # a reasoning reply (`<think>...</think>` then the answer) answers with its final part
            final = final_part(chat_answer) if isinstance(chat_answer, str) else chat_answer
            if isinstance(final, str) and has_box(final) and solution is None:
                solution = chat_answer  # a worked reply: its boxed value is the answer, as for `solution`
            elif isinstance(final, str) and solution is None and STATED_ANSWER.search(final):
                solution = chat_answer  # a worked reply ending "The answer is: 7" (MetaMathQA as a chat)
            else:
                answer_found, answer = True, final
                free_form_reply = isinstance(final, str) and _free_form(final)
        if isinstance(messages, list) and len(messages) > turns_read:
            used.difference_update(messages_keys)  # keep a chat with turns no field holds in metadata, as given
    ground_truth_tests = None
    if not answer_found and "answer" not in source.mapping:
        # verl's reference: `reward_model.ground_truth`, a value, or a code task's cases as a JSON object
        reward_model = record.get("reward_model")
        truth = reward_model.get("ground_truth") if isinstance(reward_model, dict) else None
        if isinstance(truth, str) and truth.lstrip().startswith("{"):
            with contextlib.suppress(ValueError):  # not JSON: a value that starts with a brace (a set `{1, 2}`)
                truth = json.loads(truth)
        elif isinstance(truth, str) and truth.lstrip().startswith("[{"):
            with contextlib.suppress(ValueError):  # DeepCoder's / LiveCodeBench's typed cases as JSON text
                cases = json.loads(truth)
                if is_case_list(cases):
                    truth = cases
        # a code task's cases: `{inputs, outputs}`, or `[{input, output, testtype}]` (it was a math reference)
        if (isinstance(truth, dict) and _TEST_KEYS & truth.keys()) or is_case_list(truth):
            ground_truth_tests = truth
        elif isinstance(truth, dict) and truth.keys() == {"target"} and isinstance(truth["target"], list):
            answer_found, answer = True, truth["target"]  # Search-R1's QA answers: a list answer
        elif isinstance(truth, dict):
            return Rejected(
                "wrong_type:answer",
                f"reward_model.ground_truth is {_shape_name(truth)}, neither a value nor a code task's cases "
                "({inputs, outputs}): map the answer column (--map answer=reward_model.ground_truth.KEY) if it "
                "holds one value",
            )
        elif truth is not None:
            answer_found, answer = True, truth
    if not has_prompt or prompt is None:
        col = source.mapping.get("prompt")
        if has_prompt and isinstance(col, str):  # the mapped column is there, empty in this row (a CSV's blank cell)
            return Rejected("missing_field:prompt", f"{col!r} is empty (null) in this row")
        hint = ""
        if col is None:
            like = next((c for c in PROMPT_LIKE if isinstance(record.get(c), str) and record[c].strip()), None)
            chat = next((c for c in PROMPT_LIKE if _is_chat(record.get(c))), None)
            if like is not None:
                hint = f"; column {like!r} may hold it: --map prompt={like} (mapping: {{prompt: {like}}})"
            elif chat is not None:  # Llama-Nemotron's post-training rows
                hint = f"; column {chat!r} holds a chat: --map messages={chat} (mapping: {{messages: {chat}}})"
        if col is None:  # a prompt's column is there, null in this row ("no 'prompt' column" before)
            named = next(
                (c for c in record if isinstance(c, str) and c.lower() in _PROMPT_ALIASES and record[c] is None), None
            )
            if named is not None:
                return Rejected("missing_field:prompt", f"{named!r} is empty (null) in this row")
        col = col or "prompt"
        if not hint and any(isinstance(c, str) and _reads_like_data(c) for c in record):
            # a CSV without a header line (MMLU's own files): its first row was read as the column names
            shown = ", ".join(repr(c if len(c) <= 30 else c[:27] + "...") for c in list(record)[:8])
            hint = (
                "; the file's first line may be a data row read as its header (a CSV needs a header line naming its "
                f"columns): its columns are {shown}"
            )
        return Rejected("missing_field:prompt", f"no {col!r} (nor problem/question/instruction/messages) column{hint}")
    if not isinstance(prompt, str):
        hint = ""
        col = source.mapping.get("prompt") or next(iter(prompt_keys), None)
        if isinstance(prompt, dict) and isinstance(col, str):  # the question's text is one key of the object
            key = next((k for k, v in prompt.items() if isinstance(v, str) and v.strip()), None)
            options = next((k for k, v in prompt.items() if isinstance(v, list | dict) and v), None)
            if key is not None:
                hint = (
                    f" (keys {', '.join(map(str, list(prompt)[:6]))}): map the key that holds the text, --map "
                    f"prompt={col}.{key} (mapping: {{prompt: {col}.{key}}})"
                    + (f", and the options if {options!r} holds them, --map choices={col}.{options}" if options else "")
                )
        return Rejected("wrong_type:prompt", f"prompt must be a string, got {type(prompt).__name__}{hint}")
    if isinstance(answer, float) and not float_answer_held(answer):
        # (it was the reference `nan`, `inf` or the float's shortest spelling: a right integer failed)
        if math.isnan(answer):
            answer = None  # a NaN is a missing value (json.dumps' and pandas' null): as a null answer
        elif math.isinf(answer):
            return Rejected(
                "invalid_value:answer",
                f"the answer is the float {answer!r} (`Infinity`, or a number past a float's range such as 1e400): "
                "no response could match it; write the answer as text (a string) if it is a number that large",
            )
        else:
            return Rejected(
                "wrong_type:answer",
                f"the answer is the float {answer!r}, a whole number past 2**53 that a float cannot hold exactly (it "
                "may not be the integer written: pandas stores an integer column with a null as float64); write the "
                "answer column as integers or as strings",
            )
    think_switch: dict[str, str] = {}
    if (cut := without_switch(prompt, _PROMPT_SWITCH)) is not None:
        think_switch["prompt"], prompt = prompt, cut
    reasoning_format_prompt = None
    if "<think>" in prompt and (cut := without_format(prompt)) is not None:
        reasoning_format_prompt, prompt = prompt, cut
    mapped_context = source.mapping.get("context")
    added = False  # a context column was added to the prompt
    # a question about a text: the row has a reference answer or choices
    choice_cols = (*ALIASES["choices"], *_columns(source.mapping.get("choices")))
    # one column per option, unmapped (Social IQa's answerA..C): the choices
    unmapped_choices = "choices" not in source.mapping and all(record.get(c) is None for c in ALIASES["choices"])
    series = option_columns(record) if unmapped_choices else None
    # GPQA's `Correct Answer` and `Incorrect Answer 1..3`: the options, and the first one is the answer
    right_first = (
        correct_incorrect_columns(record)
        if unmapped_choices and series is None and not answer_found and "answer" not in source.mapping
        else None
    )
    if right_first is not None:
        series = right_first
    # TruthfulQA's options and labels (`mc1_targets`), the right one first
    targets = (
        record.get("mc1_targets")
        if unmapped_choices and series is None and not answer_found and "answer" not in source.mapping
        else None
    )
    about_text = (
        (answer_found and answer is not None)
        or any(c in record for c in choice_cols)
        or bool(series)
        or targets is not None
    )
    if mapped_context is not None:
        for col in _columns(mapped_context):
            found, value = lookup(record, col)
            if found and col in record:
                used.add(col)
            text = (
                (written_context(value) if isinstance(value, str) else context_text(value))
                if value is not None
                else None
            )
            if isinstance(value, str) and text is None:
                return Rejected("wrong_type:context", f"{col!r} holds {_WRITTEN_HINT}")
            if value is not None and text is None:
                return Rejected(
                    "wrong_type:context",
                    f"{col!r} must be text (or a list of passages, or HotpotQA's titled paragraphs), got "
                    f"{_shape_name(value)}",
                )
            if text is None or not text.strip():
                if source.context_optional:  # ScienceQA's `hint`: a passage for some rows, empty for most
                    continue
                # a prompt that refers to no text may need none: the setting that keeps such rows is named
                optional = (
                    "; if only some rows have one, set context_optional: true (--context-optional) to add it where "
                    "present"
                    if not _REFERS_TO_TEXT.search(prompt)
                    else ""
                )
                what = f"no {col!r} column for the prompt's context" if not found else f"{col!r} is empty in this row"
                return Rejected("missing_field:context", what + optional)
            prompt = f"{prompt.rstrip()}\n\n{text.strip()}"
            added = True
    elif source.mapping.get("prompt", "prompt") in ALIASES["prompt"]:
        # the text an instruction or question is about (Alpaca's `input`, Dolly's `context`, BoolQ's `passage`,
        # RACE's `article`): part of the prompt, not metadata ("Summarize the following text." without the text)
        for name in CONTEXT_COLUMNS:
            if name in _CONTEXT_BESIDE_ANSWER and not about_text:
                continue
            col = name if name in record or not cased else (case_variant(record, name, cased) or name)
            value = record.get(col)
            if col in used or value is None or col in source.mapping.values():
                continue
            # Alpaca's `input` is text; another value there (a code task's test inputs) is no context
            text = (
                value if name == "input" else written_context(value) if isinstance(value, str) else context_text(value)
            )
            if isinstance(value, str) and text is None:
                return Rejected("wrong_type:context", f"column {col!r} holds {_WRITTEN_HINT}")
            if text is None and isinstance(value, dict | list):
                return Rejected(
                    "wrong_type:context",
                    f"column {col!r} holds {_shape_name(value)}, not the text the prompt is about (text, a list "
                    "of passages, or HotpotQA's titled paragraphs): turn it into text and map it with --map "
                    f"context=COL, or rename the column if it is not the prompt's context",
                )
            if isinstance(text, str):
                used.add(col)
                if text.strip() and not _NO_INPUT.fullmatch(text):
                    prompt = f"{prompt.rstrip()}\n\n{text.strip()}"
                    added = True
    # a mapped context, optional, that a row lacks: the row is checked as one without a mapping
    unmapped = mapped_context is None or source.context_optional
    if check_context and unmapped and not added:
        named = _context_named(record, used, source, about_text)
        if named is not None:
            col, n = named
            return Rejected(
                "needs_context",
                f"column {col!r} ({n:,} characters) is named like the text a question is about and is left out of "
                f"the prompt: add it with --map context={col} (mapping: {{context: {col}}}; --context-optional if "
                "only some rows have one); if the prompt does not need it, set ingest.check_context: false",
            )
    if check_context and unmapped and not added and (refers := _REFERS_TO_TEXT.search(prompt)):
        left_out = _left_out_text(record, used, source)
        if left_out is not None:
            col, n = left_out
            return Rejected(
                "needs_context",
                f"the prompt refers to a text it does not hold ({refers.group(0)!r}) and column {col!r} "
                f"({n:,} characters) is left out of it: if it holds the text, add it to the prompt with "
                f"--map context={col} (mapping: {{context: {col}}}); else set ingest.check_context: false",
            )
        points = _POINTS_AT_TEXT.search(prompt)
        if points is not None and _holds_no_text(prompt, points):
            return Rejected(
                "needs_context",
                f"the prompt refers to a text it does not hold ({points.group(0)!r}) and the row has none: add the "
                "text to the prompt (--map context=COLUMN); if the prompt does not need it, set "
                "ingest.check_context: false",
            )
    if "\ufffd" in prompt:
        return Rejected("bad_encoding", "prompt contains U+FFFD replacement characters (mis-decoded text)")
    if (control := _control_character("prompt", prompt)) is not None:
        return control
    if not prompt.strip():
        return Rejected("empty_prompt", "prompt is empty or whitespace")
    if len(prompt) > max_prompt_chars:
        return Rejected("too_long", f"prompt has {len(prompt):,} characters (limit {max_prompt_chars:,})")
    system = _system_prompt(system)
    if isinstance(system, Rejected):
        return system
    reasoning_format_system = None
    if system is not None and REASONING_FORMAT.search(system):
        # R1-Zero's format sentences out, the task's own instruction kept (Logic-RL's "state the identity of each
        # character"); another format prompt (OpenThoughts') is not sent at all
        rest = without_format(system)
        reasoning_format_system = system
        system = rest if rest and not REASONING_FORMAT.search(rest) else None
    if system is not None and (cut := without_switch(system, _SYSTEM_SWITCH)) is not None:
        think_switch["system"], system = system, cut or None
    if system is not None:
        if "\ufffd" in system:
            return Rejected("bad_encoding", "system prompt contains U+FFFD replacement characters (mis-decoded text)")
        if (control := _control_character("system prompt", system)) is not None:
            return control
        if len(prompt) + len(system) > max_prompt_chars:
            return Rejected(
                "too_long",
                f"prompt and system prompt have {len(prompt) + len(system):,} characters (limit {max_prompt_chars:,})",
            )

    _, verifier_args = get("verifier_args")
    if verifier_args is None:
        verifier_args = {}
    if not isinstance(verifier_args, dict):
        return Rejected(
            "wrong_type:verifier_args", f"verifier_args must be an object, got {type(verifier_args).__name__}"
        )
    verifier_args = dict(verifier_args)
    _, verifier = get("verifier")
    verifier = None if is_blank(verifier) else verifier  # an empty cell of a verifier column: not set
    # IFEval's columns become verifier_args, unless verifier_args holds constraints already (then they stay metadata)
    ifeval_ids = (
        None if {"constraints", "instruction_id_list"} & verifier_args.keys() else get("instruction_id_list")[1]
    )
    if ifeval_ids is not None:
        verifier_args["instruction_id_list"] = ifeval_ids
        _, ifeval_kwargs = get("kwargs")
        if ifeval_kwargs is not None:
            verifier_args["kwargs"] = ifeval_kwargs
        verifier = verifier or "ifeval"
    elif verifier in (None, "ifeval") and not {"constraints", "instruction_id_list"} & verifier_args.keys():
        # Tulu 3's RLVR-IFeval: `ground_truth` (or the mapped answer) names open-instruct's IF function and its
        # arguments, or IFEval ids (IF_multi_constraints): ifeval constraints, not an answer value
        field = "answer" if answer_found else "ground_truth"
        truth = answer if answer_found else None if "answer" in source.mapping else record.get("ground_truth")
        try:
            constraints = if_constraints(truth)
        except IfTruthError as exc:
            return Rejected(
                f"invalid_value:{field}",
                f"{field} holds an instruction-following constraint that cannot be read: {exc}",
            )
        if constraints is not None:
            verifier_args["constraints"], verifier = constraints, "ifeval"
            answer_found, answer = False, None
            used.add("ground_truth")
    _, domain = get("domain")
    domain = None if is_blank(domain) else domain
    if isinstance(domain, list) and "domain" not in source.mapping:
        # Big-Math's and Omni-MATH's `domain` is a list of taxonomy paths, not a task domain: kept in metadata
        used.difference_update(ALIASES["domain"])
        domain = source.defaults.get("domain")
    has_choices, choices = get("choices")
    if is_blank(choices):  # a blank options cell is none (a mixed file's open question), as a blank verifier is
        choices = None
    before = set(used)
    _, tests = get("tests")
    info = "verification_info" in used - before and isinstance(tests, dict) and tests.keys() == {"ground_truth"}
    if info and not answer_found:
        # PrimeIntellect SYNTHETIC-1's `verification_info` of a task with an answer (its code tasks hold cases there)
        answer_found, answer, tests = True, tests["ground_truth"], None
    elif info:  # beside an answer column: no tests, kept in metadata as given
        tests = None
        used.discard("verification_info")
    elif tests is None and ground_truth_tests is not None:
        tests = ground_truth_tests
    if (
        choices is None
        and unmapped_choices
        and series is None
        and targets is None
        and verifier in (None, "mcq")
        and tests is None
        and (dream := choice_list(record, answer, cased)) is not None
    ):
        # DREAM's `choice`: the options, since the answer is one of them (it was a `math` task asked without them)
        used.add(dream[0])
        choices = dream[1]
    if choices is None and series is not None and verifier in (None, "mcq"):
        choices = [record[c] for c in series]
        used.update(series)
        if right_first is not None:
            answer_found, answer = True, "A"
    else:
        series = right_first = None  # not read as the options
    # options whose order means nothing (the right one first by construction): shuffled unless the source says not
    ordered_by_construction = right_first is not None
    if choices is None and targets is not None and verifier in (None, "mcq"):
        got_targets = mc1_targets(targets)
        if isinstance(got_targets, str):
            return Rejected("invalid_value:choices", got_targets)
        choices, right = got_targets
        answer_found, answer = True, LETTERS[right] if right < len(LETTERS) else right
        used.add("mc1_targets")
        ordered_by_construction = True
    if choices is None and decision is not None and verifier in (None, "mcq") and tests is None:
        word = answer.strip().lower() if isinstance(answer, str) else None
        if word not in decision:
            return Rejected(
                "invalid_value:answer",
                f"the decision is {answer!r}: PubMedQA's final_decision is {', '.join(decision[:-1])} or "
                f"{decision[-1]}, the options the prompt offers",
            )
        choices, answer = list(decision), word
    class_letter: tuple[str | None, str] | None = None  # (column, letter) of a ClassLabel whose names are letters
    classes = type(answer) is int or (isinstance(answer, list) and all(type(x) is int for x in answer))
    if choices is None and class_labels and tests is None and classes:
        col = source.mapping.get("answer")
        if not isinstance(col, str):
            col = next((c for c in used if may_answer(c)), None)
        names = class_labels.get(col or "")
    else:
        names = None
    if names and isinstance(answer, list):
        # a list of ClassLabels (`labels: Sequence(ClassLabel(no, yes))`, `[1]`): one class is that class, none the
        # Hub's "no label" (-1); several are their names under another verifier, else the options' letters (below)
        if len(answer) > 1 and not all(0 <= x < len(names) for x in answer):
            return Rejected(
                "invalid_value:answer",
                f"the answer is column {col!r}'s classes {answer[:8]}, not all of which name one of its classes "
                f"{list(names)[:8]}",
            )
        if len(answer) > 1 and verifier not in (None, "mcq"):
            answer = [names[x] for x in answer]
            names = None
        elif len(answer) > 1 and _letter_names(names):
            # a multi-label row: the letters of the options the prompt lists ("B, D"), or of its classes as options
            # (a multi-select MCQ)
            class_letter = (col, ", ".join(names[x] for x in answer))
            answer, names = class_letter[1], None
        elif len(answer) > 1 and len(names) <= len(LETTERS):
            choices, answer, names = list(names), [LETTERS[x] for x in answer], None
        elif len(answer) > 1:
            return Rejected("invalid_value:choices", f"{len(names)} choices, at most {len(LETTERS)} supported")
        else:
            answer = answer[0] if answer else -1
    if names and verifier not in (None, "mcq"):
        # a ClassLabel answer under another verifier (`--default verifier=exact`): the class's name is the reference,
        # never its number (-1, the Hub's "no label", names none: no reference, for a verifier that needs one)
        if 0 <= answer < len(names):
            answer = names[answer]
        elif verifier not in VERIFIERS_WITHOUT_ANSWER:
            return Rejected(
                "missing_field:answer",
                f"the answer is column {col!r}'s class {answer}, which names none of its classes {list(names)[:8]}",
            )
        else:
            answer_found, answer = False, None
    elif (
        names and not 0 <= answer < len(names) and not (col.lower() in _LABEL_NAMES and "answer" not in source.mapping)
    ):
        # -1, the Hub's "no label" (a test split), read as the answer: no reference (it was a `math` task whose
        # reference was '-1'; a `label` column read unmapped is refused below as a label without options)
        return Rejected(
            "missing_field:answer",
            f"the answer is column {col!r}'s class {answer}, which names none of its classes {list(names)[:8]}",
        )
    elif names and 0 <= answer < len(names) and len(names) > len(LETTERS):
        # more classes than letters (GoEmotions' 28): refused as `parse_choices` refuses as many options (a class
        # past Z was a `math` task whose reference was its number)
        return Rejected("invalid_value:choices", f"{len(names)} choices, at most {len(LETTERS)} supported")
    elif names and 0 <= answer < len(names):
        # a Hugging Face ClassLabel answer (super_glue's BoolQ `label`: False / True) without options: its names are
        # the options and its number the 0-based index of the right one (-1, the Hub's "no label", is none)
        if _letter_names(names):
            # `ClassLabel(A, B, C, D)` without an options column: the class is an option's letter, of options the
            # prompt must list (read below), not options of their own ("A. A\nB. B" below the prompt's list)
            class_letter, answer = (col, names[answer]), names[answer]
        else:
            choices, answer = list(names), LETTERS[answer]
    full_answer: str | None = None  # the whole text an answer was taken from (`metadata.solution`)
    closing = ""  # the instruction that follows options the prompt numbers: it stays after them
    # the answer a solution states (MATH's `\\boxed{\\textbf{(B)}\\ 6}`, a chat reply's "The answer is: C", GSM8K's
    # `#### A`): taken further below, after this step, so a letter there is checked against the listed options here
    listed = options_in_prompt(prompt) if choices is None and verifier in (None, "mcq") and tests is None else None
    stated = _stated_answer(answer, solution, source.answer_regex) if listed is not None else None
    if listed is not None and (stated is not None or (source.answer_regex is None and isinstance(answer, str))):
        given = answer if stated is None else stated[0]
        # AMC's `\\textbf{(B)}`, `\\text{(B)}\\ 2`: `(B)`, `(B) 2`; `Option B`, `The answer is (B) CO2`: `B`, `(B) CO2`
        plain = latex_letter_answer(given) or phrased_letter(given) or given
        if (
            LETTER_ANSWER.fullmatch(plain) or lists_letters(plain) or LETTER_WITH_TEXT.fullmatch(plain)
        ) and _names_listed_options(plain, listed):
            # a letter answer to options the prompt lists (BIG-Bench Hard, AQuA-RAT as one text), or several letters
            # (a multi-select MCQ: JEEBench's `BD`, SynLogic's `A,C,D`; they were `math` tasks comparing symbols)
            choices, answer = listed, plain
            if stated is not None:  # the solution stays in metadata (a `solution` column is kept there as given)
                answer_found, full_answer = True, stated[1]
        elif stated is None and (letter := listed_option_with_text(answer, listed)) is not None:
            # the text of one listed option (the letter: "2" is option B's text, never index 2); a solution's value
            # is not read so (a MATH solution boxing `6` stays a `math` task)
            choices, answer = listed, letter
    if (
        listed is None
        and choices is None
        and verifier in (None, "mcq")
        and tests is None
        and source.answer_regex is None
        and isinstance(answer, str)
        and (cyrillic := cyrillic_options_in_prompt(prompt)) is not None
        and (letter := cyrillic_label_answer(answer, len(cyrillic)) or listed_option_with_text(answer, cyrillic))
    ):
        # a Cyrillic label (`В`: the third, C) or an option's text answering a list under Cyrillic labels (it was a
        # `math` task whose reference was the label or text); a Latin letter stays as it was (`B` may be Б or В)
        choices, answer = cyrillic, letter
    index_problem: Rejected | None = None
    if (
        listed is not None
        and choices is None
        and stated is None
        and source.answer_regex is None
        and source.integer_answer != "text"
        and (index := _listed_index(answer, prompt, listed, source.answer_index_base)) is not None
    ):
        # a number that is no listed option's text (`Which planet is red?\nA) Venus\nB) Mars ...`, 2): an index, read
        # from the source's base and refused without one, since 2 is C counted from 0 and B from 1 (it was a `math`
        # task whose reference was the number: `B` and `Mars` failed)
        if isinstance(index, Rejected):
            index_problem = index  # after the context checks: a row about a table it lacks says so first
        else:
            choices, answer = listed, index
    if (
        listed is None
        and choices is None
        and verifier in (None, "mcq")
        and tests is None
        and source.answer_regex is None
        and source.integer_answer != "text"
        and (numbered := numbered_options_in_prompt(prompt)) is not None
    ):
        # a number answer to options the prompt numbers (`What is 3+4?\n1. 5\n2. 7`, 2): the option of that number,
        # shown with its letter in place of the number (it was a `math` task whose reference was the number)
        got = _numbered_option(answer, numbered, verifier, source.answer_index_base, index_seen)
        if got is None:  # several numbers (`2, 3`): the letters of a multi-select MCQ
            got = _numbered_options(answer, numbered, verifier, source.answer_index_base, index_seen)
        if got is None:  # an option's text (`Paris`, `1. Paris`)
            got = _numbered_option_text(answer, numbered, source.answer_index_base)
        answers_read_one_way(index_seen, source)
        if isinstance(got, Rejected):
            return got
        if got is not None:
            choices, answer, prompt, closing = numbered.options, got, numbered.question, numbered.closing
    if (
        listed is None
        and choices is None
        and verifier in (None, "math")
        and tests is None
        and source.answer_regex is None
        and (asking := numbered_options_asking_number(prompt)) is not None
        and (letter := _numbered_option_text(answer, asking, source.answer_index_base)) is not None
    ):
        # an option's text (`Paris`, `1. Paris`) answering a prompt that asks for the option's number ("...\n1.
        # Paris\n2. Lyon\nGive the option's number."): the reference is the number the prompt shows (it was the text,
        # so a right `\\boxed{1}` failed); a number answer stays the number, as above
        answer = str(asking.first + LETTERS.index(letter))
    if class_letter is not None and choices is None:
        return Rejected(
            "missing_field:choices",
            f"the answer is column {class_letter[0]!r}'s class {class_letter[1]!r}, a ClassLabel whose names are "
            "option letters, and the row has no options (none in the prompt, no options column): the prompt would "
            "not say what the letter names; name the option columns (--map choices=COL1,COL2,...)",
        )

    # the other answers a response may give (a list answer, TriviaQA's aliases, a boolean's word): not None when
    # the answer was given as several values or a boolean, which makes a short-answer task for `exact`
    aliases: list[str] | None = None
    if isinstance(answer, str) and (listed := _listed_texts(answer)) is not None:
        answer = listed  # a list written as text (a CSV's list column): read as the list
    elif (
        isinstance(answer, str)
        and answer.strip().lower() in BOOLEAN_TEXTS
        and verifier is None
        and choices is None
        and tests is None
    ):
        answer = answer.strip().lower() == "true"  # a boolean written as text (pandas' to_csv of BoolQ): a boolean
    if (
        (choices is not None or verifier == "mcq")
        and isinstance(answer, list)
        and len(answer) == 1
        and type(answer[0]) is int
        and source.answer_list != "any"
    ):
        # one index in a list (lm-eval's AGIEval `gold: [2]`) is that index, as a list of two is a multi-select's
        # indexes: as the text "2" it also read as an option's text ("2" of `["1", "2", ...]`)
        answer = answer[0]
    # a list of letters, indexes or option texts on a row with options: a multi-select MCQ (read below)
    mcq_list = (
        (choices is not None or verifier == "mcq")
        and isinstance(answer, list)
        and len(answer) >= 2
        and source.answer_list != "any"
        and all(isinstance(x, str | int) and not isinstance(x, bool) for x in answer)
    )
    # a boolean answer of an MCQ names the option that reads it (`True`, `Yes`: `choices.resolve_answer`), not "yes"
    mcq_boolean = isinstance(answer, bool) and (choices is not None or verifier == "mcq")
    if (
        not mcq_list
        and not mcq_boolean
        and answer is not None
        and (isinstance(answer, bool) or not isinstance(answer, str | int | float))
    ):
        col = next((c for c in used if c.lower() in _ANSWER_NAMES), None) or source.mapping.get("answer")
        got = _answer_values(answer, source, prompt, col)
        if isinstance(got, Rejected):
            return got
        answer, aliases = got
        if isinstance(record.get(col or ""), dict):
            used.discard(col)  # the object stays in metadata as given (TriviaQA's entity type, SQuAD's offsets)
    if answer is not None and (
        "aliases" in source.mapping or (verifier in (None, "exact") and choices is None and tests is None)
    ):
        found, column = get("aliases")
        more = _alias_column(column) if found else None
        if isinstance(more, Rejected):
            return more
        if more:
            aliases = _other_answers(_text(answer) or "", [*(aliases or []), *more])
    if isinstance(answer, str) and not answer.strip():
        answer = None  # blank is missing: a verifier cannot compare with it
    if source.answer_regex is not None and answer is not None and full_answer is None:
        full_answer = _text(answer)
        m = re.search(source.answer_regex, full_answer or "")
        picked = m.group(1) if m else None
        if picked is None or not picked.strip():
            return Rejected(
                "answer_unparsed",
                f"answer_regex {source.answer_regex!r} does not match the answer {(full_answer or '')[-60:]!r}",
            )
        answer = picked.strip()
    elif isinstance(answer, str) and "####" in answer:
        final = FINAL_ANSWER_MARK.search(answer)
        if final is not None:  # GSM8K's rationale, then `#### 72` on its last line: the answer is what follows
            full_answer, answer = answer, final.group(1)
    options: dict[str, str] | None = None
    order_kept: str | None = None  # why shuffle_choices left this row's options in order
    multi_select = False
    # the options column there but empty in this row: the mapped one (or path), else one found by its name
    mapped_choices = source.mapping.get("choices")
    # the mapped column left out of this row while other rows of the file hold it (a JSON Lines row without the key)
    left_out = not has_choices and any(c in sparse for c in _columns(mapped_choices or []))
    empty_choices = None
    if choices is None and isinstance(mapped_choices, str) and (has_choices or left_out):
        empty_choices = mapped_choices
    elif choices is None and mapped_choices is None:
        empty_choices = _empty_choices_column(record, cased)
    if empty_choices is not None and verifier in (None, "mcq") and tests is None and names_an_option(answer):
        # an MCQ whose options are missing from this row: without them it would be an open question whose reference
        # is a letter (a response boxing "C" would pass)
        where = (
            f"this row has no {empty_choices!r} (other rows of the file do)"
            if left_out
            else f"{empty_choices!r} is empty in this row"
        )
        return Rejected("missing_field:choices", f"{where}, and its answer {_text(answer)!r} names an option")
    if "choices" in source.mapping and choices is None and not has_choices and not left_out:
        return Rejected("missing_field:choices", f"no {source.mapping['choices']!r} column for the choices")
    if choices is not None or verifier == "mcq":
        if choices is None:
            choices = verifier_args.get("choices")
        if choices is None:
            return Rejected(
                "missing_field:choices", "an mcq task needs choices (a choices column or verifier_args.choices)"
            )
        if not answer_found and "answer" not in source.mapping and not any(a in record for a in ALIASES["answer"]):
            return Rejected(
                "missing_field:answer",
                f"an MCQ row with no answer column ({', '.join(ALIASES['answer'])}); name yours: mapping "
                "{answer: COLUMN} (--map answer=COLUMN)",
            )
        col = source.mapping.get("choices")
        base, by_text = source.answer_index_base, source.integer_answer == "text"
        try:
            parsed = parse_choices(choices, col if isinstance(col, list) else series)
            if mcq_list:
                picked = [resolve_answer(x, parsed, base, index_seen, float_text=True, by_text=by_text) for x in answer]
                if len(set(picked)) != len(picked):
                    raise ChoiceError("answer", "invalid_value", f"the answer {answer!r} names an option twice")
                answer = sorted(picked)
            else:
                asked = f"{prompt}\n\n{closing}" if closing else prompt
                answer = _one_or_several(answer, parsed, base, index_seen, asked, typed_multi_select(record), by_text)
        except ChoiceError as exc:
            answers_read_one_way(index_seen, source)
            if series is not None:
                return Rejected(
                    exc.reason,
                    f"{exc.detail}; the options were read from the columns {', '.join(series)}, one per option: if "
                    "they are not a question's options, give the source a verifier (--default verifier=math)",
                )
            return Rejected(exc.reason, exc.detail)
        answers_read_one_way(index_seen, source)
        options = parsed.options
        shown = shows_options(prompt, options)
        if not shown and (otherwise := options_listed_otherwise(prompt, options)) is not None:
            return Rejected("invalid_value:choices", otherwise)  # the options block would contradict the prompt's
        # GPQA's layout puts the right option first by construction: its order means nothing, so it is shuffled
        # unless the source says to keep it (a fine-tune would learn "the answer is A")
        shuffle = source.shuffle_choices or (ordered_by_construction and source.shuffle_choices is None)
        if shuffle and refers_to_options(options):
            order_kept = "an option names other options by letter or position"  # shuffled, it would name others
        elif shuffle and not source.shuffle_choices and shown:
            order_kept = "the prompt lists the options with their letters"
        elif shuffle:
            if shown:
                return Rejected(
                    "invalid_value:choices",
                    "the prompt lists the options with their letters, so shuffle_choices cannot reorder them; give "
                    "the question alone, or leave shuffle_choices unset",
                )
            seed_text = prompt + "\x1f" + "\x1f".join(sorted(options.values()))
            if isinstance(answer, list):
                options, answer = shuffled_letters(options, answer, seed_text)
            else:
                options, answer = shuffled(options, answer, seed_text)
        verifier_args["choices"] = options
        if isinstance(answer, list):  # a multi-select MCQ: the letters, and the prompt says how to give them
            answer, verifier_args["multiple"] = ",".join(answer), True
            multi_select = True
        verifier = verifier or "mcq"
        domain = domain or "science_mcq"
    elif tests is not None or verifier == "code":
        entry_point, starter_code = peek("entry_point"), peek("starter_code")
        try:
            setup = setup_code(peek("test_setup"))
            meta = peek("metadata")
            fn_hint = peek("fn_name") or (meta.get("func_name") if isinstance(meta, dict) else None)
            tests, code_fn, code_script, prelude = code_tests(
                tests if tests is not None else verifier_args.get("tests"), entry_point, setup, fn_hint, starter_code
            )
        except TestsProblem as exc:
            return Rejected(exc.reason, str(exc))
        if not _valid_tests(tests):
            if isinstance(tests, str | list | dict) and not (tests.strip() if isinstance(tests, str) else tests):
                # APPS' `input_output` is "" in some rows: "tests must be an assert script ..." did not say so
                return Rejected("wrong_type:tests", f"the tests are empty in this row ({tests!r}): nothing to run")
            return Rejected(
                "wrong_type:tests",
                "tests must be an assert script, a list of asserts, or a list of {input, output} objects",
            )
        verifier_args["tests"] = tests
        if prelude is None and code_fn is not None and code_fn == entry_point:
            # HumanEval's layout: the prompt's code runs first, as its harness runs it (`code_tests.prompt_prelude`)
            prelude = prompt_prelude(prompt, entry_point)
        if prelude is not None:
            verifier_args["prelude"] = prelude
        verifier = verifier or "code"
        domain = domain or "code"
    boxed_in_solution: list[str] = []
    if answer is None and isinstance(solution, str):
        answer = solution_answer(solution)  # a reasoning trace's tentative values are not the answer
        boxed_in_solution = boxed_values(final_part(solution)) if answer else []
    answer = _text(answer) if answer is not None else None
    if answer is not None and not answer.strip():
        answer = None  # e.g. an empty \boxed{}
    if answer is None and verifier == "judge" and isinstance(solution, str) and final_part(solution).strip():
        # the reference response the LLM judge is shown (Alpaca's output, a chat's reply; a trace's final part)
        answer = final_part(solution)
    if solution is not None:
        verifier_args_solution = solution if isinstance(solution, str) else to_json(solution)
    else:
        verifier_args_solution = None
    if verifier is None and free_form_reply:
        return Rejected(
            "missing_field:verifier",
            f"the chat's reply is free-form text ({len(str(answer)):,} characters), not an answer a verifier "
            "compares by value: set verifier: judge (an LLM judge grades responses, the reply shown as reference), "
            "or verifier: math if the replies end in the answer",
        )
    labels = {c for c in used if c.lower() in _LABEL_NAMES} if "answer" not in source.mapping else set()
    if verifier is None and options is None and answer is not None and labels:
        col = labels.pop()
        return Rejected(
            "missing_field:choices",
            f"the answer is column {col!r} ({answer!r}), a class label or an option's key, and the row has no "
            "options, so the prompt would not say what it means: name the option columns (--map "
            f"choices=COL1,COL2,...); if {col!r} holds the answer itself, --map answer={col}",
        )
    if verifier is None and options is None and tests is None and answer is not None:
        missing = _options_missing(record, used, source, prompt, answer)
        if missing is not None:
            return Rejected("missing_field:choices", missing)
    if check_context and options is None and tests is None and verifier != "code" and (cut := ends_announcing(prompt)):
        return Rejected(
            "needs_context",
            f"the prompt ends announcing what it is about ({cut!r}) and does not hold it: the text, equation or "
            "table was lost (add it to the prompt, --map context=COLUMN); if the prompt is whole, set "
            "ingest.check_context: false",
        )
    if (
        check_context
        and options is None
        and tests is None
        and verifier != "code"
        and (gone := announces_missing(prompt))
    ):
        return Rejected(
            "needs_context",
            f"the prompt announces {gone!r} and does not hold it (no number, symbol or text of it follows): the "
            "expression, equation or list was lost (add it to the prompt, --map context=COLUMN); if the prompt is "
            "whole, set ingest.check_context: false",
        )
    if aliases is not None and verifier is None:
        verifier = "exact"
        domain = domain or SHORT_ANSWER_DOMAIN
    if aliases:
        if verifier not in _READS_ALIASES and verifier in known_verifiers():
            return Rejected(
                "invalid_value:answer",
                f"the row accepts {len(aliases) + 1} answers ({_listed([answer, *aliases])}) and the {verifier} "
                "verifier compares with one: responses giving the others would fail; use verifier: exact (each "
                "one accepted), or give one answer",
            )
        verifier_args["aliases"] = aliases
    elif verifier == "exact" and "aliases" in verifier_args and verifier not in extra_verifiers:
        # checked here, not by marking `exact` `args_probe` (`registry.args_problem`): that would send every exact
        # row of the bulk path, which never holds verifier_args, to the per-row one
        from pipeline.verify.verifiers.simple import aliases_problem  # a lazy import: no cycle

        problem = aliases_problem(verifier_args["aliases"])
        if problem is not None:
            return Rejected("invalid_value:verifier_args", problem)
    if verifier is None:
        verifier = "math" if answer is not None else None
    if verifier is None:
        hint = (
            "; a free-form solution or output is graded by an LLM judge: set verifier: judge"
            if isinstance(solution, str) and solution.strip()
            else ""
        )
        # not an object (RLVR-IFeval's `ground_truth` holds a constraint's function and arguments): no answer value
        like = next(
            (
                c
                for c in record
                if isinstance(c, str)
                and c.lower() in ANSWER_LIKE
                and record[c] is not None
                and not isinstance(record[c], dict)
                and not (isinstance(record[c], str) and record[c].lstrip().startswith("{"))
            ),
            None,
        )
        answers_col = like if like is not None and like.lower() == "answers" else None
        if like is None:  # SQuAD's `answers` object ({text, answer_start}): its spans are the accepted answers
            answers_col = next(
                (c for c in record if c.lower() == "answers" and isinstance(record[c], dict) and "text" in record[c]),
                None,
            )
        if like is not None and answers_col is None and "answer" not in source.mapping:
            hint = (
                f"; column {like!r} may hold the answer: map it with --map answer={like} (mapping: {{answer: "
                f"{like}}}); a free-form answer is graded by an LLM judge (--default verifier=judge)"
            )
        if answers_col is not None and "answer" not in source.mapping:
            # WebQuestions', SQuAD's: not an alias (a column of model answers is named so too), so named here
            hint = (
                f"; column {answers_col!r} may hold the accepted answers: map it with --map answer={answers_col} "
                "(mapping: {answer: " + answers_col + "}; a list of several that each are right also needs "
                "--answer-list any)"
            )
        mapped = source.mapping.get("answer")
        if answer_found and isinstance(mapped, str):  # the mapped column is there, empty in this row
            return Rejected(
                "missing_field:answer",
                f"{mapped!r} is empty (null) in this row, and it has no solution with \\boxed{{}}, choices or tests",
            )
        return Rejected(
            "missing_field:answer",
            f"no answer, solution with \\boxed{{}}, choices or tests, and no default verifier{hint}",
        )
    if not isinstance(verifier, str):
        return Rejected("wrong_type:verifier", f"verifier must be a string, got {type(verifier).__name__}")
    if verifier not in extra_verifiers and verifier not in known_verifiers():
        return Rejected(
            f"unknown_verifier:{verifier}",
            f"verifier {verifier!r} is not one of {sorted({*known_verifiers(), *extra_verifiers})}",
        )
    if answer is None and verifier not in VERIFIERS_WITHOUT_ANSWER:
        return Rejected("missing_field:answer", f"verifier {verifier!r} needs an answer")
    if answer is not None and verifier in ("math", "numeric") and answer.strip().lower() in MISSING_ANSWERS:
        # a CSV's missing cell as pandas or a spreadsheet writes it (it was the reference: a right response failed)
        return Rejected(
            "missing_field:answer",
            f"the answer {answer.strip()!r} is how pandas or a spreadsheet writes a missing value, not a {verifier} "
            "reference: fill in the answer, or leave the row out (verifier: exact keeps it as text)",
        )
    if answer is not None and verifier in ("math", "numeric") and worked_solution(answer):
        # Orca-Math's `answer` is a worked solution: math-verify would read its last number as the reference
        value = solution_answer(answer)
        if value is None or not value.strip():
            return Rejected(
                "invalid_value:answer",
                f"the answer is a worked solution ({len(answer):,} characters) with no final value marked "
                "(\\boxed{}, a last line '#### 42', a closing 'The answer is: 42'): the math verifier would compare "
                f"responses with whatever number it ends with ({answer.strip()[-40:]!r}); give the final answer in its "
                "own column or an answer_regex, or set verifier: judge to grade responses against it",
            )
        full_answer = full_answer or answer
        answer = value.strip()
    elif answer is not None and verifier in ("math", "numeric") and (m := STATES_ITS_VALUE.fullmatch(answer)):
        # "Answer: 42", "The final answer is 48.": the value (the sentence was the reference: `\\boxed{42}` failed)
        answer = m.group("value").removesuffix(".").strip() or answer
    if (
        answer is not None
        and verifier in ("math", "numeric")  # an `exact` task may expect the words "not found"
        and answer.strip().lower() in PLACEHOLDER_ANSWERS
    ):
        return Rejected(
            "invalid_value:answer",
            f"the answer {answer.strip()!r} is a placeholder (a proof problem, or one without a final answer): no "
            f"response could match it under the {verifier} verifier; give such rows `verifier: judge` with the "
            "solution as reference, or leave them out",
        )
    if len(boxed_in_solution) > 1 and verifier not in VERIFIERS_WITHOUT_ANSWER:
        # which boxed value is the reference? (the last one used to be taken: a multi-part or two-root answer then
        # passed responses that gave only that part)
        shown = ", ".join(f"\\boxed{{{v}}}" for v in boxed_in_solution[:4])
        more = f" and {len(boxed_in_solution) - 4} more" if len(boxed_in_solution) > 4 else ""
        return Rejected(
            "invalid_value:answer",
            f"the solution boxes {len(boxed_in_solution)} different values ({shown}{more}): the reference is "
            "ambiguous; give it in an answer column (or `answer_regex`)",
        )
    if check_args and verifier not in extra_verifiers:  # a name the verify config registers (maybe a built-in's)
        from pipeline.verify.registry import args_problem

        problem = args_problem(verifier, prompt=prompt, answer=answer, verifier_args=verifier_args)
        if problem is not None:
            return Rejected(f"invalid_value:{problem.field}", str(problem))
    domain = domain or DOMAIN_OF_VERIFIER.get(verifier, "general")
    if not isinstance(domain, str) or not domain:
        return Rejected("wrong_type:domain", f"domain must be a non-empty string, got {domain!r}")

    _, task_id = get("id")
    if isinstance(task_id, float) and task_id.is_integer() and abs(task_id) <= 2**53:
        # pandas' float64 of an integer id column with a null (`1.0`): the integer's id (beyond 2**53 a float may
        # not be the integer written, and is refused)
        task_id = int(task_id)
    if task_id is not None and (isinstance(task_id, bool) or not isinstance(task_id, str | int)):
        return Rejected("wrong_type:id", f"id must be a string or integer, got {type(task_id).__name__}")
    _, license_ = get("license")
    if license_ is None:
        license_ = source.license
    _, meta = get("metadata")
    if meta is not None and not isinstance(meta, dict):
        return Rejected("wrong_type:metadata", f"metadata must be an object, got {type(meta).__name__}")
    metadata: dict[str, Any] = {k: v for k, v in record.items() if k not in used and k != "metadata"}
    if allow_media:  # where the media was, never its bytes
        metadata = {k: media_stub(k, v) for k, v in metadata.items()}
    metadata.update(meta or {})
    if verifier_args_solution is not None:
        metadata.setdefault("solution", verifier_args_solution)
    if full_answer is not None:
        metadata.setdefault("solution", full_answer)
    if order_kept is not None:
        metadata["choices_order_kept"] = order_kept
    if reasoning_format_system is not None:
        metadata["reasoning_format_system"] = reasoning_format_system
    if reasoning_format_prompt is not None:
        metadata["reasoning_format_prompt"] = reasoning_format_prompt
    if think_switch:
        metadata["think_switch"] = think_switch

    if check_context and verifier != "code" and (other := refers_to_other_problem(prompt)) is not None:
        return Rejected(
            "needs_context",
            f"the prompt builds on another problem it does not hold ({other!r}): a part of a multi-part problem or a "
            "textbook exercise asked without the text it continues; add that text to the prompt (--map "
            "context=COLUMN); if the prompt is whole, set ingest.check_context: false",
        )
    if check_context and verifier != "code" and (table := refers_to_table(prompt)) is not None:
        left_out = _left_out_text(record, used, source)
        add = f"--map context={left_out[0]} if column {left_out[0]!r} holds it" if left_out else "--map context=COLUMN"
        return Rejected(
            "needs_context",
            f"the prompt refers to a table it does not hold ({table!r}): the model would answer about values it never "
            f"sees; add the table to the prompt as text, Markdown or a row per line ({add}); if the prompt gives the "
            "values in words, set ingest.check_context: false",
        )
    if index_problem is not None:
        return index_problem
    if verifier == "code":  # before the key: the stored prompt is the text later ingests compare with
        try:  # the model must know what the tests call (the stored prompt is the one every later stage uses)
            prompt = code_prompt(prompt, code_script, code_fn, starter_code)
        except TestsProblem as exc:
            return Rejected(exc.reason, str(exc))
        if len(prompt) > max_prompt_chars:
            return Rejected(
                "too_long",
                f"prompt with its starter code or test has {len(prompt):,} characters (limit {max_prompt_chars:,})",
            )
    asked = f"{prompt}\n\n{closing}" if closing else prompt
    key = prompt_key(asked, verifier_args)  # from the source's own text: ids stay stable
    if options is not None:
        # The model must see what it chooses between, and the fine-tune must learn from the same text: the
        # stored prompt is the one every later stage (requests, lints, export) uses.
        if multi_select and not (asks_for_several_options(asked) and "\\boxed" in asked):
            prompt = f"{prompt.rstrip()}\n\n{MULTI_SELECT_INSTRUCTION}"  # unless the prompt says both (SynLogic)
        prompt = with_options(prompt, options)
        if closing:  # the instruction after options the prompt numbered stays after them
            prompt = f"{prompt}\n\n{closing}"
        if len(prompt) > max_prompt_chars:
            return Rejected(
                "too_long", f"prompt with its options has {len(prompt):,} characters (limit {max_prompt_chars:,})"
            )
    tid = f"{source.name}/{task_id}" if task_id is not None and str(task_id) != "" else None
    return {
        "task_id": tid,
        "source": source.name,
        "domain": domain,
        "prompt": prompt,
        "answer": answer,
        "verifier": verifier,
        "verifier_args": to_json(verifier_args),
        "license": str(license_) if license_ is not None else None,
        "metadata": to_json(metadata),
        "system": system,
        "prompt_hash": None,  # filled per batch by finish_ids
        "dedup_text": key,
    }
