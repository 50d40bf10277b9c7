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
import re
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import polars as pl

if TYPE_CHECKING:  # matplotlib itself is imported where a figure is drawn
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
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.2))
    left, right = fig.subplots(1, 2)
    think_length_axes(left, rows.filter(pl.col("mode") == "think")["think_tokens"])
    mode_mix_axes(right, rows)
    fig.tight_layout()
    return fig


def length_axes(ax: Axes, rows: pl.DataFrame, bins: int = 30) -> None:
    """Answer length by mode (think and no-think overlaid): the no-think answers should stay short."""
    drawn = False
    for mode, color in (("think", "#4c72b0"), ("no_think", "#dd8452")):
        values = rows.filter(pl.col("mode") == mode)["answer_tokens"].drop_nulls().cast(pl.Float64).to_numpy()
        if values.size:
            ax.hist(values, bins=bins, alpha=0.6, label=mode, color=color)
            drawn = True
    if drawn:
        ax.legend()
    else:
        ax.text(0.5, 0.5, "no rows", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Answer length by mode (approx. tokens)")
    ax.set_xlabel("tokens")
    ax.set_ylabel("examples")


def think_share_axes(ax: Axes, rows: pl.DataFrame, target: float | None) -> None:
    """Share of think examples per domain and overall, with the configured target as a line."""
    shares = (
        rows.group_by("domain")
        .agg((pl.col("mode") == "think").mean().alias("share"))
        .sort("domain")
        .vstack(pl.DataFrame({"domain": ["(all)"], "share": [float((rows["mode"] == "think").mean() or 0.0)]}))
        if rows.height
        else pl.DataFrame({"domain": [], "share": []}, schema={"domain": pl.String, "share": pl.Float64})
    )
    ax.bar(shares["domain"].to_list(), shares["share"].to_list(), color="#55a868")
    if target is not None:
        ax.axhline(target, color="#c44e52", linestyle="--", label=f"target {target:.2f}")
        ax.legend()
    ax.set_ylim(0, 1)
    ax.set_title("Think share by domain (rows)")
    ax.set_ylabel("share of examples")
    ax.tick_params(axis="x", labelrotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def version_distributions(rows: pl.DataFrame, target: float | None = None) -> Figure:
    """Think share by domain (against its target), think length and answer length distributions of a version.

    `rows` needs columns mode, domain, think_tokens and answer_tokens (as in `dataset_rows`).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 3.6))
    share, think, answer = fig.subplots(1, 3)
    think_share_axes(share, rows, target)
    think_length_axes(think, rows.filter(pl.col("mode") == "think")["think_tokens"])
    length_axes(answer, rows)
    fig.tight_layout()
    return fig


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def embed_images(markdown: str, base: Path) -> tuple[str, list[str]]:
    """`markdown` with every image whose relative path is a PNG file under `base` inlined as a data URI, so
    the Dagster UI (which serves no files) renders it; also the paths it could not find."""
    missing: list[str] = []

    def inline(m: re.Match[str]) -> str:
        alt, target = m[1], m[2]
        if target.startswith(("data:", "http://", "https://", "/")):
            return m[0]
        path = base / target
        if not (path.is_file() and path.suffix.lower() == ".png"):
            missing.append(target)
            return m[0]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"![{alt}](data:image/png;base64,{data})"

    return _MD_IMAGE.sub(inline, markdown), missing
