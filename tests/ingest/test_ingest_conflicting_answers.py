"""The same prompt given twice with different answers. Exact dedup kept the first row and recorded the other as its
duplicate, so a 50/50 pick decided the reference ("Tom has 5 apples ... ?" with 12 in one row and 13 in another kept
13 when that row came first), and nothing told the user that the labels disagree. Now every row of such a group is
quarantined `conflicting_answers`, naming another row of the group; against a stored task, the new rows are
quarantined and the stored task stays. Rows of one prompt with the same answer are still plain duplicates."""

from __future__ import annotations

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig

Q = "Tom has 5 apples and buys 7 more. How many apples does he have?"


def test_rows_of_one_prompt_with_different_answers_are_quarantined(store, write_jsonl) -> None:
    rows = [
        {"id": "a", "question": Q, "answer": "13"},
        {"id": "b", "question": Q, "answer": "12"},
        {"id": "c", "question": Q.upper(), "answer": "12"},  # the same prompt once normalised, the same answer as b
        {"id": "d", "question": "What is 6 times 7?", "answer": "42"},
        {"id": "e", "question": "What is 6 times 7?", "answer": "42"},
    ]
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert store.query("SELECT task_id FROM tasks")["task_id"].to_list() == ["local/d"]
    quarantined = dict(store.query("SELECT source_row, reason FROM quarantine").rows())
    assert quarantined == {0: "conflicting_answers", 1: "conflicting_answers", 2: "conflicting_answers"}
    details = store.query("SELECT detail FROM quarantine ORDER BY source_row")["detail"].to_list()
    assert all("another answer, verifier or verifier args" in d for d in details)
    assert "local/b" in details[0] or "local/c" in details[0]
    assert report.metadata["quarantine_reasons"] == {"conflicting_answers": 3}
    assert store.query("SELECT task_id, duplicate_of FROM task_duplicates").rows() == [("local/e", "local/d")]


def test_a_new_row_disagreeing_with_a_stored_task_is_quarantined(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "question": Q, "answer": "12"}])])
    ingest_paths(store, [write_jsonl("two.jsonl", [{"id": "x", "question": Q, "answer": "13"}])])
    assert store.query("SELECT task_id, answer FROM tasks").rows() == [("local/a", "12")]
    reason, detail = store.query("SELECT reason, detail FROM quarantine").row(0)
    assert reason == "conflicting_answers" and "local/a" in detail and "stored" in detail


def test_each_row_names_a_row_that_disagrees_with_it(store, write_jsonl) -> None:
    """A new row that agrees with the stored task names the row that does not, never the task it agrees with."""
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "question": Q, "answer": "12"}])])
    rows = [{"id": "x", "question": Q, "answer": "13"}, {"id": "y", "question": Q, "answer": "12"}]
    ingest_paths(store, [write_jsonl("two.jsonl", rows)])
    details = dict(store.query("SELECT source_row, detail FROM quarantine").rows())
    assert "stored with another answer, verifier or verifier args as local/a" in details[0]
    assert "given in this run with another answer, verifier or verifier args as local/x" in details[1]


def test_without_dedup_nothing_is_compared(store, write_jsonl) -> None:
    rows = [{"id": "a", "question": Q, "answer": "13"}, {"id": "b", "question": Q, "answer": "12"}]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)], cfg=IngestConfig(dedup=False))
    assert store.count("tasks") == 2


def test_one_id_given_twice_with_different_answers_is_quarantined(store, write_jsonl) -> None:
    """The same id and prompt twice in one file: the second row was `dedup:exact` of the first, whatever its answer."""
    rows = [
        {"id": "a", "question": Q, "answer": "12"},
        {"id": "a", "question": Q, "answer": "13"},
        {"id": "b", "question": "What is 6 times 7?", "answer": "42"},
        {"id": "b", "question": "What is 6 times 7?", "answer": "42"},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert store.query("SELECT task_id FROM tasks")["task_id"].to_list() == ["local/b"]
    assert dict(store.query("SELECT source_row, reason FROM quarantine").rows()) == {
        0: "conflicting_answers",
        1: "conflicting_answers",
    }
    assert store.query("SELECT reason FROM task_duplicates")["reason"].to_list() == ["dedup:exact"]
    details = store.query("SELECT detail FROM quarantine")["detail"].to_list()
    assert all("given in this run with another answer, verifier or verifier args as local/a" in d for d in details)
    # the same again once local/a is stored with a third answer: still a conflict within this run's rows
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "question": Q, "answer": "14"}])])
    ingest_paths(store, [write_jsonl("t.jsonl", rows[:2])])
    assert store.query("SELECT answer FROM tasks WHERE task_id = 'local/a'").item() == "14"
    details = store.query("SELECT detail FROM quarantine WHERE source_file LIKE '%t.jsonl'")["detail"].to_list()
    assert len(details) == 2 and all("given in this run" in d for d in details)


# One label written two ways is no conflict: merging two copies of a set (GSM8K from two mirrors, MATH beside
# NuminaMath) gives the same prompt "3/4" in one and "0.75" in the other, or "24" and "24.0" (a float column). Every
# such row was quarantined `conflicting_answers`, "one of the labels is wrong", and the task was lost. Answers that the
# task's verifier accepts each against the other (math, numeric, exact) are one label: the first row is the task, the
# others its duplicates.
HALF = "What is 1/2 + 1/4?"
SPIDERS = "How many legs do 3 spiders have?"


def test_one_label_written_two_ways_is_no_conflict(store, write_jsonl) -> None:
    rows = [
        {"question": HALF, "answer": "3/4"},  # hash ids: one task id for both rows (the same-id path)
        {"question": HALF, "answer": "0.75"},
        {"id": "s1", "question": SPIDERS, "answer": "24"},  # two ids: the dedup path
        {"id": "s2", "question": SPIDERS, "answer": "24.0"},
        {"id": "c1", "question": "What is the capital of France?", "answer": "Paris", "verifier": "exact"},
        {"id": "c2", "question": "What is the capital of France?", "answer": "paris", "verifier": "exact"},
    ]
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert report.metadata["quarantine_reasons"] == {}
    assert sorted(store.query("SELECT answer FROM tasks")["answer"].to_list()) == ["24", "3/4", "Paris"]
    dups = store.query("SELECT duplicate_of, reason FROM task_duplicates ORDER BY duplicate_of").rows()
    assert [(d, r) for d, r in dups if not d.startswith("local/h")] == [
        ("local/c1", "dedup:exact"),
        ("local/s1", "dedup:exact"),
    ]
    assert sum(d.startswith("local/h") for d, _ in dups) == 1


def test_labels_that_differ_in_value_still_conflict(store, write_jsonl) -> None:
    rows = [
        {"question": HALF, "answer": "3/4"},
        {"question": HALF, "answer": "0.75"},
        {"question": HALF, "answer": "0.8"},  # one of three is another value: every row is in doubt
        {"id": "s1", "question": SPIDERS, "answer": "24"},
        {"id": "s2", "question": SPIDERS, "answer": "24", "verifier": "exact"},  # another verifier: another label
        {"id": "t1", "question": "How many legs do 4 spiders have?", "answer": "32"},
        {"id": "t2", "question": "How many legs do 4 spiders have?", "answer": "32.0"},
        {"id": "t3", "question": "How many legs do 4 spiders have?", "answer": "30"},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert store.count("tasks") == 0
    assert store.count("quarantine", "reason = 'conflicting_answers'") == 8


def test_a_new_row_writing_a_stored_label_another_way_is_no_conflict(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "question": HALF, "answer": "3/4"}])])
    report = ingest_paths(store, [write_jsonl("two.jsonl", [{"id": "x", "question": HALF, "answer": "0.75"}])])
    assert report.metadata["quarantine_reasons"] == {}
    assert store.query("SELECT task_id, answer FROM tasks").rows() == [("local/a", "3/4")]
    assert store.query("SELECT task_id, duplicate_of FROM task_duplicates").rows() == [("local/x", "local/a")]
    # and rows of one stored id, written two ways, are the stored task already
    rows = [{"id": "a", "question": HALF, "answer": "0.75"}, {"id": "a", "question": HALF, "answer": "3/4"}]
    report = ingest_paths(store, [write_jsonl("three.jsonl", rows)])
    assert report.metadata["quarantine_reasons"] == {} and report.metadata["duplicate_reasons"] == {
        "already_ingested": 2
    }
    assert store.query("SELECT answer FROM tasks WHERE task_id = 'local/a'").item() == "3/4"


def test_plain_number_labels_are_compared_without_the_verifier() -> None:
    """A merge of two copies gives one label pair per task: plain numbers are compared exactly in Python (the
    verifier took ~1.7 ms a pair: 100k pairs were minutes); anything else goes to the verifier."""
    from fractions import Fraction

    from pipeline.ingest.commit import _plain_number

    cases = {"24": 24, "24.0": 24, "1,000": 1000, "-3.5": Fraction(-7, 2), "3/4": Fraction(3, 4)}
    cases |= {"\\frac{3}{4}": Fraction(3, 4), "$\\dfrac{3}{4}$": Fraction(3, 4), "-\\frac{1}{2}": Fraction(-1, 2)}
    cases |= {"$5$": 5, "5 cm": None, "50%": None, "x = 2": None, "3/0": None, "1,5": None, "\\sqrt{2}": None}
    assert {t: _plain_number(t) for t in cases} == cases


def test_a_latex_fraction_and_its_decimal_are_one_label(store, write_jsonl) -> None:
    rows = [{"id": "a", "question": HALF, "answer": "\\frac{3}{4}"}, {"id": "b", "question": HALF, "answer": "0.75"}]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert store.query("SELECT task_id, answer FROM tasks").rows() == [("local/a", "\\frac{3}{4}")]


def test_a_stored_label_written_another_way_under_its_id_changes_nothing(store, write_jsonl) -> None:
    """One row of a stored id and prompt whose answer is the stored label written otherwise ("3/4" -> "0.75", a float
    column's "24.0") is the stored task already: before, it was a corrected answer (`updated`), and the task's
    verdicts, trace selections and audits were removed, so every one of its responses was judged again for nothing."""
    first = [{"id": "a", "question": HALF, "answer": "3/4"}, {"id": "s", "question": SPIDERS, "answer": "24"}]
    ingest_paths(store, [write_jsonl("one.jsonl", first)])
    store.execute(
        "INSERT INTO verdicts (generation_key, task_id, mode, verifier, passed, created_at) "
        "VALUES ('g1', 'local/a', 'think', 'math', true, now()), ('g2', 'local/s', 'think', 'math', true, now())"
    )
    again = [{"id": "a", "question": HALF, "answer": "0.75"}, {"id": "s", "question": SPIDERS, "answer": "25"}]
    report = ingest_paths(store, [write_jsonl("two.jsonl", again)])
    assert report.metadata["updated"] == 1  # 25 is another value: that one is a corrected answer
    assert report.metadata["duplicate_reasons"] == {"already_ingested": 1}
    assert dict(store.query("SELECT task_id, answer FROM tasks").rows()) == {"local/a": "3/4", "local/s": "25"}
    assert store.query("SELECT task_id FROM verdicts").rows() == [("local/a",)]


# The same question as near duplicates (spacing, `\$` for `$`, a period) whose labels are one label written two ways:
# the near-duplicate group was hashed from the raw answer, and only exact links were settled as one label, so each
# spelling of the answer kept its own task (duplicate training rows; copies could land in train and validation).
DUCKS = (
    "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends "
    "every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in "
    "dollars does she make every day at the farmers' market?"
)


def test_near_duplicates_whose_labels_are_one_label_are_one_task(store, write_jsonl) -> None:
    rows = [
        {"id": "a", "question": DUCKS, "answer": "18"},
        {"id": "b", "question": DUCKS + " ", "answer": "18.0"},  # exact once normalised
        {"id": "c", "question": DUCKS.replace("per day.", "per day ."), "answer": "18.0"},  # near
        {"id": "d", "question": DUCKS.replace("per day.", "per day ."), "answer": "18"},
        {"id": "e", "question": DUCKS.replace("$2", "\\$2"), "answer": "\\$18"},
        {"id": "f", "question": "Compute $\\frac{1}{2} + \\frac{1}{3}$.", "answer": "5/6"},
        {"id": "g", "question": "Compute $\\frac{1}{2} + \\frac{1}{3}$", "answer": "\\frac{5}{6}"},
        {"id": "h", "question": "Compute $\\frac{1}{2} + \\frac{1}{3}$ !", "answer": "$\\dfrac{10}{12}$"},
        {
            "id": "p",
            "question": "Name the capital city of France, in one word.",
            "answer": "Paris",
            "verifier": "exact",
        },
        {"id": "q", "question": "Name the capital city of France in one word.", "answer": "PARIS", "verifier": "exact"},
    ]
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert report.metadata["quarantine_reasons"] == {}
    assert store.query("SELECT task_id, answer FROM tasks ORDER BY task_id").rows() == [
        ("local/a", "18"),
        ("local/f", "5/6"),
        ("local/p", "Paris"),
    ]
    dups = dict(store.query("SELECT task_id, duplicate_of FROM task_duplicates").rows())
    assert dups == {
        "local/b": "local/a",
        "local/c": "local/a",
        "local/d": "local/a",
        "local/e": "local/a",
        "local/g": "local/f",
        "local/h": "local/f",
        "local/q": "local/p",
    }


def test_a_later_near_duplicate_writing_a_stored_label_otherwise_is_a_duplicate(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "question": DUCKS, "answer": "18"}])])
    later = [
        {"id": "x", "question": DUCKS.replace("per day.", "per day ."), "answer": "18.00"},
        {"id": "y", "question": DUCKS.replace("$2", "\\$2"), "answer": "$18$"},
    ]
    report = ingest_paths(store, [write_jsonl("two.jsonl", later)])
    assert report.metadata["ingested"] == 0 and report.metadata["quarantine_reasons"] == {}
    assert store.query("SELECT task_id, duplicate_of FROM task_duplicates ORDER BY task_id").rows() == [
        ("local/x", "local/a"),
        ("local/y", "local/a"),
    ]


def test_near_duplicates_with_another_value_stay_apart_and_exact_ones_conflict(store, write_jsonl) -> None:
    """ "18" and "18.0" are one label; "18" and "19" are not: a near copy with 19 is another task (as any near copy
    with another answer), an exact copy with 19 is a conflict."""
    rows = [
        {"id": "a", "question": DUCKS, "answer": "18"},
        {"id": "b", "question": DUCKS.replace("per day.", "per day ."), "answer": "19"},
        {"id": "c", "question": "What is 6 times 7?", "answer": "42"},
        {"id": "d", "question": "What is 6 times 7?", "answer": "42.0"},
        {"id": "e", "question": "What is 6 times 7?", "answer": "43"},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert sorted(store.query("SELECT task_id FROM tasks")["task_id"].to_list()) == ["local/a", "local/b"]
    assert dict(store.query("SELECT source_row, reason FROM quarantine").rows()) == {
        2: "conflicting_answers",
        3: "conflicting_answers",
        4: "conflicting_answers",
    }


def test_the_sql_answer_key_reads_plain_numbers_as_plain_number_does(store) -> None:
    """The near-duplicate group reads a math answer's value in SQL (`_answer_key_sql`): it must give one key exactly
    where `_plain_number` gives one value, or a group would merge two labels the verifier tells apart."""
    import itertools
    import random
    import re

    import polars as pl

    from pipeline.ingest.commit import _answer_key_sql, _plain_number

    rng = random.Random(7)
    heads = ["", "$", "\\$", " ", "\\", "$ ", "\t"]
    signs = ["", "-", "+", "--"]
    ints = ["0", "7", "18", "007", "1,000", "1,00", "12,345,678", "1000", "99999999999999999999"]
    decimals = ["", ".0", ".50", ".", ".125", ".000"]
    denominators = ["", "/4", " / 2", "/0", "/ 10", "/3/4", "/"]
    tails = ["", "$", " ", "$ ", "x", "\\$", " cm", "%", "\n"]
    plain = [
        h + s + i + d + q + t
        for h, s, i, d, q, t in itertools.product(heads, signs, ints, decimals, denominators, tails)
    ]
    commands = ["\\frac", "\\dfrac", "\\tfrac", "\\Frac", "frac"]
    latex = [
        h + s + c + "{" + a + "}" + sp + "{" + b + "}" + t
        for h, s, c, a, b, sp, t in itertools.product(
            heads, ["", "-", "+"], commands, ["1", " 10 ", "1,0", "x"], ["2", "0", " 12"], ["", " "], tails
        )
    ]
    # a number of more than 30 digits is compared as written (a HUGEINT holds 38; the label check still reads it)
    too_long = ["1" * 31, "1." + "0" * 30]
    answers = [*rng.sample(plain, 6000), *latex, *too_long]
    keys = store.query(
        f"SELECT {_answer_key_sql('verifier', 'answer', 'va')} AS k FROM _a",
        frames={
            "_a": pl.DataFrame({"answer": answers, "verifier": "math", "va": None}, schema_overrides={"va": pl.String})
        },
    )["k"].to_list()
    found = 0
    values: dict[str, set[object]] = {}
    for answer, key in zip(answers, keys, strict=True):
        value = _plain_number(answer)
        values.setdefault(key, set()).add(answer if value is None else value)
        if value is None or answer in too_long:
            assert key == answer, answer  # not a plain number: compared as written
        elif not re.search(r"[.,/$\\+ ]", answer):
            assert key == answer, answer  # an integer without those characters is not parsed ("007" stays)
        else:
            assert key == str(value), answer  # "18", "-7/2"
            found += 1
    assert found > 1000  # the generator makes plenty of both kinds
    assert all(len(v) == 1 for v in values.values())  # one key, one value: no two labels merged
    # and the other verifiers: an exact answer case-folded only where its verifier folds case
    rows = pl.DataFrame(
        {
            "answer": ["PaRis", "PaRis", "\\text{Paris}", "Ärger", "18.0", "18.0"],
            "verifier": ["exact", "exact", "exact", "exact", "exact", "judge"],
            "va": [None, '{"case_sensitive": true}', None, None, None, None],
        }
    )
    keys = store.query(f"SELECT {_answer_key_sql('verifier', 'answer', 'va')} AS k FROM _a", frames={"_a": rows})["k"]
    assert keys.to_list() == ["paris", "PaRis", "\\text{Paris}", "Ärger", "18.0", "18.0"]
