"""MCQ files that put the right answer in a fixed column (GPQA's `Correct Answer` before `Incorrect Answer 1..3`):
mapped as the options in that order, every answer is A, and a fine-tune learns the position instead of the
answer, though each row on its own is right. Such a file stops the ingest; `shuffle_choices: true` shuffles each
task's options (deterministically) before letters are given."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.choices import LETTERS
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.errors import IngestError

GPQA_MAP = {
    "prompt": "Question",
    "answer": "Correct Answer",
    "choices": ["Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"],
}


def _gpqa(n: int) -> list[dict]:
    return [
        {
            "id": f"rec{i}",
            "Question": f"Which particle number {i} carries the weak force?",
            "Correct Answer": f"W boson {i}",
            "Incorrect Answer 1": f"photon {i}",
            "Incorrect Answer 2": f"gluon {i}",
            "Incorrect Answer 3": f"graviton {i}",
        }
        for i in range(n)
    ]


def test_a_file_whose_answers_all_sit_in_one_position_is_refused(store, write_jsonl) -> None:
    with pytest.raises(IngestError, match=r"gpqa\.jsonl: 40 of 40 MCQ answers are A.*shuffle_choices"):
        ingest_paths(store, [write_jsonl("gpqa.jsonl", _gpqa(40))], mapping=GPQA_MAP)
    assert store.read("tasks").height == 0


def test_shuffle_choices_spreads_the_answers_and_keeps_each_row_right(store, write_jsonl) -> None:
    path = write_jsonl("gpqa.jsonl", _gpqa(40))
    rep = ingest_paths(store, [path], mapping=GPQA_MAP, shuffle_choices=True)
    assert rep.metadata["ingested"] == 40
    tasks = store.read("tasks").sort("task_id")
    letters = Counter(tasks["answer"].to_list())
    assert len(letters) == 4 and max(letters.values()) < 20, letters
    for t in tasks.iter_rows(named=True):
        choices = json.loads(t["verifier_args"])["choices"]
        i = t["task_id"].removeprefix("local/rec")
        assert choices[t["answer"]] == f"W boson {i}"  # the letter names the right option
        assert sorted(choices.values()) == sorted([f"W boson {i}", f"photon {i}", f"gluon {i}", f"graviton {i}"])
        # the prompt shows the shuffled options, in letter order
        assert t["prompt"].endswith("\n".join(f"{k}. {choices[k]}" for k in LETTERS[: len(choices)]))
    # deterministic: the same file gives the same letters in another store
    again = store.read("tasks").select("task_id", "answer", "prompt")
    ingest_paths(store, [path], mapping=GPQA_MAP, shuffle_choices=True)  # unchanged file: nothing new
    assert store.read("tasks").select("task_id", "answer", "prompt").equals(again)


def test_shuffle_choices_false_keeps_the_positions(store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("gpqa.jsonl", _gpqa(40))], mapping=GPQA_MAP, shuffle_choices=False)
    assert rep.metadata["ingested"] == 40 and set(store.read("tasks")["answer"]) == {"A"}


def test_a_small_or_balanced_file_is_not_refused(store, write_jsonl) -> None:
    assert ingest_paths(store, [write_jsonl("few.jsonl", _gpqa(5))], mapping=GPQA_MAP).metadata["ingested"] == 5
    words = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "po", "ri", "su") for b in ("tan", "vel", "wor", "xis", "yum")]
    rows = [
        {
            "question": f"Is {words[i]} a {words[-i - 1]} of {words[(i * 3) % 35]}?",
            "choices": ["w", "x", "y", "z"],
            "answer": LETTERS[i % 4],
        }
        for i in range(20)
    ]
    assert ingest_paths(store, [write_jsonl("mmlu.jsonl", rows)]).metadata["ingested"] == 20


def test_shuffle_cannot_reorder_options_the_prompt_lists(store, write_jsonl) -> None:
    row = {"question": "Pick one.\nA. red\nB. blue", "choices": ["red", "blue"], "answer": "A"}
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [row])], shuffle_choices=True)
    assert rep.metadata["quarantined"] == 1
    (detail,) = store.read("quarantine")["detail"].to_list()
    assert "lists the options" in detail


def test_shuffle_choices_is_a_source_setting() -> None:
    assert SourceConfig(name="g", path="x.csv", shuffle_choices=True).shuffle_choices is True


@pytest.mark.parametrize(
    "options",
    [
        ["mitochondria", "ribosome", "Both A and B", "Neither A nor B"],  # options that name other options
        ["mitochondria", "ribosome", "nucleus", "All of the above"],  # one that names the options above it
        ["mitochondria", "ribosome", "A, B and C", "None of the above"],
        ["mitochondria", "ribosome", "(A) and (B)", "chloroplast"],
        ["mitochondria", "ribosome", "nucleus", "none of the options above"],
    ],
)
def test_options_that_refer_to_other_options_keep_their_order(store, write_jsonl, options) -> None:
    """Shuffled, `Both A and B` would name two other options and `All of the above` stand above some of them:
    the reference would change meaning while the letter still marks it right. Such a row keeps its order; the
    file's other rows are shuffled."""
    plain = [
        {"id": f"plain{i}", "question": f"Which particle number {i} carries the weak force?",
         "choices": [f"W boson {i}", f"photon {i}", f"gluon {i}", f"graviton {i}"], "answer": "A"}
        for i in range(12)
    ]  # fmt: skip
    rows = [{"id": "ref", "question": "Which organelle holds DNA?", "choices": options, "answer": "C"}, *plain]
    rep = ingest_paths(store, [write_jsonl("mixed.jsonl", rows)], shuffle_choices=True)
    assert rep.metadata["ingested"] == 13
    tasks = {t["task_id"]: t for t in store.read("tasks").iter_rows(named=True)}
    ref = tasks["local/ref"]
    assert list(json.loads(ref["verifier_args"])["choices"].values()) == options and ref["answer"] == "C"
    assert "names other options" in json.loads(ref["metadata"])["choices_order_kept"]  # said on the task
    shuffled = [t for k, t in tasks.items() if k != "local/ref"]
    assert {t["answer"] for t in shuffled} != {"A"}  # the others are shuffled
    assert not any("choices_order_kept" in json.loads(t["metadata"]) for t in shuffled)


@pytest.mark.parametrize(
    ("options", "refers"),
    [
        (["Vitamin C", "Type I and II", "red", "blue"], False),
        (["x = 1", "x = 2", "x = 1 or x = 2", "no solution"], False),  # not option letters
        (["U and V", "V", "W", "X"], False),  # letters that are no options of this row
        (["red", "blue", "B or C", "green"], True),
        (["red", "blue", "green", "None of these above"], True),
    ],
)
def test_which_options_name_other_options(options: list[str], refers: bool) -> None:
    from pipeline.ingest.choices import refers_to_options

    assert refers_to_options(dict(zip(LETTERS, options, strict=False))) is refers


def test_small_files_of_one_source_are_checked_together(store, tmp_path, write_jsonl) -> None:
    """A folder of small files (one per topic, 10 questions each, generated with the right answer first) passed
    the check file by file (under 20 rows each), so the position went through silently."""
    rows = _gpqa(40)
    paths = [write_jsonl(f"topics/topic{i}.jsonl", rows[10 * i : 10 * i + 10]) for i in range(4)]
    want = r"source 'local' \(4 files\): 40 of 40 MCQ answers are A: its files hold.*shuffle_choices"
    with pytest.raises(IngestError, match=want):
        ingest_paths(store, [paths[0].parent], mapping=GPQA_MAP)
    assert store.read("tasks").height == 0
    # one small file on its own is not enough to tell
    assert ingest_paths(store, [paths[0]], mapping=GPQA_MAP).metadata["ingested"] == 10


def test_small_files_of_one_source_ingested_in_separate_runs_are_checked_with_the_stored_tasks(
    store, write_jsonl
) -> None:
    """A refresh that adds a small file a day (10 questions, right answer first) passed the check run by run: each
    run's rows are now counted with the source's stored MCQ tasks."""
    rows = _gpqa(40)
    assert ingest_paths(store, [write_jsonl("day1.jsonl", rows[:10])], mapping=GPQA_MAP).metadata["ingested"] == 10
    want = r"source 'local': 20 of 20 MCQ answers are A \(10 stored, 10 in this run\): its stored tasks and this run"
    with pytest.raises(IngestError, match=want):
        ingest_paths(store, [write_jsonl("day2.jsonl", rows[10:20])], mapping=GPQA_MAP)
    assert store.read("tasks").height == 10
    # another source's stored tasks are not counted; shuffled new rows spread the letters and pass
    other = ingest_paths(store, [write_jsonl("day2.jsonl", rows[10:20])], source="other", mapping=GPQA_MAP)
    assert other.metadata["ingested"] == 10
    shuffled = ingest_paths(store, [write_jsonl("day3.jsonl", rows[20:40])], mapping=GPQA_MAP, shuffle_choices=True)
    assert shuffled.metadata["ingested"] == 20
