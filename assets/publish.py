"""Publish the latest dataset version to the Hub, only when `publish.repo` is configured.

Without `publish.repo` the step succeeds but materialises nothing: the asset keeps its last real publication
(or shows "Never materialized"), the run's log says publishing was skipped, and the asset's checks do not run
on a table nothing was written to. A green materialisation always means a version went to the Hub.
"""

from collections.abc import Iterator

import dagster as dg

from assets.jobs import RETRY_POLICIES
from assets.metadata import data_version, materialized, report_metadata, table_spec
from assets.resources import ThinkmillResource
from pipeline.checks import CheckFailedError
from pipeline.dataset.publish import run
from pipeline.dataset.versions import latest_version


@dg.asset(
    group_name="dataset",
    deps=["dataset_card"],
    pool="duckdb",
    retry_policy=RETRY_POLICIES["published_dataset"],
    kinds={"huggingface", "duckdb"},
    tags={"stage": "publish"},
    metadata=table_spec("published_dataset"),
    output_required=False,
    description="The latest version on the Hub (private by default), tagged with its version id. "
    "Not materialised (the step logs `skipped`) when publish.repo is not set.",
)
def published_dataset(
    context: dg.AssetExecutionContext, thinkmill: ThinkmillResource
) -> Iterator[dg.MaterializeResult]:
    cfg = thinkmill.config()
    repo = cfg.publish.repo
    if not repo:
        context.log.info("published_dataset: skipped, publish.repo is not set (nothing published, no materialization)")
        return
    with thinkmill.store() as store:
        if latest_version(store) is None:
            raise dg.Failure("no dataset version to publish; materialise dataset_version first")
        try:
            report = run(store, cfg, repo=repo)
        except CheckFailedError as exc:  # a refusal, not a transient fault: retrying cannot change it
            raise dg.Failure(str(exc), allow_retries=False) from None
        version = data_version(store, ("publications",))
    yield materialized(
        context,
        report_metadata(
            report,
            status=dg.MetadataValue.text("published"),
            files=dg.MetadataValue.json(report.metadata["files"]),
        ),
        version,
    )
