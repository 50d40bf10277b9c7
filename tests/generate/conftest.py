"""Fixtures of the generate tests: a tiny random-weight Llama served by `transformers serve` on loopback,
and a fault-injecting HTTP proxy in front of it. Nothing leaves the machine (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if thinking is defined and thinking %}<think>\n{% endif %}{% endif %}"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_tiny_llama(out: Path) -> Path:
    """A 1-layer, 16-wide Llama with a ChatML-like template and a byte-level BPE tokenizer: seconds to build."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    special = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=special,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(["the answer is 42, think step by step about the problem"] * 5, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="<|im_end|>",
                                   unk_token="<unk>", pad_token="</s>")
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(out)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=512,
                      bos_token_id=1, eos_token_id=fast.convert_tokens_to_ids("<|im_end|>"), pad_token_id=2)
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("tiny-llama") / "model")


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout_s}s")


@pytest.fixture(scope="session")
def llm_server(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`transformers serve` pinned to the tiny model (a local path works as the model id)."""
    exe = shutil.which("transformers", path=str(Path(sys.executable).parent)) or "transformers"
    port = free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen([exe, "serve", str(tiny_model), "--host", "127.0.0.1", "--port", str(port),
                             "--device", "cpu", "--log-level", "warning"], stdout=log, stderr=log, env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/health", 90, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class FaultProxy:
    """A loopback HTTP proxy that forwards to `upstream` and injects failures on request.

    `plan` is consumed one entry per request: "ok", an HTTP status ("503", "429", ...) answered with
    Retry-After: 0, or "drop" (close the connection without answering). `rule(body)` may answer a request
    itself ((status, json) or None). `drop_after` drops every request after that many successes.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.plan: list[str] = []
        self.rule: Callable[[dict[str, Any]], tuple[int, dict[str, Any]] | None] | None = None
        self.drop_after: int | None = None
        self.delay_s = 0.0
        self.requests = 0
        self.successes = 0
        self.in_flight = 0
        self.peak = 0
        self.seeds: list[int] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                proxy._handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _reply(self, h: BaseHTTPRequestHandler, status: int, payload: bytes, extra: dict[str, str] | None = None
               ) -> None:
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(payload)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(payload)

    def _handle(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = json.loads(raw)
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            action = self.plan.pop(0) if self.plan else "ok"
            if self.drop_after is not None and self.successes >= self.drop_after:
                action = "drop"
        try:
            if action == "drop":
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
                return
            if action != "ok":
                err = json.dumps({"error": {"message": f"injected {action}"}}).encode()
                self._reply(h, int(action), err, {"retry-after": "0"})
                return
            ruled = self.rule(body) if self.rule else None
            if ruled is not None:
                self._reply(h, ruled[0], json.dumps(ruled[1]).encode())
                return
            if self.delay_s:
                time.sleep(self.delay_s)
            host = self.upstream.split("//", 1)[1].split("/", 1)[0]
            conn = http.client.HTTPConnection(host, timeout=60)
            conn.request("POST", "/v1/chat/completions", raw, {"content-type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            with self.lock:
                if resp.status == 200:
                    self.successes += 1
                    self.seeds.append(body.get("seed"))
            self._reply(h, resp.status, data)
        finally:
            with self.lock:
                self.in_flight -= 1

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fault_proxy(llm_server: str) -> Iterator[Callable[[], FaultProxy]]:
    made: list[FaultProxy] = []

    def make() -> FaultProxy:
        p = FaultProxy(llm_server)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()


def _tasks_frame(n: int, *, long_prompt_at: int | None = None) -> pl.DataFrame:
    domains = ["math", "code", "science_mcq", "instruction_following"]
    prompts = [f"Task {i}: what is {i} + {i}?" for i in range(n)]
    if long_prompt_at is not None:
        prompts[long_prompt_at] = "LONGPROMPT " + "word " * 50
    return pl.DataFrame({"task_id": [f"t{i:03d}" for i in range(n)],
                         "domain": [domains[i % 4] for i in range(n)], "prompt": prompts})


@pytest.fixture
def make_tasks() -> Callable[..., pl.DataFrame]:
    """Tasks over the four domains: make_tasks(n, long_prompt_at=None)."""
    return _tasks_frame


@pytest.fixture
def server_config(tiny_model: Path) -> Callable[..., Any]:
    """A ThinkmillConfig for the openai backend against the tiny model (fast: 4 tokens, tiny backoff)."""
    from pipeline.config import ThinkmillConfig

    def make(base_urls: list[str], **openai_kw: Any) -> ThinkmillConfig:
        cfg = ThinkmillConfig()
        g = cfg.generate
        g.backend = "openai"
        g.model = str(tiny_model)
        g.samples_think, g.samples_no_think = 2, 1
        for s in (g.think, g.no_think):
            s.top_k = None  # `transformers serve` rejects top_k
            s.max_tokens = 4
        g.openai.base_urls = base_urls
        g.openai.max_in_flight = 4
        g.openai.backoff_initial_s = 0.01
        g.openai.backoff_max_s = 0.05
        g.openai.timeout_s = 30
        g.write_batch_rows = 4
        for k, v in openai_kw.items():
            setattr(g.openai, k, v)
        return cfg

    return make
