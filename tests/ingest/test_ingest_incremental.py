"""Incremental ingest (content hash in ingest_files, batch ids) and task dedup, within a run and against the DB."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig

BASE = [
    {
        "id": f"p{i}",
        "problem": f"A shop sells {i} apples and {i + 3} pears; how many fruits in total?",
        "answer": str(2 * i + 3),
    }
    for i in range(6)
]


def test_reingest_same_file_adds_nothing(store, write_jsonl) -> None:
    path = write_jsonl("a.jsonl", BASE)
    first = ingest_paths(store, [path])
    assert first.metadata["ingested"] == 6
    again = ingest_paths(store, [path])
    assert tuple(again.metadata[k] for k in ("read", "ingested", "skipped_files")) == (0, 0, [str(path.resolve())])
    assert store.count("tasks") == 6 and store.count("ingest_files") == 1


def test_changed_file_adds_only_new_tasks_with_a_new_batch(store, write_jsonl) -> None:
    path = write_jsonl("a.jsonl", BASE)
    b1 = ingest_paths(store, [path]).metadata["batch"]
    extra = {"id": "p99", "problem": "A completely new question about the moon's orbit period in days?", "answer": "27"}
    write_jsonl("a.jsonl", [*BASE, extra])
    rep = ingest_paths(store, [path])
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "duplicate", "quarantined")) == (7, 1, 6, 0)
    assert rep.metadata["duplicate_reasons"] == {"already_ingested": 6}
    new = store.read("tasks", where="ingest_batch = ?", params=[rep.metadata["batch"]])
    assert new["task_id"].to_list() == ["local/p99"]
    assert store.count("tasks", "ingest_batch = ?", [b1]) == 6
    assert store.count("task_duplicates") == 0  # unchanged rows are not "dropped"
    assert store.count("ingest_files") == 2


def test_a_file_changed_back_to_an_earlier_content_is_read_again(store, write_jsonl) -> None:
    """A file corrected (answer 5 -> 7), then put back as it first was: the third ingest found the content among the
    ones read before and skipped the file "unchanged", and the task kept the answer of the second file, which the
    file no longer holds. What counts is the content a path had at its last reading."""
    rows = [dict(BASE[1]), dict(BASE[2])]
    path = write_jsonl("a.jsonl", rows)
    ingest_paths(store, [path])
    write_jsonl("a.jsonl", [{**rows[0], "answer": "7"}, rows[1]])
    assert ingest_paths(store, [path]).metadata["updated"] == 1
    write_jsonl("a.jsonl", rows)  # back as first ingested
    rep = ingest_paths(store, [path])
    assert rep.metadata["skipped_files"] == [] and rep.metadata["updated"] == 1
    answers = dict(store.query("SELECT task_id, answer FROM tasks").iter_rows())
    assert answers == {"local/p1": "5", "local/p2": "7"}
    again = ingest_paths(store, [path])
    assert again.metadata["skipped_files"] == [str(path.resolve())] and again.metadata["read"] == 0


def test_changed_prompt_under_a_stored_id_is_quarantined(store, write_jsonl) -> None:
    path = write_jsonl("a.jsonl", BASE[:2])
    ingest_paths(store, [path])
    write_jsonl("a.jsonl", [BASE[0], {**BASE[1], "problem": "Edited question text about something else?"}])
    rep = ingest_paths(store, [path])
    assert rep.metadata["quarantine_reasons"] == {"id_conflict": 1}
    assert rep.metadata["read"] == rep.metadata["ingested"] + rep.metadata["quarantined"] + rep.metadata["duplicate"]
    # the detail says what to do (it named the conflict alone, and the wrong stored task stayed with no way out)
    (detail,) = store.query("SELECT detail FROM quarantine WHERE reason = 'id_conflict'")["detail"].to_list()
    assert "keeps its prompt" in detail and "new id" in detail and "fresh store" in detail, detail


def test_same_id_twice_in_one_run(store, write_jsonl) -> None:
    rows = [
        BASE[0],
        {**BASE[0], "problem": "Another prompt reusing the id p0 for no good reason?"},
        {**BASE[0], "note": "ignored"},  # the same task again (another answer: `conflicting_answers`, elsewhere)
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined", "duplicate")) == (1, 1, 1)
    assert store.read("quarantine")["reason"].to_list() == ["duplicate_id"]
    d = store.read("task_duplicates").row(0, named=True)
    assert (d["duplicate_of"], d["reason"], d["score"]) == ("local/p0", "dedup:exact", 1.0)


def test_exact_and_near_duplicates_within_a_run(store, write_jsonl) -> None:
    long_q = (
        "A ladder 13 metres long leans against a vertical wall. Its foot is 5 metres from the wall on level "
        "ground. How high up the wall does the ladder reach, and what angle does it make with the ground?"
    )
    rows = [
        {"problem": long_q, "answer": "12"},
        {"problem": "  " + long_q.upper().replace(". ", ".  "), "answer": "12"},  # exact after normalisation
        {"problem": long_q.replace("leans against", "is leaning on"), "answer": "12"},  # near duplicate
        {"problem": long_q.replace("13", "17").replace("5 metres", "8 metres"), "answer": "15"},  # other numbers
        {"problem": "An unrelated question on the boiling point of water at sea level in kelvin?", "answer": "373"},
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (3, 2)
    d = store.read("task_duplicates", order_by="source_row")
    kept = store.read("tasks", where="source_row = 0")["task_id"][0]
    assert d["source_row"].to_list() == [1, 2]
    assert d["reason"].to_list() == ["dedup:exact", "dedup:near_duplicate"]
    assert d["duplicate_of"].to_list() == [kept, kept]
    assert 0.9 <= d["score"][1] < 1.0


def test_near_duplicate_of_a_stored_task_in_a_later_file(store, write_jsonl) -> None:
    q = (
        "Two cyclists start 60 km apart and ride towards each other at 12 km/h and 18 km/h. After how many hours "
        "do they meet, and how far has the slower cyclist ridden by then?"
    )
    ingest_paths(store, [write_jsonl("a.jsonl", [{"id": "orig", "problem": q, "answer": "2"}])], source="s1")
    later = [
        {"id": "copy", "problem": q.replace("ride towards", "cycle towards"), "answer": "2"},
        {"id": "exact", "problem": q.lower(), "answer": "2"},
        {"id": "new", "problem": "How many edges does a cube have in total, counting each once?", "answer": "12"},
    ]
    rep = ingest_paths(store, [write_jsonl("b.jsonl", later)], source="s2")
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (1, 2)
    d = store.read("task_duplicates", order_by="task_id")
    assert d["task_id"].to_list() == ["s2/copy", "s2/exact"]
    assert d["duplicate_of"].to_list() == ["s1/orig", "s1/orig"]
    assert d["reason"].to_list() == ["dedup:near_duplicate", "dedup:exact"]


def test_mcq_same_stem_other_choices_is_not_a_duplicate(store, write_jsonl) -> None:
    rows = [
        {"question": "Which of the following is a noble gas?", "choices": ["Neon", "Iron", "Salt"], "answer": 0},
        {"question": "Which of the following is a noble gas?", "choices": ["Argon", "Zinc", "Sand"], "answer": 0},
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (2, 0)


def test_dedup_can_be_switched_off(store, write_jsonl) -> None:
    q = "Ten people shake hands with each other exactly once at a party. How many handshakes happen in total?"
    rows = [{"problem": q, "answer": "45"}, {"problem": q.replace("exactly once", "once"), "answer": "45"}]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)], cfg=IngestConfig(dedup=False))
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (2, 0)


def test_similar_prompts_with_different_answers_or_constraints_are_different_tasks(store, write_jsonl) -> None:
    """Near-duplicate task dedup only merges prompts that share verifier, answer and verifier args."""
    stem = "Write a short paragraph about {t} in no more than 40 words, all in lowercase, mentioning {w}."
    rows = [
        {
            "id": "a",
            "prompt": stem.format(t="tidal energy", w="patience"),
            "verifier": "ifeval",
            "verifier_args": {"constraints": [{"type": "include_keywords", "keywords": ["patience"]}]},
        },
        {
            "id": "b",
            "prompt": stem.format(t="tidal energies", w="patience"),
            "verifier": "ifeval",
            "verifier_args": {"constraints": [{"type": "include_keywords", "keywords": ["patience"]}]},
        },  # same constraints, one-letter topic edit: a duplicate
        {
            "id": "c",
            "prompt": stem.format(t="tidal energy", w="balance"),
            "verifier": "ifeval",
            "verifier_args": {"constraints": [{"type": "include_keywords", "keywords": ["balance"]}]},
        },  # another constraint: another task
        {
            "id": "d",
            "problem": "Farid has 90 marbles and gives away a third of them. How many are left now?",
            "answer": "60",
        },
        {
            "id": "e",
            "problem": "Farid has 90 marbles and gives away a third of them. How many are left over?",
            "answer": "61",
        },  # a different answer: kept (the near-duplicate link would lose a labelled task)
    ]
    rep = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["local/a", "local/c", "local/d", "local/e"]
    assert rep.metadata["duplicate_reasons"] == {"dedup:near_duplicate": 1}


# The same MCQ with its options in another order (two collections of one benchmark, one of them shuffled): before,
# the dedup text held the options by letter and the near-duplicate group held the answer's letter, so both copies
# were kept, and one could land in the training split and the other in validation.
NOBLE = "Which of the following is a noble gas?"


def test_mcq_with_its_options_reordered_is_a_duplicate(store, write_jsonl) -> None:
    rows = [
        {"question": NOBLE, "choices": ["Neon", "Iron", "Salt", "Wood"], "answer": "A"},
        {"question": NOBLE, "choices": ["Iron", "Salt", "Neon", "Wood"], "answer": "C"},
        {"question": NOBLE, "choices": ["Wood", "Neon", "Iron", "Salt"], "answer": "B"},
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows[:2])])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (1, 1)
    assert store.read("task_duplicates")["reason"].to_list() == ["dedup:exact"]
    # and against the stored task, from a later file
    rep = ingest_paths(store, [write_jsonl("b.jsonl", rows[2:])])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (0, 1)
    (kept,) = store.read("tasks").iter_rows(named=True)
    assert kept["answer"] == "A" and kept["prompt"].endswith("A. Neon\nB. Iron\nC. Salt\nD. Wood")


def test_mcq_same_options_another_answer_is_kept_apart_by_its_id(store, write_jsonl) -> None:
    """Reordered options with the same right option merge; the prompt hash (ids, re-ingest) still follows the
    options as lettered, so a source id keeps naming its own row."""
    rows = [
        {"id": "q1", "question": NOBLE, "choices": ["Neon", "Iron"], "answer": "A"},
        {"id": "q1", "question": NOBLE, "choices": ["Iron", "Neon"], "answer": "B"},
    ]
    ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert store.read("quarantine")["reason"].to_list() == ["duplicate_id"]


def test_mcq_reworded_with_its_options_reordered_is_a_near_duplicate(store, write_jsonl) -> None:
    """The near-duplicate group of an MCQ is its right option's text and its options' texts, not their letters."""
    stem = "Which one of the following elements is a noble gas at room temperature and normal pressure?"
    rows = [
        {"question": stem, "choices": ["Neon", "Iron", "Salt", "Wood"], "answer": "A"},
        {
            "question": stem.replace("one of the following", "of the following"),
            "choices": ["Iron", "Salt", "Neon", "Wood"],
            "answer": "C",
        },
        # the same options, another right one: another task
        {
            "question": stem.replace("elements", "chemical elements"),
            "choices": ["Iron", "Salt", "Neon", "Wood"],
            "answer": "A",
        },
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (2, 1)
    assert store.read("task_duplicates")["reason"].to_list() == ["dedup:near_duplicate"]


MBPP_LIKE = [  # MBPP keeps its prompt in `text`, which ingest never takes as the prompt unasked
    {
        "task_id": i,
        "text": f"Write a function add{i}(x) that returns x plus {i}.",
        "test_list": [f"assert add{i}(1) == {i + 1}"],
    }
    for i in range(3)
]


def test_a_file_is_read_again_when_its_source_settings_change(store, write_jsonl) -> None:
    """The quarantine names the fix (`--map prompt=text`); applied, the same file must be read again, not skipped as
    unchanged (it was, and the rows never arrived), and the rows' quarantine records must go."""
    path = write_jsonl("mbpp.jsonl", MBPP_LIKE)
    first = ingest_paths(store, [path])
    assert first.metadata["quarantine_reasons"] == {"missing_field:prompt": 3}
    fixed = ingest_paths(store, [path], mapping={"prompt": "text"})
    assert tuple(fixed.metadata[k] for k in ("read", "ingested", "quarantined")) == (3, 3, 0)
    assert fixed.metadata["skipped_files"] == [] and fixed.metadata["files"][0]["reread"] == "settings changed"
    assert any("read again" in line and "settings changed" in line for line in fixed.summary)
    assert store.count("tasks") == 3 and store.count("quarantine") == 0
    assert store.count("ingest_files") == 1  # one row per file content, holding the settings it was last read with
    again = ingest_paths(store, [path], mapping={"prompt": "text"})
    assert again.metadata["skipped_files"] == [str(path.resolve())] and again.metadata["read"] == 0


def test_ingest_settings_that_decide_rows_read_a_file_again(store, write_jsonl) -> None:
    rows = [{"problem": "Solve the following equation for x.", "answer": "3"}, *BASE[:2]]
    path = write_jsonl("a.jsonl", rows)
    assert ingest_paths(store, [path]).metadata["quarantine_reasons"] == {"needs_context": 1}
    rep = ingest_paths(store, [path], cfg=IngestConfig(check_context=False))
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "duplicate")) == (3, 1, 2)
    assert rep.metadata["duplicate_reasons"] == {"already_ingested": 2} and store.count("quarantine") == 0
    # what does not change a row (how much raw text the quarantine keeps, the batch size) reads nothing again
    same = ingest_paths(store, [path], cfg=IngestConfig(check_context=False, raw_truncate_chars=10, batch_rows=7))
    assert same.metadata["read"] == 0


def test_a_changed_file_replaces_its_quarantine_records(store, write_jsonl) -> None:
    """A row fixed in the file becomes a task; its old quarantine record went only when another bad row happened to
    take its row number, so `quarantine` listed rows that were tasks."""
    bad = {"id": "b1", "problem": "", "answer": "1"}
    path = write_jsonl("a.jsonl", [*BASE[:2], bad, {**bad, "id": "b2"}])
    assert ingest_paths(store, [path]).metadata["quarantined"] == 2
    write_jsonl("a.jsonl", [*BASE[:2], {**bad, "problem": "What is one times one?"}])
    rep = ingest_paths(store, [path])
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (1, 0)
    assert store.count("quarantine") == 0


def test_files_ingested_before_settings_were_recorded_are_not_read_again(store, write_jsonl) -> None:
    """A store from an older thinkmill has no settings for its files: an upgrade alone re-reads nothing."""
    path = write_jsonl("a.jsonl", BASE)
    ingest_paths(store, [path])
    with store.writing() as w:
        w.execute("UPDATE ingest_files SET settings_hash = NULL")
    rep = ingest_paths(store, [path], mapping={"prompt": "problem"})
    assert rep.metadata["read"] == 0 and rep.metadata["unrecorded_files"] == [str(path.resolve())]
    assert any("skipped" in line and "--reread" in line for line in rep.summary), rep.summary


def test_reread_reads_an_unchanged_file_again(store, write_jsonl) -> None:
    """After an upgrade that reads rows differently, or a verifier plugin installed: `reread=True`."""
    path = write_jsonl("a.jsonl", [*BASE[:2], {"problem": "What is 2 + 2?", "answer": "4", "verifier": "plugin_v"}])
    assert ingest_paths(store, [path]).metadata["quarantine_reasons"] == {"unknown_verifier:plugin_v": 1}
    rep = ingest_paths(store, [path], cfg=IngestConfig(extra_verifiers=["plugin_v"]), reread=True)
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "duplicate")) == (3, 1, 2)
    assert rep.metadata["files"][0]["reread"] == "settings changed"
    rep = ingest_paths(store, [path], cfg=IngestConfig(extra_verifiers=["plugin_v"]), reread=True)
    assert rep.metadata["read"] == 3 and rep.metadata["files"][0]["reread"] == "asked"
    assert store.count("quarantine") == 0 and store.count("tasks") == 3


def test_quarantine_share_counts_the_latest_reading_of_a_file(store, write_jsonl) -> None:
    """A file read again replaces its quarantine records; its rows read must be the latest reading's too, not the
    sum over every version of the file (which halved the share of a file edited once)."""
    from pipeline.checks import evaluate_quarantine_share
    from pipeline.config import ChecksConfig

    good = [
        {"id": f"g{i}", "problem": f"What is {i} plus {i + 7}, written as a number?", "answer": str(2 * i + 7)}
        for i in range(20)
    ]
    path = write_jsonl("a.jsonl", good)
    ingest_paths(store, [path])
    write_jsonl("a.jsonl", [*good[:12], *({"id": f"b{i}", "problem": "", "answer": "1"} for i in range(8))])
    ingest_paths(store, [path])
    finding = evaluate_quarantine_share(store, ChecksConfig(max_quarantine_share=0.3))
    row = finding.metadata["per_source"].row(0, named=True)
    assert (row["quarantined"], row["rows_read"]) == (8, 20) and not finding.passed


def test_a_run_without_dedup_reads_no_unchanged_file_again(store, write_jsonl) -> None:
    """`--no-dedup` decides how one run's rows are compared; it must not read every known file again (and add the
    near duplicates dedup dropped from them before)."""
    path = write_jsonl("a.jsonl", BASE)
    ingest_paths(store, [path])
    assert ingest_paths(store, [path], cfg=IngestConfig(dedup=False)).metadata["read"] == 0


def test_a_licence_given_later_is_taken_by_the_stored_tasks(store, write_jsonl) -> None:
    """`license:` added to a source reads its files again (a reading setting); the rows are already stored, and the
    stored tasks must take the licence, which the dataset card and the Hub publish: read again and left `null`, the
    file's summary said so while nothing changed."""
    path = write_jsonl("a.jsonl", BASE)
    ingest_paths(store, [path])
    rep = ingest_paths(store, [path], license="cc-by-4.0")
    assert rep.metadata["duplicate_reasons"] == {"already_ingested": 6} and rep.metadata["relicensed"] == 6
    assert any("6 stored tasks took this run's licence" in line for line in rep.summary), rep.summary
    assert store.read("tasks")["license"].unique().to_list() == ["cc-by-4.0"]
    # a row without a licence leaves the stored one as it is
    write_jsonl("a.jsonl", [*BASE, {"problem": "What is 1 + 1?", "answer": "2"}])
    assert ingest_paths(store, [path]).metadata["relicensed"] == 0
    assert store.count("tasks", "license = 'cc-by-4.0'") == 6


def test_a_domain_given_later_is_reported_not_taken(store, write_jsonl) -> None:
    """A stored task keeps its domain (taking another would change its requests: every sample generated again, and
    paid for); a reading that gives another one says so instead of counting the rows as plainly already ingested."""
    path = write_jsonl("a.jsonl", BASE)
    ingest_paths(store, [path])
    rep = ingest_paths(store, [path], defaults={"domain": "arithmetic"})
    assert rep.metadata["other_domain"] == 6
    assert any("6 stored tasks keep their domain" in line for line in rep.summary), rep.summary
    assert store.read("tasks")["domain"].unique().to_list() == ["math"]


def test_a_system_prompt_given_later_is_reported_not_taken(store, write_jsonl) -> None:
    """A system prompt mapped after the rows were stored (`mapping: {system: ...}` reads the file again) is sent with
    every request, so taking it would generate every sample again, as a domain would; the stored tasks keep theirs.
    The reading must say so: the rows were counted as plainly already ingested, and the dataset's rows went on
    without the system turn the user had just mapped."""
    rows = [{**r, "sys": "Answer in French."} for r in BASE]
    path = write_jsonl("a.jsonl", rows)
    ingest_paths(store, [path])
    rep = ingest_paths(store, [path], mapping={"system": "sys"})
    assert rep.metadata["duplicate_reasons"] == {"already_ingested": 6}
    assert rep.metadata["other_system"] == 6 and rep.metadata["other_domain"] == 0
    assert any("6 stored tasks keep their system prompt" in line for line in rep.summary), rep.summary
    assert store.read("tasks")["system"].null_count() == 6
    # read again, it says so again: the stored tasks still hold none
    assert ingest_paths(store, [path], mapping={"system": "sys"}, reread=True).metadata["other_system"] == 6


# A prompt that lists its own options keeps them (no second list is appended), and the dedup text only dropped
# the block ingest appends: such a question and its shuffled copy, or the same item with its options appended by
# ingest, were all kept.
RINGS = "Which planet in our solar system is known for its prominent ring system?"


def _listed(options: list[str], mark: str = "{}) ", sep: str = "\n") -> str:
    return RINGS + sep + sep.join(mark.format(letter) + o for letter, o in zip("ABCD", options, strict=False))


@pytest.mark.parametrize(
    "copy",
    [
        _listed(["Saturn", "Mercury", "Venus", "Mars"]),  # shuffled, the same layout
        _listed(["Saturn", "Mercury", "Venus", "Mars"], "({}) "),  # shuffled, `(A)` lettering
        _listed(["Mars", "Venus", "Saturn", "Mercury"], "({}) ", " "),  # the options inline after the question
        RINGS + "\nOptions:\n(A) Mars\n(B) Venus\n(C) Saturn\n(D) Mercury",  # BIG-Bench Hard's heading
        RINGS + "\n\nA. Mercury\nB. Saturn\nC. Venus\nD. Mars",  # ingest's own layout
    ],
)
def test_mcq_whose_prompt_lists_its_options_is_a_duplicate_in_any_layout(store, write_jsonl, copy) -> None:
    first = _listed(["Mars", "Venus", "Saturn", "Mercury"])
    rows = [{"prompt": first, "answer": "C"}, {"prompt": copy, "answer": "Saturn"}]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (1, 1)
    assert store.read("task_duplicates")["reason"].to_list() == ["dedup:exact"]
    # the same item from a choices column, in a later file: a duplicate of the stored one
    later = {"question": RINGS, "choices": ["Venus", "Saturn", "Mars", "Mercury"], "answer": "B"}
    rep = ingest_paths(store, [write_jsonl("b.jsonl", [later])])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (0, 1)


def test_mcq_listing_other_options_in_its_prompt_stays_another_task(store, write_jsonl) -> None:
    rows = [
        {"prompt": _listed(["Mars", "Venus", "Saturn", "Mercury"]), "answer": "C"},
        {"prompt": _listed(["Mars", "Venus", "Saturn", "Jupiter"]), "answer": "C"},
    ]
    rep = ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    assert tuple(rep.metadata[k] for k in ("ingested", "duplicate")) == (2, 0)
