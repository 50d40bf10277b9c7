"""Dataset assets: balance the selected traces into an immutable version, then write its card."""

import re
from pathlib import Path

import dagster as dg
import yaml

from assets.jobs import CARD_FOLLOWS_VERSION
from assets.metadata import counts_table, data_version, materialized, number, report_metadata, table_spec
from assets.plots import embed_images, plot_metadata, version_distributions, version_overview
from assets.resources import ThinkmillResource
from pipeline.dataset.card import write_card
from pipeline.dataset.publish import pretty_name_for
from pipeline.dataset.versions import latest_version, run, version_rows
from pipeline.generate.cost import cost_metadata, recorded_cost_config, version_cost


@dg.asset(
    group_name="dataset",
    deps=["selected_traces"],
    pool="duckdb",
    kinds={"duckdb", "polars"},
    tags={"stage": "dataset"},
    metadata=table_spec("dataset_version"),
    description="An immutable dataset version (think / no-think balanced); no new version when unchanged.",
)
def dataset_version(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    with thinkmill.store(writes_for=cfg) as store:
        report = run(store, cfg)
        m = report.metadata
        # cost per accepted trace, priced with the cost config the version was built with, as its card prices it
        report.set(**cost_metadata(version_cost(store, recorded_cost_config(store, m["version"]), m["version"])))
        # the columns the preview and the plots read, never the messages (a version may hold millions of rows)
        rows = store.query(
            "SELECT example_id, split, mode, domain, task_id, think_tokens, answer_tokens FROM dataset_rows "
            "WHERE version_id = ? ORDER BY example_id",
            [m["version"]],
        )
        version = data_version(store, ("dataset_versions",), m["version"])
    preview = rows.select("example_id", "split", "mode", "domain", "task_id", "think_tokens", "answer_tokens")
    stats = m["stats"]
    # the plot shows the row share: its target line only where the build enforced the row share (no token target)
    target = stats.get("targets", {}).get("think_share_rows") if stats.get("target_unit") == "rows" else None
    overall = stats.get("overall", {})
    leak = stats.get("leakage", {}).get("no_think", {})
    context.log.info(f"{'built' if m['created'] else 'unchanged'} {m['version']} ({m['rows']} rows)")
    # the build's notes (think share off target, a mix of models or settings, retired tasks left out, ...): logged
    # and kept in the metadata, as `thinkmill build` prints them (before, the asset showed none)
    notes = [line.strip() for line in report.summary[1:] if line.strip()]
    for line in notes:
        (context.log.warning if line.startswith("note") else context.log.info)(line)
    return materialized(
        context,
        report_metadata(
            report,
            "dataset_rows",
            m["rows"],
            preview,
            think_share_rows=number(overall.get("think_share_rows") or 0.0),
            think_share_tokens=number(overall.get("think_share_tokens") or 0.0),
            think_share_target=dg.MetadataValue.text(f"{overall.get('target')} by {stats.get('target_unit')}"),
            no_think_hesitation_share=number(leak.get("hesitation_share") or 0.0),
            no_think_answer_tokens_mean=number(leak.get("answer_tokens_mean") or 0.0),
            dropped=dg.MetadataValue.md(counts_table(stats.get("dropped", {}))),
            notes=dg.MetadataValue.md("\n".join(f"- {line}" for line in notes) or "none"),
            stats=dg.MetadataValue.json(stats),
            plot=plot_metadata(version_distributions(rows, target), "think share, think and answer length"),
            plot_mix=plot_metadata(version_overview(rows), "think length and mode mix by domain"),
        ),
        version,
    )


def card_dir(thinkmill: ThinkmillResource, version: str) -> Path:
    cfg = thinkmill.config()
    return cfg.output_dir(cfg.publish.card_dir, thinkmill.db_path, "cards") / version


@dg.asset(
    group_name="dataset",
    deps=[dataset_version],
    pool="duckdb",
    kinds={"markdown", "duckdb"},
    tags={"stage": "dataset"},
    automation_condition=CARD_FOLLOWS_VERSION,
    description="The latest version's dataset card: README.md with Hub YAML header, tables and plots.",
)
def dataset_card(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    with thinkmill.store(read_only=True) as store:
        version = latest_version(store)
        if version is None:
            raise dg.Failure("no dataset version to describe; materialise dataset_version first")
        out = card_dir(thinkmill, version)
        paths = write_card(
            store,
            version,
            out,
            pretty_name=pretty_name_for(cfg, cfg.publish.repo),
            tags=cfg.publish.tags,
            repo=cfg.publish.repo,
        )
        rows = version_rows(store, version).height
    readme = paths[0].read_text(encoding="utf-8")
    # The card's figures are files next to README.md; the UI serves no files, so the preview inlines them.
    body, missing = embed_images(readme.split("---\n", 2)[-1], paths[0].parent)
    if missing:
        context.log.warning(f"card figures not found, shown as links: {', '.join(missing)}")
    return materialized(
        context,
        {
            "version": dg.MetadataValue.text(version),
            "path": dg.MetadataValue.path(str(paths[0])),
            "rows": dg.MetadataValue.int(rows),
            "figures": dg.MetadataValue.json([str(p) for p in paths[1:]]),
            "card": dg.MetadataValue.md(body),
        },
        data_version(None, (), version, readme),
    )


_IMAGE_PATH = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def card_problems(readme: Path, version: str) -> list[str]:
    """What is wrong with a written card: missing, no Hub YAML header, another version, a missing figure."""
    if not readme.is_file():
        return [f"{readme} does not exist"]
    text = readme.read_text(encoding="utf-8")
    problems = []
    head = text.split("---\n", 2)
    try:
        header = yaml.safe_load(head[1]) if text.startswith("---\n") and len(head) == 3 else None
    except yaml.YAMLError as exc:
        header = None
        problems.append(f"YAML header does not parse: {exc}")
    if not isinstance(header, dict) or "pretty_name" not in header:
        problems.append("no Hub YAML header (--- pretty_name: ... ---)")
    if version not in text:
        problems.append(f"does not name version {version}")
    for target in _IMAGE_PATH.findall(text):
        if not target.startswith(("http://", "https://", "data:")) and not (readme.parent / target).is_file():
            problems.append(f"figure {target} is missing")
    return problems


@dg.asset_check(
    asset=dataset_card,
    name="card_complete",
    description="The latest version's card exists, has its Hub YAML header, names the version, and every figure it "
    "shows is there.",
    blocking=True,
    pool="duckdb",
)
def card_complete(thinkmill: ThinkmillResource) -> dg.AssetCheckResult:
    with thinkmill.store(read_only=True) as store:
        version = latest_version(store)
    if version is None:
        return dg.AssetCheckResult(passed=False, description="no dataset version: no card to check")
    readme = card_dir(thinkmill, version) / "README.md"
    problems = card_problems(readme, version)
    return dg.AssetCheckResult(
        passed=not problems,
        description=f"card of {version}: " + ("; ".join(problems) if problems else "complete"),
        metadata={"path": dg.MetadataValue.path(str(readme)), "problems": dg.MetadataValue.int(len(problems))},
    )
