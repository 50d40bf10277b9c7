"""Trace selection asset: after verification, drop near-duplicate traces and cap traces per task and mode."""

import dagster as dg

from assets.metadata import counts_table, data_version, materialized, report_metadata, table_spec
from assets.resources import ThinkmillResource
from pipeline.dedup.select import run


@dg.asset(
    group_name="dedup",
    deps=["verdicts"],
    pool="duckdb",
    kinds={"duckdb", "polars"},
    tags={"stage": "dedup"},
    metadata=table_spec("selected_traces"),
    description="Per task and mode: passing traces kept for the dataset (near duplicates removed, at most "
    "m per task); every other passing trace keeps its reason in `trace_selection`.",
)
def selected_traces(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    with thinkmill.store() as store:
        report = run(store, thinkmill.config())
        n = store.count("trace_selection", "selected")
        considered = store.count("trace_selection")
        preview = store.read(
            "trace_selection",
            columns=["generation_key", "task_id", "mode", "selected", "reason", "cluster_id", "tokens"],
        ).head(10)
        version = data_version(store, ("trace_selection",))
    context.log.info(report.summary[0])
    m = report.metadata
    return materialized(
        context,
        report_metadata(
            report,
            "trace_selection",
            n,
            preview,
            keys={
                "duplicates": "duplicates_found",
                "by_reason": "dropped_by_reason",
                "tokens_saved": "tokens_saved_by_reason",
            },
            cluster_size_histogram=dg.MetadataValue.md(counts_table(m["cluster_size_histogram"], key="cluster size")),
            tokens_saved=dg.MetadataValue.int(sum(m["tokens_saved"].values())),
            traces_considered=dg.MetadataValue.int(considered),
            dropped_by_reason=dg.MetadataValue.md(
                counts_table({r: k for r, k in m["by_reason"].items() if r != "selected"})
            ),
        ),
        version,
    )
