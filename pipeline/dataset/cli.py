"""`thinkmill build | versions list|show|diff | export | card | publish`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.store import Store, default_db_path

db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="DuckDB file (default: $THINKMILL_DB or data/thinkmill.duckdb).")
config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                             default=None,
                             help="Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml; required, "
                                  "except for `versions`, which only checks a given one).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def _dump(obj: object) -> str:
    return json.dumps(obj, indent=2, default=str)


@click.command("build")
@db_option
@config_option
@click.option("--notes", default=None, help="Free-text notes stored with the version.")
@json_option
def build_cmd(db: Path | None, config_path: Path | None, notes: str | None, as_json: bool) -> None:
    """Build a dataset version from the database (no new version when nothing changed)."""
    from pipeline.checks import build_checked_version
    from pipeline.config import load_config

    cfg = load_config(config_path)
    with Store.open(db or default_db_path()) as store:
        res = build_checked_version(store, cfg, notes=notes)
    if as_json:
        click.echo(_dump({"version": res.version_id, "created": res.created, "rows": res.rows,
                          "content_hash": res.content_hash, "stats": res.stats}))
        return
    overall = res.stats.get("overall", {})
    if res.created:
        click.echo(f"built {res.version_id} ({res.rows:,} rows, parent {res.parent or '-'})")
    else:
        click.echo(f"no change: content equals {res.version_id}; no new version")
    click.echo(f"think share: rows {overall.get('think_share_rows')} tokens {overall.get('think_share_tokens')} "
               f"(target {overall.get('target')} by {res.stats.get('target_unit')})")


@click.group("versions")
def versions() -> None:
    """Dataset versions: list, show, diff."""


def _validate_config(config_path: Path | None) -> None:
    """Commands that only read the database need no config; a given one must exist and be valid."""
    if config_path is not None:
        from pipeline.config import load_config

        load_config(config_path)


@versions.command("list")
@db_option
@config_option
@json_option
def versions_list(db: Path | None, config_path: Path | None, as_json: bool) -> None:
    """All versions, oldest first."""
    _validate_config(config_path)
    from pipeline.dataset.versions import list_versions

    with Store.open(db or default_db_path(), read_only=True) as store:
        df = list_versions(store)
    items = [{"version": r["version_id"], "parent": r["parent"], "created_at": str(r["created_at"]),
              "rows": json.loads(r["counts"]).get("total"), "content_hash": r["content_hash"][:12],
              "notes": r["notes"]} for r in df.iter_rows(named=True)]
    if as_json:
        click.echo(_dump(items))
        return
    if not items:
        click.echo("no versions; run `thinkmill build`")
        return
    click.echo(f"{'version':<9}{'parent':<8}{'rows':>8}  {'hash':<13}created")
    for i in items:
        click.echo(f"{i['version']:<9}{i['parent'] or '-':<8}{i['rows']:>8,}  {i['content_hash']:<13}{i['created_at']}")


@versions.command("show")
@click.argument("version")
@db_option
@config_option
def versions_show(version: str, db: Path | None, config_path: Path | None) -> None:
    """One version: counts, token totals, balance report, config (JSON)."""
    _validate_config(config_path)
    from pipeline.dataset.versions import get_version

    with Store.open(db or default_db_path(), read_only=True) as store:
        click.echo(_dump(get_version(store, version)))


@versions.command("diff")
@click.argument("old")
@click.argument("new")
@db_option
@config_option
@json_option
@click.option("--rows", "show_rows", is_flag=True, help="Also list the added, removed and changed rows.")
def versions_diff(old: str, new: str, db: Path | None, config_path: Path | None, as_json: bool,
                  show_rows: bool) -> None:
    """Rows added, removed and changed from OLD to NEW, with counts by domain and mode."""
    _validate_config(config_path)
    from pipeline.dataset.versions import diff_versions

    with Store.open(db or default_db_path(), read_only=True) as store:
        d = diff_versions(store, old, new)
    counts = d.counts()
    if show_rows:
        counts["rows"] = {"added": d.added.to_dicts(), "removed": d.removed.to_dicts(),
                          "changed": d.changed.to_dicts()}
    if as_json:
        click.echo(_dump(counts))
        return
    click.echo(f"{old} -> {new}: +{d.added.height} added, -{d.removed.height} removed, "
               f"~{d.changed.height} changed, {d.unchanged} unchanged")
    for kind in ("added", "removed", "changed"):
        for domain, modes in counts[f"{kind}_by_domain_mode"].items():
            click.echo(f"  {kind:<8} {domain:<24} " + "  ".join(f"{m}={n}" for m, n in modes.items()))
    if show_rows:
        for kind in ("added", "removed", "changed"):
            for r in counts["rows"][kind]:
                click.echo(f"  {kind[0]} {r['generation_key']} {r['mode']} {r['domain']}")


@click.command("export")
@click.option("--version", "version", required=True, help="Version id, e.g. v3.")
@click.option("--format", "fmt", type=click.Choice(["messages", "sharegpt", "text", "dpo"]),
              default="messages", show_default=True,
              help="dpo: preference pairs per task and mode (chosen passing, rejected failing trace).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--file-format", "file_formats", type=click.Choice(["parquet", "jsonl"]), multiple=True,
              help="Files to write (default: both).")
@click.option("--reasoning-field", "reasoning_field", type=click.Choice(["inline", "reasoning_content", "thinking"]),
              default="inline", show_default=True,
              help="Where a think row's think text goes (messages format): inline in content (Hermes 4's shape), or "
                   "a separate key of the assistant message with the answer alone in content.")
@click.option("--template-out", "template_out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the Hermes 4 training chat template of the version's model (chat_template.jinja, "
                   "with {% generation %} markers for assistant-only loss) to this folder.")
@db_option
@config_option
def export_cmd(version: str, fmt: str, out: Path, file_formats: tuple[str, ...], reasoning_field: str,
               template_out: Path | None, db: Path | None, config_path: Path | None) -> None:
    """Write a version for a training recipe (Parquet and JSONL per split)."""
    from pipeline.config import load_config
    from pipeline.dataset.export import export_version, write_training_template

    cfg = load_config(config_path)
    with Store.open(db or default_db_path(), read_only=True) as store:
        paths = export_version(store, version, fmt, out, cfg, file_formats or ("parquet", "jsonl"),  # type: ignore[arg-type]
                               reasoning_field=reasoning_field)  # type: ignore[arg-type]
        if template_out is not None:
            paths.append(write_training_template(store, version, template_out, cfg))
    for p in paths:
        click.echo(str(p))


@click.command("card")
@click.option("--version", "version", required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder (default: publish.card_dir/<version>; cards/<version> beside the database when unset).")
@db_option
@config_option
def card_cmd(version: str, out: Path | None, db: Path | None, config_path: Path | None) -> None:
    """Write a version's dataset card (README.md and figures)."""
    from pipeline.config import load_config
    from pipeline.dataset.card import write_card
    from pipeline.dataset.publish import pretty_name_for

    cfg = load_config(config_path)
    db_path = db or default_db_path()
    target = out or cfg.output_dir(cfg.publish.card_dir, db_path, "cards") / version
    with Store.open(db_path, read_only=True) as store:
        for p in write_card(store, version, target, pretty_name=pretty_name_for(cfg, cfg.publish.repo),
                            tags=cfg.publish.tags, repo=cfg.publish.repo):
            click.echo(str(p))


@click.command("publish")
@click.option("--version", "version", required=True)
@click.option("--repo", default=None, help="Hub dataset repo ORG/NAME (default: publish.repo).")
@click.option("--to-dir", "to_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write exactly what would be uploaded to this folder instead.")
@click.option("--public", is_flag=True, help="Create the repo public (default: private).")
@click.option("--endpoint", default=None, help="Hub endpoint (default: publish.endpoint, $HF_ENDPOINT).")
@db_option
@config_option
def publish_cmd(version: str, repo: str | None, to_dir: Path | None, public: bool, endpoint: str | None,
                db: Path | None, config_path: Path | None) -> None:
    """Upload a version (Parquet shards, card, figures) to the Hub and tag it with the version id."""
    from pipeline.config import load_config
    from pipeline.dataset.errors import PublishError
    from pipeline.dataset.publish import bundle, pretty_name_for, publish_version, write_to_dir

    cfg = load_config(config_path)
    repo = repo or cfg.publish.repo
    if to_dir is not None:
        with Store.open(db or default_db_path(), read_only=True) as store:
            files = bundle(store, version, pretty_name=pretty_name_for(cfg, repo), tags=cfg.publish.tags,
                           local_dir=str(to_dir.resolve()))
        for p in write_to_dir(files, to_dir):
            click.echo(str(p))
        return
    if not repo:
        raise PublishError("no repo: pass --repo ORG/NAME or set publish.repo in the config")
    with Store.open(db or default_db_path()) as store:
        res = publish_version(store, version, repo, cfg, endpoint=endpoint, private=False if public else None)
    state = "published" if res.changed else "already published, nothing sent"
    click.echo(f"{version} -> {repo}@{res.tag} ({res.revision}): {state}")


COMMANDS = [build_cmd, versions, export_cmd, card_cmd, publish_cmd]
