"""Shared fixtures: temporary databases, the bundled sample paths, and the session's one real OpenAI-compatible
server (`transformers serve` on a tiny random-weight Llama, on loopback; started only when a test asks)."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import SAMPLE_CONFIG, SAMPLE_DIR
from testing_support import xdist_engines
from testing_support.db_templates import scratch_store
from testing_support.servers import free_port, wait_http
from testing_support.tiny_models import build_tiny_llama


@pytest.fixture(autouse=True)
def _code_runs_again() -> None:
    """Each test runs its code in the sandbox again: the code verifier's results of this process (`_RESULTS`, code
    already run) do not carry over from another test (one that replaced the harness or the sandbox's runner)."""
    code = sys.modules.get("pipeline.verify.verifiers.code")
    if code is not None:
        code._RESULTS.clear()  # type: ignore[attr-defined]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "thinkmill.duckdb"


@pytest.fixture
def store(db_path: Path):
    """An empty, migrated database at `db_path` (a copy of one built once per session: testing_support.db_templates),
    closed without a checkpoint at the end (`close_unsaved`)."""
    with scratch_store(db_path) as s:
        yield s


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def sample_config() -> Path:
    return SAMPLE_CONFIG


@pytest.fixture(scope="session")
def vllm_installed() -> None:
    """Skip the tests that use it where vLLM is missing, except under `make test` / CI (THINKMILL_REQUIRE_VLLM=1),
    which install vLLM's CPU build: there a missing or broken vLLM is a failure, never a silent skip. Checked when the
    first such test runs, not at collection (`pytestmark = pytest.mark.usefixtures("vllm_installed")`): importing
    vLLM imports torch, ~10 CPU-seconds, and every pytest process collects those modules (both xdist workers, the
    browser run), while only the worker that runs the engine tests needs vLLM."""
    if os.environ.get("THINKMILL_REQUIRE_VLLM") == "1":
        import vllm.entrypoints.llm  # noqa: F401

        return
    pytest.importorskip("vllm.entrypoints.llm", reason="vLLM is not installed (`make install-dev` installs it)")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("tiny-llama") / "model")


@pytest.fixture(scope="session")
def llm_server(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`transformers serve` pinned to the tiny model (a local path works as the model id)."""
    exe = shutil.which("transformers", path=str(Path(sys.executable).parent)) or "transformers"
    port = free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen(
        [
            exe,
            "serve",
            str(tiny_model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--device",
            "cpu",
            "--log-level",
            "warning",
        ],
        stdout=log,
        stderr=log,
        env=env,
        start_new_session=True,  # its own process group, killed whole at the end
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", 90, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        # killed at once: it did not stop on SIGTERM within the 10 s the session used to wait at its end, and
        # nothing checks a graceful stop
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()


def _vllm_conftest(config: pytest.Config) -> Any:
    """tests/vllm_e2e/conftest.py as pytest loaded it (the module whose fixtures run; importing it by name would
    give a second copy), or None when it is not collected."""
    path = Path(__file__).parent / "vllm_e2e" / "conftest.py"
    return next((p for p in config.pluginmanager.get_plugins() if getattr(p, "__file__", None) == str(path)), None)


def pytest_configure(config: pytest.Config) -> None:
    """Fewer garbage-collector passes: with the defaults (700, 10, 10) the collector ran ~30 times a second over a
    heap of ~1M objects (dagster, polars, DuckDB, Ray and vLLM modules), 7% of a single-process run of
    tests/dataset + tests/ops (17.5 of 252 s; 6.9 s and 218 s with these thresholds). Cycles are still collected."""
    gc.set_threshold(50_000, 20, 50)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `make test` (two xdist workers) the engine tests run as one unit on one worker:
    testing_support/xdist_engines.py."""
    return xdist_engines.make_scheduler(config, log)


def _xdist_worker() -> bool:
    return "PYTEST_XDIST_WORKER" in os.environ


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _xdist_worker():  # the engine unit's order: vLLM, Ray, the timed tests (xdist_engines.engine_order); stable
        items[:] = sorted(items, key=lambda i: xdist_engines.engine_order(i.nodeid))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the vLLM subprocess engines the selected tests will need now, beside the other tests (they take
    ~20 CPU-seconds each to start, on the core pytest leaves idle): tests/vllm_e2e/conftest.py `start_early`.
    Not under xdist: every worker collects every test, and the other worker is what runs beside the engines."""
    mod = _vllm_conftest(session.config)
    early = os.environ.get("THINKMILL_TEST_EARLY_VLLM", "1") != "0"  # 0: start them when first asked for
    if mod is not None and early and not session.config.option.collectonly and not _xdist_worker():
        mod.start_early(session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    mod = _vllm_conftest(session.config)
    if mod is not None:
        mod.stop_early()
