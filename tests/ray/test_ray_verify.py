"""Verify on Ray: the same verdicts as a local run on the same generations (math, mcq, ifeval, sandboxed code)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.executor.config import ExecutorConfig
from pipeline.store import Store
from pipeline.verify import db as verify_db

TASKS = [
    ("m1", "math", "What is 3/4 as a decimal?", "3/4", "math", {}),
    ("q1", "science_mcq", "Which planet is red?", "C", "mcq", {"choices": {"A": "Venus", "C": "Mars"}}),
    (
        "i1",
        "instruction_following",
        "Write a short note.",
        None,
        "ifeval",
        {"constraints": [{"type": "max_words", "value": 5}]},
    ),
    ("c1", "code", "Write f.", None, "code", {"tests": "assert f(1) == 2"}),
]
RESPONSES = [
    ("m1", "<think>\n3 over 4\n</think>\nThe answer is \\boxed{0.75}."),
    ("m1", "<think>\nhmm\n</think>\n\\boxed{0.7}"),
    ("m1", "<think>\nnever closed"),
    ("m1", "\\boxed{0.75}"),
    ("q1", "<think>\nmars is red\n</think>\nAnswer: C"),
    ("q1", "Answer: A"),
    ("i1", "short note here"),
    ("i1", "this note is far too long to pass"),
    ("c1", "<think>\nadd one\n</think>\n```python\ndef f(x):\n    return x + 1\n```"),
    ("c1", "<think>\nwrong\n</think>\n```python\ndef f(x):\n    return x\n```"),
]
VERDICT_COLS = [
    "generation_key",
    "task_id",
    "mode",
    "verifier",
    "passed",
    "reason",
    "score",
    "lint_flags",
    "think_tokens",
    "answer_tokens",
    "verifier_version",
    "audit_check",
]


def _db(path: Path) -> Path:
    tasks = pl.DataFrame(
        [
            {
                "task_id": t,
                "source": "s",
                "domain": d,
                "prompt": p,
                "answer": a,
                "verifier": v,
                "verifier_args": json.dumps(args),
                "metadata": "{}",
            }
            for t, d, p, a, v, args in TASKS
        ]
    )
    gens = pl.DataFrame(
        [
            {
                "key": f"g{i:02d}",
                "task_id": t,
                "mode": "think" if "<think>" in x else "no_think",
                "sample_index": i,
                "backend": "batch",
                "model": "m",
                "template_version": "1",
                "messages": [],
                "sampling_params": {},
                "raw_text": x,
            }
            for i, (t, x) in enumerate(RESPONSES)
        ]
    )
    with Store.open(path) as store:
        store.insert("tasks", tasks)
        store.insert("generations", gens)
    return path


def _verdicts(path: Path) -> pl.DataFrame:
    with Store.open(path) as store:
        return store.read("verdicts", order_by="generation_key").select(VERDICT_COLS)


def test_verdicts_on_ray_equal_the_local_run(tmp_path: Path) -> None:
    local_db = _db(tmp_path / "local.duckdb")
    ray_db = tmp_path / "ray.duckdb"
    shutil.copy(local_db, ray_db)
    with Store.open(local_db) as store:
        local = verify_db.run(store, ThinkmillConfig())
    cfg = ThinkmillConfig(
        executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared"), shard_rows=3), base_dir=tmp_path
    )
    with Store.open(ray_db) as store:
        on_ray = verify_db.run(store, cfg)
        ledger = store.query("SELECT stage, rows_in, rows_out FROM shard_ledger ORDER BY shard_id")
    want, got = _verdicts(local_db), _verdicts(ray_db)
    assert want.height == len(RESPONSES)
    assert set(want["reason"].drop_nulls()) >= {"math:mismatch", "lint:unclosed_think", "code:tests_failed"}
    assert got.equals(want)
    assert (on_ray.rows_in, on_ray.rows_out, on_ray.drops) == (local.rows_in, local.rows_out, local.drops)
    assert on_ray.metadata["shards"] == on_ray.metadata["shards_committed"] == 4  # 10 rows, 3 per shard
    assert ledger["rows_in"].to_list() == [3, 3, 3, 1] and ledger["rows_out"].to_list() == [3, 3, 3, 1]
    assert not (tmp_path / "shared" / on_ray.metadata["run_id"]).exists()  # shards removed after the commit


def test_cli_verify_executor_ray(tmp_path: Path) -> None:
    db = _db(tmp_path / "t.duckdb")
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("executor:\n  shared_dir: shards\n  shard_rows: 5\n")
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(cfg), "--executor", "ray", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output[res.output.index("{") :])
    assert report["metadata"]["executor"] == "ray" and report["metadata"]["shards"] == 2
    assert report["metadata"]["judged"] == len(RESPONSES)
    assert report["metadata"]["ray_address"]


def test_llm_judge_tasks_are_judged_on_the_driver_with_the_same_verdicts(tmp_path: Path) -> None:
    """`verifier: judge` tasks never reach a worker (their cache and journal live beside the database): the driver
    judges them through the judge's cached requests, the rest goes to Ray; verdicts equal a local run's."""
    import re

    from testing_support.openai_stub import OpenAIStub

    def scored(body: dict) -> str:
        shown = body["messages"][1]["content"]
        score = 9 if "GOOD" in shown else 3
        return json.dumps({"reasoning": f"scored {score}", "score": score})

    local_db = _db(tmp_path / "local.duckdb")
    with Store.open(local_db) as store:
        store.insert(
            "tasks",
            pl.DataFrame(
                [
                    {
                        "task_id": "j1",
                        "source": "s",
                        "domain": "writing",
                        "prompt": "Name a colour.",
                        "answer": None,
                        "verifier": "judge",
                        "verifier_args": "{}",
                        "metadata": "{}",
                    }
                ]
            ),
        )
        store.insert(
            "generations",
            pl.DataFrame(
                [
                    {
                        "key": f"j{i}",
                        "task_id": "j1",
                        "mode": "no_think",
                        "sample_index": i,
                        "backend": "batch",
                        "model": "m",
                        "template_version": "1",
                        "messages": [],
                        "sampling_params": {},
                        "raw_text": text,
                    }
                    for i, text in enumerate(["Red, GOOD reasons.", "Blue."])
                ]
            ),
        )
    ray_db = tmp_path / "ray.duckdb"
    shutil.copy(local_db, ray_db)
    with OpenAIStub() as stub:
        stub.responder = scored
        judge = {"model": "judge-model", "rubric": "Names a colour and says why.", "openai": {"base_urls": [stub.url]}}
        local_cfg = ThinkmillConfig.model_validate({"verify": {"judge": judge}})
        with Store.open(local_db) as store:
            verify_db.run(store, local_cfg)
        sent_locally = stub.stats.requests
        cfg = local_cfg.model_copy(
            update={"executor": ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared"), shard_rows=5)}
        )
        with Store.open(ray_db) as store:
            on_ray = verify_db.run(store, cfg)
    assert sent_locally == 2 and stub.stats.requests == 4  # each run asked the judge once per response
    want, got = _verdicts(local_db), _verdicts(ray_db)
    assert got.equals(want) and want.height == len(RESPONSES) + 2
    judged = got.filter(pl.col("verifier") == "judge")
    assert judged["passed"].to_list() == [True, False] and judged["reason"].to_list() == [None, "judge:below_threshold"]
    assert on_ray.metadata["judge"]["sent"] == 2 and on_ray.metadata["shards"] == 2  # 10 non-judge rows, 5 a shard
    with Store.open(ray_db) as store:
        details = store.query("SELECT details FROM verdicts WHERE generation_key = 'j0'")["details"][0]
    assert re.search(r'"score": ?9', details)


def test_credentials_in_shared_dir_reach_no_row_report_or_error(tmp_path: Path) -> None:
    """A `shared_dir` URL that carries credentials (`s3://KEY:SECRET@bucket/...`, which pyarrow accepts) is used as
    it is, but the secret reaches neither the ledger's `result_uri`, the report, nor a SharedDirError's message.
    (fsspec's in-memory filesystem stands in for the bucket: `kind: local` runs the same shard path in process.)"""
    import pytest

    from pipeline.executor.shared import SharedDir, SharedDirError
    from pipeline.executor.verify import run as run_sharded

    secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYCANARY"
    url = f"memory://AKIACANARY:{secret}@bucket/shards"
    db = _db(tmp_path / "t.duckdb")
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="local", shared_dir=url, shard_rows=5))
    with Store.open(db) as store:
        report = run_sharded(store, cfg)
        ledger = store.query("SELECT result_uri FROM shard_ledger")
    assert report.metadata["shards_committed"] == 2
    uris = ledger["result_uri"].to_list()
    assert len(uris) == 2 and all(u.startswith("memory://bucket/shards/") for u in uris)
    assert secret not in json.dumps(report.metadata, default=str) and secret not in "\n".join(report.summary)
    shared = SharedDir(url)
    assert secret not in repr(shared)
    with pytest.raises(SharedDirError) as err:
        shared.read("no/such/shard.parquet")
    assert secret not in str(err.value) and "memory://bucket/shards/no/such/shard.parquet" in str(err.value)


def test_a_worker_judging_with_another_verifier_version_commits_nothing(tmp_path: Path, monkeypatch) -> None:
    """A worker whose verifier is not the driver's (a plugin installed at another version on a node, an entry point
    missing there so the built-in answers, an older thinkmill): its verdicts carry another version than the driver
    expects. They are refused with an error naming both versions, not committed (they were stored, and every later
    run judged them again on the same workers)."""
    import sys

    import pytest

    from pipeline.errors import ThinkmillError
    from pipeline.executor import verify as ray_verify

    plug = tmp_path / "plug"
    plug.mkdir()
    (plug / "tm_probe_plug.py").write_text(
        "def check(answer, task):\n    return answer.strip() == 'yes'\n\n\ncheck.version = '2'\n"
    )
    monkeypatch.syspath_prepend(str(plug))
    db = _db(tmp_path / "t.duckdb")
    with Store.open(db) as store:
        store.execute("UPDATE tasks SET verifier = 'yesno' WHERE task_id = 'i1'")
    cfg = ThinkmillConfig.model_validate(
        {
            "verify": {"verifiers": {"yesno": "tm_probe_plug:check"}},
            "executor": {"kind": "local", "shared_dir": str(tmp_path / "shared"), "shard_rows": 20},
        }
    )
    judge_shard = ray_verify.JudgeShard.__call__

    def on_a_stale_worker(self, tbl):  # the worker's copy of the plugin is another version
        sys.modules["tm_probe_plug"].check.version = "1"
        return judge_shard(self, tbl)

    monkeypatch.setattr(ray_verify.JudgeShard, "__call__", on_a_stale_worker)
    with Store.open(db) as store, pytest.raises(ThinkmillError, match=r"yesno/1\+lints.*yesno/2\+lints"):
        ray_verify.run(store, cfg)
    with Store.open(db) as store:
        assert store.query("SELECT count(*) AS n FROM verdicts")["n"][0] == 0


def test_a_judge_backend_given_with_the_ray_executor_is_an_error_not_ignored(tmp_path: Path) -> None:
    """`verify_db.run(store, cfg, judge_backend=...)` with `executor: ray` dropped the backend: the judge was built
    from the config instead, silently another judge than the caller asked for."""
    import pytest

    from pipeline.verify.errors import VerifyError

    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared")))
    with Store.open(tmp_path / "v.duckdb") as store, pytest.raises(VerifyError, match="judge_backend"):
        verify_db.run(store, cfg, judge_backend=object())  # type: ignore[arg-type]


def test_an_error_on_a_worker_is_one_line_as_on_the_driver(tmp_path: Path, monkeypatch) -> None:
    """A plugin verifier the workers cannot import (installed on the driver only): `thinkmill verify --json` printed
    Ray's 89-line traceback (`UserCodeException` around the `VerifyError`), no `error:` line and nothing on stdout. The
    project's error raised on a worker now ends the run as one raised on the driver: one line, `{"error": ...}`."""
    plug = tmp_path / "plug"
    plug.mkdir()
    (plug / "tm_driver_only_plug.py").write_text("def check(answer, task):\n    return True\n\n\ncheck.version = '1'\n")
    monkeypatch.syspath_prepend(str(plug))  # the driver imports it; the workers' path does not hold it
    db = _db(tmp_path / "t.duckdb")
    with Store.open(db) as store:
        store.execute("UPDATE tasks SET verifier = 'mine' WHERE task_id = 'i1'")
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "verify:\n  verifiers:\n    mine: tm_driver_only_plug:check\n"
        f"executor:\n  kind: ray\n  shared_dir: {tmp_path / 'shards'}\n  shard_rows: 5\n"
    )
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(cfg), "--json"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "UserCodeException" not in res.output, res.output[-3000:]
    (line,) = [x for x in res.output.splitlines() if x.startswith("error: ")]
    assert "verify.verifiers.mine" in line and "tm_driver_only_plug" in line, line
    assert json.loads(res.output[: res.output.index("\nerror: ")])["error"] == line.removeprefix("error: ")


def test_the_sandbox_is_checked_on_the_workers_not_the_driver(tmp_path: Path, monkeypatch) -> None:
    """The code runs on the workers: a driver without bubblewrap (a laptop on `address: ray://...`) stopped the run
    with `SandboxUnavailableError` though every worker had it. The workers' nodes are checked now, and the driver's
    own sandbox is not needed."""
    from pipeline.verify import sandbox

    monkeypatch.setattr(sandbox, "_probe", lambda key: "bwrap not found on PATH")  # this process only
    db = _db(tmp_path / "t.duckdb")
    cfg = ThinkmillConfig(executor=ExecutorConfig(kind="ray", shared_dir=str(tmp_path / "shared"), shard_rows=5))
    with Store.open(db) as store:
        verify_db.run(store, cfg)
    got = _verdicts(db).filter(pl.col("task_id") == "c1")
    assert got["passed"].to_list() == [True, False] and got["reason"].to_list()[1] == "code:tests_failed"


def test_a_worker_node_without_the_sandbox_stops_the_run_before_any_shard(tmp_path: Path) -> None:
    """A node whose sandbox cannot run stops the run in one line naming the node, before any shard is written
    (before, only the driver was checked, and a node without bubblewrap failed on its first shard)."""
    import pytest

    from pipeline.verify.errors import SandboxUnavailableError

    db = _db(tmp_path / "t.duckdb")
    cfg = ThinkmillConfig.model_validate(
        {
            "verify": {"code": {"bwrap": str(tmp_path / "no-bwrap-here")}},
            "executor": {"kind": "ray", "shared_dir": str(tmp_path / "shared"), "shard_rows": 5},
        }
    )
    with Store.open(db) as store, pytest.raises(SandboxUnavailableError) as err:
        verify_db.run(store, cfg)
    assert str(err.value).startswith("Ray node ") and "no-bwrap-here not found" in str(err.value), err.value
    assert "\n" not in str(err.value)
    assert not (tmp_path / "shared").exists() or not any((tmp_path / "shared").rglob("*.parquet"))
    with Store.open(db) as store:
        assert store.query("SELECT count(*) AS n FROM verdicts")["n"][0] == 0
