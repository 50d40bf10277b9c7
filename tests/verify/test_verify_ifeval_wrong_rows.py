"""ifeval 15 and 16: answers that broke an instruction and passed (wrong training rows), and right answers that failed,
found by probing the verifier with the responses Hermes writes to IFEval-layout tasks."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.ifeval_google import follows


def _check(args: dict, answer: str, prompt: str = "Write something.") -> object:
    cfg = VerifyConfig()
    return Registry(cfg).get("ifeval").check(answer, TaskSpec("t", "ifeval", None, args, prompt), cfg)


def _nth(n: int, nth: int, word: str) -> dict:
    return {"num_paragraphs": n, "nth_paragraph": nth, "first_word": word}


@pytest.mark.parametrize(
    ("text", "kw", "want"),
    [
        # two blank lines between paragraphs 1 and 2: IFEval's split left an empty piece, so its "paragraph 3" was
        # the answer's second one
        ("Intro.\n\n\n\nFinally two.\n\nEnd.", _nth(3, 3, "finally"), False),
        ("Intro.\n\n\n\nMiddle.\n\nFinally end.", _nth(3, 3, "finally"), True),
        ("Intro.\n\n\n\nFinally two.\n\nEnd.", _nth(3, 2, "finally"), True),
        # a blank line holding spaces divides paragraphs as markdown reads it
        ("Intro.\n \nFinally end.", _nth(2, 2, "finally"), True),
        ("Intro.\n\t\nFinally end.", _nth(1, 1, "intro"), False),
        ("Intro.\n\nSummary of it.\n\nEnd.", _nth(3, 2, "summary"), True),
    ],
)
def test_nth_paragraph_is_the_nth_paragraph_the_answer_shows(text: str, kw: dict, want: bool) -> None:
    assert follows("length_constraints:nth_paragraph_first_word", text, kw, "strict") is want
    args = {"constraints": [{"type": "length_constraints:nth_paragraph_first_word", **kw}]}
    assert _check(args, text).passed is want


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # a keyword of several words, the answer breaking its line or spacing it otherwise between them
        (
            {"type": "keywords:forbidden_words", "forbidden_words": ["social media"]},
            "We use social\nmedia daily.",
            False,
        ),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["social media"]}, "We use social  media.", False),
        ({"type": "forbid_keywords", "keywords": ["social media"]}, "We use social\u00a0media daily.", False),
        ({"type": "forbid_keywords", "keywords": ["climate change"]}, "all about climate\nchange", False),
        ({"type": "keywords:existence", "keywords": ["climate change"]}, "all about climate\nchange", True),
        ({"type": "include_keywords", "keywords": ["climate change"]}, "all about climate\nchange", True),
        ({"type": "keyword_frequency", "keyword": "social media", "min": 2}, "social media and social\nmedia", True),
        (
            {"type": "keywords:frequency", "keyword": "social media", "frequency": 2, "relation": "less than"},
            "social media and social\nmedia",
            False,
        ),
        # a typographic apostrophe for the keyword's straight one, and the other way round
        ({"type": "keywords:forbidden_words", "forbidden_words": ["don't"]}, "I don’t know.", False),
        ({"type": "forbid_keywords", "keywords": ["can't"]}, "I can’t.", False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["don’t"]}, "I don't know.", False),
        ({"type": "keywords:existence", "keywords": ["it's"]}, "Well, it’s fine.", True),
        (
            {"type": "keywords:frequency", "keyword": "I'm", "frequency": 2, "relation": "at least"},
            "I’m here. I'm in.",
            True,
        ),
        # still whole words, still as written
        ({"type": "keywords:forbidden_words", "forbidden_words": ["social media"]}, "social mediation", True),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["social media"]}, "social, media", True),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["don't"]}, "dont", True),
    ],
)
def test_a_keyword_is_found_however_the_answer_spaces_or_writes_its_apostrophe(
    constraint: dict, text: str, want: bool
) -> None:
    """A forbidden "social media" split by a line break or written "don’t" (the apostrophe Hermes writes in prose)
    was not found: such answers passed the instruction that forbade the word (wrong training rows), and an answer
    with an asked keyword so written failed."""
    assert _check({"constraints": [constraint]}, text).passed is want


@pytest.mark.parametrize(
    ("language", "text", "want"),
    [
        # langdetect reads many Chinese answers as Korean (its Korean profile holds Hanja): no Hangul, no Korean
        ("zh", "人工智能正在改变我们的工作方式。", True),
        ("zh", "請問您需要什麼幫助？我們很樂意為您服務。", True),
        ("zh", "量子计算利用量子力学原理进行信息处理。", True),
        ("ko", "人工智能正在改变我们的工作方式。", False),
        ("ko", "請問您需要什麼幫助？我們很樂意為您服務。", False),
        ("ko", "인공지능은 우리가 일하는 방식을 바꾸고 있습니다.", True),
        ("ko", "人工知能은 우리가 일하는 方式을 바꾸고 있습니다.", True),  # Hanja in Korean text stays Korean
        ("ja", "日本の首都は東京です。", True),
        ("ja", "人工智能正在改变我们的工作方式。", False),
        ("en", "The sea is wide and blue and it goes on forever.", True),
    ],
)
def test_a_text_without_hangul_is_no_korean(language: str, text: str, want: bool) -> None:
    """langdetect called 15% of short Chinese texts Korean ("請問您需要什麼幫助？..." with 0.99999): a Chinese answer
    passed "respond in Korean" (a wrong row) and failed "respond in Chinese"."""
    kw = {"language": language}
    assert follows("language:response_language", text, kw, "strict") is want
    args = {"instruction_id_list": ["language:response_language"], "kwargs": [kw]}
    assert _check(args, text).passed is want


@pytest.mark.parametrize(
    ("text", "marker", "want"),
    [
        # the marker mentioned in a sentence is no postscript
        ("I will add a P.S. at the end of this letter tomorrow.", "P.S.", False),
        ("Dear John, see you soon. (Sorry, no P.S. this time.)", "P.S.", False),
        ("Dear team, the P.P.S at the bottom has the dates.", "P.P.S", False),
        ("Please note that the store closes early.", "Note", False),
        # a postscript starts a line (after markdown) or a sentence
        ("Dear John,\nsee you soon.\n\nP.S. Bring snacks.", "P.S.", True),
        ("Hi there. See you soon. P.S. Bring snacks.", "P.S.", True),
        ("See you soon!\n\n**P.S.** Bring snacks.", "P.S.", True),
        ("See you soon.\n\n> *P.S. Bring snacks.*", "P.S.", True),
        ("See you soon.\n(P.S. Bring snacks.)", "P.S.", True),
        ('She said "see you soon." P.S. Bring snacks.', "P.S.", True),
        ("Hi.\n\nP.S. one\n\nP.P.S. two", "P.P.S", True),
        ("Hi.\n\nNote: bring snacks", "Note", True),
    ],
)
def test_a_postscript_starts_a_line_or_a_sentence(text: str, marker: str, want: bool) -> None:
    """IFEval finds the marker anywhere, so an answer that only mentions "a P.S." in a sentence passed "at the end of
    your response, add a postscript starting with P.S." with no postscript in it."""
    kw = {"postscript_marker": marker}
    assert follows("detectable_content:postscript", text, kw, "strict") is want
    assert _check({"instruction_id_list": ["detectable_content:postscript"], "kwargs": [kw]}, text).passed is want


_HL = "detectable_format:number_highlighted_sections"
_BL = "detectable_format:number_bullet_lists"


@pytest.mark.parametrize(
    ("iid", "text", "kw", "want"),
    [
        # code is no markdown: its `*` are multiplication and its `-` lines no list
        (_HL, "Here:\n```python\nx = a*b*c + d*e*f\n```", {"num_highlights": 2}, False),
        (_HL, "Use `*args*` and `**kwargs**` in Python.", {"num_highlights": 2}, False),
        (_HL, "This is *very* and **truly** key.\n```python\ny = a*b\n```", {"num_highlights": 2}, True),
        (_HL, "Pass *the `x` flag* and **`--force`**.", {"num_highlights": 2}, True),  # code inside emphasis
        (_HL, "~~~\nx = a*b*c + d*e*f\n~~~\nThis is *very* important.", {"num_highlights": 2}, False),
        (_BL, "* one\n```yaml\n- a\n- b\n```", {"num_bullets": 3}, False),
        (_BL, "* one\n* two\n* three\n```yaml\n- a\n- b\n```", {"num_bullets": 3}, True),
        (_BL, "- one\n- two\n```sql\n-- the total\nSELECT 1;\n```", {"num_bullets": 2}, True),
        (_BL, "- one\n- two\n    ```\n    - not a bullet\n    ```", {"num_bullets": 2}, True),
        (_BL, "- one\n- two\n- three", {"num_bullets": 3}, True),
    ],
)
def test_code_holds_no_highlight_and_no_bullet(iid: str, text: str, kw: dict, want: bool) -> None:
    """IFEval reads code as prose: "x = a*b*c + d*e*f" in a fence made two highlights, so a code answer with none
    passed "highlight at least 2 sections", and a YAML list in a fence counted as bullets."""
    assert follows(iid, text, kw, "strict") is want
    assert _check({"instruction_id_list": [iid], "kwargs": [kw]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1. one\n```yaml\n- a\n- b\n```", False),
        ("1. one\n2. two\n3. three\n```yaml\n- a\n```", True),
    ],
)
def test_thinkmill_bullet_points_count_no_code_line(text: str, want: bool) -> None:
    assert _check({"constraints": [{"type": "bullet_points", "count": 3}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "comma"),
    [
        ("Բարեւ՝ ընկեր", "՝"),  # Armenian
        ("ሰላም፣ ወዳጄ", "፣"),  # Ethiopic (Amharic)
        ("ᠰᠠᠶᠢᠨ᠂ ᠨᠠᠢᠵᠠ", "᠂"),  # Mongolian
        ("りんご︐みかん", "︐"),  # the vertical presentation forms
        ("りんご︑みかん", "︑"),
        ("سلام⹁ دوست", "⹁"),  # the reversed comma
    ],
)
def test_the_commas_of_more_scripts_are_commas(text: str, comma: str) -> None:
    """Armenian, Amharic and Mongolian answers written with their commas passed "do not use any commas"."""
    assert not follows("punctuation:no_comma", text, {}, "strict")
    assert not _check({"constraints": [{"type": "no_commas"}]}, text).passed
    assert follows("punctuation:no_comma", text.replace(comma, ""), {}, "strict")


@pytest.mark.parametrize(
    ("text", "phrase", "want"),
    [
        ("“The sea is blue. Any other questions?”", "Any other questions?", True),
        ('"The sea is blue. Any other questions?"', "Any other questions?", True),
        ('So I told him: Say "bye"', 'Say "bye"', True),  # a phrase that ends with a quote keeps it
        ("“The sea is blue. Any other questions?” Thanks!", "Any other questions?", False),
        ("“The sea is blue.”", "Any other questions?", False),
    ],
)
def test_the_end_phrase_is_read_inside_typographic_quotes(text: str, phrase: str, want: bool) -> None:
    """IFEval strips the answer's straight quotes only: an answer wrapped in “...” failed, and a phrase ending with a
    quote never matched (its quote was stripped from the answer)."""
    kw = {"end_phrase": phrase}
    assert follows("startend:end_checker", text, kw, "strict") is want
    assert _check({"instruction_id_list": ["startend:end_checker"], "kwargs": [kw]}, text).passed is want


def test_a_whole_number_written_as_a_float_is_that_number() -> None:
    """IFEval's Hub rows hold every parameter of every instruction, null where unused; a table library that reads
    such a column (pandas) writes its numbers `300.0`, and every such task was quarantined `bad_args`."""
    row = {
        "instruction_id_list": ["length_constraints:number_words", "detectable_format:number_highlighted_sections"],
        "kwargs": [
            {"num_words": 3.0, "relation": "at least", "num_highlights": None},
            {"num_words": None, "relation": None, "num_highlights": 1.0},
        ],
    }
    assert _check(row, "one *two* three").passed
    assert _check(row, "one *two*").detail == "length_constraints:number_words"
    from pipeline.verify.errors import VerifierArgsError

    nth = {"instruction_id_list": ["length_constraints:nth_paragraph_first_word"]}
    kw = {"num_paragraphs": 2.0, "nth_paragraph": 2.0, "first_word": "then", "num_words": None}
    assert _check({**nth, "kwargs": [kw]}, "First.\n\nThen more.").passed
    failed = _check({**nth, "kwargs": [kw]}, "First.\n\nNow more.")  # and says why
    assert failed.details == {
        "instruction": "length_constraints:nth_paragraph_first_word",
        "why": "paragraph 2 starts with 'now', asked 'then'",
    }
    with pytest.raises(VerifierArgsError, match=r"num_words must be an integer, got 3\.5"):
        _check({**row, "kwargs": [{"num_words": 3.5, "relation": "at least"}, {"num_highlights": 1}]}, "a b c d")


_ES = (
    "La inteligencia artificial está transformando la manera en que trabajamos, aprendemos y nos comunicamos. Cada "
    "día surgen nuevas herramientas que automatizan tareas repetitivas y permiten a las personas concentrarse en "
    "actividades más creativas."
)
_EN_NOTE = (
    "Note: This answer was written in Spanish as requested, but here is a short English summary. Artificial "
    "intelligence is changing how we work, learn and communicate."
)
_EN_CLOSE = "I hope this helps! Let me know if you have any other questions about artificial intelligence."
_HI = (
    "कृत्रिम बुद्धिमत्ता हमारे काम करने के तरीके को बदल रही है। "
    "यह हर दिन नए उपकरण बनाती है जो दोहराए जाने वाले काम को स्वचालित करते हैं।"
)


@pytest.mark.parametrize(
    ("language", "text", "want"),
    [
        # a paragraph in English in an answer asked in another language: the whole text is still detected as that
        # language, and the answer passed "your ENTIRE response should be in Spanish, no other language is allowed"
        ("es", f"{_ES}\n\n{_EN_NOTE}", False),
        ("es", f"{_ES}\n\n{_EN_CLOSE}", False),
        ("hi", f"{_HI}\n\n{_EN_CLOSE}", False),
        # loanwords, names, titles and code are no English paragraph
        ("es", f"{_ES}\n\n¡Espero que esto te ayude!", True),
        ("es", f"{_ES}\n\nPython es un lenguaje ideal para machine learning y deep learning con frameworks.", True),
        ("es", f"{_ES}\n\n```python\n# print a greeting to the user of this program\nprint('hello there')\n```", True),
        ("es", f'{_ES}\n\nMi canción favorita es "Bohemian Rhapsody" de Queen, y también "Hotel California".', True),
        ("es", f"{_ES}\n\nThanks!", True),  # too short to tell
        ("es", f"{_ES}\n\n- Netflix\n- Amazon Prime Video\n- Disney Plus\n- HBO Max\n- Apple TV Plus\n- YouTube", True),
        ("en", f"{_EN_NOTE}\n\n{_EN_CLOSE}", True),
    ],
)
def test_a_paragraph_in_english_breaks_another_language(language: str, text: str, want: bool) -> None:
    kw = {"language": language}
    assert follows("language:response_language", text, kw, "strict") is want
    assert _check({"instruction_id_list": ["language:response_language"], "kwargs": [kw]}, text).passed is want


def test_an_english_paragraph_is_named_in_the_details() -> None:
    kw = {"language": "es"}
    failed = _check({"instruction_id_list": ["language:response_language"], "kwargs": [kw]}, f"{_ES}\n\n{_EN_CLOSE}")
    assert failed.details == {
        "instruction": "language:response_language",
        "why": "a paragraph in English, asked es: 'I hope this helps! Let me know if you have any other questio...'",
    }


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # the request repeated word for word, its line break written as a space (or the other way round)
        (
            {"type": "combination:repeat_prompt", "prompt_to_repeat": "Write a story about a cat.\nMake it short."},
            "Write a story about a cat. Make it short.\n\nOnce upon a time a cat slept.",
            True,
        ),
        (
            {"type": "combination:repeat_prompt", "prompt_to_repeat": "Write a story about a cat.  Make it short."},
            "Write a story about a cat. Make it short.\n\nOnce upon a time.",
            True,
        ),
        (
            {"type": "startend:end_checker", "end_phrase": "Is there anything else I can help with?"},
            "Done.\n\nIs there anything else\nI can help with?",
            True,
        ),
        # a typeset apostrophe or quote for the phrase's typed one
        ({"type": "startend:end_checker", "end_phrase": "Let's talk soon."}, "Done. Let’s talk soon.", True),
        ({"type": "start_with", "phrase": "I'm happy"}, "I’m happy to help. Here it is.", True),
        ({"type": "end_with", "phrase": 'Say "bye"'}, "Then: Say “bye”", True),
        # still the phrase, at a word's edge, with an answer
        (
            {"type": "combination:repeat_prompt", "prompt_to_repeat": "Write a story about a cat.\nMake it short."},
            "Write a story about a cat.",
            False,
        ),
        ({"type": "startend:end_checker", "end_phrase": "Let's talk soon."}, "Let’s talk soon.", False),
        ({"type": "start_with", "phrase": "I'm happy"}, "I’m happyish to help.", False),
        ({"type": "startend:end_checker", "end_phrase": "Let's talk soon."}, "Done. Lets talk soon.", False),
    ],
)
def test_a_phrase_is_read_through_spacing_and_typeset_quotes(constraint: dict, text: str, want: bool) -> None:
    """A request repeated with its line break as a space, or an end phrase written with `’`, failed: right answers
    lost."""
    assert _check({"constraints": [constraint]}, text).passed is want


# ifeval 16: markdown read in code, and an end phrase followed by stray emphasis markers


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # a shift in code is no <<title>>: "(x<<4)>>2" held the title "4)"
        ({"type": "detectable_format:title"}, "Shift it:\n```c\nint y = (x<<4)>>2;\n```", False),
        ({"type": "detectable_format:title"}, "Use `a<<b>>c` to do it.", False),
        ({"type": "title"}, "```cpp\ncout<<x>>y;\n```", False),
        ({"type": "title"}, "<<Bit Tricks>>\n\n```c\nint y = (x<<4)>>2;\n```", True),
        ({"type": "detectable_format:title"}, "## <<Bit Tricks>>\nShift with `<<`.", True),
        # a P.S. in code is the code's text, not the answer's postscript
        (
            {"type": "detectable_content:postscript", "postscript_marker": "P.S."},
            "Here is the code:\n```python\n# P.S. this also runs on Windows\nprint(1)\n```",
            False,
        ),
        # a letter put in a fence with no language, or a prose one, is the answer's text
        (
            {"type": "detectable_content:postscript", "postscript_marker": "P.S."},
            "Here is the letter:\n```text\nDear Ann,\nSee you.\nP.S. Bring snacks.\n```",
            True,
        ),
        ({"type": "detectable_format:title"}, "```\n<<Ode to Rain>>\nDrops fall.\n```", True),
        ({"type": "detectable_format:title"}, "```markdown\n# <<Ode to Rain>>\nDrops fall.\n```", True),
        (
            {"type": "detectable_content:postscript", "postscript_marker": "P.S."},
            "Here is the code:\n```python\nprint(1)\n```\n\nP.S. Run it twice.",
            True,
        ),
        # "# Section 1" comments in a code block are no sections of the answer
        (
            {"type": "detectable_format:multiple_sections", "section_spliter": "Section", "num_sections": 2},
            "Here it is:\n```python\n# Section 1\nx = 1\n# Section 2\ny = 2\n```",
            False,
        ),
        (
            {"type": "detectable_format:multiple_sections", "section_spliter": "Section", "num_sections": 2},
            "Section 1\nIntro.\n```\nx = 1\n```\nSection 2\nMore.",
            True,
        ),
    ],
)
def test_code_holds_no_title_postscript_or_section(constraint: dict, text: str, want: bool) -> None:
    assert _check({"constraints": [constraint]}, text).passed is want


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # a closing `**` or `__` that closes no emphasis is text after the phrase
        ({"type": "startend:end_checker", "end_phrase": "Any other questions?"}, "Text. Any other questions?**", False),
        ({"type": "startend:end_checker", "end_phrase": "Any other questions?"}, "Text. Any other questions?__", False),
        ({"type": "end_with", "phrase": "Any other questions?"}, "Text. Any other questions?*", False),
        (
            {"type": "startend:end_checker", "end_phrase": "Any other questions?"},
            "Text **bold**. Any other questions?**",
            False,
        ),
        # emphasis around the phrase, or around the last sentence holding it, is still read through
        (
            {"type": "startend:end_checker", "end_phrase": "Any other questions?"},
            "Text. **Any other questions?**",
            True,
        ),
        (
            {"type": "startend:end_checker", "end_phrase": "Any other questions?"},
            "Text **bold**. **Thanks. Any other questions?**",
            True,
        ),
        ({"type": "end_with", "phrase": "Any other questions?"}, "Text.\n\n_Any other questions?_", True),
    ],
)
def test_an_end_phrase_followed_by_unclosed_emphasis_is_not_the_end(constraint: dict, text: str, want: bool) -> None:
    assert _check({"constraints": [constraint]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the `*` of LaTeX maths is no emphasis: an optimum x^* and a dual y^* made a highlight
        ("The optimum is $x^*$ and the dual is $y^*$.", False),
        (r"The optimum is \(x^*\) and the dual is \(y^*\).", False),
        ("We get $a*b*c$ here.", False),
        ("$$x^* = y^*$$ and $$u^* = v^*$$", False),
        # a dollar amount is no maths: the emphasis between two prices is read
        ("Costs $5 and *this* is $10.", True),
        ("The optimum $x^*$ is *unique*.", True),
    ],
)
def test_maths_holds_no_highlight(text: str, want: bool) -> None:
    kw = {"num_highlights": 1}
    assert follows("detectable_format:number_highlighted_sections", text, kw, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the same response twice, spaced, cased or emphasised otherwise: not two different responses
        ("Hello there.\n******\nHello  there.", False),
        ("Hello there.\n******\nhello there.", False),
        ("Hello there.\n******\n**Hello there.**", False),
        ("Roses are red,\nviolets are blue.\n******\nRoses are red, violets are blue.", False),
        ("Hello there.\n******\nHello over there.", True),
    ],
)
def test_two_responses_differ_by_more_than_spacing_case_or_emphasis(text: str, want: bool) -> None:
    assert follows("combination:two_responses", text, {}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # typographic double quotes around the answer are double quotes
        ("“Hello there, friend.”", True),
        ("“He said “hi” to me.”", True),
        ("“Hello” and “bye”", False),
        ("“Hello there.", False),
        ("'Hello there.'", False),
    ],
)
def test_an_answer_in_typographic_double_quotes_is_wrapped_in_double_quotes(text: str, want: bool) -> None:
    assert follows("startend:quotation", text, {}, "strict") is want
    assert _check({"constraints": [{"type": "quotation"}]}, text).passed is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a negative number, a long option, an arrow or a signature's dashes start no bullet
        ("- Wear a coat.\n-5 degrees is cold.", False),
        ("- Run it.\n--verbose prints more.", False),
        ("- First step.\n-> then the second.", False),
        ("Dear Ann,\n- Bring snacks.\n-- Ben", False),
        # IFEval's own example: a `-` without a space before a word starts one
        ("- Wear a coat.\n-Take an umbrella.", True),
    ],
)
def test_a_dash_before_a_digit_dash_or_arrow_is_no_bullet(text: str, want: bool) -> None:
    assert follows("detectable_format:number_bullet_lists", text, {"num_bullets": 2}, "strict") is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # an escaped asterisk is a literal one: "\*a\* and \*b\*" shows no emphasis
        (r"Type \*a\* and \*b\* to match.", False),
        (r"Type \*\*a\*\* and \*\*b\*\*.", False),
        (r"A literal \* and *one* and *two*.", True),
    ],
)
def test_an_escaped_asterisk_highlights_nothing(text: str, want: bool) -> None:
    assert follows("detectable_format:number_highlighted_sections", text, {"num_highlights": 2}, "strict") is want
