"""Assembles the Dagster definitions: every stage's assets, checks, jobs, schedules and sensors.

Stages are imported plainly: a renamed or broken stage module is an import error, never a silent gap in the graph.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dagster as dg

from assets import checks as checks_mod
from assets import datasets, dedup, generate, ingest, jobs, publish, verify
from assets.resources import default_resources

STAGE_MODULES = (ingest, generate, verify, dedup, datasets, publish)

# Who answers for the pipeline's assets in the UI (a Dagster owner: an email or `team:<name>`).
OWNERS = [o.strip() for o in os.environ.get("THINKMILL_OWNERS", "team:data-curation").split(",") if o.strip()]
# Code references: every asset links to its source; with $THINKMILL_GIT_URL (e.g. https://github.com/org/thinkmill)
# the links go to that repository at $THINKMILL_GIT_BRANCH (default main) instead of local files.
GIT_URL_ENV = "THINKMILL_GIT_URL"
GIT_BRANCH_ENV = "THINKMILL_GIT_BRANCH"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def with_code_references(assets: list) -> list:
    with warnings.catch_warnings():  # the code-reference API is marked beta; the UI feature is stable enough
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _with_code_references(assets)


def _with_code_references(assets: list) -> list:
    assets = list(dg.with_source_code_references(assets))
    url = os.environ.get(GIT_URL_ENV, "").strip()
    if not url:
        return assets
    return list(
        dg.link_code_references_to_git(
            assets,
            git_url=url,
            git_branch=os.environ.get(GIT_BRANCH_ENV, "").strip() or "main",
            file_path_mapping=dg.AnchorBasedFilePathMapping(
                local_file_anchor=PROJECT_ROOT, file_anchor_path_in_repository=""
            ),
        )
    )


def assets_and_checks() -> tuple[list, list]:
    """Every stage's assets and asset checks, without resources bound (for `dg.materialize`)."""
    assets = list(dg.load_assets_from_modules(list(STAGE_MODULES)))
    assets = list(dg.map_asset_specs(lambda spec: spec.replace_attributes(owners=spec.owners or OWNERS), assets))
    assets = with_code_references(assets)
    checks = [*dg.load_asset_checks_from_modules(list(STAGE_MODULES)), *dg.load_asset_checks_from_modules([checks_mod])]
    return assets, checks


def build_definitions(resources: dict | None = None) -> dg.Definitions:
    """Every stage's definitions; `resources` overrides the default `thinkmill` and `llm` resources by key."""
    assets, checks = assets_and_checks()
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        resources={**default_resources(), **(resources or {})},
        jobs=list(jobs.JOBS),
        schedules=list(jobs.SCHEDULES),
        sensors=list(jobs.SENSORS),
        executor=jobs.EXECUTOR,  # also what "Materialize all" (the implicit asset job) runs with
    )


defs = build_definitions()
