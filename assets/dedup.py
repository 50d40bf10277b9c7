"""Trace selection asset: after verification, drop near-duplicate traces and cap traces per task and mode."""

import dagster as dg

from assets.metadata import counts_table, table_metadata
from assets.resources import ThinkmillResource
from pipeline.dedup.select import select_and_store


@dg.asset(group_name="dedup", deps=["verdicts"], pool="duckdb",
          description="Per task and mode: passing traces kept for the dataset (near duplicates removed, at most "
                      "m per task); every other passing trace keeps its reason in `trace_selection`.")
def selected_traces(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    with thinkmill.store() as store:
        selection, summary = select_and_store(store, cfg.select, cfg.dedup)
    context.log.info(
        f"{summary['selected']} of {summary['rows']} passing traces selected; "
        f"{summary['duplicates']} near/exact duplicates"
    )
    preview = selection.select("generation_key", "task_id", "mode", "selected", "reason", "cluster_id", "tokens")
    return dg.MaterializeResult(metadata=table_metadata(
        "trace_selection", selection.height, preview,
        selected=dg.MetadataValue.int(summary["selected"]),
        duplicates_found=dg.MetadataValue.int(summary["duplicates"]),
        dropped_by_reason=dg.MetadataValue.md(counts_table(summary["by_reason"])),
        cluster_size_histogram=dg.MetadataValue.md(counts_table(summary["cluster_size_histogram"],
                                                                key="cluster size")),
        tokens_selected=dg.MetadataValue.int(summary["tokens_selected"]),
        tokens_saved=dg.MetadataValue.int(sum(summary["tokens_saved"].values())),
        tokens_saved_by_reason=dg.MetadataValue.md(counts_table(summary["tokens_saved"])),
    ))
