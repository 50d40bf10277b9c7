"""Common layouts need no mapping; every file format and HF saved datasets read the same rows."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.ingest.api import ingest_paths, ingest_sources
from pipeline.ingest.config import IngestConfig, SourceConfig


def _one(store, write_jsonl, row, **kw) -> dict:
    rep = ingest_paths(store, [write_jsonl("one.jsonl", [row])], **kw)
    m = rep.metadata
    assert m["ingested"] == 1, (m["quarantine_reasons"], store.read("quarantine")["detail"].to_list())
    t = store.read("tasks").row(0, named=True)
    t["verifier_args"] = json.loads(t["verifier_args"])
    t["metadata"] = json.loads(t["metadata"])
    return t


def test_problem_solution_takes_its_boxed_value(store, write_jsonl) -> None:
    # one value, boxed twice (balanced braces); two different values are ambiguous (test_ingest_reasons)
    solution = "So $x = \\boxed{\\frac{3}{4}}$, i.e. $\\boxed{\\frac{3}{4}}$."
    t = _one(store, write_jsonl, {"problem": "Find x.", "solution": solution, "level": "Level 5"})
    assert (t["domain"], t["verifier"], t["answer"]) == ("math", "math", "\\frac{3}{4}")
    assert t["metadata"] == {"level": "Level 5", "solution": solution}
    assert t["task_id"].startswith("local/h")


def test_problem_answer_number(store, write_jsonl) -> None:
    t = _one(store, write_jsonl, {"problem": "How many?", "answer": 12})
    assert t["answer"] == "12" and t["verifier"] == "math"


@pytest.mark.parametrize(
    ("choices", "answer", "expected"),
    [
        (["Oxygen", "Carbon dioxide", "Helium"], 1, "B"),
        (["Oxygen", "Carbon dioxide", "Helium"], "Carbon dioxide", "B"),
        (["Oxygen", "Carbon dioxide", "Helium"], "(c)", "C"),
        ({"a": "Oxygen", "b": "Carbon dioxide"}, "B", "B"),
    ],
)
def test_mcq_layout(store, write_jsonl, choices, answer, expected) -> None:
    t = _one(store, write_jsonl, {"question": "Which gas?", "choices": choices, "answer": answer})
    assert (t["domain"], t["verifier"], t["answer"]) == ("science_mcq", "mcq", expected)
    assert set(t["verifier_args"]["choices"]) >= {"A", "B"}


@pytest.mark.parametrize(
    ("tests", "expected"),
    [
        ("assert f(1) == 2", "assert f(1) == 2"),
        (["assert f(1) == 2", "assert f(2) == 3"], "assert f(1) == 2\nassert f(2) == 3"),
        ({"inputs": ["1\n"], "outputs": ["2\n"]}, [{"input": "1\n", "output": "2\n"}]),
    ],
)
def test_code_layout(store, write_jsonl, tests, expected) -> None:
    t = _one(store, write_jsonl, {"prompt": "Write f.", "tests": tests})
    assert (t["domain"], t["verifier"], t["answer"]) == ("code", "code", None)
    assert t["verifier_args"]["tests"] == expected


def test_chat_messages_layout(store, write_jsonl) -> None:
    t = _one(
        store,
        write_jsonl,
        {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "What is 5*5?"},
                {"role": "assistant", "content": "25"},
            ]
        },
    )
    assert (t["prompt"], t["answer"], t["verifier"]) == ("What is 5*5?", "25", "math")
    assert t["system"] == "Be brief." and t["metadata"] == {}  # every turn is a field (test_ingest_system_prompt)


@pytest.mark.parametrize("key", ["conversations", "conversation"])
def test_sharegpt_conversations_keep_a_chat_with_other_turns_in_metadata(store, write_jsonl, key) -> None:
    """ShareGPT's `conversations` ({from, value} turns) reads like `messages`: the system turn is the task's system
    prompt; a chat with a turn no task field holds (here the assistant's greeting before the question) is kept in
    metadata under its own column name, as for `messages`."""
    chat = [
        {"from": "system", "value": "You are a pirate."},
        {"from": "gpt", "value": "Ahoy! Ask away."},
        {"from": "human", "value": "What is 7 times 6?"},
        {"from": "gpt", "value": "42"},
    ]
    t = _one(store, write_jsonl, {key: chat})
    assert (t["prompt"], t["answer"], t["verifier"]) == ("What is 7 times 6?", "42", "math")
    assert t["system"] == "You are a pirate."
    assert t["metadata"] == {key: chat}


def test_a_long_assistant_turn_before_the_question_is_not_dropped(store, write_jsonl) -> None:
    """A chat that opens with the text its question is about in an assistant turn ("Here is the story: ..." then
    "Summarize it in one sentence."): a task is its user turn, so the story was left out (in metadata, never sent)
    and the model was asked about a text it never saw. Such a turn (at least 200 characters, as a text column left
    out of a prompt) is `needs_context`; a short greeting before the question is kept (above)."""
    story = "Here is the story: " + "A fox found a lantern in the snowy woods and carried it home. " * 5
    chat = [
        {"role": "assistant", "content": story},
        {"role": "user", "content": "Summarize it in one sentence."},
        {"role": "assistant", "content": "A fox brings a lantern home."},
    ]
    ingest_paths(store, [write_jsonl("c.jsonl", [{"messages": chat}])], defaults={"verifier": "judge"})
    assert store.count("tasks") == 0
    reason, detail = store.query("SELECT reason, detail FROM quarantine").row(0)
    assert reason == "needs_context" and "turn 0" in detail and "assistant" in detail, detail


@pytest.mark.parametrize(
    ("key", "role", "bot"),
    [
        ("messages", "role", "model"),  # Gemma's chat template
        ("conversations", "from", "chatgpt"),  # raw ShareGPT exports
        ("conversations", "from", "bing"),
        ("conversations", "from", "bard"),
        ("conversations", "from", "bot"),
    ],
)
def test_other_names_of_the_assistant_role_are_read(store, write_jsonl, key, role, bot) -> None:
    """Gemma's `model` turn and raw ShareGPT's `chatgpt`, `bing`, `bard` and `bot` turns are the assistant's reply.
    Unread, the row was quarantined `missing_field:answer`, and with `verifier: judge` it became a task with no
    reference (the reply left in metadata)."""
    text = "content" if role == "role" else "value"
    chat = [{role: "user", text: "What is 7 times 6?"}, {role: bot, text: "42"}]
    t = _one(store, write_jsonl, {key: chat})
    assert (t["prompt"], t["answer"], t["verifier"], t["metadata"]) == ("What is 7 times 6?", "42", "math", {})


def test_alpaca_input_is_part_of_the_prompt(store, write_jsonl) -> None:
    """Alpaca's layout (instruction, input, output): the input is the text the instruction is about. It went to
    metadata, so "Summarize the following text." was sent with no text, silently. The prompt is now the
    instruction, a blank line and the input; an empty input adds nothing."""
    text = "The council voted 7-2 on Tuesday to fund a new park; construction starts next spring."
    rows = [
        {"instruction": "Summarize the following text in one sentence.", "input": text, "output": "A park is funded."},
        {"instruction": "Name three primary colors.", "input": "", "output": "Red, blue and yellow."},
        {"instruction": "Add the numbers.", "input": "17 and 25", "answer": "42"},
    ]
    ingest_paths(store, [write_jsonl("alpaca.jsonl", rows)], defaults={"verifier": "judge"})
    tasks = {t["source_row"]: t for t in store.read("tasks").iter_rows(named=True)}
    assert tasks[0]["prompt"] == f"Summarize the following text in one sentence.\n\n{text}"
    assert tasks[1]["prompt"] == "Name three primary colors."
    assert tasks[2]["prompt"] == "Add the numbers.\n\n17 and 25"
    assert all("input" not in json.loads(t["metadata"]) for t in tasks.values())
    assert json.loads(tasks[0]["metadata"])["solution"] == "A park is funded."
    assert tasks[0]["answer"] == "A park is funded."  # the judge's reference response
    # without a verifier, a free-form output is no answer: the quarantine detail names the judge
    rep = ingest_paths(store, [write_jsonl("alpaca2.jsonl", rows[:1])], source="bare")
    assert rep.metadata["quarantine_reasons"] == {"missing_field:answer": 1}
    assert "set verifier: judge" in store.read("quarantine")["detail"][0]


@pytest.mark.parametrize("placeholder", ["<noinput>", " <no input> ", "<NOINPUT>"])
def test_self_instructs_no_input_placeholder_adds_nothing(store, write_jsonl, placeholder) -> None:
    """Self-Instruct's machine-generated rows (and datasets built from them) write `<noinput>` for an empty input:
    the prompt read "Name three primary colors.\n\n<noinput>", a token no user types, in every such example."""
    row = {"instruction": "Name three primary colors.", "input": placeholder, "output": "Red, blue and yellow."}
    t = _one(store, write_jsonl, row, defaults={"verifier": "judge"})
    assert t["prompt"] == "Name three primary colors."


def test_dolly_context_and_a_reading_passage_are_part_of_the_prompt(store, write_jsonl) -> None:
    """Dolly's `context` and BoolQ-style `passage` hold the text the question is about, like Alpaca's input."""
    passage = "Mount Everest's summit is 8,849 metres above sea level, on the border of Nepal and China."
    rows = [
        {"instruction": "How high is Everest, in metres?", "context": passage, "response": "8849", "answer": "8849"},
        {"question": "How high is Everest's summit, in metres?", "passage": passage, "answer": "8849"},
        {"question": "How high is it, in metres?", "passage": passage, "answer": "8849", "domain": "math"},
    ]
    ingest_paths(store, [write_jsonl("rc.jsonl", rows)], cfg=IngestConfig(dedup=False))
    prompts = [t["prompt"] for t in store.read("tasks").sort("source_row").iter_rows(named=True)]
    assert prompts == [
        f"How high is Everest, in metres?\n\n{passage}",
        f"How high is Everest's summit, in metres?\n\n{passage}",
        f"How high is it, in metres?\n\n{passage}",
    ]


def test_a_chats_free_form_reply_is_not_taken_as_a_math_answer(store, write_jsonl) -> None:
    """A chat's assistant reply is a whole response. With no verifier given, a free-form reply (an essay, a poem)
    became the reference answer of a `math` task: math-verify then compared responses with some number in it
    (1789, 18 degrees), silently. Such a row is quarantined naming the verifiers to choose from; a reply that
    boxes its answer is a solution (its boxed value is the answer); a short reply stays a math answer."""
    essay = (
        "The French Revolution began in 1789 because of a fiscal crisis, inequality under the Ancien Regime and "
        "Enlightenment ideas; the storming of the Bastille on July 14 marked its start."
    )
    rows = [
        {
            "messages": [
                {"role": "user", "content": "Why did the French Revolution start?"},
                {"role": "assistant", "content": essay},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "Write a haiku about autumn."},
                {"role": "assistant", "content": "Crimson leaves drift\nwhispers of the wind\nthe year exhales"},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "Solve x + 2 = 5."},
                {"role": "assistant", "content": "Subtract 2 from both sides: x = 5 - 2, so $x = \\boxed{3}$."},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "Solve x^2 = 4."},
                {"role": "assistant", "content": "x = \\boxed{2} or x = \\boxed{-2}."},
            ]
        },
        {"messages": [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": "42"}]},
    ]
    rep = ingest_paths(store, [write_jsonl("chats.jsonl", rows)])
    assert rep.metadata["quarantine_reasons"] == {"missing_field:verifier": 2, "invalid_value:answer": 1}
    q = store.read("quarantine").sort("source_row")
    assert "free-form" in q["detail"][0] and "verifier: judge" in q["detail"][0] and "verifier: math" in q["detail"][0]
    tasks = {t["prompt"]: t for t in store.read("tasks").iter_rows(named=True)}
    solved = tasks["Solve x + 2 = 5."]
    assert (solved["answer"], solved["verifier"]) == ("3", "math")
    assert json.loads(solved["metadata"])["solution"].startswith("Subtract 2")
    assert (tasks["What is 6 times 7?"]["answer"], tasks["What is 6 times 7?"]["verifier"]) == ("42", "math")
    # a verifier given by the user is theirs to choose: the same essay with `judge` is a task
    rep = ingest_paths(store, [write_jsonl("judged.jsonl", rows[:1])], source="judged", defaults={"verifier": "judge"})
    assert rep.metadata["ingested"] == 1


@pytest.mark.parametrize("key", ["messages", "conversations"])
def test_a_chat_of_several_user_turns_is_quarantined_not_cut_to_its_last_turn(store, write_jsonl, key) -> None:
    """thinkmill generates single-turn examples. The last user turn of a longer chat often needs the earlier ones
    ("And for 7?"): it was taken as the prompt alone, so the model answered a question it never saw in full and
    the training row taught that answer to the bare turn, silently."""
    role, text = ("role", "content") if key == "messages" else ("from", "value")
    user, bot = ("user", "assistant") if key == "messages" else ("human", "gpt")
    chat = [
        {role: user, text: "What is 6 squared?"},
        {role: bot, text: "36"},
        {role: user, text: "And 7?"},
        {role: bot, text: "49"},
    ]
    rep = ingest_paths(store, [write_jsonl("chat.jsonl", [{key: chat}])])
    assert (rep.metadata["ingested"], rep.metadata["quarantine_reasons"]) == (0, {"multi_turn": 1})
    detail = store.read("quarantine")["detail"][0]
    assert "2 user turns" in detail and "single-turn" in detail and "map prompt" in detail, detail


def test_task_contract_layout(store, write_jsonl) -> None:
    t = _one(
        store,
        write_jsonl,
        {
            "id": "abc",
            "prompt": "Say yes.",
            "answer": "yes",
            "domain": "instruction_following",
            "verifier": "exact",
            "verifier_args": {"case_sensitive": False},
            "license": "CC-BY-4.0",
            "metadata": {"k": 1},
            "extra": "kept",
        },
    )
    assert t["task_id"] == "local/abc"
    assert (t["domain"], t["verifier"], t["license"]) == ("instruction_following", "exact", "CC-BY-4.0")
    assert t["verifier_args"] == {"case_sensitive": False}
    assert t["metadata"] == {"k": 1, "extra": "kept"}


def test_mapping_and_defaults(store, write_jsonl) -> None:
    t = _one(
        store,
        write_jsonl,
        {"q": {"text": "Name a prime."}, "gold": "2", "uid": 9},
        mapping={"prompt": "q.text", "answer": "gold", "id": "uid"},
        defaults={"domain": "math", "verifier": "numeric"},
        license="MIT",
    )
    assert (t["task_id"], t["prompt"], t["answer"], t["verifier"], t["license"]) == (
        "local/9",
        "Name a prime.",
        "2",
        "numeric",
        "MIT",
    )
    assert t["metadata"] == {"q": {"text": "Name a prime."}}


def test_same_source_id_in_two_sources_does_not_clash(store, write_jsonl) -> None:
    a = write_jsonl("a.jsonl", [{"id": 1, "problem": "Alpha question about sets?", "answer": "1"}])
    b = write_jsonl("b.jsonl", [{"id": 1, "problem": "Beta question about graphs?", "answer": "2"}])
    ingest_paths(store, [a], source="alpha")
    ingest_paths(store, [b], source="beta")
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["alpha/1", "beta/1"]


ROWS = [{"problem": f"Problem number {i}: what is {i} squared?", "answer": str(i * i)} for i in range(5)]


def _write_all_formats(tmp: Path) -> dict[str, Path]:
    df = pl.DataFrame(ROWS)
    out = {"csv": tmp / "d.csv", "parquet": tmp / "d.parquet", "json": tmp / "d.json"}
    df.write_csv(out["csv"])
    df.write_parquet(out["parquet"])
    out["json"].write_text(json.dumps({"data": ROWS}), encoding="utf-8")
    return out


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_file_formats(store, tmp_path: Path, fmt: str) -> None:
    path = _write_all_formats(tmp_path)[fmt]
    rep = ingest_paths(store, [path])
    assert tuple(rep.metadata[k] for k in ("read", "ingested")) == (5, 5)
    assert sorted(store.read("tasks")["answer"].to_list()) == sorted(r["answer"] for r in ROWS)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_an_id_written_as_a_whole_float_is_its_integer(store, tmp_path: Path, fmt) -> None:
    """pandas writes an integer id column with a null as float64 (`1.0`): such rows were quarantined wrong_type:id.
    A whole float is its integer's id; a fraction, or one past 2**53 (not the integer written), is still refused."""
    import pandas as pd

    ids = [1, None, 3, 2.5, 2.0**60]
    df = pd.DataFrame({"id": ids, "problem": [f"What is {i} + {i}?" for i in range(5)], "answer": list("02468")})
    path = tmp_path / f"ids.{fmt}"
    df.to_parquet(path) if fmt == "parquet" else df.to_json(path, orient="records", lines=True)
    ingest_paths(store, [path])
    got = sorted(store.read("tasks").select("task_id", "answer").rows(), key=lambda r: r[1])
    assert [got[0], got[2]] == [("local/1", "0"), ("local/3", "4")]
    assert got[1][0].startswith("local/h")  # no id: the prompt's hash
    assert [r for r, _ in store.read("quarantine").select("reason", "detail").rows()] == ["wrong_type:id"] * 2


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_a_float_answer_is_read_only_where_it_holds_the_value(store, tmp_path: Path, fmt) -> None:
    """pandas writes an integer answer column with a null as float64: a whole float within 2**53 is read as today
    (`42.0`); past it the float may not be the integer written (2**70 was the reference `1.1805916207174113e+21`, so
    the right integer failed); a NaN is a null; an infinity is no answer (both were the references `nan`, `inf`)."""
    import pandas as pd

    answers = [42, None, 2.0**70, 2.5, float("nan"), float("inf")]
    df = pd.DataFrame({"problem": [f"What is {i} + {i}?" for i in range(6)], "answer": answers})
    assert str(df["answer"].dtype) == "float64"
    path = tmp_path / f"answers.{fmt}"
    df.to_parquet(path) if fmt == "parquet" else df.to_json(path, orient="records", lines=True)
    ingest_paths(store, [path], defaults={"verifier": "math"})
    assert sorted(store.read("tasks")["answer"].to_list()) == ["2.5", "42.0"]
    got = dict(store.query("SELECT source_row, reason || ': ' || detail FROM quarantine").iter_rows())
    assert got[1].startswith("missing_field:answer") and got[4].startswith("missing_field:answer")
    assert got[2].startswith("wrong_type:answer") and "2**53" in got[2] and "string" in got[2], got[2]
    if fmt == "parquet":  # pandas' to_json writes an infinity as null
        assert got[5].startswith("invalid_value:answer") and "inf" in got[5], got[5]


@pytest.mark.parametrize("verifier", [None, "math"])
def test_a_csv_math_answer_written_as_a_missing_value_is_missing(store, tmp_path: Path, verifier) -> None:
    """`nan`, `N/A`, `#N/A`, `null`: what pandas and spreadsheets write for a missing cell. Under `math` or `numeric`
    they were references (a response could only fail, or pass by boxing `N/A`); an `exact` task keeps its text."""
    placeholders = ["nan", "NaN", "N/A", "#N/A", "null", "NULL"]
    lines = ["question,answer", *(f"What is {i} + {i}?,{p}" for i, p in enumerate(placeholders)), "What is 9 + 9?,18"]
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n")
    ingest_paths(store, [path], **({"defaults": {"verifier": verifier}} if verifier else {}))
    assert store.read("tasks")["answer"].to_list() == ["18"]
    got = store.query("SELECT reason, detail FROM quarantine ORDER BY source_row").rows()
    assert [r for r, _ in got] == ["missing_field:answer"] * len(placeholders)
    assert all(repr(p) in d for p, (_, d) in zip(placeholders, got, strict=True)), got
    store.execute("DELETE FROM quarantine")
    exact = tmp_path / "exact.csv"
    exact.write_text("question,answer\nWhat does the cell read?,N/A\nWhich Python constant?,None\n")
    ingest_paths(store, [exact], defaults={"verifier": "exact"})
    assert sorted(store.read("tasks")["answer"].to_list()) == ["18", "N/A", "None"]


def test_csv_choices_as_json_text(store, tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    pl.DataFrame({"question": ["Which?"], "choices": ['["x", "y"]'], "answer": ["y"]}).write_csv(p)
    rep = ingest_paths(store, [p])
    assert rep.metadata["ingested"] == 1 and store.read("tasks")["answer"][0] == "B"


def test_csv_lists_written_by_pandas_are_read(store, tmp_path: Path) -> None:
    """A Hub dataset saved with pandas' `to_csv` writes lists as Python literals (`['Venus', "Saturn's moon"]`), not
    JSON: every MCQ row was quarantined `wrong_type:choices`. A numpy array's text (`['Venus' 'Mars']`, no commas)
    would read as one joined string, so it stays refused."""
    p = tmp_path / "m.csv"
    rows = [
        {"question": "Which planet is red?", "choices": "['Venus', 'Mars', \"Saturn's moon\"]", "answer": "1"},
        {"question": "Which gas do plants absorb?", "choices": "['Oxygen' 'Carbon dioxide']", "answer": "1"},
        {"question": "Which is a fish?", "choices": "{'A': 'Tope', 'B': 'Rope'}", "answer": "A"},
    ]
    pl.DataFrame(rows).write_csv(p)
    ingest_paths(store, [p])
    tasks = {t["prompt"].split("\n")[0]: t for t in store.read("tasks").iter_rows(named=True)}
    assert json.loads(tasks["Which planet is red?"]["verifier_args"])["choices"] == {
        "A": "Venus",
        "B": "Mars",
        "C": "Saturn's moon",
    }
    assert tasks["Which planet is red?"]["answer"] == "B" and tasks["Which is a fish?"]["answer"] == "A"
    assert store.read("quarantine")["reason"].to_list() == ["wrong_type:choices"]


def test_hf_saved_dataset(store, tmp_path: Path) -> None:
    import datasets

    dd = datasets.DatasetDict(
        {"train": datasets.Dataset.from_list(ROWS[:3]), "test": datasets.Dataset.from_list(ROWS[3:])}
    )
    dd.save_to_disk(str(tmp_path / "hf"))
    rep = ingest_paths(store, [tmp_path / "hf"])
    assert tuple(rep.metadata[k] for k in ("read", "ingested")) == (3, 3)
    from pipeline.config import ThinkmillConfig

    cfg = ThinkmillConfig(ingest=IngestConfig(sources=[SourceConfig(name="hf", path="hf", split="test")]))
    cfg.base_dir = tmp_path
    rep = ingest_sources(store, cfg)
    assert tuple(rep.metadata[k] for k in ("read", "ingested")) == (2, 2)
    # the same dataset again is unchanged content: nothing re-read
    assert ingest_sources(store, cfg).metadata["read"] == 0


@pytest.mark.parametrize("fmt", ["numpy", "pandas", "arrow", "polars"])
def test_hf_saved_dataset_with_a_format(store, tmp_path: Path, fmt) -> None:
    """`save_to_disk` keeps a dataset's format (`set_format("numpy")` before saving, as for training), and
    `load_from_disk` gives it back: the rows are read as Python values all the same. Before, every row was
    quarantined ("answer must be text or a number, got int64") or the read failed ("Index must either be string or
    integer")."""
    import datasets

    features = datasets.Features(
        {
            "question": datasets.Value("string"),
            "choices": datasets.Sequence(datasets.Value("string")),
            "answer": datasets.Value("int64"),
        }
    )
    rows = {
        "question": ["Which planet is red?", "Which gas do plants absorb?"],
        "choices": [["Venus", "Mars", "Jupiter"], ["Oxygen", "Carbon dioxide", "Helium"]],
        "answer": [1, 1],
    }
    datasets.Dataset.from_dict(rows, features=features).with_format(fmt).save_to_disk(str(tmp_path / "hf"))
    rep = ingest_paths(store, [tmp_path / "hf"])
    assert store.read("quarantine")["detail"].to_list() == []
    assert rep.metadata["ingested"] == 2
    tasks = sorted(store.read("tasks").iter_rows(named=True), key=lambda t: t["prompt"])
    assert [(t["prompt"], t["answer"]) for t in tasks] == [
        ("Which gas do plants absorb?\n\nA. Oxygen\nB. Carbon dioxide\nC. Helium", "B"),
        ("Which planet is red?\n\nA. Venus\nB. Mars\nC. Jupiter", "B"),
    ]


def test_folders_and_globs(store, write_jsonl, tmp_path: Path) -> None:
    for i in range(3):
        write_jsonl(f"dir/part{i}.jsonl", [ROWS[i]])
    write_jsonl("dir/sub/part9.jsonl", [ROWS[4]])
    (tmp_path / "dir" / "notes.txt").write_text("ignored", encoding="utf-8")
    rep = ingest_paths(store, [str(tmp_path / "dir" / "part[01].jsonl")])
    assert (rep.metadata["read"], len(rep.metadata["files"])) == (2, 2)
    rep = ingest_paths(store, [tmp_path / "dir"])  # folder: recursive; part0/1 unchanged -> skipped
    assert (rep.metadata["read"], len(rep.metadata["skipped_files"])) == (2, 2)
    assert store.count("tasks") == 4


def test_large_file_is_streamed_in_batches(store, write_jsonl) -> None:
    rows = [
        {"problem": f"Stream row {i}: compute {i} times seven exactly.", "answer": str(7 * i)} for i in range(2_500)
    ]
    rep = ingest_paths(store, [write_jsonl("big.jsonl", rows)], cfg=IngestConfig(batch_rows=300))
    assert tuple(rep.metadata[k] for k in ("read", "ingested")) == (2_500, 2_500)
    assert store.query("SELECT min(source_row), max(source_row) FROM tasks").row(0) == (0, 2_499)


def test_csv_bad_encoding_row_is_quarantined(store, tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_bytes(b"problem,answer\nWhat is two plus two?,4\ncaf\xe9 question,1\nWhat is three plus three?,6\n")
    rep = ingest_paths(store, [p])
    assert tuple(rep.metadata[k] for k in ("read", "ingested", "quarantine_reasons")) == (3, 2, {"bad_encoding": 1})
    assert store.read("quarantine")["source_row"].to_list() == [1]


def test_hub_source_streams_and_pinned_revision_is_incremental(store, tmp_path: Path, monkeypatch) -> None:
    """The Hub cannot be reached here: `load_dataset` is replaced by a local streamed dataset."""
    import datasets

    calls: list[tuple] = []

    def fake_load(name, config, split, revision, streaming):  # type: ignore[no-untyped-def]
        calls.append((name, config, split, revision, streaming))
        return datasets.Dataset.from_list(ROWS).to_iterable_dataset()

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    from pipeline.config import ThinkmillConfig

    src = SourceConfig(name="hub", hf_dataset="org/set", hf_config="main", split="train", revision="abc123")
    cfg = ThinkmillConfig(ingest=IngestConfig(sources=[src], batch_rows=2))
    rep = ingest_sources(store, cfg)
    assert tuple(rep.metadata[k] for k in ("read", "ingested")) == (5, 5)
    assert calls == [("org/set", "main", "train", "abc123", True)]
    assert store.read("tasks")["source_file"][0] == "hf://org/set/main:train@abc123"
    assert ingest_sources(store, cfg).metadata["read"] == 0  # pinned revision already ingested: not even loaded
    assert len(calls) == 1


def _staging_peak(tmp_path: Path, rows: int) -> int:
    import tracemalloc

    from pipeline.ingest.sources import resolve_inputs
    from pipeline.ingest.stage import stage_inputs

    p = tmp_path / f"big{rows}.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps({"problem": f"row {i} " + "lorem ipsum dolor " * 8, "answer": "1"}) + "\n")
    tracemalloc.start()
    try:
        staged = stage_inputs(
            resolve_inputs(SourceConfig(name="s", path=str(p))),
            IngestConfig(batch_rows=100),
            tmp_path / f"staging{rows}",
            set(),
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert staged.inputs[0].rows_read == rows
    return peak


def test_reading_memory_is_bounded_by_the_batch_not_the_file(tmp_path: Path) -> None:
    """Staging holds one batch of Python objects: 5x the rows, about the same traced peak."""
    _staging_peak(tmp_path, 500)  # warm-up: first-use allocations (imports, caches) are not per row
    small = _staging_peak(tmp_path, 2_000)
    large = _staging_peak(tmp_path, 10_000)
    assert large < small * 1.5, (small, large)


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_verifier_or_domain_cell_is_not_set(store, write_jsonl, tmp_path, blank) -> None:
    """A spreadsheet's empty verifier or domain cell means "not set": the row takes the defaults (it was
    quarantined `unknown_verifier:` with no name, and a whitespace domain was stored as the task's domain)."""
    rows = [
        {"problem": "What is 2 + 3?", "answer": "5", "verifier": blank, "domain": "math"},
        {"problem": "What is 4 + 5?", "answer": "9", "verifier": "math", "domain": blank},
        {"question": "Which is a gas?", "choices": ["Iron", "Helium"], "answer": "B", "domain": blank},
    ]
    rep = ingest_paths(store, [write_jsonl("blank.jsonl", rows)])
    assert rep.metadata["ingested"] == 3, store.read("quarantine")["detail"].to_list()
    pl.DataFrame(rows[:2]).write_parquet(tmp_path / "blank.parquet")
    ingest_paths(store, [tmp_path / "blank.parquet"], source="pq", cfg=IngestConfig(dedup=False))
    tasks = store.read("tasks").select("source", "verifier", "domain").sort("source", "verifier").rows()
    assert sorted(tasks) == sorted(
        [("local", "math", "math"), ("local", "math", "math"), ("local", "mcq", "science_mcq")]
        + [("pq", "math", "math")] * 2
    )


@pytest.mark.parametrize(
    ("row", "answer"),
    [
        # MetaMathQA: `query`, `response` ending in "The answer is: X"
        (
            {
                "query": "James buys 5 packs of 4 pounds at $5.50 a pound. What does he pay?",
                "response": "He bought 5*4=20 pounds\nSo he paid 20*5.5=$110\nThe answer is: 110",
                "type": "GSM_Rephrased",
            },
            "110",
        ),
        # MathInstruct: `instruction`, `output` ending in "The answer is X."
        ({"instruction": "What is 15% of 80?", "output": "0.15 * 80 = 12. The answer is 12."}, "12"),
        (
            {"problem": "Simplify 6/8.", "solution": "Divide by 2.\nThe final answer is $\\frac{3}{4}$."},
            "$\\frac{3}{4}$",
        ),
        # a solution in GSM8K's layout
        ({"question": "2 + 3?", "solution": "2 + 3 = 5\n#### 5"}, "5"),
    ],
)
def test_a_solution_that_states_its_final_answer_gives_the_answer(store, write_jsonl, row, answer) -> None:
    """Such rows had no answer (no `\\boxed{}`) and were quarantined `missing_field:answer`."""
    t = _one(store, write_jsonl, row)
    assert (t["answer"], t["verifier"]) == (answer, "math")
    assert t["metadata"]["solution"] in row.values()


def test_the_answer_is_must_end_the_solution(store, write_jsonl) -> None:
    row = {"problem": "Find x.", "solution": "The answer is 4 if x is even. Otherwise it is 5, as we show."}
    ingest_paths(store, [write_jsonl("one.jsonl", [row])])
    assert store.read("quarantine")["reason"].to_list() == ["missing_field:answer"]


def _quarantined_beside_plain_rows(store, write_jsonl, rows: list[dict]) -> list[tuple[str, str]]:
    """Ingest `rows` after 30 plain problem/answer rows (which take the bulk path, so a check that the bulk path
    skips shows); the plain rows are all ingested; returns the quarantine's (reason, detail) rows."""
    plain = [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(30)]
    rep = ingest_paths(store, [write_jsonl("mixed.jsonl", plain + rows)])
    assert rep.metadata["ingested"] == 30
    return store.read("quarantine").select("reason", "detail").rows()


def test_placeholder_answers_of_proof_problems_are_quarantined(store, write_jsonl) -> None:
    """NuminaMath-1.5 and OpenR1-Math mark proof problems with the answer `proof` and unsolved ones with `notfound`:
    a math task with such a reference could never pass, and every generation for it was paid for nothing."""
    rows = [{"problem": f"Prove claim {i}.", "answer": a} for i, a in enumerate(["proof", "notfound", " Proof "])]
    got = _quarantined_beside_plain_rows(store, write_jsonl, rows)
    assert [r for r, _ in got] == ["invalid_value:answer"] * 3
    assert "placeholder" in got[0][1] and "proof" in got[0][1]


def test_an_exact_answer_may_be_the_words_not_found(store, write_jsonl) -> None:
    row = {
        "question": "Find 'cat' in: dog bird. Say 'not found' if absent.",
        "answer": "not found",
        "verifier": "exact",
    }
    assert _one(store, write_jsonl, row)["answer"] == "not found"


# Reasoning-trace chats (Mixture-of-Thoughts, OpenR1-Math's `messages`, Llama-Nemotron): the assistant reply is
# `<think>...</think>` then the final answer. The think block's tentative values were read as the answer: a row whose
# trace boxed a first guess was quarantined as ambiguous, and a reply whose final answer is a bare value was taken as
# free-form text.
def _reasoning_chat(reply: str) -> dict:
    return {"messages": [{"role": "user", "content": "What is 3 + 4?"}, {"role": "assistant", "content": reply}]}


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("<think>\nFirst guess \\boxed{8}. No: 3 + 4 = 7.\n</think>\n\nThe sum is \\boxed{7}.", "7"),
        ("<think>\n3 + 4 = 7, checked twice\nyes\n</think>\n\n7", "7"),
        ("<think>\nMaybe \\boxed{8}?\nNo.\n</think>\n\nSo 3 + 4 = 7.\nThe answer is: 7", "7"),
        # OpenThoughts' markers
        (
            "<|begin_of_thought|>\n\nTry \\boxed{8}. No.\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n"
            "3 + 4 = \\boxed{7}\n\n<|end_of_solution|>",
            "7",
        ),
    ],
)
def test_a_reasoning_replys_answer_is_its_final_part(store, write_jsonl, reply, answer) -> None:
    t = _one(store, write_jsonl, _reasoning_chat(reply))
    assert (t["answer"], t["verifier"]) == (answer, "math")


@pytest.mark.parametrize("opening", ["<think>", "<|begin_of_thought|>"])
@pytest.mark.parametrize("trace", ["\nLet me see: 3 + 4 = 7\n", "\nFirst try: 3 + 4 = \\boxed{8}?\n"])
def test_a_reasoning_reply_never_closed_has_no_answer(store, write_jsonl, opening, trace) -> None:
    """A reply cut inside its trace (OpenThoughts' `<|begin_of_thought|>` without `<|end_of_thought|>`, as an
    unclosed `<think>`) has no final part: the trace's tentative values are not the answer. It was read as free-form
    text (a judge was shown the half thought as its reference) or gave the trace's boxed guess as a math answer."""
    reply = opening + trace
    rows = [_reasoning_chat(reply), {"problem": "What is 3 + 4?", "solution": reply}]
    rep = ingest_paths(store, [write_jsonl("cut.jsonl", rows)])
    assert rep.metadata["quarantine_reasons"] == {"missing_field:answer": 2}
    ingest_paths(store, [write_jsonl("judged.jsonl", rows[:1])], source="judged", defaults={"verifier": "judge"})
    assert store.read("tasks")["answer"].to_list() == [None]


def test_a_reasoning_reply_whose_final_part_is_free_form_needs_a_verifier(store, write_jsonl) -> None:
    essay = "<think>\nshort\n</think>\n\n" + "Addition combines two quantities into one total, " * 4
    ingest_paths(store, [write_jsonl("one.jsonl", [_reasoning_chat(essay)])])
    assert store.read("quarantine")["reason"].to_list() == ["missing_field:verifier"]


def test_a_chat_reply_ending_in_its_stated_answer_is_a_solution(store, write_jsonl) -> None:
    reply = "He bought 5*4=20 pounds\nSo he paid 20*5.5=$110\nThe answer is: 110"
    t = _one(store, write_jsonl, _reasoning_chat(reply))
    assert (t["answer"], t["metadata"]["solution"]) == ("110", reply)


# Orca-Math keeps a worked solution in `answer`. As a math reference, math-verify reads the last number of the text:
# "... 38 pencils in total (about 3 dozen)." compared responses with 3, so the right answer 38 failed and 3 passed.
ORCA = (
    "First, 3 boxes hold 12 each, so 3 * 12 = 36. Then add the 2 loose ones: 36 + 2 = 38.\n\n"
    "So, there are 38 pencils in total (about 3 dozen)."
)


def test_a_worked_solution_in_the_answer_column_is_not_a_math_reference(store, write_jsonl) -> None:
    rows = [{"question": f"How many pencils, case {i}?", "answer": ORCA} for i in range(3)]
    got = _quarantined_beside_plain_rows(store, write_jsonl, rows)
    assert [r for r, _ in got] == ["invalid_value:answer"] * 3
    assert "worked solution" in got[0][1] and "judge" in got[0][1]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("We add them: 3 + 4 = 7, and check that 7 - 4 = 3 holds, so the final sum is \\boxed{7}.", "7"),
        ("We add them: 3 + 4 = 7, and check that 7 - 4 = 3 holds for the two numbers.\nThe answer is: 7", "7"),
        # long but not prose: a matrix, an interval union
        (
            "\\begin{pmatrix} 1 & 2 & 3 & 4 \\\\ 5 & 6 & 7 & 8 \\\\ 9 & 10 & 11 & 12 \\\\ 13 & 14 & 15 & 16 "
            "\\end{pmatrix}",
            None,
        ),
        (
            "(-\\infty, -3) \\cup (-3, -1] \\cup [1, 2) \\cup (2, 5] \\cup [7, 9) \\cup (9, 11] \\cup [12, \\infty)",
            None,
        ),
    ],
)
def test_a_worked_answer_that_marks_its_value_gives_it(store, write_jsonl, answer, expected) -> None:
    t = _one(store, write_jsonl, {"question": "What is 3 + 4?", "answer": answer})
    assert t["answer"] == (expected or answer) and t["verifier"] == "math"
    if expected:
        assert t["metadata"]["solution"] == answer


VERL_MATH = {
    "data_source": "DAPO-Math",
    "prompt": [{"role": "user", "content": 'What is 17 + 17? Put your answer on its own line after "Answer:".'}],
    "ability": "MATH",
    "reward_model": {"ground_truth": "34", "style": "rule"},
    "extra_info": {"index": "a1b2", "split": "train"},
}


def test_verls_layout_chat_prompt_and_reward_model_ground_truth(store, write_jsonl) -> None:
    """verl's RL parquet layout (DAPO-Math, Skywork-OR1, DeepScaleR as prepared for verl): `prompt` is a chat and the
    reference is `reward_model.ground_truth`. Every row was quarantined `wrong_type:prompt`."""
    system = {"role": "system", "content": "Reason step by step."}
    t = _one(store, write_jsonl, {**VERL_MATH, "prompt": [system, *VERL_MATH["prompt"]]})
    assert t["prompt"] == VERL_MATH["prompt"][0]["content"] and t["system"] == "Reason step by step."
    assert (t["verifier"], t["answer"], t["domain"]) == ("math", "34", "math")
    assert t["metadata"]["extra_info"] == {"index": "a1b2", "split": "train"}
    assert t["metadata"]["reward_model"]["style"] == "rule"


def test_verls_code_ground_truth_is_the_tests(store, write_jsonl) -> None:
    cases = {"inputs": ["1 2\n", "3 4\n"], "outputs": ["3\n", "7\n"]}
    row = {
        **VERL_MATH,
        "prompt": [{"role": "user", "content": "Read two integers and print their sum."}],
        "ability": "code",
        "reward_model": {"ground_truth": json.dumps(cases), "style": "rule"},
    }
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["answer"]) == ("code", None)
    assert t["verifier_args"]["tests"] == [{"input": "1 2\n", "output": "3\n"}, {"input": "3 4\n", "output": "7\n"}]


@pytest.mark.parametrize("as_text", [True, False])
def test_verls_code_ground_truth_as_a_list_of_typed_cases_is_the_tests(store, write_jsonl, as_text) -> None:
    """DeepCoder's and LiveCodeBench's verl rows hold `[{input, output, testtype}]` in `reward_model.ground_truth`
    (as JSON text): it became a `math` task whose reference was the cases' JSON, asked without a code instruction."""
    cases = [
        {"input": "3\n", "output": "9\n", "testtype": "stdin"},
        {"input": "4\n", "output": "16\n", "testtype": "stdin"},
    ]
    row = {
        **VERL_MATH,
        "prompt": [{"role": "user", "content": "Read n and print n squared."}],
        "ability": "code",
        "reward_model": {"ground_truth": json.dumps(cases) if as_text else cases, "style": "rule"},
    }
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["domain"], t["answer"]) == ("code", "code", None)
    assert t["verifier_args"]["tests"] == [{"input": "3\n", "output": "9\n"}, {"input": "4\n", "output": "16\n"}]


def test_verls_list_answer_stays_an_answer(store, write_jsonl) -> None:
    row = {**VERL_MATH, "reward_model": {"ground_truth": '["34"]', "style": "rule"}}
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["answer"]) == ("math", "34")


def test_a_domain_column_holding_a_taxonomy_list_stays_in_metadata(store, write_jsonl) -> None:
    """Big-Math and Omni-MATH give `domain` as a list of taxonomy paths: every row was quarantined
    `wrong_type:domain`; the domain is then the verifier's, the list kept."""
    taxonomy = ["Mathematics -> Algebra -> Functions"]
    t = _one(store, write_jsonl, {"problem": "Given f(x) = x^2 + 1, find f(3).", "answer": "10", "domain": taxonomy})
    assert (t["domain"], t["metadata"]["domain"]) == ("math", taxonomy)


def test_capitalised_columns_are_read_like_their_aliases(store, write_jsonl) -> None:
    """TheoremQA, AIME and SVAMP capitalise their columns (`Question`, `Problem`, `Answer`, `ID`): every row was
    quarantined `missing_field:prompt`."""
    rows = [
        {"ID": "2024-I-1", "Problem": "Find the number of minutes the walk takes her.", "Answer": 204},
        {"Question": "How many ways to divide 8 elements into 5 ordered subsets?", "Answer": "11760", "Picture": None},
        {"question": "Two columns in two cases: which wins?", "Question": "other", "answer": "1"},
    ]
    rep = ingest_paths(store, [write_jsonl("caps.jsonl", rows)])
    assert rep.metadata["ingested"] == 3, store.read("quarantine").rows()
    tasks = {t["prompt"]: t for t in store.read("tasks").iter_rows(named=True)}
    assert tasks[rows[0]["Problem"]]["answer"] == "204" and tasks[rows[0]["Problem"]]["task_id"] == "local/2024-I-1"
    assert tasks[rows[1]["Question"]]["answer"] == "11760"
    # the exact name wins; the other case stays a column
    assert json.loads(tasks[rows[2]["question"]]["metadata"])["Question"] == "other"


def test_aqua_rats_correct_column_is_the_answer(store, write_jsonl) -> None:
    row = {"question": "What is 2 + 3?", "options": ["A)4", "B)5", "C)6"], "rationale": "2 + 3 = 5", "correct": "B"}
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["answer"]) == ("mcq", "B")


def test_a_capitalised_input_column_is_read_on_the_bulk_path_too(store, write_jsonl) -> None:
    plain = [{"problem": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(30)]
    row = {"instruction": "Add the numbers.", "Input": "17 and 25", "answer": "42"}
    ingest_paths(store, [write_jsonl("mixed.jsonl", [*plain, row])])
    assert "Add the numbers.\n\n17 and 25" in store.read("tasks")["prompt"].to_list()


def test_openbookqas_question_stem_is_the_prompt(store, write_jsonl) -> None:
    row = {
        "id": "7-980",
        "question_stem": "The sun is responsible for",
        "choices": {"text": ["puppies learning tricks", "plants sprouting and blooming"], "label": ["A", "B"]},
        "answerKey": "B",
    }
    t = _one(store, write_jsonl, row)
    assert t["prompt"].startswith("The sun is responsible for\n\nA. ") and t["answer"] == "B"


def _arc(i: int, labels: str, key: str, **question) -> dict:
    texts = ["dry palms", "wet palms", "palms covered with oil", "palms covered with lotion"]
    stem = f"George rubs his hands {i} times to warm them. Which skin surface will produce the most heat?"
    choices = [{"text": t, "label": lab} for t, lab in zip(texts, labels, strict=True)]
    return {"id": f"Mercury_{i}", "question": {"stem": stem, "choices": choices, **question}, "answerKey": key}


def test_arcs_and_openbookqas_own_jsonl_is_read(store, write_jsonl) -> None:
    """ARC's and OpenBookQA's original JSONL (`{"id", "question": {"stem", "choices": [{"text", "label"}]},
    "answerKey"}`, also CommonsenseQA's, with `question_concept`): every row was quarantined "prompt must be a string,
    got dict"; the stem is the prompt and its choices the options, labelled "A".."E" or "1".."4"."""
    rows = [_arc(i, "ABCD", "ABCD"[i % 4]) for i in range(30)]  # the bulk path's size
    rows += [_arc(30, "1234", "2"), _arc(31, "ABCD", "C", question_concept="heat")]
    rep = ingest_paths(store, [write_jsonl("arc.jsonl", rows)])
    assert rep.metadata["ingested"] == 32, store.read("quarantine")["detail"].to_list()
    tasks = {t["task_id"]: t for t in store.read("tasks").iter_rows(named=True)}
    t = tasks["local/Mercury_30"]
    assert t["prompt"] == (
        f"{rows[30]['question']['stem']}\n\nA. dry palms\nB. wet palms\nC. palms covered with oil\n"
        "D. palms covered with lotion"
    )
    assert (t["verifier"], t["answer"]) == ("mcq", "B")
    assert tasks["local/Mercury_3"]["answer"] == "D"
    assert json.loads(tasks["local/Mercury_31"]["metadata"]) == {"question_concept": "heat"}
    assert "stem" not in (tasks["local/Mercury_3"]["metadata"] or "")


def test_a_question_object_of_another_layout_names_the_mapping(store, write_jsonl) -> None:
    row = {"question": {"text": "Which gas do plants take in?", "options": ["O2", "CO2"]}, "answer": 1}
    rep = ingest_paths(store, [write_jsonl("q.jsonl", [row])])
    assert rep.metadata["quarantined"] == 1
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:prompt" and "--map prompt=question.text" in detail, detail


_MEDQA_OPTIONS = [
    {"key": "A", "value": "Ampicillin"},
    {"key": "B", "value": "Ceftriaxone"},
    {"key": "C", "value": "Doxycycline"},
    {"key": "D", "value": "Nitrofurantoin"},
]


@pytest.mark.parametrize(
    ("options", "mapping"),
    [
        (_MEDQA_OPTIONS, None),  # MedQA / bigbio's source schema: the answer's text
        (_MEDQA_OPTIONS, {"answer": "answer_idx"}),  # its letter
        ([{"label": k["key"], "text": k["value"]} for k in _MEDQA_OPTIONS], None),
        (list(reversed(_MEDQA_OPTIONS)), None),  # by their keys, not their order
    ],
)
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_medqas_options_as_a_list_of_key_value_objects(store, tmp_path, options, mapping, fmt) -> None:
    """MedQA's `options: [{"key": "A", "value": "Ampicillin"}, ...]`: every row was quarantined wrong_type:choices."""
    row = {
        "question": "A pregnant woman at 22 weeks has a urinary tract infection. Which is the best treatment?",
        "answer": "Nitrofurantoin",
        "options": options,
        "meta_info": "step2&3",
        "answer_idx": "D",
    }
    path = tmp_path / f"medqa.{fmt}"
    if fmt == "jsonl":
        path.write_text(json.dumps(row) + "\n")
    else:
        pl.DataFrame([row]).write_parquet(path)
    ingest_paths(store, [path], mapping=mapping)
    assert store.read("quarantine").rows() == []
    t = store.read("tasks").row(0, named=True)
    assert (t["verifier"], t["answer"]) == ("mcq", "D")
    assert json.loads(t["verifier_args"])["choices"] == {k["key"]: k["value"] for k in _MEDQA_OPTIONS}
    assert t["prompt"].endswith("\n\nA. Ampicillin\nB. Ceftriaxone\nC. Doxycycline\nD. Nitrofurantoin")


_HEADQA_ANSWERS = [
    {"aid": 1, "atext": "Erythromycin"},
    {"aid": 2, "atext": "Doxycycline"},
    {"aid": 3, "atext": "Amoxicillin"},
    {"aid": 4, "atext": "Ciprofloxacin"},
]


@pytest.mark.parametrize(
    ("answers", "ra", "letter"),
    [
        (_HEADQA_ANSWERS, 3, "C"),  # `ra` is the right option's aid (1-based)
        (_HEADQA_ANSWERS, "3", "C"),
        (list(reversed(_HEADQA_ANSWERS)), 3, "B"),  # by its aid, not its position: C of four listed 4, 3, 2, 1
    ],
)
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_headqas_answers_as_a_list_of_aid_atext_objects(store, tmp_path, answers, ra, letter, fmt) -> None:
    """HeadQA's `answers: [{"aid": 1, "atext": ...}, ...]` with `ra` the right aid: every row was quarantined
    wrong_type:choices ("choice 0 must be text, got dict")."""
    row = {"qid": 7, "qtext": "Which of these is a beta-lactam antibiotic?", "ra": ra, "answers": answers}
    path = tmp_path / f"headqa.{fmt}"
    if fmt == "jsonl":
        path.write_text(json.dumps(row) + "\n")
    else:
        pl.DataFrame([row]).write_parquet(path)
    ingest_paths(store, [path], mapping={"prompt": "qtext", "answer": "ra", "choices": "answers", "id": "qid"})
    assert store.read("quarantine").rows() == []
    t = store.read("tasks").row(0, named=True)
    assert (t["verifier"], t["answer"]) == ("mcq", letter)
    choices = json.loads(t["verifier_args"])["choices"]
    assert choices[letter] == "Amoxicillin" and sorted(choices.values()) == sorted(a["atext"] for a in answers)


def test_verls_ground_truth_object_that_is_no_tests_is_named(store, write_jsonl) -> None:
    """An object in `reward_model.ground_truth` that is neither a value nor code tests: it was read as code tests and
    quarantined with a message about tests the file never had."""
    row = {**VERL_MATH, "reward_model": {"ground_truth": {"answer": "34", "unit": "apples"}, "style": "rule"}}
    ingest_paths(store, [write_jsonl("odd.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:answer" and "reward_model.ground_truth" in detail and "unit" in detail, detail


def test_search_r1s_target_list_is_a_list_answer(store, write_jsonl) -> None:
    """Search-R1's QA rows (verl's layout) give `reward_model.ground_truth` as `{"target": [answers]}`, each one
    right: quarantined before; now a list answer (several need `answer_list: any`)."""
    row = {
        "data_source": "nq",
        "prompt": [{"role": "user", "content": "Answer the given question. Question: what is the capital of France?"}],
        "ability": "fact-reasoning",
        "reward_model": {"ground_truth": {"target": ["Paris", "City of Paris"]}, "style": "rule"},
    }
    ingest_paths(store, [write_jsonl("sr1.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:answer" and "list of 2 answers" in detail and "--answer-list any" in detail, detail
    ingest_paths(store, [write_jsonl("sr1b.jsonl", [row])], source="sr1", answer_list="any")
    t = store.read("tasks").row(0, named=True)
    assert (t["domain"], t["verifier"], t["answer"]) == ("short_answer", "exact", "Paris")
    assert json.loads(t["verifier_args"]) == {"aliases": ["City of Paris"]}
    assert json.loads(t["metadata"])["data_source"] == "nq"


def test_an_answer_object_names_its_keys_and_the_dotted_mapping(store, write_jsonl) -> None:
    """An answer object of no known layout: the quarantine said only "got dict"."""
    row = {"question": "Which American-born Sinclair won the Nobel Prize for Literature in 1930?"}
    row["answer"] = {"names": ["Sinclair Lewis", "Harry Sinclair Lewis"], "main": "Sinclair Lewis"}
    ingest_paths(store, [write_jsonl("obj.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert (
        reason == "wrong_type:answer" and "names" in detail and "main" in detail and "--map answer=answer.KEY" in detail
    )
    rep = ingest_paths(store, [write_jsonl("obj2.jsonl", [row])], source="t2", mapping={"answer": "answer.main"})
    assert rep.metadata["ingested"] == 1


TRIVIA = {
    "question": "Which Lloyd Webber musical premiered in the US on 10th December 1993?",
    "question_id": "tc_33",
    "answer": {
        "aliases": ["Sunset Blvd", "Sunset Boulevard", "West Sunset Boulevard", "Sunset Blvd."],
        "normalized_aliases": ["sunset blvd", "sunset boulevard", "west sunset boulevard"],
        "value": "Sunset Boulevard",
        "normalized_value": "sunset boulevard",
        "type": "WikipediaEntity",
    },
}


def test_triviaqa_answer_is_its_value_and_aliases(store, write_jsonl) -> None:
    """TriviaQA's `answer` object was quarantined (`wrong_type:answer`), and mapping `answer.value` made a `math` task
    that failed every right answer given by one of its aliases ("Sunset Blvd")."""
    t = _one(store, write_jsonl, TRIVIA)
    assert (t["domain"], t["verifier"], t["answer"]) == ("short_answer", "exact", "Sunset Boulevard")
    # the value once, aliases that normalise alike ("Sunset Blvd." / "Sunset Blvd") once
    assert t["verifier_args"] == {"aliases": ["Sunset Blvd", "West Sunset Boulevard"]}
    assert t["task_id"] == "local/tc_33" and t["metadata"]["answer"]["type"] == "WikipediaEntity"


def test_squad_answers_are_any_of_their_spans(store, write_jsonl) -> None:
    row = {
        "id": "56be4db0acb8001400a502ec",
        "title": "Super_Bowl_50",
        "context": "Super Bowl 50 was an American football game. The Denver Broncos defeated the Carolina Panthers.",
        "question": "Which NFL team won Super Bowl 50?",
        "answers": {
            "text": ["Denver Broncos", "the Denver Broncos", "Broncos"],
            "answer_start": [177, 173, 184],
        },
    }
    t = _one(store, write_jsonl, row, mapping={"answer": "answers"})
    assert (t["domain"], t["verifier"], t["answer"]) == ("short_answer", "exact", "Denver Broncos")
    # "the Denver Broncos" is the same answer to `exact` (a leading article is dropped): kept once
    assert t["verifier_args"] == {"aliases": ["Broncos"]}
    assert "The Denver Broncos defeated" in t["prompt"]


NQ = [
    {"question": "when was the last time anyone was on the moon", "answer": ["14 December 1972 UTC", "December 1972"]},
    {"question": "who wrote he ain't heavy he's my brother lyrics", "answer": ["Bobby Scott", "Bob Russell"]},
    {"question": "how many episodes in season 2 breaking bad", "answer": ["13"]},
]


def test_a_list_answer_needs_answer_list_any(store, write_jsonl) -> None:
    """NQ-open's `answer` lists the accepted answers: every row was quarantined "got list". A list may also mean
    "all of these" (OlympiadBench's parts), so several answers need `answer_list: any`; one is the answer."""
    path = write_jsonl("nq.jsonl", NQ)
    rep = ingest_paths(store, [path])
    assert (rep.metadata["ingested"], rep.metadata["quarantined"]) == (1, 2)
    detail = store.read("quarantine")["detail"][0]
    assert "list of 2 answers" in detail and "answer_list: any" in detail and "--answer-list any" in detail, detail
    t = store.read("tasks").row(0, named=True)
    assert (t["verifier"], t["answer"]) == ("math", "13")  # one answer: a plain answer, as a text would be

    again = [{**r, "question": "NQ: " + r["question"]} for r in NQ]  # not exact duplicates of the stored task
    rep = ingest_paths(store, [write_jsonl("nq2.jsonl", again)], source="nq", answer_list="any")
    assert rep.metadata["ingested"] == 3
    got = {
        r["answer"]: (r["domain"], r["verifier"], json.loads(r["verifier_args"]))
        for r in store.query("SELECT * FROM tasks WHERE source = 'nq'").iter_rows(named=True)
    }
    assert got == {
        "14 December 1972 UTC": ("short_answer", "exact", {"aliases": ["December 1972"]}),
        "Bobby Scott": ("short_answer", "exact", {"aliases": ["Bob Russell"]}),
        "13": ("short_answer", "exact", {}),
    }


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("does ethanol take more energy make that produces", False, ("no", ["false"])),
        ("is windows movie maker part of windows essentials", True, ("yes", ["true"])),
        ("True or false: the Moon is larger than the Earth.", False, ("false", ["no"])),
        # BIG-Bench Hard's boolean expressions name the Python literals: the answer is one of them (it was "no")
        ("not ( True ) and ( True ) is", False, ("false", ["no"])),
        ("True and not False is", True, ("true", ["yes"])),
    ],
)
def test_a_boolean_answer_is_yes_or_no(store, write_jsonl, question, answer, expected) -> None:
    """BoolQ's and StrategyQA's answers are booleans: every row was quarantined `wrong_type:answer`."""
    row = {"question": question, "answer": answer, "passage": "Ethanol fuel is ethyl alcohol. " * 3}
    t = _one(store, write_jsonl, row)
    assert (t["domain"], t["verifier"], t["answer"], t["verifier_args"]["aliases"]) == (
        "short_answer",
        "exact",
        *expected,
    )
    assert "Ethanol fuel" in t["prompt"]  # BoolQ's passage is the prompt's context


def test_several_answers_need_a_verifier_that_reads_aliases(store, write_jsonl) -> None:
    """`math` compares with one reference: the row's other answers would fail every response that gives them."""
    row = {"question": "Name a prime below 5.", "answer": ["2", "3"], "verifier": "math"}
    ingest_paths(store, [write_jsonl("p.jsonl", [row])], answer_list="any")
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "invalid_value:answer" and "exact" in detail and "2 answers" in detail, detail


def test_an_answers_column_is_named_in_the_missing_answer_message(store, write_jsonl) -> None:
    """WebQuestions' and SQuAD's `answers` is no answer alias (a column of model answers is named so too): the
    quarantine said "no answer" without naming the column the file has."""
    rows = [
        {"question": "what is the name of justin bieber brother?", "answers": ["Jazmyn Bieber", "Jaxon Bieber"]},
        {"question": "what character did natalie portman play in star wars?", "answers": ["Padmé Amidala"]},
    ]
    ingest_paths(store, [write_jsonl("wq.jsonl", rows)])
    details = store.read("quarantine")["detail"].to_list()
    assert len(details) == 2 and all("--map answer=answers" in d for d in details), details
    rep = ingest_paths(
        store, [write_jsonl("wq2.jsonl", rows)], source="wq", mapping={"answer": "answers"}, answer_list="any"
    )
    assert rep.metadata["ingested"] == 2
    got = store.query("SELECT answer, verifier_args FROM tasks ORDER BY answer").rows()
    assert got == [("Jazmyn Bieber", '{"aliases":["Jaxon Bieber"]}'), ("Padmé Amidala", "{}")]


def test_a_list_answer_written_as_text_in_a_csv_is_a_list(store, tmp_path) -> None:
    """pandas' `to_csv` writes NQ-open's answer list as a Python literal: "['Bobby Scott', 'Bob Russell']" became
    the reference text of a `math` task, which no right answer could pass, silently."""
    frame = pl.DataFrame(
        {
            "question": [
                "who wrote he ain't heavy he's my brother lyrics",
                "how many episodes in season 2 breaking bad",
                "what is the interval where x^2 <= 1",
            ],
            "answer": ["['Bobby Scott', 'Bob Russell']", '["13"]', "[-1, 1]"],
        }
    )
    frame.write_csv(tmp_path / "nq.csv")
    ingest_paths(store, [tmp_path / "nq.csv"])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:answer" and "list of 2 answers ('Bobby Scott', 'Bob Russell')" in detail, detail
    got = dict(store.query("SELECT answer, verifier FROM tasks").rows())
    assert got == {"13": "math", "[-1, 1]": "math"}  # one quoted value is that value; an interval is no list

    frame.with_columns(("NQ: " + pl.col("question")).alias("question")).write_csv(
        tmp_path / "nq2.csv"
    )  # no exact duplicates
    ingest_paths(store, [tmp_path / "nq2.csv"], source="nq", answer_list="any")
    got = {
        a: (v, json.loads(va))
        for a, v, va in store.query("SELECT answer, verifier, verifier_args FROM tasks WHERE source = 'nq'").rows()
    }
    assert got["Bobby Scott"] == ("exact", {"aliases": ["Bob Russell"]}) and got["13"] == ("exact", {})


def test_a_boolean_written_as_text_is_a_boolean(store, tmp_path) -> None:
    """pandas' `to_csv` writes BoolQ's boolean answer as `True` / `False`: a `math` task whose right answer, "Yes",
    failed (the model boxes its yes or no), so a CSV of BoolQ gave no rows."""
    frame = pl.DataFrame(
        {
            "question": ["is the sky blue", "is grass red", "True or false: 7 is prime."],
            "answer": ["True", "false", "TRUE"],
            "passage": ["The sky is blue because of Rayleigh scattering of sunlight in the air."] * 3,
        }
    )
    frame.write_csv(tmp_path / "boolq.csv")
    ingest_paths(store, [tmp_path / "boolq.csv"])
    got = {
        p.split("\n")[0]: (d, v, a, json.loads(va))
        for p, d, v, a, va in store.query("SELECT prompt, domain, verifier, answer, verifier_args FROM tasks").rows()
    }
    assert got == {
        "is the sky blue": ("short_answer", "exact", "yes", {"aliases": ["true"]}),
        "is grass red": ("short_answer", "exact", "no", {"aliases": ["false"]}),
        "True or false: 7 is prime.": ("short_answer", "exact", "true", {"aliases": ["yes"]}),
    }
    # without a passage (the bulk path reads such a file) and beside a numeric answer
    pl.DataFrame({"question": ["Is 9 a square?", "What is 2 + 2?"], "answer": ["True", "4"]}).write_csv(
        tmp_path / "tf.csv"
    )
    ingest_paths(store, [tmp_path / "tf.csv"])
    got = dict(store.query("SELECT prompt, answer || '/' || verifier FROM tasks WHERE prompt LIKE '%?'").rows())
    assert got == {"Is 9 a square?": "yes/exact", "What is 2 + 2?": "4/math"}


@pytest.mark.parametrize(
    ("row", "col"),
    [
        ({"input": "not ( True ) and ( True ) is", "target": "False"}, "input"),  # BIG-Bench Hard
        ({"inputs": "Translate to French: cheese", "targets": "fromage"}, "inputs"),  # FLAN, Super-NaturalInstructions
        (
            {"ctx": "A man is sitting on a roof. He", "endings": ["is up.", "is down."], "label": "0"},
            "ctx",
        ),  # HellaSwag
        ({"goal": "How do I dry a wet phone?", "sol1": "Rice.", "sol2": "Oven.", "label": 0}, "goal"),  # PIQA
    ],
)
def test_a_row_without_a_prompt_column_names_the_column_that_may_hold_it(store, write_jsonl, row, col) -> None:
    """BIG-Bench Hard's `input` and FLAN's `inputs` are no prompt alias (Alpaca's `input` is the text an instruction
    is about): the row is quarantined, and the detail now names the column and the mapping that reads it."""
    ingest_paths(store, [write_jsonl("x.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "missing_field:prompt" and f"--map prompt={col}" in detail, detail


def test_a_chat_in_an_input_column_is_named_with_the_messages_mapping(store, write_jsonl) -> None:
    """Llama-Nemotron's post-training rows keep the chat in `input`: the detail names `--map messages=input`."""
    row = {"input": [{"role": "user", "content": "What is 12*12?"}], "output": "<think>\n144\n</think>\n\n144"}
    ingest_paths(store, [write_jsonl("x.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "missing_field:prompt" and "--map messages=input" in detail, detail


@pytest.mark.parametrize("col", ["reference_answer", "ground_truth", "gold_answer", "best_answer", "Reference_Answer"])
def test_a_row_without_an_answer_column_names_the_column_that_may_hold_it(store, write_jsonl, col) -> None:
    """natural_reasoning's `reference_answer` (and other answer-like names) is no alias: its free-form answers
    need a look first. The detail names the column and the mapping."""
    ingest_paths(store, [write_jsonl("x.jsonl", [{"question": "What is the derivative of x^2?", col: "2x"}])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "missing_field:answer" and f"--map answer={col}" in detail, detail


@pytest.mark.parametrize("info", ['{"ground_truth": "4"}', {"ground_truth": "4"}, '{"ground_truth": 4}'])
def test_synthetic1s_verification_info_ground_truth_is_the_answer(store, write_jsonl, info) -> None:
    """PrimeIntellect SYNTHETIC-1's verifiable_math rows hold the answer as `verification_info: {"ground_truth":
    ...}` (its code rows hold test cases there): every such row was quarantined `wrong_type:tests`."""
    row = {
        "problem_id": "numina_1",
        "task_type": "verifiable_math",
        "prompt": "What is 2+2? Return your final response as 'Final Answer: \\boxed{<answer>}'",
        "gold_standard_solution": "4",
        "verification_info": info,
    }
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["domain"], t["answer"], t["verifier_args"]) == ("math", "math", "4", {})
    assert "verification_info" not in t["metadata"] and t["metadata"]["task_type"] == "verifiable_math"


def test_a_ground_truth_beside_an_answer_column_stays_in_metadata(store, write_jsonl) -> None:
    row = {"prompt": "What is 2+2?", "answer": "4", "verification_info": '{"ground_truth": "4"}'}
    t = _one(store, write_jsonl, row)
    assert (t["verifier"], t["answer"], t["metadata"]) == ("math", "4", {"verification_info": '{"ground_truth": "4"}'})


def _am_row(question: str, reply: str, reference: str | None) -> dict:
    """a-m-team's AM-DeepSeek-R1-Distilled layout: the reference answer in the user turn's `info`, the reply in
    DeepSeek-R1-Zero's `<think>...</think> <answer>...</answer>` shape."""
    return {
        "messages": [
            {"role": "user", "content": question, "info": {"source": "x", "reference_answer": reference}},
            {"role": "assistant", "content": reply, "info": {"source": "am-0309"}},
        ]
    }


def test_an_answer_tag_wraps_the_replys_answer(store, write_jsonl) -> None:
    """`<answer>\\nParis\\n</answer>` was read as free-form text (quarantined `missing_field:verifier`)."""
    t = _one(
        store,
        write_jsonl,
        _am_row("Name the capital of France.", "<think>\nEasy.\n</think>\n<answer>\nParis\n</answer>", None),
    )
    assert (t["answer"], t["verifier"]) == ("Paris", "math")


def test_the_user_turns_reference_answer_wins_over_the_reply(store, write_jsonl) -> None:
    """The reply is a distilled model's and may be wrong; the row's own reference answer was ignored: here the reply
    says 52 and a right response (51) would fail."""
    row = _am_row("What is 17 * 3?", "<think>\n17*3 = 52.\n</think>\n<answer>\n\\boxed{52}\n</answer>", "51")
    t = _one(store, write_jsonl, row)
    assert (t["answer"], t["verifier"]) == ("51", "math")
    assert t["metadata"]["solution"].endswith("</answer>")  # the reply is kept as the row's solution


def test_an_object_in_an_answer_like_column_is_not_named_as_the_answer(store, write_jsonl) -> None:
    """An object in an answer-like column is no answer value, so the detail does not suggest mapping it.
    (RLVR-IFeval's `ground_truth`, `{"func_name": ...}`, is read as ifeval constraints: test_ingest_rlvr_ifeval.py.)"""
    row = {
        "messages": [{"role": "user", "content": "Write a haiku in lowercase."}],
        "ground_truth": '{"style": "haiku", "case": "lower"}',
    }
    ingest_paths(store, [write_jsonl("x.jsonl", [row])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "missing_field:answer" and "--map answer" not in detail, detail


_XLAM_TOOLS = [{"name": "live_giveaways_by_type", "description": "Retrieve live giveaways", "parameters": {}}]


@pytest.mark.parametrize("tools", [json.dumps(_XLAM_TOOLS), _XLAM_TOOLS])
@pytest.mark.parametrize("mapping", [None, {"answer": "answers"}])
def test_a_row_with_tools_to_call_is_quarantined(store, write_jsonl, tools, mapping) -> None:
    """xLAM's function-calling rows (`query`, `tools`, `answers`: the calls): mapped, each became a math task whose
    reference was the calls' JSON, asked without the tools (they went to metadata)."""
    row = {"query": "Where can I find live giveaways for beta access?", "answers": '[{"name": "x"}]', "tools": tools}
    ingest_paths(store, [write_jsonl("x.jsonl", [row])], mapping=mapping)
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "needs_tools" and "'tools'" in detail, detail


def test_a_plain_row_with_tools_takes_the_per_row_path(store, write_jsonl) -> None:
    rows = [{"question": f"What is {i}+1?", "answer": str(i + 1), "tools": json.dumps(_XLAM_TOOLS)} for i in range(3)]
    rep = ingest_paths(store, [write_jsonl("x.jsonl", rows)])
    assert rep.metadata["quarantine_reasons"] == {"needs_tools": 3}


def test_an_empty_tools_column_is_no_tools(store, write_jsonl) -> None:
    t = _one(store, write_jsonl, {"question": "What is 1+1?", "answer": "2", "tools": "[]"})
    assert t["metadata"] == {"tools": "[]"}


def test_squads_answers_object_is_named_in_the_missing_answer_message(store, write_jsonl) -> None:
    """SQuAD's `answers` is an object ({text, answer_start}): the quarantine said "no answer ..." without naming it,
    though a list column of that name was named."""
    row = {
        "id": "5733be284776f41900661182",
        "context": "The school has a Catholic character. Atop the Main Building's gold dome is a statue.",
        "question": "What sits on top of the Main Building?",
        "answers": {"text": ["a statue"], "answer_start": [86]},
    }
    ingest_paths(store, [write_jsonl("squad.jsonl", [row])])
    ((detail,),) = store.read("quarantine").select("detail").rows()
    assert "--map answer=answers" in detail, detail
    rep = ingest_paths(store, [write_jsonl("squad2.jsonl", [row])], source="sq", mapping={"answer": "answers"})
    assert rep.metadata["ingested"] == 1


_TOOL_CALL = {"id": "call_1", "type": "function", "function": {"name": "calc", "arguments": '{"expr": "17*3"}'}}


@pytest.mark.parametrize(
    ("chat", "turn"),
    [
        # OpenAI's layout: the assistant's call (with a preamble), the tool's result, the final reply
        (
            [
                {"role": "user", "content": "What is 17*3?"},
                {"role": "assistant", "content": "I'll compute it.", "tool_calls": [_TOOL_CALL]},
                {"role": "tool", "tool_call_id": "call_1", "content": "51"},
                {"role": "assistant", "content": "51"},
            ],
            1,
        ),
        # the call with no text, and the legacy `function_call` / `function` turns
        (
            [
                {"role": "user", "content": "What is 17*3?"},
                {"role": "assistant", "content": None, "function_call": {"name": "calc", "arguments": "{}"}},
                {"role": "function", "name": "calc", "content": "51"},
                {"role": "assistant", "content": "51"},
            ],
            1,
        ),
        # LLaMA-Factory's ShareGPT tool turns
        (
            [
                {"from": "human", "value": "What is 17*3?"},
                {"from": "function_call", "value": '{"name": "calc", "arguments": {"expr": "17*3"}}'},
                {"from": "observation", "value": "51"},
                {"from": "gpt", "value": "51"},
            ],
            1,
        ),
        # Hermes' function-calling set: the call in the reply's text, the result in a `tool` turn
        (
            [
                {"from": "human", "value": "What is 17*3?"},
                {"from": "gpt", "value": '<tool_call>\n{"name": "calc"}\n</tool_call>'},
                {"from": "tool", "value": "<tool_response>\n51\n</tool_response>"},
                {"from": "gpt", "value": "51"},
            ],
            2,
        ),
    ],
)
@pytest.mark.parametrize("defaults", [None, {"verifier": "judge"}])
def test_a_chat_with_tool_turns_is_quarantined(store, write_jsonl, chat, turn, defaults) -> None:
    """A function-calling chat: the reply after the user turn is the model's call (or its preamble, "I'll compute
    it."), and the final reply rests on a tool's result. It was a task asked without the tools, whose reference was
    the preamble ("I'll compute it." as a math answer: every right answer failed; a judge compared with it), or with
    no reference at all."""
    key = "messages" if "role" in chat[0] else "conversations"
    ingest_paths(store, [write_jsonl("x.jsonl", [{key: chat}])], defaults=defaults)
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "needs_tools" and f"turn {turn}" in detail, detail


def test_a_chat_whose_turns_hold_empty_call_keys_is_no_tool_chat(store, write_jsonl) -> None:
    """A Parquet file whose other rows call tools gives every turn the keys, null or empty: no call."""
    chat = [
        {"role": "user", "content": "What is 17*3?", "tool_calls": None, "function_call": None},
        {"role": "assistant", "content": "51", "tool_calls": [], "function_call": {"name": None, "arguments": None}},
    ]
    t = _one(store, write_jsonl, {"messages": chat})
    assert (t["prompt"], t["answer"]) == ("What is 17*3?", "51")


def test_a_prompt_column_beside_the_chat_it_opens_reads_the_chat(store, write_jsonl) -> None:
    """UltraChat's and no_robots' layout: `prompt` is the chat's first user turn, `messages` the whole chat. The chat
    was dropped (not even kept in metadata): no_robots' system turn ("Marv is a chatbot that ... sarcastic") was never
    sent, and the reply never read as the reference. Now the chat's system turns before the prompt are the task's,
    the reply after it is its answer, and a chat with more turns stays in metadata."""
    marv = "Marv is a chatbot that reluctantly answers questions with sarcastic responses."
    chat = [
        {"role": "system", "content": marv},
        {"role": "user", "content": "How many pounds are in a kilogram?"},
        {"role": "assistant", "content": "This again? There are 2.2 pounds in a kilogram. Please make a note of this."},
        {"role": "user", "content": "What does HTML stand for?"},
        {"role": "assistant", "content": "Was Google too busy? Hypertext Markup Language."},
    ]
    row = {"prompt": chat[1]["content"], "prompt_id": "p1", "messages": chat, "category": "Chat"}
    t = _one(store, write_jsonl, row, defaults={"verifier": "judge"})
    assert (t["prompt"], t["system"], t["answer"]) == (chat[1]["content"], marv, chat[2]["content"])
    assert t["metadata"] == {"prompt_id": "p1", "messages": chat, "category": "Chat"}


def test_a_prompt_column_beside_its_one_exchange_takes_the_reply_as_the_answer(store, write_jsonl) -> None:
    chat = [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": "42"}]
    t = _one(store, write_jsonl, {"prompt": "What is 6 times 7?", "prompt_id": "p2", "messages": chat})
    assert (t["prompt"], t["answer"], t["verifier"], t["system"]) == ("What is 6 times 7?", "42", "math", None)
    assert t["metadata"] == {"prompt_id": "p2"}


def test_a_prompt_column_holding_a_later_turn_of_the_chat_is_multi_turn(store, write_jsonl) -> None:
    """The prompt column is the chat's last user turn: asked alone it lacks the turns it follows ("And 7?")."""
    chat = [
        {"role": "user", "content": "What is 6 squared?"},
        {"role": "assistant", "content": "36"},
        {"role": "user", "content": "And 7?"},
        {"role": "assistant", "content": "49"},
    ]
    ingest_paths(store, [write_jsonl("x.jsonl", [{"prompt": "And 7?", "answer": "49", "messages": chat}])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "multi_turn" and "user turn 2" in detail, detail


def test_a_chat_beside_a_prompt_it_does_not_hold_stays_in_metadata(store, write_jsonl) -> None:
    chat = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi! How can I help?"}]
    t = _one(store, write_jsonl, {"question": "What is 6 times 7?", "answer": "42", "messages": chat})
    assert (t["prompt"], t["answer"], t["system"]) == ("What is 6 times 7?", "42", None)
    assert t["metadata"] == {"messages": chat}


@pytest.mark.parametrize(
    "reply", ["We multiply: 6*7 = 42.\n\nSo the answer is $\\boxed{42}$.", "6 times 7 is 42. The answer is: 42"]
)
def test_a_prompt_beside_its_chat_keeps_the_rows_own_solution(store, write_jsonl, reply) -> None:
    """Magpie's layout: `instruction` and `response` beside `conversations`, the same exchange. The response is the
    row's solution, read as before (its boxed or stated value is the answer), not the reply taken whole."""
    chat = [{"from": "human", "value": "What is 6*7?"}, {"from": "gpt", "value": reply}]
    row = {"uuid": "u1", "instruction": "What is 6*7?", "response": reply, "conversations": chat}
    t = _one(store, write_jsonl, row)
    assert (t["prompt"], t["answer"], t["verifier"]) == ("What is 6*7?", "42", "math")
    assert t["metadata"] == {"uuid": "u1", "solution": reply}


@pytest.mark.parametrize(
    ("chat", "named"),
    [
        # turns without roles (Capybara's {input, output} exchanges are read: test_capybaras_exchanges_are_a_chat)
        ([{"text": "What is 6 times 7?"}, {"text": "42"}], "keys text"),
        ([{"role": "bot", "content": "Hi!"}, {"role": "model", "content": "42"}], "roles bot, model"),
        ([{"role": "user", "content": None}, {"role": "assistant", "content": "42"}], "user turn 0 holds no text"),
    ],
)
def test_a_chat_without_a_readable_user_turn_names_what_it_holds(store, write_jsonl, chat, named) -> None:
    """The detail said "messages has no user turn" whatever the chat held: turns without roles, roles thinkmill
    does not read, or a user turn without text."""
    ingest_paths(store, [write_jsonl("x.jsonl", [{"conversation": chat}])])
    ((reason, detail),) = store.read("quarantine").select("reason", "detail").rows()
    assert reason == "wrong_type:messages" and named in detail, detail


def test_capybaras_exchanges_are_a_chat(store, write_jsonl) -> None:
    """Capybara's and Pure-Dove's `conversation`: `{input, output}` exchanges, no roles. One exchange is the prompt
    and its reply; several are a chat of several user turns (`multi_turn`). Such rows were quarantined
    wrong_type:messages ("its turns have no role or from")."""
    one = [{"input": "What is 6 times 7?", "output": "42"}]
    t = _one(store, write_jsonl, {"source": "Airoboros", "conversation": one})
    assert (t["prompt"], t["answer"], t["verifier"], t["metadata"]) == (
        "What is 6 times 7?",
        "42",
        "math",
        {"source": "Airoboros"},
    )
    two = [*one, {"input": "And 7 times 7?", "output": "49"}]
    rep = ingest_paths(store, [write_jsonl("two.jsonl", [{"conversation": two}])], source="two")
    assert rep.metadata["quarantine_reasons"] == {"multi_turn": 1}


@pytest.mark.parametrize("last", ["", "  ", None])
def test_a_blank_user_turn_closing_a_chat_is_no_second_turn(store, write_jsonl, last) -> None:
    """ShareGPT exports that end on an empty human turn: it asks nothing, so the chat is single-turn (it was
    quarantined multi_turn, "2 user turns"). A blank user turn before the question still counts: the question may
    follow an exchange whose question is lost."""
    chat = [
        {"from": "human", "value": "What is 6 times 7?"},
        {"from": "gpt", "value": "42"},
        {"from": "human", "value": last},
    ]
    t = _one(store, write_jsonl, {"conversations": chat})
    assert (t["prompt"], t["answer"]) == ("What is 6 times 7?", "42")
    assert t["metadata"] == {"conversations": chat}


def test_a_blank_user_turn_before_the_question_still_counts(store, write_jsonl) -> None:
    chat = [
        {"from": "human", "value": ""},
        {"from": "gpt", "value": "Here is the essay: ..."},
        {"from": "human", "value": "Make it shorter."},
        {"from": "gpt", "value": "..."},
    ]
    ingest_paths(store, [write_jsonl("x.jsonl", [{"conversations": chat}])])
    assert store.read("quarantine")["reason"].to_list() == ["multi_turn"]


def test_an_aliases_column_gives_the_other_accepted_answers(store, write_jsonl, tmp_path) -> None:
    """A trivia file with its aliases in a column of their own (`q, ans, aliases`, as a flattened TriviaQA or a user's
    CSV gives them) kept them in metadata without a word, and `--map aliases=...` was refused as no task field: every
    right answer given by an alias (`\\boxed{Orwell}` for "George Orwell") failed `exact:mismatch`. A column named
    `aliases` beside an exact (or unnamed) verifier, or one mapped as `aliases`, gives the other accepted answers."""
    row = {"q": "Who wrote Nineteen Eighty-Four?", "ans": "George Orwell", "aliases": ["Orwell", "Eric Blair"]}
    t = _one(store, write_jsonl, row, mapping={"prompt": "q", "answer": "ans"}, defaults={"verifier": "exact"})
    assert (t["verifier"], t["answer"]) == ("exact", "George Orwell")
    assert t["verifier_args"] == {"aliases": ["Orwell", "Eric Blair"]} and "aliases" not in t["metadata"]
    # in a CSV, as the list's text; mapped from a column of another name; the answer itself once
    csv = tmp_path / "trivia.csv"
    csv.write_text(
        'question,gold,also\nWhat is the capital of Australia?,Canberra,"[""Canberra"", ""Canberra, ACT""]"\n',
        encoding="utf-8",
    )
    ingest_paths(store, [csv], source="csv", mapping={"answer": "gold", "aliases": "also"})
    t = store.query("SELECT * FROM tasks WHERE source = 'csv'").row(0, named=True)
    assert (t["domain"], t["verifier"], t["answer"]) == ("short_answer", "exact", "Canberra")
    assert json.loads(t["verifier_args"]) == {"aliases": ["Canberra, ACT"]}
    # a math task's own `aliases` column is no list of answers to it: left in metadata, as before
    math = {"problem": "What is 6 times 7?", "answer": "42", "aliases": ["forty-two"]}
    ingest_paths(store, [write_jsonl("math.jsonl", [math])], source="m", defaults={"verifier": "math"})
    t = store.query("SELECT * FROM tasks WHERE source = 'm'").row(0, named=True)
    assert t["verifier"] == "math" and json.loads(t["verifier_args"]) == {}
    assert json.loads(t["metadata"])["aliases"] == ["forty-two"]


def test_a_short_answer_that_states_its_value_is_that_value(store, write_jsonl) -> None:
    """An answer column written as a sentence ("Answer: 42", "The final answer is 48.") made a math task whose
    reference was the sentence: no response could pass it (`\\boxed{42}` failed `math:mismatch`), and every sample
    was paid for nothing. A math or numeric answer that states its value, as a solution's closing line does, is
    that value; the bulk and the per-row path agree."""
    rows = [
        {"question": "What is 6 times 7?", "answer": "Answer: 42"},
        {"question": "What is 6 times 8?", "answer": "The final answer is 48."},
        {"question": "What is 6 times 9?", "answer": "the answer is 54"},
        {"question": "What is 7 times 7?", "answer": "Final answer: $49$"},
    ]
    ingest_paths(store, [write_jsonl("stated.jsonl", rows)])
    got = dict(store.query("SELECT prompt, answer FROM tasks").rows())
    assert got == {
        "What is 6 times 7?": "42",
        "What is 6 times 8?": "48",
        "What is 6 times 9?": "54",
        "What is 7 times 7?": "$49$",
    }
    # an exact task keeps its text: "The answer is blowing in the wind" may be the answer itself
    song = {"question": "Complete the lyric: How many roads ...", "answer": "The answer is blowing in the wind"}
    ingest_paths(store, [write_jsonl("song.jsonl", [song])], source="s", defaults={"verifier": "exact"})
    assert store.query("SELECT answer FROM tasks WHERE source = 's'").item() == "The answer is blowing in the wind"
