"""Dagster layer of the generate stage: the `generations` asset over `pipeline.generate`.

The asset runs in the `llm` pool, not the `duckdb` one: `run` releases the database file while it
waits on the server and opens it only to commit results, so the DuckDB assets run beside a long generation.
"""

import time

import dagster as dg
from dagster import AssetExecutionContext

from assets.jobs import RETRY_POLICIES
from assets.metadata import report_metadata
from assets.resources import LLMBackendResource, ThinkmillResource
from pipeline.generate.runner import run
from pipeline.report import StageReport

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
def generations(
    context: AssetExecutionContext, thinkmill: ThinkmillResource, llm: LLMBackendResource
) -> dg.MaterializeResult:
    config = thinkmill.config()
    backend = llm.make_backend(config, store_path=thinkmill.db_path)
    last = [time.monotonic()]
    started = [time.monotonic()]

    def on_start(s: StageReport) -> None:
        started[0] = time.monotonic()
        m = s.metadata
        context.log.info(
            f"generate: {m['requested']} requests for {m['tasks']} tasks; {m['cached']} cached, "
            f"{m['sent']} to send via {m['backend']}"
        )

    def progress(done: int, errors: int, tokens: int) -> None:
        now = time.monotonic()
        if now - last[0] >= LOG_EVERY_S:
            last[0] = now
            dt = max(now - started[0], 1e-9)
            context.log.info(
                f"generate: {done} done ({errors} errors), {done / dt:.1f} requests/s, "
                f"{tokens / dt:.0f} completion tokens/s"
            )

    with thinkmill.store() as store:
        report = run(store, config, backend=backend, progress=progress, on_start=on_start)
        total = store.count("generations")
        preview = store.query(
            "SELECT key, task_id, mode, sample_index, finish_reason, parse_flags, completion_tokens, error "
            "FROM generations ORDER BY created_at DESC LIMIT 10"
        )
    for line in report.summary:
        context.log.info(line)
    return dg.MaterializeResult(
        metadata=report_metadata(
            report,
            "generations",
            total,
            preview,
            keys={"cached": "cache_hits", "by_mode": "new_by_mode", "tokens_per_s": "completion_tokens_per_s"},
            endpoints=dg.MetadataValue.text(", ".join(report.metadata["endpoints"]) or "-"),
        )
    )
