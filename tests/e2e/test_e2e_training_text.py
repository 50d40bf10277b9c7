"""From tasks to the text a trainer trains on: a version generated against a loopback OpenAI-compatible server that
answers as Hermes 4 does, exported for TRL (messages), Axolotl (messages with `reasoning_content`), LLaMA-Factory
(sharegpt), the `text` export and DPO, and each row rendered as its recipe renders it.

The server's answers are the shapes a curation run meets: a think block then the answer (one or two newlines after
`</think>`), a chat template that opened the block itself (the response starts inside it and has only `</think>`),
no-think answers, several paragraphs, LaTeX, unicode, code fences whose strings hold `<think>` and `</think>`,
an empty think block, an answer indented as a column sum, a task with its own system prompt. Every rendered
training text is read: the think block exactly once in think rows and never in no-think rows, the system prompt of
the mode, the assistant turn exactly the model's text (Hermes 4's shape: `<think>\\n`, the think text,
`\\n</think>\\n\\n`, the answer), the same text from every export, DPO pairs with the chosen row's prompt.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
from pipeline.trace import THINK_SYSTEM_PROMPT
from testing_support.openai_stub import OpenAIStub

MODEL = "NousResearch/Hermes-4-14B"
PIRATE = "You are a pirate. Answer in pirate speak."

TASKS: list[dict[str, Any]] = [
    {"id": "mul", "prompt": "What is 17 times 23?", "answer": "391", "domain": "math", "verifier": "math"},
    {
        "id": "circle",
        "prompt": "A circle has radius 5 cm. What is its area in square centimetres? Give it in terms of pi.",
        "answer": "25\\pi",
        "domain": "math",
        "verifier": "math",
    },
    {
        "id": "integral",
        "prompt": "Evaluate the definite integral of 2x from x = 0 to x = 1.",
        "answer": "1",
        "domain": "math",
        "verifier": "math",
    },
    {
        "id": "zug",
        "prompt": "Ein Zug fährt 120 km in 2 Stunden. Wie hoch ist seine Durchschnittsgeschwindigkeit in km/h?",
        "answer": "60",
        "domain": "math",
        "verifier": "math",
    },
    {
        "id": "apples",
        "prompt": "小明有 3 个苹果，又买了 4 个。他现在一共有几个苹果？",
        "answer": "7",
        "domain": "math",
        "verifier": "math",
    },
    {"id": "empty", "prompt": "What is 3 plus 9?", "answer": "12", "domain": "math", "verifier": "math"},
    {
        "id": "pirate",
        "prompt": "How many legs do 3 spiders have in total?",
        "answer": "24",
        "domain": "math",
        "verifier": "math",
        "system": PIRATE,
    },
    {
        "id": "strip",
        "prompt": "Give one line of Python that removes every <think>...</think> block from the string s.",
        "answer": None,
        "domain": "snippets",
        "verifier": "regex",
        "verifier_args": {"pattern": r"re\.sub\("},
    },
    {
        "id": "organelle",
        "prompt": "Which organelle is the site of aerobic respiration in eukaryotic cells?\n\n"
        "(A) Ribosome\n(B) Golgi apparatus\n(C) Mitochondrion\n(D) Lysosome",
        "answer": "C",
        "domain": "science_mcq",
        "verifier": "mcq",
        "verifier_args": {"choices": {"A": "Ribosome", "B": "Golgi apparatus", "C": "Mitochondrion", "D": "Lysosome"}},
    },
]

STRIP_THINK = """```python
s = re.sub(r"<think>.*?</think>", "", s, flags=re.DOTALL)
```

The pattern `<think>.*?</think>` is non-greedy, so `'<think>1</think>a<think>2</think>b'` becomes `'ab'`."""
COLUMN_SUM = """     17
   × 23
   ----
     51
    340
   ----
    391

So $17 \\times 23 = \\boxed{391}$."""
SERIES = """Pair the terms from both ends:

- $1 + 100 = 101$
- $2 + 99 = 101$
- …

There are $50$ such pairs."""

# (task, mode) -> the server's answers, one per sample, each with the assistant turn its row must hold (None: it
# fails verification and is no row)
ANSWERS: dict[tuple[str, str], list[tuple[str, str | None]]] = {
    ("mul", "think"): [
        (
            "<think>\nI need 17 × 23.\n17 × 20 = 340 and 17 × 3 = 51.\n340 + 51 = 391.\n</think>\n"
            "$17 \\times 23 = 391$, so the answer is $\\boxed{391}$.",
            "<think>\nI need 17 × 23.\n17 × 20 = 340 and 17 × 3 = 51.\n340 + 51 = 391.\n</think>\n\n"
            "$17 \\times 23 = 391$, so the answer is $\\boxed{391}$.",
        ),
        ("<think>\n17 × 23 ≈ 17 × 22 = 374, plus 7 gives 381.\n</think>\nThe answer is $\\boxed{381}$.", None),
    ],
    ("mul", "no_think"): [(COLUMN_SUM, COLUMN_SUM), ("$\\boxed{381}$", None)],
    ("circle", "think"): [
        (  # the chat template opened the think block: the response starts inside it
            "The area of a circle is $\\pi r^2$.\nWith $r = 5$: $\\pi \\cdot 25 = 25\\pi$.\n</think>\n"
            "The area is $\\boxed{25\\pi}$ cm².",
            "<think>\nThe area of a circle is $\\pi r^2$.\nWith $r = 5$: $\\pi \\cdot 25 = 25\\pi$.\n</think>\n\n"
            "The area is $\\boxed{25\\pi}$ cm².",
        ),
        ("Area = 2πr = 10π.\n</think>\nThe area is $\\boxed{10\\pi}$.", None),
    ],
    ("circle", "no_think"): [
        ("The area is $A = \\pi r^2 = \\boxed{25\\pi}$ square centimetres.",) * 2,
    ],
    ("integral", "think"): [
        (
            "<think>\nThe antiderivative of $2x$ is $x^2$.\n\nEvaluate from 0 to 1: $1^2 - 0^2 = 1$.\n</think>\n\n"
            "We use the power rule.\n\n$$\\int_0^1 2x\\,dx = \\left[x^2\\right]_0^1 = 1 - 0 = 1$$\n\n"
            "Therefore the value is $\\boxed{1}$.",
        )
        * 2
    ],
    ("integral", "no_think"): [(f"{SERIES}\n\nBy the power rule the integral is $\\boxed{{1}}$.",) * 2],
    ("zug", "think"): [
        (  # aligned equations: the think text's first line is indented as the lines after it
            "<think>\n  v = s / t\n    = 120 km ÷ 2 h\n    = 60 km/h\n</think>\n\n"
            "Die Durchschnittsgeschwindigkeit beträgt $\\boxed{60}$ km/h. ✅",
        )
        * 2
    ],
    ("zug", "no_think"): [("120 km ÷ 2 h = $\\boxed{60}$ km/h.",) * 2],
    ("apples", "think"): [
        (
            "<think>\n3 + 4 = 7。\n</think>\n小明现在一共有 $\\boxed{7}$ 个苹果。🍎",
            "<think>\n3 + 4 = 7。\n</think>\n\n小明现在一共有 $\\boxed{7}$ 个苹果。🍎",
        )
    ],
    ("apples", "no_think"): [("3 + 4 = 7，所以答案是 $\\boxed{7}$。",) * 2],
    ("empty", "think"): [
        ("<think>\n\n</think>\n\nThe answer is $\\boxed{12}$.", None),
        ("<think>\n3 + 9 = 12.\n</think>\n$\\boxed{12}$", "<think>\n3 + 9 = 12.\n</think>\n\n$\\boxed{12}$"),
    ],
    ("empty", "no_think"): [("<think>\n\n</think>\n\n$\\boxed{12}$", None), ("3 + 9 = $\\boxed{12}$.",) * 2],
    ("pirate", "think"): [
        ("<think>\nA spider has 8 legs; 3 × 8 = 24.\n</think>\n\nArr, them spiders be havin' $\\boxed{24}$ legs!",) * 2
    ],
    ("pirate", "no_think"): [("Arr! $\\boxed{24}$ legs all told.",) * 2],
    ("strip", "think"): [
        ("<think>\nA non-greedy regex with the DOTALL flag removes each block separately.\n</think>\n\n" + STRIP_THINK,)
        * 2
    ],
    ("strip", "no_think"): [("```python\ns = re.sub(r'<think>.*?</think>', '', s, flags=re.S)\n```",) * 2],
    ("organelle", "think"): [
        (
            "<think>\nAerobic respiration happens in the mitochondrion.\nRibosomes make proteins; lysosomes "
            "digest.\n</think>\n\nThe site of aerobic respiration is the mitochondrion.\n\n$\\boxed{C}$",
        )
        * 2
    ],
    ("organelle", "no_think"): [("$\\boxed{C}$",) * 2, ("$\\boxed{A}$", None)],
}


def _responder() -> Any:
    sent: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()

    def respond(body: dict[str, Any]) -> str:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        mode = "think" if (body.get("chat_template_kwargs") or {}).get("thinking") else "no_think"
        task = next(t["id"] for t in TASKS if user.startswith(t["prompt"][:40]))
        with lock:
            i = sent[(task, mode)]
            sent[(task, mode)] += 1
        answers = ANSWERS[(task, mode)]
        return answers[i % len(answers)][0]

    return respond


def _cli(*args: str) -> str:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, f"thinkmill {' '.join(args)} exited {res.exit_code}: {res.output}"
    return res.output


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def _tokenizer(template: str) -> Any:
    """A tokenizer built here (no download) carrying the exported chat template: rendering needs no vocabulary."""
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(models.WordLevel({"<unk>": 0}, unk_token="<unk>")),
        unk_token="<unk>",
        eos_token="<|im_end|>",
    )
    tok.chat_template = template
    return tok


def _chatml(system: str, turns: list[tuple[str, str]]) -> str:
    return f"<|im_start|>system\n{system}<|im_end|>\n" + "".join(
        f"<|im_start|>{role}\n{text}<|im_end|>\n" for role, text in turns
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("training_text")
    with (root / "tasks.jsonl").open("w", encoding="utf-8") as f:
        for t in TASKS:
            f.write(json.dumps({**t, "license": "MIT"}, ensure_ascii=False) + "\n")
    with OpenAIStub(models=(MODEL,)) as stub:
        stub.responder = _responder()
        cfg = {
            "ingest": {"sources": [{"name": "probe", "path": "tasks.jsonl"}]},
            "generate": {
                "backend": "openai",
                "model": MODEL,
                "samples_think": 2,
                "samples_no_think": 2,
                "openai": {"base_urls": [stub.url], "max_in_flight": 1},
            },
            "balance": {
                "disjoint_tasks": False,
                "enforce_ratio": False,
                "validation_share": 0.0,
                "min_validation_tasks": 0,
            },
        }
        (root / "thinkmill.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
        common = ["--db", str(root / "tm.duckdb"), "--config", str(root / "thinkmill.yaml")]
        _cli("ingest", *common)
        _cli("generate", *common)
    _cli("verify", *common)
    _cli("select", *common)
    _cli("build", *common)
    out = root / "out"
    _cli("export", *common, "--version", "v1", "--format", "messages", "--out", str(out / "msg"), "--template-out",
         str(out / "msg"))  # fmt: skip
    for fmt, folder, extra in (
        ("messages", "ax", ["--reasoning-field", "reasoning_content"]),
        ("sharegpt", "lf", []),
        ("text", "text", []),
        ("dpo", "dpo", []),
    ):
        _cli("export", *common, "--version", "v1", "--format", fmt, "--out", str(out / folder), *extra)
    return out


def test_each_row_is_the_models_text_in_hermes_4_shape(exported: Path) -> None:
    """Every row's assistant turn is the text the model wrote (its think block rebuilt in Hermes 4's shape where a
    template opened it), indentation, blank lines and unicode as written; no failing response is a row. A column
    sum's first line lost its indentation (`str.strip`), misaligning the sum the row trained on."""
    rows = _jsonl(exported / "msg" / "train.jsonl")
    want = Counter(
        (task, mode, row) for (task, mode), answers in ANSWERS.items() for _, row in answers if row is not None
    )
    got = Counter((r["task_id"].split("/")[1], r["mode"], r["messages"][-1]["content"]) for r in rows)
    assert set(got) == set(want)
    assert all(n == 1 for n in got.values())  # a sample sent twice is one row


def test_every_export_renders_the_same_training_text(exported: Path) -> None:
    """The messages export through the shipped training template (TRL), the `reasoning_content` export through the
    same template (Axolotl), the sharegpt export as LLaMA-Factory's `chatml` renders it and the `text` export give
    one text per row: the mode's system prompt once, the think block once in think rows and never in no-think rows."""
    tok = _tokenizer((exported / "msg" / "chat_template.jinja").read_text())
    rendered: dict[str, str] = {}
    for r in _jsonl(exported / "msg" / "train.jsonl"):
        msgs = r["messages"]
        text = tok.apply_chat_template(msgs, tokenize=False)
        system = msgs[0]["content"] if msgs[0]["role"] == "system" else STANDARD_SYSTEM_PROMPT
        assert text == _chatml(system, [(m["role"], m["content"]) for m in msgs if m["role"] != "system"])
        answer = msgs[-1]["content"]
        if r["mode"] == "think":
            assert system.startswith(THINK_SYSTEM_PROMPT) and text.count(THINK_SYSTEM_PROMPT) == 1
            assert answer.startswith("<think>\n") and answer.count("\n</think>\n\n") == 1
            assert text.count("<|im_start|>assistant\n<think>\n") == 1
            assert tok.apply_chat_template(msgs, tokenize=False, thinking=True) == text  # the prompt not twice
        else:
            assert THINK_SYSTEM_PROMPT not in text and not answer.startswith("<think>")
            assert "</think>\n\n" not in answer
        if r["task_id"].endswith("pirate"):
            assert system == (f"{THINK_SYSTEM_PROMPT}\n\n{PIRATE}" if r["mode"] == "think" else PIRATE)
        rendered[r["example_id"]] = text
    assert {r["mode"] for r in _jsonl(exported / "msg" / "train.jsonl")} == {"think", "no_think"}

    for r in _jsonl(exported / "ax" / "train.jsonl"):
        assert tok.apply_chat_template(r["messages"], tokenize=False) == rendered[r["example_id"]]
        assert (r["messages"][-1]["reasoning_content"] is not None) == (r["mode"] == "think")
    roles = {"human": "user", "gpt": "assistant"}
    for r in _jsonl(exported / "lf" / "train.jsonl"):
        turns = [(roles[c["from"]], c["value"]) for c in r["conversations"]]
        assert _chatml(r["system"], turns) == rendered[r["example_id"]]
    for r in _jsonl(exported / "text" / "train.jsonl"):
        assert r["text"] + "<|im_end|>\n" == rendered[r["example_id"]]  # the trainer appends the EOS


def test_preference_pairs_share_the_chosen_rows_prompt(exported: Path) -> None:
    """Each pair's prompt is its chosen row's, the chosen side that row's assistant turn, the rejected side a failing
    response of the same task and mode (a template-opened one rebuilt in Hermes 4's shape)."""
    rows = {r["example_id"]: r for r in _jsonl(exported / "msg" / "train.jsonl")}
    pairs = _jsonl(exported / "dpo" / "train.jsonl")
    failing = {
        (task, mode): [text for text, row in answers if row is None] for (task, mode), answers in ANSWERS.items()
    }
    assert {(p["task_id"].split("/")[1], p["mode"]) for p in pairs} == {k for k, v in failing.items() if v}
    for p in pairs:
        row = rows[p["chosen_example_id"]]
        assert p["prompt"] == row["messages"][:-1] and p["chosen"] == row["messages"][-1:]
        rejected = p["rejected"][0]["content"]
        task = p["task_id"].split("/")[1]
        if task == "circle":
            assert rejected == "<think>\nArea = 2πr = 10π.\n</think>\n\nThe area is $\\boxed{10\\pi}$."
        elif p["mode"] == "no_think" or task == "empty":
            assert rejected in failing[(task, p["mode"])]
