"""Materialise the whole graph in process (what `make demo` runs) and summarise the database."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from assets.definitions import assets_and_checks
from assets.resources import ThinkmillResource, default_resources
from assets.verify import DEMO_RUN_TAG
from pipeline.config import SAMPLE_CONFIG
from pipeline.errors import ThinkmillError
from pipeline.store import Store, default_lock_timeout


def materialize_all(
    db: Path,
    config_path: Path | None = None,
    instance: dg.DagsterInstance | None = None,
    lock_timeout_s: float | None = None,
) -> dg.ExecuteInProcessResult:
    resource = ThinkmillResource(
        db_path=str(db),
        config_path=str(config_path or SAMPLE_CONFIG),
        **({} if lock_timeout_s is None else {"lock_timeout_s": lock_timeout_s}),
    )
    assets, checks = assets_and_checks()
    return dg.materialize(
        [*assets, *checks],
        resources={**default_resources(), "thinkmill": resource},
        # step-by-step DEBUG events go to the Dagster instance (the UI), not the terminal
        run_config={
            "loggers": {"console": {"config": {"log_level": os.environ.get("THINKMILL_LOG_LEVEL", "WARNING")}}}
        },
        instance=instance,
        raise_on_error=False,
        tags=dict([DEMO_RUN_TAG]),  # lets the verdicts asset go on without a sandbox (code:sandbox_unavailable)
    )


def summary(db: Path) -> str:
    with Store.open(db, read_only=True) as store:
        info = store.info()
        unrun = store.fetchone("SELECT count(*) FROM verdicts WHERE verifier_version LIKE '%+sandbox_unavailable'")[0]  # type: ignore[index]
    lines = [f"thinkmill database {info['path']} (schema v{info['schema_version']})", ""]
    width = max(map(len, info["tables"]), default=0)
    lines += [f"  {name:<{width}} {n:>8,} rows" for name, n in info["tables"].items()]
    lines += ["", f"latest dataset version: {info['latest_version'] or '-'}"]
    if unrun:
        lines += [
            "",
            f"note: {unrun} code traces were not run (verdict code:sandbox_unavailable): bubblewrap is "
            "missing or unusable; to enable the sandbox: apt-get install bubblewrap (Debian/Ubuntu), "
            "then run the demo again",
        ]
    return "\n".join(lines)


def _step_error(event: dg.DagsterEvent) -> str:
    """The one line that says why a step failed: a Failure's description, else the innermost error's message."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    err = data.error
    while err is not None and err.cause is not None:
        err = err.cause
    return err.message.strip().splitlines()[-1] if err is not None else "unknown error"


def run_demo(db: Path, config_path: Path | None = None, lock_timeout_s: float | None = None) -> str:
    """`lock_timeout_s`: how long to wait for a database another process holds (None: the CLI's default)."""
    # With $DAGSTER_HOME set (the Makefile sets it) the run is recorded there and shows in `make dev`.
    home = os.environ.get("DAGSTER_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)  # a fresh $DAGSTER_HOME is made, not a traceback
    instance = dg.DagsterInstance.get() if home else dg.DagsterInstance.ephemeral()
    result = materialize_all(
        db, config_path, instance, default_lock_timeout() if lock_timeout_s is None else lock_timeout_s
    )
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        errors = [_step_error(e) for e in result.all_events if e.is_step_failure]
        raise ThinkmillError(f"demo run failed in steps {failed}: {errors}")
    return summary(db)
