"""Asset checks: the domain checks of `pipeline/checks.py`, wrapped as Dagster asset checks.

Every `pipeline.checks.Check` becomes one asset check on its asset, with the same name (the checks of one asset
are evaluated in one step, a `multi_asset_check`, to save per-step overhead); `blocking`
severity makes it a blocking check (a failure skips every downstream asset of the run), `error` and `warn`
map to Dagster's ERROR and WARN. The wrapper opens the store read-only, runs the check on the latest
version, and renders its plain metadata (tables, counts, problem lists) as Dagster metadata.
Thresholds: `checks:` section of the config; defaults and the full list in docs/operations.md.
"""

from collections.abc import Iterator

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


def to_dagster(result: CheckResult, key: dg.AssetCheckKey | None = None) -> dg.AssetCheckResult:
    """A domain check's result as Dagster's; `key` names the check where one step evaluates several."""
    return dg.AssetCheckResult(
        passed=result.passed,
        description=result.description,
        metadata={k: metadata_value(v) for k, v in result.metadata.items()},
        severity=SEVERITY[result.severity],
        asset_key=key.asset_key if key else None,
        check_name=key.name if key else None,
    )


def _asset_checks(asset: str, checks: list[Check]) -> dg.AssetChecksDefinition:
    """All checks of one asset in one step: one config load and one read-only open of the database instead of
    one step each (a step costs a few hundred ms of events and pool bookkeeping). Each check keeps its own
    name, severity and blocking flag; a subset (one check run from the UI) runs only what was selected."""
    by_key = {dg.AssetCheckKey(dg.AssetKey(asset), c.name): c for c in checks}

    @dg.multi_asset_check(
        name=f"{asset}_checks",
        specs=[
            dg.AssetCheckSpec(c.name, asset=asset, description=c.description, blocking=c.severity == "blocking")
            for c in checks
        ],
        can_subset=True,
        pool="duckdb",
    )
    def _run(context: dg.AssetCheckExecutionContext, thinkmill: ThinkmillResource) -> Iterator[dg.AssetCheckResult]:
        cfg = thinkmill.config()
        with thinkmill.store(read_only=True) as store:
            for key in sorted(context.selected_asset_check_keys, key=lambda k: k.name):
                yield to_dagster(by_key[key].run(store, cfg), key)

    return _run


def _by_asset(checks: list[Check]) -> dict[str, list[Check]]:
    grouped: dict[str, list[Check]] = {}
    for c in checks:
        grouped.setdefault(c.asset, []).append(c)
    return grouped


CHECKS: list[dg.AssetChecksDefinition] = [_asset_checks(a, cs) for a, cs in _by_asset(list(DOMAIN_CHECKS)).items()]
