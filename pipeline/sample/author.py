"""Authoring script for the bundled sample data (deterministic; run `python -m pipeline.sample.author`).

Everything here was written for thinkmill: the tasks are generated from our own templates and word lists (no
benchmark items), and the responses are hand-written imitations of Hermes 4's think-mode format, NOT model
output. They exist to exercise every curation case: correct and wrong answers, malformed or unclosed think
blocks, refusals, near-duplicate traces, runaway repetition, no-think leakage, and a task that overlaps the
example benchmark.

Outputs (in this folder):
    tasks.jsonl           - tasks in the task-contract layout (id, domain, prompt, answer, verifier, ...)
    raw/messy.jsonl       - raw rows with defects, for the quarantine and dedup paths
    response_texts.jsonl  - one hand-written response per (task_id, mode, sample_index)
The batch-output file the demo reads (`batch_output.jsonl`) is built from response_texts.jsonl by the generate
stage (`thinkmill generate build-sample-batch`), because its custom_ids are the request keys.
"""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).parent
LICENSE = "CC-BY-4.0"

NAMES = [
    "Amara",
    "Bastian",
    "Chiara",
    "Dmitri",
    "Eun-ji",
    "Farid",
    "Greta",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kalani",
    "Lucia",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomasz",
    "Ulla",
    "Viktor",
    "Wanjiru",
    "Xavier",
    "Yara",
    "Zofia",
]
ITEMS = [
    "marbles",
    "stamps",
    "seashells",
    "postcards",
    "trading cards",
    "pebbles",
    "buttons",
    "comic books",
    "chess pieces",
    "guitar picks",
    "acorns",
    "origami cranes",
]
VEHICLES = ["freight train", "ferry", "delivery van", "touring bicycle", "cargo drone", "tram", "motor scooter"]
GARMENTS = [
    "wool coat",
    "pair of hiking boots",
    "rain jacket",
    "linen shirt",
    "leather satchel",
    "silk scarf",
    "denim jacket",
]


def _math_tasks(rng: random.Random) -> list[dict]:
    tasks: list[dict] = []

    def add(prompt: str, answer: str) -> None:
        tasks.append({"domain": "math", "prompt": prompt, "answer": answer, "verifier": "math", "verifier_args": {}})

    for i in range(7):
        name, friend = rng.sample(NAMES, 2)
        item = ITEMS[i % len(ITEMS)]
        a, b, c = rng.randint(30, 90), rng.randint(3, 25), rng.randint(2, 40)
        add(
            f"{name} keeps a collection of {a} {item}. After handing {b} of them to {friend}, {name} finds "
            f"{c} more at a flea market. How many {item} are in the collection now?",
            str(a - b + c),
        )
    for _ in range(7):
        p, x, q = rng.randint(2, 12), rng.randint(-9, 15), rng.randint(-30, 30)
        r = p * x + q
        q_txt = f"+ {q}" if q >= 0 else f"- {-q}"
        add(f"Solve for $x$ in the linear equation ${p}x {q_txt} = {r}$.", f"x = {x}")
    for _ in range(7):
        a, b, c, d = rng.randint(1, 9), rng.randint(2, 12), rng.randint(1, 9), rng.randint(2, 12)
        s = Fraction(a, b) + Fraction(c, d)
        ans = f"\\frac{{{s.numerator}}}{{{s.denominator}}}" if s.denominator != 1 else str(s.numerator)
        add(
            f"Compute $\\frac{{{a}}}{{{b}}} + \\frac{{{c}}}{{{d}}}$ and write the result as a fraction in "
            f"lowest terms.",
            ans,
        )
    for i in range(7):
        v, t, w, s = rng.randint(20, 90), rng.randint(2, 6), rng.randint(10, 60), rng.randint(1, 5)
        veh = VEHICLES[i % len(VEHICLES)]
        add(
            f"A {veh} moves at a steady {v} km/h for {t} hours and then slows to {w} km/h for another {s} "
            f"hours. What total distance, in kilometres, does the {veh} cover?",
            str(v * t + w * s),
        )
    for i in range(7):
        price, pct = rng.choice([40, 60, 80, 120, 160, 200, 240]), rng.choice([10, 15, 20, 25, 30, 35, 40])
        g = GARMENTS[i % len(GARMENTS)]
        sale = Fraction(price) * (100 - pct) / 100
        ans = str(sale.numerator) if sale.denominator == 1 else str(float(sale))
        add(
            f"A {g} is priced at ${price}. In a clearance sale the shop takes {pct}% off that price. What does "
            f"the {g} cost during the sale, in dollars?",
            ans,
        )
    for n in rng.sample(range(24, 400), 7):
        add(
            f"What is the sum of all positive divisors of {n}, including 1 and {n} itself?",
            str(sum(k for k in range(1, n + 1) if n % k == 0)),
        )
    for _ in range(7):
        n, k = rng.randint(6, 15), rng.randint(2, 5)
        add(
            f"A committee of {k} must be formed from {n} volunteers, and the order of selection does not "
            f"matter. How many different committees are possible?",
            str(math.comb(n, k)),
        )
    for _ in range(7):
        a, d, k = rng.randint(-10, 20), rng.randint(2, 9), rng.randint(10, 60)
        add(
            f"An arithmetic sequence begins {a}, {a + d}, {a + 2 * d}, ... What is term number {k} of this sequence?",
            str(a + (k - 1) * d),
        )
    for _ in range(7):
        r1, r2 = sorted(rng.sample(range(-8, 12), 2))
        s_, p_ = r1 + r2, r1 * r2
        poly = f"x^2 {'-' if s_ >= 0 else '+'} {abs(s_)}x {'+' if p_ >= 0 else '-'} {abs(p_)}"
        add(
            f"Find every real $x$ that satisfies ${poly} < 0$, and express the solution set as an interval.",
            f"({r1}, {r2})",
        )
    for _ in range(7):
        a, b, m = rng.randint(2, 19), rng.randint(10, 60), rng.choice([7, 9, 11, 13, 17, 19, 23])
        add(f"Determine the remainder when ${a}^{{{b}}}$ is divided by {m}.", str(pow(a, b, m)))
    return tasks


def _mcq(prompt: str, correct: str, distractors: list[str], rng: random.Random) -> dict:
    options = [correct, *distractors[:3]]
    rng.shuffle(options)
    letters = "ABCD"
    choices = dict(zip(letters, options, strict=True))
    answer = letters[options.index(correct)]
    body = prompt + "\n\n" + "\n".join(f"({k}) {v}" for k, v in choices.items())
    return {
        "domain": "science_mcq",
        "prompt": body,
        "answer": answer,
        "verifier": "mcq",
        "verifier_args": {"choices": choices},
    }


CONCEPT_MCQS = [
    (
        "Inside a eukaryotic cell, which compartment hosts oxidative phosphorylation?",
        "the inner mitochondrial membrane",
        ["the Golgi apparatus", "the nucleolus", "the lysosome"],
    ),
    (
        "Which gas makes up the largest share of Earth's dry atmosphere by volume?",
        "nitrogen",
        ["oxygen", "argon", "carbon dioxide"],
    ),
    (
        "A ray of light passes from air into glass at an angle. What happens to its speed?",
        "it decreases",
        ["it increases", "it stays the same", "it drops to zero"],
    ),
    ("Which particle carries no electric charge?", "the neutron", ["the proton", "the electron", "the positron"]),
    (
        "In an exothermic reaction, what happens to the temperature of the surroundings?",
        "it rises",
        ["it falls", "it stays constant", "it oscillates"],
    ),
    (
        "Which type of bond holds the two strands of a DNA double helix together?",
        "hydrogen bonds between bases",
        ["ionic bonds between sugars", "peptide bonds", "metallic bonds"],
    ),
    ("What is the SI unit of electrical resistance?", "the ohm", ["the volt", "the farad", "the tesla"]),
    ("Which planet in our solar system has the shortest orbital period?", "Mercury", ["Venus", "Mars", "Neptune"]),
    (
        "Adding a catalyst to a reaction at equilibrium does what to the equilibrium position?",
        "leaves it unchanged",
        ["shifts it toward products", "shifts it toward reactants", "stops the reaction"],
    ),
    (
        "Which blood cells are chiefly responsible for carrying oxygen?",
        "red blood cells",
        ["platelets", "neutrophils", "lymphocytes"],
    ),
    ("What does the pH of a neutral aqueous solution at 25 degrees Celsius equal?", "7", ["0", "1", "14"]),
    (
        "Which process lets plants convert light energy into chemical energy?",
        "photosynthesis",
        ["fermentation", "transpiration", "glycolysis"],
    ),
    ("A sound wave travels fastest through which of these media?", "steel", ["air", "water vapour", "a vacuum"]),
    (
        "What kind of mirror can form a real, inverted image of a distant object?",
        "a concave mirror",
        ["a plane mirror", "a convex mirror", "no mirror can"],
    ),
]


def _science_tasks(rng: random.Random) -> list[dict]:
    tasks = [_mcq(q, c, d, rng) for q, c, d in CONCEPT_MCQS]

    def distract(value: float, unit: str) -> tuple[str, list[str]]:
        def fmt(v: float) -> str:
            return f"{v:g} {unit}"

        wrong = {value * 2, value / 2, value + 10, value * 10}
        wrong.discard(value)
        return fmt(value), [fmt(w) for w in sorted(wrong)][:3]

    for _ in range(6):
        m, a = rng.randint(2, 40), rng.randint(2, 12)
        c, d = distract(m * a, "N")
        tasks.append(
            _mcq(
                f"A cart of mass {m} kg speeds up at a constant {a} m/s^2 on a level track. Ignoring "
                f"friction, what net force acts on it?",
                c,
                d,
                rng,
            )
        )
    for _ in range(6):
        m, v = rng.choice([2, 4, 6, 8, 10]), rng.randint(2, 12)
        c, d = distract(m * v * v / 2, "J")
        tasks.append(_mcq(f"A ball of mass {m} kg rolls at {v} m/s. What is its kinetic energy?", c, d, rng))
    for _ in range(6):
        r, i = rng.randint(2, 50), rng.randint(1, 9)
        c, d = distract(float(i), "A")
        tasks.append(
            _mcq(
                f"A resistor of {r} ohms has a potential difference of {r * i} V across it. What "
                f"current flows through it?",
                c,
                d,
                rng,
            )
        )
    for _ in range(6):
        vol, rho = rng.randint(2, 20), rng.choice([2, 3, 5, 8, 11])
        c, d = distract(float(rho), "g/cm^3")
        tasks.append(
            _mcq(f"A metal sample occupies {vol} cm^3 and has a mass of {vol * rho} g. What is its density?", c, d, rng)
        )
    compounds = [
        ("methane (CH4)", 16),
        ("oxygen gas (O2)", 32),
        ("ammonia (NH3)", 17),
        ("water (H2O)", 18),
        ("carbon dioxide (CO2)", 44),
        ("neon (Ne)", 20),
    ]
    for comp, mm in compounds:
        n = rng.randint(2, 9)
        c, d = distract(float(n), "mol")
        tasks.append(
            _mcq(f"How many moles are present in {n * mm} g of {comp}, whose molar mass is {mm} g/mol?", c, d, rng)
        )
    for _ in range(6):
        f, lam = rng.randint(100, 900), rng.choice([0.5, 1, 2, 3, 4])
        c, d = distract(f * lam, "m/s")
        tasks.append(
            _mcq(
                f"A wave has a frequency of {f} Hz and a wavelength of {lam:g} m. At what speed does it propagate?",
                c,
                d,
                rng,
            )
        )
    return tasks


# (function name, description, reference solution, assert tests)
CODE_SPECS: list[tuple[str, str, str, str]] = [
    (
        "count_vowels",
        "returns how many vowels (a, e, i, o, u, either case) appear in the string `s`",
        "def count_vowels(s):\n    return sum(1 for ch in s.lower() if ch in 'aeiou')",
        "assert count_vowels('Hello World') == 3\nassert count_vowels('') == 0\nassert count_vowels('xyz') == 0",
    ),
    (
        "is_palindrome",
        "returns True when the string `s` reads the same forwards and backwards, ignoring case "
        "and non-alphanumeric characters",
        "def is_palindrome(s):\n    t = [c.lower() for c in s if c.isalnum()]\n    return t == t[::-1]",
        "assert is_palindrome('A man, a plan, a canal: Panama')\nassert not is_palindrome('thinkmill')",
    ),
    (
        "second_largest",
        "returns the second largest distinct value in the list `nums`, or None if there is none",
        "def second_largest(nums):\n    vals = sorted(set(nums))\n    return vals[-2] if len(vals) > 1 else None",
        "assert second_largest([4, 1, 4, 3]) == 3\nassert second_largest([7]) is None\n"
        "assert second_largest([2, 2]) is None",
    ),
    (
        "run_length",
        "compresses the string `s` with run-length encoding, e.g. 'aaab' becomes 'a3b1'",
        "def run_length(s):\n    out = []\n    i = 0\n    while i < len(s):\n        j = i\n"
        "        while j < len(s) and s[j] == s[i]:\n            j += 1\n        out.append(f'{s[i]}{j - i}')\n"
        "        i = j\n    return ''.join(out)",
        "assert run_length('aaab') == 'a3b1'\nassert run_length('') == ''\nassert run_length('xyz') == 'x1y1z1'",
    ),
    (
        "flatten",
        "flattens an arbitrarily nested list of integers `xs` into one flat list, keeping order",
        "def flatten(xs):\n    out = []\n    for x in xs:\n        if isinstance(x, list):\n"
        "            out.extend(flatten(x))\n        else:\n            out.append(x)\n    return out",
        "assert flatten([1, [2, [3, 4]], 5]) == [1, 2, 3, 4, 5]\nassert flatten([]) == []",
    ),
    (
        "gcd_list",
        "returns the greatest common divisor of all integers in the non-empty list `nums`",
        "import math\n\ndef gcd_list(nums):\n    g = 0\n    for n in nums:\n        g = math.gcd(g, n)\n    return g",
        "assert gcd_list([12, 18, 24]) == 6\nassert gcd_list([7]) == 7\nassert gcd_list([9, 28]) == 1",
    ),
    (
        "word_frequencies",
        "returns a dict mapping each lower-cased word in the text `s` to its count; words are separated by whitespace",
        "def word_frequencies(s):\n    d = {}\n    for w in s.lower().split():\n        d[w] = d.get(w, 0) + 1\n"
        "    return d",
        "assert word_frequencies('a b A') == {'a': 2, 'b': 1}\nassert word_frequencies('') == {}",
    ),
    (
        "rotate_right",
        "rotates the list `xs` to the right by `k` positions and returns the new list",
        "def rotate_right(xs, k):\n    if not xs:\n        return []\n    k %= len(xs)\n    return xs[-k:] + xs[:-k]",
        "assert rotate_right([1, 2, 3, 4], 1) == [4, 1, 2, 3]\nassert rotate_right([], 3) == []\n"
        "assert rotate_right([1, 2], 4) == [1, 2]",
    ),
    (
        "primes_below",
        "returns the sorted list of all primes strictly less than `n`",
        "def primes_below(n):\n    return [p for p in range(2, n) if all(p % d for d in range(2, int(p ** 0.5) + 1))]",
        "assert primes_below(10) == [2, 3, 5, 7]\nassert primes_below(2) == []",
    ),
    (
        "balanced_brackets",
        "returns True when every bracket in `s` ((), [], {}) is properly matched and nested",
        "def balanced_brackets(s):\n    pairs = {')': '(', ']': '[', '}': '{'}\n    stack = []\n    for c in s:\n"
        "        if c in '([{':\n            stack.append(c)\n        elif c in pairs:\n"
        "            if not stack or stack.pop() != pairs[c]:\n                return False\n    return not stack",
        "assert balanced_brackets('([]{})')\nassert not balanced_brackets('(]')\nassert not balanced_brackets('((')",
    ),
    (
        "merge_intervals",
        "merges overlapping closed intervals given as a list of [start, end] pairs and returns them sorted by start",
        "def merge_intervals(iv):\n    out = []\n    for s, e in sorted(iv):\n        if out and s <= out[-1][1]:\n"
        "            out[-1][1] = max(out[-1][1], e)\n        else:\n            out.append([s, e])\n    return out",
        "assert merge_intervals([[1, 3], [2, 6], [8, 10]]) == [[1, 6], [8, 10]]\nassert merge_intervals([]) == []",
    ),
    (
        "digit_root",
        "repeatedly sums the decimal digits of the non-negative integer `n` until one digit remains",
        "def digit_root(n):\n    while n >= 10:\n        n = sum(int(d) for d in str(n))\n    return n",
        "assert digit_root(9875) == 2\nassert digit_root(0) == 0",
    ),
    (
        "title_case",
        "capitalises the first letter of each word in `s` and lower-cases the rest",
        "def title_case(s):\n    return ' '.join(w[:1].upper() + w[1:].lower() for w in s.split(' '))",
        "assert title_case('hELLO wORLD') == 'Hello World'\nassert title_case('') == ''",
    ),
    (
        "pairs_with_sum",
        "returns the number of index pairs i < j in `nums` whose values add up to `target`",
        "def pairs_with_sum(nums, target):\n    return sum(1 for i in range(len(nums)) for j in range(i + 1, len(nums))"
        " if nums[i] + nums[j] == target)",
        "assert pairs_with_sum([1, 2, 3, 4], 5) == 2\nassert pairs_with_sum([], 1) == 0",
    ),
    (
        "to_binary",
        "returns the binary representation of the non-negative integer `n` as a string without a prefix",
        "def to_binary(n):\n    return bin(n)[2:]",
        "assert to_binary(10) == '1010'\nassert to_binary(0) == '0'",
    ),
    (
        "matrix_transpose",
        "returns the transpose of the rectangular matrix `m` given as a list of rows",
        "def matrix_transpose(m):\n    return [list(r) for r in zip(*m)]",
        "assert matrix_transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]\n"
        "assert matrix_transpose([]) == []",
    ),
    (
        "longest_common_prefix",
        "returns the longest common prefix of all strings in the list `words`",
        "def longest_common_prefix(words):\n    if not words:\n        return ''\n    p = words[0]\n"
        "    for w in words[1:]:\n        while not w.startswith(p):\n            p = p[:-1]\n    return p",
        "assert longest_common_prefix(['flower', 'flow', 'flight']) == 'fl'\nassert longest_common_prefix([]) == ''",
    ),
    (
        "moving_average",
        "returns the list of averages of each window of `k` consecutive numbers in `xs`",
        "def moving_average(xs, k):\n    return [sum(xs[i:i + k]) / k for i in range(len(xs) - k + 1)]",
        "assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]\nassert moving_average([1], 2) == []",
    ),
    (
        "caesar_shift",
        "shifts each lowercase letter of `s` forward by `k` places in the alphabet, wrapping around, "
        "and leaves other characters alone",
        "def caesar_shift(s, k):\n    return ''.join(chr((ord(c) - 97 + k) % 26 + 97) if 'a' <= c <= 'z' else c "
        "for c in s)",
        "assert caesar_shift('xyz a', 3) == 'abc d'\nassert caesar_shift('hi!', 0) == 'hi!'",
    ),
    (
        "unique_in_order",
        "returns the elements of `xs` with consecutive duplicates collapsed into one",
        "def unique_in_order(xs):\n    out = []\n    for x in xs:\n        if not out or out[-1] != x:\n"
        "            out.append(x)\n    return out",
        "assert unique_in_order([1, 1, 2, 2, 1]) == [1, 2, 1]\nassert unique_in_order([]) == []",
    ),
    (
        "celsius_table",
        "returns a list of (celsius, fahrenheit) tuples for celsius values from `lo` to `hi` inclusive in steps of 10",
        "def celsius_table(lo, hi):\n    return [(c, c * 9 / 5 + 32) for c in range(lo, hi + 1, 10)]",
        "assert celsius_table(0, 20) == [(0, 32.0), (10, 50.0), (20, 68.0)]",
    ),
    (
        "chunk_list",
        "splits `xs` into consecutive chunks of length `n` (the last may be shorter)",
        "def chunk_list(xs, n):\n    return [xs[i:i + n] for i in range(0, len(xs), n)]",
        "assert chunk_list([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]\nassert chunk_list([], 3) == []",
    ),
    (
        "anagram_groups",
        "groups the words in `words` into lists of anagrams, each group sorted, groups sorted by their first word",
        "def anagram_groups(words):\n    g = {}\n    for w in words:\n        g.setdefault(''.join(sorted(w)), [])"
        ".append(w)\n    return sorted(sorted(v) for v in g.values())",
        "assert anagram_groups(['eat', 'tea', 'tan', 'nat', 'bat']) == [['bat'], ['eat', 'tea'], ['nat', 'tan']]",
    ),
]

# stdin/stdout programs: (description, solution, cases)
STDIO_SPECS: list[tuple[str, str, list[dict[str, str]]]] = [
    (
        "reads two integers on one line separated by a space and prints their sum",
        "a, b = map(int, input().split())\nprint(a + b)",
        [{"input": "2 3\n", "output": "5\n"}, {"input": "-4 10\n", "output": "6\n"}],
    ),
    (
        "reads a line of text and prints it reversed",
        "print(input()[::-1])",
        [{"input": "thinkmill\n", "output": "llimkniht\n"}, {"input": "ab\n", "output": "ba\n"}],
    ),
    (
        "reads an integer n and prints the n-th Fibonacci number, with F(0) = 0 and F(1) = 1",
        "n = int(input())\na, b = 0, 1\nfor _ in range(n):\n    a, b = b, a + b\nprint(a)",
        [{"input": "10\n", "output": "55\n"}, {"input": "0\n", "output": "0\n"}],
    ),
]


def _code_tasks() -> list[dict]:
    tasks = []
    for name, desc, _sol, tests in CODE_SPECS:
        tasks.append(
            {
                "domain": "code",
                "prompt": f"Write a Python function `{name}` that {desc}.",
                "answer": None,
                "verifier": "code",
                "verifier_args": {"tests": tests},
            }
        )
    for desc, _sol, cases in STDIO_SPECS:
        tasks.append(
            {
                "domain": "code",
                "prompt": f"Write a complete Python program that {desc}.",
                "answer": None,
                "verifier": "code",
                "verifier_args": {"tests": cases},
            }
        )
    return tasks


TOPICS = [
    "tidal energy",
    "urban beekeeping",
    "the history of the printing press",
    "composting at home",
    "deep-sea hydrothermal vents",
    "learning a second language as an adult",
    "sourdough starters",
    "night-sky photography",
    "rainwater harvesting",
    "the economics of ferry routes",
    "migratory birds",
    "restoring old bicycles",
    "library cataloguing",
    "volcanic soil",
    "tea ceremonies",
    "wind tunnel testing",
    "knitting patterns",
    "desert ecosystems",
    "origami design",
    "public transit maps",
    "glacier retreat",
    "board game design",
    "mushroom foraging safety",
    "the physics of skateboarding",
    "community radio",
    "bridge inspections",
    "coral reef monitoring",
    "handwriting analysis myths",
    "seed banks",
    "lighthouse keepers",
]

KEYWORD_POOL = [
    "careful",
    "season",
    "community",
    "measure",
    "patience",
    "curious",
    "balance",
    "history",
    "local",
    "quiet",
    "practical",
    "evidence",
]


def _ifeval_tasks(rng: random.Random) -> list[dict]:
    tasks = []
    for i, topic in enumerate(TOPICS):
        kws = rng.sample(KEYWORD_POOL, 2)
        n = rng.choice([40, 60, 80])
        tasks.append(
            {
                "domain": "instruction_following",
                "prompt": f"Write a short paragraph about {topic} in no more than {n} words. The words "
                f"'{kws[0]}' and '{kws[1]}' must both appear, and the whole reply must be in lowercase.",
                "answer": None,
                "verifier": "ifeval",
                "verifier_args": {
                    "constraints": [
                        {"type": "max_words", "value": n},
                        {"type": "include_keywords", "keywords": kws},
                        {"type": "lowercase"},
                    ]
                },
            }
        )
        forbidden = KEYWORD_POOL[(i * 5) % len(KEYWORD_POOL)]
        bullets = rng.choice([3, 4])
        tasks.append(
            {
                "domain": "instruction_following",
                "prompt": f"Give exactly {bullets} markdown bullet points with practical tips on {topic}. Do not use "
                f"the word '{forbidden}' anywhere, and finish your reply with the phrase 'Any questions?'",
                "answer": None,
                "verifier": "ifeval",
                "verifier_args": {
                    "constraints": [
                        {"type": "bullet_points", "count": bullets},
                        {"type": "forbid_keywords", "keywords": [forbidden]},
                        {"type": "end_with", "phrase": "Any questions?"},
                    ]
                },
            }
        )
    return tasks


# The example benchmark (pipeline/sample/benchmarks/example_bench.jsonl) holds an item with this text; the task
# below restates it word for word inside a longer prompt, so decontamination must catch it.
OVERLAP_ITEM_TEXT = (
    "A lighthouse keeper climbs 132 steps to the lamp room four times every night and twice "
    "every morning. How many steps does the keeper climb in one week?"
)


def build_tasks() -> list[dict]:
    rng = random.Random(20261124)
    tasks = _math_tasks(rng) + _science_tasks(rng) + _code_tasks() + _ifeval_tasks(rng)
    tasks.append(
        {
            "domain": "math",
            "prompt": "Here is a puzzle for you. " + OVERLAP_ITEM_TEXT,
            "answer": str(132 * 6 * 7),
            "verifier": "math",
            "verifier_args": {},
        }
    )
    prefix = {"math": "math", "science_mcq": "sci", "code": "code", "instruction_following": "if"}
    counters: dict[str, int] = {}
    for t in tasks:
        k = prefix[t["domain"]]
        counters[k] = counters.get(k, 0) + 1
        t["id"] = f"{k}-{counters[k]:03d}"
        t["license"] = LICENSE
    return [
        {
            "id": t["id"],
            "domain": t["domain"],
            "prompt": t["prompt"],
            "answer": t["answer"],
            "verifier": t["verifier"],
            "verifier_args": t["verifier_args"],
            "license": t["license"],
        }
        for t in tasks
    ]


# ----------------------------------------------------------------------------------------------- responses
REFUSAL = "I'm sorry, but I can't help with that request."


def _solution_for(task: dict) -> tuple[str, str]:
    """(reasoning, final answer text) for a correct response."""
    d = task["domain"]
    if d == "math":
        return (
            f"Let me restate the problem and work through it carefully.\n{task['prompt']}\n"
            f"Working step by step, I get {task['answer']}. Let me double-check the arithmetic once more: "
            f"yes, it holds.",
            f"The answer is $\\boxed{{{task['answer']}}}$.",
        )
    if d == "science_mcq":
        letter = task["answer"]
        choice = task["verifier_args"]["choices"][letter]
        return (
            f"I need to pick the option that matches the physics or chemistry here. Option {letter} says "
            f"'{choice}', which agrees with the relevant law.",
            f"The correct option is ({letter}).",
        )
    if d == "code":
        code = _code_solution(task)
        return (
            "I'll write a small, direct implementation and check it against the edge cases (empty input, "
            "single element).",
            f"Here is the solution:\n\n```python\n{code}\n```",
        )
    return ("The instructions set several constraints; I'll satisfy each one explicitly.", _ifeval_answer(task))


def _code_solution(task: dict) -> str:
    for name, _d, sol, _t in CODE_SPECS:
        if f"`{name}`" in task["prompt"]:
            return sol
    for desc, sol, _c in STDIO_SPECS:
        if desc in task["prompt"]:
            return sol
    raise KeyError(task["id"])


def _ifeval_answer(task: dict, violate: bool = False) -> str:
    cons = {c["type"]: c for c in task["verifier_args"]["constraints"]}
    topic = (
        task["prompt"].split(" about ")[-1].split(" in no more")[0]
        if "about" in task["prompt"]
        else (task["prompt"].split("tips on ")[-1].split(". Do not")[0])
    )
    if "include_keywords" in cons:
        kws = cons["include_keywords"]["keywords"]
        text = (
            f"{topic} rewards a {kws[0]} approach: start small, keep notes, and let {kws[1]} guide each "
            f"step until the habit feels natural."
        )
        return text.upper() if violate else text.lower()
    n = cons["bullet_points"]["count"]
    tips = [
        f"Start with one small, well-defined goal for {topic}.",
        "Keep a simple log of what you try.",
        "Ask someone experienced to review your progress.",
        "Review your notes every few weeks.",
    ]
    lines = [f"- {t}" for t in tips[: n + (1 if violate else 0)]]
    return "\n".join(lines) + "\n\nAny questions?"


def _wrong_for(task: dict) -> str:
    d = task["domain"]
    if d == "math":
        return "The answer is $\\boxed{" + str(len(task["prompt"]) % 97 + 1001) + "}$."
    if d == "science_mcq":
        wrong = next(k for k in "ABCD" if k != task["answer"])
        return f"The correct option is ({wrong})."
    if d == "code":
        code = _code_solution(task).replace("return ", "return None and ", 1).replace("print(", "print(0*", 1)
        return f"```python\n{code}\n```"
    return _ifeval_answer(task, violate=True)


def build_responses(tasks: list[dict]) -> list[dict]:
    """Hand-written responses: 2 think samples + 1 no-think sample per task, with planted defects."""
    rng = random.Random(7)
    out: list[dict] = []
    for i, t in enumerate(tasks):
        reasoning, final = _solution_for(t)
        wrong = _wrong_for(t)
        hard = i % 3 == 0  # a third of tasks are "hard": no-think fails, think passes once
        case = i % 17
        # think sample 0
        think0 = f"<think>\n{reasoning}\n</think>\n\n{final}"
        # think sample 1: usually a lightly edited near-duplicate of sample 0, sometimes wrong or defective
        if hard:
            think1 = f"<think>\nA first attempt, moving quickly.\n{reasoning[:60]}\n</think>\n\n{wrong}"
        elif case == 1:
            think1 = f"<think>\n{reasoning}\n" + ("Let me reconsider the problem again.\n" * 40)  # unclosed
        elif case == 2:
            think1 = f"<think>\n{reasoning}\n</think>\n<think>\nMore thoughts.\n</think>\n\n{final}"
        elif case == 3:
            think1 = REFUSAL
        elif case == 4:
            think1 = f"<think>\n{reasoning}\n" + ("I will check this again. " * 60) + f"\n</think>\n\n{final}"
        elif case == 5:
            think1 = final  # no think block in think mode
        else:
            think1 = f"<think>\n{reasoning.replace('carefully', 'with care')}\n</think>\n\n{final}"
        # no-think sample
        if hard:
            no_think = wrong
        elif case == 6:
            no_think = f"<think>\nWait, let me think.\n</think>\n\n{final}"  # leakage
        elif case == 7:
            no_think = f"Wait, hmm. {final}"
        else:
            no_think = final
        finish1 = "length" if (not hard and case == 1) else "stop"
        out.append({"task_id": t["id"], "mode": "think", "sample_index": 0, "text": think0, "finish_reason": "stop"})
        out.append({"task_id": t["id"], "mode": "think", "sample_index": 1, "text": think1, "finish_reason": finish1})
        out.append(
            {"task_id": t["id"], "mode": "no_think", "sample_index": 0, "text": no_think, "finish_reason": "stop"}
        )
    rng.shuffle(out)
    out.sort(key=lambda r: (r["task_id"], r["mode"], r["sample_index"]))
    return out


def build_messy(tasks: list[dict]) -> list[bytes]:
    """Raw rows with defects: each must end up quarantined or dropped as a duplicate, never lost."""
    first_math = next(t for t in tasks if t["domain"] == "math")
    near = dict(first_math, id="messy-near", prompt=first_math["prompt"].replace("How many", "how  many"))
    rows = [
        json.dumps(
            {
                "id": "messy-ok",
                "domain": "math",
                "prompt": "What is the product of 17 and 23?",
                "answer": "391",
                "verifier": "math",
                "verifier_args": {},
            }
        ).encode(),
        b'{"id": "messy-bad-json", "prompt": "unterminated',
        json.dumps({"id": "messy-no-prompt", "domain": "math", "answer": "4"}).encode(),
        json.dumps({"id": "messy-empty", "domain": "math", "prompt": "   ", "answer": "1"}).encode(),
        json.dumps({"id": "messy-type", "domain": "math", "prompt": "What is 2 + 2?", "answer": {"value": 4}}).encode(),
        json.dumps(
            {
                "id": "messy-long",
                "domain": "math",
                "prompt": "Compute the sum. " + "1 + " * 11000 + "1",
                "answer": "11001",
            }
        ).encode(),
        b'{"id": "messy-encoding", "domain": "math", "prompt": "caf\xe9 \xff\xfe price?", "answer": "3"}',
        json.dumps(dict(first_math, id="messy-exact-dup")).encode(),
        json.dumps(near).encode(),
    ]
    return rows


def main() -> None:
    tasks = build_tasks()
    (HERE / "tasks.jsonl").write_text(
        "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8"
    )
    (HERE / "raw").mkdir(exist_ok=True)
    (HERE / "raw" / "messy.jsonl").write_bytes(b"\n".join(build_messy(tasks)) + b"\n")
    responses = build_responses(tasks)
    (HERE / "response_texts.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in responses), encoding="utf-8"
    )
    by_domain: dict[str, int] = {}
    for t in tasks:
        by_domain[t["domain"]] = by_domain.get(t["domain"], 0) + 1
    print(f"{len(tasks)} tasks {by_domain}; {len(responses)} responses")


if __name__ == "__main__":
    main()
