"""MCQ answers given as 1-based indexes (Winogrande's "1"/"2", many exported quizzes): read 0-based they name the
next option, a wrong reference the verifier then rewards; only the rows naming the last option were quarantined,
so most rows went through shifted. A file whose answers look 1-based stops the ingest; `answer_index_base: 1`
reads it right."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.errors import IngestError

WINOGRANDE = [
    {
        "sentence": "The trophy does not fit in the suitcase because _ is too big.",
        "option1": "trophy",
        "option2": "suitcase",
        "answer": "1",
    },
    {
        "sentence": "The trophy does not fit in the suitcase because _ is too small.",
        "option1": "trophy",
        "option2": "suitcase",
        "answer": "2",
    },
    {
        "sentence": "Ann asked Mary what time the library closes, because _ had forgotten.",
        "option1": "Ann",
        "option2": "Mary",
        "answer": "1",
    },
]
WINO_MAP = {"prompt": "sentence", "choices": ["option1", "option2"]}


def _quiz(answers: list[int]) -> list[dict]:
    return [
        {
            "question": f"Question {i}: which planet is number {a}?",
            "choices": ["Mercury", "Venus", "Earth", "Mars"],
            "answer": a,
        }
        for i, a in enumerate(answers)
    ]


def test_winogrande_answers_are_refused_as_0_based(store, write_jsonl) -> None:
    path = write_jsonl("wino.jsonl", WINOGRANDE)
    with pytest.raises(IngestError, match=r"wino\.jsonl.*1-based.*answer_index_base"):
        ingest_paths(store, [path], mapping=WINO_MAP)
    assert store.read("tasks").height == 0  # nothing of the run is committed


def test_winogrande_with_answer_index_base_1(store, write_jsonl) -> None:
    path = write_jsonl("wino.jsonl", WINOGRANDE)
    rep = ingest_paths(store, [path], mapping=WINO_MAP, answer_index_base=1)
    assert rep.metadata["ingested"] == 3, rep.metadata
    answers = dict(zip(*store.read("tasks").select("prompt", "answer").to_dict(as_series=False).values(), strict=True))
    assert [answers[p] for p in sorted(answers)] == ["A", "A", "B"]  # Ann, trophy (too big), suitcase (too small)


@pytest.mark.parametrize("answers", [[1, 2, 3, 4, 2, 1], [4, 4, 2]])
def test_integer_answers_up_to_the_number_of_choices_are_refused(store, write_jsonl, answers) -> None:
    with pytest.raises(IngestError, match=r"1-based"):
        ingest_paths(store, [write_jsonl("quiz.jsonl", _quiz(answers))])


def test_0_based_answers_still_go_through(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("quiz.jsonl", _quiz([0, 1, 2, 3, 1]))])
    assert rep.metadata["ingested"] == 5
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "B", "C", "D"]


def test_a_0_based_file_with_a_bad_row_quarantines_the_row(store, write_jsonl) -> None:
    # an out-of-range answer beside a 0 is a bad row, not a 1-based file
    rep = ingest_paths(store, [write_jsonl("quiz.jsonl", _quiz([0, 1, 4]))])
    assert rep.metadata["ingested"] == 2 and rep.metadata["quarantined"] == 1


def test_answer_index_base_1_reads_integers_from_one(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("quiz.jsonl", _quiz([1, 4, 2, 0]))], answer_index_base=1)
    assert rep.metadata["ingested"] == 3 and rep.metadata["quarantined"] == 1  # 0 is outside 1..4
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "D"]
    assert "outside 1..4" in store.read("quarantine")["detail"][0]


def test_a_csv_index_written_as_a_float_is_an_index(store, tmp_path) -> None:
    """pandas writes an integer column with an empty cell as floats (`1.0`), and `to_csv` writes them so: such an
    index names its option as `1` does (a Parquet float 1.0 did already). Before, every row of such a CSV was
    quarantined "answer '1.0' is neither a choice letter, index nor choice text"."""
    p = tmp_path / "quiz.csv"
    p.write_text(
        "question,choices,answer\n"
        "Which planet is red?,\"['Venus', 'Mars', 'Jupiter']\",1.0\n"
        "Which gas do plants absorb?,\"['Oxygen', 'Carbon dioxide', 'Helium']\",1.0\n"
        "Which is a mammal?,\"['Whale', 'Shark', 'Trout']\",0.0\n"
        "Which number is written 1.0?,\"['1.0', '2.5', '0.5']\",1.0\n",
        encoding="utf-8",
    )
    ingest_paths(store, [p])
    got = dict(store.read("tasks").select("prompt", "answer").iter_rows())
    assert {k.split("\n")[0]: v for k, v in got.items()} == {
        "Which planet is red?": "B",
        "Which gas do plants absorb?": "B",
        "Which is a mammal?": "A",
    }
    # an option whose own text is the answer and another that its index names: ambiguous, as for "2"
    assert [(r, "ambiguous" in d) for r, d in store.read("quarantine").select("reason", "detail").rows()] == [
        ("invalid_value:answer", True)
    ]
