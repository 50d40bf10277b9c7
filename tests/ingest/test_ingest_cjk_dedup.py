"""Task dedup of Chinese and Japanese prompts at ingest (the engine's side: tests/dedup/test_dedup_cjk.py). Templated
prompts with the same answer that differ only in their numbers were one task (a digit between two Han characters was
no number to the numbers rule: the second task was lost as a near duplicate), and the same prompt typeset with spaces
around its numbers, or with full-width digits and spaces, was stored twice."""

from __future__ import annotations

from pipeline.ingest.api import ingest_paths

WRAP = "请仔细阅读下面的题目并给出答案。一个数加上{a}等于{b}，这个数是多少？请写出你的计算过程。"


def test_templated_chinese_prompts_with_other_numbers_and_the_same_answer_are_kept(store, write_jsonl) -> None:
    rows = [
        {"id": "a", "question": WRAP.format(a=3, b=10), "answer": "7"},
        {"id": "b", "question": WRAP.format(a=5, b=12), "answer": "7"},
        {"id": "c", "question": WRAP.format(a=1, b=8), "answer": "7"},
    ]
    report = ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert report.metadata["duplicate_reasons"] == {}
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["local/a", "local/b", "local/c"]


def test_the_same_chinese_prompt_typeset_otherwise_is_one_task(store, write_jsonl) -> None:
    plain = "小明有3个苹果，他又买了2个苹果，现在他一共有多少个苹果？"
    rows = [
        {"id": "a", "question": plain, "answer": "5"},
        {"id": "b", "question": "小明有 3 个苹果，他又买了 2 个苹果，现在他一共有多少个苹果？", "answer": "5"},
        {"id": "c", "question": "小明有３个苹果，\u3000他又买了２个苹果，现在他一共有多少个苹果？", "answer": "5"},
        {"id": "d", "question": "小明有5个苹果，他又买了2个苹果，现在他一共有多少个苹果？", "answer": "7"},
    ]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)])
    assert sorted(store.read("tasks")["task_id"].to_list()) == ["local/a", "local/d"]
    dups = store.query("SELECT task_id, reason, duplicate_of FROM task_duplicates ORDER BY task_id").rows()
    assert dups == [("local/b", "dedup:exact", "local/a"), ("local/c", "dedup:exact", "local/a")]


def test_a_later_spaced_copy_is_a_duplicate_of_the_stored_task(store, write_jsonl) -> None:
    """Against the stored tasks too; the stored task's prompt_hash (and a hash id) is not changed by the new rule."""
    plain = "太郎はりんごを3個持っています。2個食べました。残りは何個ですか。"
    ingest_paths(store, [write_jsonl("one.jsonl", [{"question": plain, "answer": "1"}])])
    (first,) = store.read("tasks")["task_id"].to_list()
    spaced = "太郎はりんごを 3 個持っています。 2 個食べました。残りは何個ですか。"
    later = [{"question": spaced, "answer": "1"}, {"question": plain, "answer": "1"}]
    ingest_paths(store, [write_jsonl("two.jsonl", later)])
    assert store.read("tasks")["task_id"].to_list() == [first]
    assert store.query("SELECT reason, duplicate_of FROM task_duplicates").rows() == [("dedup:exact", first)]
