"""Dataset assets: balance the selected traces into an immutable version, then write its card."""

import dagster as dg

from assets.metadata import counts_table, data_version, materialized, report_metadata
from assets.plots import embed_images, plot_metadata, version_distributions, version_overview
from assets.resources import ThinkmillResource
from pipeline.dataset.card import write_card
from pipeline.dataset.publish import pretty_name_for
from pipeline.dataset.versions import latest_version, run, version_rows


@dg.asset(
    group_name="dataset",
    deps=["selected_traces"],
    pool="duckdb",
    description="An immutable dataset version (think / no-think balanced); no new version when unchanged.",
)
def dataset_version(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    with thinkmill.store() as store:
        report = run(store, cfg)
        m = report.metadata
        rows = version_rows(store, m["version"])
        version = data_version(store, ("dataset_versions",), m["version"])
    preview = rows.select("example_id", "split", "mode", "domain", "task_id", "think_tokens", "answer_tokens")
    stats = m["stats"]
    target = stats.get("targets", {}).get("think_share_rows")
    overall = stats.get("overall", {})
    leak = stats.get("leakage", {}).get("no_think", {})
    context.log.info(f"{'built' if m['created'] else 'unchanged'} {m['version']} ({m['rows']} rows)")
    return materialized(
        context,
        report_metadata(
            report,
            "dataset_rows",
            m["rows"],
            preview,
            think_share_rows=dg.MetadataValue.float(float(overall.get("think_share_rows") or 0.0)),
            think_share_tokens=dg.MetadataValue.float(float(overall.get("think_share_tokens") or 0.0)),
            think_share_target=dg.MetadataValue.text(f"{overall.get('target')} by {stats.get('target_unit')}"),
            no_think_hesitation_share=dg.MetadataValue.float(float(leak.get("hesitation_share") or 0.0)),
            no_think_answer_tokens_mean=dg.MetadataValue.float(float(leak.get("answer_tokens_mean") or 0.0)),
            dropped=dg.MetadataValue.md(counts_table(stats.get("dropped", {}))),
            stats=dg.MetadataValue.json(stats),
            plot=plot_metadata(version_distributions(rows, target), "think share, think and answer length"),
            plot_mix=plot_metadata(version_overview(rows), "think length and mode mix by domain"),
        ),
        version,
    )


@dg.asset(
    group_name="dataset",
    deps=[dataset_version],
    pool="duckdb",
    description="The latest version's dataset card: README.md with Hub YAML header, tables and plots.",
)
def dataset_card(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    with thinkmill.store(read_only=True) as store:
        version = latest_version(store)
        if version is None:
            raise dg.Failure("no dataset version to describe; materialise dataset_version first")
        out = cfg.output_dir(cfg.publish.card_dir, thinkmill.db_path, "cards") / version
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
