"""Dagster assets of the dataset group: version, card, and publishing skipped or done per config."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from assets.datasets import dataset_card, dataset_version
from assets.publish import published_dataset
from assets.resources import ThinkmillResource
from pipeline.store import Store
from testing_support.hub_stub import HubStub


def _materialize(db: Path, conf: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [dataset_version, dataset_card, published_dataset],
        resources={"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(conf))},
    )


def _meta(result: dg.ExecuteInProcessResult, key: str) -> dict:
    mats = result.asset_materializations_for_node(key)
    return {k: v.value for k, v in mats[-1].metadata.items()}


def test_assets_build_card_and_skip_publish_without_repo(db: Path, tmp_path: Path) -> None:
    conf = tmp_path / "c.yaml"
    conf.write_text(f"publish:\n  card_dir: {tmp_path / 'cards'}\n")
    result = _materialize(db, conf)
    assert result.success
    v = _meta(result, "dataset_version")
    assert v["version"] == "v1" and v["created"] is True
    assert abs(v["think_share_rows"] - 0.7) < 0.03
    card = _meta(result, "dataset_card")
    assert Path(card["path"]).exists() and card["version"] == "v1"
    assert result.asset_materializations_for_node("published_dataset") == []  # skipped: nothing materialised
    again = _materialize(db, conf)
    assert _meta(again, "dataset_version")["created"] is False
    with Store.open(db, read_only=True) as store:
        assert store.count("dataset_versions") == 1


def test_published_dataset_uploads_when_repo_set(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_assetTOKEN")
    with HubStub() as hub:
        conf = tmp_path / "c.yaml"
        conf.write_text(f"publish:\n  repo: acme/ds\n  endpoint: {hub.url}\n  card_dir: {tmp_path / 'cards'}\n")
        result = _materialize(db, conf)
        assert result.success
        pub = _meta(result, "published_dataset")
        assert pub["status"] == "published" and pub["tag"] == "v1"
        assert hub.repos["acme/ds"].tags["v1"] == pub["revision"]
        assert "hf_assetTOKEN" not in str(pub)


def test_asset_graph_shape() -> None:
    defs = dg.Definitions(
        assets=[dataset_version, dataset_card, published_dataset], resources={"thinkmill": ThinkmillResource()}
    )
    graph = defs.resolve_asset_graph()
    deps = {
        k.to_user_string(): sorted(p.to_user_string() for p in graph.get(k).parent_keys)
        for k in graph.get_all_asset_keys()
        if graph.get(k).is_materializable
    }
    assert deps == {
        "dataset_version": ["selected_traces"],
        "dataset_card": ["dataset_version"],
        "published_dataset": ["dataset_card"],
    }
    assert published_dataset.op.retry_policy is not None


def test_the_version_assets_cost_is_priced_as_its_card_prices_it(db: Path, tmp_path: Path) -> None:
    """A version's cost is priced with the `cost:` it was built with, as its card prices it. The asset priced it with
    the current config: after a price change, a materialisation that made no new version showed the new price
    beside a card stating the old one."""
    with Store.open(db) as store:
        store.execute("UPDATE generations SET prompt_tokens = 100, completion_tokens = 50")
    conf = tmp_path / "c.yaml"
    cards = tmp_path / "cards"
    conf.write_text(
        f"publish:\n  card_dir: {cards}\ncost: {{price_per_million_input: 1.0, price_per_million_output: 4.0}}\n"
    )
    first = _meta(_materialize(db, conf), "dataset_version")
    assert first["created"] is True and first["cost_usd"] > 0
    conf.write_text(
        f"publish:\n  card_dir: {cards}\ncost: {{price_per_million_input: 10.0, price_per_million_output: 40.0}}\n"
    )
    again = _meta(_materialize(db, conf), "dataset_version")
    assert again["created"] is False and again["version"] == first["version"]
    assert again["cost_usd"] == pytest.approx(first["cost_usd"])


def test_the_version_assets_notes_reach_its_metadata(db: Path, tmp_path: Path) -> None:
    """The build's notes (a retired task left out, a mix of models, the think share off target) were printed by
    `thinkmill build` only: the asset logged "built v1 (N rows)" and its metadata had none of them."""
    from pipeline.ingest.retire import retire

    conf = tmp_path / "c.yaml"
    conf.write_text(f"publish:\n  card_dir: {tmp_path / 'cards'}\n")
    with Store.open(db) as store:
        task = store.query("SELECT task_id FROM trace_selection WHERE selected LIMIT 1").item()
        retire(store, [task], "a wrong task")
    v = _meta(_materialize(db, conf), "dataset_version")
    assert "retired tasks left out" in v["notes"] or "retired task left out" in v["notes"], v.get("notes")
