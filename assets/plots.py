"""Plots for the Dagster UI: a matplotlib figure becomes markdown metadata with an inline PNG.

The UI renders `MetadataValue.md` with `![alt](data:image/png;base64,...)` as an image on the asset page,
so a plot needs no file server. Keep figures small (the PNG lives in the event log): the defaults give
about 20-40 KB. The same figure can be saved for the dataset card with `save_png`.

    from assets.plots import version_overview, plot_metadata
    fig = version_overview(rows)            # rows: dataset_rows of the version
    md["plot"] = plot_metadata(fig, "think length and mode mix")
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import dagster as dg
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

DPI = 80


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def png_data_uri(fig: Figure, dpi: int = DPI) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(fig, dpi)).decode("ascii")


def plot_metadata(fig: Figure, alt: str, dpi: int = DPI) -> dg.MetadataValue:
    """Markdown metadata that shows `fig` inline in the Dagster UI."""
    safe_alt = alt.replace("[", "(").replace("]", ")")
    return dg.MetadataValue.md(f"![{safe_alt}]({png_data_uri(fig, dpi)})")


def save_png(fig: Figure, path: str | Path, dpi: int = 100) -> Path:
    """Write `fig` as a PNG (for the dataset card) and return the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(png_bytes(fig, dpi))
    return p


def think_length_axes(ax: Axes, think_tokens: pl.Series, bins: int = 30) -> None:
    values = think_tokens.drop_nulls().cast(pl.Float64).to_numpy()
    if values.size:
        ax.hist(values, bins=bins, color="#4c72b0")
    else:
        ax.text(0.5, 0.5, "no think traces", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Think length (approx. tokens)")
    ax.set_xlabel("tokens")
    ax.set_ylabel("examples")


def mode_mix_axes(ax: Axes, rows: pl.DataFrame) -> None:
    """Stacked bars: examples per domain, split by mode."""
    counts = rows.group_by("domain", "mode").len().sort("domain")
    domains = counts["domain"].unique().sort().to_list()
    bottom = [0] * len(domains)
    for mode, color in (("think", "#4c72b0"), ("no_think", "#dd8452")):
        by_domain = dict(zip(*counts.filter(pl.col("mode") == mode).select("domain", "len"), strict=True))
        heights = [int(by_domain.get(d, 0)) for d in domains]
        ax.bar(domains, heights, bottom=bottom, label=mode, color=color)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title("Mode mix by domain")
    ax.set_ylabel("examples")
    ax.legend()
    ax.tick_params(axis="x", labelrotation=20)


def version_overview(rows: pl.DataFrame) -> Figure:
    """Think-length distribution and mode mix of a dataset version.

    `rows` needs columns mode, domain and think_tokens (as in `dataset_rows`).
    """
    fig = Figure(figsize=(9, 3.2))
    left, right = fig.subplots(1, 2)
    think_length_axes(left, rows.filter(pl.col("mode") == "think")["think_tokens"])
    mode_mix_axes(right, rows)
    fig.tight_layout()
    return fig
