"""The CLI frame and the schema exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import SAMPLE_CONFIG
from pipeline.store import Store
from schemas.export import json_schema_text

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_commands() -> None:
    out = CliRunner().invoke(main, ["--help"])
    assert out.exit_code == 0
    for cmd in ("db", "demo", "schemas"):
        assert cmd in out.output


def test_db_info_on_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["db", "info", "--db", str(tmp_path / "missing.duckdb")])
    assert out.exit_code == 1
    assert "does not exist" in out.output and "missing.duckdb" in out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize(
    "command",
    [
        ["generate"],
        ["generate", "batch-write", "--out", "{tmp}/batch"],
        ["generate", "batch-read", "{tmp}/out.jsonl"],
        ["select"],
        ["build"],
        ["decontaminate"],
        ["publish", "--version", "v1", "--repo", "me/x"],
    ],
)
def test_a_stage_on_a_database_that_does_not_exist_stops(tmp_path: Path, command: list[str]) -> None:
    """A mistyped `--db` (or THINKMILL_DB) made `thinkmill generate` create an empty database, report "0 tasks, 0
    requests" and exit 0 (a scheduled job did nothing, every run, without a word); `build` created it and then said the
    database holds no tasks. Only `ingest` and `demo` create a database; the other stages refuse one that does not
    exist, naming it, and create nothing."""
    config = tmp_path / "thinkmill.yaml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out.jsonl").write_text("", encoding="utf-8")
    bench = SAMPLE_CONFIG.parent / "benchmarks" / "example_bench.jsonl"
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "example_bench.jsonl").write_bytes(bench.read_bytes())
    db = tmp_path / "typo" / "thinkmil.duckdb"
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    out = CliRunner().invoke(main, [*args, "--db", str(db), "--config", str(config)], env={"HF_TOKEN": "hf_x"})
    assert out.exit_code == 1, out.output
    assert "does not exist" in out.output and "thinkmil.duckdb" in out.output, out.output
    assert "Traceback" not in out.output
    assert not db.exists() and not db.parent.exists()


def test_db_info_json(db_path: Path) -> None:
    Store.connect(db_path).close()
    out = CliRunner().invoke(main, ["db", "info", "--db", str(db_path), "--json"])
    assert out.exit_code == 0, out.output
    info = json.loads(out.output)
    assert info["schema_version"] >= 1 and "tasks" in info["tables"] and info["latest_version"] is None


def test_committed_json_schemas_are_current() -> None:
    """schemas/json/*.json are generated from the contracts: `thinkmill schemas export` refreshes them."""
    from schemas import TABLES

    for name in TABLES:
        committed = (ROOT / "schemas" / "json" / f"{name}.json").read_text(encoding="utf-8")
        assert committed == json_schema_text(name), f"run `thinkmill schemas export` ({name}.json is stale)"


def test_domain_core_does_not_import_dagster() -> None:
    code = (
        "import importlib, pkgutil, sys, pipeline\n"
        "for m in pkgutil.walk_packages(pipeline.__path__, 'pipeline.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')]\n"
        "print(len(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0", out.stderr


def test_json_errors_are_one_json_object_on_stdout(tmp_path: Path, monkeypatch) -> None:
    """`--json` promises one JSON object on stdout: an error printed nothing there (a script's `json.loads` failed
    on empty input); now stdout holds {"error": ...} and stderr keeps the one `error:` line, exit code 1."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THINKMILL_CONFIG", raising=False)
    bad = tmp_path / "bad.yaml"
    bad.write_text("generate:\n  temprature: 0.7\n")
    for args in (
        ["build", "--json"],  # no config
        ["ingest", "--json", "--config", str(bad)],  # a typo in the config
        ["db", "info", "--json", "--db", str(tmp_path / "missing.duckdb")],  # no database
        ["generate", "batch-write", "--out", "r.jsonl", "--json"],  # a subcommand's own --json
    ):
        out = CliRunner().invoke(main, args)
        assert out.exit_code == 1, (args, out.output)
        obj = json.loads(out.stdout)
        assert set(obj) == {"error"} and obj["error"] and "\n" not in obj["error"], (args, out.stdout)
        assert out.stderr.strip() == f"error: {obj['error']}", (args, out.stderr)
    plain = CliRunner().invoke(main, ["build"])
    assert plain.exit_code == 1 and plain.stdout == "" and plain.stderr.startswith("error: no config")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["generate", "--limit", "-1"], "--limit"),  # polars head(-1): every task but the last
        (["generate", "--max-in-flight", "0"], "--max-in-flight"),  # 0 was ignored, -3 set past the config's check
        (["generate", "--max-in-flight", "-3"], "--max-in-flight"),
        (["verify", "--workers", "-1"], "--workers"),  # read as 1 worker
        (["decontaminate", "--ngram", "0"], "--ngram"),  # 0 was ignored: the config's 8
    ],
)
def test_numeric_options_out_of_range_are_refused(tmp_path: Path, args: list[str], option: str) -> None:
    db = tmp_path / "t.duckdb"
    Store.connect(db).close()
    out = CliRunner().invoke(main, [*args, "--db", str(db), "--config", str(SAMPLE_CONFIG)])
    assert out.exit_code == 2 and option in out.output and "Traceback" not in out.output, out.output


def test_json_stdout_holds_the_json_object_alone() -> None:
    """`--json` promises one JSON object on stdout; what else a run printed there went with it (Ray prints a dead
    worker's messages to stdout, `(raylet) A worker died ...`), and `json.load` of a successful run's output failed.
    While the command runs, stdout is stderr; the object (or the error's) goes to the real stdout."""
    import json as _json
    import sys as _sys

    import click

    from pipeline.cli_common import ThinkmillGroup, common_options, echo_json
    from pipeline.errors import ThinkmillError

    @click.group(cls=ThinkmillGroup)
    def group() -> None:
        pass

    @group.command("probe")
    @click.option("--fail", is_flag=True)
    @common_options(db=False, need="check")
    def probe(fail: bool, config_path: object, as_json: bool) -> None:
        print("(raylet) A worker died or was killed while executing a task")
        _sys.stdout.write("a library's own line\n")
        if fail:
            raise ThinkmillError("it failed")
        echo_json({"ok": 1})

    runner = CliRunner()
    res = runner.invoke(group, ["probe", "--json"])
    assert res.exit_code == 0, res.output
    assert _json.loads(res.stdout) == {"ok": 1}
    assert "A worker died" in res.stderr and "a library's own line" in res.stderr
    failed = runner.invoke(group, ["probe", "--json", "--fail"])
    assert failed.exit_code == 1
    assert _json.loads(failed.stdout) == {"error": "it failed"} and "error: it failed" in failed.stderr
    plain = runner.invoke(group, ["probe"])  # without --json, stdout is left alone
    assert "A worker died" in plain.stdout and '"ok"' in plain.stdout
