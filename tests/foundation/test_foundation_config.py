"""Config lookup: no silent fallback to the bundled sample config; `thinkmill init`; --config on every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import SAMPLE_CONFIG, ConfigError, NoConfigError, load_config
from pipeline.store import Store


@pytest.fixture
def empty_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's empty folder: no ./thinkmill.yaml, no $THINKMILL_CONFIG."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("THINKMILL_CONFIG", raising=False)
    return work


def _invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],
        ["generate", "--no-progress"],
        ["generate", "batch-write", "--out", "req.jsonl"],
        ["verify"],
        ["select"],
        ["build"],
        ["decontaminate"],
        ["export", "--version", "v1", "--out", "exp"],
        ["card", "--version", "v1"],
    ],
)
def test_without_a_config_commands_stop_instead_of_using_the_sample(empty_cwd: Path, args: list[str]) -> None:
    db = empty_cwd / "prod.duckdb"
    if args[0] in ("generate", "verify", "select", "build", "export", "card", "decontaminate"):
        Store.connect(db).close()  # an existing (empty) database: the config, not the db, is what is missing
    out = _invoke([*args, "--db", str(db)])
    assert out.exit_code == 1, out.output
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: no config"), out.output
    assert "--config" in lines[0] and "THINKMILL_CONFIG" in lines[0] and "thinkmill init" in lines[0]
    assert "Traceback" not in out.output
    if db.exists():
        with Store.open(db, read_only=True) as s:
            assert s.count("tasks") == 0 and s.count("generations") == 0


def test_thinkmill_config_naming_a_missing_file_is_an_error(empty_cwd: Path, monkeypatch) -> None:
    (empty_cwd / "thinkmill.yaml").write_text(SAMPLE_CONFIG.read_text())  # must not be used instead
    monkeypatch.setenv("THINKMILL_CONFIG", str(empty_cwd / "typo.yaml"))
    out = _invoke(["ingest", "--db", str(empty_cwd / "t.duckdb")])
    assert out.exit_code == 1
    assert "typo.yaml" in out.output and "THINKMILL_CONFIG" in out.output and "not found" in out.output
    with pytest.raises(ConfigError, match=r"typo\.yaml"):
        load_config()


def test_commands_that_need_no_config_work_without_one(empty_cwd: Path) -> None:
    db = empty_cwd / "t.duckdb"
    (empty_cwd / "tasks.jsonl").write_text(
        json.dumps({"id": "a1", "prompt": "What is 2 + 2?", "answer": "4", "domain": "math"}) + "\n"
    )
    out = _invoke(["ingest", "tasks.jsonl", "--db", str(db), "--json"])  # ad hoc: built-in defaults
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["metadata"]["ingested"] == 1
    for args in (
        ["db", "info", "--db", str(db)],
        ["versions", "list", "--db", str(db)],
        ["schemas", "export", "--out", str(empty_cwd / "schemas")],
    ):
        out = _invoke(args)
        assert out.exit_code == 0, (args, out.output)
    texts = empty_cwd / "texts.jsonl"
    texts.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["a b c", "a b c"])))
    out = _invoke(["dedup", "--input", str(texts), "--out", str(empty_cwd / "d.jsonl")])
    assert out.exit_code == 0, out.output


def test_init_writes_a_starter_that_loads_and_never_overwrites(empty_cwd: Path) -> None:
    out = _invoke(["init"])
    assert out.exit_code == 0, out.output
    cfg = load_config()  # ./thinkmill.yaml is found now
    assert cfg.base_dir == empty_cwd.resolve()
    assert cfg.ingest.sources and cfg.generate.backend == "openai"
    assert "#" in (empty_cwd / "thinkmill.yaml").read_text()  # commented
    again = _invoke(["init"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_starters_commented_examples_are_valid_config() -> None:
    """Every commented key: value example of the starter config loads once uncommented (a user's first edit)."""
    import re

    import yaml

    from pipeline.config import STARTER_CONFIG, ThinkmillConfig

    # a commented line whose text is YAML (`key: value` or `key:`), not prose; the comment column stays the indent
    yaml_line = re.compile(r"^(\s*)# ( *(?:- \{.*\}|[a-z_]+:(?: .*)?))$")
    lines = [m.group(1) + m.group(2) if (m := yaml_line.match(ln)) else ln for ln in STARTER_CONFIG.splitlines()]
    lines = [ln for ln in lines if not re.match(r"^\s*#", ln)]  # prose comments and nested comments
    data = yaml.safe_load("\n".join(lines))
    assert {"cost", "verify", "executor", "balance", "publish", "decontam"} <= set(data)
    assert data["generate"]["adaptive"]["think"]["enabled"] is True
    cfg = ThinkmillConfig.model_validate(data)
    assert cfg.executor.kind == "ray" and cfg.verify.judge.pass_threshold == 7 and cfg.cost.price_per_million_input


def test_dagster_resource_without_a_config_is_an_error(empty_cwd: Path) -> None:
    from assets.resources import ThinkmillResource, default_resource

    with pytest.raises(NoConfigError):
        default_resource().config()
    assert ThinkmillResource(config_path=str(SAMPLE_CONFIG)).config().ingest.sources  # named explicitly: fine


def test_read_commands_take_config_and_lock_timeout(db_path: Path, sample_config: Path) -> None:
    Store.connect(db_path).close()
    for args in (["db", "info"], ["versions", "list"]):
        out = _invoke([*args, "--db", str(db_path), "--config", str(sample_config), "--lock-timeout", "5"])
        assert out.exit_code == 0, (args, out.output)
    bad = _invoke(["db", "info", "--db", str(db_path), "--config", str(db_path.parent / "nope.yaml")])
    assert bad.exit_code == 1 and "nope.yaml" in bad.output


def test_every_database_command_takes_db_config_and_lock_timeout() -> None:
    def walk(group, prefix=()):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            yield (*prefix, name), cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, (*prefix, name))

    checked = 0
    for path, cmd in walk(main):
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if "--db" in opts:
            checked += 1
            assert {"--config", "--lock-timeout"} <= opts, f"thinkmill {' '.join(path)} lacks {opts}"
    assert checked >= 12


def test_lock_timeout_applies_to_one_invocation_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.store as store_mod

    seen: list[float] = []
    real = store_mod.Store.connect.__func__  # type: ignore[attr-defined]

    def spy(cls, path=None, **kw):  # type: ignore[no-untyped-def]
        seen.append(kw.get("lock_timeout_s") or store_mod.default_lock_timeout())
        return real(cls, path, **kw)

    monkeypatch.setattr(store_mod.Store, "connect", classmethod(spy))
    monkeypatch.delenv("THINKMILL_LOCK_TIMEOUT", raising=False)
    Store.connect(db_path).close()
    seen.clear()
    assert _invoke(["db", "info", "--db", str(db_path), "--lock-timeout", "7"]).exit_code == 0
    assert _invoke(["db", "info", "--db", str(db_path)]).exit_code == 0
    assert seen == [7.0, 60.0]


def _user_task_file(folder: Path) -> Path:
    path = folder / "mine.jsonl"
    path.write_text(json.dumps({"id": "m1", "prompt": "What is 17 + 25?", "answer": "42", "domain": "math"}) + "\n")
    return path


def test_demo_refuses_a_database_holding_the_users_own_tasks(empty_cwd: Path) -> None:
    """`thinkmill demo` in a project folder wrote the sample's 200 tasks and hand-written traces into the user's
    data/thinkmill.duckdb: the user's next `thinkmill build` put them into their dataset version."""
    db = empty_cwd / "data" / "thinkmill.duckdb"
    assert _invoke(["ingest", str(_user_task_file(empty_cwd)), "--db", str(db)]).exit_code == 0
    out = _invoke(["demo", "--db", str(db)])
    assert out.exit_code == 1, out.output
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "--db" in lines[0] and str(db) in lines[0]
    with Store.open(db, read_only=True) as s:
        assert s.count("tasks") == 1 and s.count("generations") == 0


def test_own_commands_refuse_a_database_holding_the_demos_sample_tasks(empty_cwd: Path) -> None:
    """`make demo` writes data/thinkmill.duckdb, the default of every command: a user's own ingest, generate and
    build on it mixed the sample's tasks into the user's dataset versions."""
    db = empty_cwd / "data" / "thinkmill.duckdb"
    assert _invoke(["ingest", "--config", str(SAMPLE_CONFIG), "--db", str(db)]).exit_code == 0  # the demo's ingest
    with Store.open(db, read_only=True) as s:
        sample_tasks = s.count("tasks")
    (empty_cwd / "thinkmill.yaml").write_text("ingest:\n  sources:\n    - {name: mine, path: mine.jsonl}\n")
    _user_task_file(empty_cwd)
    for args in (["ingest"], ["ingest", "mine.jsonl"], ["generate", "--no-progress"], ["build"]):
        out = _invoke([*args, "--db", str(db)])
        assert out.exit_code == 1, (args, out.output)
        lines = [line for line in out.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "sample" in lines[0] and "--db" in lines[0], (args, out.output)
    with Store.open(db, read_only=True) as s:
        assert s.count("tasks") == sample_tasks and s.count("dataset_versions") == 0
    again = _invoke(["ingest", "--config", str(SAMPLE_CONFIG), "--db", str(db)])  # the demo's own config: fine
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize(
    ("enabled", "message"),
    [
        ("[think_formatt, repetition]", "think_formatt"),  # the think-format lint silently off
        ("[]", "empty"),  # read as every family, the opposite of what was written
    ],
)
def test_lint_families_must_be_known(tmp_path: Path, enabled: str, message: str) -> None:
    config = tmp_path / "thinkmill.yaml"
    config.write_text(f"verify:\n  lints:\n    enabled: {enabled}\n")
    with pytest.raises(ConfigError, match=rf"verify\.lints\.enabled.*{message}") as err:
        load_config(config)
    assert "think_format" in str(err.value) and "\n" not in str(err.value)
    config.write_text("verify:\n  lints:\n    enabled: [think_format, consistency]\n")
    assert load_config(config).verify.lints.enabled == ["think_format", "consistency"]


@pytest.mark.parametrize("value", ["${OPENAI_API_KEY}", "$OPENAI_API_KEY", "sk-proj-CANARY0123456789abcdef", ""])
@pytest.mark.parametrize("section", ["generate:\n  openai:", "verify:\n  judge:\n    openai:"])
def test_api_key_env_must_name_an_environment_variable(tmp_path: Path, value: str, section: str) -> None:
    """`api_key_env: ${OPENAI_API_KEY}` (or the key itself) was looked up as a variable name, found unset, and the
    requests went out with no key; a key written there was stored unmasked with every dataset version's config."""
    config = tmp_path / "thinkmill.yaml"
    indent = " " * (section.count("\n") * 2 + 2)
    config.write_text(f"{section}\n{indent}api_key_env: {json.dumps(value)}\n")
    with pytest.raises(ConfigError, match=r"openai\.api_key_env: .*NAME of the environment variable") as err:
        load_config(config)
    assert "CANARY" not in str(err.value) and "\n" not in str(err.value)
    config.write_text(f"{section}\n{indent}api_key_env: MY_KEY_2\n")
    assert load_config(config)  # a name is fine


@pytest.mark.parametrize(
    ("yaml_text", "field"),
    [
        ("verify:\n  workers: -4\n", "verify.workers"),
        ("verify:\n  workers: 0\n", "verify.workers"),
        ("verify:\n  check_timeout_s: 0\n", "verify.check_timeout_s"),
        ("verify:\n  math_timeout_s: -1\n", "verify.math_timeout_s"),
        ("verify:\n  inline_below: -1\n", "verify.inline_below"),
        ("verify:\n  lints:\n    repetition_max_dup_share: 50\n", "verify.lints.repetition_max_dup_share"),
        ("verify:\n  lints:\n    max_think_tokens: -1\n", "verify.lints.max_think_tokens"),
        ("verify:\n  lints:\n    max_answer_tokens: 0\n", "verify.lints.max_answer_tokens"),
        ("verify:\n  lints:\n    min_think_tokens: -5\n", "verify.lints.min_think_tokens"),
        ("verify:\n  lints:\n    repetition_ngram: 0\n", "verify.lints.repetition_ngram"),
        ("verify:\n  lints:\n    refusal_scan_chars: 0\n", "verify.lints.refusal_scan_chars"),
        ("verify:\n  code:\n    timeout_s: -1\n", "verify.code.timeout_s"),
        ("verify:\n  code:\n    memory_mb: 0\n", "verify.code.memory_mb"),
        ("verify:\n  code:\n    max_processes: 0\n", "verify.code.max_processes"),
        ("verify:\n  code:\n    max_output_kb: -1\n", "verify.code.max_output_kb"),
    ],
)
def test_verify_settings_out_of_range_are_config_errors(tmp_path: Path, yaml_text: str, field: str) -> None:
    """`workers: -4` quietly became 1, a repetition share of 50 (over 1) meant the lint never fired, a think budget
    of -1 or a sandbox memory of 0 MiB failed every trace: each loaded without a word."""
    config = tmp_path / "thinkmill.yaml"
    config.write_text(yaml_text)
    with pytest.raises(ConfigError, match=re.escape(field)) as err:
        load_config(config)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://gpu1:8000/v1?api_key=sk-CANARY0123456789", "query string"),
        ("https://gw.example/v1#token=CANARY", "query string"),
        ("gpu1:8000/v1", "http:// or https://"),
        ("ftp://gpu1/v1", "http:// or https://"),
        ("", "http:// or https://"),
    ],
)
@pytest.mark.parametrize("section", ["generate:\n  openai:", "verify:\n  judge:\n    openai:"])
def test_base_urls_must_be_plain_http_urls(tmp_path: Path, url: str, why: str, section: str) -> None:
    """The openai client appends its paths to a base URL's text: `http://host/v1?api_key=...` sent every request to
    `/v1/?api_key=...chat/completions`, which no server answers (every request failed after its retries), and a URL
    without a scheme failed each request alike. The error never repeats the URL (its query may hold a key)."""
    config = tmp_path / "thinkmill.yaml"
    indent = " " * (section.count("\n") * 2 + 2)
    config.write_text(f"{section}\n{indent}base_urls: [{json.dumps(url)}]\n")
    with pytest.raises(ConfigError, match=rf"openai\.base_urls.*{re.escape(why)}") as err:
        load_config(config)
    assert "CANARY" not in str(err.value) and "\n" not in str(err.value)
    config.write_text(f"{section}\n{indent}base_urls: ['http://user:pw@gpu1:8000/v1', 'https://api.example.com/v1/']\n")
    assert load_config(config)


def test_the_dagster_backend_resource_refuses_a_base_url_with_a_query_string() -> None:
    """`LLMBackendResource(base_urls=[...])` set the config's URLs past its check, as `--base-url` did."""
    from assets.resources import LLMBackendResource
    from pipeline.config import ThinkmillConfig

    res = LLMBackendResource(base_urls=["http://gpu1:8000/v1?api_key=sk-CANARY0123"])
    with pytest.raises(ConfigError, match=r"base_urls: entry 0 has a query string") as err:
        res.configure(ThinkmillConfig())
    assert "CANARY" not in str(err.value)
    assert LLMBackendResource(base_urls=["http://gpu1:8000/v1"]).configure(ThinkmillConfig()).generate.openai.base_urls


@pytest.mark.parametrize(
    ("yaml_text", "want"),
    [
        # the key written at the wrong level: named with its section
        (
            "generate:\n  base_url: http://127.0.0.1:8000/v1\n",
            "generate.base_url: unknown key; did you mean openai.base_urls",
        ),
        ("generate:\n  sample_think: 4\n", "generate.sample_think: unknown key; did you mean samples_think"),
        ("balance:\n  think_share: 0.7\n", "balance.think_share: unknown key; did you mean think_share_rows"),
        (
            "ingest:\n  sources:\n    - {name: a, path: a.jsonl, maping: {prompt: q}}\n",
            "ingest.sources.0.maping: unknown key; did you mean mapping",
        ),
        ("generat:\n  samples_think: 4\n", "generat: unknown key; did you mean generate"),
        ("generate:\n  zzz_qqq: 1\n", "generate.zzz_qqq: unknown key"),
    ],
)
def test_an_unknown_key_names_the_key_it_may_mean(tmp_path: Path, yaml_text: str, want: str) -> None:
    """pydantic's "Extra inputs are not permitted" said nothing of the key a user meant (`generate.base_url` for
    `generate.openai.base_urls`, a misspelt key): the error names the known key closest to it."""
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert want in str(exc.value)
    assert "Extra inputs" not in str(exc.value)
