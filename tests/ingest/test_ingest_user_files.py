"""Issue 14: the layouts users actually have become right tasks, or are quarantined with a reason.

Each file here is shaped like a user's own data: an MCQ spreadsheet with one column per option, an MMLU-style
file (choice list + 0-based index), an ARC-style file (`{label, text}` choices, `answerKey`), a GSM8K-style file
(rationale + `#### answer`), and a CSV with an unterminated quote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_requests
from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.decontam import Benchmark, decontaminate, read_clean_tasks
from pipeline.ingest.errors import IngestError
from pipeline.store import Store

OPTION_COLUMNS = ["option_a", "option_b", "option_c", "option_d"]
MCQ_CSV = """id,question,option_a,option_b,option_c,option_d,answer
q1,Which planet is known as the Red Planet?,Venus,Mars,Jupiter,Saturn,B
q2,What is the chemical symbol for gold?,Ag,Au,Gd,Go,b
q3,Which gas do plants absorb for photosynthesis?,Oxygen,Nitrogen,Carbon dioxide,Helium,(C)
q4,Which of these is a mammal?,Shark,Dolphin,Trout,,B
q5,Which metal is liquid at room temperature?,Iron,Copper,Mercury,Zinc,E
q6,What is 1 + 1?,1,2,,4,B
"""


def _tasks(store: Store) -> dict[str, dict]:
    out = {}
    for t in store.read("tasks").iter_rows(named=True):
        t["verifier_args"] = json.loads(t["verifier_args"])
        t["metadata"] = json.loads(t["metadata"])
        out[t["task_id"]] = t
    return out


def _quarantine(store: Store) -> dict[int, tuple[str, str]]:
    q = store.read("quarantine")
    return {r["source_row"]: (r["reason"], r["detail"]) for r in q.iter_rows(named=True)}


def test_mcq_csv_with_one_column_per_option(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "quiz.csv"
    p.write_text(MCQ_CSV, encoding="utf-8")
    rep = ingest_paths(store, [p], source="quiz", mapping={"prompt": "question", "choices": OPTION_COLUMNS})
    tasks = _tasks(store)
    assert sorted(tasks) == ["quiz/q1", "quiz/q2", "quiz/q3", "quiz/q4"], _quarantine(store)
    q1 = tasks["quiz/q1"]
    assert (q1["verifier"], q1["domain"], q1["answer"]) == ("mcq", "science_mcq", "B")
    assert q1["verifier_args"]["choices"] == {"A": "Venus", "B": "Mars", "C": "Jupiter", "D": "Saturn"}
    # the options are part of the prompt every later stage sees
    assert q1["prompt"] == ("Which planet is known as the Red Planet?\n\nA. Venus\nB. Mars\nC. Jupiter\nD. Saturn")
    assert not set(OPTION_COLUMNS) & set(q1["metadata"])  # used columns are not repeated in metadata
    assert tasks["quiz/q2"]["answer"] == "B" and tasks["quiz/q3"]["answer"] == "C"
    # an empty trailing option column: a three-option question
    assert tasks["quiz/q4"]["verifier_args"]["choices"] == {"A": "Shark", "B": "Dolphin", "C": "Trout"}
    assert tasks["quiz/q4"]["prompt"].endswith("A. Shark\nB. Dolphin\nC. Trout")
    reasons = _quarantine(store)
    assert reasons[4][0] == "invalid_value:answer" and "'E'" in reasons[4][1]  # no option E
    assert reasons[5][0] == "invalid_value:choices" and "option_c" in reasons[5][1]  # a gap shifts the letters
    assert rep.metadata["read"] == 6 and rep.metadata["ingested"] == 4 and rep.metadata["quarantined"] == 2


def test_mcq_options_reach_the_request(store: Store, tmp_path: Path) -> None:
    """Finding 1: the model is shown the options it must choose between, one per line as `A. text`."""
    p = tmp_path / "quiz.csv"
    p.write_text(MCQ_CSV, encoding="utf-8")
    ingest_paths(store, [p], source="quiz", mapping={"prompt": "question", "choices": OPTION_COLUMNS})
    reqs = [
        r
        for r in build_requests(read_clean_tasks(store), GenerateConfig(samples_think=1, samples_no_think=1))
        if r.task_id == "quiz/q1"
    ]
    assert {r.mode for r in reqs} == {"think", "no_think"}
    for r in reqs:
        user = r.messages[-1]["content"]
        assert "A. Venus\nB. Mars\nC. Jupiter\nD. Saturn" in user, user
        assert user.endswith("Answer with the letter of the correct choice.")


def test_mmlu_style_choice_list_and_index(store: Store, write_jsonl) -> None:
    rows = [
        {
            "question": "Which planet is closest to the Sun?",
            "subject": "astronomy",
            "choices": ["Venus", "Mercury", "Earth", "Mars"],
            "answer": 1,
        },
        {
            "question": "How many moons does Mars have?",
            "subject": "astronomy",
            "choices": ["0", "1", "2", "4"],
            "answer": 2,
        },
        {"question": "Which is a noble gas?", "subject": "chemistry", "choices": ["Neon", "Nitrogen"], "answer": 5},
        # a digit string that is the text of one option and the index of another: ambiguous, never guessed
        {"question": "How many legs has a tripod?", "choices": ["2", "3", "4"], "answer": "2"},
        {"question": "Which is the largest planet?", "choices": ["Earth", "Jupiter"], "answer": "1"},
    ]
    rep = ingest_paths(store, [write_jsonl("mmlu.jsonl", rows)], source="mmlu")
    tasks = sorted(_tasks(store).values(), key=lambda t: t["source_row"])
    assert [t["answer"] for t in tasks] == ["B", "C", "B"]
    assert tasks[0]["prompt"] == "Which planet is closest to the Sun?\n\nA. Venus\nB. Mercury\nC. Earth\nD. Mars"
    assert tasks[0]["metadata"] == {"subject": "astronomy"}
    reasons = _quarantine(store)
    assert reasons[2][0] == "invalid_value:answer" and "outside 0..1" in reasons[2][1]
    assert reasons[3][0] == "invalid_value:answer" and "ambiguous" in reasons[3][1]
    assert rep.metadata["ingested"] == 3


def test_arc_style_label_text_choices(store: Store, write_jsonl) -> None:
    rows = [
        {
            "id": "Mercury_7175875",
            "question": "An astronomer observes that a planet rotates faster after a "
            "meteorite impact. Which is the most likely effect of this increase in rotation?",
            "choices": {
                "text": [
                    "Planetary density will decrease.",
                    "Planetary years will become longer.",
                    "Planetary days will become shorter.",
                    "Planetary gravity will become stronger.",
                ],
                "label": ["A", "B", "C", "D"],
            },
            "answerKey": "C",
        },
        {
            "id": "NYSEDREGENTS_2015_4_8",
            "question": "Which tool measures mass?",
            "choices": {
                "text": ["ruler", "balance", "thermometer", "graduated cylinder"],
                "label": ["1", "2", "3", "4"],
            },
            "answerKey": "2",
        },
        {
            "id": "bad_labels",
            "question": "Which is hot?",
            "choices": {"text": ["ice", "fire"], "label": ["A"]},
            "answerKey": "B",
        },
    ]
    ingest_paths(store, [write_jsonl("arc.jsonl", rows)], source="arc")
    tasks = _tasks(store)
    t = tasks["arc/Mercury_7175875"]
    assert t["answer"] == "C" and t["verifier"] == "mcq"
    assert t["prompt"].endswith(
        "\n\nA. Planetary density will decrease.\nB. Planetary years will become longer.\n"
        "C. Planetary days will become shorter.\nD. Planetary gravity will become stronger."
    )
    numeric = tasks["arc/NYSEDREGENTS_2015_4_8"]  # numeric labels become letters, the answer key follows
    assert numeric["verifier_args"]["choices"] == {
        "A": "ruler",
        "B": "balance",
        "C": "thermometer",
        "D": "graduated cylinder",
    }
    assert numeric["answer"] == "B"
    assert _quarantine(store)[2][0] == "invalid_value:choices"


def test_choices_as_letter_object_and_answer_text(store: Store, write_jsonl) -> None:
    rows = [{"question": "Which is a prime?", "choices": {"A": "4", "B": "6", "C": "7"}, "answer": "7"}]
    ingest_paths(store, [write_jsonl("obj.jsonl", rows)])
    (t,) = _tasks(store).values()
    assert t["answer"] == "C" and t["prompt"] == "Which is a prime?\n\nA. 4\nB. 6\nC. 7"


def test_prompt_that_already_lists_the_options_is_kept(store: Store, write_jsonl) -> None:
    prompt = "Which planet is red?\n\n(A) Venus\n(B) Mars"
    ingest_paths(
        store, [write_jsonl("shown.jsonl", [{"question": prompt, "choices": ["Venus", "Mars"], "answer": "B"}])]
    )
    (t,) = _tasks(store).values()
    assert t["prompt"] == prompt


def test_options_in_the_prompt_do_not_hide_mcq_contamination(store: Store, tmp_path: Path) -> None:
    """The options added to a short question must not stop the fuzzy check from seeing the benchmark item."""
    p = tmp_path / "quiz.csv"
    p.write_text(MCQ_CSV, encoding="utf-8")
    ingest_paths(store, [p], source="quiz", mapping={"prompt": "question", "choices": OPTION_COLUMNS})
    bench = Benchmark(
        "mini_mmlu",
        pl.DataFrame(
            {
                "item_id": ["m1"],  # 7 words: no shared 8-gram, fuzzy only
                "text": ["What is the chemical symbol for gold?"],
            }
        ),
    )
    hits = decontaminate(store, [bench])
    assert hits.filter(pl.col("task_id") == "quiz/q2")["method"].to_list() == ["fuzzy"]


GSM8K = [
    {
        "question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
        "How many clips did Natalia sell altogether in April and May?",
        "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips "
        "altogether in April and May.\n#### 72",
    },
    {
        "question": "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. "
        "How much did she earn?",
        "answer": "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = "
        "$<<0.2*50=10>>10.\n#### 10 ",
    },
    {"question": "A row with a rationale but no final-answer marker: how many?", "answer": "It is 5 because 2+3."},
]
GSM8K_REGEX = r"####\s*(.+?)\s*$"


def test_gsm8k_answer_regex_keeps_only_the_final_answer(store: Store, write_jsonl) -> None:
    src = write_jsonl("gsm8k.jsonl", GSM8K)
    rep = ingest_paths(store, [src], source="gsm8k", answer_regex=GSM8K_REGEX)
    tasks = sorted(_tasks(store).values(), key=lambda t: t["source_row"])
    assert [t["answer"] for t in tasks] == ["72", "10"]
    assert tasks[0]["verifier"] == "math"
    assert tasks[0]["metadata"]["solution"].startswith("Natalia sold 48/2")  # the rationale is kept
    assert _quarantine(store)[2][0] == "answer_unparsed"
    assert rep.metadata["quarantined"] == 1


@pytest.mark.parametrize("mapped", [False, True], ids=["bulk", "per-row"])
def test_gsm8k_final_answer_marker_is_read_without_a_regex(store: Store, write_jsonl, mapped: bool) -> None:
    """GSM8K's `answer` is the rationale with the final answer after `####`. Without `answer_regex` the whole
    rationale became the math reference (math-verify then found the last number in it) and the near-duplicate
    groups keyed on it (so rephrasings with another rationale were never grouped)."""
    rows = [{**r, "src": "gsm"} for r in GSM8K]
    rep = ingest_paths(
        store, [write_jsonl("gsm8k.jsonl", rows)], source="gsm8k", mapping={"prompt": "question"} if mapped else {}
    )
    tasks = sorted(_tasks(store).values(), key=lambda t: t["source_row"])
    assert [t["answer"] for t in tasks] == ["72", "10", "It is 5 because 2+3."]
    assert tasks[0]["metadata"]["solution"].startswith("Natalia sold 48/2")  # the rationale is kept
    assert tasks[0]["metadata"]["solution"].endswith("#### 72")
    assert "solution" not in tasks[2]["metadata"]  # no marker: the answer as written
    assert rep.metadata["quarantined"] == 0


def test_answer_regex_needs_one_capture_group() -> None:
    with pytest.raises(ValueError, match="capture group"):
        SourceConfig(name="s", path="x.jsonl", answer_regex=r"####.*")
    with pytest.raises(ValueError, match="answer_regex"):
        SourceConfig(name="s", path="x.jsonl", answer_regex=r"(unclosed")


@pytest.mark.parametrize(
    "row",
    [
        {"problem": "What is 2+2?", "answer": ""},
        {"problem": "What is 2+2?", "answer": "   "},
        {"prompt": "Say hi.", "answer": " \n", "verifier": "exact"},
        {"prompt": "How far?", "answer": "", "verifier": "numeric"},
        {"question": "Which?", "choices": ["x", "y"], "answer": "  "},
    ],
)
def test_blank_answer_is_quarantined_for_a_verifier_that_needs_one(store: Store, write_jsonl, row: dict) -> None:
    rep = ingest_paths(store, [write_jsonl("blank.jsonl", [row])])
    assert rep.metadata["ingested"] == 0
    assert _quarantine(store)[0][0] == "missing_field:answer"


def test_blank_answer_is_fine_where_the_verifier_needs_none(store: Store, write_jsonl) -> None:
    rep = ingest_paths(
        store, [write_jsonl("code.jsonl", [{"prompt": "Write f.", "answer": "", "tests": "assert f() == 1"}])]
    )
    assert rep.metadata["ingested"] == 1


def test_csv_blank_answer_cell_is_quarantined(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "math.csv"
    p.write_text('problem,answer\nWhat is 2+2?,4\nWhat is 3+3?,\nWhat is 4+4?," "\n', encoding="utf-8")
    rep = ingest_paths(store, [p])
    assert rep.metadata["ingested"] == 1
    assert {r: v[0] for r, v in _quarantine(store).items()} == {1: "missing_field:answer", 2: "missing_field:answer"}


def test_csv_unterminated_quote_is_quarantined_and_the_next_rows_are_read(store: Store, tmp_path: Path) -> None:
    """Finding 10: the quote opened on line 3 never closes where it should; without care it swallows line 4
    into one plausible wrong task (prompt 'Which planet ...,Mars\\n3,What is H2O?', answer 'water')."""
    p = tmp_path / "quiz.csv"
    p.write_text(
        "id,prompt,answer\n"
        "1,What is 2+2?,4\n"
        '2,"Which planet is red?,Mars\n'
        '3,"What is H2O?",water\n'
        '4,"A quoted\nmulti-line prompt, fine",ok\n'
        "5,What is 5+5?,10\n",
        encoding="utf-8",
    )
    rep = ingest_paths(store, [p], defaults={"verifier": "exact"})
    tasks = {t["task_id"]: (t["prompt"], t["answer"]) for t in _tasks(store).values()}
    assert tasks == {
        "local/1": ("What is 2+2?", "4"),
        "local/3": ("What is H2O?", "water"),
        "local/4": ("A quoted\nmulti-line prompt, fine", "ok"),
        "local/5": ("What is 5+5?", "10"),
    }
    (bad,) = store.read("quarantine").iter_rows(named=True)
    assert bad["reason"] == "invalid_csv" and "line 3" in bad["detail"] and "quote" in bad["detail"]
    assert bad["raw"].startswith('2,"Which planet is red?,Mars')
    assert rep.metadata["read"] == rep.metadata["ingested"] + rep.metadata["quarantined"] + rep.metadata["duplicate"]


def test_csv_unterminated_quote_to_the_end_of_the_file(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "quiz.csv"
    p.write_text('prompt,answer\n"Which planet is red?,Mars\nWhat is 3+3?,6\nWhat is 4+4?,8\n', encoding="utf-8")
    rep = ingest_paths(store, [p])
    assert sorted(t["answer"] for t in _tasks(store).values()) == ["6", "8"]
    (bad,) = store.read("quarantine").iter_rows(named=True)
    assert bad["reason"] == "invalid_csv" and "line 2" in bad["detail"]
    assert rep.metadata["read"] == 3


def test_exported_rows_show_the_options_the_model_saw(store: Store, tmp_path: Path) -> None:
    """Finding 1 end to end: ingest an option-column CSV, generate, select, build a version: each exported user
    turn holds the options, so no row teaches 'Which planet...?' -> 'B' without them."""
    from pipeline.config import ThinkmillConfig
    from pipeline.dataset.versions import run as build_version
    from pipeline.dataset.versions import version_rows
    from pipeline.generate.result import GenerationResult, generation_row
    from schemas import table

    p = tmp_path / "quiz.csv"
    p.write_text(MCQ_CSV, encoding="utf-8")
    ingest_paths(store, [p], source="quiz", mapping={"prompt": "question", "choices": OPTION_COLUMNS})
    tasks = read_clean_tasks(store)
    gens, verdicts, selection = [], [], []
    for req in build_requests(tasks, GenerateConfig(samples_think=1, samples_no_think=1)):
        answer = tasks.filter(pl.col("task_id") == req.task_id)["answer"][0]
        text = (
            f"<think>\nThe options are listed; {answer} fits.\n</think>\n\nAnswer: {answer}"
            if req.mode == "think"
            else f"Answer: {answer}"
        )
        gens.append(
            generation_row(req, GenerationResult(text=text, finish_reason="stop"), backend="batch", endpoint=None)
        )
        verdicts.append(
            {
                "generation_key": req.key,
                "task_id": req.task_id,
                "mode": req.mode,
                "verifier": "mcq",
                "passed": True,
                "think_tokens": 8,
                "answer_tokens": 2,
            }
        )
        selection.append({"generation_key": req.key, "task_id": req.task_id, "mode": req.mode, "selected": True})
    store.insert_many(
        {
            "generations": pl.DataFrame(gens, schema=table("generations").polars_schema()),
            "verdicts": pl.DataFrame(verdicts),
            "trace_selection": pl.DataFrame(selection),
        }
    )
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp_path
    version = build_version(store, cfg).metadata["version"]
    rows = version_rows(store, version)
    assert rows.height > 0
    for r in rows.iter_rows(named=True):
        msgs = r["messages"] if isinstance(r["messages"], list) else json.loads(r["messages"])
        user = next(m["content"] for m in msgs if m["role"] == "user")
        assert "\nA. " in user and "\nB. " in user, user
        if r["task_id"] == "quiz/q1":
            assert "A. Venus\nB. Mars\nC. Jupiter\nD. Saturn" in user


def test_mcq_repeated_in_a_later_file_is_still_an_exact_duplicate(store: Store, write_jsonl) -> None:
    """The stored prompt holds the options ingest added; the dedup key of a stored task must still equal the key
    of the same row read again (from the source's prompt), or repeats slip through as new tasks."""
    rows = [{"question": "Which planet is closest to the Sun?", "choices": ["Venus", "Mercury", "Earth"], "answer": 1}]
    ingest_paths(store, [write_jsonl("a.jsonl", rows)], source="first")
    rep = ingest_paths(store, [write_jsonl("b.jsonl", rows)], source="second")
    assert rep.metadata["duplicate"] == 1 and rep.metadata["duplicate_reasons"] == {"dedup:exact": 1}


def test_option_columns_missing_from_the_file_are_named(store: Store, write_jsonl) -> None:
    """Option columns no row of the file holds: the file stops, naming the first (before: every row quarantined)."""
    with pytest.raises(IngestError, match=r"q\.jsonl: mapping choices=opt1 names a column no row"):
        ingest_paths(
            store,
            [write_jsonl("q.jsonl", [{"question": "Which?", "answer": "A"}])],
            mapping={"prompt": "question", "choices": ["opt1", "opt2"]},
        )
    assert store.count("tasks") == 0 and store.count("quarantine") == 0


def test_stored_task_with_a_blank_reference_is_never_generated(store: Store) -> None:
    """A task stored before blank answers were quarantined (or written by other means) is not sent to a model."""
    base = {"source": "old", "domain": "math", "verifier_args": "{}", "license": None, "metadata": "{}"}
    store.insert_many(
        {
            "tasks": pl.DataFrame(
                [
                    {**base, "task_id": "old/ok", "prompt": "What is 2+2?", "answer": "4", "verifier": "math"},
                    {**base, "task_id": "old/blank", "prompt": "What is 3+3?", "answer": " \n", "verifier": "math"},
                    {**base, "task_id": "old/none", "prompt": "Say hi.", "answer": None, "verifier": "exact"},
                    {
                        **base,
                        "task_id": "old/code",
                        "prompt": "Write f.",
                        "answer": None,
                        "verifier": "code",
                        "verifier_args": '{"tests": "assert f() == 1"}',
                    },
                ]
            )
        }
    )
    assert sorted(read_clean_tasks(store)["task_id"].to_list()) == ["old/code", "old/ok"]
    assert sorted(read_clean_tasks(store, limit=10)["task_id"].to_list()) == ["old/code", "old/ok"]


@pytest.mark.parametrize(
    ("choices", "answer", "expected"),
    [
        (["Venus", "Mars"], "mars", "B"),  # an option's text, in another case
        (["Venus", "Mars"], "²", None),  # a digit character that is no index
        (["b", "a"], "A", None),  # letter A is "b", text "a" is option B: ambiguous
        ({"label": ["1", "2"], "text": ["x", "y"]}, "(2)", "B"),
        ({"label": ["1", "2"], "text": ["x", "y"]}, 1, "A"),  # a number answers by label when labels are numbers
    ],
)
def test_mcq_answer_forms(store: Store, write_jsonl, choices, answer, expected) -> None:
    rep = ingest_paths(store, [write_jsonl("f.jsonl", [{"question": "Which?", "choices": choices, "answer": answer}])])
    if expected is None:
        assert rep.metadata["ingested"] == 0 and _quarantine(store)[0][0] == "invalid_value:answer"
    else:
        assert store.read("tasks")["answer"].to_list() == [expected]


def test_a_blank_mapped_prompt_cell_is_named_as_empty_not_as_a_missing_column(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "algebra.csv"
    p.write_text("qid,question_text,gold\nq1,What is 2 + 2?,4\nq2,,3\n", encoding="utf-8")
    rep = ingest_paths(store, [p], source="alg", mapping={"prompt": "question_text", "answer": "gold", "id": "qid"})
    assert rep.metadata["ingested"] == 1
    assert _quarantine(store) == {1: ("missing_field:prompt", "'question_text' is empty (null) in this row")}


AQUA_OPTIONS = ["A)5(√3 + 1)", "B)6(√3 + √2)", "C)7(√3 – 1)", "D)8(√3 – 2)", "E)None of these"]


@pytest.mark.parametrize(
    ("choices", "answer"),
    [
        (AQUA_OPTIONS, "C"),  # AQuA-RAT: `options` with their letters, `correct` a letter
        (AQUA_OPTIONS, "C)7(√3 – 1)"),  # the option as the file writes it
        (["(A) 5(√3 + 1)", "(B) 6(√3 + √2)", "(C) 7(√3 – 1)", "(D) 8(√3 – 2)", "(E) None of these"], 2),
        (["a ) 5(√3 + 1)", "b ) 6(√3 + √2)", "c ) 7(√3 – 1)", "d ) 8(√3 – 2)", "e ) None of these"], "c"),
        ({k: f"{k}. {v[2:]}" for k, v in zip("ABCDE", AQUA_OPTIONS, strict=True)}, "C"),  # `A. 5(√3 + 1)`
    ],
)
def test_options_that_carry_their_own_letter_are_shown_once(store: Store, write_jsonl, choices, answer) -> None:
    """Options written with their letter (AQuA-RAT's `A)5(√3 + 1)`) were shown as `A. A)5(√3 + 1)`; shuffled,
    as `A. C)7(√3 – 1)`: a prompt whose letters contradict each other, graded against one of them."""
    rows = [{"id": "q", "question": "How long will it take?", "choices": choices, "answer": answer}]
    ingest_paths(store, [write_jsonl("aqua.jsonl", rows)], mapping={"answer": "answer"})
    (t,) = _tasks(store).values()
    want = {"A": "5(√3 + 1)", "B": "6(√3 + √2)", "C": "7(√3 – 1)", "D": "8(√3 – 2)", "E": "None of these"}
    assert t["verifier_args"]["choices"] == want
    assert t["prompt"] == "How long will it take?\n\n" + "\n".join(f"{k}. {v}" for k, v in want.items())
    assert t["answer"] == "C"


def test_shuffled_options_that_carried_their_letter_show_only_the_new_one(store: Store, write_jsonl) -> None:
    rows = [
        {"id": f"q{i}", "question": f"Question {i}: how long?", "choices": AQUA_OPTIONS, "answer": "C"}
        for i in range(8)
    ]
    ingest_paths(store, [write_jsonl("aqua.jsonl", rows)], shuffle_choices=True)
    tasks = _tasks(store)
    assert len(tasks) == 8
    for t in tasks.values():
        choices = t["verifier_args"]["choices"]
        assert choices[t["answer"]] == "7(√3 – 1)"
        for line in t["prompt"].split("\n\n", 1)[1].splitlines():
            assert not re.match(r"[A-E]\. [A-E]\)", line), t["prompt"]


@pytest.mark.parametrize(
    "choices",
    [
        ["A. Lincoln", "T. Roosevelt", "J. Adams"],  # initials, not letters: only the first "matches" its letter
        ["B) red", "A) blue"],  # letters out of order: not their positions
        ["A) red", "B. blue"],  # two styles
        ["A)", "B)"],  # a letter alone is the option
        ["A.D. 1066", "B.C. 55"],  # abbreviations, not letters with a full stop
    ],
)
def test_option_texts_that_only_look_labelled_are_kept_as_written(store: Store, write_jsonl, choices) -> None:
    rows = [{"id": "q", "question": "Which one?", "choices": choices, "answer": 0}]
    ingest_paths(store, [write_jsonl("f.jsonl", rows)])
    (t,) = _tasks(store).values()
    assert list(t["verifier_args"]["choices"].values()) == choices


def test_an_mcq_without_an_answer_column_names_the_columns_read_and_the_mapping(store: Store, write_jsonl) -> None:
    """An answer column under a name no alias knows: the row was quarantined `MCQ answer is missing or blank`, which
    does not say that no answer column was found, nor how to name one. (AQuA-RAT's `correct` is an alias now.)"""
    rows = [{"question": "How long?", "options": AQUA_OPTIONS, "right_option": "C"}]
    ingest_paths(store, [write_jsonl("aqua.jsonl", rows)])
    ((reason, detail),) = _quarantine(store).values()
    assert reason == "missing_field:answer"
    assert "answerKey" in detail and "--map answer=COLUMN" in detail, detail
    ingest_paths(store, [write_jsonl("aqua2.jsonl", rows)], mapping={"answer": "right_option"})
    assert [t["answer"] for t in _tasks(store).values()] == ["C"]


@pytest.mark.parametrize(
    ("choices", "answer"),
    [
        (["1) 5", "2) 7", "3) 9", "4) 11"], "1"),
        (["1) 5", "2) 7", "3) 9", "4) 11"], 1),  # an integer too: the options' own number, not a 0-based index
        (["(1) 5", "(2) 7", "(3) 9", "(4) 11"], "(1)"),
        (["1. 5", "2. 7", "3. 9", "4. 11"], "A"),  # a letter key still reads as the letter
        (["1) 5", "2) 7", "3) 9", "4) 11"], "5"),  # and the option's text as the option
    ],
)
def test_numbered_options_key_the_number_they_carry(store: Store, write_jsonl, choices, answer) -> None:
    """Options written with their number (`1) 5`, `2) 7`, ...) and a key `"1"`: read as a 0-based index the key
    named option 2 (B. 7), a right-looking key on the wrong option: the right answer failed and the wrong one
    passed, silently. The numbers are the options' labels: shown once, and the key reads as the label."""
    rows = [{"id": "q", "question": "What is 2 + 3?", "choices": choices, "answer": answer}]
    rep = ingest_paths(store, [write_jsonl("numbered.jsonl", rows)])
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    (t,) = _tasks(store).values()
    assert t["verifier_args"]["choices"] == {"A": "5", "B": "7", "C": "9", "D": "11"}
    assert t["prompt"] == "What is 2 + 3?\n\nA. 5\nB. 7\nC. 9\nD. 11"
    assert t["answer"] == "A"


@pytest.mark.parametrize(
    "choices",
    [
        ["1.5", "2.5", "3.5"],  # decimals, not labels
        ["2) red", "1) blue"],  # numbers out of order
        ["1) red", "2. blue"],  # two styles
        ["10:30", "11:45"],  # times
    ],
)
def test_option_texts_that_only_look_numbered_are_kept_as_written(store: Store, write_jsonl, choices) -> None:
    rows = [{"id": "q", "question": "Which one?", "choices": choices, "answer": "B"}]
    ingest_paths(store, [write_jsonl("f.jsonl", rows)])
    (t,) = _tasks(store).values()
    assert list(t["verifier_args"]["choices"].values()) == choices and t["answer"] == "B"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # a spreadsheet saved as tab-separated values
        ("q.tsv", "question\tanswer\nWhat is 2+2, i.e. four?\t4\nWhat is 3+3?\t6\n"),
        # a spreadsheet saved with a European locale: semicolons (commas are decimal marks)
        ("q.csv", "question;answer\nWhat is 2+2, i.e. four?;4\nWhat is 3+3?;6\n"),
    ],
)
def test_tab_and_semicolon_separated_files(store: Store, tmp_path: Path, name: str, text: str) -> None:
    """A `.tsv` file was refused as an unknown file type, and a `;`-separated CSV read as one column named
    `question;answer`: every row was quarantined missing_field:prompt."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    rep = ingest_paths(store, [path])
    assert rep.metadata["ingested"] == 2, store.read("quarantine")["detail"].to_list()
    tasks = store.read("tasks").sort("source_row")
    assert tasks["prompt"].to_list() == ["What is 2+2, i.e. four?", "What is 3+3?"]
    assert tasks["answer"].to_list() == ["4", "6"]


GERMAN = (
    "Frage;Antwort\nWas ist 5/2?;2,5\nWie viel ist 999+1?;1.000\nWas ist 1/4?;0,25\nWas ist 3+3?;6\nWas ist 3/2?;1.5\n"
)


@pytest.mark.parametrize(
    ("decimal_comma", "answers", "quarantined"),
    [
        # unset: a decimal comma or points between thousands read two ways, quarantined naming both and the setting
        (None, ["6", "1.5"], 3),
        (True, ["2.5", "1000", "0.25", "6", "1.5"], 0),
        (False, ["2,5", "1.000", "0,25", "6", "1.5"], 0),
    ],
)
def test_decimal_commas_of_a_semicolon_csv(
    store: Store, tmp_path: Path, decimal_comma: bool | None, answers: list[str], quarantined: int
) -> None:
    """A CSV read with `;` (a spreadsheet saved with a European locale) writes `2,5` for 2.5 and `1.000` for 1000.
    They were math references as written: `2,5` failed `\\boxed{2.5}` and passed `\\boxed{5,2}`, and `1.000` passed
    `\\boxed{1}`. Unset, such an answer is quarantined naming both readings; `decimal_comma` says which one."""
    path = tmp_path / "de.csv"
    path.write_text(GERMAN, encoding="utf-8")
    opts = {"mapping": {"prompt": "Frage", "answer": "Antwort"}}
    rep = ingest_paths(store, [path], **opts, decimal_comma=decimal_comma)  # type: ignore[arg-type]
    assert rep.metadata["quarantined"] == quarantined
    assert store.read("tasks").sort("source_row")["answer"].to_list() == answers
    if quarantined:
        details = store.read("quarantine")["detail"].to_list()
        assert all("decimal_comma" in d and "';'" in d for d in details), details
        assert any("'2,5'" in d and "2.5" in d for d in details)


def test_a_comma_csvs_answers_are_read_as_written(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text('question,answer\nWhat are the roots?,"2,5"\nWhat is 999+1?,"1,000"\n', encoding="utf-8")
    ingest_paths(store, [path])
    assert store.read("tasks").sort("source_row")["answer"].to_list() == ["2,5", "1,000"]


def test_a_comma_separated_csv_with_semicolons_in_its_fields_stays_comma_separated(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "q.csv"
    path.write_text('question,answer\n"Solve: x;y = 1;2, sum?",3\n', encoding="utf-8")
    rep = ingest_paths(store, [path])
    assert rep.metadata["ingested"] == 1 and store.read("tasks")["prompt"].to_list() == ["Solve: x;y = 1;2, sum?"]


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("question,answer,answer", "'answer'"),
        # two names alike once their surrounding spaces are stripped (as CSV header names are read)
        ("question,answer,answer ", "'answer'"),
        ("question;question;answer;answer", "'question', 'answer'"),
    ],
)
def test_a_csv_header_naming_a_column_twice_is_refused(store: Store, tmp_path: Path, header: str, named: str) -> None:
    """`question,answer,answer` read each row as a dict: the last `answer` column won, silently (`What is 1+1?,3,2`
    became the task 1+1 = 2, or = 3 with the columns the other way round)."""
    sep = ";" if ";" in header else ","
    path = tmp_path / "q.csv"
    path.write_text(f"{header}\n" + sep.join(["What is 1+1?"] * (header.count(sep) - 1) + ["3", "2"]) + "\n")
    with pytest.raises(IngestError, match=rf"q\.csv: the CSV header names the column\(s\) {named} more than once"):
        ingest_paths(store, [path])
    assert store.count("tasks") == 0


def test_blank_csv_header_names_may_repeat(store: Store, tmp_path: Path) -> None:
    """A spreadsheet saved with empty trailing columns (`question,answer,,`) is read as before."""
    path = tmp_path / "q.csv"
    path.write_text("question,answer,,\nWhat is 1+1?,2,,\n")
    assert ingest_paths(store, [path]).metadata["ingested"] == 1
    assert store.read("tasks")["answer"].to_list() == ["2"]


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_excels_sep_line_sets_the_delimiter(store: Store, tmp_path: Path, bom: str) -> None:
    """Excel writes (and reads) a first line `sep=;` naming the delimiter: it was read as the header, and every row
    was quarantined missing_field:prompt."""
    path = tmp_path / "q.csv"
    path.write_text(f'{bom}sep=;\r\nquestion;answer\r\nWhat is 1+1, i.e. two?;2\r\n"broken;3\r\n', encoding="utf-8")
    rep = ingest_paths(store, [path])
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    assert store.read("tasks").select("prompt", "answer").rows() == [("What is 1+1, i.e. two?", "2")]
    assert "line 4:" in _quarantine(store)[1][1]  # line numbers are still the file's


def test_csv_header_names_are_read_without_surrounding_spaces(store: Store, tmp_path: Path) -> None:
    """`Question ;Answer ` (spaces a spreadsheet kept): `--map prompt=Question` named no column, and the error's
    suggestion `'Question '` could not be passed (the CLI strips --map values)."""
    path = tmp_path / "q.csv"
    path.write_text("\ufeffQuestion ;Answer \nWhat is 2+3?;5\n", encoding="utf-8")
    rep = ingest_paths(store, [path], mapping={"prompt": "Question", "answer": "Answer"})
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    assert store.read("tasks").select("prompt", "answer").rows() == [("What is 2+3?", "5")]
    with pytest.raises(IngestError, match=r"did you mean 'Question'\?"):
        ingest_paths(store, [path], mapping={"prompt": "Qestion"}, reread=True)


def test_a_json_key_with_spaces_is_suggested_for_the_config_file(store: Store, tmp_path: Path) -> None:
    """A JSON key `"Question "`: `--map prompt=Question` named no column, and the error suggested `'Question '`, which
    the CLI cannot pass (it strips --map values); it now says to map it in the config file."""
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"Question ": "What is 2+3?", "answer": "5"}) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"did you mean 'Question '\? \(its name has surrounding spaces: map it in "):
        ingest_paths(store, [path], mapping={"prompt": "Question"})
    rep = ingest_paths(store, [path], mapping={"prompt": "Question "}, reread=True)
    assert rep.metadata["ingested"] == 1


def test_a_json_object_of_several_row_arrays_is_refused_naming_them(store: Store, tmp_path: Path) -> None:
    """`{"train": [...], "test": [...]}` was read as one row, quarantined missing_field:prompt, exit 0."""
    rows = [{"question": f"What is {i}+1?", "answer": str(i + 1)} for i in range(5)]
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"train": rows, "test": rows[:3]}))
    with pytest.raises(IngestError, match=r"q\.json: .*arrays of rows: 'train' \(5\), 'test' \(3\)"):
        ingest_paths(store, [path])
    assert store.count("tasks") == store.count("quarantine") == 0


def test_a_json_object_that_is_one_row_with_list_fields_is_still_one_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    row = {"messages": [{"role": "user", "content": "What is 2+2?"}], "tools": [{"type": "function"}], "answer": "4"}
    path.write_text(json.dumps(row))
    assert ingest_paths(store, [path]).metadata["read"] == 1


def test_data_files_of_types_ingest_does_not_read_are_named(store: Store, write_jsonl, tmp_path: Path) -> None:
    """A folder or glob left out `.json.gz`, `.csv.gz`, `.jsonl.bz2`, `.jsonl.zst` and `.arrow` files silently:
    `read 0`, exit 0, and the user never learnt their rows were not read."""
    import gzip

    write_jsonl("d/good.jsonl", [{"question": "What is 1+1?", "answer": "2"}])
    (tmp_path / "d" / "more.json.gz").write_bytes(gzip.compress(b'[{"question": "What is 2+2?", "answer": "4"}]'))
    for name in ("x.csv.gz", "y.jsonl.bz2", "z.jsonl.zst", "data-00000.arrow"):
        (tmp_path / "d" / name).write_bytes(b"\0")
    (tmp_path / "d" / "README.md").write_text("notes")  # not a data file: not named
    for paths in ([tmp_path / "d"], [str(tmp_path / "d" / "*")]):
        rep = ingest_paths(store, paths)
        unread = sorted(Path(p).name for p in rep.metadata["unread_files"])
        assert unread == ["data-00000.arrow", "more.json.gz", "x.csv.gz", "y.jsonl.bz2", "z.jsonl.zst"]
        assert sum("more.json.gz: not read" in line for line in rep.summary) == 1
