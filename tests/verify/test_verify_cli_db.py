"""The file contract (CLI), the database path, the Dagster asset and the metrics."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import Store
from pipeline.verify.config import VerifyConfig
from pipeline.verify.db import verify_database
from pipeline.verify.errors import VerifyInputError
from pipeline.verify.files import verify_files
from pipeline.verify.metrics import (
    mean_pass_at_k,
    pass_at_k,
    pass_at_k_table,
    pass_rates,
    reason_counts,
    truncation_rates,
)

TASKS = [
    {
        "task_id": "m1",
        "source": "s",
        "domain": "math",
        "prompt": "What is 3/4 as a decimal?",
        "answer": "3/4",
        "verifier": "math",
        "verifier_args": {},
    },
    {
        "task_id": "q1",
        "source": "s",
        "domain": "science_mcq",
        "prompt": "Which planet is red?",
        "answer": "C",
        "verifier": "mcq",
        "verifier_args": {"choices": {"A": "Venus", "B": "Earth", "C": "Mars", "D": "Saturn"}},
    },
    {
        "task_id": "i1",
        "source": "s",
        "domain": "instruction_following",
        "prompt": "Write a short note.",
        "answer": None,
        "verifier": "ifeval",
        "verifier_args": {"constraints": [{"type": "max_words", "value": 5}]},
    },
]
RESPONSES = [
    ("m1", "r1", "<think>\n3 over 4\n</think>\nThe answer is \\boxed{0.75}."),
    ("m1", "r2", "<think>\nhmm\n</think>\n\\boxed{0.7}"),
    ("q1", "r3", "<think>\nmars is red\n</think>\nAnswer: C"),
    ("m1", "r4", "<think>\nnever closed"),
    ("i1", "r5", "short note here"),
    ("i1", "r6", "this note is far too long to pass"),
]
EXPECTED = [
    (True, None),
    (False, "math:mismatch"),
    (True, None),
    (False, "lint:unclosed_think"),
    (True, None),
    (False, "ifeval:max_words"),
]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    tasks = _write(tmp_path / "tasks.jsonl", TASKS)
    responses = _write(
        tmp_path / "responses.jsonl", [{"task_id": t, "response_id": r, "text": x} for t, r, x in RESPONSES]
    )
    return tasks, responses


def test_cli_file_contract(files, tmp_path: Path) -> None:
    tasks, responses = files
    out = tmp_path / "out" / "verdicts.jsonl"
    res = CliRunner().invoke(
        main,
        [
            "verify",
            "--tasks",
            str(tasks),
            "--responses",
            str(responses),
            "--out",
            str(out),
            "--mode",
            "auto",
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["response_id"] for r in rows] == [r for _, r, _ in RESPONSES]
    assert [(r["passed"], r["reason"]) for r in rows] == EXPECTED
    assert {"task_id", "response_id", "passed", "verifier", "reason", "score", "lint_flags"} <= set(rows[0])
    assert rows[4]["mode"] == "no_think" and rows[0]["mode"] == "think"
    assert "math:mismatch" in res.output and "pass rate by domain" in res.output


def test_cli_forced_think_mode_flags_missing_think_block(files, tmp_path: Path) -> None:
    tasks, responses = files
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(
        main,
        [
            "verify",
            "--tasks",
            str(tasks),
            "--responses",
            str(responses),
            "--out",
            str(out),
            "--mode",
            "think",
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[4]["reason"] == "lint:no_think_block"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "responses.jsonl:2: not valid JSON"),
        ('{"task_id": "zz", "response_id": "x", "text": "a"}', "responses.jsonl:2: task_id 'zz' is not in the tasks"),
        ('{"task_id": "m1", "text": "a"}', "responses.jsonl:2: missing field 'response_id'"),
        ('{"task_id": "m1", "response_id": "x", "text": 5}', "responses.jsonl:2: field 'text' must be a string"),
    ],
)
def test_cli_bad_input_names_the_line(files, tmp_path: Path, line: str, message: str) -> None:
    tasks, _ = files
    responses = tmp_path / "responses.jsonl"
    responses.write_text('{"task_id": "m1", "response_id": "ok", "text": "3/4"}\n' + line + "\n")
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(main, ["verify", "--tasks", str(tasks), "--responses", str(responses), "--out", str(out)])
    assert res.exit_code == 1
    assert message in res.output
    assert not out.exists()


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "t.duckdb"
    tasks = pl.DataFrame([{**t, "metadata": {}} for t in TASKS])
    gens = pl.DataFrame(
        [
            {
                "key": f"k{i}",
                "task_id": t,
                "mode": "think" if x.startswith("<think>") else "no_think",
                "sample_index": i,
                "backend": "batch",
                "model": "m",
                "template_version": "1",
                "messages": [],
                "sampling_params": {},
                "raw_text": x,
            }
            for i, (t, _, x) in enumerate(RESPONSES)
        ]
        + [
            {
                "key": "kerr",
                "task_id": "m1",
                "mode": "think",
                "sample_index": 9,
                "backend": "batch",
                "model": "m",
                "template_version": "1",
                "messages": [],
                "sampling_params": {},
                "raw_text": None,
                "error": "HTTP 500",
            }
        ]
    )
    with Store.open(db) as store:
        store.insert("tasks", tasks)
        store.insert("generations", gens)
    return db


def test_database_verdicts_are_incremental_and_rejudged_on_version_change(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with Store.open(db) as store:
        s = verify_database(store, VerifyConfig())
        assert tuple(s.metadata[k] for k in ("judged", "passed")) == (6, 3)  # the failed request gets no verdict
        got = store.read("verdicts", order_by="generation_key")
        assert [(r["passed"], r["reason"]) for r in got.iter_rows(named=True)] == EXPECTED
        assert verify_database(store, VerifyConfig()).metadata["judged"] == 0  # nothing new
        store.execute("UPDATE verdicts SET verifier_version = 'math/0+lints/1' WHERE verifier = 'math'")
        assert verify_database(store, VerifyConfig()).metadata["judged"] == 3  # the three math generations


def test_cli_db_mode(tmp_path: Path, sample_config: Path) -> None:
    db = _db(tmp_path)
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(sample_config), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "judged 6 generations (3 passed)" in res.output


def test_asset_materialises_with_metadata(tmp_path: Path) -> None:
    from assets.resources import ThinkmillResource
    from assets.verify import verdicts

    db = _db(tmp_path)
    config = tmp_path / "thinkmill.yaml"
    config.write_text("verify:\n  workers: 1\n")
    resource = ThinkmillResource(db_path=str(db), config_path=str(config))
    result = dg.materialize([verdicts], resources={"thinkmill": resource}, selection=[verdicts])
    assert result.success
    md = result.asset_materializations_for_node("verdicts")[0].metadata
    assert md["dagster/row_count"].value == 6
    assert "math" in md["pass_rate_by_domain"].value and "math:mismatch" in md["failures_by_reason"].value
    assert "pass@1" in md["pass_at_k_by_task"].value
    # per mode (think: m1 1 of 3, q1 1 of 1; no-think: i1 1 of 2), never think and no-think mixed; rounded
    assert md["mean_pass@1/think"].value == pytest.approx((1 / 3 + 1) / 2, abs=1e-4)
    assert md["mean_pass@2/think"].value == pytest.approx(2 / 3, abs=1e-4)  # q1 has one sample: not in pass@2
    assert md["mean_pass@1/no_think"].value == pytest.approx(1 / 2, abs=1e-4)
    assert md["mean_pass@2/no_think"].value == pytest.approx(1.0, abs=1e-4)
    assert not any(k.startswith("mean_pass@") and "/" not in k for k in md)  # no mean over both modes


def test_pass_at_k_estimator() -> None:
    assert pass_at_k(4, 0, 1) == 0.0
    assert pass_at_k(4, 4, 2) == 1.0
    assert pass_at_k(4, 1, 1) == pytest.approx(0.25)
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5)  # 1 - C(3,2)/C(4,2)
    assert pass_at_k(2, 1, 4) is None


def test_mean_pass_at_k_is_per_mode() -> None:
    """Two think samples and one no-think sample per task: pass@2 exists for think only. Before, `mean_pass@1`
    averaged both modes and `mean_pass@2` think alone, so pass@2 (0.667) showed below pass@1 (0.75)."""
    df = pl.DataFrame(
        {
            "task_id": ["a", "a", "a", "b", "b", "b"],
            "mode": ["think", "think", "no_think", "think", "think", "no_think"],
            "passed": [True, False, True, False, True, True],
        }
    )
    means = mean_pass_at_k(pass_at_k_table(df, ks=(1, 2), by=("task_id", "mode")))
    assert means == {
        "pass@1/think": pytest.approx(0.5),
        "pass@2/think": pytest.approx(1.0),
        "pass@1/no_think": pytest.approx(1.0),
    }
    assert means["pass@2/think"] >= means["pass@1/think"]
    # a table without modes keeps the plain means
    assert mean_pass_at_k(pass_at_k_table(df.filter(pl.col("mode") == "think"), ks=(1, 2))) == {
        "pass@1": pytest.approx(0.5),
        "pass@2": pytest.approx(1.0),
    }


def test_metric_tables() -> None:
    df = pl.DataFrame(
        {
            "task_id": ["a", "a", "a", "b"],
            "passed": [True, False, False, True],
            "domain": ["math"] * 3 + ["code"],
            "reason": [None, "math:mismatch", "lint:refusal", None],
        }
    )
    rates = {r["domain"]: r["pass_rate"] for r in pass_rates(df, "domain").iter_rows(named=True)}
    assert rates == {"math": pytest.approx(1 / 3), "code": 1.0}
    assert reason_counts(df).get_column("reason").to_list() == ["lint:refusal", "math:mismatch"]
    table = pass_at_k_table(df, ks=(1, 2))
    assert table.filter(pl.col("task_id") == "a").row(0, named=True) == {
        "task_id": "a",
        "n": 3,
        "c": 1,
        "pass@1": pytest.approx(1 / 3),
        "pass@2": pytest.approx(2 / 3),
    }
    assert table.filter(pl.col("task_id") == "b")["pass@2"].to_list() == [None]


# ------------------------------------------------- template-opened think blocks and truncation, in every path
# As the generate stage stores them: raw_text is the whole output, think/answer its split.
EDGE_GENERATIONS = [
    # a template that opened <think> itself: right answer, must pass
    {
        "key": "e1",
        "mode": "think",
        "raw_text": "3 over 4 is 0.75\n</think>\n\\boxed{0.75}",
        "think": "3 over 4 is 0.75",
        "answer": "\\boxed{0.75}",
        "finish_reason": "stop",
    },
    # cut by max_tokens after a right-looking answer: must fail lint:truncated
    {
        "key": "e2",
        "mode": "think",
        "raw_text": "<think>\n3 over 4\n</think>\n\\boxed{0.75} and then",
        "think": "3 over 4",
        "answer": "\\boxed{0.75} and then",
        "finish_reason": "length",
    },
    {
        "key": "e3",
        "mode": "no_think",
        "raw_text": "\\boxed{0.75}",
        "think": None,
        "answer": "\\boxed{0.75}",
        "finish_reason": "length",
    },
    {
        "key": "e4",
        "mode": "no_think",
        "raw_text": "\\boxed{0.75}",
        "think": None,
        "answer": "\\boxed{0.75}",
        "finish_reason": "stop",
    },
]


def _edge_db(tmp_path: Path) -> Path:
    db = tmp_path / "edge.duckdb"
    with Store.open(db) as store:
        store.insert("tasks", pl.DataFrame([{**TASKS[0], "metadata": {}}]))
        store.insert(
            "generations",
            pl.DataFrame(
                [
                    {
                        **g,
                        "task_id": "m1",
                        "sample_index": i,
                        "backend": "batch",
                        "model": "m",
                        "template_version": "1",
                        "messages": [],
                        "sampling_params": {},
                    }
                    for i, g in enumerate(EDGE_GENERATIONS)
                ]
            ),
        )
    return db


def test_database_judges_template_opened_and_truncated_generations(tmp_path: Path) -> None:
    db = _edge_db(tmp_path)
    with Store.open(db) as store:
        verify_database(store, VerifyConfig())
        got = store.read("verdicts", order_by="generation_key")
    assert [(r["passed"], r["reason"]) for r in got.iter_rows(named=True)] == [
        (True, None),
        (False, "lint:truncated"),
        (False, "lint:truncated"),
        (True, None),
    ]


# What the server said, its token count and the request's max_tokens, as a live backend stores them
# (finish_reason, completion_tokens, sampling_params.max_tokens): a right answer, then a text cut mid-word.
CUT = "\\boxed{0.75}. To double-check, we can also verify by subtr"


@pytest.mark.parametrize(
    ("finish", "tokens", "max_tokens", "reason"),
    [
        ("stop", 12, 500, None),
        (None, 12, 500, "lint:finish_unknown"),  # not cut by max_tokens, but nothing shows the model ended it
        ("stop", 500, 500, "lint:truncated"),  # a server that says stop at the limit (LocalAI, ...)
        (None, 500, 500, "lint:truncated"),
        ("eos", 600, 500, "lint:truncated"),
        (None, None, 500, "lint:finish_unknown"),  # old SGLang: nothing shows the model ended it
        (None, 12, None, "lint:finish_unknown"),  # no limit recorded: nothing to compare the count with
        ("stop", None, 500, None),
        ("length", 12, 500, "lint:truncated"),
    ],
)
def test_database_judges_the_finish_by_the_tokens_spent(
    tmp_path: Path, finish: str | None, tokens: int | None, max_tokens: int | None, reason: str | None
) -> None:
    db = tmp_path / "t.duckdb"
    with Store.open(db) as store:
        store.insert("tasks", pl.DataFrame([{**TASKS[0], "metadata": {}}]))
        params = {"temperature": 0.6} | ({"max_tokens": max_tokens} if max_tokens is not None else {})
        gen = {"key": "g", "task_id": "m1", "mode": "no_think", "sample_index": 0, "backend": "openai", "model": "m"}
        gen |= {"template_version": "1", "messages": [], "sampling_params": params, "raw_text": CUT, "answer": CUT}
        store.insert("generations", pl.DataFrame([gen | {"finish_reason": finish, "completion_tokens": tokens}]))
        verify_database(store, VerifyConfig())
        v = store.read("verdicts").row(0, named=True)
        assert (v["passed"], v["reason"]) == (reason is None, reason)
        if reason == "lint:finish_unknown":  # a user whose server never reports either accepts them knowingly
            cfg = VerifyConfig.model_validate({"lints": {"accept_unrecorded_finish": True}})
            verify_database(store, cfg)
            assert store.read("verdicts").row(0, named=True)["passed"]
            # a batch output file's line is read as a response file's: a missing finish reason is a normal end
            store.execute("UPDATE generations SET backend = 'batch'")
            verify_database(store, VerifyConfig(), rejudge_all=True)
            assert store.read("verdicts").row(0, named=True)["passed"]


def test_file_contract_reads_finish_reason(files, tmp_path: Path) -> None:
    tasks, _ = files
    responses = _write(
        tmp_path / "r.jsonl",
        [
            {"task_id": "m1", "response_id": "a", "text": "3/4 is 0.75\n</think>\n\\boxed{0.75}", "mode": "think"},
            {"task_id": "m1", "response_id": "b", "text": "\\boxed{0.75}", "finish_reason": "length"},
            {
                "task_id": "m1",
                "response_id": "c",
                "text": None,
                "reasoning_content": "3 over 4 is",
                "finish_reason": "length",
            },
        ],
    )
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(
        main, ["verify", "--tasks", str(tasks), "--responses", str(responses), "--out", str(out), "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["passed"], r["reason"]) for r in rows] == [
        (True, None),
        (False, "lint:truncated"),
        (False, "lint:truncated"),
    ]
    assert "truncated (finish_reason length, or max_tokens spent) by mode" in res.output
    assert "no_think" in res.output.split("truncated (finish_reason length, or max_tokens spent) by mode")[1]


def test_file_contract_reads_an_empty_reasoning_field_as_none(files, tmp_path: Path) -> None:
    """`reasoning_content: ""` beside a no-think answer failed it lint:think_in_no_think (an empty think block)."""
    tasks, _ = files
    line = {"task_id": "m1", "response_id": "a", "text": "\\boxed{0.75}", "finish_reason": "stop"}
    responses = _write(
        tmp_path / "r.jsonl",
        [
            {**line, "reasoning_content": "", "mode": "no_think"},
            {**line, "response_id": "b", "reasoning_content": " \n"},
        ],
    )
    out = tmp_path / "v.jsonl"
    res = CliRunner().invoke(
        main,
        ["verify", "--tasks", str(tasks), "--responses", str(responses), "--out", str(out), "--mode", "auto"],
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["passed"], r["reason"], r["lint_flags"], r["mode"]) for r in rows] == [
        (True, None, [], "no_think"),
        (True, None, [], "no_think"),
    ]


def test_truncation_rates_per_mode_in_the_cli_report_and_asset_metadata(tmp_path: Path) -> None:
    from assets.resources import ThinkmillResource
    from assets.verify import verdicts

    db = _edge_db(tmp_path)
    config = tmp_path / "thinkmill.yaml"
    config.write_text("verify:\n  workers: 1\n")
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(config), "--no-progress"])
    assert res.exit_code == 0, res.output
    report = res.output.split("truncated (finish_reason length, or max_tokens spent) by mode:")[1]
    assert "think" in report and "1/2" in report and "50.0%" in report

    db2 = _edge_db(tmp_path / "again")
    result = dg.materialize(
        [verdicts], resources={"thinkmill": ThinkmillResource(db_path=str(db2), config_path=str(config))}
    )
    md = result.asset_materializations_for_node("verdicts")[0].metadata
    assert md["truncation_rate/think"].value == pytest.approx(0.5)
    assert md["truncation_rate/no_think"].value == pytest.approx(0.5)
    assert "truncated" in md["truncation_rate_by_mode"].value


def test_truncation_rates_table() -> None:
    df = pl.DataFrame(
        {
            "mode": ["think", "think", "think", "no_think"],
            "lint_flags": [["truncated", "unclosed_think"], [], ["refusal"], []],
        }
    )
    rows = {r["mode"]: r for r in truncation_rates(df).iter_rows(named=True)}
    assert rows["think"] == {"mode": "think", "n": 3, "truncated": 1, "share": pytest.approx(1 / 3)}
    assert rows["no_think"]["truncated"] == 0 and rows["no_think"]["share"] == 0.0


# ------------------------------------------------------------------------- no usable bubblewrap, every path
CODE_TASK = {
    "task_id": "c1",
    "source": "s",
    "domain": "code",
    "prompt": "Write f.",
    "answer": None,
    "verifier": "code",
    "verifier_args": {"tests": "assert f(1) == 2"},
}
CODE_TEXT = "<think>\nadd one\n</think>\n```python\ndef f(x):\n    return x + 1\n```"


@pytest.fixture
def no_bwrap(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A machine without bubblewrap: only prlimit on PATH (the sandbox finds bwrap on PATH).

    The verifier pool's forkserver is started first, with the real PATH: a Dagster run started under this PATH
    (`thinkmill demo`) starts it otherwise (`runner.prestart`), and it keeps the PATH it started with for the rest of
    the test process, whose later pooled code checks then failed `code:crash` ("prlimit not found on PATH": this
    fixture's folder is gone by then)."""
    from pipeline.verify import runner, sandbox

    runner.prestart()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "prlimit").symlink_to("/usr/bin/prlimit")
    monkeypatch.setenv("PATH", str(bin_dir))
    sandbox._probe.cache_clear()
    yield
    sandbox._probe.cache_clear()


def _code_db(tmp_path: Path) -> Path:
    db = _db(tmp_path)
    with Store.open(db) as store:
        store.insert("tasks", pl.DataFrame([{**CODE_TASK, "metadata": {}}]))
        store.insert(
            "generations",
            pl.DataFrame(
                [
                    {
                        "key": "kc",
                        "task_id": "c1",
                        "mode": "think",
                        "sample_index": 0,
                        "backend": "batch",
                        "model": "m",
                        "template_version": "1",
                        "messages": [],
                        "sampling_params": {},
                        "raw_text": CODE_TEXT,
                    }
                ]
            ),
        )
    return db


def test_cli_without_bubblewrap_refuses_with_one_line(no_bwrap, tmp_path: Path) -> None:
    db = _code_db(tmp_path)
    config = tmp_path / "thinkmill.yaml"
    config.write_text("verify:\n  workers: 1\n")
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(config), "--no-progress"])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: code verifier: bubblewrap sandbox unavailable")
    assert "apt-get install bubblewrap" in lines[0] and "Traceback" not in res.output
    with Store.open(db, read_only=True) as store:
        assert store.count("verdicts") == 0  # refused before any work


def test_asset_without_bubblewrap_fails_with_a_one_line_failure(no_bwrap, tmp_path: Path) -> None:
    from assets.resources import ThinkmillResource
    from assets.verify import verdicts

    db = _code_db(tmp_path)
    config = tmp_path / "thinkmill.yaml"
    config.write_text("verify:\n  workers: 1\n")
    result = dg.materialize(
        [verdicts],
        resources={"thinkmill": ThinkmillResource(db_path=str(db), config_path=str(config))},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data
    assert failure.user_failure_data is not None
    description = failure.user_failure_data.description or ""
    assert "\n" not in description and "apt-get install bubblewrap" in description
    with Store.open(db, read_only=True) as store:
        assert store.count("verdicts") == 0


@pytest.mark.slow
def test_demo_succeeds_without_bubblewrap(no_bwrap, tmp_path: Path) -> None:
    """`make demo` on a fresh machine: code traces get code:sandbox_unavailable, one line says how to fix it."""
    db = tmp_path / "demo.duckdb"
    res = CliRunner().invoke(main, ["demo", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "Stack Trace" not in res.output and "Traceback" not in res.output
    hint = [ln for ln in res.output.splitlines() if "apt-get install bubblewrap" in ln]
    assert len(hint) == 1 and "code:sandbox_unavailable" in hint[0]
    with Store.open(db, read_only=True) as store:
        code = store.query("SELECT passed, reason, verifier_version FROM verdicts WHERE verifier = 'code'")
    assert code.height > 0 and not code.get_column("passed").any()
    assert "code:sandbox_unavailable" in code.get_column("reason").to_list()
    assert code.get_column("verifier_version").str.ends_with("+sandbox_unavailable").all()


def test_database_reads_the_request_the_answer_format_lint_checks(tmp_path: Path) -> None:
    """The stored request's user turn carries generation's suffix ("Put your final answer within \\boxed{}."),
    which the task's prompt does not: the lint reads what was sent."""
    db = tmp_path / "t.duckdb"
    sent = [{"role": "user", "content": "What is 3/4 as a decimal?\n\nPut your final answer within \\boxed{}."}]
    gens = pl.DataFrame(
        [
            {
                "key": key,
                "task_id": "m1",
                "mode": "no_think",
                "sample_index": i,
                "backend": "batch",
                "model": "m",
                "template_version": "1",
                "messages": messages,
                "sampling_params": {},
                "raw_text": text,
            }
            for i, (key, messages, text) in enumerate(
                [("a", sent, "3/4 = 0.75.\n\nFinal answer: 0.75"), ("b", sent, "So \\boxed{0.75}."), ("c", [], "0.75")]
            )
        ]
    )
    with Store.open(db) as store:
        store.insert("tasks", pl.DataFrame([{**TASKS[0], "metadata": {}}]))
        store.insert("generations", gens)
        verify_database(store, VerifyConfig())
        got = store.read("verdicts", order_by="generation_key")
    assert [(r["passed"], r["reason"]) for r in got.iter_rows(named=True)] == [
        (False, "lint:answer_format"),
        (True, None),
        (True, None),  # no request stored: the prompt asked for no form
    ]


def test_file_contract_reads_the_request_a_response_answered(files, tmp_path: Path) -> None:
    """A response line may carry the request it answered (`messages`, OpenAI-style, or `request`, the user turn):
    `lint:answer_format` then checks the form that request asked for, as it does for stored generations."""
    tasks, _ = files
    asked = "What is 3/4 as a decimal?\n\nPut your final answer within \\boxed{}."
    responses = _write(
        tmp_path / "r.jsonl",
        [
            {
                "task_id": "m1",
                "response_id": "a",
                "text": "It is 0.75.",
                "messages": [{"role": "user", "content": asked}],
            },
            {"task_id": "m1", "response_id": "b", "text": "It is 0.75.", "request": asked},
            {"task_id": "m1", "response_id": "c", "text": "\\boxed{0.75}", "request": asked},
            {"task_id": "m1", "response_id": "d", "text": "It is 0.75."},
        ],
    )
    out = tmp_path / "v.jsonl"
    verify_files(tasks, responses, out)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(v["passed"], v["reason"]) for v in got] == [
        (False, "lint:answer_format"),
        (False, "lint:answer_format"),
        (True, None),
        (True, None),
    ]
    bad = _write(tmp_path / "bad.jsonl", [{"task_id": "m1", "response_id": "x", "text": "0.75", "messages": "hi"}])
    with pytest.raises(VerifyInputError, match=r"bad.jsonl:1: field 'messages'"):
        verify_files(tasks, bad, out)


def test_changed_verdict_settings_judge_the_stored_verdicts_again(tmp_path: Path) -> None:
    """A verdict depends on the lint settings (a think budget, the lints enabled) and the sandbox's limits as much as
    on the verifier's code. Stored verdicts were judged again only when a version changed, so a think budget cut from
    16k to 8k tokens (Hermes 4's length control) judged nothing ("judged 0") and every longer trace stayed passed,
    in `select`, `build` and the exported rows. Settings that cannot change a verdict re-judge nothing."""
    from pipeline.verify.config import LintConfig, SandboxConfig

    db = _db(tmp_path)
    with Store.open(db) as store:
        assert verify_database(store, VerifyConfig()).metadata["judged"] == 6
        short = VerifyConfig(lints=LintConfig(max_think_tokens=2))
        again = verify_database(store, short)
        assert again.metadata["judged"] == again.metadata["rejudged"] == 6  # every verdict read the lints
        assert "6 of them judged again" in "\n".join(again.summary)
        got = store.read("verdicts", order_by="generation_key")
        assert ("lint:think_too_long", False) in list(zip(got["reason"], got["passed"], strict=True))
        assert verify_database(store, short).metadata["judged"] == 0  # judged under these settings already
        assert verify_database(store, VerifyConfig()).metadata["judged"] == 6  # back to the defaults
        # the sandbox's limits judge the code verdicts again (none here), nothing else
        assert verify_database(store, VerifyConfig(code=SandboxConfig(timeout_s=30))).metadata["judged"] == 0
        # how the work is spread changes no verdict
        assert verify_database(store, VerifyConfig(workers=1, progress=True)).metadata["judged"] == 0


def test_the_code_verdict_version_holds_the_sandbox_limits() -> None:
    from pipeline.verify.config import SandboxConfig
    from pipeline.verify.registry import Registry

    default = Registry(VerifyConfig()).get("code").version
    assert Registry(VerifyConfig(code=SandboxConfig(timeout_s=30))).get("code").version != default
    assert Registry(VerifyConfig(code=SandboxConfig(memory_mb=4096))).get("code").version != default
    assert Registry(VerifyConfig(code=SandboxConfig(bwrap="/usr/bin/bwrap"))).get("code").version == default
    # `verify --unsafe-no-sandbox` (a run inside one's own sandbox) judges by the same limits: a build with the
    # config's default must not find its verdicts stale
    assert Registry(VerifyConfig(code=SandboxConfig(allow_unsandboxed=True))).get("code").version == default
    assert (
        Registry(VerifyConfig()).get("math").version
        == Registry(VerifyConfig(code=SandboxConfig(timeout_s=30))).get("math").version
    )


# ------------------------------------------------------------------------- a module the sandbox lacks
# Right numpy answers failed `code:runtime_error` where the sandbox's Python had no numpy, and nothing in the run said
# so: rejection sampling dropped them all unseen. The summary and the report metadata now count them by module.
NO_MODULE_TEXT = "<think>\nadd one\n</think>\n```python\nimport tm_no_such_module\ndef f(x):\n    return x + 1\n```"
NO_MODULE_LINE = (
    "2 code answers failed importing a module the sandbox lacks: tm_no_such_module (2): install them for "
    "verify.code.python (docs/verifiers.md, Libraries)"
)


@pytest.mark.skipif(__import__("shutil").which("bwrap") is None, reason="bubblewrap not installed")
def test_database_run_names_the_modules_the_sandbox_lacks(tmp_path: Path, sample_config: Path) -> None:
    db = _code_db(tmp_path)
    with Store.open(db) as store:
        store.execute("UPDATE generations SET raw_text = ? WHERE key = 'kc'", [NO_MODULE_TEXT])
        store.execute(
            "INSERT INTO generations "
            "SELECT * REPLACE ('kc2' AS key, 1 AS sample_index) FROM generations WHERE key = 'kc'"
        )
    res = CliRunner().invoke(main, ["verify", "--db", str(db), "--config", str(sample_config), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert NO_MODULE_LINE in res.output and "code:missing_module" in res.output
    again = ["verify", "--db", str(db), "--config", str(sample_config), "--rejudge-all", "--json", "--no-progress"]
    res = CliRunner().invoke(main, again)
    assert json.loads(res.output)["metadata"]["missing_modules"] == {"tm_no_such_module": 2}
    with Store.open(db) as store:
        details = store.query("SELECT details FROM verdicts WHERE verifier = 'code'").get_column("details").to_list()
    assert [json.loads(d) for d in details] == [{"module": "tm_no_such_module"}] * 2


@pytest.mark.skipif(__import__("shutil").which("bwrap") is None, reason="bubblewrap not installed")
def test_file_run_names_the_modules_the_sandbox_lacks(tmp_path: Path) -> None:
    tasks = _write(tmp_path / "tasks.jsonl", [CODE_TASK])
    responses = _write(
        tmp_path / "responses.jsonl",
        [{"task_id": "c1", "response_id": f"r{i}", "text": NO_MODULE_TEXT} for i in (1, 2)],
    )
    out = tmp_path / "verdicts.jsonl"
    args = ["verify", "--tasks", str(tasks), "--responses", str(responses), "--out", str(out), "--no-progress"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert NO_MODULE_LINE in res.output
    assert json.loads(CliRunner().invoke(main, [*args, "--json"]).output)["metadata"]["missing_modules"] == {
        "tm_no_such_module": 2
    }
