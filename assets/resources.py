"""Resources shared by the assets: where the database and the config live, and the generation backend."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from assets.runs import end_dead_runs
from pipeline.config import ConfigError, MixedDatabaseError, ThinkmillConfig, keep_demo_apart, load_config
from pipeline.errors import ThinkmillError
from pipeline.generate.backends.base import Backend
from pipeline.generate.config import plain_base_urls
from pipeline.store import DEFAULT_DB, Store
from pipeline.verify.runner import prestart

try:  # the `ray` extra; without it a cluster resource cannot be configured (docs/scale.md)
    from dagster_ray import RayResource
except ImportError:  # pragma: no cover - exercised only without the extra

    class RayResource(dg.ConfigurableResource):  # type: ignore[no-redef]
        """Stands in for dagster-ray's RayResource where the `ray` extra is not installed."""

        @property
        def ray_address(self) -> str | None:
            return None


# The executor of every job and of "Materialize all" (`assets.jobs.run_executor`): in process unless "multiprocess".
EXECUTOR_ENV = "THINKMILL_EXECUTOR"
VERIFY_STEP = "verdicts"


def executor_name(env: Mapping[str, str] | None = None) -> str:
    """The executor `$THINKMILL_EXECUTOR` names: "in_process" where it is unset or blank."""
    env = os.environ if env is None else env
    return env.get(EXECUTOR_ENV, "").strip() or "in_process"


def verifies_in_this_process(context: dg.InitResourceContext) -> bool:
    """Whether the run setting up this resource judges generations in this process: an in-process run (a multiprocess
    run sets up its resources again in each step's own process) that executes the `verdicts` step."""
    run = context.dagster_run
    if run is None or executor_name() != "in_process":
        return False
    if run.step_keys_to_execute is not None:
        return VERIFY_STEP in run.step_keys_to_execute
    return not run.asset_selection or dg.AssetKey(VERIFY_STEP) in run.asset_selection  # a whole job


class ExecutorResource(dg.ConfigurableResource):
    """Where verify and select run (docs/scale.md); unset fields keep the config file's `executor` section.

    `cluster`: a dagster-ray resource (`LocalRay`, `KubeRayCluster`, `KubeRayInteractiveJob`) that creates or
    joins the Ray cluster and connects this run's process to it when the run starts (and deletes a cluster it
    created when the run ends); the stages then run their work on it, with this process as the Ray driver and the
    one DuckDB writer. Setting it implies `kind: ray`.
    """

    kind: str | None = None
    shared_dir: str | None = None
    cluster: RayResource | None = None

    def configure(self, config: ThinkmillConfig) -> ThinkmillConfig:
        updates: dict[str, object] = {}
        if self.kind:
            updates["kind"] = self.kind
        if self.shared_dir:
            updates["shared_dir"] = self.shared_dir
        if self.cluster is not None:
            updates |= {"kind": "ray", "address": self.cluster.ray_address}
        config.executor = config.executor.model_validate({**config.executor.model_dump(), **updates})
        return config


class ThinkmillResource(dg.ConfigurableResource):
    """The DuckDB file and the config file the pipeline runs on.

    `config_path` unset: `$THINKMILL_CONFIG`, else `./thinkmill.yaml`; with neither, an asset fails with
    `no config: ...` (never the bundled sample: `make dev` and `thinkmill demo` name that one explicitly).
    """

    db_path: str = Field(DEFAULT_DB, description="The DuckDB file every asset and check uses ($THINKMILL_DB).")
    config_path: str | None = Field(
        None, description="thinkmill.yaml to run on; unset: $THINKMILL_CONFIG, else ./thinkmill.yaml."
    )
    lock_timeout_s: float = Field(
        600.0, description="Seconds to wait for a database file another process holds (its holder is logged)."
    )
    executor: ExecutorResource | None = Field(
        None, description="Run verify and select on a Ray cluster (docs/scale.md); unset: the config's executor."
    )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # a run of this host killed without ending holds its pool slots for good: end it (assets/runs.py)
        if context.instance is not None:
            end_dead_runs(context.instance, context.run_id, context.log)
        if verifies_in_this_process(context) and self._verifies_locally():
            # the verify pool's forkserver imports the verifiers (~2 s) in the background while the steps before
            # `verdicts` run, instead of when it starts
            prestart()

    def _verifies_locally(self) -> bool:
        """Whether `verdicts` judges on this machine (not on a Ray cluster); False where the config does not load
        (the step fails with the reason)."""
        try:
            return self.config().executor.kind == "local"
        except ThinkmillError:
            return False

    def config(self) -> ThinkmillConfig:
        cfg = load_config(self.config_path)
        return self.executor.configure(cfg) if self.executor is not None else cfg

    @contextmanager
    def store(self, read_only: bool = False, writes_for: ThinkmillConfig | None = None) -> Iterator[Store]:
        """The store; `writes_for`: the config an asset adds tasks, generations or versions for, checked first
        (`keep_demo_apart`: the demo's sample and a user's own tasks never share a database)."""
        with Store.open(self.db_path, read_only=read_only, lock_timeout_s=self.lock_timeout_s) as store:
            if writes_for is not None:
                try:
                    keep_demo_apart(store, writes_for, self.db_path)
                except MixedDatabaseError as exc:  # the user's to fix: one line, never retried
                    raise dg.Failure(description=str(exc), allow_retries=False) from None
            yield store


class LLMBackendResource(dg.ConfigurableResource):
    """Deployment-side settings of the generation backend; unset fields fall back to the config file.

    Secrets come through `dg.EnvVar`, e.g. `LLMBackendResource(api_key=dg.EnvVar("OPENAI_API_KEY"))`; the key
    is handed to the client only, never logged or stored.
    """

    backend: str | None = Field(
        None, description="Generation backend: openai, vllm or batch; unset: generate.backend of the config."
    )
    base_urls: list[str] | None = Field(
        None,
        description="OpenAI-compatible servers, e.g. [http://gpu1:8000/v1]; requests are spread over them. "
        "Unset: generate.openai.base_urls.",
    )
    api_key: str | None = Field(
        None,
        description="API key of the servers; pass {env: OPENAI_API_KEY} (never a literal). Unset: the env var "
        "the config names. Never logged or stored.",
    )
    max_in_flight: int | None = Field(
        None, description="Requests in flight at once over all servers; unset: generate.openai.max_in_flight."
    )

    def configure(self, config: ThinkmillConfig) -> ThinkmillConfig:
        g = config.generate
        if self.backend:
            g.backend = self.backend  # type: ignore[assignment]
        if self.base_urls:
            try:
                g.openai.base_urls = plain_base_urls(list(self.base_urls))
            except ValueError as exc:
                raise ConfigError(f"base_urls: {exc}") from None
        if self.max_in_flight:
            g.openai.max_in_flight = self.max_in_flight
        return config

    def make_backend(self, config: ThinkmillConfig, store_path: str | None = None) -> Backend:
        from pipeline.generate.runner import make_backend

        return make_backend(self.configure(config), api_key=self.api_key, store_path=store_path)


def default_resource() -> ThinkmillResource:
    return ThinkmillResource(
        db_path=os.environ.get("THINKMILL_DB", DEFAULT_DB),
        config_path=os.environ.get("THINKMILL_CONFIG"),
    )


def default_resources() -> dict[str, dg.ConfigurableResource]:
    """The resources `definitions.py` binds: the database/config and the generation backend."""
    return {"thinkmill": default_resource(), "llm": LLMBackendResource()}
