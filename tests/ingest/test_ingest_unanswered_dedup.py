"""Near-duplicate task dedup of tasks with no reference answer (judge, ifeval, regex, json_schema). Their group
(verifier, answer, verifier args) is the same for every judge task without arguments, and for every ifeval task of
one constraint set, so the ~0.9 character similarity was the only test left: one changed word in a short prompt
passes it ("Write a poem about cats." / "... bats." scored 0.958) and the second task was lost as a
`dedup:near_duplicate`. Now such a link also needs the same content words (`pipeline.dedup.words.content_words`)."""

from __future__ import annotations

from pipeline.ingest.api import ingest_paths

LOWERCASE = {"instruction_id_list": ["change_case:english_lowercase"], "kwargs": [{}]}
BLOG = (
    "Write a short blog post about why remote work is {} for productivity. "
    "Your entire response should be in lowercase letters."
)

# pairs of prompts a character ratio of >= 0.9 took for one task, each asking for something else
OTHER_MEANING = [
    ("Write a poem about cats.", "Write a poem about bats."),
    ("List the pros of nuclear energy.", "List the cons of nuclear energy."),
    ("Write a limerick about a cat named Tom.", "Write a limerick about a cat named Tim."),
    (
        "Write a persuasive essay arguing that social media is harmful to teenagers.",
        "Write a persuasive essay arguing that social media is not harmful to teenagers.",
    ),
    (
        "Write a 500-word story about a dragon who loves to read books.",
        "Write a 500-word story about a dragon who hates to read books.",
    ),
    (
        "Summarize the causes of World War I in three sentences.",
        "Summarize the causes of World War II in three sentences.",
    ),
]


def test_unanswered_prompts_that_ask_for_another_thing_are_both_kept(store, write_jsonl) -> None:
    rows = [
        {"id": f"j{i}{s}", "prompt": p, "verifier": "judge"}
        for i, pair in enumerate(OTHER_MEANING)
        for s, p in zip("ab", pair, strict=True)
    ]
    rows += [{"id": f"if{i}", "prompt": BLOG.format(w), **LOWERCASE} for i, w in enumerate(("good", "bad"))]
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert report.metadata["duplicate_reasons"] == {}
    assert store.count("tasks") == len(rows)


def test_unanswered_prompts_written_otherwise_are_still_duplicates(store, write_jsonl) -> None:
    """Formatting (whitespace, punctuation, case, an article) is no other meaning: those still merge, exact or near."""
    essay = "Write a persuasive essay arguing that social media is harmful to teenagers."
    rows = [
        {"id": "a", "prompt": essay, "verifier": "judge"},
        {"id": "b", "prompt": essay.upper().replace(" ", "  "), "verifier": "judge"},  # exact once normalised
        {"id": "c", "prompt": essay.replace(".", "!").replace("arguing that", "arguing, that"), "verifier": "judge"},
        {"id": "d", "prompt": essay.replace("to teenagers", "to the teenagers"), "verifier": "judge"},
        {"id": "e", "prompt": BLOG.format("good"), **LOWERCASE},
        {"id": "f", "prompt": BLOG.format("good").replace("Your entire", "your entire").rstrip("."), **LOWERCASE},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["local/a", "local/e"]
    dups = dict(store.query("SELECT task_id, reason FROM task_duplicates").rows())
    assert dups == {
        "local/b": "dedup:exact",
        "local/c": "dedup:near_duplicate",
        "local/d": "dedup:near_duplicate",
        "local/f": "dedup:near_duplicate",
    }


def test_a_later_unanswered_prompt_is_compared_with_the_stored_tasks_by_its_words(store, write_jsonl) -> None:
    ingest_paths(store, [write_jsonl("one.jsonl", [{"id": "a", "prompt": OTHER_MEANING[0][0], "verifier": "judge"}])])
    later = [
        {"id": "b", "prompt": OTHER_MEANING[0][1], "verifier": "judge"},
        {"id": "c", "prompt": OTHER_MEANING[0][0].rstrip("."), "verifier": "judge"},
    ]
    ingest_paths(store, [write_jsonl("two.jsonl", later)])
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["local/a", "local/b"]
    assert store.query("SELECT task_id, duplicate_of FROM task_duplicates").rows() == [("local/c", "local/a")]


def test_answered_tasks_still_merge_when_reworded(store, write_jsonl) -> None:
    """A reference answer ties a prompt to one question: reworded with the same answer it is a near duplicate (the
    rule above is for unanswered tasks only)."""
    q = "Ten people shake hands with each other exactly once at a party. How many handshakes happen in total?"
    rows = [
        {"problem": q, "answer": "45"},
        {"problem": q.replace("happen in total", "take place in total"), "answer": "45"},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert store.count("tasks") == 1
    assert store.read("task_duplicates")["reason"].to_list() == ["dedup:near_duplicate"]
