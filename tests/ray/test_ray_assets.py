"""Dagster: the verify and select assets run on Ray through the executor resource (dagster-ray's LocalRay here),
and their metadata show the cluster address and the shard counts."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_ray import LocalRay

from assets.dedup import selected_traces
from assets.resources import ExecutorResource, ThinkmillResource
from assets.verify import verdicts
from tests.ray.test_ray_verify import RESPONSES, _db


def test_assets_run_on_ray_with_cluster_address_and_shards_in_metadata(tmp_path: Path) -> None:
    db = _db(tmp_path / "t.duckdb")
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("executor:\n  shared_dir: shards\n  shard_rows: 4\n")
    cluster = LocalRay(ray_init_options={"ignore_reinit_error": True})  # the session's Ray is already up
    resource = ThinkmillResource(db_path=str(db), config_path=str(cfg), executor=ExecutorResource(cluster=cluster))
    result = dg.materialize([verdicts, selected_traces], resources={"thinkmill": resource})
    assert result.success
    md = result.asset_materializations_for_node("verdicts")[0].metadata
    assert md["executor"].value == "ray" and md["ray_address"].value
    assert md["shards"].value == md["shards_committed"].value == 3  # 10 generations, 4 per shard
    assert md["judged_now"].value == len(RESPONSES)
    md = result.asset_materializations_for_node("selected_traces")[0].metadata
    assert md["executor"].value == "ray" and md["shards"].value >= 4  # hash, buckets, confirm per dedup run
