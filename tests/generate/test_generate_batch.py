"""Batch backend round trip, the demo's sample batch file, the CLI and the Dagster asset (no server)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from assets.resources import LLMBackendResource
from pipeline.config import ThinkmillConfig
from pipeline.generate.backends.base import BatchFileError
from pipeline.generate.backends.batch import BatchBackend, read_batch_output, write_batch_requests
from pipeline.generate.request import build_requests
from pipeline.generate.runner import run as run_generation
from pipeline.generate.sample_build import (
    SAMPLE_DIR,
    SampleDataError,
    load_generate_config,
    render_jsonl,
    sample_batch_lines,
    sample_source_name,
)
from pipeline.store import Store

DATA = Path(__file__).parent / "sample_standin"


def _tasks() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "task_id": ["a", "b", "c"],
            "domain": ["math", "code", "science_mcq"],
            "prompt": ["1+1?", "write f", "A or B?"],
        }
    )


def _answer(line: dict, i: int) -> dict:
    if i == 1:
        return {
            "custom_id": line["custom_id"],
            "response": {"status_code": 400, "body": {"error": {"message": "maximum context length is 10 tokens"}}},
            "error": None,
        }
    return {
        "custom_id": line["custom_id"],
        "error": None,
        "response": {
            "status_code": 200,
            "body": {
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": "\\boxed{2}", "reasoning_content": f"thought {i}"},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 3},
            },
        },
    }


def test_batch_round_trip(tmp_path: Path) -> None:
    cfg = ThinkmillConfig()
    requests = list(build_requests(_tasks(), cfg.generate))
    req_file = tmp_path / "requests.jsonl"
    assert write_batch_requests(requests, req_file) == 9
    lines = [json.loads(x) for x in req_file.read_text().splitlines()]
    assert [x["custom_id"] for x in lines] == [r.key for r in requests]
    assert lines[0]["url"] == "/v1/chat/completions" and "chat_template_kwargs" in lines[0]["body"]
    out = tmp_path / "output.jsonl"
    answered = lines[:5]  # the rest stays unanswered
    stale = {
        "custom_id": "g1_stale",
        "response": {"status_code": 200, "body": {"choices": [{"message": {"content": "x"}, "finish_reason": "stop"}]}},
    }
    out.write_text("".join(json.dumps(_answer(x, i)) + "\n" for i, x in enumerate(answered)) + json.dumps(stale) + "\n")
    with Store.open(tmp_path / "g.duckdb") as store:
        backend = BatchBackend(output=out, batch_dir=tmp_path / "batch")
        summary = run_generation(store, cfg, backend=backend, tasks=_tasks())
        rows = store.read("generations")
        m = summary.metadata
        assert m["succeeded"] == 4 and m["errors_by_kind"] == {"context_length_exceeded": 1}
        assert summary.metadata["batch_unmatched"] == 1 and summary.metadata["batch_unanswered"] == 4
        assert rows.height == 5 and set(rows["endpoint"]) == {"output.jsonl"}
        ok = rows.filter(pl.col("error").is_null())
        assert ok["think"].str.starts_with("thought").all() and (ok["answer"] == "\\boxed{2}").all()
        assert (rows["backend"] == "batch").all()
        request_file = Path(summary.metadata["batch_request_file"])
        left = [json.loads(x)["custom_id"] for x in request_file.read_text().splitlines()]
        assert sorted(left) == sorted(r.key for r in requests[5:])
        again = run_generation(
            store,
            cfg,
            backend=BatchBackend(output=out, batch_dir=tmp_path / "batch", write_missing=False),
            tasks=_tasks(),
        )
        assert again.metadata["cached"] == 4 and store.count("generations") == 5


def test_malformed_batch_output_names_the_line(tmp_path: Path) -> None:
    out = tmp_path / "bad.jsonl"
    out.write_text('{"custom_id": "a", "response": {"status_code": 200, "body": {"choices": []}}}\n')
    with pytest.raises(BatchFileError, match=r"bad.jsonl, line 1"):
        read_batch_output(out)
    with pytest.raises(BatchFileError, match="does not exist"):
        read_batch_output(tmp_path / "missing.jsonl")


def test_sample_builder_on_stand_in_data(tmp_path: Path) -> None:
    cfg = load_generate_config(DATA / "thinkmill.yaml")
    lines = sample_batch_lines(DATA / "tasks.jsonl", DATA / "response_texts.jsonl", cfg)
    assert len(lines) == 3
    assert lines[2]["response"]["body"]["choices"][0]["finish_reason"] == "length"
    tasks = pl.read_ndjson(DATA / "tasks.jsonl").select(task_id="id", domain="domain", prompt="prompt")
    keys = {r.key for r in build_requests(tasks, cfg)}
    assert {x["custom_id"] for x in lines} <= keys
    bad = tmp_path / "r.jsonl"
    bad.write_text('{"task_id": "m1", "mode": "think", "sample_index": 5, "text": "x"}\n')
    with pytest.raises(SampleDataError, match=r"r.jsonl, line 1: sample_index 5"):
        sample_batch_lines(DATA / "tasks.jsonl", bad, cfg)


def test_committed_sample_batch_matches_current_templates() -> None:
    """Template or sample-config changes change the keys: rebuild with `thinkmill generate build-sample-batch`."""
    cfg = load_generate_config(SAMPLE_DIR / "thinkmill.yaml")
    lines = sample_batch_lines(
        SAMPLE_DIR / "tasks.jsonl",
        SAMPLE_DIR / "response_texts.jsonl",
        cfg,
        source=sample_source_name(SAMPLE_DIR / "thinkmill.yaml"),
    )
    assert lines and lines[0]["custom_id"]
    committed = (SAMPLE_DIR / (cfg.batch_output or "batch_output.jsonl")).read_text(encoding="utf-8")
    assert [json.loads(x)["custom_id"] for x in committed.splitlines()] == [x["custom_id"] for x in lines], (
        "pipeline/sample/batch_output.jsonl is stale: run `thinkmill generate build-sample-batch`"
    )
    assert committed == render_jsonl(lines)


def _seed_db(db: Path, with_contamination: bool = True) -> None:
    rows = pl.read_ndjson(DATA / "tasks.jsonl")
    tasks = pl.DataFrame(
        {
            "task_id": rows["id"],
            "source": ["s"] * rows.height,
            "domain": rows["domain"],
            "prompt": rows["prompt"],
            "answer": rows["answer"],
            "verifier": rows["verifier"],
            "verifier_args": ["{}"] * rows.height,
            "metadata": ["{}"] * rows.height,
        }
    )
    with Store.open(db) as store:
        store.insert("tasks", tasks)
        if with_contamination:
            store.insert(
                "contamination",
                pl.DataFrame({"task_id": ["q1"], "benchmark": ["b"], "benchmark_item": ["1"], "method": ["ngram"]}),
            )


def _sample_copy(tmp_path: Path) -> Path:
    d = tmp_path / "sample"
    shutil.copytree(DATA, d)
    from pipeline.generate.sample_build import build_sample_batch

    build_sample_batch(d)
    return d


def test_cli_generate_with_batch_backend(tmp_path: Path) -> None:
    from pipeline.cli import main

    d = _sample_copy(tmp_path)
    db = tmp_path / "g.duckdb"
    _seed_db(db)
    res = CliRunner().invoke(
        main, ["generate", "--db", str(db), "--config", str(d / "thinkmill.yaml"), "--no-progress", "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)["metadata"]
    assert summary["tasks"] == 1 and summary["succeeded"] == 2  # q1 is contaminated: never generated
    with Store.open(db, read_only=True) as store:
        rows = store.read("generations")
    assert set(rows["task_id"]) == {"m1"} and set(rows["backend"]) == {"batch"}
    res = CliRunner().invoke(
        main,
        [
            "generate",
            "batch-write",
            "--db",
            str(db),
            "--config",
            str(d / "thinkmill.yaml"),
            "--out",
            str(tmp_path / "req.jsonl"),
        ],
    )
    assert res.exit_code == 0 and res.output.startswith("0 requests written"), res.output


def test_cli_bad_batch_file_is_one_clear_line(tmp_path: Path) -> None:
    from pipeline.cli import main

    d = _sample_copy(tmp_path)
    (d / "batch_output.jsonl").write_text("not json\n")
    db = tmp_path / "g.duckdb"
    _seed_db(db)
    res = CliRunner().invoke(
        main, ["generate", "--db", str(db), "--config", str(d / "thinkmill.yaml"), "--no-progress"]
    )
    assert res.exit_code == 1 and "error: batch output file" in res.output and "line 1" in res.output


def test_dagster_asset_generates_only_new_tasks(tmp_path: Path) -> None:
    import dagster as dg

    from assets.generate import generations
    from assets.resources import ThinkmillResource

    d = _sample_copy(tmp_path)
    db = tmp_path / "g.duckdb"
    _seed_db(db, with_contamination=False)
    resource = ThinkmillResource(db_path=str(db), config_path=str(d / "thinkmill.yaml"))
    first = dg.materialize([generations], resources={"thinkmill": resource, "llm": LLMBackendResource()})
    assert first.success
    md = first.asset_materializations_for_node("generations")[0].metadata
    assert md["dagster/row_count"].value == 3 and md["sent"].value == 3 and md["cache_hits"].value == 0
    assert "requests_per_s" not in md and "completion_tokens_per_s" not in md  # no throughput for a file read
    second = dg.materialize([generations], resources={"thinkmill": resource, "llm": LLMBackendResource()})
    md2 = second.asset_materializations_for_node("generations")[0].metadata
    assert md2["cache_hits"].value == 3 and md2["sent"].value == 0


def _fails_once(resource: object) -> str:
    """The one failure's message of materialising `generations` on `resource`; the step was not retried."""
    import dagster as dg

    from assets.generate import generations

    result = dg.materialize(
        [generations], resources={"thinkmill": resource, "llm": LLMBackendResource()}, raise_on_error=False
    )
    assert not result.success
    assert not [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    [failure] = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    return str(failure.event_specific_data.error.message)


def test_dagster_asset_fails_once_on_a_missing_batch_output(tmp_path: Path) -> None:
    """A batch output file that is not there is the user's to fix, not a transient fault: the step fails with the
    error's one line and is not retried (before, the retry policy ran it three more times, 30 s, 60 s and 120 s
    apart, with the same error each time)."""
    from assets.resources import ThinkmillResource

    d = _sample_copy(tmp_path)
    (d / "batch_output.jsonl").unlink()
    db = tmp_path / "g.duckdb"
    _seed_db(db, with_contamination=False)
    resource = ThinkmillResource(db_path=str(db), config_path=str(d / "thinkmill.yaml"))
    assert "batch_output.jsonl does not exist" in _fails_once(resource)


def test_dagster_asset_fails_once_on_a_server_section_without_backend(tmp_path: Path) -> None:
    """A config error found when the backend is made (an openai section without `generate.backend`) is the user's to
    fix: one failure, no retries."""
    from assets.resources import ThinkmillResource

    db = tmp_path / "g.duckdb"
    _seed_db(db, with_contamination=False)
    config = tmp_path / "thinkmill.yaml"
    config.write_text("generate:\n  model: m\n  openai:\n    base_urls: [http://127.0.0.1:9/v1]\n")
    resource = ThinkmillResource(db_path=str(db), config_path=str(config))
    assert "generate.backend is not set" in _fails_once(resource)


def test_journal_replays_results_a_killed_writer_never_committed(tmp_path: Path) -> None:
    """A result handed to the writer is journalled first: a kill before the commit loses nothing."""
    from pipeline.generate.cache import ResultWriter, journal_dir, replay_journal
    from pipeline.generate.result import GenerationResult, generation_row

    cfg = ThinkmillConfig()
    tasks = pl.DataFrame({"task_id": ["a", "b"], "domain": ["math", "math"], "prompt": ["1+1?", "2+2?"]})
    reqs = list(build_requests(tasks, cfg.generate))
    with Store.open(tmp_path / "j.duckdb") as store:
        folder = journal_dir(store)
        writer = ResultWriter(store, batch_rows=10_000, interval_s=3600, journal=folder)
        for r in reqs:
            writer.add(
                generation_row(
                    r, GenerationResult(text="<think>\nx\n</think>\n2"), backend="openai", endpoint="http://h/v1"
                )
            )
        writer._segment_file.write('{"key": "torn')  # the kill hit mid-line
        writer._segment_file.flush()
        # killed here: nothing committed, the journal holds every row
        assert store.count("generations") == 0 and folder is not None and any(folder.iterdir())
        assert replay_journal(store) == len(reqs)
        assert sorted(store.read("generations")["key"].to_list()) == sorted(r.key for r in reqs)
        assert not any(folder.iterdir()) and replay_journal(store) == 0
        writer._pool.shutdown()


# ---------------------------------------------------------------------------------- request targets
# What OpenAI's chat completions (and its batch API) accept; anything else is rejected there.
OPENAI_BODY_FIELDS = {
    "model",
    "messages",
    "seed",
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "frequency_penalty",
    "presence_penalty",
    "stop",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "n",
    "response_format",
    "reasoning_effort",
    "service_tier",
    "user",
}


def test_batch_write_target_openai_carries_only_openai_fields_default_unchanged(tmp_path: Path) -> None:
    from pipeline.cli import main
    from pipeline.generate.templates import REASONING_SYSTEM_PROMPT

    d = _sample_copy(tmp_path)
    (d / "thinkmill.yaml").write_text("generate:\n  backend: batch\n  samples_think: 1\n  samples_no_think: 1\n")
    db = tmp_path / "g.duckdb"
    _seed_db(db, with_contamination=False)
    cfg_args = ["--db", str(db), "--config", str(d / "thinkmill.yaml")]

    res = CliRunner().invoke(main, ["generate", "batch-write", *cfg_args, "--out", str(tmp_path / "vllm.jsonl")])
    assert res.exit_code == 0, res.output
    default = [json.loads(x) for x in (tmp_path / "vllm.jsonl").read_text().splitlines()]
    with Store.open(db, read_only=True) as store:
        tasks = store.read("tasks")
    keys = {
        r.key
        for r in build_requests(
            tasks, ThinkmillConfig().generate.model_copy(update={"samples_think": 1, "samples_no_think": 1})
        )
    }
    assert {x["custom_id"] for x in default} == keys  # the default target's keys do not change
    assert all("chat_template_kwargs" in x["body"] and x["body"]["top_k"] == 20 for x in default)

    res = CliRunner().invoke(
        main, ["generate", "batch-write", *cfg_args, "--target", "openai", "--out", str(tmp_path / "openai.jsonl")]
    )
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in (tmp_path / "openai.jsonl").read_text().splitlines()]
    assert len(lines) == len(default) == 4
    for x in lines:
        assert set(x["body"]) <= OPENAI_BODY_FIELDS, set(x["body"]) - OPENAI_BODY_FIELDS
        assert x["custom_id"] not in keys  # the key says what was sent
    think = [x for x in lines if x["body"]["messages"][0]["role"] == "system"]
    assert len(think) == 2 and all(x["body"]["messages"][0]["content"] == REASONING_SYSTEM_PROMPT for x in think)

    # the output of an OpenAI batch comes back with the same --target; provenance is what was sent
    out = tmp_path / "openai_out.jsonl"
    out.write_text("".join(json.dumps(_answer(x, 0)) + "\n" for x in lines))
    res = CliRunner().invoke(main, ["generate", "batch-read", *cfg_args, "--target", "openai", str(out)])
    assert res.exit_code == 0, res.output
    with Store.open(db, read_only=True) as store:
        rows = store.read("generations")
    assert rows.height == 4 and rows["error"].null_count() == 4
    for params in rows["sampling_params"]:
        sent = json.loads(params)
        assert "top_k" not in sent and not sent.get("chat_template_kwargs")


def test_openai_target_rejects_a_non_openai_sampling_field_by_name() -> None:
    from pipeline.generate.targets import TargetError, for_target

    cfg = ThinkmillConfig()
    cfg.generate.think.extra = {"min_p": 0.05}
    reqs = list(build_requests(_tasks().head(1), cfg.generate))
    assert [for_target(r, "vllm") for r in reqs] == reqs
    with pytest.raises(TargetError, match=r"generate\.think\.extra\.min_p"):
        [for_target(r, "openai") for r in reqs]


@pytest.mark.parametrize(
    "section", ["openai:\n    base_urls: [http://127.0.0.1:9/v1]", "vllm:\n    max_model_len: 4096"]
)
def test_a_server_section_without_backend_is_not_silently_a_batch_run(tmp_path: Path, section: str) -> None:
    """`generate: {openai: {base_urls: [...]}}` without `backend:` ran the default batch backend: it wrote a request
    file, generated nothing and exited 0, the server the user configured never asked."""
    from pipeline.cli import main

    db = tmp_path / "g.duckdb"
    _seed_db(db)
    config = tmp_path / "thinkmill.yaml"
    config.write_text(f"generate:\n  model: m\n  {section}\n")
    args = ["generate", "--db", str(db), "--config", str(config), "--no-progress"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1 and "generate.backend" in res.output and "\n" not in res.output.strip(), res.output
    assert not (tmp_path / "batch").exists()
    # naming the backend (in the config or with --backend) is what the user meant; batch by name stays batch
    res = CliRunner().invoke(main, [*args, "--backend", "batch"])
    assert res.exit_code == 0, res.output
