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


def _sums(options: list, answers: list) -> list[dict]:
    return [
        {"question": f"Which value is right in problem {i}?", "options": options, "answer": a}
        for i, a in enumerate(answers)
    ]


@pytest.mark.parametrize("options", [[3, 5, 7, 9], ["3", "5", "7", "9"]])
def test_integer_answers_that_are_the_options_values_stop_the_ingest(store, write_jsonl, options) -> None:
    """`options: [3, 5, 7, 9], answer: 7` gives the option's value, not an index: read as an index, 3 named D (9), a
    wrong key the verifier then rewards, while 5, 7 and 9 were quarantined as out of range. Before, the file went
    through with its 3s keyed D."""
    path = write_jsonl("sums.jsonl", _sums(options, [7, 3, 5, 9, 3]))
    with pytest.raises(IngestError, match=r"sums\.jsonl.*option.*text.*integer_answer: text.*answer_index_base: 0"):
        ingest_paths(store, [path])
    assert store.read("tasks").height == 0  # nothing of the run is committed


@pytest.mark.parametrize("options", [[3, 5, 7, 9], ["3", "5", "7", "9"]])
def test_integer_answer_text_reads_the_options_values(store, write_jsonl, options) -> None:
    path = write_jsonl("sums.jsonl", _sums(options, [7, 3, 5, "9", 4]))
    rep = ingest_paths(store, [path], integer_answer="text")
    assert rep.metadata["ingested"] == 4 and rep.metadata["quarantined"] == 1
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "C", "D"]
    assert "4 is no option's text" in store.read("quarantine")["detail"][0]


def test_numeric_options_with_index_answers_stay_indexes(store, write_jsonl) -> None:
    """MMLU's layout: the answer is a 0-based index, also where the options are numbers (answer 1 of ["1", "2", "3",
    "4"] is B); a file with an index that is no option's text (0) is read so, as before."""
    rows = _sums(["1", "2", "3", "4"], [1, 0, 3]) + _sums(["10", "20", "30", "40"], [2])
    rep = ingest_paths(store, [write_jsonl("mmlu.jsonl", rows)])
    assert rep.metadata["ingested"] == 4
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "C", "D"]


NUMBERED = ["1. 5", "2. 2", "3. 7", "4. 9"]


def test_numbered_options_with_0_based_answers_stop_the_ingest(store, write_jsonl) -> None:
    """Options numbered from 1 (`1. 5`) make a digit answer the option's number; a file whose answers include 0
    counts from 0, so its 1 meant B (2), not A (5). Before, the 0s were quarantined and every other row went through
    keyed one option early."""
    path = write_jsonl("numbered.jsonl", _sums(NUMBERED, [0, 1, 2, 1]))
    with pytest.raises(IngestError, match=r"numbered\.jsonl.*numbered.*answer 0.*answer_index_base: 0"):
        ingest_paths(store, [path])
    assert store.read("tasks").height == 0


@pytest.mark.parametrize(("base", "want"), [(0, ["A", "B", "B", "C"]), (1, ["A", "A", "B", "D"])])
def test_numbered_options_follow_the_answer_index_base_set(store, write_jsonl, base, want) -> None:
    answers = [0, 1, 2, 1] if base == 0 else [1, 2, 4, 1]
    rep = ingest_paths(store, [write_jsonl("numbered.jsonl", _sums(NUMBERED, answers))], answer_index_base=base)
    assert rep.metadata["ingested"] == 4, store.read("quarantine").rows()
    assert sorted(store.read("tasks")["answer"].to_list()) == want


def test_numbered_options_without_a_0_keep_reading_numbers(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("numbered.jsonl", _sums(NUMBERED, [1, "2", 4]))])
    assert rep.metadata["ingested"] == 3
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "D"]


def test_a_digit_answer_that_is_an_option_and_an_index_names_the_setting(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("sums.jsonl", _sums(["3", "5", "7", "9"], ["3", "7"]))])
    assert sorted(store.read("tasks")["answer"].to_list()) == ["C"]  # "7": only option C's text
    [detail] = store.read("quarantine")["detail"].to_list()
    assert "ambiguous" in detail and "integer_answer: text" in detail


def test_a_list_of_one_integer_is_that_index(store, write_jsonl) -> None:
    """lm-eval's AGIEval files give the index in a list (`"gold": [2]`), as a list of two gives a multi-select's
    indexes (`[1, 3]`). Before, the one integer became the text "2", which also reads as option B's text: the row
    was quarantined as ambiguous (with options that do not hold "2", a digit text read as an index anyway)."""
    rows = [
        {
            "query": "Q: If 3x+2=11, what is x? Answer Choices: (A)1 (B)2 (C)3 (D)4\nA: Among A through D, the "
            "answer is",
            "choices": ["(A)1", "(B)2", "(C)3", "(D)4"],
            "gold": [2],
        },
        {"query": "Which planet is red?", "choices": ["Venus", "Mars"], "gold": [1]},
    ]
    rep = ingest_paths(store, [write_jsonl("agieval.jsonl", rows)], mapping={"prompt": "query", "answer": "gold"})
    assert rep.metadata["ingested"] == 2, store.read("quarantine").rows()
    assert sorted(store.read("tasks")["answer"].to_list()) == ["B", "C"]


def test_a_1_based_file_with_numeric_options_is_named_1_based(store, write_jsonl) -> None:
    """An answer equal to the number of choices is one past the last 0-based index: the sign of a 1-based file, even
    where it is also an option's text (4 of ["2", "4", "6", "8"]); the error names answer_index_base: 1."""
    rows = _sums(["2", "4", "6", "8"], [4]) + _sums(["1", "2", "3", "4"], [2, 1, 3])
    with pytest.raises(IngestError, match=r"look 1-based"):
        ingest_paths(store, [write_jsonl("quiz.jsonl", rows)])


def _listed(answers: list) -> list[dict]:
    return [
        {"question": f"Which value is right in problem {i}?\n1. 5\n2. 2\n3. 7\n4. 9", "answer": a}
        for i, a in enumerate(answers)
    ]


def test_options_numbered_in_the_prompt_with_0_based_answers_stop_the_ingest(store, write_jsonl) -> None:
    """Options the prompt numbers from 1 are named by their numbers, as those of an options column: a file whose
    answers include 0 (no option's number) counts from 0, and its 1 meant B."""
    path = write_jsonl("numbered.jsonl", _listed([0, 1, 3, 4]))
    with pytest.raises(IngestError, match=r"numbered\.jsonl.*numbered.*answer 0.*answer_index_base: 0"):
        ingest_paths(store, [path])
    assert store.read("tasks").height == 0


def test_options_numbered_in_the_prompt_follow_the_answer_index_base_set(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("numbered.jsonl", _listed([0, 1, 3]))], answer_index_base=0)
    assert rep.metadata["ingested"] == 3, store.read("quarantine").rows()
    assert sorted(store.read("tasks")["answer"].to_list()) == ["A", "B", "D"]


@pytest.mark.parametrize(
    ("rows", "unsettled"),
    [
        # every integer answer is an index and another option's text: nothing in the file tells which is meant
        ([([2, 1, 0, 3], 2), ([5, 3, 4, 1], 3)], True),
        # one answer is no option's text: the file's integers are indexes
        ([([2, 1, 0, 3], 2), (["Paris", "Rome"], 1)], False),
        # an index that is its own option's text reads the same both ways
        ([([0, 1, 2, 3], 2)], False),
    ],
)
def test_index_seen_tells_a_file_whose_integers_all_read_two_ways(rows, unsettled) -> None:
    """Options `[2, 1, 0, 3]` with answer 2 read as index 2 (`0`, C) while 2 is option A's text: a file of only such
    rows went through read as indexes, silently. `IndexSeen.unsettled` says so at the end of the file (the staging
    loop must stop there, as for `looks_one_based`)."""
    from pipeline.ingest.choices import IndexSeen, parse_choices, resolve_answer

    seen = IndexSeen()
    for options, answer in rows:
        resolve_answer(answer, parse_choices(options), None, seen)
    why = seen.unsettled()
    assert (why is not None) == unsettled, why
    if unsettled:
        assert "integer_answer: text" in why and "answer_index_base: 0" in why, why


def test_a_file_whose_every_integer_answer_reads_two_ways_stops_the_ingest(store, write_jsonl) -> None:
    """Options that are small numbers and every integer answer both an index and another option's text: nothing in
    the file says which is meant, and read as indexes silently, every row's key named another option if the file
    meant values. The file stops, naming both settings; either one set reads it."""
    rows = [
        {"question": "Pick the smallest prime.", "options": [2, 1, 0, 3], "answer": 2},
        {"question": "Pick the number of sides of a triangle.", "options": [5, 3, 4, 1], "answer": 3},
    ]
    path = write_jsonl("nums.jsonl", rows)
    with pytest.raises(IngestError, match=r"nums\.jsonl: every integer MCQ answer read as an index is also"):
        ingest_paths(store, [path])
    assert store.count("tasks") == 0
    ingest_paths(store, [path], integer_answer="text")
    assert sorted(store.read("tasks")["answer"]) == ["A", "B"]
