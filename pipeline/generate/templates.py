"""Prompt templates for Hermes 4, versioned: the version is part of every request key and row.

Change anything that alters the rendered messages (system prompt, suffixes, layout) -> bump TEMPLATE_VERSION,
so new requests get new keys and old rows stay traceable to the template that made them.

Messages are sent as chat `messages`; the server (or vLLM) applies the model's own chat template, so the same
requests work for the ChatML (14B) and Llama-3 (70B/405B) variants.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.answer_form import asks_own_answer_form
from pipeline.domains import DOMAIN_OF_VERIFIER
from pipeline.ingest.choices import with_options
from pipeline.trace import THINK_SYSTEM_PROMPT, Mode, system_content

TEMPLATE_VERSION = "hermes4-v1"

# Verbatim from the Hermes 4 model card: switches the model into think mode (defined once, in pipeline.trace).
REASONING_SYSTEM_PROMPT = THINK_SYSTEM_PROMPT

# Appended to the user prompt so the verifier can find the answer. instruction_following gets none: the
# constraints are the prompt itself.
DOMAIN_SUFFIXES: dict[str, str] = {
    "math": "Put your final answer within \\boxed{}.",
    "science_mcq": "Answer with the letter of the correct choice.",
    "code": "Give your solution as one ```python code block.",
    "instruction_following": "",
    # ingest's tasks with a list of accepted answers or a yes/no answer (TriviaQA, NQ-open, BoolQ), judged by
    # `exact`: answered in a sentence ("The capital of Australia is Canberra.") `exact` finds no answer to compare.
    # A domain added later, so no existing request changes and TEMPLATE_VERSION stays.
    "short_answer": "Put your final answer within \\boxed{}.",
}
# Every `reasoning_gym/<dataset>` domain: the `reasoning_gym` verifier reads the <answer> block (the library's own
# convention). New domains, so no existing request changes and TEMPLATE_VERSION stays.
REASONING_GYM_SUFFIX = "Put only your final answer inside <answer> and </answer> tags."


# A prompt that says how to give the answer: in `\boxed{}` (DeepScaleR's "output the final answer within \boxed{}",
# NuminaMath's "Return your final response within \boxed{}"), in `<answer>` tags, or on an `Answer:` line
# (DAPO-Math-17k's "The last line of your response should be of the form Answer: $Answer"). The verifiers read each;
# the suffix made two instructions in one user turn (boxed after DAPO's Answer: line: every trace disobeyed one of
# them in the dataset's rows), or said the same twice. Such a prompt gets no suffix in the domains whose verifiers
# read all three (code and reasoning-gym tasks keep theirs: their verifiers read one format). Only these
# prompts' requests change (the messages are part of the key), so TEMPLATE_VERSION stays: a new version would make
# every stored generation a new request.
_ANSWER_FORMAT = re.compile(
    r"\\boxed\b|<answer>|\b(?:last|final)\s+line\b[^\n]*\bAnswer\s*:|\bafter\s+[\"'\u201c]?Answer\s*:", re.IGNORECASE
)


_READ_ANY_FORMAT = ("math", "science_mcq", "short_answer")

# The domain whose instruction a task of a domain thinkmill has none for gets, by its verifier: the domain ingest
# gives the verifier, and `short_answer`'s for `exact` (ingest gives an exact task without a domain `general`). An
# exact task in `general` or a domain of the user's own (`trivia`) was asked with no instruction: the model answered
# in a sentence ("The capital of Australia is Canberra."), where `exact` finds no value, and only the traces that
# happened to answer in one word were kept.
_SUFFIX_OF_VERIFIER = {**DOMAIN_OF_VERIFIER, "exact": "short_answer"}


def suffix_domain(domain: str, verifier: str | None) -> str:
    """The domain whose answer instruction a task gets: its own when thinkmill knows it, else the domain ingest gives
    its verifier by default (`mcq` -> `science_mcq`, `math` / `numeric` -> `math`, `code` -> `code`). A domain of the
    user's own naming (`science`, `gsm8k`) was sent with no instruction how to answer, while its verifier needs
    one: an MCQ without "Answer with the letter ...", a math task without `\\boxed{}`. An `exact` task gets
    `short_answer`'s (`_SUFFIX_OF_VERIFIER`)."""
    if domain in DOMAIN_SUFFIXES or domain.startswith("reasoning_gym/") or verifier is None:
        return domain
    return _SUFFIX_OF_VERIFIER.get(verifier, domain)


def user_content(prompt: str, domain: str, choices: dict[str, str] | None = None, verifier: str | None = None) -> str:
    """The user turn. An MCQ's options are shown (`A. text` lines) unless the prompt lists them already: ingest
    stores them in the prompt, this covers tasks stored without them (e.g. by an older ingest). The domain's suffix
    (`suffix_domain`: a domain of the user's own takes its verifier's) says how to give the answer, unless the
    prompt says it (`_ANSWER_FORMAT`; MMLU-Pro's "the answer is (X)" or an answer template quoted after a cue,
    `answer_form.asks_own_answer_form`)."""
    if choices:
        prompt = with_options(prompt, choices)
    domain = suffix_domain(domain, verifier)
    suffix = DOMAIN_SUFFIXES.get(domain, REASONING_GYM_SUFFIX if domain.startswith("reasoning_gym/") else "")
    if domain in _READ_ANY_FORMAT and (_ANSWER_FORMAT.search(prompt) or asks_own_answer_form(prompt)):
        return prompt
    return f"{prompt.rstrip()}\n\n{suffix}" if suffix else prompt


# The answer instructions `user_content` appends: English whatever the prompt's language
_INSTRUCTIONS = tuple(f"\n\n{s}" for s in sorted({*DOMAIN_SUFFIXES.values(), REASONING_GYM_SUFFIX}) if s)


def without_answer_instruction(user_turn: str) -> str:
    """A user turn as sent, less the answer instruction `user_content` appended to the task's prompt (the card
    detects the prompt's language on it: "小明有 3 个苹果 ..." then "Put your final answer within \\boxed{}." was
    detected as English)."""
    for suffix in _INSTRUCTIONS:
        if user_turn.endswith(suffix):
            return user_turn[: -len(suffix)]
    return user_turn


def render_messages(
    prompt: str,
    domain: str,
    mode: Mode,
    choices: dict[str, str] | None = None,
    system: str | None = None,
    verifier: str | None = None,
) -> list[dict[str, str]]:
    """The chat messages of one request: one system message (`system_content`) if there is any, then the user turn.
    Without a task system prompt: the reasoning prompt in think mode, none in no-think mode."""
    messages: list[dict[str, str]] = []
    content = system_content(mode, system)
    if content is not None:
        messages.append({"role": "system", "content": content})
    messages.append({"role": "user", "content": user_content(prompt, domain, choices, verifier)})
    return messages


def chat_template_kwargs(mode: Mode) -> dict[str, Any]:
    """The chat-template switch that goes with the mode (vLLM: `extra_body.chat_template_kwargs`)."""
    return {"thinking": mode == "think"}
