"""One stage shape: every stage's `run(store, cfg, ...) -> StageReport`, one CLI layer, plain imports."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.report import StageReport

ROOT = Path(__file__).resolve().parents[2]

STAGE_MODULES = (
    "pipeline.ingest.api",
    "pipeline.ingest.decontam",
    "pipeline.generate.runner",
    "pipeline.verify.db",
    "pipeline.dedup.select",
    "pipeline.dataset.versions",
    "pipeline.dataset.export",
    "pipeline.dataset.publish",
)
OLD_SUMMARY_CLASSES = ("IngestReport", "GenerationSummary", "DbRunSummary", "BuildResult", "PublishResult")


@pytest.mark.parametrize("name", STAGE_MODULES)
def test_every_stage_has_one_run_entry_returning_a_stage_report(name: str) -> None:
    mod = importlib.import_module(name)
    params = list(inspect.signature(mod.run).parameters)
    assert params[:2] == ["store", "cfg"], f"{name}.run{params}"
    assert inspect.signature(mod.run).return_annotation in ("StageReport", StageReport)
    assert not [c for c in OLD_SUMMARY_CLASSES if hasattr(mod, c)], f"{name} still has its own summary class"


def test_dedup_on_a_file_returns_a_stage_report(tmp_path: Path) -> None:
    from pipeline.dedup.config import DedupConfig
    from pipeline.dedup.io import dedup_file

    src = tmp_path / "in.jsonl"
    texts = [
        "the quick brown fox jumps over the lazy dog",
        "the quick brown fox jumps over the lazy dog",
        "an entirely different sentence about verifiable reasoning traces",
    ]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    rep = dedup_file(src, tmp_path / "out.jsonl", DedupConfig())
    assert (rep.stage, rep.rows_in, rep.rows_out, rep.drops) == ("dedup", 3, 2, {"dedup:exact": 1})


def test_stage_report_is_plain_json_and_renders_drops() -> None:
    rep = StageReport(
        "verify",
        rows_in=3,
        rows_out=1,
        drops={"math:mismatch": 2},
        metadata={"path": Path("/x"), "by": {"a": 1}},
        summary=["judged 3"],
    )
    with rep.timed("judge"):
        pass
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["metadata"] == {"path": "/x", "by": {"a": 1}} and d["drops"] == {"math:mismatch": 2}
    assert "judge" in d["timings"]
    text = rep.render()
    assert text.splitlines()[0] == "judged 3" and "math:mismatch" in text


# ------------------------------------------------------------------------------------------------ the CLI layer
def _leaves(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            if cmd.callback is not None and getattr(cmd, "invoke_without_command", False):
                out.append(((*prefix, name), cmd))
            out.extend(_leaves(cmd, (*prefix, name)))
        else:
            out.append(((*prefix, name), cmd))
    return out


# Commands that open no database (they read or write files the user names): --config and --json where a
# config applies, never --db. Documented in README.md, Command line.
NO_DB = {("init",), ("schemas", "export"), ("generate", "build-sample-batch"), ("dedup",), ("verifiers", "list")}
# Extra arguments each command needs to get as far as its config and database.
ARGS = {
    ("versions", "show"): ["v1"],
    ("versions", "diff"): ["v1", "v2"],
    ("export",): ["--version", "v1", "--out", "x"],
    ("card",): ["--version", "v1"],
    ("publish",): ["--version", "v1", "--to-dir", "x"],
    ("generate", "batch-write"): ["--out", "req.jsonl"],
    ("generate", "batch-read"): ["out.jsonl"],
}


def _db_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    return [(p, c) for p, c in _leaves(main) if p not in NO_DB]


def test_every_command_in_help_takes_the_common_options() -> None:
    help_text = CliRunner().invoke(main, ["--help"]).output
    leaves = _leaves(main)
    listed = {line.split()[0] for line in help_text.splitlines()[1:] if line.startswith("  ")}
    assert {p[0] for p, _ in leaves} <= listed
    for path, cmd in leaves:
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if path in NO_DB:
            assert "--db" not in opts, path
            if path[0] not in ("init", "schemas") and path[-1] != "build-sample-batch":
                assert {"--config", "--json"} <= opts, f"thinkmill {' '.join(path)}: {sorted(opts)}"
            continue
        assert {"--db", "--config", "--json", "--lock-timeout"} <= opts, f"thinkmill {' '.join(path)}: {sorted(opts)}"


@pytest.mark.parametrize("path", [p for p, _ in _db_commands() if p != ("demo",)], ids=" ".join)
def test_a_missing_config_and_a_bad_db_are_one_line_errors_exit_1(
    path: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THINKMILL_CONFIG", raising=False)
    (tmp_path / "out.jsonl").write_text("", encoding="utf-8")
    bad_db = tmp_path / "bad.duckdb"
    bad_db.write_bytes(b"this is not a DuckDB database\n" * 100)
    args = [*path, *ARGS.get(path, [])]

    res = CliRunner().invoke(main, [*args, "--db", str(bad_db), "--config", "missing.yaml"])
    assert res.exit_code == 1, res.output
    assert res.output.strip().splitlines() == [res.output.strip()] and res.output.startswith("error: "), res.output
    assert "missing.yaml" in res.output

    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(
        "ingest:\n  sources:\n    - {name: s, path: data.jsonl}\n"
        "decontam:\n  benchmarks:\n    - {name: b, path: data.jsonl}\n",
        encoding="utf-8",
    )
    (tmp_path / "data.jsonl").write_text('{"problem": "What is 2+2?", "answer": "4"}\n', encoding="utf-8")
    res = CliRunner().invoke(main, [*args, "--db", str(bad_db), "--config", str(cfg)])
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in res.output, res.output


def test_our_usage_errors_exit_1_click_usage_errors_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["verify", "--tasks", str(tmp_path / "t.jsonl")])
    assert res.exit_code == 1 and res.output.startswith("error: --tasks, --responses and --out go together")
    res = CliRunner().invoke(main, ["verify", "--no-such-option"])
    assert res.exit_code == 2 and "No such option" in res.output  # click's own usage error


# ------------------------------------------------------------------------------------------------ plain imports
def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_core_imports_neither_dagster_nor_assets() -> None:
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        # the CLI entry may import the Dagster layer, only inside `thinkmill demo` (never at import time)
        found = _imports(path, top_level_only=rel == "pipeline/cli.py") & {"dagster", "assets"}
        assert not found, f"{rel} imports {found}"
    assert "importlib" not in (ROOT / "pipeline" / "cli.py").read_text(encoding="utf-8")


def test_tests_and_bench_do_not_import_each_other() -> None:
    for path in sorted((ROOT / "bench").rglob("*.py")):
        assert "tests" not in _imports(path), path
    for path in sorted((ROOT / "tests").rglob("*.py")):
        assert "bench" not in _imports(path), path
    for path in sorted((ROOT / "testing_support").rglob("*.py")):
        assert not _imports(path) & {"tests", "bench"}, path


def test_shared_fakes_import_nothing_heavy() -> None:
    code = (
        "import sys, pkgutil, importlib, testing_support\n"
        "for m in pkgutil.iter_modules(testing_support.__path__):\n"
        "    importlib.import_module('testing_support.' + m.name)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'dagster', 'vllm') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize(
    ("hidden", "importer"), [("pipeline.verify.cli", "pipeline.cli"), ("assets.verify", "assets.definitions")]
)
def test_a_missing_stage_module_is_an_import_error_not_a_silent_gap(hidden: str, importer: str) -> None:
    """A renamed or broken stage must fail loudly: it may not vanish from the CLI or the asset graph."""
    code = f"import sys\nsys.modules[{hidden!r}] = None\nimport {importer}\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0 and "ModuleNotFoundError" in out.stderr, out.stderr
