"""Multiple-choice rows that keep one column per option (Social IQa's `answerA..C`, CosmosQA's `answer0..3`,
MedMCQA's `opa..opd`, SWAG's `ending0..3`, PIQA's `sol1`/`sol2`, Winogrande's `option1`/`option2`, an MMLU CSV's
`A..D`) and HellaSwag's `endings` list. Before, those columns went to metadata and the row's `label` became a math
answer: "How would Others feel as a result?" was asked without its options and the math verifier rewarded a
response that said "1". A class label with no options is quarantined too."""

from __future__ import annotations

import json

import polars as pl
import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.errors import IngestError
from pipeline.ingest.normalize import option_columns

SIQA = [
    {
        "context": "Cameron decided to have a barbecue and gathered her friends together.",
        "question": "How would Others feel as a result?",
        "answerA": "like attending",
        "answerB": "like staying home",
        "answerC": "a good friend to have",
        "label": "1",
    },
    {
        "context": "Jan needed to give out jobs for an upcoming project at work.",
        "question": "What will Others want to do next?",
        "answerA": "disagree with Jan",
        "answerB": "get to work",
        "answerC": "argue with the assignments",
        "label": "2",
    },
    {
        "context": "Remy was an expert fisherman and was on the water with Kai.",
        "question": "What does Remy need to do before this?",
        "answerA": "go to the lake",
        "answerB": "catch some fish",
        "answerC": "show Kai how to fish",
        "label": "3",
    },
]


def _tasks(store) -> list[dict]:
    return sorted(store.read("tasks").iter_rows(named=True), key=lambda t: t["prompt"])


def _quarantine(store) -> list[tuple[str, str]]:
    return store.read("quarantine").select("reason", "detail").rows()


@pytest.mark.parametrize(
    ("keys", "want"),
    [
        (["question", "answerA", "answerB", "answerC", "label"], ["answerA", "answerB", "answerC"]),
        (["answer3", "answer1", "answer0", "answer2", "label"], ["answer0", "answer1", "answer2", "answer3"]),
        (["question", "opa", "opb", "opc", "opd", "cop"], ["opa", "opb", "opc", "opd"]),
        (["sent1", "ending0", "ending1", "ending2", "ending3"], ["ending0", "ending1", "ending2", "ending3"]),
        (["goal", "sol1", "sol2", "label"], ["sol1", "sol2"]),
        (["sentence", "option1", "option2", "answer"], ["option1", "option2"]),
        (["question", "A", "B", "C", "D", "answer"], ["A", "B", "C", "D"]),
        (["question", "Option A", "Option B", "answer"], ["Option A", "Option B"]),
        (["question", "choice_1", "choice_2", "choice_3"], ["choice_1", "choice_2", "choice_3"]),
        # not a series: one column, a gap, a prefix that names no options, two series at once
        (["question", "answerA", "label"], None),
        (["question", "answer1", "answer3"], None),
        (["question", "step1", "step2", "answer"], None),
        (["question", "A", "B", "opa", "opb", "answer"], None),
        (["problem", "answer", "id", "idx"], None),
    ],
)
def test_option_columns(keys: list[str], want: list[str] | None) -> None:
    assert option_columns(keys) == want


def test_social_iqa_options_are_the_choices_not_metadata(store, write_jsonl) -> None:
    path = write_jsonl("siqa.jsonl", SIQA)
    # its labels are 1-based: read 0-based they would name the next option, so the file stops the ingest
    with pytest.raises(IngestError, match=r"siqa\.jsonl.*1-based"):
        ingest_paths(store, [path])
    rep = ingest_paths(store, [path], answer_index_base=1)
    assert rep.metadata["ingested"] == 3, _quarantine(store)
    first = next(t for t in _tasks(store) if t["prompt"].startswith("How would Others"))
    assert first["verifier"] == "mcq" and first["answer"] == "A"
    assert first["prompt"] == (
        "How would Others feel as a result?\n\nCameron decided to have a barbecue and gathered her friends together."
        "\n\nA. like attending\nB. like staying home\nC. a good friend to have"
    )
    assert json.loads(first["verifier_args"])["choices"] == {
        "A": "like attending",
        "B": "like staying home",
        "C": "a good friend to have",
    }
    assert not {"answerA", "answerB", "answerC"} & json.loads(first["metadata"] or "{}").keys()


def test_cosmosqa_medmcqa_and_mmlu_csv_layouts(store, write_jsonl, tmp_path) -> None:
    cosmos = {
        "context": "I saw both of these bands Wednesday night, and they both blew me away.",
        "question": "In the future, will this person go to see other bands play?",
        "answer0": "None of the above choices.",
        "answer1": "This person likes music and will see other bands play.",
        "answer2": "This person only likes these two bands.",
        "answer3": "Other bands are not on tour.",
        "label": 1,
    }
    med = {
        "question": "Which vitamin is supplied from only animal source",
        "opa": "Vitamin C",
        "opb": "Vitamin B7",
        "opc": "Vitamin B12",
        "opd": "Vitamin D",
        "cop": 2,
    }
    csv = tmp_path / "mmlu.csv"
    csv.write_text("question,A,B,C,D,answer\nWhat is the capital of France?,Berlin,Paris,Rome,Madrid,B\n")
    ingest_paths(store, [write_jsonl("cosmos.jsonl", [cosmos]), csv])
    ingest_paths(store, [write_jsonl("med.jsonl", [med])], source="med", mapping={"answer": "cop"})
    got = {t["prompt"].split("\n")[0]: (t["verifier"], t["answer"]) for t in _tasks(store)}
    assert got == {
        cosmos["question"]: ("mcq", "B"),
        med["question"]: ("mcq", "C"),
        "What is the capital of France?": ("mcq", "B"),
    }, _quarantine(store)
    assert all("\nA. " in t["prompt"] for t in _tasks(store))


def test_hellaswag_endings_are_the_choices(store, write_jsonl) -> None:
    row = {
        "ctx": "A man is sitting on a roof. He",
        "endings": [
            "is using wrap to wrap a pair of skis.",
            "is ripping level tiles off.",
            "is holding a rubik's cube.",
            "starts pulling up roofing on a roof.",
        ],
        "label": "3",
    }
    ingest_paths(store, [write_jsonl("hs.jsonl", [row])], mapping={"prompt": "ctx"})
    (task,) = _tasks(store)
    assert (task["verifier"], task["answer"]) == ("mcq", "D"), _quarantine(store)
    assert task["prompt"].endswith("D. starts pulling up roofing on a roof.")


def test_a_class_label_without_options_is_quarantined(store, write_jsonl) -> None:
    """MNLI's `label` (0/1/2) or an `answerKey` with no options: a math task whose reference is "1" teaches nothing
    and the model is never told what 1 means."""
    rows = [
        {"question": "Does the premise entail the hypothesis? The cat sat. / A cat sat.", "label": 0},
        {"question": "Which gas do plants absorb?", "answerKey": "B"},
        {"question": "Is the review positive? 'Great film.'", "Label": 1},  # in another case
    ]
    plain = [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(30)]
    rep = ingest_paths(store, [write_jsonl("mixed.jsonl", plain + rows)])
    assert rep.metadata["ingested"] == 30
    got = _quarantine(store)
    assert [r for r, _ in got] == ["missing_field:choices"] * 3
    assert all("--map answer=" in d for _, d in got), got
    # named on purpose, a `label` column is an answer like any other
    rep = ingest_paths(store, [write_jsonl("lab.jsonl", [rows[0]])], source="nli", mapping={"answer": "label"})
    assert rep.metadata["ingested"] == 1


def test_columns_that_look_like_options_are_named_when_the_answer_names_none(store, write_jsonl) -> None:
    row = {"problem": "Find x if 2x = 84.", "sol1": "Divide by 2: x = 42.", "sol2": "x = 84/2 = 42.", "answer": "42"}
    ingest_paths(store, [write_jsonl("sols.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "sol1, sol2" in detail and "--default verifier=math" in detail
    # a verifier given: the columns are not read as options
    rep = ingest_paths(store, [write_jsonl("sols2.jsonl", [row])], source="s2", defaults={"verifier": "math"})
    assert rep.metadata["ingested"] == 1


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # MathQA's `options`: one text, each option after its own letter
        (
            "a ) rs . 400 , b ) rs . 300 , c ) rs . 500 , d ) rs . 350 , e ) none of these",
            ["rs . 400", "rs . 300", "rs . 500", "rs . 350", "none of these"],
        ),
        ("A) 5 B) 6 C) 7", ["5", "6", "7"]),
        ("(A) Venus (B) Mars", ["Venus", "Mars"]),
        ("A. Lincoln\nB. Washington", ["Lincoln", "Washington"]),
        # no options there: text before the first letter, one option, letters out of order or mixed in case
        ("Pick one: a ) 5 , b ) 6", None),
        ("a ) 5", None),
        ("a ) 5 , c ) 6", None),
        ("a ) 5 , B ) 6", None),
        ("Venus, Mars", None),
    ],
)
def test_options_in_one_text(text: str, want: list[str] | None) -> None:
    from pipeline.ingest.choices import options_in_text

    assert options_in_text(text) == want


def test_mathqas_options_text_is_the_choices(store, write_jsonl) -> None:
    """MathQA keeps its options in one text (`a ) rs . 400 , b ) ...`): every row was quarantined
    `wrong_type:choices`."""
    row = {
        "Problem": "the banker ' s gain of a certain sum due 3 years hence at 10 % per annum is rs . 36 . what is the "
        "present worth ?",
        "options": "a ) rs . 400 , b ) rs . 300 , c ) rs . 500 , d ) rs . 350 , e ) none of these",
        "correct": "a",
    }
    ingest_paths(store, [write_jsonl("mathqa.jsonl", [row])], mapping={"prompt": "Problem", "answer": "correct"})
    (task,) = _tasks(store)
    assert (task["verifier"], task["answer"]) == ("mcq", "A"), _quarantine(store)
    assert task["prompt"].endswith("\n\nA. rs . 400\nB. rs . 300\nC. rs . 500\nD. rs . 350\nE. none of these")


@pytest.mark.parametrize(
    ("options", "answer", "want", "letter"),
    [
        ("1) 5 2) 7 3) 9", 2, ["5", "7", "9"], "B"),
        ("1) 5 2) 7 3) 9", "2", ["5", "7", "9"], "B"),
        ("(1) Venus (2) Mars (3) Jupiter", "Mars", ["Venus", "Mars", "Jupiter"], "B"),
        ("1. 1.5 2. 2.5 3. 3.5", 3, ["1.5", "2.5", "3.5"], "C"),
        ("1. Paris\n2. Rome", 1, ["Paris", "Rome"], "A"),
    ],
)
def test_options_numbered_in_one_text_are_the_choices(store, write_jsonl, options, answer, want, letter) -> None:
    """One options text that numbers its options (`1) 5 2) 7 3) 9`) was quarantined `wrong_type:choices`: it is read
    as the lettered one is, and the numbers are the options' labels (answer 2 names option 2, B)."""
    row = {"question": "Which one is right?", "options": options, "answer": answer}
    ingest_paths(store, [write_jsonl("q.jsonl", [row])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", letter), _quarantine(store)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == want


@pytest.mark.parametrize(
    "options",
    [
        "1) see 2) below 2) x",  # a number twice: which mark opens option 2 is unknown
        "2) 5 3) 7",  # not from 1
        "1) 5",  # one option
        "1) 5 3) 7",  # a gap
        "Pick: 1) 5 2) 7",  # text before the first number
    ],
)
def test_a_numbered_options_text_read_no_way_safely_is_still_refused(store, write_jsonl, options) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": "Which?", "options": options, "answer": 1}])])
    ((reason, _),) = _quarantine(store)
    assert reason == "wrong_type:choices"


# GPQA's CSV: the right option in `Correct Answer`, the others in `Incorrect Answer 1..3`, beside the same columns
# before revision (`Pre-Revision ...`), which are not the question's options
GPQA_KEYS = [
    "Pre-Revision Question",
    "Pre-Revision Correct Answer",
    "Pre-Revision Incorrect Answer 1",
    "Pre-Revision Incorrect Answer 2",
    "Pre-Revision Incorrect Answer 3",
    "Pre-Revision Explanation",
    "Question",
    "Correct Answer",
    "Incorrect Answer 1",
    "Incorrect Answer 2",
    "Incorrect Answer 3",
    "Explanation",
    "Subdomain",
    "Record ID",
    "High-level domain",
]


@pytest.mark.parametrize(
    ("keys", "want"),
    [
        (GPQA_KEYS, ["Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"]),
        (
            ["question", "incorrect_answer_2", "correct_answer", "incorrect_answer_1"],
            ["correct_answer", "incorrect_answer_1", "incorrect_answer_2"],
        ),
        # no wrong option, a gap, no right option: no such layout
        (["Question", "Correct Answer", "Explanation"], None),
        (["Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 3"], None),
        (["Question", "Incorrect Answer 1", "Incorrect Answer 2"], None),
        (["Pre-Revision Correct Answer", "Pre-Revision Incorrect Answer 1"], None),
        # SciQ: `correct_answer` and `distractor1..3`
        (
            ["question", "distractor3", "distractor1", "distractor2", "correct_answer", "support"],
            ["correct_answer", "distractor1", "distractor2", "distractor3"],
        ),
        (["question", "correct_answer", "distractor1", "incorrect_answer_1"], None),  # which is option 2?
    ],
)
def test_correct_and_incorrect_answer_columns(keys: list[str], want: list[str] | None) -> None:
    from pipeline.ingest.normalize import correct_incorrect_columns

    assert correct_incorrect_columns(keys) == want


def _gpqa_rows(n: int, lower: bool = False) -> list[dict]:
    rows = []
    for i in range(n):
        row = {k: f"old {k} {i}" for k in GPQA_KEYS if k.startswith("Pre-Revision")}
        row |= {
            "Question": f"A beam of particles number {i} crosses a magnetic field. Which particle is undeflected?",
            "Correct Answer": f"neutron {i}",
            "Incorrect Answer 1": f"proton {i}",
            "Incorrect Answer 2": f"electron {i}",
            "Incorrect Answer 3": f"positron {i}",
            "Explanation": "Only the neutral particle feels no Lorentz force.",
            "Subdomain": "Electromagnetism",
            "Record ID": f"rec{i:03d}",
            "High-level domain": "Physics",
        }
        if lower:  # the same file written in snake case (the bulk path's columns)
            row = {k.lower().replace(" ", "_").replace("-", "_"): v for k, v in row.items()}
        rows.append(row)
    return rows


@pytest.mark.parametrize("lower", [False, True])
def test_gpqa_layout_is_read_with_its_options_shuffled(store, write_jsonl, lower: bool) -> None:
    """Before, GPQA's file was quarantined whole (`missing_field:answer`) unless the user mapped four columns and
    set shuffle_choices. Its right option always comes first, so its order means nothing: the options are shuffled
    (deterministically) and the answer is the right option's new letter."""
    rows = _gpqa_rows(40, lower)
    rep = ingest_paths(store, [write_jsonl("gpqa.jsonl", rows)])
    assert rep.metadata["ingested"] == 40, _quarantine(store)
    tasks = _tasks(store)
    letters = []
    for t in tasks:
        i = int(t["prompt"].split("number ")[1].split(" ")[0])
        choices = json.loads(t["verifier_args"])["choices"]
        assert sorted(choices.values()) == sorted(f"{p} {i}" for p in ("neutron", "proton", "electron", "positron"))
        assert choices[t["answer"]] == f"neutron {i}"
        assert f"\n{t['answer']}. neutron {i}" in t["prompt"]
        assert (t["verifier"], t["domain"]) == ("mcq", "science_mcq")
        meta = json.loads(t["metadata"])
        assert not any(k.lower().startswith(("incorrect", "correct")) for k in meta), meta  # the options
        assert any(k.lower().startswith("pre") for k in meta)  # the columns before revision stay as they were
        assert meta["Explanation" if not lower else "explanation"].startswith("Only the neutral")
        letters.append(t["answer"])
    assert len(set(letters)) == 4 and max(letters.count(x) for x in set(letters)) < 20, letters


def test_gpqa_layout_keeps_its_order_when_asked(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("gpqa.jsonl", _gpqa_rows(3))], shuffle_choices=False)
    assert rep.metadata["ingested"] == 3
    assert {t["answer"] for t in _tasks(store)} == {"A"}


def test_sciq_layout_is_read_with_its_options_shuffled(store, write_jsonl) -> None:
    """SciQ (`correct_answer`, `distractor1..3`, `support`): every row was quarantined `missing_field:answer`."""
    rows = [
        {
            "question": f"What type of organism number {i} is used to make cheese and yogurt?",
            "distractor3": f"viruses {i}",
            "distractor1": f"protozoa {i}",
            "distractor2": f"gymnosperms {i}",
            "correct_answer": f"mesophilic organisms {i}",
            "support": "Mesophiles grow best in moderate temperature, typically between 25 and 40 degrees.",
        }
        for i in range(30)
    ]
    rep = ingest_paths(store, [write_jsonl("sciq.jsonl", rows)])
    assert rep.metadata["ingested"] == 30, _quarantine(store)
    letters = []
    for t in _tasks(store):
        i = int(t["prompt"].split("number ")[1].split(" ")[0])
        choices = json.loads(t["verifier_args"])["choices"]
        assert choices[t["answer"]] == f"mesophilic organisms {i}" and len(choices) == 4
        assert (t["verifier"], t["domain"]) == ("mcq", "science_mcq")
        assert json.loads(t["metadata"]) == {"support": rows[0]["support"]}
        letters.append(t["answer"])
    assert len(set(letters)) == 4 and max(letters.count(x) for x in set(letters)) < 15, letters


def test_medmcqa_and_logiqa_answer_columns(store, write_jsonl) -> None:
    """MedMCQA's `cop` and LogiQA's `correct_option` (0-based option indexes) were no answer column: every row was
    quarantined `missing_field:answer`."""
    med = {
        "id": "e9ad821a",
        "question": "Chronic urethral obstruction due to benign prostatic hyperplasia can lead to which change?",
        "opa": "Hyperplasia",
        "opb": "Hypertrophy",
        "opc": "Atrophy",
        "opd": "Dysplasia",
        "cop": 2,
        "choice_type": "single",
        "subject_name": "Anatomy",
    }
    logiqa = {
        "context": "Some Cantonese don't like chili, so some southerners don't like chili.",
        "query": "Which of the following can guarantee the above argument?",
        "options": [
            "Some Cantonese love chili.",
            "Some who like chili are southerners.",
            "All Cantonese are southerners.",
        ],
        "correct_option": 2,
    }
    rep = ingest_paths(store, [write_jsonl("med.jsonl", [med]), write_jsonl("logiqa.jsonl", [logiqa])])
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    got = {t["prompt"].split("\n")[0]: (t["verifier"], t["answer"]) for t in _tasks(store)}
    assert got[med["question"]] == ("mcq", "C")
    assert got[logiqa["query"]] == ("mcq", "C")


def test_an_option_index_column_without_options_is_no_math_answer(store, write_jsonl) -> None:
    """`cop` without options would be a bare index: no verifier could use it (as `label` / `answerKey`)."""
    ingest_paths(store, [write_jsonl("x.jsonl", [{"question": "What is 1 + 1?", "cop": 2}])])
    ((reason, _),) = _quarantine(store)
    assert reason == "missing_field:choices"


def _pubmedqa_row(i: int, decision: str) -> dict:
    return {
        "pubid": 21645374 + i,
        "question": f"Do mitochondria play a role in remodelling lace plant leaves (study {i})?",
        "context": {
            "contexts": ["Programmed cell death is the regulated death of cells.", "The stages were observed."],
            "labels": ["BACKGROUND", "RESULTS"],
            "meshes": ["Apoptosis"],
        },
        "long_answer": "Results depicted mitochondrial dynamics in vivo as PCD progresses.",
        "final_decision": decision,
    }


@pytest.mark.parametrize("mapped", [False, True])
def test_pubmedqa_decision_is_a_yes_no_maybe_question(store, write_jsonl, mapped: bool) -> None:
    """PubMedQA's `final_decision` (yes / no / maybe) was no answer column (every row quarantined
    `missing_field:answer`), and mapped as the answer (`--map answer=final_decision`) it made a `math` task whose
    prompt never said that "maybe" is an answer. It is a three-way question: options yes, no, maybe, in that order."""
    rows = [_pubmedqa_row(0, "yes"), _pubmedqa_row(1, "no"), _pubmedqa_row(2, "Maybe")]
    rep = ingest_paths(
        store, [write_jsonl("pubmedqa.jsonl", rows)], mapping={"answer": "final_decision"} if mapped else None
    )
    assert rep.metadata["ingested"] == 3, _quarantine(store)
    got = {}
    for t in _tasks(store):
        assert (t["verifier"], t["domain"]) == ("mcq", "science_mcq")
        assert json.loads(t["verifier_args"])["choices"] == {"A": "yes", "B": "no", "C": "maybe"}
        assert "The stages were observed." in t["prompt"]
        meta = json.loads(t["metadata"])
        assert "final_decision" not in meta and meta["long_answer"].startswith("Results")
        got[t["prompt"].split("(study ")[1][0]] = t["answer"]
    assert got == {"0": "A", "1": "B", "2": "C"}


def test_pubmedqa_decision_outside_yes_no_maybe_is_quarantined(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("pubmedqa.jsonl", [_pubmedqa_row(0, "probably")])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "'probably'" in detail and "yes, no or maybe" in detail


def _truthfulqa_row(i: int, labels: list[int] | None = None) -> dict:
    return {
        "question": f"What happens if you eat watermelon seeds (case {i})?",
        "mc1_targets": {
            "choices": [f"The seeds pass through you {i}", f"You grow watermelons {i}", f"You get sick {i}"],
            "labels": labels or [1, 0, 0],
        },
        "mc2_targets": {"choices": [f"Nothing happens {i}", f"You grow watermelons {i}"], "labels": [1, 0]},
    }


def test_truthfulqa_mc1_targets_are_the_options_shuffled(store, write_jsonl) -> None:
    """TruthfulQA's multiple-choice layout (`mc1_targets`: options and 0/1 labels, the right one first): every row
    was quarantined `missing_field:answer`. The options are read and shuffled like GPQA's; mc2_targets (several
    right options) stays in metadata."""
    rows = [_truthfulqa_row(i) for i in range(30)]
    rep = ingest_paths(store, [write_jsonl("truthfulqa.jsonl", rows)])
    assert rep.metadata["ingested"] == 30, _quarantine(store)
    letters = []
    for t in _tasks(store):
        i = int(t["prompt"].split("(case ")[1].split(")")[0])
        choices = json.loads(t["verifier_args"])["choices"]
        assert choices[t["answer"]] == f"The seeds pass through you {i}" and len(choices) == 3
        assert (t["verifier"], t["domain"]) == ("mcq", "science_mcq")
        assert set(json.loads(t["metadata"])) == {"mc2_targets"}
        letters.append(t["answer"])
    assert len(set(letters)) == 3 and max(letters.count(x) for x in set(letters)) < 20, letters


@pytest.mark.parametrize(
    ("labels", "why"),
    [([0, 0, 0], "no option"), ([1, 1, 0], "2 options"), ([1, 0], "3 options and 2 labels")],
)
def test_truthfulqa_targets_without_one_right_option_are_quarantined(store, write_jsonl, labels, why) -> None:
    ingest_paths(store, [write_jsonl("truthfulqa.jsonl", [_truthfulqa_row(0, labels)])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:choices" and "mc1_targets" in detail and why in detail, detail


@pytest.mark.parametrize(
    ("prompt", "answer", "options", "letter"),
    [
        # BIG-Bench Hard: the options close the prompt, one per line; the target is a letter in parentheses
        (
            "Which sentence has the correct adjective order:\nOptions:\n"
            "(A) rubber terrible ship\n(B) terrible rubber ship",
            "(B)",
            ["rubber terrible ship", "terrible rubber ship"],
            "B",
        ),
        # AQuA-RAT as one text: the options inline after the question, the answer a bare letter
        (
            "A train runs 120 km in 3 hours. What is its speed? Answer Choices: (A) 30 (B) 40 (C) 50",
            "B",
            ["30", "40", "50"],
            "B",
        ),
        # an instruction after the options: the last option ends at its line
        ("Pick the prime.\nA. 4\nB. 6\nC. 7\nAnswer with the letter.", "C", ["4", "6", "7"], "C"),
        ("Pick the prime.\na) 4\nb) 7", "b", ["4", "7"], "B"),
    ],
)
def test_options_listed_in_the_prompt_make_a_letter_answer_an_mcq(
    store, write_jsonl, prompt, answer, options, letter
) -> None:
    """A letter answer whose options the prompt lists was a `math` task (domain math, asked for a boxed value):
    it is an MCQ with those options, and the prompt stays as written (no second options block)."""
    rep = ingest_paths(store, [write_jsonl("bbh.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"], t["prompt"]) == ("mcq", "science_mcq", letter, prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == options


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which vertex of the triangle ABC is opposite the longest side?", "B"),  # no options listed
        ("Pick one:\n(A) red\n(B) blue", "(C)"),  # a letter the options do not have
        ("Which point is nearer the origin? Point A: (3, 4) is 5 away.", "A"),  # one mark, no series
    ],
)
def test_a_letter_answer_without_listed_options_stays_as_it_was(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("x.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", answer)


MULTI_SELECT = [
    "Below are several boolean expressions:\nA. (13 + -11) <= 8\nB. not True\nC. 3 > 1\n\nWhich options are true? "
    "List all option labels that are true, separated by commas. Please put your final answer inside \\boxed{}.",
    "Which of these are prime? Select all that apply.\nA. 4\nB. 7\nC. 9",
    "Which statements hold? (one or more may be correct)\n(A) 2 is even\n(B) 3 is even\n(C) 5 is even",
]


@pytest.mark.parametrize("prompt", MULTI_SELECT)
def test_a_prompt_asking_for_every_true_option_is_a_multi_select_mcq(store, write_jsonl, prompt) -> None:
    """SynLogic-style rows ask for every true option ("separated by commas", "select all that apply"): a row whose
    answer is one letter became an MCQ asked to "Answer with the letter of the correct choice", an instruction that
    told the model one option holds, in those rows only; rows listing several letters (`A, B`) were `math` tasks
    comparing symbols. Both are multi-select MCQs over the listed options: the letters, as a set."""
    other = prompt.replace("Which", "Tell me which", 1)
    rows = [{"question": prompt, "answer": "B"}, {"question": other, "answer": "A, B"}]
    rep = ingest_paths(store, [write_jsonl("synlogic.jsonl", rows)])
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    got = sorted((t["verifier"], t["answer"], json.loads(t["verifier_args"]).get("multiple")) for t in _tasks(store))
    assert got == [("mcq", "A,B", True), ("mcq", "B", True)]


def test_several_letters_for_options_the_prompt_lists_are_a_multi_select_mcq(store, write_jsonl) -> None:
    """JEEBench's MCQ(multiple): the options inline in the question, the gold `BD`. It was a `math` task whose
    reference, `BD`, math-verify reads as the product B*D (`\\boxed{B, D}` failed); the prompt now also says that more
    than one option may be correct."""
    q = "Which of the following statements is(are) correct?\n(A) one\n(B) two\n(C) three\n(D) four"
    rows = [{"question": q, "gold": "BD"}, {"question": q.replace("one", "uno"), "gold": "(A) and (C)"}]
    rep = ingest_paths(store, [write_jsonl("jee.jsonl", rows)], mapping={"answer": "gold"})
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    tasks = sorted(_tasks(store), key=lambda t: t["answer"])
    assert [(t["verifier"], t["answer"]) for t in tasks] == [("mcq", "A,C"), ("mcq", "B,D")]
    assert all("More than one option may be correct" in t["prompt"] for t in tasks)
    assert list(json.loads(tasks[1]["verifier_args"])["choices"].values()) == ["one", "two", "three", "four"]


MULTI_CHOICES = ["4", "7", "9", "11"]


@pytest.mark.parametrize("answer", ["B, D", "B,D", "BD", "B and D", "(B) (D)", "d, b"])
def test_an_answer_naming_several_options_is_a_multi_select_mcq(store, write_jsonl, answer) -> None:
    """A multi-select MCQ (JEEBench's "MCQ(multiple)", gold `BD`) was quarantined `invalid_value:answer` ("neither a
    choice letter, index nor choice text") with no way to keep it. It is an MCQ whose answer is the set of letters
    (`B,D`, `verifier_args.multiple`), and its prompt says that more than one option may be right and how to give
    them (the letters in `\\boxed{}`), so the request asks for all of them."""
    row = {"question": "Which of these numbers are prime?", "choices": MULTI_CHOICES, "answer": answer}
    rep = ingest_paths(store, [write_jsonl("multi.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    args = json.loads(t["verifier_args"])
    assert (t["verifier"], t["answer"], args["multiple"]) == ("mcq", "B,D", True)
    assert "More than one option may be correct" in t["prompt"] and "\\boxed{}" in t["prompt"]
    assert t["prompt"].endswith("A. 4\nB. 7\nC. 9\nD. 11")


def test_a_one_letter_answer_of_a_select_all_question_is_a_multi_select_mcq(store, write_jsonl) -> None:
    """A row of a select-all set whose answer is one letter is the set of one: sent as a single-answer MCQ ("Answer
    with the letter of the correct choice"), its request told the model that one option holds."""
    row = {"question": "Which are prime? Select all that apply.", "choices": MULTI_CHOICES, "answer": "B"}
    ingest_paths(store, [write_jsonl("multi.jsonl", [row])])
    (t,) = _tasks(store)
    assert (t["answer"], json.loads(t["verifier_args"]).get("multiple")) == ("B", True)


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ("B, E", "neither"),  # a letter the options do not have
        ("B, B", "neither"),  # one letter twice
        ("bd", "neither"),  # lower case run: a word, not letters
    ],
)
def test_a_multi_letter_answer_with_a_letter_no_option_has_is_quarantined(store, write_jsonl, answer, why) -> None:
    row = {"question": "Which of these numbers are prime?", "choices": MULTI_CHOICES, "answer": answer}
    ingest_paths(store, [write_jsonl("multi.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and why in detail, detail


def test_an_option_whose_text_lists_letters_stays_one_answer(store, write_jsonl) -> None:
    row = {"question": "Which pair is adjacent?", "choices": ["A and C", "B and D", "A and B"], "answer": "A and B"}
    ingest_paths(store, [write_jsonl("multi.jsonl", [row])])
    (t,) = _tasks(store)
    assert (t["answer"], json.loads(t["verifier_args"]).get("multiple")) == ("C", None)


def test_a_multi_select_mcq_is_shuffled_letter_by_letter(store, write_jsonl) -> None:
    row = {"question": "Which are prime?", "choices": MULTI_CHOICES, "answer": "B, D"}
    ingest_paths(store, [write_jsonl("multi.jsonl", [row])], shuffle_choices=True)
    (t,) = _tasks(store)
    choices = json.loads(t["verifier_args"])["choices"]
    assert sorted(choices[k] for k in t["answer"].split(",")) == ["11", "7"]


@pytest.mark.parametrize("answer", [["B", "D"], [1, 3], ["7", "11"]])
def test_a_list_answer_of_an_mcq_row_is_a_multi_select_mcq(store, write_jsonl, answer) -> None:
    """A list of letters, indexes or option texts on a row with options: a multi-select MCQ (it was quarantined
    `wrong_type:answer` with a hint about `answer_list: any`, which means each value alone passes)."""
    row = {"question": "Which of these numbers are prime?", "choices": MULTI_CHOICES, "answer": answer}
    rep = ingest_paths(store, [write_jsonl("multi.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["answer"], json.loads(t["verifier_args"])["multiple"]) == ("B,D", True)


LETTERED = ["O2", "CO2", "N2", "H2"]


@pytest.mark.parametrize("answer", ["(B) CO2", "B. CO2", "B) CO2", "B: CO2", "(b) co2", " B.  CO2. "])
def test_an_answer_giving_the_letter_and_its_options_text_names_that_option(store, write_jsonl, answer) -> None:
    """WebInstruct-style answers give the letter and the option's text (`(B) CO2`): with the options in a column they
    were quarantined "neither a choice letter, index nor choice text" with no way to keep them."""
    row = {"question": "Which gas do plants absorb?", "options": LETTERED, "answer": answer}
    rep = ingest_paths(store, [write_jsonl("web.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "B")


@pytest.mark.parametrize(
    "prompt",
    [
        "Which gas do plants absorb? (A) O2 (B) CO2 (C) N2 (D) H2",
        "Which gas do plants absorb?\nA. O2\nB. CO2\nC. N2\nD. H2",
        "Which gas do plants absorb? Options: A) O2 B) CO2 C) N2 D) H2",
    ],
)
@pytest.mark.parametrize("answer", ["(B) CO2", "B.  co2."])
def test_a_letter_and_text_answer_to_options_the_prompt_lists_is_an_mcq(store, write_jsonl, prompt, answer) -> None:
    """The same answer to options listed in the question was a `math` task whose reference was `(B) CO2`: asked for
    a boxed value, a response answering `\\boxed{B}` or `\\boxed{CO2}` failed, so the right traces were rejected."""
    rep = ingest_paths(store, [write_jsonl("web.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"], t["prompt"]) == ("mcq", "science_mcq", "B", prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == LETTERED


@pytest.mark.parametrize(
    ("prompt", "answer", "why"),
    [
        ("Which gas do plants absorb?", "(B) O2", "names option B ('CO2') but gives the text of option A"),
        ("Which gas do plants absorb?", "(B) carbon", "names option B ('CO2') but gives the text of no option"),
        ("Which gas do plants absorb? (A) O2 (B) CO2 (C) N2 (D) H2", "(B) N2", "gives the text of option C"),
    ],
)
def test_a_letter_whose_text_is_another_options_is_quarantined(store, write_jsonl, prompt, answer, why) -> None:
    """A letter and a text that disagree: which one the dataset meant is unknown, so the row is refused, naming both."""
    row = {"question": prompt, "answer": answer} | ({} if "(A)" in prompt else {"options": LETTERED})
    ingest_paths(store, [write_jsonl("web.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and why in detail, detail


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which gas do plants absorb? (A) O2 (B) CO2 (C) N2", "(B) carbon"),  # no option's text
        ("Answer both parts.\n(a) Find x if x + 1 = 4.\n(b) Find y if 2y = 10.", "(a) 3; (b) 5"),  # parts' answers
    ],
)
def test_a_letter_and_text_that_is_no_listed_options_leaves_the_row_as_it_was(store, write_jsonl, prompt, answer):
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", answer)


PHRASED = [
    "Option B",
    "option b",
    "Answer: B",
    "Answer: (B)",
    "The answer is B",
    "The answer is B.",
    "Ans: B",
    "The correct answer is B: CO2",
    "Correct option: (B) CO2",
    "The answer is option B.",
]


@pytest.mark.parametrize("answer", PHRASED)
@pytest.mark.parametrize("in_prompt", [False, True])
def test_an_answer_phrased_around_the_letter_names_that_option(store, write_jsonl, answer, in_prompt) -> None:
    """`Option B`, `Answer: B`, `The answer is B.` (maybe with the option's text): with the options in a column they
    were quarantined "neither a choice letter, index nor choice text", and with the options listed in the prompt the
    row was a `math` task whose reference was the whole phrase (`\\boxed{B}` failed)."""
    listed = "Which gas do plants absorb?\nA. O2\nB. CO2\nC. N2\nD. H2"
    row = {"question": listed, "answer": answer} if in_prompt else {"question": "Which gas?", "options": LETTERED}
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [row | {"answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "B")
    assert list(json.loads(t["verifier_args"])["choices"].values()) == LETTERED


@pytest.mark.parametrize("answer", ["Answer: B. N2", "The answer is (B) carbon", "Option E"])
def test_an_answer_phrased_around_a_letter_its_text_contradicts_is_quarantined(store, write_jsonl, answer) -> None:
    """The text after the letter must be that option's (`B. N2` where B is CO2 names two options), and the letter one
    the options have: such a row is refused, never read as the letter alone."""
    for i, row in enumerate(
        [
            {"question": "Which gas?", "options": LETTERED, "answer": answer},
            {"question": "Which gas do plants absorb?\nA. O2\nB. CO2\nC. N2\nD. H2", "answer": answer},
        ]
    ):
        ingest_paths(store, [write_jsonl(f"q{i}.jsonl", [row])])
    assert not [t for t in _tasks(store) if t["verifier"] == "mcq"]
    assert all(r == "invalid_value:answer" for r, _ in _quarantine(store)), _quarantine(store)


@pytest.mark.parametrize("answer", ["Option C is cheaper", "The answer is B"])
def test_an_option_whose_text_is_the_phrase_is_that_option(store, write_jsonl, answer) -> None:
    options = ["Option A is cheaper", "The answer is B", "Option C is cheaper"]
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": "Which?", "options": options, "answer": answer}])])
    (t,) = _tasks(store)
    assert t["answer"] == "ABC"[options.index(answer)]


@pytest.mark.parametrize(
    ("choices", "answer", "letter"),
    [
        (["True", "False"], True, "A"),
        (["True", "False"], False, "B"),
        (["FALSE", "TRUE"], True, "B"),
        (["yes", "no"], True, "A"),
        (["No", "Yes."], True, "B"),
    ],
)
def test_a_boolean_answer_names_the_option_that_reads_it(store, write_jsonl, choices, answer, letter) -> None:
    """A JSON boolean answer was turned into "yes" / "no" before it was matched with the options: `true` with the
    options True / False was quarantined "answer 'yes' is neither a choice letter, index nor choice text", and with
    Yes / No it was refused as two accepted answers."""
    row = {"question": "Is the statement above true?", "choices": choices, "answer": answer}
    rep = ingest_paths(store, [write_jsonl("tf.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", letter)
    assert "aliases" not in json.loads(t["verifier_args"])


@pytest.mark.parametrize(
    ("choices", "why"),
    [(["True, True", "False, False"], "no option reads True"), (["Yes", "True", "No"], "options A and B")],
)
def test_a_boolean_answer_no_single_option_reads_is_quarantined(store, write_jsonl, choices, why) -> None:
    row = {"question": "Which holds?", "choices": choices, "answer": True}
    ingest_paths(store, [write_jsonl("tf.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and why in detail, detail


def test_an_option_text_that_starts_like_a_letter_still_reads_as_its_text(store, write_jsonl) -> None:
    row = {
        "question": "Who signed it?",
        "options": ["G. Washington", "A. Lincoln", "T. Jefferson"],
        "answer": "A. Lincoln",
    }
    ingest_paths(store, [write_jsonl("x.jsonl", [row])])
    (t,) = _tasks(store)
    assert t["answer"] == "B"


@pytest.mark.parametrize(
    ("prompt", "answer", "letter"),
    [
        ("Which gas do plants absorb?\nA. O2\nB. CO2\nC. N2\nD. H2", "CO2", "B"),
        ("Which gas do plants absorb? (A) O2 (B) CO2 (C) N2 (D) H2", "co2", "B"),
        ("Which gas do plants absorb? (A) O2 (B) CO2 (C) N2 (D) H2", "CO2.", "B"),
        # the option's text, not an index: "2" is option B's text (index 2 would be C)
        ("Which number is even? Answer Choices: (A) 1 (B) 2 (C) 3", "2", "B"),
    ],
)
def test_an_option_text_answer_to_options_the_prompt_lists_is_an_mcq(store, write_jsonl, prompt, answer, letter):
    """An answer that is the text of one of the options the question lists was a `math` task whose reference was
    that text, asked for a boxed value: a response naming the option's letter failed."""
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"], t["prompt"]) == ("mcq", "science_mcq", letter, prompt)


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which gas do plants absorb?\nA. O2\nB. CO2\nC. N2", "carbon dioxide"),  # no option's text
        ("Solve for x: x + 1 = 3.", "2"),  # no options listed
        ("Pick one: A. 2 B. 2 C. 3", "2"),  # the text of two options
    ],
)
def test_an_answer_that_is_not_one_listed_options_text_stays_as_it_was(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", answer)


PLANETS = "Which planet is known as the Red Planet?\nA) Venus\nB) Mars\nC) Jupiter\nD) Saturn"


@pytest.mark.parametrize("answer", [2, "2", 0, 4])
def test_an_index_answer_to_options_the_prompt_lists_is_quarantined_without_a_base(store, write_jsonl, answer):
    """A number that is no listed option's text, answering options the prompt letters, is an index counted from 0 or
    from 1: 2 names C or B. It was a `math` task whose reference was the number, so `B` and `Mars` failed; it is
    refused, naming both readings and the setting, unless the source says how its indexes count."""
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": PLANETS, "answer": answer}])])
    assert not _tasks(store)
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "answer_index_base" in detail, detail


@pytest.mark.parametrize(("base", "answer", "letter"), [(0, 2, "C"), (1, 2, "B"), (1, "4", "D"), (0, 0, "A")])
def test_an_index_answer_to_options_the_prompt_lists_reads_from_the_sources_base(
    store, write_jsonl, base, answer, letter
) -> None:
    rep = ingest_paths(
        store, [write_jsonl("q.jsonl", [{"question": PLANETS, "answer": answer}])], answer_index_base=base
    )
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", letter, PLANETS)


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which number is even? (A) 1 (B) 2 (C) 3", 2),  # an option's value
        (PLANETS, 7),  # no index of the list
        ("Consider the planets:\nA) Venus\nB) Mars\nC) Earth\nHow many of them have moons?", 2),  # a question after
        ("How many of the following are gas giants?\nA) Venus\nB) Mars\nC) Jupiter\nD) Saturn", 2),  # counts them
    ],
)
def test_a_number_answer_that_is_no_index_of_listed_options_stays_as_it_was(store, write_jsonl, prompt, answer):
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", str(answer), prompt)


@pytest.mark.parametrize(
    ("prompt", "answer", "question", "options", "letter"),
    [
        ("What is 3+4?\n1. 5\n2. 7\n3. 9", 2, "What is 3+4?", ["5", "7", "9"], "B"),
        ("What is 3+4?\n1. 5\n2. 7\n3. 9", "2", "What is 3+4?", ["5", "7", "9"], "B"),
        # an options heading goes with the list; `(2)` names option 2
        (
            "Which planet is red?\nOptions:\n(1) Venus\n(2) Mars\n(3) Jupiter",
            "(2)",
            "Which planet is red?",
            ["Venus", "Mars", "Jupiter"],
            "B",
        ),
        # numbered from 0: the numbers are the labels
        ("Which number is prime?\n0) 4\n1) 6\n2) 7", 2, "Which number is prime?", ["4", "6", "7"], "C"),
        ("Choose the correct answer:\n1. Paris\n2. Rome", 1, "Choose the correct answer:", ["Paris", "Rome"], "A"),
        # the number is also its own option's text: both readings agree
        (
            "How many legs does a bird have?\n1. 1\n2. 2\n3. 4",
            2,
            "How many legs does a bird have?",
            ["1", "2", "4"],
            "B",
        ),
        # "how many ... of" that counts no listed item
        (
            "How many moles of O2 are needed?\n1. 1\n2. 3\n3. 4",
            2,
            "How many moles of O2 are needed?",
            ["1", "3", "4"],
            "B",
        ),
        # a count of the items that is also its option's own text: both readings agree
        ("How many of these are even?\n1. 1\n2. 2\n3. 4", 2, "How many of these are even?", ["1", "2", "4"], "B"),
        # options that give a value: the number names an option whose value is no other's
        (
            "What is the solution of 2x = 4?\n1. x = 2\n2. x = 4",
            1,
            "What is the solution of 2x = 4?",
            ["x = 2", "x = 4"],
            "A",
        ),
        (
            "What is the solution of 2x = 2?\n1. x = 1\n2. x = 2",
            1,
            "What is the solution of 2x = 2?",
            ["x = 1", "x = 2"],
            "A",
        ),
        # equations a question asks to choose from
        (
            "Which line passes through the origin?\n1. y = x + 1\n2. y = 2x",
            2,
            "Which line passes through the origin?",
            ["y = x + 1", "y = 2x"],
            "B",
        ),
    ],
)
def test_options_numbered_in_the_prompt_make_a_number_answer_an_mcq(
    store, write_jsonl, prompt, answer, question, options, letter
) -> None:
    """A prompt closing with a numbered list of options and an answer that is one of their numbers was a `math` task
    whose reference was the number: `\\boxed{7}` failed and a response saying "2" passed. It is an MCQ whose options
    are shown with their letters in place of the numbers (the verifier reads letters)."""
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"]) == ("mcq", "science_mcq", letter)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == options
    assert t["prompt"] == question + "\n\n" + "\n".join(f"{'ABC'[i]}. {o}" for i, o in enumerate(options))


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        # steps that are sentences: the question asks for a step's number
        (
            "Which step is wrong?\n1. Multiply both sides by 2.\n2. Subtract 3 from both sides.\n3. Divide both "
            "sides by 4.",
            2,
        ),
        ("Solve the system:\n1. x + y = 3\n2. x - y = 1", 2),  # conditions, no question before them
        ("Given:\n1. f(0) = 2\n2. f(1) = 3\nWhat is f(0)?", 2),  # the question follows the list
        ("What is 3+4?\n1. 5\n2. 7\n3. 9", 7),  # the answer is no option's number
        ("What is 3+4?\n1. 7", 1),  # one item
        ("Find y if:\n1. 2y > 3\n2. y < 3\n3. y is an integer", 2),  # conditions, no question before them
        ("What is 3+4?\n1. 5\n3. 7\n4. 9", 3),  # not consecutive
    ],
)
def test_a_numbered_list_that_is_no_options_stays_as_it_was(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", str(answer), prompt)


@pytest.mark.parametrize(
    ("prompt", "answer", "why"),
    [
        ("What is 1+1?\n1. 2\n2. 3\n3. 4", 2, "option 1's text"),  # option 2's number, option 1's text
        ("How many of the following are prime?\n1. 4\n2. 5\n3. 7\n4. 9", "2", "counts"),  # a count of the items
        # equations under a question that asks to choose none: 2 is x as well (it was option B, `x - y = 1`)
        ("What is x?\n1. x + y = 3\n2. x - y = 1", 2, "relations"),
        ("Solve 2x = 2.\nWhich is the solution?\n1. x = 2\n2. x = 1", 2, "option 1's text"),  # option 1's value
    ],
)
def test_a_number_answer_to_numbered_options_read_two_ways_is_quarantined(
    store, write_jsonl, prompt, answer, why
) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and why in detail and "verifier: mcq" in detail, detail
    assert "verifier: math" in detail, detail


def test_a_number_answer_to_numbered_options_under_verifier_mcq_names_the_option(store, write_jsonl) -> None:
    row = {"question": "What is 1+1?\n1. 2\n2. 3\n3. 4", "answer": 1}
    ingest_paths(store, [write_jsonl("q.jsonl", [row])], defaults={"verifier": "mcq"})
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", "A", "What is 1+1?\n\nA. 2\nB. 3\nC. 4")


def test_a_number_answer_to_numbered_options_under_verifier_math_stays_a_value(store, write_jsonl) -> None:
    row = {"question": "What is 1+1?\n1. 2\n2. 3\n3. 4", "answer": 2}
    ingest_paths(store, [write_jsonl("q.jsonl", [row])], defaults={"verifier": "math"})
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", "2")


CAPITAL = "Which city is the capital of France?\n1. Paris\n2. Lyon\n3. Nice\n4. Lille"
CAPITAL_LETTERED = "Which city is the capital of France?\n\nA. Paris\nB. Lyon\nC. Nice\nD. Lille"


@pytest.mark.parametrize(
    ("closing", "answer", "letter"),
    [
        ("\nChoose the correct option.", 1, "A"),
        ("\n\nThink step by step.", "2", "B"),
        ("\nSelect the best answer and explain your reasoning.", "(3)", "C"),
    ],
)
def test_numbered_options_followed_by_an_instruction_make_an_mcq(store, write_jsonl, closing, answer, letter) -> None:
    """Options numbered in the prompt and followed by an instruction line were a `math` task whose reference was the
    number: a response answering "Paris" to the capital of France failed, one answering "1" passed. It is an MCQ as
    the same list without the instruction is; the instruction stays after the options."""
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": CAPITAL + closing, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"]) == ("mcq", "science_mcq", letter)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == ["Paris", "Lyon", "Nice", "Lille"]
    assert t["prompt"] == CAPITAL_LETTERED + "\n\n" + closing.strip()


@pytest.mark.parametrize(
    "closing",
    [
        "Answer with the number of the correct option.",  # the prompt asks for the number: the number is the answer
        "Give the option's number in \\boxed{}.",
        "Which of them is the capital?",  # a question after the list: the list may be what it asks about
    ],
)
def test_numbered_options_followed_by_a_request_for_the_number_stay_as_they_were(store, write_jsonl, closing) -> None:
    prompt = CAPITAL + "\n" + closing
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": 1}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", "1", prompt)


@pytest.mark.parametrize(
    ("closing", "answer", "number"),
    [
        ("Explain your reasoning, then give the option's number.", "Paris", "1"),
        ("Answer with the number of the correct option.", "lyon.", "2"),
        ("Give the option's number in \\boxed{}.", "3. Nice", "3"),
        ("Answer with the number of the correct option.", "(4) Lille", "4"),
    ],
)
def test_an_option_text_answer_to_a_request_for_the_number_is_the_number(store, write_jsonl, closing, answer, number):
    """The prompt asks for the option's number and the answer is the option's text: the reference was the text, so a
    right `\\boxed{1}` failed. It is the option's number, as the prompt asks (a number answer stays so, above)."""
    prompt = CAPITAL + "\n" + closing
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", number, prompt)


@pytest.mark.parametrize("answer", ["Marseille", "2. Paris", "Paris and Lyon"])
def test_an_answer_to_a_request_for_the_number_that_is_no_one_options_text_stays(store, write_jsonl, answer) -> None:
    prompt = CAPITAL + "\nAnswer with the number of the correct option."
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", answer, prompt)


def test_numbered_options_followed_by_an_instruction_are_shuffled_before_it(store, write_jsonl) -> None:
    rows = [{"question": CAPITAL + "\nChoose the correct option.", "answer": 1}]
    ingest_paths(store, [write_jsonl("q.jsonl", rows)], shuffle_choices=True)
    (t,) = _tasks(store)
    options = json.loads(t["verifier_args"])["choices"]
    assert options[t["answer"]] == "Paris" and sorted(options.values()) == ["Lille", "Lyon", "Nice", "Paris"]
    block = "\n".join(f"{k}. {v}" for k, v in options.items())
    assert t["prompt"] == f"Which city is the capital of France?\n\n{block}\n\nChoose the correct option."


PRIMES = "Which of the following are prime?\n1. 4\n2. 5\n3. 7\n4. 9"
SEVERAL = (
    "More than one option may be correct. Give the letters of all correct options, separated by commas, in \\boxed{}."
)


@pytest.mark.parametrize(
    ("prompt", "answer", "letters", "stored"),
    [
        (PRIMES, "2, 3", "B,C", f"Which of the following are prime?\n\n{SEVERAL}\n\nA. 4\nB. 5\nC. 7\nD. 9"),
        (PRIMES, "3 and 2", "B,C", f"Which of the following are prime?\n\n{SEVERAL}\n\nA. 4\nB. 5\nC. 7\nD. 9"),
        (PRIMES, "(2), (3)", "B,C", f"Which of the following are prime?\n\n{SEVERAL}\n\nA. 4\nB. 5\nC. 7\nD. 9"),
        (
            PRIMES + "\nSelect all that apply.",
            "2,3",
            "B,C",
            f"Which of the following are prime?\n\n{SEVERAL}\n\nA. 4\nB. 5\nC. 7\nD. 9\n\nSelect all that apply.",
        ),
    ],
)
def test_several_numbers_of_options_the_prompt_numbers_make_a_multi_select_mcq(
    store, write_jsonl, prompt, answer, letters, stored
) -> None:
    """An answer listing several numbers of the options a prompt numbers was a `math` task whose reference was `2, 3`
    while the prompt never said to answer by number: `\\boxed{5, 7}`, the primes, failed. It is a multi-select MCQ over
    those options, as the same answer in letters (`B, C`) is."""
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", letters, stored)
    assert json.loads(t["verifier_args"]) == {"choices": {"A": "4", "B": "5", "C": "7", "D": "9"}, "multiple": True}


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which of these are prime?\n1. 2\n2. 3\n3. 4\n4. 6", "1, 2"),  # 2 is also option 1's text
        ("Which of these are prime?\n1. 2\n2. 3\n3. 4\n4. 6", "2, 3"),  # both values as well as numbers
    ],
)
def test_several_numbers_that_are_also_options_texts_are_quarantined(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "verifier: mcq" in detail, detail


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (PRIMES, "2, 5"),  # 5 is no option's number
        (PRIMES, "2, 2"),  # one option twice
        ("Solve the system:\n1. x + y = 3\n2. x - y = 1", "2, 1"),  # conditions: the answer is a pair of values
        ("What are x and y?\n1. x + y = 3\n2. 2x - y = 0", "1, 2"),  # a question that asks to choose none
        ("What is 1/2 of 6?\n1. 2\n2. 3\n3. 4", "2/3"),  # a fraction
    ],
)
def test_several_numbers_that_name_no_options_stay_as_they_were(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", answer, prompt)


@pytest.mark.parametrize(
    ("answer", "letter"),
    [("Paris", "A"), ("lyon.", "B"), ("1. Paris", "A"), ("(2) Lyon", "B"), ("3) nice", "C")],
)
def test_an_option_text_answer_to_options_the_prompt_numbers_makes_an_mcq(store, write_jsonl, answer, letter) -> None:
    """An answer that gives a numbered option's text (or its number and text) was a `math` task whose reference was
    that text: to "Paris", `\\boxed{1}` failed, and to "1. Paris" only `\\boxed{1. Paris}` passed (`\\boxed{Paris}`
    failed). It names the option, as the same answer to lettered options does."""
    prompt = "Which city is the capital of France?\n1. Paris\n2. Lyon\n3. Nice"
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", letter)
    assert t["prompt"] == "Which city is the capital of France?\n\nA. Paris\nB. Lyon\nC. Nice"


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("Which city is the capital of France?\n1. Paris\n2. Lyon\n3. Nice", "2. Paris"),  # another option's number
        ("Which city is the capital of France?\n1. Paris\n2. Lyon\n3. Nice", "Marseille"),  # no option's text
        ("Which cities are in France?\n1. Paris\n2. Lyon\n3. Rome", "Paris and Lyon"),  # two options' texts
    ],
)
def test_an_answer_that_is_no_one_numbered_options_text_stays_as_it_was(store, write_jsonl, prompt, answer) -> None:
    ingest_paths(store, [write_jsonl("q.jsonl", [{"question": prompt, "answer": answer}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", answer, prompt)


AMC_ONE_LINE = (
    "What is $1+1$?\n\n$\\textbf{(A)}\\ 1 \\qquad \\textbf{(B)}\\ 2 \\qquad \\textbf{(C)}\\ 3 \\qquad "
    "\\textbf{(D)}\\ 4 \\qquad \\textbf{(E)}\\ 5$"
)
AMC_MATHRM = "What is $1+1$? $\\mathrm{(A) \\ } 1 \\qquad \\mathrm{(B) \\ } 2 \\qquad \\mathrm{(C) \\ } 3$"
AMC_LINES = (
    "What is $1+1$?\n$\\textbf{(A) }\\frac{1}{2}\\qquad\\textbf{(B) }2\\qquad\\\\ \\textbf{(C) }3\\qquad"
    "\\textbf{(D) }4$\n\nThink step by step."
)
AMC_EACH_LINE = "What is $1+1$?\n\n$\\text{(A)}\\ 1$\n\n$\\text{(B)}\\ 2$\n\n$\\text{(C)}\\ 3$"


@pytest.mark.parametrize(
    ("prompt", "answer", "letter", "options"),
    [
        (AMC_ONE_LINE, "\\textbf{(B)}", "B", ["1", "2", "3", "4", "5"]),
        (AMC_ONE_LINE, "B", "B", ["1", "2", "3", "4", "5"]),
        (AMC_ONE_LINE, "\\textbf{(B)}\\ 2", "B", ["1", "2", "3", "4", "5"]),
        (AMC_ONE_LINE, "$\\text{(B)}$", "B", ["1", "2", "3", "4", "5"]),
        (AMC_MATHRM, "\\mathrm{(B)}", "B", ["1", "2", "3"]),
        (AMC_LINES, "\\text{(B)}\\ 2", "B", ["\\frac{1}{2}", "2", "3", "4"]),
        (AMC_LINES, "2", "B", ["\\frac{1}{2}", "2", "3", "4"]),
        (AMC_EACH_LINE, "(B)", "B", ["1", "2", "3"]),
    ],
)
def test_amc_options_written_in_latex_make_an_mcq(store, write_jsonl, prompt, answer, letter, options) -> None:
    """AMC problems (MATH, NuminaMath's amc_aime, OpenR1-Math's MCQ rows) list their options in LaTeX
    (`$\\textbf{(A)}\\ 1 \\qquad \\textbf{(B)}\\ 2 ...$`) and give the answer as `\\textbf{(B)}`, `\\text{(B)}\\ 2` or
    `B`. They were `math` tasks comparing the reference with the boxed value: a response boxing `\\textbf{(B)}\\ 2`
    (how those datasets' own solutions end) failed for the reference `\\textbf{(B)}`, and one boxing `B` failed for
    `\\text{(B)}\\ 2`. They are MCQs over the listed options; the prompt stays as written."""
    rep = ingest_paths(store, [write_jsonl("amc.jsonl", [{"problem": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["domain"], t["answer"], t["prompt"]) == ("mcq", "science_mcq", letter, prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == options


def test_an_amc_answer_whose_value_is_another_options_is_quarantined(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("amc.jsonl", [{"problem": AMC_ONE_LINE, "answer": "\\textbf{(B)}\\ 3"}])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "names option B ('2') but gives the text of option C" in detail


MATH_AMC = (
    "What is the value of $1+2+3$?\n\n$\\textbf{(A)}\\ 5 \\qquad\\textbf{(B)}\\ 6 \\qquad\\textbf{(C)}\\ 7 \\qquad"
    "\\textbf{(D)}\\ 8 \\qquad\\textbf{(E)}\\ 9$"
)
MAMMAL = "Which of these is a mammal?\n(A) frog\n(B) whale\n(C) shark\n(D) trout"
PLANET = "Which planet is smallest?\nA. Mercury\nB. Venus\nC. Jupiter\nD. Earth"


@pytest.mark.parametrize(
    ("row", "letter", "options"),
    [
        # MATH's own AMC rows: no answer column, the solution boxes the mark and the option's value
        (
            {"problem": MATH_AMC, "solution": "We have $1+2+3=6$, so the answer is $\\boxed{\\textbf{(B)}\\ 6}$."},
            "B",
            ["5", "6", "7", "8", "9"],
        ),
        ({"problem": MATH_AMC, "solution": "$1+2+3=5$ is wrong; it is $\\boxed{\\text{(B)}}$"}, "B", None),
        ({"problem": MAMMAL, "solution": "Whales nurse their young. The answer is (B)."}, "B", None),
        ({"problem": MAMMAL, "solution": "Whales nurse their young. $\\boxed{B}$"}, "B", None),
        # GSM8K's layout: the rationale, then `#### A`
        ({"question": PLANET, "answer": "Mercury is the smallest planet.\n#### A"}, "A", None),
        # a chat whose reply ends "The answer is: C" after a user turn listing the options
        (
            {
                "messages": [
                    {"role": "user", "content": MAMMAL.replace("mammal", "fish")},
                    {"role": "assistant", "content": "Sharks have gills, so they are fish. The answer is: C"},
                ]
            },
            "C",
            None,
        ),
    ],
)
def test_a_letter_answer_taken_from_a_solution_to_options_the_prompt_lists_is_an_mcq(
    store, write_jsonl, row, letter, options
) -> None:
    """A letter answer read from a solution (its `\\boxed{}`, "The answer is (B).", GSM8K's `#### A`, a chat's reply)
    was a `math` task whose reference was `\\textbf{(B)}\\ 6` or `(B)`: the options step ran before the answer was
    taken from the solution, so MATH's own AMC rows, which the options step reads as MCQs with the answer in a
    column, were `math` tasks that failed `\\boxed{B}` and `\\boxed{6}`. They are MCQs over the listed options, the
    prompt as written, the solution kept in metadata."""
    rep = ingest_paths(store, [write_jsonl("sol.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    prompt = row.get("problem") or row.get("question") or row["messages"][0]["content"]
    assert (t["verifier"], t["domain"], t["answer"], t["prompt"]) == ("mcq", "science_mcq", letter, prompt)
    choices = json.loads(t["verifier_args"])["choices"]
    assert list(choices.values()) == (options or list(choices.values())) and len(choices) >= 4
    solution = row.get("solution") or row.get("answer") or row["messages"][1]["content"]
    assert json.loads(t["metadata"])["solution"] == solution


def test_a_letter_taken_by_the_answer_regex_to_options_the_prompt_lists_is_an_mcq(store, write_jsonl) -> None:
    row = {"question": PLANET, "answer": "Mercury is the smallest planet.\nFinal: A"}
    rep = ingest_paths(store, [write_jsonl("regex.jsonl", [row])], answer_regex=r"Final:\s*(\S+)\s*$")
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", "A", PLANET)
    assert json.loads(t["metadata"])["solution"] == row["answer"]


@pytest.mark.parametrize(
    ("row", "answer"),
    [
        ({"problem": "Solve for the unknown: $3x = 3$.", "solution": "Divide: $\\boxed{x}$"}, "x"),  # a variable
        ({"problem": "Which vertex is opposite side a?", "solution": "It is vertex A. The answer is (A)."}, "(A)"),
        # a letter the options do not have
        ({"problem": MAMMAL.replace("Which of these is", "Name"), "solution": "None: $\\boxed{E}$"}, "E"),
        ({"question": PLANET.replace("A. ", "Mercury "), "answer": "So it is\n#### A"}, "A"),  # no listed run from A
    ],
)
def test_a_letter_from_a_solution_without_listed_options_stays_as_it_was(store, write_jsonl, row, answer) -> None:
    ingest_paths(store, [write_jsonl("sol.jsonl", [row])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", answer)


def test_a_solution_boxing_two_values_to_listed_options_is_still_quarantined(store, write_jsonl) -> None:
    row = {"problem": MAMMAL, "solution": "First $\\boxed{A}$; no, it is $\\boxed{B}$."}
    ingest_paths(store, [write_jsonl("sol.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer" and "boxes 2 different values" in detail, detail


CAPITALS = ["Paris", "London", "Rome"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Which city is the capital of France?\nA. paris\nB. London\nC. Rome",  # another case
        "Which city is the capital of France?\n(a) Paris (b) london (c) rome.",  # a final period
        "Which city is the capital of France?\nA)  Paris\nB) London\nC) Rome",
    ],
)
@pytest.mark.parametrize("shuffle", [None, False])
def test_a_prompt_listing_the_choices_columns_options_gets_no_second_list(store, write_jsonl, prompt, shuffle) -> None:
    """A prompt that lists the options of its choices column, written otherwise (case, spacing, a final period), got
    them appended again: the model read the same options twice."""
    row = {"question": prompt, "choices": CAPITALS, "answer": 0}
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [row])], shuffle_choices=shuffle)
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["answer"], t["prompt"]) == ("A", prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == CAPITALS


@pytest.mark.parametrize(
    ("prompt", "choices", "why"),
    [
        ("Which city is the capital of France?\nA) Paris\nB) London\nC) Rome", ["London", "Paris", "Rome"], "order"),
        ("Which city is the capital of France?\nA. madrid\nB. London\nC. Rome", ["Paris", "London", "Rome"], "texts"),
        ("Which city is the capital of France? (A) Paris (B) London", CAPITALS, "texts"),  # one option left out
    ],
)
@pytest.mark.parametrize("shuffle", [None, False, True])
def test_a_prompt_listing_other_options_than_the_choices_column_is_quarantined(
    store, write_jsonl, prompt, choices, why, shuffle
) -> None:
    """The choices column's options were appended below the prompt's own, other ones: "A) Paris ... A. London", one
    question with two meanings of A, and the key marked one of them."""
    row = {"question": prompt, "choices": choices, "answer": 0}
    ingest_paths(store, [write_jsonl("q.jsonl", [row])], shuffle_choices=shuffle)
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:choices", detail
    assert f"the prompt lists the options with other {why}" in detail or f"in another {why}" in detail, detail


def test_lettered_items_that_are_no_options_still_get_the_options(store, write_jsonl) -> None:
    prompt = "Which statements are true? (a) 2 is even, (b) 3 is even"
    row = {"question": prompt, "choices": ["(a) only", "(b) only", "both", "neither"], "answer": 0}
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert t["prompt"] == prompt + "\n\nA. (a) only\nB. (b) only\nC. both\nD. neither"


@pytest.mark.parametrize(
    "prompt",
    [
        "Prove both parts. \\textbf{(a)} $x>0$; \\textbf{(b)} $y>0$.",  # parts of a problem, not options
        "Compute $\\textbf{(A)}$, the matrix of the map.",  # one mark
    ],
)
def test_latex_marks_that_list_no_options_leave_the_row_as_it_was(store, write_jsonl, prompt) -> None:
    ingest_paths(store, [write_jsonl("amc.jsonl", [{"problem": prompt, "answer": "7"}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("math", "7")


@pytest.mark.parametrize(
    ("prompt", "answer", "options"),
    [
        ("Which is even?\nA: $1$\nB: $2$\nC: $3$", "\\text{B}", ["$1$", "$2$", "$3$"]),
        ("Which is even?\nA: $1$\nB: $2$\nC: $3$", "$\\text{B}$", ["$1$", "$2$", "$3$"]),
        ("Which is even?\nA: $1$\nB: $2$\nC: $3$", "\\textbf{B}", ["$1$", "$2$", "$3$"]),
        # full-width marks, no space after them (Chinese typesetting)
        ("Which is even?\nA．1\nB．2\nC．3", "B", ["1", "2", "3"]),
        ("Which is even?\nA、1\nB、2\nC、3", "B", ["1", "2", "3"]),
        ("Which is even?\n（A）1 （B）2 （C）3", "B", ["1", "2", "3"]),
        ("Which is even?\nA：1\nB：2\nC：3", "B", ["1", "2", "3"]),
    ],
)
def test_cn_k12_style_options_and_answers_make_an_mcq(store, write_jsonl, prompt, answer, options) -> None:
    """NuminaMath's cn_k12 rows give the answer as `\\text{B}` and some Chinese sources mark options with full-width
    punctuation (`A．1`, `A、1`, `（A）1`): they were `math` tasks (the same file's `A: $1$` rows with the answer `B`
    were MCQs), so one file held the same kind of question as two kinds of task."""
    rep = ingest_paths(store, [write_jsonl("cn.jsonl", [{"problem": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", "B", prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == options


@pytest.mark.parametrize("kind", ["MCQ(multiple)", "multiple-select", "Multiple Answers"])
@pytest.mark.parametrize("options", ["inline", "column"])
def test_a_one_letter_answer_of_a_row_typed_multi_select_is_a_multi_select_mcq(store, write_jsonl, kind, options):
    """JEEBench's rows say in `type` that several options may be right (`MCQ(multiple)`); one whose gold is a single
    letter became a single-answer MCQ asked to "Answer with the letter of the correct choice", an instruction that
    told the model one option holds (its siblings with two letters were multi-select). It is the set of one."""
    q = "Which of the following is(are) correct?"
    row = {"question": q + "\n(A) one\n(B) two\n(C) three", "gold": "B", "type": kind}
    if options == "column":
        row = {"question": q, "options": ["one", "two", "three"], "gold": "B", "type": kind}
    rep = ingest_paths(store, [write_jsonl("jee.jsonl", [row])], mapping={"answer": "gold"})
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["answer"], json.loads(t["verifier_args"]).get("multiple")) == ("B", True)
    assert "More than one option may be correct" in t["prompt"]


@pytest.mark.parametrize("kind", ["MCQ", "Integer", "multiple choice"])
def test_a_row_typed_single_answer_stays_one_answer(store, write_jsonl, kind) -> None:
    row = {"question": "Which is prime?", "options": ["4", "7", "9"], "answer": "B", "type": kind}
    ingest_paths(store, [write_jsonl("x.jsonl", [row])])
    (t,) = _tasks(store)
    assert (t["answer"], json.loads(t["verifier_args"]).get("multiple")) == ("B", None)


# A file with an options column whose cell is empty in some rows (a mixed file of MCQs and open questions, or an MCQ
# whose options were lost). Before: with the column found by its name, an empty cell's row with answer "C" became a
# `math` task whose reference was the letter C (a response boxing "C" passed an open question); with the column
# mapped, every row with an empty cell was quarantined "no 'Options' column", though the column was there, so the
# open questions of a mixed file were lost.
MIXED = [
    {"question": "Which planet is known as the red planet?", "options": ["Venus", "Mars", "Jupiter"], "answer": "B"},
    {"question": "Which gas do plants absorb from the air?", "options": None, "answer": "C"},
    {"question": "What is 2+3?", "options": None, "answer": "5"},
    {"question": "Which of these is a prime?", "options": [], "answer": "(A)"},
]


@pytest.mark.parametrize("mapped", [False, True], ids=["by-name", "mapped"])
@pytest.mark.parametrize("column", ["options", "Choices"])
def test_an_empty_options_cell(store, write_jsonl, mapped: bool, column: str) -> None:
    rows = [
        {("question" if k == "question" else column if k == "options" else k): v for k, v in r.items()} for r in MIXED
    ]
    path = write_jsonl("mixed.jsonl", rows)
    ingest_paths(store, [path], **({"mapping": {"choices": column}} if mapped else {}))
    tasks = {t["prompt"].split("\n")[0]: (t["verifier"], t["answer"]) for t in _tasks(store)}
    assert tasks == {"Which planet is known as the red planet?": ("mcq", "B"), "What is 2+3?": ("math", "5")}
    assert sorted(_quarantine(store)) == [
        ("invalid_value:choices", "an MCQ needs at least two choices"),  # an empty list is given options, too few
        ("missing_field:choices", f"{column!r} is empty in this row, and its answer 'C' names an option"),
    ]


def test_a_blank_options_cell_is_none(store, write_jsonl) -> None:
    """A blank text in the options column (a spreadsheet's empty cell) is no options, as a blank verifier is no
    verifier: an open question stays one, a letter answer is refused (it was `wrong_type:choices` either way)."""
    rows = [
        {"question": "What is 2+3?", "options": "  ", "answer": "5"},
        {"question": "Which two are even?", "options": "", "answer": "B and D"},
        {"question": "What is DNA short for?", "options": None, "answer": "DNA"},  # a word, not letters
    ]
    ingest_paths(store, [write_jsonl("blank.jsonl", rows)])
    assert sorted((t["prompt"], t["verifier"]) for t in _tasks(store)) == [
        ("What is 2+3?", "math"),
        ("What is DNA short for?", "math"),
    ]
    assert _quarantine(store) == [
        ("missing_field:choices", "'options' is empty in this row, and its answer 'B and D' names an option")
    ]


def test_a_mapped_options_column_missing_from_the_row_is_still_named(store, write_jsonl) -> None:
    """A column no row of the file holds is a typo of the mapping: the file stops, naming it (before, every row was
    quarantined `missing_field:choices`; test_a_mapping_naming_a_column_no_row_holds_stops_the_file)."""
    path = write_jsonl("typo.jsonl", [{"question": "What is 2+3?", "answer": "5"}])
    with pytest.raises(IngestError, match=r"mapping choices=opts names a column no row of the file holds"):
        ingest_paths(store, [path], mapping={"choices": "opts"})
    assert _quarantine(store) == []


def test_an_empty_mapped_options_path(store, write_jsonl) -> None:
    """A mapped dotted path to the options, null in a row: a letter answer is refused there too."""
    rows = [
        {"q": "Which gas?", "extra": {"opts": None}, "answer": "C"},
        {"q": "What is 2+3?", "extra": {"opts": None}, "answer": "5"},
    ]
    ingest_paths(store, [write_jsonl("nested.jsonl", rows)], mapping={"prompt": "q", "choices": "extra.opts"})
    assert [(t["prompt"], t["verifier"]) for t in _tasks(store)] == [("What is 2+3?", "math")]
    assert _quarantine(store) == [
        ("missing_field:choices", "'extra.opts' is empty in this row, and its answer 'C' names an option")
    ]


# An MCQ whose options are in a column thinkmill does not read as options (a name outside `choices`/`options`/
# `endings`, not mapped), or whose options are lost, while its answer names an option by letter. Before, such a row
# became a `math` task asking the question without its options, its reference the letter: a response boxing "B"
# passed, a fine-tune learnt to answer a letter to an open question.
@pytest.mark.parametrize(
    ("row", "detail"),
    [
        (
            {"question": "Which gas do plants absorb?", "answer": "B", "opts": ["Oxygen", "Carbon dioxide", "Neon"]},
            "the answer 'B' names an option, and column 'opts' holds options this row does not read: --map "
            "choices=opts (mapping: {choices: opts})",
        ),
        (
            {"question": "Which planet is red?", "answer": "(C)", "alternatives": "A) Venus B) Earth C) Mars"},
            "the answer '(C)' names an option, and column 'alternatives' holds options this row does not read: "
            "--map choices=alternatives (mapping: {choices: alternatives})",
        ),
        (
            {"question": "Which is even?", "answer": "A", "alts": {"label": ["A", "B"], "text": ["2", "3"]}},
            "the answer 'A' names an option, and column 'alts' holds options this row does not read: --map "
            "choices=alts (mapping: {choices: alts})",
        ),
        (
            {"question": "Which of these is a mammal?", "answer": "(B)"},
            "the prompt asks to choose an option and the answer '(B)' names one, but the row has no options (a "
            "column the options are in: --map choices=COLUMN)",
        ),
        (
            {"question": "A train leaves at noon. Which option is right?", "answer": "A"},
            "the prompt asks to choose an option and the answer 'A' names one, but the row has no options (a "
            "column the options are in: --map choices=COLUMN)",
        ),
        (
            {"question": "Which of the following is a noble gas?", "answer": "Helium"},
            "the prompt asks 'which of the following' but shows no options, and the row has none (a column the "
            "options are in: --map choices=COLUMN)",
        ),
    ],
    ids=["list-column", "text-column", "label-text-column", "asks-these", "asks-option", "which-of-the-following"],
)
def test_an_option_letter_answer_without_options_is_refused(store, write_jsonl, row, detail) -> None:
    keep = {"question": "What is 2+3?", "answer": "5"}
    ingest_paths(store, [write_jsonl("mcq.jsonl", [row, keep])])
    assert [(t["prompt"], t["verifier"]) for t in _tasks(store)] == [("What is 2+3?", "math")]
    assert _quarantine(store) == [("missing_field:choices", detail)]


def test_an_option_letter_answer_with_its_options_in_a_csv_column_not_read(store, tmp_path) -> None:
    """pandas' `to_csv` writes a list column as `['Oxygen', ...]`: such a column holds options too."""
    path = tmp_path / "mcq.csv"
    path.write_text(
        "question,opts,answer\n"
        "Which gas do plants absorb?,\"['Oxygen', 'Carbon dioxide', 'Neon']\",B\n"
        "What is 2+3?,,5\n"
    )
    ingest_paths(store, [path])
    assert [(t["prompt"], t["verifier"]) for t in _tasks(store)] == [("What is 2+3?", "math")]
    assert _quarantine(store) == [
        (
            "missing_field:choices",
            "the answer 'B' names an option, and column 'opts' holds options this row does not read: --map "
            "choices=opts (mapping: {choices: opts})",
        )
    ]


@pytest.mark.parametrize(
    "row",
    [
        {"question": "Which vitamin prevents scurvy?", "answer": "C"},  # a letter that is the answer itself
        {"question": "Which element has atomic number 6?", "answer": "C", "tags": ["chemistry"]},
        {"question": "Of the points A, B and C on a line at 1, 5 and 3, which lies between the others?", "answer": "C"},
        {"question": "Which of the following numbers is prime: 4, 6, 7, 9?", "answer": "7"},
        {"question": "Consider the following list: 4, 6, 7. Which of the following is prime?", "answer": "7"},
        {"question": "Which of the following is prime?\n(A) 4\n(B) 7\n(C) 9", "answer": "B"},  # its options inline
        {"question": "Which letter comes next in the sequence A, C, E, G?", "answer": "I"},
        {"question": "Which vitamin is in citrus?", "answer": "C", "tags": ["nutrition", "biology", "chemistry"]},
        {"question": "Which of these letters is a vowel: B, E, K?", "answer": "E"},
    ],
    ids=[
        "vitamin",
        "element",
        "named-points",
        "inline-list",
        "list-before",
        "lettered-inline",
        "sequence",
        "tags",
        "vowel",
    ],
)
def test_a_letter_or_option_wording_with_nothing_missing_is_kept(store, write_jsonl, row) -> None:
    ingest_paths(store, [write_jsonl("ok.jsonl", [row])])
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert t["answer"] == row["answer"]


def test_a_mapped_options_key_left_out_of_some_jsonl_rows(store, write_jsonl) -> None:
    """A JSONL row leaves a null key out. A mixed file of MCQs and open questions, options mapped (`--map
    choices=opts`), had every row without the key quarantined "no 'opts' column for the choices", though the file
    has the column: its open questions were lost. Such a row is read as one with an empty cell; a file with the key
    in no row still names the mapping (see the test above)."""
    rows = [
        {"q": "Which gas do plants absorb?", "gold": "B", "opts": ["Oxygen", "Carbon dioxide", "Neon"]},
        {"q": "What is 12*12?", "gold": "144"},
        {"q": "Which is a noble gas?", "gold": "D"},
    ]
    path = write_jsonl("mixed.jsonl", rows)
    ingest_paths(store, [path], mapping={"prompt": "q", "answer": "gold", "choices": "opts"})
    got = {t["prompt"].split("\n")[0]: (t["verifier"], t["answer"]) for t in _tasks(store)}
    assert got == {"Which gas do plants absorb?": ("mcq", "B"), "What is 12*12?": ("math", "144")}
    assert _quarantine(store) == [
        (
            "missing_field:choices",
            "this row has no 'opts' (other rows of the file do), and its answer 'D' names an option",
        )
    ]


def test_which_of_the_following_names_a_column_that_holds_options(store, write_jsonl) -> None:
    row = {"question": "Which of the following is a noble gas?", "answer": "Helium", "opts": ["Oxygen", "Helium"]}
    ingest_paths(store, [write_jsonl("mcq.jsonl", [row])])
    assert _quarantine(store) == [
        (
            "missing_field:choices",
            "the prompt asks 'which of the following' but shows no options, and the row has none (column 'opts' may "
            "hold them: --map choices=opts)",
        )
    ]


DREAM = {
    "id": "4-199",
    "dialogue": ["M: I'm so tired of my dancing class.", "W: Keep going; it will get more interesting."],
    "question": "What does the man suggest the woman do?",
    "choice": ["Consult her dancing teacher.", "Take a more interesting class.", "Continue her dancing class."],
    "answer": "Continue her dancing class.",
}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_dreams_choice_list_is_the_options_when_the_answer_is_one_of_them(store, write_jsonl, tmp_path, fmt) -> None:
    """DREAM's `choice` (a list of option texts, the answer one of them) was no options column: the row became a
    `math` task asked without its options, whose reference was the option's text."""
    if fmt == "jsonl":
        path = write_jsonl("dream.jsonl", [DREAM])
    else:
        path = tmp_path / "dream.csv"
        pl.DataFrame(
            [{**DREAM, "choice": json.dumps(DREAM["choice"]), "dialogue": " ".join(DREAM["dialogue"])}]
        ).write_csv(path)
    ingest_paths(store, [path], mapping={"context": "dialogue"})
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "C")
    assert t["prompt"].startswith(DREAM["question"] + "\n\nM: I'm so tired")
    assert t["prompt"].endswith(
        "\n\nA. Consult her dancing teacher.\nB. Take a more interesting class.\nC. Continue her dancing class."
    )
    assert "choice" not in json.loads(t["metadata"] or "{}")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_choice_list_of_numbers_is_read_by_the_answers_text(store, write_jsonl, tmp_path, fmt) -> None:
    """Read as options because the answer is one of their texts, the answer names that option, never an index (`2`
    is no index C; a CSV row without a context column too: the bulk path leaves it to the per-row one)."""
    row = {"question": "How many wheels does a bicycle have?", "choice": ["1", "2", "3"], "answer": "2"}
    path = write_jsonl("tri.jsonl", [row]) if fmt == "jsonl" else tmp_path / "tri.csv"
    if fmt == "csv":
        pl.DataFrame([{**row, "choice": json.dumps(row["choice"])}]).write_csv(path)
    ingest_paths(store, [path])
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "B")
    assert json.loads(t["verifier_args"])["choices"] == {"A": "1", "B": "2", "C": "3"}


@pytest.mark.parametrize(
    "row",
    [
        # TriviaQA-style aliases beside the answer: a short-answer task, not options
        {"question": "Who wrote Hamlet?", "answer": "Shakespeare", "answers": ["Shakespeare", "William Shakespeare"]},
        # a `choice` list the answer is none of: not read as the options
        {"question": "What is 6*7?", "answer": "42", "choice": ["calculator", "mental"]},
    ],
)
def test_a_list_beside_an_answer_it_does_not_name_stays_as_it_was(store, write_jsonl, row) -> None:
    ingest_paths(store, [write_jsonl("qa.jsonl", [row])])
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", row["answer"], row["question"])


# A Hugging Face dataset whose answer is a ClassLabel (super_glue's BoolQ `label: ClassLabel(False, True)`, a
# sentiment set's `label: ClassLabel(neg, pos)`) stores the class's number. Without options the row was quarantined
# (the prompt would not say what 0 and 1 mean) and its hint, `--map answer=label`, gave a `math` task whose
# reference was the number. The label's names are the options; its number the 0-based index of the right one.
def _class_label_rows():
    import datasets

    features = datasets.Features(
        {
            "question": datasets.Value("string"),
            "label": datasets.ClassLabel(names=["False", "True"]),
            "id": datasets.Value("string"),
        }
    )
    rows = {"question": ["Is the sky blue?", "Is grass red?"], "label": [1, 0], "id": ["q1", "q2"]}
    return datasets.Dataset.from_dict(rows, features=features)


@pytest.mark.parametrize("kind", ["saved", "parquet"])
def test_a_class_label_without_options_names_its_classes(store, tmp_path, kind) -> None:
    ds = _class_label_rows()
    if kind == "saved":
        path = tmp_path / "boolq"
        ds.save_to_disk(str(path))
    else:
        path = tmp_path / "boolq.parquet"
        ds.to_parquet(str(path))  # the features travel in the file's `huggingface` metadata
    ingest_paths(store, [path])
    assert _quarantine(store) == []
    got = {t["task_id"]: (t["prompt"], t["verifier"], t["answer"]) for t in _tasks(store)}
    assert got == {
        "local/q1": ("Is the sky blue?\n\nA. False\nB. True", "mcq", "B"),
        "local/q2": ("Is grass red?\n\nA. False\nB. True", "mcq", "A"),
    }


def test_a_class_label_with_options_is_still_an_index(store, tmp_path) -> None:
    """MMLU's `answer: ClassLabel(A, B, C, D)` beside its `choices`: the number names an option, as before."""
    import datasets

    features = datasets.Features(
        {
            "question": datasets.Value("string"),
            "choices": datasets.Sequence(datasets.Value("string")),
            "answer": datasets.ClassLabel(names=["A", "B", "C", "D"]),
        }
    )
    ds = datasets.Dataset.from_dict(
        {"question": ["Which planet is red?"], "choices": [["Venus", "Earth", "Mars", "Jupiter"]], "answer": [2]},
        features=features,
    )
    ds.to_parquet(str(tmp_path / "mmlu.parquet"))
    ingest_paths(store, [tmp_path / "mmlu.parquet"])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "C")


@pytest.mark.parametrize("verifier", ["exact", "math"])
def test_a_class_label_answer_under_another_verifier_is_its_name(store, tmp_path, verifier) -> None:
    """`--default verifier=exact` on a ClassLabel answer: the reference is the class's name. Before, it was the class
    number ("1" for "Is the sky blue?"), so a response answering "True" failed and one answering "1" passed."""
    path = tmp_path / "boolq"
    _class_label_rows().save_to_disk(str(path))
    ingest_paths(store, [path], defaults={"verifier": verifier})
    assert _quarantine(store) == []
    got = {t["task_id"]: (t["prompt"], t["verifier"], t["answer"]) for t in _tasks(store)}
    assert got == {
        "local/q1": ("Is the sky blue?", verifier, "True"),
        "local/q2": ("Is grass red?", verifier, "False"),
    }
    unlabelled = _class_label_rows().map(lambda r: {"label": -1, "id": r["id"] + "x"})
    unlabelled.to_parquet(str(tmp_path / "test.parquet"))  # -1, the Hub's "no label": no reference
    ingest_paths(store, [tmp_path / "test.parquet"], defaults={"verifier": verifier})
    assert [r for r, _ in _quarantine(store)] == ["missing_field:answer"] * 2


@pytest.mark.parametrize("kind", ["saved", "parquet"])
def test_a_class_label_inside_a_struct_names_its_classes(store, tmp_path, kind) -> None:
    """A ClassLabel in a struct column, mapped with a dotted path (`--map answer=meta.gold`), reads as a top-level one.
    Before, its names were not known: a `math` task whose reference was the class number."""
    import datasets

    features = datasets.Features(
        {
            "question": datasets.Value("string"),
            "meta": {"gold": datasets.ClassLabel(names=["no", "yes"]), "src": datasets.Value("string")},
        }
    )
    rows = {"question": ["Is Paris in France?", "Is Rome in Spain?"], "meta": [{"gold": 1, "src": "x"}, {"gold": 0}]}
    ds = datasets.Dataset.from_dict(rows, features=features)
    path = tmp_path / ("saved" if kind == "saved" else "t.parquet")
    ds.save_to_disk(str(path)) if kind == "saved" else ds.to_parquet(str(path))
    ingest_paths(store, [path], mapping={"answer": "meta.gold"})
    assert _quarantine(store) == []
    assert [(t["prompt"], t["verifier"], t["answer"]) for t in _tasks(store)] == [
        ("Is Paris in France?\n\nA. no\nB. yes", "mcq", "B"),
        ("Is Rome in Spain?\n\nA. no\nB. yes", "mcq", "A"),
    ]


def _class_label_list(tmp_path, kind: str, labels: list[list[int]], names: list[str] | None = None):
    import datasets

    features = datasets.Features(
        {
            "question": datasets.Value("string"),
            "labels": datasets.Sequence(datasets.ClassLabel(names=names or ["no", "yes"])),
        }
    )
    questions = ["Is Paris in France?", "Is Rome in Spain?", "Is Oslo in Norway?"][: len(labels)]
    ds = datasets.Dataset.from_dict({"question": questions, "labels": labels}, features=features)
    path = tmp_path / ("saved" if kind == "saved" else "t.parquet")
    ds.save_to_disk(str(path)) if kind == "saved" else ds.to_parquet(str(path))
    return path


@pytest.mark.parametrize("kind", ["saved", "parquet"])
def test_a_list_of_one_class_label_names_its_class(store, tmp_path, kind) -> None:
    """`labels: Sequence(ClassLabel(no, yes))` holding one class a row (`[1]`), mapped as the answer: the class, as a
    ClassLabel column's. Before, its names were not known: `math` tasks whose references were '1' and '0'."""
    ingest_paths(store, [_class_label_list(tmp_path, kind, [[1], [0]])], mapping={"answer": "labels"})
    assert _quarantine(store) == []
    assert [(t["prompt"], t["verifier"], t["answer"]) for t in _tasks(store)] == [
        ("Is Paris in France?\n\nA. no\nB. yes", "mcq", "B"),
        ("Is Rome in Spain?\n\nA. no\nB. yes", "mcq", "A"),
    ]


@pytest.mark.parametrize("kind", ["saved", "parquet"])
def test_a_list_of_class_labels_under_another_verifier_is_their_names(store, tmp_path, kind) -> None:
    """Under `exact` the reference is the class's name; several classes are a list answer (quarantined without
    `answer_list: any`, naming the classes, not their numbers); no class (`[]`) is no reference."""
    path = _class_label_list(tmp_path, kind, [[1], [0, 1], []])
    ingest_paths(store, [path], mapping={"answer": "labels"}, defaults={"verifier": "exact"})
    assert [(t["prompt"], t["answer"]) for t in _tasks(store)] == [("Is Paris in France?", "yes")]
    got = sorted(_quarantine(store))
    assert [r for r, _ in got] == ["missing_field:answer", "wrong_type:answer"]
    assert "'no'" in got[1][1] and "'yes'" in got[1][1]


def test_a_list_of_several_class_labels_is_a_multi_select_mcq(store, tmp_path) -> None:
    """A multi-label row (`labels: Sequence(ClassLabel(...))` holding `[0, 2]`): the classes are the options and the
    row's classes the right ones. Before, the class numbers were a list answer of a `math` task."""
    path = _class_label_list(tmp_path, "parquet", [[0, 2]], ["Europe", "Asia", "a capital"])
    ingest_paths(store, [path], mapping={"answer": "labels"})
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "A,C")
    assert json.loads(t["verifier_args"]) == {
        "choices": {"A": "Europe", "B": "Asia", "C": "a capital"},
        "multiple": True,
    }


def _letter_class_label(tmp_path, questions: list[str], answers: list[int]):
    import datasets

    features = datasets.Features(
        {"question": datasets.Value("string"), "answer": datasets.ClassLabel(names=["A", "B", "C", "D"])}
    )
    path = tmp_path / "letters.parquet"
    datasets.Dataset.from_dict({"question": questions, "answer": answers}, features=features).to_parquet(str(path))
    return path


@pytest.mark.parametrize(
    "question",
    [
        "Which planet is red?\nA) Venus\nB) Mars\nC) Jupiter\nD) Saturn",
        "Which planet is red?\n(A) Venus (B) Mars (C) Jupiter (D) Saturn",
    ],
)
def test_a_class_label_of_letters_names_the_options_the_prompt_lists(store, tmp_path, question) -> None:
    """`answer: ClassLabel(A, B, C, D)` with the options written in the prompt: the class is the option's letter.
    Before, the names became the options, appended below the prompt's own list ("A. A\nB. B\nC. C\nD. D"), and
    the stored choices were the letters themselves, so "B" was an option whose text was "B", not Mars."""
    ingest_paths(store, [_letter_class_label(tmp_path, [question], [1])])
    assert _quarantine(store) == []
    (t,) = _tasks(store)
    assert (t["prompt"], t["verifier"], t["answer"]) == (question, "mcq", "B")
    assert json.loads(t["verifier_args"])["choices"] == {"A": "Venus", "B": "Mars", "C": "Jupiter", "D": "Saturn"}


def test_a_class_label_of_letters_without_options_is_refused(store, tmp_path) -> None:
    """The class names an option's letter, and the row shows no options: the names are no options to offer."""
    ingest_paths(store, [_letter_class_label(tmp_path, ["Which planet is red?"], [1])])
    assert _tasks(store) == []
    ((reason, detail),) = _quarantine(store)
    assert reason == "missing_field:choices"
    assert "'B'" in detail and "'answer'" in detail


def test_an_unlabelled_class_label_row_is_still_refused(store, tmp_path) -> None:
    """-1 is the Hub's "no label" (a test split): no class to name, so the row stays quarantined."""
    import datasets

    features = datasets.Features(
        {"question": datasets.Value("string"), "label": datasets.ClassLabel(names=["neg", "pos"])}
    )
    datasets.Dataset.from_dict({"question": ["Great film?"], "label": [-1]}, features=features).to_parquet(
        str(tmp_path / "t.parquet")
    )
    ingest_paths(store, [tmp_path / "t.parquet"])
    assert [r for r, _ in _quarantine(store)] == ["missing_field:choices"]


@pytest.mark.parametrize(("column", "mapping"), [("label", {"answer": "label"}), ("answer", None)])
def test_a_class_label_answer_naming_no_class_is_refused(store, tmp_path, column, mapping) -> None:
    """-1 read as the answer (`--map answer=label`, or an `answer` column): no class, no reference. Before, a `math`
    task whose reference was '-1'."""
    import datasets

    features = datasets.Features(
        {"question": datasets.Value("string"), column: datasets.ClassLabel(names=["no", "yes"])}
    )
    datasets.Dataset.from_dict({"question": ["Is Paris in France?"], column: [-1]}, features=features).to_parquet(
        str(tmp_path / "t.parquet")
    )
    ingest_paths(store, [tmp_path / "t.parquet"], mapping=mapping)
    assert _tasks(store) == []
    ((reason, detail),) = _quarantine(store)
    assert reason == "missing_field:answer"
    assert "-1" in detail and "'no'" in detail


def test_a_class_label_of_more_classes_than_letters_is_refused(store, tmp_path) -> None:
    """A ClassLabel of 28 classes (GoEmotions) names more options than there are letters: every row is refused, as
    `parse_choices` refuses 28 options. Before, a class past Z (27) made a `math` task whose reference was '27'."""
    import datasets

    names = [f"emotion{i}" for i in range(28)]
    features = datasets.Features({"text": datasets.Value("string"), "label": datasets.ClassLabel(names=names)})
    rows = {"text": ["I am so happy today!", "This is the worst day."], "label": [3, 27]}
    datasets.Dataset.from_dict(rows, features=features).to_parquet(str(tmp_path / "t.parquet"))
    ingest_paths(store, [tmp_path / "t.parquet"], mapping={"prompt": "text", "answer": "label"})
    assert _tasks(store) == []
    assert _quarantine(store) == [("invalid_value:choices", "28 choices, at most 26 supported")] * 2


def test_a_hub_stream_with_a_class_label_is_loaded_once(store, monkeypatch) -> None:
    """A Hub dataset's features come with the stream: its ClassLabel names are read without a second load."""
    import datasets

    from pipeline.config import ThinkmillConfig
    from pipeline.ingest.api import ingest_sources
    from pipeline.ingest.config import IngestConfig, SourceConfig

    calls: list[str] = []

    def fake_load(name, config, split, revision, streaming):  # type: ignore[no-untyped-def]
        calls.append(name)
        return _class_label_rows().to_iterable_dataset()

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    src = SourceConfig(name="hub", hf_dataset="org/boolq", split="train", revision="abc")
    ingest_sources(store, ThinkmillConfig(ingest=IngestConfig(sources=[src])))
    assert calls == ["org/boolq"]
    assert sorted((t["prompt"], t["answer"]) for t in _tasks(store)) == [
        ("Is grass red?\n\nA. False\nB. True", "A"),
        ("Is the sky blue?\n\nA. False\nB. True", "B"),
    ]


RU_QUESTION = "Какая планета известна как Красная планета?"
RU_PLANETS = ["Меркурий", "Венера", "Марс", "Юпитер"]


def _ru_listed(labels: list[str], options: list[str], sep: str = ") ") -> str:
    return RU_QUESTION + "\n" + "\n".join(f"{k}{sep}{v}" for k, v in zip(labels, options, strict=True))


@pytest.mark.parametrize(
    "prompt",
    [
        _ru_listed(["А", "Б", "В", "Г"], RU_PLANETS),
        _ru_listed(["А", "Б", "В", "Г"], ["меркурий", "Венера", "марс", "Юпитер."], ". "),  # written otherwise
        _ru_listed(["(А)", "(Б)", "(В)", "(Г)"], RU_PLANETS, " "),
        _ru_listed(["А", "Б", "В", "Г"], RU_PLANETS) + "\nОтветьте буквой.",  # an instruction after the list
    ],
)
@pytest.mark.parametrize("mapped", [False, True])
def test_a_prompt_listing_the_options_under_cyrillic_labels_gets_no_second_list(
    store, write_jsonl, prompt, mapped
) -> None:
    """Russian MMLU-style rows list their options under А) Б) В) Г): the choices column's options were appended
    again under A. B. C. D., so "В) Марс" stood beside "B. Венера", two letters that look the same for two options."""
    row = (
        {"q": prompt, "opts": RU_PLANETS, "a": 2}
        if mapped
        else {"question": prompt, "choices": RU_PLANETS, "answer": 2}
    )
    mapping = {"prompt": "q", "choices": "opts", "answer": "a"} if mapped else None
    rep = ingest_paths(store, [write_jsonl("ru.jsonl", [row])], mapping=mapping)
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["answer"], t["prompt"]) == ("C", prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == RU_PLANETS


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (["Марс", "Венера", "Меркурий", "Юпитер"], "order"),
        (["Меркурий", "Венера", "Марс", "Сатурн"], "texts"),
    ],
)
@pytest.mark.parametrize("mapped", [False, True])
def test_a_prompt_listing_other_options_under_cyrillic_labels_is_quarantined(
    store, write_jsonl, options, why, mapped
) -> None:
    prompt = _ru_listed(["А", "Б", "В", "Г"], options)
    row = (
        {"q": prompt, "opts": RU_PLANETS, "a": 2}
        if mapped
        else {"question": prompt, "choices": RU_PLANETS, "answer": 2}
    )
    mapping = {"prompt": "q", "choices": "opts", "answer": "a"} if mapped else None
    ingest_paths(store, [write_jsonl("ru.jsonl", [row])], mapping=mapping)
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:choices", detail
    assert f"the prompt lists the options with other {why}" in detail or f"in another {why}" in detail, detail


@pytest.mark.parametrize(
    "prompt",
    [
        # Russian prose whose lines start with the words "А" (and) and "В" (in): no labels
        "В 1877 году астрономы наблюдали Марс.\nА в каком году открыли его спутники?",
        # a dialogue between speakers А and Б: lettered lines that share no text with the options
        "Прочитайте диалог.\nА: Какая планета ближе всех к Солнцу?\nБ: Не знаю.\nКакую планету называют красной?",
        # initials
        "А. С. Пушкин писал о звёздах. Б. Л. Пастернак тоже.\nКакая планета красная?",
    ],
)
def test_russian_prose_with_cyrillic_capitals_still_gets_the_options(store, write_jsonl, prompt) -> None:
    rep = ingest_paths(store, [write_jsonl("ru.jsonl", [{"question": prompt, "choices": RU_PLANETS, "answer": 2}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert t["prompt"] == prompt + "\n\nA. Меркурий\nB. Венера\nC. Марс\nD. Юпитер"


def test_a_letter_answer_to_options_under_cyrillic_labels_stays_as_it_was(store, write_jsonl) -> None:
    """Without a choices column, a Latin letter answer to a Cyrillic list is not read as an option's letter: `B` may
    be Б (the second option) or В (the third, written with the Latin letter that looks the same)."""
    prompt = _ru_listed(["А", "Б", "В", "Г"], RU_PLANETS)
    ingest_paths(store, [write_jsonl("ru.jsonl", [{"question": prompt, "answer": "B"}])])
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("math", "B", prompt)


@pytest.mark.parametrize(
    ("answer", "letter"),
    [("В", "C"), ("В)", "C"), ("(Г)", "D"), ("Марс", "C"), ("марс", "C")],
)
def test_a_cyrillic_label_or_text_answer_to_options_under_cyrillic_labels_is_an_mcq(
    store, write_jsonl, answer, letter
) -> None:
    """Without a choices column, a Russian MMLU-style row answering with its list's own label (`В`) or an option's
    text (`Марс`) was a `math` task whose reference was that label or text: `Ответ: C`, an option's text and every
    check of the `mcq` verifier (hedges, several answers) were lost. A Cyrillic label names its option by the
    list's order (В is the third, C), as the verifier reads it in responses; the prompt stays as written."""
    prompt = _ru_listed(["А", "Б", "В", "Г"], RU_PLANETS)
    rep = ingest_paths(store, [write_jsonl("ru.jsonl", [{"question": prompt, "answer": answer}])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"], t["prompt"]) == ("mcq", letter, prompt)
    assert list(json.loads(t["verifier_args"])["choices"].values()) == RU_PLANETS


@pytest.mark.parametrize("answer", ["Ｃ", "（Ｃ）", "Ｃ．"])
def test_a_full_width_letter_answer_names_its_option(store, write_jsonl, answer) -> None:
    """A Chinese or Japanese file's answer column written with a full-width letter (`Ｃ`, `（Ｃ）`) was quarantined
    `invalid_value:answer` ("neither a choice letter, index nor choice text"); the verifier reads the same forms in
    responses. It is the letter."""
    row = {"question": "哪颗行星是红色的？", "choices": ["水星", "金星", "火星", "木星"], "answer": answer}
    rep = ingest_paths(store, [write_jsonl("zh.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", "C")


@pytest.mark.parametrize(("answer", "letter"), [("Б", "B"), ("Г", "D"), ("А", "A")])
def test_a_cyrillic_letter_that_looks_like_no_other_letter_names_its_position(store, write_jsonl, answer, letter):
    """`Б` and `Г` look like no Latin letter, and `А` is A either way: a Cyrillic list's label, the option of its
    position (they were quarantined "neither a choice letter, index nor choice text")."""
    row = {"question": "Какая планета красная?", "choices": RU_PLANETS, "answer": answer}
    rep = ingest_paths(store, [write_jsonl("ru.jsonl", [row])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert (t["verifier"], t["answer"]) == ("mcq", letter)


def test_a_cyrillic_letter_answer_to_latin_options_says_why_it_is_refused(store, write_jsonl) -> None:
    """A Cyrillic `В` beside options ingest letters A to D: as a Cyrillic label it is the third option (C), and it
    looks like the Latin B. Nothing tells which was meant: quarantined, and the detail says so (before: "neither a
    choice letter, index nor choice text")."""
    row = {"question": "Какая планета красная?", "choices": RU_PLANETS, "answer": "В"}
    ingest_paths(store, [write_jsonl("ru.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer", detail
    assert "Cyrillic" in detail and "C" in detail and "Latin B" in detail, detail


def test_options_under_cyrillic_labels_are_judged_by_the_labels_the_prompt_shows(store, write_jsonl) -> None:
    """End to end: the stored prompt shows the Cyrillic labels alone, and the `mcq` verifier reads them there ("В" is
    the third option). Before, the prompt also showed "B. Венера": "Ответ: B" written with the Latin letter that looks
    like В named Венера while the model meant Марс."""
    from pipeline.verify.config import VerifyConfig
    from pipeline.verify.result import TaskSpec
    from pipeline.verify.verifiers.mcq import verify_mcq

    prompt = _ru_listed(["А", "Б", "В", "Г"], RU_PLANETS)
    ingest_paths(store, [write_jsonl("ru.jsonl", [{"question": prompt, "choices": RU_PLANETS, "answer": 2}])])
    (t,) = _tasks(store)
    assert t["prompt"] == prompt
    task = TaskSpec(t["task_id"], t["verifier"], t["answer"], json.loads(t["verifier_args"]), t["prompt"])

    def judged(answer: str) -> bool:
        return verify_mcq(answer, task, VerifyConfig()).passed

    assert judged("Ответ: В") and judged("\\boxed{В}") and judged("Ответ: C")
    assert not judged("Ответ: Б") and not judged("Ответ: B") and not judged("Ответ: Г")


SCI = [
    {"Question": "Which planet is known as the Red Planet?", "A": "Venus", "B": "Mars", "C": "Jupiter", "D": "Saturn",
     "Correct": "B", "Sys": None},
    {"Question": "What is the chemical symbol for gold?", "A": "Ag", "B": "Au", "C": "Gd", "D": "Go", "Correct": "D"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("mapping", "named"),
    [
        # a misspelt option column: each MCQ was ingested with three of its four options, silently
        ({"prompt": "Question", "answer": "Correct", "choices": ["A", "B", "C", "DD"]}, "choices=DD"),
        # a misspelt system column: the tasks were ingested without it, silently
        ({"prompt": "Question", "answer": "Correct", "system": "System"}, "system=System"),
        # every row quarantined with a detail that named the aliases, not the column meant
        ({"prompt": "question", "answer": "Correct"}, "prompt=question"),
        ({"prompt": "Question", "answer": "Corect"}, "answer=Corect"),
        ({"prompt": "Question", "answer": "Correct", "context": ["Passage"]}, "context=Passage"),
    ],
)
def test_a_mapping_naming_a_column_no_row_holds_stops_the_file(store, write_jsonl, mapping: dict, named: str) -> None:
    """A mapping that names a column no row of the file holds is a typo: the file stops with an error naming the
    mapping, the file's columns and the one closest to it. Before, a misspelt option column made MCQs of three
    options (the fourth left out of every prompt), a misspelt system column was ignored, and a misspelt prompt or
    answer column quarantined every row with a detail that did not name the column meant."""
    path = write_jsonl("sci.jsonl", SCI)
    with pytest.raises(IngestError) as err:
        ingest_paths(store, [path], source="sci", mapping=mapping, defaults={"verifier": "mcq"})
    msg = str(err.value)
    assert f"mapping {named}" in msg and "sci.jsonl" in msg, msg
    assert "Question" in msg and "Correct" in msg, msg  # the file's columns
    assert store.count("tasks") == 0 and store.count("quarantine") == 0
    if named in ("prompt=question", "answer=Corect", "choices=DD"):
        assert "did you mean" in msg, msg


def test_a_mapped_column_some_rows_lack_is_judged_row_by_row(store, write_jsonl) -> None:
    """Only a column no row holds stops the file: a system column held by some rows is read where it is."""
    path = write_jsonl("sci.jsonl", SCI)
    ingest_paths(store, [path], source="sci", mapping={"prompt": "Question", "answer": "Correct", "system": "Sys"})
    assert store.count("tasks") == 2


def test_an_answer_that_names_no_option_is_quarantined_naming_the_options(store, write_jsonl) -> None:
    """The detail of an answer that names no option listed the letters ("choices ['A', 'B', 'C', 'D']"), not what
    the options say, so "Sun" against "The Sun" could not be told from a typo without opening the file."""
    row = {"question": "Which is the closest star to Earth?", "options": ["Sirius", "The Sun", "Vega"], "answer": "Sun"}
    ingest_paths(store, [write_jsonl("stars.jsonl", [row])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:answer"
    assert "A. Sirius" in detail and "B. The Sun" in detail and "C. Vega" in detail, detail
    assert "['A', 'B', 'C']" not in detail
    long = {**row, "options": [f"A rather long option text number {i} that goes on" for i in range(8)]}
    ingest_paths(store, [write_jsonl("long.jsonl", [long])])
    (detail,) = store.query("SELECT detail FROM quarantine WHERE source_file LIKE '%long.jsonl'")["detail"]
    assert len(detail) < 400 and "..." in detail, detail


def test_an_option_text_answer_with_a_full_stop_names_that_option(store, write_jsonl) -> None:
    """An answer column holding an option's text with a full stop after it ("Dolphin." for the option "Dolphin") was
    quarantined "neither a choice letter, index nor choice text", while options listed in the prompt read it; the
    full stop is no part of the text. Two options that differ only by it still make the answer ambiguous."""
    rows = [
        {"question": "Which is a mammal?", "options": ["Shark", "Dolphin", "Trout"], "answer": "Dolphin."},
        {"question": "Which gas do plants use?", "options": ["Oxygen", "carbon dioxide"], "answer": "Carbon dioxide."},
    ]
    rep = ingest_paths(store, [write_jsonl("dot.jsonl", rows)])
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    assert sorted(store.query("SELECT answer FROM tasks").to_series().to_list()) == ["B", "B"]
