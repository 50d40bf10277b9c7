"""Publish the latest dataset version to the Hub, only when `publish.repo` is configured."""

import dagster as dg

from assets.jobs import RETRY_POLICIES
from assets.metadata import report_metadata
from assets.resources import ThinkmillResource
from pipeline.checks import CheckFailedError
from pipeline.dataset.publish import run
from pipeline.dataset.versions import latest_version


@dg.asset(
    group_name="dataset",
    deps=["dataset_card"],
    pool="duckdb",
    retry_policy=RETRY_POLICIES["published_dataset"],
    description="The latest version on the Hub (private by default), tagged with its version id. "
    "Skipped, with metadata saying so, when publish.repo is not set.",
)
def published_dataset(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    repo = cfg.publish.repo
    if not repo:
        context.log.info("publish.repo is not set: nothing published")
        return dg.MaterializeResult(
            metadata={"skipped": dg.MetadataValue.bool(True), "reason": dg.MetadataValue.text("publish.repo not set")}
        )
    with thinkmill.store() as store:
        if latest_version(store) is None:
            raise dg.Failure("no dataset version to publish; materialise dataset_version first")
        try:
            report = run(store, cfg, repo=repo)
        except CheckFailedError as exc:  # a refusal, not a transient fault: retrying cannot change it
            raise dg.Failure(str(exc), allow_retries=False) from None
    return dg.MaterializeResult(
        metadata=report_metadata(
            report, skipped=dg.MetadataValue.bool(False), files=dg.MetadataValue.json(report.metadata["files"])
        )
    )
