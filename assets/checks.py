"""Asset checks: the domain checks of `pipeline/checks.py`, wrapped as Dagster asset checks.

Every `pipeline.checks.Check` becomes one `@asset_check` on its asset, with the same name; `blocking`
severity makes it a blocking check (a failure skips every downstream asset of the run), `error` and `warn`
map to Dagster's ERROR and WARN. The wrapper opens the store read-only, runs the check on the latest
version, and renders its plain metadata (tables, counts, problem lists) as Dagster metadata.
Thresholds: `checks:` section of the config; defaults and the full list in docs/operations.md.
"""

from __future__ import annotations

import dagster as dg

from assets.metadata import metadata_value
from assets.resources import ThinkmillResource
from pipeline.checks import ASSET_TABLES, Check, CheckResult
from pipeline.checks import CHECKS as DOMAIN_CHECKS

__all__ = ["ASSET_TABLES", "CHECKS", "metadata_value", "to_dagster"]

SEVERITY = {
    "blocking": dg.AssetCheckSeverity.ERROR,
    "error": dg.AssetCheckSeverity.ERROR,
    "warn": dg.AssetCheckSeverity.WARN,
}


def to_dagster(result: CheckResult) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=result.passed,
        description=result.description,
        metadata={k: metadata_value(v) for k, v in result.metadata.items()},
        severity=SEVERITY[result.severity],
    )


def _asset_check(check: Check) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(check.asset),
        name=check.name,
        description=check.description,
        blocking=check.severity == "blocking",
        pool="duckdb",
    )
    def _run(thinkmill: ThinkmillResource) -> dg.AssetCheckResult:
        cfg = thinkmill.config()
        with thinkmill.store(read_only=True) as store:
            return to_dagster(check.run(store, cfg))

    return _run


CHECKS: list[dg.AssetChecksDefinition] = [_asset_check(c) for c in DOMAIN_CHECKS]
