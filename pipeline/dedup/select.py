"""Per-task selection of verified traces: length bounds, near-duplicate removal, then at most m per task and mode.

Only passing verdicts get a row in `trace_selection` (failed ones already carry their reason in `verdicts`, and
one reason per row keeps counts honest). Each passing trace is either selected or dropped with one reason,
checked in this order:

1. `select:too_short` / `select:too_long`: outside `min_tokens` / `max_tokens` (tokens of the whole trace, think
   block included, by `pipeline.trace.count_tokens`). These are not clustered (`cluster_id` null), so a trace
   outside the bounds never represents, and so never removes, an in-bounds duplicate.
2. `dedup:duplicate_of:<generation_key>`: the dedup engine runs over all in-bounds traces of one mode, in
   policy order, so the trace kept from a cluster is the one the policy prefers. With `dedup_scope: task` (the
   default) a trace is only a duplicate of a trace of the same task; `dedup_scope: all` also links traces of
   different tasks; there, traces the build leaves out (`unusable_tasks`: a contaminated or retired task, one no
   longer in `tasks`) come after the others, so a cluster keeps a trace the build can use when it has one.
3. `select:over_cap`: more than `max_per_task` survivors for the task and mode. Traces the build drops by themselves
   (`build_drop`: an empty answer, think tags or hesitation in a no-think answer, hesitation after `</think>`, as the
   `balance` settings say, and with `balance.current_settings_only` traces of other `generate` settings) come after
   the others, here and in step 2; among each, the policy picks which stay:
   - `shortest`: fewest tokens (ties by generation key);
   - `random`: a seeded shuffle (stable for the same seed and keys);
   - `diverse`: start from the shortest, then repeatedly add the trace least similar (rapidfuzz ratio on
     normalised text) to those already kept: near-duplicates are skipped first, and the kept set spans the
     different solutions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import xxhash
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipeline.dataset.candidates import hesitation_pattern, trace_parts, without_code
from pipeline.dataset.config import BalanceConfig
from pipeline.dedup.config import DedupConfig, SelectConfig
from pipeline.dedup.engine import dedup_texts
from pipeline.dedup.normalize import normalize_series
from pipeline.generate.config import GenerateConfig
from pipeline.report import StageReport
from pipeline.store import Store, now_utc
from pipeline.trace import THINK_IN_NO_THINK, count_tokens, parse_trace
from schemas import table

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig

TOO_SHORT = "select:too_short"
TOO_LONG = "select:too_long"
OVER_CAP = "select:over_cap"
DUPLICATE_PREFIX = "dedup:duplicate_of:"


def trace_text(raw_text: str | None, think: str | None, answer: str | None) -> str:
    """The text a trace is judged by: the whole assistant output (think block included)."""
    if raw_text is not None:
        return raw_text
    parts = [p for p in (think, answer) if p]
    return "\n".join(parts)


def build_drop(
    mode: str | None,
    raw_text: str | None,
    think: str | None,
    answer: str | None,
    balance: BalanceConfig,
    hesitation: re.Pattern[str] | None,
) -> str | None:
    """The reason the build (`pipeline.dataset.candidates` and `balance`) leaves a passing trace out by itself, as it
    reads the trace, or None; `hesitation` is `hesitation_pattern(balance.hesitation_words)`. Drops that depend on
    other rows (mode mix, quotas, budget) are not the trace's own."""
    if raw_text is None and answer is None:
        return "balance:no_output"
    if mode not in ("think", "no_think"):
        return "balance:unknown_mode"
    think, answer = trace_parts(mode, raw_text, think, answer)
    if not answer:
        return "balance:empty_answer"
    hesitates = hesitation is not None and hesitation.search(without_code(answer)) is not None
    if mode == "think":
        if not think or not think.strip():
            return "balance:empty_think"
        return "balance:think_answer_hesitation" if hesitates and balance.drop_hesitant_think_answers else None
    leaked = any(THINK_IN_NO_THINK in parse_trace(t, "no_think").flags for t in (raw_text or answer, answer))
    if leaked and balance.drop_leaky_no_think:
        return "balance:no_think_leak"
    return "balance:no_think_hesitation" if hesitates and balance.drop_hesitant_no_think else None


def _order_key(df: pl.DataFrame, cfg: SelectConfig) -> pl.DataFrame:
    """Sort rows in policy order (most preferred first) within the frame."""
    if cfg.policy == "random":
        # xxh64 of the seed and the key: polars' `hash` is stable only within one polars version, so an upgrade
        # picked other traces for the same seed (`RANDOM_ORDER` in the settings digest makes such a selection again)
        order = [xxhash.xxh64_intdigest(f"{cfg.seed}\x1f{k}".encode()) for k in df["generation_key"].to_list()]
        return df.with_columns(pl.Series("_o", order, dtype=pl.UInt64)).sort("_o", "generation_key")
    return df.with_columns(pl.col("tokens").alias("_o")).sort("_o", "generation_key")


def _diverse_pick(texts: list[str], m: int) -> list[int]:
    """Farthest-first: indices of m texts, starting with index 0 (the policy's first choice).

    Only the similarity rows of the texts picked before the last are computed (m - 1 rows, not the k x k matrix:
    a think trace runs to ~100 KB, ~0.4 s a ratio); the picks are those of the whole matrix."""
    if len(texts) <= m or m <= 1:
        return list(range(min(len(texts), m)))

    def row(i: int) -> np.ndarray:
        return cdist([texts[i]], texts, scorer=fuzz.ratio, dtype=np.float32, workers=1)[0]

    picked = [0]
    closest = row(0)
    closest[0] = np.inf
    while len(picked) < m:
        nxt = int(np.argmin(closest))  # least similar to everything kept so far (first on ties)
        picked.append(nxt)
        if len(picked) < m:
            closest = np.maximum(closest, row(nxt))
            closest[picked] = np.inf
    return sorted(picked)


def select_traces(
    generations: pl.DataFrame,
    verdicts: pl.DataFrame,
    config: SelectConfig | None = None,
    dedup: DedupConfig | None = None,
    unusable_tasks: Collection[str] = (),
    balance: BalanceConfig | None = None,
    current: Collection[str] | None = None,
) -> pl.DataFrame:
    """The `trace_selection` rows for every passing verdict (see the module docstring for the rules).

    `unusable_tasks`: tasks whose traces the build leaves out; across tasks (`dedup_scope: all`) their traces are
    a cluster's kept trace only when no other trace of the cluster is. `balance`: the build's settings, which decide
    the traces it drops by themselves (`build_drop`; default: the build's defaults). `current`: with
    `balance.current_settings_only`, the generation keys of the current `generate` settings
    (`pipeline.dataset.request_settings.current_passing_keys`); the build drops the others, so they rank last too
    (None: every trace is current)."""
    cfg = config or SelectConfig()
    bal = balance or BalanceConfig()
    hesitation = hesitation_pattern(bal.hesitation_words)
    contract = table("trace_selection")
    passing = verdicts.filter(pl.col("passed")).select("generation_key")
    gens = generations.select("key", "task_id", "mode", "raw_text", "think", "answer").rename({"key": "generation_key"})
    df = passing.join(gens, on="generation_key", how="left")
    missing = df.filter(pl.col("task_id").is_null())
    if missing.height:
        from pipeline.dedup.errors import DedupInputError

        raise DedupInputError(f"verdict for generation_key {missing['generation_key'][0]!r} has no generation row")
    if df.height == 0:
        return contract.empty_frame()
    rows = df.select("mode", "raw_text", "think", "answer").iter_rows()
    # before, the policy's first trace could be one the build drops ("Hmm. It is 72." in no-think mode) while the
    # task's usable trace was dropped as over the cap or as its duplicate: the task lost its row
    dropped = [build_drop(m, r, t, a, bal, hesitation) is not None for m, r, t, a in rows]
    if current is not None:  # before, an old model's trace could fill the cap and the current one was left out
        wanted = set(current)
        keys = df.get_column("generation_key").to_list()
        dropped = [d or k not in wanted for d, k in zip(dropped, keys, strict=True)]
    texts = [trace_text(r, t, a) for r, t, a in df.select("raw_text", "think", "answer").iter_rows()]
    df = df.select("generation_key", "task_id", "mode").with_columns(
        pl.Series("text", texts, dtype=pl.String),
        pl.Series("tokens", [count_tokens(t) for t in texts], dtype=pl.Int64),
        pl.Series("_unusable", dropped, dtype=pl.Boolean),
    )
    reason = pl.lit(None, dtype=pl.String)
    if cfg.min_tokens is not None:
        reason = pl.when(pl.col("tokens") < cfg.min_tokens).then(pl.lit(TOO_SHORT)).otherwise(reason)
    if cfg.max_tokens is not None:
        reason = pl.when(pl.col("tokens") > cfg.max_tokens).then(pl.lit(TOO_LONG)).otherwise(reason)
    df = df.with_columns(reason.alias("reason"), pl.lit(None, dtype=pl.String).alias("cluster_id"))

    out_of_bounds = df.filter(pl.col("reason").is_not_null())
    parts = [out_of_bounds]
    for _, group in df.filter(pl.col("reason").is_null()).group_by("mode", maintain_order=True):
        ordered = _order_key(group, cfg).drop("_o")
        scoped = cfg.dedup_scope == "task"
        if not scoped and unusable_tasks:
            # before, a contaminated task's copy could be kept and its clean near-copies dropped as its duplicates;
            # the build then dropped the kept one too
            unusable = pl.col("task_id").is_in(pl.Series(list(unusable_tasks), dtype=pl.String))
            ordered = ordered.sort(pl.col("_unusable") | unusable, unusable, maintain_order=True)
        else:
            ordered = ordered.sort("_unusable", maintain_order=True)
        res = dedup_texts(
            ordered["generation_key"],
            ordered["text"],
            dedup,
            groups=ordered["task_id"] if scoped else None,
            group_exact=scoped,
        )
        parts.append(
            ordered.with_columns(
                res["cluster_id"].alias("cluster_id"),
                pl.when(res["keep"])
                .then(None)
                .otherwise(pl.lit(DUPLICATE_PREFIX) + res["duplicate_of"])
                .alias("reason"),
            )
        )
    df = pl.concat(parts, how="vertical")
    df = _apply_cap(df, cfg)
    return df.select(
        "generation_key",
        "task_id",
        "mode",
        pl.col("reason").is_null().alias("selected"),
        "reason",
        "cluster_id",
        "tokens",
        pl.lit(now_utc()).cast(contract.polars_schema()["created_at"]).alias("created_at"),
    ).sort("task_id", "mode", "generation_key")


def _apply_cap(df: pl.DataFrame, cfg: SelectConfig) -> pl.DataFrame:
    """`select:over_cap` for the survivors past `max_per_task`: those the build keeps first (`_unusable` last)."""
    survivors = _order_key(df.filter(pl.col("reason").is_null()), cfg).drop("_o").sort("_unusable", maintain_order=True)
    over: list[str] = []
    m = cfg.max_per_task
    for _, group in survivors.group_by("task_id", "mode", maintain_order=True):
        if group.height <= m:
            continue
        keys = group["generation_key"].to_list()
        if cfg.policy == "diverse":
            texts = normalize_series(group["text"]).to_list()
            usable = group.height - int(group["_unusable"].sum())
            keep = set(_diverse_pick(texts[:usable], m))
            keep |= {usable + i for i in _diverse_pick(texts[usable:], m - len(keep))}
        else:
            keep = set(range(m))
        over += [k for i, k in enumerate(keys) if i not in keep]
    return df.with_columns(
        pl.when(pl.col("generation_key").is_in(over)).then(pl.lit(OVER_CAP)).otherwise(pl.col("reason")).alias("reason")
    )


def selection_summary(selection: pl.DataFrame) -> dict[str, Any]:
    """Counts for reports: rows by reason, duplicates found, cluster-size histogram, tokens saved by reason."""
    reasons = selection["reason"].fill_null("selected").str.replace(r"^dedup:duplicate_of:.*", "dedup:duplicate")
    by_reason = dict(Counter(reasons.to_list()))
    sizes = selection.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id").len()["len"]
    histogram = {str(k): int(v) for k, v in sorted(Counter(sizes.to_list()).items())}
    saved = (
        selection.filter(~pl.col("selected"))
        .with_columns(reasons.filter(~selection["selected"]).alias("r"))
        .group_by("r")
        .agg(pl.col("tokens").sum())
    )
    return {
        "rows": selection.height,
        "selected": int(selection["selected"].sum()) if selection.height else 0,
        "by_reason": by_reason,
        "duplicates": by_reason.get("dedup:duplicate", 0),
        "cluster_size_histogram": histogram,
        "tokens_selected": int(selection.filter("selected")["tokens"].sum()) if selection.height else 0,
        "tokens_saved": {r: int(t) for r, t in saved.iter_rows()},
    }


_GEN_SCHEMA = {
    "key": pl.String,
    "task_id": pl.String,
    "mode": pl.String,
    "raw_text": pl.String,
    "think": pl.String,
    "answer": pl.String,
}
_VERDICT_SCHEMA = {"generation_key": pl.String, "passed": pl.Boolean}
_SELECTION_COLUMNS = "generation_key, task_id, mode, selected, reason, cluster_id, tokens, created_at"
_FINGERPRINT_PREFIX = "select-config:"
_DROPS_PREFIX = "build-drops:"
_CURRENT_PREFIX = "current-settings:"  # `settings_digest` of the generate settings ranked first, when ranked so
# the `balance` settings that decide which traces the build drops by themselves (`build_drop`)
BUILD_DROP_SETTINGS = (
    "drop_leaky_no_think",
    "drop_hesitant_no_think",
    "drop_hesitant_think_answers",
    "hesitation_words",
)
# tasks of passing traces that the build leaves out (`pipeline.dataset.candidates`: contaminated, or not in `tasks`;
# `pipeline.dataset.versions`: retired)
_UNUSABLE_SQL = (
    "SELECT DISTINCT g.task_id FROM generations g JOIN verdicts v ON v.generation_key = g.key "
    "WHERE (g.task_id IN (SELECT task_id FROM contamination) OR g.task_id NOT IN (SELECT task_id FROM tasks) "
    "OR g.task_id IN (SELECT task_id FROM retired_tasks)) AND v.passed"
)
RANDOM_ORDER = "xxh64(seed, key)"  # how the random policy orders traces (`_order_key`)
# The selection rules' version: bump it when a change picks other traces for the same data and settings (the rules
# above, `normalize_series`, `count_tokens`, the dedup engine's clusters). It is part of the settings digest, so the
# first `select` after such an upgrade selects every task again, once; before, only tasks with new verdicts were, and
# the others kept the old code's choices. Version 1 is the rules of every digest written before it was recorded: it
# leaves the digest as it was (no needless reselection), each later version changes it.
# 2: traces the build drops by themselves (hesitant, leaky) are ranked after usable ones (`build_drop`), and option
# letters guard near duplicates as numbers do (the engine's `_guard_key`)
# 3: Chinese and Japanese traces: a digit next to a Han, kana or Hangul letter is a number to the numbers rule, and
# spaces next to Han or kana are ignored (`normalize_series(cjk_spacing=True)`)
# 4: a run of Han numerals ("三", "十二") is a number to the numbers rule (`engine.han_numeral_value`)
# 5: a text in a script written without spaces (Han, kana, Thai) is indexed by character shingles at any length
# (`engine.NO_SPACE_SCRIPT`): a long Chinese trace with one character changed was no candidate
SELECT_VERSION = 5


def config_fingerprint(config: SelectConfig, dedup: DedupConfig) -> str:
    """A digest of every setting that changes which traces are selected (not threads or batch sizes), and of the
    selection rules' version (`SELECT_VERSION`)."""
    settings: dict[str, Any] = {
        "select": config.model_dump(mode="json"),
        "dedup": dedup.model_dump(mode="json", exclude={"batch_size", "workers"}),
    }
    if config.policy == "random":
        settings["random_order"] = RANDOM_ORDER  # a selection made in polars' order is made again
    if SELECT_VERSION != 1:
        settings["select_version"] = SELECT_VERSION  # a selection made by older rules is made again
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:32]


def drops_fingerprint(balance: BalanceConfig) -> str:
    """A digest of the `balance` settings the selection ordered traces by (`BUILD_DROP_SETTINGS`). Kept beside
    `config_fingerprint` in the table's comment, not in it: the build compares that one with its own select and
    dedup settings."""
    settings = {k: getattr(balance, k) for k in BUILD_DROP_SETTINGS}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:32]


def _stored_digests(store: Store) -> dict[str, str]:
    """The digests in the stored trace selection's comment, by prefix (`select-config:`, `build-drops:`)."""
    row = store.fetchone(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'trace_selection' AND schema_name = 'main'"
    )
    comment = row[0] if row else None
    if not isinstance(comment, str) or not comment.startswith(_FINGERPRINT_PREFIX):
        return {}
    out = {}
    for part in comment.split():
        for prefix in (_FINGERPRINT_PREFIX, _DROPS_PREFIX, _CURRENT_PREFIX):
            if part.startswith(prefix):
                out[prefix] = part.removeprefix(prefix)
    return out


def stored_fingerprint(store: Store) -> str | None:
    """The `config_fingerprint` the stored trace selection was made with, or None (no selection, or one written by
    hand or by an older thinkmill)."""
    return _stored_digests(store).get(_FINGERPRINT_PREFIX)


def stored_drops_fingerprint(store: Store) -> str | None:
    """The `drops_fingerprint` the stored trace selection was ordered by, or None (no selection, or one made before
    selection ranked the build's drops)."""
    return _stored_digests(store).get(_DROPS_PREFIX)


def stored_current_settings(store: Store) -> str | None:
    """The `settings_digest` of the generate settings whose traces the stored selection ranked first
    (`balance.current_settings_only`), or None (ranked without regard to settings)."""
    return _stored_digests(store).get(_CURRENT_PREFIX)


def current_settings_digest(balance: BalanceConfig, generate: GenerateConfig | None) -> str | None:
    """What `stored_current_settings` should be for these settings: None unless `balance.current_settings_only`."""
    if not balance.current_settings_only or generate is None:
        return None
    from pipeline.dataset.request_settings import settings_digest

    return settings_digest(generate)


def stale_tasks(store: Store) -> list[str]:
    """Tasks whose selection may be out of date: a verdict at or after the task's last selection, a passing
    verdict without a selection row, or a selection row whose generation no longer passes."""
    rows = store.fetchall(
        "WITH last AS (SELECT task_id, max(created_at) AS at FROM trace_selection GROUP BY task_id) "
        "SELECT v.task_id FROM verdicts v LEFT JOIN last l ON l.task_id = v.task_id "
        "WHERE v.passed AND (l.at IS NULL OR v.created_at >= l.at) "
        "UNION SELECT s.task_id FROM trace_selection s LEFT JOIN verdicts v ON v.generation_key = s.generation_key "
        "WHERE v.generation_key IS NULL OR NOT v.passed "
        "UNION SELECT v.task_id FROM verdicts v LEFT JOIN trace_selection s ON s.generation_key = v.generation_key "
        "WHERE v.passed AND s.generation_key IS NULL"
    )
    return sorted(r[0] for r in rows)


def select_and_store(
    store: Store,
    config: SelectConfig | None = None,
    dedup: DedupConfig | None = None,
    balance: BalanceConfig | None = None,
    generate: GenerateConfig | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Bring `trace_selection` up to date and return the whole table with its summary.

    The cap is per task over all its traces, so a new verdict can change earlier choices of its task: every task
    with a verdict at or after its last selection (or with rows whose generation no longer passes) is recomputed
    from all its passing traces and its rows replaced; other tasks' rows are not touched. The result equals a
    full recompute. A full recompute runs instead when the select/dedup settings or the selection rules' version
    (`SELECT_VERSION`) differ from the last run's (their digest is kept as the table's comment), when the build's
    settings that decide its own drops do (`drops_fingerprint`, in the comment too; `balance`: default the build's
    defaults), or with `dedup_scope: all`, where a new trace can be the duplicate of any task's trace. With
    `balance.current_settings_only` the traces `generate` would not request again rank last (the build drops them):
    a change of those settings (`settings_digest`, in the comment as well) or of the switch selects every task again.
    """
    cfg = config or SelectConfig()
    dd = dedup or DedupConfig()
    bal = balance or BalanceConfig()
    fingerprint = config_fingerprint(cfg, dd)
    drops = drops_fingerprint(bal)
    current = current_settings_digest(bal, generate)
    # one transaction: the verdicts read and the rows written are one snapshot, so a verdict committed meanwhile
    # by another process cannot fall between them (it waits, and is newer than the rows stamped here)
    with store.writing() as w:
        started = now_utc()  # stamped on the new rows: verdicts written after this are newer than the selection
        stored = _stored_digests(store)
        full = cfg.dedup_scope == "all" or stored.get(_FINGERPRINT_PREFIX) != fingerprint
        # a selection made under other build drops (or before they were recorded) ordered other traces first
        full = full or stored.get(_DROPS_PREFIX) != drops
        full = full or stored.get(_CURRENT_PREFIX) != current  # ranked by other (or without) current settings
        tasks: list[str] | None = None if full else stale_tasks(store)
        where, params = ("", []) if tasks is None else (" AND v.task_id IN (SELECT unnest(?::VARCHAR[]))", [tasks])
        selection = (
            contract_empty()
            if tasks == []
            else _recompute(store, where, params, cfg, dd, bal, started, generate if current else None)
        )
        if tasks is None:
            w.delete("trace_selection", "TRUE")
        elif tasks:
            w.delete("trace_selection", "task_id IN (SELECT unnest(?::VARCHAR[]))", [tasks])
            # rows filed under another task id than their verdict's (a re-keyed generation) go too
            w.delete("trace_selection", "generation_key NOT IN (SELECT generation_key FROM verdicts WHERE passed)")
        if selection.height:
            w.insert("trace_selection", selection, on_conflict="replace")
        if tasks is None:
            ranked = f" {_CURRENT_PREFIX}{current}" if current else ""
            w.execute(
                f"COMMENT ON TABLE trace_selection IS '{_FINGERPRINT_PREFIX}{fingerprint} {_DROPS_PREFIX}{drops}"
                f"{ranked}'"
            )
    whole = store.query(f"SELECT {_SELECTION_COLUMNS} FROM trace_selection ORDER BY task_id, mode, generation_key")
    whole = store.conform("trace_selection", whole) if whole.height else contract_empty()
    return whole, selection_summary(whole)


def _recompute(
    store: Store,
    where: str,
    params: list[Any],
    cfg: SelectConfig,
    dd: DedupConfig,
    balance: BalanceConfig,
    started: Any,
    generate: GenerateConfig | None = None,
) -> pl.DataFrame:
    verdicts = store.query(f"SELECT v.generation_key, v.passed FROM verdicts v WHERE v.passed{where}", params)
    gens = store.query(
        "SELECT g.key, g.task_id, g.mode, g.raw_text, g.think, g.answer FROM generations g "
        f"JOIN verdicts v ON v.generation_key = g.key WHERE v.passed{where}",
        params,
    )
    gens = gens.cast(_GEN_SCHEMA) if gens.height else pl.DataFrame(schema=_GEN_SCHEMA)
    verdicts = verdicts.cast(_VERDICT_SCHEMA) if verdicts.height else pl.DataFrame(schema=_VERDICT_SCHEMA)
    unusable: list[str] = []
    if cfg.dedup_scope == "all":  # within one task every trace is usable or none is
        unusable = [r[0] for r in store.fetchall(_UNUSABLE_SQL + where, params)]
    current = None
    if generate is not None:  # `balance.current_settings_only`: the traces generate would request again first
        from pipeline.dataset.request_settings import current_passing_keys

        current = current_passing_keys(store, generate, where, params)
    return select_traces(gens, verdicts, cfg, dd, unusable, balance, current).with_columns(
        pl.lit(started).cast(table("trace_selection").polars_schema()["created_at"]).alias("created_at")
    )


def contract_empty() -> pl.DataFrame:
    return table("trace_selection").empty_frame()


def run(store: Store, cfg: ThinkmillConfig) -> StageReport:
    """The select stage: make `trace_selection` the selection over every passing trace. In = passing traces,
    out = traces selected; drops = the others by reason (`dedup:duplicate`, `select:over_cap`, ...)."""
    from pipeline.executor import using
    from pipeline.executor.runtime import resolved

    report = StageReport("select")
    with report.timed("select"), using(resolved(cfg)) as on_ray:  # `executor: {kind: ray}`: dedup on Ray
        _, summary = select_and_store(store, cfg.select, cfg.dedup, cfg.balance, cfg.generate)
    report.set(**on_ray)
    report.rows_in, report.rows_out = summary["rows"], summary["selected"]
    report.add_drops({r: n for r, n in summary["by_reason"].items() if r != "selected"})
    report.set(**summary)
    report.summary = [
        f"{summary['selected']} of {summary['rows']} passing traces selected; "
        f"{summary['duplicates']} near/exact duplicates"
    ]
    return report
