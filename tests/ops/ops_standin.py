"""A stand-in for the stage assets: same keys, groups and deps, writing small fixture rows into the tables.

It lets the ops layer (checks, jobs, blocking, the UI) be tested before and independently of the real
stages. `DEFECTS` names the ways a fixture can be made bad; each one should trip exactly one check.
`build_fixture(store, defects)` writes the whole pipeline's tables in one go for fast check tests; the
assets write the same rows stage by stage for runs through Dagster. `defs` is a loadable code location.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import dagster as dg
import polars as pl
from pydantic import Field

from assets.checks import CHECKS
from assets.jobs import JOBS, RETRY_POLICIES, SCHEDULES, SENSORS
from assets.metadata import table_metadata
from assets.plots import plot_metadata, version_overview
from assets.resources import ThinkmillResource
from pipeline.store import Store, to_json

DEFECTS = (
    "quarantine",
    "malformed",
    "low_pass",
    "contaminated",
    "empty_message",
    "orphan_row",
    "ratio",
    "schema",
    "duplicate_version",
)
DOMAINS = ("math", "code")
N_TASKS = 40  # per source "s1"; enough rows for every rate check to judge (min_rows_for_rates = 20)
SOURCE_FILE = "raw/s1.jsonl"


def _h(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


class Scenario(dg.ConfigurableResource):
    """Which defects the stand-in writes (empty: a clean pipeline)."""

    defects: list[str] = Field(default_factory=list)


def write_raw(store: Store, defects: set[str]) -> None:
    quarantined = N_TASKS if "quarantine" in defects else 2
    store.insert(
        "ingest_files",
        pl.DataFrame(
            {
                "source": ["s1"],
                "path": [SOURCE_FILE],
                "content_hash": [_h("file", quarantined)],
                "rows_read": [N_TASKS + quarantined + 2],
                "ingested": [N_TASKS],
                "quarantined": [quarantined],
                "duplicate": [2],
            }
        ),
        on_conflict="ignore",
    )
    store.insert(
        "quarantine",
        pl.DataFrame(
            {
                "source": ["s1"] * quarantined,
                "source_file": [SOURCE_FILE] * quarantined,
                "source_row": list(range(1000, 1000 + quarantined)),
                "reason": ["missing_field:prompt"] * quarantined,
            }
        ),
        on_conflict="ignore",
    )


def write_tasks(store: Store, defects: set[str]) -> None:
    ids = [f"t{i:03d}" for i in range(N_TASKS)]
    store.insert(
        "tasks",
        pl.DataFrame(
            {
                "task_id": ids,
                "source": ["s1"] * N_TASKS,
                "domain": [DOMAINS[i % 2] for i in range(N_TASKS)],
                "prompt": [f"What is {i} + {i}?" for i in range(N_TASKS)],
                "answer": [str(2 * i) for i in range(N_TASKS)],
                "verifier": ["math"] * N_TASKS,
                "verifier_args": ["{}"] * N_TASKS,
                "metadata": ["{}"] * N_TASKS,
                "source_file": [SOURCE_FILE] * N_TASKS,
                "source_row": list(range(N_TASKS)),
            }
        ),
        on_conflict="ignore",
    )
    store.insert(
        "task_duplicates",
        pl.DataFrame(
            {
                "task_id": ["dup0", "dup1"],
                "duplicate_of": ["t000", "t001"],
                "reason": ["dedup:exact"] * 2,
            }
        ),
        on_conflict="ignore",
    )


def write_contamination(store: Store, defects: set[str]) -> None:
    store.insert(
        "contamination",
        pl.DataFrame(
            {
                "task_id": ["t039"],
                "benchmark": ["aime24"],
                "benchmark_item": ["7"],
                "method": ["ngram"],
                "score": [0.9],
            }
        ),
        on_conflict="ignore",
    )


def clean_task_ids(store: Store, defects: set[str]) -> list[str]:
    ids = store.query(
        "SELECT task_id FROM tasks WHERE task_id NOT IN (SELECT task_id FROM contamination) ORDER BY task_id"
    )["task_id"].to_list()
    return [*ids, "t039"] if "contaminated" in defects else ids


def write_generations(store: Store, defects: set[str]) -> None:
    rows = []
    for tid in clean_task_ids(store, defects):
        for mode, k in (("think", 2), ("no_think", 1)):
            for s in range(k):
                malformed = "malformed" in defects and mode == "think"
                think = None if malformed else f"reasoning about {tid}"
                answer = f"answer {tid}"
                raw = f"<think>\n{think}\n</think>\n{answer}" if mode == "think" and not malformed else answer
                rows.append(
                    {
                        "key": _h(tid, mode, s),
                        "task_id": tid,
                        "mode": mode,
                        "sample_index": s,
                        "backend": "batch",
                        "model": "stand-in",
                        "template_version": "1",
                        "messages": "[]",
                        "sampling_params": "{}",
                        "raw_text": raw,
                        "think": think,
                        "answer": answer,
                        "parse_flags": ["no_think_block"] if malformed else [],
                    }
                )
    store.insert("generations", pl.DataFrame(rows), on_conflict="ignore")


def write_verdicts(store: Store, defects: set[str]) -> None:
    gens = store.query(
        "SELECT g.key, g.task_id, g.mode, t.domain FROM generations g JOIN tasks t USING (task_id) "
        "WHERE g.key NOT IN (SELECT generation_key FROM verdicts)"
    )
    fail_code = "low_pass" in defects
    passed = [not (fail_code and d == "code") for d in gens["domain"]]
    store.insert(
        "verdicts",
        pl.DataFrame(
            {
                "generation_key": gens["key"],
                "task_id": gens["task_id"],
                "mode": gens["mode"],
                "verifier": ["math"] * gens.height,
                "passed": passed,
                "reason": [None if p else "math:mismatch" for p in passed],
                "think_tokens": [50 + i % 40 for i in range(gens.height)],
                "answer_tokens": [5] * gens.height,
            }
        ),
        on_conflict="ignore",
    )
    if "schema" in defects:
        store.execute("ALTER TABLE verdicts ADD COLUMN IF NOT EXISTS junk INTEGER")


def write_selection(store: Store, defects: set[str]) -> None:
    v = store.query(
        "SELECT generation_key, task_id, mode, think_tokens FROM verdicts WHERE passed "
        "AND generation_key NOT IN (SELECT generation_key FROM trace_selection) ORDER BY 1"
    )
    # The second think sample of every 4th task is dropped as a near-duplicate of the first.
    dup = [m == "think" and i % 8 == 1 for i, m in enumerate(v["mode"])]
    store.insert(
        "trace_selection",
        pl.DataFrame(
            {
                "generation_key": v["generation_key"],
                "task_id": v["task_id"],
                "mode": v["mode"],
                "selected": [not d for d in dup],
                "reason": ["dedup:duplicate_of:x" if d else None for d in dup],
                "tokens": v["think_tokens"],
            }
        ),
        on_conflict="ignore",
    )


def write_version(store: Store, defects: set[str]) -> str | None:
    """A new version when the selected content changed (as the real stage does); returns its id or None."""
    sel = store.query(
        "SELECT s.generation_key, s.task_id, s.mode, t.domain, t.source, t.prompt, g.raw_text, g.answer, "
        "v.think_tokens, v.answer_tokens FROM trace_selection s JOIN tasks t USING (task_id) "
        "JOIN generations g ON g.key = s.generation_key JOIN verdicts v USING (generation_key) "
        "WHERE s.selected ORDER BY s.generation_key"
    )
    if "ratio" in defects:
        sel = sel.filter(pl.col("mode") == "think")
    if sel.is_empty():
        return None
    msgs = []
    for i, (prompt, raw, answer, mode) in enumerate(sel.select("prompt", "raw_text", "answer", "mode").iter_rows()):
        reply = raw if mode == "think" else answer
        if "empty_message" in defects and i == 0:
            reply = "<think>\nonly thinking\n</think>\n"
        msgs.append(to_json([{"role": "user", "content": prompt}, {"role": "assistant", "content": reply}]))
    keys = sel["generation_key"].to_list()
    if "orphan_row" in defects:
        keys[0] = "no-such-generation"
    content_hash = _h(*msgs, *keys)
    known = store.query("SELECT version_id FROM dataset_versions WHERE content_hash = ?", [content_hash])
    if known.height and "duplicate_version" not in defects:
        return None
    n = store.count("dataset_versions") + 1
    vid = f"v{n}"
    rows = sel.with_columns(
        version_id=pl.lit(vid),
        split=pl.lit("train"),
        example_id=pl.Series([_h(vid, k, m) for k, m in zip(keys, msgs, strict=True)]),
        messages=pl.Series(msgs),
        generation_key=pl.Series(keys),
    ).select(
        "version_id",
        "example_id",
        "split",
        "mode",
        "messages",
        "task_id",
        "generation_key",
        "domain",
        "source",
        "think_tokens",
        "answer_tokens",
    )
    counts = {"rows": rows.height}
    store.insert_many(
        {
            "dataset_versions": pl.DataFrame(
                {
                    "version_id": [vid],
                    "content_hash": [content_hash],
                    "parent": [f"v{n - 1}" if n > 1 else None],
                    "config": ["{}"],
                    "counts": [to_json(counts)],
                }
            ),
            "dataset_rows": rows,
        }
    )
    return vid


def build_fixture(store: Store, defects: set[str] | frozenset[str] = frozenset()) -> None:
    """Every table of a small pipeline run, with the given defects."""
    d = set(defects)
    for step in (
        write_raw,
        write_tasks,
        write_contamination,
        write_generations,
        write_verdicts,
        write_selection,
        write_version,
    ):
        step(store, d)


# ----------------------------------------------------------------------------------------- assets
StoreStep = Callable[[Store, set[str]], object]


def _stage(store_fn: StoreStep, table: str) -> Callable[..., dg.MaterializeResult]:
    def body(thinkmill: ThinkmillResource, scenario: Scenario) -> dg.MaterializeResult:
        with thinkmill.store() as store:
            store_fn(store, set(scenario.defects))
            n = store.count(table)
            return dg.MaterializeResult(metadata=table_metadata(table, n, store.read(table).head(5)))

    return body


def _asset(
    name: str, fn: StoreStep, table: str, group: str, deps: list[str], pool: str = "duckdb"
) -> dg.AssetsDefinition:
    return dg.asset(
        name=name,
        group_name=group,
        deps=deps,
        pool=pool,
        retry_policy=RETRY_POLICIES.get(name),
        description=f"stand-in for the {name} stage",
    )(_stage(fn, table))


raw_tasks = _asset("raw_tasks", write_raw, "quarantine", "ingest", [])
tasks = _asset("tasks", write_tasks, "tasks", "ingest", ["raw_tasks"])
clean_tasks = _asset("clean_tasks", write_contamination, "contamination", "ingest", ["tasks"])
generations = _asset("generations", write_generations, "generations", "generate", ["clean_tasks"], pool="llm")
verdicts = _asset("verdicts", write_verdicts, "verdicts", "verify", ["generations"])
selected_traces = _asset("selected_traces", write_selection, "trace_selection", "dedup", ["verdicts"])


@dg.asset(group_name="dataset", deps=["selected_traces"], pool="duckdb", description="stand-in version stage")
def dataset_version(thinkmill: ThinkmillResource, scenario: Scenario) -> dg.MaterializeResult:
    with thinkmill.store() as store:
        vid = write_version(store, set(scenario.defects))
        latest = store.query("SELECT version_id FROM dataset_versions ORDER BY created_at DESC LIMIT 1")
        version = vid or (latest["version_id"][0] if latest.height else None)
        rows = store.read("dataset_rows", where="version_id = ?", params=[version])
        md = table_metadata(
            "dataset_rows", rows.height, rows.head(5), version_id=version or "-", new_version=vid is not None
        )
        if rows.height:
            md["plot"] = plot_metadata(version_overview(rows), "think length and mode mix")
        return dg.MaterializeResult(metadata=md)


@dg.asset(group_name="dataset", deps=["dataset_version"], description="stand-in card")
def dataset_card() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"card": dg.MetadataValue.md("# stand-in card")})


@dg.asset(
    group_name="dataset",
    deps=["dataset_card"],
    pool="duckdb",
    retry_policy=RETRY_POLICIES["published_dataset"],
    description="stand-in publish",
)
def published_dataset(thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    with thinkmill.store() as store:
        latest = store.query("SELECT version_id FROM dataset_versions ORDER BY created_at DESC LIMIT 1")
        if latest.height:
            store.insert(
                "publications",
                pl.DataFrame({"version_id": latest["version_id"], "repo": ["local/x"]}),
                on_conflict="ignore",
            )
        return dg.MaterializeResult(metadata=table_metadata("publications", store.count("publications")))


ASSETS = [
    raw_tasks,
    tasks,
    clean_tasks,
    generations,
    verdicts,
    selected_traces,
    dataset_version,
    dataset_card,
    published_dataset,
]
# The pipeline's stage assets in graph order: the keys the real definitions must have too.
STAGE_ASSETS = tuple(a.key.to_user_string() for a in ASSETS)


def standin_defs(db_path: str, defects: list[str] | None = None, config_path: str | None = None) -> dg.Definitions:
    resource = ThinkmillResource(db_path=db_path, config_path=config_path)
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=CHECKS,
        jobs=JOBS,
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources={"thinkmill": resource, "scenario": Scenario(defects=defects or [])},
    )


defs = standin_defs(
    os.environ.get("THINKMILL_DB", "data/thinkmill.duckdb"), config_path=os.environ.get("THINKMILL_CONFIG")
)
