"""The card renders with a valid Hub YAML header, and its tables and figures show the database's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.config import ThinkmillConfig
from pipeline.dataset.card import card_data, plot_filtering, plot_mix, plot_pass_rates, plot_think_tokens, write_card
from pipeline.dataset.versions import build_version
from pipeline.store import Store


@pytest.fixture
def store(db: Path, cfg: ThinkmillConfig):
    with Store.open(db) as s:
        build_version(s, cfg)
        yield s


def _bar_heights(ax) -> list[float]:
    return [round(p.get_height(), 6) for p in ax.patches]


def test_card_renders_with_hub_header(store: Store, tmp_path: Path) -> None:
    paths = write_card(store, "v1", tmp_path / "card", pretty_name="demo", tags=["math"])
    text = paths[0].read_text()
    assert text.startswith("---\n")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["pretty_name"] == "demo"
    assert header["license"] == "other" and "apache-2.0" in header["license_details"]
    assert {"thinkmill", "hermes-4", "math"} <= set(header["tags"])
    assert header["configs"][0]["data_files"] == [{"split": "train", "path": "data/train-*.parquet"},
                                                  {"split": "validation", "path": "data/validation-*.parquet"}]
    for p in paths[1:]:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({p.relative_to(tmp_path / 'card').as_posix()})" in text
    assert "## Lineage" in text and "content hash" in text and "## Config" in text
    # same inputs, same bytes (publishing relies on it)
    again = write_card(store, "v1", tmp_path / "card2", pretty_name="demo", tags=["math"])
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_figures_match_the_database(store: Store) -> None:
    data = card_data(store, "v1")
    mix = store.query("SELECT domain, mode, count(*) AS n FROM dataset_rows WHERE version_id = 'v1' "
                      "GROUP BY 1, 2").rows()
    expected = {(d, m): n for d, m, n in mix}
    domains = sorted({d for d, _ in expected})
    ax = plot_mix(data).axes[0]
    assert _bar_heights(ax) == [expected.get((d, "think"), 0) for d in domains] + \
        [expected.get((d, "no_think"), 0) for d in domains]

    rates = store.query("SELECT t.domain, v.mode, avg(CASE WHEN v.passed THEN 1.0 ELSE 0.0 END) FROM verdicts v "
                        "JOIN tasks t USING (task_id) GROUP BY 1, 2").rows()
    r = {(d, m): x for d, m, x in rates}
    ax = plot_pass_rates(data).axes[0]
    assert _bar_heights(ax) == pytest.approx([r[(d, "think")] for d in domains] +
                                             [r[(d, "no_think")] for d in domains], abs=1e-4)

    fig = plot_filtering(data)
    dups = dict(store.query("SELECT reason, count(*) FROM task_duplicates GROUP BY 1 ORDER BY 1").rows())
    cont = dict(store.query("SELECT benchmark, count(DISTINCT task_id) FROM contamination GROUP BY 1 "
                            "ORDER BY 1").rows())
    assert _bar_heights(fig.axes[0]) == list(dups.values()) == [2, 1]
    assert _bar_heights(fig.axes[1]) == list(cont.values()) == [1, 2]

    think = store.query("SELECT think_tokens FROM dataset_rows WHERE version_id = 'v1' AND mode = 'think'")
    ax = plot_think_tokens(data).axes[0]
    assert sum(_bar_heights(ax)) == think.height
    assert sorted(data.think_tokens) == sorted(think.get_column("think_tokens").to_list())


def test_card_tables_show_counts(store: Store, tmp_path: Path) -> None:
    text = write_card(store, "v1", tmp_path / "c")[0].read_text()
    data = card_data(store, "v1")
    for d, modes in data.mix.items():
        t, n = modes.get("think", 0), modes.get("no_think", 0)
        assert f"| {d} | {t} | {n} | {t + n} |" in text
    assert "| aime24 | 1 |" in text and "| gpqa | 2 |" in text
    assert "| dedup:exact | 2 |" in text
