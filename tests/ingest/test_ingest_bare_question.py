"""`choices.bare_question`: an MCQ's question without its options, wherever the prompt lists them, and never without
text that is not its options."""

from __future__ import annotations

import pytest

from pipeline.ingest.choices import bare_question, options_in_prompt
from pipeline.ingest.normalize import dedup_key, prompt_key

Q = "Which planet has rings?"
OPTS = {"A": "Mars", "B": "Venus", "C": "Saturn", "D": "Mercury"}
LATEX = r"$\textbf{(A)}\ Mars \qquad \textbf{(B)}\ Venus \qquad \textbf{(C)}\ Saturn \qquad \textbf{(D)}\ Mercury$"


@pytest.mark.parametrize(
    ("prompt", "question"),
    [
        (Q + "\n\nA. Mars\nB. Venus\nC. Saturn\nD. Mercury", Q),  # the block ingest appends
        (Q + "\nA) Mars\nB) Venus\nC) Saturn\nD) Mercury", Q),
        (Q + "\n(A) Mars\n(B) Venus\n(C) Saturn\n(D) Mercury", Q),
        (Q + " (A) Mars (B) Venus (C) Saturn (D) Mercury", Q),  # inline
        (Q + "\na) mars\nb) venus\nc) saturn\nd) mercury.", Q),  # written otherwise, as `shows_options` reads it
        (Q + "\nOptions:\n(A) Mars\n(B) Venus\n(C) Saturn\n(D) Mercury", Q),  # BIG-Bench Hard's heading
        (Q + " Answer Choices: (A) Mars (B) Venus (C) Saturn (D) Mercury", Q),  # AQuA-RAT's
        (Q + "\nA) Mars\nB) Venus\nC) Saturn\nD) Mercury\nAnswer with the letter.", Q + "\n\nAnswer with the letter."),
        (Q + "\n(A) Mars (B) Venus (C) Saturn (D)\nMercury\nThink.", Q + "\n\nThink."),  # the last text on its own line
        (Q + "\nA．Mars\nB．Venus\nC．Saturn\nD．Mercury", Q),  # full-width marks
        (Q + "\n（A）Mars（B）Venus（C）Saturn（D）Mercury", Q),
        (f"{Q} {LATEX}", Q),  # AMC's LaTeX list, with its math block
        (f"Find $x$. {LATEX} Go.", "Find $x$.\n\nGo."),
        # not its options: the prompt as it is
        (Q + "\nA) Mars\nB) Venus\nC) Saturn\nD) Jupiter", None),
        (Q + "\nA) Venus\nB) Mars\nC) Saturn\nD) Mercury", None),  # another order
        (Q + "\nA) Mars\nB) Venus\nC) Saturn", None),  # one left out
        ("A) Mars\nB) Venus\nC) Saturn\nD) Mercury", None),  # the options alone: no question
        (Q, None),
    ],
)
def test_bare_question(prompt: str, question: str | None) -> None:
    assert bare_question(prompt, OPTS) == (question if question is not None else prompt)


def test_lettered_statements_beside_the_options_stay() -> None:
    opts = {"A": "(a) only", "B": "(b) only", "C": "both", "D": "neither"}
    prompt = "Which statements are true? (a) 2 is even, (b) 3 is even"
    assert options_in_prompt(prompt) is not None
    assert bare_question(prompt, opts) == prompt
    shown = prompt + "\n\nA. (a) only\nB. (b) only\nC. both\nD. neither"
    assert bare_question(shown, opts) == prompt


def test_dedup_key_is_one_text_in_any_layout_and_prompt_key_keeps_the_stored_hashes() -> None:
    listed = Q + "\nA) Mars\nB) Venus\nC) Saturn\nD) Mercury"
    appended = Q + "\n\nA. Mercury\nB. Saturn\nC. Venus\nD. Mars"
    shuffled = dict(zip("ABCD", ["Mercury", "Saturn", "Venus", "Mars"], strict=True))
    assert dedup_key(listed, {"choices": OPTS}) == dedup_key(appended, {"choices": shuffled})
    # the prompt hash (ids, re-ingest) of a prompt that lists its options is what it was
    assert prompt_key(listed, {"choices": OPTS}) == listed + "\nA. Mars\nB. Venus\nC. Saturn\nD. Mercury"


def test_bare_question_of_options_under_cyrillic_labels() -> None:
    """Russian MMLU-style lists (А) Б) В) Г)), stored as written: the question is the same one as in ingest's layout."""
    opts = {"A": "Меркурий", "B": "Венера", "C": "Марс", "D": "Юпитер"}
    q = "Какая планета красная?"
    listed = q + "\nА) Меркурий\nБ) Венера\nВ) Марс\nГ) Юпитер"
    assert bare_question(listed, opts) == q
    assert bare_question(listed + "\nОтветьте буквой.", opts) == q + "\n\nОтветьте буквой."
    assert (
        bare_question(q + "\nА) Меркурий\nБ) Венера\nВ) Марс\nГ) Сатурн", opts)
        == q + "\nА) Меркурий\nБ) Венера\nВ) Марс\nГ) Сатурн"
    )
    assert options_in_prompt(listed) is None  # a Latin letter answer names no Cyrillic label (`B` looks like `В`)
    assert dedup_key(listed, {"choices": opts}) == dedup_key(
        q + "\n\nA. Меркурий\nB. Венера\nC. Марс\nD. Юпитер", {"choices": opts}
    )
