"""Assembles the Dagster definitions: every stage's assets, checks, jobs, schedules and sensors."""

from __future__ import annotations

import importlib
import os

import dagster as dg

from assets.resources import default_resources

STAGE_MODULES = (
    "assets.ingest",
    "assets.generate",
    "assets.verify",
    "assets.dedup",
    "assets.datasets",
    "assets.publish",
)


def _stage_modules() -> list:
    mods = []
    for name in STAGE_MODULES:
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return mods


# Who answers for the pipeline's assets in the UI (a Dagster owner: an email or `team:<name>`).
OWNERS = [o.strip() for o in os.environ.get("THINKMILL_OWNERS", "team:data-curation").split(",") if o.strip()]


def assets_and_checks() -> tuple[list, list]:
    """Every stage's assets and asset checks, without resources bound (for `dg.materialize`)."""
    modules = _stage_modules()
    assets = list(dg.load_assets_from_modules(modules))
    assets = list(dg.map_asset_specs(lambda spec: spec.replace_attributes(owners=spec.owners or OWNERS), assets))
    checks = list(dg.load_asset_checks_from_modules(modules))
    try:
        checks_mod = importlib.import_module("assets.checks")
        checks = [*checks, *dg.load_asset_checks_from_modules([checks_mod])]
    except ModuleNotFoundError as exc:
        if exc.name != "assets.checks":
            raise
    return assets, checks


def build_definitions(resources: dict | None = None) -> dg.Definitions:
    """Every stage's definitions; `resources` overrides the default `thinkmill` and `llm` resources by key."""
    assets, checks = assets_and_checks()
    extra: dict = {"jobs": [], "schedules": [], "sensors": []}
    try:
        jobs_mod = importlib.import_module("assets.jobs")
        extra = {k: list(getattr(jobs_mod, k.upper(), [])) for k in extra}
    except ModuleNotFoundError as exc:
        if exc.name != "assets.jobs":
            raise
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        resources={**default_resources(), **(resources or {})},
        **extra,
    )


defs = build_definitions()
