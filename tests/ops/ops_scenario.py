"""A small, real pipeline for the ops tests: input files a user could have, run through the real `defs`.

`write_scenario(root)` writes one source of 40 math tasks (two domains) plus a few quarantined and duplicate
rows, a benchmark that one task overlaps, and an OpenAI batch output file answering every request as a model
would (think and no-think; every fourth task's two think samples near-identical). `run_curate` runs the
project's own `curate` job (`assets.definitions.build_definitions`) on it in process, publishing to a loopback
Hub stub. `seed(store, defect)` then plants one defect into the database the real stages wrote; each defect
should trip exactly one check.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import yaml

from assets.definitions import build_definitions
from assets.resources import ThinkmillResource
from pipeline.generate.config import GenerateConfig
from pipeline.generate.sample_build import render_jsonl, sample_batch_lines
from pipeline.store import Store

# The pipeline's stage assets in graph order: the keys the definitions must have.
STAGE_ASSETS = (
    "raw_tasks",
    "tasks",
    "clean_tasks",
    "generations",
    "verdicts",
    "selected_traces",
    "dataset_version",
    "dataset_card",
    "published_dataset",
)
SOURCE = "s1"
N_TASKS = 40  # enough rows for every rate check to judge (min_rows_for_rates = 20)
DOMAINS = ("arithmetic", "algebra")
CONTAMINATED = f"{SOURCE}/t039"  # its prompt is an item of the benchmark: decontamination drops it
BENCH_ITEM = (
    "A train leaves the station at three travelling at sixty km per hour and a second train follows an hour "
    "later at ninety km per hour; when does it catch up?"
)
# Input-level defects: write_scenario(root, defects) makes the user's files carry them.
INPUT_DEFECTS = ("low_pass", "ratio", "ratio_off")
# Database-level defects: seed(store, defect) plants them after a clean run.
SEEDED_DEFECTS = (
    "quarantine",
    "malformed",
    "contaminated",
    "empty_message",
    "orphan_row",
    "schema",
    "duplicate_version",
    "mislabelled_selection",
    "failed_requests",
)


def _numbers(i: int) -> tuple[int, int]:
    return 11 + 3 * i, 7 + 5 * i


def _task(i: int) -> dict:
    a, b = _numbers(i)
    prompt = (
        BENCH_ITEM
        if f"{SOURCE}/t{i:03d}" == CONTAMINATED
        else (f"Compute the sum of {a} and {b}, then report the total as a single number.")
    )
    return {
        "id": f"t{i:03d}",
        "domain": DOMAINS[i % 2],
        "prompt": prompt,
        "answer": str(a + b),
        "verifier": "math",
        "verifier_args": {},
    }


def _responses(i: int, defects: set[str]) -> list[dict]:
    a, b = _numbers(i)
    gold = a + b
    wrong = "low_pass" in defects and DOMAINS[i % 2] == "algebra"
    final = f"The total is \\boxed{{{gold + 1 if wrong else gold}}}."
    think = [
        f"I add {a} and {b}. Starting from {a} and counting up by {b} gives {gold}.",
        f"Tens and units separately: {a} plus {b} makes {gold}; as a check, {gold} minus {b} is {a}.",
    ]
    if i % 4 == 1:  # a second sample that repeats the first: selection drops it as a duplicate
        think[1] = think[0] + " "
    out = [
        {"task_id": f"t{i:03d}", "mode": "think", "sample_index": s, "text": f"<think>\n{t}\n</think>\n\n{final}"}
        for s, t in enumerate(think)
    ]
    out.append({"task_id": f"t{i:03d}", "mode": "no_think", "sample_index": 0, "text": final})
    return out


def _jsonl(path: Path, rows: Iterable[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_scenario(
    root: Path,
    defects: Iterable[str] = (),
    hub_url: str | None = None,
    repo: str = "acme/ops",
    checks: dict | None = None,
) -> Path:
    """Input files and thinkmill.yaml under `root`; returns the config path."""
    d = set(defects)
    unknown = d - set(INPUT_DEFECTS)
    assert not unknown, f"not input defects: {unknown}"
    tasks = [_task(i) for i in range(N_TASKS)]
    raw = [
        *tasks,
        *({**tasks[j], "id": f"dup{j}"} for j in range(2)),  # exact duplicates of t000, t001
        *({"id": f"bad{j}", "domain": "arithmetic", "answer": "1"} for j in range(2)),
    ]  # no prompt: quarantined
    _jsonl(root / "raw" / "s1.jsonl", raw)
    _jsonl(root / "bench.jsonl", [{"id": "b7", "question": BENCH_ITEM}])
    _jsonl(root / "tasks.jsonl", tasks)
    _jsonl(root / "responses.jsonl", (r for i in range(N_TASKS) for r in _responses(i, d)))
    cfg: dict = {
        "ingest": {"sources": [{"name": SOURCE, "path": "raw/s1.jsonl", "license": "MIT"}]},
        "decontam": {"benchmarks": [{"name": "trains", "path": "bench.jsonl"}]},
        "generate": {
            "backend": "batch",
            "samples_think": 2,
            "samples_no_think": 1,
            "batch_output": "batch_output.jsonl",
        },
        "publish": {"card_dir": "cards"},
        "checks": checks or {},
    }
    if "ratio" in d:  # the token share is enforced: the row share drifts far from its default target of 0.7
        cfg["balance"] = {"think_share_tokens": 0.7}
    if "ratio_off" in d:  # a token target only reported, every candidate kept: the token share misses it (~0.84)
        cfg["balance"] = {"think_share_tokens": 0.5, "enforce_ratio": False, "disjoint_tasks": False}
    if hub_url:
        cfg["publish"].update({"repo": repo, "endpoint": hub_url})
    gen = GenerateConfig.model_validate(cfg["generate"])
    lines = sample_batch_lines(root / "tasks.jsonl", root / "responses.jsonl", gen, source=SOURCE)
    (root / "batch_output.jsonl").write_text(render_jsonl(lines), encoding="utf-8")
    path = root / "thinkmill.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    """One real `curate` run: its database (do not write to it: copy it), config and result."""

    db: Path
    config: Path
    result: dg.ExecuteInProcessResult
    repo: str


def project_defs(db: Path, config: Path) -> dg.Definitions:
    """The project's own definitions, bound to this database and config."""
    return build_definitions({"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(config))})


def run_curate(db: Path, config: Path) -> dg.ExecuteInProcessResult:
    return (
        project_defs(db, config)
        .resolve_job_def("curate")
        .execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    )


def latest(store: Store) -> str:
    from pipeline.dataset.versions import latest_version

    v = latest_version(store)
    assert v is not None, "no dataset version"
    return v


def seed(store: Store, defect: str) -> None:
    """Plant one defect into a database the real stages wrote."""
    v = latest(store)
    ex = store.query(
        "SELECT example_id, task_id, generation_key FROM dataset_rows WHERE version_id = ? ORDER BY example_id LIMIT 1",
        [v],
    ).row(0, named=True)
    with store.writing() as con:
        if defect == "quarantine":  # most of the source's rows rejected
            con.execute(
                "INSERT INTO quarantine (source, source_file, source_row, reason) "
                "SELECT 's1', 'raw/s1.jsonl', 1000 + i, 'missing_field:prompt' FROM range(?) t(i)",
                [N_TASKS],
            )
        elif defect == "malformed":  # every second think sample came back without its think block
            con.execute(
                "UPDATE generations SET parse_flags = ['no_think_block'] WHERE mode = 'think' AND sample_index = 1"
            )
        elif defect == "mislabelled_selection":  # two tasks' selected traces swapped: prompts get wrong answers
            a, b = store.query(
                "SELECT DISTINCT task_id FROM dataset_rows WHERE version_id = ? AND mode = 'think' "
                "ORDER BY task_id LIMIT 2",
                [v],
            )["task_id"].to_list()
            con.execute(
                "UPDATE trace_selection SET task_id = CASE task_id WHEN ? THEN ? ELSE ? END WHERE task_id IN (?, ?)",
                [a, b, a, a, b],
            )
        elif defect == "contaminated":  # a benchmark added after the version was built overlaps one of its tasks
            con.execute(
                "INSERT INTO contamination (task_id, benchmark, benchmark_item, method, score) "
                "VALUES (?, 'aime24', '7', 'ngram', 0.9)",
                [ex["task_id"]],
            )
        elif defect == "empty_message":  # an example whose answer is only a think block
            msgs = [
                {"role": "user", "content": "What is 2 + 2?"},
                {"role": "assistant", "content": "<think>\nonly thinking\n</think>\n"},
            ]
            con.execute(
                "UPDATE dataset_rows SET messages = ? WHERE version_id = ? AND example_id = ?",
                [json.dumps(msgs), v, ex["example_id"]],
            )
        elif defect == "orphan_row":  # an example whose generation is gone
            con.execute("DELETE FROM generations WHERE key = ?", [ex["generation_key"]])
        elif defect == "schema":  # a column added by hand
            con.execute("ALTER TABLE verdicts ADD COLUMN junk INTEGER")
        elif defect == "duplicate_version":  # a second version with the same content (and rows)
            nxt = f"v{int(v[1:]) + 1}"
            con.execute(
                "INSERT INTO dataset_versions (version_id, content_hash, parent, created_at, config, counts) "
                "SELECT ?, content_hash, version_id, now(), config, counts FROM dataset_versions "
                "WHERE version_id = ?",
                [nxt, v],
            )
            con.execute(
                "INSERT INTO dataset_rows SELECT * REPLACE (? AS version_id) FROM dataset_rows WHERE version_id = ?",
                [nxt, v],
            )
        elif defect == "failed_requests":  # the think requests sent again (another key: a template changed), an hour
            con.execute(  # later; the server dropped them all (samples past the config's k would not count)
                "INSERT INTO generations SELECT * REPLACE (key || '-lost' AS key, "
                "created_at + INTERVAL 1 HOUR AS created_at, "
                "NULL AS raw_text, NULL AS think, NULL AS answer, NULL AS parse_flags, NULL AS finish_reason, "
                "NULL AS completion_tokens, 'connection_lost: Server disconnected without sending a response.' "
                "AS error, 3 AS retries) FROM generations WHERE mode = 'think'"
            )
        else:
            raise ValueError(f"unknown seeded defect {defect!r}; known: {SEEDED_DEFECTS}")
