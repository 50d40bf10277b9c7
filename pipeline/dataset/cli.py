"""`thinkmill build | versions list|show|diff | export | card | publish`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.cli_common import common_options, db_path, echo_json, echo_report, load
from pipeline.store import Store


@click.command("build")
@common_options()
@click.option("--notes", default=None, help="Free-text notes stored with the version.")
def build_cmd(db: Path | None, config_path: Path | None, notes: str | None, as_json: bool) -> None:
    """Build a dataset version from the database (no new version when nothing changed)."""
    from pipeline.checks import build_checked_version
    from pipeline.config import keep_demo_apart

    cfg = load(config_path)
    with Store.open(db_path(db), create=False) as store:
        keep_demo_apart(store, cfg, db_path(db))
        report = build_checked_version(store, cfg, notes=notes)
    echo_report(report, as_json)


@click.group("versions")
def versions() -> None:
    """Dataset versions: list, show, diff (need no config; a given one is checked)."""


@versions.command("list")
@common_options(need="check")
def versions_list(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """All versions, oldest first."""
    load(config_path, "check")
    from pipeline.dataset.versions import list_versions

    with Store.open(db_path(db), read_only=True) as store:
        df = list_versions(store)
    items = [
        {
            "version": r["version_id"],
            "parent": r["parent"],
            "created_at": str(r["created_at"]),
            "rows": json.loads(r["counts"]).get("total"),
            "content_hash": r["content_hash"][:12],
            "notes": r["notes"],
        }
        for r in df.iter_rows(named=True)
    ]
    if as_json:
        echo_json(items)
        return
    if not items:
        click.echo("no versions; run `thinkmill build`")
        return
    click.echo(f"{'version':<9}{'parent':<8}{'rows':>8}  {'hash':<13}created")
    for i in items:
        click.echo(f"{i['version']:<9}{i['parent'] or '-':<8}{i['rows']:>8,}  {i['content_hash']:<13}{i['created_at']}")


@versions.command("show")
@click.argument("version")
@common_options(need="check")
def versions_show(version: str, db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """One version: counts, token totals, balance report, config (always one JSON object)."""
    load(config_path, "check")
    from pipeline.dataset.versions import get_version

    with Store.open(db_path(db), read_only=True) as store:
        echo_json(get_version(store, version))


@versions.command("diff")
@click.argument("old")
@click.argument("new")
@common_options(need="check")
@click.option("--rows", "show_rows", is_flag=True, help="Also list the added, removed and changed rows.")
def versions_diff(
    old: str, new: str, db: Path | None, config_path: Path | None, as_json: bool, show_rows: bool
) -> None:
    """Rows added, removed and changed from OLD to NEW, with counts by domain and mode."""
    load(config_path, "check")
    from pipeline.dataset.versions import diff_versions

    with Store.open(db_path(db), read_only=True) as store:
        d = diff_versions(store, old, new)
    counts = d.counts()
    if show_rows:
        counts["rows"] = {"added": d.added.to_dicts(), "removed": d.removed.to_dicts(), "changed": d.changed.to_dicts()}
    if as_json:
        echo_json(counts)
        return
    click.echo(
        f"{old} -> {new}: +{d.added.height} added, -{d.removed.height} removed, "
        f"~{d.changed.height} changed, {d.unchanged} unchanged"
    )
    for kind in ("added", "removed", "changed"):
        for domain, modes in counts[f"{kind}_by_domain_mode"].items():
            click.echo(f"  {kind:<8} {domain:<24} " + "  ".join(f"{m}={n}" for m, n in modes.items()))
    if show_rows:
        for kind in ("added", "removed", "changed"):
            for r in counts["rows"][kind]:
                click.echo(f"  {kind[0]} {r['generation_key']} {r['mode']} {r['domain']}")


@click.command("export")
@click.option("--version", "version", required=True, help="Version id, e.g. v3.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["messages", "sharegpt", "text", "dpo"]),
    default="messages",
    show_default=True,
    help="dpo: preference pairs per task and mode (chosen passing, rejected failing trace).",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option(
    "--file-format",
    "file_formats",
    type=click.Choice(["parquet", "jsonl"]),
    multiple=True,
    help="Files to write (default: both).",
)
@click.option(
    "--reasoning-field",
    "reasoning_field",
    type=click.Choice(["inline", "reasoning_content", "thinking"]),
    default="inline",
    show_default=True,
    help="Where a think row's think text goes (messages format): inline in content (Hermes 4's shape), or "
    "a separate key of the assistant message with the answer alone in content.",
)
@click.option(
    "--template-out",
    "template_out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the Hermes 4 training chat template of the version's model (chat_template.jinja, "
    "with {% generation %} markers for assistant-only loss) to this folder.",
)
@click.option(
    "--drop-quoted-think-close",
    "drop_quoted_think_close",
    is_flag=True,
    help="messages and dpo: leave out the rows (pairs) whose assistant turn quotes `</think>` beyond its think "
    "block, which templates splitting content at `</think>` (Qwen3-style) would train cut.",
)
@common_options()
def export_cmd(
    version: str,
    fmt: str,
    out: Path,
    file_formats: tuple[str, ...],
    reasoning_field: str,
    template_out: Path | None,
    drop_quoted_think_close: bool,
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
) -> None:
    """Write a version for a training recipe (Parquet and JSONL per split)."""
    from pipeline.dataset.export import run

    cfg = load(config_path)
    with Store.open(db_path(db), read_only=True) as store:
        report = run(
            store,
            cfg,
            version=version,
            fmt=fmt,
            out=out,  # type: ignore[arg-type]
            file_formats=file_formats or ("parquet", "jsonl"),
            reasoning_field=reasoning_field,  # type: ignore[arg-type]
            template_out=template_out,
            drop_quoted_think_close=drop_quoted_think_close,
        )
    echo_report(report, as_json)


@click.command("card")
@click.option("--version", "version", required=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder (default: publish.card_dir/<version>; cards/<version> beside the database when unset).",
)
@common_options()
def card_cmd(version: str, out: Path | None, db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Write a version's dataset card (README.md and figures)."""
    from pipeline.dataset.card import write_card
    from pipeline.dataset.publish import pretty_name_for

    cfg = load(config_path)
    path = db_path(db)
    target = out or cfg.output_dir(cfg.publish.card_dir, path, "cards") / version
    with Store.open(path, read_only=True) as store:
        paths = write_card(
            store,
            version,
            target,
            pretty_name=pretty_name_for(cfg, cfg.publish.repo),
            tags=cfg.publish.tags,
            repo=cfg.publish.repo,
        )
    if as_json:
        echo_json({"version": version, "files": [str(p) for p in paths]})
        return
    for p in paths:
        click.echo(str(p))


@click.command("publish")
@click.option("--version", "version", required=True)
@click.option("--repo", default=None, help="Hub dataset repo ORG/NAME (default: publish.repo).")
@click.option(
    "--to-dir",
    "to_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write exactly what would be uploaded to this folder instead.",
)
@click.option("--public", is_flag=True, help="Create the repo public (default: private).")
@click.option("--endpoint", default=None, help="Hub endpoint (default: publish.endpoint, $HF_ENDPOINT).")
@click.option(
    "--move-main",
    "move_main",
    is_flag=True,
    help="Point main at this version: one older than a version already in the repo (refused without), or one "
    "already tagged while main holds another.",
)
@common_options()
def publish_cmd(
    version: str,
    repo: str | None,
    to_dir: Path | None,
    public: bool,
    endpoint: str | None,
    move_main: bool,
    db: Path | None,
    config_path: Path | None,
    as_json: bool,
) -> None:
    """Upload a version (Parquet shards, card, figures) to the Hub and tag it with the version id."""
    from pipeline.dataset.publish import run

    cfg = load(config_path)
    with Store.open(db_path(db), read_only=to_dir is not None, create=False) as store:
        report = run(
            store,
            cfg,
            version=version,
            repo=repo,
            endpoint=endpoint,
            private=False if public else None,
            to_dir=to_dir,
            move_main=move_main,
        )
    echo_report(report, as_json)


COMMANDS = [build_cmd, versions, export_cmd, card_cmd, publish_cmd]
