"""Verifier accuracy: gold answers must pass, wrong answers and non-answers must fail.

`measure` (reasoning-gym, one row per dataset) and `measure_families` (every other verifier family, one row per
family) are shared by `bench/verifiers_bench.py` (the tables in docs/verifiers.md) and the accuracy tests."""

from __future__ import annotations

import json
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import rgym
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.reasoning_gym_source import task_records
from pipeline.verify.config import VerifyConfig
from pipeline.verify.files import verify_files

# IFEval's published examples (google-research instruction_following_eval/instructions_test.py; a few, marked, are
# written here for ids its tests do not cover): (instruction id, response, kwargs, follows in strict mode).
IFEVAL_EXAMPLES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("language:response_language", "The response is English", {"language": "en"}, True),
    ("language:response_language", "Desayunamos en McDonald's hoy", {"language": "es"}, True),
    ("language:response_language", "Today we visit the Louvre", {"language": "en"}, True),
    (
        "length_constraints:number_sentences",
        "xx,x. xx,x! xx/x. x{x}x?",
        {"relation": "less than", "num_sentences": 4},
        False,
    ),
    (
        "length_constraints:number_sentences",
        "xxxx. xx,x! xxxx. x(x)x?",
        {"relation": "less than", "num_sentences": 5},
        True,
    ),
    (
        "length_constraints:number_sentences",
        "xxxx. xx,x! xx|x. x&x x?",
        {"relation": "at least", "num_sentences": 4},
        True,
    ),
    (
        "length_constraints:number_sentences",
        "xx-x. xx,x! xx}x. x,xx?",
        {"relation": "at least", "num_sentences": 5},
        False,
    ),
    (
        "detectable_content:number_placeholders",
        "Sure, here is a short template with 5 placeholders:\n[Name]\n"
        "[Email]\n[Phone]\n[Address]\n[Website]\nThis template can be used.",
        {"num_placeholders": 5},
        True,
    ),
    (
        "detectable_content:number_placeholders",
        "My [adjective] [noun] is [adjective] [noun]. I [verb] and [verb].",
        {"num_placeholders": 7},
        False,
    ),
    (
        "detectable_format:number_bullet_lists",
        "\n  A list. For example:\n  * This is a bullet point.\n  *(no space "
        "required)Another bullet point.\n  * (no newline ending required)Another bullet point.\n  markdown bullet "
        "points are often used.",
        {"num_bullets": 3},
        True,
    ),
    (
        "detectable_format:number_bullet_lists",
        "\n  Check that inline asterisk (*), *, will not be counted. Only * "
        "that starts a\n  bullet list will be counted:\n    * This is a bullet point.\n    * Another bullet point.\n"
        "    . dot is not counted",
        {"num_bullets": 2},
        True,
    ),
    (
        "detectable_format:number_bullet_lists",
        "\n  Here are three markdown bullets:\n  - I am a model.\n  - I am trained.\n  -I am still under development.",
        {"num_bullets": 3},
        True,
    ),
    (
        "detectable_format:number_bullet_lists",
        "\n  Paragraph 1\n  ***\n  Paragraph 2\n  ***\n  Paragraph 3\n  * only one bullet point\n  ",
        {"num_bullets": 1},
        True,
    ),
    ("detectable_format:constrained_response", "\n My answer is no.\n", {}, True),
    ("detectable_format:constrained_response", "My answer is no. I am still under development.", {}, True),
    ("detectable_format:constrained_response", "My answer is probably.", {}, False),
    (
        "detectable_format:number_highlighted_sections",
        "\n  you would type:*hello*, You can also use the ** "
        "character to\n  create bold text. you\n  would type: **hello** ",
        {"num_highlights": 2},
        True,
    ),
    (
        "detectable_format:number_highlighted_sections",
        "\n  equations highlighted with Markdown:\n  *Finite "
        "difference methods\n  *Finite element methods*\n  *Boundary element methods\n  *Monte Carlo methods\n  I hope "
        "this helps!",
        {"num_highlights": 2},
        False,
    ),
    (
        "detectable_format:number_highlighted_sections",
        "\n  There is allowed to be *two different* highlighted "
        "*sections in the same*\n  line. **This is also true** for **double markdown highlights.**\n  ",
        {"num_highlights": 4},
        True,
    ),
    (
        "detectable_format:multiple_sections",
        "\n  Your response must have multiple sections. Mark the beginning of "
        'each section\n  with "Section X", such as:\n  Section 1\n  [content of section 1]\n  Section 2\n  [content of '
        "section 2]",
        {"section_spliter": "Section", "num_sections": 3},
        False,
    ),
    (
        "detectable_format:multiple_sections",
        "SECTION 1\n  [content of section 1]\n  SECTION 2\n  [content of section 2]",
        {"section_spliter": "SECTION", "num_sections": 2},
        True,
    ),
    (
        "length_constraints:number_paragraphs",
        "\n  paragraph 1\n  ***\n  paragraph 2\n  ***\n  paragraph 3",
        {"num_paragraphs": 3},
        True,
    ),
    (
        "length_constraints:number_paragraphs",
        "\n          ***\n  paragraph 1\n          ***\n      paragraph 2\n          ***\n      paragraph 3",
        {"num_paragraphs": 3},
        True,
    ),
    (
        "length_constraints:number_paragraphs",
        "\n  paragraph 1\n          ***\n      paragraph 2\n          ***\n          ***",
        {"num_paragraphs": 2},
        False,
    ),
    (
        "detectable_content:postscript",
        "\n  I am always learning new things.\n\n  P.S. I hope this is what you were looking for.",
        {"postscript_marker": "P.S."},
        True,
    ),
    (
        "detectable_content:postscript",
        "\n  I am always learning new things.\n\n  P.S. I hope this is what you were looking for.",
        {"postscript_marker": "PS:"},
        False,
    ),
    (
        "detectable_content:postscript",
        "\n  one.\n  p.p.s what if the entire response was lower case letters?\n  ",
        {"postscript_marker": "P.P.S"},
        True,
    ),
    (
        "detectable_content:postscript",
        "\n  The mysteries of space and time are mysterious.\n  P. S. Sometimes there "
        "are even spaces between P. and S..\n  ",
        {"postscript_marker": "P.S."},
        True,
    ),
    ("keywords:existence", "An apple and a Banana.", {"keywords": ["apple", "banana"]}, True),
    ("keywords:existence", "An apple.", {"keywords": ["apple", "banana"]}, False),
    ("keywords:frequency", "cat cat dog cat", {"keyword": "cat", "frequency": 3, "relation": "at least"}, True),
    ("keywords:frequency", "cat cat dog cat", {"keyword": "cat", "frequency": 3, "relation": "less than"}, False),
    ("keywords:forbidden_words", "I like cats.", {"forbidden_words": ["cat"]}, True),  # whole words only
    ("keywords:forbidden_words", "I like a Cat.", {"forbidden_words": ["cat"]}, False),
    ("keywords:letter_frequency", "Zebra zoo", {"letter": "z", "let_frequency": 2, "let_relation": "at least"}, True),
    ("length_constraints:number_words", "one two three", {"num_words": 3, "relation": "less than"}, False),
    ("length_constraints:number_words", "one, two-three", {"num_words": 3, "relation": "at least"}, True),
    (
        "length_constraints:nth_paragraph_first_word",
        'Intro here.\n\n"Summary," she said.',
        {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"},
        True,
    ),
    (
        "length_constraints:nth_paragraph_first_word",
        "Intro here.\n\nSummary.\n\nMore.",
        {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"},
        False,
    ),
    ("detectable_format:json_format", '```json\n{"a": 1}\n```', {}, True),
    ("detectable_format:json_format", 'Here: {"a": 1}', {}, False),
    ("detectable_format:title", "<<poem of joy>>\nLines", {}, True),
    ("detectable_format:title", "<<  >> Lines", {}, False),
    ("combination:two_responses", "First answer.\n******\nSecond answer.", {}, True),
    ("combination:two_responses", "Same.\n******\nSame.", {}, False),
    ("combination:repeat_prompt", "write a poem. Here it is", {"prompt_to_repeat": "Write a poem."}, True),
    ("startend:end_checker", 'Bye. "Any other questions?"', {"end_phrase": "Any other questions?"}, True),
    (
        "change_case:capital_word_frequency",
        "THE END IS NEAR, said NOBODY",
        {"capital_frequency": 4, "capital_relation": "at least"},
        True,
    ),
    ("change_case:english_capital", "THIS IS AN ENGLISH SENTENCE WRITTEN IN CAPITALS.", {}, True),
    ("change_case:english_capital", "THIS IS mostly CAPITALS.", {}, False),
    ("change_case:english_lowercase", "this is an english sentence in lowercase letters.", {}, True),
    ("punctuation:no_comma", "no commas here", {}, True),
    ("punctuation:no_comma", "one, two", {}, False),
    ("startend:quotation", '"wrapped"', {}, True),
    ("startend:quotation", '"', {}, False),
    (
        "change_case:capital_word_frequency",
        "\n  HERE there are THREE FUlly CAPITAL words.\n  ",
        {"capital_frequency": 3, "capital_relation": "at least"},
        True,
    ),
    (
        "change_case:capital_word_frequency",
        "\n  THERE are Four FULLY CAPITAL WORDS. Many Others Are Only Partially So.\n  ",
        {"capital_frequency": 5, "capital_relation": "less than"},
        True,
    ),
    (
        "change_case:capital_word_frequency",
        "\n  THERE are Four FULLY CAPITAL WORDS. Many Others Are Only Partially So.\n  ",
        {"capital_frequency": 4, "capital_relation": "less than"},
        False,
    ),
    ("startend:quotation", '\n  "This entire message is wrapped in double quotation marks."\n  ', {}, True),
    (
        "startend:quotation",
        '\n  "This message is wrapped in double quotation marks." But not everything.\n  ',
        {},
        False,
    ),
]

COMPOSITE_CONFIG = {"datasets": [{"name": "basic_arithmetic", "weight": 1}, {"name": "leg_counting", "weight": 1}]}
NON_ANSWER = "I cannot determine this."


@dataclass
class Row:
    dataset: str
    n: int
    gold_n: int
    gold_pass: int
    wrong_n: int
    wrong_fail: int
    gold_kept: int = 0  # gold responses whose whole verdict passed (verifier and trace lints)

    @property
    def gold_rate(self) -> float | None:
        return self.gold_pass / self.gold_n if self.gold_n else None

    @property
    def wrong_rate(self) -> float | None:
        return self.wrong_fail / self.wrong_n if self.wrong_n else None


def solve_rush_hour(board: str) -> str | None:
    """Shortest single-step move list freeing the red car (A), by BFS over board strings; None if unsolvable."""
    from reasoning_gym.games.rush_hour import BOARD_SIZE, TARGET

    def pieces(b: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, c in enumerate(b):
            if c not in "ox.":
                out.setdefault(c, []).append(i)
        return out

    # The prompt (and the scorer) name pieces by their rank among the board's labels: A, C, D -> A, B, C.
    labels = sorted({c for c in board if c not in "ox."})
    start = board.translate(str.maketrans({c: chr(ord("A") + i) for i, c in enumerate(labels)}))
    prev: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        b = queue.popleft()
        ps = pieces(b)
        if ps["A"][0] == TARGET:
            moves = []
            while prev[b] is not None:
                b, mv = prev[b]  # type: ignore[misc]
                moves.append(mv)
            return " ".join(reversed(moves))
        for label, cells in ps.items():
            stride = cells[1] - cells[0]
            for step in (1, -1):
                edge = cells[-1] + stride if step == 1 else cells[0] - stride
                if not 0 <= edge < len(b) or b[edge] != "o":
                    continue
                if stride == 1 and edge // BOARD_SIZE != cells[0] // BOARD_SIZE:
                    continue
                nb = list(b)
                nb[edge] = label
                nb[cells[0] if step == 1 else cells[-1]] = "o"
                s = "".join(nb)
                if s not in prev:
                    prev[s] = (b, f"{label}{'+' if step == 1 else '-'}1")
                    queue.append(s)
    return None


def gold_answer(row: dict[str, Any]) -> str | None:
    if row["answer"] is not None:
        return row["answer"]
    if row["verifier_args"]["dataset"] == "rush_hour":
        return solve_rush_hour(row["verifier_args"]["entry"]["metadata"]["board_config"])
    return None


def wrong_answer(dataset: str, gold: str | None, other_golds: list[str | None]) -> str:
    """Another item's gold whose text differs, else a non-answer. propositional_logic: the negated gold (another
    item's conclusion is often valid for these premises too: many conclusions are right)."""
    if dataset == "propositional_logic" and gold:
        return f"¬{gold}" if gold.startswith("(") else f"¬({gold})"
    norm = (gold or "").strip().casefold()
    others = [g for g in other_golds if g is not None and g.strip().casefold() != norm]
    return others[0] if others else NON_ANSWER


def _tasks(dataset: str, size: int, seed: int) -> list[dict[str, Any]]:
    config = {"composite": COMPOSITE_CONFIG} if dataset == "composite" else {}
    src = SourceConfig.model_validate(
        {"name": "bench", "reasoning_gym": {"datasets": [dataset], "size": size, "seed": seed, "config": config}}
    )
    return list(task_records(src))


def _response(task_id: str, rid: str, answer: str) -> dict[str, str]:
    text = f"<think>\nWorking it out.\n</think>\n<answer>{answer}</answer>"
    return {"task_id": task_id, "response_id": rid, "text": text}


def measure(
    size: int = 20, seed: int = 0, cfg: VerifyConfig | None = None, datasets: list[str] | None = None
) -> tuple[list[Row], float]:
    """One Row per dataset and the wall seconds of the verify run (generation excluded)."""
    names = datasets or rgym.dataset_names()
    tasks: list[dict[str, Any]] = []
    responses: list[dict[str, str]] = []
    kinds: dict[str, tuple[str, str]] = {}  # response id -> (dataset, gold|wrong)
    for name in names:
        rows = _tasks(name, size, seed)
        golds = [gold_answer(r) for r in rows]
        for i, (row, gold) in enumerate(zip(rows, golds, strict=True)):
            tasks.append(row)
            if gold is not None:
                rid = f"{row['task_id']}#gold"
                responses.append(_response(row["task_id"], rid, gold))
                kinds[rid] = (name, "gold")
            rid = f"{row['task_id']}#wrong"
            responses.append(_response(row["task_id"], rid, wrong_answer(name, gold, golds[i + 1 :] + golds[:i])))
            kinds[rid] = (name, "wrong")
    out = {n: Row(n, 0, 0, 0, 0, 0) for n in names}
    for t in tasks:
        out[t["task_id"].split("/")[1]].n += 1
    with tempfile.TemporaryDirectory(prefix="thinkmill-bench-verifiers-") as tmp:
        tp, rp, vp = Path(tmp, "tasks.jsonl"), Path(tmp, "responses.jsonl"), Path(tmp, "verdicts.jsonl")
        tp.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
        rp.write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
        t0 = time.perf_counter()
        verdicts = verify_files(tp, rp, vp, "auto", cfg or VerifyConfig())
        wall = time.perf_counter() - t0
    for v in verdicts:
        name, kind = kinds[v["response_id"]]
        r = out[name]
        if kind == "gold":
            r.gold_n += 1
            r.gold_pass += bool(v["verifier_passed"])
            r.gold_kept += bool(v["passed"])
        else:
            r.wrong_n += 1
            r.wrong_fail += not v["verifier_passed"]
    return list(out.values()), wall


# --- every other verifier family -------------------------------------------------------------------------------
# A case: (family row, task id, reference answer, verifier, verifier_args, [gold responses], [wrong responses]).
# Responses are the answer part; each is sent after a think block. Surface forms are the ones models write.

_MCQ = {"A": "Paris", "B": "London", "C": "Berlin", "D": "Madrid"}
_PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
_ADD_TESTS = "assert add(1, 2) == 3\nassert add(-1, 1) == 0\nassert add(10, 5) == 15"
_SUM_CASES = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6\n"}]


def _py(code: str) -> str:
    return f"Here is the solution.\n```python\n{code}\n```"


FAMILY_CASES: list[tuple[str, str, str | None, str, dict[str, Any], list[str], list[str]]] = [
    (
        "math",
        "frac",
        "3/4",
        "math",
        {},
        [
            "\\boxed{\\frac{3}{4}}",
            "The answer is 3/4",
            "\\boxed{0.75}",
            "So the final answer is $\\dfrac{3}{4}$.",
            "\\boxed{\\frac34}",
            "0.750",
            "The answer is 3/4, not 4/3.",
            "\\boxed{\\frac{3}{4}}\n\nSo the answer is 3/4.",
            "The answer is $\\boxed{\\frac{3}{4}}$.",
        ],
        [
            "\\boxed{\\frac{4}{3}}",
            "The answer is 0.7",
            "\\boxed{3}",
            "\\boxed{3/4} or \\boxed{1/2}",
            "The answer is $\\boxed{0.8}$",
            # hedged or changed after the right value: not a clean final answer
            "\\boxed{1/2} or \\boxed{3/4}",
            "\\boxed{\\frac{3}{4}}\n\nHmm, actually the answer is 1/2.",
        ],
    ),
    # a final answer said in a sentence around its one number (math 16: math 15 read the words as symbols and failed
    # the right ones); a bound or a negation of the number states no value
    (
        "math",
        "sentence",
        "624",
        "math",
        {},
        ["He writes 624 pages a year.", "So he writes 624 pages.", "There are 624 pages in all."],
        ["He writes 625 pages a year.", "He writes more than 624 pages.", "It is not 624 pages."],
    ),
    # a GSM8K-style last line, "#### 72" (math 35: math 34 found no answer; a box before it with another value passed)
    (
        "math",
        "gsm8k",
        "72",
        "math",
        {},
        [
            "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48 + 24 = 72 clips altogether.\n#### 72",
            "She sold 48 + 24 = 72 clips.\n####72",
            "#### Step 1\nShe sold 48 + 24 = 72 clips.\n#### 72",
            "So she sold \\boxed{72} clips.\n#### 72",
        ],
        [
            "She sold 48 + 24 = 70 clips.\n#### 70",
            "She sold 48 + 24 = 72 clips.\n#### Step 2",
            "So she sold \\boxed{70} clips.\n#### 72",
            "The answer is 70.\nShe sold 48 + 24 = 72 clips.\n#### 72",
            "She sold 48 + 24 = 72 clips.\n#### 72 (or maybe 70)",
        ],
    ),
    (
        "math",
        "int",
        "42",
        "math",
        {},
        [
            "The answer is 42",
            "\\boxed{42}",
            "Answer: 42",
            "\\boxed{42.0}",
            "Final answer: $42$",
            # another value named on the answer's line, not offered as right (math 11)
            "\\boxed{42} (41 would be the count without the endpoint)",
            "\\boxed{42}. This is also correct for negative n.",
            # under a heading of its own, or after "Final:" (math 13; math 12 failed these)
            "**Final Answer**\n42",
            "### Final Answer\n\n$42$",
            "Final: 42",
            "\\boxed{42}\n\nWait, let me verify: 6 \\cdot 7 = 42. Yes, n = 42.",
            # a check that ends on the same count, with its noun (math 14)
            "\\boxed{42}\n\nActually, that gives 42 apples in all.",
            # one English number word (math 33; math 32 failed it `mismatch`)
            "The answer is forty-two.",
        ],
        [
            "\\boxed{24}",
            "The answer is 41",
            "The answer is forty-one.",
            "There are forty-two cats and two dogs.",
            "Answer: 4.2",
            "**Final Answer**\n41",
            # a sentence stating two numbers: math-verify read the last (math 13; math 12 passed it)
            "Answer: The bus travels 120 km in 42 hours.",
            # taken back after it was given (math 13; math 12 passed it)
            "\\boxed{42}\n\nWait, I made an error: one bag holds 6, so n = 36.",
            "\\boxed{42}\n\nWait, the total is 36.",
            # taken back with the count's noun (math 14; math 13 passed these)
            "\\boxed{42}\n\nWait, that gives 36 apples in all.",
            "\\boxed{42}\n\nActually, he has 36 apples.",
            # called wrong after it was given, with no other value (math 14; math 13 passed it)
            "\\boxed{42}\n\nWait, that's wrong.",
            # another value offered as right or possible on the answer's line (math 11; math 10 passed these)
            "\\boxed{42} (or possibly 41)",
            "\\boxed{42}, but it could be 41.",  # math 15; math 14 passed it
            "The answer is 42 (but 41 could also be correct).",
            "\\boxed{42}, though 43 is also possible.",
        ],
    ),
    # the empty set in words or symbols (math 33; math 32 compared the words as words and failed these `mismatch`)
    (
        "math",
        "no-solution",
        "\\text{no solution}",
        "math",
        {},
        ["\\boxed{\\emptyset}", "\\boxed{\\varnothing}", "\\boxed{\\text{No real solutions}}", "There is no solution."],
        ["\\boxed{0}", "\\boxed{\\mathbb{R}}", "\\boxed{\\text{all real numbers}}"],
    ),
    (
        "math",
        "all-reals",
        "\\mathbb{R}",
        "math",
        {},
        ["\\boxed{\\text{all real numbers}}", "\\boxed{(-\\infty, \\infty)}", "The answer is all real numbers."],
        ["\\boxed{\\emptyset}", "\\boxed{\\text{no solution}}", "\\boxed{(0, \\infty)}"],
    ),
    (
        "math",
        "units",
        "5",
        "math",
        {},
        ["\\boxed{5 \\text{ cm}}", "\\boxed{5\\,\\mathrm{cm}}", "The answer is 5 cm."],
        ["\\boxed{6 \\text{ cm}}", "The answer is 50 cm."],
    ),
    # a capital unit symbol the prompt never names (math 13; math 12 read N as a variable and failed `\boxed{12}`)
    (
        "math",
        "si-unit",
        "12 N",
        "math",
        {},
        ["\\boxed{12}", "\\boxed{12 \\text{ N}}", "The force is 12 N.\n\n**Answer:** 12 N"],
        ["\\boxed{13}", "\\boxed{12 \\text{ J}}", "\\boxed{120 \\text{ N}}"],
    ),
    (
        "math",
        "units-ref",
        "5 \\text{ cm}",
        "math",
        {},
        [
            "\\boxed{5 \\text{ cm}}",
            "\\boxed{5}",
            "The answer is 5 centimeters.",
            "\\boxed{5\\,\\mathrm{cm}}",
            # another SI prefix, converted (math 13; math 12 failed these `unit_mismatch`)
            "\\boxed{0.05 \\text{ m}}",
            "\\boxed{50 \\text{ mm}}",
            "\\boxed{\\frac{10}{2} \\text{ cm}}",  # a fraction with its unit (math 33)
        ],
        [
            "\\boxed{5 \\text{ m}}",
            "The answer is 5 km.",
            "\\boxed{6 \\text{ cm}}",
            "5 inches",
            "\\boxed{0.5 \\text{ m}}",
            # a fraction's wrapped unit is read (math 33: math 32 passed them, as math-verify strips it)
            "\\boxed{\\frac{10}{2} \\text{ mm}}",
            "\\boxed{\\frac{10}{2} \\text{ kg}}",
        ],
    ),
    # a compound unit (math 7: math-verify read `m/s` as symbols, so no right answer stating it passed)
    (
        "math",
        "compound-unit",
        "5 m/s",
        "math",
        {},
        ["\\boxed{5 \\text{ m/s}}", "The speed is $\\boxed{5\\,\\mathrm{m/s}}$."],
        ["\\boxed{5 \\text{ km/s}}", "\\boxed{6 \\text{ m/s}}", "\\boxed{50}"],
    ),
    # one-letter variables written apart (math 8: math-verify stripped them as units, `2 m g` read as 2)
    (
        "math",
        "spaced-variables",
        "2 m g",
        "math",
        {},
        ["\\boxed{2mg}", "The tension is $\\boxed{2 m g}$."],
        ["\\boxed{2}", "\\boxed{2m}"],
    ),
    # a bare number against a compound unit (math 8: math 7 compared it with the unit's symbols, a false negative)
    (
        "math",
        "compound-unit-bare",
        "9.8 m/s^2",
        "math",
        {},
        ["\\boxed{9.8}", "The acceleration is $9.8$ m/s$^2$, so \\boxed{9.8}."],
        ["\\boxed{10}", "\\boxed{9.8 \\text{ m/s}}", "\\boxed{98}"],
    ),
    # an answer in R1-Zero's <answer> tags (math 9: the tags were read as part of the value)
    (
        "math",
        "answer-tags",
        "B,C",
        "math",
        {},
        ["<answer>B,C</answer>", "<answer> C, B </answer>", "B and C hold.\n<answer>\\boxed{B, C}</answer>"],
        ["<answer>B</answer>", "<answer>A,B,C</answer>", "B,C is wrong.\n<answer>A</answer>"],
    ),
    # math written in Unicode (math 9: math-verify dropped the root sign, so `\\boxed{2}` passed for `2\u221a3`)
    (
        "math",
        "unicode-root",
        "2\u221a3",
        "math",
        {},
        ["\\boxed{2\\sqrt{3}}", "The answer is $2\\sqrt{3}$.", "\\boxed{\\sqrt{12}}"],
        ["\\boxed{2}", "\\boxed{6}", "\\boxed{3\\sqrt{2}}"],
    ),
    # a small number (math 9: math-verify rounds to 6 decimal places, so every value under 5e-7 passed)
    (
        "math",
        "small-number",
        "1.6 \\times 10^{-19} C",
        "math",
        {},
        [
            "\\boxed{1.6 \\times 10^{-19} \\text{ C}}",
            "\\boxed{1.6 \\times 10^{-19}\\,\\mathrm{C}}",
            "The answer is 1.6\u00d710\u207b\u00b9\u2079 C.",
        ],
        ["\\boxed{1.6 \\times 10^{-18} \\text{ C}}", "\\boxed{1.6 \\times 10^{-20}}", "\\boxed{0.0000001}"],
    ),
    # a reference of labelled parts (math 10: math-verify read its last number, so `\\boxed{5}` passed)
    (
        "math",
        "parts",
        "a) 3, b) 5",
        "math",
        {},
        ["\\boxed{a) 3, b) 5}", "\\boxed{(a) 3; (b) 5}", "Answer: a) 3, b) 5"],
        ["\\boxed{5}", "\\boxed{a) 4, b) 5}", "\\boxed{a) 3, b) 6}"],
    ),
    # a reference of several `$...$` pieces (math 10: math-verify read the last piece)
    (
        "math",
        "math-pieces",
        "$3$ and $5$",
        "math",
        {},
        ["\\boxed{3 \\text{ and } 5}", "Answer: 3 and 5"],
        ["\\boxed{5}", "\\boxed{4 \\text{ and } 5}"],
    ),
    # a unit's exponent (math 9: `\\text{ cm}^3` was stripped like `\\text{ cm}^2`)
    (
        "math",
        "unit-exponent",
        "12 \\text{ cm}^2",
        "math",
        {},
        ["\\boxed{12 \\text{ cm}^2}", "\\boxed{12\\,\\mathrm{cm}^{2}}", "The area is 12 cm\u00b2, so \\boxed{12}."],
        ["\\boxed{12 \\text{ cm}^3}", "\\boxed{12 \\text{ m}^2}", "\\boxed{144 \\text{ cm}^2}"],
    ),
    # letters on a number are variables (math 7: math-verify stripped `ab` as a unit, so `4` passed for `4ab`)
    (
        "math",
        "variables",
        "4ab",
        "math",
        {},
        ["\\boxed{4ab}", "\\boxed{4ba}", "The answer is $4ab$."],
        ["\\boxed{4}", "\\boxed{4a}", "\\boxed{2ab}", "The answer is $4$."],
    ),
    (
        "math",
        "latex",
        "\\sqrt{2}",
        "math",
        {},
        ["\\boxed{\\sqrt{2}}", "\\boxed{\\sqrt 2}", "\\boxed{2^{1/2}}"],
        ["\\boxed{2}", "\\boxed{\\sqrt{3}}"],
    ),
    ("math", "equation", "x = 2", "math", {}, ["\\boxed{2}", "\\boxed{x=2}"], ["\\boxed{-2}", "\\boxed{x = 3}"]),
    ("math", "interval", "[1, 3)", "math", {}, ["\\boxed{[1,3)}"], ["\\boxed{[1,3]}", "\\boxed{(1,3)}"]),
    ("math", "percent", "50\\%", "math", {}, ["\\boxed{50\\%}", "The answer is 50%"], ["\\boxed{5\\%}"]),
    (
        "math",
        "prose",
        "3",
        "math",
        {},
        # a stated value with prose after it on its line (math 6; math 5 read numbers out of the prose)
        [
            "Answer: 3 (not 7, which was given away)",
            "The answer is 3, which is 10 - 7.",
            "Answer: 3. The rest, 7, is gone.",
        ],
        ["Answer: 7. (Not 3, which is what was given away.)", "The answer is 30 (or 3 tens).", "Answer: 12 (or 3)"],
    ),
    (
        "math",
        "words",
        "Sinclair Lewis",
        "math",
        {},
        ["\\boxed{Sinclair Lewis}", "\\boxed{\\text{sinclair lewis}}", "The answer is Sinclair Lewis."],
        # a word is no product of letters: anagrams and other word orders are other answers (math 5)
        ["\\boxed{Lewis Sinclair}", "\\boxed{Sinclair Lewsi}", "\\boxed{Upton Sinclair}"],
    ),
    # a unit symbol with an SI prefix, and a reference given as an approximation (math 12; math 11 failed the gold)
    (
        "math",
        "prefixed unit",
        "4.7 k\\Omega",
        "math",
        {},
        ["\\boxed{4.7 \\text{ k}\\Omega}", "\\boxed{4.7\\,\\mathrm{k\\Omega}}", "\\boxed{4.7}"],
        ["\\boxed{4.7 \\Omega}", "\\boxed{4.7 M\\Omega}", "\\boxed{47 k\\Omega}"],
    ),
    (
        "math",
        "approximate reference",
        "approximately 1.73",
        "math",
        {},
        ["\\boxed{1.73}", "\\boxed{\\sqrt{3}}", "The answer is 1.732."],
        ["\\boxed{1.74}", "\\boxed{1.7}", "\\boxed{\\sqrt{2}}"],
    ),
    # a multi-select MCQ (mcq 5: `verifier_args.multiple`; such rows were quarantined before)
    (
        "mcq",
        "multi-select",
        "B,D",
        "mcq",
        {"choices": {"A": "4", "B": "7", "C": "9", "D": "11"}, "multiple": True},
        ["\\boxed{B, D}", "\\boxed{BD}", "Answer: D and B", "<answer>B, D</answer>"],
        [
            "\\boxed{B}",
            "\\boxed{A, B, D}",
            "\\boxed{B, D}\n\nAnswer: B",
            "\\boxed{B, C}",
            # changed after it was given (mcq 10; mcq 9 passed it)
            "\\boxed{B, D}\n\nWait, actually only B is correct.",
        ],
    ),
    (
        "mcq",
        "capital",
        "B",
        "mcq",
        {"choices": _MCQ},
        [
            "(B)",
            "B.",
            "Answer: B",
            "\\boxed{B}",
            "The answer is (B)",
            "London",
            "The answer is London",
            "B) London",
            "**B**",
            "The correct option is B.",
            "I think A is wrong; the answer is B.",
            "Answer: (b)",
            "Answer: B\n\nExplanation: A is wrong, Paris is in France.",
            "The answer is B, London.",
            "No, the answer is B.",
            "\\boxed{B}\n\nThe answer is B.",
            "Answer: B. Option A is the capital of France.",
            "Answer: B\n\nWhy not the others: option A: Paris is in France. option C: Berlin is in Germany.",
            "B. London\n\nOption A, Paris, is the capital of France.",
            "The answer is London (B).",
            "The answer is London, which is B.",
            # another option named on the answer's line, not as a second answer (mcq 7)
            "The answer is B, not A.",
            "Answer: B (A is the capital of France).",
            "Answer: B, since A would also be in the wrong country.",
            # the other option's text negated, as "The answer is B, not A." (mcq 8; version 7 read two options and
            # failed it `multiple_answers`, so this line stood among the wrong answers before)
            "London, not Paris",
            # the answer given in other words (mcq 8; version 7 found no answer in these)
            "I would choose B.",
            "So the answer must be B.",
            "B is the correct answer.",
            "London is the capital of the UK. Therefore, B.",
            "Final: **B**",
            # the answer concluded after an explanation that names other options (mcq 9; version 8 failed these
            # `multiple_answers`), or after an answer rejected or only supposed
            "Paris is in France and Berlin in Germany. The answer is London.",
            "Paris is in France. \\boxed{B. London}",
            "Paris is in France. \\boxed{\\text{B) London}}",
            "The answer should be A. Hmm, but A is Paris, so really B.",
            "If the question were about France, the answer would be A. But it is B.",
            "Answer: A\n\nOops, it should be B.",
            # an option ruled out before the answer, and every option judged on its own line (mcq 10; version 9 failed
            # these `multiple_answers`)
            "Paris is in France, so it cannot be the answer. It is London.",
            "A. Paris - incorrect\nB. London - correct\nC. Berlin - incorrect\nD. Madrid - incorrect",
            "London is the capital of the UK, not Paris, Berlin or Madrid.",
            "The answer is London, as Paris is the capital of France.",
            "\\boxed{\\text{Option B}}",
            "Answer: b",
            # the others explained by their text and letter after the answer, a reason after "B is correct" (mcq 11;
            # version 10 failed the first `multiple_answers` and found no answer in the second)
            "B. London\n\nParis (A) is in France, Berlin (C) in Germany and Madrid (D) in Spain.",
            "Option B is correct because London is the capital of the UK.",
            # more answers in other words (mcq 11; version 10 found no answer in these)
            "I believe B is correct.",
            "Since London is in the UK, B is correct.",
            "That makes B the correct answer.",
            "London. Paris is in France.",  # mcq 11; mcq 10 failed it multiple_answers
            # a box after prose that commits to the same option, or only rules the others out (mcq 18)
            "The answer is B (London).\n\n\\boxed{B}",
            "Paris is in France, so it cannot be the answer.\n\n\\boxed{B}",
            # another option's text named on the answer's line, but not offered as right (mcq 20)
            "The answer is London, not Paris.\n\n\\boxed{B}",
            "The answer is London (Paris is in France).\n\n\\boxed{B}",
            # another option named after the answer's line, but not offered as right (mcq 23)
            "\\boxed{B}\n\nA would be correct only if the question asked about France.",
            "\\boxed{B}\n\nSome might argue that A is also correct, but Paris is in France.",
            "Answer: B\n\nCould it be A? No: Paris is in France.",
            # a letter alone on the first line, then the others explained (mcq 23; mcq 22: `multiple_answers`)
            "**B**\n\nParis is in France and Berlin is in Germany.",
            # another option said of with "also" after the answer, but not offered (mcq 26)
            "\\boxed{B}\n\nC is also a European capital.",
            "\\boxed{B}\n\nA is also wrong.",
            "\\boxed{B}\n\nA could also be correct in some cases, but not in this one.",
            "\\boxed{B}\n\nA also fits the description of a capital, but it is in France.",
        ],
        [
            "(C)",
            "C.",
            "Answer: A",
            "\\boxed{D}",
            "Berlin",
            "The answer is Madrid",
            "It is not B. The answer is C.",
            # an option's text negated or asked about (mcq 8; version 7 passed these for London)
            "It is not London.",
            "London is wrong.",
            "Could it be London? No.",
            "A or B",
            # hedged, or changed after the right letter
            "Answer: B or C",
            "Answer: (B) and (C)",
            "The answer is B, C, or D.",
            "Answer: B/C",
            "Answer: B\n\nWait, actually C.",
            "\\boxed{B}\n\nActually, the answer is C.",
            # another option discussed after the answer
            "The answer is C. Option B is a common mistake.",
            # the right option named in passing after another answer (mcq 3; version 2 passed these)
            "Answer: C\n\nExplanation: Option B, London, is in England.",
            "**Final answer: D**\n\nI rejected option B.",
            "C. Berlin\n\nOption B, London, is in England.",
            # a letter and another option's text (mcq 6; version 5 passed these)
            "The answer is Berlin (B).",
            "Answer: B. Paris",
            "The answer is London, which is C.",
            # hedged with another option on the answer's line (mcq 7; version 6 passed these)
            "Answer: B (but C is also plausible).",
            "The answer is B, though D could also be correct.",
            "\\boxed{B} (or possibly A)",
            # in other words (mcq 8): a wrong letter, a hedge, a letter discussed, two letters called right
            "I'll go with C.",
            "So the answer must be B or C.",
            "If B is correct, London is in Germany. Answer: C",
            "A is correct. B is correct.",
            # rejected, supposed, or a reason (mcq 9; version 8 passed these for London)
            "The answer should be B. Hmm, but B is London, so really C.",
            "If the question were about the UK, the answer would be B. Here it is C.",
            "Final answer: B is eliminated, so C.",
            "Why not B? Because London is in England.",
            "Option B (London) is incorrect because London is in England.",
            "Paris is in France. \\boxed{B. Paris}",
            # taken back after it was boxed (mcq 9; version 8 passed these for London)
            "B. London\n\nOr perhaps Paris (A).",
            # hedged with "it could be" (mcq 11; version 10 passed it)
            "The answer is B, but it could be C.",
            "\\boxed{B}\n\nOops, it should be C.",
            "\\boxed{B}\n\nActually, option C is correct.",
            # the option ruled out by what follows it (mcq 10; version 9 passed these for London)
            "London is in England, so it cannot be the answer.",
            "It can't be London.",
            "London is ruled out.",
            "A. Paris - correct\nB. London - incorrect\nC. Berlin - incorrect\nD. Madrid - incorrect",
            # the letter taken back by an option's text (mcq 10; version 9 passed it for B)
            "Answer: B\n\nWait, actually it is Paris.",
            "\\boxed{B}\n\nWait, B is wrong.",
            # a box after prose that commits to another option (mcq 18; mcq 17 passed these for London)
            "The answer is A.\n\n\\boxed{B}",
            "The answer is Paris.\n\n\\boxed{B}",
            # hedged with another option's text (mcq 20; mcq 19 passed these for London)
            "The answer is London (or possibly Paris).\n\n\\boxed{B}",
            "The answer is London or Berlin.\n\n**B**",
            "Answer: B (or possibly Paris).",
            # hedged on a line after the answer's (mcq 23; mcq 22 passed these for London)
            "\\boxed{B}\n\nA could also be correct.",
            "The answer is B.\n\nMaybe Paris, though.",
            "Answer: B\n\nAlthough D might also be right.",
            # another letter alone on the first line, the right option's text in its explanation (mcq 23; mcq 22
            # passed it for London)
            "**C**\n\nLondon is in England.",
            # more hedges after the answer (mcq 26; mcq 25 passed these for London)
            "\\boxed{B}\n\nA is also a possibility.",
            "\\boxed{B}\n\nI'd also accept C.",
            "\\boxed{B}\n\nA could also be correct in some interpretations.",
            "Answer: B, though D is also a possibility.",
            "\\boxed{B}\n\nParis could also work.",
            "\\boxed{B}\n\nBoth A and B are correct.",
            "\\boxed{B}\n\nA also seems plausible.",
            "答案：B\n\nA也可能是答案。",
        ],
    ),
    (
        "exact",
        "whale",
        "Blue whale",
        "exact",
        {},
        [
            "Blue whale",
            "blue whale.",
            '"Blue whale"',
            "Answer: Blue whale",
            "\\boxed{Blue whale}",
            "\\boxed{Blue whale}, and the blue whale is also the largest animal ever.",
            "\\boxed{Blue whale}\n\nWait, is it the Fin whale? No, it's Blue whale.",
        ],
        [
            "Blue",
            "whale shark",
            "Blue whales",
            "\\boxed{Whale shark} or \\boxed{Blue whale}",
            # another value offered as right or possible on the answer's line (exact 6; exact 5 passed these)
            "\\boxed{Blue whale} (or possibly Fin whale)",
            "\\boxed{Blue whale}, but it could be Fin whale.",  # exact 9; exact 8 passed it
            "Answer: Blue whale (but it could also be the fin whale)",
            # taken back after it was given (exact 7; exact 6 passed these)
            "\\boxed{Blue whale}\n\nWait, actually it's Fin whale.",
            "Answer: Blue whale\n\nActually, the answer is Sperm whale.",
        ],
    ),
    ("exact", "case", "NaCl", "exact", {"case_sensitive": True}, ["NaCl", "NaCl."], ["nacl", "NaCL"]),
    # TriviaQA's value and aliases (ingest stores them as `aliases`); words boxed as LaTeX text (exact 4)
    (
        "exact",
        "aliases",
        "Sunset Boulevard",
        "exact",
        {"aliases": ["Sunset Blvd", "West Sunset Boulevard"]},
        [
            "\\boxed{Sunset Boulevard}",
            "\\boxed{\\text{Sunset Blvd}}",
            "The musical is *Sunset Boulevard*.\n\n$\\boxed{\\textit{Sunset Boulevard}}$",
            "Answer: West Sunset Boulevard",
        ],
        [
            "\\boxed{\\text{Cats}}",
            "\\boxed{Sunset}",
            "Answer: Sunset Blvd (or maybe Cats)",
            "\\boxed{Cats} or \\boxed{Sunset Blvd}",
        ],
    ),
    (
        "exact",
        "yes/no",
        "yes",
        "exact",
        {"aliases": ["true"]},
        ["\\boxed{\\text{Yes}}", "\\boxed{True}"],
        ["\\boxed{No}"],
    ),
    # a GSM8K-style last line, "#### 72" (numeric 30, as math 35)
    (
        "numeric",
        "gsm8k",
        "72",
        "numeric",
        {},
        [
            "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48 + 24 = 72 clips altogether.\n#### 72",
            "She sold 48 + 24 = 72 clips.\n####72",
            "#### Step 1\nShe sold 48 + 24 = 72 clips.\n#### 72",
            "So she sold \\boxed{72} clips.\n#### 72",
        ],
        [
            "She sold 48 + 24 = 70 clips.\n#### 70",
            "She sold 48 + 24 = 72 clips.\n#### Step 2",
            "So she sold \\boxed{70} clips.\n#### 72",
            "The answer is 70.\nShe sold 48 + 24 = 72 clips.\n#### 72",
            "She sold 48 + 24 = 72 clips.\n#### 72 (or maybe 70)",
        ],
    ),
    # one English number word (numeric 28; numeric 27 found no answer)
    (
        "numeric",
        "number-word",
        "12",
        "numeric",
        {},
        ["The answer is twelve.", "Twelve.", "The answer is a dozen."],
        ["The answer is eleven.", "Twelve or thirteen.", "The answer is twelfth."],
    ),
    (
        "numeric",
        "big",
        "1234.5",
        "numeric",
        {},
        [
            "1,234.5",
            "\\boxed{1234.5}",
            "The final answer is 1234.50",
            "1.2345e3",
            "\\boxed{1234.5}\nSo the answer is 1,234.5 m.",
        ],
        [
            "1234",
            "\\boxed{1243.5}",
            "The answer is 1234 or 1234.5",
            "\\boxed{1234.5}\nActually, the answer is 1234.",
            "\\boxed{1234.5} (or possibly 1235)",  # numeric 7; numeric 6 passed it
            "\\boxed{1234.5}. Maybe it's 1235.",  # numeric 10; numeric 9 passed it
        ],
    ),
    # numeric 11: a bound or a negation of the number states no value (numeric 10 passed these)
    (
        "numeric",
        "bounded",
        "624",
        "numeric",
        {},
        ["He writes 624 pages.", "So 624 pages in a year."],
        ["He writes at least 624 pages.", "Fewer than 624 pages.", "It isn't 624.", "He writes 625 pages."],
    ),
    (
        "numeric",
        "fraction",
        "0.75",
        "numeric",
        {},
        # a fraction in a sentence or with its unit (numeric 28: numeric 27 read two numbers, `multiple_answers`)
        [
            "3/4",
            "\\frac{3}{4}",
            "75%",
            "Answer: 0.75",
            "He ate $\\frac{3}{4}$ of the cake.",
            "\\boxed{\\frac{3}{4} \\text{ kg}}",
        ],
        ["0.7", "4/3", "7.5", "He ate $\\frac{3}{5}$ of the cake.", "He ate 3/4 of the cake in 2 days."],
    ),
    ("numeric", "tol", "3.14159", "numeric", {"rel_tol": 1e-3}, ["3.1416", "\\boxed{3.142}"], ["3.2", "3"]),
    # scientific notation (numeric 6: numeric 5 read `6.02 \\times 10^{23}` as 23, so `\\boxed{23}` passed, and every
    # right answer written so failed)
    (
        "numeric",
        "scientific",
        "6.02 \\times 10^{23}",
        "numeric",
        {"rel_tol": 1e-3},
        [
            "\\boxed{6.02 \\times 10^{23}}",
            "6.02e23",
            "The answer is 6.02 x 10^23 mol^{-1}.",
            "\\boxed{6.02\u00d710\u00b2\u00b3}",
        ],
        ["\\boxed{23}", "\\boxed{6.02 \\times 10^{22}}", "\\boxed{6.02}"],
    ),
    # another unit (numeric 6: units were ignored, so `12 m^2` passed for `12 cm^2`)
    (
        "numeric",
        "other-unit",
        "12 cm^2",
        "numeric",
        {},
        # another SI prefix, converted with the exponent (numeric 8; numeric 7 failed it `unit_mismatch`)
        ["\\boxed{12 \\text{ cm}^2}", "\\boxed{12}", "The area is 12 cm\u00b2.", "\\boxed{0.0012 \\text{ m}^2}"],
        ["\\boxed{12 \\text{ m}^2}", "Answer: 12 mm^2", "\\boxed{13 \\text{ cm}^2}", "\\boxed{0.12 \\text{ m}^2}"],
    ),
    # a unit's exponent and a Unicode minus (numeric 6: `9.8 m/s^2` was read as 2, `\u22129.8` as 9.8)
    (
        "numeric",
        "unit-exponent",
        "\u22129.8 m/s^2",
        "numeric",
        {},
        ["\\boxed{-9.8}", "\\boxed{-9.8 \\text{ m/s}^2}", "a = \u22129.8 m/s\u00b2"],
        ["\\boxed{2}", "\\boxed{9.8}", "\\boxed{-9.8 \\text{ m/s}^3} or \\boxed{-2}"],
    ),
    (
        "regex",
        "phone",
        None,
        "regex",
        {"pattern": "\\d{3}-\\d{4}", "full_match": True},
        ["555-1234", " 555-1234 "],
        ["5551234", "call 555-1234", "555-12345"],
    ),
    (
        "regex",
        "keyword",
        None,
        "regex",
        {"pattern": "photosynthesis", "ignore_case": True},
        ["Plants use Photosynthesis.", "photosynthesis"],
        ["Plants use respiration.", "photo synthesis"],
    ),
    (
        "json_schema",
        "person",
        None,
        "json_schema",
        {"schema": _PERSON},
        ['{"name": "Ada", "age": 36}', '```json\n{"name": "Ada", "age": 36}\n```'],
        ['{"name": "Ada"}', '{"name": "Ada", "age": "36"}', "name: Ada, age: 36", '{"name": "Ada", "age": 36, "x": 1}'],
    ),
    (
        "code (asserts)",
        "add",
        None,
        "code",
        {"tests": _ADD_TESTS},
        [
            _py("def add(a, b):\n    return a + b"),
            _py("add = lambda a, b: sum((a, b))"),
            # a class of its own with its own equality, returned where a number is expected, is fine when it is one
            _py("class Num(int):\n    pass\n\ndef add(a, b):\n    return Num(a + b)"),
            # an example usage or the model's own asserts after the solution (code 4 ran them alone: NameError)
            _py("def add(a, b):\n    return a + b") + "\n\nExample usage:\n```python\nprint(add(2, 3))  # 5\n```",
            _py("def add(a, b):\n    return a + b") + "\n\nTests:\n```python\nassert add(1, 1) == 2\n```",
            # two right versions, and a pytest-style test after the solution (code 5 ran that test alone: NameError)
            _py("def add(a, b):\n    return sum([a, b])")
            + "\nFaster:\n```python\ndef add(a, b):\n    return a + b\n```",
            _py("def add(a, b):\n    return a + b")
            + "\nTest:\n```python\ndef test_add():\n    assert add(1, 2) == 3\n```",
            # Markdown's tilde fence (code 7 saw no block: no_code)
            "Here is the solution.\n~~~python\ndef add(a, b):\n    return a + b\n~~~",
        ],
        [
            _py("def add(a, b):\n    return a - b"),
            _py("def add(a, b)\n    return a + b"),
            _py("import sys\nsys.exit(0)\ndef add(a, b):\n    return a + b"),
            "I would add the numbers.",
            # reward hacks (code 4; code 3 passed both): an object equal to everything, a forged harness report
            _py("class Any:\n    def __eq__(self, o):\n        return True\n\ndef add(a, b):\n    return Any()"),
            _py("import __main__\n__main__.report(status='ok', passed=3, total=3)"),
            # a right draft, then a wrong final answer: the final one is judged
            _py("def add(a, b):\n    return a + b") + "\nActually:\n```python\nadd = lambda a, b: a - b\n```",
            # a wrong first version beside a right one: every solution presented is run (code 5 passed it)
            _py("def add(a, b):\n    return a - b") + "\nOr:\n```python\ndef add(a, b):\n    return a + b\n```",
        ],
    ),
    (
        "code (stdin/stdout)",
        "sum",
        None,
        "code",
        {"tests": _SUM_CASES},
        [
            _py("a, b = map(int, input().split())\nprint(a + b)"),
            _py("import sys\nprint(sum(map(int, sys.stdin.read().split())))"),
            # the sample's output or input after the solution (code 4 ran them: wrong_output, syntax_error)
            _py("a, b = map(int, input().split())\nprint(a + b)") + "\n\nFor `1 2` it prints:\n```\n3\n```",
            _py("a, b = map(int, input().split())\nprint(a + b)") + "\n\nSample input:\n```\n1 2\n```",
        ],
        [
            _py("a, b = map(int, input().split())\nprint(a * b)"),
            _py("print(3)"),
            _py("raise SystemExit(input())"),
            _py("a, b = map(int, input().split())\nprint(a + b)")
            + "\nFixed:\n```python\nprint(int(input()[0]) * 2)\n```",
            # a wrong first program beside a right one (code 5 passed it)
            _py("a, b = map(int, input().split())\nprint(a * b)")
            + "\nShorter:\n```python\nprint(sum(map(int, input().split())))\n```",
        ],
    ),
    (
        "code (stdin/stdout)",
        "pattern",
        None,
        "code",
        {"tests": [{"input": "3\n", "output": "  *\n ***\n*****\n"}]},
        [_py("n = int(input())\nfor i in range(n):\n    print(' ' * (n - 1 - i) + '*' * (2 * i + 1))")],
        # the rows joined and stripped: the first line loses its indent (code 7 stripped the whole output, passing it)
        [_py("n = int(input())\nprint('\\n'.join(' ' * (n - 1 - i) + '*' * (2 * i + 1) for i in range(n)).strip())")],
    ),
    (
        "code (stdin/stdout)",
        "ratio",
        None,
        "code",
        {"tests": [{"input": "1 2\n", "output": "0.500000\n"}, {"input": "3 4\n", "output": "0.750000\n"}]},
        # a real number printed with fewer digits is the same value (code 7 failed it `wrong_output`)
        [
            _py("a, b = map(int, input().split())\nprint(a / b)"),
            _py("a, b = map(int, input().split())\nprint(f'{a / b:.6f}')"),
        ],
        [_py("a, b = map(int, input().split())\nprint(a // b)"), _py("a, b = map(int, input().split())\nprint(b / a)")],
    ),
    # found by probing with answers as models write them (math 17, numeric 12, mcq 12): two statements on one line,
    # a later statement judging the answer, a bare line with prose after its value, corrections after the box in
    # maths or a word, LaTeX shorthand, several boxed options
    (
        "math",
        "last-statement",
        "6",
        "math",
        {},
        [
            "The answer is 5. Let me double check: 2*3 = 6, so the answer is 6.",
            "The answer is 6.\nI am confident the answer is correct.",
            "So $x = 6$, not $5$.",
            "$6$ (not $5$)",
            "$x = 6$ (since $y = 5$)",
        ],
        [
            "The answer is 6. Let me double check: 2*3 = 5, so the answer is 5.",
            "So $x = 5$, not $6$.",
            "$5$ (not $6$)",
            "5 \u2014 not 6.",
            "\\boxed{6}\n\nActually, $x = 5$.",
            "\\boxed{6}\n\nWait, actually it's $5$, not $6$.",
            "\\boxed{6}\n\nCorrection: 5.",
            "\\boxed{6}\n\nWait \u2014 the total is actually 5.",
        ],
    ),
    (
        "numeric",
        "shorthand",
        "0.75",
        "numeric",
        {},
        ["\\boxed{\\frac34}", "\\boxed{\\tfrac{3}{4}}", "The answer is $\\left(\\frac{3}{4}\\right)$."],
        ["\\boxed{\\frac43}", "\\boxed{x = 0.75 \\text{ or } x = 0.5}"],
    ),
    ("numeric", "minus", "-3", "numeric", {}, ["\\boxed{- 3}", "The answer is negative 3."], ["\\boxed{3}"]),
    ("numeric", "minus-wrong", "3", "numeric", {}, ["\\boxed{3}"], ["\\boxed{- 3}", "\\boxed{-\\,3}"]),
    (
        "mcq",
        "boxes",
        "B",
        "mcq",
        {"choices": _MCQ},
        [
            "\\boxed{B}\n\nSo \\boxed{B} it is.",
            "\\boxed{B. London}",
            # explanations between two boxes (mcq 20)
            "\\boxed{B}\n\nA is wrong because Paris is in France.\n\n\\boxed{B}",
        ],
        [
            "\\boxed{C} or \\boxed{B}",
            "First I got \\boxed{A}, but corrected: \\boxed{B}",
            # another answer stated between two boxes (mcq 20; mcq 19 passed these for London)
            "\\boxed{B}\n\nWait, actually the answer is A.\n\nFinal: \\boxed{B}",
            "\\boxed{B}\n\nThe answer is Paris.\n\n\\boxed{B}",
            "<answer>C</answer>\n<answer>B</answer>",
            "\\boxed{Paris or London}",
        ],
    ),
    # answers in the prompt's language (math 18-19, numeric 13-14, exact 11-12, mcq 13-14): Chinese, Japanese, Spanish,
    # French, German and Russian statements, full-width forms and Chinese numerals; corrections, hedges and names
    # taken back in those languages
    (
        "math",
        "other-languages",
        "6",
        "math",
        {},
        [
            "解：小明原有 2 个苹果，又买了 4 个。\n故答案为：6",
            "所以答案是六。",
            "\\boxed{\uff16}",
            "答えは 6 です。",
            "Primero sumamos 2 y 4.\nLa respuesta es 6.",
            "D'abord, on ajoute 2 et 4.\nRéponse : 6",
            "Zuerst addieren wir 2 und 4.\nDie Antwort lautet 6.",
            "Сначала сложим 2 и 4.\nОтвет: 6",
            "答：小明一共有6个苹果。",
        ],
        [
            "所以答案是七。",
            "\\boxed{6}，但也可能是 7。",
            "\\boxed{6}\n\n等等，我算错了，应该是 7。",
            "\\boxed{6}\n\n不对，答案是七。",
            "The answer is 6.\n\nEspera, la respuesta es 7.",
            "\\boxed{6}, quizás 7.",
            "\\boxed{6}, vielleicht 7.",
            "\\boxed{6}, но может быть и 7.",
            "\\boxed{6}\n\nПодождите, это неверно.",
            "\\boxed{6}，或者7。",
            "\\boxed{6}, o 7.",
        ],
    ),
    (
        "numeric",
        "other-languages",
        "6",
        "numeric",
        {},
        ["故答案为：6", "答案是六。", "Die Antwort lautet 6.", "La réponse finale est 6."],
        [
            "答案是七。",
            "\\boxed{6}, pero también podría ser 7.",
            "\\boxed{6}\n\n不对，其实是7。",
            "\\boxed{6}，7 也可能正确。",
            "\\boxed{6}, or 7.",
            "\\boxed{6}，7可能也对。",
        ],
    ),
    # a number with a scale word is its scaled value (math 31, numeric 26: the word was dropped, so `\\boxed{42万}`
    # failed 420000 and passed for 42, as "42 thousand" did)
    (
        "math",
        "scale-words",
        "420000",
        "math",
        {},
        ["\\boxed{42万}", "The answer is 420 thousand.", "答えは42万円です。", "Ответ: 420 тысяч"],
        ["\\boxed{42}", "The answer is 42 thousand.", "\\boxed{4.2 \\text{ million}}", "Die Antwort ist 42 Millionen."],
    ),
    # Unicode digits (math 31: the reference and each gold failed `unparsable_reference`)
    (
        "math",
        "unicode-digits",
        "\u0664\u0662",
        "math",
        {},
        [
            "\\boxed{42}",
            "\\boxed{\u0664\u0662}",
            "\u0905\u0924\u0903 \u0909\u0924\u094d\u0924\u0930 \u096a\u0968 \u0939\u0948\u0964",
        ],
        ["\\boxed{43}", "\\boxed{\u0664\u0663}"],
    ),
    (
        "numeric",
        "scale-words",
        "42",
        "numeric",
        {},
        ["\\boxed{42}", "The answer is 42 apples."],
        ["\\boxed{42万}", "The answer is 42 thousand.", "La réponse est 42 millions.", "उत्तर 42 लाख है।"],
    ),
    # a sign said in words, a bound or a negation and an answer taken back in the prompt's language (math 31, numeric
    # 26: each wrong answer passed for 42)
    (
        "math",
        "bounds-and-signs",
        "42",
        "math",
        {},
        ["Ответ: 42", "答えは42です。", "La réponse est 42."],
        [
            "The answer is negative 42.",
            "答案是 负42",
            "答案是至少 42",
            "Die Antwort ist nicht 42.",
            "الجواب ليس 42",
            "\\boxed{42}\n\nいや、違います。正しくは43です。",
            "\\boxed{42}\n\nHoppla, Fehler. Richtig ist 43.",
        ],
    ),
    # an inequality is met only by an interval or an inequality (math 32: math 31 passed its end points listed)
    (
        "math",
        "inequality",
        "-3 < x < 2",
        "math",
        {},
        ["\\boxed{(-3, 2)}", "\\boxed{-3 < x < 2}", "The answer is $-3 < x < 2$."],
        ["\\boxed{-3, 2}", "\\boxed{\\{-3, 2\\}}", "\\boxed{x = -3 \\text{ or } x = 2}", "\\boxed{[-3, 2]}"],
    ),
    # values named by their variables, by name, and a tuple in the variables' alphabetical order (math 32: math 31
    # sorted the values, or paired them in the order written)
    (
        "math",
        "named-values",
        "x = 2, y = 3",
        "math",
        {},
        ["\\boxed{(2, 3)}", "\\boxed{y = 3, x = 2}", "\\boxed{x = 2 \\text{ and } y = 3}"],
        ["\\boxed{(3, 2)}", "\\boxed{3, 2}", "\\boxed{y = 2, x = 3}"],
    ),
    ("math", "pair", "(2, 3)", "math", {}, ["\\boxed{(2, 3)}", "\\boxed{y = 3, x = 2}"], ["\\boxed{y = 2, x = 3}"]),
    # a vector in angle brackets is the column vector (math 33: math-verify read `\\langle 1, 2, 3 \\rangle` as its last
    # number, so it passed for 3, and the right ones below failed)
    (
        "math",
        "vector",
        "\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}",
        "math",
        {},
        [
            "\\boxed{\\langle 1, 2, 3 \\rangle}",
            "\\boxed{\\left\\langle 1, 2, 3 \\right\\rangle}",
            "\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}}",
        ],
        [
            "\\boxed{3}",
            "\\boxed{\\langle 1, 3, 3 \\rangle}",
            "\\boxed{\\langle 3, 2, 1 \\rangle}",
            "\\boxed{\\{1, 2, 3\\}}",
        ],
    ),
    ("math", "angle-vector-number", "3", "math", {}, ["\\boxed{3}"], ["\\boxed{\\langle 1, 2, 3 \\rangle}"]),
    # a mixed number is its value (numeric 28: numeric 27 read three numbers and failed the right ones
    # `multiple_answers`)
    (
        "numeric",
        "mixed-number",
        "1.5",
        "numeric",
        {},
        ["\\boxed{1\\frac{1}{2}}", "\\boxed{1 \\tfrac{1}{2}}", "The answer is $1\\frac12$."],
        ["\\boxed{2\\frac{1}{2}}", "\\boxed{1\\frac{1}{3}}"],
    ),
    (
        "numeric",
        "bounds-and-signs",
        "42",
        "numeric",
        {},
        ["Ответ: 42", "答えは42です。"],
        [
            "Ответ: минус 42",
            "答えは42以上です",
            "La réponse n'est pas 42.",
            "उत्तर 42 नहीं है",
            "\\boxed{42}\n\nरुको, मुझसे गलती हुई। सही उत्तर 43 है।",
        ],
    ),
    (
        "exact",
        "other-languages",
        "París",
        "exact",
        {},
        ["La capital es París.\nLa respuesta es París.", "\\boxed{París}"],
        [
            "La respuesta es Lyon.",
            "\\boxed{París}\n\nEspera, en realidad es Lyon.",
            "\\boxed{París}, pero también podría ser Lyon.",
            "\\boxed{París}\n\nEspera, eso está mal.",
            "\\boxed{París}, o Lyon.",
        ],
    ),
    (
        "exact",
        "chinese",
        "巴黎",
        "exact",
        {},
        ["法国的首都是巴黎。\n答案：巴黎。", "\\boxed{巴黎}\n\n等等，其实是对的。"],
        [
            "\\boxed{巴黎}\n\n等等，其实是里昂。",
            "\\boxed{巴黎}，也可能是里昂。",
            "答案：里昂。",
            "\\boxed{巴黎}，或许是里昂。",
        ],
    ),
    (
        "mcq",
        "other-languages",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        [
            "解析：水星离太阳最近，金星最热，火星是红色的。\n故选C。",
            "分析：火星呈红色。\n\n答案是 C。",
            "\\boxed{\uff23}",
            "火星は赤いです。\n正解は C です。",
            "Marte es rojo.\nLa respuesta correcta es C.",
            "Марс красный.\nОтвет: C",
            "答案：C\n\n选项B（金星）是错误的，因为它是黄色的。",
        ],
        [
            "故选B。",
            "答案是C，但B也可能正确。",
            "答案是 C。\n\n不对，应该选B。",
            "分析：……\n故选：B或C。",
            "答案：C\n\n等等，其实是金星。",
            "La respuesta es C, quizás B.",
            "Ответ: C, но возможно B.",
            "答案是C，或者B。",
            "答案是C，不过B可能也对。",
            "La respuesta es C, o B.",
        ],
    ),
    # a letter and an option's text in full-width punctuation (mcq 24: the letter was read alone, so the wrong ones
    # passed for C)
    (
        "mcq",
        "cjk-letter-and-text",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        ["答案是 C（火星）。", "答案：C．火星", "所以答案是C，即火星。", "正解は C（火星）です。"],
        ["答案是 C（金星）。", "答案：C．金星", "所以答案是C，即金星。", "答案：C、金星", "正解は C（金星）です。"],
    ),
    # a Chinese choice stated on its own (mcq 24: mcq 23 found no answer in the right ones)
    (
        "mcq",
        "chinese-choice",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        ["选C", "我选C。", "解析：火星是红色的。\n所以本题选C。", "【答案】C\n【解析】火星是红色的。"],
        ["我选B。", "选C是错误的。故选B。", "【答案】C．金星", "我选C或B。", "【答案】C\n\n等等，应该选B。"],
    ),
    # Japanese hedges (mcq 25, numeric 27, exact 14, and math through the shared reading: each wrong one passed)
    (
        "mcq",
        "japanese-hedges",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        [
            "火星は赤いです。\n正解はCです。",
            "正解はCです。Bは正しくありません。",
            "正解はCです。Bも惑星ですが、赤くはありません。",
        ],
        [
            "正解はC。ただし、Bも正しい可能性がある。",
            "正解はCです。Bも正解かもしれません。",
            "答えはC。Bの可能性もある。",
            "正解はCですが、Bかもしれません。",
            "正解はCまたはBです。",
            "正解はC、またはB。",
        ],
    ),
    (
        "math",
        "japanese-hedges",
        "42",
        "math",
        {},
        ["答えは42です。", "\\boxed{42}。43は正しくありません。"],
        ["答えは42です。43も正しい可能性がある。", "答えは42ですが、43かもしれません。", "\\boxed{42}、あるいは43。"],
    ),
    (
        "numeric",
        "japanese-hedges",
        "42",
        "numeric",
        {},
        ["答えは42です。", "\\boxed{42}。43は正しくありません。"],
        [
            "答えは42、または43です。",
            "答えは42です。43の可能性もある。",
            "\\boxed{42}。ただし、43も正しいかもしれない。",
        ],
    ),
    (
        "exact",
        "japanese-hedges",
        "42",
        "exact",
        {},
        ["答えは42です。", "\\boxed{42}。43は正しくありません。"],
        ["答えは42です。43も正解かもしれません。", "\\boxed{42}、あるいは43。"],
    ),
    # answers in Korean (numeric 27, exact 14, mcq 25: the right ones found no answer, or "42입니다" was the value; the
    # wrong ones hedged, negated or bounded passed)
    (
        "mcq",
        "korean",
        "C",
        "mcq",
        {"choices": {"A": "수성", "B": "금성", "C": "화성", "D": "목성"}},
        ["화성은 붉은 행성입니다.\n\n정답은 C입니다.", "정답: C", "답: C", "정답은 C입니다. B는 정답이 아닙니다."],
        ["정답은 B입니다.", "정답은 C 또는 B입니다.", "정답은 C입니다. B일 수도 있습니다.", "정답은 C가 아닙니다."],
    ),
    (
        "math",
        "korean",
        "42",
        "math",
        {},
        ["39 + 3 = 42이므로\n정답은 42입니다.", "계산하면 40 + 2 = 42.\n\n답: 42"],
        [
            "정답은 42 또는 43입니다.",
            "42가 아닙니다.",
            "정답은 42 이상입니다.",
            "\\boxed{42}\n\n잠깐, 정답은 43입니다.",
        ],
    ),
    (
        "numeric",
        "korean",
        "42",
        "numeric",
        {},
        ["39 + 3 = 42이므로\n정답은 42입니다.", "최종 답은 42이다."],
        ["정답은 42입니다. 43일 수도 있습니다.", "정답은 적어도 42입니다.", "42가 아닙니다."],
    ),
    (
        "exact",
        "korean",
        "42",
        "exact",
        {},
        ["정답은 42입니다.", "답: 42"],
        ["정답은 43입니다.", "정답은 42 또는 43입니다."],
    ),
    # another option's text joined to the box on its line (mcq 25: the box was read alone, and passed for C)
    (
        "mcq",
        "text-joined-to-box",
        "C",
        "mcq",
        {"choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}},
        ["\\boxed{C} (Mars)", "\\boxed{C} (not Venus)", "\\boxed{C}\n\nVenus is the hottest planet."],
        ["\\boxed{C} (Venus)", "\\boxed{C}（Venus）", "\\boxed{C} - Venus."],
    ),
    # a value set against another in the prompt's language, as "42, not 43" (numeric 27, exact 14: the right ones
    # failed)
    (
        "math",
        "not-another",
        "42",
        "math",
        {},
        [
            "Die Antwort ist 42, nicht 43.",
            "答案是42，不是43。",
            "La respuesta es 42, no 43.",
            "答えは42で、43ではありません。",
        ],
        ["Die Antwort ist 43, nicht 42.", "答案不是42，而是43。", "Ответ: не 42, а 43."],
    ),
    (
        "numeric",
        "not-another",
        "42",
        "numeric",
        {},
        ["La réponse est 42, pas 43.", "Ответ: 42, а не 43.", "答案是42，而非43。"],
        ["La réponse est 43, pas 42.", "Die Antwort ist nicht 42, sondern 43."],
    ),
    (
        "exact",
        "not-another",
        "42",
        "exact",
        {},
        ["Die Antwort ist 42, nicht 43.", "答案是42，不是43。"],
        ["答案是43，不是42。", "La respuesta es 43, no 42."],
    ),
    # a letter negated in Japanese, an answer corrected to a hedge (mcq 25: each wrong one passed for C)
    (
        "mcq",
        "negated-or-corrected",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        ["正解はCです。Bではありません。", "答案是B。不对，是C。", "正解はBです。いや、Cです。"],
        [
            "正解はCではなくBです。",
            "正解はCではありません。",
            "答案是B。不对，是C或D。",
            "正解はBです。いや、CまたはDです。",
        ],
    ),
    # a letter negated and then the one stated (mcq 26: mcq 25 failed the right ones `no_answer`, and passed "no es C,
    # sino B" for C)
    (
        "mcq",
        "negated-then-stated",
        "C",
        "mcq",
        {"choices": {"A": "水星", "B": "金星", "C": "火星", "D": "木星"}},
        ["正解はBではなくCです。", "정답은 B가 아니라 C입니다.", "La respuesta no es B, sino C."],
        ["正解はCではなくBです。", "C가 아니라 B입니다", "La respuesta no es C, sino B."],
    ),
    # another option argued for, a close second, worth considering or accepted (mcq 26: each wrong one passed for C)
    (
        "mcq",
        "argued-or-accepted",
        "C",
        "mcq",
        {"choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}},
        [
            "\\boxed{C}\n\nOne could argue for B, but its surface is yellow, so C.",
            "\\boxed{C}\n\nB is a distant second.",
            "\\boxed{C}\n\nI'd not accept B.",
        ],
        [
            "\\boxed{C}\n\nOne could also argue for B.",
            "\\boxed{C}\n\nB is a close second.",
            "\\boxed{C}\n\nB is also worth considering.",
            "\\boxed{C}\n\nI'd accept B, but not D.",
        ],
    ),
    # an answer changed without a correction, another option as a second choice, a letter negated then stated in
    # Chinese (mcq 27: mcq 26 passed each wrong one but the last, the fourth for the letter it abandons, and failed the
    # last gold one `no_answer`)
    (
        "mcq",
        "changed-or-second-choice",
        "C",
        "mcq",
        {"choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}},
        [
            "The answer is B.\n\nWait, actually the answer is C.",
            "The answer is B.\n\nLet me double-check: Venus is yellow. So the answer is C.",
            "The answer is B.\n\nB is wrong: Venus is yellow. So the answer is C.",
            "\\boxed{C}\n\nB was my second choice, but Venus is yellow.",
            "答案不是B，而是C。",
        ],
        [
            "The answer is B.\n\nSo C is correct.",
            "Answer: B\n\nAnswer: C",
            "The answer is Venus.\n\nSo the answer is C.",
            "The answer is C.\n\nSo the answer is Venus.",
            "The answer is C. (B would be my second choice.)",
            "\\boxed{C}\n\nB is the runner-up.",
            "答案不是C，而是B。",
        ],
    ),
    # more ways to keep another option in play, right answers found in more words, an option's text in the plural
    # (mcq 27: mcq 26 passed each wrong one for C, and failed "By elimination, C.", "So I would say C.", "Answer: [C]",
    # "The answer is most likely C." and "C seems right." `no_answer`)
    (
        "mcq",
        "probed-endings",
        "C",
        "mcq",
        {"choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}},
        [
            "By elimination, C.",
            "So I would say C.",
            "Answer: [C]",
            "The answer is Mars.\n\nB is out of the question: Venus is yellow.",
            "\\boxed{C}\n\nIf I'm wrong about the dust, Mars would look gray.",
            "The answer is most likely C.",
            "C seems right.",
            "It's either B or C, but I'll go with C.",
            "\\boxed{C}\n\nB has some merit, but Venus is yellow.",
        ],
        [
            "\\boxed{C}\n\nHowever, B could also be argued.",
            "**Answer: C** (with B as a less likely alternative)",
            "\\boxed{C}\n\nThough honestly, B isn't out of the question.",
            "\\boxed{C}\n\nAlternatively, B.",
            "Best answer: C. Second-best: B.",
            "\\boxed{C}\n\nIf I'm wrong, it's probably B.",
            "\\boxed{C}\n\nThat said, I wouldn't rule out B entirely.",
            "Answer: C (90% confident; B at 10%)",
            "C would be my answer, B my second.",
            "\\boxed{C}\n\nB isn't wrong either.",
            "\\boxed{C}\n\nIt's either B or C.",
            "\\boxed{C}\n\nI'm not sure between B and C.",
            "\\boxed{C}\n\nThe answer could be B depending on interpretation.",
        ],
    ),
    (
        "mcq",
        "option-text-in-the-plural",
        "B",
        "mcq",
        {"choices": {"A": "Mitochondria", "B": "Ribosome", "C": "Golgi apparatus", "D": "Nucleus"}},
        ["Ribosomes", "The answer is ribosomes."],
        ["The answer is mitochondrion.", "Nuclei"],
    ),
    # another value offered after the answer, a value doubted (math 41, numeric 36, exact 22, mcq 35; each wrong one
    # passed before)
    (
        "math",
        "offered-after",
        "12",
        "math",
        {},
        [
            "Tom has 5 + 7 = 12 apples.\n\n\\boxed{12}\n\nSo Tom has 12 apples in total. Hmm, that makes sense.",
            "\\boxed{12}\n\nAlso, it is even: 12 = 2 \\cdot 6.",
            "\\boxed{12}\n\n1. Tom has 5.\n2. He buys 7.",
        ],
        [
            "\\boxed{12}\n\nOr 13.",
            "The answer is 12. Hmm, 13.",
            "\\boxed{12}\n\n13 is also possible.",
            "\\boxed{12}\n\n**13**",
            "12 is not the answer.",
            "I doubt it's 12.",
        ],
    ),
    (
        "exact",
        "offered-after",
        "Paris",
        "exact",
        {},
        [
            "\\boxed{Paris}\n\nParis is the capital. Other major cities include Lyon and Marseille.",
            "The answer is *Paris*.",
            "The answer is Paris. Hmm, right.",
        ],
        [
            "The answer is Paris. Hmm, Lyon.",
            "\\boxed{Paris}\n\nTherefore, the answer is Lyon.",
            "\\boxed{Paris}\n\nLyon is also possible.",
            "**Answer:** Paris\n\nActually the capital is Lyon.",
        ],
    ),
    (
        "mcq",
        "offered-after",
        "B",
        "mcq",
        {"choices": _MCQ},
        ["The answer is B. Then again, B is the only one in England.", "I think it's London."],
        ["The answer is B. Then again, C.", "The answer is B. Or is it C?", "I doubt it's London."],
    ),
    # an option's text after a negated verb of choosing (mcq 36: each wrong one passed before, each gold one failed
    # `multiple_answers`)
    (
        "mcq",
        "not-chosen",
        "B",
        "mcq",
        {"choices": _MCQ},
        ["I wouldn't choose Paris; London is the capital of the UK.", "I would not say Paris, I would say London."],
        ["I would not say London.", "I'd never pick London.", "We cannot say it is London.", "London?"],
    ),
    # a statement its own sentence doubts (math 42, numeric 37, exact 23, mcq 36: each wrong one passed before, and the
    # mcq gold one after a doubted other option failed `multiple_answers`)
    (
        "math",
        "doubted-statement",
        "12",
        "math",
        {},
        ["I'm not sure, but the answer is 12.", "I don't think the answer is 13. The answer is 12."],
        [
            "I don't think the answer is 12.",
            "I'm not sure the answer is 12.",
            "It is not true that the answer is 12.",
            "Ich glaube nicht, dass die Antwort 12 ist.",
            "我不认为答案是12。",
        ],
    ),
    (
        "math",
        "counterfactual",
        "12",
        "math",
        {},
        ["So the answer would be 12.", "The answer would be 12 apples."],
        ["The answer would be 12 if he had not eaten one.", "It would have been 12.", "Is the answer 12?"],
    ),
    (
        "math",
        "taken-back-more-words",
        "12",
        "math",
        {},
        ["The answer is 13. Just kidding, 12.", "The answer is 12. No kidding, 12 apples."],
        ["The answer is 12. Just kidding, 13.", "The answer is 12. I misspoke, 13.", "The answer is 12. Whoops, 13."],
    ),
    (
        "numeric",
        "doubted-statement",
        "12",
        "numeric",
        {},
        ["I don't think the answer is 13. The answer is 12."],
        ["I wouldn't say the answer is 12.", "I doubt the final answer is 12."],
    ),
    (
        "exact",
        "doubted-statement",
        "Paris",
        "exact",
        {},
        ["I don't think the answer is Lyon. The answer is Paris."],
        ["I don't think the answer is Paris.", "I'm not sure the answer is Paris."],
    ),
    (
        "mcq",
        "doubted-statement",
        "B",
        "mcq",
        {"choices": _MCQ},
        ["I don't think the answer is A. The answer is B.", "I'm not sure, but the answer is London."],
        [
            "I don't think the answer is B.",
            "I'm not sure the answer is London.",
            "It is not true that the answer is B.",
        ],
    ),
    # a value in emphasis or inline maths, an ellipsis before a correction, a name alone after "Wait, actually" (math
    # 43, numeric 38, exact 24: each wrong one passed before, each gold one failed)
    (
        "math",
        "emphasis",
        "12",
        "math",
        {},
        ["The answer is *12*.", "The answer is **13**. Actually, it is **12**."],
        [
            "The answer is **12**.\n\nActually, it is **13**.",
            "The answer is \\(12\\). Hmm, \\(13\\).",
            "I don't think the answer is **12**.",
            "The answer is 13... or maybe 12.",
        ],
    ),
    (
        "numeric",
        "emphasis",
        "12",
        "numeric",
        {},
        ["The answer is *12*.", "The answer is 13... no wait, it is 12."],
        ["The answer is **12**.\n\nActually, it is **13**.", "Answer: `12`\n\nWait, actually `13`."],
    ),
    (
        "exact",
        "emphasis",
        "Paris",
        "exact",
        {},
        ["The answer is **Lyon**. Actually, it is **Paris**.", "The answer is Lyon... no wait, it is Paris."],
        [
            "The answer is **Paris**.\n\nActually, it is **Lyon**.",
            "The answer is *Paris*. Hmm, *Lyon*.",
            "Answer: Paris\n\nWait, actually Lyon.",
        ],
    ),
    # an option's letter written with its own text (mcq 37: each wrong one passed before, each gold one failed)
    (
        "mcq",
        "letter-with-text",
        "B",
        "mcq",
        {"choices": _MCQ},
        [
            "The answer is A (Paris)... no wait, it is B (London).",
            "Not A) Paris, but B) London.",
            "**Answer:** **B**",
            "The answer is B (London), not A (Paris).",
        ],
        [
            "The answer is B (London). Actually, it is C (Berlin).",
            "The answer is B) London or C) Berlin.",
            "The answer is B - London. It is C - Berlin.",
            "The answer is B, or maybe **C**.",
        ],
    ),
]


FAMILY_NAMES = ["math", "mcq", "exact", "numeric", "regex", "json_schema", "code", "ifeval"]


@dataclass
class FamilyRow:
    family: str
    gold_n: int = 0
    gold_pass: int = 0
    wrong_n: int = 0
    wrong_fail: int = 0
    misses: list[str] | None = None  # "gold|wrong <case>: <response> -> <verifier_reason>"

    @property
    def n(self) -> int:
        return self.gold_n + self.wrong_n

    @property
    def gold_rate(self) -> float | None:
        return self.gold_pass / self.gold_n if self.gold_n else None

    @property
    def wrong_rate(self) -> float | None:
        return self.wrong_fail / self.wrong_n if self.wrong_n else None


def family_cases() -> list[tuple[str, str, str | None, str, dict[str, Any], list[str], list[str]]]:
    """FAMILY_CASES plus IFEval's published examples as `ifeval` tasks, in strict and in loose mode (a
    published example that follows its instruction is a gold response, one that does not is a wrong one)."""
    cases = list(FAMILY_CASES)
    for mode in ("strict", "loose"):
        for i, (iid, text, kw, want) in enumerate(IFEVAL_EXAMPLES):
            args = {"instruction_id_list": [iid], "kwargs": [kw], "mode": mode}
            cases.append(
                (f"ifeval ({mode})", f"{i}-{iid}", None, "ifeval", args, [text] if want else [], [] if want else [text])
            )
    return cases


def measure_families(
    cfg: VerifyConfig | None = None, families: list[str] | None = None
) -> tuple[list[FamilyRow], float]:
    """One FamilyRow per verifier family (math, mcq, exact, numeric, regex, json_schema, code in both test modes,
    ifeval strict and loose) and the wall seconds of the verify run; misses list every disagreement."""
    cases = [c for c in family_cases() if families is None or c[0].split(" ")[0] in families]
    tasks: list[dict[str, Any]] = []
    responses: list[dict[str, str]] = []
    kinds: dict[str, tuple[str, str, str, str]] = {}  # response id -> (family, gold|wrong, case, response)
    for family, case, answer, verifier, args, golds, wrongs in cases:
        tid = f"acc/{family}/{case}"
        tasks.append(
            {
                "task_id": tid,
                "prompt": "Answer the question.",
                "answer": answer,
                "verifier": verifier,
                "verifier_args": args,
                "domain": f"accuracy/{family}",
            }
        )
        for kind, texts in (("gold", golds), ("wrong", wrongs)):
            for j, text in enumerate(texts):
                rid = f"{tid}#{kind}{j}"
                responses.append(
                    {"task_id": tid, "response_id": rid, "text": f"<think>\nWorking it out.\n</think>\n{text}"}
                )
                kinds[rid] = (family, kind, case, text)
    out: dict[str, FamilyRow] = {}
    for c in cases:
        out.setdefault(c[0], FamilyRow(c[0], misses=[]))
    with tempfile.TemporaryDirectory(prefix="thinkmill-bench-families-") as tmp:
        tp, rp, vp = Path(tmp, "tasks.jsonl"), Path(tmp, "responses.jsonl"), Path(tmp, "verdicts.jsonl")
        tp.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
        rp.write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
        t0 = time.perf_counter()
        verdicts = verify_files(tp, rp, vp, "think", cfg or VerifyConfig())
        wall = time.perf_counter() - t0
    for v in verdicts:
        family, kind, case, text = kinds[v["response_id"]]
        r = out[family]
        ok = bool(v["verifier_passed"])
        if kind == "gold":
            r.gold_n += 1
            r.gold_pass += ok
        else:
            r.wrong_n += 1
            r.wrong_fail += not ok
        if ok != (kind == "gold"):
            assert r.misses is not None
            r.misses.append(f"{kind} {case}: {text!r} -> {v['verifier_reason'] or 'passed'}")
    return list(out.values()), wall
