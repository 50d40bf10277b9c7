"""A prompt about a figure the row does not hold ("As shown in the figure, ...", "In the diagram, ..."). Datasets
saved without their images (NuminaMath's cn_k12 and olympiad rows, scraped exam questions) keep such questions: the
model is asked about a drawing it never sees, and a guessed answer that matches (an MCQ letter, a small number)
trains the fine-tune to make figures up. Such rows are quarantined `needs_image`, on the bulk path and row by row."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.normalize import refers_to_figure

NEEDS_FIGURE = [
    ("As shown in the figure, ABCD is a square with side 4. Find the shaded area.", "shown in the figure"),
    ("In the diagram, angle ABC is 40 degrees and AB = BC. Find angle BAC.", "In the diagram"),
    ("Using the graph below, find the slope of the line through the two marked points.", "the graph below"),
    (
        "The figure shows a circuit with resistors of 3 ohms and 6 ohms in parallel. What is the total resistance?",
        "The figure shows",
    ),
    ("Refer to Figure 2. What is the value of x in the triangle?", "Figure 2"),
    ("Which animal is shown in the picture? Choose the best answer.", "shown in the picture"),
    ("From the chart, how many more apples than pears were sold in March?", "From the chart"),
]
KEPT = [
    "[asy]\ndraw((0,0)--(4,0)--(4,3)--cycle);\n[/asy]\nIn the diagram, what is the length of the hypotenuse?",
    "Find the vertex of the graph of y = x^2 - 4x + 3.",
    "In the graph G, every vertex has degree 3 and there are 10 vertices. How many edges does G have?",
    "In the graph $G$ with 6 vertices, each pair is joined by an edge. How many edges are there?",
    "Round 3.14159 to three significant figures.",
    "Figure out how many apples Tom has if he has 5 and buys 7 more.",
    "What is the image of the point (1, 2) under a reflection in the x-axis?",
    "In the chart below, what is the total?\n\n| Month | Sales |\n|---|---|\n| Jan | 5 |\n| Feb | 7 |",
    "Draw a diagram of a right triangle with legs 3 and 4. What is the hypotenuse?",
    "Each edge joins two nodes in the graph, and from the graph we remove node 3. How many edges remain of 5?",
    "Given in the image of f, find the preimage of 4 under f(x) = 2x.",
]


@pytest.mark.parametrize(("prompt", "phrase"), NEEDS_FIGURE)
def test_refers_to_figure_finds_the_phrase(prompt: str, phrase: str) -> None:
    assert refers_to_figure(prompt) == phrase


@pytest.mark.parametrize("prompt", KEPT)
def test_a_prompt_that_holds_or_needs_no_figure_is_not_flagged(prompt: str) -> None:
    assert refers_to_figure(prompt) is None


@pytest.mark.parametrize("mapped", [False, True], ids=["bulk", "per-row"])
def test_rows_about_a_missing_figure_are_quarantined(ingest_prompts, mapped: bool) -> None:
    kept, quarantined = ingest_prompts([p for p, _ in NEEDS_FIGURE] + KEPT, mapped=mapped, answer="4")
    assert kept == sorted(KEPT)
    assert len(quarantined) == len(NEEDS_FIGURE)
    assert {r for r, _ in quarantined} == {"needs_image"}
    assert any("('shown in the figure')" in d for _, d in quarantined)
    assert all("ingest.check_context: false" in d for _, d in quarantined)


def test_an_mcq_about_a_missing_picture_is_quarantined(store, write_jsonl) -> None:
    row = {"question": "Which animal is shown in the picture?", "choices": ["cat", "dog", "cow"], "answer": "A"}
    ingest_paths(store, [write_jsonl("mcq.jsonl", [row])])
    assert store.count("tasks") == 0
    assert store.read("quarantine")["reason"].to_list() == ["needs_image"]


def test_check_context_false_keeps_them(store, write_jsonl) -> None:
    rows = [{"question": p, "answer": "4"} for p, _ in NEEDS_FIGURE]
    ingest_paths(store, [write_jsonl("fig.jsonl", rows)], cfg=IngestConfig(check_context=False))
    assert store.count("tasks") == len(NEEDS_FIGURE)


def test_a_code_task_is_not_checked(store, write_jsonl) -> None:
    """A code task's text specifies what its tests check: LeetCode's flood fill talks of "each pixel in the image"."""
    row = {
        "prompt": "Write flood(img, r, c, color) that recolours each pixel in the image connected to (r, c).",
        "tests": ["assert flood([[1]], 0, 0, 2) == [[2]]"],
    }
    ingest_paths(store, [write_jsonl("code.jsonl", [row])])
    assert store.count("quarantine") == 0 and store.count("tasks") == 1
