"""IFEval's 25 instruction types (its own ids), strict and loose, checked against IFEval's published examples
(google-research instruction_following_eval/instructions_test.py) and through the `ifeval` verifier."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.ifeval import CONSTRAINTS
from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS, follows, split_into_sentences

IFEVAL_IDS = {
    "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
    "language:response_language", "length_constraints:number_sentences", "length_constraints:number_paragraphs",
    "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders", "detectable_content:postscript",
    "detectable_format:number_bullet_lists", "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections", "detectable_format:multiple_sections",
    "detectable_format:json_format", "detectable_format:title", "combination:two_responses",
    "combination:repeat_prompt", "startend:end_checker", "change_case:capital_word_frequency",
    "change_case:english_capital", "change_case:english_lowercase", "punctuation:no_comma", "startend:quotation",
}


def test_all_25_ids() -> None:
    assert set(INSTRUCTIONS) == IFEVAL_IDS


@pytest.mark.parametrize(("iid", "text", "kw", "want"), [
    ("language:response_language", "The response is English", {"language": "en"}, True),
    ("language:response_language", "Desayunamos en McDonald's hoy", {"language": "es"}, True),
    ("language:response_language", "Today we visit the Louvre", {"language": "en"}, True),
    ("length_constraints:number_sentences", "xx,x. xx,x! xx/x. x{x}x?", {"relation": "less than", "num_sentences": 4},
     False),
    ("length_constraints:number_sentences", "xxxx. xx,x! xxxx. x(x)x?", {"relation": "less than", "num_sentences": 5},
     True),
    ("length_constraints:number_sentences", "xxxx. xx,x! xx|x. x&x x?", {"relation": "at least", "num_sentences": 4},
     True),
    ("length_constraints:number_sentences", "xx-x. xx,x! xx}x. x,xx?", {"relation": "at least", "num_sentences": 5},
     False),
    ("detectable_content:number_placeholders", "Sure, here is a short template with 5 placeholders:\n[Name]\n"
     "[Email]\n[Phone]\n[Address]\n[Website]\nThis template can be used.", {"num_placeholders": 5}, True),
    ("detectable_content:number_placeholders", "My [adjective] [noun] is [adjective] [noun]. I [verb] and [verb].",
     {"num_placeholders": 7}, False),
    ("detectable_format:number_bullet_lists", "\n  A list. For example:\n  * This is a bullet point.\n  *(no space "
     "required)Another bullet point.\n  * (no newline ending required)Another bullet point.\n  markdown bullet "
     "points are often used.", {"num_bullets": 3}, True),
    ("detectable_format:number_bullet_lists", "\n  Check that inline asterisk (*), *, will not be counted. Only * "
     "that starts a\n  bullet list will be counted:\n    * This is a bullet point.\n    * Another bullet point.\n"
     "    . dot is not counted", {"num_bullets": 2}, True),
    ("detectable_format:number_bullet_lists", "\n  Here are three markdown bullets:\n  - I am a model.\n  - I am "
     "trained.\n  -I am still under development.", {"num_bullets": 3}, True),
    ("detectable_format:number_bullet_lists", "\n  Paragraph 1\n  ***\n  Paragraph 2\n  ***\n  Paragraph 3\n  * only "
     "one bullet point\n  ", {"num_bullets": 1}, True),
    ("detectable_format:constrained_response", "\n My answer is no.\n", {}, True),
    ("detectable_format:constrained_response", "My answer is no. I am still under development.", {}, True),
    ("detectable_format:constrained_response", "My answer is probably.", {}, False),
    ("detectable_format:number_highlighted_sections", "\n  you would type:*hello*, You can also use the ** "
     "character to\n  create bold text. you\n  would type: **hello** ", {"num_highlights": 2}, True),
    ("detectable_format:number_highlighted_sections", "\n  equations highlighted with Markdown:\n  *Finite "
     "difference methods\n  *Finite element methods*\n  *Boundary element methods\n  *Monte Carlo methods\n  I hope "
     "this helps!", {"num_highlights": 2}, False),
    ("detectable_format:number_highlighted_sections", "\n  There is allowed to be *two different* highlighted "
     "*sections in the same*\n  line. **This is also true** for **double markdown highlights.**\n  ",
     {"num_highlights": 4}, True),
    ("detectable_format:multiple_sections", "\n  Your response must have multiple sections. Mark the beginning of "
     "each section\n  with \"Section X\", such as:\n  Section 1\n  [content of section 1]\n  Section 2\n  [content of "
     "section 2]", {"section_spliter": "Section", "num_sections": 3}, False),
    ("detectable_format:multiple_sections", "SECTION 1\n  [content of section 1]\n  SECTION 2\n  [content of section "
     "2]", {"section_spliter": "SECTION", "num_sections": 2}, True),
    ("length_constraints:number_paragraphs", "\n  paragraph 1\n  ***\n  paragraph 2\n  ***\n  paragraph 3",
     {"num_paragraphs": 3}, True),
    ("length_constraints:number_paragraphs", "\n          ***\n  paragraph 1\n          ***\n      paragraph 2\n"
     "          ***\n      paragraph 3", {"num_paragraphs": 3}, True),
    ("length_constraints:number_paragraphs", "\n  paragraph 1\n          ***\n      paragraph 2\n          ***\n"
     "          ***", {"num_paragraphs": 2}, False),
    ("detectable_content:postscript", "\n  I am always learning new things.\n\n  P.S. I hope this is what you were "
     "looking for.", {"postscript_marker": "P.S."}, True),
    ("detectable_content:postscript", "\n  I am always learning new things.\n\n  P.S. I hope this is what you were "
     "looking for.", {"postscript_marker": "PS:"}, False),
    ("detectable_content:postscript", "\n  one.\n  p.p.s what if the entire response was lower case letters?\n  ",
     {"postscript_marker": "P.P.S"}, True),
    ("detectable_content:postscript", "\n  The mysteries of space and time are mysterious.\n  P. S. Sometimes there "
     "are even spaces between P. and S..\n  ", {"postscript_marker": "P.S."}, True),
    ("keywords:existence", "An apple and a Banana.", {"keywords": ["apple", "banana"]}, True),
    ("keywords:existence", "An apple.", {"keywords": ["apple", "banana"]}, False),
    ("keywords:frequency", "cat cat dog cat", {"keyword": "cat", "frequency": 3, "relation": "at least"}, True),
    ("keywords:frequency", "cat cat dog cat", {"keyword": "cat", "frequency": 3, "relation": "less than"}, False),
    ("keywords:forbidden_words", "I like cats.", {"forbidden_words": ["cat"]}, True),  # whole words only
    ("keywords:forbidden_words", "I like a Cat.", {"forbidden_words": ["cat"]}, False),
    ("keywords:letter_frequency", "Zebra zoo", {"letter": "z", "let_frequency": 2, "let_relation": "at least"}, True),
    ("length_constraints:number_words", "one two three", {"num_words": 3, "relation": "less than"}, False),
    ("length_constraints:number_words", "one, two-three", {"num_words": 3, "relation": "at least"}, True),
    ("length_constraints:nth_paragraph_first_word", "Intro here.\n\n\"Summary,\" she said.",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}, True),
    ("length_constraints:nth_paragraph_first_word", "Intro here.\n\nSummary.\n\nMore.",
     {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}, False),
    ("detectable_format:json_format", "```json\n{\"a\": 1}\n```", {}, True),
    ("detectable_format:json_format", "Here: {\"a\": 1}", {}, False),
    ("detectable_format:title", "<<poem of joy>>\nLines", {}, True),
    ("detectable_format:title", "<<  >> Lines", {}, False),
    ("combination:two_responses", "First answer.\n******\nSecond answer.", {}, True),
    ("combination:two_responses", "Same.\n******\nSame.", {}, False),
    ("combination:repeat_prompt", "write a poem. Here it is", {"prompt_to_repeat": "Write a poem."}, True),
    ("startend:end_checker", "Bye. \"Any other questions?\"", {"end_phrase": "Any other questions?"}, True),
    ("change_case:capital_word_frequency", "THE END IS NEAR, said NOBODY", {"capital_frequency": 4,
                                                                            "capital_relation": "at least"}, True),
    ("change_case:english_capital", "THIS IS AN ENGLISH SENTENCE WRITTEN IN CAPITALS.", {}, True),
    ("change_case:english_capital", "THIS IS mostly CAPITALS.", {}, False),
    ("change_case:english_lowercase", "this is an english sentence in lowercase letters.", {}, True),
    ("punctuation:no_comma", "no commas here", {}, True),
    ("punctuation:no_comma", "one, two", {}, False),
    ("startend:quotation", '"wrapped"', {}, True),
    ("startend:quotation", '"', {}, False),
])
def test_published_examples_strict(iid: str, text: str, kw: dict, want: bool) -> None:
    assert follows(iid, text, kw, "strict") is want


def test_sentence_splitter_keeps_abbreviations_and_decimals() -> None:
    assert split_into_sentences("Dr. Smith paid 3.5 dollars. Then he left... Fine!") == \
        ["Dr. Smith paid 3.5 dollars.", "Then he left...", "Fine!"]


def test_loose_mode_drops_first_last_line_and_stars() -> None:
    text = "Sure, here you go:\n\"all quoted\"\nHope it helps!"
    assert not follows("startend:quotation", text, {}, "strict")
    assert follows("startend:quotation", text, {}, "loose")  # without the first and last lines
    starred = "**<<Title>>**\nbody with no commas"
    assert follows("punctuation:no_comma", starred, {}, "loose")
    assert not follows("detectable_format:json_format", "Here it is:\nnot json\nbye", {}, "loose")
    assert not follows("punctuation:no_comma", "", {}, "strict")  # an empty response follows nothing


def _check(args: dict, answer: str, prompt: str = "Write something.") -> object:
    cfg = VerifyConfig()
    return Registry(cfg).get("ifeval").check(answer, TaskSpec("t", "ifeval", None, args, prompt), cfg)


def test_verifier_accepts_ifeval_ids_rows_and_old_names() -> None:
    # IFEval's own row shape: instruction_id_list + kwargs with null for unused parameters
    row = {"instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
           "kwargs": [{"num_words": None, "relation": None}, {"num_words": 3, "relation": "at least"}]}
    assert _check(row, "one two three four").passed
    bad = _check(row, "one, two")
    assert (bad.passed, bad.detail, bad.score) == (False, "punctuation:no_comma", 0.0)
    mixed = {"constraints": [{"type": "max_words", "value": 5}, {"type": "detectable_format:title"}]}
    assert _check(mixed, "<<T>> short").passed
    assert _check(mixed, "no title here").detail == "detectable_format:title"
    loose = {"constraints": [{"type": "startend:quotation"}], "mode": "loose"}
    assert _check(loose, "Here:\n\"quoted\"\nEnd").passed
    assert not _check({**loose, "mode": "strict"}, "Here:\n\"quoted\"\nEnd").passed
    # repeat_prompt defaults to the task's own prompt
    assert _check({"constraints": [{"type": "combination:repeat_prompt"}]}, "Write something. Done.").passed
    assert set(CONSTRAINTS).isdisjoint(INSTRUCTIONS)


@pytest.mark.parametrize(("args", "msg"), [
    ({"constraints": [{"type": "length_constraints:number_words", "num_words": "many", "relation": "at least"}]},
     "num_words must be an integer"),
    ({"constraints": [{"type": "keywords:frequency", "keyword": "a", "frequency": 1, "relation": "exactly"}]},
     "relation must be one of"),
    ({"constraints": [{"type": "punctuation:no_comma"}], "mode": "lenient"}, "mode must be strict or loose"),
    ({"constraints": [{"type": "no_such:thing"}]}, "nor an IFEval instruction id"),
])
def test_bad_parameters_name_the_field(args: dict, msg: str) -> None:
    from pipeline.verify.errors import VerifierArgsError

    with pytest.raises(VerifierArgsError, match=msg):
        _check(args, "some answer")
