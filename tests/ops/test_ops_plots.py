"""Plot helpers: a figure becomes inline-PNG markdown the Dagster UI renders as an image."""

from __future__ import annotations

import base64
from pathlib import Path

import polars as pl
import pytest

from assets.plots import plot_metadata, save_png, version_overview

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("think_rows", [0, 50])
def test_version_overview_renders_inline_png(think_rows: int, tmp_path: Path) -> None:
    rows = pl.DataFrame(
        {
            "mode": ["think"] * think_rows + ["no_think"] * 20,
            "domain": (["math", "code"] * 50)[: think_rows + 20],
            "think_tokens": list(range(think_rows)) + [None] * 20,
        },
        schema={"mode": pl.String, "domain": pl.String, "think_tokens": pl.Int64},
    )
    fig = version_overview(rows)
    md = plot_metadata(fig, "think [length]").value
    assert md.startswith("![think (length)](data:image/png;base64,")
    png = base64.b64decode(md.split("base64,", 1)[1].rstrip(")"))
    assert png.startswith(PNG_MAGIC)
    assert len(md) < 200_000  # small enough for the event log
    assert save_png(fig, tmp_path / "card" / "overview.png").read_bytes().startswith(PNG_MAGIC)
