"""The one CLI layer every `thinkmill` command is built with.

Gives every database command the same `--db`, `--config`, `--json` and `--lock-timeout` options (`common_options`),
loads the config through the one loader (`pipeline.config.config_for`), prints a `StageReport` with one renderer
(`echo_report`), and turns the project's own errors into one line `error: ...` and exit code 1 (`ThinkmillGroup`;
with `--json`, also `{"error": ...}` on stdout).
Click's own usage errors (an unknown option, a missing argument, a bad choice) keep click's exit code 2.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline.errors import ThinkmillError
from pipeline.report import StageReport
from pipeline.store import StoreError, default_db_path, set_default_lock_timeout

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = "DuckDB file (default: $THINKMILL_DB or data/thinkmill.duckdb)."
CONFIG_HELP = {
    "required": "Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml; required).",
    "defaults": "Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml, else built-in defaults).",
    "check": "Config YAML (not needed; a given one must exist and be valid).",
}


class UsageError(ThinkmillError):
    """A command was given a combination of arguments it cannot use; printed as one line, exit 1."""


def _set_lock_timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> None:
    if value is not None:  # a group's and its subcommand's option both run: only a given value counts
        set_default_lock_timeout(value)


def db_option(f: F) -> F:
    return click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=DB_HELP)(f)


def lock_timeout_option(f: F) -> F:
    """`--lock-timeout SECONDS`: how long to wait for another process's database lock."""
    return click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=None,
        expose_value=False,
        callback=_set_lock_timeout,
        metavar="SECONDS",
        help="Wait this long for a database another process holds (default: $THINKMILL_LOCK_TIMEOUT, else 60).",
    )(f)


def config_option(need: str = "required", help: str | None = None) -> Callable[[F], F]:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help or CONFIG_HELP[need],
    )


JSON_META = "thinkmill.json"  # set in the context's meta (shared by every nested context) when --json was given
JSON_STDOUT = "thinkmill.json_stdout"  # the real stdout while a --json command runs (`_note_json`)


def _note_json(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[JSON_META] = True
        # `--json` promises one JSON object on stdout: what else the run prints there (Ray prints a dead worker's
        # messages to stdout, a library its own lines) goes to stderr until the command ends; the object goes to
        # the real stdout (`json_stdout`). An error's object is printed after the command, to stdout as restored.
        ctx.meta[JSON_STDOUT] = sys.stdout
        ctx.with_resource(contextlib.redirect_stdout(sys.stderr))
    return value


def json_stdout() -> Any:
    """The stream a `--json` command's one object goes to: the real stdout (None: click's default)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(JSON_STDOUT) if ctx is not None else None


def json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, callback=_note_json, help="Print one JSON object (an error too)."
    )(f)


def common_options(*, need: str = "required", config_help: str | None = None, db: bool = True) -> Callable[[F], F]:
    """`--db` (with `--lock-timeout`), `--config` and `--json`, the same on every command.

    The command receives `db`, `config_path` and `as_json`; `need` documents what a missing config means
    (see `pipeline.config.config_for`). `db=False` only for commands that open no database (file commands)."""

    def deco(f: F) -> F:
        f = json_option(f)
        f = config_option(need, config_help)(f)
        if db:
            f = lock_timeout_option(f)
            f = db_option(f)
        return f

    return deco


def executor_option(f: F) -> F:
    """`--executor local|ray`: where the stage's heavy work runs (default: the config's `executor.kind`)."""
    return click.option(
        "--executor",
        type=click.Choice(["local", "ray"]),
        default=None,
        help="Run here (local) or on a Ray cluster (ray; see docs/scale.md). Default: the config's executor.kind.",
    )(f)


def with_executor(cfg: Any, kind: str | None) -> Any:
    """The config with `executor.kind` set to `kind` (unchanged when None)."""
    if kind is None:
        return cfg
    return cfg.model_copy(update={"executor": cfg.executor.model_copy(update={"kind": kind})})


def db_path(db: Path | None) -> Path:
    return db or default_db_path()


def load(config_path: Path | None, need: str = "required") -> Any:
    """The config for a command (`pipeline.config.config_for`): the one loader."""
    from pipeline.config import config_for

    return config_for(config_path, need)


def echo_report(report: StageReport, as_json: bool) -> None:
    """The one renderer: `--json` prints the report as one JSON object, else its readable form."""
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2), file=json_stdout())
    else:
        click.echo(report.render())


def echo_json(obj: object) -> None:
    click.echo(json.dumps(obj, indent=2, default=str), file=json_stdout())


class ThinkmillGroup(click.Group):
    """Turns the project's own errors into one clear line and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (StoreError, ThinkmillError) as exc:
            if ctx.meta.get(JSON_META):  # `--json` promises one JSON object on stdout, an error's too
                click.echo(json.dumps({"error": str(exc)}))
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
