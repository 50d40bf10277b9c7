"""The request settings behind a version's rows, and which selected traces this config would request again.

Select keeps at most m passing traces per task and mode out of every generation ever stored, so after a change of
`generate` settings (another model, temperature, max_tokens, template) a build takes the old settings' traces beside
the new ones. `settings_mix` counts the rows per model and per sampling setting (read from the generations, as the
card does), and the build's summary names a mix; `current_only` (`balance.current_settings_only`) keeps only the
traces whose request this config would send: the request rebuilt under it (`pipeline.generate.request`, for the
generation's backend, `targets.for_target`) has the generation's key, which covers the model and its revision, the
rendered messages (template, system prompt), sampling parameters, template switches, sample index and seed. That is
how the generate stage tells a request it already holds from a new one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import polars as pl

from pipeline.dataset.candidates import Candidates
from pipeline.dataset.redact import drop_secret_keys
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_request, mcq_choices
from pipeline.generate.targets import TargetError, for_target
from pipeline.generate.templates import TEMPLATE_VERSION
from pipeline.store import Store

OTHER_SETTINGS = "balance:other_settings"
HINT = "set balance.current_settings_only: true to build from the current settings' generations only"

_SELECTED = "SELECT generation_key FROM trace_selection WHERE selected"
_SETTINGS_COLUMNS = "mode, model, model_revision, template_version, params"
# the settings of every selected generation, one small id each (the distinct settings are few; their text is not
# repeated per row)
_SETTINGS_CTE = f"""
WITH g AS (SELECT key, mode, model, model_revision, template_version, CAST(sampling_params AS VARCHAR) AS params
           FROM generations WHERE key IN ({_SELECTED}))
"""
_SETTING_OF_KEY_SQL = (
    _SETTINGS_CTE + f"SELECT key AS generation_key, dense_rank() OVER (ORDER BY {_SETTINGS_COLUMNS}) AS setting FROM g"
)
_SETTINGS_SQL = (
    _SETTINGS_CTE + f"SELECT DISTINCT dense_rank() OVER (ORDER BY {_SETTINGS_COLUMNS}) AS setting, {_SETTINGS_COLUMNS} "
    "FROM g"
)


def _params(text: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    return drop_secret_keys(value) if isinstance(value, dict) else None


def settings_mix(store: Store, rows: pl.DataFrame) -> dict[str, Any]:
    """Rows of a build (`generation_key` of each) per model and per request setting of their generations: `models`
    {model (`@revision` where recorded): rows}, `settings` [{mode (the generation's), model, revision,
    template_version, sampling_params (as sent, secret-looking keys removed), rows}], think first, most rows first."""
    if rows.height == 0:
        return {"models": {}, "settings": []}
    of_key = store.query(_SETTING_OF_KEY_SQL)
    counts = (
        rows.select("generation_key")
        .join(of_key, on="generation_key", how="left")
        .group_by("setting")
        .len()
        .iter_rows()
    )
    known = {r["setting"]: r for r in store.query(_SETTINGS_SQL).iter_rows(named=True)}
    settings: list[dict[str, Any]] = []
    for setting, n in counts:
        s = known.get(setting, {})
        settings.append(
            {
                "mode": s.get("mode"),
                "model": s.get("model"),
                "revision": s.get("model_revision"),
                "template_version": s.get("template_version"),
                "sampling_params": _params(s.get("params")),
                "rows": int(n),
            }
        )
    settings.sort(key=lambda s: (s["mode"] != "think", str(s["mode"]), -s["rows"], json.dumps(s, sort_keys=True)))
    models: dict[str, int] = {}
    for s in settings:
        name = _model_name(s)
        models[name] = models.get(name, 0) + s["rows"]
    return {"models": dict(sorted(models.items())), "settings": settings}


def _model_name(s: dict[str, Any]) -> str:
    name = s["model"] or "an unrecorded model"
    return f"{name}@{s['revision']}" if s.get("revision") else name


def _sampling_label(s: dict[str, Any], keys: list[str]) -> str:
    """One sampling setting by the keys in which the mode's settings differ (`template_version` for the template)."""
    params = s["sampling_params"]
    if params is None:
        return "sampling parameters not recorded"
    parts = [
        f"template {s['template_version']}"
        if k == "template_version"
        else (f"{k} {json.dumps(params[k], sort_keys=True)}" if k in params else f"{k} unset")
        for k in keys
    ]
    return ", ".join(parts) or json.dumps(params, sort_keys=True)


def mix_notes(version: str, mix: dict[str, Any], current_only: bool) -> list[str]:
    """The build summary's notes on a version whose rows come from more than one model, or from more than one
    sampling setting (sampling parameters as sent, template version) of one mode's requests."""
    hint = "" if current_only else f"; {HINT}"
    notes = []
    models = mix.get("models", {})
    if len(models) > 1:
        listed = ", ".join(f"{m} {n:,} rows" for m, n in models.items())
        notes.append(f"note: {version} mixes {len(models)} models: {listed}{hint}")
    for mode in sorted({s["mode"] for s in mix.get("settings", [])}, key=lambda m: (m != "think", str(m))):
        per: dict[str, tuple[dict[str, Any], int]] = {}
        for s in mix["settings"]:
            if s["mode"] == mode:
                key = json.dumps([s["template_version"], s["sampling_params"]], sort_keys=True)
                first, n = per.get(key, (s, 0))
                per[key] = (first, n + s["rows"])
        if len(per) < 2:
            continue
        sets = [s for s, _ in per.values()]
        params = [s["sampling_params"] or {} for s in sets]
        keys = sorted({k for p in params for k in p if len({json.dumps(q.get(k), sort_keys=True) for q in params}) > 1})
        if len({s["template_version"] for s in sets}) > 1:
            keys.insert(0, "template_version")
        listed = ", ".join(
            f"{_sampling_label(s, keys)} {n:,} rows" for s, n in sorted(per.values(), key=lambda sn: -sn[1])
        )
        notes.append(f"note: {version} mixes {len(per)} sampling settings of {mode} requests: {listed}{hint}")
    return notes


# the selected traces, or (`selected` = false) the passing ones select left out for others: over its cap, or a
# duplicate of one it kept (not those outside its length bounds)
_PICKED = (
    "SELECT {col} FROM trace_selection WHERE selected = $1 "
    "AND (selected OR reason = 'select:over_cap' OR reason LIKE 'dedup:%')"
)
# what `_current` reads of a generation and of its task, and which generations: `{keys}` (a query of keys)
_GENERATIONS_OF = "SELECT key, task_id, mode, sample_index, backend FROM generations WHERE key IN ({keys}) ORDER BY key"
_TASKS_OF = (
    "SELECT task_id, domain, prompt, CAST(verifier_args AS VARCHAR) AS verifier_args, system, verifier FROM tasks "
    "WHERE task_id IN (SELECT task_id FROM generations WHERE key IN ({keys}))"
)
_GENERATIONS_SQL = _GENERATIONS_OF.format(keys=_PICKED.format(col="generation_key"))
_TASKS_SQL = _TASKS_OF.format(keys=_PICKED.format(col="generation_key"))


def _target(g: GenerateConfig, backend: str | None) -> tuple[str, dict[str, Any]]:
    """The request target and extra body a generate run of `backend` sends with (`runner.backend_target`)."""
    if backend == "openai":
        return g.openai.target, g.openai.extra_body
    if backend == "batch":
        return g.batch_target, {}
    return "vllm", {}


def current_keys(store: Store, g: GenerateConfig, selected: bool = True) -> dict[str, tuple[str, str]]:
    """Keys of the selected generations (`selected` false: of the passing ones select left out) whose request `g`
    would send as it stands, with their (task, mode): rebuilt for the same task, mode and sample index under `g`,
    through the generation's backend, the request has the same key. About 40 µs a trace."""
    return _current(store.query(_TASKS_SQL, [selected]), store.query(_GENERATIONS_SQL, [selected]), g)


def current_passing_keys(store: Store, g: GenerateConfig, where: str = "", params: list[Any] | None = None) -> set[str]:
    """Keys of the passing generations (`where`: more conditions on verdicts `v`, as select's `_recompute` passes
    them) whose request `g` would send as it stands (`current_keys`'s test). Select ranks the others last under
    `balance.current_settings_only`."""
    passing = f"SELECT v.generation_key FROM verdicts v WHERE v.passed{where}"
    gens = store.query(_GENERATIONS_OF.format(keys=passing), params or [])
    tasks = store.query(_TASKS_OF.format(keys=passing), params or [])
    return set(_current(tasks, gens, g))


def settings_digest(g: GenerateConfig) -> str:
    """A digest of the `generate` settings a request's key covers (model and revision, sampling parameters, seed,
    the targets and extra body each backend sends with, the template's version; `current_keys` rebuilds requests
    under them), not of threads, timeouts or URLs. Select records it when it ranks by `current_settings_only`."""
    settings = {
        "model": g.model,
        "model_revision": g.model_revision,
        "seed": g.seed,
        "think": g.think.model_dump(mode="json"),
        "no_think": g.no_think.model_dump(mode="json"),
        "openai": [g.openai.target, drop_secret_keys(g.openai.extra_body)],
        "batch_target": g.batch_target,
        "template_version": TEMPLATE_VERSION,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _current(tasks_frame: pl.DataFrame, generations: pl.DataFrame, g: GenerateConfig) -> dict[str, tuple[str, str]]:
    """`current_keys` over given rows: `tasks_frame` (task_id, domain, prompt, verifier_args as text, system,
    verifier) and `generations` (key, task_id, mode, sample_index, backend)."""
    tasks = {r["task_id"]: r for r in tasks_frame.iter_rows(named=True)}
    choices: dict[str, Any] = {}
    out: dict[str, tuple[str, str]] = {}
    for key, task_id, mode, sample_index, backend in generations.iter_rows():
        task = tasks.get(task_id)
        if task is None or mode not in ("think", "no_think") or sample_index is None:
            continue
        if task_id not in choices:
            choices[task_id] = mcq_choices(task["verifier_args"])
        target, extra_body = _target(g, backend)
        try:
            req = build_request(
                g,
                task_id,
                task["domain"],
                task["prompt"],
                mode,
                sample_index,
                choices[task_id],
                task["system"],
                task["verifier"],
            )
            req = for_target(req, target, extra_body)  # type: ignore[arg-type]
        except TargetError:  # this config cannot send the request to that backend's server at all
            continue
        if req.key == key:
            out[key] = (task_id, mode)
    return out


def current_only(store: Store, cands: Candidates, g: GenerateConfig) -> tuple[Candidates, int]:
    """`cands` less the rows of generations this config would not request (`current_keys`), each such generation
    counted as `balance:other_settings`; and how many (task, mode)s are left without a trace of this config although
    select left out a passing one of it (a selection not ranked under `current_settings_only` with `g`)."""
    if cands.rows.height == 0:
        return cands, 0
    tasks = set(cands.rows.get_column("task_id").to_list())  # clean, not retired, with a usable selected trace
    current = current_keys(store, g)
    keep = pl.col("generation_key").is_in(pl.Series(sorted(current), dtype=pl.String).implode())
    n = cands.rows.filter(~keep).get_column("generation_key").n_unique()
    if n:
        cands.dropped[OTHER_SETTINGS] += n
        cands.rows = cands.rows.filter(keep)
    if not n:
        return cands, 0
    kept = set(current.values())  # (task, generation mode) of the traces kept
    left_out = {tm for tm in current_keys(store, g, selected=False).values() if tm[0] in tasks}
    return cands, len(left_out - kept)
