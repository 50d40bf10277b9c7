"""Publish the latest dataset version to the Hub, only when `publish.repo` is configured."""

import dagster as dg

from assets.jobs import RETRY_POLICIES
from assets.resources import ThinkmillResource
from pipeline.dataset.publish import publish_version
from pipeline.dataset.versions import latest_version


@dg.asset(group_name="dataset", deps=["dataset_card"], pool="duckdb", retry_policy=RETRY_POLICIES["published_dataset"],
          description="The latest version on the Hub (private by default), tagged with its version id. "
                      "Skipped, with metadata saying so, when publish.repo is not set.")
def published_dataset(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    repo = cfg.publish.repo
    if not repo:
        context.log.info("publish.repo is not set: nothing published")
        return dg.MaterializeResult(metadata={"skipped": dg.MetadataValue.bool(True),
                                              "reason": dg.MetadataValue.text("publish.repo not set")})
    with thinkmill.store() as store:
        version = latest_version(store)
        if version is None:
            raise dg.Failure("no dataset version to publish; materialise dataset_version first")
        res = publish_version(store, version, repo, cfg)
    return dg.MaterializeResult(metadata={
        "skipped": dg.MetadataValue.bool(False),
        "version": dg.MetadataValue.text(version),
        "repo": dg.MetadataValue.text(repo),
        "tag": dg.MetadataValue.text(res.tag),
        "revision": dg.MetadataValue.text(res.revision or ""),
        "changed": dg.MetadataValue.bool(res.changed),
        "files": dg.MetadataValue.json(res.files),
    })
