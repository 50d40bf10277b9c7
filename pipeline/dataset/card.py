"""The dataset card of a version: README.md with the Hub's YAML header, stats tables, PNG plots, lineage,
generation provenance, columns, example rows and limitations.

Every number in the card comes from `card_data`, which reads the database once; the plots draw the same numbers,
so a test can check both against SQL. The card states only what the database shows: provenance comes from the
generations behind the version's rows (not from the config at build time), decontamination says "not checked"
when no benchmark was configured, and no URL (hosts, credentials) is written anywhere in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from matplotlib.figure import Figure  # object API, no pyplot: no global state, safe in Dagster's threads

from pipeline.dataset.balance import target_mix
from pipeline.dataset.export import PUBLISHED_COLUMNS, SPLITS, quoted_think_close
from pipeline.dataset.messages import THINK_SYSTEM_PROMPT
from pipeline.dataset.preference import pair_count
from pipeline.dataset.redact import drop_secret_keys, strip_urls
from pipeline.dataset.versions import example_lengths_of, get_version
from pipeline.dedup.select import DUPLICATE_PREFIX, OVER_CAP, TOO_LONG, TOO_SHORT
from pipeline.generate.adaptive import decisions_summary
from pipeline.generate.cost import recorded_cost_config, version_cost
from pipeline.generate.templates import without_answer_instruction
from pipeline.store import Store
from pipeline.trace import FINISHED_NORMALLY, sent_max_tokens_sql
from pipeline.verify.result import not_judged_sql
from schemas.contracts import DATASET_ROW

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
    row_count: int  # rows of the version
    mix: dict[str, dict[str, int]]  # domain -> mode -> rows
    pass_rates: dict[str, dict[str, float]]  # domain -> mode -> share of generations passed
    pass_counts: dict[str, dict[str, tuple[int, int]]]  # domain -> mode -> (passed, judged)
    duplicates: dict[str, int]  # reason -> tasks ingest dropped (the whole store)
    contamination: dict[str, int]  # benchmark -> contaminated tasks
    think_tokens: list[int]
    sources: list[dict[str, Any]]
    benchmarks_configured: list[str] = field(default_factory=list)  # decontam.benchmarks of the version's config
    provenance: list[dict[str, Any]] = field(default_factory=list)  # per (mode, backend, model, revision, template)
    sampling: list[dict[str, Any]] = field(default_factory=list)  # per (mode, sampling params as sent)
    truncation: dict[str, dict[str, int]] = field(default_factory=dict)  # mode -> generations, recorded, length
    truncated_rows: dict[str, int] = field(default_factory=dict)  # mode -> rows whose generation was cut
    unrecorded_finish_rows: dict[str, int] = field(default_factory=dict)  # mode -> rows with no finish reason
    cut_rows_lints: list[str] = field(default_factory=list)  # the lints versions of the cut rows' verdicts
    verifiers: dict[str, int] = field(default_factory=dict)  # verifier -> rows
    lengths: dict[str, dict[str, int]] = field(default_factory=dict)  # mode -> rows, p50, p95, max (approx tokens)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # mode -> messages of one row
    db_path: str = ""
    audit: list[dict[str, Any]] = field(default_factory=list)  # verifier, audited, disagreements, rate
    preference_pairs: int = 0  # pairs `thinkmill export --format dpo` writes
    adaptive: list[dict[str, Any]] = field(default_factory=list)  # per mode: adaptive sampling's last decisions
    cost: dict[str, Any] = field(default_factory=dict)  # pipeline.generate.cost.version_cost
    own_system: dict[str, int] = field(default_factory=dict)  # mode -> rows carrying their task's own system prompt
    not_judged: dict[str, dict[str, int]] = field(default_factory=dict)  # domain -> mode -> checks that never ran
    languages: list[tuple[str, float]] = field(default_factory=list)  # (ISO 639-1 code, share of detected prompts)
    languages_detected: int = 0  # prompts whose language was detected (`_languages`)
    quoted_think_close: int = 0  # rows a template splitting at `</think>` reads otherwise (`export.quoted_think_close`)
    # domains judged before the version was made and without a row in it: domain -> (tasks, passed, judged)
    absent_domains: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    # passing traces of the version's tasks select left out: reason (`dedup:duplicate`, `select:over_cap`, ...) ->
    # mode -> traces
    trace_drops: dict[str, dict[str, int]] = field(default_factory=dict)


def card_data(store: Store, version: str) -> CardData:
    """Every number of the card, computed in DuckDB: the version's rows are never loaded into Python whole.

    Pass rates and the verifier audit cover the verdicts of the version's tasks (every judged generation of a
    task that has a row in the version), not the whole database: another batch's tasks do not move them."""
    info = get_version(store, version)
    mix: dict[str, dict[str, int]] = {}
    for d, m, n in store.query(
        "SELECT domain, mode, count(*) FROM dataset_rows WHERE version_id = ? GROUP BY 1, 2 ORDER BY 1, 2", [version]
    ).iter_rows():
        mix.setdefault(d, {})[m] = int(n)
    # a verdict whose check never ran (no sandbox, an unreachable judge: `NOT_JUDGED`) is no failure of the response
    unjudged = not_judged_sql("v.reason")
    pr = store.query(
        f"SELECT t.domain, v.mode, count(*) FILTER (WHERE NOT {unjudged}) AS n, "
        "count(*) FILTER (WHERE v.passed) AS passed, "
        f"count(*) FILTER (WHERE {unjudged}) AS not_judged "
        f"FROM verdicts v JOIN tasks t USING (task_id) WHERE v.task_id IN ({_VERSION_TASKS}) "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        [version],
    )
    pass_rates: dict[str, dict[str, float]] = {}
    pass_counts: dict[str, dict[str, tuple[int, int]]] = {}
    not_judged: dict[str, dict[str, int]] = {}
    for d, m, n, p, u in pr.iter_rows():
        pass_rates.setdefault(d, {})[m] = round(int(p) / int(n), 4) if n else 0.0
        pass_counts.setdefault(d, {})[m] = (int(p), int(n))
        not_judged.setdefault(d, {})[m] = int(u)
    dups = store.query("SELECT reason, count(*) AS n FROM task_duplicates GROUP BY 1 ORDER BY 1")
    cont = store.query("SELECT benchmark, count(DISTINCT task_id) AS n FROM contamination GROUP BY 1 ORDER BY 1")
    sources = store.query(
        "SELECT source, license, count(*) AS rows, count(DISTINCT task_id) AS tasks FROM dataset_rows "
        "WHERE version_id = ? GROUP BY 1, 2 ORDER BY source NULLS FIRST, license NULLS FIRST",
        [version],
    )
    think_tokens = store.query(
        "SELECT coalesce(think_tokens, 0) AS n FROM dataset_rows WHERE version_id = ? AND mode = 'think' "
        "ORDER BY example_id",
        [version],
    )
    configured = [b.get("name") for b in info["config"].get("decontam", {}).get("benchmarks", []) or []]
    return CardData(
        version=info,
        row_count=int(store.query("SELECT count(*) FROM dataset_rows WHERE version_id = ?", [version]).item()),
        mix=mix,
        pass_rates=pass_rates,
        pass_counts=pass_counts,
        not_judged=not_judged,
        duplicates={r: int(n) for r, n in dups.iter_rows()},
        contamination={b: int(n) for b, n in cont.iter_rows()},
        think_tokens=[int(x) for x in think_tokens.get_column("n").to_list()],
        sources=sources.to_dicts(),
        benchmarks_configured=sorted({str(b) for b in configured if b}),
        provenance=_provenance(store, version),
        sampling=_sampling(store, version),
        truncation=_truncation(store, version),
        **_cut_rows(store, version),
        verifiers={
            v: int(n)
            for v, n in store.query(
                "SELECT t.verifier, count(*) FROM dataset_rows r JOIN tasks t USING (task_id) WHERE r.version_id = ? "
                "GROUP BY 1 ORDER BY 1",
                [version],
            ).iter_rows()
        },
        lengths=_lengths(store, version, info),
        examples=_examples(store, version),
        db_path=str(store.path),
        audit=_audit_rates(store, version),
        preference_pairs=pair_count(store, version),
        adaptive=decisions_summary(store, info["created_at"]),
        cost=version_cost(store, recorded_cost_config(store, version), version),
        own_system={
            m: int(n)
            for m, n in store.query(
                "SELECT mode, count(*) FROM dataset_rows WHERE version_id = ? "
                "AND json_extract_string(messages, '$[0].role') = 'system' "
                "AND json_extract_string(messages, '$[0].content') <> ? GROUP BY 1 ORDER BY 1",
                [version, THINK_SYSTEM_PROMPT],
            ).iter_rows()
        },
        quoted_think_close=quoted_think_close(store, version)[0],
        absent_domains=_absent_domains(store, version),
        trace_drops=_trace_drops(store, version),
        **_languages(store, version),
    )


# The card's `language`: the languages of a sample of the version's prompts (langdetect on their prose, code and maths
# left out), each listed when it holds at least LANGUAGE_MIN_SHARE of the detected ones. A prompt with fewer letters
# than LANGUAGE_MIN_LETTERS is not judged (langdetect guesses on "What is 2+3?").
LANGUAGE_SAMPLE = 500
LANGUAGE_MIN_SHARE = 0.05
LANGUAGE_MIN_LETTERS = 40
# Scripts whose characters are words or syllables (Han, kana, Hangul): 10 of them tell the language (a Chinese
# question of 20 characters has fewer than 40 letters, and was not judged).
LANGUAGE_MIN_WORD_CHARS = 10
_WORD_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _languages(store: Store, version: str) -> dict[str, Any]:
    from langdetect import DetectorFactory, LangDetectException, detect

    from pipeline.verify.lints import strip_non_prose

    DetectorFactory.seed = 0  # langdetect is random without it: the card must come out the same each time
    rows = store.query(
        "SELECT messages FROM dataset_rows WHERE version_id = ? ORDER BY example_id LIMIT ?", [version, LANGUAGE_SAMPLE]
    )
    found: dict[str, int] = {}
    for (messages,) in rows.iter_rows():
        user = [m.get("content") for m in json.loads(messages) if isinstance(m, dict) and m.get("role") == "user"]
        prose = strip_non_prose(without_answer_instruction(user[-1])) if user and isinstance(user[-1], str) else ""
        if sum(ch.isalpha() for ch in prose) < LANGUAGE_MIN_LETTERS and len(_WORD_CHARS.findall(prose)) < (
            LANGUAGE_MIN_WORD_CHARS
        ):
            continue
        try:
            code = detect(prose).split("-")[0]  # zh-cn, zh-tw -> zh (the Hub's codes are ISO 639-1)
        except LangDetectException:
            continue
        found[code] = found.get(code, 0) + 1
    total = sum(found.values())
    shares = sorted(((c, n / total) for c, n in found.items() if n / total >= LANGUAGE_MIN_SHARE), key=lambda x: -x[1])
    return {"languages": [(c, round(share, 4)) for c, share in shares], "languages_detected": total}


_VERSION_TASKS = "SELECT DISTINCT task_id FROM dataset_rows WHERE version_id = ?"


def _trace_drops(store: Store, version: str) -> dict[str, dict[str, int]]:
    """reason -> mode -> passing traces of the version's tasks that select did not keep (a near or exact duplicate of
    a kept trace, over `select.max_per_task`, outside the length bounds)."""
    out: dict[str, dict[str, int]] = {}
    for reason, mode, n in store.query(
        f"SELECT regexp_replace(reason, '^{DUPLICATE_PREFIX}.*', 'dedup:duplicate') AS reason, mode, count(*) "
        f"FROM trace_selection WHERE NOT selected AND task_id IN ({_VERSION_TASKS}) GROUP BY 1, 2 ORDER BY 1, 2",
        [version],
    ).iter_rows():
        out.setdefault(str(reason or "unknown"), {})[mode] = int(n)
    return out


# the card's words for select's reasons (pipeline.dedup.select); another reason is shown as stored
_TRACE_DROP_LABELS = {
    "dedup:duplicate": "near or exact duplicate of a kept trace",
    OVER_CAP: "over `select.max_per_task`",
    TOO_LONG: "longer than `select.max_tokens`",
    TOO_SHORT: "shorter than `select.min_tokens`",
}


def _trace_drops_table(data: CardData) -> str:
    if not data.trace_drops:
        return "Selection left out no passing trace of this version's tasks (no duplicates, none over the cap).\n"
    rows = []
    for reason, modes in data.trace_drops.items():
        t, n = modes.get("think", 0), modes.get("no_think", 0)
        rows.append([_TRACE_DROP_LABELS.get(reason, reason), t, n, t + n])
    return (
        "Passing traces of this version's tasks that selection left out (per task and mode it keeps at most "
        "`select.max_per_task` traces, never two near or exact copies):\n\n"
        + _table(["reason", "think", "no_think", "traces"], rows)
    )


def _absent_domains(store: Store, version: str) -> dict[str, tuple[int, int, int]]:
    """Domains whose tasks were judged before the version was made and that have no row in it, with their tasks and
    judged responses (passed, judged): a domain where every trace failed (a layout read wrong, a verifier that
    cannot pass) was left out of the card without a word, as the pass-rate table counts the version's tasks."""
    unjudged = not_judged_sql("v.reason")
    rows = store.query(
        f"SELECT t.domain, count(DISTINCT t.task_id), count(*) FILTER (WHERE v.passed), "
        f"count(*) FILTER (WHERE NOT {unjudged}) "
        "FROM verdicts v JOIN tasks t USING (task_id) "
        "WHERE v.created_at <= (SELECT created_at FROM dataset_versions WHERE version_id = ?) "
        "AND t.domain NOT IN (SELECT DISTINCT domain FROM dataset_rows WHERE version_id = ?) "
        "GROUP BY 1 ORDER BY 1",
        [version, version],
    )
    return {d: (int(n), int(p), int(j)) for d, n, p, j in rows.iter_rows()}


def _provenance(store: Store, version: str) -> list[dict[str, Any]]:
    """What generated the version's rows, read from their generations (never from the config at build time)."""
    df = store.query(
        "SELECT r.mode, g.backend, g.model, g.model_revision AS revision, g.template_version, count(*) AS rows, "
        "count(g.key) AS found, count(g.seed) AS seeded, count(DISTINCT g.seed) AS seeds, min(g.seed) AS seed_min, "
        "max(g.seed) AS seed_max FROM dataset_rows r LEFT JOIN generations g ON g.key = r.generation_key "
        "WHERE r.version_id = ? GROUP BY ALL ORDER BY r.mode DESC, g.backend, g.model, revision, g.template_version",
        [version],
    )
    return df.to_dicts()


def _sampling(store: Store, version: str) -> list[dict[str, Any]]:
    """Distinct sampling parameters as sent (secret-looking keys and URLs removed), with their row counts."""
    df = store.query(
        "SELECT r.mode, CAST(g.sampling_params AS VARCHAR) AS params, count(*) AS rows FROM dataset_rows r "
        "JOIN generations g ON g.key = r.generation_key WHERE r.version_id = ? GROUP BY ALL",
        [version],
    )
    merged: dict[tuple[str, str], int] = {}
    for mode, params, n in df.iter_rows():
        try:
            value = drop_secret_keys(json.loads(params)) if params else None
        except json.JSONDecodeError:
            value = None
        key = (mode, json.dumps(value, sort_keys=True) if value is not None else "not recorded")
        merged[key] = merged.get(key, 0) + int(n)
    return [
        {"mode": m, "params": p, "rows": n}
        for (m, p), n in sorted(merged.items(), key=lambda kv: (kv[0][0] != "think", -kv[1], kv[0][1]))
    ]


_MAX_TOKENS = sent_max_tokens_sql()
# a generation the server cut: a finish reason other than a normal end, or every token the request allowed spent
# (`pipeline.trace.finish_of`), as the lints fail them
_NORMAL_END = ", ".join(repr(f) for f in sorted(FINISHED_NORMALLY))
_CUT = (
    f"((g.finish_reason IS NOT NULL AND lower(g.finish_reason) NOT IN ({_NORMAL_END})) "
    f"OR coalesce(g.completion_tokens >= {_MAX_TOKENS}, false))"
)


def _cut_rows(store: Store, version: str) -> dict[str, Any]:
    """Per mode, the version's rows whose generation was cut (`_CUT`) and those whose finish reason was not recorded
    (and not cut by the token count); the lints versions of the cut rows' verdicts, which passed them."""
    df = store.query(
        f"SELECT r.mode, count(*) FILTER (WHERE {_CUT}) AS cut, "
        f"count(*) FILTER (WHERE g.finish_reason IS NULL AND NOT {_CUT}) AS unrecorded, "
        f"list_distinct(list(regexp_extract(v.verifier_version, '\\+lints/([0-9]+)', 1)) FILTER (WHERE {_CUT})) "
        "AS lints FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
        "LEFT JOIN verdicts v ON v.generation_key = r.generation_key WHERE r.version_id = ? GROUP BY 1",
        [version],
    )
    lints = {x for xs in df.get_column("lints").to_list() for x in xs or [] if x}
    return {
        "truncated_rows": {m: int(n) for m, n in zip(df["mode"], df["cut"], strict=True) if n},
        "unrecorded_finish_rows": {m: int(n) for m, n in zip(df["mode"], df["unrecorded"], strict=True) if n},
        "cut_rows_lints": sorted(lints, key=int),
    }


def _truncation(store: Store, version: str) -> dict[str, dict[str, int]]:
    """Per generation mode, over every generation (not error rows) of the version's tasks: how many, how many
    with a recorded finish reason, how many stopped at the length limit."""
    df = store.query(
        "SELECT mode, count(*) AS n, count(finish_reason) AS recorded, "
        "count(*) FILTER (WHERE finish_reason = 'length') AS length FROM generations "
        "WHERE error IS NULL AND task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = ?) GROUP BY 1",
        [version],
    )
    return {m: {"generations": int(n), "recorded": int(r), "length": int(c)} for m, n, r, c in df.iter_rows()}


def _examples(store: Store, version: str) -> dict[str, list[dict[str, str]]]:
    """One row per mode (the first by example id, train split preferred): the same row for the same version."""
    out = {}
    for mode in ("think", "no_think"):
        got = store.query(
            "SELECT messages FROM dataset_rows WHERE version_id = ? AND mode = ? "
            "ORDER BY split <> 'train', example_id LIMIT 1",
            [version, mode],
        )
        if got.height:
            out[mode] = json.loads(got.item())
    return out


def _lengths(store: Store, version: str, info: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Example lengths per mode: as the build recorded them in the version's stats; for a version built before
    they were recorded, counted from its messages, one batch of rows at a time."""
    recorded = info["stats"].get("example_tokens")
    if recorded:
        return recorded
    return example_lengths_of(store, version)


def _audit_rates(store: Store, version: str) -> list[dict[str, Any]]:
    """Per verifier: audited verdicts of the version's tasks, disagreements and their rate."""
    return store.query(
        "SELECT v.verifier, count(*) AS audited, count(d.generation_key) AS disagreements, "
        "round(count(d.generation_key) / count(*), 4) AS rate FROM verdicts v "
        "LEFT JOIN verifier_disagreements d ON d.generation_key = v.generation_key "
        f"WHERE v.audit_check IS NOT NULL AND v.task_id IN ({_VERSION_TASKS}) GROUP BY 1 ORDER BY 1",
        [version],
    ).to_dicts()


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
    if not data.contamination and not data.benchmarks_configured:
        a2.text(0.5, 0.5, "not checked:\nno benchmark configured", ha="center", va="center", transform=a2.transAxes)
    for ax in (a1, a2):
        ax.tick_params(axis="x", labelrotation=15)
    fig.tight_layout()
    return fig


PLOTTERS = {
    "think_tokens": plot_think_tokens,
    "mix": plot_mix,
    "pass_rates": plot_pass_rates,
    "filtering": plot_filtering,
}


# ------------------------------------------------------------------------------------------------ text
def _cell(c: Any) -> str:
    return "" if c is None else str(c).replace("\n", " ").replace("|", "\\|")


def _row_target(stats: dict[str, Any]) -> Any:
    """The row target as the build used it: with a token target (`target_unit` tokens) the build enforces the token
    share and the row share drifts, so `think_share_rows` (0.7 by default) is shown as not enforced, not missed."""
    target = stats.get("targets", {}).get("think_share_rows")
    if target is not None and stats.get("target_unit") == "tokens":
        return f"{target} (not enforced: the token share is)"
    return _with_mix(target, stats, "rows")


def _with_mix(target: Any, stats: dict[str, Any], unit: str) -> Any:
    """`target` and, where domains carry their own think share (`balance.domain_think_share`) and `unit` is the one
    the build enforces, the mix of the domains' targets the `think_ratio` check judges the overall share against
    (`balance.target_mix`): the global target alone read as missed by a version whose every domain met its own."""
    domains = stats.get("domains", {})
    own = set(stats.get("targets", {}).get("domain_think_share") or {}) & set(domains)
    if target is None or not own or (stats.get("target_unit") or "rows") != unit:
        return target
    weights = {d: sum(m.get(unit, {}).values()) for d, m in domains.items()}
    mix = target_mix(weights, {d: m["target"] for d, m in domains.items() if m.get("target") is not None}, target)
    return target if mix is None else f"{target} (the domains' targets mixed: {round(mix, 4)})"


def _domain_target_rows(stats: dict[str, Any], counts: dict[str, Any]) -> list[list[Any]]:
    """A row per per-domain setting in force (`domain_think_share`, `domain_quotas`): the domain's own target beside
    what it achieved, so an overridden domain does not read as missing the global target."""
    targets = stats.get("targets", {})
    unit = stats.get("target_unit") or "rows"
    domains = stats.get("domains", {})
    rows: list[list[Any]] = [
        [f"think share by {unit}, domain {d}", share, domains.get(d, {}).get(f"think_share_{unit}", "no rows")]
        for d, share in sorted(targets.get("domain_think_share", {}).items())
    ]
    rows += [
        [f"rows, domain {d} (quota)", cap, counts.get("domain", {}).get(d, 0)]
        for d, cap in sorted(targets.get("domain_quotas", {}).items())
    ]
    return rows


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _size_category(n: int) -> str:
    """The Hub's size category of `n` rows (one of the values `datasets` lists in size_categories.json)."""
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
        (1_000_000_000, "100M<n<1B"),
    ):
        if n < limit:
            return name
    return "1B<n<10B"


# The licence the responses of a Hermes 4 model come under: its base model's (Hermes-4-70B and -405B: Llama 3.1;
# Hermes-4-14B: Qwen3; Hermes-4.3-36B: Seed-OSS), as Hub licence ids. FP8, AWQ or GGUF copies share the name.
_RESPONSE_LICENSES = (
    (re.compile(r"hermes-4-(?:70|405)b", re.IGNORECASE), "llama3.1"),
    (re.compile(r"hermes-4-14b", re.IGNORECASE), "apache-2.0"),
    (re.compile(r"hermes-4\.3-36b", re.IGNORECASE), "apache-2.0"),
)
_LLAMA_TERMS = (
    "the Llama 3.1 Community License (its base model's) applies to them: distributing them, or a model trained on "
    'them, needs a copy of that licence and "Built with Llama" shown, and such a model must carry "Llama" at the '
    "beginning of its name (section 1.b)"
)


def response_license(model: str | None) -> str | None:
    """The Hub licence id the responses of `model` come under, or None where thinkmill does not know it."""
    return next((lic for pattern, lic in _RESPONSE_LICENSES if model and pattern.search(model)), None)


# The Hub's licence ids (huggingface.co/docs/hub/repositories-licenses); a card header naming another is shown
# with no licence
HUB_LICENSES = frozenset(
    {
        "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd",
        "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5",
        "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0",
        "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0",
        "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl",
        "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c", "ms-pl", "mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0",
        "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "llama2",
        "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "unknown", "other",
    }
)  # fmt: skip
# spellings that canonical text (`_license_words`) still leaves apart from their id
_LICENSE_ALIASES = {
    "apache": "apache-2.0",
    "apache2": "apache-2.0",
    "apache2.0": "apache-2.0",
    "cc0": "cc0-1.0",
    "gplv2": "gpl-2.0",
    "gplv3": "gpl-3.0",
    "lgplv3": "lgpl-3.0",
    "agplv3": "agpl-3.0",
    "odc-by-1.0": "odc-by",
    "odbl-1.0": "odbl",
}
_LICENSE_WORDS = (
    (r"\bcreative\s*commons\b", "cc"),
    (r"\battribution\b", "by"),
    (r"\bshare[\s-]*alike\b", "sa"),
    (r"\bnon[\s-]*commercial\b", "nc"),
    (r"\bno[\s-]*deriv(?:ative)?s?\b", "nd"),
    (r"\blesser\s+general\s+public\b", "lgpl"),
    (r"\baffero\s+general\s+public\b", "agpl"),
    (r"\bgeneral\s+public\b", "gpl"),
    (r"\b(?:the|gnu|licen[cs]e|international|universal|version|public|deed)\b", " "),
    (r"\bv(?=\d)", " "),  # v4.0, version 2.0
    (r"[\s,_/()]+", "-"),
    (r"-{2,}", "-"),
)


def _license_words(text: str) -> str:
    """`Creative Commons Attribution-ShareAlike 4.0 International` -> `cc-by-sa-4.0`: free text in the ids' form."""
    out = text.strip().lower()
    for pattern, repl in _LICENSE_WORDS:
        out = re.sub(pattern, repl, out)
    return out.strip("-").removesuffix("-only")


def hub_license(text: str | None) -> str | None:
    """The Hub licence id a task source's licence text names (`Apache 2.0`, `CC BY-SA 4.0`, `MIT License`,
    SPDX ids), or None where the Hub has none for it (the card then says `other` and keeps the text)."""
    if not text or not text.strip():
        return None
    words = _license_words(text)
    for candidate in (words, f"{words}.0", _LICENSE_ALIASES.get(words)):
        if candidate in HUB_LICENSES:
            return candidate
    return None


def _slug(text: str) -> str:
    """`Research use only` -> `research-use-only`: a `license_name` in the form the Hub's ids take."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-") or "other"


def _task_license(text: str | None) -> tuple[str, str]:
    """(Hub id, how the card names it) of a task source's licence: its id, or `other` named by its own text."""
    if text is None or not text.strip():
        return "unknown", "unknown"
    hub_id = hub_license(text)
    return (hub_id, hub_id) if hub_id is not None else ("other", strip_urls(text.strip()))


def _response_models(data: CardData) -> list[str]:
    """The models that generated the version's rows, as recorded (sorted)."""
    return sorted({p["model"] or "an unrecorded model" for p in data.provenance})


def _licenses(data: CardData) -> list[tuple[str, str, str]]:
    """(Hub licence id, what it covers, how the card names it): each task source's licence (`other`, named by its
    text, where the Hub has no id for it), and the licence of each generating model's responses (`unknown` where
    thinkmill does not know it), in a stable order."""
    tasks = {_task_license(s["license"]) for s in data.sources}
    responses: dict[str, list[str]] = {}
    for model in _response_models(data):
        responses.setdefault(response_license(model) or "unknown", []).append(model)
    out = [(lic, "tasks", name) for lic, name in sorted(tasks)]
    return out + [(lic, f"responses of {', '.join(models)}", lic) for lic, models in sorted(responses.items())]


def yaml_header(data: CardData, pretty_name: str, tags: list[str]) -> dict[str, Any]:
    covered = _licenses(data)
    licenses = sorted({lic for lic, _, _ in covered})
    names = sorted({name for _, _, name in covered})
    splits = [s for s in SPLITS if data.version["counts"].get("split", {}).get(s)]
    details = ", ".join(f"{name} ({what})" for _, what, name in covered)
    vid = data.version["version_id"]
    other = len(licenses) > 1 or licenses == ["other"]
    return {
        "pretty_name": pretty_name,
        "license": "other" if other else licenses[0],
        **(
            {"license_name": _slug(names[0]) if len(names) == 1 else "mixed", "license_details": details}
            if other
            else {}
        ),
        **({"language": [code for code, _ in data.languages]} if data.languages else {}),
        "task_categories": ["text-generation"],
        "tags": sorted({"thinkmill", "reasoning", "hermes-4", "sft", "synthetic", "hybrid-reasoning", *tags}),
        "size_categories": [_size_category(data.row_count)],
        "configs": [
            {
                "config_name": "default",
                # `datasets` caches a local folder by its name and this config, never by its files: naming the
                # content here keeps `load_dataset(DIR)` of another version from returning an earlier one's cache
                "description": f"thinkmill dataset version {vid}, content hash {data.version['content_hash']}",
                "data_files": [{"split": s, "path": f"data/{s}-*.parquet"} for s in splits],
            }
        ],
    }


def _audit_line(audit: list[dict[str, Any]]) -> str:
    """One line: how often a second, independent check disagreed with each verifier (docs/verifiers.md)."""
    if not audit:
        return "Verifier audit: no verdicts audited.\n"
    parts = ", ".join(f"`{a['verifier']}` {a['disagreements']}/{a['audited']} ({a['rate']:.1%})" for a in audit)
    return f"Verifier audit (a second, independent check on a sample of verdicts): disagreements {parts}.\n"


def render_card(
    data: CardData,
    *,
    pretty_name: str = "thinkmill dataset",
    tags: list[str] | None = None,
    repo: str | None = None,
    local_dir: str | None = None,
) -> str:
    """The README.md text. `repo`: the Hub repo the version is published to; `local_dir`: the folder it is
    written to; neither: not published (the load snippet reads the database)."""
    v = data.version
    stats, counts, tokens = v["stats"], v["counts"], v["token_totals"]
    header = yaml.safe_dump(yaml_header(data, pretty_name, tags or []), sort_keys=False, allow_unicode=True)
    overall = stats.get("overall", {})
    leak = stats.get("leakage", {}).get("no_think", {})
    vid = v["version_id"]
    parts = [
        f"---\n{header}---\n",
        f"# {pretty_name} ({vid})\n",
        "Supervised fine-tuning data for Hermes 4's hybrid reasoning, built with thinkmill. Think rows carry "
        "Hermes 4's reasoning system prompt and a `<think>` block in the assistant turn; no-think rows carry "
        "neither, so a fine-tune keeps both modes.\n",
        "## Load\n",
        _load_snippet(vid, repo, local_dir, data.db_path),
        "## Splits and modes\n",
        _table(["split", "rows"], [[s, counts.get("split", {}).get(s, 0)] for s in SPLITS]),
        "",
        _languages_line(data),
        _table(
            ["domain", "think", "no_think", "total"],
            [[d, m.get("think", 0), m.get("no_think", 0), sum(m.values())] for d, m in sorted(data.mix.items())],
        ),
        "",
        f"![domain and mode mix]({FIGURES['mix']})\n",
        "## Balance: targets vs achieved\n",
        _table(
            ["measure", "target", "achieved"],
            [
                [
                    "think share by rows",
                    _row_target(stats),
                    overall.get("think_share_rows"),
                ],
                [
                    "think share by tokens",
                    _with_mix(stats.get("targets", {}).get("think_share_tokens"), stats, "tokens"),
                    overall.get("think_share_tokens"),
                ],
                ["token budget", stats.get("targets", {}).get("token_budget"), tokens.get("total")],
                *_domain_target_rows(stats, counts),
            ],
        ),
        "",
        _table(
            ["mode", "rows", "approx. tokens"],
            [[m, counts.get("mode", {}).get(m, 0), tokens.get(m, 0)] for m in ("think", "no_think")],
        ),
        "",
        "Candidates left out, by reason: "
        + (", ".join(f"`{k}` {n}" for k, n in stats.get("dropped", {}).items()) or "none")
        + ".\n",
        f"![think-token length histogram]({FIGURES['think_tokens']})\n",
        "## Example length\n",
        "Approximate tokens of a whole example (every turn's text; within about 20% of a BPE tokenizer, chat "
        "template tokens not counted). Set a trainer's maximum sequence length against p95, measured with the "
        "model's tokenizer: longer rows are truncated or dropped by the trainer.\n",
        _table(
            ["mode", "rows", "p50", "p95", "max"],
            [[m, s["rows"], s["p50"], s["p95"], s["max"]] for m, s in data.lengths.items()],
        ),
        "",
        "## No-think leakage\n",
        _table(
            ["measure", "value"],
            [
                ["no-think rows", leak.get("rows", 0)],
                [
                    "answer tokens (mean / median / p95)",
                    f"{leak.get('answer_tokens_mean', 0)} / {leak.get('answer_tokens_median', 0)} / "
                    f"{leak.get('answer_tokens_p95', 0)}",
                ],
                ["rows with hesitation words", f"{leak.get('hesitation_rows', 0)} ({leak.get('hesitation_share', 0)})"],
                ["rows with think tags", leak.get("think_tag_rows", 0)],
                ["tasks with examples in both modes", stats.get("tasks_in_both_modes", 0)],
            ],
        ),
        "",
        "## Verification\n",
        "The verdicts of every generation of this version's tasks, by domain and mode. Tasks not in the version (none "
        "of whose responses passed, or left out by decontamination or balancing) are not counted, so these rates are "
        "higher than those of the whole run (`thinkmill verify` prints those).\n",
        _table(
            ["domain", "mode", "passed", "judged", "not judged", "pass rate"],
            [
                [d, m, p, n, data.not_judged.get(d, {}).get(m, 0), data.pass_rates[d][m]]
                for d, ms in sorted(data.pass_counts.items())
                for m, (p, n) in sorted(ms.items())
            ],
        ),
        "",
        _absent_line(data.absent_domains),
        "*Not judged*: responses whose check never ran (no sandbox for code, a task's unusable arguments or tests, a "
        "verifier that raised, an LLM judge without a readable answer); they are left out of the pass rate.\n",
        f"Preference pairs (chosen: a passing trace of this version, rejected: a failing trace of the same task and "
        f"mode; `thinkmill export --format dpo`): {data.preference_pairs}.\n",
        f"![pass rates]({FIGURES['pass_rates']})\n",
        _audit_line(data.audit),
        "## Duplicates and decontamination\n",
        "Tasks ingest dropped as duplicates of a kept task (the whole store):\n",
        _table(["duplicate reason", "tasks dropped"], [[k, n] for k, n in data.duplicates.items()] or [["-", 0]]),
        "",
        _trace_drops_table(data),
        "",
        _decontamination(data),
        f"![duplicates and contamination]({FIGURES['filtering']})\n",
        "## Generation provenance\n",
        "Read from the generations behind this version's rows (not from the config at build time).\n",
        _table(
            ["mode", "backend", "model", "revision", "template version", "rows", "per-request seeds"],
            [
                [
                    p["mode"],
                    p["backend"] or "not recorded",
                    p["model"] or "not recorded",
                    p["revision"] or "not recorded",
                    p["template_version"] or "not recorded",
                    p["rows"],
                    _seeds(p),
                ]
                for p in data.provenance
            ],
        ),
        "",
        "Sampling parameters as sent:\n",
        _table(
            ["mode", "rows", "sampling parameters"],
            [
                [s["mode"], s["rows"], f"`{s['params']}`" if s["params"] != "not recorded" else s["params"]]
                for s in data.sampling
            ]
            or [["-", 0, "not recorded"]],
        ),
        "",
        *_sampling_and_cost(data),
        "## Columns\n",
        "Each split is one or more Parquet shards under `data/` (`<split>-NNNNN-of-NNNNN.parquet`); every row has "
        "these columns:\n",
        _columns_table(),
        "",
        "## Example rows\n",
        "One row per mode, long texts shortened in the middle.\n",
        *[_example(mode, msgs) for mode, msgs in data.examples.items()],
        "## Limitations\n",
        _limitations(data),
        "## Lineage\n",
        _table(
            ["field", "value"],
            [
                ["version", vid],
                ["parent", v.get("parent") or "-"],
                ["content hash", f"`{v['content_hash']}`"],
                ["created", str(v["created_at"])],
                ["code version", v.get("code_version") or "-"],
                ["models", ", ".join(stats.get("models", [])) or "-"],
            ],
        ),
        "",
        _table(
            ["source", "licence", "tasks", "rows"],
            [[s["source"], s["license"], s["tasks"], s["rows"]] for s in data.sources],
        ),
        "",
        "Every row keeps `task_id` and `generation_key`: the task it came from and the exact request that "
        "produced the response.\n",
        _licence_section(data),
        "## Reasoning system prompt (think rows)\n",
        f"> {THINK_SYSTEM_PROMPT}\n",
        _own_system_line(data),
        "## Build settings\n",
        "The `balance` settings that chose this version's rows from the verified traces:\n",
        "```yaml\n"
        + yaml.safe_dump(
            {"balance": drop_secret_keys(v["config"].get("balance", {}))}, sort_keys=True, allow_unicode=True
        )
        + "```\n",
    ]
    if v.get("notes"):
        parts.insert(3, f"Notes: {v['notes']}\n")
    return strip_urls("\n".join(parts))


def _licence_section(data: CardData) -> str:
    """What each licence covers: the tasks (their sources' licences, above) and the responses (the generating
    models' own licences, which the task licences do not replace)."""
    lines = ["## Licences\n", "The prompts come from the task sources above, under their licences."]
    unlisted = sorted({name for lic, what, name in _licenses(data) if lic == "other" and what == "tasks"})
    if unlisted:
        quoted = ", ".join(f"`{name}`" for name in unlisted)
        lines.append(f"The Hub has no licence id for {quoted}: the header says `other` (see `license_details`).")
    lines[-1] += " The responses:\n"
    for model in _response_models(data):
        lic = response_license(model)
        if lic == "llama3.1":
            lines.append(f"- {model}: {_LLAMA_TERMS}.")
        elif lic is not None:
            lines.append(f"- {model}: {lic}, its base model's licence.")
        else:
            lines.append(f"- {model}: licence not known to thinkmill; check its model card before publishing.")
    return "\n".join(lines) + "\n"


def _languages_line(data: CardData) -> str:
    if not data.languages:
        return (
            f"Languages: not detected (no prompt among the first {LANGUAGE_SAMPLE} has {LANGUAGE_MIN_LETTERS} letters "
            "of prose).\n"
        )
    shares = ", ".join(f"{code} {share:.0%}" for code, share in data.languages)
    return f"Languages of the prompts (detected on {data.languages_detected} of them): {shares}.\n"


def _own_system_line(data: CardData) -> str:
    """How many rows carry their task's own system prompt (a chat's system turn), or nothing when none do."""
    if not data.own_system:
        return ""
    think, no_think = data.own_system.get("think", 0), data.own_system.get("no_think", 0)
    return (
        f"{think:,} think and {no_think:,} no-think rows also carry their task's own system prompt (a system turn "
        "of the source data), as it was sent: after the reasoning prompt and a blank line on think rows, alone on "
        "no-think rows.\n"
    )


def _usd(x: float | None) -> str:
    return "n/a" if x is None else f"${x:,.4f}"


def _sampling_and_cost(data: CardData) -> list[str]:
    """Adaptive sampling (when used) and what the accepted traces cost (docs/generate.md, "Cost lines")."""
    c = data.cost
    if not c:
        return []
    out = ["## Sampling and cost\n"]
    if data.adaptive:
        out += [
            "Adaptive sampling: more samples only for tasks short of their target of passing traces.\n",
            _table(
                ["mode", "tasks", "samples drawn", "fixed k = max", "reached target", "never passed"],
                [
                    [a["mode"], a["tasks"], a["drawn"], a["fixed_k"], a["reached_target"], a["never_passed"]]
                    for a in data.adaptive
                ],
            ),
            "",
        ]
    modes = c["by_mode"]
    out += [
        f"Cost per accepted think trace: {_usd(modes['think']['usd_per_accepted'])}; per no-think trace: "
        f"{_usd(modes['no_think']['usd_per_accepted'])} ({c['pricing_detail']}). Every generation stored before "
        "this version (failed samples included) over the version's rows of that mode.\n",
        _table(
            ["mode", "generations", "tokens in", "tokens out", "rows", "tokens out per row", "est. cost"],
            [
                [
                    m,
                    v["requests"],
                    v["prompt_tokens"],
                    v["completion_tokens"],
                    v["accepted"],
                    v["completion_tokens_per_accepted"] if v["completion_tokens_per_accepted"] is not None else "-",
                    _usd(v["usd"]),
                ]
                for m, v in modes.items()
            ],
        ),
        "",
    ]
    uncounted = c["stages"]["generate"].get("without_token_counts") or 0
    if uncounted:
        out += [
            f"{uncounted:,} generations carry no token counts (their server reported no usage): their tokens are "
            "unknown, not 0, so the modes they belong to have no cost estimate.\n"
        ]
    judge = c["stages"].get("verify_judge") or {}
    if judge.get("requests"):
        out += [
            f"LLM judge (verify): {judge['requests']:,} requests, {judge['prompt_tokens']:,} tokens in, "
            f"{judge['completion_tokens']:,} out, est. {_usd(judge['usd'])}; included in the cost per accepted "
            "trace of the mode it judged.\n"
        ]
    return out


def _load_snippet(vid: str, repo: str | None, local_dir: str | None, db_path: str) -> str:
    if repo:
        return (
            "```python\nfrom datasets import load_dataset\n"
            f'ds = load_dataset("{repo}", revision="{vid}")  # every version is a tag\n```\n'
        )
    if local_dir:
        return f'```python\nfrom datasets import load_dataset\nds = load_dataset("{local_dir}")\n```\n'
    return (
        "Not published. From the database that holds it:\n\n```python\nimport pipeline\n"
        f'ds = pipeline.load_version("{db_path}", "{vid}")  # DatasetDict(train, validation)\n```\n'
    )


def _decontamination(data: CardData) -> str:
    names = sorted(set(data.benchmarks_configured) | set(data.contamination))
    if not names:
        return (
            "Decontamination: **not checked**. No benchmark was configured (`decontam.benchmarks`) and no "
            "overlap is recorded, so these tasks were not compared with any evaluation benchmark.\n"
        )
    table = _table(
        ["benchmark", "configured at build", "contaminated tasks removed"],
        [[b, "yes" if b in data.benchmarks_configured else "no", data.contamination.get(b, 0)] for b in names],
    )
    note = ""
    if any(b not in data.contamination for b in data.benchmarks_configured):
        note = (
            "\nthinkmill records overlaps, not runs: a configured benchmark with 0 tasks was checked only if "
            "`thinkmill decontaminate` (or the `clean_tasks` asset) ran after the last ingest.\n"
        )
    return table + "\n" + note


def _seeds(p: dict[str, Any]) -> str:
    if not p["seeded"]:
        return "not recorded"
    text = str(p["seed_min"]) if p["seeds"] == 1 else f"{p['seeds']} distinct, {p['seed_min']}..{p['seed_max']}"
    missing = p["rows"] - p["seeded"]
    return text + (f" ({missing} rows not recorded)" if missing else "")


_TYPE_NAMES = {
    "text": "string",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
    "timestamp": "timestamp",
    "text[]": "list of string",
}


def _columns_table() -> str:
    rows = []
    for name in PUBLISHED_COLUMNS:
        c = DATASET_ROW.column(name)
        kind = _TYPE_NAMES.get(c.type) or ("list" if (c.json_shape or {}).get("type") == "array" else "object")
        rows.append([f"`{c.name}`", kind, "no" if not c.nullable else "yes", c.description])
    return _table(["column", "type", "nullable", "description"], rows)


def _elide(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail + 40:
        return text
    return f"{text[:head]}\n[... {len(text) - head - tail} characters omitted ...]\n{text[-tail:]}"


def _shorten(role: str, content: str) -> str:
    if role == "system":
        return _elide(content, 120, 60)
    if role == "assistant" and "</think>" in content:
        think, _, answer = content.partition("</think>")
        return _elide(think, 500, 200) + "</think>" + _elide(answer, 400, 200)
    return _elide(content, 500, 200)


def _example(mode: str, messages: list[dict[str, str]]) -> str:
    out = [f"### {mode}\n"]
    for m in messages:
        text = _shorten(m["role"], m["content"])
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
        out.append(f"**{m['role']}**\n\n{fence}text\n{text}\n{fence}\n")
    return "\n".join(out)


# What a verifier passing does not tell (docs/verifiers.md); verifiers not listed are custom ones.
_NOT_CHECKED = {
    "math": "only the final answer's equivalence with the reference; not the derivation",
    "mcq": "only the chosen letter; not the reasoning behind it",
    "exact": "only the final answer's text; not how it was reached",
    "regex": "only that the pattern occurs; not the rest of the answer",
    "numeric": "only the final number within tolerance; not units or the working",
    "json_schema": "only the JSON value's shape; not its content beyond the schema",
    "code": "only the given tests within the time limit; not untested inputs, efficiency or style",
    "ifeval": "only the format constraints; not the content's quality or truth",
}


def _absent_line(absent: dict[str, tuple[int, int, int]]) -> str:
    """The domains judged but without a row in the version (`_absent_domains`), or "" when there are none."""
    if not absent:
        return ""
    listed = "; ".join(
        f"{d} ({n:,} task{'s' if n != 1 else ''}, {p:,} of {j:,} judged responses passed)"
        for d, (n, p, j) in absent.items()
    )
    return f"Domains judged but without a row in this version: {listed}.\n"


def _cut_cause(data: CardData) -> str:
    """Why the version holds rows whose generation was cut: the lints versions and settings of their verdicts."""
    lints = data.cut_rows_lints
    if not lints:
        return "their verdicts record no lints version"
    enabled = ((data.version["config"].get("verify") or {}).get("lints") or {}).get("enabled")
    why = f"their verdicts, made by lints {', '.join(lints)}, passed them"
    if any(int(v) < 17 for v in lints):
        if enabled and "think_format" not in enabled:
            return (
                f"{why} with the `think_format` lint family switched off (`verify.lints.enabled`: "
                f"{', '.join(enabled)}), which before lints 17 let cut texts pass"
            )
        return f"{why}: before lints 17 a text its server called finished at its `max_tokens` passed"
    return f"{why}: their generations' finish reason or token count changed after they were judged"


def _limitations(data: CardData) -> str:
    stats = data.version["stats"]
    leak = stats.get("leakage", {}).get("no_think", {})
    balance = data.version["config"].get("balance", {})
    verifier_rows = [
        [f"`{v}`", n, _NOT_CHECKED.get(v, "custom verifier: see its own documentation")]
        for v, n in data.verifiers.items()
    ]
    trunc_rows = []
    for mode in ("think", "no_think"):
        t = data.truncation.get(mode, {"generations": 0, "recorded": 0, "length": 0})
        if t["recorded"]:
            trunc_rows.append(
                [
                    mode,
                    t["generations"],
                    t["length"],
                    round(t["length"] / t["recorded"], 4),
                    t["generations"] - t["recorded"],
                ]
            )
        else:
            trunc_rows.append([mode, t["generations"], "not recorded", "not recorded", t["generations"]])
    max_tokens: dict[str, set[str]] = {}
    for s in data.sampling:
        try:
            mt = json.loads(s["params"]).get("max_tokens")
        except (json.JSONDecodeError, AttributeError):
            mt = None
        max_tokens.setdefault(s["mode"], set()).add(str(mt) if mt is not None else "not recorded")
    budget = (
        "; ".join(
            f"{m}: {', '.join(sorted(v))}" for m, v in sorted(max_tokens.items(), key=lambda kv: kv[0] != "think")
        )
        or "not recorded"
    )
    cut_rows = sum(data.truncated_rows.values())
    unrecorded = sum(data.unrecorded_finish_rows.values())
    parts = [
        "- **Verifiers check the final answer only** (the text after `</think>`). The reasoning inside the think "
        "block is not checked for correctness: lints check only its form (one closed block, length budget, "
        "repetition, language), so a trace can reach a right answer through wrong steps.\n",
        _table(["verifier", "rows", "a pass does not check"], verifier_rows or [["-", 0, "-"]]),
        "",
        f"- **Think / no-think leakage.** {leak.get('hesitation_rows', 0)} of {leak.get('rows', 0)} no-think rows "
        f"deliberate with hesitation words and {leak.get('think_tag_rows', 0)} hold think tags (drop_leaky_no_think: "
        f"{json.dumps(balance.get('drop_leaky_no_think', 'not recorded'))}, drop_hesitant_no_think: "
        f"{json.dumps(balance.get('drop_hesitant_no_think', 'not recorded'))}); "
        f"{stats.get('leakage', {}).get('hesitant_think_answer_candidates', 0)} think candidates deliberated after "
        "`</think>` (drop_hesitant_think_answers: "
        f"{json.dumps(balance.get('drop_hesitant_think_answers', 'not recorded'))}); "
        f"{stats.get('tasks_in_both_modes', 0)} tasks have rows in both modes. A fine-tune can still carry "
        "reasoning style into no-think answers.\n",
        f"- **Length budget.** Requests allowed max_tokens {budget}. Generations stopped at that limit are not "
        "SFT targets, so problems that need the longest reasoning are under-represented. Truncation rate, over "
        "every generation of this version's tasks (finish reason `length`):\n",
        _table(
            ["mode", "generations", "stopped at length", "share of recorded", "finish reason not recorded"], trunc_rows
        ),
        "",
        f"- Rows of this version whose generation stopped at the length limit or did not finish (finish reason "
        f"`length`, `abort`, `content_filter`, ..., or tokens that reached the request's `max_tokens`): {cut_rows}"
        + (f" ({_cut_cause(data)}; check them before training)." if cut_rows else ".")
        + (
            f" Rows whose finish reason was not recorded: {unrecorded} (nothing shows whether their server cut them)."
            if unrecorded
            else ""
        )
        + "\n",
        "- Token counts in this card are approximate (within about 20% of a BPE tokenizer).\n",
    ]
    if data.quoted_think_close:
        parts.append(
            f"- **`</think>` in answers.** {data.quoted_think_close} rows quote `</think>` in the assistant turn "
            "beyond its think block (an answer about think tags, in its code). Chat templates that split the "
            "assistant turn at `</think>` (Qwen3-style, e.g. TRL's `qwen3.jinja`) train these rows on a cut answer; "
            "thinkmill's Hermes 4 training template (`thinkmill export --template-out`) renders them whole.\n"
        )
    return "\n".join(parts)


def write_card(
    store: Store,
    version: str,
    out: Path,
    *,
    pretty_name: str = "thinkmill dataset",
    tags: list[str] | None = None,
    repo: str | None = None,
    local_dir: str | None = None,
) -> list[Path]:
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
    readme.write_text(
        render_card(data, pretty_name=pretty_name, tags=tags, repo=repo, local_dir=local_dir), encoding="utf-8"
    )
    return [readme, *written]
