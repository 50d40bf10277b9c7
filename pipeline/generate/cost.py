"""Cost accounting: tokens in and out per stage and per accepted trace, and what they cost.

Tokens are the backend's own counts stored with every generation (`prompt_tokens`, `completion_tokens`; error
rows carry none). The estimate comes from config `cost:`:

- `price_per_million_input` / `price_per_million_output` (hosted APIs): tokens x price;
- `gpu_hour_usd` (self-hosted engines): GPU hours = completion tokens / throughput / 3600 x `gpus`, where the
  throughput is `cost.tokens_per_s` or else measured per engine (model and backend): completion tokens per wall
  second over the recorded generate passes of that model on that backend (`generate_runs`, batch passes
  excluded: reading a file measures nothing). Generations of an engine with no measured pass get no estimate,
  never another model's throughput.

The LLM judge (verify stage, `verifier: judge`) spends tokens too: its requests are stored in `judge_requests`
with their counts, priced by `cost.judge` (else the same prices; a GPU-hour rate needs `cost.judge.tokens_per_s`,
since the judge's throughput is not measured), and added to the mode of the generation they judged.

An accepted trace is a passing verdict (generate report) or a row of the dataset version (card, asset metadata).
The cost per accepted trace divides everything spent on the mode, failed samples included, by those traces:
what one more accepted trace really costs.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.generate.config import CostConfig
from pipeline.store import Store
from pipeline.trace import MODES

# Stages that spend tokens: generation, and the LLM judge of the verify stage.
STAGES = ("generate", "verify_judge")

TokenCounts = dict[str, tuple[int, int, int]]  # mode -> (requests, prompt tokens, completion tokens)
Engine = tuple[str, str]  # (model, backend) as stored with each generation and generate pass
EngineTokens = dict[str, dict[Engine, int]]  # mode -> engine -> completion tokens


def measured_tokens_per_s(
    store: Store, model: str | None = None, backend: str | None = None, version_id: str | None = None
) -> float | None:
    """Completion tokens per wall second over the recorded non-batch generate passes, of `model` on `backend` and
    recorded before dataset version `version_id` was built when given (None: nothing measured)."""
    where, params = "", []
    for column, value in (("model", model), ("backend", backend)):
        if value is not None:
            where += f" AND {column} = ?"
            params.append(value)
    if version_id is not None:
        where += " AND created_at <= (SELECT created_at FROM dataset_versions WHERE version_id = ?)"
        params.append(version_id)
    row = store.query(
        "SELECT sum(completion_tokens) AS tokens, sum(elapsed_s) AS seconds FROM generate_runs "
        f"WHERE backend <> 'batch' AND elapsed_s > 0 AND completion_tokens > 0{where}",
        params,
    ).row(0)
    tokens, seconds = row
    return float(tokens) / float(seconds) if tokens and seconds else None


def estimate_usd(
    cfg: CostConfig, prompt_tokens: int, completion_tokens: int, tokens_per_s: float | None
) -> float | None:
    """Estimated USD of these tokens under `cfg` (None: no price configured, or no throughput for a GPU rate)."""
    if cfg.gpu_hour_usd is not None:
        if not tokens_per_s:
            return None
        return completion_tokens / tokens_per_s / 3600.0 * cfg.gpu_hour_usd * cfg.gpus
    if not cfg.priced:
        return None
    return prompt_tokens / 1e6 * (cfg.price_per_million_input or 0.0) + completion_tokens / 1e6 * (
        cfg.price_per_million_output or 0.0
    )


def judge_pricing(cfg: CostConfig) -> CostConfig:
    """The judge's prices as a CostConfig: `cost.judge`, else generation's prices (never its measured throughput)."""
    if cfg.judge is not None:
        return CostConfig.model_validate(cfg.judge.model_dump())
    return cfg.model_copy(update={"judge": None})


def _judge_usd(cfg: CostConfig, prompt_tokens: int, completion_tokens: int) -> float | None:
    if not (prompt_tokens or completion_tokens):
        return 0.0
    jc = judge_pricing(cfg)
    return estimate_usd(jc, prompt_tokens, completion_tokens, jc.tokens_per_s)


def _engine_name(engine: Engine) -> str:
    return f"{engine[0]} ({engine[1]})"


def _pricing(
    cfg: CostConfig, store: Store, engines: list[Engine], version_id: str | None = None
) -> tuple[str, dict[Engine, float | None], str]:
    """(pricing kind, throughput per engine that produced completion tokens, one-line description); a version's
    throughput is measured over the passes recorded before it was built."""
    if cfg.gpu_hour_usd is not None:
        rate = f"${cfg.gpu_hour_usd}/GPU-hour x {cfg.gpus}"
        if cfg.tokens_per_s:
            return (
                "gpu_hour",
                dict.fromkeys(engines, cfg.tokens_per_s),
                f"{rate}, {cfg.tokens_per_s:,.1f} completion tokens/s (configured)",
            )
        tps = {e: measured_tokens_per_s(store, model=e[0], backend=e[1], version_id=version_id) for e in engines}
        measured = "; ".join(f"{_engine_name(e)} {t:,.1f}" for e, t in tps.items() if t is not None)
        missing = ", ".join(_engine_name(e) for e, t in tps.items() if t is None)
        if not engines:
            return "gpu_hour", tps, f"{rate}: no completion tokens to price"
        described = f"{rate}, completion tokens/s measured: {measured}" if measured else rate
        if missing:
            described += f"{'; ' if measured else ': '}no throughput measured yet for {missing} (set cost.tokens_per_s)"
        return "gpu_hour", tps, described
    if cfg.priced:
        return (
            "per_token",
            {},
            (
                f"per million tokens: ${cfg.price_per_million_input or 0:g} in, "
                f"${cfg.price_per_million_output or 0:g} out"
            ),
        )
    return "none", {}, "no price configured; set cost: in the config"


def _round(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(x, digits)


def _gpu_hour_usd(cfg: CostConfig, per_engine: dict[Engine, int], tps: dict[Engine, float | None]) -> float | None:
    """USD of each engine's completion tokens at that engine's own throughput (None: one has none measured)."""
    usd = 0.0
    for engine, tokens in per_engine.items():
        one = estimate_usd(cfg, 0, tokens, tps.get(engine))
        if one is None:
            return None
        usd += one
    return usd


def _summarise(
    store: Store,
    cfg: CostConfig,
    by_mode: TokenCounts,
    accepted: dict[str, int],
    unit: str,
    judged: TokenCounts | None = None,
    engines: EngineTokens | None = None,
    version_id: str | None = None,
    uncounted: tuple[dict[str, int], dict[str, int]] = ({}, {}),
) -> dict[str, Any]:
    """The cost record: by_mode {requests, tokens, usd, judge tokens and usd, accepted, per accepted}, stages,
    total. The cost per accepted trace includes the judge's spend on the mode. `engines`: each mode's completion
    tokens per (model, backend), priced at that engine's throughput under a GPU-hour rate. `uncounted`: per mode, the
    generations and the judge requests whose server reported no token counts: that mode gets no estimate, nor
    tokens per accepted trace (their tokens are unknown, not 0)."""
    engines = {m: {e: t for e, t in per.items() if t} for m, per in (engines or {}).items()}
    kind, tps, described = _pricing(cfg, store, sorted({e for per in engines.values() for e in per}), version_id)
    single = set(tps.values())
    judged = judged or {}
    modes: dict[str, Any] = {}
    total_in = total_out = requests = j_in = j_out = j_requests = 0
    total_usd: float | None = 0.0
    judge_usd: float | None = 0.0
    for mode in MODES:
        n, p_in, p_out = by_mode.get(mode, (0, 0, 0))
        jn, jp_in, jp_out = judged.get(mode, (0, 0, 0))
        unc, j_unc = uncounted[0].get(mode, 0), uncounted[1].get(mode, 0)
        usd = (
            _gpu_hour_usd(cfg, engines.get(mode, {}), tps)
            if kind == "gpu_hour"
            else estimate_usd(cfg, p_in, p_out, None)
        )
        usd = None if unc else usd
        j_usd = None if j_unc else _judge_usd(cfg, jp_in, jp_out)
        both = None if usd is None or j_usd is None else usd + j_usd
        acc = accepted.get(mode, 0)
        modes[mode] = {
            "requests": n,
            "prompt_tokens": p_in,
            "completion_tokens": p_out,
            "usd": _round(usd),
            "judge_requests": jn,
            "judge_prompt_tokens": jp_in,
            "judge_completion_tokens": jp_out,
            "judge_usd": _round(j_usd),
            "without_token_counts": unc,
            "judge_without_token_counts": j_unc,
            "accepted": acc,
            "prompt_tokens_per_accepted": round(p_in / acc, 1) if acc and not unc else None,
            "completion_tokens_per_accepted": round(p_out / acc, 1) if acc and not unc else None,
            "usd_per_accepted": _round(both / acc) if both is not None and acc else None,
        }
        total_in, total_out, requests = total_in + p_in, total_out + p_out, requests + n
        j_in, j_out, j_requests = j_in + jp_in, j_out + jp_out, j_requests + jn
        total_usd = None if both is None or total_usd is None else total_usd + both
        judge_usd = None if j_usd is None or judge_usd is None else judge_usd + j_usd
    return {
        "pricing": kind,
        "pricing_detail": described,
        "tokens_per_s": _round(next(iter(single)), 2) if len(single) == 1 else None,
        "tokens_per_s_by_engine": [
            {"model": e[0], "backend": e[1], "tokens_per_s": _round(t, 2)} for e, t in tps.items()
        ],
        "accepted_means": unit,
        "stages": {
            "generate": {
                "requests": requests,
                "prompt_tokens": total_in,
                "completion_tokens": total_out,
                "without_token_counts": sum(m["without_token_counts"] for m in modes.values()),
            },
            "verify_judge": {
                "requests": j_requests,
                "prompt_tokens": j_in,
                "completion_tokens": j_out,
                "without_token_counts": sum(m["judge_without_token_counts"] for m in modes.values()),
                "usd": _round(judge_usd),
            },
        },
        "by_mode": modes,
        "total_usd": _round(total_usd),
    }


# Rows whose server reported no usage: their tokens are unknown, not 0 (summed as 0 they understate the spend).
_UNCOUNTED = "count(*) FILTER (WHERE {t}.prompt_tokens IS NULL OR {t}.completion_tokens IS NULL)"


def _judge_tokens(store: Store, where: str, params: list[Any]) -> tuple[TokenCounts, dict[str, int]]:
    """The judge's answered requests per mode of the generation they judged, and those without token counts."""
    df = store.query(
        "SELECT g.mode, count(*), coalesce(sum(j.prompt_tokens), 0), coalesce(sum(j.completion_tokens), 0), "
        f"{_UNCOUNTED.format(t='j')} FROM judge_requests j JOIN generations g ON g.key = j.generation_key "
        f"WHERE j.error IS NULL AND {where} GROUP BY 1",
        params,
    )
    return (
        {m: (int(n), int(a), int(b)) for m, n, a, b, _ in df.iter_rows()},
        {m: int(u) for m, *_, u in df.iter_rows()},
    )


def _generation_tokens(store: Store, where: str, params: list[Any]) -> tuple[TokenCounts, EngineTokens, dict[str, int]]:
    """The answered generations matching `where` (over `generations g`): counts per mode, each mode's completion
    tokens per engine, and each mode's generations without token counts."""
    df = store.query(
        "SELECT g.mode, g.model, g.backend, count(*), coalesce(sum(g.prompt_tokens), 0), "
        f"coalesce(sum(g.completion_tokens), 0), {_UNCOUNTED.format(t='g')} FROM generations g "
        f"WHERE g.error IS NULL AND {where} GROUP BY 1, 2, 3",
        params,
    )
    by_mode: dict[str, tuple[int, int, int]] = {}
    engines: EngineTokens = {}
    uncounted: dict[str, int] = {}
    for mode, model, backend, n, p_in, p_out, u in df.iter_rows():
        was = by_mode.get(mode, (0, 0, 0))
        by_mode[mode] = (was[0] + int(n), was[1] + int(p_in), was[2] + int(p_out))
        engines.setdefault(mode, {})[(model, backend)] = int(p_out)
        uncounted[mode] = uncounted.get(mode, 0) + int(u)
    return by_mode, engines, uncounted


def plan_spend(store: Store, cfg: CostConfig, keys: list[str]) -> dict[str, Any]:
    """What the generations behind `keys` cost (cached ones included: they were paid for once), and the
    passing verdicts they have so far."""
    by_mode, engines, uncounted = _generation_tokens(store, "g.key IN (SELECT unnest(?))", [keys])
    passing = store.query(
        "SELECT g.mode, count(*) FROM generations g JOIN verdicts v ON v.generation_key = g.key "
        "WHERE g.key IN (SELECT unnest(?)) AND g.error IS NULL AND v.passed GROUP BY 1",
        [keys],
    )
    accepted = {m: int(n) for m, n in passing.iter_rows()}
    judged, j_uncounted = _judge_tokens(store, "j.generation_key IN (SELECT unnest(?))", [keys])
    return _summarise(
        store, cfg, by_mode, accepted, "passing verdicts", judged, engines, uncounted=(uncounted, j_uncounted)
    )


def recorded_cost_config(store: Store, version_id: str) -> CostConfig:
    """The `cost:` section a version was built with (its recorded config), so every figure of a version is priced as
    its card prices it; the defaults (tokens only) for a version built before cost accounting or without one."""
    row = store.fetchone("SELECT config FROM dataset_versions WHERE version_id = ?", [version_id])
    try:
        config = json.loads(row[0]) if row and row[0] else {}
        return CostConfig.model_validate((config if isinstance(config, dict) else {}).get("cost") or {})
    except ValueError:
        return CostConfig()


def version_cost(store: Store, cfg: CostConfig, version_id: str) -> dict[str, Any]:
    """Cost of a dataset version: every generation stored before the version was made (failed samples and
    tasks that never passed included) over the version's rows, per mode; a GPU-hour rate at the throughput measured
    up to the version, so a later pass does not change what its card states."""
    by_mode, engines, uncounted = _generation_tokens(
        store, "g.created_at <= (SELECT created_at FROM dataset_versions WHERE version_id = ?)", [version_id]
    )
    rows = store.query(
        "SELECT mode, count(*) FROM dataset_rows WHERE version_id = ? GROUP BY 1",
        [version_id],
    )
    accepted = {m: int(n) for m, n in rows.iter_rows()}
    judged, j_uncounted = _judge_tokens(
        store, "j.created_at <= (SELECT created_at FROM dataset_versions WHERE version_id = ?)", [version_id]
    )
    return _summarise(
        store, cfg, by_mode, accepted, "rows of the version", judged, engines, version_id, (uncounted, j_uncounted)
    )


def _usd(x: float | None) -> str:
    return "n/a" if x is None else f"${x:,.4f}"


def _uncounted(stage: dict[str, Any], what: str = "generations") -> str:
    n = stage.get("without_token_counts") or 0
    return f" ({n:,} {what} without token counts: no usage reported, no estimate)" if n else ""


def cost_lines(cost: dict[str, Any]) -> list[str]:
    """The cost record as report lines (the CLI summary)."""
    gen = cost["stages"]["generate"]
    out = [
        f"cost (generate): {gen['prompt_tokens']:,} tokens in, {gen['completion_tokens']:,} out over "
        f"{gen['requests']:,} generations{_uncounted(gen)}; est. {_usd(cost['total_usd'])} "
        f"({cost['pricing_detail']})"
    ]
    judge = cost["stages"].get("verify_judge") or {}
    if judge.get("requests"):
        out.append(
            f"cost (verify, LLM judge): {judge['prompt_tokens']:,} tokens in, {judge['completion_tokens']:,} out "
            f"over {judge['requests']:,} judge requests{_uncounted(judge, 'judge requests')}; "
            f"est. {_usd(judge['usd'])}"
        )
    for mode, m in cost["by_mode"].items():
        if not m["requests"]:
            continue
        label = "think" if mode == "think" else "no-think"
        if m["accepted"]:
            p_in, p_out = m["prompt_tokens_per_accepted"], m["completion_tokens_per_accepted"]
            tokens = "tokens n/a" if p_in is None or p_out is None else f"{p_in:,} tokens in, {p_out:,} out"
            out.append(
                f"  per accepted {label} trace ({m['accepted']:,} {cost['accepted_means']}): "
                f"{tokens}, {_usd(m['usd_per_accepted'])}"
            )
        else:
            out.append(f"  per accepted {label} trace: n/a (no {cost['accepted_means']} yet)")
    return out


def cost_metadata(cost: dict[str, Any]) -> dict[str, Any]:
    """Flat numbers of a cost record, for asset metadata (`report.set(**cost_metadata(cost))`)."""
    gen = cost["stages"]["generate"]
    out: dict[str, Any] = {
        "cost_pricing": cost["pricing_detail"],
        "cost_usd": cost["total_usd"],
        "tokens_in": gen["prompt_tokens"],
        "tokens_out": gen["completion_tokens"],
    }
    judge = cost["stages"].get("verify_judge") or {}
    if judge.get("requests"):
        out.update(
            judge_tokens_in=judge["prompt_tokens"],
            judge_tokens_out=judge["completion_tokens"],
            judge_cost_usd=judge["usd"],
        )
    for mode, m in cost["by_mode"].items():
        out[f"cost_per_accepted_{mode}_trace_usd"] = m["usd_per_accepted"]
        out[f"tokens_out_per_accepted_{mode}_trace"] = m["completion_tokens_per_accepted"]
    return out
