"""Dagster layer of the generate stage: the `generations` asset over `pipeline.generate`.

The asset runs in the `llm` pool, not the `duckdb` one: `run` releases the database file while it
waits on the server and opens it only to commit results, so the DuckDB assets run beside a long generation.
"""

import time

import dagster as dg
from dagster import AssetExecutionContext

from assets.jobs import RETRY_POLICIES
from assets.metadata import data_version, materialized, report_metadata, table_spec
from assets.resources import LLMBackendResource, ThinkmillResource
from pipeline.config import ConfigError
from pipeline.generate.backends.base import (
    BackendUnavailableError,
    BatchFileError,
    SamplingConfigError,
    UnknownModelError,
)
from pipeline.generate.runner import run
from pipeline.generate.targets import TargetError
from pipeline.report import StageReport

LOG_EVERY_S = 30.0
PENDING_CHECK = "no_pending_requests"
# Errors a retry cannot change (the config, a sampling setting, the batch output file, a missing engine, a model the
# server does not serve): the step fails at once with their one line. A server that stopped answering, or any other
# fault, is retried.
USER_ERRORS = (
    ConfigError,
    SamplingConfigError,
    TargetError,
    BatchFileError,
    BackendUnavailableError,
    UnknownModelError,
)


@dg.asset(
    key="generations",
    deps=["clean_tasks"],
    group_name="generate",
    pool="llm",
    kinds={"duckdb", "openai"},
    tags={"stage": "generate"},
    metadata=table_spec("generations"),
    retry_policy=RETRY_POLICIES["generations"],
    description="Hermes 4 responses (think and no-think, k samples) for every clean task, with provenance. "
    "Only requests missing from the cache are sent on a refresh.",
    check_specs=[
        dg.AssetCheckSpec(
            PENDING_CHECK,
            asset="generations",
            description="Warns while requests wait in a batch request file for answers (run the file, then set "
            "generate.batch_output to its output and materialise again).",
        )
    ],
)
def generations(
    context: AssetExecutionContext, thinkmill: ThinkmillResource, llm: LLMBackendResource
) -> dg.MaterializeResult:
    try:
        return _generate(context, thinkmill, llm)
    except USER_ERRORS as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from None


def _generate(
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

    with thinkmill.store(writes_for=config) as store:
        report = run(store, config, backend=backend, progress=progress, on_start=on_start)
        total = store.count("generations")
        preview = store.query(
            "SELECT key, task_id, mode, sample_index, finish_reason, parse_flags, completion_tokens, error "
            "FROM generations ORDER BY created_at DESC LIMIT 10"
        )
        version = data_version(store, ("generations",))
    for line in report.summary:
        context.log.info(line)
    m = report.metadata
    pending = int(m.get("batch_unanswered") or 0)
    pending_file = m.get("batch_request_file")
    metadata = report_metadata(
        report,
        "generations",
        total,
        preview,
        keys={
            "cached": "cache_hits",
            "by_mode": "new_by_mode",
            "tokens_per_s": "completion_tokens_per_s",
            "batch_unmatched": "batch_output_unmatched",
        },
        endpoints=dg.MetadataValue.text(", ".join(m["endpoints"]) or "-"),
    )
    for key in ("batch_unanswered", "batch_request_file"):  # shown as pending_requests / pending_request_file
        metadata.pop(key, None)
    metadata["pending_requests"] = dg.MetadataValue.int(pending)
    if pending_file:
        metadata["pending_request_file"] = dg.MetadataValue.path(pending_file)
    check = dg.AssetCheckResult(
        check_name=PENDING_CHECK,
        passed=pending == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{pending} requests wait for answers in {pending_file}" if pending else "no request pending",
        metadata={"pending_requests": dg.MetadataValue.int(pending)}
        | ({"pending_request_file": dg.MetadataValue.path(pending_file)} if pending_file else {}),
    )
    selected = dg.AssetCheckKey(dg.AssetKey("generations"), PENDING_CHECK) in context.selected_asset_check_keys
    return materialized(context, metadata, version, [check] if selected else [])
