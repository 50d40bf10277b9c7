"""What a request's own words ask the final answer to look like, beyond `\\boxed{}`, `<answer>` tags and an `Answer:`
line: MMLU-Pro's "the answer is (X)" and an answer template quoted after a cue. Generation leaves its own answer
instruction out of such a prompt (`generate.templates.user_content`) and the `answer_format` lint holds the answer to it
(`verify.lints.answer_format_ignored`): one definition for both."""

from __future__ import annotations

import re

# MMLU-Pro's "finish your answer with \"the answer is (X)\" where X is the correct letter choice"; its evaluation reads
# `answer is \(?([A-J])\)?`
_END_WITH = r"\b(?:end|finish|conclude|close)\s+(?:your|the)\s+(?:response|answer|reply|solution)\s+with\s*:?\s*"
_ASKS_ANSWER_IS = re.compile(_END_WITH + r"[\"'\u201c`]the\s+answer\s+is\s+\(?X\)?\.?[\"'\u201d`]", re.I)
# A dataset's own answer template, quoted after a cue ('End your response with "The final answer is [answer]"',
# "in the following format: 'Final Answer: X'", 'should be in the form "Result: <number>"'): the words before its
# placeholder must be in the answer. A template with LaTeX, or without a placeholder after some words (a format for
# the value itself: 'DD/MM/YYYY', 'y = mx + b', '{a}/{b}'), asks nothing of this kind.
_TEMPLATE = re.compile(
    r"(?:" + _END_WITH + r"|\b(?:in|of|using)\s+the\s+(?:following\s+)?(?:form|format)\s*:?\s*"
    r"|\bshould\s+be\s+in\s+the\s+(?:following\s+)?(?:form|format)\s*:?\s*)"
    r"(?:\"([^\"\n]{3,120})\"|\u201c([^\u201d\n]{3,120})\u201d|'([^'\n]{3,120})'|`([^`\n]{3,120})`)",
    re.I,
)
_PLACEHOLDER = re.compile(
    r"\[[A-Za-z][A-Za-z _-]*\]|<[A-Za-z][A-Za-z _-]*>|\{[A-Za-z][A-Za-z _-]*\}|\$[A-Z][A-Za-z_]*|(?<![\w$])X(?!\w)"
)


def template_prefix(request: str) -> str | None:
    """The words an answer template quoted in `request` puts before its placeholder, normalised (`plain`)."""
    for m in _TEMPLATE.finditer(request):
        template = next(g for g in m.groups() if g is not None)
        if "\\" in template:
            continue
        place = _PLACEHOLDER.search(template)
        if place is None:
            continue
        prefix = plain(template[: place.start()]).rstrip(" ([{")
        if re.search(r"[a-z]{2}", prefix):
            return prefix
    return None


def asks_own_answer_form(request: str) -> bool:
    """Whether `request` says how to give the final answer in a form the `answer_format` lint holds besides
    `\\boxed{}`, `<answer>` tags and an `Answer:` line: MMLU-Pro's "the answer is (X)" or an answer template quoted
    after a cue. Generation adds no answer instruction of its own to such a prompt (`generate.templates`)."""
    return asks_answer_is(request) or template_prefix(request) is not None


def plain(text: str) -> str:
    """Lower case, markdown emphasis out, runs of white space as one space."""
    return re.sub(r"\s+", " ", text.replace("*", "").replace("_", "")).strip().lower()


def asks_answer_is(request: str) -> bool:
    """MMLU-Pro's instruction: finish the answer with "the answer is (X)", X the option's letter."""
    return bool(_ASKS_ANSWER_IS.search(request))
