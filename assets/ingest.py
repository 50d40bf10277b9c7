"""Ingest assets: raw_tasks (stage configured sources) -> tasks (dedup + commit) -> clean_tasks (decontaminate).

Keyed by file content: `raw_tasks` stages only inputs whose (path, content hash) is not yet in `ingest_files`
(nor staged), so a new source file never re-processes old ones; `tasks` commits the staged batches.
"""

from pathlib import Path

import dagster as dg

from assets.metadata import counts_table, table_metadata
from assets.resources import ThinkmillResource
from pipeline.config import ThinkmillConfig
from pipeline.ingest.api import inputs_for, stage
from pipeline.ingest.commit import commit_batch
from pipeline.ingest.decontam import decontaminate, load_benchmarks, read_clean_tasks
from pipeline.ingest.stage import pending_batches


def _staging(cfg: ThinkmillConfig, thinkmill: ThinkmillResource) -> Path:
    return cfg.output_dir(cfg.ingest.staging_dir, thinkmill.db_path, ".thinkmill-staging")


@dg.asset(group_name="ingest", pool="duckdb", compute_kind="polars")
def raw_tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Configured sources read and normalised into staged task rows (new or changed files only)."""
    cfg = thinkmill.config()
    inputs = inputs_for(cfg.ingest.sources, cfg.base_dir)
    with thinkmill.store() as store:
        staged = stage(store, inputs, cfg.ingest, _staging(cfg, thinkmill))
    read = sum(i.rows_read for i in staged.inputs)
    quarantined = sum(i.quarantined for i in staged.inputs)
    context.log.info(f"staged batch {staged.batch_id}: {len(staged.inputs)} new files, "
                     f"{len(staged.skipped)} unchanged")
    return dg.MaterializeResult(metadata={
        "batch": dg.MetadataValue.text(staged.batch_id),
        "dagster/row_count": dg.MetadataValue.int(read),
        "rows_read": dg.MetadataValue.int(read),
        "quarantined_at_read": dg.MetadataValue.int(quarantined),
        "new_files": dg.MetadataValue.int(len(staged.inputs)),
        "unchanged_files": dg.MetadataValue.int(len(staged.skipped)),
        "files": dg.MetadataValue.md(counts_table({i.path: i.rows_read for i in staged.inputs}, key="file")),
    })


@dg.asset(group_name="ingest", pool="duckdb", deps=[raw_tasks], compute_kind="duckdb")
def tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Staged rows deduplicated (against stored tasks too) and committed: tasks, task_duplicates, quarantine."""
    cfg = thinkmill.config()
    totals = {"read": 0, "ingested": 0, "quarantined": 0, "duplicate": 0}
    reasons: dict[str, int] = {}
    batches: list[str] = []
    with thinkmill.store() as store:
        for staged in pending_batches(_staging(cfg, thinkmill)):
            rep = commit_batch(store, staged, cfg.dedup if cfg.ingest.dedup else None, cfg.ingest.raw_truncate_chars)
            batches.append(rep.batch)
            for k in totals:
                totals[k] += getattr(rep, k)
            for k, v in {**rep.quarantine_reasons, **rep.duplicate_reasons}.items():
                reasons[k] = reasons.get(k, 0) + v
        n = store.count("tasks")
        preview = store.query("SELECT task_id, source, domain, verifier, prompt, answer, ingest_batch FROM tasks "
                              "ORDER BY created_at DESC, task_id LIMIT 10")
    context.log.info(f"committed batches {batches}: {totals}")
    return dg.MaterializeResult(metadata=table_metadata(
        "tasks", n, preview,
        batches=dg.MetadataValue.text(", ".join(batches) or "-"),
        **{k: dg.MetadataValue.int(v) for k, v in totals.items()},
        reasons=dg.MetadataValue.md(counts_table(reasons)),
    ))


@dg.asset(group_name="ingest", pool="duckdb", deps=[tasks], compute_kind="polars")
def clean_tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Tasks with no overlap with the configured benchmarks (n-gram + fuzzy); hits go to `contamination`."""
    cfg = thinkmill.config()
    benches = load_benchmarks(cfg.decontam.benchmarks, cfg.base_dir)
    with thinkmill.store() as store:
        hits = decontaminate(store, benches, cfg.decontam) if benches else None
        n_clean = store.count("tasks", "task_id NOT IN (SELECT task_id FROM contamination)")
        preview = read_clean_tasks(store, limit=10)
        by_bench = store.query("SELECT benchmark, count(DISTINCT task_id) AS n FROM contamination GROUP BY 1")
        contaminated = store.query("SELECT count(DISTINCT task_id) FROM contamination").item()
    counts = dict(zip(by_bench["benchmark"].to_list(), by_bench["n"].to_list(), strict=True))
    if hits is None:
        context.log.warning("no benchmarks configured (decontam.benchmarks): tasks are not decontaminated")
    return dg.MaterializeResult(metadata=table_metadata(
        "tasks", n_clean, preview,
        contaminated_tasks=dg.MetadataValue.int(int(contaminated)),
        benchmarks=dg.MetadataValue.int(len(benches)),
        by_benchmark=dg.MetadataValue.md(counts_table(counts, key="benchmark")),
    ))
