"""The thinkmill config file (YAML), validated by pydantic.

One file configures every stage; each stage owns its section's model (in `pipeline/<stage>/config.py`).
Relative paths in the file are resolved against the file's folder, so a config and its data can move together.
Lookup order when no path is given: `$THINKMILL_CONFIG` (a missing file is an error), then `./thinkmill.yaml`.
There is no silent fallback: without a config a command stops with `NoConfigError`. Only `thinkmill demo` (and
`make demo` / `make dev`) use the bundled sample config, and they name it explicitly.
"""

from __future__ import annotations

import difflib
import os
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.dataset.config import BalanceConfig, PublishConfig
from pipeline.dedup.config import DedupConfig, SelectConfig
from pipeline.errors import ThinkmillError
from pipeline.executor.config import ExecutorConfig
from pipeline.generate.config import CostConfig, GenerateConfig
from pipeline.ingest.config import DecontamConfig, IngestConfig
from pipeline.verify.config import VerifyConfig

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_CONFIG = SAMPLE_DIR / "thinkmill.yaml"


class ConfigError(ThinkmillError, ValueError):
    """The config file is missing or invalid; the message names the file and the field."""


class MixedDatabaseError(ConfigError):
    """The config would add to a database that holds the other side's tasks: the bundled demo's sample and a user's
    own never share one (`keep_demo_apart`)."""


class NoConfigError(ConfigError):
    """No config was given or found (the message says how to make one)."""


NO_CONFIG_HINT = (
    "pass --config FILE, set THINKMILL_CONFIG, or create ./thinkmill.yaml (`thinkmill init` writes a commented "
    "starter; see README.md, Configuration)"
)


class ChecksConfig(BaseModel):
    """Thresholds of the Dagster asset checks (`assets/checks.py`; documented in docs/operations.md)."""

    model_config = ConfigDict(extra="forbid")
    max_quarantine_share: float = Field(0.2, ge=0, le=1, description="Max share of a source's rows quarantined.")
    min_pass_rate: float = Field(0.2, ge=0, le=1, description="Min verification pass rate per domain.")
    min_pass_rate_by_domain: dict[str, float] = Field(
        default_factory=dict, description="Per-domain floors that override `min_pass_rate` (e.g. code: 0.05)."
    )
    max_malformed_think_share: float = Field(
        0.2, ge=0, le=1, description="Max share of traces with malformed think tags, per mode."
    )
    max_failed_request_share: float = Field(
        0.05, ge=0, le=1, description="Max share of generation requests whose stored result is an error."
    )
    think_ratio_tolerance: float = Field(
        0.1, ge=0, le=1, description="Allowed |achieved - target| think share by rows."
    )
    warn_duplicate_share: float = Field(
        0.5, ge=0, le=1, description="Duplicate share (tasks or traces) above which the duplicate check warns."
    )
    min_rows_for_rates: int = Field(
        20, ge=0, description="Rate checks pass (and say so) on fewer rows than this: tiny samples are noise."
    )


class ThinkmillConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    decontam: DecontamConfig = Field(default_factory=DecontamConfig)
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    select: SelectConfig = Field(default_factory=SelectConfig)
    balance: BalanceConfig = Field(default_factory=BalanceConfig)
    publish: PublishConfig = Field(default_factory=PublishConfig)
    checks: ChecksConfig = Field(default_factory=ChecksConfig)
    cost: CostConfig = Field(default_factory=CostConfig)
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    base_dir: Path = Field(default=Path("."), exclude=True, description="Folder relative paths resolve against.")

    @model_validator(mode="after")
    def _ingest_accepts_config_verifiers(self) -> ThinkmillConfig:
        """A verifier `verify.verifiers` registers is one ingest accepts: without this, its tasks were quarantined
        `unknown_verifier` unless the user also listed the name in `ingest.extra_verifiers`."""
        extra = self.ingest.extra_verifiers
        extra.extend(name for name in self.verify.verifiers if name not in extra)
        return self

    def resolve(self, path: str | Path) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    def output_dir(self, value: str | None, db_path: str | Path | None, name: str) -> Path:
        """A folder the pipeline writes: `value` (resolved like every path of the file), else `<name>/` beside
        the database, so outputs never land in the config's folder (which may be the installed package)."""
        if value:
            return self.resolve(value)
        if db_path is not None and str(db_path) != ":memory:":
            return Path(db_path).expanduser().resolve().parent / name
        return Path("data", name).resolve()

    def public_dict(self) -> dict[str, Any]:
        """The config as recorded in a dataset version (no secrets: the config never holds any)."""
        return self.model_dump(mode="json")


def locate_config(path: str | Path | None = None) -> Path | None:
    """The config file to use: `path`, else `$THINKMILL_CONFIG`, else `./thinkmill.yaml`; None when none is found.

    A file that is named (by `path` or the env var) but missing is an error, never a reason to look elsewhere.
    """
    if path is not None:
        named, how = Path(path), ""
    elif env := os.environ.get("THINKMILL_CONFIG"):
        named, how = Path(env), " (named by $THINKMILL_CONFIG)"
    else:
        local = Path("thinkmill.yaml")
        return local if local.is_file() else None
    if not named.is_file():
        raise ConfigError(f"config file {named}{how} not found")
    return named


def find_config(path: str | Path | None = None) -> Path:
    """Like `locate_config`, but a missing config is an error that says how to create one."""
    found = locate_config(path)
    if found is None:
        raise NoConfigError(
            f"no config: no --config given, THINKMILL_CONFIG is unset and there is no "
            f"./thinkmill.yaml in {Path.cwd()}; {NO_CONFIG_HINT}"
        )
    return found


def load_config(path: str | Path | None = None) -> ThinkmillConfig:
    """Load and validate the config (`find_config` lookup); raises ConfigError naming the file and field."""
    cfg_path = find_config(path)
    try:
        raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file {cfg_path} not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {cfg_path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"config file {cfg_path}: top level must be a mapping")
    try:
        cfg = ThinkmillConfig.model_validate(raw)
    except ValidationError as exc:
        errors = "; ".join(_error_line(e) for e in exc.errors())
        raise ConfigError(f"config file {cfg_path}: {errors}") from exc
    cfg.base_dir = cfg_path.resolve().parent
    return cfg


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The config model that holds the key at `loc` (field names and list indices from the top), or None."""
    model: Any = ThinkmillConfig
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: its type is the list's
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return None
        model = _submodel(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _submodel(annotation: Any) -> Any:
    """The config model inside an annotation (`X`, `X | None`, `list[X]`), or the annotation itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _submodel(arg)) is not None and isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return None


def _error_line(e: Any) -> str:
    """One validation error as `section.key: message`; an unknown key names the known key closest to it (its own
    section's keys, and those of the sections inside it: `generate.base_url` -> `openai.base_urls`)."""
    where = ".".join(str(x) for x in e["loc"])
    if e["type"] != "extra_forbidden":
        return f"{where}: {e['msg']}"
    key, parent = str(e["loc"][-1]), _model_at(tuple(e["loc"][:-1]))
    known: list[str] = []
    if parent is not None:
        for name, field in parent.model_fields.items():
            known.append(name)
            inner = _submodel(field.annotation)
            if inner is not None:
                known += [f"{name}.{sub}" for sub in inner.model_fields]
    # compared on the last part, so `base_url` finds `openai.base_urls`; own keys first
    last = {k: k.rsplit(".", 1)[-1] for k in known}
    close = difflib.get_close_matches(key, list(dict.fromkeys(last.values())), n=1, cutoff=0.7)
    hint = next((k for k in known if close and last[k] == close[0]), None)
    return f"{where}: unknown key" + (f"; did you mean {hint}?" if hint else "")


def load_config_or_defaults(path: str | Path | None = None) -> ThinkmillConfig:
    """The config when one is given or found, else the built-in defaults (never the bundled sample).

    Only for commands that work on files the user names (`ingest PATH`, `verify --tasks ...`, `dedup --input`):
    their defaults read nothing but those files. A named but missing or invalid file is still an error.
    """
    found = locate_config(path)
    if found is None:
        return ThinkmillConfig(base_dir=Path.cwd())
    return load_config(found)


def config_for(path: str | Path | None, need: str = "required") -> ThinkmillConfig | None:
    """The one config loader every command uses; `need` says what a missing config means.

    "required": stop with `NoConfigError` (commands that work on the database's tasks or versions);
    "defaults": built-in defaults (`load_config_or_defaults`: commands that only read files the user names);
    "check": None, but a given file must exist and be valid (commands that only read the database).
    """
    if need == "required":
        return load_config(path)
    if need == "defaults":
        return load_config_or_defaults(path)
    if need == "check":
        return load_config(path) if path is not None else None
    raise ValueError(f"need must be required, defaults or check, not {need!r}")


STARTER_CONFIG = """\
# thinkmill config: one file configures every stage (written by `thinkmill init`; edit it).
# Relative paths are resolved against this file's folder. Each stage's page in docs/ lists its keys and
# defaults. Secrets (API keys, HF_TOKEN) never go here: they come from the environment.
ingest:
  sources:
    - name: my-tasks                      # letters, digits, _ . -
      path: raw/tasks.jsonl               # file, folder or glob: JSONL, JSON, Parquet, CSV, saved dataset
      # mapping: {prompt: question, answer: solution}   # task field -> your column
      # defaults: {domain: math, verifier: math}
      # license: CC-BY-4.0
    - name: drop                          # files dropped where the Dagster sensor watches ($THINKMILL_RAW_DIR);
      path: ${THINKMILL_RAW_DIR:-data/raw}/*  # a ${VAR} path resolves against the working directory; empty: fine
# decontam:                               # benchmarks your tasks must not overlap
#   benchmarks:
#     - {name: aime24, path: benchmarks/aime24.jsonl}
generate:
  backend: openai                         # openai (any OpenAI-compatible server) | vllm (in-process) | batch
  model: NousResearch/Hermes-4-14B
  samples_think: 2                        # think-mode samples per task
  samples_no_think: 1
  openai:
    base_urls: [http://127.0.0.1:8000/v1] # one per server replica
    api_key_env: OPENAI_API_KEY           # the NAME of the env var that holds the key
    target: vllm                          # vllm: vLLM/SGLang request fields; openai: only OpenAI's (hosted APIs)
  # adaptive:                             # draw more samples only for tasks that have not passed yet
  #   think: {enabled: true, initial: 1, max: 8, target_passed: 2}   # keep target_passed = select.max_per_task
# cost:                                   # estimated cost lines (generate summary, card): prices, or a GPU rate
#   price_per_million_input: 0.5
#   price_per_million_output: 2.0
#   # gpu_hour_usd: 2.5                   # self-hosted engines instead: USD per GPU hour x measured throughput
# verify:
#   judge:                                # tasks with `verifier: judge` and a `rubric` (docs/verifiers.md)
#     model: NousResearch/Hermes-4-70B
#     openai: {base_urls: [http://127.0.0.1:8001/v1], api_key_env: THINKMILL_JUDGE_API_KEY}
#     pass_threshold: 7                   # score 1-10
# executor:                               # verify, select, dedup, vLLM generation on a Ray cluster (docs/scale.md)
#   kind: ray
#   address: auto                         # null: a local Ray; auto: this node's cluster; ray://HOST:10001
#   shared_dir: s3://my-bucket/thinkmill-shards   # every node and the driver must reach it
# balance:
#   think_share_rows: 0.7                 # share of think rows in a dataset version
# publish:
#   repo: my-org/my-sft-mix               # publishing is skipped while unset
"""


def write_starter_config(path: str | Path, *, force: bool = False) -> Path:
    """Write the commented starter config to `path` (never over an existing file unless `force`)."""
    path = Path(path)
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; edit it, or pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER_CONFIG, encoding="utf-8")
    return path


def keep_demo_apart(store: Any, cfg: ThinkmillConfig, db: str | Path) -> None:
    """The bundled sample's tasks and a user's own never share a database: `make demo` writes
    data/thinkmill.duckdb, every command's default, and a user's build there took the sample's hand-written traces
    into their dataset version (and `thinkmill demo` in a project folder took the sample into the user's database).
    Raises `MixedDatabaseError` when `cfg` (the sample config, or any other) would add to the other's tasks. The CLI
    (`ingest`, `generate`, `build`, `demo`) and the assets that write (`raw_tasks`, `tasks`, `generations`,
    `dataset_version`) run it before they write."""
    prefix = str(SAMPLE_DIR.resolve()) + "/"
    demo = cfg.base_dir.resolve() == SAMPLE_DIR.resolve()
    # the sample config's `drop` source reads the sensor's folder, outside the sample's: its tasks are the demo's
    where = (
        "NOT (coalesce(starts_with(source_file, ?), false) OR source = 'drop')"
        if demo
        else "coalesce(starts_with(source_file, ?), false)"
    )
    row = store.fetchone(f"SELECT count(*), list(DISTINCT source ORDER BY source) FROM tasks WHERE {where}", [prefix])
    if not row or not row[0]:
        return
    if demo:
        raise MixedDatabaseError(
            f"database {db} holds {row[0]} tasks of your own (sources {', '.join(row[1])}); the demo would add the "
            f"bundled sample's tasks and traces to them: run it on another database (--db data/demo.duckdb)"
        )
    raise MixedDatabaseError(
        f"database {db} holds {row[0]} tasks of the bundled demo's sample ({SAMPLE_CONFIG}: `thinkmill demo` / "
        f"`make demo` wrote them); your own would be mixed with them into your datasets: use another database "
        f"(--db FILE or $THINKMILL_DB), or delete {db}"
    )
