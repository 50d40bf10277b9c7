"""Overhead of thinkmill's generate backends against the bare client they wrap, same requests, same run.

`--backend openai` (default): thinkmill's openai backend vs a bare `openai.AsyncOpenAI` loop. A minimal asyncio
HTTP/1.1 server (separate process) answers every chat completion with a fixed body, so the client is the
bottleneck. thinkmill's side includes everything a real run does: request keys, the cache lookup, tenacity,
parsing, and writing rows to DuckDB in small transactions.

`--backend vllm`: thinkmill's in-process vLLM backend (per-request rendering, `chunk_size` requests in the engine,
each result journalled and stored as it finishes) vs one bare `LLM.chat` call on the same requests, on the same
engine. Without `--model`, a tiny random Llama is built (CPU-friendly; see tests/vllm_e2e/tiny_model.py).

    PYTHONPATH=. python -m bench generate [--requests 3000] [--in-flight 64] [--repeats 3]
    PYTHONPATH=. python -m bench generate --backend vllm [--model DIR] [--requests 256] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import socket
import statistics
import tempfile
import time
from pathlib import Path

import openai
import polars as pl

BODY = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 0,
        "model": "bench",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "<think>\nadd them\n</think>\n\\boxed{4}"},
            }
        ],
        "usage": {"prompt_tokens": 60, "completion_tokens": 8, "total_tokens": 68},
    }
).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class _Stub(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.t = transport
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buf[:head_end].lower()
            i = head.find(b"content-length:")
            n = int(head[i + 15 : head.find(b"\r\n", i) if head.find(b"\r\n", i) > 0 else None]) if i >= 0 else 0
            if len(self.buf) < head_end + 4 + n:
                return
            self.buf = self.buf[head_end + 4 + n :]
            self.t.write(RESPONSE)  # type: ignore[attr-defined]


def _serve(port: int) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_Stub, "127.0.0.1", port)
        await server.serve_forever()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tasks(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "task_id": [f"b{i:06d}" for i in range(n)],
            "domain": ["math"] * n,
            "prompt": [f"What is {i} + {i}?" for i in range(n)],
        }
    )


def _config(url: str, in_flight: int):
    from pipeline.config import ThinkmillConfig

    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend, g.model, g.samples_think, g.samples_no_think = "openai", "bench", 1, 0
    g.think.max_tokens = 64
    g.openai.base_urls, g.openai.max_in_flight = [url], in_flight
    return cfg


def bare(url: str, n: int, in_flight: int) -> float:
    """requests/s of a plain AsyncOpenAI loop with a semaphore, sending the very same request bodies."""
    from pipeline.generate.request import build_requests

    reqs = list(build_requests(_tasks(n), _config(url, in_flight).generate))

    async def main() -> float:
        client = openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0)
        sem = asyncio.Semaphore(in_flight)

        async def one(i: int) -> None:
            r = reqs[i]
            async with sem:
                resp = await client.chat.completions.create(
                    model=r.model,
                    messages=list(r.messages),
                    temperature=0.6,
                    top_p=0.95,
                    max_tokens=64,
                    seed=r.seed,
                    extra_body={"top_k": 20, "chat_template_kwargs": r.chat_template_kwargs},
                )
                assert resp.choices[0].message.content

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        dt = time.perf_counter() - t0
        await client.close()
        return n / dt

    return asyncio.run(main())


def thinkmill(url: str, n: int, in_flight: int) -> tuple[float, float]:
    """(requests/s of the send phase, requests/s end to end incl. keys, cache lookup and final flush)."""
    from pipeline.generate.runner import run as run_generation
    from pipeline.store import Store

    cfg = _config(url, in_flight)
    with tempfile.TemporaryDirectory() as d, Store.open(Path(d) / "b.duckdb") as store:
        tasks = _tasks(n)
        t0 = time.perf_counter()
        summary = run_generation(store, cfg, tasks=tasks)
        total = time.perf_counter() - t0
        assert summary.metadata["succeeded"] == n and store.count("generations") == n
    return summary.metadata["requests_per_s"], n / total


def _vllm_config(model: str, max_tokens: int, engine_kwargs: dict[str, object]):
    from pipeline.config import ThinkmillConfig

    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend, g.model, g.samples_think, g.samples_no_think = "vllm", model, 1, 0
    g.think.max_tokens = max_tokens
    g.think.extra = {"ignore_eos": True}  # every request generates max_tokens: both sides do the same work
    g.vllm.engine_kwargs = engine_kwargs
    return cfg


def bare_vllm(llm, cfg, n: int) -> tuple[float, float]:
    """(requests/s, completion tokens/s) of one `LLM.chat` call over the same requests."""
    from vllm import SamplingParams

    from pipeline.generate.request import build_requests

    reqs = list(build_requests(_tasks(n), cfg.generate))
    params = [SamplingParams(**r.sampling_params, seed=r.seed) for r in reqs]
    t0 = time.perf_counter()
    outs = llm.chat(
        [list(r.messages) for r in reqs],
        sampling_params=params,
        chat_template_kwargs=reqs[0].chat_template_kwargs,
        use_tqdm=False,
    )
    dt = time.perf_counter() - t0
    return n / dt, sum(len(o.outputs[0].token_ids) for o in outs) / dt


def thinkmill_vllm(llm, cfg, n: int) -> tuple[float, float]:
    """(requests/s, completion tokens/s) end to end: keys, cache lookup, engine, journal, parsing, DuckDB."""
    from pipeline.generate.backends.vllm_backend import VLLMBackend
    from pipeline.generate.runner import run as run_generation
    from pipeline.store import Store

    with tempfile.TemporaryDirectory() as d, Store.open(Path(d) / "b.duckdb") as store:
        t0 = time.perf_counter()
        summary = run_generation(store, cfg, backend=VLLMBackend(cfg.generate, engine=llm), tasks=_tasks(n))
        dt = time.perf_counter() - t0
        assert summary.metadata["succeeded"] == n and store.count("generations") == n
    return n / dt, summary.metadata["completion_tokens"] / dt


def main_vllm(args: argparse.Namespace) -> None:
    from pipeline.generate.backends.vllm_backend import VLLMBackend

    with tempfile.TemporaryDirectory() as d:
        model = args.model
        if model is None:
            from testing_support.tiny_vllm_model import build_tiny_llama

            model = str(build_tiny_llama(Path(d) / "model"))
        engine_kwargs = (
            {"dtype": "float32", "max_model_len": 512, "gpu_memory_utilization": 0.1, "enforce_eager": True}
            if args.model is None
            else {}
        )
        cfg = _vllm_config(model, args.max_tokens, engine_kwargs)
        if args.chunk_size:
            cfg.generate.vllm.chunk_size = args.chunk_size
        llm = VLLMBackend(cfg.generate)._engine()  # the engine `backend: vllm` starts; both sides share it
        bare_vllm(llm, cfg, min(32, args.requests))  # warm up
        b, t = [], []
        for _ in range(args.repeats):  # interleaved, so drift hits both sides alike
            b.append(bare_vllm(llm, cfg, args.requests))
            t.append(thinkmill_vllm(llm, cfg, args.requests))
        llm.llm_engine.engine_core.shutdown()  # else the engine's processes can outlive the benchmark
    mb = statistics.median(x[0] for x in b)
    mt = statistics.median(x[0] for x in t)
    print(
        f"{args.requests} requests x {args.repeats} repeats, {args.max_tokens} tokens each, "
        f"chunk_size {cfg.generate.vllm.chunk_size}, one engine "
        f"({'tiny random Llama, vLLM CPU build' if args.model is None else model})"
    )
    print(f"{'path':<44}{'median req/s':>14}{'median tok/s':>14}{'runs (req/s)':>30}")
    for name, xs in (("bare LLM.chat (one call)", b), ("thinkmill vllm backend, end to end", t)):
        print(
            f"{name:<44}{statistics.median(x[0] for x in xs):>14.1f}{statistics.median(x[1] for x in xs):>14.0f}"
            f"{' '.join(f'{x[0]:.1f}' for x in xs):>30}"
        )
    print(f"thinkmill / bare throughput: {mt / mb:.3f}x")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["openai", "vllm"], default="openai")
    ap.add_argument("--requests", type=int, default=None, help="default 3000 (openai), 256 (vllm)")
    ap.add_argument("--in-flight", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=None, help="default 5 (openai), 3 (vllm)")
    ap.add_argument("--model", default=None, help="vllm: model dir or id (default: a tiny random Llama)")
    ap.add_argument("--max-tokens", type=int, default=64, help="vllm: tokens generated per request")
    ap.add_argument("--chunk-size", type=int, default=None, help="vllm: generate.vllm.chunk_size (default: config's)")
    args = ap.parse_args(argv)
    if args.backend == "vllm":
        args.requests = args.requests or 256
        args.repeats = args.repeats or 3
        main_vllm(args)
        return
    args.requests = args.requests or 3000
    args.repeats = args.repeats or 5
    port = _free_port()
    proc = mp.Process(target=_serve, args=(port,), daemon=True)
    proc.start()
    time.sleep(0.5)
    url = f"http://127.0.0.1:{port}/v1"
    bare(url, 200, args.in_flight)  # warm up
    b, t_send, t_e2e = [], [], []
    for _ in range(args.repeats):  # interleaved, so drift hits both sides alike
        b.append(bare(url, args.requests, args.in_flight))
        s, e = thinkmill(url, args.requests, args.in_flight)
        t_send.append(s)
        t_e2e.append(e)
    proc.terminate()
    mb, ms, me = statistics.median(b), statistics.median(t_send), statistics.median(t_e2e)
    print(f"{args.requests} requests x {args.repeats} repeats, {args.in_flight} in flight, stub server on loopback")
    print(f"{'client':<40}{'median req/s':>14}{'runs':>30}")
    print(f"{'bare openai.AsyncOpenAI loop':<40}{mb:>14.0f}{' '.join(f'{x:.0f}' for x in b):>30}")
    print(f"{'thinkmill openai backend (send phase)':<40}{ms:>14.0f}{' '.join(f'{x:.0f}' for x in t_send):>30}")
    print(f"{'thinkmill end to end (keys+cache+DB)':<40}{me:>14.0f}{' '.join(f'{x:.0f}' for x in t_e2e):>30}")
    print(f"overhead vs bare: send phase {100 * (1 - ms / mb):+.1f}%, end to end {100 * (1 - me / mb):+.1f}%")


if __name__ == "__main__":
    main()
