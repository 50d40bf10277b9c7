"""Materialise the whole graph in process (what `make demo` runs) and summarise the database."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from assets.resources import ThinkmillResource
from pipeline.config import SAMPLE_CONFIG
from pipeline.errors import ThinkmillError
from pipeline.store import Store


def materialize_all(db: Path, config_path: Path | None = None,
                    instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    defs = build_definitions()
    resource = ThinkmillResource(db_path=str(db), config_path=str(config_path or SAMPLE_CONFIG))
    graph = defs.resolve_asset_graph()
    assets = [a for a in graph.assets_defs]
    return dg.materialize(
        assets,
        resources={"thinkmill": resource},
        instance=instance,
        raise_on_error=False,
        tags={"thinkmill/run": "demo"},
    )


def summary(db: Path) -> str:
    with Store.open(db, read_only=True) as store:
        info = store.info()
    lines = [f"thinkmill database {info['path']} (schema v{info['schema_version']})", ""]
    lines += [f"  {name:<18} {n:>8,} rows" for name, n in info["tables"].items()]
    lines += ["", f"latest dataset version: {info['latest_version'] or '-'}"]
    return "\n".join(lines)


def run_demo(db: Path, config_path: Path | None = None) -> str:
    instance = None
    try:
        instance = dg.DagsterInstance.get()  # $DAGSTER_HOME set (the Makefile does): runs show in `make dev`
    except dg.DagsterInvariantViolationError:
        instance = dg.DagsterInstance.ephemeral()
    result = materialize_all(db, config_path, instance)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        errors = [e.event_specific_data.error.message.strip().splitlines()[-1]
                  for e in result.all_events if e.is_step_failure and e.event_specific_data.error]
        raise ThinkmillError(f"demo run failed in steps {failed}: {errors}")
    return summary(db)
