"""Rows that carry an image (or audio, video) the model never sees are quarantined, not made into text tasks.

ScienceQA's "What is the name of the colony shown?" with its map in an `image` column became a text task: the
model, sent the question alone, guesses; a lucky guess passes the MCQ verifier and trains the fine-tune to answer
questions about pictures it was never shown. The image's bytes went into `metadata` as a Python bytes repr.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig, SourceConfig
from pipeline.ingest.normalize import Rejected, normalize_record

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32


def _norm(row: dict, **kw) -> dict | Rejected:
    return normalize_record(row, SourceConfig(name="s", path="x.jsonl"), max_prompt_chars=10_000, **kw)


def test_a_scienceqa_parquet_row_with_its_image_is_quarantined(tmp_path: Path, store) -> None:
    df = pl.DataFrame(
        {
            "question": ["What is the name of the colony shown?", "Which word would you find on a dictionary page?"],
            "choices": [["Maryland", "New Hampshire", "Rhode Island", "Vermont"], ["shoe", "smile"]],
            "answer": [1, 0],
            "image": [{"bytes": PNG, "path": "img1.png"}, None],  # Hugging Face's Image feature, as Parquet stores it
        }
    )
    df.write_parquet(tmp_path / "scienceqa.parquet")
    rep = ingest_paths(store, [tmp_path / "scienceqa.parquet"])
    assert (rep.metadata["ingested"], rep.metadata["quarantined"]) == (1, 1)
    q = store.read("quarantine").row(0, named=True)
    assert q["reason"] == "needs_image" and "'image'" in q["detail"] and q["source_row"] == 0
    assert "\\x89PNG" not in (q["raw"] or "") and "x00" not in (q["raw"] or "")  # no bytes repr in the raw row
    kept = store.read("tasks").row(0, named=True)
    assert kept["prompt"].startswith("Which word") and json.loads(kept["metadata"]) == {"image": None}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"question": "Describe the picture.", "answer": "a cat", "image": PNG}, "needs_image"),
        ({"question": "How many?", "answer": "3", "images": [{"bytes": None, "path": "a.jpg"}]}, "needs_image"),
        ({"question": "How many?", "answer": "3", "image_path": "figures/q17.png"}, "needs_image"),
        ({"question": "<image 1> What is the area of the shaded region?", "answer": "4"}, "needs_image"),
        ({"question": "<image>\nWhat is shown?", "answer": "a dog"}, "needs_image"),
        ({"question": "What word is spoken?", "answer": "hello", "audio": {"bytes": WAV, "path": None}}, "needs_audio"),
        (
            {"question": "Transcribe.", "answer": "hi", "audio": {"array": [0.0, 0.1], "sampling_rate": 16000}},
            "needs_audio",
        ),
        ({"question": "What happens next?", "answer": "he falls", "video": "clips/0001.mp4"}, "needs_video"),
    ],
)
def test_media_in_a_row_is_quarantined_naming_it(row: dict, reason: str) -> None:
    got = _norm(row)
    assert isinstance(got, Rejected) and got.reason == reason, got


@pytest.mark.parametrize(
    "row",
    [
        {"question": "What is 6 times 7?", "answer": "42", "image": None},
        {"question": "What is 6 times 7?", "answer": "42", "images": []},
        {"question": "What is 6 times 7?", "answer": "42", "image": {"bytes": None, "path": None}},
        {"question": "What is 6 times 7?", "answer": "42", "figure_caption": "A bar chart of sales.png data"},
        {"question": "Write an HTML <img> tag for logo.png.", "answer": '<img src="logo.png">', "verifier": "exact"},
    ],
)
def test_rows_without_media_are_kept(row: dict) -> None:
    assert isinstance(_norm(row), dict)


def test_allow_media_keeps_such_rows_without_their_bytes(tmp_path: Path, store) -> None:
    """`ingest.allow_media: true` (prompts that do not need the picture): the row is a task, and `metadata` keeps
    where the media was, never its bytes."""
    got = _norm({"question": "Name any colour.", "answer": "red", "image": {"bytes": PNG, "path": "i.png"}},
                allow_media=True)  # fmt: skip
    assert isinstance(got, dict)
    assert json.loads(got["metadata"]) == {"image": {"media": "image", "path": "i.png", "bytes": len(PNG)}}
    rows = [{"question": "Name any colour.", "answer": "red", "image": {"bytes": PNG, "path": "i.png"}}]
    pl.DataFrame(rows).write_parquet(tmp_path / "m.parquet")
    cfg = IngestConfig(allow_media=True)
    rep = ingest_paths(store, [tmp_path / "m.parquet"], cfg=cfg)
    assert rep.metadata["ingested"] == 1


def test_chat_content_given_as_parts() -> None:
    """OpenAI-style content parts (`[{"type": "text", "text": ...}]`): the text parts are the turn's text; an image
    part (`image_url`, `image`, `input_image`; `input_audio`) is media the model would not see."""
    text_only = {
        "messages": [
            {"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
            {"role": "user", "content": [{"type": "text", "text": "What is 6 times 7?"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "42"}]},
        ]
    }
    got = _norm(text_only)
    assert isinstance(got, dict) and (got["system"], got["prompt"], got["answer"]) == (
        "Be brief.",
        "What is 6 times 7?",
        "42",
    )
    with_image = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": "https://example.org/colony.png"}},
                    {"type": "text", "text": "What is the name of the colony shown?"},
                ],
            },
            {"role": "assistant", "content": "Maryland"},
        ]
    }
    got = _norm(with_image)
    assert isinstance(got, Rejected) and got.reason == "needs_image" and "image_url" in got.detail
