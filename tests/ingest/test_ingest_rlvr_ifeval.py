"""Tulu 3's RLVR instruction-following rows (allenai/RLVR-IFeval, RLVR-GSM-MATH-IF-Mixed-Constraints): the prompt in
`messages`, the constraint in `ground_truth` as open-instruct's IF function and its arguments, JSON text
(`{"func_name": "validate_lowercase", "N": null, ...}`); IF_multi_constraints' rows give IFEval instruction ids and
kwargs there. Every such row was quarantined `missing_field:answer` (no hint), and mapped as the answer the JSON was
refused as "a worked solution": no way to keep them. They are `ifeval` tasks whose constraints check what the
function checks."""

from __future__ import annotations

import json

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.if_truth import if_constraints
from pipeline.verify import verify_items
from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item
from pipeline.verify.result import TaskSpec

NULL_ARGS = ["N", "quantifier", "end_phrase", "keyword_list", "word", "forbidden_words", "letter", "i"]
NULL_ARGS += ["first_word", "postscript_marker", "options", "section_splitter", "original_prompt"]
NULLS = dict.fromkeys(NULL_ARGS)


def _truth(func: str, **args) -> str:
    return json.dumps({"func_name": func, **NULLS, **args})


def _row(prompt: str, truth: str, dataset: str = "ifeval") -> dict:
    return {"messages": [{"role": "user", "content": prompt}], "ground_truth": truth, "dataset": dataset}


def _tasks(store) -> list[dict]:
    return sorted(store.read("tasks").iter_rows(named=True), key=lambda t: t["prompt"])


def _quarantine(store) -> list[tuple[str, str]]:
    return store.read("quarantine").select("reason", "detail").rows()


def test_rlvr_ifeval_rows_are_ifeval_tasks(store, write_jsonl) -> None:
    rows = [
        _row("Write a haiku about autumn. Use only lowercase letters.", _truth("validate_lowercase")),
        _row(
            "Describe a cat in at least 3 sentences.", _truth("verify_sentence_constraint", N=3, quantifier="at least")
        ),
    ]
    rep = ingest_paths(store, [write_jsonl("rlvr.jsonl", rows)])
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    cat, haiku = _tasks(store)
    assert (haiku["verifier"], haiku["domain"], haiku["answer"]) == ("ifeval", "instruction_following", None)
    assert json.loads(haiku["verifier_args"])["constraints"] == [{"type": "change_case:english_lowercase"}]
    assert json.loads(cat["verifier_args"])["constraints"] == [
        {"type": "length_constraints:number_sentences", "num_sentences": 3, "relation": "at least"}
    ]
    assert "ground_truth" not in json.loads(haiku["metadata"]) and json.loads(haiku["metadata"])["dataset"] == "ifeval"


def test_mixed_file_mapped_answer_reads_math_and_ifeval_rows(store, write_jsonl) -> None:
    """RLVR-GSM-MATH-IF-Mixed-Constraints mixes math rows (a value in ground_truth) with IF rows: mapped as the answer
    (as the quarantine hint says), the math rows keep their value and the IF rows become ifeval tasks."""
    rows = [
        _row("Janet has 3 apples and buys 2 more. How many?", "5", "gsm8k"),
        _row(
            "Write about rain. End with the exact phrase 'Is there anything else?'.",
            _truth("validate_end", end_phrase="Is there anything else?"),
        ),
    ]
    rep = ingest_paths(store, [write_jsonl("mixed.jsonl", rows)], mapping={"answer": "ground_truth"})
    assert rep.metadata["ingested"] == 2, _quarantine(store)
    math_task, if_task = _tasks(store)
    assert (math_task["verifier"], math_task["answer"]) == ("math", "5")
    assert json.loads(if_task["verifier_args"])["constraints"] == [
        {"type": "startend:end_checker", "end_phrase": "Is there anything else?"}
    ]


def test_if_multi_constraints_rows_give_ifeval_ids(store, write_jsonl) -> None:
    truth = json.dumps([{"instruction_id": ["detectable_format:title", "punctuation:no_comma"], "kwargs": [None, {}]}])
    rep = ingest_paths(store, [write_jsonl("multi.jsonl", [_row("Write a poem about the sea.", truth)])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    assert json.loads(t["verifier_args"])["constraints"] == [
        {"type": "detectable_format:title"},
        {"type": "punctuation:no_comma"},
    ]


@pytest.mark.parametrize(
    ("truth", "why"),
    [
        (_truth("validate_teleport"), "unknown IF function 'validate_teleport'"),
        (_truth("validate_end"), "validate_end needs end_phrase"),
        (_truth("validate_word_constraint", N=10, quantifier="roughly"), "quantifier 'roughly'"),
    ],
)
def test_an_if_function_that_cannot_be_read_is_quarantined_naming_it(store, write_jsonl, truth, why) -> None:
    ingest_paths(store, [write_jsonl("bad.jsonl", [_row("Write something.", truth)])])
    ((reason, detail),) = _quarantine(store)
    assert reason == "invalid_value:ground_truth" and why in detail, detail


# open-instruct's function, its arguments, a response that meets it and one that does not
JUDGED = [
    ("validate_lowercase", {}, "all lowercase here.", "Not lowercase."),
    ("validate_uppercase", {}, "ALL CAPS HERE.", "Not caps."),
    ("verify_keywords", {"keyword_list": ["moon", "tide"]}, "The moon pulls the tide.", "The moon is bright."),
    ("verify_keywords", {"keyword_list": ["C++", "run"]}, "I like C++ and running.", "I like C and running."),
    ("validate_forbidden_words", {"forbidden_words": ["a.b"]}, "axb is fine.", "a.b is not."),
    ("verify_keyword_frequency", {"word": "sea", "N": 2}, "Sea and sea.", "Sea, sea, sea."),
    ("validate_forbidden_words", {"forbidden_words": ["storm"]}, "Calm waters.", "A storm came."),
    ("verify_letter_frequency", {"letter": "z", "N": 2}, "zig zag", "zig zag zoom"),
    ("verify_paragraph_count", {"N": 2}, "One.\n* * *\nTwo.", "One.\n* * *\nTwo.\n* * *\nThree."),
    ("verify_paragraph_count", {"N": 2}, "  One.\n  * * *  \nTwo.", "One.\n* * *\n\n* * *\nTwo."),
    ("validate_word_constraint", {"N": 3, "quantifier": "at most"}, "Just three words", "This has five words here"),
    ("validate_word_constraint", {"N": 10, "quantifier": "around"}, " ".join(["w"] * 11), " ".join(["w"] * 13)),
    ("validate_word_constraint", {"N": 4, "quantifier": "at least"}, "one two three four", "one two three"),
    ("verify_sentence_constraint", {"N": 2, "quantifier": "at most"}, "One. Two.", "One. Two. Three."),
    ("validate_paragraphs", {"N": 2, "i": 2, "first_word": "then"}, "First.\n\nthen second.", "First.\n\nNext."),
    ("verify_postscript", {"postscript_marker": "P.S."}, "Hi.\n\nP.S. bye", "Hi. bye"),
    ("validate_placeholders", {"N": 2}, "At [place] on [date].", "At [place]."),
    ("verify_bullet_points", {"N": 2}, "* one\n* two", "* one"),
    ("validate_title", {}, "<<Sea>>\nWaves.", "Waves."),
    ("validate_choice", {"options": ["yes", "no"]}, "My answer is yes.", "Perhaps."),
    ("validate_highlighted_sections", {"N": 2}, "*one* and *two*", "*one* only"),
    ("validate_sections", {"N": 2, "section_splitter": "Section"}, "Section 1\na\nSection 2\nb", "Section 1\na"),
    ("validate_json_format", {}, '{"a": 1}', "a: 1"),
    ("validate_two_responses", {}, "First.\n******\nSecond.", "Only one."),
    ("validate_frequency_capital_words", {"N": 2, "quantifier": "at least"}, "WOW and YES", "only WOW"),
    ("validate_end", {"end_phrase": "Bye."}, "Hello. Bye.", "Bye. Hello."),
    ("validate_quotation", {}, '"quoted"', "not quoted"),
    ("validate_no_commas", {}, "No commas here.", "Commas, here."),
    (
        "validate_response_language",
        {"language": "en"},
        "This is an English sentence about the sea.",
        "Dies ist ein deutscher Satz über das Meer und die Wellen.",
    ),
]


def test_each_if_function_is_judged_as_it_checks() -> None:
    items, expected = [], []
    for i, (func, args, good, bad) in enumerate(JUDGED):
        constraints = if_constraints(_truth(func, **args))
        assert constraints, func
        for text, ok in ((good, True), (bad, False)):
            spec = TaskSpec(
                f"t{i}{ok}",
                "ifeval",
                None,
                {"constraints": constraints},
                prompt="Write.",
                domain="instruction_following",
            )
            items.append(Item(spec, f"<think>\nok\n</think>\n\n{text}", "think"))
            expected.append((func, ok))
    got = verify_items(items, VerifyConfig(workers=1))
    wrong = [(func, ok) for (func, ok), r in zip(expected, got, strict=True) if r.passed is not ok]
    assert not wrong, wrong


def test_validate_choice_options_written_as_a_tuples_text_are_read(store, write_jsonl) -> None:
    """RLVR-IFeval's validate_choice rows hold `options` as the text of a Python tuple, as the prompt shows them
    ("Answer with one of the following options: ('My answer is yes.', 'My answer is no.', 'My answer is maybe.')"):
    every such row was quarantined `bad_args` (options must be a list)."""
    options = "('My answer is yes.', 'My answer is no.', 'My answer is maybe.')"
    prompt = f"Is the sky blue? Answer with one of the following options: {options}"
    rep = ingest_paths(store, [write_jsonl("choice.jsonl", [_row(prompt, _truth("validate_choice", options=options))])])
    assert rep.metadata["ingested"] == 1, _quarantine(store)
    (t,) = _tasks(store)
    items = []
    for i, text in enumerate(("My answer is yes.", "Yes.", "My answer is yes. My answer is no.")):
        spec = TaskSpec(f"t{i}", "ifeval", None, json.loads(t["verifier_args"]), prompt=prompt)
        items.append(Item(spec, f"<think>\nok\n</think>\n\n{text}", "think"))
    assert [r.passed for r in verify_items(items, VerifyConfig(workers=1))] == [True, False, False]
