"""The `executor:` config section: where the heavy stages run (this process, or a Ray cluster)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ExecutorConfig(BaseModel):
    """`kind: local` runs every stage in this process (the default). `kind: ray` runs verify and dedup on a Ray
    cluster: the driver writes Parquet shards into `shared_dir`, workers read them and write result shards, and
    the driver commits results to DuckDB, each shard once (docs/scale.md)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["local", "ray"] = Field("local", description="local: this process; ray: a Ray cluster.")
    address: str | None = Field(
        None,
        description="Ray cluster: null starts a local Ray in this process, or joins the one `ray start` runs on this "
        "machine (Ray's own rule); 'local' always starts one; 'auto' joins the cluster this machine belongs to "
        "(`ray start`); 'ray://host:10001' connects a Ray client.",
    )
    shared_dir: str = Field(
        "ray_shards",
        description="Folder or fsspec/pyarrow URL (s3://bucket/prefix, gs://...) every worker and the driver "
        "can read and write; shards live there. A relative path resolves against the config file's folder.",
    )
    num_cpus: float = Field(1.0, gt=0, description="CPUs per shard task (and per engine replica without GPUs).")
    num_gpus: float = Field(0.0, ge=0, description="GPUs per vLLM engine replica (generation); 0: vLLM's CPU build.")
    engines: int = Field(1, ge=1, description="vLLM engine replicas for `backend: vllm` on Ray (generation).")
    shard_rows: int = Field(2_000, ge=1, description="Rows per shard: bounds each worker's memory.")
    keep_shards: bool = Field(False, description="Keep a run's shard files after it commits (for debugging).")
