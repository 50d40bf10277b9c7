"""A prompt about a table or a chart the row does not hold ("The table below shows ...", "According to the table,
...", "Based on the bar graph, ..."). Exam questions scraped without their tables, NuminaMath's cn_k12 rows and
TabMWP saved without its `table` column keep such questions: the model is asked about numbers it never sees, and a
guessed answer that matches trains the fine-tune to make data up. A table is text, so such a row is quarantined
`needs_context` (a chart or plot: `needs_image`), on the bulk path and row by row; a prompt that holds its table (a
Markdown, LaTeX, HTML or tab-separated table, lines of values, or the values in its words) is kept."""

from __future__ import annotations

import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.normalize import refers_to_figure, refers_to_table

NEEDS_TABLE = [
    (
        "The table below shows the number of students in each class. How many students are in class B?",
        "The table below",
    ),
    ("Using the table above, find the mean score of the students.", "Using the table"),
    ("According to the table, which month had the most rainfall?", "According to the table"),
    ("Look at the table. What is the total cost of 3 apples?", "Look at the table"),
    ("From the data in the table, what is the median?", "in the table"),
    ("The following table gives the heights of the players. Who is the tallest?", "The following table"),
    ("Refer to Table 2. Which country exported the most wheat in 2019?", "to Table 2"),
    ("As shown in the table, the scores of 5 students are listed. Find their variance.", "shown in the table"),
    ("According to the table, what is the mean? (A) 5 (B) 6 (C) 7 (D) 8", "According to the table"),
    ("Using the table, find the range.\nA. 12\nB. 14\nC. 16\nD. 18", "Using the table"),
]
KEPT_TABLE = [
    "| x | y |\n|---|---|\n| 1 | 2 |\n| 2 | 4 |\nUsing the table above, find y when x = 3.",
    "The table below shows a function.\n\n$\\begin{array}{c|c} x & y \\\\ \\hline 1 & 2 \\\\ 2 & 4 \\end{array}$\n\n"
    "Find y when x = 3.",
    "Use the table to find f(3).\nx\t1\t2\t3\nf(x)\t2\t4\t6",
    "The table shows the prices: apples $2, pears $3, plums $1 and figs $4. What do 2 apples cost?",
    "According to the table below, what is y when x = 4?\nx: 1 2 3\ny: 3 5 7",
    "Look at the table. Then answer the question.\n\nName | Laps\nKeith | 9\nAnn | 7\n\nWho ran more laps?",
    "The table below shows the scores.\n\nStudent   Score\nAnn       85\nBob       90\n\nWhat is the mean score?",
    "A round table seats 8 people. In how many ways can 8 people sit around the table?",
    "There are 5 apples on the table and Tom eats 2. How many are left?",
    "In the table tennis club there are 12 members. How many games are played if each pair plays once?",
    "The periodic table lists elements by atomic number. What is the atomic number of carbon?",
    "Complete the multiplication table for 7: what is 7 times 8?",
    "A table costs $40 and a chair costs $15. How much do 2 tables and 4 chairs cost?",
    "Make a table of values for y = 2x + 1 and find y when x = 5.",
]
NEEDS_CHART = [
    ("Based on the bar graph, how many more boys than girls chose soccer?", "Based on the bar graph"),
    ("The stem-and-leaf plot below shows the test scores. What is the mode?", "The stem-and-leaf plot below"),
    ("In the pie chart, what fraction of the budget goes to rent?", "In the pie chart"),
    ("The histogram shows the heights of 30 plants. How many are taller than 20 cm?", "The histogram shows"),
    ("Using the line plot, how many students read more than 3 books?", "Using the line plot"),
]
KEPT_CHART = [
    "In the line graph of G, how many vertices are there if G has 7 edges?",
    "He planted 5 trees on the plot of land. How many more to make 12?",
    "The plot of the story is simple. How many words has the title 'The Old Man and the Sea'?",
]


@pytest.mark.parametrize(("prompt", "phrase"), NEEDS_TABLE)
def test_refers_to_table_finds_the_phrase(prompt: str, phrase: str) -> None:
    assert refers_to_table(prompt) == phrase


@pytest.mark.parametrize("prompt", KEPT_TABLE)
def test_a_prompt_that_holds_or_needs_no_table_is_not_flagged(prompt: str) -> None:
    assert refers_to_table(prompt) is None


@pytest.mark.parametrize(("prompt", "phrase"), NEEDS_CHART)
def test_a_chart_or_plot_is_a_figure(prompt: str, phrase: str) -> None:
    assert refers_to_figure(prompt) == phrase


@pytest.mark.parametrize("prompt", KEPT_CHART)
def test_a_graph_or_plot_of_the_text_is_no_figure(prompt: str) -> None:
    assert refers_to_figure(prompt) is None


@pytest.mark.parametrize("mapped", [False, True], ids=["bulk", "per-row"])
def test_rows_about_a_missing_table_or_chart_are_quarantined(ingest_prompts, mapped: bool) -> None:
    needs = [p for p, _ in NEEDS_TABLE + NEEDS_CHART]
    kept, quarantined = ingest_prompts(needs + KEPT_TABLE + KEPT_CHART, mapped=mapped, answer="4")
    assert kept == sorted(KEPT_TABLE + KEPT_CHART)
    reasons = sorted(r for r, _ in quarantined)
    assert reasons == sorted(["needs_context"] * len(NEEDS_TABLE) + ["needs_image"] * len(NEEDS_CHART))
    assert any("refers to a table it does not hold ('According to the table')" in d for _, d in quarantined)
    assert all("ingest.check_context: false" in d for _, d in quarantined)


def test_an_mcq_about_a_missing_table_is_quarantined(store, write_jsonl) -> None:
    """The options' numbers are no table: the check reads the source's own question."""
    row = {"question": "According to the table, what is the mean?", "choices": ["5", "6", "7", "8"], "answer": "B"}
    ingest_paths(store, [write_jsonl("mcq.jsonl", [row])])
    assert store.count("tasks") == 0
    assert store.read("quarantine")["reason"].to_list() == ["needs_context"]


def test_a_table_column_left_out_is_named(store, write_jsonl) -> None:
    """TabMWP keeps each question's table in a `table` column: left out, every question is asked without its data."""
    row = {
        "question": "Look at the table. Then answer the question. Who ran the most laps?",
        "table": "Name | Number of laps\nKeith | 9\nAnn | 7\nLuis | 11",
        "table_title": "Laps run",
        "answer": "Luis",
    }
    unsaid = {**row, "question": "Some friends ran laps. Who ran the most?"}  # the table is not even mentioned
    ingest_paths(store, [write_jsonl("tabmwp.jsonl", [row, unsaid])])
    assert store.count("tasks") == 0
    details = store.read("quarantine")["detail"].to_list()
    assert len(details) == 2 and all("--map context=table" in d for d in details)
    ingest_paths(store, [write_jsonl("tabmwp2.jsonl", [row])], mapping={"context": "table"})
    assert store.read("tasks")["prompt"].to_list() == [
        "Look at the table. Then answer the question. Who ran the most laps?\n\n"
        "Name | Number of laps\nKeith | 9\nAnn | 7\nLuis | 11"
    ]


def test_check_context_false_keeps_them(store, write_jsonl) -> None:
    # a row listing lettered options answers with a letter: 4, no option's text, reads as an index counted from 0 or
    # from 1 and is quarantined as ambiguous whatever check_context says (`normalize._listed_index`)
    rows = [{"question": p, "answer": "B" if "(B)" in p or "\nB." in p else "4"} for p, _ in NEEDS_TABLE + NEEDS_CHART]
    ingest_paths(store, [write_jsonl("t.jsonl", rows)], cfg=IngestConfig(check_context=False))
    assert store.count("tasks") == len(rows)
