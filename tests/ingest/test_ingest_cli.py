"""`thinkmill ingest` / `thinkmill decontaminate` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "pipeline" / "sample" / "benchmarks" / "example_bench.jsonl"


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_ingest_json_output_and_rerun(tmp_path: Path, write_jsonl) -> None:
    db = str(tmp_path / "c.duckdb")
    p = write_jsonl(
        "a.jsonl",
        [
            {"problem": "What is the sum of the first ten positive integers?", "answer": "55"},
            "broken",
            {"problem": "what is the SUM of the first ten positive integers?", "answer": "55"},
        ],
    )
    res = _run("ingest", str(p), "--db", db, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)["metadata"]
    assert {k: out[k] for k in ("read", "ingested", "quarantined", "duplicate")} == {
        "read": 3,
        "ingested": 1,
        "quarantined": 1,
        "duplicate": 1,
    }
    assert out["quarantine_reasons"] == {"invalid_json": 1}
    again = json.loads(_run("ingest", str(p), "--db", db, "--json").output)["metadata"]
    assert (again["read"], again["ingested"]) == (0, 0)


def test_ingest_mapping_options(tmp_path: Path, write_jsonl) -> None:
    db = str(tmp_path / "c.duckdb")
    p = write_jsonl("a.jsonl", [{"q": "Spell cat backwards.", "a": "tac"}])
    res = _run(
        "ingest",
        str(p),
        "--db",
        db,
        "--source",
        "toy",
        "--map",
        "prompt=q",
        "--map",
        "answer=a",
        "--default",
        "verifier=exact",
        "--json",
    )
    assert json.loads(res.output)["metadata"]["ingested"] == 1


def test_ingest_default_verifier_args_is_read_as_json(tmp_path: Path, write_jsonl) -> None:
    """`--default verifier_args={"rel_tol": 0.01}` (a physics file's tolerance) was stored as the text, and every row
    was quarantined `wrong_type:verifier_args`; it is the object. A value that is no JSON object is one clear error."""
    db = str(tmp_path / "c.duckdb")
    p = write_jsonl("phys.jsonl", [{"question": "How many molecules are in one mole?", "answer": "6.02e23"}])
    res = _run(
        "ingest", str(p), "--db", db, "--default", "verifier=numeric",
        "--default", 'verifier_args={"rel_tol": 0.01}', "--json",
    )  # fmt: skip
    assert json.loads(res.output)["metadata"]["ingested"] == 1, res.output
    from pipeline.store import Store

    with Store.open(db, read_only=True) as store:
        assert json.loads(store.read("tasks")["verifier_args"][0]) == {"rel_tol": 0.01}
    bad = CliRunner().invoke(main, ["ingest", str(p), "--db", db, "--default", "verifier_args=rel_tol: 0.01"])
    assert bad.exit_code == 1 and "verifier_args" in bad.output and "JSON object" in bad.output, bad.output
    assert "Traceback" not in bad.output


def test_ingest_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "c.duckdb")])
    assert res.exit_code == 1
    assert "nope.jsonl" in res.output and "Traceback" not in res.output


def test_ingest_from_config_then_decontaminate(tmp_path: Path, write_jsonl) -> None:
    item = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[6])["question"]
    write_jsonl(
        "data/a.jsonl",
        [
            {"id": "x", "problem": item, "answer": "1"},
            {"id": "y", "problem": "How many minutes are there in three and a half hours?", "answer": "210"},
        ],
    )
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "ingest:\n  sources:\n    - name: mine\n      path: data/*.jsonl\n      license: MIT\n"
        f"decontam:\n  benchmarks:\n    - name: example\n      path: {EXAMPLE}\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.duckdb")
    out = json.loads(_run("ingest", "--config", str(cfg), "--db", db, "--json").output)["metadata"]
    assert out["ingested"] == 2
    res = json.loads(_run("decontaminate", "--config", str(cfg), "--db", db, "--json").output)["metadata"]
    del res["benchmarks"]  # the report also counts the benchmarks checked
    assert res.pop("read") == {"example": [str(EXAMPLE)]} and res.pop("left_out_files") == []  # and what they read
    assert res.pop("skipped_items") == {}  # and their blank rows
    assert res == {"checked": 2, "contaminated": 1, "hits": res["hits"], "by_benchmark": {"example": 1}}
    res2 = json.loads(_run("decontaminate", "--db", db, "--benchmark", f"ex={EXAMPLE}", "--json").output)["metadata"]
    assert res2["by_benchmark"] == {"ex": 1}


def test_ingest_option_columns_and_answer_regex(tmp_path: Path, write_jsonl) -> None:
    db = str(tmp_path / "c.duckdb")
    quiz = tmp_path / "quiz.csv"
    quiz.write_text(
        "question,option_a,option_b,option_c,correct\nWhich planet is red?,Venus,Mars,Jupiter,B\n", encoding="utf-8"
    )
    res = _run(
        "ingest",
        str(quiz),
        "--db",
        db,
        "--source",
        "quiz",
        "--map",
        "prompt=question",
        "--map",
        "choices=option_a,option_b,option_c",
        "--map",
        "answer=correct",
        "--json",
    )
    assert json.loads(res.output)["metadata"]["ingested"] == 1, res.output
    gsm = write_jsonl("gsm.jsonl", [{"question": "How many clips?", "answer": "48+24 = 72\n#### 72"}])
    res = _run("ingest", str(gsm), "--db", db, "--source", "gsm8k", "--answer-regex", r"####\s*(.+?)\s*$", "--json")
    assert json.loads(res.output)["metadata"]["ingested"] == 1, res.output
    from pipeline.store import Store

    with Store.open(db) as store:
        got = dict(store.query("SELECT source, answer FROM tasks").iter_rows())
    assert got == {"quiz": "B", "gsm8k": "72"}


def test_ingest_answer_regex_without_a_group_is_a_one_line_error(tmp_path: Path, write_jsonl) -> None:
    p = write_jsonl("gsm.jsonl", [{"question": "How many?", "answer": "#### 7"}])
    res = CliRunner().invoke(main, ["ingest", str(p), "--db", str(tmp_path / "c.duckdb"), "--answer-regex", "####"])
    assert res.exit_code == 1 and "capture group" in res.output and "Traceback" not in res.output


def test_ingest_answer_index_base_and_shuffle_choices_flags(tmp_path: Path, write_jsonl) -> None:
    rows = [
        {
            "question": f"Which element has the symbol X{i} in table {i}?",
            "choices": [f"r{i}", f"s{i}", f"t{i}"],
            "answer": (i % 3) + 1,
        }
        for i in range(24)
    ]
    path = str(write_jsonl("one_based.jsonl", rows))
    db = str(tmp_path / "c.duckdb")
    refused = CliRunner().invoke(main, ["ingest", path, "--db", db])
    assert refused.exit_code == 1 and "1-based" in refused.output and "--answer-index-base 1" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    ok = CliRunner().invoke(main, ["ingest", path, "--db", db, "--answer-index-base", "1", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["metadata"]["ingested"] == 24

    fixed = [{**r, "answer": 0} for r in rows]  # the right answer always first
    path = str(write_jsonl("first.jsonl", fixed))
    db = str(tmp_path / "d.duckdb")
    refused = CliRunner().invoke(main, ["ingest", path, "--db", db])
    assert refused.exit_code == 1 and "24 of 24 MCQ answers are A" in refused.output
    assert "--shuffle-choices" in refused.output
    ok = CliRunner().invoke(main, ["ingest", path, "--db", db, "--shuffle-choices", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["metadata"]["ingested"] == 24, ok.output
    kept = CliRunner().invoke(main, ["ingest", path, "--db", str(tmp_path / "e.duckdb"), "--keep-choice-order"])
    assert kept.exit_code == 0, kept.output


def test_path_options_reach_every_source_and_typos_are_refused() -> None:
    """`ingest_paths` and `run` hand the same `PathOptions` to `path_sources`: each given option lands on every
    path's `SourceConfig`, an unset one keeps the config default, and a misspelt one is an error, not ignored."""
    import pytest
    from pydantic import ValidationError

    from pipeline.ingest.api import path_sources

    srcs = path_sources(["a.jsonl", "b.csv"], "mine", mapping={"prompt": "q"}, answer_index_base=1, license=None)
    assert [(s.name, s.path, s.mapping, s.answer_index_base) for s in srcs] == [
        ("mine", "a.jsonl", {"prompt": "q"}, 1),
        ("mine", "b.csv", {"prompt": "q"}, 1),
    ]
    assert (srcs[0].defaults, srcs[0].license, srcs[0].shuffle_choices) == ({}, None, None)
    with pytest.raises(ValidationError, match="shufle_choices"):
        path_sources(["a.jsonl"], "mine", shufle_choices=True)  # type: ignore[call-arg]


def test_cli_reread_reads_an_unchanged_file_again(tmp_path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"problem": "What is 2 + 2?", "answer": "4"}) + "\n")
    db = str(tmp_path / "c.duckdb")
    assert "ingested 1" in _run("ingest", str(p), "--db", db).output
    assert "unchanged since last ingest, skipped" in _run("ingest", str(p), "--db", db).output
    out = _run("ingest", str(p), "--db", db, "--reread").output
    assert "read 1, ingested 0" in out and "read again: --reread" in out, out


def test_defaults_naming_unknown_task_fields_are_an_error(tmp_path: Path, write_jsonl) -> None:
    """`defaults: {licence: MIT}` or `--default verifer=exact` was silently ignored (no license on any task, the
    verifier guessed instead); like `mapping`, a default must name a task field."""
    import pytest
    from pydantic import ValidationError

    from pipeline.ingest.config import SourceConfig

    with pytest.raises(ValidationError, match=r"defaults name unknown task fields \['licence', 'verifer'\]"):
        SourceConfig(name="s", path="a.jsonl", defaults={"verifer": "exact", "licence": "MIT", "domain": "qa"})
    ok = SourceConfig(name="s", path="a.jsonl", defaults={"entry_point": "solve", "starter_code": "def solve(): ..."})
    assert ok.defaults["entry_point"] == "solve"  # read from a row like a task field (code tasks)

    p = write_jsonl("q.jsonl", [{"question": "What is the capital of France?", "answer": "Paris"}])
    db = tmp_path / "c.duckdb"
    res = CliRunner().invoke(main, ["ingest", str(p), "--db", str(db), "--default", "verifer=exact"])
    assert res.exit_code == 1 and "verifer" in res.output and "Traceback" not in res.output, res.output
    config = tmp_path / "thinkmill.yaml"
    config.write_text(f"ingest:\n  sources:\n    - {{name: q, path: {p}, defaults: {{licence: MIT}}}}\n")
    res = CliRunner().invoke(main, ["ingest", "--config", str(config), "--db", str(db)])
    assert res.exit_code == 1 and "ingest.sources.0" in res.output and "licence" in res.output, res.output


def test_ingest_integer_answer_flag(tmp_path: Path, write_jsonl) -> None:
    """`integer_answer: text` had no flag: a file of values (`[3, 5, 7, 9]` with 7) could only be read from a
    configured source. `--integer-answer text` reads it from the command line, and the error names the flag."""
    rows = [
        {"question": "Which is the smallest odd prime?", "options": [3, 5, 7, 9], "answer": 3},
        {"question": "Which is 5 + 2?", "options": [3, 5, 7, 9], "answer": 7},
    ]
    path = str(write_jsonl("values.jsonl", rows))
    db = str(tmp_path / "v.duckdb")
    refused = CliRunner().invoke(main, ["ingest", path, "--db", db])
    assert refused.exit_code == 1 and "--integer-answer text" in refused.output, refused.output
    ok = CliRunner().invoke(main, ["ingest", path, "--db", db, "--integer-answer", "text", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["metadata"]["ingested"] == 2


def test_ingest_names_the_first_row_of_each_quarantine_reason_and_db_quarantine_lists_them(
    tmp_path: Path, write_jsonl
) -> None:
    """The ingest printed only a count per quarantine reason (`invalid_value:answer 3`): the detail that says what to
    do ("the answer ... is no option ...") sat in the `quarantine` table, which no command showed and no doc
    queried. The summary now names the first row of each reason with its detail, and `thinkmill db quarantine`
    lists the rows (a reason, a batch, a file; `--json` with the raw row)."""
    db = str(tmp_path / "c.duckdb")
    p = write_jsonl(
        "quiz.jsonl",
        [
            {"question": "Which planet is red?", "choices": ["Venus", "Mars"], "answer": "E"},
            "broken",
            {"question": "Which gas do plants take in?", "choices": ["Oxygen", "Carbon dioxide"], "answer": "B"},
            {"question": "Which is a mammal?", "choices": ["Shark", "Dolphin"], "answer": "F"},
        ],
    )
    res = _run("ingest", str(p), "--db", db)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("quarantined rows"))
    shown = lines[head + 1 : head + 3]
    assert any(f"{p}:1" in line and "invalid_json" in line for line in shown), res.output
    answer = next(line for line in shown if "invalid_value:answer" in line)
    assert f"{p}:0" in answer and "'E'" in answer, res.output  # the first of the two, with its detail
    assert "thinkmill db quarantine" in lines[head], res.output

    listed = _run("db", "quarantine", "--db", db)
    assert listed.exit_code == 0, listed.output
    assert [line.split()[0] for line in listed.output.splitlines()[:3]] == [f"{p}:0", f"{p}:1", f"{p}:3"]
    only = _run("db", "quarantine", "--db", db, "--reason", "invalid_value:answer", "--json")
    rows = json.loads(only.output)["rows"]
    assert [(r["source_row"], r["reason"]) for r in rows] == [(0, "invalid_value:answer"), (3, "invalid_value:answer")]
    assert "'F'" in rows[1]["detail"] and '"Dolphin"' in rows[1]["raw"]
    one = _run("db", "quarantine", "--db", db, "--limit", "1")
    assert one.output.splitlines()[0].startswith(f"{p}:0") and "2 more" in one.output, one.output
    assert _run("db", "quarantine", "--db", db, "--reason", "too_long").output.strip() == "no quarantined rows"
