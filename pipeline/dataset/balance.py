"""Choose a version's examples: the think / no-think mix by rows or tokens, per-domain quotas, a token budget.

Difficulty decides the mode of a task that has candidates in both modes: tasks with a low think pass rate keep
their think traces, tasks the model also solves without thinking become no-think examples. By default a task
gives examples of one mode only (the hybrid-thinking study found that reduces leakage). Every candidate left out
gets a reason (`balance:mode_disjoint`, `balance:think_share`, `balance:domain_quota`, ...), counted in the stats.
Deterministic: ties are broken by a hash of (seed, generation key), never by input order.

Per-domain settings (`domain_think_share`, `domain_quotas`) are checked against the domains the store holds: a key
that names no task's domain (`maths` for `math`) is refused, since it would apply to no row while the user believes
it does; a key naming a domain with tasks but no candidate in this build is reported, not refused.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import mean, median
from typing import Any

import polars as pl
import xxhash

from pipeline.dataset.candidates import Candidates, hesitation_pattern, hesitation_word, without_code
from pipeline.dataset.config import BalanceConfig
from pipeline.dataset.errors import DatasetError

DOMAIN_SETTINGS = ("domain_think_share", "domain_quotas")


@dataclass
class _Row:
    idx: int
    key: str
    task_id: str
    mode: str
    tokens: int
    rank: int


@dataclass
class _Task:
    task_id: str
    think: list[_Row] = field(default_factory=list)
    no_think: list[_Row] = field(default_factory=list)
    think_rate: float = 0.0
    no_think_rate: float = 0.0
    rank: int = 0


@dataclass
class BalanceResult:
    rows: pl.DataFrame  # the chosen candidate rows
    stats: dict[str, Any]


def _hash(seed: int, *parts: str) -> int:
    return xxhash.xxh64_intdigest("\x1f".join((str(seed), *parts)).encode())


def _weight(row: _Row, unit: str | None) -> float:
    return float(row.tokens) if unit == "tokens" else 1.0


def _share(think: float, no_think: float) -> float | None:
    total = think + no_think
    return think / total if total else None


class _Pool:
    """The kept rows of one domain, ordered so that the least valuable row of a mode is last."""

    def __init__(self, think: list[_Row], no_think: list[_Row], unit: str | None) -> None:
        self.rows = {"think": think, "no_think": no_think}
        self.unit = unit

    def weight(self, mode: str, unit: str | None = None) -> float:
        u = self.unit if unit is None else unit
        return sum(_weight(r, u) for r in self.rows[mode])

    def share(self, unit: str | None = None) -> float | None:
        return _share(self.weight("think", unit), self.weight("no_think", unit))

    def trim_to_share(self, target: float, tolerance: float, dropped: Counter[str], reason: str) -> None:
        """Drop surplus rows of the over-represented mode while that brings the share closer to the target."""
        t, n = self.weight("think"), self.weight("no_think")
        while t + n > 0:
            share = t / (t + n)
            if abs(share - target) <= tolerance:
                return
            mode = "think" if share > target else "no_think"
            if not self.rows[mode]:
                return
            w = _weight(self.rows[mode][-1], self.unit)
            nt, nn = (t - w, n) if mode == "think" else (t, n - w)
            new = _share(nt, nn)
            if new is None or abs(new - target) >= abs(share - target):
                return
            self.rows[mode].pop()
            dropped[reason] += 1
            t, n = nt, nn

    def cap_rows(self, cap: int, dropped: Counter[str], reason: str) -> None:
        total = len(self.rows["think"]) + len(self.rows["no_think"])
        if total <= cap:
            return
        keep_think = round(cap * len(self.rows["think"]) / total)
        keep = {"think": keep_think, "no_think": cap - keep_think}
        for mode, k in keep.items():
            dropped[reason] += max(0, len(self.rows[mode]) - k)
            del self.rows[mode][k:]


def _closest(key: str, domains: list[str]) -> str | None:
    same_case = [d for d in domains if d.lower() == key.lower()]
    close = same_case or difflib.get_close_matches(key, domains, n=1)
    return close[0] if close else None


def check_domain_settings(
    cfg: BalanceConfig, task_domains: Iterable[str], candidate_domains: Iterable[str]
) -> dict[str, list[str]]:
    """Refuse a per-domain key that names no domain of the store's tasks (a typo: the setting would apply to no row);
    return the keys that name a domain with tasks but no candidate row in this build, by setting (they apply to
    nothing this time: a note for the build report)."""
    with_rows = set(candidate_domains)
    known = sorted(set(task_domains) | with_rows)
    unknown: list[str] = []
    unapplied: dict[str, list[str]] = {}
    for setting in DOMAIN_SETTINGS:
        for key in sorted(getattr(cfg, setting)):
            if key not in known:
                close = _closest(key, known)
                unknown.append(f"balance.{setting}.{key}" + (f" (did you mean {close!r}?)" if close else ""))
            elif key not in with_rows:
                unapplied.setdefault(setting, []).append(key)
    if unknown:
        raise DatasetError(
            f"{', '.join(unknown)}: "
            + ("no task has that domain, so the setting" if len(unknown) == 1 else "no task has those domains, so they")
            + " would apply to no row (domains are case-sensitive); the tasks' domains: "
            f"{', '.join(known) or 'none (the store holds no tasks)'}"
        )
    return unapplied


def balance(cands: Candidates, cfg: BalanceConfig, task_domains: Iterable[str] | None = None) -> BalanceResult:
    """Pick the rows of a version from its candidates (see module docstring). `task_domains`: the domains of the
    store's tasks, against which the per-domain settings are checked (default: the candidates' domains)."""
    df = cands.rows
    candidate_domains = set(df.get_column("domain").unique().to_list()) if df.height else set()
    unapplied = check_domain_settings(
        cfg, candidate_domains if task_domains is None else task_domains, candidate_domains
    )
    dropped: Counter[str] = Counter(cands.dropped)
    unit, target = cfg.target_unit, cfg.target_share
    rates = {r["task_id"]: r for r in cands.pass_rates.iter_rows(named=True)}

    # ---- group candidates by domain and task; leaky no-think candidates go first
    domains: dict[str, dict[str, _Task]] = defaultdict(dict)
    leaks_in_candidates = hesitant_candidates = hesitant_think = 0
    hesitation = hesitation_pattern(cfg.hesitation_words)
    for i, r in enumerate(df.iter_rows(named=True)):
        if r["mode"] == "no_think" and r["think_tags"]:
            leaks_in_candidates += 1
            if cfg.drop_leaky_no_think:
                dropped["balance:no_think_leak"] += 1
                continue
        # a leaky answer kept (`drop_leaky_no_think: false`) is still checked for deliberation
        if r["mode"] == "no_think" and hesitation is not None and hesitation.search(without_code(r["answer"] or "")):
            hesitant_candidates += 1  # "Wait, hmm. The answer is 72.": deliberation in the direct mode
            if cfg.drop_hesitant_no_think:
                dropped["balance:no_think_hesitation"] += 1
                continue
        elif r["mode"] == "think" and hesitation is not None and hesitation.search(without_code(r["answer"] or "")):
            hesitant_think += 1  # "</think> Wait, let me re-check. ...": reasoning outside the think block
            if cfg.drop_hesitant_think_answers:
                dropped["balance:think_answer_hesitation"] += 1
                continue
        task = domains[r["domain"]].get(r["task_id"])
        if task is None:
            rate = rates.get(r["task_id"], {})
            task = _Task(
                r["task_id"],
                think_rate=rate.get("think_pass_rate") or 0.0,
                no_think_rate=rate.get("no_think_pass_rate") or 0.0,
                rank=_hash(cfg.seed, "task", r["task_id"]),
            )
            domains[r["domain"]][r["task_id"]] = task
        tokens = int(r["think_tokens"] or 0) + int(r["answer_tokens"] or 0)
        row = _Row(
            i, r["generation_key"], r["task_id"], r["mode"], tokens, _hash(cfg.seed, r["generation_key"], r["origin"])
        )
        getattr(task, r["mode"]).append(row)

    for tasks in domains.values():
        for task in tasks.values():
            for mode in ("think", "no_think"):
                rows = sorted(getattr(task, mode), key=lambda x: x.rank)
                if cfg.max_rows_per_task is not None and len(rows) > cfg.max_rows_per_task:
                    dropped["balance:task_cap"] += len(rows) - cfg.max_rows_per_task
                    rows = rows[: cfg.max_rows_per_task]
                setattr(task, mode, rows)

    # the candidates each domain's mix was chosen from: a domain with one mode only cannot meet its target
    domain_candidates = {
        d: {m: sum(len(getattr(t, m)) for t in tasks.values()) for m in ("think", "no_think")}
        for d, tasks in domains.items()
    }
    pools: dict[str, _Pool] = {}
    for domain in sorted(domains):
        tasks = sorted(domains[domain].values(), key=lambda t: t.rank)
        d_target = cfg.domain_think_share.get(domain, target)
        pools[domain] = _assign(tasks, d_target, unit, cfg, dropped)
        if cfg.enforce_ratio and d_target is not None:
            pools[domain].trim_to_share(d_target, cfg.ratio_tolerance, dropped, "balance:think_share")
        if domain in cfg.domain_quotas:
            pools[domain].cap_rows(cfg.domain_quotas[domain], dropped, "balance:domain_quota")

    if cfg.token_budget is not None:
        _fit_budget(pools, cfg.token_budget, target, unit, dropped)

    chosen = sorted(r.idx for p in pools.values() for rows in p.rows.values() for r in rows)
    out = df[chosen] if chosen else df.clear()
    stats = balance_stats(
        out,
        cfg,
        dropped,
        leaks_in_candidates,
        candidates=df.height,
        hesitant=hesitant_candidates,
        hesitant_think=hesitant_think,
    )
    stats["unapplied_domain_settings"] = unapplied
    for domain, mix in stats["domains"].items():
        mix["candidates"] = domain_candidates.get(domain, {"think": 0, "no_think": 0})
    return BalanceResult(rows=out, stats=stats)


def stats_of_kept(stats: dict[str, Any], kept: pl.DataFrame, cfg: BalanceConfig) -> dict[str, Any]:
    """`stats` (from `balance`) over `kept`, the chosen rows that made it into the version (two chosen rows with
    identical messages make one example): the mix, leakage and origins are counted again from `kept`, so they
    agree with the stored rows; what was counted over the candidates (drops, candidate counts, unapplied domain
    settings) is kept."""
    leakage = stats["leakage"]
    out = balance_stats(
        kept,
        cfg,
        Counter(stats["dropped"]),
        leakage["leaky_no_think_candidates"],
        candidates=stats["candidates"],
        hesitant=leakage["hesitant_no_think_candidates"],
        hesitant_think=leakage["hesitant_think_answer_candidates"],
    )
    out["unapplied_domain_settings"] = stats["unapplied_domain_settings"]
    for domain, mix in out["domains"].items():
        mix["candidates"] = stats["domains"].get(domain, {}).get("candidates", {"think": 0, "no_think": 0})
    return out


def target_mix(weights: Mapping[str, float], targets: Mapping[str, float], default: float) -> float | None:
    """The think-share target of a version whose domains carry their own targets (`balance.domain_think_share`): each
    domain's (`targets`, else `default`) weighted by its rows or tokens in the version (`weights`); None without
    weight. The build note and the `think_ratio` check judge the overall share against it."""
    whole = sum(weights.values())
    return sum(w * targets.get(d, default) for d, w in weights.items()) / whole if whole else None


def off_target_note(stats: dict[str, Any], tolerance: float, min_rows: int) -> str | None:
    """One line for the build report when the version's think share misses its target by more than `tolerance`
    (`checks.think_ratio_tolerance`, what the `think_ratio` check judges) or a domain misses its own, naming those
    domains and why where the candidates show it (candidates of one mode only); None otherwise. A version or domain
    under `min_rows` rows (`checks.min_rows_for_rates`) is not judged, as the check does not judge it."""
    overall, unit = stats.get("overall", {}), stats.get("target_unit")
    if overall.get("deviation") is None or stats.get("selected", 0) < min_rows:
        return None
    off = []
    for domain, mix in sorted(stats.get("domains", {}).items()):
        dev, rows = mix.get("deviation"), sum(mix.get("rows", {}).values())
        if dev is None or abs(dev) <= tolerance or rows < min_rows:
            continue
        cands = mix.get("candidates", {})
        missing = [m for m in ("think", "no_think") if not cands.get(m)]
        why = f": no {missing[0].replace('_', '-')} candidate" if len(missing) == 1 else ""
        off.append(f"{domain} {mix['achieved']} (target {mix['target']}{why})")
    missed = abs(overall["deviation"]) > tolerance
    if not missed and not off:
        return None
    # with per-domain targets in force the check judges the mix of the domains' targets (`evaluate_think_ratio`)
    domains = stats.get("domains", {})
    overridden = set(stats.get("targets", {}).get("domain_think_share") or {}) & set(domains)
    weights = {d: sum(m.get(unit or "rows", {}).values()) for d, m in domains.items()}
    mix = target_mix(weights, {d: m["target"] for d, m in domains.items()}, overall["target"])
    if overridden and mix is not None:
        fails = abs(overall["achieved"] - mix) > tolerance
        verdict = (
            f"(the think_ratio check {'fails' if fails else 'passes'}: it judges the mix of the domains' targets, "
            f"{round(mix, 4)})"
        )
    else:
        verdict = "(the think_ratio check fails)"
    line = f"note: think share {overall['achieved']} by {unit} " + (
        f"misses its target {overall['target']} by more than checks.think_ratio_tolerance {tolerance} {verdict}"
        if missed
        else f"is within checks.think_ratio_tolerance {tolerance} of its target {overall['target']}"
        + (f" {verdict}" if overridden else "")
    )
    if off:
        return f"{line}; domains off their own target: {', '.join(off)}"
    return f"{line}; every domain is within it of its own target (balance.domain_think_share)"


def _assign(
    tasks: list[_Task], target: float | None, unit: str | None, cfg: BalanceConfig, dropped: Counter[str]
) -> _Pool:
    """Give each task a mode. Tasks with both modes are ordered easy-first and split where the share is best."""
    think: list[_Task] = []
    no_think: list[_Task] = []
    both: list[_Task] = []
    for t in tasks:
        if t.think and t.no_think:
            both.append(t)
        elif t.think:
            think.append(t)
        elif t.no_think:
            no_think.append(t)

    if not cfg.disjoint_tasks:
        think_rows = [r for t in think + both for r in t.think]
        no_think_rows = [r for t in no_think + both for r in t.no_think]
        return _pool(think_rows, no_think_rows, tasks, unit)

    # easy first: not hard, solved without thinking, high think pass rate, then seeded order
    both.sort(key=lambda t: (t.think_rate < cfg.hard_pass_rate, -t.no_think_rate, -t.think_rate, t.rank))
    wt = [sum(_weight(r, unit) for r in t.think) for t in both]
    wn = [sum(_weight(r, unit) for r in t.no_think) for t in both]
    base_t = sum(_weight(r, unit) for t in think for r in t.think) + sum(wt)
    base_n = sum(_weight(r, unit) for t in no_think for r in t.no_think)
    if target is None:
        j = sum(1 for t in both if t.think_rate >= cfg.hard_pass_rate)
    else:
        best_j, best_err = 0, float("inf")
        t_w, n_w = base_t, base_n
        for j_ in range(len(both) + 1):
            if j_:
                t_w -= wt[j_ - 1]
                n_w += wn[j_ - 1]
            s = _share(t_w, n_w)
            err = abs(s - target) if s is not None else float("inf")
            if err < best_err - 1e-12:
                best_j, best_err = j_, err
        j = best_j
    for t in both[:j]:
        dropped["balance:mode_disjoint"] += len(t.think)
    for t in both[j:]:
        dropped["balance:mode_disjoint"] += len(t.no_think)
    think_rows = [r for t in think + both[j:] for r in t.think]
    no_think_rows = [r for t in no_think + both[:j] for r in t.no_think]
    return _pool(think_rows, no_think_rows, tasks, unit)


def _pool(think_rows: list[_Row], no_think_rows: list[_Row], tasks: list[_Task], unit: str | None) -> _Pool:
    """Order rows so the least valuable is last: think rows of hard tasks are kept longest."""
    by_id = {t.task_id: t for t in tasks}
    think_rows.sort(key=lambda r: (by_id[r.task_id].think_rate, r.rank))
    no_think_rows.sort(key=lambda r: r.rank)
    return _Pool(think_rows, no_think_rows, unit)


def _fit_budget(
    pools: dict[str, _Pool], budget: int, target: float | None, unit: str | None, dropped: Counter[str]
) -> None:
    """Drop rows until the version's tokens fit the budget, keeping the think share near its target."""

    def totals() -> tuple[float, float]:
        return (sum(p.weight("think") for p in pools.values()), sum(p.weight("no_think") for p in pools.values()))

    total_tokens = sum(p.weight(m, "tokens") for p in pools.values() for m in ("think", "no_think"))
    while total_tokens > budget:
        t, n = totals()
        share = _share(t, n)
        if target is not None and share is not None:
            mode = "think" if share >= target else "no_think"
        else:
            mode = "think" if t >= n else "no_think"
        candidates = [p for p in pools.values() if p.rows[mode]]
        if not candidates:
            mode = "no_think" if mode == "think" else "think"
            candidates = [p for p in pools.values() if p.rows[mode]]
            if not candidates:
                return
        # drop from the domain holding the most of that mode, so domains shrink evenly
        pool = max(candidates, key=lambda p: (len(p.rows[mode]), p.rows[mode][-1].rank))
        row = pool.rows[mode].pop()
        total_tokens -= row.tokens
        dropped["balance:token_budget"] += 1


def _pct(values: list[int], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return float(s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))])


def leakage_stats(no_think: pl.DataFrame, words: list[str]) -> dict[str, Any]:
    """How much reasoning leaks into no-think answers: length, hesitation words, think tags."""
    answers = no_think.get_column("answer").to_list() if no_think.height else []
    lengths = no_think.get_column("answer_tokens").to_list() if no_think.height else []
    pattern = hesitation_pattern(words)
    per_word: Counter[str] = Counter()
    with_hesitation = 0
    for a in answers:
        found = [hesitation_word(m) for m in pattern.finditer(without_code(a))] if pattern else []
        if found:
            with_hesitation += 1
            per_word.update(set(found))
    tags = int(no_think.get_column("think_tags").sum()) if no_think.height else 0
    n = len(answers)
    return {
        "rows": n,
        "answer_tokens_mean": round(mean(lengths), 2) if lengths else 0.0,
        "answer_tokens_median": float(median(lengths)) if lengths else 0.0,
        "answer_tokens_p95": _pct(lengths, 0.95),
        "hesitation_rows": with_hesitation,
        "hesitation_share": round(with_hesitation / n, 4) if n else 0.0,
        "hesitation_words": dict(sorted(per_word.items())),
        "think_tag_rows": tags,
        "think_tag_share": round(tags / n, 4) if n else 0.0,
    }


def _mix(df: pl.DataFrame) -> dict[str, Any]:
    think = df.filter(pl.col("mode") == "think")
    rows_t, rows_n = think.height, df.height - think.height
    tok = pl.col("think_tokens").fill_null(0) + pl.col("answer_tokens").fill_null(0)
    tok_t = int(think.select(tok.sum()).item() or 0) if think.height else 0
    tok_all = int(df.select(tok.sum()).item() or 0) if df.height else 0
    return {
        "rows": {"think": rows_t, "no_think": rows_n},
        "tokens": {"think": tok_t, "no_think": tok_all - tok_t},
        "think_share_rows": round(rows_t / df.height, 4) if df.height else None,
        "think_share_tokens": round(tok_t / tok_all, 4) if tok_all else None,
    }


def balance_stats(
    rows: pl.DataFrame,
    cfg: BalanceConfig,
    dropped: Counter[str],
    leaks_in_candidates: int,
    candidates: int,
    hesitant: int = 0,
    hesitant_think: int = 0,
) -> dict[str, Any]:
    """The balance report stored in dataset_versions.stats."""
    unit, target = cfg.target_unit, cfg.target_share
    overall = _mix(rows)
    achieved_key = f"think_share_{unit}" if unit else None

    def verdict(mix: dict[str, Any], tgt: float | None) -> dict[str, Any]:
        got = mix.get(achieved_key) if achieved_key else None
        return {
            "target": tgt,
            "achieved": got,
            "deviation": None if tgt is None or got is None else round(got - tgt, 4),
        }

    per_domain = {}
    for domain in sorted(set(rows.get_column("domain").to_list())) if rows.height else []:
        mix = _mix(rows.filter(pl.col("domain") == domain))
        per_domain[domain] = {**mix, **verdict(mix, cfg.domain_think_share.get(domain, target))}
    modes_by_task = rows.group_by("task_id").agg(pl.col("mode").n_unique().alias("k")) if rows.height else None
    return {
        "target_unit": unit,
        "targets": {
            "think_share_rows": cfg.think_share_rows,
            "think_share_tokens": cfg.think_share_tokens,
            "domain_think_share": dict(cfg.domain_think_share),
            "domain_quotas": dict(cfg.domain_quotas),
            "token_budget": cfg.token_budget,
        },
        "overall": {**overall, **verdict(overall, target)},
        "domains": per_domain,
        "candidates": candidates,
        "selected": rows.height,
        "dropped": dict(sorted(dropped.items())),
        "tasks_in_both_modes": int(modes_by_task.filter(pl.col("k") > 1).height) if modes_by_task is not None else 0,
        "leakage": {
            "no_think": leakage_stats(rows.filter(pl.col("mode") == "no_think"), cfg.hesitation_words),
            "leaky_no_think_candidates": leaks_in_candidates,
            "hesitant_no_think_candidates": hesitant,
            "hesitant_think_answer_candidates": hesitant_think,
        },
        "origins": dict(sorted(Counter(rows.get_column("origin").to_list()).items())) if rows.height else {},
    }
