"""Asset checks: the domain checks of `pipeline/checks.py`, wrapped as Dagster asset checks.

Every `pipeline.checks.Check` becomes one asset check on its asset, with the same name (the checks of one asset
are evaluated in one step, a `multi_asset_check`, to save per-step overhead); `blocking`
severity makes it a blocking check (a failure skips every downstream asset of the run), `error` and `warn`
map to Dagster's ERROR and WARN. The wrapper opens the store read-only, runs the check on the latest
version, and renders its plain metadata (tables, counts, problem lists) as Dagster metadata.
Thresholds: `checks:` section of the config; defaults and the full list in docs/operations.md.

`raw_tasks` only stages what it reads; `tasks` commits its quarantine records and `ingest_files` rows. So the
non-blocking checks of `raw_tasks` run after `tasks` (`COMMITTED_BY`) and judge the files of their own run; its
blocking check cannot wait for `tasks`, the asset it gates, and runs right after `raw_tasks`.
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


# asset -> the asset that commits the rows it produced (its checks' tables are written there)
COMMITTED_BY: dict[str, str] = {"raw_tasks": "tasks"}


def _asset_checks(
    asset: str, checks: list[Check], name: str | None = None, after: str | None = None
) -> dg.AssetChecksDefinition:
    """All checks of one asset in one step: one config load and one read-only open of the database instead of
    one step each (a step costs a few hundred ms of events and pool bookkeeping). Each check keeps its own
    name, severity and blocking flag; a subset (one check run from the UI) runs only what was selected.
    `after`: an asset the step waits for in a run that materialises it too."""
    by_key = {dg.AssetCheckKey(dg.AssetKey(asset), c.name): c for c in checks}

    @dg.multi_asset_check(
        name=name or f"{asset}_checks",
        specs=[
            dg.AssetCheckSpec(
                c.name,
                asset=asset,
                description=c.description,
                blocking=c.severity == "blocking",
                additional_deps=[after] if after else None,
            )
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


def _check_steps(asset: str, checks: list[Check]) -> list[dg.AssetChecksDefinition]:
    """One step for the checks of `asset`; two where another asset commits its rows: the blocking checks right
    after `asset` (they gate what runs after it), the others after the committing asset."""
    later = COMMITTED_BY.get(asset)
    if later is None:
        return [_asset_checks(asset, checks)]
    gates = [c for c in checks if c.severity == "blocking"]
    rest = [c for c in checks if c.severity != "blocking"]
    steps = [_asset_checks(asset, gates)] if gates else []
    if rest:
        steps.append(_asset_checks(asset, rest, name=f"{asset}_checks_after_{later}", after=later))
    return steps


CHECKS: list[dg.AssetChecksDefinition] = [
    d for a, cs in _by_asset(list(DOMAIN_CHECKS)).items() for d in _check_steps(a, cs)
]
