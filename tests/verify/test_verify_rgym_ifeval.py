"""IFEval's 25 instruction types (its own ids), strict and loose, checked against IFEval's published examples
(google-research instruction_following_eval/instructions_test.py) and through the `ifeval` verifier."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.ifeval import CONSTRAINTS
from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS, follows, split_into_sentences
from testing_support.verifier_accuracy import IFEVAL_EXAMPLES

IFEVAL_IDS = {
    "keywords:existence",
    "keywords:frequency",
    "keywords:forbidden_words",
    "keywords:letter_frequency",
    "language:response_language",
    "length_constraints:number_sentences",
    "length_constraints:number_paragraphs",
    "length_constraints:number_words",
    "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders",
    "detectable_content:postscript",
    "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections",
    "detectable_format:json_format",
    "detectable_format:title",
    "combination:two_responses",
    "combination:repeat_prompt",
    "startend:end_checker",
    "change_case:capital_word_frequency",
    "change_case:english_capital",
    "change_case:english_lowercase",
    "punctuation:no_comma",
    "startend:quotation",
}


def test_all_25_ids() -> None:
    assert set(INSTRUCTIONS) == IFEVAL_IDS


@pytest.mark.parametrize(("iid", "text", "kw", "want"), IFEVAL_EXAMPLES)
def test_published_examples_strict(iid: str, text: str, kw: dict, want: bool) -> None:
    assert follows(iid, text, kw, "strict") is want


def test_sentence_splitter_keeps_abbreviations_and_decimals() -> None:
    assert split_into_sentences("Dr. Smith paid 3.5 dollars. Then he left... Fine!") == [
        "Dr. Smith paid 3.5 dollars.",
        "Then he left...",
        "Fine!",
    ]


def test_loose_mode_drops_first_last_line_and_stars() -> None:
    text = 'Sure, here you go:\n"all quoted"\nHope it helps!'
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
    row = {
        "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
        "kwargs": [{"num_words": None, "relation": None}, {"num_words": 3, "relation": "at least"}],
    }
    assert _check(row, "one two three four").passed
    bad = _check(row, "one, two")
    assert (bad.passed, bad.detail, bad.score) == (False, "punctuation:no_comma", 0.0)
    mixed = {"constraints": [{"type": "max_words", "value": 5}, {"type": "detectable_format:title"}]}
    assert _check(mixed, "<<T>> short").passed
    assert _check(mixed, "no title here").detail == "detectable_format:title"
    loose = {"constraints": [{"type": "startend:quotation"}], "mode": "loose"}
    assert _check(loose, 'Here:\n"quoted"\nEnd').passed
    assert not _check({**loose, "mode": "strict"}, 'Here:\n"quoted"\nEnd').passed
    # repeat_prompt defaults to the task's own prompt
    assert _check({"constraints": [{"type": "combination:repeat_prompt"}]}, "Write something. Done.").passed
    assert set(CONSTRAINTS).isdisjoint(INSTRUCTIONS)


@pytest.mark.parametrize(
    ("args", "msg"),
    [
        (
            {"constraints": [{"type": "length_constraints:number_words", "num_words": "many", "relation": "at least"}]},
            "num_words must be an integer",
        ),
        (
            {"constraints": [{"type": "keywords:frequency", "keyword": "a", "frequency": 1, "relation": "exactly"}]},
            "relation must be one of",
        ),
        ({"constraints": [{"type": "punctuation:no_comma"}], "mode": "lenient"}, "mode must be strict or loose"),
        ({"constraints": [{"type": "no_such:thing"}]}, "nor an IFEval instruction id"),
    ],
)
def test_bad_parameters_name_the_field(args: dict, msg: str) -> None:
    from pipeline.verify.errors import VerifierArgsError

    with pytest.raises(VerifierArgsError, match=msg):
        _check(args, "some answer")


def test_mode_applies_to_thinkmill_constraints_too() -> None:
    """A mode was read only by IFEval ids: with thinkmill's names (and open-instruct's paragraphs_divided and
    contains_one_of, which ingest writes beside IFEval ids) `loose` was silently strict and a misspelt mode passed."""
    answer = "Sure! Here it is:\nall lowercase here\nHope This Helps"
    mixed = [{"type": "lowercase"}, {"type": "change_case:english_lowercase"}]
    assert _check({"constraints": mixed, "mode": "loose"}, answer).passed
    assert _check({"constraints": mixed, "mode": "strict"}, answer).detail == "lowercase"
    from pipeline.verify.errors import VerifierArgsError

    for mode in ("lose", "STRICT"):
        with pytest.raises(VerifierArgsError, match="mode must be strict or loose"):
            _check({"constraints": [{"type": "lowercase"}], "mode": mode}, "all lower")
    with pytest.raises(VerifierArgsError, match="value must be a number"):  # parameters checked in loose mode too
        _check({"constraints": [{"type": "max_words"}], "mode": "loose"}, "")


@pytest.mark.parametrize(("iid", "text", "kw", "want"), IFEVAL_EXAMPLES)
def test_an_empty_answer_follows_nothing_but_valid_parameters_pass_the_check(
    iid: str, text: str, kw: dict, want: bool
) -> None:
    """Ingest probes a task's parameters with an empty answer (`registry.args_problem`): every published example's
    parameters are valid, so the probe must not raise on them, in either mode."""
    assert follows(iid, "", kw, "strict") is False
    assert follows(iid, "  \n", kw, "loose") is False


@pytest.mark.parametrize(
    ("iid", "kw", "names"),
    [
        ("length_constraints:number_words", {"relation": "about", "num_words": 40}, "relation"),
        ("length_constraints:number_words", {"relation": "less than"}, "num_words"),
        ("keywords:existence", {"keywords": "cat"}, "keywords"),
        ("keywords:letter_frequency", {"letter": "ab", "let_frequency": 2, "let_relation": "at least"}, "letter"),
        ("detectable_content:postscript", {}, "postscript_marker"),
        ("language:response_language", {"language": "Spanish"}, "language must be a code"),  # never detected
        ("language:response_language", {"language": "xx"}, "language must be a code"),
    ],
)
def test_bad_parameters_are_an_args_error_even_on_an_empty_answer(iid: str, kw: dict, names: str) -> None:
    from pipeline.verify.verifiers.ifeval_google import IfevalArgsError

    with pytest.raises(IfevalArgsError, match=names):
        follows(iid, "", kw, "strict")


@pytest.mark.parametrize(
    ("text", "marker", "want"),
    [
        ("To bake bread, follow these steps: mix, knead and bake.", "PS:", False),  # `ps:` ends a word
        ("Keep your laptops: they are useful.", "PS:", False),
        ("Write it in your notebook today.", "Note", False),  # `note` starts a word
        ("Thanks for reading.\n\nPS: write back soon.", "PS:", True),
        ("Thanks for reading.\n\n**P.S.** Write back soon.", "P.S.", True),
        ("Thanks for reading. P.S. Write back soon.", "P.S.", True),
        ("Thanks.\n\nNote: the shop closes at six.", "Note", True),
    ],
)
def test_postscript_marker_is_not_part_of_a_word(text: str, marker: str, want: bool) -> None:
    """IFEval finds the marker anywhere in the text, so "follow these steps:" held the postscript "PS:" asks for."""
    assert follows("detectable_content:postscript", text, {"postscript_marker": marker}, "strict") is want


@pytest.mark.parametrize(
    ("language", "text", "want"),
    [
        ("zh", "长城是中国古代的伟大建筑，全长超过两万公里，是世界上最著名的文化遗产之一。", True),
        ("zh", "長城是中國古代的偉大建築，全長超過兩萬公里，是世界上最著名的文化遺產之一。", True),
        ("zh", "The Great Wall is an ancient and famous building in the north of China.", False),
        ("zh-tw", "长城是中国古代的伟大建筑，全长超过两万公里，是世界上最著名的文化遗产之一。", False),
        ("es", "La Gran Muralla es una construcción antigua muy famosa del norte de China.", True),
    ],
)
def test_response_language_zh_is_either_chinese(language: str, text: str, want: bool) -> None:
    """langdetect says zh-cn or zh-tw, never zh (IFEval's own example code for Chinese): every answer failed."""
    assert follows("language:response_language", text, {"language": language}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Three tips:\n\n* Tip one\n* Tip two\n* Tip three\n\n---\n\nHope this helps!", True),
        ("Tips:\n\n* Tip one\n* Tip two\n\n---\n\nHope this helps!", False),
        ("Tips:\n\n- Tip one\n- Tip two\n\n* * *\n\nBye", False),
        ("Tips:\n\n- Tip one\n- Tip two\n  ___\n- - -\n", False),
        ("- one\n- two\n- three", True),
    ],
)
def test_a_thematic_break_is_no_bullet(text: str, want: bool) -> None:
    """IFEval counted a `---` or `* * *` line as a bullet: two bullets and a rule passed "exactly 3 bullet points",
    three bullets and a rule failed."""
    assert follows("detectable_format:number_bullet_lists", text, {"num_bullets": 3}, "strict") is want
    assert _check({"constraints": [{"type": "bullet_points", "count": 3}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "keywords", "want"),
    [
        ("Let us start now.", ["art"], False),  # `art` inside `start`
        ("We will concatenate them.", ["cat"], False),
        ("Modern art is loud.", ["art"], True),
        ("ART matters.", ["art"], True),
        ("The cats sleep.", ["cat"], True),  # a form of the keyword starts a word
        ("I like C++ and Rust.", [r"C\+\+"], True),  # ingest escapes open-instruct's keywords
        ("I like C++17.", [r"C\+\+"], True),
        ("I like C and Rust.", [r"C\+\+"], False),
        ("We use machine learning.", [r"machine\ learning"], True),
    ],
)
def test_a_keyword_starts_a_word(text: str, keywords: list[str], want: bool) -> None:
    """IFEval searches the keyword anywhere: `art` was found in "start", `cat` in "concatenate"."""
    assert follows("keywords:existence", text, {"keywords": keywords}, "strict") is want


@pytest.mark.parametrize(
    ("text", "relation", "want"),
    [
        ("There are other things in their theory.", "at least", False),  # no `the` of its own
        ("The cat, the dog and the bird.", "at least", True),
        ("The cat sat there with the other one.", "less than", True),  # two `the`: there, other are none
        ("The cat, the dog and the bird.", "less than", False),
    ],
)
def test_keyword_frequency_counts_whole_words(text: str, relation: str, want: bool) -> None:
    """IFEval counts the keyword inside longer words: `the` three times in "There are other things in their theory"
    (at least 3 passed), and "less than 3" failed an answer with two."""
    kw = {"keyword": "the", "frequency": 3, "relation": relation}
    assert follows("keywords:frequency", text, kw, "strict") is want


@pytest.mark.parametrize(
    ("text", "word", "want"),
    [
        ("I love C++ code.", r"C\+\+", False),  # ingest escapes open-instruct's forbidden `C++`
        ("I love C++.", r"C\+\+", False),
        ("It is written in C#, mostly.", r"C\#", False),
        ("It costs $5 today.", r"\$5", False),
        ("I love C code.", r"C\+\+", True),
        ("The storms came.", "storm", True),  # whole words, as in IFEval
        ("A Storm came.", "storm", False),
    ],
)
def test_a_forbidden_word_with_a_symbol_at_its_edge_is_caught(text: str, word: str, want: bool) -> None:
    """IFEval wraps the word in `\\b`, which after `C++` or before `$5` needs a letter next to the symbol: "I love C++
    code" passed a task forbidding C++."""
    assert follows("keywords:forbidden_words", text, {"forbidden_words": [word]}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("See [the docs](https://x.io) and [the guide](https://y.io).", False),
        ("![diagram](chart.png)\n[Name]", False),
        ("Dear [Name], read [our terms](https://x.io) by [Date].", True),
        ("Dear [Name] (optional), see you on [Date].", True),
    ],
)
def test_a_markdown_link_is_no_placeholder(text: str, want: bool) -> None:
    """IFEval counts every `[...]`: an answer with two links and no placeholder passed "at least 2 placeholders"."""
    assert follows("detectable_content:number_placeholders", text, {"num_placeholders": 2}, "strict") is want
    assert _check({"constraints": [{"type": "placeholders", "count": 2}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Section 1\nThe plan, as Section 2 and Section 3 below explain.", False),  # mentions
        ("Intro.\nSection 1\nA\nSection 2\nB, and see Section 3.", False),
        ("Section 1\nA\nSection 2\nB\nSection 3\nC", True),
        ("**Section 1**\nA\n\n## Section 2: Costs\nB\n\n### **Section 3**\nC", True),
        ("  Section 1\n  A\n  Section2\n  B\n> Section 3\nC", True),
    ],
)
def test_a_section_marker_starts_a_line(text: str, want: bool) -> None:
    """IFEval finds the marker anywhere: "as Section 2 and Section 3 below explain" made two more sections."""
    kw = {"section_spliter": "Section", "num_sections": 3}
    assert follows("detectable_format:multiple_sections", text, kw, "strict") is want


def test_constraints_beside_an_instruction_id_list_are_checked_with_it() -> None:
    """With `constraints` the verifier read no `instruction_id_list`: its instructions passed unchecked."""
    args = {
        "constraints": [{"type": "punctuation:no_comma"}],
        "instruction_id_list": ["keywords:existence"],
        "kwargs": [{"keywords": ["zebra"]}],
    }
    bad = _check(args, "No horses here")
    assert (bad.passed, bad.detail, bad.score) == (False, "keywords:existence", 0.5)
    assert _check(args, "A zebra here").passed
    assert _check(args, "A zebra, here").detail == "punctuation:no_comma"
    from pipeline.verify.errors import VerifierArgsError

    with pytest.raises(VerifierArgsError, match="instruction_id_list"):  # one that cannot be read is no less wrong
        _check({**args, "kwargs": [{}, {}]}, "A zebra here")
    with pytest.raises(VerifierArgsError, match="constraints must be a non-empty list"):
        _check({**args, "constraints": {"type": "punctuation:no_comma"}}, "A zebra here")


@pytest.mark.parametrize(
    ("instruction_id", "kwargs", "echo", "answered"),
    [
        (
            "combination:repeat_prompt",
            {"prompt_to_repeat": "Write a haiku about rain."},
            "Write a haiku about rain.",
            "Write a haiku about rain.\n\nSoft rain on the roof\n...",
        ),
        (
            "startend:end_checker",
            {"end_phrase": "Any other questions?"},
            '"Any other questions?"',
            "Rain falls on the roof. Any other questions?",
        ),
    ],
)
@pytest.mark.parametrize("mode", ["strict", "loose"])
def test_an_answer_that_is_only_the_echo_follows_nothing(
    instruction_id: str, kwargs: dict, echo: str, answered: str, mode: str
) -> None:
    """An answer that only repeats the request ("repeat the request word for word, then give your answer") or is only
    the end phrase passed, as in IFEval's checker: a row with no answer in it. It needs text besides the echo."""
    assert follows(instruction_id, echo, kwargs, mode) is False
    assert follows(instruction_id, answered, kwargs, mode) is True


@pytest.mark.parametrize(
    ("iid", "kw", "text", "want"),
    [
        ("keywords:existence", {"keywords": ["C++"]}, "I like C and Rust.", False),  # `C++`: one or more `C`
        ("keywords:existence", {"keywords": ["C++"]}, "I like C++ and Rust.", True),
        ("keywords:existence", {"keywords": ["e.g."]}, "An eagle flew by.", False),  # `.`: any character
        ("keywords:existence", {"keywords": ["e.g."]}, "Fruit, e.g. apples.", True),
        ("keywords:existence", {"keywords": ["(a)"]}, "Option a is fine.", False),  # a group
        ("keywords:existence", {"keywords": [r"C\+\+"]}, "I like C++.", True),  # as ingest escapes it
        ("keywords:forbidden_words", {"forbidden_words": ["C++"]}, "I like C and Rust.", True),
        ("keywords:forbidden_words", {"forbidden_words": ["C++"]}, "I like C++ and Rust.", False),
        ("keywords:forbidden_words", {"forbidden_words": ["?"]}, "Is it? Yes.", False),  # not a regex error
        ("keywords:frequency", {"keyword": "C++", "frequency": 2, "relation": "at least"}, "C, C and C.", False),
        ("keywords:frequency", {"keyword": "C++", "frequency": 2, "relation": "at least"}, "C++ and C++17.", True),
    ],
)
def test_a_keyword_is_matched_as_written(iid: str, kw: dict, text: str, want: bool) -> None:
    """IFEval searches a keyword as a regular expression: a task's `C++` (in Python 3.11 a possessive `C+`) was found
    in "I like C", and `e.g.` in "eagle". A keyword is its text (a backslash before a symbol, as ingest escapes
    open-instruct's keywords, is that symbol)."""
    assert follows(iid, text, kw, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('"Hamlet" is a play; he says "to be"', False),  # two quotations, not the answer in one
        ('"Yes" and "no" are "answers"', False),
        ('"Tea", I said, "is ready."', False),
        ('"Hamlet is a play."', True),
        ('"He said "to be" and left, as "Hamlet" does."', True),  # quotations inside the wrapped answer
        ('"Dear Ann,\n\nThe "plan" works.\n\nBest, Bo"', True),
        ('"First paragraph.\n\n"Second paragraph, reopened as novels do."', True),
        ('"She said "no. Then she left."', True),  # an inner quotation never closed is no end of the wrapper
        ('""', False),  # an empty quotation wraps no answer (it passed, ifeval 9)
        ('"   "', False),
        ('" \n "', False),
    ],
)
def test_quotation_wraps_the_whole_answer_in_one_pair(text: str, want: bool) -> None:
    """IFEval checks only the first and last characters: '"Hamlet" is a play; he says "to be"' passed "Wrap your
    entire response with double quotation marks", though its opening quotation closes after one word."""
    assert follows("startend:quotation", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "quotation"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Shift both: x << 2 and y >> 3.", False),  # operators, not a title
        ("std::cout << name << std::endl; std::cin >> age;", False),
        ("Use `a << b` here and `c >> d` there.", False),
        ("<<A Poem of Joy>>\nLines follow.", True),
        ("Here is my poem <<Ode to Rain>> for you.", True),
        ("## << Ode to Rain >>\n\nLines follow.", True),  # spaced, but the title's whole line
        ("<<Part 2: The Return (1984)>>\nText.", True),
        ("<<雨の詩>>\n雨が降る。", True),
    ],
)
def test_a_title_is_text_in_double_angle_brackets_not_shift_operators(text: str, want: bool) -> None:
    """IFEval takes any `<<...>>` on a line: "x << 2 and y >> 3" passed "wrap the title in double angular
    brackets"."""
    assert follows("detectable_format:title", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "title"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Rain falls softly.\n*******\nThe storm roars.", False),  # seven asterisks
        ("Rain falls softly.\n********\nThe storm roars.", False),
        ("Rain falls softly.\n******\nThe storm roars.", True),
        ("**One:** rain falls.\n******\n**Two:** the storm roars.", True),
    ],
)
def test_two_responses_are_separated_by_exactly_six_asterisks(text: str, want: bool) -> None:
    """IFEval splits at the first six asterisks of any longer run: a `*******` line passed "separated by 6 asterisk
    symbols: ******", its seventh `*` read as the second response's first character."""
    assert follows("combination:two_responses", text, {}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我喜欢苹果，香蕉和橙子。", False),  # a fullwidth comma
        ("りんご、バナナ、みかん。", False),  # an ideographic comma
        ("أحب التفاح، والموز.", False),  # an Arabic comma
        ("我喜欢苹果和香蕉。", True),
        ("I like apples and bananas.", True),
        ("I like apples, and bananas.", False),
    ],
)
def test_no_comma_counts_the_commas_of_other_scripts(text: str, want: bool) -> None:
    """IFEval looks for `,` only: a Chinese, Japanese or Arabic answer full of its own commas passed "refrain from the
    use of any commas"."""
    assert follows("punctuation:no_comma", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "no_commas"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("We compute 2 * 3 * 4 = 24 and 5 * 6 * 7.", False),  # multiplication signs, not highlights
        ("Take 5 * 6 and one *real* highlight.", False),
        ("A ** b ** c and a bullet:\n* item one *", False),
        ("**hello** only once", False),  # bold is one highlight, not two
        ("Take 5 * 6, then *first* and *second*.", True),
        ("Some *highlighted text* and **bold text** here.", True),
        ("***Both*** and *one more*.", True),
        ("Use *italic* for terms,\nnot **bold**.", True),
    ],
)
def test_a_highlight_has_no_space_just_inside_its_asterisks(text: str, want: bool) -> None:
    """IFEval takes any `*...*` on a line: the multiplication signs of "2 * 3 * 4 = 24 and 5 * 6 * 7" made two
    highlights. Markdown emphasis has no space just inside its `*` (or `**`)."""
    assert follows("detectable_format:number_highlighted_sections", text, {"num_highlights": 2}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("My answer is yes. My answer is no.", False),  # every option, hedged
        ("My answer is yes.\nMy answer is no.\nMy answer is maybe.", False),
        ("It depends. My answer is maybe. Or: My answer is no.", False),
        ("My answer is no.", True),
        ("Paris is large. My answer is yes.", True),
        ("My answer is yes. To repeat: My answer is yes.", True),  # one option, twice
    ],
)
def test_constrained_response_gives_exactly_one_option(text: str, want: bool) -> None:
    """IFEval passes a response holding any of the options: "My answer is yes. My answer is no." answered "yes, no
    or maybe" with both."""
    assert follows("detectable_format:constrained_response", text, {}, "strict") is want


@pytest.mark.parametrize(
    ("text", "n", "want"),
    [
        ("Intro ***Note*** rest.", 3, False),  # bold italic, not two dividers
        ("Intro ***Note*** rest.", 1, True),
        ("One ***key*** idea.\n***\nTwo.", 3, False),
        ("One ***key*** idea.\n***\nTwo.", 2, True),
        ("Para one.\n***\nPara two.\n***\nPara three.", 3, True),
        ("Para one.\n  ***  \nPara two.", 2, True),
        ("Para one. *** Para two.", 2, True),  # spaces on both sides, as IFEval splits
    ],
)
def test_a_paragraph_divider_stands_apart(text: str, n: int, want: bool) -> None:
    """IFEval splits at every `***`: the bold italic of "Intro ***Note*** rest." made three paragraphs. A divider
    has whitespace or a line's edge on both sides."""
    assert follows("length_constraints:number_paragraphs", text, {"num_paragraphs": n}, "strict") is want


@pytest.mark.parametrize(
    ("second", "want"),
    [
        ("**Summary** of it.", True),  # markdown emphasis around the word
        ("*Summary*, in short.", True),
        ("__Summary__ of it.", True),
        ("**Summary:** the plan works.", True),
        ("Summary: the plan works.", True),
        ('"Summary," she said.', True),
        ("**Summaries** of it.", False),
        ("**In summary** it works.", False),
        ("Summary_table holds it.", False),
    ],
)
def test_nth_paragraph_first_word_reads_through_emphasis(second: str, want: bool) -> None:
    """IFEval reads the first word up to `.`, `,`, `?`, `!` or a quote only: "**Summary** of it." (and "Summary:")
    failed a paragraph that starts with "summary"."""
    kw = {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}
    assert follows("length_constraints:nth_paragraph_first_word", "Intro.\n\n" + second, kw, "strict") is want


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("人工智能正在改变我们的生活方式" * 18, 270),  # each Han character a word, as word processors count
        ("我喜欢用Python编程。", 7),  # 我 喜 欢 用 Python 编 程
        ("東京はとても大きい都市です。", 13),  # kanji and kana alike
        ("コーヒー・ブレイク", 8),  # the middle dot is punctuation
        ("서울은 한국의 수도입니다.", 3),  # Korean is written with spaces: its words as is
        ("Paris is the capital.", 4),
    ],
)
def test_chinese_and_japanese_words_are_their_characters(text: str, n: int) -> None:
    """A run of Chinese or Japanese text (no spaces between its words) was one `\\w+` word: 270 Chinese characters
    passed "less than 50 words". Each Han character, hiragana and katakana counts as a word."""
    for want, relation in ((n, "at least"), (n + 1, "less than")):
        kw = {"num_words": want, "relation": relation}
        assert follows("length_constraints:number_words", text, kw, "strict") is True
        kw = {"num_words": want - 1 if relation == "less than" else want + 1, "relation": relation}
        assert follows("length_constraints:number_words", text, kw, "strict") is False
    assert _check({"constraints": [{"type": "max_words", "value": n}, {"type": "min_words", "value": n}]}, text).passed
    assert not _check({"constraints": [{"type": "max_words", "value": n - 1}]}, text).passed


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("今天天气很好。我们去公园散步！孩子们在玩耍吗？老人在下棋。鸟儿在唱歌。", 5),
        ("他说：“今天很好。”我们就出发了。", 2),  # a closing quote after 。 is no sentence
        ("東京は大きいです。本当ですか？はい、本当です。", 3),
        ("One. Two! Three?", 3),
    ],
)
def test_chinese_and_japanese_full_stops_end_sentences(text: str, n: int) -> None:
    """`。`, `！` and `？` ended no sentence: five Chinese sentences were one and passed "less than 2 sentences"."""
    assert follows("length_constraints:number_sentences", text, {"num_sentences": n, "relation": "at least"}, "strict")
    assert not follows(
        "length_constraints:number_sentences", text, {"num_sentences": n, "relation": "less than"}, "strict"
    )
    assert _check(
        {"constraints": [{"type": "max_sentences", "value": n}, {"type": "min_sentences", "value": n}]}, text
    ).passed


@pytest.mark.parametrize(
    ("options", "text", "want"),
    [
        (["My answer is yes.", "My answer is no."], "My answer is yes. My answer is no.", False),  # every option
        (["yes", "no"], "yes or no: it depends.", False),
        (["A", "B", "C"], "Both A and C could work.", False),
        (["yes", "no"], "My answer is yes.", True),
        (["yes", "no"], "yes, I know it: nothing else.", True),  # `no` only inside other words
        (["yes", "no", "yes, definitely"], "yes, definitely.", True),  # an option within another it is part of
        (["My answer is yes.", "My answer is no."], "My answer is no. Again: My answer is no.", True),
        (["A", "B", "C"], "The answer is B.", True),
        (["yes", "no"], "yesterday it rained.", False),  # `yes` only inside a longer word
        (["yes", "no"], "Perhaps.", False),
    ],
)
def test_contains_one_of_gives_exactly_one_option(options: list[str], text: str, want: bool) -> None:
    """open-instruct's validate_choice passes a response holding any option: "My answer is yes. My answer is no."
    answered "one of the following options" with both. An option counts as a whole text at word edges, and one found
    only inside another option the answer gives is not an option of its own."""
    assert _check({"constraints": [{"type": "contains_one_of", "options": options}]}, text).passed is want


@pytest.mark.parametrize(
    ("second", "want"),
    [
        ("## Summary\nThe plan works.", True),
        ("# **Summary**: the plan works.", True),
        ("### Overview\nThe plan works.", False),
        ("##Summary is no heading.", False),
    ],
)
def test_nth_paragraph_first_word_reads_through_a_heading(second: str, want: bool) -> None:
    """A paragraph opening with a markdown heading ("## Summary") had `##` as its first word and failed a paragraph
    asked to start with "summary"."""
    kw = {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "summary"}
    assert follows("length_constraints:nth_paragraph_first_word", "Intro.\n\n" + second, kw, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('{"temperature": NaN, "unit": "C"}', False),  # Python's json reads NaN; JSON has no such value
        ('```json\n{"max": Infinity}\n```', False),
        ("[1, -Infinity]", False),
        ('{"temperature": null, "unit": "C"}', True),
        ('{"note": "NaN is not a number"}', True),
        ('```json\n{"max": 1e308}\n```', True),
    ],
)
def test_json_format_is_json_not_python_json(text: str, want: bool) -> None:
    """Python's json.loads takes `NaN`, `Infinity` and `-Infinity`, which JSON does not have: an answer with
    `{"temperature": NaN}` passed "wrap your entire output in JSON format", and a JSON parser refuses it."""
    assert follows("detectable_format:json_format", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "json_format"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "marker", "want"),
    [
        ("Thanks for reading.\n\nP.P.S. Write back soon.", "P.S.", False),  # a P.P.S. is no P.S.
        ("Thanks for reading.\n\nP. P. S. Write back soon.", "P.S.", False),
        ("Thanks for reading.\n\nP.P.S Write back soon.", "P.S", False),
        ("Thanks.\n\nP.S. Write back.\nP.P.S. Soon.", "P.S.", True),
        ("Thanks.\n\nP.S. Write back.\nP.P.S. Soon.", "P.P.S", True),
        ("Thanks for reading.\n\np.s. write back soon.", "P.S.", True),
        ("Thanks for reading.\n\nP. S. Write back soon.", "P.S.", True),
    ],
)
def test_a_pps_is_no_ps(text: str, marker: str, want: bool) -> None:
    """IFEval's `P.S.` pattern is found inside "P.P.S.": an answer whose only postscript was a P.P.S. passed
    "add a postscript starting with P.S."."""
    assert follows("detectable_content:postscript", text, {"postscript_marker": marker}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Swap `arr[i]` and `arr[j]` in place.", False),  # indexing, not placeholders
        ("grid[row][col] = 0", False),
        ("items = []\nseen = [ ]", False),  # empty brackets hold nothing to fill in
        ("Dear [Name],\nSee you on [Date].", True),
        ("**[Company]** is at ([Address]).", True),
        ("Call [Name]'s office on [Phone Number].", True),
    ],
)
def test_an_index_or_empty_brackets_are_no_placeholder(text: str, want: bool) -> None:
    """IFEval counts every `[...]`: the indexing of "swap arr[i] and arr[j]" (and `[]`) passed "at least 2
    placeholders" with none to fill in."""
    assert follows("detectable_content:number_placeholders", text, {"num_placeholders": 2}, "strict") is want
    assert _check({"constraints": [{"type": "placeholders", "count": 2}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Rain falls on the roof. **Any other questions?**", True),  # the phrase in bold ends the answer
        ("Rain falls on the roof.\n\n*Any other questions?*", True),
        ("Rain falls on the roof. __Any other questions?__  ", True),
        ("**Any other questions?**", False),  # the phrase alone, in bold: no answer
        ("Rain falls on the roof. **Any other questions?** Bye.", False),
        ("Rain falls on the roof. **Any other questions?**\n\n---", False),
    ],
)
def test_the_end_phrase_may_be_emphasised(text: str, want: bool) -> None:
    """A response ending with the end phrase in markdown bold or italics ("... **Any other questions?**") failed
    "finish your response with this exact phrase": the closing `**` was taken for words after it."""
    assert follows("startend:end_checker", text, {"end_phrase": "Any other questions?"}, "strict") is want
    assert _check({"constraints": [{"type": "end_with", "phrase": "Any other questions?"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("As shown in [1] and [2], the effect holds.", False),  # citations, not placeholders
        ("Prices rose [3, 4] and fell [5-7].", False),
        ("Studies agree.[^1] Others differ.[^2]", False),  # markdown footnotes
        ("- [x] Book the venue\n- [ ] Send invitations\n* [X] Pay", False),  # markdown task-list checkboxes
        ("Dear [your name], see you at [ADDRESS].", True),
        ("Born on [date of birth] in [City 2].", True),
        ("- [Name] will call\n- [x] placeholder for the amount, and [y]", True),  # `[x]` off a list marker counts
    ],
)
def test_a_citation_or_a_checkbox_is_no_placeholder(text: str, want: bool) -> None:
    """IFEval counts every `[...]`: the citations `[1]` `[2]` of an answer, or its task list's `- [x]` / `- [ ]`
    checkboxes, passed "at least 2 placeholders represented by square brackets, such as [address]" with none to
    fill in."""
    assert follows("detectable_content:number_placeholders", text, {"num_placeholders": 2}, "strict") is want
    assert _check({"constraints": [{"type": "placeholders", "count": 2}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "phrase", "want"),
    [
        ("I lost my old winter glove.", "love.", False),  # the phrase is the tail of a longer word
        ("Here is the plan. Amen", "men", False),
        ("All you need is love.", "love.", True),
        ("It works.Any other questions?", "Any other questions?", True),  # a symbol is its own edge
        ("It is done.\n\n**Love.**", "love.", True),
        ("The score: 10/10", "/10", True),  # a phrase starting with a symbol needs no edge
        ("我很好，谢谢", "谢谢", True),  # Chinese is written without spaces
        ("วันนี้อากาศดีมากขอบคุณครับ", "ขอบคุณครับ", True),  # so is Thai
        ("यह मेरी पसंदीदा किताब है", "ताब है", False),  # a vowel sign is part of its word: "किताब" goes on
    ],
)
def test_the_end_phrase_starts_at_a_word_edge(text: str, phrase: str, want: bool) -> None:
    """An end phrase was searched as the text's tail, so asked to end with "love." an answer ending "... a glove."
    passed."""
    assert follows("startend:end_checker", text, {"end_phrase": phrase}, "strict") is want
    assert _check({"constraints": [{"type": "end_with", "phrase": phrase}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "phrase", "want"),
    [
        ("My answer isn't simple: no.", "My answer is", False),  # the phrase is the head of a longer word
        ("I thinking about it, yes.", "I think", False),
        ("My answer is: yes.", "My answer is", True),
        ("I think yes.", "I think", True),
        ("मैं किताबें पढ़ता हूँ।", "मैं किताब", False),  # a vowel sign goes on with the word: "किताबें"
        ("मैं किताब पढ़ता हूँ।", "मैं किताब", True),
        ("สวัสดีครับ วันนี้", "สวัสดี", True),  # Thai is written without spaces
    ],
)
def test_the_start_phrase_ends_at_a_word_edge(text: str, phrase: str, want: bool) -> None:
    """A start phrase was searched as the text's head, so asked to start with "My answer is" an answer starting
    "My answer isn't" passed."""
    assert _check({"constraints": [{"type": "start_with", "phrase": phrase}]}, text).passed is want


@pytest.mark.parametrize(
    ("options", "text", "want"),
    [
        ("('My answer is yes.', 'My answer is no.', 'My answer is maybe.')", "My answer is no.", True),
        ("('My answer is yes.', 'My answer is no.', 'My answer is maybe.')", "Yes.", False),
        ('["A)", "B)", "C)"]', "B) is right.", True),
    ],
)
def test_contains_one_of_reads_options_written_as_a_tuples_text(options: str, text: str, want: bool) -> None:
    """RLVR-IFeval stores validate_choice's options as a Python tuple's text: such a task was `bad_args`."""
    assert _check({"constraints": [{"type": "contains_one_of", "options": options}]}, text).passed is want


@pytest.mark.parametrize("options", ["yes or no", "('yes', 3)", "()", "('',)", "[1, 2]", "__import__('os')"])
def test_contains_one_of_options_text_that_is_no_list_of_texts_is_bad_args(options: str) -> None:
    from pipeline.verify.errors import VerifierArgsError

    with pytest.raises(VerifierArgsError, match="options must be"):
        _check({"constraints": [{"type": "contains_one_of", "options": options}]}, "yes")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("* Tip one\n* Tip two\n\n*Hope this helps!*", False),  # an italic line is no bullet
        ("* Tip one\n* Tip two\n*Note:* both are cheap.", False),
        ("* Tip one\n* Tip two\n* Tip three\n\n*Hope this helps!*", True),
        ("* *Tip one* first\n* Tip two\n* Tip three", True),
    ],
)
def test_an_italic_line_is_no_bullet(text: str, want: bool) -> None:
    """IFEval counts every line starting with `*` and another character: two bullets and an italic closing line
    ("*Hope this helps!*") passed "exactly 3 bullet points", and three bullets with one failed."""
    assert follows("detectable_format:number_bullet_lists", text, {"num_bullets": 3}, "strict") is want
    assert _check({"constraints": [{"type": "bullet_points", "count": 3}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Thanks for reading.\n\nP.S.", False),  # the marker alone: no postscript
        ("Thanks for reading.\n\n**P.S.**  \n", False),
        ("Thanks for reading.\n\nP.S. Write back soon.", True),
        ("Thanks for reading.\n\n**P.S.**\nWrite back soon.", True),
    ],
)
def test_a_postscript_holds_more_than_its_marker(text: str, want: bool) -> None:
    """IFEval finds the marker only: an answer ending with a bare "P.S." passed "add a postscript starting with
    P.S." (open-instruct's verify_postscript, which ingest reads into this instruction, fails it)."""
    assert follows("detectable_content:postscript", text, {"postscript_marker": "P.S."}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("BIG NEWS! BEAN THERE IS OPEN. \u2615 #COFFEE", True),
        ("THE RAIN IN SPAIN STAYS MAINLY IN THE PLAIN. WE WALKED HOME SLOWLY TOGETHER.", True),
        ("LA PLUIE TOMBE DOUCEMENT SUR LA VILLE ET LES ENFANTS JOUENT DANS LE PARC.", False),  # capitals, not English
        ("Big news! Bean There is open.", False),
    ],
)
def test_an_all_capitals_answer_is_told_english_by_its_words(text: str, want: bool) -> None:
    """`change_case:english_capital` asked the language detector about the capitals as written, which it reads as
    noise ("BIG NEWS! BEAN THERE IS OPEN. ☕ #COFFEE" was Vietnamese): a right all-caps English answer failed. The
    language is detected on its lower-case text."""
    got = _check({"instruction_id_list": ["change_case:english_capital"], "kwargs": [{}]}, text)
    assert got.passed is want, got


@pytest.mark.parametrize(
    ("iid", "text", "want"),
    [
        ("change_case:english_capital", "YES.", True),  # langdetect: Turkish
        ("change_case:english_capital", "OK, I WILL.", True),  # Polish
        ("change_case:english_capital", "I AGREE WITH YOU.", True),  # Welsh first, English second
        ("change_case:english_lowercase", "yes.", True),
        ("change_case:english_capital", "S\u00cd.", False),  # a letter English does not write
        ("change_case:english_capital", "OUI, C EST VRAI.", False),  # French alone is likely
        ("change_case:english_capital", "LA PLUIE TOMBE DOUCEMENT SUR LA VILLE ET LES ENFANTS JOUENT.", False),
    ],
)
def test_a_short_answer_is_english_unless_it_cannot_be(iid: str, text: str, want: bool) -> None:
    """ifeval 18: langdetect names short texts' language at random, and right short answers ("YES.") failed."""
    assert _check({"instruction_id_list": [iid], "kwargs": [{}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('```JSON\n{"a": 1}\n```', True),
        ('```Json\n{"a": 1}\n```', True),
        ('```json {"a": 1} ```', True),
        ('```json {"a": 1}```', True),
        ('```json\n{"a": 1}\n```', True),
        ("```\n[1, 2]\n```", True),
        ('```python\n{"a": 1}\n```', False),
        ('Here it is:\n```json\n{"a": 1}\n```', False),
        ('```json\n{"a": 1}\n```\nThat is all.', False),
    ],
)
def test_json_format_reads_the_fences_the_ifeval_id_reads(text: str, want: bool) -> None:
    """thinkmill's `json_format` read a fence only as a lower-case ```json line of its own: an upper-case ```JSON
    fence and a one-line ```json {"a": 1} ``` failed it, while `detectable_format:json_format` passed them."""
    assert follows("detectable_format:json_format", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "json_format"}]}, text).passed is want


_WORDS_50 = {"type": "length_constraints:number_words", "num_words": 50, "relation": "at least"}


@pytest.mark.parametrize(
    ("constraint", "answer", "why"),
    [
        (_WORDS_50, "word " * 48, "48 words, asked at least 50"),
        ({"type": "min_words", "value": 50}, "word " * 48, "48 words, asked at least 50"),
        (
            {"type": "length_constraints:number_sentences", "num_sentences": 3, "relation": "less than"},
            "One. Two. Three. Four.",
            "4 sentences, asked less than 3",
        ),
        (
            {"type": "length_constraints:number_paragraphs", "num_paragraphs": 3},
            "First part.\n***\nSecond part.",
            "2 paragraphs (split by ***), asked 3",
        ),
        (
            {"type": "detectable_format:number_bullet_lists", "num_bullets": 3},
            "* one\n* two",
            "2 bullet points, asked 3",
        ),
        (
            {"type": "detectable_content:number_placeholders", "num_placeholders": 2},
            "Dear [name], thanks.",
            "1 [placeholders], asked at least 2",
        ),
        (
            {"type": "detectable_format:multiple_sections", "section_spliter": "Section", "num_sections": 3},
            "Section 1\nIntro\nSection 2\nBody",
            "2 sections marked 'Section <n>' at a line's start, asked at least 3",
        ),
        (
            {"type": "keywords:frequency", "keyword": "rain", "frequency": 3, "relation": "at least"},
            "Rain fell. The rain stopped.",
            "'rain' 2 times, asked at least 3",
        ),
        (
            {"type": "keywords:letter_frequency", "letter": "z", "let_frequency": 2, "let_relation": "at least"},
            "A lazy day.",
            "letter 'z' 1 times, asked at least 2",
        ),
        (
            {"type": "change_case:capital_word_frequency", "capital_frequency": 2, "capital_relation": "at least"},
            "The NASA team.",
            "1 all-capital words, asked at least 2",
        ),
        (
            {"type": "change_case:english_capital"},
            "HELLO WORLD, it is ME.",
            "lower-case letter 'i' in 'it'",
        ),
        (
            {"type": "change_case:english_capital"},
            "LA PLUIE TOMBE DOUCEMENT SUR LA VILLE ET LES ENFANTS JOUENT DANS LE PARC.",
            "language detected as fr, asked en",
        ),
        ({"type": "change_case:english_lowercase"}, "all good until Paris.", "upper-case letter 'P' in 'Paris.'"),
        ({"type": "lowercase"}, "all good until Paris.", "upper-case letter 'P' in 'Paris.'"),
        (
            {"type": "language:response_language", "language": "de"},
            "The weather today is lovely and the sun is shining over the hills.",
            "language detected as en, asked de",
        ),
        ({"type": "punctuation:no_comma"}, "Short and sweet, as asked.", "comma ',' in 'Short and sweet, as asked.'"),
        ({"type": "no_commas"}, "这是答案，谢谢", "comma '，' in '这是答案，谢谢'"),
        (
            {"type": "keywords:existence", "keywords": ["river", "bridge", "town"]},
            "The river runs through town.",
            "missing keyword 'bridge'",
        ),
        (
            {"type": "include_keywords", "keywords": ["river", "bridge", "tower"]},
            "The river.",
            "missing keywords 'bridge', 'tower'",
        ),
        (
            {"type": "keywords:forbidden_words", "forbidden_words": ["rain", "cloud"]},
            "A sunny day with one small cloud.",
            "forbidden word 'cloud' in '...day with one small cloud.'",
        ),
        (
            {"type": "detectable_content:postscript", "postscript_marker": "P.S."},
            "Thanks for reading.",
            "no postscript starting with 'P.S.' and text after it",
        ),
        (
            {"type": "startend:end_checker", "end_phrase": "Any other questions?"},
            "That is all. Any more questions?",
            "does not end with 'any other questions?': ends '...at is all. any more questions?'",
        ),
        (
            {"type": "detectable_format:json_format"},
            '{"a": 1,}',
            "not JSON: Expecting property name enclosed in double quotes at line 1 column 9",
        ),
        (
            {"type": "detectable_format:constrained_response"},
            "My answer is yes. My answer is no.",
            "gives 2 of 'My answer is yes.', 'My answer is no.', 'My answer is maybe.', asked one: "
            "'My answer is yes.', 'My answer is no.'",
        ),
        (
            {
                "type": "length_constraints:nth_paragraph_first_word",
                "num_paragraphs": 2,
                "nth_paragraph": 2,
                "first_word": "summary",
            },
            "Intro text.\n\nIn short, it works.",
            "paragraph 2 starts with 'in', asked 'summary'",
        ),
        (
            {"type": "keyword_frequency", "keyword": "rain", "min": 1, "max": 2},
            "rain rain rain",
            "'rain' 3 times, asked at least 1 and at most 2",
        ),
        ({"type": "max_chars", "value": 10}, "far too long an answer", "22 characters, asked at most 10"),
    ],
)
def test_a_failed_verdict_says_why(constraint: dict, answer: str, why: str) -> None:
    """A failed ifeval verdict named only the instruction (`ifeval:change_case:english_capital`, details null): a user
    could not tell a Vietnamese detection from a lower-case letter, or 48 words from 5. Its details say why."""
    got = _check({"constraints": [constraint]}, answer)
    assert (got.passed, got.detail) == (False, constraint["type"])
    assert got.details == {"instruction": constraint["type"], "why": why}


def test_every_failed_instruction_is_in_the_details_and_a_pass_has_none() -> None:
    args = {"constraints": [{"type": "punctuation:no_comma"}, _WORDS_50, {"type": "detectable_format:title"}]}
    got = _check(args, "Yes, indeed.")
    assert got.detail == "punctuation:no_comma"
    assert got.details == {
        "instruction": "punctuation:no_comma",
        "why": "comma ',' in 'Yes, indeed.'",
        "failed": [
            {"instruction": "punctuation:no_comma", "why": "comma ',' in 'Yes, indeed.'"},
            {"instruction": "length_constraints:number_words", "why": "2 words, asked at least 50"},
            {"instruction": "detectable_format:title", "why": "no <<title>>"},
        ],
    }
    assert _check({"constraints": [{"type": "detectable_format:title"}]}, "<<T>> text").details is None
    assert _check({"constraints": [_WORDS_50]}, "  ").details == {
        "instruction": "length_constraints:number_words",
        "why": "the answer is empty",
    }


@pytest.mark.parametrize(("iid", "text", "kw", "want"), [e for e in IFEVAL_EXAMPLES if not e[3]])
def test_every_published_failing_example_says_why(iid: str, text: str, kw: dict, want: bool) -> None:
    """Each instruction's why runs on IFEval's own failing examples (no error, a short text)."""
    got = _check({"constraints": [{"type": iid, **kw}]}, text)
    if not got.passed:
        assert got.details["instruction"] == iid
        assert 0 < len(got.details["why"]) < 200, got.details


_MARKET = "我今天早上读了一本书，然后去了市场。"


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        ({"type": "forbid_keywords", "keywords": ["市场"]}, _MARKET, False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["书"]}, _MARKET, False),
        ({"type": "include_keywords", "keywords": ["市场"]}, _MARKET, True),
        ({"type": "keywords:existence", "keywords": ["市场"]}, _MARKET, True),
        ({"type": "keywords:frequency", "keyword": "市场", "frequency": 1, "relation": "at least"}, _MARKET, True),
        ({"type": "keywords:frequency", "keyword": "市场", "frequency": 1, "relation": "less than"}, _MARKET, False),
        ({"type": "keyword_frequency", "keyword": "市场", "min": 2}, _MARKET + "市场很大。", True),
        ({"type": "include_keywords", "keywords": ["都市"]}, "東京はとても大きい都市です。", True),
        ({"type": "include_keywords", "keywords": ["ตลาด"]}, "ผมไปตลาดเมื่อวานนี้", True),  # Thai: no spaces either
        ({"type": "include_keywords", "keywords": ["Python"]}, "我喜欢用Python编程。", True),  # a script's edge
        ({"type": "keywords:forbidden_words", "forbidden_words": ["python"]}, "我喜欢用Python编程。", False),
        # a keyword of a script written with spaces keeps its word edges
        ({"type": "include_keywords", "keywords": ["Python"]}, "我喜欢用Pythonic的写法。", False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["art"]}, "Let us start.", True),
        # Korean is written with spaces, but a particle is written onto its word: "서울은" uses 서울
        ({"type": "forbid_keywords", "keywords": ["서울"]}, "서울은 한국의 수도입니다.", False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["서울"]}, "서울은 한국의 수도입니다.", False),
        ({"type": "include_keywords", "keywords": ["서울"]}, "저는 서울에서 태어났습니다.", True),
        ({"type": "keyword_frequency", "keyword": "서울", "min": 2}, "서울은 크다. 서울에서 살아요.", True),
        (
            {"type": "keywords:frequency", "keyword": "서울", "frequency": 2, "relation": "at least"},
            "서울은 크다. 서울에서 살아요.",
            True,
        ),
        ({"type": "forbid_keywords", "keywords": ["서울"]}, "남서울 지역은 조용합니다.", True),  # not after Hangul
        ({"type": "forbid_keywords", "keywords": ["서울"]}, "Seoul은 크다.", True),
        ({"type": "contains_one_of", "options": ["예", "아니요"]}, "예를 들어 보면, 답은 아니요.", True),  # as written
        ({"type": "include_keywords", "keywords": ["市场"]}, "我今天早上读了一本书。", False),
    ],
)
def test_keywords_in_text_written_without_spaces_match_inside_it(constraint: dict, text: str, want: bool) -> None:
    """Chinese, Japanese and Thai have no spaces between words, so a keyword at word edges was never found in them: a
    forbidden "市场" passed an answer that used it, and an answer with an asked keyword failed ("0 times"). A keyword
    side written in such a script is matched anywhere (as IFEval's own search does); a side of a script written with
    spaces keeps its word edge, which a script change is too ("用Python编程")."""
    assert _check({"constraints": [constraint]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("मैंने आज सुबह किताब पढ़ी और फिर बाज़ार गया।", 9),  # Devanagari vowel signs and nukta are part of words
        ("আমি আজ সকালে একটি বই পড়েছি।", 6),  # Bengali
        ("நான் இன்று புத்தகம் படித்தேன்.", 4),  # Tamil
        ("Ελληνικά κείμενα", 2),
        ("ผมไปตลาด เมื่อวานนี้", 2),  # Thai: runs of letters with their marks, as before for other scripts
    ],
)
def test_marks_are_part_of_words(text: str, n: int) -> None:
    """`\\w` stops at a combining mark (a vowel sign): a 9-word Hindi sentence counted 16, so "at least 15 words"
    passed a short answer and "less than 10 words" failed a right one."""
    for want, relation in ((n, "at least"), (n + 1, "less than")):
        assert follows("length_constraints:number_words", text, {"num_words": want, "relation": relation}, "strict")
    assert not follows("length_constraints:number_words", text, {"num_words": n + 1, "relation": "at least"}, "strict")
    assert _check({"constraints": [{"type": "max_words", "value": n}, {"type": "min_words", "value": n}]}, text).passed


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("मैंने किताब पढ़ी। फिर बाज़ार गया। वहाँ फल खरीदे।", 3),  # the danda
        ("धर्मक्षेत्रे कुरुक्षेत्रे समवेता युयुत्सवः॥ मामकाः पाण्डवाश्चैव किमकुर्वत सञ्जय॥", 2),  # the double danda
        ("আমি বই পড়েছি। তুমি কী করেছ?", 2),  # Bengali writes the danda too
        ("هل أنت بخير؟ نعم أنا بخير. شكرا!", 3),  # the Arabic question mark
        ("یہ کتاب ہے۔ وہ قلم ہے۔", 2),  # the Urdu full stop
    ],
)
def test_danda_and_arabic_marks_end_sentences(text: str, n: int) -> None:
    """The danda (`।`, `॥`), the Arabic question mark `؟` and the Urdu full stop `۔` ended no sentence: a 3-sentence
    Hindi answer passed "at most 1 sentence"."""
    assert follows("length_constraints:number_sentences", text, {"num_sentences": n, "relation": "at least"}, "strict")
    assert not follows(
        "length_constraints:number_sentences", text, {"num_sentences": n, "relation": "less than"}, "strict"
    )
    assert _check(
        {"constraints": [{"type": "max_sentences", "value": n}, {"type": "min_sentences", "value": n}]}, text
    ).passed


def test_a_keywords_pattern_is_compiled_once_and_matches_as_before() -> None:
    """Its word-edge classes took ~10 ms to compile on every check once a dataset's keywords had cycled through
    Python's cache of 512 patterns; each keyword is compiled once now, with the same matches."""
    import re

    from pipeline.verify.verifiers import ifeval, ifeval_google

    assert ifeval._word_rx("sun") is ifeval._word_rx("sun")
    assert ifeval_google._as_word_rx("sun", False) is ifeval_google._as_word_rx("sun", False)
    text = "The Sun rose. Sunshine, sun-dried, 서울은 and sun."
    for kw in ("sun", "서울", "sun-dried"):
        want = re.findall(ifeval._word_pattern(kw), text, re.IGNORECASE)
        assert ifeval._word_rx(kw).findall(text) == want and want
        want = re.findall(ifeval_google._as_word(kw), text, re.IGNORECASE)
        assert ifeval_google._as_word_rx(kw).findall(text) == want
