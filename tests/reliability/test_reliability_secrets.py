"""Secrets never leak: canary tokens in every secret env var, then every output is scanned for them.

Outputs scanned: captured stdout/stderr and log records, the Dagster instance's files (event log, run storage,
compute logs) and every event's metadata, every text value of every table in the database plus the raw file
bytes, exported and published files, CLI output and CLI error messages, and generate-stage error messages.
Each test also proves the canary was really in play (the server saw it, the env held it), so a scan that finds
nothing means something.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import SAMPLE_CONFIG, load_config
from testing_support.openai_stub import OpenAIStub, closed_port_url

CANARIES = {
    "HF_TOKEN": "hf_CANARYhfTOKEN0123456789abcdef",
    "OPENAI_API_KEY": "sk-CANARYopenaiKEY0123456789abcdef",
    "THINKMILL_API_KEY": "tm-CANARYthinkmillKEY0123456789",
}


@pytest.fixture
def canaries(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = dict(CANARIES)
    try:  # whatever env var the generate stage's openai backend reads its key from
        api_env = load_config(SAMPLE_CONFIG).generate.openai.api_key_env
    except AttributeError:
        api_env = "OPENAI_API_KEY"
    values.setdefault(api_env, f"key-CANARY-{api_env}-0123456789")
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    return values


def find_canaries(where: str, text: str | bytes, values: dict[str, str]) -> list[str]:
    blob = text if isinstance(text, bytes) else text.encode("utf-8", "replace")
    return [f"{where}: {k}" for k, v in values.items() if v.encode() in blob]


def scan_tree(root: Path, values: dict[str, str]) -> list[str]:
    return [
        hit for p in sorted(root.rglob("*")) if p.is_file() for hit in find_canaries(str(p), p.read_bytes(), values)
    ]


def dump_db(db: Path) -> str:
    """Every value of every table as text (JSON columns, lists and all)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        parts = []
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            cols = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]
                ).fetchall()
            ]
            sel = ", ".join(f"CAST({c} AS VARCHAR)" for c in cols)
            for row in con.execute(f"SELECT {sel} FROM {name}").fetchall():
                parts.append(f"{name}: " + " | ".join("" if v is None else v for v in row))
        return "\n".join(parts)
    finally:
        con.close()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def _graph_complete() -> bool:
    try:
        from assets.definitions import build_definitions

        keys = {k.to_user_string() for k in build_definitions().resolve_asset_graph().get_all_asset_keys()}
    except Exception:
        return False
    return {"raw_tasks", "generations", "verdicts", "selected_traces", "dataset_version"} <= keys


def test_whole_pipeline_with_canary_tokens_leaks_nothing(
    tmp_path: Path, canaries: dict[str, str], logs: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    assert _graph_complete()
    from assets.demo import materialize_all

    assert all(os.environ[k] == v for k, v in canaries.items())
    db = tmp_path / "canary.duckdb"
    home = tmp_path / "dagster_home"
    home.mkdir()
    instance = dg.DagsterInstance.local_temp(str(home))
    result = materialize_all(db, SAMPLE_CONFIG, instance)
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]
    hits: list[str] = []
    for event in result.all_events:  # materialisation metadata, check results, step outputs
        hits += find_canaries(f"event {event.event_type_value}", repr(event), canaries)
    for record in instance.all_logs(result.run_id):
        hits += find_canaries("event log", dg.serialize_value(record), canaries)
    hits += scan_tree(home, canaries)  # run storage, event log DB, compute logs

    runner = CliRunner()
    out_dir = tmp_path / "exported"
    cli_runs = [
        ["db", "info", "--db", str(db)],
        ["versions", "list", "--db", str(db)],
        ["export", "--version", "v1", "--out", str(out_dir), "--db", str(db)],
        ["publish", "--version", "v1", "--to-dir", str(tmp_path / "to_dir"), "--db", str(db)],
        # a publish that fails: its error message must not carry the token either
        [
            "publish",
            "--version",
            "v1",
            "--repo",
            "acme/x",
            "--endpoint",
            closed_port_url().removesuffix("/v1"),
            "--db",
            str(db),
        ],
    ]
    for args in cli_runs:
        res = runner.invoke(main, args, env=canaries)
        hits += find_canaries(f"thinkmill {' '.join(args[:2])}", f"{res.output}\n{res.exception!r}", canaries)
    assert runner.invoke(main, cli_runs[-1], env=canaries).exit_code == 1  # it really failed
    hits += scan_tree(out_dir, canaries) + scan_tree(tmp_path / "to_dir", canaries)

    hits += find_canaries("database (dump)", dump_db(db), canaries)
    hits += find_canaries("database (raw bytes)", db.read_bytes(), canaries)
    hits += find_canaries("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in logs.records), canaries)
    out, err = capfd.readouterr()
    hits += find_canaries("stdout/stderr", out + err, canaries)
    assert not hits, hits


# ------------------------------------------------------------------------- generate: the key on the wire


def _openai_run(tmp_path: Path, url: str, **openai: object):  # -> (summary or exception, db)
    import polars as pl

    from pipeline.config import ThinkmillConfig
    from pipeline.generate.runner import run as run_generation
    from pipeline.store import Store

    db = tmp_path / "gen.duckdb"
    with Store.open(db) as s:
        s.insert(
            "tasks",
            pl.DataFrame(
                [
                    {
                        "task_id": f"t{i}",
                        "source": "s",
                        "domain": "math",
                        "prompt": f"{i}+1?",
                        "answer": str(i + 1),
                        "verifier": "math",
                        "verifier_args": {},
                        "metadata": {},
                    }
                    for i in range(3)
                ]
            ),
        )
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp_path
    g = cfg.generate
    g.backend, g.model = "openai", "stub-model"
    g.openai.base_urls = [url]
    g.openai.max_retries, g.openai.backoff_initial_s, g.openai.backoff_max_s, g.openai.timeout_s = 1, 0.01, 0.02, 2
    for k, v in openai.items():
        setattr(g.openai, k, v)
    try:
        with Store.open(db) as s:
            outcome: object = run_generation(s, cfg)
    except Exception as exc:
        outcome = exc
    return outcome, db


def test_generate_sends_the_key_but_stores_and_logs_none_of_it(
    tmp_path: Path, canaries: dict[str, str], logs: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    key = canaries["OPENAI_API_KEY"]
    with OpenAIStub() as stub:
        outcome, db = _openai_run(tmp_path, stub.url)
    assert f"Bearer {key}" in stub.stats.auth  # the canary really was the key on the wire
    assert not isinstance(outcome, Exception), outcome
    hits = find_canaries("summary", repr(outcome), canaries) + find_canaries("db", dump_db(db), canaries)
    out, err = capfd.readouterr()
    hits += find_canaries("stdout/stderr", out + err, canaries)
    hits += find_canaries("logs", "\n".join(r.getMessage() for r in logs.records), canaries)
    assert not hits, hits


def test_credentials_in_the_base_url_are_not_stored(tmp_path: Path, canaries: dict[str, str]) -> None:
    with OpenAIStub() as stub:
        url = stub.url.replace("http://", f"http://user:{canaries['THINKMILL_API_KEY']}@")
        outcome, db = _openai_run(tmp_path, url)
    assert not isinstance(outcome, Exception), outcome
    assert any(a.startswith("Basic ") for a in stub.stats.auth)  # the URL's credentials were used
    assert not find_canaries("db", dump_db(db), canaries) + find_canaries("summary", repr(outcome), canaries)


def test_a_key_in_extra_body_is_sent_but_stored_masked(tmp_path: Path, canaries: dict[str, str]) -> None:
    """A gateway key in the request body (`extra_body: {X-API-Key: ...}`): sent as configured, but the rows'
    sampling_params (and the journal) hold `***`, as the version's stored config does. Before, every row kept it."""
    key = canaries["THINKMILL_API_KEY"]
    with OpenAIStub() as stub:
        outcome, db = _openai_run(tmp_path, stub.url, extra_body={"X-API-Key": key, "min_p": 0.05})
    assert not isinstance(outcome, Exception), outcome
    assert {b.get("X-API-Key") for b in stub.stats.bodies} == {key}
    assert not find_canaries("db", dump_db(db), canaries)
    con = duckdb.connect(str(db), read_only=True)
    try:
        params = {p for (p,) in con.execute("SELECT CAST(sampling_params AS VARCHAR) FROM generations").fetchall()}
    finally:
        con.close()
    assert params and all('"X-API-Key":"***"' in p and '"min_p":0.05' in p for p in params), params


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_error_does_not_echo_the_key(tmp_path: Path, canaries: dict[str, str], status: int) -> None:
    with OpenAIStub(status_for_all=status) as stub:
        outcome, db = _openai_run(tmp_path, stub.url)
    assert f"Bearer {canaries['OPENAI_API_KEY']}" in stub.stats.auth
    text = repr(outcome) + str(outcome) + dump_db(db)
    errors = [line for line in dump_db(db).splitlines() if str(status) in line]
    assert errors or isinstance(outcome, Exception), "the refusal was not reported anywhere"
    assert not find_canaries(f"HTTP {status} handling", text, canaries)


def test_unreachable_server_error_does_not_echo_credentials(tmp_path: Path, canaries: dict[str, str]) -> None:
    url = closed_port_url().replace("http://", f"http://admin:{canaries['THINKMILL_API_KEY']}@")
    outcome, db = _openai_run(tmp_path, url)
    assert isinstance(outcome, Exception)
    assert "127.0.0.1" in str(outcome)  # names the endpoint
    assert not find_canaries("unreachable error", str(outcome) + repr(outcome) + dump_db(db), canaries)


# ------------------------------------------------------------------- secrets written into the config file


def test_secrets_written_into_the_config_reach_no_table_file_card_or_log(
    tmp_path: Path, canaries: dict[str, str], logs: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Keys spelled as headers and camelCase fields (`X-API-Key`, `accessToken`) and a password in a base URL: a
    real generate run against the stub, then build, card, export and publish. Before, the stored config kept
    `X-API-Key` / `accessToken` values, the rows' sampling_params kept the request body's, the card showed them, and
    the HTTP client's log line held the base URL's password. (A key in a base URL's query string is refused when the
    config is read, never repeated: tests/foundation/test_foundation_config.py::test_base_urls_must_be_plain_http_urls;
    redact's masking of query keys: test_reliability_secrets_redact.py.)"""
    from testing_support.db_templates import seeded_db
    from testing_support.seed import populate

    secrets = {
        "header key": "hk-CANARYheaderKEY0123456789",
        "camel token": "at-CANARYaccessTOKEN0123456789",
        "url password": "pw-CANARYurlPASSWORD0123456789",
    }
    db = seeded_db(tmp_path / "cfg.duckdb", "populate", populate)
    runner = CliRunner()
    with OpenAIStub() as stub:
        base_url = stub.url.replace("http://", f"http://tm:{secrets['url password']}@")
        config = tmp_path / "thinkmill.yaml"
        config.write_text(
            "generate:\n"
            "  backend: openai\n  model: stub-model\n  samples_think: 1\n  samples_no_think: 1\n"
            "  openai:\n"
            f"    base_urls: ['{base_url}']\n"
            "    max_retries: 1\n"
            f"    extra_body: {{X-API-Key: {secrets['header key']}, accessToken: {secrets['camel token']}}}\n"
            "verify:\n  judge:\n    openai:\n"
            "      base_urls: ['https://judge.example/v1']\n"
            f"publish:\n  card_dir: {tmp_path / 'cards'}\n"
        )
        common = ["--db", str(db), "--config", str(config)]
        generated = runner.invoke(main, ["generate", *common], env=canaries)
        assert generated.exit_code == 0, generated.output
    assert {b.get("X-API-Key") for b in stub.stats.bodies} == {secrets["header key"]}  # sent, as configured
    assert any(a.startswith("Basic ") for a in stub.stats.auth)  # the URL's password was used
    out_dir, to_dir = tmp_path / "exported", tmp_path / "to_dir"
    hits = find_canaries("thinkmill generate", generated.output, secrets)
    for args in (
        ["build"],
        ["versions", "show", "v1"],
        ["card", "--version", "v1"],
        ["export", "--version", "v1", "--out", str(out_dir)],
        ["publish", "--version", "v1", "--to-dir", str(to_dir)],
    ):
        res = runner.invoke(main, [*args, *common], env=canaries)
        assert res.exit_code == 0, (args, res.output)
        hits += find_canaries(f"thinkmill {' '.join(args[:2])}", f"{res.output}\n{res.exception!r}", secrets)
    assert (tmp_path / "cards" / "v1" / "README.md").is_file()
    for folder in (tmp_path / "cards", out_dir, to_dir):
        hits += scan_tree(folder, secrets)
    hits += find_canaries("database (dump)", dump_db(db), secrets)
    hits += find_canaries("database (raw bytes)", db.read_bytes(), secrets)
    hits += find_canaries("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in logs.records), secrets)
    out, err = capfd.readouterr()
    hits += find_canaries("stdout/stderr", out + err, secrets)
    assert not hits, hits
