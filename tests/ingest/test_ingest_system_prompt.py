"""A task's own system prompt (a chat's system turn, OpenOrca's `system_prompt` column) is part of the task.

It used to be left in `metadata` and never sent: a row whose instruction lives in its system turn ("Translate the
user's text into French.") was generated and trained on without it, silently.
"""

from __future__ import annotations

import json

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.normalize import Rejected, normalize_record
from pipeline.trace import THINK_SYSTEM_PROMPT


def _tasks(store) -> list[dict]:
    out = []
    for t in store.read("tasks").sort("source_row").iter_rows(named=True):
        t["metadata"] = json.loads(t["metadata"])
        out.append(t)
    return out


def _one(store, write_jsonl, row, **kw) -> dict:
    rep = ingest_paths(store, [write_jsonl("one.jsonl", [row])], **kw)
    assert rep.metadata["ingested"] == 1, store.read("quarantine")["detail"].to_list()
    return _tasks(store)[0]


def _norm(row: dict, **source) -> dict | Rejected:
    return normalize_record(row, SourceConfig(name="s", path="x.jsonl", **source), max_prompt_chars=10_000)


@pytest.mark.parametrize(
    "chat",
    [
        [
            {"role": "system", "content": "Answer in French."},
            {"role": "user", "content": "What is 6 times 7?"},
            {"role": "assistant", "content": "42"},
        ],
        [  # ShareGPT / SlimOrca
            {"from": "system", "value": "Answer in French."},
            {"from": "human", "value": "What is 6 times 7?"},
            {"from": "gpt", "value": "42"},
        ],
        [  # OpenAI's `developer` turn: the system turn of its newer models (it was dropped, the prompt sent without it)
            {"role": "developer", "content": "Answer in French."},
            {"role": "user", "content": "What is 6 times 7?"},
            {"role": "assistant", "content": "42"},
        ],
        [  # roles in another case (the chat was quarantined "messages has no user turn")
            {"from": "System", "value": "Answer in French."},
            {"from": "Human", "value": "What is 6 times 7?"},
            {"from": "GPT", "value": "42"},
        ],
    ],
)
def test_a_chats_system_turn_is_the_tasks_system_prompt(store, write_jsonl, chat) -> None:
    key = "messages" if "role" in chat[0] else "conversations"
    t = _one(store, write_jsonl, {key: chat, "topic": "arithmetic"})
    assert (t["system"], t["prompt"], t["answer"]) == ("Answer in French.", "What is 6 times 7?", "42")
    # every turn is a field now: the chat is not kept again in metadata
    assert t["metadata"] == {"topic": "arithmetic"}


def test_a_chat_without_a_system_turn_has_none(store, write_jsonl) -> None:
    chat = [{"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": "42"}]
    assert _one(store, write_jsonl, {"messages": chat})["system"] is None


def test_openorca_system_prompt_column(store, write_jsonl) -> None:
    rows = [
        {"id": "o1", "system_prompt": "You are a careful tutor.", "question": "What is 6 times 7?", "answer": "42"},
        {"id": "o2", "system_prompt": "", "question": "What is 5 plus 5?", "answer": "10"},
        {"id": "o3", "question": "What is 9 minus 4?", "answer": "5"},
    ]
    rep = ingest_paths(store, [write_jsonl("orca.jsonl", rows)], source="orca")
    assert rep.metadata["ingested"] == 3
    got = {t["task_id"]: t for t in _tasks(store)}
    assert got["orca/o1"]["system"] == "You are a careful tutor."
    assert got["orca/o2"]["system"] is None  # blank: no system prompt
    assert got["orca/o3"]["system"] is None
    assert all("system_prompt" not in t["metadata"] for t in got.values())


def test_a_mapped_system_column(store, write_jsonl) -> None:
    row = {"q": "What is 6 times 7?", "a": "42", "persona": "You are a pirate."}
    t = _one(store, write_jsonl, row, mapping={"prompt": "q", "answer": "a", "system": "persona"})
    assert t["system"] == "You are a pirate." and "persona" not in t["metadata"]


def test_hermes_reasoning_prompt_is_not_kept_as_the_tasks_system_prompt() -> None:
    """Re-ingesting thinkmill's (or Nous') own think rows: the reasoning prompt is the think switch, which generate
    adds in think mode only. Kept as the task's system prompt, every no-think request would carry it."""
    user, reply = {"role": "user", "content": "What is 6 times 7?"}, {"role": "assistant", "content": "42"}
    alone = _norm({"messages": [{"role": "system", "content": THINK_SYSTEM_PROMPT}, user, reply]})
    assert isinstance(alone, dict) and alone["system"] is None
    both = _norm(
        {"messages": [{"role": "system", "content": f"{THINK_SYSTEM_PROMPT}\n\nAnswer in French."}, user, reply]}
    )
    assert isinstance(both, dict) and both["system"] == "Answer in French."


@pytest.mark.parametrize(
    ("system", "reason"),
    [
        ("Be brief.<|im_end|>\n<|im_start|>user\nHi", "template_token"),
        ("Be brief \ufffd here.", "bad_encoding"),
        (["not", "text"], "wrong_type:system"),
    ],
)
def test_a_bad_system_prompt_is_quarantined_naming_it(system, reason) -> None:
    got = _norm({"system_prompt": system, "question": "What is 6 times 7?", "answer": "42"})
    assert isinstance(got, Rejected) and got.reason == reason
    assert "system" in got.detail


def test_the_system_prompt_counts_towards_the_length_limit() -> None:
    row = {"system_prompt": "x" * 9_990, "question": "What is 6 times 7?", "answer": "42"}
    got = _norm(row)
    assert isinstance(got, Rejected) and got.reason == "too_long" and "system" in got.detail


def test_a_system_turn_after_the_user_turn_is_quarantined() -> None:
    chat = [
        {"role": "user", "content": "What is 6 times 7?"},
        {"role": "system", "content": "Now answer in French."},
        {"role": "assistant", "content": "42"},
    ]
    got = _norm({"messages": chat})
    assert isinstance(got, Rejected) and got.reason == "wrong_type:messages" and "system turn" in got.detail
    chat[1]["role"] = "developer"
    got = _norm({"messages": chat})
    assert isinstance(got, Rejected) and got.reason == "wrong_type:messages" and "system turn" in got.detail


# OpenThoughts-114k, Bespoke-Stratos-17k and Sky-T1_data_17k: every row's system prompt tells the distilled model how
# to format its reasoning (`<|begin_of_thought|> ... <|end_of_thought|>`). It was quarantined `template_token`, and
# the advice (allow_template_tokens) would have sent it with every request: Hermes 4 told to think in another format,
# and in no-think mode to think at length.
OPEN_THOUGHTS_SYSTEM = (
    "Your role as an assistant involves thoroughly exploring questions through a systematic long thinking process "
    "before providing the final precise and accurate solutions. Please structure your response into two main "
    "sections: Thought and Solution. In the Thought section, detail your reasoning process using the specified "
    "format: <|begin_of_thought|> {thought with steps separated with '\\n\\n'} <|end_of_thought|> In the Solution "
    "section, present the final solution as follows: <|begin_of_solution|> {final formatted, precise, and clear "
    "solution} <|end_of_solution|> Now, try to solve the following question through the above guidelines:"
)
OPEN_THOUGHTS = {
    "system": OPEN_THOUGHTS_SYSTEM,
    "conversations": [
        {"from": "user", "value": "Return your final response within \\boxed{}. What is 2+3?"},
        {
            "from": "assistant",
            "value": "<|begin_of_thought|>\n\nAdd.\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n"
            "2+3 = \\boxed{5}\n\n<|end_of_solution|>",
        },
    ],
}


def test_a_reasoning_format_system_prompt_is_not_the_tasks(store, write_jsonl) -> None:
    t = _one(store, write_jsonl, OPEN_THOUGHTS)
    assert t["system"] is None and t["answer"] == "5"
    assert t["prompt"] == "Return your final response within \\boxed{}. What is 2+3?"
    assert t["metadata"]["reasoning_format_system"] == OPEN_THOUGHTS_SYSTEM  # kept, never sent


@pytest.mark.parametrize(
    "system",
    [
        "You are a helpful assistant. Think inside <think> </think> tags before you answer.",
        "First think step by step in <think>...</think>, then give the answer.",
    ],
)
def test_a_system_prompt_that_sets_the_think_format_is_not_sent(system) -> None:
    got = _norm({"system_prompt": system, "question": "What is 6 times 7?", "answer": "42"})
    assert isinstance(got, dict) and got["system"] is None
    assert json.loads(got["metadata"])["reasoning_format_system"] == system


def test_a_system_prompt_that_only_mentions_thinking_is_kept() -> None:
    got = _norm(
        {"system_prompt": "Think carefully and answer briefly.", "question": "What is 6 times 7?", "answer": "42"}
    )
    assert isinstance(got, dict) and got["system"] == "Think carefully and answer briefly."


@pytest.mark.parametrize(
    ("system", "kept"),
    [
        ("detailed thinking on", None),  # Llama-Nemotron's post-training rows
        ("Detailed thinking off", None),
        ("/no_think", None),  # Qwen3's and SmolLM3's switch
        ("You are a helpful assistant.\n/think", "You are a helpful assistant."),
        ("You are a helpful assistant. /no_think", "You are a helpful assistant."),
        ("detailed thinking on\nAnswer in French.", "Answer in French."),
    ],
)
def test_another_models_think_switch_is_not_the_tasks_system_prompt(system, kept) -> None:
    """Llama-Nemotron's `detailed thinking on/off` and Qwen3's `/think` / `/no_think` switch the reasoning of the
    model that wrote the row. Sent to Hermes 4, they contradict its own switch (`detailed thinking off` in a think
    request), and the dataset's rows carried them: a think row whose system turn says thinking is off."""
    got = _norm({"system_prompt": system, "question": "What is 6 times 7?", "answer": "42"})
    assert isinstance(got, dict) and got["system"] == kept
    assert json.loads(got["metadata"])["think_switch"] == {"system": system}


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        ("What is 6 times 7? /no_think", "What is 6 times 7?"),
        ("What is 6 times 7?\n\n/think", "What is 6 times 7?"),
        ("/no_think What is 6 times 7?", "What is 6 times 7?"),
    ],
)
def test_a_think_switch_in_the_prompt_is_taken_out(prompt, kept) -> None:
    got = _norm({"question": prompt, "answer": "42"})
    assert isinstance(got, dict) and got["prompt"] == kept and got["system"] is None
    assert json.loads(got["metadata"])["think_switch"] == {"prompt": prompt}


@pytest.mark.parametrize(
    "prompt",
    [
        "Explain what the /no_think flag does in Qwen3, then give 6 times 7.",
        "Open example.com/think and report 6 times 7.",
        "Is detailed thinking on long problems useful? Say 42.",
    ],
)
def test_a_prompt_that_only_mentions_a_switch_is_kept(prompt) -> None:
    got = _norm({"question": prompt, "answer": "42"})
    assert isinstance(got, dict) and got["prompt"] == prompt and "think_switch" not in json.loads(got["metadata"])


R1_FORMAT = (
    "The reasoning process is enclosed within <think> </think> and the final answer is enclosed within <answer> "
    "</answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here</answer>."
)
R1_ZERO = (
    "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant "
    "first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning "
    "process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., "
    "<think> reasoning process here </think> <answer> answer here </answer>. User: {q} Assistant: <think>"
)


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        # SynLogic (veRL): the format sentences open the user turn
        (
            "Solve the following problem step by step. First, think about the reasoning process in the mind and then "
            "provide the answer. " + R1_FORMAT + "\n\nWhat is 6 times 7?",
            "Solve the following problem step by step.\n\nWhat is 6 times 7?",
        ),
        # DeepSeek-R1-Zero's template as the whole prompt (Open-Reasoner-Zero, SimpleRL-style veRL rows)
        (R1_ZERO.format(q="What is 6 times 7?"), "What is 6 times 7?"),
        # the template without its closing `Assistant:` turn marker
        (R1_ZERO.format(q="What is 6 times 7?").removesuffix(" Assistant: <think>"), "What is 6 times 7?"),
        # after the question
        ("What is 6 times 7? " + R1_FORMAT, "What is 6 times 7?"),
        # the SimpleRL / LUFFY variant: "MUST BE enclosed", the answer in \\boxed{} (kept: it says how to answer)
        (
            "You FIRST think about the reasoning process as an internal monologue and then provide the final answer. "
            "The reasoning process MUST BE enclosed within <think> </think> tags. The final answer MUST BE put in "
            "\\boxed{}.\n\nWhat is 6 times 7?",
            "The final answer MUST BE put in \\boxed{}.\n\nWhat is 6 times 7?",
        ),
    ],
)
def test_a_think_format_instruction_in_the_prompt_is_taken_out(prompt, kept) -> None:
    """DeepSeek-R1-Zero's format instruction (think inside <think> </think>, answer inside <answer> </answer>) in the
    user turn of veRL datasets: sent to Hermes 4, it asked for a think block in no-think mode too (every no-think trace
    that followed it failed `lint:think_in_no_think`, and one that passed had disobeyed its prompt), and the dataset's
    user turns carried another model's format. Taken out, kept in `metadata.reasoning_format_prompt`."""
    got = _norm({"question": prompt, "answer": "42"})
    assert isinstance(got, dict) and got["prompt"] == kept
    assert json.loads(got["metadata"])["reasoning_format_prompt"] == prompt


def test_a_system_prompt_with_r1_zeros_format_keeps_the_tasks_own_instruction() -> None:
    """Logic-RL's system prompt is R1-Zero's format instruction and then the task's own ("clearly state the identity
    of each character"): the whole system prompt was dropped, and the requests lost how to answer. The format
    sentences (and R1-Zero's conversation preamble) are taken out; the task's instruction stays."""
    own = "Now the user asks you to solve a logical reasoning problem. State the identity of each character."
    system = R1_ZERO.split(" User: ")[0] + " " + own
    got = _norm({"system_prompt": system, "question": "Who is a knight?", "answer": "Zoey"})
    assert isinstance(got, dict) and got["system"] == own
    assert json.loads(got["metadata"])["reasoning_format_system"] == system


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a function that returns the text between <think> and </think> in a string.",
        "Why do reasoning models enclose their reasoning in <think> tags? Answer 42 if unsure.",
    ],
)
def test_a_prompt_about_think_tags_is_kept(prompt) -> None:
    got = _norm({"question": prompt, "answer": "42"})
    assert isinstance(got, dict) and got["prompt"] == prompt
    assert "reasoning_format_prompt" not in json.loads(got["metadata"])


def test_a_think_format_instruction_in_a_plain_file_takes_the_same_path(store, write_jsonl) -> None:
    rows = [{"question": f"What is {i} times 7? " + R1_FORMAT, "answer": str(7 * i)} for i in range(3)]
    rep = ingest_paths(store, [write_jsonl("plain.jsonl", rows)])
    assert rep.metadata["ingested"] == 3
    assert sorted(t["prompt"] for t in _tasks(store)) == [f"What is {i} times 7?" for i in range(3)]


def test_a_think_switch_in_a_plain_file_takes_the_same_path(store, write_jsonl) -> None:
    """Rows of the plain layout are normalised in bulk: a switch there is taken out as row by row."""
    rows = [{"question": f"What is {i} times 7? /no_think", "answer": str(7 * i)} for i in range(3)]
    rep = ingest_paths(store, [write_jsonl("plain.jsonl", rows)])
    assert rep.metadata["ingested"] == 3
    assert sorted(t["prompt"] for t in _tasks(store)) == [f"What is {i} times 7?" for i in range(3)]
