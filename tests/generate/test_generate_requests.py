"""Prompt rendering, request keys, seeds and result rows (no server)."""

from __future__ import annotations

import json

import pytest

from pipeline.generate.backends.openai_backend import retry_after_s
from pipeline.generate.config import GenerateConfig, SamplingConfig
from pipeline.generate.request import build_request, build_requests, derive_seed
from pipeline.generate.result import GenerationResult, classify_error, generation_row, public_endpoint
from pipeline.generate.templates import REASONING_SYSTEM_PROMPT, TEMPLATE_VERSION, render_messages
from pipeline.store import Store


def test_think_mode_carries_the_model_cards_reasoning_prompt_verbatim() -> None:
    think = render_messages("Q", "math", "think")
    no_think = render_messages("Q", "math", "no_think")
    assert think[0] == {"role": "system", "content": REASONING_SYSTEM_PROMPT}
    assert REASONING_SYSTEM_PROMPT.startswith("You are a deep thinking AI, you may use extremely long chains")
    assert REASONING_SYSTEM_PROMPT.endswith("and then provide your solution or response to the problem.")
    assert [m["role"] for m in no_think] == ["user"]
    assert think[1] == no_think[0]


@pytest.mark.parametrize(
    ("domain", "needle"),
    [
        ("math", "\\boxed{}"),
        ("science_mcq", "letter"),
        ("code", "```python"),
        ("instruction_following", None),
        # TriviaQA, NQ-open, BoolQ (ingest's short-answer tasks): answered in a sentence, `exact` found no answer
        ("short_answer", "\\boxed{}"),
        ("general", None),
    ],
)
def test_domain_suffixes(domain: str, needle: str | None) -> None:
    content = render_messages("Do it.", domain, "no_think")[0]["content"]
    if needle is None:
        assert content == "Do it."
    else:
        assert content.startswith("Do it.\n\n") and needle in content


@pytest.mark.parametrize(
    ("domain", "verifier", "needle"),
    [
        ("science", "mcq", "letter"),  # a domain of the user's own: the suffix of its verifier's domain
        ("medicine", "mcq", "letter"),
        ("gsm8k", "math", "\\boxed{}"),
        ("physics", "numeric", "\\boxed{}"),
        ("leetcode", "code", "```python"),
        ("chat", "judge", None),  # no verifier that reads one form
        ("trivia", "exact", "\\boxed{}"),  # as `short_answer`: answered in a sentence, `exact` found no value
        ("general", "exact", "\\boxed{}"),  # what ingest gives an exact task without a domain
        ("general", "regex", None),  # the user's pattern says the form, not thinkmill
        ("math", "judge", "\\boxed{}"),  # a known domain keeps its own suffix
        ("general", "mcq", "letter"),  # `general` has no instruction of its own either
        ("general", "judge", None),  # what ingest gives a judge task: as before
    ],
)
def test_a_domain_of_your_own_gets_its_verifiers_answer_instruction(domain: str, verifier: str, needle: str | None):
    """A task in a domain of the user's own naming (`defaults: {domain: science, verifier: mcq}`) was sent with no
    instruction how to answer: an MCQ without "Answer with the letter ...", a math task without `\\boxed{}`, while
    the same task in `science_mcq` or `math` had one. The model answered in prose, and the verifier read what it
    could (the last number of "x = 5, since 3*5 + 7 = 22"). The instruction follows the verifier, as ingest's
    default domain does."""
    import polars as pl

    tasks = pl.DataFrame(
        {
            "task_id": ["t"],
            "domain": [domain],
            "verifier": [verifier],
            "prompt": ["Do it."],
            "verifier_args": [None],
        },
        schema_overrides={"verifier_args": pl.String},
    )
    (req,) = build_requests(tasks, GenerateConfig(samples_think=0, samples_no_think=1))
    content = req.messages[-1]["content"]
    if needle is None:
        assert content == "Do it."
    else:
        assert content.startswith("Do it.\n\n") and needle in content
    assert render_messages("Do it.", domain, "no_think", verifier=verifier)[-1]["content"] == content
    own_form = "Do it. Put the letter of your answer in \\boxed{}."  # a prompt that says how: no second instruction
    if verifier != "code":  # code keeps its own (its verifier reads one form)
        assert render_messages(own_form, domain, "no_think", verifier=verifier)[-1]["content"] == own_form


DAPO = (
    "Solve the following math problem step by step. The last line of your response should be of the form "
    "Answer: $Answer (without quotes) where $Answer is the answer to the problem.\n\nWhat is 2+3?\n\n"
    'Remember to put your answer on its own line after "Answer:".'
)


@pytest.mark.parametrize(
    ("prompt", "domain"),
    [
        (DAPO, "math"),  # DAPO-Math-17k: an Answer: line, which the verifiers read
        ("What is 2+3? Let's think step by step and output the final answer within \\boxed{}.", "math"),  # DeepScaleR
        ("Return your final response within \\boxed{}. What is 2+3?", "math"),  # NuminaMath / OpenThoughts
        ("Which planet is red?\nA. Venus\nB. Mars\nPut the letter of your answer in \\boxed{}.", "science_mcq"),
        ("Name the capital of France. Put your final answer within <answer> </answer> tags.", "short_answer"),
        # MMLU-Pro's own instruction, and a dataset's answer template quoted after a cue (the answer_format lint holds
        # both: the suffix made a second instruction, and a trace following the prompt's failed the boxed one)
        (
            'Finish your answer with "the answer is (X)" where X is the correct letter choice.\nWhich planet is red?'
            "\nA. Venus\nB. Mars",
            "science_mcq",
        ),
        ('What is 2+3? End your response with "The final answer is [answer]".', "math"),
        ("What is the capital of France? Give it in the following format: 'Final Answer: X'", "short_answer"),
    ],
)
def test_a_prompt_that_says_how_to_give_the_answer_gets_no_second_instruction(prompt: str, domain: str) -> None:
    """The suffix asked for `\\boxed{}` after a prompt that asked for an `Answer:` line (DAPO-Math-17k): two
    instructions in one user turn, and every trace disobeyed one of them in the dataset's rows. After a prompt that
    asked for `\\boxed{}` itself it was said twice. A prompt that says how to give the answer is sent as it is."""
    assert render_messages(prompt, domain, "no_think")[0]["content"] == prompt


def test_chat_template_switch_follows_mode() -> None:
    cfg = GenerateConfig()
    assert build_request(cfg, "t", "math", "Q", "think", 0).chat_template_kwargs == {"thinking": True}
    assert build_request(cfg, "t", "math", "Q", "no_think", 0).chat_template_kwargs == {"thinking": False}


def test_sampling_defaults_follow_the_model_card() -> None:
    cfg = GenerateConfig()
    think = build_request(cfg, "t", "math", "Q", "think", 0).sampling_params
    no_think = build_request(cfg, "t", "math", "Q", "no_think", 0).sampling_params
    assert think == {"temperature": 0.6, "top_p": 0.95, "top_k": 20, "max_tokens": 32768}
    assert no_think["max_tokens"] < think["max_tokens"]


@pytest.mark.parametrize(
    "section",
    [{"top_k": None}, {"temperature": 0.7}, {}],
    ids=["top_k_null", "temperature", "empty"],
)
def test_a_partial_no_think_section_keeps_the_no_think_defaults(section: dict) -> None:
    # docs/generate.md tells `transformers serve` users to set `no_think: {top_k: null}`: that must not raise the
    # no-think budget to think mode's 32768 (SamplingConfig's own default)
    no_think = GenerateConfig.model_validate({"no_think": section}).no_think
    assert no_think.max_tokens == 4096
    assert no_think.model_dump(exclude=set(section)) == GenerateConfig().no_think.model_dump(exclude=set(section))
    assert GenerateConfig.model_validate({"no_think": {"max_tokens": 2048}}).no_think.max_tokens == 2048
    # the same from Python: a SamplingConfig given for no_think without a max_tokens of its own
    assert GenerateConfig(no_think=SamplingConfig(**section)).no_think.max_tokens == 4096


def test_a_partial_think_section_keeps_the_think_defaults() -> None:
    think = GenerateConfig.model_validate({"think": {"top_k": None}}).think
    assert think.model_dump(exclude={"top_k"}) == GenerateConfig().think.model_dump(exclude={"top_k"})


def test_keys_are_content_addressed() -> None:
    cfg = GenerateConfig()
    base = build_request(cfg, "t", "math", "Q", "think", 0)
    assert build_request(cfg, "t", "math", "Q", "think", 0) == base
    variants = [
        build_request(cfg, "t", "math", "Q2", "think", 0),
        build_request(cfg, "t", "math", "Q", "think", 1),
        build_request(cfg, "t", "math", "Q", "no_think", 0),
        build_request(cfg.model_copy(update={"model": "other"}), "t", "math", "Q", "think", 0),
        build_request(cfg.model_copy(update={"seed": 1}), "t", "math", "Q", "think", 0),
        build_request(
            cfg.model_copy(update={"think": cfg.think.model_copy(update={"temperature": 1.0})}),
            "t",
            "math",
            "Q",
            "think",
            0,
        ),
    ]
    assert len({v.key for v in variants} | {base.key}) == len(variants) + 1
    assert base.template_version == TEMPLATE_VERSION


def test_template_version_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.generate.request as request

    before = build_request(GenerateConfig(), "t", "math", "Q", "think", 0)
    monkeypatch.setattr(request, "TEMPLATE_VERSION", "hermes4-v999")
    after = build_request(GenerateConfig(), "t", "math", "Q", "think", 0)
    assert after.key != before.key and after.template_version == "hermes4-v999"


def test_seeds_are_deterministic_and_distinct() -> None:
    seeds = {derive_seed(f"t{i}", m, s, 0) for i in range(50) for m in ("think", "no_think") for s in range(3)}
    assert len(seeds) == 300
    assert derive_seed("t1", "think", 0, 0) == derive_seed("t1", "think", 0, 0) != derive_seed("t1", "think", 0, 1)
    assert all(0 <= s < 2**31 for s in seeds)


def test_k_samples_per_mode() -> None:
    import polars as pl

    tasks = pl.DataFrame({"task_id": ["a", "b"], "domain": ["math", "code"], "prompt": ["x", "y"]})
    reqs = list(build_requests(tasks, GenerateConfig(samples_think=3, samples_no_think=2)))
    assert len(reqs) == 10 and len({r.key for r in reqs}) == 10
    assert sorted((r.mode, r.sample_index) for r in reqs if r.task_id == "a") == [
        ("no_think", 0),
        ("no_think", 1),
        ("think", 0),
        ("think", 1),
        ("think", 2),
    ]


def test_reasoning_content_shape_stores_the_same_split(tmp_path) -> None:
    req = build_request(GenerateConfig(), "t", "math", "Q", "think", 0)
    inline = generation_row(
        req, GenerationResult(text="<think>\nwork\n</think>\n\\boxed{4}"), backend="openai", endpoint="http://x/v1"
    )
    split = generation_row(
        req, GenerationResult(text="\\boxed{4}", reasoning_content="work"), backend="openai", endpoint="http://x/v1"
    )
    for row in (inline, split):
        assert row["think"] == "work" and row["answer"] == "\\boxed{4}" and row["parse_flags"] == []
        assert row["raw_text"].startswith("<think>")
    unclosed = generation_row(
        req, GenerationResult(text="<think>\nlong...", finish_reason="length"), backend="openai", endpoint=None
    )
    assert unclosed["parse_flags"] == ["truncated", "unclosed_think"]  # finish_reason length
    leak = generation_row(
        build_request(GenerateConfig(), "t", "math", "Q", "no_think", 0),
        GenerationResult(text="<think>hm</think>4"),
        backend="openai",
        endpoint=None,
    )
    assert "think_in_no_think" in leak["parse_flags"]
    with Store.open(tmp_path / "g.duckdb") as store:  # rows fit the contract as they are
        import polars as pl

        from schemas import table

        store.insert("generations", pl.DataFrame([inline], schema=table("generations").polars_schema()))
        assert json.loads(store.read("generations")["messages"][0])[0]["role"] == "system"


@pytest.mark.parametrize(
    ("status", "msg", "kind"),
    [
        (400, "This model's maximum context length is 4096 tokens", "context_length_exceeded"),
        (404, "The model `x` does not exist.", "unknown_model"),
        (400, "Server is pinned to 'a'; requested 'b'.", "unknown_model"),
        (422, "Unexpected fields in the request: {'top_k'}", "bad_request"),
    ],
)
def test_error_kinds(status: int, msg: str, kind: str) -> None:
    assert classify_error(status, msg) == kind


def test_endpoint_drops_credentials() -> None:
    assert (
        public_endpoint("https://user:sk-secret@api.example.com:8443/v1?key=abc#x") == "https://api.example.com:8443/v1"
    )


def test_retry_after_header() -> None:
    import httpx
    import openai

    def err(headers: dict[str, str]) -> openai.RateLimitError:
        resp = httpx.Response(429, headers=headers, request=httpx.Request("POST", "http://x"))
        return openai.RateLimitError("slow down", response=resp, body=None)

    assert retry_after_s(err({"retry-after": "3"})) == 3.0
    assert retry_after_s(err({"retry-after-ms": "250"})) == 0.25
    assert retry_after_s(err({})) is None
    date = retry_after_s(err({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    assert date == 0.0


def test_request_shows_options_of_a_task_stored_without_them() -> None:
    """A task whose prompt lacks its options (e.g. ingested by an older version) still gets them in the request;
    a prompt that already lists them is sent unchanged."""
    import polars as pl

    bare = {"choices": ["Venus", "Mars"]}  # any shape ingest accepts
    shown = {"choices": {"A": "Venus", "B": "Mars"}}
    tasks = pl.DataFrame(
        {
            "task_id": ["bare", "shown"],
            "domain": ["science_mcq"] * 2,
            "prompt": ["Which planet is red?", "Which planet is red?\n(A) Venus\n(B) Mars"],
            "verifier_args": [json.dumps(bare), json.dumps(shown)],
        }
    )
    reqs = {r.task_id: r for r in build_requests(tasks, GenerateConfig(samples_think=0, samples_no_think=1))}
    assert reqs["bare"].messages[-1]["content"] == (
        "Which planet is red?\n\nA. Venus\nB. Mars\n\nAnswer with the letter of the correct choice."
    )
    assert reqs["shown"].messages[-1]["content"] == (
        "Which planet is red?\n(A) Venus\n(B) Mars\n\nAnswer with the letter of the correct choice."
    )


def test_a_second_think_block_in_the_content_is_stored_with_the_first() -> None:
    """A reasoning parser splits at the first `</think>`: reasoning "work", content holding a second block. raw_text
    was the content alone, so the stored generation had lost the first block and read as one clean trace."""
    req = build_request(GenerateConfig(), "t", "math", "Q", "think", 0)
    res = GenerationResult(text="\n\n<think>\nmore work\n</think>\n\n\\boxed{4}", reasoning_content="work")
    row = generation_row(req, res, backend="openai", endpoint=None)
    assert "work\n</think>" in row["raw_text"] and "more work" in row["raw_text"]
    assert row["think"] == "work" and "multiple_think" in row["parse_flags"]


@pytest.mark.parametrize("reasoning", ["", " \n"])
def test_an_empty_reasoning_field_stores_no_think_block(reasoning: str) -> None:
    """`reasoning_content: ""` is no reasoning: stored as an empty think block it failed a good no-think answer."""
    req = build_request(GenerateConfig(), "t", "math", "Q", "no_think", 0)
    res = GenerationResult(text="\\boxed{4}", reasoning_content=reasoning, finish_reason="stop")
    row = generation_row(req, res, backend="openai", endpoint=None)
    assert (row["raw_text"], row["think"], row["answer"], row["parse_flags"]) == ("\\boxed{4}", None, "\\boxed{4}", [])


@pytest.mark.parametrize(
    "fields", [{"reasoning_content": ""}, {"reasoning": ""}, {"reasoning_content": "", "reasoning": None}]
)
def test_an_empty_reasoning_field_in_think_mode_is_an_empty_think_block_on_both_readers(fields: dict) -> None:
    """vLLM's reasoning parser sends `""` for `<think></think>\\boxed{4}`: in think mode an empty think block
    (`empty_think`, as the inline response). The readers joined the fields with `or`, so an empty
    `reasoning_content` was no reasoning at all, and the row failed `no_think_block` instead (lints 20)."""
    from openai.types.chat import ChatCompletion

    from pipeline.generate.backends.batch import parse_output_line
    from pipeline.generate.backends.openai_backend import OpenAIBackend

    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "\\boxed{4}", **fields}}
        ],
    }
    served = OpenAIBackend._result(ChatCompletion.model_validate(body), 0.1, 0)
    read = parse_output_line({"custom_id": "k", "response": {"status_code": 200, "body": body}})
    req = build_request(GenerateConfig(), "t", "math", "Q", "think", 0)
    for res in (served, read):
        assert res.reasoning_content == ""
        row = generation_row(req, res, backend="openai", endpoint=None)
        assert (row["think"], row["answer"], row["parse_flags"]) == ("", "\\boxed{4}", ["empty_think"])
    inline = generation_row(req, GenerationResult(text="<think></think>\\boxed{4}"), backend="vllm", endpoint=None)
    assert (inline["think"], inline["answer"], inline["parse_flags"]) == ("", "\\boxed{4}", ["empty_think"])


@pytest.mark.parametrize("content", [None, "", "\n"])
def test_a_no_think_answer_a_reasoning_parser_took_is_an_error_to_resend(content: str | None) -> None:
    # vLLM's deepseek_r1 and qwen3 parsers read an untagged no-think answer as reasoning (content null): stored as a
    # think block it failed every no-think row as leakage; read as the answer it could be deliberation
    req = build_request(GenerateConfig(), "t", "math", "Q", "no_think", 0)
    res = GenerationResult(text=content, reasoning_content="The sum is \\boxed{4}.", finish_reason="stop")
    row = generation_row(req, res, backend="openai", endpoint=None)
    assert row["error"].startswith("reasoning_parser: ") and "deepseek_v3" in row["error"]
    assert row["raw_text"] is None and row["answer"] is None and row["parse_flags"] == []
    # think mode: the same shape is a think block without an answer, as before
    think = generation_row(
        build_request(GenerateConfig(), "t", "math", "Q", "think", 0), res, backend="openai", endpoint=None
    )
    assert think["error"] is None and {"unclosed_think", "answer_missing"} & set(think["parse_flags"])
    # a no-think response with content is judged as it is, reasoning field or not
    ok = generation_row(req, GenerationResult(text="4", finish_reason="stop"), backend="openai", endpoint=None)
    assert ok["error"] is None and ok["answer"] == "4"


def test_a_tasks_own_system_prompt_is_sent_after_the_reasoning_prompt() -> None:
    """A task's system prompt (a chat's system turn) goes out in both modes; in think mode after Hermes 4's
    reasoning prompt, in the one system message (the card: further instructions may follow it)."""
    import polars as pl

    tasks = pl.DataFrame(
        {
            "task_id": ["sys", "plain"],
            "domain": ["math", "math"],
            "prompt": ["What is 6 times 7?", "What is 6 times 7?"],
            "system": ["Answer in French.", None],
        }
    )
    cfg = GenerateConfig(samples_think=1, samples_no_think=1)
    reqs = {(r.task_id, r.mode): r for r in build_requests(tasks, cfg)}
    think, no_think = reqs[("sys", "think")].messages, reqs[("sys", "no_think")].messages
    assert think[0] == {"role": "system", "content": f"{REASONING_SYSTEM_PROMPT}\n\nAnswer in French."}
    assert no_think[0] == {"role": "system", "content": "Answer in French."}
    assert [m["role"] for m in think] == [m["role"] for m in no_think] == ["system", "user"]
    assert think[1] == no_think[1] == reqs[("plain", "no_think")].messages[0]
    # a task without one: the same requests (and keys: nothing generated before is paid for again) as before
    bare = {(r.task_id, r.mode): r for r in build_requests(tasks.drop("system"), cfg)}
    for mode in ("think", "no_think"):
        assert reqs[("plain", mode)] == bare[("plain", mode)]
        assert reqs[("sys", mode)].key != bare[("sys", mode)].key
    assert render_messages("Q", "math", "no_think", system=None) == render_messages("Q", "math", "no_think")


def test_a_format_for_the_value_itself_keeps_the_suffix() -> None:
    """A quoted format without answer words before a placeholder ('DD/MM/YYYY') says nothing of how to give the final
    answer: the suffix stays."""
    content = render_messages("Write the date of D-Day in the format 'DD/MM/YYYY'.", "math", "no_think")[0]["content"]
    assert content.endswith("Put your final answer within \\boxed{}.")


@pytest.mark.parametrize("finish", ["length", "content_filter", "stop"])
@pytest.mark.parametrize("mode", ["think", "no_think"])
def test_an_empty_response_is_stored_as_empty_text_to_be_judged(finish: str, mode: str) -> None:
    """`content: null` and no reasoning (a server's content filter, a budget spent on nothing): stored with no error
    and raw_text NULL, the sample was never judged (verify reads raw_text) nor sent again (it was a success): it
    vanished from every count. It is an empty response: judged, and failed."""
    req = build_request(GenerateConfig(), "t", "math", "Q", mode, 0)
    row = generation_row(req, GenerationResult(text=None, finish_reason=finish), backend="openai", endpoint=None)
    assert row["error"] is None and row["raw_text"] == "" and row["finish_reason"] == finish
    assert row["answer"] in (None, "")  # verifiers fail an empty answer (`no_answer`)
    assert row["parse_flags"] or (mode == "no_think" and finish == "stop")  # else flagged too: a lint fails it
