"""Plot helpers: a figure becomes inline-PNG markdown the Dagster UI renders as an image."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import polars as pl
import pytest
from ops_scenario import Run

from assets.plots import embed_images, plot_metadata, save_png, version_distributions, version_overview

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


def _pngs(markdown: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r"\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", markdown)]


@pytest.mark.parametrize("rows", [0, 30])
def test_version_distributions_renders_with_and_without_rows(rows: int) -> None:
    df = pl.DataFrame(
        {
            "mode": (["think", "think", "no_think"] * 10)[:rows],
            "domain": (["math", "code"] * 15)[:rows],
            "think_tokens": ([40, 55, None] * 10)[:rows],
            "answer_tokens": ([12, 20, 8] * 10)[:rows],
        },
        schema={"mode": pl.String, "domain": pl.String, "think_tokens": pl.Int64, "answer_tokens": pl.Int64},
    )
    [png] = _pngs(plot_metadata(version_distributions(df, 0.7), "x").value)
    assert png.startswith(PNG_MAGIC)


def test_embed_images_inlines_local_pngs_only(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(PNG_MAGIC + b"rest")
    md = "![a](figures/a.png) ![b](figures/gone.png) ![c](https://example.org/c.png)"
    out, missing = embed_images(md, tmp_path)
    assert _pngs(out) == [PNG_MAGIC + b"rest"]
    assert "![b](figures/gone.png)" in out and "![c](https://example.org/c.png)" in out
    assert missing == ["figures/gone.png"]


def test_dataset_version_carries_its_plots(clean_run: Run) -> None:
    md = clean_run.result.asset_materializations_for_node("dataset_version")[0].metadata
    for key in ("plot", "plot_mix"):
        [png] = _pngs(md[key].value)
        assert png.startswith(PNG_MAGIC) and len(png) > 5_000


def test_card_preview_embeds_its_figures(clean_run: Run) -> None:
    md = clean_run.result.asset_materializations_for_node("dataset_card")[0].metadata
    card = md["card"].value
    assert "](figures/" not in card  # no relative path the UI cannot serve
    pngs = _pngs(card)
    assert len(pngs) == len(md["figures"].value) == 4
    assert all(p.startswith(PNG_MAGIC) for p in pngs)
