"""Ingest assets: raw_tasks (stage configured sources) -> tasks (dedup + commit) -> clean_tasks (decontaminate).

Keyed by file content and reading settings: `raw_tasks` stages only inputs whose (path, content hash, settings
hash) is not yet in `ingest_files` (nor staged), so a new source file never re-processes old ones and a source
whose mapping or defaults changed is read again; `tasks` commits the staged batches.
"""

from pathlib import Path

import dagster as dg

from assets.metadata import counts_table, data_version, materialized, report_metadata, table_spec
from assets.resources import ThinkmillResource
from pipeline import ingest
from pipeline.config import ThinkmillConfig
from pipeline.ingest import decontam
from pipeline.ingest.api import known_inputs
from pipeline.ingest.decontam import read_clean_tasks
from pipeline.ingest.retire import retired_count


def _staging(cfg: ThinkmillConfig, thinkmill: ThinkmillResource) -> Path:
    return cfg.output_dir(cfg.ingest.staging_dir, thinkmill.db_path, ".thinkmill-staging")


@dg.asset(
    group_name="ingest",
    pool="duckdb",
    kinds={"polars", "duckdb"},
    tags={"stage": "ingest"},
    metadata=table_spec("raw_tasks"),
)
def raw_tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Configured sources read and normalised into staged task rows (new or changed files only)."""
    cfg = thinkmill.config()
    staging = _staging(cfg, thinkmill)
    with thinkmill.store(writes_for=cfg) as store:
        report = ingest.run(store, cfg, phase="stage", staging=staging)
        known = known_inputs(store, staging)  # every input ingested or staged by this run, and how it was read
        version = data_version(None, (), sorted(known, key=str))
        # `ingest_files` rows (keyed by path and content hash) once `tasks` commits what this run staged
        files = len({(path, content_hash) for path, content_hash, _ in known})
    for line in report.summary:
        context.log.info(line)
    return materialized(
        context,
        report_metadata(
            report,
            **{"dagster/row_count": dg.MetadataValue.int(files)},  # input files (rows read: `rows_read`)
            files=dg.MetadataValue.md(counts_table(report.metadata["files"], key="file")),
        ),
        version,
    )


@dg.asset(
    group_name="ingest",
    pool="duckdb",
    deps=[raw_tasks],
    kinds={"duckdb", "polars"},
    tags={"stage": "ingest"},
    metadata=table_spec("tasks"),
)
def tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Staged rows deduplicated (against stored tasks too) and committed: tasks, task_duplicates, quarantine."""
    cfg = thinkmill.config()
    with thinkmill.store(writes_for=cfg) as store:
        report = ingest.run(store, cfg, phase="commit", staging=_staging(cfg, thinkmill))
        n = store.count("tasks")
        preview = store.query(
            "SELECT task_id, source, domain, verifier, prompt, answer, ingest_batch FROM tasks "
            "ORDER BY created_at DESC, task_id LIMIT 10"
        )
        version = data_version(store, ("tasks", "task_duplicates", "quarantine"))
    context.log.info(report.summary[0])
    return materialized(
        context,
        report_metadata(report, "tasks", n, preview, batches=dg.MetadataValue.text(report.metadata["batch"])),
        version,
    )


@dg.asset(
    group_name="ingest",
    pool="duckdb",
    deps=[tasks],
    kinds={"duckdb", "polars"},
    tags={"stage": "ingest"},
    metadata=table_spec("clean_tasks"),
)
def clean_tasks(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    """Tasks with no overlap with the configured benchmarks (n-gram, fuzzy, contained; hits go to `contamination`)
    and not retired (`thinkmill tasks retire`)."""
    cfg = thinkmill.config()
    with thinkmill.store() as store:
        report = decontam.run(store, cfg)
        # neither contaminated nor retired (`thinkmill tasks retire`): what the generate stage reads
        n_clean = store.count(
            "tasks",
            "task_id NOT IN (SELECT task_id FROM contamination) AND task_id NOT IN (SELECT task_id FROM retired_tasks)",
        )
        preview = read_clean_tasks(store, limit=10)
        by_bench = store.query("SELECT benchmark, count(DISTINCT task_id) AS n FROM contamination GROUP BY 1")
        contaminated = store.query("SELECT count(DISTINCT task_id) FROM contamination").item()
        retired = retired_count(store)
        version = data_version(store, ("tasks", "contamination", "retired_tasks"))
    counts = dict(zip(by_bench["benchmark"].to_list(), by_bench["n"].to_list(), strict=True))
    if not report.metadata["benchmarks"]:
        context.log.warning("no benchmarks configured (decontam.benchmarks): tasks are not decontaminated")
    # The run's own counts under their report keys; the table-wide totals under the asset's keys.
    return materialized(
        context,
        report_metadata(
            report,
            "tasks",
            n_clean,
            preview,
            keys={"contaminated": "contaminated_now", "by_benchmark": "by_benchmark_now"},
            contaminated_tasks=dg.MetadataValue.int(int(contaminated)),
            retired_tasks=dg.MetadataValue.int(int(retired)),
            by_benchmark=dg.MetadataValue.md(counts_table(counts, key="benchmark")),
        ),
        version,
    )
