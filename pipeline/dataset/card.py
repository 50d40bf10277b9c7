"""The dataset card of a version: README.md with the Hub's YAML header, stats tables, PNG plots, lineage, config.

Every number in the card comes from `card_data`, which reads the database once; the plots draw the same numbers,
so a test can check both against SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from matplotlib.figure import Figure  # object API, no pyplot: no global state, safe in Dagster's threads

from pipeline.dataset.export import SPLITS
from pipeline.dataset.messages import THINK_SYSTEM_PROMPT
from pipeline.dataset.versions import get_version, version_rows
from pipeline.store import Store

FIGURES = {
    "think_tokens": "figures/think_tokens.png",
    "mix": "figures/domain_mode_mix.png",
    "pass_rates": "figures/pass_rates.png",
    "filtering": "figures/duplicates_contamination.png",
}
_PNG_META = {"Software": None}  # no matplotlib version in the bytes: same card, same files


@dataclass
class CardData:
    version: dict[str, Any]
    rows: pl.DataFrame
    mix: dict[str, dict[str, int]]  # domain -> mode -> rows
    pass_rates: dict[str, dict[str, float]]  # domain -> mode -> share of generations passed
    pass_counts: dict[str, dict[str, tuple[int, int]]]  # domain -> mode -> (passed, judged)
    duplicates: dict[str, int]  # reason -> dropped tasks
    contamination: dict[str, int]  # benchmark -> contaminated tasks
    think_tokens: list[int]
    sources: list[dict[str, Any]]
    audit: list[dict[str, Any]] = field(default_factory=list)  # verifier, audited, disagreements, rate


def card_data(store: Store, version: str) -> CardData:
    info = get_version(store, version)
    rows = version_rows(store, version)
    mix: dict[str, dict[str, int]] = {}
    for d, m, n in rows.group_by("domain", "mode").len().sort("domain", "mode").iter_rows():
        mix.setdefault(d, {})[m] = int(n)
    pr = store.query(
        "SELECT t.domain, v.mode, count(*) AS n, sum(CASE WHEN v.passed THEN 1 ELSE 0 END) AS passed "
        "FROM verdicts v JOIN tasks t USING (task_id) GROUP BY 1, 2 ORDER BY 1, 2")
    pass_rates: dict[str, dict[str, float]] = {}
    pass_counts: dict[str, dict[str, tuple[int, int]]] = {}
    for d, m, n, p in pr.iter_rows():
        pass_rates.setdefault(d, {})[m] = round(int(p) / int(n), 4) if n else 0.0
        pass_counts.setdefault(d, {})[m] = (int(p), int(n))
    dups = store.query("SELECT reason, count(*) AS n FROM task_duplicates GROUP BY 1 ORDER BY 1")
    cont = store.query("SELECT benchmark, count(DISTINCT task_id) AS n FROM contamination GROUP BY 1 ORDER BY 1")
    sources = (rows.group_by("source", "license").agg(pl.len().alias("rows"), pl.col("task_id").n_unique()
                                                      .alias("tasks")).sort("source", "license"))
    return CardData(
        version=info, rows=rows, mix=mix, pass_rates=pass_rates, pass_counts=pass_counts,
        duplicates={r: int(n) for r, n in dups.iter_rows()},
        contamination={b: int(n) for b, n in cont.iter_rows()},
        think_tokens=[int(x) for x in rows.filter(pl.col("mode") == "think").get_column("think_tokens")
                      .fill_null(0).to_list()],
        sources=sources.to_dicts(),
        audit=_audit_rates(store),
    )


def _audit_rates(store: Store) -> list[dict[str, Any]]:
    from pipeline.verify.db import disagreement_rates

    return disagreement_rates(store).to_dicts()


# ------------------------------------------------------------------------------------------------ plots
def plot_think_tokens(data: CardData) -> Figure:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.hist(data.think_tokens, bins=min(40, max(5, len(set(data.think_tokens)))), color="#4c72b0")
    ax.set(title="Think-block length (approx. tokens), think rows", xlabel="tokens", ylabel="rows")
    fig.tight_layout()
    return fig


def plot_mix(data: CardData) -> Figure:
    domains = sorted(data.mix)
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    think = [data.mix[d].get("think", 0) for d in domains]
    no_think = [data.mix[d].get("no_think", 0) for d in domains]
    ax.bar(domains, think, label="think", color="#4c72b0")
    ax.bar(domains, no_think, bottom=think, label="no_think", color="#dd8452")
    ax.set(title="Rows by domain and mode", ylabel="rows")
    ax.legend()
    ax.tick_params(axis="x", labelrotation=15)
    fig.tight_layout()
    return fig


def plot_pass_rates(data: CardData) -> Figure:
    domains = sorted(data.pass_rates)
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    width = 0.4
    for i, mode in enumerate(("think", "no_think")):
        xs = [j + (i - 0.5) * width for j in range(len(domains))]
        ax.bar(xs, [data.pass_rates[d].get(mode, 0.0) for d in domains], width, label=mode)
    ax.set_xticks(range(len(domains)), domains, rotation=15)
    ax.set(title="Verification pass rate by domain and mode", ylabel="share passed", ylim=(0, 1))
    ax.legend()
    fig.tight_layout()
    return fig


def plot_filtering(data: CardData) -> Figure:
    fig = Figure(figsize=(8, 3.5))
    a1, a2 = fig.subplots(1, 2)
    a1.bar(list(data.duplicates), list(data.duplicates.values()), color="#55a868")
    a1.set(title="Duplicate tasks dropped", ylabel="tasks")
    a2.bar(list(data.contamination), list(data.contamination.values()), color="#c44e52")
    a2.set(title="Contaminated tasks by benchmark", ylabel="tasks")
    for ax in (a1, a2):
        ax.tick_params(axis="x", labelrotation=15)
    fig.tight_layout()
    return fig


PLOTTERS = {"think_tokens": plot_think_tokens, "mix": plot_mix, "pass_rates": plot_pass_rates,
            "filtering": plot_filtering}


# ------------------------------------------------------------------------------------------------ text
def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return name
    return "n>10M"


def yaml_header(data: CardData, pretty_name: str, tags: list[str]) -> dict[str, Any]:
    licenses = sorted({(s["license"] or "unknown").lower() for s in data.sources})
    splits = [s for s in SPLITS if data.version["counts"].get("split", {}).get(s)]
    return {
        "pretty_name": pretty_name,
        "license": licenses[0] if len(licenses) == 1 else "other",
        **({"license_name": "mixed", "license_details": ", ".join(licenses)} if len(licenses) > 1 else {}),
        "language": ["en"],
        "task_categories": ["text-generation"],
        "tags": sorted({"thinkmill", "reasoning", "hermes-4", "sft", "synthetic", "hybrid-reasoning", *tags}),
        "size_categories": [_size_category(data.rows.height)],
        "configs": [{"config_name": "default",
                     "data_files": [{"split": s, "path": f"data/{s}-*.parquet"} for s in splits]}],
    }


def _audit_line(audit: list[dict[str, Any]]) -> str:
    """One line: how often a second, independent check disagreed with each verifier (docs/verifiers.md)."""
    if not audit:
        return "Verifier audit: no verdicts audited.\n"
    parts = ", ".join(f"`{a['verifier']}` {a['disagreements']}/{a['audited']} ({a['rate']:.1%})" for a in audit)
    return f"Verifier audit (a second, independent check on a sample of verdicts): disagreements {parts}.\n"


def render_card(data: CardData, *, pretty_name: str = "thinkmill dataset", tags: list[str] | None = None) -> str:
    v = data.version
    stats, counts, tokens = v["stats"], v["counts"], v["token_totals"]
    header = yaml.safe_dump(yaml_header(data, pretty_name, tags or []), sort_keys=False, allow_unicode=True)
    overall = stats.get("overall", {})
    leak = stats.get("leakage", {}).get("no_think", {})
    vid = v["version_id"]
    parts = [
        f"---\n{header}---\n",
        f"# {pretty_name} ({vid})\n",
        "Supervised fine-tuning data for Hermes 4's hybrid reasoning, built by "
        "[thinkmill](https://github.com/thinkmill). Think rows carry Hermes 4's reasoning system prompt and a "
        "`<think>` block in the assistant turn; no-think rows carry neither, so a fine-tune keeps both modes.\n",
        "## Load\n",
        "```python\nfrom datasets import load_dataset\n"
        f'ds = load_dataset("REPO", revision="{vid}")  # every version is a tag\n```\n',
        "## Splits and modes\n",
        _table(["split", "rows"], [[s, counts.get("split", {}).get(s, 0)] for s in SPLITS]),
        "",
        _table(["domain", "think", "no_think", "total"],
               [[d, m.get("think", 0), m.get("no_think", 0), sum(m.values())] for d, m in sorted(data.mix.items())]),
        "",
        f"![domain and mode mix]({FIGURES['mix']})\n",
        "## Balance: targets vs achieved\n",
        _table(["measure", "target", "achieved"], [
            ["think share by rows", stats.get("targets", {}).get("think_share_rows"),
             overall.get("think_share_rows")],
            ["think share by tokens", stats.get("targets", {}).get("think_share_tokens"),
             overall.get("think_share_tokens")],
            ["token budget", stats.get("targets", {}).get("token_budget"), tokens.get("total")],
        ]),
        "",
        _table(["mode", "rows", "approx. tokens"],
               [[m, counts.get("mode", {}).get(m, 0), tokens.get(m, 0)] for m in ("think", "no_think")]),
        "",
        "Candidates left out, by reason: " + (", ".join(f"`{k}` {n}" for k, n in stats.get("dropped", {}).items())
                                              or "none") + ".\n",
        f"![think-token length histogram]({FIGURES['think_tokens']})\n",
        "## No-think leakage\n",
        _table(["measure", "value"], [
            ["no-think rows", leak.get("rows", 0)],
            ["answer tokens (mean / median / p95)",
             f"{leak.get('answer_tokens_mean', 0)} / {leak.get('answer_tokens_median', 0)} / "
             f"{leak.get('answer_tokens_p95', 0)}"],
            ["rows with hesitation words", f"{leak.get('hesitation_rows', 0)} ({leak.get('hesitation_share', 0)})"],
            ["rows with think tags", leak.get("think_tag_rows", 0)],
            ["tasks with examples in both modes", stats.get("tasks_in_both_modes", 0)],
        ]),
        "",
        "## Verification\n",
        _table(["domain", "mode", "passed", "judged", "pass rate"],
               [[d, m, p, n, data.pass_rates[d][m]] for d, ms in sorted(data.pass_counts.items())
                for m, (p, n) in sorted(ms.items())]),
        "",
        f"![pass rates]({FIGURES['pass_rates']})\n",
        _audit_line(data.audit),
        "## Duplicates and decontamination\n",
        _table(["duplicate reason", "tasks dropped"], [[k, n] for k, n in data.duplicates.items()] or [["-", 0]]),
        "",
        _table(["benchmark", "contaminated tasks removed"],
               [[k, n] for k, n in data.contamination.items()] or [["-", 0]]),
        "",
        f"![duplicates and contamination]({FIGURES['filtering']})\n",
        "## Lineage\n",
        _table(["field", "value"], [
            ["version", vid], ["parent", v.get("parent") or "-"], ["content hash", f"`{v['content_hash']}`"],
            ["created", str(v["created_at"])], ["code version", v.get("code_version") or "-"],
            ["models", ", ".join(stats.get("models", [])) or "-"],
        ]),
        "",
        _table(["source", "licence", "tasks", "rows"],
               [[s["source"], s["license"], s["tasks"], s["rows"]] for s in data.sources]),
        "",
        "Every row keeps `task_id` and `generation_key`: the task it came from and the exact request that "
        "produced the response.\n",
        "## Reasoning system prompt (think rows)\n",
        f"> {THINK_SYSTEM_PROMPT}\n",
        "## Config\n",
        "```yaml\n" + yaml.safe_dump(v["config"], sort_keys=True, allow_unicode=True) + "```\n",
    ]
    if v.get("notes"):
        parts.insert(3, f"Notes: {v['notes']}\n")
    return "\n".join(parts)


def write_card(store: Store, version: str, out: Path, *, pretty_name: str = "thinkmill dataset",
               tags: list[str] | None = None) -> list[Path]:
    """Write README.md and the figures under `out`. Returns the files written."""
    data = card_data(store, version)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rel in FIGURES.items():
        fig = PLOTTERS[name](data)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png", dpi=100, metadata=_PNG_META)
        written.append(path)
    readme = out / "README.md"
    readme.write_text(render_card(data, pretty_name=pretty_name, tags=tags), encoding="utf-8")
    return [readme, *written]
