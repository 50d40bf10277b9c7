"""Content words (`pipeline.dedup.words`): what two unanswered prompts must share to be one task."""

from __future__ import annotations

import pytest

from pipeline.dedup.normalize import normalize_text
from pipeline.dedup.words import content_words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Write a poem about cats.", "write a poem about cats"),  # case, punctuation
        ("Write a poem about cats.", "Write  a poem, about cats!"),
        ("Write a poem about cats.", "Write the poem about cats."),  # articles
        ("Write a paragraph about tidal energy.", "Write a paragraph about tidal energies."),  # plurals
        ("Pack the boxes.", "Pack the box."),
        ("Compute $\\frac{1}{2} + \\frac{1}{3}$.", "Compute \\(\\frac { 1 }{2}+\\frac{1}{3}\\)"),  # LaTeX spacing
    ],
)
def test_texts_that_differ_in_form_have_the_same_content_words(a: str, b: str) -> None:
    assert content_words(normalize_text(a)) == content_words(normalize_text(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Write a poem about cats.", "Write a poem about bats."),
        ("Social media is harmful.", "Social media is not harmful."),  # negations count
        ("Summarize World War I.", "Summarize World War II."),  # roman numerals
        ("Write 500 words.", "Write 50 words."),  # numbers
        ("Argue for the death penalty.", "Argue against the death penalty."),
        ("Translate it to French.", "Translate it from French."),  # prepositions
        ("Write a poem about cats.", "Write a poem about cats cats."),  # a multiset: counts count
    ],
)
def test_texts_that_ask_for_another_thing_have_other_content_words(a: str, b: str) -> None:
    assert content_words(normalize_text(a)) != content_words(normalize_text(b))
