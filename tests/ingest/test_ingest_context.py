"""Reading-comprehension rows: the text a question is about must be part of the prompt. RACE keeps it in `article`
(MCTest in `story`, MultiRC in `paragraph`); before, it went to metadata and the model was asked
"According to the passage, why did Tom leave?" without the passage, and a lucky guess passed the MCQ verifier."""

from __future__ import annotations

import json

import polars as pl
import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig, SourceConfig

ARTICLE = (
    "Tom had lived in the small town for ten years. Every morning he walked his dog past the bakery, and every "
    "morning the baker waved. One winter the bakery closed, and the baker moved to the city to look after her "
    "mother. Tom missed the smell of bread so much that he learned to bake it himself."
)
RACE = {
    "example_id": "high1.txt",
    "article": ARTICLE,
    "question": "According to the passage, why did Tom learn to bake?",
    "options": ["He wanted a job.", "He missed the smell of bread.", "His dog liked bread.", "The baker asked him."],
    "answer": "B",
}


def _tasks(store):
    return {t["task_id"]: t for t in store.read("tasks").iter_rows(named=True)}


def _quarantine(store):
    return store.read("quarantine").select("reason", "detail").rows()


@pytest.mark.parametrize("column", ["article", "story", "paragraph"])
def test_a_reading_texts_column_is_part_of_the_prompt(store, write_jsonl, column) -> None:
    row = {**RACE, column: RACE["article"]} if column != "article" else RACE
    if column != "article":
        del row["article"]
    ingest_paths(store, [write_jsonl("race.jsonl", [row])])
    (task,) = _tasks(store).values()
    assert task["prompt"].startswith(f"{RACE['question']}\n\n{ARTICLE}\n\n")
    assert "B. He missed the smell of bread." in task["prompt"] and task["answer"] == "B"
    assert column not in json.loads(task["metadata"])


def test_mapping_context_names_the_column_of_the_text(store, write_jsonl) -> None:
    rows = [
        {"id": "a", "q": "What did Tom learn, according to the passage?", "doc": ARTICLE, "a": "to bake"},
        {"id": "b", "q": "Why did the bakery close, according to the passage?", "doc": None, "a": "her mother"},
        {"id": "c", "q": "Who waved, according to the passage?", "doc": " ", "a": "the baker"},
    ]
    mapping = {"prompt": "q", "answer": "a", "context": "doc"}
    ingest_paths(store, [write_jsonl("qa.jsonl", rows)], mapping=mapping, defaults={"verifier": "exact"})
    assert _tasks(store)["local/a"]["prompt"] == f"{rows[0]['q']}\n\n{ARTICLE}"
    # the column the user named holds each row's text: a row without one cannot be answered
    assert sorted(_quarantine(store)) == [
        ("missing_field:context", "'doc' is empty in this row"),
        ("missing_field:context", "'doc' is empty in this row"),
    ]


def test_mapping_context_takes_several_columns(store, write_jsonl) -> None:
    row = {"question": "What do plants need, by the facts?", "fact1": "Plants need light.", "fact2": "Light is energy."}
    ingest_paths(
        store,
        [write_jsonl("qasc.jsonl", [{**row, "answer": "energy"}])],
        mapping={"context": ["fact1", "fact2"]},
        defaults={"verifier": "exact"},
    )
    (task,) = _tasks(store).values()
    assert task["prompt"] == f"{row['question']}\n\nPlants need light.\n\nLight is energy."


def test_a_prompt_that_refers_to_a_text_left_in_another_column_is_quarantined(store, write_jsonl) -> None:
    rows = [
        # the passage is in a column no rule knows: the model would be asked about a text it never sees
        {"id": "r1", "question": "According to the passage, why did Tom learn to bake?", "doc": ARTICLE, "answer": "x"},
        # the passage is in the prompt; the long column is an explanation, not the text
        {
            "id": "r2",
            "question": f"Read the passage.\n\n{ARTICLE}\n\nAccording to the passage, who waved?",
            "explanation": ARTICLE,
            "answer": "the baker",
        },
        # no text anywhere to point at: nothing to suggest (kept)
        {"id": "r3", "question": "In the story, who waved?", "answer": "the baker"},
        # a short column is not a left-out passage
        {"id": "r4", "question": "In this article, who waved?", "note": "easy", "answer": "the baker"},
    ]
    ingest_paths(store, [write_jsonl("rc.jsonl", rows)])
    ((reason, detail),) = _quarantine(store)
    assert reason == "needs_context"
    assert "'According to the passage'" in detail and "'doc'" in detail and "--map context=doc" in detail
    assert sorted(_tasks(store)) == ["local/r2", "local/r3", "local/r4"]


def test_check_context_false_keeps_such_rows(store, write_jsonl) -> None:
    row = {"question": "According to the passage, why did Tom learn to bake?", "doc": ARTICLE, "answer": "x"}
    rep = ingest_paths(store, [write_jsonl("rc.jsonl", [row])], cfg=IngestConfig(check_context=False))
    assert rep.metadata["ingested"] == 1


def test_the_fast_path_sends_such_rows_to_the_check(store, write_jsonl) -> None:
    """Plain problem/answer rows take the bulk path; one that refers to a passage is checked all the same."""
    rows = [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(50)]
    rows.append({"problem": "According to the article, how many years?", "answer": "10", "text_body": ARTICLE})
    rep = ingest_paths(store, [write_jsonl("mix.jsonl", rows)])
    assert rep.metadata["ingested"] == 50 and [r for r, _ in _quarantine(store)] == ["needs_context"]


def test_mapping_context_is_validated() -> None:
    SourceConfig(name="s", path="x.jsonl", mapping={"context": ["a", "b"]})
    with pytest.raises(ValueError, match="only `choices` and `context`"):
        SourceConfig(name="s", path="x.jsonl", mapping={"prompt": ["a", "b"]})


def test_a_story_that_is_the_tasks_target_is_not_added_to_the_prompt(store, write_jsonl) -> None:
    """WritingPrompts: `prompt` and the `story` written for it. The story is what the task asks for, not a text the
    prompt is about: in the prompt, the model would be handed the answer."""
    row = {"prompt": "[WP] You wake up able to hear plants think.", "story": ARTICLE}
    ingest_paths(store, [write_jsonl("wp.jsonl", [row])], defaults={"verifier": "judge"})
    (task,) = _tasks(store).values()
    assert task["prompt"] == row["prompt"] and json.loads(task["metadata"])["story"] == ARTICLE


SVAMP = {
    "ID": "chal-1",
    "Body": "Each pack of dvds costs 76 dollars. If there is a discount of 25 dollars on each pack",
    "Question": "How much do you have to pay to buy each pack?",
    "Answer": 51.0,
}


def test_a_context_named_column_left_out_of_a_mapped_prompt_is_quarantined(store, write_jsonl) -> None:
    """SVAMP: `Body` holds the facts and `Question` the question. Mapped `prompt=Question`, the model was asked "How
    much do you have to pay to buy each pack?" without the prices."""
    path = write_jsonl("svamp.jsonl", [SVAMP])
    ingest_paths(store, [path], mapping={"prompt": "Question", "answer": "Answer"})
    ((reason, detail),) = _quarantine(store)
    assert reason == "needs_context" and "'Body'" in detail and "--map context=Body" in detail
    again = write_jsonl("svamp-again.jsonl", [SVAMP])
    ingest_paths(store, [again], mapping={"prompt": "Question", "answer": "Answer", "context": "Body"})
    (task,) = _tasks(store).values()
    assert task["prompt"] == f"{SVAMP['Question']}\n\n{SVAMP['Body']}" and task["answer"] == "51.0"


DREAM = {
    "dialogue_id": "5-510",
    "dialogue": [
        "M: I am considering dropping my dancing class. I am not making any progress.",
        "W: If I were you, I stick with it. It's definitely worth time and effort.",
    ],
    "question": "What does the man suggest the woman do?",
    "choice": ["Consult her dancing teacher.", "Take a more interesting class.", "Continue her dancing class."],
    "answer": "Continue her dancing class.",
}


@pytest.mark.parametrize("mapping", [None, {"choices": "choice"}])
def test_a_dialogue_left_out_of_the_prompt_is_quarantined(store, write_jsonl, mapping) -> None:
    """DREAM: the question is about the `dialogue` (a list of turns). Before, it was asked without it ("What does the
    man suggest the woman do?"), and mapped as an MCQ a guess that matched trained the fine-tune."""
    ingest_paths(store, [write_jsonl("dream.jsonl", [DREAM])], mapping=mapping)
    ((reason, detail),) = _quarantine(store)
    assert reason == "needs_context" and "--map context=dialogue" in detail
    again = write_jsonl("dream-again.jsonl", [DREAM])
    ingest_paths(store, [again], mapping={"choices": "choice", "context": "dialogue"})
    (task,) = _tasks(store).values()
    turns = "\n\n".join(DREAM["dialogue"])
    assert task["prompt"].startswith(f"{DREAM['question']}\n\n{turns}\n\nA. Consult") and task["answer"] == "C"


def test_a_dialogue_that_is_the_task_is_not_context(store, write_jsonl) -> None:
    """A row without an answer or options (a chat corpus's `dialog`, judged): nothing is asked about it."""
    row = {"prompt": "Continue the conversation politely.", "dialog": ["A: Hi!", "B: Hello, how are you?"]}
    ingest_paths(store, [write_jsonl("dd.jsonl", [row])], defaults={"verifier": "judge"})
    assert _quarantine(store) == [] and len(_tasks(store)) == 1


@pytest.mark.parametrize(
    "row",
    [
        {"question": "Who waved?", "Background": ARTICLE, "answer": "the baker"},  # a capitalised name
        {"problem": "Is the claim true?", "premise": "All birds fly. Tweety is a bird.", "answer": "yes"},
        {"question": "Who waved?", "background": ARTICLE, "answer": "the baker"},
    ],
)
def test_a_context_named_column_in_any_case_is_not_left_out_silently(store, write_jsonl, row) -> None:
    rows = [row] + [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(30)]  # bulk path too
    rep = ingest_paths(store, [write_jsonl("ctx.jsonl", rows)])
    assert rep.metadata["ingested"] == 30 and [r for r, _ in _quarantine(store)] == ["needs_context"]


def test_a_capitalised_context_column_is_part_of_the_prompt(store, write_jsonl) -> None:
    rows = [{"question": "Who waved?", "Context": ARTICLE, "answer": "the baker"}]
    rows += [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(30)]  # bulk path too
    ingest_paths(store, [write_jsonl("ctx.jsonl", rows)], defaults={"verifier": "exact"})
    assert f"Who waved?\n\n{ARTICLE}" in {t["prompt"] for t in _tasks(store).values()}


def test_a_blank_context_named_column_is_no_context(store, write_jsonl) -> None:
    rep = ingest_paths(
        store, [write_jsonl("ctx.jsonl", [{"question": "What is 2 + 2?", "Context": " ", "answer": "4"}])]
    )
    assert rep.metadata["ingested"] == 1


HOTPOT = {
    "id": "5a7a0693",
    "question": "Which magazine was started first, Arthur's Magazine or First for Women?",
    "answer": "Arthur's Magazine",
    "context": {
        "title": ["Arthur's Magazine", "First for Women"],
        "sentences": [
            ["Arthur's Magazine (1844-1846) was an American literary periodical published in Philadelphia."],
            ["First for Women is a woman's magazine published by Bauer Media Group.", " It was started in 1989."],
        ],
    },
}
HOTPOT_TEXT = (
    "Arthur's Magazine\nArthur's Magazine (1844-1846) was an American literary periodical published in Philadelphia."
    "\n\nFirst for Women\nFirst for Women is a woman's magazine published by Bauer Media Group. It was started in 1989."
)


@pytest.mark.parametrize(
    "context",
    [
        HOTPOT["context"],  # the Hub's HotpotQA: {title: [...], sentences: [[...], ...]}
        [[t, s] for t, s in zip(HOTPOT["context"]["title"], HOTPOT["context"]["sentences"], strict=True)],  # its JSON
    ],
)
def test_hotpotqas_structured_context_is_part_of_the_prompt(store, write_jsonl, context) -> None:
    """HotpotQA's paragraphs are a structure, not a text: they went to metadata and the question was asked without
    them."""
    ingest_paths(store, [write_jsonl("hotpot.jsonl", [{**HOTPOT, "context": context}])])
    (task,) = _tasks(store).values()
    assert task["prompt"] == f"{HOTPOT['question']}\n\n{HOTPOT_TEXT}"
    assert "context" not in json.loads(task["metadata"] or "{}")


def test_a_list_of_passages_is_part_of_the_prompt_and_another_structure_is_quarantined(store, write_jsonl) -> None:
    rows = [
        {"id": "a", "question": "Who waved?", "passages": ["The baker waved.", "Tom walked."], "answer": "the baker"},
        {"id": "b", "question": "Who waved?", "context": {"doc": "The baker waved."}, "answer": "the baker"},
        {"id": "c", "question": "Who waved?", "doc": {"text": "The baker waved."}, "answer": "the baker"},
    ]
    ingest_paths(store, [write_jsonl("p.jsonl", rows[1:])])
    ingest_paths(store, [write_jsonl("m.jsonl", rows[:1] + rows[2:])], source="m", mapping={"context": "passages"})
    assert _tasks(store)["m/a"]["prompt"] == "Who waved?\n\nThe baker waved.\n\nTom walked."
    got = sorted(_quarantine(store))
    assert [r for r, _ in got] == ["missing_field:context", "wrong_type:context"], got
    assert "'context'" in got[1][1] and "--map context=" in got[1][1]


def test_pubmedqas_context_sections_are_part_of_the_prompt(store, write_jsonl) -> None:
    """PubMedQA's `context` is `{"contexts": [...], "labels": [...], "meshes": [...]}`: it went to metadata and
    "Do mitochondria play a role in remodelling lace plant leaves?" was asked without the abstract."""
    row = {
        "pubid": 21645374,
        "question": "Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?",
        "context": {
            "contexts": ["Programmed cell death (PCD) is the regulated death of cells.", "The lace plant forms holes."],
            "labels": ["BACKGROUND", "RESULTS"],
            "meshes": ["Mitochondria"],
        },
        "long_answer": "Results depicted mitochondrial dynamics in vivo as PCD progresses.",
        "final_decision": "yes",
    }
    ingest_paths(store, [write_jsonl("pubmedqa.jsonl", [row])], mapping={"answer": "final_decision"})
    (task,) = _tasks(store).values()
    context = "\n\n".join(row["context"]["contexts"])
    assert task["prompt"] == f"{row['question']}\n\n{context}\n\nA. yes\nB. no\nC. maybe"
    assert task["answer"] == "A"  # a yes/no/maybe question (test_ingest_option_columns)


@pytest.mark.parametrize(
    "context",
    [
        # pandas' to_csv of rows read as Python objects, and a JSON text
        "{'contexts': ['Programmed cell death is the regulated death of cells.', 'The lace plant forms holes.'], "
        "'labels': ['BACKGROUND', 'RESULTS'], 'meshes': ['Mitochondria']}",
        json.dumps(
            {"contexts": ["Programmed cell death is the regulated death of cells.", "The lace plant forms holes."]}
        ),
        # HotpotQA's paragraphs written so
        "{'title': ['Lace plant'], 'sentences': [['Programmed cell death is the regulated death of cells.', "
        "' The lace plant forms holes.']]}",
        # a list of passages (DREAM's dialogue turns), as JSON and as pandas writes a Python list: its text was added
        # as written, brackets and quotes and all
        json.dumps(["Programmed cell death is the regulated death of cells.", "The lace plant forms holes."]),
        "['Programmed cell death is the regulated death of cells.', 'The lace plant forms holes.']",
    ],
)
def test_a_structured_context_written_as_text_is_read_as_its_structure(store, tmp_path, context) -> None:
    """A CSV holds PubMedQA's (or HotpotQA's) context as the text of its object: it was added to the prompt as
    written, `{'contexts': [...], 'labels': [...], ...}` and all."""
    path = tmp_path / "pubmedqa.csv"
    pl.DataFrame(
        {"question": ["Do mitochondria remodel lace plant leaves?"], "context": [context], "answer": ["yes"]}
    ).write_csv(path)
    rep = ingest_paths(store, [path])
    assert rep.metadata["ingested"] == 1, store.read("quarantine").rows()
    (task,) = _tasks(store).values()
    assert "{" not in task["prompt"] and "'" not in task["prompt"], task["prompt"]
    assert "regulated death of cells." in task["prompt"] and "The lace plant forms holes." in task["prompt"]


def test_a_context_written_as_a_numpy_repr_is_quarantined(store, tmp_path) -> None:
    """`datasets`' to_pandas holds lists as numpy arrays, so to_csv writes `array([...], dtype=object)`: no literal
    to read back, and the prompt would carry it as written."""
    context = (
        "{'contexts': array(['Programmed cell death is the regulated death of cells.'], dtype=object), "
        "'labels': array(['BACKGROUND'], dtype=object)}"
    )
    path = tmp_path / "pubmedqa.csv"
    pl.DataFrame({"question": ["Do mitochondria remodel leaves?"], "context": [context], "answer": ["yes"]}).write_csv(
        path
    )
    ingest_paths(store, [path])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:context" and "'context'" in detail and "Parquet" in detail, detail


@pytest.mark.parametrize("context", ['{"name": "Ada", "age": 36}', "[1, 2, 3]", "{x | x > 0}"])
def test_a_context_that_is_data_stays_as_written(store, tmp_path, context) -> None:
    """An object or list of another shape is the text the question is about (a JSON record to read)."""
    path = tmp_path / "data.csv"
    pl.DataFrame(
        {"question": ["How old is the person in the record?"], "context": [context], "answer": ["36"]}
    ).write_csv(path)
    ingest_paths(store, [path])
    (task,) = _tasks(store).values()
    assert task["prompt"].endswith(context)


def test_scienceqas_hint_is_not_left_out_silently(store, write_jsonl) -> None:
    """ScienceQA keeps the text many questions are about in `hint` ("The passage below describes an experiment...");
    "Identify the question that Madelyn's experiment can best answer." was asked without it."""
    hint = (
        "The passage below describes an experiment. Madelyn applied wax to the bottom of one snowboard and not another."
    )
    rows = [
        {
            "question": "Identify the question that Madelyn's experiment can best answer.",
            "hint": hint,
            "choices": ["Does wax make a snowboard faster?", "Do snowboards break?"],
            "answer": 0,
        },
        {"question": "Which word is a noun?", "hint": "", "choices": ["run", "table"], "answer": 1},
    ]
    ingest_paths(store, [write_jsonl("sqa.jsonl", rows)])
    ((reason, detail),) = _quarantine(store)
    assert reason == "needs_context" and "--map context=hint" in detail
    ingest_paths(store, [write_jsonl("sqa2.jsonl", rows[:1])], source="s2", mapping={"context": "hint"})
    assert f"{rows[0]['question']}\n\n{hint}\n\nA. " in "\n".join(t["prompt"] for t in _tasks(store).values())


def test_context_optional_adds_a_mapped_context_where_a_row_has_one(store, write_jsonl, tmp_path) -> None:
    """ScienceQA's `hint` holds the passage for some rows and is empty for most: with `--map context=hint` every row
    without one was quarantined `missing_field:context` (8 of 10 lost), without it the rows with one `needs_context`,
    and `check_context: false` dropped the passages silently. `context_optional` adds it where present."""
    hint = (
        "The passage below describes an experiment. Madelyn applied wax to the bottom of one snowboard and not another."
    )
    rows = [
        {"question": "Identify the question that Madelyn's experiment can best answer.", "hint": hint,
         "choices": ["Does wax make a snowboard faster?", "Do snowboards break?"], "answer": 0},
        {"question": "Which word is a noun?", "hint": "", "choices": ["run", "table"], "answer": 1},
        {"question": "Which word is a verb?", "hint": None, "choices": ["run", "table"], "answer": 0},
        {"question": "Which animal has fur?", "choices": ["cat", "fish"], "answer": 0},
        # a prompt about a passage its row does not hold is still refused
        {"question": "According to the passage, what did Madelyn apply?", "hint": "", "choices": ["wax", "oil"],
         "answer": 0},
    ]  # fmt: skip
    path = write_jsonl("sqa.jsonl", rows)
    ingest_paths(store, [path], mapping={"context": "hint"})
    lost = _quarantine(store)
    assert len(lost) == 4 and all(r == "missing_field:context" for r, _ in lost), lost
    # the detail of a row that needs no text names the setting that keeps it
    assert "'hint' is empty in this row" in lost[0][1] and "context_optional" in lost[0][1], lost
    ingest_paths(store, [path], source="o", mapping={"context": "hint"}, context_optional=True)
    tasks = {t["prompt"].split("\n")[0]: t["prompt"] for t in _tasks(store).values()}  # the first row: a duplicate
    assert len(tasks) == 4, tasks
    assert tasks[rows[0]["question"]].startswith(f"{rows[0]['question']}\n\n{hint}\n\nA. ")
    assert tasks["Which word is a noun?"].startswith("Which word is a noun?\n\nA. run")
    assert [r for r, _ in _quarantine(store) if r == "needs_context"] == ["needs_context"]


def test_context_optional_from_the_command_line_and_yaml(tmp_path, write_jsonl) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    cfg = SourceConfig(name="s", path="x.jsonl", mapping={"context": "hint"}, context_optional=True)
    assert cfg.context_optional is True
    with pytest.raises(ValueError, match=r"context_optional needs mapping\.context"):
        SourceConfig(name="s", path="x.jsonl", context_optional=True)
    rows = [
        {"question": "Which word is a noun?", "hint": "", "choices": ["run", "table"], "answer": 1},
        {"question": "Which of these is hottest?", "hint": "Think about the sun.", "choices": ["ice", "sun"],
         "answer": 1},
    ]  # fmt: skip
    path = write_jsonl("sqa.jsonl", rows)
    db = tmp_path / "c.duckdb"
    got = CliRunner().invoke(
        main, ["ingest", str(path), "--db", str(db), "--map", "context=hint", "--context-optional", "--json"]
    )
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["metadata"]["ingested"] == 2


# A prompt that points at a passage ("According to the passage, ...") while neither it nor any column of the row
# holds one (RACE's questions saved without their `article`). Before, it was kept: the model was asked about a
# passage it never saw, and a lucky guess passed (one in four for an MCQ), training the fine-tune to make up a text.
@pytest.mark.parametrize(
    ("row", "phrase"),
    [
        (
            {"question": "According to the passage, why did Tom leave?", "options": ["Bored", "Late"], "answer": "B"},
            "According to the passage",
        ),
        (
            {"question": "Read the following passage and answer the question.", "answer": "x"},
            "Read the following passage",
        ),
        ({"question": "Based on the above article, who waved?", "answer": "the baker"}, "Based on the above article"),
        ({"question": "What does 'crane' mean in the passage?", "answer": "a bird"}, "in the passage"),
        # a text in an earlier turn of a chat (kept in metadata, not sent): "the story above", "the poem above"
        ({"question": "Summarize the story above in one sentence.", "answer": "A fox helps."}, "the story above"),
        ({"question": "Translate the poem above into French.", "answer": "Un poème."}, "the poem above"),
        ({"question": "Fix the bug in the code above.", "answer": "x", "verifier": "judge"}, "the code above"),
        ({"question": "What is the tone of the above email?", "answer": "angry"}, "the above email"),
    ],
    ids=[
        "mcq",
        "read-following",
        "above-article",
        "in-the-passage",
        "story-above",
        "poem-above",
        "code-above",
        "above-email",
    ],
)
def test_a_prompt_about_a_passage_the_row_does_not_hold(store, write_jsonl, row, phrase) -> None:
    ingest_paths(store, [write_jsonl("rc.jsonl", [row, {"question": "What is 2+3?", "answer": "5"}])])
    assert [t["prompt"] for t in _tasks(store).values()] == ["What is 2+3?"]
    assert _quarantine(store) == [
        (
            "needs_context",
            f"the prompt refers to a text it does not hold ({phrase!r}) and the row has none: add the text to the "
            "prompt (--map context=COLUMN); if the prompt does not need it, set ingest.check_context: false",
        )
    ]


@pytest.mark.parametrize(
    "question",
    [
        "Tom was late for school, so he left early. According to the passage, why did Tom leave?",  # a short text
        "According to the story of Genesis, on which day was light made?",  # a known story, named
        "In the passage from Genesis 1:1, what was created first?",
        "In the story, who waved?",  # may name a known story: too weak to refuse
        "Read the passage.\n\n" + ARTICLE + "\n\nWho waved?",
        ARTICLE + "\n\nSummarize the story above in one sentence.",  # the story is above, in the prompt
        "Find the area of the region above the line y = x and below y = 4 with x between 0 and 4.",
        "The temperature was 5 degrees above zero at noon; what was it after it fell by 8 degrees?",
    ],
    ids=[
        *("short-passage", "named-story", "passage-from", "in-the-story", "passage-in-prompt", "story-above-held"),
        *("region-above", "degrees-above"),
    ],
)
def test_a_prompt_that_holds_its_text_or_names_a_known_one_is_kept(store, write_jsonl, question) -> None:
    ingest_paths(store, [write_jsonl("rc.jsonl", [{"question": question, "answer": "x"}])])
    assert _quarantine(store) == [] and len(_tasks(store)) == 1


# A prompt that announces what it is about and ends before it: the equation, expression or text was lost (an image,
# a stripped LaTeX block, Alpaca's empty `input`). Before, it was kept: the model was asked to solve an equation it
# never saw, and a guessed or made-up answer that matched the reference passed.
@pytest.mark.parametrize(
    ("row", "end"),
    [
        ({"question": "Solve the following equation for x.", "answer": "3"}, "Solve the following equation for x."),
        ({"question": "Find the value of x in the equation below.", "answer": "4"}, "x in the equation below."),
        ({"question": "Simplify the expression:", "answer": "1"}, "Simplify the expression:"),
        ({"question": "Prove the following theorem.", "answer": "x", "verifier": "judge"}, "the following theorem."),
        ({"question": "Find the area of the triangle shown below.", "answer": "6"}, "the triangle shown below."),
        (
            {
                "instruction": "Summarize the following text.",
                "input": "",
                "output": "It is about cats.",
                "verifier": "judge",
            },
            "Summarize the following text.",
        ),
        (
            {"question": "A shop sells pens at $2 each and pencils at $1 each. Use this table:", "answer": "5"},
            "Use this table:",
        ),
    ],
    ids=["following", "below", "colon", "theorem", "shown-below", "alpaca-empty-input", "long-then-colon"],
)
def test_a_prompt_that_ends_before_what_it_announces(store, write_jsonl, row, end) -> None:
    ingest_paths(store, [write_jsonl("cut.jsonl", [row, {"question": "What is 2+3?", "answer": "5"}])])
    assert [t["prompt"] for t in _tasks(store).values()] == ["What is 2+3?"]
    ((reason, detail),) = _quarantine(store)
    assert (reason, detail.split(" (")[0]) == ("needs_context", "the prompt ends announcing what it is about")
    assert f"{end}')" in detail


@pytest.mark.parametrize(
    "question",
    [
        "Solve the following equation for x: 2x + 1 = 7.",
        "Solve the following equation for x.\n\n$$2x + 1 = 7$$",
        "Q: What is 2+2?\nA:",  # a completion-style prompt
        "What is 2+2? Give your answer in the following format: \\boxed{N}.",
        "What is 2+2? Answer:",
        "Which is larger, 2^10 or 10^3? Explain your reasoning below.",
        "Translate into French.\n\nEnglish: The cat sleeps on the mat.\nFrench:",
        "What is 2+2? Let's think step by step:",
        # a label on the question's own line (few-shot and completion-style data): quarantined before
        "Q: How many legs does a spider have? A:",
        "Translate 'cat' into French. French:",
    ],
    ids=[
        "inline",
        "display-math",
        "completion",
        "format",
        "answer-colon",
        "explain-below",
        "label",
        "step-by-step",
        "completion-one-line",
        "label-one-line",
    ],
)
def test_a_prompt_that_holds_what_it_announces_is_kept(store, write_jsonl, question) -> None:
    ingest_paths(store, [write_jsonl("ok.jsonl", [{"question": question, "answer": "4"}])])
    assert _quarantine(store) == [] and len(_tasks(store)) == 1


def test_below_as_less_than_is_no_announcement(store, write_jsonl) -> None:
    rows = [
        {"question": "How many prime numbers below 50?", "answer": "15"},
        {"question": "Count the values below zero.", "answer": "3"},
    ]
    ingest_paths(store, [write_jsonl("ok.jsonl", rows)])
    assert _quarantine(store) == [] and len(_tasks(store)) == 2


@pytest.mark.parametrize(
    "question",
    ["Simplify the expression:" + " " * 300, "Which of the following is a noble gas?" + " \n" * 200],
    ids=["colon", "which"],
)
def test_a_cut_prompt_with_a_long_tail_of_whitespace_is_still_checked(store, write_jsonl, question) -> None:
    """The bulk path looks at a prompt's last characters only; a tail of whitespace must not hide the end."""
    rows = [{"question": question, "answer": "1"}, {"question": "What is 2+3?", "answer": "5"}]
    ingest_paths(store, [write_jsonl("cut.jsonl", rows)])
    assert [t["prompt"] for t in _tasks(store).values()] == ["What is 2+3?"]
