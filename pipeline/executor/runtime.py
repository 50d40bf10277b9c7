"""Connecting to Ray, and where a run's shards live. Ray is imported here only (an optional extra)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pipeline.errors import ThinkmillError
from pipeline.executor.config import ExecutorConfig
from pipeline.executor.shared import SharedDir

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig


class RayUnavailableError(ThinkmillError):
    """`executor: {kind: ray}` was asked for but Ray is not installed or the cluster cannot be reached."""


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RayUnavailableError(f"executor kind 'ray' needs Ray: pip install 'thinkmill[ray]' ({exc})") from exc
    return ray


def connect(cfg: ExecutorConfig) -> str:
    """Join (or start) the Ray cluster of `cfg.address`; returns the address shown in reports and metadata.

    A Ray already initialised in this process (a test session, a Dagster resource) is used as it is."""
    ray = import_ray()
    if not ray.is_initialized():
        try:
            ray.init(address=cfg.address, include_dashboard=False, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise RayUnavailableError(f"executor.address {cfg.address!r}: cannot reach Ray ({exc})") from exc
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
    return cluster_address(ray)


def cluster_address(ray: Any) -> str:
    try:
        return str(ray.get_runtime_context().gcs_address)
    except Exception:  # a Ray client connection has no GCS address of its own
        return "ray-client"


# what Ray Data appends to the message of an exception a map function raised (`raise_original_map_exception`)
_RAY_NOTE = "\nFailed to apply UDF transform"


def worker_error(exc: BaseException) -> ThinkmillError | None:
    """The project's own error (`ThinkmillError`) that a worker raised, found in the chain of exceptions Ray wraps it
    in (`RayTaskError`: its `cause`, `__cause__`, `__context__`; Ray Data keeps it there where
    `raise_original_map_exception` is set, as `ShardSet` sets it), as a fresh error of its type and message without
    Ray's note, or None. Raised again on the driver, it ends the run as one raised there does: one line and exit 1 on
    the CLI, `{"error": ...}` with `--json` (before, Ray's traceback of 89 lines and nothing on stdout)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        err = todo.pop(0)
        if err is None or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, ThinkmillError) and type(err).__module__.startswith("pipeline"):
            text = str(err).split(_RAY_NOTE, 1)[0]
            try:
                return type(err)(text)
            except Exception:  # an error type built from other arguments: as it came
                return err
        cause = getattr(err, "cause", None)
        todo += [cause if isinstance(cause, BaseException) else None, err.__cause__, err.__context__]
    return None


def shared_dir_of(cfg: ThinkmillConfig) -> SharedDir:
    """`executor.shared_dir` (a URL as it is; a path resolved against the config's folder)."""
    raw = cfg.executor.shared_dir
    return SharedDir(raw if "://" in raw else str(cfg.resolve(raw).resolve()))


def on_each_node(fn: Callable[..., Any], *args: Any, timeout_s: float = 120.0) -> dict[str, Any]:
    """`fn(*args)` run once on every alive Ray node that runs tasks (a CPU of its own; a head started with
    `--num-cpus 0` runs none), by its address: what the workers will meet, where a check on the driver tells of the
    driver only. A node that does not answer within `timeout_s` is a `RayUnavailableError` naming it."""
    ray = import_ray()
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
    remote = ray.remote(num_cpus=0, max_retries=0)(fn)
    refs = {
        n["NodeManagerAddress"]: remote.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)
        ).remote(*args)
        for n in nodes
    }
    out: dict[str, Any] = {}
    for address, ref in refs.items():
        try:
            out[address] = ray.get(ref, timeout=timeout_s)
        except ray.exceptions.GetTimeoutError as exc:
            raise RayUnavailableError(f"Ray node {address} did not answer within {timeout_s:.0f} s") from exc
    return out


def new_run_id(stage: str) -> str:
    return f"{stage}-{uuid.uuid4().hex[:12]}"


def resolved(cfg: ThinkmillConfig) -> ExecutorConfig:
    """`cfg.executor` with `shared_dir` resolved (what `pipeline.executor.using` takes)."""
    return cfg.executor.model_copy(update={"shared_dir": shared_dir_of(cfg).uri})
