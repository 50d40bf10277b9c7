"""Decontamination: n-gram and fuzzy hits and misses, stored hits, read_clean_tasks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import BenchmarkConfig, DecontamConfig
from pipeline.ingest.decontam import (
    Benchmark,
    decontaminate,
    find_contamination,
    load_benchmark,
    read_clean_tasks,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "pipeline" / "sample" / "benchmarks" / "example_bench.jsonl"


def _bench() -> Benchmark:
    return load_benchmark(BenchmarkConfig(name="example_bench", path=str(EXAMPLE)))


def _tasks(prompts: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"task_id": list(prompts), "prompt": list(prompts.values())})


def test_example_benchmark_loads() -> None:
    b = _bench()
    assert b.items.height == 21 and b.items["item_id"][0] == "ex-00"


def test_ngram_hit_inside_a_longer_prompt_and_miss() -> None:
    item = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[1])["question"]
    words = item.split()
    tasks = _tasks(
        {
            # 13 of its 21 tokens (`n ^2 +`: the operators are no tokens)
            "hit": "Please solve carefully. " + " ".join(words[2:16]) + " Show all your work in detail here.",
            # 8 of them: a phrase of the item ("sum of all positive integers n less than"), under 40% of it
            "part": "Please solve carefully. " + " ".join(words[2:10]) + " Show all your work in detail here.",
            "seven": "Solve this: " + " ".join(words[3:10]) + " and then explain the general method used.",
            "miss": "A totally different question about counting the number of edges of a dodecahedron, please.",
        }
    )
    hits = find_contamination(tasks, [_bench()], DecontamConfig())
    assert hits.filter(pl.col("method") == "ngram")["task_id"].to_list() == ["hit"]
    assert hits["benchmark_item"].to_list() == ["ex-01"]
    assert 0 < hits["score"][0] < 1
    # any shared n-gram of the item's own text, as open-r1: `ngram_min_coverage` 0
    hits0 = find_contamination(tasks, [_bench()], DecontamConfig(ngram_min_coverage=0))
    assert set(hits0["task_id"]) == {"hit", "part"}
    # a 7-word overlap is below an 8-gram but a 7-gram config catches it
    hits7 = find_contamination(tasks, [_bench()], DecontamConfig(ngram=7, ngram_min_coverage=0))
    assert set(hits7["task_id"]) == {"hit", "part", "seven"}


def test_ngram_min_overlap_share() -> None:
    item = _bench().items["text"][2]
    tasks = _tasks({"part": " ".join(item.split()[:10]) + " plus unrelated trailing words here today", "full": item})
    hits = find_contamination(tasks, [_bench()], DecontamConfig(ngram_min_overlap=0.9))
    assert hits.filter(pl.col("method") == "ngram")["task_id"].to_list() == ["full"]


def test_fuzzy_hit_for_short_prompts_only() -> None:
    bench = Benchmark(
        "tiny", pl.DataFrame({"item_id": ["t1", "t2"], "text": ["What is 17 times 23?", "Name the largest planet."]})
    )
    tasks = _tasks({"near": "what is 17 times 23 ?", "num": "What is 17 times 24?", "far": "Name a small moon."})
    hits = find_contamination(tasks, [bench], DecontamConfig())
    assert hits["task_id"].to_list() == ["near"]
    assert hits["method"].to_list() == ["fuzzy"] and hits["score"][0] >= 0.95


def test_decontaminate_stores_hits_and_read_clean_tasks(store, write_jsonl, tmp_path: Path) -> None:
    item = _bench().items["text"][4]
    rows = [
        {"id": "dirty", "problem": item, "answer": "1"},
        {
            "id": "clean",
            "problem": "How many sides does a regular hexagon have, and what is its angle sum?",
            "answer": "6",
        },
    ]
    batch = ingest_paths(store, [write_jsonl("a.jsonl", rows)]).metadata["batch"]
    hits = decontaminate(store, [_bench()])
    assert set(hits["task_id"]) == {"local/dirty"}
    c = store.read("contamination")
    assert c["benchmark"].unique().to_list() == ["example_bench"]
    assert set(c["method"]) == {"ngram"} and c["benchmark_item"][0] == "ex-04"
    assert read_clean_tasks(store)["task_id"].to_list() == ["local/clean"]
    assert read_clean_tasks(store, batch=batch).height == 1
    assert read_clean_tasks(store, batch="other").height == 0
    # re-running replaces this benchmark's hits instead of piling them up
    decontaminate(store, [_bench()])
    assert store.count("contamination") == c.height


def test_benchmark_from_saved_dataset_with_text_field(tmp_path: Path) -> None:
    import datasets

    datasets.Dataset.from_list([{"qid": "a", "body": "Prove that the square root of two is irrational."}]).save_to_disk(
        str(tmp_path / "b")
    )
    b = load_benchmark(BenchmarkConfig(name="b", path=str(tmp_path / "b"), text_field="body", id_field="qid"))
    assert b.items.row(0) == ("a", "Prove that the square root of two is irrational.")


def test_read_clean_tasks_limit(store, write_jsonl) -> None:
    rows = [
        {"id": f"k{i}", "problem": f"Question {i} about the number of primes below {i * 100}?", "answer": "1"}
        for i in range(5)
    ]
    ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    full = read_clean_tasks(store)
    head = read_clean_tasks(store, limit=2)
    assert head.schema == full.schema and head.to_dicts() == full.head(2).to_dicts()


GOLD = "What is the chemical symbol for gold?"


@pytest.mark.parametrize(
    "row",
    [
        {"question": GOLD, "choices": ["Ag", "Au", "Gd", "Go"], "answer": "B"},  # ingest appends the options
        {"prompt": GOLD + "\nA) Ag\nB) Au\nC) Gd\nD) Go", "answer": "B"},  # the prompt lists them itself
        {"prompt": GOLD + " (A) Ag (B) Au (C) Gd (D) Go", "answer": "B"},  # ... inline
        {"prompt": GOLD + "\nAnswer Choices: (A) Ag (B) Au (C) Gd (D) Go", "answer": "B"},  # AQuA-RAT's heading
    ],
)
def test_mcq_is_checked_on_its_bare_question(store, write_jsonl, row) -> None:
    """A short benchmark question is found in an MCQ whose prompt lists its options in any layout: only ingest's own
    appended block was taken off, so a prompt listing its options itself was never compared as the bare question."""
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    bench = Benchmark("gold", pl.DataFrame({"item_id": ["g1"], "text": [GOLD]}))
    hits = decontaminate(store, [bench])
    assert hits.select("benchmark_item", "method").rows() == [("g1", "fuzzy")]


def test_a_lettered_list_that_is_not_the_tasks_options_is_kept(store, write_jsonl) -> None:
    """Only the task's own options are taken off: lettered statements the options refer to are the question."""
    prompt = "Which statements hold? (a) gold is a metal, (b) Au is its symbol"
    row = {"question": prompt, "choices": ["(a) only", "(b) only", "both", "neither"], "answer": 2}
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    bench = Benchmark("gold", pl.DataFrame({"item_id": ["g1"], "text": ["Which statements hold?"]}))
    assert decontaminate(store, [bench]).height == 0


# MATH-500 holds many items under 8 words: they have no 8-gram, and the fuzzy check compares whole texts, so such an
# item wrapped in instructions was never found.
SHORT = Benchmark(
    "math500",
    pl.DataFrame(
        {
            "item_id": ["binom", "divisors", "two", "sqrt"],
            "text": [
                "Compute $\\dbinom{31}{28}$.",  # 4 tokens: compute binom 31 28 (`\\dbinom` is `\\binom`)
                "How many positive divisors does 6! have?",
                "What is 2 + 2?",
                "Simplify $\\sqrt{242}$.",  # 3 tokens: under the minimum
            ],
        }
    ),
)


@pytest.mark.parametrize(
    ("prompt", "items"),
    [
        (
            "Solve the following math problem step by step. Compute $\\dbinom{31}{28}$. "
            "Put your final answer in \\boxed{}.",
            ["binom"],
        ),
        ("Problem: Compute $\\dbinom{31}{28}$.\nGive only the final number.", ["binom"]),
        # the same binomial coefficient, written in text style (it was "another command" and kept)
        ("Problem: Compute $\\binom{31}{28}$ and explain each step of the computation.", ["binom"]),
        ("Problem: Compute $\\dbinom{31}{27}$ and explain each step of the computation.", []),
        (
            "Answer the following question and explain your reasoning carefully. "
            "How many positive divisors does 6! have?",
            ["divisors"],
        ),
        ("What is 2 + 2? Explain your answer to a child in one short paragraph, please.", ["two"]),
        ("What is 2 + 2 + 3? Explain your answer to a child in one short paragraph, please.", []),  # a longer sum
        ("Add 5 to it. What is 2 + 2? Explain your answer to a child in one short paragraph.", ["two"]),
        ("Take 7 and 2. What is 2 + 2? Explain your answer to a child in one short paragraph.", ["two"]),
        ("Start from 7. 2 + 2 is 4. What is 2 + 3 then? Explain it to a child in a paragraph.", []),
        ("Please simplify $\\sqrt{242}$ and write the result in simplest radical form, step by step.", []),
    ],
)
def test_short_item_inside_a_longer_prompt_is_contained(prompt: str, items: list[str]) -> None:
    hits = find_contamination(_tasks({"t": prompt}), [SHORT], DecontamConfig())
    assert hits["benchmark_item"].to_list() == items
    assert set(hits["method"]) <= {"contained"} and set(hits["score"]) <= {1.0}


def test_short_item_in_a_number_expression_is_no_hit() -> None:
    """An item that starts or ends with a number is not found where the prompt's expression goes on with another
    number (`What is 2 + 2?` is not `What is 2 + 2 * 5?`), after as before it."""
    bench = Benchmark("b", pl.DataFrame({"item_id": ["i"], "text": ["7 plus 5 equals what number?"]}))
    tasks = _tasks(
        {
            "after": "Compute 3 * 7 plus 5 equals what number? Show every step of your reasoning.",
            "before": "Warm-up first, then the question. 7 plus 5 equals what number? Show every step.",
        }
    )
    assert find_contamination(tasks, [bench], DecontamConfig())["task_id"].to_list() == ["before"]


def test_a_short_item_the_fuzzy_check_finds_is_one_hit() -> None:
    hits = find_contamination(_tasks({"t": "What is 2 + 2?"}), [SHORT], DecontamConfig())
    assert hits.select("benchmark_item", "method").rows() == [("two", "fuzzy")]


def test_short_mcq_question_inside_its_prompt_with_an_instruction(store, write_jsonl) -> None:
    prompt = GOLD + "\nAnswer Choices: (A) Ag (B) Au (C) Gd (D) Go\nAnswer with the letter of the correct choice."
    ingest_paths(store, [write_jsonl("a.jsonl", [{"prompt": prompt, "answer": "B"}])])
    bench = Benchmark("gold", pl.DataFrame({"item_id": ["g1"], "text": [GOLD]}))
    assert decontaminate(store, [bench]).select("benchmark_item", "method").rows() == [("g1", "contained")]


@pytest.mark.parametrize(
    ("item", "prompt", "hit"),
    [
        ("In how many ways can you pay 1,000 dollars?", "In how many ways can you pay 1000 dollars?", True),
        ("In how many ways can you pay 1000000 dollars?", "In how many ways can you pay 1,000,000 dollars?", True),
        ("In how many ways can you pay 1{,}000 dollars?", "In how many ways can you pay 1000 dollars?", True),
        ("What is the distance to (1,2) here?", "What is the distance to (12) here?", False),  # no thousands
        ("In how many ways can you pay 1,000 dollars?", "In how many ways can you pay 1001 dollars?", False),
    ],
)
def test_fuzzy_numbers_rule_reads_thousands_separators(item: str, prompt: str, hit: bool) -> None:
    """`1,000` and `1000` are one number: the fuzzy check's numbers rule refused the pair (the n-gram check reads
    them so too now: test_ngram_and_contained_read_thousands_separators)."""
    bench = Benchmark("b", pl.DataFrame({"item_id": ["i"], "text": [item]}))
    hits = find_contamination(_tasks({"t": prompt}), [bench], DecontamConfig())
    assert ("fuzzy" in hits["method"].to_list()) is hit and (hits.height > 0) is hit


def _random_texts(rnd, n: int, lo: int, hi: int) -> list[str]:
    words = ["what", "is", "the", "sum", "of", "17", "23", "name", "planet", "largest", "é", "ñandú", "x"]
    return [" ".join(rnd.choice(words) for _ in range(rnd.randint(lo, hi))) for _ in range(n)]


def test_fuzzy_check_finds_what_comparing_every_pair_finds() -> None:
    """The fuzzy check compares only texts of close lengths (a ratio >= t needs it); it must find exactly the
    pairs at or above the threshold that scoring every pair finds, empty texts and non-ASCII included."""
    import random

    from rapidfuzz import fuzz

    from pipeline.dedup.normalize import normalize_series

    rnd = random.Random(7)
    tasks = _random_texts(rnd, 400, 0, 9) + _random_texts(rnd, 100, 10, 30)
    items = _random_texts(rnd, 120, 0, 9) + tasks[:40:3]  # near-copies and exact copies of some tasks
    for threshold in (0.95, 0.8, 0.5):
        cfg = DecontamConfig(fuzzy_threshold=threshold, fuzzy_match_numbers=False, ngram=50, contained_min_tokens=49)
        bench = Benchmark("b", pl.DataFrame({"item_id": [f"i{k}" for k in range(len(items))], "text": items}))
        hits = find_contamination(_tasks({f"t{k}": p for k, p in enumerate(tasks)}), [bench], cfg)
        t_norm = normalize_series(pl.Series(tasks)).to_list()
        i_norm = normalize_series(pl.Series(items)).to_list()
        want = {
            (f"t{a}", f"i{b}")
            for a in range(len(tasks))
            for b in range(len(items))
            if fuzz.ratio(t_norm[a], i_norm[b]) >= threshold * 100
        }
        assert set(hits.filter(pl.col("method") == "fuzzy").select("task_id", "benchmark_item").rows()) == want
        assert len(want) > 40


def test_fuzzy_check_scores_only_pairs_of_close_lengths(monkeypatch) -> None:
    """Scoring every task against every short item took ~50 s for 200k tasks and 14k items (MMLU's size) and grows
    with their product: a ratio of 0.95 needs lengths within ~10% of each other, so only such pairs are scored."""
    import pipeline.ingest.decontam as decontam

    scored = []
    real = decontam.cdist

    def counting(a, b, **kw):
        scored.append(len(a) * len(b))
        return real(a, b, **kw)

    monkeypatch.setattr(decontam, "cdist", counting)
    rnd = __import__("random").Random(3)
    tasks = _random_texts(rnd, 1500, 1, 60)
    items = _random_texts(rnd, 200, 1, 9)
    bench = Benchmark("b", pl.DataFrame({"item_id": [f"i{k}" for k in range(200)], "text": items}))
    cfg = DecontamConfig(fuzzy_match_numbers=False, contained_min_tokens=8)
    hits = find_contamination(_tasks({f"t{k}": p for k, p in enumerate(tasks)}), [bench], cfg)
    assert hits.filter(pl.col("method") == "fuzzy").height > 20  # short random texts: some equal pairs
    assert sum(scored) < 1500 * 200 / 4


def test_items_sharing_an_id_are_scored_and_named_apart(tmp_path: Path) -> None:
    """A benchmark folder of files whose ids restart (`aime24.jsonl`, `aime25.jsonl`, each `id` 0..29; GSM8K's
    `main/test.jsonl` and `socratic/test.jsonl` without ids) held items under one id: their n-grams were counted as
    one item's, so a task copying one of them scored under `ngram_min_overlap` and was kept, and the hit named an id
    two rows share."""
    first = _bench().items["text"][0]
    second = _bench().items["text"][1]
    for folder, name, row in (
        ("aime", "aime24.jsonl", {"id": 0, "problem": first}),
        ("aime", "aime25.jsonl", {"id": 0, "problem": second}),
        ("gsm/main", "test.jsonl", {"question": first}),
        ("gsm/socratic", "test.jsonl", {"question": second}),
    ):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / name).write_text(json.dumps(row) + "\n")
    aime = load_benchmark(BenchmarkConfig(name="aime", path=str(tmp_path / "aime")))
    assert aime.items["item_id"].to_list() == ["0 (aime24.jsonl:0)", "0 (aime25.jsonl:0)"]
    gsm = load_benchmark(BenchmarkConfig(name="gsm", path=str(tmp_path / "gsm")))
    assert sorted(gsm.items["item_id"]) == ["main/test.jsonl:0", "socratic/test.jsonl:0"]
    # ids unique across the benchmark are kept as they are (a single file's rows keep `file:row`)
    one = load_benchmark(BenchmarkConfig(name="one", path=str(tmp_path / "gsm" / "main" / "test.jsonl")))
    assert one.items["item_id"].to_list() == ["test.jsonl:0"]
    cfg = DecontamConfig(ngram_min_overlap=0.8)
    hits = find_contamination(_tasks({"t": second}), [aime], cfg)
    assert hits.select("benchmark_item", "method", "score").rows() == [("0 (aime25.jsonl:0)", "ngram", 1.0)]
    # a Benchmark built with repeated ids (the API) is still scored item by item
    shared = Benchmark("b", pl.DataFrame({"item_id": ["0", "0"], "text": [first, second]}))
    assert find_contamination(_tasks({"t": second}), [shared], cfg).select("score").rows() == [(1.0,)]


def test_an_instruction_benchmark_item_holds_its_input(tmp_path: Path) -> None:
    """A benchmark in the Alpaca layout (`instruction`, `input`, `output`: an eval set converted for instruction
    tuning) has its question in `input`, as ingest reads such a row (the instruction, a blank line, the input). Only
    the instruction was read: the question was never compared, so a task copying it was kept, and the generic
    instruction ("Answer the following math question.") was found in every prompt that used it."""
    question = _bench().items["text"][0]
    path = tmp_path / "alpaca_eval.jsonl"
    rows = [
        {"instruction": "Answer the following math question.", "input": question, "output": "6 pm"},
        {"instruction": "Name the largest planet of the solar system, in one word.", "input": "", "output": "Jupiter"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bench = load_benchmark(BenchmarkConfig(name="b", path=str(path)))
    assert bench.items["text"].to_list() == [
        "Answer the following math question.\n\n" + question,
        "Name the largest planet of the solar system, in one word.",
    ]
    tasks = _tasks(
        {
            "copy": question,
            "other": "Answer the following math question. What is the derivative of x squared with respect to x?",
        }
    )
    hits = find_contamination(tasks, [bench], DecontamConfig())
    assert hits.select("task_id", "benchmark_item").rows() == [("copy", "alpaca_eval.jsonl:0")]
    # a text_field names the one field read
    only = load_benchmark(BenchmarkConfig(name="b", path=str(path), text_field="instruction"))
    assert only.items["text"][0] == "Answer the following math question."


def test_benchmark_columns_named_in_another_case(tmp_path: Path) -> None:
    """GPQA's CSV (and the `Idavidrein/gpqa` example of the docs) has `Question`, AIME 2024's `ID` and `Problem`:
    the default fields were looked up in lower case only, so such a benchmark failed with "no text field"."""
    question = _bench().items["text"][3]
    (tmp_path / "gpqa.csv").write_text(
        "Record ID,Question,Correct Answer\n" + f'rec1,"{question}",60\n', encoding="utf-8"
    )
    (tmp_path / "aime.jsonl").write_text(json.dumps({"ID": "2024-I-1", "Problem": question, "Answer": 60}) + "\n")
    gpqa = load_benchmark(BenchmarkConfig(name="gpqa", path=str(tmp_path / "gpqa.csv")))
    assert gpqa.items.rows() == [("gpqa.csv:0", question)]
    aime = load_benchmark(BenchmarkConfig(name="aime", path=str(tmp_path / "aime.jsonl")))
    assert aime.items.rows() == [("2024-I-1", question)]


def test_a_benchmark_item_in_the_tasks_system_prompt_is_found(store, write_jsonl) -> None:
    """A task's own system prompt (`tasks.system`) is sent with every request and carried by the dataset's rows: a
    benchmark question there ("The student is working on this problem: ...") is in the training data as much as in
    the user turn. Only the prompt was checked, so such a task was kept."""
    item = _bench().items["text"][0]
    tutor = "You are a tutor. The student is working on this problem: " + item
    rows = [
        {"id": "col", "system": tutor, "question": "Give the final time only, then a one-line check.", "answer": "6"},
        {"id": "col2", "system": tutor, "question": "Explain the idea of relative speed first.", "answer": "6"},
        {
            "id": "chat",
            "messages": [
                {"role": "system", "content": "Problem: " + item},
                {"role": "user", "content": "Solve the problem above."},
                {"role": "assistant", "content": "6"},
            ],
        },
        {
            "id": "clean",
            "system": "You are a careful tutor.",
            "question": "What is 12 squared, exactly?",
            "answer": "144",
        },
    ]
    ingest_paths(store, [write_jsonl("a.jsonl", rows)])
    hits = decontaminate(store, [_bench()])
    assert hits.select("task_id", "benchmark_item", "method").rows() == [
        ("local/chat", "ex-00", "ngram"),
        ("local/col", "ex-00", "ngram"),
        ("local/col2", "ex-00", "ngram"),
    ]
    assert read_clean_tasks(store)["task_id"].to_list() == ["local/clean"]


def test_a_saved_dataset_dict_benchmark_reads_its_held_out_splits(tmp_path: Path) -> None:
    """`load_dataset("openai/gsm8k", "main").save_to_disk(...)` given as a benchmark, `split` unset: only its train
    split was read, silently, so the test split (what decontamination is for) was never compared; then the dict was
    read whole, its train split included, so good training tasks copied from GSM8K's train split were all flagged.
    It reads its held-out splits now, as a Hub benchmark does (each split's rows named by it), the others listed in
    `left_out`; a dict without one is read whole; `split` still picks one."""
    import datasets

    test_q, train_q = _bench().items["text"][0], _bench().items["text"][1]
    datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_list([{"question": train_q}]),
            "test": datasets.Dataset.from_list([{"question": test_q}]),
        }
    ).save_to_disk(str(tmp_path / "gsm8k"))
    held = load_benchmark(BenchmarkConfig(name="gsm8k", path=str(tmp_path / "gsm8k")))
    assert held.items.rows() == [("test:0", test_q)]
    assert held.sources == (f"{tmp_path / 'gsm8k'}/test",)
    assert [(x.path, x.split) for x in held.left_out] == [(f"{tmp_path / 'gsm8k'}/train", "train")]
    hits = find_contamination(_tasks({"copy": test_q, "train": train_q}), [held], DecontamConfig())
    assert hits.select("task_id", "benchmark_item").rows() == [("copy", "test:0")]
    test = load_benchmark(BenchmarkConfig(name="gsm8k", path=str(tmp_path / "gsm8k"), split="test"))
    assert test.items.rows() == [("gsm8k:0", test_q)]
    # cais/mmlu's splits: test, validation and dev, not auxiliary_train; a dict without a held-out split: all
    q = _bench().items["text"]
    datasets.DatasetDict(
        {
            s: datasets.Dataset.from_list([{"question": q[i]}])
            for i, s in enumerate(["test", "validation", "dev", "auxiliary_train"])
        }
    ).save_to_disk(str(tmp_path / "mmlu"))
    mmlu = load_benchmark(BenchmarkConfig(name="mmlu", path=str(tmp_path / "mmlu")))
    assert mmlu.items["text"].to_list() == q[:3].to_list()
    assert [x.split for x in mmlu.left_out] == ["train"]
    datasets.DatasetDict(
        {s: datasets.Dataset.from_list([{"question": q[i]}]) for i, s in enumerate(["train", "extra"])}
    ).save_to_disk(str(tmp_path / "two"))
    two = load_benchmark(BenchmarkConfig(name="two", path=str(tmp_path / "two")))
    assert two.items["text"].to_list() == q[:2].to_list() and two.left_out == ()


def test_a_benchmark_folder_with_a_file_it_cannot_read_is_refused(tmp_path: Path) -> None:
    """A benchmark folder holding `test.json.gz` beside `dev.jsonl`: the compressed file was passed over without a word,
    its items never checked, and tasks copied from them stayed in the dataset. A benchmark's unread data file stops
    the check, naming it (ingest reports such files; a benchmark left partly unread is a silent miss)."""
    import gzip

    from pipeline.ingest.errors import BenchmarkError

    q = _bench().items["text"]
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "dev.jsonl").write_text(json.dumps({"question": q[0]}) + "\n")
    (folder / "test.json.gz").write_bytes(gzip.compress(json.dumps([{"question": q[1]}]).encode()))
    with pytest.raises(BenchmarkError, match=r"benchmark 'b': .*test\.json\.gz.*decompress"):
        load_benchmark(BenchmarkConfig(name="b", path=str(folder)))


def test_a_benchmark_folder_reads_its_held_out_files(store, tmp_path: Path) -> None:
    """A GSM8K-style benchmark folder (`train.jsonl` beside `test.jsonl`) was read whole: the train questions flagged
    every good task copied from them. With a file named for a held-out split, the files named for `train` are left
    out (and listed: metadata `left_out_files`, a report line); files named for none (`aime24.jsonl`) are read; a
    folder without a held-out file is read whole."""
    from pipeline.config import ThinkmillConfig
    from pipeline.ingest.decontam import run

    q = _bench().items["text"]
    folder = tmp_path / "bench"
    (folder / "gsm8k").mkdir(parents=True)
    for name, text in [("gsm8k/train.jsonl", q[0]), ("gsm8k/test.jsonl", q[1]), ("aime24.jsonl", q[2])]:
        (folder / name).write_text(json.dumps({"question": text}) + "\n")
    b = load_benchmark(BenchmarkConfig(name="b", path=str(folder)))
    assert sorted(b.items["text"].to_list()) == sorted([q[1], q[2]])
    assert [(x.path, x.split) for x in b.left_out] == [(str(folder / "gsm8k" / "train.jsonl"), "train")]
    report = run(store, ThinkmillConfig(), benchmarks=[BenchmarkConfig(name="b", path=str(folder))])
    assert report.metadata["left_out_files"] == [
        {"benchmark": "b", "path": str(folder / "gsm8k" / "train.jsonl"), "split": "train"}
    ]
    assert report.metadata["read"]["b"] == [str(folder / "aime24.jsonl"), str(folder / "gsm8k" / "test.jsonl")]
    assert any("gsm8k/train.jsonl: named for split train, left out" in line for line in report.summary)
    # no held-out file: read whole (a folder of one benchmark's `train.jsonl`, GPQA's one split)
    (folder / "gsm8k" / "test.jsonl").unlink()
    whole = load_benchmark(BenchmarkConfig(name="b", path=str(folder)))
    assert sorted(whole.items["text"].to_list()) == sorted([q[0], q[2]]) and whole.left_out == ()
    # `split: train` reads the train file
    train = load_benchmark(BenchmarkConfig(name="b", path=str(folder / "gsm8k"), split="train"))
    assert train.items["text"].to_list() == [q[0]]


@pytest.mark.parametrize(
    ("item", "prompt", "method"),
    [
        # 6 tokens with `1000`, 7 with `1 000`: contained, wrapped in instructions
        (
            "What is 1,000 divided by 8?",
            "Solve: What is 1000 divided by 8? Show your reasoning, then the result.",
            "contained",
        ),
        (
            "What is 1000 divided by 8?",
            "Solve: What is 1,000 divided by 8? Show your reasoning, then the result.",
            "contained",
        ),
        (
            "What is 1{,}000 divided by 8?",
            "Solve: What is 1,000 divided by 8? Show your reasoning, then the result.",
            "contained",
        ),
        # every 8-gram of the item holds its number
        (
            "Find the remainder when 1,000,000 is divided by 7.",
            "Find the remainder when 1000000 is divided by 7. Explain each step of the modular arithmetic you use.",
            "ngram",
        ),
        (
            "What is 1,000 divided by 8?",
            "Solve: What is 1001 divided by 8? Show your reasoning, then the result.",
            None,
        ),
        (
            "Where is the point (1,2) placed?",
            "Solve: where is the point (12) placed? Draw it on the plane, then explain.",
            None,
        ),
    ],
)
def test_ngram_and_contained_read_thousands_separators(item: str, prompt: str, method: str | None) -> None:
    """`1,000` is one number as `1000` is, for the n-gram and contained checks as for the fuzzy check's numbers rule:
    it was two tokens (`1 000`), so a benchmark item that writes its numbers with separators was not found in a
    prompt that writes them without (or the other way round) unless some n-gram avoided every such number."""
    bench = Benchmark("b", pl.DataFrame({"item_id": ["i"], "text": [item]}))
    hits = find_contamination(_tasks({"t": prompt}), [bench], DecontamConfig())
    assert hits["method"].to_list() == ([method] if method else [])


CJK = Benchmark(
    "ceval",
    pl.DataFrame(
        {
            "item_id": ["ceval", "cmmlu", "jp", "short"],
            "text": [
                "下列关于中国古代科举制度的说法，正确的是____",
                "在标准状况下，22.4升氧气的物质的量是多少？",
                "次の文の下線部の意味として最も適切なものを選びなさい。",
                "光合作用的主要产物是什么？",
            ],
        }
    ),
)


@pytest.mark.parametrize(
    ("prompt", "items"),
    [
        (
            "请仔细阅读下面的题目，并给出详细的解答过程。下列关于中国古代科举制度的说法，正确的是 A. 始于唐朝 "
            "B. 始于隋朝 C. 废于明朝 D. 废于元朝。请把最终答案写在方框里。",
            ["ceval"],
        ),
        ("你是一名化学老师。请回答：在标准状况下，22.4升氧气的物质的量是多少？请一步一步思考。", ["cmmlu"]),
        ("以下の問題に答えなさい。次の文の下線部の意味として最も適切なものを選びなさい。理由も説明すること。", ["jp"]),
        # the same exam phrasing, another question: no hit
        ("下列关于中国近代史的说法，正确的是哪一项？请说明理由并给出史料依据，最后写出答案。", []),
        ("下列说法正确的是：A. 光合作用只在白天进行 B. 呼吸作用只在夜晚进行。请解释你的选择，并说明理由。", []),
        ("在标准状况下，11.2升氢气的物质的量是多少？请一步一步思考，并写出计算过程。", []),
        ("請解釋一下光合作用的過程，以及它對地球生態系統的重要性，並舉出三個具體的例子加以說明。", []),
        ("次の文章を読んで、筆者の主張として最も適切なものを選びなさい。理由も説明すること。", []),
        ("请回答下面的生物学问题：光合作用的主要产物是什么？请详细说明你的理由。", ["short"]),  # contained
        ("请回答下面的生物学问题：光合作用的主要场所是什么？请详细说明你的理由。", []),
    ],
    ids=lambda v: None if isinstance(v, list) else f"{len(v)}",
)
def test_a_cjk_item_inside_a_longer_prompt_is_found(prompt: str, items: list[str]) -> None:
    """Chinese and Japanese write no spaces: a `\\w+` token was a whole clause, so an item (C-Eval, CMMLU) asked
    after an instruction shared no n-gram with the prompt and was missed. A CJK character is now a token and an
    n-gram of them is twice `ngram` characters long, so a common exam phrase is no hit."""
    hits = find_contamination(_tasks({"t": prompt}), [CJK], DecontamConfig())
    assert hits["benchmark_item"].to_list() == items


@pytest.mark.parametrize(
    ("prompt", "items"),
    [
        # a C-Eval / CMMLU item (Simplified) copied in Traditional characters, as TMMLU+ and Taiwanese sets write it
        (
            "請仔細閱讀下面的題目。下列關於中國古代科舉制度的說法，正確的是 A. 始於唐朝 B. 始於隋朝。請寫出答案。",
            ["ceval"],
        ),
        ("在標準狀況下，22.4升氧氣的物質的量是多少？", ["cmmlu"]),
        ("請回答下面的生物學問題：光合作用的主要產物是什麼？請詳細說明你的理由。", ["short"]),
        # another question in Traditional characters: no hit
        ("請解釋一下光合作用的過程，以及它對地球生態系統的重要性，並舉出三個具體的例子加以說明。", []),
    ],
    ids=lambda v: None if isinstance(v, list) else f"{len(v)}",
)
def test_an_item_copied_in_traditional_characters_is_found(prompt: str, items: list[str]) -> None:
    """A Simplified Chinese benchmark item written in Traditional characters shared no n-gram with it where their
    characters differ (產物 / 产物, 標準狀況 / 标准状况), and was missed. Both sides are read in Simplified characters
    (OpenCC's t2s)."""
    hits = find_contamination(_tasks({"t": prompt}), [CJK], DecontamConfig())
    assert sorted(set(hits["benchmark_item"])) == items


def test_a_traditional_benchmark_finds_its_item_in_simplified_characters() -> None:
    """The other way round: a Traditional Chinese benchmark (TMMLU+) and a task copied from it in Simplified ones."""
    bench = Benchmark(
        "tmmlu", pl.DataFrame({"item_id": ["t1"], "text": ["在標準狀況下，22.4升氧氣的物質的量是多少？"]})
    )
    hits = find_contamination(
        _tasks({"t": "请回答：在标准状况下，22.4升氧气的物质的量是多少？"}), [bench], DecontamConfig()
    )
    assert set(hits["benchmark_item"]) == {"t1"}


def test_cjk_ngrams_are_the_shortest_runs_weighing_ngram_words() -> None:
    """Each n-gram (`_grams`) of texts mixing words with Han and kana characters is the shortest run of tokens from
    each token that weighs `ngram` words (a word 6, a Han character 3, a kana 2): as a plain loop computes them."""
    import random

    from pipeline.ingest.decontam import _grams, _tokens, _words

    rnd = random.Random(7)
    pool = ["what", "is", "17", "x", "中", "国", "说", "法", "の", "を", "ア", "ー"]
    weight = {"中": 3, "国": 3, "说": 3, "法": 3, "の": 2, "を": 2, "ア": 2, "ー": 2}
    texts = [" ".join(rnd.choice(pool) for _ in range(rnd.randint(0, 30))) for _ in range(60)] + ["what is 17 x"]
    words = _words(pl.Series(texts))
    n = 4
    expected = set()
    for row, toks in enumerate(words.to_list()):
        for i in range(len(toks)):
            total, j = 0, i
            while j < len(toks) and total < 6 * n:
                total, j = total + weight.get(toks[j], 6), j + 1
            if total >= 6 * n:
                expected.add((row, " ".join(toks[i:j])))

    # a run is hashed alike wherever it stands: as the one n-gram from the first token of the text that is that run
    # alone (its n-grams less those of the text without its first token)
    def first(run: str) -> int:
        grams = _grams(_tokens(_words(pl.Series([run, run.split(" ", 1)[1]]))), n)
        (gram,) = set(grams.filter(pl.col("_r") == 0)["gram"]) - set(grams.filter(pl.col("_r") == 1)["gram"])
        return gram

    assert sorted(_grams(_tokens(words), n).rows()) == sorted((row, first(run)) for row, run in expected)


def test_benchmark_layouts_read_as_ingest_reads_prompts(tmp_path: Path) -> None:
    """LiveCodeBench's `question_content`, OpenBookQA's `question_stem`, a chat whose turns hold text parts
    (`[{"type": "text", "text": ...}]`) or are ShareGPT's (`conversations`, `from`/`value`) failed with "no text
    field"."""
    q = _bench().items["text"]
    rows = {
        "lcb.jsonl": {"question_title": "two-sum", "question_content": q[0], "question_id": "2878", "platform": "x"},
        "obqa.jsonl": {"id": "7-980", "question_stem": q[1], "choices": {"text": ["a", "b"], "label": ["A", "B"]}},
        "parts.jsonl": {
            "id": "p1",
            "messages": [
                {"role": "system", "content": [{"type": "text", "text": "You are a careful tutor."}]},
                {"role": "user", "content": [{"type": "text", "text": q[2]}, {"type": "text", "text": q[3]}]},
            ],
        },
        "sharegpt.jsonl": {
            "id": "s1",
            "conversations": [{"from": "human", "value": q[4]}, {"from": "gpt", "value": "7"}],
        },
    }
    for name, row in rows.items():
        (tmp_path / name).write_text(json.dumps(row) + "\n")
    texts = {
        name: load_benchmark(BenchmarkConfig(name="b", path=str(tmp_path / name))).items.rows()[0] for name in rows
    }
    assert texts == {
        "lcb.jsonl": ("2878", q[0]),
        "obqa.jsonl": ("7-980", q[1]),
        "parts.jsonl": ("p1", q[2] + "\n\n" + q[3]),
        "sharegpt.jsonl": ("s1", q[4]),
    }


@pytest.mark.parametrize(
    ("row", "text_field", "error"),
    [
        ({"id": "a", "question": None}, None, "row 1: 'question' is null"),
        ({"id": "a", "question": None}, "question", "row 1: 'question' is null"),
        ({"id": "a", "problem": 17}, None, "row 1: 'problem' holds int, not text"),
        ({"id": "a", "q": "What is 2 + 2?"}, "question", "row 1: no column 'question'"),
        ({"id": "a", "q": "What is 2 + 2?"}, None, "row 1: no text field (set `text_field`"),
        ({"id": "a", "messages": [{"role": "user", "content": None}]}, None, "row 1: 'messages' has no user turn text"),
        ({"id": "a", "chat": [{"role": "assistant", "content": "4"}]}, "chat", "row 1: 'chat' has no user turn text"),
        ({"id": "a", "choices": ["4", "5"]}, "choices", "row 1: 'choices' holds list, not text"),
    ],
)
def test_a_benchmark_row_without_text_is_named(tmp_path: Path, row: dict, text_field: str | None, error: str) -> None:
    """A null text in one row stopped the run with "no text field (set `text_field` ...)", though the field was
    there and set: the row and its field are named (the row is not skipped: an item would be left out silently)."""
    from pipeline.ingest.errors import BenchmarkError

    path = tmp_path / "b.jsonl"
    first = {"id": "ok", text_field or "question": "What is 2 + 2?"}
    path.write_text(json.dumps(first) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(BenchmarkError, match=re.escape(error)):
        load_benchmark(BenchmarkConfig(name="b", path=str(path), text_field=text_field))
    # a text_field naming a chat reads its user turn
    path.write_text(json.dumps({"id": "c", "chat": [{"role": "user", "content": [{"type": "text", "text": "Hi?"}]}]}))
    assert load_benchmark(BenchmarkConfig(name="b", path=str(path), text_field="chat")).items.rows() == [("c", "Hi?")]


@pytest.mark.parametrize(
    ("splits", "split", "read"),
    [
        (["train", "test"], None, ["test"]),  # openai/gsm8k: its test split is the benchmark
        (["train"], None, ["train"]),  # Idavidrein/gpqa: one split, named train
        (["test"], None, ["test"]),  # HuggingFaceH4/MATH-500
        (["test", "validation", "dev", "auxiliary_train"], None, ["test", "validation", "dev"]),  # cais/mmlu
        (["train", "test"], "train", ["train"]),  # `split` set: that one
    ],
)
def test_a_hub_benchmark_reads_its_held_out_splits(
    monkeypatch, store, splits: list[str], split: str | None, read
) -> None:
    """`hf_dataset: openai/gsm8k` without `split` read `train`, silently: its test split, the benchmark, was never
    compared, and every task copied from the train split was flagged. Its held-out splits (validation, test) are read
    now, each named in the items and in `Benchmark.sources`; a dataset without one (GPQA's `train`) is read whole."""
    import datasets

    calls: list[str | None] = []

    def fake_load(name, config, split, revision, streaming):  # type: ignore[no-untyped-def]
        calls.append(split)
        return datasets.Dataset.from_list([{"question": f"A {split} question of the hub set?"}]).to_iterable_dataset()

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    monkeypatch.setattr(datasets, "get_dataset_split_names", lambda name, config, revision=None: splits)
    b = load_benchmark(BenchmarkConfig(name="b", hf_dataset="org/set", hf_config="main", split=split))
    assert calls == read
    assert b.items["text"].to_list() == [f"A {s} question of the hub set?" for s in read]
    assert b.sources == tuple(f"hf://org/set/main:{s}" for s in read)
    if split is None:  # the splits not read are listed
        assert [x.path for x in b.left_out] == [f"hf://org/set/main:{s}" for s in splits if s not in read]
    if split is None and len(splits) == 4:  # the decontaminate stage's report names them
        from pipeline.config import ThinkmillConfig
        from pipeline.ingest.decontam import run

        bcfg = BenchmarkConfig(name="mmlu", hf_dataset="org/set", hf_config="main")
        summary = run(store, ThinkmillConfig(), benchmarks=[bcfg]).summary
        assert "  mmlu: read hf://org/set/main:test, hf://org/set/main:validation, hf://org/set/main:dev" in summary


def test_a_multi_turn_chat_benchmark_reads_its_first_question(tmp_path: Path) -> None:
    """An MT-Bench-style chat was read as its last user turn: the first, real question was never compared, and the
    generic follow-up ("Now make it rhyme better.") was a `contained` item that flagged unrelated prompts. Its items
    are now the first user turn and all its user turns joined (ingest's tasks are a chat's first user turn)."""
    first, follow = "Write a limerick about the moon landing of 1969 please.", "Now make it rhyme better."
    short = "Write a haiku about autumn leaves."  # 6 tokens: found only by the contained check
    rows = [
        {
            "id": "b",
            "messages": [
                {"role": "user", "content": first},
                {"role": "assistant", "content": "..."},
                {"role": "user", "content": follow},
            ],
        },
        {
            "id": "s",
            "conversations": [
                {"from": "human", "value": short},
                {"from": "gpt", "value": "..."},
                {"from": "human", "value": follow},
                {"from": "gpt", "value": "..."},
                {"from": "human", "value": ""},  # an empty turn closing a ShareGPT export is none
            ],
        },
    ]
    path = tmp_path / "mt.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bench = load_benchmark(BenchmarkConfig(name="mt", path=str(path)))
    assert bench.items.rows() == [
        ("b", first),
        ("b", first + "\n\n" + follow),
        ("s", short),
        ("s", short + "\n\n" + follow),
    ]
    tasks = _tasks(
        {
            "copy": first,
            "wrapped": f"Answer in English. {short} Keep it simple.",
            "other": "Here is my sonnet about my cat, who sleeps all day by the window. Now make it rhyme better.",
        }
    )
    hits = find_contamination(tasks, [bench], DecontamConfig())
    assert hits.select("task_id", "benchmark_item", "method").rows() == [
        ("copy", "b", "fuzzy"),
        ("copy", "b", "ngram"),
        ("wrapped", "s", "contained"),
    ]
    # both items of `b` share 8-grams with the copy: the hit scores the closer one, every run
    for _ in range(20):
        scores = find_contamination(tasks, [bench], DecontamConfig()).filter(pl.col("method") == "ngram")["score"]
        assert scores.to_list() == [1.0]


def _one_item(text: str) -> Benchmark:
    return Benchmark("b", pl.DataFrame({"item_id": ["i"], "text": [text]}))


@pytest.mark.parametrize(
    ("item", "prompt"),
    [
        (  # Thai: "Which of the following was the capital of Thailand in the early Ayutthaya period?"
            "ข้อใดต่อไปนี้เป็นเมืองหลวงของประเทศไทยในสมัยกรุงศรีอยุธยาตอนต้น",
            "จงอ่านคำถามอย่างละเอียด {} ตอบพร้อมเหตุผล",
        ),
        ("ນະຄອນຫຼວງຂອງປະເທດລາວແມ່ນເມືອງໃດ", "ກະລຸນາຕອບຄຳຖາມນີ້: {}"),  # Lao: "Which city is the capital of Laos?"
        ("តើរាជធានីនៃប្រទេសកម្ពុជាគឺជាទីក្រុងអ្វី", "សូមឆ្លើយសំណួរខាងក្រោម៖ {}"),  # Khmer: the same of Cambodia
        ("မြန်မာနိုင်ငံ၏မြို့တော်သည်အဘယ်မြို့ဖြစ်သနည်း", "ကျေးဇူးပြု၍ ဖြေပါ။ {}"),  # Myanmar: the same
    ],
)
def test_a_thai_lao_khmer_or_myanmar_item_inside_a_longer_prompt_is_found(item: str, prompt: str) -> None:
    """Thai, Lao, Khmer and Myanmar write no spaces between words (as Chinese): a word token was a whole clause, so
    an item asked after an instruction shared no n-gram with the prompt and was kept."""
    hits = find_contamination(_tasks({"t": prompt.format(item)}), [_one_item(item)], DecontamConfig())
    assert hits["task_id"].to_list() == ["t"]


def test_a_thai_exam_phrase_alone_is_no_hit() -> None:
    """Exam phrasing a Thai prompt shares with an item ("ข้อใดต่อไปนี้ถูกต้องเกี่ยวกับ", which of the following is
    correct about; "จงเลือกคำตอบที่ถูกต้องที่สุด", choose the most correct answer) is under an n-gram's weight."""
    items = [
        "ข้อใดต่อไปนี้ถูกต้องเกี่ยวกับการสังเคราะห์ด้วยแสงของพืชสีเขียว",
        "จงเลือกคำตอบที่ถูกต้องที่สุด พืชสีเขียวสร้างอาหารได้อย่างไรในเวลากลางวัน",
    ]
    prompts = {
        "a": "ข้อใดต่อไปนี้ถูกต้องเกี่ยวกับระบบสุริยะและดาวเคราะห์ทั้งแปดดวง",
        "b": "จงเลือกคำตอบที่ถูกต้องที่สุด ดาวเคราะห์ดวงใดมีขนาดใหญ่ที่สุดในระบบสุริยะ",
    }
    bench = Benchmark("b", pl.DataFrame({"item_id": ["0", "1"], "text": items}))
    assert find_contamination(_tasks(prompts), [bench], DecontamConfig()).height == 0


def test_a_chat_benchmark_reads_its_roles_as_ingest_does(tmp_path: Path) -> None:
    """A benchmark chat with `Human` / `HUMAN` turns (ShareGPT exports) failed to load with "has no user turn text":
    only lower-case `user` / `human` counted, though ingest reads roles in any case."""
    q = "Write a limerick about the moon landing of 1969, in five lines please."
    path = tmp_path / "chat.jsonl"
    path.write_text(
        json.dumps({"id": "a", "conversations": [{"from": "Human", "value": q}, {"from": "GPT", "value": "x"}]}) + "\n"
    )
    bench = load_benchmark(BenchmarkConfig(name="b", path=str(path)))
    assert bench.items["text"].to_list()[0] == q


def test_a_blank_benchmark_item_is_skipped_and_counted(store, tmp_path: Path) -> None:
    """A benchmark row whose text is blank (`""`, spaces) was an item that never matches but was counted as one, so a
    benchmark exported with its questions left empty looked checked. Such rows are skipped now and counted
    (`Benchmark.skipped`, metadata `skipped_items`, a report line); a benchmark of blank rows alone has no items."""
    from pipeline.config import ThinkmillConfig
    from pipeline.ingest.decontam import run
    from pipeline.ingest.errors import BenchmarkError

    q = _bench().items["text"][0]
    path = tmp_path / "b.jsonl"
    rows = [{"id": "a", "question": ""}, {"id": "b", "question": q}, {"id": "c", "question": " \n\t"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    b = load_benchmark(BenchmarkConfig(name="b", path=str(path)))
    assert b.items.rows() == [("b", q)] and b.skipped == 2
    report = run(store, ThinkmillConfig(), benchmarks=[BenchmarkConfig(name="b", path=str(path))])
    assert report.metadata["skipped_items"] == {"b": 2}
    assert "  b: 2 blank items skipped (rows whose text is empty: nothing to compare)" in report.summary
    path.write_text(json.dumps(rows[0]) + "\n")
    with pytest.raises(BenchmarkError, match=r"benchmark 'b' has no items: read .*b\.jsonl \(1 blank row skipped\)"):
        load_benchmark(BenchmarkConfig(name="b", path=str(path)))


def test_a_capybara_conversation_benchmark_is_read_as_ingest_reads_it(tmp_path: Path) -> None:
    """Capybara's and Pure-Dove's `conversation` (`[{"input", "output"}]`, exchanges without roles), which ingest reads
    as chat turns, failed to load as a benchmark with "'conversation' has no user turn text". Each input is a user
    turn: the items are the first input and all inputs joined, as for any chat."""
    q = _bench().items["text"]
    path = tmp_path / "capybara.jsonl"
    rows = [
        {"source": "x", "conversation": [{"input": q[0], "output": "..."}]},
        {"source": "y", "conversation": [{"input": q[1], "output": "..."}, {"input": q[2], "output": None}]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bench = load_benchmark(BenchmarkConfig(name="capy", path=str(path)))
    assert bench.items.rows() == [
        ("capybara.jsonl:0", q[0]),
        ("capybara.jsonl:1", q[1]),
        ("capybara.jsonl:1", q[1] + "\n\n" + q[2]),
    ]
    assert load_benchmark(BenchmarkConfig(name="c", path=str(path), text_field="conversation")).items.height == 3


def test_a_blank_text_field_gives_way_to_the_rows_other_text(tmp_path: Path) -> None:
    """A row whose first text field is blank and whose question is in another (a union of benchmarks exported to
    JSONL: `{"question": "", "problem": ...}`) was read as the blank text: its item was never compared. A blank field
    is read as a null one: the next text field, or the chat, is the item."""
    q = _bench().items["text"]
    path = tmp_path / "union.jsonl"
    rows = [
        {"id": "a", "question": "", "problem": q[0]},
        {"id": "b", "question": " ", "messages": [{"role": "user", "content": q[1]}]},
        {"id": "c", "instruction": "", "input": q[2]},
        {"id": "d", "question": "", "problem": "  "},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bench = load_benchmark(BenchmarkConfig(name="u", path=str(path)))
    assert bench.items.rows() == [("a", q[0]), ("b", q[1]), ("c", q[2])] and bench.skipped == 1


def test_a_missing_or_empty_benchmark_is_one_error_naming_it(tmp_path: Path) -> None:
    """A benchmark path naming nothing said "<path>: no such file or folder" without the benchmark's name, and an
    empty file, an empty folder or a glob matching nothing all said "has no items", not what was read."""
    from pipeline.ingest.errors import BenchmarkError

    def error(path: str) -> str:
        with pytest.raises(BenchmarkError) as exc:
            load_benchmark(BenchmarkConfig(name="b", path=path))
        return str(exc.value)

    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "folder").mkdir()
    assert error(str(tmp_path / "nope.jsonl")) == f"benchmark 'b': {tmp_path / 'nope.jsonl'}: no such file or folder"
    assert error(str(tmp_path / "empty.jsonl")) == f"benchmark 'b' has no items: read {tmp_path / 'empty.jsonl'}"
    assert error(str(tmp_path / "folder")) == f"benchmark 'b' has no items: {tmp_path / 'folder'} holds no file to read"
    assert (
        error(str(tmp_path / "*.parquet"))
        == f"benchmark 'b' has no items: {tmp_path / '*.parquet'} holds no file to read"
    )


def test_a_text_field_names_a_nested_field_as_ingest_mapping_does(tmp_path: Path) -> None:
    """OpenBookQA's and ARC's own JSONL hold the question as `{"question": {"stem": ..., "choices": [...]}}`: the
    benchmark failed with "'question' holds dict, not text", and `text_field: question.stem` (ingest's mapping reads
    such a path) with "no column 'question.stem'". A text_field is read as ingest reads a mapped path."""
    q = _bench().items["text"][0]
    path = tmp_path / "obqa.jsonl"
    row = {"id": "7-980", "question": {"stem": q, "choices": [{"text": "a", "label": "A"}]}, "answerKey": "A"}
    path.write_text(json.dumps(row) + "\n")
    assert load_benchmark(BenchmarkConfig(name="b", path=str(path), text_field="question.stem")).items.rows() == [
        ("7-980", q)
    ]
    from pipeline.ingest.errors import BenchmarkError

    with pytest.raises(BenchmarkError, match=re.escape("'question' holds an object (stem, choices), not text: set")):
        load_benchmark(BenchmarkConfig(name="b", path=str(path)))


ENZYMES = [
    "Enzymes are proteins that lower the activation energy of a reaction",
    "Enzymes are used up in the reactions they catalyse",
    "Enzymes raise the activation energy of a reaction",
    "Enzymes work equally well at any temperature",
]
PLANETS = ["Mercury is the largest planet", "Jupiter is the largest planet", "Mars has no moons", "Venus is hot"]
MMLU = [
    {"id": "true", "question": "Which of the following is true?", "choices": ENZYMES, "answer": 0},
    {"id": "prime", "question": "Which of the following is a prime number?", "choices": ["21", "23", "25", "27"]},
    # a generic stem is one the benchmark asks more than once, with other options
    {"id": "true-2", "question": "Which of the following is true?", "choices": ["Ice sinks", "Ice floats"]},
    {"id": "prime-2", "question": "Which of the following is a prime number?", "choices": ["33", "35", "37", "39"]},
    {"id": "gold", "question": "What is the chemical symbol for gold?", "choices": ["Ag", "Au", "Gd", "Go"]},
]


def _mcq(question: str, choices: list[str], answer: int = 0) -> dict:
    return {"question": question, "choices": choices, "answer": answer}


@pytest.mark.parametrize(
    ("row", "found"),
    [
        (_mcq("Which of the following is true?", ENZYMES), ["true"]),  # the item, copied
        (_mcq("Which of the following is true?", [ENZYMES[i] for i in (2, 0, 3, 1)], 1), ["true"]),  # shuffled
        (  # relabelled, in the prompt's own list
            {
                "prompt": "Which of the following is TRUE?"
                + "".join(f"\n({k}) {o}" for k, o in zip("ABCD", ENZYMES[::-1], strict=True)),
                "answer": "D",
            },
            ["true"],
        ),
        (_mcq("Which of the following is true?", [*ENZYMES[:3], "Enzymes work at any heat"]), ["true"]),  # reworded
        (_mcq("Read carefully. Which of the following is true? Think about each option.", ENZYMES[::-1]), ["true"]),
        (_mcq("Which of the following is a prime number?", ["27", "25", "23", "21"], 2), ["prime"]),
        # the same generic stem, other options: another item
        (_mcq("Which of the following is true?", PLANETS, 1), []),
        (_mcq("Which of the following is true about the solar system?", PLANETS, 1), []),
        (_mcq("Read carefully. Which of the following is true? Think about each option.", PLANETS, 1), []),
        (_mcq("Which of the following is a prime number?", ["4", "9", "11", "15"], 2), []),
        (
            {
                "question": "Which of the following is true about enzymes? 1) lipids 2) proteins. Give its number.",
                "answer": "2",
            },
            [],
        ),
        # a question the benchmark asks once is specific: found without its options, as an open question
        ({"question": "What is the chemical symbol for gold?", "answer": "Au"}, ["gold"]),
        (_mcq("What is the chemical symbol for gold?", ["Au", "Ag", "Fe", "Cu"]), ["gold"]),
    ],
)
def test_a_short_mcq_question_is_found_with_its_options(store, write_jsonl, tmp_path: Path, row, found) -> None:
    """An MMLU item of a generic short question ("Which of the following is true?") flagged every training MCQ asking
    it, whatever its options (fuzzy, or n-gram for an 8-word stem), and every prompt holding it ("... true about the
    solar system?", contained). Such an item (under `short_prompt_words` words, with options) is found only where most
    of its options are too: in any order, under any labels."""
    path = tmp_path / "mmlu.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in MMLU))
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    assert store.count("tasks") == 1
    hits = decontaminate(store, [load_benchmark(BenchmarkConfig(name="mmlu", path=str(path)))])
    assert sorted(set(hits["benchmark_item"])) == found


ARTICLE = (
    "Tom lived in a small village near the sea. Every morning he walked along the beach to collect shells, which he "
    "sold at the market on Sundays. One day he found a bottle with a letter inside, written by a girl from another "
    "country. Tom wrote back, and the two became pen friends for many years."
)
OTHER_ARTICLE = (
    "Maria moved to the city when she was twelve. At first she missed her grandmother's garden, but soon she found a "
    "small park near her school where she planted tomatoes with her new friends every spring."
)
TITLES = ["A Letter in a Bottle", "The Sunday Market", "How to Collect Shells", "A Trip Abroad"]
TITLE_Q = "What is the best title for the passage?"
SIQA_CONTEXT = "Tracy didn't go home that evening and resisted Riley's attacks."
SIQA_Q = "What does Tracy need to do before this?"
SIQA_OPTIONS = {"answerA": "Find somewhere to go", "answerB": "Go home and rest", "answerC": "Apologize to Riley"}
BOOLQ_PASSAGE = "Persian is spoken in Iran, Afghanistan (officially known as Dari) and Tajikistan (as Tajik). " * 3
# the generic questions are asked more than once, about other passages (RACE's title question, ...)
READING = {
    "race": [
        {"id": "race-1", "article": ARTICLE, "question": TITLE_Q, "options": TITLES, "answer": "A"},
        {
            "id": "race-2",
            "article": "Long ago, a fox lived in the woods. " * 6,
            "question": TITLE_Q,
            "options": ["X Y", "Z W"],
            "answer": "A",
        },
    ],
    "siqa": [
        {"context": SIQA_CONTEXT, "question": SIQA_Q, **SIQA_OPTIONS, "label": "1"},
        {"context": "Riley stayed late at work.", "question": SIQA_Q, "answerA": "p q", "answerB": "r s", "label": "1"},
    ],
    "boolq": [
        {"question": "do iran and afghanistan speak the same language", "passage": BOOLQ_PASSAGE, "answer": True},
        {"question": "is the passage about a language", "passage": BOOLQ_PASSAGE, "answer": True},
        {"question": "is the passage about a language", "passage": "Cats sleep a lot. " * 6, "answer": False},
    ],
}


@pytest.mark.parametrize(
    ("row", "found"),
    [
        ({"article": ARTICLE, "question": TITLE_Q, "options": TITLES, "answer": "A"}, ["race-1"]),  # copied
        (  # another question about its passage
            {"article": ARTICLE, "question": "Where did Tom sell his shells?", "options": ["At the market", "Abroad"]}
            | {"answer": "A"},
            ["race-1"],
        ),
        ({"question": TITLE_Q, "options": TITLES, "answer": "A"}, ["race-1"]),  # without its passage, with options
        ({"context": SIQA_CONTEXT, "question": SIQA_Q, **SIQA_OPTIONS, "label": "1"}, ["siqa.jsonl:0"]),
        ({"question": "Do Iran and Afghanistan speak the same language?", "answer": "yes"}, ["boolq.jsonl:0"]),
        # the same generic question about another passage: another item
        (
            {"article": OTHER_ARTICLE, "question": TITLE_Q, "options": ["Maria's Garden", "A New Park"], "answer": "A"},
            [],
        ),
        (
            {"context": "Jordan forgot his wallet at the cafe and walked back.", "question": SIQA_Q}
            | {"answerA": "Go to the cafe", "answerB": "Buy a car", "answerC": "Call a friend", "label": "1"},
            [],
        ),
        (
            {
                "question": "Is the passage about a language?",
                "passage": "French is spoken in France. " * 5,
                "answer": "yes",
            },
            [],
        ),
    ],
)
def test_a_reading_question_is_compared_with_its_passage(store, write_jsonl, tmp_path: Path, row, found) -> None:
    """RACE's, Social IQa's and BoolQ's items are a short question about a passage: the question alone was the item, so
    a training task asking the same generic question ("What is the best title for the passage?") about another passage
    was a hit (n-gram score 1.0), and a copy of the passage with another question was not. The item is now the
    question with its passage, as ingest builds the prompt; the question alone is still found with most of its
    options, or, without options, in a task holding no passage of its own."""
    benches = []
    for name, rows in READING.items():
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        benches.append(load_benchmark(BenchmarkConfig(name=name, path=str(tmp_path / f"{name}.jsonl"))))
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    assert store.count("tasks") == 1
    assert sorted(set(decontaminate(store, benches)["benchmark_item"])) == found


def test_a_benchmark_items_options_and_passage_are_read_as_ingest_reads_them(tmp_path: Path) -> None:
    """Options in each layout ingest reads (a list, ARC's `{label, text}`, MedQA's letter -> text object, one column
    per option, GPQA's columns, TruthfulQA's `mc1_targets`, ARC's own nested `question.choices`), and a passage
    column (added after a blank line, as ingest builds the prompt; the question alone follows, under the same id)."""
    rows = [
        {"id": "list", "question": "Q1?", "choices": ["a", "b"]},
        {"id": "arc", "question": "Q2?", "choices": {"text": ["a", "b"], "label": ["A", "B"]}},
        {"id": "medqa", "question": "Q3?", "options": {"A": "a", "B": "b"}},
        {"id": "siqa", "question": "Q4?", "answerA": "a", "answerB": "b"},
        {"id": "gpqa", "Question": "Q5?", "Correct Answer": "a", "Incorrect Answer 1": "b"},
        {"id": "tqa", "question": "Q6?", "mc1_targets": {"choices": ["a", "b"], "labels": [1, 0]}},
        {"id": "race", "question": "Q7?", "article": "The text.", "options": ["a", "b"]},
        {"id": "plain", "question": "Q8?", "answer": "4"},
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    b = load_benchmark(BenchmarkConfig(name="b", path=str(path)))
    assert b.items.rows()[6:] == [("race", "Q7?\n\nThe text."), ("race", "Q7?"), ("plain", "Q8?")]
    assert b.needs is not None
    assert b.needs.rows() == [(i, ["a", "b"], None) for i in range(6)] + [(7, ["a", "b"], 6)]
    nested = tmp_path / "obqa.jsonl"
    nested.write_text(
        json.dumps({"id": "o", "question": {"stem": "Q?", "choices": {"text": ["a", "b"], "label": ["A", "B"]}}})
    )
    obqa = load_benchmark(BenchmarkConfig(name="o", path=str(nested), text_field="question.stem"))
    assert obqa.needs is not None and obqa.needs.rows() == [(0, ["a", "b"], None)]


def _gsm_variant(name: str, kid: str, nums: tuple[int, int, int, int]) -> str:
    """A GSM-Symbolic-style template (the paper's Figure 1): variants differ in their names and numbers alone."""
    x, y, z, total = nums
    return (
        f"When {name} watches her {kid}, she gets out a variety of toys for him. The bag of building blocks has {x} "
        f"blocks in it. The bin of stuffed animals has {y} stuffed animals inside. The tower of stacking rings has {z} "
        f"multicolored rings on it. {name} recently bought a tube of bouncy balls, bringing her total number of toys "
        f"she bought for her {kid} up to {total}. How many bouncy balls came in the tube?"
    )


def _janet(name: str, nums: tuple[int, int, int, int]) -> str:
    n, a, b, p = nums
    return (
        f"{name}'s ducks lay {n} eggs per day. She eats {a} for breakfast every morning and bakes muffins for her "
        f"friends every day with {b}. She sells the remainder at the farmers' market daily for ${p} per fresh duck "
        "egg. How much in dollars does she make every day at the farmers' market?"
    )


SHARED_PASSAGE = (
    "The Great Barrier Reef, off the coast of Queensland, is the largest coral reef system in the world and can be "
    "seen from outer space."
)
LONG_ARTICLE = (
    "Every spring the village held a market by the old stone bridge. Farmers came from the hills with cheese, honey "
    "and wool, and children ran between the stalls with paper kites. "
    "In the year of the great flood the river rose over the bridge in a single night, and the market moved to the "
    "church square, where it has been held ever since. "
    "Today visitors still ask about the bridge, and the oldest farmers tell them how the water carried away the "
    "stalls but not the stones, which stand in the river to this day. "
    "Last year the town council voted to build a new bridge of steel a little further down the river. Some people "
    "welcomed it, since the road to the hills had been closed for months, but many of the farmers said that a "
    "market without the old bridge would never feel the same, and they asked the council to keep the stones."
)
TEMPLATES = [
    *(
        _gsm_variant(n, k, v)
        for n, k, v in [
            ("Sophie", "nephew", (31, 8, 9, 62)),
            ("Olivia", "son", (12, 20, 7, 55)),
            ("Mia", "brother", (40, 15, 6, 80)),
            ("Emma", "cousin", (25, 11, 14, 70)),
        ]
    ),
    *(_janet(n, v) for n, v in [("Janet", (16, 3, 4, 2)), ("Aisha", (20, 5, 6, 3)), ("Mei", (18, 2, 7, 4))]),
    *(f"Read the passage. {SHARED_PASSAGE} {q}" for q in ("Where is the reef?", "What can see it?", "Is it big?")),
    *(f"{q}\n\n{LONG_ARTICLE}" for q in ("Where was the market first held?", "Why did it move?", "What stays?")),
]


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        # another variant of a template the benchmark holds several of: other names and numbers
        (_gsm_variant("Ava", "grandson", (19, 23, 5, 90)), ["t0", "t1", "t2", "t3"]),
        (_janet("Lucy", (22, 6, 5, 3)), ["t4", "t5", "t6"]),
        # a passage several items quote, with a question of its own
        (f"{SHARED_PASSAGE} How far is it from the coast, in kilometres?", ["t7", "t8", "t9"]),
        # one paragraph of an article several items ask about
        (
            "Summarise this paragraph in one sentence: In the year of the great flood the river rose over the "
            "bridge in a single night, and the market moved to the church square, where it has been held ever since.",
            ["t10", "t11", "t12"],
        ),
    ],
)
def test_text_several_items_share_is_still_found(prompt: str, found: list[str]) -> None:
    """A benchmark's template variants (GSM-Symbolic: items share most n-grams, their names and numbers differ) and a
    passage several of its items quote: a task holding them shares with the items only n-grams three or more items
    hold, and is a leak all the same."""
    bench = Benchmark("b", pl.DataFrame({"item_id": [f"t{i}" for i in range(len(TEMPLATES))], "text": TEMPLATES}))
    hits = find_contamination(_tasks({"t": prompt}), [bench], DecontamConfig())
    assert sorted(set(hits["benchmark_item"]), key=lambda x: int(x[1:])) == found


MEDQA = [  # MedQA-style cases: the benchmark asks each of its stems of many cases
    "A 34-year-old woman comes to the physician because of fatigue and pain in the small joints of both hands for 3 "
    "months. Her temperature is 37.2°C (99°F). Which of the following is the most likely diagnosis?",
    "A 6-year-old boy is brought to the emergency department after a fall from his bicycle. There is swelling and "
    "tenderness over the left wrist. Which of the following is the most likely diagnosis?",
    "A 58-year-old man with a 40-pack-year history of smoking comes to the physician because of a cough and a 6-kg "
    "weight loss over 2 months. Which of the following is the most likely diagnosis?",
    "A man has fever and a murmur. Which of the following is the most likely diagnosis?",  # 16 words
    "A 22-year-old woman has fever, neck stiffness, and a petechial rash on her legs. Her blood pressure is 90/60 mm "
    "Hg. Which of the following is the most appropriate next step in management?",
    "A 67-year-old man has crushing chest pain for 1 hour. An ECG shows ST-segment elevation in leads II, III, and "
    "aVF. Which of the following is the most appropriate next step in management?",
    "A 3-year-old girl has a barking cough and inspiratory stridor at night. Which of the following is the most "
    "appropriate next step in management?",
    "A 52-year-old woman comes to the physician for a routine examination. There is a firm, 2-cm mass in the upper "
    "outer quadrant of the left breast. Which of the following is the most likely diagnosis?",
]


@pytest.mark.parametrize(
    ("prompt", "found"),
    [
        (  # another case, asked as the benchmark asks many
            "A 45-year-old man comes to the emergency department because of sudden tearing chest pain radiating to "
            "his back. His blood pressure is 180/100 mm Hg in the right arm and 140/80 mm Hg in the left arm. Which "
            "of the following is the most likely diagnosis?",
            [],
        ),
        ("A woman has a rash and joint pain. Which of the following is the most likely diagnosis?", []),  # 16 words
        (
            "A 30-year-old woman has palpitations, heat intolerance and a fine tremor. Which of the following is the "
            "most appropriate next step in management?",
            [],
        ),
        (MEDQA[2], ["m2"]),  # the item, copied: no other item for the stem they share
        (MEDQA[3], ["m3"]),
        ("Answer as a board examiner would. " + MEDQA[5] + " Explain briefly.", ["m5"]),
        (MEDQA[0].replace("3 months", "three months"), ["m0"]),
        # the stem and a few words before it: "... in the left breast. Which of the following ..."
        ("A 50-year-old woman has a painless lump in the left breast. " + MEDQA[7][-52:], []),
        ("She has a firm, 2-cm mass in the upper outer quadrant of the left breast. " + MEDQA[7][-52:], ["m7"]),
    ],
)
def test_exam_phrasing_many_items_share_is_no_hit(prompt: str, found: list[str]) -> None:
    """A stem the benchmark ends many of its cases with ("Which of the following is the most likely diagnosis?")
    shares an 8-gram with every other case asked so: such a training task was a hit of each of those items (score
    0.08), though it shares nothing else with them; and, sharing the few words before it too ("... in the left
    breast. Which of ..."), an n-gram no other item holds."""
    bench = Benchmark("medqa", pl.DataFrame({"item_id": [f"m{i}" for i in range(len(MEDQA))], "text": MEDQA}))
    hits = find_contamination(_tasks({"t": prompt}), [bench], DecontamConfig())
    assert sorted(set(hits["benchmark_item"])) == found


def test_the_indexed_ngram_join_finds_what_joining_every_ngram_finds() -> None:
    """The n-gram join leaves out of its index the n-grams of each item that the most items hold (a stem thousands
    of cases share paired every such task with every such item: 20 GB for 50k tasks and 14k items), then counts them
    for the pairs found: the same hits, scores included, as joining every n-gram."""
    from pipeline.dedup.normalize import normalize_series
    from pipeline.ingest.decontam import _grams, _ngram_hits, _tokens, _words

    rnd = __import__("random").Random(3)
    vocab = [f"w{i}" for i in range(60)]
    phrases = [MEDQA[k][-60:] for k in (0, 4)] + ["the bag of building blocks has 31 blocks in it and more"]

    def text(lo: int, hi: int) -> str:
        parts = [" ".join(rnd.choices(vocab, k=rnd.randint(lo, hi))) for _ in range(3)]
        return " ".join(p + (" " + rnd.choice(phrases) if rnd.random() < 0.6 else "") for p in parts)

    items = [text(2, 12) for _ in range(150)]
    # and the first half of others, with text after it
    halves = [" ".join(x.split()[: len(x.split()) // 2]) + " " + text(2, 6) for x in items[5::10]]
    prompts = [text(2, 20) for _ in range(300)] + items[::10] + halves
    task_ids = pl.Series("task_id", [f"t{i}" for i in range(len(prompts))])
    t_runs = _grams(_tokens(_words(normalize_series(pl.Series(prompts)))), 8)
    t_keyed = t_runs.select(task_ids.gather(t_runs["_r"]), "gram")
    i_pos = _grams(_tokens(_words(normalize_series(pl.Series(items)))), 8, at=True).rename({"_r": "item"})
    i_grams = i_pos.select("item", "gram").unique()
    ids = pl.Series([f"i{i}" for i in range(len(items))])
    for cfg in (DecontamConfig(), DecontamConfig(ngram_min_coverage=0), DecontamConfig(ngram_min_overlap=0.3)):
        got, every = (
            _ngram_hits(t_keyed, i_grams, i_pos, ids, cfg, prefix=p).select("task_id", "item", "score").sort(pl.all())
            for p in (True, False)
        )
        assert got.height > 15 and got.equals(every)


@pytest.mark.parametrize(
    ("row", "found"),
    [
        # the generic stem reworded, the item's options as they are
        (_mcq("Which statement is correct?", ENZYMES), ["true"]),
        (_mcq("Pick the one correct statement about enzymes below.", [ENZYMES[i] for i in (3, 1, 0, 2)]), ["true"]),
        (_mcq("Which statement is correct?", [*ENZYMES[:3], "Enzymes are all made of fat"]), ["true"]),  # 3 of 4
        # options too short or too common to tell an item by: no hit without its question
        (_mcq("Which statement is correct?", [*ENZYMES[:2], "Yes", "No"]), []),  # half of them
        (_mcq("Which one holds?", ["I and II only", "II and III only", "I, II and III", "I only"]), []),
        (_mcq("Which one holds?", ["None of the above", "All of the above", "Both A and B", "Ice"]), []),
    ],
)
def test_an_mcq_item_is_found_by_its_options(store, write_jsonl, tmp_path: Path, row, found) -> None:
    """A generic stem is found only with most of its options; reworded ("Which statement is correct?" for "Which of
    the following is true?") with the item's own options, long enough to tell the item by, the task was kept."""
    rows = [
        *MMLU,
        {"id": "roman", "question": "Which statements hold?"}
        | {"choices": ["I and II only", "II and III only", "I, II and III", "I only"]},
        *(
            {"id": f"any-{k}", "question": f"Question {k} about {w}?"}
            | {"choices": ["None of the above", "All of the above", "Both A and B", w]}
            for k, w in enumerate(["ice", "salt", "sand"])
        ),
    ]
    path = tmp_path / "mmlu.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    assert store.count("tasks") == 1
    hits = decontaminate(store, [load_benchmark(BenchmarkConfig(name="mmlu", path=str(path)))])
    assert sorted(set(hits["benchmark_item"])) == found
    assert set(hits["method"]) <= {"options"}


@pytest.mark.parametrize(
    ("row", "found"),
    [
        (  # the whole item in the system prompt
            {
                "system": "You are a tutor. The question: Which of the following is true?\n"
                + "\n".join(f"{k}. {o}" for k, o in zip("ABCD", ENZYMES, strict=True)),
                "question": "Answer the question above with its letter.",
                "answer": "A",
            },
            ["true"],
        ),
        # its stem in the system prompt, its options in the task's own
        ({"system": "Which of the following is true?"} | _mcq("Choose one.", ENZYMES), ["true"]),
        (
            {"system": "Question: What is the chemical symbol for gold?", "question": "One word.", "answer": "Au"},
            ["gold"],
        ),
        ({"system": "Which of the following is true?"} | _mcq("Choose one.", PLANETS), []),
    ],
)
def test_an_mcq_item_in_the_tasks_system_prompt_is_found(store, write_jsonl, tmp_path: Path, row, found) -> None:
    """A benchmark MCQ in the task's system prompt, whole or its stem alone beside the options of the task's own prompt
    (each text is checked apart, so the stem there was kept: it needs its options found, `_options_hits` finds them)."""
    path = tmp_path / "mmlu.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in MMLU))
    ingest_paths(store, [write_jsonl("a.jsonl", [row])])
    assert store.count("tasks") == 1
    hits = decontaminate(store, [load_benchmark(BenchmarkConfig(name="mmlu", path=str(path)))])
    assert sorted(set(hits["benchmark_item"])) == found
