"""The `thinkmill` command line. Each stage adds its commands from `pipeline/<stage>/cli.py` (`COMMANDS`)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click

from pipeline.store import Store, StoreError, default_db_path, set_default_lock_timeout

STAGE_CLI_MODULES = (
    "pipeline.ingest.cli",
    "pipeline.dedup.cli",
    "pipeline.generate.cli",
    "pipeline.verify.cli",
    "pipeline.dataset.cli",
)

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB file (default: $THINKMILL_DB or data/thinkmill.duckdb).",
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml).",
)


def _set_lock_timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> None:
    if value is not None:  # a group's and its subcommand's option both run: only a given value counts
        set_default_lock_timeout(value)


def lock_timeout_option() -> click.Option:
    """`--lock-timeout SECONDS`: how long to wait for another process's database lock (every --db command)."""
    return click.Option(
        ["--lock-timeout"], type=click.FloatRange(min=0), default=None, expose_value=False,
        callback=_set_lock_timeout, metavar="SECONDS",
        help="Wait this long for a database another process holds (default: $THINKMILL_LOCK_TIMEOUT, else 60).",
    )


def validate_config(config_path: Path | None) -> None:
    """For commands that only read the database: a given --config must exist and be valid."""
    if config_path is not None:
        from pipeline.config import load_config

        load_config(config_path)


class ThinkmillGroup(click.Group):
    """Turns the project's own errors into one clear line and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from pipeline.errors import ThinkmillError

        try:
            return super().invoke(ctx)
        except (StoreError, ThinkmillError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=ThinkmillGroup)
@click.version_option(package_name="thinkmill")
def main() -> None:
    """thinkmill: curate versioned reasoning-trace SFT datasets for Hermes 4."""
    set_default_lock_timeout(None)  # each invocation starts from $THINKMILL_LOCK_TIMEOUT, else 60 s


@main.group()
def db() -> None:
    """Inspect the DuckDB database."""


@db.command("info")
@db_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def db_info(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Schema version, tables and row counts, latest dataset version (needs no config; a given one is checked)."""
    validate_config(config_path)
    with Store.open(db or default_db_path(), read_only=True) as store:
        info = store.info()
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"database:        {info['path']}")
    click.echo(f"schema version:  {info['schema_version']}")
    click.echo(f"latest version:  {info['latest_version'] or '-'}")
    click.echo("tables:")
    for name, n in info["tables"].items():
        click.echo(f"  {name:<18} {n:>10,}")


@main.group()
def schemas() -> None:
    """The data contracts."""


@schemas.command("export")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas/json"))
def schemas_export(out: Path) -> None:
    """Write one JSON Schema file per table (for downstream users)."""
    from schemas.export import write_json_schemas

    for path in write_json_schemas(out):
        click.echo(str(path))


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("thinkmill.yaml"),
              show_default=True, help="File to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(out: Path, force: bool) -> None:
    """Write a commented starter config (./thinkmill.yaml) to edit for your own data and server."""
    from pipeline.config import write_starter_config

    path = write_starter_config(out, force=force)
    click.echo(f"wrote {path}: edit ingest.sources and generate, then run `thinkmill ingest`")


@main.command()
@db_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Config YAML (default: the bundled sample config; the only command that uses it).")
def demo(db: Path | None, config_path: Path | None) -> None:
    """Materialise the whole asset graph on the bundled sample data, then print a summary."""
    from pipeline.demo import run_demo

    summary = run_demo(db or default_db_path(), config_path)
    click.echo(summary)


def _register_stage_commands() -> None:
    for mod_name in STAGE_CLI_MODULES:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name == mod_name:
                continue
            raise
        for cmd in getattr(mod, "COMMANDS", []):
            main.add_command(cmd)


def _commands(group: click.Group) -> list[click.Command]:
    out: list[click.Command] = []
    for cmd in group.commands.values():
        out.append(cmd)
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd))
    return out


def _add_lock_timeout() -> None:
    """Every command that opens the database (has --db) takes --lock-timeout."""
    for cmd in _commands(main):
        names = {p.name for p in cmd.params}
        if "db" in names and "lock_timeout" not in names:
            cmd.params.append(lock_timeout_option())


_register_stage_commands()
_add_lock_timeout()

if __name__ == "__main__":
    main()
