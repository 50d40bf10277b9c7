"""Dagster layer of the generate stage: the `generations` asset over `pipeline.generate`.

The asset runs in the `llm` pool, not the `duckdb` one: `run_generation` releases the database file while it
waits on the server and opens it only to commit results, so the DuckDB assets run beside a long generation.
"""


import time

import dagster as dg
from dagster import AssetExecutionContext

from assets.jobs import RETRY_POLICIES
from assets.metadata import counts_table, table_metadata
from assets.resources import LLMBackendResource, ThinkmillResource
from pipeline.generate.runner import GenerationSummary, run_generation

LOG_EVERY_S = 30.0


@dg.asset(
    key="generations",
    deps=["clean_tasks"],
    group_name="generate",
    pool="llm",
    retry_policy=RETRY_POLICIES["generations"],
    description="Hermes 4 responses (think and no-think, k samples) for every clean task, with provenance. "
                "Only requests missing from the cache are sent on a refresh.",
)
def generations(context: AssetExecutionContext, thinkmill: ThinkmillResource,
                llm: LLMBackendResource) -> dg.MaterializeResult:
    config = thinkmill.config()
    backend = llm.make_backend(config, store_path=thinkmill.db_path)
    last = [time.monotonic()]
    started = [time.monotonic()]

    def on_start(s: GenerationSummary) -> None:
        started[0] = time.monotonic()
        context.log.info(f"generate: {s.requested} requests for {s.tasks} tasks; {s.cached} cached, "
                         f"{s.sent} to send via {s.backend}")

    def progress(done: int, errors: int, tokens: int) -> None:
        now = time.monotonic()
        if now - last[0] >= LOG_EVERY_S:
            last[0] = now
            dt = max(now - started[0], 1e-9)
            context.log.info(f"generate: {done} done ({errors} errors), {done / dt:.1f} requests/s, "
                             f"{tokens / dt:.0f} completion tokens/s")

    with thinkmill.store() as store:
        summary = run_generation(store, config, backend=backend, progress=progress, on_start=on_start)
        total = store.count("generations")
        preview = store.query(
            "SELECT key, task_id, mode, sample_index, finish_reason, parse_flags, completion_tokens, error "
            "FROM generations ORDER BY created_at DESC LIMIT 10"
        )
    for line in summary.lines():
        context.log.info(line)
    return dg.MaterializeResult(metadata=table_metadata(
        "generations", total, preview,
        backend=dg.MetadataValue.text(summary.backend),
        model=dg.MetadataValue.text(summary.model),
        requested=dg.MetadataValue.int(summary.requested),
        cache_hits=dg.MetadataValue.int(summary.cached),
        sent=dg.MetadataValue.int(summary.sent),
        succeeded=dg.MetadataValue.int(summary.succeeded),
        errors=dg.MetadataValue.int(summary.errors),
        errors_by_kind=dg.MetadataValue.md(counts_table(summary.errors_by_kind, key="error")),
        new_by_mode=dg.MetadataValue.md(counts_table(summary.by_mode, key="mode")),
        requests_per_s=dg.MetadataValue.float(round(summary.requests_per_s, 2)),
        completion_tokens_per_s=dg.MetadataValue.float(round(summary.tokens_per_s, 1)),
        completion_tokens=dg.MetadataValue.int(summary.completion_tokens),
        elapsed_s=dg.MetadataValue.float(round(summary.elapsed_s, 2)),
        endpoints=dg.MetadataValue.text(", ".join(summary.endpoints) or "-"),
    ))

