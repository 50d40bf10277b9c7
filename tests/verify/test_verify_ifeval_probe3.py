"""ifeval 17: answers that broke an instruction and passed (wrong training rows), and right answers that failed, found
by probing the verifier with short answers in many languages, keywords in decomposed Unicode and the responses Hermes
writes to common IFEval instructions."""

from __future__ import annotations

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.ifeval_google import follows


def _check(args: dict, answer: str, prompt: str = "Write something.") -> object:
    cfg = VerifyConfig()
    return Registry(cfg).get("ifeval").check(answer, TaskSpec("t", "ifeval", None, args, prompt), cfg)


def _lang(language: str, text: str, prompt: str = "Answer the question.") -> bool:
    args = {"constraints": [{"type": "language:response_language", "language": language}]}
    return _check(args, text, prompt).passed


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a word or two of English (or another language), which langdetect read as the language asked
        ("fr", "Of course!"),
        ("fr", "Yes."),
        ("nl", "It depends."),
        ("pt", "No."),
        ("en", "Bis bald."),
        ("de", "Bien sûr !"),
        ("de", "Sim."),
        ("uk", "Да."),
        ("it", "Sì."),
        # a Ukrainian letter in a short answer asked in Russian, a Russian one in one asked in Ukrainian
        ("ru", "Привіт, як справи?"),
        ("uk", "Спасибо, это правильно."),
        # no letter of the script the language is written in
        ("hi", "Yes."),
        ("ru", "Yes, Moscow."),
        ("ja", "Tokyo."),
        ("ko", "Seoul is the capital."),
        ("el", "Athens."),
    ],
)
def test_a_short_answer_in_another_language_fails(language: str, text: str) -> None:
    assert follows("language:response_language", text, {"language": language}) is False
    assert _lang(language, text) is False


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a short sentence whose language langdetect ranks second (af before de, ca before es): it sees too few
        # letters to rank close languages
        ("de", "Die Antwort ist 42."),
        ("es", "La capital es Madrid."),
        ("es", "El azul es mi color favorito."),
        ("pt", "A água ferve a 100 graus."),
        ("fr", "Pas vraiment."),
        ("fr", "Oui, bien sûr, avec plaisir."),
        # the script decides: no other language is written in it
        ("el", "Ναι."),
        ("ko", "네."),
        ("ja", "はい。"),
        ("th", "ใช่"),
        # prose only: code, inline code and a web address are no language
        ("de", "```python\nprint('hello world')\n```\nDieser Code gibt Hallo Welt aus."),
        ("fr", "```python\nprint('hello world')\n```\nCe code affiche bonjour le monde."),
        (
            "fr",
            "Voici le code :\n\n```python\ndef add(a, b):\n    # add two numbers and return the result\n"
            "    return a + b\n```\n\nCette fonction additionne deux nombres.",
        ),
        ("de", "Die Antwort ist `len(items)`."),
        ("es", "Ejecuta `pip install --upgrade requests` y reinicia el servidor."),
    ],
)
def test_a_short_right_answer_passes(language: str, text: str) -> None:
    assert follows("language:response_language", text, {"language": language}) is True
    assert _lang(language, text) is True


@pytest.mark.parametrize(
    ("language", "text", "prompt"),
    [
        # a title or name the prompt gives, in the answer as the prompt writes it
        (
            "de",
            "The Lord of the Rings: The Return of the King ist mein Lieblingsfilm.",
            "Why is The Lord of the Rings: The Return of the King a great film? Answer in German.",
        ),
        (
            "es",
            "Mi película favorita es The Lord of the Rings: The Return of the King, por su música y sus batallas.",
            "Tell me about The Lord of the Rings: The Return of the King. Your ENTIRE response should be in Spanish.",
        ),
        # IFEval's combination: the request repeated word for word, then the answer in the language asked
        (
            "de",
            "Write a short note to a neighbour about a lost cat. Your ENTIRE response should be in German, no other "
            "language is allowed.\n\nLiebe Nachbarn, unsere Katze Mimi ist seit gestern verschwunden. Bitte meldet "
            "euch, wenn ihr sie seht.",
            "Write a short note to a neighbour about a lost cat. Your ENTIRE response should be in German, no other "
            "language is allowed.",
        ),
    ],
)
def test_text_quoted_from_the_prompt_is_no_language(language: str, text: str, prompt: str) -> None:
    assert follows("language:response_language", text, {"language": language}, "strict", prompt) is True
    assert _lang(language, text, prompt) is True
    # the same answer in English still fails
    english = (
        text.replace("ist mein Lieblingsfilm", "is my favourite film")
        .replace("Mi película favorita es", "My favourite film is")
        .replace("por su música y sus batallas", "for its music and its battles")
    )
    english = english.replace(
        "Liebe Nachbarn, unsere Katze Mimi ist seit gestern verschwunden. Bitte meldet euch, wenn ihr sie seht.",
        "Dear neighbours, our cat Mimi has been missing since yesterday. Please let us know if you see her.",
    )
    assert _lang(language, english, prompt) is False


@pytest.mark.parametrize(
    ("language", "text", "why"),
    [
        ("de", "Ja.", "too short to tell its language"),
        ("hi", "Yes.", "no letter of the Devanagari script"),
        ("ru", "Привіт, як справи?", "Ukrainian letter 'і'"),
    ],
)
def test_the_details_say_why_a_language_failed(language: str, text: str, why: str) -> None:
    res = _check({"constraints": [{"type": "language:response_language", "language": language}]}, text)
    assert not res.passed
    assert why in res.details["why"]


# "café" written as an e and a combining acute accent (NFD), as macOS and some tokenizers write it
_CAFE_NFD = "cafe\u0301"


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        ({"type": "keywords:existence", "keywords": ["café"]}, f"We met at the {_CAFE_NFD} downtown.", True),
        ({"type": "keywords:existence", "keywords": [_CAFE_NFD]}, "We met at the café downtown.", True),
        ({"type": "include_keywords", "keywords": ["café"]}, f"We met at the {_CAFE_NFD} downtown.", True),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["café"]}, f"We met at the {_CAFE_NFD}.", False),
        ({"type": "forbid_keywords", "keywords": ["café"]}, f"We met at the {_CAFE_NFD}.", False),
        (
            {"type": "keywords:frequency", "keyword": "café", "frequency": 2, "relation": "at least"},
            f"One café, then another {_CAFE_NFD}.",
            True,
        ),
        ({"type": "keyword_frequency", "keyword": "café", "min": 2}, f"One café, then another {_CAFE_NFD}.", True),
        # the letter é counted once in "café" however it is written, and the e of an NFD é is no e
        (
            {"type": "keywords:letter_frequency", "letter": "é", "let_frequency": 2, "let_relation": "at least"},
            f"Un {_CAFE_NFD} et un thé.",
            True,
        ),
        (
            {"type": "keywords:letter_frequency", "letter": "e", "let_frequency": 2, "let_relation": "less than"},
            f"Un {_CAFE_NFD} et un thé.",
            True,
        ),
        ({"type": "contains_one_of", "options": ["café", "thé"]}, f"Je prends un {_CAFE_NFD}.", True),
        ({"type": "startend:end_checker", "end_phrase": "Au café."}, f"On se voit demain. Au {_CAFE_NFD}.", True),
        ({"type": "end_with", "phrase": "au café."}, f"On se voit demain au {_CAFE_NFD}.", True),
        ({"type": "start_with", "phrase": "Café"}, f"{_CAFE_NFD.capitalize()} au lait, s'il vous plaît.", True),
        # counts: a character and a word however the accent is written
        ({"type": "max_chars", "value": 4}, _CAFE_NFD, True),
        ({"type": "length_constraints:number_words", "num_words": 2, "relation": "less than"}, _CAFE_NFD, True),
    ],
)
def test_a_keyword_in_decomposed_unicode_is_the_keyword(constraint: dict, text: str, want: bool) -> None:
    assert _check({"constraints": [constraint]}, text).passed is want


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # markdown's underscore emphasis, as Hermes writes it: the `_` is no part of the word
        ({"type": "keywords:forbidden_words", "forbidden_words": ["good"]}, "It was _good_.", False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["good"]}, "It was __good__ overall.", False),
        ({"type": "keywords:forbidden_words", "forbidden_words": ["very good"]}, "It was _very good_.", False),
        ({"type": "forbid_keywords", "keywords": ["good"]}, "It was ___good___.", False),
        ({"type": "keywords:existence", "keywords": ["good"]}, "It was _good_.", True),
        ({"type": "include_keywords", "keywords": ["good"]}, "It was __good__.", True),
        (
            {"type": "keywords:frequency", "keyword": "data", "frequency": 2, "relation": "at least"},
            "**data** and _data_",
            True,
        ),
        ({"type": "keyword_frequency", "keyword": "data", "min": 2}, "__Data__ beats _data_.", True),
        ({"type": "contains_one_of", "options": ["yes", "no"]}, "_yes_", True),
        # an identifier's `_` is part of it
        ({"type": "keywords:forbidden_words", "forbidden_words": ["good"]}, "Set my_good_var here.", True),
        ({"type": "forbid_keywords", "keywords": ["good"]}, "Call good_enough() or _private_good.", True),
    ],
)
def test_a_keyword_in_underscore_emphasis_is_the_keyword(constraint: dict, text: str, want: bool) -> None:
    assert _check({"constraints": [constraint]}, text).passed is want


def _nth(n: int, nth: int, word: str) -> dict:
    return {
        "type": "length_constraints:nth_paragraph_first_word",
        "num_paragraphs": n,
        "nth_paragraph": nth,
        "first_word": word,
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the first word ends at a dash or an ellipsis written onto it, and is read inside typographic quotes and a
        # blockquote's `>`
        ("Intro.\n\nHowever—it works.", True),
        ("Intro.\n\nHowever–it works.", True),
        ("Intro.\n\nHowever… it works.", True),
        ("Intro.\n\n“However,” she said.", True),
        ("Intro.\n\n‘However’ is a word.", True),
        ("Intro.\n\nHowever’s the rest.", True),
        ("Intro.\n\n> However, it works.", True),
        ("Intro.\n\n> > However, it works.", True),
        # still not the word
        ("Intro.\n\nHoweverish—it works.", False),
        ("Intro.\n\n> Moreover, however, it works.", False),
        ("Intro.\n\nHow—ever it works.", False),
    ],
)
def test_the_first_word_ends_at_a_dash_and_is_read_through_quotes_and_blockquotes(text: str, want: bool) -> None:
    assert _check({"constraints": [_nth(2, 2, "however")]}, text).passed is want


_CODE_LISTS = (
    "Here is the function:\n\n```python\ndef evens(nums):\n    return [n for n in nums if n % 2 == 0]\n\n"
    'names = ["ann", "bob"]\nprint(evens([1, 2, 3, 4]))\n```\n'
)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a list or comprehension in code is no placeholder to fill in
        (_CODE_LISTS, False),
        ("```js\nconst pairs = [a, b];\nconst grid = [[x, y], [y, x]];\n```", False),
        # a placeholder in code stands in a string or a comment, and counts
        ('```python\nAPI_KEY = "[your api key]"\nUSER = "[your user name]"\n```', True),
        ("```python\n# replace [API_KEY] and [REGION] before running\nrun()\n```", True),
        ("```\nDear [name],\nSee you at [address].\n```", True),
        ("Replace `[your name]` and `[your city]` in the template.", True),
        ("Dear [name], see you at [address].", True),
    ],
)
def test_code_holds_no_placeholder_outside_its_strings_and_comments(text: str, want: bool) -> None:
    iid = {"type": "detectable_content:number_placeholders", "num_placeholders": 2}
    assert _check({"constraints": [iid]}, text).passed is want
    assert _check({"constraints": [{"type": "placeholders", "count": 2}]}, text).passed is want


_STEPS = "Here is the plan:\n\n1. Preheat the oven.\n2. Mix the batter.\n3. Bake for 20 minutes."


@pytest.mark.parametrize(
    ("constraint", "text", "want"),
    [
        # a numbered list's markers are no sentences: three sentences (the intro ends at no stop), not six
        ({"type": "length_constraints:number_sentences", "num_sentences": 5, "relation": "less than"}, _STEPS, True),
        ({"type": "length_constraints:number_sentences", "num_sentences": 6, "relation": "at least"}, _STEPS, False),
        ({"type": "length_constraints:number_sentences", "num_sentences": 3, "relation": "at least"}, _STEPS, True),
        ({"type": "max_sentences", "value": 4}, _STEPS, True),
        ({"type": "min_sentences", "value": 6}, _STEPS, False),
        # an indented marker, and a one-item list
        (
            {"type": "length_constraints:number_sentences", "num_sentences": 3, "relation": "less than"},
            "Steps:\n  9. Mix.\n  10. Bake.",
            True,
        ),
        (
            {"type": "length_constraints:number_sentences", "num_sentences": 2, "relation": "less than"},
            "1. Mix.",
            True,
        ),
    ],
)
def test_a_numbered_lists_markers_are_no_sentences(constraint: dict, text: str, want: bool) -> None:
    assert _check({"constraints": [constraint]}, text).passed is want
